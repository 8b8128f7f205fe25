/*
 * books.h - the books a village bookkeeper prints, as report models
 *
 *   总账            CJ_BOOK_GENERAL   each first-level account: 上年结转 (期初余额), then
 *                                     per month 本月合计 and 本年累计 with 借/贷/余
 *   现金日记账      CJ_BOOK_CASH      101 (and its sub-accounts): day by day, each voucher
 *   银行存款日记账  CJ_BOOK_BANK      102 and each bank sub-account: line with 对方科目,
 *                                     本日合计, 本月合计, 本年累计
 *   明细账          CJ_BOOK_DETAIL    each account without sub-accounts (or the one asked
 *                                     for): lines, 本月合计, 本年累计
 *   多栏账          CJ_BOOK_COLUMNAR  income and expense accounts: one column per
 *                                     sub-account beside 借方, 贷方 and 余额
 *
 * One report per account (its own pages, numbered from 1, as a bound book's
 * 账页), for a village or for every village of a township in one list, so
 * that one PDF or one workbook holds them all (a worksheet per village and
 * account).  Figures come from posted vouchers only (drafts are never in
 * the books); money is int64 fen; every report passes cj_report_check, and
 * each month's 本月合计 is checked against the kept monthly totals.  The
 * day books, 明细账 and 多栏账 carry their month's sums and balance from page
 * to page in the PDF (过次页 / 承前页, cj_table_carry).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_BOOKS_H
#define CUNJI_REPORTS_BOOKS_H

#include <stddef.h>

#include <ledger/db.h>
#include <ledger/span.h>
#include <reports/report.h>

typedef enum cj_book_kind {
	CJ_BOOK_GENERAL,
	CJ_BOOK_CASH,
	CJ_BOOK_BANK,
	CJ_BOOK_DETAIL,
	CJ_BOOK_COLUMNAR
} cj_book_kind;

/** A printed book: its reports, village by village, account by account. */
typedef struct cj_book {
	cj_report **reports;
	size_t n;
} cj_book;

/** Called after each village of a township (for a progress line); may be NULL. */
typedef void (*cj_book_progress)(void *arg, const char *village, size_t done, size_t total);

/**
 * Build a book for org, a village or a township (its villages in order).
 * account (may be NULL): only this account (a parent with its
 * sub-accounts summed; for 多栏账 the account whose sub-accounts make the
 * columns).  Returns 0 with *out filled (free with cj_book_free), or a
 * negative cj_status with the message on the db handle: CJ_ENOTFOUND when
 * no account has anything to print.
 */
CJ_MUST_CHECK int cj_book_build(cj_db *db, cj_book_kind kind, const char *org, const char *account,
				cj_span span, cj_book_progress progress, void *arg, cj_book *out);
void cj_book_free(cj_book *b);

/** "general", "cash", "bank", "detail", "columnar" -> the kind; -1 when unknown. */
int cj_book_kind_parse(const char *text);

#endif
