/*
 * test_import_funds_db.c - cj_import_funds against the embedded PostgreSQL:
 * a good notice adds its allocation, the villages' funds (as cj_fund_add
 * makes them) and the project budget; a bad one writes nothing and names
 * file, row and column; a re-import adds nothing; a dry run and a refusal
 * inside the caller's transaction take back only their own writes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <importers/fund_import.h>

#include "testdb.h"
#include "testimport.h"

static cj_db *db;
static int v1, v2;

static int
setup(void **state)
{
	cj_project_spec p = {.code = "P1", .name = "通组道路", .category = "基础设施"};
	const char *sources[1] = {"村"};
	int64_t fen[1] = {2000000};

	(void)state;
	db = testdb_open("test_import_funds_db");
	testdb_orgs(db, &v1, &v2);
	p.budget_sources = sources;
	p.budget_fen = fen;
	p.nbudget = 1;
	assert_int_equal(cj_project_add(db, v1, &p, NULL), 0);
	p.code = "P2";
	p.name = "村部装修";
	p.category = "楼堂馆所";
	assert_int_equal(cj_project_add(db, v1, &p, NULL), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cj_db_close(db);
	return 0;
}

static int
import(const char *text, int dry_run, testimport_problems *ps, cj_fund_import_result *r)
{
	cj_fund_import_opts o = {.name = "notice.csv", .dry_run = dry_run};
	int err;

	o.cb = testimport_collect(ps);
	err = cj_import_funds(db, testimport_file(text), &o, r);
	testimport_unlink();
	return err;
}

static long long
count(const char *table)
{
	char sql[100];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM cunji.%s", table);
	return testdb_int(db, sql);
}

static const char notice[] =
	"文号,日期,资金类型,来源级次,县代码,村代码,资金代码,金额,用途,项目\n"
	"靖财农〔2025〕12号,2025-03-01,衔接推进乡村振兴补助资金,中央,360925,360925100301,"
	"XJ2025-01,\"500,000.00\",通组道路硬化,P1\n"
	"靖财农〔2025〕12号,2025-03-01,衔接推进乡村振兴补助资金,中央,360925,360925100302,"
	"XJ2025-01,\"300,000.00\",特色种植产业,\n";

static void
test_good_notice(void **state)
{
	testimport_problems ps;
	cj_fund_import_result r;
	cj_fund_spec same = {.code = "BYHAND", .name = "特色种植产业",
			     .kind = "衔接推进乡村振兴补助资金", .source_level = "中央",
			     .doc_no = "靖财农〔2025〕12号", .doc_date = {2025, 3, 1},
			     .granted_fen = 30000000};
	char sql[900];

	(void)state;
	/* a dry run writes it all, then takes it back */
	assert_int_equal(import(notice, 1, &ps, &r), 0);
	assert_int_equal(r.funds, 2);
	assert_int_equal(r.budgets, 1);
	cj_fund_import_result_dispose(&r);
	assert_int_equal(count("fund") + count("fund_allocation"), 0);

	assert_int_equal(import(notice, 0, &ps, &r), 0);
	assert_int_equal(ps.n, 0);
	assert_int_equal(r.funds, 2);
	assert_int_equal(r.new_allocations, 1);
	assert_int_equal(r.budgets, 1);
	assert_int_equal(r.added_fen, 80000000);
	assert_int_equal(r.nallocs, 1);
	assert_string_equal(r.allocs[0].doc_no, "靖财农〔2025〕12号");
	assert_int_equal(r.allocs[0].total_fen, 80000000);
	assert_int_equal(r.allocs[0].villages, 2);
	assert_false(r.allocs[0].existed);
	cj_fund_import_result_dispose(&r);
	assert_int_equal(testdb_int(db, "SELECT total_fen FROM cunji.fund_allocation WHERE "
					"doc_no = '靖财农〔2025〕12号' AND name = '衔接推进乡村振兴补助资金'"),
			 80000000);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.fund f JOIN "
					"cunji.fund_allocation a ON a.id = f.allocation_id "
					"WHERE f.code = 'XJ2025-01'"),
			 2);
	/* P1's budget has the fund as a second line */
	assert_int_equal(testdb_int(db, "SELECT b.seq FROM cunji.project_budget b JOIN cunji.fund f "
					"ON f.village_id = b.village_id AND f.id = b.fund_id "
					"WHERE b.source = 'XJ2025-01' AND b.amount_fen = 50000000"),
			 2);
	/* the fund is the one cj_fund_add makes from the same figures */
	assert_int_equal(cj_fund_add(db, v2, &same, NULL), 0);
	snprintf(sql, sizeof sql,
		 "SELECT count(DISTINCT (name, kind, source_level, doc_no, doc_date, granted_fen,"
		 "       holding_account, allowed_accounts, forbidden_accounts, allowed_categories,"
		 "       forbidden_categories, status))"
		 "  FROM cunji.fund WHERE village_id = %d",
		 v2);
	assert_int_equal(testdb_int(db, sql), 1);
}

static void
test_reimport_adds_nothing(void **state)
{
	testimport_problems ps;
	cj_fund_import_result r;
	long long funds = count("fund"), budgets = count("project_budget");

	(void)state;
	assert_int_equal(import(notice, 0, &ps, &r), 0);
	assert_int_equal(r.funds, 0);
	assert_int_equal(r.existing, 2);
	assert_int_equal(r.new_allocations, 0);
	assert_true(r.allocs[0].existed);
	cj_fund_import_result_dispose(&r);
	assert_int_equal(count("fund"), funds);
	assert_int_equal(count("fund_allocation"), 1);
	assert_int_equal(count("project_budget"), budgets);
}

static void
test_bad_notice_writes_nothing(void **state)
{
	testimport_problems ps;
	cj_fund_import_result r;
	long long funds = count("fund");

	(void)state;
	assert_int_equal(import("文号,日期,资金类型,来源级次,县代码,村代码,资金代码,金额(万元),项目\n"
				"靖财农〔2025〕30号,2025-04-01,一事一议资金,县,360925,360925100301,"
				"YS-1,1.5,P2\n"
				"靖财农〔2025〕30号,2025-04-31,一事一议资金,国家,360925,360925100399,"
				"YS-1,x,\n"
				"靖财农〔2025〕31号,2025-04-01,衔接推进乡村振兴补助资金,中央,360925,"
				"360925100301,YS 2,1,P2\n",
				0, &ps, &r),
			 CJ_EINVAL);
	assert_string_equal(ps.p[0].file, "notice.csv");
	testimport_expect(&ps, 3, "日期", "'2025-04-31' is not a date");
	testimport_expect(&ps, 3, "来源级次", "'国家' is not a source level");
	testimport_expect(&ps, 3, "村代码", "'360925100399' is not a village in the books");
	testimport_expect(&ps, 3, "金额(万元)", "'x' is not an amount");
	testimport_expect(&ps, 4, "资金代码", "'YS 2' is not a fund code");
	testimport_expect(&ps, 4, "项目",
			  "'P2' is a 楼堂馆所 project, which a 衔接推进乡村振兴补助资金 fund may not pay for");
	for (size_t i = 1; i < ps.n; i++)
		assert_true(ps.p[i - 1].row <= ps.p[i].row);
	assert_int_equal(r.nproblems, ps.n);
	cj_fund_import_result_dispose(&r);
	assert_int_equal(count("fund"), funds);
	assert_int_equal(count("fund_allocation"), 1);

	/* a header without the columns it needs */
	assert_int_equal(import("文号,日期\nX,2025-04-01\n", 0, &ps, &r), CJ_EINVAL);
	testimport_expect(&ps, 1, NULL, "the header lacks the columns 资金类型 (kind), 来源级次");
	cj_fund_import_result_dispose(&r);
}

/* Inside the caller's transaction: a refusal leaves the caller's writes and
 * its transaction usable; a good notice commits with it. */
static void
test_in_the_callers_transaction(void **state)
{
	testimport_problems ps;
	cj_fund_import_result r;
	cj_fund_spec own = {.code = "OWN", .name = "自有", .kind = "村集体自有",
			    .source_level = "村", .granted_fen = 100};
	long long funds = count("fund");

	(void)state;
	assert_int_equal(cj_db_begin(db), 0);
	assert_int_equal(cj_fund_add(db, v1, &own, NULL), 0);
	assert_int_equal(import("文号,日期,资金类型,来源级次,县代码,村代码,资金代码,金额\n"
				"靖财农〔2025〕40号,2025-05-01,一事一议资金,县,360925,360925100301,"
				"OWN,100\n",
				0, &ps, &r),
			 CJ_EINVAL);
	testimport_expect(&ps, 2, "资金代码", "'OWN' is already a fund of village 360925100301");
	cj_fund_import_result_dispose(&r);
	assert_int_equal(import("文号,日期,资金类型,来源级次,县代码,村代码,资金代码,金额\n"
				"靖财农〔2025〕40号,2025-05-01,一事一议资金,县,360925,360925100301,"
				"YS-40,100\n",
				0, &ps, &r),
			 0);
	cj_fund_import_result_dispose(&r);
	assert_int_equal(cj_db_commit(db), 0);
	assert_int_equal(count("fund"), funds + 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_notice),
		cmocka_unit_test(test_reimport_adds_nothing),
		cmocka_unit_test(test_bad_notice_writes_nothing),
		cmocka_unit_test(test_in_the_callers_transaction),
	};

	return cmocka_run_group_tests_name("import_funds_db", tests, setup, teardown);
}
