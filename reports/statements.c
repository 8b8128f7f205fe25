/*
 * statements.c - 资产负债表, 收益及收益分配表, 科目余额表, 收支明细表 and
 * 明细账 of a village as report models
 *
 * Figures come from account_period_total (balances: one row per account and
 * month, kept by the posting trigger) and from the voucher lines where the
 * year-end closing vouchers must be left out (what was earned and spent in
 * the months).  Every account's own figures are loaded once per column;
 * an account code in a layout formula sums the accounts under it.  All
 * arithmetic is int64 fen, checked for overflow.  The trial balance and the
 * detail ledger reuse cj_tb_build and cj_ledger_build.
 *
 * The two statements with official formats are laid out by layout files
 * (layout.c); the figures that must agree (layout `check` lines, the trial
 * balance's debits and credits) are checked here and a mismatch is
 * returned as CJ_EUNBALANCED with the statement still built and noted.
 *
 * SPDX-License-Identifier: MIT
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ledger/account.h>
#include <ledger/books.h>
#include <ledger/org.h>
#include <ledger/sql.h>
#include <reports/statements.h>
#include <ledger/i18n.h>

#include "statements_internal.h"

#define MONEY_W 16

static int
days_in(cj_period p)
{
	return cj_days_in_month(p.year, p.month);
}

/* ---- the books, per account ---- */

typedef struct acct {
	char code[16];
	char name[200];
	int level;
	cj_category category;
	int64_t open, close;   /* balances, debit positive: before the months, after them */
	int64_t debit, credit; /* posted in the months, without opening and closing vouchers */
} acct;

typedef struct figs {
	acct *a;
	size_t n;
	char with[16]; /* "" or only vouchers that also post to this code */
} figs;

/*
 * $1 villages (int[]), $2 first month, $3 last month, $4 "" or an account
 * code: every account of each village with its own balances and postings,
 * by village then code.  Opening vouchers inside the months count as
 * opening balance, as in the trial balance (books.c).
 */
static const char figs_sql[] =
	"WITH t AS (\n"
	"    SELECT village_id, account_code,\n"
	"           sum(CASE WHEN period < $2 THEN debit_fen - credit_fen\n"
	"                    ELSE opening_debit_fen - opening_credit_fen END) AS open,\n"
	"           sum(debit_fen - credit_fen) AS close\n"
	"      FROM account_period_total\n"
	"     WHERE village_id = ANY($1::int[]) AND period <= $3\n"
	"     GROUP BY village_id, account_code),\n"
	"f AS (\n"
	"    SELECT l.village_id, l.account_code, sum(l.debit_fen) AS debit,\n"
	"           sum(l.credit_fen) AS credit\n"
	"      FROM voucher_line l\n"
	"      JOIN voucher v ON v.village_id = l.village_id AND v.id = l.voucher_id\n"
	"     WHERE l.village_id = ANY($1::int[]) AND l.period BETWEEN $2 AND $3\n"
	"       AND v.kind NOT IN ('opening', 'closing')\n"
	"       AND ($4 = '' OR (l.village_id, l.voucher_id) IN (\n"
	"             SELECT o.village_id, o.voucher_id FROM voucher_line o\n"
	"              WHERE o.village_id = ANY($1::int[]) AND o.period BETWEEN $2 AND $3\n"
	"                AND left(o.account_code, length($4)) = $4))\n"
	"     GROUP BY l.village_id, l.account_code)\n"
	"SELECT a.village_id, a.code, a.name, a.category,\n"
	"       (SELECT count(*) FROM account p WHERE p.village_id = a.village_id\n"
	"           AND a.code LIKE p.code || '%') AS level,\n"
	"       coalesce(t.open, 0), coalesce(t.close, 0),\n"
	"       coalesce(f.debit, 0), coalesce(f.credit, 0)\n"
	"  FROM account a\n"
	"  LEFT JOIN t ON t.village_id = a.village_id AND t.account_code = a.code\n"
	"  LEFT JOIN f ON f.village_id = a.village_id AND f.account_code = a.code\n"
	" WHERE a.village_id = ANY($1::int[])\n"
	" ORDER BY a.village_id, a.code";

/*
 * The same rows without an account code ($4), from the kept totals: the
 * postings of the months are account_period_total's less its opening part
 * (the lines of opening vouchers, which the line trigger keeps apart) and
 * less the lines of the months' closing vouchers (a few a year, found by
 * the voucher's kind), so that no month's lines are read but those.
 */
static const char postings_sql[] =
	"WITH t AS (\n"
	"    SELECT village_id, account_code,\n"
	"           sum(CASE WHEN period < $2 THEN debit_fen - credit_fen\n"
	"                    ELSE opening_debit_fen - opening_credit_fen END) AS open,\n"
	"           sum(debit_fen - credit_fen) AS close,\n"
	"           sum(debit_fen - opening_debit_fen) FILTER (WHERE period >= $2) AS debit,\n"
	"           sum(credit_fen - opening_credit_fen) FILTER (WHERE period >= $2) AS credit\n"
	"      FROM account_period_total\n"
	"     WHERE village_id = ANY($1::int[]) AND period <= $3\n"
	"     GROUP BY village_id, account_code),\n"
	"c AS (\n"
	"    SELECT l.village_id, l.account_code, sum(l.debit_fen) AS debit,\n"
	"           sum(l.credit_fen) AS credit\n"
	"      FROM voucher v\n"
	"      JOIN voucher_line l ON l.village_id = v.village_id AND l.voucher_id = v.id\n"
	"     WHERE v.village_id = ANY($1::int[]) AND v.kind = 'closing'\n"
	"       AND l.period BETWEEN $2 AND $3\n"
	"     GROUP BY l.village_id, l.account_code)\n"
	"SELECT a.village_id, a.code, a.name, a.category,\n"
	"       (SELECT count(*) FROM account p WHERE p.village_id = a.village_id\n"
	"           AND a.code LIKE p.code || '%') AS level,\n"
	"       coalesce(t.open, 0), coalesce(t.close, 0),\n"
	"       coalesce(t.debit, 0) - coalesce(c.debit, 0), coalesce(t.credit, 0) - coalesce(c.credit, 0)\n"
	"  FROM account a\n"
	"  LEFT JOIN t ON t.village_id = a.village_id AND t.account_code = a.code\n"
	"  LEFT JOIN c ON c.village_id = a.village_id AND c.account_code = a.code\n"
	" WHERE a.village_id = ANY($1::int[])\n"
	" ORDER BY a.village_id, a.code";

/*
 * The same rows for a balance sheet, which reads balances only (its layout
 * may not ask for postings: layout.c refuses debit, credit and flow there):
 * from the kept totals alone, the years before $2's year from
 * account_year_total and its months from account_period_total, as the trial
 * balance reads them (books.c), never the lines.  Postings are 0.
 */
static const char balances_sql[] =
	"WITH t AS (\n"
	"    SELECT village_id, account_code, sum(open) AS open, sum(close) AS close\n"
	"      FROM (SELECT village_id, account_code, debit_fen - credit_fen AS open,\n"
	"                   debit_fen - credit_fen AS close\n"
	"              FROM account_year_total\n"
	"             WHERE village_id = ANY($1::int[])\n"
	"               AND year < extract(year FROM $2::date)::integer\n"
	"            UNION ALL\n"
	"            SELECT village_id, account_code,\n"
	"                   CASE WHEN period < $2 THEN debit_fen - credit_fen\n"
	"                        ELSE opening_debit_fen - opening_credit_fen END,\n"
	"                   debit_fen - credit_fen\n"
	"              FROM account_period_total\n"
	"             WHERE village_id = ANY($1::int[]) AND period <= $3\n"
	"               AND period >= date_trunc('year', $2::date)::date) x\n"
	"     GROUP BY village_id, account_code)\n"
	"SELECT a.village_id, a.code, a.name, a.category,\n"
	"       (SELECT count(*) FROM account p WHERE p.village_id = a.village_id\n"
	"           AND a.code LIKE p.code || '%') AS level,\n"
	"       coalesce(t.open, 0), coalesce(t.close, 0), 0, 0\n"
	"  FROM account a\n"
	"  LEFT JOIN t ON t.village_id = a.village_id AND t.account_code = a.code\n"
	" WHERE a.village_id = ANY($1::int[])\n"
	" ORDER BY a.village_id, a.code";

static void
period_date(char buf[16], cj_period p)
{
	snprintf(buf, 16, "%04d-%02d-01", p.year, p.month);
}

/*
 * The figures of nv villages in one query (a township's summary reads its
 * villages at once): out[i] for ids[i].  balances: a balance sheet's, read
 * from the kept totals only, without postings (balances_sql).
 */
static int
load_figs_many(cj_db *db, const int *ids, size_t nv, cj_period from, cj_period to, const char *with,
	       int balances, figs *out)
{
	char f[16], t[16], *idlist;
	const char *params[4] = {NULL, f, t, with ? with : ""};
	PGresult *res;
	size_t len = 0;
	int err, n;

	memset(out, 0, nv * sizeof *out);
	if (!(idlist = malloc(nv * 12 + 3)))
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	idlist[len++] = '{';
	for (size_t i = 0; i < nv; i++)
		len += (size_t)sprintf(idlist + len, "%s%d", i ? "," : "", ids[i]);
	snprintf(idlist + len, 2, "}");
	params[0] = idlist;
	period_date(f, from);
	period_date(t, to);
	err = balances       ? cj_db_exec(db, &res, balances_sql, 3, params)
	      : *params[3] ? cj_db_exec(db, &res, figs_sql, 4, params)
			   : cj_db_exec(db, &res, postings_sql, 3, params);
	free(idlist);
	if (err)
		return err;
	n = PQntuples(res);
	/* count each village's rows first (out[v].n), then fill */
	for (int i = 0; i < n; i++)
		for (size_t v = 0; v < nv; v++)
			if (ids[v] == atoi(PQgetvalue(res, i, 0)))
				out[v].n++;
	for (size_t v = 0; v < nv; v++) {
		snprintf(out[v].with, sizeof out[v].with, "%s", with ? with : "");
		out[v].a = calloc(out[v].n ? out[v].n : 1, sizeof *out[v].a);
		out[v].n = 0;
		if (!out[v].a) {
			for (size_t k = 0; k < v; k++)
				free(out[k].a);
			PQclear(res);
			return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		}
	}
	for (int i = 0; i < n; i++) {
		int vid = atoi(PQgetvalue(res, i, 0));
		figs *fg = NULL;
		acct *a;

		for (size_t v = 0; v < nv && !fg; v++)
			if (ids[v] == vid)
				fg = &out[v];
		if (!fg)
			continue;
		a = &fg->a[fg->n++];
		snprintf(a->code, sizeof a->code, "%s", PQgetvalue(res, i, 1));
		snprintf(a->name, sizeof a->name, "%s", PQgetvalue(res, i, 2));
		a->category = (cj_category)cj_category_parse(PQgetvalue(res, i, 3));
		a->level = atoi(PQgetvalue(res, i, 4));
		a->open = strtoll(PQgetvalue(res, i, 5), NULL, 10);
		a->close = strtoll(PQgetvalue(res, i, 6), NULL, 10);
		a->debit = strtoll(PQgetvalue(res, i, 7), NULL, 10);
		a->credit = strtoll(PQgetvalue(res, i, 8), NULL, 10);
	}
	PQclear(res);
	return 0;
}

static int
load_figs(cj_db *db, int village_id, cj_period from, cj_period to, const char *with, figs *out)
{
	return load_figs_many(db, &village_id, 1, from, to, with, 0, out);
}

static void
figs_free(figs *f)
{
	free(f->a);
	f->a = NULL;
	f->n = 0;
}

static int
has_prefix(const char *code, const char *prefix)
{
	return !strncmp(code, prefix, strlen(prefix));
}

/*
 * A layout text with {年初} and {年末} written for the statement's span: as
 * is for a year; 期初 and 期末 for a month or a quarter, whose columns start
 * at the start of their own months (the 本期数 of 2025Q4 starts in October,
 * not at 年初).
 */
static const char *
span_text(char *buf, size_t size, const char *text, cj_span span)
{
	static const char *const words[2][3] = {{"{年初}", "年初", "期初"},
						{"{年末}", "年末", "期末"}};
	int year = span.kind == CJ_SPAN_YEAR;
	size_t len = 0;

	buf[0] = '\0';
	while (*text && len + 1 < size) {
		int k = !strncmp(text, words[0][0], strlen(words[0][0])) ? 0
			: !strncmp(text, words[1][0], strlen(words[1][0])) ? 1 : -1;

		if (k < 0) {
			buf[len++] = *text++;
			buf[len] = '\0';
			continue;
		}
		len += (size_t)snprintf(buf + len, size - len, "%s", words[k][year ? 1 : 2]);
		if (len >= size)
			len = size - 1;
		text += strlen(words[k][0]);
	}
	return buf;
}

/* ---- columns ---- */

typedef struct column {
	char label[32];
	cj_period from, to;
	int at_open;  /* balance sheet: the balance before the months (年初数) */
	figs base;
	figs *with;   /* one per distinct @CODE of the layout */
	size_t nwith;
} column;

static void
column_free(column *c)
{
	figs_free(&c->base);
	for (size_t i = 0; i < c->nwith; i++)
		figs_free(&c->with[i]);
	free(c->with);
	c->with = NULL;
	c->nwith = 0;
}

/*
 * The two columns of a statement.  Balance sheet: 年初数 (the balance before
 * January) and 期末数 (after the last month; 年末数 for a year).  Income:
 * 本期数 and 本年累计数 (January to the last month); for a year 本年数 and
 * 上年数.
 */
static void
columns_for(int income, cj_span span, column c[2])
{
	cj_period jan = {span.to.year, 1};

	memset(c, 0, 2 * sizeof *c);
	if (!income) {
		snprintf(c[0].label, sizeof c[0].label, "年初数");
		c[0].from = jan;
		c[0].to = span.to;
		c[0].at_open = 1;
		snprintf(c[1].label, sizeof c[1].label, "%s",
			 span.kind == CJ_SPAN_YEAR ? "年末数" : "期末数");
		c[1].from = jan;
		c[1].to = span.to;
	} else if (span.kind == CJ_SPAN_YEAR) {
		snprintf(c[0].label, sizeof c[0].label, "本年数");
		c[0].from = span.from;
		c[0].to = span.to;
		snprintf(c[1].label, sizeof c[1].label, "上年数");
		c[1].from = (cj_period){span.from.year - 1, 1};
		c[1].to = (cj_period){span.from.year - 1, 12};
	} else {
		snprintf(c[0].label, sizeof c[0].label, "本期数");
		c[0].from = span.from;
		c[0].to = span.to;
		snprintf(c[1].label, sizeof c[1].label, "本年累计数");
		c[1].from = jan;
		c[1].to = span.to;
	}
}

/* ---- the village ---- */

typedef struct village {
	cj_org org;
	char chart[16];
} village_info;

static int
find_village(cj_db *db, const char *code, village_info *v)
{
	char id[16];
	const char *params[1] = {id};
	PGresult *res;
	int err;

	memset(v, 0, sizeof *v);
	err = cj_village_find(db, code, &v->org);
	if (err)
		return err;
	snprintf(id, sizeof id, "%d", v->org.id);
	err = cj_db_exec(db, &res, "SELECT chart FROM village_books WHERE village_id = $1", 1, params);
	if (err)
		return err;
	snprintf(v->chart, sizeof v->chart, "%s", PQntuples(res) ? PQgetvalue(res, 0, 0) : "2023");
	PQclear(res);
	return 0;
}

static cj_report *
new_report(const char *title, const char *code)
{
	cj_report *r = cj_report_new(title);

	if (r && code && *code && cj_report_subtitle(r, "%s", code)) {
		cj_report_free(r);
		return NULL;
	}
	return r;
}

/* "编制单位：周口村    2025年12月31日    单位：元" */
static int
unit_line(cj_report *r, const village_info *v, const char *when)
{
	return cj_report_subtitle(r, "编制单位：%s    %s    单位：元", v->org.name, when);
}

static int
sign_lines(cj_report *r)
{
	return cj_report_signature(r, "单位负责人：") || cj_report_signature(r, "会计主管：") ||
	       cj_report_signature(r, "制表人：");
}

static int
oom(cj_db *db)
{
	return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
}

/* The balance sheet, the income statement and 收支明细表 cover one year's months. */
static int
one_year(cj_db *db, const char *what, cj_span span)
{
	char label[CJ_SPAN_TEXT_MAX];

	if (cj_span_one_year(span))
		return 0;
	return cj_db_fail(db, CJ_EINVAL, _("%s covers months of one year, not %s"), what,
			  cj_span_label(label, sizeof label, span));
}

static const char *
fmt_money(char buf[CJ_NUM_MAX], int64_t fen)
{
	return cj_format_number(buf, CJ_NUM_MAX, CJ_COL_MONEY, fen);
}

/* ---- statements from a layout ---- */

typedef struct evalctx {
	const layout *lay;
	const column *col;
	int64_t *vals;  /* by layout line index */
	int overflow;
} evalctx;

static int64_t
add(evalctx *e, int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r)) {
		e->overflow = 1;
		return 0;
	}
	return r;
}

static int64_t
neg(evalctx *e, int64_t a)
{
	if (a == INT64_MIN) {
		e->overflow = 1;
		return 0;
	}
	return -a;
}

/* One account term, debit positive. */
static int64_t
measure(evalctx *e, const lay_term *t)
{
	const figs *f = &e->col->base;
	int64_t sum = 0;

	if (t->with[0])
		for (size_t i = 0; i < e->col->nwith; i++)
			if (!strcmp(e->col->with[i].with, t->with))
				f = &e->col->with[i];
	for (size_t i = 0; i < f->n; i++) {
		const acct *a = &f->a[i];
		int64_t point = e->lay->kind == LAY_BALANCE && e->col->at_open ? a->open : a->close, v = 0;

		if (!has_prefix(a->code, t->code))
			continue;
		switch (t->m) {
		case M_DEFAULT:
			v = e->lay->kind == LAY_BALANCE ? point : add(e, a->debit, neg(e, a->credit));
			break;
		case M_BAL:
			v = a->close;
			break;
		case M_OPEN:
			v = a->open;
			break;
		case M_DR:
			v = point > 0 ? point : 0;
			break;
		case M_CR:
			v = point < 0 ? point : 0;
			break;
		case M_DEBIT:
			v = a->debit;
			break;
		case M_CREDIT:
			v = neg(e, a->credit);
			break;
		case M_FLOW:
			v = add(e, a->debit, neg(e, a->credit));
			break;
		}
		sum = add(e, sum, v);
	}
	return sum;
}

static size_t
line_index(const layout *l, int no)
{
	for (size_t i = 0; i < l->nlines; i++)
		if (l->lines[i].no == no)
			return i;
	return (size_t)-1;
}

/* sum of sign x line values + side x sum of sign x account terms */
static int64_t
formula(evalctx *e, const lay_term *t, size_t n, int side)
{
	int64_t lines = 0, accounts = 0;

	for (size_t i = 0; i < n; i++) {
		int64_t v = t[i].line ? e->vals[line_index(e->lay, t[i].line)] : measure(e, &t[i]);

		if (t[i].sign < 0)
			v = neg(e, v);
		if (t[i].line)
			lines = add(e, lines, v);
		else
			accounts = add(e, accounts, v);
	}
	return add(e, lines, side < 0 ? neg(e, accounts) : accounts);
}

/* Accounts with a balance that no account term of the layout reaches. */
static void
uncovered(const layout *l, const column *c, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < c->base.n; i++) {
		const acct *a = &c->base.a[i];
		int64_t bal = c->at_open ? a->open : a->close;
		int used = 0;

		if (!bal || a->level != 1)
			continue;
		for (size_t k = 0; k < l->nlines && !used; k++)
			for (size_t j = 0; j < l->lines[k].nterms && !used; j++)
				used = !l->lines[k].terms[j].line && has_prefix(a->code, l->lines[k].terms[j].code);
		if (!used && len + 40 < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s %s", len ? ", " : "", a->code,
						a->name);
	}
}

/* A layout ready to evaluate: the file, and the distinct @CODEs it uses. */
typedef struct lay_run {
	layout lay;
	char withs[16][16];
	size_t nwith;
	int income;
} lay_run;

static int
lay_open(cj_db *db, const char *which, const char *chart, cj_span span, lay_run *lr)
{
	char name[64], err[1024];
	int status;

	memset(lr, 0, sizeof *lr);
	snprintf(name, sizeof name, "%s_%s.layout", which, chart);
	if (cj__layout_load(name, &lr->lay, err, sizeof err))
		return cj_db_fail(db, CJ_EINVAL, "%s", err);
	if ((status = one_year(db, lr->lay.title, span))) {
		cj__layout_free(&lr->lay);
		return status;
	}
	lr->income = lr->lay.kind == LAY_INCOME;
	/* the distinct @CODEs: each needs its own postings per column */
	for (size_t i = 0; i < lr->lay.nlines; i++)
		for (size_t k = 0; k < lr->lay.lines[i].nterms; k++) {
			const char *w = lr->lay.lines[i].terms[k].with;
			size_t j;

			for (j = 0; j < lr->nwith && strcmp(lr->withs[j], w); j++)
				;
			if (!*w || j < lr->nwith)
				continue;
			if (lr->nwith == sizeof lr->withs / sizeof lr->withs[0]) {
				status = cj_db_fail(db, CJ_EINVAL, _("layout %s: more than %zu different @CODEs"),
						    lr->lay.origin, sizeof lr->withs / sizeof lr->withs[0]);
				cj__layout_free(&lr->lay);
				return status;
			}
			snprintf(lr->withs[lr->nwith++], sizeof lr->withs[0], "%s", w);
		}
	return 0;
}

/* A copy of src's figures, as those of the @CODE with ("": none). */
static int
figs_dup(cj_db *db, const figs *src, const char *with, figs *dst)
{
	*dst = *src;
	snprintf(dst->with, sizeof dst->with, "%s", with);
	if (!(dst->a = malloc((src->n ? src->n : 1) * sizeof *src->a))) {
		dst->n = 0;
		return oom(db);
	}
	memcpy(dst->a, src->a, src->n * sizeof *src->a);
	return 0;
}

/* The two columns of nv villages, read in one query per column (a balance
 * sheet: one query for both): cols[2 * v + c]. */
static int
lay_load(cj_db *db, const lay_run *lr, cj_span span, const int *ids, size_t nv, column *cols)
{
	column proto[2];
	figs *tmp = calloc(nv, sizeof *tmp);
	int status = 0;

	columns_for(lr->income, span, proto);
	for (size_t i = 0; i < 2 * nv; i++) {
		cols[i] = proto[i % 2];
		if (lr->nwith && !(cols[i].with = calloc(lr->nwith, sizeof *cols[i].with)))
			status = oom(db);
		else
			cols[i].nwith = lr->nwith;
	}
	if (!tmp && !status)
		status = oom(db);
	for (size_t c = 0; c < 2 && !status; c++) {
		/* a balance sheet reads balances only, the same for both columns (at_open
		 * picks 年初数 or 期末数) and for every @CODE (which only narrows
		 * postings): one query, copied */
		if (lr->income || c == 0) {
			status = load_figs_many(db, ids, nv, proto[c].from, proto[c].to, NULL, !lr->income, tmp);
			for (size_t v = 0; v < nv && !status; v++)
				cols[2 * v + c].base = tmp[v];
		}
		for (size_t v = 0; v < nv && !status && !lr->income && c == 1; v++)
			status = figs_dup(db, &cols[2 * v].base, "", &cols[2 * v + 1].base);
		for (size_t j = 0; j < lr->nwith && !status; j++) {
			if (!lr->income) {
				for (size_t v = 0; v < nv && !status; v++)
					status = figs_dup(db, &cols[2 * v + c].base, lr->withs[j],
							  &cols[2 * v + c].with[j]);
				continue;
			}
			status = load_figs_many(db, ids, nv, proto[c].from, proto[c].to, lr->withs[j], 0, tmp);
			for (size_t v = 0; v < nv && !status; v++)
				cols[2 * v + c].with[j] = tmp[v];
		}
	}
	free(tmp);
	return status;
}

/* Every code of the layout must lie under a first-level account of the chart. */
static int
lay_codes(cj_db *db, const lay_run *lr, const column *col, const char *chart)
{
	for (size_t i = 0; i < lr->lay.nlines; i++)
		for (size_t k = 0; k < lr->lay.lines[i].nterms; k++) {
			const lay_term *tm = &lr->lay.lines[i].terms[k];
			char first[4];
			int found = 0;

			if (tm->line)
				continue;
			snprintf(first, sizeof first, "%.3s", tm->code);
			for (size_t a = 0; a < col->base.n && !found; a++)
				found = !strcmp(col->base.a[a].code, first);
			if (!found)
				return cj_db_fail(db, CJ_EINVAL,
						  _("layout %s, line %d: account %s is not in the %s chart"),
						  lr->lay.origin, lr->lay.lines[i].lineno, tm->code, chart);
		}
	return 0;
}

/*
 * Every line of both columns into vals (vals[c * nlines + i]), and the
 * layout's checks: what disagrees is appended to problems and sets
 * *unbalanced.  Fails only on overflow.
 */
static int
lay_eval(cj_db *db, const lay_run *lr, cj_span span, const column cols[2], int64_t *vals,
	 char *problems, size_t psize, int *unbalanced)
{
	char text[512], buf[CJ_NUM_MAX], buf2[CJ_NUM_MAX];
	const layout *lay = &lr->lay;

	for (int c = 0; c < 2; c++) {
		evalctx e = {lay, &cols[c], vals + (size_t)c * lay->nlines, 0};

		for (size_t i = 0; i < lay->nlines; i++)
			if (lay->lines[i].kind != CJ_ROW_HEADING)
				e.vals[i] = formula(&e, lay->lines[i].terms, lay->lines[i].nterms,
						    lay->lines[i].side);
		for (size_t k = 0; k < lay->nchecks; k++) {
			const lay_check *ck = &lay->checks[k];
			int64_t left = formula(&e, ck->left, ck->nleft, ck->side);
			int64_t right = formula(&e, ck->right, ck->nright, ck->side);
			size_t len = strlen(problems);

			if (left == right && !e.overflow)
				continue;
			*unbalanced = 1;
			snprintf(problems + len, psize - len, _("%s%s: %s (%s vs %s)"), len ? "; " : "",
				 cols[c].label, span_text(text, sizeof text, ck->message, span),
				 fmt_money(buf, left), fmt_money(buf2, right));
			if (!lr->income) {
				char list[512];

				uncovered(lay, &cols[c], list, sizeof list);
				len = strlen(problems);
				if (*list)
					snprintf(problems + len, psize - len,
						 _("; accounts with a balance that no line shows: %s"), list);
			}
		}
		if (e.overflow)
			return cj_db_fail(db, CJ_EOVERFLOW, _("%s: a figure is too large"), lay->title);
	}
	return 0;
}

/*
 * The statement's model from its figures: title, "编制单位：<unit>", the
 * table; the caller adds notes and signatures.
 */
static int
lay_model(cj_db *db, const lay_run *lr, cj_span span, const char *title, const char *unit,
	  const int64_t *vals, cj_report **out)
{
	const layout *lay = &lr->lay;
	char when[64], text[512];
	column cols[2];
	cj_report *r;
	cj_table *t;
	long *rows = calloc(lay->nlines + 1, sizeof *rows);
	int status = 0;

	*out = NULL;
	columns_for(lr->income, span, cols);
	if (lr->income)
		cj_span_label(when, sizeof when, span);
	else
		snprintf(when, sizeof when, "%04d年%d月%d日", span.to.year, span.to.month, days_in(span.to));
	if (!rows || !(r = new_report(title, lay->code))) {
		free(rows);
		return oom(db);
	}
	if (cj_report_subtitle(r, "编制单位：%s    %s    单位：元", unit, when) ||
	    !(t = cj_report_table(r, title, 0)) ||
	    cj_table_column(r, t, NULL, "项目", CJ_COL_TEXT, 34) ||
	    cj_table_column(r, t, NULL, "行次", CJ_COL_TEXT, 4) ||
	    cj_table_column(r, t, NULL, cols[0].label, CJ_COL_MONEY, MONEY_W) ||
	    cj_table_column(r, t, NULL, cols[1].label, CJ_COL_MONEY, MONEY_W)) {
		status = oom(db);
		goto done;
	}
	cj_table_indent_column(t, 0);
	for (size_t i = 0; i < lay->nlines; i++) {
		const lay_line *ln = &lay->lines[i];
		long row = cj_table_row(r, t, ln->kind, ln->level);
		int pure = ln->nterms > 0;

		if (row < 0 ||
		    cj_table_text(r, t, row, 0, "%s", span_text(text, sizeof text, ln->label, span))) {
			status = oom(db);
			goto done;
		}
		rows[i] = row;
		if (ln->kind == CJ_ROW_HEADING)
			continue;
		if (cj_table_text(r, t, row, 1, "%d", ln->no)) {
			status = oom(db);
			goto done;
		}
		cj_table_number(t, row, 2, vals[i]);
		cj_table_number(t, row, 3, vals[lay->nlines + i]);
		/* a line over other lines only is a formula in XLSX */
		for (size_t k = 0; k < ln->nterms; k++)
			pure &= ln->terms[k].line != 0;
		if (pure) {
			cj_term terms[64];
			size_t n = ln->nterms < 64 ? ln->nterms : 0;

			for (size_t k = 0; k < n; k++) {
				terms[k].row = rows[line_index(lay, ln->terms[k].line)];
				terms[k].sign = ln->terms[k].sign;
			}
			if (n && cj_table_terms(r, t, row, terms, n)) {
				status = cj_db_fail(db, CJ_EOVERFLOW, _("%s: line %d does not add up"),
						    lay->title, ln->no);
				goto done;
			}
		}
	}
done:
	free(rows);
	if (status)
		cj_report_free(r);
	else
		*out = r;
	return status;
}

static void
lay_close(lay_run *lr, column *cols, size_t ncols)
{
	for (size_t i = 0; i < ncols; i++)
		column_free(&cols[i]);
	cj__layout_free(&lr->lay);
}

static int
layout_statement(cj_db *db, const char *village_code, cj_span span, const char *which,
		 cj_report **out)
{
	char err[1024], when[64], problems[2048] = "";
	lay_run lr;
	column cols[2] = {0};
	village_info v;
	cj_report *r = NULL;
	int64_t *vals = NULL;
	int status, unbalanced = 0;

	*out = NULL;
	if ((status = find_village(db, village_code, &v)) ||
	    (status = lay_open(db, which, v.chart, span, &lr)))
		return status;
	if ((status = lay_load(db, &lr, span, &v.org.id, 1, cols)) ||
	    (status = lay_codes(db, &lr, &cols[0], v.chart)))
		goto done;
	if (!(vals = calloc(lr.lay.nlines * 2 + 1, sizeof *vals))) {
		status = oom(db);
		goto done;
	}
	if ((status = lay_eval(db, &lr, span, cols, vals, problems, sizeof problems, &unbalanced)) ||
	    (status = lay_model(db, &lr, span, lr.lay.title, v.org.name, vals, &r)))
		goto done;
	if ((unbalanced && cj_report_note(r, "※ 核对不符：%s", problems)) || sign_lines(r)) {
		status = oom(db);
		goto done;
	}
	if (cj_report_check(r, err, sizeof err)) {
		status = cj_db_fail(db, CJ_ERROR, "%s", err);
		goto done;
	}
	if (unbalanced) {
		if (lr.income)
			cj_span_label(when, sizeof when, span);
		else
			snprintf(when, sizeof when, "%04d年%d月%d日", span.to.year, span.to.month,
				 days_in(span.to));
		status = cj_db_fail(db, CJ_EUNBALANCED, _("%s of %s %s, %s: %s"), lr.lay.title,
				    v.org.code, v.org.name, when, problems);
	}
	*out = r;
	r = NULL;
done:
	cj_report_free(r);
	free(vals);
	lay_close(&lr, cols, 2);
	return status;
}

int
cj_statement_balance_sheet(cj_db *db, const char *village, cj_span span, cj_report **out)
{
	return layout_statement(db, village, span, "balance_sheet", out);
}

int
cj_statement_income(cj_db *db, const char *village, cj_span span, cj_report **out)
{
	return layout_statement(db, village, span, "income", out);
}

/* ---- 科目余额表 ---- */

int
cj_statement_balances(cj_db *db, const char *org_code, cj_span span, cj_report **out)
{
	static const char *const groups[3] = {"期初余额", "本期发生额", "期末余额"};
	char when[64], err[1024], unit[260];
	cj_term *terms = NULL;
	size_t nterms = 0;
	cj_report *r = NULL;
	cj_table *t;
	cj_tb *tb = NULL;
	int status;
	long total;

	*out = NULL;
	if ((status = cj_tb_build(db, org_code, span.from, span.to, &tb)))
		return status;
	cj_span_label(when, sizeof when, span);
	if (tb->scope.level == CJ_ORG_VILLAGE)
		snprintf(unit, sizeof unit, "%s", tb->scope.name);
	else
		snprintf(unit, sizeof unit, "%s (%d 个村汇总)", tb->scope.name, tb->nvillages);
	if (!(r = new_report("科目余额表", NULL)) ||
	    cj_report_subtitle(r, "编制单位：%s    %s    单位：元", unit, when) ||
	    !(t = cj_report_table(r, "科目余额表", 1)) ||
	    cj_table_column(r, t, NULL, "科目编码", CJ_COL_TEXT, 10) ||
	    cj_table_column(r, t, NULL, "科目名称", CJ_COL_TEXT, 24))
		goto nomem;
	for (int g = 0; g < 3; g++)
		if (cj_table_column(r, t, groups[g], "借方", CJ_COL_MONEY, MONEY_W - 2) ||
		    cj_table_column(r, t, groups[g], "贷方", CJ_COL_MONEY, MONEY_W - 2))
			goto nomem;
	if (cj_table_keys(r, t, "code,name,opening_debit,opening_credit,debit,credit,"
				"closing_debit,closing_credit"))
		goto nomem;
	cj_table_indent_column(t, 1);
	if (!(terms = calloc(tb->nrows + 1, sizeof *terms)))
		goto nomem;
	for (size_t i = 0; i < tb->nrows; i++) {
		const cj_tb_row *a = &tb->rows[i];
		int64_t fig[6] = {a->opening > 0 ? a->opening : 0, a->opening < 0 ? -a->opening : 0,
				  a->debit, a->credit, a->closing > 0 ? a->closing : 0,
				  a->closing < 0 ? -a->closing : 0};
		long row = cj_table_row(r, t, CJ_ROW_DATA, a->level - 1);

		if (row < 0 || cj_table_text(r, t, row, 0, "%s", a->code) ||
		    cj_table_text(r, t, row, 1, "%s", a->name))
			goto nomem;
		for (int k = 0; k < 6; k++)
			if (fig[k])
				cj_table_number(t, row, (size_t)k + 2, fig[k]);
		/* the total adds the first-level accounts, which hold their sub-accounts */
		if (a->level == 1)
			terms[nterms++] = (cj_term){row, 1};
	}
	if (nterms) {
		total = cj_table_row(r, t, CJ_ROW_TOTAL, 0);
		if (total < 0 || cj_table_text(r, t, total, 1, "合计") ||
		    cj_table_terms(r, t, total, terms, nterms))
			goto nomem;
	} else if ((total = cj_table_total(r, t, CJ_ROW_TOTAL, 1, "合计", 0, -1)) < 0) {
		goto nomem;
	}
	{
		const cj_cell *c = t->rows[total].cells;

		/* the model's sums must be the trial balance's own */
		if (c[2].value != tb->opening_debit || c[3].value != tb->opening_credit ||
		    c[4].value != tb->debit || c[5].value != tb->credit ||
		    c[6].value != tb->closing_debit || c[7].value != tb->closing_credit) {
			status = cj_db_fail(db, CJ_ERROR, _("科目余额表: the totals differ from the trial "
							  "balance's"));
			goto done;
		}
	}
	if (sign_lines(r))
		goto nomem;
	if (cj_report_check(r, err, sizeof err)) {
		status = cj_db_fail(db, CJ_ERROR, "%s", err);
		goto done;
	}
	if (tb->opening_debit == tb->opening_credit && tb->debit == tb->credit &&
	    tb->closing_debit == tb->closing_credit) {
		if (cj_report_note(r, "试算平衡：期初余额、本期发生额和期末余额的借方合计与贷方合计相等。"))
			goto nomem;
	} else {
		char a[CJ_NUM_MAX], b[CJ_NUM_MAX], c[CJ_NUM_MAX], d[CJ_NUM_MAX], e[CJ_NUM_MAX],
			f[CJ_NUM_MAX];

		if (cj_report_note(r, "※ 试算不平衡：借方合计与贷方合计不等"))
			goto nomem;
		status = cj_db_fail(db, CJ_EUNBALANCED,
				    _("科目余额表 of %s %s, %s does not balance: opening %s / %s, "
				    "postings %s / %s, closing %s / %s; run 'cunji check'"),
				    tb->scope.code, tb->scope.name, when, fmt_money(a, tb->opening_debit),
				    fmt_money(b, tb->opening_credit), fmt_money(c, tb->debit),
				    fmt_money(d, tb->credit), fmt_money(e, tb->closing_debit),
				    fmt_money(f, tb->closing_credit));
	}
	*out = r;
	r = NULL;
	goto done;
nomem:
	status = oom(db);
done:
	free(terms);
	cj_tb_free(tb);
	cj_report_free(r);
	return status;
}

/* ---- 收支明细表 ---- */

int
cj_statement_detail(cj_db *db, const char *village_code, cj_span span, cj_report **out)
{
	static const struct {
		cj_category category;
		const char *heading, *total;
		int side;
	} parts[2] = {{CJ_CAT_INCOME, "一、收入", "收入合计", -1},
		      {CJ_CAT_EXPENSE, "二、支出", "支出合计", 1}};
	char when[64], err[1024];
	column cols[2];
	cj_report *r = NULL;
	cj_table *t;
	village_info v;
	int status = 0;
	long totals[2];
	cj_term *terms = NULL;

	*out = NULL;
	if ((status = find_village(db, village_code, &v)) || (status = one_year(db, "收支明细表", span)))
		return status;
	columns_for(1, span, cols);
	for (int c = 0; c < 2 && !status; c++)
		status = load_figs(db, v.org.id, cols[c].from, cols[c].to, NULL, &cols[c].base);
	if (status)
		goto done;
	cj_span_label(when, sizeof when, span);
	if (!(r = new_report("收支明细表", NULL)) || unit_line(r, &v, when) ||
	    !(t = cj_report_table(r, "收支明细表", 0)) ||
	    cj_table_column(r, t, NULL, "科目编码", CJ_COL_TEXT, 10) ||
	    cj_table_column(r, t, NULL, "项目", CJ_COL_TEXT, 26) ||
	    cj_table_column(r, t, NULL, cols[0].label, CJ_COL_MONEY, MONEY_W) ||
	    cj_table_column(r, t, NULL, cols[1].label, CJ_COL_MONEY, MONEY_W) ||
	    !(terms = calloc(cols[0].base.n + 2, sizeof *terms)))
		goto nomem;
	cj_table_indent_column(t, 1);
	for (int p = 0; p < 2; p++) {
		size_t nterms = 0;
		long h = cj_table_row(r, t, CJ_ROW_HEADING, 0);

		if (h < 0 || cj_table_text(r, t, h, 1, "%s", parts[p].heading))
			goto nomem;
		for (size_t i = 0; i < cols[0].base.n; i++) {
			const acct *a = &cols[0].base.a[i];
			int64_t now = 0, year = 0;
			int overflow = 0;
			long row;

			if (a->category != parts[p].category)
				continue;
			/*
			 * An account with its sub-accounts (they follow it in code
			 * order): credits less debits for income, debits less credits
			 * for spending.
			 */
			for (size_t j = i; j < cols[0].base.n && has_prefix(cols[0].base.a[j].code, a->code);
			     j++) {
				const acct *x = &cols[0].base.a[j], *y = &cols[1].base.a[j];

				overflow |= __builtin_add_overflow(now, x->debit, &now);
				overflow |= __builtin_sub_overflow(now, x->credit, &now);
				overflow |= __builtin_add_overflow(year, y->debit, &year);
				overflow |= __builtin_sub_overflow(year, y->credit, &year);
			}
			if (overflow) {
				status = cj_db_fail(db, CJ_EOVERFLOW, _("收支明细表: a figure is too large"));
				goto done;
			}
			now *= parts[p].side;
			year *= parts[p].side;
			/* first-level accounts always, sub-accounts when they carry a figure */
			if (a->level > 1 && !now && !year)
				continue;
			row = cj_table_row(r, t, CJ_ROW_DATA, a->level - 1);
			if (row < 0 || cj_table_text(r, t, row, 0, "%s", a->code) ||
			    cj_table_text(r, t, row, 1, "%s", a->name))
				goto nomem;
			cj_table_number(t, row, 2, now);
			cj_table_number(t, row, 3, year);
			if (a->level == 1)
				terms[nterms++] = (cj_term){row, 1};
		}
		totals[p] = cj_table_row(r, t, CJ_ROW_SUBTOTAL, 0);
		if (totals[p] < 0 || cj_table_text(r, t, totals[p], 1, "%s", parts[p].total) ||
		    (nterms ? cj_table_terms(r, t, totals[p], terms, nterms)
			    : (cj_table_number(t, totals[p], 2, 0), cj_table_number(t, totals[p], 3, 0), 0))) {
			status = cj_db_fail(db, CJ_EOVERFLOW, _("收支明细表: a total is too large"));
			goto done;
		}
	}
	{
		cj_term net[2] = {{totals[0], 1}, {totals[1], -1}};
		long row = cj_table_row(r, t, CJ_ROW_TOTAL, 0);

		if (row < 0 || cj_table_text(r, t, row, 1, "收支结余") ||
		    cj_table_terms(r, t, row, net, 2)) {
			status = cj_db_fail(db, CJ_EOVERFLOW, _("收支明细表: a total is too large"));
			goto done;
		}
	}
	if (cj_report_note(r, "注：本表不含年终结账凭证。") || sign_lines(r))
		goto nomem;
	if (cj_report_check(r, err, sizeof err)) {
		status = cj_db_fail(db, CJ_ERROR, "%s", err);
		goto done;
	}
	*out = r;
	r = NULL;
	goto done;
nomem:
	status = oom(db);
done:
	free(terms);
	cj_report_free(r);
	column_free(&cols[0]);
	column_free(&cols[1]);
	return status;
}

/* ---- 明细账 ---- */

static const char *
direction(int64_t bal)
{
	return bal > 0 ? "借" : bal < 0 ? "贷" : "平";
}

static int64_t
magnitude(int64_t v)
{
	return v < 0 ? -v : v; /* balances are far from INT64_MIN */
}

int
cj_statement_ledger(cj_db *db, const char *village_code, const char *account, cj_span span,
		    cj_report **out)
{
	char when[64], err[1024];
	cj_ledger *l = NULL, *year = NULL;
	cj_report *r = NULL;
	cj_table *t;
	village_info v;
	int status;
	long row, first;

	*out = NULL;
	if ((status = find_village(db, village_code, &v)) ||
	    (status = cj_ledger_build(db, v.org.id, account, span.from, span.to, &l)))
		return status;
	if (span.from.month != 1 &&
	    (status = cj_ledger_build(db, v.org.id, account, (cj_period){span.to.year, 1}, span.to,
				      &year)))
		goto done;
	cj_span_label(when, sizeof when, span);
	if (!(r = new_report("明细账", NULL)) ||
	    cj_report_subtitle(r, "科目：%s %s", l->account.code, l->account.name) ||
	    unit_line(r, &v, when) || !(t = cj_report_table(r, "明细账", 0)) ||
	    cj_table_column(r, t, NULL, "日期", CJ_COL_DATE, 10) ||
	    cj_table_column(r, t, NULL, "凭证号", CJ_COL_TEXT, 8) ||
	    cj_table_column(r, t, NULL, "摘要", CJ_COL_TEXT, 30) ||
	    cj_table_column(r, t, NULL, "借方", CJ_COL_MONEY, 14) ||
	    cj_table_column(r, t, NULL, "贷方", CJ_COL_MONEY, 14) ||
	    cj_table_column(r, t, NULL, "方向", CJ_COL_TEXT, 4) ||
	    cj_table_column(r, t, NULL, "余额", CJ_COL_MONEY, 14) ||
	    cj_table_keys(r, t, "date,voucher,summary,debit,credit,direction,balance") ||
	    /* printed pages carry the sums and the balance, as the books do */
	    cj_table_carry_book(r, t, 2, 3) ||
	    cj_report_running(r, "%s    科目：%s %s", v.org.name, l->account.code, l->account.name))
		goto nomem;
	cj_table_indent_column(t, 2);
	row = cj_table_row(r, t, CJ_ROW_DATA, 0);
	/* 上年结转 when the books go back before the year, else 期初余额 */
	if (row < 0 ||
	    cj_table_text(r, t, row, 2,
			  span.from.month == 1 && cj_period_cmp(v.org.start, span.from) < 0 ? "上年结转"
											    : "期初余额") ||
	    cj_table_text(r, t, row, 5, "%s", direction(l->opening)))
		goto nomem;
	cj_table_number(t, row, 6, magnitude(l->opening));
	first = row + 1;
	for (size_t i = 0; i < l->nrows; i++) {
		const cj_ledger_row *x = &l->rows[i];
		char date[16];

		cj_date_format(date, sizeof date, x->date);
		row = cj_table_row(r, t, CJ_ROW_DATA, 0);
		if (row < 0 || cj_table_text(r, t, row, 0, "%s", date) ||
		    cj_table_text(r, t, row, 1, "记-%d", x->number) ||
		    (x->counterparty[0]
			     ? cj_table_text(r, t, row, 2, "%s（%s）", x->summary, x->counterparty)
			     : cj_table_text(r, t, row, 2, "%s", x->summary)) ||
		    cj_table_text(r, t, row, 5, "%s", direction(x->balance)))
			goto nomem;
		if (x->debit)
			cj_table_number(t, row, 3, x->debit);
		if (x->credit)
			cj_table_number(t, row, 4, x->credit);
		cj_table_number(t, row, 6, magnitude(x->balance));
	}
	/* 本期合计 sums the lines; its balance is the closing balance, not a sum */
	row = cj_table_total(r, t, CJ_ROW_SUBTOTAL, 2, "本期合计", first, (long)t->nrows - 1);
	if (row < 0 || cj_table_text(r, t, row, 5, "%s", direction(l->closing)))
		goto nomem;
	cj_table_number(t, row, 6, magnitude(l->closing));
	cj_table_fixed(t, row, 6);
	t->rows[row].flags |= CJ_ROW_KEEP_NEXT; /* with its 本年累计 on one page */
	if (t->rows[row].cells[3].value != l->debit || t->rows[row].cells[4].value != l->credit) {
		status = cj_db_fail(db, CJ_ERROR, _("明细账: 本期合计 differs from the ledger's"));
		goto done;
	}
	if (year) {
		row = cj_table_row(r, t, CJ_ROW_SUBTOTAL, 0);
		if (row < 0 || cj_table_text(r, t, row, 2, "本年累计") ||
		    cj_table_text(r, t, row, 5, "%s", direction(year->closing)))
			goto nomem;
		cj_table_number(t, row, 3, year->debit);
		cj_table_number(t, row, 4, year->credit);
		cj_table_number(t, row, 6, magnitude(year->closing));
	}
	if (sign_lines(r))
		goto nomem;
	if (cj_report_check(r, err, sizeof err)) {
		status = cj_db_fail(db, CJ_ERROR, "%s", err);
		goto done;
	}
	*out = r;
	r = NULL;
	goto done;
nomem:
	status = oom(db);
done:
	cj_ledger_free(l);
	cj_ledger_free(year);
	cj_report_free(r);
	return status;
}

/* ---- 乡镇汇总: a township's balance sheet or income statement ---- */

/* The figures of layout line i in a village's own statement (its 行次 in column 1). */
static int
own_line(const cj_report *r, const lay_line *ln, int64_t fig[2])
{
	const cj_table *t = r->ntables ? r->tables[0] : NULL;

	for (size_t k = 0; t && k < t->nrows; k++) {
		const cj_cell *c = t->rows[k].cells;

		if (t->ncols >= 4 && c[1].kind == CJ_CELL_TEXT && atoi(c[1].text) == ln->no) {
			fig[0] = c[2].value;
			fig[1] = c[3].value;
			return 0;
		}
	}
	return -1;
}

/* Columns of every village joined into one: the township's accounts. */
static int
join_columns(cj_db *db, const column *cols, size_t nv, column out[2])
{
	for (int c = 0; c < 2; c++) {
		size_t nwith = cols[c].nwith;

		out[c] = cols[c];
		out[c].base = (figs){0};
		out[c].with = nwith ? calloc(nwith, sizeof *out[c].with) : NULL;
		out[c].nwith = nwith;
		if (nwith && !out[c].with)
			return oom(db);
		for (size_t j = 0; j <= nwith; j++) {
			figs *dst = j ? &out[c].with[j - 1] : &out[c].base;
			size_t total = 0;

			for (size_t v = 0; v < nv; v++)
				total += j ? cols[2 * v + c].with[j - 1].n : cols[2 * v + c].base.n;
			if (!(dst->a = calloc(total + 1, sizeof *dst->a)))
				return oom(db);
			snprintf(dst->with, sizeof dst->with, "%s", j ? cols[c].with[j - 1].with : "");
			for (size_t v = 0; v < nv; v++) {
				const figs *src = j ? &cols[2 * v + c].with[j - 1] : &cols[2 * v + c].base;

				memcpy(dst->a + dst->n, src->a, src->n * sizeof *src->a);
				dst->n += src->n;
			}
		}
	}
	return 0;
}

/* Appends "; " and a formatted text to buf. */
static void
append(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void
append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len + 4 >= size)
		return;
	if (len)
		len += (size_t)snprintf(buf + len, size - len, "; ");
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/*
 * The villages' own statements against the township's figures, line by
 * line: the sum of theirs must be each line of the summary.  Where it is
 * not, the village whose own line differs from its books (evaluated from
 * the township's query) is named.
 */
static int
check_villages(cj_db *db, const lay_run *lr, cj_span span, const column *cols, const village_info *vs,
	       const cj_report *const *own, size_t nv, const int64_t *tvals, char *problems,
	       size_t psize, int *disagree)
{
	const layout *lay = &lr->lay;
	size_t nl = lay->nlines;
	int64_t *sum = calloc(2 * nl + 1, sizeof *sum), *vv = calloc(2 * nl + 1, sizeof *vv);
	char a[CJ_NUM_MAX], b[CJ_NUM_MAX], ignored[256];
	int status = 0, overflow = 0, unb = 0;
	column labels[2];

	if (!sum || !vv) {
		free(sum);
		free(vv);
		return oom(db);
	}
	columns_for(lr->income, span, labels);
	for (size_t v = 0; v < nv; v++)
		for (size_t i = 0; i < nl; i++) {
			int64_t fig[2];

			if (lay->lines[i].kind == CJ_ROW_HEADING)
				continue;
			if (own_line(own[v], &lay->lines[i], fig)) {
				append(problems, psize, _("%s %s: its statement has no line %d"), vs[v].org.code,
				       vs[v].org.name, lay->lines[i].no);
				*disagree = 1;
				continue;
			}
			overflow |= __builtin_add_overflow(sum[i], fig[0], &sum[i]);
			overflow |= __builtin_add_overflow(sum[nl + i], fig[1], &sum[nl + i]);
		}
	if (overflow) {
		status = cj_db_fail(db, CJ_EOVERFLOW, _("%s: a figure is too large"), lay->title);
		goto done;
	}
	for (size_t i = 0; i < nl; i++)
		for (int c = 0; c < 2; c++) {
			const lay_line *ln = &lay->lines[i];
			int named = 0;

			if (ln->kind == CJ_ROW_HEADING || sum[c * nl + i] == tvals[c * nl + i])
				continue;
			*disagree = 1;
			/* which village: its own statement against its books */
			for (size_t v = 0; v < nv; v++) {
				int64_t fig[2];

				ignored[0] = '\0';
				if (own_line(own[v], ln, fig) ||
				    (status = lay_eval(db, lr, span, &cols[2 * v], vv, ignored, sizeof ignored, &unb)))
					goto done;
				if (fig[c] == vv[c * nl + i])
					continue;
				named = 1;
				append(problems, psize, _("%s %s, line %d %s, %s: its statement says %s, its books %s"),
				       vs[v].org.code, vs[v].org.name, ln->no, ln->label, labels[c].label,
				       fmt_money(a, fig[c]), fmt_money(b, vv[c * nl + i]));
			}
			if (!named)
				append(problems, psize, _("line %d %s, %s: the villages' statements add up to %s, "
							  "the summary is %s"),
				       ln->no, ln->label, labels[c].label, fmt_money(a, sum[c * nl + i]),
				       fmt_money(b, tvals[c * nl + i]));
		}
done:
	free(sum);
	free(vv);
	return status;
}

int
cj_statement_township(cj_db *db, int which, const char *township, const cj_statement_set *set,
		      cj_report **out)
{
	const char *file = which == CJ_ST_BALANCE_SHEET ? "balance_sheet"
			   : which == CJ_ST_INCOME      ? "income"
							: NULL;
	char err[1024], unit[300], title[160], problems[2048] = "", checks[2048] = "", missing[1024] = "";
	char names[2048] = "";
	cj_org town, *orgs = NULL;
	size_t norgs = 0, nv = 0;
	village_info *vs = NULL;
	const cj_report **own = NULL;
	int *ids = NULL, status, in_tx = 0, unbalanced = 0, disagree = 0;
	column *cols = NULL, tcols[2] = {0};
	int64_t *tvals = NULL;
	cj_report *r = NULL;
	lay_run lr = {0};
	int lay_opened = 0;

	*out = NULL;
	if (!file)
		return cj_db_fail(db, CJ_EINVAL, _("a township summary is of the balance sheet or the income "
						   "statement"));
	if ((status = cj_org_find(db, township, &town)))
		return status;
	if (town.level == CJ_ORG_VILLAGE)
		return cj_db_fail(db, CJ_EINVAL, _("%s %s is a village; a summary is of a township or a "
						   "county"), town.code, town.name);
	if ((status = cj_org_list(db, township, &orgs, &norgs)))
		return status;
	vs = calloc(norgs + 1, sizeof *vs);
	own = calloc(norgs + 1, sizeof *own);
	ids = calloc(norgs + 1, sizeof *ids);
	if (!vs || !own || !ids) {
		status = oom(db);
		goto done;
	}
	if (PQtransactionStatus(cj_db_conn(db)) == PQTRANS_IDLE) {
		if ((status = cj_db_exec(db, NULL, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0,
					 NULL)))
			goto done;
		in_tx = 1;
	}
	/* every village of the township, with its own statement from the set */
	for (size_t i = 0; i < norgs; i++) {
		const cj_report *mine = NULL;

		if (orgs[i].level != CJ_ORG_VILLAGE)
			continue;
		for (size_t k = 0; k < set->n && !mine; k++)
			if (set->kinds[k] == which && !strcmp(set->villages[k], orgs[i].code))
				mine = set->reports[k];
		if (!mine) {
			append(missing, sizeof missing, "%s %s", orgs[i].code, orgs[i].name);
			continue;
		}
		if ((status = find_village(db, orgs[i].code, &vs[nv])))
			goto done;
		if (nv && strcmp(vs[nv].chart, vs[0].chart)) {
			status = cj_db_fail(db, CJ_EINVAL, _("the villages of %s %s keep different charts "
							     "(%s: %s, %s: %s); their statements cannot be summed"),
					    town.code, town.name, vs[0].org.name, vs[0].chart, vs[nv].org.name,
					    vs[nv].chart);
			goto done;
		}
		ids[nv] = vs[nv].org.id;
		own[nv++] = mine;
	}
	if (*missing) {
		status = cj_db_fail(db, CJ_EREFUSED, _("the summary of %s %s needs the statement of every "
						       "village; missing: %s"),
				    town.code, town.name, missing);
		goto done;
	}
	if (!nv) {
		status = cj_db_fail(db, CJ_EINVAL, _("%s has no villages"), town.code);
		goto done;
	}
	if ((status = lay_open(db, file, vs[0].chart, set->span, &lr)))
		goto done;
	lay_opened = 1;
	if (!(cols = calloc(2 * nv, sizeof *cols)) ||
	    !(tvals = calloc(2 * lr.lay.nlines + 1, sizeof *tvals))) {
		status = oom(db);
		goto done;
	}
	if ((status = lay_load(db, &lr, set->span, ids, nv, cols)) ||
	    (status = lay_codes(db, &lr, &cols[0], vs[0].chart)) ||
	    (status = join_columns(db, cols, nv, tcols)) ||
	    (status = lay_eval(db, &lr, set->span, tcols, tvals, problems, sizeof problems, &unbalanced)) ||
	    (status = check_villages(db, &lr, set->span, cols, vs, own, nv, tvals, checks, sizeof checks,
				     &disagree)))
		goto done;

	for (size_t v = 0, len = 0; v < nv && len + 200 < sizeof names; v++)
		len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", v ? "、" : "", vs[v].org.name);
	snprintf(title, sizeof title, "%s（汇总）", lr.lay.title);
	snprintf(unit, sizeof unit, "%s（%zu 个村汇总）", town.name, nv);
	if ((status = lay_model(db, &lr, set->span, title, unit, tvals, &r)))
		goto done;
	if (cj_report_note(r, "汇总范围：%s，共 %zu 个村。", names, nv) ||
	    (!disagree && cj_report_note(r, "各行等于各村%s同行之和，已逐行核对相符。", lr.lay.title)) ||
	    (disagree && cj_report_note(r, "※ 与各村报表核对不符：%s", checks)) ||
	    (unbalanced && cj_report_note(r, "※ 核对不符：%s", problems)) || sign_lines(r)) {
		status = oom(db);
		goto done;
	}
	if (cj_report_check(r, err, sizeof err)) {
		status = cj_db_fail(db, CJ_ERROR, "%s", err);
		goto done;
	}
	if (disagree)
		status = cj_db_fail(db, CJ_EUNBALANCED, _("the summary %s of %s %s does not agree with its "
							 "villages' statements: %s"),
				    lr.lay.title, town.code, town.name, checks);
	else if (unbalanced)
		status = cj_db_fail(db, CJ_EUNBALANCED, _("%s of %s %s: %s"), title, town.code, town.name,
				    problems);
	*out = r;
	r = NULL;
done:
	if (in_tx)
		cj_db_rollback(db); /* read only; the message stays on db */
	cj_report_free(r);
	free(tvals);
	for (size_t i = 0; cols && i < 2 * nv; i++)
		column_free(&cols[i]);
	free(cols);
	column_free(&tcols[0]);
	column_free(&tcols[1]);
	if (lay_opened)
		cj__layout_free(&lr.lay);
	free(vs);
	free(own);
	free(ids);
	free(orgs);
	return status;
}
