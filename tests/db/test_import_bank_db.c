/*
 * test_import_bank_db.c - cj_import_bank against the embedded PostgreSQL:
 * a good statement posts a voucher a row, through its rules; a bad one
 * posts nothing and names file, row and column; a re-import posts nothing;
 * the running balance is checked against the ledger; a posting in progress
 * is waited for and then seen (the village lock); a deadlock with a posting
 * that reserved its number first is run again (its own transaction) or
 * handed to the caller (the caller's transaction, CJ_ERETRY); inside the
 * caller's transaction a refusal takes back only the import's writes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <importers/bank_import.h>

#include "testdb.h"
#include "testimport.h"

#define DBNAME "test_import_bank_db"

static cj_db *db;
static cj_poster *poster;
static int v1, v2;
static char rules[64];

static const char rules_text[] = "if 承包费\n"
				 "direction in\n"
				 "  account 501\n"
				 "  summary 收到{counterparty}承包费\n"
				 "if memo 手续费\n"
				 "direction out\n"
				 "  account 513\n"
				 "  summary 银行手续费\n";

static int
setup(void **state)
{
	cj_posted out;

	(void)state;
	db = testdb_open(DBNAME);
	assert_int_equal(cj_poster_new(&poster, db), 0);
	testdb_orgs(db, &v1, &v2);
	assert_int_equal(cj_account_add(db, v1, "102001", "农商行"), 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-01-02", "102001", "311", 5000000, &out), 0);
	snprintf(rules, sizeof rules, "%s", testimport_file(rules_text));
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(rules);
	cj_poster_free(poster);
	cj_db_close(db);
	return 0;
}

static long long
bank_balance(void)
{
	char sql[200];

	snprintf(sql, sizeof sql,
		 "SELECT coalesce(sum(debit_fen - credit_fen), 0) FROM cunji.voucher_line "
		 "WHERE village_id = %d AND account_code = '102001'",
		 v1);
	return testdb_int(db, sql);
}

static long long
vouchers(void)
{
	return testdb_int(db, "SELECT count(*) FROM cunji.voucher");
}

/* Import text as statement.csv of 360925100301's 102001. */
static int
import_on(cj_db *conn, const char *text, int dry_run, testimport_problems *ps,
	  cj_bank_import_result *r)
{
	cj_bank_import_opts o = {.village = "360925100301", .account = "102001", .rules = rules,
				 .name = "statement.csv", .preparer = "会计", .dry_run = dry_run};
	int err;

	o.cb = testimport_collect(ps);
	err = cj_import_bank(conn, testimport_file(text), &o, r);
	testimport_unlink();
	return err;
}

static int
import(const char *text, int dry_run, testimport_problems *ps, cj_bank_import_result *r)
{
	return import_on(db, text, dry_run, ps, r);
}

/* March: two receipts and a fee, balances from the 50,000.00 opening. */
static const char march[] = "账号,6228480012345678901\n"
			    "交易日期,摘要,对方户名,收入金额,支出金额,余额\n"
			    "2025-03-05,承包费,张三,\"1,200.00\",,\"51,200.00\"\n"
			    "2025-03-12,承包费,李四,800.00,,\"52,000.00\"\n"
			    "2025-03-25,手续费,,,10.00,\"51,990.00\"\n";

static void
test_good_statement_posts_a_voucher_a_row(void **state)
{
	testimport_problems ps;
	cj_bank_import_result r;
	long long before = vouchers();

	(void)state;
	/* a dry run checks everything, the posting too, and leaves nothing */
	assert_int_equal(import(march, 1, &ps, &r), 0);
	assert_int_equal(r.posted, 3);
	assert_int_equal(vouchers(), before);
	cj_bank_import_result_dispose(&r);

	assert_int_equal(import(march, 0, &ps, &r), 0);
	assert_int_equal(ps.n, 0);
	assert_string_equal(r.encoding, "UTF-8");
	assert_int_equal(r.posted, 3);
	assert_int_equal(r.existing, 0);
	assert_int_equal(r.attempts, 1);
	assert_int_equal(r.opening_fen, 5000000);
	assert_int_equal(r.new_in_fen, 200000);
	assert_int_equal(r.new_out_fen, 1000);
	assert_string_equal(r.first, "2025-03-1");
	assert_string_equal(r.last, "2025-03-3");
	assert_int_equal(r.nrows, 3);
	assert_int_equal(r.rows[0].row, 3); /* the header is row 2 */
	assert_string_equal(r.rows[0].account, "501");
	assert_string_equal(r.rows[0].summary, "收到张三承包费");
	cj_bank_import_result_dispose(&r);
	/* the header below the first row was noted */
	assert_non_null(strstr(ps.note, "the header is row 2"));
	assert_int_equal(vouchers(), before + 3);
	assert_int_equal(bank_balance(), 5199000);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher_line l JOIN "
					"cunji.voucher v ON v.village_id = l.village_id AND "
					"v.id = l.voucher_id WHERE v.summary = '收到张三承包费' "
					"AND v.preparer = session_user AND l.counterparty = '张三' AND "
					"l.account_code = '501' AND l.credit_fen = 120000"),
			 1);
}

static void
test_reimport_posts_nothing(void **state)
{
	testimport_problems ps;
	cj_bank_import_result r;
	long long before = vouchers();

	(void)state;
	/* the same rows, newest first, in a file with another name */
	assert_int_equal(import("交易日期,摘要,对方户名,收入金额,支出金额,余额\n"
				"2025-03-25,手续费,,,10.00,\"51,990.00\"\n"
				"2025-03-12,承包费,李四,800.00,,\"52,000.00\"\n"
				"2025-03-05,承包费,张三,\"1,200.00\",,\"51,200.00\"\n",
				0, &ps, &r),
			 0);
	assert_int_equal(r.posted, 0);
	assert_int_equal(r.existing, 3);
	assert_int_equal(r.rows[0].row, 4); /* date order */
	assert_true(r.rows[0].existed);
	cj_bank_import_result_dispose(&r);
	assert_int_equal(vouchers(), before);

	/* one row more than last time: only it is posted */
	assert_int_equal(import("交易日期,摘要,对方户名,收入金额,支出金额,余额\n"
				"2025-03-25,手续费,,,10.00,\"51,990.00\"\n"
				"2025-03-28,承包费,王五,10.00,,\"52,000.00\"\n",
				0, &ps, &r),
			 0);
	assert_int_equal(r.posted, 1);
	assert_int_equal(r.existing, 1);
	cj_bank_import_result_dispose(&r);
	assert_int_equal(vouchers(), before + 1);
	assert_int_equal(bank_balance(), 5200000);
}

static void
test_bad_statement_posts_nothing(void **state)
{
	testimport_problems ps;
	cj_bank_import_result r;
	long long before = vouchers();

	(void)state;
	assert_int_equal(import("交易日期,摘要,对方户名,收入金额,支出金额,余额\n"
				"2025-04-31,承包费,王五,100.00,,\"52,100.00\"\n"
				"2025-04-02,承包费,王五,1.2.3,,\"52,100.00\"\n"
				"2025-04-03,购物,某超市,,50.00,\"52,050.00\"\n"
				"2025-04-04,承包费,王五,100.00,,\n",
				0, &ps, &r),
			 CJ_EINVAL);
	assert_int_equal(ps.n, 4);
	assert_int_equal(r.nproblems, 4);
	assert_string_equal(ps.p[0].file, "statement.csv");
	testimport_expect(&ps, 2, "交易日期", "'2025-04-31' is not a date");
	testimport_expect(&ps, 3, "收入金额", "'1.2.3' is not an amount");
	testimport_expect(&ps, 4, NULL, "no rule matches: 支出 50.00, 对方户名 '某超市'");
	testimport_expect(&ps, 5, "余额", "is empty");
	/* in row order */
	for (size_t i = 1; i < ps.n; i++)
		assert_true(ps.p[i - 1].row <= ps.p[i].row);
	assert_string_equal(cj_db_errmsg(db), "statement.csv: 4 problems; nothing was imported");
	assert_int_equal(r.unmatched, 1);
	cj_bank_import_result_dispose(&r);
	assert_int_equal(vouchers(), before);
}

static void
test_running_balance(void **state)
{
	testimport_problems ps;
	cj_bank_import_result r;
	long long before = vouchers();
	cj_posted out;

	(void)state;
	/* the first row where the chain breaks, and only it */
	assert_int_equal(import("交易日期,摘要,对方户名,收入金额,支出金额,余额\n"
				"2025-05-06,承包费,王五,100.00,,\"52,100.00\"\n"
				"2025-05-07,承包费,李四,200.00,,\"52,310.00\"\n"
				"2025-05-08,承包费,张三,300.00,,\"52,610.00\"\n",
				0, &ps, &r),
			 CJ_EINVAL);
	assert_int_equal(ps.n, 1);
	testimport_expect(&ps, 3, "余额",
			  "'52,310.00' breaks the running balance: the row above ends at "
			  "52,100.00, and +200.00 makes 52,300.00");
	cj_bank_import_result_dispose(&r);
	/* a statement that does not start where the ledger is */
	assert_int_equal(import("交易日期,摘要,对方户名,收入金额,支出金额,余额\n"
				"2025-05-06,承包费,王五,100.00,,\"53,100.00\"\n",
				0, &ps, &r),
			 CJ_EINVAL);
	testimport_expect(&ps, 2, "余额",
			  "does not follow from the ledger: 102001 holds 52,000.00 before "
			  "2025-05-06");
	cj_bank_import_result_dispose(&r);
	/* a receipt already posted by hand: the ledger would end above the statement */
	assert_int_equal(testdb_post2(poster, v1, "2025-05-06", "102001", "501", 10000, &out), 0);
	assert_int_equal(import("交易日期,摘要,对方户名,收入金额,支出金额,余额\n"
				"2025-05-06,承包费,王五,100.00,,\"52,100.00\"\n",
				0, &ps, &r),
			 CJ_EINVAL);
	testimport_expect(&ps, 2, "余额",
			  "the ledger has postings to 102001 from 2025-05-06 to 2025-05-06 that "
			  "are not from this statement");
	cj_bank_import_result_dispose(&r);
	assert_int_equal(vouchers(), before + 1);
}

/* ------------------------------------------------------------------------ */
/* Concurrency: a second connection posts while the statement is imported */

typedef struct job {
	cj_db *conn;
	const char *text;
	int own_txn; /* 0: the import runs inside a transaction of this job's */
	int err, done;
	testimport_problems ps;
	cj_bank_import_result r;
} job;

static void *
import_job(void *arg)
{
	job *j = arg;

	if (!j->own_txn)
		assert_int_equal(cj_db_begin(j->conn), 0);
	j->err = import_on(j->conn, j->text, 0, &j->ps, &j->r);
	__atomic_store_n(&j->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* A voucher being posted when the import starts: the import waits for it
 * and then sees it, instead of checking the balance without it. */
static void
test_waits_for_a_posting_in_progress(void **state)
{
	cj_db *other = testimport_connect(DBNAME);
	char sql[700];
	job j = {0};
	pthread_t t;

	(void)state;
	/* 102001 is at 52,100.00; the other connection receives 10.00 into it on 06-02 */
	snprintf(sql, sizeof sql,
		 "BEGIN; SET search_path = cunji;"
		 "INSERT INTO voucher (village_id, id, period, number, voucher_date, summary,"
		 "                     content_hash)"
		 "VALUES (%d, nextval('voucher_id_seq'), '2025-06-01',"
		 "        public.reserve_numbers(%d, '2025-06-01', 1) + 1, '2025-06-02', '手工存入',"
		 "        'by hand');"
		 "INSERT INTO voucher_line (village_id, voucher_id, line_no, period, account_code,"
		 "                          debit_fen, credit_fen)"
		 "VALUES (%d, currval('voucher_id_seq'), 1, '2025-06-01', '102001', 1000, 0),"
		 "       (%d, currval('voucher_id_seq'), 2, '2025-06-01', '501', 0, 1000)",
		 v1, v1, v1, v1);
	testdb_ok(other, sql);
	j.conn = db;
	j.own_txn = 1;
	j.text = "交易日期,摘要,对方户名,收入金额,支出金额,余额\n"
		 "2025-06-03,承包费,王五,50.00,,\"52,150.00\"\n";
	assert_int_equal(pthread_create(&t, NULL, import_job, &j), 0);
	usleep(500 * 1000);
	assert_false(__atomic_load_n(&j.done, __ATOMIC_SEQ_CST)); /* it waits for the lock */
	testdb_ok(other, "COMMIT");
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(j.err, CJ_EINVAL);
	testimport_expect(&j.ps, 2, "余额",
			  "does not follow from the ledger: 102001 holds 52,110.00 before 2025-06-03");
	cj_bank_import_result_dispose(&j.r);
	cj_db_close(other);
}

/* The other connection reserves July's number, then waits until the import
 * holds the village's lock and posts: it then waits for the lock, the
 * import for the counter's row.  Its deadlock_timeout is 10 s, so the
 * import's server process finds the deadlock and gives way. */
static void
reserve_then_wait(cj_db *other)
{
	char sql[1200];

	snprintf(sql, sizeof sql,
		 "BEGIN; SET search_path = cunji; SET LOCAL deadlock_timeout = '10s';"
		 "SELECT public.reserve_numbers(%d, '2025-07-01', 1)",
		 v1);
	testdb_ok(other, sql);
}

static char other_error[1024];

static void *
post_when_locked(void *arg)
{
	cj_db *other = arg;
	char sql[2048];
	PGresult *res;

	snprintf(sql, sizeof sql,
		 "DO $$ BEGIN"
		 "  FOR i IN 1..1000 LOOP"
		 /* in this database: tests beside it lock villages of the same ids */
		 "    EXIT WHEN EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
		 "        AND classid = 4242 AND objid = %d AND mode = 'ExclusiveLock' AND granted"
		 "        AND database = (SELECT oid FROM pg_database"
		 "                         WHERE datname = current_database()));"
		 "    PERFORM pg_sleep(0.02);"
		 "  END LOOP;"
		 "END $$;"
		 "INSERT INTO voucher (village_id, id, period, number, voucher_date, summary,"
		 "                     content_hash)"
		 "VALUES (%d, nextval('voucher_id_seq'), '2025-07-01',"
		 "        (SELECT last_number FROM voucher_counter WHERE village_id = %d"
		 "            AND period = '2025-07-01'), '2025-07-01', '手工收现金', 'by hand');"
		 "INSERT INTO voucher_line (village_id, voucher_id, line_no, period, account_code,"
		 "                          debit_fen, credit_fen)"
		 "VALUES (%d, currval('voucher_id_seq'), 1, '2025-07-01', '101', 500, 0),"
		 "       (%d, currval('voucher_id_seq'), 2, '2025-07-01', '501', 0, 500);"
		 "COMMIT",
		 v1, v1, v1, v1, v1);
	/* not testdb_ok: a failure is checked by the test's thread */
	res = PQexec(cj_db_conn(other), sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		snprintf(other_error, sizeof other_error, "%s", PQerrorMessage(cj_db_conn(other)));
	PQclear(res);
	return NULL;
}

static void
test_deadlock_is_run_again(void **state)
{
	cj_db *other = testimport_connect_as(DBNAME, "postgres"); /* deadlock_timeout */
	testimport_problems ps;
	cj_bank_import_result r;
	pthread_t t;

	(void)state;
	reserve_then_wait(other);
	assert_int_equal(pthread_create(&t, NULL, post_when_locked, other), 0);
	assert_int_equal(import("交易日期,摘要,对方户名,收入金额,支出金额,余额\n"
				"2025-07-03,承包费,王五,60.00,,\"52,170.00\"\n",
				0, &ps, &r),
			 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_string_equal(other_error, "");
	assert_int_equal(r.attempts, 2); /* the first was the deadlock's victim */
	assert_int_equal(r.posted, 1);
	cj_bank_import_result_dispose(&r);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher WHERE summary = '手工收现金'"),
			 1);
	assert_int_equal(bank_balance(), 5217000);
	cj_db_close(other);
}

/* Inside the caller's transaction a deadlock is the caller's to retry. */
static void
test_deadlock_in_the_callers_transaction(void **state)
{
	cj_db *other = testimport_connect_as(DBNAME, "postgres"), *mine = testimport_connect(DBNAME);
	job j = {0};
	pthread_t t;

	(void)state;
	reserve_then_wait(other);
	assert_int_equal(pthread_create(&t, NULL, post_when_locked, other), 0);
	j.conn = mine;
	j.text = "交易日期,摘要,对方户名,收入金额,支出金额,余额\n"
		 "2025-07-04,承包费,王五,70.00,,\"52,240.00\"\n";
	import_job(&j);
	assert_int_equal(j.err, CJ_ERETRY);
	assert_int_equal(j.r.attempts, 1);
	cj_bank_import_result_dispose(&j.r);
	cj_db_rollback(mine); /* the caller gives up its transaction ... */
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_string_equal(other_error, "");
	/* ... and runs it again */
	import_job(&j);
	assert_int_equal(j.err, 0);
	assert_int_equal(j.r.posted, 1);
	cj_bank_import_result_dispose(&j.r);
	assert_int_equal(cj_db_commit(mine), 0);
	assert_int_equal(bank_balance(), 5224000);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher WHERE summary = '手工收现金'"),
			 2);
	cj_db_close(mine);
	cj_db_close(other);
}

/* In the caller's transaction, a statement with problems and a dry run take
 * back their own writes only; the transaction stays usable. */
static void
test_in_the_callers_transaction(void **state)
{
	testimport_problems ps;
	cj_bank_import_result r;
	cj_posted out;
	long long before = vouchers();

	(void)state;
	assert_int_equal(cj_db_begin(db), 0);
	cj_poster_join_transaction(poster, 1);
	assert_int_equal(testdb_post2(poster, v1, "2025-08-01", "101", "501", 100, &out), 0);
	assert_int_equal(import("交易日期,摘要,对方户名,收入金额,支出金额,余额\n"
				"2025-08-02,购物,某超市,,50.00,\"52,190.00\"\n",
				0, &ps, &r),
			 CJ_EINVAL);
	cj_bank_import_result_dispose(&r);
	assert_int_equal(import("交易日期,摘要,对方户名,收入金额,支出金额,余额\n"
				"2025-08-02,承包费,王五,10.00,,\"52,250.00\"\n",
				1, &ps, &r),
			 0);
	assert_int_equal(r.posted, 1);
	cj_bank_import_result_dispose(&r);
	assert_int_equal(vouchers(), before + 1); /* the caller's voucher, not the dry run's */
	assert_int_equal(import("交易日期,摘要,对方户名,收入金额,支出金额,余额\n"
				"2025-08-02,承包费,王五,10.00,,\"52,250.00\"\n",
				0, &ps, &r),
			 0);
	cj_bank_import_result_dispose(&r);
	assert_int_equal(cj_db_commit(db), 0);
	cj_poster_join_transaction(poster, 0);
	assert_int_equal(vouchers(), before + 2);
	assert_int_equal(bank_balance(), 5225000);
}

static void
test_refused_before_reading(void **state)
{
	cj_bank_import_opts o = {.village = "360925100301", .account = "101", .rules = rules};
	cj_bank_import_result r;

	(void)state;
	assert_int_equal(cj_import_bank(db, "/nonexistent.csv", &o, &r), CJ_EINVAL);
	assert_non_null(strstr(cj_db_errmsg(db), "a statement goes to a bank account"));
	cj_bank_import_result_dispose(&r);
	o.account = "102001";
	o.rules = "/nonexistent-rules.txt";
	assert_int_equal(cj_import_bank(db, "/nonexistent.csv", &o, &r), CJ_EIO);
	assert_non_null(strstr(cj_db_errmsg(db), "/nonexistent-rules.txt: No such file"));
	cj_bank_import_result_dispose(&r);
}

/* Where review is required (schema 0016), the statement's vouchers are one
 * batch of drafts: nothing is posted until another login reviews them. */
static void
test_review_required_drafts(void **state)
{
	cj_bank_import_opts o = {.village = "360925100302", .account = "102001", .rules = rules,
				 .name = "v2.csv"};
	testimport_problems ps;
	cj_bank_import_result r;
	long long before = vouchers();
	char sql[200];

	(void)state;
	assert_int_equal(cj_account_add(db, v2, "102001", "农商行"), 0);
	testdb_ok(db, "INSERT INTO cunji.setting (org_id, key, value) SELECT id, "
		      "'review_required', 'true' FROM cunji.org WHERE code = '360925'");
	o.cb = testimport_collect(&ps);
	assert_int_equal(cj_import_bank(db,
					testimport_file("交易日期,摘要,对方户名,收入金额,支出金额,余额\n"
							"2025-04-03,承包费,王五,500.00,,500.00\n"
							"2025-04-09,承包费,赵六,300.00,,800.00\n"),
					&o, &r),
			 0);
	testimport_unlink();
	assert_int_equal(r.posted, 2);
	assert_true(r.batch_id > 0);
	assert_non_null(strstr(r.first, "草稿"));
	cj_bank_import_result_dispose(&r);
	assert_int_equal(vouchers(), before);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM cunji.draft_voucher WHERE village_id = %d AND state = 'draft' "
		 "AND batch_id = (SELECT max(batch_id) FROM cunji.draft_voucher)", v2);
	assert_int_equal(testdb_int(db, sql), 2);
	testdb_ok(db, "DELETE FROM cunji.setting");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_statement_posts_a_voucher_a_row),
		cmocka_unit_test(test_reimport_posts_nothing),
		cmocka_unit_test(test_bad_statement_posts_nothing),
		cmocka_unit_test(test_running_balance),
		cmocka_unit_test(test_waits_for_a_posting_in_progress),
		cmocka_unit_test(test_deadlock_is_run_again),
		cmocka_unit_test(test_deadlock_in_the_callers_transaction),
		cmocka_unit_test(test_in_the_callers_transaction),
		cmocka_unit_test(test_refused_before_reading),
		cmocka_unit_test(test_review_required_drafts),
	};

	return cmocka_run_group_tests_name("import_bank_db", tests, setup, teardown);
}
