/*
 * sheet_read.h - what a person sees on a sheet file, read back: every cell
 * of every worksheet of an XLSX, the text lines of a PDF
 *
 * For `disclose --verify`, which compares a sheet with the same sheet made
 * again from the books now (disclosure_figures.c).  Shared by the files of
 * ledger_reports only.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_SHEET_READ_H
#define CUNJI_REPORTS_SHEET_READ_H

#include <stddef.h>

/* One cell: its worksheet (index into names), position, value and formula. */
typedef struct sheet_cell {
	size_t sheet;
	long row, col;  /* 1-based */
	char *value;    /* text; a number as its decimal text with trailing zeros cut; "" none */
	char *formula;  /* "" when none */
	char kind;      /* SHEET_TEXT, or a number and how its style formats it: */
} sheet_cell;
#define SHEET_TEXT 't'
#define SHEET_MONEY 'm'   /* two decimals: #,##0.00 or 0.00 */
#define SHEET_PERCENT 'p' /* a percentage: 0.0%, 0.00% ... */
#define SHEET_NUMBER 'n'  /* any other number (a count, a general number) */

typedef struct sheet_cells {
	char **names;   /* worksheet names, workbook order */
	size_t nnames;
	sheet_cell *cells; /* sorted by sheet, row, column */
	size_t n;
} sheet_cells;

/* Every cell of every worksheet (chart sheets have none).  0, or -1 with err. */
int cj__sheet_xlsx_cells(const char *path, sheet_cells *out, char *err, size_t errlen);
void cj__sheet_cells_free(sheet_cells *c);

/* One line of a PDF's text, with its page. */
typedef struct sheet_line {
	int page;
	char *text;     /* trailing spaces cut; blank lines are left out */
} sheet_line;

/*
 * The text of a PDF, line by line in reading layout: pdftotext (poppler) is
 * run on it, because the text sits in compressed content streams as glyph
 * ids of a subset CID font, readable only through the font's ToUnicode map.
 * 0, or -1 with err.
 */
int cj__sheet_pdf_lines(const char *path, sheet_line **out, size_t *n, char *err, size_t errlen);
void cj__sheet_lines_free(sheet_line *l, size_t n);

#endif
