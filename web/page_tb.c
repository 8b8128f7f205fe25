/*
 * page_tb.c - 科目余额表 of a village for a period, on the page and as an
 * XLSX or PDF download (the reports' own renderers)
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <reports/statements.h>

#include "internal.h"

/* Render rep as xlsx or pdf as a download. */
static int
download(web_req *r, const cj_report *rep, const char *fmt, const char *code, cj_span span)
{
	char name[128], tag[CJ_SPAN_TEXT_MAX];

	snprintf(name, sizeof name, "tb-%s-%s.%s", code, cj_span_tag(tag, sizeof tag, span),
		 !strcmp(fmt, "pdf") ? "pdf" : "xlsx");
	return web_download_reports(r, &rep, 1, fmt, name);
}

int
page_tb(web_req *r)
{
	const char *village = web_arg(r, "village"), *period = web_arg(r, "period"),
		   *fmt = web_arg(r, "format");
	char year[16], err[512], tag[CJ_SPAN_TEXT_MAX];
	cj_report *rep = NULL;
	cj_span span;
	cj_org org;
	time_t now = time(NULL);
	struct tm tm;
	int status;

	gmtime_r(&now, &tm);
	snprintf(year, sizeof year, "%d", tm.tm_year + 1900);
	if (!period || !*period)
		period = year;
	if (fmt && strcmp(fmt, "xlsx") && strcmp(fmt, "pdf"))
		return web_fail(r, 404, "只能下载 xlsx 或 pdf");
	if (village && *village && fmt) { /* a download: the file or what went wrong */
		if (cj_span_parse(&span, period, err, sizeof err))
			return web_fail(r, 200, err);
		if (cj_village_find(r->db, village, &org))
			return web_fail(r, 404, cj_db_errmsg(r->db));
		status = cj_statement_balances(r->db, org.code, span, &rep);
		if (!rep)
			return web_fail(r, 200, cj_db_errmsg(r->db));
		(void)status; /* unbalanced: the file carries the note that says so */
		status = download(r, rep, fmt, org.code, span);
		cj_report_free(rep);
		return status;
	}
	web_page_begin(r, "科目余额表");
	web_put(r, "<form class=\"filter\" method=\"get\" action=\"/tb\">");
	web_village_select(r, village, 0);
	web_put(r, "<label>期间<input name=\"period\" placeholder=\"2025、2025Q4、2025-03\" value=\"");
	web_text(r, period);
	web_put(r, "\"></label><button type=\"submit\">查看</button></form>\n");
	if (!village || !*village) {
		web_notice_box(r, "请选择村和期间。");
	} else if (cj_span_parse(&span, period, err, sizeof err)) {
		web_error_box(r, err);
	} else if (cj_village_find(r->db, village, &org)) {
		web_error_box(r, cj_db_errmsg(r->db));
	} else {
		status = cj_statement_balances(r->db, org.code, span, &rep);
		if (status)
			web_error_box(r, cj_db_errmsg(r->db));
		if (rep) {
			cj_span_tag(tag, sizeof tag, span);
			web_put(r, "<p class=\"downloads\">下载：<a href=\"/tb?village=");
			web_text(r, org.code);
			web_put(r, "&amp;period=");
			web_text(r, tag);
			web_put(r, "&amp;format=xlsx\">Excel (XLSX)</a> <a href=\"/tb?village=");
			web_text(r, org.code);
			web_put(r, "&amp;period=");
			web_text(r, tag);
			web_put(r, "&amp;format=pdf\">PDF</a></p>\n");
			web_report(r, rep);
			cj_report_free(rep);
		}
	}
	web_page_end(r);
	return 0;
}
