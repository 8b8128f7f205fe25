/*
 * cmd_org.c - org add (one, or a file of them), org list
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

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
	if ((status = arg_period(o, "start", &start, 0)))
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
	cj_org *orgs;
	size_t n;
	out_format fmt;

	if (out_format_parse(opt_get(o, "format"), &fmt))
		return usage_error(o->cmd, "--format must be text, csv or json");
	if (cj_org_list(c->db, opt_get(o, "code"), &orgs, &n))
		return fail_db(c, NULL);
	if (fmt == OUT_CSV)
		fputs("level,code,name,parent,books_from\n", stdout);
	else if (fmt == OUT_JSON)
		fputs("[", stdout);
	for (size_t i = 0; i < n; i++) {
		char start[16] = "";
		if (orgs[i].level == CJ_ORG_VILLAGE)
			cj_period_format(start, sizeof start, orgs[i].start);
		if (fmt == OUT_CSV) {
			out_csv_field(stdout, cj_org_level_name(orgs[i].level), 0);
			out_csv_field(stdout, orgs[i].code, 0);
			out_csv_field(stdout, orgs[i].name, 0);
			out_csv_field(stdout, orgs[i].parent_code, 0);
			out_csv_field(stdout, start, 1);
		} else if (fmt == OUT_JSON) {
			printf("%s\n  {\"level\": \"%s\", \"code\": ", i ? "," : "",
			       cj_org_level_name(orgs[i].level));
			out_json_string(stdout, orgs[i].code);
			fputs(", \"name\": ", stdout);
			out_json_string(stdout, orgs[i].name);
			fputs(", \"parent\": ", stdout);
			out_json_string(stdout, orgs[i].parent_code);
			if (start[0])
				printf(", \"books_from\": \"%s\"", start);
			fputs("}", stdout);
		} else {
			int indent = (int)orgs[i].level * 2;
			printf("%*s%-8s ", indent, "", cj_org_level_name(orgs[i].level));
			out_pad(stdout, orgs[i].code, 14, 0);
			printf(" %s%s%s\n", orgs[i].name, start[0] ? "  books from " : "", start);
		}
	}
	if (fmt == OUT_JSON)
		fputs(n ? "\n]\n" : "]\n", stdout);
	if (!n && fmt == OUT_TEXT)
		printf("no organisations yet; add one with 'cunji org add --level county ...'\n");
	free(orgs);
	return 0;
}
