/*
 * voucher_pdf.c - 记账凭证 forms on A4 (libharu), two or three to a page
 *
 * Each form is laid out as the vouchers of 用友 and 金蝶 print on plain
 * paper: the title 记 账 凭 证 with a double rule, 单位 / 日期 / 记字第N号
 * under it, the table 摘要 | 会计科目 (总账科目, 明细科目) | 借方金额 | 贷方金额
 * with the ruled blank rows struck through diagonally (空行划线注销, 会计
 * 基础工作规范 第五十一条), 合计 with the amount in 大写, 附单据 N 张 down the
 * right edge, and the signature line 会计主管 记账 审核 出纳 制单.  The forms
 * are cut apart along dashed lines.  A red reversal's amounts are red; a
 * draft has 草稿 · 未记账 across it.
 *
 * The left margin is wider: vouchers are bound on the left.  The font is
 * the one every cunji PDF embeds, cut down to the document's characters
 * (pdf_font.c).  Text that does not fit its cell shrinks and wraps; it is
 * never cut.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ledger/money.h>
#include <reports/voucher_print.h>
#include <ledger/i18n.h>

#include "pdf_internal.h"
#include "qr.h"
#include "render_internal.h"

#define PAGE_W 595.276f
#define PAGE_H 841.89f
#define LEFT 54.0f   /* binding margin */
#define RIGHT 36.0f  /* beyond the 附单据 column */
#define ATTACH_W 18.0f
#define PAD 3.0f
#define BODY 9.0f
#define SMALLEST 4.5f
#define TITLE 18.0f
#define HEAD_H 14.0f /* each of the two header rows */
#define ROW_MAX 26.0f
#define QR_SIDE 36.0f /* the anchor's QR code, top right of the form (to 14pt from the edge) */

/* The table's columns. */
enum { C_SUMMARY, C_ACCOUNT, C_DETAIL, C_DEBIT, C_CREDIT, C_N };
static const float col_share[C_N] = {0.28f, 0.19f, 0.23f, 0.15f, 0.15f};

/* Every fixed string the forms draw (the model holds the rest). */
static const char fixed_text[] = "记账凭证第页附单据张摘要会计科目总账明细借方金额贷方"
				 "合计过次承前（）：·草稿未记账红字冲销会计主管审核出纳制单"
				 "链头扫码核验监督举报电话";

typedef struct vpdf {
	HPDF_Doc doc;
	HPDF_Font font;
	HPDF_Page page;
	unsigned char *used;
	char *err;
	size_t errlen;
	int failed;
	float x[C_N + 1]; /* column edges */
} vpdf;

/* The first failure is the one reported. */
static int
fail(vpdf *p, const char *msg)
{
	if (!p->failed)
		snprintf(p->err, p->errlen, _("pdf: %s"), msg);
	p->failed = 1;
	return -1;
}

static void
on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
	char msg[64];

	snprintf(msg, sizeof msg, _("libharu error 0x%04X (detail %u)"), (unsigned)error_no,
		 (unsigned)detail_no);
	fail(user_data, msg);
}

/* ---- text ---- */

static float
width_n(vpdf *p, const char *s, size_t len, float size)
{
	long units = 0;

	for (size_t i = 0; i < len && s[i];) {
		unsigned cp;
		HPDF_INT w;

		i += (size_t)cj__utf8_next(s + i, &cp);
		w = HPDF_Font_GetUnicodeWidth(p->font, (HPDF_UNICODE)(cp < 0x10000 ? cp : 0xFFFD));
		units += w > 0 ? w : 0;
	}
	return (float)units * size / 1000.0f;
}

static float
width(vpdf *p, const char *s, float size)
{
	return width_n(p, s, strlen(s), size);
}

static void
text(vpdf *p, float x, float baseline, float size, const char *s, size_t len)
{
	char buf[1024];

	if (p->failed || !len)
		return;
	if (len >= sizeof buf)
		len = sizeof buf - 1; /* the model's strings are shorter */
	memcpy(buf, s, len);
	buf[len] = '\0';
	for (const char *c = buf; *c;) {
		unsigned cp;

		c += cj__utf8_next(c, &cp);
		if (!cj__pdf_used(p->used, cp)) { /* it would print blank */
			char msg[64];

			snprintf(msg, sizeof msg, _("internal: U+%04X is not in the font subset"), cp);
			fail(p, msg);
			return;
		}
	}
	HPDF_Page_SetFontAndSize(p->page, p->font, size);
	HPDF_Page_BeginText(p->page);
	HPDF_Page_TextOut(p->page, x, baseline, buf);
	HPDF_Page_EndText(p->page);
}

static void
text_centre(vpdf *p, float x, float w, float baseline, float size, const char *s)
{
	text(p, x + (w - width(p, s, size)) / 2, baseline, size, s, strlen(s));
}

static void
colour(vpdf *p, int red)
{
	if (red)
		HPDF_Page_SetRGBFill(p->page, 0.82f, 0.0f, 0.0f);
	else
		HPDF_Page_SetRGBFill(p->page, 0.0f, 0.0f, 0.0f);
}

/* Bytes of s on one line of w points at size: whole units where they fit
 * (a number or date is not split), a unit wider than the line by
 * characters.  At least one character. */
static size_t
fit(vpdf *p, const char *s, float w, float size)
{
	size_t n = 0;

	while (s[n]) {
		size_t len = cj__unit_len(s + n);

		if (width_n(p, s, n + len, size) > w + 0.01f) {
			if (n)
				return n;
			/* a unit alone too wide: as many characters as fit */
			for (size_t k = 0; k < len;) {
				unsigned cp;
				size_t step = (size_t)cj__utf8_next(s + k, &cp);

				if (k && width_n(p, s, k + step, size) > w + 0.01f)
					return k;
				k += step;
			}
			return len;
		}
		n += len;
	}
	return n;
}

static int
count_lines(vpdf *p, const char *s, float w, float size)
{
	int n = 0;

	while (*s) {
		s += fit(p, s, w, size);
		while (*s == ' ')
			s++;
		n++;
	}
	return n;
}

/*
 * Text in a cell w x h whose top is top: at BODY size on as few lines as
 * fit, else smaller, never cut.  align: 0 left, 1 centre.
 */
static void
cell(vpdf *p, const char *s, float x, float w, float top, float h, int align)
{
	float size = BODY, inner = w - 2 * PAD;
	int lines = 1;

	if (!*s)
		return;
	for (; size > SMALLEST; size -= 0.5f) {
		lines = count_lines(p, s, inner, size);
		if (lines * size * 1.15f <= h - 2.0f)
			break;
	}
	{
		float block = (float)lines * size * 1.15f;
		float base = top - (h - block) / 2 - size * 0.95f;

		while (*s) {
			size_t n = fit(p, s, inner, size);
			float lw = width_n(p, s, n, size);

			text(p, align ? x + (w - lw) / 2 : x + PAD, base, size, s, n);
			s += n;
			while (*s == ' ')
				s++;
			base -= size * 1.15f;
		}
	}
}

/* An amount right-aligned in its cell, smaller when it must. */
static void
amount(vpdf *p, int64_t fen, int col, float top, float h, int red)
{
	char buf[CJ_MONEY_FMT_MAX];
	float size = BODY, w = p->x[col + 1] - p->x[col] - 2 * PAD;

	cj_money_format(buf, sizeof buf, cj_money_from_fen(fen), CJ_MONEY_FMT_GROUPED);
	while (size > SMALLEST && width(p, buf, size) > w)
		size -= 0.5f;
	colour(p, red);
	text(p, p->x[col + 1] - PAD - width(p, buf, size), top - (h + size * 0.7f) / 2, size, buf,
	     strlen(buf));
	colour(p, 0);
}

/* ---- rules ---- */

static void
rule(vpdf *p, float x0, float y0, float x1, float y1, float lw)
{
	HPDF_Page_SetLineWidth(p->page, lw);
	HPDF_Page_MoveTo(p->page, x0, y0);
	HPDF_Page_LineTo(p->page, x1, y1);
	HPDF_Page_Stroke(p->page);
}

/* 草稿 · 未记账 across the form, pale, under everything else. */
static void
watermark(vpdf *p, float cx, float cy)
{
	static const char mark[] = "草稿 · 未记账";
	float size = 40.0f, a = 0.3f, w = width(p, mark, size);
	float c = cosf(a), s = sinf(a);

	HPDF_Page_SetRGBFill(p->page, 0.85f, 0.85f, 0.85f);
	HPDF_Page_SetFontAndSize(p->page, p->font, size);
	HPDF_Page_BeginText(p->page);
	HPDF_Page_SetTextMatrix(p->page, c, s, -s, c, cx - c * w / 2 + s * size / 3,
				cy - s * w / 2 - c * size / 3);
	HPDF_Page_ShowText(p->page, mark);
	HPDF_Page_EndText(p->page);
	colour(p, 0);
}

/* ---- one form, in the slot whose top is top ---- */

static void
form(vpdf *p, const cj_vprint *vp, const cj_vprint_form *f, float top, float slot_h)
{
	float right = PAGE_W - RIGHT - ATTACH_W, tw = right - LEFT;
	float row_h, y, base, table_top, table_bottom, body_top;
	int rows = vp->rows;

	p->x[0] = LEFT;
	for (int c = 0; c < C_N; c++)
		p->x[c + 1] = p->x[c] + tw * col_share[c];
	p->x[C_N] = right;
	/* rows share what the title, header and signatures leave, up to ROW_MAX */
	row_h = (slot_h - 26.0f - TITLE - 22.0f - 2 * HEAD_H - 30.0f) / (float)(rows + 1);
	if (row_h > ROW_MAX)
		row_h = ROW_MAX;
	/* the form centred in its slot */
	y = top - (slot_h - (TITLE + 22.0f + 2 * HEAD_H + (float)(rows + 1) * row_h + 30.0f)) / 2;

	if (f->draft)
		watermark(p, (LEFT + right) / 2, y - slot_h / 2 + 6.0f);

	/* title, double rule, the mark and the page within the voucher */
	base = y - TITLE;
	{
		/* spaced out by the character spacing, so that it reads 记账凭证 */
		static const char title[] = "记账凭证";
		float space = TITLE * 0.45f, w = width(p, title, TITLE) + 3 * space;
		float x = LEFT + (tw - w) / 2;

		HPDF_Page_SetCharSpace(p->page, space);
		text(p, x, base, TITLE, title, strlen(title));
		HPDF_Page_SetCharSpace(p->page, 0);
		rule(p, x - 8, base - 4.0f, x + w + 8, base - 4.0f, 0.6f);
		rule(p, x - 8, base - 6.0f, x + w + 8, base - 6.0f, 0.6f);
	}
	if (f->mark[0]) {
		float size = 10.0f, w = width(p, f->mark, size) + 8.0f;

		HPDF_Page_SetRGBStroke(p->page, f->red ? 0.82f : 0.0f, 0.0f, 0.0f);
		HPDF_Page_SetLineWidth(p->page, 0.8f);
		HPDF_Page_Rectangle(p->page, LEFT, base - 3.0f, w, size + 6.0f);
		HPDF_Page_Stroke(p->page);
		HPDF_Page_SetRGBStroke(p->page, 0.0f, 0.0f, 0.0f);
		colour(p, f->red);
		text(p, LEFT + 4.0f, base + 1.0f, size, f->mark, strlen(f->mark));
		colour(p, 0);
	}
	/* right of the header lines, above the 附单据 column, clear of the printer's margin */
	if (f->qr[0] && cj__qr_draw(p->page, f->qr, right + 4.0f, y + 4.0f, QR_SIDE)) /* 4pt: quiet zone */
		fail(p, _("the QR code of a voucher cannot be made"));
	if (f->pages > 1) {
		char pg[48];

		snprintf(pg, sizeof pg, "第 %d/%d 页", f->page, f->pages);
		text(p, right - width(p, pg, BODY), base + 2.0f, BODY, pg, strlen(pg));
	}

	/* 单位, 日期, 记字第N号 */
	base -= 20.0f;
	text(p, LEFT, base, BODY, f->unit, strlen(f->unit));
	text_centre(p, LEFT, tw, base, BODY, f->date);
	text(p, right - width(p, f->number, 10.0f), base, 10.0f, f->number, strlen(f->number));

	/* header */
	table_top = base - 7.0f;
	body_top = table_top - 2 * HEAD_H;
	cell(p, "摘要", p->x[C_SUMMARY], p->x[C_ACCOUNT] - p->x[C_SUMMARY], table_top, 2 * HEAD_H, 1);
	cell(p, "会计科目", p->x[C_ACCOUNT], p->x[C_DEBIT] - p->x[C_ACCOUNT], table_top, HEAD_H, 1);
	cell(p, "总账科目", p->x[C_ACCOUNT], p->x[C_DETAIL] - p->x[C_ACCOUNT], table_top - HEAD_H,
	     HEAD_H, 1);
	cell(p, "明细科目", p->x[C_DETAIL], p->x[C_DEBIT] - p->x[C_DETAIL], table_top - HEAD_H,
	     HEAD_H, 1);
	cell(p, "借方金额", p->x[C_DEBIT], p->x[C_CREDIT] - p->x[C_DEBIT], table_top, 2 * HEAD_H, 1);
	cell(p, "贷方金额", p->x[C_CREDIT], right - p->x[C_CREDIT], table_top, 2 * HEAD_H, 1);

	/* the rows */
	for (int r = 0; r < rows; r++) {
		float rt = body_top - (float)r * row_h;

		if ((size_t)r >= f->nrows)
			continue;
		{
			const cj_vprint_row *row = &f->rows[r];

			cell(p, row->summary, p->x[C_SUMMARY], p->x[C_ACCOUNT] - p->x[C_SUMMARY], rt,
			     row_h, 0);
			cell(p, row->account, p->x[C_ACCOUNT], p->x[C_DETAIL] - p->x[C_ACCOUNT], rt,
			     row_h, 0);
			cell(p, row->detail, p->x[C_DETAIL], p->x[C_DEBIT] - p->x[C_DETAIL], rt, row_h,
			     0);
			if (row->has_debit)
				amount(p, row->debit, C_DEBIT, rt, row_h, f->red && row->debit < 0);
			if (row->has_credit)
				amount(p, row->credit, C_CREDIT, rt, row_h, f->red && row->credit < 0);
		}
	}
	/* 合计 (大写) or 过次页 */
	{
		float rt = body_top - (float)rows * row_h;

		colour(p, f->red && f->last);
		cell(p, f->last ? f->total_words : f->total_label, p->x[C_SUMMARY],
		     p->x[C_DEBIT] - p->x[C_SUMMARY], rt, row_h, 0);
		colour(p, 0);
		amount(p, f->total_debit, C_DEBIT, rt, row_h, f->red && f->total_debit < 0);
		amount(p, f->total_credit, C_CREDIT, rt, row_h, f->red && f->total_credit < 0);
	}
	table_bottom = body_top - (float)(rows + 1) * row_h;

	/* the grid: heavier outside and above 合计 */
	HPDF_Page_SetLineWidth(p->page, 1.0f);
	HPDF_Page_Rectangle(p->page, LEFT, table_bottom, tw, table_top - table_bottom);
	HPDF_Page_Stroke(p->page);
	rule(p, p->x[C_ACCOUNT], table_top - HEAD_H, p->x[C_DEBIT], table_top - HEAD_H, 0.5f);
	rule(p, LEFT, body_top, right, body_top, 0.5f);
	for (int r = 1; r < rows; r++)
		rule(p, LEFT, body_top - (float)r * row_h, right, body_top - (float)r * row_h, 0.5f);
	rule(p, LEFT, body_top - (float)rows * row_h, right, body_top - (float)rows * row_h, 1.0f);
	/* 合计's words span 摘要 and 会计科目 */
	for (int c = C_ACCOUNT; c < C_N; c++)
		rule(p, p->x[c], c == C_DETAIL ? table_top - HEAD_H : table_top, p->x[c],
		     c < C_DEBIT ? table_bottom + row_h : table_bottom, 0.5f);
	/* the blank rows struck through across the amounts */
	if (f->nrows < (size_t)rows)
		rule(p, p->x[C_DEBIT], body_top - (float)f->nrows * row_h, right,
		     body_top - (float)rows * row_h, 0.5f);

	/* 附单据 N 张 down the right edge */
	{
		const char *down[] = {"附", "单", "据", f->attachments, "张"};
		float cx = right + 1.0f, lh = 13.0f;
		float b = (table_top + table_bottom) / 2 + 2 * lh - BODY * 0.35f;

		for (int i = 0; i < 5; i++, b -= lh)
			text_centre(p, cx, ATTACH_W, b, BODY, down[i]);
	}

	/* signatures */
	base = table_bottom - 16.0f;
	for (int s = 0; s < CJ_SIGN_N; s++) {
		char label[160];
		float w = tw / CJ_SIGN_N, size = BODY;

		snprintf(label, sizeof label, "%s：%s", cj_vprint_sign_label(s), f->sign[s]);
		while (size > SMALLEST && width(p, label, size) > w - 4.0f)
			size -= 0.5f;
		text(p, LEFT + (float)s * w, base, size, label, strlen(label));
	}
	if (f->chain[0])
		text(p, LEFT, base - 12.0f, BODY - 2.0f, f->chain, strlen(f->chain));
}

/* ---- the document ---- */

static void
collect(vpdf *p, const cj_vprint *vp)
{
	for (unsigned cp = 0x20; cp < 0x7F; cp++)
		p->used[cp / 8] |= (unsigned char)(1u << (cp % 8));
	cj__pdf_use_text(p->used, fixed_text);
	for (size_t i = 0; i < vp->nforms; i++) {
		const cj_vprint_form *f = &vp->forms[i];

		cj__pdf_use_text(p->used, f->unit);
		cj__pdf_use_text(p->used, f->date);
		cj__pdf_use_text(p->used, f->number);
		cj__pdf_use_text(p->used, f->mark);
		cj__pdf_use_text(p->used, f->total_label);
		cj__pdf_use_text(p->used, f->total_words);
		cj__pdf_use_text(p->used, f->chain);
		for (int s = 0; s < CJ_SIGN_N; s++)
			cj__pdf_use_text(p->used, f->sign[s]);
		for (size_t r = 0; r < f->nrows; r++) {
			cj__pdf_use_text(p->used, f->rows[r].summary);
			cj__pdf_use_text(p->used, f->rows[r].account);
			cj__pdf_use_text(p->used, f->rows[r].detail);
		}
	}
}

int
cj_vprint_pdf(const cj_vprint *vp, const char *path, int *pages, char *err, size_t errlen)
{
	vpdf p;
	float slot_h = PAGE_H / (float)vp->per_page;
	int npages = 0;

	memset(&p, 0, sizeof p);
	p.err = err;
	p.errlen = errlen;
	if (errlen)
		err[0] = '\0';
	if (!vp->nforms)
		return fail(&p, "no voucher to print");
	if (!(p.used = calloc(CJ__PDF_USED_BYTES, 1)) || !(p.doc = HPDF_New(on_error, &p))) {
		free(p.used);
		return fail(&p, "out of memory");
	}
	HPDF_SetCompressionMode(p.doc, HPDF_COMP_ALL);
	collect(&p, vp);
	if (cj__pdf_font_load(p.doc, p.used, &p.font, err, errlen))
		p.failed = 1;
	if (!p.failed) {
		HPDF_SetInfoAttr(p.doc, HPDF_INFO_TITLE, "记账凭证");
		HPDF_SetInfoAttr(p.doc, HPDF_INFO_CREATOR, "cunji");
		/* the anchor, for `cunji audit anchor verify --sheet` (the QR codes carry it too) */
		if (vp->forms[0].qr[0])
			HPDF_SetInfoAttr(p.doc, HPDF_INFO_KEYWORDS, vp->forms[0].qr);
	}
	for (size_t i = 0; i < vp->nforms && !p.failed; i++) {
		int slot = (int)(i % (size_t)vp->per_page);
		float top = PAGE_H - (float)slot * slot_h;

		if (!slot) {
			p.page = HPDF_AddPage(p.doc);
			if (p.failed)
				break;
			HPDF_Page_SetSize(p.page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
			npages++;
		}
		form(&p, vp, &vp->forms[i], top, slot_h);
		if (slot < vp->per_page - 1) { /* the cutting line under the form */
			HPDF_Page_SetGrayStroke(p.page, 0.55f);
			HPDF_Page_SetDash(p.page, (const HPDF_UINT16[]){4, 3}, 2, 0);
			rule(&p, 12.0f, top - slot_h, PAGE_W - 12.0f, top - slot_h, 0.5f);
			HPDF_Page_SetDash(p.page, NULL, 0, 0);
			HPDF_Page_SetGrayStroke(p.page, 0.0f);
		}
	}
	if (!p.failed && HPDF_SaveToFile(p.doc, path) != HPDF_OK) /* the file, named */
		snprintf(err, errlen, _("pdf: cannot write %s (libharu error 0x%04X)"), path,
			 (unsigned)HPDF_GetError(p.doc));
	HPDF_Free(p.doc);
	free(p.used);
	if (p.failed) {
		remove(path);
		return -1;
	}
	if (pages)
		*pages = npages;
	return 0;
}
