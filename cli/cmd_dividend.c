/*
 * cmd_dividend.c - dividend plan, post, pay and show (收益分配)
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* "10" or "12.5" percent into basis points. */
static int
arg_rate(const cli_opts *o, const char *name, int dflt, int *out)
{
	const char *v = opt_get(o, name);
	cj_money m;

	*out = dflt;
	if (!v)
		return 0;
	/* a percentage has at most two decimals, like an amount in yuan */
	if (cj_money_parse(&m, v) || m.fen < 0 || m.fen > 10000)
		return usage_error(o->cmd, "--%s '%s' is not a percentage between 0 and 100", name, v);
	*out = (int)m.fen;
	return 0;
}

static void
centi(char buf[32], int64_t v)
{
	snprintf(buf, 32, "%lld.%02lld", (long long)(v / 100), (long long)(v % 100));
}

static void
print_plan(const cj_org *v, const cj_dividend_plan *p)
{
	char a[CJ_MONEY_FMT_MAX], b[4][CJ_MONEY_FMT_MAX], s[32], on[16];
	int wcode = out_width("户编号"), whead = out_width("户主");

	cj_date_format(on, sizeof on, p->shares_on);
	printf("%s %s %d年度收益分配%s\n\n", v->code, v->name, p->year, p->posted ? " (已公布)" : " (方案)");
	printf("  本年收入            %18s\n", out_money(a, p->income_fen, 0));
	printf("  其中专项补助(不分配) %18s\n", out_money(a, p->earmarked_fen, 0));
	printf("  本年支出            %18s\n", out_money(a, p->expense_fen, 0));
	printf("  本年可分配收益      %18s\n", out_money(a, p->year_result_fen, 0));
	printf("  年初未分配收益      %18s\n", out_money(a, p->brought_forward_fen, 0));
	printf("  可分配收益合计      %18s\n", out_money(a, p->distributable_fen, 0));
	printf("  提取公积公益金 %3d.%02d%% %15s\n", p->reserve_rate_bp / 100, p->reserve_rate_bp % 100,
	       out_money(a, p->reserve_fen, 0));
	printf("  提取福利费     %3d.%02d%% %15s\n", p->welfare_rate_bp / 100, p->welfare_rate_bp % 100,
	       out_money(a, p->welfare_fen, 0));
	printf("  可向成员分配上限    %18s\n", out_money(a, p->max_pool_fen, 0));
	if (!p->posted) /* what the pool and welfare must stay within (严禁举债分配) */
		printf("  可用自有资金        %18s  (货币资金 %s - 短期借款 %s - 专项结余 %s - "
		       "未付分红 %s)\n",
		       out_money(a, p->own.own_fen, 0), out_money(b[0], p->own.cash_fen, 0),
		       out_money(b[1], p->own.borrowing_fen, 0), out_money(b[2], p->own.earmarked_fen, 0),
		       out_money(b[3], p->own.unpaid_dividends_fen, 0));
	printf("  本次分配总额        %18s\n", out_money(a, p->pool_fen, 0));
	centi(s, p->total_shares_centi);
	printf("  总股数 (%s)   %18s\n", on, s);
	centi(s, p->collective_shares_centi);
	printf("  集体股 %s 股, 所得留归集体 %s\n", s, out_money(a, p->collective_fen, 0));
	printf("  分配到户合计        %18s\n\n", out_money(a, p->households_fen, 0));
	for (size_t i = 0; i < p->nhouseholds; i++) {
		if (out_width(p->households[i].code) > wcode)
			wcode = out_width(p->households[i].code);
		if (out_width(p->households[i].head) > whead)
			whead = out_width(p->households[i].head);
	}
	out_pad(stdout, "户编号", wcode, 0);
	fputs("  ", stdout);
	out_pad(stdout, "户主", whead, 0);
	printf("  %-18s  %10s  %14s%s\n", "身份证号", "股数", "分红金额", p->posted ? "  状态" : "");
	for (size_t i = 0; i < p->nhouseholds; i++) {
		const cj_dividend_household *h = &p->households[i];
		out_pad(stdout, h->code, wcode, 0);
		fputs("  ", stdout);
		out_pad(stdout, h->head, whead, 0);
		centi(s, h->shares_centi);
		printf("  %-18s  %10s  %14s%s\n", h->id_masked, s, out_money(a, h->amount_fen, 0),
		       p->posted ? (h->paid ? "  已付" : "  未付") : "");
	}
	printf("\n分配方法: %s\n", CJ_DIVIDEND_METHOD);
}

static int
compute(cli *c, const cli_opts *o, cj_org *v, cj_dividend_plan *plan)
{
	const char *year = opt_get(o, "year");
	int reserve, welfare, rc;
	int64_t pool = -1;
	cj_date on;

	if ((rc = arg_village(c, o, v)))
		return rc;
	if (!year || atoi(year) < 1900)
		return usage_error(o->cmd, "--year YYYY is required");
	if ((rc = arg_rate(o, "reserve", 1000, &reserve)) || (rc = arg_rate(o, "welfare", 0, &welfare)))
		return rc;
	if (opt_get(o, "pool")) {
		cj_money m;
		if (cj_money_parse(&m, opt_get(o, "pool")) || m.fen <= 0)
			return usage_error(o->cmd, "--pool '%s' is not a positive amount",
					   opt_get(o, "pool"));
		pool = m.fen;
	}
	on.year = atoi(year);
	on.month = 12;
	on.day = 31;
	if (opt_get(o, "on") && cj_date_parse(&on, opt_get(o, "on")))
		return usage_error(o->cmd, "--on '%s' is not a date", opt_get(o, "on"));
	if (cj_dividend_compute(c->db, v->id, atoi(year), reserve, welfare, pool, on, plan))
		return fail_db(c, "planning the distribution");
	return 0;
}

int
cmd_dividend_plan(cli *c, const cli_opts *o)
{
	cj_org v;
	cj_dividend_plan plan;
	int rc = compute(c, o, &v, &plan);

	if (rc)
		return rc;
	print_plan(&v, &plan);
	cj_dividend_plan_free(&plan);
	return 0;
}

int
cmd_dividend_post(cli *c, const cli_opts *o)
{
	cj_org v;
	cj_dividend_plan plan;
	cj_poster *poster;
	cj_posted out;
	cj_date d;
	int rc;

	if (!opt_get(o, "date") || cj_date_parse(&d, opt_get(o, "date")))
		return usage_error(o->cmd, "--date YYYY-MM-DD (the declaration's date) is required");
	rc = compute(c, o, &v, &plan);
	if (rc)
		return rc;
	if (cj_poster_new(&poster, c->db)) {
		cj_dividend_plan_free(&plan);
		return fail_msg("out of memory");
	}
	rc = cj_dividend_post(poster, &plan, d, &out);
	cj_poster_free(poster);
	if (rc)
		rc = fail_db(c, "declaring the distribution");
	else
		printf("%04d-%02d-%d posted: 记字第%d号 %d年度收益分配, %zu households\n",
		       out.period.year, out.period.month, out.number, out.number, plan.year,
		       plan.nhouseholds);
	cj_dividend_plan_free(&plan);
	return rc;
}

int
cmd_dividend_pay(cli *c, const cli_opts *o)
{
	cj_org v;
	cj_poster *poster;
	cj_date d;
	const char *year = opt_get(o, "year");
	const char **codes;
	int ncodes, rc = arg_village(c, o, &v);
	size_t npaid = 0;

	if (rc)
		return rc;
	if (!year || !opt_get(o, "date") || cj_date_parse(&d, opt_get(o, "date")))
		return usage_error(o->cmd, "--year and --date are required");
	codes = opt_all(o, "household", &ncodes);
	if (cj_poster_new(&poster, c->db))
		return fail_msg("out of memory");
	rc = cj_dividend_pay(poster, v.id, atoi(year), d, opt_get(o, "bank"), codes, (size_t)ncodes,
			     &npaid);
	cj_poster_free(poster);
	if (rc)
		return fail_db(c, "paying dividends");
	printf("paid %zu household(s) their %s dividend\n", npaid, year);
	return 0;
}

int
cmd_dividend_show(cli *c, const cli_opts *o)
{
	cj_org v;
	cj_dividend_plan plan;
	const char *year = opt_get(o, "year");
	int rc = arg_village(c, o, &v);

	if (rc)
		return rc;
	if (!year)
		return usage_error(o->cmd, "--year is required");
	if (cj_dividend_load(c->db, v.id, atoi(year), &plan))
		return fail_db(c, NULL);
	print_plan(&v, &plan);
	cj_dividend_plan_free(&plan);
	return 0;
}
