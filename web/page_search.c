/*
 * page_search.c - the inspector's search across villages (跨村查询) and what
 * one person's household was paid (农户收款明细), as `cunji search` and
 * `cunji household --id` give them
 *
 * Both call the reports' builders (cj_search, cj_household_paid) on the
 * login's own connection, so row-level security decides which villages'
 * lines are found.  The forms are POSTed with the session's CSRF token: an
 * ID number or a bank account is personal and stays out of the URL (and so
 * out of the browser's history and any proxy's log).  Each voucher found
 * links to its voucher page.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <reports/search.h>

#include "internal.h"

/* The form's fields, as typed (kept on the page after a search). */
typedef struct search_form {
	char org[40], payee[200], id[40], account[64], min[32], max[32], from[16], to[16];
} search_form;

static void
read_form(web_req *r, search_form *f)
{
	memset(f, 0, sizeof *f);
	if (strcmp(r->method, "POST"))
		return;
	web_field(r, "org", 0, f->org, sizeof f->org);
	web_field(r, "payee", 0, f->payee, sizeof f->payee);
	web_field(r, "id", 0, f->id, sizeof f->id);
	web_field(r, "account", 0, f->account, sizeof f->account);
	web_field(r, "min", 0, f->min, sizeof f->min);
	web_field(r, "max", 0, f->max, sizeof f->max);
	web_field(r, "from", 0, f->from, sizeof f->from);
	web_field(r, "to", 0, f->to, sizeof f->to);
}

static void
option(web_req *r, const char *code, const char *label, const char *selected)
{
	web_put(r, "<option value=\"");
	web_text(r, code);
	web_put(r, !strcmp(selected, code) ? "\" selected>" : "\">");
	web_text(r, label);
	web_put(r, "</option>");
}

/* 范围: the county of the villages in scope, each township, each village;
 * the county first and chosen when nothing is. */
static void
scope_select(web_req *r, const char *selected)
{
	cj_village_month *v = NULL;
	size_t n = 0;
	cj_org town, county;
	char label[300];

	web_put(r, "<label>范围<select name=\"org\">");
	if (!web_villages(web_sessions_of(r->web), r->s, r->db, r->scope, &v, &n) && n) {
		if (!cj_org_find(r->db, v[0].village.parent_code, &town) &&
		    !cj_org_find(r->db, town.parent_code, &county)) {
			snprintf(label, sizeof label, "%s（全县）", county.name);
			option(r, county.code, label, selected);
		}
		for (size_t i = 0; i < n; i++) {
			int seen = 0;
			for (size_t k = 0; k < i; k++)
				seen |= !strcmp(v[k].village.parent_code, v[i].village.parent_code);
			if (seen)
				continue;
			snprintf(label, sizeof label, "%s（全镇）", v[i].township);
			option(r, v[i].village.parent_code, label, selected);
			for (size_t k = i; k < n; k++)
				if (!strcmp(v[k].village.parent_code, v[i].village.parent_code)) {
					snprintf(label, sizeof label, "　%s", v[k].village.name);
					option(r, v[k].village.code, label, selected);
				}
		}
	}
	free(v);
	web_put(r, "</select></label>");
}

static void
input(web_req *r, const char *label, const char *name, const char *value, const char *hint,
      int wide)
{
	web_put(r, wide ? "<label class=\"wide\">" : "<label>");
	web_text(r, label);
	web_put(r, "<input name=\"");
	web_put(r, name);
	web_put(r, "\" value=\"");
	web_text(r, value);
	web_put(r, "\" placeholder=\"");
	web_text(r, hint);
	web_put(r, "\"></label>");
}

/* A day (2025-03-05) or a period's first (from) or last (to) day; "" is none. */
static int
form_day(const char *text, int last, cj_date *out, char *err, size_t errsize)
{
	cj_span s;

	memset(out, 0, sizeof *out);
	if (!*text)
		return 0;
	if (strlen(text) == 10 && !cj_date_parse(out, text))
		return 0;
	if (cj_span_parse(&s, text, err, errsize))
		return -1;
	*out = last ? cj_span_last_day(s) : cj_span_first_day(s);
	return 0;
}

/* A positive amount in yuan; "" is none. */
static int
form_money(const char *label, const char *text, int64_t *out, char *err, size_t errsize)
{
	cj_money m;

	*out = 0;
	if (!*text)
		return 0;
	if (cj_money_parse(&m, text) || m.fen <= 0) {
		snprintf(err, errsize, "%s“%s”不是一个正的金额（元）", label, text);
		return -1;
	}
	*out = m.fen;
	return 0;
}

int
page_search(web_req *r)
{
	search_form f;
	cj_search_request req;
	cj_report *rep = NULL;
	char err[512] = "";

	read_form(r, &f);
	web_page_begin(r, "跨村查询");
	web_put(r, "<p class=\"hint\">在您范围内的各村账上查一个收付对象（单位或个人的名称，可只写一部分，"
		   "全角半角、空格、“有限公司”的写法不同也能找到）、一个身份证号或银行账号所在农户收到的款项，"
		   "或一个金额范围。点凭证号看凭证。</p>\n");
	web_put(r, "<form class=\"filter\" method=\"post\" action=\"/search\">");
	web_csrf_field(r);
	scope_select(r, f.org);
	input(r, "收付对象", "payee", f.payee, "如：路通建设", 1);
	input(r, "身份证号", "id", f.id, "18位", 0);
	input(r, "银行账号", "account", f.account, "空格可有可无", 0);
	input(r, "金额从（元）", "min", f.min, "", 0);
	input(r, "到（元）", "max", f.max, "", 0);
	input(r, "日期从", "from", f.from, "如 2025-03", 0);
	input(r, "到", "to", f.to, "如 2025-06-30", 0);
	web_put(r, "<button type=\"submit\">查询</button></form>\n");
	if (strcmp(r->method, "POST"))
		goto end;
	memset(&req, 0, sizeof req);
	req.org = f.org;
	req.payee = f.payee;
	req.id_number = f.id;
	req.account = f.account;
	if (form_money("金额从", f.min, &req.min_fen, err, sizeof err) ||
	    form_money("金额到", f.max, &req.max_fen, err, sizeof err) ||
	    form_day(f.from, 0, &req.from, err, sizeof err) || form_day(f.to, 1, &req.to, err, sizeof err)) {
		web_error_box(r, err);
		goto end;
	}
	if (cj_search(r->db, &req, &rep)) {
		web_error_box(r, cj_db_errmsg(r->db));
		goto end;
	}
	if (!rep->tables[0]->nrows)
		web_notice_box(r, "没有找到符合条件的凭证行。");
	{
		web_link links[] = {{"凭证号", "/voucher?", "number", 0, "村代码", "village"}};
		web_report_linked(r, rep, links, 1);
	}
	if (f.id[0]) { /* the same person's receipts, by fund */
		web_put(r, "<form class=\"go\" method=\"post\" action=\"/household\">");
		web_csrf_field(r);
		web_put(r, "<input type=\"hidden\" name=\"org\" value=\"");
		web_text(r, f.org);
		web_put(r, "\"><input type=\"hidden\" name=\"id\" value=\"");
		web_text(r, f.id);
		web_put(r, "\"><button type=\"submit\">看这个身份证号所在农户的收款明细</button></form>\n");
	}
end:
	cj_report_free(rep);
	web_page_end(r);
	return 0;
}

int
page_household(web_req *r)
{
	search_form f;
	cj_report *rep = NULL;

	read_form(r, &f);
	web_page_begin(r, "农户收款明细");
	web_put(r, "<p class=\"hint\">一个人（户主或家庭成员）的身份证号所在的各村农户，收到的分红、救助、"
		   "项目款和其他付款，按资金列出，有小计和合计。点凭证号看凭证。</p>\n");
	web_put(r, "<form class=\"filter\" method=\"post\" action=\"/household\">");
	web_csrf_field(r);
	scope_select(r, f.org);
	input(r, "身份证号", "id", f.id, "户主或成员的18位身份证号", 1);
	web_put(r, "<button type=\"submit\">查询</button></form>\n");
	if (strcmp(r->method, "POST"))
		goto end;
	if (!f.id[0]) {
		web_error_box(r, "请填写身份证号。");
		goto end;
	}
	if (cj_household_paid(r->db, f.org, f.id, &rep)) {
		web_error_box(r, cj_db_errmsg(r->db));
		goto end;
	}
	{
		web_link links[] = {{"凭证号", "/voucher?", "number", 0, "村", "village"}};
		web_report_linked(r, rep, links, 1);
	}
end:
	cj_report_free(rep);
	web_page_end(r);
	return 0;
}
