/*
 * test_span.c - the one period syntax (cj_span_parse) and its labels and
 * tags: every form, every label parsed back, bad forms refused with a reason
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <ledger/ledger.h>

/* text parses to kind, from..to, labelled label and tagged tag */
static void
expect_span(const char *text, cj_span_kind kind, int y1, int m1, int y2, int m2, const char *label,
	    const char *tag)
{
	char err[256] = "", buf[CJ_SPAN_TEXT_MAX];
	cj_span s, back;

	if (cj_span_parse(&s, text, err, sizeof err))
		fail_msg("'%s' refused: %s", text, err);
	assert_int_equal(s.kind, kind);
	assert_int_equal(s.from.year, y1);
	assert_int_equal(s.from.month, m1);
	assert_int_equal(s.to.year, y2);
	assert_int_equal(s.to.month, m2);
	assert_string_equal(cj_span_label(buf, sizeof buf, s), label);
	assert_string_equal(cj_span_tag(buf, sizeof buf, s), tag);
	/* the label and the tag name the same months */
	assert_int_equal(cj_span_parse(&back, label, err, sizeof err), 0);
	assert_memory_equal(&back, &s, sizeof s);
	assert_int_equal(cj_span_parse(&back, tag, err, sizeof err), 0);
	assert_memory_equal(&back, &s, sizeof s);
}

static void
expect_refused(const char *text, const char *why)
{
	char err[512];
	cj_span s;

	assert_int_equal(cj_span_parse(&s, text, err, sizeof err), CJ_EINVAL);
	assert_string_equal(err, why);
}

static void
test_years(void **state)
{
	(void)state;
	expect_span("2025", CJ_SPAN_YEAR, 2025, 1, 2025, 12, "2025年度", "2025");
	expect_span("2025年", CJ_SPAN_YEAR, 2025, 1, 2025, 12, "2025年度", "2025");
	expect_span("2025年度", CJ_SPAN_YEAR, 2025, 1, 2025, 12, "2025年度", "2025");
	expect_span("1900", CJ_SPAN_YEAR, 1900, 1, 1900, 12, "1900年度", "1900");
}

static void
test_quarters(void **state)
{
	(void)state;
	expect_span("2025Q4", CJ_SPAN_QUARTER, 2025, 10, 2025, 12, "2025年第四季度", "2025Q4");
	expect_span("2025q1", CJ_SPAN_QUARTER, 2025, 1, 2025, 3, "2025年第一季度", "2025Q1");
	expect_span("2025年第四季度", CJ_SPAN_QUARTER, 2025, 10, 2025, 12, "2025年第四季度",
		    "2025Q4");
	expect_span("2025年第4季度", CJ_SPAN_QUARTER, 2025, 10, 2025, 12, "2025年第四季度", "2025Q4");
	expect_span("2025年二季度", CJ_SPAN_QUARTER, 2025, 4, 2025, 6, "2025年第二季度", "2025Q2");
	expect_span("2025年3季度", CJ_SPAN_QUARTER, 2025, 7, 2025, 9, "2025年第三季度", "2025Q3");
}

static void
test_months(void **state)
{
	(void)state;
	expect_span("2025-12", CJ_SPAN_MONTH, 2025, 12, 2025, 12, "2025年12月", "2025-12");
	expect_span("2024-02", CJ_SPAN_MONTH, 2024, 2, 2024, 2, "2024年2月", "2024-02");
	expect_span("2025年12月", CJ_SPAN_MONTH, 2025, 12, 2025, 12, "2025年12月", "2025-12");
	expect_span("2025年03月", CJ_SPAN_MONTH, 2025, 3, 2025, 3, "2025年3月", "2025-03");
}

static void
test_ranges(void **state)
{
	(void)state;
	expect_span("2025-01..2025-06", CJ_SPAN_RANGE, 2025, 1, 2025, 6, "2025年1月至6月",
		    "2025-01..2025-06");
	expect_span("2025年1月至6月", CJ_SPAN_RANGE, 2025, 1, 2025, 6, "2025年1月至6月",
		    "2025-01..2025-06");
	expect_span("2025-11..2026-02", CJ_SPAN_RANGE, 2025, 11, 2026, 2, "2025年11月至2026年2月",
		    "2025-11..2026-02");
	/* each end may be any form: a range runs from the first month of the one to the last of the other */
	expect_span("2025Q1..2025Q2", CJ_SPAN_RANGE, 2025, 1, 2025, 6, "2025年1月至6月",
		    "2025-01..2025-06");
	expect_span("2024..2025", CJ_SPAN_RANGE, 2024, 1, 2025, 12, "2024年1月至2025年12月",
		    "2024-01..2025-12");
	expect_span("2025年第三季度至2025年12月", CJ_SPAN_RANGE, 2025, 7, 2025, 12,
		    "2025年7月至12月", "2025-07..2025-12");
	expect_span("2025年7月至第四季度", CJ_SPAN_RANGE, 2025, 7, 2025, 12, "2025年7月至12月",
		    "2025-07..2025-12");
	/* a range of one month is that month */
	expect_span("2025-03..2025-03", CJ_SPAN_MONTH, 2025, 3, 2025, 3, "2025年3月", "2025-03");
}

static void
test_refused(void **state)
{
	(void)state;
	expect_refused("2025-13", "'2025-13': there is no month 13");
	expect_refused("2025-00", "'2025-00': there is no month 0");
	expect_refused("2025年13月", "'2025年13月': there is no month 13");
	expect_refused("2025Q5", "'2025Q5': there is no quarter 5");
	expect_refused("2025年第5季度", "'2025年第5季度': there is no quarter 5");
	expect_refused("1899", "'1899': year 1899 is before 1900");
	expect_refused("2025-06..2025-01", "'2025-06..2025-01': the range ends before it begins");
	expect_refused("2025年11月至2月", "'2025年11月至2月': the range ends before it begins");
	static const char *const nonsense[] = {
		"", "25", "20251", "2025-1", "2025-123", "2025/12", "2025Q", "2025Q12", "Q4",
		"2025年第12月", "2025年四季", "2025年第五季度", "2025年12", "12月", "2025..",
		"..2025", "2025-01..6月", "2025至", "2025-12-31", " 2025", "2025 ", "二〇二五年",
	};
	for (size_t i = 0; i < sizeof nonsense / sizeof nonsense[0]; i++) {
		char want[512];

		snprintf(want, sizeof want, "'%s' is not a period; write %s", nonsense[i],
			 CJ_SPAN_SYNTAX);
		expect_refused(nonsense[i], want);
	}
}

static void
test_days(void **state)
{
	cj_span s;

	(void)state;
	assert_int_equal(cj_span_parse(&s, "2024Q1", NULL, 0), 0);
	assert_int_equal(cj_span_last_day(s).day, 31);
	assert_int_equal(cj_span_parse(&s, "2024-02", NULL, 0), 0);
	assert_int_equal(cj_span_first_day(s).day, 1);
	assert_int_equal(cj_span_last_day(s).day, 29);
	assert_true(cj_span_one_year(s));
	assert_int_equal(cj_span_parse(&s, "2025-11..2026-02", NULL, 0), 0);
	assert_false(cj_span_one_year(s));
	assert_int_equal(cj_span_last_day(s).month, 2);
	assert_int_equal(cj_span_last_day(s).day, 28);
	assert_int_equal(cj_span_parse(&s, NULL, NULL, 0), CJ_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_years),  cmocka_unit_test(test_quarters),
		cmocka_unit_test(test_months), cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_refused), cmocka_unit_test(test_days),
	};
	return cmocka_run_group_tests_name("span", tests, NULL, NULL);
}
