/*
 * test_disclose.c - the pure parts of the disclosure: periods, the stamp
 * the files carry, and the masking of ID numbers in free text
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <reports/disclosure.h>

static void
periods(void **state)
{
	cj_dis_period p;

	(void)state;
	assert_int_equal(cj_dis_period_parse("2025Q4", &p), 0);
	assert_int_equal(p.first_month, 10);
	assert_int_equal(p.last_month, 12);
	assert_int_equal(p.to.day, 31);
	assert_string_equal(p.tag, "2025Q4");
	assert_string_equal(p.label, "2025年第4季度");
	assert_int_equal(cj_dis_period_parse("2024-02", &p), 0);
	assert_int_equal(p.to.day, 29); /* a leap year */
	assert_string_equal(p.label, "2024年2月");
	assert_int_equal(cj_dis_period_parse("2025", &p), 0);
	assert_int_equal(p.from.month, 1);
	assert_int_equal(p.to.month, 12);
	assert_string_equal(p.label, "2025年度");
	assert_int_equal(cj_dis_period_parse("2025q1", &p), 0);
	assert_string_equal(p.tag, "2025Q1");
	for (const char *bad[] = {"2025Q5", "2025Q0", "2025-13", "2025-00", "25Q1", "2025-1", "",
				  "2025Q4x", "20x5", "2025-1a"},
	     **b = bad; b < bad + sizeof bad / sizeof *bad; b++)
		assert_int_not_equal(cj_dis_period_parse(*b, &p), 0);
}

static void
stamps(void **state)
{
	cj_dis_stamp st;
	const char *hex = "58e393fa44b6022e1ec38b68d6ec875abc011ef46bcd0127b112ac771c11e366";
	char text[1024];

	(void)state;
	snprintf(text, sizeof text,
		 "cunji-disclosure-v1 level=village code=360925100201 period=2025Q4 end=2025-12-31 "
		 "vouchers=20 sha256=%s", hex);
	assert_int_equal(cj_dis_stamp_parse(text, &st), 0);
	assert_int_equal(st.level, CJ_DIS_VILLAGE);
	assert_string_equal(st.code, "360925100201");
	assert_string_equal(st.period, "2025Q4");
	assert_int_equal(st.end.day, 31);
	assert_int_equal(st.vouchers, 20);
	assert_string_equal(st.hex, hex);
	assert_int_equal(st.nvillages, 0);
	cj_dis_stamp_free(&st);

	snprintf(text, sizeof text,
		 "cunji-disclosure-v1 level=township code=360925100 period=2025 end=2025-12-31 "
		 "vouchers=26 sha256=%s villages=360925100201:20:58e393fa44b6022e,360925100202:6:"
		 "0123456789abcdef", hex);
	assert_int_equal(cj_dis_stamp_parse(text, &st), 0);
	assert_int_equal(st.level, CJ_DIS_TOWNSHIP);
	assert_int_equal(st.nvillages, 2);
	assert_string_equal(st.villages[1].code, "360925100202");
	assert_int_equal(st.villages[1].vouchers, 6);
	assert_string_equal(st.villages[1].hex, "0123456789abcdef");
	cj_dis_stamp_free(&st);

	/* not stamps: another text, a short or upper-case digest, a bad level, a bad list */
	assert_int_not_equal(cj_dis_stamp_parse("Microsoft Office User", &st), 0);
	assert_int_not_equal(cj_dis_stamp_parse("cunji-disclosure-v1 level=village code=1 period=2025 "
						 "end=2025-12-31 vouchers=1 sha256=abc", &st), 0);
	snprintf(text, sizeof text, "cunji-disclosure-v1 level=city code=1 period=2025 "
		 "end=2025-12-31 vouchers=1 sha256=%s", hex);
	assert_int_not_equal(cj_dis_stamp_parse(text, &st), 0);
	snprintf(text, sizeof text, "cunji-disclosure-v1 level=county code=1 period=2025 "
		 "end=2025-12-31 vouchers=1 sha256=%s villages=V1:x:0123456789abcdef", hex);
	assert_int_not_equal(cj_dis_stamp_parse(text, &st), 0);
	snprintf(text, sizeof text, "cunji-disclosure-v1 level=county code=1 period=2025 "
		 "end=2025-02-30 vouchers=1 sha256=%s", hex);
	assert_int_not_equal(cj_dis_stamp_parse(text, &st), 0);
}

static void
masking(void **state)
{
	char a[] = "李长根 110105195001010012 误工补贴";
	char b[] = "11010519491231002X";
	char c[] = "账号6217001234567890123，电话13800138000";
	char d[] = "x110105195001010012y";

	(void)state;
	cj_dis_mask_ids(a);
	assert_string_equal(a, "李长根 110105********0012 误工补贴");
	cj_dis_mask_ids(b);
	assert_string_equal(b, "110105********002X");
	/* a 19-digit bank account is not an ID number; an 11-digit phone neither */
	cj_dis_mask_ids(c);
	assert_string_equal(c, "账号6217001234567890123，电话13800138000");
	cj_dis_mask_ids(d);
	assert_string_equal(d, "x110105********0012y");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(periods),
		cmocka_unit_test(stamps),
		cmocka_unit_test(masking),
	};

	return cmocka_run_group_tests_name("disclose", tests, NULL, NULL);
}
