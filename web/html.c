/*
 * html.c - escaping, form bodies, the page frame, a report as HTML
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

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

/* ---- multipart/form-data (an uploaded file) ---- */

int
cj_multipart_boundary(const char *content_type, char *out, size_t size)
{
	const char *b, *end;
	size_t n;

	if (!content_type || strncasecmp(content_type, "multipart/form-data", 19))
		return -1;
	if (!(b = strstr(content_type, "boundary=")))
		return -1;
	b += 9;
	if (*b == '"') {
		b++;
		end = strchr(b, '"');
	} else {
		end = b + strcspn(b, "; \t");
	}
	if (!end)
		return -1;
	n = (size_t)(end - b);
	if (!n || n > 70 || n >= size)
		return -1;
	memcpy(out, b, n);
	out[n] = '\0';
	return 0;
}

static const char *
find_bytes(const char *hay, size_t len, const char *needle, size_t nlen)
{
	if (nlen > len)
		return NULL;
	for (size_t i = 0; i + nlen <= len; i++)
		if (hay[i] == needle[0] && !memcmp(hay + i, needle, nlen))
			return hay + i;
	return NULL;
}

/* The quoted value of key="..." in a Content-Disposition header line. */
static int
disposition_value(const char *line, size_t len, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);

	for (size_t i = 0; i + klen + 2 <= len; i++) {
		if ((i && line[i - 1] != ' ' && line[i - 1] != ';') || memcmp(line + i, key, klen) ||
		    line[i + klen] != '=' || line[i + klen + 1] != '"')
			continue;
		const char *v = line + i + klen + 2, *q = memchr(v, '"', len - (size_t)(v - line));
		size_t n;
		if (!q)
			return -1;
		n = (size_t)(q - v);
		if (n >= size)
			return -1;
		memcpy(out, v, n);
		out[n] = '\0';
		return 0;
	}
	return -1;
}

int
cj_multipart_find(const char *body, size_t len, const char *boundary, const char *name,
		  cj_form_part *part)
{
	char delim[80];
	size_t dlen = (size_t)snprintf(delim, sizeof delim, "--%s", boundary);
	const char *p = body, *end = body + len;

	if (dlen >= sizeof delim)
		return -1;
	/* the first delimiter starts the body (a preamble is allowed) */
	if (!(p = find_bytes(p, len, delim, dlen)))
		return -1;
	for (;;) {
		const char *head, *head_end, *next;
		char pname[128] = "", fname[256] = "";

		p += dlen;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return -1; /* the closing delimiter: no such part */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return -1;
		head = p + 2;
		if (!(head_end = find_bytes(head, (size_t)(end - head), "\r\n\r\n", 4)))
			return -1;
		/* the part's headers, one line at a time */
		for (const char *l = head; l < head_end;) {
			const char *le = find_bytes(l, (size_t)(head_end + 2 - l), "\r\n", 2);
			size_t ll = (size_t)(le - l);
			if (ll > 20 && !strncasecmp(l, "Content-Disposition:", 20)) {
				disposition_value(l, ll, "name", pname, sizeof pname);
				disposition_value(l, ll, "filename", fname, sizeof fname);
			}
			l = le + 2;
		}
		p = head_end + 4;
		/* the part ends at CRLF and the next delimiter */
		{
			char crd[84];
			size_t clen = (size_t)snprintf(crd, sizeof crd, "\r\n%s", delim);
			/* a delimiter is followed by CRLF or "--": anything else is content */
			for (const char *from = p;; from = next + 1) {
				if (!(next = find_bytes(from, (size_t)(end - from), crd, clen)))
					return -1;
				if (end - (next + clen) >= 2 &&
				    (!memcmp(next + clen, "\r\n", 2) || !memcmp(next + clen, "--", 2)))
					break;
			}
			if (!strcmp(pname, name)) {
				part->data = p;
				part->len = (size_t)(next - p);
				snprintf(part->filename, sizeof part->filename, "%s", fname);
				return 0;
			}
			p = next + 2;
		}
	}
}
