/*
 * qr.h - a QR code's modules, and the code as a PNG image (ledger_reports only)
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_QR_H
#define CUNJI_REPORTS_QR_H

#include <stddef.h>
#include <stdint.h>

#define QR_QUIET 4 /* the light border a reader needs, in modules */

typedef struct qr_code {
	int width;           /* modules per side */
	unsigned char *dark; /* width x width, row by row: 1 dark */
} qr_code;

/* Encode text (error correction level M).  0, or -1 (too long, out of memory). */
int cj__qr_make(const char *text, qr_code *out);
void cj__qr_free(qr_code *q);
/* A greyscale PNG of the code, scale pixels a module, quiet zone included (malloc'd). */
int cj__qr_png(const qr_code *q, int scale, unsigned char **png, size_t *len);

#endif
