/*
 * test_twophase.c - work over several connections, all or nothing
 * (ledger/lib/twophase.c, the parallel import of importers/import.c):
 *   - cj_db_recover rolls back the prepared parts of a group without a
 *     decision, commits those of a group with one, and leaves alone a group
 *     whose coordinator still holds its lock;
 *   - cj_import_vouchers over two connections posts each village on one of
 *     them (two transactions) and commits the file whole;
 *   - a refusal at PREPARE (the deferred checks run there) of either
 *     connection rolls back both: nothing posted, logged or left prepared.
 * The kill -9 of a real import is tests/cli/test_import_2pc.sh.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <importers/import.h>

#include "testdb.h"

#define NAME "test_twophase"

static cj_db *db;
static int v1, v2;
static char path[64];

static cj_db *
connect_again(void)
{
	char home[PATH_MAX], err[512];
	cj_db *c;

	assert_int_equal(cj_cluster_home(home, sizeof home, err, sizeof err), 0);
	assert_int_equal(cj_cluster_connect(home, NAME, &c, err, sizeof err), 0);
	return c;
}

static int
setup(void **state)
{
	FILE *f;
	int fd;

	(void)state;
	db = testdb_open(NAME);
	testdb_orgs(db, &v1, &v2);
	assert_int_equal(cj_account_add(db, v1, "102001", "农商行"), 0);
	assert_int_equal(cj_account_add(db, v2, "102001", "农商行"), 0);
	/* the test's own table: made by the superuser, for any role */
	testdb_ok(testdb_super(db), "CREATE TABLE public.part (k integer); "
				    "GRANT ALL ON public.part TO PUBLIC");
	/* 20 receipts in each village, one village after the other */
	strcpy(path, "/tmp/cunji-test-2pc-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n", f);
	for (int v = 1; v <= 2; v++)
		for (int i = 1; i <= 20; i++)
			fprintf(f, "36092510030%d,2025-03-%02d,%d,收到承包费,102001,%d.00,\n"
				   "36092510030%d,2025-03-%02d,%d,收到承包费,501,,%d.00\n",
				v, i, i, i, v, i, i, i);
	assert_int_equal(fclose(f), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	remove(path);
	cj_db_close(db);
	return 0;
}

/* Two connections each write a row of part and prepare as parts 0 and 1 of
 * prefix; then they are closed, as a crashed coordinator's would be. */
static void
prepare_two(const char *prefix)
{
	for (int k = 0; k < 2; k++) {
		cj_db *c = connect_again();
		char sql[64];
		snprintf(sql, sizeof sql, "INSERT INTO public.part VALUES (%d)", k);
		assert_int_equal(cj_db_begin(c), 0);
		testdb_ok(c, sql);
		assert_int_equal(cj_2pc_prepare(c, prefix, k), 0);
		cj_db_close(c);
	}
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()"), 2);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM public.part"), 0);
}

static void
test_recover_without_decision_rolls_back(void **state)
{
	int committed, rolled_back;

	(void)state;
	prepare_two("cunji-import-aaaa");
	assert_int_equal(cj_db_recover(db, &committed, &rolled_back), 0);
	assert_int_equal(committed, 0);
	assert_int_equal(rolled_back, 2);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()"), 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM public.part"), 0);
}

static void
test_recover_with_decision_commits(void **state)
{
	int committed, rolled_back;

	(void)state;
	prepare_two("cunji-import-bbbb");
	assert_int_equal(cj_2pc_decide(db, "cunji-import-bbbb", 2), 0);
	assert_int_equal(cj_db_recover(db, &committed, &rolled_back), 0);
	assert_int_equal(committed, 2);
	assert_int_equal(rolled_back, 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM public.part"), 2);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()"), 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM twophase_decision"), 0);
	testdb_ok(db, "DELETE FROM public.part");
}

static void
test_recover_leaves_a_live_coordinator_alone(void **state)
{
	cj_db *coordinator = connect_again();
	int committed, rolled_back;

	(void)state;
	assert_int_equal(cj_2pc_lock(coordinator, "cunji-import-cccc"), 0);
	prepare_two("cunji-import-cccc");
	assert_int_equal(cj_db_recover(db, &committed, &rolled_back), 0);
	assert_int_equal(committed + rolled_back, 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()"), 2);
	/* the coordinator settles its own */
	assert_int_equal(cj_2pc_decide(coordinator, "cunji-import-cccc", 2), 0);
	assert_int_equal(cj_2pc_finish(coordinator, "cunji-import-cccc", 2, 1), 0);
	cj_2pc_unlock(coordinator, "cunji-import-cccc");
	cj_db_close(coordinator);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM public.part"), 2);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()"), 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM twophase_decision"), 0);
	testdb_ok(db, "DELETE FROM public.part");
}

static void
test_import_over_two_connections(void **state)
{
	cj_import_opts o = {.jobs = 2};
	cj_import_result r;

	(void)state;
	assert_int_equal(cj_import_vouchers(db, path, &o, &r), 0);
	assert_false(r.staged);
	assert_int_equal(r.vouchers, 40);
	assert_int_equal(r.nvillages, 2);
	assert_int_equal(r.villages[1].vouchers, 20);
	assert_string_equal(r.villages[1].last, "2025-03-20");
	cj_import_result_dispose(&r);
	/* each village from a transaction of its own, committed together */
	assert_int_equal(testdb_int(db, "SELECT count(DISTINCT tx) FROM voucher"), 2);
	assert_int_equal(testdb_int(db, "SELECT count(DISTINCT (village_id, tx)) FROM voucher"), 2);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM import_log"), 1);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()"), 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM twophase_decision"), 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM totals_mismatches()"), 0);
	/* the same file again: found in import_log */
	assert_int_equal(cj_import_vouchers(db, path, &o, &r), 0);
	assert_true(r.already_imported);
	cj_import_result_dispose(&r);
}

/* A check at COMMIT that refuses the vouchers of one village: the PREPARE
 * of the connection that posts it fails, and neither village is posted. */
static void
test_refusal_at_prepare_rolls_back_both(void **state)
{
	static const char trigger[] =
		"CREATE FUNCTION public.refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$\n"
		"BEGIN\n"
		"  IF EXISTS (SELECT 1 FROM public.refuse r WHERE r.village_id = NEW.village_id) THEN\n"
		"    RAISE EXCEPTION USING ERRCODE = 'CJ099', MESSAGE = 'refused at commit';\n"
		"  END IF;\n"
		"  RETURN NULL;\n"
		"END $$;\n"
		"CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON cunji.voucher\n"
		"  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.refuse_at_commit()";
	int villages[2] = {v1, v2};
	char sql[128];

	(void)state;
	/* the test's own table and trigger: only the superuser may add them */
	testdb_ok(testdb_super(db), "CREATE TABLE public.refuse (village_id integer); "
				    "GRANT ALL ON public.refuse TO PUBLIC");
	testdb_ok(testdb_super(db), trigger);
	/* the first village of the file goes to lane 0 (prepared first, with
	 * import_log), the second to lane 1 (prepared after lane 0) */
	for (int i = 0; i < 2; i++) {
		cj_import_opts o = {.jobs = 2};
		cj_import_result r;
		long long before = testdb_int(db, "SELECT count(*) FROM voucher");

		snprintf(sql, sizeof sql, "TRUNCATE public.refuse; INSERT INTO public.refuse VALUES (%d)",
			 villages[i]);
		testdb_ok(testdb_super(db), sql);
		testdb_fails(db, cj_import_vouchers(db, path, &o, &r), CJ_EREFUSED, "refused at commit");
		cj_import_result_dispose(&r);
		assert_int_equal(testdb_int(db, "SELECT count(*) FROM voucher"), before);
		assert_int_equal(testdb_int(db, "SELECT count(*) FROM import_log"), 0);
		assert_int_equal(testdb_int(db, "SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()"), 0);
		assert_int_equal(testdb_int(db, "SELECT count(*) FROM twophase_decision"), 0);
	}
	testdb_ok(testdb_super(db), "DROP TRIGGER refuse_at_commit ON cunji.voucher");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recover_without_decision_rolls_back),
		cmocka_unit_test(test_recover_with_decision_commits),
		cmocka_unit_test(test_recover_leaves_a_live_coordinator_alone),
		cmocka_unit_test(test_refusal_at_prepare_rolls_back_both),
		cmocka_unit_test(test_import_over_two_connections),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
