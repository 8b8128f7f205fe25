/*
 * text.c - free text fit for the books (see text.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include <ledger/text.h>
#include <ledger/db.h>
#include <ledger/i18n.h>

#include "internal.h"

/* Decode one UTF-8 character at s (strict: no overlong forms, surrogates or
 * code points past U+10FFFF); its length, or 0 when the bytes are not UTF-8. */
static size_t
utf8_decode(const unsigned char *s, unsigned long *cp)
{
	unsigned long c;
	size_t n;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		c = s[0] & 0x1F;
		n = 2;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		c = s[0] & 0x0F;
		n = 3;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		c = s[0] & 0x07;
		n = 4;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/* What a refused character is called; NULL for one that is fine. */
static const char *
refused(unsigned long c)
{
	if (c == '\t')
		return N_("a tab");
	if (c == '\n')
		return N_("a line break");
	if (c == '\r')
		return N_("a carriage return");
	if (c == 0x1B)
		return N_("an escape code");
	if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
		return N_("a control character");
	if (c == 0x2028 || c == 0x2029)
		return N_("a line separator");
	if (c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
	    (c >= 0x2066 && c <= 0x2069))
		return N_("a bidirectional control");
	return NULL;
}

int
cj_text_check(const char *s, char *why, size_t whysize)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned long c = 0;
		size_t n;

		if (*p >= 0x20 && *p < 0x7F) { /* printable ASCII, most of any text */
			p++;
			continue;
		}
		n = utf8_decode(p, &c);
		const char *name = n ? refused(c) : N_("bytes that are not UTF-8");
		size_t at = (size_t)((const char *)p - s);

		if (!name) {
			p += n;
			continue;
		}
		if (why && whysize) {
			int w = n ? snprintf(why, whysize, _("holds %s (U+%04lX)"), _(name), c)
				  : snprintf(why, whysize, _("holds %s"), _(name));
			/* where: the text before it, cut at a character boundary */
			if (w > 0 && (size_t)w < whysize) {
				size_t start = at > 24 ? at - 24 : 0;
				while (start < at && (s[start] & 0xC0) == 0x80)
					start++;
				if (at == 0)
					snprintf(why + w, whysize - (size_t)w, _(" at the start"));
				else
					snprintf(why + w, whysize - (size_t)w, _(" after '%s%.*s'"),
						 start ? "…" : "", (int)(at - start), s + start);
			}
		}
		return CJ_EINVAL;
	}
	return 0;
}

int
cj__texts_check(cj_db *db, const char *where, const char *const *texts, size_t n)
{
	char why[160];

	for (size_t i = 0; i + 1 < n; i += 2)
		if (texts[i + 1] && cj_text_check(texts[i + 1], why, sizeof why))
			return cj_db_fail(db, CJ_EINVAL, "%s: %s %s", where, texts[i], why);
	return 0;
}
