/*
 * page_entry.c - voucher entry (录入凭证) for whoever may post
 *
 * The form has as many lines as needed (app.js adds rows and shows the
 * 借贷平衡 check live; without JavaScript it has LINES_SHOWN rows).  The
 * voucher goes to cj_voucher_submit: posted at once, or a draft where
 * review is required.  A refusal, by the check in C or by the database, is
 * shown above the lines with everything typed kept, and again beside the
 * field it concerns (where_refused reads which from the message: the line it
 * names, the code of that line it quotes).
 *
 * An account is typed by code or by name (cj_account_resolve); the village's
 * leaf accounts come as a <datalist> (and from /accounts as JSON when the
 * village changes), so the browser suggests them either way.  A line may
 * carry a counterparty (往来单位), a fund and a project (by code).
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
	char account[200], debit[40], credit[40], summary[200];
	char counterparty[200], fund[48], project[48];
	char code[16]; /* the account's code, resolved */
} entry_line;

/* Where a refusal points: a line's field, or a field of the header. */
typedef struct where {
	int line;          /* 0-based; -1: the header */
	const char *field; /* "account", "debit", "fund", "project", "date", "village", "balance" */
} where;

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

/* the refusal beside this field, when it is the one */
static void
beside(web_req *r, const where *w, int line, const char *field, const char *msg)
{
	if (msg && w && w->line == line && w->field && !strcmp(w->field, field))
		web_field_error(r, msg);
}

static void
line_row(web_req *r, const entry_line *l, int i, const where *w, const char *msg)
{
	/* data-label: on a phone the lines stack, each field under its name (app.css) */
	web_put(r, "<tr class=\"line\"><td class=\"wide\" data-label=\"科目\">");
	input(r, "account", l->account, "class=\"acct\" list=\"accounts\" placeholder=\"代码或名称\" "
					"maxlength=\"190\" autocomplete=\"off\" aria-label=\"科目\"");
	beside(r, w, i, "account", msg);
	web_put(r, "</td><td class=\"wide\" data-label=\"摘要\">");
	input(r, "lsummary", l->summary, "placeholder=\"同凭证摘要\" maxlength=\"190\" aria-label=\"摘要\"");
	web_put(r, "</td><td data-label=\"借方金额\">");
	input(r, "debit", l->debit, "class=\"money debit\" inputmode=\"decimal\" maxlength=\"30\" "
				    "aria-label=\"借方金额\"");
	web_put(r, "</td><td data-label=\"贷方金额\">");
	input(r, "credit", l->credit, "class=\"money credit\" inputmode=\"decimal\" maxlength=\"30\" "
				      "aria-label=\"贷方金额\"");
	beside(r, w, i, "debit", msg);
	web_put(r, "</td><td class=\"wide\" data-label=\"往来单位\">");
	input(r, "counterparty", l->counterparty, "maxlength=\"190\" placeholder=\"户或单位\" "
						  "aria-label=\"往来单位\"");
	web_put(r, "</td><td data-label=\"资金\">");
	input(r, "fund", l->fund, "maxlength=\"40\" placeholder=\"资金代码\" aria-label=\"资金\"");
	beside(r, w, i, "fund", msg);
	web_put(r, "</td><td data-label=\"项目\">");
	input(r, "project", l->project, "maxlength=\"40\" placeholder=\"项目代码\" aria-label=\"项目\"");
	beside(r, w, i, "project", msg);
	web_put(r, "</td></tr>\n");
}

/* The village's leaf accounts as suggestions: value the code, label the name. */
static void
account_datalist(web_req *r, const char *village)
{
	cj_account *a = NULL;
	size_t n = 0;
	cj_org org;

	web_put(r, "<datalist id=\"accounts\">");
	if (village && *village && !cj_village_find(r->db, village, &org) &&
	    !cj_account_list(r->db, org.id, &a, &n))
		for (size_t i = 0; i < n; i++) {
			if (!a[i].is_leaf || !a[i].active)
				continue;
			web_put(r, "<option value=\"");
			web_text(r, a[i].code);
			web_put(r, "\" label=\"");
			web_text(r, a[i].name);
			web_put(r, "\">");
			web_text(r, a[i].name);
			web_put(r, "</option>");
		}
	free(a);
	web_put(r, "</datalist>\n");
}

/* JSON string: quotes, backslashes and controls escaped, < as \u003c */
static void
json_string(web_req *r, const char *s)
{
	char u[8];

	cj__buf_puts(&r->out, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			u[0] = '\\', u[1] = (char)c, u[2] = '\0';
			cj__buf_puts(&r->out, u);
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			snprintf(u, sizeof u, "\\u%04x", c);
			cj__buf_puts(&r->out, u);
		} else {
			cj__buf_put(&r->out, s, 1);
		}
	}
	cj__buf_puts(&r->out, "\"");
}

/* GET /accounts?village=CODE: the village's leaf accounts as JSON
 * [{"code":"102001","name":"银行存款-农商行"}, ...]; 404 out of scope. */
int
page_accounts(web_req *r)
{
	const char *village = web_arg(r, "village");
	cj_account *a = NULL;
	size_t n = 0;
	cj_org org;
	int first = 1;

	if (!village || cj_village_find(r->db, village, &org) ||
	    cj_account_list(r->db, org.id, &a, &n)) {
		r->status = 404;
		r->content_type = "application/json";
		web_put(r, "[]");
		return 0;
	}
	r->content_type = "application/json";
	web_put(r, "[");
	for (size_t i = 0; i < n; i++) {
		if (!a[i].is_leaf || !a[i].active)
			continue;
		web_put(r, first ? "{\"code\":" : ",{\"code\":");
		json_string(r, a[i].code);
		web_put(r, ",\"name\":");
		json_string(r, a[i].name);
		web_put(r, "}");
		first = 0;
	}
	web_put(r, "]");
	free(a);
	return 0;
}

static void
entry_form(web_req *r, const entry *e, const char *error, const where *w)
{
	entry_line blank;
	int shown = e->nlines > LINES_SHOWN ? e->nlines : LINES_SHOWN;

	memset(&blank, 0, sizeof blank);
	web_put(r, "<form id=\"entry\" class=\"entry\" method=\"post\" action=\"/entry\">");
	web_csrf_field(r);
	web_put(r, "<div class=\"fields\">");
	web_village_select(r, e->village, 0);
	beside(r, w, -1, "village", error);
	web_put(r, "<label>日期");
	input(r, "date", e->date, "type=\"date\" required");
	beside(r, w, -1, "date", error);
	web_put(r, "</label><label class=\"wide\">摘要");
	input(r, "summary", e->summary, "required maxlength=\"190\"");
	beside(r, w, -1, "summary", error);
	web_put(r, "</label><label>附单据（张）");
	input(r, "attachments", e->attachments, "inputmode=\"numeric\" maxlength=\"5\"");
	beside(r, w, -1, "attachments", error);
	web_put(r, "</label></div>\n");
	if (error)
		web_error_box(r, error);
	account_datalist(r, e->village);
	web_put(r, "<div class=\"scroll lines\"><table class=\"lines\"><thead><tr><th>科目</th>"
		   "<th>摘要</th><th>借方金额</th><th>贷方金额</th><th>往来单位</th><th>资金</th>"
		   "<th>项目</th></tr></thead><tbody>\n");
	for (int i = 0; i < shown; i++)
		line_row(r, i < e->nlines ? &e->lines[i] : &blank, i, w, error);
	web_put(r, "</tbody><tfoot><tr><td colspan=\"2\" class=\"wide\"><button type=\"button\" id=\"add-line\">"
		   "添加一行</button> <span id=\"balance\" aria-live=\"polite\"></span>");
	beside(r, w, -1, "balance", error);
	web_put(r, "</td><td class=\"num\" id=\"debit-total\" data-label=\"借方合计\"></td>"
		   "<td class=\"num\" id=\"credit-total\" data-label=\"贷方合计\"></td>"
		   "<td colspan=\"3\" class=\"rest\"></td></tr></tfoot></table></div>\n"
		   "<p class=\"hint\">科目可输入代码或名称（如 102001 或 银行存款-农商行）；资金、项目填其代码，"
		   "可不填。</p>"
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
	else { /* one village in scope: it is the one */
		cj_village_month *v = NULL;
		size_t n = 0;
		if (!web_villages(web_sessions_of(r->web), r->s, r->db, r->scope, &v, &n) && n == 1)
			snprintf(e.village, sizeof e.village, "%s", v[0].village.code);
		free(v);
	}
	web_page_begin(r, "录入凭证");
	entry_form(r, &e, NULL, NULL);
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
		web_field(r, "counterparty", i, l->counterparty, sizeof l->counterparty);
		web_field(r, "fund", i, l->fund, sizeof l->fund);
		web_field(r, "project", i, l->project, sizeof l->project);
		if (l->account[0] || l->debit[0] || l->credit[0])
			e->nlines++;
		else
			memset(l, 0, sizeof *l);
	}
}

/* Build the voucher from the form; 0, or a message naming the line. */
static int
build(web_req *r, entry *e, cj_voucher *v, cj_line *lines, cj_org *village, char *err,
      size_t errsize, where *w)
{
	memset(v, 0, sizeof *v);
	w->line = -1;
	w->field = "village";
	if (cj_village_find(r->db, e->village, village)) {
		snprintf(err, errsize, "%s", cj_db_errmsg(r->db));
		return -1;
	}
	w->field = "date";
	if (cj_date_parse(&v->date, e->date)) {
		snprintf(err, errsize, "日期“%s”不对，应为 2025-03-05 这样的日期", e->date);
		return -1;
	}
	w->field = "attachments";
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
		entry_line *l = &e->lines[i];
		cj_line *out = &lines[i];
		memset(out, 0, sizeof *out);
		w->line = i;
		w->field = "account";
		if (!l->account[0]) {
			snprintf(err, errsize, "第%d行：请填科目代码或名称", i + 1);
			return -1;
		}
		if (cj_account_resolve(r->db, village->id, l->account, l->code, sizeof l->code)) {
			snprintf(err, errsize, "第%d行：%s", i + 1, cj_db_errmsg(r->db));
			return -1;
		}
		w->field = "fund";
		if (l->fund[0]) {
			cj_fund_info f;
			if (cj_fund_find(r->db, village->id, l->fund, &f)) {
				snprintf(err, errsize, "第%d行：%s", i + 1, cj_db_errmsg(r->db));
				return -1;
			}
			out->fund_id = f.id;
		}
		w->field = "project";
		if (l->project[0]) {
			cj_project_info p;
			if (cj_project_find(r->db, village->id, l->project, &p)) {
				snprintf(err, errsize, "第%d行：%s", i + 1, cj_db_errmsg(r->db));
				return -1;
			}
			out->project_id = p.id;
		}
		w->field = "debit";
		if ((l->debit[0] && cj_money_parse(&out->debit, l->debit)) ||
		    (l->credit[0] && cj_money_parse(&out->credit, l->credit))) {
			snprintf(err, errsize, "第%d行：金额“%s”不对", i + 1,
				 l->debit[0] && cj_money_parse(&out->debit, l->debit) ? l->debit : l->credit);
			return -1;
		}
		out->account = l->code;
		out->summary = l->summary[0] ? l->summary : NULL;
		out->counterparty = l->counterparty[0] ? l->counterparty : NULL;
	}
	w->line = -1;
	w->field = NULL;
	v->village_id = village->id;
	v->summary = e->summary;
	v->preparer = r->s->login;
	v->kind = CJ_VOUCHER_NORMAL;
	v->lines = lines;
	v->nlines = (size_t)e->nlines;
	return 0;
}

/* The line a library message names ("第 3 行", "line 3"), 0-based; -1 none. */
static int
named_line(const char *msg)
{
	const char *p;
	int n;

	if ((p = strstr(msg, "第")) && sscanf(p + strlen("第"), " %d", &n) == 1 && n > 0)
		return n - 1;
	if ((p = strstr(msg, "line ")) && sscanf(p + 5, "%d", &n) == 1 && n > 0)
		return n - 1;
	return -1;
}

/* Which field a refusal of the library or the database concerns. */
static void
where_refused(const entry *e, const char *msg, int status, where *w)
{
	int line = named_line(msg);

	w->line = -1;
	w->field = NULL;
	if (line >= 0 && line < e->nlines) {
		const entry_line *l = &e->lines[line];
		w->line = line;
		w->field = l->fund[0] && strstr(msg, l->fund)	    ? "fund"
			   : l->project[0] && strstr(msg, l->project) ? "project"
			   : strstr(msg, "金额") || strstr(msg, "借方") || strstr(msg, "贷方") ||
					   strstr(msg, "amount") || strstr(msg, "debit")
				   ? "debit"
				   : "account";
		return;
	}
	if (status == CJ_EUNBALANCED) {
		w->field = "balance";
		return;
	}
	if (status == CJ_ECLOSED) {
		w->field = "date";
		return;
	}
	/* the database's refusals name codes, not lines: the first line whose code it quotes */
	for (int i = 0; i < e->nlines; i++) {
		const entry_line *l = &e->lines[i];
		const char *f = l->fund[0] && strstr(msg, l->fund)	     ? "fund"
				: l->project[0] && strstr(msg, l->project) ? "project"
				: l->code[0] && strstr(msg, l->code)	     ? "account"
									     : NULL;
		if (f) {
			w->line = i;
			w->field = f;
			return;
		}
	}
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
	where w;
	int status;

	if (!e)
		return web_fail(r, 500, "out of memory");
	read_entry(r, e);
	if (build(r, e, &v, lines, &village, err, sizeof err, &w) == 0) {
		if (cj_poster_new(&p, r->db))
			snprintf(err, sizeof err, "out of memory");
		else if ((status = cj_voucher_submit(p, &v, 1, &sub))) {
			snprintf(err, sizeof err, "%s", cj_db_errmsg(r->db));
			where_refused(e, err, status, &w);
		} else
			err[0] = '\0';
		cj_poster_free(p);
	}
	web_page_begin(r, "录入凭证");
	if (err[0]) {
		r->status = 422;
		entry_form(r, e, err, &w);
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
			entry_form(r, &next, NULL, NULL);
		}
	}
	free(e);
	web_page_end(r);
	return 0;
}
