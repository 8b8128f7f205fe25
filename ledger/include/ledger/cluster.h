/*
 * cluster.h - the embedded default database
 *
 * With no --db and no CUNJI_DB, cunji keeps a private PostgreSQL cluster in
 * a data directory (CUNJI_HOME) and talks to it over a unix socket only.  Run
 * as root, the server runs as the unprivileged `postgres` system user.
 * CUNJI_HOME must be the caller's own and writable by nobody else, and so
 * must every directory above it unless it is root's and sticky (/tmp); its
 * pg/ and log/ must be real directories of the server's user, not symlinks.
 * Every function here refuses (CJ_EREFUSED) a home that breaks these rules.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_CLUSTER_H
#define CUNJI_LEDGER_CLUSTER_H

#include <stddef.h>

#include <ledger/db.h>
#include <ledger/error.h>

#define CJ_DEFAULT_DBNAME "cunji"

/**
 * The home directory: $CUNJI_HOME, else /var/lib/cunji for root, else
 * $XDG_DATA_HOME/cunji or ~/.local/share/cunji.
 */
CJ_MUST_CHECK int cj_cluster_home(char *buf, size_t size, char *err, size_t errsize);

/**
 * The admin login of the operating-system user who runs this (its name), the
 * login every command of the embedded cluster uses unless told another.
 */
CJ_MUST_CHECK int cj_cluster_login(char *buf, size_t size);

/**
 * Make sure the cluster under home exists and runs and that database dbname
 * exists in it (initdb, start and CREATE DATABASE as needed; serialised by a
 * lock file).  A cluster made by an older cunji gets cunji's pg_hba.conf and
 * pg_ident.conf (no trust: the owner by peer, other logins by password) and
 * a reload.  Writes a libpq conninfo for dbname, as the bootstrap superuser
 * (for maintenance), into conninfo.
 * *created_out (may be NULL) is set when the database was created now.
 * A server left with stale lock files by a kill -9 is started again.
 */
CJ_MUST_CHECK int cj_cluster_ensure(const char *home, const char *dbname, char *conninfo,
				    size_t size, int *created_out, char *err, size_t errsize);

/**
 * cj_cluster_ensure, then, as the bootstrap superuser, apply the migrations
 * dbname misses (*applied_out, may be NULL, says how many) and give the
 * operating-system user its admin login there.  What `cunji init` does.
 */
CJ_MUST_CHECK int cj_cluster_bootstrap(const char *home, const char *dbname, int *applied_out,
				       char *err, size_t errsize);

/**
 * Connect to database dbname of the cluster under home as login user (NULL:
 * the operating-system user's admin login, by peer authentication) with
 * password (NULL: PGPASSWORD, ~/.pgpass or none): one connection when the
 * server runs and the database exists, else cj_cluster_bootstrap first.
 * Nothing is sent on the connection (see cj_db_check_schema).  On failure
 * *out is NULL and err holds the message; CJ_EAUTH when the server wants a
 * password that was not given.
 */
CJ_MUST_CHECK int cj_cluster_connect_as(const char *home, const char *dbname, const char *user,
					const char *password, cj_db **out, char *err,
					size_t errsize);
/** cj_cluster_connect_as the operating-system user's admin login. */
CJ_MUST_CHECK int cj_cluster_connect(const char *home, const char *dbname, cj_db **out,
				     char *err, size_t errsize);

/** URI for dbname in the cluster under home as login user (NULL: the
 * operating-system user's admin login), without starting it. */
CJ_MUST_CHECK int cj_cluster_url_as(const char *home, const char *dbname, const char *user,
				    char *buf, size_t size);
CJ_MUST_CHECK int cj_cluster_url(const char *home, const char *dbname, char *buf, size_t size);

typedef struct cj_cluster_status {
	int initialised; /* a data directory exists */
	int running;     /* the server answers */
	long pid;        /* postmaster pid when running */
	char datadir[512];
} cj_cluster_status;

CJ_MUST_CHECK int cj_cluster_get_status(const char *home, cj_cluster_status *out, char *err,
					size_t errsize);
/** Stop the server (fast shutdown).  Stopping a stopped cluster is not an error. */
CJ_MUST_CHECK int cj_cluster_stop(const char *home, char *err, size_t errsize);
/**
 * Replace database dbname with a new, empty scratch database (for the demo,
 * tests and benchmarks), starting the cluster if needed, migrated, with the
 * operating-system user's admin login (cj_cluster_bootstrap).  Only a database
 * that does not exist or that this function made (it marks them with a
 * COMMENT ON DATABASE) is replaced: any other is refused with CJ_EREFUSED.
 */
CJ_MUST_CHECK int cj_cluster_recreate_db(const char *home, const char *dbname, char *err,
					 size_t errsize);

#endif
