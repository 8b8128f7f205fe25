/*
 * chain.c - the heads of the villages' hash chains (schema 0021)
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ledger/audit.h>
#include <ledger/org.h>
#include <ledger/i18n.h>

#include "internal.h"

/* The villages under $1 (itself included), in cj_org_list's tree order. */
static const char heads_sql[] =
	"WITH RECURSIVE t AS (\n"
	"    SELECT o.id, o.code::text AS path FROM org o WHERE o.code = $1\n"
	"    UNION ALL\n"
	"    SELECT c.id, t.path || '/' || c.code FROM org c JOIN t ON c.parent_id = t.id)\n"
	"SELECT o.id, o.code, coalesce(h.seq, 0), coalesce(h.head, '" CJ_CHAIN_GENESIS "')\n"
	"  FROM t JOIN org o ON o.id = t.id AND o.level = 'village'\n"
	"  LEFT JOIN chain_head h ON h.village_id = o.id\n"
	" ORDER BY t.path";

static const char head_sql[] =
	"SELECT coalesce(h.seq, 0), coalesce(h.head, '" CJ_CHAIN_GENESIS "')\n"
	"  FROM (SELECT $1::int AS v) x LEFT JOIN chain_head h ON h.village_id = x.v";

static void
row_to_head(PGresult *res, int i, int first, cj_chain_head *h)
{
	h->seq = strtoll(PQgetvalue(res, i, first), NULL, 10);
	snprintf(h->head, sizeof h->head, "%s", PQgetvalue(res, i, first + 1));
}

int
cj_chain_heads(cj_db *db, const char *org_code, cj_chain_head **out, size_t *n)
{
	const char *params[1] = {org_code};
	cj_chain_head *heads;
	PGresult *res;
	cj_org root;
	int err, rows;

	*out = NULL;
	*n = 0;
	err = cj_org_find(db, org_code, &root);
	if (err)
		return err;
	err = cj_db_exec(db, &res, heads_sql, 1, params);
	if (err)
		return err;
	rows = PQntuples(res);
	heads = calloc(rows ? (size_t)rows : 1, sizeof *heads);
	if (!heads) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	for (int i = 0; i < rows; i++) {
		heads[i].village_id = atoi(PQgetvalue(res, i, 0));
		snprintf(heads[i].village_code, sizeof heads[i].village_code, "%s",
			 PQgetvalue(res, i, 1));
		row_to_head(res, i, 2, &heads[i]);
	}
	PQclear(res);
	*out = heads;
	*n = (size_t)rows;
	return 0;
}

int
cj_chain_head_of(cj_db *db, const char *village_code, cj_chain_head *out)
{
	char id[16];
	const char *params[1] = {id};
	PGresult *res;
	cj_org v;
	int err;

	memset(out, 0, sizeof *out);
	if (village_code && *village_code) {
		err = cj_village_find(db, village_code, &v);
		if (err)
			return err;
		out->village_id = v.id;
		snprintf(out->village_code, sizeof out->village_code, "%s", v.code);
	}
	snprintf(id, sizeof id, "%d", out->village_id);
	err = cj_db_exec(db, &res, head_sql, 1, params);
	if (err)
		return err;
	row_to_head(res, 0, 0, out);
	PQclear(res);
	return 0;
}
