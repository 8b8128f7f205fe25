/*
 * cmd_period.c - period close/reopen/list, year close
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <ledger/sql.h> /* temporary: until this file calls library functions only */

#include "cli.h"

int
cmd_period_close(cli *c, const cli_opts *o)
{
	cj_period p;
	cj_org v;
	int status;

	if ((status = arg_period(o, "period", &p, 1)) || (status = arg_village(c, o, &v)))
		return status;
	if (cj_period_close(c->db, v.id, p, opt_get(o, "reason")))
		return fail_db(c, NULL);
	printf("period %04d-%02d of %s %s closed\n", p.year, p.month, v.code, v.name);
	return 0;
}

int
cmd_period_reopen(cli *c, const cli_opts *o)
{
	cj_period p;
	cj_org v;
	int status;

	if ((status = arg_period(o, "period", &p, 1)))
		return status;
	if (!opt_has(o, "reason"))
		return usage_error(o->cmd, "--reason is required: reopening is recorded");
	if ((status = arg_village(c, o, &v)))
		return status;
	if (cj_period_reopen(c->db, v.id, p, opt_get(o, "reason")))
		return fail_db(c, NULL);
	printf("period %04d-%02d of %s %s reopened (recorded)\n", p.year, p.month, v.code, v.name);
	return 0;
}

int
cmd_period_list(cli *c, const cli_opts *o)
{
	char id[16];
	const char *params[1] = {id};
	PGresult *res;
	cj_org v;
	int status;

	if ((status = arg_village(c, o, &v)))
		return status;
	snprintf(id, sizeof id, "%d", v.id);
	if (cj_db_exec(c->db, &res,
		       "SELECT to_char(period, 'YYYY-MM'), CASE WHEN closed THEN 'closed' ELSE "
		       "'open' END FROM period_state WHERE village_id = $1 ORDER BY period",
		       1, params))
		return fail_db(c, NULL);
	printf("%s %s: books from %04d-%02d; months not listed are open\n", v.code, v.name,
	       v.start.year, v.start.month);
	for (int i = 0; i < PQntuples(res); i++)
		printf("  %s  %s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
	PQclear(res);
	if (cj_db_exec(c->db, &res,
		       "SELECT to_char(at, 'YYYY-MM-DD HH24:MI'), to_char(period, 'YYYY-MM'), action,\n"
		       "       by_user, reason FROM period_event WHERE village_id = $1 ORDER BY id",
		       1, params))
		return fail_db(c, NULL);
	if (PQntuples(res))
		printf("record:\n");
	for (int i = 0; i < PQntuples(res); i++)
		printf("  %s  %s %-6s by %s%s%s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
		       PQgetvalue(res, i, 2), PQgetvalue(res, i, 3),
		       PQgetvalue(res, i, 4)[0] ? ": " : "", PQgetvalue(res, i, 4));
	PQclear(res);
	return 0;
}

int
cmd_year_close(cli *c, const cli_opts *o)
{
	const char *year = opt_get(o, "year");
	cj_year_close_result r;
	cj_poster *poster;
	char *end, money[CJ_MONEY_FMT_MAX];
	cj_org v;
	long y;
	int status;

	if (!year)
		return usage_error(o->cmd, "--year is required");
	y = strtol(year, &end, 10);
	if (*end || y < 1900 || y > 9999)
		return usage_error(o->cmd, "--year '%s' is not a year", year);
	if ((status = arg_village(c, o, &v)))
		return status;
	if (cj_poster_new(&poster, c->db))
		return fail_msg("out of memory");
	if (cj_year_close(poster, v.id, (int)y,
			  opt_get(o, "preparer") ? opt_get(o, "preparer") : getenv("USER"), &r)) {
		status = fail_msg("year-end close of %s %ld: %s", v.code, y, cj_db_errmsg(c->db));
	} else {
		for (int i = 0; i < r.nvouchers; i++)
			printf("%04d-%02d-%d posted (closing voucher 记字第%d号)\n", r.posted[i].period.year,
			       r.posted[i].period.month, r.posted[i].number, r.posted[i].number);
		printf("year %ld of %s %s closed: net income %s moved to 322001 未分配收益; "
		       "balances carried into %ld\n",
		       y, v.code, v.name, out_money(money, r.net_income.fen, 0), y + 1);
	}
	cj_poster_free(poster);
	return status;
}
