/*
 * test_font.c - every character the report templates use has a glyph that
 * libharu 2.3.0 can embed in the chosen font
 *
 * libharu embeds simple TrueType glyphs but not the components of composite
 * ones, so a composite glyph prints blank or broken (WenQuanYi Zen Hei's
 * ㈠..㈩ print without their parentheses; MicroHei's hanzi print blank).
 * This test reads the font's own tables (cmap, loca, glyf) and fails for a
 * character that is missing or composite, naming the file and line that
 * uses it.  It scans every source and layout file of the reports and the
 * statement and disclosure commands, and the chart of accounts.  It also
 * checks that the widths the PDF renderer measures with agree with
 * HPDF_Page_TextWidth, and that the font subset the renderer embeds maps
 * every character to its own glyph.
 *
 * The font is CJ_PDF_FONT_DEFAULT face 0, or $CUNJI_PDF_FONT as the
 * renderer reads it, so a font change is tested before it is shipped.
 *
 * SPDX-License-Identifier: MIT
 */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <hpdf.h>

#include <reports/report.h>

#include "../../reports/render_internal.h"

/* ---- a minimal TrueType reader: cmap (formats 4 and 12), loca, glyf ---- */

typedef struct ttf {
	unsigned char *d;
	size_t n;
	size_t cmap4, cmap12, loca, glyf;
	int long_loca;
	unsigned nglyphs;
} ttf;

static unsigned
u16(const ttf *f, size_t o)
{
	return o + 2 <= f->n ? (unsigned)(f->d[o] << 8 | f->d[o + 1]) : 0;
}

static uint32_t
u32(const ttf *f, size_t o)
{
	return o + 4 <= f->n ? (uint32_t)f->d[o] << 24 | (uint32_t)f->d[o + 1] << 16 |
				       (uint32_t)f->d[o + 2] << 8 | f->d[o + 3]
			     : 0;
}

static int
ttf_open(ttf *f, const char *path, unsigned face)
{
	FILE *fp = fopen(path, "rb");
	size_t base = 0, head = 0, maxp = 0, cmap = 0;
	long size;

	memset(f, 0, sizeof *f);
	if (!fp)
		return -1;
	if (fseek(fp, 0, SEEK_END) || (size = ftell(fp)) <= 0 || fseek(fp, 0, SEEK_SET)) {
		fclose(fp);
		return -1;
	}
	f->n = (size_t)size;
	f->d = malloc(f->n);
	if (!f->d || fread(f->d, 1, f->n, fp) != f->n) {
		fclose(fp);
		return -1;
	}
	fclose(fp);
	if (!memcmp(f->d, "ttcf", 4)) {
		if (face >= u32(f, 8))
			return -1;
		base = u32(f, 12 + 4 * face);
	}
	for (unsigned i = 0, nt = u16(f, base + 4); i < nt; i++) {
		size_t r = base + 12 + 16 * i;
		uint32_t off = u32(f, r + 8);

		if (!memcmp(f->d + r, "head", 4))
			head = off;
		else if (!memcmp(f->d + r, "maxp", 4))
			maxp = off;
		else if (!memcmp(f->d + r, "cmap", 4))
			cmap = off;
		else if (!memcmp(f->d + r, "loca", 4))
			f->loca = off;
		else if (!memcmp(f->d + r, "glyf", 4))
			f->glyf = off;
	}
	if (!head || !maxp || !cmap || !f->loca || !f->glyf)
		return -1; /* CFF outlines (Noto CJK): libharu refuses them anyway */
	f->long_loca = u16(f, head + 50) != 0;
	f->nglyphs = u16(f, maxp + 4);
	for (unsigned i = 0, n = u16(f, cmap + 2); i < n; i++) {
		unsigned pid = u16(f, cmap + 4 + 8 * i), eid = u16(f, cmap + 6 + 8 * i);
		size_t sub = cmap + u32(f, cmap + 8 + 8 * i);

		if (pid == 3 && eid == 1 && u16(f, sub) == 4)
			f->cmap4 = sub;
		if (pid == 3 && eid == 10 && u16(f, sub) == 12)
			f->cmap12 = sub;
	}
	return f->cmap4 || f->cmap12 ? 0 : -1;
}

static unsigned
ttf_gid(const ttf *f, unsigned cp)
{
	if (f->cmap12) {
		for (uint32_t i = 0, n = u32(f, f->cmap12 + 12); i < n; i++) {
			size_t g = f->cmap12 + 16 + 12 * (size_t)i;

			if (cp >= u32(f, g) && cp <= u32(f, g + 4))
				return u32(f, g + 8) + (cp - u32(f, g));
		}
		return 0;
	}
	if (cp > 0xFFFF)
		return 0;
	{
		size_t s = f->cmap4;
		unsigned seg = u16(f, s + 6) / 2;
		size_t ends = s + 14, starts = ends + 2 * seg + 2, deltas = starts + 2 * seg,
		       ranges = deltas + 2 * seg;

		for (unsigned i = 0; i < seg; i++) {
			unsigned end = u16(f, ends + 2 * i), start = u16(f, starts + 2 * i);
			unsigned delta = u16(f, deltas + 2 * i), ro = u16(f, ranges + 2 * i), g;

			if (cp > end)
				continue;
			if (cp < start)
				return 0;
			if (!ro)
				return (cp + delta) & 0xFFFF;
			g = u16(f, ranges + 2 * i + ro + 2 * (cp - start));
			return g ? (g + delta) & 0xFFFF : 0;
		}
	}
	return 0;
}

/* 0 printable; else why not */
static const char *
ttf_problem(const ttf *f, unsigned cp)
{
	unsigned gid = ttf_gid(f, cp);
	size_t a, b;

	if (!gid || gid >= f->nglyphs)
		return "no glyph";
	a = f->long_loca ? u32(f, f->loca + 4 * gid) : 2u * u16(f, f->loca + 2 * gid);
	b = f->long_loca ? u32(f, f->loca + 4 * gid + 4) : 2u * u16(f, f->loca + 2 * gid + 2);
	if (a == b)
		return cp == 0x3000 || cp == 0xA0 ? NULL : "an empty glyph";
	if ((int16_t)u16(f, f->glyf + a) < 0)
		return "a composite glyph (libharu does not embed its parts)";
	return NULL;
}

/* ---- the font as the renderer chooses it ---- */

static char font_path[1024];
static unsigned font_face;
static ttf font;

static int
setup(void **state)
{
	const char *env = getenv("CUNJI_PDF_FONT");
	char *colon;

	(void)state;
	snprintf(font_path, sizeof font_path, "%s", env && *env ? env : CJ_PDF_FONT_DEFAULT);
	colon = strrchr(font_path, ':');
	if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
		font_face = (unsigned)atoi(colon + 1);
		*colon = '\0';
	}
	if (ttf_open(&font, font_path, font_face)) {
		print_error("cannot read the TrueType tables of %s face %u\n", font_path, font_face);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(font.d);
	return 0;
}

static unsigned
utf8_next(const unsigned char *s, int *len)
{
	if (s[0] < 0x80)
		return *len = 1, s[0];
	if ((s[0] & 0xE0) == 0xC0 && s[1])
		return *len = 2, ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
	if ((s[0] & 0xF0) == 0xE0 && s[1] && s[2])
		return *len = 3, ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
	if ((s[0] & 0xF8) == 0xF0 && s[1] && s[2] && s[3])
		return *len = 4, ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) |
				 ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
	return *len = 1, 0xFFFD;
}

static void
test_known_bad_characters_are_caught(void **state)
{
	(void)state;
	/* the check itself works: these print wrong with libharu and Zen Hei */
	if (strcmp(font_path, CJ_PDF_FONT_DEFAULT) || font_face)
		skip();
	assert_non_null(ttf_problem(&font, 0x3220)); /* ㈠ */
	assert_non_null(ttf_problem(&font, 0x3229)); /* ㈩ */
	assert_null(ttf_problem(&font, 0x58F9));     /* 壹 */
	assert_null(ttf_problem(&font, 0xFF08));     /* （ */
}

/* Every non-ASCII character of the templates, with where it is used first. */
static void
test_every_template_character(void **state)
{
	static const char *const patterns[] = {
		"reports/*.c", "reports/*.h", "reports/include/reports/*.h", "reports/layouts/*",
		"cli/cmd_statement.c", "cli/cmd_disclose.c", "schema/0002_chart_2023.sql",
	};
	static unsigned char seen[0x110000 / 8];
	int bad = 0, files = 0;
	long chars = 0;

	(void)state;
	for (size_t p = 0; p < sizeof patterns / sizeof patterns[0]; p++) {
		char pattern[2048];
		glob_t g;

		snprintf(pattern, sizeof pattern, "%s/%s", CUNJI_SOURCE_DIR, patterns[p]);
		if (glob(pattern, 0, NULL, &g))
			continue;
		for (size_t i = 0; i < g.gl_pathc; i++) {
			FILE *f = fopen(g.gl_pathv[i], "rb");
			char line[8192];
			int lineno = 0;

			assert_non_null(f);
			files++;
			while (fgets(line, sizeof line, f)) {
				lineno++;
				for (const unsigned char *s = (const unsigned char *)line; *s;) {
					int len;
					unsigned cp = utf8_next(s, &len);
					const char *why;

					s += len;
					if (cp < 0x80 || (seen[cp / 8] & (1u << (cp % 8))))
						continue;
					seen[cp / 8] |= (unsigned char)(1u << (cp % 8));
					chars++;
					if ((why = ttf_problem(&font, cp))) {
						print_error("%s:%d: U+%04X '%.*s' has %s in %s\n",
							    g.gl_pathv[i], lineno, cp, len,
							    (const char *)s - len, why, font_path);
						bad++;
					}
				}
			}
			fclose(f);
		}
		globfree(&g);
	}
	print_message("%ld distinct characters in %d files checked against %s\n", chars, files,
		      font_path);
	assert_true(files >= 5);
	assert_true(chars > 100);
	assert_int_equal(bad, 0);
}

static void
on_error(HPDF_STATUS e, HPDF_STATUS detail, void *data)
{
	(void)data;
	print_error("libharu error 0x%04X (detail %u)\n", (unsigned)e, (unsigned)detail);
}

/* The renderer measures with glyph widths; right alignment uses HPDF_Page_TextWidth. */
static void
test_widths_agree_with_libharu(void **state)
{
	static const char *const samples[] = {"资产负债表", "1,234,567.89", "合计（大写）：壹仟肆佰零玖元伍角整",
					       "第 1 页 共 2 页", "Zhoukou 周口村 -0.05"};
	HPDF_Doc doc = HPDF_New(on_error, NULL);
	const char *name;
	HPDF_Font f;
	HPDF_Page page;

	(void)state;
	assert_non_null(doc);
	HPDF_UseUTFEncodings(doc);
	HPDF_SetCurrentEncoder(doc, "UTF-8");
	name = HPDF_LoadTTFontFromFile2(doc, font_path, font_face, HPDF_TRUE);
	assert_non_null(name);
	f = HPDF_GetFont(doc, name, "UTF-8");
	page = HPDF_AddPage(doc);
	HPDF_Page_SetFontAndSize(page, f, 9);
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		long units = 0;
		int len;

		for (const unsigned char *s = (const unsigned char *)samples[i]; *s; s += len) {
			HPDF_INT w = HPDF_Font_GetUnicodeWidth(f, (HPDF_UNICODE)utf8_next(s, &len));

			assert_true(w > 0);
			units += w;
		}
		assert_float_equal(HPDF_Page_TextWidth(page, samples[i]), (float)units * 9 / 1000.0f,
				   0.01);
	}
	HPDF_Free(doc);
}

/* Length of table tag of a font file (not a collection), 0 when it has none. */
static uint32_t
table_length(const ttf *f, const char *tag)
{
	for (unsigned i = 0, nt = u16(f, 4); i < nt; i++)
		if (!memcmp(f->d + 12 + 16 * i, tag, 4))
			return u32(f, 12 + 16 * i + 12);
	return 0;
}

/* A font as libharu loads it: path (a .ttc by face) or the subset file. */
static HPDF_Font
libharu_font(HPDF_Doc doc, const char *path, int ttc)
{
	const char *name;

	HPDF_UseUTFEncodings(doc);
	HPDF_SetCurrentEncoder(doc, "UTF-8");
	name = ttc ? HPDF_LoadTTFontFromFile2(doc, path, font_face, HPDF_TRUE)
		   : HPDF_LoadTTFontFromFile(doc, path, HPDF_TRUE);
	assert_non_null(name);
	return HPDF_GetFont(doc, name, "UTF-8");
}

/* The first bytes of a glyph: contours, bounding box, contour ends. */
static int
same_glyph(const ttf *a, unsigned ga, const ttf *b, unsigned gb)
{
	size_t oa = a->long_loca ? u32(a, a->loca + 4 * ga) : 2u * u16(a, a->loca + 2 * ga);
	size_t ob = b->long_loca ? u32(b, b->loca + 4 * gb) : 2u * u16(b, b->loca + 2 * gb);
	size_t n = 10 + 2 * (size_t)(int16_t)u16(a, a->glyf + oa);

	for (size_t i = 0; i < n; i++)
		if (a->glyf + oa + i >= a->n || b->glyf + ob + i >= b->n ||
		    a->d[a->glyf + oa + i] != b->d[b->glyf + ob + i])
			return 0;
	return 1;
}

/*
 * The renderer embeds a subset of the font per document, with a cmap of its
 * own (font_subset.c): every character of the subset maps to the same glyph
 * as in the whole font (read with our reader and with libharu's), and a
 * character left out maps to none.  Two sets: every 61st character the font
 * maps (sparse), and every one of the BMP (too many for one segment's gaps).
 */
static void
test_subset_maps_every_character(void **state)
{
	static unsigned cps[0x10000];
	HPDF_Doc whole_doc = HPDF_New(on_error, NULL);
	HPDF_Font whole;

	(void)state;
	assert_non_null(whole_doc);
	whole = libharu_font(whole_doc, font_path, !!strstr(font_path, ".ttc"));
	for (int step = 61; step >= 1; step -= 60) {
		char tmp[1100], err[256];
		size_t n = 0, checked = 0;
		HPDF_Doc doc = HPDF_New(on_error, NULL);
		HPDF_Font sub_font;
		ttf sub;

		for (unsigned cp = 0x20, k = 0; cp < 0xFFFF; cp++)
			if (!ttf_problem(&font, cp) && k++ % (unsigned)step == 0)
				cps[n++] = cp;
		if (cj__font_subset(font_path, font_face, cps, n, tmp, sizeof tmp, err, sizeof err))
			fail_msg("%s", err);
		assert_int_equal(ttf_open(&sub, tmp, 0), 0);
		/* libharu 2.3.0 cannot save a font whose last table is empty (font_subset.c) */
		assert_true(table_length(&sub, "prep") > 0);
		sub_font = libharu_font(doc, tmp, 0);
		remove(tmp);
		for (size_t i = 0; i < n; i++) {
			unsigned g = ttf_gid(&sub, cps[i]);

			if (!g || !same_glyph(&font, ttf_gid(&font, cps[i]), &sub, g))
				fail_msg("U+%04X maps to glyph %u in the subset, not its own", cps[i], g);
			assert_int_equal(HPDF_Font_GetUnicodeWidth(sub_font, (HPDF_UNICODE)cps[i]),
					 HPDF_Font_GetUnicodeWidth(whole, (HPDF_UNICODE)cps[i]));
			if (i + 1 < n && cps[i + 1] > cps[i] + 1) /* the character after it is not in */
				assert_int_equal(ttf_gid(&sub, cps[i] + 1), 0);
			checked++;
		}
		print_message("every %d: %zu characters, subset of %zu bytes\n", step, checked, sub.n);
		free(sub.d);
		HPDF_Free(doc);
	}
	HPDF_Free(whole_doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_bad_characters_are_caught),
		cmocka_unit_test(test_every_template_character),
		cmocka_unit_test(test_widths_agree_with_libharu),
		cmocka_unit_test(test_subset_maps_every_character),
	};
	return cmocka_run_group_tests_name("font", tests, setup, teardown);
}
