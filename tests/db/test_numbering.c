/*
 * test_numbering.c - cj_numbers_reserve, which every path that writes
 * vouchers numbers them with: each village's month gets the numbers after
 * those handed out before, whatever the order of the groups; the ids are
 * fresh and distinct; a rolled-back reservation hands nothing out; and a
 * voucher posted afterwards takes the next number.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include <ledger/numbering.h>

#include "testdb.h"

static cj_db *admin, *db; /* db: the superuser's connection (testdb_super) */
static cj_poster *poster;
static int v1, v2;

static int
setup(void **state)
{
	(void)state;
	/* as the superuser: the test changes the id sequence's increment inside
	 * its transaction, which only the schema's owner may */
	admin = testdb_open("test_numbering");
	db = testdb_super(admin);
	testdb_orgs(db, &v1, &v2);
	assert_int_equal(cj_poster_new(&poster, db), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cj_poster_free(poster);
	cj_db_close(admin);
	return 0;
}

static long long
counter(int village, const char *month)
{
	char sql[200];

	snprintf(sql, sizeof sql, "SELECT coalesce(max(last_number), 0) FROM cunji.voucher_counter "
				  "WHERE village_id = %d AND period = '%s-01'", village, month);
	return testdb_int(db, sql);
}

/* Numbers reserved must be used by the same transaction (the database
 * refuses to commit a counter past the last voucher), so the reservations
 * here are rolled back. */
static void
test_numbers_follow_those_handed_out(void **state)
{
	cj_numbers g[3] = {{v2, {2025, 3}, 2, -1}, {v1, {2025, 3}, 3, -1}, {v1, {2025, 2}, 1, -1}};
	int64_t ids[6];
	cj_posted posted;

	(void)state;
	assert_int_equal(testdb_post2(poster, v1, "2025-03-04", "101", "501", 100, &posted), 0);
	assert_int_equal(posted.number, 1);

	assert_int_equal(cj_db_begin(db), 0);
	assert_int_equal(cj_numbers_reserve(db, g, 3, ids, 6), 0);
	assert_int_equal(g[0].base, 0);
	assert_int_equal(g[1].base, 1);
	assert_int_equal(g[2].base, 0);
	for (int i = 0; i < 6; i++) {
		assert_true(ids[i] > posted.id);
		for (int j = 0; j < i; j++)
			assert_true(ids[i] != ids[j]);
	}
	/* again, groups in another order: after the first */
	g[0].count = 1;
	assert_int_equal(cj_numbers_reserve(db, g + 1, 2, NULL, 0), 0);
	assert_int_equal(cj_numbers_reserve(db, g, 1, NULL, 0), 0);
	assert_int_equal(g[0].base, 2);
	assert_int_equal(g[1].base, 4);
	assert_int_equal(g[2].base, 1);
	assert_int_equal(counter(v2, "2025-03"), 3);
	assert_int_equal(counter(v1, "2025-03"), 7);

	/* ids that do not follow each other (another session drew some between) */
	testdb_ok(db, "ALTER SEQUENCE cunji.voucher_id_seq INCREMENT BY 2");
	assert_int_equal(cj_numbers_reserve(db, g, 1, ids, 3), 0);
	testdb_ok(db, "ALTER SEQUENCE cunji.voucher_id_seq INCREMENT BY 1");
	assert_int_equal(ids[1] - ids[0], 2);
	assert_int_equal(ids[2] - ids[1], 2);
	cj_db_rollback(db);

	/* rolled back: nothing was handed out */
	assert_int_equal(counter(v2, "2025-03"), 0);
	assert_int_equal(counter(v1, "2025-03"), 1);
	assert_int_equal(testdb_post2(poster, v1, "2025-03-09", "101", "501", 100, &posted), 0);
	assert_int_equal(posted.number, 2);
}

/*
 * Outside a transaction, the reservation's statement is a transaction of its
 * own, committed at the pipeline's Sync, where the deferred check
 * voucher_counter_used refuses a counter past the month's last voucher.  The
 * refusal at COMMIT is the call's error (db.c reads every result up to the
 * Sync), and nothing was handed out.
 */
static void
test_refusal_at_commit_is_reported(void **state)
{
	cj_numbers g[1] = {{0, {2025, 5}, 2, -1}};
	int64_t ids[2];
	int err;

	(void)state;
	g[0].village_id = v2;
	assert_int_equal(counter(v2, "2025-05"), 0);
	err = cj_numbers_reserve(db, g, 1, ids, 2);
	testdb_fails(db, err, CJ_EREFUSED, "numbers are reserved only for the vouchers posted with them");
	assert_string_equal(cj_db_sqlstate(db), "CJ008");
	assert_int_equal(counter(v2, "2025-05"), 0);
	/* the connection goes on: the next statement runs as usual */
	assert_int_equal(testdb_int(db, "SELECT 1"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_follow_those_handed_out),
		cmocka_unit_test(test_refusal_at_commit_is_reported),
	};
	return cmocka_run_group_tests_name("numbering", tests, setup, teardown);
}
