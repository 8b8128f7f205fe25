/*
 * span.c - periods as people write them (2025, 2025Q4, 2025-12, 2025年第四季度,
 * ranges) and their one set of Chinese labels
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>
#include <ledger/i18n.h>

#include "internal.h"

static const char *const quarter_cn[4] = {"一", "二", "三", "四"};

/* Consume lit at *p (before end). */
static int
eat(const char **p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(end - *p) < n || memcmp(*p, lit, n))
		return 0;
	*p += n;
	return 1;
}

/* Up to max ASCII digits at *p; returns how many were read. */
static int
number(const char **p, const char *end, int max, int *out)
{
	int n = 0, v = 0;

	while (*p < end && n < max && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*out = v;
	return n;
}

enum { NOT_A_PERIOD = -1, BAD_PERIOD = -2 };

static int
bad(char *why, size_t size, const char *fmt, int value)
{
	snprintf(why, size, fmt, value);
	return BAD_PERIOD;
}

static int
month_of(cj_span *out, int y, int m, char *why, size_t size)
{
	if (m < 1 || m > 12)
		return bad(why, size, "there is no month %d", m);
	*out = cj_span_month((cj_period){y, m});
	return 0;
}

static int
quarter_of(cj_span *out, int y, int q, char *why, size_t size)
{
	if (q < 1 || q > 4)
		return bad(why, size, "there is no quarter %d", q);
	*out = cj_span_quarter(y, q);
	return 0;
}

/* After 年 (or, for the end of a 至 range, alone): [第]四季度, [第]4季度, 12月. */
static int
chinese_tail(const char *p, const char *end, int y, cj_span *out, char *why, size_t size)
{
	int ordinal = eat(&p, end, "第"), n;

	for (int q = 0; q < 4; q++)
		if (eat(&p, end, quarter_cn[q]))
			return eat(&p, end, "季度") && p == end ? quarter_of(out, y, q + 1, why, size)
								: NOT_A_PERIOD;
	if (!number(&p, end, 2, &n))
		return NOT_A_PERIOD;
	if (eat(&p, end, "季度") && p == end)
		return quarter_of(out, y, n, why, size);
	if (!ordinal && eat(&p, end, "月") && p == end)
		return month_of(out, y, n, why, size);
	return NOT_A_PERIOD;
}

/*
 * One year, quarter or month in s..end.  year is the year of the range's
 * start when this is the end of a 至 range (which may leave the year out:
 * 2025年1月至6月), else 0.
 */
static int
parse_one(const char *s, const char *end, int year, cj_span *out, char *why, size_t size)
{
	const char *p = s;
	int y, n;

	if (number(&p, end, 4, &y) != 4 || (p < end && *p >= '0' && *p <= '9'))
		return year ? chinese_tail(s, end, year, out, why, size) : NOT_A_PERIOD;
	if (y < 1900)
		return bad(why, size, "year %d is before 1900", y);
	if (p == end) {
		*out = cj_span_year(y);
		return 0;
	}
	if (*p == 'Q' || *p == 'q') {
		p++;
		return number(&p, end, 1, &n) && p == end ? quarter_of(out, y, n, why, size)
							   : NOT_A_PERIOD;
	}
	if (*p == '-') {
		p++;
		return number(&p, end, 2, &n) == 2 && p == end ? month_of(out, y, n, why, size)
							       : NOT_A_PERIOD;
	}
	if (!eat(&p, end, "年"))
		return NOT_A_PERIOD;
	if (p == end || (eat(&p, end, "度") && p == end)) {
		*out = cj_span_year(y);
		return 0;
	}
	return chinese_tail(p, end, y, out, why, size);
}

int
cj_span_parse(cj_span *out, const char *text, char *err, size_t errlen)
{
	const char *end, *sep;
	char why[96] = "";
	size_t seplen = 2;
	cj_span a, b;
	int rc;

	memset(out, 0, sizeof *out);
	if (!text)
		text = "";
	end = text + strlen(text);
	if (!(sep = strstr(text, ".."))) {
		sep = strstr(text, "至");
		seplen = strlen("至");
	}
	if (!sep) {
		rc = parse_one(text, end, 0, &a, why, sizeof why);
		b = a;
	} else {
		rc = parse_one(text, sep, 0, &a, why, sizeof why);
		if (!rc)
			rc = parse_one(sep + seplen, end, seplen == 2 ? 0 : a.from.year, &b, why,
				       sizeof why);
	}
	if (rc == NOT_A_PERIOD) {
		if (err)
			snprintf(err, errlen, _("'%s' is not a period; write %s"), text, CJ_SPAN_SYNTAX);
		return CJ_EINVAL;
	}
	if (rc) {
		if (err)
			snprintf(err, errlen, "'%s': %s", text, why);
		return CJ_EINVAL;
	}
	if (!sep) {
		*out = a;
		return 0;
	}
	if (cj_period_cmp(a.from, b.to) > 0) {
		if (err)
			snprintf(err, errlen, _("'%s': the range ends before it begins"), text);
		return CJ_EINVAL;
	}
	*out = cj_span_range(a.from, b.to);
	return 0;
}

cj_span
cj_span_month(cj_period p)
{
	return (cj_span){CJ_SPAN_MONTH, p, p};
}

cj_span
cj_span_quarter(int year, int quarter)
{
	return (cj_span){CJ_SPAN_QUARTER, {year, quarter * 3 - 2}, {year, quarter * 3}};
}

cj_span
cj_span_range(cj_period from, cj_period to)
{
	return cj_period_cmp(from, to) ? (cj_span){CJ_SPAN_RANGE, from, to} : cj_span_month(from);
}

cj_span
cj_span_year(int year)
{
	return (cj_span){CJ_SPAN_YEAR, {year, 1}, {year, 12}};
}

const char *
cj_span_label(char *buf, size_t size, cj_span s)
{
	switch (s.kind) {
	case CJ_SPAN_YEAR:
		snprintf(buf, size, "%d年度", s.from.year);
		break;
	case CJ_SPAN_QUARTER:
		snprintf(buf, size, "%d年第%s季度", s.from.year, quarter_cn[(s.from.month - 1) / 3 % 4]);
		break;
	case CJ_SPAN_MONTH:
		snprintf(buf, size, "%d年%d月", s.from.year, s.from.month);
		break;
	default:
		if (s.from.year == s.to.year)
			snprintf(buf, size, "%d年%d月至%d月", s.from.year, s.from.month, s.to.month);
		else
			snprintf(buf, size, "%d年%d月至%d年%d月", s.from.year, s.from.month, s.to.year,
				 s.to.month);
	}
	return buf;
}

const char *
cj_span_tag(char *buf, size_t size, cj_span s)
{
	switch (s.kind) {
	case CJ_SPAN_YEAR:
		snprintf(buf, size, "%04d", s.from.year);
		break;
	case CJ_SPAN_QUARTER:
		snprintf(buf, size, "%04dQ%d", s.from.year, (s.from.month + 2) / 3);
		break;
	case CJ_SPAN_MONTH:
		snprintf(buf, size, "%04d-%02d", s.from.year, s.from.month);
		break;
	default:
		snprintf(buf, size, "%04d-%02d..%04d-%02d", s.from.year, s.from.month, s.to.year,
			 s.to.month);
	}
	return buf;
}

cj_date
cj_span_first_day(cj_span s)
{
	return (cj_date){s.from.year, s.from.month, 1};
}

cj_date
cj_span_last_day(cj_span s)
{
	return (cj_date){s.to.year, s.to.month, cj_days_in_month(s.to.year, s.to.month)};
}

int
cj_span_one_year(cj_span s)
{
	return s.from.year == s.to.year;
}
