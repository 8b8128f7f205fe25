/*
 * test_books.c - trial balance, detail ledger and journal export on a small
 * hand-computed data set
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testdb.h"

static cj_db *db;
static cj_poster *poster;
static int v1, v2;

static int
setup(void **state)
{
	cj_line open[3] = {{.account = "101", .debit = {100000}},
			   {.account = "102001", .debit = {500000}},
			   {.account = "311", .credit = {600000}}};
	cj_voucher ov = {.summary = "期初余额", .kind = CJ_VOUCHER_OPENING, .lines = open, .nlines = 3};
	cj_posted out;

	(void)state;
	db = testdb_open("test_books");
	assert_int_equal(cj_poster_new(&poster, db), 0);
	testdb_orgs(db, &v1, &v2);
	assert_int_equal(cj_account_add(db, v1, "102001", "农商行"), 0);
	ov.village_id = v1;
	ov.date.year = 2025, ov.date.month = 1, ov.date.day = 1;
	assert_int_equal(cj_post_batch(poster, &ov, 1, &out), 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-03-05", "102001", "501", 120000, NULL), 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-04-10", "513", "101", 30000, NULL), 0);
	assert_int_equal(testdb_post2(poster, v2, "2025-03-20", "101", "503", 5000, NULL), 0);
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

static const cj_tb_row *
row(const cj_tb *tb, const char *code)
{
	for (size_t i = 0; i < tb->nrows; i++)
		if (!strcmp(tb->rows[i].code, code))
			return &tb->rows[i];
	fail_msg("account %s is not in the trial balance", code);
	return NULL;
}

static void
test_books_village_trial_balance(void **state)
{
	cj_period from = {2025, 3}, to = {2025, 4};
	cj_tb *tb;

	(void)state;
	assert_int_equal(cj_tb_build(db, "360925100301", from, to, &tb), 0);
	assert_true(row(tb, "101")->opening == 100000);
	assert_true(row(tb, "101")->credit == 30000);
	assert_true(row(tb, "101")->closing == 70000);
	assert_true(row(tb, "102001")->debit == 120000);
	assert_true(row(tb, "102")->closing == 620000); /* roll-up to the first level */
	assert_int_equal(row(tb, "102")->level, 1);
	assert_int_equal(row(tb, "102001")->level, 2);
	assert_true(row(tb, "311")->closing == -600000);
	assert_true(row(tb, "501")->closing == -120000);
	assert_true(row(tb, "513")->closing == 30000);
	assert_true(tb->opening_debit == 600000 && tb->opening_credit == 600000);
	assert_true(tb->debit == 150000 && tb->credit == 150000);
	assert_true(tb->closing_debit == 720000 && tb->closing_credit == 720000);
	cj_tb_free(tb);

	/* from the books' first month the opening voucher is still opening balance */
	from.month = 1;
	assert_int_equal(cj_tb_build(db, "360925100301", from, to, &tb), 0);
	assert_true(row(tb, "102")->opening == 500000);
	assert_true(row(tb, "102")->debit == 120000);
	cj_tb_free(tb);
}

static void
test_books_township_and_county_sum_villages(void **state)
{
	cj_period from = {2025, 1}, to = {2025, 12};
	cj_tb *t, *c, *a, *b;

	(void)state;
	assert_int_equal(cj_tb_build(db, "360925100", from, to, &t), 0);
	assert_int_equal(cj_tb_build(db, "360925", from, to, &c), 0);
	assert_int_equal(cj_tb_build(db, "360925100301", from, to, &a), 0);
	assert_int_equal(cj_tb_build(db, "360925100302", from, to, &b), 0);
	assert_int_equal(t->nvillages, 2);
	assert_int_equal(c->nvillages, 2);
	assert_true(row(t, "101")->closing == 70000 + 5000);
	assert_true(row(t, "503")->closing == -5000);
	/* every first-level figure of the township is the sum of its villages' */
	for (size_t i = 0; i < t->nrows; i++) {
		const cj_tb_row *r = &t->rows[i];
		int64_t sum = 0;
		for (size_t j = 0; j < a->nrows; j++)
			if (!strcmp(a->rows[j].code, r->code))
				sum += a->rows[j].closing;
		for (size_t j = 0; j < b->nrows; j++)
			if (!strcmp(b->rows[j].code, r->code))
				sum += b->rows[j].closing;
		assert_true(sum == r->closing);
		assert_true(row(c, r->code)->closing == r->closing);
	}
	assert_true(t->closing_debit == t->closing_credit);
	cj_tb_free(t);
	cj_tb_free(c);
	cj_tb_free(a);
	cj_tb_free(b);
}

static void
test_books_detail_ledger_running_balance(void **state)
{
	cj_period from = {2025, 1}, to = {2025, 4};
	cj_ledger *l;

	(void)state;
	assert_int_equal(cj_ledger_build(db, v1, "101", from, to, &l), 0);
	assert_true(l->opening == 100000);
	assert_int_equal(l->nrows, 1);
	assert_true(l->rows[0].credit == 30000);
	assert_true(l->rows[0].balance == 70000);
	assert_true(l->closing == 70000);
	cj_ledger_free(l);
	/* a parent account shows its sub-accounts' lines */
	assert_int_equal(cj_ledger_build(db, v1, "102", from, to, &l), 0);
	assert_true(l->opening == 500000 && l->closing == 620000);
	cj_ledger_free(l);
}

static void
test_books_journal_export(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(f);
	cj_span year = cj_span_year(2025);

	assert_int_equal(cj_journal_export(db, v1, &year, f), 0);
	fclose(f);
	assert_non_null(strstr(text, "102 银行存款:102001 农商行  CNY 1200.00"));
	assert_non_null(strstr(text, "501 经营收入  CNY -1200.00"));
	assert_non_null(strstr(text, "期初余额"));
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_books_village_trial_balance),
		cmocka_unit_test(test_books_township_and_county_sum_villages),
		cmocka_unit_test(test_books_detail_ledger_running_balance),
		cmocka_unit_test(test_books_journal_export),
	};

	return cmocka_run_group_tests_name("books", tests, setup, teardown);
}
