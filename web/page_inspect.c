/*
 * page_inspect.c - the inspector's pages: the audit scan's findings as a
 * dashboard that drills down township -> village -> findings -> voucher,
 * and the fund trace (allocation -> village -> fund or project -> payee)
 *
 * Every figure comes from the libraries (cj_audit_scan, cj_list_trace,
 * cj_list_funds, cj_list_fund, cj_list_projects) on the login's own
 * connection: a village out of its scope is in no table.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <reports/audit.h>
#include <reports/lists.h>

#include "internal.h"

/* The scan's days: ?period= (2025, 2025Q4, 2025-12), else everything to today. */
static int
scan_days(web_req *r, cj_date *from, cj_date *to, char *err, size_t errsize)
{
	const char *period = web_arg(r, "period");
	time_t now = time(NULL);
	struct tm tm;
	cj_span span;

	if (period && *period) {
		if (cj_span_parse(&span, period, err, errsize))
			return -1;
		*from = cj_span_first_day(span);
		*to = cj_span_last_day(span);
		return 0;
	}
	gmtime_r(&now, &tm);
	from->year = 2000, from->month = 1, from->day = 1;
	to->year = tm.tm_year + 1900, to->month = tm.tm_mon + 1, to->day = tm.tm_mday;
	return 0;
}

/* Findings of org counted per village code: red and yellow. */
typedef struct tally {
	char village[40];
	int red, yellow;
} tally;

static int
count_findings(web_req *r, const char *org, cj_date from, cj_date to, tally **out, size_t *n)
{
	cj_audit_request req = {org, from, to, NULL, 0, 1}; /* a request: its one connection */
	cj_report *rep = NULL;
	const cj_table *t;

	*out = NULL;
	*n = 0;
	if (cj_audit_scan(r->db, &req, &rep))
		return -1;
	t = rep->tables[0];
	for (size_t i = 0; i < t->nrows; i++) {
		const cj_row *row = &t->rows[i];
		size_t k;
		if (row->kind != CJ_ROW_DATA || t->ncols < 3 || row->cells[2].kind != CJ_CELL_TEXT)
			continue;
		for (k = 0; k < *n && strcmp((*out)[k].village, row->cells[2].text); k++)
			;
		if (k == *n) {
			tally *grown = realloc(*out, (*n + 1) * sizeof **out);
			if (!grown)
				break;
			*out = grown;
			memset(&grown[k], 0, sizeof grown[k]);
			snprintf(grown[k].village, sizeof grown[k].village, "%s", row->cells[2].text);
			(*n)++;
		}
		if (row->cells[1].kind == CJ_CELL_TEXT && !strcmp(row->cells[1].text, "红"))
			(*out)[k].red++;
		else
			(*out)[k].yellow++;
	}
	cj_report_free(rep);
	return 0;
}

static void
light(web_req *r, int red, int yellow)
{
	web_printf(r, "<td class=\"light %s\">%s</td>", red ? "red" : yellow ? "yellow" : "green",
		   red ? "红" : yellow ? "黄" : "绿");
}

static void
period_form(web_req *r, const char *action, const char *org)
{
	const char *period = web_arg(r, "period");

	web_put(r, "<form class=\"filter\" method=\"get\" action=\"");
	web_put(r, action);
	web_put(r, "\">");
	if (org) {
		web_put(r, "<input type=\"hidden\" name=\"");
		web_put(r, strcmp(action, "/inspect") ? "village" : "org");
		web_put(r, "\" value=\"");
		web_text(r, org);
		web_put(r, "\">");
	}
	web_put(r, "<label>期间<input name=\"period\" placeholder=\"全部，或 2025、2025Q4、2025-12\" value=\"");
	web_text(r, period ? period : "");
	web_put(r, "\"></label><button type=\"submit\">扫描</button></form>\n");
}

static void
period_arg(web_req *r)
{
	const char *period = web_arg(r, "period");

	if (period && *period) {
		web_put(r, "&amp;period=");
		web_text(r, period);
	}
}

/* The county (no org): one row per township in scope; a township (org): one row per village. */
int
page_inspect(web_req *r)
{
	const char *org = web_arg(r, "org");
	cj_village_month *v = NULL;
	size_t nv = 0, nt = 0;
	tally *t = NULL;
	cj_date from, to;
	char err[512];

	if (cj_village_months(r->db, &v, &nv))
		return web_fail_db(r);
	web_page_begin(r, org && *org ? "监督：乡镇" : "监督：全县");
	period_form(r, "/inspect", org && *org ? org : NULL);
	if (scan_days(r, &from, &to, err, sizeof err)) {
		web_error_box(r, err);
		goto end;
	}
	if (org && *org)
		web_put(r, "<p><a href=\"/inspect\">← 全县</a></p>\n");
	web_put(r, "<div class=\"scroll\"><table class=\"list\"><thead><tr>");
	web_put(r, org && *org ? "<th>村</th>" : "<th>乡镇</th><th class=\"num\">村数</th>");
	web_put(r, "<th class=\"num\">红</th><th class=\"num\">黄</th><th>灯</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < nv; i++) {
		const char *town = v[i].village.parent_code;
		int red = 0, yellow = 0, villages = 0, seen = 0;
		if (org && *org) { /* a township: its villages */
			if (strcmp(town, org))
				continue;
			if (!t && count_findings(r, org, from, to, &t, &nt)) {
				web_put(r, "</tbody></table></div>");
				web_error_box(r, cj_db_errmsg(r->db));
				goto end;
			}
			for (size_t k = 0; k < nt; k++)
				if (!strcmp(t[k].village, v[i].village.code))
					red = t[k].red, yellow = t[k].yellow;
			web_put(r, "<tr><td><a href=\"/inspect/village?village=");
			web_text(r, v[i].village.code);
			period_arg(r);
			web_put(r, "\">");
			web_text(r, v[i].village.name);
			web_printf(r, "</a></td><td class=\"num\">%d</td><td class=\"num\">%d</td>", red, yellow);
			light(r, red, yellow);
			web_put(r, "</tr>\n");
			continue;
		}
		/* the county: each township once, at its first village, scanned by
		 * township (faster than one scan of the county on the demo) */
		for (size_t k = 0; k < i; k++)
			seen |= !strcmp(v[k].village.parent_code, town);
		if (seen)
			continue;
		if (count_findings(r, town, from, to, &t, &nt)) {
			web_put(r, "</tbody></table></div>");
			web_error_box(r, cj_db_errmsg(r->db));
			goto end;
		}
		for (size_t k = 0; k < nt; k++)
			red += t[k].red, yellow += t[k].yellow;
		free(t);
		t = NULL;
		for (size_t k = i; k < nv; k++)
			villages += !strcmp(v[k].village.parent_code, town);
		web_put(r, "<tr><td><a href=\"/inspect?org=");
		web_text(r, town);
		period_arg(r);
		web_put(r, "\">");
		web_text(r, v[i].township);
		web_printf(r, "</a></td><td class=\"num\">%d</td><td class=\"num\">%d</td><td class=\"num\">%d</td>",
			   villages, red, yellow);
		light(r, red, yellow);
		web_put(r, "</tr>\n");
	}
	web_put(r, "</tbody></table></div>\n<p class=\"hint\">红：须核查的线索；黄：须关注的线索；绿：没有线索。"
		   "线索来自审计扫描的预警规则（cunji audit scan）。</p>\n");
end:
	free(t);
	free(v);
	web_page_end(r);
	return 0;
}

/* A village: its findings, each voucher a link; its funds and projects. */
int
page_inspect_village(web_req *r)
{
	const char *village = web_arg(r, "village");
	cj_audit_request req = {village, {0}, {0}, NULL, 0, 1};
	cj_report *rep = NULL;
	cj_org org;
	char err[512], title[300];

	if (!village || !*village || cj_village_find(r->db, village, &org))
		return web_fail(r, 404, "没有这个村，或不在您的范围内");
	snprintf(title, sizeof title, "监督：%s", org.name);
	web_page_begin(r, title);
	web_put(r, "<p><a href=\"/inspect?org=");
	web_text(r, org.parent_code);
	web_put(r, "\">← 乡镇</a> · <a href=\"/vouchers?village=");
	web_text(r, org.code);
	web_put(r, "\">全部凭证</a> · <a href=\"/trace?village=");
	web_text(r, org.code);
	web_put(r, "\">资金与项目</a></p>\n");
	period_form(r, "/inspect/village", org.code);
	if (scan_days(r, &req.from, &req.to, err, sizeof err)) {
		web_error_box(r, err);
	} else if (cj_audit_scan(r->db, &req, &rep)) {
		web_error_box(r, cj_db_errmsg(r->db));
	} else {
		/* the vouchers a finding names open the voucher */
		char prefix[120];
		snprintf(prefix, sizeof prefix, "/voucher?village=%s&amp;", org.code);
		{
			web_link links[] = {{"涉及", prefix, "number", 1, NULL, NULL}};
			if (rep->ntables && rep->tables[0]->nrows == 0)
				web_notice_box(r, "这段时间没有线索。");
			web_report_linked(r, rep, links, 1);
		}
		cj_report_free(rep);
	}
	web_page_end(r);
	return 0;
}

/* Fund trace: the county's allocations and the villages' funds; one
 * allocation document end to end; one village's fund or projects. */
int
page_trace(web_req *r)
{
	const char *village = web_arg(r, "village"), *fund = web_arg(r, "fund"),
		   *doc = web_arg(r, "doc"), *county = web_arg(r, "county");
	cj_village_month *v = NULL;
	size_t nv = 0;
	cj_report *rep = NULL;
	cj_org org, town;
	char prefix[160];

	web_page_begin(r, "资金追踪");
	if (village && *village) {
		if (cj_village_find(r->db, village, &org)) {
			web_error_box(r, "没有这个村，或不在您的范围内。");
			goto end;
		}
		web_put(r, "<h2>");
		web_text(r, org.name);
		web_put(r, "</h2>\n");
		if (fund && *fund) {
			if (cj_list_fund(r->db, org.code, fund, &rep))
				web_error_box(r, cj_db_errmsg(r->db));
			else {
				snprintf(prefix, sizeof prefix, "/voucher?village=%s&amp;", org.code);
				web_link links[] = {{"凭证号", prefix, "number", 0, NULL, NULL}};
				web_report_linked(r, rep, links, 1);
			}
		} else {
			web_link links[] = {{"资金代码", "/trace?", "fund", 0, "村", "village"}};
			if (cj_list_funds(r->db, org.code, &rep))
				web_error_box(r, cj_db_errmsg(r->db));
			else
				web_report_linked(r, rep, links, 1);
			cj_report_free(rep);
			rep = NULL;
			if (cj_list_projects(r->db, org.code, &rep))
				web_error_box(r, cj_db_errmsg(r->db));
			else
				web_report(r, rep);
		}
		goto end;
	}
	if (doc && *doc && county && *county) {
		web_put(r, "<p><a href=\"/trace\">← 全县资金</a></p>\n");
		if (cj_list_trace(r->db, county, doc, &rep)) {
			web_error_box(r, cj_db_errmsg(r->db));
		} else {
			web_link links[] = {{"村", "/trace?", "village", 1, NULL, NULL},
					    {"凭证号", "/voucher?", "number", 0, "村", "village"}};
			web_report_linked(r, rep, links, 2);
		}
		goto end;
	}
	/* the county of the first village in scope: its funds, by document */
	if (cj_village_months(r->db, &v, &nv) || !nv ||
	    cj_org_find(r->db, v[0].village.parent_code, &town)) {
		web_notice_box(r, "您的账号还没有可见的村。");
		goto end;
	}
	if (cj_list_funds(r->db, town.parent_code, &rep)) {
		web_error_box(r, cj_db_errmsg(r->db));
	} else {
		snprintf(prefix, sizeof prefix, "/trace?county=%s&amp;", town.parent_code);
		web_link links[] = {{"文号", prefix, "doc", 0, NULL, NULL},
				    {"资金代码", "/trace?", "fund", 0, "村", "village"}};
		web_put(r, "<p class=\"hint\">点文号看一笔下达资金到各村、各项目、各收款人的去向；点资金代码看一个村的这笔资金。</p>\n");
		web_report_linked(r, rep, links, 2);
	}
end:
	cj_report_free(rep);
	free(v);
	web_page_end(r);
	return 0;
}
