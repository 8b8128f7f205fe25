/*
 * stamp.c - a short text that changes whenever what a page shows of an
 * organisation's villages may have changed (see <ledger/org.h>)
 *
 * The web server keeps a rendered page per session until its villages'
 * stamp changes.  The stamp (schema 0035, village_stamp) counts the rows
 * that only ever grow (posted vouchers, drafts and their events, period and
 * year closings) and hashes the small tables that can be edited in place
 * (the chart, funds, projects, the villages' names), each read by its
 * village-leading key, within the caller's scope (my_villages(): the
 * login's, as row-level security decides what the page shows).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>
#include <ledger/i18n.h>

#include "internal.h"

/* schema 0035: counted and hashed as the owner, within the caller's scope */
static const char stamp_sql[] = "SELECT village_stamp($1)";

int
cj_org_stamp(cj_db *db, const char *code, char *out, size_t size)
{
	const char *params[1] = {code};
	PGresult *res;
	int err;

	if (size)
		*out = '\0';
	if ((err = cj_db_exec_prepared(db, &res, stamp_sql, 1, params)))
		return err;
	if (PQntuples(res) == 1)
		cj__strlcpy(out, PQgetvalue(res, 0, 0), size);
	PQclear(res);
	return 0;
}
