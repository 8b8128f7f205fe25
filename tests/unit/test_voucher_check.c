/*
 * test_voucher_check.c - the C side of the voucher rules, without a database
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <ledger/ledger.h>

static cj_voucher
voucher(cj_line *lines, size_t n)
{
	cj_voucher v;

	memset(&v, 0, sizeof v);
	v.village_id = 1;
	v.date.year = 2025;
	v.date.month = 3;
	v.date.day = 5;
	v.summary = "收到承包费";
	v.lines = lines;
	v.nlines = n;
	return v;
}

static void
test_voucher_check_accepts_balanced(void **state)
{
	cj_line l[3] = {{.account = "513002", .debit = {1000}},
			{.account = "513003", .debit = {234}},
			{.account = "102001", .credit = {1234}}};
	cj_voucher v = voucher(l, 3);
	char err[200];

	(void)state;
	assert_int_equal(cj_voucher_check(&v, err, sizeof err), 0);
}

static void
test_voucher_check_refuses_unbalanced(void **state)
{
	cj_line l[2] = {{.account = "102001", .debit = {123456}}, {.account = "501", .credit = {123455}}};
	cj_voucher v = voucher(l, 2);
	char err[200];

	(void)state;
	assert_int_equal(cj_voucher_check(&v, err, sizeof err), CJ_EUNBALANCED);
	assert_string_equal(err, "debits 1,234.56 do not equal credits 1,234.55");
}

static void
test_voucher_check_refuses_bad_shapes(void **state)
{
	cj_line one[1] = {{.account = "102001", .debit = {1}}};
	cj_line both[2] = {{.account = "102001", .debit = {1}, .credit = {1}}, {.account = "501", .credit = {0}}};
	cj_line none[2] = {{.account = "102001"}, {.account = "501"}};
	cj_line noacct[2] = {{.account = "", .debit = {1}}, {.account = "501", .credit = {1}}};
	cj_line red[2] = {{.account = "102001", .debit = {-1}}, {.account = "501", .credit = {-1}}};
	cj_voucher v;
	char err[200];

	(void)state;
	v = voucher(one, 1);
	assert_int_equal(cj_voucher_check(&v, err, sizeof err), CJ_EINVAL);
	v = voucher(both, 2);
	assert_int_equal(cj_voucher_check(&v, err, sizeof err), CJ_EINVAL);
	assert_non_null(strstr(err, "not both"));
	v = voucher(none, 2);
	assert_int_equal(cj_voucher_check(&v, err, sizeof err), CJ_EINVAL);
	assert_non_null(strstr(err, "not neither"));
	v = voucher(noacct, 2);
	assert_int_equal(cj_voucher_check(&v, err, sizeof err), CJ_EINVAL);
	v = voucher(red, 2);
	assert_int_equal(cj_voucher_check(&v, err, sizeof err), CJ_EINVAL);
	v.kind = CJ_VOUCHER_REVERSAL;
	assert_int_equal(cj_voucher_check(&v, err, sizeof err), 0);
	v = voucher(red, 2);
	v.summary = "";
	assert_int_equal(cj_voucher_check(&v, err, sizeof err), CJ_EINVAL);
	v = voucher(red, 2);
	v.date.day = 30;
	v.date.month = 2;
	assert_int_equal(cj_voucher_check(&v, err, sizeof err), CJ_EINVAL);
}

static void
test_voucher_check_refuses_overflowing_total(void **state)
{
	cj_line l[3] = {{.account = "101", .debit = {INT64_MAX}},
			{.account = "102", .debit = {1}},
			{.account = "501", .credit = {INT64_MAX}}};
	cj_voucher v = voucher(l, 3);
	char err[200];

	(void)state;
	assert_int_equal(cj_voucher_check(&v, err, sizeof err), CJ_EOVERFLOW);
}

static void
test_voucher_hash_tells_content_apart(void **state)
{
	cj_line a[2] = {{.account = "102001", .debit = {100}}, {.account = "501", .credit = {100}}};
	cj_line b[2] = {{.account = "102001", .debit = {101}}, {.account = "501", .credit = {101}}};
	cj_voucher x = voucher(a, 2), y = voucher(a, 2), z = voucher(b, 2);
	char hx[65], hy[65], hz[65];

	(void)state;
	cj_voucher_hash(&x, hx);
	cj_voucher_hash(&y, hy);
	cj_voucher_hash(&z, hz);
	assert_int_equal(strlen(hx), 64);
	assert_string_equal(hx, hy);
	assert_string_not_equal(hx, hz);
	y.summary = "收到承包费 ";
	cj_voucher_hash(&y, hy);
	assert_string_not_equal(hx, hy);
}

static void
test_date_parse_and_periods(void **state)
{
	cj_date d;
	cj_period p;

	(void)state;
	assert_int_equal(cj_date_parse(&d, "2024-02-29"), 0);
	assert_int_equal(cj_date_parse(&d, "2025-02-29"), CJ_EINVAL);
	assert_int_equal(cj_date_parse(&d, "2025-3-05"), CJ_EINVAL);
	assert_int_equal(cj_date_parse(&d, "2025-13-01"), CJ_EINVAL);
	assert_int_equal(cj_period_parse(&p, "2025-12"), 0);
	assert_int_equal(cj_period_next(p).year, 2026);
	assert_int_equal(cj_period_parse(&p, "2025-00"), CJ_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_voucher_check_accepts_balanced),
		cmocka_unit_test(test_voucher_check_refuses_unbalanced),
		cmocka_unit_test(test_voucher_check_refuses_bad_shapes),
		cmocka_unit_test(test_voucher_check_refuses_overflowing_total),
		cmocka_unit_test(test_voucher_hash_tells_content_apart),
		cmocka_unit_test(test_date_parse_and_periods),
	};

	return cmocka_run_group_tests_name("voucher_check", tests, NULL, NULL);
}
