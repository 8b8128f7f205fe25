/*
 * db.c - the connection handle and the one place statements are checked
 *
 * Every statement goes through cj_db_exec, which checks the exact result
 * status and turns a failure into a cj_status plus a one-line message kept
 * on the handle (libpq keeps PQerrorMessage on the connection the same way).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ledger/i18n.h>

#include "internal.h"

#define MAX_PREPARED 32

struct cj_db {
	PGconn *conn;
	char errmsg[1024];
	char sqlstate[6];
	const char *prepared[MAX_PREPARED]; /* statement texts prepared on this connection */
	int nprepared;
	int recovered[2]; /* prepared transactions the schema check settled: committed, rolled back */
};

static void
notice_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message; /* NOTICEs from IF NOT EXISTS and friends are not news */
}

int
cj_db_fail(cj_db *db, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(db->errmsg, sizeof db->errmsg, fmt, ap);
	va_end(ap);
	db->sqlstate[0] = '\0';
	return status;
}

int
cj_db_fail_from(cj_db *db, const cj_db *from, int status)
{
	if (db != from) {
		cj__strlcpy(db->errmsg, from->errmsg, sizeof db->errmsg);
		cj__strlcpy(db->sqlstate, from->sqlstate, sizeof db->sqlstate);
	}
	return status;
}

/* Keep libpq's message on one line, without the trailing newline. */
static void
set_pq_error(cj_db *db, const char *msg)
{
	size_t n;

	if (!strncmp(msg, "ERROR:  ", 8))
		msg += 8;
	cj__strlcpy(db->errmsg, msg, sizeof db->errmsg);
	n = strlen(db->errmsg);
	while (n > 0 && (db->errmsg[n - 1] == '\n' || db->errmsg[n - 1] == ' '))
		db->errmsg[--n] = '\0';
}

/*
 * Connecting sends nothing: search_path comes with the startup packet.
 * `options` is given after the conninfo, so it replaces any options from
 * the URL and the PGOPTIONS environment variable, which could otherwise
 * switch the ledger's triggers off for a superuser
 * (-c session_replication_role=replica) or change what our queries mean.
 */
int
cj_db_connect_user(cj_db **out, const char *conninfo, const char *user, const char *password)
{
	static const char *const keys[] = {"dbname", "fallback_application_name", "client_encoding",
					    "options", "user", "password", NULL};
	const char *vals[] = {conninfo, "cunji", "UTF8", "-c search_path=cunji,pg_catalog",
			      user, password, NULL};
	cj_db *db;

	*out = NULL;
	db = calloc(1, sizeof *db);
	if (!db)
		return CJ_ENOMEM;
	*out = db;
	/* a NULL value is no value: the conninfo's, the environment's or libpq's default applies */
	db->conn = PQconnectdbParams(keys, vals, 1);
	if (!db->conn)
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory connecting to the database"));
	if (PQstatus(db->conn) != CONNECTION_OK) {
		set_pq_error(db, PQerrorMessage(db->conn));
		return PQconnectionNeedsPassword(db->conn) ? CJ_EAUTH : CJ_EDB;
	}
	PQsetNoticeProcessor(db->conn, notice_quiet, NULL);
	return 0;
}

int
cj_db_used_password(const cj_db *db)
{
	return db && db->conn && PQconnectionUsedPassword(db->conn);
}

int
cj_db_connect(cj_db **out, const char *conninfo)
{
	return cj_db_connect_user(out, conninfo, NULL, NULL);
}

/*
 * Another connection to the same database, as this one was made (PQconninfo
 * gives the host, database, user, options ... it was opened with): for work
 * spread over several connections (the parallel import).
 */
int
cj_db_clone(cj_db *db, cj_db **out)
{
	PQconninfoOption *opts = PQconninfo(db->conn), *o;
	const char *keys[64], *vals[64];
	int n = 0;
	cj_db *c;

	*out = NULL;
	if (!opts)
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	for (o = opts; o->keyword && n < 63; o++)
		if (o->val) {
			keys[n] = o->keyword;
			vals[n++] = o->val;
		}
	keys[n] = vals[n] = NULL;
	c = calloc(1, sizeof *c);
	if (c)
		c->conn = PQconnectdbParams(keys, vals, 0);
	PQconninfoFree(opts);
	if (!c || !c->conn) {
		cj_db_close(c);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory connecting to the database"));
	}
	if (PQstatus(c->conn) != CONNECTION_OK) {
		set_pq_error(db, PQerrorMessage(c->conn));
		db->sqlstate[0] = '\0';
		cj_db_close(c);
		return CJ_EDB;
	}
	PQsetNoticeProcessor(c->conn, notice_quiet, NULL);
	*out = c;
	return 0;
}

void
cj_db_close(cj_db *db)
{
	if (!db)
		return;
	if (db->conn)
		PQfinish(db->conn);
	free(db);
}

const char *
cj_db_errmsg(const cj_db *db)
{
	return db ? db->errmsg : "out of memory";
}

const char *
cj_db_sqlstate(const cj_db *db)
{
	return db ? db->sqlstate : "";
}

PGconn *
cj_db_conn(cj_db *db)
{
	return db->conn;
}

void
cj__db_note_recovered(cj_db *db, int committed, int rolled_back)
{
	db->recovered[0] += committed;
	db->recovered[1] += rolled_back;
}

void
cj_db_recovered(const cj_db *db, int *committed, int *rolled_back)
{
	*committed = db->recovered[0];
	*rolled_back = db->recovered[1];
}

static int
status_of_sqlstate(const char *s)
{
	if (!strcmp(s, "23505"))
		return CJ_EEXISTS;
	if (!strcmp(s, "40001") || !strcmp(s, "40P01"))
		return CJ_ERETRY;
	if (!strcmp(s, "CJ001"))
		return CJ_ECLOSED;
	if (!strcmp(s, "CJ002"))
		return CJ_EUNBALANCED;
	if (!strcmp(s, "42501")) /* a privilege or a row-level security policy */
		return CJ_EREFUSED;
	if (!strncmp(s, "CJ", 2))
		return CJ_EREFUSED;
	if (!strncmp(s, "23", 2) || !strncmp(s, "22", 2))
		return CJ_EINVAL;
	return CJ_EDB;
}

/* Record the error of a failed result and map it to a status. */
static int
fail_result(cj_db *db, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	if (primary && state && !strcmp(state, "42501")) {
		/* our schema's refusals by role are translated as the CJnnn ones */
		char why[sizeof db->errmsg];

		cj__strlcpy(why, primary, sizeof why);
		cj__db_translate(why, sizeof why);
		snprintf(db->errmsg, sizeof db->errmsg, _("login %s may not do this: %s"),
			 PQuser(db->conn), why);
	}
	else if (primary)
		cj__strlcpy(db->errmsg, primary, sizeof db->errmsg);
	else
		set_pq_error(db, PQerrorMessage(db->conn));
	cj__strlcpy(db->sqlstate, state ? state : "", sizeof db->sqlstate);
	if (primary && state && !strncmp(state, "CJ", 2))
		cj__db_translate(db->errmsg, sizeof db->errmsg);
	if (PQstatus(db->conn) != CONNECTION_OK)
		return CJ_EDB;
	return state ? status_of_sqlstate(state) : CJ_EDB;
}

int
cj_db_exec(cj_db *db, PGresult **res_out, const char *sql, int nparams, const char *const *params)
{
	PGresult *res;
	ExecStatusType st;

	if (res_out)
		*res_out = NULL;
	res = PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	st = PQresultStatus(res);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		int err = fail_result(db, res);
		PQclear(res);
		return err;
	}
	if (res_out)
		*res_out = res;
	else
		PQclear(res);
	return 0;
}

/*
 * The hot statements of posting are prepared once per connection: parsing
 * and planning them anew each time cost more than running them.  The
 * statement's text (a static string) is its identity.  The first use sends
 * the Parse in the same round trip as the execution (pipeline mode), so a
 * process that runs a statement once pays no extra round trip for it.
 */
int
cj_db_exec_prepared(cj_db *db, PGresult **res_out, const char *sql, int nparams,
		    const char *const *params)
{
	cj__stmt st = {sql, nparams, params, 1, res_out};

	return cj__db_pipeline(db, &st, 1);
}

#define PIPELINE_MAX 8

int
cj__db_pipeline(cj_db *db, cj__stmt *stmts, int n)
{
	char name[16];
	int err = 0, entry = db->nprepared, parsed = 0;
	unsigned char parse[PIPELINE_MAX] = {0}; /* a Parse goes before statement i */

	if (n > PIPELINE_MAX)
		return cj_db_fail(db, CJ_ERROR, _("too many statements in one pipeline"));
	for (int i = 0; i < n; i++)
		if (stmts[i].res)
			*stmts[i].res = NULL;
	if (PQenterPipelineMode(db->conn) != 1)
		return cj_db_fail(db, CJ_EDB, _("cannot enter pipeline mode"));
	for (int i = 0; i < n && !err; i++) {
		int k = MAX_PREPARED, ok = 1;

		if (stmts[i].prepare) {
			for (k = 0; k < db->nprepared && db->prepared[k] != stmts[i].sql; k++)
				;
			snprintf(name, sizeof name, "cj_%d", k);
			if (k == db->nprepared && k < MAX_PREPARED) {
				ok = PQsendPrepare(db->conn, name, stmts[i].sql, stmts[i].nparams, NULL);
				db->prepared[db->nprepared++] = stmts[i].sql;
				parse[i] = 1;
			}
		}
		if (ok && k < MAX_PREPARED)
			ok = PQsendQueryPrepared(db->conn, name, stmts[i].nparams, stmts[i].params, NULL,
						 NULL, 0);
		else if (ok)
			ok = PQsendQueryParams(db->conn, stmts[i].sql, stmts[i].nparams, NULL,
					       stmts[i].params, NULL, NULL, 0);
		if (!ok)
			err = fail_result(db, NULL);
	}
	if (PQpipelineSync(db->conn) != 1 && !err)
		err = fail_result(db, NULL);
	/* per statement: the Parse's result when one was sent, then its own; each ends with NULL */
	for (int i = 0; i < n && !err; i++) {
		for (int step = parse[i] ? 0 : 1; step < 2 && !err; step++) {
			PGresult *res = PQgetResult(db->conn);
			ExecStatusType st = PQresultStatus(res);

			if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
				err = fail_result(db, res);
				PQclear(res);
			} else if (step == 0) {
				parsed++;
				PQclear(res);
			} else if (stmts[i].res) {
				*stmts[i].res = res;
			} else {
				PQclear(res);
			}
			while ((res = PQgetResult(db->conn)) != NULL)
				PQclear(res);
		}
	}
	/*
	 * Drain whatever is left up to the sync, then leave pipeline mode.  Outside
	 * a transaction the statements run in one implicit transaction that the
	 * server commits at the Sync: a deferred constraint trigger refusing there
	 * (voucher_counter_used, commit_check_run ...) sends its error after every
	 * statement's own result.  It is the call's error: nothing was written.
	 */
	for (;;) {
		PGresult *res = PQgetResult(db->conn);
		if (!res) {
			if (PQstatus(db->conn) != CONNECTION_OK)
				break;
			continue;
		}
		if (PQresultStatus(res) == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			break;
		}
		if (!err && PQresultStatus(res) == PGRES_FATAL_ERROR)
			err = fail_result(db, res);
		PQclear(res);
	}
	PQexitPipelineMode(db->conn);
	/* after a failure the server skipped the rest: only the Parses it confirmed exist */
	db->nprepared = entry + parsed;
	if (err)
		for (int i = 0; i < n; i++)
			if (stmts[i].res) {
				PQclear(*stmts[i].res);
				*stmts[i].res = NULL;
			}
	return err;
}

int
cj_db_begin(cj_db *db)
{
	return cj_db_exec(db, NULL, "BEGIN", 0, NULL);
}

int
cj_db_commit(cj_db *db)
{
	return cj_db_exec(db, NULL, "COMMIT", 0, NULL);
}

int
cj__db_in_transaction(cj_db *db)
{
	return PQtransactionStatus(db->conn) != PQTRANS_IDLE;
}

void
cj_db_rollback(cj_db *db)
{
	PGresult *res = PQexec(db->conn, "ROLLBACK");

	PQclear(res);
}
