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

/* Raw SQL that inserts voucher `id` in village 360925100301 dated `date`, numbered
 * from the counter as cunji numbers it, then lines. */
static char *
raw_voucher(long long id, const char *date, const char *lines_values)
{
	static char sql[4096];

	snprintf(sql, sizeof sql,
		 "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, summary, "
		 "content_hash) SELECT %d, %lld, date_trunc('month', '%s'::date), "
		 "public.reserve_numbers(%d, '%s', 1) + 1, '%s', 'raw', 'x'; "
		 "INSERT INTO cunji.voucher_line (village_id, voucher_id, line_no, period, "
		 "account_code, debit_fen, credit_fen) SELECT %d, %lld, n, date_trunc('month', "
		 "'%s'::date), a, d, c FROM (VALUES %s) AS t(n, a, d, c)",
		 v1, 1000000000 + id, date, v1, date, date, v1, 1000000000 + id, date, lines_values);
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
	testdb_fails(db, cj_post_batch(poster, &v, 1, &out), CJ_EUNBALANCED,
		     "debits 10.00 do not equal credits 9.99");
	testdb_refused_for(db, raw_voucher(1, "2025-03-07", "(1, '102001', 1000, 0), (2, '501', 0, 999)"),
			   "CJ002", "is unbalanced: debits 1000, credits 999 (fen)");
}

static void
test_rules_one_line_refused(void **state)
{
	(void)state;
	/* one line is too few (a one-line voucher cannot balance either: the
	 * count is checked first) */
	testdb_refused_for(db, raw_voucher(3, "2025-03-07", "(1, '102001', 5, 0)"), "CJ002",
			   "has 1 line(s); a voucher needs at least two");
	/* a header with no lines at all */
	testdb_refused_for(db,
			   "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, "
			   "summary, content_hash) SELECT id, 4, '2025-03-01', "
			   "public.reserve_numbers(id, '2025-03-01', 1) + 1, '2025-03-07', 'x', 'x' "
			   "FROM cunji.org WHERE code = '360925100301'",
			   "CJ002", "has no lines (voucher_needs_lines)");
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
	testdb_refused_for(db, sql, "CJ003", "its lines must be inserted together, with line 1");
	/* a voucher whose lines do not start at line 1 is refused too */
	testdb_refused_for(db, raw_voucher(14, "2025-03-07", "(2, '102001', 5, 0), (3, '501', 0, 5)"),
			   "CJ003", "its lines must be inserted together, with line 1");
}

/* A balanced voucher of three lines, the first with both sides (and the
 * second with neither): the line's CHECK refuses it. */
static void
test_rules_line_with_both_sides_refused(void **state)
{
	cj_line lines[3] = {{.account = "102001", .debit = {100}, .credit = {100}},
			    {.account = "501", .credit = {100}},
			    {.account = "101", .debit = {100}}};
	cj_voucher v = {.summary = "x", .lines = lines, .nlines = 3};
	cj_posted out;

	(void)state;
	v.village_id = v1;
	v.date = (cj_date){2025, 3, 7};
	testdb_fails(db, cj_post_batch(poster, &v, 1, &out), CJ_EINVAL,
		     "line 1 (account 102001) must have either a debit or a credit amount, not both");
	testdb_refused_for(db, raw_voucher(5, "2025-03-07",
					   "(1, '102001', 5, 5), (2, '501', 0, 5), (3, '101', 5, 0)"),
			   "23514", "voucher_line_check");
	lines[0].credit.fen = 0;
	lines[1].credit.fen = 0;
	lines[2].debit.fen = 0;
	lines[2].credit.fen = 100;
	testdb_fails(db, cj_post_batch(poster, &v, 1, &out), CJ_EINVAL,
		     "line 2 (account 501) must have either a debit or a credit amount; it has neither");
	testdb_refused_for(db, raw_voucher(2, "2025-03-07",
					   "(1, '102001', 5, 0), (2, '501', 0, 0), (3, '101', 0, 5)"),
			   "23514", "voucher_line_check");
}

static void
test_rules_parent_account_refused(void **state)
{
	(void)state;
	/* 102 has a sub-account now, so it takes no postings */
	testdb_fails(db, testdb_post2(poster, v1, "2025-03-08", "102", "501", 100, NULL), CJ_EINVAL,
		     "line 1: account 102 has sub-accounts; post to one of them");
	testdb_refused_for(db, raw_voucher(6, "2025-03-08", "(1, '102', 100, 0), (2, '501', 0, 100)"),
			   "CJ004", "line 1: account 102 银行存款 has sub-accounts; post to one of them");
}

static void
test_rules_unknown_and_foreign_accounts_refused(void **state)
{
	(void)state;
	testdb_fails(db, testdb_post2(poster, v1, "2025-03-08", "999999", "501", 100, NULL),
		     CJ_EINVAL, "line 1: account 999999 does not exist");
	/* 102009 belongs to village 360925100302 only */
	testdb_fails(db, testdb_post2(poster, v1, "2025-03-08", "102009", "501", 100, NULL),
		     CJ_EINVAL, "line 1: account 102009 does not exist");
	testdb_refused_for(db, raw_voucher(7, "2025-03-08", "(1, '102009', 100, 0), (2, '501', 0, 100)"),
			   "CJ004", "line 1: account 102009 does not exist");
}

static void
test_rules_inactive_account_refused(void **state)
{
	cj_poster *fresh;

	(void)state;
	assert_int_equal(cj_account_add(db, v1, "102002", "旧账户"), 0);
	testdb_ok(db, "UPDATE cunji.account SET active = false WHERE code = '102002'");
	assert_int_equal(cj_poster_new(&fresh, db), 0);
	testdb_fails(db, testdb_post2(fresh, v1, "2025-03-08", "102002", "501", 100, NULL),
		     CJ_EINVAL, "line 1: account 102002 is inactive");
	cj_poster_free(fresh);
	testdb_refused_for(db, raw_voucher(8, "2025-03-08", "(1, '102002', 100, 0), (2, '501', 0, 100)"),
			   "CJ004", "line 1: account 102002 旧账户 is inactive");
}

static void
test_rules_account_structure_enforced(void **state)
{
	(void)state;
	/* no parent, wrong length, between existing codes, first-level not in chart */
	testdb_fails(db, cj_account_add(db, v1, "999001", "无上级"), CJ_EREFUSED,
		     "account 999001: no parent account 999 exists");
	testdb_fails(db, cj_account_add(db, v1, "1020011", "一位"), CJ_EREFUSED,
		     "account 1020011 must extend its parent 102001 by 2 or 3 digits");
	testdb_refused_for(db, "INSERT INTO cunji.account (village_id, code, name, category, normal_side) "
			       "SELECT id, '10200', '夹层', 'asset', 'D' FROM cunji.org WHERE code = '360925100301'",
			   "CJ004", "account 10200 would sit between existing accounts");
	testdb_refused_for(db, "INSERT INTO cunji.account (village_id, code, name, category, normal_side) "
			       "SELECT id, '999', '自造', 'asset', 'D' FROM cunji.org WHERE code = '360925100301'",
			   "CJ004", "account 999 is not a first-level account of the chart");
	/* since 0052 the row trigger skips first-level codes: the refusals above
	 * and here are the statement trigger's, which names the first bad code by
	 * village and code whatever the statement's order */
	testdb_refused_for(db, "INSERT INTO cunji.account (village_id, code, name, category, normal_side) "
			       "SELECT id, c, '自造', 'asset', 'D' FROM cunji.org, "
			       "(VALUES ('102099'), ('998'), ('996')) x(c) WHERE code = '360925100301'",
			   "CJ004", "account 996 is not a first-level account of the chart");
	/* a first-level account has no parent */
	testdb_refused_for(db, "INSERT INTO cunji.account (village_id, code, name, category, normal_side, "
			       "parent_code) SELECT id, '997', '自造', 'asset', 'D', '102' FROM cunji.org "
			       "WHERE code = '360925100301'",
			   "23514", "account_first_level_no_parent");
	/* an account with postings gets no sub-accounts */
	testdb_fails(db, cj_account_add(db, v1, "501001", "发包收入"), CJ_EREFUSED,
		     "already has postings; it cannot get sub-account 501001");
	testdb_refused_for(db, "UPDATE cunji.account SET category = 'income' WHERE code = '102001'",
			   "CJ004", "account 102001: only its name and active flag may change");
	testdb_refused_for(db, "DELETE FROM cunji.account WHERE code = '102002'", "CJ004",
			   "account 102002 cannot be deleted; deactivate it instead");
	testdb_refused_for(db, "TRUNCATE cunji.account CASCADE", "CJ003",
			   "cannot be truncated: the books keep their history");
}

static void
test_rules_posted_vouchers_are_final(void **state)
{
	/* CJ003 of their own (these failed with 42703, a missing field, before 0010) */
	static const char final[] = "cannot be changed or deleted; void it with a red reversal";

	(void)state;
	testdb_refused_for(db, "UPDATE cunji.voucher_line SET debit_fen = debit_fen + 1 "
			       "WHERE debit_fen > 0",
			   "CJ003", final);
	testdb_refused_for(db, "UPDATE cunji.voucher SET summary = 'changed'", "CJ003", final);
	testdb_refused_for(db, "DELETE FROM cunji.voucher_line", "CJ003", final);
	testdb_refused_for(db, "DELETE FROM cunji.voucher", "CJ003", final);
	testdb_refused_for(db, "TRUNCATE cunji.voucher_line CASCADE", "CJ003",
			   "cannot be truncated: posted vouchers are final");
	testdb_refused_for(db, "TRUNCATE cunji.voucher CASCADE", "CJ003",
			   "cannot be truncated: posted vouchers are final");
	/* nor can a posted voucher gain lines later, even balanced ones */
	testdb_refused_for(db,
			   "INSERT INTO cunji.voucher_line (village_id, voucher_id, line_no, period, "
			   "account_code, debit_fen, credit_fen) SELECT v.village_id, v.id, n, v.period, "
			   "a, d, c FROM cunji.voucher v, (VALUES (10, '101', 5, 0), (11, '501', 0, 5)) "
			   "t(n, a, d, c) WHERE v.village_id = (SELECT id FROM cunji.org WHERE code = "
			   "'360925100301') LIMIT 2",
			   "CJ003", "a posted voucher is never changed");
	/* and the kept totals cannot be edited by hand */
	testdb_refused_for(db, "UPDATE cunji.account_period_total SET debit_fen = 0", "CJ003",
			   "account_period_total is kept by the ledger");
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
	testdb_fails(db, cj_post_batch(poster, &v, 1, &out), CJ_EINVAL,
		     "negative amounts belong only on a red reversal");
	testdb_refused_for(db, raw_voucher(9, "2025-03-09", "(1, '102001', -5, 0), (2, '501', 0, -5)"),
			   "CJ002", "line 1: negative (red) amounts belong only on reversals");
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
	testdb_fails(db, cj_post_batch(poster, &v, 1, &b), CJ_EEXISTS,
		     "external id bank-2025-0001 was already posted as voucher 2025-04-1 with "
		     "different content");
	/* and the database refuses a second row with that id outright */
	testdb_refused_for(db,
			   "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, "
			   "summary, content_hash, external_id) SELECT id, 77, '2025-04-01', "
			   "public.reserve_numbers(id, '2025-04-01', 1) + 1, '2025-04-01', 'x', 'x', "
			   "'bank-2025-0001' FROM cunji.org WHERE code = '360925100301'",
			   "23505", "voucher_external_id");
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
		testdb_fails(db, cj_post_batch(poster, two, 2, out), CJ_EINVAL, "voucher 2 of 2");
		assert_non_null(strstr(cj_db_errmsg(db), "the date is not a valid calendar date"));
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
	testdb_fails(db, cj_voucher_void(poster, &info, info.date, "tester", &rev), CJ_EREFUSED,
		     "already voided");
	assert_int_equal(cj_voucher_find_number(db, v1, rev.period, rev.number, &info), 0);
	testdb_fails(db, cj_voucher_void(poster, &info, info.date, "tester", &rev), CJ_EREFUSED,
		     "cannot be voided");
	/* a hand-made "reversal" that does not mirror its original */
	assert_int_equal(testdb_post2(poster, v1, "2025-04-03", "101", "504", 500, &orig), 0);
	snprintf(sql, sizeof sql,
		 "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, kind, "
		 "summary, content_hash, reverses_id) SELECT %d, 88, '2025-04-01', "
		 "public.reserve_numbers(%d, '2025-04-01', 1) + 1, '2025-04-03', 'reversal', 'x', 'x', "
		 "%lld; INSERT INTO cunji.voucher_line "
		 "(village_id, voucher_id, line_no, period, account_code, debit_fen, credit_fen) "
		 "VALUES (%d, 88, 1, '2025-04-01', '101', -1, 0), (%d, 88, 2, '2025-04-01', '504', 0, -1)",
		 v1, v1, (long long)orig.id, v1, v1);
	testdb_refused_for(db, sql, "CJ003", "does not mirror the voucher it voids");
}

static void
test_rules_closed_period_refused(void **state)
{
	int closed;
	cj_period jan = {2025, 1}, feb = {2025, 2};

	(void)state;
	/* months close in order */
	testdb_fails(db, cj_period_close(db, v1, feb, "skip"), CJ_EREFUSED,
		     "earlier month (2025-01) is open");
	assert_int_equal(cj_period_close(db, v1, jan, "month end"), 0);
	assert_int_equal(cj_period_close(db, v1, feb, "month end"), 0);
	assert_int_equal(cj_period_is_closed(db, v1, feb, &closed), 0);
	assert_true(closed);
	testdb_fails(db, testdb_post2(poster, v1, "2025-02-10", "101", "501", 100, NULL), CJ_ECLOSED,
		     "period 2025-02 of village 360925100301 is closed");
	testdb_refused_for(db, raw_voucher(10, "2025-02-10", "(1, '101', 100, 0), (2, '501', 0, 100)"),
			   "CJ001", "period 2025-02 is closed; voucher dated 2025-02-10 refused");
	/* before the books start */
	testdb_fails(db, testdb_post2(poster, v1, "2024-12-31", "101", "501", 100, NULL), CJ_ECLOSED,
		     "before the books");
	testdb_refused_for(db, raw_voucher(11, "2024-12-31", "(1, '101', 100, 0), (2, '501', 0, 100)"),
			   "CJ001", "voucher dated 2024-12-31 is before the books start");
	/* reopen needs a reason, goes latest first, and is recorded */
	testdb_fails(db, cj_period_reopen(db, v1, jan, "fix"), CJ_EREFUSED,
		     "later month (2025-02) is closed");
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
	testdb_refused_for(db, "DELETE FROM cunji.period_event", "CJ003",
			   "period_event is append-only");
	testdb_refused_for(db, "UPDATE cunji.period_event SET reason = ''", "CJ003",
			   "period_event is append-only");
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
	testdb_fails(db, testdb_post2(poster, v1, "2025-12-31", "101", "501", 100, NULL), CJ_ECLOSED,
		     "period 2025-12 of village 360925100301 is closed");
	testdb_refused_for(db, raw_voucher(12, "2025-11-30", "(1, '101', 100, 0), (2, '501', 0, 100)"),
			   "CJ001", "period 2025-11 is closed; voucher dated 2025-11-30 refused");
	testdb_fails(db, cj_period_reopen(db, v1, dec, "try"), CJ_ECLOSED,
		     "year 2025 is closed; period 2025-12 cannot be reopened");
	testdb_refused_for(db, "SET LOCAL cunji.reason = 'try'; UPDATE cunji.period_state SET "
			       "closed = false WHERE period = '2025-12-01'",
			   "CJ001", "year 2025 is closed; period 2025-12 cannot be reopened");
	testdb_fails(db, cj_year_close(poster, v1, 2025, "tester", &r), CJ_EREFUSED, "already closed");
	/* the next year opens with the balances carried forward */
	assert_int_equal(testdb_post2(poster, v1, "2026-01-05", "101", "501", 100, NULL), 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.totals_mismatches()"), 0);
}

static void
test_rules_org_hierarchy(void **state)
{
	cj_period start = {2025, 1};

	(void)state;
	testdb_fails(db, cj_org_add(db, CJ_ORG_VILLAGE, "360925100299", "错村", "360925", start),
		     CJ_EINVAL, "360925 测试县 is a county; a village belongs to a township");
	testdb_refused_for(db, "INSERT INTO cunji.org (level, code, name, parent_id) SELECT 'village', "
			       "'360925100298', '错村', id FROM cunji.org WHERE code = '360925'",
			   "CJ010", "a village must belong to a township, not a county");
	testdb_refused_for(db, "INSERT INTO cunji.village_books (village_id, start_period) SELECT id, "
			       "'2025-01-01' FROM cunji.org WHERE code = '360925100'",
			   "CJ010", "organisation 360925100 is not a village; only villages keep books");
	testdb_refused_for(db, "DELETE FROM cunji.org WHERE code = '360925100302'", "CJ010",
			   "organisation 360925100302 cannot be deleted");
	testdb_fails(db, cj_org_add(db, CJ_ORG_COUNTY, "360925", "重复", NULL, start), CJ_EEXISTS,
		     "already exists");
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
