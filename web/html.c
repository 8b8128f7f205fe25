/*
 * html.c - escaping, form bodies, the page frame, a report as HTML
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not one. */
static int
utf8_len(const unsigned char *s)
{
	unsigned c = s[0];
	int n;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* no overlong forms, no surrogates, nothing past U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

void
cj_html_escape(cj_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s)
		return;
	while (*p) {
		int n;
		switch (*p) {
		case '&': cj__buf_puts(b, "&amp;"); p++; continue;
		case '<': cj__buf_puts(b, "&lt;"); p++; continue;
		case '>': cj__buf_puts(b, "&gt;"); p++; continue;
		case '"': cj__buf_puts(b, "&quot;"); p++; continue;
		case '\'': cj__buf_puts(b, "&#39;"); p++; continue;
		default: break;
		}
		n = utf8_len(p);
		if (!n || (*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7F) {
			cj__buf_puts(b, "\xEF\xBF\xBD"); /* U+FFFD */
			p++;
			continue;
		}
		cj__buf_put(b, (const char *)p, (size_t)n);
		p += n;
	}
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode n bytes of urlencoded text into out; length or -1. */
static long
decode(const char *s, size_t n, char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '+')
			c = ' ';
		else if (c == '%') {
			int hi, lo;
			if (i + 2 >= n)
				return -1;
			hi = hexval((unsigned char)s[i + 1]);
			lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = hi * 16 + lo;
			i += 2;
		}
		if (!c || o + 1 >= size)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return (long)o;
}

long
cj_form_value(const char *body, const char *name, int n, char *out, size_t size)
{
	size_t nlen = strlen(name);
	const char *p = body;

	if (!size)
		return -1;
	out[0] = '\0';
	while (p && *p) {
		const char *end = strchr(p, '&'), *eq;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		eq = memchr(p, '=', len);
		if (eq && (size_t)(eq - p) == nlen && !memcmp(p, name, nlen) && n-- == 0)
			return decode(eq + 1, len - nlen - 1, out, size);
		p = end ? end + 1 : NULL;
	}
	return -1;
}
