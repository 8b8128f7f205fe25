/*
 * render_pdf.c - the PDF renderer (libharu)
 *
 * A4 pages, portrait or landscape per table, with WenQuanYi Zen Hei
 * embedded (see tech notes: the one CJK font this libharu embeds whole; the
 * font check test guards every character the templates use), cut down to
 * the characters of the document (font_subset.c), which are collected from
 * the model before anything is laid out.  Each report starts on a new page:
 * title block, tables with their header rows repeated on every page, notes,
 * signature lines, and on every page the footer and "第 x 页 共 y 页" (pages
 * counted per report).
 *
 * Layout runs twice over the same code: a measuring pass that only counts
 * pages, then the drawing pass that knows the page count.  Text is measured
 * with the font's own glyph widths (cached per character); amounts are
 * right-aligned with HPDF_Page_TextWidth.  Lines break between units
 * (cj__unit_len), never inside a number, a voucher or ID number or a date
 * range; columns get their declared widths scaled to the page but never
 * less than their widest figure or unit (the font shrinks if it must).  The
 * last rows of a table stay together, and with the signatures after the
 * last table; the footer shrinks and wraps but never loses a character.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include <reports/report.h>

#include "pdf_internal.h"
#include "qr.h"
#include "render_internal.h"
#include <ledger/i18n.h>

#define A4_W 595.276f
#define A4_H 841.89f
#define MARGIN_X 36.0f
#define MARGIN_TOP 36.0f
#define QR_SIDE 64.0f /* a sheet's QR code, its quiet zone the margin around it */
#define QR_TOP 22.0f  /* from the top of the page */
#define MARGIN_BOTTOM 42.0f /* the footer sits below the body */
#define PAD_X 3.0f
#define PAD_Y(size) ((size) * 0.2f) /* above and below a cell's text */
#define BODY_SIZE 9.0f
#define MIN_SIZE 6.0f
#define LAST_SIZE 4.5f /* only so that numbers are not split */
#define TITLE_SIZE 16.0f
#define SUBTITLE_SIZE 9.5f
#define FOOTER_SIZE 8.0f
#define FOOTER_MIN 6.0f /* a longer footer wraps */
#define LEADING 1.25f /* line height in ems */
#define KEEP_ROWS 2 /* the last rows of a table stay together (and with the signatures) */

typedef struct pdf {
	HPDF_Doc doc;
	HPDF_Font font;
	char *err;
	size_t errlen;
	int failed;
	HPDF_STATUS error_no, detail_no;
	short *widths; /* glyph widths (1/1000 em) of the BMP, -1 = not looked up */
	unsigned char *used; /* bit per code point: the characters the font subset holds */

	/* the report being laid out */
	const cj_report *r;
	int draw;          /* 0: measuring pass, 1: drawing */
	int page_no, pages;
	HPDF_Page page;
	float pw, ph;      /* page size */
	int landscape;
	float y;           /* top of the free space */
	float foot_size[2]; /* the report's footer per orientation (footer_fit) */
	int foot_lines[2];
} pdf;

/* Column geometry of one table, for one orientation. */
typedef struct geom {
	float size, leading;
	float *x, *w;
	float width;
	int groups;
	float head_h[2];
	float carry_h; /* a 过次页 / 承前页 row, when the table carries its figures; else 0 */
} geom;

static int
fail(pdf *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(pdf *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->failed) {
		va_start(ap, fmt);
		vsnprintf(p->err, p->errlen, fmt, ap);
		va_end(ap);
	}
	p->failed = 1;
	return -1;
}

/* libharu reports errors here; we record the first and check after calls. */
static void
on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
	pdf *p = user_data;

	if (!p->error_no) {
		p->error_no = error_no;
		p->detail_no = detail_no;
	}
}

static int
check(pdf *p, const char *what)
{
	if (p->error_no && !p->failed)
		fail(p, "pdf: %s: libharu error 0x%04X (detail %u)", what, (unsigned)p->error_no,
		     (unsigned)p->detail_no);
	return p->failed ? -1 : 0;
}

/* ---- measuring text ---- */

static int
glyph_width(pdf *p, unsigned cp)
{
	if (cp < 0x10000 && p->widths[cp] >= 0)
		return p->widths[cp];
	{
		HPDF_INT w = HPDF_Font_GetUnicodeWidth(p->font, (HPDF_UNICODE)(cp < 0x10000 ? cp : 0xFFFD));

		if (w < 0)
			w = 0;
		if (cp < 0x10000)
			p->widths[cp] = (short)(w > 32767 ? 32767 : w);
		return (int)w;
	}
}

/* Width of the first len bytes of s, in 1/1000 em. */
static long
units_n(pdf *p, const char *s, size_t len)
{
	long units = 0;

	for (size_t i = 0; i < len && s[i];) {
		unsigned cp;

		i += (size_t)cj__utf8_next(s + i, &cp);
		units += glyph_width(p, cp);
	}
	return units;
}

static float
text_width(pdf *p, const char *s, float size)
{
	return (float)units_n(p, s, strlen(s)) * size / 1000.0f;
}

/* Width in points of the widest unit of s that a line never breaks inside. */
static float
widest_unit(pdf *p, const char *s, float size)
{
	long widest = 0;

	for (size_t len; (len = cj__unit_len(s)); s += len) {
		long w = units_n(p, s, len);

		if (w > widest)
			widest = w;
	}
	return (float)widest * size / 1000.0f;
}

/*
 * Bytes of s for one line of width points: whole units (cj__unit_len: a
 * number, a voucher or ID number, a date range is never split), broken
 * where a line may break; a space that does not fit hangs at the end of
 * the line.  Only a unit wider than the line by itself is cut, between
 * characters.  At least one character.
 */
static size_t
fit(pdf *p, const char *s, float width, float size)
{
	/* half a unit of slack: a width measured from this very text holds it */
	float limit = width * 1000.0f / size + 0.5f;
	long units = 0;
	size_t n = 0, best = 0;
	unsigned prev = 0, first;

	while (s[n]) {
		size_t len = cj__unit_len(s + n), k;
		long w = units_n(p, s + n, len);

		cj__utf8_next(s + n, &first);
		if (n && cj__break_ok(prev, first))
			best = n;
		if ((float)(units + w) > limit) {
			if (first == ' ' && n && best == n)
				best = n + 1;
			break;
		}
		units += w;
		n += len;
		for (k = n - 1; k && (s[k] & 0xC0) == 0x80; k--)
			;
		cj__utf8_next(s + k, &prev);
	}
	if (!s[n])
		return n;
	if (best)
		return best;
	/* the first unit alone is wider than the line: cut it between characters */
	for (n = 0, units = 0; s[n];) {
		int len = cj__utf8_next(s + n, &first);

		if (n && (float)(units + glyph_width(p, first)) > limit)
			break;
		units += glyph_width(p, first);
		n += (size_t)len;
	}
	return n;
}

static int
wrap_lines(pdf *p, const char *s, float width, float size)
{
	int n = 0;

	while (*s) {
		s += fit(p, s, width, size);
		n++;
	}
	return n ? n : 1;
}

/* ---- drawing primitives (no-ops in the measuring pass) ---- */

static void
text_at(pdf *p, float x, float baseline, float size, const char *s, size_t len)
{
	char buf[1024];
	char *t = buf;

	if (!p->draw || !len || p->failed)
		return;
	for (size_t i = 0; i < len && s[i];) {
		unsigned cp;

		i += (size_t)cj__utf8_next(s + i, &cp);
		if (!cj__pdf_used(p->used, cp)) {
			/* it would print blank: a string the collection missed */
			fail(p, "pdf: internal: U+%04X is not in the font subset", cp);
			return;
		}
	}
	if (len >= sizeof buf && !(t = malloc(len + 1))) {
		fail(p, "pdf: out of memory");
		return;
	}
	memcpy(t, s, len);
	t[len] = '\0';
	HPDF_Page_SetFontAndSize(p->page, p->font, size);
	HPDF_Page_BeginText(p->page);
	HPDF_Page_TextOut(p->page, x, baseline, t);
	HPDF_Page_EndText(p->page);
	if (t != buf)
		free(t);
}

/* Right-aligned at right (the amounts): measured with HPDF_Page_TextWidth. */
static void
text_right(pdf *p, float right, float baseline, float size, const char *s)
{
	if (!p->draw || p->failed)
		return;
	HPDF_Page_SetFontAndSize(p->page, p->font, size);
	text_at(p, right - HPDF_Page_TextWidth(p->page, s), baseline, size, s, strlen(s));
}

static void
text_centre(pdf *p, float x, float width, float baseline, float size, const char *s)
{
	text_at(p, x + (width - text_width(p, s, size)) / 2, baseline, size, s, strlen(s));
}

static void
line(pdf *p, float x0, float y0, float x1, float y1, float lw)
{
	if (!p->draw || p->failed)
		return;
	HPDF_Page_SetLineWidth(p->page, lw);
	HPDF_Page_MoveTo(p->page, x0, y0);
	HPDF_Page_LineTo(p->page, x1, y1);
	HPDF_Page_Stroke(p->page);
}

/* Baseline of line k (from 0) of a box whose text starts at top. */
static float
baseline(float top, int k, float size)
{
	return top - PAD_Y(size) - size * LEADING * (float)k - size * 1.0f;
}

/* ---- pages ---- */

/* Room the footer leaves beside the page number, in an orientation. */
static float
footer_room(pdf *p, int landscape)
{
	/* the widest number a report has, so that every page lays out alike */
	return (landscape ? A4_H : A4_W) - 2 * MARGIN_X -
	       text_width(p, "第 9999 页 共 9999 页", FOOTER_SIZE) - 12.0f;
}

/*
 * The footer of the report, per orientation: it shrinks to fit its line
 * beside the page number, down to FOOTER_MIN; a longer one wraps there.
 * It never loses a character (the digest and the hotline are in it).
 */
static void
footer_fit(pdf *p)
{
	for (int o = 0; o < 2; o++) {
		const char *f = p->r->footer ? p->r->footer : "";
		float room = footer_room(p, o), w = text_width(p, f, FOOTER_SIZE);
		float size = FOOTER_SIZE;

		if (w > room)
			size = floorf(FOOTER_SIZE * room / w * 10.0f) / 10.0f;
		if (size < FOOTER_MIN)
			size = FOOTER_MIN;
		p->foot_size[o] = size;
		p->foot_lines[o] = wrap_lines(p, f, room, size);
	}
}

static void
footer(pdf *p)
{
	char num[64];
	float base = MARGIN_BOTTOM - 20.0f, size = p->foot_size[p->landscape];
	int lines = p->foot_lines[p->landscape];
	const char *s = p->r->footer ? p->r->footer : "";

	/* upwards from the page number's line */
	for (int k = lines - 1; *s; k--) {
		size_t n = fit(p, s, footer_room(p, p->landscape), size);

		text_at(p, MARGIN_X, base + (float)k * size * LEADING, size, s, n);
		s += n;
	}
	snprintf(num, sizeof num, "第 %d 页 共 %d 页", p->page_no, p->pages);
	text_right(p, p->pw - MARGIN_X, base, FOOTER_SIZE, num);
}

static int
new_page(pdf *p, int landscape)
{
	p->page_no++;
	p->landscape = landscape;
	p->pw = landscape ? A4_H : A4_W;
	p->ph = landscape ? A4_W : A4_H;
	p->y = p->ph - MARGIN_TOP;
	if (!p->draw)
		return 0;
	p->page = HPDF_AddPage(p->doc);
	if (!p->page)
		return check(p, "adding a page") ? -1 : fail(p, "pdf: cannot add a page");
	HPDF_Page_SetSize(p->page, HPDF_PAGE_SIZE_A4,
			  landscape ? HPDF_PAGE_LANDSCAPE : HPDF_PAGE_PORTRAIT);
	HPDF_Page_SetFontAndSize(p->page, p->font, BODY_SIZE);
	footer(p);
	return check(p, "starting a page");
}

/* The bottom of the body: higher when the footer takes more than two lines. */
static float
bottom(pdf *p)
{
	int extra = p->foot_lines[p->landscape] - 2;

	return MARGIN_BOTTOM + (extra > 0 ? (float)extra * p->foot_size[p->landscape] * LEADING : 0);
}

/* On a page the report continues on: its title, small, with （续）. */
static void
continued(pdf *p)
{
	char buf[512];

	if (p->r->running)
		snprintf(buf, sizeof buf, "%s（续）    %s", p->r->title, p->r->running);
	else
		snprintf(buf, sizeof buf, "%s（续）", p->r->title);
	text_at(p, MARGIN_X, p->y - SUBTITLE_SIZE, SUBTITLE_SIZE, buf, strlen(buf));
	p->y -= SUBTITLE_SIZE * 1.8f;
}

/* Full-width wrapped paragraph (title block, notes), page breaks as needed. */
static void
paragraph(pdf *p, const char *s, float size, int centre)
{
	float width = p->pw - 2 * MARGIN_X;

	do {
		size_t n = fit(p, s, width, size);

		if (p->y - size * LEADING < bottom(p)) {
			new_page(p, p->landscape);
			continued(p);
		}
		if (centre) {
			char buf[1024];

			snprintf(buf, sizeof buf, "%.*s", (int)(n < sizeof buf ? n : sizeof buf - 1), s);
			text_centre(p, MARGIN_X, width, p->y - size, size, buf);
		} else {
			text_at(p, MARGIN_X, p->y - size, size, s, n);
		}
		p->y -= size * LEADING;
		s += n;
	} while (*s);
}

/* ---- tables ---- */

static void
geom_free(geom *g)
{
	free(g->x);
	free(g->w);
}

/*
 * The least width of column c at size: numbers and dates (never wrapped)
 * their widest figure; text its widest unit (an amount, a voucher or ID
 * number, a date range: never split), up to a quarter of the line.
 */
static float
least_width(pdf *p, const cj_table *t, size_t c, float size, float avail)
{
	char buf[CJ_NUM_MAX];
	float need = 0;

	for (size_t r = 0; r < t->nrows; r++) {
		const cj_row *row = &t->rows[r];
		const cj_cell *cell = &row->cells[c];
		const char *s;
		float w;

		if (row->kind == CJ_ROW_HEADING || cell->kind == CJ_CELL_EMPTY)
			continue;
		s = cj__cell_text(t, c, cell, buf, sizeof buf);
		w = cell->kind == CJ_CELL_TEXT && t->cols[c].type != CJ_COL_DATE
			    ? widest_unit(p, s, size)
			    : text_width(p, s, size);
		if (c == cj__indent_col(t, row))
			w += (float)row->level * size;
		if (w > need)
			need = w;
	}
	if (t->cols[c].type == CJ_COL_TEXT && need > avail / 4)
		need = avail / 4; /* a longer word is cut */
	if (need < 2 * size)
		need = 2 * size; /* two hanzi of the column's title a line */
	return need + 2 * PAD_X;
}

/*
 * Shrink the columns of one kind (text or not) from their preferred widths
 * towards their least by `over` points in all, each in proportion to what
 * it can give.  Returns what is still over.
 */
static float
give_back(const cj_table *t, int text, float *w, const float *least, float over)
{
	float spare = 0;

	for (size_t c = 0; c < t->ncols; c++)
		if ((t->cols[c].type == CJ_COL_TEXT) == text)
			spare += w[c] - least[c];
	if (over <= 0 || spare <= 0)
		return over;
	for (size_t c = 0; c < t->ncols; c++)
		if ((t->cols[c].type == CJ_COL_TEXT) == text)
			w[c] -= (w[c] - least[c]) * (over < spare ? over / spare : 1);
	return over < spare ? 0 : over - spare;
}

/*
 * Column widths for avail points.  Each column prefers its declared width
 * and never goes below its least (least_width).  With room to spare every
 * column grows in proportion; otherwise numbers give up what they have
 * above their figures, then text shrinks towards its least, keeping at
 * least 35 % of what it asked for.  When that cannot be had the font
 * shrinks, down to MIN_SIZE, and below it (to LAST_SIZE) only when the
 * least widths themselves do not fit.
 */
static int
layout_columns(pdf *p, const cj_table *t, float avail, float start_size, geom *g)
{
	float size = start_size, *least = calloc(t->ncols, sizeof *least);

	g->x = calloc(t->ncols, sizeof *g->x);
	g->w = calloc(t->ncols, sizeof *g->w);
	if (!g->x || !g->w || !least) {
		free(least);
		return fail(p, "pdf: out of memory");
	}
	g->groups = 0;
	for (size_t c = 0; c < t->ncols; c++)
		g->groups |= t->cols[c].group != NULL;
	for (;;) {
		float pref_sum = 0, least_sum = 0, text_pref = 0, text_w = 0, over;

		for (size_t c = 0; c < t->ncols; c++) {
			float pref = (float)(t->cols[c].width > 0 ? t->cols[c].width : 8) * size / 2 +
				     2 * PAD_X;

			least[c] = least_width(p, t, c, size, avail);
			g->w[c] = pref > least[c] ? pref : least[c];
			pref_sum += g->w[c];
			least_sum += least[c];
			if (t->cols[c].type == CJ_COL_TEXT)
				text_pref += g->w[c];
		}
		if (pref_sum <= avail) {
			/* room to spare: every column grows in proportion */
			for (size_t c = 0; c < t->ncols; c++)
				g->w[c] *= avail / pref_sum;
			break;
		}
		over = give_back(t, 0, g->w, least, pref_sum - avail);
		over = give_back(t, 1, g->w, least, over);
		for (size_t c = 0; c < t->ncols; c++)
			if (t->cols[c].type == CJ_COL_TEXT)
				text_w += g->w[c];
		if (over <= 0.01f && (text_w >= text_pref * 0.35f || size <= MIN_SIZE))
			break;
		if (size <= (over > 0.01f ? LAST_SIZE : MIN_SIZE)) {
			/* as small as it goes: squeeze everything (long words are cut) */
			for (size_t c = 0; c < t->ncols; c++)
				g->w[c] = least[c] * avail / least_sum;
			break;
		}
		size -= 0.5f;
	}
	free(least);
	g->size = size;
	g->leading = size * LEADING;
	g->width = 0;
	for (size_t c = 0; c < t->ncols; c++) {
		g->x[c] = MARGIN_X + g->width;
		g->width += g->w[c];
	}
	/* header heights: group row, title row */
	g->head_h[0] = g->head_h[1] = 0;
	for (size_t c = 0; c < t->ncols; c++) {
		int n = wrap_lines(p, t->cols[c].title, g->w[c] - 2 * PAD_X, size);
		float h = (float)n * g->leading + 2 * PAD_Y(size);

		if (t->cols[c].group) {
			float span = 0;

			for (size_t k = c; k < t->ncols && t->cols[k].group &&
					   !strcmp(t->cols[k].group, t->cols[c].group);
			     k++)
				span += g->w[k];
			n = wrap_lines(p, t->cols[c].group, span - 2 * PAD_X, size);
			if ((float)n * g->leading + 2 * PAD_Y(size) > g->head_h[0])
				g->head_h[0] = (float)n * g->leading + 2 * PAD_Y(size);
		}
		if (!t->cols[c].group && g->groups)
			h -= g->head_h[0]; /* spans both rows; fixed up below */
		if (h > g->head_h[1])
			g->head_h[1] = h;
	}
	if (g->groups) {
		/* an ungrouped title spans both rows: make sure they hold it */
		for (size_t c = 0; c < t->ncols; c++) {
			float h = (float)wrap_lines(p, t->cols[c].title, g->w[c] - 2 * PAD_X, size) *
					  g->leading + 2 * PAD_Y(size);

			if (!t->cols[c].group && h > g->head_h[0] + g->head_h[1])
				g->head_h[1] = h - g->head_h[0];
		}
	}
	return 0;
}

/* Wrapped text of a cell in a box of width w at (x, top), at most max lines. */
static void
cell_text(pdf *p, const char *s, float x, float w, float top, float size)
{
	for (int k = 0; *s; k++) {
		size_t n = fit(p, s, w, size);

		text_at(p, x, baseline(top, k, size), size, s, n);
		s += n;
	}
}

static void
header_rows(pdf *p, const cj_table *t, const geom *g)
{
	float top = p->y, h0 = g->groups ? g->head_h[0] : 0, h = h0 + g->head_h[1];

	line(p, MARGIN_X, top, MARGIN_X + g->width, top, 0.8f);
	for (size_t c = 0; c < t->ncols; c++) {
		const char *title = t->cols[c].title;
		float x = g->x[c], w = g->w[c], ctop = top, ch = h;
		int n;

		if (t->cols[c].group) {
			size_t e = c;
			float span = 0;

			ctop = top - h0;
			ch = g->head_h[1];
			if (c == 0 || !t->cols[c - 1].group || strcmp(t->cols[c - 1].group, t->cols[c].group)) {
				while (e < t->ncols && t->cols[e].group &&
				       !strcmp(t->cols[e].group, t->cols[c].group))
					span += g->w[e++];
				n = wrap_lines(p, t->cols[c].group, span - 2 * PAD_X, g->size);
				/* group title centred in its box; a rule under it */
				{
					const char *s = t->cols[c].group;
					float t0 = top - (h0 - (float)n * g->leading - 2 * PAD_Y(g->size)) / 2;

					for (int k = 0; *s; k++) {
						size_t len = fit(p, s, span - 2 * PAD_X, g->size);
						char buf[512];

						snprintf(buf, sizeof buf, "%.*s", (int)len, s);
						text_centre(p, x, span, baseline(t0, k, g->size), g->size, buf);
						s += len;
					}
				}
				line(p, x, top - h0, x + span, top - h0, 0.5f);
			}
		}
		n = wrap_lines(p, title, w - 2 * PAD_X, g->size);
		{
			float t0 = ctop - (ch - (float)n * g->leading - 2 * PAD_Y(g->size)) / 2;
			const char *s = title;

			for (int k = 0; *s; k++) {
				size_t len = fit(p, s, w - 2 * PAD_X, g->size);
				char buf[512];

				snprintf(buf, sizeof buf, "%.*s", (int)len, s);
				text_centre(p, x, w, baseline(t0, k, g->size), g->size, buf);
				s += len;
			}
		}
		/* inside a group the rule starts under the group title */
		if (c && t->cols[c].group && t->cols[c - 1].group &&
		    !strcmp(t->cols[c].group, t->cols[c - 1].group))
			line(p, x, top - h0, x, top - h, 0.5f);
		else if (c)
			line(p, x, top, x, top - h, 0.5f);
	}
	line(p, MARGIN_X, top, MARGIN_X, top - h, 0.8f);
	line(p, MARGIN_X + g->width, top, MARGIN_X + g->width, top - h, 0.8f);
	line(p, MARGIN_X, top - h, MARGIN_X + g->width, top - h, 0.8f);
	p->y = top - h;
}

static float
row_height(pdf *p, const cj_table *t, const cj_row *row, const geom *g)
{
	char buf[CJ_NUM_MAX];
	size_t ind = cj__indent_col(t, row);
	int lines = 1;

	if (row->kind == CJ_ROW_HEADING) {
		const char *s = ind != (size_t)-1 ? cj__cell_text(t, ind, &row->cells[ind], buf, sizeof buf) : "";

		lines = wrap_lines(p, s, g->width - 2 * PAD_X - (float)row->level * g->size, g->size);
	} else {
		for (size_t c = 0; c < t->ncols; c++) {
			const cj_cell *cell = &row->cells[c];
			float indent = c == ind ? (float)row->level * g->size : 0;
			int n;

			if (cell->kind != CJ_CELL_TEXT)
				continue;
			n = wrap_lines(p, cell->text, g->w[c] - 2 * PAD_X - indent, g->size);
			if (n > lines)
				lines = n;
		}
	}
	return (float)lines * g->leading + 2 * PAD_Y(g->size);
}

static void
draw_row(pdf *p, const cj_table *t, const cj_row *row, const geom *g, float h)
{
	char buf[CJ_NUM_MAX];
	size_t ind = cj__indent_col(t, row);
	float top = p->y;

	if (row->kind == CJ_ROW_HEADING) {
		const char *s = ind != (size_t)-1 ? cj__cell_text(t, ind, &row->cells[ind], buf, sizeof buf) : "";
		float indent = (float)row->level * g->size;

		cell_text(p, s, MARGIN_X + PAD_X + indent, g->width - 2 * PAD_X - indent, top, g->size);
	} else {
		/* filled cells first (a traffic light), under their rules and text */
		for (size_t c = 0; c < t->ncols; c++) {
			uint32_t rgb = row->cells[c].fill;

			if (!(row->cells[c].flags & CJ_CELL_FILLED))
				continue;
			HPDF_Page_SetRGBFill(p->page, (float)(rgb >> 16 & 0xFF) / 255.0f,
					     (float)(rgb >> 8 & 0xFF) / 255.0f, (float)(rgb & 0xFF) / 255.0f);
			HPDF_Page_Rectangle(p->page, g->x[c], top - h, g->w[c], h);
			HPDF_Page_Fill(p->page);
			HPDF_Page_SetRGBFill(p->page, 0, 0, 0);
		}
		for (size_t c = 0; c < t->ncols; c++) {
			const cj_cell *cell = &row->cells[c];
			float indent = c == ind ? (float)row->level * g->size : 0;

			if (c)
				line(p, g->x[c], top, g->x[c], top - h, 0.5f);
			if (cell->kind == CJ_CELL_EMPTY)
				continue;
			if (cell->kind == CJ_CELL_TEXT && t->cols[c].type != CJ_COL_DATE) {
				cell_text(p, cell->text, g->x[c] + PAD_X + indent,
					  g->w[c] - 2 * PAD_X - indent, top, g->size);
			} else if (cell->kind == CJ_CELL_TEXT) {
				text_centre(p, g->x[c], g->w[c], baseline(top, 0, g->size), g->size,
					    cell->text);
			} else {
				text_right(p, g->x[c] + g->w[c] - PAD_X, baseline(top, 0, g->size), g->size,
					   cj__cell_text(t, c, cell, buf, sizeof buf));
			}
		}
	}
	/* borders: a heavier rule above totals */
	line(p, MARGIN_X, top - h, MARGIN_X + g->width, top - h, 0.5f);
	if (row->kind == CJ_ROW_TOTAL)
		line(p, MARGIN_X, top, MARGIN_X + g->width, top, 1.2f);
	line(p, MARGIN_X, top, MARGIN_X, top - h, 0.8f);
	line(p, MARGIN_X + g->width, top, MARGIN_X + g->width, top - h, 0.8f);
	p->y = top - h;
}

/* Do the signature labels fit side by side on one line of width points? */
static int
signatures_one_line(pdf *p, float width)
{
	float slot = width / (float)(p->r->nsignatures ? p->r->nsignatures : 1);

	for (size_t i = 0; i < p->r->nsignatures; i++)
		if (text_width(p, p->r->signatures[i], BODY_SIZE) > slot - 8.0f)
			return 0;
	return 1;
}

/* Height of what follows the last table, as report() draws it: notes, signatures. */
static float
tail_height(pdf *p, float width)
{
	const cj_report *r = p->r;
	float h = r->nnotes ? 6.0f : 0;

	for (size_t i = 0; i < r->nnotes; i++)
		h += (float)wrap_lines(p, r->notes[i], width, BODY_SIZE) * BODY_SIZE * LEADING;
	if (r->nsignatures) {
		h += BODY_SIZE * 1.5f;
		if (signatures_one_line(p, width))
			h += BODY_SIZE * 2;
		else
			for (size_t i = 0; i < r->nsignatures; i++)
				h += (float)wrap_lines(p, r->signatures[i], width, BODY_SIZE) * BODY_SIZE *
					     LEADING +
				     BODY_SIZE;
	}
	return h;
}

/* Height of rows from..to-1. */
static float
rows_height(pdf *p, const cj_table *t, const geom *g, size_t from, size_t to)
{
	float h = 0;

	for (size_t r = from; r < to; r++)
		h += row_height(p, t, &t->rows[r], g);
	return h;
}

/* Room for rows on a page the table continues on. */
static float
page_room(pdf *p, const geom *g)
{
	return p->ph - MARGIN_TOP - SUBTITLE_SIZE * 1.8f - g->head_h[0] - g->head_h[1] - bottom(p) -
	       2 * g->carry_h;
}

/*
 * What must fit below row r before it is drawn: the row; a section heading
 * with the row under it; from the table's last rows on (keep), all of them,
 * with the notes and signatures that certify them after the report's last
 * table (tail) -- unless that much could not fit on any page.
 */
static float
keep_height(pdf *p, const cj_table *t, const geom *g, size_t r, size_t keep, float tail)
{
	float h = row_height(p, t, &t->rows[r], g), all;

	if (r >= keep) {
		all = rows_height(p, t, g, r, t->nrows) + tail;
		if (all <= page_room(p, g))
			return all;
	}
	if ((t->rows[r].kind == CJ_ROW_HEADING || (t->rows[r].flags & CJ_ROW_KEEP_NEXT)) &&
	    r + 1 < t->nrows)
		h += row_height(p, t, &t->rows[r + 1], g);
	return h;
}

/* Height of the header and every row. */
static float
table_height(pdf *p, const cj_table *t, const geom *g)
{
	return g->head_h[0] + g->head_h[1] + rows_height(p, t, g, 0, t->nrows);
}

/*
 * A 过次页 row at the foot of a page (before row upto) or the 承前页 row at
 * the head of the next: the figures carried past rows 0..upto-1.
 */
static void
carry_row(pdf *p, const cj_table *t, const geom *g, size_t upto, int to_next)
{
	cj_row row = {0};

	row.kind = CJ_ROW_SUBTOTAL;
	row.cells = calloc(t->ncols, sizeof *row.cells);
	if (!row.cells) {
		fail(p, "pdf: out of memory");
		return;
	}
	if (cj_table_carried(t, upto, row.cells)) {
		fail(p, "pdf: %s: the figures carried to the next page do not fit in 64 bits", t->name);
	} else {
		row.cells[t->carry->label_col].kind = CJ_CELL_TEXT;
		row.cells[t->carry->label_col].text = to_next ? t->carry->to_next : t->carry->from_prev;
		draw_row(p, t, &row, g, row_height(p, t, &row, g));
	}
	free(row.cells);
}

/*
 * A table's chart, under it, as horizontal bars whatever its type (a pie
 * or column reads the same as bars on paper): each row's label, a bar as
 * long as its value against the largest, and the value.
 */
static void
chart(pdf *p, const cj_table *t)
{
	const cj_chart *c = t->chart;
	float size = BODY_SIZE, bar_h = size * 1.6f, width = p->pw - 2 * MARGIN_X, label_w = 0;
	float value_w = text_width(p, "9,999,999,999.99", size) + PAD_X, span;
	int64_t max = 0;
	char num[CJ_NUM_MAX];

	if (c->first_row < 0 || c->last_row < c->first_row || (size_t)c->last_row >= t->nrows)
		return;
	for (long r = c->first_row; r <= c->last_row; r++) {
		const cj_cell *x = t->rows[r].cells;
		float w = x[c->label_col].text ? text_width(p, x[c->label_col].text, size) : 0;

		label_w = w > label_w ? w : label_w;
		max = x[c->value_col].value > max ? x[c->value_col].value : max;
	}
	label_w = fminf(label_w + 2 * PAD_X, width / 3);
	span = width - label_w - value_w;
	p->y -= 10.0f;
	if (p->y - 11.0f * LEADING - 2 * bar_h < bottom(p)) {
		new_page(p, p->landscape);
		continued(p);
	}
	text_at(p, MARGIN_X, p->y - 11.0f, 11.0f, c->title, strlen(c->title));
	p->y -= 11.0f * LEADING + 4.0f;
	for (long r = c->first_row; r <= c->last_row && !p->failed; r++) {
		const cj_cell *x = t->rows[r].cells;
		int64_t v = x[c->value_col].kind == CJ_CELL_NUMBER ? x[c->value_col].value : 0;
		float len = max > 0 && v > 0 ? span * (float)v / (float)max : 0;
		const char *label = x[c->label_col].text ? x[c->label_col].text : "";

		if (p->y - bar_h < bottom(p)) {
			new_page(p, p->landscape);
			continued(p);
		}
		text_at(p, MARGIN_X, p->y - bar_h + (bar_h - size) / 2 + 1.0f, size, label,
			fit(p, label, label_w - PAD_X, size));
		if (p->draw && len > 0) {
			HPDF_Page_SetRGBFill(p->page, 0.80f, 0.25f, 0.20f);
			HPDF_Page_Rectangle(p->page, MARGIN_X + label_w, p->y - bar_h + 2.0f, len, bar_h - 4.0f);
			HPDF_Page_Fill(p->page);
			HPDF_Page_SetRGBFill(p->page, 0, 0, 0);
		}
		cj_format_number(num, sizeof num, t->cols[c->value_col].type, v);
		text_at(p, MARGIN_X + label_w + len + PAD_X, p->y - bar_h + (bar_h - size) / 2 + 1.0f, size,
			num, strlen(num));
		p->y -= bar_h;
	}
	/* the axis */
	line(p, MARGIN_X + label_w, p->y, MARGIN_X + label_w,
	     p->y + bar_h * (float)(c->last_row - c->first_row + 1), 0.5f);
}

static int
table(pdf *p, const cj_table *t, int first)
{
	geom g = {0};
	float name_h = 0, width = (t->landscape ? A4_H : A4_W) - 2 * MARGIN_X, room, need, tail = 0;
	int last = t == p->r->tables[p->r->ntables - 1];
	size_t keep = t->nrows > KEEP_ROWS ? t->nrows - KEEP_ROWS : 0;

	if (!t->ncols)
		return 0;
	if (!first && p->landscape != (t->landscape != 0)) {
		new_page(p, t->landscape != 0);
		continued(p);
	} else if (!first) {
		p->y -= 10.0f;
	}
	if (p->r->ntables > 1)
		name_h = 11.0f * LEADING + 2.0f;
	if (layout_columns(p, t, width, BODY_SIZE, &g))
		goto done;
	/*
	 * A table that just misses one page (a statement of 50-odd lines) is
	 * set a little smaller rather than split: officials file one sheet.
	 */
	/* the last table keeps its notes and signatures with it */
	if (last)
		tail = tail_height(p, width);
	room = p->y - name_h - bottom(p) - tail;
	need = table_height(p, t, &g);
	if (need > room && need < room * 1.3f) {
		for (float size = BODY_SIZE - 0.5f; size >= 7.0f && need > room; size -= 0.5f) {
			geom_free(&g);
			memset(&g, 0, sizeof g);
			if (layout_columns(p, t, width, size, &g))
				goto done;
			need = table_height(p, t, &g);
		}
	}
	/* a table that carries its figures keeps room on each page for the 过次页 row */
	if (t->carry)
		g.carry_h = g.leading + 2 * PAD_Y(g.size);
	/* the name, the header and the first row (and what it keeps) stay together */
	if (p->y - name_h - g.head_h[0] - g.head_h[1] -
		    (t->nrows ? keep_height(p, t, &g, 0, keep, tail) : 0) - g.carry_h <
	    bottom(p)) {
		new_page(p, t->landscape != 0);
		continued(p);
	}
	if (name_h) {
		text_at(p, MARGIN_X, p->y - 11.0f, 11.0f, t->name, strlen(t->name));
		p->y -= name_h;
	}
	header_rows(p, t, &g);
	for (size_t r = 0; r < t->nrows && !p->failed; r++) {
		float h = row_height(p, t, &t->rows[r], &g);

		if (p->y - keep_height(p, t, &g, r, keep, tail) - g.carry_h < bottom(p)) {
			if (t->carry && r)
				carry_row(p, t, &g, r, 1);
			new_page(p, t->landscape != 0);
			continued(p);
			header_rows(p, t, &g);
			if (t->carry && r)
				carry_row(p, t, &g, r, 0);
		}
		draw_row(p, t, &t->rows[r], &g, h);
	}
	if (t->chart && t->chart->in_pdf && !p->failed)
		chart(p, t);
done:
	geom_free(&g);
	return p->failed ? -1 : 0;
}

static void
signatures(pdf *p)
{
	const cj_report *r = p->r;
	float width = p->pw - 2 * MARGIN_X, slot = width / (float)r->nsignatures;
	int one_line = signatures_one_line(p, width);

	p->y -= BODY_SIZE * 1.5f;
	if (one_line) {
		if (p->y - BODY_SIZE * 2 < bottom(p)) {
			new_page(p, p->landscape);
			continued(p);
		}
		for (size_t i = 0; i < r->nsignatures; i++)
			text_at(p, MARGIN_X + slot * (float)i, p->y - BODY_SIZE, BODY_SIZE, r->signatures[i],
				strlen(r->signatures[i]));
		p->y -= BODY_SIZE * 2;
	} else {
		for (size_t i = 0; i < r->nsignatures; i++) {
			paragraph(p, r->signatures[i], BODY_SIZE, 0);
			p->y -= BODY_SIZE;
		}
	}
}

/* The report's QR code at the top right of its first page (a sheet's anchor). */
static void
draw_qr(pdf *p)
{
	if (p->draw && !p->failed && p->r->qr &&
	    cj__qr_draw(p->page, p->r->qr, p->pw - MARGIN_X - QR_SIDE, p->ph - QR_TOP, QR_SIDE))
		fail(p, _("pdf: the QR code of %s cannot be made"), p->r->title);
}

/* One report, from a new page; pages numbered from 1. */
static int
report(pdf *p)
{
	const cj_report *r = p->r;

	p->page_no = 0;
	footer_fit(p);
	if (new_page(p, r->ntables ? r->tables[0]->landscape != 0 : 0))
		return -1;
	draw_qr(p);
	paragraph(p, r->title, TITLE_SIZE, 1);
	p->y -= 4.0f;
	for (size_t i = 0; i < r->nsubtitles; i++)
		paragraph(p, r->subtitles[i], SUBTITLE_SIZE, 1);
	p->y -= 4.0f;
	for (size_t i = 0; i < r->ntables && !p->failed; i++)
		table(p, r->tables[i], i == 0);
	if (r->nnotes)
		p->y -= 6.0f;
	for (size_t i = 0; i < r->nnotes && !p->failed; i++)
		paragraph(p, r->notes[i], BODY_SIZE, 0);
	if (r->nsignatures && !p->failed)
		signatures(p);
	return p->failed ? -1 : check(p, "drawing");
}

/* ---- the font: subset to the characters the document draws ---- */

/*
 * Every string the renderer can draw comes from the model, or is one of
 * the renderer's own below; text_at refuses a character missed here rather
 * than print it blank.
 */
static void
collect_characters(pdf *p, const cj_report *const *reports, size_t n)
{
	char buf[CJ_NUM_MAX];

	for (unsigned cp = 0x20; cp < 0x7F; cp++) /* digits of page numbers, amounts */
		p->used[cp / 8] |= (unsigned char)(1u << (cp % 8));
	cj__pdf_use_text(p->used, "第页共（续）");
	for (size_t i = 0; i < n; i++) {
		const cj_report *r = reports[i];

		cj__pdf_use_text(p->used, r->title);
		cj__pdf_use_text(p->used, r->footer);
		cj__pdf_use_text(p->used, r->running);
		for (size_t k = 0; k < r->nsubtitles; k++)
			cj__pdf_use_text(p->used, r->subtitles[k]);
		for (size_t k = 0; k < r->nnotes; k++)
			cj__pdf_use_text(p->used, r->notes[k]);
		for (size_t k = 0; k < r->nsignatures; k++)
			cj__pdf_use_text(p->used, r->signatures[k]);
		for (size_t k = 0; k < r->ntables; k++) {
			const cj_table *t = r->tables[k];

			cj__pdf_use_text(p->used, t->name);
			if (t->carry) {
				cj__pdf_use_text(p->used, t->carry->to_next);
				cj__pdf_use_text(p->used, t->carry->from_prev);
			}
			if (t->chart)
				cj__pdf_use_text(p->used, t->chart->title);
			for (size_t c = 0; c < t->ncols; c++) {
				cj__pdf_use_text(p->used, t->cols[c].title);
				cj__pdf_use_text(p->used, t->cols[c].group);
			}
			for (size_t row = 0; row < t->nrows; row++)
				for (size_t c = 0; c < t->ncols; c++)
					cj__pdf_use_text(p->used,
							 cj__cell_text(t, c, &t->rows[row].cells[c],
								       buf, sizeof buf));
		}
	}
}

static int
load_font(pdf *p)
{
	if (cj__pdf_font_load(p->doc, p->used, &p->font, p->err, p->errlen)) {
		p->failed = 1; /* the message is in p->err */
		return -1;
	}
	return check(p, "loading the font");
}

int
cj_render_pdf(const cj_report *const *reports, size_t n, const char *path, char *err,
	      size_t errlen)
{
	pdf p;

	memset(&p, 0, sizeof p);
	p.err = err;
	p.errlen = errlen;
	if (errlen)
		err[0] = '\0';
	if (!n)
		return fail(&p, "pdf: no report to write");
	p.widths = malloc(0x10000 * sizeof *p.widths);
	if (!p.widths)
		return fail(&p, "pdf: out of memory");
	memset(p.widths, 0xFF, 0x10000 * sizeof *p.widths); /* -1: not looked up */
	p.used = calloc(CJ__PDF_USED_BYTES, 1);
	p.doc = p.used ? HPDF_New(on_error, &p) : NULL;
	if (!p.doc) {
		free(p.widths);
		free(p.used);
		return fail(&p, "pdf: out of memory");
	}
	HPDF_SetCompressionMode(p.doc, HPDF_COMP_ALL);
	collect_characters(&p, reports, n);
	if (!load_font(&p)) {
		HPDF_SetInfoAttr(p.doc, HPDF_INFO_TITLE, reports[0]->title);
		HPDF_SetInfoAttr(p.doc, HPDF_INFO_CREATOR, "cunji");
		/* the first report's properties (the disclosure digest stamp is in keywords) */
		if (reports[0]->subject)
			HPDF_SetInfoAttr(p.doc, HPDF_INFO_SUBJECT, reports[0]->subject);
		if (reports[0]->keywords)
			HPDF_SetInfoAttr(p.doc, HPDF_INFO_KEYWORDS, reports[0]->keywords);
		check(&p, "document properties");
		for (size_t i = 0; i < n && !p.failed; i++) {
			p.r = reports[i];
			/* count the pages, then draw them knowing the count */
			p.draw = 0;
			if (report(&p))
				break;
			p.pages = p.page_no;
			p.draw = 1;
			report(&p);
		}
		if (!p.failed && HPDF_SaveToFile(p.doc, path) != HPDF_OK)
			fail(&p, "pdf: cannot write %s (libharu error 0x%04X)", path,
			     (unsigned)p.error_no);
	}
	HPDF_Free(p.doc);
	free(p.widths);
	free(p.used);
	if (p.failed)
		remove(path);
	return p.failed ? -1 : 0;
}
