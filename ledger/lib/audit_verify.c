/*
 * audit_verify.c - `cunji audit verify`: the books recomputed from the raw rows
 *
 * Each chain (schema 0021, docs/audit.md) is recomputed here with OpenSSL
 * from what the tables hold, not from what the database's functions say:
 * the vouchers with their lines (content hash, balance), every link's hash,
 * every voucher and audit record in exactly one link, the kept totals, the
 * numbers, the closed months and every audited row against the trail.  One
 * village at a time, in one read-only snapshot; the schema's fingerprint is
 * audit_schema.c's.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "internal.h"
#include <ledger/i18n.h>

/* audit_excluded() of 0021: posted vouchers and lines (chained), the totals
 * and counters their triggers keep (recomputed here), the posting's own
 * bookkeeping, and the trail itself. */
const char cj__audit_excluded[] =
	"{voucher,voucher_line,account_period_total,account_year_total,fund_total,project_total,"
	"voucher_counter,voucher_pending,commit_check,commit_check_item,twophase_decision,"
	"audit_log,audit_table,chain_head,chain_link,disclosure_made}";

#define NONE "18446744073709551615:" /* hash_field of NULL */

static const char villages_sql[] =
	"WITH RECURSIVE t AS (\n"
	"    SELECT o.id, o.code::text AS path FROM cunji.org o\n"
	"     WHERE ($1::text IS NULL AND o.parent_id IS NULL) OR o.code = $1\n"
	"    UNION ALL\n"
	"    SELECT c.id, t.path || '/' || c.code FROM cunji.org c JOIN t ON c.parent_id = t.id)\n"
	"SELECT o.id, o.code\n"
	"  FROM t JOIN cunji.org o ON o.id = t.id AND o.level = 'village' ORDER BY t.path";

static const char vouchers_sql[] =
	"SELECT id, number, to_char(period, 'YYYY-MM'), to_char(voucher_date, 'YYYY-MM-DD'), kind,\n"
	"       summary, attachments, coalesce(reverses_id, 0), external_id, content_hash, preparer,\n"
	"       prepared_by, reviewed_by, posted_by, negative_cash_reason,\n"
	"       (extract(epoch FROM posted_at) * 1000000)::bigint\n"
	"  FROM cunji.voucher WHERE village_id = $1 ORDER BY id";
enum { V_ID, V_NUMBER, V_PERIOD, V_DATE, V_KIND, V_SUMMARY, V_ATTACH, V_REVERSES, V_EXT,
       V_HASH, V_PREPARER, V_PREPARED_BY, V_REVIEWED_BY, V_POSTED_BY, V_NEGCASH, V_POSTED_AT };

static const char lines_sql[] =
	"SELECT voucher_id, line_no, to_char(period, 'YYYY-MM'), account_code, debit_fen,\n"
	"       credit_fen, summary, counterparty, coalesce(fund_id, 0), coalesce(project_id, 0)\n"
	"  FROM cunji.voucher_line WHERE village_id = $1 ORDER BY voucher_id, line_no";
enum { L_VOUCHER, L_NO, L_PERIOD, L_ACCOUNT, L_DEBIT, L_CREDIT, L_SUMMARY, L_CPARTY, L_FUND,
       L_PROJECT };

static const char links_sql[] =
	"SELECT seq, kind, array_to_string(refs, ','), hash FROM cunji.chain_link\n"
	" WHERE village_id = $1 ORDER BY seq";
static const char head_sql[] = "SELECT seq, head FROM cunji.chain_head WHERE village_id = $1";
/* The last two columns are the rows a record counts for check_rows: its old
 * and new values, but for the draft tables each row as its "KEY:HEX" digest
 * (0038, draft_audit_rows), which is what a bulk step records of them. */
static const char audit_sql[] =
	"SELECT id, (extract(epoch FROM at) * 1000000)::bigint, login, tbl, op, row_key::text,\n"
	"       old::text, new::text, tx,\n"
	"       CASE WHEN tbl IN ('draft_voucher', 'draft_line', 'draft_event')\n"
	"            THEN cunji.draft_audit_rows(tbl, old)::text ELSE old::text END,\n"
	"       CASE WHEN tbl IN ('draft_voucher', 'draft_line', 'draft_event')\n"
	"            THEN cunji.draft_audit_rows(tbl, new)::text ELSE new::text END\n"
	"  FROM cunji.audit_log WHERE village_id = $1 ORDER BY id";
enum { A_ID, A_AT, A_LOGIN, A_TBL, A_OP, A_KEY, A_OLD, A_NEW, A_TX, A_OLD_ROWS, A_NEW_ROWS };

static const char ptotals_sql[] =
	"SELECT account_code, to_char(period, 'YYYY-MM'), debit_fen, credit_fen\n"
	"  FROM cunji.account_period_total WHERE village_id = $1\n"
	" ORDER BY account_code COLLATE \"C\", period";
static const char ytotals_sql[] =
	"SELECT account_code, year::text, debit_fen, credit_fen\n"
	"  FROM cunji.account_year_total WHERE village_id = $1\n"
	" ORDER BY account_code COLLATE \"C\", year";
static const char counters_sql[] =
	"SELECT to_char(period, 'YYYY-MM'), last_number FROM cunji.voucher_counter\n"
	" WHERE village_id = $1 ORDER BY period";
static const char pstate_sql[] =
	"SELECT to_char(period, 'YYYY-MM'), closed FROM cunji.period_state\n"
	" WHERE village_id = $1 ORDER BY period";
static const char pevent_sql[] =
	"SELECT to_char(period, 'YYYY-MM'), action, (extract(epoch FROM at) * 1000000)::bigint, id\n"
	"  FROM cunji.period_event WHERE village_id = $1 ORDER BY period, at, id";

/* The audited tables: whether each has village_id ($1 audit_excluded). */
static const char tables_sql[] =
	"SELECT c.relname, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid\n"
	"                            AND a.attname = 'village_id' AND NOT a.attisdropped)\n"
	"  FROM pg_class c WHERE c.relnamespace = 'cunji'::regnamespace AND c.relkind IN ('r', 'p')\n"
	"   AND c.relpersistence = 'p' AND NOT c.relname = ANY ($1::text[])\n"
	" ORDER BY c.relname COLLATE \"C\"";

typedef struct ctx {
	cj_db *db;
	cj_findings *out;
	cj_verify_stats *st;
	const char *code; /* the village's, or "" for the office's chain */
	char vid[16];
	const char *rows_sql; /* every audited row of a chain, built from tables_sql */
	int oom;
} ctx;

/* ------------------------------------------------------------------------ */
/* Findings and small helpers */

static void CJ_PRINTF(3, 4)
find(ctx *c, const char *voucher, const char *fmt, ...)
{
	char what[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (cj_findings_add(c->out, c->code, voucher, "%s%s", c->code[0] ? "" : _("office chain: "),
			    what))
		c->oom = 1;
}

static const char *
val(PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static int64_t
num(PGresult *r, int row, int col)
{
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static void
voucher_label(PGresult *v, int i, char *buf, size_t size)
{
	snprintf(buf, size, "%s #%s (id %s)", PQgetvalue(v, i, V_PERIOD),
		 PQgetvalue(v, i, V_NUMBER), PQgetvalue(v, i, V_ID));
}

/* Row of the id in a result ordered by id (column 0), or -1. */
static int
row_of(PGresult *r, int64_t id)
{
	int lo = 0, hi = PQntuples(r) - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		int64_t x = num(r, mid, 0);
		if (x == id)
			return mid;
		if (x < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int
query(ctx *c, PGresult **res, const char *sql)
{
	const char *params[1] = {c->vid};

	return cj_db_exec_prepared(c->db, res, sql, 1, params);
}

/* "LEN:TEXT" into a running SHA-256, or the length of none for NULL. */
static void
put_str(EVP_MD_CTX *m, const char *s)
{
	char len[24];

	if (!s) {
		EVP_DigestUpdate(m, NONE, sizeof NONE - 1);
		return;
	}
	snprintf(len, sizeof len, "%zu:", strlen(s));
	EVP_DigestUpdate(m, len, strlen(len));
	EVP_DigestUpdate(m, s, strlen(s));
}

static void
put_num(EVP_MD_CTX *m, long long n)
{
	char text[24];

	snprintf(text, sizeof text, "%lld", n);
	put_str(m, text);
}

/* One column of a link's vouchers (rows of v, in the link's order) as one
 * field: the values joined by sep (kind vouchers2, schema 0040). */
static void
put_joined(EVP_MD_CTX *m, PGresult *v, const int *rows, size_t n, int col, const char *sep)
{
	size_t len = 0, seplen = strlen(sep);
	char prefix[24];

	for (size_t i = 0; i < n; i++)
		len += (size_t)PQgetlength(v, rows[i], col) + (i ? seplen : 0);
	snprintf(prefix, sizeof prefix, "%zu:", len);
	EVP_DigestUpdate(m, prefix, strlen(prefix));
	for (size_t i = 0; i < n; i++) {
		if (i)
			EVP_DigestUpdate(m, sep, seplen);
		EVP_DigestUpdate(m, PQgetvalue(v, rows[i], col), (size_t)PQgetlength(v, rows[i], col));
	}
}

/* Who made a voucher: preparer, prepared by, reviewed by, posted by. */
static const int who_cols[4] = {V_PREPARER, V_PREPARED_BY, V_REVIEWED_BY, V_POSTED_BY};

static int
same_who(PGresult *v, int a, int b)
{
	for (int k = 0; k < 4; k++) {
		const char *x = val(v, a, who_cols[k]), *y = val(v, b, who_cols[k]);
		if (x ? !y || strcmp(x, y) : y != NULL)
			return 0;
	}
	return 1;
}

static void
put_who(EVP_MD_CTX *m, PGresult *v, int r)
{
	for (int k = 0; k < 4; k++)
		put_str(m, val(v, r, who_cols[k]));
}

/* The content of a link of kind vouchers2 (docs/audit.md): the count, the
 * ids, the numbers, the content hashes, the external ids, and who made
 * them, once when every voucher of the link has the same four, else once
 * per voucher. */
static void
put_voucher_set(EVP_MD_CTX *m, PGresult *v, const int *rows, size_t n)
{
	size_t ext = 0;
	int same = 1;

	put_num(m, (long long)n);
	put_joined(m, v, rows, n, V_ID, ",");
	put_joined(m, v, rows, n, V_NUMBER, ",");
	put_joined(m, v, rows, n, V_HASH, "");
	for (size_t i = 0; i < n; i++) {
		ext += !PQgetisnull(v, rows[i], V_EXT);
		same = same && same_who(v, rows[0], rows[i]);
	}
	put_num(m, (long long)ext);
	for (size_t i = 0; i < n; i++)
		if (!PQgetisnull(v, rows[i], V_EXT)) {
			put_str(m, PQgetvalue(v, rows[i], V_ID));
			put_str(m, PQgetvalue(v, rows[i], V_EXT));
		}
	put_num(m, same ? 1 : (long long)n);
	for (size_t i = 0; i < (same ? (n > 0) : n); i++)
		put_who(m, v, rows[i]);
}

static void
digest_hex(EVP_MD_CTX *m, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	hex[0] = '\0';
	if (!EVP_DigestFinal_ex(m, md, &n) || n < 32)
		return;
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

/* ------------------------------------------------------------------------ */
/* Vouchers against their lines; the kept totals against the lines */

typedef struct sum {
	const char *account, *period; /* into the lines' result */
	int64_t debit, credit;
} sum;

static int
sum_cmp(const void *a, const void *b)
{
	const sum *x = a, *y = b;
	int d = strcmp(x->account, y->account);

	return d ? d : strcmp(x->period, y->period);
}

/* Each voucher: its lines numbered 1..n in its month, balanced, and its
 * content hash as its lines give it (cj_vhash, as posting computes it). */
static void
check_vouchers(ctx *c, PGresult *v, PGresult *l, sum *sums)
{
	cj_vhash h = CJ_VHASH_INIT;
	int nl = PQntuples(l), j = 0;
	char label[80], hex[65];

	for (int i = 0; i < PQntuples(v); i++) {
		int64_t id = num(v, i, V_ID), debit = 0, credit = 0;
		int first, n;

		voucher_label(v, i, label, sizeof label);
		for (; j < nl && num(l, j, L_VOUCHER) < id; j++)
			find(c, NULL, _("line %s of voucher id %s has no voucher (the voucher was deleted)"),
			     PQgetvalue(l, j, L_NO), PQgetvalue(l, j, L_VOUCHER));
		first = j;
		while (j < nl && num(l, j, L_VOUCHER) == id)
			j++;
		n = j - first;
		cj_vhash_head(&h, atoi(c->vid), PQgetvalue(v, i, V_DATE), PQgetvalue(v, i, V_KIND),
			      PQgetvalue(v, i, V_SUMMARY), num(v, i, V_ATTACH), num(v, i, V_REVERSES),
			      (size_t)n);
		for (int k = first; k < j; k++) {
			int64_t d = num(l, k, L_DEBIT), cr = num(l, k, L_CREDIT);
			if (num(l, k, L_NO) != k - first + 1)
				find(c, label, _("line %s is out of sequence (expected line %d)"),
				     PQgetvalue(l, k, L_NO), k - first + 1);
			if (strcmp(PQgetvalue(l, k, L_PERIOD), PQgetvalue(v, i, V_PERIOD)))
				find(c, label, _("line %s is in month %s, the voucher in %s"),
				     PQgetvalue(l, k, L_NO), PQgetvalue(l, k, L_PERIOD),
				     PQgetvalue(v, i, V_PERIOD));
			debit += d;
			credit += cr;
			cj_vhash_line(&h, PQgetvalue(l, k, L_ACCOUNT), d, cr,
				      PQgetvalue(l, k, L_SUMMARY), val(l, k, L_CPARTY),
				      num(l, k, L_FUND), num(l, k, L_PROJECT));
		}
		if (n < 2)
			find(c, label, _("has %d line%s (a voucher has two or more)"), n, n == 1 ? "" : "s");
		if (debit != credit)
			find(c, label, _("debits %lld fen and credits %lld fen do not balance"),
			     (long long)debit, (long long)credit);
		if (cj_vhash_end(&h, val(v, i, V_NEGCASH), hex))
			c->oom = 1;
		else if (strcmp(hex, PQgetvalue(v, i, V_HASH)))
			find(c, label,
			     _("its date, summary, kind or lines (account, amount, summary, counterparty, "
			     "fund, project) differ from what was posted: content hash %.12s…, its rows "
			     "give %.12s…"),
			     PQgetvalue(v, i, V_HASH), hex);
	}
	for (; j < nl; j++)
		find(c, NULL, _("line %s of voucher id %s has no voucher (the voucher was deleted)"),
		     PQgetvalue(l, j, L_NO), PQgetvalue(l, j, L_VOUCHER));
	cj_vhash_free(&h);
	for (int k = 0; k < nl; k++)
		sums[k] = (sum){PQgetvalue(l, k, L_ACCOUNT), PQgetvalue(l, k, L_PERIOD),
				num(l, k, L_DEBIT), num(l, k, L_CREDIT)};
}

/* Sums (sorted, merged in place) against kept rows (account, key, debit,
 * credit) in the same order; keylen: how much of the period is the key
 * (7 for a month, 4 for a year). */
static void
check_totals(ctx *c, const sum *s, size_t n, PGresult *kept, size_t keylen)
{
	size_t i = 0;
	int k = 0, nk = PQntuples(kept), yearly = keylen == 4;

	while (i < n || k < nk) {
		const char *acct = NULL, *key = NULL;
		int64_t d = 0, cr = 0;
		int cmp;

		if (i < n && k < nk) {
			cmp = strcmp(s[i].account, PQgetvalue(kept, k, 0));
			if (!cmp)
				cmp = strncmp(s[i].period, PQgetvalue(kept, k, 1), keylen);
		} else {
			cmp = i < n ? -1 : 1;
		}
		if (cmp <= 0) {
			acct = s[i].account;
			key = s[i].period;
			for (; i < n && !strcmp(s[i].account, acct) && !strncmp(s[i].period, key, keylen);
			     i++) {
				d += s[i].debit;
				cr += s[i].credit;
			}
		}
		if (cmp >= 0) {
			int64_t kd = num(kept, k, 2), kc = num(kept, k, 3);
			if (kd != d || kc != cr)
				find(c, NULL,
				     yearly ? _("kept yearly total of account %s, %.*s: debit %lld credit "
						"%lld fen, its lines give debit %lld credit %lld")
					    : _("kept monthly total of account %s, %.*s: debit %lld credit "
						"%lld fen, its lines give debit %lld credit %lld"),
				     PQgetvalue(kept, k, 0), (int)keylen, PQgetvalue(kept, k, 1),
				     (long long)kd, (long long)kc, (long long)d, (long long)cr);
			k++;
		} else if (d || cr) {
			find(c, NULL,
			     yearly ? _("account %s, %.*s: lines debit %lld credit %lld fen, and no kept "
					"yearly total")
				    : _("account %s, %.*s: lines debit %lld credit %lld fen, and no kept "
					"monthly total"),
			     acct, (int)keylen, key, (long long)d, (long long)cr);
		}
	}
}

/* ------------------------------------------------------------------------ */
/* Voucher numbers; closed months */

static PGresult *sort_res; /* for the comparison below: one verify at a time per process */

static int
by_number(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	int d = strcmp(PQgetvalue(sort_res, x, V_PERIOD), PQgetvalue(sort_res, y, V_PERIOD));
	int64_t nx, ny;

	if (d)
		return d;
	nx = num(sort_res, x, V_NUMBER);
	ny = num(sort_res, y, V_NUMBER);
	return nx < ny ? -1 : nx > ny;
}

/* In each month 1..n, and the counter at n. */
static void
check_numbers(ctx *c, PGresult *v, PGresult *counters)
{
	int n = PQntuples(v), k = 0, *ix = malloc(((size_t)n + 1) * sizeof *ix);
	char label[80];

	if (!ix) {
		c->oom = 1;
		return;
	}
	for (int i = 0; i < n; i++)
		ix[i] = i;
	sort_res = v;
	qsort(ix, (size_t)n, sizeof *ix, by_number);
	for (int i = 0; i < n;) {
		const char *period = PQgetvalue(v, ix[i], V_PERIOD);
		int64_t want = 1;
		int g = i;

		for (; g < n && !strcmp(PQgetvalue(v, ix[g], V_PERIOD), period); g++, want++) {
			int64_t got = num(v, ix[g], V_NUMBER);
			voucher_label(v, ix[g], label, sizeof label);
			if (got < want)
				find(c, label, _("number %lld is used twice in %s"), (long long)got, period);
			else if (got > want)
				find(c, label, _("numbers %lld to %lld of %s are missing"), (long long)want,
				     (long long)got - 1, period);
			want = got;
		}
		for (; k < PQntuples(counters) && strcmp(PQgetvalue(counters, k, 0), period) < 0; k++)
			if (num(counters, k, 1))
				find(c, NULL, _("the counter of %s stands at %s, and %s has no voucher"),
				     PQgetvalue(counters, k, 0), PQgetvalue(counters, k, 1),
				     PQgetvalue(counters, k, 0));
		if (k < PQntuples(counters) && !strcmp(PQgetvalue(counters, k, 0), period)) {
			if (num(counters, k, 1) != want - 1)
				find(c, NULL, _("the counter of %s stands at %s, its vouchers go to %lld"),
				     period, PQgetvalue(counters, k, 1), (long long)want - 1);
			k++;
		} else {
			find(c, NULL, _("%s has vouchers up to number %lld and no counter"), period,
			     (long long)want - 1);
		}
		i = g;
	}
	for (; k < PQntuples(counters); k++)
		if (num(counters, k, 1))
			find(c, NULL, _("the counter of %s stands at %s, and %s has no voucher"),
			     PQgetvalue(counters, k, 0), PQgetvalue(counters, k, 1),
			     PQgetvalue(counters, k, 0));
	free(ix);
}

/* First event of a month in events (ordered by month), or -1. */
static int
first_event(PGresult *ev, const char *period)
{
	int lo = 0, hi = PQntuples(ev);

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (strcmp(PQgetvalue(ev, mid, 0), period) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < PQntuples(ev) && !strcmp(PQgetvalue(ev, lo, 0), period) ? lo : -1;
}

/* Each month's state as its last close or reopen left it; no voucher posted
 * while its month was closed. */
static void
check_periods(ctx *c, PGresult *v, PGresult *state, PGresult *ev)
{
	char label[80];

	for (int i = 0; i < PQntuples(state); i++) {
		const char *p = PQgetvalue(state, i, 0);
		int closed = !strcmp(PQgetvalue(state, i, 1), "t"), e = first_event(ev, p), last = -1;

		for (; e >= 0 && e < PQntuples(ev) && !strcmp(PQgetvalue(ev, e, 0), p); e++)
			last = e;
		if (last < 0 && closed)
			find(c, NULL, _("month %s is closed, and no close of it is recorded"), p);
		else if (last >= 0 && closed != !strcmp(PQgetvalue(ev, last, 1), "close"))
			find(c, NULL,
			     closed ? _("month %s is closed, but its last record (id %s) reopened it")
				    : _("month %s is open, but its last record (id %s) closed it"),
			     p, PQgetvalue(ev, last, 3));
	}
	for (int e = 0; e < PQntuples(ev); e++) {
		int has = 0;
		if (e + 1 < PQntuples(ev) && !strcmp(PQgetvalue(ev, e, 0), PQgetvalue(ev, e + 1, 0)))
			continue; /* only a month's last record */
		for (int i = 0; i < PQntuples(state) && !has; i++)
			has = !strcmp(PQgetvalue(state, i, 0), PQgetvalue(ev, e, 0));
		if (!has && !strcmp(PQgetvalue(ev, e, 1), "close"))
			find(c, NULL, _("month %s was closed (record id %s), and has no state now"),
			     PQgetvalue(ev, e, 0), PQgetvalue(ev, e, 3));
	}
	for (int i = 0; i < PQntuples(v); i++) {
		int64_t at = num(v, i, V_POSTED_AT), closed_at = -1;
		int e = first_event(ev, PQgetvalue(v, i, V_PERIOD));

		for (; e >= 0 && e < PQntuples(ev) &&
		       !strcmp(PQgetvalue(ev, e, 0), PQgetvalue(v, i, V_PERIOD));
		     e++) {
			int64_t t = num(ev, e, 2);
			if (t > at)
				break;
			closed_at = !strcmp(PQgetvalue(ev, e, 1), "close") ? t : -1;
		}
		if (closed_at >= 0 && at > closed_at) {
			voucher_label(v, i, label, sizeof label);
			find(c, label, _("was posted while %s was closed (no reopen recorded before it)"),
			     PQgetvalue(v, i, V_PERIOD));
		}
	}
}

/* ------------------------------------------------------------------------ */
/* The chain */

/* Every link recomputed from the rows it names; every voucher and audit
 * record in exactly one link; the head where the last link is.  A link of
 * vouchers is of kind vouchers (0021, 0036: voucher by voucher) or
 * vouchers2 (0040: column by column); both verify. */
static void
check_chain(ctx *c, PGresult *v, PGresult *a, PGresult *links, PGresult *head)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	int nv = PQntuples(v), na = PQntuples(a);
	int *vcover = calloc((size_t)nv + 1, sizeof *vcover);
	int *acover = calloc((size_t)na + 1, sizeof *acover);
	int *rows = NULL;
	size_t rows_cap = 0;
	char prev[65] = CJ_CHAIN_GENESIS, hex[65], label[80];
	int64_t want = 1;

	if (!m || !vcover || !acover) {
		c->oom = 1;
		goto done;
	}
	for (int i = 0; i < PQntuples(links); i++) {
		int64_t seq = num(links, i, 0);
		const char *kind = PQgetvalue(links, i, 1), *refs = PQgetvalue(links, i, 2);
		int set = !strcmp(kind, "vouchers2");
		int vouchers = set || !strcmp(kind, "vouchers"), whole = 1;
		size_t nrefs = 0, nrows = 0;
		char seqtext[24];

		if (seq != want)
			find(c, NULL, _("links %lld to %lld of the chain are missing (deleted)"),
			     (long long)want, (long long)seq - 1);
		want = seq + 1;
		for (const char *p = refs; *p; p++)
			nrefs += *p == ',';
		nrefs += *refs != '\0';
		if (vouchers ? nrefs == 0 : nrefs != 1)
			find(c, NULL, _("link %lld (%s) names %zu rows: not a link the ledger makes"),
			     (long long)seq, kind, nrefs);
		if (nrefs > rows_cap) {
			int *grown = realloc(rows, nrefs * sizeof *rows);
			if (!grown) {
				c->oom = 1;
				goto done;
			}
			rows = grown;
			rows_cap = nrefs;
		}
		snprintf(seqtext, sizeof seqtext, "%lld", (long long)seq);
		EVP_DigestInit_ex(m, EVP_sha256(), NULL);
		EVP_DigestUpdate(m, prev, 64);
		put_str(m, "cunji-link-v1");
		put_str(m, c->vid);
		put_str(m, seqtext);
		put_str(m, kind);
		if (vouchers && !set) {
			snprintf(seqtext, sizeof seqtext, "%zu", nrefs);
			put_str(m, seqtext);
		}
		for (const char *p = refs; *p;) {
			int64_t id = strtoll(p, NULL, 10);
			int r = row_of(vouchers ? v : a, id);

			p += strcspn(p, ",");
			p += *p == ',';
			if (r < 0) {
				find(c, NULL, _("link %lld names %s id %lld, which is gone (deleted)"),
				     (long long)seq, vouchers ? _("voucher") : _("audit record"), (long long)id);
				whole = 0;
				continue;
			}
			if (vouchers) {
				vcover[r]++;
				rows[nrows++] = r;
				if (set)
					continue;
				put_str(m, PQgetvalue(v, r, V_ID));
				put_str(m, PQgetvalue(v, r, V_NUMBER));
				put_str(m, val(v, r, V_EXT));
				put_str(m, PQgetvalue(v, r, V_HASH));
				put_str(m, PQgetvalue(v, r, V_PREPARER));
				put_str(m, val(v, r, V_PREPARED_BY));
				put_str(m, val(v, r, V_REVIEWED_BY));
				put_str(m, PQgetvalue(v, r, V_POSTED_BY));
			} else {
				acover[r]++;
				for (int col = A_ID; col <= A_NEW; col++)
					put_str(m, val(a, r, col));
			}
		}
		if (set)
			put_voucher_set(m, v, rows, nrows);
		digest_hex(m, hex);
		if (whole && strcmp(hex, PQgetvalue(links, i, 3))) {
			if (vouchers) {
				int r = row_of(v, strtoll(refs, NULL, 10));
				voucher_label(v, r, label, sizeof label);
				find(c, nrefs == 1 ? label : NULL,
				     _("link %lld (%zu voucher%s from id %s) does not match: a voucher's "
				     "number, content hash, preparer or who reviewed or posted it was changed"),
				     (long long)seq, nrefs, nrefs == 1 ? "" : "s", refs);
			} else {
				find(c, NULL,
				     _("link %lld does not match audit record %s (%s of %s): the record was "
				     "changed"),
				     (long long)seq, refs, PQgetvalue(a, row_of(a, strtoll(refs, NULL, 10)), A_OP),
				     PQgetvalue(a, row_of(a, strtoll(refs, NULL, 10)), A_TBL));
			}
		}
		/* the stored hash goes on, so that one change is one finding */
		snprintf(prev, sizeof prev, "%s", PQgetvalue(links, i, 3));
	}
	c->st->links += (size_t)PQntuples(links);
	for (int i = 0; i < nv; i++) {
		voucher_label(v, i, label, sizeof label);
		if (!vcover[i])
			find(c, label, _("is in no link of the chain: it was written with the ledger's "
				       "triggers off"));
		else if (vcover[i] > 1)
			find(c, label, _("is in %d links of the chain"), vcover[i]);
	}
	for (int i = 0; i < na; i++)
		if (acover[i] != 1)
			find(c, NULL, _("audit record %s (%s of %s by %s) is in %d links of the chain"),
			     PQgetvalue(a, i, A_ID), PQgetvalue(a, i, A_OP), PQgetvalue(a, i, A_TBL),
			     PQgetvalue(a, i, A_LOGIN), acover[i]);
	if (PQntuples(head) != 1 ? PQntuples(links) > 0
				 : (want - 1 != num(head, 0, 0) || strcmp(prev, PQgetvalue(head, 0, 1))))
		find(c, NULL, _("the chain's head (%s, %s) is not its last link (%lld, %.16s…)"),
		     PQntuples(head) ? PQgetvalue(head, 0, 0) : _("none"),
		     PQntuples(head) ? PQgetvalue(head, 0, 1) : _("none"), (long long)want - 1, prev);
done:
	free(rows);
	free(vcover);
	free(acover);
	EVP_MD_CTX_free(m);
}

/* ------------------------------------------------------------------------ */
/* Every audited row as the trail last recorded it */

typedef struct slot {
	char *key; /* table, generation and the row's jsonb text */
	long count;
} slot;

typedef struct rowset {
	slot *slots;
	size_t cap, used;
} rowset;

static uint64_t
fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static slot *
rowset_slot(rowset *rs, const char *key, int *oom)
{
	size_t i;

	if (2 * (rs->used + 1) > rs->cap) {
		rowset bigger = {calloc(rs->cap ? 2 * rs->cap : 256, sizeof(slot)),
				 rs->cap ? 2 * rs->cap : 256, 0};
		if (!bigger.slots) {
			*oom = 1;
			return NULL;
		}
		for (size_t k = 0; k < rs->cap; k++)
			if (rs->slots[k].key) {
				for (i = fnv(rs->slots[k].key) % bigger.cap; bigger.slots[i].key;
				     i = (i + 1) % bigger.cap)
					;
				bigger.slots[i] = rs->slots[k];
				bigger.used++;
			}
		free(rs->slots);
		*rs = bigger;
	}
	for (i = fnv(key) % rs->cap; rs->slots[i].key; i = (i + 1) % rs->cap)
		if (!strcmp(rs->slots[i].key, key))
			return &rs->slots[i];
	if (!(rs->slots[i].key = strdup(key))) {
		*oom = 1;
		return NULL;
	}
	rs->used++;
	return &rs->slots[i];
}

static void
rowset_add(rowset *rs, const char *tbl, long gen, const char *json, long d, int *oom)
{
	char *key;
	size_t n;
	slot *s;

	if (!json)
		return;
	n = strlen(tbl) + strlen(json) + 32;
	if (!(key = malloc(n))) {
		*oom = 1;
		return;
	}
	snprintf(key, n, "%s\n%ld\n%s", tbl, gen, json);
	s = rowset_slot(rs, key, oom);
	if (s)
		s->count += d;
	free(key);
}

/* A record of a bulk step on drafts (0031, draft_bulk_step) holds the
 * values of many rows as one JSON array: each element counts as a row (the
 * elements read as to_jsonb of each row does, objects never arrays). */
static void
rowset_add_values(rowset *rs, const char *tbl, long gen, const char *json, long d, int *oom)
{
	const char *start = NULL;
	int depth = 0, in_str = 0;

	if (!json || json[0] != '[') {
		rowset_add(rs, tbl, gen, json, d, oom);
		return;
	}
	for (const char *p = json + 1; *p && !*oom; p++) {
		if (in_str) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				in_str = 0;
			continue;
		}
		if (!start && *p != ' ' && *p != ',' && *p != ']')
			start = p;
		if (*p == '"') {
			in_str = 1;
		} else if (*p == '{' || *p == '[') {
			depth++;
		} else if ((*p == '}' || *p == ']') && depth) {
			depth--;
		} else if ((*p == ',' || *p == ']') && !depth && start) {
			size_t n = (size_t)(p - start);
			char *one = malloc(n + 1);
			if (!one) {
				*oom = 1;
				return;
			}
			memcpy(one, start, n);
			one[n] = '\0';
			rowset_add(rs, tbl, gen, one, d, oom);
			free(one);
			start = NULL;
		}
	}
}

/* A table's generation: a new one at each batch of EXISTING records (the
 * rows as they read when audit_attach recorded them), or a TRUNCATE. */
typedef struct gen {
	char tbl[64];
	long gen;
	char tx[24];
} gen;

static gen *
gen_of(gen *g, size_t *n, const char *tbl)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(g[i].tbl, tbl))
			return &g[i];
	snprintf(g[*n].tbl, sizeof g[*n].tbl, "%s", tbl);
	g[*n].gen = 0;
	g[*n].tx[0] = '\0';
	return &g[(*n)++];
}

static void
check_rows(ctx *c, PGresult *a, PGresult *rows)
{
	rowset rs = {NULL, 0, 0};
	size_t ngen = 0, cap = (size_t)PQntuples(a) + (size_t)PQntuples(rows) + 1;
	gen *g = calloc(cap, sizeof *g);
	int oom = 0;

	if (!g) {
		c->oom = 1;
		return;
	}
	for (int i = 0; i < PQntuples(a) && !oom; i++) {
		const char *op = PQgetvalue(a, i, A_OP);
		gen *t = gen_of(g, &ngen, PQgetvalue(a, i, A_TBL));

		if (!strcmp(op, "EXISTING") && strcmp(t->tx, PQgetvalue(a, i, A_TX))) {
			t->gen++;
			snprintf(t->tx, sizeof t->tx, "%s", PQgetvalue(a, i, A_TX));
		} else if (!strcmp(op, "TRUNCATE")) {
			t->gen++;
			t->tx[0] = '\0';
		}
		rowset_add_values(&rs, t->tbl, t->gen, val(a, i, A_OLD_ROWS), -1, &oom);
		rowset_add_values(&rs, t->tbl, t->gen, val(a, i, A_NEW_ROWS), +1, &oom);
	}
	for (int i = 0; i < PQntuples(rows) && !oom; i++)
		rowset_add(&rs, PQgetvalue(rows, i, 0), gen_of(g, &ngen, PQgetvalue(rows, i, 0))->gen,
			   PQgetvalue(rows, i, 1), -1, &oom);
	for (size_t i = 0; i < rs.cap && !oom; i++) {
		slot *s = &rs.slots[i];
		char *tbl, *json;
		long gn;

		if (!s->key || !s->count)
			continue;
		tbl = s->key;
		gn = strtol(strchr(tbl, '\n') + 1, &json, 10);
		*strchr(tbl, '\n') = '\0';
		if (gn != gen_of(g, &ngen, tbl)->gen)
			continue; /* rows as they read before a later EXISTING batch */
		json++;
		if (s->count > 0)
			find(c, NULL, _("a row of %s as the audit trail last recorded it is gone or "
				      "changed: %.200s"),
			     tbl, json);
		else
			find(c, NULL, _("a row of %s is not as the audit trail recorded it (changed with "
				      "the audit trigger off): %.200s"),
			     tbl, json);
	}
	for (size_t i = 0; i < rs.cap; i++)
		free(rs.slots[i].key);
	free(rs.slots);
	free(g);
	if (oom)
		c->oom = 1;
}

/* Every audited row of a chain: (table, to_jsonb text), for $1 the village
 * (0: the office's rows: tables without village_id, and org rows not of a
 * village). */
static int
build_rows_sql(cj_db *db, cj_buf *sql)
{
	const char *params[1] = {cj__audit_excluded};
	PGresult *res;
	int err = cj_db_exec(db, &res, tables_sql, 1, params);

	if (err)
		return err;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *t = PQgetvalue(res, i, 0);
		/* the draft tables as their digests (0038), as the trail holds them */
		int digest = !strcmp(t, "draft_voucher") || !strcmp(t, "draft_line") ||
			     !strcmp(t, "draft_event");
		cj__buf_printf(sql, "%sSELECT '%s', %s FROM cunji.%s x WHERE ",
			       i ? "\nUNION ALL " : "", t,
			       digest ? "to_jsonb(cunji.draft_digest(x))::text" : "to_jsonb(x)::text", t);
		if (!strcmp(t, "org"))
			cj__buf_puts(sql, "CASE WHEN x.level = 'village' THEN x.id ELSE 0 END = $1::int");
		else if (!strcmp(PQgetvalue(res, i, 1), "t"))
			cj__buf_puts(sql, "x.village_id = $1::int");
		else
			cj__buf_puts(sql, "$1::int = 0");
	}
	if (!PQntuples(res))
		cj__buf_puts(sql, "SELECT '', '' WHERE $1::int IS NULL");
	PQclear(res);
	return cj__buf_ok(sql) ? 0 : cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
}

/* ------------------------------------------------------------------------ */

static int
verify_one(ctx *c, int village_id, const char *code)
{
	PGresult *r[11] = {NULL};
	enum { RV, RL, RA, RLINK, RHEAD, RPT, RYT, RCNT, RPS, RPE, RROWS };
	const char *sqls[11] = {vouchers_sql, lines_sql, audit_sql, links_sql, head_sql,
				ptotals_sql, ytotals_sql, counters_sql, pstate_sql, pevent_sql,
				NULL};
	sum *sums = NULL;
	size_t n = 0;
	int err = 0;

	c->code = code;
	snprintf(c->vid, sizeof c->vid, "%d", village_id);
	for (int i = 0; i < 11 && !err; i++) {
		const char *params[1] = {c->vid};
		err = sqls[i] ? query(c, &r[i], sqls[i])
			      : cj_db_exec(c->db, &r[i], c->rows_sql, 1, params);
	}
	if (err)
		goto done;
	c->st->vouchers += (size_t)PQntuples(r[RV]);
	c->st->lines += (size_t)PQntuples(r[RL]);
	c->st->audit_records += (size_t)PQntuples(r[RA]);
	sums = malloc(((size_t)PQntuples(r[RL]) + 1) * sizeof *sums);
	if (!sums) {
		c->oom = 1;
		goto done;
	}
	check_vouchers(c, r[RV], r[RL], sums);
	n = (size_t)PQntuples(r[RL]);
	qsort(sums, n, sizeof *sums, sum_cmp);
	check_totals(c, sums, n, r[RPT], 7);
	check_totals(c, sums, n, r[RYT], 4);
	check_numbers(c, r[RV], r[RCNT]);
	check_periods(c, r[RV], r[RPS], r[RPE]);
	check_chain(c, r[RV], r[RA], r[RLINK], r[RHEAD]);
	check_rows(c, r[RA], r[RROWS]);
done:
	free(sums);
	for (int i = 0; i < 11; i++)
		PQclear(r[i]);
	if (!err && c->oom)
		err = cj_db_fail(c->db, CJ_ENOMEM, _("out of memory"));
	return err;
}

int
cj_audit_verify(cj_db *db, const char *org_code, cj_findings *out, cj_verify_stats *stats)
{
	const char *params[1] = {org_code};
	cj_verify_stats dummy;
	cj_buf rows_sql = CJ_BUF_INIT;
	ctx c = {db, out, stats ? stats : &dummy, "", "", NULL, 0};
	PGresult *villages = NULL;
	int err, whole = 1;

	memset(c.st, 0, sizeof *c.st);
	if (org_code) {
		cj_org o;
		err = cj_org_find(db, org_code, &o);
		if (err)
			return err;
		/* the office's chain and the schema with the county */
		whole = o.level == CJ_ORG_COUNTY;
	}
	err = cj_db_exec(db, NULL, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL);
	if (err)
		return err;
	/* the trail's times read as audit_row wrote them */
	err = cj_db_exec(db, NULL, "SET LOCAL TimeZone = 'UTC'", 0, NULL);
	/* and the draft rows' text as draft_bulk_step digests it (0038) */
	if (!err)
		err = cj_db_exec(db, NULL, "SET LOCAL DateStyle = 'ISO'", 0, NULL);
	if (!err)
		err = build_rows_sql(db, &rows_sql);
	if (!err)
		err = cj_db_exec(db, &villages, villages_sql, 1, params);
	if (err)
		goto done;
	c.rows_sql = rows_sql.data;
	for (int i = 0; i < PQntuples(villages) && !err; i++, c.st->villages++)
		err = verify_one(&c, atoi(PQgetvalue(villages, i, 0)), PQgetvalue(villages, i, 1));
	if (!err && whole)
		err = verify_one(&c, 0, "");
	if (!err && whole)
		err = cj__audit_verify_schema(db, out, &c.st->schema_items);
done:
	PQclear(villages);
	cj__buf_free(&rows_sql);
	cj_db_rollback(db);
	return err;
}
