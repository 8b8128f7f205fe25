/*
 * cmd_user.c - logins: add, list, disable, scope (docs/roles.md)
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <reports/lists.h>

#include "cli.h"

int
cmd_user_add(cli *c, const cli_opts *o)
{
	const char *login, *name, *role, **scopes;
	char password[256];
	cj_login_kind kind;
	int status, nscopes, created = 0;

	if ((status = arg_required(o, "login", &login)) || (status = arg_required(o, "name", &name)) ||
	    (status = arg_required(o, "role", &role)))
		return status;
	if (cj_login_kind_parse(role, &kind))
		return usage_error(o->cmd, _("--role '%s': one of %s"), role, _(CJ_LOGIN_KINDS));
	scopes = opt_all(o, "scope", &nscopes);
	if (kind != CJ_LOGIN_ADMIN && !nscopes)
		return usage_error(o->cmd, _("a %s needs --scope (a village, township or county code)"),
				   role);
	if ((status = new_password(o, login, password, sizeof password)))
		return status;
	status = cj_login_add(c->db, login, name, kind, password, scopes, nscopes, &created);
	explicit_bzero(password, sizeof password);
	if (status)
		return fail_db(c, NULL);
	printf(_("added login %s (%s, %s)"), login, name, role);
	for (int i = 0; i < nscopes; i++)
		printf("%s%s", i ? ", " : _(": scope "), scopes[i]);
	printf("\n");
	if (!created)
		printf(_("the server had login %s already (from another database): its password is "
		       "unchanged\n"),
		       login);
	return 0;
}

int
cmd_user_list(cli *c, const cli_opts *o)
{
	cj_report *r;
	out_format fmt;
	int status;

	if ((status = arg_format(o, &fmt)))
		return status;
	if (cj_list_logins(c->db, &r))
		return fail_db(c, NULL);
	status = out_report(fmt, r, -1);
	cj_report_free(r);
	return status;
}

int
cmd_user_disable(cli *c, const cli_opts *o)
{
	const char *login;
	int status;

	if ((status = arg_required(o, "login", &login)))
		return status;
	if (cj_login_disable(c->db, login))
		return fail_db(c, NULL);
	printf(_("disabled login %s (what it did stays on record)\n"), login);
	return 0;
}

static int
scope(cli *c, const cli_opts *o, int add)
{
	const char *login, *code;
	int status;

	if ((status = arg_required(o, "login", &login)) || (status = arg_required(o, "scope", &code)))
		return status;
	if (add ? cj_login_scope_add(c->db, login, code) : cj_login_scope_remove(c->db, login, code))
		return fail_db(c, NULL);
	printf(add ? _("added %s to the scope of login %s\n")
		   : _("removed %s from the scope of login %s\n"),
	       code, login);
	return 0;
}

int
cmd_user_scope_add(cli *c, const cli_opts *o)
{
	return scope(c, o, 1);
}

int
cmd_user_scope_remove(cli *c, const cli_opts *o)
{
	return scope(c, o, 0);
}
