/*
 * render_util.c - helpers the renderers share, the model check, and the
 * 大写 note for money totals
 *
 * SPDX-License-Identifier: MIT
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <reports/report.h>
#include <ledger/i18n.h>

#include "render_internal.h"

int
cj__utf8_next(const char *str, unsigned *cp)
{
	const unsigned char *s = (const unsigned char *)str;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
		*cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
		return 2;
	}
	if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		*cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
		return 3;
	}
	if ((s[0] & 0xF8) == 0xF0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
	    (s[3] & 0xC0) == 0x80) {
		*cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) |
		      (s[3] & 0x3Fu);
		if (*cp <= 0x10FFFF)
			return 4;
	}
	*cp = 0xFFFD;
	return 1;
}

/* East Asian wide and full-width ranges (the CLI measures its tables with it too). */
int
cj__cp_width(unsigned cp)
{
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
	    (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	    (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
	    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	return 1;
}

int
cj_text_width(const char *s)
{
	int w = 0;

	while (*s) {
		unsigned cp;

		s += cj__utf8_next(s, &cp);
		w += cj__cp_width(cp);
	}
	return w;
}

/* Punctuation that must not start a line, and brackets that must not end one. */
static int
no_line_start(unsigned cp)
{
	return strchr(",.;:!?)]}", (int)(cp < 0x80 ? cp : 1)) != NULL || cp == 0xFF0C ||
	       cp == 0x3002 || cp == 0x3001 || cp == 0xFF1B || cp == 0xFF1A || cp == 0xFF01 ||
	       cp == 0xFF1F || cp == 0xFF09 || cp == 0x300B || cp == 0x300D || cp == 0x201D ||
	       cp == 0x2019 || cp == 0x3011;
}

static int
no_line_end(unsigned cp)
{
	return cp == '(' || cp == '[' || cp == 0xFF08 || cp == 0x300A || cp == 0x300C ||
	       cp == 0x201C || cp == 0x2018 || cp == 0x3010;
}

size_t
cj__break_adjust(const char *s, size_t n)
{
	size_t last = 0;
	unsigned cp = 0, next;

	if (!s[n])
		return n;
	for (size_t i = 0; i < n; i += (size_t)cj__utf8_next(s + i, &cp))
		last = i; /* where the last character before the break starts */
	cj__utf8_next(s + last, &cp);
	cj__utf8_next(s + n, &next);
	/* carry the last character to the next line, unless it is all there is */
	if (last > 0 && (no_line_end(cp) || (no_line_start(next) && !no_line_start(cp))))
		return last;
	return n;
}

/* Printable ASCII but space: numbers, amounts, voucher and ID numbers, dates. */
static int
word_char(unsigned cp)
{
	return cp > 0x20 && cp < 0x7F;
}

size_t
cj__unit_len(const char *s)
{
	size_t n = 0;
	unsigned cp, next;

	if (!*s)
		return 0;
	for (;;) {
		int len;

		while (s[n] && (len = cj__utf8_next(s + n, &cp), word_char(cp)))
			n += (size_t)len;
		if (!n)
			return (size_t)cj__utf8_next(s, &cp); /* one character */
		/* two words joined by 至 are one: a date range */
		if (!s[n] || (len = cj__utf8_next(s + n, &cp), cp != 0x81F3) || !s[n + (size_t)len])
			return n;
		cj__utf8_next(s + n + (size_t)len, &next);
		if (!word_char(next))
			return n;
		n += (size_t)len;
	}
}

int
cj__break_ok(unsigned prev, unsigned next)
{
	return !no_line_end(prev) && !no_line_start(next);
}

size_t
cj__prefix_fitting(const char *s, int width)
{
	size_t n = 0;
	int w = 0;

	while (s[n]) {
		unsigned cp;
		int len = cj__utf8_next(s + n, &cp), cw = cj__cp_width(cp);

		if (n && w + cw > width)
			break;
		w += cw;
		n += (size_t)len;
	}
	return cj__break_adjust(s, n);
}

/* "1,234,567" from the absolute value of v, with a sign. */
static void
group_digits(char *buf, size_t size, uint64_t whole, int neg)
{
	char digits[32], out[48];
	int n = snprintf(digits, sizeof digits, "%" PRIu64, whole), k = 0;

	if (neg)
		out[k++] = '-';
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = digits[i];
	}
	out[k] = '\0';
	snprintf(buf, size, "%s", out);
}

const char *
cj_format_number(char *buf, size_t size, cj_col_type type, int64_t value)
{
	/* the magnitude as unsigned, so INT64_MIN formats too */
	uint64_t mag = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
	char whole[48];

	if (type == CJ_COL_INT) {
		snprintf(buf, size, "%" PRId64, value);
		return buf;
	}
	if (type == CJ_COL_PERCENT) {
		snprintf(buf, size, "%s%" PRIu64 ".%u%%", value < 0 ? "-" : "", mag / 10,
			 (unsigned)(mag % 10));
		return buf;
	}
	/* money (fen) and hundredths: integer arithmetic, two decimals, grouped */
	group_digits(whole, sizeof whole, mag / 100, value < 0);
	snprintf(buf, size, "%s.%02u", whole, (unsigned)(mag % 100));
	return buf;
}

const char *
cj__cell_text(const cj_table *t, size_t col, const cj_cell *cell, char *buf, size_t size)
{
	if (cell->kind == CJ_CELL_TEXT)
		return cell->text ? cell->text : "";
	if (cell->kind == CJ_CELL_NUMBER)
		return cj_format_number(buf, size, t->cols[col].type, cell->value);
	return "";
}

size_t
cj__indent_col(const cj_table *t, const cj_row *row)
{
	if (t->indent_col1)
		return t->indent_col1 - 1;
	for (size_t c = 0; c < t->ncols; c++)
		if (row->cells[c].kind == CJ_CELL_TEXT && t->cols[c].type == CJ_COL_TEXT)
			return c;
	for (size_t c = 0; c < t->ncols; c++)
		if (row->cells[c].kind == CJ_CELL_TEXT)
			return c;
	return (size_t)-1;
}

int
cj__col_numeric(const cj_table *t, size_t col)
{
	return t->cols[col].type != CJ_COL_TEXT && t->cols[col].type != CJ_COL_DATE;
}

int
cj__cell_summed(const cj_table *t, const cj_row *row, size_t col)
{
	return (row->sum_first >= 0 || row->nterms) && cj__col_numeric(t, col) &&
	       t->cols[col].type != CJ_COL_PERCENT && row->cells[col].kind == CJ_CELL_NUMBER &&
	       !(row->cells[col].flags & CJ_CELL_FIXED);
}

static int64_t
cell_value(const cj_cell *c)
{
	return c->kind == CJ_CELL_NUMBER ? c->value : 0;
}

/*
 * The totals are computed when the builder adds them; this re-derives each
 * one from its parts, so a builder that edits a figure afterwards (or a
 * renderer bug) is caught before anything is printed.
 */
int
cj_report_check(const cj_report *r, char *err, size_t errlen)
{
	for (size_t ti = 0; ti < r->ntables; ti++) {
		const cj_table *t = r->tables[ti];

		for (size_t ri = 0; ri < t->nrows; ri++) {
			const cj_row *row = &t->rows[ri];

			for (size_t c = 0; c < t->ncols; c++) {
				int64_t sum = 0;
				int overflow = 0;

				if (!cj__cell_summed(t, row, c))
					continue;
				if (row->nterms) {
					for (size_t k = 0; k < row->nterms; k++) {
						int64_t v = cell_value(&t->rows[row->terms[k].row].cells[c]);
						overflow |= row->terms[k].sign < 0
								    ? __builtin_sub_overflow(sum, v, &sum)
								    : __builtin_add_overflow(sum, v, &sum);
					}
				} else {
					if (row->sum_last >= (long)t->nrows) {
						snprintf(err, errlen, _("%s: row %zu sums rows past the end"),
							 t->name, ri + 1);
						return -1;
					}
					for (long k = row->sum_first; k <= row->sum_last; k++)
						if (t->rows[k].kind == CJ_ROW_DATA)
							overflow |= __builtin_add_overflow(
								sum, cell_value(&t->rows[k].cells[c]), &sum);
				}
				if (overflow || sum != row->cells[c].value) {
					char a[CJ_NUM_MAX], b[CJ_NUM_MAX];

					snprintf(err, errlen,
						 _("%s: row %zu (%s), column %s is %s but its parts sum "
						 "to %s"),
						 t->name, ri + 1,
						 row->cells[0].kind == CJ_CELL_TEXT ? row->cells[0].text : "",
						 t->cols[c].title,
						 cj_format_number(a, sizeof a, t->cols[c].type,
								  row->cells[c].value),
						 overflow ? "more than fits"
							  : cj_format_number(b, sizeof b, t->cols[c].type,
									     sum));
					return -1;
				}
			}
		}
	}
	return 0;
}
