/*
 * render_text.c - the plain-text renderer: the terminal view and the test
 * oracle (golden files)
 *
 * Deterministic: widths are display widths (a hanzi counts 2), columns are
 * two spaces apart, numbers right-aligned with thousands separators, text
 * wrapped at its column's width, trailing spaces stripped.  Rules: '=' above
 * and below a table, '-' under the header and above a total row, and a
 * short '-' under the numeric columns above a subtotal.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <ledger/grow.h>
#include <reports/report.h>

#include "render_internal.h"

#define GAP 2

typedef struct line {
	char *s;
	size_t len, cap;
	int width; /* display columns so far */
	int oom;
} line;

static void
line_put(line *l, const char *s, size_t n)
{
	if (l->oom)
		return;
	if (cj_grow((void **)&l->s, &l->cap, l->len + n + 1, 1)) {
		l->oom = 1;
		return;
	}
	memcpy(l->s + l->len, s, n);
	l->len += n;
	l->s[l->len] = '\0';
}

static void
line_text(line *l, const char *s)
{
	line_put(l, s, strlen(s));
	l->width += cj_text_width(s);
}

static void
line_spaces(line *l, int n)
{
	static const char sp[] = "                                ";

	while (n > 0) {
		int k = n > 32 ? 32 : n;

		line_put(l, sp, (size_t)k);
		l->width += k;
		n -= k;
	}
}

/* The first len bytes of s (whole characters). */
static void
line_piece(line *l, const char *s, size_t len)
{
	line_put(l, s, len);
	for (size_t i = 0; i < len;) {
		unsigned cp;

		i += (size_t)cj__utf8_next(s + i, &cp);
		l->width += cj__cp_width(cp);
	}
}

/* Move to column col (pads with spaces). */
static void
line_to(line *l, int col)
{
	line_spaces(l, col - l->width);
}

static void
line_repeat(line *l, char c, int n)
{
	for (int i = 0; i < n; i++)
		line_put(l, &c, 1);
	l->width += n > 0 ? n : 0;
}

/* Text aligned in a field of width at column col: 'l'eft, 'r'ight, 'c'entre. */
static void
line_field(line *l, int col, int width, const char *s, char align)
{
	int w = cj_text_width(s), pad = width - w;

	if (pad < 0)
		pad = 0;
	line_to(l, col + (align == 'r' ? pad : align == 'c' ? pad / 2 : 0));
	line_text(l, s);
}

/* Write the line without trailing spaces and start a new one. */
static void
line_flush(line *l, FILE *out)
{
	size_t n = l->len;

	while (n > 0 && l->s[n - 1] == ' ')
		n--;
	if (n)
		fwrite(l->s, 1, n, out);
	fputc('\n', out);
	l->len = 0;
	l->width = 0;
	if (l->s)
		l->s[0] = '\0';
}

/* The k-th wrapped piece of s in a field of width (k from 0); NULL when done. */
static const char *
wrap_piece(const char *s, int width, int k, size_t *len)
{
	if (width < 2)
		width = 2;
	for (int i = 0;; i++) {
		size_t n;

		if (!*s)
			return i == 0 && k == 0 ? (*len = 0, s) : NULL;
		n = cj__prefix_fitting(s, width);
		if (i == k) {
			*len = n;
			return s;
		}
		s += n;
	}
}

static int
wrap_count(const char *s, int width)
{
	int k = 0;
	size_t len;

	while (wrap_piece(s, width, k, &len))
		k++;
	return k ? k : 1;
}

typedef struct layout {
	int *w;   /* column widths */
	int *x;   /* column start */
	int total;
} layout;

static int
compute_layout(const cj_table *t, layout *lo)
{
	char buf[CJ_NUM_MAX];

	lo->w = calloc(t->ncols ? t->ncols : 1, sizeof *lo->w);
	lo->x = calloc(t->ncols ? t->ncols : 1, sizeof *lo->x);
	if (!lo->w || !lo->x)
		return -1;
	for (size_t c = 0; c < t->ncols; c++) {
		int w = t->cols[c].width, tw = cj_text_width(t->cols[c].title);

		if (tw > w)
			w = tw;
		for (size_t r = 0; r < t->nrows; r++) {
			const cj_row *row = &t->rows[r];
			const cj_cell *cell = &row->cells[c];
			int cw;

			if (row->kind == CJ_ROW_HEADING || cell->kind == CJ_CELL_EMPTY)
				continue;
			cw = cj_text_width(cj__cell_text(t, c, cell, buf, sizeof buf));
			/* numbers and dates never wrap; text wraps only when a width is set */
			if (cell->kind == CJ_CELL_TEXT && t->cols[c].width > 0 &&
			    t->cols[c].type == CJ_COL_TEXT)
				continue;
			if (c == cj__indent_col(t, row))
				cw += 2 * row->level;
			if (cw > w)
				w = cw;
		}
		lo->w[c] = w;
	}
	lo->total = 0;
	for (size_t c = 0; c < t->ncols; c++) {
		lo->x[c] = lo->total + (c ? GAP : 0);
		lo->total = lo->x[c] + lo->w[c];
	}
	return 0;
}

static void
rule(line *l, FILE *out, char c, int width)
{
	line_repeat(l, c, width);
	line_flush(l, out);
}

static void
header(const cj_table *t, const layout *lo, line *l, FILE *out)
{
	int groups = 0;

	for (size_t c = 0; c < t->ncols; c++)
		groups |= t->cols[c].group != NULL;
	if (groups) {
		for (size_t c = 0; c < t->ncols;) {
			size_t e = c + 1;

			if (!t->cols[c].group) {
				c++;
				continue;
			}
			while (e < t->ncols && t->cols[e].group &&
			       !strcmp(t->cols[e].group, t->cols[c].group))
				e++;
			line_field(l, lo->x[c], lo->x[e - 1] + lo->w[e - 1] - lo->x[c],
				   t->cols[c].group, 'c');
			c = e;
		}
		line_flush(l, out);
	}
	for (size_t c = 0; c < t->ncols; c++)
		line_field(l, lo->x[c], lo->w[c], t->cols[c].title,
			   cj__col_numeric(t, c) ? 'r' : t->cols[c].type == CJ_COL_DATE ? 'c' : 'l');
	line_flush(l, out);
}

static void
data_row(const cj_table *t, const cj_row *row, const layout *lo, line *l, FILE *out)
{
	char buf[CJ_NUM_MAX];
	size_t ind = cj__indent_col(t, row);
	int lines = 1;

	if (row->kind == CJ_ROW_HEADING) {
		/* the first text cell spans the row */
		const char *s = ind != (size_t)-1 ? cj__cell_text(t, ind, &row->cells[ind], buf, sizeof buf) : "";
		int indent = 2 * row->level;
		size_t len;
		const char *p;

		for (int k = 0; (p = wrap_piece(s, lo->total - indent, k, &len)); k++) {
			line_spaces(l, indent);
			line_piece(l, p, len);
			line_flush(l, out);
		}
		return;
	}
	for (size_t c = 0; c < t->ncols; c++) {
		const cj_cell *cell = &row->cells[c];
		int indent = c == ind ? 2 * row->level : 0;

		if (cell->kind == CJ_CELL_TEXT && t->cols[c].type == CJ_COL_TEXT) {
			int n = wrap_count(cell->text, lo->w[c] - indent);

			if (n > lines)
				lines = n;
		}
	}
	for (int k = 0; k < lines; k++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const cj_cell *cell = &row->cells[c];
			int indent = c == ind ? 2 * row->level : 0;
			const char *s;

			if (cell->kind == CJ_CELL_EMPTY)
				continue;
			if (cell->kind == CJ_CELL_TEXT && t->cols[c].type == CJ_COL_TEXT) {
				size_t len;
				const char *p = wrap_piece(cell->text, lo->w[c] - indent, k, &len);

				if (!p)
					continue;
				line_to(l, lo->x[c] + indent);
				line_piece(l, p, len);
				continue;
			}
			if (k)
				continue;
			s = cj__cell_text(t, c, cell, buf, sizeof buf);
			line_field(l, lo->x[c] + indent, lo->w[c] - indent, s,
				   cj__col_numeric(t, c) ? 'r' : t->cols[c].type == CJ_COL_DATE ? 'c' : 'l');
		}
		line_flush(l, out);
	}
}

/* Short rules under the numeric columns, above a subtotal. */
static void
subtotal_rule(const cj_table *t, const cj_row *row, const layout *lo, line *l, FILE *out)
{
	int any = 0;

	for (size_t c = 0; c < t->ncols; c++)
		if (cj__cell_summed(t, row, c)) {
			line_to(l, lo->x[c]);
			line_repeat(l, '-', lo->w[c]);
			any = 1;
		}
	if (any)
		line_flush(l, out);
}

static int
table(const cj_table *t, line *l, FILE *out)
{
	layout lo = {0};
	int prev_total = 0;

	if (compute_layout(t, &lo)) {
		free(lo.w);
		free(lo.x);
		return -1;
	}
	rule(l, out, '=', lo.total);
	header(t, &lo, l, out);
	rule(l, out, '-', lo.total);
	for (size_t r = 0; r < t->nrows; r++) {
		const cj_row *row = &t->rows[r];

		if (row->kind == CJ_ROW_TOTAL)
			rule(l, out, '-', lo.total);
		else if (row->kind == CJ_ROW_SUBTOTAL && !prev_total)
			subtotal_rule(t, row, &lo, l, out);
		data_row(t, row, &lo, l, out);
		prev_total = row->kind == CJ_ROW_TOTAL || row->kind == CJ_ROW_SUBTOTAL;
	}
	rule(l, out, '=', lo.total);
	free(lo.w);
	free(lo.x);
	return 0;
}

/* The width the title block centres over: the widest table. */
static int
report_width(const cj_report *r)
{
	int width = 0;

	for (size_t i = 0; i < r->ntables; i++) {
		layout lo = {0};

		if (!compute_layout(r->tables[i], &lo) && lo.total > width)
			width = lo.total;
		free(lo.w);
		free(lo.x);
	}
	return width;
}

static int
report(const cj_report *r, line *l, FILE *out)
{
	int width = report_width(r);

	line_field(l, 0, width, r->title, 'c');
	line_flush(l, out);
	for (size_t i = 0; i < r->nsubtitles; i++) {
		line_field(l, 0, width, r->subtitles[i], 'c');
		line_flush(l, out);
	}
	for (size_t i = 0; i < r->ntables; i++) {
		line_flush(l, out);
		if (r->ntables > 1) {
			line_text(l, r->tables[i]->name);
			line_flush(l, out);
		}
		if (table(r->tables[i], l, out))
			return -1;
	}
	if (r->nnotes)
		line_flush(l, out);
	for (size_t i = 0; i < r->nnotes; i++) {
		line_text(l, r->notes[i]);
		line_flush(l, out);
	}
	if (r->nsignatures) {
		int sum = 0, gap;

		line_flush(l, out);
		for (size_t i = 0; i < r->nsignatures; i++)
			sum += cj_text_width(r->signatures[i]);
		/* spread the labels over the width, leaving room to sign */
		gap = r->nsignatures > 1 ? (width - sum) / (int)(r->nsignatures - 1) : 0;
		if (gap < 8)
			gap = 8;
		for (size_t i = 0; i < r->nsignatures; i++) {
			if (i)
				line_spaces(l, gap);
			line_text(l, r->signatures[i]);
		}
		line_flush(l, out);
	}
	if (r->footer) {
		line_flush(l, out);
		line_text(l, r->footer);
		line_flush(l, out);
	}
	return l->oom ? -1 : 0;
}

int
cj_render_text(const cj_report *const *reports, size_t n, FILE *out)
{
	line l = {0};
	int err = 0;

	for (size_t i = 0; i < n && !err; i++) {
		if (i) {
			line_flush(&l, out);
			line_flush(&l, out);
		}
		err = report(reports[i], &l, out);
	}
	free(l.s);
	if (fflush(out) || ferror(out))
		err = -1;
	return err;
}
