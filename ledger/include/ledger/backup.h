/*
 * backup.h - a copy of the books with PostgreSQL's own pg_dump and pg_restore
 *
 * A backup is one file in pg_dump's custom format (pg_restore -l lists it;
 * any PostgreSQL 15 can read it without cunji).  It holds one database: its
 * schema, rows, sequences and privileges.  Roles belong to the server, not
 * to a database, so a restore makes what the books need on the server first:
 * the owner and group roles of 0015, and a login role for each row of
 * cunji.app_login that the server lacks (without a password: a new server
 * never had it; `cunji user password` sets it, and the restore names each
 * such login), and grants each login CONNECT again (a database's own
 * privileges are not in a dump without --create).
 *
 * Passwords are not carried.  A login's password is a SCRAM verifier in the
 * server's pg_authid, outside every database; the only ways to carry it in
 * one pg_dump file would be to write the verifiers into the books' database
 * before dumping it (the backup would change the books it copies, and the
 * audit trail and chains would record password verifiers) or to add a second
 * file (a backup is one file any PostgreSQL 15 reads), and a backup made with
 * --db by a login that is no superuser cannot read them at all.
 *
 * The embedded database is backed up only when it exists: a backup never
 * creates it (a mistyped --db NAME would otherwise write empty books).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_BACKUP_H
#define CUNJI_LEDGER_BACKUP_H

#include <stddef.h>

#include <ledger/error.h>

/* Where the books are: the embedded cluster's database (home and dbname) or
 * another server (conninfo, a URL or key=value string, and user). */
typedef struct cj_backup_target {
	const char *home;     /* the embedded cluster's home; NULL for another server */
	const char *dbname;   /* the embedded cluster's database */
	const char *conninfo; /* another server */
	const char *user;     /* another server: the login (NULL: the conninfo's) */
} cj_backup_target;

/* What a target holds before a restore: books or nothing. */
typedef struct cj_books_held {
	int exists;    /* the database exists */
	long orgs;     /* organisations in it (0 when it has no schema) */
	long vouchers; /* vouchers in it */
} cj_books_held;

typedef struct cj_restore_result {
	int logins;          /* the logins of the books (cunji.app_login) */
	int logins_created;  /* of which the server lacked the role (no password yet) */
	int applied;         /* migrations applied after the restore (an older backup) */
	/* the logins_created, one per line ("demo_board\n..."), to be given a password;
	 * cut short with a last line "..." when they do not fit */
	char no_password[2048];
} cj_restore_result;

/**
 * Write the target's database into file (pg_dump --format=custom), through a
 * temporary file beside it renamed at the end: an interrupted backup leaves
 * no file that looks whole.  The embedded database is dumped as the
 * bootstrap superuser (row-level security would hide rows from a login);
 * another server's as its user, who must own the tables or be a superuser.
 */
CJ_MUST_CHECK int cj_db_backup(const cj_backup_target *t, const char *file, char *err,
			       size_t errsize);

/** Whether file is a backup of cunji books (pg_restore reads it, and it has the schema). */
CJ_MUST_CHECK int cj_db_backup_check(const char *file, char *err, size_t errsize);

/** What the target holds now (to ask before replacing it). */
CJ_MUST_CHECK int cj_db_books_held(const cj_backup_target *t, cj_books_held *out, char *err,
				   size_t errsize);

/**
 * Restore file into the target, all or nothing.  A target holding books
 * (organisations or vouchers) is refused (CJ_EREFUSED) unless replace is set.
 * The embedded database is restored into a new database which then takes the
 * old one's place, so a failed restore leaves the old books as they were;
 * another server's database must exist, and is restored in one transaction
 * (pg_restore --single-transaction, --clean when replacing).
 */
CJ_MUST_CHECK int cj_db_restore(const cj_backup_target *t, const char *file, int replace,
				cj_restore_result *out, char *err, size_t errsize);

#endif
