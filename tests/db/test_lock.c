/*
 * test_lock.c - cj_village_lock holds the same lock as the ledger's
 * triggers: exclusive, it keeps another session's postings out of that
 * village (and only that one); shared, it lets postings through and keeps
 * a period's close waiting.  The other session gives up after a short
 * lock_timeout (SQLSTATE 55P03) instead of waiting.
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "testdb.h"

static cj_db *db, *other;
static cj_poster *poster;
static int v1, v2;

static int
setup(void **state)
{
	char home[PATH_MAX], err[512];

	(void)state;
	db = testdb_open("test_lock");
	testdb_orgs(db, &v1, &v2);
	assert_int_equal(cj_cluster_home(home, sizeof home, err, sizeof err), 0);
	assert_int_equal(cj_cluster_connect(home, "test_lock", &other, err, sizeof err), 0);
	testdb_ok(other, "SET lock_timeout = '200ms'");
	assert_int_equal(cj_poster_new(&poster, other), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cj_poster_free(poster);
	cj_db_close(other);
	cj_db_close(db);
	return 0;
}

static void
test_exclusive_keeps_postings_out(void **state)
{
	(void)state;
	assert_int_equal(cj_db_begin(db), 0);
	assert_int_equal(cj_village_lock(db, v1, 1), 0);
	assert_int_not_equal(testdb_post2(poster, v1, "2025-03-05", "101", "501", 100, NULL), 0);
	assert_string_equal(cj_db_sqlstate(other), "55P03"); /* lock_not_available */
	assert_int_equal(testdb_post2(poster, v2, "2025-03-05", "101", "501", 100, NULL), 0);
	cj_db_rollback(db);
	assert_int_equal(testdb_post2(poster, v1, "2025-03-05", "101", "501", 100, NULL), 0);
}

static void
test_shared_lets_postings_in_and_keeps_a_close_out(void **state)
{
	cj_period jan = {2025, 1};

	(void)state;
	assert_int_equal(cj_db_begin(db), 0);
	assert_int_equal(cj_village_lock(db, v1, 0), 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-03-06", "101", "501", 100, NULL), 0);
	assert_int_not_equal(cj_period_close(other, v1, jan, NULL), 0);
	assert_string_equal(cj_db_sqlstate(other), "55P03");
	cj_db_rollback(db);
	assert_int_equal(cj_period_close(other, v1, jan, NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exclusive_keeps_postings_out),
		cmocka_unit_test(test_shared_lets_postings_in_and_keeps_a_close_out),
	};
	return cmocka_run_group_tests_name("lock", tests, setup, teardown);
}
