/*
 * pdf_font.c - the font every cunji PDF embeds, cut down to the characters
 * the document draws (font_subset.c), loaded into libharu
 *
 * The writers collect every character they can draw into a bit set first;
 * drawing a character missed there fails the file (it would print blank).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <reports/report.h>
#include <ledger/i18n.h>

#include "pdf_internal.h"
#include "render_internal.h"

void
cj__pdf_use_text(unsigned char *used, const char *s)
{
	while (s && *s) {
		unsigned cp;

		s += cj__utf8_next(s, &cp);
		used[cp / 8] |= (unsigned char)(1u << (cp % 8));
	}
}

int
cj__pdf_used(const unsigned char *used, unsigned cp)
{
	return cp < 0x110000 && (used[cp / 8] & (1u << (cp % 8)));
}

int
cj__pdf_font_load(HPDF_Doc doc, const unsigned char *used, HPDF_Font *font, char *err,
		  size_t errlen)
{
	const char *env = getenv("CUNJI_PDF_FONT");
	char path[1024], tmp[1100];
	unsigned face = 0, *cps, ncps = 0;
	const char *name;
	struct stat st;
	int rc;

	*font = NULL;
	snprintf(path, sizeof path, "%s", env && *env ? env : CJ_PDF_FONT_DEFAULT);
	/* "path:face" selects a face of a collection */
	{
		char *colon = strrchr(path, ':');

		if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
			face = (unsigned)atoi(colon + 1);
			*colon = '\0';
		}
	}
	if (stat(path, &st)) {
		snprintf(err, errlen, _("pdf: font %s not found (install fonts-wqy-zenhei, or name a "
				      "TrueType font in CUNJI_PDF_FONT)"), path);
		return -1;
	}
	for (unsigned byte = 0; byte < CJ__PDF_USED_BYTES; byte++)
		ncps += (unsigned)__builtin_popcount(used[byte]);
	if (!(cps = malloc((ncps ? ncps : 1) * sizeof *cps))) {
		snprintf(err, errlen, _("pdf: out of memory"));
		return -1;
	}
	ncps = 0;
	for (unsigned byte = 0; byte < CJ__PDF_USED_BYTES; byte++)
		for (unsigned bit = 0; used[byte] >> bit; bit++)
			if (used[byte] & (1u << bit))
				cps[ncps++] = byte * 8 + bit;
	rc = cj__font_subset(path, face, cps, ncps, tmp, sizeof tmp, err, errlen);
	free(cps);
	if (rc)
		return -1; /* the message is in err */
	HPDF_UseUTFEncodings(doc);
	HPDF_SetCurrentEncoder(doc, "UTF-8");
	/* libharu keeps the file open until the document is freed */
	name = HPDF_LoadTTFontFromFile(doc, tmp, HPDF_TRUE);
	unlink(tmp);
	if (name && HPDF_GetError(doc) == HPDF_OK)
		*font = HPDF_GetFont(doc, name, "UTF-8");
	if (!*font || HPDF_GetError(doc) != HPDF_OK) {
		snprintf(err, errlen, _("pdf: cannot load the font %s (libharu error 0x%04X)"), path,
			 (unsigned)HPDF_GetError(doc));
		*font = NULL;
		return -1;
	}
	return 0;
}
