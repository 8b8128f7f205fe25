/*
 * cmd_account.c - account add, account list
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int
cmd_account_add(cli *c, const cli_opts *o)
{
	const char *code = opt_get(o, "code"), *name = opt_get(o, "name");
	cj_account a;
	cj_org v;
	int status;

	if (!code || !name)
		return usage_error(o->cmd, "--code and --name are required");
	if ((status = arg_village(c, o, &v)))
		return status;
	if (cj_account_add(c->db, v.id, code, name))
		return fail_db(c, NULL);
	if (cj_account_find(c->db, v.id, code, &a))
		return fail_db(c, NULL);
	printf("added account %s %s under %s (%s, normal balance %s) in village %s %s\n", a.code,
	       a.name, a.parent_code, cj_category_name_zh(a.category),
	       a.normal_side == 'D' ? "借" : "贷", v.code, v.name);
	return 0;
}

int
cmd_account_list(cli *c, const cli_opts *o)
{
	cj_account *a;
	size_t n;
	cj_org v;
	out_format fmt;
	int status;

	if (out_format_parse(opt_get(o, "format"), &fmt))
		return usage_error(o->cmd, "--format must be text, csv or json");
	if ((status = arg_village(c, o, &v)))
		return status;
	if (cj_account_list(c->db, v.id, &a, &n))
		return fail_db(c, NULL);
	if (fmt == OUT_TEXT)
		printf("科目表 chart of accounts: %s %s\n", v.code, v.name);
	else if (fmt == OUT_CSV)
		fputs("code,name,level,category,normal_side,leaf,active\n", stdout);
	else
		fputs("[", stdout);
	for (size_t i = 0; i < n; i++) {
		if (fmt == OUT_TEXT) {
			printf("%*s", (a[i].level - 1) * 2, "");
			out_pad(stdout, a[i].code, 16 - (a[i].level - 1) * 2, 0);
			out_pad(stdout, a[i].name, 26, 0);
			printf(" %s %s%s\n", cj_category_name_zh(a[i].category),
			       a[i].normal_side == 'D' ? "借" : "贷", a[i].active ? "" : " (inactive)");
		} else if (fmt == OUT_CSV) {
			char lvl[8];
			snprintf(lvl, sizeof lvl, "%d", a[i].level);
			out_csv_field(stdout, a[i].code, 0);
			out_csv_field(stdout, a[i].name, 0);
			out_csv_field(stdout, lvl, 0);
			out_csv_field(stdout, cj_category_name(a[i].category), 0);
			out_csv_field(stdout, a[i].normal_side == 'D' ? "debit" : "credit", 0);
			out_csv_field(stdout, a[i].is_leaf ? "yes" : "no", 0);
			out_csv_field(stdout, a[i].active ? "yes" : "no", 1);
		} else {
			printf("%s\n  {\"code\": \"%s\", \"name\": ", i ? "," : "", a[i].code);
			out_json_string(stdout, a[i].name);
			printf(", \"level\": %d, \"category\": \"%s\", \"normal_side\": \"%s\", "
			       "\"leaf\": %s, \"active\": %s}",
			       a[i].level, cj_category_name(a[i].category),
			       a[i].normal_side == 'D' ? "debit" : "credit", a[i].is_leaf ? "true" : "false",
			       a[i].active ? "true" : "false");
		}
	}
	if (fmt == OUT_JSON)
		fputs("\n]\n", stdout);
	free(a);
	return 0;
}
