/*
 * cmd_evidence.c - the evidence pack of a finding and the county dashboard
 * (audit evidence, audit dashboard): reports written as PDF and XLSX
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <reports/dashboard.h>
#include <reports/evidence.h>

#include "cli.h"

/* FILE.pdf or FILE.xlsx (or FILE): the two paths, base without extension. */
static int
out_paths(const cli_opts *o, char *pdf, char *xlsx, size_t size)
{
	const char *path = opt_get(o, "out");
	size_t n;

	if (!path)
		return usage_error(o->cmd, _("--out is required"));
	n = strlen(path);
	if (n > 4 && !strcmp(path + n - 4, ".pdf"))
		n -= 4;
	else if (n > 5 && !strcmp(path + n - 5, ".xlsx"))
		n -= 5;
	if (n + 6 > size)
		return usage_error(o->cmd, _("--out '%s' is too long"), path);
	snprintf(pdf, size, "%.*s.pdf", (int)n, path);
	snprintf(xlsx, size, "%.*s.xlsx", (int)n, path);
	return 0;
}

/* Both files of the reports, or a message and exit 1. */
int
write_pdf_xlsx(cj_report *const *reports, size_t n, const char *pdf, const char *xlsx)
{
	char err[512];

	if (cj_render_pdf((const cj_report *const *)reports, n, pdf, err, sizeof err))
		return fail_msg(_("cannot write %s: %s"), pdf, err);
	if (cj_render_xlsx((const cj_report *const *)reports, n, xlsx, err, sizeof err))
		return fail_msg(_("cannot write %s: %s"), xlsx, err);
	return 0;
}

int
cmd_audit_evidence(cli *c, const cli_opts *o)
{
	cj_evidence_request req = {0};
	cj_evidence e;
	char pdf[4096], xlsx[4096];
	int status, n = 0;

	if ((status = arg_required(o, "village", &req.village)) || (status = out_paths(o, pdf, xlsx, sizeof pdf)))
		return status;
	req.finding = opt_get(o, "finding");
	req.vouchers = (const char *const *)opt_all(o, "voucher", &n);
	req.nvouchers = (size_t)n;
	if (!req.finding == !req.nvouchers)
		return usage_error(o->cmd, _("give --finding or --voucher, not both"));
	if (opt_has(o, "period") || opt_has(o, "year") || opt_has(o, "from") || opt_has(o, "to")) {
		cj_span s;

		if ((status = arg_range(o, &s)))
			return status;
		req.from = cj_span_first_day(s);
		req.to = cj_span_last_day(s);
	}
	if (cj_audit_evidence(c->db, &req, &e))
		return fail_db(c, _("audit evidence"));
	status = write_pdf_xlsx(e.reports, e.n, pdf, xlsx);
	if (!status)
		printf(_("wrote %s and %s: %zu parts\n"), pdf, xlsx, e.n);
	cj_evidence_free(&e);
	return status;
}

/* The dashboard's summary: per township and in all, the lights and findings. */
void
dashboard_summary(const cj_report *r)
{
	const cj_table *t = r->tables[0];
	long town[3] = {0}, all[3] = {0};

	for (size_t i = 0; i < t->nrows; i++) {
		const cj_row *x = &t->rows[i];
		const char *light = x->cells[t->ncols - 1].text;
		long *l = x->kind == CJ_ROW_TOTAL ? all : town;

		if (x->kind == CJ_ROW_DATA) {
			int k = !strcmp(light, "红灯") ? 0 : !strcmp(light, "黄灯") ? 1 : 2;
			town[k]++;
			all[k]++;
			continue;
		}
		/* a township's 小计 (its name in the village column) or the 合计 */
		printf(_("%s: %ld villages, %ld red, %ld yellow, %ld green lights; %lld red and %lld "
			 "yellow findings\n"),
		       x->kind == CJ_ROW_TOTAL ? _("in all") : x->cells[2].text, l[0] + l[1] + l[2], l[0],
		       l[1], l[2], (long long)x->cells[t->ncols - 6].value,
		       (long long)x->cells[t->ncols - 5].value);
		memset(town, 0, sizeof town);
	}
}

int
cmd_audit_dashboard(cli *c, const cli_opts *o)
{
	const char *org, *path = opt_get(o, "out");
	cj_report *r = NULL;
	char err[512];
	cj_span s;
	int status;

	if (opt_has(o, "village"))
		return usage_error(o->cmd, _("the dashboard is of a county or a township"));
	if ((status = arg_one_org(o, &org)) || (status = arg_range(o, &s)))
		return status;
	if (path && !strstr(path, ".pdf") && !strstr(path, ".xlsx"))
		return usage_error(o->cmd, _("--out '%s': give a .xlsx or .pdf file"), path);
	if (cj_audit_dashboard(c->db, org, cj_span_first_day(s), cj_span_last_day(s), &r))
		return fail_db(c, _("audit dashboard"));
	if (!path)
		status = out_report(OUT_TEXT, r, 0);
	else if (strstr(path, ".pdf") ? cj_render_pdf((const cj_report *const *)&r, 1, path, err, sizeof err)
				      : cj_render_xlsx((const cj_report *const *)&r, 1, path, err, sizeof err))
		status = fail_msg(_("cannot write %s: %s"), path, err);
	if (!status)
		dashboard_summary(r);
	cj_report_free(r);
	return status;
}
