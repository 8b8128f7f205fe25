/*
 * cmd_audit.c - audit verify, audit log
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <reports/lists.h>

#include "cli.h"

/* --village, --township or --county: at most one; NULL for none. */
static int
org_option(const cli_opts *o, const char **code)
{
	int n = opt_has(o, "village") + opt_has(o, "township") + opt_has(o, "county");

	if (n > 1)
		return usage_error(o->cmd, _("give one of --village, --township or --county"));
	*code = opt_has(o, "village")    ? opt_get(o, "village")
		: opt_has(o, "township") ? opt_get(o, "township")
					 : opt_get(o, "county");
	return 0;
}

int
cmd_audit_verify(cli *c, const cli_opts *o)
{
	cj_findings f = CJ_FINDINGS_INIT;
	cj_verify_stats st;
	const char *code;
	char line[2048];
	int status, na = 0, ns = 0;
	const char **anchors = opt_all(o, "anchors", &na), **sheets = opt_all(o, "sheet", &ns);
	long anchored = 0;

	if ((status = org_option(o, &code)))
		return status;
	if (cj_audit_verify(c->db, code, &f, &st)) {
		cj_findings_free(&f);
		return fail_db(c, _("audit verify"));
	}
	for (size_t i = 0; i < f.n; i++) {
		cj_finding_format(&f.items[i], line, sizeof line);
		printf("%s\n", line);
	}
	/* anchor files and sheets kept outside the database (cmd_anchor.c) */
	if ((na || ns) &&
	    (status = anchor_verify(c, anchors, na, sheets, ns, opt_get(o, "key"), stderr, &anchored))) {
		cj_findings_free(&f);
		return status;
	}
	fprintf(stderr,
		_("audit verify: %zu village%s, %zu vouchers, %zu lines, %zu links, %zu audit records, "
		"%zu schema items: %s\n"),
		st.villages, st.villages == 1 ? "" : "s", st.vouchers, st.lines, st.links,
		st.audit_records, st.schema_items,
		f.n || anchored ? _("NOT intact") : _("intact"));
	status = f.n || anchored ? 1 : 0;
	cj_findings_free(&f);
	return status;
}

int
cmd_audit_log(cli *c, const cli_opts *o)
{
	cj_audit_filter f = {0};
	cj_report *r = NULL;
	char from[16], to[16];
	out_format fmt;
	int status;

	if ((status = org_option(o, &f.org)) || (status = arg_format(o, &fmt)))
		return status;
	f.table = opt_get(o, "table");
	f.login = opt_get(o, "login");
	if (opt_has(o, "period") || opt_has(o, "year") || opt_has(o, "from") || opt_has(o, "to")) {
		cj_span s;
		if ((status = arg_range(o, &s)))
			return status;
		snprintf(from, sizeof from, "%04d-%02d-01", s.from.year, s.from.month);
		snprintf(to, sizeof to, "%04d-%02d-%02d", s.to.year, s.to.month,
			 cj_days_in_month(s.to.year, s.to.month));
		f.from = from;
		f.to = to;
	}
	if (opt_has(o, "limit")) {
		char *end;
		f.limit = strtol(opt_get(o, "limit"), &end, 10);
		if (*end || f.limit <= 0)
			return usage_error(o->cmd, _("--limit '%s': give a number above 0"),
					   opt_get(o, "limit"));
	}
	status = cj_list_audit(c->db, &f, &r);
	return out_built(c, fmt, status, r, -1);
}
