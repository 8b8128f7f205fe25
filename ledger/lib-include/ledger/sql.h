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
 * the connection (a static string); its address identifies it.
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

#endif
