/*
 * test_rules.c - every ledger rule, broken on purpose, through the library
 * (the C check) and through raw SQL (the database's own check)
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

#include <cmocka.h>

#include "testdb.h"

static cj_db *db;
static cj_poster *poster;
static int v1, v2;

/* Raw SQL that inserts voucher `id` in village 360925100301 dated `date`, then lines. */
static char *
raw_voucher(long long id, const char *date, const char *lines_values)
{
	static char sql[4096];

	snprintf(sql, sizeof sql,
		 "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, summary, "
		 "content_hash) VALUES (%d, %lld, date_trunc('month', '%s'::date), %lld, '%s', 'raw', "
		 "'x'); INSERT INTO cunji.voucher_line (village_id, voucher_id, line_no, period, "
		 "account_code, debit_fen, credit_fen) SELECT %d, %lld, n, date_trunc('month', "
		 "'%s'::date), a, d, c FROM (VALUES %s) AS t(n, a, d, c)",
		 v1, 1000000000 + id, date, 900000 + id, date, v1, 1000000000 + id, date,
		 lines_values);
	return sql;
}

static int
setup(void **state)
{
	(void)state;
	db = testdb_open("test_rules");
	assert_int_equal(cj_poster_new(&poster, db), 0);
	testdb_orgs(db, &v1, &v2);
	assert_int_equal(cj_account_add(db, v1, "102001", "农商行"), 0);
	assert_int_equal(cj_account_add(db, v2, "102009", "二村专户"), 0);
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
test_rules_chart_has_42_first_level_accounts(void **state)
{
	(void)state;
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.account WHERE village_id = "
					"(SELECT id FROM cunji.org WHERE code = '360925100301') AND parent_code IS NULL"),
			 42);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.chart_template "
					"WHERE length(code) = 3"),
			 42);
}

static void
test_rules_balanced_voucher_posts_with_number(void **state)
{
	cj_posted a, b;

	(void)state;
	assert_int_equal(testdb_post2(poster, v1, "2025-03-05", "102001", "501", 120000, &a), 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-03-06", "102001", "501", 100, &b), 0);
	assert_int_equal(a.period.year, 2025);
	assert_int_equal(a.period.month, 3);
	assert_int_equal(b.number, a.number + 1);
	/* numbering is per village and month */
	assert_int_equal(testdb_post2(poster, v2, "2025-03-05", "101", "501", 100, &b), 0);
	assert_int_equal(b.number, 1);
}

static void
test_rules_unbalanced_refused_in_c_and_db(void **state)
{
	cj_line lines[2] = {{.account = "102001", .debit = {1000}}, {.account = "501", .credit = {999}}};
	cj_voucher v = {.village_id = 0, .summary = "不平", .lines = lines, .nlines = 2};
	cj_posted out;

	(void)state;
	v.village_id = v1;
	assert_int_equal(cj_date_parse(&v.date, "2025-03-07"), 0);
	assert_int_equal(cj_post_batch(poster, &v, 1, &out), CJ_EUNBALANCED);
	assert_non_null(strstr(cj_db_errmsg(db), "do not equal"));
	assert_string_equal(testdb_refused(db, raw_voucher(1, "2025-03-07",
							   "(1, '102001', 1000, 0), (2, '501', 0, 999)"),
					   "unbalanced"),
			    "CJ002");
}

static void
test_rules_one_line_refused(void **state)
{
	(void)state;
	testdb_refused(db, raw_voucher(2, "2025-03-07", "(1, '102001', 0, 0)"), NULL);
	testdb_refused(db, raw_voucher(3, "2025-03-07", "(1, '102001', 5, 0)"), "at least two");
	/* a header with no lines at all */
	testdb_refused(db,
		       "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, "
		       "summary, content_hash) SELECT id, 4, '2025-03-01', 990, '2025-03-07', 'x', 'x' "
		       "FROM cunji.org WHERE code = '360925100301'",
		       "voucher_needs_lines");
}

/* Lines 1-2 in one statement and 3-4 in a second, in one transaction: each
 * statement balances on its own, but the second would append to a voucher
 * whose lines were already checked, so the database refuses it. */
static void
test_rules_split_lines_refused(void **state)
{
	char sql[8192];

	(void)state;
	snprintf(sql, sizeof sql,
		 "%s; INSERT INTO cunji.voucher_line (village_id, voucher_id, line_no, period, "
		 "account_code, debit_fen, credit_fen) VALUES (%d, 1000000013, 3, '2025-03-01', "
		 "'101', 7, 0), (%d, 1000000013, 4, '2025-03-01', '501', 0, 7)",
		 raw_voucher(13, "2025-03-07", "(1, '102001', 5, 0), (2, '501', 0, 5)"), v1, v1);
	assert_string_equal(testdb_refused(db, sql, "inserted together"), "CJ003");
	/* a voucher whose lines do not start at line 1 is refused too */
	testdb_refused(db, raw_voucher(14, "2025-03-07", "(2, '102001', 5, 0), (3, '501', 0, 5)"),
		       NULL);
}

static void
test_rules_line_with_both_sides_refused(void **state)
{
	cj_line lines[2] = {{.account = "102001", .debit = {100}, .credit = {100}},
			    {.account = "501", .credit = {0}}};
	char err[200];
	cj_voucher v = {.summary = "x", .lines = lines, .nlines = 2};

	(void)state;
	v.date.year = 2025, v.date.month = 3, v.date.day = 1;
	assert_int_equal(cj_voucher_check(&v, err, sizeof err), CJ_EINVAL);
	testdb_refused(db, raw_voucher(5, "2025-03-07", "(1, '102001', 5, 5), (2, '501', 0, 0)"),
		       "check constraint");
}

static void
test_rules_parent_account_refused(void **state)
{
	(void)state;
	/* 102 has a sub-account now, so it takes no postings */
	assert_int_equal(testdb_post2(poster, v1, "2025-03-08", "102", "501", 100, NULL), CJ_EINVAL);
	assert_non_null(strstr(cj_db_errmsg(db), "sub-accounts"));
	testdb_refused(db, raw_voucher(6, "2025-03-08", "(1, '102', 100, 0), (2, '501', 0, 100)"),
		       "has sub-accounts");
}

static void
test_rules_unknown_and_foreign_accounts_refused(void **state)
{
	(void)state;
	assert_int_equal(testdb_post2(poster, v1, "2025-03-08", "999999", "501", 100, NULL),
			 CJ_EINVAL);
	assert_non_null(strstr(cj_db_errmsg(db), "does not exist"));
	/* 102009 belongs to village 360925100302 only */
	assert_int_equal(testdb_post2(poster, v1, "2025-03-08", "102009", "501", 100, NULL),
			 CJ_EINVAL);
	testdb_refused(db, raw_voucher(7, "2025-03-08", "(1, '102009', 100, 0), (2, '501', 0, 100)"),
		       NULL);
}

static void
test_rules_inactive_account_refused(void **state)
{
	cj_poster *fresh;

	(void)state;
	assert_int_equal(cj_account_add(db, v1, "102002", "旧账户"), 0);
	testdb_ok(db, "UPDATE cunji.account SET active = false WHERE code = '102002'");
	assert_int_equal(cj_poster_new(&fresh, db), 0);
	assert_int_equal(testdb_post2(fresh, v1, "2025-03-08", "102002", "501", 100, NULL),
			 CJ_EINVAL);
	assert_non_null(strstr(cj_db_errmsg(db), "inactive"));
	cj_poster_free(fresh);
	testdb_refused(db, raw_voucher(8, "2025-03-08", "(1, '102002', 100, 0), (2, '501', 0, 100)"),
		       "inactive");
}

static void
test_rules_account_structure_enforced(void **state)
{
	(void)state;
	/* no parent, wrong length, between existing codes, first-level not in chart */
	assert_int_not_equal(cj_account_add(db, v1, "999001", "无上级"), 0);
	assert_int_not_equal(cj_account_add(db, v1, "1020011", "一位"), 0);
	testdb_refused(db, "INSERT INTO cunji.account (village_id, code, name, category, normal_side) "
			   "SELECT id, '10200', '夹层', 'asset', 'D' FROM cunji.org WHERE code = '360925100301'",
		       "between existing");
	testdb_refused(db, "INSERT INTO cunji.account (village_id, code, name, category, normal_side) "
			   "SELECT id, '999', '自造', 'asset', 'D' FROM cunji.org WHERE code = '360925100301'",
		       "not a first-level");
	/* an account with postings gets no sub-accounts */
	assert_int_equal(cj_account_add(db, v1, "501001", "发包收入"), CJ_EREFUSED);
	assert_non_null(strstr(cj_db_errmsg(db), "already has postings"));
	testdb_refused(db, "UPDATE cunji.account SET category = 'income' WHERE code = '102001'",
		       "only its name");
	testdb_refused(db, "DELETE FROM cunji.account WHERE code = '102002'", "cannot be deleted");
}

static void
test_rules_posted_vouchers_are_final(void **state)
{
	(void)state;
	testdb_refused(db, "UPDATE cunji.voucher_line SET debit_fen = debit_fen + 1 "
			   "WHERE debit_fen > 0",
		       "cannot be changed");
	testdb_refused(db, "UPDATE cunji.voucher SET summary = 'changed'", "cannot be changed");
	testdb_refused(db, "DELETE FROM cunji.voucher_line", "cannot be changed");
	testdb_refused(db, "DELETE FROM cunji.voucher", "cannot be changed");
	testdb_refused(db, "TRUNCATE cunji.voucher_line CASCADE", "cannot be truncated");
	testdb_refused(db, "TRUNCATE cunji.voucher CASCADE", "cannot be truncated");
	/* nor can a posted voucher gain lines later, even balanced ones */
	testdb_refused(db,
		       "INSERT INTO cunji.voucher_line (village_id, voucher_id, line_no, period, "
		       "account_code, debit_fen, credit_fen) SELECT v.village_id, v.id, n, v.period, a, "
		       "d, c FROM cunji.voucher v, (VALUES (10, '101', 5, 0), (11, '501', 0, 5)) "
		       "t(n, a, d, c) WHERE v.village_id = (SELECT id FROM cunji.org WHERE code = '360925100301') "
		       "LIMIT 2",
		       "never changed");
	/* and the kept totals cannot be edited by hand */
	testdb_refused(db, "UPDATE cunji.account_period_total SET debit_fen = 0", "kept by the ledger");
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.totals_mismatches()"), 0);
}

static void
test_rules_negative_amount_only_on_reversal(void **state)
{
	cj_line lines[2] = {{.account = "102001", .debit = {-100}}, {.account = "501", .credit = {-100}}};
	cj_voucher v = {.summary = "负数", .lines = lines, .nlines = 2};
	cj_posted out;

	(void)state;
	v.village_id = v1;
	assert_int_equal(cj_date_parse(&v.date, "2025-03-09"), 0);
	assert_int_equal(cj_post_batch(poster, &v, 1, &out), CJ_EINVAL);
	testdb_refused(db, raw_voucher(9, "2025-03-09", "(1, '102001', -5, 0), (2, '501', 0, -5)"),
		       "red");
}

static void
test_rules_external_id_retry_and_conflict(void **state)
{
	cj_line lines[2] = {{.account = "102001", .debit = {5000}}, {.account = "501", .credit = {5000}}};
	cj_voucher v = {.summary = "承包费", .external_id = "bank-2025-0001", .lines = lines,
			.nlines = 2};
	cj_posted a, b;
	long long before;

	(void)state;
	v.village_id = v1;
	assert_int_equal(cj_date_parse(&v.date, "2025-04-01"), 0);
	assert_int_equal(cj_post_batch(poster, &v, 1, &a), 0);
	assert_int_equal(a.existed, 0);
	before = testdb_int(db, "SELECT count(*) FROM cunji.voucher");
	/* the same again: a safe retry returns the same voucher */
	assert_int_equal(cj_post_batch(poster, &v, 1, &b), 0);
	assert_int_equal(b.existed, 1);
	assert_true(b.id == a.id);
	assert_int_equal(b.number, a.number);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher"), before);
	/* the same id with other content is refused */
	lines[0].debit.fen = lines[1].credit.fen = 5001;
	assert_int_equal(cj_post_batch(poster, &v, 1, &b), CJ_EEXISTS);
	assert_non_null(strstr(cj_db_errmsg(db), "different content"));
	/* and the database refuses a second row with that id outright */
	testdb_refused(db,
		       "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, "
		       "summary, content_hash, external_id) SELECT id, 77, '2025-04-01', 991, "
		       "'2025-04-01', 'x', 'x', 'bank-2025-0001' FROM cunji.org WHERE code = '360925100301'",
		       "duplicate key");
	/* a batch with one bad voucher posts nothing */
	{
		cj_voucher two[2] = {v, v};
		cj_posted out[2];
		two[0].external_id = "batch-ok";
		two[1].external_id = "batch-bad";
		lines[0].debit.fen = 7;
		lines[1].credit.fen = 7;
		two[1].date.month = 13;
		before = testdb_int(db, "SELECT count(*) FROM cunji.voucher");
		assert_int_not_equal(cj_post_batch(poster, two, 2, out), 0);
		assert_non_null(strstr(cj_db_errmsg(db), "voucher 2 of 2"));
		assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher"), before);
	}
}

static void
test_rules_void_posts_mirroring_red_reversal(void **state)
{
	cj_posted orig, rev;
	cj_voucher_info info;
	char sql[512];

	(void)state;
	assert_int_equal(testdb_post2(poster, v1, "2025-04-02", "101", "504", 3300, &orig), 0);
	assert_int_equal(cj_voucher_find_number(db, v1, orig.period, orig.number, &info), 0);
	assert_int_equal(cj_voucher_void(poster, &info, info.date, "tester", &rev), 0);
	snprintf(sql, sizeof sql,
		 "SELECT sum(debit_fen) FROM cunji.voucher_line WHERE voucher_id IN (%lld, %lld)",
		 (long long)orig.id, (long long)rev.id);
	assert_int_equal(testdb_int(db, sql), 0);
	snprintf(sql, sizeof sql, "SELECT debit_fen FROM cunji.voucher_line WHERE voucher_id = %lld "
				  "AND account_code = '101'",
		 (long long)rev.id);
	assert_int_equal(testdb_int(db, sql), -3300); /* red ink: same side, negated */
	/* voiding twice, or voiding the reversal, is refused */
	assert_int_equal(cj_voucher_find_number(db, v1, orig.period, orig.number, &info), 0);
	assert_int_equal(cj_voucher_void(poster, &info, info.date, "tester", &rev), CJ_EREFUSED);
	assert_int_equal(cj_voucher_find_number(db, v1, rev.period, rev.number, &info), 0);
	assert_int_equal(cj_voucher_void(poster, &info, info.date, "tester", &rev), CJ_EREFUSED);
	/* a hand-made "reversal" that does not mirror its original */
	assert_int_equal(testdb_post2(poster, v1, "2025-04-03", "101", "504", 500, &orig), 0);
	snprintf(sql, sizeof sql,
		 "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, kind, "
		 "summary, content_hash, reverses_id) VALUES (%d, 88, '2025-04-01', 992, "
		 "'2025-04-03', 'reversal', 'x', 'x', %lld); INSERT INTO cunji.voucher_line "
		 "(village_id, voucher_id, line_no, period, account_code, debit_fen, credit_fen) "
		 "VALUES (%d, 88, 1, '2025-04-01', '101', -1, 0), (%d, 88, 2, '2025-04-01', '504', 0, -1)",
		 v1, (long long)orig.id, v1, v1);
	testdb_refused(db, sql, "does not mirror");
}

static void
test_rules_closed_period_refused(void **state)
{
	int closed;
	cj_period jan = {2025, 1}, feb = {2025, 2};

	(void)state;
	/* months close in order */
	assert_int_equal(cj_period_close(db, v1, feb, "skip"), CJ_EREFUSED);
	assert_int_equal(cj_period_close(db, v1, jan, "month end"), 0);
	assert_int_equal(cj_period_close(db, v1, feb, "month end"), 0);
	assert_int_equal(cj_period_is_closed(db, v1, feb, &closed), 0);
	assert_true(closed);
	assert_int_equal(testdb_post2(poster, v1, "2025-02-10", "101", "501", 100, NULL), CJ_ECLOSED);
	testdb_refused(db, raw_voucher(10, "2025-02-10", "(1, '101', 100, 0), (2, '501', 0, 100)"),
		       "is closed");
	/* before the books start */
	assert_int_equal(testdb_post2(poster, v1, "2024-12-31", "101", "501", 100, NULL), CJ_ECLOSED);
	testdb_refused(db, raw_voucher(11, "2024-12-31", "(1, '101', 100, 0), (2, '501', 0, 100)"),
		       "before the books start");
	/* reopen needs a reason, goes latest first, and is recorded */
	assert_int_equal(cj_period_reopen(db, v1, jan, "fix"), CJ_EREFUSED);
	assert_int_equal(cj_period_reopen(db, v1, feb, "补记漏记凭证"), 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.period_event WHERE action = "
					"'reopen' AND reason = '补记漏记凭证'"),
			 1);
	assert_int_equal(testdb_post2(poster, v1, "2025-02-10", "101", "501", 100, NULL), 0);
	/* a close typed by hand is recorded as well, and the record is append-only */
	testdb_ok(db, "UPDATE cunji.period_state SET closed = true WHERE period = '2025-02-01'");
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.period_event WHERE period = "
					"'2025-02-01'"),
			 3);
	testdb_refused(db, "DELETE FROM cunji.period_event", "append-only");
	testdb_refused(db, "UPDATE cunji.period_event SET reason = ''", "append-only");
}

static void
test_rules_year_close(void **state)
{
	cj_year_close_result r;
	cj_period dec = {2025, 12};
	long long pl, net, undistributed;

	(void)state;
	/* some expenses too, so the close moves both ways */
	assert_int_equal(testdb_post2(poster, v1, "2025-06-30", "513", "102001", 20000, NULL), 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-07-01", "322002", "211", 1000, NULL), 0);
	net = testdb_int(db, "SELECT sum(t.credit_fen - t.debit_fen) FROM cunji.account_period_total t "
			     "JOIN cunji.account a USING (village_id) WHERE a.code = t.account_code "
			     "AND a.category IN ('income', 'expense') AND t.village_id = "
			     "(SELECT id FROM cunji.org WHERE code = '360925100301')");
	assert_int_equal(cj_year_close(poster, v1, 2025, "tester", &r), 0);
	assert_int_equal(r.nvouchers, 4);
	assert_true(r.net_income.fen == net);
	pl = testdb_int(db, "SELECT count(*) FROM (SELECT t.account_code FROM "
			    "cunji.account_period_total t JOIN cunji.account a USING (village_id) "
			    "WHERE a.code = t.account_code AND (a.category IN ('income', 'expense') OR "
			    "a.code IN ('321', '322002')) AND t.village_id = (SELECT id FROM cunji.org "
			    "WHERE code = '360925100301') GROUP BY t.account_code HAVING sum(t.debit_fen - "
			    "t.credit_fen) <> 0) s");
	assert_int_equal(pl, 0);
	undistributed = testdb_int(db, "SELECT sum(credit_fen - debit_fen) FROM "
				       "cunji.account_period_total WHERE account_code = '322001' AND "
				       "village_id = (SELECT id FROM cunji.org WHERE code = '360925100301')");
	assert_true(undistributed == net - 1000);
	/* the year is locked: no posting, no reopening, no second close */
	assert_int_equal(testdb_post2(poster, v1, "2025-12-31", "101", "501", 100, NULL), CJ_ECLOSED);
	testdb_refused(db, raw_voucher(12, "2025-11-30", "(1, '101', 100, 0), (2, '501', 0, 100)"),
		       "closed");
	assert_int_not_equal(cj_period_reopen(db, v1, dec, "try"), 0);
	assert_non_null(strstr(cj_db_errmsg(db), "closed"));
	testdb_refused(db, "UPDATE cunji.period_state SET closed = false WHERE period = '2025-12-01'",
		       "cannot be reopened");
	assert_int_equal(cj_year_close(poster, v1, 2025, "tester", &r), CJ_EREFUSED);
	/* the next year opens with the balances carried forward */
	assert_int_equal(testdb_post2(poster, v1, "2026-01-05", "101", "501", 100, NULL), 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.totals_mismatches()"), 0);
}

static void
test_rules_org_hierarchy(void **state)
{
	cj_period start = {2025, 1};

	(void)state;
	assert_int_not_equal(cj_org_add(db, CJ_ORG_VILLAGE, "360925100299", "错村", "360925", start), 0);
	testdb_refused(db, "INSERT INTO cunji.org (level, code, name, parent_id) SELECT 'village', "
			   "'360925100298', '错村', id FROM cunji.org WHERE code = '360925'",
		       "must belong to a township");
	testdb_refused(db, "INSERT INTO cunji.village_books (village_id, start_period) SELECT id, "
			   "'2025-01-01' FROM cunji.org WHERE code = '360925100'",
		       "not a village");
	testdb_refused(db, "DELETE FROM cunji.org WHERE code = '360925100302'", "cannot be deleted");
	assert_int_equal(cj_org_add(db, CJ_ORG_COUNTY, "360925", "重复", NULL, start), CJ_EEXISTS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_chart_has_42_first_level_accounts),
		cmocka_unit_test(test_rules_balanced_voucher_posts_with_number),
		cmocka_unit_test(test_rules_unbalanced_refused_in_c_and_db),
		cmocka_unit_test(test_rules_one_line_refused),
		cmocka_unit_test(test_rules_split_lines_refused),
		cmocka_unit_test(test_rules_line_with_both_sides_refused),
		cmocka_unit_test(test_rules_parent_account_refused),
		cmocka_unit_test(test_rules_unknown_and_foreign_accounts_refused),
		cmocka_unit_test(test_rules_inactive_account_refused),
		cmocka_unit_test(test_rules_account_structure_enforced),
		cmocka_unit_test(test_rules_posted_vouchers_are_final),
		cmocka_unit_test(test_rules_negative_amount_only_on_reversal),
		cmocka_unit_test(test_rules_external_id_retry_and_conflict),
		cmocka_unit_test(test_rules_void_posts_mirroring_red_reversal),
		cmocka_unit_test(test_rules_closed_period_refused),
		cmocka_unit_test(test_rules_year_close),
		cmocka_unit_test(test_rules_org_hierarchy),
	};

	return cmocka_run_group_tests_name("rules", tests, setup, teardown);
}
