/*
 * voucher_view.c - reading vouchers, posted and drafts: one voucher whole
 * (its lines, state, who prepared, reviewed and posted it, what reverses
 * it, the ledger action its draft carries), and the list that `cunji
 * voucher list` filters
 * (see <ledger/voucher_path.h>)
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ledger/i18n.h>

#include "internal.h"

#define TS "'YYYY-MM-DD HH24:MI:SS'"

/* The header's columns, the same for a posted voucher and a draft. */
#define POSTED_HEAD                                                                           \
	"SELECT 'posted', v.village_id, o.code, o.name, v.id, coalesce(v.draft_id, 0),\n"      \
	"       coalesce(d.batch_id, 0), to_char(v.period, 'YYYY-MM'), v.number, v.voucher_date,\n" \
	"       v.kind, v.summary, v.attachments, coalesce(v.external_id, ''),\n"               \
	"       coalesce(v.negative_cash_reason, ''),\n"                                         \
	"       coalesce(v.prepared_by::text, ''), coalesce(login_name(v.prepared_by), v.preparer),\n" \
	"       to_char(coalesce(d.prepared_at, v.posted_at), " TS "),\n"                        \
	"       coalesce(v.reviewed_by::text, ''), coalesce(login_name(v.reviewed_by), ''),\n"   \
	"       coalesce(to_char(v.reviewed_at, " TS "), ''),\n"                                 \
	"       v.posted_by, login_name(v.posted_by::name), to_char(v.posted_at, " TS "),\n"    \
	"       coalesce(d.rejected_by::text, ''), coalesce(login_name(d.rejected_by), ''),\n"   \
	"       coalesce(to_char(d.rejected_at, " TS "), ''), coalesce(d.reject_reason, ''),\n" \
	"       coalesce(v.reverses_id, 0), coalesce(to_char(r.period, 'YYYY-MM') || '-' || r.number, ''),\n" \
	"       coalesce(x.id, 0), coalesce(to_char(x.period, 'YYYY-MM') || '-' || x.number, ''),\n" \
	"       coalesce(v.source_number, ''), coalesce(v.source_preparer, ''),\n"               \
	"       coalesce(da.action, '')\n"                                                       \
	"  FROM voucher v JOIN org o ON o.id = v.village_id\n"                                 \
	"  LEFT JOIN draft_voucher d ON d.village_id = v.village_id AND d.id = v.draft_id\n"    \
	"  LEFT JOIN draft_action da ON da.village_id = v.village_id AND da.draft_id = v.draft_id\n" \
	"  LEFT JOIN voucher r ON r.village_id = v.village_id AND r.id = v.reverses_id\n"       \
	"  LEFT JOIN voucher x ON x.village_id = v.village_id AND x.reverses_id = v.id\n"

static const char posted_by_number_sql[] =
	POSTED_HEAD " WHERE v.village_id = $1 AND v.period = $2 AND v.number = $3";
static const char posted_by_draft_sql[] =
	POSTED_HEAD " WHERE v.village_id = $1 AND v.draft_id = $2";

static const char draft_head_sql[] =
	"SELECT d.state, d.village_id, o.code, o.name, 0, d.id, d.batch_id,\n"
	"       to_char(d.voucher_date, 'YYYY-MM'), 0, d.voucher_date, d.kind, d.summary,\n"
	"       d.attachments, coalesce(d.external_id, ''), coalesce(d.negative_cash_reason, ''),\n"
	"       d.prepared_by, login_name(d.prepared_by), to_char(d.prepared_at, " TS "),\n"
	"       coalesce(d.reviewed_by::text, ''), coalesce(login_name(d.reviewed_by), ''),\n"
	"       coalesce(to_char(d.reviewed_at, " TS "), ''), '', '', '',\n"
	"       coalesce(d.rejected_by::text, ''), coalesce(login_name(d.rejected_by), ''),\n"
	"       coalesce(to_char(d.rejected_at, " TS "), ''), coalesce(d.reject_reason, ''),\n"
	"       coalesce(d.reverses_id, 0), coalesce(to_char(r.period, 'YYYY-MM') || '-' || r.number, ''),\n"
	"       0, '', '', '', coalesce(da.action, '')\n"
	"  FROM draft_voucher d JOIN org o ON o.id = d.village_id\n"
	"  LEFT JOIN draft_action da ON da.village_id = d.village_id AND da.draft_id = d.id\n"
	"  LEFT JOIN voucher r ON r.village_id = d.village_id AND r.id = d.reverses_id\n"
	" WHERE d.village_id = $1 AND d.id = $2";

/* Lines with their accounts' names: codes nest strictly, so the accounts
 * whose code prefixes the line's are its parents. */
#define LINES_SQL(table, key)                                                                 \
	"SELECT l.line_no, l.account_code,\n"                                                  \
	"       (SELECT string_agg(a.name, '/' ORDER BY length(a.code)) FROM account a\n"        \
	"         WHERE a.village_id = l.village_id AND l.account_code LIKE a.code || '%'),\n"   \
	"       left(l.account_code, 3),\n"                                                      \
	"       (SELECT a.name FROM account a WHERE a.village_id = l.village_id\n"              \
	"           AND a.code = left(l.account_code, 3)),\n"                                     \
	"       coalesce((SELECT string_agg(a.name, '/' ORDER BY length(a.code)) FROM account a\n" \
	"                  WHERE a.village_id = l.village_id AND length(a.code) > 3\n"          \
	"                    AND l.account_code LIKE a.code || '%'), ''),\n"                      \
	"       l.debit_fen, l.credit_fen, l.summary, coalesce(l.counterparty, ''),\n"           \
	"       coalesce(f.code, ''), coalesce(p.code, '')\n"                                    \
	"  FROM " table " l\n"                                                                  \
	"  LEFT JOIN fund f ON f.village_id = l.village_id AND f.id = l.fund_id\n"             \
	"  LEFT JOIN project p ON p.village_id = l.village_id AND p.id = l.project_id\n"        \
	" WHERE l.village_id = $1 AND l." key " = $2 ORDER BY l.line_no"

static const char posted_lines_sql[] = LINES_SQL("voucher_line", "voucher_id");
static const char draft_lines_sql[] = LINES_SQL("draft_line", "draft_id");

/* The action a draft carries (0032), with its project's and household's names. */
static const char action_sql[] =
	"SELECT x.action, coalesce(p.code, ''), coalesce(p.name, ''),\n"
	"       coalesce(x.detail->>'tranche', ''), coalesce(x.detail->>'payee', ''),\n"
	"       coalesce(x.household_code, ''), coalesce(h.head_name, ''), coalesce(x.year, 0),\n"
	"       coalesce((x.detail->>'persons')::integer, 0),\n"
	"       coalesce(jsonb_array_length(x.detail->'lines'), 0),\n"
	"       coalesce(CASE x.action\n"
	"                WHEN 'aid pay' THEN (x.detail->>'amount_fen')::bigint\n"
	"                WHEN 'project accept' THEN (x.detail->>'asset_value_fen')::bigint\n"
	"                WHEN 'dividend post' THEN (x.detail->>'households_fen')::bigint\n"
	"                WHEN 'dividend pay' THEN (SELECT dl.amount_fen FROM dividend_line dl\n"
	"                    WHERE dl.village_id = x.village_id AND dl.year = x.year\n"
	"                      AND dl.household_code = x.household_code) END, 0),\n"
	"       coalesce((x.detail->>'distributable_fen')::bigint, 0),\n"
	"       coalesce(x.detail->>'asset_kind', ''), coalesce(x.detail->>'asset_account', ''),\n"
	"       coalesce(x.detail->>'paid_on', x.detail->>'accepted_on', x.detail->>'declared_on', ''),\n"
	"       coalesce(x.detail->>'reason', ''),\n"
	"       coalesce((SELECT string_agg(o.id::text, ',' ORDER BY o.id)\n"
	"                   FROM draft_voucher d\n"
	"                   JOIN draft_voucher o ON o.batch_id = d.batch_id AND o.id <> d.id\n"
	"                   JOIN draft_action oa ON oa.village_id = o.village_id AND oa.draft_id = o.id\n"
	"                  WHERE d.village_id = x.village_id AND d.id = x.draft_id\n"
	"                    AND x.action = 'project accept'), '')\n"
	"  FROM draft_action x\n"
	"  LEFT JOIN project p ON p.village_id = x.village_id AND p.id = x.project_id\n"
	"  LEFT JOIN household h ON h.village_id = x.village_id AND h.code = x.household_code\n"
	" WHERE x.village_id = $1 AND x.draft_id = $2";

static cj_voucher_kind
kind_of(const char *name)
{
	for (int k = CJ_VOUCHER_NORMAL; k <= CJ_VOUCHER_REVERSAL; k++)
		if (!strcmp(name, cj_voucher_kind_name((cj_voucher_kind)k)))
			return (cj_voucher_kind)k;
	return CJ_VOUCHER_NORMAL;
}

static void
actor(cj_actor *a, const PGresult *res, int col)
{
	cj__strlcpy(a->login, PQgetvalue(res, 0, col), sizeof a->login);
	cj__strlcpy(a->name, PQgetvalue(res, 0, col + 1), sizeof a->name);
	cj__strlcpy(a->at, PQgetvalue(res, 0, col + 2), sizeof a->at);
}

static void
read_head(cj_voucher_view *out, const PGresult *res)
{
	cj_voucher_state st = CJ_VSTATE_DRAFT;

	if (cj_voucher_state_parse(PQgetvalue(res, 0, 0), &st))
		st = CJ_VSTATE_DRAFT;
	out->state = st;
	out->village_id = atoi(PQgetvalue(res, 0, 1));
	cj__strlcpy(out->village_code, PQgetvalue(res, 0, 2), sizeof out->village_code);
	cj__strlcpy(out->village_name, PQgetvalue(res, 0, 3), sizeof out->village_name);
	out->id = cj__int64(PQgetvalue(res, 0, 4));
	out->draft_id = cj__int64(PQgetvalue(res, 0, 5));
	out->batch_id = cj__int64(PQgetvalue(res, 0, 6));
	if (cj_period_parse(&out->period, PQgetvalue(res, 0, 7)))
		memset(&out->period, 0, sizeof out->period);
	out->number = atoi(PQgetvalue(res, 0, 8));
	out->date = cj__date_from_db(PQgetvalue(res, 0, 9));
	out->kind = kind_of(PQgetvalue(res, 0, 10));
	cj__strlcpy(out->summary, PQgetvalue(res, 0, 11), sizeof out->summary);
	out->attachments = atoi(PQgetvalue(res, 0, 12));
	cj__strlcpy(out->external_id, PQgetvalue(res, 0, 13), sizeof out->external_id);
	cj__strlcpy(out->negative_cash_reason, PQgetvalue(res, 0, 14),
		    sizeof out->negative_cash_reason);
	actor(&out->prepared, res, 15);
	actor(&out->reviewed, res, 18);
	actor(&out->posted, res, 21);
	actor(&out->rejected, res, 24);
	cj__strlcpy(out->reject_reason, PQgetvalue(res, 0, 27), sizeof out->reject_reason);
	out->reverses_id = cj__int64(PQgetvalue(res, 0, 28));
	cj__strlcpy(out->reverses, PQgetvalue(res, 0, 29), sizeof out->reverses);
	out->reversed_by = cj__int64(PQgetvalue(res, 0, 30));
	cj__strlcpy(out->source_number, PQgetvalue(res, 0, 32), sizeof out->source_number);
	cj__strlcpy(out->source_preparer, PQgetvalue(res, 0, 33), sizeof out->source_preparer);
	cj__strlcpy(out->reversed_by_number, PQgetvalue(res, 0, 31),
		    sizeof out->reversed_by_number);
	/* the action's details are read only for a draft that carries one */
	cj__strlcpy(out->action.action, PQgetvalue(res, 0, 34), sizeof out->action.action);
}

static int
read_lines(cj_db *db, cj_voucher_view *out, const char *sql, int64_t key)
{
	char vid[16], k[CJ_I64_MAX];
	const char *params[2] = {vid, k};
	PGresult *res;
	int err, n;

	snprintf(vid, sizeof vid, "%d", out->village_id);
	cj__i64(k, key);
	if ((err = cj_db_exec_prepared(db, &res, sql, 2, params)))
		return err;
	n = PQntuples(res);
	out->lines = calloc(n ? (size_t)n : 1, sizeof *out->lines);
	if (!out->lines) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	out->nlines = (size_t)n;
	out->total = cj_money_from_fen(0);
	for (int i = 0; i < n; i++) {
		cj_voucher_view_line *l = &out->lines[i];
		l->line_no = atoi(PQgetvalue(res, i, 0));
		cj__strlcpy(l->account, PQgetvalue(res, i, 1), sizeof l->account);
		cj__strlcpy(l->account_name, PQgetvalue(res, i, 2), sizeof l->account_name);
		cj__strlcpy(l->top_code, PQgetvalue(res, i, 3), sizeof l->top_code);
		cj__strlcpy(l->top_name, PQgetvalue(res, i, 4), sizeof l->top_name);
		cj__strlcpy(l->detail_name, PQgetvalue(res, i, 5), sizeof l->detail_name);
		l->debit = cj_money_from_fen(cj__int64(PQgetvalue(res, i, 6)));
		l->credit = cj_money_from_fen(cj__int64(PQgetvalue(res, i, 7)));
		cj__strlcpy(l->summary, PQgetvalue(res, i, 8), sizeof l->summary);
		cj__strlcpy(l->counterparty, PQgetvalue(res, i, 9), sizeof l->counterparty);
		cj__strlcpy(l->fund, PQgetvalue(res, i, 10), sizeof l->fund);
		cj__strlcpy(l->project, PQgetvalue(res, i, 11), sizeof l->project);
		/* a line carries at most 10^13 fen (schema 0010): no overflow */
		out->total.fen += l->debit.fen;
	}
	PQclear(res);
	return 0;
}

/* The action of the voucher's draft, if it carries one. */
static int
read_action(cj_db *db, cj_voucher_view *out)
{
	cj_draft_action_view *a = &out->action;
	char vid[16], did[CJ_I64_MAX];
	const char *params[2] = {vid, did};
	PGresult *res;
	int err;

	if (!out->draft_id || !a->action[0])
		return 0;
	snprintf(vid, sizeof vid, "%d", out->village_id);
	cj__i64(did, out->draft_id);
	if ((err = cj_db_exec_prepared(db, &res, action_sql, 2, params)))
		return err;
	if (PQntuples(res)) {
		cj__strlcpy(a->action, PQgetvalue(res, 0, 0), sizeof a->action);
		cj__strlcpy(a->project, PQgetvalue(res, 0, 1), sizeof a->project);
		cj__strlcpy(a->project_name, PQgetvalue(res, 0, 2), sizeof a->project_name);
		cj__strlcpy(a->tranche, PQgetvalue(res, 0, 3), sizeof a->tranche);
		cj__strlcpy(a->payee, PQgetvalue(res, 0, 4), sizeof a->payee);
		cj__strlcpy(a->household, PQgetvalue(res, 0, 5), sizeof a->household);
		cj__strlcpy(a->household_name, PQgetvalue(res, 0, 6), sizeof a->household_name);
		a->year = atoi(PQgetvalue(res, 0, 7));
		a->persons = atoi(PQgetvalue(res, 0, 8));
		a->households = atoi(PQgetvalue(res, 0, 9));
		a->amount_fen = cj__int64(PQgetvalue(res, 0, 10));
		a->distributable_fen = cj__int64(PQgetvalue(res, 0, 11));
		cj__strlcpy(a->asset_kind, PQgetvalue(res, 0, 12), sizeof a->asset_kind);
		cj__strlcpy(a->asset_account, PQgetvalue(res, 0, 13), sizeof a->asset_account);
		cj__strlcpy(a->date, PQgetvalue(res, 0, 14), sizeof a->date);
		cj__strlcpy(a->reason, PQgetvalue(res, 0, 15), sizeof a->reason);
		cj__strlcpy(a->together, PQgetvalue(res, 0, 16), sizeof a->together);
	}
	PQclear(res);
	return 0;
}

/*
 * The header by sql and params, then its action and its lines.  No row:
 * NOT_FOUND, with no message; the caller says what is missing in a whole
 * sentence (a translation cannot be pieced from English words).
 */
#define NOT_FOUND 1

static int
get(cj_db *db, const char *sql, const char *const *params, int nparams, cj_voucher_view *out)
{
	PGresult *res;
	int err;

	memset(out, 0, sizeof *out);
	if ((err = cj_db_exec_prepared(db, &res, sql, nparams, params)))
		return err;
	if (!PQntuples(res)) {
		PQclear(res);
		return NOT_FOUND;
	}
	read_head(out, res);
	PQclear(res);
	if ((err = read_action(db, out)))
		return err;
	if (out->state == CJ_VSTATE_POSTED)
		return read_lines(db, out, posted_lines_sql, out->id);
	return read_lines(db, out, draft_lines_sql, out->draft_id);
}

int
cj_voucher_get(cj_db *db, int village_id, cj_period period, int number, cj_voucher_view *out)
{
	char vid[16], per[16], num[16];
	const char *params[3] = {vid, per, num};
	int err;

	snprintf(vid, sizeof vid, "%d", village_id);
	cj__period_date(per, sizeof per, period);
	snprintf(num, sizeof num, "%d", number);
	err = get(db, posted_by_number_sql, params, 3, out);
	if (err == NOT_FOUND)
		return cj_db_fail(db, CJ_ENOTFOUND, _("this village has no voucher %04d-%02d-%d"),
				  period.year, period.month, number);
	return err;
}

int
cj_draft_get(cj_db *db, int village_id, int64_t draft_id, cj_voucher_view *out)
{
	char vid[16], did[CJ_I64_MAX];
	const char *params[2] = {vid, did};
	int err;

	snprintf(vid, sizeof vid, "%d", village_id);
	cj__i64(did, draft_id);
	err = get(db, draft_head_sql, params, 2, out);
	if (!err && out->state == CJ_VSTATE_POSTED) { /* the voucher it became */
		cj_voucher_view_free(out);
		err = get(db, posted_by_draft_sql, params, 2, out);
	}
	if (err == NOT_FOUND)
		return cj_db_fail(db, CJ_ENOTFOUND, _("this village has no draft %s"), did);
	return err;
}

void
cj_voucher_view_free(cj_voucher_view *v)
{
	if (!v)
		return;
	free(v->lines);
	v->lines = NULL;
	v->nlines = 0;
}

/* ------------------------------------------------------------------------ */
/* The list */

/*
 * The list's query is built from the filters actually given, one text per
 * shape (which filters are set), so that the planner sees plain index
 * conditions: a village and its months read the (village_id, period, number)
 * key rather than every voucher in scope, as a catch-all "($n IS NULL OR ...)"
 * made it do.  Each shape's text is built once and kept for the process's
 * life (at most 2^12 small strings, in practice a handful): the connection's
 * prepared statements are keyed by the text's address.
 */
enum list_filter {
	LF_ORG, LF_SPAN, LF_ACCT, LF_CP, LF_FUND, LF_PROJ, LF_LO, LF_HI,
	LF_STATE,  /* a draft state: the drafts only, of that state */
	LF_POSTED, /* state posted: the posted vouchers only (no parameter) */
	LF_PREP, LF_BATCH, LF_LIMIT, LF_COUNT
};
#define HAS(shape, f) (((shape) >> (f)) & 1u)

/* Parameter numbers, in this order; LF_SPAN takes two ($d1, $d2). */
typedef struct list_params {
	int org, d1, d2, acct, cp, fund, proj, lo, hi, state, prep, batch, limit, n;
} list_params;

static list_params
number_params(unsigned shape)
{
	list_params p = {0};

	if (HAS(shape, LF_ORG))
		p.org = ++p.n;
	if (HAS(shape, LF_SPAN)) {
		p.d1 = ++p.n;
		p.d2 = ++p.n;
	}
	if (HAS(shape, LF_ACCT))
		p.acct = ++p.n;
	if (HAS(shape, LF_CP))
		p.cp = ++p.n;
	if (HAS(shape, LF_FUND))
		p.fund = ++p.n;
	if (HAS(shape, LF_PROJ))
		p.proj = ++p.n;
	if (HAS(shape, LF_LO))
		p.lo = ++p.n;
	if (HAS(shape, LF_HI))
		p.hi = ++p.n;
	if (HAS(shape, LF_STATE))
		p.state = ++p.n;
	if (HAS(shape, LF_PREP))
		p.prep = ++p.n;
	if (HAS(shape, LF_BATCH))
		p.batch = ++p.n;
	if (HAS(shape, LF_LIMIT))
		p.limit = ++p.n;
	return p;
}

/* The villages of the org (itself, a township's, a county's), or all in scope. */
static void
put_villages(cj_buf *b, const list_params *p)
{
	cj__buf_puts(b, "    JOIN (SELECT o.id, o.code FROM org o");
	if (p->org)
		cj__buf_printf(b, " LEFT JOIN org t ON t.id = o.parent_id\n"
				  "           WHERE o.level = 'village'"
				  " AND $%d::integer IN (o.id, o.parent_id, t.parent_id)", p->org);
	else
		cj__buf_puts(b, " WHERE o.level = 'village'");
	cj__buf_puts(b, ") vil ON vil.id = ");
}

/* One row per voucher: its lines summed, and tested against the line filters. */
static void
put_lines(cj_buf *b, const list_params *p, const char *table, const char *key,
	  const char *owner)
{
	cj__buf_puts(b, "    CROSS JOIN LATERAL (\n"
			"        SELECT sum(l.debit_fen) AS total, count(*) AS n");
	if (p->acct)
		cj__buf_printf(b, ",\n               bool_or(l.account_code LIKE $%d::text || '%%') AS acct",
			       p->acct);
	if (p->cp)
		cj__buf_printf(b, ",\n               bool_or(strpos(l.counterparty, $%d::text) > 0) AS cp",
			       p->cp);
	if (p->fund)
		cj__buf_printf(b, ",\n               bool_or(l.fund_id IN (SELECT f.id FROM fund f"
				  " WHERE f.village_id = l.village_id AND f.code = $%d::text)) AS fund",
			       p->fund);
	if (p->proj)
		cj__buf_printf(b, ",\n               bool_or(l.project_id IN (SELECT j.id FROM project j"
				  " WHERE j.village_id = l.village_id AND j.code = $%d::text)) AS proj",
			       p->proj);
	cj__buf_printf(b, "\n          FROM %s l WHERE l.village_id = %s.village_id"
			  " AND l.%s = %s.id) s\n", table, owner, key, owner);
}

static void
put_line_filters(cj_buf *b, const list_params *p)
{
	if (p->acct)
		cj__buf_puts(b, "     AND s.acct\n");
	if (p->cp)
		cj__buf_puts(b, "     AND s.cp\n");
	if (p->fund)
		cj__buf_puts(b, "     AND s.fund\n");
	if (p->proj)
		cj__buf_puts(b, "     AND s.proj\n");
	if (p->lo)
		cj__buf_printf(b, "     AND abs(s.total) >= $%d::bigint\n", p->lo);
	if (p->hi)
		cj__buf_printf(b, "     AND abs(s.total) <= $%d::bigint\n", p->hi);
}

static char *
build_list_sql(unsigned shape)
{
	list_params p = number_params(shape);
	cj_buf b = CJ_BUF_INIT;
	int posted = !HAS(shape, LF_STATE), drafts = !HAS(shape, LF_POSTED);

	cj__buf_puts(&b, "SELECT state, code, id, draft_id, batch_id, per, number, voucher_date, kind,\n"
			 "       summary, total, n, prepared_by, reviewed_by, posted_by,\n"
			 "       action, action_project, action_tranche, action_household, action_year\n"
			 "  FROM (\n");
	if (posted) {
		cj__buf_puts(&b,
			"  SELECT 0 AS part, 'posted' AS state, vil.code, v.id, coalesce(v.draft_id, 0) AS draft_id,\n"
			"         coalesce(d.batch_id, 0) AS batch_id, to_char(v.period, 'YYYY-MM') AS per, v.number,\n"
			"         v.voucher_date, v.kind, v.summary, coalesce(s.total, 0) AS total, s.n,\n"
			"         coalesce(v.prepared_by::text, v.preparer) AS prepared_by,\n"
			"         coalesce(v.reviewed_by::text, '') AS reviewed_by, v.posted_by::text AS posted_by,\n"
			"         '' AS action, '' AS action_project, '' AS action_tranche,\n"
			"         '' AS action_household, 0 AS action_year\n"
			"    FROM voucher v\n");
		put_villages(&b, &p);
		cj__buf_puts(&b, "v.village_id\n"
				 "    LEFT JOIN draft_voucher d ON d.village_id = v.village_id AND d.id = v.draft_id\n");
		put_lines(&b, &p, "voucher_line", "voucher_id", "v");
		cj__buf_puts(&b, "   WHERE true\n");
		if (p.d1)
			cj__buf_printf(&b, "     AND v.period >= $%d::date AND v.period <= $%d::date\n",
				       p.d1, p.d2);
		if (p.prep)
			cj__buf_printf(&b, "     AND v.prepared_by::text = $%d::text\n", p.prep);
		if (p.batch)
			cj__buf_printf(&b, "     AND d.batch_id = $%d::bigint\n", p.batch);
		put_line_filters(&b, &p);
	}
	if (posted && drafts)
		cj__buf_puts(&b, "  UNION ALL\n");
	if (drafts) {
		cj__buf_puts(&b,
			"  SELECT 1 AS part, d.state, vil.code, 0 AS id, d.id AS draft_id, d.batch_id,\n"
			"         to_char(d.voucher_date, 'YYYY-MM') AS per, 0 AS number, d.voucher_date, d.kind,\n"
			"         d.summary, coalesce(s.total, 0) AS total, s.n, d.prepared_by::text AS prepared_by,\n"
			"         coalesce(d.reviewed_by::text, '') AS reviewed_by, '' AS posted_by,\n"
			"         coalesce(x.action, '') AS action, coalesce(j.code, '') AS action_project,\n"
			"         coalesce(x.detail->>'tranche', '') AS action_tranche,\n"
			"         coalesce(x.household_code, '') AS action_household,\n"
			"         coalesce(x.year, 0) AS action_year\n"
			"    FROM draft_voucher d\n");
		put_villages(&b, &p);
		cj__buf_puts(&b, "d.village_id\n"
				 "    LEFT JOIN draft_action x ON x.village_id = d.village_id AND x.draft_id = d.id\n"
				 "    LEFT JOIN project j ON j.village_id = x.village_id AND j.id = x.project_id\n");
		put_lines(&b, &p, "draft_line", "draft_id", "d");
		cj__buf_puts(&b, "   WHERE d.state <> 'posted'\n");
		if (p.state)
			cj__buf_printf(&b, "     AND d.state = $%d::text\n", p.state);
		if (p.d1)
			cj__buf_printf(&b, "     AND d.voucher_date >= $%d::date"
					   " AND d.voucher_date < $%d::date + interval '1 month'\n",
				       p.d1, p.d2);
		if (p.prep)
			cj__buf_printf(&b, "     AND d.prepared_by::text = $%d::text\n", p.prep);
		if (p.batch)
			cj__buf_printf(&b, "     AND d.batch_id = $%d::bigint\n", p.batch);
		put_line_filters(&b, &p);
	}
	cj__buf_puts(&b, ") r\n ORDER BY part, code, per, number, voucher_date, draft_id");
	if (p.limit)
		cj__buf_printf(&b, " LIMIT $%d::bigint", p.limit);
	if (!cj__buf_ok(&b)) {
		cj__buf_free(&b);
		return NULL;
	}
	return b.data;
}

/* The shape's text, built on first use; NULL when out of memory.  Threads
 * race benignly: the loser frees its copy. */
static const char *
list_sql(unsigned shape)
{
	static _Atomic(char *) texts[1u << LF_COUNT];
	char *have = atomic_load(&texts[shape]), *mine;

	if (have)
		return have;
	if (!(mine = build_list_sql(shape)))
		return NULL;
	if (!atomic_compare_exchange_strong(&texts[shape], &have, mine)) {
		free(mine);
		return have;
	}
	return mine;
}

int
cj_voucher_list(cj_db *db, const cj_voucher_filter *f, cj_voucher_row **rows, size_t *n)
{
	char org[16], d1[16], d2[16], lo[CJ_I64_MAX], hi[CJ_I64_MAX], batch[CJ_I64_MAX],
		limit[CJ_I64_MAX];
	const char *params[LF_COUNT + 1];
	const char *sql;
	unsigned shape = 0;
	int np = 0;
	PGresult *res;
	cj_voucher_row *out;
	int err, nr;

	*rows = NULL;
	*n = 0;
	/* the parameters in number_params' order, the shape's bits as they come */
	if (f->org_id) {
		snprintf(org, sizeof org, "%d", f->org_id);
		params[np++] = org;
		shape |= 1u << LF_ORG;
	}
	if (f->has_span) {
		cj__period_date(d1, sizeof d1, f->span.from);
		cj__period_date(d2, sizeof d2, f->span.to);
		params[np++] = d1;
		params[np++] = d2;
		shape |= 1u << LF_SPAN;
	}
	if (f->account) {
		params[np++] = f->account;
		shape |= 1u << LF_ACCT;
	}
	if (f->counterparty) {
		params[np++] = f->counterparty;
		shape |= 1u << LF_CP;
	}
	if (f->fund) {
		params[np++] = f->fund;
		shape |= 1u << LF_FUND;
	}
	if (f->project) {
		params[np++] = f->project;
		shape |= 1u << LF_PROJ;
	}
	if (f->has_min) {
		params[np++] = cj__i64(lo, f->min_fen);
		shape |= 1u << LF_LO;
	}
	if (f->has_max) {
		params[np++] = cj__i64(hi, f->max_fen);
		shape |= 1u << LF_HI;
	}
	if (f->has_state && f->state == CJ_VSTATE_POSTED) {
		shape |= 1u << LF_POSTED;
	} else if (f->has_state) {
		params[np++] = cj_voucher_state_name(f->state);
		shape |= 1u << LF_STATE;
	}
	if (f->preparer) {
		params[np++] = f->preparer;
		shape |= 1u << LF_PREP;
	}
	if (f->batch_id) {
		params[np++] = cj__i64(batch, f->batch_id);
		shape |= 1u << LF_BATCH;
	}
	if (f->limit) {
		params[np++] = cj__i64(limit, (int64_t)f->limit);
		shape |= 1u << LF_LIMIT;
	}
	if (!(sql = list_sql(shape)))
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	if ((err = cj_db_exec_prepared(db, &res, sql, np, params)))
		return err;
	nr = PQntuples(res);
	out = calloc(nr ? (size_t)nr : 1, sizeof *out);
	if (!out) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	for (int i = 0; i < nr; i++) {
		cj_voucher_row *r = &out[i];
		if (cj_voucher_state_parse(PQgetvalue(res, i, 0), &r->state))
			r->state = CJ_VSTATE_DRAFT;
		cj__strlcpy(r->village_code, PQgetvalue(res, i, 1), sizeof r->village_code);
		r->id = cj__int64(PQgetvalue(res, i, 2));
		r->draft_id = cj__int64(PQgetvalue(res, i, 3));
		r->batch_id = cj__int64(PQgetvalue(res, i, 4));
		if (cj_period_parse(&r->period, PQgetvalue(res, i, 5)))
			memset(&r->period, 0, sizeof r->period);
		r->number = atoi(PQgetvalue(res, i, 6));
		r->date = cj__date_from_db(PQgetvalue(res, i, 7));
		r->kind = kind_of(PQgetvalue(res, i, 8));
		cj__strlcpy(r->summary, PQgetvalue(res, i, 9), sizeof r->summary);
		r->total = cj_money_from_fen(cj__int64(PQgetvalue(res, i, 10)));
		r->nlines = atoi(PQgetvalue(res, i, 11));
		cj__strlcpy(r->prepared_by, PQgetvalue(res, i, 12), sizeof r->prepared_by);
		cj__strlcpy(r->reviewed_by, PQgetvalue(res, i, 13), sizeof r->reviewed_by);
		cj__strlcpy(r->posted_by, PQgetvalue(res, i, 14), sizeof r->posted_by);
		cj__strlcpy(r->action, PQgetvalue(res, i, 15), sizeof r->action);
		cj__strlcpy(r->action_project, PQgetvalue(res, i, 16), sizeof r->action_project);
		cj__strlcpy(r->action_tranche, PQgetvalue(res, i, 17), sizeof r->action_tranche);
		cj__strlcpy(r->action_household, PQgetvalue(res, i, 18), sizeof r->action_household);
		r->action_year = atoi(PQgetvalue(res, i, 19));
	}
	PQclear(res);
	*rows = out;
	*n = (size_t)nr;
	return 0;
}
