/*
 * page_public.c - the public server's pages (--public): the sheets
 * published, one sheet as tables, its files, and the check a sheet's QR
 * code leads to; the pieces the board's pages share
 *
 * Every page runs as the public reader, which reads nothing but what the
 * database's public_* functions return (schema 0030).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <reports/publication.h>

#include "internal.h"

int64_t
web_arg_id(web_req *r, const char *name)
{
	const char *s = web_arg(r, name);
	char *end;
	long long v;

	if (!s || !*s || strlen(s) > 18)
		return 0;
	v = strtoll(s, &end, 10);
	return *end || v <= 0 ? 0 : (int64_t)v;
}

void
web_pub_verdict(web_req *r, int64_t id, int with_hotline)
{
	cj_pub_check c;

	if (cj_pub_check_sheet(r->db, id, &c)) {
		web_error_box(r, "无法核验：找不到这张公开表。");
		return;
	}
	switch (c.verdict) {
	case CJ_DIS_MATCH:
		web_printf(r, "<p class=\"verdict ok\">✔ 相符：账簿至今与公开表一致（%ld 张凭证）。</p>",
			   c.vouchers_then);
		break;
	case CJ_DIS_STALE:
		web_printf(r, "<p class=\"verdict stale\">⚠ 已有变动：公开后又补记了本期凭证 %ld 张"
			      "（公开时 %ld 张，现在 %ld 张），公开表上的数字可能已不是账簿现在的数字。</p>",
			   c.vouchers_now - c.vouchers_then, c.vouchers_then, c.vouchers_now);
		break;
	case CJ_DIS_FOREIGN:
		web_put(r, "<p class=\"verdict bad\">✘ 不符：账簿中的凭证已不是制表时的凭证。请向监督电话反映。</p>");
		break;
	case CJ_DIS_REWRITTEN:
		web_put(r, "<p class=\"verdict bad\">✘ 不符：本村账簿的历史记录在公开后被改写。请向监督电话反映。</p>");
		break;
	}
	if (with_hotline) {
		web_put(r, "<p class=\"hotline\">监督举报电话：<strong>12317</strong>");
		if (c.hotline[0]) {
			web_put(r, "、<strong>");
			web_text(r, c.hotline);
			web_put(r, "</strong>（");
			web_text(r, c.hotline_owner);
			web_put(r, "）");
		}
		web_put(r, "</p>\n");
	}
}

int
web_pub_send_file(web_req *r, int64_t id, const char *format)
{
	char *data = NULL, name[300], *p;
	size_t len = 0;
	int pdf;

	if (!format || (strcmp(format, "xlsx") && strcmp(format, "pdf")))
		return web_fail(r, 404, "只能下载 xlsx 或 pdf");
	pdf = !strcmp(format, "pdf");
	if (!id || cj_pub_file(r->db, id, format, &data, &len, name, sizeof name))
		return web_fail(r, 404, "没有这张公开表");
	cj__buf_put(&r->out, data, len);
	free(data);
	r->content_type = pdf ? "application/pdf"
			      : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	/* the name in UTF-8 (RFC 5987), and an ASCII one for old browsers */
	for (p = name; *p; p++)
		if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
			*p = '_';
	{
		char enc[900] = "";
		size_t k = 0;
		for (p = name; *p && k + 4 < sizeof enc; p++) {
			unsigned char ch = (unsigned char)*p;
			if ((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
			    ch == '-' || ch == '.' || ch == '_')
				enc[k++] = (char)ch;
			else
				k += (size_t)snprintf(enc + k, sizeof enc - k, "%%%02X", ch);
		}
		enc[k] = '\0';
		snprintf(r->disposition, sizeof r->disposition,
			 "attachment; filename=\"sheet-%lld.%s\"; filename*=UTF-8''%.200s", (long long)id,
			 format, enc);
	}
	return 0;
}

void
web_pub_tables(web_req *r, int64_t id, const char *title)
{
	char *data = NULL, name[300];
	size_t len = 0;
	cj_report *rep = NULL;

	if (cj_pub_file(r->db, id, "xlsx", &data, &len, name, sizeof name)) {
		web_error_box(r, "没有这张公开表。");
		return;
	}
	if (cj_pub_sheet_report(data, len, title, &rep))
		web_error_box(r, "这张公开表的文件读不出来，请下载查看。");
	else
		web_report(r, rep);
	cj_report_free(rep);
	free(data);
}

/* One sheet's line in a list: period, dates, links (prefix: "" or "/board"). */
static void
sheet_links(web_req *r, const cj_pub_sheet *s, const char *view, const char *file,
	    const char *check)
{
	web_printf(r, "<a href=\"%s?id=%lld\">查看</a> <a href=\"%s?id=%lld&amp;format=pdf\">PDF</a> "
		      "<a href=\"%s?id=%lld&amp;format=xlsx\">Excel</a>",
		   view, (long long)s->id, file, (long long)s->id, file, (long long)s->id);
	if (check)
		web_printf(r, " <a href=\"%s?id=%lld\">核验</a>", check, (long long)s->id);
}

void
web_pub_sheet_row(web_req *r, const cj_pub_sheet *s, int board)
{
	char day[16];

	/* the links first: on a phone the rest of the row may be off screen */
	cj_date_format(day, sizeof day, s->posted_on);
	web_printf(r, "<tr><td><a href=\"%s?id=%lld\">", board ? "/board/sheet" : "/sheet",
		   (long long)s->id);
	web_text(r, s->period_label);
	web_put(r, "</a>");
	if (s->superseded)
		web_put(r, " <span class=\"muted\">（已被更新）</span>");
	web_put(r, "</td><td class=\"links\">");
	if (board)
		sheet_links(r, s, "/board/sheet", "/board/file", NULL);
	else
		sheet_links(r, s, "/sheet", "/file", "/check");
	web_put(r, "</td><td>");
	web_text(r, day);
	web_put(r, "</td><td>");
	web_text(r, s->published_at);
	if (board) {
		web_put(r, "</td><td>");
		web_text(r, s->published_by);
	}
	web_printf(r, "</td><td class=\"num\">%ld</td></tr>\n", s->vouchers);
}

int
page_public_index(web_req *r)
{
	cj_pub_sheet *s = NULL;
	size_t n = 0;
	const char *village = NULL;

	if (cj_pub_list(r->db, 0, NULL, &s, &n))
		return web_fail(r, 503, "暂时无法读取公开栏，请稍后再试");
	web_page_begin(r, "村务财务公开栏");
	web_put(r, "<p class=\"hint\">这里是各村已公开的财务公开表。点“查看”看表，点“核验”看公开表与账簿现在是否一致；"
		   "扫公开表上的二维码也可核验。</p>\n");
	if (!n)
		web_notice_box(r, "还没有公开的财务公开表。");
	for (size_t i = 0; i < n; i++) {
		if (!village || strcmp(village, s[i].village)) {
			if (village)
				web_put(r, "</tbody></table></div>\n");
			village = s[i].village;
			web_put(r, "<h2>");
			web_text(r, s[i].county_name);
			web_put(r, " ");
			web_text(r, s[i].township_name);
			web_put(r, " ");
			web_text(r, s[i].village_name);
			web_put(r, "</h2>\n<div class=\"scroll\"><table class=\"list\"><thead><tr><th>公开期间</th>"
				   "<th></th><th>公开日期</th><th>发布时间</th><th class=\"num\">凭证数</th>"
				   "</tr></thead><tbody>\n");
		}
		web_pub_sheet_row(r, &s[i], 0);
	}
	if (village)
		web_put(r, "</tbody></table></div>\n");
	free(s);
	web_page_end(r);
	return 0;
}

/* The sheet id of the page, and its list entry; 0 when there is none. */
static int
find_sheet(web_req *r, int64_t id, cj_pub_sheet *out)
{
	cj_pub_sheet *s = NULL;
	size_t n = 0;
	int found = 0;

	if (!id || cj_pub_list(r->db, 0, NULL, &s, &n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i].id == id) {
			*out = s[i];
			found = 1;
		}
	free(s);
	return found;
}

static void
sheet_heading(web_req *r, const cj_pub_sheet *s)
{
	char day[16];

	cj_date_format(day, sizeof day, s->posted_on);
	web_put(r, "<p class=\"subtitle\">");
	web_text(r, s->county_name);
	web_put(r, " ");
	web_text(r, s->township_name);
	web_put(r, " · 公开期间 ");
	web_text(r, s->period_label);
	web_put(r, " · 公开日期 ");
	web_text(r, day);
	web_put(r, "</p>\n");
}

int
page_public_sheet(web_req *r)
{
	int64_t id = web_arg_id(r, "id");
	cj_pub_sheet s;
	char title[300];

	if (!find_sheet(r, id, &s))
		return web_fail(r, 404, "没有这张公开表");
	snprintf(title, sizeof title, "%s %s 财务公开", s.village_name, s.period_label);
	web_page_begin(r, title);
	sheet_heading(r, &s);
	web_put(r, "<p class=\"downloads\">");
	sheet_links(r, &s, "/sheet", "/file", "/check");
	web_put(r, "</p>\n");
	web_pub_verdict(r, id, 1);
	web_pub_tables(r, id, title);
	web_page_end(r);
	return 0;
}

int
page_public_file(web_req *r)
{
	return web_pub_send_file(r, web_arg_id(r, "id"), web_arg(r, "format"));
}

int
page_public_check(web_req *r)
{
	const char *q = web_arg(r, "q");
	int64_t id = web_arg_id(r, "id");
	cj_pub_sheet s;
	char title[300];

	/* a = the anchor, as the QR code's URL carries it (setting check-url) */
	if ((!q || !*q) && web_arg(r, "a"))
		q = web_arg(r, "a");

	if (!id && q && *q && cj_pub_of_anchor(r->db, q, &id)) {
		web_page_begin(r, "核验公开表");
		web_error_box(r, strlen(q) > 1000 || !strstr(q, "cunji-anchor-v1")
					 ? "这不是村集公开表上的二维码内容。"
					 : "没有找到带这个二维码的已公开表：它可能不是从这里公开的，或已被改动。请向监督电话 12317 反映。");
		id = 0;
	} else if (id && find_sheet(r, id, &s)) {
		snprintf(title, sizeof title, "核验：%s %s", s.village_name, s.period_label);
		web_page_begin(r, title);
		sheet_heading(r, &s);
		web_pub_verdict(r, id, 1);
		web_put(r, "<p>");
		sheet_links(r, &s, "/sheet", "/file", NULL);
		web_put(r, "</p>\n");
	} else if (id) {
		return web_fail(r, 404, "没有这张公开表");
	} else {
		web_page_begin(r, "核验公开表");
	}
	web_put(r, "<form class=\"filter\" method=\"get\" action=\"/check\"><label>二维码内容"
		   "<input name=\"q\" maxlength=\"600\" placeholder=\"cunji-anchor-v1 village=…\"></label>"
		   "<button type=\"submit\">核验</button></form>\n"
		   "<p class=\"hint\">用手机扫公开表右上角的二维码，把扫出的文字粘贴到这里即可核验。</p>\n");
	web_page_end(r);
	return 0;
}
