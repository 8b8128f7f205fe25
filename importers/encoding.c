/*
 * encoding.c - UTF-8 as it is, or GB18030 (GBK) converted with iconv
 *
 * Detection is by validity rather than by guessing from statistics: a file
 * is UTF-8 when every byte sequence in it is well-formed UTF-8, which text
 * in GBK almost never is once it has a few Chinese characters (a GBK
 * character is two bytes, the first 0x81-0xFE, and few such pairs happen to
 * form UTF-8's three-byte patterns).  Anything else must read as GB18030 to
 * the end, or it is refused with the offset of the first unreadable byte.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <importers/encoding.h>
#include <ledger/grow.h>

/* Length of the well-formed UTF-8 sequence at s (RFC 3629, Unicode table
 * 3-7), or 0 when the bytes there are not one. */
static size_t
utf8_sequence(const unsigned char *s, size_t left)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t n;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0; /* a continuation byte, an overlong lead (C0, C1) or past U+10FFFF */
	if (left < n)
		return 0;
	/* the second byte's range excludes overlong forms and surrogates */
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

size_t
cj_utf8_valid_prefix(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_sequence(p + i, len - i);
		if (!n)
			break;
		i += n;
	}
	return i;
}

static int
copy_out(const char *in, size_t len, char **out, size_t *outlen)
{
	char *buf = malloc(len + 1);

	if (!buf)
		return CJ_ENOMEM;
	memcpy(buf, in, len);
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

/* GB18030 to UTF-8.  On a byte it cannot read, *bad gets its offset. */
static int
from_gb18030(const char *in, size_t len, char **out, size_t *outlen, size_t *bad)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	char *buf, *inp, *outp;
	size_t cap, inleft, outleft;
	int err = 0;

	if (cd == (iconv_t)-1)
		return CJ_ERROR;
	/* a GB18030 character of 2 bytes becomes 3 in UTF-8, of 1 or 4 stays
	 * the same: twice the input is always enough; E2BIG is handled anyway */
	if (len > (SIZE_MAX - 1) / 2) {
		iconv_close(cd);
		return CJ_ENOMEM;
	}
	cap = len * 2 + 16;
	buf = malloc(cap);
	if (!buf) {
		iconv_close(cd);
		return CJ_ENOMEM;
	}
	inp = (char *)in; /* iconv's prototype is not const; it does not write the input */
	inleft = len;
	outp = buf;
	outleft = cap - 1;
	while (inleft > 0) {
		if (iconv(cd, &inp, &inleft, &outp, &outleft) != (size_t)-1)
			break;
		if (errno == E2BIG) {
			size_t used = cap - 1 - outleft, was = cap;
			if (cj_grow((void **)&buf, &cap, cap + 1, 1)) { /* doubles */
				err = CJ_ENOMEM;
				break;
			}
			outp = buf + used;
			outleft += cap - was;
			continue;
		}
		/* EILSEQ: not GB18030; EINVAL: a character cut off at the end */
		*bad = (size_t)(inp - in);
		err = CJ_EINVAL;
		break;
	}
	iconv_close(cd);
	if (err) {
		free(buf);
		return err;
	}
	*outp = '\0';
	*out = buf;
	*outlen = (size_t)(outp - buf);
	return 0;
}

/* Over the whole buffer: well-formed multi-byte UTF-8 sequences, bytes
 * that are not UTF-8 (resuming at the next byte), and where the first is. */
typedef struct utf8_census {
	size_t multibyte, invalid, first_invalid;
} utf8_census;

static void
utf8_count(const char *s, size_t len, utf8_census *c)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	memset(c, 0, sizeof *c);
	c->first_invalid = len;
	while (i < len) {
		size_t n = utf8_sequence(p + i, len - i);
		if (!n) {
			if (!c->invalid++)
				c->first_invalid = i;
			i++;
			continue;
		}
		c->multibyte += n > 1;
		i += n;
	}
}

/*
 * Text in GBK read as UTF-8 breaks at most of its characters, and by chance
 * forms a well-formed sequence for about one in four.  A file that is UTF-8
 * with a few damaged bytes is the other way round: many good sequences,
 * few bad bytes.  GB18030 accepts almost any byte pair, so it would read
 * such a file "successfully" as nonsense; refuse it instead.
 */
#define DAMAGED_UTF8_RATIO 8

int
cj_to_utf8(const char *in, size_t len, char **out, size_t *outlen, const char **encoding_name)
{
	utf8_census census;
	size_t bad = 0;
	int err;

	*out = NULL;
	*outlen = 0;
	if (encoding_name)
		*encoding_name = NULL;
	if (len >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3)) {
		/* a byte-order mark says UTF-8: no second guess */
		size_t valid = cj_utf8_valid_prefix(in + 3, len - 3);
		if (valid != len - 3) {
			*outlen = 3 + valid;
			return CJ_EINVAL;
		}
		if (encoding_name)
			*encoding_name = CJ_ENCODING_UTF8_BOM;
		return copy_out(in + 3, len - 3, out, outlen);
	}
	utf8_count(in, len, &census);
	if (!census.invalid) {
		if (encoding_name)
			*encoding_name = CJ_ENCODING_UTF8;
		return copy_out(in, len, out, outlen);
	}
	if (census.multibyte >= DAMAGED_UTF8_RATIO * census.invalid) {
		*outlen = census.first_invalid;
		return CJ_EINVAL;
	}
	err = from_gb18030(in, len, out, outlen, &bad);
	if (err == CJ_EINVAL) {
		*outlen = bad;
		return err;
	}
	if (!err && encoding_name)
		*encoding_name = CJ_ENCODING_GB18030;
	return err;
}

/* ------------------------------------------------------------------------ */
/* The same decision and conversion over a stream */

void
cj_encoding_probe_init(cj_encoding_probe *p)
{
	memset(p, 0, sizeof *p);
}

/* Could s[0..left) be the start of a well-formed sequence cut short? */
static int
utf8_prefix(const unsigned char *s, size_t left)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t n;

	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	if (left >= n)
		return 0;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (left >= 2 && (s[1] < lo || s[1] > hi))
		return 0;
	for (size_t i = 2; i < left; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return 1;
}

/* Count s[0..len) from stream offset base; returns how many bytes were
 * taken (the rest, a cut sequence, is left for the next chunk). */
static size_t
probe_run(cj_encoding_probe *p, const unsigned char *s, size_t len, unsigned long long base)
{
	size_t i = 0;

	while (i < len) {
		size_t n;
		/* runs of ASCII, eight bytes at a time */
		while (i + 8 <= len) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= len)
			break;
		n = utf8_sequence(s + i, len - i);
		if (!n) {
			if (utf8_prefix(s + i, len - i))
				break;
			if (!p->invalid++)
				p->first_invalid = base + i;
			i++;
			continue;
		}
		p->multibyte += n > 1;
		i += n;
	}
	return i;
}

void
cj_encoding_probe_feed(cj_encoding_probe *p, const char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)buf;
	unsigned long long base = p->offset;

	/* a BOM is U+FEFF, well-formed UTF-8: it is counted like the rest and
	 * only remembered, so that chunks of any size give the same answer */
	for (size_t i = 0; i < len && p->offset + i < 3; i++)
		p->head[p->offset + i] = s[i];
	if (p->offset < 3 && p->offset + len >= 3)
		p->bom = !memcmp(p->head, "\xEF\xBB\xBF", 3);
	while (p->npending && len) {
		/* finish the cut sequence with the first bytes of this chunk */
		unsigned char tmp[8];
		size_t np = p->npending, k = len < 4 ? len : 4, took;

		memcpy(tmp, p->pending, np);
		memcpy(tmp + np, s, k);
		took = probe_run(p, tmp, np + k, base - np);
		if (took < np) {
			/* still a prefix (the chunk was tiny): keep the rest pending */
			p->npending = np + k - took;
			memcpy(p->pending, tmp + took, p->npending);
			s += k;
			len -= k;
			base += k;
			p->offset += k;
			continue;
		}
		p->npending = 0;
		s += took - np;
		len -= took - np;
		base += took - np;
		p->offset += took - np;
		if (took < np + k) {
			/* a new cut sequence starts inside tmp: redo from there */
			continue;
		}
	}
	if (len) {
		size_t took = probe_run(p, s, len, base);
		p->npending = len - took;
		memcpy(p->pending, s + took, p->npending);
		p->offset += len;
	}
}

const char *
cj_encoding_probe_result(cj_encoding_probe *p, unsigned long long *bad_offset)
{
	if (p->npending) {
		/* the stream ended inside a sequence: those bytes are not UTF-8 */
		if (!p->invalid)
			p->first_invalid = p->offset - p->npending;
		p->invalid += p->npending;
		p->npending = 0;
	}
	*bad_offset = p->first_invalid;
	if (p->bom)
		return p->invalid ? NULL : CJ_ENCODING_UTF8_BOM;
	if (!p->invalid)
		return CJ_ENCODING_UTF8;
	if (p->multibyte >= DAMAGED_UTF8_RATIO * p->invalid)
		return NULL;
	return CJ_ENCODING_GB18030;
}

struct cj_gb18030_stream {
	iconv_t cd;
	char *buf; /* the kept tail + this chunk */
	size_t cap;
	size_t ntail;
	unsigned long long fed; /* stream offset just past the last byte given */
};

int
cj_gb18030_open(cj_gb18030_stream **out)
{
	cj_gb18030_stream *s = calloc(1, sizeof *s);

	*out = NULL;
	if (!s)
		return CJ_ENOMEM;
	s->cd = iconv_open("UTF-8", "GB18030");
	if (s->cd == (iconv_t)-1) {
		free(s);
		return CJ_ERROR;
	}
	*out = s;
	return 0;
}

void
cj_gb18030_close(cj_gb18030_stream *s)
{
	if (!s)
		return;
	iconv_close(s->cd);
	free(s->buf);
	free(s);
}

int
cj_gb18030_convert(cj_gb18030_stream *s, const char *in, size_t len, int last, char *out,
		   size_t *outlen, unsigned long long *bad_offset)
{
	char *inp, *outp = out;
	size_t inleft, outleft = 2 * (len + 4);
	unsigned long long base = s->fed - s->ntail; /* stream offset of buf[0] */

	*outlen = 0;
	if (cj_grow((void **)&s->buf, &s->cap, s->ntail + len, 1))
		return CJ_ENOMEM;
	memcpy(s->buf + s->ntail, in, len);
	s->fed += len;
	inp = s->buf;
	inleft = s->ntail + len;
	s->ntail = 0;
	while (inleft > 0) {
		if (iconv(s->cd, &inp, &inleft, &outp, &outleft) != (size_t)-1)
			break;
		if (errno == EINVAL && !last && inleft < 8) {
			/* a character cut by the chunk boundary: keep it */
			memmove(s->buf, inp, inleft);
			s->ntail = inleft;
			break;
		}
		/* EILSEQ: not GB18030; EINVAL at the end: a character cut off;
		 * E2BIG cannot happen with the room asked for */
		*bad_offset = base + (unsigned long long)(inp - s->buf);
		*outlen = (size_t)(outp - out);
		return CJ_EINVAL;
	}
	*outlen = (size_t)(outp - out);
	return 0;
}
