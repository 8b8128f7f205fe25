/*
 * internal.h - declarations shared inside ledger_core only
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_INTERNAL_H
#define CUNJI_LEDGER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <ledger/buf.h>
#include <ledger/grow.h>
#include <ledger/ledger.h>
#include <ledger/numbering.h>
#include <ledger/sql.h>

/* One statement of a pipeline. */
typedef struct cj__stmt {
	const char *sql;           /* a static string when prepare is set */
	int nparams;
	const char *const *params;
	int prepare;               /* prepare once per connection and reuse */
	PGresult **res;            /* receives the result, or NULL */
} cj__stmt;

/* Run n (at most 8) statements in one round trip (libpq pipeline mode); a
 * statement to prepare that is not yet is prepared in the same round trip.
 * Stops at the first failure: its error is on the handle and the rest are
 * skipped. */
int cj__db_pipeline(cj_db *db, cj__stmt *stmts, int n);

/* Append an element to a PostgreSQL array literal being built ("{" first,
 * "}" last); NULL text appends NULL. */
void cj__buf_array_text(cj_buf *b, const char *s);
void cj__buf_array_i64(cj_buf *b, int64_t v);


/* cj_numbers_reserve (numbering.c) as one statement of a pipeline: posting
 * begins its transaction, reserves and reads the closed months in one round
 * trip.  Params in the order of g: $1 villages, $2 months (dates), $3
 * counts, $4 how many ids. */
typedef struct cj__reserve {
	cj_buf villages, months, counts;
	char nids[24];
	const char *params[4];
} cj__reserve;

extern const char cj__reserve_sql[];
int cj__reserve_params(cj_db *db, cj__reserve *r, const cj_numbers *g, size_t n, size_t nids);
int cj__reserve_take(cj_db *db, const PGresult *res, cj_numbers *g, size_t n, int64_t *ids,
		     size_t nids);
void cj__reserve_free(cj__reserve *r);

cj_db *cj__poster_db(cj_poster *p);
/* action_draft.c: where the village requires review (*review), a ledger
 * action saves v[0..n) as one batch of drafts and runs sql, which records
 * the action in draft_action; params[0] is left for $1, set to the drafts'
 * ids ("{…}", in the order of v).  One transaction (or the caller's). */
int cj__action_review(cj_db *db, int village_id, int *review);
int cj__action_drafts(cj_db *db, const cj_voucher *v, size_t n, const char *sql, int nparams,
		      const char **params, cj_submitted *out);

/* Free text that sheets and books print (names, document numbers), each
 * by cj_text_check: the first that fails sets the handle's message
 * "<where>: <what> holds a line break after '…'" and returns CJ_EINVAL.
 * texts[2k] names text texts[2k + 1] (NULL texts are skipped). */
int cj__texts_check(cj_db *db, const char *where, const char *const *texts, size_t n);

/* Whether a transaction is open on the connection: a write operation then
 * runs inside the caller's instead of beginning and committing its own. */
int cj__db_in_transaction(cj_db *db);
/* db.c: what the schema check's recovery settled (cj_db_recovered) */
void cj__db_note_recovered(cj_db *db, int committed, int rolled_back);

/* The schema's own lock (lock.c), held for the session while migrations run. */
int cj__migration_lock(cj_db *db);
/* lock.c: a two-phase commit's coordinator lock, if free (*got) */
int cj__2pc_try_lock(cj_db *db, const char *prefix, int *got);
void cj__migration_unlock(cj_db *db);

/* cluster.c: the directory of PostgreSQL's programs (pg_ctl, pg_dump ...):
 * $CUNJI_PG_BINDIR, else the first of Debian's and the source build's that
 * holds pg_ctl; NULL when none does. */
const char *cj__pg_bindir(void);

/* Parse a bigint/int column value. */
int64_t cj__int64(const char *s);

/* Format an int64 into a small buffer (for text parameters). */
#define CJ_I64_MAX 24
const char *cj__i64(char buf[CJ_I64_MAX], int64_t v);

/* "YYYY-MM-01" for a period, into buf (>= 11 bytes). */
void cj__period_date(char *buf, size_t size, cj_period p);
/* Parse "YYYY-MM-DD" from the database (trusted). */
cj_date cj__date_from_db(const char *s);

/* Bounded string copy that always NUL-terminates. */
void cj__strlcpy(char *dst, const char *src, size_t size);
/* A refusal of our schema (CJnnn) in the reader's language, in place (db_messages.c). */
void cj__db_translate(char *msg, size_t size);

/* audit verify (audit_verify.c, audit_schema.c) */
/* The tables not audited row by row, as a text[] literal: audit_excluded() of 0021. */
extern const char cj__audit_excluded[];
/* The statement that records the schema's fingerprint (migrate.c runs it). */
extern const char cj__schema_record_sql[];
/* The schema against its fingerprint; *items: how many it compared. */
int cj__audit_verify_schema(cj_db *db, cj_findings *out, size_t *items);

#endif
