/*
 * lists_dividend.c - a distribution plan (收益分配方案) as a report model:
 * how the pool was reached, then what each household gets
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>

#include <reports/lists.h>

static int
item(cj_report *r, cj_table *t, int level, const char *label, int64_t fen)
{
	long row = cj_table_row(r, t, CJ_ROW_DATA, level);

	if (row < 0 || cj_table_text(r, t, row, 0, "%s", label))
		return -1;
	cj_table_number(t, row, 1, fen);
	return 0;
}

static const char *
percent(char buf[96], const char *what, int bp)
{
	snprintf(buf, 96, "%s（%d.%02d%%）", what, bp / 100, bp % 100);
	return buf;
}

static const char *
centi(char buf[32], int64_t v)
{
	snprintf(buf, 32, "%lld.%02lld", (long long)(v / 100), (long long)(v % 100));
	return buf;
}

/* How the pool was reached, from the year's figures. */
static int
computation(cj_report *r, const cj_dividend_plan *p)
{
	cj_table *t = cj_report_table(r, "分配计算", 0);
	char a[96], b[96];

	if (!t || cj_table_column(r, t, NULL, "项目", CJ_COL_TEXT, 0) ||
	    cj_table_column(r, t, NULL, "金额", CJ_COL_MONEY, 0) || cj_table_keys(r, t, "item,amount") ||
	    item(r, t, 0, "本年收入", p->income_fen) ||
	    item(r, t, 1, "其中：专项补助（不分配）", p->earmarked_fen) ||
	    item(r, t, 0, "本年支出", p->expense_fen) ||
	    item(r, t, 0, "本年可分配收益", p->year_result_fen) ||
	    item(r, t, 0, "年初未分配收益", p->brought_forward_fen) ||
	    item(r, t, 0, "可分配收益合计", p->distributable_fen) ||
	    item(r, t, 0, percent(a, "提取公积公益金", p->reserve_rate_bp), p->reserve_fen) ||
	    item(r, t, 0, percent(b, "提取福利费", p->welfare_rate_bp), p->welfare_fen) ||
	    item(r, t, 0, "可向成员分配上限", p->max_pool_fen))
		return -1;
	/* what the pool and welfare must stay within (严禁举债分配) */
	if (!p->posted && item(r, t, 0, "可用自有资金", p->own.own_fen))
		return -1;
	return item(r, t, 0, "本次分配总额", p->pool_fen) ||
	       item(r, t, 1, "集体股所得（留归集体）", p->collective_fen) ||
	       item(r, t, 1, "分配到户合计", p->households_fen);
}

static int
households(cj_report *r, const cj_dividend_plan *p)
{
	cj_table *t = cj_report_table(r, "分配到户", 0);

	if (!t || cj_table_column(r, t, NULL, "户编号", CJ_COL_TEXT, 0) ||
	    cj_table_column(r, t, NULL, "户主", CJ_COL_TEXT, 0) ||
	    cj_table_column(r, t, NULL, "身份证号", CJ_COL_TEXT, 0) ||
	    cj_table_column(r, t, NULL, "股数", CJ_COL_CENTI, 0) ||
	    cj_table_column(r, t, NULL, "分红金额", CJ_COL_MONEY, 0) ||
	    (p->posted && cj_table_column(r, t, NULL, "状态", CJ_COL_TEXT, 0)) ||
	    cj_table_keys(r, t, p->posted ? "household,head,id_number,shares,amount,paid"
					  : "household,head,id_number,shares,amount"))
		return -1;
	for (size_t i = 0; i < p->nhouseholds; i++) {
		const cj_dividend_household *h = &p->households[i];
		long row = cj_table_row(r, t, CJ_ROW_DATA, 0);

		if (row < 0 || cj_table_text(r, t, row, 0, "%s", h->code) ||
		    cj_table_text(r, t, row, 1, "%s", h->head) ||
		    cj_table_text(r, t, row, 2, "%s", h->id_masked) ||
		    (p->posted && cj_table_text(r, t, row, 5, "%s", h->paid ? "已付" : "未付")))
			return -1;
		cj_table_number(t, row, 3, h->shares_centi);
		cj_table_number(t, row, 4, h->amount_fen);
	}
	return cj_table_total(r, t, CJ_ROW_TOTAL, 0, "合计", 0, (long)t->nrows - 1) < 0 ? -1 : 0;
}

int
cj_list_dividend(const cj_org *village, const cj_dividend_plan *p, cj_report **out)
{
	char title[64], on[16], a[32], b[32];
	char m[4][CJ_NUM_MAX];
	cj_report *r;

	*out = NULL;
	snprintf(title, sizeof title, "%d年度收益分配%s", p->year, p->posted ? "" : "方案");
	cj_date_format(on, sizeof on, p->shares_on);
	if (!(r = cj_report_new(title)) ||
	    cj_report_subtitle(r, "编制单位：%s %s    %s    单位：元", village->code, village->name,
			       p->posted ? "已公布" : "方案，未入账") ||
	    computation(r, p) || households(r, p) ||
	    cj_report_note(r, "股权基准日 %s：总股数 %s，其中集体股 %s（所得留归集体）。", on,
			   centi(a, p->total_shares_centi), centi(b, p->collective_shares_centi)) ||
	    (!p->posted &&
	     cj_report_note(r, "可用自有资金 = 货币资金 %s - 短期借款 %s - 专项结余 %s - 未付分红 %s。",
			    cj_format_number(m[0], CJ_NUM_MAX, CJ_COL_MONEY, p->own.cash_fen),
			    cj_format_number(m[1], CJ_NUM_MAX, CJ_COL_MONEY, p->own.borrowing_fen),
			    cj_format_number(m[2], CJ_NUM_MAX, CJ_COL_MONEY, p->own.earmarked_fen),
			    cj_format_number(m[3], CJ_NUM_MAX, CJ_COL_MONEY,
					     p->own.unpaid_dividends_fen))) ||
	    cj_report_note(r, "分配方法：%s", CJ_DIVIDEND_METHOD)) {
		cj_report_free(r);
		return -1;
	}
	*out = r;
	return 0;
}
