/*
 * lists_audit.c - the audit trail (schema 0021) as a report model: who
 * changed which row of which table when, and what changed
 *
 * Row-level security leaves a login the records of its own villages; the
 * office's records (rows of no village) only to an admin or inspector who
 * sees everything.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>

#include <reports/lists.h>

#include "lists_internal.h"

/* $1 org code (villages under it; a county also the office's records), $2
 * table, $3 login, $4 $5 first and last day, $6 limit; NULL: any. */
static const char audit_sql[] =
	"WITH RECURSIVE t AS (\n"
	"    SELECT o.id, o.level FROM org o WHERE o.code = $1\n"
	"    UNION ALL\n"
	"    SELECT c.id, c.level FROM org c JOIN t ON c.parent_id = t.id)\n"
	"SELECT a.id AS \"id|编号\", to_char(a.at, 'YYYY-MM-DD HH24:MI:SS') AS \"at|时间\",\n"
	"       coalesce(v.code, '') AS \"village|村\", a.login AS \"login|操作人\",\n"
	"       a.tbl AS \"table|表\",\n"
	"       CASE a.op WHEN 'INSERT' THEN '新增' WHEN 'UPDATE' THEN '修改' WHEN 'DELETE' THEN '删除'\n"
	"            WHEN 'TRUNCATE' THEN '清空' ELSE '已有' END AS \"op|操作\",\n"
	"       coalesce(a.row_key::text, '') AS \"key|行\",\n"
	"       coalesce(CASE a.op WHEN 'UPDATE' THEN\n"
	"         (SELECT string_agg(k || ': ' || coalesce(a.old -> k, 'null') || ' → '\n"
	"                            || coalesce(a.new -> k, 'null'), '; ' ORDER BY k)\n"
	"            FROM jsonb_object_keys(a.new) k WHERE a.old -> k IS DISTINCT FROM a.new -> k)\n"
	"         WHEN 'DELETE' THEN a.old::text ELSE a.new::text END, '') AS \"change|内容\"\n"
	"  FROM audit_log a LEFT JOIN org v ON v.id = a.village_id\n"
	" WHERE ($1::text IS NULL OR a.village_id IN (SELECT id FROM t WHERE level = 'village')\n"
	"        OR (a.village_id = 0 AND EXISTS (SELECT 1 FROM t WHERE level = 'county')))\n"
	"   AND ($2::text IS NULL OR a.tbl = $2) AND ($3::text IS NULL OR a.login = $3)\n"
	"   AND ($4::date IS NULL OR a.at >= $4::date)\n"
	"   AND ($5::date IS NULL OR a.at < $5::date + 1)\n"
	" ORDER BY a.id LIMIT $6::bigint";

int
cj_list_audit(cj_db *db, const cj_audit_filter *f, cj_report **out)
{
	char limit[24];
	const char *params[6] = {f->org, f->table, f->login, f->from, f->to,
				 f->limit > 0 ? limit : NULL};
	cj_org o;
	int err;

	*out = NULL;
	if (f->org && (err = cj_org_find(db, f->org, &o)))
		return err;
	snprintf(limit, sizeof limit, "%ld", f->limit);
	if (!(*out = cj_report_new("审计日志")) ||
	    cj_report_subtitle(*out, "%s%s", f->org ? "范围：" : "全部可见记录",
			       f->org ? f->org : ""))
		return cj__list_oom(db, out);
	return cj__list_query(db, out, "审计日志", audit_sql, 6, params);
}
