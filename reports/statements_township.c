/*
 * statements_township.c - the statements of many villages, one village at
 * a time, each all or nothing (the batch step of cunji statement
 * --township; see cj_statement_set in <reports/statements.h>)
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ledger/i18n.h>
#include <ledger/org.h>
#include <ledger/grow.h>
#include <ledger/sql.h>
#include <reports/statements.h>

static int
keep(cj_db *db, cj_statement_set *s, cj_report *r, int kind, const char *village)
{
	size_t c1 = s->cap, c2 = s->cap, c3 = s->cap;

	/* three arrays of one capacity, each grown the one way */
	if (cj_grow((void **)&s->reports, &c1, s->n + 1, sizeof *s->reports) ||
	    cj_grow((void **)&s->kinds, &c2, s->n + 1, sizeof *s->kinds) ||
	    cj_grow((void **)&s->villages, &c3, s->n + 1, sizeof *s->villages))
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	s->cap = c1 < c2 ? (c1 < c3 ? c1 : c3) : (c2 < c3 ? c2 : c3);
	s->reports[s->n] = r;
	s->kinds[s->n] = kind;
	snprintf(s->villages[s->n], sizeof s->villages[0], "%s", village);
	s->n++;
	return 0;
}

int
cj_statement_set_step(cj_db *db, const cj_org *village, void *ctx, char *msg, size_t size)
{
	cj_statement_set *s = ctx;
	size_t first = s->n, built = 0;
	int err = 0;

	for (int bit = CJ_ST_BALANCE_SHEET; bit <= CJ_ST_LEDGER && !err; bit <<= 1) {
		cj_report *r = NULL;

		if (!(s->which & bit))
			continue;
		switch (bit) {
		case CJ_ST_BALANCE_SHEET:
			err = cj_statement_balance_sheet(db, village->code, s->span, &r);
			break;
		case CJ_ST_INCOME:
			err = cj_statement_income(db, village->code, s->span, &r);
			break;
		case CJ_ST_BALANCES:
			err = cj_statement_balances(db, village->code, s->span, &r);
			break;
		case CJ_ST_DETAIL:
			err = cj_statement_detail(db, village->code, s->span, &r);
			break;
		default:
			err = cj_statement_ledger(db, village->code, s->account, s->span, &r);
			break;
		}
		/* a statement that does not agree refuses the village: its message stays on db */
		if (!err && r->ntables &&
		    cj_table_rename(r, r->tables[0], "%s %s", village->name, r->tables[0]->name))
			err = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		if (!err)
			err = keep(db, s, r, bit, village->code);
		if (err)
			cj_report_free(r);
		else
			built++;
	}
	if (err) {
		/* all or nothing: none of this village's statements stays */
		for (size_t i = first; i < s->n; i++)
			cj_report_free(s->reports[i]);
		s->n = first;
		return err;
	}
	snprintf(msg, size, _("%zu statement(s)"), built);
	return 0;
}

void
cj_statement_set_free(cj_statement_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		cj_report_free(s->reports[i]);
	free(s->reports);
	free(s->kinds);
	free(s->villages);
	s->reports = NULL;
	s->kinds = NULL;
	s->villages = NULL;
	s->n = s->cap = 0;
}
