/*
 * books.c - trial balance, detail ledger, journal export and the books' check
 *
 * The trial balance reads account_period_total (one row per account and
 * month, kept by the voucher_line trigger) rather than the lines, so a
 * village-year costs a few hundred rows and a county a few tens of
 * thousands, whatever the number of vouchers.  Opening vouchers (期初余额)
 * count as opening balance in the month they fall in.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ledger/i18n.h>

#include "internal.h"

/*
 * The opening balance of a range comes from the yearly totals of the years
 * before its first month's year and the months of that year before it, so a
 * trial balance reads the same few rows per account whatever the age of the
 * books; the range's own months give the movements (opening vouchers in them
 * count as opening).  FROM and TO are the parameters of the first and last
 * month.
 */
#define TB_TOTALS(WHERE, FROM, TO)                                                             \
	"    SELECT account_code, debit_fen - credit_fen AS opening, 0 AS debit, 0 AS credit\n"     \
	"      FROM account_year_total\n"                                                          \
	"     WHERE " WHERE " AND year < extract(year FROM " FROM "::date)::integer\n"              \
	"    UNION ALL\n"                                                                          \
	"    SELECT account_code,\n"                                                               \
	"           CASE WHEN period < " FROM "::date THEN debit_fen - credit_fen\n"               \
	"                ELSE opening_debit_fen - opening_credit_fen END,\n"                       \
	"           CASE WHEN period >= " FROM "::date THEN debit_fen - opening_debit_fen\n"       \
	"                ELSE 0 END,\n"                                                            \
	"           CASE WHEN period >= " FROM "::date THEN credit_fen - opening_credit_fen\n"     \
	"                ELSE 0 END\n"                                                             \
	"      FROM account_period_total\n"                                                        \
	"     WHERE " WHERE " AND period <= " TO "::date\n"                                        \
	"       AND period >= make_date(extract(year FROM " FROM "::date)::integer, 1, 1)\n"

/* $1 village */
static const char tb_village_sql[] =
	"WITH t AS (\n"
	"    SELECT account_code, sum(opening) AS opening, sum(debit) AS debit, sum(credit) AS credit\n"
	"      FROM (\n" TB_TOTALS("village_id = $1", "$2", "$3") ") x\n"
	"     GROUP BY account_code)\n"
	"SELECT a.code, a.name, a.category, a.normal_side,\n"
	"       (SELECT count(*) FROM account p WHERE p.village_id = a.village_id\n"
	"           AND a.code LIKE p.code || '%') AS level,\n"
	"       coalesce(sum(t.opening), 0), coalesce(sum(t.debit), 0), coalesce(sum(t.credit), 0)\n"
	"  FROM account a\n"
	"  LEFT JOIN t ON left(t.account_code, length(a.code)) = a.code\n"
	" WHERE a.village_id = $1\n"
	" GROUP BY a.village_id, a.code, a.name, a.category, a.normal_side\n"
	" ORDER BY a.code";

/* $1 township or county: first-level accounts */
static const char tb_group_sql[] =
	"WITH v AS (\n"
	"    SELECT o.id FROM org o WHERE o.parent_id = $1 AND o.level = 'village'\n"
	"    UNION ALL\n"
	"    SELECT o.id FROM org o JOIN org t ON o.parent_id = t.id\n"
	"     WHERE t.parent_id = $1 AND o.level = 'village'),\n"
	"t AS (\n"
	"    SELECT left(account_code, 3) AS code, sum(opening) AS opening, sum(debit) AS debit,\n"
	"           sum(credit) AS credit\n"
	"      FROM (\n"
	TB_TOTALS("village_id = ANY ((SELECT array_agg(id) FROM v)::integer[])", "$2", "$3")
	"     ) x\n"
	"     GROUP BY 1)\n"
	"SELECT c.code, c.name, c.category, c.normal_side, 1,\n"
	"       coalesce(t.opening, 0), coalesce(t.debit, 0), coalesce(t.credit, 0),\n"
	"       (SELECT count(*) FROM v)\n"
	"  FROM chart_template c LEFT JOIN t ON t.code = c.code\n"
	" WHERE c.chart = '2023' AND length(c.code) = 3\n"
	" ORDER BY c.code";

/* $1 village, $2 account prefix, $3 first month, $4 last month */
static const char ledger_opening_sql[] =
	"SELECT coalesce(sum(opening), 0)\n"
	"  FROM (\n" TB_TOTALS("village_id = $1 AND left(account_code, length($2)) = $2", "$3", "$4")
	") x";

static const char ledger_lines_sql[] =
	"SELECT v.voucher_date, to_char(v.period, 'YYYY-MM'), v.number, v.kind, l.summary,\n"
	"       coalesce(l.counterparty, ''), l.debit_fen, l.credit_fen\n"
	"  FROM voucher_line l\n"
	"  JOIN voucher v ON v.village_id = l.village_id AND v.id = l.voucher_id\n"
	" WHERE l.village_id = $1 AND left(l.account_code, length($2)) = $2\n"
	"   AND l.period BETWEEN $3 AND $4 AND v.kind <> 'opening'\n"
	" ORDER BY v.voucher_date, v.period, v.number, l.line_no";

static const char journal_vouchers_sql[] =
	"SELECT v.id, v.voucher_date, to_char(v.period, 'YYYY-MM'), v.number, v.kind, v.summary,\n"
	"       coalesce(v.external_id, ''), l.account_code, l.debit_fen - l.credit_fen,\n"
	"       coalesce(v.negative_cash_reason, '')\n"
	"  FROM voucher v\n"
	"  JOIN voucher_line l ON l.village_id = v.village_id AND l.voucher_id = v.id\n"
	" WHERE v.village_id = $1 AND ($2::date IS NULL OR v.period BETWEEN $2::date AND $3::date)\n"
	" ORDER BY v.voucher_date, v.period, v.number, l.line_no";

static const char journal_brought_forward_sql[] =
	"SELECT account_code, sum(debit_fen - credit_fen)::bigint\n"
	"  FROM (SELECT account_code, debit_fen, credit_fen FROM account_year_total\n"
	"         WHERE village_id = $1 AND year < extract(year FROM $2::date)::integer\n"
	"        UNION ALL\n"
	"        SELECT account_code, debit_fen, credit_fen FROM account_period_total\n"
	"         WHERE village_id = $1 AND period < $2::date\n"
	"           AND period >= date_trunc('year', $2::date)::date) t\n"
	" GROUP BY account_code HAVING sum(debit_fen - credit_fen) <> 0\n"
	" ORDER BY account_code";

/* A sum from the database (numeric text) as fen; 1 when it does not fit. */
static int
fen_of(const PGresult *res, int row, int col, int64_t *out)
{
	const char *s = PQgetvalue(res, row, col);
	char *end;

	errno = 0;
	*out = (int64_t)strtoll(s, &end, 10);
	return errno == ERANGE || end == s || *end;
}

/* Checked: 1 when a sum would not fit in int64 (never a wrapped total). */
static int
add_fen(int64_t *sum, int64_t v)
{
	return __builtin_add_overflow(*sum, v, sum);
}

static int
split_side(int64_t net, int64_t *debit, int64_t *credit)
{
	if (net > 0)
		return add_fen(debit, net);
	return net == INT64_MIN || add_fen(credit, -net);
}

int
cj_tb_build(cj_db *db, const char *org_code, cj_period from, cj_period to, cj_tb **out)
{
	char id[16], f[16], t[16];
	const char *params[3] = {id, f, t};
	PGresult *res = NULL;
	cj_tb *tb;
	int err, n, k = 0;

	*out = NULL;
	if (cj_period_cmp(from, to) > 0)
		return cj_db_fail(db, CJ_EINVAL, _("the first month comes after the last"));
	tb = calloc(1, sizeof *tb);
	if (!tb)
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	err = cj_org_find(db, org_code, &tb->scope);
	if (err)
		goto fail;
	tb->from = from;
	tb->to = to;
	snprintf(id, sizeof id, "%d", tb->scope.id);
	cj__period_date(f, sizeof f, from);
	cj__period_date(t, sizeof t, to);
	err = cj_db_exec(db, &res, tb->scope.level == CJ_ORG_VILLAGE ? tb_village_sql : tb_group_sql,
			 3, params);
	if (err)
		goto fail;
	n = PQntuples(res);
	tb->rows = calloc(n ? (size_t)n : 1, sizeof *tb->rows);
	if (!tb->rows) {
		err = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		goto fail;
	}
	tb->nvillages = tb->scope.level == CJ_ORG_VILLAGE ? 1 : 0;
	for (int i = 0; i < n; i++) {
		cj_tb_row *r = &tb->rows[k];
		if (tb->scope.level != CJ_ORG_VILLAGE)
			tb->nvillages = atoi(PQgetvalue(res, i, 8));
		cj__strlcpy(r->code, PQgetvalue(res, i, 0), sizeof r->code);
		cj__strlcpy(r->name, PQgetvalue(res, i, 1), sizeof r->name);
		r->category = (cj_category)cj_category_parse(PQgetvalue(res, i, 2));
		r->normal_side = PQgetvalue(res, i, 3)[0];
		r->level = atoi(PQgetvalue(res, i, 4));
		if (fen_of(res, i, 5, &r->opening) || fen_of(res, i, 6, &r->debit) ||
		    fen_of(res, i, 7, &r->credit) ||
		    __builtin_add_overflow(r->opening, r->debit, &r->closing) ||
		    __builtin_sub_overflow(r->closing, r->credit, &r->closing))
			goto overflow;
		if (!r->opening && !r->debit && !r->credit && !r->closing)
			continue; /* accounts never used stay out of the table */
		if (r->level == 1 &&
		    (split_side(r->opening, &tb->opening_debit, &tb->opening_credit) ||
		     add_fen(&tb->debit, r->debit) || add_fen(&tb->credit, r->credit) ||
		     split_side(r->closing, &tb->closing_debit, &tb->closing_credit)))
			goto overflow;
		k++;
	}
	tb->nrows = (size_t)k;
	PQclear(res);
	*out = tb;
	return 0;
overflow:
	err = cj_db_fail(db, CJ_EOVERFLOW, _("the trial balance of %s: a total does not fit in "
					   "64-bit fen; the books hold more than they can"),
			 org_code);
fail:
	PQclear(res);
	cj_tb_free(tb);
	return err;
}

void
cj_tb_free(cj_tb *tb)
{
	if (!tb)
		return;
	free(tb->rows);
	free(tb);
}

int
cj_ledger_build(cj_db *db, int village_id, const char *account_code, cj_period from, cj_period to,
		cj_ledger **out)
{
	char id[16], f[16], t[16];
	const char *params[4] = {id, account_code, f, t};
	PGresult *res = NULL;
	cj_ledger *l;
	int64_t bal;
	int err, n;

	*out = NULL;
	if (cj_period_cmp(from, to) > 0)
		return cj_db_fail(db, CJ_EINVAL, _("the first month comes after the last"));
	l = calloc(1, sizeof *l);
	if (!l)
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	snprintf(id, sizeof id, "%d", village_id);
	cj__period_date(f, sizeof f, from);
	cj__period_date(t, sizeof t, to);
	l->from = from;
	l->to = to;
	err = cj_account_find(db, village_id, account_code, &l->account);
	if (err)
		goto fail;
	err = cj_db_exec(db, &res, ledger_opening_sql, 4, params);
	if (err)
		goto fail;
	if (fen_of(res, 0, 0, &l->opening)) {
		err = cj_db_fail(db, CJ_EOVERFLOW, _("the opening balance does not fit in 64-bit fen"));
		goto fail;
	}
	PQclear(res);
	res = NULL;
	err = cj_db_exec(db, &res, ledger_lines_sql, 4, params);
	if (err)
		goto fail;
	n = PQntuples(res);
	l->rows = calloc(n ? (size_t)n : 1, sizeof *l->rows);
	if (!l->rows) {
		err = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		goto fail;
	}
	bal = l->opening;
	for (int i = 0; i < n; i++) {
		cj_ledger_row *r = &l->rows[i];
		r->date = cj__date_from_db(PQgetvalue(res, i, 0));
		if (cj_period_parse(&r->period, PQgetvalue(res, i, 1)))
			memset(&r->period, 0, sizeof r->period);
		r->number = atoi(PQgetvalue(res, i, 2));
		r->kind = !strcmp(PQgetvalue(res, i, 3), "reversal") ? CJ_VOUCHER_REVERSAL
			  : !strcmp(PQgetvalue(res, i, 3), "closing") ? CJ_VOUCHER_CLOSING
								      : CJ_VOUCHER_NORMAL;
		cj__strlcpy(r->summary, PQgetvalue(res, i, 4), sizeof r->summary);
		cj__strlcpy(r->counterparty, PQgetvalue(res, i, 5), sizeof r->counterparty);
		r->debit = cj__int64(PQgetvalue(res, i, 6));
		r->credit = cj__int64(PQgetvalue(res, i, 7));
		if (add_fen(&bal, r->debit) || add_fen(&bal, -r->credit) ||
		    add_fen(&l->debit, r->debit) || add_fen(&l->credit, r->credit)) {
			err = cj_db_fail(db, CJ_EOVERFLOW, _("the ledger's totals do not fit in "
							   "64-bit fen"));
			goto fail;
		}
		r->balance = bal;
	}
	l->nrows = (size_t)n;
	l->closing = bal;
	PQclear(res);
	*out = l;
	return 0;
fail:
	PQclear(res);
	cj_ledger_free(l);
	return err;
}

void
cj_ledger_free(cj_ledger *l)
{
	if (!l)
		return;
	free(l->rows);
	free(l);
}

/* ------------------------------------------------------------------------ */
/* Journal export for hledger and ledger-cli */

typedef struct named {
	char code[16];
	char *path; /* "102 银行存款:102001 农商行" */
} named;

/* Names may not carry what the journal format treats as syntax. */
static void
put_clean(FILE *out, const char *s)
{
	int space = 0;

	for (; *s; s++) {
		char c = *s;
		if (c == ':' || c == ';' || c == '\t' || c == '\n' || c == '\r')
			c = c == ':' || c == ';' ? '-' : ' ';
		if (c == ' ') {
			if (space)
				continue; /* two spaces end an account name */
			space = 1;
		} else {
			space = 0;
		}
		fputc(c, out);
	}
}

static void
clean_into(cj_buf *b, const char *s)
{
	int space = 0;

	for (; *s; s++) {
		char c = *s;
		if (c == ':' || c == ';' || c == '\t' || c == '\n' || c == '\r')
			c = c == ':' || c == ';' ? '-' : ' ';
		if (c == ' ' && space)
			continue;
		space = c == ' ';
		cj__buf_putc(b, c);
	}
}

static int
build_names(cj_db *db, int village_id, named **out, size_t *n_out)
{
	cj_account *a = NULL;
	named *nm;
	size_t n;
	int err;

	err = cj_account_list(db, village_id, &a, &n);
	if (err)
		return err;
	nm = calloc(n ? n : 1, sizeof *nm);
	if (!nm) {
		free(a);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	for (size_t i = 0; i < n; i++) {
		cj_buf b = CJ_BUF_INIT;
		/* parents sort before children, so their path is ready */
		for (size_t j = i; a[i].parent_code[0] && j-- > 0;)
			if (!strcmp(nm[j].code, a[i].parent_code)) {
				cj__buf_puts(&b, nm[j].path);
				cj__buf_putc(&b, ':');
				break;
			}
		cj__buf_puts(&b, a[i].code);
		cj__buf_putc(&b, ' ');
		clean_into(&b, a[i].name);
		cj__strlcpy(nm[i].code, a[i].code, sizeof nm[i].code);
		nm[i].path = b.data;
		if (!cj__buf_ok(&b) || !b.data) {
			for (size_t j = 0; j <= i; j++)
				free(nm[j].path);
			free(nm);
			free(a);
			return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		}
	}
	free(a);
	*out = nm;
	*n_out = n;
	return 0;
}

static const char *
name_of(const named *nm, size_t n, const char *code)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(nm[mid].code, code);
		if (!c)
			return nm[mid].path;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return code;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(((const named *)a)->code, ((const named *)b)->code);
}

static void
put_amount(FILE *out, int64_t fen)
{
	char buf[CJ_MONEY_FMT_MAX];

	cj_money_format(buf, sizeof buf, cj_money_from_fen(fen), CJ_MONEY_FMT_PLAIN);
	fprintf(out, "CNY %s", buf);
}

int
cj_journal_export(cj_db *db, int village_id, const cj_span *span, FILE *out)
{
	char id[16], from[16] = "", to[16] = "", tag[CJ_SPAN_TEXT_MAX] = "";
	const char *params[3] = {id, span ? from : NULL, span ? to : NULL};
	PGresult *res = NULL;
	named *nm = NULL;
	size_t nn = 0;
	cj_org village;
	int err;
	int64_t last = 0;

	snprintf(id, sizeof id, "%d", village_id);
	if (span) {
		snprintf(from, sizeof from, "%04d-%02d-01", span->from.year, span->from.month);
		snprintf(to, sizeof to, "%04d-%02d-01", span->to.year, span->to.month);
		cj_span_tag(tag, sizeof tag, *span);
	}
	err = build_names(db, village_id, &nm, &nn);
	if (err)
		return err;
	qsort(nm, nn, sizeof *nm, name_cmp);
	{
		PGresult *o;
		const char *p1[1] = {id};
		err = cj_db_exec(db, &o, "SELECT code, name FROM org WHERE id = $1", 1, p1);
		if (err)
			goto done;
		memset(&village, 0, sizeof village);
		if (PQntuples(o)) {
			cj__strlcpy(village.code, PQgetvalue(o, 0, 0), sizeof village.code);
			cj__strlcpy(village.name, PQgetvalue(o, 0, 1), sizeof village.name);
		}
		PQclear(o);
	}
	fprintf(out, "; cunji journal: village %s %s%s%s\n", village.code, village.name,
		!span ? "" : span->kind == CJ_SPAN_YEAR ? ", year " : ", period ", span ? tag : "");
	fprintf(out, "; one transaction per voucher; amounts are debit positive, in yuan (CNY)\n\n");

	if (span) {
		err = cj_db_exec(db, &res, journal_brought_forward_sql, 2, params);
		if (err)
			goto done;
		if (PQntuples(res) > 0) {
			fprintf(out, "%s * %s balances brought forward\n", from,
				span->from.month == 1 ? "上年结转" : "期初结转");
			for (int r = 0; r < PQntuples(res); r++) {
				fprintf(out, "    %s  ", name_of(nm, nn, PQgetvalue(res, r, 0)));
				put_amount(out, cj__int64(PQgetvalue(res, r, 1)));
				fputc('\n', out);
			}
			fputc('\n', out);
		}
		PQclear(res);
		res = NULL;
	}

	err = cj_db_exec(db, &res, journal_vouchers_sql, 3, params);
	if (err)
		goto done;
	for (int r = 0; r < PQntuples(res); r++) {
		int64_t vid = cj__int64(PQgetvalue(res, r, 0));
		if (r == 0 || vid != last) {
			if (r)
				fputc('\n', out);
			fprintf(out, "%s * (%s-%s) ", PQgetvalue(res, r, 1), PQgetvalue(res, r, 2),
				PQgetvalue(res, r, 3));
			put_clean(out, PQgetvalue(res, r, 5));
			fprintf(out, "\n    ; kind:%s", PQgetvalue(res, r, 4));
			if (PQgetvalue(res, r, 6)[0]) {
				fputs(", external-id:", out);
				put_clean(out, PQgetvalue(res, r, 6));
			}
			if (PQgetvalue(res, r, 9)[0]) { /* a documented correction */
				fputs(", negative-cash-reason:", out);
				put_clean(out, PQgetvalue(res, r, 9));
			}
			fputc('\n', out);
			last = vid;
		}
		fprintf(out, "    %s  ", name_of(nm, nn, PQgetvalue(res, r, 7)));
		put_amount(out, cj__int64(PQgetvalue(res, r, 8)));
		fputc('\n', out);
	}
	if (ferror(out))
		err = cj_db_fail(db, CJ_EIO, _("cannot write the journal"));
done:
	PQclear(res);
	for (size_t i = 0; i < nn; i++)
		free(nm[i].path);
	free(nm);
	return err;
}

/* ------------------------------------------------------------------------ */
/* cunji check */

/* Each query's rows are problems, already worded. */
static const char *const check_sql[] = {
	"SELECT format('village %s account %s period %s: kept totals differ from the lines by %s "
	"(debit) / %s (credit) fen', village_code(village_id), account_code,\n"
	"              to_char(period, 'YYYY-MM'), coalesce(kept_debit, 0) - coalesce(line_debit, 0),\n"
	"              coalesce(kept_credit, 0) - coalesce(line_credit, 0))\n"
	"  FROM totals_mismatches()",
	"SELECT format('village %s account %s year %s: kept yearly totals differ from the lines by %s "
	"(debit) / %s (credit) fen', village_code(village_id), account_code, year,\n"
	"              coalesce(kept_debit, 0) - coalesce(line_debit, 0),\n"
	"              coalesce(kept_credit, 0) - coalesce(line_credit, 0))\n"
	"  FROM year_totals_mismatches()",
	"SELECT format('village %s %s id %s: kept in/out %s/%s fen, lines say %s/%s',\n"
	"              village_code(village_id), what, id, kept_in, kept_out, line_in, line_out)\n"
	"  FROM fund_totals_mismatches()",
	"SELECT format('village %s %s: ', village_code(village_id), to_char(period, 'YYYY-MM')) ||\n"
	"       concat_ws('; ',\n"
	"         CASE WHEN cardinality(missing) > 0 THEN format('voucher numbers missing: %s%s',\n"
	"              array_to_string(missing, ', '), CASE WHEN cardinality(missing) >= 20\n"
	"              THEN ' ...' END) END,\n"
	"         CASE WHEN coalesce(last_number, 0) < highest THEN format('voucher_counter is at %s "
	"but the highest number is %s: the month is jammed (the next posting would take a number "
	"already used)', coalesce(last_number, 0), highest) END,\n"
	"         CASE WHEN last_number > highest THEN format('voucher_counter is at %s but the "
	"highest number is %s: numbers %s to %s were handed out and never used (a gap)',\n"
	"              last_number, highest, highest + 1, last_number) END)\n"
	"  FROM voucher_number_problems()",
};

static int
check_push(cj_db *db, cj_books_check_result *r, size_t *cap, const char *text)
{
	char *copy = strdup(text);

	if (!copy || cj_grow((void **)&r->problems, cap, r->nproblems + 1, sizeof *r->problems)) {
		free(copy);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	r->problems[r->nproblems++] = copy;
	return 0;
}

int
cj_books_check(cj_db *db, cj_books_check_result *out)
{
	PGresult *res = NULL;
	size_t cap = 0;
	int err = 0;

	memset(out, 0, sizeof *out);
	for (size_t q = 0; q < sizeof check_sql / sizeof check_sql[0] && !err; q++) {
		err = cj_db_exec(db, &res, check_sql[q], 0, NULL);
		for (int i = 0; !err && i < PQntuples(res); i++)
			err = check_push(db, out, &cap, PQgetvalue(res, i, 0));
		PQclear(res);
		res = NULL;
	}
	if (!err)
		err = cj_db_exec(db, &res, "SELECT count(*), (SELECT count(*) FROM voucher_line) "
					   "FROM voucher",
				 0, NULL);
	if (!err) {
		out->vouchers = cj__int64(PQgetvalue(res, 0, 0));
		out->lines = cj__int64(PQgetvalue(res, 0, 1));
	}
	PQclear(res);
	if (err)
		cj_books_check_free(out);
	return err;
}

void
cj_books_check_free(cj_books_check_result *r)
{
	for (size_t i = 0; i < r->nproblems; i++)
		free(r->problems[i]);
	free(r->problems);
	r->problems = NULL;
	r->nproblems = 0;
}
