/*
 * numbering.c - voucher numbers, ids and content hashes, for every path
 * that writes vouchers (see <ledger/numbering.h>)
 *
 * Numbers: voucher_counter holds, per village and month, the last number
 * handed out.  One INSERT ... ON CONFLICT DO UPDATE ... RETURNING adds a
 * batch's count to each of its months and returns the new last number;
 * the batch's numbers are the count before it.  The counter rows stay
 * locked until the transaction ends, so numbers are never handed out twice
 * and a rolled-back batch leaves no gap.  Ids come from voucher_id_seq in
 * the same statement.
 *
 * Hash: SHA-256 over "cunji-voucher-v1", the village, date, kind, summary,
 * attachments, reversed voucher and line count, then per line the account,
 * debit, credit, summary, counterparty, fund and project, and last the
 * reason for leaving cash in credit when there is one.  Every field is
 * written "LEN:TEXT" ("18446744073709551615:" for none), so "ab"+"c" and
 * "a"+"bc" differ.  The import recomputes it in SQL for vouchers whose rows
 * are apart in a file (hash_field, schema 0007); test_import_db checks
 * that the two agree.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <ledger/numbering.h>
#include <ledger/i18n.h>

#include "internal.h"

/* $1 villages, $2 months, $3 counts (k's rows, in the caller's order); $4
 * how many ids.  Rows: (k's ordinality, the base) per group, then (0, 0,
 * the ids): "first-last" when they follow each other, as they do unless
 * another session drew ids at the same moment, else an array literal. */
const char cj__reserve_sql[] =
	"WITH k AS (SELECT * FROM unnest($1::int[], $2::date[], $3::int[])\n"
	"                   WITH ORDINALITY AS k(village_id, period, n, i)),\n"
	"c AS (INSERT INTO voucher_counter AS c (village_id, period, last_number)\n"
	"      SELECT village_id, period, n FROM k ORDER BY village_id, period\n"
	"      ON CONFLICT (village_id, period) DO UPDATE\n"
	"         SET last_number = c.last_number + EXCLUDED.last_number\n"
	"      RETURNING village_id, period, last_number)\n"
	"SELECT k.i, c.last_number::bigint - k.n, NULL FROM c JOIN k USING (village_id, period)\n"
	"UNION ALL\n"
	"SELECT 0, 0, CASE WHEN max(x) - min(x) + 1 = count(*) THEN min(x) || '-' || max(x)\n"
	"                  ELSE array_agg(x)::text END\n"
	"  FROM (SELECT nextval('voucher_id_seq') AS x FROM generate_series(1, $4::integer)) s";

int
cj__reserve_params(cj_db *db, cj__reserve *r, const cj_numbers *g, size_t n, size_t nids)
{
	cj__buf_putc(&r->villages, '{');
	cj__buf_putc(&r->months, '{');
	cj__buf_putc(&r->counts, '{');
	for (size_t i = 0; i < n; i++) {
		char month[16];
		cj__period_date(month, sizeof month, g[i].month);
		cj__buf_array_i64(&r->villages, g[i].village_id);
		cj__buf_array_text(&r->months, month);
		cj__buf_array_i64(&r->counts, g[i].count);
	}
	cj__buf_putc(&r->villages, '}');
	cj__buf_putc(&r->months, '}');
	cj__buf_putc(&r->counts, '}');
	if (!cj__buf_ok(&r->villages) || !cj__buf_ok(&r->months) || !cj__buf_ok(&r->counts))
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	snprintf(r->nids, sizeof r->nids, "%zu", nids);
	r->params[0] = r->villages.data;
	r->params[1] = r->months.data;
	r->params[2] = r->counts.data;
	r->params[3] = r->nids;
	return 0;
}

int
cj__reserve_take(cj_db *db, const PGresult *res, cj_numbers *g, size_t n, int64_t *ids,
		 size_t nids)
{
	size_t groups = 0, got = 0;

	for (int r = 0; r < PQntuples(res); r++) {
		size_t i = (size_t)cj__int64(PQgetvalue(res, r, 0));
		const char *p = PQgetvalue(res, r, 2);

		if (i >= 1 && i <= n) {
			g[i - 1].base = cj__int64(PQgetvalue(res, r, 1));
			groups++;
			continue;
		}
		if (*p && *p != '{') { /* "first-last" */
			char *end;
			int64_t first = (int64_t)strtoll(p, &end, 10);
			int64_t last = *end == '-' ? (int64_t)strtoll(end + 1, NULL, 10) : first - 1;
			while (first <= last && got < nids)
				ids[got++] = first++;
			continue;
		}
		while (*p && got < nids) { /* "{1,2,3}" */
			char *end;
			int64_t id = (int64_t)strtoll(p + 1, &end, 10);
			if (end == p + 1)
				break;
			ids[got++] = id;
			p = end;
		}
	}
	if (groups != n || got != nids)
		return cj_db_fail(db, CJ_ERROR,
				  _("the database reserved numbers for %zu of %zu months and %zu of "
				  "%zu voucher ids"),
				  groups, n, got, nids);
	return 0;
}

void
cj__reserve_free(cj__reserve *r)
{
	cj__buf_free(&r->villages);
	cj__buf_free(&r->months);
	cj__buf_free(&r->counts);
}

int
cj_numbers_reserve(cj_db *db, cj_numbers *g, size_t n, int64_t *ids, size_t nids)
{
	cj__reserve r = {CJ_BUF_INIT, CJ_BUF_INIT, CJ_BUF_INIT, "", {NULL}};
	PGresult *res = NULL;
	int err;

	err = cj__reserve_params(db, &r, g, n, nids);
	if (!err)
		err = cj_db_exec_prepared(db, &res, cj__reserve_sql, 4, r.params);
	if (!err)
		err = cj__reserve_take(db, res, g, n, ids, nids);
	PQclear(res);
	cj__reserve_free(&r);
	return err;
}

/* ------------------------------------------------------------------------ */
/* The content hash */

/* Room for n more bytes. */
static int
vhash_room(cj_vhash *h, size_t n)
{
	if (h->oom)
		return -1;
	if (n > SIZE_MAX - h->len || cj_grow((void **)&h->buf, &h->cap, h->len + n, 1)) {
		h->oom = 1;
		return -1;
	}
	return 0;
}

size_t
cj_i64_text(char *b, int64_t v)
{
	char tmp[24];
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t n = 0, k = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		b[k++] = '-';
	while (n)
		b[k++] = tmp[--n];
	b[k] = '\0';
	return k;
}

/* "LEN:TEXT" of n bytes at s */
static void
put_bytes(cj_vhash *h, const char *s, size_t n)
{
	if (vhash_room(h, n + 24))
		return;
	h->len += cj_i64_text(h->buf + h->len, (int64_t)n);
	h->buf[h->len++] = ':';
	memcpy(h->buf + h->len, s, n);
	h->len += n;
}

/* "LEN:TEXT", or the length of none (SIZE_MAX as an unsigned 64-bit number). */
static void
put_str(cj_vhash *h, const char *s)
{
	if (s) {
		put_bytes(h, s, strlen(s));
	} else if (!vhash_room(h, 21)) {
		memcpy(h->buf + h->len, "18446744073709551615:", 21);
		h->len += 21;
	}
}

static void
put_i64(cj_vhash *h, int64_t v)
{
	char t[24];

	put_bytes(h, t, cj_i64_text(t, v));
}

void
cj_vhash_head(cj_vhash *h, int village_id, const char *date, const char *kind,
	      const char *summary, int64_t attachments, int64_t reverses_id, size_t nlines)
{
	h->len = 0;
	h->oom = 0;
	put_str(h, "cunji-voucher-v1");
	put_i64(h, village_id);
	put_str(h, date);
	put_str(h, kind);
	put_str(h, summary);
	put_i64(h, attachments);
	put_i64(h, reverses_id);
	put_i64(h, (int64_t)nlines);
}

void
cj_vhash_line(cj_vhash *h, const char *account, int64_t debit, int64_t credit,
	      const char *summary, const char *counterparty, int64_t fund_id, int64_t project_id)
{
	put_str(h, account);
	put_i64(h, debit);
	put_i64(h, credit);
	put_str(h, summary);
	put_str(h, counterparty);
	put_i64(h, fund_id);
	put_i64(h, project_id);
}

int
cj_vhash_end(cj_vhash *h, const char *negative_cash_reason, char hex_out[65])
{
	static const char hexd[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	hex_out[0] = '\0';
	if (negative_cash_reason) /* only then, so that other hashes stay as they were */
		put_str(h, negative_cash_reason);
	if (!h->md)
		h->md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (h->oom || !h->md || !EVP_Digest(h->buf, h->len, md, &mdlen, h->md, NULL) || mdlen < 32)
		return CJ_ENOMEM;
	for (int i = 0; i < 32; i++) {
		hex_out[2 * i] = hexd[md[i] >> 4];
		hex_out[2 * i + 1] = hexd[md[i] & 15];
	}
	hex_out[64] = '\0';
	return 0;
}

void
cj_vhash_free(cj_vhash *h)
{
	free(h->buf);
	EVP_MD_free(h->md);
	h->buf = NULL;
	h->md = NULL;
	h->len = h->cap = 0;
}

void
cj_voucher_hash(const cj_voucher *v, char hex_out[65])
{
	cj_vhash h = CJ_VHASH_INIT;
	char date[16];

	cj_date_format(date, sizeof date, v->date);
	cj_vhash_head(&h, v->village_id, date, cj_voucher_kind_name(v->kind), v->summary,
		      v->attachments, v->reverses_id, v->nlines);
	for (size_t i = 0; i < v->nlines; i++) {
		const cj_line *l = &v->lines[i];
		cj_vhash_line(&h, l->account, l->debit.fen, l->credit.fen,
			      l->summary ? l->summary : v->summary, l->counterparty, l->fund_id,
			      l->project_id);
	}
	if (cj_vhash_end(&h, v->negative_cash_reason, hex_out))
		hex_out[0] = '\0';
	cj_vhash_free(&h);
}
