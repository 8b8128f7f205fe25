/*
 * audit_scan.c - run the warning rules as one statement and list the
 * findings, with their state from the inspectors' marks
 *
 * The rules (audit_cash.c, audit_funds.c, audit_payees.c) are joined with
 * UNION ALL under the common tables of audit_internal.h, so the server plans
 * them together and reads each table as few times as it can.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include <ledger/buf.h>
#include <ledger/org.h>
#include <ledger/sql.h>
#include <ledger/i18n.h>
#include <reports/audit.h>

#include "audit_internal.h"
#include "lists_internal.h"

static const cj__audit_rule *const modules[] = {cj__audit_cash, cj__audit_funds,
						 cj__audit_payees};

/* What every rule may use: the scan's days, its villages, their
 * thresholds, the lines of its days and the cash and bank balances. */
static const char scan_head[] =
	"WITH par AS (SELECT $2::date AS d0, $3::date AS d1, $1::text AS org),\n"
	"sv AS (SELECT v.id, v.code, v.name, v.parent_id AS tid, t.parent_id AS cid\n"
	"         FROM org v JOIN org t ON t.id = v.parent_id\n"
	"        WHERE v.level = 'village'\n"
	"          AND $1 IN (v.code, t.code, (SELECT c.code FROM org c WHERE c.id = t.parent_id))),\n"
	"th AS (SELECT sv.id AS village_id, p.rule, p.key,\n"
	"              coalesce(tw.value, co.value, p.default_value) AS value\n"
	"         FROM sv CROSS JOIN audit_param p\n"
	"         LEFT JOIN audit_threshold tw ON tw.org_id = sv.tid AND tw.rule = p.rule\n"
	"              AND tw.key = p.key\n"
	"         LEFT JOIN audit_threshold co ON co.org_id = sv.cid AND co.rule = p.rule\n"
	"              AND co.key = p.key),\n"
	/* a voided voucher and its reversal are no finding */
	"lv AS NOT MATERIALIZED (\n"
	"  SELECT l.*, v.voucher_date AS day, audit_vno(v.period, v.number) AS vno,\n"
	"         v.summary AS vsummary\n"
	"    FROM voucher_line l JOIN voucher v ON v.village_id = l.village_id AND v.id = l.voucher_id\n"
	"   WHERE l.village_id IN (SELECT id FROM sv) AND v.kind = 'normal'\n"
	"     AND l.period BETWEEN date_trunc('month', $2::date) AND $3\n"
	"     AND v.voucher_date BETWEEN $2 AND $3\n"
	"     AND NOT EXISTS (SELECT 1 FROM voucher r WHERE r.village_id = v.village_id\n"
	"                     AND r.reverses_id = v.id)),\n"
	"day_bal AS (\n"
	"  SELECT d.village_id, d.acct, d.day,\n"
	"         sum(d.net) OVER (PARTITION BY d.village_id, d.acct ORDER BY d.day) AS bal\n"
	"    FROM (SELECT l.village_id, left(l.account_code, 3) AS acct, v.voucher_date AS day,\n"
	"                 sum(l.debit_fen - l.credit_fen) AS net\n"
	"            FROM voucher_line l JOIN voucher v ON v.village_id = l.village_id\n"
	"                 AND v.id = l.voucher_id\n"
	"           WHERE l.village_id IN (SELECT id FROM sv) AND l.period <= $3\n"
	"             AND (l.account_code LIKE '101%' OR l.account_code LIKE '102%')\n"
	"           GROUP BY 1, 2, 3) d),\n"
	"f AS (\n";

static const char scan_tail[] =
	")\n"
	"SELECT f.rule AS \"rule|规则\",\n"
	"       CASE coalesce(f.severity, r.severity) WHEN 'red' THEN '红' ELSE '黄' END\n"
	"         AS \"severity|等级\",\n"
	"       sv.code AS \"village|村代码\", sv.name AS \"village_name|村\", f.refs AS \"refs|涉及\",\n"
	"       f.amount::bigint AS \"amount_fen|金额\",\n"
	"       f.message || '，违反 ' || f.rule || '“' || r.title || '”。' AS \"message|说明\",\n"
	"       f.threshold AS \"threshold|阈值\",\n"
	"       CASE s.state WHEN 'explained' THEN '已说明' WHEN 'follow_up' THEN '待跟进'\n"
	"            WHEN 'referred' THEN '已移交' ELSE '新' END\n"
	"         || coalesce('：' || s.note, '') AS \"state|状态\",\n"
	"       f.fkey AS \"key|编号\"\n"
	"  FROM f JOIN sv ON sv.id = f.village_id JOIN audit_rule r ON r.code = f.rule\n"
	"  LEFT JOIN audit_state s ON s.village_id = f.village_id AND s.finding_key = f.fkey\n"
	" WHERE NOT $4::boolean OR s.state IS NULL\n"
	" ORDER BY sv.code, f.rule, f.fkey";

/* Is code among the comma list (NULL: every rule)? */
static int
wanted(const char *list, const char *code)
{
	size_t n = strlen(code);

	if (!list)
		return 1;
	for (const char *p = list; (p = strstr(p, code)); p += n)
		if ((p == list || p[-1] == ',' || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return 1;
	return 0;
}

/* Every code of the list must be a rule; one that is not available is
 * refused with the reason. */
static int
check_rules(cj_db *db, const char *list)
{
	char code[8];
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ", ");
		int known = 0;

		if (n == 0) {
			p++;
			continue;
		}
		snprintf(code, sizeof code, "%.*s", (int)(n < 7 ? n : 7), p);
		for (size_t m = 0; m < sizeof modules / sizeof modules[0]; m++)
			for (const cj__audit_rule *r = modules[m]; r->code; r++)
				known |= n == 3 && !strcmp(r->code, code);
		if (!known) {
			PGresult *res;
			const char *params[1] = {code};
			int err = cj_db_exec(db, &res, "SELECT why_not FROM audit_rule WHERE code = $1",
					     1, params);
			if (err)
				return err;
			err = PQntuples(res)
				      ? cj_db_fail(db, CJ_EINVAL, _("rule %s is not available: %s"), code,
						   PQgetvalue(res, 0, 0))
				      : cj_db_fail(db, CJ_EINVAL,
						   _("no rule %s (the rules are R01 to R31: audit rules)"), code);
			PQclear(res);
			return err;
		}
		p += n;
	}
	return 0;
}

/* Table 1: the findings of table 0 counted by rule and colour. */
static int
add_summary(cj_db *db, cj_report **r)
{
	const cj_table *f = (*r)->tables[0];
	cj_table *t = cj_report_table(*r, "汇总", 0);
	long first = -1, last = -1;

	if (!t || cj_table_column(*r, t, NULL, "规则", CJ_COL_TEXT, 0) ||
	    cj_table_column(*r, t, NULL, "红", CJ_COL_INT, 0) ||
	    cj_table_column(*r, t, NULL, "黄", CJ_COL_INT, 0) ||
	    cj_table_keys(*r, t, "rule,red,yellow"))
		return cj__list_oom(db, r);
	for (size_t i = 0; i < f->nrows; i++) {
		const char *rule = f->rows[i].cells[0].text;
		int red = !strcmp(f->rows[i].cells[1].text, "红");
		long row = first < 0 ? -1 : first;

		while (row >= 0 && row <= last && strcmp(t->rows[row].cells[0].text, rule))
			row++;
		if (row < 0 || row > last) {
			if ((row = cj_table_row(*r, t, CJ_ROW_DATA, 0)) < 0 ||
			    cj_table_text(*r, t, row, 0, "%s", rule))
				return cj__list_oom(db, r);
			cj_table_number(t, row, 1, 0);
			cj_table_number(t, row, 2, 0);
			if (first < 0)
				first = row;
			last = row;
		}
		t->rows[row].cells[red ? 1 : 2].value++;
	}
	if (first >= 0 && cj_table_total(*r, t, CJ_ROW_TOTAL, 0, "合计", first, last) < 0)
		return cj__list_oom(db, r);
	return 0;
}

int
cj_audit_scan(cj_db *db, const cj_audit_request *req, cj_report **out)
{
	char from[16], to[16];
	const char *params[4] = {req->org, from, to, req->only_new ? "true" : "false"};
	cj_buf sql = CJ_BUF_INIT;
	cj_org o;
	int err, n = 0;

	*out = NULL;
	if ((err = cj_org_find(db, req->org, &o)) || (req->rules && (err = check_rules(db, req->rules))))
		return err;
	cj_date_format(from, sizeof from, req->from);
	cj_date_format(to, sizeof to, req->to);
	cj__buf_printf(&sql, "%s", scan_head);
	for (size_t m = 0; m < sizeof modules / sizeof modules[0]; m++)
		for (const cj__audit_rule *r = modules[m]; r->code; r++)
			if (wanted(req->rules, r->code))
				cj__buf_printf(&sql,
					       "%sSELECT * FROM (\n%s\n) AS %s(rule, village_id, fkey, refs, "
					       "amount, message, threshold, severity)\n",
					       n++ ? "UNION ALL\n" : "", r->sql, r->code);
	cj__buf_printf(&sql, "%s", scan_tail);
	if (!cj__buf_ok(&sql)) {
		cj__buf_free(&sql);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	if (!(*out = cj_report_new("预警线索")) ||
	    cj_report_subtitle(*out, "%s %s    %s 至 %s    单位：元", o.code, o.name, from, to)) {
		cj__buf_free(&sql);
		return cj__list_oom(db, out);
	}
	err = cj__list_query(db, out, "线索", sql.data, 4, params);
	cj__buf_free(&sql);
	return err ? err : add_summary(db, out);
}
