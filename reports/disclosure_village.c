/*
 * disclosure_village.c - a village's sheets: the 财务公开表 (income and
 * spending item by item, cash, bank, receivables and payables, earmarked
 * funds, anti-risk aid, the household dividend list) and the 项目资金公告
 * 公示表 (the columns of §2.2), with the figures the summaries repeat
 *
 * Every query reads one village (an index range on village_id), so a county
 * run streams village after village in bounded memory.  The figures record
 * is filled from the same rows the tables are built from, and checked
 * against the tables' total rows, so a township sheet cannot disagree with
 * a village sheet.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ledger/sql.h>
#include <reports/amount_words.h>
#include <ledger/i18n.h>

#include "disclosure_internal.h"

/*
 * What a line of the item lists says, over voucher_line l and its voucher v
 * (P: the period's last month).  Each lookup is a scalar subquery, run only
 * where needed: as joins they cost the planner more than the query itself.
 *  - a red reversal names what it reverses: 冲销2025年12月记字第4号（2025-12-15
 *    误记招待费）, so that a negative amount is not read as negative income;
 *  - a line whose voucher was reversed up to P says so and where:
 *    误记招待费（已冲销，见凭证2025-12-5）;
 *  - the counterparty is the line's own (a household code as 户主名户), else
 *    the project payee, else the other lines' (a bank line paying two
 *    suppliers names both).
 */
#define LINE_SUMMARY(P)                                                                          \
	"CASE WHEN v.kind = 'reversal' THEN\n"                                                   \
	"    (SELECT '冲销' || to_char(r.period, 'YYYY\"年\"FMMM\"月\"') || '记字第' || r.number\n" \
	"            || '号（' || to_char(r.voucher_date, 'YYYY-MM-DD') || ' '\n"                  \
	"            || coalesce((SELECT nullif(rl.summary, '') FROM voucher_line rl\n"            \
	"                          WHERE rl.village_id = r.village_id AND rl.voucher_id = r.id\n"  \
	"                            AND rl.line_no = l.line_no), r.summary) || '）'\n"            \
	"       FROM voucher r WHERE r.village_id = v.village_id AND r.id = v.reverses_id)\n"     \
	"ELSE coalesce(nullif(l.summary, ''), v.summary)\n"                                      \
	"     || coalesce((SELECT '（已冲销，见凭证' || to_char(rv.period, 'YYYY-MM') || '-'\n"      \
	"                         || rv.number || '）'\n"                                           \
	"                    FROM voucher rv WHERE rv.village_id = v.village_id\n"                 \
	"                     AND rv.reverses_id = v.id AND rv.period <= " P "::date), '') END"
#define LINE_COUNTERPARTY                                                                        \
	"coalesce((SELECT h.head_name || '户' FROM household h\n"                                 \
	"           WHERE h.village_id = l.village_id AND h.code = l.counterparty),\n"            \
	"         nullif(l.counterparty, ''),\n"                                                  \
	"         (SELECT pp.payee FROM project_payment pp\n"                                     \
	"           WHERE pp.village_id = l.village_id AND pp.voucher_id = l.voucher_id),\n"      \
	"         (SELECT string_agg(o.counterparty, '、' ORDER BY o.first)\n"                     \
	"            FROM (SELECT o.counterparty, min(o.line_no) AS first FROM voucher_line o\n"  \
	"                   WHERE o.village_id = l.village_id AND o.voucher_id = l.voucher_id\n"  \
	"                     AND o.line_no <> l.line_no AND coalesce(o.counterparty, '') <> ''\n" \
	"                   GROUP BY o.counterparty) o), '')"

/* $1 village, $2 first day of the year, $3 first month, $4 last month.
 * Income and expense lines, not the year-end closing. */
static const char items_sql[] =
	"SELECT to_char(v.voucher_date, 'YYYY-MM-DD'),\n"
	"       to_char(v.period, 'YYYY-MM') || '-' || v.number,\n"
	"       " LINE_SUMMARY("$4") ",\n"
	"       " LINE_COUNTERPARTY ",\n"
	"       left(l.account_code, 3),\n"
	"       CASE WHEN a.code = t.code THEN a.name ELSE t.name || '—' || a.name END,\n"
	"       CASE WHEN a.category = 'income' THEN l.credit_fen - l.debit_fen\n"
	"            ELSE l.debit_fen - l.credit_fen END,\n"
	"       a.category = 'income', l.period >= $3::date\n"
	"  FROM voucher_line l\n"
	"  JOIN voucher v ON v.village_id = l.village_id AND v.id = l.voucher_id\n"
	"  JOIN account a ON a.village_id = l.village_id AND a.code = l.account_code\n"
	"  JOIN account t ON t.village_id = l.village_id AND t.code = left(l.account_code, 3)\n"
	" WHERE l.village_id = $1 AND l.period >= $2::date AND l.period <= $4::date\n"
	"   AND a.category IN ('income', 'expense') AND v.kind <> 'closing'\n"
	" ORDER BY v.voucher_date, v.period, v.number, l.line_no";

/* $1 village, $2 first month, $3 last month.  Every payment of the period:
 * each credit to cash or bank (opening balances aside), whatever it was
 * charged to, with its payee and what it was for: the voucher's debit
 * accounts, and the project or fund it is tagged with. */
static const char payments_sql[] =
	"SELECT to_char(v.voucher_date, 'YYYY-MM-DD'),\n"
	"       to_char(v.period, 'YYYY-MM') || '-' || v.number,\n"
	"       " LINE_SUMMARY("$3") ",\n"
	"       " LINE_COUNTERPARTY ",\n"
	"       string_agg(DISTINCT CASE WHEN a.code = t.code THEN a.name ELSE t.name || '—' || a.name END,\n"
	"                  '、')\n"
	"       || coalesce('（' || coalesce(pr.name, f.name) || '）', ''),\n"
	"       l.credit_fen\n"
	"  FROM voucher_line l\n"
	"  JOIN voucher v ON v.village_id = l.village_id AND v.id = l.voucher_id\n"
	"  LEFT JOIN voucher_line d ON d.village_id = l.village_id AND d.voucher_id = l.voucher_id\n"
	"                          AND d.debit_fen <> 0\n"
	"  LEFT JOIN account a ON a.village_id = d.village_id AND a.code = d.account_code\n"
	"  LEFT JOIN account t ON t.village_id = d.village_id AND t.code = left(d.account_code, 3)\n"
	"  LEFT JOIN project pr ON pr.village_id = l.village_id AND pr.id = l.project_id\n"
	"  LEFT JOIN fund f ON f.village_id = l.village_id AND f.id = l.fund_id\n"
	" WHERE l.village_id = $1 AND l.period >= $2::date AND l.period <= $3::date\n"
	"   AND l.account_code >= '101' AND l.account_code < '103' AND l.credit_fen <> 0\n"
	"   AND v.kind <> 'opening'\n"
	" GROUP BY l.village_id, l.voucher_id, l.line_no, v.village_id, v.id, pr.village_id, pr.id,\n"
	"          f.village_id, f.id\n"
	" ORDER BY v.voucher_date, v.period, v.number, l.line_no";

/* $1 village: the first-level income and expense accounts, income first */
static const char pl_accounts_sql[] =
	"SELECT code, name, category = 'income' FROM account\n"
	" WHERE village_id = $1 AND length(code) = 3 AND category IN ('income', 'expense')\n"
	" ORDER BY category = 'expense', code";

#define BALANCE_CODES "'{101,102,112,113,201,211,212,213,214,221,231,241}'::text[]"
/* $1 village, $2 first month, $3 last month: as the trial balance reads them */
static const char balances_sql[] =
	"WITH t AS (\n"
	"    SELECT left(account_code, 3) AS code,\n"
	"           sum(CASE WHEN period < $2::date THEN debit_fen - credit_fen\n"
	"                    ELSE opening_debit_fen - opening_credit_fen END) AS opening,\n"
	"           sum(debit_fen - opening_debit_fen) FILTER (WHERE period >= $2::date) AS debit,\n"
	"           sum(credit_fen - opening_credit_fen) FILTER (WHERE period >= $2::date) AS credit\n"
	"      FROM account_period_total\n"
	"     WHERE village_id = $1 AND period <= $3::date\n"
	"       AND left(account_code, 3) = ANY (" BALANCE_CODES ")\n"
	"     GROUP BY 1)\n"
	"SELECT a.code, a.name, a.normal_side = 'C', coalesce(t.opening, 0)::bigint,\n"
	"       coalesce(t.debit, 0)::bigint, coalesce(t.credit, 0)::bigint\n"
	"  FROM account a LEFT JOIN t ON t.code = a.code\n"
	" WHERE a.village_id = $1 AND a.code = ANY (" BALANCE_CODES ")\n"
	" ORDER BY a.code";

/* $1 village, $2 first month, $3 last month: 内部往来 per household or unit -
 * its sub-account of 113, or on 113 itself the line's counterparty - with
 * the opening balance (opening vouchers count as 期初), debits and credits. */
static const char internal_sql[] =
	"WITH x AS (\n"
	"    SELECT l.account_code,\n"
	"           CASE WHEN l.account_code = '113' THEN coalesce(l.counterparty, '') ELSE '' END AS party,\n"
	"           l.period < $2::date OR v.kind = 'opening' AS before, l.debit_fen, l.credit_fen\n"
	"      FROM voucher_line l\n"
	"      JOIN voucher v ON v.village_id = l.village_id AND v.id = l.voucher_id\n"
	"     WHERE l.village_id = $1 AND l.account_code LIKE '113%' AND l.period <= $3::date)\n"
	"SELECT CASE WHEN x.party <> '' THEN x.party WHEN a.code = '113' THEN '（未注明往来户）'\n"
	"            ELSE a.name END,\n"
	"       coalesce(sum(x.debit_fen - x.credit_fen) FILTER (WHERE x.before), 0)::bigint,\n"
	"       coalesce(sum(x.debit_fen) FILTER (WHERE NOT x.before), 0)::bigint,\n"
	"       coalesce(sum(x.credit_fen) FILTER (WHERE NOT x.before), 0)::bigint\n"
	"  FROM x JOIN account a ON a.village_id = $1 AND a.code = x.account_code\n"
	" GROUP BY x.account_code, x.party, a.code, a.name\n"
	" ORDER BY x.account_code, x.party";

/* $1 village, $2 first month, $3 last month, $4 last day.  A fund's money is
 * what moves through cash and bank on lines tagged with it (schema.md). */
static const char funds_sql[] =
	"WITH m AS (\n"
	"    SELECT fund_id,\n"
	"           sum(debit_fen) FILTER (WHERE period < $2::date) AS in_before,\n"
	"           sum(credit_fen) FILTER (WHERE period < $2::date) AS out_before,\n"
	"           sum(debit_fen) FILTER (WHERE period >= $2::date) AS in_now,\n"
	"           sum(credit_fen) FILTER (WHERE period >= $2::date) AS out_now\n"
	"      FROM voucher_line\n"
	"     WHERE village_id = $1 AND account_code >= '101' AND account_code < '103'\n"
	"       AND period <= $3::date AND fund_id IS NOT NULL\n"
	"     GROUP BY fund_id),\n"
	"p AS (\n"
	"    SELECT l.fund_id, string_agg(DISTINCT pr.name, '、' ORDER BY pr.name) AS names\n"
	"      FROM voucher_line l\n"
	"      JOIN project pr ON pr.village_id = l.village_id AND pr.id = l.project_id\n"
	"     WHERE l.village_id = $1 AND l.fund_id IS NOT NULL AND l.project_id IS NOT NULL\n"
	"       AND l.period <= $3::date\n"
	"     GROUP BY l.fund_id)\n"
	"SELECT f.code, f.name, f.kind, f.source_level, f.doc_no, f.granted_fen,\n"
	"       coalesce(f.allocation_id, 0), coalesce(m.in_before, 0)::bigint,\n"
	"       coalesce(m.out_before, 0)::bigint, coalesce(m.in_now, 0)::bigint,\n"
	"       coalesce(m.out_now, 0)::bigint, coalesce(p.names, ''), f.kind = '防返贫基金'\n"
	"  FROM fund f LEFT JOIN m ON m.fund_id = f.id LEFT JOIN p ON p.fund_id = f.id\n"
	" WHERE f.village_id = $1\n"
	"   AND (f.doc_date IS NULL OR f.doc_date <= $4::date OR m.fund_id IS NOT NULL)\n"
	" ORDER BY f.code";

/* $1 village, $2 first month, $3 last month, $4 first day, $5 last day.
 * Projects not accepted before the period; progress as at its last day. */
static const char projects_sql[] =
	"WITH m AS (\n"
	"    SELECT project_id,\n"
	"           sum(credit_fen) FILTER (WHERE period >= $2::date) AS now,\n"
	"           sum(credit_fen) AS total\n"
	"      FROM voucher_line\n"
	"     WHERE village_id = $1 AND account_code >= '101' AND account_code < '103'\n"
	"       AND period <= $3::date AND project_id IS NOT NULL\n"
	"     GROUP BY project_id),\n"
	"b AS (\n"
	"    SELECT b.project_id, sum(b.amount_fen) AS budget,\n"
	"           string_agg(coalesce(f.name || '（' || f.source_level || '）', b.source) || ' '\n"
	"                      || fen_text(b.amount_fen), '；' ORDER BY b.seq) AS sources\n"
	"      FROM project_budget b\n"
	"      LEFT JOIN fund f ON f.village_id = b.village_id AND f.id = b.fund_id\n"
	"     WHERE b.village_id = $1\n"
	"     GROUP BY b.project_id)\n"
	"SELECT p.name, p.category, p.content, p.implementing_unit, p.responsible,\n"
	"       coalesce(to_char(p.start_date, 'YYYY-MM-DD'), ''),\n"
	"       coalesce(to_char(p.end_date, 'YYYY-MM-DD'), ''),\n"
	"       p.households, p.poverty_households, p.monitored_households, p.goals,\n"
	"       p.benefit_mechanism,\n"
	"       CASE WHEN p.accepted_on <= $5::date THEN '已验收'\n"
	"            WHEN p.status <> 'planned' AND coalesce(p.start_date <= $5::date, true)\n"
	"            THEN '实施中' ELSE '未开工' END,\n"
	"       CASE WHEN p.accepted_on <= $5::date\n"
	"            THEN p.asset_kind || '资产' || coalesce(' ' || fen_text(p.asset_value_fen), '')\n"
	"            ELSE '' END,\n"
	"       coalesce(b.budget, 0)::bigint, coalesce(b.sources, ''),\n"
	"       coalesce(m.now, 0)::bigint, coalesce(m.total, 0)::bigint\n"
	"  FROM project p LEFT JOIN b ON b.project_id = p.id LEFT JOIN m ON m.project_id = p.id\n"
	" WHERE p.village_id = $1 AND (p.accepted_on IS NULL OR p.accepted_on >= $4::date)\n"
	" ORDER BY p.code";

/* $1 village, $2 first day, $3 last day */
static const char aid_sql[] =
	"SELECT to_char(a.paid_on, 'YYYY-MM-DD'), h.head_name, id_number_masked(h.head_id_number),\n"
	"       a.persons, a.reason, a.amount_fen, a.township_review || '；' || a.county_record\n"
	"  FROM aid_payment a\n"
	"  JOIN household h ON h.village_id = a.village_id AND h.code = a.household_code\n"
	" WHERE a.village_id = $1 AND a.paid_on BETWEEN $2::date AND $3::date\n"
	" ORDER BY a.paid_on, a.id";

/* $1 village, $2 first day, $3 last day: distributions declared in the period */
static const char plans_sql[] =
	"SELECT year, distributable_fen, reserve_rate_bp, reserve_fen, welfare_rate_bp, welfare_fen,\n"
	"       pool_fen, collective_fen, households_fen, (total_shares * 100)::bigint,\n"
	"       to_char(shares_on, 'YYYY-MM-DD')\n"
	"  FROM dividend_plan\n"
	" WHERE village_id = $1 AND declared_on BETWEEN $2::date AND $3::date\n"
	" ORDER BY year";

/* The household share types, in the order the columns show them. */
static const char *const share_types[] = {"人口股", "劳龄股", "扶贫股", "募集股", "土地股"};
#define NSHARE_TYPES 5

/* $1 village, $2 year, $3 last day: each household's line, shares by type */
static const char plan_lines_sql[] =
	"WITH s AS (\n"
	"    SELECT household_code, share_type, shares\n"
	"      FROM shares_on($1, (SELECT shares_on FROM dividend_plan\n"
	"                           WHERE village_id = $1 AND year = $2)))\n"
	"SELECT d.household_code, h.head_name, id_number_masked(h.head_id_number),\n"
	"       (SELECT count(*) FROM household_member m\n"
	"         WHERE m.village_id = d.village_id AND m.household_code = d.household_code),\n"
	"       x.t1, x.t2, x.t3, x.t4, x.t5, (d.shares * 100)::bigint, d.amount_fen,\n"
	"       CASE WHEN pv.voucher_date <= $3::date\n"
	"            THEN '已发放 ' || to_char(pv.voucher_date, 'YYYY-MM-DD') ELSE '未发放' END\n"
	"  FROM dividend_line d\n"
	"  JOIN household h ON h.village_id = d.village_id AND h.code = d.household_code\n"
	"  LEFT JOIN voucher pv ON pv.village_id = d.village_id AND pv.id = d.paid_voucher_id\n"
	"  LEFT JOIN LATERAL (\n"
	"      SELECT (coalesce(sum(shares) FILTER (WHERE share_type = '人口股'), 0) * 100)::bigint AS t1,\n"
	"             (coalesce(sum(shares) FILTER (WHERE share_type = '劳龄股'), 0) * 100)::bigint AS t2,\n"
	"             (coalesce(sum(shares) FILTER (WHERE share_type = '扶贫股'), 0) * 100)::bigint AS t3,\n"
	"             (coalesce(sum(shares) FILTER (WHERE share_type = '募集股'), 0) * 100)::bigint AS t4,\n"
	"             (coalesce(sum(shares) FILTER (WHERE share_type = '土地股'), 0) * 100)::bigint AS t5\n"
	"        FROM s WHERE s.household_code = d.household_code) x ON true\n"
	" WHERE d.village_id = $1 AND d.year = $2\n"
	" ORDER BY d.household_code COLLATE \"C\"";

/* ------------------------------------------------------------------------ */

typedef struct ctx {
	cj_db *db;
	int village_id;
	const dis_period *p;
	cj_report *r;
	char vid[16], year_start[16], from[16], to_month[16], last[16];
	int err; /* first failure: a cj_status, the message on the db handle */
	/* cash and bank paid out in the period: the payment list's total and
	 * the balance table's 本期减少, which must agree */
	int64_t paid_listed, paid_booked;
} ctx;

static int
oom(ctx *c)
{
	if (!c->err)
		c->err = cj_db_fail(c->db, CJ_ENOMEM, _("out of memory building the disclosure sheet"));
	return c->err;
}

static const char *
money(char buf[CJ_MONEY_FMT_MAX], int64_t fen)
{
	cj_money_format(buf, CJ_MONEY_FMT_MAX, cj_money_from_fen(fen), CJ_MONEY_FMT_GROUPED);
	return buf;
}

static int
words_text(char *buf, size_t size, int64_t fen)
{
	char cap[CJ_AMOUNT_WORDS_MAX];

	if (cj_amount_words(cap, sizeof cap, fen) < 0)
		return -1;
	snprintf(buf, size, "人民币（大写）%s", cap);
	return 0;
}

/* Hundredths as "12.50" (shares). */
static const char *
centi(char *buf, size_t size, int64_t v)
{
	int64_t a = v < 0 ? -v : v;

	snprintf(buf, size, "%s%lld.%02lld", v < 0 ? "-" : "", (long long)(a / 100),
		 (long long)(a % 100));
	return buf;
}

/* Text of a query cell with ID numbers masked, into the report; whole, as a
 * payee list can be long and a cut could split a character. */
static int
text_cell(ctx *c, cj_table *t, long row, size_t col, const char *s)
{
	char *buf = strdup(s);
	int err;

	if (!buf)
		return oom(c);
	cj_dis_mask_ids(buf);
	err = cj_table_text(c->r, t, row, col, "%s", buf);
	free(buf);
	return err ? oom(c) : 0;
}

static PGresult *
query(ctx *c, const char *sql, int n, const char *const *params)
{
	PGresult *res = NULL;
	int err;

	if (c->err)
		return NULL;
	err = cj_db_exec_prepared(c->db, &res, sql, n, params);
	if (err) {
		c->err = err;
		return NULL;
	}
	return res;
}

static int64_t
i64(PGresult *res, int row, int col)
{
	return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

static int
is_true(PGresult *res, int row, int col)
{
	return PQgetvalue(res, row, col)[0] == 't';
}

/* A row saying a table has nothing this period. */
static int
none_row(ctx *c, cj_table *t, const char *what)
{
	long row = cj_table_row(c->r, t, CJ_ROW_HEADING, 0);

	if (row < 0 || cj_table_text(c->r, t, row, 0, "%s", what))
		return oom(c);
	return 0;
}

/* cj_table_total over the data rows first..last (an empty range gives zeros). */
static long
total(ctx *c, cj_table *t, cj_row_kind kind, size_t label_col, const char *label, long first,
      long last)
{
	long row = cj_table_total(c->r, t, kind, label_col, label, first, last);

	if (row < 0) {
		oom(c);
		return -1;
	}
	return row;
}

static int
column(ctx *c, cj_table *t, const char *group, const char *title, cj_col_type type, int width)
{
	if (cj_table_column(c->r, t, group, title, type, width))
		return oom(c);
	return 0;
}

typedef struct colspec {
	const char *group, *title;
	cj_col_type type;
	int width;
} colspec;

/* A table with its columns; NULL with c->err set when out of memory. */
static cj_table *
new_table(ctx *c, const char *name, int landscape, const colspec *cols, size_t n)
{
	cj_table *t = cj_report_table(c->r, name, landscape);

	for (size_t i = 0; t && i < n; i++)
		if (cj_table_column(c->r, t, cols[i].group, cols[i].title, cols[i].type, cols[i].width))
			t = NULL;
	if (!t)
		oom(c);
	return t;
}
#define NEW_TABLE(c, name, landscape, cols) \
	new_table(c, name, landscape, cols, sizeof cols / sizeof cols[0])

static int64_t
cell_value(const cj_table *t, long row, size_t col)
{
	return t->rows[row].cells[col].value;
}

/* ------------------------------------------------------------------------ */
/* 收支情况, 收入明细, 支出明细 */

typedef struct pl_account {
	char code[8], name[64];
	int income;
	int64_t period_fen, year_fen;
} pl_account;

static int
build_income_expense(ctx *c, dis_figures *fig)
{
	const char *p1[1] = {c->vid};
	const char *p4[4] = {c->vid, c->year_start, c->from, c->to_month};
	PGresult *acc = query(c, pl_accounts_sql, 1, p1);
	PGresult *items = acc ? query(c, items_sql, 4, p4) : NULL;
	pl_account *a = NULL;
	int na = 0, ov = 0;
	cj_table *sum = NULL, *tab[2] = {NULL, NULL};
	int64_t totals[2] = {0, 0};
	long first, nrows[2] = {0, 0};
	char buf[CJ_MONEY_FMT_MAX], cap[CJ_AMOUNT_WORDS_MAX + 40];

	if (!items)
		goto done;
	na = PQntuples(acc);
	if (!(a = calloc((size_t)(na ? na : 1), sizeof *a))) {
		oom(c);
		goto done;
	}
	for (int i = 0; i < na; i++) {
		snprintf(a[i].code, sizeof a[i].code, "%s", PQgetvalue(acc, i, 0));
		snprintf(a[i].name, sizeof a[i].name, "%s", PQgetvalue(acc, i, 1));
		a[i].income = is_true(acc, i, 2);
	}

	/* the summary comes first on the sheet, but its period column is the
	 * sum of the items, so the items are added up before it is built */
	sum = cj_report_table(c->r, "收支情况", 0);
	tab[0] = cj_report_table(c->r, "收入明细", 0);
	tab[1] = cj_report_table(c->r, "支出明细", 0);
	if (!sum || !tab[0] || !tab[1]) {
		oom(c);
		goto done;
	}
	if (column(c, sum, NULL, "收支", CJ_COL_TEXT, 8) ||
	    column(c, sum, NULL, "科目", CJ_COL_TEXT, 14) ||
	    column(c, sum, NULL, "本期金额", CJ_COL_MONEY, 16) ||
	    column(c, sum, NULL, "本年累计", CJ_COL_MONEY, 16))
		goto done;
	for (int k = 0; k < 2; k++)
		if (column(c, tab[k], NULL, "日期", CJ_COL_DATE, 10) ||
		    column(c, tab[k], NULL, "凭证号", CJ_COL_TEXT, 10) ||
		    column(c, tab[k], NULL, "摘要", CJ_COL_TEXT, 28) ||
		    column(c, tab[k], NULL, k ? "收款单位（人）" : "付款单位（人）", CJ_COL_TEXT, 26) ||
		    column(c, tab[k], NULL, "科目", CJ_COL_TEXT, 18) ||
		    column(c, tab[k], NULL, "金额", CJ_COL_MONEY, 14))
			goto done;

	for (int i = 0; i < PQntuples(items); i++) {
		const char *top = PQgetvalue(items, i, 4);
		int64_t amount = i64(items, i, 6);
		int income = is_true(items, i, 7), in_period = is_true(items, i, 8), k = income ? 0 : 1;
		long row;

		for (int j = 0; j < na; j++)
			if (!strcmp(a[j].code, top)) {
				a[j].year_fen = cj__dis_add(a[j].year_fen, amount, &ov);
				if (in_period)
					a[j].period_fen = cj__dis_add(a[j].period_fen, amount, &ov);
			}
		if (!in_period)
			continue;
		row = cj_table_row(c->r, tab[k], CJ_ROW_DATA, 0);
		if (row < 0 || cj_table_text(c->r, tab[k], row, 0, "%s", PQgetvalue(items, i, 0)) ||
		    cj_table_text(c->r, tab[k], row, 1, "%s", PQgetvalue(items, i, 1)) ||
		    text_cell(c, tab[k], row, 2, PQgetvalue(items, i, 2)) ||
		    text_cell(c, tab[k], row, 3, PQgetvalue(items, i, 3)) ||
		    cj_table_text(c->r, tab[k], row, 4, "%s", PQgetvalue(items, i, 5))) {
			oom(c);
			goto done;
		}
		cj_table_number(tab[k], row, 5, amount);
		totals[k] = cj__dis_add(totals[k], amount, &ov);
		nrows[k]++;
	}
	for (int k = 0; k < 2; k++) {
		long row;

		if (!nrows[k] && none_row(c, tab[k], k ? "本期无支出" : "本期无收入"))
			goto done;
		row = total(c, tab[k], CJ_ROW_TOTAL, 0, "合计", 0, (long)tab[k]->nrows - 1);
		if (row < 0 || words_text(cap, sizeof cap, totals[k]) ||
		    cj_table_text(c->r, tab[k], row, 2, "%s", cap)) {
			oom(c);
			goto done;
		}
		if (cell_value(tab[k], row, 5) != totals[k]) {
			c->err = cj_db_fail(c->db, CJ_ERROR, _("internal: %s total differs"), tab[k]->name);
			goto done;
		}
	}

	/* 收支情况: income rows, expense rows, then their two totals */
	first = 0;
	for (int pass = 0; pass < 2; pass++)
		for (int j = 0; j < na; j++) {
			long row;

			if (a[j].income != !pass)
				continue;
			row = cj_table_row(c->r, sum, CJ_ROW_DATA, 0);
			if (row < 0 || cj_table_text(c->r, sum, row, 0, pass ? "支出" : "收入") ||
			    cj_table_text(c->r, sum, row, 1, "%s", a[j].name)) {
				oom(c);
				goto done;
			}
			cj_table_number(sum, row, 2, a[j].period_fen);
			cj_table_number(sum, row, 3, a[j].year_fen);
			if (a[j].income && (!strcmp(a[j].code, "501") || !strcmp(a[j].code, "502")))
				fig->operating_fen =
				    cj__dis_add(fig->operating_fen, a[j].period_fen, &ov);
			if (!pass)
				first++;
		}
	{
		long n = (long)sum->nrows;
		long r1 = total(c, sum, CJ_ROW_SUBTOTAL, 0, "收入合计", 0, first - 1);
		long r2 = r1 < 0 ? -1 : total(c, sum, CJ_ROW_SUBTOTAL, 0, "支出合计", first, n - 1);

		if (r2 < 0)
			goto done;
		if (cell_value(sum, r1, 2) != totals[0] || cell_value(sum, r2, 2) != totals[1]) {
			c->err = cj_db_fail(c->db, CJ_ERROR,
					    _("internal: the summary differs from the item lists"));
			goto done;
		}
		if (n > 0 && cj_table_chart(c->r, sum, CJ_CHART_COLUMN, "本期收入和支出（按科目）", 1, 2,
					    0, n - 1)) {
			oom(c);
			goto done;
		}
	}
	fig->income_fen = totals[0];
	fig->expense_fen = totals[1];
	if (words_text(cap, sizeof cap, totals[0]) ||
	    cj_report_note(c->r, "本期收入合计%s元，%s。", money(buf, totals[0]), cap) ||
	    words_text(cap, sizeof cap, totals[1]) ||
	    cj_report_note(c->r, "本期支出合计%s元，%s。", money(buf, totals[1]), cap) ||
	    cj_report_note(c->r, "本期收支相抵%s%s元；其中集体经营性收入（经营收入与投资收益）%s元。",
			   totals[0] >= totals[1] ? "结余" : "超支",
			   money(cap, totals[0] >= totals[1] ? totals[0] - totals[1] : totals[1] - totals[0]),
			   money(buf, fig->operating_fen))) {
		oom(c);
		goto done;
	}
	if (ov)
		c->err = cj_db_fail(c->db, CJ_EOVERFLOW, _("amount overflow in the income and expense"));
done:
	free(a);
	PQclear(acc);
	PQclear(items);
	return c->err;
}

/* ------------------------------------------------------------------------ */
/* 货币资金支付明细: every payment of the period, whatever it was charged to */

static int
build_payments(ctx *c)
{
	static const colspec cols[] = {
		{NULL, "日期", CJ_COL_DATE, 10},
		{NULL, "凭证号", CJ_COL_TEXT, 10},
		{NULL, "摘要", CJ_COL_TEXT, 24},
		{NULL, "收款单位（人）", CJ_COL_TEXT, 26},
		{NULL, "用途（科目及项目、资金）", CJ_COL_TEXT, 22},
		{NULL, "金额", CJ_COL_MONEY, 14},
	};
	const char *params[3] = {c->vid, c->from, c->to_month};
	PGresult *res = query(c, payments_sql, 3, params);
	cj_table *t;
	int n, ov = 0;
	long row;

	if (!res)
		return c->err;
	n = PQntuples(res);
	if (!(t = NEW_TABLE(c, "货币资金支付明细", 0, cols))) {
		PQclear(res);
		return c->err;
	}
	for (int i = 0; i < n && !c->err; i++) {
		row = cj_table_row(c->r, t, CJ_ROW_DATA, 0);
		if (row < 0 || cj_table_text(c->r, t, row, 0, "%s", PQgetvalue(res, i, 0)) ||
		    cj_table_text(c->r, t, row, 1, "%s", PQgetvalue(res, i, 1)) ||
		    text_cell(c, t, row, 2, PQgetvalue(res, i, 2)) ||
		    text_cell(c, t, row, 3, PQgetvalue(res, i, 3)) ||
		    text_cell(c, t, row, 4, PQgetvalue(res, i, 4))) {
			oom(c);
			break;
		}
		cj_table_number(t, row, 5, i64(res, i, 5));
		c->paid_listed = cj__dis_add(c->paid_listed, i64(res, i, 5), &ov);
	}
	PQclear(res);
	if (c->err || (!n && none_row(c, t, "本期无现金及银行存款支付")))
		return c->err;
	row = total(c, t, CJ_ROW_TOTAL, 0, "合计", 0, (long)t->nrows - 1);
	if (row >= 0 && cell_value(t, row, 5) != c->paid_listed)
		c->err = cj_db_fail(c->db, CJ_ERROR, _("internal: the payment list's total differs"));
	if (!c->err && ov)
		c->err = cj_db_fail(c->db, CJ_EOVERFLOW, _("amount overflow in the payments"));
	if (!c->err && cj_report_note(c->r, "货币资金支付明细列示本期从库存现金、银行存款付出的每一笔款项，"
				      "不论记入何种科目（含专项资金、工程款、往来款、提取现金），"
				      "合计等于货币资金本期减少。"))
		oom(c);
	return c->err;
}

/* ------------------------------------------------------------------------ */
/* 货币资金及债权债务 */

/* A row of amounts on a side: debit-side rows grow by debits, credit-side
 * (liabilities, what the collective owes) by credits. */
static void
side_row(cj_table *t, long row, int credit_side, int64_t open, int64_t debit, int64_t credit)
{
	if (credit_side) {
		open = -open;
		cj_table_number(t, row, 2, credit);
		cj_table_number(t, row, 3, debit);
		cj_table_number(t, row, 4, open + credit - debit);
	} else {
		cj_table_number(t, row, 2, debit);
		cj_table_number(t, row, 3, credit);
		cj_table_number(t, row, 4, open + debit - credit);
	}
	cj_table_number(t, row, 1, open);
}

static cj_table *
balance_table(ctx *c, const char *name, const char *first)
{
	const colspec cols[] = {
		{NULL, first, CJ_COL_TEXT, 24},
		{NULL, "期初余额", CJ_COL_MONEY, 16},
		{NULL, "本期增加", CJ_COL_MONEY, 16},
		{NULL, "本期减少", CJ_COL_MONEY, 16},
		{NULL, "期末余额", CJ_COL_MONEY, 16},
	};

	return NEW_TABLE(c, name, 0, cols);
}

/* 内部往来 per household or unit: owed to the collective (a debit balance at
 * the end, or at the start when it ends at zero) or owed by it, never
 * netted.  Row i of the query is in group 0 (owed to) or 1 (owed by). */
static int
internal_group(PGresult *res, int i)
{
	int64_t open = i64(res, i, 1), end = open + i64(res, i, 2) - i64(res, i, 3);

	return end < 0 || (end == 0 && open < 0);
}

/* The 内部往来明细 table; sums[g] gets each group's opening, debits, credits. */
static int
build_internal(ctx *c, PGresult *res, int64_t sums[2][3])
{
	static const char *const heads[2] = {"成员欠集体（列入债权）", "集体欠成员（列入债务）"};
	cj_table *t = balance_table(c, "内部往来明细", "往来户（单位）");
	int n = PQntuples(res), shown = 0, ov = 0;

	if (!t)
		return c->err;
	for (int g = 0; g < 2 && !c->err; g++) {
		long head = -1, first = -1;

		for (int i = 0; i < n && !c->err; i++) {
			int64_t open = i64(res, i, 1), debit = i64(res, i, 2), credit = i64(res, i, 3);
			long row;

			if (internal_group(res, i) != g || (!open && !debit && !credit))
				continue;
			if (head < 0) {
				head = cj_table_row(c->r, t, CJ_ROW_HEADING, 0);
				if (head < 0 || cj_table_text(c->r, t, head, 0, "%s", heads[g]))
					return oom(c);
				first = head + 1;
			}
			row = cj_table_row(c->r, t, CJ_ROW_DATA, 1);
			if (row < 0 || text_cell(c, t, row, 0, PQgetvalue(res, i, 0)))
				return oom(c);
			side_row(t, row, g, open, debit, credit);
			sums[g][0] = cj__dis_add(sums[g][0], open, &ov);
			sums[g][1] = cj__dis_add(sums[g][1], debit, &ov);
			sums[g][2] = cj__dis_add(sums[g][2], credit, &ov);
			shown++;
		}
		if (first >= 0)
			total(c, t, CJ_ROW_SUBTOTAL, 0, "小计", first, (long)t->nrows - 1);
	}
	if (!c->err && !shown)
		none_row(c, t, "本期无内部往来");
	if (!c->err && ov)
		c->err = cj_db_fail(c->db, CJ_EOVERFLOW, _("amount overflow in 内部往来"));
	return c->err;
}

static int
build_balances(ctx *c)
{
	/* 113D and 113C: 内部往来 owed to and by the collective, per household */
	static const struct {
		const char *title;
		const char *codes[10];
	} groups[3] = {
		{"货币资金", {"101", "102", NULL}},
		{"债权", {"112", "113D", NULL}},
		{"债务", {"201", "211", "113C", "212", "213", "214", "221", "231", "241", NULL}},
	};
	const char *params[3] = {c->vid, c->from, c->to_month};
	PGresult *res = query(c, balances_sql, 3, params);
	PGresult *internal = res ? query(c, internal_sql, 3, params) : NULL;
	int64_t sums[2][3] = {{0, 0, 0}, {0, 0, 0}};
	cj_table *t;

	if (!internal)
		goto done;
	if (!(t = balance_table(c, "货币资金及债权债务", "项目")))
		goto done;
	/* the detail comes after, but its sums make the two 内部往来 rows */
	if (build_internal(c, internal, sums))
		goto done;
	for (int g = 0; g < 3 && !c->err; g++) {
		long head = cj_table_row(c->r, t, CJ_ROW_HEADING, 0), first = head + 1;

		if (head < 0 || cj_table_text(c->r, t, head, 0, "%s", groups[g].title)) {
			oom(c);
			break;
		}
		for (int k = 0; groups[g].codes[k] && !c->err; k++) {
			const char *code = groups[g].codes[k];
			int part = !strcmp(code, "113D") ? 0 : !strcmp(code, "113C") ? 1 : -1;

			for (int i = 0; i < PQntuples(res); i++) {
				long row;

				if (strncmp(PQgetvalue(res, i, 0), code, 3))
					continue;
				row = cj_table_row(c->r, t, CJ_ROW_DATA, 1);
				if (row < 0 ||
				    cj_table_text(c->r, t, row, 0, "%s%s", PQgetvalue(res, i, 1),
						  part < 0 ? "" : part ? "（集体欠成员）" : "（成员欠集体）")) {
					oom(c);
					break;
				}
				if (part >= 0) {
					side_row(t, row, part, sums[part][0], sums[part][1], sums[part][2]);
					/* the households' parts add up to the account */
					if (part && (sums[0][0] + sums[1][0] != i64(res, i, 3) ||
						     sums[0][1] + sums[1][1] != i64(res, i, 4) ||
						     sums[0][2] + sums[1][2] != i64(res, i, 5)))
						c->err = cj_db_fail(c->db, CJ_ERROR, _("internal: 内部往来 by "
								    "household differs from the account"));
				} else {
					side_row(t, row, is_true(res, i, 2), i64(res, i, 3), i64(res, i, 4),
						 i64(res, i, 5));
					if (g == 0)
						c->paid_booked += i64(res, i, 5);
				}
			}
		}
		if (!c->err)
			total(c, t, CJ_ROW_SUBTOTAL, 0, "小计", first, (long)t->nrows - 1);
	}
	if (!c->err && cj_report_note(c->r, "内部往来为与本集体成员（户）和所属单位的往来款项，按户分别计算："
				      "成员欠集体的列入债权，集体欠成员的列入债务，两者不相抵，"
				      "明细见内部往来明细。"))
		oom(c);
done:
	PQclear(res);
	PQclear(internal);
	return c->err;
}

/* ------------------------------------------------------------------------ */
/* 专项资金 */

static int
build_funds(ctx *c, dis_figures *fig)
{
	static const colspec cols[] = {
		{NULL, "资金名称", CJ_COL_TEXT, 24},
		{NULL, "资金类别", CJ_COL_TEXT, 14},
		{NULL, "来源", CJ_COL_TEXT, 4},
		{NULL, "文号", CJ_COL_TEXT, 16},
		{NULL, "下达金额", CJ_COL_MONEY, 14},
		{NULL, "期初结存", CJ_COL_MONEY, 14},
		{NULL, "本期收到", CJ_COL_MONEY, 14},
		{NULL, "本期支出", CJ_COL_MONEY, 14},
		{NULL, "期末结存", CJ_COL_MONEY, 14},
		{NULL, "投向项目", CJ_COL_TEXT, 20},
	};
	const char *params[4] = {c->vid, c->from, c->to_month, c->last};
	PGresult *res = query(c, funds_sql, 4, params);
	cj_table *t;
	int n, ov = 0;
	long row;

	if (!res)
		return c->err;
	n = PQntuples(res);
	if (!(t = NEW_TABLE(c, "专项资金", 1, cols))) {
		PQclear(res);
		return c->err;
	}
	if (n && !(fig->parts = calloc((size_t)n, sizeof *fig->parts))) {
		PQclear(res);
		return oom(c);
	}
	for (int i = 0; i < n; i++) {
		int64_t in_before = i64(res, i, 7), out_before = i64(res, i, 8);
		int64_t in_now = i64(res, i, 9), out_now = i64(res, i, 10);
		int64_t open = in_before - out_before, left = open + in_now - out_now;
		dis_part *part = &fig->parts[fig->nparts++];

		row = cj_table_row(c->r, t, CJ_ROW_DATA, 0);
		if (row < 0 || text_cell(c, t, row, 0, PQgetvalue(res, i, 1)) ||
		    text_cell(c, t, row, 1, PQgetvalue(res, i, 2)) ||
		    text_cell(c, t, row, 2, PQgetvalue(res, i, 3)) ||
		    text_cell(c, t, row, 3, PQgetvalue(res, i, 4)) ||
		    text_cell(c, t, row, 9, PQgetvalue(res, i, 11))) {
			oom(c);
			break;
		}
		cj_table_number(t, row, 4, i64(res, i, 5));
		cj_table_number(t, row, 5, open);
		cj_table_number(t, row, 6, in_now);
		cj_table_number(t, row, 7, out_now);
		cj_table_number(t, row, 8, left);
		fig->fund_open_fen = cj__dis_add(fig->fund_open_fen, open, &ov);
		fig->fund_in_fen = cj__dis_add(fig->fund_in_fen, in_now, &ov);
		fig->fund_out_fen = cj__dis_add(fig->fund_out_fen, out_now, &ov);
		fig->fund_left_fen = cj__dis_add(fig->fund_left_fen, left, &ov);
		if (is_true(res, i, 12)) {
			fig->fx_open_fen = cj__dis_add(fig->fx_open_fen, open, &ov);
			fig->fx_in_fen = cj__dis_add(fig->fx_in_fen, in_now, &ov);
			fig->fx_out_fen = cj__dis_add(fig->fx_out_fen, out_now, &ov);
			fig->fx_left_fen = cj__dis_add(fig->fx_left_fen, left, &ov);
		}
		part->allocation_id = i64(res, i, 6);
		snprintf(part->fund_name, sizeof part->fund_name, "%s", PQgetvalue(res, i, 1));
		snprintf(part->doc_no, sizeof part->doc_no, "%s", PQgetvalue(res, i, 4));
		snprintf(part->source, sizeof part->source, "%s", PQgetvalue(res, i, 3));
		part->granted_fen = i64(res, i, 5);
		part->received_fen = in_before + in_now;
		part->spent_fen = out_before + out_now;
		part->villages = 1;
	}
	PQclear(res);
	if (c->err)
		return c->err;
	if (!n && none_row(c, t, "本期无专项资金"))
		return c->err;
	row = total(c, t, CJ_ROW_TOTAL, 0, "合计", 0, (long)t->nrows - 1);
	if (row >= 0 && (cell_value(t, row, 8) != fig->fund_left_fen ||
			 cell_value(t, row, 6) != fig->fund_in_fen))
		c->err = cj_db_fail(c->db, CJ_ERROR, _("internal: the fund total differs"));
	if (!c->err && ov)
		c->err = cj_db_fail(c->db, CJ_EOVERFLOW, _("amount overflow in the funds"));
	if (!c->err && cj_report_note(c->r, "专项资金的收到和支出，指记入库存现金、银行存款并标明该项资金的款项；"
				      "期末结存 = 期初结存 + 本期收到 - 本期支出。"))
		oom(c);
	return c->err;
}

/* ------------------------------------------------------------------------ */
/* 防返贫救助 */

static int
build_aid(ctx *c, dis_figures *fig)
{
	static const colspec cols[] = {
		{NULL, "发放日期", CJ_COL_DATE, 10},
		{NULL, "户主", CJ_COL_TEXT, 8},
		{NULL, "身份证号", CJ_COL_TEXT, 20},
		{NULL, "救助人数", CJ_COL_INT, 8},
		{NULL, "救助事由", CJ_COL_TEXT, 16},
		{NULL, "金额", CJ_COL_MONEY, 12},
		{NULL, "审核备案", CJ_COL_TEXT, 22},
	};
	char first[16];
	const char *params[3] = {c->vid, first, c->last};
	PGresult *res;
	cj_table *t;
	int n;

	cj_date_format(first, sizeof first, c->p->from);
	if (!(res = query(c, aid_sql, 3, params)))
		return c->err;
	n = PQntuples(res);
	if (!(t = NEW_TABLE(c, "防返贫救助", 0, cols))) {
		PQclear(res);
		return c->err;
	}
	for (int i = 0; i < n && !c->err; i++) {
		long row = cj_table_row(c->r, t, CJ_ROW_DATA, 0);

		if (row < 0 || cj_table_text(c->r, t, row, 0, "%s", PQgetvalue(res, i, 0)) ||
		    text_cell(c, t, row, 1, PQgetvalue(res, i, 1)) ||
		    text_cell(c, t, row, 2, PQgetvalue(res, i, 2)) ||
		    text_cell(c, t, row, 4, PQgetvalue(res, i, 4)) ||
		    text_cell(c, t, row, 6, PQgetvalue(res, i, 6))) {
			oom(c);
			break;
		}
		cj_table_number(t, row, 3, i64(res, i, 3));
		cj_table_number(t, row, 5, i64(res, i, 5));
	}
	PQclear(res);
	if (c->err || (!n && none_row(c, t, "本期无防返贫救助")))
		return c->err;
	{
		long row = total(c, t, CJ_ROW_TOTAL, 0, "合计", 0, (long)t->nrows - 1);

		if (row >= 0) {
			fig->aid_count = n;
			fig->aid_fen = cell_value(t, row, 5);
		}
	}
	return c->err;
}

/* ------------------------------------------------------------------------ */
/* 收益分配 (when a distribution was declared in the period) */

__extension__ typedef unsigned __int128 u128;

/*
 * 每股分红 as the plan defines it: 分配总额 ÷ 总股数 (the collective's shares
 * included), the exact quotient in yuan to six decimals ("…" when it goes
 * on), and rounded half up to the fen when it is not whole fen.  Each
 * household's amount comes from the largest-remainder method, not from this
 * rounded figure, so the note says so.
 */
static int
per_share_note(ctx *c, int64_t pool_fen, int64_t shares_centi)
{
	char pool[CJ_MONEY_FMT_MAX], shares[32], exact[CJ_MONEY_FMT_MAX + 16],
		rounded[CJ_MONEY_FMT_MAX];
	u128 num, den, q, rem;
	size_t len;

	if (pool_fen <= 0 || shares_centi <= 0)
		return 0;
	/* fen per share = pool_fen × 100 ÷ shares_centi */
	num = (u128)pool_fen * 100u;
	den = (u128)shares_centi;
	q = num / den;
	rem = num % den;
	if (q >= (u128)INT64_MAX)
		return 0; /* beyond any real pool: no figure rather than a wrong one */
	money(exact, (int64_t)q);
	len = strlen(exact);
	for (int k = 0; k < 4 && rem; k++) {
		rem *= 10u;
		exact[len++] = (char)('0' + (int)(rem / den));
		rem %= den;
	}
	exact[len] = '\0';
	centi(shares, sizeof shares, shares_centi);
	money(pool, pool_fen);
	if (num % den == 0) {
		if (cj_report_note(c->r, "每股分红：分配总额%s元÷总股数%s股＝%s元/股（除尽）。", pool,
				   shares, exact))
			return oom(c);
		return 0;
	}
	money(rounded, (int64_t)(q + (2u * (num % den) >= den ? 1u : 0u)));
	if (cj_report_note(c->r, "每股分红：分配总额%s元÷总股数%s股＝%s%s元/股，四舍五入到分为%s元/股；"
			   "各户分红金额按下述分配方法以分计算，不是每股分红乘以股数。", pool, shares, exact,
			   rem ? "…" : "", rounded))
		return oom(c);
	return 0;
}

static int
build_dividends(ctx *c)
{
	char first[16];
	const char *params[3] = {c->vid, first, c->last};
	PGresult *plans;
	char a[CJ_MONEY_FMT_MAX], b[CJ_MONEY_FMT_MAX], d[CJ_MONEY_FMT_MAX], e[CJ_MONEY_FMT_MAX];
	char f[CJ_MONEY_FMT_MAX], g[CJ_MONEY_FMT_MAX], h[CJ_MONEY_FMT_MAX], cap[CJ_AMOUNT_WORDS_MAX + 40];

	cj_date_format(first, sizeof first, c->p->from);
	if (!(plans = query(c, plans_sql, 3, params)))
		return c->err;
	for (int pi = 0; pi < PQntuples(plans) && !c->err; pi++) {
		const char *year = PQgetvalue(plans, pi, 0);
		const char *lp[3] = {c->vid, year, c->last};
		PGresult *res = query(c, plan_lines_sql, 3, lp);
		int used[NSHARE_TYPES] = {0}, ncol = 0, n;
		char name[32];
		cj_table *t;
		long row;

		if (!res)
			break;
		n = PQntuples(res);
		for (int i = 0; i < n; i++)
			for (int k = 0; k < NSHARE_TYPES; k++)
				used[k] |= i64(res, i, 4 + k) != 0;
		snprintf(name, sizeof name, "%s年度收益分配", year);
		t = cj_report_table(c->r, name, 0);
		if (!t || column(c, t, NULL, "户编号", CJ_COL_TEXT, 8) ||
		    column(c, t, NULL, "户主", CJ_COL_TEXT, 8) ||
		    column(c, t, NULL, "身份证号", CJ_COL_TEXT, 20) ||
		    column(c, t, NULL, "家庭人口", CJ_COL_INT, 8)) {
			PQclear(res);
			oom(c);
			break;
		}
		for (int k = 0; k < NSHARE_TYPES; k++)
			if (used[k] && column(c, t, "股数", share_types[k], CJ_COL_CENTI, 8))
				break;
		if (c->err || column(c, t, "股数", "合计", CJ_COL_CENTI, 8) ||
		    column(c, t, NULL, "分红金额", CJ_COL_MONEY, 12) ||
		    column(c, t, NULL, "发放情况", CJ_COL_TEXT, 18)) {
			PQclear(res);
			break;
		}
		ncol = 4;
		for (int k = 0; k < NSHARE_TYPES; k++)
			ncol += used[k];
		for (int i = 0; i < n; i++) {
			size_t col = 4;

			row = cj_table_row(c->r, t, CJ_ROW_DATA, 0);
			if (row < 0 || text_cell(c, t, row, 0, PQgetvalue(res, i, 0)) ||
			    text_cell(c, t, row, 1, PQgetvalue(res, i, 1)) ||
			    text_cell(c, t, row, 2, PQgetvalue(res, i, 2)) ||
			    text_cell(c, t, row, (size_t)ncol + 2, PQgetvalue(res, i, 11))) {
				oom(c);
				break;
			}
			cj_table_number(t, row, 3, i64(res, i, 3));
			for (int k = 0; k < NSHARE_TYPES; k++)
				if (used[k])
					cj_table_number(t, row, col++, i64(res, i, 4 + k));
			cj_table_number(t, row, (size_t)ncol, i64(res, i, 9));
			cj_table_number(t, row, (size_t)ncol + 1, i64(res, i, 10));
		}
		PQclear(res);
		if (c->err)
			break;
		row = total(c, t, CJ_ROW_TOTAL, 0, "合计", 0, (long)t->nrows - 1);
		if (row < 0)
			break;
		if (cell_value(t, row, (size_t)ncol + 1) != i64(plans, pi, 8)) {
			c->err = cj_db_fail(c->db, CJ_ERROR, _("internal: the %s dividend list does not "
					    "sum to the households' part"), year);
			break;
		}
		if (words_text(cap, sizeof cap, i64(plans, pi, 8)) ||
		    cj_table_text(c->r, t, row, (size_t)ncol + 2, "%s", cap) ||
		    cj_report_note(c->r, "%s年度收益分配：可分配收益%s元，提取公积公益金%s元（%d%%），提取福利费%s元"
				   "（%d%%），分配总额%s元，其中集体股所得%s元留归集体，分配到户%s元（%s）；"
				   "总股数%s股，股权登记日%s。", year, money(a, i64(plans, pi, 1)),
				   money(b, i64(plans, pi, 3)), (int)(i64(plans, pi, 2) / 100),
				   money(d, i64(plans, pi, 5)), (int)(i64(plans, pi, 4) / 100),
				   money(e, i64(plans, pi, 6)), money(f, i64(plans, pi, 7)),
				   money(g, i64(plans, pi, 8)), cap,
				   centi(h, sizeof h, i64(plans, pi, 9)),
				   PQgetvalue(plans, pi, 10)) ||
		    per_share_note(c, i64(plans, pi, 6), i64(plans, pi, 9)) ||
		    cj_report_note(c->r, "分配方法：%s 身份证号已隐去中间8位。", CJ_DIVIDEND_METHOD))
			oom(c);
	}
	PQclear(plans);
	return c->err;
}

/* ------------------------------------------------------------------------ */
/* 项目资金公告公示表 */

static int
build_projects(ctx *c, const dis_org *o, dis_figures *fig)
{
	static const colspec cols[] = {
		{NULL, "序号", CJ_COL_TEXT, 4},
		{NULL, "项目名称", CJ_COL_TEXT, 18},
		{NULL, "项目类别", CJ_COL_TEXT, 8},
		{NULL, "实施地点", CJ_COL_TEXT, 12},
		{NULL, "建设内容及规模", CJ_COL_TEXT, 20},
		{NULL, "资金来源及规模", CJ_COL_TEXT, 24},
		{NULL, "实施期限", CJ_COL_TEXT, 12},
		{NULL, "实施单位及责任人", CJ_COL_TEXT, 16},
		{"受益户数", "合计", CJ_COL_INT, 6},
		{"受益户数", "脱贫户", CJ_COL_INT, 6},
		{"受益户数", "监测户", CJ_COL_INT, 6},
		{NULL, "联农带农机制", CJ_COL_TEXT, 16},
		{NULL, "绩效目标", CJ_COL_TEXT, 16},
		{"资金（元）", "资金规模", CJ_COL_MONEY, 13},
		{"资金（元）", "本期支付", CJ_COL_MONEY, 13},
		{"资金（元）", "累计支付", CJ_COL_MONEY, 13},
		{NULL, "项目进度", CJ_COL_TEXT, 8},
		{NULL, "资产形成", CJ_COL_TEXT, 22},
	};
	char first[16];
	const char *params[5] = {c->vid, c->from, c->to_month, first, c->last};
	PGresult *res;
	cj_table *t;
	int n, ov = 0;
	long row;

	cj_date_format(first, sizeof first, c->p->from);
	if (!(res = query(c, projects_sql, 5, params)))
		return c->err;
	n = PQntuples(res);
	if (!(t = NEW_TABLE(c, "项目资金公告公示", 1, cols))) {
		PQclear(res);
		return c->err;
	}
	if (n && !(fig->project_list = calloc((size_t)n, sizeof *fig->project_list))) {
		PQclear(res);
		return oom(c);
	}
	for (int i = 0; i < n && !c->err; i++) {
		dis_project *pr = &fig->project_list[fig->nprojects++];
		const char *from = PQgetvalue(res, i, 5), *to = PQgetvalue(res, i, 6);
		const char *unit = PQgetvalue(res, i, 3), *who = PQgetvalue(res, i, 4);

		row = cj_table_row(c->r, t, CJ_ROW_DATA, 0);
		if (row < 0 || cj_table_text(c->r, t, row, 0, "%d", i + 1) ||
		    text_cell(c, t, row, 1, PQgetvalue(res, i, 0)) ||
		    text_cell(c, t, row, 2, PQgetvalue(res, i, 1)) ||
		    cj_table_text(c->r, t, row, 3, "%s%s", o->township_name, o->name) ||
		    text_cell(c, t, row, 4, PQgetvalue(res, i, 2)) ||
		    text_cell(c, t, row, 5, PQgetvalue(res, i, 15)) ||
		    cj_table_text(c->r, t, row, 6, "%s%s%s", from, *from || *to ? "至" : "", to) ||
		    cj_table_text(c->r, t, row, 7, "%s%s%s", unit, *unit && *who ? "；" : "", who) ||
		    text_cell(c, t, row, 11, PQgetvalue(res, i, 11)) ||
		    text_cell(c, t, row, 12, PQgetvalue(res, i, 10)) ||
		    text_cell(c, t, row, 16, PQgetvalue(res, i, 12)) ||
		    text_cell(c, t, row, 17, PQgetvalue(res, i, 13))) {
			oom(c);
			break;
		}
		cj_table_number(t, row, 8, i64(res, i, 7));
		cj_table_number(t, row, 9, i64(res, i, 8));
		cj_table_number(t, row, 10, i64(res, i, 9));
		cj_table_number(t, row, 13, i64(res, i, 14));
		cj_table_number(t, row, 14, i64(res, i, 16));
		cj_table_number(t, row, 15, i64(res, i, 17));
		snprintf(pr->name, sizeof pr->name, "%s", PQgetvalue(res, i, 0));
		snprintf(pr->category, sizeof pr->category, "%s", PQgetvalue(res, i, 1));
		snprintf(pr->progress, sizeof pr->progress, "%s", PQgetvalue(res, i, 12));
		pr->budget_fen = i64(res, i, 14);
		pr->paid_fen = i64(res, i, 17);
		fig->projects++;
		fig->projects_accepted += !strcmp(pr->progress, "已验收");
		fig->project_budget_fen = cj__dis_add(fig->project_budget_fen, pr->budget_fen, &ov);
		fig->project_paid_fen = cj__dis_add(fig->project_paid_fen, pr->paid_fen, &ov);
	}
	PQclear(res);
	if (c->err || (!n && none_row(c, t, "本期无公示项目")))
		return c->err;
	row = total(c, t, CJ_ROW_TOTAL, 1, "合计", 0, (long)t->nrows - 1);
	if (row >= 0 && cell_value(t, row, 15) != fig->project_paid_fen)
		c->err = cj_db_fail(c->db, CJ_ERROR, _("internal: the project total differs"));
	if (!c->err && ov)
		c->err = cj_db_fail(c->db, CJ_EOVERFLOW, _("amount overflow in the projects"));
	if (!c->err && cj_report_note(c->r, "项目进度为截至公示期末的情况；累计支付为项目开工以来通过库存现金、"
				      "银行存款支付的项目资金。"))
		oom(c);
	return c->err;
}

/* ------------------------------------------------------------------------ */

static int
title_block(ctx *c, const dis_org *o, cj_date posted, const char *what, int open_from)
{
	char from[32], to[32], day[32];

	cj__dis_date_cn(from, sizeof from, c->p->from);
	cj__dis_date_cn(to, sizeof to, c->p->to);
	cj__dis_date_cn(day, sizeof day, posted);
	if (cj__dis_unclosed_line(c->r, c->p, open_from, 0) ||
	    cj_report_subtitle(c->r, "公开单位：%s%s%s", o->county_name, o->township_name,
			       o->name) ||
	    cj_report_subtitle(c->r, "公开期间：%s至%s（%s）", from, to, c->p->label) ||
	    cj_report_subtitle(c->r, "公开日期：%s　　%s", day, what))
		return oom(c);
	return 0;
}

static int
signatures(ctx *c)
{
	static const char *const who[] = {"村务监督委员会（签章）：", "民主理财小组（签字）：",
					  "村党组织书记（签字）：", "制表（代理记账）："};

	for (size_t i = 0; i < sizeof who / sizeof who[0]; i++)
		if (cj_report_signature(c->r, who[i]))
			return oom(c);
	return 0;
}

void
cj__dis_figures_free(dis_figures *f)
{
	free(f->parts);
	free(f->project_list);
	f->parts = NULL;
	f->project_list = NULL;
	f->nparts = f->nprojects = 0;
}

int
cj__dis_village_build(cj_db *db, int village_id, const dis_period *p, cj_date posted,
		      long anchor_seq, cj_report *reports[2], dis_figures *fig_out)
{
	ctx c;
	dis_org o;
	cj_anchor anchor;
	dis_figures local, *fig = fig_out ? fig_out : &local;
	char *stamp = NULL, title[4 * DIS_NAME + 64], qr[DIS_QR_MAX + 1];
	int err;

	reports[0] = reports[1] = NULL;
	memset(fig, 0, sizeof *fig);
	memset(&c, 0, sizeof c);
	c.db = db;
	c.village_id = village_id;
	c.p = p;
	snprintf(c.vid, sizeof c.vid, "%d", village_id);
	snprintf(c.year_start, sizeof c.year_start, "%04d-01-01", p->year);
	snprintf(c.from, sizeof c.from, "%04d-%02d-01", p->year, p->first_month);
	snprintf(c.to_month, sizeof c.to_month, "%04d-%02d-01", p->year, p->last_month);
	cj_date_format(c.last, sizeof c.last, p->to);

	if ((err = cj__dis_org_load(db, village_id, &o)))
		return err;
	if (o.level != CJ_ORG_VILLAGE)
		return cj_db_fail(db, CJ_EINVAL, _("%s %s is not a village"), o.code, o.name);
	fig->village_id = village_id;
	snprintf(fig->code, sizeof fig->code, "%s", o.code);
	snprintf(fig->name, sizeof fig->name, "%s", o.name);
	if ((err = cj_dis_village_digest(db, village_id, p->to, -1, &fig->digest)) ||
	    (err = cj__dis_open_from(db, village_id, p, &fig->open_from)) ||
	    (err = cj__dis_anchor(db, &o, p, anchor_seq, &anchor)))
		goto fail;
	snprintf(fig->anchor.village, sizeof fig->anchor.village, "%s", o.code);
	fig->anchor.seq = anchor.seq;
	memcpy(fig->anchor.head, anchor.head, sizeof fig->anchor.head);

	/* 财务公开表 */
	snprintf(title, sizeof title, "%s财务公开表", o.name);
	if (!(c.r = reports[0] = cj_report_new(title))) {
		err = oom(&c);
		goto fail;
	}
	if (title_block(&c, &o, posted, "单位：元", fig->open_from) ||
	    build_income_expense(&c, fig) || build_payments(&c) || build_balances(&c) ||
	    build_funds(&c, fig) || build_aid(&c, fig) || build_dividends(&c) ||
	    cj__dis_common_notes(c.r, &o, posted) || signatures(&c) ||
	    cj__dis_footer(c.r, &fig->digest, p, &o, &anchor)) {
		err = c.err ? c.err : oom(&c);
		goto fail;
	}

	if (c.paid_listed != c.paid_booked) {
		err = cj_db_fail(db, CJ_ERROR, _("internal: %s: the payments listed differ from what cash "
				 "and bank paid out"), o.code);
		goto fail;
	}

	/* 项目资金公告公示表 */
	snprintf(title, sizeof title, "%s项目资金公告公示表", o.name);
	if (!(c.r = reports[1] = cj_report_new(title))) {
		err = oom(&c);
		goto fail;
	}
	if (title_block(&c, &o, posted, "单位：元", fig->open_from) ||
	    build_projects(&c, &o, fig) || cj__dis_common_notes(c.r, &o, posted) ||
	    signatures(&c) || cj__dis_footer(c.r, &fig->digest, p, &o, &anchor)) {
		err = c.err ? c.err : oom(&c);
		goto fail;
	}

	/* every total row re-derived from its rows, as the statement builders do */
	for (int k = 0; k < 2; k++)
		if (cj_report_check(reports[k], title, sizeof title)) {
			err = cj_db_fail(db, CJ_ERROR,
					 k ? _("internal: project sheet of %s: %s")
					   : _("internal: finance sheet of %s: %s"),
					 o.code, title);
			goto fail;
		}
	stamp = cj__dis_stamp_text(CJ_DIS_VILLAGE, o.code, p, posted, &fig->digest, NULL, 0,
				   anchor.text);
	snprintf(title, sizeof title, "%s%s%s %s 财务公开", o.county_name, o.township_name, o.name,
		 p->label);
	if (cj_anchor_qr_content(&anchor, o.check_url, DIS_QR_MAX, qr, sizeof qr)) {
		err = cj_db_fail(db, CJ_EINVAL, _("%s: the check page's address %s is too long for a QR code"),
				 o.code, o.check_url);
		goto fail;
	}
	if (!stamp || cj_report_properties(reports[0], title, stamp) ||
	    cj_report_properties(reports[1], title, stamp) || cj_report_qr(reports[0], qr) ||
	    cj_report_qr(reports[1], qr)) {
		err = oom(&c);
		goto fail;
	}
	free(stamp);
	if (!fig_out)
		cj__dis_figures_free(fig);
	return 0;
fail:
	free(stamp);
	cj_report_free(reports[0]);
	cj_report_free(reports[1]);
	reports[0] = reports[1] = NULL;
	cj__dis_figures_free(fig);
	return err ? err : CJ_ERROR;
}

int
cj_dis_village_reports(cj_db *db, int village_id, cj_span period, cj_date posted_on,
		       cj_report *reports[2])
{
	dis_period p;
	int err = cj__dis_period_of(db, period, &p);

	return err ? err : cj__dis_village_build(db, village_id, &p, cj__dis_posted_on(&p, posted_on), 0,
						 reports, NULL);
}
