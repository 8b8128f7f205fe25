/*
 * migrate.c - forward-only schema migrations, and the check that the
 * database is current
 *
 * schema/NNNN_name.sql files are compiled in (see embed_schema.cmake) and
 * applied in name order, each in its own transaction together with its row
 * in cunji.schema_migrations.  An advisory lock keeps two processes from
 * migrating at once.  Every command checks the schema in one round trip
 * (cj_db_check_schema); only `init`, or that check finding the embedded
 * default behind, migrates.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ledger/i18n.h>

#include "internal.h"
#include "migrate_files.h"

/* One round trip, under the lock: the table, and what it holds. */
static const char setup_sql[] =
	"CREATE SCHEMA IF NOT EXISTS cunji;\n"
	"CREATE TABLE IF NOT EXISTS cunji.schema_migrations (\n"
	"    version    integer PRIMARY KEY,\n"
	"    name       text NOT NULL,\n"
	"    applied_at timestamptz NOT NULL DEFAULT now()\n"
	");\n"
	"SELECT current_setting('session_replication_role'), m.version\n"
	"  FROM (SELECT 1) one LEFT JOIN cunji.schema_migrations m ON true";

/* After the files: the privileges, policies and definer triggers of 0015,
 * applied again, as the owner (the role that owns the schema). */
static const char secure_sql[] =
	"SELECT cunji.secure_schema() WHERE to_regprocedure('cunji.secure_schema()') IS NOT NULL";

/* ... and the audit triggers on every table that lacks them (0021) */
static const char audit_sql[] =
	"SELECT cunji.audit_attach() WHERE to_regprocedure('cunji.audit_attach()') IS NOT NULL";

/* Before each file: the owner's role, once it owns the schema (0015 on). */
static const char as_owner_sql[] =
	"SELECT set_config('role', 'cunji_owner', false) FROM pg_namespace n\n"
	" WHERE n.nspname = 'cunji' AND n.nspowner = (SELECT oid FROM pg_roles\n"
	"                                              WHERE rolname = 'cunji_owner');\n";

/* ... and whether a crashed import left prepared transactions (twophase.c) */
static const char check_sql[] =
	"SELECT current_setting('session_replication_role'),\n"
	"       count(*) FILTER (WHERE version = ANY ($1::int[])), coalesce(max(version), 0),\n"
	"       (SELECT count(*) FROM pg_prepared_xact() p WHERE p.gid LIKE 'cunji-%')\n"
	"  FROM cunji.schema_migrations";

static const char version_sql[] =
	"SELECT coalesce(max(version), 0), coalesce(string_agg(name, ', ' ORDER BY version), '')\n"
	"  FROM cunji.schema_migrations";

/*
 * session_replication_role = replica (ALTER ROLE or ALTER DATABASE ... SET)
 * turns every ordinary trigger off, and with them the ledger's rules and
 * kept totals: refuse to work on such a connection.
 */
static int
check_role(cj_db *db, const char *role)
{
	if (!strcmp(role, "origin"))
		return 0;
	return cj_db_fail(db, CJ_EREFUSED,
			  _("session_replication_role is '%s' on this connection (set by ALTER ROLE or "
			  "ALTER DATABASE): the ledger's triggers would not run, so cunji will not work "
			  "on it"),
			  role);
}

/* The schema as the files left it, for audit verify (0022, audit_schema.c). */
static int
record_fingerprint(cj_db *db)
{
	PGresult *res;
	int err = cj_db_exec(db, &res,
			     "SELECT to_regclass('cunji.schema_fingerprint') IS NOT NULL", 0, NULL);
	int has = !err && !strcmp(PQgetvalue(res, 0, 0), "t");

	if (!err)
		PQclear(res);
	if (!err && has)
		err = cj_db_exec(db, NULL, cj__schema_record_sql, 0, NULL);
	return err;
}

static int
nfiles_and_last(int *last)
{
	int n = 0;

	*last = 0;
	for (const cj_schema_file *f = cj_schema_files; f->name; f++, n++)
		*last = atoi(f->name);
	return n;
}

/*
 * Run one file and record it, as one implicit transaction (one round trip).
 * Once the owner role owns the schema (0015), a file runs as it, so that
 * what it makes is the owner's; RESET ROLE after the file also ends the
 * SET ROLE of 0015 itself.
 */
static int
apply_one(cj_db *db, const cj_schema_file *f)
{
	PGconn *conn = cj_db_conn(db);
	char *name = PQescapeLiteral(conn, f->name, strlen(f->name));
	cj_buf sql = CJ_BUF_INIT;
	PGresult *res;
	int err = 0;

	cj__buf_puts(&sql, as_owner_sql);
	cj__buf_puts(&sql, f->sql);
	cj__buf_printf(&sql,
		       "\n;INSERT INTO cunji.schema_migrations (version, name) VALUES (%d, %s);\n"
		       "RESET ROLE",
		       atoi(f->name), name ? name : "''");
	PQfreemem(name);
	if (!name || !cj__buf_ok(&sql)) {
		cj__buf_free(&sql);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	res = PQexec(conn, sql.data);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
		const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		err = cj_db_fail(db, CJ_EDB, _("schema migration %s failed: %s"), f->name,
				 msg ? msg : PQerrorMessage(conn));
	}
	PQclear(res);
	cj__buf_free(&sql);
	return err;
}

static int
is_applied(const PGresult *res, int version)
{
	for (int i = 0; i < PQntuples(res); i++)
		if (!PQgetisnull(res, i, 1) && atoi(PQgetvalue(res, i, 1)) == version)
			return 1;
	return 0;
}

int
cj_db_migrate(cj_db *db, int *applied_out)
{
	PGresult *res;
	int applied = 0, err;

	if (applied_out)
		*applied_out = 0;
	/* nothing to do (the usual case), and nothing a login may not do: no DDL */
	if (!cj_db_check_schema(db, NULL))
		return 0;
	/* a session lock, held across the files' transactions */
	err = cj__migration_lock(db);
	if (err)
		return err;
	res = PQexec(cj_db_conn(db), setup_sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		err = cj_db_fail(db, CJ_EDB, _("cannot create the cunji schema: %s"),
				 msg ? msg : PQerrorMessage(cj_db_conn(db)));
	} else {
		err = check_role(db, PQgetvalue(res, 0, 0));
	}
	for (const cj_schema_file *f = cj_schema_files; f->name && !err; f++)
		if (!is_applied(res, atoi(f->name)) && !(err = apply_one(db, f)))
			applied++;
	PQclear(res);
	/* what the roles may do holds whatever order the files ran in (0015) */
	if (!err && applied)
		err = cj_db_exec(db, NULL, secure_sql, 0, NULL);
	if (!err && applied)
		err = cj_db_exec(db, NULL, audit_sql, 0, NULL);
	if (!err && applied)
		err = record_fingerprint(db);
	cj__migration_unlock(db);
	if (applied_out)
		*applied_out = applied;
	return err;
}

int
cj_db_check_schema(cj_db *db, int *behind_out)
{
	cj_buf versions = CJ_BUF_INIT;
	const char *params[1];
	PGresult *res;
	int have, want, nfiles = nfiles_and_last(&want), err;

	if (behind_out)
		*behind_out = 0;
	cj__buf_putc(&versions, '{');
	for (const cj_schema_file *f = cj_schema_files; f->name; f++)
		cj__buf_printf(&versions, "%s%d", f == cj_schema_files ? "" : ",", atoi(f->name));
	cj__buf_putc(&versions, '}');
	if (!cj__buf_ok(&versions))
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	params[0] = versions.data;
	err = cj_db_exec(db, &res, check_sql, 1, params);
	cj__buf_free(&versions);
	if (err == CJ_EDB &&
	    (!strcmp(cj_db_sqlstate(db), "42P01") || !strcmp(cj_db_sqlstate(db), "3F000"))) {
		if (behind_out)
			*behind_out = 1;
		return cj_db_fail(db, CJ_EREFUSED,
				  _("the database has no cunji schema yet; run 'cunji --db URL init'"));
	}
	if (err)
		return err;
	err = check_role(db, PQgetvalue(res, 0, 0));
	have = atoi(PQgetvalue(res, 0, 2));
	if (!err && atoi(PQgetvalue(res, 0, 1)) < nfiles) {
		if (behind_out)
			*behind_out = 1;
		err = cj_db_fail(db, CJ_EREFUSED,
				 _("the database schema is at version %d and this cunji needs %d (or misses "
				 "one before it); run 'cunji --db URL init'"),
				 have, want);
	}
	/* settle them; a role that may not (another user's) leaves them to
	 * `cunji db recover` */
	if (!err && atoi(PQgetvalue(res, 0, 3)) > 0) {
		int committed, rolled_back;
		if (cj_db_recover(db, &committed, &rolled_back))
			cj_db_fail(db, 0, "%s", "");
		else
			cj__db_note_recovered(db, committed, rolled_back);
	}
	PQclear(res);
	return err;
}

int
cj_db_schema_version(cj_db *db, int *version, char *names, size_t size)
{
	PGresult *res;
	int err = cj_db_exec(db, &res, version_sql, 0, NULL);

	if (err)
		return err;
	*version = atoi(PQgetvalue(res, 0, 0));
	if (names)
		cj__strlcpy(names, PQgetvalue(res, 0, 1), size);
	PQclear(res);
	return 0;
}
