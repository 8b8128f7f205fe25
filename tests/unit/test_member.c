/*
 * test_member.c - ID numbers, masking, shares and file encodings, without a database
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <importers/encoding.h>
#include <ledger/ledger.h>

static void
test_id_number_valid_examples(void **state)
{
	(void)state;
	/* the standard's own example, with X as check character */
	assert_int_equal(cj_id_number_check("11010519491231002X"), CJ_ID_OK);
	assert_true(cj_id_number_valid("11010519491231002X"));
	assert_true(cj_id_number_valid("360925195803121318"));
	assert_true(cj_id_number_valid("36092519650921215X"));
	assert_true(cj_id_number_valid("110105200002290021")); /* 2000 is a leap year */
	assert_int_equal(cj_id_check_char("11010519491231002"), 'X');
	assert_int_equal(cj_id_check_char("36092519580312131"), '8');
	assert_int_equal(cj_id_check_char("3609251958031213A"), 0);
}

static void
test_id_number_refusals_say_why(void **state)
{
	(void)state;
	assert_int_equal(cj_id_number_check("110105194912310021"), CJ_ID_CHECK_DIGIT);
	assert_int_equal(cj_id_number_check("11010519491231002"), CJ_ID_LENGTH); /* 17 digits */
	assert_int_equal(cj_id_number_check("11010519491231002X1"), CJ_ID_LENGTH);
	assert_int_equal(cj_id_number_check(""), CJ_ID_LENGTH);
	assert_int_equal(cj_id_number_check(NULL), CJ_ID_LENGTH);
	assert_int_equal(cj_id_number_check("11010519491231A02X"), CJ_ID_CHARS);
	assert_int_equal(cj_id_number_check("ABCDEFGHIJKLMNOPQR"), CJ_ID_CHARS);
	assert_int_equal(cj_id_number_check("11010519491231002Y"), CJ_ID_CHARS);
	assert_int_equal(cj_id_number_check("１１０１０５１９"), CJ_ID_LENGTH); /* full-width */
	assert_int_equal(cj_id_number_check("11010519491231002x"), CJ_ID_LOWERCASE_X);
	/* right check digit, impossible birth dates: month 13, 29 February 1949, the future */
	assert_int_equal(cj_id_number_check("110105194913310021"), CJ_ID_BIRTH_DATE);
	assert_int_equal(cj_id_number_check("110105194902290029"), CJ_ID_BIRTH_DATE);
	assert_int_equal(cj_id_number_check("110105209912310029"), CJ_ID_BIRTH_DATE);
	assert_false(cj_id_number_valid("110105194913310021"));
	assert_non_null(strstr(cj_id_problem_text(CJ_ID_CHECK_DIGIT), "check digit"));
	assert_non_null(strstr(cj_id_problem_text(CJ_ID_LOWERCASE_X), "X"));
}

static void
test_id_number_mask(void **state)
{
	char out[CJ_ID_MASK_MAX];

	(void)state;
	cj_id_number_mask(out, "11010519491231002X");
	assert_string_equal(out, "110105********002X");
	cj_id_number_mask(out, "360925195803121318");
	assert_string_equal(out, "360925********1318");
	/* not an ID: nothing of it shows, one asterisk per character like the SQL */
	cj_id_number_mask(out, "abc");
	assert_string_equal(out, "***");
	cj_id_number_mask(out, "张三");
	assert_string_equal(out, "**");
	cj_id_number_mask(out, "");
	assert_string_equal(out, "");
	cj_id_number_mask(out, "1234567890123456789012345");
	assert_string_equal(out, "******************");
}

static void
test_shares_parse_and_format(void **state)
{
	int64_t c = 0;
	char buf[CJ_SHARES_FMT_MAX];

	(void)state;
	assert_int_equal(cj_shares_parse(&c, "1"), 0);
	assert_int_equal(c, 100);
	assert_int_equal(cj_shares_parse(&c, "1.5"), 0);
	assert_int_equal(c, 150);
	assert_int_equal(cj_shares_parse(&c, "0.25"), 0);
	assert_int_equal(c, 25);
	assert_int_equal(cj_shares_parse(&c, " 2 "), 0);
	assert_int_equal(c, 200);
	assert_int_equal(cj_shares_parse(&c, "9999999999.99"), 0);
	assert_int_equal(c, CJ_SHARES_MAX_CENTI);
	assert_int_equal(cj_shares_parse(&c, "10000000000"), CJ_EOVERFLOW);
	assert_int_equal(cj_shares_parse(&c, "99999999999999999999999"), CJ_EOVERFLOW);
	c = 7;
	assert_int_equal(cj_shares_parse(&c, "1.234"), CJ_EINVAL);
	assert_int_equal(cj_shares_parse(&c, "0"), CJ_EINVAL);
	assert_int_equal(cj_shares_parse(&c, "0.00"), CJ_EINVAL);
	assert_int_equal(cj_shares_parse(&c, "-1"), CJ_EINVAL);
	assert_int_equal(cj_shares_parse(&c, "1."), CJ_EINVAL);
	assert_int_equal(cj_shares_parse(&c, ".5"), CJ_EINVAL);
	assert_int_equal(cj_shares_parse(&c, "1,5"), CJ_EINVAL);
	assert_int_equal(cj_shares_parse(&c, "abc"), CJ_EINVAL);
	assert_int_equal(cj_shares_parse(&c, ""), CJ_EINVAL);
	assert_int_equal(cj_shares_parse(&c, NULL), CJ_EINVAL);
	assert_int_equal(c, 7); /* untouched on failure */
	assert_string_equal(cj_shares_format(buf, 150), "1.50");
	assert_string_equal(cj_shares_format(buf, 5), "0.05");
	assert_string_equal(cj_shares_format(buf, CJ_SHARES_MAX_CENTI), "9999999999.99");
}

static void
test_share_types_and_fields(void **state)
{
	(void)state;
	assert_int_equal(cj_share_type_index("人口股"), 0);
	assert_true(cj_share_type_index("集体股") >= 0);
	assert_int_equal(cj_share_type_index("福利股"), -1);
	assert_int_equal(cj_share_type_index(NULL), -1);
	assert_true(cj_household_code_valid("0101"));
	assert_true(cj_household_code_valid("H-01_a"));
	assert_false(cj_household_code_valid(""));
	assert_false(cj_household_code_valid("一组01"));
	assert_false(cj_household_code_valid("0101 "));
	assert_false(cj_household_code_valid("1234567890123456789012345678901")); /* 31 */
	assert_true(cj_poverty_status_valid(""));
	assert_true(cj_poverty_status_valid("监测户"));
	assert_false(cj_poverty_status_valid("贫困户"));
	assert_true(cj_bank_account_valid("6228 4800 3211"));
	assert_false(cj_bank_account_valid("6228-4800"));
}

/* cj_household_check needs a handle for its message only: one that failed to connect. */
static void
test_household_check_names_the_problem(void **state)
{
	cj_db *db = NULL;
	cj_person people[2] = {{"王芳", "110105195203040025", "配偶"}, {"张伟", "11010519491231002X", "子"}};
	cj_share_spec shares[1] = {{"人口股", "2", {2025, 1, 1}}};
	cj_household h = {.code = "H01", .head_name = "张建国", .head_id_number = "110105195001010012",
			  .people = people, .npeople = 1, .shares = shares, .nshares = 1};

	(void)state;
	assert_int_not_equal(cj_db_connect(&db, "host=/nonexistent-cunji-test dbname=none"), 0);
	assert_non_null(db);
	assert_int_equal(cj_household_check(db, &h), 0);
	h.npeople = 2; /* three people, three different IDs */
	assert_int_equal(cj_household_check(db, &h), 0);
	people[1].id_number = "110105195001010012";
	assert_int_equal(cj_household_check(db, &h), CJ_EINVAL);
	assert_non_null(strstr(cj_db_errmsg(db), "person 3 张伟 has the same ID number as the head"));
	people[1].id_number = "11010519491231002X";
	people[1].relation = "户主";
	assert_int_equal(cj_household_check(db, &h), CJ_EINVAL);
	assert_non_null(strstr(cj_db_errmsg(db), "one 户主"));
	people[1].relation = "子";
	shares[0].type = "集体股";
	assert_int_equal(cj_household_check(db, &h), CJ_EINVAL);
	assert_non_null(strstr(cj_db_errmsg(db), "collective"));
	shares[0].type = "人口股";
	shares[0].shares = "1.005";
	assert_int_equal(cj_household_check(db, &h), CJ_EINVAL);
	assert_non_null(strstr(cj_db_errmsg(db), "'1.005' is not a number of shares"));
	shares[0].shares = "2";
	h.head_id_number = "110105195001010013";
	assert_int_equal(cj_household_check(db, &h), CJ_EINVAL);
	assert_non_null(strstr(cj_db_errmsg(db), "the head 张建国: ID number '110105195001010013' has a wrong check digit"));
	cj_db_close(db);
}

/* ---- cj_to_utf8 ---------------------------------------------------------------- */

static void
expect_utf8_n(const char *in, size_t len, const char *want, size_t wantlen, const char *encoding)
{
	char *out = NULL;
	size_t outlen = 0;
	const char *name = NULL;

	assert_int_equal(cj_to_utf8(in, len, &out, &outlen, &name), 0);
	assert_non_null(out);
	assert_int_equal(outlen, wantlen);
	if (wantlen)
		assert_memory_equal(out, want, wantlen);
	assert_int_equal(out[outlen], '\0');
	assert_string_equal(name, encoding);
	free(out);
}

static void
expect_utf8(const char *in, size_t len, const char *want, const char *encoding)
{
	expect_utf8_n(in, len, want, strlen(want), encoding);
}

static void
expect_refused(const char *in, size_t len, size_t offset)
{
	char *out = (char *)"untouched";
	size_t outlen = 0;
	const char *name = "untouched";

	assert_int_equal(cj_to_utf8(in, len, &out, &outlen, &name), CJ_EINVAL);
	assert_null(out);
	assert_null(name);
	assert_int_equal(outlen, offset);
}

static void
test_utf8_passes_through(void **state)
{
	static const char text[] = "户编号,姓名\n0101,周德明\n";

	(void)state;
	expect_utf8(text, strlen(text), text, CJ_ENCODING_UTF8);
	expect_utf8("", 0, "", CJ_ENCODING_UTF8);
	expect_utf8_n("a\0b", 3, "a\0b", 3, CJ_ENCODING_UTF8); /* the length ends the input, not a NUL */
}

static void
test_utf8_bom_is_stripped(void **state)
{
	static const char text[] = "\xEF\xBB\xBF户编号,姓名\n";

	(void)state;
	expect_utf8(text, strlen(text), "户编号,姓名\n", CJ_ENCODING_UTF8_BOM);
	expect_utf8("\xEF\xBB\xBF", 3, "", CJ_ENCODING_UTF8_BOM);
	/* a BOM promises UTF-8: what follows is not read as GBK */
	expect_refused("\xEF\xBB\xBF" "ab\xD5\xC5", 7, 5);
}

static void
test_gbk_is_converted(void **state)
{
	/* 张三,户主 and 人口股 in GBK, as `iconv -f UTF-8 -t GBK` writes them */
	static const char gbk[] = "\xD5\xC5\xC8\xFD,\xBB\xA7\xD6\xF7\n\xC8\xCB\xBF\xDA\xB9\xC9\r\n";
	/* a four-byte GB18030 sequence (U+0080) beyond GBK */
	static const char gb18030[] = "\xD5\xC5\x81\x30\x81\x30";

	(void)state;
	expect_utf8(gbk, strlen(gbk), "张三,户主\n人口股\r\n", CJ_ENCODING_GB18030);
	expect_utf8(gb18030, strlen(gb18030), "张\xC2\x80", CJ_ENCODING_GB18030);
}

static void
test_invalid_bytes_are_refused(void **state)
{
	char damaged[200];

	(void)state;
	/* 0xFF and 0x80 alone are neither UTF-8 nor GB18030 */
	expect_refused("ab\xFF\xFE" "cd", 6, 2);
	expect_refused("\xD5\xC5\x80", 3, 2);
	/* a GBK character cut off at the end */
	expect_refused("\xD5\xC5\xC8", 3, 2);
	/* UTF-8 with one damaged byte is not read as GB18030 nonsense */
	snprintf(damaged, sizeof damaged, "%s\xE9%s", "周德明,刘桂英,周建华,周小燕,黄国平,陈秀兰,",
		 "黄丽,舒春生,舒明,吴美华\n");
	expect_refused(damaged, strlen(damaged), strlen("周德明,刘桂英,周建华,周小燕,黄国平,陈秀兰,"));
}

static void
test_utf8_valid_prefix(void **state)
{
	(void)state;
	assert_int_equal(cj_utf8_valid_prefix("abc", 3), 3);
	assert_int_equal(cj_utf8_valid_prefix("张三", strlen("张三")), 6);
	assert_int_equal(cj_utf8_valid_prefix("a\xE5\xBC", 3), 1);        /* cut short */
	assert_int_equal(cj_utf8_valid_prefix("\xC0\xAF", 2), 0);         /* overlong '/' */
	assert_int_equal(cj_utf8_valid_prefix("\xED\xA0\x80", 3), 0);     /* a surrogate */
	assert_int_equal(cj_utf8_valid_prefix("\xF4\x90\x80\x80", 4), 0); /* past U+10FFFF */
	assert_int_equal(cj_utf8_valid_prefix("\xF0\x9F\x98\x80", 4), 4); /* an emoji */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_number_valid_examples),
		cmocka_unit_test(test_id_number_refusals_say_why),
		cmocka_unit_test(test_id_number_mask),
		cmocka_unit_test(test_shares_parse_and_format),
		cmocka_unit_test(test_share_types_and_fields),
		cmocka_unit_test(test_household_check_names_the_problem),
		cmocka_unit_test(test_utf8_passes_through),
		cmocka_unit_test(test_utf8_bom_is_stripped),
		cmocka_unit_test(test_gbk_is_converted),
		cmocka_unit_test(test_invalid_bytes_are_refused),
		cmocka_unit_test(test_utf8_valid_prefix),
	};

	return cmocka_run_group_tests_name("member", tests, NULL, NULL);
}
