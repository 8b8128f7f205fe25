/*
 * test_disclose.c - the pure parts of the disclosure: the stamp
 * the files carry and the masking of ID numbers in free text (periods:
 * test_span.c)
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
		cmocka_unit_test(stamps),
		cmocka_unit_test(masking),
	};

	return cmocka_run_group_tests_name("disclose", tests, NULL, NULL);
}
