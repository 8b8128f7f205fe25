/*
 * search.c - the inspector's cross-village search (cunji search) and what
 * one person's household was paid (cunji household --id), as report models
 *
 * Each is one set-based statement over the villages under the code that the
 * login sees (row-level security); names meet in name_norm()'s form and ID
 * numbers and bank accounts through the indexes of schema 0029.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include <ledger/buf.h>
#include <ledger/i18n.h>
#include <ledger/org.h>
#include <ledger/sql.h>
#include <reports/search.h>

#include "lists_internal.h"

/* The villages under $1 (village, township or county) the login sees. */
#define SCOPE_CTE                                                                              \
	"sv AS (SELECT v.id, v.code, v.name FROM org v JOIN org t ON t.id = v.parent_id\n"        \
	"        WHERE v.level = 'village'\n"                                                     \
	"          AND $1 IN (v.code, t.code, (SELECT c.code FROM org c WHERE c.id = t.parent_id))),\n"

/* The names a household is paid under in its village's books: its code
 * (what aid and dividends write), its head's and its members' names. */
#define NAMES_CTE                                                                              \
	"names AS (SELECT hh.village_id, hh.code, n.name FROM hh CROSS JOIN LATERAL (\n"           \
	"            SELECT hh.code UNION SELECT hh.head_name UNION\n"                            \
	"            SELECT m.name FROM household_member m\n"                                     \
	"             WHERE m.village_id = hh.village_id AND m.household_code = hh.code) n(name)),\n"

static const char search_head[] =
	"WITH par AS (SELECT $2::text, $3::text, $4::text, $5::bigint, $6::bigint, $7::date, $8::date),\n"
	SCOPE_CTE
	"hh AS (SELECT h.village_id, h.code, h.head_name,\n"
	"              CASE WHEN h.head_id_number = $3 THEN '户主身份证号'\n"
	"                   WHEN replace(h.bank_account, ' ', '') = replace($4, ' ', '') THEN '银行账号'\n"
	"                   ELSE '成员身份证号' END AS basis\n"
	"         FROM household h\n"
	"        WHERE h.village_id IN (SELECT id FROM sv)\n"
	"          AND (h.head_id_number = $3\n"
	"               OR (h.village_id, h.code) IN (SELECT m.village_id, m.household_code\n"
	"                     FROM household_member m WHERE m.id_number = $3)\n"
	"               OR (h.bank_account <> '' AND replace(h.bank_account, ' ', '') = replace($4, ' ', '')))),\n"
	NAMES_CTE;

/* $2 payee, $3 ID number, $4 bank account, $5 least amount, $6 most (0:
 * none), $7 and $8 the first and last day (NULL: none) */
static const char search_lines_sql[] =
	"pat AS (SELECT '%' || replace(replace(replace($2::text, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' AS raw,\n"
	"               '%' || replace(replace(replace(name_norm($2), '\\', '\\\\'), '%', '\\%'), '_', '\\_')\n"
	"                   || '%' AS norm)\n"
	"SELECT sv.code AS \"village|村代码\", sv.name AS \"village_name|村\",\n"
	"       to_char(v.voucher_date, 'YYYY-MM-DD') AS \"date|日期\",\n"
	"       audit_vno(v.period, v.number) AS \"voucher|凭证号\", v.summary AS \"summary|摘要\",\n"
	"       l.account_code AS \"account|科目\",\n"
	"       coalesce(h.head_name || '（' || l.counterparty || '）', l.counterparty) AS \"payee|收付对象\",\n"
	"       coalesce(f.code || ' ' || f.name, '') AS \"fund|资金\",\n"
	"       coalesce(p.code || ' ' || p.name, '') AS \"project|项目\",\n"
	"       l.debit_fen AS \"debit_fen|借方\", l.credit_fen AS \"credit_fen|贷方\"\n"
	"  FROM voucher_line l JOIN sv ON sv.id = l.village_id\n"
	"  JOIN voucher v ON v.village_id = l.village_id AND v.id = l.voucher_id\n"
	"  LEFT JOIN household h ON h.village_id = l.village_id AND h.code = l.counterparty\n"
	"  LEFT JOIN fund f ON f.village_id = l.village_id AND f.id = l.fund_id\n"
	"  LEFT JOIN project p ON p.village_id = l.village_id AND p.id = l.project_id\n"
	"  CROSS JOIN pat\n"
	" WHERE l.counterparty IS NOT NULL\n"
	"   AND ($2 IS NULL OR l.counterparty LIKE pat.raw OR name_norm(l.counterparty) LIKE pat.norm\n"
	"        OR h.head_name LIKE pat.raw)\n"
	"   AND (($3 IS NULL AND $4 IS NULL)\n"
	"        OR (l.village_id, l.counterparty) IN (SELECT village_id, name FROM names))\n"
	"   AND abs(l.debit_fen + l.credit_fen) >= $5 AND ($6 = 0 OR abs(l.debit_fen + l.credit_fen) <= $6)\n"
	"   AND ($7::date IS NULL OR (v.voucher_date >= $7 AND l.period >= date_trunc('month', $7::date)))\n"
	"   AND ($8::date IS NULL OR (v.voucher_date <= $8 AND l.period <= $8))\n"
	" ORDER BY sv.code, v.voucher_date, v.period, v.number, l.line_no";

static const char search_households_sql[] =
	"x AS (SELECT 1)\n"
	"SELECT sv.code AS \"village|村代码\", sv.name AS \"village_name|村\",\n"
	"       hh.code AS \"household|户编号\", hh.head_name AS \"head|户主\", hh.basis AS \"basis|匹配\"\n"
	"  FROM hh JOIN sv ON sv.id = hh.village_id ORDER BY sv.code, hh.code";

/* "" as NULL, for the optional parameters */
static const char *
opt(const char *s)
{
	return s && *s ? s : NULL;
}

static int
run(cj_db *db, cj_report **r, const char *name, const char *head, const char *body, int n,
    const char *const *params)
{
	cj_buf sql = CJ_BUF_INIT;
	int err;

	cj__buf_printf(&sql, "%s%s", head, body);
	if (!cj__buf_ok(&sql)) {
		cj__buf_free(&sql);
		return cj__list_oom(db, r);
	}
	err = cj__list_query(db, r, name, sql.data, n, params);
	cj__buf_free(&sql);
	return err;
}

int
cj_search(cj_db *db, const cj_search_request *req, cj_report **out)
{
	char min[32], max[32], from[16], to[16];
	const char *params[8];
	cj_table *t;
	cj_org o;
	int err;

	*out = NULL;
	if (!opt(req->payee) && !opt(req->id_number) && !opt(req->account) && !req->min_fen &&
	    !req->max_fen)
		return cj_db_fail(db, CJ_EINVAL,
				  _("say what to look for: a payee, an ID number, a bank account or "
				    "an amount"));
	if (req->max_fen && req->max_fen < req->min_fen)
		return cj_db_fail(db, CJ_EINVAL, _("the least amount is above the most"));
	if ((err = cj_org_find(db, req->org, &o)))
		return err;
	snprintf(min, sizeof min, "%lld", (long long)req->min_fen);
	snprintf(max, sizeof max, "%lld", (long long)req->max_fen);
	params[0] = req->org;
	params[1] = opt(req->payee);
	params[2] = opt(req->id_number);
	params[3] = opt(req->account);
	params[4] = min;
	params[5] = max;
	params[6] = req->from.year ? (cj_date_format(from, sizeof from, req->from), from) : NULL;
	params[7] = req->to.year ? (cj_date_format(to, sizeof to, req->to), to) : NULL;

	if (!(*out = cj_report_new("跨村查询")) ||
	    cj_report_subtitle(*out, "%s %s    单位：元", o.code, o.name) ||
	    (params[1] && cj_report_subtitle(*out, "收付对象含：%s", params[1])) ||
	    (params[2] && cj_report_subtitle(*out, "身份证号：%s", params[2])) ||
	    (params[3] && cj_report_subtitle(*out, "银行账号：%s", params[3])))
		return cj__list_oom(db, out);
	if ((err = run(db, out, "凭证行", search_head, search_lines_sql, 8, params)))
		return err;
	t = (*out)->tables[0];
	if (t->nrows && cj_table_total(*out, t, CJ_ROW_TOTAL, 0, "合计", 0, (long)t->nrows - 1) < 0)
		return cj__list_oom(db, out);
	if (params[2] || params[3])
		return run(db, out, "农户", search_head, search_households_sql, 8, params);
	return 0;
}

static const char household_sql[] =
	"WITH " SCOPE_CTE
	"hh AS (SELECT h.village_id, h.code, h.head_name, sv.code AS vcode, sv.name AS vname,\n"
	"              CASE WHEN h.head_id_number = $2 THEN '户主'\n"
	"                   ELSE (SELECT '成员 ' || m.name || coalesce('（' || nullif(m.relation, '') || '）', '')\n"
	"                           FROM household_member m WHERE m.village_id = h.village_id\n"
	"                            AND m.household_code = h.code AND m.id_number = $2 LIMIT 1)\n"
	"              END AS who\n"
	"         FROM household h JOIN sv ON sv.id = h.village_id\n"
	"        WHERE h.head_id_number = $2\n"
	"           OR (h.village_id, h.code) IN (SELECT m.village_id, m.household_code\n"
	"                 FROM household_member m WHERE m.id_number = $2)),\n"
	NAMES_CTE;

/* what was paid from cash or bank to the household's names, and dividends
 * declared and not yet paid */
static const char household_paid_sql[] =
	"paid AS (\n"
	"  SELECT hh.vcode, hh.vname, hh.code, hh.head_name,\n"
	"         CASE WHEN d.year IS NOT NULL THEN '收益分配'\n"
	"              ELSE coalesce(f.code || ' ' || f.name, '村集体资金（无专项资金）') END AS fund,\n"
	"         CASE WHEN d.year IS NOT NULL THEN d.year || '年度分红'\n"
	"              WHEN a.id IS NOT NULL THEN '救助：' || a.reason\n"
	"              WHEN pp.voucher_id IS NOT NULL THEN '项目款（' || pp.tranche || '）'\n"
	"              ELSE '付款' END AS what,\n"
	"         v.voucher_date AS day, audit_vno(v.period, v.number) AS vno, v.summary,\n"
	"         coalesce(p.code || ' ' || p.name, '') AS project, l.credit_fen AS paid,\n"
	"         0::bigint AS unpaid\n"
	"    FROM voucher_line l JOIN names n ON n.village_id = l.village_id AND n.name = l.counterparty\n"
	"    JOIN hh ON hh.village_id = n.village_id AND hh.code = n.code\n"
	"    JOIN voucher v ON v.village_id = l.village_id AND v.id = l.voucher_id\n"
	"    LEFT JOIN fund f ON f.village_id = l.village_id AND f.id = l.fund_id\n"
	"    LEFT JOIN project p ON p.village_id = l.village_id AND p.id = l.project_id\n"
	"    LEFT JOIN dividend_line d ON d.village_id = l.village_id\n"
	"         AND d.paid_voucher_id = l.voucher_id AND d.household_code = hh.code\n"
	"    LEFT JOIN aid_payment a ON a.village_id = l.village_id AND 'aid-' || a.id = v.external_id\n"
	"    LEFT JOIN project_payment pp ON pp.village_id = l.village_id AND pp.voucher_id = l.voucher_id\n"
	"   WHERE (l.account_code LIKE '101%' OR l.account_code LIKE '102%') AND l.credit_fen <> 0\n"
	"  UNION ALL\n"
	"  SELECT hh.vcode, hh.vname, hh.code, hh.head_name, '收益分配', d.year || '年度分红（未支付）',\n"
	"         dp.declared_on, audit_vno(dv.period, dv.number), dv.summary, '', 0, d.amount_fen\n"
	"    FROM dividend_line d JOIN hh ON hh.village_id = d.village_id AND hh.code = d.household_code\n"
	"    JOIN dividend_plan dp ON dp.village_id = d.village_id AND dp.year = d.year\n"
	"    JOIN voucher dv ON dv.village_id = dp.village_id AND dv.id = dp.voucher_id\n"
	"   WHERE d.paid_voucher_id IS NULL AND d.amount_fen > 0)\n"
	"SELECT \"fund|资金\", \"what|类型\", \"village|村\", \"household|户\", \"date|日期\",\n"
	"       \"voucher|凭证号\", \"summary|摘要\", \"project|项目\", \"paid_fen|已支付\",\n"
	"       \"unpaid_fen|应付未付\" FROM (\n"
	"  SELECT 1 AS o1, fund AS \"fund|资金\", 0 AS o2, what AS \"what|类型\",\n"
	"         vcode || ' ' || vname AS \"village|村\", head_name || '（' || code || '）' AS \"household|户\",\n"
	"         to_char(day, 'YYYY-MM-DD') AS \"date|日期\", vno AS \"voucher|凭证号\",\n"
	"         summary AS \"summary|摘要\", project AS \"project|项目\", paid AS \"paid_fen|已支付\",\n"
	"         unpaid AS \"unpaid_fen|应付未付\"\n"
	"    FROM paid\n"
	"  UNION ALL\n"
	"  SELECT 1, fund, 1, '小计', '', '', '', '', '', '', sum(paid)::bigint, sum(unpaid)::bigint\n"
	"    FROM paid GROUP BY fund\n"
	"  UNION ALL\n"
	"  SELECT 2, '合计', 0, '', count(DISTINCT vcode) || ' 个村', '', '', '', '', '',\n"
	"         coalesce(sum(paid), 0)::bigint, coalesce(sum(unpaid), 0)::bigint FROM paid\n"
	") x ORDER BY o1, \"fund|资金\", o2, \"date|日期\", \"voucher|凭证号\"";

static const char household_found_sql[] =
	"x AS (SELECT 1)\n"
	"SELECT vcode AS \"village|村代码\", vname AS \"village_name|村\", code AS \"household|户编号\",\n"
	"       head_name AS \"head|户主\", who AS \"who|身份\" FROM hh ORDER BY vcode, code";

/* The query's 小计 (per fund) and 合计 rows as such, so that every format sets them apart. */
static void
mark_totals(cj_table *t)
{
	for (size_t i = 0; i < t->nrows; i++) {
		cj_row *row = &t->rows[i];
		const cj_cell *fund = &row->cells[0], *what = &row->cells[1];
		if (what->kind == CJ_CELL_TEXT && !strcmp(what->text, "小计"))
			row->kind = CJ_ROW_SUBTOTAL;
		else if (fund->kind == CJ_CELL_TEXT && !strcmp(fund->text, "合计"))
			row->kind = CJ_ROW_TOTAL;
	}
}

int
cj_household_paid(cj_db *db, const char *org, const char *id_number, cj_report **out)
{
	const char *params[2] = {org, id_number};
	cj_org o;
	int err;

	*out = NULL;
	if ((err = cj_org_find(db, org, &o)))
		return err;
	if (!(*out = cj_report_new("农户收款明细")) ||
	    cj_report_subtitle(*out, "%s %s    身份证号：%s    单位：元", o.code, o.name, id_number))
		return cj__list_oom(db, out);
	if ((err = run(db, out, "农户", household_sql, household_found_sql, 2, params)))
		return err;
	if (!(*out)->tables[0]->nrows) {
		cj_report_free(*out);
		*out = NULL;
		return cj_db_fail(db, CJ_ENOTFOUND, _("no household under %s has a head or member with ID number %s"),
				  org, id_number);
	}
	if ((err = run(db, out, "收款", household_sql, household_paid_sql, 2, params)))
		return err;
	mark_totals((*out)->tables[1]);
	/* the payments first, the households found after them */
	cj_table *t = (*out)->tables[0];
	(*out)->tables[0] = (*out)->tables[1];
	(*out)->tables[1] = t;
	return 0;
}
