/*
 * sheet.h - the rows of a CSV or XLSX file behind one interface
 *
 * Importers read files row by row through a cj_sheet and never care what
 * the file is: content starting with "PK\3\4" is an XLSX workbook (its first
 * worksheet, read by importers/xlsx.c); anything else is CSV (RFC 4180,
 * comma or tab, sniffed from the first line), in UTF-8 with or without a
 * BOM or in GBK/GB18030, detected over the whole file and converted to
 * UTF-8.  Fields are always UTF-8.
 *
 * Memory is bounded whatever the file's size: a CSV file is read through a
 * window of a few hundred KiB that grows only for a single record longer than
 * it, up to a limit (a field over 1 MiB, or a record over 64 MiB - an
 * unclosed quote - is an error, as are binary junk and more than 16384
 * fields).  Rows that are wholly empty (",,,," as spreadsheets export their
 * formatted but empty rows, or a blank line) are skipped; the row number
 * still counts them, as a spreadsheet shows them.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_IMPORTERS_SHEET_H
#define CUNJI_IMPORTERS_SHEET_H

#include <stddef.h>
#include <stdint.h>

#include <ledger/error.h>

typedef struct cj_sheet cj_sheet;

/**
 * Open a file.  A CSV file is read once here to find its encoding.
 * @param[out] out the sheet, closed with cj_sheet_close(); NULL on failure
 * @param err receives a one-line message on failure (naming the line of a
 *        byte that is neither UTF-8 nor GB18030)
 * @return 0 or -1
 */
CJ_MUST_CHECK int cj_sheet_open(cj_sheet **out, const char *path, char *err, size_t errlen);

/**
 * As cj_sheet_open, reading the worksheet sheet of an XLSX file (its name,
 * or a number: 1 the first tab; NULL the first worksheet).  A CSV file with
 * a sheet named is an error.
 */
CJ_MUST_CHECK int cj_sheet_open_in(cj_sheet **out, const char *path, const char *sheet, char *err,
				   size_t errlen);

/** The name of the worksheet read ("Sheet1"); "" for CSV. */
const char *cj_sheet_name(const cj_sheet *s);

/**
 * For a message about the file's header: " (worksheet 'Sheet1' was read;
 * --sheet NAME or N reads another)" for XLSX, "" for CSV.
 */
const char *cj_sheet_which(const cj_sheet *s, char *buf, size_t size);

/**
 * How the file's numbers are dates: 1900 or 1904 for XLSX (a serial in a
 * General cell, cj_field_date_in), 0 for CSV (text only).
 */
int cj_sheet_date_system(const cj_sheet *s);

/** Read the next row: 1 a row, 0 the end, -1 an error (cj_sheet_error says which). */
CJ_MUST_CHECK int cj_sheet_next(cj_sheet *s);

/**
 * The current row is the table's header: from now on a CSV row with another
 * number of fields (not a blank line) is an error, cj_sheet_next returning
 * -1 with the line and both counts.  XLSX rows are cells and need no check.
 */
void cj_sheet_header(cj_sheet *s);

/** The next cj_sheet_next gives the current row again (a header found by looking ahead). */
void cj_sheet_again(cj_sheet *s);

/** Back to before the first row (the file opened again); -1 with cj_sheet_error. */
CJ_MUST_CHECK int cj_sheet_rewind(cj_sheet *s);

/** Fields of the current row. */
size_t cj_sheet_nfields(const cj_sheet *s);
/** Field i of the current row, UTF-8, NUL-terminated; "" past the last. */
const char *cj_sheet_field(const cj_sheet *s, size_t i);

/** The current row's number as a spreadsheet shows it (the first row is 1). */
size_t cj_sheet_row(const cj_sheet *s);

/** "UTF-8", "UTF-8 with BOM", "GB18030" or "XLSX". */
const char *cj_sheet_encoding(const cj_sheet *s);

/** The last error, one line, naming the row or line; "" when none. */
const char *cj_sheet_error(const cj_sheet *s);

/** Bytes of the file read so far and its size, for a progress bar. */
uint64_t cj_sheet_bytes_read(const cj_sheet *s);
uint64_t cj_sheet_size(const cj_sheet *s);

void cj_sheet_close(cj_sheet *s);

#endif
