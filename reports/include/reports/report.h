/*
 * report.h - a report built once as a format-neutral model, rendered as
 * plain text, XLSX or PDF
 *
 * A report is a title block, one or more tables, notes, signature lines and
 * a footer.  A table has columns (optionally under merged group headers) and
 * rows of a kind (data, section heading, subtotal, total) and a level
 * (indentation).  Money is int64 fen, never a float.  The model owns copies
 * of every string it is given; free it with cj_report_free.
 *
 * A new report is a new builder of this model, never a new writer.  The
 * plain-text rendering is the test oracle (golden files).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_REPORT_H
#define CUNJI_REPORTS_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <ledger/error.h>

typedef enum cj_col_type {
	CJ_COL_TEXT,   /* left-aligned text */
	CJ_COL_MONEY,  /* fen, shown as yuan with thousands separators, right-aligned */
	CJ_COL_INT,    /* a count, right-aligned */
	CJ_COL_CENTI,  /* hundredths (share quantities, percentages x100), 2 decimals */
	CJ_COL_DATE,   /* text YYYY-MM-DD, centred */
	CJ_COL_PERCENT /* tenths of a percent (975 = 97.5%), right-aligned, never summed */
} cj_col_type;

typedef enum cj_row_kind {
	CJ_ROW_DATA,
	CJ_ROW_HEADING,  /* a section title inside a table: first cell spans the row */
	CJ_ROW_SUBTOTAL,
	CJ_ROW_TOTAL
} cj_row_kind;

typedef enum cj_cell_kind { CJ_CELL_EMPTY, CJ_CELL_TEXT, CJ_CELL_NUMBER } cj_cell_kind;

typedef struct cj_cell {
	cj_cell_kind kind;
	const char *text; /* CJ_CELL_TEXT */
	int64_t value;    /* CJ_CELL_NUMBER: fen, count or hundredths, per the column */
	unsigned flags;   /* CJ_CELL_* below; 0 by default */
	uint32_t fill;    /* with CJ_CELL_FILLED: background colour 0xRRGGBB (XLSX, PDF) */
} cj_cell;

/*
 * A number in a total or subtotal row that is a figure in its own right (a
 * balance carried in a 本期合计 row), not the sum (or terms) of the rows it
 * totals: renderers write it as a plain number and checks leave it alone.
 */
#define CJ_CELL_FIXED 1u
/*
 * A cell filled with a colour (cj_table_fill: a traffic light): XLSX and PDF
 * paint its background; text, CSV and JSON show only its content, so a cell
 * that means something by its colour says it in words too (colour-blind
 * readers, black-and-white printers).
 */
#define CJ_CELL_FILLED 2u
/*
 * A text cell that holds a figure as written elsewhere (a published
 * workbook's number as its cell style showed it, "77,926.30"): renderers
 * that align columns align it as a number (the web page right-aligns it).
 */
#define CJ_CELL_FIGURE 4u

/* One term of a computed row: sign (+1 or -1) times row `row` of the table. */
typedef struct cj_term {
	long row;
	int sign;
} cj_term;

typedef struct cj_row {
	cj_row_kind kind;
	int level;        /* indentation of the first text cell, 0 = none */
	cj_cell *cells;   /* one per column */
	/*
	 * Totals and subtotals: when sum_first >= 0, every numeric cell of this
	 * row equals the sum of the CJ_ROW_DATA rows sum_first..sum_last (row
	 * indexes in this table) and renderers may write a formula (XLSX SUM with
	 * the value cached).  -1 when the figure is not a plain sum.
	 */
	long sum_first, sum_last;
	/*
	 * Computed rows (statement lines such as 固定资产净值 = 原价 - 累计折旧):
	 * when nterms > 0, every numeric cell (not CJ_CELL_FIXED) equals the sum
	 * of sign x the same column of each term's row; XLSX writes it as a
	 * formula (=C8-C9) with the value cached.  Set with cj_table_terms.
	 */
	const cj_term *terms;
	size_t nterms;
	unsigned flags;   /* CJ_ROW_* below; 0 by default */
} cj_row;

/* The running sums a table carries across pages (cj_table_carry) start again after this row. */
#define CJ_ROW_CARRY_RESET 1u
/* A PDF page never breaks after this row (本月合计 stays with its 本年累计). */
#define CJ_ROW_KEEP_NEXT 2u

typedef struct cj_column {
	const char *title;
	const char *key;   /* CSV header and JSON name (ASCII), or NULL: the title */
	const char *group; /* merged header above adjacent columns with the same group, or NULL */
	cj_col_type type;
	int width;         /* display width in half-width characters (a hanzi counts 2) */
} cj_column;

typedef enum cj_chart_type { CJ_CHART_PIE, CJ_CHART_BAR, CJ_CHART_COLUMN } cj_chart_type;

typedef struct cj_chart {
	const char *title;
	cj_chart_type type;
	size_t label_col, value_col; /* columns of the table it draws */
	long first_row, last_row;    /* data rows drawn (inclusive) */
	int in_pdf;                  /* also drawn under the table in a PDF, as bars (else XLSX only) */
} cj_chart;

/*
 * What a bound book writes where a page ends inside a table (会计基础工作规范
 * 第六十条): a 过次页 row at the foot of the page and the same figures in a
 * 承前页 row under the header of the next, so that every page adds up.  Only
 * the PDF has pages; the other renderers ignore it.
 */
typedef enum cj_carry_role {
	CJ_CARRY_NONE,
	CJ_CARRY_SUM, /* the data rows since the last CJ_ROW_CARRY_RESET row, summed */
	CJ_CARRY_LAST /* the last non-empty cell of the column above (a balance, its 借/贷) */
} cj_carry_role;

typedef struct cj_carry {
	size_t label_col;
	const char *to_next;   /* 过次页 */
	const char *from_prev; /* 承前页 */
	unsigned char *role;   /* cj_carry_role per column */
} cj_carry;

typedef struct cj_table {
	const char *name;    /* sheet name in XLSX (<= 31 chars), section title in PDF/text */
	int landscape;       /* PDF page orientation for this table */
	cj_column *cols;
	size_t ncols;
	cj_row *rows;
	size_t nrows, rowcap;
	cj_chart *chart;     /* optional: a chart of this table (XLSX chart sheet) */
	/*
	 * The column that shows a row's level as indentation, plus one; 0 (the
	 * default) means the first text cell of the row.  Set with
	 * cj_table_indent_column.
	 */
	size_t indent_col1;
	cj_carry *carry;     /* NULL, or 过次页/承前页 at page breaks: cj_table_carry */
	/*
	 * What the table is of, for CSV and JSON, where no title block says it
	 * (a book's village and account): key/value pairs that CSV writes as
	 * leading columns of every row and JSON as the table's "context".
	 * Set with cj_table_context; the other renderers ignore them.
	 */
	const char *ctx_keys[4], *ctx_values[4];
	size_t nctx;
} cj_table;

typedef struct cj_report {
	const char *title;        /* e.g. 资产负债表, 村级财务公开表 */
	const char **subtitles;   /* lines under the title: 编制单位, 期间, 单位：元 */
	size_t nsubtitles;
	cj_table **tables;
	size_t ntables;
	const char **notes;       /* printed after the tables */
	size_t nnotes;
	const char **signatures;  /* "村务监督委员会（签章）：" ... on one line at the end */
	size_t nsignatures;
	const char *footer;       /* every page: e.g. the ledger digest and hotline */
	struct cj_report_arena *arena;
	/*
	 * Document properties, from the first report of a file: XLSX core
	 * properties (workbook_set_properties: subject, keywords) and the PDF
	 * Info dictionary (HPDF_SetInfoAttr: HPDF_INFO_SUBJECT, HPDF_INFO_KEYWORDS).
	 * NULL when not set.  Disclosure sheets carry their ledger digest stamp
	 * in keywords (ASCII), which `cunji disclose --verify` reads back.
	 */
	const char *subject;
	const char *keywords;
	/*
	 * A QR code's text (ASCII), or NULL: drawn at the top right of the
	 * report's first PDF page and of each of its worksheets.  Sheets and
	 * vouchers carry their village's chain head in it (docs/audit.md).
	 */
	const char *qr;
	/*
	 * Printed after "标题（续）" at the head of each continuation page, or
	 * NULL: what the pages are of (a book's 科目 and village), as a bound
	 * book names its account on every 账页.  PDF only.
	 */
	const char *running;
} cj_report;

/* ---- building (each returns NULL / -1 on out of memory) ---- */
cj_report *cj_report_new(const char *title);
void cj_report_free(cj_report *r);
CJ_MUST_CHECK int cj_report_subtitle(cj_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
CJ_MUST_CHECK int cj_report_note(cj_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
CJ_MUST_CHECK int cj_report_signature(cj_report *r, const char *label);
CJ_MUST_CHECK int cj_report_footer(cj_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Set the QR code's text (see cj_report.qr). */
CJ_MUST_CHECK int cj_report_qr(cj_report *r, const char *text);
/** Set the running head of continuation pages (see cj_report.running). */
CJ_MUST_CHECK int cj_report_running(cj_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Set the document properties (either may be NULL: unchanged). */
CJ_MUST_CHECK int cj_report_properties(cj_report *r, const char *subject, const char *keywords);

cj_table *cj_report_table(cj_report *r, const char *name, int landscape);
/** A new name for a table (the village before it, in a township's file); 0 or -1. */
CJ_MUST_CHECK int cj_table_rename(cj_report *r, cj_table *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
CJ_MUST_CHECK int cj_table_column(cj_report *r, cj_table *t, const char *group, const char *title,
		    cj_col_type type, int width);
/**
 * Name the columns for CSV and JSON: keys is a comma-separated list, one key
 * per column in order ("code,name,opening_debit").  Money keys take no unit:
 * CSV heads them KEY_yuan, JSON KEY_fen.  Returns 0, or -1 (out of memory,
 * or more keys than columns).
 */
CJ_MUST_CHECK int cj_table_keys(cj_report *r, cj_table *t, const char *keys);
/** Append a row with every cell empty; returns its index or -1. */
long cj_table_row(cj_report *r, cj_table *t, cj_row_kind kind, int level);
CJ_MUST_CHECK int cj_table_text(cj_report *r, cj_table *t, long row, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void cj_table_number(cj_table *t, long row, size_t col, int64_t value);
/**
 * Append a total (or subtotal) row labelled label in column label_col whose
 * numeric columns sum the data rows first..last; returns the row or -1.
 * Sums are checked for overflow (returns -1).
 */
long cj_table_total(cj_report *r, cj_table *t, cj_row_kind kind, size_t label_col,
		    const char *label, long first, long last);
CJ_MUST_CHECK int cj_table_chart(cj_report *r, cj_table *t, cj_chart_type type, const char *title,
		   size_t label_col, size_t value_col, long first_row, long last_row);
/**
 * Make row a computed row: each numeric cell (not CJ_CELL_FIXED) becomes the
 * signed sum of the same column of the terms' rows, which must come before
 * it.  Copies terms.  Returns 0, or -1 (bad row, out of memory, overflow).
 */
CJ_MUST_CHECK int cj_table_terms(cj_report *r, cj_table *t, long row, const cj_term *terms, size_t n);
/** Fill a cell's background with colour rgb (0xRRGGBB): CJ_CELL_FILLED. */
void cj_table_fill(cj_table *t, long row, size_t col, uint32_t rgb);
/** Mark a number as a figure in its own right in a total row (CJ_CELL_FIXED). */
void cj_table_fixed(cj_table *t, long row, size_t col);
/**
 * Carry running figures across the PDF's page breaks: label_col takes the
 * labels (过次页 at the foot of a page, 承前页 at the head of the next);
 * call after the columns are made, then name each carried column with
 * cj_table_carry_column.  Returns 0 or -1 (out of memory, bad column).
 */
CJ_MUST_CHECK int cj_table_carry(cj_report *r, cj_table *t, size_t label_col, const char *to_next,
				 const char *from_prev);
void cj_table_carry_column(cj_table *t, size_t col, cj_carry_role role);
/**
 * The bound book's carry (明细账, 日记账, 多栏账): 过次页/承前页 in label_col,
 * 借方 and 贷方 (debit_col, debit_col + 1) summed, 借或贷 and 余额 (the next
 * two) carried as they last stood.  More summed columns (a 多栏账's) with
 * cj_table_carry_column.  Returns 0 or -1.
 */
CJ_MUST_CHECK int cj_table_carry_book(cj_report *r, cj_table *t, size_t label_col, size_t debit_col);
/** The running sums start again after row (a 本月合计 / 本年累计 row ends a month). */
void cj_table_carry_reset(cj_table *t, long row);
/**
 * The figures carried past rows 0..upto-1, into cells (t->ncols of them):
 * the label column empty (the renderer writes its label), sums of the data
 * rows since the last reset (empty when there is none), the last cell of
 * each CJ_CARRY_LAST column.  Returns 0, or -1 when a sum overflows.
 */
CJ_MUST_CHECK int cj_table_carried(const cj_table *t, size_t upto, cj_cell *cells);
/** Add a key (ASCII) and its value to the table's context (see cj_table.ctx_keys); 0 or -1. */
CJ_MUST_CHECK int cj_table_context(cj_report *r, cj_table *t, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/** Indent column col (not the first text cell) by the rows' levels. */
void cj_table_indent_column(cj_table *t, size_t col);
/**
 * Check that every total, subtotal and computed row equals the sum of its
 * parts, column by column.  Returns 0, or -1 with a message naming the
 * table, row and column in err.
 */
CJ_MUST_CHECK int cj_report_check(const cj_report *r, char *err, size_t errlen);

/* ---- rendering: several reports go into one file (one PDF per village set) ---- */
/*
 * Every renderer returns 0 or -1 with a one-line message in err (the text
 * renderer: -1 when out fails).  None of them changes the model.
 */
/** Plain text (terminal, golden files): deterministic, widths by display width. */
CJ_MUST_CHECK int cj_render_text(const cj_report *const *reports, size_t n, FILE *out);
/** XLSX: one sheet per table, frozen headers, money formats, SUM formulas with cached values. */
CJ_MUST_CHECK int cj_render_xlsx(const cj_report *const *reports, size_t n, const char *path, char *err,
		   size_t errlen);
/**
 * PDF, A4: embedded Chinese font, repeated headers, "第 x 页 共 y 页" (pages
 * are counted per report).  The font is WenQuanYi Zen Hei (face 0 of
 * CJ_PDF_FONT_DEFAULT), or the file named by $CUNJI_PDF_FONT ("path" or
 * "path:face").
 */
#define CJ_PDF_FONT_DEFAULT "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
CJ_MUST_CHECK int cj_render_pdf(const cj_report *const *reports, size_t n, const char *path, char *err,
		  size_t errlen);

/**
 * CSV of one table (table < 0: every table, each with its header row, a blank
 * line between): a header of column keys, then one line per row.  Money is
 * plain yuan ("-20000.00"), counts, hundredths and percentages (97.5) as
 * numbers, a blank cell empty.  Text that a spreadsheet would take for a formula (=, +, -, @, tab,
 * carriage return first) gets a leading ' and quotes (CSV injection).  UTF-8,
 * no byte-order mark: the caller adds one, or converts.
 */
CJ_MUST_CHECK int cj_render_csv(const cj_report *r, long table, FILE *out);
/**
 * CSV of every table of several reports (a book's accounts) as one sheet:
 * the header written again, after a blank line, only where the columns
 * change (a 多栏账's sub-accounts); each row led by its table's context.
 */
CJ_MUST_CHECK int cj_render_csv_many(const cj_report *const *reports, size_t n, FILE *out);
/**
 * JSON of a report: {"title", "subtitles", "tables": [{"name", "rows": [...]}],
 * "notes"}, each row an object of its cells by key (money as integer fen under
 * KEY_fen, counts as integers, hundredths as decimals, a blank cell null); a
 * heading, subtotal or total row also has "row": "heading" / "subtotal" /
 * "total".  table < 0: every table, else only that one.
 */
CJ_MUST_CHECK int cj_render_json(const cj_report *r, long table, FILE *out);
/** One CSV text cell as cj_render_csv writes it (quoted, formulas neutralised). */
void cj_csv_text(FILE *out, const char *s);
/** A JSON string literal of UTF-8 text. */
void cj_json_string(FILE *out, const char *s);

/* 大写 amounts: <reports/amount_words.h> */

/* ---- helpers the renderers share (also for builders that lay out text) ---- */
/** Display width of UTF-8 text: CJK and full-width characters count 2. */
int cj_text_width(const char *s);
/**
 * Format a number of a column type: money as "1,234.56" (fen), CENTI as
 * "12.50", INT as "42".  buf of at least CJ_NUM_MAX bytes.
 */
#define CJ_NUM_MAX 40
const char *cj_format_number(char *buf, size_t size, cj_col_type type, int64_t value);

#endif
