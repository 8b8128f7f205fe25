/*
 * cmd_fund.c - funds, allocations and their trace, projects, anti-risk aid
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <ledger/sql.h> /* temporary: until this file calls library functions only */

#include "cli.h"

/* --name AMOUNT in yuan into fen; required or not. */
static int
arg_money(const cli_opts *o, const char *name, int64_t *out, int required)
{
	const char *v = opt_get(o, name);
	cj_money m;

	if (!v) {
		if (required)
			return usage_error(o->cmd, "--%s is required", name);
		return 0;
	}
	if (cj_money_parse(&m, v) || m.fen <= 0)
		return usage_error(o->cmd, "--%s '%s' is not a positive amount in yuan", name, v);
	*out = m.fen;
	return 0;
}

static int
arg_required(const cli_opts *o, const char *name, const char **out)
{
	*out = opt_get(o, name);
	if (!*out)
		return usage_error(o->cmd, "--%s is required", name);
	return 0;
}

/* Run a query with one village id (and more text parameters) and print it. */
static int
print_query(cli *c, const cli_opts *o, const char *sql, int nparams, const char *const *params)
{
	out_format fmt;
	PGresult *res;

	if (out_format_parse(opt_get(o, "format"), &fmt))
		return usage_error(o->cmd, "--format must be text, csv or json");
	if (cj_db_exec(c->db, &res, sql, nparams, params))
		return fail_db(c, NULL);
	out_result(stdout, res, fmt);
	PQclear(res);
	return 0;
}

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
		return usage_error(o->cmd, "--code, --name, --kind and --source are required");
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
		return fail_db(c, "adding the fund");
	printf("fund %s added to %s %s\n", s.code, v.code, v.name);
	return 0;
}

/* Every fund under an organisation (village, township or county). */
static const char fund_list_sql[] =
	"WITH v AS (SELECT o.id, o.code, o.name FROM org o\n"
	"            LEFT JOIN org t ON t.id = o.parent_id\n"
	"           WHERE o.level = 'village' AND $1 IN (o.code, t.code,\n"
	"                 (SELECT c.code FROM org c WHERE c.id = t.parent_id)))\n"
	"SELECT * FROM (\n"
	"  SELECT v.code AS \"village|村\", f.code AS \"fund|资金代码\", f.name AS \"name|资金名称\",\n"
	"         f.kind AS \"kind|类别\", f.source_level AS \"source|来源\", f.doc_no AS \"doc|文号\",\n"
	"         f.status AS \"status|状态\", f.granted_fen AS \"granted_fen|下达\",\n"
	"         coalesce(t.received_fen, 0) AS \"received_fen|到位\",\n"
	"         coalesce(t.spent_fen, 0) AS \"spent_fen|支出\",\n"
	"         coalesce(t.received_fen - t.spent_fen, 0) AS \"left_fen|结余\"\n"
	"    FROM v JOIN fund f ON f.village_id = v.id\n"
	"    LEFT JOIN fund_total t ON t.village_id = f.village_id AND t.fund_id = f.id\n"
	"   ORDER BY v.code, f.code) x\n"
	"UNION ALL\n"
	"SELECT '合计', '', '', '', '', '', '', coalesce(sum(f.granted_fen), 0),\n"
	"       coalesce(sum(t.received_fen), 0), coalesce(sum(t.spent_fen), 0),\n"
	"       coalesce(sum(t.received_fen - t.spent_fen), 0)\n"
	"  FROM v JOIN fund f ON f.village_id = v.id\n"
	"  LEFT JOIN fund_total t ON t.village_id = f.village_id AND t.fund_id = f.id";

int
cmd_fund_list(cli *c, const cli_opts *o)
{
	const char *code = opt_get(o, "village");

	if (!code)
		code = opt_get(o, "township");
	if (!code)
		code = opt_get(o, "county");
	if (!code)
		return usage_error(o->cmd, "one of --village, --township or --county is required");
	return print_query(c, o, fund_list_sql, 1, &code);
}

/* One fund: its rules, then every line that moved its money.  CSV and JSON
 * hold one table (--table), so that a spreadsheet or a program reads it whole. */
static const char fund_rules_sql[] =
	"SELECT f.code AS \"fund|资金代码\", f.name AS \"name|名称\", f.kind AS \"kind|类别\",\n"
	"       f.holding_account AS \"holding|核算科目\",\n"
	"       coalesce(array_to_string(f.allowed_accounts, ','), '不限') AS \"allowed_accounts|允许科目\",\n"
	"       array_to_string(f.forbidden_accounts, ',') AS \"forbidden_accounts|禁止科目\",\n"
	"       coalesce(array_to_string(f.allowed_categories, ','), '不限') AS \"allowed_categories|允许项目类别\",\n"
	"       array_to_string(f.forbidden_categories, ',') AS \"forbidden_categories|负面清单\",\n"
	"       f.status AS \"status|状态\"\n"
	"  FROM fund f WHERE f.village_id = $1 AND f.code = $2";

static const char fund_lines_sql[] =
	"SELECT to_char(v.voucher_date, 'YYYY-MM-DD') AS \"date|日期\",\n"
	"       to_char(v.period, 'YYYY-MM') || '-' || v.number AS \"voucher|凭证号\",\n"
	"       v.summary AS \"summary|摘要\", coalesce(p.code, '') AS \"project|项目\",\n"
	"       coalesce(l.counterparty, '') AS \"payee|收付对象\",\n"
	"       l.debit_fen AS \"received_fen|收到\", l.credit_fen AS \"spent_fen|支出\"\n"
	"  FROM voucher_line l JOIN fund f ON f.village_id = l.village_id AND f.id = l.fund_id\n"
	"  JOIN voucher v ON v.village_id = l.village_id AND v.id = l.voucher_id\n"
	"  LEFT JOIN project p ON p.village_id = l.village_id AND p.id = l.project_id\n"
	" WHERE l.village_id = $1 AND f.code = $2\n"
	"   AND (l.account_code LIKE '101%' OR l.account_code LIKE '102%')\n"
	" ORDER BY v.voucher_date, v.period, v.number, l.line_no";

int
cmd_fund_show(cli *c, const cli_opts *o)
{
	cj_org v;
	cj_fund_info f;
	char vid[16];
	const char *params[2] = {vid, opt_get(o, "code")}, *table = opt_get(o, "table");
	const char *format = opt_get(o, "format");
	int rc = arg_village(c, o, &v);

	if (rc)
		return rc;
	if (!params[1])
		return usage_error(o->cmd, "--code is required");
	if (table && strcmp(table, "rules") && strcmp(table, "lines"))
		return usage_error(o->cmd, "--table must be rules or lines, not '%s'", table);
	if (!table && format && strcmp(format, "text"))
		table = "lines";
	if (cj_fund_find(c->db, v.id, params[1], &f))
		return fail_db(c, NULL);
	snprintf(vid, sizeof vid, "%d", v.id);
	if (!table || !strcmp(table, "rules")) {
		rc = print_query(c, o, fund_rules_sql, 2, params);
		if (rc || table)
			return rc;
		puts("");
	}
	return print_query(c, o, fund_lines_sql, 2, params);
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
		return usage_error(o->cmd, "--code is required");
	if (cj_fund_set_status(c->db, v.id, code, status))
		return fail_db(c, "closing the fund");
	printf("fund %s is %s: it takes no new spending\n", code, status);
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
		return usage_error(o->cmd, "--county is required");
	fund_spec_from(o, &s);
	rc = check_fund_spec(o, &s);
	if (rc)
		return rc;
	if (!s.doc_no || !opt_get(o, "doc-date"))
		return usage_error(o->cmd, "--doc and --doc-date (the allocation's 文号 and date) are "
					   "required");
	to = opt_all(o, "to", &nto);
	if (nto == 0)
		return usage_error(o->cmd, "give at least one --to VILLAGE=AMOUNT");
	if (cj_org_find(c->db, code, &county))
		return fail_db(c, NULL);
	ids = calloc((size_t)nto, sizeof *ids);
	parts = calloc((size_t)nto, sizeof *parts);
	if (!ids || !parts) {
		free(ids);
		free(parts);
		return fail_msg("out of memory");
	}
	for (int i = 0; i < nto && !rc; i++) {
		char vcode[64];
		const char *eq = strchr(to[i], '=');
		cj_money m;
		cj_org v;

		if (!eq || (size_t)(eq - to[i]) >= sizeof vcode || cj_money_parse(&m, eq + 1) ||
		    m.fen <= 0) {
			rc = usage_error(o->cmd, "--to '%s': expected VILLAGE=AMOUNT", to[i]);
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
		rc = fail_db(c, "allocating");
	if (!rc)
		printf("allocation %s: %s split over %d village(s) as fund %s\n", s.doc_no,
		       opt_get(o, "amount"), nto, s.code);
	free(ids);
	free(parts);
	return rc;
}

/* One allocation, end to end: per village what was allocated, received,
 * paid (each payment with its payee and project) and left. */
static const char trace_sql[] =
	"WITH a AS (SELECT a.* FROM fund_allocation a JOIN org c ON c.id = a.county_id\n"
	"            WHERE c.code = $1 AND a.doc_no = $2),\n"
	"f AS (SELECT f.*, v.code AS vcode, v.name AS vname, t.code AS tcode\n"
	"        FROM fund f JOIN a ON f.allocation_id = a.id\n"
	"        JOIN org v ON v.id = f.village_id JOIN org t ON t.id = v.parent_id),\n"
	"m AS (SELECT f.tcode, f.vcode, f.vname, f.id, l.village_id, v.voucher_date, v.period,\n"
	"             v.number, v.summary, l.line_no, l.counterparty, p.code AS pcode, p.name AS pname,\n"
	"             l.debit_fen, l.credit_fen\n"
	"        FROM f JOIN voucher_line l ON l.village_id = f.village_id AND l.fund_id = f.id\n"
	"        JOIN voucher v ON v.village_id = l.village_id AND v.id = l.voucher_id\n"
	"        LEFT JOIN project p ON p.village_id = l.village_id AND p.id = l.project_id\n"
	"       WHERE l.account_code LIKE '101%' OR l.account_code LIKE '102%')\n"
	"SELECT \"township|乡镇\", \"village|村\", \"what|类型\", \"date|日期\", \"voucher|凭证号\",\n"
	"       \"summary|摘要\", \"project|项目\", \"payee|收款人\", \"allocated_fen|下达\",\n"
	"       \"received_fen|到位\", \"spent_fen|支出\", \"left_fen|结余\" FROM (\n"
	"  SELECT 1 AS o1, tcode AS \"township|乡镇\", vcode || ' ' || vname AS \"village|村\",\n"
	"         vcode AS o2, 0 AS o3, '下达' AS \"what|类型\", '' AS \"date|日期\",\n"
	"         '' AS \"voucher|凭证号\", '' AS \"summary|摘要\", '' AS \"project|项目\",\n"
	"         '' AS \"payee|收款人\", granted_fen AS \"allocated_fen|下达\",\n"
	"         NULL::bigint AS \"received_fen|到位\", NULL::bigint AS \"spent_fen|支出\",\n"
	"         NULL::bigint AS \"left_fen|结余\", 0::bigint AS o4\n"
	"    FROM f\n"
	"  UNION ALL\n"
	"  SELECT 1, tcode, vcode || ' ' || vname, vcode, 1,\n"
	"         CASE WHEN debit_fen <> 0 THEN '到位' ELSE '支付' END,\n"
	"         to_char(voucher_date, 'YYYY-MM-DD'), to_char(period, 'YYYY-MM') || '-' || number,\n"
	"         summary, coalesce(pcode || ' ' || pname, ''), coalesce(counterparty, ''), NULL,\n"
	"         nullif(debit_fen, 0), nullif(credit_fen, 0), NULL, number\n"
	"    FROM m\n"
	"  UNION ALL\n"
	"  SELECT 1, tcode, vcode || ' ' || vname, vcode, 2, '小计', '', '', '', '', '', granted_fen,\n"
	"         coalesce((SELECT sum(debit_fen) FROM m WHERE m.id = f.id), 0)::bigint,\n"
	"         coalesce((SELECT sum(credit_fen) FROM m WHERE m.id = f.id), 0)::bigint,\n"
	"         coalesce((SELECT sum(debit_fen - credit_fen) FROM m WHERE m.id = f.id), 0)::bigint, 0\n"
	"    FROM f\n"
	"  UNION ALL\n"
	"  SELECT 2, '合计', (SELECT count(*) FROM f) || ' 个村', '', 0, '', '', '',\n"
	"         (SELECT doc_no || ' ' || name FROM a), '', '',\n"
	"         (SELECT total_fen FROM a),\n"
	"         coalesce((SELECT sum(debit_fen) FROM m), 0)::bigint,\n"
	"         coalesce((SELECT sum(credit_fen) FROM m), 0)::bigint,\n"
	"         coalesce((SELECT sum(debit_fen - credit_fen) FROM m), 0)::bigint, 0\n"
	"    WHERE EXISTS (SELECT 1 FROM a)\n"
	") x ORDER BY o1, \"township|乡镇\", o2, o3, \"date|日期\", o4";

int
cmd_fund_trace(cli *c, const cli_opts *o)
{
	const char *params[2] = {opt_get(o, "county"), opt_get(o, "doc")};
	PGresult *res;

	if (!params[0] || !params[1])
		return usage_error(o->cmd, "--county and --doc are required");
	if (cj_db_exec(c->db, &res,
		       "SELECT 1 FROM fund_allocation a JOIN org c ON c.id = a.county_id\n"
		       " WHERE c.code = $1 AND a.doc_no = $2",
		       2, params))
		return fail_db(c, NULL);
	if (PQntuples(res) == 0) {
		PQclear(res);
		return fail_msg("county %s has no allocation with document %s", params[0], params[1]);
	}
	PQclear(res);
	return print_query(c, o, trace_sql, 2, params);
}

/* ---- projects ---- */

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
		return usage_error(o->cmd, "--code, --name and --category are required");
	s.content = opt_get(o, "content");
	s.implementing_unit = opt_get(o, "unit");
	s.responsible = opt_get(o, "responsible");
	s.goals = opt_get(o, "goals");
	s.benefit_mechanism = opt_get(o, "mechanism");
	if ((rc = arg_books_date(o, "start", &s.start, 0)))
		return rc;
	/* the planned end may lie beyond the books' dates */
	if (opt_get(o, "end") && cj_date_parse(&s.end, opt_get(o, "end")))
		return usage_error(o->cmd, "--end '%s' is not a date (YYYY-MM-DD)", opt_get(o, "end"));
	s.households = opt_get(o, "households") ? atoi(opt_get(o, "households")) : 0;
	s.poverty_households = opt_get(o, "poverty") ? atoi(opt_get(o, "poverty")) : 0;
	s.monitored_households = opt_get(o, "monitored") ? atoi(opt_get(o, "monitored")) : 0;
	budget = opt_all(o, "budget", &nbudget);
	if (nbudget == 0)
		return usage_error(o->cmd, "give the budget: --budget SOURCE=AMOUNT (repeat per source)");
	sources = calloc((size_t)nbudget, sizeof *sources);
	amounts = calloc((size_t)nbudget, sizeof *amounts);
	char **copies = calloc((size_t)nbudget, sizeof *copies);
	if (!sources || !amounts || !copies) {
		rc = fail_msg("out of memory");
		goto done;
	}
	for (int i = 0; i < nbudget; i++) {
		char *eq;
		cj_money m;

		copies[i] = strdup(budget[i]);
		eq = copies[i] ? strchr(copies[i], '=') : NULL;
		if (!eq || eq == copies[i] || cj_money_parse(&m, eq + 1) || m.fen <= 0) {
			rc = usage_error(o->cmd, "--budget '%s': expected SOURCE=AMOUNT, e.g. 中央=500000 "
						 "or XJ2025-01=500000",
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
		rc = fail_db(c, "adding the project");
	else
		printf("project %s %s added to %s %s (planned)\n", s.code, s.name, v.code, v.name);
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
	cj_org v;
	char vid[16];
	const char *params[1] = {vid};
	int rc = arg_village(c, o, &v);

	if (rc)
		return rc;
	snprintf(vid, sizeof vid, "%d", v.id);
	return print_query(
		c, o,
		"SELECT * FROM (\n"
		"  SELECT p.code AS \"project|项目代码\", p.name AS \"name|项目名称\",\n"
		"         p.category AS \"category|类别\", p.status AS \"status|状态\",\n"
		"         p.implementing_unit AS \"unit|实施单位\", p.responsible AS \"responsible|责任人\",\n"
		"         p.households || '/' || p.poverty_households || '/' || p.monitored_households\n"
		"           AS \"households|受益户/脱贫户/监测户\",\n"
		"         coalesce(p.asset_kind, '') AS \"asset|资产类型\",\n"
		"         coalesce(t.budget_fen, 0) AS \"budget_fen|预算\",\n"
		"         coalesce(t.spent_fen, 0) AS \"paid_fen|已支付\",\n"
		"         coalesce(t.budget_fen - t.spent_fen, 0) AS \"left_fen|未支付\"\n"
		"    FROM project p LEFT JOIN project_total t ON t.village_id = p.village_id\n"
		"     AND t.project_id = p.id WHERE p.village_id = $1 ORDER BY p.code) x\n"
		"UNION ALL\n"
		"SELECT '合计', count(*) || ' 个项目', '', '', '', '', '', '', coalesce(sum(budget_fen), 0),\n"
		"       coalesce(sum(spent_fen), 0), coalesce(sum(budget_fen - spent_fen), 0)\n"
		"  FROM project_total WHERE village_id = $1",
		1, params);
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
		return fail_db(c, "starting the project");
	printf("project %s started\n", code);
	return 0;
}

int
cmd_project_pay(cli *c, const cli_opts *o)
{
	cj_org v;
	cj_project_payment pay;
	cj_poster *poster;
	cj_posted out;
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
		return fail_msg("out of memory");
	rc = cj_project_pay(poster, v.id, &pay, &out);
	cj_poster_free(poster);
	if (rc)
		return fail_db(c, "paying the project");
	printf("%04d-%02d-%d posted: 记字第%d号 %s %s %s\n", out.period.year, out.period.month,
	       out.number, out.number, pay.project, pay.tranche, pay.payee);
	return 0;
}

int
cmd_project_accept(cli *c, const cli_opts *o)
{
	cj_org v;
	cj_date d;
	const char *code, *kind;
	cj_poster *poster;
	cj_posted out[2];
	int n = 0, rc = arg_village(c, o, &v);

	if (rc || (rc = arg_required(o, "code", &code)) || (rc = arg_books_date(o, "date", &d, 1)) ||
	    (rc = arg_required(o, "asset-kind", &kind)))
		return rc;
	if (strcmp(kind, "经营性") && strcmp(kind, "公益性") && strcmp(kind, "到户"))
		return usage_error(o->cmd, "--asset-kind must be 经营性, 公益性 or 到户");
	if (cj_poster_new(&poster, c->db))
		return fail_msg("out of memory");
	rc = cj_project_accept(poster, v.id, code, d, kind, opt_get(o, "asset-account"), out, &n);
	cj_poster_free(poster);
	if (rc)
		return fail_db(c, "accepting the project");
	printf("project %s accepted, forming a %s asset\n", code, kind);
	for (int i = 0; i < n; i++)
		printf("%04d-%02d-%d posted: 记字第%d号\n", out[i].period.year, out[i].period.month,
		       out[i].number, out[i].number);
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
		return usage_error(o->cmd, "--county and --times N (N > 0) are required");
	if ((rc = arg_money(o, "per-person", &person, 1)) ||
	    (rc = arg_money(o, "per-household", &household, 1)) ||
	    (rc = arg_money(o, "min-endowment", &endow, 0)))
		return rc;
	if (cj_org_find(c->db, code, &county))
		return fail_db(c, NULL);
	if (cj_aid_rule_set(c->db, county.id, person, household, atoi(times), endow))
		return fail_db(c, "setting the aid caps");
	printf("aid caps for %s %s: %s per person, %s per household a year, %s time(s) a year\n",
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
	cj_posted out;
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
		return fail_msg("out of memory");
	rc = cj_aid_pay(poster, v.id, &aid, &out);
	cj_poster_free(poster);
	if (rc)
		return fail_db(c, "paying aid");
	printf("%04d-%02d-%d posted: 记字第%d号 aid to household %s\n", out.period.year,
	       out.period.month, out.number, out.number, aid.household);
	return 0;
}
