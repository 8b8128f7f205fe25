/*
 * test_web_lookups.c - what the web interface asks the core library for:
 * the villages a login sees with where their months stand
 * (cj_village_months), the connection's own login (cj_login_self), and
 * whether the server used the password (cj_db_used_password).
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
#include <limits.h>

#include <cmocka.h>

#include "testdb.h"

#define DBNAME "test_web_lookups"

static cj_db *db, *bk;
static int v1, v2, v3;

static cj_db *
connect_as(const char *login, const char *password)
{
	char home[PATH_MAX], err[512];
	cj_db *c = NULL;

	assert_int_equal(cj_cluster_home(home, sizeof home, err, sizeof err), 0);
	if (cj_cluster_connect_as(home, DBNAME, login, password, &c, err, sizeof err)) {
		fprintf(stderr, "connect as %s: %s\n", login, err);
		exit(1);
	}
	return c;
}

static int
setup(void **state)
{
	const char *scope[] = {"360925100"};
	cj_period jan = {2025, 1};
	cj_org o;

	(void)state;
	db = testdb_open(DBNAME);
	testdb_orgs(db, &v1, &v2);
	if (cj_org_add(db, CJ_ORG_TOWNSHIP, "360925101", "宝峰镇", "360925", jan) ||
	    cj_org_add(db, CJ_ORG_VILLAGE, "360925101301", "马尾山村", "360925101", jan) ||
	    cj_org_find(db, "360925101301", &o) ||
	    cj_login_add(db, "wl_zhang", "张会计", CJ_LOGIN_BOOKKEEPER, "cj-test-pw", scope, 1,
			 NULL)) {
		fprintf(stderr, "setup: %s\n", cj_db_errmsg(db));
		return -1;
	}
	v3 = o.id;
	bk = connect_as("wl_zhang", "cj-test-pw");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cj_db_close(bk);
	cj_db_close(db);
	return 0;
}

static const cj_village_month *
find(const cj_village_month *m, size_t n, int id)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].village.id == id)
			return &m[i];
	return NULL;
}

static void
test_village_months(void **state)
{
	static const cj_line lines[] = {{"101", {10000}, {0}, NULL, NULL, 0, 0},
					{"501", {0}, {10000}, NULL, NULL, 0, 0}};
	cj_voucher v = {0};
	cj_village_month *m = NULL;
	const cj_village_month *a;
	cj_poster *p;
	cj_posted posted;
	int64_t ids[1];
	size_t n = 0;
	cj_period jan = {2025, 1};

	(void)state;
	/* the admin sees all three, none closed, nothing posted */
	assert_int_equal(cj_village_months(db, &m, &n), 0);
	assert_int_equal(n, 3);
	assert_non_null(a = find(m, n, v3));
	assert_string_equal(a->township, "宝峰镇");
	assert_string_equal(a->village.parent_code, "360925101");
	assert_false(a->has_closed);
	assert_false(a->has_vouchers);
	free(m);

	/* the bookkeeper's vouchers: one posted in March, two drafts, one closed month */
	assert_int_equal(cj_poster_new(&p, bk), 0);
	assert_int_equal(testdb_post2(p, v1, "2025-03-05", "101", "501", 5000, &posted), 0);
	cj_poster_free(p);
	v.village_id = v1;
	v.date = (cj_date){2025, 4, 2};
	v.summary = "草稿";
	v.lines = lines;
	v.nlines = 2;
	assert_int_equal(cj_draft_add(bk, &v, 1, ids, NULL), 0);
	assert_int_equal(cj_draft_add(bk, &v, 1, ids, NULL), 0);
	assert_int_equal(cj_draft_reject(db, v1, ids[0], "缺少发票"), 0);
	assert_int_equal(cj_period_close(db, v1, jan, NULL), 0);

	/* row-level security: the bookkeeper of 双溪镇 sees its two villages only */
	assert_int_equal(cj_village_months(bk, &m, &n), 0);
	assert_int_equal(n, 2);
	assert_null(find(m, n, v3));
	assert_non_null(a = find(m, n, v1));
	assert_string_equal(a->township, "测试镇");
	assert_true(a->has_closed);
	assert_int_equal(cj_period_cmp(a->last_closed, jan), 0);
	assert_true(a->has_vouchers);
	assert_int_equal(a->last_voucher.month, 3);
	assert_int_equal(a->drafts, 1);
	assert_int_equal(a->rejected, 1);
	assert_int_equal(a->reviewed, 0);
	assert_non_null(a = find(m, n, v2));
	assert_false(a->has_closed);
	assert_int_equal(a->drafts, 0);
	free(m);
}

static void
test_login_self(void **state)
{
	cj_login_kind kind;
	char name[128];

	(void)state;
	assert_int_equal(cj_login_self(bk, &kind, name, sizeof name), 0);
	assert_int_equal(kind, CJ_LOGIN_BOOKKEEPER);
	assert_string_equal(name, "张会计");
	assert_int_equal(cj_login_self(db, &kind, name, sizeof name), 0);
	assert_int_equal(kind, CJ_LOGIN_ADMIN);
	/* the bootstrap superuser is no login of the database */
	testdb_fails(testdb_super(db), cj_login_self(testdb_super(db), &kind, name, sizeof name),
		     CJ_ENOTFOUND, "no login of this database");
}

static void
test_used_password(void **state)
{
	(void)state;
	/* the admin got in by peer authentication, the bookkeeper by its password */
	assert_int_equal(cj_db_used_password(db), 0);
	assert_int_equal(cj_db_used_password(bk), 1);
	assert_int_equal(cj_db_used_password(NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_village_months),
		cmocka_unit_test(test_login_self),
		cmocka_unit_test(test_used_password),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
