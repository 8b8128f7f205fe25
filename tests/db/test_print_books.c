/*
 * test_print_books.c - the printed books (reports/books.c) on a small set
 * of vouchers whose figures are worked out by hand below: 总账 with its
 * 本年累计 as formulas over the months, the cash day book with 本日合计,
 * 本月合计 and 本年累计 (from January when the span starts later), the
 * figures carried to the next page (过次页 / 承前页) after any row, before
 * and after a month's end, 多栏账 with a column per sub-account, a township
 * in one book, and the refusals.
 *
 * 一村, no opening balances:
 *   2025-01-10  101 Dr 500.00 / 501 Cr          cash 500.00
 *   2025-01-10  513001 Dr 120.00 / 101 Cr       cash 380.00
 *   2025-01-20  102001 Dr 200.00 / 101 Cr       cash 180.00
 *   2025-02-03  101 Dr 100.00 / 102001 Cr       cash 280.00
 *   2025-02-03  513002 Dr 45.50 / 101 Cr        cash 234.50
 *   2025-02-17  513001 Dr 30.00 / 101 Cr        cash 204.50
 * 二村: 2025-01-05  101 Dr 80.00 / 504 Cr.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <reports/books.h>

#include "testdb.h"

static cj_db *db;
static cj_poster *poster;
static int v1, v2;

static int
setup(void **state)
{
	(void)state;
	db = testdb_open("test_print_books");
	assert_int_equal(cj_poster_new(&poster, db), 0);
	testdb_orgs(db, &v1, &v2);
	assert_int_equal(cj_account_add(db, v1, "102001", "农商行"), 0);
	assert_int_equal(cj_account_add(db, v1, "513001", "办公费"), 0);
	assert_int_equal(cj_account_add(db, v1, "513002", "差旅费"), 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-01-10", "101", "501", 50000, NULL), 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-01-10", "513001", "101", 12000, NULL), 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-01-20", "102001", "101", 20000, NULL), 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-02-03", "101", "102001", 10000, NULL), 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-02-03", "513002", "101", 4550, NULL), 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-02-17", "513001", "101", 3000, NULL), 0);
	assert_int_equal(testdb_post2(poster, v2, "2025-01-05", "101", "504", 8000, NULL), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cj_poster_free(poster);
	cj_db_close(db);
	return 0;
}

static const char *
text(const cj_table *t, size_t row, size_t c)
{
	const cj_cell *x;

	assert_true(row < t->nrows && c < t->ncols);
	x = &t->rows[row].cells[c];
	return x->kind == CJ_CELL_TEXT ? x->text : "";
}

static int64_t
number(const cj_table *t, size_t row, size_t c)
{
	const cj_cell *x;

	assert_true(row < t->nrows && c < t->ncols);
	x = &t->rows[row].cells[c];
	assert_int_equal(x->kind, CJ_CELL_NUMBER);
	return x->value;
}

static int
blank(const cj_table *t, size_t row, size_t c)
{
	return t->rows[row].cells[c].kind == CJ_CELL_EMPTY;
}

static cj_span
months(int from, int to)
{
	return cj_span_range((cj_period){2025, from}, (cj_period){2025, to});
}

/* The book's report whose 科目 subtitle is want (and, in a township, of the village). */
static const cj_report *
report_of(const cj_book *b, const char *village, const char *subject)
{
	for (size_t i = 0; i < b->n; i++)
		if (!strcmp(b->reports[i]->subtitles[0], subject) &&
		    (!village || strstr(b->reports[i]->subtitles[1], village)))
			return b->reports[i];
	fail_msg("no report for %s", subject);
	return NULL;
}

static void
test_general(void **state)
{
	cj_book b;
	const cj_table *t;
	char err[256];

	(void)state;
	assert_int_equal(cj_book_build(db, CJ_BOOK_GENERAL, "360925100301", NULL, months(1, 2), NULL,
				       NULL, &b),
			 0);
	/* first-level accounts with figures: 101, 102, 501, 513 */
	assert_int_equal(b.n, 4);
	t = report_of(&b, NULL, "科目：101 库存现金")->tables[0];
	assert_string_equal(b.reports[0]->title, "总账");
	assert_string_equal(t->name, "101 库存现金");
	assert_int_equal(t->nrows, 5);
	assert_string_equal(text(t, 0, 1), "期初余额");
	assert_string_equal(text(t, 0, 4), "平");
	assert_int_equal(number(t, 0, 5), 0);
	assert_string_equal(text(t, 1, 0), "2025-01-31");
	assert_string_equal(text(t, 1, 1), "本月合计");
	assert_int_equal(number(t, 1, 2), 50000);
	assert_int_equal(number(t, 1, 3), 32000);
	assert_string_equal(text(t, 1, 4), "借");
	assert_int_equal(number(t, 1, 5), 18000);
	assert_string_equal(text(t, 2, 1), "本年累计");
	assert_int_equal(t->rows[2].nterms, 1);
	assert_string_equal(text(t, 3, 0), "2025-02-28");
	assert_int_equal(number(t, 3, 2), 10000);
	assert_int_equal(number(t, 3, 3), 7550);
	assert_int_equal(number(t, 3, 5), 20450);
	/* 本年累计 of February: January's and February's 本月合计 rows, as a formula */
	assert_int_equal(t->rows[4].kind, CJ_ROW_SUBTOTAL);
	assert_int_equal(t->rows[4].nterms, 2);
	assert_int_equal(number(t, 4, 2), 60000);
	assert_int_equal(number(t, 4, 3), 39550);
	assert_int_equal(number(t, 4, 5), 20450);
	assert_true(t->rows[4].cells[5].flags & CJ_CELL_FIXED);
	for (size_t i = 0; i < b.n; i++)
		assert_int_equal(cj_report_check(b.reports[i], err, sizeof err), 0);
	/* 501 经营收入 ends in credit */
	t = report_of(&b, NULL, "科目：501 经营收入")->tables[0];
	assert_string_equal(text(t, 1, 4), "贷");
	assert_int_equal(number(t, 1, 5), 50000);
	cj_book_free(&b);

	/* February alone: 本年累计 still counts January, as plain figures */
	assert_int_equal(cj_book_build(db, CJ_BOOK_GENERAL, "360925100301", "101", months(2, 2), NULL,
				       NULL, &b),
			 0);
	assert_int_equal(b.n, 1);
	t = b.reports[0]->tables[0];
	assert_int_equal(t->nrows, 3);
	assert_int_equal(number(t, 0, 5), 18000);
	assert_int_equal(t->rows[2].nterms, 0);
	assert_int_equal(number(t, 2, 2), 60000);
	assert_int_equal(number(t, 2, 3), 39550);
	cj_book_free(&b);

	/* the next year opens with 上年结转: February's closing balance, nothing posted */
	assert_int_equal(cj_book_build(db, CJ_BOOK_GENERAL, "360925100301", "101",
				       cj_span_year(2026), NULL, NULL, &b),
			 0);
	t = b.reports[0]->tables[0];
	assert_int_equal(t->nrows, 1);
	assert_string_equal(text(t, 0, 1), "上年结转");
	assert_string_equal(text(t, 0, 4), "借");
	assert_int_equal(number(t, 0, 5), 20450);
	cj_book_free(&b);
}

static void
test_cash(void **state)
{
	cj_book b;
	const cj_table *t;
	cj_cell c[8];

	(void)state;
	assert_int_equal(cj_book_build(db, CJ_BOOK_CASH, "360925100301", NULL, months(1, 2), NULL,
				       NULL, &b),
			 0);
	assert_int_equal(b.n, 1);
	assert_string_equal(b.reports[0]->title, "现金日记账");
	t = b.reports[0]->tables[0];
	assert_int_equal(t->ncols, 8);
	assert_int_equal(t->nrows, 15);
	/* January 10th: two lines, 本日合计 */
	assert_string_equal(text(t, 1, 0), "2025-01-10");
	assert_string_equal(text(t, 1, 2), "测试凭证");
	assert_string_equal(text(t, 1, 3), "经营收入");
	assert_int_equal(number(t, 1, 4), 50000);
	assert_true(blank(t, 1, 5));
	assert_int_equal(number(t, 1, 7), 50000);
	assert_string_equal(text(t, 2, 3), "管理费用");
	assert_int_equal(number(t, 2, 5), 12000);
	assert_int_equal(number(t, 2, 7), 38000);
	assert_string_equal(text(t, 3, 2), "本日合计");
	assert_int_equal(number(t, 3, 4), 50000);
	assert_int_equal(number(t, 3, 5), 12000);
	assert_int_equal(number(t, 3, 7), 38000);
	assert_string_equal(text(t, 4, 3), "银行存款");
	assert_string_equal(text(t, 5, 2), "本日合计");
	assert_int_equal(number(t, 5, 5), 20000);
	assert_string_equal(text(t, 6, 2), "本月合计");
	assert_int_equal(number(t, 6, 4), 50000);
	assert_int_equal(number(t, 6, 5), 32000);
	assert_int_equal(number(t, 6, 7), 18000);
	assert_string_equal(text(t, 7, 2), "本年累计");
	assert_true(t->rows[7].flags & CJ_ROW_CARRY_RESET);
	assert_string_equal(text(t, 13, 2), "本月合计");
	assert_int_equal(number(t, 13, 4), 10000);
	assert_int_equal(number(t, 13, 5), 7550);
	assert_string_equal(text(t, 14, 2), "本年累计");
	assert_int_equal(number(t, 14, 4), 60000);
	assert_int_equal(number(t, 14, 5), 39550);
	assert_string_equal(text(t, 14, 6), "借");
	assert_int_equal(number(t, 14, 7), 20450);

	/* 过次页 / 承前页: the month's data rows so far summed, the last balance */
	assert_non_null(t->carry);
	assert_string_equal(t->carry->to_next, "过次页");
	assert_string_equal(t->carry->from_prev, "承前页");
	assert_int_equal(cj_table_carried(t, 5, c), 0); /* after January 20th's line */
	assert_int_equal(c[4].value, 50000);
	assert_int_equal(c[5].value, 32000);
	assert_string_equal(c[6].text, "借");
	assert_int_equal(c[7].value, 18000);
	assert_int_equal(c[2].kind, CJ_CELL_EMPTY); /* the label: the renderer's */
	assert_int_equal(c[0].kind, CJ_CELL_EMPTY);
	assert_int_equal(cj_table_carried(t, 8, c), 0); /* right after January's 本年累计 */
	assert_int_equal(c[4].kind, CJ_CELL_EMPTY);
	assert_int_equal(c[5].kind, CJ_CELL_EMPTY);
	assert_int_equal(c[7].value, 18000);
	assert_int_equal(cj_table_carried(t, 10, c), 0); /* February 3rd's two lines */
	assert_int_equal(c[4].value, 10000);
	assert_int_equal(c[5].value, 4550);
	assert_int_equal(c[7].value, 23450);
	cj_book_free(&b);

	/* February alone: the opening is January's end, 本年累计 counts January */
	assert_int_equal(cj_book_build(db, CJ_BOOK_CASH, "360925100301", NULL, months(2, 2), NULL,
				       NULL, &b),
			 0);
	t = b.reports[0]->tables[0];
	assert_string_equal(text(t, 0, 2), "期初余额");
	assert_int_equal(number(t, 0, 7), 18000);
	assert_string_equal(text(t, t->nrows - 1, 2), "本年累计");
	assert_int_equal(number(t, t->nrows - 1, 4), 60000);
	assert_int_equal(number(t, t->nrows - 1, 5), 39550);
	cj_book_free(&b);
}

static void
test_bank_and_detail(void **state)
{
	cj_book b;
	const cj_table *t;

	(void)state;
	/* 102 and its one bank account */
	assert_int_equal(cj_book_build(db, CJ_BOOK_BANK, "360925100301", NULL, months(1, 2), NULL,
				       NULL, &b),
			 0);
	assert_int_equal(b.n, 2);
	assert_string_equal(b.reports[0]->title, "银行存款日记账");
	assert_string_equal(b.reports[0]->subtitles[0], "科目：102 银行存款");
	assert_string_equal(b.reports[1]->subtitles[0], "科目：102001 农商行");
	t = b.reports[1]->tables[0];
	assert_string_equal(text(t, 1, 3), "库存现金");
	assert_int_equal(number(t, 1, 4), 20000);
	assert_string_equal(text(t, t->nrows - 1, 2), "本年累计");
	assert_int_equal(number(t, t->nrows - 1, 4), 20000);
	assert_int_equal(number(t, t->nrows - 1, 5), 10000);
	assert_int_equal(number(t, t->nrows - 1, 7), 10000);
	cj_book_free(&b);

	/* 明细账: every account without sub-accounts that has figures */
	assert_int_equal(cj_book_build(db, CJ_BOOK_DETAIL, "360925100301", NULL, months(1, 2), NULL,
				       NULL, &b),
			 0);
	assert_int_equal(b.n, 5); /* 101, 102001, 501, 513001, 513002 */
	t = report_of(&b, NULL, "科目：513001 办公费")->tables[0];
	assert_int_equal(t->ncols, 7);
	/* 期初, Jan line, 本月合计, 本年累计, Feb line, 本月合计, 本年累计 */
	assert_int_equal(t->nrows, 7);
	assert_string_equal(text(t, 6, 2), "本年累计");
	assert_int_equal(number(t, 6, 3), 15000);
	assert_int_equal(number(t, 6, 6), 15000);
	cj_book_free(&b);
}

static void
test_columnar(void **state)
{
	cj_book b;
	const cj_table *t;

	(void)state;
	assert_int_equal(cj_book_build(db, CJ_BOOK_COLUMNAR, "360925100301", "513", months(1, 2), NULL,
				       NULL, &b),
			 0);
	assert_int_equal(b.n, 1);
	t = b.reports[0]->tables[0];
	assert_int_equal(t->ncols, 9);
	assert_string_equal(t->cols[7].title, "办公费");
	assert_string_equal(t->cols[8].title, "差旅费");
	assert_string_equal(t->cols[7].group, "借方金额分析");
	assert_int_equal(number(t, 1, 7), 12000);
	assert_true(blank(t, 1, 8));
	/* February: 本月合计 75.50 = 30.00 办公费 + 45.50 差旅费; 本年累计 195.50 */
	assert_string_equal(text(t, 6, 2), "本月合计");
	assert_int_equal(number(t, 6, 3), 7550);
	assert_int_equal(number(t, 6, 7), 3000);
	assert_int_equal(number(t, 6, 8), 4550);
	assert_int_equal(number(t, 7, 3), 19550);
	assert_int_equal(number(t, 7, 7), 15000);
	assert_int_equal(number(t, 7, 8), 4550);
	assert_int_equal(number(t, 7, 6), 19550);
	cj_book_free(&b);

	/* without --account: the income and expense accounts (501, 513) */
	assert_int_equal(cj_book_build(db, CJ_BOOK_COLUMNAR, "360925100301", NULL, months(1, 2), NULL,
				       NULL, &b),
			 0);
	assert_int_equal(b.n, 2);
	t = report_of(&b, NULL, "科目：501 经营收入")->tables[0];
	assert_string_equal(t->cols[7].group, "贷方金额分析");
	assert_string_equal(t->cols[7].title, "经营收入"); /* no sub-accounts: its own column */
	assert_int_equal(number(t, 1, 7), 50000);
	cj_book_free(&b);
}

static size_t progress_calls;

static void
count_progress(void *arg, const char *village, size_t done, size_t total)
{
	(void)arg;
	(void)village;
	assert_int_equal(total, 2);
	assert_int_equal(done, ++progress_calls);
}

static void
test_township(void **state)
{
	cj_book b;
	const cj_report *r;

	(void)state;
	assert_int_equal(cj_book_build(db, CJ_BOOK_GENERAL, "360925100", NULL, months(1, 1),
				       count_progress, NULL, &b),
			 0);
	assert_int_equal(progress_calls, 2);
	assert_int_equal(b.n, 6); /* 一村 101 102 501 513, 二村 101 504 */
	r = report_of(&b, "二村", "科目：101 库存现金");
	assert_string_equal(r->tables[0]->name, "二村 101 库存现金");
	assert_int_equal(number(r->tables[0], 1, 2), 8000);
	assert_string_equal(b.reports[0]->tables[0]->name, "一村 101 库存现金");
	cj_book_free(&b);
	/* an account only one village has: the other prints nothing */
	assert_int_equal(cj_book_build(db, CJ_BOOK_DETAIL, "360925100", "102001", months(1, 2), NULL,
				       NULL, &b),
			 0);
	assert_int_equal(b.n, 1);
	cj_book_free(&b);
}

static void
test_refusals(void **state)
{
	cj_book b;

	(void)state;
	assert_int_equal(cj_book_build(db, CJ_BOOK_GENERAL, "360925100399", NULL, months(1, 2), NULL,
				       NULL, &b),
			 CJ_ENOTFOUND);
	assert_int_equal(b.n, 0);
	assert_int_equal(cj_book_build(db, CJ_BOOK_GENERAL, "360925100301", NULL, months(3, 2), NULL,
				       NULL, &b),
			 CJ_EINVAL);
	assert_int_equal(cj_book_build(db, CJ_BOOK_DETAIL, "360925100302", "513", months(1, 2), NULL,
				       NULL, &b),
			 CJ_ENOTFOUND);
	assert_non_null(strstr(cj_db_errmsg(db), "360925100302"));
	/* a day book keeps cash or bank, not another account */
	assert_int_equal(cj_book_build(db, CJ_BOOK_CASH, "360925100301", "513", months(1, 2), NULL,
				       NULL, &b),
			 CJ_EINVAL);
	assert_non_null(strstr(cj_db_errmsg(db), "现金日记账"));
	assert_int_equal(cj_book_kind_parse("columnar"), CJ_BOOK_COLUMNAR);
	assert_int_equal(cj_book_kind_parse("journal"), -1);
}

/* The carried sums never wrap: an overflow is refused. */
static void
test_carry_overflow(void **state)
{
	cj_report *r = cj_report_new("t");
	cj_table *t = cj_report_table(r, "t", 0);
	cj_cell c[2];
	long row;

	(void)state;
	assert_int_equal(cj_table_column(r, t, NULL, "摘要", CJ_COL_TEXT, 8), 0);
	assert_int_equal(cj_table_column(r, t, NULL, "借方", CJ_COL_MONEY, 8), 0);
	assert_int_equal(cj_table_carry(r, t, 0, "过次页", "承前页"), 0);
	cj_table_carry_column(t, 1, CJ_CARRY_SUM);
	cj_table_carry_column(t, 0, CJ_CARRY_SUM); /* the label column is never carried */
	assert_int_equal(t->carry->role[0], CJ_CARRY_NONE);
	for (int i = 0; i < 2; i++) {
		row = cj_table_row(r, t, CJ_ROW_DATA, 0);
		cj_table_number(t, row, 1, INT64_MAX / 2 + 1);
	}
	assert_int_equal(cj_table_carried(t, 1, c), 0);
	assert_int_equal(c[1].value, INT64_MAX / 2 + 1);
	assert_int_equal(cj_table_carried(t, 2, c), -1);
	cj_report_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_general),      cmocka_unit_test(test_cash),
		cmocka_unit_test(test_bank_and_detail), cmocka_unit_test(test_columnar),
		cmocka_unit_test(test_township),     cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_carry_overflow),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
