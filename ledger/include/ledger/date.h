/*
 * date.h - calendar dates and monthly periods
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_DATE_H
#define CUNJI_LEDGER_DATE_H

#include <stddef.h>

#include <ledger/error.h>

typedef struct cj_date {
	int year, month, day;
} cj_date;

/** A month: the books' period. */
typedef struct cj_period {
	int year, month;
} cj_period;

/** Parse "YYYY-MM-DD" (a real calendar date); CJ_EINVAL otherwise. */
CJ_MUST_CHECK int cj_date_parse(cj_date *out, const char *text);
/** Parse "YYYY-MM"; CJ_EINVAL otherwise. */
CJ_MUST_CHECK int cj_period_parse(cj_period *out, const char *text);
int cj_date_valid(cj_date d);
int cj_days_in_month(int year, int month);
/** "YYYY-MM-DD" into buf (>= 11 bytes). */
void cj_date_format(char *buf, size_t size, cj_date d);
/** "YYYY-MM" into buf (>= 8 bytes). */
void cj_period_format(char *buf, size_t size, cj_period p);
/** -1, 0, 1 */
int cj_period_cmp(cj_period a, cj_period b);
cj_period cj_period_of(cj_date d);
cj_period cj_period_next(cj_period p);
/** Today in local time. */
cj_date cj_date_today(void);

/*
 * The books' dates run from 1949-10-01 (no collective's books are older) to
 * the last day of next year: a typo such as 9999-12-31 or 2205-03-01 is
 * refused, while a voucher or a planned date early next year can still be
 * entered in December.  The database holds the same bounds (schema 0011,
 * books_date).  Dates that are not the books' (a member's date of birth)
 * need only cj_date_valid.
 */
#define CJ_BOOKS_FIRST_DATE "1949-10-01"
/** The last date the books take: December 31 of next year (local time). */
cj_date cj_books_last_date(void);
/** 1 when d is a real date within the books' dates. */
int cj_date_in_books(cj_date d);
/** 1 when p is a month within the books' dates (1949-10 to December of next year). */
int cj_period_in_books(cj_period p);
/** "1949-10-01 to 2027-12-31", for messages; returns buf (>= 32 bytes). */
const char *cj_books_range_text(char *buf, size_t size);

#endif
