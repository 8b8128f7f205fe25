/*
 * csv.h - an RFC 4180 CSV reader over a buffer in memory
 *
 * Pure: no I/O, so it is easy to test and to fuzz.  Quoted fields may hold
 * commas, doubled quotes and newlines; records end with LF or CRLF; a UTF-8
 * byte-order mark at the start is skipped.  The delimiter is a comma or a tab.
 *
 * Once the caller has read the header and set header_fields, every record
 * must have as many fields: a value with the delimiter in it and no quotes
 * (1,200.50) is an error naming the line and both counts, not a row whose
 * columns have silently shifted.  A blank line is a record of one empty
 * field and passes.
 *
 * The buffer may be a window onto a longer stream (importers/sheet.c reads
 * files of any size this way): with c->more set, a record that runs past
 * the end of the buffer is not cut off; cj_csv_next returns CJ_CSV_MORE
 * instead, having consumed nothing of it, and the caller hands over a
 * buffer that starts with the unconsumed bytes (from cj_csv_consumed())
 * followed by more input, with cj_csv_refill().
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_IMPORTERS_CSV_H
#define CUNJI_IMPORTERS_CSV_H

#include <stddef.h>

#include <ledger/error.h>

typedef struct cj_csv {
	/* input */
	const char *data;
	size_t len;
	char delim;
	size_t max_field;  /* longest field accepted, in bytes (default 1 MiB) */
	size_t max_fields; /* most fields in one record (default 1024) */
	int more;          /* the input continues past data[len) (streaming) */
	/* state */
	int started;       /* the byte-order mark was looked for */
	size_t pos;
	size_t line;       /* line number (1-based) where the current record starts */
	size_t next_line;
	size_t header_fields; /* the header's fields, set by the caller (0: unchecked) */
	/* the current record: fields point into buf, each NUL-terminated */
	char *buf;
	size_t buflen, bufcap;
	size_t *offsets;
	size_t nfields, fieldcap;
	char err[256];     /* set when cj_csv_next fails: "line 12: ..." */
} cj_csv;

/** Start reading data (not copied; must outlive the reader). */
void cj_csv_init(cj_csv *c, const char *data, size_t len, char delim);

/** cj_csv_next's "the record goes on past the buffer; refill and call again"
 * (not an error: positive, as a record read is). */
#define CJ_CSV_MORE 2

/**
 * Read the next record.
 * @return 1 when a record was read, 0 at the end, CJ_CSV_MORE when c->more
 *         is set and the buffer ends inside the record, or a cj_status:
 *         CJ_EINVAL on malformed input or a limit exceeded (c->err says
 *         which line and why), CJ_ENOMEM
 */
CJ_MUST_CHECK int cj_csv_next(cj_csv *c);

/** Bytes of the buffer consumed by the records read so far. */
size_t cj_csv_consumed(const cj_csv *c);

/**
 * Continue on a new buffer: data[0..len) must start with the bytes the old
 * one held past cj_csv_consumed(); more says whether still more will follow.
 * Line numbers carry on.
 */
void cj_csv_refill(cj_csv *c, const char *data, size_t len, int more);

/** Field i of the current record (i < c->nfields). */
const char *cj_csv_field(const cj_csv *c, size_t i);

/** Free the reader's memory (not the input). */
void cj_csv_dispose(cj_csv *c);

/** Guess the delimiter from the first line: tab if it has more tabs than commas. */
char cj_csv_sniff_delim(const char *data, size_t len);

#endif
