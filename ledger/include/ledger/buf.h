/*
 * buf.h - the growable buffer the cunji libraries share (semi-private)
 *
 * Not part of the ledger's interface for front-ends: the `cj__` functions
 * are for cunji's own libraries (ledger_core, ledger_importers), so that
 * growth by realloc is written once (buf.c).  A cj_buf holds bytes, always
 * NUL-terminated, or (cj__buf_push) an array of items of one size.  Out of
 * memory is sticky: builders append freely and check cj__buf_ok once.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_BUF_H
#define CUNJI_LEDGER_BUF_H

#include <stddef.h>

#include <ledger/error.h>

typedef struct cj_buf {
	char *data;
	size_t len, cap;
	int broken;
} cj_buf;

#define CJ_BUF_INIT {NULL, 0, 0, 0}

void cj__buf_put(cj_buf *b, const char *s, size_t n);
void cj__buf_puts(cj_buf *b, const char *s);
void cj__buf_putc(cj_buf *b, char c);
void cj__buf_printf(cj_buf *b, const char *fmt, ...) CJ_PRINTF(2, 3);
void cj__buf_clear(cj_buf *b);
void cj__buf_free(cj_buf *b);
static inline int
cj__buf_ok(const cj_buf *b)
{
	return !b->broken;
}

/*
 * An array in a cj_buf: room for one more item of `size` bytes at the end,
 * zeroed; NULL when out of memory (sticky, as above).  Every item of a
 * buffer has the same size, so items stay aligned (realloc aligns the
 * start).  The array moves as it grows: keep indexes, not pointers.
 */
void *cj__buf_push(cj_buf *b, size_t size);
#define CJ_BUF_ITEMS(b, type) ((type *)(void *)(b)->data)
#define CJ_BUF_COUNT(b, type) ((b)->len / sizeof(type))

#endif
