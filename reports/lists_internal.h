/*
 * lists_internal.h - what the list builders (lists*.c) share
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_LISTS_INTERNAL_H
#define CUNJI_REPORTS_LISTS_INTERNAL_H

#include <libpq-fe.h>
#include <ledger/db.h>
#include <reports/report.h>

/*
 * Run a list query and add its result to *r as a table called name: columns
 * from the query's "key|标题" names (see lists.c), NULL as a blank cell.  On
 * failure *r is freed and set NULL, so that a builder can return at once.
 */
CJ_MUST_CHECK int cj__list_query(cj_db *db, cj_report **r, const char *name, const char *sql,
				 int nparams, const char *const *params);
/* As cj__list_query, for a query already run in n parts (on several
 * connections): their rows one after the other; the results stay the
 * caller's. */
CJ_MUST_CHECK int cj__list_results(cj_db *db, cj_report **r, const char *name,
				   PGresult *const *results, int n);
/* Free *r, set it NULL and leave "out of memory" on db; returns CJ_ENOMEM. */
int cj__list_oom(cj_db *db, cj_report **r);

#endif
