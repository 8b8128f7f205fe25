/*
 * test_year_totals.c - the kept yearly totals (schema 0014)
 *
 * A trial balance takes its opening balance from account_year_total (the
 * years before) and the months of its own year.  Over three years of books
 * it must agree, account by account, with the sum of every month since the
 * books began (account_period_total, as before 0014) and with the lines
 * themselves: for whole years, ranges inside a year and across years, a
 * village, its township and the county; after reversals, after a year close,
 * after a month reopened, posted into and closed again.  The yearly totals
 * are the ledger's own: written only by its triggers, checked by cunji check.
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

static void
post(int village, const char *date, const char *dr, const char *cr, long long fen)
{
	assert_int_equal(testdb_post2(poster, village, date, dr, cr, fen, NULL), 0);
}

static void
opening(int village, cj_date date, long long cash, long long bank)
{
	cj_line l[3] = {{.account = "101", .debit = {cash}},
			{.account = "102001", .debit = {bank}},
			{.account = "311", .credit = {cash + bank}}};
	cj_voucher v = {.village_id = village, .date = date, .summary = "期初余额",
			.kind = CJ_VOUCHER_OPENING, .lines = l, .nlines = 3};
	cj_posted out;

	assert_int_equal(cj_post_batch(poster, &v, 1, &out), 0);
}

static void
void_number(int village, int year, int month, int number, cj_date date)
{
	cj_voucher_info info;
	cj_posted rev;

	assert_int_equal(cj_voucher_find_number(db, village, (cj_period){year, month}, number, &info),
			 0);
	assert_int_equal(cj_voucher_void(poster, &info, date, "测试", &rev), 0);
}

/* A year of a village: receipts, payments and cash each quarter. */
static void
post_year(int village, int year, int first_month, long long scale)
{
	char d[32]; /* room for any int, as the compiler counts */

	for (int m = first_month; m <= 12; m += 3) {
		snprintf(d, sizeof d, "%04d-%02d-05", year, m);
		post(village, d, "102001", "501001", 120000 * scale + m);
		snprintf(d, sizeof d, "%04d-%02d-10", year, m);
		post(village, d, "513", "102001", 30000 * scale + m);
		snprintf(d, sizeof d, "%04d-%02d-20", year, m);
		post(village, d, "101", "504", 5000 * scale);
		snprintf(d, sizeof d, "%04d-%02d-25", year, m);
		post(village, d, "152", "102001", 7000 * scale + year);
	}
}

static int
setup(void **state)
{
	cj_period start = {2023, 1};
	cj_org o;

	(void)state;
	db = testdb_open("test_year_totals");
	assert_int_equal(cj_poster_new(&poster, db), 0);
	assert_int_equal(cj_org_add(db, CJ_ORG_COUNTY, "360925", "测试县", NULL, start), 0);
	assert_int_equal(cj_org_add(db, CJ_ORG_TOWNSHIP, "360925100", "测试镇", "360925", start), 0);
	assert_int_equal(cj_org_add(db, CJ_ORG_VILLAGE, "360925100301", "一村", "360925100", start), 0);
	assert_int_equal(cj_org_add(db, CJ_ORG_VILLAGE, "360925100302", "二村", "360925100",
				    (cj_period){2024, 3}),
			 0);
	assert_int_equal(cj_org_find(db, "360925100301", &o), 0);
	v1 = o.id;
	assert_int_equal(cj_org_find(db, "360925100302", &o), 0);
	v2 = o.id;
	for (int i = 0; i < 2; i++) {
		int v = i ? v2 : v1;
		assert_int_equal(cj_account_add(db, v, "102001", "农商行"), 0);
		assert_int_equal(cj_account_add(db, v, "501001", "发包收入"), 0);
	}
	opening(v1, (cj_date){2023, 1, 1}, 100000, 5000000);
	opening(v2, (cj_date){2024, 3, 1}, 20000, 800000);
	for (int y = 2023; y <= 2025; y++)
		post_year(v1, y, 1, y - 2022);
	post_year(v2, 2024, 3, 2);
	post_year(v2, 2025, 1, 3);
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

/* The villages of an organisation, as SQL. */
static const char *
villages_of(const char *org)
{
	static char sql[512];

	snprintf(sql, sizeof sql,
		 "(SELECT v.id FROM cunji.org v LEFT JOIN cunji.org t ON t.id = v.parent_id "
		 "WHERE v.level = 'village' AND (v.code = '%s' OR t.code = '%s' OR "
		 "t.parent_id = (SELECT id FROM cunji.org WHERE code = '%s')))",
		 org, org, org);
	return sql;
}

/*
 * Each row of the trial balance of org over from..to against (a) the sum of
 * every month since the books began, as the trial balance read it before
 * 0014, and (b) the lines: opening = lines before the range and opening
 * vouchers in it; debit and credit = the other lines of the range.  And as
 * many rows as accounts with a figure.
 */
static void
check_tb(const char *org, cj_period from, cj_period to)
{
	char f[16], t[16], match[64], lmatch[64], sql[3072];
	int village = strlen(org) == 12;
	cj_tb *tb;

	snprintf(f, sizeof f, "%04d-%02d-01", from.year, from.month);
	snprintf(t, sizeof t, "%04d-%02d-01", to.year, to.month);
	assert_int_equal(cj_tb_build(db, org, from, to, &tb), 0);
	for (size_t i = 0; i < tb->nrows; i++) {
		const cj_tb_row *r = &tb->rows[i];
		/* (a) every month since the books began, (b) the lines */
		const char *months[3] = {
			("CASE WHEN period < '%s' THEN debit_fen - credit_fen "
			 "ELSE opening_debit_fen - opening_credit_fen END"), /* one string: clang asks */
			"debit_fen - opening_debit_fen) FILTER (WHERE period >= '%s'",
			"credit_fen - opening_credit_fen) FILTER (WHERE period >= '%s'"};
		const char *lines[3] = {
			"l.debit_fen - l.credit_fen) FILTER (WHERE l.period < '%s' OR v.kind = 'opening'",
			"l.debit_fen) FILTER (WHERE l.period >= '%s' AND v.kind <> 'opening'",
			"l.credit_fen) FILTER (WHERE l.period >= '%s' AND v.kind <> 'opening'"};
		const int64_t want[3] = {r->opening, r->debit, r->credit};
		char expr[256];
		if (village) {
			snprintf(match, sizeof match, "account_code LIKE '%s%%'", r->code);
			snprintf(lmatch, sizeof lmatch, "l.account_code LIKE '%s%%'", r->code);
		} else {
			snprintf(match, sizeof match, "left(account_code, 3) = '%s'", r->code);
			snprintf(lmatch, sizeof lmatch, "left(l.account_code, 3) = '%s'", r->code);
		}
		for (int k = 0; k < 3; k++) {
			snprintf(expr, sizeof expr, months[k], f);
			snprintf(sql, sizeof sql,
				 "SELECT coalesce(sum(%s), 0) FROM cunji.account_period_total "
				 "WHERE village_id IN %s AND %s AND period <= '%s'",
				 expr, villages_of(org), match, t);
			assert_int_equal(testdb_int(db, sql), want[k]);
			snprintf(expr, sizeof expr, lines[k], f);
			snprintf(sql, sizeof sql,
				 "SELECT coalesce(sum(%s), 0) FROM cunji.voucher_line l "
				 "JOIN cunji.voucher v ON v.village_id = l.village_id AND v.id = "
				 "l.voucher_id WHERE l.village_id IN %s AND %s AND l.period <= '%s'",
				 expr, villages_of(org), lmatch, t);
			assert_int_equal(testdb_int(db, sql), want[k]);
		}
	}
	/* no account with a figure left out */
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM (SELECT %s, coalesce(sum(l.debit_fen - l.credit_fen) "
		 "FILTER (WHERE l.period < '%s' OR v.kind = 'opening'), 0) AS o, "
		 "coalesce(sum(l.debit_fen) FILTER (WHERE l.period >= '%s' AND v.kind <> "
		 "'opening'), 0) AS d, coalesce(sum(l.credit_fen) FILTER (WHERE l.period >= '%s' "
		 "AND v.kind <> 'opening'), 0) AS c FROM cunji.voucher_line l JOIN cunji.voucher v "
		 "ON v.village_id = l.village_id AND v.id = l.voucher_id %s WHERE l.village_id IN %s "
		 "AND l.period <= '%s' GROUP BY 1) x WHERE o <> 0 OR d <> 0 OR c <> 0",
		 village ? "a.code" : "left(l.account_code, 3)", f, f, f,
		 village ? "JOIN cunji.account a ON a.village_id = l.village_id AND l.account_code "
			   "LIKE a.code || '%'"
			 : "",
		 villages_of(org), t);
	assert_int_equal((long long)tb->nrows, testdb_int(db, sql));
	assert_int_equal(tb->closing_debit, tb->closing_credit);
	assert_int_equal(tb->opening_debit, tb->opening_credit);
	cj_tb_free(tb);
}

/* Every organisation and every kind of range, for the books as they are. */
static void
check_all(void)
{
	static const char *const orgs[] = {"360925100301", "360925100302", "360925100", "360925"};

	for (size_t o = 0; o < sizeof orgs / sizeof orgs[0]; o++) {
		for (int y = 2023; y <= 2025; y++)
			check_tb(orgs[o], (cj_period){y, 1}, (cj_period){y, 12});
		check_tb(orgs[o], (cj_period){2025, 4}, (cj_period){2025, 9});
		check_tb(orgs[o], (cj_period){2024, 6}, (cj_period){2025, 3});
		check_tb(orgs[o], (cj_period){2023, 1}, (cj_period){2025, 12});
		check_tb(orgs[o], (cj_period){2025, 12}, (cj_period){2025, 12});
	}
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.year_totals_mismatches()"), 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.totals_mismatches()"), 0);
}

static void
test_year_totals_kept(void **state)
{
	char sql[256];

	(void)state;
	/* one row per village, account and year with postings */
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM cunji.account_year_total WHERE village_id = %d AND "
		 "account_code = '102001'",
		 v1);
	assert_int_equal(testdb_int(db, sql), 3);
	snprintf(sql, sizeof sql,
		 "SELECT debit_fen FROM cunji.account_year_total WHERE village_id = %d AND "
		 "account_code = '501001' AND year = 2024",
		 v1);
	assert_int_equal(testdb_int(db, sql), 0);
	snprintf(sql, sizeof sql,
		 "SELECT credit_fen FROM cunji.account_year_total WHERE village_id = %d AND "
		 "account_code = '501001' AND year = 2024",
		 v1);
	/* 4 quarters of 240,000 fen and the month */
	assert_int_equal(testdb_int(db, sql), 4 * 240000 + 1 + 4 + 7 + 10);
	check_all();
	/* the ledger's own: not by hand, not truncated */
	testdb_refused(db, "UPDATE cunji.account_year_total SET debit_fen = debit_fen + 1", "CJ003");
	testdb_refused(db, "DELETE FROM cunji.account_year_total", "CJ003");
	snprintf(sql, sizeof sql,
		 "INSERT INTO cunji.account_year_total VALUES (%d, '101', 2026, 1, 0)", v1);
	testdb_refused(db, sql, "CJ003");
	testdb_refused(db, "TRUNCATE cunji.account_year_total", "CJ003");
}

static void
test_year_totals_reversals(void **state)
{
	(void)state;
	/* a 2023 voucher voided in 2024, a 2025 one in 2025, in both villages */
	void_number(v1, 2023, 4, 2, (cj_date){2024, 2, 10});
	void_number(v1, 2025, 7, 1, (cj_date){2025, 8, 3});
	void_number(v2, 2024, 6, 3, (cj_date){2025, 1, 15});
	check_all();
}

static void
test_year_totals_year_close(void **state)
{
	cj_year_close_result r;

	(void)state;
	assert_int_equal(cj_year_close(poster, v1, 2023, "测试", &r), 0);
	assert_true(r.nvouchers > 0);
	check_all();
	assert_int_equal(cj_year_close(poster, v1, 2024, "测试", &r), 0);
	assert_int_equal(cj_year_close(poster, v2, 2024, "测试", &r), 0);
	check_all();
}

static void
test_year_totals_reopen(void **state)
{
	(void)state;
	/* 2025 of V1, not closed: months closed, the last one reopened, posted
	 * into (a month of the year whose opening the later ranges read), closed
	 * again */
	for (int m = 1; m <= 5; m++)
		assert_int_equal(cj_period_close(db, v1, (cj_period){2025, m}, "月结"), 0);
	assert_int_equal(cj_period_reopen(db, v1, (cj_period){2025, 5}, "补记漏记凭证"), 0);
	post(v1, "2025-05-28", "102001", "501001", 9900);
	post(v1, "2025-05-29", "513", "101", 1100);
	assert_int_equal(cj_period_close(db, v1, (cj_period){2025, 5}, "月结"), 0);
	check_all();
	/* and a village whose 2025 has no year before it closed */
	post(v2, "2025-12-30", "101", "504", 4400);
	check_all();
}

/* The detail ledger's opening comes from the same totals. */
static void
test_year_totals_ledger(void **state)
{
	cj_ledger *l;
	char sql[512];

	(void)state;
	assert_int_equal(cj_ledger_build(db, v1, "102", (cj_period){2025, 4}, (cj_period){2025, 9}, &l),
			 0);
	snprintf(sql, sizeof sql,
		 "SELECT coalesce(sum(debit_fen - credit_fen), 0) FROM cunji.voucher_line "
		 "WHERE village_id = %d AND account_code LIKE '102%%' AND period < '2025-04-01'",
		 v1);
	assert_int_equal(l->opening, testdb_int(db, sql));
	cj_ledger_free(l);
}

/* cunji check recomputes the yearly totals from the lines. */
static void
test_year_totals_checked(void **state)
{
	cj_books_check_result r;
	char sql[512];
	int found = 0;

	(void)state;
	assert_int_equal(cj_books_check(db, &r), 0);
	assert_int_equal((int)r.nproblems, 0);
	cj_books_check_free(&r);
	/* what a superuser with the triggers switched off could do */
	snprintf(sql, sizeof sql,
		 "SET session_replication_role = replica; UPDATE cunji.account_year_total SET "
		 "debit_fen = debit_fen + 5 WHERE village_id = %d AND account_code = '102001' AND "
		 "year = 2024; SET session_replication_role = origin",
		 v1);
	testdb_ok(testdb_super(db), sql);
	assert_int_equal(cj_books_check(db, &r), 0);
	for (size_t i = 0; i < r.nproblems; i++)
		found += strstr(r.problems[i], "village 360925100301 account 102001 year 2024: kept "
					       "yearly totals differ from the lines by 5 (debit)") != NULL;
	assert_int_equal(found, 1);
	cj_books_check_free(&r);
	snprintf(sql, sizeof sql,
		 "SET session_replication_role = replica; UPDATE cunji.account_year_total SET "
		 "debit_fen = debit_fen - 5 WHERE village_id = %d AND account_code = '102001' AND "
		 "year = 2024; SET session_replication_role = origin",
		 v1);
	testdb_ok(testdb_super(db), sql);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_year_totals_kept),
		cmocka_unit_test(test_year_totals_reversals),
		cmocka_unit_test(test_year_totals_year_close),
		cmocka_unit_test(test_year_totals_reopen),
		cmocka_unit_test(test_year_totals_ledger),
		cmocka_unit_test(test_year_totals_checked),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
