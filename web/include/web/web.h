/*
 * web.h - `cunji serve`: the web interface, on libmicrohttpd
 *
 * The server holds no powerful connection: a person logs in with their own
 * database login and password, checked by PostgreSQL itself (SCRAM), and
 * every page they open runs on a connection of that login (a small pool per
 * login), so row-level security decides every row it shows.  Pages call the
 * libraries (ledger/, reports/), never SQL.  docs/web.md says what it does
 * and how it is protected.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_WEB_WEB_H
#define CUNJI_WEB_WEB_H

#include <stddef.h>

#include <ledger/error.h>

typedef struct cj_web cj_web;

typedef struct cj_web_opts {
	const char *listen;   /* "127.0.0.1:8080" (default), "[::1]:8080", ":8080" (every address) */
	const char *tls_cert; /* PEM files: both or neither; with them the server speaks HTTPS */
	const char *tls_key;
	/* Where logins connect: the embedded cluster (home, dbname) when
	 * conninfo is NULL, else that server (a --db URL or conninfo). */
	const char *home;
	const char *dbname;
	const char *conninfo;
	/* Failed logins allowed per login and per client address in a window of
	 * window_s seconds before further attempts are refused (0: 5, 20, 600). */
	int max_fail_login, max_fail_addr, window_s;
	/* The public server (--public): nobody logs in; every page runs as the
	 * login public_login (cunji_public) with public_password, which may read
	 * nothing but the published sheets (schema 0030).  NULL: the server of
	 * logins. */
	const char *public_login, *public_password;
} cj_web_opts;

/**
 * Start serving in threads of its own; returns at once.  *out is the
 * server, stopped and freed with cj_web_stop.  CJ_EINVAL for a bad listen
 * address or unreadable TLS files, CJ_EIO when the address cannot be bound;
 * the reason is in err.
 */
CJ_MUST_CHECK int cj_web_start(const cj_web_opts *opts, cj_web **out, char *err, size_t errsize);
/** The address to open: "http://127.0.0.1:8080/". */
const char *cj_web_url(const cj_web *w);
/** Stop serving, close every session's connections, free. */
void cj_web_stop(cj_web *w);

#endif
