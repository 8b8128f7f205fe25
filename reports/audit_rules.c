/*
 * audit_rules.c - the rules of §5.2 with their availability and thresholds,
 * and the officials roster, as report models
 *
 * SPDX-License-Identifier: MIT
 */
#include <ledger/org.h>
#include <reports/audit.h>

#include "lists_internal.h"

static const char rules_sql[] =
	"SELECT code AS \"rule|规则\", grp AS \"group|类别\", title AS \"title|名称\",\n"
	"       CASE severity WHEN 'red' THEN '红' ELSE '黄' END AS \"severity|等级\",\n"
	"       CASE WHEN available THEN '可用' ELSE '不可用' END AS \"available|状态\",\n"
	"       why_not AS \"why_not|原因\"\n"
	"  FROM audit_rule ORDER BY code";

/* Each threshold: its default and source, and the value in effect for the
 * organisation ($1, may be NULL): a township's, else its county's. */
static const char params_sql[] =
	"WITH o AS (SELECT o.id, o.level, o.parent_id, t.parent_id AS gp FROM org o\n"
	"            LEFT JOIN org t ON t.id = o.parent_id WHERE o.code = $1),\n"
	/* where a value may come from, nearest first */
	"chain AS (SELECT id AS org_id, 1 AS rank FROM o WHERE level <> 'village'\n"
	"          UNION ALL SELECT parent_id, 2 FROM o WHERE level = 'township'\n"
	"          UNION ALL SELECT parent_id, 1 FROM o WHERE level = 'village'\n"
	"          UNION ALL SELECT gp, 2 FROM o WHERE level = 'village')\n"
	"SELECT p.rule AS \"rule|规则\", p.key AS \"key|参数\", p.meaning AS \"meaning|含义\",\n"
	"       CASE p.unit WHEN 'fen' THEN audit_fen(p.default_value) || ' 元'\n"
	"            ELSE p.default_value || ' ' || CASE p.unit WHEN 'days' THEN '天'\n"
	"            WHEN 'months' THEN '个月' WHEN 'count' THEN '笔' ELSE '%' END END\n"
	"         AS \"default|默认值\",\n"
	"       CASE WHEN v.value IS NULL THEN '默认'\n"
	"            WHEN p.unit = 'fen' THEN audit_fen(v.value) || ' 元'\n"
	"            ELSE v.value::text END AS \"value|本级取值\",\n"
	"       coalesce(v.src, '') AS \"set_at|设定于\", p.source AS \"source|依据\"\n"
"  FROM audit_param p\n"
	"  LEFT JOIN LATERAL (SELECT t.value, g.code AS src FROM audit_threshold t\n"
	"             JOIN chain c ON c.org_id = t.org_id JOIN org g ON g.id = t.org_id\n"
	"            WHERE t.rule = p.rule AND t.key = p.key ORDER BY c.rank LIMIT 1) v ON true\n"
" ORDER BY p.rule, p.key";

int
cj_audit_rules(cj_db *db, const char *org, cj_report **out)
{
	cj_org o;
	int err;

	*out = NULL;
	if (org && (err = cj_org_find(db, org, &o)))
		return err;
	if (!(*out = cj_report_new("预警规则")) ||
	    (org && cj_report_subtitle(*out, "%s %s", o.code, o.name)))
		return cj__list_oom(db, out);
	if ((err = cj__list_query(db, out, "规则", rules_sql, 0, NULL)))
		return err;
	return cj__list_query(db, out, "阈值", params_sql, 1, &org);
}

static const char officials_sql[] =
	"SELECT v.code AS \"village|村代码\", v.name AS \"village_name|村\", o.name AS \"name|姓名\",\n"
	"       CASE WHEN o.id_number = '' THEN '' ELSE left(o.id_number, 6) || '********'\n"
	"            || right(o.id_number, 4) END AS \"id_number|身份证号\",\n"
	"       o.post AS \"post|职务\",\n"
	"       coalesce(to_char(o.term_from, 'YYYY-MM-DD'), '') || '至'\n"
	"         || coalesce(to_char(o.term_to, 'YYYY-MM-DD'), '') AS \"term|任期\",\n"
	"       o.relation AS \"relation|关系\", o.related_to AS \"related_to|亲属\"\n"
	"  FROM official o JOIN org v ON v.id = o.village_id JOIN org t ON t.id = v.parent_id\n"
	" WHERE $1 IN (v.code, t.code, (SELECT c.code FROM org c WHERE c.id = t.parent_id))\n"
	" ORDER BY v.code, o.related_to, o.id";

int
cj_audit_officials(cj_db *db, const char *org, cj_report **out)
{
	cj_org o;
	int err;

	*out = NULL;
	if ((err = cj_org_find(db, org, &o)))
		return err;
	if (!(*out = cj_report_new("村干部及亲属名册")) ||
	    cj_report_subtitle(*out, "%s %s", o.code, o.name))
		return cj__list_oom(db, out);
	return cj__list_query(db, out, "名册", officials_sql, 1, &org);
}
