/*
 * testdb.h - helpers for tests that run against the embedded PostgreSQL
 *
 * Each test program gets its own fresh database in the cluster that ctest
 * started (CUNJI_HOME), with the schema applied.  A missing cluster is a
 * failure, never a skip: the ledger's rules live partly in the database.
 */
#ifndef CUNJI_TESTDB_H
#define CUNJI_TESTDB_H

#include <ledger/ledger.h>
#include <ledger/sql.h>

/* Fresh database `name`, migrated, connected as the admin login of the
 * user who runs the tests (not a superuser); aborts on failure. */
cj_db *testdb_open(const char *name);
/* A connection to db's database as the bootstrap superuser, opened once. */
cj_db *testdb_super(cj_db *db);

/* Run SQL that must succeed. */
void testdb_ok(cj_db *db, const char *sql);
/* Run SQL (in its own transaction, as the superuser, whom no privilege
 * stops) that the database must refuse with the SQLSTATE `sqlstate` (CJnnn
 * for the ledger's own rules).  Returns the error
 * message, for tests that also check what it names. */
const char *testdb_refused(cj_db *db, const char *sql, const char *sqlstate);
/* testdb_refused, and the message must hold `why`: one SQLSTATE (CJ003, CJ004 ...)
 * covers several rules, the message says which one refused. */
void testdb_refused_for(cj_db *db, const char *sql, const char *sqlstate, const char *why);
/* A library call that must fail: `got` (its status) must be `want` and the
 * message on the handle must hold `why`. */
void testdb_fails(cj_db *db, int got, int want, const char *why);

/* In raw SQL, `public.reserve_numbers(village, month, n)` reserves n voucher
 * numbers in voucher_counter as cunji does and returns the last number before
 * them: a voucher typed by hand must take its number from the counter. */
/* First cell of a query as an int64. */
long long testdb_int(cj_db *db, const char *sql);

/* County 360925 > township 360925100 > villages 360925100301, 360925100302 with books from 2025-01; ids out. */
void testdb_orgs(cj_db *db, int *v1, int *v2);

/* Post a simple two-line voucher; returns the cj_* status. */
int testdb_post2(cj_poster *p, int village, const char *date, const char *dr, const char *cr,
		 long long fen, cj_posted *out);

#endif
