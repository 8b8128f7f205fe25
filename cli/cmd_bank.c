/*
 * cmd_bank.c - cunji bank statement|match|mark|unmark|unreconciled|reconcile:
 * 银行存款余额调节表 (ledger/bank.h, reports/bank_recon.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <importers/bank_import.h>
#include <reports/bank_recon.h>

#include "cli.h"

/* The village and the bank account (a code or a name: 银行存款-农商行). */
static int
bank_args(cli *c, const cli_opts *o, cj_org *v, char *acct, size_t size)
{
	const char *a;
	int status;

	if ((status = arg_village(c, o, v)) || (status = arg_required(o, "account", &a)))
		return status;
	if (cj_account_resolve(c->db, v->id, a, acct, size))
		return fail_db(c, NULL);
	return 0;
}

int
cmd_bank_statement(cli *c, const cli_opts *o)
{
	cj_bank_statement_result r;
	cj_bank_import_opts opts;
	import_src src;
	import_ui ui;
	char in[CJ_MONEY_FMT_MAX], out[CJ_MONEY_FMT_MAX];
	int status, err;

	memset(&opts, 0, sizeof opts);
	if (o->npos != 1)
		return usage_error(o->cmd, _("which file? cunji bank statement FILE ('-' for standard "
					   "input)"));
	if ((status = import_src_open(&src, o, o->pos[0])))
		return status;
	opts.village = opt_get(o, "village");
	opts.account = opt_get(o, "account");
	opts.name = src.name;
	opts.sheet = src.sheet;
	opts.dry_run = opt_has(o, "dry-run");
	if (!opts.village || !opts.account) {
		import_src_close(&src);
		return usage_error(o->cmd, _("--village and --account are required"));
	}
	opts.cb = import_ui_begin(&ui, c, src.path);
	err = cj_bank_statement_load(c->db, src.path, &opts, &r);
	import_ui_end(&ui);
	import_src_close(&src);
	if (err)
		return fail_db(c, NULL);
	printf(_("%s: %zu line%s of %s %s, %s to %s (in %s, out %s): %zu new%s\n"), src.name,
	       r.lines, r.lines == 1 ? "" : "s", r.account, r.account_name, r.first, r.last,
	       out_money(in, r.in_fen, 0), out_money(out, r.out_fen, 0), r.added,
	       opts.dry_run ? _(" (dry run: nothing kept)") : "");
	return 0;
}

int
cmd_bank_match(cli *c, const cli_opts *o)
{
	char acct[16];
	const char *days = opt_get(o, "days");
	size_t matched;
	cj_org v;
	int status, max_days = CJ_BANK_MATCH_DAYS;

	if ((status = bank_args(c, o, &v, acct, sizeof acct)))
		return status;
	if (days && ((max_days = atoi(days)) < 0 || max_days > 366 || strspn(days, "0123456789") != strlen(days)))
		return usage_error(o->cmd, _("--days must be a number of days, 0 to 366"));
	if (cj_bank_match(c->db, v.id, acct, max_days, &matched))
		return fail_db(c, _("matching"));
	printf(_("%zu statement line%s reconciled with the ledger (%s %s)\n"), matched,
	       matched == 1 ? "" : "s", v.code, acct);
	return 0;
}

static int
line_arg(const cli_opts *o, int64_t *line)
{
	const char *s;
	int status = arg_required(o, "line", &s);

	if (status)
		return status;
	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18 || !(*line = atoll(s)))
		return usage_error(o->cmd, _("--line must be a statement line's number"));
	return 0;
}

int
cmd_bank_mark(cli *c, const cli_opts *o)
{
	cj_voucher_info vi;
	cj_period per;
	int64_t line;
	int n, status;
	cj_org v;

	if ((status = arg_village(c, o, &v)) || (status = line_arg(o, &line)) ||
	    (status = arg_voucher_number(o, "voucher", &per, &n)))
		return status;
	if (cj_voucher_find_number(c->db, v.id, per, n, &vi) || cj_bank_mark(c->db, v.id, line, &vi))
		return fail_db(c, NULL);
	printf(_("statement line %lld reconciled with voucher %04d-%02d-%d\n"), (long long)line,
	       per.year, per.month, n);
	return 0;
}

int
cmd_bank_unmark(cli *c, const cli_opts *o)
{
	int64_t line;
	int status;
	cj_org v;

	if ((status = arg_village(c, o, &v)) || (status = line_arg(o, &line)))
		return status;
	if (cj_bank_unmark(c->db, v.id, line))
		return fail_db(c, NULL);
	printf(_("statement line %lld is no longer reconciled\n"), (long long)line);
	return 0;
}

/* --period, else the current month */
static int
month_arg(const cli_opts *o, cj_period *p)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	p->year = tm.tm_year + 1900;
	p->month = tm.tm_mon + 1;
	return arg_month(o, "period", p, 0);
}

int
cmd_bank_unreconciled(cli *c, const cli_opts *o)
{
	char acct[16];
	cj_period month;
	cj_report *r = NULL;
	out_format fmt;
	cj_org v;
	int status, err;

	if ((status = bank_args(c, o, &v, acct, sizeof acct)) || (status = arg_format(o, &fmt)) ||
	    (status = month_arg(o, &month)))
		return status;
	err = cj_report_bank_recon(c->db, v.code, acct, month, &r);
	/* the outstanding lines are the form's second table, whatever the sides say */
	return out_built(c, fmt, err == CJ_EUNBALANCED ? 0 : err, r, 1);
}

int
cmd_bank_reconcile(cli *c, const cli_opts *o)
{
	const char *path = opt_get(o, "out");
	char acct[16];
	cj_period month;
	cj_report *r = NULL;
	out_format f;
	cj_org v;
	int status, err;

	if ((status = out_file_format(o, OUT_SHEETS, &f)) || (status = bank_args(c, o, &v, acct, sizeof acct)) ||
	    (status = arg_month(o, "period", &month, 1)))
		return status;
	err = cj_report_bank_recon(c->db, v.code, acct, month, &r);
	if (err && err != CJ_EUNBALANCED)
		return fail_db(c, NULL);
	status = out_write(o, f, (const cj_report *const *)&r, 1);
	cj_report_free(r);
	if (status)
		return status;
	if (path)
		printf(_("wrote %s\n"), path);
	return err ? fail_db(c, NULL) : 0;
}
