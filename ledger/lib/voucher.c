/*
 * voucher.c - posting vouchers, in batches, all or nothing
 *
 * A batch is one transaction, all or nothing:
 *   1. every voucher is checked in C (lines, amounts, balance, accounts of
 *      its village) so that most mistakes are reported before any write;
 *   2. external ids already posted are looked up: identical content is a
 *      safe retry (the existing number is returned), different content is
 *      refused;
 *   3. one round trip (libpq pipeline) begins the transaction, reserves the
 *      voucher numbers and draws the ids (numbering.c, as every path that
 *      writes vouchers does) and reads which of the batch's months are
 *      closed; C checks the months against that;
 *   4. one more round trip inserts the headers and the lines, each table in
 *      one INSERT ... SELECT FROM unnest(arrays), and commits.  The
 *      database checks every rule again in its statement triggers and, at
 *      COMMIT, that every voucher has lines.
 * A single voucher is two round trips; a batch of a thousand, the same two
 * with bigger arrays.
 *
 * Debits are positive amounts in the debit column, credits in the credit
 * column; a red reversal (红字冲销) keeps the sides and negates the amounts.
 *
 * SPDX-License-Identifier: MIT
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ledger/i18n.h>

#include "internal.h"

static const char accounts_sql[] =
	"SELECT code, is_leaf, active FROM account WHERE village_id = $1 ORDER BY code";

static const char books_sql[] =
	"SELECT to_char(b.start_period, 'YYYY-MM'), o.code\n"
	"  FROM village_books b JOIN org o ON o.id = b.village_id\n"
	" WHERE b.village_id = $1";

static const char existing_sql[] =
	"SELECT k.i, v.content_hash, v.id, to_char(v.period, 'YYYY-MM'), v.number\n"
	"  FROM unnest($1::int[], $2::text[]) WITH ORDINALITY AS k(village_id, external_id, i)\n"
	"  JOIN voucher v ON v.village_id = k.village_id AND v.external_id = k.external_id";

/* The closed months among the batch's: $1 villages, $2 months (cj__reserve's). */
static const char closed_sql[] =
	"SELECT p.village_id, to_char(p.period, 'YYYY-MM') FROM period_state p\n"
	" WHERE p.closed AND (p.village_id, p.period) IN (SELECT * FROM unnest($1::int[], $2::date[]))";

static const char insert_voucher_sql[] =
	"INSERT INTO voucher (village_id, id, period, number, voucher_date, kind, summary,\n"
	"                     attachments, external_id, content_hash, reverses_id,\n"
	"                     negative_cash_reason)\n"
	"SELECT * FROM unnest($1::int[], $2::bigint[], $3::date[], $4::int[], $5::date[], $6::text[],\n"
	"                     $7::text[], $8::int[], $9::text[], $10::text[], $11::bigint[],\n"
	"                     $12::text[])";

static const char insert_line_sql[] =
	"INSERT INTO voucher_line (village_id, voucher_id, line_no, period, account_code, debit_fen,\n"
	"                          credit_fen, summary, counterparty, fund_id, project_id)\n"
	"SELECT * FROM unnest($1::int[], $2::bigint[], $3::smallint[], $4::date[], $5::text[],\n"
	"                     $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::bigint[],\n"
	"                     $11::bigint[])";

#define NVCOLS 12
#define NLCOLS 11

static const char find_number_sql[] =
	"SELECT v.id, v.village_id, to_char(v.period, 'YYYY-MM'), v.number, v.voucher_date, v.kind,\n"
	"       v.summary, coalesce(v.external_id, ''), coalesce(v.reverses_id, 0),\n"
	"       coalesce(r.id, 0)\n"
	"  FROM voucher v\n"
	"  LEFT JOIN voucher r ON r.village_id = v.village_id AND r.reverses_id = v.id\n"
	" WHERE v.village_id = $1 AND ";

static const char lines_sql[] =
	"SELECT account_code, debit_fen, credit_fen, summary, counterparty,\n"
	"       coalesce(fund_id, 0), coalesce(project_id, 0)\n"
	"  FROM voucher_line WHERE village_id = $1 AND voucher_id = $2 ORDER BY line_no";

static const char *const kind_names[] = {"normal", "opening", "closing", "reversal"};

const char *
cj_voucher_kind_name(cj_voucher_kind kind)
{
	return (unsigned)kind < 4 ? kind_names[kind] : "normal";
}

static int
kind_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, kind_names[i]))
			return i;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Checks without the database */

/* The voucher's free text, by cj_text_check (the importers use it too). */
static int
check_texts(const cj_voucher *v, char *err, size_t errsize)
{
	const struct { const char *what, *text; } head[] = {
		{N_("the summary (摘要)"), v->summary},
		{N_("the external id"), v->external_id},
		{N_("the preparer (制单人)"), v->preparer},
	};
	char why[160];

	for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
		if (head[i].text && cj_text_check(head[i].text, why, sizeof why)) {
			snprintf(err, errsize, "%s %s", _(head[i].what), why);
			return CJ_EINVAL;
		}
	for (size_t i = 0; i < v->nlines; i++) {
		const cj_line *l = &v->lines[i];
		const char *what = NULL;

		if (l->summary && cj_text_check(l->summary, why, sizeof why))
			what = _("line summary");
		else if (l->counterparty && cj_text_check(l->counterparty, why, sizeof why))
			what = _("counterparty (往来单位)");
		if (what) {
			snprintf(err, errsize, _("line %zu (account %s): the %s %s"), i + 1,
				 l->account ? l->account : "", what, why);
			return CJ_EINVAL;
		}
	}
	return 0;
}

int
cj_voucher_check(const cj_voucher *v, char *err, size_t errsize)
{
	int64_t debit = 0, credit = 0;
	char a[CJ_MONEY_FMT_MAX], b[CJ_MONEY_FMT_MAX];

	if (!cj_date_valid(v->date)) {
		snprintf(err, errsize, _("the date is not a valid calendar date"));
		return CJ_EINVAL;
	}
	if (!cj_date_in_books(v->date)) {
		char date[16], range[40];
		cj_date_format(date, sizeof date, v->date);
		snprintf(err, errsize, _("the date %s is outside the books' dates (%s)"), date,
			 cj_books_range_text(range, sizeof range));
		return CJ_EINVAL;
	}
	if (check_texts(v, err, errsize))
		return CJ_EINVAL;
	if (!v->summary || !*v->summary) {
		snprintf(err, errsize, _("a voucher needs a summary (摘要)"));
		return CJ_EINVAL;
	}
	if (v->attachments < 0) {
		snprintf(err, errsize, _("the attachment count cannot be negative"));
		return CJ_EINVAL;
	}
	if (v->external_id && !*v->external_id) {
		snprintf(err, errsize, _("an external id cannot be empty"));
		return CJ_EINVAL;
	}
	if (v->negative_cash_reason) {
		const unsigned char *c = (const unsigned char *)v->negative_cash_reason;
		int blank = 1;
		for (; *c; c++) {
			if (*c < 0x20 || *c == 0x7f) {
				snprintf(err, errsize, _("the reason for leaving cash or bank in credit "
						       "cannot hold control characters"));
				return CJ_EINVAL;
			}
			blank = blank && *c == ' ';
		}
		if (blank) {
			snprintf(err, errsize, _("the reason for leaving cash or bank in credit "
					       "cannot be empty"));
			return CJ_EINVAL;
		}
	}
	if (v->nlines < 2) {
		snprintf(err, errsize, _("a voucher needs at least two lines, it has %zu"), v->nlines);
		return CJ_EINVAL;
	}
	if (v->nlines > 32000) {
		snprintf(err, errsize, _("a voucher can have at most 32000 lines"));
		return CJ_EINVAL;
	}
	for (size_t i = 0; i < v->nlines; i++) {
		const cj_line *l = &v->lines[i];
		int64_t amount = l->debit.fen ? l->debit.fen : l->credit.fen;

		if (!l->account || !*l->account) {
			snprintf(err, errsize, _("line %zu has no account"), i + 1);
			return CJ_EINVAL;
		}
		if ((l->debit.fen != 0) == (l->credit.fen != 0)) {
			snprintf(err, errsize,
				 l->debit.fen ? _("line %zu (account %s) must have either a debit or a "
						  "credit amount, not both")
					      : _("line %zu (account %s) must have either a debit or a "
						  "credit amount; it has neither"),
				 i + 1, l->account);
			return CJ_EINVAL;
		}
		if (amount > CJ_MONEY_LINE_MAX || amount < -CJ_MONEY_LINE_MAX) {
			cj_money_format(a, sizeof a, cj_money_from_fen(amount), CJ_MONEY_FMT_GROUPED);
			cj_money_format(b, sizeof b, cj_money_from_fen(CJ_MONEY_LINE_MAX),
					CJ_MONEY_FMT_GROUPED);
			snprintf(err, errsize,
				 _("line %zu (account %s): %s yuan is more than a line may carry (%s yuan)"),
				 i + 1, l->account, a, b);
			return CJ_EOVERFLOW;
		}
		if (amount < 0 && v->kind != CJ_VOUCHER_REVERSAL) {
			snprintf(err, errsize,
				 _("line %zu (account %s): negative amounts belong only on a red "
				 "reversal; to correct a voucher, void it"),
				 i + 1, l->account);
			return CJ_EINVAL;
		}
		if (__builtin_add_overflow(debit, l->debit.fen, &debit) ||
		    __builtin_add_overflow(credit, l->credit.fen, &credit)) {
			snprintf(err, errsize, _("the voucher's total is too large"));
			return CJ_EOVERFLOW;
		}
	}
	if (debit != credit) {
		cj_money_format(a, sizeof a, cj_money_from_fen(debit), CJ_MONEY_FMT_GROUPED);
		cj_money_format(b, sizeof b, cj_money_from_fen(credit), CJ_MONEY_FMT_GROUPED);
		snprintf(err, errsize, _("debits %s do not equal credits %s"), a, b);
		return CJ_EUNBALANCED;
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* The poster and its per-village caches */

typedef struct acct_entry {
	char code[16];
	char is_leaf, active;
} acct_entry;

typedef struct village_cache {
	int village_id;
	char code[40];
	acct_entry *accts;
	size_t nacct;
	cj_period start; /* the books' first month (never changes) */
} village_cache;

struct cj_poster {
	cj_db *db;
	village_cache *v;
	size_t nv, capv;
	cj_buf vcol[NVCOLS], lcol[NLCOLS]; /* array literals, one per column */
	int outer_txn; /* the caller owns the transaction (year-end close) */
};

cj_db *
cj__poster_db(cj_poster *p)
{
	return p->db;
}

void
cj_poster_join_transaction(cj_poster *p, int on)
{
	p->outer_txn = on;
}

int
cj_poster_new(cj_poster **out, cj_db *db)
{
	cj_poster *p = calloc(1, sizeof *p);

	*out = p;
	if (!p)
		return CJ_ENOMEM;
	p->db = db;
	return 0;
}

void
cj_poster_free(cj_poster *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nv; i++)
		free(p->v[i].accts);
	free(p->v);
	for (int k = 0; k < NVCOLS; k++)
		cj__buf_free(&p->vcol[k]);
	for (int k = 0; k < NLCOLS; k++)
		cj__buf_free(&p->lcol[k]);
	free(p);
}

static int
acct_cmp(const void *a, const void *b)
{
	return strcmp(((const acct_entry *)a)->code, ((const acct_entry *)b)->code);
}

static int
load_accounts(cj_poster *p, village_cache *vc)
{
	char id[16];
	const char *params[1] = {id};
	PGresult *res;
	int err, n;

	snprintf(id, sizeof id, "%d", vc->village_id);
	err = cj_db_exec(p->db, &res, accounts_sql, 1, params);
	if (err)
		return err;
	n = PQntuples(res);
	free(vc->accts);
	vc->accts = calloc(n ? (size_t)n : 1, sizeof *vc->accts);
	if (!vc->accts) {
		PQclear(res);
		return cj_db_fail(p->db, CJ_ENOMEM, _("out of memory"));
	}
	for (int i = 0; i < n; i++) {
		cj__strlcpy(vc->accts[i].code, PQgetvalue(res, i, 0), sizeof vc->accts[i].code);
		vc->accts[i].is_leaf = PQgetvalue(res, i, 1)[0] == 't';
		vc->accts[i].active = PQgetvalue(res, i, 2)[0] == 't';
	}
	vc->nacct = (size_t)n;
	PQclear(res);
	/* the database sorts by its collation; bsearch needs strcmp order */
	qsort(vc->accts, vc->nacct, sizeof *vc->accts, acct_cmp);
	return 0;
}

static int
load_books(cj_poster *p, village_cache *vc)
{
	char id[16];
	const char *params[1] = {id};
	PGresult *res;
	int err;

	snprintf(id, sizeof id, "%d", vc->village_id);
	err = cj_db_exec(p->db, &res, books_sql, 1, params);
	if (err)
		return err;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cj_db_fail(p->db, CJ_ENOTFOUND, _("organisation id %d keeps no books"),
				  vc->village_id);
	}
	if (cj_period_parse(&vc->start, PQgetvalue(res, 0, 0)))
		memset(&vc->start, 0, sizeof vc->start);
	cj__strlcpy(vc->code, PQgetvalue(res, 0, 1), sizeof vc->code);
	PQclear(res);
	return 0;
}

static int
village_get(cj_poster *p, int village_id, village_cache **out)
{
	village_cache *vc = NULL;
	int err;

	for (size_t i = 0; i < p->nv; i++)
		if (p->v[i].village_id == village_id) {
			*out = &p->v[i];
			return 0;
		}
	if (cj_grow((void **)&p->v, &p->capv, p->nv + 1, sizeof *p->v))
		return cj_db_fail(p->db, CJ_ENOMEM, _("out of memory"));
	vc = &p->v[p->nv];
	memset(vc, 0, sizeof *vc);
	vc->village_id = village_id;
	err = load_books(p, vc);
	if (!err)
		err = load_accounts(p, vc);
	if (err) {
		free(vc->accts);
		return err;
	}
	p->nv++;
	*out = vc;
	return 0;
}

static const acct_entry *
acct_find(const village_cache *vc, const char *code)
{
	acct_entry key;

	if (strlen(code) >= sizeof key.code)
		return NULL;
	cj__strlcpy(key.code, code, sizeof key.code);
	return bsearch(&key, vc->accts, vc->nacct, sizeof key, acct_cmp);
}

/* The C side of the account and start-of-books rules; closed months are
 * checked once the batch's transaction has begun (see post_once). */
static int
check_against_books(cj_poster *p, village_cache *vc, const cj_voucher *v, char *err, size_t errsize)
{
	cj_period per = cj_period_of(v->date);
	char a[16], b[16];

	if (cj_period_cmp(per, vc->start) < 0) {
		cj_period_format(a, sizeof a, per);
		cj_period_format(b, sizeof b, vc->start);
		snprintf(err, errsize, _("period %s is before the books of village %s start (%s)"), a,
			 vc->code, b);
		return CJ_ECLOSED;
	}
	/* opening balances belong to the books' first month; closing vouchers
	 * to 31 December (and to cj_year_close, which the database checks) */
	if (v->kind == CJ_VOUCHER_OPENING && cj_period_cmp(per, vc->start)) {
		cj_period_format(a, sizeof a, per);
		cj_period_format(b, sizeof b, vc->start);
		snprintf(err, errsize,
			 _("an opening voucher (期初余额) belongs in the books' first month, %s, not in "
			 "%s; balances of later months come from the vouchers posted"),
			 b, a);
		return CJ_EREFUSED;
	}
	if (v->kind == CJ_VOUCHER_CLOSING && (v->date.month != 12 || v->date.day != 31)) {
		snprintf(err, errsize, _("a closing voucher is dated 31 December and comes only from "
				       "the year-end close (cunji year close)"));
		return CJ_EREFUSED;
	}
	for (size_t i = 0; i < v->nlines; i++) {
		const acct_entry *e = acct_find(vc, v->lines[i].account);
		if (!e) {
			/* perhaps added since we cached the chart */
			int rc = load_accounts(p, vc);
			if (rc)
				return rc;
			e = acct_find(vc, v->lines[i].account);
		}
		if (!e) {
			snprintf(err, errsize, _("line %zu: account %s does not exist in village %s"), i + 1,
				 v->lines[i].account, vc->code);
			return CJ_EINVAL;
		}
		if (!e->is_leaf) {
			snprintf(err, errsize,
				 _("line %zu: account %s has sub-accounts; post to one of them"), i + 1,
				 e->code);
			return CJ_EINVAL;
		}
		if (!e->active) {
			snprintf(err, errsize, _("line %zu: account %s is inactive"), i + 1, e->code);
			return CJ_EINVAL;
		}
	}
	return 0;
}

/* "voucher 3 (2025-03-05 收到承包费)" for messages about one voucher of a batch */
static void
describe(char *buf, size_t size, const cj_voucher *v, size_t index, size_t n)
{
	char date[16];
	/* text that cj_text_check refuses (a line break, an escape code) is not
	 * repeated on the terminal; the message says where it goes wrong */
	const char *summary = !v->summary ? "" : cj_text_check(v->summary, NULL, 0) ? "…" : v->summary;
	const char *ext = v->external_id && !cj_text_check(v->external_id, NULL, 0) ? v->external_id
										       : NULL;

	/* a very long summary or id is cut: the message only has to name the voucher */
	cj_date_format(date, sizeof date, v->date);
	if (n > 1)
		snprintf(buf, size, _("voucher %zu of %zu (%s %.240s%s%.200s)"), index + 1, n, date,
			 summary, ext ? _(", id ") : "", ext ? ext : "");
	else
		snprintf(buf, size, _("voucher (%s %.240s%s%.200s)"), date, summary,
			 ext ? _(", id ") : "", ext ? ext : "");
}

/* ------------------------------------------------------------------------ */
/* The batch */

typedef struct batch_item {
	char hash[65];
	int skip;        /* already posted (safe retry) or a duplicate within the batch */
	int group;       /* its village and month in the batch's cj_numbers */
} batch_item;

/* Look up external ids already posted; fills skip/posted for safe retries. */
static int
match_external_ids(cj_poster *p, const cj_voucher *v, size_t n, batch_item *items,
		   cj_posted *posted)
{
	cj_buf vid = CJ_BUF_INIT, ext = CJ_BUF_INIT;
	const char *params[2];
	PGresult *res = NULL;
	size_t nq = 0;
	int err = 0;
	size_t *map = calloc(n ? n : 1, sizeof *map);

	if (!map)
		return cj_db_fail(p->db, CJ_ENOMEM, _("out of memory"));
	cj__buf_putc(&vid, '{');
	cj__buf_putc(&ext, '{');
	for (size_t i = 0; i < n; i++) {
		if (!v[i].external_id)
			continue;
		/* the same external id twice in one batch */
		for (size_t j = 0; j < i; j++) {
			if (!v[j].external_id || v[j].village_id != v[i].village_id ||
			    strcmp(v[j].external_id, v[i].external_id))
				continue;
			if (strcmp(items[j].hash, items[i].hash)) {
				err = cj_db_fail(p->db, CJ_EEXISTS,
						 _("external id %s appears twice in the batch with "
						 "different content (vouchers %zu and %zu)"),
						 v[i].external_id, j + 1, i + 1);
				goto done;
			}
			items[i].skip = (int)j + 2; /* post once, report the first's number */
			break;
		}
		if (items[i].skip)
			continue;
		cj__buf_printf(&vid, "%s%d", nq ? "," : "", v[i].village_id);
		cj__buf_puts(&ext, nq ? ",\"" : "\"");
		for (const char *c = v[i].external_id; *c; c++) {
			if (*c == '"' || *c == '\\')
				cj__buf_putc(&ext, '\\');
			cj__buf_putc(&ext, *c);
		}
		cj__buf_putc(&ext, '"');
		map[nq++] = i;
	}
	cj__buf_putc(&vid, '}');
	cj__buf_putc(&ext, '}');
	if (!cj__buf_ok(&vid) || !cj__buf_ok(&ext)) {
		err = cj_db_fail(p->db, CJ_ENOMEM, _("out of memory"));
		goto done;
	}
	if (!nq)
		goto done;
	params[0] = vid.data;
	params[1] = ext.data;
	err = cj_db_exec_prepared(p->db, &res, existing_sql, 2, params);
	if (err)
		goto done;
	for (int r = 0; r < PQntuples(res); r++) {
		size_t i = map[atoi(PQgetvalue(res, r, 0)) - 1];
		if (strcmp(PQgetvalue(res, r, 1), items[i].hash)) {
			char what[600];
			describe(what, sizeof what, &v[i], i, n);
			err = cj_db_fail(p->db, CJ_EEXISTS,
					 _("%s: external id %s was already posted as voucher %s-%s "
					 "with different content; refused"),
					 what, v[i].external_id, PQgetvalue(res, r, 3),
					 PQgetvalue(res, r, 4));
			goto done;
		}
		items[i].skip = 1;
		posted[i].id = cj__int64(PQgetvalue(res, r, 2));
		if (cj_period_parse(&posted[i].period, PQgetvalue(res, r, 3)))
			memset(&posted[i].period, 0, sizeof posted[i].period);
		posted[i].number = atoi(PQgetvalue(res, r, 4));
		posted[i].existed = 1;
	}
done:
	PQclear(res);
	cj__buf_free(&vid);
	cj__buf_free(&ext);
	free(map);
	return err;
}

/* A month of the batch that is closed refuses the batch (closed_sql's rows). */
static int
refuse_closed(cj_poster *p, const PGresult *res, const cj_voucher *v, size_t n,
	      const batch_item *items)
{
	for (int r = 0; r < PQntuples(res); r++) {
		int village = atoi(PQgetvalue(res, r, 0));
		cj_period per;

		if (cj_period_parse(&per, PQgetvalue(res, r, 1)))
			continue;
		for (size_t i = 0; i < n; i++) {
			char what[600], name[16];
			village_cache *vc = NULL;
			if (items[i].skip || v[i].village_id != village ||
			    cj_period_cmp(cj_period_of(v[i].date), per))
				continue;
			if (village_get(p, village, &vc))
				return CJ_ERROR;
			describe(what, sizeof what, &v[i], i, n);
			cj_period_format(name, sizeof name, per);
			return cj_db_fail(p->db, CJ_ECLOSED, _("%s: period %s of village %s is closed"),
					  what, name, vc->code);
		}
	}
	return 0;
}

/* Fill the column arrays of insert_voucher_sql and insert_line_sql. */
static int
build_rows(cj_poster *p, const cj_voucher *v, size_t n, const batch_item *items,
	   cj_numbers *g, const int64_t *ids, cj_posted *posted)
{
	for (int k = 0; k < NVCOLS; k++) {
		cj__buf_clear(&p->vcol[k]);
		cj__buf_putc(&p->vcol[k], '{');
	}
	for (int k = 0; k < NLCOLS; k++) {
		cj__buf_clear(&p->lcol[k]);
		cj__buf_putc(&p->lcol[k], '{');
	}
	for (size_t i = 0, r = 0; i < n; i++) {
		const cj_voucher *x = &v[i];
		cj_period per = cj_period_of(x->date);
		char pdate[16], date[16];
		cj_buf *c = p->vcol;

		if (items[i].skip)
			continue;
		posted[i].id = ids[r++];
		posted[i].period = per;
		posted[i].number = (int)++g[items[i].group].base; /* in batch order */
		cj__period_date(pdate, sizeof pdate, per);
		cj_date_format(date, sizeof date, x->date);

		cj__buf_array_i64(&c[0], x->village_id);
		cj__buf_array_i64(&c[1], posted[i].id);
		cj__buf_array_text(&c[2], pdate);
		cj__buf_array_i64(&c[3], posted[i].number);
		cj__buf_array_text(&c[4], date);
		cj__buf_array_text(&c[5], cj_voucher_kind_name(x->kind));
		cj__buf_array_text(&c[6], x->summary);
		/* the preparer is the session's login (voucher.preparer's default) */
		cj__buf_array_i64(&c[7], x->attachments);
		cj__buf_array_text(&c[8], x->external_id);
		cj__buf_array_text(&c[9], items[i].hash);
		if (x->reverses_id)
			cj__buf_array_i64(&c[10], x->reverses_id);
		else
			cj__buf_array_text(&c[10], NULL);
		cj__buf_array_text(&c[11], x->negative_cash_reason);

		c = p->lcol;
		for (size_t j = 0; j < x->nlines; j++) {
			const cj_line *l = &x->lines[j];
			cj__buf_array_i64(&c[0], x->village_id);
			cj__buf_array_i64(&c[1], posted[i].id);
			cj__buf_array_i64(&c[2], (int64_t)j + 1);
			cj__buf_array_text(&c[3], pdate);
			cj__buf_array_text(&c[4], l->account);
			cj__buf_array_i64(&c[5], l->debit.fen);
			cj__buf_array_i64(&c[6], l->credit.fen);
			cj__buf_array_text(&c[7], l->summary ? l->summary : x->summary);
			cj__buf_array_text(&c[8], l->counterparty);
			if (l->fund_id)
				cj__buf_array_i64(&c[9], l->fund_id);
			else
				cj__buf_array_text(&c[9], NULL);
			if (l->project_id)
				cj__buf_array_i64(&c[10], l->project_id);
			else
				cj__buf_array_text(&c[10], NULL);
		}
	}
	for (int k = 0; k < NVCOLS; k++)
		cj__buf_putc(&p->vcol[k], '}');
	for (int k = 0; k < NLCOLS; k++)
		cj__buf_putc(&p->lcol[k], '}');
	for (int k = 0; k < NVCOLS; k++)
		if (!cj__buf_ok(&p->vcol[k]))
			return cj_db_fail(p->db, CJ_ENOMEM, _("out of memory"));
	for (int k = 0; k < NLCOLS; k++)
		if (!cj__buf_ok(&p->lcol[k]))
			return cj_db_fail(p->db, CJ_ENOMEM, _("out of memory"));
	return 0;
}

static int
post_once(cj_poster *p, const cj_voucher *v, size_t n, cj_posted *posted, batch_item *items)
{
	cj__reserve rv = {CJ_BUF_INIT, CJ_BUF_INIT, CJ_BUF_INIT, "", {NULL}};
	cj_numbers *groups = NULL;
	int64_t *ids = NULL;
	size_t ng = 0, npost = 0;
	PGresult *res = NULL, *closed = NULL;
	const char *vparams[NVCOLS], *lparams[NLCOLS];
	int err, in_txn = 0;

	for (size_t i = 0; i < n; i++) {
		items[i].skip = 0;
		memset(&posted[i], 0, sizeof posted[i]);
	}
	err = match_external_ids(p, v, n, items, posted);
	if (err)
		goto done;

	/* one group of numbers per village and month */
	groups = calloc(n, sizeof *groups);
	ids = calloc(n, sizeof *ids);
	if (!groups || !ids) {
		err = cj_db_fail(p->db, CJ_ENOMEM, _("out of memory"));
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		cj_period per = cj_period_of(v[i].date);
		size_t k;
		if (items[i].skip)
			continue;
		npost++;
		for (k = 0; k < ng; k++)
			if (groups[k].village_id == v[i].village_id && !cj_period_cmp(groups[k].month, per))
				break;
		if (k == ng) {
			groups[ng].village_id = v[i].village_id;
			groups[ng].month = per;
			ng++;
		}
		groups[k].count++;
		items[i].group = (int)k;
	}
	if (!npost)
		goto finish; /* every voucher was already there */
	err = cj__reserve_params(p->db, &rv, groups, ng, npost);
	if (err)
		goto done;

	/* round trip 1: begin, reserve numbers and ids, see closed months */
	{
		cj__stmt st[3] = {{"BEGIN", 0, NULL, 0, NULL},
				  {cj__reserve_sql, 4, rv.params, 1, &res},
				  {closed_sql, 2, rv.params, 1, &closed}};
		err = p->outer_txn ? cj__db_pipeline(p->db, st + 1, 2) : cj__db_pipeline(p->db, st, 3);
	}
	in_txn = !p->outer_txn;
	if (err)
		goto done;
	err = cj__reserve_take(p->db, res, groups, ng, ids, npost);
	if (!err)
		err = refuse_closed(p, closed, v, n, items);
	if (!err)
		err = build_rows(p, v, n, items, groups, ids, posted);
	if (err)
		goto done;

	/* round trip 2: the rows, and commit */
	for (int k = 0; k < NVCOLS; k++)
		vparams[k] = p->vcol[k].data;
	for (int k = 0; k < NLCOLS; k++)
		lparams[k] = p->lcol[k].data;
	{
		cj__stmt st[3] = {{insert_voucher_sql, NVCOLS, vparams, 1, NULL},
				  {insert_line_sql, NLCOLS, lparams, 1, NULL},
				  {"COMMIT", 0, NULL, 0, NULL}};
		err = cj__db_pipeline(p->db, st, p->outer_txn ? 2 : 3);
	}
	if (!err)
		in_txn = 0;
finish:
	/* duplicates within the batch report the number of the one posted */
	for (size_t i = 0; !err && i < n; i++)
		if (items[i].skip >= 2) {
			posted[i] = posted[items[i].skip - 2];
			posted[i].existed = 1;
		}
done:
	if (err && in_txn)
		cj_db_rollback(p->db);
	PQclear(res);
	PQclear(closed);
	free(groups);
	free(ids);
	cj__reserve_free(&rv);
	return err;
}

int
cj_post_batch(cj_poster *p, const cj_voucher *v, size_t n, cj_posted *posted_out)
{
	batch_item *items;
	char msg[512], what[600];
	int err = 0;

	if (!n)
		return 0;
	items = calloc(n, sizeof *items);
	if (!items)
		return cj_db_fail(p->db, CJ_ENOMEM, _("out of memory"));
	for (size_t i = 0; i < n && !err; i++) {
		village_cache *vc;
		err = cj_voucher_check(&v[i], msg, sizeof msg);
		if (!err) {
			err = village_get(p, v[i].village_id, &vc);
			if (err)
				break;
			err = check_against_books(p, vc, &v[i], msg, sizeof msg);
		}
		if (err) {
			describe(what, sizeof what, &v[i], i, n);
			err = cj_db_fail(p->db, err, "%s: %s", what, msg);
			break;
		}
		cj_voucher_hash(&v[i], items[i].hash);
	}
	/* A concurrent poster may take the same external id or deadlock with
	 * us; the whole batch then runs again (it is all or nothing). */
	for (int attempt = 0; !err; attempt++) {
		err = post_once(p, v, n, posted_out, items);
		if (!err || attempt >= 2 || p->outer_txn)
			break;
		if (err == CJ_ERETRY ||
		    (err == CJ_EEXISTS && strstr(cj_db_errmsg(p->db), "external_id")))
			err = 0;
	}
	free(items);
	return err;
}

/* ------------------------------------------------------------------------ */
/* Finding and voiding */

static int
find_one(cj_db *db, const char *where, const char *const *params, int nparams,
	 cj_voucher_info *out, const char *missing, const char *what)
{
	char sql[sizeof find_number_sql + 128];
	PGresult *res;
	int err;

	snprintf(sql, sizeof sql, "%s%s", find_number_sql, where);
	err = cj_db_exec(db, &res, sql, nparams, params);
	if (err)
		return err;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOTFOUND, missing, what); /* a whole sentence, translated */
	}
	memset(out, 0, sizeof *out);
	out->id = cj__int64(PQgetvalue(res, 0, 0));
	out->village_id = atoi(PQgetvalue(res, 0, 1));
	if (cj_period_parse(&out->period, PQgetvalue(res, 0, 2)))
		memset(&out->period, 0, sizeof out->period);
	out->number = atoi(PQgetvalue(res, 0, 3));
	out->date = cj__date_from_db(PQgetvalue(res, 0, 4));
	out->kind = (cj_voucher_kind)kind_parse(PQgetvalue(res, 0, 5));
	cj__strlcpy(out->summary, PQgetvalue(res, 0, 6), sizeof out->summary);
	cj__strlcpy(out->external_id, PQgetvalue(res, 0, 7), sizeof out->external_id);
	out->reverses_id = cj__int64(PQgetvalue(res, 0, 8));
	out->reversed_by = cj__int64(PQgetvalue(res, 0, 9));
	PQclear(res);
	return 0;
}

int
cj_voucher_find_number(cj_db *db, int village_id, cj_period period, int number,
		       cj_voucher_info *out)
{
	char id[16], per[16], num[16], what[40];
	const char *params[3] = {id, per, num};

	snprintf(id, sizeof id, "%d", village_id);
	cj__period_date(per, sizeof per, period);
	snprintf(num, sizeof num, "%d", number);
	snprintf(what, sizeof what, "%04d-%02d-%d", period.year, period.month, number);
	return find_one(db, "v.period = $2 AND v.number = $3", params, 3, out,
			_("no voucher %s in this village"), what);
}

int
cj_voucher_find_external(cj_db *db, int village_id, const char *external_id, cj_voucher_info *out)
{
	char id[16];
	const char *params[2] = {id, external_id};

	snprintf(id, sizeof id, "%d", village_id);
	return find_one(db, "v.external_id = $2", params, 2, out,
			_("no voucher with external id %s in this village"), external_id);
}

/* The red reversal of orig: posted at once, or (submit) as cj_voucher_submit
 * decides, a draft where review is required.  negative_cash_reason, when not
 * NULL, is recorded on the reversal: voiding a receipt whose cash was spent
 * leaves cash in credit, which the database allows only with a reason. */
static int
void_voucher(cj_poster *p, const cj_voucher_info *orig, cj_date date, const char *preparer,
	     const char *negative_cash_reason, int submit, cj_submitted *out)
{
	char id[16], vid[CJ_I64_MAX], summary[600], number[40];
	const char *params[2] = {id, vid};
	PGresult *res = NULL;
	cj_line *lines = NULL;
	cj_voucher v;
	int err, n;

	snprintf(number, sizeof number, "%04d-%02d-%d", orig->period.year, orig->period.month,
		 orig->number);
	if (orig->reversed_by)
		return cj_db_fail(p->db, CJ_EREFUSED, _("voucher %s was already voided"), number);
	if (orig->kind == CJ_VOUCHER_REVERSAL || orig->kind == CJ_VOUCHER_CLOSING)
		return cj_db_fail(p->db, CJ_EREFUSED,
				  orig->kind == CJ_VOUCHER_REVERSAL
					  ? _("voucher %s is a reversal voucher; it cannot be voided")
					  : _("voucher %s is a closing voucher; it cannot be voided"),
				  number);
	snprintf(id, sizeof id, "%d", orig->village_id);
	cj__i64(vid, orig->id);
	err = cj_db_exec(p->db, &res, lines_sql, 2, params);
	if (err)
		return err;
	n = PQntuples(res);
	lines = calloc(n ? (size_t)n : 1, sizeof *lines);
	if (!lines) {
		PQclear(res);
		return cj_db_fail(p->db, CJ_ENOMEM, _("out of memory"));
	}
	/* red ink: same accounts and sides, amounts negated */
	for (int i = 0; i < n; i++) {
		lines[i].account = PQgetvalue(res, i, 0);
		lines[i].debit = cj_money_from_fen(-cj__int64(PQgetvalue(res, i, 1)));
		lines[i].credit = cj_money_from_fen(-cj__int64(PQgetvalue(res, i, 2)));
		lines[i].summary = PQgetvalue(res, i, 3);
		lines[i].counterparty = PQgetisnull(res, i, 4) ? NULL : PQgetvalue(res, i, 4);
		lines[i].fund_id = cj__int64(PQgetvalue(res, i, 5));
		lines[i].project_id = cj__int64(PQgetvalue(res, i, 6));
	}
	snprintf(summary, sizeof summary, "冲销%04d年%02d月记字第%d号: %s", orig->period.year,
		 orig->period.month, orig->number, orig->summary);
	memset(&v, 0, sizeof v);
	v.village_id = orig->village_id;
	v.date = date;
	v.summary = summary;
	v.preparer = preparer;
	v.kind = CJ_VOUCHER_REVERSAL;
	v.reverses_id = orig->id;
	v.negative_cash_reason = negative_cash_reason;
	v.lines = lines;
	v.nlines = (size_t)n;
	memset(out, 0, sizeof *out);
	err = submit ? cj_voucher_submit(p, &v, 1, out) : cj_post_batch(p, &v, 1, &out->posted);
	free(lines);
	PQclear(res);
	return err;
}

int
cj_voucher_void(cj_poster *p, const cj_voucher_info *orig, cj_date date, const char *preparer,
		cj_posted *out)
{
	cj_submitted sub;
	int err = void_voucher(p, orig, date, preparer, NULL, 0, &sub);

	if (!err) /* on failure out stays as it was */
		*out = sub.posted;
	return err;
}

int
cj_voucher_void_submit(cj_poster *p, const cj_voucher_info *orig, cj_date date,
		       const char *preparer, const char *negative_cash_reason, cj_submitted *out)
{
	return void_voucher(p, orig, date, preparer, negative_cash_reason, 1, out);
}
