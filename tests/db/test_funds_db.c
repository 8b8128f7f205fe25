/*
 * test_funds_db.c - earmarked funds, allocations, projects and anti-risk aid
 * through the library (fund.h), which before only the CLI reached
 * (test_funds.sh): what each call records and posts, read back from the
 * books, and each refusal with its status and reason.
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
static int county, v1, v2;

static int
setup(void **state)
{
	cj_org o;

	(void)state;
	db = testdb_open("test_funds_db");
	assert_int_equal(cj_poster_new(&poster, db), 0);
	testdb_orgs(db, &v1, &v2);
	assert_int_equal(cj_org_find(db, "360925", &o), 0);
	county = o.id;
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

/* A two-line voucher of village vil, its lines tagged with fund (and project). */
static int
post_tagged(int vil, cj_date date, const char *dr, const char *cr, int64_t fen, int64_t fund,
	    int64_t project)
{
	cj_line l[2] = {{.account = dr, .debit = {fen}, .fund_id = fund, .project_id = project},
			{.account = cr, .credit = {fen}, .fund_id = fund, .project_id = project}};
	cj_voucher v = {.village_id = vil, .date = date, .summary = "测试", .lines = l, .nlines = 2};
	cj_posted out;

	return cj_post_batch(poster, &v, 1, &out);
}

static const cj_fund_spec xj = {.code = "XJ", .name = "衔接资金",
				.kind = "衔接推进乡村振兴补助资金", .source_level = "中央",
				.doc_no = "靖财农指〔2025〕12号", .doc_date = {2025, 3, 15},
				.granted_fen = 50000000};

/* A county's allocation: one fund in each village with its part, all in one
 * transaction; parts beyond the total leave nothing behind. */
static void
test_allocation_makes_a_fund_per_village(void **state)
{
	int villages[2] = {v1, v2};
	int64_t parts[2] = {30000000, 20000000}, over[2] = {30000000, 30000000}, id = 0;
	cj_fund_info f;

	(void)state;
	testdb_fails(db, cj_allocation_add(db, county, &xj, villages, over, 2, &id), CJ_EREFUSED,
		     "allocation 靖财农指〔2025〕12号: parts would total 60000000 fen, more than the "
		     "50000000 fen it grants");
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.fund_allocation"), 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.fund"), 0);

	assert_int_equal(cj_allocation_add(db, county, &xj, villages, parts, 2, &id), 0);
	assert_true(id > 0);
	assert_int_equal(cj_fund_find(db, v1, "XJ", &f), 0);
	assert_string_equal(f.name, "衔接资金");
	assert_string_equal(f.kind, "衔接推进乡村振兴补助资金");
	assert_string_equal(f.status, "open");
	assert_string_equal(f.holding_account, "241");
	assert_true(f.granted_fen == 30000000 && f.received_fen == 0 && f.spent_fen == 0);
	assert_int_equal(cj_fund_find(db, v2, "XJ", &f), 0);
	assert_true(f.granted_fen == 20000000);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.fund WHERE allocation_id IS NOT NULL"),
			 2);
	testdb_fails(db, cj_fund_find(db, v1, "NOFUND", &f), CJ_ENOTFOUND,
		     "no fund 'NOFUND' in this village");
}

/* A fund added to one village; receipts and spending show in cj_fund_find;
 * closed (once), it takes no new spending. */
static void
test_fund_add_find_and_close(void **state)
{
	cj_fund_spec jz = {.code = "JZ", .name = "社会捐赠", .kind = "社会捐赠", .source_level = "社会",
			   .granted_fen = 100000};
	cj_fund_spec bad = jz;
	cj_fund_info f;
	int64_t id = 0;

	(void)state;
	bad.code = "JZ2";
	bad.kind = "不存在的类别";
	testdb_fails(db, cj_fund_add(db, v2, &bad, &id), CJ_EINVAL,
		     "unknown fund kind '不存在的类别'");
	assert_int_equal(cj_fund_add(db, v2, &jz, &id), 0);
	testdb_fails(db, cj_fund_add(db, v2, &jz, NULL), CJ_EEXISTS,
		     "the village already has a fund with code JZ");
	assert_int_equal(cj_fund_find(db, v2, "JZ", &f), 0);
	assert_true(f.id == id);
	assert_int_equal(post_tagged(v2, (cj_date){2025, 4, 1}, "102001", "311", 100000, id, 0), 0);
	assert_int_equal(post_tagged(v2, (cj_date){2025, 4, 2}, "514", "102001", 30000, id, 0), 0);
	assert_int_equal(cj_fund_find(db, v2, "JZ", &f), 0);
	assert_true(f.received_fen == 100000 && f.spent_fen == 30000);

	testdb_fails(db, cj_fund_set_status(db, v2, "NOFUND", "closed"), CJ_ENOTFOUND,
		     "no fund 'NOFUND' in this village");
	assert_int_equal(cj_fund_set_status(db, v2, "JZ", "closed"), 0);
	assert_int_equal(cj_fund_find(db, v2, "JZ", &f), 0);
	assert_string_equal(f.status, "closed");
	testdb_fails(db, cj_fund_set_status(db, v2, "JZ", "open"), CJ_EREFUSED,
		     "fund JZ: only its status changes, once, from open to closed or returned");
	testdb_fails(db, post_tagged(v2, (cj_date){2025, 4, 3}, "514", "102001", 100, id, 0),
		     CJ_EREFUSED, "fund JZ 社会捐赠 is closed and takes no new spending");
}

/* A project: planned, started, paid in tranches from its fund and the
 * village's own money within its budget, accepted into a collective asset
 * with the earmarked part released to 公积公益金. */
static void
test_project_from_plan_to_acceptance(void **state)
{
	const char *sources[2] = {"XJ", "村"};
	int64_t budget[2] = {25000000, 3000000};
	cj_project_spec spec = {.code = "P1", .name = "通组道路", .category = "基础设施",
				.households = 120, .poverty_households = 10,
				.budget_sources = sources, .budget_fen = budget, .nbudget = 2};
	cj_project_payment pay = {.project = "P1", .fund = "XJ", .tranche = "预付",
				  .payee = "路桥公司", .date = {2025, 4, 2}, .amount_fen = 7500000};
	cj_project_info pi;
	cj_fund_info f;
	cj_submitted out, acc[2];
	int64_t id = 0, id2 = 0;
	int n = -1;
	char sql[512];

	(void)state;
	assert_int_equal(cj_fund_find(db, v1, "XJ", &f), 0);
	assert_int_equal(post_tagged(v1, (cj_date){2025, 3, 20}, "102001", "241", 30000000, f.id, 0),
			 0);
	assert_int_equal(cj_project_add(db, v1, &spec, &id), 0);
	assert_int_equal(cj_project_find(db, v1, "P1", &pi), 0);
	assert_true(pi.id == id);
	assert_string_equal(pi.category, "基础设施");
	assert_string_equal(pi.status, "planned");
	assert_true(pi.budget_fen == 28000000 && pi.spent_fen == 0);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM cunji.project_budget WHERE project_id = %lld AND fund_id = %lld",
		 (long long)id, (long long)f.id);
	assert_int_equal(testdb_int(db, sql), 1); /* the budget line naming XJ is linked to the fund */
	testdb_fails(db, cj_project_find(db, v1, "P9", &pi), CJ_ENOTFOUND,
		     "no project 'P9' in this village");
	/* budget lines added later follow those a project has */
	spec.code = "P2";
	spec.nbudget = 0;
	assert_int_equal(cj_project_add(db, v1, &spec, &id2), 0);
	assert_int_equal(cj_project_budget_add(db, v1, id2, "XJ", 10000), 0);
	assert_int_equal(cj_project_budget_add(db, v1, id2, "中央", 5000), 0);
	assert_int_equal(cj_project_find(db, v1, "P2", &pi), 0);
	assert_true(pi.budget_fen == 15000);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM cunji.project_budget WHERE project_id = %lld AND ((seq, source, "
		 "fund_id, amount_fen) = (1, 'XJ', %lld, 10000) OR (seq = 2 AND source = '中央' AND "
		 "fund_id IS NULL AND amount_fen = 5000))",
		 (long long)id2, (long long)f.id);
	assert_int_equal(testdb_int(db, sql), 2);

	/* not started: the database refuses the payment */
	testdb_fails(db, cj_project_pay(poster, v1, &pay, &out), CJ_EREFUSED,
		     "project P1 通组道路 has not started; it cannot be paid yet");
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.project_payment"), 0);
	assert_int_equal(cj_project_start(db, v1, "P1", (cj_date){2025, 4, 1}), 0);
	testdb_fails(db, cj_project_start(db, v1, "P1", (cj_date){2025, 4, 1}), CJ_EREFUSED,
		     "project 'P1' does not exist or is not planned");
	assert_int_equal(cj_project_find(db, v1, "P1", &pi), 0);
	assert_string_equal(pi.status, "started");

	/* paid from 102001 (the first leaf under 102), recorded with the voucher */
	assert_int_equal(cj_project_pay(poster, v1, &pay, &out), 0);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM cunji.project_payment WHERE voucher_id = %lld AND tranche = "
		 "'预付' AND payee = '路桥公司'",
		 (long long)out.posted.id);
	assert_int_equal(testdb_int(db, sql), 1);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM cunji.voucher_line WHERE voucher_id = %lld AND (account_code, "
		 "debit_fen, credit_fen) IN (('153', 7500000, 0), ('102001', 0, 7500000))",
		 (long long)out.posted.id);
	assert_int_equal(testdb_int(db, sql), 2);
	pay.tranche = "进度款";
	pay.amount_fen = 15000000;
	pay.date = (cj_date){2025, 6, 2};
	assert_int_equal(cj_project_pay(poster, v1, &pay, &out), 0);
	pay.amount_fen = 10000000;
	testdb_fails(db, cj_project_pay(poster, v1, &pay, &out), CJ_EREFUSED,
		     "fund XJ 衔接资金 would be overspent: spending 100,000.00 with 75,000.00 left");
	/* the village's own money, up to the budget */
	pay.fund = NULL;
	pay.tranche = "尾款";
	pay.amount_fen = 6000000;
	testdb_fails(db, cj_project_pay(poster, v1, &pay, &out), CJ_EREFUSED,
		     "past its budget of 280,000.00; 55,000.00 left");
	pay.amount_fen = 4000000;
	assert_int_equal(cj_project_pay(poster, v1, &pay, &out), 0);
	assert_int_equal(cj_project_find(db, v1, "P1", &pi), 0);
	assert_true(pi.spent_fen == 26500000);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.project_payment"), 3);

	/* accepted: 153 into 151 at cost, the fund's 225,000.00 from 241 into 311 */
	assert_int_equal(cj_project_accept(poster, v1, "P1", (cj_date){2025, 9, 1}, "公益性", NULL,
					   acc, &n),
			 0);
	assert_int_equal(n, 2);
	snprintf(sql, sizeof sql,
		 "SELECT sum(debit_fen) FROM cunji.voucher_line WHERE voucher_id = %lld AND "
		 "account_code = '151'",
		 (long long)acc[0].posted.id);
	assert_int_equal(testdb_int(db, sql), 26500000);
	snprintf(sql, sizeof sql,
		 "SELECT sum(credit_fen) FROM cunji.voucher_line WHERE voucher_id = %lld AND "
		 "account_code = '311'",
		 (long long)acc[1].posted.id);
	assert_int_equal(testdb_int(db, sql), 22500000);
	assert_int_equal(testdb_int(db, "SELECT sum(debit_fen - credit_fen) FROM cunji.voucher_line WHERE "
					"account_code LIKE '153%'"),
			 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.project WHERE status = 'accepted' AND "
					"asset_kind = '公益性' AND asset_account = '151' AND "
					"asset_value_fen = 26500000 AND accepted_on = '2025-09-01'"),
			 1);
	testdb_fails(db, cj_project_accept(poster, v1, "P1", (cj_date){2025, 9, 2}, "公益性", NULL,
					   acc, &n),
		     CJ_EREFUSED, "project P1 is accepted already");
	assert_int_equal(n, 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.totals_mismatches()"), 0);
}

/* Anti-risk aid: refused without the county's caps, then paid within them
 * (the aid record and its voucher together), refused over a cap. */
static void
test_aid_within_the_county_caps(void **state)
{
	cj_fund_spec fx = {.code = "FX", .name = "防返贫基金", .kind = "防返贫基金", .source_level = "县",
			   .granted_fen = 10000000};
	cj_share_spec share = {.type = "人口股", .shares = "1"};
	cj_person wife = {.name = "王芳", .id_number = "110105195203040025", .relation = "配偶"};
	cj_household h = {.code = "H01", .head_name = "张建国", .head_id_number = "11010519491231002X",
			  .people = &wife, .npeople = 1, .shares = &share, .nshares = 1};
	cj_aid aid = {.fund = "FX", .household = "H01", .persons = 1, .amount_fen = 100000,
		      .date = {2025, 5, 1}, .reason = "因病", .applicant = "村委会",
		      .township_review = "镇审核同意", .county_record = "县备案"};
	cj_submitted out;
	int64_t id = 0;
	char sql[512];

	(void)state;
	assert_int_equal(cj_fund_add(db, v1, &fx, &id), 0);
	assert_int_equal(post_tagged(v1, (cj_date){2025, 2, 1}, "102001", "241", 10000000, id, 0), 0);
	assert_int_equal(cj_household_add(db, v1, &h), 0);
	testdb_fails(db, cj_aid_pay(poster, v1, &aid, &out), CJ_EREFUSED,
		     "its county has no aid caps set (cunji aid rule)");
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.aid_payment"), 0);

	assert_int_equal(cj_aid_rule_set(db, county, 300000, 500000, 2, 0), 0);
	assert_int_equal(testdb_int(db, "SELECT per_person_cap_fen FROM cunji.aid_rule"), 300000);
	assert_int_equal(cj_aid_rule_set(db, county, 400000, 500000, 2, 0), 0); /* replaced */
	assert_int_equal(testdb_int(db, "SELECT per_person_cap_fen FROM cunji.aid_rule"), 400000);
	assert_int_equal(cj_aid_pay(poster, v1, &aid, &out), 0);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM cunji.voucher v JOIN cunji.aid_payment a ON v.external_id = "
		 "'aid-' || a.id WHERE v.id = %lld AND a.household_code = 'H01' AND a.amount_fen = "
		 "100000",
		 (long long)out.posted.id);
	assert_int_equal(testdb_int(db, sql), 1);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM cunji.voucher_line WHERE voucher_id = %lld AND fund_id = %lld "
		 "AND (account_code, debit_fen, credit_fen) IN (('241', 100000, 0), ('102001', 0, "
		 "100000))",
		 (long long)out.posted.id, (long long)id);
	assert_int_equal(testdb_int(db, sql), 2);
	aid.persons = 3;
	testdb_fails(db, cj_aid_pay(poster, v1, &aid, &out), CJ_EREFUSED,
		     "household H01 has 2 registered people; aid for 3 refused");
	aid.persons = 1;
	aid.amount_fen = 400001;
	testdb_fails(db, cj_aid_pay(poster, v1, &aid, &out), CJ_EREFUSED,
		     "exceeds the cap of 400000 fen per person");
	aid.persons = 2;
	testdb_fails(db, cj_aid_pay(poster, v1, &aid, &out), CJ_EREFUSED,
		     "household H01: aid this year would total 500001 fen, over the cap of 500000 fen "
		     "per household (already paid 100000)");
	aid.amount_fen = 400000;
	assert_int_equal(cj_aid_pay(poster, v1, &aid, &out), 0);
	/* two payments a year at most */
	h.code = "H02";
	h.head_name = "刘秀英";
	h.head_id_number = "110105196001010033";
	h.npeople = 0;
	assert_int_equal(cj_household_add(db, v1, &h), 0);
	aid.household = "H02";
	aid.persons = 1;
	aid.amount_fen = 100;
	assert_int_equal(cj_aid_pay(poster, v1, &aid, &out), 0);
	assert_int_equal(cj_aid_pay(poster, v1, &aid, &out), 0);
	testdb_fails(db, cj_aid_pay(poster, v1, &aid, &out), CJ_EREFUSED,
		     "household H02 has had aid 2 time(s) this year; the cap is 2");
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.aid_payment"), 4);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher WHERE external_id LIKE "
					"'aid-%'"),
			 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allocation_makes_a_fund_per_village),
		cmocka_unit_test(test_fund_add_find_and_close),
		cmocka_unit_test(test_project_from_plan_to_acceptance),
		cmocka_unit_test(test_aid_within_the_county_caps),
	};

	return cmocka_run_group_tests_name("funds_db", tests, setup, teardown);
}
