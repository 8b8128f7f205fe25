/*
 * page_statements.c - the statements and books of a village (报表与账簿):
 * on the page and downloaded as XLSX or PDF, one statement or the four
 * statements in one file (as `cunji statement all`)
 *
 * The builders are reports/statements.c's; a statement whose figures do not
 * agree is still shown and downloaded, with the builder's note on it.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <reports/statements.h>

#include "internal.h"

typedef int (*builder)(cj_db *db, const char *village, cj_span span, cj_report **out);

static const struct kind {
	const char *key, *title;
	builder build; /* NULL: the ledger of one account, or all four */
} kinds[] = {
	{"bs", "资产负债表", cj_statement_balance_sheet},
	{"income", "收益及收益分配表", cj_statement_income},
	{"tb", "科目余额表", cj_statement_balances},
	{"detail", "收支明细表", cj_statement_detail},
	{"ledger", "明细账", NULL},
	{"all", "四张报表", NULL},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static const struct kind *
kind_of(const char *key)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (key && !strcmp(key, kinds[i].key))
			return &kinds[i];
	return &kinds[0];
}

/* Build the reports of kind k into reps (at most 4); how many, or -1 with
 * the message in err.  An unbalanced statement is built, its note says so. */
static int
build_all(web_req *r, const struct kind *k, const char *village, const char *account,
	  cj_span span, cj_report **reps, char *err, size_t errsize)
{
	builder four[] = {cj_statement_balance_sheet, cj_statement_income, cj_statement_balances,
			  cj_statement_detail};
	int n = 0, status;

	if (!strcmp(k->key, "ledger")) {
		if (!account || !*account) {
			snprintf(err, errsize, "明细账请填科目代码或名称");
			return -1;
		}
		cj_org org;
		char code[16];
		/* by code or by name, as the entry form takes it */
		if (cj_village_find(r->db, village, &org) ||
		    cj_account_resolve(r->db, org.id, account, code, sizeof code)) {
			snprintf(err, errsize, "%s", cj_db_errmsg(r->db));
			return -1;
		}
		status = cj_statement_ledger(r->db, village, code, span, &reps[0]);
		if (status && !reps[0]) {
			snprintf(err, errsize, "%s", cj_db_errmsg(r->db));
			return -1;
		}
		return 1;
	}
	for (size_t i = 0; i < 4; i++) {
		builder b = k->build ? k->build : four[i];
		reps[n] = NULL;
		status = b(r->db, village, span, &reps[n]);
		if (status && !reps[n]) {
			snprintf(err, errsize, "%s", cj_db_errmsg(r->db));
			for (int j = 0; j < n; j++)
				cj_report_free(reps[j]);
			return -1;
		}
		n++;
		if (k->build)
			break;
	}
	return n;
}

static void
download_link(web_req *r, const char *label, const char *kind, const cj_org *org,
	      const char *tag, const char *account, const char *fmt)
{
	web_printf(r, "<a href=\"/statements?kind=%s&amp;village=", kind);
	web_text(r, org->code);
	web_put(r, "&amp;period=");
	web_text(r, tag);
	if (account && *account) {
		web_put(r, "&amp;account=");
		web_text(r, account);
	}
	web_printf(r, "&amp;format=%s\">", fmt);
	web_text(r, label);
	web_put(r, "</a>");
}

int
page_statements(web_req *r)
{
	const char *village = web_arg(r, "village"), *period = web_arg(r, "period"),
		   *fmt = web_arg(r, "format"), *account = web_arg(r, "account");
	const struct kind *k = kind_of(web_arg(r, "kind"));
	char year[16], err[512], tag[CJ_SPAN_TEXT_MAX], name[160];
	cj_report *reps[4] = {0};
	cj_span span;
	cj_org org;
	time_t now = time(NULL);
	struct tm tm;
	int n;

	gmtime_r(&now, &tm);
	snprintf(year, sizeof year, "%d", tm.tm_year + 1900);
	if (!period || !*period)
		period = year;
	if (fmt && strcmp(fmt, "xlsx") && strcmp(fmt, "pdf"))
		return web_fail(r, 404, "只能下载 xlsx 或 pdf");
	if (fmt) { /* a download: the file or what went wrong */
		if (!village || cj_span_parse(&span, period, err, sizeof err))
			return web_fail(r, 200, village ? err : "请选择村");
		if (cj_village_find(r->db, village, &org))
			return web_fail(r, 404, "没有这个村，或您无权查看");
		if ((n = build_all(r, k, org.code, account, span, reps, err, sizeof err)) < 0)
			return web_fail(r, 200, err);
		snprintf(name, sizeof name, "%s-%s-%s.%s", k->key, org.code,
			 cj_span_tag(tag, sizeof tag, span), fmt);
		web_download_reports(r, (const cj_report *const *)reps, (size_t)n, fmt, name);
		for (int i = 0; i < n; i++)
			cj_report_free(reps[i]);
		return 0;
	}
	web_page_begin(r, "报表与账簿");
	web_put(r, "<form class=\"filter\" method=\"get\" action=\"/statements\">");
	web_village_select(r, village, 0);
	web_put(r, "<label>报表<select name=\"kind\">");
	for (size_t i = 0; i < NKINDS - 1; i++) { /* all four: only as a download */
		web_printf(r, "<option value=\"%s\"%s>", kinds[i].key, k == &kinds[i] ? " selected" : "");
		web_text(r, kinds[i].title);
		web_put(r, "</option>");
	}
	web_put(r, "</select></label><label>期间<input name=\"period\" "
		   "placeholder=\"2025、2025Q4、2025-03\" value=\"");
	web_text(r, period);
	web_put(r, "\"></label><label>科目（明细账）<input name=\"account\" "
		   "placeholder=\"代码或名称\" value=\"");
	web_text(r, account);
	web_put(r, "\"></label><button type=\"submit\">查看</button></form>\n");
	if (!strcmp(k->key, "all"))
		k = &kinds[0];
	if (!village || !*village) {
		web_notice_box(r, "请选择村、报表和期间。资产负债表、收益及收益分配表和收支明细表"
				  "只能是同一年内的月份。");
	} else if (cj_span_parse(&span, period, err, sizeof err)) {
		web_error_box(r, err);
	} else if (cj_village_find(r->db, village, &org)) {
		web_error_box(r, "没有这个村，或您无权查看");
	} else if ((n = build_all(r, k, org.code, account, span, reps, err, sizeof err)) < 0) {
		web_error_box(r, err);
	} else {
		cj_span_tag(tag, sizeof tag, span);
		web_put(r, "<p class=\"downloads\">下载本表：");
		download_link(r, "Excel (XLSX)", k->key, &org, tag, account, "xlsx");
		download_link(r, "PDF", k->key, &org, tag, account, "pdf");
		web_put(r, "<br>四张报表（资产负债表、收益及收益分配表、科目余额表、收支明细表）合为一个文件：");
		download_link(r, "Excel (XLSX)", "all", &org, tag, NULL, "xlsx");
		download_link(r, "PDF", "all", &org, tag, NULL, "pdf");
		web_put(r, "</p>\n");
		for (int i = 0; i < n; i++) {
			web_report(r, reps[i]);
			cj_report_free(reps[i]);
		}
	}
	web_page_end(r);
	return 0;
}
