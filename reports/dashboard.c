/*
 * dashboard.c - the county dashboard (cunji audit dashboard): the warning
 * rules' findings counted per village and rule group, the idle-fund ratio,
 * the cash share of payments and a traffic light, by township
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ledger/i18n.h>
#include <ledger/org.h>
#include <ledger/sql.h>
#include <reports/audit.h>
#include <reports/dashboard.h>

#include "lists_internal.h"

/* rule groups as audit_rule.grp has them, the last taking the rest */
static const char *const groups[] = {"现金与银行", "专项资金", "往来与关联方", "分红与其他"};
#define NGROUPS 4

/* R08..R13 cash, R19..R24 funds, R25..R27 payees, the rest dividends and others */
static int
group_of(const char *rule)
{
	int n = atoi(rule + 1);

	return n >= 8 && n <= 13 ? 0 : n >= 19 && n <= 24 ? 1 : n >= 25 && n <= 27 ? 2 : 3;
}

/* Per village: earmarked money received and left by $3, cash and all
 * payments of the days (a voucher moving money between cash and bank is
 * no payment). */
static const char figures_sql[] =
	"WITH sv AS (SELECT v.id, v.code, v.name, t.code AS tcode, t.name AS tname\n"
	"              FROM org v JOIN org t ON t.id = v.parent_id\n"
	"             WHERE v.level = 'village'\n"
	"               AND $1 IN (v.code, t.code, (SELECT c.code FROM org c WHERE c.id = t.parent_id))),\n"
	"fl AS (SELECT l.village_id, sum(l.debit_fen) AS received, sum(l.debit_fen - l.credit_fen) AS left_\n"
	"         FROM voucher_line l\n"
	"        WHERE l.village_id IN (SELECT id FROM sv) AND l.fund_id IS NOT NULL AND l.period <= $3\n"
	"          AND (l.account_code LIKE '101%' OR l.account_code LIKE '102%')\n"
	"          AND l.period <= $3 GROUP BY 1),\n"
	"pay AS (SELECT l.village_id, sum(l.credit_fen) FILTER (WHERE l.account_code LIKE '101%') AS cash,\n"
	"               sum(l.credit_fen) AS total\n"
	"          FROM voucher_line l JOIN voucher v ON v.village_id = l.village_id AND v.id = l.voucher_id\n"
	"         WHERE l.village_id IN (SELECT id FROM sv) AND v.kind = 'normal'\n"
	"           AND l.period BETWEEN date_trunc('month', $2::date) AND $3\n"
	"           AND v.voucher_date BETWEEN $2 AND $3 AND l.credit_fen > 0\n"
	"           AND (l.account_code LIKE '101%' OR l.account_code LIKE '102%')\n"
	"           AND NOT EXISTS (SELECT 1 FROM voucher_line o WHERE o.village_id = l.village_id\n"
	"                 AND o.voucher_id = l.voucher_id AND o.debit_fen <> 0\n"
	"                 AND (o.account_code LIKE '101%' OR o.account_code LIKE '102%'))\n"
	"         GROUP BY 1)\n"
	"SELECT sv.tcode, sv.tname, sv.code, sv.name, coalesce(fl.received, 0), coalesce(fl.left_, 0),\n"
	"       coalesce(pay.cash, 0), coalesce(pay.total, 0),\n"
	"       (SELECT available FROM audit_rule WHERE code = 'R30')\n"
	"  FROM sv LEFT JOIN fl ON fl.village_id = sv.id LEFT JOIN pay ON pay.village_id = sv.id\n"
	" ORDER BY sv.tcode, sv.code";

/* a / b in tenths of a percent, half up; 0 when b is 0 */
static int64_t
permille(int64_t a, int64_t b)
{
	if (b <= 0 || a <= 0)
		return 0;
	return (a * 1000 + b / 2) / b;
}

enum { C_TOWN, C_CODE, C_NAME, C_G0, C_RED = C_G0 + 2 * NGROUPS, C_YELLOW, C_IDLE, C_CASH,
       C_DISCLOSED, C_LIGHT, NCOLS };

typedef struct sums {
	int64_t received, left, cash, paid;
} sums;

/* the two ratios of a subtotal or total, as figures of their own */
static void
ratios(cj_table *t, long row, const sums *s)
{
	cj_table_number(t, row, C_IDLE, permille(s->left, s->received));
	cj_table_number(t, row, C_CASH, permille(s->cash, s->paid));
	cj_table_fixed(t, row, C_IDLE);
	cj_table_fixed(t, row, C_CASH);
}

/* The traffic light: 0 red, 1 yellow, 2 green. */
static int
light(int64_t red, int64_t yellow, int64_t idle, int64_t cash)
{
	return red ? 0 : yellow || idle > 500 || cash > 300 ? 1 : 2;
}

/* its word (kept beside the colour for colour-blind readers and black-and-white
 * printers) and its fill, light enough for black text */
static const char *const light_words[] = {"红灯", "黄灯", "绿灯"};
static const uint32_t light_fills[] = {0xF08080, 0xFFE066, 0x8FD19E};

static int
columns(cj_report *r, cj_table *t)
{
	static const char keys[] =
		"township,village,village_name,cash_red,cash_yellow,fund_red,fund_yellow,payee_red,"
		"payee_yellow,other_red,other_yellow,red,yellow,idle_fund,cash_share,disclosed,light";

	if (cj_table_column(r, t, NULL, "乡镇", CJ_COL_TEXT, 8) ||
	    cj_table_column(r, t, NULL, "村代码", CJ_COL_TEXT, 12) ||
	    cj_table_column(r, t, NULL, "村", CJ_COL_TEXT, 8))
		return -1;
	for (int g = 0; g < NGROUPS; g++)
		if (cj_table_column(r, t, groups[g], "红", CJ_COL_INT, 3) ||
		    cj_table_column(r, t, groups[g], "黄", CJ_COL_INT, 3))
			return -1;
	return cj_table_column(r, t, "合计", "红", CJ_COL_INT, 3) ||
	       cj_table_column(r, t, "合计", "黄", CJ_COL_INT, 3) ||
	       cj_table_column(r, t, NULL, "资金闲置率", CJ_COL_PERCENT, 8) ||
	       cj_table_column(r, t, NULL, "现金支付占比", CJ_COL_PERCENT, 8) ||
	       cj_table_column(r, t, NULL, "按期公开", CJ_COL_TEXT, 6) ||
	       cj_table_column(r, t, NULL, "信号", CJ_COL_TEXT, 4) || cj_table_keys(r, t, keys);
}

typedef struct village_row {
	int64_t n[2 * NGROUPS + 2]; /* red, yellow per group, then all red, all yellow */
	int r30;                    /* an R30 finding */
	sums s;
} village_row;

/* Count the scan's findings (rule, 红/黄, village code) into the villages. */
static void
count_findings(PGresult *res, village_row *v, const cj_table *f)
{
	for (size_t i = 0; i < f->nrows; i++) {
		const cj_cell *c = f->rows[i].cells;
		int red = !strcmp(c[1].text, "红"), g = group_of(c[0].text);

		for (int k = 0; k < PQntuples(res); k++)
			if (!strcmp(PQgetvalue(res, k, 2), c[2].text)) {
				v[k].n[2 * g + !red]++;
				v[k].n[2 * NGROUPS + !red]++;
				v[k].r30 |= !strcmp(c[0].text, "R30");
			}
	}
}

static void
add_sums(sums *to, const sums *s)
{
	to->received += s->received, to->left += s->left;
	to->cash += s->cash, to->paid += s->paid;
}

/* One village's row of table 0. */
static int
village(cj_report *r, cj_table *t, PGresult *res, int i, const village_row *v, int r30_available)
{
	long row = cj_table_row(r, t, CJ_ROW_DATA, 0);
	int64_t idle = permille(v->s.left, v->s.received), cash = permille(v->s.cash, v->s.paid);
	int lamp;

	if (row < 0 || cj_table_text(r, t, row, C_TOWN, "%s", PQgetvalue(res, i, 1)) ||
	    cj_table_text(r, t, row, C_CODE, "%s", PQgetvalue(res, i, 2)) ||
	    cj_table_text(r, t, row, C_NAME, "%s", PQgetvalue(res, i, 3)))
		return -1;
	for (int k = 0; k < 2 * NGROUPS + 2; k++)
		cj_table_number(t, row, (size_t)(C_G0 + k), v->n[k]);
	cj_table_number(t, row, C_IDLE, idle);
	cj_table_number(t, row, C_CASH, cash);
	lamp = light(v->n[2 * NGROUPS], v->n[2 * NGROUPS + 1], idle, cash);
	cj_table_fill(t, row, C_LIGHT, light_fills[lamp]);
	return cj_table_text(r, t, row, C_DISCLOSED, "%s", !r30_available ? "无记录" : v->r30 ? "否" : "是") ||
	       cj_table_text(r, t, row, C_LIGHT, "%s", light_words[lamp]);
}

/* Table 1: each village's findings, red and yellow, with the chart. */
static int
chart_table(cj_report *r, const cj_table *t)
{
	cj_table *c = cj_report_table(r, "预警数量", 0);

	if (!c || cj_table_column(r, c, NULL, "村", CJ_COL_TEXT, 16) ||
	    cj_table_column(r, c, NULL, "红", CJ_COL_INT, 4) || cj_table_column(r, c, NULL, "黄", CJ_COL_INT, 4) ||
	    cj_table_column(r, c, NULL, "合计", CJ_COL_INT, 4) || cj_table_keys(r, c, "village,red,yellow,all"))
		return -1;
	for (size_t i = 0; i < t->nrows; i++) {
		const cj_cell *x = t->rows[i].cells;
		long row;

		if (t->rows[i].kind != CJ_ROW_DATA)
			continue;
		if ((row = cj_table_row(r, c, CJ_ROW_DATA, 0)) < 0 ||
		    cj_table_text(r, c, row, 0, "%s %s", x[C_TOWN].text, x[C_NAME].text))
			return -1;
		cj_table_number(c, row, 1, x[C_RED].value);
		cj_table_number(c, row, 2, x[C_YELLOW].value);
		cj_table_number(c, row, 3, x[C_RED].value + x[C_YELLOW].value);
	}
	if (!c->nrows)
		return 0;
	if (cj_table_chart(r, c, CJ_CHART_BAR, "各村预警线索数（红+黄）", 0, 3, 0, (long)c->nrows - 1))
		return -1;
	c->chart->in_pdf = 1;
	return 0;
}

static int
build(cj_report *r, PGresult *res, const cj_table *findings)
{
	cj_table *t = cj_report_table(r, "各村预警", 1);
	int n = PQntuples(res), err = -1, r30_available = n && !strcmp(PQgetvalue(res, 0, 8), "t");
	village_row *v = calloc((size_t)n + 1, sizeof *v);
	sums town = {0}, all = {0};
	long first = 0;

	if (!t || !v || columns(r, t))
		goto done;
	for (int i = 0; i < n; i++)
		v[i].s = (sums){strtoll(PQgetvalue(res, i, 4), NULL, 10), strtoll(PQgetvalue(res, i, 5), NULL, 10),
				strtoll(PQgetvalue(res, i, 6), NULL, 10), strtoll(PQgetvalue(res, i, 7), NULL, 10)};
	count_findings(res, v, findings);
	for (int i = 0; i < n; i++) {
		if (village(r, t, res, i, &v[i], r30_available))
			goto done;
		add_sums(&town, &v[i].s);
		if (i + 1 == n || strcmp(PQgetvalue(res, i, 0), PQgetvalue(res, i + 1, 0))) {
			long sub = cj_table_total(r, t, CJ_ROW_SUBTOTAL, C_TOWN, "小计", first, (long)t->nrows - 1);

			if (sub < 0 || cj_table_text(r, t, sub, C_NAME, "%s", PQgetvalue(res, i, 1)))
				goto done;
			ratios(t, sub, &town);
			add_sums(&all, &town);
			town = (sums){0};
			first = sub + 1;
		}
	}
	if (n) {
		long tot = cj_table_total(r, t, CJ_ROW_TOTAL, C_TOWN, "合计", 0, (long)t->nrows - 1);

		if (tot < 0)
			goto done;
		ratios(t, tot, &all);
	}
	err = chart_table(r, t);
done:
	free(v);
	return err;
}

int
cj_audit_dashboard(cj_db *db, const char *org, cj_date from, cj_date to, cj_report **out)
{
	cj_audit_request a = {.org = org, .from = from, .to = to};
	char d0[16], d1[16];
	const char *params[3] = {org, d0, d1};
	cj_report *scan = NULL;
	PGresult *res;
	cj_org o;
	int err;

	*out = NULL;
	if ((err = cj_org_find(db, org, &o)))
		return err;
	if (o.level == CJ_ORG_VILLAGE)
		return cj_db_fail(db, CJ_EINVAL, _("%s is a village: the dashboard is of a county or a township"),
				  org);
	if ((err = cj_audit_scan(db, &a, &scan)))
		return err;
	cj_date_format(d0, sizeof d0, from);
	cj_date_format(d1, sizeof d1, to);
	if ((err = cj_db_exec(db, &res, figures_sql, 3, params))) {
		cj_report_free(scan);
		return err;
	}
	if (!(*out = cj_report_new("村级财务预警看板")) ||
	    cj_report_subtitle(*out, "%s %s    %s 至 %s", o.code, o.name, d0, d1)) {
		PQclear(res);
		cj_report_free(scan);
		return cj__list_oom(db, out);
	}
	err = build(*out, res, scan->tables[0]);
	PQclear(res);
	cj_report_free(scan);
	if (err)
		return cj__list_oom(db, out);
	if (cj_report_note(*out, "信号：有红色线索为红灯；有黄色线索、资金闲置率超过 50%% 或现金支付占比超过 30%% 为黄灯；否则为绿灯。") ||
	    cj_report_note(*out, "资金闲置率：专项资金到位而截至期末未支付的部分占到位总额之比；现金支付占比：期内现金支出占现金与银行支出之比（现金与银行之间的划转不计）。") ||
	    cj_report_note(*out, "按期公开：据 R30（公开表是否按期生成、生成后有无补记）；不能判断时为“无记录”。线索明细见 cunji audit scan。"))
		return cj__list_oom(db, out);
	return 0;
}
