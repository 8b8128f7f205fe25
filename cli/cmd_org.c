/*
 * cmd_org.c - org add (one, or a file of them), org list
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <reports/lists.h>

#include "cli.h"

/*
 * org add --file: a county's organisations in one transaction, one row each,
 * with the columns org list --format csv writes (level, code, name, parent,
 * books_from; start also names the first month of a village's books).
 */
static int
org_add_file(cli *c, const cli_opts *o, const char *path)
{
	static const char *const cols[] = {"level", "code", "name", "parent", "books_from", "start"};
	cj_period year = {cj_date_today().year, 1};
	size_t failed, count[3] = {0};
	cj_org_new *orgs;
	cli_table t;
	int status;

	if (opt_has(o, "level") || opt_has(o, "code") || opt_has(o, "name") || opt_has(o, "parent") ||
	    opt_has(o, "start"))
		return usage_error(o->cmd, "--file takes the organisations from the file alone");
	if ((status = cli_table_read(path, cols, 6, 3, &t)))
		return status;
	orgs = calloc(t.nrows ? t.nrows : 1, sizeof *orgs);
	if (!orgs) {
		cli_table_free(&t);
		return fail_msg("out of memory");
	}
	for (size_t i = 0; i < t.nrows && !status; i++) {
		char **cell = t.cells + i * t.ncols;
		const char *start = cell[4][0] ? cell[4] : cell[5];
		int lv = cj_org_level_parse(cell[0]);
		orgs[i] = (cj_org_new){(cj_org_level)lv, cell[1], cell[2], cell[3], year};
		if (lv < 0)
			status = fail_msg("%s: row %zu: level '%s' is not county, township or village",
					  path, t.row[i], cell[0]);
		else if (start[0] && cj_period_parse(&orgs[i].start, start))
			status = fail_msg("%s: row %zu: '%s' is not a month (YYYY-MM)", path, t.row[i],
					  start);
		else
			count[lv]++;
	}
	if (!status && cj_org_add_many(c->db, orgs, t.nrows, &failed))
		status = fail_msg("%s: row %zu: %s; nothing was added", path,
				  t.nrows ? t.row[failed] : 0, cj_db_errmsg(c->db));
	if (!status)
		printf("added %zu organisations from %s: %zu county, %zu townships, %zu villages\n",
		       t.nrows, path, count[CJ_ORG_COUNTY], count[CJ_ORG_TOWNSHIP],
		       count[CJ_ORG_VILLAGE]);
	free(orgs);
	cli_table_free(&t);
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
		return usage_error(o->cmd, "--level, --code and --name are required");
	lv = cj_org_level_parse(level);
	if (lv < 0)
		return usage_error(o->cmd, "--level must be county, township or village, not '%s'", level);
	if ((status = arg_month(o, "start", &start, 0)))
		return status;
	if (opt_has(o, "start") && lv != CJ_ORG_VILLAGE)
		return usage_error(o->cmd, "--start is for villages (their books)");
	if (cj_org_add(c->db, (cj_org_level)lv, code, name, parent, start))
		return fail_db(c, NULL);
	if (lv == CJ_ORG_VILLAGE)
		printf("added village %s %s; books from %04d-%02d with the standard chart\n", code, name,
		       start.year, start.month);
	else
		printf("added %s %s %s\n", level, code, name);
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
		printf("no organisations yet; add one with 'cunji org add --level county ...'\n");
	else
		status = out_report(fmt, r, -1);
	cj_report_free(r);
	return status;
}
