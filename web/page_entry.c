/*
 * page_entry.c - voucher entry (录入凭证) for whoever may post
 *
 * The form has as many lines as needed (app.js adds rows and shows the
 * 借贷平衡 check live; without JavaScript it has LINES_SHOWN rows).  The
 * voucher goes to cj_voucher_submit: posted at once, or a draft where
 * review is required.  A refusal, by the check in C or by the database, is
 * shown above the lines with everything typed kept.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define LINES_MAX 60
#define LINES_SHOWN 4

typedef struct entry_line {
	char account[20], debit[40], credit[40], summary[200];
} entry_line;

typedef struct entry {
	char village[40], date[16], summary[200], attachments[12];
	entry_line lines[LINES_MAX];
	int nlines;
} entry;

static void
input(web_req *r, const char *name, const char *value, const char *extra)
{
	web_printf(r, "<input name=\"%s\" %s value=\"", name, extra);
	web_text(r, value);
	web_put(r, "\">");
}

static void
line_row(web_req *r, const entry_line *l)
{
	web_put(r, "<tr class=\"line\"><td>");
	input(r, "account", l->account, "class=\"acct\" inputmode=\"numeric\" placeholder=\"科目代码\" "
					"maxlength=\"16\" aria-label=\"科目代码\"");
	web_put(r, "</td><td>");
	input(r, "lsummary", l->summary, "placeholder=\"同凭证摘要\" maxlength=\"190\" aria-label=\"摘要\"");
	web_put(r, "</td><td>");
	input(r, "debit", l->debit, "class=\"money debit\" inputmode=\"decimal\" maxlength=\"30\" "
				    "aria-label=\"借方金额\"");
	web_put(r, "</td><td>");
	input(r, "credit", l->credit, "class=\"money credit\" inputmode=\"decimal\" maxlength=\"30\" "
				      "aria-label=\"贷方金额\"");
	web_put(r, "</td></tr>\n");
}

static void
entry_form(web_req *r, const entry *e, const char *error)
{
	entry_line blank;
	int shown = e->nlines > LINES_SHOWN ? e->nlines : LINES_SHOWN;

	memset(&blank, 0, sizeof blank);
	web_put(r, "<form id=\"entry\" class=\"entry\" method=\"post\" action=\"/entry\">");
	web_csrf_field(r);
	web_put(r, "<div class=\"fields\">");
	web_village_select(r, e->village, 0);
	web_put(r, "<label>日期");
	input(r, "date", e->date, "type=\"date\" required");
	web_put(r, "</label><label class=\"wide\">摘要");
	input(r, "summary", e->summary, "required maxlength=\"190\"");
	web_put(r, "</label><label>附单据（张）");
	input(r, "attachments", e->attachments, "inputmode=\"numeric\" maxlength=\"5\"");
	web_put(r, "</label></div>\n");
	if (error)
		web_error_box(r, error);
	web_put(r, "<div class=\"scroll\"><table class=\"lines\"><thead><tr><th>科目代码</th>"
		   "<th>摘要</th><th>借方金额</th><th>贷方金额</th></tr></thead><tbody>\n");
	for (int i = 0; i < shown; i++)
		line_row(r, i < e->nlines ? &e->lines[i] : &blank);
	web_put(r, "</tbody><tfoot><tr><td colspan=\"2\"><button type=\"button\" id=\"add-line\">"
		   "添加一行</button> <span id=\"balance\" aria-live=\"polite\"></span></td>"
		   "<td class=\"num\" id=\"debit-total\"></td><td class=\"num\" id=\"credit-total\">"
		   "</td></tr></tfoot></table></div>\n"
		   "<button type=\"submit\" class=\"primary\">保存凭证</button></form>\n");
}

int
page_entry_form(web_req *r)
{
	entry e;
	const char *village = web_arg(r, "village");

	memset(&e, 0, sizeof e);
	if (village)
		snprintf(e.village, sizeof e.village, "%s", village);
	web_page_begin(r, "录入凭证");
	entry_form(r, &e, NULL);
	web_page_end(r);
	return 0;
}

/* Read the form; lines left blank are dropped. */
static void
read_entry(web_req *r, entry *e)
{
	memset(e, 0, sizeof *e);
	web_field(r, "village", 0, e->village, sizeof e->village);
	web_field(r, "date", 0, e->date, sizeof e->date);
	web_field(r, "summary", 0, e->summary, sizeof e->summary);
	web_field(r, "attachments", 0, e->attachments, sizeof e->attachments);
	for (int i = 0; e->nlines < LINES_MAX; i++) {
		entry_line *l = &e->lines[e->nlines];
		if (cj_form_value(r->body, "account", i, l->account, sizeof l->account) < 0)
			break;
		web_field(r, "debit", i, l->debit, sizeof l->debit);
		web_field(r, "credit", i, l->credit, sizeof l->credit);
		web_field(r, "lsummary", i, l->summary, sizeof l->summary);
		if (l->account[0] || l->debit[0] || l->credit[0])
			e->nlines++;
	}
}

/* Build the voucher from the form; 0, or a message naming the line. */
static int
build(web_req *r, const entry *e, cj_voucher *v, cj_line *lines, cj_org *village, char *err,
      size_t errsize)
{
	memset(v, 0, sizeof *v);
	if (cj_village_find(r->db, e->village, village)) {
		snprintf(err, errsize, "%s", cj_db_errmsg(r->db));
		return -1;
	}
	if (cj_date_parse(&v->date, e->date)) {
		snprintf(err, errsize, "日期“%s”不对，应为 2025-03-05 这样的日期", e->date);
		return -1;
	}
	if (e->attachments[0]) {
		char *end;
		long n = strtol(e->attachments, &end, 10);
		if (*end || n < 0 || n > 100000) {
			snprintf(err, errsize, "附单据张数“%s”不对", e->attachments);
			return -1;
		}
		v->attachments = (int)n;
	}
	for (int i = 0; i < e->nlines; i++) {
		const entry_line *l = &e->lines[i];
		cj_line *out = &lines[i];
		memset(out, 0, sizeof *out);
		if (!l->account[0]) {
			snprintf(err, errsize, "第%d行：请填科目代码", i + 1);
			return -1;
		}
		if ((l->debit[0] && cj_money_parse(&out->debit, l->debit)) ||
		    (l->credit[0] && cj_money_parse(&out->credit, l->credit))) {
			snprintf(err, errsize, "第%d行：金额“%s”不对", i + 1,
				 l->debit[0] && cj_money_parse(&out->debit, l->debit) ? l->debit : l->credit);
			return -1;
		}
		out->account = l->account;
		out->summary = l->summary[0] ? l->summary : NULL;
	}
	v->village_id = village->id;
	v->summary = e->summary;
	v->preparer = r->s->login;
	v->kind = CJ_VOUCHER_NORMAL;
	v->lines = lines;
	v->nlines = (size_t)e->nlines;
	return 0;
}

int
page_entry(web_req *r)
{
	entry *e = malloc(sizeof *e);
	cj_line lines[LINES_MAX];
	cj_voucher v;
	cj_org village;
	cj_poster *p = NULL;
	cj_submitted sub;
	char err[1024], done[64];

	if (!e)
		return web_fail(r, 500, "out of memory");
	read_entry(r, e);
	if (build(r, e, &v, lines, &village, err, sizeof err) == 0) {
		if (cj_poster_new(&p, r->db))
			snprintf(err, sizeof err, "out of memory");
		else if (cj_voucher_submit(p, &v, 1, &sub))
			snprintf(err, sizeof err, "%s", cj_db_errmsg(r->db));
		else
			err[0] = '\0';
		cj_poster_free(p);
	}
	web_page_begin(r, "录入凭证");
	if (err[0]) {
		r->status = 422;
		entry_form(r, e, err);
	} else {
		char per[16];
		cj_period_format(per, sizeof per, sub.posted.period);
		web_put(r, "<p class=\"notice\">已保存：<a href=\"/voucher?village=");
		web_text(r, village.code);
		if (sub.draft_id) {
			web_printf(r, "&amp;draft=%lld\">草稿%lld</a>，待审核。", (long long)sub.draft_id,
				   (long long)sub.draft_id);
		} else {
			snprintf(done, sizeof done, "%s-%d", per, sub.posted.number);
			web_put(r, "&amp;number=");
			web_text(r, done);
			web_put(r, "\">");
			web_text(r, per);
			web_printf(r, " 记字第%d号</a>，已记账。", sub.posted.number);
		}
		web_put(r, "</p>\n");
		{
			entry next;
			memset(&next, 0, sizeof next);
			snprintf(next.village, sizeof next.village, "%s", e->village);
			snprintf(next.date, sizeof next.date, "%s", e->date);
			entry_form(r, &next, NULL);
		}
	}
	free(e);
	web_page_end(r);
	return 0;
}
