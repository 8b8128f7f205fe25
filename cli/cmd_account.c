/*
 * cmd_account.c - account add (one, or a file of them), account list
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <importers/setup_import.h>
#include <reports/lists.h>

#include "cli.h"

/* account add --file: sub-accounts of any villages in one transaction (importers) */
static int
account_add_file(cli *c, const cli_opts *o, const char *path)
{
	cj_setup_import_opts so = {0};
	cj_setup_import_result r;
	import_ui ui;
	import_src src;
	int status = 0;

	if (opt_has(o, "village") || opt_has(o, "code") || opt_has(o, "name"))
		return usage_error(o->cmd, _("--file takes the accounts from the file alone"));
	if ((status = import_src_open(&src, o, path)))
		return status;
	so.name = src.name;
	so.sheet = src.sheet;
	so.cb = import_ui_begin(&ui, c, src.path);
	if (cj_import_accounts(c->db, src.path, &so, &r))
		status = fail_msg("%s", cj_db_errmsg(c->db));
	else
		printf(_("added %zu accounts from %s\n"), r.rows, src.name);
	import_ui_end(&ui);
	import_src_close(&src);
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
		return usage_error(o->cmd, _("--code and --name are required"));
	if ((status = arg_village(c, o, &v)))
		return status;
	if (cj_account_add(c->db, v.id, code, name))
		return fail_db(c, NULL);
	if (cj_account_find(c->db, v.id, code, &a))
		return fail_db(c, NULL);
	printf(_("added account %s %s under %s (%s, normal balance %s) in village %s %s\n"), a.code,
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
		return usage_error(o->cmd, _("--village is required"));
	status = cj_list_accounts(c->db, opt_get(o, "village"), &r);
	return out_built(c, fmt, status, r, -1);
}
