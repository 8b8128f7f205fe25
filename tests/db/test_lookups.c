/*
 * test_lookups.c - the core's public calls that before only the CLI (or no
 * test at all) reached: finding and listing accounts and organisations, a
 * voucher by external id, posting inside the caller's transaction, the
 * embedded cluster's status, URL, cj_cluster_ensure and cj_cluster_stop,
 * and cj_db's transactions, errors and schema check.
 *
 * Runs against a real PostgreSQL: the embedded cluster started by ctest.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testdb.h"

static cj_db *db;
static cj_poster *poster;
static int v1, v2;
static char home[PATH_MAX];

static int
setup(void **state)
{
	char err[256];

	(void)state;
	db = testdb_open("test_lookups");
	assert_int_equal(cj_poster_new(&poster, db), 0);
	testdb_orgs(db, &v1, &v2);
	assert_int_equal(cj_account_add(db, v1, "102001", "农商行"), 0);
	assert_int_equal(cj_account_add(db, v1, "10200101", "农商行基本户"), 0);
	assert_int_equal(cj_cluster_home(home, sizeof home, err, sizeof err), 0);
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

static void
test_accounts_found_and_listed(void **state)
{
	cj_account a, *all = NULL;
	size_t n = 0, first = 0;
	long long chart;
	int seen = 0;

	(void)state;
	assert_int_equal(cj_account_find(db, v1, "102001", &a), 0);
	assert_string_equal(a.name, "农商行");
	assert_string_equal(a.parent_code, "102");
	assert_int_equal(a.category, CJ_CAT_ASSET);
	assert_int_equal(a.normal_side, 'D');
	assert_false(a.is_leaf); /* 10200101 is under it */
	assert_true(a.active);
	assert_int_equal(cj_account_find(db, v1, "311", &a), 0);
	assert_int_equal(a.category, CJ_CAT_EQUITY);
	assert_int_equal(a.normal_side, 'C');
	testdb_fails(db, cj_account_find(db, v1, "999", &a), CJ_ENOTFOUND,
		     "account 999 does not exist in this village");
	/* 102001 is village 360925100301's, not 360925100302's */
	testdb_fails(db, cj_account_find(db, v2, "102001", &a), CJ_ENOTFOUND,
		     "account 102001 does not exist in this village");

	/* the standard chart (its 42 first-level accounts and the sub-accounts it
	 * comes with) and the two added here */
	chart = testdb_int(db, "SELECT count(*) FROM cunji.chart_template");
	assert_int_equal(cj_account_list(db, v1, &all, &n), 0);
	assert_int_equal((long long)n, chart + 2);
	for (size_t i = 0; i < n; i++) {
		if (i)
			assert_true(strcmp(all[i - 1].code, all[i].code) < 0);
		first += all[i].level == 1;
		if (!strcmp(all[i].code, "10200101")) {
			seen = 1;
			assert_int_equal(all[i].level, 3);
			assert_true(all[i].is_leaf);
			assert_string_equal(all[i].parent_code, "102001");
		}
		if (!strcmp(all[i].code, "102"))
			assert_false(all[i].is_leaf);
	}
	assert_int_equal((int)first, 42);
	assert_true(seen);
	free(all);
	assert_int_equal(cj_account_list(db, v2, &all, &n), 0);
	assert_int_equal((long long)n, chart);
	free(all);
}

static void
test_organisations_listed_and_villages_found(void **state)
{
	cj_org *orgs = NULL, o;
	size_t n = 0;

	(void)state;
	assert_int_equal(cj_org_list(db, NULL, &orgs, &n), 0);
	assert_int_equal((int)n, 4);
	/* tree order: the county, its township, the township's villages */
	assert_string_equal(orgs[0].code, "360925");
	assert_int_equal(orgs[0].level, CJ_ORG_COUNTY);
	assert_string_equal(orgs[0].parent_code, "");
	assert_string_equal(orgs[1].code, "360925100");
	assert_string_equal(orgs[1].parent_code, "360925");
	assert_string_equal(orgs[2].code, "360925100301");
	assert_string_equal(orgs[3].code, "360925100302");
	assert_int_equal(orgs[3].level, CJ_ORG_VILLAGE);
	assert_true(orgs[3].start.year == 2025 && orgs[3].start.month == 1);
	free(orgs);
	assert_int_equal(cj_org_list(db, "360925100302", &orgs, &n), 0);
	assert_int_equal((int)n, 1);
	assert_string_equal(orgs[0].name, "二村");
	free(orgs);
	testdb_fails(db, cj_org_list(db, "360925999", &orgs, &n), CJ_ENOTFOUND, "360925999");
	assert_null(orgs);
	assert_int_equal((int)n, 0);

	assert_int_equal(cj_village_find(db, "360925100301", &o), 0);
	assert_int_equal(o.id, v1);
	assert_string_equal(o.name, "一村");
	testdb_fails(db, cj_village_find(db, "360925100", &o), CJ_EINVAL,
		     "360925100 测试镇 is a township, not a village");
	testdb_fails(db, cj_village_find(db, "360925100399", &o), CJ_ENOTFOUND, "360925100399");
}

static int
post_external(const char *ext, int64_t fen, cj_posted *out)
{
	cj_line l[2] = {{.account = "10200101", .debit = {fen}}, {.account = "501", .credit = {fen}}};
	cj_voucher v = {.village_id = v1, .date = {2025, 3, 5}, .summary = "收到承包费",
			.external_id = ext, .lines = l, .nlines = 2};

	return cj_post_batch(poster, &v, 1, out);
}

static void
test_voucher_found_by_external_id(void **state)
{
	cj_posted p;
	cj_voucher_info info;

	(void)state;
	assert_int_equal(post_external("BANK-0001", 120000, &p), 0);
	assert_int_equal(cj_voucher_find_external(db, v1, "BANK-0001", &info), 0);
	assert_true(info.id == p.id);
	assert_int_equal(info.number, p.number);
	assert_true(info.period.year == 2025 && info.period.month == 3);
	assert_string_equal(info.summary, "收到承包费");
	assert_string_equal(info.external_id, "BANK-0001");
	assert_int_equal(info.kind, CJ_VOUCHER_NORMAL);
	assert_true(info.reversed_by == 0);
	testdb_fails(db, cj_voucher_find_external(db, v2, "BANK-0001", &info), CJ_ENOTFOUND,
		     "no voucher with external id BANK-0001 in this village");
	testdb_fails(db, cj_voucher_find_external(db, v1, "bank-0001", &info), CJ_ENOTFOUND,
		     "no voucher with external id bank-0001"); /* bytewise, COLLATE "C" */
}

static long long
vouchers_with(const char *ext)
{
	char sql[256];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM cunji.voucher WHERE external_id = '%s'", ext);
	return testdb_int(db, sql);
}

/* Posting inside the caller's transaction: nothing is committed (another
 * session sees nothing) until the caller commits; the caller's rollback
 * takes the voucher and its number back. */
static void
test_posting_inside_the_callers_transaction(void **state)
{
	cj_posted p;
	cj_db *other;
	char err[256];

	(void)state;
	assert_int_equal(cj_cluster_connect(home, "test_lookups", &other, err, sizeof err), 0);
	assert_int_equal(cj_db_begin(db), 0);
	cj_poster_join_transaction(poster, 1);
	assert_int_equal(post_external("JOIN-1", 100, &p), 0);
	cj_poster_join_transaction(poster, 0);
	assert_int_equal(vouchers_with("JOIN-1"), 1); /* this session sees it */
	assert_int_equal(testdb_int(other, "SELECT count(*) FROM cunji.voucher WHERE external_id = "
					   "'JOIN-1'"),
			 0);
	cj_db_rollback(db);
	assert_int_equal(vouchers_with("JOIN-1"), 0);

	assert_int_equal(cj_db_begin(db), 0);
	cj_poster_join_transaction(poster, 1);
	assert_int_equal(post_external("JOIN-2", 100, &p), 0);
	/* a refused voucher leaves the transaction to the caller */
	testdb_fails(db, post_external("JOIN-3", 0, &p), CJ_EINVAL, "it has neither");
	cj_poster_join_transaction(poster, 0);
	assert_int_equal(cj_db_commit(db), 0);
	assert_int_equal(testdb_int(other, "SELECT count(*) FROM cunji.voucher WHERE external_id = "
					   "'JOIN-2'"),
			 1);
	assert_int_equal(vouchers_with("JOIN-3"), 0);
	cj_db_close(other);
}

static void
test_cj_db_transactions_and_errors(void **state)
{
	const char *params[2] = {"41", "一"};
	PGresult *res = NULL;

	(void)state;
	assert_int_equal(cj_db_exec(db, &res, "SELECT $1::int + 1, $2::text || '村'", 2, params), 0);
	assert_string_equal(PQgetvalue(res, 0, 0), "42");
	assert_string_equal(PQgetvalue(res, 0, 1), "一村");
	PQclear(res);
	testdb_ok(db, "CREATE TEMP TABLE t (x int PRIMARY KEY)");
	assert_int_equal(cj_db_begin(db), 0);
	assert_int_equal(cj_db_exec(db, NULL, "INSERT INTO t VALUES ($1)", 1, params), 0);
	cj_db_rollback(db);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM t"), 0);
	assert_int_equal(cj_db_begin(db), 0);
	assert_int_equal(cj_db_exec(db, NULL, "INSERT INTO t VALUES ($1)", 1, params), 0);
	assert_int_equal(cj_db_commit(db), 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM t"), 1);
	/* SQLSTATE to status: a duplicate key is CJ_EEXISTS; the rollback keeps
	 * the error that caused it */
	assert_int_equal(cj_db_begin(db), 0);
	testdb_fails(db, cj_db_exec(db, NULL, "INSERT INTO t VALUES ($1)", 1, params), CJ_EEXISTS,
		     "duplicate key value violates unique constraint \"t_pkey\"");
	assert_string_equal(cj_db_sqlstate(db), "23505");
	cj_db_rollback(db);
	assert_string_equal(cj_db_sqlstate(db), "23505");
	assert_non_null(strstr(cj_db_errmsg(db), "t_pkey"));
	/* a message of the library's own, with no SQLSTATE */
	assert_int_equal(cj_db_fail(db, CJ_EREFUSED, "village %s: %d problems", "360925100301", 3),
			 CJ_EREFUSED);
	assert_string_equal(cj_db_errmsg(db), "village 360925100301: 3 problems");
	assert_string_equal(cj_db_sqlstate(db), "");
	testdb_ok(db, "DROP TABLE t");
}

/* cj_cluster_ensure creates a missing database once (and says so), and its
 * conninfo reaches it; a new database has no schema until it is migrated. */
static void
test_cluster_ensure_status_and_url(void **state)
{
	char ci[PATH_MAX + 256], url[PATH_MAX + 128], err[512], open_home[64], real[PATH_MAX],
		me[128];
	cj_cluster_status st;
	cj_db *fresh = NULL;
	int created = -1, behind = -1;

	(void)state;
	assert_int_equal(cj_cluster_get_status(home, &st, err, sizeof err), 0);
	assert_true(st.initialised && st.running && st.pid > 0);
	assert_non_null(realpath(home, real));
	assert_int_equal(strlen(st.datadir), strlen(real) + 3);
	assert_string_equal(st.datadir + strlen(real), "/pg");

	assert_int_equal(cj_cluster_url(home, "test_lookups", url, sizeof url), 0);
	assert_int_equal(cj_cluster_login(me, sizeof me), 0);
	assert_true(snprintf(ci, sizeof ci, "postgresql:///test_lookups?host=%s/pg&user=%s", real, me) <
		    (int)sizeof ci);
	assert_string_equal(url, ci);
	assert_int_equal(cj_cluster_url(home, "test_lookups", url, 16), CJ_EINVAL); /* cut */

	testdb_ok(testdb_super(db), "DROP DATABASE IF EXISTS test_lookups_new WITH (FORCE)");
	assert_int_equal(cj_cluster_ensure(home, "test_lookups_new", ci, sizeof ci, &created, err,
					   sizeof err),
			 0);
	assert_int_equal(created, 1);
	assert_int_equal(cj_cluster_ensure(home, "test_lookups_new", ci, sizeof ci, &created, err,
					   sizeof err),
			 0);
	assert_int_equal(created, 0);
	assert_int_equal(cj_db_connect(&fresh, ci), 0);
	testdb_fails(fresh, cj_db_check_schema(fresh, &behind), CJ_EREFUSED,
		     "the database has no cunji schema yet; run 'cunji --db URL init'");
	assert_int_equal(behind, 1);
	assert_int_equal(cj_db_migrate(fresh, NULL), 0);
	assert_int_equal(cj_db_check_schema(fresh, &behind), 0);
	assert_int_equal(behind, 0);
	/* one migration forgotten: behind again */
	testdb_ok(fresh, "DELETE FROM cunji.schema_migrations WHERE version = 2");
	testdb_fails(fresh, cj_db_check_schema(fresh, &behind), CJ_EREFUSED,
		     "or misses one before it); run 'cunji --db URL init'");
	assert_int_equal(behind, 1);
	cj_db_close(fresh);
	testdb_ok(testdb_super(db), "DROP DATABASE test_lookups_new WITH (FORCE)");

	/* a home that others can write is refused, and nothing is made in it */
	snprintf(open_home, sizeof open_home, "/tmp/cunji-test-lookups-XXXXXX");
	assert_non_null(mkdtemp(open_home));
	assert_int_equal(chmod(open_home, 0777), 0);
	assert_int_equal(cj_cluster_ensure(open_home, "test_lookups", ci, sizeof ci, NULL, err,
					   sizeof err),
			 CJ_EREFUSED);
	assert_non_null(strstr(err, "can be written by other users (mode 0777)"));
	assert_int_equal(rmdir(open_home), 0); /* still empty */
}

/* A cluster of its own: started by cj_cluster_ensure, stopped, stopped again
 * (not an error). */
static void
test_cluster_stop(void **state)
{
	char own[64], ci[PATH_MAX + 128], err[512], cmd[128];
	cj_cluster_status st;

	(void)state;
	snprintf(own, sizeof own, "/tmp/cunji-test-lookups-stop-%d", (int)getpid());
	assert_int_equal(cj_cluster_get_status(own, &st, err, sizeof err), 0);
	assert_false(st.initialised || st.running);
	assert_int_equal(cj_cluster_ensure(own, "postgres", ci, sizeof ci, NULL, err, sizeof err), 0);
	assert_int_equal(cj_cluster_get_status(own, &st, err, sizeof err), 0);
	assert_true(st.initialised && st.running && st.pid > 0);
	assert_int_equal(cj_cluster_stop(own, err, sizeof err), 0);
	assert_int_equal(cj_cluster_get_status(own, &st, err, sizeof err), 0);
	assert_true(st.initialised);
	assert_false(st.running);
	assert_int_equal(cj_cluster_stop(own, err, sizeof err), 0);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", own);
	assert_int_equal(system(cmd), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accounts_found_and_listed),
		cmocka_unit_test(test_organisations_listed_and_villages_found),
		cmocka_unit_test(test_voucher_found_by_external_id),
		cmocka_unit_test(test_posting_inside_the_callers_transaction),
		cmocka_unit_test(test_cj_db_transactions_and_errors),
		cmocka_unit_test(test_cluster_ensure_status_and_url),
		cmocka_unit_test(test_cluster_stop),
	};

	return cmocka_run_group_tests_name("lookups", tests, setup, teardown);
}
