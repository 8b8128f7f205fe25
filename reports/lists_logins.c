/*
 * lists_logins.c - the logins of the database (cunji user list) as a report
 * model: who, their kind, scope and state
 *
 * A login sees every login's name and kind, but only its own scope; an
 * admin sees every scope (row-level security on login_scope, 0015).
 *
 * SPDX-License-Identifier: MIT
 */
#include <reports/lists.h>

#include "lists_internal.h"

static const char logins_sql[] =
	"SELECT l.login AS \"login|登录名\", l.full_name AS \"name|姓名\",\n"
	"       CASE l.kind WHEN 'admin' THEN 'admin 管理员' WHEN 'bookkeeper' THEN 'bookkeeper 记账'\n"
	"            WHEN 'reviewer' THEN 'reviewer 审核' WHEN 'cashier' THEN 'cashier 出纳'\n"
	"            WHEN 'inspector' THEN 'inspector 纪检监察' ELSE 'board 村务监督' END\n"
	"         AS \"role|角色\",\n"
	"       CASE WHEN l.kind = 'admin' THEN '全部'\n"
	"            ELSE (SELECT string_agg(o.code || ' ' || o.name, '; ' ORDER BY o.code)\n"
	"                    FROM login_scope s JOIN org o ON o.id = s.org_id\n"
	"                   WHERE s.login = l.login) END AS \"scope|范围\",\n"
	"       CASE WHEN l.disabled_at IS NULL THEN '启用'\n"
	"            ELSE '停用 ' || to_char(l.disabled_at, 'YYYY-MM-DD') END AS \"state|状态\",\n"
	"       l.created_by AS \"created_by|创建人\",\n"
	"       to_char(l.created_at, 'YYYY-MM-DD') AS \"created|创建日期\"\n"
	"  FROM app_login l ORDER BY l.disabled_at IS NOT NULL, l.login";

int
cj_list_logins(cj_db *db, cj_report **out)
{
	if (!(*out = cj_report_new("登录用户")))
		return cj__list_oom(db, out);
	return cj__list_query(db, out, "登录用户", logins_sql, 0, NULL);
}
