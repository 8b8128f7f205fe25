/*
 * bank_import.c - a bank statement posted through rules (see bank_import.h)
 *
 * The statement is read whole (a month of a village's account is a few
 * hundred rows), each row checked on its own and matched to a rule; every
 * rule a row uses is checked against the village's books once.  Then, in
 * one transaction under the village lock, the rows already posted are found
 * by their external ids, the running balance is checked against the
 * ledger, and the new rows are posted with cj_post_batch in the same
 * transaction.  Problems are collected and handed over in row order when
 * the whole file is checked; nothing is posted then.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <importers/bank_import.h>
#include <importers/bank_rules.h>
#include <importers/columns.h>
#include <importers/encoding.h>
#include <importers/field.h>
#include <ledger/account.h>
#include <ledger/fund.h>
#include <ledger/org.h>
#include <ledger/voucher.h>
#include <ledger/voucher_path.h>
#include <ledger/bank.h>
#include <ledger/i18n.h>

#include "internal.h"

#define MAX_ROWS 200000
#define HEADER_SCAN 30       /* rows searched for the header of a statement */
#define MAX_RULES_BYTES (1u << 20)

enum { B_DATE, B_IN, B_OUT, B_AMOUNT, B_DIR, B_BALANCE, B_PARTY, B_MEMO, B_SERIAL, B_NCOLS };

/* Banks name their columns in many ways; the earlier name wins when a
 * statement has two (交易日期 over 交易时间). */
static const cj_column_spec bank_columns[B_NCOLS] = {
	[B_DATE] = {{"交易日期", "日期", "记账日期", "入账日期", "交易时间", "date", NULL}, 0},
	[B_IN] = {{"收入金额", "贷方发生额", "贷方金额", "收入", "存入金额", "贷方", "in", "credit",
		   NULL},
		  CJ_COLUMN_AMOUNT},
	[B_OUT] = {{"支出金额", "借方发生额", "借方金额", "支出", "支取金额", "借方", "out", "debit",
		    NULL},
		   CJ_COLUMN_AMOUNT},
	[B_AMOUNT] = {{"交易金额", "发生额", "金额", "amount", NULL}, CJ_COLUMN_AMOUNT},
	[B_DIR] = {{"借贷标志", "收支标志", "借贷方向", "收支", "direction", NULL}, 0},
	[B_BALANCE] = {{"余额", "账户余额", "交易后余额", "当前余额", "balance", NULL},
		       CJ_COLUMN_AMOUNT},
	[B_PARTY] = {{"对方户名", "对方账户名称", "对方名称", "对方单位", "收/付方名称", "counterparty",
		      "payee", NULL},
		     0},
	[B_MEMO] = {{"摘要", "用途", "附言", "备注", "交易摘要", "memo", "purpose", "remark", NULL},
		    CJ_COLUMN_REPEATS},
	[B_SERIAL] = {{"流水号", "交易流水号", "凭证号", "serial", NULL}, 0},
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
	cj_db *db;
	const cj_bank_import_opts *o;
	cj_bank_import_result *r;
	const char *path, *name;
	int notes;              /* give notes: the first attempt */
	cj_org village;
	cj_account bank;
	cj_bank_rules *rules;
	rule_ref *refs;
	cj_problems pb;
	cj_columns cols;
	cj_buf rows;            /* of bank_row */
	size_t n;               /* rows kept */
	int bad_rows;           /* rows with problems (or the file cut short) */
	int date_system;        /* the sheet's, for dates as serials (cj_field_date_in) */
	int oom;
	int statement_only;     /* cj_bank_statement_load: no rules, no vouchers */
	cj__txn txn;
} bank_import;

static int
date_cmp(cj_date a, cj_date b)
{
	if (a.year != b.year)
		return a.year < b.year ? -1 : 1;
	if (a.month != b.month)
		return a.month < b.month ? -1 : 1;
	return a.day < b.day ? -1 : a.day > b.day;
}

static bank_row *
row_at(bank_import *bi, size_t i)
{
	return &CJ_BUF_ITEMS(&bi->rows, bank_row)[i];
}

/* ------------------------------------------------------------------------ */
/* Reading */

/* A direction word in a 借贷标志 column: from the account holder's side,
 * 贷 (credit to the deposit) is money in. */
static cj_bank_direction
direction_word(const char *w)
{
	static const char *const in[] = {"贷", "收", "收入", "入", "存入", "C", "CR", "in", NULL};
	static const char *const out[] = {"借", "支", "支出", "出", "支取", "D", "DR", "out", NULL};

	for (int i = 0; in[i]; i++)
		if (!strcasecmp(w, in[i]))
			return CJ_BANK_IN;
	for (int i = 0; out[i]; i++)
		if (!strcasecmp(w, out[i]))
			return CJ_BANK_OUT;
	return CJ_BANK_ANY;
}

/* An amount cell: "" is zero; *ok 0 after reporting a problem. */
static int64_t
amount_cell(bank_import *bi, const cj_sheet *s, int k, int *ok)
{
	char buf[128];
	const char *v = cj_columns_get(&bi->cols, s, k, buf, sizeof buf);
	cj_money m;
	int rc;

	if (!v[0])
		return 0;
	rc = cj_amount_parse(&m, v, bi->cols.unit[k]);
	if (rc) {
		cj_problems_add(&bi->pb, cj_sheet_row(s), bi->cols.title[k], v,
				rc == CJ_EOVERFLOW ? _("is too large") : _("is not an amount in yuan"));
		*ok = 0;
		return 0;
	}
	return m.fen;
}

/* The memo columns joined (摘要 and 用途 often say the same: once). */
static char *
join_memo(bank_import *bi, const cj_sheet *s)
{
	cj_buf out = CJ_BUF_INIT;

	cj__buf_puts(&out, "");
	for (size_t i = 0; i < bi->cols.nfields; i++) {
		char v[1024];
		if (bi->cols.spec_of[i] != B_MEMO)
			continue;
		cj_field_trim(v, sizeof v, cj_sheet_field(s, i));
		if (!v[0] || strstr(out.data ? out.data : "", v))
			continue;
		if (out.len)
			cj__buf_putc(&out, ' ');
		cj__buf_puts(&out, v);
	}
	if (!cj__buf_ok(&out)) {
		cj__buf_free(&out);
		return NULL;
	}
	return out.data;
}

/* In and out of a row, from 收入/支出 columns or one amount and a direction. */
static int
row_amounts(bank_import *bi, const cj_sheet *s, bank_row *r)
{
	const cj_columns *c = &bi->cols;
	size_t row = cj_sheet_row(s);
	char buf[128];
	int ok = 1;

	if (c->at[B_IN] >= 0 && c->at[B_OUT] >= 0) {
		r->in = amount_cell(bi, s, B_IN, &ok);
		r->out = amount_cell(bi, s, B_OUT, &ok);
		if (r->out < 0)
			r->out = -r->out; /* some banks write payments as negative */
		if (ok && r->in < 0) {
			cj_problems_add(&bi->pb, row, c->title[B_IN],
					cj_columns_get(c, s, B_IN, buf, sizeof buf),
					_("is negative; a payment belongs in %s"), c->title[B_OUT]);
			ok = 0;
		} else if (ok && r->in && r->out) {
			cj_problems_add(&bi->pb, row, NULL, NULL,
					_("has both %s and %s; a row is one or the other"), c->title[B_IN],
					c->title[B_OUT]);
			ok = 0;
		}
	} else {
		int64_t a = amount_cell(bi, s, B_AMOUNT, &ok);
		if (c->at[B_DIR] >= 0 && ok) {
			const char *w = cj_columns_get(c, s, B_DIR, buf, sizeof buf);
			cj_bank_direction d = direction_word(w);
			if (d == CJ_BANK_ANY) {
				cj_problems_add(&bi->pb, row, c->title[B_DIR], w,
						_("is neither 借 (money out) nor 贷 (money in)"));
				ok = 0;
			}
			if (a < 0)
				a = -a;
			if (d == CJ_BANK_IN)
				r->in = a;
			else
				r->out = a;
		} else if (a >= 0) {
			r->in = a;
		} else {
			r->out = -a;
		}
	}
	if (ok && !r->in && !r->out) {
		cj_problems_add(&bi->pb, row, NULL, NULL, _("has no amount"));
		ok = 0;
	}
	return ok;
}

/* A totals line at the bottom (合计, 本页合计) has no date. */
static int
totals_line(const cj_sheet *s)
{
	for (size_t i = 0; i < cj_sheet_nfields(s); i++)
		if (strstr(cj_sheet_field(s, i), "合计") || strstr(cj_sheet_field(s, i), "总计"))
			return 1;
	return 0;
}

static void
read_row(bank_import *bi, const cj_sheet *s)
{
	const cj_columns *c = &bi->cols;
	size_t row = cj_sheet_row(s);
	char buf[256], range[64];
	const char *v;
	bank_row r, *slot;
	int ok = 1, rc;

	memset(&r, 0, sizeof r);
	r.row = row;
	v = cj_columns_get(c, s, B_DATE, buf, sizeof buf);
	rc = v[0] ? cj_field_date_in(v, bi->date_system, &r.date) : CJ_EINVAL;
	if (rc && totals_line(s))
		return;
	if (!v[0]) {
		cj_problems_add(&bi->pb, row, c->title[B_DATE], NULL, _("is empty"));
		ok = 0;
	} else if (rc == CJ_EOVERFLOW) {
		cj_problems_add(&bi->pb, row, c->title[B_DATE], v, _("is outside the books' dates (%s)"),
				cj_books_range_text(range, sizeof range));
		ok = 0;
	} else if (rc) {
		cj_problems_add(&bi->pb, row, c->title[B_DATE], v,
				_("is not a date (2025-03-05, 2025/3/5, 20250305 or 2025年3月5日)"));
		ok = 0;
	} else if (cj_period_cmp(cj_period_of(r.date), bi->village.start) < 0) {
		char p[16];
		cj_period_format(p, sizeof p, bi->village.start);
		cj_problems_add(&bi->pb, row, c->title[B_DATE], v,
				_("is before the books of %s start (%s)"), bi->village.code, p);
		ok = 0;
	}
	if (!row_amounts(bi, s, &r))
		ok = 0;
	v = cj_columns_get(c, s, B_BALANCE, buf, sizeof buf);
	if (!v[0]) {
		cj_problems_add(&bi->pb, row, c->title[B_BALANCE], NULL, _("is empty"));
		ok = 0;
	} else {
		cj_money m;
		if (cj_amount_parse(&m, v, c->unit[B_BALANCE])) {
			cj_problems_add(&bi->pb, row, c->title[B_BALANCE], v, _("is not an amount in yuan"));
			ok = 0;
		}
		r.balance = m.fen;
	}
	if (!ok) {
		bi->bad_rows++;
		return;
	}
	r.party = strdup(cj_columns_get(c, s, B_PARTY, buf, sizeof buf));
	r.serial = strdup(cj_columns_get(c, s, B_SERIAL, buf, sizeof buf));
	r.memo = join_memo(bi, s);
	if (r.party && r.memo && (strlen(r.party) > 500 || strlen(r.memo) > 1000)) {
		/* the rules match these; no bank writes that much */
		cj_problems_add(&bi->pb, row, NULL, NULL,
				strlen(r.party) > 500
					? _("has a counterparty over %d bytes; is this a bank statement?")
					: _("has a memo over %d bytes; is this a bank statement?"),
				strlen(r.party) > 500 ? 500 : 1000);
		bi->bad_rows++;
		ok = 0;
	}
	slot = ok && r.party && r.serial && r.memo ? cj__buf_push(&bi->rows, sizeof r) : NULL;
	if (!slot) {
		bi->oom |= ok;
		free(r.party);
		free(r.serial);
		free(r.memo);
		return;
	}
	*slot = r;
	bi->n++;
}

/* The statement: its header (searched in the first rows), then every row. */
static int
read_statement(bank_import *bi)
{
	cj_sheet *s;
	char err[512], which[300];
	int rc, header = 0;
	size_t scanned = 0;

	if (cj_sheet_open_in(&s, bi->path, bi->o->sheet, err, sizeof err))
		return cj_db_fail(bi->db, CJ_EIO, "%s: %s", bi->name, err);
	snprintf(bi->r->encoding, sizeof bi->r->encoding, "%s", cj_sheet_encoding(s));
	bi->date_system = cj_sheet_date_system(s);
	while ((rc = cj_sheet_next(s)) == 1 && !bi->oom) {
		if (!header) {
			const cj_columns *c = &bi->cols;
			if (++scanned > HEADER_SCAN)
				break;
			cj_columns_find(&bi->cols, bank_columns, B_NCOLS, s, CJ_COLUMNS_PREFER, NULL);
			if (c->at[B_DATE] < 0 || c->at[B_BALANCE] < 0 ||
			    !((c->at[B_IN] >= 0 && c->at[B_OUT] >= 0) || c->at[B_AMOUNT] >= 0))
				continue;
			header = 1;
			/* again, now that this is the header, for its problems */
			cj_columns_find(&bi->cols, bank_columns, B_NCOLS, s, CJ_COLUMNS_PREFER, &bi->pb);
			cj_sheet_header(s);
			if (bi->notes) {
				char ignored[1024];
				if (cj_sheet_row(s) > 1)
					cj__note(&bi->o->cb, _("%s: the header is row %zu; the rows above it are "
							     "not read"),
						 bi->name, cj_sheet_row(s));
				cj_columns_ignored(&bi->cols, s, ignored, sizeof ignored);
				if (ignored[0])
					cj__note(&bi->o->cb, _("%s: ignoring column%s %s"), bi->name,
						 strchr(ignored, ',') ? "s" : "", ignored);
			}
			continue;
		}
		if (cj__row_blank(s))
			continue;
		if (bi->n + (size_t)bi->bad_rows >= MAX_ROWS) {
			cj_sheet_close(s);
			return cj_db_fail(bi->db, CJ_EINVAL, _("%s: more than %d rows; split the statement"),
					  bi->name, MAX_ROWS);
		}
		read_row(bi, s);
	}
	if (rc < 0) { /* the rows read so far are listed too; the balances are not checked */
		cj_problems_add(&bi->pb, 0, NULL, NULL, "%s", cj_sheet_error(s));
		bi->bad_rows++;
	}
	cj_sheet_which(s, which, sizeof which);
	cj_sheet_close(s);
	if (bi->oom)
		return cj_db_fail(bi->db, CJ_ENOMEM, _("%s: out of memory"), bi->name);
	if (rc >= 0 && !header)
		return cj_db_fail(bi->db, CJ_EINVAL,
				  _("%s: no header row in the first %d rows: a statement needs the "
				  "columns 交易日期 (date), 余额 (balance) and 收入金额/支出金额 (in/out) "
				  "or 交易金额 (amount)%s"),
				  bi->name, HEADER_SCAN, which);
	if (rc >= 0 && !bi->n && !cj_problems_count(&bi->pb))
		return cj_db_fail(bi->db, CJ_EINVAL, _("%s: no rows under the header"), bi->name);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Rules */

/* The whole rules file (small) as UTF-8 text; *text freed by the caller. */
static int
read_rules(bank_import *bi, char **text, size_t *len)
{
	const char *path = bi->o->rules;
	FILE *f = fopen(path, "rb");
	char *raw;
	size_t n;
	int rc;

	*text = NULL;
	if (!f)
		return cj_db_fail(bi->db, CJ_EIO, "%s: %s", path, strerror(errno));
	raw = malloc(MAX_RULES_BYTES + 1);
	n = raw ? fread(raw, 1, MAX_RULES_BYTES + 1, f) : 0;
	rc = !raw ? CJ_ENOMEM : ferror(f) ? CJ_EIO : n > MAX_RULES_BYTES ? CJ_EOVERFLOW : 0;
	fclose(f);
	if (!rc && (rc = cj_to_utf8(raw, n, text, len, NULL)) != 0 && rc != CJ_EINVAL)
		rc = CJ_ENOMEM;
	free(raw);
	if (!rc)
		return 0;
	return cj_db_fail(bi->db, rc, "%s: %s", path,
			  rc == CJ_ENOMEM	? _("out of memory")
			  : rc == CJ_EIO	? _("read error")
			  : rc == CJ_EOVERFLOW ? _("larger than 1024 KiB; is this a rules file?")
					       : _("neither UTF-8 nor GBK text; save the rules as UTF-8"));
}

/* The rules; their problems are the rules file's, reported at once. */
static int
load_rules(bank_import *bi)
{
	char *text;
	size_t len;
	int rc = read_rules(bi, &text, &len);

	if (rc)
		return rc;
	rc = cj_bank_rules_parse(&bi->rules, text, len);
	free(text);
	if (rc == -2)
		return cj_db_fail(bi->db, CJ_ENOMEM, _("out of memory"));
	if (rc) {
		cj_problems rp;
		size_t n = cj_bank_rules_nerrors(bi->rules);

		cj_problems_init(&rp, bi->o->rules);
		for (size_t i = 0; i < n; i++)
			cj_problems_add(&rp, 0, NULL, NULL, "%s", cj_bank_rules_error(bi->rules, i));
		rc = cj__problems_hand_over(bi->db, &rp, &bi->o->cb, &bi->r->nproblems);
		cj_problems_dispose(&rp);
		return rc;
	}
	bi->refs = calloc(cj_bank_rules_count(bi->rules) + 1, sizeof *bi->refs);
	return bi->refs ? 0 : cj_db_fail(bi->db, CJ_ENOMEM, _("out of memory"));
}

int
cj_bank_rules_check(cj_db *db, const cj_bank_import_opts *opts, size_t *nproblems)
{
	cj_bank_import_result r;
	bank_import bi;
	int rc;

	memset(&bi, 0, sizeof bi);
	memset(&r, 0, sizeof r);
	bi.db = db;
	bi.o = opts;
	bi.r = &r;
	rc = load_rules(&bi);
	cj_bank_rules_free(bi.rules);
	free(bi.refs);
	*nproblems = r.nproblems;
	return rc;
}

/* A rule that a row uses: its account, fund and project in this village. */
static int
check_rule(bank_import *bi, const cj_bank_rule *rule, rule_ref *ref)
{
	const char *rules = bi->o->rules;
	cj_account a;
	int rc;

	ref->checked = 1;
	ref->ok = 1;
	rc = cj_account_find(bi->db, bi->village.id, rule->account, &a);
	if (rc == CJ_ENOTFOUND || (!rc && (!a.is_leaf || !a.active || !strcmp(a.code, bi->bank.code)))) {
		cj_problems_add_in(&bi->pb, rules, 0,
				   rc ? _("line %zu: account %s is not in the chart of this village")
				   : !a.is_leaf ? _("line %zu: account %s has sub-accounts; name one of them")
				   : !a.active  ? _("line %zu: account %s is inactive")
						: _("line %zu: account %s is the bank account itself"),
				   rule->line, rule->account);
		ref->ok = 0;
	} else if (rc) {
		return rc;
	}
	if (rule->fund) {
		cj_fund_info f;
		rc = cj_fund_find(bi->db, bi->village.id, rule->fund, &f);
		if (rc == CJ_ENOTFOUND)
			cj_problems_add_in(&bi->pb, rules, 0, _("line %zu: village %s has no fund %s"),
					   rule->line, bi->village.code, rule->fund);
		else if (rc)
			return rc;
		ref->ok &= !rc;
		ref->fund_id = rc ? 0 : f.id;
	}
	if (rule->project) {
		cj_project_info p;
		rc = cj_project_find(bi->db, bi->village.id, rule->project, &p);
		if (rc == CJ_ENOTFOUND)
			cj_problems_add_in(&bi->pb, rules, 0, _("line %zu: village %s has no project %s"),
					   rule->line, bi->village.code, rule->project);
		else if (rc)
			return rc;
		ref->ok &= !rc;
		ref->project_id = rc ? 0 : p.id;
	}
	return 0;
}

/* What a rule sees of a row; amount is the caller's buffer. */
static cj_bank_row
rule_view(const bank_row *r, char date[16], char amount[CJ_MONEY_FMT_MAX])
{
	cj_bank_row br;

	cj_date_format(date, 16, r->date);
	br.date = date;
	br.amount = cj__yuan(amount, r->in ? r->in : r->out);
	br.counterparty = r->party;
	br.memo = r->memo;
	br.direction = r->in ? CJ_BANK_IN : CJ_BANK_OUT;
	return br;
}

/* Every row must match a rule; each rule used is checked once. */
static int
match_rows(bank_import *bi)
{
	for (size_t i = 0; i < bi->n; i++) {
		bank_row *r = row_at(bi, i);
		char d[16], amount[CJ_MONEY_FMT_MAX];
		cj_bank_row br = rule_view(r, d, amount);
		int err;

		r->rule = cj_bank_rules_match(bi->rules, &br);
		if (!r->rule) {
			cj_problems_add(&bi->pb, r->row, NULL, NULL,
					_("no rule matches: %s %s, 对方户名 '%s', 摘要 '%s'"),
					r->in ? "收入" : "支出", amount, r->party, r->memo);
			bi->r->unmatched++;
			continue;
		}
		for (size_t k = 0; k < cj_bank_rules_count(bi->rules); k++)
			if (cj_bank_rules_at(bi->rules, k) == r->rule)
				r->rule_index = k;
		if (!bi->refs[r->rule_index].checked &&
		    (err = check_rule(bi, r->rule, &bi->refs[r->rule_index])))
			return err;
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Against the ledger */

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

/* Each row's external id, from the row itself: a re-import finds it. */
static void
make_external_ids(bank_import *bi)
{
	for (size_t i = 0; i < bi->n; i++) {
		bank_row *r = row_at(bi, i);
		char d[16], a[CJ_MONEY_FMT_MAX], b[CJ_MONEY_FMT_MAX];
		uint64_t h = fnv1a(fnv1a(fnv1a(0xcbf29ce484222325ull, r->party), r->memo), r->serial);
		size_t n;
		int dup = 1;

		cj_date_format(d, sizeof d, r->date);
		cj_money_format(a, sizeof a, cj_money_from_fen(r->in ? r->in : -r->out), CJ_MONEY_FMT_PLAIN);
		cj_money_format(b, sizeof b, cj_money_from_fen(r->balance), CJ_MONEY_FMT_PLAIN);
		snprintf(r->ext, sizeof r->ext, "bank/%s/%s/%s%s/=%s/%016llx", bi->bank.code, d,
			 r->in ? "+" : "", a, b, (unsigned long long)h);
		/* the same row twice in one statement (possible: in, out, in again) */
		n = strlen(r->ext);
		for (size_t k = 0; k < i; k++) {
			const char *e = row_at(bi, k)->ext;
			if (!strncmp(e, r->ext, n) && (e[n] == '\0' || e[n] == '#'))
				dup++;
		}
		if (dup > 1)
			snprintf(r->ext + n, sizeof r->ext - n, "#%d", dup);
	}
}

/* Which rows are already posted (by external id). */
static int
mark_existing(bank_import *bi)
{
	cj_buf arr = CJ_BUF_INIT;
	char vid[16];
	const char *params[2] = {vid, NULL};
	PGresult *res;
	int err;

	cj__buf_putc(&arr, '{');
	for (size_t i = 0; i < bi->n; i++)
		cj__buf_printf(&arr, "%s\"%s\"", i ? "," : "", row_at(bi, i)->ext);
	cj__buf_putc(&arr, '}');
	if (!cj__buf_ok(&arr)) {
		cj__buf_free(&arr);
		return cj_db_fail(bi->db, CJ_ENOMEM, _("out of memory"));
	}
	snprintf(vid, sizeof vid, "%d", bi->village.id);
	params[1] = arr.data;
	err = cj_db_exec(bi->db, &res,
			 "SELECT external_id FROM voucher WHERE village_id = $1\n"
			 "   AND external_id = ANY($2::text[])",
			 2, params);
	cj__buf_free(&arr);
	if (err)
		return err;
	for (int t = 0; t < PQntuples(res); t++)
		for (size_t i = 0; i < bi->n; i++) {
			bank_row *r = row_at(bi, i);
			if (!r->existed && !strcmp(PQgetvalue(res, t, 0), r->ext)) {
				r->existed = 1;
				bi->r->existing++;
				break;
			}
		}
	PQclear(res);
	return 0;
}

/* The account's balance (debit positive) from vouchers dated before day
 * (inclusive: on or before it). */
static int
ledger_balance(bank_import *bi, cj_date day, int inclusive, int64_t *out)
{
	static const char before_sql[] =
		"SELECT coalesce(sum(l.debit_fen - l.credit_fen), 0)::bigint\n"
		"  FROM voucher_line l JOIN voucher v\n"
		"    ON v.village_id = l.village_id AND v.id = l.voucher_id\n"
		" WHERE l.village_id = $1 AND l.account_code = $2\n"
		"   AND l.period <= date_trunc('month', $3::date)\n"
		"   AND (v.voucher_date < $3::date OR ($4 AND v.voucher_date = $3::date))";
	char vid[16], d[16];
	const char *params[4] = {vid, bi->bank.code, d, inclusive ? "t" : "f"};
	PGresult *res;
	int err;

	snprintf(vid, sizeof vid, "%d", bi->village.id);
	cj_date_format(d, sizeof d, day);
	err = cj_db_exec(bi->db, &res, before_sql, 4, params);
	if (err)
		return err;
	*out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}

/* Walk the rows from opening; the index of the first row whose balance
 * breaks, or n. */
static size_t
chain_break(bank_import *bi, int64_t opening, int reversed, int64_t *expected)
{
	int64_t bal = opening;

	for (size_t k = 0; k < bi->n; k++) {
		const bank_row *r = row_at(bi, reversed ? bi->n - 1 - k : k);
		bal += r->in - r->out;
		if (bal != r->balance) {
			*expected = bal;
			return reversed ? bi->n - 1 - k : k;
		}
	}
	return bi->n;
}

/* The statement's rows in date order: reverse a newest-first statement. */
static void
reverse_rows(bank_import *bi)
{
	for (size_t i = 0, j = bi->n ? bi->n - 1 : 0; i < j; i++, j--) {
		bank_row t = *row_at(bi, i);
		*row_at(bi, i) = *row_at(bi, j);
		*row_at(bi, j) = t;
	}
}

/* The ledger through the last day, plus what is new, must end where the
 * statement ends. */
static int
check_closing(bank_import *bi)
{
	const bank_row *first = row_at(bi, 0), *last = row_at(bi, bi->n - 1);
	char f[16], l[16], a[CJ_MONEY_FMT_MAX], b[CJ_MONEY_FMT_MAX], e[CJ_MONEY_FMT_MAX];
	int64_t through = 0, fresh = 0;
	int err;

	if ((err = ledger_balance(bi, last->date, 1, &through)))
		return err;
	for (size_t i = 0; i < bi->n; i++)
		if (!row_at(bi, i)->existed)
			fresh += row_at(bi, i)->in - row_at(bi, i)->out;
	if (through + fresh == last->balance)
		return 0;
	cj_date_format(f, sizeof f, first->date);
	cj_date_format(l, sizeof l, last->date);
	cj_problems_add(&bi->pb, last->row, bi->cols.title[B_BALANCE], cj__yuan(a, last->balance),
			_("would not be the ledger's: %s would hold %s at the end of %s (%zu of the "
			"statement's rows already posted), %s more than the statement; the ledger "
			"has postings to %s from %s to %s that are not from this statement (posted "
			"by hand?)"),
			bi->bank.code, cj__yuan(b, through + fresh), l, bi->r->existing,
			cj__yuan(e, through + fresh - last->balance), bi->bank.code, f, l);
	return 0;
}

/* Check the running balance against the ledger; every failure is a problem. */
static int
check_balances(bank_import *bi)
{
	cj_date first = row_at(bi, 0)->date, prev = first;
	char d[16], a[CJ_MONEY_FMT_MAX], m[4][CJ_MONEY_FMT_MAX];
	int64_t expected = 0, *opening = &bi->r->opening_fen;
	const bank_row *r;
	size_t at;
	int err;

	/* dates must run one way */
	for (size_t i = 1; i < bi->n; i++) {
		r = row_at(bi, i);
		if (date_cmp(r->date, prev) < 0) {
			char p[16];
			cj_date_format(d, sizeof d, r->date);
			cj_date_format(p, sizeof p, prev);
			cj_problems_add(&bi->pb, r->row, bi->cols.title[B_DATE], d,
					_("comes before %s on the row above; a statement runs in date "
					"order"),
					p);
			return 0;
		}
		prev = r->date;
	}
	if ((err = ledger_balance(bi, first, 0, opening)))
		return err;
	at = chain_break(bi, *opening, 0, &expected);
	if (at < bi->n && !date_cmp(first, row_at(bi, bi->n - 1)->date)) {
		/* one day only: the order is unknown; try the other way */
		int64_t other = 0;
		if (chain_break(bi, *opening, 1, &other) == bi->n) {
			reverse_rows(bi);
			at = bi->n;
		}
	}
	if (at == bi->n)
		return check_closing(bi);
	r = row_at(bi, at);
	cj_date_format(d, sizeof d, first);
	if (at == 0)
		cj_problems_add(&bi->pb, r->row, bi->cols.title[B_BALANCE], cj__yuan(a, r->balance),
				_("does not follow from the ledger: %s holds %s before %s, and with this "
				"row's %s%s that makes %s (%s is missing from the ledger or the "
				"statement)"),
				bi->bank.code, cj__yuan(m[0], *opening), d, r->in ? "+" : "-",
				cj__yuan(m[1], r->in ? r->in : r->out), cj__yuan(m[2], expected),
				cj__yuan(m[3], r->balance - expected));
	else
		cj_problems_add(&bi->pb, r->row, bi->cols.title[B_BALANCE], cj__yuan(a, r->balance),
				_("breaks the running balance: the row above ends at %s, and %s%s makes "
				"%s"),
				cj__yuan(m[0], row_at(bi, at - 1)->balance), r->in ? "+" : "-",
				cj__yuan(m[1], r->in ? r->in : r->out), cj__yuan(m[2], expected));
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Posting */

/* The result's rows and totals: every row, new or not. */
static int
fill_result(bank_import *bi)
{
	cj_bank_import_result *res = bi->r;

	res->rows = calloc(bi->n ? bi->n : 1, sizeof *res->rows);
	if (!res->rows)
		return cj_db_fail(bi->db, CJ_ENOMEM, _("out of memory"));
	res->nrows = bi->n;
	for (size_t i = 0; i < bi->n; i++) {
		const bank_row *r = row_at(bi, i);
		cj_bank_import_row *o = &res->rows[i];
		char d[16], amount[CJ_MONEY_FMT_MAX];
		cj_bank_row br = rule_view(r, d, amount);

		o->row = r->row;
		o->date = r->date;
		o->in_fen = r->in;
		o->out_fen = r->out;
		o->balance_fen = r->balance;
		o->existed = r->existed;
		snprintf(o->account, sizeof o->account, "%s", r->rule->account);
		cj_bank_summary(r->rule, &br, o->summary, sizeof o->summary);
		res->in_fen += r->in;
		res->out_fen += r->out;
		if (!r->existed) {
			res->new_in_fen += r->in;
			res->new_out_fen += r->out;
			res->posted++;
		}
	}
	return 0;
}

/* One voucher per new row, posted in the import's transaction (where review
 * is required, saved as drafts of one batch: cj_voucher_submit).  A row
 * already posted stays as it was, even if the rules changed since. */
static int
post_rows(bank_import *bi)
{
	cj_bank_import_result *res = bi->r;
	size_t nnew = res->posted, k = 0;
	cj_voucher *vs = calloc(nnew + 1, sizeof *vs);
	cj_line *lines = calloc(2 * nnew + 1, sizeof *lines);
	cj_submitted *posted = calloc(nnew + 1, sizeof *posted);
	cj_poster *poster = NULL;
	int err = 0;

	if (!vs || !lines || !posted)
		err = cj_db_fail(bi->db, CJ_ENOMEM, _("out of memory"));
	for (size_t i = 0; i < bi->n && !err; i++) {
		const bank_row *r = row_at(bi, i);
		const rule_ref *ref = &bi->refs[r->rule_index];
		cj_line *bank = &lines[2 * k], *other = &lines[2 * k + 1];

		if (r->existed)
			continue;
		bank->account = bi->bank.code;
		other->account = r->rule->account;
		if (r->in)
			bank->debit = other->credit = cj_money_from_fen(r->in);
		else
			bank->credit = other->debit = cj_money_from_fen(r->out);
		bank->counterparty = other->counterparty = r->party[0] ? r->party : NULL;
		bank->fund_id = other->fund_id = ref->fund_id;
		bank->project_id = other->project_id = ref->project_id;
		vs[k].village_id = bi->village.id;
		vs[k].date = r->date;
		vs[k].summary = res->rows[i].summary;
		vs[k].preparer = bi->o->preparer;
		vs[k].attachments = 1; /* the statement */
		vs[k].external_id = r->ext;
		vs[k].kind = CJ_VOUCHER_NORMAL;
		vs[k].lines = bank;
		vs[k].nlines = 2;
		k++;
	}
	if (!err)
		err = cj_poster_new(&poster, bi->db);
	if (!err) {
		cj_poster_join_transaction(poster, 1);
		err = cj_voucher_submit(poster, vs, nnew, posted);
	}
	if (!err && nnew && posted[0].draft_id) {
		res->batch_id = posted[0].batch_id;
		snprintf(res->first, sizeof res->first, "草稿%lld", (long long)posted[0].draft_id);
		snprintf(res->last, sizeof res->last, "草稿%lld",
			 (long long)posted[nnew - 1].draft_id);
	} else if (!err && nnew) {
		char p[16];
		cj_period_format(p, sizeof p, posted[0].posted.period);
		snprintf(res->first, sizeof res->first, "%s-%d", p, posted[0].posted.number);
		cj_period_format(p, sizeof p, posted[nnew - 1].posted.period);
		snprintf(res->last, sizeof res->last, "%s-%d", p, posted[nnew - 1].posted.number);
	}
	cj_poster_free(poster);
	free(vs);
	free(lines);
	free(posted);
	return err;
}

/* ------------------------------------------------------------------------ */

static void
release(bank_import *bi)
{
	cj__txn_rollback(&bi->txn);
	for (size_t i = 0; i < bi->n; i++) {
		free(row_at(bi, i)->party);
		free(row_at(bi, i)->memo);
		free(row_at(bi, i)->serial);
	}
	cj__buf_free(&bi->rows);
	bi->n = 0;
	cj_bank_rules_free(bi->rules);
	bi->rules = NULL;
	free(bi->refs);
	bi->refs = NULL;
	cj_problems_dispose(&bi->pb);
}

/* One attempt: read, check and post the statement. */
static int
attempt(bank_import *bi)
{
	cj_bank_import_result *res = bi->r;
	int err;

	cj_problems_init(&bi->pb, bi->name);
	if ((err = load_rules(bi)) || (err = read_statement(bi)) || (err = match_rows(bi)))
		return err;
	cj__progress(&bi->o->cb, "checking", 1, 3);
	if (bi->n) {
		if (date_cmp(row_at(bi, 0)->date, row_at(bi, bi->n - 1)->date) > 0)
			reverse_rows(bi); /* newest first, as many banks export */
		make_external_ids(bi);
		if ((err = cj__txn_begin(&bi->txn, bi->db)) ||
		    (err = cj_village_lock(bi->db, bi->village.id, 1)) || (err = mark_existing(bi)))
			return err;
		if (!bi->bad_rows && (err = check_balances(bi)))
			return err;
	}
	if (res->unmatched)
		cj__note(&bi->o->cb, _("%s: %zu row%s that no rule of %s matches (add rules for them)"),
			 bi->name, res->unmatched, res->unmatched == 1 ? "" : "s", bi->o->rules);
	if ((err = cj__problems_hand_over(bi->db, &bi->pb, &bi->o->cb, &res->nproblems)) ||
	    (err = fill_result(bi)))
		return err;
	cj__progress(&bi->o->cb, "posting", 2, 3);
	if (res->posted && (err = post_rows(bi)))
		return err;
	return cj__txn_finish(&bi->txn, !bi->o->dry_run && res->posted);
}

/* The village and its bank account, once for every attempt. */
static int
find_account(bank_import *bi)
{
	const cj_bank_import_opts *o = bi->o;
	cj_account *a = &bi->bank;
	int err;

	if (!o->village || !o->account || (!o->rules && !bi->statement_only))
		return cj_db_fail(bi->db, CJ_EINVAL, _("a bank import needs the village, the account "
						     "and the rules"));
	if ((err = cj_village_find(bi->db, o->village, &bi->village)))
		return err;
	{
		char code[16];
		/* by name too: 银行存款-农商行 */
		if ((err = cj_account_resolve(bi->db, bi->village.id, o->account, code, sizeof code)))
			return err;
		err = cj_account_find(bi->db, bi->village.id, code, a);
	}
	if (err == CJ_ENOTFOUND)
		return cj_db_fail(bi->db, err, _("account %s: village %s has no such account"), o->account,
				  bi->village.code);
	if (err)
		return err;
	if (strncmp(a->code, "102", 3) || !a->is_leaf || !a->active)
		return cj_db_fail(bi->db, CJ_EINVAL,
				  strncmp(a->code, "102", 3)
					  ? _("account %s %s: a statement goes to a bank account (102 银行存款 "
					      "or one under it)")
				  : !a->is_leaf ? _("account %s %s has sub-accounts; name the one this "
						    "statement is for")
						: _("account %s %s is inactive"),
				  a->code, a->name);
	snprintf(bi->r->account, sizeof bi->r->account, "%s", a->code);
	snprintf(bi->r->account_name, sizeof bi->r->account_name, "%s", a->name);
	return 0;
}

int
cj_import_bank(cj_db *db, const char *path, const cj_bank_import_opts *opts,
	       cj_bank_import_result *result)
{
	bank_import bi;
	int err, own = PQtransactionStatus(cj_db_conn(db)) == PQTRANS_IDLE;

	memset(result, 0, sizeof *result);
	memset(&bi, 0, sizeof bi);
	bi.db = db;
	bi.o = opts;
	bi.r = result;
	bi.path = path;
	bi.name = opts->name ? opts->name : path;
	if ((err = find_account(&bi)))
		return err;
	/* A posting that had reserved its voucher numbers before this import
	 * took the village's lock can deadlock with it (the lock is taken before
	 * the numbers here, after them in a posting); PostgreSQL cancels one of
	 * the two, and the import, when it is the one, reads and checks again. */
	for (;;) {
		cj_bank_import_result keep;

		bi.notes = !result->attempts++;
		err = attempt(&bi);
		release(&bi);
		if (err != CJ_ERETRY || !own || result->attempts >= 3)
			break;
		keep = *result;
		cj_bank_import_result_dispose(result);
		memset(result, 0, sizeof *result);
		memcpy(result->account, keep.account, sizeof result->account);
		memcpy(result->account_name, keep.account_name, sizeof result->account_name);
		result->attempts = keep.attempts;
	}
	/* say which file; the problems' summary and a retry left to the caller do */
	if (err && !(err == CJ_EINVAL && result->nproblems) && !(err == CJ_ERETRY && !own) &&
	    strncmp(cj_db_errmsg(db), opts->rules, strlen(opts->rules)))
		cj__fail_file(db, err, bi.name);
	return err;
}

void
cj_bank_import_result_dispose(cj_bank_import_result *result)
{
	if (!result)
		return;
	free(result->rows);
	result->rows = NULL;
	result->nrows = 0;
}

/* ------------------------------------------------------------------------ */
/* The statement kept for reconciliation (银行存款余额调节表), read as above */

/* Each row's balance follows from the row before it. */
static void
check_chain(bank_import *bi)
{
	for (size_t k = 1; k < bi->n; k++) {
		const bank_row *a = row_at(bi, k - 1), *b = row_at(bi, k);
		char want[CJ_MONEY_FMT_MAX], got[CJ_MONEY_FMT_MAX];
		if (a->balance + b->in - b->out == b->balance)
			continue;
		cj_problems_add(&bi->pb, b->row, bi->cols.title[B_BALANCE], cj__yuan(got, b->balance),
				_("does not follow from the row before (%s, which with this row's "
				  "amounts gives %s): is a row missing?"),
				cj__yuan(want, a->balance), cj__yuan(want, a->balance + b->in - b->out));
	}
}

static int
keep_lines(bank_import *bi, cj_bank_statement_result *r)
{
	cj_bank_line *lines = calloc(bi->n + 1, sizeof *lines);
	char **texts = calloc(bi->n + 1, sizeof *texts);
	int err = 0;

	if (!lines || !texts) {
		err = cj_db_fail(bi->db, CJ_ENOMEM, _("out of memory"));
		goto done;
	}
	for (size_t i = 0; i < bi->n && !err; i++) {
		const bank_row *b = row_at(bi, i);
		size_t len = strlen(b->party) + strlen(b->memo) + 2;
		if (!(texts[i] = malloc(len))) {
			err = cj_db_fail(bi->db, CJ_ENOMEM, _("out of memory"));
			break;
		}
		snprintf(texts[i], len, "%s%s%s", b->party, *b->party && *b->memo ? " " : "", b->memo);
		if (strlen(texts[i]) > 390) { /* the table keeps 400 characters; cut on a character */
			size_t cut = 390;
			while (cut > 0 && ((unsigned char)texts[i][cut] & 0xC0) == 0x80)
				cut--;
			texts[i][cut] = '\0';
		}
		lines[i] = (cj_bank_line){b->date, b->in, b->out, b->balance, texts[i], b->ext};
		r->in_fen += b->in;
		r->out_fen += b->out;
	}
	if (!err && !(err = cj__txn_begin(&bi->txn, bi->db)) &&
	    !(err = cj_bank_statement_add(bi->db, bi->village.id, bi->bank.code, bi->name, lines, bi->n,
					  &r->added)))
		err = cj__txn_finish(&bi->txn, !bi->o->dry_run && r->added);
done:
	for (size_t i = 0; texts && i < bi->n; i++)
		free(texts[i]);
	free(texts);
	free(lines);
	return err;
}

int
cj_bank_statement_load(cj_db *db, const char *path, const cj_bank_import_opts *opts,
		       cj_bank_statement_result *r)
{
	cj_bank_import_result scratch;
	bank_import bi;
	int err;

	memset(r, 0, sizeof *r);
	memset(&scratch, 0, sizeof scratch);
	memset(&bi, 0, sizeof bi);
	bi.db = db;
	bi.o = opts;
	bi.r = &scratch;
	bi.path = path;
	bi.name = opts->name ? opts->name : path;
	bi.notes = 1;
	bi.statement_only = 1;
	if ((err = find_account(&bi)))
		return err;
	snprintf(r->account, sizeof r->account, "%s", scratch.account);
	snprintf(r->account_name, sizeof r->account_name, "%s", scratch.account_name);
	cj_problems_init(&bi.pb, bi.name);
	err = read_statement(&bi);
	snprintf(r->encoding, sizeof r->encoding, "%s", scratch.encoding);
	if (!err && bi.n) {
		if (date_cmp(row_at(&bi, 0)->date, row_at(&bi, bi.n - 1)->date) > 0)
			reverse_rows(&bi); /* newest first, as many banks export */
		make_external_ids(&bi);
		check_chain(&bi);
		cj_date_format(r->first, sizeof r->first, row_at(&bi, 0)->date);
		cj_date_format(r->last, sizeof r->last, row_at(&bi, bi.n - 1)->date);
	}
	r->lines = bi.n;
	if (!err)
		err = cj__problems_hand_over(db, &bi.pb, &opts->cb, &r->nproblems);
	if (!err)
		err = keep_lines(&bi, r);
	release(&bi);
	cj_bank_import_result_dispose(&scratch);
	if (err && !(err == CJ_EINVAL && r->nproblems))
		cj__fail_file(db, err, bi.name);
	return err;
}
