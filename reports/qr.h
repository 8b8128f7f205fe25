/*
 * qr.h - a QR code's modules, and the code as a PNG image (ledger_reports only)
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_QR_H
#define CUNJI_REPORTS_QR_H

#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#define QR_QUIET 4 /* the light border a reader needs, in modules */

typedef struct qr_code {
	int width;           /* modules per side */
	unsigned char *dark; /* width x width, row by row: 1 dark */
} qr_code;

/* Encode text (error correction level M).  0, or -1 (too long, out of memory). */
int cj__qr_make(const char *text, qr_code *out);
void cj__qr_free(qr_code *q);
/*
 * Draw the code for text on a PDF page: a square of side points whose top
 * left corner is at (x, top), dark modules filled (the quiet zone is the
 * caller's margin).  0, or -1 when it cannot be made.
 */
int cj__qr_draw(HPDF_Page page, const char *text, float x, float top, float side);
/* A greyscale PNG of the code, scale pixels a module, quiet zone included (malloc'd). */
int cj__qr_png(const qr_code *q, int scale, unsigned char **png, size_t *len);

#endif
