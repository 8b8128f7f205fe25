/*
 * demo_internal.h - what the demo's files share
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_DEMO_INTERNAL_H
#define CUNJI_DEMO_INTERNAL_H

#include <stdint.h>

#include <demo/demo.h>
#include <ledger/ledger.h>

#define DEMO_PREPARER "演示记账员"

typedef struct demo {
	cj_db *db;
	cj_poster *poster;
	cj_demo_opts o;     /* the caller's, with the defaults filled in */
	cj_demo_result *res;
	int *ids;           /* village ids, by index */
} demo;

/* xorshift64*: small, fast and reproducible */
static inline uint64_t
demo_rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static inline cj_date
demo_day(int y, int m, int d)
{
	cj_date x = {y, m, d};
	return x;
}

void cj__demo_progress(demo *d, const char *phase, long done, long total);
/* Put what before the message on the handle: "what: message"; returns status. */
int cj__demo_fail(demo *d, int status, const char *what);

/* The county, its townships and villages with their sub-accounts (demo_books.c). */
CJ_MUST_CHECK int cj__demo_orgs(demo *d);
/* demo_logins.c: cj_demo_logins added to the database */
CJ_MUST_CHECK int cj__demo_logins(demo *d);
/* The year of vouchers: written as the clerks' CSV files and imported (demo_books.c). */
CJ_MUST_CHECK int cj__demo_vouchers(demo *d);
/* Funds, projects, aid, members and the distribution (demo_funds.c). */
CJ_MUST_CHECK int cj__demo_funds(demo *d);
/* Post one two-line voucher of fen, counterparty cp on both lines, tagged
 * with a fund (fund_id 0: none) (demo_funds.c). */
CJ_MUST_CHECK int cj__demo_post2(cj_poster *p, int village_id, cj_date date, const char *summary,
				 const char *debit, const char *credit, int64_t fen, int64_t fund_id,
				 const char *cp);
/* A few anomalies for audit scan to find (demo_anomalies.c). */
CJ_MUST_CHECK int cj__demo_anomalies(demo *d);

#endif
