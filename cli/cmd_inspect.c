/*
 * cmd_inspect.c - the inspector's commands: audit scan, rules, thresholds,
 * marks and the officials roster
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <importers/setup_import.h>
#include <reports/audit.h>

#include "cli.h"

/* --village, --township or --county: the one given (NULL when none). */
static const char *
scope_code(const cli_opts *o)
{
	const char *code = opt_get(o, "village");

	if (!code)
		code = opt_get(o, "township");
	if (!code)
		code = opt_get(o, "county");
	return code;
}

int
cmd_audit_scan(cli *c, const cli_opts *o)
{
	cj_audit_request req = {0};
	cj_report *r = NULL;
	cj_span s;
	out_format fmt;
	int status;

	if (!(req.org = scope_code(o)))
		return usage_error(o->cmd, _("one of --village, --township or --county is required"));
	if ((status = arg_range(o, &s)) || (status = arg_format(o, &fmt)))
		return status;
	req.from = cj_span_first_day(s);
	req.to = cj_span_last_day(s);
	req.rules = opt_get(o, "rules");
	req.only_new = opt_has(o, "new");
	if (opt_get(o, "jobs") && ((req.jobs = atoi(opt_get(o, "jobs"))) < 1 || req.jobs > 4))
		return usage_error(o->cmd, _("--jobs must be between 1 and 4"));
	status = cj_audit_scan(c->db, &req, &r);
	return out_built(c, fmt, status, r, fmt == OUT_TEXT ? -1 : 0);
}

int
cmd_audit_rules(cli *c, const cli_opts *o)
{
	cj_report *r = NULL;
	out_format fmt;
	int status;

	if ((status = arg_format(o, &fmt)))
		return status;
	status = cj_audit_rules(c->db, scope_code(o), &r);
	return out_built(c, fmt, status, r, fmt == OUT_TEXT ? -1 : 0);
}

int
cmd_audit_rule_set(cli *c, const cli_opts *o)
{
	const char *org = opt_get(o, "township");

	if (!org)
		org = opt_get(o, "county");
	if (!org || (opt_has(o, "township") && opt_has(o, "county")))
		return usage_error(o->cmd, _("give --county or --township"));
	if (o->npos < 2)
		return usage_error(o->cmd, _("give a rule and KEY=VALUE, e.g. R08 limit=5000"));
	if (cj_db_begin(c->db))
		return fail_db(c, _("setting the thresholds"));
	for (int i = 1; i < o->npos; i++) {
		char key[40];
		const char *eq = strchr(o->pos[i], '=');

		if (!eq || eq == o->pos[i] || (size_t)(eq - o->pos[i]) >= sizeof key) {
			cj_db_rollback(c->db);
			return usage_error(o->cmd, _("'%s' is not KEY=VALUE"), o->pos[i]);
		}
		memcpy(key, o->pos[i], (size_t)(eq - o->pos[i]));
		key[eq - o->pos[i]] = '\0';
		if (cj_audit_threshold_set(c->db, org, o->pos[0], key, eq + 1)) {
			fail_db(c, NULL);
			cj_db_rollback(c->db);
			return EXIT_REFUSED;
		}
	}
	if (cj_db_commit(c->db))
		return fail_db(c, _("setting the thresholds"));
	printf(_("%s: thresholds of %s set\n"), org, o->pos[0]);
	return 0;
}

int
cmd_audit_mark(cli *c, const cli_opts *o)
{
	const char *key, *state, *note;
	cj_org v;
	int rc;

	if ((rc = arg_village(c, o, &v)) || (rc = arg_required(o, "key", &key)) ||
	    (rc = arg_required(o, "state", &state)) || (rc = arg_required(o, "note", &note)))
		return rc;
	if (cj_audit_mark(c->db, v.id, key, state, note))
		return fail_db(c, _("marking the finding"));
	printf("%s %s: %s\n", v.code, key, state);
	return 0;
}

int
cmd_official_add(cli *c, const cli_opts *o)
{
	cj_official p = {0};
	cj_org v;
	int rc;

	if ((rc = arg_village(c, o, &v)) || (rc = arg_required(o, "name", &p.name)) ||
	    (rc = arg_required(o, "post", &p.post)) ||
	    (rc = arg_books_date(o, "from", &p.term_from, 0)) ||
	    (rc = arg_books_date(o, "to", &p.term_to, 0)))
		return rc;
	p.id_number = opt_get(o, "id-number");
	p.relation = opt_get(o, "relation");
	p.related_to = opt_get(o, "of");
	if (cj_official_add(c->db, v.id, &p))
		return fail_db(c, _("adding to the roster"));
	printf(_("%s added to the roster of %s %s\n"), p.name, v.code, v.name);
	return 0;
}

int
cmd_official_list(cli *c, const cli_opts *o)
{
	const char *code = scope_code(o);
	cj_report *r = NULL;
	out_format fmt;
	int status;

	if (!code)
		return usage_error(o->cmd, _("one of --village, --township or --county is required"));
	if ((status = arg_format(o, &fmt)))
		return status;
	status = cj_audit_officials(c->db, code, &r);
	return out_built(c, fmt, status, r, -1);
}

int
cmd_official_import(cli *c, const cli_opts *o)
{
	cj_setup_import_opts so = {0};
	cj_setup_import_result r;
	const char *path;
	import_ui ui;
	int status = 0;

	if ((status = arg_required(o, "file", &path)))
		return status;
	so.dry_run = opt_has(o, "dry-run");
	so.cb = import_ui_begin(&ui, c, path);
	if (cj_import_officials(c->db, path, &so, &r))
		status = fail_msg("%s", cj_db_errmsg(c->db));
	else
		printf(_("%s %zu people to the roster from %s\n"), so.dry_run ? _("would add") : _("added"),
		       r.rows, path);
	import_ui_end(&ui);
	return status;
}
