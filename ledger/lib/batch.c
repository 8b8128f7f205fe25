/*
 * batch.c - one step for many villages, each all or nothing
 * (see <ledger/batch.h>)
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ledger/batch.h>
#include <ledger/money.h>
#include <ledger/period.h>
#include <ledger/i18n.h>

#include "internal.h"

static int
org_cmp(const void *a, const void *b)
{
	return strcmp(((const cj_org *)a)->code, ((const cj_org *)b)->code);
}

int
cj_batch_villages(cj_db *db, const char *township, const char *const *codes, size_t ncodes,
		  cj_batch *out)
{
	cj_org *orgs = NULL, *v;
	size_t n = 0, k = 0;
	int err = 0;

	memset(out, 0, sizeof *out);
	if (township && township[0]) {
		if ((err = cj_org_list(db, township, &orgs, &n)))
			return err;
	}
	v = calloc(n + ncodes + 1, sizeof *v);
	if (!v) {
		free(orgs);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	for (size_t i = 0; i < n; i++)
		if (orgs[i].level == CJ_ORG_VILLAGE)
			v[k++] = orgs[i];
	free(orgs);
	for (size_t i = 0; i < ncodes && !err; i++)
		if (!(err = cj_village_find(db, codes[i], &v[k])))
			k++;
	if (!err && !k)
		err = cj_db_fail(db, CJ_EINVAL, _("%s has no villages"), township ? township : _("the list"));
	if (err) {
		free(v);
		return err;
	}
	qsort(v, k, sizeof *v, org_cmp);
	out->items = calloc(k, sizeof *out->items);
	if (!out->items) {
		free(v);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	/* a village named twice (in the township and the list) runs once */
	for (size_t i = 0; i < k; i++)
		if (!out->n || strcmp(out->items[out->n - 1].village.code, v[i].code))
			out->items[out->n++].village = v[i];
	free(v);
	return 0;
}

int
cj_batch_run(cj_db *db, cj_batch *b, cj_batch_step step, void *ctx, const cj_callbacks *cb)
{
	b->done = b->refused = 0;
	for (size_t i = 0; i < b->n; i++) {
		cj_batch_item *it = &b->items[i];
		int err;

		if (cb && cb->progress)
			cb->progress("villages", i, b->n, cb->payload);
		it->message[0] = '\0';
		err = step(db, &it->village, ctx, it->message, sizeof it->message);
		if (!err) {
			it->state = CJ_BATCH_DONE;
			b->done++;
			continue;
		}
		it->state = CJ_BATCH_REFUSED;
		b->refused++;
		cj__strlcpy(it->message, cj_db_errmsg(db), sizeof it->message);
		/* the step rolled its own work back; a lost connection ends the run */
		if (PQtransactionStatus(cj_db_conn(db)) != PQTRANS_IDLE)
			cj_db_rollback(db);
		if (PQstatus(cj_db_conn(db)) != CONNECTION_OK)
			break;
	}
	if (cb && cb->progress)
		cb->progress("villages", b->n, b->n, cb->payload);
	return b->done == b->n ? 0 : CJ_EREFUSED;
}

void
cj_batch_free(cj_batch *b)
{
	free(b->items);
	memset(b, 0, sizeof *b);
}

int
cj_batch_period_close(cj_db *db, const cj_org *village, void *ctx, char *msg, size_t size)
{
	const cj_period *p = ctx;
	int err = cj_period_close(db, village->id, *p, NULL);

	if (!err)
		snprintf(msg, size, _("%04d-%02d closed"), p->year, p->month);
	return err;
}

int
cj_batch_year_close(cj_db *db, const cj_org *village, void *ctx, char *msg, size_t size)
{
	const cj_batch_year *y = ctx;
	cj_year_close_result r;
	cj_poster *poster;
	char money[CJ_MONEY_FMT_MAX];
	int err;

	if (!y->empty_months_ok && (err = cj_year_unposted(db, village->id, y->year)))
		return err;
	if (cj_poster_new(&poster, db))
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	err = cj_year_close(poster, village->id, y->year, y->preparer, &r);
	cj_poster_free(poster);
	if (!err) {
		if (cj_money_format(money, sizeof money, r.net_income, CJ_MONEY_FMT_GROUPED) < 0)
			money[0] = '\0';
		snprintf(msg, size, _("year %d closed, %d closing voucher%s, net income %s"), y->year,
			 r.nvouchers, r.nvouchers == 1 ? "" : "s", money);
	}
	return err;
}
