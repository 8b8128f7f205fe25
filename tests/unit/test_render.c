/*
 * test_render.c - the report model's checks and the renderers' pieces that
 * need no reader: number formats, display widths, wrapping, the totals
 * check, the money-to-double edge, renderer errors.  The files themselves
 * are read back by tests/cli/test_render.sh with openpyxl and poppler.
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../reports/render_internal.h"
#include "render_sample.h"

static void
test_number_formats(void **state)
{
	char buf[CJ_NUM_MAX];

	(void)state;
	assert_string_equal(cj_format_number(buf, sizeof buf, CJ_COL_MONEY, 0), "0.00");
	assert_string_equal(cj_format_number(buf, sizeof buf, CJ_COL_MONEY, 5), "0.05");
	assert_string_equal(cj_format_number(buf, sizeof buf, CJ_COL_MONEY, -5), "-0.05");
	assert_string_equal(cj_format_number(buf, sizeof buf, CJ_COL_MONEY, 123456789), "1,234,567.89");
	assert_string_equal(cj_format_number(buf, sizeof buf, CJ_COL_MONEY, -100000), "-1,000.00");
	assert_string_equal(cj_format_number(buf, sizeof buf, CJ_COL_MONEY, INT64_MIN),
			    "-92,233,720,368,547,758.08");
	assert_string_equal(cj_format_number(buf, sizeof buf, CJ_COL_CENTI, 150), "1.50");
	assert_string_equal(cj_format_number(buf, sizeof buf, CJ_COL_INT, 1234567), "1234567");
	assert_string_equal(cj_format_number(buf, sizeof buf, CJ_COL_PERCENT, 975), "97.5%");
	assert_string_equal(cj_format_number(buf, sizeof buf, CJ_COL_PERCENT, 1000), "100.0%");
	assert_string_equal(cj_format_number(buf, sizeof buf, CJ_COL_PERCENT, -5), "-0.5%");
	assert_int_equal(cj_text_width("资产总计"), 8);
	assert_int_equal(cj_text_width("A4 纸"), 5);
	assert_int_equal(cj_text_width("（）：，"), 8);
}

/* The units the PDF renderer never breaks a line inside, as bytes of each. */
static void
test_line_units(void **state)
{
	static const struct {
		const char *text;
		int len;
	} cases[] = {
		{"2025-10-10 收到", 10},          /* a voucher number or a date */
		{"527,680.00元", 10},             /* an amount, not the unit after it */
		{"360925********0023）", 18},     /* a masked ID number */
		{"2025-05-01至2025-12-31；", 23}, /* a date range (至 is 3 bytes) */
		{"2025年", 4},                    /* a year before a hanzi */
		{"12317（全国）", 5},
		{"至2025", 3},                    /* 至 alone is a character */
		{"2025至今", 4},                  /* ...and so is one not between two words */
		{"收入", 3},                      /* a hanzi */
		{" 12", 1},                       /* a space */
		{"", 0},
	};
	unsigned cp;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if ((int)cj__unit_len(cases[i].text) != cases[i].len)
			fail_msg("'%s': unit of %zu bytes, want %d", cases[i].text,
				 cj__unit_len(cases[i].text), cases[i].len);
	assert_false(cj__break_ok('a', 0xFF0C)); /* never before ， */
	assert_false(cj__break_ok(0xFF08, 'a')); /* nor after （ */
	assert_true(cj__break_ok(0x5165, '5'));
	/* past U+10FFFF is not a character: one stray byte */
	assert_int_equal(cj__utf8_next("\xF7\xBF\xBF\xBF", &cp), 1);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(cj__utf8_next("\xF0\x9F\x98\x80", &cp), 4);
	assert_int_equal(cp, 0x1F600);
}

/*
 * render_xlsx.c writes money as fen / 100.0; the claim in its comment is
 * that this is the double nearest the decimal amount, the one strtod gives
 * for the formatted text.  Checked over edge values and a spread of others.
 */
static void
test_money_double_is_the_decimal(void **state)
{
	static const int64_t edges[] = {0, 1, -1, 5, 10, 99, 100, 101, 12345, 140950, 999999999,
					1000000001, 123456789012345LL, 9007199254740991LL};
	uint64_t x = 88172645463325252ULL;

	(void)state;
	for (int i = 0; i < 20000 + (int)(sizeof edges / sizeof edges[0]); i++) {
		int64_t fen;
		char text[CJ_NUM_MAX], plain[CJ_NUM_MAX];
		size_t k = 0;

		if (i < (int)(sizeof edges / sizeof edges[0])) {
			fen = edges[i];
		} else {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift */
			fen = (int64_t)(x % 2000000000000000ULL) - 1000000000000000LL;
		}
		cj_format_number(text, sizeof text, CJ_COL_MONEY, fen);
		for (const char *s = text; *s; s++)
			if (*s != ',')
				plain[k++] = *s;
		plain[k] = '\0';
		assert_true((double)fen / 100.0 == strtod(plain, NULL));
	}
}

static void
test_totals_check(void **state)
{
	cj_report *a, *b;
	char err[512];
	cj_table *t;
	long last;

	(void)state;
	assert_int_equal(render_sample(&a, &b), 0);
	assert_int_equal(cj_report_check(a, err, sizeof err), 0);
	assert_int_equal(cj_report_check(b, err, sizeof err), 0);

	/* a total edited after the fact is caught, naming the row and column */
	t = a->tables[0];
	last = (long)t->nrows - 1;
	t->rows[last].cells[2].value += 1;
	assert_int_equal(cj_report_check(a, err, sizeof err), -1);
	assert_non_null(strstr(err, "本期"));
	assert_non_null(strstr(err, "1,051,200.06"));
	t->rows[last].cells[2].value -= 1;

	/* a computed row (固定资产净值 = 原价 - 累计折旧) too */
	t = b->tables[0];
	t->rows[2].cells[3].value += 100; /* 原值 期末数 */
	assert_int_equal(cj_report_check(b, err, sizeof err), -1);
	assert_non_null(strstr(err, "固定资产净值"));
	t->rows[2].cells[3].value -= 100;

	/* the ledger's balance in its total row is fixed, not summed */
	t = b->tables[1];
	assert_true(t->rows[1].cells[2].flags & CJ_CELL_FIXED);
	assert_int_equal(cj_report_check(b, err, sizeof err), 0);

	/* a percentage is never summed: a total leaves it to the builder */
	{
		cj_table *p = cj_report_table(a, "进度", 0);
		long r0, tot;

		assert_int_equal(cj_table_column(a, p, NULL, "项目", CJ_COL_TEXT, 8), 0);
		assert_int_equal(cj_table_column(a, p, NULL, "支付进度", CJ_COL_PERCENT, 8), 0);
		r0 = cj_table_row(a, p, CJ_ROW_DATA, 0);
		cj_table_number(p, r0, 1, 975);
		cj_table_number(p, cj_table_row(a, p, CJ_ROW_DATA, 0), 1, 500);
		tot = cj_table_total(a, p, CJ_ROW_TOTAL, 0, "合计", r0, r0 + 1);
		assert_int_equal(p->rows[tot].cells[1].kind, CJ_CELL_EMPTY);
		cj_table_number(p, tot, 1, 800); /* paid / budget of the whole */
		assert_int_equal(cj_report_check(a, err, sizeof err), 0);
	}

	/* terms must point back; no cycles */
	{
		cj_term fwd = {5, 1}, bad = {0, 2};
		assert_int_equal(cj_table_terms(b, b->tables[0], 1, &fwd, 1), -1);
		assert_int_equal(cj_table_terms(b, b->tables[0], 1, &bad, 1), -1);
	}
	cj_report_free(a);
	cj_report_free(b);
}

static char *
render_to_string(const cj_report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(cj_render_text(&r, 1, f), 0);
	fclose(f);
	return buf;
}

static void
test_text_layout(void **state)
{
	cj_report *r = cj_report_new("小表");
	cj_table *t;
	long row, first;
	char *s;

	(void)state;
	SAMPLE(cj_report_subtitle(r, "单位：元"));
	t = cj_report_table(r, "小表", 0);
	SAMPLE(cj_table_column(r, t, NULL, "项目", CJ_COL_TEXT, 10));
	SAMPLE(cj_table_column(r, t, NULL, "金额", CJ_COL_MONEY, 8));
	first = row = cj_table_row(r, t, CJ_ROW_DATA, 1);
	SAMPLE(cj_table_text(r, t, row, 0, "库存现金和银行存款"));
	cj_table_number(t, row, 1, 123456);
	row = cj_table_row(r, t, CJ_ROW_DATA, 1);
	SAMPLE(cj_table_text(r, t, row, 0, "短期投资"));
	cj_table_number(t, row, 1, -5);
	cj_table_total(r, t, CJ_ROW_TOTAL, 0, "合计", first, row);
	SAMPLE(cj_report_signature(r, "会计："));
	s = render_to_string(r);
	/* the label wraps at its width (10, less the indent); numbers never wrap */
	assert_string_equal(s, "        小表\n"
			       "      单位：元\n"
			       "\n"
			       "====================\n"
			       "项目            金额\n"
			       "--------------------\n"
			       "  库存现金  1,234.56\n"
			       "  和银行存\n"
			       "  款\n"
			       "  短期投资     -0.05\n"
			       "--------------------\n"
			       "合计        1,234.51\n"
			       "====================\n"
			       "\n"
			       "会计：\n");
	free(s);
	cj_report_free(r);
}

/* CSV or JSON of a report, as a string (free it). */
static char *
data_to_string(const cj_report *r, int json, long table)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(json ? cj_render_json(r, table, f) : cj_render_csv(r, table, f), 0);
	fclose(f);
	return buf;
}

/* The machine formats: keys (or titles), money exact with its unit, blanks
 * blank, formulas neutralised, totals marked; one table or all. */
static void
test_csv_and_json(void **state)
{
	cj_report *r = cj_report_new("清单");
	cj_table *t, *u;
	long row;
	char *s;

	(void)state;
	t = cj_report_table(r, "资金", 0);
	assert_int_equal(cj_table_column(r, t, NULL, "摘要", CJ_COL_TEXT, 10), 0);
	assert_int_equal(cj_table_column(r, t, NULL, "金额", CJ_COL_MONEY, 0), 0);
	assert_int_equal(cj_table_column(r, t, NULL, "股数", CJ_COL_CENTI, 0), 0);
	assert_int_equal(cj_table_column(r, t, NULL, "户数", CJ_COL_INT, 0), 0);
	assert_int_equal(cj_table_keys(r, t, "summary,amount,shares,households,extra"), -1);
	assert_int_equal(cj_table_keys(r, t, "summary,amount,shares"), 0); /* the last keeps its title */
	row = cj_table_row(r, t, CJ_ROW_DATA, 0);
	assert_int_equal(cj_table_text(r, t, row, 0, "=HYPERLINK(\"x\"),\"点\""), 0);
	cj_table_number(t, row, 1, -2000000);
	cj_table_number(t, row, 2, 150);
	cj_table_number(t, row, 3, 3);
	row = cj_table_row(r, t, CJ_ROW_DATA, 0);
	assert_int_equal(cj_table_text(r, t, row, 0, "收到\\拨款"), 0);
	cj_table_number(t, row, 1, 5);
	cj_table_total(r, t, CJ_ROW_TOTAL, 0, "合计", 0, 1);
	u = cj_report_table(r, "规则", 0);
	assert_int_equal(cj_table_column(r, u, NULL, "科目", CJ_COL_TEXT, 0), 0);
	row = cj_table_row(r, u, CJ_ROW_DATA, 0);
	assert_int_equal(cj_table_text(r, u, row, 0, "153"), 0);

	s = data_to_string(r, 0, 0);
	assert_string_equal(s, "summary,amount_yuan,shares,户数\n"
			       "\"'=HYPERLINK(\"\"x\"\"),\"\"点\"\"\",-20000.00,1.50,3\n"
			       "收到\\拨款,0.05,,\n"
			       "合计,-19999.95,1.50,3\n");
	free(s);
	s = data_to_string(r, 0, -1);
	assert_non_null(strstr(s, "合计,-19999.95,1.50,3\n\n科目\n153\n"));
	free(s);
	s = data_to_string(r, 1, 0);
	assert_string_equal(s, "{\"title\": \"清单\",\n"
			       " \"subtitles\": [],\n"
			       " \"tables\": [\n"
			       "  {\"name\": \"资金\", \"rows\": [\n"
			       "   {\"summary\": \"=HYPERLINK(\\\"x\\\"),\\\"点\\\"\", \"amount_fen\": -2000000, "
			       "\"shares\": 1.50, \"户数\": 3},\n"
			       "   {\"summary\": \"收到\\\\拨款\", \"amount_fen\": 5, \"shares\": null, "
			       "\"户数\": null},\n"
			       "   {\"row\": \"total\", \"summary\": \"合计\", \"amount_fen\": -1999995, "
			       "\"shares\": 1.50, \"户数\": 3}]}],\n"
			       " \"notes\": []}\n");
	free(s);
	cj_report_free(r);
}

static void
test_renderer_errors(void **state)
{
	cj_report *a, *b;
	char err[512];

	(void)state;
	assert_int_equal(render_sample(&a, &b), 0);
	{
		const cj_report *all[2] = {a, b};

		assert_int_equal(cj_render_xlsx(all, 2, "/nonexistent/dir/x.xlsx", err, sizeof err), -1);
		assert_non_null(strstr(err, "/nonexistent/dir/x.xlsx"));
		assert_int_equal(cj_render_pdf(all, 2, "/nonexistent/dir/x.pdf", err, sizeof err), -1);
		assert_non_null(strstr(err, "/nonexistent/dir/x.pdf"));
		setenv("CUNJI_PDF_FONT", "/nonexistent/font.ttc", 1);
		assert_int_equal(cj_render_pdf(all, 2, "/tmp/never.pdf", err, sizeof err), -1);
		assert_non_null(strstr(err, "font /nonexistent/font.ttc not found"));
		unsetenv("CUNJI_PDF_FONT");
		/* the font subset goes through a temporary file */
		{
			char *tmpdir = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;

			setenv("TMPDIR", "/nonexistent/tmp", 1);
			assert_int_equal(cj_render_pdf(all, 2, "/tmp/never.pdf", err, sizeof err), -1);
			assert_non_null(strstr(err, "cannot create a temporary file /nonexistent/tmp/"));
			if (tmpdir)
				setenv("TMPDIR", tmpdir, 1);
			else
				unsetenv("TMPDIR");
			free(tmpdir);
		}
		assert_int_equal(cj_render_pdf(all, 0, "/tmp/never.pdf", err, sizeof err), -1);
	}
	cj_report_free(a);
	cj_report_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_number_formats),
		cmocka_unit_test(test_line_units),
		cmocka_unit_test(test_money_double_is_the_decimal),
		cmocka_unit_test(test_totals_check),
		cmocka_unit_test(test_text_layout),
		cmocka_unit_test(test_csv_and_json),
		cmocka_unit_test(test_renderer_errors),
	};
	return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
