/*
 * test_import_members_db.c - cj_import_members against the embedded
 * PostgreSQL: a good file registers its households, people and shares; a
 * bad one writes nothing and names file, row and column; importing it
 * again adds nothing; a dry run writes nothing; inside the caller's
 * transaction a refusal takes back only the import's writes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <importers/member_import.h>

#include "testdb.h"
#include "testimport.h"

static cj_db *db;
static int v1, v2;

static int
setup(void **state)
{
	(void)state;
	db = testdb_open("test_import_members_db");
	testdb_orgs(db, &v1, &v2);
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
import(const char *village, const char *text, int dry_run, testimport_problems *ps,
       cj_member_import_result *r)
{
	cj_member_import_opts o = {.village = village, .name = "members.csv", .dry_run = dry_run};
	int err;

	o.cb = testimport_collect(ps);
	err = cj_import_members(db, testimport_file(text), &o, r);
	testimport_unlink();
	return err;
}

static long long
count(const char *table, int village)
{
	char sql[160];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM cunji.%s WHERE village_id = %d", table,
		 village);
	return testdb_int(db, sql);
}

/* Two households; 0102's shares on its second row, dated; 0101's not. */
static const char members[] =
	"序号,户编号,姓名,身份证号,与户主关系,电话,户类型,人口股,劳龄股,股权生效日期\n"
	"1,0101,周德明,360925195803121318,户主,13907951234,,4,2.5,\n"
	"2,0101,刘桂英,360925196008051423,配偶,,,,,\n"
	"3,0102,黄国平,36092519650921215X,户主,,脱贫户,,,\n"
	"4,0102,陈秀兰,360925196704022263,配偶,15179512345,,3,,2025/7/1\n";

static void
test_good_file(void **state)
{
	testimport_problems ps;
	cj_member_import_result r;

	(void)state;
	assert_int_equal(import("360925100301", members, 1, &ps, &r), 0);
	assert_int_equal(r.households, 2);
	assert_int_equal(count("household", v1), 0); /* the dry run wrote nothing */

	assert_int_equal(import("360925100301", members, 0, &ps, &r), 0);
	assert_int_equal(ps.n, 0);
	assert_int_equal(ps.notes, 1);
	assert_non_null(strstr(ps.note, "members.csv: ignoring column 序号"));
	assert_string_equal(r.encoding, "UTF-8");
	assert_int_equal(r.households, 2);
	assert_int_equal(r.people, 4);
	assert_int_equal(r.shares_centi, 950);
	assert_int_equal(r.type_centi[0], 700); /* 人口股 */
	assert_int_equal(r.type_centi[1], 250); /* 劳龄股 */
	assert_true(r.defaulted);
	assert_int_equal(r.books_start.year, 2025);
	assert_int_equal(r.books_start.month, 1);
	assert_int_equal(count("household", v1), 2);
	assert_int_equal(count("household_member", v1), 4);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.household WHERE code = '0102' "
					"AND head_name = '黄国平' AND phone = '15179512345' "
					"AND poverty_status = '脱贫户'"),
			 1);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.share_holding WHERE "
					"(household_code = '0101' AND effective_from = '2025-01-01') "
					"OR (household_code = '0102' AND effective_from = '2025-07-01')"),
			 3);
}

static void
test_reimport_adds_nothing(void **state)
{
	testimport_problems ps;
	cj_member_import_result r;

	(void)state;
	assert_int_equal(import("360925100301", members, 0, &ps, &r), CJ_EINVAL);
	testimport_expect(&ps, 2, "户编号", "'0101' is already in the register of this village");
	testimport_expect(&ps, 5, "身份证号",
			  "'360925196704022263' is already registered in this village, in "
			  "household 0102");
	assert_int_equal(count("household", v1), 2);
	assert_int_equal(count("household_member", v1), 4);
}

static void
test_bad_file_writes_nothing(void **state)
{
	testimport_problems ps;
	cj_member_import_result r;

	(void)state;
	assert_int_equal(import("360925100302",
				"户编号,姓名,身份证号,与户主关系,人口股,福利股\n"
				"0201,赵大山,360925197001011239,户主,3,\n"
				"0202,孙立,360925199508181358,户主,1.234,\n"
				"0202,李红,360925197001011239,女,,\n"
				"0203,周梅,360925196909194229,配偶,,\n",
				0, &ps, &r),
			 CJ_EINVAL);
	assert_string_equal(ps.p[0].file, "members.csv");
	testimport_expect(&ps, 1, "福利股", "is not a share type");
	testimport_expect(&ps, 3, "身份证号", "'360925199508181358' has a wrong check digit");
	testimport_expect(&ps, 3, "人口股", "'1.234' is not a number of shares");
	testimport_expect(&ps, 4, "身份证号", "'360925197001011239' is also on row 2");
	testimport_expect(&ps, 5, "与户主关系", "household 0203 has no row whose 与户主关系 is 户主");
	for (size_t i = 1; i < ps.n; i++)
		assert_true(ps.p[i - 1].row <= ps.p[i].row);
	assert_int_equal(r.nproblems, ps.n);
	assert_string_equal(cj_db_errmsg(db), "members.csv: 5 problems; nothing was imported");
	assert_int_equal(count("household", v2), 0);
	assert_int_equal(count("share_holding", v2), 0);
}

/* Inside the caller's transaction: a refused file leaves the caller's
 * household and transaction as they were; a good one commits with it. */
static void
test_in_the_callers_transaction(void **state)
{
	testimport_problems ps;
	cj_member_import_result r;
	cj_household h = {.code = "0301", .head_name = "吴刚", .head_id_number = "360925199111305333"};

	(void)state;
	assert_int_equal(cj_db_begin(db), 0);
	assert_int_equal(cj_household_add(db, v2, &h), 0);
	assert_int_equal(import("360925100302",
				"户编号,姓名,身份证号,与户主关系\n"
				"0302,孙立,360925199111305333,户主\n",
				0, &ps, &r),
			 CJ_EINVAL);
	testimport_expect(&ps, 2, "身份证号", "is already registered in this village, in household 0301");
	assert_int_equal(import("360925100302",
				"户编号,姓名,身份证号,与户主关系\n"
				"0302,孙立,360925199508181359,户主\n",
				0, &ps, &r),
			 0);
	assert_int_equal(cj_db_commit(db), 0);
	assert_int_equal(count("household", v2), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_reimport_adds_nothing),
		cmocka_unit_test(test_bad_file_writes_nothing),
		cmocka_unit_test(test_in_the_callers_transaction),
	};

	return cmocka_run_group_tests_name("import_members_db", tests, setup, teardown);
}
