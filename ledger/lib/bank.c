/*
 * bank.c - a bank statement's lines against the ledger (银行存款余额调节表)
 *
 * The statement lines and the pairs are schema 0027's; bank.h says what
 * counts as outstanding at a month-end.  Matching is done in C over the two
 * lists of unreconciled lines (a village's bank account has some hundreds a
 * year), the pairs written in one statement, which the database checks
 * (CJ270: the same money the same way on the same account).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ledger/bank.h>
#include <ledger/i18n.h>

#include "internal.h"

/* The ledger lines of a bank account that a reconciliation looks at: from
 * the statement's first day ($3), not the opening or closing voucher, not a
 * voided voucher nor its reversal. */
#define LEDGER_LINES                                                                       \
	"SELECT l.voucher_id, l.line_no, v.voucher_date, l.debit_fen, l.credit_fen,\n"     \
	"       to_char(v.period, 'YYYY-MM') || '-' || v.number AS num,\n"                   \
	"       coalesce(nullif(l.summary, ''), v.summary) AS summary\n"                     \
	"  FROM voucher_line l JOIN voucher v ON v.village_id = l.village_id AND v.id = l.voucher_id\n" \
	" WHERE l.village_id = $1 AND l.account_code = $2 AND v.voucher_date >= $3\n"        \
	"   AND v.kind IN ('normal')\n"                                                      \
	"   AND NOT EXISTS (SELECT 1 FROM voucher r WHERE r.village_id = v.village_id\n"    \
	"                     AND r.reverses_id = v.id)\n"

static int
begin_own(cj_db *db, int *own)
{
	*own = !cj__db_in_transaction(db);
	return *own ? cj_db_begin(db) : 0;
}

static int
end_own(cj_db *db, int own, int err)
{
	if (!own)
		return err;
	if (err) {
		cj_db_rollback(db);
		return err;
	}
	return cj_db_commit(db);
}

int
cj_bank_statement_add(cj_db *db, int village_id, const char *account, const char *source,
		      const cj_bank_line *lines, size_t n, size_t *added)
{
	static const char sql[] =
		"WITH l AS (SELECT * FROM unnest($3::date[], $4::bigint[], $5::bigint[], $6::bigint[],\n"
		"                                $7::text[], $8::text[]) WITH ORDINALITY\n"
		"                  AS l(d, i, o, b, s, k, ord))\n"
		"INSERT INTO bank_statement_line (village_id, account_code, line_date, in_fen, out_fen,\n"
		"                                 balance_fen, summary, row_key, source)\n"
		"SELECT $1, $2, d, i, o, b, s, k, $9 FROM l ORDER BY ord\n"
		"ON CONFLICT (village_id, account_code, row_key) DO NOTHING";
	cj_buf d = CJ_BUF_INIT, in = CJ_BUF_INIT, out = CJ_BUF_INIT, bal = CJ_BUF_INIT,
	       sum = CJ_BUF_INIT, key = CJ_BUF_INIT;
	char vid[16], day[16];
	PGresult *res = NULL;
	int err, own;

	if (added)
		*added = 0;
	snprintf(vid, sizeof vid, "%d", village_id);
	cj__buf_putc(&d, '{');
	cj__buf_putc(&in, '{');
	cj__buf_putc(&out, '{');
	cj__buf_putc(&bal, '{');
	cj__buf_putc(&sum, '{');
	cj__buf_putc(&key, '{');
	for (size_t i = 0; i < n; i++) {
		cj_date_format(day, sizeof day, lines[i].date);
		cj__buf_array_text(&d, day);
		cj__buf_array_i64(&in, lines[i].in_fen);
		cj__buf_array_i64(&out, lines[i].out_fen);
		cj__buf_array_i64(&bal, lines[i].balance_fen);
		cj__buf_array_text(&sum, lines[i].summary ? lines[i].summary : "");
		cj__buf_array_text(&key, lines[i].row_key);
	}
	cj__buf_putc(&d, '}');
	cj__buf_putc(&in, '}');
	cj__buf_putc(&out, '}');
	cj__buf_putc(&bal, '}');
	cj__buf_putc(&sum, '}');
	cj__buf_putc(&key, '}');
	if (!cj__buf_ok(&d) || !cj__buf_ok(&in) || !cj__buf_ok(&out) || !cj__buf_ok(&bal) ||
	    !cj__buf_ok(&sum) || !cj__buf_ok(&key)) {
		err = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		goto done;
	}
	{
		const char *params[9] = {vid,      account,  d.data,   in.data, out.data,
					 bal.data, sum.data, key.data, source ? source : ""};
		if (!(err = begin_own(db, &own))) {
			err = cj_db_exec(db, &res, sql, 9, params);
			if (!err && added)
				*added = (size_t)strtoul(PQcmdTuples(res), NULL, 10);
			err = end_own(db, own, err);
		}
	}
done:
	PQclear(res);
	cj__buf_free(&d);
	cj__buf_free(&in);
	cj__buf_free(&out);
	cj__buf_free(&bal);
	cj__buf_free(&sum);
	cj__buf_free(&key);
	return err;
}

/* A line to pair: a statement line (id) or a ledger line (voucher, line). */
typedef struct side_line {
	int64_t id, voucher_id;
	int line_no;
	long day;    /* days since 2000-01-01, for distances */
	int64_t in, out;
	int used;
} side_line;

static long
day_number(const char *iso)
{
	cj_date d;
	if (cj_date_parse(&d, iso))
		return 0;
	/* days from a civil date (Howard Hinnant's algorithm) */
	{
		int y = d.year - (d.month <= 2);
		long era = (y >= 0 ? y : y - 399) / 400;
		unsigned yoe = (unsigned)(y - era * 400);
		unsigned doy = (153u * (unsigned)(d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 +
			       (unsigned)d.day - 1;
		unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
		return era * 146097 + (long)doe;
	}
}

static side_line *
read_lines(const PGresult *res, int ledger, size_t *n)
{
	side_line *v = calloc((size_t)PQntuples(res) + 1, sizeof *v);

	*n = 0;
	if (!v)
		return NULL;
	for (int i = 0; i < PQntuples(res); i++, (*n)++) {
		side_line *s = &v[i];
		if (ledger) {
			s->voucher_id = cj__int64(PQgetvalue(res, i, 0));
			s->line_no = atoi(PQgetvalue(res, i, 1));
		} else {
			s->id = cj__int64(PQgetvalue(res, i, 0));
		}
		s->day = day_number(PQgetvalue(res, i, 2));
		s->in = cj__int64(PQgetvalue(res, i, 3));
		s->out = cj__int64(PQgetvalue(res, i, 4));
	}
	return v;
}

int
cj_bank_match(cj_db *db, int village_id, const char *account, int max_days, size_t *matched)
{
	static const char stmt_sql[] =
		"SELECT s.id, 0, s.line_date, s.in_fen, s.out_fen FROM bank_statement_line s\n"
		" WHERE s.village_id = $1 AND s.account_code = $2\n"
		"   AND NOT EXISTS (SELECT 1 FROM bank_reconcile r WHERE r.village_id = s.village_id\n"
		"                     AND r.statement_id = s.id)\n"
		" ORDER BY s.line_date, s.id";
	static const char ledger_sql[] =
		"SELECT * FROM (" LEDGER_LINES ") l\n"
		" WHERE NOT EXISTS (SELECT 1 FROM bank_reconcile r WHERE r.village_id = $1\n"
		"                     AND r.voucher_id = l.voucher_id AND r.line_no = l.line_no)\n"
		" ORDER BY l.voucher_date, l.voucher_id, l.line_no";
	static const char start_sql[] =
		"SELECT coalesce(min(line_date), '9999-12-31') FROM bank_statement_line\n"
		" WHERE village_id = $1 AND account_code = $2";
	static const char insert_sql[] =
		"INSERT INTO bank_reconcile (village_id, statement_id, voucher_id, line_no, how)\n"
		"SELECT $1, s, v, l, 'auto' FROM unnest($2::bigint[], $3::bigint[], $4::smallint[]) AS p(s, v, l)";
	char vid[16], start[16];
	const char *params[4] = {vid, account, start, NULL};
	PGresult *res = NULL;
	side_line *st = NULL, *lg = NULL;
	size_t ns = 0, nl = 0;
	cj_buf ids = CJ_BUF_INIT, vids = CJ_BUF_INIT, lines = CJ_BUF_INIT;
	int err, own;

	*matched = 0;
	snprintf(vid, sizeof vid, "%d", village_id);
	if ((err = begin_own(db, &own)))
		return err;
	/* the village's books held still: no posting changes the lines meanwhile */
	if ((err = cj_village_lock(db, village_id, 0)) ||
	    (err = cj_db_exec(db, &res, start_sql, 2, params)))
		goto done;
	cj__strlcpy(start, PQgetvalue(res, 0, 0), sizeof start);
	PQclear(res);
	res = NULL;
	if ((err = cj_db_exec(db, &res, stmt_sql, 2, params)))
		goto done;
	st = read_lines(res, 0, &ns);
	PQclear(res);
	res = NULL;
	if ((err = cj_db_exec(db, &res, ledger_sql, 3, params)))
		goto done;
	lg = read_lines(res, 1, &nl);
	PQclear(res);
	res = NULL;
	if (!st || !lg) {
		err = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		goto done;
	}
	cj__buf_putc(&ids, '{');
	cj__buf_putc(&vids, '{');
	cj__buf_putc(&lines, '{');
	for (size_t i = 0; i < ns; i++) {
		size_t best = nl;
		long best_gap = max_days + 1L;
		for (size_t k = 0; k < nl; k++) {
			long gap = labs(lg[k].day - st[i].day);
			/* a receipt on the statement is a debit of the bank account */
			if (lg[k].used || lg[k].in != st[i].in || lg[k].out != st[i].out)
				continue;
			if (gap < best_gap) {
				best = k;
				best_gap = gap;
			}
		}
		if (best == nl)
			continue;
		lg[best].used = 1;
		cj__buf_array_i64(&ids, st[i].id);
		cj__buf_array_i64(&vids, lg[best].voucher_id);
		cj__buf_array_i64(&lines, lg[best].line_no);
		(*matched)++;
	}
	cj__buf_putc(&ids, '}');
	cj__buf_putc(&vids, '}');
	cj__buf_putc(&lines, '}');
	if (!cj__buf_ok(&ids) || !cj__buf_ok(&vids) || !cj__buf_ok(&lines)) {
		err = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		goto done;
	}
	if (*matched) {
		const char *p[4] = {vid, ids.data, vids.data, lines.data};
		err = cj_db_exec(db, NULL, insert_sql, 4, p);
	}
done:
	PQclear(res);
	free(st);
	free(lg);
	cj__buf_free(&ids);
	cj__buf_free(&vids);
	cj__buf_free(&lines);
	return end_own(db, own, err);
}

int
cj_bank_mark(cj_db *db, int village_id, int64_t statement_id, const cj_voucher_info *v)
{
	static const char line_sql[] =
		"SELECT l.line_no FROM bank_statement_line s\n"
		"  JOIN voucher_line l ON l.village_id = s.village_id AND l.voucher_id = $3\n"
		"                     AND l.account_code = s.account_code\n"
		"                     AND l.debit_fen = s.in_fen AND l.credit_fen = s.out_fen\n"
		" WHERE s.village_id = $1 AND s.id = $2 ORDER BY l.line_no LIMIT 1";
	static const char exists_sql[] =
		"SELECT account_code, in_fen - out_fen FROM bank_statement_line WHERE village_id = $1 AND id = $2";
	static const char clear_sql[] =
		"DELETE FROM bank_reconcile WHERE village_id = $1\n"
		"   AND (statement_id = $2 OR (voucher_id = $3 AND line_no = $4))";
	static const char insert_sql[] =
		"INSERT INTO bank_reconcile (village_id, statement_id, voucher_id, line_no, how)\n"
		"VALUES ($1, $2, $3, $4, 'manual')";
	char vid[16], sid[24], voucher[24], line[16], num[32], amount[CJ_MONEY_FMT_MAX];
	const char *params[4] = {vid, sid, voucher, line};
	PGresult *res = NULL;
	int err, own;

	snprintf(vid, sizeof vid, "%d", village_id);
	snprintf(sid, sizeof sid, "%lld", (long long)statement_id);
	snprintf(voucher, sizeof voucher, "%lld", (long long)v->id);
	snprintf(num, sizeof num, "%04d-%02d-%d", v->period.year, v->period.month, v->number);
	if ((err = begin_own(db, &own)))
		return err;
	if ((err = cj_db_exec(db, &res, exists_sql, 2, params)))
		goto done;
	if (PQntuples(res) == 0) {
		err = cj_db_fail(db, CJ_ENOTFOUND, _("the statement has no line %s"), sid);
		goto done;
	}
	cj_money_format(amount, sizeof amount, cj_money_from_fen(cj__int64(PQgetvalue(res, 0, 1))),
			CJ_MONEY_FMT_PLAIN);
	{
		char acct[16];
		cj__strlcpy(acct, PQgetvalue(res, 0, 0), sizeof acct);
		PQclear(res);
		res = NULL;
		if ((err = cj_db_exec(db, &res, line_sql, 3, params)))
			goto done;
		if (PQntuples(res) == 0) {
			err = cj_db_fail(db, CJ_ENOTFOUND,
					 _("voucher %s has no line of account %s of %s yuan (%s) to reconcile "
					   "statement line %s with"),
					 num, acct, amount + (amount[0] == '-'),
					 amount[0] == '-' ? _("a credit: a payment") : _("a debit: a receipt"),
					 sid);
			goto done;
		}
	}
	cj__strlcpy(line, PQgetvalue(res, 0, 0), sizeof line);
	if (!(err = cj_db_exec(db, NULL, clear_sql, 4, params)))
		err = cj_db_exec(db, NULL, insert_sql, 4, params);
done:
	PQclear(res);
	return end_own(db, own, err);
}

int
cj_bank_unmark(cj_db *db, int village_id, int64_t statement_id)
{
	static const char sql[] =
		"DELETE FROM bank_reconcile WHERE village_id = $1 AND statement_id = $2";
	char vid[16], sid[24];
	const char *params[2] = {vid, sid};
	PGresult *res = NULL;
	int err;

	snprintf(vid, sizeof vid, "%d", village_id);
	snprintf(sid, sizeof sid, "%lld", (long long)statement_id);
	if ((err = cj_db_exec(db, &res, sql, 2, params)))
		return err;
	if (!strcmp(PQcmdTuples(res), "0"))
		err = cj_db_fail(db, CJ_ENOTFOUND, _("statement line %s is not reconciled"), sid);
	PQclear(res);
	return err;
}

int
cj_bank_reconcile(cj_db *db, int village_id, const char *account, cj_date end,
		  cj_bank_recon *out)
{
	/* $1 village, $2 account, $3 the statement's first day, $4 end */
	static const char head_sql[] =
		"SELECT (SELECT min(line_date) FROM bank_statement_line\n"
		"         WHERE village_id = $1 AND account_code = $2),\n"
		"       (SELECT balance_fen FROM bank_statement_line WHERE village_id = $1\n"
		"           AND account_code = $2 AND line_date <= $3::date\n"
		"         ORDER BY line_date DESC, id DESC LIMIT 1),\n"
		"       (SELECT coalesce(sum(l.debit_fen - l.credit_fen), 0) FROM voucher_line l\n"
		"          JOIN voucher v ON v.village_id = l.village_id AND v.id = l.voucher_id\n"
		"         WHERE l.village_id = $1 AND l.account_code = $2 AND v.voucher_date <= $3::date),\n"
		"       (SELECT name FROM account WHERE village_id = $1 AND code = $2),\n"
		"       (SELECT count(*) FROM bank_statement_line WHERE village_id = $1\n"
		"           AND account_code = $2 AND line_date <= $3::date),\n"
		"       (SELECT count(*) FROM bank_statement_line s JOIN bank_reconcile r\n"
		"            ON r.village_id = s.village_id AND r.statement_id = s.id\n"
		"         WHERE s.village_id = $1 AND s.account_code = $2 AND s.line_date <= $3::date)";
	static const char items_sql[] =
		"SELECT CASE WHEN s.in_fen > 0 THEN 0 ELSE 1 END, s.line_date, s.in_fen + s.out_fen,\n"
		"       s.id, '', s.summary\n"
		"  FROM bank_statement_line s\n"
		"  LEFT JOIN bank_reconcile r ON r.village_id = s.village_id AND r.statement_id = s.id\n"
		"  LEFT JOIN voucher v ON v.village_id = r.village_id AND v.id = r.voucher_id\n"
		" WHERE s.village_id = $1 AND s.account_code = $2 AND s.line_date <= $4::date\n"
		"   AND (r.statement_id IS NULL OR v.voucher_date > $4::date)\n"
		"UNION ALL\n"
		"SELECT CASE WHEN l.debit_fen > 0 THEN 2 ELSE 3 END, l.voucher_date,\n"
		"       l.debit_fen + l.credit_fen, 0, l.num, l.summary\n"
		"  FROM (" LEDGER_LINES ") l\n"
		"  LEFT JOIN bank_reconcile r ON r.village_id = $1 AND r.voucher_id = l.voucher_id\n"
		"                            AND r.line_no = l.line_no\n"
		"  LEFT JOIN bank_statement_line s ON s.village_id = r.village_id AND s.id = r.statement_id\n"
		" WHERE l.voucher_date <= $4::date AND (r.statement_id IS NULL OR s.line_date > $4::date)\n"
		" ORDER BY 1, 2, 4, 5";
	char vid[16], day[16], start[16];
	PGresult *res = NULL;
	int err;

	memset(out, 0, sizeof *out);
	snprintf(vid, sizeof vid, "%d", village_id);
	cj_date_format(day, sizeof day, end);
	cj__strlcpy(out->account, account, sizeof out->account);
	out->end = end;
	{
		const char *params[3] = {vid, account, day};
		if ((err = cj_db_exec(db, &res, head_sql, 3, params)))
			return err;
	}
	if (PQgetisnull(res, 0, 0) || PQgetisnull(res, 0, 1)) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOTFOUND,
				  _("account %s has no bank statement line on or before %s: read the "
				    "statement first (cunji bank statement)"),
				  account, day);
	}
	cj__strlcpy(start, PQgetvalue(res, 0, 0), sizeof start);
	if (cj_date_parse(&out->start, start)) {
		PQclear(res);
		return cj_db_fail(db, CJ_ERROR, "bad date %s", start);
	}
	out->statement_fen = cj__int64(PQgetvalue(res, 0, 1));
	out->ledger_fen = cj__int64(PQgetvalue(res, 0, 2));
	cj__strlcpy(out->account_name, PQgetvalue(res, 0, 3), sizeof out->account_name);
	out->statement_lines = (size_t)cj__int64(PQgetvalue(res, 0, 4));
	out->reconciled = (size_t)cj__int64(PQgetvalue(res, 0, 5));
	PQclear(res);
	res = NULL;
	{
		const char *params[4] = {vid, account, start, day};
		if ((err = cj_db_exec(db, &res, items_sql, 4, params)))
			return err;
	}
	out->items = calloc((size_t)PQntuples(res) + 1, sizeof *out->items);
	if (!out->items) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	for (int i = 0; i < PQntuples(res); i++) {
		cj_bank_item *it = &out->items[out->nitems++];
		it->side = (cj_bank_side)atoi(PQgetvalue(res, i, 0));
		if (cj_date_parse(&it->date, PQgetvalue(res, i, 1)))
			memset(&it->date, 0, sizeof it->date);
		it->fen = cj__int64(PQgetvalue(res, i, 2));
		it->statement_id = cj__int64(PQgetvalue(res, i, 3));
		cj__strlcpy(it->voucher, PQgetvalue(res, i, 4), sizeof it->voucher);
		cj__strlcpy(it->summary, PQgetvalue(res, i, 5), sizeof it->summary);
		out->sum[it->side] += it->fen;
	}
	PQclear(res);
	out->ledger_adjusted = out->ledger_fen + out->sum[CJ_BANK_BANK_IN] - out->sum[CJ_BANK_BANK_OUT];
	out->statement_adjusted =
		out->statement_fen + out->sum[CJ_BANK_LEDGER_IN] - out->sum[CJ_BANK_LEDGER_OUT];
	return 0;
}

void
cj_bank_recon_free(cj_bank_recon *r)
{
	if (!r)
		return;
	free(r->items);
	r->items = NULL;
	r->nitems = 0;
}
