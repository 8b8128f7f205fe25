/*
 * test_pipeline.c - statements prepared in the round trip that first runs
 * them: the handle remembers exactly those the server confirmed, so a
 * statement that failed on first use can be run again, and a Parse the
 * server refused or skipped is sent again next time.
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

static const char divide_sql[] = "SELECT 10 / $1::int";
static const char bad_sql[] = "SELEC 1";
static const char good_sql[] = "SELECT $1::int + 1";
static const char later_sql[] = "SELECT $1::int + 2";

static int
setup(void **state)
{
	(void)state;
	db = testdb_open("test_pipeline");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cj_db_close(db);
	return 0;
}

static long long
run(const char *sql, const char *arg, int *status)
{
	const char *params[1] = {arg};
	PGresult *res = NULL;
	long long v = -1;

	*status = cj_db_exec_prepared(db, &res, sql, 1, params);
	if (!*status) {
		v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		PQclear(res);
	}
	return v;
}

static long long
prepared_count(void)
{
	return testdb_int(db, "SELECT count(*) FROM pg_prepared_statements");
}

static void
test_pipeline_failed_execution_keeps_the_statement(void **state)
{
	long long before = prepared_count();
	int status;

	(void)state;
	run(divide_sql, "0", &status);
	testdb_fails(db, status, CJ_EINVAL, "division by zero");
	assert_string_equal(cj_db_sqlstate(db), "22012"); /* division_by_zero */
	assert_int_equal(prepared_count(), before + 1);   /* the Parse went through */
	assert_int_equal(run(divide_sql, "5", &status), 2);
	assert_int_equal(status, 0);
	assert_int_equal(prepared_count(), before + 1); /* not parsed twice */
}

static void
test_pipeline_refused_parse_is_not_remembered(void **state)
{
	const char *params[1] = {"1"};
	long long before = prepared_count();
	int status;

	(void)state;
	testdb_fails(db, cj_db_exec_prepared(db, NULL, bad_sql, 0, params), CJ_EDB, "syntax error");
	assert_string_equal(cj_db_sqlstate(db), "42601"); /* syntax_error */
	assert_int_equal(prepared_count(), before);
	/* the slot it would have had goes to the next statements, which work */
	assert_int_equal(run(good_sql, "1", &status), 2);
	assert_int_equal(run(later_sql, "1", &status), 3);
	assert_int_equal(run(good_sql, "5", &status), 6);
	assert_int_equal(status, 0);
	assert_int_equal(prepared_count(), before + 2);
}

/* A failed voucher insert skips the lines' Parse sent behind it in the same
 * round trip: the next posting must parse it again, not run a statement the
 * server never saw. */
static void
test_pipeline_parse_skipped_after_a_failure_is_sent_again(void **state)
{
	cj_poster *p;
	int v1, v2;

	(void)state;
	testdb_orgs(db, &v1, &v2);
	assert_int_equal(cj_poster_new(&p, db), 0);
	/* a trigger of the test's own, which only the superuser may add */
	testdb_ok(testdb_super(db), "SET search_path = cunji;\n"
		      "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$\n"
		      "BEGIN RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'CJ999'; END $$;\n"
		      "CREATE TRIGGER test_refuse BEFORE INSERT ON voucher\n"
		      "    FOR EACH STATEMENT EXECUTE FUNCTION test_refuse()");
	testdb_fails(db, testdb_post2(p, v1, "2025-03-05", "101", "501", 100, NULL), CJ_EREFUSED,
		     "refused by the test");
	assert_string_equal(cj_db_sqlstate(db), "CJ999");
	testdb_ok(testdb_super(db), "DROP TRIGGER test_refuse ON cunji.voucher");
	assert_int_equal(testdb_post2(p, v1, "2025-03-05", "101", "501", 100, NULL), 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM voucher_line"), 2);
	cj_poster_free(p);
}

/*
 * A statement run outside a transaction commits on its own, and a deferred
 * check may refuse at that COMMIT, after the statement itself succeeded: the
 * call reports the refusal (both helpers), the row is not there, and the
 * prepared statement is kept for the next call.
 */
static const char orphan_sql[] = "INSERT INTO pg_temp.child VALUES ($1::int)";

static void
test_pipeline_refusal_at_commit_is_reported(void **state)
{
	const char *params[1] = {"7"};
	long long before = prepared_count();

	(void)state;
	testdb_ok(db, "CREATE TEMP TABLE parent (id int PRIMARY KEY);\n"
		      "CREATE TEMP TABLE child (parent int REFERENCES parent\n"
		      "    DEFERRABLE INITIALLY DEFERRED)");
	testdb_fails(db, cj_db_exec_prepared(db, NULL, orphan_sql, 1, params), CJ_EINVAL,
		     "violates foreign key constraint");
	assert_string_equal(cj_db_sqlstate(db), "23503");
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM pg_temp.child"), 0);
	assert_int_equal(prepared_count(), before + 1);
	testdb_fails(db, cj_db_exec(db, NULL, orphan_sql, 1, params), CJ_EINVAL,
		     "violates foreign key constraint");
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM pg_temp.child"), 0);
	/* with its parent the same statement goes in, by the statement prepared before */
	testdb_ok(db, "INSERT INTO pg_temp.parent VALUES (7)");
	assert_int_equal(cj_db_exec_prepared(db, NULL, orphan_sql, 1, params), 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM pg_temp.child"), 1);
	assert_int_equal(prepared_count(), before + 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipeline_failed_execution_keeps_the_statement),
		cmocka_unit_test(test_pipeline_refused_parse_is_not_remembered),
		cmocka_unit_test(test_pipeline_parse_skipped_after_a_failure_is_sent_again),
		cmocka_unit_test(test_pipeline_refusal_at_commit_is_reported),
	};

	return cmocka_run_group_tests_name("pipeline", tests, setup, teardown);
}
