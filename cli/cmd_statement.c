/*
 * cmd_statement.c - cunji statement balance-sheet|income|balances|detail|
 * ledger|all: the statements of a village as text, XLSX or PDF
 *
 * The builders (reports/statements.c) return a format-neutral model; this
 * file writes it in the format asked for (out.c).  A statement whose figures do not agree
 * (资产总计 against 负债和所有者权益总计, the distribution arithmetic, the
 * trial balance) is still written, with a note on it, and the command then
 * fails with the figures on stderr.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <reports/report.h>
#include <reports/statements.h>

#include "cli.h"

typedef int (*builder)(cj_db *db, const char *village, cj_span span, cj_report **out);

static int
common(const cli_opts *o, cj_span *span, out_format *f)
{
	int status;

	if (o->npos)
		return usage_error(o->cmd, _("unexpected argument '%s'"), o->pos[0]);
	if (batch_wanted(o) && opt_get(o, "village"))
		return usage_error(o->cmd, _("--village or --township/--villages, not both"));
	if (!batch_wanted(o) && !opt_get(o, "village"))
		return usage_error(o->cmd, _("--village is required"));
	if (opt_has(o, "summary") && (!opt_get(o, "township") || opt_has(o, "villages")))
		return usage_error(o->cmd, _("--summary is of a whole township: --township CODE, "
					     "without --villages"));
	if ((status = arg_span(o, "period", span, 1)) || (status = out_file_format(o, OUT_SHEETS, f)))
		return status;
	return 0;
}

/*
 * Build each statement; render whatever was built, unbalanced ones too, and
 * fail afterwards if any was refused or does not agree.
 */
/*
 * Many villages (--township, --villages): each village's statements all or
 * nothing, one file holding every village done (village by village), the
 * summary of done / refused / left; with --summary the township's 汇总 of
 * the balance sheet and the income statement first, checked against the
 * villages'.
 */
static int
run_many(cli *c, const cli_opts *o, int which, const char *account)
{
	cj_statement_set set = {.which = which, .account = account};
	cj_report **all = NULL;
	char what[128], label[CJ_SPAN_TEXT_MAX], problem[2048] = "";
	size_t n = 0;
	out_format f;
	int status, batch;

	if ((status = common(o, &set.span, &f)))
		return status;
	if (opt_has(o, "summary") && !(which & (CJ_ST_BALANCE_SHEET | CJ_ST_INCOME)))
		return usage_error(o->cmd, _("--summary is made of the balance sheet and the income "
					     "statement"));
	snprintf(what, sizeof what, _("statements of %s"), cj_span_label(label, sizeof label, set.span));
	batch = batch_run_to(c, o, what, cj_statement_set_step, &set, 0,
			     f == OUT_TEXT && !opt_get(o, "out") ? stderr : stdout);
	if (!set.n && batch) {
		cj_statement_set_free(&set);
		return batch;
	}
	if (!(all = calloc(set.n + 2, sizeof *all))) {
		cj_statement_set_free(&set);
		return fail_msg(_("out of memory"));
	}
	for (int kind = CJ_ST_BALANCE_SHEET; opt_has(o, "summary") && kind <= CJ_ST_INCOME; kind <<= 1) {
		cj_report *r = NULL;
		int err;

		if (!(which & kind))
			continue;
		err = cj_statement_township(c->db, kind, opt_get(o, "township"), &set, &r);
		if (err && !problem[0])
			snprintf(problem, sizeof problem, "%s", cj_db_errmsg(c->db));
		if (r)
			all[n++] = r;
	}
	for (size_t i = 0; i < set.n; i++)
		all[n++] = set.reports[i];
	status = n ? out_write(o, f, (const cj_report *const *)all, n) : 0;
	if (!status && problem[0])
		status = fail_msg(_("no township summary: %s"), problem);
	if (!status)
		status = batch;
	for (size_t i = 0; i < n - set.n; i++)
		cj_report_free(all[i]);
	free(all);
	cj_statement_set_free(&set);
	return status;
}

static int
run(cli *c, const cli_opts *o, const builder *builders, size_t n)
{
	cj_report *reports[8] = {0};
	char first_error[2048] = "";
	size_t built = 0;
	cj_span span;
	out_format f;
	int status, unbalanced = 0;

	if ((status = common(o, &span, &f)))
		return status;
	for (size_t i = 0; i < n; i++) {
		cj_report *r = NULL;
		int err = builders[i](c->db, opt_get(o, "village"), span, &r);

		if (err && err != CJ_EUNBALANCED) {
			status = fail_db(c, NULL);
			goto done;
		}
		if (err && !first_error[0]) {
			snprintf(first_error, sizeof first_error, "%s", cj_db_errmsg(c->db));
			unbalanced = 1;
		}
		reports[built++] = r;
	}
	status = out_write(o, f, (const cj_report *const *)reports, built);
	if (!status && unbalanced)
		status = fail_msg("%s", first_error);
done:
	for (size_t i = 0; i < built; i++)
		cj_report_free(reports[i]);
	return status;
}

int
cmd_statement_balance_sheet(cli *c, const cli_opts *o)
{
	static const builder b[] = {cj_statement_balance_sheet};

	if (batch_wanted(o))
		return run_many(c, o, CJ_ST_BALANCE_SHEET, NULL);
	return run(c, o, b, 1);
}

int
cmd_statement_income(cli *c, const cli_opts *o)
{
	static const builder b[] = {cj_statement_income};

	if (batch_wanted(o))
		return run_many(c, o, CJ_ST_INCOME, NULL);
	return run(c, o, b, 1);
}

int
cmd_statement_balances(cli *c, const cli_opts *o)
{
	static const builder b[] = {cj_statement_balances};

	if (batch_wanted(o))
		return run_many(c, o, CJ_ST_BALANCES, NULL);
	return run(c, o, b, 1);
}

int
cmd_statement_detail(cli *c, const cli_opts *o)
{
	static const builder b[] = {cj_statement_detail};

	if (batch_wanted(o))
		return run_many(c, o, CJ_ST_DETAIL, NULL);
	return run(c, o, b, 1);
}

int
cmd_statement_all(cli *c, const cli_opts *o)
{
	static const builder b[] = {cj_statement_balance_sheet, cj_statement_income,
				    cj_statement_balances, cj_statement_detail};

	if (batch_wanted(o))
		return run_many(c, o, CJ_ST_BALANCE_SHEET | CJ_ST_INCOME | CJ_ST_BALANCES | CJ_ST_DETAIL, NULL);
	return run(c, o, b, sizeof b / sizeof b[0]);
}

int
cmd_statement_ledger(cli *c, const cli_opts *o)
{
	const char *account = opt_get(o, "account");
	cj_report *r = NULL;
	cj_span span;
	out_format f;
	int status;

	if (!account)
		return usage_error(o->cmd, _("--account is required"));
	if (batch_wanted(o))
		return run_many(c, o, CJ_ST_LEDGER, account);
	if ((status = common(o, &span, &f)))
		return status;
	if (cj_statement_ledger(c->db, opt_get(o, "village"), account, span, &r))
		return fail_db(c, NULL);
	status = out_write(o, f, (const cj_report *const *)&r, 1);
	cj_report_free(r);
	return status;
}
