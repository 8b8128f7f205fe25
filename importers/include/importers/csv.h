/*
 * csv.h - an RFC 4180 CSV reader over a buffer in memory
 *
 * Pure: no I/O, so it is easy to test and to fuzz.  Quoted fields may hold
 * commas, doubled quotes and newlines; records end with LF or CRLF; a UTF-8
 * byte-order mark at the start is skipped.  The delimiter is a comma or a tab.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_IMPORTERS_CSV_H
#define CUNJI_IMPORTERS_CSV_H

#include <stddef.h>

typedef struct cj_csv {
	/* input */
	const char *data;
	size_t len;
	char delim;
	size_t max_field;  /* longest field accepted, in bytes (default 1 MiB) */
	size_t max_fields; /* most fields in one record (default 1024) */
	/* state */
	size_t pos;
	size_t line;       /* line number (1-based) where the current record starts */
	size_t next_line;
	/* the current record: fields point into buf, each NUL-terminated */
	char *buf;
	size_t buflen, bufcap;
	size_t *offsets;
	size_t nfields, fieldcap;
	char err[256];     /* set when cj_csv_next fails: "line 12: ..." */
} cj_csv;

/** Start reading data (not copied; must outlive the reader). */
void cj_csv_init(cj_csv *c, const char *data, size_t len, char delim);

/**
 * Read the next record.
 * @return 1 when a record was read, 0 at the end, -1 on malformed input or
 *         a limit exceeded (c->err says which line and why), -2 out of memory
 */
int cj_csv_next(cj_csv *c);

/** Field i of the current record (i < c->nfields). */
const char *cj_csv_field(const cj_csv *c, size_t i);

/** Free the reader's memory (not the input). */
void cj_csv_dispose(cj_csv *c);

/** Guess the delimiter from the first line: tab if it has more tabs than commas. */
char cj_csv_sniff_delim(const char *data, size_t len);

#endif
