/*
 * books.c - 总账, 现金日记账, 银行存款日记账, 明细账 and 多栏账 as report models
 *
 * A village's book is read in three parts: the trial balance of the whole
 * span (which accounts have figures, their opening balances), the trial
 * balance of each month from January of the first month's year (本月合计,
 * the balances at each month's end, 本年累计 from January even when the
 * span starts later) and, for the books of lines, the posted voucher lines
 * of the account with their 对方科目.  Draft vouchers live in their own
 * tables and are never read.  Each month's lines are checked against the
 * kept monthly totals, and every report passes cj_report_check.
 *
 * The books follow the bound forms: 上年结转 (期初余额 when the span starts
 * in the year or with the books), then month by month the lines, 本日合计
 * after each day in the day books, 本月合计 (the sums of the month's lines,
 * the balance at its end) and 本年累计 (the sums since January, the same
 * balance).  In the PDF the running sums of the month and the balance are
 * carried from page to page (过次页 at a page's foot, 承前页 at the next
 * page's head, 会计基础工作规范 第六十条: from the start of the month, so that
 * each page adds up to its month's 本月合计).
 *
 * SPDX-License-Identifier: MIT
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ledger/account.h>
#include <ledger/books.h>
#include <ledger/i18n.h>
#include <ledger/org.h>
#include <ledger/sql.h>
#include <reports/books.h>

/* ---- a village's figures ---- */

typedef struct vbook {
	cj_db *db;
	cj_org org;
	cj_span span;
	int township;   /* part of a township's book: sheet names carry the village */
	cj_period base; /* January of the first month's year */
	cj_tb **mon;    /* a trial balance per month, base..span.to */
	size_t nmon;
	cj_tb *all;     /* the span's: openings, and which accounts have figures */
	cj_book *book;
} vbook;

typedef struct bline {
	cj_date date;
	cj_period per;
	int number;
	/* text in the query's result, kept until the report has copied it */
	const char *code, *summary, *counterparty;
	const char *other; /* 对方科目 */
	int64_t debit, credit;
} bline;

/*
 * The posted lines of an account and its sub-accounts in the months, with
 * 对方科目: the first-level accounts of the voucher's lines on the other side
 * (a red reversal's negative amounts stay on their side; a transfer between
 * two bank accounts reads 银行存款 in both).
 */
static const char lines_sql[] =
	"SELECT v.voucher_date, to_char(v.period, 'YYYY-MM'), v.number, l.account_code, l.summary,\n"
	"       coalesce(l.counterparty, ''), l.debit_fen, l.credit_fen,\n"
	"       coalesce((SELECT string_agg(DISTINCT (SELECT a.name FROM account a\n"
	"                                                 WHERE a.village_id = o.village_id\n"
	"                                                   AND a.code = left(o.account_code, 3)),\n"
	"                                         '、')\n"
	"                   FROM voucher_line o\n"
	"                  WHERE o.village_id = l.village_id AND o.voucher_id = l.voucher_id\n"
	"                    AND (l.debit_fen <> 0) = (o.credit_fen <> 0)), '')\n"
	"  FROM voucher_line l\n"
	"  JOIN voucher v ON v.village_id = l.village_id AND v.id = l.voucher_id\n"
	" WHERE l.village_id = $1 AND left(l.account_code, length($2)) = $2\n"
	"   AND l.period BETWEEN $3 AND $4 AND v.kind <> 'opening'\n"
	" ORDER BY v.voucher_date, v.period, v.number, l.line_no";

static int
oom(cj_db *db)
{
	return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
}

static int
overflow(vbook *v, const char *code)
{
	return cj_db_fail(v->db, CJ_EOVERFLOW,
			  _("%s, account %s: a total does not fit in 64-bit fen"), v->org.name, code);
}

/* The lines into *out, pointing into *res_out (free both). */
static int
load_lines(vbook *v, const char *code, bline **out, size_t *n, PGresult **res_out)
{
	char id[16], f[16], t[16];
	const char *params[4] = {id, code, f, t};
	PGresult *res;
	int err, rows;
	bline *l;

	snprintf(id, sizeof id, "%d", v->org.id);
	snprintf(f, sizeof f, "%04d-%02d-01", v->span.from.year, v->span.from.month);
	snprintf(t, sizeof t, "%04d-%02d-01", v->span.to.year, v->span.to.month);
	if ((err = cj_db_exec(v->db, &res, lines_sql, 4, params)))
		return err;
	rows = PQntuples(res);
	if (!(l = calloc(rows ? (size_t)rows : 1, sizeof *l))) {
		PQclear(res);
		return oom(v->db);
	}
	for (int i = 0; i < rows; i++) {
		if (cj_date_parse(&l[i].date, PQgetvalue(res, i, 0)) ||
		    cj_period_parse(&l[i].per, PQgetvalue(res, i, 1)))
			l[i].per = cj_period_of(l[i].date);
		l[i].number = atoi(PQgetvalue(res, i, 2));
		l[i].code = PQgetvalue(res, i, 3);
		l[i].summary = PQgetvalue(res, i, 4);
		l[i].counterparty = PQgetvalue(res, i, 5);
		l[i].debit = strtoll(PQgetvalue(res, i, 6), NULL, 10);
		l[i].credit = strtoll(PQgetvalue(res, i, 7), NULL, 10);
		l[i].other = PQgetvalue(res, i, 8);
	}
	*res_out = res;
	*out = l;
	*n = (size_t)rows;
	return 0;
}

static const cj_tb_row *
tb_row(const cj_tb *tb, const char *code)
{
	for (size_t i = 0; i < tb->nrows; i++)
		if (!strcmp(tb->rows[i].code, code))
			return &tb->rows[i];
	return NULL;
}

static size_t
month_index(const vbook *v, cj_period p)
{
	return (size_t)((p.year - v->base.year) * 12 + p.month - v->base.month);
}

/* The month's figures of an account (zero when it has none). */
static cj_tb_row
month_figs(const vbook *v, const char *code, cj_period p)
{
	const cj_tb_row *r = tb_row(v->mon[month_index(v, p)], code);
	cj_tb_row zero = {0};

	return r ? *r : zero;
}

/* Debits and credits since January of p's year, through p. */
static int
year_to_date(vbook *v, const char *code, cj_period p, int64_t *debit, int64_t *credit)
{
	*debit = *credit = 0;
	for (cj_period k = {p.year, 1}; cj_period_cmp(k, p) <= 0; k = cj_period_next(k)) {
		cj_tb_row m;

		if (cj_period_cmp(k, v->base) < 0)
			continue;
		m = month_figs(v, code, k);
		if (__builtin_add_overflow(*debit, m.debit, debit) ||
		    __builtin_add_overflow(*credit, m.credit, credit))
			return overflow(v, code);
	}
	return 0;
}

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

/* 上年结转 when the span starts in January after the books began, else 期初余额. */
static const char *
opening_label(const vbook *v)
{
	return v->span.from.month == 1 && cj_period_cmp(v->org.start, v->span.from) < 0 ? "上年结转"
											 : "期初余额";
}

/* ---- the report of one account ---- */

static int
push_report(vbook *v, cj_report *r)
{
	cj_report **grown = realloc(v->book->reports, (v->book->n + 1) * sizeof *grown);

	if (!grown)
		return -1;
	v->book->reports = grown;
	grown[v->book->n++] = r;
	return 0;
}

/*
 * A new report for an account's pages: the title, 科目, 编制单位 and the
 * span; one table named after the account (and the village, in a
 * township's book: the worksheet's name).
 */
static cj_report *
account_report(vbook *v, const char *title, const char *code, const char *name, int landscape,
	       cj_table **t)
{
	char when[CJ_SPAN_TEXT_MAX], sheet[512];
	cj_report *r = cj_report_new(title);

	cj_span_label(when, sizeof when, v->span);
	if (v->township)
		snprintf(sheet, sizeof sheet, "%s %s %s", v->org.name, code, name);
	else
		snprintf(sheet, sizeof sheet, "%s %s", code, name);
	if (!r || cj_report_subtitle(r, "科目：%s %s", code, name) ||
	    cj_report_subtitle(r, "编制单位：%s    %s    单位：元", v->org.name, when) ||
	    cj_report_running(r, "%s    科目：%s %s", v->org.name, code, name) ||
	    !(*t = cj_report_table(r, sheet, landscape)) ||
	    /* CSV and JSON rows say whose and which account they are */
	    cj_table_context(r, *t, "village", "%s", v->org.code) ||
	    cj_table_context(r, *t, "village_name", "%s", v->org.name) ||
	    cj_table_context(r, *t, "account", "%s", code) ||
	    cj_table_context(r, *t, "account_name", "%s", name)) {
		cj_report_free(r);
		return NULL;
	}
	return r;
}

/* The date, voucher and summary of a line into columns 0..2. */
static int
line_text(cj_report *r, cj_table *t, long row, const bline *x)
{
	char date[16];

	cj_date_format(date, sizeof date, x->date);
	return cj_table_text(r, t, row, 0, "%s", date) ||
	       cj_table_text(r, t, row, 1, "记-%d", x->number) ||
	       (x->counterparty[0] ? cj_table_text(r, t, row, 2, "%s（%s）", x->summary, x->counterparty)
				   : cj_table_text(r, t, row, 2, "%s", x->summary));
}

/* 方向 and 余额 in columns dir, dir + 1; the balance a figure of its own in a total row. */
static int
balance_cells(cj_report *r, cj_table *t, long row, size_t dir, int64_t bal)
{
	if (cj_table_text(r, t, row, dir, "%s", direction(bal)))
		return -1;
	cj_table_number(t, row, dir + 1, magnitude(bal));
	if (t->rows[row].kind != CJ_ROW_DATA)
		cj_table_fixed(t, row, dir + 1);
	return 0;
}

static int
check_report(vbook *v, cj_report *r)
{
	char err[1024];

	if (cj_report_check(r, err, sizeof err))
		return cj_db_fail(v->db, CJ_ERROR, "%s", err);
	return 0;
}

/* The report is the book's now, or freed: 0 or the error. */
static int
keep(vbook *v, cj_report *r, int status)
{
	if (!status && (status = check_report(v, r)) == 0 && push_report(v, r))
		status = oom(v->db);
	if (status)
		cj_report_free(r);
	return status;
}

/* The lines of one month against the month's kept totals (account_period_total). */
static int
month_agrees(vbook *v, const char *code, cj_period p, int64_t debit, int64_t credit)
{
	cj_tb_row m = month_figs(v, code, p);
	char when[16];

	if (m.debit == debit && m.credit == credit)
		return 0;
	cj_period_format(when, sizeof when, p);
	return cj_db_fail(v->db, CJ_ERROR,
			  _("%s, account %s, %s: the lines do not add up to the month's kept totals"),
			  v->org.name, code, when);
}

/* ---- 总账 ---- */

static int
general_account(vbook *v, const cj_tb_row *a)
{
	cj_report *r;
	cj_table *t;
	long row, firsts[12];
	size_t nfirst = 0;
	int64_t bal = a->opening;
	int status = 0;

	if (!(r = account_report(v, "总账", a->code, a->name, 0, &t)))
		return oom(v->db);
	if (cj_table_column(r, t, NULL, "日期", CJ_COL_DATE, 10) ||
	    cj_table_column(r, t, NULL, "摘要", CJ_COL_TEXT, 24) ||
	    cj_table_column(r, t, NULL, "借方", CJ_COL_MONEY, 16) ||
	    cj_table_column(r, t, NULL, "贷方", CJ_COL_MONEY, 16) ||
	    cj_table_column(r, t, NULL, "借或贷", CJ_COL_TEXT, 6) ||
	    cj_table_column(r, t, NULL, "余额", CJ_COL_MONEY, 16) ||
	    cj_table_keys(r, t, "date,summary,debit,credit,direction,balance") ||
	    (row = cj_table_row(r, t, CJ_ROW_DATA, 0)) < 0 ||
	    cj_table_text(r, t, row, 1, "%s", opening_label(v)) || balance_cells(r, t, row, 4, bal))
		goto nomem;
	for (cj_period p = v->span.from; cj_period_cmp(p, v->span.to) <= 0; p = cj_period_next(p)) {
		cj_tb_row m = month_figs(v, a->code, p);
		int64_t ydebit, ycredit;
		cj_term terms[12];

		if (p.month == 1)
			nfirst = 0;
		if (!m.debit && !m.credit)
			continue;
		bal = m.closing;
		if ((row = cj_table_row(r, t, CJ_ROW_DATA, 0)) < 0 ||
		    cj_table_text(r, t, row, 0, "%04d-%02d-%02d", p.year, p.month,
				  cj_days_in_month(p.year, p.month)) ||
		    cj_table_text(r, t, row, 1, "本月合计") || balance_cells(r, t, row, 4, bal))
			goto nomem;
		cj_table_number(t, row, 2, m.debit);
		cj_table_number(t, row, 3, m.credit);
		t->rows[row].flags |= CJ_ROW_KEEP_NEXT; /* with its 本年累计 on one page */
		firsts[nfirst++] = row;
		if ((status = year_to_date(v, a->code, p, &ydebit, &ycredit)))
			goto done;
		if ((row = cj_table_row(r, t, CJ_ROW_SUBTOTAL, 0)) < 0 ||
		    cj_table_text(r, t, row, 1, "本年累计") || balance_cells(r, t, row, 4, bal))
			goto nomem;
		/* every month of the year is in the table: 本年累计 adds up its 本月合计 rows */
		if (v->span.from.month == 1 || p.year > v->span.from.year) {
			for (size_t k = 0; k < nfirst; k++)
				terms[k] = (cj_term){firsts[k], 1};
			if (cj_table_terms(r, t, row, terms, nfirst))
				goto nomem;
			if (t->rows[row].cells[2].value != ydebit || t->rows[row].cells[3].value != ycredit) {
				status = cj_db_fail(v->db, CJ_ERROR, _("%s, account %s: 本年累计 differs from "
								       "the kept yearly totals"),
						    v->org.name, a->code);
				goto done;
			}
		} else {
			cj_table_number(t, row, 2, ydebit);
			cj_table_number(t, row, 3, ycredit);
		}
	}
	goto done;
nomem:
	status = oom(v->db);
done:
	return keep(v, r, status);
}

/* ---- 日记账, 明细账 and 多栏账: the lines, month by month ---- */

typedef struct lines_book {
	const char *title;
	const char *code, *name;
	int daily;          /* 日记账: 对方科目 and 本日合计 */
	/* 多栏账: the sub-accounts whose columns follow 余额, on the debit or credit side */
	const cj_tb_row **subs;
	size_t nsubs;
	int credit_side;
} lines_book;

/* The column of a line's sub-account in a 多栏账, or -1. */
static long
sub_column(const lines_book *b, const char *code)
{
	for (size_t i = 0; i < b->nsubs; i++)
		if (!strncmp(code, b->subs[i]->code, strlen(b->subs[i]->code)))
			return (long)i;
	return -1;
}

static int
lines_columns(cj_report *r, cj_table *t, const lines_book *b, size_t *dcol)
{
	const char *group = b->credit_side ? "贷方金额分析" : "借方金额分析";
	char keys[2048];

	if (cj_table_column(r, t, NULL, "日期", CJ_COL_DATE, 10) ||
	    cj_table_column(r, t, NULL, "凭证字号", CJ_COL_TEXT, 8) ||
	    cj_table_column(r, t, NULL, "摘要", CJ_COL_TEXT, b->nsubs ? 20 : 28) ||
	    (b->daily && cj_table_column(r, t, NULL, "对方科目", CJ_COL_TEXT, 12)))
		return -1;
	*dcol = t->ncols;
	if (cj_table_column(r, t, NULL, "借方", CJ_COL_MONEY, 14) ||
	    cj_table_column(r, t, NULL, "贷方", CJ_COL_MONEY, 14) ||
	    cj_table_column(r, t, NULL, "借或贷", CJ_COL_TEXT, 6) ||
	    cj_table_column(r, t, NULL, "余额", CJ_COL_MONEY, 14))
		return -1;
	for (size_t i = 0; i < b->nsubs; i++)
		if (cj_table_column(r, t, group, b->subs[i]->name, CJ_COL_MONEY, 12))
			return -1;
	/* a sub-account's column is named by its code in CSV and JSON (513001_yuan) */
	snprintf(keys, sizeof keys, "%s", b->daily ? "date,voucher,summary,counter_account,debit,credit,direction,balance"
						   : "date,voucher,summary,debit,credit,direction,balance");
	for (size_t i = 0; i < b->nsubs && strlen(keys) + strlen(b->subs[i]->code) + 2 < sizeof keys; i++)
		snprintf(keys + strlen(keys), sizeof keys - strlen(keys), ",%s", b->subs[i]->code);
	if (cj_table_keys(r, t, keys))
		return -1;
	/* the month's sums and the balance go from page to page */
	if (cj_table_carry_book(r, t, 2, *dcol))
		return -1;
	for (size_t i = 0; i < b->nsubs; i++)
		cj_table_carry_column(t, *dcol + 4 + i, CJ_CARRY_SUM);
	return 0;
}

/* 本年累计: the sums since January (the sub-accounts' too), the balance at the month's end. */
static int
year_row(vbook *v, cj_report *r, cj_table *t, const lines_book *b, size_t dcol, cj_period p,
	 int64_t bal)
{
	int64_t debit, credit;
	long row;
	int status;

	if ((status = year_to_date(v, b->code, p, &debit, &credit)))
		return status;
	if ((row = cj_table_row(r, t, CJ_ROW_SUBTOTAL, 0)) < 0 || cj_table_text(r, t, row, 2, "本年累计") ||
	    balance_cells(r, t, row, dcol + 2, bal))
		return oom(v->db);
	cj_table_number(t, row, dcol, debit);
	cj_table_number(t, row, dcol + 1, credit);
	for (size_t i = 0; i < b->nsubs; i++) {
		if ((status = year_to_date(v, b->subs[i]->code, p, &debit, &credit)))
			return status;
		cj_table_number(t, row, dcol + 4 + i, b->credit_side ? credit : debit);
	}
	cj_table_carry_reset(t, row);
	return 0;
}

static int
lines_account(vbook *v, const lines_book *b)
{
	cj_report *r;
	cj_table *t;
	bline *lines = NULL;
	PGresult *res = NULL;
	size_t n = 0, dcol = 0, i = 0;
	int64_t bal;
	long row;
	int status;
	const cj_tb_row *open = tb_row(v->all, b->code);

	if ((status = load_lines(v, b->code, &lines, &n, &res)))
		return status;
	if (!(r = account_report(v, b->title, b->code, b->name, b->nsubs > 0, &t))) {
		free(lines);
		PQclear(res);
		return oom(v->db);
	}
	bal = open ? open->opening : 0;
	if (lines_columns(r, t, b, &dcol) || (row = cj_table_row(r, t, CJ_ROW_DATA, 0)) < 0 ||
	    cj_table_text(r, t, row, 2, "%s", opening_label(v)) || balance_cells(r, t, row, dcol + 2, bal))
		goto nomem;
	while (i < n) {
		cj_period p = lines[i].per;
		long month_first = (long)t->nrows;

		while (i < n && !cj_period_cmp(lines[i].per, p)) {
			cj_date day = lines[i].date;
			long day_first = (long)t->nrows;

			while (i < n && !cj_period_cmp(lines[i].per, p) && !memcmp(&lines[i].date, &day, sizeof day)) {
				const bline *x = &lines[i++];
				long col = sub_column(b, x->code);

				if (__builtin_add_overflow(bal, x->debit, &bal) ||
				    __builtin_sub_overflow(bal, x->credit, &bal)) {
					status = overflow(v, b->code);
					goto done;
				}
				if ((row = cj_table_row(r, t, CJ_ROW_DATA, 0)) < 0 || line_text(r, t, row, x) ||
				    (b->daily && cj_table_text(r, t, row, 3, "%s", x->other)) ||
				    balance_cells(r, t, row, dcol + 2, bal))
					goto nomem;
				if (x->debit)
					cj_table_number(t, row, dcol, x->debit);
				if (x->credit)
					cj_table_number(t, row, dcol + 1, x->credit);
				if (col >= 0 && (b->credit_side ? x->credit : x->debit))
					cj_table_number(t, row, dcol + 4 + (size_t)col,
							b->credit_side ? x->credit : x->debit);
			}
			if (b->daily &&
			    ((row = cj_table_total(r, t, CJ_ROW_SUBTOTAL, 2, "本日合计", day_first,
						   (long)t->nrows - 1)) < 0 ||
			     balance_cells(r, t, row, dcol + 2, bal)))
				goto nomem;
		}
		/* 本月合计 sums the month's lines (the 本日合计 rows are skipped) */
		if ((row = cj_table_total(r, t, CJ_ROW_SUBTOTAL, 2, "本月合计", month_first,
					  (long)t->nrows - 1)) < 0 ||
		    balance_cells(r, t, row, dcol + 2, bal))
			goto nomem;
		t->rows[row].flags |= CJ_ROW_KEEP_NEXT; /* with its 本年累计 on one page */
		if ((status = month_agrees(v, b->code, p, t->rows[row].cells[dcol].value,
					   t->rows[row].cells[dcol + 1].value)) ||
		    (status = year_row(v, r, t, b, dcol, p, bal)))
			goto done;
	}
	status = 0;
	goto done;
nomem:
	status = oom(v->db);
done:
	free(lines);
	PQclear(res);
	return keep(v, r, status);
}

/* ---- which accounts a book prints ---- */

static int
account_name(vbook *v, const char *code, char *name, size_t size)
{
	cj_account a;
	int err = cj_account_find(v->db, v->org.id, code, &a);

	if (!err)
		snprintf(name, size, "%s", a.name);
	return err;
}

/* Is a (in the span's trial balance) without sub-accounts that have figures? */
static int
is_leaf(const cj_tb *tb, const cj_tb_row *a)
{
	size_t len = strlen(a->code);

	for (size_t i = 0; i < tb->nrows; i++)
		if (strlen(tb->rows[i].code) > len && !strncmp(tb->rows[i].code, a->code, len))
			return 0;
	return 1;
}

static int
under(const char *code, const char *prefix)
{
	return !prefix || !strncmp(code, prefix, strlen(prefix));
}

/* 现金日记账 / 银行存款日记账: the account itself, then each of its sub-accounts. */
static int
day_books(vbook *v, const char *title, const char *code, const char *only, size_t *printed)
{
	char name[200];
	int status;
	lines_book b = {title, code, name, 1, NULL, 0, 0};

	if (only && strncmp(only, code, strlen(code)))
		return cj_db_fail(v->db, CJ_EINVAL, _("%s keeps %s and its sub-accounts, not %s"), title,
				  code, only);
	if (!only || !strcmp(only, code)) {
		if ((status = account_name(v, code, name, sizeof name)) || (status = lines_account(v, &b)))
			return status;
		++*printed;
	}
	for (size_t i = 0; i < v->all->nrows; i++) {
		const cj_tb_row *a = &v->all->rows[i];
		lines_book sub = {title, a->code, a->name, 1, NULL, 0, 0};

		if (a->level < 2 || strncmp(a->code, code, strlen(code)) ||
		    (only && strcmp(only, a->code)))
			continue;
		if ((status = lines_account(v, &sub)))
			return status;
		++*printed;
	}
	return 0;
}

static int
columnar(vbook *v, const cj_tb_row *a)
{
	const cj_tb_row **subs = calloc(v->all->nrows + 1, sizeof *subs);
	lines_book b = {"多栏式明细账", a->code, a->name, 0, subs, 0, a->category == CJ_CAT_INCOME};
	int status;

	if (!subs)
		return oom(v->db);
	for (size_t i = 0; i < v->all->nrows; i++)
		if (v->all->rows[i].level == a->level + 1 && under(v->all->rows[i].code, a->code))
			subs[b.nsubs++] = &v->all->rows[i];
	if (!b.nsubs)
		subs[b.nsubs++] = a; /* no sub-accounts: its own column */
	status = lines_account(v, &b);
	free(subs);
	return status;
}

static int
village_book(vbook *v, cj_book_kind kind, const char *only)
{
	size_t printed = 0;
	int status = 0;

	switch (kind) {
	case CJ_BOOK_CASH:
		return day_books(v, "现金日记账", "101", only, &printed);
	case CJ_BOOK_BANK:
		return day_books(v, "银行存款日记账", "102", only, &printed);
	default:
		break;
	}
	for (size_t i = 0; i < v->all->nrows && !status; i++) {
		const cj_tb_row *a = &v->all->rows[i];
		lines_book b = {"明细账", a->code, a->name, 0, NULL, 0, 0};

		if (only ? strcmp(a->code, only) != 0 : 0)
			continue;
		if (kind == CJ_BOOK_GENERAL && (only || a->level == 1))
			status = general_account(v, a);
		else if (kind == CJ_BOOK_DETAIL && (only || is_leaf(v->all, a)))
			status = lines_account(v, &b);
		else if (kind == CJ_BOOK_COLUMNAR &&
			 (only || (a->level == 1 && (a->category == CJ_CAT_INCOME ||
						     a->category == CJ_CAT_EXPENSE))))
			status = columnar(v, a);
	}
	return status;
}

static void
vbook_free(vbook *v)
{
	for (size_t i = 0; i < v->nmon; i++)
		cj_tb_free(v->mon[i]);
	free(v->mon);
	cj_tb_free(v->all);
}

/* Read a village's trial balances, then build its book into v->book. */
static int
village(cj_db *db, const cj_org *org, int township, cj_book_kind kind, const char *only,
	cj_span span, cj_book *book)
{
	vbook v = {db, *org, span, township, {span.from.year, 1}, NULL, 0, NULL, book};
	size_t months = (size_t)((span.to.year - v.base.year) * 12 + span.to.month - v.base.month + 1);
	int status;

	if (!(v.mon = calloc(months, sizeof *v.mon)))
		return oom(db);
	for (cj_period p = v.base; cj_period_cmp(p, span.to) <= 0; p = cj_period_next(p))
		if ((status = cj_tb_build(db, org->code, p, p, &v.mon[v.nmon++])))
			goto done;
	if ((status = cj_tb_build(db, org->code, span.from, span.to, &v.all)))
		goto done;
	status = village_book(&v, kind, only);
done:
	vbook_free(&v);
	return status;
}

int
cj_book_build(cj_db *db, cj_book_kind kind, const char *org, const char *account, cj_span span,
	      cj_book_progress progress, void *arg, cj_book *out)
{
	cj_org *orgs = NULL, one;
	size_t n = 0, nvillages = 0, done = 0;
	int status, township;

	memset(out, 0, sizeof *out);
	if (cj_period_cmp(span.from, span.to) > 0)
		return cj_db_fail(db, CJ_EINVAL, _("the first month comes after the last"));
	if ((status = cj_org_find(db, org, &one)))
		return status;
	township = one.level != CJ_ORG_VILLAGE;
	if (!township) {
		status = village(db, &one, 0, kind, account, span, out);
	} else if (!(status = cj_org_list(db, org, &orgs, &n))) {
		for (size_t i = 0; i < n; i++)
			nvillages += orgs[i].level == CJ_ORG_VILLAGE;
		for (size_t i = 0; i < n && !status; i++) {
			if (orgs[i].level != CJ_ORG_VILLAGE)
				continue;
			/* a village may not have the account asked for: it prints nothing */
			if (account) {
				cj_account a;

				if (cj_account_find(db, orgs[i].id, account, &a))
					continue;
			}
			status = village(db, &orgs[i], 1, kind, account, span, out);
			if (progress && !status)
				progress(arg, orgs[i].name, ++done, nvillages);
		}
		free(orgs);
	}
	if (!status && !out->n) {
		char when[CJ_SPAN_TEXT_MAX];

		status = cj_db_fail(db, CJ_ENOTFOUND, _("%s: no account has figures for this book in %s"),
				    org, cj_span_label(when, sizeof when, span));
	}
	if (status)
		cj_book_free(out);
	return status;
}

void
cj_book_free(cj_book *b)
{
	for (size_t i = 0; i < b->n; i++)
		cj_report_free(b->reports[i]);
	free(b->reports);
	b->reports = NULL;
	b->n = 0;
}

int
cj_book_kind_parse(const char *text)
{
	static const char *const names[] = {"general", "cash", "bank", "detail", "columnar"};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(text, names[i]))
			return (int)i;
	return -1;
}
