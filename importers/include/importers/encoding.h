/*
 * encoding.h - text files as bookkeepers receive them, into UTF-8
 *
 * Files come from Excel "Save as CSV" on a Chinese Windows (GBK), from WPS
 * or a web export (UTF-8, often with a byte-order mark), or from a
 * government system (GB18030).  cj_to_utf8 turns any of these into UTF-8 so
 * that readers downstream (csv.h) only ever see one encoding.
 *
 * Pure: no I/O, so it is easy to test and to fuzz.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_IMPORTERS_ENCODING_H
#define CUNJI_IMPORTERS_ENCODING_H

#include <stddef.h>

#include <ledger/error.h>

/* The names cj_to_utf8 reports in *encoding_name. */
#define CJ_ENCODING_UTF8 "UTF-8"
#define CJ_ENCODING_UTF8_BOM "UTF-8 with BOM"
#define CJ_ENCODING_GB18030 "GB18030"

/**
 * Convert a file's bytes to UTF-8.
 *
 * A UTF-8 byte-order mark is stripped and the rest must be valid UTF-8.
 * Without one, bytes that are valid UTF-8 are kept as they are; otherwise
 * they are read as GB18030 (a superset of GBK and GB2312).  The result is
 * a new buffer, NUL-terminated (the NUL not counted in *outlen), that the
 * caller frees with free().
 *
 * Valid UTF-8 (strict: no overlong forms, surrogates or code points past
 * U+10FFFF) is taken as UTF-8 even when it would also read as GB18030;
 * this is the usual choice and is right for any file with a fair amount
 * of Chinese text.  Bytes that are mostly well-formed UTF-8 with a few
 * damaged ones are refused rather than read as GB18030 (which accepts
 * almost any byte pair and would turn them into nonsense).
 *
 * @param encoding_name receives CJ_ENCODING_UTF8, CJ_ENCODING_UTF8_BOM or
 *        CJ_ENCODING_GB18030 (may be NULL)
 * @return 0; CJ_EINVAL when the bytes are neither UTF-8 nor GB18030 (then
 *         *out is NULL and *outlen is the offset in `in` of the first byte
 *         that cannot be read, so the caller can name the line); CJ_ENOMEM;
 *         CJ_ERROR when the system has no GB18030 converter (iconv)
 */
CJ_MUST_CHECK int cj_to_utf8(const char *in, size_t len, char **out, size_t *outlen,
	       const char **encoding_name);

/** Length of the longest prefix of s[0..len) that is valid UTF-8 (len when all of it is). */
size_t cj_utf8_valid_prefix(const char *s, size_t len);

/*
 * The same decision over a stream, for files too big to hold: feed every
 * chunk of the file to a cj_encoding_probe, then ask what it is.  The rule is
 * cj_to_utf8's (a BOM means UTF-8; valid UTF-8 is UTF-8; mostly valid UTF-8
 * with a few damaged bytes is refused; the rest is GB18030, which the
 * converter below then checks byte by byte).
 */
typedef struct cj_encoding_probe {
	unsigned long long offset;        /* bytes fed so far */
	unsigned long long multibyte;     /* well-formed multi-byte UTF-8 sequences */
	unsigned long long invalid;       /* bytes that are not UTF-8 */
	unsigned long long first_invalid; /* offset of the first */
	unsigned char pending[4];         /* a sequence cut by the chunk boundary */
	size_t npending;
	unsigned char head[3];            /* the first bytes of the stream */
	int bom;                          /* it starts with a UTF-8 BOM (known after 3 bytes) */
} cj_encoding_probe;

void cj_encoding_probe_init(cj_encoding_probe *p);
void cj_encoding_probe_feed(cj_encoding_probe *p, const char *buf, size_t len);
/**
 * What the stream is, after the last chunk: CJ_ENCODING_UTF8,
 * CJ_ENCODING_UTF8_BOM or CJ_ENCODING_GB18030; NULL when it is damaged
 * UTF-8 (*bad_offset: the first byte that is not).
 */
const char *cj_encoding_probe_result(cj_encoding_probe *p, unsigned long long *bad_offset);

/*
 * GB18030 to UTF-8 over a stream.  cj_gb18030_convert converts what it can
 * of in[0..len) into out (cap bytes) and keeps a character cut by the end of
 * the chunk for the next call; last says no more input follows.
 */
typedef struct cj_gb18030_stream cj_gb18030_stream;

/** @return 0, CJ_ENOMEM, or CJ_ERROR when iconv has no GB18030 converter */
CJ_MUST_CHECK int cj_gb18030_open(cj_gb18030_stream **out);
/**
 * Convert one chunk.  out needs room for 2 * (len + 4) bytes.  *outlen gets
 * the bytes written.
 * @return 0, or CJ_EINVAL when a byte is not GB18030 (*bad_offset: its
 *         offset in the whole stream)
 */
CJ_MUST_CHECK int cj_gb18030_convert(cj_gb18030_stream *s, const char *in, size_t len, int last, char *out,
		       size_t *outlen, unsigned long long *bad_offset);
void cj_gb18030_close(cj_gb18030_stream *s);

#endif
