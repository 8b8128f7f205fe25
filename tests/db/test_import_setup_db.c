/*
 * test_import_setup_db.c - cj_import_orgs and cj_import_accounts against the
 * embedded PostgreSQL: a good file adds every row as the single adds would;
 * a file with problems names each by row and column and writes nothing; a
 * row the database refuses is named and nothing of the file stays; a dry run
 * writes nothing; inside the caller's transaction a refusal takes back only
 * the import's own writes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <importers/setup_import.h>

#include "testdb.h"
#include "testimport.h"

static cj_db *db;
static int v1, v2;

static int
setup(void **state)
{
	(void)state;
	db = testdb_open("test_import_setup_db");
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
import(int accounts, const char *text, int dry_run, testimport_problems *ps,
       cj_setup_import_result *r)
{
	cj_setup_import_opts o = {.name = "setup.csv", .dry_run = dry_run};
	int err;

	o.cb = testimport_collect(ps);
	err = accounts ? cj_import_accounts(db, testimport_file(text), &o, r)
		       : cj_import_orgs(db, testimport_file(text), &o, r);
	testimport_unlink();
	return err;
}

static long long
orgs(void)
{
	return testdb_int(db, "SELECT count(*) FROM cunji.org");
}

static const char township[] =
	"级别,代码,名称,上级代码,建账月份\n"
	"乡镇,360925200,新镇,360925,\n"
	"村,360925200201,东村,360925200,2025-03\n"
	"village,360925200202,西村,360925200,\n";

static void
test_orgs_added(void **state)
{
	testimport_problems ps;
	cj_setup_import_result r;
	cj_org o;

	(void)state;
	assert_int_equal(import(0, township, 0, &ps, &r), 0);
	assert_int_equal(r.rows, 3);
	assert_int_equal(r.townships, 1);
	assert_int_equal(r.villages, 2);
	assert_int_equal(ps.n, 0);
	assert_int_equal(cj_village_find(db, "360925200201", &o), 0);
	assert_int_equal(o.start.year, 2025);
	assert_int_equal(o.start.month, 3);
	/* a village from a file gets the standard chart, as cj_org_add gives it */
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.account a JOIN cunji.org o"
					" ON o.id = a.village_id WHERE o.code = '360925200202'"),
			 testdb_int(db, "SELECT count(*) FROM cunji.account a JOIN cunji.org o"
					" ON o.id = a.village_id WHERE o.code = '360925100301'"));
}

static void
test_org_problems_named(void **state)
{
	testimport_problems ps;
	cj_setup_import_result r;
	long long before = orgs();

	(void)state;
	assert_int_equal(import(0,
				"level,code,name,parent,books_from\n"
				"city,360925300,某镇,360925,\n"
				"township,360925301,,360925,\n"
				"township,360925302,三镇,360925,2025-01\n"
				"village,360925302201,三村,360925302,2025-13\n",
				0, &ps, &r),
			 CJ_EINVAL);
	assert_int_equal(ps.n, 4);
	testimport_expect(&ps, 2, "level", "'city' is not 县, 乡镇 or 村");
	testimport_expect(&ps, 3, "name", "is empty");
	testimport_expect(&ps, 4, "books_from", "'2025-01' is for villages");
	testimport_expect(&ps, 5, "books_from", "'2025-13' is not a month");
	assert_int_equal(orgs(), before);

	assert_int_equal(import(0, "level,name\ncounty,某县\n", 0, &ps, &r), CJ_EINVAL);
	testimport_expect(&ps, 1, NULL, "the header lacks the column 代码 (code)");
}

/* The database refuses a row: its row is named, nothing of the file stays. */
static void
test_org_refused_by_database(void **state)
{
	testimport_problems ps;
	cj_setup_import_result r;
	long long before = orgs();

	(void)state;
	assert_int_equal(import(0,
				"level,code,name,parent\n"
				"township,360925400,四镇,360925\n"
				"village,360926400201,外县村,360925400\n",
				0, &ps, &r),
			 CJ_EINVAL);
	assert_int_equal(ps.n, 0);
	assert_non_null(strstr(cj_db_errmsg(db), "setup.csv: row 3: "));
	assert_int_equal(orgs(), before);
}

static void
test_dry_run_writes_nothing(void **state)
{
	testimport_problems ps;
	cj_setup_import_result r;
	long long before = orgs();

	(void)state;
	assert_int_equal(import(0, "level,code,name,parent\ntownship,360925500,五镇,360925\n", 1,
				&ps, &r),
			 0);
	assert_int_equal(r.rows, 1);
	assert_int_equal(orgs(), before);
}

/* In the caller's transaction: the caller's own write survives a refused
 * file, and a good file is the caller's to commit or roll back. */
static void
test_in_the_callers_transaction(void **state)
{
	testimport_problems ps;
	cj_setup_import_result r;
	cj_period start = {2025, 1};
	long long before = orgs();

	(void)state;
	assert_int_equal(cj_db_begin(db), 0);
	assert_int_equal(cj_org_add(db, CJ_ORG_TOWNSHIP, "360925600", "六镇", "360925", start), 0);
	assert_int_equal(import(0,
				"level,code,name,parent\n"
				"village,360925600201,六村,360925600\n"
				"village,360925600201,六村,360925600\n",
				0, &ps, &r),
			 CJ_EEXISTS);
	assert_non_null(strstr(cj_db_errmsg(db), "setup.csv: row 3: "));
	assert_int_equal(orgs(), before + 1);
	assert_int_equal(import(0, "level,code,name,parent\nvillage,360925600202,七村,360925600\n",
				0, &ps, &r),
			 0);
	assert_int_equal(orgs(), before + 2);
	/* the caller changes its mind: nothing of either stays (an import that
	 * committed on its own would have kept both) */
	cj_db_rollback(db);
	assert_int_equal(orgs(), before);
}

static void
test_accounts(void **state)
{
	testimport_problems ps;
	cj_setup_import_result r;
	cj_account a;

	(void)state;
	assert_int_equal(import(1,
				"村代码,科目代码,科目名称\n"
				"360925100301,102001,农商行\n"
				"360925100301,102001001,基本户\n"
				"360925100302,501001,发包收入\n",
				0, &ps, &r),
			 0);
	assert_int_equal(r.rows, 3);
	assert_int_equal(cj_account_find(db, v1, "102001001", &a), 0);
	assert_string_equal(a.name, "基本户");
	assert_int_equal(cj_account_find(db, v2, "501001", &a), 0);

	/* a village that is not one, and an empty name: both named, nothing added */
	assert_int_equal(import(1,
				"village,code,name\n"
				"360925100,102002,信用社\n"
				"360925100302,102002,\n",
				0, &ps, &r),
			 CJ_EINVAL);
	assert_int_equal(ps.n, 2);
	testimport_expect(&ps, 2, "village", "'360925100' is not a village's code");
	testimport_expect(&ps, 3, "name", "is empty");

	/* the database refuses the third row (no parent 999): nothing stays */
	assert_int_not_equal(import(1,
				    "village,code,name\n"
				    "360925100302,102002,信用社\n"
				    "360925100302,999001,无此科目\n",
				    0, &ps, &r),
			     0);
	assert_int_equal(ps.n, 0);
	assert_non_null(strstr(cj_db_errmsg(db), "setup.csv: row 3: "));
	assert_int_equal(cj_account_find(db, v2, "102002", &a), CJ_ENOTFOUND);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orgs_added),
		cmocka_unit_test(test_org_problems_named),
		cmocka_unit_test(test_org_refused_by_database),
		cmocka_unit_test(test_dry_run_writes_nothing),
		cmocka_unit_test(test_in_the_callers_transaction),
		cmocka_unit_test(test_accounts),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
