/*
 * login.c - logins, kinds and scopes (schema 0015's functions do the work)
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>
#include <ledger/i18n.h>

#include "internal.h"

static const char *const kind_names[] = {"admin",   "bookkeeper", "reviewer",
					 "cashier", "inspector",  "board"};

const char *
cj_login_kind_name(cj_login_kind kind)
{
	return (unsigned)kind < sizeof kind_names / sizeof *kind_names ? kind_names[kind] : "?";
}

int
cj_login_kind_parse(const char *s, cj_login_kind *out)
{
	for (size_t i = 0; i < sizeof kind_names / sizeof *kind_names; i++)
		if (!strcmp(s, kind_names[i])) {
			*out = (cj_login_kind)i;
			return 0;
		}
	return CJ_EINVAL;
}

static const char self_sql[] =
	"SELECT kind, full_name FROM app_login WHERE login = session_user AND disabled_at IS NULL";

int
cj_login_self(cj_db *db, cj_login_kind *kind, char *full_name, size_t size)
{
	PGresult *res;
	int err;

	if ((err = cj_db_exec(db, &res, self_sql, 0, NULL)))
		return err;
	if (PQntuples(res) != 1 || cj_login_kind_parse(PQgetvalue(res, 0, 0), kind)) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOTFOUND, _("%s is no login of this database"),
				  cj_db_user(db));
	}
	cj__strlcpy(full_name, PQgetvalue(res, 0, 1), size);
	PQclear(res);
	return 0;
}

const char *
cj_db_user(const cj_db *db)
{
	const char *u = PQuser(cj_db_conn((cj_db *)db));

	return u ? u : "";
}

/* The SCRAM-SHA-256 verifier of a password (free with PQfreemem). */
static int
verifier_of(cj_db *db, const char *login, const char *password, char **out)
{
	*out = PQencryptPasswordConn(cj_db_conn(db), password, login, "scram-sha-256");
	if (!*out)
		return cj_db_fail(db, CJ_ERROR, _("cannot encrypt the password: %s"),
				  PQerrorMessage(cj_db_conn(db)));
	return 0;
}

int
cj_login_add(cj_db *db, const char *login, const char *full_name, cj_login_kind kind,
	     const char *password, const char *const *codes, int ncodes, int *created_out)
{
	cj_buf scopes = CJ_BUF_INIT;
	char *verifier = NULL;
	const char *params[5];
	PGresult *res;
	int err;

	if (created_out)
		*created_out = 0;
	/* the server only ever sees the verifier */
	if (password && (err = verifier_of(db, login, password, &verifier)))
		return err;
	cj__buf_putc(&scopes, '{');
	for (int i = 0; i < ncodes; i++)
		cj__buf_array_text(&scopes, codes[i]);
	cj__buf_putc(&scopes, '}');
	if (!cj__buf_ok(&scopes)) {
		PQfreemem(verifier);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	params[0] = login;
	params[1] = full_name;
	params[2] = cj_login_kind_name(kind);
	params[3] = verifier;
	params[4] = scopes.data;
	err = cj_db_exec(db, &res, "SELECT cunji.login_add($1, $2, $3, $4, $5::text[])", 5, params);
	PQfreemem(verifier);
	cj__buf_free(&scopes);
	if (err)
		return err;
	if (created_out)
		*created_out = !strcmp(PQgetvalue(res, 0, 0), "t");
	PQclear(res);
	return 0;
}

int
cj_login_password(cj_db *db, const char *login, const char *password)
{
	const char *params[2] = {login, NULL};
	char *verifier;
	int err;

	if (!password || !*password)
		return cj_db_fail(db, CJ_EINVAL, _("login %s: an empty password"), login);
	if ((err = verifier_of(db, login, password, &verifier)))
		return err;
	params[1] = verifier;
	err = cj_db_exec(db, NULL, "SELECT cunji.login_password($1, $2)", 2, params);
	PQfreemem(verifier);
	return err;
}

int
cj_login_disable(cj_db *db, const char *login)
{
	const char *params[1] = {login};

	return cj_db_exec(db, NULL, "SELECT cunji.login_disable($1)", 1, params);
}

static int
scope_set(cj_db *db, const char *login, const char *code, int add)
{
	const char *params[3] = {login, code, add ? "t" : "f"};

	return cj_db_exec(db, NULL, "SELECT cunji.login_scope_set($1, $2, $3)", 3, params);
}

int
cj_login_scope_add(cj_db *db, const char *login, const char *code)
{
	return scope_set(db, login, code, 1);
}

int
cj_login_scope_remove(cj_db *db, const char *login, const char *code)
{
	return scope_set(db, login, code, 0);
}
