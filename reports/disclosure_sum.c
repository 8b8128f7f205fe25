/*
 * disclosure_sum.c - the township (乡镇级) and county (县级) sheets
 *
 * Both are built only from the villages' figure records (disclosure_
 * internal.h), never from queries of their own over the ledger: a village's
 * row on the township sheet is its record, a township's row on the county
 * sheet is the sum of its villages' records, which is what its own sheet's
 * total row shows.  Only the names of the county's allocation documents
 * are read here (a reference table).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ledger/grow.h>
#include <ledger/sql.h>
#include <ledger/i18n.h>

#include "disclosure_internal.h"

/* $1 county code: its allocation documents, by source level then date */
static const char allocations_sql[] =
	"SELECT a.id, a.doc_no, a.name, a.source_level, a.total_fen\n"
	"  FROM fund_allocation a JOIN org c ON c.id = a.county_id\n"
	" WHERE c.code = $1\n"
	" ORDER BY array_position('{中央,省,市,县,乡,村,社会}'::text[], a.source_level),\n"
	"          a.doc_date, a.doc_no";

typedef struct alloc {
	int64_t id, total_fen;
	char doc_no[80], name[DIS_NAME], source[16];
} alloc;

typedef struct sctx {
	cj_db *db;
	cj_report *r;
	int err;
	alloc *allocs;
	size_t nallocs;
} sctx;

static int
soom(sctx *c)
{
	if (!c->err)
		c->err = cj_db_fail(c->db, CJ_ENOMEM, _("out of memory building a summary sheet"));
	return c->err;
}

static const char *
money(char buf[CJ_MONEY_FMT_MAX], int64_t fen)
{
	cj_money_format(buf, CJ_MONEY_FMT_MAX, cj_money_from_fen(fen), CJ_MONEY_FMT_GROUPED);
	return buf;
}

static int
load_allocations(sctx *c, const char *county_code)
{
	const char *params[1] = {county_code};
	PGresult *res;
	int err = cj_db_exec_prepared(c->db, &res, allocations_sql, 1, params);

	if (err)
		return c->err = err;
	c->nallocs = (size_t)PQntuples(res);
	c->allocs = calloc(c->nallocs ? c->nallocs : 1, sizeof *c->allocs);
	if (!c->allocs) {
		PQclear(res);
		return soom(c);
	}
	for (size_t i = 0; i < c->nallocs; i++) {
		alloc *a = &c->allocs[i];

		a->id = strtoll(PQgetvalue(res, (int)i, 0), NULL, 10);
		snprintf(a->doc_no, sizeof a->doc_no, "%s", PQgetvalue(res, (int)i, 1));
		snprintf(a->name, sizeof a->name, "%s", PQgetvalue(res, (int)i, 2));
		snprintf(a->source, sizeof a->source, "%s", PQgetvalue(res, (int)i, 3));
		a->total_fen = strtoll(PQgetvalue(res, (int)i, 4), NULL, 10);
	}
	PQclear(res);
	return 0;
}

static int
col(sctx *c, cj_table *t, const char *group, const char *title, cj_col_type type, int width)
{
	if (cj_table_column(c->r, t, group, title, type, width))
		return soom(c);
	return 0;
}

static long
row_text(sctx *c, cj_table *t, cj_row_kind kind, const char *text)
{
	long row = cj_table_row(c->r, t, kind, 0);

	if (row < 0 || cj_table_text(c->r, t, row, 0, "%s", text)) {
		soom(c);
		return -1;
	}
	return row;
}

static long
sum_rows(sctx *c, cj_table *t, cj_row_kind kind, const char *label, long first)
{
	long row = cj_table_total(c->r, t, kind, 0, label, first, (long)t->nrows - 1);

	if (row < 0)
		soom(c);
	return row;
}

/*
 * The figures every summary repeats, after the unit's name, in two tables
 * so that each fits an A4 page: money (收支 and 专项资金), then projects.
 */
static int
money_columns(sctx *c, cj_table *t)
{
	return col(c, t, "本期收支", "收入", CJ_COL_MONEY, 14) ||
	       col(c, t, "本期收支", "支出", CJ_COL_MONEY, 14) ||
	       col(c, t, "本期收支", "集体经营性收入", CJ_COL_MONEY, 14) ||
	       col(c, t, "专项资金", "期初结存", CJ_COL_MONEY, 14) ||
	       col(c, t, "专项资金", "本期收到", CJ_COL_MONEY, 14) ||
	       col(c, t, "专项资金", "本期支出", CJ_COL_MONEY, 14) ||
	       col(c, t, "专项资金", "期末结存", CJ_COL_MONEY, 14);
}

static void
money_cells(cj_table *t, long row, size_t first, const dis_figures *f)
{
	int64_t v[7] = {f->income_fen, f->expense_fen, f->operating_fen, f->fund_open_fen,
			f->fund_in_fen, f->fund_out_fen, f->fund_left_fen};

	for (size_t i = 0; i < 7; i++)
		cj_table_number(t, row, first + i, v[i]);
}

static int
project_columns(sctx *c, cj_table *t)
{
	return col(c, t, NULL, "项目个数", CJ_COL_INT, 8) || col(c, t, NULL, "已验收", CJ_COL_INT, 6) ||
	       col(c, t, NULL, "资金规模", CJ_COL_MONEY, 15) ||
	       col(c, t, NULL, "累计支付", CJ_COL_MONEY, 15) ||
	       col(c, t, NULL, "支付进度", CJ_COL_PERCENT, 8);
}

/* paid / budget in tenths of a percent (97.0%), rounded */
static int
progress_text(sctx *c, cj_table *t, long row, size_t col_, int64_t paid, int64_t budget)
{
	int64_t permille = budget > 0 ? (paid * 1000 + budget / 2) / budget : 0;

	(void)c;
	if (budget > 0)
		cj_table_number(t, row, col_, permille);
	return 0;
}

static int
project_cells(sctx *c, cj_table *t, long row, size_t first, const dis_figures *f)
{
	cj_table_number(t, row, first, f->projects);
	cj_table_number(t, row, first + 1, f->projects_accepted);
	cj_table_number(t, row, first + 2, f->project_budget_fen);
	cj_table_number(t, row, first + 3, f->project_paid_fen);
	return progress_text(c, t, row, first + 4, f->project_paid_fen, f->project_budget_fen);
}

/* The progress of a total row's projects. */
static int
project_total(sctx *c, cj_table *t, size_t first)
{
	long row = cj_table_total(c->r, t, CJ_ROW_TOTAL, 0, "合计", 0, (long)t->nrows - 1);

	if (row < 0)
		return soom(c);
	return progress_text(c, t, row, first + 4, t->rows[row].cells[first + 3].value,
			     t->rows[row].cells[first + 2].value);
}

static int
fx_columns(sctx *c, cj_table *t)
{
	return col(c, t, NULL, "期初结存", CJ_COL_MONEY, 14) ||
	       col(c, t, NULL, "本期收到", CJ_COL_MONEY, 14) ||
	       col(c, t, NULL, "本期支出", CJ_COL_MONEY, 14) ||
	       col(c, t, NULL, "期末结存", CJ_COL_MONEY, 14) ||
	       col(c, t, NULL, "救助户次", CJ_COL_INT, 8) ||
	       col(c, t, NULL, "救助金额", CJ_COL_MONEY, 14);
}

static int
fx_any(const dis_figures *f)
{
	return f->fx_open_fen || f->fx_in_fen || f->fx_out_fen || f->fx_left_fen || f->aid_count ||
	       f->aid_fen;
}

static void
fx_cells(cj_table *t, long row, size_t first, const dis_figures *f)
{
	int64_t v[6] = {f->fx_open_fen, f->fx_in_fen, f->fx_out_fen, f->fx_left_fen, f->aid_count,
			f->aid_fen};

	for (size_t i = 0; i < 6; i++)
		cj_table_number(t, row, first + i, v[i]);
}

/*
 * 专项资金分配及使用: one group per county allocation (by source, then
 * document), a row per unit (village or township) that has a part of it,
 * then the funds of the villages' own (not allocated by the county).
 * county: the units are townships and a 村数 column is shown.
 */
typedef struct unit {
	const char *name;
	const dis_part *parts;
	size_t nparts;
} unit;

static int
fund_part_row(sctx *c, cj_table *t, const unit *u, const dis_part *p, int county)
{
	long row = cj_table_row(c->r, t, CJ_ROW_DATA, 1);
	size_t k = 2;

	if (row < 0 || cj_table_text(c->r, t, row, 0, "%s", u->name) ||
	    cj_table_text(c->r, t, row, 1, "%s", p->allocation_id ? p->fund_name :
						   county ? "各村自有及其他资金" : p->fund_name))
		return soom(c);
	if (county)
		cj_table_number(t, row, k++, p->villages);
	cj_table_number(t, row, k++, p->granted_fen);
	cj_table_number(t, row, k++, p->received_fen);
	cj_table_number(t, row, k++, p->spent_fen);
	cj_table_number(t, row, k, p->received_fen - p->spent_fen);
	return 0;
}

static int
build_fund_table(sctx *c, const unit *units, size_t nunits, int county)
{
	cj_table *t = cj_report_table(c->r, "专项资金分配及使用", 0);
	char buf[CJ_MONEY_FMT_MAX], text[512];

	if (!t || col(c, t, NULL, county ? "乡镇" : "村", CJ_COL_TEXT, 14) ||
	    col(c, t, NULL, "资金名称", CJ_COL_TEXT, 30) ||
	    (county && col(c, t, NULL, "村次", CJ_COL_INT, 5)) ||
	    col(c, t, NULL, "分配金额", CJ_COL_MONEY, 15) ||
	    col(c, t, NULL, "累计到位", CJ_COL_MONEY, 15) ||
	    col(c, t, NULL, "累计支出", CJ_COL_MONEY, 15) ||
	    col(c, t, NULL, "结余", CJ_COL_MONEY, 15))
		return soom(c);
	/* allocations, then (index nallocs) the villages' own funds */
	for (size_t a = 0; a <= c->nallocs && !c->err; a++) {
		int64_t id = a < c->nallocs ? c->allocs[a].id : 0;
		long head = -1;

		for (size_t u = 0; u < nunits && !c->err; u++)
			for (size_t i = 0; i < units[u].nparts; i++) {
				if (units[u].parts[i].allocation_id != id)
					continue;
				if (head < 0) {
					if (id)
						snprintf(text, sizeof text, "【%s】%s %s，县级下达%s元",
							 c->allocs[a].source, c->allocs[a].doc_no,
							 c->allocs[a].name, money(buf, c->allocs[a].total_fen));
					else
						snprintf(text, sizeof text, "村级自有及其他资金（非县级下达）");
					if ((head = row_text(c, t, CJ_ROW_HEADING, text)) < 0)
						break;
				}
				if (fund_part_row(c, t, &units[u], &units[u].parts[i], county))
					break;
			}
		if (head >= 0 && !c->err)
			sum_rows(c, t, CJ_ROW_SUBTOTAL, "小计", head + 1);
	}
	if (!c->err && !t->nrows)
		row_text(c, t, CJ_ROW_HEADING, "本期无专项资金");
	if (!c->err)
		sum_rows(c, t, CJ_ROW_TOTAL, "合计", 0);
	return c->err;
}

static int
notes_and_signatures(sctx *c, const dis_org *o, cj_date posted, const char *const *who, size_t n)
{
	if (cj_report_note(c->r, "本表各村（乡镇）数字取自其财务公开表；集体经营性收入为经营收入与投资收益之和；"
			   "专项资金收到、支出为记入库存现金、银行存款并标明该项资金的款项。") ||
	    cj__dis_common_notes(c->r, o, posted))
		return soom(c);
	for (size_t i = 0; i < n; i++)
		if (cj_report_signature(c->r, who[i]))
			return soom(c);
	return 0;
}

static int
title_block(sctx *c, const dis_org *o, const dis_period *p, cj_date posted, const char *what,
	    long unclosed)
{
	char from[32], to[32], day[32];

	cj__dis_date_cn(from, sizeof from, p->from);
	cj__dis_date_cn(to, sizeof to, p->to);
	cj__dis_date_cn(day, sizeof day, posted);
	if (cj__dis_unclosed_line(c->r, p, 0, unclosed) ||
	    cj_report_subtitle(c->r, "公开单位：%s%s",
			       o->level == CJ_ORG_TOWNSHIP ? o->county_name : "", o->name) ||
	    cj_report_subtitle(c->r, "公开期间：%s至%s（%s）", from, to, p->label) ||
	    cj_report_subtitle(c->r, "公开日期：%s　　%s", day, what))
		return soom(c);
	return 0;
}

/* Which villages' books are open, under a 未结账 summary: a township names
 * its villages (v), a county counts them per township (ts). */
static int
unclosed_note(sctx *c, const dis_period *p, const dis_figures *v, const dis_township_sum *ts,
	      size_t n)
{
	size_t size = 64 + n * (DIS_NAME + 32), len = 0;
	char *s;
	int err = 0;

	if (!(s = malloc(size)))
		return soom(c);
	s[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const char *sep = len ? "、" : "";

		if (v && v[i].open_from)
			len += (size_t)snprintf(s + len, size - len, "%s%s（%d年%d月起）", sep, v[i].name,
						p->year, v[i].open_from);
		else if (ts && ts[i].unclosed)
			len += (size_t)snprintf(s + len, size - len, "%s%s%ld个村", sep, ts[i].name,
						ts[i].unclosed);
	}
	if (len && cj_report_note(c->r, "本期尚未结账的村：%s%s。", s, ts ? "（名单见各乡镇汇总表）" : ""))
		err = soom(c);
	free(s);
	return err;
}

static int
finish(sctx *c, const dis_org *o, const dis_period *p, const cj_dis_digest *digest,
       const char *stamp, const cj_anchor *anchor)
{
	char subject[3 * DIS_NAME + 64], qr[DIS_QR_MAX + 1];

	if (cj_report_check(c->r, subject, sizeof subject))
		return c->err = cj_db_fail(c->db, CJ_ERROR, _("internal: %s: %s"), o->code, subject);
	snprintf(subject, sizeof subject, "%s%s %s 财务公开汇总",
		 o->level == CJ_ORG_TOWNSHIP ? o->county_name : "", o->name, p->label);
	if (anchor && cj_anchor_qr_content(anchor, o->check_url, DIS_QR_MAX, qr, sizeof qr))
		return c->err = cj_db_fail(c->db, CJ_EINVAL,
					   _("%s: the check page's address %s is too long for a QR code"),
					   o->code, o->check_url);
	if (cj__dis_footer(c->r, digest, p, o, anchor) || cj_report_properties(c->r, subject, stamp) ||
	    (anchor && cj_report_qr(c->r, qr)))
		return soom(c);
	return 0;
}

/* ------------------------------------------------------------------------ */

int
cj__dis_township_report(cj_db *db, const dis_org *o, const dis_period *p, cj_date posted,
			const dis_figures *v, size_t n, const cj_dis_digest *digest, const char *stamp,
			const cj_anchor *anchor, cj_report **out)
{
	static const char *const who[] = {"乡镇农村经营管理站（三资服务中心）（签章）：", "乡镇纪委（签章）：",
					  "审核：", "制表："};
	sctx c = {db, NULL, 0, NULL, 0};
	char title[DIS_NAME + 64];
	unit *units = NULL;
	cj_table *t;
	long row, unclosed = 0;

	*out = NULL;
	snprintf(title, sizeof title, "%s村级财务公开汇总表", o->name);
	if (!(c.r = cj_report_new(title)))
		return soom(&c);
	for (size_t i = 0; i < n; i++)
		unclosed += v[i].open_from != 0;
	if (load_allocations(&c, o->county_code) ||
	    title_block(&c, o, p, posted, "单位：元", unclosed) || unclosed_note(&c, p, v, NULL, n))
		goto done;

	/* 各村收支及资金, 各村项目 */
	t = cj_report_table(c.r, "各村收支及资金", 1);
	if (!t || col(&c, t, NULL, "村", CJ_COL_TEXT, 12) || money_columns(&c, t))
		goto oom;
	for (size_t i = 0; i < n; i++) {
		if ((row = row_text(&c, t, CJ_ROW_DATA, v[i].name)) < 0)
			goto done;
		money_cells(t, row, 1, &v[i]);
	}
	if (sum_rows(&c, t, CJ_ROW_TOTAL, "合计", 0) < 0)
		goto done;
	t = cj_report_table(c.r, "各村项目", 0);
	if (!t || col(&c, t, NULL, "村", CJ_COL_TEXT, 12) || project_columns(&c, t))
		goto oom;
	for (size_t i = 0; i < n; i++) {
		if ((row = row_text(&c, t, CJ_ROW_DATA, v[i].name)) < 0 ||
		    project_cells(&c, t, row, 1, &v[i]))
			goto done;
	}
	if (project_total(&c, t, 1))
		goto done;

	/* 防返贫基金 */
	t = cj_report_table(c.r, "防返贫基金", 0);
	if (!t || col(&c, t, NULL, "村", CJ_COL_TEXT, 12) || fx_columns(&c, t))
		goto oom;
	for (size_t i = 0; i < n; i++) {
		if (!fx_any(&v[i]))
			continue;
		if ((row = row_text(&c, t, CJ_ROW_DATA, v[i].name)) < 0)
			goto done;
		fx_cells(t, row, 1, &v[i]);
	}
	if ((!t->nrows && row_text(&c, t, CJ_ROW_HEADING, "本乡镇无防返贫基金") < 0) ||
	    sum_rows(&c, t, CJ_ROW_TOTAL, "合计", 0) < 0)
		goto done;

	/* 专项资金分配及使用 */
	if (!(units = calloc(n ? n : 1, sizeof *units)))
		goto oom;
	for (size_t i = 0; i < n; i++)
		units[i] = (unit){v[i].name, v[i].parts, v[i].nparts};
	if (build_fund_table(&c, units, n, 0))
		goto done;

	/* 项目进度 */
	t = cj_report_table(c.r, "项目进度", 0);
	if (!t || col(&c, t, NULL, "村", CJ_COL_TEXT, 12) ||
	    col(&c, t, NULL, "项目名称", CJ_COL_TEXT, 26) ||
	    col(&c, t, NULL, "项目类别", CJ_COL_TEXT, 8) ||
	    col(&c, t, NULL, "资金规模", CJ_COL_MONEY, 14) ||
	    col(&c, t, NULL, "累计支付", CJ_COL_MONEY, 14) ||
	    col(&c, t, NULL, "支付进度", CJ_COL_PERCENT, 8) ||
	    col(&c, t, NULL, "项目进度", CJ_COL_TEXT, 8))
		goto oom;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < v[i].nprojects; k++) {
			const dis_project *pr = &v[i].project_list[k];

			if ((row = row_text(&c, t, CJ_ROW_DATA, v[i].name)) < 0)
				goto done;
			if (cj_table_text(c.r, t, row, 1, "%s", pr->name) ||
			    cj_table_text(c.r, t, row, 2, "%s", pr->category) ||
			    cj_table_text(c.r, t, row, 6, "%s", pr->progress))
				goto oom;
			if (progress_text(&c, t, row, 5, pr->paid_fen, pr->budget_fen))
				goto done;
			cj_table_number(t, row, 3, pr->budget_fen);
			cj_table_number(t, row, 4, pr->paid_fen);
		}
	if ((!t->nrows && row_text(&c, t, CJ_ROW_HEADING, "本期无公示项目") < 0) ||
	    sum_rows(&c, t, CJ_ROW_TOTAL, "合计", 0) < 0)
		goto done;

	if (notes_and_signatures(&c, o, posted, who, sizeof who / sizeof who[0]) ||
	    finish(&c, o, p, digest, stamp, anchor))
		goto done;
	free(units);
	free(c.allocs);
	*out = c.r;
	return 0;
oom:
	soom(&c);
done:
	free(units);
	free(c.allocs);
	cj_report_free(c.r);
	return c.err ? c.err : CJ_ERROR;
}

/* ------------------------------------------------------------------------ */

int
cj__dis_township_sum_add(dis_township_sum *s, const dis_figures *v)
{
	dis_figures *t = &s->total;
	int ov = 0;

	s->villages++;
	s->fx_villages += fx_any(v);
	s->unclosed += v->open_from != 0;
	t->income_fen = cj__dis_add(t->income_fen, v->income_fen, &ov);
	t->expense_fen = cj__dis_add(t->expense_fen, v->expense_fen, &ov);
	t->operating_fen = cj__dis_add(t->operating_fen, v->operating_fen, &ov);
	t->fund_open_fen = cj__dis_add(t->fund_open_fen, v->fund_open_fen, &ov);
	t->fund_in_fen = cj__dis_add(t->fund_in_fen, v->fund_in_fen, &ov);
	t->fund_out_fen = cj__dis_add(t->fund_out_fen, v->fund_out_fen, &ov);
	t->fund_left_fen = cj__dis_add(t->fund_left_fen, v->fund_left_fen, &ov);
	t->projects += v->projects;
	t->projects_accepted += v->projects_accepted;
	t->project_budget_fen = cj__dis_add(t->project_budget_fen, v->project_budget_fen, &ov);
	t->project_paid_fen = cj__dis_add(t->project_paid_fen, v->project_paid_fen, &ov);
	t->fx_open_fen = cj__dis_add(t->fx_open_fen, v->fx_open_fen, &ov);
	t->fx_in_fen = cj__dis_add(t->fx_in_fen, v->fx_in_fen, &ov);
	t->fx_out_fen = cj__dis_add(t->fx_out_fen, v->fx_out_fen, &ov);
	t->fx_left_fen = cj__dis_add(t->fx_left_fen, v->fx_left_fen, &ov);
	t->aid_count += v->aid_count;
	t->aid_fen = cj__dis_add(t->aid_fen, v->aid_fen, &ov);
	t->digest.vouchers += v->digest.vouchers;
	for (size_t i = 0; i < v->nparts; i++) {
		const dis_part *p = &v->parts[i];
		dis_part *q = NULL;
		int counted = 0;

		for (size_t k = 0; k < s->nparts; k++)
			if (s->parts[k].allocation_id == p->allocation_id)
				q = &s->parts[k];
		/* a village counts once per allocation, however many own funds it has */
		for (size_t k = 0; k < i; k++)
			counted |= v->parts[k].allocation_id == p->allocation_id;
		if (!q) {
			if (cj_grow((void **)&s->parts, &s->partcap, s->nparts + 1, sizeof *s->parts))
				return CJ_ENOMEM;
			q = &s->parts[s->nparts++];
			memset(q, 0, sizeof *q);
			q->allocation_id = p->allocation_id;
			memcpy(q->fund_name, p->fund_name, sizeof q->fund_name);
			memcpy(q->doc_no, p->doc_no, sizeof q->doc_no);
			memcpy(q->source, p->source, sizeof q->source);
		}
		q->villages += !counted;
		q->granted_fen = cj__dis_add(q->granted_fen, p->granted_fen, &ov);
		q->received_fen = cj__dis_add(q->received_fen, p->received_fen, &ov);
		q->spent_fen = cj__dis_add(q->spent_fen, p->spent_fen, &ov);
	}
	return ov ? CJ_EOVERFLOW : 0;
}

void
cj__dis_township_sum_free(dis_township_sum *s)
{
	free(s->parts);
	s->parts = NULL;
	s->nparts = 0;
}

int
cj__dis_county_report(cj_db *db, const dis_org *o, const dis_period *p, cj_date posted,
		      const dis_township_sum *ts, size_t n, const cj_dis_digest *digest,
		      const char *stamp, const cj_anchor *anchor, cj_report **out)
{
	static const char *const who[] = {"县农业农村局（签章）：", "县财政局（签章）：", "县纪委监委驻局纪检组：",
					  "审核：", "制表："};
	sctx c = {db, NULL, 0, NULL, 0};
	char title[DIS_NAME + 64];
	unit *units = NULL;
	cj_table *t;
	long row, unclosed = 0;

	*out = NULL;
	snprintf(title, sizeof title, "%s村级财务及资金项目公开汇总表", o->name);
	if (!(c.r = cj_report_new(title)))
		return soom(&c);
	for (size_t i = 0; i < n; i++)
		unclosed += ts[i].unclosed;
	if (load_allocations(&c, o->code) || title_block(&c, o, p, posted, "单位：元", unclosed) ||
	    unclosed_note(&c, p, NULL, ts, n))
		goto done;

	/* 各乡镇汇总, with a chart of the earmarked money each spent */
	t = cj_report_table(c.r, "各乡镇收支及资金", 1);
	if (!t || col(&c, t, NULL, "乡镇", CJ_COL_TEXT, 12) || col(&c, t, NULL, "村数", CJ_COL_INT, 5) ||
	    money_columns(&c, t))
		goto oom;
	for (size_t i = 0; i < n; i++) {
		if ((row = row_text(&c, t, CJ_ROW_DATA, ts[i].name)) < 0)
			goto done;
		cj_table_number(t, row, 1, ts[i].villages);
		money_cells(t, row, 2, &ts[i].total);
	}
	if (n && cj_table_chart(c.r, t, CJ_CHART_COLUMN, "各乡镇专项资金本期支出", 0, 7, 0, (long)n - 1))
		goto oom;
	if (sum_rows(&c, t, CJ_ROW_TOTAL, "合计", 0) < 0)
		goto done;
	t = cj_report_table(c.r, "各乡镇项目", 0);
	if (!t || col(&c, t, NULL, "乡镇", CJ_COL_TEXT, 12) || project_columns(&c, t))
		goto oom;
	for (size_t i = 0; i < n; i++) {
		if ((row = row_text(&c, t, CJ_ROW_DATA, ts[i].name)) < 0 ||
		    project_cells(&c, t, row, 1, &ts[i].total))
			goto done;
	}
	if (project_total(&c, t, 1))
		goto done;

	/* 防返贫基金 by township */
	t = cj_report_table(c.r, "防返贫基金", 0);
	if (!t || col(&c, t, NULL, "乡镇", CJ_COL_TEXT, 12) || col(&c, t, NULL, "村数", CJ_COL_INT, 5) ||
	    fx_columns(&c, t))
		goto oom;
	for (size_t i = 0; i < n; i++) {
		if (!fx_any(&ts[i].total))
			continue;
		if ((row = row_text(&c, t, CJ_ROW_DATA, ts[i].name)) < 0)
			goto done;
		cj_table_number(t, row, 1, ts[i].fx_villages);
		fx_cells(t, row, 2, &ts[i].total);
	}
	if ((!t->nrows && row_text(&c, t, CJ_ROW_HEADING, "本县无防返贫基金") < 0) ||
	    sum_rows(&c, t, CJ_ROW_TOTAL, "合计", 0) < 0)
		goto done;

	/* 专项资金分配及使用, by source, document and township */
	if (!(units = calloc(n ? n : 1, sizeof *units)))
		goto oom;
	for (size_t i = 0; i < n; i++)
		units[i] = (unit){ts[i].name, ts[i].parts, ts[i].nparts};
	if (build_fund_table(&c, units, n, 1))
		goto done;

	if (notes_and_signatures(&c, o, posted, who, sizeof who / sizeof who[0]) ||
	    finish(&c, o, p, digest, stamp, anchor))
		goto done;
	free(units);
	free(c.allocs);
	*out = c.r;
	return 0;
oom:
	soom(&c);
done:
	free(units);
	free(c.allocs);
	cj_report_free(c.r);
	return c.err ? c.err : CJ_ERROR;
}
