/*
 * test_guards.c - what 0010 refuses, through the library (the C check) and
 * through raw SQL (the database's own check, by SQLSTATE): opening vouchers
 * outside the books' first month, closing vouchers outside the year-end
 * close, lines beyond 10^13 fen, voucher numbers and months edited by hand,
 * cash and bank left in credit, dividends not covered by the collective's
 * own cash or paid by bank to a household without a bank account; and
 * cj_books_check finding gaps and jams in voucher numbers.
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
#include <unistd.h>

#include <cmocka.h>

#include <importers/import.h>

#include "testdb.h"

static cj_db *db;
static cj_poster *poster;
static int v1, v2;

static int
setup(void **state)
{
	(void)state;
	db = testdb_open("test_guards");
	assert_int_equal(cj_poster_new(&poster, db), 0);
	testdb_orgs(db, &v1, &v2);
	assert_int_equal(cj_account_add(db, v1, "102001", "农商行"), 0);
	assert_int_equal(cj_account_add(db, v2, "102001", "农商行"), 0);
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

/* A voucher typed by hand in village vil: kind, date, lines "(n, acct, d, c), ...",
 * its number from the counter, and a reason to leave cash in credit (or NULL). */
static const char *
raw_why(int vil, long long id, const char *kind, const char *date, const char *lines,
	const char *reason)
{
	static char sql[4096];

	snprintf(sql, sizeof sql,
		 "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, kind, "
		 "summary, content_hash, negative_cash_reason) SELECT %d, %lld, date_trunc('month', "
		 "'%s'::date), public.reserve_numbers(%d, '%s', 1) + 1, '%s', '%s', 'raw', 'x', %s%s%s; "
		 "INSERT INTO cunji.voucher_line (village_id, voucher_id, line_no, period, "
		 "account_code, debit_fen, credit_fen) SELECT %d, %lld, n, date_trunc('month', "
		 "'%s'::date), a, d, c FROM (VALUES %s) AS t(n, a, d, c)",
		 vil, id, date, vil, date, date, kind, reason ? "'" : "", reason ? reason : "NULL",
		 reason ? "'" : "", vil, id, date, lines);
	return sql;
}

static const char *
raw(int vil, long long id, const char *kind, const char *date, const char *lines)
{
	return raw_why(vil, id, kind, date, lines, NULL);
}

static int
post(int vil, const char *date, const char *dr, const char *cr, long long fen,
     cj_voucher_kind kind, const char *reason)
{
	cj_line lines[2];
	cj_voucher v;
	cj_posted out;

	memset(lines, 0, sizeof lines);
	memset(&v, 0, sizeof v);
	lines[0].account = dr;
	lines[0].debit = cj_money_from_fen(fen);
	lines[1].account = cr;
	lines[1].credit = cj_money_from_fen(fen);
	v.village_id = vil;
	assert_int_equal(cj_date_parse(&v.date, date), 0);
	v.summary = "测试";
	v.kind = kind;
	v.negative_cash_reason = reason;
	v.lines = lines;
	v.nlines = 2;
	return cj_post_batch(poster, &v, 1, &out);
}

static long long
balance(int vil, const char *account)
{
	char sql[256];

	snprintf(sql, sizeof sql,
		 "SELECT coalesce(sum(debit_fen - credit_fen), 0) FROM cunji.account_period_total "
		 "WHERE village_id = %d AND account_code = '%s'",
		 vil, account);
	return testdb_int(db, sql);
}

/* Opening balances go in the books' first month only (the books of V1 and
 * V2 start in 2025-01); mid-year an "opening" voucher would hide money from
 * the period's movements. */
static void
test_guards_opening_only_in_first_month(void **state)
{
	(void)state;
	assert_int_equal(post(v1, "2025-01-01", "102001", "311", 5000000, CJ_VOUCHER_OPENING, NULL),
			 0);
	assert_int_equal(post(v1, "2025-05-20", "101", "311", 100, CJ_VOUCHER_OPENING, NULL),
			 CJ_EREFUSED);
	assert_non_null(strstr(cj_db_errmsg(db), "belongs in the books' first month, 2025-01"));
	assert_non_null(strstr(testdb_refused(db,
					      raw(v1, 101, "opening", "2025-05-20",
						  "(1, '101', 100, 0), (2, '311', 0, 100)"),
					      "CJ005"),
			       "not in 2025-05"));
	testdb_ok(db, "BEGIN");
	testdb_ok(db, raw(v1, 102, "opening", "2025-01-02", "(1, '101', 100, 0), (2, '311', 0, 100)"));
	testdb_ok(db, "COMMIT");
}

/* Closing vouchers come only from cj_year_close: dated 31 December, on
 * profit-and-loss, 本年收益 and 收益分配 only, with the year recorded as
 * closed in the same transaction, which needs the P&L at zero. */
static void
test_guards_closing_only_from_year_close(void **state)
{
	(void)state;
	assert_int_equal(post(v2, "2025-03-01", "101", "501", 90000, CJ_VOUCHER_NORMAL, NULL), 0);
	/* in C and in the database: not in May */
	assert_int_equal(post(v2, "2025-05-31", "501", "321", 90000, CJ_VOUCHER_CLOSING, NULL),
			 CJ_EREFUSED);
	assert_non_null(strstr(cj_db_errmsg(db), "dated 31 December"));
	testdb_refused_for(db, raw(v2, 201, "closing", "2025-05-31",
				   "(1, '501', 90000, 0), (2, '321', 0, 90000)"),
			   "CJ006", "a closing voucher dated 2025-05-31; closing vouchers are dated 31 December");
	/* on 31 December too, unless the year is closed in the same transaction */
	assert_int_equal(post(v2, "2025-12-31", "501", "321", 90000, CJ_VOUCHER_CLOSING, NULL),
			 CJ_EREFUSED);
	assert_string_equal(cj_db_sqlstate(db), "CJ006");
	assert_non_null(strstr(testdb_refused(db,
					      raw(v2, 202, "closing", "2025-12-31",
						  "(1, '501', 90000, 0), (2, '321', 0, 90000)"),
					      "CJ006"),
			       "only from the year-end close"));
	/* nor does marking the year closed by hand make it one: 321 still holds the income */
	{
		char sql[8192];
		snprintf(sql, sizeof sql,
			 "%s; INSERT INTO cunji.fiscal_year (village_id, year) VALUES (%d, 2025)",
			 raw(v2, 203, "closing", "2025-12-31", "(1, '501', 90000, 0), (2, '321', 0, 90000)"),
			 v2);
		assert_non_null(strstr(testdb_refused(db, sql, "CJ006"), "account 321 本年收益"));
		/* and a "closing" voucher that takes cash away is no close at all */
		snprintf(sql, sizeof sql,
			 "%s; INSERT INTO cunji.fiscal_year (village_id, year) VALUES (%d, 2025)",
			 raw(v2, 204, "closing", "2025-12-31",
			     "(1, '501', 90000, 0), (2, '101', 0, 90000)"),
			 v2);
		assert_non_null(strstr(testdb_refused(db, sql, "CJ006"), "account 101"));
	}
	/* a year marked closed with its P&L left open */
	{
		char sql[256];
		snprintf(sql, sizeof sql, "INSERT INTO cunji.fiscal_year (village_id, year) VALUES (%d, 2025)",
			 v2);
		assert_non_null(strstr(testdb_refused(db, sql, "CJ006"), "account 501 经营收入"));
	}
}

/* The refusals' amounts: every bigint prints (0017), the extremes too. */
static void
test_guards_fen_text(void **state)
{
	static const struct {
		const char *fen, *text;
	} cases[] = {
		{"0", "0.00"},
		{"5", "0.05"},
		{"-120", "-1.20"},
		{"10000000000000", "100,000,000,000.00"},
		{"100000000000000000", "1,000,000,000,000,000.00"},
		{"9223372036854775807", "92,233,720,368,547,758.07"},
		{"-9223372036854775808", "-92,233,720,368,547,758.08"},
	};
	char sql[200];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(sql, sizeof sql, "SELECT (cunji.fen_text(%s) = '%s')::int", cases[i].fen,
			 cases[i].text);
		if (testdb_int(db, sql) != 1)
			fail_msg("fen_text(%s) is not %s", cases[i].fen, cases[i].text);
	}
}

/* A line carries at most 10^13 fen (千亿元): the 92,233,720,368,547,758.07 of
 * the report is refused in C and by the database, 10^13 itself is taken and
 * the trial balance stays right. */
static void
test_guards_line_amount_limit(void **state)
{
	cj_tb *tb;
	char err[300];
	cj_line lines[2] = {{.account = "102001", .debit = {INT64_MAX}},
			    {.account = "501", .credit = {INT64_MAX}}};
	cj_voucher v = {.summary = "大额", .date = {2025, 6, 1}, .lines = lines, .nlines = 2};

	(void)state;
	v.village_id = v1;
	assert_int_equal(cj_voucher_check(&v, err, sizeof err), CJ_EOVERFLOW);
	assert_non_null(strstr(err, "more than a line may carry (100,000,000,000.00 yuan)"));
	lines[0].debit.fen = lines[1].credit.fen = CJ_MONEY_LINE_MAX + 1;
	assert_int_equal(cj_voucher_check(&v, err, sizeof err), CJ_EOVERFLOW);
	assert_string_equal(err, "line 1 (account 102001): 100,000,000,000.01 yuan is more than a line "
				 "may carry (100,000,000,000.00 yuan)");
	testdb_refused_for(db,
			   raw(v1, 301, "normal", "2025-06-01",
			       "(1, '102001', 9223372036854775807, 0), (2, '501', 0, 9223372036854775807)"),
			   "CJ007", "voucher id 301 line 1: 92,233,720,368,547,758.07 yuan"); /* 0017 */
	testdb_refused_for(db,
			   raw(v1, 301, "normal", "2025-06-01",
			       "(1, '102001', 9223372036854775807, 0), (2, '501', 0, 9223372036854775807)"),
			   "CJ007", "yuan is more than a line may carry (100,000,000,000.00 yuan)");
	testdb_refused_for(db,
			   raw(v1, 302, "normal", "2025-06-01",
			       "(1, '102001', 10000000000001, 0), (2, '501', 0, 10000000000001)"),
			   "CJ007", "line 1: 100,000,000,000.01 yuan is more than a line may carry");
	assert_int_equal(post(v1, "2025-06-01", "102001", "501", CJ_MONEY_LINE_MAX, CJ_VOUCHER_NORMAL,
			      NULL),
			 0);
	assert_int_equal(cj_tb_build(db, "360925100301", (cj_period){2025, 1}, (cj_period){2025, 12}, &tb), 0);
	assert_true(tb->debit == tb->credit && tb->debit >= CJ_MONEY_LINE_MAX);
	assert_true(tb->closing_debit == tb->closing_credit && tb->closing_debit > 0);
	cj_tb_free(tb);
}

/* The months' state and the voucher numbers are kept like the vouchers:
 * no TRUNCATE, no DELETE, no counter moved back or ahead of its vouchers,
 * no number that was not reserved or that leaves a gap. */
static void
test_guards_kept_state(void **state)
{
	char sql[1024];

	(void)state;
	assert_int_equal(post(v2, "2025-02-03", "101", "501", 100, CJ_VOUCHER_NORMAL, NULL), 0);
	assert_int_equal(post(v2, "2025-02-04", "101", "501", 100, CJ_VOUCHER_NORMAL, NULL), 0);
	assert_int_equal(cj_period_close(db, v2, (cj_period){2025, 1}, "month end"), 0);
	testdb_refused_for(db, "TRUNCATE cunji.period_state", "CJ001",
			   "period_state cannot be truncated");
	testdb_refused_for(db, "TRUNCATE cunji.period_state CASCADE", "CJ001",
			   "period_state cannot be truncated");
	testdb_refused_for(db, "DELETE FROM cunji.period_state", "CJ001",
			   "period states cannot be deleted; reopen the period instead");
	/* reopening needs a reason, and months close in order */
	snprintf(sql, sizeof sql,
		 "UPDATE cunji.period_state SET closed = false WHERE village_id = %d AND period = "
		 "'2025-01-01'",
		 v2);
	assert_non_null(strstr(testdb_refused(db, sql, "CJ001"), "needs a reason"));
	snprintf(sql, sizeof sql,
		 "INSERT INTO cunji.period_state (village_id, period, closed) VALUES (%d, '2025-03-01', "
		 "true)",
		 v2);
	assert_non_null(strstr(testdb_refused(db, sql, "CJ001"), "while 2025-02 is open"));
	/* the counter: never deleted, truncated, moved back, or left ahead */
	snprintf(sql, sizeof sql, "DELETE FROM cunji.voucher_counter WHERE village_id = %d", v2);
	testdb_refused_for(db, sql, "CJ008", "voucher_counter rows cannot be deleted");
	testdb_refused_for(db, "TRUNCATE cunji.voucher_counter", "CJ008",
			   "voucher_counter rows cannot be deleted");
	snprintf(sql, sizeof sql,
		 "UPDATE cunji.voucher_counter SET last_number = last_number - 1 WHERE village_id = %d "
		 "AND period = '2025-02-01'",
		 v2);
	testdb_refused_for(db, sql, "CJ008", "voucher_counter for 2025-02 only goes up (from 2, not to 1)");
	snprintf(sql, sizeof sql,
		 "UPDATE cunji.voucher_counter SET last_number = last_number + 5 WHERE village_id = %d "
		 "AND period = '2025-02-01'",
		 v2);
	assert_non_null(strstr(testdb_refused(db, sql, "CJ008"), "for 2025-02 is at 7 but the last "
								 "voucher is number 2"));
	/* a number not reserved, a number that skips one */
	snprintf(sql, sizeof sql,
		 "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, summary, "
		 "content_hash) VALUES (%d, 401, '2025-02-01', 3, '2025-02-05', 'x', 'x')",
		 v2);
	assert_non_null(strstr(testdb_refused(db, sql, "CJ008"), "was not reserved"));
	snprintf(sql, sizeof sql,
		 "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, summary, "
		 "content_hash) SELECT %d, 402, '2025-02-01', public.reserve_numbers(%d, '2025-02-01', "
		 "2) + 2, '2025-02-05', 'x', 'x'",
		 v2, v2);
	assert_non_null(strstr(testdb_refused(db, sql, "CJ008"), "without a gap; after number 2"));
	/* the commit-time checks are the ledger's own */
	testdb_refused_for(db, "DELETE FROM cunji.commit_check_item", "CJ003",
			   "commit_check_item is kept by the ledger");
	/* postings go on as before */
	assert_int_equal(post(v2, "2025-02-05", "101", "501", 100, CJ_VOUCHER_NORMAL, NULL), 0);
	snprintf(sql, sizeof sql,
		 "SELECT last_number FROM cunji.voucher_counter WHERE village_id = %d AND period = "
		 "'2025-02-01'",
		 v2);
	assert_int_equal(testdb_int(db, sql), 3);
}

/* What a superuser with the triggers switched off can still do, cunji check
 * finds: a number missing, a counter behind (the month jammed), ahead (a gap). */
static void
test_guards_check_finds_gaps_and_jams(void **state)
{
	cj_books_check_result r;
	char sql[1024];
	int gap = 0, jam = 0, ahead = 0;

	(void)state;
	assert_int_equal(cj_books_check(db, &r), 0);
	assert_int_equal((int)r.nproblems, 0);
	assert_true(r.vouchers > 0);
	cj_books_check_free(&r);
	for (int d = 10; d < 14; d++) {
		char date[16];
		snprintf(date, sizeof date, "2025-08-%02d", d);
		assert_int_equal(post(v2, date, "101", "501", 100, CJ_VOUCHER_NORMAL, NULL), 0);
	}
	snprintf(sql, sizeof sql,
		 "SET session_replication_role = replica; "
		 "DELETE FROM cunji.voucher_line WHERE village_id = %d AND voucher_id = (SELECT id FROM "
		 "cunji.voucher WHERE village_id = %d AND period = '2025-08-01' AND number = 2); "
		 "DELETE FROM cunji.voucher WHERE village_id = %d AND period = '2025-08-01' AND number = 2; "
		 "UPDATE cunji.voucher_counter SET last_number = 1 WHERE village_id = %d AND period = "
		 "'2025-08-01'; "
		 "UPDATE cunji.voucher_counter SET last_number = 7 WHERE village_id = %d AND period = "
		 "'2025-02-01'; "
		 "SET session_replication_role = origin",
		 v2, v2, v2, v2, v2);
	testdb_ok(testdb_super(db), sql); /* only a superuser switches the triggers off */
	assert_int_equal(cj_books_check(db, &r), 0);
	for (size_t i = 0; i < r.nproblems; i++) {
		gap += strstr(r.problems[i], "village 360925100302 2025-08: voucher numbers missing: 2") != NULL;
		jam += strstr(r.problems[i], "voucher_counter is at 1 but the highest number is 4: the "
					     "month is jammed") != NULL;
		ahead += strstr(r.problems[i], "village 360925100302 2025-02: voucher_counter is at 7 but the "
					       "highest number is 3: numbers 4 to 7 were handed out and "
					       "never used") != NULL;
	}
	assert_int_equal(gap, 1);
	assert_int_equal(jam, 1);
	assert_int_equal(ahead, 1);
	cj_books_check_free(&r);
	/* the totals were corrupted by the delete as well; put it all back */
	snprintf(sql, sizeof sql,
		 "SET session_replication_role = replica; "
		 "UPDATE cunji.voucher_counter SET last_number = 3 WHERE village_id = %d AND period = "
		 "'2025-02-01'; "
		 "SET session_replication_role = origin",
		 v2);
	testdb_ok(testdb_super(db), sql);
}

/* Cash and bank never end a month in credit: the C path, raw SQL, a
 * back-dated payment, the month's order not mattering, the recorded override,
 * and the bulk import. */
static void
test_guards_negative_cash(void **state)
{
	char sql[8192];
	long long cash;
	cj_import_result ir;

	(void)state;
	/* V1: 101.00 of cash from September (1.00 since the opening) */
	assert_int_equal(post(v1, "2025-09-01", "101", "501", 10000, CJ_VOUCHER_NORMAL, NULL), 0);
	cash = balance(v1, "101");
	assert_int_equal(cash, 10100);
	assert_int_equal(post(v1, "2025-09-02", "513", "101", cash + 1, CJ_VOUCHER_NORMAL, NULL),
			 CJ_EREFUSED);
	assert_string_equal(cj_db_sqlstate(db), "CJ009");
	assert_non_null(strstr(cj_db_errmsg(db), "account 101 库存现金 would be 0.01 yuan in credit at "
						 "the end of 2025-09"));
	assert_true(balance(v1, "101") == cash);
	testdb_refused_for(db, raw(v1, 501, "normal", "2025-09-03",
				   "(1, '513', 10101, 0), (2, '101', 0, 10101)"),
			   "CJ009", "account 101 库存现金 would be 0.01 yuan in credit at the end of 2025-09");
	/* a payment dated back into August, before the cash came in */
	assert_int_equal(post(v1, "2025-08-20", "513", "101", 5000, CJ_VOUCHER_NORMAL, NULL),
			 CJ_EREFUSED);
	assert_non_null(strstr(cj_db_errmsg(db), "at the end of 2025-08"));
	/* within a month the order does not matter: paid on the 5th, received on the 20th */
	{
		cj_line l[4] = {{.account = "513", .debit = {30000}}, {.account = "101", .credit = {30000}},
				{.account = "101", .debit = {30000}}, {.account = "504", .credit = {30000}}};
		cj_voucher v[2] = {{.summary = "先付", .date = {2025, 10, 5}, .lines = l, .nlines = 2},
				   {.summary = "后收", .date = {2025, 10, 20}, .lines = l + 2, .nlines = 2}};
		cj_posted out[2];
		v[0].village_id = v[1].village_id = v1;
		assert_int_equal(cj_post_batch(poster, v, 2, out), 0);
	}
	/* voiding a receipt takes the money out again: the same rule */
	{
		cj_voucher_info info;
		cj_posted rev;
		assert_int_equal(cj_voucher_find_number(db, v1, (cj_period){2025, 9}, 1, &info), 0);
		assert_int_equal(cj_voucher_void(poster, &info, (cj_date){2025, 9, 30}, "t", &rev), 0);
		assert_int_equal(post(v1, "2025-09-01", "101", "501", 10000, CJ_VOUCHER_NORMAL, NULL), 0);
		assert_int_equal(post(v1, "2025-09-02", "513", "101", 10000, CJ_VOUCHER_NORMAL, NULL), 0);
		assert_int_equal(cj_voucher_find_number(db, v1, (cj_period){2025, 9}, 3, &info), 0);
		assert_int_equal(cj_voucher_void(poster, &info, (cj_date){2025, 9, 30}, "t", &rev),
				 CJ_EREFUSED);
		assert_string_equal(cj_db_sqlstate(db), "CJ009");
		assert_int_equal(post(v1, "2025-09-03", "101", "501", 10000, CJ_VOUCHER_NORMAL, NULL), 0);
		cash = balance(v1, "101");
	}
	/* the override: recorded on the voucher; the database wants the reason */
	testdb_fails(db, post(v1, "2025-11-03", "513", "101", cash + 20000, CJ_VOUCHER_NORMAL, "   "),
		     CJ_EINVAL, "the reason for leaving cash or bank in credit cannot be empty");
	assert_int_equal(post(v1, "2025-11-03", "513", "101", cash + 20000, CJ_VOUCHER_NORMAL,
			      "出纳垫付后补记, 见情况说明"),
			 0);
	assert_true(balance(v1, "101") == -20000);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher WHERE negative_cash_reason "
					"= '出纳垫付后补记, 见情况说明'"),
			 1);
	/* while it is in credit, every further payment out needs its reason */
	testdb_fails(db, post(v1, "2025-11-04", "513", "101", 1, CJ_VOUCHER_NORMAL, NULL), CJ_EREFUSED,
		     "account 101 库存现金 would be 200.01 yuan in credit at the end of 2025-11");
	testdb_refused_for(db, raw(v1, 503, "normal", "2025-11-06", "(1, '513', 1, 0), (2, '101', 0, 1)"),
			   "CJ009", "account 101 库存现金 would be 200.01 yuan in credit at the end of 2025-11");
	snprintf(sql, sizeof sql,
		 "%s; UPDATE cunji.voucher SET negative_cash_reason = 'x' WHERE id = 504",
		 raw(v1, 504, "normal", "2025-11-06", "(1, '513', 1, 0), (2, '101', 0, 1)"));
	/* no reason added afterwards */
	testdb_refused_for(db, sql, "CJ003", "posted voucher id 504 cannot be changed or deleted");
	/* by hand, with the reason on the voucher */
	testdb_ok(db, "BEGIN");
	testdb_ok(db, raw_why(v1, 505, "normal", "2025-11-06", "(1, '513', 1, 0), (2, '101', 0, 1)",
			      "补记"));
	testdb_ok(db, "COMMIT");
	/* money coming in is never refused, even while in credit */
	assert_int_equal(post(v1, "2025-11-05", "101", "501", 20001, CJ_VOUCHER_NORMAL, NULL), 0);
	assert_true(balance(v1, "101") == 0);
	/* over two statements of one transaction: in credit after the first, put
	 * right by the second before COMMIT (the line trigger hands the account
	 * to the commit-time check, which finds it in order) ... */
	snprintf(sql, sizeof sql, "%s; ",
		 raw(v1, 520, "normal", "2025-12-10", "(1, '513', 100, 0), (2, '101', 0, 100)"));
	strcat(sql, raw(v1, 521, "normal", "2025-12-11", "(1, '101', 200, 0), (2, '501', 0, 200)"));
	testdb_ok(db, "BEGIN");
	testdb_ok(db, sql);
	testdb_ok(db, "COMMIT");
	assert_true(balance(v1, "101") == 100);
	/* ... and a first statement left in the black, a second taking the
	 * account into credit with its reason: the first's payment has none */
	snprintf(sql, sizeof sql, "%s; ",
		 raw(v1, 522, "normal", "2025-12-12", "(1, '513', 60, 0), (2, '101', 0, 60)"));
	strcat(sql, raw_why(v1, 523, "normal", "2025-12-13", "(1, '513', 90, 0), (2, '101', 0, 90)",
			    "补记"));
	assert_non_null(strstr(testdb_refused(db, sql, "CJ009"), "voucher 2025-12-3 dated 2025-12-12"));
	assert_true(balance(v1, "101") == 100);
	/* a bank statement or a county file goes through the same rule */
	{
		static const char text[] = "村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n"
					   "360925100302,2025-12-03,1,付工程款,513,\"1,000.00\",\n"
					   "360925100302,2025-12-03,1,付工程款,102001,,\"1,000.00\"\n";
		char path[] = "/tmp/cunji-test-guards-XXXXXX";
		int fd = mkstemp(path);
		long long before = testdb_int(db, "SELECT count(*) FROM cunji.voucher");
		assert_true(fd >= 0);
		assert_int_equal(write(fd, text, sizeof text - 1), (int)(sizeof text - 1));
		close(fd);
		/* the direct path (COPY in chunks) and the staging path */
		for (int staged = 0; staged < 2; staged++) {
			cj_import_opts o = {.staged = staged};
			testdb_fails(db, cj_import_vouchers(db, path, &o, &ir), CJ_EREFUSED,
				     "would be 1,000.00 yuan in credit");
			assert_int_equal(ir.staged, staged);
			/* the importer words the database's CJ009 into its own message */
			assert_non_null(strstr(cj_db_errmsg(db), "account 102001 农商行 would be 1,000.00 "
								 "yuan in credit at the end of 2025-12"));
			cj_import_result_dispose(&ir);
			assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher"), before);
		}
		unlink(path);
	}
	assert_int_equal(testdb_int(testdb_super(db), "SELECT count(*) FROM cunji.commit_check"), 0);
	assert_int_equal(testdb_int(testdb_super(db), "SELECT count(*) FROM cunji.commit_check_item"), 0);
}

/* Dividends only from the collective's own cash (严禁举债分配): the income
 * sits in 应收款 and a loan fills the bank; refused in C and by the
 * database.  A payment by bank needs the household's bank account. */
static void
test_guards_dividends(void **state)
{
	cj_period start = {2025, 1};
	cj_org o;
	int v3;
	cj_dividend_plan plan;
	cj_household h = {.code = "H01", .head_name = "张建国", .head_id_number = "11010519491231002X"};
	cj_share_spec s = {.type = "人口股", .shares = "1", .effective_from = {2025, 1, 1}};
	cj_submitted out;
	size_t npaid;
	char sql[1024];

	(void)state;
	assert_int_equal(cj_org_add(db, CJ_ORG_VILLAGE, "360925100303", "三村", "360925100", start), 0);
	assert_int_equal(cj_org_find(db, "360925100303", &o), 0);
	v3 = o.id;
	assert_int_equal(cj_account_add(db, v3, "102001", "农商行"), 0);
	h.shares = &s;
	h.nshares = 1;
	assert_int_equal(cj_household_add(db, v3, &h), 0);
	/* 50,000 of income not collected; 45,000 borrowed into the bank */
	assert_int_equal(post(v3, "2025-06-01", "112", "501", 5000000, CJ_VOUCHER_NORMAL, NULL), 0);
	assert_int_equal(post(v3, "2025-11-01", "102001", "201", 4500000, CJ_VOUCHER_NORMAL, NULL), 0);
	assert_int_equal(cj_dividend_compute(db, v3, 2025, 1000, 0, 4500000, (cj_date){2025, 12, 31},
					     &plan),
			 CJ_EREFUSED);
	assert_non_null(strstr(cj_db_errmsg(db), "严禁举债分配"));
	assert_non_null(strstr(cj_db_errmsg(db), "short-term borrowing 45,000.00"));
	/* the largest pool allowed is what the collective owns: nothing */
	testdb_fails(db, cj_dividend_compute(db, v3, 2025, 1000, 0, -1, (cj_date){2025, 12, 31}, &plan),
		     CJ_EREFUSED, "严禁举债分配");
	/* by hand: the plan row the database recomputes */
	assert_int_equal(post(v3, "2025-12-30", "322002", "211", 4500000, CJ_VOUCHER_NORMAL, NULL), 0);
	snprintf(sql, sizeof sql,
		 "INSERT INTO cunji.dividend_plan (village_id, year, distributable_fen, reserve_rate_bp, "
		 "reserve_fen, welfare_rate_bp, welfare_fen, pool_fen, collective_fen, households_fen, "
		 "total_shares, shares_on, method, declared_on, voucher_id) SELECT %d, 2025, "
		 "distributable_fen, 1000, 500000, 0, 0, 4500000, 0, 4500000, 1, '2025-12-31', 'x', "
		 "'2025-12-31', (SELECT max(id) FROM cunji.voucher WHERE village_id = %d) "
		 "FROM cunji.distributable_income(%d, 2025)",
		 v3, v3, v3);
	assert_non_null(strstr(testdb_refused(db, sql, "CJ024"), "short-term borrowing 45,000.00"));
	/* once the income is collected and the loan repaid, it may be paid */
	assert_int_equal(post(v3, "2025-12-02", "102001", "112", 5000000, CJ_VOUCHER_NORMAL, NULL), 0);
	assert_int_equal(post(v3, "2025-12-03", "201", "102001", 4500000, CJ_VOUCHER_NORMAL, NULL), 0);
	assert_int_equal(cj_dividend_compute(db, v3, 2025, 1000, 0, 4000000, (cj_date){2025, 12, 31},
					     &plan),
			 0);
	/* 211 has postings, so the payable is 211 itself (this aborted the
	 * declaration's transaction before) */
	assert_int_equal(cj_dividend_post(poster, &plan, (cj_date){2025, 12, 31}, &out), 0);
	cj_dividend_plan_free(&plan);
	/* no bank account on record: named, nothing paid */
	assert_int_equal(cj_dividend_pay(poster, v3, 2025, (cj_date){2025, 12, 31}, NULL, NULL, 0,
					 &npaid, NULL),
			 CJ_EREFUSED);
	assert_non_null(strstr(cj_db_errmsg(db), "1 household has no bank account on record, so its "
						 "2025 dividend cannot be paid by bank: H01 张建国"));
	/* by hand, the database says the same */
	assert_int_equal(post(v3, "2025-12-31", "211", "102001", 100, CJ_VOUCHER_NORMAL, NULL), 0);
	snprintf(sql, sizeof sql,
		 "UPDATE cunji.dividend_line SET paid_voucher_id = (SELECT max(id) FROM cunji.voucher "
		 "WHERE village_id = %d) WHERE village_id = %d",
		 v3, v3);
	testdb_refused_for(db, sql, "CJ025", "household H01 has no bank account on record; its 2025 "
					    "dividend cannot be paid by bank");
	assert_int_equal(cj_household_set_bank(db, v3, "H01", "农商行", "6217 0001 0002"), 0);
	assert_int_equal(cj_dividend_pay(poster, v3, 2025, (cj_date){2025, 12, 31}, NULL, NULL, 0,
					 &npaid, NULL),
			 0);
	assert_int_equal((int)npaid, 1);
	assert_true(balance(v3, "102001") >= 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guards_opening_only_in_first_month),
		cmocka_unit_test(test_guards_closing_only_from_year_close),
		cmocka_unit_test(test_guards_fen_text),
		cmocka_unit_test(test_guards_line_amount_limit),
		cmocka_unit_test(test_guards_kept_state),
		cmocka_unit_test(test_guards_check_finds_gaps_and_jams),
		cmocka_unit_test(test_guards_negative_cash),
		cmocka_unit_test(test_guards_dividends),
	};

	return cmocka_run_group_tests_name("guards", tests, setup, teardown);
}
