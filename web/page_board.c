/*
 * page_board.c - a village board's page: the village's sheets as published
 * (what was published when, by whom, and whether the books still match),
 * and any period's sheets as the books give them now
 *
 * The list reads the publications as the login may (row-level security:
 * a board its own village); a sheet or file of another village is 404
 * here, by link or by guessed id.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <reports/disclosure.h>
#include <reports/publication.h>

#include "internal.h"

/* The publication id as the login sees it; 0 when it is none of its villages'. */
static int
mine(web_req *r, int64_t id, cj_pub_sheet *out)
{
	cj_pub_sheet *s = NULL;
	size_t n = 0;
	int found = 0;

	if (!id || cj_pub_list(r->db, 1, NULL, &s, &n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i].id == id) {
			*out = s[i];
			found = 1;
		}
	free(s);
	return found;
}

/* Any period's sheets from the books now (not what was published). */
static void
sheets_now(web_req *r, const char *village, const char *period)
{
	cj_report *reps[2] = {NULL, NULL};
	cj_date none = {0};
	char err[512];
	cj_span span;
	cj_org org;

	if (cj_span_parse(&span, period, err, sizeof err)) {
		web_error_box(r, err);
		return;
	}
	if (cj_village_find(r->db, village, &org)) {
		web_error_box(r, cj_db_errmsg(r->db));
		return;
	}
	if (cj_dis_village_reports(r->db, org.id, span, none, reps)) {
		web_error_box(r, cj_db_errmsg(r->db));
		return;
	}
	web_notice_box(r, "以下是按账簿现在的数字生成的公开表，仅供核对，不是已公开的表。");
	for (int i = 0; i < 2; i++) {
		web_put(r, "<h2>");
		web_text(r, reps[i]->title ? reps[i]->title : "");
		web_put(r, "</h2>");
		web_report(r, reps[i]);
		cj_report_free(reps[i]);
	}
}

int
page_board(web_req *r)
{
	const char *village = web_arg(r, "village"), *period = web_arg(r, "period");
	cj_village_month *v = NULL;
	size_t nv = 0;

	if (cj_village_months(r->db, &v, &nv))
		return web_fail_db(r);
	web_page_begin(r, "财务公开");
	web_put(r, "<p class=\"hint\">本村已公开的财务公开表：何时公开、由谁发布、账簿现在是否仍与之相符。</p>\n");
	if (!nv)
		web_notice_box(r, "您的账号还没有可见的村。");
	for (size_t i = 0; i < nv; i++) {
		cj_pub_sheet *s = NULL;
		size_t n = 0;
		web_put(r, "<h2>");
		web_text(r, v[i].township);
		web_put(r, " ");
		web_text(r, v[i].village.name);
		web_put(r, "</h2>\n");
		if (cj_pub_list(r->db, 1, v[i].village.code, &s, &n)) {
			web_error_box(r, cj_db_errmsg(r->db));
			continue;
		}
		if (!n) {
			web_notice_box(r, "尚未公开过财务公开表（由记账员用 cunji publish 发布）。");
			continue;
		}
		web_put(r, "<div class=\"scroll\"><table class=\"list\"><thead><tr><th>公开期间</th>"
			   "<th></th><th>公开日期</th><th>发布时间</th><th>发布人</th>"
			   "<th class=\"num\">凭证数</th></tr></thead><tbody>\n");
		for (size_t k = 0; k < n; k++)
			web_pub_sheet_row(r, &s[k], 1);
		web_put(r, "</tbody></table></div>\n");
		/* the latest publication's check */
		web_pub_verdict(r, s[0].id, 0);
		free(s);
	}
	free(v);
	web_put(r, "<h2>按账簿现在的数字查看</h2>\n<form class=\"filter\" method=\"get\" action=\"/board\">");
	web_village_select(r, village, 0);
	web_put(r, "<label>期间<input name=\"period\" placeholder=\"2025Q4、2025-12、2025\" value=\"");
	web_text(r, period ? period : "");
	web_put(r, "\"></label><button type=\"submit\">查看</button></form>\n");
	if (village && *village && period && *period)
		sheets_now(r, village, period);
	web_page_end(r);
	return 0;
}

int
page_board_sheet(web_req *r)
{
	int64_t id = web_arg_id(r, "id");
	cj_pub_sheet s;
	char title[300], day[16];

	if (!mine(r, id, &s))
		return web_fail(r, 404, "没有这张公开表");
	snprintf(title, sizeof title, "%s %s 财务公开", s.village_name, s.period_label);
	cj_date_format(day, sizeof day, s.posted_on);
	web_page_begin(r, title);
	web_put(r, "<p class=\"subtitle\">公开日期 ");
	web_text(r, day);
	web_put(r, " · 发布于 ");
	web_text(r, s.published_at);
	web_put(r, " · 发布人 ");
	web_text(r, s.published_by);
	web_printf(r, "</p>\n<p class=\"downloads\"><a href=\"/board/file?id=%lld&amp;format=pdf\">PDF</a> "
		      "<a href=\"/board/file?id=%lld&amp;format=xlsx\">Excel</a></p>\n",
		   (long long)id, (long long)id);
	web_pub_verdict(r, id, 1);
	web_pub_tables(r, id, title);
	web_page_end(r);
	return 0;
}

int
page_board_file(web_req *r)
{
	int64_t id = web_arg_id(r, "id");
	cj_pub_sheet s;

	if (!mine(r, id, &s))
		return web_fail(r, 404, "没有这张公开表");
	return web_pub_send_file(r, id, web_arg(r, "format"));
}
