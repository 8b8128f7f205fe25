/*
 * draft.c - the voucher's path: drafts (制单), review (审核), rejection (标错)
 * and posting (记账) (see <ledger/voucher_path.h>)
 *
 * Every step is one statement, or a pipeline in one transaction, and the
 * database has the last word on it (schema 0016): who may take the step,
 * who and when are recorded, and post_drafts() numbers and writes the
 * posted vouchers.  C checks a draft's content as cj_post_batch does, so
 * that a mistake is named before anything is sent.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ledger/i18n.h>

#include "internal.h"

static const char *const state_names[] = {"draft", "rejected", "reviewed", "posted"};
static const char *const state_labels[] = {"待审核", "已退回", "已审核", "已记账"};

const char *
cj_voucher_state_name(cj_voucher_state s)
{
	return (unsigned)s < 4 ? state_names[s] : "draft";
}

const char *
cj_voucher_state_label(cj_voucher_state s)
{
	return (unsigned)s < 4 ? state_labels[s] : state_labels[0];
}

int
cj_voucher_state_parse(const char *s, cj_voucher_state *out)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, state_names[i])) {
			*out = (cj_voucher_state)i;
			return 0;
		}
	return CJ_EINVAL;
}

static const char review_required_sql[] =
	"SELECT coalesce(bool_or(review_required(v)), false) FROM unnest($1::int[]) v";

/* $1 how many drafts: a batch id, then the draft ids. */
static const char draft_ids_sql[] =
	"SELECT nextval('draft_batch_seq') UNION ALL\n"
	"SELECT * FROM (SELECT nextval('draft_id_seq') FROM generate_series(1, $1::integer)) s";

static const char insert_draft_sql[] =
	"INSERT INTO draft_voucher (village_id, id, batch_id, voucher_date, kind, summary, attachments,\n"
	"                           external_id, reverses_id, negative_cash_reason)\n"
	"SELECT v, i, $10, d, k, s, a, e, r, n\n"
	"  FROM unnest($1::int[], $2::bigint[], $3::date[], $4::text[], $5::text[], $6::int[],\n"
	"              $7::text[], $8::bigint[], $9::text[]) AS u(v, i, d, k, s, a, e, r, n)";

static const char insert_lines_sql[] =
	"INSERT INTO draft_line (village_id, draft_id, line_no, account_code, debit_fen, credit_fen,\n"
	"                        summary, counterparty, fund_id, project_id)\n"
	"SELECT * FROM unnest($1::int[], $2::bigint[], $3::smallint[], $4::text[], $5::bigint[],\n"
	"                     $6::bigint[], $7::text[], $8::text[], $9::bigint[], $10::bigint[])";

static const char update_draft_sql[] =
	"UPDATE draft_voucher SET voucher_date = u.d, kind = u.k, summary = u.s, attachments = u.a,\n"
	"       external_id = u.e, reverses_id = u.r, negative_cash_reason = u.n, state = 'draft'\n"
	"  FROM unnest($1::int[], $2::bigint[], $3::date[], $4::text[], $5::text[], $6::int[],\n"
	"              $7::text[], $8::bigint[], $9::text[]) AS u(v, i, d, k, s, a, e, r, n)\n"
	" WHERE village_id = u.v AND id = u.i RETURNING id";

static const char delete_lines_sql[] =
	"DELETE FROM draft_line WHERE village_id = $1 AND draft_id = $2";

static const char delete_draft_sql[] =
	"DELETE FROM draft_voucher WHERE village_id = $1 AND id = $2 RETURNING id";

static const char review_ids_sql[] =
	"UPDATE draft_voucher SET state = 'reviewed'\n"
	" WHERE village_id = $1 AND id = ANY ($2::bigint[]) RETURNING id";
/* A whole batch in one set-based step (schema 0031), refused as a whole
 * where the reviewer prepared any of it: how many were reviewed. */
static const char review_batch_sql[] = "SELECT review_draft_batch($1)";

static const char reject_sql[] =
	"UPDATE draft_voucher SET state = 'rejected', reject_reason = $3\n"
	" WHERE village_id = $1 AND id = $2 RETURNING id";

static const char post_sql[] =
	"SELECT draft_id, to_char(period, 'YYYY-MM'), number, voucher_id\n"
	"  FROM post_drafts($1, $2::bigint[], $3)";
/* A whole batch, its drafts marked posted in bulk (0031): how many. */
static const char post_batch_sql[] = "SELECT post_draft_batch($1)";

static int
out_of_memory(cj_db *db)
{
	return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
}

/* "{1,2,3}" */
static int
id_array(cj_db *db, cj_buf *b, const int64_t *ids, size_t n)
{
	cj__buf_putc(b, '{');
	for (size_t i = 0; i < n; i++)
		cj__buf_array_i64(b, ids[i]);
	cj__buf_putc(b, '}');
	return cj__buf_ok(b) ? 0 : out_of_memory(db);
}

int
cj_review_required(cj_db *db, int village_id, int *out)
{
	char ids[24];
	const char *params[1] = {ids};
	PGresult *res;
	int err;

	snprintf(ids, sizeof ids, "{%d}", village_id);
	*out = 0;
	err = cj_db_exec_prepared(db, &res, review_required_sql, 1, params);
	if (err)
		return err;
	*out = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return 0;
}

static const char setting_set_sql[] =
	"INSERT INTO setting AS s (org_id, key, value)\n"
	"SELECT id, 'review_required', $2 FROM org WHERE code = $1\n"
	"ON CONFLICT (org_id, key) DO UPDATE SET value = EXCLUDED.value RETURNING s.org_id";
static const char setting_list_sql[] =
	"SELECT o.code, o.name, o.level, s.value = 'true' FROM setting s JOIN org o ON o.id = s.org_id\n"
	" WHERE s.key = 'review_required' ORDER BY o.code";

int
cj_review_setting_set(cj_db *db, const char *org_code, int on)
{
	const char *params[2] = {org_code, on ? "true" : "false"};
	PGresult *res;
	int err = cj_db_exec(db, &res, setting_set_sql, 2, params);

	if (err)
		return err;
	if (!PQntuples(res))
		err = cj_db_fail(db, CJ_ENOTFOUND, _("no organisation has code %s"), org_code);
	PQclear(res);
	return err;
}

int
cj_review_setting_list(cj_db *db, cj_review_setting **rows, size_t *n)
{
	PGresult *res;
	int err = cj_db_exec(db, &res, setting_list_sql, 0, NULL);
	int k;

	*rows = NULL;
	*n = 0;
	if (err)
		return err;
	k = PQntuples(res);
	*rows = calloc(k ? (size_t)k : 1, sizeof **rows);
	if (!*rows) {
		PQclear(res);
		return out_of_memory(db);
	}
	for (int i = 0; i < k; i++) {
		cj_review_setting *r = &(*rows)[i];
		snprintf(r->code, sizeof r->code, "%s", PQgetvalue(res, i, 0));
		snprintf(r->name, sizeof r->name, "%s", PQgetvalue(res, i, 1));
		snprintf(r->level, sizeof r->level, "%s", PQgetvalue(res, i, 2));
		r->on = PQgetvalue(res, i, 3)[0] == 't';
	}
	*n = (size_t)k;
	PQclear(res);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Writing drafts */

#define NDCOLS 9
#define NLCOLS 10

typedef struct draft_rows {
	cj_buf d[NDCOLS], l[NLCOLS];
	const char *dp[NDCOLS + 1], *lp[NLCOLS];
} draft_rows;

static void
rows_free(draft_rows *r)
{
	for (int k = 0; k < NDCOLS; k++)
		cj__buf_free(&r->d[k]);
	for (int k = 0; k < NLCOLS; k++)
		cj__buf_free(&r->l[k]);
}

/* The column arrays of n drafts with ids (headers, then lines). */
static int
rows_build(cj_db *db, draft_rows *r, const cj_voucher *v, size_t n, const int64_t *ids)
{
	for (int k = 0; k < NDCOLS; k++)
		cj__buf_putc(&r->d[k], '{');
	for (int k = 0; k < NLCOLS; k++)
		cj__buf_putc(&r->l[k], '{');
	for (size_t i = 0; i < n; i++) {
		const cj_voucher *x = &v[i];
		char date[16];
		cj_buf *c = r->d;

		cj_date_format(date, sizeof date, x->date);
		cj__buf_array_i64(&c[0], x->village_id);
		cj__buf_array_i64(&c[1], ids[i]);
		cj__buf_array_text(&c[2], date);
		cj__buf_array_text(&c[3], cj_voucher_kind_name(x->kind));
		cj__buf_array_text(&c[4], x->summary);
		cj__buf_array_i64(&c[5], x->attachments);
		cj__buf_array_text(&c[6], x->external_id);
		if (x->reverses_id)
			cj__buf_array_i64(&c[7], x->reverses_id);
		else
			cj__buf_array_text(&c[7], NULL);
		cj__buf_array_text(&c[8], x->negative_cash_reason);
		c = r->l;
		for (size_t j = 0; j < x->nlines; j++) {
			const cj_line *l = &x->lines[j];
			cj__buf_array_i64(&c[0], x->village_id);
			cj__buf_array_i64(&c[1], ids[i]);
			cj__buf_array_i64(&c[2], (int64_t)j + 1);
			cj__buf_array_text(&c[3], l->account);
			cj__buf_array_i64(&c[4], l->debit.fen);
			cj__buf_array_i64(&c[5], l->credit.fen);
			cj__buf_array_text(&c[6], l->summary ? l->summary : x->summary);
			cj__buf_array_text(&c[7], l->counterparty);
			if (l->fund_id)
				cj__buf_array_i64(&c[8], l->fund_id);
			else
				cj__buf_array_text(&c[8], NULL);
			if (l->project_id)
				cj__buf_array_i64(&c[9], l->project_id);
			else
				cj__buf_array_text(&c[9], NULL);
		}
	}
	for (int k = 0; k < NDCOLS; k++) {
		cj__buf_putc(&r->d[k], '}');
		if (!cj__buf_ok(&r->d[k]))
			return out_of_memory(db);
		r->dp[k] = r->d[k].data;
	}
	for (int k = 0; k < NLCOLS; k++) {
		cj__buf_putc(&r->l[k], '}');
		if (!cj__buf_ok(&r->l[k]))
			return out_of_memory(db);
		r->lp[k] = r->l[k].data;
	}
	return 0;
}

/* cj_voucher_check, and what a draft may not be; the message names it. */
static int
check_draft(cj_db *db, const cj_voucher *v, size_t i, size_t n)
{
	char msg[512], date[16];
	int err;

	cj_date_format(date, sizeof date, v->date);
	if (v->kind == CJ_VOUCHER_CLOSING)
		return cj_db_fail(db, CJ_EINVAL, _("voucher %zu of %zu (%s): closing vouchers are "
						 "posted by the year-end close, never drafted"),
				  i + 1, n, date);
	err = cj_voucher_check(v, msg, sizeof msg);
	if (err)
		return cj_db_fail(db, err, _("voucher %zu of %zu (%s %s): %s"), i + 1, n, date,
				  v->summary ? v->summary : "", msg);
	return 0;
}

int
cj_draft_add(cj_db *db, const cj_voucher *v, size_t n, int64_t *ids_out, int64_t *batch_out)
{
	draft_rows r;
	PGresult *res = NULL;
	int64_t *ids = NULL, batch = 0;
	char count[24], bid[CJ_I64_MAX];
	int err, own = !cj__db_in_transaction(db), in_txn = 0;

	if (batch_out)
		*batch_out = 0;
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((err = check_draft(db, &v[i], i, n)))
			return err;
	memset(&r, 0, sizeof r);
	ids = calloc(n, sizeof *ids);
	if (!ids)
		return out_of_memory(db);
	snprintf(count, sizeof count, "%zu", n);
	{
		const char *params[1] = {count};
		cj__stmt st[2] = {{"BEGIN", 0, NULL, 0, NULL}, {draft_ids_sql, 1, params, 1, &res}};
		err = own ? cj__db_pipeline(db, st, 2) : cj__db_pipeline(db, st + 1, 1);
	}
	in_txn = own;
	if (err)
		goto done;
	if ((size_t)PQntuples(res) != n + 1) {
		err = cj_db_fail(db, CJ_ERROR, _("the database gave %d draft ids, not %zu"),
				 PQntuples(res) - 1, n);
		goto done;
	}
	batch = cj__int64(PQgetvalue(res, 0, 0));
	for (size_t i = 0; i < n; i++)
		ids[i] = cj__int64(PQgetvalue(res, (int)i + 1, 0));
	if ((err = rows_build(db, &r, v, n, ids)))
		goto done;
	r.dp[NDCOLS] = cj__i64(bid, batch);
	{
		cj__stmt st[3] = {{insert_draft_sql, NDCOLS + 1, r.dp, 1, NULL},
				  {insert_lines_sql, NLCOLS, r.lp, 1, NULL},
				  {"COMMIT", 0, NULL, 0, NULL}};
		err = cj__db_pipeline(db, st, own ? 3 : 2);
	}
	if (!err) {
		in_txn = 0;
		if (ids_out)
			memcpy(ids_out, ids, n * sizeof *ids);
		if (batch_out)
			*batch_out = batch;
	}
done:
	if (err && in_txn)
		cj_db_rollback(db);
	PQclear(res);
	rows_free(&r);
	free(ids);
	return err;
}

int
cj_draft_update(cj_db *db, int64_t draft_id, const cj_voucher *v)
{
	draft_rows r;
	PGresult *res = NULL;
	char vid[16], did[CJ_I64_MAX];
	const char *kparams[2] = {vid, did};
	int err, own = !cj__db_in_transaction(db), found;

	if ((err = check_draft(db, v, 0, 1)))
		return err;
	memset(&r, 0, sizeof r);
	if ((err = rows_build(db, &r, v, 1, &draft_id)))
		goto done;
	snprintf(vid, sizeof vid, "%d", v->village_id);
	cj__i64(did, draft_id);
	{
		cj__stmt st[3] = {{"BEGIN", 0, NULL, 0, NULL},
				  {update_draft_sql, NDCOLS, r.dp, 1, &res},
				  {delete_lines_sql, 2, kparams, 1, NULL}};
		err = own ? cj__db_pipeline(db, st, 3) : cj__db_pipeline(db, st + 1, 2);
	}
	if (err)
		goto done;
	found = PQntuples(res) > 0;
	if (!found) {
		err = cj_db_fail(db, CJ_ENOTFOUND, _("village %d has no draft %s"), v->village_id, did);
		goto done;
	}
	{
		cj__stmt st[2] = {{insert_lines_sql, NLCOLS, r.lp, 1, NULL},
				  {"COMMIT", 0, NULL, 0, NULL}};
		err = cj__db_pipeline(db, st, own ? 2 : 1);
	}
done:
	if (err && own)
		cj_db_rollback(db);
	PQclear(res);
	rows_free(&r);
	return err;
}

/* Run one statement on (village, draft) that must touch the draft. */
static int
one_draft(cj_db *db, const char *sql, int village_id, int64_t draft_id, const char *extra)
{
	char vid[16], did[CJ_I64_MAX];
	const char *params[3] = {vid, did, extra};
	PGresult *res;
	int err, n;

	snprintf(vid, sizeof vid, "%d", village_id);
	cj__i64(did, draft_id);
	err = cj_db_exec_prepared(db, &res, sql, extra ? 3 : 2, params);
	if (err)
		return err;
	n = PQntuples(res);
	PQclear(res);
	if (!n)
		return cj_db_fail(db, CJ_ENOTFOUND, _("this village has no draft %s"), did);
	return 0;
}

int
cj_draft_delete(cj_db *db, int village_id, int64_t draft_id)
{
	return one_draft(db, delete_draft_sql, village_id, draft_id, NULL);
}

int
cj_draft_reject(cj_db *db, int village_id, int64_t draft_id, const char *reason)
{
	char why[160];

	if (!reason || !*reason || strspn(reason, " ") == strlen(reason))
		return cj_db_fail(db, CJ_EINVAL, _("a rejection needs its reason"));
	if (cj_text_check(reason, why, sizeof why))
		return cj_db_fail(db, CJ_EINVAL, _("the reason %s"), why);
	return one_draft(db, reject_sql, village_id, draft_id, reason);
}

int
cj_draft_review(cj_db *db, int village_id, const int64_t *ids, size_t n, int64_t batch_id,
		size_t *done)
{
	cj_buf arr = CJ_BUF_INIT;
	char vid[16], bid[CJ_I64_MAX];
	const char *params[2] = {vid, NULL};
	PGresult *res = NULL;
	int err, own = !cj__db_in_transaction(db);
	size_t got = 0, missing = 0;

	if (done)
		*done = 0;
	if (!n && !batch_id)
		return cj_db_fail(db, CJ_EINVAL, _("which drafts to review: give their ids or a batch"));
	if (n) {
		snprintf(vid, sizeof vid, "%d", village_id);
		if ((err = id_array(db, &arr, ids, n)))
			return err;
		params[1] = arr.data;
	} else {
		params[0] = cj__i64(bid, batch_id);
	}
	{
		cj__stmt st[2] = {{"BEGIN", 0, NULL, 0, NULL},
				  {n ? review_ids_sql : review_batch_sql, n ? 2 : 1, params, 1, &res}};
		err = own ? cj__db_pipeline(db, st, 2) : cj__db_pipeline(db, st + 1, 1);
	}
	cj__buf_free(&arr);
	if (!err)
		got = n ? (size_t)PQntuples(res) : (size_t)cj__int64(PQgetvalue(res, 0, 0));
	/* an id that is not a draft of this village refuses them all */
	for (size_t i = 0; !err && i < n && got < n; i++) {
		int seen = 0;
		for (int r = 0; r < PQntuples(res) && !seen; r++)
			seen = cj__int64(PQgetvalue(res, r, 0)) == ids[i];
		if (!seen) {
			missing = i;
			err = cj_db_fail(db, CJ_ENOTFOUND, _("this village has no draft %lld"),
					 (long long)ids[missing]);
		}
	}
	if (!err && !n && !got)
		err = cj_db_fail(db, CJ_ENOTFOUND, _("batch %s has no draft awaiting review"), bid);
	PQclear(res);
	if (own) {
		if (err)
			cj_db_rollback(db);
		else
			err = cj_db_commit(db);
	}
	if (!err && done)
		*done = got;
	return err;
}

int
cj_draft_post(cj_db *db, int village_id, const int64_t *ids, size_t n, int64_t batch_id,
	      cj_posted *posted_out, size_t *nposted)
{
	cj_buf arr = CJ_BUF_INIT;
	char vid[16], bid[CJ_I64_MAX];
	const char *params[3] = {NULL, NULL, NULL};
	PGresult *res = NULL;
	size_t got = 0;
	int err, own = !cj__db_in_transaction(db);

	if (nposted)
		*nposted = 0;
	if (!n && !batch_id)
		return cj_db_fail(db, CJ_EINVAL, _("which drafts to post: give their ids or a batch"));
	if (n) {
		snprintf(vid, sizeof vid, "%d", village_id);
		if ((err = id_array(db, &arr, ids, n)))
			return err;
		params[0] = vid;
		params[1] = arr.data;
	} else {
		params[0] = cj__i64(bid, batch_id);
	}
	/* in a transaction of its own, committed apart: the checks deferred to
	 * COMMIT (cash and bank, counters) refuse the posting there */
	{
		cj__stmt st[2] = {{"BEGIN", 0, NULL, 0, NULL},
				  {n ? post_sql : post_batch_sql, n ? 3 : 1, params, 1, &res}};
		err = own ? cj__db_pipeline(db, st, 2) : cj__db_pipeline(db, st + 1, 1);
	}
	cj__buf_free(&arr);
	if (!err)
		got = n ? (size_t)PQntuples(res) : (size_t)cj__int64(PQgetvalue(res, 0, 0));
	if (!err && !n && !got)
		err = cj_db_fail(db, CJ_ENOTFOUND, _("batch %s has no draft left to post"), bid);
	for (int r = 0; !err && n && r < PQntuples(res) && posted_out; r++) {
		int64_t draft = cj__int64(PQgetvalue(res, r, 0));
		for (size_t i = 0; i < n; i++) {
			if (ids[i] != draft)
				continue;
			memset(&posted_out[i], 0, sizeof posted_out[i]);
			if (cj_period_parse(&posted_out[i].period, PQgetvalue(res, r, 1)))
				memset(&posted_out[i].period, 0, sizeof posted_out[i].period);
			posted_out[i].number = atoi(PQgetvalue(res, r, 2));
			posted_out[i].id = cj__int64(PQgetvalue(res, r, 3));
		}
	}
	PQclear(res);
	if (own) {
		if (err)
			cj_db_rollback(db);
		else
			err = cj_db_commit(db);
	}
	if (!err && nposted)
		*nposted = got;
	return err;
}

/* ------------------------------------------------------------------------ */

int
cj_voucher_submit(cj_poster *p, const cj_voucher *v, size_t n, cj_submitted *out)
{
	cj_db *db = cj__poster_db(p);
	cj_buf villages = CJ_BUF_INIT;
	const char *params[1];
	PGresult *res;
	cj_posted *posted = NULL;
	int64_t *ids = NULL, batch = 0;
	int err, review;

	memset(out, 0, n * sizeof *out);
	if (!n)
		return 0;
	cj__buf_putc(&villages, '{');
	for (size_t i = 0; i < n; i++)
		cj__buf_array_i64(&villages, v[i].village_id);
	cj__buf_putc(&villages, '}');
	if (!cj__buf_ok(&villages)) {
		cj__buf_free(&villages);
		return out_of_memory(db);
	}
	params[0] = villages.data;
	err = cj_db_exec_prepared(db, &res, review_required_sql, 1, params);
	cj__buf_free(&villages);
	if (err)
		return err;
	review = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (review) {
		if (!(ids = calloc(n, sizeof *ids)))
			return out_of_memory(db);
		err = cj_draft_add(db, v, n, ids, &batch);
		for (size_t i = 0; !err && i < n; i++) {
			out[i].draft_id = ids[i];
			out[i].batch_id = batch;
		}
		free(ids);
		return err;
	}
	if (!(posted = calloc(n, sizeof *posted)))
		return out_of_memory(db);
	err = cj_post_batch(p, v, n, posted);
	for (size_t i = 0; !err && i < n; i++)
		out[i].posted = posted[i];
	free(posted);
	return err;
}
