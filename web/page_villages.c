/*
 * page_villages.c - the villages the login sees, where their months stand;
 * the village chooser the other pages' filters share
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void
web_village_select(web_req *r, const char *selected, int any)
{
	cj_village_month *v = NULL;
	size_t n = 0;

	web_put(r, "<label>村<select name=\"village\">");
	if (any)
		web_put(r, "<option value=\"\">全部</option>");
	if (!web_villages(web_sessions_of(r->web), r->s, r->db, r->scope, &v, &n))
		for (size_t i = 0; i < n; i++) {
			web_put(r, "<option value=\"");
			web_text(r, v[i].village.code);
			web_put(r, selected && !strcmp(selected, v[i].village.code) ? "\" selected>"
										     : "\">");
			web_text(r, v[i].township);
			web_put(r, " ");
			web_text(r, v[i].village.name);
			web_put(r, "</option>");
		}
	free(v);
	web_put(r, "</select></label>");
}

static void
count_cell(web_req *r, int n, const char *code, const char *state)
{
	if (!n) {
		web_put(r, "<td class=\"num\"></td>");
		return;
	}
	web_put(r, "<td class=\"num\"><a href=\"/vouchers?village=");
	web_text(r, code);
	web_printf(r, "&amp;state=%s\">%d</a></td>", state, n);
}

int
page_villages(web_req *r)
{
	cj_village_month *v = NULL;
	size_t n = 0;
	char per[16];

	if (cj_village_months(r->db, &v, &n))
		return web_fail_db(r);
	web_page_begin(r, "村庄与月份");
	if (!n)
		web_notice_box(r, "您的账号还没有可见的村。请管理员用 cunji user scope add 添加范围。");
	else
		web_printf(r, "<p class=\"hint\">您可见 %zu 个村。</p>", n);
	web_put(r, "<div class=\"scroll\"><table class=\"list\"><thead><tr><th>乡镇</th><th>村</th>"
		   "<th>建账月份</th><th>已结账至</th><th>最近记账</th><th>待审核</th>"
		   "<th>待记账</th><th>已退回</th><th></th></tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const cj_village_month *m = &v[i];
		web_put(r, "<tr><td>");
		web_text(r, m->township);
		web_put(r, "</td><td><a href=\"/vouchers?village=");
		web_text(r, m->village.code);
		web_put(r, "\">");
		web_text(r, m->village.name);
		web_put(r, "</a><br><small>");
		web_text(r, m->village.code);
		cj_period_format(per, sizeof per, m->village.start);
		web_put(r, "</small></td><td>");
		web_text(r, per);
		web_put(r, "</td><td>");
		if (m->has_closed) {
			cj_period_format(per, sizeof per, m->last_closed);
			web_text(r, per);
		} else {
			web_put(r, "<span class=\"muted\">未结账</span>");
		}
		web_put(r, "</td><td>");
		if (m->has_vouchers) {
			cj_period_format(per, sizeof per, m->last_voucher);
			web_text(r, per);
		}
		web_put(r, "</td>");
		count_cell(r, m->drafts, m->village.code, "draft");
		count_cell(r, m->reviewed, m->village.code, "reviewed");
		count_cell(r, m->rejected, m->village.code, "rejected");
		web_put(r, "<td><a href=\"/tb?village=");
		web_text(r, m->village.code);
		web_put(r, "\">科目余额表</a> <a href=\"/statements?village=");
		web_text(r, m->village.code);
		web_put(r, "\">报表</a> <a href=\"/close?village=");
		web_text(r, m->village.code);
		web_put(r, "\">结账</a></td></tr>\n");
	}
	web_put(r, "</tbody></table></div>\n");
	free(v);
	web_page_end(r);
	return 0;
}
