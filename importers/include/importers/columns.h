/*
 * columns.h - a file's columns found by their header, for every importer
 *
 * Each importer describes the columns it reads in one table of the same
 * format: for each, its names (Chinese first, the name messages use; then
 * the other Chinese and the English ones) and flags.  cj_columns_find maps
 * a header row onto it: a header cell is trimmed (spaces, tabs, U+3000),
 * split from a unit ("借方金额(万元)", amount.h) and compared without regard
 * to ASCII case.  What it finds for each column is its field, its unit and
 * its title as the file writes it (for messages).
 *
 *   static const cj_column_spec cols[] = {
 *           [C_DATE] = {{"日期", "date", "凭证日期", NULL}, CJ_COLUMN_REQUIRED},
 *           [C_DEBIT] = {{"借方金额", "debit", "借方", NULL},
 *                        CJ_COLUMN_REQUIRED | CJ_COLUMN_AMOUNT},
 *   };
 *
 * Two header cells naming one column are a problem, unless the table is
 * searched with CJ_COLUMNS_PREFER (bank statements, which banks export with
 * several date and amount columns): the earlier name in the list then wins
 * (交易日期 over 交易时间), the first cell on a tie.  A column flagged
 * CJ_COLUMN_REPEATS may be given by several cells (memo columns, joined).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_IMPORTERS_COLUMNS_H
#define CUNJI_IMPORTERS_COLUMNS_H

#include <stddef.h>

#include <importers/amount.h>
#include <importers/problem.h>
#include <importers/sheet.h>

#define CJ_COLUMN_NAMES 12   /* names of a column, NULL-terminated */
#define CJ_COLUMNS_MAX 24    /* columns of a table */
#define CJ_COLUMNS_FIELDS 1024 /* header cells looked at */

enum {
	CJ_COLUMN_REQUIRED = 1, /* cj_columns_missing names it when absent */
	CJ_COLUMN_AMOUNT = 2,   /* may carry a unit (元, 万元) */
	CJ_COLUMN_REPEATS = 4   /* several cells may give it (cj_columns.spec_of) */
};

/** How cj_columns_find treats two cells naming one column. */
enum { CJ_COLUMNS_STRICT = 0, CJ_COLUMNS_PREFER = 1 };

typedef struct cj_column_spec {
	const char *names[CJ_COLUMN_NAMES];
	unsigned flags;
} cj_column_spec;

#define CJ_COLUMN_NONE (-1)    /* spec_of: a cell that names no column */
#define CJ_COLUMN_HANDLED (-2) /* spec_of: set by an importer for a cell it dealt with */

typedef struct cj_columns {
	const cj_column_spec *specs;
	int nspecs;
	int at[CJ_COLUMNS_MAX];             /* each column's field, -1 when absent */
	int rank[CJ_COLUMNS_MAX];           /* which of its names the header used */
	cj_amount_unit unit[CJ_COLUMNS_MAX];
	char title[CJ_COLUMNS_MAX][128];    /* as the file writes it (the unit too) */
	short spec_of[CJ_COLUMNS_FIELDS];   /* each header cell's column, or CJ_COLUMN_NONE */
	size_t nfields;
} cj_columns;

/**
 * Map the sheet's current row as a header onto specs (nspecs at most
 * CJ_COLUMNS_MAX).  Problems of the header (a column twice, a unit that is
 * not 元 or 万元, 万元 on a column that is not an amount) go to problems,
 * which may be NULL while a header is being searched for.
 * @return how many of the columns the row names
 */
int cj_columns_find(cj_columns *c, const cj_column_spec *specs, int nspecs, const cj_sheet *s,
		    int mode, cj_problems *problems);

/**
 * The required columns the header lacks, as messages name them:
 * "凭证号 (voucher), 摘要 (summary)".  except: a bit (1u << k) for each
 * column that is not required this time.
 * @return how many
 */
int cj_columns_missing(const cj_columns *c, unsigned except, char *buf, size_t size);

/**
 * The header cells that name no column ("序号, 备注"), while the header
 * is the sheet's current row; "" when none.
 */
void cj_columns_ignored(const cj_columns *c, const cj_sheet *s, char *buf, size_t size);

/** Column k's field in the sheet's current row, trimmed; "" when absent. */
const char *cj_columns_get(const cj_columns *c, const cj_sheet *s, int k, char *buf,
			   size_t size);

#define CJ_HEADER_SCAN 30 /* rows looked at for the header */

/**
 * Find the header below the title rows a spreadsheet puts above it
 * (单位名称, 期间): read the sheet's first CJ_HEADER_SCAN rows for one that
 * names every required column of specs (but those in except, a bit 1u << k
 * each), and leave the sheet so that cj_sheet_next gives that row next.
 * When none does, the sheet is rewound: its first row is then the header,
 * whose lacks the importer names.
 * @return 1 the header is below the first row, 0 it is the first row (or
 *         none was found), -1 the file could not be read again (cj_sheet_error)
 */
int cj_columns_seek(cj_sheet *s, const cj_column_spec *specs, int nspecs, unsigned except);

/** A column's English name, for messages ("voucher"); its first name when it has none. */
const char *cj_column_english(const cj_column_spec *spec);

#endif
