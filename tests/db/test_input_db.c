/*
 * test_input_db.c - what the books accept as codes, dates and free text
 * (schema 0011): each rule broken through the library (the C check, with a
 * message naming what is wrong) and through raw SQL (the database refuses,
 * matched on its SQLSTATE and constraint)
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
setup(void **state)
{
	(void)state;
	db = testdb_open("test_input_db");
	assert_int_equal(cj_poster_new(&poster, db), 0);
	testdb_orgs(db, &v1, &v2);
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

/* A voucher of village v1 by raw SQL: its summary, date and the lines'
 * (summary, counterparty) as SQL expressions. */
static const char *
raw_voucher(long long id, const char *date, const char *summary, const char *line_summary,
	    const char *counterparty)
{
	static char sql[4096];

	snprintf(sql, sizeof sql,
		 "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, summary, "
		 "content_hash) SELECT %d, %lld, date_trunc('month', %s::date), "
		 "public.reserve_numbers(%d, %s::date, 1) + 1, %s, %s, 'x'; "
		 "INSERT INTO cunji.voucher_line (village_id, voucher_id, line_no, period, account_code, "
		 "debit_fen, credit_fen, summary, counterparty) SELECT %d, %lld, n, date_trunc('month', "
		 "%s::date), a, d, c, %s, %s FROM (VALUES (1, '101', 100, 0), (2, '501', 0, 100)) "
		 "AS t(n, a, d, c)",
		 v1, 2000000000 + id, date, v1, date, date, summary, v1, 2000000000 + id, date,
		 line_summary, counterparty);
	return sql;
}

/* Post a two-line voucher of v1 through the library; its status. */
static int
post(const char *date, const char *summary, const char *counterparty)
{
	cj_line lines[2];
	cj_voucher v;
	cj_posted out;

	memset(lines, 0, sizeof lines);
	memset(&v, 0, sizeof v);
	lines[0].account = "101";
	lines[0].debit = cj_money_from_fen(100);
	lines[1].account = "501";
	lines[1].credit = cj_money_from_fen(100);
	lines[1].counterparty = counterparty;
	v.village_id = v1;
	if (cj_date_parse(&v.date, date))
		return CJ_EINVAL;
	v.summary = summary;
	v.lines = lines;
	v.nlines = 2;
	return cj_post_batch(poster, &v, 1, &out);
}

/* Summaries and counterparties with control characters, escape codes, line
 * breaks or bidirectional controls are refused by cunji post (the library)
 * and by the database. */
static void
test_free_text(void **state)
{
	(void)state;
	assert_int_equal(post("2025-03-05", "收到\n承包费", NULL), CJ_EINVAL);
	assert_non_null(strstr(cj_db_errmsg(db), "the summary (摘要) holds a line break (U+000A) "
						 "after '收到'"));
	assert_null(strchr(cj_db_errmsg(db), '\n')); /* not echoed on the terminal */
	assert_int_equal(post("2025-03-05", "收到承包费", "张三\x1b[31m"), CJ_EINVAL);
	assert_non_null(strstr(cj_db_errmsg(db), "line 2 (account 501): the counterparty (往来单位) "
						 "holds an escape code (U+001B) after '张三'"));
	testdb_fails(db, post("2025-03-05", "收到\t承包费", NULL), CJ_EINVAL,
		     "the summary (摘要) holds a tab (U+0009) after '收到'");
	assert_int_equal(post("2025-03-05", "收到\xe2\x80\xae费包承", NULL), CJ_EINVAL);
	assert_non_null(strstr(cj_db_errmsg(db), "bidirectional control (U+202E)"));
	/* text a spreadsheet would take for a formula is still text: the CSV
	 * writer neutralises it, the books keep it */
	assert_int_equal(post("2025-03-05", "=1+2 收到承包费", "@张三"), 0);

	assert_non_null(strstr(testdb_refused(db, raw_voucher(1, "'2025-03-05'", "E'收到\\n承包费'", "''",
							   "NULL"), "23514"), "voucher_summary_plain"));
	assert_non_null(strstr(testdb_refused(db, raw_voucher(2, "'2025-03-05'", "'收到承包费'", "''",
							   "E'张三\\x1b[31m'"), "23514"), "voucher_line_counterparty_plain"));
	assert_non_null(strstr(testdb_refused(db, raw_voucher(3, "'2025-03-05'", "'收到承包费'", "''",
							   "U&'\\202E张三'"), "23514"), "voucher_line_counterparty_plain"));
	/* a line's own summary: C only (its CHECK would cost the bulk import) */
	{
		cj_line lines[2] = {{.account = "101", .debit = {100}},
				    {.account = "501", .credit = {100}, .summary = "行\r摘要"}};
		cj_voucher v = {.village_id = v1, .date = {2025, 3, 5}, .summary = "收到",
				.lines = lines, .nlines = 2};
		cj_posted out;
		assert_int_equal(cj_post_batch(poster, &v, 1, &out), CJ_EINVAL);
		assert_non_null(strstr(cj_db_errmsg(db), "line 2 (account 501): the line summary holds "
							 "a carriage return (U+000D)"));
	}
	assert_non_null(strstr(testdb_refused(db, raw_voucher(5, "'2025-03-05'", "U&'\\0085收到'", "''",
							   "NULL"), "23514"), "voucher_summary_plain"));
	/* the same voucher with clean text goes in */
	testdb_ok(db, "BEGIN");
	testdb_ok(db, raw_voucher(6, "'2025-03-05'", "'收到承包费（三月）'", "''", "'张三'"));
	testdb_ok(db, "ROLLBACK");

	assert_non_null(strstr(testdb_refused(db, "UPDATE cunji.org SET name = E'一\\t村' WHERE code = "
					       "'360925100301'", "23514"), "org_name_plain"));
	assert_non_null(strstr(testdb_refused(db, "INSERT INTO cunji.account (village_id, code, name, "
					       "parent_code, category, normal_side) VALUES ("
					       "(SELECT id FROM cunji.org WHERE code = '360925100301'), "
					       "'102002', E'农商行\\n', '102', 'asset', 'D')", "23514"), "account_name_plain"));
	testdb_fails(db, cj_account_add(db, v1, "102002", "农商\x1b[0m行"), CJ_EINVAL,
		     "holds an escape code (U+001B) after '农商'");
	assert_int_equal(cj_org_add(db, CJ_ORG_VILLAGE, "360925100309", "九\n村", "360925100",
				    (cj_period){2025, 1}),
			 CJ_EINVAL);
	assert_non_null(strstr(cj_db_errmsg(db), "the name of 360925100309 holds a line break"));
}

/* What the disclosure sheets print of the register, funds and projects
 * (schema 0019): refused with a control or bidirectional character, in C and
 * by the database. */
static void
test_register_text(void **state)
{
	char id[19] = "36092519800101001", sql[400];
	cj_person spouse = {.name = "王芳", .id_number = NULL, .relation = "配\n偶"};
	cj_household h = {.code = "T1", .head_name = "\xE2\x80\xAE张三", .head_id_number = id};
	cj_fund_spec f = {.code = "F1", .name = "衔接\t资金", .kind = "社会捐赠",
			  .source_level = "社会", .granted_fen = 100};
	cj_project_spec pr = {.code = "P1", .name = "道路\x1b[31m", .category = "基础设施"};

	(void)state;
	id[17] = cj_id_check_char(id);
	id[18] = '\0';
	testdb_fails(db, cj_household_add(db, v1, &h), CJ_EINVAL,
		     "household T1: the head's name (户主) holds a bidirectional control (U+202E)");
	h.head_name = "张三";
	h.people = &spouse;
	h.npeople = 1;
	spouse.id_number = "110101199003070011";
	testdb_fails(db, cj_household_add(db, v1, &h), CJ_EINVAL,
		     "household T1: person 2: the relation (与户主关系) holds a line break");
	testdb_fails(db, cj_fund_add(db, v1, &f, NULL), CJ_EINVAL,
		     "fund: the name holds a tab");
	testdb_fails(db, cj_project_add(db, v1, &pr, NULL), CJ_EINVAL,
		     "project: the name holds an escape code");

	snprintf(sql, sizeof sql,
		 "INSERT INTO cunji.household (village_id, code, head_name, head_id_number) "
		 "VALUES (%d, 'T2', U&'\\202E张三', '%s')", v1, id);
	assert_non_null(strstr(testdb_refused(db, sql, "23514"), "household_text_plain"));
	snprintf(sql, sizeof sql,
		 "INSERT INTO cunji.fund_allocation (county_id, doc_no, doc_date, name, kind, "
		 "source_level, total_fen) SELECT id, E'靖财\\n12号', '2025-03-01', '衔接', '社会捐赠', "
		 "'社会', 100 FROM cunji.org "
		 "WHERE code = '360925'");
	assert_non_null(strstr(testdb_refused(db, sql, "23514"), "fund_allocation_text_plain"));
	snprintf(sql, sizeof sql,
		 "INSERT INTO cunji.project (village_id, code, name, category) "
		 "VALUES (%d, 'P2', E'道路\\r', '基础设施')", v1);
	assert_non_null(strstr(testdb_refused(db, sql, "23514"), "project_text_plain"));
}

/* The books' dates run from 1949-10-01 to the last day of next year. */
static void
test_dates(void **state)
{
	char last[32], after[32], sql[512];
	int next = cj_date_today().year + 1;

	(void)state;
	snprintf(last, sizeof last, "%d-12-31", next);
	snprintf(after, sizeof after, "%d-01-01", next + 1);
	assert_int_equal(post("9999-12-31", "收到承包费", NULL), CJ_EINVAL);
	snprintf(sql, sizeof sql, "the date 9999-12-31 is outside the books' dates (1949-10-01 to "
				  "%s)", last);
	assert_non_null(strstr(cj_db_errmsg(db), sql));
	snprintf(sql, sizeof sql, "the date %s is outside the books' dates (1949-10-01 to %s)", after,
		 last);
	testdb_fails(db, post(after, "收到承包费", NULL), CJ_EINVAL, sql);
	assert_int_equal(post(last, "收到承包费", NULL), 0);

	snprintf(sql, sizeof sql, "'%s'", after);
	assert_non_null(strstr(testdb_refused(db, raw_voucher(10, "'9999-12-31'", "'x'", "''", "NULL"), "23514"), "voucher_date_in_books"));
	assert_non_null(strstr(testdb_refused(db, raw_voucher(11, sql, "'x'", "''", "NULL"), "23514"), "voucher_date_in_books"));
	assert_non_null(strstr(testdb_refused(db, raw_voucher(12, "'1949-09-30'", "'x'", "''", "NULL"), "23514"), "voucher_date_in_books"));
	/* a village's books, an allocation */
	assert_int_equal(cj_org_add(db, CJ_ORG_VILLAGE, "360925100309", "九村", "360925100",
				    (cj_period){9999, 1}),
			 CJ_EINVAL);
	assert_non_null(strstr(cj_db_errmsg(db), "cannot start in 9999-01"));
	assert_non_null(strstr(testdb_refused(db, "INSERT INTO cunji.org (level, code, name, parent_id) "
					       "SELECT 'village', '360925100308', '八村', id FROM cunji.org "
					       "WHERE code = '360925100'; INSERT INTO cunji.village_books "
					       "(village_id, start_period) SELECT id, '9999-01-01' FROM "
					       "cunji.org WHERE code = '360925100308'", "23514"), "village_books_start_in_books"));
	assert_non_null(strstr(testdb_refused(db, "INSERT INTO cunji.fund_allocation (county_id, doc_no, "
					       "doc_date, name, kind, source_level, total_fen) SELECT id, "
					       "'文1', '2205-03-01', '衔接', '衔接推进乡村振兴补助资金', "
					       "'中央', 100 FROM cunji.org WHERE code = '360925'", "23514"), "fund_allocation_date_in_books"));
}

/* Codes are 统计用区划代码: 6, 9 and 12 digits, each starting with its
 * parent's. */
static void
test_org_codes(void **state)
{
	cj_period start = {2025, 1};

	(void)state;
	assert_int_equal(cj_org_add(db, CJ_ORG_VILLAGE, "36092510020A", "字母村", "360925100", start),
			 CJ_EINVAL);
	assert_non_null(strstr(cj_db_errmsg(db), "'36092510020A' is not a village code: 12 digits"));
	assert_int_equal(cj_org_add(db, CJ_ORG_VILLAGE, "360926100201", "邻县村", "360925100", start),
			 CJ_EINVAL);
	assert_non_null(strstr(cj_db_errmsg(db), "village code 360926100201 does not start with its "
						 "township's code 360925100"));
	testdb_fails(db, cj_org_add(db, CJ_ORG_TOWNSHIP, "360926101", "邻县镇", "360925", start),
		     CJ_EINVAL, "township code 360926101 does not start with its county's code 360925");
	testdb_fails(db, cj_org_add(db, CJ_ORG_COUNTY, "C1", "县", NULL, start), CJ_EINVAL,
		     "'C1' is not a county code");
	testdb_fails(db, cj_org_add(db, CJ_ORG_VILLAGE, "360925100000", "零村", "360925100", start),
		     CJ_EINVAL, "'360925100000' ends in 000, which is the township's own code, not a "
		     "village's");
	assert_int_equal(cj_org_add(db, CJ_ORG_TOWNSHIP, "360925101", "宝峰镇", "360925", start), 0);

	assert_non_null(strstr(testdb_refused(db, "INSERT INTO cunji.org (level, code, name, parent_id) "
					       "SELECT 'village', '36092510020A', '字母村', id FROM "
					       "cunji.org WHERE code = '360925100'", "23514"), "org_code_structure"));
	assert_non_null(strstr(testdb_refused(db, "INSERT INTO cunji.org (level, code, name, parent_id) "
					       "SELECT 'village', '360925101201', '错镇村', id FROM "
					       "cunji.org WHERE code = '360925100'", "CJ010"), "does not start with its township's code 360925100"));
	assert_non_null(strstr(testdb_refused(db, "INSERT INTO cunji.org (level, code, name, parent_id) "
					       "SELECT 'township', '360926100', '邻县镇', id FROM "
					       "cunji.org WHERE code = '360925'", "CJ010"), "does not start with its county's code 360925"));
	assert_non_null(strstr(testdb_refused(db, "INSERT INTO cunji.org (level, code, name) "
					       "VALUES ('county', '36092', '短县')", "23514"), "org_code_structure"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_text),
		cmocka_unit_test(test_register_text),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_org_codes),
	};

	return cmocka_run_group_tests_name("input_db", tests, setup, teardown);
}
