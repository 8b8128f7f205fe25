/*
 * bank_import.h - a bank statement posted through rules (cunji import bank)
 *
 * Each row of the statement (CSV or XLSX, its header found in its first 30
 * rows, newest first or oldest first) becomes a voucher: the bank account on
 * one side, on the other the account the first matching rule names
 * (bank_rules.h), with the rule's fund, project and summary.  Every row
 * must match a rule.  The statement's running balance (余额) is checked
 * against the ledger: the account's balance before the first row plus the
 * movements must give each row's balance, and the ledger through the last
 * row's day plus the rows not yet posted must give the last balance (a
 * receipt already posted by hand is caught, not posted twice).  Each row's
 * external id is derived from the row itself, so a re-import posts only the
 * rows not posted before.
 *
 * The check and the posting run in one transaction that holds the village's
 * books still (the village lock), so nothing posted in between can make the
 * checked balances stale: a posting in progress is waited for, then seen.
 *
 * Transaction: when the caller holds none, the import runs its own, and
 * after a deadlock or a serialization failure (a posting that reserved its
 * numbers before the import took the lock) reads and checks the file again,
 * up to three attempts.  Inside the caller's transaction it works in a
 * savepoint: a file with problems or a dry run takes back only its own
 * writes, and a deadlock is returned as CJ_ERETRY for the caller to run its
 * transaction again.  The caller's transaction then holds the village lock
 * until it ends.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_IMPORTERS_BANK_IMPORT_H
#define CUNJI_IMPORTERS_BANK_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include <importers/problem.h>
#include <ledger/date.h>
#include <ledger/db.h>

typedef struct cj_bank_import_opts {
	const char *village;  /* the village's code */
	const char *account;  /* the bank account: 102 or one under it, a leaf */
	const char *rules;    /* the rules file (bank_rules.h) */
	const char *name;     /* the statement as messages name it (default: its path) */
	const char *preparer; /* 制单人 on the vouchers (NULL: none) */
	int dry_run;          /* check everything, post nothing */
	const char *sheet; /* an XLSX file's worksheet, by name or number (NULL: the first) */
	cj_import_cb cb;
} cj_bank_import_opts;

/** A row of the statement, as posted (or to be posted). */
typedef struct cj_bank_import_row {
	size_t row;            /* as a spreadsheet shows it */
	cj_date date;
	int64_t in_fen, out_fen, balance_fen;
	char account[16];      /* the other side, from the rule */
	char summary[400];
	int existed;           /* posted by an earlier import: left as it is */
} cj_bank_import_row;

typedef struct cj_bank_import_result {
	char encoding[24];     /* "UTF-8", "GB18030", "XLSX" ... */
	char account[16];      /* the bank account and its name */
	char account_name[200];
	size_t posted;         /* vouchers posted (with dry_run: that would be) */
	size_t existing;       /* rows posted by an earlier import */
	int64_t opening_fen;   /* the account's balance before the first row's day */
	int64_t in_fen, out_fen;         /* every row */
	int64_t new_in_fen, new_out_fen; /* the rows posted */
	char first[24], last[24];        /* numbers posted: "2025-03-1" (drafts: "草稿12") */
	int64_t batch_id;                /* review required: the drafts' batch, else 0 */
	cj_bank_import_row *rows;        /* in date order */
	size_t nrows;
	size_t nproblems;      /* reported through cb.problem */
	size_t unmatched;      /* rows that no rule matches (among the problems) */
	int attempts;          /* 2 or 3 when a deadlock made it read the file again */
} cj_bank_import_result;

/**
 * Check a statement and post its new rows.  A dry run posts them too, in
 * the transaction, so that the database's checks have their say, and
 * rolls back.  Free the result with cj_bank_import_result_dispose whatever
 * the return.
 * @return 0 (posted, nothing new, or dry run done); CJ_EINVAL when the
 *         statement or the rules have problems (each through cb.problem,
 *         nothing posted); CJ_ERETRY (inside the caller's transaction
 *         only) after a deadlock; otherwise an error with its message on
 *         db (the file cannot be read, the village or account is not one,
 *         the database refused)
 */
CJ_MUST_CHECK int cj_import_bank(cj_db *db, const char *path, const cj_bank_import_opts *opts,
				 cj_bank_import_result *result);

/**
 * Many villages' statements through one rules file (cunji import bank
 * --township): the ctx of cj_bank_batch_step, a cj_batch_step
 * (<ledger/batch.h>) that imports the statement of one village as
 * cj_import_bank does, all or nothing.  opts gives the account, the rules,
 * the preparer, dry_run, the sheet and the callbacks; its village and name
 * are set per village.  msg says what was posted (or would be).
 */
typedef struct cj_bank_batch {
	cj_bank_import_opts opts;
	const char *const *villages; /* village codes ... */
	const char *const *paths;    /* ... the statement of each ... */
	const char *const *names;    /* ... and its name in messages (NULL: the path) */
	size_t n;
} cj_bank_batch;

/**
 * Read and parse opts->rules alone, before many villages use it: its
 * problems through opts->cb (the file and line of each), *nproblems how
 * many.  0, CJ_EINVAL when it has problems, or an error on db (it cannot be
 * read).  What the rules name (accounts, funds) is each village's, checked
 * by its import.
 */
CJ_MUST_CHECK int cj_bank_rules_check(cj_db *db, const cj_bank_import_opts *opts, size_t *nproblems);

struct cj_org;
int cj_bank_batch_step(cj_db *db, const struct cj_org *village, void *ctx, char *msg, size_t size);

/* What cj_bank_statement_load kept. */
typedef struct cj_bank_statement_result {
	char encoding[24];
	char account[16], account_name[200];
	size_t lines;            /* rows of the statement */
	size_t added;            /* lines new to the books (the others were read before) */
	int64_t in_fen, out_fen; /* every row */
	char first[16], last[16]; /* the first and the last row's dates */
	size_t nproblems;
} cj_bank_statement_result;

/**
 * Read a bank statement as cj_import_bank reads it (the same columns,
 * header search, dates and amounts) and keep its lines for reconciliation
 * (ledger/bank.h), posting nothing; opts->rules is not used.  Each row's
 * balance must follow from the row before.  All or nothing; a dry run
 * checks and keeps nothing.
 * @return 0; CJ_EINVAL when the statement has problems (through cb.problem)
 */
CJ_MUST_CHECK int cj_bank_statement_load(cj_db *db, const char *path,
					 const cj_bank_import_opts *opts,
					 cj_bank_statement_result *r);

/** Free what a result holds (not the struct). */
void cj_bank_import_result_dispose(cj_bank_import_result *result);

#endif
