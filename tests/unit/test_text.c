/*
 * test_text.c - free text, the books' dates and organisation codes, checked
 * without a database (cj_text_check, cj_date_in_books, cj_org_code_check)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <ledger/ledger.h>

static void
expect_refused(const char *text, const char *why)
{
	char got[200];

	assert_int_equal(cj_text_check(text, got, sizeof got), CJ_EINVAL);
	assert_string_equal(got, why);
}

static void
test_text_check(void **state)
{
	(void)state;
	assert_int_equal(cj_text_check("收到土地承包费（三月）, 张三 =1+2 @x -5", NULL, 0), 0);
	assert_int_equal(cj_text_check("", NULL, 0), 0);
	expect_refused("收到\n承包费", "holds a line break (U+000A) after '收到'");
	expect_refused("\r收到", "holds a carriage return (U+000D) at the start");
	expect_refused("张\t三", "holds a tab (U+0009) after '张'");
	expect_refused("张三\x1b[31m", "holds an escape code (U+001B) after '张三'");
	expect_refused("a\x7f", "holds a control character (U+007F) after 'a'");
	expect_refused("a\xc2\x85", "holds a control character (U+0085) after 'a'"); /* NEL */
	expect_refused("a\xe2\x80\xa8", "holds a line separator (U+2028) after 'a'");
	expect_refused("费\xe2\x80\xae包承", "holds a bidirectional control (U+202E) after '费'");
	expect_refused("a\xe2\x81\xa6", "holds a bidirectional control (U+2066) after 'a'");
	expect_refused("a\xff", "holds bytes that are not UTF-8 after 'a'");
	expect_refused("\xc0\xaf", "holds bytes that are not UTF-8 at the start"); /* overlong */
	expect_refused("\xed\xa0\x80", "holds bytes that are not UTF-8 at the start"); /* surrogate */
	/* a long text is quoted by its last characters, cut at a character */
	expect_refused("一二三四五六七八九十\n", "holds a line break (U+000A) after '…三四五六七八九十'");
}

static void
test_books_dates(void **state)
{
	int next = cj_date_today().year + 1;
	char range[40], want[40];

	(void)state;
	assert_true(cj_date_in_books((cj_date){1949, 10, 1}));
	assert_false(cj_date_in_books((cj_date){1949, 9, 30}));
	assert_true(cj_date_in_books((cj_date){next, 12, 31}));
	assert_false(cj_date_in_books((cj_date){next + 1, 1, 1}));
	assert_false(cj_date_in_books((cj_date){9999, 12, 31}));
	assert_false(cj_date_in_books((cj_date){2025, 2, 29}));
	assert_true(cj_period_in_books((cj_period){1949, 10}));
	assert_false(cj_period_in_books((cj_period){1949, 9}));
	assert_false(cj_period_in_books((cj_period){next + 1, 1}));
	snprintf(want, sizeof want, "1949-10-01 to %d-12-31", next);
	assert_string_equal(cj_books_range_text(range, sizeof range), want);
	/* a date of birth is a date, not one of the books' */
	assert_true(cj_date_valid((cj_date){1935, 5, 1}));
}

static void
test_org_codes(void **state)
{
	char why[200];

	(void)state;
	assert_int_equal(cj_org_code_check(CJ_ORG_COUNTY, "360925", NULL, why, sizeof why), 0);
	assert_int_equal(cj_org_code_check(CJ_ORG_TOWNSHIP, "360925100", "360925", why, sizeof why),
			 0);
	assert_int_equal(
		cj_org_code_check(CJ_ORG_VILLAGE, "360925100201", "360925100", why, sizeof why), 0);
	assert_int_equal(cj_org_code_check(CJ_ORG_VILLAGE, "V1", NULL, why, sizeof why), CJ_EINVAL);
	assert_string_equal(why, "'V1' is not a village code: 12 digits (统计用区划代码, e.g. "
				 "360925100201)");
	assert_int_equal(cj_org_code_check(CJ_ORG_VILLAGE, "36092510020A", NULL, why, sizeof why),
			 CJ_EINVAL);
	assert_int_equal(cj_org_code_check(CJ_ORG_COUNTY, "060925", NULL, why, sizeof why), CJ_EINVAL);
	assert_int_equal(cj_org_code_check(CJ_ORG_TOWNSHIP, "3609251000", NULL, why, sizeof why),
			 CJ_EINVAL);
	assert_int_equal(
		cj_org_code_check(CJ_ORG_VILLAGE, "360926100201", "360925100", why, sizeof why),
		CJ_EINVAL);
	assert_string_equal(why, "village code 360926100201 does not start with its township's "
				 "code 360925100");
	assert_int_equal(cj_org_code_check(CJ_ORG_TOWNSHIP, "360925000", "360925", why, sizeof why),
			 CJ_EINVAL);
	assert_string_equal(why, "'360925000' ends in 000, which is the county's own code, not a "
				 "township's");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_check),
		cmocka_unit_test(test_books_dates),
		cmocka_unit_test(test_org_codes),
	};

	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
