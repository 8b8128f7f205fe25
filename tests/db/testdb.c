/*
 * testdb.c - helpers for tests against the embedded PostgreSQL
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>

#include <cmocka.h>

#include "testdb.h"

static cj_db *super;      /* testdb_super's connection */
static char super_db[128]; /* and its database */

/*
 * The database is made and migrated by the bootstrap superuser; the tests
 * run as the admin login of whoever runs them (the login every command uses
 * on the embedded cluster), so that a privilege the ledger's own calls lack
 * shows.  testdb_super() gives the superuser, for what only it may do.
 */
cj_db *
testdb_open(const char *name)
{
	char home[PATH_MAX], err[512];
	cj_db *db = NULL;

	cj_db_close(super); /* its database is made again */
	super = NULL;
	if (cj_cluster_home(home, sizeof home, err, sizeof err) ||
	    cj_cluster_recreate_db(home, name, err, sizeof err) ||
	    cj_cluster_connect(home, name, &db, err, sizeof err)) {
		fprintf(stderr, "test database: %s\n", err);
		exit(1);
	}
	testdb_ok(testdb_super(db), "CREATE FUNCTION public.reserve_numbers(vil int, per date, n int) "
			 "RETURNS int LANGUAGE sql AS $$ "
			 "INSERT INTO cunji.voucher_counter AS c (village_id, period, last_number) "
			 "VALUES (vil, date_trunc('month', per)::date, n) "
			 "ON CONFLICT (village_id, period) DO UPDATE SET last_number = c.last_number + n "
			 "RETURNING last_number - n $$");
	return db;
}

cj_db *
testdb_super(cj_db *db)
{
	char home[PATH_MAX], err[512], name[128];

	snprintf(name, sizeof name, "%s", PQdb(cj_db_conn(db)));
	/* one per database; a database made again dropped the old connection */
	if (super && (strcmp(name, super_db) || PQstatus(cj_db_conn(super)) != CONNECTION_OK)) {
		cj_db_close(super);
		super = NULL;
	}
	if (super)
		return super;
	if (cj_cluster_home(home, sizeof home, err, sizeof err) ||
	    cj_cluster_connect_as(home, name, "postgres", NULL, &super, err, sizeof err)) {
		fprintf(stderr, "test database as postgres: %s\n", err);
		exit(1);
	}
	snprintf(super_db, sizeof super_db, "%s", name);
	return super;
}

void
testdb_ok(cj_db *db, const char *sql)
{
	PGresult *res = PQexec(cj_db_conn(db), sql);
	ExecStatusType st = PQresultStatus(res);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		fail_msg("SQL failed: %s\n%s", sql, PQerrorMessage(cj_db_conn(db)));
	PQclear(res);
}

const char *
testdb_refused(cj_db *db, const char *sql, const char *sqlstate)
{
	static char msg[2048];
	char state[6];
	PGresult *res;
	ExecStatusType st;
	char *wrapped = malloc(strlen(sql) + 32);

	assert_non_null(wrapped);
	/* as the superuser, whom no privilege stops: the rule itself must refuse */
	db = testdb_super(db);
	/* BEGIN/COMMIT so that deferred checks run inside this call */
	sprintf(wrapped, "BEGIN; %s; COMMIT", sql);
	res = PQexec(cj_db_conn(db), wrapped);
	st = PQresultStatus(res);
	free(wrapped);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		PQclear(res);
		PQclear(PQexec(cj_db_conn(db), "ROLLBACK"));
		fail_msg("the database accepted what it must refuse: %s", sql);
	}
	snprintf(state, sizeof state, "%s",
		 PQresultErrorField(res, PG_DIAG_SQLSTATE) ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
							   : "");
	snprintf(msg, sizeof msg, "%s", PQerrorMessage(cj_db_conn(db)));
	PQclear(res);
	PQclear(PQexec(cj_db_conn(db), "ROLLBACK"));
	if (strcmp(state, sqlstate))
		fail_msg("refused with SQLSTATE %s, not %s: %s\n%s", state, sqlstate, msg, sql);
	return msg;
}

void
testdb_refused_for(cj_db *db, const char *sql, const char *sqlstate, const char *why)
{
	const char *msg = testdb_refused(db, sql, sqlstate);

	if (!strstr(msg, why))
		fail_msg("refused with %s, but not because '%s': %s\n%s", sqlstate, why, msg, sql);
}

void
testdb_fails(cj_db *db, int got, int want, const char *why)
{
	const char *msg = cj_db_errmsg(db);

	if (got != want || !strstr(msg, why))
		fail_msg("failed with %d, want %d because '%s': %s", got, want, why, msg);
}

long long
testdb_int(cj_db *db, const char *sql)
{
	PGresult *res = PQexec(cj_db_conn(db), sql);
	long long v;

	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) < 1)
		fail_msg("query failed: %s\n%s", sql, PQerrorMessage(cj_db_conn(db)));
	v = PQgetisnull(res, 0, 0) ? 0 : strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return v;
}

void
testdb_orgs(cj_db *db, int *v1, int *v2)
{
	cj_period start = {2025, 1};
	cj_org o;

	assert_int_equal(cj_org_add(db, CJ_ORG_COUNTY, "360925", "测试县", NULL, start), 0);
	assert_int_equal(cj_org_add(db, CJ_ORG_TOWNSHIP, "360925100", "测试镇", "360925", start), 0);
	assert_int_equal(cj_org_add(db, CJ_ORG_VILLAGE, "360925100301", "一村", "360925100", start), 0);
	assert_int_equal(cj_org_add(db, CJ_ORG_VILLAGE, "360925100302", "二村", "360925100", start), 0);
	assert_int_equal(cj_org_find(db, "360925100301", &o), 0);
	*v1 = o.id;
	assert_int_equal(cj_org_find(db, "360925100302", &o), 0);
	*v2 = o.id;
}

int
testdb_post2(cj_poster *p, int village, const char *date, const char *dr, const char *cr,
	     long long fen, cj_posted *out)
{
	cj_line lines[2];
	cj_voucher v;
	cj_posted tmp;

	memset(lines, 0, sizeof lines);
	memset(&v, 0, sizeof v);
	lines[0].account = dr;
	lines[0].debit = cj_money_from_fen(fen);
	lines[1].account = cr;
	lines[1].credit = cj_money_from_fen(fen);
	v.village_id = village;
	if (cj_date_parse(&v.date, date))
		return CJ_EINVAL;
	v.summary = "测试凭证";
	v.lines = lines;
	v.nlines = 2;
	return cj_post_batch(p, &v, 1, out ? out : &tmp);
}
