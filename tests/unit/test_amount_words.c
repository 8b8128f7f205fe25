/*
 * test_amount_words.c - amounts in capital figures (大写) per the banking rules
 *
 * The rules are 《支付结算办法》(中国人民银行 银发〔1997〕393号) 附件一
 * 《正确填写票据和结算凭证的基本规定》.  The parts that decide how an amount is
 * written (quoted from the text):
 *
 *   二、中文大写金额数字到"元"为止的，在"元"之后，应写"整"(或"正")字，在"角"
 *   之后可以不写"整"(或"正")字。大写金额数字有"分"的，"分"后面不写"整"(或
 *   "正")字。
 *
 *   四、阿拉伯小写金额数字中有"0"时，中文大写应按照汉语语言规律、金额数字构成
 *   和防止涂改的要求进行书写。举例如下：
 *   (一)阿拉伯数字中间有"0"时，中文大写金额要写"零"字。如￥1,409.50，应写成
 *   人民币壹仟肆佰零玖元伍角。
 *   (二)阿拉伯数字中间连续有几个"0"时，中文大写金额中间可以只写一个"零"字。
 *   如￥6,007.14，应写成人民币陆仟零柒元壹角肆分。
 *   (三)阿拉伯金额数字万位或元位是"0"，或者数字中间连续有几个"0"，万位、元位
 *   也是"0"，但千位、角位不是"0"时，中文大写金额中可以只写一个零字，也可以不
 *   写"零"字。如￥1,680.32，应写成人民币壹仟陆佰捌拾元零叁角贰分，或者写成
 *   人民币壹仟陆佰捌拾元叁角贰分；又如￥107,000.53，应写成人民币壹拾万柒仟元
 *   零伍角叁分，或者写成人民币壹拾万零柒仟元伍角叁分。
 *   (四)阿拉伯金额数字角位是"0"，而分位不是"0"时，中文大写金额"元"后面应写
 *   "零"字。如￥16,409.02，应写成人民币壹万陆仟肆佰零玖元零贰分；又如
 *   ￥325.04，应写成人民币叁佰贰拾伍元零肆分。
 *
 * Where the rules allow two forms we write the first of each example: 零 after 元
 * when the 元 digit is zero and 角 is not, never 整 after 角.  "人民币" is
 * the caller's (the disclosure sheets print 人民币（大写）before it).
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
expect_words(int64_t fen, const char *want)
{
	char buf[CJ_AMOUNT_WORDS_MAX];
	int n = cj_amount_words(buf, sizeof buf, fen);

	if (n < 0 || strcmp(buf, want))
		print_error("%lld fen: got '%s', want '%s'\n", (long long)fen, buf, want);
	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(buf, want);
}

/* Every example of the rules, written as the rules write it. */
static void
test_the_rules_examples(void **state)
{
	(void)state;
	expect_words(140950, "壹仟肆佰零玖元伍角");        /* (一) ￥1,409.50 */
	expect_words(600714, "陆仟零柒元壹角肆分");        /* (二) ￥6,007.14 */
	expect_words(168032, "壹仟陆佰捌拾元零叁角贰分");  /* (三) ￥1,680.32, the first form */
	expect_words(10700053, "壹拾万柒仟元零伍角叁分");  /* (三) ￥107,000.53, the first form */
	expect_words(1640902, "壹万陆仟肆佰零玖元零贰分"); /* (四) ￥16,409.02 */
	expect_words(32504, "叁佰贰拾伍元零肆分");          /* (四) ￥325.04 */
}

/* 二: 整 after 元 only; nothing after 角 or 分. */
static void
test_zheng(void **state)
{
	(void)state;
	expect_words(100000, "壹仟元整");
	expect_words(100, "壹元整");
	expect_words(150, "壹元伍角");
	expect_words(50, "伍角");
	expect_words(55, "伍角伍分");
	expect_words(5, "伍分");
	expect_words(999999, "玖仟玖佰玖拾玖元玖角玖分");
	expect_words(999900, "玖仟玖佰玖拾玖元整");
}

/* (二) one 零 for a run of zeros, across 万 and 亿 too; (三) the 元 digit zero. */
static void
test_zeros(void **state)
{
	(void)state;
	expect_words(101000, "壹仟零壹拾元整");
	expect_words(100100, "壹仟零壹元整");
	expect_words(10005, "壹佰元零伍分");
	expect_words(1000100, "壹万零壹元整");
	expect_words(1001000, "壹万零壹拾元整");
	expect_words(1010000, "壹万零壹佰元整");
	expect_words(1100000, "壹万壹仟元整");
	expect_words(1000010000, "壹仟万零壹佰元整");
	expect_words(100005, "壹仟元零伍分");     /* 元 and 角 zero, 分 not: (四) */
	expect_words(100050, "壹仟元零伍角");     /* 元 zero, 角 not: (三), first form */
	expect_words(10000010, "壹拾万元零壹角"); /* 万 and 元 zero, 角 not: one 零 */
	expect_words(10000001, "壹拾万元零壹分");
	expect_words(10000011, "壹拾万元零壹角壹分");
	expect_words(10100053, "壹拾万壹仟元零伍角叁分");
	expect_words(10010053, "壹拾万零壹佰元零伍角叁分");
	expect_words(1640950, "壹万陆仟肆佰零玖元伍角"); /* 元 digit not zero: no 零 before 角 */
}

/* The edge cases: 0, under a yuan, 拾 with its 壹, 万, 百万, 亿, negatives. */
static void
test_edges(void **state)
{
	(void)state;
	expect_words(0, "零元整");
	expect_words(5, "伍分");      /* ￥0.05 */
	expect_words(10, "壹角");     /* ￥0.10 */
	expect_words(1, "壹分");
	expect_words(1000, "壹拾元整"); /* ￥10: the 壹 of a leading 拾 is kept */
	expect_words(1500, "壹拾伍元整");
	expect_words(11000, "壹佰壹拾元整");
	expect_words(20000, "贰佰元整");
	expect_words(10000000, "壹拾万元整");     /* ￥100,000 */
	expect_words(100000000, "壹佰万元整");    /* ￥1,000,000.00 */
	expect_words(1000000, "壹万元整");
	expect_words(99999999900LL, "玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元整");
	expect_words(10000000000LL, "壹亿元整");
	expect_words(10000000100LL, "壹亿零壹元整");
	expect_words(10001000000LL, "壹亿零壹万元整");
	expect_words(11000000000LL, "壹亿壹仟万元整");
	expect_words(10100000000LL, "壹亿零壹佰万元整");
	expect_words(100000000000000LL, "壹万亿元整");
	expect_words(100010000000000LL, "壹万零壹亿元整");
	expect_words(100000000000001LL, "壹万亿元零壹分");
	expect_words(-140950, "负壹仟肆佰零玖元伍角");
	expect_words(-10700053, "负壹拾万柒仟元零伍角叁分");
	expect_words(-1, "负壹分");
}

/* The largest amounts fit CJ_AMOUNT_WORDS_MAX; a short buffer gives -1 and "". */
static void
test_largest_and_short_buffers(void **state)
{
	char small[8];

	(void)state;
	/* INT64_MAX fen = ￥92,233,720,368,547,758.07 */
	expect_words(INT64_MAX, "玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零柒分");
	expect_words(INT64_MIN, "负玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零捌分");
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
	assert_string_equal(r->notes[0], "合计（大写）：壹仟肆佰零玖元伍角");
	cj_report_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_rules_examples),
		cmocka_unit_test(test_zheng),
		cmocka_unit_test(test_zeros),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_largest_and_short_buffers),
		cmocka_unit_test(test_note_helper),
	};
	return cmocka_run_group_tests_name("amount_words", tests, NULL, NULL);
}
