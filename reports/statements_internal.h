/*
 * statements_internal.h - statement layouts (parsed layout files) shared by
 * layout.c (finding and parsing them) and statements.c (filling them in)
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_STATEMENTS_INTERNAL_H
#define CUNJI_REPORTS_STATEMENTS_INTERNAL_H

#include <stddef.h>

#include <reports/report.h>

/* What an account term measures (see the layout files' headers). */
typedef enum lay_measure {
	M_DEFAULT, /* balance sheet: the balance at the column's point; income: the activity */
	M_BAL,     /* .bal   balance at the end of the column's months */
	M_OPEN,    /* .open  balance at their start */
	M_DR,      /* .dr    debit balances of the sub-accounts, one by one */
	M_CR,      /* .cr    credit balances of the sub-accounts */
	M_DEBIT,   /* .debit debits posted in the months (no opening, no year-end close) */
	M_CREDIT,  /* .credit credits posted */
	M_FLOW     /* .flow  debits less credits posted */
} lay_measure;

typedef struct lay_term {
	int sign;       /* +1 or -1 */
	int line;       /* Ln: the line with 行次 n; 0 for an account term */
	char code[16];  /* account code (prefix of its sub-accounts) */
	lay_measure m;
	char with[16];  /* @CODE: only vouchers that also post to CODE; "" for all */
} lay_term;

typedef struct lay_line {
	int no;            /* 行次; 0 for a heading */
	cj_row_kind kind;
	int level;
	int side;          /* +1 (D) or -1 (C); 0 for a heading */
	char label[256];
	lay_term *terms;
	size_t nterms;
	int lineno;        /* in the file, for messages */
} lay_line;

typedef struct lay_check {
	int side;
	lay_term *left, *right;
	size_t nleft, nright;
	char message[256];
	int lineno;
} lay_check;

typedef enum lay_kind { LAY_BALANCE, LAY_INCOME } lay_kind;

typedef struct layout {
	char title[128], code[64];
	lay_kind kind;
	lay_line *lines;
	size_t nlines, linecap;
	lay_check *checks;
	size_t nchecks, checkcap;
	char origin[1024]; /* where it was read from */
} layout;

/*
 * Find and parse layout file `name` (e.g. "balance_sheet_2023.layout").
 * Returns 0, or -1 with a message (file and line) in err.
 */
int cj__layout_load(const char *name, layout *out, char *err, size_t errlen);
void cj__layout_free(layout *l);

#endif
