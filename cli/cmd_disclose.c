/*
 * cmd_disclose.c - cunji disclose: the three-level disclosure sheets, their
 * verification, and the local supervision number they print
 *
 * The sheets are built, and their stamps read back and checked, by
 * ledger_reports (reports/disclosure*.c); this file parses options and shows
 * progress.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <reports/disclosure.h>

#include "cli.h"

static void
show_progress(const char *phase, uint64_t done, uint64_t total, void *payload)
{
	(void)phase;
	progress(payload, _("disclose"), (long)done, (long)total);
}

static int
verify(cli *c, const char *path)
{
	static const char *const verdicts[4] = {
		N_("STALE, the books changed"), N_("OK, the books still match"),
		N_("NOT FROM THESE BOOKS, the sheet was made from other books"),
		N_("REWRITTEN, the village's history was changed after the sheet was made")};
	char err[512], *report = NULL, *figures = NULL;
	cj_dis_stamp st;
	cj_dis_verdict verdict;
	long ndiff = 0;
	int rc;

	if (cj_dis_stamp_read(path, &st, err, sizeof err))
		return fail_msg("%s", err);
	rc = cj_dis_verify(c->db, &st, &verdict, &report);
	/* the printed figures, unless the sheet is from other books */
	if (!rc && verdict != CJ_DIS_FOREIGN && verdict != CJ_DIS_REWRITTEN &&
	    (rc = cj_dis_compare_figures(c->db, path, &st, &ndiff, &figures)))
		free(report);
	cj_dis_stamp_free(&st);
	if (rc)
		return fail_db(c, NULL);
	if (verdict == CJ_DIS_MATCH && ndiff)
		printf(_("%s: EDITED, the figures printed on the sheet differ from the books (%ld "
			 "difference(s))\n%s"),
		       path, ndiff, report);
	else
		printf("%s: %s\n%s", path, _(verdicts[verdict]), report);
	if (verdict == CJ_DIS_STALE && ndiff)
		printf(_("  the sheet and the books now differ in %ld place(s):\n"), ndiff);
	printf("%s", figures ? figures : "");
	free(report);
	free(figures);
	return verdict == CJ_DIS_MATCH && !ndiff ? 0 : EXIT_REFUSED;
}

/* ------------------------------------------------------------------------ */

int
cmd_disclose(cli *c, const cli_opts *o)
{
	const char *level = opt_get(o, "level"), *code = opt_get(o, "code");
	const char *period = opt_get(o, "period"), *out = opt_get(o, "out");
	const char *formats = opt_get(o, "format"), *date = opt_get(o, "date");
	const char *jobs = opt_get(o, "jobs");
	char tag[CJ_SPAN_TEXT_MAX];
	cj_dis_request req;
	cj_dis_result res;
	int lv, rc;

	if (opt_get(o, "verify")) {
		if (level || code || period || out)
			return usage_error(o->cmd, _("--verify takes only the file"));
		return verify(c, opt_get(o, "verify"));
	}
	memset(&req, 0, sizeof req);
	if (batch_wanted(o)) { /* each village's own files, village by village */
		if (level || code || opt_has(o, "all"))
			return usage_error(o->cmd, _("--township/--villages take neither --level, --code "
						     "nor --all"));
		level = "village";
		code = "-";
	}
	if (!level || (lv = cj_dis_level_parse(level)) < 0)
		return usage_error(o->cmd, _("--level must be village, township or county"));
	if (!code)
		return usage_error(o->cmd, _("--code is required"));
	if ((rc = arg_span(o, "period", &req.period, 1)))
		return rc;
	cj_span_tag(tag, sizeof tag, req.period);
	if (date && cj_date_parse(&req.posted_on, date))
		return usage_error(o->cmd, _("--date '%s' is not a date (YYYY-MM-DD)"), date);
	req.level = (cj_dis_level)lv;
	req.code = code;
	req.all = opt_has(o, "all");
	req.out_dir = out;
	/* one process per core by default: PDF making is CPU-bound */
	req.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	req.jobs = req.jobs < 1 ? 1 : req.jobs > 16 ? 16 : req.jobs;
	if (jobs && ((req.jobs = atoi(jobs)) < 1 || req.jobs > 16))
		return usage_error(o->cmd, _("--jobs must be between 1 and 16"));
	if (formats) {
		char buf[64], *tok, *save = NULL;

		snprintf(buf, sizeof buf, "%s", formats);
		for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (!strcmp(tok, "xlsx"))
				req.formats |= CJ_DIS_XLSX;
			else if (!strcmp(tok, "pdf"))
				req.formats |= CJ_DIS_PDF;
			else if (!strcmp(tok, "text"))
				req.text = stdout;
			else
				return usage_error(o->cmd, _("--format takes xlsx, pdf and text, comma-separated"));
		}
		if (req.formats && !out)
			return usage_error(o->cmd, _("--format xlsx or pdf needs --out DIR"));
	}
	if (!out && !req.text)
		return usage_error(o->cmd, _("--out DIR is required (or --format text)"));
	if (out && !req.formats)
		req.formats = CJ_DIS_XLSX | CJ_DIS_PDF;
	if (!out)
		req.formats = 0;
	req.cb.progress = show_progress;
	req.cb.payload = c;

	if (batch_wanted(o)) {
		char what[128];

		req.jobs = 1;
		req.cb.progress = NULL;
		snprintf(what, sizeof what, _("disclosure of %s"), tag);
		return batch_run(c, o, what, cj_dis_village_step, &req, 0);
	}
	rc = cj_disclose(c->db, &req, &res);
	progress_end(c);
	if (rc)
		return fail_db(c, NULL);
	if (res.unclosed)
		fprintf(stderr, _("cunji: warning: %s is not closed in the books of %ld village(s) (the first: "
			"%s); the sheets say 未结账 and their figures may still change\n"),
			tag, res.unclosed, res.unclosed_first);
	if (out)
		fprintf(req.text ? stderr : stdout,
			_("disclosed %s %s for %s: %ld village, %ld township and %ld county sheet(s), "
			"%ld file(s) in %s; %ld vouchers digested\n"),
			level, code, tag, res.villages, res.townships, res.counties, res.files,
			out, res.vouchers);
	return 0;
}

int
cmd_disclose_hotline(cli *c, const cli_opts *o)
{
	const char *code = opt_get(o, "code"), *phone = opt_get(o, "phone");
	cj_org org;

	if (!code || !phone)
		return usage_error(o->cmd, _("--code and --phone are required"));
	if (cj_org_set_hotline(c->db, code, phone, &org))
		return fail_db(c, NULL);
	printf(_("%s %s: local supervision number %s\n"), code, org.name, *phone ? phone : _("cleared"));
	return 0;
}
