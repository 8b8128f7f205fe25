/*
 * lists_funds.c - funds, one fund, an allocation's trace and projects as
 * report models (the query-to-table step is in lists.c)
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>

#include <ledger/fund.h>
#include <ledger/sql.h>
#include <reports/lists.h>
#include <ledger/i18n.h>

#include "lists_internal.h"

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
cj_list_funds(cj_db *db, const char *org_code, cj_report **out)
{
	cj_org o;
	int err;

	*out = NULL;
	if ((err = cj_org_find(db, org_code, &o)))
		return err;
	if (!(*out = cj_report_new("专项资金")) ||
	    cj_report_subtitle(*out, "%s %s    单位：元", o.code, o.name))
		return cj__list_oom(db, out);
	return cj__list_query(db, out, "专项资金", fund_list_sql, 1, &org_code);
}

/* One fund: its rules, then every line that moved its money. */
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
cj_list_fund(cj_db *db, const char *village, const char *fund, cj_report **out)
{
	char vid[16];
	const char *params[2] = {vid, fund};
	cj_fund_info f;
	cj_org v;
	int err;

	*out = NULL;
	if ((err = cj_village_find(db, village, &v)) || (err = cj_fund_find(db, v.id, fund, &f)))
		return err;
	snprintf(vid, sizeof vid, "%d", v.id);
	if (!(*out = cj_report_new("专项资金收支明细")) ||
	    cj_report_subtitle(*out, "编制单位：%s    资金：%s %s    单位：元", v.name, f.code, f.name))
		return cj__list_oom(db, out);
	if ((err = cj__list_query(db, out, "资金规则", fund_rules_sql, 2, params)))
		return err;
	return cj__list_query(db, out, "收支明细", fund_lines_sql, 2, params);
}

/* One allocation, end to end, as an inspector follows it: per village the
 * 下达 (date and 文号), each receipt, each payment with its tranche, project
 * and payee (an aid household by its head's name), each project's 验收 and
 * the asset it formed, and what is left.  The document is matched loosely
 * (doc_norm, schema 0029: 〔〕, [], () and full-width forms are one). */
static const char trace_sql[] =
	"WITH a AS (SELECT a.* FROM fund_allocation a JOIN org c ON c.id = a.county_id\n"
	"            WHERE c.code = $1 AND doc_norm(a.doc_no) = doc_norm($2)),\n"
	"f AS (SELECT f.*, v.code AS vcode, v.name AS vname, t.code AS tcode,\n"
	"             a.doc_no AS adoc, a.doc_date AS adate\n"
	"        FROM fund f JOIN a ON f.allocation_id = a.id\n"
	"        JOIN org v ON v.id = f.village_id JOIN org t ON t.id = v.parent_id),\n"
	"m AS (SELECT f.tcode, f.vcode, f.vname, f.id, l.village_id, v.voucher_date, v.period,\n"
	"             v.number, v.summary, l.line_no, p.id AS pid, p.code AS pcode, p.name AS pname,\n"
	"             coalesce(h.head_name || '（' || h.code || '）', l.counterparty) AS payee,\n"
	"             CASE WHEN l.debit_fen <> 0 THEN '到位'\n"
	"                  WHEN pp.tranche IS NOT NULL THEN '支付（' || pp.tranche || '）'\n"
	"                  WHEN v.external_id LIKE 'aid-%' THEN '支付（救助）'\n"
	"                  ELSE '支付' END AS what,\n"
	"             l.debit_fen, l.credit_fen\n"
	"        FROM f JOIN voucher_line l ON l.village_id = f.village_id AND l.fund_id = f.id\n"
	"        JOIN voucher v ON v.village_id = l.village_id AND v.id = l.voucher_id\n"
	"        LEFT JOIN project p ON p.village_id = l.village_id AND p.id = l.project_id\n"
	"        LEFT JOIN project_payment pp ON pp.village_id = l.village_id AND pp.voucher_id = l.voucher_id\n"
	"             AND pp.project_id = l.project_id\n"
	"        LEFT JOIN household h ON h.village_id = l.village_id AND h.code = l.counterparty\n"
	"       WHERE l.account_code LIKE '101%' OR l.account_code LIKE '102%'),\n"
	"acc AS (SELECT DISTINCT m.tcode, m.vcode, m.vname, p.code, p.name, p.status, p.accepted_on,\n"
	"               p.asset_kind, p.asset_account, p.asset_value_fen\n"
	"          FROM m JOIN project p ON p.village_id = m.village_id AND p.id = m.pid)\n"
	"SELECT \"township|乡镇\", \"village|村\", \"what|类型\", \"date|日期\", \"voucher|凭证号\",\n"
	"       \"summary|摘要\", \"project|项目\", \"payee|收款人\", \"allocated_fen|下达\",\n"
	"       \"received_fen|到位\", \"spent_fen|支出\", \"left_fen|结余\" FROM (\n"
	"  SELECT 1 AS o1, tcode AS \"township|乡镇\", vcode || ' ' || vname AS \"village|村\",\n"
	"         vcode AS o2, 0 AS o3, '下达' AS \"what|类型\",\n"
	"         coalesce(to_char(coalesce(doc_date, adate), 'YYYY-MM-DD'), '') AS \"date|日期\",\n"
	"         '' AS \"voucher|凭证号\", adoc AS \"summary|摘要\", '' AS \"project|项目\",\n"
	"         '' AS \"payee|收款人\", granted_fen AS \"allocated_fen|下达\",\n"
	"         NULL::bigint AS \"received_fen|到位\", NULL::bigint AS \"spent_fen|支出\",\n"
	"         NULL::bigint AS \"left_fen|结余\", 0::bigint AS o4\n"
	"    FROM f\n"
	"  UNION ALL\n"
	"  SELECT 1, tcode, vcode || ' ' || vname, vcode, 1, what,\n"
	"         to_char(voucher_date, 'YYYY-MM-DD'), to_char(period, 'YYYY-MM') || '-' || number,\n"
	"         summary, coalesce(pcode || ' ' || pname, ''), coalesce(payee, ''), NULL,\n"
	"         nullif(debit_fen, 0), nullif(credit_fen, 0), NULL, number\n"
	"    FROM m\n"
	"  UNION ALL\n"
	"  SELECT 1, tcode, vcode || ' ' || vname, vcode, 2, '验收',\n"
	"         coalesce(to_char(accepted_on, 'YYYY-MM-DD'), ''), '',\n"
	"         CASE WHEN status = 'accepted'\n"
	"              THEN '验收合格，形成' || asset_kind || '资产 ' || fen_text(asset_value_fen)\n"
	"                   || ' 元（科目 ' || asset_account || '）'\n"
	"              ELSE '尚未验收，未形成资产' END,\n"
	"         code || ' ' || name, '', NULL, NULL, NULL, NULL, 0\n"
	"    FROM acc\n"
	"  UNION ALL\n"
	"  SELECT 1, tcode, vcode || ' ' || vname, vcode, 3, '小计', '', '', '', '', '', granted_fen,\n"
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

static const char allocation_sql[] =
	"SELECT a.name, a.doc_no, to_char(a.doc_date, 'YYYY-MM-DD') FROM fund_allocation a\n"
	"  JOIN org c ON c.id = a.county_id WHERE c.code = $1 AND doc_norm(a.doc_no) = doc_norm($2)";

int
cj_list_trace(cj_db *db, const char *county, const char *doc, cj_report **out)
{
	const char *params[2] = {county, doc};
	PGresult *res;
	int err;

	*out = NULL;
	if ((err = cj_db_exec(db, &res, allocation_sql, 2, params)))
		return err;
	if (!PQntuples(res)) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOTFOUND, _("county %s has no allocation with document %s"),
				  county, doc);
	}
	if (!(*out = cj_report_new("资金流向")) ||
	    cj_report_subtitle(*out, "%s %s    下达日期：%s    单位：元", PQgetvalue(res, 0, 1),
			       PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 2))) {
		PQclear(res);
		return cj__list_oom(db, out);
	}
	PQclear(res);
	return cj__list_query(db, out, "资金流向", trace_sql, 2, params);
}

static const char projects_sql[] =
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
	"  FROM project_total WHERE village_id = $1";

int
cj_list_projects(cj_db *db, const char *village, cj_report **out)
{
	char vid[16];
	const char *params[1] = {vid};
	cj_org v;
	int err;

	*out = NULL;
	if ((err = cj_village_find(db, village, &v)))
		return err;
	snprintf(vid, sizeof vid, "%d", v.id);
	if (!(*out = cj_report_new("项目")) ||
	    cj_report_subtitle(*out, "编制单位：%s %s    单位：元", v.code, v.name))
		return cj__list_oom(db, out);
	return cj__list_query(db, out, "项目", projects_sql, 1, params);
}
