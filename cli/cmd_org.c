/*
 * cmd_org.c - org add (one, or a file of them), org list
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <importers/setup_import.h>
#include <reports/lists.h>

#include "cli.h"

/* org add --file: a county's organisations in one transaction (importers) */
static int
org_add_file(cli *c, const cli_opts *o, const char *path)
{
	cj_setup_import_opts so = {0};
	cj_setup_import_result r;
	import_ui ui;
	import_src src;
	int status = 0;

	if (opt_has(o, "level") || opt_has(o, "code") || opt_has(o, "name") || opt_has(o, "parent") ||
	    opt_has(o, "start"))
		return usage_error(o->cmd, _("--file takes the organisations from the file alone"));
	if ((status = import_src_open(&src, o, path)))
		return status;
	so.name = src.name;
	so.sheet = src.sheet;
	so.cb = import_ui_begin(&ui, c, src.path);
	if (cj_import_orgs(c->db, src.path, &so, &r))
		status = fail_msg("%s", cj_db_errmsg(c->db));
	else
		printf(_("added %zu organisations from %s: %zu county, %zu townships, %zu villages\n"),
		       r.rows, src.name, r.counties, r.townships, r.villages);
	import_ui_end(&ui);
	import_src_close(&src);
	return status;
}

int
cmd_org_add(cli *c, const cli_opts *o)
{
	const char *level = opt_get(o, "level"), *code = opt_get(o, "code");
	const char *name = opt_get(o, "name"), *parent = opt_get(o, "parent");
	cj_period start = {cj_date_today().year, 1};
	int lv, status;

	if (opt_has(o, "file"))
		return org_add_file(c, o, opt_get(o, "file"));
	if (!level || !code || !name)
		return usage_error(o->cmd, _("--level, --code and --name are required"));
	lv = cj_org_level_parse(level);
	if (lv < 0)
		return usage_error(o->cmd, _("--level must be county, township or village, not '%s'"), level);
	if ((status = arg_month(o, "start", &start, 0)))
		return status;
	if (opt_has(o, "start") && lv != CJ_ORG_VILLAGE)
		return usage_error(o->cmd, _("--start is for villages (their books)"));
	if (cj_org_add(c->db, (cj_org_level)lv, code, name, parent, start))
		return fail_db(c, NULL);
	if (lv == CJ_ORG_VILLAGE)
		printf(_("added village %s %s; books from %04d-%02d with the standard chart\n"), code, name,
		       start.year, start.month);
	else
		printf(_("added %s %s %s\n"), tr_word(level), code, name);
	return 0;
}

int
cmd_org_list(cli *c, const cli_opts *o)
{
	cj_report *r;
	out_format fmt;
	int status;

	if ((status = arg_format(o, &fmt)))
		return status;
	if (cj_list_orgs(c->db, opt_get(o, "code"), &r))
		return fail_db(c, NULL);
	if (fmt == OUT_TEXT && !r->tables[0]->nrows)
		printf(_("no organisations yet; add one with 'cunji org add --level county ...'\n"));
	else
		status = out_report(fmt, r, -1);
	cj_report_free(r);
	return status;
}
