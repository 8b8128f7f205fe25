/*
 * test_demo_lib.c - the demo county as a library call (ledger_demo): a small
 * county built in a fresh database, its figures, its files and its books
 * checked; bad options refused before anything is written
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <demo/demo.h>

#include "testdb.h"

static long phases, errors;

static void
on_progress(const char *phase, uint64_t done, uint64_t total, void *payload)
{
	(void)payload;
	(void)phase;
	assert_true(done <= total || total == 0);
	phases++;
}

static void
on_problem(const cj_problem *p, void *payload)
{
	(void)p;
	(void)payload;
	errors++;
}

static void
test_demo_builds_a_county(void **state)
{
	char files[] = "/tmp/cunji-demo-files-XXXXXX", sheets[] = "/tmp/cunji-demo-sheets-XXXXXX";
	char cmd[256];
	cj_demo_opts o = {.villages = 4, .vouchers = 12, .year = 2025, .jobs = 1,
			  .cb = {.progress = on_progress, .problem = on_problem}};
	cj_demo_result r;
	cj_books_check_result check;
	cj_db *db = testdb_open("test_demo_lib");

	(void)state;
	assert_non_null(mkdtemp(files));
	assert_non_null(mkdtemp(sheets));
	o.files_dir = files;
	o.disclosure_dir = sheets;
	assert_int_equal(cj_demo_build(db, &o, &r), 0);
	assert_int_equal(r.villages, 4);
	assert_int_equal(r.vouchers, 4 * (12 + 1)); /* the year and each opening voucher */
	assert_int_equal(r.xj_villages, 2);         /* villages 0 and 3 */
	assert_int_equal(r.fx_villages, 4);         /* the first four townships */
	assert_int_equal(r.projects, 2);
	assert_true(r.households > 0 && r.dividend_villages + r.no_dividend == 4);
	/* Q4 and the year, XLSX and PDF: 4 villages, the 11 townships, the county */
	assert_int_equal(r.disclosure_files, 2 * 2 * (4 + 11 + 1));
	assert_true(phases > 0);
	assert_int_equal(errors, 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM fiscal_year WHERE year = 2025"), 4);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM org WHERE level = 'township'"), 11);
	assert_int_equal(cj_books_check(db, &check), 0);
	assert_int_equal(check.nproblems, 0);
	cj_books_check_free(&check);
	/* the clerks' files: the opening balances and one per township with villages */
	snprintf(cmd, sizeof cmd, "test $(ls %s | wc -l) -eq 5", files);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "rm -rf %s %s", files, sheets);
	assert_int_equal(system(cmd), 0);

	/* a second county on top is refused by the books, and says where */
	assert_int_not_equal(cj_demo_build(db, &o, &r), 0);
	assert_non_null(strstr(cj_db_errmsg(db), "organisations: "));
	cj_db_close(db);
}

static void
test_demo_refuses_bad_options(void **state)
{
	cj_db *db = testdb_open("test_demo_lib_bad");
	cj_demo_opts o = {.villages = CJ_DEMO_MAX_VILLAGES + 1};
	cj_demo_result r;

	(void)state;
	assert_int_equal(cj_demo_build(db, &o, &r), CJ_EINVAL);
	assert_string_equal(cj_db_errmsg(db), "the demo has 1 to 5000 villages, not 5001");
	o.villages = 1;
	o.year = 1999;
	assert_int_equal(cj_demo_build(db, &o, &r), CJ_EINVAL);
	assert_string_equal(cj_db_errmsg(db), "the demo year is 2000 to 2100, not 1999");
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM org"), 0);
	cj_db_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_refuses_bad_options),
		cmocka_unit_test(test_demo_builds_a_county),
	};

	return cmocka_run_group_tests_name("demo", tests, NULL, NULL);
}
