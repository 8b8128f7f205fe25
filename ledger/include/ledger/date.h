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

#endif
