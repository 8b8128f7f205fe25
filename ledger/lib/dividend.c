/*
 * dividend.c - income distribution plans, declaration and payment
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ledger/i18n.h>

#include "internal.h"

static const char income_sql[] =
	"SELECT income_fen, earmarked_fen, expense_fen, year_result_fen, brought_forward_fen,\n"
	"       distributable_fen FROM distributable_income($1, $2)";

/* Shares in force per holder, as hundredths; the collective (NULL) last. */
static const char shares_sql[] =
	"SELECT s.household_code, coalesce(h.head_name, ''),\n"
	"       coalesce(id_number_masked(h.head_id_number), ''),\n"
	"       (sum(s.shares) * 100)::bigint\n"
	"  FROM shares_on($1, $2::date) s\n"
	"  LEFT JOIN household h ON h.village_id = $1 AND h.code = s.household_code\n"
	" GROUP BY 1, 2, 3\n"
	" ORDER BY s.household_code COLLATE \"C\" NULLS LAST";

static const char load_plan_sql[] =
	"SELECT distributable_fen, reserve_rate_bp, reserve_fen, welfare_rate_bp, welfare_fen,\n"
	"       pool_fen, collective_fen, households_fen, (total_shares * 100)::bigint,\n"
	"       to_char(shares_on, 'YYYY-MM-DD')\n"
	"  FROM dividend_plan WHERE village_id = $1 AND year = $2";

static const char load_lines_sql[] =
	"SELECT d.household_code, h.head_name, id_number_masked(h.head_id_number),\n"
	"       (d.shares * 100)::bigint, d.amount_fen, d.paid_voucher_id IS NOT NULL,\n"
	"       btrim(h.bank_account) <> ''\n"
	"  FROM dividend_line d JOIN household h ON h.village_id = d.village_id\n"
	"   AND h.code = d.household_code\n"
	" WHERE d.village_id = $1 AND d.year = $2 ORDER BY d.household_code COLLATE \"C\"";

static const char own_cash_sql[] =
	"SELECT cash_fen, borrowing_fen, earmarked_fen, unpaid_dividends_fen, own_fen\n"
	"  FROM own_cash($1, $2::date)";

int
cj_own_cash_get(cj_db *db, int village_id, cj_period p, cj_own_cash *out)
{
	char vid[16], per[16];
	const char *params[2] = {vid, per};
	PGresult *res;
	int err;

	snprintf(vid, sizeof vid, "%d", village_id);
	cj__period_date(per, sizeof per, p);
	err = cj_db_exec(db, &res, own_cash_sql, 2, params);
	if (err)
		return err;
	out->cash_fen = cj__int64(PQgetvalue(res, 0, 0));
	out->borrowing_fen = cj__int64(PQgetvalue(res, 0, 1));
	out->earmarked_fen = cj__int64(PQgetvalue(res, 0, 2));
	out->unpaid_dividends_fen = cj__int64(PQgetvalue(res, 0, 3));
	out->own_fen = cj__int64(PQgetvalue(res, 0, 4));
	PQclear(res);
	return 0;
}

/* "own cash 1,000.00 (cash and bank ..., less ...)" for messages */
static void
own_cash_text(char *buf, size_t size, const cj_own_cash *o)
{
	char a[CJ_MONEY_FMT_MAX], b[CJ_MONEY_FMT_MAX], c[CJ_MONEY_FMT_MAX], d[CJ_MONEY_FMT_MAX],
		e[CJ_MONEY_FMT_MAX];

	cj_money_format(a, sizeof a, cj_money_from_fen(o->own_fen), CJ_MONEY_FMT_GROUPED);
	cj_money_format(b, sizeof b, cj_money_from_fen(o->cash_fen), CJ_MONEY_FMT_GROUPED);
	cj_money_format(c, sizeof c, cj_money_from_fen(o->borrowing_fen), CJ_MONEY_FMT_GROUPED);
	cj_money_format(d, sizeof d, cj_money_from_fen(o->earmarked_fen), CJ_MONEY_FMT_GROUPED);
	cj_money_format(e, sizeof e, cj_money_from_fen(o->unpaid_dividends_fen),
			CJ_MONEY_FMT_GROUPED);
	snprintf(buf, size,
		 "the collective's own cash is %s yuan (cash and bank %s, less short-term "
		 "borrowing %s, unspent earmarked funds %s, dividends declared and unpaid %s)",
		 a, b, c, d, e);
}

/* Households' part and welfare within the own cash at the end of month p. */
static int
check_covered(cj_db *db, const cj_dividend_plan *plan, cj_period p, const cj_own_cash *o)
{
	char a[CJ_MONEY_FMT_MAX], why[400];

	if (plan->households_fen + plan->welfare_fen <= o->own_fen)
		return 0;
	cj_money_format(a, sizeof a, cj_money_from_fen(plan->households_fen + plan->welfare_fen),
			CJ_MONEY_FMT_GROUPED);
	own_cash_text(why, sizeof why, o);
	return cj_db_fail(db, CJ_EREFUSED,
			  _("the distribution for %d pays out %s yuan but at the end of %04d-%02d %s; "
			  "no dividends from borrowed, earmarked or uncollected money (严禁举债分配)"),
			  plan->year, a, p.year, p.month, why);
}

void
cj_dividend_plan_free(cj_dividend_plan *plan)
{
	free(plan->households);
	plan->households = NULL;
	plan->nhouseholds = 0;
}

static int
read_income(cj_db *db, int village_id, int year, cj_dividend_plan *out)
{
	char vid[16], y[16];
	const char *params[2] = {vid, y};
	PGresult *res;
	int err;

	snprintf(vid, sizeof vid, "%d", village_id);
	snprintf(y, sizeof y, "%d", year);
	err = cj_db_exec(db, &res, income_sql, 2, params);
	if (err)
		return err;
	out->income_fen = cj__int64(PQgetvalue(res, 0, 0));
	out->earmarked_fen = cj__int64(PQgetvalue(res, 0, 1));
	out->expense_fen = cj__int64(PQgetvalue(res, 0, 2));
	out->year_result_fen = cj__int64(PQgetvalue(res, 0, 3));
	out->brought_forward_fen = cj__int64(PQgetvalue(res, 0, 4));
	out->distributable_fen = cj__int64(PQgetvalue(res, 0, 5));
	PQclear(res);
	return 0;
}

int
cj_dividend_compute(cj_db *db, int village_id, int year, int reserve_rate_bp, int welfare_rate_bp,
		    int64_t pool_fen, cj_date shares_on, cj_dividend_plan *out)
{
	char vid[16], d[16], a[CJ_MONEY_FMT_MAX], b[CJ_MONEY_FMT_MAX];
	const char *params[2] = {vid, d};
	PGresult *res = NULL;
	cj_money reserve, welfare, *parts = NULL;
	int64_t *weights = NULL;
	size_t n;
	int err;

	memset(out, 0, sizeof *out);
	out->village_id = village_id;
	out->year = year;
	out->reserve_rate_bp = reserve_rate_bp;
	out->welfare_rate_bp = welfare_rate_bp;
	out->shares_on = shares_on;
	if (reserve_rate_bp < 0 || welfare_rate_bp < 0 || reserve_rate_bp + welfare_rate_bp > 10000)
		return cj_db_fail(db, CJ_EINVAL, _("the reserve and welfare rates must be 0-100%% together"));
	err = read_income(db, village_id, year, out);
	if (err)
		return err;
	if (out->year_result_fen < 0) {
		cj_money_format(a, sizeof a, cj_money_from_fen(-out->year_result_fen), CJ_MONEY_FMT_GROUPED);
		return cj_db_fail(db, CJ_EREFUSED,
				  _("%d shows a loss of %s yuan (earmarked income excluded); no dividends "
				  "from a loss"),
				  year, a);
	}
	if (out->distributable_fen <= 0) {
		cj_money_format(a, sizeof a, cj_money_from_fen(out->distributable_fen), CJ_MONEY_FMT_GROUPED);
		return cj_db_fail(db, CJ_EREFUSED,
				  _("undistributed income for %d is %s yuan; nothing may be distributed "
				  "(no borrowing to pay dividends)"),
				  year, a);
	}
	/* set-asides are rounded half up to the fen; the pool takes the rest */
	err = cj_money_mul_ratio(&reserve, cj_money_from_fen(out->distributable_fen), reserve_rate_bp,
				 10000, CJ_ROUND_HALF_UP);
	if (!err)
		err = cj_money_mul_ratio(&welfare, cj_money_from_fen(out->distributable_fen),
					 welfare_rate_bp, 10000, CJ_ROUND_HALF_UP);
	if (err)
		return cj_db_fail(db, err, _("amount out of range"));
	out->reserve_fen = reserve.fen;
	out->welfare_fen = welfare.fen;
	out->max_pool_fen = out->distributable_fen - reserve.fen - welfare.fen;
	err = cj_own_cash_get(db, village_id, cj_period_of(shares_on), &out->own);
	if (err)
		return err;
	/* the largest pool stays within the own cash (严禁举债分配) */
	out->pool_fen = pool_fen >= 0 ? pool_fen
		      : out->own.own_fen - welfare.fen < out->max_pool_fen ? out->own.own_fen - welfare.fen
									       : out->max_pool_fen;
	if (pool_fen < 0 && out->pool_fen <= 0) {
		char why[400];
		own_cash_text(why, sizeof why, &out->own);
		return cj_db_fail(db, CJ_EREFUSED,
				  _("nothing may be distributed for %d: at the end of %04d-%02d %s; no "
				  "dividends from borrowed, earmarked or uncollected money (严禁举债分配)"),
				  year, shares_on.year, shares_on.month, why);
	}
	if (out->pool_fen > out->max_pool_fen) {
		cj_money_format(a, sizeof a, cj_money_from_fen(out->pool_fen), CJ_MONEY_FMT_GROUPED);
		cj_money_format(b, sizeof b, cj_money_from_fen(out->max_pool_fen), CJ_MONEY_FMT_GROUPED);
		return cj_db_fail(db, CJ_EREFUSED,
				  _("a pool of %s yuan exceeds the %s yuan that may be distributed after "
				  "公积公益金 and 福利"),
				  a, b);
	}
	if (out->pool_fen <= 0)
		return cj_db_fail(db, CJ_EREFUSED, _("the pool must be positive"));

	snprintf(vid, sizeof vid, "%d", village_id);
	cj_date_format(d, sizeof d, shares_on);
	err = cj_db_exec(db, &res, shares_sql, 2, params);
	if (err)
		return err;
	n = (size_t)PQntuples(res);
	out->households = calloc(n ? n : 1, sizeof *out->households);
	weights = calloc(n ? n : 1, sizeof *weights);
	parts = calloc(n ? n : 1, sizeof *parts);
	if (!out->households || !weights || !parts) {
		err = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		weights[i] = cj__int64(PQgetvalue(res, (int)i, 3));
		out->total_shares_centi += weights[i];
	}
	if (out->total_shares_centi <= 0) {
		err = cj_db_fail(db, CJ_EREFUSED, _("no shares are in force on %s; add the member register "
						  "first (cunji member add)"), d);
		goto done;
	}
	err = cj_money_allocate(parts, n, cj_money_from_fen(out->pool_fen), weights);
	if (err) {
		err = cj_db_fail(db, err, _("allocation failed"));
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		if (PQgetisnull(res, (int)i, 0)) {
			out->collective_shares_centi = weights[i];
			out->collective_fen = parts[i].fen;
			continue;
		}
		cj_dividend_household *h = &out->households[out->nhouseholds++];
		cj__strlcpy(h->code, PQgetvalue(res, (int)i, 0), sizeof h->code);
		cj__strlcpy(h->head, PQgetvalue(res, (int)i, 1), sizeof h->head);
		cj__strlcpy(h->id_masked, PQgetvalue(res, (int)i, 2), sizeof h->id_masked);
		h->shares_centi = weights[i];
		h->amount_fen = parts[i].fen;
		out->households_fen += parts[i].fen;
	}
	err = check_covered(db, out, cj_period_of(shares_on), &out->own);
done:
	if (err)
		cj_dividend_plan_free(out);
	free(weights);
	free(parts);
	PQclear(res);
	return err;
}

/* A payable sub-account under 211 应付款 (created on first use), or 211
 * itself when it is a leaf that already carries postings. */
static int
payable_account(cj_db *db, int village_id, const char *code, const char *name, char out[16])
{
	cj_account a;
	int err;

	if (cj_account_find(db, village_id, code, &a) == 0) {
		cj__strlcpy(out, code, 16);
		return 0;
	}
	err = cj_account_find(db, village_id, "211", &a);
	if (err)
		return err;
	/* inside the declaration's transaction: a refusal must not abort it */
	err = cj_db_exec(db, NULL, "SAVEPOINT payable_account", 0, NULL);
	if (err)
		return err;
	err = cj_account_add(db, village_id, code, name);
	if (err == CJ_EREFUSED && a.is_leaf) {
		err = cj_db_exec(db, NULL, "ROLLBACK TO SAVEPOINT payable_account", 0, NULL);
		if (!err)
			cj__strlcpy(out, "211", 16);
		return err;
	}
	if (!err)
		cj__strlcpy(out, code, 16);
	return err;
}

static void
centi_text(char buf[32], int64_t centi)
{
	snprintf(buf, 32, "%lld.%02lld", (long long)(centi / 100), (long long)(centi % 100));
}

/* Under review: the plan and its households, declared when the draft is
 * posted (0032); $3.. as the INSERTs of the direct path below. */
static const char post_action_sql[] =
	"INSERT INTO draft_action (village_id, draft_id, action, year, detail)\n"
	"SELECT $2, d, 'dividend post', $3,\n"
	"       jsonb_build_object('distributable_fen', $4::bigint, 'reserve_rate_bp', $5::integer,\n"
	"           'reserve_fen', $6::bigint, 'welfare_rate_bp', $7::integer,\n"
	"           'welfare_fen', $8::bigint, 'pool_fen', $9::bigint, 'collective_fen', $10::bigint,\n"
	"           'households_fen', $11::bigint, 'total_shares', $12::numeric,\n"
	"           'shares_on', $13::date, 'method', $14::text, 'declared_on', $15::date,\n"
	"           'lines', (SELECT coalesce(jsonb_agg(jsonb_build_object('code', c, 'shares', s,\n"
	"                                                         'amount_fen', a) ORDER BY o), '[]')\n"
	"                       FROM unnest($16::text[], $17::numeric[], $18::bigint[])\n"
	"                            WITH ORDINALITY AS u(c, s, a, o)))\n"
	"  FROM unnest($1::bigint[]) d";

int
cj_dividend_post(cj_poster *p, const cj_dividend_plan *plan, cj_date date, cj_submitted *out)
{
	cj_db *db = cj__poster_db(p);
	char member_acct[16], welfare_acct[16], vid[16], y[16], summary[200], date_text[16];
	char dist[CJ_I64_MAX], rr[16], rf[CJ_I64_MAX], wr[16], wf[CJ_I64_MAX], pool[CJ_I64_MAX];
	char coll[CJ_I64_MAX], hh[CJ_I64_MAX], shares[32], vno[CJ_I64_MAX], on[16];
	cj_buf codes = CJ_BUF_INIT, sh = CJ_BUF_INIT, amounts = CJ_BUF_INIT;
	cj_line *lines;
	size_t n = 0;
	cj_voucher v;
	int err, review = 0;

	memset(out, 0, sizeof *out);
	err = cj__action_review(db, plan->village_id, &review);
	if (err)
		return err;
	lines = calloc(plan->nhouseholds + 3, sizeof *lines);
	if (!lines)
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	err = cj_db_begin(db);
	if (err) {
		free(lines);
		return err;
	}
	{
		/* the database checks it again (CJ024) */
		cj_own_cash own;
		err = cj_own_cash_get(db, plan->village_id, cj_period_of(date), &own);
		if (!err)
			err = check_covered(db, plan, cj_period_of(date), &own);
		if (err)
			goto done;
	}
	err = payable_account(db, plan->village_id, "211090", "应付成员分红", member_acct);
	if (!err && plan->welfare_fen > 0)
		err = payable_account(db, plan->village_id, "211091", "应付福利费", welfare_acct);
	if (err)
		goto done;

	lines[n].account = "322002";
	lines[n++].debit = cj_money_from_fen(plan->reserve_fen + plan->welfare_fen +
					     plan->households_fen);
	if (plan->reserve_fen > 0) {
		lines[n].account = "311";
		lines[n].summary = "提取公积公益金";
		lines[n++].credit = cj_money_from_fen(plan->reserve_fen);
	}
	if (plan->welfare_fen > 0) {
		lines[n].account = welfare_acct;
		lines[n].summary = "提取福利费";
		lines[n++].credit = cj_money_from_fen(plan->welfare_fen);
	}
	cj__buf_putc(&codes, '{');
	cj__buf_putc(&sh, '{');
	cj__buf_putc(&amounts, '{');
	for (size_t i = 0; i < plan->nhouseholds; i++) {
		const cj_dividend_household *h = &plan->households[i];
		if (h->amount_fen > 0) {
			lines[n].account = member_acct;
			lines[n].counterparty = h->code;
			lines[n].summary = "应付成员分红";
			lines[n++].credit = cj_money_from_fen(h->amount_fen);
		}
		if (i)
			cj__buf_putc(&sh, ','); /* the array helpers separate their own */
		cj__buf_array_text(&codes, h->code);
		centi_text(shares, h->shares_centi);
		cj__buf_puts(&sh, shares);
		cj__buf_array_i64(&amounts, h->amount_fen);
	}
	cj__buf_putc(&codes, '}');
	cj__buf_putc(&sh, '}');
	cj__buf_putc(&amounts, '}');
	if (!cj__buf_ok(&codes) || !cj__buf_ok(&sh) || !cj__buf_ok(&amounts)) {
		err = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		goto done;
	}
	snprintf(summary, sizeof summary, "%d年度收益分配", plan->year);
	memset(&v, 0, sizeof v);
	v.village_id = plan->village_id;
	v.date = date;
	v.summary = summary;
	v.lines = lines;
	v.nlines = n;
	if (!review) {
		cj_poster_join_transaction(p, 1);
		err = cj_post_batch(p, &v, 1, &out->posted);
		cj_poster_join_transaction(p, 0);
	}
	if (err)
		goto done;

	snprintf(vid, sizeof vid, "%d", plan->village_id);
	snprintf(y, sizeof y, "%d", plan->year);
	snprintf(rr, sizeof rr, "%d", plan->reserve_rate_bp);
	snprintf(wr, sizeof wr, "%d", plan->welfare_rate_bp);
	centi_text(shares, plan->total_shares_centi);
	cj_date_format(date_text, sizeof date_text, date);
	cj_date_format(on, sizeof on, plan->shares_on);
	if (review) {
		const char *params[18] = {NULL, vid, y, cj__i64(dist, plan->distributable_fen), rr,
					  cj__i64(rf, plan->reserve_fen), wr,
					  cj__i64(wf, plan->welfare_fen), cj__i64(pool, plan->pool_fen),
					  cj__i64(coll, plan->collective_fen),
					  cj__i64(hh, plan->households_fen), shares, on,
					  CJ_DIVIDEND_METHOD, date_text, codes.data, sh.data,
					  amounts.data};
		err = cj__action_drafts(db, &v, 1, post_action_sql, 18, params, out);
		if (err == CJ_EEXISTS && strstr(cj_db_errmsg(db), "draft_action_plan"))
			err = cj_db_fail(db, CJ_EREFUSED,
					 _("a draft declaring the %d distribution already awaits review; "
					 "review and post it, or its preparer deletes it"),
					 plan->year);
		if (!err)
			err = cj_db_commit(db);
		goto done;
	}
	{
		const char *params[15] = {vid, y, cj__i64(dist, plan->distributable_fen), rr,
					  cj__i64(rf, plan->reserve_fen), wr,
					  cj__i64(wf, plan->welfare_fen), cj__i64(pool, plan->pool_fen),
					  cj__i64(coll, plan->collective_fen),
					  cj__i64(hh, plan->households_fen), shares, on,
					  CJ_DIVIDEND_METHOD, date_text, cj__i64(vno, out->posted.id)};
		err = cj_db_exec(db, NULL,
				 "INSERT INTO dividend_plan (village_id, year, distributable_fen,\n"
				 "       reserve_rate_bp, reserve_fen, welfare_rate_bp, welfare_fen,\n"
				 "       pool_fen, collective_fen, households_fen, total_shares, shares_on,\n"
				 "       method, declared_on, voucher_id)\n"
				 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
				 15, params);
	}
	if (!err) {
		const char *params[5] = {vid, y, codes.data, sh.data, amounts.data};
		err = cj_db_exec(db, NULL,
				 "INSERT INTO dividend_line (village_id, year, household_code, shares,\n"
				 "       amount_fen)\n"
				 "SELECT $1, $2, * FROM unnest($3::text[], $4::numeric[], $5::bigint[])",
				 5, params);
	}
	if (!err)
		err = cj_db_commit(db);
done:
	if (err)
		cj_db_rollback(db);
	cj__buf_free(&codes);
	cj__buf_free(&sh);
	cj__buf_free(&amounts);
	free(lines);
	return err;
}

int
cj_dividend_load(cj_db *db, int village_id, int year, cj_dividend_plan *out)
{
	char vid[16], y[16];
	const char *params[2] = {vid, y};
	PGresult *res;
	int err;

	memset(out, 0, sizeof *out);
	out->village_id = village_id;
	out->year = year;
	err = read_income(db, village_id, year, out);
	if (err)
		return err;
	snprintf(vid, sizeof vid, "%d", village_id);
	snprintf(y, sizeof y, "%d", year);
	err = cj_db_exec(db, &res, load_plan_sql, 2, params);
	if (err)
		return err;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOTFOUND, _("no dividend plan was declared for %d"), year);
	}
	out->posted = 1;
	out->distributable_fen = cj__int64(PQgetvalue(res, 0, 0));
	out->reserve_rate_bp = atoi(PQgetvalue(res, 0, 1));
	out->reserve_fen = cj__int64(PQgetvalue(res, 0, 2));
	out->welfare_rate_bp = atoi(PQgetvalue(res, 0, 3));
	out->welfare_fen = cj__int64(PQgetvalue(res, 0, 4));
	out->pool_fen = cj__int64(PQgetvalue(res, 0, 5));
	out->max_pool_fen = out->distributable_fen - out->reserve_fen - out->welfare_fen;
	out->collective_fen = cj__int64(PQgetvalue(res, 0, 6));
	out->households_fen = cj__int64(PQgetvalue(res, 0, 7));
	out->total_shares_centi = cj__int64(PQgetvalue(res, 0, 8));
	out->shares_on = cj__date_from_db(PQgetvalue(res, 0, 9));
	PQclear(res);
	err = cj_db_exec(db, &res, load_lines_sql, 2, params);
	if (err)
		return err;
	out->households = calloc((size_t)PQntuples(res) + 1, sizeof *out->households);
	if (!out->households) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	for (int i = 0; i < PQntuples(res); i++) {
		cj_dividend_household *h = &out->households[out->nhouseholds++];
		cj__strlcpy(h->code, PQgetvalue(res, i, 0), sizeof h->code);
		cj__strlcpy(h->head, PQgetvalue(res, i, 1), sizeof h->head);
		cj__strlcpy(h->id_masked, PQgetvalue(res, i, 2), sizeof h->id_masked);
		h->shares_centi = cj__int64(PQgetvalue(res, i, 3));
		h->amount_fen = cj__int64(PQgetvalue(res, i, 4));
		h->paid = PQgetvalue(res, i, 5)[0] == 't';
		h->has_bank = PQgetvalue(res, i, 6)[0] == 't';
	}
	out->collective_shares_centi = out->total_shares_centi;
	for (size_t i = 0; i < out->nhouseholds; i++)
		out->collective_shares_centi -= out->households[i].shares_centi;
	PQclear(res);
	return 0;
}

static int
wanted(const cj_dividend_household *h, const char *const *codes, size_t ncodes)
{
	for (size_t c = 0; c < ncodes; c++)
		if (!strcmp(codes[c], h->code))
			return 1;
	return ncodes == 0;
}

/* Before paying by bank: every household to be paid has a bank account on
 * record (all that lack one are named), and the collective's own cash is not
 * below zero (the payment would come from borrowed or earmarked money). */
static int
check_payable(cj_db *db, const cj_dividend_plan *plan, cj_date date, const char *const *codes,
	      size_t ncodes)
{
	cj_buf missing = CJ_BUF_INIT;
	cj_own_cash own;
	size_t n = 0;
	int err;

	for (size_t i = 0; i < plan->nhouseholds; i++) {
		const cj_dividend_household *h = &plan->households[i];
		if (h->paid || h->amount_fen == 0 || h->has_bank || !wanted(h, codes, ncodes))
			continue;
		cj__buf_printf(&missing, "%s%s %s", n++ ? ", " : "", h->code, h->head);
	}
	if (n) {
		err = cj_db_fail(db, CJ_EREFUSED,
				 _("%zu household%s ha%s no bank account on record, so %s %d dividend "
				 "cannot be paid by bank: %s; complete the register first (cunji member "
				 "bank); nothing was paid"),
				 n, n == 1 ? "" : "s", n == 1 ? "s" : "ve", n == 1 ? "its" : "their",
				 plan->year, cj__buf_ok(&missing) ? missing.data : "(out of memory)");
		cj__buf_free(&missing);
		return err;
	}
	cj__buf_free(&missing);
	err = cj_own_cash_get(db, plan->village_id, cj_period_of(date), &own);
	if (!err && own.own_fen < 0) {
		char why[400];
		own_cash_text(why, sizeof why, &own);
		err = cj_db_fail(db, CJ_EREFUSED,
				 _("at the end of %04d-%02d %s: paying the %d dividends now would pay "
				 "them from borrowed or earmarked money (严禁举债分配); nothing was paid"),
				 date.year, date.month, why, plan->year);
	}
	return err;
}

/* Under review: each draft pays the household of $3 (in the order of the
 * drafts), when it is posted. */
static const char pay_action_sql[] =
	"INSERT INTO draft_action (village_id, draft_id, action, household_code, year)\n"
	"SELECT $2, d, 'dividend pay', h, $4\n"
	"  FROM unnest($1::bigint[], $3::text[]) AS u(d, h)";

int
cj_dividend_pay(cj_poster *p, int village_id, int year, cj_date date, const char *bank,
		const char *const *codes, size_t ncodes, size_t *npaid, int64_t *batch)
{
	cj_db *db = cj__poster_db(p);
	cj_dividend_plan plan;
	char member_acct[16], bank_acct[16], summary[200], vid[16], y[16];
	cj_voucher *v = NULL;
	cj_line *lines = NULL;
	cj_posted *posted = NULL;
	cj_submitted *drafts = NULL;
	cj_buf households = CJ_BUF_INIT;
	size_t n = 0;
	int err, review = 0;

	*npaid = 0;
	if (batch)
		*batch = 0;
	err = cj__action_review(db, village_id, &review);
	if (err)
		return err;
	err = cj_dividend_load(db, village_id, year, &plan);
	if (err)
		return err;
	for (size_t c = 0; c < ncodes; c++) {
		size_t i;
		for (i = 0; i < plan.nhouseholds && strcmp(plan.households[i].code, codes[c]); i++)
			;
		if (i == plan.nhouseholds) {
			err = cj_db_fail(db, CJ_ENOTFOUND, _("household %s has no dividend for %d"),
					 codes[c], year);
			goto done;
		}
		if (plan.households[i].paid) {
			err = cj_db_fail(db, CJ_EREFUSED, _("household %s has already been paid for %d"),
					 codes[c], year);
			goto done;
		}
	}
	err = check_payable(db, &plan, date, codes, ncodes);
	if (err)
		goto done;
	if (bank)
		cj__strlcpy(bank_acct, bank, sizeof bank_acct);
	else {
		PGresult *res;
		char id[16];
		const char *params[1] = {id};
		snprintf(id, sizeof id, "%d", village_id);
		err = cj_db_exec(db, &res,
				 "SELECT code FROM account WHERE village_id = $1 AND code LIKE '102%'\n"
				 "   AND is_leaf AND active ORDER BY code LIMIT 1",
				 1, params);
		if (err)
			goto done;
		if (PQntuples(res) == 0)
			err = cj_db_fail(db, CJ_ENOTFOUND, _("no bank account (102) to pay from"));
		else
			cj__strlcpy(bank_acct, PQgetvalue(res, 0, 0), sizeof bank_acct);
		PQclear(res);
		if (err)
			goto done;
	}
	/* the declaration used 211090, or 211 when that could not be made */
	if (cj_account_find(db, village_id, "211090", &(cj_account){0}) == 0)
		cj__strlcpy(member_acct, "211090", sizeof member_acct);
	else
		cj__strlcpy(member_acct, "211", sizeof member_acct);

	v = calloc(plan.nhouseholds + 1, sizeof *v);
	lines = calloc(plan.nhouseholds * 2 + 2, sizeof *lines);
	posted = calloc(plan.nhouseholds + 1, sizeof *posted);
	if (!v || !lines || !posted) {
		err = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		goto done;
	}
	snprintf(summary, sizeof summary, "支付%d年度成员分红", year);
	for (size_t i = 0; i < plan.nhouseholds; i++) {
		cj_dividend_household *h = &plan.households[i];
		if (!wanted(h, codes, ncodes) || h->paid || h->amount_fen == 0)
			continue;
		cj_line *l = &lines[n * 2];
		l[0].account = member_acct;
		l[0].debit = cj_money_from_fen(h->amount_fen);
		l[0].counterparty = h->code;
		l[1].account = bank_acct;
		l[1].credit = cj_money_from_fen(h->amount_fen);
		l[1].counterparty = h->code;
		v[n].village_id = village_id;
		v[n].date = date;
		v[n].summary = summary;
		v[n].lines = l;
		v[n].nlines = 2;
		n++;
	}
	if (n == 0)
		goto done;
	snprintf(vid, sizeof vid, "%d", village_id);
	snprintf(y, sizeof y, "%d", year);
	if (review) {
		const char *params[4] = {NULL, vid, NULL, y};
		cj__buf_putc(&households, '{');
		for (size_t i = 0; i < n; i++)
			cj__buf_array_text(&households, v[i].lines[0].counterparty);
		cj__buf_putc(&households, '}');
		drafts = calloc(n, sizeof *drafts);
		if (!drafts || !cj__buf_ok(&households)) {
			err = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
			goto done;
		}
		params[2] = households.data;
		err = cj__action_drafts(db, v, n, pay_action_sql, 4, params, drafts);
		if (err == CJ_EEXISTS && strstr(cj_db_errmsg(db), "draft_action_dividend_pay"))
			err = cj_db_fail(db, CJ_EREFUSED,
					 _("a draft paying the %d dividend of one of these households "
					 "already awaits review; review and post it, or its preparer "
					 "deletes it"),
					 year);
		if (!err) {
			*npaid = n;
			if (batch)
				*batch = drafts[0].batch_id;
		}
		goto done;
	}
	err = cj_db_begin(db);
	if (err)
		goto done;
	cj_poster_join_transaction(p, 1);
	err = cj_post_batch(p, v, n, posted);
	cj_poster_join_transaction(p, 0);
	for (size_t i = 0; i < n && !err; i++) {
		char pv[CJ_I64_MAX];
		const char *params[4] = {vid, y, v[i].lines[0].counterparty, cj__i64(pv, posted[i].id)};
		err = cj_db_exec(db, NULL,
				 "UPDATE dividend_line SET paid_voucher_id = $4\n"
				 " WHERE village_id = $1 AND year = $2 AND household_code = $3",
				 4, params);
	}
	if (!err)
		err = cj_db_commit(db);
	else
		cj_db_rollback(db);
	if (!err)
		*npaid = n;
done:
	cj_dividend_plan_free(&plan);
	cj__buf_free(&households);
	free(drafts);
	free(v);
	free(lines);
	free(posted);
	return err;
}
