/*
 * cluster.h - the embedded default database
 *
 * With no --db and no CUNJI_DB, cunji keeps a private PostgreSQL cluster in
 * a data directory (CUNJI_HOME) and talks to it over a unix socket only.  Run
 * as root, the server runs as the unprivileged `postgres` system user.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_CLUSTER_H
#define CUNJI_LEDGER_CLUSTER_H

#include <stddef.h>

#include <ledger/error.h>

#define CJ_DEFAULT_DBNAME "cunji"

/**
 * The home directory: $CUNJI_HOME, else /var/lib/cunji for root, else
 * $XDG_DATA_HOME/cunji or ~/.local/share/cunji.
 */
CJ_MUST_CHECK int cj_cluster_home(char *buf, size_t size, char *err, size_t errsize);

/**
 * Make sure the cluster under home exists and runs and that database dbname
 * exists in it (initdb, start and CREATE DATABASE as needed; serialised by a
 * lock file).  Writes a libpq conninfo for dbname into conninfo.
 * *created_out (may be NULL) is set when the database was created now.
 */
CJ_MUST_CHECK int cj_cluster_ensure(const char *home, const char *dbname, char *conninfo,
				    size_t size, int *created_out, char *err, size_t errsize);

/** Conninfo (URI) for dbname in the cluster under home, without starting it. */
int cj_cluster_url(const char *home, const char *dbname, char *buf, size_t size);

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
/** Drop database dbname in the running cluster (used by `cunji demo`). */
CJ_MUST_CHECK int cj_cluster_recreate_db(const char *home, const char *dbname, char *err,
					 size_t errsize);

#endif
