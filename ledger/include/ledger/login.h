/*
 * login.h - the people who connect: logins, their kind and their scope
 *
 * A login is a PostgreSQL role that may log in and belongs to one group
 * role, its kind (cunji_admin, cunji_bookkeeper ...), which says what it may
 * do; its scope (organisations: villages, townships, counties) says which
 * villages' rows it sees and writes.  The database enforces both, whatever
 * the client (schema 0015, docs/roles.md).  Only an admin (or a superuser)
 * manages logins.  Each call is one statement: it works alone or inside the
 * caller's transaction.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_LOGIN_H
#define CUNJI_LEDGER_LOGIN_H

#include <ledger/db.h>
#include <ledger/error.h>
#include <ledger/i18n.h>

typedef enum cj_login_kind {
	CJ_LOGIN_ADMIN,      /* manages logins and organisations; does everything, everywhere */
	CJ_LOGIN_BOOKKEEPER, /* keeps the books of the villages in scope */
	CJ_LOGIN_REVIEWER,   /* 审核/主管会计: closes months and years in scope */
	CJ_LOGIN_CASHIER,    /* 出纳: posts receipts and payments in scope */
	CJ_LOGIN_INSPECTOR,  /* 纪检监察: reads everything in scope, writes nothing */
	CJ_LOGIN_BOARD       /* 村务监督委员会/村委: reads its own village */
} cj_login_kind;

/* marked for translation (po/): the tool prints it translated */
#define CJ_LOGIN_KINDS N_("admin, bookkeeper, reviewer, cashier, inspector or board")

/** "admin", "bookkeeper" ... as the CLI and the database spell them. */
const char *cj_login_kind_name(cj_login_kind kind);
/** The kind named s; CJ_EINVAL when s names none. */
CJ_MUST_CHECK int cj_login_kind_parse(const char *s, cj_login_kind *out);

/**
 * Add login to this database as a person (full_name) of a kind, with the
 * organisations of codes (ncodes) as its scope.  A role missing from the
 * server is created, with password (sent as a SCRAM-SHA-256 verifier, never
 * in clear) or none (NULL: it can only log in by peer authentication);
 * *created_out (may be NULL) is then 1.  A role of the server that is a
 * login of the same kind already (in another database) is added with its
 * password unchanged (*created_out 0).  Refused (CJ_EREFUSED) for a bad
 * name, an existing login, a role that is no such login, a scope that does
 * not fit the kind; permission denied (CJ_EREFUSED) unless an admin calls.
 */
CJ_MUST_CHECK int cj_login_add(cj_db *db, const char *login, const char *full_name,
			       cj_login_kind kind, const char *password,
			       const char *const *codes, int ncodes, int *created_out);
/** Set a login's password (the server sees only its SCRAM verifier): a
 * login its own, an admin any login's (the database refuses others, 42501). */
CJ_MUST_CHECK int cj_login_password(cj_db *db, const char *login, const char *password);
/** Disable a login here: it keeps its history, connects no more and sees nothing. */
CJ_MUST_CHECK int cj_login_disable(cj_db *db, const char *login);
/** Add or remove an organisation (by code) to or from a login's scope. */
CJ_MUST_CHECK int cj_login_scope_add(cj_db *db, const char *login, const char *code);
CJ_MUST_CHECK int cj_login_scope_remove(cj_db *db, const char *login, const char *code);

/**
 * The connection's own login (session_user): its kind and full name (cut to
 * size).  CJ_ENOTFOUND when it is no enabled login of this database (the
 * bootstrap superuser, a disabled login).
 */
CJ_MUST_CHECK int cj_login_self(cj_db *db, cj_login_kind *kind, char *full_name, size_t size);

/** The login this connection is (session_user), as libpq knows it. */
const char *cj_db_user(const cj_db *db);

#endif
