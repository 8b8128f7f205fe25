/*
 * sql.h - SQL on a cj_db, for the libraries only
 *
 * ledger_core, ledger_importers and ledger_reports run their statements
 * through these calls so that every statement is checked the same way.  A
 * front-end does not include this header (its build target does not see
 * this directory): it calls library functions, which is how no SQL ends up
 * in a front-end.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_SQL_H
#define CUNJI_LEDGER_SQL_H

#include <libpq-fe.h>
#include <ledger/db.h>

/** The underlying connection, for code that needs libpq directly (COPY). */
PGconn *cj_db_conn(cj_db *db);

/**
 * Open another connection to db's database, with the settings db was opened
 * with (its startup options included); the error, if any, is left on db.
 */
CJ_MUST_CHECK int cj_db_clone(cj_db *db, cj_db **out);

/**
 * Run one statement with text parameters and check its status: rows for a
 * query (PGRES_TUPLES_OK) or none (PGRES_COMMAND_OK).  *res_out, when given,
 * receives the result (free with PQclear).  Database errors are mapped to a
 * cj_status by SQLSTATE (23505 -> CJ_EEXISTS, CJ001 -> CJ_ECLOSED ...).
 */
CJ_MUST_CHECK int cj_db_exec(cj_db *db, PGresult **res_out, const char *sql, int nparams,
			     const char *const *params);

/**
 * As cj_db_exec, for a statement run many times: it is prepared on the
 * connection the first time.  sql must be a string that lives as long as
 * the connection (a static string); its address identifies it.  Outside a
 * transaction the statement commits on its own, and a refusal at that
 * COMMIT (a deferred check) is its error, as with cj_db_exec.
 */
CJ_MUST_CHECK int cj_db_exec_prepared(cj_db *db, PGresult **res_out, const char *sql,
				      int nparams, const char *const *params);

/**
 * Hold a village's books until the end of the transaction: shared, as every
 * posting holds them (the triggers take this lock), or exclusive, as a
 * period's close does.  Code that checks the books and then writes (a
 * running balance, say) holds it exclusively between the two, so that no
 * voucher lands in between.
 */
CJ_MUST_CHECK int cj_village_lock(cj_db *db, int village_id, int exclusive);

/**
 * Hold an imported file (by its SHA-256, hex) until the end of the
 * transaction: a second import of the same file waits for the first and
 * then finds it logged.
 */
CJ_MUST_CHECK int cj_file_lock(cj_db *db, const char *file_hash);

/*
 * Two-phase commit of one piece of work spread over several connections
 * (twophase.c).  The coordinator holds cj_2pc_lock for its session while it
 * works; each connection's transaction ends with cj_2pc_prepare (part k of
 * the group named by prefix, "cunji-import-<hash>"); once all are prepared,
 * cj_2pc_decide records the decision in its own transaction, and
 * cj_2pc_finish commits (or rolls back) every part.  cj_db_recover (db.h)
 * settles the groups a crashed coordinator left: committed when decided,
 * rolled back otherwise.
 */
#define CJ_2PC_PREFIX_MAX 96
CJ_MUST_CHECK int cj_2pc_lock(cj_db *db, const char *prefix);
void cj_2pc_unlock(cj_db *db, const char *prefix);
CJ_MUST_CHECK int cj_2pc_prepare(cj_db *db, const char *prefix, int part);
CJ_MUST_CHECK int cj_2pc_decide(cj_db *db, const char *prefix, int parts);
/** Commit (or roll back) parts 0..parts-1 of prefix, from db (outside a
 * transaction); the decision row goes once all are done. */
CJ_MUST_CHECK int cj_2pc_finish(cj_db *db, const char *prefix, int parts, int commit);
/** The server's max_prepared_transactions. */
CJ_MUST_CHECK int cj_2pc_slots(cj_db *db, int *slots);

/* A text our schema or a library's SQL made (English) in the reader's language,
 * in place: matched against the known patterns (db_messages.c). */
void cj_db_translate(char *msg, size_t size);

#endif
