/*
 * cmd_voucher.c - the voucher's path: list, show, review, reject, post and
 * delete (<ledger/voucher_path.h>), and print (<reports/voucher_print.h>);
 * each one library call
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <reports/lists.h>
#include <reports/voucher_print.h>

#include "cli.h"

/* --village, --township or --county: the organisation whose villages to list. */
static int
arg_scope(cli *c, const cli_opts *o, cj_org *org, int *given)
{
	const char *names[] = {"village", "township", "county"};
	const char *code = NULL;
	int n = 0;

	*given = 0;
	for (int i = 0; i < 3; i++)
		if (opt_get(o, names[i])) {
			code = opt_get(o, names[i]);
			n++;
		}
	if (n > 1)
		return usage_error(o->cmd, _("give one of --village, --township and --county"));
	if (!code)
		return 0;
	if (cj_org_find(c->db, code, org))
		return fail_db(c, NULL);
	*given = 1;
	return 0;
}

int
cmd_voucher_list(cli *c, const cli_opts *o)
{
	cj_voucher_filter f;
	cj_voucher_row *rows = NULL;
	cj_report *r = NULL;
	cj_org org;
	out_format fmt;
	char scope[300] = "", *end;
	size_t n = 0;
	int status, given, err;

	memset(&f, 0, sizeof f);
	if ((status = arg_format(o, &fmt)) || (status = arg_span(o, "period", &f.span, 0)) ||
	    (status = arg_money(o, "min", &f.min_fen, 0)) ||
	    (status = arg_money(o, "max", &f.max_fen, 0)) ||
	    (status = arg_scope(c, o, &org, &given)))
		return status;
	f.has_span = opt_has(o, "period");
	f.has_min = opt_has(o, "min");
	f.has_max = opt_has(o, "max");
	if (given) {
		f.org_id = org.id;
		snprintf(scope, sizeof scope, "%s %s", org.code, org.name);
	}
	if (opt_get(o, "state") && cj_voucher_state_parse(opt_get(o, "state"), &f.state))
		return usage_error(o->cmd, _("--state '%s': draft, rejected, reviewed or posted"),
				   opt_get(o, "state"));
	f.has_state = opt_has(o, "state");
	if (opt_get(o, "batch")) {
		f.batch_id = strtoll(opt_get(o, "batch"), &end, 10);
		if (*end || f.batch_id <= 0)
			return usage_error(o->cmd, _("--batch '%s' is not a batch number"),
					   opt_get(o, "batch"));
	}
	if (opt_get(o, "limit")) {
		long long l = strtoll(opt_get(o, "limit"), &end, 10);
		if (*end || l <= 0)
			return usage_error(o->cmd, _("--limit '%s' is not a count"), opt_get(o, "limit"));
		f.limit = (size_t)l;
	}
	f.account = opt_get(o, "account");
	f.counterparty = opt_get(o, "counterparty");
	f.fund = opt_get(o, "fund");
	f.project = opt_get(o, "project");
	f.preparer = opt_get(o, "preparer");
	if (cj_voucher_list(c->db, &f, &rows, &n))
		return fail_db(c, NULL);
	err = cj_list_vouchers(rows, n, scope[0] ? scope : NULL, &r);
	free(rows);
	if (err)
		return fail_msg(_("out of memory"));
	return out_built(c, fmt, 0, r, 0);
}

int
cmd_voucher_show(cli *c, const cli_opts *o)
{
	cj_voucher_view v;
	cj_report *r = NULL;
	cj_org village;
	out_format fmt;
	int64_t *ids = NULL;
	size_t nids = 0;
	int status, err;

	if ((status = arg_format(o, &fmt)) || (status = arg_ids(o, "draft", &ids, &nids)))
		return status;
	if (opt_has(o, "number") == (nids > 0)) {
		free(ids);
		return usage_error(o->cmd, _("give either --number YYYY-MM-N or --draft N"));
	}
	if ((status = arg_village(c, o, &village))) {
		free(ids);
		return status;
	}
	if (nids) {
		err = cj_draft_get(c->db, village.id, ids[0], &v);
	} else {
		cj_period per;
		int number;
		if ((status = arg_voucher_number(o, "number", &per, &number)))
			return status;
		err = cj_voucher_get(c->db, village.id, per, number, &v);
	}
	free(ids);
	if (err)
		return fail_db(c, NULL);
	err = cj_list_voucher(&v, &r);
	cj_voucher_view_free(&v);
	if (err)
		return fail_msg(_("out of memory"));
	return out_built(c, fmt, 0, r, fmt == OUT_CSV ? 0 : -1); /* CSV: the lines */
}

/* The drafts a step applies to: --draft N ... of --village, or --batch N. */
typedef struct draft_target {
	cj_org village;
	int64_t *ids;
	size_t n;
	int64_t batch;
} draft_target;

static int
arg_target(cli *c, const cli_opts *o, draft_target *t)
{
	int status;
	char *end;

	memset(t, 0, sizeof *t);
	if ((status = arg_ids(o, "draft", &t->ids, &t->n)))
		return status;
	if (opt_get(o, "batch")) {
		t->batch = strtoll(opt_get(o, "batch"), &end, 10);
		if (*end || t->batch <= 0)
			status = usage_error(o->cmd, _("--batch '%s' is not a batch number"),
					     opt_get(o, "batch"));
	}
	if (!status && (t->n > 0) == (t->batch > 0))
		status = usage_error(o->cmd, _("give --village CODE --draft N ..., or --batch N"));
	if (!status && t->n)
		status = arg_village(c, o, &t->village);
	if (status) {
		free(t->ids);
		t->ids = NULL;
	}
	return status;
}

int
cmd_voucher_review(cli *c, const cli_opts *o)
{
	draft_target t;
	size_t done = 0;
	int status;

	if ((status = arg_target(c, o, &t)))
		return status;
	if (t.batch) { /* what is reviewed, listed first */
		cj_voucher_filter f;
		cj_voucher_row *rows = NULL;
		cj_report *r = NULL;
		size_t n = 0;
		char scope[64];

		memset(&f, 0, sizeof f);
		f.batch_id = t.batch;
		f.has_state = 1;
		f.state = CJ_VSTATE_DRAFT;
		snprintf(scope, sizeof scope, "批次 %lld 待审核", (long long)t.batch);
		if (cj_voucher_list(c->db, &f, &rows, &n))
			return fail_db(c, NULL);
		status = cj_list_vouchers(rows, n, scope, &r) ? fail_msg(_("out of memory"))
							      : out_report(OUT_TEXT, r, 0);
		cj_report_free(r);
		free(rows);
		if (status)
			return status;
	}
	if (cj_draft_review(c->db, t.village.id, t.ids, t.n, t.batch, &done)) {
		free(t.ids);
		return fail_db(c, NULL);
	}
	free(t.ids);
	if (t.batch)
		printf(_("batch %lld: %zu draft(s) reviewed\n"), (long long)t.batch, done);
	else
		printf(_("%zu draft(s) of %s %s reviewed\n"), done, t.village.code, t.village.name);
	return 0;
}

int
cmd_voucher_reject(cli *c, const cli_opts *o)
{
	draft_target t;
	const char *reason;
	int status;

	if ((status = arg_required(o, "reason", &reason)) || (status = arg_target(c, o, &t)))
		return status;
	if (t.batch || t.n != 1) {
		free(t.ids);
		return usage_error(o->cmd, _("reject one draft at a time: --village CODE --draft N"));
	}
	status = cj_draft_reject(c->db, t.village.id, t.ids[0], reason) ? fail_db(c, NULL) : 0;
	if (!status)
		printf(_("草稿%lld of %s rejected, back with its preparer: %s\n"), (long long)t.ids[0],
		       t.village.code, reason);
	free(t.ids);
	return status;
}

int
cmd_voucher_post(cli *c, const cli_opts *o)
{
	draft_target t;
	cj_posted *posted = NULL;
	size_t n = 0;
	int status;

	if ((status = arg_target(c, o, &t)))
		return status;
	if (t.n && !(posted = calloc(t.n, sizeof *posted))) {
		free(t.ids);
		return fail_msg(_("out of memory"));
	}
	if (cj_draft_post(c->db, t.village.id, t.ids, t.n, t.batch, posted, &n)) {
		status = fail_db(c, NULL);
	} else if (t.batch) {
		printf(_("batch %lld: %zu voucher(s) posted\n"), (long long)t.batch, n);
	} else {
		for (size_t i = 0; i < t.n; i++)
			printf(_("草稿%lld posted: 记字第%d号 %s %04d-%02d-%d\n"), (long long)t.ids[i],
			       posted[i].number, t.village.code, posted[i].period.year,
			       posted[i].period.month, posted[i].number);
	}
	free(posted);
	free(t.ids);
	return status;
}

int
cmd_voucher_delete(cli *c, const cli_opts *o)
{
	draft_target t;
	int status;

	if ((status = arg_target(c, o, &t)))
		return status;
	if (t.batch || t.n != 1) {
		free(t.ids);
		return usage_error(o->cmd, _("delete one draft at a time: --village CODE --draft N"));
	}
	status = cj_draft_delete(c->db, t.village.id, t.ids[0]) ? fail_db(c, NULL) : 0;
	if (!status)
		printf(_("草稿%lld of %s deleted\n"), (long long)t.ids[0], t.village.code);
	free(t.ids);
	return status;
}

int
cmd_voucher_print(cli *c, const cli_opts *o)
{
	cj_vprint_request req;
	cj_org village;
	const char *out, *per_page = opt_get(o, "per-page");
	int64_t *ids = NULL;
	size_t n = 0;
	int status, pages = 0, asked;

	memset(&req, 0, sizeof req);
	asked = opt_has(o, "number") + (opt_has(o, "from") || opt_has(o, "to")) +
		opt_has(o, "period") + opt_has(o, "draft");
	if (asked != 1)
		return usage_error(o->cmd, _("give one of --number, --from and --to, --period, --draft"));
	if (opt_has(o, "drafts") && !opt_has(o, "period"))
		return usage_error(o->cmd, _("--drafts goes with --period"));
	if (per_page && strcmp(per_page, "2") && strcmp(per_page, "3"))
		return usage_error(o->cmd, _("--per-page '%s': 2 or 3"), per_page);
	req.per_page = per_page ? atoi(per_page) : 3;
	if ((status = arg_required(o, "out", &out)))
		return status;
	if (opt_has(o, "number")) {
		status = arg_voucher_number(o, "number", &req.from_period, &req.from_number);
		req.to_period = req.from_period;
		req.to_number = req.from_number;
		req.has_range = 1;
	} else if (opt_has(o, "from") || opt_has(o, "to")) {
		if (!(status = arg_voucher_number(o, "from", &req.from_period, &req.from_number)))
			status = arg_voucher_number(o, "to", &req.to_period, &req.to_number);
		req.has_range = 1;
	} else if (opt_has(o, "period")) {
		status = arg_span(o, "period", &req.span, 1);
		req.has_span = 1;
		req.with_drafts = opt_has(o, "drafts");
	} else {
		status = arg_ids(o, "draft", &ids, &req.ndrafts);
		req.drafts = ids;
	}
	if (!status)
		status = arg_village(c, o, &village);
	if (!status) {
		req.village_id = village.id;
		status = cj_voucher_print(c->db, &req, out, &n, &pages) ? fail_db(c, NULL) : 0;
	}
	if (!status)
		printf(_("%s: %zu voucher(s) of %s %s on %d page(s)\n"), out, n, village.code, village.name,
		       pages);
	free(ids);
	return status;
}
