/*
 * test_lists.c - what the tool used to do with its own SQL, now library
 * calls: the list builders (reports/lists*.c) on a small hand-made set, the
 * supervision number, the schema version, the journal of a span, and the
 * statements on the one period syntax
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <reports/lists.h>
#include <reports/statements.h>

#include "testdb.h"

static cj_db *db;
static cj_poster *poster;
static int v1, v2;

static int
setup(void **state)
{
	cj_fund_spec f = {.code = "XJ", .name = "衔接资金", .kind = "衔接推进乡村振兴补助资金",
			  .source_level = "中央", .doc_no = "文1", .doc_date = {2025, 3, 15},
			  .granted_fen = 6000000};
	int ids[1];
	int64_t parts[1] = {6000000}, id;
	cj_org county;

	(void)state;
	db = testdb_open("test_lists");
	assert_int_equal(cj_poster_new(&poster, db), 0);
	testdb_orgs(db, &v1, &v2);
	assert_int_equal(cj_account_add(db, v1, "102001", "农商行"), 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-03-05", "102001", "501", 120000, NULL), 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-07-10", "513", "102001", 30000, NULL), 0);
	assert_int_equal(cj_period_close(db, v1, (cj_period){2025, 1}, NULL), 0);
	assert_int_equal(cj_period_close(db, v1, (cj_period){2025, 2}, "月结"), 0);
	assert_int_equal(cj_period_reopen(db, v1, (cj_period){2025, 2}, "补记"), 0);
	ids[0] = v1;
	assert_int_equal(cj_org_find(db, "360925", &county), 0);
	assert_int_equal(cj_allocation_add(db, county.id, &f, ids, parts, 1, &id), 0);
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

/* The text of table t, row r, column c ("" for a blank or a number). */
static const char *
cell(const cj_report *r, size_t t, size_t row, size_t c)
{
	const cj_cell *x;

	assert_true(t < r->ntables && row < r->tables[t]->nrows && c < r->tables[t]->ncols);
	x = &r->tables[t]->rows[row].cells[c];
	return x->kind == CJ_CELL_TEXT ? x->text : "";
}

static int64_t
number(const cj_report *r, size_t t, size_t row, size_t c)
{
	const cj_cell *x = &r->tables[t]->rows[row].cells[c];

	assert_int_equal(x->kind, CJ_CELL_NUMBER);
	return x->value;
}

static char *
csv(const cj_report *r, long table)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(cj_render_csv(r, table, f), 0);
	fclose(f);
	return buf;
}

static void
test_lists_orgs_and_accounts(void **state)
{
	cj_report *r;
	char *s;

	(void)state;
	assert_int_equal(cj_list_orgs(db, "360925100", &r), 0);
	assert_int_equal(r->tables[0]->nrows, 3); /* the township and its two villages */
	assert_string_equal(cell(r, 0, 0, 1), "360925100");
	assert_string_equal(cell(r, 0, 2, 2), "二村");
	assert_int_equal(r->tables[0]->rows[2].level, 2);
	s = csv(r, 0);
	assert_non_null(strstr(s, "level,code,name,parent,books_from\n乡镇,360925100,测试镇,360925,\n"));
	free(s);
	cj_report_free(r);
	assert_int_equal(cj_list_orgs(db, "999999", &r), CJ_ENOTFOUND);
	assert_null(r);

	assert_int_equal(cj_list_accounts(db, "360925100301", &r), 0);
	{
		char sql[128];
		long first = 0;

		snprintf(sql, sizeof sql, "SELECT count(*) FROM account WHERE village_id = %d", v1);
		assert_int_equal(r->tables[0]->nrows, testdb_int(db, sql));
		for (size_t i = 0; i < r->tables[0]->nrows; i++)
			first += number(r, 0, i, 2) == 1;
		assert_int_equal(first, 42);
	}
	assert_string_equal(cell(r, 0, 2, 0), "102001");
	assert_int_equal(number(r, 0, 2, 2), 2);
	assert_int_equal(r->tables[0]->rows[2].level, 1);
	cj_report_free(r);
	assert_int_equal(cj_list_accounts(db, "360925100", &r), CJ_EINVAL); /* a township */
}

static void
test_lists_periods(void **state)
{
	cj_report *r;

	(void)state;
	assert_int_equal(cj_list_periods(db, "360925100301", &r), 0);
	assert_int_equal(r->ntables, 2);
	assert_int_equal(r->tables[0]->nrows, 2);
	assert_string_equal(cell(r, 0, 0, 0), "2025-01");
	assert_string_equal(cell(r, 0, 0, 1), "已结账");
	assert_string_equal(cell(r, 0, 1, 1), "未结账");
	assert_int_equal(r->tables[1]->nrows, 3);
	assert_string_equal(cell(r, 1, 2, 2), "反结账");
	assert_string_equal(cell(r, 1, 2, 4), "补记");
	cj_report_free(r);
}

static void
test_lists_funds(void **state)
{
	cj_report *r;
	char *s;
	cj_fund_info xj;
	cj_line l[2] = {{.account = "102001", .debit = {5000000}, .counterparty = "县财政局"},
			{.account = "241", .credit = {5000000}}};
	cj_voucher v = {.date = {2025, 4, 8}, .summary = "收到衔接资金", .lines = l, .nlines = 2};
	cj_posted out;

	(void)state;
	assert_int_equal(cj_fund_find(db, v1, "XJ", &xj), 0);
	l[0].fund_id = l[1].fund_id = xj.id;
	v.village_id = v1;
	assert_int_equal(cj_post_batch(poster, &v, 1, &out), 0);
	assert_int_equal(cj_list_funds(db, "360925", &r), 0);
	assert_int_equal(r->tables[0]->nrows, 2);
	assert_int_equal(r->tables[0]->rows[1].kind, CJ_ROW_TOTAL);
	assert_int_equal(number(r, 0, 1, 7), 6000000); /* granted */
	assert_int_equal(number(r, 0, 1, 8), 5000000); /* received */
	s = csv(r, 0);
	assert_non_null(strstr(s, "village,fund,name,kind,source,doc,status,granted_yuan,received_yuan,"
				  "spent_yuan,left_yuan\n"));
	free(s);
	cj_report_free(r);

	assert_int_equal(cj_list_fund(db, "360925100301", "XJ", &r), 0);
	assert_int_equal(r->ntables, 2);
	assert_string_equal(cell(r, 0, 0, 0), "XJ");
	assert_int_equal(r->tables[1]->nrows, 1); /* the receipt into the bank */
	assert_int_equal(number(r, 1, 0, 5), 5000000);
	cj_report_free(r);
	assert_int_equal(cj_list_fund(db, "360925100301", "NOPE", &r), CJ_ENOTFOUND);

	assert_int_equal(cj_list_trace(db, "360925", "文1", &r), 0);
	s = csv(r, 0);
	assert_non_null(strstr(s, "\n合计,1 个村,,,,文1 衔接资金,,,60000.00,50000.00,0.00,50000.00\n"));
	free(s);
	cj_report_free(r);
	assert_int_equal(cj_list_trace(db, "360925", "文9", &r), CJ_ENOTFOUND);
	assert_string_equal(cj_db_errmsg(db), "county 360925 has no allocation with document 文9");

	assert_int_equal(cj_list_projects(db, "360925100301", &r), 0);
	assert_int_equal(r->tables[0]->nrows, 1); /* only the 合计 of no project */
	assert_string_equal(cell(r, 0, 0, 1), "0 个项目");
	cj_report_free(r);
}

static void
test_lists_members(void **state)
{
	cj_person spouse = {.name = "王芳", .id_number = "110105195203040025", .relation = "配偶"};
	cj_share_spec shares[2] = {{.type = "人口股", .shares = "2"}, {.type = "劳龄股", .shares = "1.5"}};
	cj_household h = {.code = "H01", .head_name = "张建国", .head_id_number = "11010519491231002X",
			  .phone = "", .bank_name = "农商行", .bank_account = "6228480032110011234",
			  .poverty_status = "脱贫户", .people = &spouse, .npeople = 1, .shares = shares,
			  .nshares = 2};
	cj_member_register reg;
	cj_report *r;
	cj_org v;
	char *s;

	(void)state;
	assert_int_equal(cj_household_add(db, v2, &h), 0);
	assert_int_equal(cj_share_add(db, v2, NULL, "集体股", "0.5", (cj_date){2025, 1, 1}), 0);
	assert_int_equal(cj_org_find(db, "360925100302", &v), 0);
	assert_int_equal(cj_member_list(db, v2, (cj_date){2025, 6, 30}, &reg), 0);
	assert_int_equal(cj_list_members(&v, &reg, 0, &r), 0);
	/* H01, the collective, 合计: every share type a column, then the total */
	assert_int_equal(r->tables[0]->nrows, 3);
	assert_string_equal(cell(r, 0, 0, 2), "110105********002X");
	assert_string_equal(cell(r, 0, 0, 7), "****1234");
	assert_int_equal(number(r, 0, 0, 3), 2);
	assert_int_equal(number(r, 0, 0, 8 + CJ_SHARE_NTYPES), 350);
	assert_string_equal(cell(r, 0, 1, 1), "村集体");
	assert_int_equal(number(r, 0, 2, 8 + CJ_SHARE_NTYPES), 400);
	assert_string_equal(cell(r, 0, 2, 1), "1 户");
	s = csv(r, 0);
	assert_non_null(strstr(s, "\nH01,张建国,110105********002X,2,,脱贫户,农商行,****1234,2.00,1.50,"));
	free(s);
	cj_report_free(r);
	/* unmasked, for internal use only */
	assert_int_equal(cj_list_members(&v, &reg, 1, &r), 0);
	assert_string_equal(cell(r, 0, 0, 7), "6228480032110011234");
	assert_int_equal(r->nnotes, 0);
	cj_report_free(r);
	cj_member_register_free(&reg);
}

static void
test_hotline(void **state)
{
	cj_org o;

	(void)state;
	assert_int_equal(cj_org_set_hotline(db, "360925100", "0795-4662345", &o), 0);
	assert_string_equal(o.name, "测试镇");
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM org WHERE hotline = '0795-4662345'"), 1);
	/* refused in C, with nothing changed: a control character, too long, no such code */
	assert_int_equal(cj_org_set_hotline(db, "360925100", "0795\n4662345", NULL), CJ_EINVAL);
	assert_non_null(strstr(cj_db_errmsg(db), "line break"));
	assert_int_equal(cj_org_set_hotline(db, "360925100",
					     "0795-46623450795-46623450795-46623450795-46623450795-"
					     "46623450", NULL),
			 CJ_EINVAL);
	assert_non_null(strstr(cj_db_errmsg(db), "longer than 60 characters"));
	assert_int_equal(cj_org_set_hotline(db, "360925999", "12317", NULL), CJ_ENOTFOUND);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM org WHERE hotline = '0795-4662345'"), 1);
	assert_int_equal(cj_org_set_hotline(db, "360925100", "", NULL), 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM org WHERE hotline <> ''"), 0);
}

static void
test_schema_version(void **state)
{
	char names[4096];
	int version;

	(void)state;
	assert_int_equal(cj_db_schema_version(db, &version, names, sizeof names), 0);
	assert_int_equal(version, testdb_int(db, "SELECT max(version) FROM cunji.schema_migrations"));
	assert_true(version >= 11);
	assert_non_null(strstr(names, "core"));
	assert_int_equal(cj_db_schema_version(db, &version, names, 8), 0);
	assert_int_equal(strlen(names), 7); /* cut to the buffer */
}

static void
test_journal_of_a_span(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cj_span q3;

	(void)state;
	assert_int_equal(cj_span_parse(&q3, "2025年第三季度", NULL, 0), 0);
	assert_int_equal(cj_journal_export(db, v1, &q3, f), 0);
	fclose(f);
	/* March and April before the quarter come in as one balance brought forward */
	assert_non_null(strstr(text, "; cunji journal: village 360925100301 一村, period 2025Q3\n"));
	assert_non_null(strstr(text, "2025-07-01 * 期初结转 balances brought forward\n"));
	assert_non_null(strstr(text, "102 银行存款:102001 农商行  CNY 51200.00"));
	assert_null(strstr(text, "2025-03-05"));
	assert_non_null(strstr(text, "2025-07-10 * (2025-07-1)"));
	free(text);
}

static void
test_statements_on_spans(void **state)
{
	cj_report *r = NULL;
	cj_span s;

	(void)state;
	/* 科目余额表 and 明细账 take any months; a township sums its villages */
	assert_int_equal(cj_span_parse(&s, "2025-03..2025-07", NULL, 0), 0);
	assert_int_equal(cj_statement_balances(db, "360925100", s, &r), 0);
	assert_string_equal(r->subtitles[0], "编制单位：测试镇 (2 个村汇总)    2025年3月至7月    单位：元");
	cj_report_free(r);
	assert_int_equal(cj_statement_ledger(db, "360925100301", "102001", s, &r), 0);
	cj_report_free(r);
	/* the statements of a year's months refuse a range over two years */
	assert_int_equal(cj_span_parse(&s, "2024-12..2025-01", NULL, 0), 0);
	assert_int_equal(cj_statement_income(db, "360925100301", s, &r), CJ_EINVAL);
	assert_string_equal(cj_db_errmsg(db),
			    "收益及收益分配表 covers months of one year, not 2024年12月至2025年1月");
	assert_int_equal(cj_statement_detail(db, "360925100301", s, &r), CJ_EINVAL);
	assert_null(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lists_orgs_and_accounts),
		cmocka_unit_test(test_lists_periods),
		cmocka_unit_test(test_lists_funds),
		cmocka_unit_test(test_lists_members),
		cmocka_unit_test(test_hotline),
		cmocka_unit_test(test_schema_version),
		cmocka_unit_test(test_journal_of_a_span),
		cmocka_unit_test(test_statements_on_spans),
	};

	return cmocka_run_group_tests_name("lists", tests, setup, teardown);
}
