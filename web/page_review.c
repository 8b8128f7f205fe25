/*
 * page_review.c - the review queue (审核/标错) and the actions on a draft
 *
 * Whoever may review (the database decides: a reviewer or an admin, never
 * the draft's preparer) sees the drafts awaiting review in scope with a 审核
 * and a 标错 button; a reviewed draft is posted (记账) from its own page by
 * whoever may post.  A refusal is shown with the database's words.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int
page_review(web_req *r)
{
	const char *village = web_arg(r, "village");
	cj_voucher_filter f;
	cj_voucher_row *rows = NULL;
	size_t n = 0;
	cj_org org;

	memset(&f, 0, sizeof f);
	f.has_state = 1;
	f.state = CJ_VSTATE_DRAFT;
	f.limit = 200;
	web_page_begin(r, "待审核凭证");
	web_put(r, "<form class=\"filter\" method=\"get\" action=\"/review\">");
	web_village_select(r, village, 1);
	web_put(r, "<button type=\"submit\">查询</button></form>\n");
	if (village && *village && cj_org_find(r->db, village, &org))
		web_error_box(r, cj_db_errmsg(r->db));
	else {
		if (village && *village)
			f.org_id = org.id;
		if (cj_voucher_list(r->db, &f, &rows, &n))
			web_error_box(r, cj_db_errmsg(r->db));
		else if (!n)
			web_notice_box(r, "没有待审核的凭证。");
		else
			web_voucher_table(r, rows, n, 1);
	}
	free(rows);
	web_page_end(r);
	return 0;
}

int
page_review_act(web_req *r)
{
	char village[40], draft[24], what[16], reason[400];
	long long id;
	int status;
	cj_org org;
	cj_posted posted;

	web_field(r, "village", 0, village, sizeof village);
	web_field(r, "draft", 0, draft, sizeof draft);
	web_field(r, "do", 0, what, sizeof what);
	web_field(r, "reason", 0, reason, sizeof reason);
	id = strtoll(draft, NULL, 10);
	if (id <= 0 || cj_org_find(r->db, village, &org))
		return web_fail(r, 404, "没有这张草稿，或您无权查看");
	if (!strcmp(what, "review")) {
		int64_t ids[1] = {id};
		status = cj_draft_review(r->db, org.id, ids, 1, 0, NULL);
	} else if (!strcmp(what, "reject")) {
		if (!reason[0])
			return web_fail(r, 200, "标错请写明原因");
		status = cj_draft_reject(r->db, org.id, id, reason);
	} else if (!strcmp(what, "post")) {
		int64_t ids[1] = {id};
		status = cj_draft_post(r->db, org.id, ids, 1, 0, &posted, NULL);
	} else {
		return web_fail(r, 404, "不支持这种操作");
	}
	if (status)
		return web_fail(r, 200, cj_db_errmsg(r->db));
	web_redirect(r, "/voucher?village=%s&draft=%lld", org.code, id);
	return 0;
}
