/*
 * cmd_import.c - import vouchers, opening balances and members from files
 *
 * The work is done by the importers library (importers/import.h), which
 * never prints: this file prints its problems (one line each, in row
 * order), a progress bar on a terminal for large files, and the summary.
 *
 * SPDX-License-Identifier: MIT
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <importers/import.h>

#include "cli.h"

/* Files smaller than this import too fast for a progress bar to help. */
#define PROGRESS_MIN_BYTES (4u << 20)

int
cmd_positional_args(const cmd_spec *cmd)
{
	if (cmd->run == cmd_import_vouchers || cmd->run == cmd_import_opening ||
	    cmd->run == cmd_import_members || cmd->run == cmd_import_bank ||
	    cmd->run == cmd_import_funds)
		return 1;
	return 0;
}

typedef struct import_ui {
	cli *c;
	int bar;    /* show progress */
	int shown;  /* a progress line is on the screen */
} import_ui;

static void
ui_clear(import_ui *u)
{
	if (u->shown) {
		progress_end(u->c);
		u->shown = 0;
	}
}

static void
on_error(void *arg, const char *message)
{
	import_ui *u = arg;

	ui_clear(u);
	fprintf(stderr, "cunji: %s\n", message);
}

static void
on_note(void *arg, const char *message)
{
	import_ui *u = arg;

	ui_clear(u);
	fprintf(stderr, "cunji: %s\n", message);
}

static void
on_progress(void *arg, const char *phase, uint64_t done, uint64_t total)
{
	import_ui *u = arg;

	if (!u->bar)
		return;
	if (!strcmp(phase, "reading"))
		progress(u->c, "reading MB", (long)(done >> 20), (long)(total >> 20));
	else
		progress(u->c, phase, (long)done, (long)total);
	u->shown = 1;
}

/* FILE as the argument or --file. */
static const char *
file_arg(const cli_opts *o)
{
	const char *f = opt_get(o, "file");

	if (o->npos && f)
		return NULL;
	return o->npos ? o->pos[0] : f;
}

static void
print_result(const char *name, const cj_import_result *r, int dry_run)
{
	char money[CJ_MONEY_FMT_MAX];

	if (r->already_imported) {
		printf("%s: this file was imported before (import %" PRId64 ", %s, %zu voucher%s); "
		       "nothing new was posted\n",
		       name, r->import_id, r->imported_at, r->vouchers, r->vouchers == 1 ? "" : "s");
		return;
	}
	if (!r->vouchers && r->existing) {
		printf("%s (%s): nothing new: all %zu voucher%s already posted (same external id and "
		       "content)\n",
		       name, r->encoding, r->existing, r->existing == 1 ? " was" : "s were");
		return;
	}
	printf("%s (%s): %s %zu voucher%s, %zu lines, in %zu village%s; debits = credits = %s\n",
	       name, r->encoding, dry_run ? "would post" : "posted", r->vouchers,
	       r->vouchers == 1 ? "" : "s", r->lines, r->nvillages, r->nvillages == 1 ? "" : "s",
	       out_money(money, r->debit_fen, 0));
	for (size_t i = 0; i < r->nvillages; i++) {
		const cj_import_village *v = &r->villages[i];
		printf("  %s %s: ", v->code, v->name);
		if (v->vouchers)
			printf("%zu voucher%s %s%s%s, %zu lines, %s", v->vouchers,
			       v->vouchers == 1 ? "" : "s", v->first, v->vouchers > 1 ? " … " : "",
			       v->vouchers > 1 ? v->last : "", v->lines, out_money(money, v->debit_fen, 0));
		if (v->existing)
			printf("%s%zu already posted", v->vouchers ? "; " : "", v->existing);
		putchar('\n');
	}
	if (r->existing)
		printf("%zu voucher%s already posted (same external id and content) %s skipped\n",
		       r->existing, r->existing == 1 ? "" : "s", r->existing == 1 ? "was" : "were");
	if (dry_run)
		puts("nothing was written (--dry-run)");
}

int
import_run(cli *c, const char *path, const char *name, int opening, cj_import_opts *opts)
{
	cj_import_result r;
	import_ui ui;
	FILE *f;
	int err;

	memset(&ui, 0, sizeof ui);
	ui.c = c;
	f = fopen(path, "rb");
	if (f) {
		if (!fseek(f, 0, SEEK_END) && ftell(f) >= (long)PROGRESS_MIN_BYTES)
			ui.bar = c->err_tty;
		fclose(f);
	}
	opts->name = name;
	opts->on_error = on_error;
	opts->on_note = on_note;
	opts->on_progress = on_progress;
	opts->arg = &ui;
	err = opening ? cj_import_opening(c->db, path, opts, &r)
		      : cj_import_vouchers(c->db, path, opts, &r);
	ui_clear(&ui);
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
	const char *path = file_arg(o);
	cj_import_opts opts;

	if (!path)
		return usage_error(o->cmd, o->npos ? "give the file once (argument or --file)"
						   : "which file? give FILE");
	memset(&opts, 0, sizeof opts);
	opts.dry_run = opt_has(o, "dry-run");
	opts.preparer = opt_get(o, "preparer");
	return import_run(c, path, path, opening, &opts);
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

int
cmd_import_members(cli *c, const cli_opts *o)
{
	const char *path = file_arg(o);

	if (!path)
		return usage_error(o->cmd, o->npos ? "give the file once (argument or --file)"
						   : "which file? give FILE");
	return member_import_file(c, o, path);
}
