/*
 * demo_logins.c - one login of each kind in the demo county (docs/roles.md)
 *
 * The passwords are the demo's, printed by `cunji demo`: never use them for
 * real books.  Logins belong to the server, so a demo run again finds them
 * and adds them to the new database with their passwords unchanged.
 *
 * SPDX-License-Identifier: MIT
 */
#include <ledger/i18n.h>

#include "demo_internal.h"

const cj_demo_login cj_demo_logins[] = {
	{"demo_admin", "演示管理员", CJ_LOGIN_ADMIN, NULL, "demo-admin"},
	{"demo_bookkeeper", "演示记账员", CJ_LOGIN_BOOKKEEPER, CJ_DEMO_COUNTY "100", "demo-bookkeeper"},
	{"demo_reviewer", "演示审核员", CJ_LOGIN_REVIEWER, CJ_DEMO_COUNTY "100", "demo-reviewer"},
	{"demo_cashier", "演示出纳", CJ_LOGIN_CASHIER, CJ_DEMO_COUNTY "100200", "demo-cashier"},
	{"demo_inspector", "演示纪检组", CJ_LOGIN_INSPECTOR, CJ_DEMO_COUNTY, "demo-inspector"},
	{"demo_board", "演示村务监督委员会", CJ_LOGIN_BOARD, CJ_DEMO_COUNTY "100200", "demo-board"},
	{NULL, NULL, CJ_LOGIN_ADMIN, NULL, NULL},
};

int
cj__demo_logins(demo *d)
{
	for (const cj_demo_login *l = cj_demo_logins; l->login; l++) {
		int err = cj_login_add(d->db, l->login, l->name, l->kind, l->password, &l->scope,
				       l->scope ? 1 : 0, NULL);
		if (err)
			return cj__demo_fail(d, err, _("logins"));
	}
	return 0;
}
