/*
 * test_money.c - parsing, formatting, arithmetic and allocation of fen
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <ledger/money.h>

static int64_t
parsed(const char *text)
{
	cj_money m = {12345};

	assert_int_equal(cj_money_parse(&m, text), 0);
	return m.fen;
}

static int
parse_status(const char *text)
{
	cj_money m;

	return cj_money_parse(&m, text);
}

static void
test_money_parse_accepts_what_bookkeepers_write(void **state)
{
	(void)state;
	assert_true(parsed("1,234.56") == 123456);
	assert_true(parsed("1234.5") == 123450);
	assert_true(parsed("-3") == -300);
	assert_true(parsed("+5") == 500);
	assert_true(parsed("0") == 0);
	assert_true(parsed("0.00") == 0);
	assert_true(parsed("0.05") == 5);
	assert_true(parsed("(1,200.00)") == -120000);
	assert_true(parsed("１２３．４５") == 12345);          /* full-width digits and point */
	assert_true(parsed("１，２３４．５") == 123450);        /* full-width comma */
	assert_true(parsed("－８") == -800);                    /* full-width minus */
	assert_true(parsed("（１００）") == -10000);            /* full-width parentheses */
	assert_true(parsed("¥12.3") == 1230);
	assert_true(parsed("￥1,000") == 100000);
	assert_true(parsed("  42.10 ") == 4210);
	assert_true(parsed("\xe3\x80\x80" "7" "\xe3\x80\x80") == 700); /* ideographic spaces */
	assert_true(parsed("1,234,567.89") == 123456789);
	assert_true(parsed("92233720368547758.07") == INT64_MAX);
}

static void
test_money_parse_refuses_three_decimals(void **state)
{
	(void)state;
	assert_int_equal(parse_status("1.234"), CJ_EINVAL);
	assert_int_equal(parse_status("1.230"), CJ_EINVAL);
	assert_int_equal(parse_status("０．００１"), CJ_EINVAL);
}

static void
test_money_parse_refuses_overflow(void **state)
{
	(void)state;
	assert_int_equal(parse_status("92233720368547758.08"), CJ_EOVERFLOW);
	assert_int_equal(parse_status("99999999999999999999"), CJ_EOVERFLOW);
	assert_int_equal(parse_status("-99999999999999999999.99"), CJ_EOVERFLOW);
	assert_int_equal(parse_status("184467440737095516.16"), CJ_EOVERFLOW);
}

static void
test_money_parse_refuses_garbage(void **state)
{
	static const char *const bad[] = {
		"", " ", "abc", "-", "+", ".", "1.2.3", "12,34.5", "1,2345", ",123", "1234,567",
		"1 234", "--3", "(-3)", "(3", "3)", "1e5", "0x10", "1.", ".5", "１2.3x", "3-",
		"1,234,56", "¥", "Y12", "\t5", "5\n", "1,,234", "(1,200.00", "-(5)",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (parse_status(bad[i]) != CJ_EINVAL)
			fail_msg("'%s' was accepted as an amount", bad[i]);
	assert_int_equal(cj_money_parse(&(cj_money){0}, NULL), CJ_EINVAL);
}

static const char *
fmt(int64_t fen, unsigned flags)
{
	static char buf[CJ_MONEY_FMT_MAX];

	assert_true(cj_money_format(buf, sizeof buf, cj_money_from_fen(fen), flags) >= 0);
	return buf;
}

static void
test_money_format_groups_thousands(void **state)
{
	(void)state;
	assert_string_equal(fmt(0, CJ_MONEY_FMT_GROUPED), "0.00");
	assert_string_equal(fmt(5, CJ_MONEY_FMT_GROUPED), "0.05");
	assert_string_equal(fmt(-5, CJ_MONEY_FMT_GROUPED), "-0.05");
	assert_string_equal(fmt(123456789, CJ_MONEY_FMT_GROUPED), "1,234,567.89");
	assert_string_equal(fmt(123456789, CJ_MONEY_FMT_PLAIN), "1234567.89");
	assert_string_equal(fmt(-100000, CJ_MONEY_FMT_GROUPED), "-1,000.00");
	assert_string_equal(fmt(99999, CJ_MONEY_FMT_GROUPED), "999.99");
	assert_string_equal(fmt(INT64_MAX, CJ_MONEY_FMT_GROUPED), "92,233,720,368,547,758.07");
	assert_string_equal(fmt(INT64_MIN, CJ_MONEY_FMT_GROUPED), "-92,233,720,368,547,758.08");
	assert_string_equal(fmt(0, CJ_MONEY_FMT_BLANK_ZERO), "");
	assert_string_equal(fmt(1, CJ_MONEY_FMT_BLANK_ZERO), "0.01");
}

static void
test_money_format_refuses_small_buffer(void **state)
{
	char buf[5];

	(void)state;
	assert_int_equal(cj_money_format(buf, sizeof buf, cj_money_from_fen(123456), 0), CJ_EINVAL);
	assert_string_equal(buf, "");
	assert_int_equal(cj_money_format(buf, sizeof buf, cj_money_from_fen(123), 0), 4);
	assert_string_equal(buf, "1.23");
}

static void
test_money_round_trip(void **state)
{
	static const int64_t values[] = {0, 1, -1, 99, 100, 123456789, -987654321, INT64_MAX};
	char buf[CJ_MONEY_FMT_MAX];
	cj_money m;

	(void)state;
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
		for (unsigned flags = 0; flags < 2; flags++) {
			assert_true(cj_money_format(buf, sizeof buf, cj_money_from_fen(values[i]), flags) > 0);
			assert_int_equal(cj_money_parse(&m, buf), 0);
			assert_true(m.fen == values[i]);
		}
}

static void
test_money_add_sub_detect_overflow(void **state)
{
	cj_money m;

	(void)state;
	assert_int_equal(cj_money_add(&m, cj_money_from_fen(1), cj_money_from_fen(2)), 0);
	assert_true(m.fen == 3);
	assert_int_equal(cj_money_add(&m, cj_money_from_fen(INT64_MAX), cj_money_from_fen(1)),
			 CJ_EOVERFLOW);
	assert_int_equal(cj_money_sub(&m, cj_money_from_fen(INT64_MIN), cj_money_from_fen(1)),
			 CJ_EOVERFLOW);
	assert_int_equal(cj_money_sub(&m, cj_money_from_fen(5), cj_money_from_fen(8)), 0);
	assert_true(m.fen == -3);
}

static void
test_money_mul_ratio_names_its_rounding(void **state)
{
	cj_money m;

	(void)state;
	/* 2.5 fen: half up goes away from zero, half even to 2, down to 2 */
	assert_int_equal(cj_money_mul_ratio(&m, cj_money_from_fen(5), 1, 2, CJ_ROUND_HALF_UP), 0);
	assert_true(m.fen == 3);
	assert_int_equal(cj_money_mul_ratio(&m, cj_money_from_fen(5), 1, 2, CJ_ROUND_HALF_EVEN), 0);
	assert_true(m.fen == 2);
	assert_int_equal(cj_money_mul_ratio(&m, cj_money_from_fen(7), 1, 2, CJ_ROUND_HALF_EVEN), 0);
	assert_true(m.fen == 4);
	assert_int_equal(cj_money_mul_ratio(&m, cj_money_from_fen(5), 1, 2, CJ_ROUND_DOWN), 0);
	assert_true(m.fen == 2);
	assert_int_equal(cj_money_mul_ratio(&m, cj_money_from_fen(-5), 1, 2, CJ_ROUND_HALF_UP), 0);
	assert_true(m.fen == -3);
	assert_int_equal(cj_money_mul_ratio(&m, cj_money_from_fen(-5), 1, 2, CJ_ROUND_DOWN), 0);
	assert_true(m.fen == -2);
	/* 10,000.00 yuan at 1.35% interest = 135.00 */
	assert_int_equal(cj_money_mul_ratio(&m, cj_money_from_fen(1000000), 135, 10000,
					    CJ_ROUND_HALF_UP), 0);
	assert_true(m.fen == 13500);
	/* a product beyond int64 is fine in 128 bits if the result fits */
	assert_int_equal(cj_money_mul_ratio(&m, cj_money_from_fen(INT64_MAX), 3, 3, CJ_ROUND_DOWN), 0);
	assert_true(m.fen == INT64_MAX);
	assert_int_equal(cj_money_mul_ratio(&m, cj_money_from_fen(INT64_MAX), 2, 1, CJ_ROUND_DOWN),
			 CJ_EOVERFLOW);
	assert_int_equal(cj_money_mul_ratio(&m, cj_money_from_fen(1), 1, 0, CJ_ROUND_DOWN), CJ_EINVAL);
}

static void
test_money_allocate_largest_remainder(void **state)
{
	cj_money p[4];

	(void)state;
	/* 1.00 over three equal shares: 34, 33, 33 (the tie goes to the lower index) */
	assert_int_equal(cj_money_allocate(p, 3, cj_money_from_fen(100), (int64_t[]){1, 1, 1}), 0);
	assert_true(p[0].fen == 34 && p[1].fen == 33 && p[2].fen == 33);
	/* 10.00 over 3:3:1 -> exact 428.57, 428.57, 142.86: floors 428+428+142 = 998,
	 * remainders 4/7, 4/7, 6/7: the two fen go to index 2 then index 0 */
	assert_int_equal(cj_money_allocate(p, 3, cj_money_from_fen(1000), (int64_t[]){3, 3, 1}), 0);
	assert_true(p[0].fen == 429 && p[1].fen == 428 && p[2].fen == 143);
	/* zero weights get nothing */
	assert_int_equal(cj_money_allocate(p, 4, cj_money_from_fen(7), (int64_t[]){0, 2, 0, 1}), 0);
	assert_true(p[0].fen == 0 && p[1].fen == 5 && p[2].fen == 0 && p[3].fen == 2);
	assert_int_equal(cj_money_allocate(p, 2, cj_money_from_fen(5), (int64_t[]){0, 0}), CJ_EINVAL);
	assert_int_equal(cj_money_allocate(p, 2, cj_money_from_fen(-5), (int64_t[]){1, 1}), CJ_EINVAL);
	assert_int_equal(cj_money_allocate(p, 2, cj_money_from_fen(5), (int64_t[]){1, -1}), CJ_EINVAL);
}

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void
test_money_allocate_parts_always_sum_to_total(void **state)
{
	uint64_t seed = 0x1234567887654321ULL;
	int64_t w[64];
	cj_money p[64];

	(void)state;
	for (int round = 0; round < 2000; round++) {
		size_t n = 1 + xorshift(&seed) % 64;
		int64_t total = (int64_t)(xorshift(&seed) % 100000000), sum = 0, got = 0, wsum = 0;
		for (size_t i = 0; i < n; i++) {
			w[i] = (int64_t)(xorshift(&seed) % 1000);
			wsum += w[i];
		}
		if (wsum == 0)
			w[0] = wsum = 1;
		assert_int_equal(cj_money_allocate(p, n, cj_money_from_fen(total), w), 0);
		for (size_t i = 0; i < n; i++) {
			/* each part is the floor of its exact share or one fen more */
			__extension__ __int128 exact = (__int128)total * w[i];
			int64_t floor = (int64_t)(exact / wsum);
			assert_true(p[i].fen == floor || p[i].fen == floor + 1);
			got += p[i].fen;
		}
		sum = got;
		assert_true(sum == total);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_money_parse_accepts_what_bookkeepers_write),
		cmocka_unit_test(test_money_parse_refuses_three_decimals),
		cmocka_unit_test(test_money_parse_refuses_overflow),
		cmocka_unit_test(test_money_parse_refuses_garbage),
		cmocka_unit_test(test_money_format_groups_thousands),
		cmocka_unit_test(test_money_format_refuses_small_buffer),
		cmocka_unit_test(test_money_round_trip),
		cmocka_unit_test(test_money_add_sub_detect_overflow),
		cmocka_unit_test(test_money_mul_ratio_names_its_rounding),
		cmocka_unit_test(test_money_allocate_largest_remainder),
		cmocka_unit_test(test_money_allocate_parts_always_sum_to_total),
	};

	return cmocka_run_group_tests_name("money", tests, NULL, NULL);
}
