/*
 * voucher_print.c - 记账凭证 as forms: which vouchers a print holds, and each
 * laid out as the printed form shows it (see <reports/voucher_print.h>)
 *
 * Reading goes through <ledger/voucher_path.h> (the list, then each voucher
 * whole with who did each step); building is pure.  A voucher of more lines
 * than a form holds goes on over several forms, as books do across pages: a
 * form that is not the voucher's last ends with 过次页 and the sums so far,
 * the next starts with 承前页 and the same sums, and only the last has 合计
 * with the amount in 大写.  Each of its forms is numbered 第 k/n 页 beside
 * 记字第N号.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ledger/audit.h>
#include <reports/voucher_print.h>
#include <ledger/i18n.h>

const char *
cj_vprint_sign_label(int box)
{
	static const char *const labels[CJ_SIGN_N] = {"会计主管", "记账", "审核", "出纳", "制单"};

	return box >= 0 && box < CJ_SIGN_N ? labels[box] : "";
}

/* ---- which vouchers ---- */

void
cj_vprint_views_free(cj_voucher_view *views, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cj_voucher_view_free(&views[i]);
	free(views);
}

/* Is (per, number) within the request's range? */
static int
in_range(const cj_vprint_request *req, cj_period per, int number)
{
	int lo = cj_period_cmp(per, req->from_period), hi = cj_period_cmp(per, req->to_period);

	return (lo > 0 || (lo == 0 && number >= req->from_number)) &&
	       (hi < 0 || (hi == 0 && number <= req->to_number));
}

/* The vouchers of the request's range or months, from the list. */
static int
listed(cj_db *db, const cj_vprint_request *req, cj_voucher_view **views, size_t *n)
{
	cj_voucher_filter f;
	cj_voucher_row *rows = NULL;
	size_t nrows = 0;
	int err;

	memset(&f, 0, sizeof f);
	f.org_id = req->village_id;
	f.has_span = 1;
	if (req->has_span) {
		f.span = req->span;
	} else {
		f.span.kind = CJ_SPAN_RANGE;
		f.span.from = req->from_period;
		f.span.to = req->to_period;
	}
	if ((err = cj_voucher_list(db, &f, &rows, &nrows)))
		return err;
	if (!(*views = calloc(nrows ? nrows : 1, sizeof **views))) {
		free(rows);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	for (size_t i = 0; i < nrows && !err; i++) {
		const cj_voucher_row *r = &rows[i];

		if (r->state == CJ_VSTATE_POSTED ? req->has_range && !in_range(req, r->period, r->number)
						 : !req->with_drafts)
			continue;
		err = r->state == CJ_VSTATE_POSTED
			      ? cj_voucher_get(db, req->village_id, r->period, r->number, &(*views)[*n])
			      : cj_draft_get(db, req->village_id, r->draft_id, &(*views)[*n]);
		if (!err)
			++*n;
	}
	free(rows);
	return err;
}

int
cj_vprint_load(cj_db *db, const cj_vprint_request *req, cj_voucher_view **views, size_t *n)
{
	int err = 0;

	*views = NULL;
	*n = 0;
	if (req->has_range + req->has_span + (req->ndrafts > 0) != 1)
		return cj_db_fail(db, CJ_EINVAL, _("print a voucher, a range of numbers, months or "
						 "drafts: one of them"));
	if (req->has_range && (cj_period_cmp(req->from_period, req->to_period) > 0 ||
			       (!cj_period_cmp(req->from_period, req->to_period) &&
				req->from_number > req->to_number)))
		return cj_db_fail(db, CJ_EINVAL, _("the range %04d-%02d-%d to %04d-%02d-%d runs backwards"),
				  req->from_period.year, req->from_period.month, req->from_number,
				  req->to_period.year, req->to_period.month, req->to_number);
	if (req->ndrafts || (req->has_range && !cj_period_cmp(req->from_period, req->to_period) &&
			     req->from_number == req->to_number)) {
		/* named one by one: each must exist */
		size_t want = req->ndrafts ? req->ndrafts : 1;

		if (!(*views = calloc(want, sizeof **views)))
			return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		for (size_t i = 0; i < want && !err; i++) {
			err = req->ndrafts ? cj_draft_get(db, req->village_id, req->drafts[i], &(*views)[i])
					   : cj_voucher_get(db, req->village_id, req->from_period,
							    req->from_number, &(*views)[i]);
			if (!err)
				++*n;
		}
	} else {
		err = listed(db, req, views, n);
		if (!err && !*n) {
			if (req->has_range)
				err = cj_db_fail(db, CJ_ENOTFOUND,
						 _("no posted voucher numbered %04d-%02d-%d to %04d-%02d-%d"),
						 req->from_period.year, req->from_period.month,
						 req->from_number, req->to_period.year,
						 req->to_period.month, req->to_number);
			else {
				char label[CJ_SPAN_TEXT_MAX];

				cj_span_label(label, sizeof label, req->span);
				err = cj_db_fail(db, CJ_ENOTFOUND, req->with_drafts ? _("no voucher in %s")
								  : _("no posted voucher in %s"),
						 label);
			}
		}
	}
	if (err) {
		cj_vprint_views_free(*views, *n);
		*views = NULL;
		*n = 0;
	}
	return err;
}

/* ---- laying a voucher out as forms ---- */

/* 明细科目: the leaf account under the first-level one, and the line's tags. */
static void
detail_text(char *buf, size_t size, const cj_voucher_view_line *l)
{
	size_t len = 0;

	buf[0] = '\0';
	if (l->detail_name[0])
		len = (size_t)snprintf(buf, size, "%s %s", l->account, l->detail_name);
#define TAG(label, value)                                                                      \
	if ((value)[0] && len < size)                                                          \
		len += (size_t)snprintf(buf + len, size - len, "%s" label "：%s", len ? "；" : "", \
					(value))
	TAG("往来", l->counterparty);
	TAG("资金", l->fund);
	TAG("项目", l->project);
#undef TAG
}

static void
line_row(cj_vprint_row *row, const cj_voucher_view *v, const cj_voucher_view_line *l)
{
	memset(row, 0, sizeof *row);
	/* a line without its own summary takes the voucher's; a reversal's
	 * first line names the voucher it reverses (the voucher's summary) */
	snprintf(row->summary, sizeof row->summary, "%s",
		 (v->kind == CJ_VOUCHER_REVERSAL && l == &v->lines[0]) || !l->summary[0]
			 ? v->summary
			 : l->summary);
	snprintf(row->account, sizeof row->account, "%s %s", l->top_code, l->top_name);
	detail_text(row->detail, sizeof row->detail, l);
	row->debit = l->debit.fen;
	row->credit = l->credit.fen;
	row->has_debit = l->debit.fen != 0;
	row->has_credit = l->credit.fen != 0;
}

/* What a form of v says above its table and under it, whatever its page. */
static void
form_head(cj_vprint_form *f, const cj_voucher_view *v)
{
	snprintf(f->unit, sizeof f->unit, "单位：%s", v->village_name);
	snprintf(f->date, sizeof f->date, "%04d年%02d月%02d日", v->date.year, v->date.month,
		 v->date.day);
	f->draft = v->state != CJ_VSTATE_POSTED;
	f->red = v->kind == CJ_VOUCHER_REVERSAL;
	if (f->draft)
		snprintf(f->number, sizeof f->number, "草稿%lld", (long long)v->draft_id);
	else
		snprintf(f->number, sizeof f->number, "记字第%d号", v->number);
	snprintf(f->attachments, sizeof f->attachments, "%d", v->attachments);
	if (f->draft)
		snprintf(f->mark, sizeof f->mark, "草稿 · 未记账（%s）", cj_voucher_state_label(v->state));
	else if (f->red)
		snprintf(f->mark, sizeof f->mark, "红字冲销 %s", v->reverses);
	/* 会计主管 and 出纳 sign by hand: the books do not record them */
	snprintf(f->sign[CJ_SIGN_POSTED], sizeof f->sign[0], "%s", v->posted.name);
	snprintf(f->sign[CJ_SIGN_REVIEWED], sizeof f->sign[0], "%s", v->reviewed.name);
	snprintf(f->sign[CJ_SIGN_PREPARED], sizeof f->sign[0], "%s", v->prepared.name);
}

/* Forms a voucher of n lines takes when each holds rows line rows: the
 * first rows lines, then rows - 1 after each 承前页 (1 + ceil((n - rows) /
 * (rows - 1)), which is 1 + (n - 2) / (rows - 1) rounded down). */
static int
forms_for(size_t n, int rows)
{
	return n <= (size_t)rows ? 1 : 1 + (int)((n - 2) / (size_t)(rows - 1));
}

static int
add_voucher(cj_vprint *p, size_t vi, const cj_voucher_view *v)
{
	int pages = forms_for(v->nlines, p->rows);
	int64_t debit = 0, credit = 0;
	size_t next = 0;

	for (int page = 1; page <= pages; page++) {
		cj_vprint_form *f = &p->forms[p->nforms++];

		memset(f, 0, sizeof *f);
		f->voucher = vi;
		f->page = page;
		f->pages = pages;
		form_head(f, v);
		if (page > 1) {
			cj_vprint_row *r = &f->rows[f->nrows++];

			snprintf(r->summary, sizeof r->summary, "承前页");
			r->debit = debit;
			r->credit = credit;
			r->has_debit = debit != 0;
			r->has_credit = credit != 0;
		}
		while (f->nrows < (size_t)p->rows && next < v->nlines) {
			const cj_voucher_view_line *l = &v->lines[next++];

			line_row(&f->rows[f->nrows++], v, l);
			/* a line carries at most 10^13 fen (schema 0010), a voucher at
			 * most what a bigint holds: checked anyway */
			if (__builtin_add_overflow(debit, l->debit.fen, &debit) ||
			    __builtin_add_overflow(credit, l->credit.fen, &credit))
				return -1;
		}
		f->last = page == pages;
		f->total_debit = debit;
		f->total_credit = credit;
		if (f->last) {
			char words[CJ_AMOUNT_WORDS_MAX];

			snprintf(f->total_label, sizeof f->total_label, "合计");
			if (cj_amount_words(words, sizeof words, debit) < 0)
				return -1;
			snprintf(f->total_words, sizeof f->total_words, "合计（大写）：%s", words);
		} else {
			snprintf(f->total_label, sizeof f->total_label, "过次页");
		}
	}
	return next == v->nlines ? 0 : -1; /* forms_for gave room for every line */
}

int
cj_vprint_build(const cj_voucher_view *views, size_t n, int per_page, cj_vprint *out)
{
	size_t nforms = 0;

	memset(out, 0, sizeof *out);
	out->per_page = per_page == 2 ? 2 : 3;
	out->rows = out->per_page == 2 ? CJ_VPRINT_ROWS_2UP : CJ_VPRINT_ROWS_3UP;
	out->nvouchers = n;
	for (size_t i = 0; i < n; i++)
		nforms += (size_t)forms_for(views[i].nlines, out->rows);
	if (!(out->forms = calloc(nforms ? nforms : 1, sizeof *out->forms)))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (add_voucher(out, i, &views[i])) {
			cj_vprint_free(out);
			return -1;
		}
	return 0;
}

void
cj_vprint_free(cj_vprint *p)
{
	if (!p)
		return;
	free(p->forms);
	memset(p, 0, sizeof *p);
}

int
cj_vprint_anchor(cj_db *db, const cj_voucher_view *views, cj_vprint *p)
{
	cj_chain_head h;
	int err;

	if (!p->nforms)
		return 0;
	if ((err = cj_chain_head_of(db, views[p->forms[0].voucher].village_code, &h)))
		return err;
	for (size_t i = 0; i < p->nforms; i++) {
		cj_vprint_form *f = &p->forms[i];
		const cj_voucher_view *v = &views[f->voucher];
		char id[48];

		if (v->state == CJ_VSTATE_POSTED)
			snprintf(id, sizeof id, "voucher=%04d-%02d-%d", v->period.year, v->period.month,
				 v->number);
		else
			snprintf(id, sizeof id, "draft=%lld", (long long)v->draft_id);
		snprintf(f->qr, sizeof f->qr, "cunji-anchor-v1 village=%s seq=%lld head=%s sheet=voucher %s",
			 v->village_code, (long long)h.seq, h.head, id);
		snprintf(f->chain, sizeof f->chain, "链头 #%lld %.4s %.4s %.4s %.4s  扫码核验  监督举报电话 12317",
			 (long long)h.seq, h.head, h.head + 4, h.head + 8, h.head + 12);
	}
	return 0;
}

int
cj_voucher_print(cj_db *db, const cj_vprint_request *req, const char *path, size_t *nvouchers,
		 int *pages)
{
	cj_voucher_view *views = NULL;
	cj_vprint p;
	size_t n = 0;
	char err[512];
	int status;

	if ((status = cj_vprint_load(db, req, &views, &n)))
		return status;
	if (cj_vprint_build(views, n, req->per_page, &p))
		status = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	else if ((status = cj_vprint_anchor(db, views, &p)))
		;
	else if (cj_vprint_pdf(&p, path, pages, err, sizeof err))
		status = cj_db_fail(db, CJ_EIO, "%s", err);
	if (!status && nvouchers)
		*nvouchers = n;
	cj_vprint_free(&p);
	cj_vprint_views_free(views, n);
	return status;
}
