/*
 * period.c - closing months and the year-end close
 *
 * A month is open until a row in period_state says it is closed.  The
 * database refuses postings into closed months and records every close and
 * reopen (trigger period_state_change); this file adds the bookkeeping
 * order: months close in sequence and reopen from the latest back.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ledger/i18n.h>

#include "internal.h"

static const char closed_sql[] =
	"SELECT closed FROM period_state WHERE village_id = $1 AND period = $2";

static const char open_before_sql[] =
	"SELECT to_char(m, 'YYYY-MM')\n"
	"  FROM village_books b,\n"
	"       generate_series(b.start_period, $2::date - interval '1 month', interval '1 month') m\n"
	" WHERE b.village_id = $1\n"
	"   AND NOT EXISTS (SELECT 1 FROM period_state p WHERE p.village_id = $1\n"
	"                   AND p.period = m AND p.closed)\n"
	" ORDER BY m LIMIT 1";

static const char closed_after_sql[] =
	"SELECT to_char(max(period), 'YYYY-MM') FROM period_state\n"
	" WHERE village_id = $1 AND period > $2 AND closed HAVING count(*) > 0";

static const char set_state_sql[] =
	"INSERT INTO period_state (village_id, period, closed) VALUES ($1, $2, $3)\n"
	"ON CONFLICT (village_id, period) DO UPDATE SET closed = EXCLUDED.closed";

static const char set_reason_sql[] = "SELECT set_config('cunji.reason', $1, true)";

static const char year_closed_sql[] =
	"SELECT 1 FROM fiscal_year WHERE village_id = $1 AND year = $2";

/* Balances of the accounts the close moves, through 31 December (bigint:
 * a sum that does not fit is an error, never a clamped figure). */
static const char close_balances_sql[] =
	"SELECT a.code, a.category, sum(t.debit_fen - t.credit_fen)::bigint\n"
	"  FROM account_period_total t\n"
	"  JOIN account a ON a.village_id = t.village_id AND a.code = t.account_code\n"
	" WHERE t.village_id = $1 AND t.period <= $2\n"
	"   AND (a.category IN ('income', 'expense') OR a.code = '321' OR a.code LIKE '322002%')\n"
	" GROUP BY a.code, a.category\n"
	"HAVING sum(t.debit_fen - t.credit_fen) <> 0\n"
	" ORDER BY a.code";

static const char leftover_sql[] =
	"SELECT a.code, sum(t.debit_fen - t.credit_fen)::bigint\n"
	"  FROM account_period_total t\n"
	"  JOIN account a ON a.village_id = t.village_id AND a.code = t.account_code\n"
	" WHERE t.village_id = $1 AND t.period <= $2\n"
	"   AND (a.category IN ('income', 'expense') OR a.code = '321')\n"
	" GROUP BY a.code HAVING sum(t.debit_fen - t.credit_fen) <> 0 LIMIT 1";

/* One row per village seen; each sub-select reads one village's index range. */
static const char village_months_sql[] =
	"SELECT o.id, o.code, o.name, coalesce(t.code, ''), to_char(b.start_period, 'YYYY-MM'),\n"
	"       (SELECT to_char(max(p.period), 'YYYY-MM') FROM period_state p\n"
	"         WHERE p.village_id = o.id AND p.closed),\n"
	"       (SELECT to_char(max(v.period), 'YYYY-MM') FROM voucher v WHERE v.village_id = o.id),\n"
	"       d.drafts, d.reviewed, d.rejected, coalesce(t.name, '')\n"
	"  FROM org o\n"
	"  JOIN village_books b ON b.village_id = o.id\n"
	"  LEFT JOIN org t ON t.id = o.parent_id\n"
	"  CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE state = 'draft') AS drafts,\n"
	"                             count(*) FILTER (WHERE state = 'reviewed') AS reviewed,\n"
	"                             count(*) FILTER (WHERE state = 'rejected') AS rejected\n"
	"                        FROM draft_voucher dv WHERE dv.village_id = o.id) d\n"
	" WHERE o.level = 'village'\n"
	" ORDER BY o.code";

static const char insert_year_sql[] = "INSERT INTO fiscal_year (village_id, year) VALUES ($1, $2)";

int
cj_village_months(cj_db *db, cj_village_month **out, size_t *n)
{
	PGresult *res;
	cj_village_month *rows;
	int err, nrows;

	*out = NULL;
	*n = 0;
	if ((err = cj_db_exec(db, &res, village_months_sql, 0, NULL)))
		return err;
	nrows = PQntuples(res);
	if (!(rows = calloc(nrows ? (size_t)nrows : 1, sizeof *rows))) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOMEM, "out of memory");
	}
	for (int i = 0; i < nrows; i++) {
		cj_village_month *m = &rows[i];
		m->village.id = atoi(PQgetvalue(res, i, 0));
		m->village.level = CJ_ORG_VILLAGE;
		cj__strlcpy(m->village.code, PQgetvalue(res, i, 1), sizeof m->village.code);
		cj__strlcpy(m->village.name, PQgetvalue(res, i, 2), sizeof m->village.name);
		cj__strlcpy(m->village.parent_code, PQgetvalue(res, i, 3), sizeof m->village.parent_code);
		if (cj_period_parse(&m->village.start, PQgetvalue(res, i, 4)))
			memset(&m->village.start, 0, sizeof m->village.start);
		m->has_closed = !PQgetisnull(res, i, 5) &&
				!cj_period_parse(&m->last_closed, PQgetvalue(res, i, 5));
		m->has_vouchers = !PQgetisnull(res, i, 6) &&
				  !cj_period_parse(&m->last_voucher, PQgetvalue(res, i, 6));
		m->drafts = atoi(PQgetvalue(res, i, 7));
		m->reviewed = atoi(PQgetvalue(res, i, 8));
		m->rejected = atoi(PQgetvalue(res, i, 9));
		cj__strlcpy(m->township, PQgetvalue(res, i, 10), sizeof m->township);
	}
	PQclear(res);
	*out = rows;
	*n = (size_t)nrows;
	return 0;
}

int
cj_period_is_closed(cj_db *db, int village_id, cj_period p, int *closed_out)
{
	char id[16], per[16];
	const char *params[2] = {id, per};
	PGresult *res;
	int err;

	snprintf(id, sizeof id, "%d", village_id);
	cj__period_date(per, sizeof per, p);
	err = cj_db_exec(db, &res, closed_sql, 2, params);
	if (err)
		return err;
	*closed_out = PQntuples(res) > 0 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return 0;
}

static int
set_state(cj_db *db, int village_id, cj_period p, int closed, const char *reason)
{
	char id[16], per[16];
	const char *params[3] = {id, per, closed ? "true" : "false"};
	const char *rp[1] = {reason ? reason : ""};
	int err;

	snprintf(id, sizeof id, "%d", village_id);
	cj__period_date(per, sizeof per, p);
	err = cj_db_exec(db, NULL, set_reason_sql, 1, rp);
	if (!err)
		err = cj_db_exec(db, NULL, set_state_sql, 3, params);
	return err;
}

/* Runs query with (village, period) and returns its first cell, or "" */
static int
first_cell(cj_db *db, const char *sql, int village_id, cj_period p, char *out, size_t size)
{
	char id[16], per[16];
	const char *params[2] = {id, per};
	PGresult *res;
	int err;

	snprintf(id, sizeof id, "%d", village_id);
	cj__period_date(per, sizeof per, p);
	out[0] = '\0';
	err = cj_db_exec(db, &res, sql, 2, params);
	if (err)
		return err;
	if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
		cj__strlcpy(out, PQgetvalue(res, 0, 0), size);
	PQclear(res);
	return 0;
}

int
cj_period_close(cj_db *db, int village_id, cj_period p, const char *reason)
{
	char name[16], open[16];
	int closed, err;

	cj_period_format(name, sizeof name, p);
	err = cj_db_begin(db);
	if (!err)
		err = cj_period_is_closed(db, village_id, p, &closed);
	if (!err && closed)
		err = cj_db_fail(db, CJ_EREFUSED, _("period %s is already closed"), name);
	if (!err)
		err = first_cell(db, open_before_sql, village_id, p, open, sizeof open);
	if (!err && open[0])
		err = cj_db_fail(db, CJ_EREFUSED,
				 _("period %s cannot be closed while an earlier month (%s) is open; "
				 "months close in order"),
				 name, open);
	if (!err)
		err = set_state(db, village_id, p, 1, reason);
	if (!err)
		err = cj_db_commit(db);
	if (err)
		cj_db_rollback(db);
	return err;
}

int
cj_period_reopen(cj_db *db, int village_id, cj_period p, const char *reason)
{
	char name[16], later[16];
	int closed, err;

	cj_period_format(name, sizeof name, p);
	if (!reason || !*reason)
		return cj_db_fail(db, CJ_EINVAL, _("reopening period %s needs a reason (--reason)"), name);
	err = cj_db_begin(db);
	if (!err)
		err = cj_period_is_closed(db, village_id, p, &closed);
	if (!err && !closed)
		err = cj_db_fail(db, CJ_EREFUSED, _("period %s is not closed"), name);
	if (!err)
		err = first_cell(db, closed_after_sql, village_id, p, later, sizeof later);
	if (!err && later[0])
		err = cj_db_fail(db, CJ_EREFUSED,
				 _("period %s cannot be reopened while a later month (%s) is closed; "
				 "reopen from the latest month back"),
				 name, later);
	if (!err)
		err = set_state(db, village_id, p, 0, reason); /* the database refuses a closed year */
	if (!err)
		err = cj_db_commit(db);
	if (err)
		cj_db_rollback(db);
	return err;
}

/* ------------------------------------------------------------------------ */
/* Year-end close */

typedef struct close_plan {
	cj_line *lines;
	size_t n, cap;
} close_plan;

static int
plan_add(close_plan *pl, const char *code, int64_t debit_positive)
{
	/* a line that takes an account's net balance b (debit positive) to zero */
	if (cj_grow((void **)&pl->lines, &pl->cap, pl->n + 1, sizeof *pl->lines))
		return CJ_ENOMEM;
	memset(&pl->lines[pl->n], 0, sizeof pl->lines[pl->n]);
	pl->lines[pl->n].account = code;
	if (debit_positive > 0)
		pl->lines[pl->n].credit = cj_money_from_fen(debit_positive);
	else
		pl->lines[pl->n].debit = cj_money_from_fen(-debit_positive);
	pl->n++;
	return 0;
}

/* Close every balance of accounts matching want into target; returns the
 * amount moved into target (debit positive) through *moved. */
static int
plan_voucher(close_plan *pl, const PGresult *res, const char *want_category, const char *prefix,
	     const char *target, int64_t *moved)
{
	int64_t sum = 0;

	pl->n = 0;
	for (int r = 0; r < PQntuples(res); r++) {
		const char *code = PQgetvalue(res, r, 0);
		int64_t b = cj__int64(PQgetvalue(res, r, 2));
		if (want_category && strcmp(PQgetvalue(res, r, 1), want_category))
			continue;
		if (prefix && strncmp(code, prefix, strlen(prefix)))
			continue;
		if (b == INT64_MIN || __builtin_add_overflow(sum, b, &sum))
			return CJ_EOVERFLOW;
		if (plan_add(pl, code, b))
			return CJ_ENOMEM;
	}
	*moved = sum;
	if (sum == INT64_MIN)
		return CJ_EOVERFLOW;
	if (pl->n && plan_add(pl, target, -sum))
		return CJ_ENOMEM;
	return 0;
}

int
cj_year_close(cj_poster *p, int village_id, int year, const char *preparer,
	      cj_year_close_result *out)
{
	static const struct {
		const char *category, *prefix, *target, *summary;
	} steps[] = {
		{"income", NULL, "321", "结转本年各项收入"},
		{"expense", NULL, "321", "结转本年各项支出"},
		{NULL, "321", "322001", "结转本年收益至未分配收益"},
		{NULL, "322002", "322001", "结转各项分配至未分配收益"},
	};
	cj_db *db = NULL;
	char id[16], yr[16], dec[16];
	const char *params[2] = {id, dec};
	PGresult *res = NULL;
	close_plan pl = {0};
	cj_account acct;
	int err, in_txn = 0;
	int64_t net321 = 0;

	memset(out, 0, sizeof *out);
	db = cj__poster_db(p);
	snprintf(id, sizeof id, "%d", village_id);
	snprintf(yr, sizeof yr, "%d", year);
	snprintf(dec, sizeof dec, "%04d-12-01", year);

	/* 321 and 322001 take the closing entries, so they must be leaves */
	err = cj_account_find(db, village_id, "321", &acct);
	if (!err && !acct.is_leaf)
		err = cj_db_fail(db, CJ_EREFUSED, _("account 321 本年收益 has sub-accounts; the "
						  "year-end close needs it as a leaf"));
	if (!err)
		err = cj_account_find(db, village_id, "322001", &acct);
	if (!err && !acct.is_leaf)
		err = cj_db_fail(db, CJ_EREFUSED, _("account 322001 未分配收益 has sub-accounts; "
						  "the year-end close needs it as a leaf"));
	if (err)
		goto done;

	err = cj_db_begin(db);
	if (err)
		goto done;
	in_txn = 1;
	{
		const char *yp[2] = {id, yr};
		err = cj_db_exec(db, &res, year_closed_sql, 2, yp);
		if (!err && PQntuples(res) > 0)
			err = cj_db_fail(db, CJ_EREFUSED, _("year %d is already closed"), year);
		PQclear(res);
		res = NULL;
		if (err)
			goto done;
	}
	{
		/* the previous year must be closed first, if the books cover it */
		char prev[16], open[16];
		cj_period jan = {year, 1};
		snprintf(prev, sizeof prev, "%d", year - 1);
		err = first_cell(db,
				 "SELECT 1 FROM village_books b WHERE b.village_id = $1\n"
				 "   AND b.start_period < $2\n"
				 "   AND NOT EXISTS (SELECT 1 FROM fiscal_year f WHERE f.village_id = $1\n"
				 "                   AND f.year = extract(year FROM $2::date) - 1)",
				 village_id, jan, open, sizeof open);
		if (!err && open[0])
			err = cj_db_fail(db, CJ_EREFUSED, _("year %s must be closed before year %d"), prev,
					 year);
		if (err)
			goto done;
	}

	cj_poster_join_transaction(p, 1);
	for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
		int64_t moved = 0;
		cj_voucher v;

		/* each step sees the balances left by the previous one */
		err = cj_db_exec(db, &res, close_balances_sql, 2, params);
		if (err)
			goto done;
		err = plan_voucher(&pl, res, steps[s].category, steps[s].prefix, steps[s].target,
				   &moved);
		if (err) {
			err = cj_db_fail(db, err, err == CJ_ENOMEM ? _("out of memory")
								   : _("a balance to close does not fit in "
								     "64-bit fen"));
			goto done;
		}
		if (s == 2)
			net321 = moved;
		if (pl.n >= 2) {
			memset(&v, 0, sizeof v);
			v.village_id = village_id;
			v.date.year = year;
			v.date.month = 12;
			v.date.day = 31;
			v.summary = steps[s].summary;
			v.preparer = preparer;
			v.kind = CJ_VOUCHER_CLOSING;
			v.lines = pl.lines;
			v.nlines = pl.n;
			err = cj_post_batch(p, &v, 1, &out->posted[out->nvouchers]);
			if (err)
				goto done;
			out->nvouchers++;
		}
		PQclear(res);
		res = NULL;
	}
	/* net income is what left 321 for 未分配收益 (a credit balance moved) */
	out->net_income = cj_money_from_fen(-net321);

	/* nothing may remain in profit and loss or in 本年收益 */
	err = cj_db_exec(db, &res, leftover_sql, 2, params);
	if (!err && PQntuples(res) > 0)
		err = cj_db_fail(db, CJ_ERROR, _("after closing, account %s still has a balance of %s fen"),
				 PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
	PQclear(res);
	res = NULL;
	if (err)
		goto done;

	for (int m = 1; m <= 12 && !err; m++) {
		cj_period per = {year, m};
		int closed = 0;
		err = cj_period_is_closed(db, village_id, per, &closed);
		if (!err && !closed)
			err = set_state(db, village_id, per, 1, "year-end close");
	}
	if (!err) {
		const char *yp[2] = {id, yr};
		err = cj_db_exec(db, NULL, insert_year_sql, 2, yp);
	}
	if (!err)
		err = cj_db_commit(db);
	in_txn = 0;
done:
	cj_poster_join_transaction(p, 0);
	if (err && in_txn)
		cj_db_rollback(db);
	PQclear(res);
	free(pl.lines);
	return err;
}

/* The months of a year within the books that no voucher was ever numbered in. */
static const char unposted_sql[] =
	"SELECT string_agg(to_char(m, 'YYYY-MM'), ', ' ORDER BY m)\n"
	"  FROM village_books b,\n"
	"       generate_series(greatest(b.start_period, make_date($2::int, 1, 1)),\n"
	"                       make_date($2::int, 12, 1), interval '1 month') m\n"
	" WHERE b.village_id = $1\n"
	"   AND NOT EXISTS (SELECT 1 FROM voucher_counter k WHERE k.village_id = $1\n"
	"                      AND k.period = m::date AND k.last_number > 0)";

int
cj_year_unposted(cj_db *db, int village_id, int year)
{
	char id[16], yr[16];
	const char *params[2] = {id, yr};
	PGresult *res;
	int err;

	snprintf(id, sizeof id, "%d", village_id);
	snprintf(yr, sizeof yr, "%d", year);
	if ((err = cj_db_exec(db, &res, unposted_sql, 2, params)))
		return err;
	if (!PQgetisnull(res, 0, 0))
		err = cj_db_fail(db, CJ_EREFUSED,
				 _("year %d has months with no voucher posted: %s; post them, or say they "
				 "are empty (--empty-months-ok)"),
				 year, PQgetvalue(res, 0, 0));
	PQclear(res);
	return err;
}
