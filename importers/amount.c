/*
 * amount.c - amounts in 元 or 万元, and units in column headers
 *
 * An amount in 万元 is read by cj_money_parse too, so that both units accept
 * exactly the same writing (separators, signs, full-width digits): the
 * decimals past the second are cut off the text first and added back, as
 * an integer number of 0.000001 万元 (fen), to the parsed value times 10,000.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <string.h>

#include <importers/amount.h>

#define FW_POINT "\xEF\xBC\x8E" /* ． */
#define FW_MINUS "\xEF\xBC\x8D" /* － */
#define FW_LPAREN "\xEF\xBC\x88" /* （ */
#define FW_RPAREN "\xEF\xBC\x89" /* ） */
#define IDEO_SPACE "\xE3\x80\x80"

/* A decimal digit, ASCII or full-width (U+FF10..FF19): its value, or -1. */
static int
digit_at(const char *s, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] >= '0' && u[0] <= '9') {
		*len = 1;
		return u[0] - '0';
	}
	if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
		*len = 3;
		return u[2] - 0x90;
	}
	return -1;
}

/*
 * Excel keeps numbers as binary doubles and writes the nearest one to a
 * cell's value, so 856216.56 may arrive as "856216.5600000001" and
 * 390424.69 as "390424.6899999999".  A plain decimal (ASCII digits, a point,
 * an optional minus) with more decimals than the unit has is read as the
 * amount the cell displays when the digits past the fen are within a
 * millionth of a fen of it: the next six of them (fewer past the 15
 * significant digits a double holds, which Excel shows) all 0, or all 9
 * (then one fen more).  The result is written to clean, in decimal text;
 * 0 when it was done, -1 when text is left as it is (it may still be an
 * amount, or finer than a fen and refused).
 */
static int
denoise(const char *text, int decimals, char *clean, size_t size)
{
	const char *p = text, *int_start, *point, *frac;
	size_t nint, nfrac, sig, check, len;
	char keep;

	while (*p == ' ')
		p++;
	int_start = p;
	if (*p == '-')
		p++;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p != '.' || p == int_start || (p - int_start == 1 && *int_start == '-'))
		return -1;
	point = p++;
	frac = p;
	while (*p >= '0' && *p <= '9')
		p++;
	nfrac = (size_t)(p - frac);
	while (*p == ' ')
		p++;
	if (*p || nfrac <= (size_t)decimals)
		return -1;
	/* significant digits before the point (none for "0.") */
	nint = (size_t)(point - int_start) - (*int_start == '-');
	sig = nint;
	for (const char *q = point - nint; sig && *q == '0'; q++)
		sig--;
	check = sig + (size_t)decimals >= 15 ? 0 : 15 - sig - (size_t)decimals;
	if (check > 6)
		check = 6;
	keep = 0;
	for (size_t i = 0; i < check; i++) {
		char c = (size_t)decimals + i < nfrac ? frac[decimals + i] : '0';
		if (i == 0)
			keep = c;
		if ((c != '0' && c != '9') || c != keep)
			return -1;
	}
	if (!check) /* past what a double holds: round half up */
		keep = frac[decimals] >= '5' ? '9' : '0';
	len = (size_t)(frac - int_start) + (size_t)decimals;
	if (len + 2 >= size)
		return -1;
	/* one digit of room in front for a carry */
	clean[0] = '0';
	memcpy(clean + 1, int_start, len);
	clean[len + 1] = '\0';
	if (keep == '9') { /* add one unit of the last kept decimal */
		size_t i = len + 1;
		for (;;) {
			char *c = &clean[--i];
			if (*c == '.')
				continue;
			if (*c == '-') { /* the carry passes the sign: move it in front */
				*c = '1';
				clean[0] = '-';
				break;
			}
			if (*c != '9') {
				(*c)++;
				break;
			}
			*c = '0';
		}
	}
	/* drop the spare leading zero unless the carry used it */
	if (clean[0] == '0')
		memmove(clean, clean + 1, strlen(clean));
	return 0;
}

/*
 * A unit written in the cell, after the figure: "1200元", "1.2万元", "3万".
 * It wins over the column's unit.  0 and the figure alone in cut, or -1.
 */
static int
cell_unit(const char *text, char *cut, size_t size, cj_amount_unit *unit)
{
	static const struct {
		const char *word;
		cj_amount_unit unit;
	} words[] = {{"万元", CJ_UNIT_WAN}, {"万", CJ_UNIT_WAN}, {"元", CJ_UNIT_YUAN}};
	size_t len = strlen(text);

	while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t m = strlen(words[i].word);
		if (len > m && !memcmp(text + len - m, words[i].word, m) && len - m < size) {
			memcpy(cut, text, len - m);
			cut[len - m] = '\0';
			*unit = words[i].unit;
			return 0;
		}
	}
	return -1;
}

static int amount_parse(cj_money *out, const char *text, cj_amount_unit unit);

int
cj_amount_parse(cj_money *out, const char *text, cj_amount_unit unit)
{
	char figure[512], clean[512];

	if (!text)
		return CJ_EINVAL;
	if (!cell_unit(text, figure, sizeof figure, &unit))
		text = figure;
	if (!denoise(text, unit == CJ_UNIT_WAN ? 6 : 2, clean, sizeof clean))
		text = clean;
	return amount_parse(out, text, unit);
}

static int
amount_parse(cj_money *out, const char *text, cj_amount_unit unit)
{
	char cut[512]; /* longer text is never an amount: cj_money_parse takes 127 characters */
	const char *point, *p;
	size_t plen = 1, len, k = 0;
	int64_t extra = 0, scaled;
	cj_money m;
	int rc, neg;

	if (unit == CJ_UNIT_YUAN || !text)
		return cj_money_parse(out, text);
	len = strlen(text);
	if (len >= sizeof cut)
		return CJ_EINVAL;
	/* the decimal point, ASCII or full-width */
	point = strchr(text, '.');
	p = strstr(text, FW_POINT);
	if (p && (!point || p < point)) {
		point = p;
		plen = 3;
	}
	memcpy(cut, text, len + 1);
	if (point) {
		/* keep two decimals for cj_money_parse; the next four are extra fen */
		const char *d = point + plen, *rest;
		size_t dl;
		int v;

		while ((v = digit_at(d, &dl)) >= 0 && k < 2) {
			d += dl;
			k++;
		}
		rest = d;
		k = 0;
		while ((v = digit_at(d, &dl)) >= 0) {
			if (++k > 4)
				return CJ_EINVAL; /* finer than a fen */
			extra = extra * 10 + v;
			d += dl;
		}
		for (size_t i = k; i < 4; i++)
			extra *= 10;
		/* cut[] = text without the digits between rest and d */
		memcpy(cut + (rest - text), d, strlen(d) + 1);
	}
	rc = cj_money_parse(&m, cut);
	if (rc)
		return rc;
	/* the sign is on the text; m may be zero ("-0.00005") */
	neg = strchr(cut, '-') || strchr(cut, '(') || strstr(cut, FW_MINUS) || strstr(cut, FW_LPAREN);
	if (__builtin_mul_overflow(m.fen, (int64_t)10000, &scaled) ||
	    __builtin_add_overflow(scaled, neg ? -extra : extra, &scaled))
		return CJ_EOVERFLOW;
	out->fen = scaled;
	return 0;
}

/* Drop ASCII spaces, tabs and U+3000 around s[0..*len); returns the start. */
static const char *
trim(const char *s, size_t *len)
{
	const char *e = s + *len;

	for (;;) {
		if (s < e && (*s == ' ' || *s == '\t'))
			s++;
		else if (e - s >= 3 && !memcmp(s, IDEO_SPACE, 3))
			s += 3;
		else
			break;
	}
	for (;;) {
		if (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		else if (e - s >= 3 && !memcmp(e - 3, IDEO_SPACE, 3))
			e -= 3;
		else
			break;
	}
	*len = (size_t)(e - s);
	return s;
}

static void
put_name(char *name, size_t size, const char *s, size_t len)
{
	s = trim(s, &len);
	if (!size)
		return;
	if (len >= size)
		len = size - 1;
	memcpy(name, s, len);
	name[len] = '\0';
}

static int
ends_with(const char *s, size_t len, const char *suffix, size_t *at)
{
	size_t m = strlen(suffix);

	if (len < m || memcmp(s + len - m, suffix, m))
		return 0;
	*at = len - m;
	return 1;
}

/* The unit named inside parentheses: "万元", "单位：万元", "元". */
static int
unit_word(const char *s, size_t len, cj_amount_unit *unit)
{
	static const char *const prefixes[] = {"单位:", "单位：", "单位", NULL};

	s = trim(s, &len);
	for (int i = 0; prefixes[i]; i++) {
		size_t m = strlen(prefixes[i]);
		if (len >= m && !memcmp(s, prefixes[i], m)) {
			s += m;
			len -= m;
			s = trim(s, &len);
			break;
		}
	}
	if ((len == 6 && !memcmp(s, "万元", 6)) || (len == 3 && !memcmp(s, "万", 3))) {
		*unit = CJ_UNIT_WAN;
		return 0;
	}
	if ((len == 3 && !memcmp(s, "元", 3)) || (len == 12 && !memcmp(s, "人民币元", 12))) {
		*unit = CJ_UNIT_YUAN;
		return 0;
	}
	return CJ_EINVAL;
}

int
cj_header_split(const char *header, char *name, size_t size, cj_amount_unit *unit)
{
	size_t len = strlen(header), at;
	const char *s = trim(header, &len);

	*unit = CJ_UNIT_YUAN;
	/* "名称(单位)" with ASCII or full-width parentheses */
	if (ends_with(s, len, ")", &at) || ends_with(s, len, FW_RPAREN, &at)) {
		const char *open = NULL;
		for (size_t i = at; i-- > 0;) {
			if (s[i] == '(') {
				open = s + i;
				break;
			}
			if (i + 3 <= at && !memcmp(s + i, FW_LPAREN, 3)) {
				open = s + i;
				break;
			}
		}
		if (open) {
			size_t olen = *open == '(' ? 1 : 3;
			put_name(name, size, s, (size_t)(open - s));
			if (unit_word(open + olen, (size_t)(s + at - open - olen), unit)) {
				*unit = CJ_UNIT_YUAN;
				return CJ_EINVAL;
			}
			return 0;
		}
	}
	/* "名称/万元", "名称 万元", "名称万元" */
	if (ends_with(s, len, "万元", &at)) {
		size_t n = at;
		if (n && (s[n - 1] == '/' || s[n - 1] == '-' || s[n - 1] == '_'))
			n--;
		if (n) {
			put_name(name, size, s, n);
			*unit = CJ_UNIT_WAN;
			return 0;
		}
	}
	put_name(name, size, s, len);
	return 0;
}
