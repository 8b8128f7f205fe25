/*
 * twophase.c - one piece of work over several connections, all or nothing
 *
 * PostgreSQL commits across connections (or servers) in two phases; the
 * parallel import uses it to post a file over several backends and still
 * land it whole.  The protocol, for a group of parts named by its prefix
 * ("cunji-import-<file hash>"):
 *   1. the coordinator holds cj_2pc_lock(prefix) for its session (lock.c)
 *      from before its first part begins until the last is settled;
 *   2. each part's transaction ends with PREPARE TRANSACTION '<prefix>-<k>'.
 *      The deferred constraint triggers run there, so a refusal fails that
 *      PREPARE, and the coordinator rolls every part back;
 *   3. once every part is prepared, the decision is a row of
 *      twophase_decision (schema 0018), committed in a transaction of its own;
 *   4. COMMIT PREPARED of every part, then the row goes.
 * A coordinator that dies (kill -9, power) leaves prepared parts that hold
 * their locks until settled: cj_db_recover commits the parts of a group
 * with a decision and rolls back those of a group without one, for every
 * group whose coordinator lock it can take (a live coordinator holds its
 * own).  Every command's schema check looks for such parts and settles them
 * (migrate.c); `cunji db recover` does it by hand.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ledger/i18n.h>

#include "internal.h"

static const char decide_sql[] =
	"INSERT INTO twophase_decision (gid_prefix, parts) VALUES ($1, $2::integer)";
static const char decided_sql[] = "SELECT 1 FROM twophase_decision WHERE gid_prefix = $1";
static const char forget_sql[] = "DELETE FROM twophase_decision WHERE gid_prefix = $1";
/* decisions whose parts are all settled (a coordinator that died between
 * its last COMMIT PREPARED and the DELETE): a decision is made only once
 * every part is prepared, so one without parts is done */
static const char stale_sql[] =
	"DELETE FROM twophase_decision d\n"
	" WHERE NOT EXISTS (SELECT 1 FROM pg_prepared_xacts p WHERE p.gid LIKE d.gid_prefix || '-%')";
static const char list_sql[] =
	"SELECT gid FROM pg_prepared_xacts\n"
	" WHERE database = current_database() AND gid LIKE 'cunji-%' ORDER BY gid";

/* A prefix goes into a statement's text (PREPARE TRANSACTION takes no
 * parameter): ours are lower-case letters, digits and '-'. */
static int
gid_ok(const char *prefix)
{
	size_t n = strlen(prefix);

	if (n == 0 || n > CJ_2PC_PREFIX_MAX || strncmp(prefix, "cunji-", 6))
		return 0;
	return strspn(prefix, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

static int
gid_statement(cj_db *db, const char *verb, const char *prefix, int part)
{
	char sql[CJ_2PC_PREFIX_MAX + 64];

	if (!gid_ok(prefix))
		return cj_db_fail(db, CJ_EINVAL, _("not a two-phase commit group: '%s'"), prefix);
	snprintf(sql, sizeof sql, "%s '%s-%d'", verb, prefix, part);
	return cj_db_exec(db, NULL, sql, 0, NULL);
}

int
cj_2pc_prepare(cj_db *db, const char *prefix, int part)
{
	return gid_statement(db, "PREPARE TRANSACTION", prefix, part);
}

int
cj_2pc_decide(cj_db *db, const char *prefix, int parts)
{
	char n[16];
	const char *params[2] = {prefix, n};

	snprintf(n, sizeof n, "%d", parts);
	return cj_db_exec(db, NULL, decide_sql, 2, params);
}

int
cj_2pc_finish(cj_db *db, const char *prefix, int parts, int commit)
{
	const char *params[1] = {prefix};
	int err = 0;

	for (int k = 0; k < parts; k++) {
		int e = gid_statement(db, commit ? "COMMIT PREPARED" : "ROLLBACK PREPARED", prefix, k);
		/* 42704: that part was never prepared (it failed, or had no work) */
		if (e && strcmp(cj_db_sqlstate(db), "42704") && !err)
			err = e;
	}
	if (!err && commit)
		err = cj_db_exec(db, NULL, forget_sql, 1, params);
	return err;
}

int
cj_2pc_slots(cj_db *db, int *slots)
{
	PGresult *res;
	int err = cj_db_exec(db, &res, "SELECT current_setting('max_prepared_transactions')", 0,
			     NULL);

	*slots = 0;
	if (err)
		return err;
	*slots = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* Settle one group whose coordinator is gone: its parts are gids[0..n). */
static int
settle(cj_db *db, const char *prefix, char **gids, int n, int *committed, int *rolled_back)
{
	const char *params[1] = {prefix};
	PGresult *res;
	int got, decided, err = cj__2pc_try_lock(db, prefix, &got);

	if (err || !got)
		return err; /* its coordinator is at work */
	err = cj_db_exec(db, &res, decided_sql, 1, params);
	if (!err) {
		decided = PQntuples(res) > 0;
		PQclear(res);
		for (int i = 0; i < n && !err; i++) {
			char sql[CJ_2PC_PREFIX_MAX + 64];
			snprintf(sql, sizeof sql, "%s '%s'", decided ? "COMMIT PREPARED" : "ROLLBACK PREPARED",
				 gids[i]);
			err = cj_db_exec(db, NULL, sql, 0, NULL);
			if (!err)
				++*(decided ? committed : rolled_back);
		}
		if (!err && decided)
			err = cj_db_exec(db, NULL, forget_sql, 1, params);
	}
	cj_2pc_unlock(db, prefix);
	return err;
}

int
cj_db_recover(cj_db *db, int *committed_out, int *rolled_back_out)
{
	PGresult *res;
	char **gids;
	int committed = 0, rolled_back = 0, err, n;

	if (committed_out)
		*committed_out = 0;
	if (rolled_back_out)
		*rolled_back_out = 0;
	if (cj__db_in_transaction(db))
		return cj_db_fail(db, CJ_EINVAL, _("prepared transactions are settled outside a transaction"));
	err = cj_db_exec(db, &res, list_sql, 0, NULL);
	if (err)
		return err;
	n = PQntuples(res);
	gids = calloc(n ? (size_t)n : 1, sizeof *gids);
	if (!gids) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	for (int i = 0; i < n && !err;) {
		/* the group: the gids (in order) up to the last '-' */
		char prefix[CJ_2PC_PREFIX_MAX + 1];
		const char *gid = PQgetvalue(res, i, 0), *dash = strrchr(gid, '-');
		size_t len = dash ? (size_t)(dash - gid) : 0;
		int k = 0;

		if (!dash || len > CJ_2PC_PREFIX_MAX || !gid_ok(gid)) {
			i++; /* not one of ours */
			continue;
		}
		memcpy(prefix, gid, len);
		prefix[len] = '\0';
		while (i < n && !strncmp(PQgetvalue(res, i, 0), prefix, len) &&
		       PQgetvalue(res, i, 0)[len] == '-')
			gids[k++] = PQgetvalue(res, i++, 0);
		err = settle(db, prefix, gids, k, &committed, &rolled_back);
	}
	free(gids);
	PQclear(res);
	if (!err)
		err = cj_db_exec(db, NULL, stale_sql, 0, NULL);
	if (committed_out)
		*committed_out = committed;
	if (rolled_back_out)
		*rolled_back_out = rolled_back;
	return err;
}
