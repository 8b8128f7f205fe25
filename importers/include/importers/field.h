/*
 * field.h - fields of a file as bookkeepers, banks and spreadsheets write them
 *
 * The helpers every importer reads its cells with (amounts are in amount.h).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_IMPORTERS_FIELD_H
#define CUNJI_IMPORTERS_FIELD_H

#include <stddef.h>

#include <ledger/date.h>

/**
 * Copy a field into out without the spaces around it (ASCII, tab, CR, LF,
 * U+3000 全角空格).
 * @return 0, or -1 when it was cut to fit size
 */
int cj_field_trim(char *out, size_t size, const char *field);

/**
 * A date: 2025-03-05, 2025/3/5, 2025.3.5, 2025年3月5日, 20250305, in ASCII or
 * full-width digits; a time of day after it ("2025-03-05 10:20:30",
 * "2025-03-05T10:20:30") is ignored.
 * @return 0; CJ_EINVAL when it is not a date; CJ_EOVERFLOW when it is one
 *         outside the books' dates (cj_date_in_books)
 */
CJ_MUST_CHECK int cj_field_date(const char *text, cj_date *out);

/**
 * As cj_field_date, and when date_system is 1900 or 1904 (an XLSX file's,
 * cj_sheet_date_system) a number as well: the serial Excel keeps a date as,
 * which a cell of General format shows (45721 is 2025-03-05).
 */
CJ_MUST_CHECK int cj_field_date_in(const char *text, int date_system, cj_date *out);

/** Full-width digits (０-９) into ASCII, in place. */
void cj_field_ascii_digits(char *s);

#endif
