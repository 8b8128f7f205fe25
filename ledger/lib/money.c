/*
 * money.c - parsing, formatting, checked arithmetic and allocation of fen
 *
 * No floating point anywhere.  Parsing reads decimal text digit by digit
 * with overflow checks; allocation works in 128-bit integers.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <ledger/money.h>

__extension__ typedef __int128 i128;

/* The yuan sign, normalised to a byte no input can hold (controls are refused). */
#define YUAN '\x01'

int
cj_money_add(cj_money *out, cj_money a, cj_money b)
{
	if (__builtin_add_overflow(a.fen, b.fen, &out->fen))
		return CJ_EOVERFLOW;
	return 0;
}

int
cj_money_sub(cj_money *out, cj_money a, cj_money b)
{
	if (__builtin_sub_overflow(a.fen, b.fen, &out->fen))
		return CJ_EOVERFLOW;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Parsing */

/*
 * One "character" of an amount: ASCII or its full-width form (U+FF01..FF5E
 * are ASCII 0x21..0x7E shifted by 0xFEE0), the ideographic space U+3000 and
 * the yuan signs ¥ (U+00A5) and ￥ (U+FFE5).  Returns the ASCII equivalent
 * and the number of bytes consumed, or 0 for anything else.
 */
static int
next_char(const unsigned char *s, char *c)
{
	if (s[0] < 0x80) {
		*c = (char)s[0];
		return s[0] >= 0x20 ? 1 : 0; /* control characters are never part of an amount */
	}
	if (s[0] == 0xC2 && s[1] == 0xA5) { /* ¥ */
		*c = YUAN;
		return 2;
	}
	if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) { /* U+3000 */
		*c = ' ';
		return 3;
	}
	if (s[0] == 0xEF && (s[1] == 0xBC || s[1] == 0xBD) && s[2] >= 0x80 && s[2] <= 0xBF) {
		unsigned cp = 0xF000u | ((unsigned)(s[1] & 0x3F) << 6) | (s[2] & 0x3Fu);
		if (cp >= 0xFF01 && cp <= 0xFF5E) {
			*c = (char)(cp - 0xFEE0);
			return 3;
		}
	}
	if (s[0] == 0xEF && s[1] == 0xBF && s[2] == 0xA5) { /* ￥ */
		*c = YUAN;
		return 3;
	}
	return 0;
}

/* Normalise text into plain ASCII ("１，２３４．５" -> "1,234.5"); -1 when a
 * character is not part of any amount or the text is too long. */
static int
normalise(const char *text, char *out, size_t size)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = 0;

	while (*s) {
		char c;
		int len = next_char(s, &c);
		if (!len || n + 1 >= size)
			return -1;
		out[n++] = c;
		s += len;
	}
	out[n] = '\0';
	return 0;
}

int
cj_money_parse(cj_money *out, const char *text)
{
	char buf[128];
	char *s, *end;
	int neg = 0, paren = 0, digits = 0, group = -1, decimals = -1;
	uint64_t mag = 0;

	if (!text || normalise(text, buf, sizeof buf))
		return CJ_EINVAL;
	s = buf;
	while (*s == ' ')
		s++;
	end = s + strlen(s);
	while (end > s && end[-1] == ' ')
		end--;
	*end = '\0';

	if (*s == '(') {
		paren = 1;
		s++;
		if (end == s || end[-1] != ')')
			return CJ_EINVAL;
		*--end = '\0';
	}
	if (*s == '-' || *s == '+') {
		if (paren)
			return CJ_EINVAL; /* "(-3)" is ambiguous: refuse */
		neg = *s == '-';
		s++;
	}
	neg |= paren;
	if (*s == YUAN)
		s++;
	if (*s < '0' || *s > '9')
		return CJ_EINVAL;

	/* digits with optional thousands separators, then up to two decimals */
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (decimals >= 0) {
				if (++decimals > 2)
					return CJ_EINVAL;
			} else {
				digits++;
				if (group >= 0 && ++group > 3)
					return CJ_EINVAL;
			}
			if (__builtin_mul_overflow(mag, 10u, &mag) ||
			    __builtin_add_overflow(mag, (uint64_t)(*s - '0'), &mag))
				return CJ_EOVERFLOW;
		} else if (*s == ',' && decimals < 0) {
			/* the first group has 1-3 digits, every later group exactly 3 */
			if ((group < 0 && (digits < 1 || digits > 3)) || (group >= 0 && group != 3))
				return CJ_EINVAL;
			group = 0;
		} else if (*s == '.' && decimals < 0) {
			if (group >= 0 && group != 3)
				return CJ_EINVAL;
			decimals = 0;
		} else {
			return CJ_EINVAL;
		}
	}
	if (group >= 0 && decimals < 0 && group != 3)
		return CJ_EINVAL;
	if (decimals == 0)
		return CJ_EINVAL; /* "1." */
	for (int i = decimals < 0 ? 0 : decimals; i < 2; i++)
		if (__builtin_mul_overflow(mag, 10u, &mag))
			return CJ_EOVERFLOW;
	if (mag > (uint64_t)INT64_MAX)
		return CJ_EOVERFLOW;
	out->fen = neg ? -(int64_t)mag : (int64_t)mag;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Formatting */

int
cj_money_format(char *buf, size_t size, cj_money m, unsigned flags)
{
	char tmp[CJ_MONEY_FMT_MAX];
	char digits[24];
	uint64_t mag;
	size_t nd = 0, n = 0;

	if (size)
		buf[0] = '\0';
	if (m.fen == 0 && (flags & CJ_MONEY_FMT_BLANK_ZERO))
		return 0;
	/* INT64_MIN has no positive counterpart in int64; go through uint64 */
	mag = m.fen < 0 ? (uint64_t)0 - (uint64_t)m.fen : (uint64_t)m.fen;
	do {
		digits[nd++] = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag || nd < 3);
	if (m.fen < 0)
		tmp[n++] = '-';
	for (size_t i = nd; i-- > 2;) {
		tmp[n++] = digits[i];
		if ((flags & CJ_MONEY_FMT_GROUPED) && i > 2 && (i - 2) % 3 == 0)
			tmp[n++] = ',';
	}
	tmp[n++] = '.';
	tmp[n++] = digits[1];
	tmp[n++] = digits[0];
	tmp[n] = '\0';
	if (n + 1 > size)
		return CJ_EINVAL;
	memcpy(buf, tmp, n + 1);
	return (int)n;
}

/* ------------------------------------------------------------------------ */
/* Division and allocation */

int
cj_money_mul_ratio(cj_money *out, cj_money m, int64_t num, int64_t den, cj_round_mode mode)
{
	i128 p, q, r, result;

	if (den <= 0)
		return CJ_EINVAL;
	p = (i128)m.fen * num;
	q = p / den; /* truncates toward zero */
	r = p % den; /* same sign as p */
	result = q;
	if (r != 0) {
		i128 twice = (r < 0 ? -r : r) * 2;
		int away = 0;
		switch (mode) {
		case CJ_ROUND_HALF_UP:
			away = twice >= den;
			break;
		case CJ_ROUND_HALF_EVEN:
			away = twice > den || (twice == den && (q % 2 != 0));
			break;
		case CJ_ROUND_DOWN:
			away = 0;
			break;
		}
		if (away)
			result += p < 0 ? -1 : 1;
	}
	if (result > INT64_MAX || result < INT64_MIN)
		return CJ_EOVERFLOW;
	out->fen = (int64_t)result;
	return 0;
}

typedef struct remainder {
	i128 rem;
	size_t index;
} remainder;

/* Larger remainders first; equal ones by lower index (the stated tie rule). */
static int
remainder_cmp(const void *a, const void *b)
{
	const remainder *x = a, *y = b;

	if (x->rem != y->rem)
		return x->rem > y->rem ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int
cj_money_allocate(cj_money *parts_out, size_t n, cj_money total, const int64_t *weights)
{
	i128 sum = 0, given = 0;
	remainder *rem;
	int64_t left;

	if (n == 0 || total.fen < 0)
		return CJ_EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (weights[i] < 0)
			return CJ_EINVAL;
		sum += weights[i];
	}
	if (sum <= 0)
		return CJ_EINVAL;
	rem = malloc(n * sizeof *rem);
	if (!rem)
		return CJ_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		i128 exact = (i128)total.fen * weights[i];
		parts_out[i].fen = (int64_t)(exact / sum); /* floor: all non-negative */
		rem[i].rem = exact % sum;
		rem[i].index = i;
		given += parts_out[i].fen;
	}
	/* fewer than n fen are left over, one for each of the largest remainders */
	left = (int64_t)((i128)total.fen - given);
	qsort(rem, n, sizeof *rem, remainder_cmp);
	for (int64_t k = 0; k < left; k++)
		parts_out[rem[k].index].fen++;
	free(rem);
	return 0;
}
