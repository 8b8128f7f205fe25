/*
 * statements.h - the statutory statements of a village as report models
 *
 * Each builder reads the books (account_period_total, kept by the posting
 * trigger, and the voucher lines where the year-end close must be left
 * out) and returns a cj_report for any renderer:
 *
 *   资产负债表        cj_statement_balance_sheet   年初数 / 期末数
 *   收益及收益分配表  cj_statement_income          本期数 / 本年累计数 (本年数 / 上年数 for a year)
 *   科目余额表        cj_statement_balances        opening, debits, credits, closing by account
 *                                                  (a township or county: its villages summed)
 *   收支明细表        cj_statement_detail          income and expense accounts, 本期 / 本年累计
 *   明细账            cj_statement_ledger          one account, line by line with its balance
 *
 * The balance sheet and the income statement are laid out by data files
 * (the .layout files in reports/layouts, see docs/reports.md) so that a corrected
 * official format is an edit, not a recompile.
 *
 * A span is any the core parses (<ledger/span.h>); the balance sheet, the
 * income statement and 收支明细表 cover months of one year (a range that
 * crosses a year is refused with CJ_EINVAL), 科目余额表 and 明细账 any run
 * of months.
 *
 * Every builder returns 0 and sets *out, or a negative cj_status with the
 * message on the db handle and *out NULL -- except CJ_EUNBALANCED: the
 * figures that must agree do not (资产总计 and 负债和所有者权益总计, the
 * distribution arithmetic, debits and credits of the trial balance).  Then
 * *out is still set, carrying a note that says so, so that the caller can
 * show the statement that is wrong; the message names the figures.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_STATEMENTS_H
#define CUNJI_REPORTS_STATEMENTS_H

#include <stddef.h>

#include <ledger/date.h>
#include <ledger/db.h>
#include <ledger/span.h>
#include <reports/report.h>

CJ_MUST_CHECK int cj_statement_balance_sheet(cj_db *db, const char *village, cj_span span,
					     cj_report **out);
CJ_MUST_CHECK int cj_statement_income(cj_db *db, const char *village, cj_span span,
				      cj_report **out);
/** org: a village, or a township or county (first-level accounts of its villages summed). */
CJ_MUST_CHECK int cj_statement_balances(cj_db *db, const char *org, cj_span span,
					cj_report **out);
CJ_MUST_CHECK int cj_statement_detail(cj_db *db, const char *village, cj_span span,
				      cj_report **out);
/** account: a code of the village's chart; a parent includes its sub-accounts. */
CJ_MUST_CHECK int cj_statement_ledger(cj_db *db, const char *village, const char *account,
				      cj_span span, cj_report **out);

/* ---- many villages at once (cunji statement --township / --villages) ---- */

/** The statements a run builds for each village, in this order. */
enum {
	CJ_ST_BALANCE_SHEET = 1, /* 资产负债表 */
	CJ_ST_INCOME = 2,        /* 收益及收益分配表 */
	CJ_ST_BALANCES = 4,      /* 科目余额表 */
	CJ_ST_DETAIL = 8,        /* 收支明细表 */
	CJ_ST_LEDGER = 16        /* 明细账 of `account` */
};

/**
 * The statements of many villages, built village by village by
 * cj_statement_set_step (a cj_batch_step, <ledger/batch.h>): each village
 * all or nothing -- a statement refused, or one whose figures do not agree
 * (CJ_EUNBALANCED), leaves out every statement of that village, which the
 * batch then counts as refused with the figures.  Each table is named after
 * its village ("周口村 资产负债表", the XLSX sheet names).  Zero it, set
 * which, span (and account), run; free with cj_statement_set_free.
 */
typedef struct cj_statement_set {
	int which;            /* CJ_ST_* bits */
	cj_span span;
	const char *account;  /* CJ_ST_LEDGER: an account code of every village's chart */
	/* built, village by village, in order: */
	cj_report **reports;
	int *kinds;           /* the CJ_ST_* bit of each report */
	char (*villages)[40]; /* the village code of each report */
	size_t n, cap;
} cj_statement_set;

struct cj_org;
int cj_statement_set_step(cj_db *db, const struct cj_org *village, void *ctx, char *msg, size_t size);
void cj_statement_set_free(cj_statement_set *s);

/**
 * 乡镇汇总: the balance sheet (which CJ_ST_BALANCE_SHEET) or the income
 * statement (CJ_ST_INCOME) of a township (or county) over all its villages,
 * for set->span.  The figures are the layout evaluated over the accounts of
 * every village, read in one query (a sub-account's debit or credit balance
 * stays its own village's: 内部往来 is not netted across villages).  They are
 * then checked line by line against the villages' own statements, which
 * set must hold for every village of the township (built by
 * cj_statement_set_step): the sum of the villages' figures must equal each
 * line.  A village missing from set is refused (CJ_EREFUSED, naming it);
 * a line that disagrees gives CJ_EUNBALANCED with the summary still built
 * and noted, the message naming the village, the line and both figures.
 * The villages must keep one chart.  Reads in one REPEATABLE READ
 * transaction when the caller holds none.
 */
CJ_MUST_CHECK int cj_statement_township(cj_db *db, int which, const char *township,
					const cj_statement_set *set, cj_report **out);

/**
 * The text of a layout file, found in this order: the directory $CUNJI_LAYOUTS
 * ("builtin" skips straight to the compiled-in copy);
 * the source tree the library was built from; layouts/ next to the running
 * binary, then ../share/cunji/layouts from it; else the copy compiled into the
 * library (so a moved binary still works).  *text is malloc'd; *origin (a
 * path, or "built-in") is static or in origin_buf.  Returns 0 or CJ_ENOTFOUND.
 */
CJ_MUST_CHECK int cj_layout_text(const char *name, char **text, const char **origin, char *origin_buf,
		   size_t origin_size);

#endif
