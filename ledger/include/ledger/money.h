/*
 * money.h - amounts in fen (1 yuan = 100 fen) as a one-field struct
 *
 * Money is never a float.  Parsing and formatting work on decimal text; all
 * arithmetic is checked for overflow; every division names its rounding.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_MONEY_H
#define CUNJI_LEDGER_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include <ledger/error.h>

typedef struct cj_money {
	int64_t fen;
} cj_money;

#define CJ_MONEY_ZERO ((cj_money){0})

/*
 * The largest amount one voucher line may carry: 10^13 fen, 千亿元 (100
 * billion yuan), far above any village's books and far below where sums of
 * lines could overflow int64 (docs/money.md).  The database refuses more too.
 */
#define CJ_MONEY_LINE_MAX INT64_C(10000000000000)

static inline cj_money
cj_money_from_fen(int64_t fen)
{
	cj_money m = {fen};
	return m;
}

/** out = a + b; CJ_EOVERFLOW when the sum does not fit in int64. */
CJ_MUST_CHECK int cj_money_add(cj_money *out, cj_money a, cj_money b);
/** out = a - b; CJ_EOVERFLOW on overflow. */
CJ_MUST_CHECK int cj_money_sub(cj_money *out, cj_money a, cj_money b);

/**
 * Parse an amount in yuan as bookkeepers write it:
 * "1234.5", "1,234.56", "-3", "+3", "(1,200.00)" (negative), "¥12", and the
 * same with full-width digits, comma, point, minus and parentheses
 * ("１２３．４５").  Leading and trailing spaces (ASCII or U+3000) are allowed.
 * Refuses: empty text, more than two decimals, misplaced thousands separators,
 * anything else after the number, and amounts beyond int64 fen.
 *
 * @return 0, CJ_EINVAL (not an amount) or CJ_EOVERFLOW (too large)
 */
CJ_MUST_CHECK int cj_money_parse(cj_money *out, const char *text);

enum {
	CJ_MONEY_FMT_PLAIN = 0,     /* "-1234567.80" */
	CJ_MONEY_FMT_GROUPED = 1u,  /* "-1,234,567.80" */
	CJ_MONEY_FMT_BLANK_ZERO = 2u /* zero formats as "" (for ledger columns) */
};

/**
 * Format as yuan with exactly two decimals.  Writes at most size bytes
 * including the NUL.  @return the length written, or CJ_EINVAL if buf is
 * too small (then buf holds an empty string).
 */
int cj_money_format(char *buf, size_t size, cj_money m, unsigned flags);

/** Longest text cj_money_format can produce, including the NUL. */
#define CJ_MONEY_FMT_MAX 32

typedef enum cj_round_mode {
	CJ_ROUND_HALF_UP,   /* half away from zero, the Chinese 四舍五入 */
	CJ_ROUND_HALF_EVEN, /* banker's rounding */
	CJ_ROUND_DOWN       /* toward zero */
} cj_round_mode;

/**
 * out = round(m * num / den) with the named rounding.  den must be > 0.
 * Computed in 128-bit so intermediate products cannot overflow.
 */
CJ_MUST_CHECK int cj_money_mul_ratio(cj_money *out, cj_money m, int64_t num, int64_t den,
				     cj_round_mode mode);

/**
 * Split total over n parts in proportion to non-negative weights, by the
 * largest-remainder method: each part gets floor(total * w / sum(w)) fen,
 * then the fen left over go one each to the parts with the largest
 * remainders; ties go to the lower index (a stable, stated rule).  The parts
 * always sum exactly to total.  total must be >= 0 and sum(w) > 0.
 */
CJ_MUST_CHECK int cj_money_allocate(cj_money *parts_out, size_t n, cj_money total,
				    const int64_t *weights);

#endif
