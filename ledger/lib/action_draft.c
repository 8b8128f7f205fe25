/*
 * action_draft.c - a ledger action where review is required: its vouchers
 * saved as drafts, with what the action records (schema 0032)
 *
 * project pay, project accept, aid pay, dividend post and dividend pay post
 * vouchers and record them elsewhere.  Where the village requires review
 * they call cj__action_drafts instead of posting: one batch of drafts and,
 * for each, its row of draft_action, in one transaction.  The database
 * writes the action's own rows when the drafts are posted (cunji voucher
 * post), so that nothing of the action shows before then, and a deleted
 * draft takes its action with it.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ledger/i18n.h>

#include "internal.h"

int
cj__action_review(cj_db *db, int village_id, int *review)
{
	return cj_review_required(db, village_id, review);
}

int
cj__action_drafts(cj_db *db, const cj_voucher *v, size_t n, const char *sql, int nparams,
		  const char **params, cj_submitted *out)
{
	cj_buf ids = CJ_BUF_INIT;
	int64_t *draft_ids, batch = 0;
	int err, own = !cj__db_in_transaction(db);

	if (!n)
		return 0;
	draft_ids = calloc(n, sizeof *draft_ids);
	if (!draft_ids)
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	if (own && (err = cj_db_begin(db))) {
		free(draft_ids);
		return err;
	}
	err = cj_draft_add(db, v, n, draft_ids, &batch);
	if (!err) {
		cj__buf_putc(&ids, '{');
		for (size_t i = 0; i < n; i++)
			cj__buf_array_i64(&ids, draft_ids[i]);
		cj__buf_putc(&ids, '}');
		if (!cj__buf_ok(&ids))
			err = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	if (!err) {
		params[0] = ids.data; /* $1: the drafts, in the order of v */
		err = cj_db_exec(db, NULL, sql, nparams, params);
	}
	if (own && !err)
		err = cj_db_commit(db);
	else if (own)
		cj_db_rollback(db);
	for (size_t i = 0; !err && i < n; i++) {
		memset(&out[i], 0, sizeof out[i]);
		out[i].draft_id = draft_ids[i];
		out[i].batch_id = batch;
	}
	cj__buf_free(&ids);
	free(draft_ids);
	return err;
}
