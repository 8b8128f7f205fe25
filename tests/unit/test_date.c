/*
 * test_date.c - calendar dates and monthly periods (date.h), without a database
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <ledger/ledger.h>

static void
test_days_in_month(void **state)
{
	(void)state;
	assert_int_equal(cj_days_in_month(2025, 1), 31);
	assert_int_equal(cj_days_in_month(2025, 4), 30);
	assert_int_equal(cj_days_in_month(2025, 2), 28);
	assert_int_equal(cj_days_in_month(2024, 2), 29);
	assert_int_equal(cj_days_in_month(1900, 2), 28); /* a century */
	assert_int_equal(cj_days_in_month(2000, 2), 29); /* every fourth century */
	assert_int_equal(cj_days_in_month(2025, 12), 31);
	assert_int_equal(cj_days_in_month(2025, 0), 0);
	assert_int_equal(cj_days_in_month(2025, 13), 0);
}

static void
test_format_round_trips(void **state)
{
	char buf[16];
	cj_date d;
	cj_period p;

	(void)state;
	cj_date_format(buf, sizeof buf, (cj_date){2025, 3, 5});
	assert_string_equal(buf, "2025-03-05");
	assert_int_equal(cj_date_parse(&d, buf), 0);
	assert_true(d.year == 2025 && d.month == 3 && d.day == 5);
	cj_period_format(buf, sizeof buf, (cj_period){1949, 10});
	assert_string_equal(buf, "1949-10");
	assert_int_equal(cj_period_parse(&p, buf), 0);
	assert_true(p.year == 1949 && p.month == 10);
	/* a short buffer is cut, never overrun */
	cj_date_format(buf, 5, (cj_date){2025, 3, 5});
	assert_string_equal(buf, "2025");
}

static void
test_periods_order_and_months(void **state)
{
	cj_period p;

	(void)state;
	assert_int_equal(cj_period_cmp((cj_period){2025, 3}, (cj_period){2025, 3}), 0);
	assert_int_equal(cj_period_cmp((cj_period){2025, 3}, (cj_period){2025, 4}), -1);
	assert_int_equal(cj_period_cmp((cj_period){2026, 1}, (cj_period){2025, 12}), 1);
	assert_int_equal(cj_period_cmp((cj_period){2024, 12}, (cj_period){2025, 1}), -1);
	p = cj_period_of((cj_date){2025, 12, 31});
	assert_true(p.year == 2025 && p.month == 12);
	p = cj_period_next(p);
	assert_true(p.year == 2026 && p.month == 1);
}

/* The books take 1949-10-01 to the last day of next year. */
static void
test_books_dates(void **state)
{
	cj_date last = cj_books_last_date();
	char range[40], want[40];

	(void)state;
	assert_int_equal(last.year, cj_date_today().year + 1);
	assert_true(last.month == 12 && last.day == 31);
	assert_true(cj_date_in_books((cj_date){1949, 10, 1}));
	assert_false(cj_date_in_books((cj_date){1949, 9, 30}));
	assert_true(cj_date_in_books(last));
	assert_false(cj_date_in_books((cj_date){last.year + 1, 1, 1}));
	assert_false(cj_date_in_books((cj_date){2025, 2, 29}));
	assert_true(cj_period_in_books((cj_period){1949, 10}));
	assert_false(cj_period_in_books((cj_period){1949, 9}));
	assert_false(cj_period_in_books((cj_period){2025, 13}));
	snprintf(want, sizeof want, "1949-10-01 to %04d-12-31", last.year);
	assert_string_equal(cj_books_range_text(range, sizeof range), want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days_in_month),
		cmocka_unit_test(test_format_round_trips),
		cmocka_unit_test(test_periods_order_and_months),
		cmocka_unit_test(test_books_dates),
	};

	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
