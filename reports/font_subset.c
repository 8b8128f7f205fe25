/*
 * font_subset.c - a TrueType font cut down to the characters one PDF uses
 * (HarfBuzz's subsetter), for the PDF renderer
 *
 * libharu 2.3.0 builds a PDF font's width array and CID map from every
 * glyph of the font it loads: with WenQuanYi Zen Hei's 44,960 glyphs that
 * was ~120 ms and ~0.5 MB per file, whatever the file held.  Given only
 * the glyphs of the characters a document draws it does the same in a
 * few milliseconds and a few kilobytes.  libharu 2.3.0 loads fonts from
 * files only, so the subset goes to a temporary file, which the caller
 * removes once libharu holds it open.
 *
 * The subset keeps glyf's closure (a composite glyph keeps its parts) and
 * only the tables libharu copies into the PDF; glyph ids are renumbered,
 * which is fine because libharu maps characters through the subset's own
 * cmap.  Hinting is dropped: PDF viewers hint hanzi themselves.
 *
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hb-subset.h>
#include <hb.h>
#include <ledger/i18n.h>

#include "render_internal.h"

/* The tables libharu 2.3.0 reads or embeds (hpdf_fontdef_tt.c, REQUIRED_TAGS). */
static const char *const kept_tables[] = {"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea",
					  "hmtx", "loca", "maxp", "name", "post", "prep"};

static int
kept(hb_tag_t tag)
{
	for (size_t i = 0; i < sizeof kept_tables / sizeof kept_tables[0]; i++)
		if (tag == hb_tag_from_string(kept_tables[i], 4))
			return 1;
	return 0;
}

/* Every table of face that libharu does not need goes on the drop list. */
static void
drop_other_tables(hb_face_t *face, hb_subset_input_t *in)
{
	hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
	hb_tag_t tags[64];
	unsigned start = 0, n;

	do {
		n = sizeof tags / sizeof tags[0];
		hb_face_get_table_tags(face, start, &n, tags);
		for (unsigned i = 0; i < n; i++)
			if (!kept(tags[i]))
				hb_set_add(drop, tags[i]);
		start += n;
	} while (n == sizeof tags / sizeof tags[0]);
}

/* A big-endian 16-bit value at p. */
static void
put16(unsigned char *p, size_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

/*
 * libharu looks every code point of the BMP up in the font's cmap (format
 * 4) when it builds a PDF font, scanning its segments from the first: with
 * the subsetter's one segment per scattered hanzi, that scan was a third of
 * a PDF's time.  So the subset gets a cmap of few segments, each spanning
 * gaps of up to `gap` unmapped code points (glyph 0 in its glyphIdArray);
 * the gap is halved until the subtable fits its 16-bit length.  NULL when
 * it cannot be built (the subsetter's cmap then stays).
 */
static hb_blob_t *
few_segments_cmap(hb_face_t *face, const unsigned *cps, size_t n)
{
	hb_font_t *font = hb_font_create(face);
	unsigned *cp = malloc((n + 1) * sizeof *cp), *gid = malloc((n + 1) * sizeof *gid);
	unsigned char *t = NULL;
	size_t m = 0, segs = 0, entries = 0, len = 0;
	unsigned gap = 512;

	for (size_t i = 0; cp && gid && i < n; i++) {
		hb_codepoint_t g;

		if (cps[i] < 0xFFFF && hb_font_get_nominal_glyph(font, cps[i], &g) && g) {
			cp[m] = cps[i];
			gid[m++] = g;
		}
	}
	hb_font_destroy(font);
	if (!cp || !gid || !m)
		goto done;
	for (;; gap /= 2) {
		segs = 1, entries = 0; /* the last segment, 0xFFFF, holds no entry */
		for (size_t i = 0; i < m; i++) {
			if (!i || cp[i] - cp[i - 1] > gap + 1)
				segs++;
			entries += i && cp[i] - cp[i - 1] <= gap + 1 ? cp[i] - cp[i - 1] : 1;
		}
		len = 16 + 8 * segs + 2 * entries;
		if (len <= 0xFFFF)
			break;
		if (!gap)
			goto done;
	}
	if (!(t = calloc(4 + 8 + len, 1)))
		goto done;
	{
		unsigned char *h = t, *f = t + 12; /* the cmap header, the format 4 subtable */
		size_t ends = 14, starts = ends + 2 * segs + 2, deltas = starts + 2 * segs,
		       ranges = deltas + 2 * segs, glyphs = ranges + 2 * segs, k = 0, e = 0;
		unsigned range = 1, log = 0;

		put16(h + 2, 1);      /* one subtable: */
		put16(h + 4, 3);      /* Windows, */
		put16(h + 6, 1);      /* Unicode BMP, */
		put16(h + 10, 12);    /* at offset 12 */
		put16(f, 4);
		put16(f + 2, len);
		put16(f + 6, 2 * segs);
		while (range * 2 <= segs)
			range *= 2, log++;
		put16(f + 8, 2 * range);
		put16(f + 10, log);
		put16(f + 12, 2 * segs - 2 * range);
		for (size_t i = 0; i < m; i++) {
			if (!i || cp[i] - cp[i - 1] > gap + 1) {
				/* a new segment; glyphs by idRangeOffset from its own slot */
				if (i)
					put16(f + ends + 2 * k++, cp[i - 1]);
				put16(f + starts + 2 * k, cp[i]);
				put16(f + ranges + 2 * k, 2 * (segs - k + e));
			} else {
				e += cp[i] - cp[i - 1] - 1; /* the gap's entries stay 0 */
			}
			put16(f + glyphs + 2 * e++, gid[i]);
		}
		put16(f + ends + 2 * k++, cp[m - 1]);
		put16(f + ends + 2 * k, 0xFFFF);
		put16(f + starts + 2 * k, 0xFFFF);
		put16(f + deltas + 2 * k, 1);
	}
done:
	free(cp);
	free(gid);
	return t ? hb_blob_create((const char *)t, (unsigned)(12 + len), HB_MEMORY_MODE_WRITABLE, t, free)
		 : NULL;
}

/*
 * The face as libharu 2.3.0 can save it: the cmap replaced (when one was
 * built), and a 'prep' table if it has none.  libharu writes its thirteen
 * tables in a fixed order, 'prep' last, and then seeks to each table's
 * start in its memory stream; an empty last table starts at the end of the
 * stream, and when that falls on a multiple of the stream's 4,096-byte
 * buffers the seek fails and the whole file with it (HPDF_INVALID_OBJECT,
 * about one document in 4,000; Zen Hei has no 'prep').  A 'prep' program
 * that pushes a byte and pops it changes nothing.
 */
static hb_face_t *
for_libharu(hb_face_t *face, hb_blob_t *cmap)
{
	static const char prep[] = {(char)0xB0, 0x00, 0x21}; /* PUSHB[0] 0, POP */
	hb_face_t *b = hb_face_builder_create();
	hb_tag_t tags[64];
	unsigned start = 0, n;
	int has_prep = 0;

	do {
		n = sizeof tags / sizeof tags[0];
		hb_face_get_table_tags(face, start, &n, tags);
		for (unsigned i = 0; i < n; i++) {
			hb_blob_t *t = tags[i] == HB_TAG('c', 'm', 'a', 'p') && cmap
					       ? hb_blob_reference(cmap)
					       : hb_face_reference_table(face, tags[i]);

			has_prep |= tags[i] == HB_TAG('p', 'r', 'e', 'p') && hb_blob_get_length(t);
			hb_face_builder_add_table(b, tags[i], t);
			hb_blob_destroy(t);
		}
		start += n;
	} while (n == sizeof tags / sizeof tags[0]);
	if (!has_prep) {
		hb_blob_t *t = hb_blob_create(prep, sizeof prep, HB_MEMORY_MODE_READONLY, NULL, NULL);

		hb_face_builder_add_table(b, HB_TAG('p', 'r', 'e', 'p'), t);
		hb_blob_destroy(t);
	}
	return b;
}

int
cj__font_subset(const char *path, unsigned face_index, const unsigned *cps, size_t n, char *tmp,
		size_t tmpsize, char *err, size_t errlen)
{
	hb_blob_t *blob = hb_blob_create_from_file_or_fail(path), *out = NULL, *cmap = NULL;
	hb_face_t *face = NULL, *sub = NULL;
	hb_subset_input_t *in = NULL;
	const char *data, *dir = getenv("TMPDIR");
	unsigned len = 0;
	int fd = -1, rc = -1;

	tmp[0] = '\0';
	if (!blob) {
		snprintf(err, errlen, _("pdf: cannot read the font %s"), path);
		goto done;
	}
	face = hb_face_create(blob, face_index);
	if (!hb_face_get_glyph_count(face)) {
		snprintf(err, errlen, _("pdf: %s has no font face %u"), path, face_index);
		goto done;
	}
	if (!(in = hb_subset_input_create_or_fail())) {
		snprintf(err, errlen, _("pdf: out of memory"));
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		hb_set_add(hb_subset_input_unicode_set(in), cps[i]);
	drop_other_tables(face, in);
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
	if (!(sub = hb_subset_or_fail(face, in))) {
		snprintf(err, errlen, _("pdf: cannot subset the font %s"), path);
		goto done;
	}
	/* read back as a font file (the subset is a face builder), then made for libharu */
	out = hb_face_reference_blob(sub);
	hb_face_destroy(sub);
	sub = hb_face_create(out, 0);
	cmap = few_segments_cmap(sub, cps, n);
	hb_blob_destroy(out);
	{
		hb_face_t *b = for_libharu(sub, cmap);

		out = hb_face_reference_blob(b);
		hb_face_destroy(b);
	}
	data = hb_blob_get_data(out, &len);
	if (!len) {
		snprintf(err, errlen, _("pdf: cannot subset the font %s"), path);
		goto done;
	}
	if ((size_t)snprintf(tmp, tmpsize, "%s/cunji-font-XXXXXX", dir && *dir ? dir : "/tmp") >=
	    tmpsize) {
		snprintf(err, errlen, _("pdf: TMPDIR too long"));
		tmp[0] = '\0';
		goto done;
	}
	if ((fd = mkstemp(tmp)) < 0) {
		snprintf(err, errlen, _("pdf: cannot create a temporary file %s: %s"), tmp, strerror(errno));
		tmp[0] = '\0';
		goto done;
	}
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			snprintf(err, errlen, _("pdf: cannot write %s: %s"), tmp, strerror(errno));
			goto done;
		}
		off += (size_t)w;
	}
	if (close(fd)) {
		fd = -1;
		snprintf(err, errlen, _("pdf: cannot write %s: %s"), tmp, strerror(errno));
		goto done;
	}
	fd = -1;
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	if (rc && tmp[0]) {
		unlink(tmp);
		tmp[0] = '\0';
	}
	hb_blob_destroy(out);
	hb_blob_destroy(cmap);
	hb_face_destroy(sub);
	hb_subset_input_destroy(in);
	hb_face_destroy(face);
	hb_blob_destroy(blob);
	return rc;
}
