/*
 * migrate.c - forward-only schema migrations
 *
 * schema/NNNN_name.sql files are compiled in (see embed_schema.cmake) and
 * applied in name order, each in its own transaction together with its row
 * in cunji.schema_migrations.  An advisory lock keeps two processes from
 * migrating at once.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "migrate_files.h"

static const char create_table_sql[] =
	"CREATE TABLE IF NOT EXISTS cunji.schema_migrations (\n"
	"    version    integer PRIMARY KEY,\n"
	"    name       text NOT NULL,\n"
	"    applied_at timestamptz NOT NULL DEFAULT now()\n"
	")";

static const char applied_sql[] = "SELECT 1 FROM cunji.schema_migrations WHERE version = $1";

static const char record_sql[] =
	"INSERT INTO cunji.schema_migrations (version, name) VALUES ($1, $2)";

static int
apply_one(cj_db *db, const cj_schema_file *f, int *applied)
{
	char version[16];
	const char *params[2];
	PGresult *res = NULL;
	int err;

	snprintf(version, sizeof version, "%d", atoi(f->name));
	params[0] = version;
	params[1] = f->name;

	err = cj_db_exec(db, &res, applied_sql, 1, params);
	if (err)
		return err;
	if (PQntuples(res) > 0) {
		PQclear(res);
		return 0;
	}
	PQclear(res);

	/* The file runs as one simple-query batch inside our transaction. */
	res = PQexec(cj_db_conn(db), f->sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
		const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		err = cj_db_fail(db, CJ_EDB, "schema migration %s failed: %s", f->name,
				 msg ? msg : PQerrorMessage(cj_db_conn(db)));
		PQclear(res);
		return err;
	}
	PQclear(res);
	err = cj_db_exec(db, NULL, record_sql, 2, params);
	if (!err)
		(*applied)++;
	return err;
}

int
cj_db_migrate(cj_db *db, int *applied_out)
{
	int applied = 0, err;

	err = cj_db_begin(db);
	if (!err)
		err = cj_db_exec(db, NULL, "SELECT pg_advisory_xact_lock(4242, 0)", 0, NULL);
	if (!err)
		err = cj_db_exec(db, NULL, create_table_sql, 0, NULL);
	if (!err)
		err = cj_db_commit(db);
	if (err) {
		cj_db_rollback(db);
		return err;
	}
	for (const cj_schema_file *f = cj_schema_files; f->name && !err; f++) {
		err = cj_db_begin(db);
		if (!err)
			err = cj_db_exec(db, NULL, "SELECT pg_advisory_xact_lock(4242, 0)", 0, NULL);
		if (!err)
			err = apply_one(db, f, &applied);
		if (!err)
			err = cj_db_commit(db);
		if (err)
			cj_db_rollback(db);
	}
	if (applied_out)
		*applied_out = applied;
	return err;
}

int
cj_db_check_schema(cj_db *db)
{
	PGresult *res;
	const char *last = NULL;
	int have, want, err;

	for (const cj_schema_file *f = cj_schema_files; f->name; f++)
		last = f->name;
	want = last ? atoi(last) : 0;
	err = cj_db_exec(db, &res, "SELECT coalesce(max(version), 0) FROM cunji.schema_migrations",
			 0, NULL);
	if (err == CJ_EDB && !strcmp(cj_db_sqlstate(db), "42P01"))
		return cj_db_fail(db, CJ_EREFUSED,
				  "the database has no cunji schema yet; run 'cunji --db URL init'");
	if (err)
		return err;
	have = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (have < want)
		return cj_db_fail(db, CJ_EREFUSED,
				  "the database schema is at version %d and this cunji needs %d; run "
				  "'cunji --db URL init'",
				  have, want);
	return 0;
}
