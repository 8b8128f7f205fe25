/*
 * cmd_period.c - period close/reopen/list, year close
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <ledger/batch.h>
#include <reports/lists.h>

#include "cli.h"

int
cmd_period_close(cli *c, const cli_opts *o)
{
	cj_period p;
	cj_org v;
	char what[64];
	int status;

	if ((status = arg_month(o, "period", &p, 1)))
		return status;
	if (batch_wanted(o)) {
		snprintf(what, sizeof what, _("close of %04d-%02d"), p.year, p.month);
		return batch_run(c, o, what, cj_batch_period_close, &p, 1);
	}
	if ((status = arg_village(c, o, &v)))
		return status;
	if (cj_period_close(c->db, v.id, p, opt_get(o, "reason")))
		return fail_db(c, NULL);
	printf(_("period %04d-%02d of %s %s closed\n"), p.year, p.month, v.code, v.name);
	return 0;
}

int
cmd_period_reopen(cli *c, const cli_opts *o)
{
	cj_period p;
	cj_org v;
	int status;

	if ((status = arg_month(o, "period", &p, 1)))
		return status;
	if (!opt_has(o, "reason"))
		return usage_error(o->cmd, _("--reason is required: reopening is recorded"));
	if ((status = arg_village(c, o, &v)))
		return status;
	if (cj_period_reopen(c->db, v.id, p, opt_get(o, "reason")))
		return fail_db(c, NULL);
	printf(_("period %04d-%02d of %s %s reopened (recorded)\n"), p.year, p.month, v.code, v.name);
	return 0;
}

int
cmd_period_list(cli *c, const cli_opts *o)
{
	cj_report *r = NULL;
	out_format fmt;
	int status;

	if ((status = arg_format(o, &fmt)))
		return status;
	if (!opt_has(o, "village"))
		return usage_error(o->cmd, _("--village is required"));
	status = cj_list_periods(c->db, opt_get(o, "village"), &r);
	return out_built(c, fmt, status, r, -1);
}

int
cmd_year_close(cli *c, const cli_opts *o)
{
	cj_year_close_result r;
	cj_poster *poster;
	char money[CJ_MONEY_FMT_MAX];
	cj_org v;
	cj_batch_year by;
	char what[64];
	int y, status;

	if ((status = arg_year(o, "year", &y, 1)))
		return status;
	by.year = y;
	by.preparer = opt_get(o, "preparer") ? opt_get(o, "preparer") : getenv("USER");
	by.empty_months_ok = opt_has(o, "empty-months-ok");
	snprintf(what, sizeof what, _("year-end close of %d"), y);
	if (batch_wanted(o))
		return batch_run(c, o, what, cj_batch_year_close, &by, 1);
	if ((status = arg_village(c, o, &v)))
		return status;
	if (!by.empty_months_ok && cj_year_unposted(c->db, v.id, y))
		return fail_msg(_("year-end close of %s %d: %s"), v.code, y, cj_db_errmsg(c->db));
	if (opt_has(o, "dry-run")) {
		printf(_("would run the %s of %s %s; nothing was done (--dry-run)\n"), what, v.code, v.name);
		return 0;
	}
	snprintf(what, sizeof what, _("the year-end close of %s %d"), v.code, y);
	if ((status = confirm(o, what)))
		return status;
	if (cj_poster_new(&poster, c->db))
		return fail_msg(_("out of memory"));
	if (cj_year_close(poster, v.id, y,
			  opt_get(o, "preparer") ? opt_get(o, "preparer") : getenv("USER"), &r)) {
		status = fail_msg(_("year-end close of %s %d: %s"), v.code, y, cj_db_errmsg(c->db));
	} else {
		for (int i = 0; i < r.nvouchers; i++)
			printf(_("%04d-%02d-%d posted (closing voucher 记字第%d号)\n"), r.posted[i].period.year,
			       r.posted[i].period.month, r.posted[i].number, r.posted[i].number);
		printf(_("year %d of %s %s closed: net income %s moved to 322001 未分配收益; "
		       "balances carried into %d\n"),
		       y, v.code, v.name, out_money(money, r.net_income.fen, 0), y + 1);
	}
	cj_poster_free(poster);
	return status;
}
