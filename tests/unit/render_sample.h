/*
 * render_sample.h - a small report that uses every feature of the model
 * (groups, headings, levels, subtotals, totals, computed rows, a fixed
 * figure, a chart, notes, signatures, a footer), for the renderer tests
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_TESTS_RENDER_SAMPLE_H
#define CUNJI_TESTS_RENDER_SAMPLE_H

#include <stdio.h>
#include <stdlib.h>

#include <reports/amount_words.h>

/* A builder call of the samples: they are small, so a failure is out of
 * memory, and the test cannot go on. */
#define SAMPLE(call)                    \
	do {                            \
		if ((call) < 0)         \
			abort();        \
	} while (0)

/* Sheet names: invalid characters, too long, the same twice (case too). */
static inline cj_report *
render_sample_names(void)
{
	static const char *const names[] = {
		"收入/支出[2025]:*?", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五",
		"明细账 102 银行存款", "Sheet", "sheet", "'引号'"};
	cj_report *r = cj_report_new("工作表名称");

	if (!r)
		return NULL;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		cj_table *t = cj_report_table(r, names[i], 0);
		long row;

		if (!t || cj_table_column(r, t, NULL, "项目", CJ_COL_TEXT, 8) ||
		    cj_table_column(r, t, NULL, "金额", CJ_COL_MONEY, 12))
			return NULL;
		row = cj_table_row(r, t, CJ_ROW_DATA, 0);
		SAMPLE(cj_table_text(r, t, row, 0, "第%zu项", i + 1));
		cj_table_number(t, row, 1, (int64_t)i * 100 + 1);
	}
	return r;
}

/* Two reports: a detail sheet with groups and a chart, and a short statement. */
static inline int
render_sample(cj_report **a_out, cj_report **b_out)
{
	cj_report *a = cj_report_new("村级财务收支明细公开表"), *b = cj_report_new("资产负债表");
	cj_table *t, *u;
	long r, first, h, s1, s2, tot;

	*a_out = a;
	*b_out = b;
	if (!a || !b)
		return -1;
	SAMPLE(cj_report_subtitle(a, "编制单位：周口村（360925100201）"));
	SAMPLE(cj_report_subtitle(a, "期间：2025年第四季度    单位：元"));
	t = cj_report_table(a, "收入明细", 1);
	SAMPLE(cj_table_column(a, t, NULL, "日期", CJ_COL_DATE, 10));
	SAMPLE(cj_table_column(a, t, NULL, "摘要", CJ_COL_TEXT, 20));
	SAMPLE(cj_table_column(a, t, "金额", "本期", CJ_COL_MONEY, 14));
	SAMPLE(cj_table_column(a, t, "金额", "本年累计", CJ_COL_MONEY, 14));
	SAMPLE(cj_table_column(a, t, NULL, "户数", CJ_COL_INT, 4));
	h = cj_table_row(a, t, CJ_ROW_HEADING, 0);
	SAMPLE(cj_table_text(a, t, h, 1, "一、经营收入"));
	first = r = cj_table_row(a, t, CJ_ROW_DATA, 1);
	SAMPLE(cj_table_text(a, t, r, 0, "2025-10-08"));
	SAMPLE(cj_table_text(a, t, r, 1, "收到承包费"));
	cj_table_number(t, r, 2, 120000);
	cj_table_number(t, r, 3, 1234567);
	cj_table_number(t, r, 4, 12);
	r = cj_table_row(a, t, CJ_ROW_DATA, 1);
	SAMPLE(cj_table_text(a, t, r, 0, "2025-11-30"));
	SAMPLE(cj_table_text(a, t, r, 1, "收到村集体厂房租金（第三、四季度，含押金退还后的净额）"));
	cj_table_number(t, r, 2, 100000000);
	cj_table_number(t, r, 3, 100000000);
	cj_table_number(t, r, 4, 1);
	s1 = cj_table_total(a, t, CJ_ROW_SUBTOTAL, 1, "经营收入小计", first, r);
	h = cj_table_row(a, t, CJ_ROW_HEADING, 0);
	SAMPLE(cj_table_text(a, t, h, 1, "二、补助收入"));
	first = r = cj_table_row(a, t, CJ_ROW_DATA, 1);
	SAMPLE(cj_table_text(a, t, r, 0, "2025-12-01"));
	SAMPLE(cj_table_text(a, t, r, 1, "村级组织运转经费"));
	cj_table_number(t, r, 2, 5000005);
	cj_table_number(t, r, 3, -1);
	s2 = cj_table_total(a, t, CJ_ROW_SUBTOTAL, 1, "补助收入小计", first, r);
	tot = cj_table_total(a, t, CJ_ROW_TOTAL, 1, "合计", 1, r);
	(void)s1;
	(void)s2;
	SAMPLE(cj_table_chart(a, t, CJ_CHART_PIE, "收入构成", 1, 2, 1, 2));
	SAMPLE(cj_report_note_amount_words(a, "本期合计", t->rows[tot].cells[2].value));
	SAMPLE(cj_report_note(a, "注：本表由代理记账机构根据账簿编制。"));
	SAMPLE(cj_report_signature(a, "村务监督委员会（签章）："));
	SAMPLE(cj_report_signature(a, "会计："));
	SAMPLE(cj_report_signature(a, "制表日期：2026年1月5日"));
	SAMPLE(cj_report_footer(a, "监督举报电话：12317    账簿摘要 3f9a1c"));
	SAMPLE(cj_report_properties(a, "村级财务公开", "cunji-digest:3f9a1c0d"));

	SAMPLE(cj_report_subtitle(b, "编制单位：周口村    2025年12月31日    单位：元"));
	u = cj_report_table(b, "资产负债表", 0);
	SAMPLE(cj_table_column(b, u, NULL, "项目", CJ_COL_TEXT, 24));
	SAMPLE(cj_table_column(b, u, NULL, "行次", CJ_COL_TEXT, 4));
	SAMPLE(cj_table_column(b, u, NULL, "年初数", CJ_COL_MONEY, 14));
	SAMPLE(cj_table_column(b, u, NULL, "期末数", CJ_COL_MONEY, 14));
	cj_table_indent_column(u, 0);
	h = cj_table_row(b, u, CJ_ROW_HEADING, 0);
	SAMPLE(cj_table_text(b, u, h, 0, "流动资产："));
	{
		long l1 = cj_table_row(b, u, CJ_ROW_DATA, 1), l2, l3, l4;
		cj_term sub[2], net[2];

		SAMPLE(cj_table_text(b, u, l1, 0, "货币资金"));
		SAMPLE(cj_table_text(b, u, l1, 1, "1"));
		cj_table_number(u, l1, 2, 5100000);
		cj_table_number(u, l1, 3, 5220000);
		l2 = cj_table_row(b, u, CJ_ROW_DATA, 1);
		SAMPLE(cj_table_text(b, u, l2, 0, "固定资产原值"));
		SAMPLE(cj_table_text(b, u, l2, 1, "2"));
		cj_table_number(u, l2, 2, 30000000);
		cj_table_number(u, l2, 3, 30000000);
		l3 = cj_table_row(b, u, CJ_ROW_DATA, 1);
		SAMPLE(cj_table_text(b, u, l3, 0, "减：累计折旧"));
		SAMPLE(cj_table_text(b, u, l3, 1, "3"));
		cj_table_number(u, l3, 2, 0);
		cj_table_number(u, l3, 3, 1250000);
		l4 = cj_table_row(b, u, CJ_ROW_SUBTOTAL, 1);
		SAMPLE(cj_table_text(b, u, l4, 0, "固定资产净值"));
		SAMPLE(cj_table_text(b, u, l4, 1, "4"));
		net[0] = (cj_term){l2, 1};
		net[1] = (cj_term){l3, -1};
		SAMPLE(cj_table_terms(b, u, l4, net, 2));
		r = cj_table_row(b, u, CJ_ROW_TOTAL, 0);
		SAMPLE(cj_table_text(b, u, r, 0, "资产总计"));
		SAMPLE(cj_table_text(b, u, r, 1, "5"));
		sub[0] = (cj_term){l1, 1};
		sub[1] = (cj_term){l4, 1};
		SAMPLE(cj_table_terms(b, u, r, sub, 2));
	}
	/* a ledger-style total: sums debits, carries the balance as it is */
	u = cj_report_table(b, "明细账 102 银行存款", 0);
	SAMPLE(cj_table_column(b, u, NULL, "摘要", CJ_COL_TEXT, 12));
	SAMPLE(cj_table_column(b, u, NULL, "借方", CJ_COL_MONEY, 12));
	SAMPLE(cj_table_column(b, u, NULL, "余额", CJ_COL_MONEY, 12));
	first = r = cj_table_row(b, u, CJ_ROW_DATA, 0);
	SAMPLE(cj_table_text(b, u, r, 0, "收到承包费"));
	cj_table_number(u, r, 1, 120000);
	cj_table_number(u, r, 2, 5220000);
	r = cj_table_total(b, u, CJ_ROW_SUBTOTAL, 0, "本期合计", first, r);
	cj_table_number(u, r, 2, 5220000);
	cj_table_fixed(u, r, 2);
	SAMPLE(cj_report_signature(b, "单位负责人："));
	SAMPLE(cj_report_signature(b, "会计："));
	SAMPLE(cj_report_footer(b, "第三方测试用例"));
	return 0;
}

/*
 * Reports that test the PDF layout (tests/cli/check_sheets.py reads them):
 * narrow columns holding voucher numbers, amounts inside text, masked ID
 * numbers, date ranges and percentages, which must never be split across
 * lines; tables of 28 to 40 rows, so that on some of them the end of the
 * table falls where the signatures would otherwise be left alone on a page;
 * a footer that must shrink (the hotline at its end) and one that must
 * wrap.  Fills out[0..RENDER_LAYOUT_N), NULL on out of memory.
 */
#define RENDER_LAYOUT_N 13
static inline void
render_sample_layout(cj_report *out[RENDER_LAYOUT_N])
{
	for (int k = 0; k < RENDER_LAYOUT_N; k++) {
		int rows = 28 + k;
		char title[64];
		cj_report *r;
		cj_table *t;
		long row = 0;

		snprintf(title, sizeof title, "版式测试表（%d行）", rows);
		if (!(r = out[k] = cj_report_new(title)))
			return;
		SAMPLE(cj_report_subtitle(r, "公开单位：靖安县双溪镇周口村"));
		t = cj_report_table(r, "收支明细", 0);
		SAMPLE(cj_table_column(r, t, NULL, "日期", CJ_COL_DATE, 10));
		SAMPLE(cj_table_column(r, t, NULL, "凭证号", CJ_COL_TEXT, 6));
		SAMPLE(cj_table_column(r, t, NULL, "摘要", CJ_COL_TEXT, 14));
		SAMPLE(cj_table_column(r, t, NULL, "资产形成", CJ_COL_TEXT, 8));
		SAMPLE(cj_table_column(r, t, NULL, "身份证号", CJ_COL_TEXT, 10));
		SAMPLE(cj_table_column(r, t, NULL, "实施期限", CJ_COL_TEXT, 8));
		SAMPLE(cj_table_column(r, t, NULL, "金额", CJ_COL_MONEY, 12));
		SAMPLE(cj_table_column(r, t, NULL, "支付进度", CJ_COL_PERCENT, 6));
		for (int i = 0; i < rows; i++) {
			row = cj_table_row(r, t, CJ_ROW_DATA, 0);
			SAMPLE(cj_table_text(r, t, row, 0, "2025-%02d-%02d", 1 + i % 12, 1 + i % 28));
			SAMPLE(cj_table_text(r, t, row, 1, "2025-%02d-%d", 1 + i % 12, 10 + i));
			SAMPLE(cj_table_text(r, t, row, 2, i % 3 ? "收到土地承包费" : "支付村组道路硬化工程进度款"));
			SAMPLE(cj_table_text(r, t, row, 3, "公益性资产 %d,680.00", 100 + i * 7));
			SAMPLE(cj_table_text(r, t, row, 4, "360925********%04d", 21 + i));
			SAMPLE(cj_table_text(r, t, row, 5, "2025-05-01至2026-%02d-30", 1 + i % 9));
			cj_table_number(t, row, 6, 52768000 + i * 100001);
			cj_table_number(t, row, 7, 975 - i);
		}
		cj_table_total(r, t, CJ_ROW_TOTAL, 2, "合计", 0, row);
		SAMPLE(cj_report_note(r, "注：本表由代理记账机构根据账簿编制，公开时间：2026-01-15至2026-01-24。"));
		SAMPLE(cj_report_signature(r, "村务监督委员会（签章）："));
		SAMPLE(cj_report_signature(r, "民主理财小组（签字）："));
		SAMPLE(cj_report_signature(r, "村党组织书记（签字）："));
		SAMPLE(cj_report_signature(r, "制表（代理记账）："));
		if (k == RENDER_LAYOUT_N - 1)
			SAMPLE(cj_report_footer(r, "%s%s%s 监督举报电话 12317",
						"一个长得放不下一行的页脚：", "账簿指纹 SHA-256 028db1f4348bac8b（截至2025-12-31，记账凭证264张；核验：cunji disclose --verify 本文件）；",
						"公开内容有疑问的，可向村务监督委员会、民主理财小组提出，或向乡镇人民政府、县农业农村局反映，也可拨打当地监督电话"));
		else
			SAMPLE(cj_report_footer(r, "账簿指纹 SHA-256 %04d8db1f4348bac8b（截至2025-12-31，记账凭证%d张；"
						"核验：cunji disclose --verify 本文件） 监督举报电话 12317", k, 264 + k));
	}
}

#endif
