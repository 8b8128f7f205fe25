/*
 * cmd_account.c - account add (one, or a file of them), account list
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/*
 * account add --file: sub-accounts of any villages in one transaction, one
 * row each: village, code, name (a parent before its own sub-accounts).
 */
static int
account_add_file(cli *c, const cli_opts *o, const char *path)
{
	static const char *const cols[] = {"village", "code", "name"};
	size_t failed;
	cj_account_new *a;
	cli_table t;
	cj_org v = {0};
	int status;

	if (opt_has(o, "village") || opt_has(o, "code") || opt_has(o, "name"))
		return usage_error(o->cmd, "--file takes the accounts from the file alone");
	if ((status = cli_table_read(path, cols, 3, 3, &t)))
		return status;
	a = calloc(t.nrows ? t.nrows : 1, sizeof *a);
	if (!a) {
		cli_table_free(&t);
		return fail_msg("out of memory");
	}
	for (size_t i = 0; i < t.nrows && !status; i++) {
		char **cell = t.cells + i * t.ncols;
		if (!cell[0][0])
			status = fail_msg("%s: row %zu: no village", path, t.row[i]);
		else if (strcmp(cell[0], v.code) && cj_village_find(c->db, cell[0], &v))
			status = fail_msg("%s: row %zu: %s", path, t.row[i], cj_db_errmsg(c->db));
		a[i] = (cj_account_new){v.id, cell[1], cell[2]};
	}
	if (!status && cj_account_add_many(c->db, a, t.nrows, &failed))
		status = fail_msg("%s: row %zu: %s; nothing was added", path,
				  t.nrows ? t.row[failed] : 0, cj_db_errmsg(c->db));
	if (!status)
		printf("added %zu accounts from %s\n", t.nrows, path);
	free(a);
	cli_table_free(&t);
	return status;
}

int
cmd_account_add(cli *c, const cli_opts *o)
{
	const char *code = opt_get(o, "code"), *name = opt_get(o, "name");
	cj_account a;
	cj_org v;
	int status;

	if (opt_has(o, "file"))
		return account_add_file(c, o, opt_get(o, "file"));
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
