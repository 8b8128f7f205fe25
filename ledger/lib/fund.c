/*
 * fund.c - funds, allocations, projects and anti-risk aid
 *
 * The rules themselves live in the database (schema/0004_funds.sql), which
 * checks them inside the posting transaction and explains a refusal; here we
 * make the records and post the standard vouchers, each operation in one
 * transaction so that a record never exists without its voucher.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ledger/i18n.h>

#include "internal.h"

/* NULL keeps the kind's default; otherwise a comma list becomes an array. */
static const char fund_insert_sql[] =
	"INSERT INTO fund (village_id, code, name, kind, source_level, doc_no, doc_date,\n"
	"                  granted_fen, holding_account, allowed_accounts, forbidden_accounts,\n"
	"                  allowed_categories, forbidden_categories, allocation_id)\n"
	"SELECT $1, $2, $3, k.name, $5, coalesce($6, ''), $7::date, $8,\n"
	"       coalesce($9, k.holding_account),\n"
	"       CASE WHEN $10::text IS NULL THEN k.allowed_accounts\n"
	"            ELSE string_to_array(nullif($10, ''), ',') END,\n"
	"       coalesce(string_to_array($11, ','), k.forbidden_accounts),\n"
	"       CASE WHEN $12::text IS NULL THEN k.allowed_categories\n"
	"            ELSE string_to_array(nullif($12, ''), ',') END,\n"
	"       coalesce(string_to_array($13, ','), k.forbidden_categories), $14::bigint\n"
	"  FROM fund_kind k WHERE k.name = $4\n"
	"RETURNING id";

static const char fund_find_sql[] =
	"SELECT f.id, f.code, f.name, f.kind, f.status, f.holding_account, f.granted_fen,\n"
	"       coalesce(t.received_fen, 0), coalesce(t.spent_fen, 0)\n"
	"  FROM fund f LEFT JOIN fund_total t ON t.village_id = f.village_id AND t.fund_id = f.id\n"
	" WHERE f.village_id = $1 AND f.code = $2";

static const char project_find_sql[] =
	"SELECT p.id, p.code, p.name, p.category, p.status, coalesce(t.budget_fen, 0),\n"
	"       coalesce(t.spent_fen, 0)\n"
	"  FROM project p LEFT JOIN project_total t ON t.village_id = p.village_id\n"
	"   AND t.project_id = p.id\n"
	" WHERE p.village_id = $1 AND p.code = $2";

/* The first leaf under a prefix: the default bank account (102 or 102001). */
static const char first_leaf_sql[] =
	"SELECT code FROM account WHERE village_id = $1 AND code LIKE $2 || '%' AND is_leaf\n"
	"   AND active ORDER BY code LIMIT 1";

static void
date_param(char buf[16], cj_date d, const char **param)
{
	if (d.year == 0) {
		*param = NULL;
		return;
	}
	cj_date_format(buf, 16, d);
	*param = buf;
}

static int
leaf_under(cj_db *db, int village_id, const char *prefix, char out[16])
{
	char id[16];
	const char *params[2] = {id, prefix};
	PGresult *res;
	int err;

	snprintf(id, sizeof id, "%d", village_id);
	err = cj_db_exec(db, &res, first_leaf_sql, 2, params);
	if (err)
		return err;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOTFOUND, _("village has no active leaf account under %s"),
				  prefix);
	}
	cj__strlcpy(out, PQgetvalue(res, 0, 0), 16);
	PQclear(res);
	return 0;
}

static int
fund_insert(cj_db *db, int village_id, const cj_fund_spec *s, int64_t granted_fen,
	    int64_t allocation_id, int64_t *id_out)
{
	char vid[16], granted[CJ_I64_MAX], alloc[CJ_I64_MAX], date[16];
	const char *params[14];
	PGresult *res;
	int err;

	const char *texts[] = {"the code", s->code, "the name", s->name, "the document (文号)",
			       s->doc_no};

	if (cj__texts_check(db, "fund", texts, sizeof texts / sizeof texts[0]))
		return CJ_EINVAL;
	snprintf(vid, sizeof vid, "%d", village_id);
	params[0] = vid;
	params[1] = s->code;
	params[2] = s->name;
	params[3] = s->kind;
	params[4] = s->source_level;
	params[5] = s->doc_no;
	date_param(date, s->doc_date, &params[6]);
	params[7] = cj__i64(granted, granted_fen);
	params[8] = s->holding_account;
	params[9] = s->allowed_accounts;
	params[10] = s->forbidden_accounts;
	params[11] = s->allowed_categories;
	params[12] = s->forbidden_categories;
	params[13] = allocation_id ? cj__i64(alloc, allocation_id) : NULL;
	err = cj_db_exec(db, &res, fund_insert_sql, 14, params);
	if (err == CJ_EEXISTS && strstr(cj_db_errmsg(db), "fund_village_id_code_key"))
		return cj_db_fail(db, CJ_EEXISTS, _("the village already has a fund with code %s"),
				  s->code);
	if (err)
		return err;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cj_db_fail(db, CJ_EINVAL,
				  _("unknown fund kind '%s' (see cunji fund kinds)"), s->kind);
	}
	if (id_out)
		*id_out = cj__int64(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

int
cj_fund_add(cj_db *db, int village_id, const cj_fund_spec *spec, int64_t *id_out)
{
	return fund_insert(db, village_id, spec, spec->granted_fen, spec->allocation_id, id_out);
}

int
cj_fund_find(cj_db *db, int village_id, const char *code, cj_fund_info *out)
{
	char vid[16];
	const char *params[2] = {vid, code};
	PGresult *res;
	int err;

	snprintf(vid, sizeof vid, "%d", village_id);
	err = cj_db_exec(db, &res, fund_find_sql, 2, params);
	if (err)
		return err;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOTFOUND, _("no fund '%s' in this village"), code);
	}
	memset(out, 0, sizeof *out);
	out->id = cj__int64(PQgetvalue(res, 0, 0));
	cj__strlcpy(out->code, PQgetvalue(res, 0, 1), sizeof out->code);
	cj__strlcpy(out->name, PQgetvalue(res, 0, 2), sizeof out->name);
	cj__strlcpy(out->kind, PQgetvalue(res, 0, 3), sizeof out->kind);
	cj__strlcpy(out->status, PQgetvalue(res, 0, 4), sizeof out->status);
	cj__strlcpy(out->holding_account, PQgetvalue(res, 0, 5), sizeof out->holding_account);
	out->granted_fen = cj__int64(PQgetvalue(res, 0, 6));
	out->received_fen = cj__int64(PQgetvalue(res, 0, 7));
	out->spent_fen = cj__int64(PQgetvalue(res, 0, 8));
	PQclear(res);
	return 0;
}

int
cj_fund_set_status(cj_db *db, int village_id, const char *code, const char *status)
{
	char vid[16];
	const char *params[3] = {vid, code, status};
	PGresult *res;
	int err;

	snprintf(vid, sizeof vid, "%d", village_id);
	err = cj_db_exec(db, &res, "UPDATE fund SET status = $3 WHERE village_id = $1 AND code = $2",
			 3, params);
	if (err)
		return err;
	err = atoi(PQcmdTuples(res)) == 1 ? 0
					  : cj_db_fail(db, CJ_ENOTFOUND, _("no fund '%s' in this village"),
						       code);
	PQclear(res);
	return err;
}

int
cj_allocation_add(cj_db *db, int county_id, const cj_fund_spec *s, const int *village_ids,
		  const int64_t *parts_fen, size_t n, int64_t *id_out)
{
	char cid[16], total[CJ_I64_MAX], date[16];
	const char *params[8];
	PGresult *res;
	int64_t id = 0;
	int err, own = !cj__db_in_transaction(db);

	const char *texts[] = {"the name", s->name, "the document (文号)", s->doc_no};

	if (cj__texts_check(db, "allocation", texts, sizeof texts / sizeof texts[0]))
		return CJ_EINVAL;
	snprintf(cid, sizeof cid, "%d", county_id);
	params[0] = cid;
	params[1] = s->doc_no;
	date_param(date, s->doc_date, &params[2]);
	params[3] = s->name;
	params[4] = s->kind;
	params[5] = s->source_level;
	params[6] = cj__i64(total, s->granted_fen);
	if (own && (err = cj_db_begin(db)))
		return err;
	err = cj_db_exec(db, &res,
			 "INSERT INTO fund_allocation (county_id, doc_no, doc_date, name, kind,\n"
			 "                             source_level, total_fen)\n"
			 "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
			 7, params);
	if (!err) {
		id = cj__int64(PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	for (size_t i = 0; i < n && !err; i++)
		err = fund_insert(db, village_ids[i], s, parts_fen[i], id, NULL);
	if (own && !err)
		err = cj_db_commit(db);
	else if (own)
		cj_db_rollback(db);
	if (!err && id_out)
		*id_out = id;
	return err;
}

int
cj_project_add(cj_db *db, int village_id, const cj_project_spec *s, int64_t *id_out)
{
	char vid[16], start[16], end[16], hh[16], ph[16], mh[16];
	const char *params[15];
	PGresult *res;
	int64_t id = 0;
	int err;

	/* the one-line fields a sheet prints; content and goals may run over lines */
	const char *texts[] = {"the code", s->code, "the name", s->name, "the category", s->category,
			       "the implementing unit", s->implementing_unit,
			       "the person responsible", s->responsible};

	if (cj__texts_check(db, "project", texts, sizeof texts / sizeof texts[0]))
		return CJ_EINVAL;
	snprintf(vid, sizeof vid, "%d", village_id);
	snprintf(hh, sizeof hh, "%d", s->households);
	snprintf(ph, sizeof ph, "%d", s->poverty_households);
	snprintf(mh, sizeof mh, "%d", s->monitored_households);
	params[0] = vid;
	params[1] = s->code;
	params[2] = s->name;
	params[3] = s->category;
	params[4] = s->content ? s->content : "";
	params[5] = s->implementing_unit ? s->implementing_unit : "";
	params[6] = s->responsible ? s->responsible : "";
	date_param(start, s->start, &params[7]);
	date_param(end, s->end, &params[8]);
	params[9] = hh;
	params[10] = ph;
	params[11] = mh;
	params[12] = s->goals ? s->goals : "";
	params[13] = s->benefit_mechanism ? s->benefit_mechanism : "";
	err = cj_db_begin(db);
	if (err)
		return err;
	err = cj_db_exec(db, &res,
			 "INSERT INTO project (village_id, code, name, category, content,\n"
			 "       implementing_unit, responsible, start_date, end_date, households,\n"
			 "       poverty_households, monitored_households, goals, benefit_mechanism)\n"
			 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)\n"
			 "RETURNING id",
			 14, params);
	if (!err) {
		id = cj__int64(PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	for (size_t i = 0; i < s->nbudget && !err; i++)
		err = cj_project_budget_add(db, village_id, id, s->budget_sources[i], s->budget_fen[i]);
	if (!err)
		err = cj_db_commit(db);
	else
		cj_db_rollback(db);
	if (!err && id_out)
		*id_out = id;
	return err;
}

/* A source naming one of the village's funds links the line to it. */
static const char budget_insert_sql[] =
	"INSERT INTO project_budget (village_id, project_id, seq, source, fund_id, amount_fen)\n"
	"SELECT $1, $2, coalesce(max(seq), 0) + 1, $3,\n"
	"       (SELECT id FROM fund WHERE village_id = $1 AND code = $3), $4\n"
	"  FROM project_budget WHERE village_id = $1 AND project_id = $2";

int
cj_project_budget_add(cj_db *db, int village_id, int64_t project_id, const char *source,
		      int64_t amount_fen)
{
	char vid[16], pid[CJ_I64_MAX], amount[CJ_I64_MAX];
	const char *params[4] = {vid, cj__i64(pid, project_id), source,
				 cj__i64(amount, amount_fen)};

	snprintf(vid, sizeof vid, "%d", village_id);
	return cj_db_exec(db, NULL, budget_insert_sql, 4, params);
}

int
cj_project_find(cj_db *db, int village_id, const char *code, cj_project_info *out)
{
	char vid[16];
	const char *params[2] = {vid, code};
	PGresult *res;
	int err;

	snprintf(vid, sizeof vid, "%d", village_id);
	err = cj_db_exec(db, &res, project_find_sql, 2, params);
	if (err)
		return err;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOTFOUND, _("no project '%s' in this village"), code);
	}
	memset(out, 0, sizeof *out);
	out->id = cj__int64(PQgetvalue(res, 0, 0));
	cj__strlcpy(out->code, PQgetvalue(res, 0, 1), sizeof out->code);
	cj__strlcpy(out->name, PQgetvalue(res, 0, 2), sizeof out->name);
	cj__strlcpy(out->category, PQgetvalue(res, 0, 3), sizeof out->category);
	cj__strlcpy(out->status, PQgetvalue(res, 0, 4), sizeof out->status);
	out->budget_fen = cj__int64(PQgetvalue(res, 0, 5));
	out->spent_fen = cj__int64(PQgetvalue(res, 0, 6));
	PQclear(res);
	return 0;
}

int
cj_project_start(cj_db *db, int village_id, const char *code, cj_date date)
{
	char vid[16], d[16];
	const char *params[3] = {vid, code, d};
	PGresult *res;
	int err;

	snprintf(vid, sizeof vid, "%d", village_id);
	cj_date_format(d, sizeof d, date);
	err = cj_db_exec(db, &res,
			 "UPDATE project SET status = 'started', start_date = coalesce(start_date, $3)\n"
			 " WHERE village_id = $1 AND code = $2 AND status = 'planned'",
			 3, params);
	if (err)
		return err;
	if (atoi(PQcmdTuples(res)) != 1)
		err = cj_db_fail(db, CJ_EREFUSED, _("project '%s' does not exist or is not planned"),
				 code);
	PQclear(res);
	return err;
}

/* Post vouchers, then run the statements that record them, in one transaction. */
typedef struct tx_step {
	const char *sql;
	int nparams;
	const char *params[10];
} tx_step;

static int
post_with(cj_poster *p, const cj_voucher *v, size_t nv, cj_posted *out, const tx_step *after,
	  size_t nafter)
{
	cj_db *db = cj__poster_db(p);
	int err;

	err = cj_db_begin(db);
	if (err)
		return err;
	cj_poster_join_transaction(p, 1);
	if (nv)
		err = cj_post_batch(p, v, nv, out);
	cj_poster_join_transaction(p, 0);
	for (size_t i = 0; i < nafter && !err; i++)
		err = cj_db_exec(db, NULL, after[i].sql, after[i].nparams, after[i].params);
	if (!err)
		err = cj_db_commit(db);
	else
		cj_db_rollback(db);
	return err;
}

/* Under review: the tranche, recorded when the draft is posted (0032). */
static const char pay_action_sql[] =
	"INSERT INTO draft_action (village_id, draft_id, action, project_id, detail)\n"
	"SELECT $2, d, 'project pay', $3, jsonb_build_object('tranche', $4::text, 'payee', $5::text)\n"
	"  FROM unnest($1::bigint[]) d";

int
cj_project_pay(cj_poster *p, int village_id, const cj_project_payment *pay, cj_submitted *out)
{
	cj_db *db = cj__poster_db(p);
	cj_project_info proj;
	cj_fund_info fund = {0};
	char bank[16], summary[600], vid[16], voucher_id[CJ_I64_MAX], project_id[CJ_I64_MAX];
	cj_line lines[2];
	cj_voucher v;
	int err, review = 0;

	memset(out, 0, sizeof *out);
	err = cj__action_review(db, village_id, &review);
	if (!err)
		err = cj_project_find(db, village_id, pay->project, &proj);
	if (!err && pay->fund)
		err = cj_fund_find(db, village_id, pay->fund, &fund);
	if (!err && pay->bank)
		cj__strlcpy(bank, pay->bank, sizeof bank);
	else if (!err)
		err = leaf_under(db, village_id, "102", bank);
	if (err)
		return err;
	if (pay->summary)
		cj__strlcpy(summary, pay->summary, sizeof summary);
	else
		snprintf(summary, sizeof summary, "%s %s 付%s", proj.name, pay->tranche, pay->payee);

	memset(lines, 0, sizeof lines);
	lines[0].account = pay->account ? pay->account : "153";
	lines[0].debit = cj_money_from_fen(pay->amount_fen);
	lines[1].account = bank;
	lines[1].credit = cj_money_from_fen(pay->amount_fen);
	for (int i = 0; i < 2; i++) {
		lines[i].counterparty = pay->payee;
		lines[i].fund_id = fund.id;
		lines[i].project_id = proj.id;
	}
	memset(&v, 0, sizeof v);
	v.village_id = village_id;
	v.date = pay->date;
	v.summary = summary;
	v.lines = lines;
	v.nlines = 2;
	snprintf(vid, sizeof vid, "%d", village_id);
	cj__i64(project_id, proj.id);
	if (review) {
		const char *params[5] = {NULL, vid, project_id, pay->tranche, pay->payee};
		return cj__action_drafts(db, &v, 1, pay_action_sql, 5, params, out);
	}

	/* the tranche record names the voucher, so it goes in after it */
	err = cj_db_begin(db);
	if (err)
		return err;
	cj_poster_join_transaction(p, 1);
	err = cj_post_batch(p, &v, 1, &out->posted);
	cj_poster_join_transaction(p, 0);
	if (!err) {
		const char *params[5] = {vid, cj__i64(voucher_id, out->posted.id), project_id,
					 pay->tranche, pay->payee};

		err = cj_db_exec(db, NULL,
				 "INSERT INTO project_payment (village_id, voucher_id, project_id,\n"
				 "       tranche, payee) VALUES ($1, $2, $3, $4, $5)",
				 5, params);
	}
	if (!err)
		err = cj_db_commit(db);
	else
		cj_db_rollback(db);
	return err;
}

/* Per earmarked fund: what it paid for this project (cash out), and the
 * construction cost left in 153 for the project. */
static const char accept_sql[] =
	"SELECT 'f', f.code, f.holding_account, f.id,\n"
	"       sum(l.credit_fen)::bigint\n"
	"  FROM voucher_line l JOIN fund f ON f.village_id = l.village_id AND f.id = l.fund_id\n"
	" WHERE l.village_id = $1 AND l.project_id = $2\n"
	"   AND (l.account_code LIKE '101%' OR l.account_code LIKE '102%')\n"
	"   AND f.holding_account NOT LIKE '10%'\n"
	" GROUP BY f.code, f.holding_account, f.id HAVING sum(l.credit_fen) <> 0\n"
	"UNION ALL\n"
	"SELECT 'c', l.account_code, '', 0, sum(l.debit_fen - l.credit_fen)::bigint\n"
	"  FROM voucher_line l WHERE l.village_id = $1 AND l.project_id = $2\n"
	"   AND l.account_code LIKE '153%'\n"
	" GROUP BY l.account_code HAVING sum(l.debit_fen - l.credit_fen) <> 0\n"
	" ORDER BY 1, 2";

static void
add_line(cj_line *l, size_t *n, const char *account, int64_t debit, int64_t credit,
	 int64_t fund_id, int64_t project_id)
{
	memset(&l[*n], 0, sizeof l[*n]);
	l[*n].account = account;
	l[*n].debit = cj_money_from_fen(debit);
	l[*n].credit = cj_money_from_fen(credit);
	l[*n].fund_id = fund_id;
	l[*n].project_id = project_id;
	(*n)++;
}

/* Under review: the acceptance, recorded when its drafts are posted. */
static const char accept_action_sql[] =
	"INSERT INTO draft_action (village_id, draft_id, action, project_id, detail)\n"
	"SELECT $2, d, 'project accept', $3,\n"
	"       jsonb_build_object('asset_kind', $4::text, 'asset_account', $5::text,\n"
	"                          'asset_value_fen', $6::bigint, 'accepted_on', $7::date)\n"
	"  FROM unnest($1::bigint[]) d";

int
cj_project_accept(cj_poster *p, int village_id, const char *code, cj_date date,
		  const char *asset_kind, const char *asset_account, cj_submitted out[2],
		  int *nposted)
{
	cj_db *db = cj__poster_db(p);
	cj_project_info proj;
	char vid[16], pid[CJ_I64_MAX], d[16], value[CJ_I64_MAX], s1[400], s2[400];
	const char *params[2] = {vid, pid};
	PGresult *res = NULL;
	cj_line *l1 = NULL, *l2 = NULL;
	size_t n1 = 0, n2 = 0, nv = 0;
	int64_t cost = 0, earmarked = 0;
	int collective, err, review = 0;
	cj_voucher v[2];
	cj_posted posted[2];
	tx_step upd;

	*nposted = 0;
	memset(out, 0, 2 * sizeof *out);
	err = cj__action_review(db, village_id, &review);
	if (!err)
		err = cj_project_find(db, village_id, code, &proj);
	if (err)
		return err;
	if (!strcmp(proj.status, "accepted"))
		return cj_db_fail(db, CJ_EREFUSED, _("project %s is accepted already"), code);
	if (strcmp(proj.status, "started"))
		return cj_db_fail(db, CJ_EREFUSED,
				  _("project %s has not started; only a started project is accepted"), code);
	collective = strcmp(asset_kind, "到户") != 0;
	if (!asset_account)
		asset_account = "151";
	snprintf(vid, sizeof vid, "%d", village_id);
	cj__i64(pid, proj.id);
	err = cj_db_exec(db, &res, accept_sql, 2, params);
	if (err)
		return err;
	l1 = calloc((size_t)PQntuples(res) + 3, sizeof *l1);
	l2 = calloc((size_t)PQntuples(res) + 3, sizeof *l2);
	if (!l1 || !l2) {
		err = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		goto done;
	}
	/* l1: the construction cost leaves 153; l2: earmarked money leaves its
	 * holding account (专项应付款) */
	for (int r = 0; r < PQntuples(res); r++) {
		int64_t amount = cj__int64(PQgetvalue(res, r, 4));
		if (PQgetvalue(res, r, 0)[0] == 'c') {
			cost += amount;
			add_line(l1, &n1, PQgetvalue(res, r, 1), 0, amount, 0, proj.id);
		} else {
			earmarked += amount;
			add_line(l2, &n2, PQgetvalue(res, r, 2), amount, 0,
				 cj__int64(PQgetvalue(res, r, 3)), proj.id);
		}
	}
	snprintf(s1, sizeof s1, "%s 验收, 形成%s资产", proj.name, asset_kind);
	snprintf(s2, sizeof s2, "%s 验收, 专项资金转公积公益金", proj.name);
	memset(v, 0, sizeof v);
	if (collective) {
		/* Dr 固定资产 / Cr 在建工程; then Dr 专项应付款 / Cr 公积公益金 */
		if (cost > 0) {
			add_line(l1, &n1, asset_account, cost, 0, 0, proj.id);
			v[nv].summary = s1;
			v[nv].lines = l1;
			v[nv++].nlines = n1;
		}
		if (earmarked > 0) {
			add_line(l2, &n2, "311", 0, earmarked, 0, proj.id);
			v[nv].summary = s2;
			v[nv].lines = l2;
			v[nv++].nlines = n2;
		}
	} else {
		/* 到户: the asset goes to households; the earmarked part is settled
		 * against its holding account, the village's own part is a
		 * public-welfare expense (公益支出) */
		for (size_t i = 0; i < n2; i++)
			l1[n1++] = l2[i];
		if (cost > earmarked)
			add_line(l1, &n1, "514", cost - earmarked, 0, 0, proj.id);
		else if (earmarked > cost)
			add_line(l1, &n1, "311", 0, earmarked - cost, 0, proj.id);
		if (n1 >= 2) {
			v[nv].summary = s1;
			v[nv].lines = l1;
			v[nv++].nlines = n1;
		}
	}
	for (size_t i = 0; i < nv; i++) {
		v[i].village_id = village_id;
		v[i].date = date;
	}

	cj_date_format(d, sizeof d, date);
	upd.sql = "UPDATE project SET status = 'accepted', asset_kind = $3, asset_account = $4,\n"
		  "       asset_value_fen = $5, accepted_on = $6\n"
		  " WHERE village_id = $1 AND id = $2";
	upd.nparams = 6;
	upd.params[0] = vid;
	upd.params[1] = pid;
	upd.params[2] = asset_kind;
	upd.params[3] = collective ? asset_account : NULL;
	upd.params[4] = cj__i64(value, cost);
	upd.params[5] = d;
	if (review && nv) {
		const char *aparams[7] = {NULL, vid, pid, asset_kind, upd.params[3], upd.params[4], d};
		err = cj__action_drafts(db, v, nv, accept_action_sql, 7, aparams, out);
	} else {
		err = post_with(p, v, nv, posted, &upd, 1);
		for (size_t i = 0; !err && i < nv; i++)
			out[i].posted = posted[i];
	}
	if (!err)
		*nposted = (int)nv;
done:
	free(l1);
	free(l2);
	PQclear(res);
	return err;
}

int
cj_aid_rule_set(cj_db *db, int county_id, int64_t per_person_fen, int64_t per_household_year_fen,
		int max_times_per_year, int64_t min_endowment_fen)
{
	char cid[16], a[CJ_I64_MAX], b[CJ_I64_MAX], t[16], m[CJ_I64_MAX];
	const char *params[5] = {cid, cj__i64(a, per_person_fen), cj__i64(b, per_household_year_fen),
				 t, cj__i64(m, min_endowment_fen)};

	snprintf(cid, sizeof cid, "%d", county_id);
	snprintf(t, sizeof t, "%d", max_times_per_year);
	return cj_db_exec(db, NULL,
			  "INSERT INTO aid_rule (county_id, per_person_cap_fen, per_household_cap_fen,\n"
			  "                      max_times_per_year, min_endowment_fen)\n"
			  "VALUES ($1, $2, $3, $4, $5)\n"
			  "ON CONFLICT (county_id) DO UPDATE SET per_person_cap_fen = $2,\n"
			  "   per_household_cap_fen = $3, max_times_per_year = $4, min_endowment_fen = $5",
			  5, params);
}

/* Under review: the aid's record, made when the draft is posted; its id is
 * drawn now, for the draft's external id (the line rules look for it). */
static const char aid_action_sql[] =
	"INSERT INTO draft_action (village_id, draft_id, action, household_code, aid_id, detail)\n"
	"SELECT $2, d, 'aid pay', $5, $3,\n"
	"       jsonb_build_object('fund_id', $4::bigint, 'persons', $6::integer,\n"
	"                          'amount_fen', $7::bigint, 'paid_on', $8::date, 'reason', $9::text,\n"
	"                          'applicant', $10::text, 'township_review', $11::text,\n"
	"                          'county_record', $12::text)\n"
	"  FROM unnest($1::bigint[]) d";

int
cj_aid_pay(cj_poster *p, int village_id, const cj_aid *aid, cj_submitted *out)
{
	cj_db *db = cj__poster_db(p);
	cj_fund_info fund;
	char bank[16], vid[16], fid[CJ_I64_MAX], persons[16], amount[CJ_I64_MAX], d[16];
	char ext[64], summary[600];
	cj_line lines[2];
	cj_voucher v;
	tx_step rec;
	int64_t aid_id = 0;
	int err, review = 0;

	memset(out, 0, sizeof *out);
	err = cj__action_review(db, village_id, &review);
	if (!err)
		err = cj_fund_find(db, village_id, aid->fund, &fund);
	if (!err && aid->bank)
		cj__strlcpy(bank, aid->bank, sizeof bank);
	else if (!err)
		err = leaf_under(db, village_id, "102", bank);
	if (err)
		return err;
	snprintf(vid, sizeof vid, "%d", village_id);
	snprintf(persons, sizeof persons, "%d", aid->persons);
	cj_date_format(d, sizeof d, aid->date);
	rec.sql = "INSERT INTO aid_payment (village_id, fund_id, household_code, persons,\n"
		  "       amount_fen, paid_on, reason, applicant, township_review, county_record)\n"
		  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
	rec.nparams = 10;
	rec.params[0] = vid;
	rec.params[1] = cj__i64(fid, fund.id);
	rec.params[2] = aid->household;
	rec.params[3] = persons;
	rec.params[4] = cj__i64(amount, aid->amount_fen);
	rec.params[5] = d;
	rec.params[6] = aid->reason;
	rec.params[7] = aid->applicant;
	rec.params[8] = aid->township_review;
	rec.params[9] = aid->county_record;

	/* the aid record comes first: the voucher names it by external id */
	err = cj_db_begin(db);
	if (err)
		return err;
	{
		PGresult *res;
		err = review ? cj_db_exec(db, &res, "SELECT nextval('fund_id_seq')", 0, NULL)
			     : cj_db_exec(db, &res, rec.sql, rec.nparams, rec.params);
		if (!err) {
			aid_id = cj__int64(PQgetvalue(res, 0, 0));
			PQclear(res);
		}
	}
	if (!err) {
		snprintf(ext, sizeof ext, "aid-%lld", (long long)aid_id);
		snprintf(summary, sizeof summary, "防返贫基金救助 %s户 %s", aid->household,
			 aid->reason);
		memset(lines, 0, sizeof lines);
		lines[0].account = fund.holding_account;
		lines[0].debit = cj_money_from_fen(aid->amount_fen);
		lines[1].account = bank;
		lines[1].credit = cj_money_from_fen(aid->amount_fen);
		for (int i = 0; i < 2; i++) {
			lines[i].counterparty = aid->household;
			lines[i].fund_id = fund.id;
		}
		memset(&v, 0, sizeof v);
		v.village_id = village_id;
		v.date = aid->date;
		v.summary = summary;
		v.external_id = ext;
		v.lines = lines;
		v.nlines = 2;
		if (review) {
			char aid_text[CJ_I64_MAX];
			const char *params[12] = {NULL, vid, cj__i64(aid_text, aid_id)};
			memcpy(params + 3, rec.params + 1, 9 * sizeof *params);
			err = cj__action_drafts(db, &v, 1, aid_action_sql, 12, params, out);
		} else {
			cj_poster_join_transaction(p, 1);
			err = cj_post_batch(p, &v, 1, &out->posted);
			cj_poster_join_transaction(p, 0);
		}
	}
	if (!err)
		err = cj_db_commit(db);
	else
		cj_db_rollback(db);
	return err;
}
