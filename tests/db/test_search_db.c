/*
 * test_search_db.c - the inspector's reads across villages in the library:
 * the normal forms of names and document numbers (schema 0029), search by
 * payee, ID number and amount, a household's payments by fund, and the
 * county dashboard's counts, ratios and lights
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <reports/dashboard.h>
#include <reports/search.h>

#include "testdb.h"

static cj_db *db;
static cj_poster *poster;
static int v1, v2;

#define ID_HEAD "11010519491231002X"
#define ID_SON "110105196001010033"

/* a voucher paying fen out of cr to payee */
static void
pay(int village, const char *date, const char *dr, const char *cr, long long fen, const char *payee)
{
	cj_line l[2];
	cj_voucher v;
	cj_posted out;

	memset(l, 0, sizeof l);
	memset(&v, 0, sizeof v);
	l[0].account = dr;
	l[0].debit = cj_money_from_fen(fen);
	l[1].account = cr;
	l[1].credit = cj_money_from_fen(fen);
	l[1].counterparty = payee;
	v.village_id = village;
	assert_int_equal(cj_date_parse(&v.date, date), 0);
	v.summary = "付款";
	v.lines = l;
	v.nlines = 2;
	assert_int_equal(cj_post_batch(poster, &v, 1, &out), 0);
}

static int
setup(void **state)
{
	char sql[512];

	(void)state;
	db = testdb_open("test_search_db");
	assert_int_equal(cj_poster_new(&poster, db), 0);
	testdb_orgs(db, &v1, &v2);
	assert_int_equal(cj_account_add(db, v1, "102001", "农商行"), 0);
	assert_int_equal(cj_account_add(db, v2, "102001", "农商行"), 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-01-02", "102001", "501", 10000000, NULL), 0);
	assert_int_equal(testdb_post2(poster, v2, "2025-01-02", "102001", "501", 10000000, NULL), 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-01-03", "101", "102001", 500000, NULL), 0);
	pay(v1, "2025-03-01", "153", "102001", 1200000, "ＡＢＣ 商贸有限公司");
	pay(v2, "2025-04-01", "153", "102001", 300000, "abc商贸有限责任公司");
	pay(v2, "2025-04-02", "153", "102001", 250000, "别的公司");
	pay(v1, "2025-05-01", "513", "101", 180000, "H01");  /* to the household's code */
	pay(v1, "2025-05-02", "513", "102001", 70000, "周小"); /* to the son, by name */
	snprintf(sql, sizeof sql,
		 "INSERT INTO household (village_id, code, head_name, head_id_number, bank_account)"
		 " VALUES (%d, 'H01', '周大', '%s', '6221 0001');"
		 "INSERT INTO household_member (village_id, household_code, seq, name, id_number, relation)"
		 " VALUES (%d, 'H01', 1, '周大', '%s', '户主'), (%d, 'H01', 2, '周小', '%s', '子女')",
		 v1, ID_HEAD, v1, ID_HEAD, v1, ID_SON);
	testdb_ok(db, sql);
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

static const char *
cell(const cj_report *r, size_t t, size_t row, size_t col)
{
	const char *s = r->tables[t]->rows[row].cells[col].text;
	return s ? s : "";
}

static int64_t
num(const cj_report *r, size_t t, size_t row, size_t col)
{
	return r->tables[t]->rows[row].cells[col].value;
}

static void
test_normal_forms(void **state)
{
	(void)state;
	assert_int_equal(testdb_int(db, "SELECT (name_norm('ＡＢＣ 商贸有限公司') = 'abc商贸公司')::int"), 1);
	assert_int_equal(testdb_int(db, "SELECT (name_norm('abc商贸有限责任公司') = 'abc商贸公司')::int"), 1);
	assert_int_equal(testdb_int(db, "SELECT (name_norm('某某股份有限公司') = '某某公司')::int"), 1);
	assert_int_equal(testdb_int(db, "SELECT (name_norm('张　三') = '张三')::int"), 1);
	assert_int_equal(testdb_int(db, "SELECT count(DISTINCT doc_norm(d)) FROM unnest(ARRAY["
					"'靖财农〔2025〕12号', '靖财农[2025]12号', '靖财农（2025）12号',"
					"'靖财农(2025)12号', '靖财农【2025】12号', '靖财农 ［２０２５］ １２号']) d"),
			 1);
	assert_int_equal(testdb_int(db, "SELECT (doc_norm('靖财农〔2025〕12号') <> doc_norm('靖财农〔2025〕13号'))::int"), 1);
}

static void
test_search(void **state)
{
	cj_search_request q = {.org = "360925", .payee = "ABC商贸 公司"};
	cj_report *r;
	const cj_table *t;

	(void)state;
	assert_int_equal(cj_search(db, &q, &r), 0);
	t = r->tables[0];
	assert_int_equal(t->nrows, 3); /* both villages' lines, the 合计 */
	assert_string_equal(cell(r, 0, 0, 0), "360925100301");
	assert_string_equal(cell(r, 0, 1, 0), "360925100302");
	assert_int_equal(t->rows[2].kind, CJ_ROW_TOTAL);
	assert_int_equal(num(r, 0, 2, 10), 1500000);
	cj_report_free(r);

	/* amounts and dates: 2,500 to 3,000 yuan in April */
	q = (cj_search_request){.org = "360925", .min_fen = 250000, .max_fen = 300000,
				.from = {2025, 4, 1}, .to = {2025, 4, 30}};
	assert_int_equal(cj_search(db, &q, &r), 0);
	assert_int_equal(r->tables[0]->nrows, 3);
	cj_report_free(r);
	q.to = (cj_date){2025, 4, 1};
	assert_int_equal(cj_search(db, &q, &r), 0);
	assert_int_equal(r->tables[0]->nrows, 2);
	cj_report_free(r);

	/* the son's ID number: the household's code and both names */
	q = (cj_search_request){.org = "360925100", .id_number = ID_SON};
	assert_int_equal(cj_search(db, &q, &r), 0);
	assert_int_equal(num(r, 0, r->tables[0]->nrows - 1, 10), 250000);
	assert_int_equal(r->ntables, 2);
	assert_string_equal(cell(r, 1, 0, 4), "成员身份证号");
	cj_report_free(r);
	q = (cj_search_request){.org = "360925", .account = "62210001"};
	assert_int_equal(cj_search(db, &q, &r), 0);
	assert_string_equal(cell(r, 1, 0, 4), "银行账号");
	cj_report_free(r);

	q = (cj_search_request){.org = "360925"};
	testdb_fails(db, cj_search(db, &q, &r), CJ_EINVAL, "say what to look for");
	assert_null(r);
	q = (cj_search_request){.org = "360925", .min_fen = 10, .max_fen = 5};
	testdb_fails(db, cj_search(db, &q, &r), CJ_EINVAL, "least amount is above the most");
}

static void
test_household(void **state)
{
	cj_report *r;
	const cj_table *t;

	(void)state;
	assert_int_equal(cj_household_paid(db, "360925", ID_HEAD, &r), 0);
	t = r->tables[0];
	/* one fund (the village's own money): two payments, 小计, 合计 */
	assert_int_equal(t->nrows, 4);
	assert_string_equal(cell(r, 0, 0, 0), "村集体资金（无专项资金）");
	assert_string_equal(cell(r, 0, 0, 3), "周大（H01）");
	assert_int_equal(t->rows[2].kind, CJ_ROW_SUBTOTAL);
	assert_int_equal(t->rows[3].kind, CJ_ROW_TOTAL);
	assert_int_equal(num(r, 0, 3, 8), 250000);
	assert_string_equal(cell(r, 1, 0, 4), "户主");
	cj_report_free(r);
	testdb_fails(db, cj_household_paid(db, "360925", "110105195001010012", &r), CJ_ENOTFOUND,
		     "no household under 360925");
	assert_null(r);
}

static void
test_dashboard(void **state)
{
	cj_report *r;
	const cj_table *t;
	size_t light, cash, red;

	(void)state;
	assert_int_equal(cj_audit_dashboard(db, "360925", (cj_date){2025, 1, 1}, (cj_date){2025, 12, 31}, &r), 0);
	t = r->tables[0];
	light = t->ncols - 1;
	cash = t->ncols - 3;
	red = t->ncols - 6;
	assert_int_equal(t->nrows, 4); /* two villages, the township's 小计, 合计 */
	/* 301 paid 1,800 in cash (R11 above 1,000 yuan: 黄) of 1,800 + 12,000 + 700 */
	assert_string_equal(cell(r, 0, 0, light), "黄灯");
	assert_int_equal(num(r, 0, 0, cash), (180000 * 1000 + 1450000 / 2) / 1450000);
	assert_string_equal(cell(r, 0, 1, light), "绿灯");
	assert_int_equal(num(r, 0, 1, cash), 0);
	assert_int_equal(t->rows[2].kind, CJ_ROW_SUBTOTAL);
	assert_int_equal(num(r, 0, 3, red), 0);
	/* the township's ratio is its own figure: 1,800 of all 20,000 paid */
	assert_int_equal(num(r, 0, 2, cash), (180000 * 1000 + 2000000 / 2) / 2000000);
	assert_non_null(r->tables[1]->chart);
	cj_report_free(r);
	testdb_fails(db, cj_audit_dashboard(db, "360925100301", (cj_date){2025, 1, 1}, (cj_date){2025, 12, 31}, &r),
		     CJ_EINVAL, "is a village");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal_forms),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_household),
		cmocka_unit_test(test_dashboard),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
