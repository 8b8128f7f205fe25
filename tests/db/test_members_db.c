/*
 * test_members_db.c - the member register's shares and the dividends read
 * back, through the library (member.h, dividend.h), which before only the
 * CLI reached (test_members.sh, test_funds.sh): cj_share_add, cj_member_list,
 * cj_own_cash_get and cj_dividend_load, each refusal with its status and
 * reason.  (The member file import, cj_household_import and
 * cj_member_lookup, belongs to the importers' own tests.)
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

static int
post(cj_date date, const char *dr, const char *cr, int64_t fen, cj_voucher_kind kind,
     int64_t fund)
{
	cj_line l[2] = {{.account = dr, .debit = {fen}, .fund_id = fund},
			{.account = cr, .credit = {fen}, .fund_id = fund}};
	cj_voucher v = {.village_id = v1, .date = date, .summary = "测试", .kind = kind,
			.lines = l, .nlines = 2};
	cj_posted out;

	return cj_post_batch(poster, &v, 1, &out);
}

static int
setup(void **state)
{
	cj_share_spec s1[2] = {{.type = "人口股", .shares = "1"},
			       {.type = "劳龄股", .shares = "0.5", .effective_from = {2025, 1, 1}}};
	cj_share_spec s2 = {.type = "人口股", .shares = "1"};
	cj_person wife = {.name = "王芳", .id_number = "110105195203040025", .relation = "配偶"};
	cj_household h1 = {.code = "H01", .head_name = "张建国", .head_id_number = "11010519491231002X",
			   .phone = "13800000000", .people = &wife, .npeople = 1, .shares = s1,
			   .nshares = 2};
	cj_household h2 = {.code = "H02", .head_name = "刘秀英", .head_id_number = "110105196001010033",
			   .shares = &s2, .nshares = 1};

	(void)state;
	db = testdb_open("test_members_db");
	assert_int_equal(cj_poster_new(&poster, db), 0);
	testdb_orgs(db, &v1, &v2);
	assert_int_equal(cj_account_add(db, v1, "102001", "农商行"), 0);
	assert_int_equal(cj_household_add(db, v1, &h1), 0);
	assert_int_equal(cj_household_add(db, v1, &h2), 0);
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

static const cj_member_row *
row(const cj_member_register *r, const char *code)
{
	for (size_t i = 0; i < r->nhouseholds; i++)
		if (!strcmp(r->households[i].code, code))
			return &r->households[i];
	fail_msg("household %s is not in the register", code);
	return NULL;
}

/* Holdings are added to a household or, 集体股 only, to the collective;
 * anything else is refused, naming what is wrong, and adds nothing. */
static void
test_share_add(void **state)
{
	long long before;

	(void)state;
	assert_int_equal(cj_share_add(db, v1, "H02", "劳龄股", "2.5", (cj_date){2025, 7, 1}), 0);
	assert_int_equal(cj_share_add(db, v1, NULL, CJ_SHARE_COLLECTIVE, "10", (cj_date){0}), 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.share_holding WHERE "
					"household_code IS NULL AND share_type = '集体股' AND shares = 10 "
					"AND effective_from = '2025-01-01'"),
			 1);
	before = testdb_int(db, "SELECT count(*) FROM cunji.share_holding");
	testdb_fails(db, cj_share_add(db, v1, "H01", CJ_SHARE_COLLECTIVE, "1", (cj_date){0}),
		     CJ_EINVAL, "集体股 is held by the collective, not by household H01");
	testdb_fails(db, cj_share_add(db, v1, NULL, "人口股", "1", (cj_date){0}), CJ_EINVAL,
		     "the collective holds only 集体股; 人口股 is held by a household");
	testdb_fails(db, cj_share_add(db, v1, "H01", "干部股", "1", (cj_date){0}), CJ_EINVAL,
		     "'干部股' is not a share type");
	testdb_fails(db, cj_share_add(db, v1, "H01", "人口股", "1.234", (cj_date){0}), CJ_EINVAL,
		     "人口股 '1.234' is not a number of shares");
	testdb_fails(db, cj_share_add(db, v1, "H01", "人口股", "1", (cj_date){2025, 2, 30}), CJ_EINVAL,
		     "the effective date is not a date");
	testdb_fails(db, cj_share_add(db, v1, "H99", "人口股", "1", (cj_date){0}), CJ_ENOTFOUND,
		     "household H99 is not in the register");
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.share_holding"), before);
}

/* The register on a day: each household with its people and the shares in
 * force that day, by type, and the totals with the collective's. */
static void
test_member_list_on_a_day(void **state)
{
	cj_member_register r;
	const cj_member_row *h;
	int people = cj_share_type_index("人口股"), labour = cj_share_type_index("劳龄股");
	int collective = cj_share_type_index(CJ_SHARE_COLLECTIVE);

	(void)state;
	assert_true(people >= 0 && labour >= 0 && collective >= 0);
	assert_int_equal(cj_member_list(db, v1, (cj_date){2025, 6, 30}, &r), 0);
	assert_int_equal((int)r.nhouseholds, 2);
	assert_int_equal((int)r.people, 3);
	h = row(&r, "H01");
	assert_string_equal(h->head_name, "张建国");
	assert_string_equal(h->phone, "13800000000");
	assert_int_equal(h->people, 2);
	assert_true(h->shares_centi[people] == 100 && h->shares_centi[labour] == 50);
	assert_true(h->total_centi == 150);
	assert_null(strstr(h->head_id_masked, "19491231")); /* the birth date is masked */
	h = row(&r, "H02");
	assert_true(h->shares_centi[labour] == 0 && h->total_centi == 100); /* 劳龄股 from July */
	assert_true(r.collective_centi == 1000);
	assert_true(r.type_total_centi[people] == 200 && r.type_total_centi[collective] == 1000);
	assert_true(r.total_centi == 1250);
	cj_member_register_free(&r);
	assert_null(r.households);
	assert_int_equal((int)r.nhouseholds, 0);

	assert_int_equal(cj_member_list(db, v1, (cj_date){2025, 7, 1}, &r), 0);
	assert_true(row(&r, "H02")->total_centi == 350);
	assert_true(r.total_centi == 1500);
	cj_member_register_free(&r);
	/* another village's register is its own */
	assert_int_equal(cj_member_list(db, v2, (cj_date){2025, 7, 1}, &r), 0);
	assert_int_equal((int)r.nhouseholds, 0);
	assert_true(r.total_centi == 0);
	cj_member_register_free(&r);
	testdb_fails(db, cj_member_list(db, v1, (cj_date){2025, 2, 30}, &r), CJ_EINVAL,
		     "the register's date is not a date");
}

/* The collective's own cash at a month's end: cash and bank less what it
 * borrowed, earmarked money not spent and dividends declared and unpaid. */
static void
test_own_cash(void **state)
{
	cj_fund_spec xj = {.code = "XJ", .name = "衔接资金", .kind = "衔接推进乡村振兴补助资金",
			   .source_level = "中央", .granted_fen = 300000};
	cj_own_cash o;
	int64_t fund = 0;

	(void)state;
	assert_int_equal(post((cj_date){2025, 1, 1}, "102001", "311", 5000000, CJ_VOUCHER_OPENING, 0),
			 0);
	assert_int_equal(post((cj_date){2025, 2, 1}, "102001", "201", 1000000, CJ_VOUCHER_NORMAL, 0), 0);
	assert_int_equal(cj_fund_add(db, v1, &xj, &fund), 0);
	assert_int_equal(post((cj_date){2025, 3, 1}, "102001", "241", 300000, CJ_VOUCHER_NORMAL, fund),
			 0);
	assert_int_equal(cj_own_cash_get(db, v1, (cj_period){2025, 1}, &o), 0);
	assert_true(o.cash_fen == 5000000 && o.borrowing_fen == 0 && o.earmarked_fen == 0);
	assert_true(o.own_fen == 5000000);
	assert_int_equal(cj_own_cash_get(db, v1, (cj_period){2025, 3}, &o), 0);
	assert_true(o.cash_fen == 6300000);
	assert_true(o.borrowing_fen == 1000000);
	assert_true(o.earmarked_fen == 300000);
	assert_true(o.unpaid_dividends_fen == 0);
	assert_true(o.own_fen == 5000000);
	assert_int_equal(cj_own_cash_get(db, v2, (cj_period){2025, 3}, &o), 0);
	assert_true(o.cash_fen == 0 && o.own_fen == 0);
}

/* A declared plan read back with who has been paid; a year without a
 * declared plan is named. */
static void
test_dividend_load(void **state)
{
	cj_dividend_plan plan, back;
	cj_submitted out;
	cj_own_cash o;
	const char *h01[1] = {"H01"};
	size_t npaid = 0;

	(void)state;
	assert_int_equal(post((cj_date){2025, 11, 20}, "102001", "501", 2000000, CJ_VOUCHER_NORMAL, 0),
			 0);
	testdb_fails(db, cj_dividend_load(db, v1, 2025, &back), CJ_ENOTFOUND,
		     "no dividend plan was declared for 2025");
	assert_int_equal(cj_dividend_compute(db, v1, 2025, 1000, 0, 900000, (cj_date){2025, 12, 31},
					     &plan),
			 0);
	assert_int_equal(cj_dividend_post(poster, &plan, (cj_date){2025, 12, 31}, &out), 0);
	cj_dividend_plan_free(&plan);

	assert_int_equal(cj_dividend_load(db, v1, 2025, &back), 0);
	assert_int_equal(back.posted, 1);
	assert_int_equal(back.year, 2025);
	assert_true(back.pool_fen == 900000);
	assert_true(back.reserve_fen == 200000); /* 10% of 20,000.00 */
	/* 15 shares on 31 December: H01 1.5, H02 3.5, the collective 10 */
	assert_true(back.total_shares_centi == 1500 && back.collective_shares_centi == 1000);
	assert_true(back.collective_fen == 600000 && back.households_fen == 300000);
	assert_int_equal((int)back.nhouseholds, 2);
	assert_string_equal(back.households[0].code, "H01");
	assert_true(back.households[0].amount_fen == 90000);
	assert_true(back.households[1].amount_fen == 210000);
	assert_int_equal(back.households[0].paid, 0);
	assert_int_equal(back.households[0].has_bank, 0);
	cj_dividend_plan_free(&back);
	/* declared and unpaid: no longer the collective's own */
	assert_int_equal(cj_own_cash_get(db, v1, (cj_period){2025, 12}, &o), 0);
	assert_true(o.unpaid_dividends_fen == 300000);

	assert_int_equal(cj_household_set_bank(db, v1, "H01", "农商行", "6217 0001"), 0);
	assert_int_equal(cj_dividend_pay(poster, v1, 2025, (cj_date){2025, 12, 31}, NULL, h01, 1,
					 &npaid, NULL),
			 0);
	assert_int_equal((int)npaid, 1);
	assert_int_equal(cj_dividend_load(db, v1, 2025, &back), 0);
	assert_int_equal(back.households[0].paid, 1);
	assert_int_equal(back.households[0].has_bank, 1);
	assert_int_equal(back.households[1].paid, 0);
	cj_dividend_plan_free(&back);
	assert_int_equal(cj_own_cash_get(db, v1, (cj_period){2025, 12}, &o), 0);
	assert_true(o.unpaid_dividends_fen == 210000);
	testdb_fails(db, cj_dividend_load(db, v2, 2025, &back), CJ_ENOTFOUND,
		     "no dividend plan was declared for 2025");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_share_add),
		cmocka_unit_test(test_member_list_on_a_day),
		cmocka_unit_test(test_own_cash),
		cmocka_unit_test(test_dividend_load),
	};

	return cmocka_run_group_tests_name("members_db", tests, setup, teardown);
}
