/*
 * buf.c - growable text buffer, string and number helpers
 *
 * SPDX-License-Identifier: MIT
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int
buf_grow(cj_buf *b, size_t extra)
{
	if (b->broken)
		return -1;
	if (extra > SIZE_MAX - b->len - 1 || cj_grow((void **)&b->data, &b->cap, b->len + extra + 1, 1)) {
		b->broken = 1;
		return -1;
	}
	return 0;
}

void
cj__buf_put(cj_buf *b, const char *s, size_t n)
{
	if (buf_grow(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
cj__buf_puts(cj_buf *b, const char *s)
{
	cj__buf_put(b, s, strlen(s));
}

void
cj__buf_putc(cj_buf *b, char c)
{
	cj__buf_put(b, &c, 1);
}

void
cj__buf_printf(cj_buf *b, const char *fmt, ...)
{
	va_list ap;
	size_t room = b->broken || !b->data ? 0 : b->cap - b->len;
	int n;

	/* one pass when the text fits (the usual case), a second after growing */
	va_start(ap, fmt);
	n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < room) {
		b->len += (size_t)n;
		return;
	}
	if (room)
		b->data[b->len] = '\0'; /* what the first pass wrote is not kept */
	if (n < 0 || buf_grow(b, (size_t)n)) {
		b->broken = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void *
cj__buf_push(cj_buf *b, size_t size)
{
	char *item;

	if (buf_grow(b, size))
		return NULL;
	item = b->data + b->len;
	memset(item, 0, size);
	b->len += size;
	b->data[b->len] = '\0';
	return item;
}

void
cj__buf_clear(cj_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
cj__buf_free(cj_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->broken = 0;
}

int64_t
cj__int64(const char *s)
{
	return (int64_t)strtoll(s, NULL, 10);
}

const char *
cj__i64(char buf[CJ_I64_MAX], int64_t v)
{
	snprintf(buf, CJ_I64_MAX, "%" PRId64, v);
	return buf;
}

void
cj__strlcpy(char *dst, const char *src, size_t size)
{
	size_t n;

	if (!size)
		return;
	n = strlen(src);
	if (n >= size) {
		n = size - 1;
		/* do not cut a UTF-8 sequence in half */
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Elements are separated by commas; the caller opens with '{' and closes. */
static void
array_sep(cj_buf *b)
{
	if (b->len && b->data[b->len - 1] != '{')
		cj__buf_putc(b, ',');
}

void
cj__buf_array_text(cj_buf *b, const char *s)
{
	array_sep(b);
	if (!s) {
		cj__buf_puts(b, "NULL");
		return;
	}
	/* quoted, with backslash before quotes and backslashes */
	cj__buf_putc(b, '"');
	for (const char *run = s;; s++) {
		if (*s == '"' || *s == '\\' || !*s) {
			cj__buf_put(b, run, (size_t)(s - run));
			if (!*s)
				break;
			cj__buf_putc(b, '\\');
			cj__buf_putc(b, *s);
			run = s + 1;
		}
	}
	cj__buf_putc(b, '"');
}

void
cj__buf_array_i64(cj_buf *b, int64_t v)
{
	char tmp[CJ_I64_MAX];

	array_sep(b);
	cj__buf_puts(b, cj__i64(tmp, v));
}
