/*
 * test_csv.c - the RFC 4180 reader
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <importers/csv.h>

static void
expect_record(cj_csv *c, size_t line, size_t n, const char *const *fields)
{
	assert_int_equal(cj_csv_next(c), 1);
	assert_int_equal(c->line, line);
	assert_int_equal(c->nfields, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(cj_csv_field(c, i), fields[i]);
}

static void
test_csv_reads_simple_and_quoted_fields(void **state)
{
	static const char text[] = "日期,摘要,借方\n2025-03-05,\"收到租金, 三月\",\"1,200.00\"\n"
				   "a,\"say \"\"hi\"\"\",\n";
	cj_csv c;

	(void)state;
	cj_csv_init(&c, text, strlen(text), ',');
	expect_record(&c, 1, 3, (const char *[]){"日期", "摘要", "借方"});
	expect_record(&c, 2, 3, (const char *[]){"2025-03-05", "收到租金, 三月", "1,200.00"});
	expect_record(&c, 3, 3, (const char *[]){"a", "say \"hi\"", ""});
	assert_int_equal(cj_csv_next(&c), 0);
	cj_csv_dispose(&c);
}

static void
test_csv_quoted_newlines_keep_line_numbers(void **state)
{
	static const char text[] = "1,\"two\nlines\"\r\n2,x\r\n3,\"\"";
	cj_csv c;

	(void)state;
	cj_csv_init(&c, text, strlen(text), ',');
	expect_record(&c, 1, 2, (const char *[]){"1", "two\nlines"});
	expect_record(&c, 3, 2, (const char *[]){"2", "x"});
	expect_record(&c, 4, 2, (const char *[]){"3", ""}); /* no final newline */
	assert_int_equal(cj_csv_next(&c), 0);
	cj_csv_dispose(&c);
}

static void
test_csv_skips_bom_and_reads_tabs(void **state)
{
	static const char text[] = "\xEF\xBB\xBFvillage\tdate\nV1\t2025-01-01\n";
	cj_csv c;

	(void)state;
	assert_int_equal(cj_csv_sniff_delim(text, strlen(text)), '\t');
	assert_int_equal(cj_csv_sniff_delim("a,b\tc,d", 7), ',');
	cj_csv_init(&c, text, strlen(text), '\t');
	expect_record(&c, 1, 2, (const char *[]){"village", "date"});
	expect_record(&c, 2, 2, (const char *[]){"V1", "2025-01-01"});
	assert_int_equal(cj_csv_next(&c), 0);
	cj_csv_dispose(&c);
}

static void
test_csv_blank_line_is_one_empty_field(void **state)
{
	static const char text[] = "a\n\nb\n";
	cj_csv c;

	(void)state;
	cj_csv_init(&c, text, strlen(text), ',');
	expect_record(&c, 1, 1, (const char *[]){"a"});
	expect_record(&c, 2, 1, (const char *[]){""});
	expect_record(&c, 3, 1, (const char *[]){"b"});
	assert_int_equal(cj_csv_next(&c), 0);
	cj_csv_dispose(&c);
}

static void
test_csv_reports_errors_with_line(void **state)
{
	cj_csv c;
	static const char unclosed[] = "ok\nx,\"never\nclosed";
	static const char after[] = "a,b\nc,\"d\"e\n";
	static const char nul[] = "a,b\nc\0d\n";

	(void)state;
	cj_csv_init(&c, unclosed, strlen(unclosed), ',');
	assert_int_equal(cj_csv_next(&c), 1);
	assert_int_equal(cj_csv_next(&c), CJ_EINVAL);
	assert_string_equal(c.err, "line 2: field 2: quoted field is not closed");
	cj_csv_dispose(&c);

	cj_csv_init(&c, after, strlen(after), ',');
	assert_int_equal(cj_csv_next(&c), 1);
	assert_int_equal(cj_csv_next(&c), CJ_EINVAL);
	assert_string_equal(c.err, "line 2: field 2: text after closing quote");
	cj_csv_dispose(&c);

	cj_csv_init(&c, nul, sizeof nul - 1, ',');
	assert_int_equal(cj_csv_next(&c), 1);
	assert_int_equal(cj_csv_next(&c), CJ_EINVAL);
	assert_non_null(strstr(c.err, "binary data"));
	cj_csv_dispose(&c);
}

static void
test_csv_limits_field_size_and_count(void **state)
{
	char big[300];
	cj_csv c;

	(void)state;
	memset(big, 'x', sizeof big);
	cj_csv_init(&c, big, sizeof big, ',');
	c.max_field = 100;
	assert_int_equal(cj_csv_next(&c), CJ_EINVAL);
	assert_non_null(strstr(c.err, "longer than 100 bytes"));
	cj_csv_dispose(&c);

	memset(big, ',', sizeof big);
	cj_csv_init(&c, big, sizeof big, ',');
	c.max_fields = 10;
	assert_int_equal(cj_csv_next(&c), CJ_EINVAL);
	assert_non_null(strstr(c.err, "more than 10 fields"));
	cj_csv_dispose(&c);
}

/* A row with more or fewer fields than the header is an error naming the
 * line and both counts (an unquoted 1,200.50 shifted every column after it:
 * 1.00 posted, 200.50 as the counterparty). */
static void
test_csv_rows_have_the_header_s_fields(void **state)
{
	static const char text[] = "日期,摘要,借方,往来单位\n"
				   "2025-03-05,收到租金,\"1,200.50\",\n"
				   "\n"
				   "2025-03-06,收到租金,1,200.50,\n"
				   "2025-03-07,x\n";
	static const char tabs[] = "a\tb\n1\t2\t3\n";
	static const char preamble[] = "账号,1\n\na,b,c\n1\n";
	cj_csv c;

	(void)state;
	cj_csv_init(&c, text, strlen(text), ',');
	expect_record(&c, 1, 4, (const char *[]){"日期", "摘要", "借方", "往来单位"});
	c.header_fields = c.nfields;
	expect_record(&c, 2, 4, (const char *[]){"2025-03-05", "收到租金", "1,200.50", ""});
	expect_record(&c, 3, 1, (const char *[]){""}); /* a blank line passes */
	assert_int_equal(cj_csv_next(&c), CJ_EINVAL);
	assert_string_equal(c.err, "line 4: 5 fields where the header has 4 (an amount such as "
				   "1,200.50 needs quotes: \"1,200.50\")");
	cj_csv_dispose(&c);

	/* fewer fields, after a header below a preamble (as bank statements
	 * have): only rows after the header are checked */
	cj_csv_init(&c, preamble, strlen(preamble), ',');
	expect_record(&c, 1, 2, (const char *[]){"账号", "1"});
	expect_record(&c, 2, 1, (const char *[]){""});
	expect_record(&c, 3, 3, (const char *[]){"a", "b", "c"});
	c.header_fields = c.nfields;
	assert_int_equal(cj_csv_next(&c), CJ_EINVAL);
	assert_string_equal(c.err, "line 4: 1 field where the header has 3 (an amount such as "
				   "1,200.50 needs quotes: \"1,200.50\")");
	cj_csv_dispose(&c);

	cj_csv_init(&c, tabs, strlen(tabs), '\t');
	assert_int_equal(cj_csv_next(&c), 1);
	c.header_fields = c.nfields;
	assert_int_equal(cj_csv_next(&c), CJ_EINVAL);
	assert_string_equal(c.err, "line 2: 3 fields where the header has 2");
	cj_csv_dispose(&c);

	/* a reader that has not set header_fields gets any record */
	cj_csv_init(&c, tabs, strlen(tabs), '\t');
	expect_record(&c, 1, 2, (const char *[]){"a", "b"});
	expect_record(&c, 2, 3, (const char *[]){"1", "2", "3"});
	cj_csv_dispose(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_reads_simple_and_quoted_fields),
		cmocka_unit_test(test_csv_quoted_newlines_keep_line_numbers),
		cmocka_unit_test(test_csv_skips_bom_and_reads_tabs),
		cmocka_unit_test(test_csv_blank_line_is_one_empty_field),
		cmocka_unit_test(test_csv_reports_errors_with_line),
		cmocka_unit_test(test_csv_limits_field_size_and_count),
		cmocka_unit_test(test_csv_rows_have_the_header_s_fields),
	};

	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
