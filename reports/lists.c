/*
 * lists.c - organisations, a chart of accounts and closed months as report
 * models, and the query-to-table step the other lists share
 *
 * A list query names each column "key|标题": the key heads CSV and JSON, the
 * title the text table.  A key ending in _fen is money (the renderers add the
 * unit), an integer or numeric column a count; a row whose first cell is 合计
 * is the total, one with a 小计 cell a subtotal.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <ledger/account.h>
#include <ledger/buf.h>
#include <ledger/i18n.h>
#include <ledger/sql.h>
#include <reports/lists.h>

#include "lists_internal.h"

int
cj__list_oom(cj_db *db, cj_report **r)
{
	cj_report_free(*r);
	*r = NULL;
	return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
}

/* Column c of a list query: its key (up to the |, without _fen), title and type. */
static cj_col_type
query_column(PGresult *res, int c, char *key, size_t size, const char **title)
{
	const char *name = PQfname(res, c), *bar = strchr(name, '|');
	size_t n = bar ? (size_t)(bar - name) : strlen(name);
	Oid type = PQftype(res, c);

	*title = bar ? bar + 1 : name;
	snprintf(key, size, "%.*s", (int)n, name);
	if (n > 4 && !strcmp(key + n - 4, "_fen")) {
		key[n - 4] = '\0';
		return CJ_COL_MONEY;
	}
	return type == 20 || type == 21 || type == 23 ? CJ_COL_INT : CJ_COL_TEXT; /* int8, 2, 4 */
}

/*
 * The words the database keeps for a fund's or a project's status, shown in
 * the reader's language (po/): a list's "status" column in every format.
 */
static const char *const status_words[] = {
	N_("open"), N_("closed"), N_("returned"), /* fund */
	N_("planned"), N_("started"), N_("accepted"), /* project */
};

static const char *
status_word(const char *v)
{
	for (size_t i = 0; i < sizeof status_words / sizeof status_words[0]; i++)
		if (!strcmp(v, status_words[i]))
			return _(status_words[i]);
	return v;
}

/* The rows of n results of one query, one after the other, as table name
 * (the columns from the first). */
static int
results_table(cj_db *db, cj_report *r, const char *name, PGresult *const *results, int n)
{
	PGresult *res = results[0];
	cj_table *t;
	cj_buf keys = CJ_BUF_INIT;
	int nc = PQnfields(res);

	if (!(t = cj_report_table(r, name, 1)))
		goto nomem;
	for (int c = 0; c < nc; c++) {
		char key[64];
		const char *title;
		cj_col_type type = query_column(res, c, key, sizeof key, &title);

		cj__buf_printf(&keys, "%s%s", c ? "," : "", key);
		if (cj_table_column(r, t, NULL, title, type, 0))
			goto nomem;
	}
	if (!cj__buf_ok(&keys) || (nc && cj_table_keys(r, t, keys.data)))
		goto nomem;
	for (int k = 0; k < n; k++)
	for (int i = 0; i < PQntuples(res = results[k]); i++) {
		cj_row_kind kind = !strcmp(PQgetvalue(res, i, 0), "合计") ? CJ_ROW_TOTAL : CJ_ROW_DATA;
		long row;

		for (int c = 0; c < nc && kind == CJ_ROW_DATA; c++)
			if (!strcmp(PQgetvalue(res, i, c), "小计"))
				kind = CJ_ROW_SUBTOTAL;
		if ((row = cj_table_row(r, t, kind, 0)) < 0)
			goto nomem;
		for (int c = 0; c < nc; c++) {
			if (PQgetisnull(res, i, c))
				continue;
			if (t->cols[c].type == CJ_COL_TEXT) {
				const char *v = PQgetvalue(res, i, c);

				if (!strcmp(t->cols[c].key ? t->cols[c].key : "", "status"))
					v = status_word(v);
				if (cj_table_text(r, t, row, (size_t)c, "%s", v))
					goto nomem;
			} else {
				cj_table_number(t, row, (size_t)c, strtoll(PQgetvalue(res, i, c), NULL, 10));
			}
		}
	}
	cj__buf_free(&keys);
	return 0;
nomem:
	cj__buf_free(&keys);
	return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
}

static int
query_table(cj_db *db, cj_report *r, const char *name, const char *sql, int nparams,
	    const char *const *params)
{
	PGresult *res;
	int err;

	if ((err = cj_db_exec(db, &res, sql, nparams, params)))
		return err;
	err = results_table(db, r, name, &res, 1);
	PQclear(res);
	return err;
}

int
cj__list_results(cj_db *db, cj_report **r, const char *name, PGresult *const *results, int n)
{
	int err = results_table(db, *r, name, results, n);

	if (err) {
		cj_report_free(*r);
		*r = NULL;
	}
	return err;
}

int
cj__list_query(cj_db *db, cj_report **r, const char *name, const char *sql, int nparams,
	       const char *const *params)
{
	int err = query_table(db, *r, name, sql, nparams, params);

	if (err) {
		cj_report_free(*r);
		*r = NULL;
	}
	return err;
}

/* ---- organisations ---- */

int
cj_list_orgs(cj_db *db, const char *code, cj_report **out)
{
	static const char *const level_zh[3] = {"县", "乡镇", "村"};
	cj_org *orgs = NULL;
	cj_table *t;
	size_t n;
	int err;

	*out = NULL;
	if ((err = cj_org_list(db, code, &orgs, &n)))
		return err;
	if (!(*out = cj_report_new("组织机构")) || !(t = cj_report_table(*out, "组织机构", 0)) ||
	    cj_table_column(*out, t, NULL, "级别", CJ_COL_TEXT, 0) ||
	    cj_table_column(*out, t, NULL, "代码", CJ_COL_TEXT, 0) ||
	    cj_table_column(*out, t, NULL, "名称", CJ_COL_TEXT, 0) ||
	    cj_table_column(*out, t, NULL, "上级", CJ_COL_TEXT, 0) ||
	    cj_table_column(*out, t, NULL, "建账月份", CJ_COL_TEXT, 0) ||
	    cj_table_keys(*out, t, "level,code,name,parent,books_from"))
		goto nomem;
	cj_table_indent_column(t, 1);
	for (size_t i = 0; i < n; i++) {
		long row = cj_table_row(*out, t, CJ_ROW_DATA, (int)orgs[i].level);
		char start[16];

		if (row < 0 ||
		    cj_table_text(*out, t, row, 0, "%s", level_zh[orgs[i].level]) ||
		    cj_table_text(*out, t, row, 1, "%s", orgs[i].code) ||
		    cj_table_text(*out, t, row, 2, "%s", orgs[i].name) ||
		    (orgs[i].parent_code[0] &&
		     cj_table_text(*out, t, row, 3, "%s", orgs[i].parent_code)))
			goto nomem;
		if (orgs[i].level == CJ_ORG_VILLAGE) {
			cj_period_format(start, sizeof start, orgs[i].start);
			if (cj_table_text(*out, t, row, 4, "%s", start))
				goto nomem;
		}
	}
	free(orgs);
	return 0;
nomem:
	free(orgs);
	return cj__list_oom(db, out);
}

/* ---- a chart of accounts ---- */

int
cj_list_accounts(cj_db *db, const char *village, cj_report **out)
{
	cj_account *a = NULL;
	cj_table *t;
	cj_org v;
	size_t n;
	int err;

	*out = NULL;
	if ((err = cj_village_find(db, village, &v)) || (err = cj_account_list(db, v.id, &a, &n)))
		return err;
	if (!(*out = cj_report_new("科目表")) ||
	    cj_report_subtitle(*out, "编制单位：%s %s", v.code, v.name) ||
	    !(t = cj_report_table(*out, "科目表", 0)) ||
	    cj_table_column(*out, t, NULL, "科目编码", CJ_COL_TEXT, 0) ||
	    cj_table_column(*out, t, NULL, "科目名称", CJ_COL_TEXT, 0) ||
	    cj_table_column(*out, t, NULL, "级次", CJ_COL_INT, 0) ||
	    cj_table_column(*out, t, NULL, "类别", CJ_COL_TEXT, 0) ||
	    cj_table_column(*out, t, NULL, "余额方向", CJ_COL_TEXT, 0) ||
	    cj_table_column(*out, t, NULL, "末级", CJ_COL_TEXT, 0) ||
	    cj_table_column(*out, t, NULL, "状态", CJ_COL_TEXT, 0) ||
	    cj_table_keys(*out, t, "code,name,level,category,normal_side,leaf,status"))
		goto nomem;
	cj_table_indent_column(t, 0);
	for (size_t i = 0; i < n; i++) {
		long row = cj_table_row(*out, t, CJ_ROW_DATA, a[i].level - 1);

		if (row < 0 || cj_table_text(*out, t, row, 0, "%s", a[i].code) ||
		    cj_table_text(*out, t, row, 1, "%s", a[i].name) ||
		    cj_table_text(*out, t, row, 3, "%s", cj_category_name_zh(a[i].category)) ||
		    cj_table_text(*out, t, row, 4, "%s", a[i].normal_side == 'D' ? "借" : "贷") ||
		    cj_table_text(*out, t, row, 5, "%s", a[i].is_leaf ? "是" : "否") ||
		    cj_table_text(*out, t, row, 6, "%s", a[i].active ? "启用" : "停用"))
			goto nomem;
		cj_table_number(t, row, 2, a[i].level);
	}
	free(a);
	return 0;
nomem:
	free(a);
	return cj__list_oom(db, out);
}

/* ---- closed months and the record of closing and reopening ---- */

static const char periods_sql[] =
	"SELECT to_char(period, 'YYYY-MM') AS \"month|月份\",\n"
	"       CASE WHEN closed THEN '已结账' ELSE '未结账' END AS \"state|状态\"\n"
	"  FROM period_state WHERE village_id = $1 ORDER BY period";

static const char period_events_sql[] =
	"SELECT to_char(at, 'YYYY-MM-DD HH24:MI') AS \"at|时间\",\n"
	"       to_char(period, 'YYYY-MM') AS \"month|月份\",\n"
	"       CASE action WHEN 'close' THEN '结账' ELSE '反结账' END AS \"action|操作\",\n"
	"       by_user AS \"by|操作人\", reason AS \"reason|原因\"\n"
	"  FROM period_event WHERE village_id = $1 ORDER BY id";

int
cj_list_periods(cj_db *db, const char *village, cj_report **out)
{
	char id[16];
	const char *params[1] = {id};
	cj_org v;
	int err;

	*out = NULL;
	if ((err = cj_village_find(db, village, &v)))
		return err;
	snprintf(id, sizeof id, "%d", v.id);
	if (!(*out = cj_report_new("结账情况")) ||
	    cj_report_subtitle(*out, "编制单位：%s %s    账簿自%d年%d月起，未列出的月份未结账", v.code,
			       v.name, v.start.year, v.start.month))
		return cj__list_oom(db, out);
	if ((err = cj__list_query(db, out, "结账月份", periods_sql, 1, params)))
		return err;
	return cj__list_query(db, out, "结账与反结账记录", period_events_sql, 1, params);
}
