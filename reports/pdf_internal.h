/*
 * pdf_internal.h - what the PDF writers share (the statements' renderer,
 * render_pdf.c, and the 记账凭证, voucher_pdf.c): the font, cut down to the
 * characters a document draws
 *
 * Not installed; only the files in reports/ include it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_PDF_INTERNAL_H
#define CUNJI_REPORTS_PDF_INTERNAL_H

#include <stddef.h>

#include <hpdf.h>

/* Bytes of the bit set of code points a document draws (one bit each). */
#define CJ__PDF_USED_BYTES (0x110000 / 8)

/* Add the characters of UTF-8 text s (may be NULL) to the bit set used. */
void cj__pdf_use_text(unsigned char *used, const char *s);
/* Is code point cp in the bit set? */
int cj__pdf_used(const unsigned char *used, unsigned cp);

/*
 * Load the document's font (WenQuanYi Zen Hei, or $CUNJI_PDF_FONT
 * "path[:face]") cut down to the characters in used, with UTF-8 encoding,
 * into *font.  Returns 0, or -1 with a message in err.
 */
int cj__pdf_font_load(HPDF_Doc doc, const unsigned char *used, HPDF_Font *font, char *err,
		      size_t errlen);

#endif
