/*
 * test_columns.c - what every importer shares: the column finder (names in
 * Chinese and English, case, units, a column twice, the preferred name,
 * repeated columns, what is missing and ignored), the fields (trimming,
 * dates) and the problem list (row order, the one line format).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <importers/columns.h>
#include <importers/field.h>
#include <importers/problem.h>

enum { K_DATE, K_AMOUNT, K_MEMO, K_NOTE, K_N };

static const cj_column_spec specs[K_N] = {
	[K_DATE] = {{"交易日期", "日期", "交易时间", "date", NULL}, CJ_COLUMN_REQUIRED},
	[K_AMOUNT] = {{"金额", "amount", NULL}, CJ_COLUMN_REQUIRED | CJ_COLUMN_AMOUNT},
	[K_MEMO] = {{"摘要", "用途", "memo", NULL}, CJ_COLUMN_REPEATS},
	[K_NOTE] = {{"备注", "note", NULL}, 0},
};

static char path[64];

/* A sheet on a file holding text, at its first row. */
static cj_sheet *
sheet_of(const char *text)
{
	char err[256];
	cj_sheet *s;
	FILE *f;
	int fd;

	strcpy(path, "/tmp/cunji-test-columns-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	assert_int_equal(cj_sheet_open(&s, path, err, sizeof err), 0);
	unlink(path);
	assert_int_equal(cj_sheet_next(s), 1);
	return s;
}

static void
test_names_case_units(void **state)
{
	cj_sheet *s = sheet_of(" Date ,序号,AMOUNT（万元）,　摘要　,用途\n2025-03-05,1,1.5,a,b\n");
	cj_problems pb;
	cj_columns c;
	char buf[128];

	(void)state;
	cj_problems_init(&pb, "f.csv");
	assert_int_equal(cj_columns_find(&c, specs, K_N, s, CJ_COLUMNS_STRICT, &pb), 3);
	assert_int_equal(cj_problems_count(&pb), 0);
	assert_int_equal(c.at[K_DATE], 0);
	assert_string_equal(c.title[K_DATE], "Date");
	assert_int_equal(c.at[K_AMOUNT], 2);
	assert_int_equal(c.unit[K_AMOUNT], CJ_UNIT_WAN);
	assert_int_equal(c.at[K_MEMO], 3); /* its first name wins; both cells are memo */
	assert_int_equal(c.spec_of[4], K_MEMO);
	assert_int_equal(c.at[K_NOTE], -1);
	cj_columns_ignored(&c, s, buf, sizeof buf);
	assert_string_equal(buf, "序号");
	assert_int_equal(cj_columns_missing(&c, 0, buf, sizeof buf), 0);
	assert_int_equal(cj_sheet_next(s), 1);
	assert_string_equal(cj_columns_get(&c, s, K_AMOUNT, buf, sizeof buf), "1.5");
	assert_string_equal(cj_columns_get(&c, s, K_NOTE, buf, sizeof buf), "");
	cj_problems_dispose(&pb);
	cj_sheet_close(s);
}

static void
test_twice_and_preferred(void **state)
{
	cj_sheet *s = sheet_of("交易时间,日期,金额(千元),备注,note\n");
	cj_problems pb;
	cj_columns c;

	(void)state;
	/* strict: a second cell for a column is a problem, as is a unit that is not 元 or 万元 */
	cj_problems_init(&pb, "f.csv");
	cj_columns_find(&c, specs, K_N, s, CJ_COLUMNS_STRICT, &pb);
	assert_int_equal(cj_problems_count(&pb), 3);
	assert_int_equal(c.at[K_DATE], 0);
	cj_problems_dispose(&pb);
	/* preferred: the earlier name wins (日期 over 交易时间); the same rank is still a problem */
	cj_problems_init(&pb, "f.csv");
	cj_columns_find(&c, specs, K_N, s, CJ_COLUMNS_PREFER, &pb);
	assert_int_equal(c.at[K_DATE], 1);
	assert_int_equal(c.at[K_NOTE], 3);
	assert_int_equal(cj_problems_count(&pb), 1); /* the unit; 备注 and note differ in rank */
	cj_problems_dispose(&pb);
	cj_sheet_close(s);

	s = sheet_of("日期,日期,memo(万元)\n");
	cj_problems_init(&pb, "f.csv");
	cj_columns_find(&c, specs, K_N, s, CJ_COLUMNS_PREFER, &pb);
	assert_int_equal(cj_problems_count(&pb), 2); /* 日期 twice; 万元 on a memo */
	cj_problems_dispose(&pb);
	cj_sheet_close(s);
}

static void
test_missing(void **state)
{
	cj_sheet *s = sheet_of("备注\n");
	cj_columns c;
	char buf[200];

	(void)state;
	cj_columns_find(&c, specs, K_N, s, CJ_COLUMNS_STRICT, NULL);
	assert_int_equal(cj_columns_missing(&c, 0, buf, sizeof buf), 2);
	assert_string_equal(buf, "交易日期 (date), 金额 (amount)");
	assert_int_equal(cj_columns_missing(&c, 1u << K_DATE, buf, sizeof buf), 1);
	assert_string_equal(buf, "金额 (amount)");
	cj_sheet_close(s);
}

static void
test_fields(void **state)
{
	char out[16];
	cj_date d;

	(void)state;
	assert_int_equal(cj_field_trim(out, sizeof out, " \t　a b　\r\n"), 0);
	assert_string_equal(out, "a b");
	assert_int_equal(cj_field_trim(out, 4, "abcdef"), -1);
	assert_string_equal(out, "abc");
	static const char *const good[] = {"2025-03-05", "2025/3/5", "2025.3.5", "2025年3月5日",
					   "20250305", "２０２５-０３-０５", "2025-03-05 10:20:30",
					   "2025-03-05T10:20:30", NULL};
	for (int i = 0; good[i]; i++) {
		memset(&d, 0, sizeof d);
		assert_int_equal(cj_field_date(good[i], &d), 0);
		assert_true(d.year == 2025 && d.month == 3 && d.day == 5);
	}
	assert_int_equal(cj_field_date("2025-02-30", &d), CJ_EINVAL);
	assert_int_equal(cj_field_date("2025-03-05 周三", &d), CJ_EINVAL);
	assert_int_equal(cj_field_date("2025/03-05", &d), CJ_EINVAL);
	assert_int_equal(cj_field_date("1900-01-01", &d), CJ_EOVERFLOW);
}

static void
collect(const cj_problem *p, void *payload)
{
	char *out = payload, line[300];

	cj_problem_format(p, line, sizeof line);
	strcat(out, line);
	strcat(out, "\n");
}

static void
test_problem_list(void **state)
{
	char out[2048] = "";
	cj_import_cb cb = {collect, NULL, NULL, out};
	cj_problems pb;

	(void)state;
	cj_problems_init(&pb, "f.csv");
	cj_problems_add(&pb, 7, "金额", "1,2", "is not an amount");
	cj_problems_add(&pb, 3, NULL, NULL, "no rule matches");
	cj_problems_add(&pb, 7, "日期", NULL, "is empty");
	cj_problems_add_in(&pb, "rules.txt", 0, "line %d: unknown keyword", 2);
	assert_int_equal(cj_problems_count(&pb), 4);
	assert_int_equal(cj_problems_status(&pb), 0);
	cj_problems_send(&pb, &cb);
	assert_string_equal(out, "rules.txt: line 2: unknown keyword\n"
				 "f.csv: row 3: no rule matches\n"
				 "f.csv: row 7, column 金额: '1,2' is not an amount\n"
				 "f.csv: row 7, column 日期: is empty\n");
	cj_problems_dispose(&pb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_case_units),
		cmocka_unit_test(test_twice_and_preferred),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_problem_list),
	};

	return cmocka_run_group_tests_name("columns", tests, NULL, NULL);
}
