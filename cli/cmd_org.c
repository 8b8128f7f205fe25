/*
 * cmd_org.c - org add, org list
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int
cmd_org_add(cli *c, const cli_opts *o)
{
	const char *level = opt_get(o, "level"), *code = opt_get(o, "code");
	const char *name = opt_get(o, "name"), *parent = opt_get(o, "parent");
	cj_period start = {cj_date_today().year, 1};
	int lv, status;

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
