/*
 * render_xlsx.c - the XLSX renderer (libxlsxwriter)
 *
 * One worksheet per table, named after it (unique, at most 31 characters,
 * without the characters Excel refuses).  Each sheet carries the report's
 * title block merged across the table, the header rows (merged group
 * headers; ungrouped titles merged down both header rows) frozen and
 * repeated on every printed page, the rows, then notes, signatures and
 * footer.  Money is a number with the format #,##0.00; totals and computed
 * rows are formulas (=SUM(...) over the data rows above, or =C8-C9) with
 * the value computed in C cached, so a reader that does not recalculate
 * still sees the right figure and one that does can check it.  A table
 * with a chart gets a chart sheet after it.  Print set-up: A4, the table's
 * orientation, fit to one page wide, centred, "第 &P 页 共 &N 页" in the
 * page footer.
 *
 * Normal (not constant_memory) mode: the header merges span two rows and
 * libxlsxwriter does not support merged ranges in constant_memory mode; a
 * statement is a few hundred rows, and docs/reports.md has the figures.
 *
 * SPDX-License-Identifier: MIT
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include <ledger/grow.h>
#include <ledger/i18n.h>
#include <reports/report.h>

#include "qr.h"
#include "render_internal.h"

#define MAX_INDENT 8
#define MAX_TEXT_WIDTH 50 /* wider text wraps */

enum { F_TEXT, F_DATE, F_MONEY, F_INT, F_CENTI, F_PERCENT, F_NTYPES };

typedef struct xl {
	lxw_workbook *wb;
	char *err;
	size_t errlen;
	int failed;
	lxw_format *cell[F_NTYPES][2][MAX_INDENT + 1]; /* type, bold, indent */
	/* the same with a background colour (CJ_CELL_FILLED), made as cells ask for them */
	struct filled {
		int type, bold, indent;
		uint32_t rgb;
		lxw_format *f;
	} filled[32];
	size_t nfilled;
	lxw_format *title, *subtitle, *head, *heading[MAX_INDENT + 1], *note, *footer;
	char **names; /* sheet names used so far */
	size_t nnames, namecap;
	const char *qr_text; /* the QR code of qr_png (kept until the workbook is written) */
	unsigned char *qr_png;
	size_t qr_len;
} xl;

static int
fail(xl *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(xl *x, const char *fmt, ...)
{
	va_list ap;

	if (!x->failed) {
		va_start(ap, fmt);
		vsnprintf(x->err, x->errlen, fmt, ap);
		va_end(ap);
	}
	x->failed = 1;
	return -1;
}

/* Every libxlsxwriter call that can fail goes through here. */
static int
ok(xl *x, lxw_error e, const char *what)
{
	if (e != LXW_NO_ERROR)
		return fail(x, "xlsx: %s: %s", what, lxw_strerror(e));
	return 0;
}

/*
 * The one place money becomes a double: the value the cell stores.  fen is
 * an integer held exactly by a double (below 2^53, i.e. 90 trillion yuan)
 * and IEEE division is correctly rounded, so fen / 100.0 is the double
 * nearest the decimal amount -- the same double strtod("1234.56") gives and
 * Excel stores for a typed amount.  No sum is ever computed on it: totals
 * come from the integer fen in the model and are only cached here.
 */
static double
cell_double(cj_col_type type, int64_t value)
{
	return type == CJ_COL_INT       ? (double)value
	       : type == CJ_COL_PERCENT ? (double)value / 1000.0 /* tenths of a percent */
					: (double)value / 100.0;
}

static int
ftype(cj_col_type t)
{
	switch (t) {
	case CJ_COL_DATE:
		return F_DATE;
	case CJ_COL_MONEY:
		return F_MONEY;
	case CJ_COL_INT:
		return F_INT;
	case CJ_COL_CENTI:
		return F_CENTI;
	case CJ_COL_PERCENT:
		return F_PERCENT;
	default:
		return F_TEXT;
	}
}

static lxw_format *
new_format(xl *x)
{
	lxw_format *f = workbook_add_format(x->wb);

	if (!f)
		fail(x, "xlsx: out of memory");
	return f;
}

/* A cell's format: the type's number format, bold, indent, and a background
 * colour when fill is set (0xRRGGBB + 1 << 24); made once and kept. */
static lxw_format *
cell_format(xl *x, int type, int bold, int indent, uint32_t fill)
{
	lxw_format *f;

	if (indent > MAX_INDENT)
		indent = MAX_INDENT;
	if (indent < 0)
		indent = 0;
	if (!fill && (f = x->cell[type][bold][indent]))
		return f;
	for (size_t i = 0; fill && i < x->nfilled; i++)
		if (x->filled[i].type == type && x->filled[i].bold == bold &&
		    x->filled[i].indent == indent && x->filled[i].rgb == fill)
			return x->filled[i].f;
	if (!(f = new_format(x)))
		return NULL;
	if (fill) {
		format_set_bg_color(f, (lxw_color_t)(fill & 0xFFFFFFu));
		format_set_pattern(f, LXW_PATTERN_SOLID);
		if (x->nfilled < sizeof x->filled / sizeof x->filled[0])
			x->filled[x->nfilled++] = (struct filled){type, bold, indent, fill, f};
	}
	format_set_border(f, LXW_BORDER_THIN);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	if (bold)
		format_set_bold(f);
	switch (type) {
	case F_TEXT:
		format_set_text_wrap(f);
		if (indent)
			format_set_indent(f, (uint8_t)indent);
		break;
	case F_DATE:
		format_set_align(f, LXW_ALIGN_CENTER);
		break;
	case F_MONEY:
	case F_CENTI:
		format_set_num_format(f, "#,##0.00");
		break;
	case F_INT:
		format_set_num_format(f, "0");
		break;
	case F_PERCENT:
		format_set_num_format(f, "0.0%");
		break;
	}
	if (!fill)
		x->cell[type][bold][indent] = f;
	return f;
}

static int
make_formats(xl *x)
{
	if (!(x->title = new_format(x)) || !(x->subtitle = new_format(x)) ||
	    !(x->head = new_format(x)) || !(x->note = new_format(x)) || !(x->footer = new_format(x)))
		return -1;
	format_set_font_size(x->title, 16);
	format_set_bold(x->title);
	format_set_align(x->title, LXW_ALIGN_CENTER);
	format_set_align(x->title, LXW_ALIGN_VERTICAL_CENTER);
	format_set_align(x->subtitle, LXW_ALIGN_CENTER);
	format_set_bold(x->head);
	format_set_align(x->head, LXW_ALIGN_CENTER);
	format_set_align(x->head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_border(x->head, LXW_BORDER_THIN);
	format_set_text_wrap(x->head);
	format_set_bg_color(x->head, 0xF2F2F2);
	format_set_text_wrap(x->note);
	format_set_align(x->note, LXW_ALIGN_VERTICAL_TOP);
	format_set_font_size(x->footer, 9);
	for (int i = 0; i <= MAX_INDENT; i++) {
		if (!(x->heading[i] = new_format(x)))
			return -1;
		format_set_bold(x->heading[i]);
		format_set_border(x->heading[i], LXW_BORDER_THIN);
		if (i)
			format_set_indent(x->heading[i], (uint8_t)i);
	}
	return 0;
}

/* ---- sheet names ---- */

static int
name_taken(const xl *x, const char *name)
{
	for (size_t i = 0; i < x->nnames; i++) {
		const char *a = x->names[i], *b = name;

		/* Excel compares sheet names without case (ASCII letters here) */
		while (*a && tolower((unsigned char)*a) == tolower((unsigned char)*b))
			a++, b++;
		if (!*a && !*b)
			return 1;
	}
	return 0;
}

/*
 * A sheet name from the table name: no []:*?/\, no leading or trailing
 * apostrophe, at most 31 characters (not bytes), unique without case: a
 * clash gets "(2)", "(3)"... within the 31 characters.
 */
static int
sheet_name(xl *x, const char *want, char out[LXW_MAX_SHEETNAME_LENGTH])
{
	char base[LXW_MAX_SHEETNAME_LENGTH];
	size_t n = 0;
	int chars = 0;

	for (const char *s = want; *s && chars < LXW_SHEETNAME_MAX;) {
		unsigned cp;
		int len = cj__utf8_next(s, &cp);

		if (cp < 0x20 || strchr("[]:*?/\\", (int)(cp < 0x80 ? cp : 'a')))
			base[n++] = '_';
		else if (cp == 0xFFFD && len == 1)
			base[n++] = '_';
		else {
			memcpy(base + n, s, (size_t)len);
			n += (size_t)len;
		}
		chars++;
		s += len;
	}
	base[n] = '\0';
	while (n && base[n - 1] == '\'')
		base[--n] = '\0';
	if (base[0] == '\'')
		base[0] = '_';
	if (!n)
		snprintf(base, sizeof base, "Sheet");
	snprintf(out, LXW_MAX_SHEETNAME_LENGTH, "%s", base);
	for (int k = 2; name_taken(x, out); k++) {
		char suffix[16];
		int slen = snprintf(suffix, sizeof suffix, "(%d)", k), keep = LXW_SHEETNAME_MAX - slen;
		size_t cut = 0;

		/* keep at most `keep` characters of the base */
		for (int c = 0; base[cut] && c < keep; c++) {
			unsigned cp;
			cut += (size_t)cj__utf8_next(base + cut, &cp);
		}
		snprintf(out, LXW_MAX_SHEETNAME_LENGTH, "%.*s%s", (int)cut, base, suffix);
	}
	if (cj_grow((void **)&x->names, &x->namecap, x->nnames + 1, sizeof *x->names))
		return fail(x, "xlsx: out of memory");
	if (!(x->names[x->nnames] = strdup(out)))
		return fail(x, "xlsx: out of memory");
	x->nnames++;
	return 0;
}

/* ---- one table ---- */

/* Column widths in Excel units (about one Latin digit; a hanzi takes two). */
static void
column_widths(const cj_table *t, double *w, int *wrap)
{
	char buf[CJ_NUM_MAX];

	for (size_t c = 0; c < t->ncols; c++) {
		int d = t->cols[c].width, tw = cj_text_width(t->cols[c].title);

		if (t->cols[c].group) {
			/* a group title spreads over its columns */
			int gw = cj_text_width(t->cols[c].group), span = 0;

			for (size_t k = 0; k < t->ncols; k++)
				span += t->cols[k].group && !strcmp(t->cols[k].group, t->cols[c].group);
			if (span && gw / span > tw)
				tw = gw / span;
		}
		if (tw > d)
			d = tw;
		wrap[c] = 0;
		for (size_t r = 0; r < t->nrows; r++) {
			const cj_row *row = &t->rows[r];
			int cw;

			if (row->kind == CJ_ROW_HEADING || row->cells[c].kind == CJ_CELL_EMPTY)
				continue;
			cw = cj_text_width(cj__cell_text(t, c, &row->cells[c], buf, sizeof buf));
			if (c == cj__indent_col(t, row))
				cw += 2 * row->level;
			if (cw > d)
				d = cw;
		}
		if (t->cols[c].type == CJ_COL_TEXT && d > MAX_TEXT_WIDTH) {
			d = MAX_TEXT_WIDTH;
			wrap[c] = 1;
		}
		w[c] = d * 1.1 + 2;
	}
}

/* Lines a text needs in a column of w display columns. */
static int
lines_for(const char *s, int w)
{
	int n = 0;

	if (w < 2)
		w = 2;
	while (*s) {
		s += cj__prefix_fitting(s, w);
		n++;
	}
	return n ? n : 1;
}

/* "=SUM(C5:C8,C10:C12)" over the data rows first..last, or "" if too long. */
static void
sum_formula(const cj_table *t, const cj_row *row, size_t col, lxw_row_t base, char *f, size_t size)
{
	size_t len = (size_t)snprintf(f, size, "=SUM(");
	int any = 0;

	for (long k = row->sum_first; k <= row->sum_last; k++) {
		long e = k;
		char a[32], b[32];
		int n;

		if (t->rows[k].kind != CJ_ROW_DATA)
			continue;
		while (e + 1 <= row->sum_last && t->rows[e + 1].kind == CJ_ROW_DATA)
			e++;
		lxw_rowcol_to_cell(a, base + (lxw_row_t)k, (lxw_col_t)col);
		lxw_rowcol_to_cell(b, base + (lxw_row_t)e, (lxw_col_t)col);
		n = e > k ? snprintf(f + len, size - len, "%s%s:%s", any ? "," : "", a, b)
			  : snprintf(f + len, size - len, "%s%s", any ? "," : "", a);
		if (n < 0 || (size_t)n >= size - len) {
			f[0] = '\0';
			return;
		}
		len += (size_t)n;
		any = 1;
		k = e;
	}
	if (!any) /* no data rows: zero */
		snprintf(f, size, "=0");
	else if (len + 2 > size)
		f[0] = '\0';
	else
		snprintf(f + len, size - len, ")");
}

/* "=C5+C6-C9" over the terms */
static void
terms_formula(const cj_row *row, size_t col, lxw_row_t base, char *f, size_t size)
{
	size_t len = 1;

	f[0] = '=';
	f[1] = '\0';
	for (size_t k = 0; k < row->nterms; k++) {
		char a[32];
		int n;

		lxw_rowcol_to_cell(a, base + (lxw_row_t)row->terms[k].row, (lxw_col_t)col);
		n = snprintf(f + len, size - len, "%s%s",
			     row->terms[k].sign < 0 ? "-" : k ? "+" : "", a);
		if (n < 0 || (size_t)n >= size - len) {
			f[0] = '\0';
			return;
		}
		len += (size_t)n;
	}
}

/* Write text merged across columns c0..c1 of row r (a plain cell if one column). */
static int
merged(xl *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c0, lxw_col_t c1, const char *s,
       lxw_format *f)
{
	if (c1 > c0)
		return ok(x, worksheet_merge_range(ws, r, c0, r, c1, s, f), "merge");
	return ok(x, worksheet_write_string(ws, r, c0, s, f), "write");
}

static int
write_cells(xl *x, lxw_worksheet *ws, const cj_table *t, const cj_row *row, lxw_row_t sr,
	    lxw_row_t base, const int *wrap, const double *w)
{
	char buf[CJ_NUM_MAX], formula[8192];
	size_t ind = cj__indent_col(t, row);
	int bold = row->kind == CJ_ROW_TOTAL || row->kind == CJ_ROW_SUBTOTAL, lines = 1;
	lxw_col_t last = (lxw_col_t)(t->ncols - 1);

	if (row->kind == CJ_ROW_HEADING) {
		const char *s = ind != (size_t)-1 ? cj__cell_text(t, ind, &row->cells[ind], buf, sizeof buf) : "";
		int level = row->level > MAX_INDENT ? MAX_INDENT : row->level;

		return merged(x, ws, sr, 0, last, s, x->heading[level < 0 ? 0 : level]);
	}
	for (size_t c = 0; c < t->ncols; c++) {
		const cj_cell *cell = &row->cells[c];
		int type = ftype(t->cols[c].type);
		lxw_format *f;

		if (cell->kind == CJ_CELL_TEXT && type != F_TEXT && type != F_DATE)
			type = F_TEXT; /* a label in a numeric column (合计) */
		f = cell_format(x, type, bold, c == ind ? row->level : 0,
				cell->flags & CJ_CELL_FILLED ? cell->fill | 1u << 24 : 0);
		if (!f)
			return -1;
		if (cell->kind == CJ_CELL_EMPTY) {
			if (ok(x, worksheet_write_blank(ws, sr, (lxw_col_t)c, f), "write"))
				return -1;
		} else if (cell->kind == CJ_CELL_TEXT) {
			if (ok(x, worksheet_write_string(ws, sr, (lxw_col_t)c, cell->text, f), "write"))
				return -1;
			if (type == F_TEXT && wrap[c]) {
				int n = lines_for(cell->text, (int)((w[c] - 2) / 1.1) -
								      (c == ind ? 2 * row->level : 0));
				if (n > lines)
					lines = n;
			}
		} else if (cj__cell_summed(t, row, c)) {
			double v = cell_double(t->cols[c].type, cell->value);

			if (row->nterms)
				terms_formula(row, c, base, formula, sizeof formula);
			else
				sum_formula(t, row, c, base, formula, sizeof formula);
			if (formula[0]) {
				if (ok(x, worksheet_write_formula_num(ws, sr, (lxw_col_t)c, formula, f, v),
				       "formula"))
					return -1;
			} else if (ok(x, worksheet_write_number(ws, sr, (lxw_col_t)c, v, f), "write")) {
				return -1;
			}
		} else if (ok(x, worksheet_write_number(ws, sr, (lxw_col_t)c,
						       cell_double(t->cols[c].type, cell->value), f),
			      "write")) {
			return -1;
		}
	}
	if (lines > 1)
		return ok(x, worksheet_set_row(ws, sr, 15.0 * lines, NULL), "row height");
	return 0;
}

/* The page footer: the report's footer on the left, page numbers on the right. */
static int
page_footer(xl *x, lxw_worksheet *ws, const char *footer)
{
	char buf[256];
	size_t n = 0;
	const char *pages = "&R第 &P 页 共 &N 页";
	size_t room = sizeof buf - 1 - strlen(pages) - 2;

	if (footer && *footer) {
		buf[n++] = '&';
		buf[n++] = 'L';
		for (const char *s = footer; *s;) {
			unsigned cp;
			int len = cj__utf8_next(s, &cp);

			if (n + (size_t)len + (*s == '&') > room)
				break; /* Excel allows 255 characters; cut on a character */
			if (*s == '&')
				buf[n++] = '&';
			memcpy(buf + n, s, (size_t)len);
			n += (size_t)len;
			s += len;
		}
	}
	snprintf(buf + n, sizeof buf - n, "%s", pages);
	return ok(x, worksheet_set_footer(ws, buf), "footer");
}

static int
chart_sheet(xl *x, const cj_table *t, const char *data_sheet, lxw_row_t base)
{
	static const uint8_t types[] = {LXW_CHART_PIE, LXW_CHART_BAR, LXW_CHART_COLUMN};
	const cj_chart *ch = t->chart;
	char name[LXW_MAX_SHEETNAME_LENGTH];
	lxw_chartsheet *cs;
	lxw_chart *chart;
	lxw_chart_series *series;

	if (ch->first_row < 0 || ch->last_row < ch->first_row || (size_t)ch->last_row >= t->nrows)
		return fail(x, "xlsx: chart '%s' of %s: rows out of range", ch->title, t->name);
	if (sheet_name(x, ch->title, name))
		return -1;
	if (!(cs = workbook_add_chartsheet(x->wb, name)))
		return fail(x, "xlsx: cannot add chart sheet %s", name);
	if (!(chart = workbook_add_chart(x->wb, types[ch->type])))
		return fail(x, "xlsx: cannot add chart %s", ch->title);
	series = chart_add_series(chart, NULL, NULL);
	if (!series)
		return fail(x, "xlsx: cannot add a chart series");
	chart_series_set_categories(series, data_sheet, base + (lxw_row_t)ch->first_row,
				    (lxw_col_t)ch->label_col, base + (lxw_row_t)ch->last_row,
				    (lxw_col_t)ch->label_col);
	chart_series_set_values(series, data_sheet, base + (lxw_row_t)ch->first_row,
				(lxw_col_t)ch->value_col, base + (lxw_row_t)ch->last_row,
				(lxw_col_t)ch->value_col);
	chart_series_set_name(series, t->cols[ch->value_col].title);
	chart_title_set_name(chart, ch->title);
	if (ch->type == CJ_CHART_PIE) {
		chart_series_set_labels(series);
		chart_series_set_labels_percentage(series);
	} else {
		chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
	}
	return ok(x, chartsheet_set_chart(cs, chart), "chart sheet");
}

/* The report's QR code right of the title, on every worksheet of the report. */
static void
qr_image(xl *x, lxw_worksheet *ws, const char *text, lxw_col_t col)
{
	lxw_image_options opt = {0};
	qr_code q;

	if (!x->qr_text || strcmp(x->qr_text, text)) {
		free(x->qr_png);
		x->qr_png = NULL;
		x->qr_text = NULL;
		if (cj__qr_make(text, &q)) {
			fail(x, _("xlsx: the QR code %s cannot be made"), text);
			return;
		}
		if (cj__qr_png(&q, 3, &x->qr_png, &x->qr_len)) {
			cj__qr_free(&q);
			fail(x, "xlsx: out of memory");
			return;
		}
		cj__qr_free(&q);
		x->qr_text = text;
	}
	opt.x_offset = 4;
	opt.y_offset = 2;
	ok(x, worksheet_insert_image_buffer_opt(ws, 0, col, x->qr_png, x->qr_len, &opt), "QR code");
}

static int
table_sheet(xl *x, const cj_report *r, const cj_table *t)
{
	char name[LXW_MAX_SHEETNAME_LENGTH];
	lxw_worksheet *ws;
	lxw_row_t sr = 0, head0, base;
	lxw_col_t last;
	double *w;
	int *wrap, groups = 0;

	if (!t->ncols)
		return fail(x, "xlsx: table %s has no columns", t->name);
	last = (lxw_col_t)(t->ncols - 1);
	if (sheet_name(x, t->name, name))
		return -1;
	if (!(ws = workbook_add_worksheet(x->wb, name)))
		return fail(x, "xlsx: cannot add sheet %s", name);
	w = calloc(t->ncols, sizeof *w);
	wrap = calloc(t->ncols, sizeof *wrap);
	if (!w || !wrap) {
		free(w);
		free(wrap);
		return fail(x, "xlsx: out of memory");
	}
	column_widths(t, w, wrap);
	for (size_t c = 0; c < t->ncols; c++)
		ok(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w[c], NULL), "column");

	/* title block */
	merged(x, ws, sr, 0, last, r->title, x->title);
	ok(x, worksheet_set_row(ws, sr++, 28, NULL), "row height");
	for (size_t i = 0; i < r->nsubtitles; i++)
		merged(x, ws, sr++, 0, last, r->subtitles[i], x->subtitle);
	if (r->ntables > 1)
		merged(x, ws, sr++, 0, last, t->name, x->subtitle);

	/* header rows */
	for (size_t c = 0; c < t->ncols; c++)
		groups |= t->cols[c].group != NULL;
	head0 = sr;
	for (size_t c = 0; c < t->ncols && !x->failed;) {
		size_t e = c + 1;

		if (!groups) {
			ok(x, worksheet_write_string(ws, sr, (lxw_col_t)c, t->cols[c].title, x->head),
			   "header");
			c++;
			continue;
		}
		if (!t->cols[c].group) {
			ok(x, worksheet_merge_range(ws, sr, (lxw_col_t)c, sr + 1, (lxw_col_t)c,
						    t->cols[c].title, x->head),
			   "header");
			c++;
			continue;
		}
		while (e < t->ncols && t->cols[e].group && !strcmp(t->cols[e].group, t->cols[c].group))
			e++;
		merged(x, ws, sr, (lxw_col_t)c, (lxw_col_t)(e - 1), t->cols[c].group, x->head);
		for (size_t k = c; k < e; k++)
			ok(x, worksheet_write_string(ws, sr + 1, (lxw_col_t)k, t->cols[k].title, x->head),
			   "header");
		c = e;
	}
	sr += groups ? 2 : 1;
	/* account codes and 行次 are text on purpose: no green triangles */
	ok(x, worksheet_ignore_errors(ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:XFD1048576"),
	   "ignore errors");
	worksheet_freeze_panes(ws, sr, 0);
	ok(x, worksheet_repeat_rows(ws, 0, sr - 1), "repeat rows");
	(void)head0;

	/* rows: model row i is sheet row base + i */
	base = sr;
	for (size_t i = 0; i < t->nrows && !x->failed; i++)
		write_cells(x, ws, t, &t->rows[i], base + (lxw_row_t)i, base, wrap, w);
	sr = base + (lxw_row_t)t->nrows;

	/* notes, signatures, footer */
	if (r->nnotes)
		sr++;
	for (size_t i = 0; i < r->nnotes && !x->failed; i++)
		merged(x, ws, sr++, 0, last, r->notes[i], x->note);
	if (r->nsignatures) {
		sr++;
		if (r->nsignatures <= t->ncols) {
			/* spread the labels over the columns, leaving room to sign */
			size_t per = t->ncols / r->nsignatures;

			for (size_t i = 0; i < r->nsignatures && !x->failed; i++) {
				lxw_col_t c0 = (lxw_col_t)(i * per);
				lxw_col_t c1 = i + 1 == r->nsignatures ? last : (lxw_col_t)(c0 + per - 1);

				merged(x, ws, sr, c0, c1, r->signatures[i], NULL);
			}
		} else {
			size_t len = 1;
			char *all;

			for (size_t i = 0; i < r->nsignatures; i++)
				len += strlen(r->signatures[i]) + 4;
			if (!(all = calloc(1, len))) {
				free(w);
				free(wrap);
				return fail(x, "xlsx: out of memory");
			}
			for (size_t i = 0; i < r->nsignatures; i++) {
				if (i)
					strcat(all, "    ");
				strcat(all, r->signatures[i]);
			}
			merged(x, ws, sr, 0, last, all, NULL);
			free(all);
		}
		sr++;
	}
	if (r->footer) {
		sr++;
		merged(x, ws, sr++, 0, last, r->footer, x->footer);
	}

	if (r->qr)
		qr_image(x, ws, r->qr, last + 1);

	/* print set-up */
	worksheet_set_paper(ws, 9); /* A4 */
	if (t->landscape)
		worksheet_set_landscape(ws);
	else
		worksheet_set_portrait(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_center_horizontally(ws);
	worksheet_set_margins(ws, 0.5, 0.5, 0.6, 0.7);
	page_footer(x, ws, r->footer);
	free(w);
	free(wrap);
	if (!x->failed && t->chart)
		chart_sheet(x, t, name, base);
	return x->failed ? -1 : 0;
}

int
cj_render_xlsx(const cj_report *const *reports, size_t n, const char *path, char *err,
	       size_t errlen)
{
	xl x;
	lxw_error e;

	memset(&x, 0, sizeof x);
	x.err = err;
	x.errlen = errlen;
	if (errlen)
		err[0] = '\0';
	if (!n)
		return fail(&x, "xlsx: no report to write");
	x.wb = workbook_new(path);
	if (!x.wb)
		return fail(&x, "xlsx: cannot create %s", path);
	if (!make_formats(&x)) {
		lxw_doc_properties props = {0};
		char title[256], author[] = "cunji", *subject = NULL, *keywords = NULL;

		/* the first report's properties (the disclosure digest stamp is in keywords) */
		snprintf(title, sizeof title, "%s", reports[0]->title);
		props.title = title;
		props.author = author;
		if (reports[0]->subject && !(props.subject = subject = strdup(reports[0]->subject)))
			fail(&x, "xlsx: out of memory");
		if (reports[0]->keywords && !(props.keywords = keywords = strdup(reports[0]->keywords)))
			fail(&x, "xlsx: out of memory");
		if (!x.failed)
			ok(&x, workbook_set_properties(x.wb, &props), "properties");
		free(subject);
		free(keywords);
		for (size_t i = 0; i < n && !x.failed; i++)
			for (size_t k = 0; k < reports[i]->ntables && !x.failed; k++)
				table_sheet(&x, reports[i], reports[i]->tables[k]);
	}
	/* workbook_close writes the file (and frees the workbook) even after a failure */
	e = workbook_close(x.wb);
	free(x.qr_png);
	if (!x.failed && e != LXW_NO_ERROR)
		fail(&x, "xlsx: cannot write %s: %s", path, lxw_strerror(e));
	for (size_t i = 0; i < x.nnames; i++)
		free(x.names[i]);
	free(x.names);
	if (x.failed)
		remove(path);
	return x.failed ? -1 : 0;
}
