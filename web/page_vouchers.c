/*
 * page_vouchers.c - the voucher list with its filters, and one voucher
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <reports/lists.h>
#include <reports/voucher_print.h>

#include "internal.h"

#define LIST_MAX 500

/* A link to a voucher: by number once posted, else by draft. */
static void
voucher_link(web_req *r, const cj_voucher_row *v)
{
	char per[16];

	cj_period_format(per, sizeof per, v->period);
	web_put(r, "<a href=\"/voucher?village=");
	web_text(r, v->village_code);
	if (v->state == CJ_VSTATE_POSTED)
		web_printf(r, "&amp;number=%s-%d\">记字第%d号</a>", per, v->number, v->number);
	else
		web_printf(r, "&amp;draft=%lld\">草稿%lld</a>", (long long)v->draft_id,
			   (long long)v->draft_id);
}

static void
state_select(web_req *r, const char *selected)
{
	static const char *const names[] = {"draft", "rejected", "reviewed", "posted"};

	web_put(r, "<label>状态<select name=\"state\"><option value=\"\">全部</option>");
	for (int i = 0; i < 4; i++)
		web_printf(r, "<option value=\"%s\"%s>%s</option>", names[i],
			   selected && !strcmp(selected, names[i]) ? " selected" : "",
			   cj_voucher_state_label((cj_voucher_state)i));
	web_put(r, "</select></label>");
}

/* The rows as a table; with review, a 审核 and a 标错 button on each draft awaiting it. */
void
web_voucher_table(web_req *r, const cj_voucher_row *rows, size_t n, int review)
{
	char money[CJ_MONEY_FMT_MAX], date[16];

	web_put(r, "<div class=\"scroll\"><table class=\"list\"><thead><tr><th>状态</th><th>村</th>"
		   "<th>凭证</th><th>日期</th><th>摘要</th><th class=\"num\">金额</th><th>制单</th><th>审核</th>"
		   "<th>记账</th>");
	if (review)
		web_put(r, "<th></th>");
	web_put(r, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const cj_voucher_row *v = &rows[i];
		cj_date_format(date, sizeof date, v->date);
		web_printf(r, "<tr><td class=\"state-%s\">", cj_voucher_state_name(v->state));
		web_text(r, cj_voucher_state_label(v->state));
		web_put(r, "</td><td>");
		web_text(r, v->village_code);
		web_put(r, "</td><td>");
		voucher_link(r, v);
		web_put(r, "</td><td>");
		web_text(r, date);
		web_put(r, "</td><td>");
		web_text(r, v->summary);
		if (v->action[0]) { /* a draft of a ledger action: what posting it records */
			char act[400];
			web_put(r, "<br><small>待执行动作：");
			web_text(r, cj_list_voucher_action(act, sizeof act, v));
			web_put(r, "</small>");
		}
		web_put(r, "</td><td class=\"num\">");
		web_text(r, web_money(money, v->total.fen));
		web_put(r, "</td><td>");
		web_text(r, v->prepared_by);
		web_put(r, "</td><td>");
		web_text(r, v->reviewed_by);
		web_put(r, "</td><td>");
		web_text(r, v->posted_by);
		web_put(r, "</td>");
		if (review) {
			web_put(r, "<td><form class=\"act\" method=\"post\" action=\"/review\">");
			web_csrf_field(r);
			web_put(r, "<input type=\"hidden\" name=\"village\" value=\"");
			web_text(r, v->village_code);
			web_printf(r, "\"><input type=\"hidden\" name=\"draft\" value=\"%lld\">"
				      "<button name=\"do\" value=\"review\">审核</button>"
				      "<input name=\"reason\" placeholder=\"标错原因\" maxlength=\"200\">"
				      "<button name=\"do\" value=\"reject\" class=\"warn\">标错</button>"
				      "</form></td>",
				   (long long)v->draft_id);
		}
		web_put(r, "</tr>\n");
	}
	web_put(r, "</tbody></table></div>\n");
}

/* Read the filter from the query; 0, or a message in err. */
static int
read_filter(web_req *r, cj_voucher_filter *f, char *err, size_t errsize)
{
	const char *village = web_arg(r, "village"), *period = web_arg(r, "period"),
		   *state = web_arg(r, "state");
	cj_org org;

	memset(f, 0, sizeof *f);
	f->limit = LIST_MAX + 1;
	if (village && *village) {
		if (cj_org_find(r->db, village, &org)) {
			snprintf(err, errsize, "%s", cj_db_errmsg(r->db));
			return -1;
		}
		f->org_id = org.id;
	}
	if (period && *period) {
		if (cj_span_parse(&f->span, period, err, errsize))
			return -1;
		f->has_span = 1;
	}
	if (state && *state) {
		if (cj_voucher_state_parse(state, &f->state)) {
			snprintf(err, errsize, "没有这种状态：%s", state);
			return -1;
		}
		f->has_state = 1;
	}
	return 0;
}

int
page_vouchers(web_req *r)
{
	const char *period = web_arg(r, "period");
	cj_voucher_filter f;
	cj_voucher_row *rows = NULL;
	size_t n = 0;
	char err[512];

	web_page_begin(r, "凭证");
	web_put(r, "<form class=\"filter\" method=\"get\" action=\"/vouchers\">");
	web_village_select(r, web_arg(r, "village"), 1);
	web_put(r, "<label>期间<input name=\"period\" placeholder=\"2025-03 或 2025\" value=\"");
	web_text(r, period);
	web_put(r, "\"></label>");
	state_select(r, web_arg(r, "state"));
	web_put(r, "<button type=\"submit\">查询</button></form>\n");
	if (read_filter(r, &f, err, sizeof err))
		web_error_box(r, err);
	else if (cj_voucher_list(r->db, &f, &rows, &n))
		web_error_box(r, cj_db_errmsg(r->db));
	else if (!n)
		web_notice_box(r, "没有符合条件的凭证。");
	else {
		if (n > LIST_MAX) {
			web_printf(r, "<p class=\"hint\">只列出前 %d 张，请缩小范围。</p>", LIST_MAX);
			n = LIST_MAX;
		}
		web_voucher_table(r, rows, n, 0);
	}
	free(rows);
	web_page_end(r);
	return 0;
}

/* Actions on a draft for whoever may take them (the database decides). */
static void
draft_actions(web_req *r, const cj_voucher_view *v)
{
	if (v->state != CJ_VSTATE_DRAFT && v->state != CJ_VSTATE_REVIEWED)
		return;
	web_put(r, "<form class=\"act\" method=\"post\" action=\"/review\">");
	web_csrf_field(r);
	web_put(r, "<input type=\"hidden\" name=\"village\" value=\"");
	web_text(r, v->village_code);
	web_printf(r, "\"><input type=\"hidden\" name=\"draft\" value=\"%lld\">",
		   (long long)v->draft_id);
	if (v->state == CJ_VSTATE_DRAFT)
		web_put(r, "<button name=\"do\" value=\"review\">审核</button>");
	else
		web_put(r, "<button name=\"do\" value=\"post\">记账</button>");
	web_put(r, "<input name=\"reason\" placeholder=\"标错原因\" maxlength=\"200\">"
		   "<button name=\"do\" value=\"reject\" class=\"warn\">标错</button></form>\n");
}

/* The voucher printed as the 记账凭证 form (reports/voucher_pdf.c), as a PDF download. */
static int
print_pdf(web_req *r, const cj_org *org, const cj_voucher_view *v)
{
	char path[] = "/tmp/cunji-web-XXXXXX", name[96];
	cj_vprint_request req;
	int64_t ids[1];
	int fd = mkstemp(path), status;

	if (fd < 0)
		return web_fail(r, 500, "无法写临时文件");
	close(fd);
	memset(&req, 0, sizeof req);
	req.village_id = org->id;
	req.per_page = 2;
	if (v->state == CJ_VSTATE_POSTED) {
		req.has_range = 1;
		req.from_period = req.to_period = v->period;
		req.from_number = req.to_number = v->number;
		snprintf(name, sizeof name, "voucher-%s-%04d-%02d-%d.pdf", org->code, v->period.year,
			 v->period.month, v->number);
	} else {
		ids[0] = v->draft_id;
		req.drafts = ids;
		req.ndrafts = 1;
		snprintf(name, sizeof name, "draft-%s-%lld.pdf", org->code, (long long)v->draft_id);
	}
	status = cj_voucher_print(r->db, &req, path, NULL, NULL);
	if (status)
		web_fail(r, 200, cj_db_errmsg(r->db));
	else
		web_send_file(r, path, "application/pdf", name);
	unlink(path);
	return 0;
}

int
page_voucher(web_req *r)
{
	const char *village = web_arg(r, "village"), *number = web_arg(r, "number"),
		   *draft = web_arg(r, "draft");
	cj_voucher_view v;
	cj_report *rep = NULL;
	cj_org org;
	int status;

	memset(&v, 0, sizeof v);
	if (!village || cj_org_find(r->db, village, &org))
		return web_fail(r, 404, "没有这个村，或您无权查看");
	if (number) {
		cj_period per;
		int num;
		char month[8];
		const char *dash = strrchr(number, '-');
		if (!dash || dash - number != 7 || sscanf(dash + 1, "%d", &num) != 1 || num < 1)
			return web_fail(r, 404, "凭证号应写作 2025-03-7");
		snprintf(month, sizeof month, "%.7s", number);
		if (cj_period_parse(&per, month))
			return web_fail(r, 404, "凭证号应写作 2025-03-7");
		status = cj_voucher_get(r->db, org.id, per, num, &v);
	} else if (draft) {
		long long id = strtoll(draft, NULL, 10);
		if (id <= 0)
			return web_fail(r, 404, "没有这张草稿");
		status = cj_draft_get(r->db, org.id, id, &v);
	} else {
		return web_fail(r, 404, "请指明凭证号或草稿号");
	}
	if (status) /* what row-level security hides does not exist */
		return web_fail(r, 404, cj_db_errmsg(r->db));
	if (web_arg(r, "format")) {
		if (strcmp(web_arg(r, "format"), "pdf"))
			status = web_fail(r, 404, "只能下载 pdf");
		else
			status = print_pdf(r, &org, &v);
		cj_voucher_view_free(&v);
		return status;
	}
	if (cj_list_voucher(&v, &rep)) {
		cj_voucher_view_free(&v);
		return web_fail(r, 500, "out of memory");
	}
	web_page_begin(r, "记账凭证");
	web_put(r, "<p class=\"downloads\"><a href=\"/voucher?village=");
	web_text(r, org.code);
	if (number) {
		web_put(r, "&amp;number=");
		web_text(r, number);
	} else {
		web_printf(r, "&amp;draft=%lld", (long long)v.draft_id);
	}
	web_put(r, "&amp;format=pdf\">打印（PDF 记账凭证）</a></p>\n");
	web_report(r, rep);
	draft_actions(r, &v);
	cj_report_free(rep);
	cj_voucher_view_free(&v);
	web_page_end(r);
	return 0;
}
