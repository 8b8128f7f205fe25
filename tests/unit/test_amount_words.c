/*
 * test_amount_words.c - Chinese capital amounts (大写) per the banking rules
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <reports/amount_words.h>

static void
expect_capital(int64_t fen, const char *want)
{
	char buf[CJ_AMOUNT_WORDS_MAX];
	int n = cj_amount_words(buf, sizeof buf, fen);

	if (n < 0 || strcmp(buf, want))
		print_error("%lld fen: got '%s', want '%s'\n", (long long)fen, buf, want);
	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(buf, want);
}

static void
test_examples_from_the_issue(void **state)
{
	(void)state;
	expect_capital(140950, "壹仟肆佰零玖元伍角整");
	expect_capital(100000, "壹仟元整");
	expect_capital(10005, "壹佰元零伍分");
	expect_capital(1, "壹分");
	expect_capital(10, "壹角整");
	expect_capital(1000010000, "壹仟万零壹佰元整");
}

/* the worked examples of 《正确填写票据和结算凭证的基本规定》 */
static void
test_zeros_in_the_middle(void **state)
{
	(void)state;
	expect_capital(600714, "陆仟零柒元壹角肆分");      /* 6007.14: one 零 for 00 */
	expect_capital(168032, "壹仟陆佰捌拾元叁角贰分");  /* 1680.32: optional 零 left out */
	expect_capital(10700053, "壹拾万柒仟元伍角叁分");  /* 107000.53 */
	expect_capital(1640902, "壹万陆仟肆佰零玖元零贰分"); /* 16409.02: 角 zero */
	expect_capital(32504, "叁佰贰拾伍元零肆分");        /* 325.04 */
	expect_capital(101000, "壹仟零壹拾元整");
	expect_capital(100100, "壹仟零壹元整");
	expect_capital(1000100, "壹万零壹元整");
	expect_capital(1001000, "壹万零壹拾元整");
	expect_capital(1010000, "壹万零壹佰元整");
	expect_capital(1100000, "壹万壹仟元整");
	expect_capital(10000010, "壹拾万元壹角整");
	expect_capital(10000001, "壹拾万元零壹分");
}

static void
test_whole_jiao_and_fen_only(void **state)
{
	(void)state;
	expect_capital(0, "零元整");
	expect_capital(100, "壹元整");
	expect_capital(1000, "壹拾元整"); /* the leading 壹 of 拾 is kept */
	expect_capital(1500, "壹拾伍元整");
	expect_capital(20000, "贰佰元整");
	expect_capital(50, "伍角整");
	expect_capital(55, "伍角伍分");
	expect_capital(9, "玖分");
	expect_capital(150, "壹元伍角整");
	expect_capital(999999, "玖仟玖佰玖拾玖元玖角玖分");
}

static void
test_wan_and_yi_boundaries(void **state)
{
	(void)state;
	expect_capital(999900, "玖仟玖佰玖拾玖元整");
	expect_capital(1000000, "壹万元整");
	expect_capital(99999999900LL, "玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元整");
	expect_capital(10000000000LL, "壹亿元整");
	expect_capital(10000000100LL, "壹亿零壹元整");
	expect_capital(10001000000LL, "壹亿零壹万元整");
	expect_capital(11000000000LL, "壹亿壹仟万元整");
	expect_capital(10100000000LL, "壹亿零壹佰万元整");
	expect_capital(100000000000000LL, "壹万亿元整");
	expect_capital(100010000000000LL, "壹万零壹亿元整");
	expect_capital(100000000000001LL, "壹万亿元零壹分");
}

static void
test_negative_and_extremes(void **state)
{
	char buf[CJ_AMOUNT_WORDS_MAX], small[8];

	(void)state;
	expect_capital(-140950, "负壹仟肆佰零玖元伍角整");
	expect_capital(-1, "负壹分");
	/* the longest amounts fit CJ_AMOUNT_WORDS_MAX */
	assert_true(cj_amount_words(buf, sizeof buf, INT64_MAX) > 0);
	assert_true(cj_amount_words(buf, sizeof buf, INT64_MIN) > 0);
	assert_memory_equal(buf, "负玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿", strlen("负玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿"));
	/* too small a buffer: -1 and an empty string, never a cut character */
	assert_int_equal(cj_amount_words(small, sizeof small, 140950), -1);
	assert_string_equal(small, "");
	assert_int_equal(cj_amount_words(NULL, 0, 1), -1);
}

static void
test_note_helper(void **state)
{
	cj_report *r = cj_report_new("测试");

	(void)state;
	assert_non_null(r);
	assert_int_equal(cj_report_note_amount_words(r, "合计", 140950), 0);
	assert_int_equal(r->nnotes, 1);
	assert_string_equal(r->notes[0], "合计（大写）：壹仟肆佰零玖元伍角整");
	cj_report_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples_from_the_issue),
		cmocka_unit_test(test_zeros_in_the_middle),
		cmocka_unit_test(test_whole_jiao_and_fen_only),
		cmocka_unit_test(test_wan_and_yi_boundaries),
		cmocka_unit_test(test_negative_and_extremes),
		cmocka_unit_test(test_note_helper),
	};
	return cmocka_run_group_tests_name("capital", tests, NULL, NULL);
}
