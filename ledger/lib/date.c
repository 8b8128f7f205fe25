/*
 * date.c - calendar dates and monthly periods
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal.h"

int
cj_days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	if (month < 1 || month > 12)
		return 0;
	return days[month - 1] + (month == 2 && leap);
}

int
cj_date_valid(cj_date d)
{
	return d.year >= 1900 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
	       d.day <= cj_days_in_month(d.year, d.month);
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
cj_date_parse(cj_date *out, const char *text)
{
	cj_date d;

	if (strlen(text) != 10 || text[4] != '-' || text[7] != '-' || digits(text, 4, &d.year) ||
	    digits(text + 5, 2, &d.month) || digits(text + 8, 2, &d.day) || !cj_date_valid(d))
		return CJ_EINVAL;
	*out = d;
	return 0;
}

int
cj_period_parse(cj_period *out, const char *text)
{
	cj_period p;

	if (strlen(text) != 7 || text[4] != '-' || digits(text, 4, &p.year) ||
	    digits(text + 5, 2, &p.month) || p.year < 1900 || p.month < 1 || p.month > 12)
		return CJ_EINVAL;
	*out = p;
	return 0;
}

void
cj_date_format(char *buf, size_t size, cj_date d)
{
	/* by hand in the common case: an import formats two dates a voucher */
	if (size >= 11 && d.year >= 0 && d.year <= 9999 && d.month >= 0 && d.month <= 99 &&
	    d.day >= 0 && d.day <= 99) {
		buf[0] = (char)('0' + d.year / 1000);
		buf[1] = (char)('0' + d.year / 100 % 10);
		buf[2] = (char)('0' + d.year / 10 % 10);
		buf[3] = (char)('0' + d.year % 10);
		buf[4] = '-';
		buf[5] = (char)('0' + d.month / 10);
		buf[6] = (char)('0' + d.month % 10);
		buf[7] = '-';
		buf[8] = (char)('0' + d.day / 10);
		buf[9] = (char)('0' + d.day % 10);
		buf[10] = '\0';
		return;
	}
	snprintf(buf, size, "%04d-%02d-%02d", d.year, d.month, d.day);
}

void
cj_period_format(char *buf, size_t size, cj_period p)
{
	snprintf(buf, size, "%04d-%02d", p.year, p.month);
}

void
cj__period_date(char *buf, size_t size, cj_period p)
{
	snprintf(buf, size, "%04d-%02d-01", p.year, p.month);
}

cj_date
cj__date_from_db(const char *s)
{
	cj_date d = {0, 0, 0};

	if (cj_date_parse(&d, s))
		memset(&d, 0, sizeof d);
	return d;
}

int
cj_period_cmp(cj_period a, cj_period b)
{
	int x = a.year * 12 + a.month, y = b.year * 12 + b.month;

	return (x > y) - (x < y);
}

cj_period
cj_period_of(cj_date d)
{
	cj_period p = {d.year, d.month};
	return p;
}

cj_period
cj_period_next(cj_period p)
{
	if (++p.month > 12) {
		p.month = 1;
		p.year++;
	}
	return p;
}

cj_date
cj_date_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	cj_date d;

	localtime_r(&now, &tm);
	d.year = tm.tm_year + 1900;
	d.month = tm.tm_mon + 1;
	d.day = tm.tm_mday;
	return d;
}

cj_date
cj_books_last_date(void)
{
	/* asked for every row an import reads: the year looked up once a minute */
	static _Thread_local time_t asked;
	static _Thread_local int year;
	time_t now = time(NULL);

	if (!year || now / 60 != asked / 60) {
		year = cj_date_today().year;
		asked = now;
	}
	cj_date d = {year + 1, 12, 31};
	return d;
}

int
cj_period_in_books(cj_period p)
{
	cj_period first = {1949, 10}, last = {cj_books_last_date().year, 12};

	return p.month >= 1 && p.month <= 12 && cj_period_cmp(p, first) >= 0 &&
	       cj_period_cmp(p, last) <= 0;
}

int
cj_date_in_books(cj_date d)
{
	/* 1949-10-01 is the first day of the first month */
	return cj_date_valid(d) && cj_period_in_books(cj_period_of(d));
}

const char *
cj_books_range_text(char *buf, size_t size)
{
	snprintf(buf, size, "%s to %04d-12-31", CJ_BOOKS_FIRST_DATE, cj_books_last_date().year);
	return buf;
}
