/*
 * cmd_dividend.c - dividend plan, post, pay and show (收益分配)
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <reports/lists.h>

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
		return usage_error(o->cmd, _("--%s '%s' is not a percentage between 0 and 100"), name, v);
	*out = (int)m.fen;
	return 0;
}

/* The plan as a report (reports/lists_dividend.c), on the terminal. */
static int
print_plan(const cj_org *v, const cj_dividend_plan *p)
{
	cj_report *r;
	int status;

	if (cj_list_dividend(v, p, &r))
		return fail_msg(_("out of memory"));
	status = out_report(OUT_TEXT, r, -1);
	cj_report_free(r);
	return status;
}

static int
compute(cli *c, const cli_opts *o, cj_org *v, cj_dividend_plan *plan)
{
	int year, reserve, welfare, rc;
	int64_t pool = -1;
	cj_date on;

	if ((rc = arg_year(o, "year", &year, 1)) || (rc = arg_village(c, o, v)))
		return rc;
	if ((rc = arg_rate(o, "reserve", 1000, &reserve)) || (rc = arg_rate(o, "welfare", 0, &welfare)))
		return rc;
	if (opt_get(o, "pool")) {
		cj_money m;
		if (cj_money_parse(&m, opt_get(o, "pool")) || m.fen <= 0)
			return usage_error(o->cmd, _("--pool '%s' is not a positive amount"),
					   opt_get(o, "pool"));
		pool = m.fen;
	}
	on = (cj_date){year, 12, 31};
	if (opt_get(o, "on") && cj_date_parse(&on, opt_get(o, "on")))
		return usage_error(o->cmd, _("--on '%s' is not a date"), opt_get(o, "on"));
	if (cj_dividend_compute(c->db, v->id, year, reserve, welfare, pool, on, plan))
		return fail_db(c, _("planning the distribution"));
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
	rc = print_plan(&v, &plan);
	cj_dividend_plan_free(&plan);
	return rc;
}

int
cmd_dividend_post(cli *c, const cli_opts *o)
{
	cj_org v;
	cj_dividend_plan plan;
	cj_poster *poster;
	cj_submitted out;
	cj_date d;
	int rc;

	if (!opt_get(o, "date") || cj_date_parse(&d, opt_get(o, "date")))
		return usage_error(o->cmd, _("--date YYYY-MM-DD (the declaration's date) is required"));
	rc = compute(c, o, &v, &plan);
	if (rc)
		return rc;
	if (cj_poster_new(&poster, c->db)) {
		cj_dividend_plan_free(&plan);
		return fail_msg(_("out of memory"));
	}
	rc = cj_dividend_post(poster, &plan, d, &out);
	cj_poster_free(poster);
	if (rc)
		rc = fail_db(c, _("declaring the distribution"));
	else if (out.draft_id)
		print_action_drafts(&v, &out, 1, _("the distribution"));
	else
		printf(_("%04d-%02d-%d posted: 记字第%d号 %d年度收益分配, %zu households\n"),
		       out.posted.period.year, out.posted.period.month, out.posted.number,
		       out.posted.number, plan.year, plan.nhouseholds);
	cj_dividend_plan_free(&plan);
	return rc;
}

int
cmd_dividend_pay(cli *c, const cli_opts *o)
{
	cj_org v;
	cj_poster *poster;
	cj_date d;
	const char **codes;
	int year, ncodes, rc;
	size_t npaid = 0;
	int64_t batch = 0;

	if ((rc = arg_year(o, "year", &year, 1)) || (rc = arg_village(c, o, &v)))
		return rc;
	if (!opt_get(o, "date") || cj_date_parse(&d, opt_get(o, "date")))
		return usage_error(o->cmd, _("--date YYYY-MM-DD (the payment's date) is required"));
	codes = opt_all(o, "household", &ncodes);
	if (cj_poster_new(&poster, c->db))
		return fail_msg(_("out of memory"));
	rc = cj_dividend_pay(poster, v.id, year, d, opt_get(o, "bank"), codes, (size_t)ncodes, &npaid,
			     &batch);
	cj_poster_free(poster);
	if (rc)
		return fail_db(c, _("paying dividends"));
	if (batch)
		printf(_("%zu draft(s) saved as batch %lld, one per household; review required: the "
			 "dividends are paid once another login reviews them (cunji voucher review "
			 "--batch %lld) and they are posted (cunji voucher post --batch %lld)\n"),
		       npaid, (long long)batch, (long long)batch, (long long)batch);
	else
		printf(_("paid %zu household(s) their %d dividend\n"), npaid, year);
	return 0;
}

int
cmd_dividend_show(cli *c, const cli_opts *o)
{
	cj_org v;
	cj_dividend_plan plan;
	int year, rc;

	if ((rc = arg_year(o, "year", &year, 1)) || (rc = arg_village(c, o, &v)))
		return rc;
	if (cj_dividend_load(c->db, v.id, year, &plan))
		return fail_db(c, NULL);
	rc = print_plan(&v, &plan);
	cj_dividend_plan_free(&plan);
	return rc;
}
