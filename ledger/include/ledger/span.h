/*
 * span.h - the months a report or a command covers, as people write them
 *
 * One syntax for every command that takes a period (tb, ledger, statements,
 * disclosure, dividends, the journal export...):
 *
 *   2025          2025年   2025年度                 a year
 *   2025Q4        2025年第四季度  2025年第4季度  2025年四季度   a quarter
 *   2025-12       2025年12月                        a month
 *   A..B          A至B   (2025-01..2025-06, 2025Q1..2025Q2, 2025年1月至6月)   a range
 *
 * and one set of Chinese labels for them (cj_span_label): 2025年度,
 * 2025年第四季度, 2025年12月, 2025年1月至6月.  Every label parses back to
 * its span.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_SPAN_H
#define CUNJI_LEDGER_SPAN_H

#include <stddef.h>

#include <ledger/date.h>
#include <ledger/error.h>

typedef enum cj_span_kind {
	CJ_SPAN_MONTH,
	CJ_SPAN_QUARTER,
	CJ_SPAN_YEAR,
	CJ_SPAN_RANGE /* any run of months, from <= to (ranges may cross years) */
} cj_span_kind;

/** The months from..to (inclusive), and how they were named. */
typedef struct cj_span {
	cj_span_kind kind;
	cj_period from, to;
} cj_span;

/** What cj_span_parse accepts, for usage messages. */
#define CJ_SPAN_SYNTAX                                                                         \
	"a year (2025), a quarter (2025Q4, 2025年第四季度), a month (2025-12, 2025年12月) or a " \
	"range (2025-01..2025-06)"

/** Buffer size for cj_span_label and cj_span_tag. */
#define CJ_SPAN_TEXT_MAX 64

/**
 * Parse a period (see above).  Years run from 1900 to 9999.  Returns 0, or
 * CJ_EINVAL with a one-line reason in err (may be NULL) that quotes the
 * text, e.g. "'2025-13': there is no month 13".
 */
CJ_MUST_CHECK int cj_span_parse(cj_span *out, const char *text, char *err, size_t errlen);

/** The span of one month, one quarter (1-4) or one year. */
cj_span cj_span_month(cj_period p);
cj_span cj_span_quarter(int year, int quarter);
cj_span cj_span_year(int year);
/** The months from..to (from <= to): a range, or the month when they are one. */
cj_span cj_span_range(cj_period from, cj_period to);

/** "2025年12月", "2025年第四季度", "2025年度", "2025年1月至6月", "2025年11月至2026年2月". */
const char *cj_span_label(char *buf, size_t size, cj_span s);
/** "2025-12", "2025Q4", "2025", "2025-01..2025-06": file names and stamps. */
const char *cj_span_tag(char *buf, size_t size, cj_span s);

cj_date cj_span_first_day(cj_span s);
cj_date cj_span_last_day(cj_span s);
/** 1 when the span lies within one calendar year. */
int cj_span_one_year(cj_span s);

#endif
