/*
 * internal.h - declarations shared inside ledger_importers only
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_IMPORTERS_INTERNAL_H
#define CUNJI_IMPORTERS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <importers/problem.h>
#include <importers/sheet.h>
#include <ledger/db.h>
#include <ledger/money.h>
#include <ledger/sql.h>

/*
 * The transaction an import writes in: its own when the caller holds none,
 * else a savepoint in the caller's, so that a refusal or a dry run takes
 * back the import's writes and nothing of the caller's (whose transaction
 * stays usable after a database error inside the import).
 */
typedef struct cj__txn {
	cj_db *db;
	int own;  /* BEGIN was ours */
	int open; /* begun and not yet ended */
} cj__txn;

int cj__txn_begin(cj__txn *t, cj_db *db);
/* Commit (or release the savepoint); on failure everything is rolled back. */
int cj__txn_commit(cj__txn *t);
/* Roll back (to the savepoint) when open, keeping the handle's message. */
void cj__txn_rollback(cj__txn *t);
/* Commit when keep (not a dry run, something to write), else roll back. */
int cj__txn_finish(cj__txn *t, int keep);
/* What COMMIT checks (the deferred triggers: cash and bank, voucher counters,
 * vouchers with lines), now: a dry run refuses what the real run would. */
int cj__check_deferred(cj_db *db);

/* "1,234.56" (grouped) */
const char *cj__yuan(char buf[CJ_MONEY_FMT_MAX], int64_t fen);

/* Whether every field of the sheet's current row is blank (spaces only). */
int cj__row_blank(const cj_sheet *s);

/* The end of checking: 0 when the list is empty; otherwise every problem
 * to cb in row order, their number in *count, the handle's message
 * "FILE: N problems; nothing was imported" and CJ_EINVAL (CJ_ENOMEM when a
 * problem could not be kept). */
int cj__problems_hand_over(cj_db *db, cj_problems *l, const cj_import_cb *cb, size_t *count);

/* Put where before the handle's message ("funds.csv: row 4: fund X1: "
 * and what the database said); returns err. */
int cj__fail_where(cj_db *db, int err, const char *fmt, ...) CJ_PRINTF(3, 4);

/* The end of an import that failed: the handle's message names the file
 * (unless it does already) and says "nothing was imported"; returns err. */
int cj__fail_file(cj_db *db, int err, const char *file);

/* Progress through the callbacks: phase, step done of total. */
void cj__progress(const cj_import_cb *cb, const char *phase, uint64_t done, uint64_t total);

/* A note through the callbacks, formatted. */
void cj__note(const cj_import_cb *cb, const char *fmt, ...) CJ_PRINTF(2, 3);

#endif
