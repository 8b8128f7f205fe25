/*
 * cmd_account.c - account add (one, or a file of them), account list
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <reports/lists.h>

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
	cj_report *r = NULL;
	out_format fmt;
	int status;

	if ((status = arg_format(o, &fmt)))
		return status;
	if (!opt_has(o, "village"))
		return usage_error(o->cmd, "--village is required");
	status = cj_list_accounts(c->db, opt_get(o, "village"), &r);
	return out_built(c, fmt, status, r, -1);
}
