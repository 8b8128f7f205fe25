/*
 * xlsx.h - a streaming reader for the first worksheet of an XLSX file
 *
 * Reads the rows of the first worksheet (in workbook.xml order, found
 * through its relationship) one at a time: the sheet XML is inflated from
 * the zip (libzip) in chunks and fed to a streaming XML parser (expat), so
 * only the shared strings table and the current row are held in memory.
 *
 * Every field is UTF-8 text, NUL-terminated:
 *  - shared and inline strings as they are;
 *  - booleans as "TRUE" / "FALSE";
 *  - numbers as the decimal text stored in the file, never through a
 *    double ("1234.5" stays "1234.5"; "1.2345E+17" is passed as it is, so a
 *    caller can tell that an ID number became a number);
 *  - numbers whose cell style is a date format (built-in 14-22 and 45-47,
 *    or a custom format with y, m or d outside quotes and brackets) as
 *    "YYYY-MM-DD", from the 1900 serial (with Excel's 1900 leap-year bug)
 *    or the 1904 serial when workbook.xml says date1904, in integer
 *    arithmetic (a fractional time of day is dropped);
 *  - cached values of formula cells, as above; error cells as their text
 *    ("#DIV/0!").
 *
 * Missing rows are skipped (the row number says which row a record is);
 * missing cells inside a row give "" fields, so column positions are kept.
 * Trailing empty cells are not reported.
 *
 * Hostile files are refused with a message, never a crash: not a zip,
 * missing parts, malformed XML, a zip bomb (total inflated bytes and the
 * ratio to the compressed size are capped), more than 16384 columns, a cell
 * over 1 MiB, a shared strings table over 64 MiB.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_IMPORTERS_XLSX_H
#define CUNJI_IMPORTERS_XLSX_H

#include <stddef.h>

#include <ledger/error.h>

typedef struct cj_xlsx cj_xlsx;

/**
 * Open an XLSX file and position the reader on its first worksheet.
 * @param[out] out the reader, freed with cj_xlsx_close()
 * @param err receives a one-line message on failure
 * @return 0, or -1 (err says why; *out is NULL)
 */
CJ_MUST_CHECK int cj_xlsx_open(cj_xlsx **out, const char *path, char *err, size_t errlen); /* first worksheet */

/**
 * As cj_xlsx_open, on the worksheet named sheet, or when no sheet has that
 * name and it is a number N, the Nth sheet (1 the first tab); NULL the first
 * worksheet.  A missing sheet is an error that lists the workbook's sheets.
 */
CJ_MUST_CHECK int cj_xlsx_open_sheet(cj_xlsx **out, const char *path, const char *sheet, char *err,
				     size_t errlen);

/** The name of the worksheet being read ("Sheet1"). */
const char *cj_xlsx_sheet_name(const cj_xlsx *x);

/** Whether the workbook counts dates from 1904 (workbook.xml's date1904). */
int cj_xlsx_date1904(const cj_xlsx *x);

/**
 * A date serial as a cell of General format holds it ("45721", "45721.5")
 * into "YYYY-MM-DD" in the 1900 or 1904 system.
 * @return 0, or -1 when number is not a serial (not a plain positive number
 *         of up to 7 digits, or 60, Excel's phantom 1900-02-29)
 */
int cj_xlsx_serial_date(char out[16], const char *number, int date1904);

/**
 * As cj_xlsx_open, over an XLSX file in memory (for tests and fuzzing).
 * data must outlive the reader.
 */
CJ_MUST_CHECK int cj_xlsx_open_buffer(cj_xlsx **out, const void *data, size_t len, char *err, size_t errlen);

/**
 * Read the next non-empty row.
 * @param[out] fields the row's fields, valid until the next call or close
 * @param[out] nfields how many
 * @param[out] row the spreadsheet row number (1-based)
 * @return 1 when a row was read, 0 at the end, -1 on error (err says why;
 *         further calls keep returning -1)
 */
CJ_MUST_CHECK int cj_xlsx_next(cj_xlsx *x, const char *const **fields, size_t *nfields, size_t *row, char *err,
		 size_t errlen); /* 1 row, 0 end, -1 error */

/** Close the reader (NULL is fine). */
void cj_xlsx_close(cj_xlsx *x);

#endif
