/*
 * account.c - a village's chart of accounts
 *
 * The database derives a sub-account's parent, category and normal side
 * (trigger account_before_insert); this file checks the same rules first so
 * the user gets a plain answer without a round trip through an exception.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ledger/i18n.h>

#include "internal.h"

static const char insert_sql[] =
	"INSERT INTO account (village_id, code, name, category, normal_side)\n"
	"VALUES ($1, $2, $3, 'asset', 'D')"; /* category and side come from the parent */

/* Many accounts in one statement, in the order given (a sub-account's parent
 * may come earlier in the same list: account_before_insert sees the rows
 * the statement wrote before). */
static const char insert_many_sql[] =
	"INSERT INTO account (village_id, code, name, category, normal_side)\n"
	"SELECT v, c, n, 'asset', 'D'\n"
	"  FROM unnest($1::int[], $2::text[], $3::text[]) WITH ORDINALITY AS x(v, c, n, i)\n"
	" ORDER BY i";

static const char list_sql[] =
	"SELECT code, name, coalesce(parent_code, ''), category, normal_side, is_leaf, active\n"
	"  FROM account WHERE village_id = $1 ORDER BY code";

static const char find_sql[] =
	"SELECT code, name, coalesce(parent_code, ''), category, normal_side, is_leaf, active,\n"
	"       (SELECT count(*) FROM account p WHERE p.village_id = a.village_id\n"
	"           AND a.code LIKE p.code || '%') AS level\n"
	"  FROM account a WHERE village_id = $1 AND code = $2";

static const char *const category_names[] = {"asset", "liability", "equity",
					      "cost",  "income",    "expense"};
static const char *const category_names_zh[] = {"资产", "负债", "所有者权益",
						 "成本", "损益",  "损益"};

int
cj_category_parse(const char *text)
{
	for (int i = 0; i < 6; i++)
		if (!strcmp(text, category_names[i]))
			return i;
	return -1;
}

const char *
cj_category_name(cj_category c)
{
	return (unsigned)c < 6 ? category_names[c] : "?";
}

const char *
cj_category_name_zh(cj_category c)
{
	return (unsigned)c < 6 ? category_names_zh[c] : "?";
}

static void
row_to_account(const PGresult *res, int i, cj_account *a)
{
	memset(a, 0, sizeof *a);
	cj__strlcpy(a->code, PQgetvalue(res, i, 0), sizeof a->code);
	cj__strlcpy(a->name, PQgetvalue(res, i, 1), sizeof a->name);
	cj__strlcpy(a->parent_code, PQgetvalue(res, i, 2), sizeof a->parent_code);
	a->category = (cj_category)cj_category_parse(PQgetvalue(res, i, 3));
	a->normal_side = PQgetvalue(res, i, 4)[0];
	a->is_leaf = PQgetvalue(res, i, 5)[0] == 't';
	a->active = PQgetvalue(res, i, 6)[0] == 't';
}

/* Levels follow the parent chain; rows are sorted by code, so parents come first. */
static void
assign_levels(cj_account *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		a[i].level = 1;
		if (!a[i].parent_code[0])
			continue;
		for (size_t j = i; j-- > 0;)
			if (!strcmp(a[j].code, a[i].parent_code)) {
				a[i].level = a[j].level + 1;
				break;
			}
	}
}

int
cj_account_list(cj_db *db, int village_id, cj_account **out, size_t *n_out)
{
	char id[16];
	const char *params[1] = {id};
	PGresult *res;
	cj_account *a;
	int err, n;

	*out = NULL;
	*n_out = 0;
	snprintf(id, sizeof id, "%d", village_id);
	err = cj_db_exec(db, &res, list_sql, 1, params);
	if (err)
		return err;
	n = PQntuples(res);
	a = calloc(n ? (size_t)n : 1, sizeof *a);
	if (!a) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	for (int i = 0; i < n; i++)
		row_to_account(res, i, &a[i]);
	PQclear(res);
	assign_levels(a, (size_t)n);
	*out = a;
	*n_out = (size_t)n;
	return 0;
}

int
cj_account_find(cj_db *db, int village_id, const char *code, cj_account *out)
{
	char id[16];
	const char *params[2] = {id, code};
	PGresult *res;
	int err;

	snprintf(id, sizeof id, "%d", village_id);
	err = cj_db_exec(db, &res, find_sql, 2, params);
	if (err)
		return err;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOTFOUND, _("account %s does not exist in this village"), code);
	}
	row_to_account(res, 0, out);
	out->level = atoi(PQgetvalue(res, 0, 7)); /* codes nest strictly: prefixes are ancestors */
	PQclear(res);
	return 0;
}

/* The checks of a new account that need no database. */
static int
check_new(cj_db *db, const char *code, const char *name)
{
	char why[160];
	size_t len = strlen(code);

	for (const char *c = code; *c; c++)
		if (*c < '0' || *c > '9')
			return cj_db_fail(db, CJ_EINVAL, _("account code '%s' must be digits only"), code);
	if (len <= 3 || len > 15)
		return cj_db_fail(db, CJ_EINVAL,
				  _("account code '%s': a sub-account extends a first-level code "
				  "(3 digits) by 2 or 3 digits per level, up to 15 digits"),
				  code);
	if (!name || !*name)
		return cj_db_fail(db, CJ_EINVAL, _("account %s needs a name"), code);
	if (cj_text_check(name, why, sizeof why))
		return cj_db_fail(db, CJ_EINVAL, _("the name of account %s %s"), code, why);
	return 0;
}

int
cj_account_add(cj_db *db, int village_id, const char *code, const char *name)
{
	char id[16];
	const char *params[3] = {id, code, name};
	int err = check_new(db, code, name);

	if (err)
		return err;
	snprintf(id, sizeof id, "%d", village_id);
	err = cj_db_exec(db, NULL, insert_sql, 3, params);
	if (err == CJ_EEXISTS)
		return cj_db_fail(db, err, _("account %s already exists"), code);
	return err;
}

/* Whether accounts[0..n) went in by one statement; if not, nothing of them
 * did (the savepoint rolled back) and the caller adds them one by one. */
static int
insert_at_once(cj_db *db, const cj_account_new *accounts, size_t n)
{
	cj_buf v = CJ_BUF_INIT, c = CJ_BUF_INIT, m = CJ_BUF_INIT;
	int ok = 1;

	for (size_t i = 0; i < n && ok; i++)
		ok = !check_new(db, accounts[i].code, accounts[i].name);
	cj__buf_putc(&v, '{');
	cj__buf_putc(&c, '{');
	cj__buf_putc(&m, '{');
	for (size_t i = 0; i < n && ok; i++) {
		cj__buf_array_i64(&v, accounts[i].village_id);
		cj__buf_array_text(&c, accounts[i].code);
		cj__buf_array_text(&m, accounts[i].name);
	}
	cj__buf_putc(&v, '}');
	cj__buf_putc(&c, '}');
	cj__buf_putc(&m, '}');
	ok = ok && cj__buf_ok(&v) && cj__buf_ok(&c) && cj__buf_ok(&m) &&
	     !cj_db_exec(db, NULL, "SAVEPOINT account_many", 0, NULL);
	if (ok) {
		const char *params[3] = {v.data, c.data, m.data};
		ok = !cj_db_exec(db, NULL, insert_many_sql, 3, params) &&
		     !cj_db_exec(db, NULL, "RELEASE SAVEPOINT account_many", 0, NULL);
		/* a failure here shows again, with its own message, row by row */
		if (!ok && cj_db_exec(db, NULL, "ROLLBACK TO SAVEPOINT account_many", 0, NULL))
			ok = 0;
	}
	cj__buf_free(&v);
	cj__buf_free(&c);
	cj__buf_free(&m);
	return ok;
}

int
cj_account_add_many(cj_db *db, const cj_account_new *accounts, size_t n, size_t *failed_out)
{
	size_t i = 0;
	int own = !cj__db_in_transaction(db);
	int err = own ? cj_db_begin(db) : 0;

	/* one statement for the whole list (a file of a county's sub-accounts);
	 * should the database refuse, the list again row by row, which names the
	 * row and says why */
	if (!err && n > 1 && insert_at_once(db, accounts, n))
		i = n;
	for (; !err && i < n; i++)
		err = cj_account_add(db, accounts[i].village_id, accounts[i].code, accounts[i].name);
	/* in the caller's transaction, the caller commits or rolls back */
	if (own && !err)
		err = cj_db_commit(db);
	if (own && err)
		cj_db_rollback(db);
	if (failed_out)
		*failed_out = err && i ? i - 1 : 0;
	return err;
}

/* Accounts whose name, or path of names from the first level (银行存款/农商行,
 * 银行存款-农商行), is the text; in code order. */
static const char resolve_sql[] =
	"SELECT code, path FROM (\n"
	"    SELECT a.code, a.name,\n"
	"           (SELECT string_agg(p.name, '/' ORDER BY length(p.code)) FROM account p\n"
	"             WHERE p.village_id = a.village_id AND a.code LIKE p.code || '%') AS path\n"
	"      FROM account a WHERE a.village_id = $1) x\n"
	" WHERE name = $2 OR path = $2 OR replace(path, '/', '-') = $2 OR replace(path, '/', '－') = $2\n"
	" ORDER BY code";

int
cj_account_resolve(cj_db *db, int village_id, const char *text, char *code, size_t size)
{
	char id[16], list[600] = "";
	const char *params[2] = {id, text};
	PGresult *res;
	size_t used = 0;
	int err, n;

	/* a code stays a code (cj_account_find and the posting check it) */
	if (text[0] && strspn(text, "0123456789") == strlen(text)) {
		cj__strlcpy(code, text, size);
		return 0;
	}
	snprintf(id, sizeof id, "%d", village_id);
	if ((err = cj_db_exec(db, &res, resolve_sql, 2, params)))
		return err;
	n = PQntuples(res);
	if (n == 1) {
		cj__strlcpy(code, PQgetvalue(res, 0, 0), size);
		PQclear(res);
		return 0;
	}
	for (int i = 0; i < n && used + 1 < sizeof list; i++) {
		int w = snprintf(list + used, sizeof list - used, "%s%s %s", i ? ", " : "",
				 PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
		used += w > 0 ? (size_t)w : 0;
	}
	PQclear(res);
	if (!n)
		return cj_db_fail(db, CJ_ENOTFOUND,
				  _("no account of this village is named '%s' (cunji account list)"), text);
	return cj_db_fail(db, CJ_EINVAL, _("'%s' names %d accounts: %s; give the code or the full name"),
			  text, n, list);
}
