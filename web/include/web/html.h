/*
 * html.h - the web interface's text primitives: HTML escaping and reading
 * an application/x-www-form-urlencoded body
 *
 * Every value a page writes goes through cj_html_escape, the one escaping
 * function (text and attribute values alike).  Pure functions, unit-tested
 * (tests/unit/test_web_html.c).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_WEB_HTML_H
#define CUNJI_WEB_HTML_H

#include <stddef.h>

#include <ledger/buf.h>

/**
 * Append s to b with & < > " ' written as entities, so that it stays text
 * inside an element and inside a quoted attribute.  Bytes that are not
 * valid UTF-8 and control characters other than tab and newline become
 * U+FFFD, so that a page is always valid UTF-8.  NULL appends nothing.
 */
void cj_html_escape(cj_buf *b, const char *s);

/**
 * The value of the n-th (0 first) field called name in an urlencoded body
 * (a=1&b=%E6%9D%91+x), decoded into out (cut to size, NUL-terminated).
 * Returns its length, or -1 when there is no such field or it does not fit
 * or decodes to a NUL byte.
 */
long cj_form_value(const char *body, const char *name, int n, char *out, size_t size);

/** One part of a multipart/form-data body, pointing into the body. */
typedef struct cj_form_part {
	const char *data;    /* the part's bytes (binary: not NUL-terminated) */
	size_t len;
	char filename[256];  /* the filename="..." given, "" when none */
} cj_form_part;

/**
 * The boundary of a "multipart/form-data; boundary=..." Content-Type into
 * out (quotes removed).  0, or -1 when the type is not multipart/form-data
 * or the boundary is missing or longer than 70 characters (RFC 2046).
 */
int cj_multipart_boundary(const char *content_type, char *out, size_t size);

/**
 * The part called name in a multipart/form-data body of len bytes (any
 * bytes, NUL included) split by boundary.  0 and *part set, or -1 when the
 * body has no such part or is malformed.
 */
int cj_multipart_find(const char *body, size_t len, const char *boundary, const char *name,
		      cj_form_part *part);

#endif
