/*
 * test_bank_db.c - 银行存款余额调节表 through the library (ledger/bank.h):
 * statement lines kept once, pairs by amount and nearest date, both sides
 * of the reconciliation equal on figures computed by hand for two month-ends,
 * and the database's refusals: a pair of different money (CJ270), a changed
 * statement line (CJ271), another village's lines out of a login's reach
 * (row-level security).
 *
 * Runs against a real PostgreSQL: the embedded cluster started by ctest.
 */
#include <limits.h>
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

static cj_date
day(const char *s)
{
	cj_date d;
	assert_int_equal(cj_date_parse(&d, s), 0);
	return d;
}

static int
setup(void **state)
{
	(void)state;
	db = testdb_open("test_bank_db");
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

/* The books: +5000 (03-02), -800 (03-10), -1200 (03-28), +3000 (03-31).  The
 * statement: +5000 (03-02), -800 (03-11), +10.50 interest (03-25), -25 fee
 * (03-30), +3000 (04-01), -1200 (04-02). */
static void
test_reconcile_by_hand(void **state)
{
	cj_posted p;
	cj_bank_line lines[] = {
		{day("2025-03-02"), 500000, 0, 500000, "承包费", "k1"},
		{day("2025-03-11"), 0, 80000, 420000, "电费", "k2"},
		{day("2025-03-25"), 1050, 0, 421050, "结息", "k3"},
		{day("2025-03-30"), 0, 2500, 418550, "手续费", "k4"},
		{day("2025-04-01"), 300000, 0, 718550, "补助", "k5"},
		{day("2025-04-02"), 0, 120000, 598550, "工资", "k6"},
	};
	cj_bank_recon r;
	size_t added, matched;

	(void)state;
	assert_int_equal(testdb_post2(poster, v1, "2025-03-02", "102001", "501", 500000, &p), 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-03-10", "513", "102001", 80000, &p), 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-03-28", "513", "102001", 120000, &p), 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-03-31", "102001", "503", 300000, &p), 0);
	assert_int_equal(cj_bank_statement_add(db, v1, "102001", "t.csv", lines, 6, &added), 0);
	assert_int_equal(added, 6);
	assert_int_equal(cj_bank_statement_add(db, v1, "102001", "t.csv", lines, 6, &added), 0);
	assert_int_equal(added, 0); /* the same rows again: kept once */
	assert_int_equal(cj_bank_match(db, v1, "102001", CJ_BANK_MATCH_DAYS, &matched), 0);
	assert_int_equal(matched, 4);
	assert_int_equal(cj_bank_match(db, v1, "102001", CJ_BANK_MATCH_DAYS, &matched), 0);
	assert_int_equal(matched, 0);

	/* March: the books 6000.00, the statement 4185.50 */
	assert_int_equal(cj_bank_reconcile(db, v1, "102001", day("2025-03-31"), &r), 0);
	assert_int_equal(r.ledger_fen, 600000);
	assert_int_equal(r.statement_fen, 418550);
	assert_int_equal(r.sum[CJ_BANK_BANK_IN], 1050);
	assert_int_equal(r.sum[CJ_BANK_BANK_OUT], 2500);
	assert_int_equal(r.sum[CJ_BANK_LEDGER_IN], 300000);   /* the bank has it 04-01 */
	assert_int_equal(r.sum[CJ_BANK_LEDGER_OUT], 120000);  /* the bank has it 04-02 */
	assert_int_equal(r.ledger_adjusted, 598550);
	assert_int_equal(r.statement_adjusted, 598550);
	assert_int_equal(r.nitems, 4);
	assert_int_equal(r.statement_lines, 4);
	assert_int_equal(r.reconciled, 2);
	cj_bank_recon_free(&r);
	/* April: only the bank's own lines are left */
	assert_int_equal(cj_bank_reconcile(db, v1, "102001", day("2025-04-30"), &r), 0);
	assert_int_equal(r.statement_fen, 598550);
	assert_int_equal(r.sum[CJ_BANK_LEDGER_IN] + r.sum[CJ_BANK_LEDGER_OUT], 0);
	assert_int_equal(r.ledger_adjusted, 598550);
	assert_int_equal(r.statement_adjusted, 598550);
	assert_int_equal(r.nitems, 2);
	cj_bank_recon_free(&r);
	/* before the statement: nothing to reconcile against */
	testdb_fails(db, cj_bank_reconcile(db, v1, "102001", day("2025-02-28"), &r), CJ_ENOTFOUND,
		     "no bank statement line");
	cj_bank_recon_free(&r);
}

/* What the database refuses, whoever asks. */
static void
test_refusals(void **state)
{
	(void)state;
	/* a pair of different money: the 10.50 interest with the 5000 receipt's other line (501) */
	testdb_refused(db,
		       "INSERT INTO cunji.bank_reconcile (village_id, statement_id, voucher_id, line_no, how) "
		       "SELECT s.village_id, s.id, l.voucher_id, l.line_no, 'manual' "
		       "FROM cunji.bank_statement_line s JOIN cunji.voucher_line l ON l.village_id = s.village_id "
		       "WHERE s.row_key = 'k3' AND l.account_code = '501'",
		       "CJ270");
	testdb_refused(db, "UPDATE cunji.bank_statement_line SET in_fen = 1 WHERE row_key = 'k3'",
		       "CJ271");
	testdb_refused(db, "DELETE FROM cunji.bank_statement_line WHERE row_key = 'k3'", "CJ271");
}

/* A bookkeeper of the other village sees none of v1's lines and cannot add to them. */
static void
test_other_village(void **state)
{
	char home[PATH_MAX], err[512];
	const char *scope[] = {"360925100302"};
	cj_bank_line line = {day("2025-03-05"), 100, 0, 100, "x", "other"};
	cj_bank_recon r;
	cj_db *other = NULL;
	size_t added;

	(void)state;
	assert_int_equal(cj_login_add(db, "bank_bk2", "李会计", CJ_LOGIN_BOOKKEEPER, "cj-test-pw", scope, 1,
				      NULL),
			 0);
	assert_int_equal(cj_cluster_home(home, sizeof home, err, sizeof err), 0);
	assert_int_equal(cj_cluster_connect_as(home, "test_bank_db", "bank_bk2", "cj-test-pw", &other, err,
					       sizeof err),
			 0);
	assert_int_equal(testdb_int(other, "SELECT count(*) FROM cunji.bank_statement_line"), 0);
	assert_int_equal(testdb_int(other, "SELECT count(*) FROM cunji.bank_reconcile"), 0);
	testdb_fails(other, cj_bank_reconcile(other, v1, "102001", day("2025-03-31"), &r), CJ_ENOTFOUND,
		     "no bank statement line");
	cj_bank_recon_free(&r);
	/* writing into v1's statement: the policy refuses the row */
	assert_int_not_equal(cj_bank_statement_add(other, v1, "102001", "x", &line, 1, &added), 0);
	assert_non_null(strstr(cj_db_errmsg(other), "row-level security"));
	/* its own village: fine */
	assert_int_equal(cj_bank_statement_add(other, v2, "102001", "x", &line, 1, &added), 0);
	assert_int_equal(added, 1);
	cj_db_close(other);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reconcile_by_hand),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_other_village),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
