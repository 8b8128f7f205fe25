/*
 * bank_batch.c - one rules file, the statements of many villages: the
 * batch step of cunji import bank --township (see cj_bank_batch in
 * <importers/bank_import.h>)
 *
 * Each village's statement is one cj_import_bank, all or nothing; the
 * batch loop (ledger/batch.c) goes on to the next village after a refusal.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include <importers/bank_import.h>
#include <ledger/i18n.h>
#include <ledger/org.h>

int
cj_bank_batch_step(cj_db *db, const cj_org *village, void *ctx, char *msg, size_t size)
{
	const cj_bank_batch *b = ctx;
	cj_bank_import_opts o = b->opts;
	cj_bank_import_result r;
	size_t i;
	int err;

	for (i = 0; i < b->n && strcmp(b->villages[i], village->code); i++)
		;
	if (i == b->n)
		return cj_db_fail(db, CJ_EINVAL, _("no statement for %s %s"), village->code, village->name);
	o.village = village->code;
	o.name = b->names && b->names[i] ? b->names[i] : b->paths[i];
	memset(&r, 0, sizeof r);
	err = cj_import_bank(db, b->paths[i], &o, &r);
	if (!err && o.dry_run)
		snprintf(msg, size, _("%s: would post %zu voucher(s), %zu already imported"), o.name,
			 r.posted, r.existing);
	else if (!err && !r.posted)
		snprintf(msg, size, _("%s: nothing new (%zu row(s) already imported)"), o.name, r.nrows);
	else if (!err && r.batch_id)
		snprintf(msg, size, _("%s: %zu draft(s) of batch %lld, to be reviewed"), o.name, r.posted,
			 (long long)r.batch_id);
	else if (!err)
		snprintf(msg, size, _("%s: posted %zu voucher(s) (%s … %s), %zu already imported"), o.name,
			 r.posted, r.first, r.last, r.existing);
	else if (err == CJ_EINVAL && r.nproblems)
		cj_db_fail(db, err, _("%s: %zu problem(s), nothing posted"), o.name, r.nproblems);
	cj_bank_import_result_dispose(&r);
	return err;
}
