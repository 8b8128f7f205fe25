/*
 * cmd_import.c - import vouchers and opening balances from files; what
 * every import command shares
 *
 * The work is done by the importers library (importers/import.h), which
 * never prints: this file prints the problems of every import (one line
 * each, in row order, through the callbacks of importers/problem.h), a
 * progress bar on a terminal for large files, and the summary.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <importers/import.h>

#include "cli.h"

/* Files smaller than this import too fast for a progress bar to help. */
#define PROGRESS_MIN_BYTES (4u << 20)

int
cmd_positional_args(const cmd_spec *cmd)
{
	if (cmd->run == cmd_import_bank) /* FILE, or many: FILE... and VILLAGE=FILE... */
		return OPT_MAX;
	if (cmd->run == cmd_import_vouchers || cmd->run == cmd_import_opening ||
	    cmd->run == cmd_import_members ||
	    cmd->run == cmd_import_funds || cmd->run == cmd_setting_review ||
	    cmd->run == cmd_setting_check_url ||
	    cmd->run == cmd_db_backup || cmd->run == cmd_db_restore ||
	    cmd->run == cmd_bank_statement)
		return 1;
	if (cmd->run == cmd_audit_rule_set) /* RULE KEY=VALUE ... */
		return OPT_MAX;
	return 0;
}

static void
ui_clear(import_ui *u)
{
	if (u->shown) {
		progress_end(u->c);
		u->shown = 0;
	}
}

static void
on_problem(const cj_problem *p, void *payload)
{
	char line[2048];

	ui_clear(payload);
	cj_problem_format(p, line, sizeof line);
	fprintf(stderr, "cunji: %s\n", line);
}

static void
on_note(const char *message, void *payload)
{
	ui_clear(payload);
	fprintf(stderr, "cunji: %s\n", message);
}

static void
on_progress(const char *phase, uint64_t done, uint64_t total, void *payload)
{
	import_ui *u = payload;

	if (!u->bar)
		return;
	if (!strcmp(phase, "reading"))
		progress(u->c, _("reading MB"), (long)(done >> 20), (long)(total >> 20));
	else
		progress(u->c, phase, (long)done, (long)total);
	u->shown = 1;
}

cj_callbacks
import_ui_begin(import_ui *u, cli *c, const char *path)
{
	cj_callbacks cb = {on_problem, on_note, on_progress, u};
	FILE *f = fopen(path, "rb");

	memset(u, 0, sizeof *u);
	u->c = c;
	if (f) {
		if (!fseek(f, 0, SEEK_END) && ftell(f) >= (long)PROGRESS_MIN_BYTES)
			u->bar = c->err_tty;
		fclose(f);
	}
	return cb;
}

void
import_ui_end(import_ui *u)
{
	ui_clear(u);
}

/* Standard input into a temporary file: an importer reads a file twice
 * (its encoding first) and hashes it. */
static int
stdin_to_file(char *path, size_t size)
{
	const char *dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char buf[65536];
	size_t n;
	FILE *f;
	int fd;

	snprintf(path, size, "%s/cunji-stdin-XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0 || !(f = fdopen(fd, "wb"))) {
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		fail_msg("%s: %s", path, strerror(errno));
		path[0] = '\0';
		return 1;
	}
	while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
		if (fwrite(buf, 1, n, f) != n)
			break;
	if (ferror(stdin) || ferror(f) || fclose(f)) {
		unlink(path);
		path[0] = '\0';
		return fail_msg(_("reading standard input: %s"), strerror(errno));
	}
	return 0;
}

int
import_src_open(import_src *s, const cli_opts *o, const char *arg)
{
	int status;

	memset(s, 0, sizeof *s);
	s->path = s->name = arg;
	s->sheet = opt_get(o, "sheet");
	if (arg && !strcmp(arg, "-")) {
		if ((status = stdin_to_file(s->tmp, sizeof s->tmp)))
			return status;
		s->path = s->tmp;
		s->name = "stdin";
	}
	return 0;
}

void
import_src_close(import_src *s)
{
	if (s->tmp[0])
		unlink(s->tmp);
	s->tmp[0] = '\0';
}

int
import_file_arg(const cli_opts *o, const char **path)
{
	const char *f = opt_get(o, "file");

	*path = o->npos ? o->pos[0] : f;
	if (o->npos && f)
		return usage_error(o->cmd, _("give the file once (argument or --file)"));
	return 0;
}

static void
print_result(const char *name, const cj_import_result *r, int dry_run)
{
	char money[CJ_MONEY_FMT_MAX];

	if (r->already_imported) {
		printf(_("%s: this file was imported before (import %" PRId64 ", %s, %zu voucher%s"),
		       name, r->import_id, r->imported_at, r->vouchers, r->vouchers == 1 ? "" : "s");
		if (r->batch_id)
			printf(_(", saved as drafts of batch %" PRId64), r->batch_id);
		puts(_("); nothing new was posted"));
		return;
	}
	if (!r->vouchers && r->existing) {
		printf(_("%s (%s): nothing new: all %zu voucher%s already posted (same external id and "
		       "content)\n"),
		       name, r->encoding, r->existing, r->existing == 1 ? " was" : "s were");
		return;
	}
	printf(_("%s (%s): %s %zu voucher%s, %zu lines, in %zu village%s; debits = credits = %s\n"),
	       name, r->encoding,
	       r->batch_id ? (dry_run ? _("would save as drafts") : _("saved as drafts"))
			   : (dry_run ? _("would post") : _("posted")),
	       r->vouchers,
	       r->vouchers == 1 ? "" : "s", r->lines, r->nvillages, r->nvillages == 1 ? "" : "s",
	       out_money(money, r->debit_fen, 0));
	for (size_t i = 0; i < r->nvillages; i++) {
		const cj_import_village *v = &r->villages[i];
		printf("  %s %s: ", v->code, v->name);
		if (v->vouchers && v->first[0])
			printf(_("%zu voucher%s %s%s%s, %zu lines, %s"), v->vouchers,
			       v->vouchers == 1 ? "" : "s", v->first, v->vouchers > 1 ? " … " : "",
			       v->vouchers > 1 ? v->last : "", v->lines, out_money(money, v->debit_fen, 0));
		else if (v->vouchers) /* drafts: numbered when posted */
			printf(_("%zu draft%s, %zu lines, %s"), v->vouchers, v->vouchers == 1 ? "" : "s",
			       v->lines, out_money(money, v->debit_fen, 0));
		if (v->existing)
			printf(_("%s%zu already posted"), v->vouchers ? "; " : "", v->existing);
		putchar('\n');
	}
	if (r->existing)
		printf(_("%zu voucher%s already posted (same external id and content) %s skipped\n"),
		       r->existing, r->existing == 1 ? "" : "s", r->existing == 1 ? "was" : "were");
	if (r->batch_id && !dry_run)
		printf(_("review required: these drafts are batch %" PRId64 " (草稿, counted nowhere "
		       "yet): another login reviews them as a whole (cunji voucher list --batch %" PRId64
		       "; cunji voucher review --batch %" PRId64 "), then they are posted with their "
		       "numbers (cunji voucher post --batch %" PRId64 ")\n"),
		       r->batch_id, r->batch_id, r->batch_id, r->batch_id);
	if (dry_run)
		puts(_("nothing was written (--dry-run)"));
}

int
import_run(cli *c, const char *path, const char *name, int opening, cj_import_opts *opts)
{
	cj_import_result r;
	import_ui ui;
	int err;

	opts->name = name;
	opts->cb = import_ui_begin(&ui, c, path);
	err = opening ? cj_import_opening(c->db, path, opts, &r)
		      : cj_import_vouchers(c->db, path, opts, &r);
	import_ui_end(&ui);
	if (err) {
		cj_import_result_dispose(&r);
		return fail_msg("%s", cj_db_errmsg(c->db));
	}
	print_result(name, &r, opts->dry_run);
	cj_import_result_dispose(&r);
	return 0;
}

static int
run_import(cli *c, const cli_opts *o, int opening)
{
	const char *path;
	cj_import_opts opts;
	import_src src;
	int status = import_file_arg(o, &path);

	if (status)
		return status;
	if (!path)
		return usage_error(o->cmd, _("which file? give FILE ('-' for standard input)"));
	memset(&opts, 0, sizeof opts);
	opts.dry_run = opt_has(o, "dry-run");
	opts.preparer = opt_get(o, "preparer");
	if (opt_get(o, "jobs") && ((opts.jobs = atoi(opt_get(o, "jobs"))) < 1 || opts.jobs > 16))
		return usage_error(o->cmd, _("--jobs must be between 1 and 16"));
	if ((status = import_src_open(&src, o, path)))
		return status;
	opts.sheet = src.sheet;
	status = import_run(c, src.path, src.name, opening, &opts);
	import_src_close(&src);
	return status;
}

int
cmd_import_vouchers(cli *c, const cli_opts *o)
{
	return run_import(c, o, 0);
}

int
cmd_import_opening(cli *c, const cli_opts *o)
{
	return run_import(c, o, 1);
}
