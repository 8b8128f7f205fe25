/*
 * books.h - reading the books: trial balance, detail ledger, journal export
 *
 * Balances are signed debit-positive fen (debit - credit).  Presentation
 * splits them into 借/贷 columns by sign.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_BOOKS_H
#define CUNJI_LEDGER_BOOKS_H

#include <stdint.h>
#include <stdio.h>

#include <ledger/account.h>
#include <ledger/date.h>
#include <ledger/db.h>
#include <ledger/org.h>
#include <ledger/span.h>

/** One account row of a trial balance (科目余额表). */
typedef struct cj_tb_row {
	char code[16];
	char name[200];
	int level; /* 1 = first-level; sub-accounts 2, 3 ... */
	cj_category category;
	char normal_side;
	int64_t opening; /* 期初余额, debit positive */
	int64_t debit;   /* 本期借方发生额 */
	int64_t credit;  /* 本期贷方发生额 */
	int64_t closing; /* 期末余额 = opening + debit - credit */
} cj_tb_row;

typedef struct cj_tb {
	cj_org scope;       /* the village, township or county */
	int nvillages;      /* villages summed */
	cj_period from, to;
	cj_tb_row *rows;    /* accounts with any figure, by code */
	size_t nrows;
	/* Totals over first-level rows, each balance split by side. */
	int64_t opening_debit, opening_credit;
	int64_t debit, credit;
	int64_t closing_debit, closing_credit;
} cj_tb;

/**
 * Trial balance of an organisation for months from..to.  A village shows
 * every account with its sub-accounts; a township or county sums its
 * villages by first-level account (sub-accounts differ between villages).
 * Free with cj_tb_free.
 */
CJ_MUST_CHECK int cj_tb_build(cj_db *db, const char *org_code, cj_period from, cj_period to,
			      cj_tb **out);
void cj_tb_free(cj_tb *tb);

/** One line of a detail ledger (明细账), with the running balance. */
typedef struct cj_ledger_row {
	cj_date date;
	cj_period period;
	int number;          /* 记字第 number 号 */
	int kind;            /* cj_voucher_kind */
	char summary[400];
	char counterparty[200];
	int64_t debit;
	int64_t credit;
	int64_t balance;     /* after this line, debit positive */
} cj_ledger_row;

typedef struct cj_ledger {
	cj_org village;
	cj_account account;
	cj_period from, to;
	int64_t opening;     /* balance before the first month */
	cj_ledger_row *rows;
	size_t nrows;
	int64_t debit, credit, closing;
} cj_ledger;

/** Detail ledger of one account (with its sub-accounts) for months from..to. */
CJ_MUST_CHECK int cj_ledger_build(cj_db *db, int village_id, const char *account_code,
				  cj_period from, cj_period to, cj_ledger **out);
void cj_ledger_free(cj_ledger *l);

/**
 * Write a village's vouchers as a plain-text journal that hledger and
 * ledger-cli read: one transaction per voucher, account names
 * "CODE 名称:CODE 名称", amounts in CNY.  span NULL means every month; a
 * span writes its months' vouchers after one transaction that brings the
 * balances forward to its first day (上年结转, or 期初结转 when it starts
 * after January).
 */
CJ_MUST_CHECK int cj_journal_export(cj_db *db, int village_id, const cj_span *span, FILE *out);

/** What `cunji check` found: one line per problem, naming village and month. */
typedef struct cj_books_check_result {
	char **problems;
	size_t nproblems;
	long long vouchers, lines;
} cj_books_check_result;

/**
 * Verify the books against what the database keeps: every account's, fund's
 * and project's kept totals against the lines; voucher numbers per village
 * and month (a number missing below the highest, a counter behind the
 * highest number, which jams the month, or ahead of it, which leaves a gap).
 * Free with cj_books_check_free.
 */
CJ_MUST_CHECK int cj_books_check(cj_db *db, cj_books_check_result *out);
void cj_books_check_free(cj_books_check_result *r);

#endif
