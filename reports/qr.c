/*
 * qr.c - QR codes for the anchors printed on sheets and vouchers: the
 * modules (libqrencode), drawn on a PDF page as squares (libharu) and given
 * to the XLSX renderer as a PNG image (written here with zlib: a greyscale
 * image needs no more than that)
 *
 * SPDX-License-Identifier: MIT
 */
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "qr.h"

int
cj__qr_make(const char *text, qr_code *out)
{
	/* level M: a printed sheet on a board gets dirty; 8-bit mode for any text */
	QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);

	memset(out, 0, sizeof *out);
	if (!q)
		return -1;
	if (!(out->dark = malloc((size_t)q->width * (size_t)q->width))) {
		QRcode_free(q);
		return -1;
	}
	out->width = q->width;
	for (int i = 0; i < q->width * q->width; i++)
		out->dark[i] = q->data[i] & 1;
	QRcode_free(q);
	return 0;
}

void
cj__qr_free(qr_code *q)
{
	free(q->dark);
	q->dark = NULL;
	q->width = 0;
}

int
cj__qr_draw(HPDF_Page page, const char *text, float x, float top, float side)
{
	qr_code q;
	float cell;

	if (cj__qr_make(text, &q))
		return -1;
	cell = side / (float)q.width;
	HPDF_Page_SetGrayFill(page, 0);
	for (int r = 0; r < q.width; r++)
		for (int c = 0; c < q.width; c++)
			if (q.dark[r * q.width + c])
				/* a hair wider, so that neighbours join without seams */
				HPDF_Page_Rectangle(page, x + (float)c * cell, top - (float)(r + 1) * cell,
						    cell + 0.05f, cell + 0.05f);
	HPDF_Page_Fill(page);
	cj__qr_free(&q);
	return 0;
}

static void
be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* One PNG chunk at p: length, type, data, CRC of type and data. */
static unsigned char *
chunk(unsigned char *p, const char *type, const unsigned char *data, size_t len)
{
	uLong crc;

	be32(p, (uint32_t)len);
	memcpy(p + 4, type, 4);
	if (len)
		memcpy(p + 8, data, len);
	crc = crc32(0L, p + 4, (uInt)(len + 4));
	be32(p + 8 + len, (uint32_t)crc);
	return p + 12 + len;
}

int
cj__qr_png(const qr_code *q, int scale, unsigned char **png, size_t *len)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	int side = (q->width + 2 * QR_QUIET) * scale;
	size_t rowlen = (size_t)side + 1, rawlen = rowlen * (size_t)side;
	unsigned char *raw = malloc(rawlen), *packed = NULL, *p, ihdr[13];
	uLongf plen = compressBound((uLong)rawlen);

	*png = NULL;
	*len = 0;
	if (!raw)
		return -1;
	for (int y = 0; y < side; y++) {
		unsigned char *row = raw + (size_t)y * rowlen;
		int my = y / scale - QR_QUIET;

		row[0] = 0; /* filter: none */
		for (int x = 0; x < side; x++) {
			int mx = x / scale - QR_QUIET;
			int dark = mx >= 0 && my >= 0 && mx < q->width && my < q->width &&
				   q->dark[my * q->width + mx];

			row[1 + x] = dark ? 0 : 255;
		}
	}
	if (!(packed = malloc(plen)) || compress2(packed, &plen, raw, (uLong)rawlen, 9) != Z_OK ||
	    !(*png = malloc(sizeof sig + 25 + 12 + plen + 12))) {
		free(raw);
		free(packed);
		return -1;
	}
	be32(ihdr, (uint32_t)side);
	be32(ihdr + 4, (uint32_t)side);
	ihdr[8] = 8;  /* bit depth */
	ihdr[9] = 0;  /* greyscale */
	ihdr[10] = ihdr[11] = ihdr[12] = 0;
	memcpy(*png, sig, sizeof sig);
	p = chunk(*png + sizeof sig, "IHDR", ihdr, sizeof ihdr);
	p = chunk(p, "IDAT", packed, plen);
	p = chunk(p, "IEND", NULL, 0);
	*len = (size_t)(p - *png);
	free(raw);
	free(packed);
	return 0;
}
