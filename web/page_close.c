/*
 * page_close.c - month close (结账) for reviewers and admins
 *
 * The list shows each village in scope with the month it would close next
 * (the month after the last closed one, or its first month), what is still
 * awaiting review or posting, and a 结账 link to a confirmation page; the
 * close itself is a POST that must carry confirm=yes.  The database decides
 * who may close (roles.md: admins, reviewers in scope) and refuses a month
 * out of order; a refusal is shown in its words.
 *
 * Reopening (反结账) is the same in reverse: the list links each village's
 * last closed month (later months must be reopened first) to a confirmation
 * page asking why; the POST carries the reason and confirm=yes and runs
 * cj_period_reopen, which the database allows reviewers and admins in scope
 * and records with the reason.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The month a village closes next. */
static cj_period
next_month(const cj_village_month *m)
{
	return m->has_closed ? cj_period_next(m->last_closed) : m->village.start;
}

static int
find_village(web_req *r, const char *code, cj_village_month *out)
{
	cj_village_month *v = NULL;
	size_t n = 0;
	int found = 0;

	if (!code || cj_village_months(r->db, &v, &n))
		return 0;
	for (size_t i = 0; i < n && !found; i++)
		if (!strcmp(v[i].village.code, code)) {
			*out = v[i];
			found = 1;
		}
	free(v);
	return found;
}

static void
pending_note(web_req *r, const cj_village_month *m)
{
	if (m->drafts || m->reviewed)
		web_printf(r, "<p class=\"error\">还有 %d 张凭证待审核、%d 张待记账：结账后它们不能再记入"
			      "已结账的月份。</p>\n", m->drafts, m->reviewed);
}

/* The confirmation page of one village's next month. */
static int
confirm_page(web_req *r, const cj_village_month *m, const char *error)
{
	char per[16];

	cj_period_format(per, sizeof per, next_month(m));
	web_page_begin(r, "月末结账");
	if (error)
		web_error_box(r, error);
	web_put(r, "<section class=\"confirm\"><p>确认为 <b>");
	web_text(r, m->township);
	web_put(r, " ");
	web_text(r, m->village.name);
	web_put(r, "</b>（");
	web_text(r, m->village.code);
	web_put(r, "）结账 <b>");
	web_text(r, per);
	web_put(r, "</b>？</p><p class=\"hint\">结账后，这个月不能再记账；要改，须由有权限的人反结账并写明原因。"
		   "</p>\n");
	pending_note(r, m);
	web_put(r, "<p><a href=\"/statements?kind=tb&amp;village=");
	web_text(r, m->village.code);
	web_put(r, "&amp;period=");
	web_text(r, per);
	web_put(r, "\">先看本月科目余额表</a></p><form class=\"act go\" method=\"post\" action=\"/close\">");
	web_csrf_field(r);
	web_put(r, "<input type=\"hidden\" name=\"village\" value=\"");
	web_text(r, m->village.code);
	web_put(r, "\"><input type=\"hidden\" name=\"month\" value=\"");
	web_text(r, per);
	web_put(r, "\"><input type=\"hidden\" name=\"confirm\" value=\"yes\">"
		   "<button type=\"submit\" class=\"primary\">确认结账</button> "
		   "<a href=\"/close\">取消</a></form></section>\n");
	web_page_end(r);
	return 0;
}

int
page_close_form(web_req *r)
{
	const char *village = web_arg(r, "village");
	cj_village_month *v = NULL, one;
	size_t n = 0;
	char per[16];

	if (village && *village) {
		if (!find_village(r, village, &one))
			return web_fail(r, 404, "没有这个村，或您无权查看");
		return confirm_page(r, &one, NULL);
	}
	if (cj_village_months(r->db, &v, &n))
		return web_fail_db(r);
	web_page_begin(r, "月末结账");
	web_put(r, "<p class=\"hint\">月份按顺序结账。结账由审核员或管理员办理，数据库核对权限。</p>\n");
	web_put(r, "<div class=\"scroll\"><table class=\"list\"><thead><tr><th>乡镇</th><th>村</th>"
		   "<th>已结账至</th><th>待审核</th><th>待记账</th><th>下一个结账月份</th><th>反结账</th>"
		   "</tr></thead>"
		   "<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const cj_village_month *m = &v[i];
		web_put(r, "<tr><td>");
		web_text(r, m->township);
		web_put(r, "</td><td>");
		web_text(r, m->village.name);
		web_put(r, "</td><td>");
		if (m->has_closed) {
			cj_period_format(per, sizeof per, m->last_closed);
			web_text(r, per);
		} else {
			web_put(r, "<span class=\"muted\">未结账</span>");
		}
		web_printf(r, "</td><td class=\"num\">%d</td><td class=\"num\">%d</td><td>", m->drafts,
			   m->reviewed);
		cj_period_format(per, sizeof per, next_month(m));
		web_put(r, "<a href=\"/close?village=");
		web_text(r, m->village.code);
		web_put(r, "\">结账 ");
		web_text(r, per);
		web_put(r, "</a></td><td>");
		if (m->has_closed) {
			cj_period_format(per, sizeof per, m->last_closed);
			web_put(r, "<a href=\"/reopen?village=");
			web_text(r, m->village.code);
			web_put(r, "\">反结账 ");
			web_text(r, per);
			web_put(r, "</a>");
		}
		web_put(r, "</td></tr>\n");
	}
	web_put(r, "</tbody></table></div>\n");
	free(v);
	web_page_end(r);
	return 0;
}

int
page_close(web_req *r)
{
	char village[40], month[16], confirm[8], per[16], msg[300];
	cj_village_month m;
	cj_period p;

	web_field(r, "village", 0, village, sizeof village);
	web_field(r, "month", 0, month, sizeof month);
	web_field(r, "confirm", 0, confirm, sizeof confirm);
	if (!find_village(r, village, &m))
		return web_fail(r, 404, "没有这个村，或您无权查看");
	if (cj_period_parse(&p, month))
		return confirm_page(r, &m, "月份应写作 2025-03");
	if (strcmp(confirm, "yes"))
		return confirm_page(r, &m, "请确认后再结账");
	if (cj_period_close(r->db, m.village.id, p, NULL)) {
		r->status = 422;
		return confirm_page(r, &m, cj_db_errmsg(r->db));
	}
	cj_period_format(per, sizeof per, p);
	web_page_begin(r, "月末结账");
	snprintf(msg, sizeof msg, "%s %s 已结账。", m.village.name, per);
	web_notice_box(r, msg);
	web_put(r, "<p><a href=\"/close\">返回结账</a> <a href=\"/villages\">村庄与月份</a></p>\n");
	web_page_end(r);
	return 0;
}

/* The confirmation page of reopening a village's last closed month. */
static int
reopen_page(web_req *r, const cj_village_month *m, const char *reason, const char *error)
{
	char per[16];

	web_page_begin(r, "反结账");
	if (error)
		web_error_box(r, error);
	if (!m->has_closed) {
		web_notice_box(r, "这个村还没有结账的月份，无须反结账。");
		web_put(r, "<p><a href=\"/close\">返回结账</a></p>\n");
		web_page_end(r);
		return 0;
	}
	cj_period_format(per, sizeof per, m->last_closed);
	web_put(r, "<section class=\"confirm\"><p>确认为 <b>");
	web_text(r, m->township);
	web_put(r, " ");
	web_text(r, m->village.name);
	web_put(r, "</b>（");
	web_text(r, m->village.code);
	web_put(r, "）反结账 <b>");
	web_text(r, per);
	web_put(r, "</b>？</p><p class=\"hint\">反结账后这个月可以再记账，月末须重新结账。"
		   "只能反结账最后一个已结账的月份；已年结的年度不能反结账。反结账由审核员或管理员办理，"
		   "原因和办理人记入账簿，纪检监察可查。</p>\n"
		   "<form class=\"act go\" method=\"post\" action=\"/reopen\">");
	web_csrf_field(r);
	web_put(r, "<input type=\"hidden\" name=\"village\" value=\"");
	web_text(r, m->village.code);
	web_put(r, "\"><input type=\"hidden\" name=\"month\" value=\"");
	web_text(r, per);
	web_put(r, "\"><label class=\"wide\">反结账原因（必填）<textarea name=\"reason\" "
		   "maxlength=\"400\" rows=\"3\" required>");
	web_text(r, reason);
	web_put(r, "</textarea></label><label class=\"check\"><input type=\"checkbox\" "
		   "name=\"confirm\" value=\"yes\" required> 我确认反结账</label>"
		   "<button type=\"submit\" class=\"warn\">反结账</button> "
		   "<a href=\"/close\">取消</a></form></section>\n");
	web_page_end(r);
	return 0;
}

int
page_reopen_form(web_req *r)
{
	cj_village_month m;

	if (!find_village(r, web_arg(r, "village"), &m))
		return web_fail(r, 404, "没有这个村，或您无权查看");
	return reopen_page(r, &m, NULL, NULL);
}

int
page_reopen(web_req *r)
{
	char village[40], month[16], confirm[8], reason[1600], per[16], msg[300];
	cj_village_month m;
	cj_period p;
	const char *why;

	web_field(r, "village", 0, village, sizeof village);
	web_field(r, "month", 0, month, sizeof month);
	web_field(r, "confirm", 0, confirm, sizeof confirm);
	web_field(r, "reason", 0, reason, sizeof reason);
	if (!find_village(r, village, &m))
		return web_fail(r, 404, "没有这个村，或您无权查看");
	why = reason + strspn(reason, " \t\r\n");
	if (cj_period_parse(&p, month))
		return reopen_page(r, &m, reason, "月份应写作 2025-03");
	if (!*why) {
		r->status = 422;
		return reopen_page(r, &m, reason, "请写明反结账的原因");
	}
	if (strcmp(confirm, "yes")) {
		r->status = 422;
		return reopen_page(r, &m, reason, "请勾选“我确认反结账”后再提交");
	}
	if (cj_period_reopen(r->db, m.village.id, p, why)) {
		r->status = 422;
		return reopen_page(r, &m, reason, cj_db_errmsg(r->db));
	}
	cj_period_format(per, sizeof per, p);
	web_page_begin(r, "反结账");
	snprintf(msg, sizeof msg, "%s %s 已反结账，可以再记账。", m.village.name, per);
	web_notice_box(r, msg);
	web_put(r, "<p><a href=\"/close\">返回结账</a> <a href=\"/villages\">村庄与月份</a></p>\n");
	web_page_end(r);
	return 0;
}
