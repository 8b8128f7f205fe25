/*
 * test_import_amount.c - amounts in 元 and 万元, units in column headers
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <importers/amount.h>

static int64_t
fen(const char *text, cj_amount_unit unit)
{
	cj_money m = {-777};

	assert_int_equal(cj_amount_parse(&m, text, unit), 0);
	return m.fen;
}

static void
refused(const char *text, cj_amount_unit unit, int status)
{
	cj_money m;

	assert_int_equal(cj_amount_parse(&m, text, unit), status);
}

static void
test_yuan_as_cj_money_parse(void **state)
{
	(void)state;
	assert_int_equal(fen("1,234.56", CJ_UNIT_YUAN), 123456);
	assert_int_equal(fen("(1,200.00)", CJ_UNIT_YUAN), -120000);
	assert_int_equal(fen("-3", CJ_UNIT_YUAN), -300);
	assert_int_equal(fen("１２３．４５", CJ_UNIT_YUAN), 12345);  /* full-width */
	assert_int_equal(fen("（５０）", CJ_UNIT_YUAN), -5000);       /* full-width parentheses */
	assert_int_equal(fen(" ¥12 ", CJ_UNIT_YUAN), 1200);
	refused("12,34.5", CJ_UNIT_YUAN, CJ_EINVAL);
	refused("1.234", CJ_UNIT_YUAN, CJ_EINVAL);
	refused("", CJ_UNIT_YUAN, CJ_EINVAL);
	refused("1e5", CJ_UNIT_YUAN, CJ_EINVAL);
	refused("99999999999999999999", CJ_UNIT_YUAN, CJ_EOVERFLOW);
}

/* What spreadsheets write: Excel's doubles, a unit in the cell. */
static void
test_spreadsheet_amounts(void **state)
{
	(void)state;
	assert_int_equal(fen("856216.5600000001", CJ_UNIT_YUAN), 85621656);
	assert_int_equal(fen("390424.6899999999", CJ_UNIT_YUAN), 39042469);
	assert_int_equal(fen("-390424.6899999999", CJ_UNIT_YUAN), -39042469);
	assert_int_equal(fen("0.30000000000000004", CJ_UNIT_YUAN), 30);
	assert_int_equal(fen("99.99999999999999", CJ_UNIT_YUAN), 10000);   /* the carry */
	assert_int_equal(fen("-9.999999999", CJ_UNIT_YUAN), -1000);
	assert_int_equal(fen("123456789012.34000001", CJ_UNIT_YUAN), 12345678901234); /* 15 digits */
	assert_int_equal(fen("1.2345670000001", CJ_UNIT_WAN), 1234567);
	assert_int_equal(fen("1200元", CJ_UNIT_YUAN), 120000);
	assert_int_equal(fen("¥1,200.00", CJ_UNIT_YUAN), 120000);
	assert_int_equal(fen("￥1,200.00元", CJ_UNIT_YUAN), 120000);
	assert_int_equal(fen("1.2万元", CJ_UNIT_YUAN), 1200000);  /* the cell's unit wins */
	assert_int_equal(fen("3万", CJ_UNIT_YUAN), 3000000);
	assert_int_equal(fen("1200元", CJ_UNIT_WAN), 120000);
	/* more than a millionth of a fen off: a real third decimal, refused */
	refused("856216.565", CJ_UNIT_YUAN, CJ_EINVAL);
	refused("1.2300001", CJ_UNIT_YUAN, CJ_EINVAL);
	refused("1.2399990", CJ_UNIT_YUAN, CJ_EINVAL);
	refused("元", CJ_UNIT_YUAN, CJ_EINVAL);
	refused("12元元", CJ_UNIT_YUAN, CJ_EINVAL);
}

static void
test_wan_scaled_exactly(void **state)
{
	(void)state;
	assert_int_equal(fen("1", CJ_UNIT_WAN), 1000000);          /* 10,000.00 元 */
	assert_int_equal(fen("1.5", CJ_UNIT_WAN), 1500000);
	assert_int_equal(fen("1.2345", CJ_UNIT_WAN), 1234500);
	assert_int_equal(fen("1.234567", CJ_UNIT_WAN), 1234567);    /* to the fen */
	assert_int_equal(fen("0.000001", CJ_UNIT_WAN), 1);          /* one fen */
	assert_int_equal(fen("1,234.56", CJ_UNIT_WAN), 1234560000);
	assert_int_equal(fen("12,345.678901", CJ_UNIT_WAN), 12345678901);
	assert_int_equal(fen("(2.5)", CJ_UNIT_WAN), -2500000);
	assert_int_equal(fen("-0.000001", CJ_UNIT_WAN), -1);        /* the sign of a tiny amount */
	assert_int_equal(fen("（０．００００１）", CJ_UNIT_WAN), -10);
	assert_int_equal(fen("１．２３４５６７", CJ_UNIT_WAN), 1234567);
	assert_int_equal(fen("0.1", CJ_UNIT_WAN), 100000);
	/* 0.1 + 0.2 in floating point is not 0.3; here it is */
	assert_int_equal(fen("0.1", CJ_UNIT_WAN) + fen("0.2", CJ_UNIT_WAN), fen("0.3", CJ_UNIT_WAN));
	refused("1.0000001", CJ_UNIT_WAN, CJ_EINVAL); /* finer than a fen */
	refused("1.", CJ_UNIT_WAN, CJ_EINVAL);
	refused("12,34.5", CJ_UNIT_WAN, CJ_EINVAL);
	refused("abc", CJ_UNIT_WAN, CJ_EINVAL);
	refused("", CJ_UNIT_WAN, CJ_EINVAL);
	refused("9,999,999,999,999,999", CJ_UNIT_WAN, CJ_EOVERFLOW);
	refused("922337203685477.58", CJ_UNIT_WAN, CJ_EOVERFLOW);
	{
		/* long text: both units agree (cj_money_parse takes 127 characters) */
		char text[600];
		cj_money y, w;
		memset(text, ' ', sizeof text);
		memcpy(text + 10, "123", 3);
		text[sizeof text - 1] = '\0';
		assert_int_equal(cj_amount_parse(&y, text, CJ_UNIT_YUAN),
				 cj_amount_parse(&w, text, CJ_UNIT_WAN));
		text[120] = '\0';
		assert_int_equal(cj_amount_parse(&w, text, CJ_UNIT_WAN), 0);
		assert_int_equal(w.fen, 123000000); /* 123 万元 */
	}
}

static void
split(const char *header, const char *name, cj_amount_unit unit, int status)
{
	char got[64];
	cj_amount_unit u = (cj_amount_unit)-1;

	assert_int_equal(cj_header_split(header, got, sizeof got, &u), status);
	assert_string_equal(got, name);
	assert_int_equal(u, unit);
}

static void
test_header_units(void **state)
{
	(void)state;
	split("借方金额", "借方金额", CJ_UNIT_YUAN, 0);
	split(" 借方金额(万元) ", "借方金额", CJ_UNIT_WAN, 0);
	split("借方金额（万元）", "借方金额", CJ_UNIT_WAN, 0);
	split("贷方金额(单位：万元)", "贷方金额", CJ_UNIT_WAN, 0);
	split("借方金额/万元", "借方金额", CJ_UNIT_WAN, 0);
	split("借方金额万元", "借方金额", CJ_UNIT_WAN, 0);
	split("期初余额(元)", "期初余额", CJ_UNIT_YUAN, 0);
	split("debit", "debit", CJ_UNIT_YUAN, 0);
	split("借方金额(千元)", "借方金额", CJ_UNIT_YUAN, CJ_EINVAL);
	split("村代码(12位)", "村代码", CJ_UNIT_YUAN, CJ_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yuan_as_cj_money_parse),
		cmocka_unit_test(test_spreadsheet_amounts),
		cmocka_unit_test(test_wan_scaled_exactly),
		cmocka_unit_test(test_header_units),
	};

	return cmocka_run_group_tests_name("import_amount", tests, NULL, NULL);
}
