/*
 * db.h - a connection to the ledger database
 *
 * A cj_db wraps one connection with search_path fixed to the cunji schema
 * and keeps the last error (message and SQLSTATE) on the handle.  This is
 * what a front-end sees: connecting, errors, transactions, the schema.  It
 * runs no SQL of its own; the libraries do, through <ledger/sql.h>.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_DB_H
#define CUNJI_LEDGER_DB_H

#include <stddef.h>

#include <ledger/error.h>

typedef struct cj_db cj_db;

/**
 * Connect with a conninfo string or URI ("postgresql://...", "host=... dbname=...").
 * Nothing is sent: search_path is fixed in the startup packet, whose options
 * replace PGOPTIONS and any options in the URL.  Check the schema before use
 * (cj_db_check_schema).
 * On failure *out is still set (so the message can be read) and must be freed.
 */
CJ_MUST_CHECK int cj_db_connect(cj_db **out, const char *conninfo);
/**
 * cj_db_connect as login user (NULL: whoever conninfo, PGUSER or the
 * operating system says) with password (NULL: PGPASSWORD, ~/.pgpass, or
 * none).  CJ_EAUTH when the server asked for a password and none was
 * available: a front-end may ask the person and try again.
 */
CJ_MUST_CHECK int cj_db_connect_user(cj_db **out, const char *conninfo, const char *user,
				     const char *password);
void cj_db_close(cj_db *db);
/**
 * 1 when the server asked for this connection's password and got it (SCRAM,
 * md5, password), 0 when it let the login in without one (peer, trust): a
 * front-end that signs people in by password refuses the latter.
 */
int cj_db_used_password(const cj_db *db);

/** The last error on this handle: one line, no trailing period. */
const char *cj_db_errmsg(const cj_db *db);
/** SQLSTATE of the last database error, or "" when it was not one. */
const char *cj_db_sqlstate(const cj_db *db);
/** Set the handle's error; returns status for `return cj_db_fail(...)`. */
int cj_db_fail(cj_db *db, int status, const char *fmt, ...) CJ_PRINTF(3, 4);
/**
 * Give db the error of another handle (a second connection of the same
 * work), message and SQLSTATE; returns status.
 */
int cj_db_fail_from(cj_db *db, const cj_db *from, int status);

CJ_MUST_CHECK int cj_db_begin(cj_db *db);
CJ_MUST_CHECK int cj_db_commit(cj_db *db);
/** Roll back, keeping the error that caused it. */
void cj_db_rollback(cj_db *db);

/**
 * Apply the embedded schema migrations not yet recorded in
 * cunji.schema_migrations, each in its own transaction, under an advisory
 * lock (creating the cunji schema first).  Re-running is a no-op.
 */
CJ_MUST_CHECK int cj_db_migrate(cj_db *db, int *applied_out);

/**
 * Check in one round trip that the database's schema has every migration of
 * this build, and that the connection fires triggers (refused when
 * session_replication_role is not 'origin').  When the schema is missing or
 * behind, *behind_out (may be NULL) is set and CJ_EREFUSED returned with a
 * message that says to run `cunji init`.
 */
CJ_MUST_CHECK int cj_db_check_schema(cj_db *db, int *behind_out);

/**
 * The schema's version (the highest migration applied) and, in names (may be
 * NULL; cut to size), the migrations' names in order, comma-separated.
 */
CJ_MUST_CHECK int cj_db_schema_version(cj_db *db, int *version, char *names, size_t size);

/**
 * Settle the prepared transactions a crashed import left (two-phase commit,
 * docs/importers.md): the parts of a group whose coordinator recorded its
 * decision are committed, the others rolled back; a group whose coordinator
 * is still at work is left alone.  Outside a transaction.  The counts may be
 * NULL.  Every command's schema check does this when it finds such parts.
 */
CJ_MUST_CHECK int cj_db_recover(cj_db *db, int *committed, int *rolled_back);
/** What cj_db_check_schema settled that way on this connection. */
void cj_db_recovered(const cj_db *db, int *committed, int *rolled_back);

#endif
