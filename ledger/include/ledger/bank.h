/*
 * bank.h - 银行存款余额调节表: a bank statement's lines against the ledger
 *
 * The lines of a bank's statement (read by `cunji bank statement` with the
 * reader of `import bank`) are kept per village and bank account (schema
 * 0027).  Each may be reconciled with one ledger line of that account, the
 * same money the same way: a receipt on the statement with a debit of the
 * bank account, a payment with a credit.  cj_bank_match pairs them by amount
 * and nearest date; cj_bank_mark pairs one by hand (replacing what was
 * there), cj_bank_unmark takes a pair back.
 *
 * The reconciliation of a month-end E (cj_bank_reconcile) starts at the
 * statement's first day S: before S (and the opening voucher) the ledger and
 * the bank are taken to agree, as `import bank` checks.  Voided vouchers and
 * their red reversals cancel and are left out.  Outstanding at E are the
 * lines dated S..E that are not reconciled, or reconciled with a line dated
 * after E:
 *   企业银行存款日记账余额 + 银行已收企业未收 − 银行已付企业未付
 *     = 银行对账单余额 + 企业已收银行未收 − 企业已付银行未付
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_BANK_H
#define CUNJI_LEDGER_BANK_H

#include <stddef.h>
#include <stdint.h>

#include <ledger/date.h>
#include <ledger/db.h>
#include <ledger/error.h>
#include <ledger/voucher.h>

/* A statement line to keep. */
typedef struct cj_bank_line {
	cj_date date;
	int64_t in_fen, out_fen, balance_fen;
	const char *summary; /* counterparty and memo */
	const char *row_key; /* from the row itself: the same row read again is the same key */
} cj_bank_line;

/**
 * Keep a statement's lines (in date order) for a village's bank account
 * (102 or one under it, a leaf); lines kept before (same row_key) are left.
 * *added (may be NULL): how many were new.  In the caller's transaction
 * when one is open, else in one of its own.
 */
CJ_MUST_CHECK int cj_bank_statement_add(cj_db *db, int village_id, const char *account,
					const char *source, const cj_bank_line *lines, size_t n,
					size_t *added);

/** Days apart a statement line and a ledger line may be and still be paired by cj_bank_match. */
#define CJ_BANK_MATCH_DAYS 10

/**
 * Pair the account's unreconciled statement lines with its unreconciled
 * ledger lines: the same amount the same way, the nearest date within
 * max_days (then the earlier voucher).  *matched: pairs made.
 */
CJ_MUST_CHECK int cj_bank_match(cj_db *db, int village_id, const char *account, int max_days,
				size_t *matched);

/**
 * Reconcile statement line statement_id with voucher v's line on the
 * statement line's account of the same amount, by hand: a pair either had
 * before is taken back.  CJ_ENOTFOUND when there is no such line or voucher
 * line (the message says which).
 */
CJ_MUST_CHECK int cj_bank_mark(cj_db *db, int village_id, int64_t statement_id,
			       const cj_voucher_info *v);
/** Take statement line statement_id's pair back; CJ_ENOTFOUND when it had none. */
CJ_MUST_CHECK int cj_bank_unmark(cj_db *db, int village_id, int64_t statement_id);

typedef enum cj_bank_side {
	CJ_BANK_BANK_IN,    /* 银行已收、企业未收 */
	CJ_BANK_BANK_OUT,   /* 银行已付、企业未付 */
	CJ_BANK_LEDGER_IN,  /* 企业已收、银行未收 */
	CJ_BANK_LEDGER_OUT, /* 企业已付、银行未付 */
} cj_bank_side;

/* An outstanding line (未达账项). */
typedef struct cj_bank_item {
	cj_bank_side side;
	cj_date date;
	int64_t fen;           /* positive */
	int64_t statement_id;  /* a statement line: its id; else 0 */
	char voucher[24];      /* a ledger line: its voucher's number "2025-03-7"; else "" */
	char summary[400];
} cj_bank_item;

typedef struct cj_bank_recon {
	char account[16], account_name[200];
	cj_date start, end;      /* the statement's first day; the month-end */
	int64_t ledger_fen;      /* 企业银行存款日记账余额 at end */
	int64_t statement_fen;   /* 银行对账单余额 at end (the last line's balance) */
	int64_t sum[4];          /* by cj_bank_side */
	int64_t ledger_adjusted, statement_adjusted; /* the two sides, equal when all is well */
	size_t statement_lines, reconciled;          /* lines through end, and of them paired */
	cj_bank_item *items;     /* by side, then date */
	size_t nitems;
} cj_bank_recon;

/**
 * The reconciliation of the account at end.  CJ_ENOTFOUND (with the
 * message) when the account has no statement line on or before end.  Free
 * with cj_bank_recon_free.
 */
CJ_MUST_CHECK int cj_bank_reconcile(cj_db *db, int village_id, const char *account, cj_date end,
				    cj_bank_recon *out);
void cj_bank_recon_free(cj_bank_recon *r);

#endif
