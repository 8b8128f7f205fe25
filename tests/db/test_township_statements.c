/*
 * test_township_statements.c - 乡镇汇总 (cj_statement_township) and the
 * statements of many villages (cj_statement_set_step)
 *
 * The summary is every village's books through the layout, and it must
 * agree line by line with the villages' own statements: a village's
 * statement edited after it was built is caught, naming the village and the
 * line; a village missing from the set refuses the summary; 内部往来 is not
 * netted across villages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <reports/statements.h>

#include "testdb.h"

static cj_db *db;
static int v1, v2;

/* the figure in column col (2 年初数, 3 期末数) of the line with 行次 no */
static int64_t
line(const cj_report *r, int no, int col)
{
	const cj_table *t = r->tables[0];

	for (size_t k = 0; k < t->nrows; k++)
		if (t->rows[k].cells[1].kind == CJ_CELL_TEXT && atoi(t->rows[k].cells[1].text) == no)
			return t->rows[k].cells[col].value;
	fail_msg("no line %d", no);
	return 0;
}

static void
build(cj_statement_set *set, int which)
{
	cj_batch b;

	memset(set, 0, sizeof *set);
	set->which = which;
	assert_int_equal(cj_span_parse(&set->span, "2025-03", NULL, 0), 0);
	assert_int_equal(cj_batch_villages(db, "360925100", NULL, 0, &b), 0);
	assert_int_equal(cj_batch_run(db, &b, cj_statement_set_step, set, NULL), 0);
	assert_int_equal(b.done, 2);
	cj_batch_free(&b);
}

static void
test_summary(void **state)
{
	cj_statement_set set;
	cj_report *r = NULL;

	(void)state;
	build(&set, CJ_ST_BALANCE_SHEET | CJ_ST_INCOME);
	assert_int_equal(set.n, 4);
	assert_string_equal(set.reports[0]->tables[0]->name, "一村 资产负债表");
	assert_int_equal(cj_statement_township(db, CJ_ST_BALANCE_SHEET, "360925100", &set, &r), 0);
	assert_string_equal(r->title, "资产负债表（汇总）");
	/* 货币资金: 1,000.00 - 300.00 in 一村, 250.00 + 200.00 in 二村 */
	assert_int_equal(line(r, 1, 3), 70000 + 45000);
	/* 内部往来 by household: 一村's debit is 应收款项, 二村's credit 应付款项 */
	assert_int_equal(line(r, 3, 3), 30000);
	assert_int_equal(line(r, 36, 3), 20000);
	assert_int_equal(line(r, 32, 3), line(r, 54, 3));
	assert_non_null(strstr(r->notes[1], "已逐行核对相符"));
	cj_report_free(r);
	assert_int_equal(cj_statement_township(db, CJ_ST_INCOME, "360925100", &set, &r), 0);
	assert_int_equal(line(r, 1, 2), 125000); /* 经营收入 */
	cj_report_free(r);

	/* a village's statement changed after it was built: named, with the line */
	for (size_t i = 0; i < set.n; i++)
		if (set.kinds[i] == CJ_ST_BALANCE_SHEET && !strcmp(set.villages[i], "360925100302")) {
			cj_table *t = set.reports[i]->tables[0];

			for (size_t k = 0; k < t->nrows; k++)
				if (t->rows[k].cells[1].kind == CJ_CELL_TEXT && !strcmp(t->rows[k].cells[1].text, "1"))
					t->rows[k].cells[3].value += 1;
		}
	testdb_fails(db, cj_statement_township(db, CJ_ST_BALANCE_SHEET, "360925100", &set, &r),
		     CJ_EUNBALANCED, "360925100302 二村, line 1 货币资金, 期末数: its statement says 450.01, its books 450.00");
	assert_non_null(r); /* still built, and noted */
	assert_non_null(strstr(r->notes[1], "※ 与各村报表核对不符"));
	cj_report_free(r);
	cj_statement_set_free(&set);

	/* a village left out: no summary */
	build(&set, CJ_ST_INCOME);
	testdb_fails(db, cj_statement_township(db, CJ_ST_BALANCE_SHEET, "360925100", &set, &r), CJ_EREFUSED,
		     "missing: 360925100301 一村; 360925100302 二村");
	assert_null(r);
	testdb_fails(db, cj_statement_township(db, CJ_ST_INCOME, "360925100301", &set, &r), CJ_EINVAL,
		     "is a village");
	testdb_fails(db, cj_statement_township(db, CJ_ST_DETAIL, "360925100", &set, &r), CJ_EINVAL,
		     "balance sheet or the income statement");
	cj_statement_set_free(&set);
}

/* a village whose statement is refused leaves nothing of its own in the set */
static void
test_all_or_nothing(void **state)
{
	cj_statement_set set = {.which = CJ_ST_BALANCES | CJ_ST_LEDGER, .account = "113001"};
	cj_batch b;

	(void)state;
	assert_int_equal(cj_span_parse(&set.span, "2025-03", NULL, 0), 0);
	assert_int_equal(cj_batch_villages(db, "360925100", NULL, 0, &b), 0);
	/* both keep 113001; then a ledger of an account only 一村 keeps */
	assert_int_equal(cj_batch_run(db, &b, cj_statement_set_step, &set, NULL), 0);
	assert_int_equal(set.n, 4);
	cj_statement_set_free(&set);
	set = (cj_statement_set){.which = CJ_ST_BALANCES | CJ_ST_LEDGER, .account = "113002"};
	assert_int_equal(cj_span_parse(&set.span, "2025-03", NULL, 0), 0);
	assert_int_equal(cj_batch_run(db, &b, cj_statement_set_step, &set, NULL), CJ_EREFUSED);
	assert_int_equal(b.done, 1);
	assert_int_equal(b.items[1].state, CJ_BATCH_REFUSED);
	assert_non_null(strstr(b.items[1].message, "113002"));
	/* 二村's 科目余额表 was built before its 明细账 was refused: not kept */
	assert_int_equal(set.n, 2);
	assert_string_equal(set.villages[0], "360925100301");
	assert_string_equal(set.villages[1], "360925100301");
	cj_statement_set_free(&set);
	cj_batch_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_all_or_nothing),
	};
	cj_poster *p;

	db = testdb_open("test_township_statements");
	testdb_orgs(db, &v1, &v2);
	assert_int_equal(cj_account_add(db, v1, "113001", "张三"), 0);
	assert_int_equal(cj_account_add(db, v1, "113002", "王五"), 0);
	assert_int_equal(cj_account_add(db, v2, "113001", "李四"), 0);
	assert_int_equal(cj_poster_new(&p, db), 0);
	assert_int_equal(testdb_post2(p, v1, "2025-03-05", "102", "501", 100000, NULL), 0);
	assert_int_equal(testdb_post2(p, v1, "2025-03-06", "113001", "102", 30000, NULL), 0);
	assert_int_equal(testdb_post2(p, v2, "2025-03-05", "102", "501", 25000, NULL), 0);
	assert_int_equal(testdb_post2(p, v2, "2025-03-07", "102", "113001", 20000, NULL), 0);
	cj_poster_free(p);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
