/*
 * cmd_access.c - user password, setting review, setting check-url, setting list
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ledger/anchor.h>
#include <ledger/login.h>
#include <ledger/voucher_path.h>

#include "cli.h"

int
cmd_user_password(cli *c, const cli_opts *o)
{
	const char *login = opt_get(o, "login") ? opt_get(o, "login") : cj_db_user(c->db);
	char password[256];
	int status;

	if ((status = new_password(o, login, password, sizeof password)))
		return status;
	status = cj_login_password(c->db, login, password);
	explicit_bzero(password, sizeof password);
	if (status)
		return fail_db(c, NULL);
	printf(_("changed the password of login %s\n"), login);
	return 0;
}

int
cmd_setting_review(cli *c, const cli_opts *o)
{
	const char *county = opt_get(o, "county"), *township = opt_get(o, "township");
	const char *code = county ? county : township;
	int on;

	if (!county == !township)
		return usage_error(o->cmd, _("give --county CODE or --township CODE"));
	if (o->npos != 1 || (strcmp(o->pos[0], "on") && strcmp(o->pos[0], "off")))
		return usage_error(o->cmd, _("say on or off"));
	on = !strcmp(o->pos[0], "on");
	if (cj_review_setting_set(c->db, code, on))
		return fail_db(c, NULL);
	/* whole sentences: a translation is not pieced from on/off and a level */
	if (on)
		printf(county ? _("review is on for county %s: vouchers are saved as drafts, reviewed by "
				  "another login, then posted\n")
			      : _("review is on for township %s: vouchers are saved as drafts, reviewed by "
				  "another login, then posted\n"),
		       code);
	else
		printf(county ? _("review is off for county %s\n") : _("review is off for township %s\n"),
		       code);
	return 0;
}

int
cmd_setting_check_url(cli *c, const cli_opts *o)
{
	const char *county = opt_get(o, "county"), *township = opt_get(o, "township");
	const char *code = county ? county : township;
	int clear = opt_get(o, "clear") != NULL;
	char url[256];

	if (!county == !township)
		return usage_error(o->cmd, _("give --county CODE or --township CODE"));
	if (o->npos > 1 || (clear && o->npos))
		return usage_error(o->cmd, _("give the address, --clear, or neither to see it"));
	if ((o->npos || clear) && cj_check_url_set(c->db, code, clear ? NULL : o->pos[0]))
		return fail_db(c, NULL);
	if (cj_check_url_get(c->db, code, url, sizeof url))
		return fail_db(c, NULL);
	if (url[0])
		printf(_("%s: the QR codes of its disclosure sheets open %s/check\n"), code, url);
	else
		printf(_("%s: no check page address: the QR codes of its disclosure sheets hold the anchor "
			 "text\n"), code);
	return 0;
}

int
cmd_setting_list(cli *c, const cli_opts *o)
{
	cj_review_setting *rows;
	size_t n;

	(void)o;
	if (cj_review_setting_list(c->db, &rows, &n))
		return fail_db(c, NULL);
	if (!n)
		puts(_("no county or township sets review: vouchers are posted at once"));
	for (size_t i = 0; i < n; i++)
		printf(rows[i].on ? _("%-14s %-8s %-20s review on\n") : _("%-14s %-8s %-20s review off\n"),
		       rows[i].code, tr_word(rows[i].level), rows[i].name);
	free(rows);
	return 0;
}
