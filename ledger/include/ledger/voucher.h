/*
 * voucher.h - posting vouchers (记账凭证)
 *
 * A voucher is posted whole or not at all.  The rules (two or more lines,
 * debits equal credits, one non-zero side per line of at most
 * CJ_MONEY_LINE_MAX, leaf and active accounts of the voucher's village, a
 * date in an open period, an opening voucher in the books' first month, a
 * closing voucher on 31 December) are checked here in C and again by the
 * database, which has the last word and also refuses, at COMMIT, cash or bank
 * left in credit at a month end (unless negative_cash_reason says why) and a
 * closing voucher without its year closed (only cj_year_close posts them).
 *
 * Posting goes through a cj_poster, which caches each village's chart and
 * posts a batch of vouchers in one transaction: two pipelined round trips
 * (reserve numbers and ids; then one INSERT per table from arrays, and
 * COMMIT), so a batch of a thousand vouchers costs what one voucher does in
 * waiting.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_VOUCHER_H
#define CUNJI_LEDGER_VOUCHER_H

#include <stddef.h>
#include <stdint.h>

#include <ledger/date.h>
#include <ledger/db.h>
#include <ledger/money.h>

typedef enum cj_voucher_kind {
	CJ_VOUCHER_NORMAL,
	CJ_VOUCHER_OPENING,  /* 期初余额 */
	CJ_VOUCHER_CLOSING,  /* year-end 结转 */
	CJ_VOUCHER_REVERSAL  /* 红字冲销: amounts negated, same sides */
} cj_voucher_kind;

const char *cj_voucher_kind_name(cj_voucher_kind kind);

typedef struct cj_line {
	const char *account; /* leaf account code */
	cj_money debit;      /* exactly one of debit and credit is non-zero */
	cj_money credit;
	const char *summary;      /* may be NULL: the voucher's summary is used */
	const char *counterparty; /* household or unit; may be NULL */
	int64_t fund_id;          /* 0 = none */
	int64_t project_id;       /* 0 = none */
} cj_line;

typedef struct cj_voucher {
	int village_id;
	cj_date date;
	const char *summary;
	const char *preparer;    /* may be NULL */
	int attachments;
	const char *external_id; /* may be NULL; unique per village */
	cj_voucher_kind kind;
	int64_t reverses_id;     /* for reversals */
	const cj_line *lines;
	size_t nlines;
	/* Why this voucher may leave cash or bank (101, 102) in credit at a
	 * month end (a documented correction); NULL: the database refuses that.
	 * Recorded on the voucher. */
	const char *negative_cash_reason;
} cj_voucher;

/** What posting one voucher produced. */
typedef struct cj_posted {
	int64_t id;
	cj_period period;
	int number;  /* 记字第 number 号 within village and period */
	int existed; /* the external id was already posted with identical content */
} cj_posted;

/**
 * Check a voucher on its own, without the database: lines, amounts, balance.
 * Writes a message into err.  @return 0, CJ_EINVAL or CJ_EUNBALANCED
 */
CJ_MUST_CHECK int cj_voucher_check(const cj_voucher *v, char *err, size_t errsize);

/** The content hash used to recognise a safe retry of an external id. */
void cj_voucher_hash(const cj_voucher *v, char hex_out[65]);

typedef struct cj_poster cj_poster;

CJ_MUST_CHECK int cj_poster_new(cj_poster **out, cj_db *db);
void cj_poster_free(cj_poster *p);

/**
 * Post n vouchers in one transaction, all or nothing.  posted_out (n entries)
 * receives each voucher's id and number.  A voucher whose external id was
 * already posted in its village with identical content is not posted again:
 * its existing number is returned with existed = 1.  The same external id
 * with different content is refused.  On failure the error on the cj_db
 * names the voucher (its index in the batch, date and summary).
 */
CJ_MUST_CHECK int cj_post_batch(cj_poster *p, const cj_voucher *v, size_t n,
				cj_posted *posted_out);

/**
 * Post inside a transaction the caller has begun (on = 1): cj_post_batch then
 * neither begins, commits, rolls back nor retries; after a failure the caller
 * rolls back (the database may have aborted the transaction, or a check in
 * C refused the vouchers before anything was sent).  For work that must
 * commit with the vouchers or not at all (closing a year), or checks that
 * must still hold when they commit (a bank statement's balances, under the
 * village's lock).
 */
void cj_poster_join_transaction(cj_poster *p, int on);

/** A posted voucher, read back. */
typedef struct cj_voucher_info {
	int64_t id;
	int village_id;
	cj_period period;
	int number;
	cj_date date;
	cj_voucher_kind kind;
	char summary[400];
	char external_id[200];
	int64_t reverses_id;
	int64_t reversed_by; /* 0 when not voided */
} cj_voucher_info;

/** Find by village and "YYYY-MM-N" number. */
CJ_MUST_CHECK int cj_voucher_find_number(cj_db *db, int village_id, cj_period period, int number,
					 cj_voucher_info *out);
CJ_MUST_CHECK int cj_voucher_find_external(cj_db *db, int village_id, const char *external_id,
					   cj_voucher_info *out);

/**
 * Void a posted voucher by posting a red reversal (红字冲销) dated date: the
 * same lines with amounts negated, referencing the original.
 */
CJ_MUST_CHECK int cj_voucher_void(cj_poster *p, const cj_voucher_info *orig, cj_date date,
				  const char *preparer, cj_posted *out);

#endif
