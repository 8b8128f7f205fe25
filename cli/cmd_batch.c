/*
 * cmd_batch.c - month and year close of many villages (--township, --villages),
 * and asking before what cannot be undone
 *
 * The loop is the library's (ledger/batch.h): each village all or nothing,
 * a refused village never stops the others; this prints the plan, asks, and
 * prints the summary (done / refused with why / left).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ledger/batch.h>

#include "cli.h"

int
batch_wanted(const cli_opts *o)
{
	return opt_has(o, "township") || opt_has(o, "villages");
}

int
confirm(const cli_opts *o, const char *what)
{
	char line[32];

	if (opt_has(o, "yes"))
		return 0;
	if (!isatty(0) || !isatty(2))
		return usage_error(o->cmd, _("%s cannot be undone; not on a terminal, it is done only "
					   "with --yes"), what);
	fprintf(stderr, _("%s cannot be undone.  Go ahead? [y/N] "), what);
	fflush(stderr);
	if (!fgets(line, sizeof line, stdin) || (line[0] != 'y' && line[0] != 'Y'))
		return fail_msg(_("nothing was done"));
	return 0;
}

/* --villages A,B,C (and repeated) into codes; *n how many */
static const char **
village_codes(const cli_opts *o, char **buf, size_t *n)
{
	int nv = 0;
	const char **all = opt_all(o, "villages", &nv), **codes;
	size_t len = 0, k = 0;

	for (int i = 0; i < nv; i++)
		len += strlen(all[i]) + 1;
	*buf = malloc(len + 1);
	codes = calloc(len + 1, sizeof *codes);
	if (!*buf || !codes) {
		free(codes);
		return NULL;
	}
	(*buf)[0] = '\0';
	for (int i = 0; i < nv; i++) {
		strcat(*buf, all[i]);
		strcat(*buf, ",");
	}
	for (char *tok = strtok(*buf, ", "); tok; tok = strtok(NULL, ", "))
		codes[k++] = tok;
	*n = k;
	return codes;
}

/* a progress line on a terminal, counting villages */
static void
show_progress(const char *phase, uint64_t done, uint64_t total, void *payload)
{
	(void)phase;
	progress(payload, _("villages"), (long)done, (long)total);
}

static void
summary(FILE *f, const cj_batch *b, const char *what)
{
	size_t left = b->n - b->done - b->refused;

	for (size_t i = 0; i < b->n; i++) {
		const cj_batch_item *it = &b->items[i];
		fprintf(f, "%-12s %-10s %-8s %s\n", it->village.code, it->village.name,
		       it->state == CJ_BATCH_DONE ? _("done") : it->state == CJ_BATCH_REFUSED ? _("refused")
											     : _("left"),
		       it->state == CJ_BATCH_LEFT ? _("not tried") : it->message);
	}
	fprintf(f, _("%s: %zu village%s done, %zu refused, %zu left"), what, b->done,
	       b->done == 1 ? "" : "s", b->refused, left);
	if (b->refused || left) {
		fprintf(f, _("; still to do:"));
		for (size_t i = 0; i < b->n; i++)
			if (b->items[i].state != CJ_BATCH_DONE)
				fprintf(f, " %s", b->items[i].village.code);
	}
	fputc('\n', f);
}

int
batch_run(cli *c, const cli_opts *o, const char *what, cj_batch_step step, void *ctx,
	  int irreversible)
{
	return batch_run_to(c, o, what, step, ctx, irreversible ? BATCH_IRREVERSIBLE : 0, stdout);
}

/* batch_run with the summary on sum (stderr when stdout carries the work itself) */
int
batch_run_to(cli *c, const cli_opts *o, const char *what, cj_batch_step step, void *ctx,
	     int flags, FILE *sum)
{
	char *buf = NULL;
	size_t ncodes = 0;
	const char **codes = opt_has(o, "villages") ? village_codes(o, &buf, &ncodes) : NULL;
	int status;

	if (opt_has(o, "villages") && !codes)
		return fail_msg(_("out of memory"));
	status = batch_run_list(c, o, opt_get(o, "township"), codes, ncodes, what, step, ctx, flags, sum);
	free(codes);
	free(buf);
	return status;
}

/* the villages of township (may be NULL) and codes, each all or nothing */
int
batch_run_list(cli *c, const cli_opts *o, const char *township, const char *const *codes,
	       size_t ncodes, const char *what, cj_batch_step step, void *ctx, int flags, FILE *sum)
{
	cj_batch b;
	char plan[300];
	int status, err;
	cj_callbacks cb = {.progress = show_progress, .payload = c};

	if (cj_batch_villages(c->db, township, codes, ncodes, &b))
		return fail_db(c, NULL);
	snprintf(plan, sizeof plan, _("%s for %zu village%s"), what, b.n, b.n == 1 ? "" : "s");
	fprintf(stderr, "%s:", plan);
	for (size_t i = 0; i < b.n; i++)
		fprintf(stderr, " %s %s%s", b.items[i].village.code, b.items[i].village.name,
			i + 1 < b.n ? "," : "\n");
	if (opt_has(o, "dry-run") && !(flags & BATCH_STEP_DRY_RUN)) {
		printf(_("would run %s; nothing was done (--dry-run)\n"), plan);
		cj_batch_free(&b);
		return 0;
	}
	if ((flags & BATCH_IRREVERSIBLE) && (status = confirm(o, plan))) {
		cj_batch_free(&b);
		return status;
	}
	err = cj_batch_run(c->db, &b, step, ctx, &cb);
	progress_end(c);
	summary(sum, &b, what);
	cj_batch_free(&b);
	return err ? EXIT_REFUSED : 0;
}
