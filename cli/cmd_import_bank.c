/*
 * cmd_import_bank.c - import bank (statements through rules), import funds
 * (allocation notices, 下达文件)
 *
 * Both read CSV (UTF-8 or GBK) or XLSX through cj_sheet, find their columns
 * by header, check the whole file against itself and the books, report
 * every problem with its row (and column), and write nothing unless all is
 * well; then everything goes in one transaction.  Importing the same file
 * again writes nothing new.
 *
 * import bank: each statement row becomes a voucher (the bank account on
 * one side, the account the first matching rule names on the other).  The
 * statement's running balance (余额) is checked against the ledger: the
 * account's balance before the first row, plus the movements, must give
 * each row's balance; and the ledger through the last row's day, plus the
 * rows not yet posted, must give the last balance (so a receipt already
 * posted by hand is caught, not posted twice).  The check and the posting
 * run in one transaction that holds the village's books still, so nothing
 * posted in between can make the checked balances stale.  Each row's
 * external id is derived from the row itself, so a re-import posts nothing.
 *
 * import funds: rows of (county, 文号) make one allocation (fund_allocation)
 * and each row a fund of its village, as `fund allocate` does, but the whole
 * file in one transaction; a row may also name a project of the village,
 * which then gets the fund in its budget (project_budget).
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <importers/amount.h>
#include <importers/bank_rules.h>
#include <importers/encoding.h>
#include <importers/sheet.h>
#include <ledger/sql.h> /* temporary: until this file calls library functions only */

#include "cli.h"

#define MAX_ROWS 200000
#define MAX_COLS 256
#define HEADER_SCAN 30 /* rows searched for the header of a bank statement */

/* ------------------------------------------------------------------------ */
/* problems, printed in row order */

typedef struct problem {
	size_t row, seq;
	char *text;
} problem;

typedef struct problems {
	const char *file;
	problem *p;
	size_t n, cap;
	int oom;
} problems;

static void report(problems *pb, size_t row, const char *column, const char *value,
		   const char *fmt, ...) CJ_PRINTF(5, 6);

/* "FILE: row N, column C: 'value' what" (row 0: no row) */
static void
report(problems *pb, size_t row, const char *column, const char *value, const char *fmt, ...)
{
	char what[600], head[400];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (row)
		snprintf(head, sizeof head, "%s: row %zu%s%s: ", pb->file, row, column ? ", column " : "",
			 column ? column : "");
	else
		head[0] = '\0'; /* the text names its file (a rules line) */
	if (pb->n == pb->cap) {
		size_t cap = pb->cap ? pb->cap * 2 : 32;
		problem *np = realloc(pb->p, cap * sizeof *np);
		if (!np) {
			pb->oom = 1;
			return;
		}
		pb->p = np;
		pb->cap = cap;
	}
	n = strlen(head) + strlen(what) + (value ? strlen(value) + 4 : 0) + 1;
	pb->p[pb->n].text = malloc(n);
	if (!pb->p[pb->n].text) {
		pb->oom = 1;
		return;
	}
	snprintf(pb->p[pb->n].text, n, "%s%s%s%s%s", head, value ? "'" : "", value ? value : "",
		 value ? "' " : "", what);
	pb->p[pb->n].row = row;
	pb->p[pb->n].seq = pb->n;
	pb->n++;
}

static int
problem_cmp(const void *a, const void *b)
{
	const problem *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Print them all; returns EXIT_REFUSED when there were any. */
static int
print_problems(problems *pb, const char *what)
{
	if (pb->oom)
		return fail_msg("out of memory");
	if (!pb->n)
		return 0;
	qsort(pb->p, pb->n, sizeof *pb->p, problem_cmp);
	for (size_t i = 0; i < pb->n; i++)
		fprintf(stderr, "cunji: %s\n", pb->p[i].text);
	return fail_msg("%s: %zu error%s; nothing was %s", pb->file, pb->n, pb->n == 1 ? "" : "s", what);
}

static void
problems_free(problems *pb)
{
	for (size_t i = 0; i < pb->n; i++)
		free(pb->p[i].text);
	free(pb->p);
}

/* ------------------------------------------------------------------------ */
/* columns by header */

typedef struct colspec {
	const char *names[10]; /* Chinese first; English in lower case */
} colspec;

typedef struct columns {
	int at[24];               /* field index per colspec, -1 when absent */
	int rank[24];             /* which alias named it */
	cj_amount_unit unit[24];
	char title[24][64];       /* as the file writes it, for messages */
	int extra[MAX_COLS];      /* other field indexes that match (memo columns may repeat) */
} columns;

static char *
trim_copy(const char *s, char *out, size_t size)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	while (!strncmp(s, "\xE3\x80\x80", 3))
		s += 3;
	snprintf(out, size, "%s", s);
	n = strlen(out);
	for (;;) {
		if (n && (out[n - 1] == ' ' || out[n - 1] == '\t' || out[n - 1] == '\r'))
			out[--n] = '\0';
		else if (n >= 3 && !strcmp(out + n - 3, "\xE3\x80\x80"))
			out[n -= 3] = '\0';
		else
			break;
	}
	return out;
}

static int
same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a, y = *b;
		if (x >= 'A' && x <= 'Z')
			x = (char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (char)(y + 32);
		if (x != y)
			return 0;
	}
	return *a == *b;
}

/* Which spec a header cell names (-1 none), and how early in its aliases
 * (*rank: lower is preferred).  *unit from "(万元)". */
static int
which_column(const colspec *specs, int nspecs, const char *header, cj_amount_unit *unit, int *rank)
{
	char trimmed[256], name[256];

	trim_copy(header, trimmed, sizeof trimmed);
	*unit = CJ_UNIT_YUAN;
	if (cj_header_split(trimmed, name, sizeof name, unit))
		snprintf(name, sizeof name, "%s", trimmed);
	for (int k = 0; k < nspecs; k++)
		for (int a = 0; a < 10 && specs[k].names[a]; a++)
			if (same_name(name, specs[k].names[a]))
				return *rank = a, k;
	return -1;
}

/*
 * Map a header row; counts the columns found.  When two columns name the
 * same thing, the one with the earlier alias wins (交易日期 over 交易时间),
 * the first on a tie; with report_repeats a tie is a problem.  Columns of
 * spec `gather` all count (memo columns are joined).
 */
static int
map_columns(columns *c, const colspec *specs, int nspecs, cj_sheet *s, problems *pb, int gather,
	    int report_repeats)
{
	int found = 0;
	size_t n = cj_sheet_nfields(s);

	for (int k = 0; k < 24; k++)
		c->at[k] = -1;
	for (size_t i = 0; i < MAX_COLS; i++)
		c->extra[i] = -1;
	for (size_t i = 0; i < n && i < MAX_COLS; i++) {
		cj_amount_unit unit;
		int rank = 0, k = which_column(specs, nspecs, cj_sheet_field(s, i), &unit, &rank);
		if (k < 0)
			continue;
		if (k == gather)
			c->extra[i] = k;
		if (c->at[k] >= 0) {
			if (rank >= c->rank[k]) {
				if (report_repeats && rank == c->rank[k] && k != gather)
					report(pb, cj_sheet_row(s), NULL, NULL, "columns %d and %zu are both %s",
					       c->at[k] + 1, i + 1, specs[k].names[rank]);
				continue;
			}
		} else {
			found++;
		}
		c->at[k] = (int)i;
		c->rank[k] = rank;
		c->unit[k] = unit;
		trim_copy(cj_sheet_field(s, i), c->title[k], sizeof c->title[k]);
	}
	return found;
}

/* The first English alias of a column, for messages. */
static const char *
english(const colspec *spec)
{
	for (int a = 0; a < 10 && spec->names[a]; a++)
		if ((spec->names[a][0] | 0x20) >= 'a' && (spec->names[a][0] | 0x20) <= 'z')
			return spec->names[a];
	return spec->names[0];
}

static const char *
field(cj_sheet *s, const columns *c, int k, char *buf, size_t size)
{
	if (c->at[k] < 0)
		return "";
	return trim_copy(cj_sheet_field(s, (size_t)c->at[k]), buf, size);
}

static int
row_blank(cj_sheet *s)
{
	for (size_t i = 0; i < cj_sheet_nfields(s); i++) {
		char buf[64];
		if (trim_copy(cj_sheet_field(s, i), buf, sizeof buf)[0])
			return 0;
	}
	return 1;
}

/*
 * Dates as banks and spreadsheets write them: 2025-03-05, 2025/3/5,
 * 2025.03.05, 20250305, 2025年3月5日, each optionally followed by a time
 * ("2025-03-05 10:20:30", "2025-03-05T10:20:30").
 */
static int
parse_when(const char *t, cj_date *d)
{
	int y = 0, m = 0, day = 0, n = 0;

	if (strlen(t) >= 8 && sscanf(t, "%4d%2d%2d%n", &y, &m, &day, &n) == 3 && n == 8 &&
	    (t[8] == '\0' || t[8] == ' ')) {
		/* 20250305 */
	} else if (sscanf(t, "%d年%d月%d日%n", &y, &m, &day, &n) == 3) {
		/* 2025年3月5日 */
	} else {
		char s1, s2;
		if (sscanf(t, "%4d%c%2d%c%2d%n", &y, &s1, &m, &s2, &day, &n) != 5 || s1 != s2 ||
		    (s1 != '-' && s1 != '/' && s1 != '.'))
			return CJ_EINVAL;
	}
	if (t[n] && t[n] != ' ' && t[n] != 'T')
		return CJ_EINVAL;
	d->year = y;
	d->month = m;
	d->day = day;
	return cj_date_valid(*d) ? 0 : CJ_EINVAL;
}

static int
date_cmp(cj_date a, cj_date b)
{
	if (a.year != b.year)
		return a.year < b.year ? -1 : 1;
	if (a.month != b.month)
		return a.month < b.month ? -1 : 1;
	return a.day < b.day ? -1 : a.day > b.day;
}

static const char *
yuan(char buf[CJ_MONEY_FMT_MAX], int64_t fen)
{
	if (cj_money_format(buf, CJ_MONEY_FMT_MAX, cj_money_from_fen(fen), CJ_MONEY_FMT_GROUPED) < 0)
		snprintf(buf, CJ_MONEY_FMT_MAX, "%lld fen", (long long)fen);
	return buf;
}

static int
read_small_file(const char *path, size_t max, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f)
		return fail_msg("%s: %s", path, strerror(errno));
	buf = malloc(max + 1);
	if (!buf) {
		fclose(f);
		return fail_msg("out of memory");
	}
	n = fread(buf, 1, max + 1, f);
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return fail_msg("%s: read error", path);
	}
	fclose(f);
	if (n > max) {
		free(buf);
		return fail_msg("%s: larger than %zu KiB; is this a rules file?", path, max >> 10);
	}
	*out = buf;
	*len = n;
	return 0;
}

/* FNV-1a, 64 bits: enough to tell rows apart inside an id that already
 * holds their date, amount and balance. */
static uint64_t
fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	h ^= 0x1f;
	h *= 0x100000001b3ull;
	return h;
}

/* ======================================================================== */
/* import bank */

enum { B_DATE, B_IN, B_OUT, B_AMOUNT, B_DIR, B_BALANCE, B_PARTY, B_MEMO, B_SERIAL, B_NSPECS };

static const colspec bank_specs[B_NSPECS] = {
	{{"交易日期", "日期", "记账日期", "入账日期", "交易时间", "date", NULL}},
	{{"收入金额", "贷方发生额", "贷方金额", "收入", "存入金额", "贷方", "in", "credit", NULL}},
	{{"支出金额", "借方发生额", "借方金额", "支出", "支取金额", "借方", "out", "debit", NULL}},
	{{"交易金额", "发生额", "金额", "amount", NULL}},
	{{"借贷标志", "收支标志", "借贷方向", "收支", "direction", NULL}},
	{{"余额", "账户余额", "交易后余额", "当前余额", "balance", NULL}},
	{{"对方户名", "对方账户名称", "对方名称", "对方单位", "收/付方名称", "counterparty", "payee",
	  NULL}},
	{{"摘要", "用途", "附言", "备注", "交易摘要", "memo", "purpose", "remark", NULL}},
	{{"流水号", "交易流水号", "凭证号", "serial", NULL}},
};

typedef struct bank_row {
	size_t row;
	cj_date date;
	int64_t in, out, balance;
	char *party, *memo, *serial;
	const cj_bank_rule *rule;
	size_t rule_index;
	char ext[200];
	int existed;
} bank_row;

typedef struct rule_ref {
	int checked, ok;
	int64_t fund_id, project_id;
} rule_ref;

typedef struct bank_import {
	const char *path, *rules_path;
	cj_org village;
	cj_account bank;
	problems pb;
	columns cols;
	bank_row *rows;
	size_t n, cap;
	int bad_rows;
} bank_import;

/* A direction word in a 借贷标志 column: from the account holder's side,
 * 贷 (credit to the deposit) is money in. */
static cj_bank_direction
direction_word(const char *w)
{
	static const char *const in[] = {"贷", "收", "收入", "入", "存入", "C", "CR", "in", NULL};
	static const char *const out[] = {"借", "支", "支出", "出", "支取", "D", "DR", "out", NULL};

	for (int i = 0; in[i]; i++)
		if (same_name(w, in[i]))
			return CJ_BANK_IN;
	for (int i = 0; out[i]; i++)
		if (same_name(w, out[i]))
			return CJ_BANK_OUT;
	return CJ_BANK_ANY;
}

/* An amount cell: "" is zero; *ok 0 after reporting a problem. */
static int64_t
amount_cell(bank_import *bi, cj_sheet *s, int k, int *ok)
{
	char buf[128];
	const char *v = field(s, &bi->cols, k, buf, sizeof buf);
	cj_money m;
	int rc;

	if (!v[0])
		return 0;
	rc = cj_amount_parse(&m, v, bi->cols.unit[k]);
	if (rc) {
		report(&bi->pb, cj_sheet_row(s), bi->cols.title[k], v,
		       rc == CJ_EOVERFLOW ? "is too large" : "is not an amount in yuan");
		*ok = 0;
		return 0;
	}
	return m.fen;
}

static char *
join_memo(bank_import *bi, cj_sheet *s)
{
	char buf[1024], *out = NULL;
	size_t len = 0;

	for (size_t i = 0; i < cj_sheet_nfields(s) && i < MAX_COLS; i++) {
		const char *v;
		size_t n;
		char *no;
		if (bi->cols.extra[i] != B_MEMO)
			continue;
		v = trim_copy(cj_sheet_field(s, i), buf, sizeof buf);
		n = strlen(v);
		if (!n || (out && strstr(out, v)))
			continue; /* 摘要 and 用途 often say the same */
		no = realloc(out, len + n + 2);
		if (!no) {
			bi->pb.oom = 1;
			return out;
		}
		out = no;
		if (len)
			out[len++] = ' ';
		memcpy(out + len, v, n + 1);
		len += n;
	}
	return out ? out : strdup("");
}

static void
bank_row_read(bank_import *bi, cj_sheet *s)
{
	char buf[256];
	size_t row = cj_sheet_row(s);
	const char *v;
	bank_row r;
	int ok = 1;

	memset(&r, 0, sizeof r);
	r.row = row;
	v = field(s, &bi->cols, B_DATE, buf, sizeof buf);
	if (!v[0] || parse_when(v, &r.date)) {
		/* a totals line at the bottom (合计, 本页合计) has no date */
		for (size_t i = 0; i < cj_sheet_nfields(s); i++)
			if (strstr(cj_sheet_field(s, i), "合计") || strstr(cj_sheet_field(s, i), "总计"))
				return;
	}
	if (!v[0]) {
		report(&bi->pb, row, bi->cols.title[B_DATE], NULL, "is empty");
		ok = 0;
	} else if (parse_when(v, &r.date)) {
		report(&bi->pb, row, bi->cols.title[B_DATE], v,
		       "is not a date (2025-03-05, 2025/3/5, 20250305 or 2025年3月5日)");
		ok = 0;
	} else if (r.date.year * 12 + r.date.month <
		   bi->village.start.year * 12 + bi->village.start.month) {
		char p[16];
		cj_period_format(p, sizeof p, bi->village.start);
		report(&bi->pb, row, bi->cols.title[B_DATE], v,
		       "is before the books of %s start (%s)", bi->village.code, p);
		ok = 0;
	}
	if (bi->cols.at[B_IN] >= 0 && bi->cols.at[B_OUT] >= 0) {
		r.in = amount_cell(bi, s, B_IN, &ok);
		r.out = amount_cell(bi, s, B_OUT, &ok);
		if (r.out < 0)
			r.out = -r.out; /* some banks write payments as negative */
		if (ok && r.in < 0) {
			report(&bi->pb, row, bi->cols.title[B_IN], field(s, &bi->cols, B_IN, buf, sizeof buf),
			       "is negative; a payment belongs in %s", bi->cols.title[B_OUT]);
			ok = 0;
		} else if (ok && r.in && r.out) {
			report(&bi->pb, row, NULL, NULL, "has both %s and %s; a row is one or the other",
			       bi->cols.title[B_IN], bi->cols.title[B_OUT]);
			ok = 0;
		}
	} else {
		int64_t a = amount_cell(bi, s, B_AMOUNT, &ok);
		if (bi->cols.at[B_DIR] >= 0 && ok) {
			const char *w = field(s, &bi->cols, B_DIR, buf, sizeof buf);
			cj_bank_direction d = direction_word(w);
			if (d == CJ_BANK_ANY) {
				report(&bi->pb, row, bi->cols.title[B_DIR], w,
				       "is neither 借 (money out) nor 贷 (money in)");
				ok = 0;
			}
			if (a < 0)
				a = -a;
			if (d == CJ_BANK_IN)
				r.in = a;
			else
				r.out = a;
		} else if (a >= 0) {
			r.in = a;
		} else {
			r.out = -a;
		}
	}
	if (ok && !r.in && !r.out) {
		report(&bi->pb, row, NULL, NULL, "has no amount");
		ok = 0;
	}
	v = field(s, &bi->cols, B_BALANCE, buf, sizeof buf);
	if (!v[0]) {
		report(&bi->pb, row, bi->cols.title[B_BALANCE], NULL, "is empty");
		ok = 0;
	} else {
		cj_money m;
		int rc = cj_amount_parse(&m, v, bi->cols.unit[B_BALANCE]);
		if (rc) {
			report(&bi->pb, row, bi->cols.title[B_BALANCE], v, "is not an amount in yuan");
			ok = 0;
		}
		r.balance = m.fen;
	}
	if (!ok) {
		bi->bad_rows++;
		return;
	}
	r.party = strdup(field(s, &bi->cols, B_PARTY, buf, sizeof buf));
	r.serial = strdup(field(s, &bi->cols, B_SERIAL, buf, sizeof buf));
	r.memo = join_memo(bi, s);
	if (r.party && r.memo && (strlen(r.party) > 500 || strlen(r.memo) > 1000)) {
		/* the rules match these; no bank writes that much */
		report(&bi->pb, row, NULL, NULL, "has a %s over %d bytes; is this a bank statement?",
		       strlen(r.party) > 500 ? "counterparty" : "memo", strlen(r.party) > 500 ? 500 : 1000);
		bi->bad_rows++;
		free(r.party);
		free(r.serial);
		free(r.memo);
		return;
	}
	if (!r.party || !r.serial || !r.memo) {
		free(r.party);
		free(r.serial);
		free(r.memo);
		bi->pb.oom = 1;
		return;
	}
	if (bi->n == bi->cap) {
		size_t cap = bi->cap ? bi->cap * 2 : 64;
		bank_row *nr = realloc(bi->rows, cap * sizeof *nr);
		if (!nr) {
			bi->pb.oom = 1;
			free(r.party);
			free(r.serial);
			free(r.memo);
			return;
		}
		bi->rows = nr;
		bi->cap = cap;
	}
	bi->rows[bi->n++] = r;
}

/* Read the statement: the header (searched in the first rows), then every row. */
static int
bank_read(bank_import *bi, char *encoding, size_t enclen)
{
	cj_sheet *s;
	char err[512];
	int rc, header = 0;
	size_t scanned = 0;

	if (cj_sheet_open(&s, bi->path, err, sizeof err))
		return fail_msg("%s: %s", bi->path, err);
	snprintf(encoding, enclen, "%s", cj_sheet_encoding(s));
	while ((rc = cj_sheet_next(s)) == 1 && !bi->pb.oom) {
		if (!header) {
			int have_amounts;
			if (++scanned > HEADER_SCAN)
				break;
			map_columns(&bi->cols, bank_specs, B_NSPECS, s, &bi->pb, B_MEMO, 0);
			have_amounts = (bi->cols.at[B_IN] >= 0 && bi->cols.at[B_OUT] >= 0) ||
				       bi->cols.at[B_AMOUNT] >= 0;
			if (bi->cols.at[B_DATE] >= 0 && bi->cols.at[B_BALANCE] >= 0 && have_amounts) {
				header = 1;
				cj_sheet_header(s);
				if (cj_sheet_row(s) > 1)
					fprintf(stderr, "cunji: %s: the header is row %zu; the rows above it are "
							"not read\n",
						bi->path, cj_sheet_row(s));
			}
			continue;
		}
		if (row_blank(s))
			continue;
		if (bi->n + (size_t)bi->bad_rows >= MAX_ROWS) {
			cj_sheet_close(s);
			return fail_msg("%s: more than %d rows; split the statement", bi->path, MAX_ROWS);
		}
		bank_row_read(bi, s);
	}
	if (rc < 0) {
		fail_msg("%s: %s", bi->path, cj_sheet_error(s));
		cj_sheet_close(s);
		return EXIT_REFUSED;
	}
	cj_sheet_close(s);
	if (bi->pb.oom)
		return fail_msg("out of memory");
	if (!header)
		return fail_msg("%s: no header row in the first %d rows: a statement needs the columns "
				"交易日期 (date), 余额 (balance) and 收入金额/支出金额 (in/out) or 交易金额 "
				"(amount)",
				bi->path, HEADER_SCAN);
	if (!bi->n && !bi->pb.n)
		return fail_msg("%s: no rows under the header", bi->path);
	return 0;
}

/* The account's balance (debit positive) from vouchers dated before `before`
 * (or on or before `through`). */
static int
ledger_balance(cli *c, const bank_import *bi, cj_date day, int inclusive, int64_t *out)
{
	char vid[16], d[16];
	const char *params[3] = {vid, bi->bank.code, d};
	PGresult *res;

	snprintf(vid, sizeof vid, "%d", bi->village.id);
	cj_date_format(d, sizeof d, day);
	if (cj_db_exec(c->db, &res,
		       inclusive
			       ? "SELECT coalesce(sum(l.debit_fen - l.credit_fen), 0)::bigint\n"
				 "  FROM voucher_line l JOIN voucher v\n"
				 "    ON v.village_id = l.village_id AND v.id = l.voucher_id\n"
				 " WHERE l.village_id = $1 AND l.account_code = $2\n"
				 "   AND l.period <= date_trunc('month', $3::date) AND v.voucher_date <= $3::date"
			       : "SELECT coalesce(sum(l.debit_fen - l.credit_fen), 0)::bigint\n"
				 "  FROM voucher_line l JOIN voucher v\n"
				 "    ON v.village_id = l.village_id AND v.id = l.voucher_id\n"
				 " WHERE l.village_id = $1 AND l.account_code = $2\n"
				 "   AND l.period <= date_trunc('month', $3::date) AND v.voucher_date < $3::date",
		       3, params))
		return fail_db(c, NULL);
	*out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}

/* Walk the rows from opening; index of the first row whose balance breaks, or n. */
static size_t
chain_break(const bank_import *bi, int64_t opening, int reversed, int64_t *expected)
{
	int64_t bal = opening;

	for (size_t k = 0; k < bi->n; k++) {
		const bank_row *r = &bi->rows[reversed ? bi->n - 1 - k : k];
		bal += r->in - r->out;
		if (bal != r->balance) {
			*expected = bal;
			return reversed ? bi->n - 1 - k : k;
		}
	}
	return bi->n;
}

static void
make_external_ids(bank_import *bi)
{
	for (size_t i = 0; i < bi->n; i++) {
		bank_row *r = &bi->rows[i];
		char d[16], a[CJ_MONEY_FMT_MAX], b[CJ_MONEY_FMT_MAX];
		uint64_t h = fnv1a(fnv1a(fnv1a(0xcbf29ce484222325ull, r->party), r->memo), r->serial);
		int dup = 1;

		cj_date_format(d, sizeof d, r->date);
		cj_money_format(a, sizeof a, cj_money_from_fen(r->in ? r->in : -r->out), CJ_MONEY_FMT_PLAIN);
		cj_money_format(b, sizeof b, cj_money_from_fen(r->balance), CJ_MONEY_FMT_PLAIN);
		snprintf(r->ext, sizeof r->ext, "bank/%s/%s/%s%s/=%s/%016llx", bi->bank.code, d,
			 r->in ? "+" : "", a, b, (unsigned long long)h);
		/* the same row twice in one statement (possible: in, out, in again) */
		for (size_t k = 0; k < i; k++)
			if (!strncmp(bi->rows[k].ext, r->ext, strlen(r->ext)) &&
			    (bi->rows[k].ext[strlen(r->ext)] == '\0' || bi->rows[k].ext[strlen(r->ext)] == '#'))
				dup++;
		if (dup > 1) {
			size_t n = strlen(r->ext);
			snprintf(r->ext + n, sizeof r->ext - n, "#%d", dup);
		}
	}
}

/* Which rows are already posted (by external id). */
static int
mark_existing(cli *c, bank_import *bi, size_t *existing)
{
	char vid[16], *arr;
	size_t len = 3;
	const char *params[2];
	PGresult *res;

	*existing = 0;
	for (size_t i = 0; i < bi->n; i++)
		len += strlen(bi->rows[i].ext) + 3;
	arr = malloc(len);
	if (!arr)
		return fail_msg("out of memory");
	len = 0;
	arr[len++] = '{';
	for (size_t i = 0; i < bi->n; i++) {
		size_t room = strlen(bi->rows[i].ext) + 4;
		len += (size_t)snprintf(arr + len, room, "%s\"%s\"", i ? "," : "", bi->rows[i].ext);
	}
	arr[len++] = '}';
	arr[len] = '\0';
	snprintf(vid, sizeof vid, "%d", bi->village.id);
	params[0] = vid;
	params[1] = arr;
	if (cj_db_exec(c->db, &res,
		       "SELECT external_id FROM voucher WHERE village_id = $1 AND external_id = ANY($2::text[])",
		       2, params)) {
		free(arr);
		return fail_db(c, NULL);
	}
	free(arr);
	for (int t = 0; t < PQntuples(res); t++)
		for (size_t i = 0; i < bi->n; i++)
			if (!bi->rows[i].existed && !strcmp(PQgetvalue(res, t, 0), bi->rows[i].ext)) {
				bi->rows[i].existed = 1;
				(*existing)++;
				break;
			}
	PQclear(res);
	return 0;
}

/* Each rule that a row uses: its account, fund and project in this village. */
static int
check_rule(cli *c, bank_import *bi, const cj_bank_rule *rule, rule_ref *ref)
{
	cj_account a;
	int rc;

	ref->checked = 1;
	ref->ok = 1;
	rc = cj_account_find(c->db, bi->village.id, rule->account, &a);
	if (rc == CJ_ENOTFOUND || (!rc && (!a.is_leaf || !a.active || !strcmp(a.code, bi->bank.code)))) {
		report(&bi->pb, 0, NULL, NULL, "%s: line %zu: account %s %s", bi->rules_path, rule->line,
		       rule->account,
		       rc ? "is not in the chart of this village"
		       : !a.is_leaf ? "has sub-accounts; name one of them"
		       : !a.active  ? "is inactive"
				    : "is the bank account itself");
		ref->ok = 0;
	} else if (rc) {
		return fail_db(c, NULL);
	}
	if (rule->fund) {
		cj_fund_info f;
		rc = cj_fund_find(c->db, bi->village.id, rule->fund, &f);
		if (rc == CJ_ENOTFOUND) {
			report(&bi->pb, 0, NULL, NULL, "%s: line %zu: village %s has no fund %s",
			       bi->rules_path, rule->line, bi->village.code, rule->fund);
			ref->ok = 0;
		} else if (rc) {
			return fail_db(c, NULL);
		} else {
			ref->fund_id = f.id;
		}
	}
	if (rule->project) {
		cj_project_info p;
		rc = cj_project_find(c->db, bi->village.id, rule->project, &p);
		if (rc == CJ_ENOTFOUND) {
			report(&bi->pb, 0, NULL, NULL, "%s: line %zu: village %s has no project %s",
			       bi->rules_path, rule->line, bi->village.code, rule->project);
			ref->ok = 0;
		} else if (rc) {
			return fail_db(c, NULL);
		} else {
			ref->project_id = p.id;
		}
	}
	return 0;
}

static int
load_rules(const char *path, cj_bank_rules **out)
{
	char *raw = NULL, *text = NULL;
	size_t rawlen = 0, len = 0;
	int rc, status;

	*out = NULL;
	if ((status = read_small_file(path, 1u << 20, &raw, &rawlen)))
		return status;
	rc = cj_to_utf8(raw, rawlen, &text, &len, NULL);
	free(raw);
	if (rc)
		return fail_msg("%s: %s", path,
				rc == CJ_EINVAL ? "neither UTF-8 nor GBK text; save the rules as UTF-8"
						: "cannot be read as text");
	rc = cj_bank_rules_parse(out, text, len);
	free(text);
	if (rc == -2)
		return fail_msg("out of memory");
	if (rc) {
		size_t n = cj_bank_rules_nerrors(*out);
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "cunji: %s: %s\n", path, cj_bank_rules_error(*out, i));
		return fail_msg("%s: %zu error%s in the rules; nothing was imported", path, n,
				n == 1 ? "" : "s");
	}
	return 0;
}

static void
bank_free(bank_import *bi)
{
	for (size_t i = 0; i < bi->n; i++) {
		free(bi->rows[i].party);
		free(bi->rows[i].memo);
		free(bi->rows[i].serial);
	}
	free(bi->rows);
	problems_free(&bi->pb);
}

/* The statement's rows in date order: reverse a newest-first statement. */
static void
reverse_rows(bank_import *bi)
{
	for (size_t i = 0, j = bi->n ? bi->n - 1 : 0; i < j; i++, j--) {
		bank_row t = bi->rows[i];
		bi->rows[i] = bi->rows[j];
		bi->rows[j] = t;
	}
}

/* Begin the transaction the statement is checked and posted in, holding the
 * village's books still: every posting takes this lock shared (and a period
 * close exclusively), so no voucher can land between the balance check and
 * the commit, and one posted just before is waited for and then seen. */
static int
lock_books(cli *c, const bank_import *bi)
{
	char vid[16];
	const char *params[1] = {vid};

	snprintf(vid, sizeof vid, "%d", bi->village.id);
	if (cj_db_begin(c->db))
		return fail_db(c, NULL);
	if (cj_db_exec(c->db, NULL, "SELECT pg_advisory_xact_lock(4242, $1::integer)", 1, params)) {
		int status = fail_db(c, NULL);
		cj_db_rollback(c->db);
		return status;
	}
	return 0;
}

/* Check the running balance against the ledger; every failure is a problem. */
static int
check_balances(cli *c, bank_import *bi, int64_t *opening, size_t existing)
{
	char d[16], a[CJ_MONEY_FMT_MAX], b[CJ_MONEY_FMT_MAX], e[CJ_MONEY_FMT_MAX];
	cj_date first = bi->rows[0].date, last = bi->rows[bi->n - 1].date, prev = first;
	int64_t expected = 0, through = 0, fresh = 0;
	size_t at;
	int status;

	/* dates must run one way */
	for (size_t i = 1; i < bi->n; i++) {
		if (date_cmp(bi->rows[i].date, prev) < 0) {
			char p[16];
			cj_date_format(d, sizeof d, bi->rows[i].date);
			cj_date_format(p, sizeof p, prev);
			report(&bi->pb, bi->rows[i].row, bi->cols.title[B_DATE], d,
			       "comes before %s on the row above; a statement runs in date order", p);
			return 0;
		}
		prev = bi->rows[i].date;
	}
	if ((status = ledger_balance(c, bi, first, 0, opening)))
		return status;
	at = chain_break(bi, *opening, 0, &expected);
	if (at < bi->n && !date_cmp(first, bi->rows[bi->n - 1].date)) {
		/* one day only: the order is unknown; try the other way */
		int64_t other = 0;
		if (chain_break(bi, *opening, 1, &other) == bi->n) {
			reverse_rows(bi);
			at = bi->n;
		}
	}
	if (at < bi->n) {
		const bank_row *r = &bi->rows[at];
		char m[4][CJ_MONEY_FMT_MAX];
		cj_date_format(d, sizeof d, first);
		if (at == 0)
			report(&bi->pb, r->row, bi->cols.title[B_BALANCE], yuan(a, r->balance),
			       "does not follow from the ledger: %s holds %s before %s, and with this "
			       "row's %s%s that makes %s (%s is missing from the ledger or the statement)",
			       bi->bank.code, yuan(m[0], *opening), d, r->in ? "+" : "-",
			       yuan(m[1], r->in ? r->in : r->out), yuan(m[2], expected),
			       yuan(m[3], r->balance - expected));
		else
			report(&bi->pb, r->row, bi->cols.title[B_BALANCE], yuan(a, r->balance),
			       "breaks the running balance: the row above ends at %s, and %s%s makes %s",
			       yuan(m[0], bi->rows[at - 1].balance), r->in ? "+" : "-",
			       yuan(m[1], r->in ? r->in : r->out), yuan(m[2], expected));
		return 0;
	}
	/* the ledger through the last day, plus what is new, must end where the statement ends */
	last = bi->rows[bi->n - 1].date;
	if ((status = ledger_balance(c, bi, last, 1, &through)))
		return status;
	for (size_t i = 0; i < bi->n; i++)
		if (!bi->rows[i].existed)
			fresh += bi->rows[i].in - bi->rows[i].out;
	if (through + fresh != bi->rows[bi->n - 1].balance) {
		char f[16], l[16];
		cj_date_format(f, sizeof f, first);
		cj_date_format(l, sizeof l, last);
		report(&bi->pb, bi->rows[bi->n - 1].row, bi->cols.title[B_BALANCE],
		       yuan(a, bi->rows[bi->n - 1].balance),
		       "would not be the ledger's: %s would hold %s at the end of %s (%zu of the "
		       "statement's rows already posted), %s more than the statement; the ledger has "
		       "postings to %s from %s to %s that are not from this statement (posted by hand?)",
		       bi->bank.code, yuan(b, through + fresh), l, existing,
		       yuan(e, through + fresh - bi->rows[bi->n - 1].balance), bi->bank.code, f, l);
	}
	return 0;
}

/* One attempt: read, check and post the statement.  *retry set (retry not
 * NULL): the posting met a deadlock or a serialization failure, was rolled
 * back, and nothing was printed; the caller runs it again. */
static int
import_bank_once(cli *c, const cli_opts *o, int *retry)
{
	bank_import bi;
	cj_bank_rules *rules = NULL;
	rule_ref *refs = NULL;
	cj_voucher *vs = NULL;
	cj_line *lines = NULL;
	cj_posted *posted = NULL;
	char (*summaries)[400] = NULL;
	cj_poster *poster = NULL;
	const char *account = opt_get(o, "account");
	char encoding[32] = "", a[CJ_MONEY_FMT_MAX], b[CJ_MONEY_FMT_MAX];
	int64_t opening = 0, total_in = 0, total_out = 0, new_in = 0, new_out = 0;
	size_t existing = 0, unmatched = 0, nnew = 0;
	int status, dry = opt_has(o, "dry-run"), in_txn = 0;
	const char *preparer = opt_get(o, "preparer") ? opt_get(o, "preparer") : getenv("USER");

	memset(&bi, 0, sizeof bi);
	bi.path = opt_get(o, "file") ? opt_get(o, "file") : o->npos ? o->pos[0] : NULL;
	bi.rules_path = opt_get(o, "rules");
	bi.pb.file = bi.path;
	if (!bi.path || !bi.rules_path || !account)
		return usage_error(o->cmd, "--file, --rules and --account are required");
	if ((status = arg_village(c, o, &bi.village)))
		return status;
	status = cj_account_find(c->db, bi.village.id, account, &bi.bank);
	if (status == CJ_ENOTFOUND)
		return fail_msg("--account %s: village %s has no such account", account, bi.village.code);
	if (status)
		return fail_db(c, NULL);
	if (strncmp(bi.bank.code, "102", 3) || !bi.bank.is_leaf || !bi.bank.active)
		return fail_msg("--account %s %s: %s", bi.bank.code, bi.bank.name,
				strncmp(bi.bank.code, "102", 3) ? "a statement goes to a bank account (102 银行存款 "
								  "or one under it)"
				: !bi.bank.is_leaf ? "has sub-accounts; name the one this statement is for"
						   : "is inactive");
	if ((status = load_rules(bi.rules_path, &rules)))
		goto done;
	if ((status = bank_read(&bi, encoding, sizeof encoding)))
		goto done;

	/* rules: every row must match one; each rule used is checked once */
	refs = calloc(cj_bank_rules_count(rules) + 1, sizeof *refs);
	if (!refs) {
		status = fail_msg("out of memory");
		goto done;
	}
	for (size_t i = 0; i < bi.n; i++) {
		bank_row *r = &bi.rows[i];
		char d[16], amount[CJ_MONEY_FMT_MAX];
		cj_bank_row br;
		cj_date_format(d, sizeof d, r->date);
		br.date = d;
		br.amount = yuan(amount, r->in ? r->in : r->out);
		br.counterparty = r->party;
		br.memo = r->memo;
		br.direction = r->in ? CJ_BANK_IN : CJ_BANK_OUT;
		r->rule = cj_bank_rules_match(rules, &br);
		if (!r->rule) {
			report(&bi.pb, r->row, NULL, NULL,
			       "no rule matches: %s %s, 对方户名 '%s', 摘要 '%s'", r->in ? "收入" : "支出",
			       amount, r->party, r->memo);
			unmatched++;
			continue;
		}
		for (size_t k = 0; k < cj_bank_rules_count(rules); k++)
			if (cj_bank_rules_at(rules, k) == r->rule)
				r->rule_index = k;
		if (!refs[r->rule_index].checked &&
		    (status = check_rule(c, &bi, r->rule, &refs[r->rule_index])))
			goto done;
	}
	if (bi.n) {
		cj_date first = bi.rows[0].date, last = bi.rows[bi.n - 1].date;
		if (date_cmp(first, last) > 0)
			reverse_rows(&bi); /* newest first, as many banks export */
		make_external_ids(&bi);
		if ((status = lock_books(c, &bi)))
			goto done;
		in_txn = 1;
		if ((status = mark_existing(c, &bi, &existing)))
			goto done;
		if (!bi.bad_rows && (status = check_balances(c, &bi, &opening, existing)))
			goto done;
	}
	if (unmatched)
		fprintf(stderr, "cunji: %s: %zu row%s that no rule of %s matches (add rules for them)\n",
			bi.path, unmatched, unmatched == 1 ? "" : "s", bi.rules_path);
	if ((status = print_problems(&bi.pb, "imported")))
		goto done;

	/* every row is good: one voucher each */
	vs = calloc(bi.n, sizeof *vs);
	lines = calloc(2 * bi.n, sizeof *lines);
	posted = calloc(bi.n, sizeof *posted);
	summaries = calloc(bi.n, sizeof *summaries);
	if (!vs || !lines || !posted || !summaries) {
		status = fail_msg("out of memory");
		goto done;
	}
	for (size_t i = 0; i < bi.n; i++) {
		bank_row *r = &bi.rows[i];
		const rule_ref *ref = &refs[r->rule_index];
		cj_line *bank = &lines[2 * i], *other = &lines[2 * i + 1];
		char d[16], amount[CJ_MONEY_FMT_MAX];
		cj_bank_row br;
		cj_date_format(d, sizeof d, r->date);
		br.date = d;
		br.amount = yuan(amount, r->in ? r->in : r->out);
		br.counterparty = r->party;
		br.memo = r->memo;
		br.direction = r->in ? CJ_BANK_IN : CJ_BANK_OUT;
		cj_bank_summary(r->rule, &br, summaries[i], sizeof summaries[i]);
		bank->account = bi.bank.code;
		other->account = r->rule->account;
		if (r->in) {
			bank->debit = other->credit = cj_money_from_fen(r->in);
			total_in += r->in;
			new_in += r->existed ? 0 : r->in;
		} else {
			bank->credit = other->debit = cj_money_from_fen(r->out);
			total_out += r->out;
			new_out += r->existed ? 0 : r->out;
		}
		bank->counterparty = other->counterparty = r->party[0] ? r->party : NULL;
		bank->fund_id = other->fund_id = ref->fund_id;
		bank->project_id = other->project_id = ref->project_id;
		vs[i].village_id = bi.village.id;
		vs[i].date = r->date;
		vs[i].summary = summaries[i];
		vs[i].preparer = preparer;
		vs[i].attachments = 1; /* the statement */
		vs[i].external_id = r->ext;
		vs[i].kind = CJ_VOUCHER_NORMAL;
		vs[i].lines = bank;
		vs[i].nlines = 2;
		nnew += !r->existed;
	}
	if (dry) {
		printf("%s (%s): would post %zu voucher%s (%zu already imported); "
		       "%s opening %s before %04d-%02d-%02d\n",
		       bi.path, encoding, nnew, nnew == 1 ? "" : "s", existing, bi.bank.code,
		       yuan(a, opening), bi.rows[0].date.year, bi.rows[0].date.month, bi.rows[0].date.day);
		fputs("row   date       ", stdout);
		out_pad(stdout, "收入 in", 14, 1);
		out_pad(stdout, "支出 out", 15, 1);
		out_pad(stdout, "余额 balance", 15, 1);
		fputs("  account  摘要 summary\n", stdout);
		for (size_t i = 0; i < bi.n; i++) {
			const bank_row *r = &bi.rows[i];
			char d[16], m[CJ_MONEY_FMT_MAX];
			cj_date_format(d, sizeof d, r->date);
			printf("%-5zu %-10s ", r->row, d);
			out_pad(stdout, r->in ? yuan(m, r->in) : "", 14, 1);
			out_pad(stdout, r->out ? yuan(m, r->out) : "", 15, 1);
			out_pad(stdout, yuan(m, r->balance), 15, 1);
			printf("  %-8s %s%s\n", r->rule->account, summaries[i],
			       r->existed ? "  (already imported)" : "");
		}
		printf("in %s, out %s; the statement's balances agree with the ledger's %s\n",
		       yuan(a, total_in), yuan(b, total_out), bi.bank.code);
		goto done;
	}
	if (!nnew) {
		printf("%s (%s): nothing new: the %zu row%s of the statement %s already posted; "
		       "%s %s ends at %s as the statement does\n",
		       bi.path, encoding, bi.n, bi.n == 1 ? "" : "s", bi.n == 1 ? "is" : "are",
		       bi.bank.code, bi.bank.name, yuan(a, bi.rows[bi.n - 1].balance));
		goto done;
	}
	/* only the new rows: a row already posted stays as it was, even if the rules changed */
	{
		size_t k = 0;
		for (size_t i = 0; i < bi.n; i++)
			if (!bi.rows[i].existed)
				vs[k++] = vs[i];
	}
	if (cj_poster_new(&poster, c->db)) {
		status = fail_db(c, NULL);
		goto done;
	}
	cj_poster_join_transaction(poster, 1);
	if ((status = cj_post_batch(poster, vs, nnew, posted)) == 0)
		status = cj_db_commit(c->db);
	if (status == CJ_ERETRY && retry) {
		*retry = 1;
		goto done;
	}
	if (status) {
		status = fail_msg("%s: %s; nothing was imported", bi.path, cj_db_errmsg(c->db));
		goto done;
	}
	in_txn = 0;
	{
		char first[32] = "", last[32] = "", p[16];
		cj_period_format(p, sizeof p, posted[0].period);
		snprintf(first, sizeof first, "%s-%d", p, posted[0].number);
		cj_period_format(p, sizeof p, posted[nnew - 1].period);
		snprintf(last, sizeof last, "%s-%d", p, posted[nnew - 1].number);
		printf("%s (%s): posted %zu voucher%s", bi.path, encoding, nnew, nnew == 1 ? "" : "s");
		if (nnew == 1)
			printf(" (%s)", first);
		else
			printf(" (%s ... %s)", first, last);
		printf(", %zu already imported; in %s, out %s", existing, yuan(a, new_in),
		       yuan(b, new_out));
		printf("; %s %s ends at %s as the statement does\n", bi.bank.code, bi.bank.name,
		       yuan(a, bi.rows[bi.n - 1].balance));
	}
done:
	if (in_txn)
		cj_db_rollback(c->db); /* a dry run, nothing new, or a problem */
	cj_poster_free(poster);
	cj_bank_rules_free(rules);
	free(refs);
	free(vs);
	free(lines);
	free(posted);
	free(summaries);
	bank_free(&bi);
	return status;
}

/* A posting that had reserved its voucher numbers before this import took
 * the village's lock can deadlock with it (the lock is taken before the
 * numbers here, after them in a posting); PostgreSQL cancels one of the
 * two, and the import, when it is the one, reads and checks again. */
int
cmd_import_bank(cli *c, const cli_opts *o)
{
	for (int attempt = 0;; attempt++) {
		int retry = 0, status = import_bank_once(c, o, attempt < 2 ? &retry : NULL);
		if (!retry)
			return status;
	}
}

/* ======================================================================== */
/* import funds */

enum { U_DOC, U_DATE, U_KIND, U_SOURCE, U_COUNTY, U_VILLAGE, U_FUND, U_AMOUNT, U_NAME, U_PURPOSE,
       U_ALLOW_ACCTS, U_ALLOW_CATS, U_PROJECT, U_TOTAL, U_NSPECS };

static const colspec fund_specs[U_NSPECS] = {
	{{"文号", "下达文号", "文件号", "doc_no", "doc", NULL}},
	{{"日期", "下达日期", "文件日期", "doc_date", "date", NULL}},
	{{"资金类型", "资金种类", "资金类别", "kind", NULL}},
	{{"来源级次", "资金来源", "来源", "source_level", "source", NULL}},
	{{"县代码", "县", "county", NULL}},
	{{"村代码", "村", "village", NULL}},
	{{"资金代码", "资金编号", "fund", "fund_code", NULL}},
	{{"金额", "下达金额", "分配金额", "amount", NULL}},
	{{"资金名称", "名称", "name", NULL}},
	{{"用途", "资金用途", "purpose", NULL}},
	{{"允许科目", "allowed_accounts", NULL}},
	{{"允许项目类别", "allowed_categories", NULL}},
	{{"项目", "项目代码", "project", NULL}},
	{{"下达总额", "总额", "total", NULL}},
};

static const int fund_required[] = {U_DOC, U_DATE, U_KIND, U_SOURCE, U_COUNTY, U_VILLAGE, U_FUND,
				    U_AMOUNT};

typedef struct fund_row {
	size_t row;
	char *f[U_NSPECS];  /* trimmed texts */
	cj_date date;
	int64_t amount, total;
	int county_id, village_id;
	char village_name[200];
	int64_t project_id;
	size_t alloc;       /* index into allocs */
	int existed;        /* the fund is already there from this allocation */
} fund_row;

typedef struct fund_alloc {
	size_t first;       /* index of its first row */
	int64_t sum, total, existing_parts, id;
	int exists;
	size_t nrows;
} fund_alloc;

typedef struct fund_import {
	const char *path;
	problems pb;
	columns cols;
	fund_row *rows;
	size_t n, cap;
	fund_alloc *allocs;
	size_t nallocs;
} fund_import;

static const char *const source_levels[] = {"中央", "省", "市", "县", "乡", "村", "社会", NULL};

static int
valid_code(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 40)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      *s == '.' || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

/* "153、151，141" -> "153,151,141"; NULL when a part is empty after all. */
static char *
comma_list(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	if (!out)
		return NULL;
	while (*s) {
		if (*s == ',' || *s == ';' || *s == ' ') {
			s++;
			*o++ = ',';
		} else if (!strncmp(s, "\xE3\x80\x81", 3) || !strncmp(s, "\xEF\xBC\x8C", 3) ||
			   !strncmp(s, "\xEF\xBC\x9B", 3)) { /* 、 ， ； */
			s += 3;
			*o++ = ',';
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	/* squeeze repeated and outer commas */
	{
		char *r = out, *w = out;
		for (; *r; r++)
			if (*r != ',' || (w > out && w[-1] != ','))
				*w++ = *r;
		if (w > out && w[-1] == ',')
			w--;
		*w = '\0';
	}
	return out;
}

static int
fund_read(fund_import *fi, char *encoding, size_t enclen)
{
	cj_sheet *s;
	char err[512], buf[1024];
	int rc, header = 0;

	if (cj_sheet_open(&s, fi->path, err, sizeof err))
		return fail_msg("%s: %s", fi->path, err);
	snprintf(encoding, enclen, "%s", cj_sheet_encoding(s));
	while ((rc = cj_sheet_next(s)) == 1 && !fi->pb.oom) {
		fund_row r;
		if (!header) {
			char missing[400] = "";
			header = 1;
			cj_sheet_header(s);
			map_columns(&fi->cols, fund_specs, U_NSPECS, s, &fi->pb, -1, 1);
			for (size_t k = 0; k < sizeof fund_required / sizeof fund_required[0]; k++)
				if (fi->cols.at[fund_required[k]] < 0)
					snprintf(missing + strlen(missing), sizeof missing - strlen(missing),
						 "%s%s (%s)", missing[0] ? ", " : "",
						 fund_specs[fund_required[k]].names[0],
						 english(&fund_specs[fund_required[k]]));
			if (missing[0]) {
				cj_sheet_close(s);
				return fail_msg("%s: row %zu: the header lacks the column%s %s", fi->path,
						cj_sheet_row(s), strchr(missing, ',') ? "s" : "", missing);
			}
			continue;
		}
		if (row_blank(s))
			continue;
		if (fi->n >= MAX_ROWS) {
			cj_sheet_close(s);
			return fail_msg("%s: more than %d rows", fi->path, MAX_ROWS);
		}
		memset(&r, 0, sizeof r);
		r.row = cj_sheet_row(s);
		for (int k = 0; k < U_NSPECS; k++) {
			r.f[k] = strdup(field(s, &fi->cols, k, buf, sizeof buf));
			if (!r.f[k])
				fi->pb.oom = 1;
		}
		if (fi->n == fi->cap) {
			size_t cap = fi->cap ? fi->cap * 2 : 64;
			fund_row *nr = realloc(fi->rows, cap * sizeof *nr);
			if (!nr) {
				fi->pb.oom = 1;
				for (int k = 0; k < U_NSPECS; k++)
					free(r.f[k]);
				break;
			}
			fi->rows = nr;
			fi->cap = cap;
		}
		fi->rows[fi->n++] = r;
	}
	if (rc < 0) {
		fail_msg("%s: %s", fi->path, cj_sheet_error(s));
		cj_sheet_close(s);
		return EXIT_REFUSED;
	}
	cj_sheet_close(s);
	if (fi->pb.oom)
		return fail_msg("out of memory");
	if (!header)
		return fail_msg("%s: the file is empty", fi->path);
	if (!fi->n)
		return fail_msg("%s: no rows under the header", fi->path);
	return 0;
}

/* Look-ups the rows share: counties and villages by code, the fund kinds. */
typedef struct org_cache {
	char code[40];
	int found;
	cj_org org;
	char county[40]; /* a village's county */
} org_cache;

/* *out points into the cache: good until the next look-up */
static int
org_lookup(cli *c, org_cache **cache, size_t *n, const char *code, const org_cache **out)
{
	org_cache *nc;
	int rc;

	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*cache)[i].code, code)) {
			*out = &(*cache)[i];
			return 0;
		}
	nc = realloc(*cache, (*n + 1) * sizeof *nc);
	if (!nc)
		return fail_msg("out of memory");
	*cache = nc;
	nc = &nc[(*n)++];
	memset(nc, 0, sizeof *nc);
	snprintf(nc->code, sizeof nc->code, "%s", code);
	rc = cj_org_find(c->db, code, &nc->org);
	if (rc && rc != CJ_ENOTFOUND)
		return fail_db(c, NULL);
	nc->found = !rc;
	if (nc->found && nc->org.level == CJ_ORG_VILLAGE) {
		cj_org t;
		rc = cj_org_find(c->db, nc->org.parent_code, &t);
		if (rc)
			return fail_db(c, NULL);
		snprintf(nc->county, sizeof nc->county, "%s", t.parent_code);
	}
	*out = nc;
	return 0;
}

/* Checks of one row on its own and against the organisations. */
static int
fund_row_check(cli *c, fund_import *fi, fund_row *r, org_cache **orgs, size_t *norgs,
	       PGresult *kinds)
{
	const columns *cols = &fi->cols;
	const org_cache *county = NULL, *village = NULL;
	int status, kind_ok = 0;

	for (size_t k = 0; k < sizeof fund_required / sizeof fund_required[0]; k++)
		if (!r->f[fund_required[k]][0])
			report(&fi->pb, r->row, cols->title[fund_required[k]], NULL, "is empty");
	if (r->f[U_DATE][0] && parse_when(r->f[U_DATE], &r->date))
		report(&fi->pb, r->row, cols->title[U_DATE], r->f[U_DATE],
		       "is not a date (2025-03-05, 2025/3/5 or 2025年3月5日)");
	if (r->f[U_AMOUNT][0]) {
		cj_money m;
		int rc = cj_amount_parse(&m, r->f[U_AMOUNT], cols->unit[U_AMOUNT]);
		if (rc || m.fen <= 0)
			report(&fi->pb, r->row, cols->title[U_AMOUNT], r->f[U_AMOUNT],
			       rc ? "is not an amount" : "is not positive");
		else
			r->amount = m.fen;
	}
	if (r->f[U_TOTAL][0]) {
		cj_money m;
		int rc = cj_amount_parse(&m, r->f[U_TOTAL], cols->unit[U_TOTAL]);
		if (rc || m.fen <= 0)
			report(&fi->pb, r->row, cols->title[U_TOTAL], r->f[U_TOTAL],
			       rc ? "is not an amount" : "is not positive");
		else
			r->total = m.fen;
	}
	if (r->f[U_SOURCE][0]) {
		int ok = 0;
		for (int i = 0; source_levels[i]; i++)
			ok |= !strcmp(r->f[U_SOURCE], source_levels[i]);
		if (!ok)
			report(&fi->pb, r->row, cols->title[U_SOURCE], r->f[U_SOURCE],
			       "is not a source level: 中央, 省, 市, 县, 乡, 村 or 社会");
	}
	if (r->f[U_FUND][0] && !valid_code(r->f[U_FUND]))
		report(&fi->pb, r->row, cols->title[U_FUND], r->f[U_FUND],
		       "is not a fund code (1-40 letters, digits, '.', '-', '_')");
	if (r->f[U_KIND][0]) {
		for (int t = 0; t < PQntuples(kinds); t++)
			kind_ok |= !strcmp(PQgetvalue(kinds, t, 0), r->f[U_KIND]);
		if (!kind_ok) {
			char list[1024] = "";
			for (int t = 0; t < PQntuples(kinds); t++)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", t ? ", " : "",
					 PQgetvalue(kinds, t, 0));
			report(&fi->pb, r->row, cols->title[U_KIND], r->f[U_KIND],
			       "is not a fund kind; the kinds are %s", list);
		}
	}
	for (int k = U_ALLOW_ACCTS; k <= U_ALLOW_CATS; k++) {
		char *l;
		if (!r->f[k][0])
			continue;
		l = comma_list(r->f[k]);
		if (!l)
			return fail_msg("out of memory");
		free(r->f[k]);
		r->f[k] = l;
		if (k == U_ALLOW_ACCTS && strspn(l, "0123456789,") != strlen(l))
			report(&fi->pb, r->row, cols->title[k], l, "is not a list of account codes");
	}
	if (r->f[U_COUNTY][0]) {
		if ((status = org_lookup(c, orgs, norgs, r->f[U_COUNTY], &county)))
			return status;
		if (!county->found || county->org.level != CJ_ORG_COUNTY) {
			report(&fi->pb, r->row, cols->title[U_COUNTY], r->f[U_COUNTY],
			       county->found ? "is not a county" : "is not an organisation in the books");
		} else {
			r->county_id = county->org.id;
		}
		county = NULL; /* the next look-up may move the cache */
	}
	if (r->f[U_VILLAGE][0]) {
		if ((status = org_lookup(c, orgs, norgs, r->f[U_VILLAGE], &village)))
			return status;
		if (!village->found || village->org.level != CJ_ORG_VILLAGE)
			report(&fi->pb, r->row, cols->title[U_VILLAGE], r->f[U_VILLAGE],
			       village->found ? "is not a village" : "is not a village in the books");
		else if (r->county_id && strcmp(village->county, r->f[U_COUNTY]))
			report(&fi->pb, r->row, cols->title[U_VILLAGE], r->f[U_VILLAGE],
			       "is in county %s, not %s", village->county, r->f[U_COUNTY]);
		else {
			r->village_id = village->org.id;
			snprintf(r->village_name, sizeof r->village_name, "%s", village->org.name);
		}
	}
	/* a project: it must be the village's, and its category one the fund may pay for */
	if (r->f[U_PROJECT][0] && r->village_id) {
		char vid[16];
		const char *params[4] = {vid, r->f[U_PROJECT], r->f[U_KIND],
					 r->f[U_ALLOW_CATS][0] ? r->f[U_ALLOW_CATS] : NULL};
		PGresult *res;
		snprintf(vid, sizeof vid, "%d", r->village_id);
		if (cj_db_exec(c->db, &res,
			       "SELECT p.id, p.category,\n"
			       "       p.category = ANY (coalesce(string_to_array($4, ','),\n"
			       "                                  k.allowed_categories, ARRAY[p.category]))\n"
			       "       AND NOT p.category = ANY (coalesce(k.forbidden_categories, '{}'))\n"
			       "  FROM project p LEFT JOIN fund_kind k ON k.name = $3\n"
			       " WHERE p.village_id = $1 AND p.code = $2",
			       4, params))
			return fail_db(c, NULL);
		if (PQntuples(res) == 0)
			report(&fi->pb, r->row, cols->title[U_PROJECT], r->f[U_PROJECT],
			       "is not a project of village %s (add it first with 'cunji project add')",
			       r->f[U_VILLAGE]);
		else if (kind_ok && strcmp(PQgetvalue(res, 0, 2), "t"))
			report(&fi->pb, r->row, cols->title[U_PROJECT], r->f[U_PROJECT],
			       "is a %s project, which a %s fund may not pay for", PQgetvalue(res, 0, 1),
			       r->f[U_KIND]);
		else
			r->project_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		PQclear(res);
	}
	return 0;
}

/* Rows of one allocation must agree on what belongs to the allocation. */
static void
fund_group(fund_import *fi)
{
	static const int same[] = {U_DATE, U_KIND, U_SOURCE, U_TOTAL};

	for (size_t i = 0; i < fi->n; i++) {
		fund_row *r = &fi->rows[i];
		size_t g;
		if (!r->county_id || !r->f[U_DOC][0])
			continue;
		for (g = 0; g < fi->nallocs; g++) {
			const fund_row *f = &fi->rows[fi->allocs[g].first];
			if (f->county_id == r->county_id && !strcmp(f->f[U_DOC], r->f[U_DOC]))
				break;
		}
		if (g == fi->nallocs) {
			fi->allocs[g].first = i;
			fi->nallocs++;
		} else {
			const fund_row *f = &fi->rows[fi->allocs[g].first];
			for (size_t k = 0; k < sizeof same / sizeof same[0]; k++)
				if (strcmp(f->f[same[k]], r->f[same[k]]))
					report(&fi->pb, r->row, fi->cols.title[same[k]], r->f[same[k]],
					       "differs from row %zu ('%s'), of the same allocation %s", f->row,
					       f->f[same[k]], r->f[U_DOC]);
		}
		r->alloc = g;
		fi->allocs[g].sum += r->amount;
		fi->allocs[g].nrows++;
		if (r->total)
			fi->allocs[g].total = r->total;
		/* the same fund of a village twice */
		for (size_t k = 0; k < i; k++)
			if (fi->rows[k].village_id == r->village_id && r->village_id &&
			    !strcmp(fi->rows[k].f[U_FUND], r->f[U_FUND])) {
				report(&fi->pb, r->row, fi->cols.title[U_FUND], r->f[U_FUND],
				       "is also on row %zu for village %s", fi->rows[k].row, r->f[U_VILLAGE]);
				break;
			}
	}
	for (size_t g = 0; g < fi->nallocs; g++) {
		fund_alloc *a = &fi->allocs[g];
		char x[CJ_MONEY_FMT_MAX], y[CJ_MONEY_FMT_MAX];
		if (!a->total)
			a->total = a->sum;
		else if (a->total < a->sum)
			report(&fi->pb, fi->rows[a->first].row, fi->cols.title[U_TOTAL],
			       yuan(x, a->total), "is less than the %s its rows allocate",
			       yuan(y, a->sum));
	}
}

/* What the books already hold: allocations by (county, doc), funds by (village, code). */
static int
fund_against_books(cli *c, fund_import *fi)
{
	for (size_t g = 0; g < fi->nallocs; g++) {
		fund_alloc *a = &fi->allocs[g];
		const fund_row *f = &fi->rows[a->first];
		char cid[16];
		const char *params[2] = {cid, f->f[U_DOC]};
		PGresult *res;
		snprintf(cid, sizeof cid, "%d", f->county_id);
		if (cj_db_exec(c->db, &res,
			       "SELECT a.id, to_char(a.doc_date, 'YYYY-MM-DD'), a.kind, a.source_level,\n"
			       "       a.total_fen, coalesce((SELECT sum(granted_fen) FROM fund\n"
			       "                               WHERE allocation_id = a.id), 0)\n"
			       "  FROM fund_allocation a WHERE a.county_id = $1 AND a.doc_no = $2",
			       2, params))
			return fail_db(c, NULL);
		if (PQntuples(res)) {
			char d[16], x[CJ_MONEY_FMT_MAX], y[CJ_MONEY_FMT_MAX];
			a->exists = 1;
			a->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
			a->existing_parts = strtoll(PQgetvalue(res, 0, 5), NULL, 10);
			cj_date_format(d, sizeof d, f->date);
			if (strcmp(PQgetvalue(res, 0, 1), d) || strcmp(PQgetvalue(res, 0, 2), f->f[U_KIND]) ||
			    strcmp(PQgetvalue(res, 0, 3), f->f[U_SOURCE]) ||
			    strtoll(PQgetvalue(res, 0, 4), NULL, 10) != a->total)
				report(&fi->pb, f->row, fi->cols.title[U_DOC], f->f[U_DOC],
				       "is already in the books for county %s, as %s %s %s %s, not as this "
				       "file has it (%s %s %s %s)",
				       f->f[U_COUNTY], PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
				       PQgetvalue(res, 0, 3),
				       yuan(x, strtoll(PQgetvalue(res, 0, 4), NULL, 10)), d, f->f[U_KIND],
				       f->f[U_SOURCE], yuan(y, a->total));
		}
		PQclear(res);
	}
	for (size_t i = 0; i < fi->n; i++) {
		fund_row *r = &fi->rows[i];
		char vid[16];
		const char *params[2] = {vid, r->f[U_FUND]};
		PGresult *res;
		if (!r->village_id || !r->f[U_FUND][0])
			continue;
		snprintf(vid, sizeof vid, "%d", r->village_id);
		if (cj_db_exec(c->db, &res,
			       "SELECT f.allocation_id, a.doc_no, f.granted_fen, f.kind\n"
			       "  FROM fund f LEFT JOIN fund_allocation a ON a.id = f.allocation_id\n"
			       " WHERE f.village_id = $1 AND f.code = $2",
			       2, params))
			return fail_db(c, NULL);
		if (PQntuples(res)) {
			const fund_alloc *a = r->county_id ? &fi->allocs[r->alloc] : NULL;
			int ours = a && a->exists && !PQgetisnull(res, 0, 0) &&
				   strtoll(PQgetvalue(res, 0, 0), NULL, 10) == a->id;
			char x[CJ_MONEY_FMT_MAX];
			if (ours && strtoll(PQgetvalue(res, 0, 2), NULL, 10) == r->amount)
				r->existed = 1;
			else if (ours)
				report(&fi->pb, r->row, fi->cols.title[U_AMOUNT], r->f[U_AMOUNT],
				       "differs from the %s already granted to fund %s of village %s by this "
				       "allocation",
				       yuan(x, strtoll(PQgetvalue(res, 0, 2), NULL, 10)), r->f[U_FUND],
				       r->f[U_VILLAGE]);
			else
				report(&fi->pb, r->row, fi->cols.title[U_FUND], r->f[U_FUND],
				       "is already a fund of village %s (%s); fund codes are unique in a "
				       "village",
				       r->f[U_VILLAGE],
				       PQgetisnull(res, 0, 0) ? "added by hand"
							      : PQgetvalue(res, 0, 1));
		}
		PQclear(res);
	}
	/* parts of an allocation already in the books, plus the new ones */
	for (size_t g = 0; g < fi->nallocs; g++) {
		fund_alloc *a = &fi->allocs[g];
		int64_t fresh = 0;
		char x[CJ_MONEY_FMT_MAX], y[CJ_MONEY_FMT_MAX];
		if (!a->exists)
			continue;
		for (size_t i = 0; i < fi->n; i++)
			if (fi->rows[i].alloc == g && fi->rows[i].county_id && !fi->rows[i].existed)
				fresh += fi->rows[i].amount;
		if (a->existing_parts + fresh > a->total)
			report(&fi->pb, fi->rows[a->first].row, fi->cols.title[U_AMOUNT], NULL,
			       "allocation %s would grant %s, more than its %s", fi->rows[a->first].f[U_DOC],
			       yuan(x, a->existing_parts + fresh), yuan(y, a->total));
	}
	return 0;
}

static const char *
fund_name(const fund_row *r)
{
	return r->f[U_NAME][0] ? r->f[U_NAME] : r->f[U_PURPOSE][0] ? r->f[U_PURPOSE] : r->f[U_KIND];
}

/* The rows the same way `fund allocate` makes them (ledger/lib/fund.c),
 * all in the caller's transaction. */
static const char alloc_insert_sql[] =
	"INSERT INTO fund_allocation (county_id, doc_no, doc_date, name, kind, source_level, total_fen)\n"
	"VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";

static const char fund_import_sql[] =
	"INSERT INTO fund (village_id, code, name, kind, source_level, doc_no, doc_date,\n"
	"                  granted_fen, holding_account, allowed_accounts, forbidden_accounts,\n"
	"                  allowed_categories, forbidden_categories, allocation_id)\n"
	"SELECT $1, $2, $3, k.name, $5, $6, $7::date, $8, k.holding_account,\n"
	"       CASE WHEN $9::text IS NULL THEN k.allowed_accounts\n"
	"            ELSE string_to_array(nullif($9, ''), ',') END,\n"
	"       k.forbidden_accounts,\n"
	"       CASE WHEN $10::text IS NULL THEN k.allowed_categories\n"
	"            ELSE string_to_array(nullif($10, ''), ',') END,\n"
	"       k.forbidden_categories, $11::bigint\n"
	"  FROM fund_kind k WHERE k.name = $4\n"
	"RETURNING id";

static const char budget_insert_sql[] =
	"INSERT INTO project_budget (village_id, project_id, seq, source, fund_id, amount_fen)\n"
	"SELECT $1, $2, coalesce(max(seq), 0) + 1, $3, $4, $5\n"
	"  FROM project_budget WHERE village_id = $1 AND project_id = $2";

static int
fund_write(cli *c, fund_import *fi, size_t *nfunds, size_t *nbudgets, size_t *nnew_allocs)
{
	char p[11][48];
	const char *params[11];
	PGresult *res;

	for (size_t g = 0; g < fi->nallocs; g++) {
		fund_alloc *a = &fi->allocs[g];
		const fund_row *f = &fi->rows[a->first];
		if (a->exists)
			continue;
		snprintf(p[0], sizeof p[0], "%d", f->county_id);
		cj_date_format(p[1], sizeof p[1], f->date);
		snprintf(p[2], sizeof p[2], "%lld", (long long)a->total);
		params[0] = p[0];
		params[1] = f->f[U_DOC];
		params[2] = p[1];
		params[3] = f->f[U_NAME][0] ? f->f[U_NAME] : f->f[U_KIND];
		params[4] = f->f[U_KIND];
		params[5] = f->f[U_SOURCE];
		params[6] = p[2];
		if (cj_db_exec(c->db, &res, alloc_insert_sql, 7, params))
			return fail_msg("%s: row %zu: allocation %s: %s; nothing was imported", fi->path,
					f->row, f->f[U_DOC], cj_db_errmsg(c->db));
		a->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		PQclear(res);
		(*nnew_allocs)++;
	}
	for (size_t i = 0; i < fi->n; i++) {
		const fund_row *r = &fi->rows[i];
		int64_t fund_id;
		if (r->existed)
			continue;
		snprintf(p[0], sizeof p[0], "%d", r->village_id);
		cj_date_format(p[1], sizeof p[1], r->date);
		snprintf(p[2], sizeof p[2], "%lld", (long long)r->amount);
		snprintf(p[3], sizeof p[3], "%lld", (long long)fi->allocs[r->alloc].id);
		params[0] = p[0];
		params[1] = r->f[U_FUND];
		params[2] = fund_name(r);
		params[3] = r->f[U_KIND];
		params[4] = r->f[U_SOURCE];
		params[5] = r->f[U_DOC];
		params[6] = p[1];
		params[7] = p[2];
		params[8] = r->f[U_ALLOW_ACCTS][0] ? r->f[U_ALLOW_ACCTS] : NULL;
		params[9] = r->f[U_ALLOW_CATS][0] ? r->f[U_ALLOW_CATS] : NULL;
		params[10] = p[3];
		if (cj_db_exec(c->db, &res, fund_import_sql, 11, params))
			return fail_msg("%s: row %zu: fund %s of village %s: %s; nothing was imported",
					fi->path, r->row, r->f[U_FUND], r->f[U_VILLAGE], cj_db_errmsg(c->db));
		fund_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		PQclear(res);
		(*nfunds)++;
		if (r->project_id) {
			char pid[24], fid[24];
			const char *bp[5] = {p[0], pid, r->f[U_FUND], fid, p[2]};
			snprintf(pid, sizeof pid, "%lld", (long long)r->project_id);
			snprintf(fid, sizeof fid, "%lld", (long long)fund_id);
			if (cj_db_exec(c->db, NULL, budget_insert_sql, 5, bp))
				return fail_msg("%s: row %zu: project %s: %s; nothing was imported", fi->path,
						r->row, r->f[U_PROJECT], cj_db_errmsg(c->db));
			(*nbudgets)++;
		}
	}
	return 0;
}

static void
fund_free(fund_import *fi)
{
	for (size_t i = 0; i < fi->n; i++)
		for (int k = 0; k < U_NSPECS; k++)
			free(fi->rows[i].f[k]);
	free(fi->rows);
	free(fi->allocs);
	problems_free(&fi->pb);
}

int
cmd_import_funds(cli *c, const cli_opts *o)
{
	fund_import fi;
	org_cache *orgs = NULL;
	size_t norgs = 0, nfunds = 0, nbudgets = 0, nnew_allocs = 0, existed = 0;
	char encoding[32] = "", a[CJ_MONEY_FMT_MAX];
	PGresult *kinds = NULL;
	int64_t total = 0;
	int status, dry = opt_has(o, "dry-run"), in_tx = 0;

	memset(&fi, 0, sizeof fi);
	fi.path = opt_get(o, "file") ? opt_get(o, "file") : o->npos ? o->pos[0] : NULL;
	fi.pb.file = fi.path;
	if (!fi.path)
		return usage_error(o->cmd, "--file FILE is required");
	if ((status = fund_read(&fi, encoding, sizeof encoding)))
		goto done;
	if (cj_db_exec(c->db, &kinds, "SELECT name FROM fund_kind ORDER BY name", 0, NULL)) {
		status = fail_db(c, NULL);
		goto done;
	}
	for (size_t i = 0; i < fi.n; i++)
		if ((status = fund_row_check(c, &fi, &fi.rows[i], &orgs, &norgs, kinds)))
			goto done;
	fi.allocs = calloc(fi.n, sizeof *fi.allocs);
	if (!fi.allocs) {
		status = fail_msg("out of memory");
		goto done;
	}
	fund_group(&fi);
	if ((status = fund_against_books(c, &fi)))
		goto done;
	if ((status = print_problems(&fi.pb, "imported")))
		goto done;

	for (size_t i = 0; i < fi.n; i++) {
		existed += fi.rows[i].existed;
		if (!fi.rows[i].existed)
			total += fi.rows[i].amount;
	}
	/* one transaction for the file; a dry run writes it too, then rolls back, so the
	 * database's own checks have had their say */
	if (cj_db_begin(c->db)) {
		status = fail_db(c, NULL);
		goto done;
	}
	in_tx = 1;
	if ((status = fund_write(c, &fi, &nfunds, &nbudgets, &nnew_allocs)))
		goto done;
	if (dry) {
		cj_db_rollback(c->db);
		in_tx = 0;
	} else {
		if (cj_db_commit(c->db)) {
			status = fail_msg("%s: %s; nothing was imported", fi.path, cj_db_errmsg(c->db));
			goto done;
		}
		in_tx = 0;
	}
	if (!nfunds)
		printf("%s (%s): nothing new; the %zu fund%s of the file %s already in the books", fi.path,
		       encoding, existed, existed == 1 ? "" : "s", existed == 1 ? "is" : "are");
	else
		printf("%s (%s): %s %zu fund%s in %zu allocation%s (%zu new), %s in all", fi.path,
		       encoding, dry ? "would add" : "added", nfunds, nfunds == 1 ? "" : "s", fi.nallocs,
		       fi.nallocs == 1 ? "" : "s", nnew_allocs, yuan(a, total));
	if (nbudgets)
		printf("; %zu project budget%s", nbudgets, nbudgets == 1 ? "" : "s");
	if (existed && nfunds)
		printf("; %zu already imported", existed);
	putchar('\n');
	for (size_t g = 0; g < fi.nallocs; g++) {
		const fund_alloc *al = &fi.allocs[g];
		const fund_row *f = &fi.rows[al->first];
		printf("  %s %s %s: %s over %zu village%s%s\n", f->f[U_COUNTY], f->f[U_DOC],
		       f->f[U_NAME][0] ? f->f[U_NAME] : f->f[U_KIND],
		       yuan(a, al->total), al->nrows, al->nrows == 1 ? "" : "s",
		       al->exists ? " (allocation already in the books)" : "");
	}
done:
	if (in_tx)
		cj_db_rollback(c->db);
	PQclear(kinds);
	free(orgs);
	fund_free(&fi);
	return status;
}
