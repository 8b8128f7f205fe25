/*
 * page.c - the page frame every page shares, boxes, a report model as HTML
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

void
web_put(web_req *r, const char *s)
{
	cj__buf_puts(&r->out, s);
}

void
web_text(web_req *r, const char *s)
{
	cj_html_escape(&r->out, s);
}

void
web_printf(web_req *r, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	cj__buf_puts(&r->out, tmp);
}

const char *
web_money(char buf[CJ_MONEY_FMT_MAX], int64_t fen)
{
	if (cj_money_format(buf, CJ_MONEY_FMT_MAX, cj_money_from_fen(fen), CJ_MONEY_FMT_GROUPED) < 0)
		buf[0] = '\0';
	return buf;
}

void
web_csrf_field(web_req *r)
{
	web_put(r, "<input type=\"hidden\" name=\"csrf\" value=\"");
	web_text(r, r->s ? r->s->csrf : "");
	web_put(r, "\">");
}

static int
can_post(cj_login_kind k)
{
	return k == CJ_LOGIN_ADMIN || k == CJ_LOGIN_BOOKKEEPER || k == CJ_LOGIN_CASHIER;
}

static int
can_review(cj_login_kind k)
{
	return k == CJ_LOGIN_ADMIN || k == CJ_LOGIN_REVIEWER;
}

static int
can_inspect(cj_login_kind k)
{
	return k == CJ_LOGIN_ADMIN || k == CJ_LOGIN_INSPECTOR;
}

static const char *const kind_labels[] = {"管理员", "记账员", "审核员", "出纳", "纪检监察", "村务监督"};

void
web_page_begin(web_req *r, const char *title)
{
	r->content_type = "text/html; charset=utf-8";
	web_put(r, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		   "<title>");
	web_text(r, title);
	web_put(r, web_is_public(r) ? " · 村务公开" : " · 村集");
	web_put(r, "</title><link rel=\"stylesheet\" href=\"/static/app.css\">"
		   "<script src=\"/static/app.js\" defer></script></head>\n<body><header>"
		   "<a class=\"brand\" href=\"/\">村集</a>");
	if (web_is_public(r))
		web_put(r, "<nav><a href=\"/\">公开栏</a><a href=\"/check\">核验</a></nav>");
	if (r->s) {
		web_put(r, "<nav><a href=\"/villages\">村庄</a><a href=\"/vouchers\">凭证</a>"
			   "<a href=\"/tb\">科目余额表</a><a href=\"/board\">财务公开</a>");
		if (can_inspect(r->s->kind))
			web_put(r, "<a href=\"/inspect\">监督</a><a href=\"/trace\">资金追踪</a>"
				   "<a href=\"/search\">跨村查询</a><a href=\"/household\">农户收款</a>");
		if (can_post(r->s->kind))
			web_put(r, "<a href=\"/entry\">录入凭证</a>");
		if (can_review(r->s->kind))
			web_put(r, "<a href=\"/review\">审核</a>");
		/* issue 18's bookkeeper pages */
		web_put(r, "<a href=\"/statements\">报表</a>");
		if (can_post(r->s->kind))
			web_put(r, "<a href=\"/import\">导入</a>");
		if (can_review(r->s->kind))
			web_put(r, "<a href=\"/close\">结账</a>");
		web_put(r, "</nav><form class=\"who\" method=\"post\" action=\"/logout\">");
		web_csrf_field(r);
		web_put(r, "<span>");
		web_text(r, r->s->name);
		web_put(r, "（");
		web_text(r, (unsigned)r->s->kind < 6 ? kind_labels[r->s->kind] : "");
		web_put(r, "）</span><button type=\"submit\">退出</button></form>");
	}
	web_put(r, "</header>\n<main><h1>");
	web_text(r, title);
	web_put(r, "</h1>\n");
}

void
web_page_end(web_req *r)
{
	web_put(r, "</main></body></html>\n");
}

void
web_error_box(web_req *r, const char *msg)
{
	r->no_keep = 1; /* a refusal may be passing (a lost connection): never kept */
	web_put(r, "<p class=\"error\" role=\"alert\">");
	web_text(r, msg);
	web_put(r, "</p>\n");
}

void
web_notice_box(web_req *r, const char *msg)
{
	web_put(r, "<p class=\"notice\">");
	web_text(r, msg);
	web_put(r, "</p>\n");
}

int
web_fail(web_req *r, int status, const char *msg)
{
	cj__buf_clear(&r->out);
	r->status = status;
	web_page_begin(r, status == 404 ? "找不到" : status == 403 ? "无权访问" : "出错了");
	web_error_box(r, msg);
	web_page_end(r);
	return 0;
}

int
web_fail_db(web_req *r)
{
	return web_fail(r, 200, cj_db_errmsg(r->db));
}

/* One cell of a report as text. */
static void
cell_html(web_req *r, const cj_column *col, const cj_cell *c)
{
	char num[CJ_NUM_MAX];

	if (c->kind == CJ_CELL_TEXT)
		web_text(r, c->text);
	else if (c->kind == CJ_CELL_NUMBER) {
		if (col->type == CJ_COL_PERCENT) {
			long long v = (long long)c->value, a = v < 0 ? -v : v;
			web_printf(r, "%s%lld.%lld%%", v < 0 ? "-" : "", a / 10, a % 10);
		}
		else
			web_text(r, cj_format_number(num, sizeof num, col->type, c->value));
	}
}

static int
numeric(cj_col_type t)
{
	return t != CJ_COL_TEXT && t != CJ_COL_DATE;
}

/* A cell's value as a URL query value (percent-encoded, then escaped by the caller's writer). */
static void
url_value(web_req *r, const char *v, int first_word)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (first_word && *p == ' ')
			break;
		if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    *p == '-' || *p == '.' || *p == '_')
			cj__buf_printf(&r->out, "%c", *p);
		else
			cj__buf_printf(&r->out, "%%%02X", *p);
	}
}

static long
column_of(const cj_table *t, const char *title)
{
	for (size_t c = 0; title && c < t->ncols; c++)
		if (t->cols[c].title && !strcmp(t->cols[c].title, title))
			return (long)c;
	return -1;
}

/* The link of cell c of row, when a spec names its column and the cells it needs are there. */
static const web_link *
link_of(const cj_table *t, const cj_row *row, size_t c, const web_link *links, size_t nlinks)
{
	for (size_t i = 0; i < nlinks; i++) {
		long a = column_of(t, links[i].col), b = column_of(t, links[i].col2);
		if (a != (long)c || row->cells[c].kind != CJ_CELL_TEXT || !row->cells[c].text[0])
			continue;
		if (links[i].col2 && (b < 0 || row->cells[b].kind != CJ_CELL_TEXT || !row->cells[b].text[0]))
			continue;
		return &links[i];
	}
	return NULL;
}

static void
link_open(web_req *r, const cj_table *t, const cj_row *row, size_t c, const web_link *l)
{
	web_put(r, "<a href=\"");
	web_put(r, l->prefix);
	web_put(r, l->param);
	web_put(r, "=");
	url_value(r, row->cells[c].text, l->first_word);
	if (l->col2) {
		web_put(r, "&amp;");
		web_put(r, l->param2);
		web_put(r, "=");
		url_value(r, row->cells[column_of(t, l->col2)].text, 1);
	}
	web_put(r, "\">");
}

static void
table_html(web_req *r, const cj_table *t, const web_link *links, size_t nlinks)
{
	static const char *const row_class[] = {"", "heading", "subtotal", "total"};
	int groups = 0;

	if (t->name && *t->name) {
		web_put(r, "<h2>");
		web_text(r, t->name);
		web_put(r, "</h2>\n");
	}
	for (size_t c = 0; c < t->ncols; c++)
		groups |= t->cols[c].group != NULL;
	web_put(r, "<div class=\"scroll\"><table class=\"report\"><thead>");
	if (groups) {
		/* merged headers over adjacent columns of a group; others span two rows */
		web_put(r, "<tr>");
		for (size_t c = 0; c < t->ncols;) {
			size_t span = 1;
			const char *g = t->cols[c].group;
			while (g && c + span < t->ncols && t->cols[c + span].group &&
			       !strcmp(t->cols[c + span].group, g))
				span++;
			if (g) {
				web_printf(r, "<th colspan=\"%zu\">", span);
				web_text(r, g);
			} else {
				web_put(r, "<th rowspan=\"2\">");
				web_text(r, t->cols[c].title);
			}
			web_put(r, "</th>");
			c += span;
		}
		web_put(r, "</tr>");
	}
	web_put(r, "<tr>");
	for (size_t c = 0; c < t->ncols; c++)
		if (!groups || t->cols[c].group) {
			web_put(r, numeric(t->cols[c].type) ? "<th class=\"num\">" : "<th>");
			web_text(r, t->cols[c].title);
			web_put(r, "</th>");
		}
	web_put(r, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < t->nrows; i++) {
		const cj_row *row = &t->rows[i];
		size_t indent = t->indent_col1 ? t->indent_col1 - 1 : 0;
		web_printf(r, "<tr class=\"%s\">", row_class[row->kind & 3]);
		if (row->kind == CJ_ROW_HEADING) {
			web_printf(r, "<td colspan=\"%zu\">", t->ncols);
			cell_html(r, &t->cols[0], &row->cells[0]);
			web_put(r, "</td></tr>\n");
			continue;
		}
		for (size_t c = 0; c < t->ncols; c++) {
			const web_link *l = link_of(t, row, c, links, nlinks);
			if (numeric(t->cols[c].type) || (row->cells[c].flags & CJ_CELL_FIGURE))
				web_put(r, "<td class=\"num\">");
			else if (c == indent && row->level > 0)
				web_printf(r, "<td class=\"l%d\">", row->level > 4 ? 4 : row->level);
			else
				web_put(r, "<td>");
			if (l)
				link_open(r, t, row, c, l);
			cell_html(r, &t->cols[c], &row->cells[c]);
			web_put(r, l ? "</a></td>" : "</td>");
		}
		web_put(r, "</tr>\n");
	}
	web_put(r, "</tbody></table></div>\n");
}

void
web_report(web_req *r, const cj_report *rep)
{
	web_report_linked(r, rep, NULL, 0);
}

void
web_report_linked(web_req *r, const cj_report *rep, const web_link *links, size_t nlinks)
{
	web_put(r, "<section class=\"report\">");
	for (size_t i = 0; i < rep->nsubtitles; i++) {
		web_put(r, "<p class=\"subtitle\">");
		web_text(r, rep->subtitles[i]);
		web_put(r, "</p>");
	}
	for (size_t i = 0; i < rep->ntables; i++)
		table_html(r, rep->tables[i], links, nlinks);
	for (size_t i = 0; i < rep->nnotes; i++) {
		web_put(r, "<p class=\"note\">");
		web_text(r, rep->notes[i]);
		web_put(r, "</p>");
	}
	web_put(r, "</section>\n");
}
