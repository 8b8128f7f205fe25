/*
 * cmd_fund.c - funds, county allocations and their trace
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <reports/lists.h>

#include "cli.h"

static void
fund_spec_from(const cli_opts *o, cj_fund_spec *s)
{
	memset(s, 0, sizeof *s);
	s->code = opt_get(o, "code");
	s->name = opt_get(o, "name");
	s->kind = opt_get(o, "kind");
	s->source_level = opt_get(o, "source");
	s->doc_no = opt_get(o, "doc");
	s->holding_account = opt_get(o, "holding");
	s->allowed_accounts = opt_get(o, "allow-accounts");
	s->forbidden_accounts = opt_get(o, "forbid-accounts");
	s->allowed_categories = opt_get(o, "allow-categories");
	s->forbidden_categories = opt_get(o, "forbid-categories");
}

static int
check_fund_spec(const cli_opts *o, cj_fund_spec *s)
{
	int rc;

	if (!s->code || !s->name || !s->kind || !s->source_level)
		return usage_error(o->cmd, _("--code, --name, --kind and --source are required"));
	rc = arg_books_date(o, "doc-date", &s->doc_date, 0);
	if (!rc)
		rc = arg_money(o, "amount", &s->granted_fen, 1);
	return rc;
}

int
cmd_fund_add(cli *c, const cli_opts *o)
{
	cj_org v;
	cj_fund_spec s;
	int rc = arg_village(c, o, &v);

	if (rc)
		return rc;
	fund_spec_from(o, &s);
	rc = check_fund_spec(o, &s);
	if (rc)
		return rc;
	if (cj_fund_add(c->db, v.id, &s, NULL))
		return fail_db(c, _("adding the fund"));
	printf(_("fund %s added to %s %s\n"), s.code, v.code, v.name);
	return 0;
}

int
cmd_fund_list(cli *c, const cli_opts *o)
{
	const char *code = opt_get(o, "village");
	cj_report *r = NULL;
	out_format fmt;
	int status;

	if (!code)
		code = opt_get(o, "township");
	if (!code)
		code = opt_get(o, "county");
	if (!code)
		return usage_error(o->cmd, _("one of --village, --township or --county is required"));
	if ((status = arg_format(o, &fmt)))
		return status;
	status = cj_list_funds(c->db, code, &r);
	return out_built(c, fmt, status, r, -1);
}

/* The text shows both tables; CSV and JSON hold one, so that a spreadsheet or
 * a program reads it whole: --table lines (the default) or rules. */
int
cmd_fund_show(cli *c, const cli_opts *o)
{
	const char *code = opt_get(o, "code"), *table = opt_get(o, "table");
	cj_report *r = NULL;
	out_format fmt;
	int status;

	if (!opt_has(o, "village"))
		return usage_error(o->cmd, _("--village is required"));
	if (!code)
		return usage_error(o->cmd, _("--code is required"));
	if (table && strcmp(table, "rules") && strcmp(table, "lines"))
		return usage_error(o->cmd, _("--table must be rules or lines, not '%s'"), table);
	if ((status = arg_format(o, &fmt)))
		return status;
	if (!table && fmt != OUT_TEXT)
		table = "lines";
	status = cj_list_fund(c->db, opt_get(o, "village"), code, &r);
	return out_built(c, fmt, status, r, !table ? -1 : !strcmp(table, "rules") ? 0 : 1);
}

int
cmd_fund_close(cli *c, const cli_opts *o)
{
	cj_org v;
	const char *code = opt_get(o, "code");
	const char *status = opt_has(o, "returned") ? "returned" : "closed";
	int rc = arg_village(c, o, &v);

	if (rc)
		return rc;
	if (!code)
		return usage_error(o->cmd, _("--code is required"));
	if (cj_fund_set_status(c->db, v.id, code, status))
		return fail_db(c, _("closing the fund"));
	printf(_("fund %s is %s: it takes no new spending\n"), code, _(status));
	return 0;
}

int
cmd_fund_allocate(cli *c, const cli_opts *o)
{
	cj_org county;
	cj_fund_spec s;
	const char *code = opt_get(o, "county");
	const char **to;
	int nto, rc, *ids;
	int64_t *parts, id = 0;

	if (!code)
		return usage_error(o->cmd, _("--county is required"));
	fund_spec_from(o, &s);
	rc = check_fund_spec(o, &s);
	if (rc)
		return rc;
	if (!s.doc_no || !opt_get(o, "doc-date"))
		return usage_error(o->cmd, _("--doc and --doc-date (the allocation's 文号 and date) are "
					   "required"));
	to = opt_all(o, "to", &nto);
	if (nto == 0)
		return usage_error(o->cmd, _("give at least one --to VILLAGE=AMOUNT"));
	if (cj_org_find(c->db, code, &county))
		return fail_db(c, NULL);
	ids = calloc((size_t)nto, sizeof *ids);
	parts = calloc((size_t)nto, sizeof *parts);
	if (!ids || !parts) {
		free(ids);
		free(parts);
		return fail_msg(_("out of memory"));
	}
	for (int i = 0; i < nto && !rc; i++) {
		char vcode[64];
		const char *eq = strchr(to[i], '=');
		cj_money m;
		cj_org v;

		if (!eq || (size_t)(eq - to[i]) >= sizeof vcode || cj_money_parse(&m, eq + 1) ||
		    m.fen <= 0) {
			rc = usage_error(o->cmd, _("--to '%s': expected VILLAGE=AMOUNT"), to[i]);
			break;
		}
		memcpy(vcode, to[i], (size_t)(eq - to[i]));
		vcode[eq - to[i]] = '\0';
		if (cj_village_find(c->db, vcode, &v)) {
			rc = fail_db(c, NULL);
			break;
		}
		ids[i] = v.id;
		parts[i] = m.fen;
	}
	if (!rc && cj_allocation_add(c->db, county.id, &s, ids, parts, (size_t)nto, &id))
		rc = fail_db(c, _("allocating"));
	if (!rc)
		printf(_("allocation %s: %s split over %d village(s) as fund %s\n"), s.doc_no,
		       opt_get(o, "amount"), nto, s.code);
	free(ids);
	free(parts);
	return rc;
}

int
cmd_fund_trace(cli *c, const cli_opts *o)
{
	const char *county = opt_get(o, "county"), *doc = opt_get(o, "doc");
	cj_report *r = NULL;
	out_format fmt;
	int status;

	if (!county || !doc)
		return usage_error(o->cmd, _("--county and --doc are required"));
	if ((status = arg_format(o, &fmt)))
		return status;
	status = cj_list_trace(c->db, county, doc, &r);
	return out_built(c, fmt, status, r, -1);
}
