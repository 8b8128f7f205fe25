/*
 * cmd_project.c - projects (项目) and anti-risk aid (防返贫基金)
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <reports/lists.h>

#include "cli.h"

int
cmd_project_add(cli *c, const cli_opts *o)
{
	cj_org v;
	cj_project_spec s;
	const char **budget;
	const char **sources = NULL;
	int64_t *amounts = NULL;
	int nbudget, rc = arg_village(c, o, &v);

	if (rc)
		return rc;
	memset(&s, 0, sizeof s);
	s.code = opt_get(o, "code");
	s.name = opt_get(o, "name");
	s.category = opt_get(o, "category");
	if (!s.code || !s.name || !s.category)
		return usage_error(o->cmd, _("--code, --name and --category are required"));
	s.content = opt_get(o, "content");
	s.implementing_unit = opt_get(o, "unit");
	s.responsible = opt_get(o, "responsible");
	s.goals = opt_get(o, "goals");
	s.benefit_mechanism = opt_get(o, "mechanism");
	if ((rc = arg_books_date(o, "start", &s.start, 0)))
		return rc;
	/* the planned end may lie beyond the books' dates */
	if (opt_get(o, "end") && cj_date_parse(&s.end, opt_get(o, "end")))
		return usage_error(o->cmd, _("--end '%s' is not a date (YYYY-MM-DD)"), opt_get(o, "end"));
	s.households = opt_get(o, "households") ? atoi(opt_get(o, "households")) : 0;
	s.poverty_households = opt_get(o, "poverty") ? atoi(opt_get(o, "poverty")) : 0;
	s.monitored_households = opt_get(o, "monitored") ? atoi(opt_get(o, "monitored")) : 0;
	budget = opt_all(o, "budget", &nbudget);
	if (nbudget == 0)
		return usage_error(o->cmd, _("give the budget: --budget SOURCE=AMOUNT (repeat per source)"));
	sources = calloc((size_t)nbudget, sizeof *sources);
	amounts = calloc((size_t)nbudget, sizeof *amounts);
	char **copies = calloc((size_t)nbudget, sizeof *copies);
	if (!sources || !amounts || !copies) {
		rc = fail_msg(_("out of memory"));
		goto done;
	}
	for (int i = 0; i < nbudget; i++) {
		char *eq;
		cj_money m;

		copies[i] = strdup(budget[i]);
		eq = copies[i] ? strchr(copies[i], '=') : NULL;
		if (!eq || eq == copies[i] || cj_money_parse(&m, eq + 1) || m.fen <= 0) {
			rc = usage_error(o->cmd, _("--budget '%s': expected SOURCE=AMOUNT, e.g. 中央=500000 "
						 "or XJ2025-01=500000"),
					 budget[i]);
			goto done;
		}
		*eq = '\0';
		sources[i] = copies[i];
		amounts[i] = m.fen;
	}
	s.budget_sources = sources;
	s.budget_fen = amounts;
	s.nbudget = (size_t)nbudget;
	if (cj_project_add(c->db, v.id, &s, NULL))
		rc = fail_db(c, _("adding the project"));
	else
		printf(_("project %s %s added to %s %s (planned)\n"), s.code, s.name, v.code, v.name);
done:
	for (int i = 0; copies && i < nbudget; i++)
		free(copies[i]);
	free(copies);
	free(sources);
	free(amounts);
	return rc;
}

int
cmd_project_list(cli *c, const cli_opts *o)
{
	cj_report *r = NULL;
	out_format fmt;
	int status;

	if (!opt_has(o, "village"))
		return usage_error(o->cmd, _("--village is required"));
	if ((status = arg_format(o, &fmt)))
		return status;
	status = cj_list_projects(c->db, opt_get(o, "village"), &r);
	return out_built(c, fmt, status, r, -1);
}

int
cmd_project_start(cli *c, const cli_opts *o)
{
	cj_org v;
	cj_date d;
	const char *code;
	int rc = arg_village(c, o, &v);

	if (rc || (rc = arg_required(o, "code", &code)) || (rc = arg_books_date(o, "date", &d, 1)))
		return rc;
	if (cj_project_start(c->db, v.id, code, d))
		return fail_db(c, _("starting the project"));
	printf(_("project %s started\n"), code);
	return 0;
}

void
print_action_drafts(const cj_org *v, const cj_submitted *s, size_t n, const char *what)
{
	if (n == 1) {
		printf(_("草稿%lld saved: review required; %s takes effect once another login reviews "
			 "it (cunji voucher review --village %s --draft %lld) and it is posted (cunji "
			 "voucher post --village %s --draft %lld)\n"),
		       (long long)s[0].draft_id, what, v->code, (long long)s[0].draft_id, v->code,
		       (long long)s[0].draft_id);
		return;
	}
	printf(_("%zu drafts saved as batch %lld:"), n, (long long)s[0].batch_id);
	for (size_t i = 0; i < n; i++)
		printf(" 草稿%lld", (long long)s[i].draft_id);
	printf(_("; review required: %s takes effect once another login reviews them (cunji "
		 "voucher review --batch %lld) and they are posted (cunji voucher post --batch %lld)\n"),
	       what, (long long)s[0].batch_id, (long long)s[0].batch_id);
}

int
cmd_project_pay(cli *c, const cli_opts *o)
{
	cj_org v;
	cj_project_payment pay;
	cj_poster *poster;
	cj_submitted out;
	int rc = arg_village(c, o, &v);

	if (rc)
		return rc;
	memset(&pay, 0, sizeof pay);
	pay.fund = opt_get(o, "fund");
	pay.account = opt_get(o, "account");
	pay.bank = opt_get(o, "bank");
	pay.summary = opt_get(o, "summary");
	if ((rc = arg_required(o, "project", &pay.project)) ||
	    (rc = arg_required(o, "tranche", &pay.tranche)) ||
	    (rc = arg_required(o, "payee", &pay.payee)) || (rc = arg_books_date(o, "date", &pay.date, 1)) ||
	    (rc = arg_money(o, "amount", &pay.amount_fen, 1)))
		return rc;
	if (cj_poster_new(&poster, c->db))
		return fail_msg(_("out of memory"));
	rc = cj_project_pay(poster, v.id, &pay, &out);
	cj_poster_free(poster);
	if (rc)
		return fail_db(c, _("paying the project"));
	if (out.draft_id)
		print_action_drafts(&v, &out, 1, _("the tranche payment"));
	else
		printf(_("%04d-%02d-%d posted: 记字第%d号 %s %s %s\n"), out.posted.period.year,
		       out.posted.period.month, out.posted.number, out.posted.number, pay.project,
		       pay.tranche, pay.payee);
	return 0;
}

int
cmd_project_accept(cli *c, const cli_opts *o)
{
	cj_org v;
	cj_date d;
	const char *code, *kind;
	cj_poster *poster;
	cj_submitted out[2];
	int n = 0, rc = arg_village(c, o, &v);

	if (rc || (rc = arg_required(o, "code", &code)) || (rc = arg_books_date(o, "date", &d, 1)) ||
	    (rc = arg_required(o, "asset-kind", &kind)))
		return rc;
	if (strcmp(kind, "经营性") && strcmp(kind, "公益性") && strcmp(kind, "到户"))
		return usage_error(o->cmd, _("--asset-kind must be 经营性, 公益性 or 到户"));
	if (cj_poster_new(&poster, c->db))
		return fail_msg(_("out of memory"));
	rc = cj_project_accept(poster, v.id, code, d, kind, opt_get(o, "asset-account"), out, &n);
	cj_poster_free(poster);
	if (rc)
		return fail_db(c, _("accepting the project"));
	if (n && out[0].draft_id) {
		print_action_drafts(&v, out, (size_t)n, _("the project's acceptance"));
		return 0;
	}
	printf(_("project %s accepted, forming a %s asset\n"), code, kind);
	for (int i = 0; i < n; i++)
		printf(_("%04d-%02d-%d posted: 记字第%d号\n"), out[i].posted.period.year,
		       out[i].posted.period.month, out[i].posted.number, out[i].posted.number);
	return 0;
}

/* ---- anti-risk aid ---- */

int
cmd_aid_rule(cli *c, const cli_opts *o)
{
	cj_org county;
	const char *code = opt_get(o, "county"), *times = opt_get(o, "times");
	int64_t person = 0, household = 0, endow = 0;
	int rc;

	if (!code || !times || atoi(times) <= 0)
		return usage_error(o->cmd, _("--county and --times N (N > 0) are required"));
	if ((rc = arg_money(o, "per-person", &person, 1)) ||
	    (rc = arg_money(o, "per-household", &household, 1)) ||
	    (rc = arg_money(o, "min-endowment", &endow, 0)))
		return rc;
	if (cj_org_find(c->db, code, &county))
		return fail_db(c, NULL);
	if (cj_aid_rule_set(c->db, county.id, person, household, atoi(times), endow))
		return fail_db(c, _("setting the aid caps"));
	printf(_("aid caps for %s %s: %s per person, %s per household a year, %s time(s) a year\n"),
	       county.code, county.name, opt_get(o, "per-person"), opt_get(o, "per-household"),
	       times);
	return 0;
}

int
cmd_aid_pay(cli *c, const cli_opts *o)
{
	cj_org v;
	cj_aid aid;
	cj_poster *poster;
	cj_submitted out;
	int rc = arg_village(c, o, &v);

	if (rc)
		return rc;
	memset(&aid, 0, sizeof aid);
	aid.persons = opt_get(o, "persons") ? atoi(opt_get(o, "persons")) : 1;
	aid.bank = opt_get(o, "bank");
	if ((rc = arg_required(o, "fund", &aid.fund)) ||
	    (rc = arg_required(o, "household", &aid.household)) ||
	    (rc = arg_required(o, "reason", &aid.reason)) ||
	    (rc = arg_required(o, "applicant", &aid.applicant)) ||
	    (rc = arg_required(o, "township-review", &aid.township_review)) ||
	    (rc = arg_required(o, "county-record", &aid.county_record)) ||
	    (rc = arg_books_date(o, "date", &aid.date, 1)) || (rc = arg_money(o, "amount", &aid.amount_fen, 1)))
		return rc;
	if (cj_poster_new(&poster, c->db))
		return fail_msg(_("out of memory"));
	rc = cj_aid_pay(poster, v.id, &aid, &out);
	cj_poster_free(poster);
	if (rc)
		return fail_db(c, _("paying aid"));
	if (out.draft_id)
		print_action_drafts(&v, &out, 1, _("the aid payment"));
	else
		printf(_("%04d-%02d-%d posted: 记字第%d号 aid to household %s\n"),
		       out.posted.period.year, out.posted.period.month, out.posted.number,
		       out.posted.number, aid.household);
	return 0;
}
