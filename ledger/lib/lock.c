/*
 * lock.c - the advisory locks, named once
 *
 * PostgreSQL advisory locks are keyed by two integers; the first names a
 * key space, the second a thing in it.  The schema's triggers take the
 * village lock under the same number (4242, village_lock_key() since schema
 * 0014): a posting holds its villages shared, a period's change holds its
 * village exclusively (period_state_change), so no voucher lands in a month
 * while it closes.  C spells the number out: the migrations' lock is taken
 * before the schema, and its function, exist.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>

#include "internal.h"

#define KEY_VILLAGE 4242 /* a village's books; village 0: the schema itself (migrations) */
#define KEY_FILE 4243    /* an imported file, by hashtext() of its SHA-256 */

#define STR_(x) #x
#define STR(x) STR_(x)

int
cj_village_lock(cj_db *db, int village_id, int exclusive)
{
	static const char shared_sql[] =
		"SELECT pg_advisory_xact_lock_shared(" STR(KEY_VILLAGE) ", $1::integer)";
	static const char exclusive_sql[] =
		"SELECT pg_advisory_xact_lock(" STR(KEY_VILLAGE) ", $1::integer)";
	char id[16];
	const char *params[1] = {id};

	snprintf(id, sizeof id, "%d", village_id);
	return cj_db_exec(db, NULL, exclusive ? exclusive_sql : shared_sql, 1, params);
}

int
cj_file_lock(cj_db *db, const char *file_hash)
{
	static const char sql[] = "SELECT pg_advisory_xact_lock(" STR(KEY_FILE) ", hashtext($1))";
	const char *params[1] = {file_hash};

	return cj_db_exec(db, NULL, sql, 1, params);
}

int
cj__migration_lock(cj_db *db)
{
	return cj_db_exec(db, NULL, "SELECT pg_advisory_lock(" STR(KEY_VILLAGE) ", 0)", 0, NULL);
}

void
cj__migration_unlock(cj_db *db)
{
	/* straight through libpq: the handle keeps the error a migration left */
	PQclear(PQexec(cj_db_conn(db), "SELECT pg_advisory_unlock(" STR(KEY_VILLAGE) ", 0)"));
}
