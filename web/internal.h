/*
 * internal.h - what the web interface's modules share: the request, the
 * session, the pages
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_WEB_INTERNAL_H
#define CUNJI_WEB_INTERNAL_H

#include <stddef.h>
#include <time.h>

#include <ledger/ledger.h>
#include <reports/report.h>
#include <web/html.h>
#include <web/web.h>

#define WEB_BODY_MAX (64 * 1024)     /* a POST body (a voucher of a hundred lines fits) */
#define WEB_TOKEN_HEX 64             /* 32 random bytes */
#define WEB_LOGIN_MAX 64
#define WEB_SCOPE_MAX 64             /* the scope part of a page's stamp (schema 0042) */
#define WEB_UPLOAD_MAX (8 * 1024 * 1024) /* an imported file (POST /import) */

typedef struct web_sessions web_sessions;
typedef struct web_public web_public;
struct cj_pub_sheet;

/* One person logged in: what the cookie names, and their connections. */
typedef struct web_session {
	char token[WEB_TOKEN_HEX + 1];
	char csrf[WEB_TOKEN_HEX + 1];
	char login[WEB_LOGIN_MAX];
	char name[128];              /* full name */
	cj_login_kind kind;
	time_t created, seen;
	struct web_pool *pool;
} web_session;

/* A request and the response being built for it. */
typedef struct web_req {
	struct MHD_Connection *conn;
	cj_web *web;
	const char *method, *path;
	const char *body;            /* POST: the urlencoded body, NUL-terminated */
	size_t body_len;             /* its bytes (a multipart body may hold NULs) */
	char boundary[80];           /* a multipart/form-data body's boundary, else "" */
	char client[64];             /* the peer's address */
	web_session *s;              /* a copy of the session; NULL when not logged in */
	cj_db *db;                   /* the session's connection, borrowed for this request */
	/* response */
	int status;
	cj_buf out;
	const char *content_type;
	char location[512];          /* a redirect */
	char cookie[2][300];         /* Set-Cookie lines */
	char disposition[300];       /* a download's Content-Disposition */
	int no_keep;                 /* the page is not to be kept (cache.c) */
	char scope[WEB_SCOPE_MAX];   /* a kept page's stamp's scope part (village_stamp), else "" */
} web_req;

/* ---- cache.c: pages kept per session while their villages' stamp holds ---- */
typedef struct web_cache web_cache;
web_cache *web_cache_new(void);
void web_cache_free(web_cache *c);
/* 1 with the kept page appended to out when key's page has this stamp */
int web_cache_get(web_cache *c, const cj_buf *key, const char *stamp, cj_buf *out);
void web_cache_put(web_cache *c, const cj_buf *key, const char *stamp, const cj_buf *page);

/* ---- server.c ---- */
const char *web_arg(web_req *r, const char *name);       /* a query argument, or NULL */
/* a form field of the POST body into buf; "" when absent */
const char *web_field(web_req *r, const char *name, int n, char *buf, size_t size);
void web_redirect(web_req *r, const char *fmt, ...) CJ_PRINTF(2, 3);
int web_tls(const web_req *r);
int web_is_public(const web_req *r);   /* the public server (--public) */
/* Set-Cookie slot 0 or 1: HttpOnly, SameSite=Strict, Secure under TLS;
 * max_age < 0: a session cookie */
void web_set_cookie(web_req *r, int slot, const char *name, const char *value, int max_age);
#define WEB_COOKIE "cj_session"
#define WEB_PRE_COOKIE "cj_pre" /* the login form's CSRF token, before any session */
const cj_web_opts *web_opts(const cj_web *w);
web_sessions *web_sessions_of(cj_web *w);

/* ---- session.c: sessions, pools of connections per login, login limits ---- */
web_sessions *web_sessions_new(const cj_web_opts *o);
void web_sessions_free(web_sessions *ss);
/* Random bytes as hex (RAND_bytes); 0 or -1. */
int web_token(char out[WEB_TOKEN_HEX + 1]);
/* Check login and password by connecting as the login; on success a new
 * session copied into *out.  0, CJ_EAUTH (wrong), CJ_ERETRY (too many
 * failed attempts) or another status, with msg. */
int web_login(web_sessions *ss, const char *login, const char *password, const char *client,
	      web_session *out, char *msg, size_t msgsize);
/* The live session of token into *out (its seen time renewed); 0 or CJ_ENOTFOUND. */
int web_session_find(web_sessions *ss, const char *token, web_session *out);
void web_logout(web_sessions *ss, const char *token);
/* Borrow a connection of the session's login (waits a little when all are
 * busy); give it back with web_db_release.  0 or CJ_ERETRY. */
int web_db_borrow(web_sessions *ss, const web_session *s, cj_db **out);
void web_db_release(web_sessions *ss, const web_session *s, cj_db *db);

/* ---- html.c: the page frame and the pieces pages share ---- */
void web_page_begin(web_req *r, const char *title);
void web_page_end(web_req *r);
/* printf into the page with every %s argument escaped (use %S? no: call h()) */
void web_put(web_req *r, const char *s);                   /* raw markup */
void web_printf(web_req *r, const char *fmt, ...) CJ_PRINTF(2, 3); /* raw markup, numbers */
void web_text(web_req *r, const char *s);                  /* escaped text */
/* the hidden field every form carries */
void web_csrf_field(web_req *r);
/* an error or notice box */
void web_error_box(web_req *r, const char *msg);
void web_notice_box(web_req *r, const char *msg);
/* a report model as HTML tables (title, subtitles, tables, notes) */
void web_report(web_req *r, const cj_report *rep);
/* A report's cells as links: the cells of column col go to
 * prefix + param=<the cell> [+ &param2=<the first word of column col2's cell>];
 * prefix is markup ("/trace?" or "/trace?county=360925&amp;"). */
typedef struct web_link {
	const char *col, *prefix, *param;
	int first_word;              /* only the cell's first word (a code before its name) */
	const char *col2, *param2;   /* NULL: none */
} web_link;
void web_report_linked(web_req *r, const cj_report *rep, const web_link *links, size_t nlinks);
/* money as "1,234.56" */
const char *web_money(char buf[CJ_MONEY_FMT_MAX], int64_t fen);
/* a page that says what went wrong, with status */
int web_fail(web_req *r, int status, const char *msg);
/* the message of a failed library call on the request's connection */
int web_fail_db(web_req *r);

/* ---- page_villages.c: a <select> of the villages the login sees ---- */
void web_village_select(web_req *r, const char *selected, int any);

/* ---- page_vouchers.c: vouchers as a table (with review: 审核/标错 buttons) ---- */
void web_voucher_table(web_req *r, const cj_voucher_row *rows, size_t n, int review);

/* ---- assets.c: the CSS and JS compiled in ---- */
int web_asset(web_req *r, const char *name);

/* ---- public.c: the public server's connections, as the public reader ---- */
/* Check that the reader can connect (one connection, kept); NULL with err. */
web_public *web_public_new(const cj_web_opts *o, char *err, size_t errsize);
void web_public_free(web_public *p);
int web_public_borrow(web_public *p, cj_db **out);
void web_public_release(web_public *p, cj_db *db);

/* ---- page_public.c: a published sheet's pieces, shared with the board's pages ---- */
/* the verdict of a check as a coloured line, with the hotline */
void web_pub_verdict(web_req *r, int64_t id, int with_hotline);
/* a published file into the response (format xlsx or pdf) */
int web_pub_send_file(web_req *r, int64_t id, const char *format);
/* a published sheet's tables */
void web_pub_tables(web_req *r, int64_t id, const char *title);
/* a sheet's line in a list of publications (board: with who, and the board's links) */
void web_pub_sheet_row(web_req *r, const struct cj_pub_sheet *s, int board);
/* the id argument of a URL; 0 when missing or bad */
int64_t web_arg_id(web_req *r, const char *name);

/* ---- the pages ---- */
int page_login_form(web_req *r);
int page_login(web_req *r);
int page_logout(web_req *r);
int page_villages(web_req *r);
int page_vouchers(web_req *r);
int page_voucher(web_req *r);
int page_tb(web_req *r);
int page_entry_form(web_req *r);
int page_entry(web_req *r);
int page_review(web_req *r);
int page_review_act(web_req *r);
/* web-public: the public server, the board's and the inspector's pages */
int page_public_index(web_req *r);
int page_public_sheet(web_req *r);
int page_public_file(web_req *r);
int page_public_check(web_req *r);
int page_board(web_req *r);
int page_board_sheet(web_req *r);
int page_board_file(web_req *r);
int page_inspect(web_req *r);
int page_inspect_village(web_req *r);
int page_trace(web_req *r);

/* ---- issue 18's bookkeeper pages (web-book) ---- */
/* the server's private directory of uploaded files */
const char *web_upload_dir(const web_req *r);
/* remove the directory's files and the directory (at stop) */
void web_upload_clear(const char *dir);
/* download.c: a file or reports rendered as XLSX/PDF into the response;
 * filename is ASCII */
int web_send_file(web_req *r, const char *path, const char *content_type, const char *filename);
int web_download_reports(web_req *r, const cj_report *const *reps, size_t n, const char *fmt,
			 const char *filename);
/* session.c: the villages the login sees, for a village chooser: kept per
 * login for 30 s, and read again at once when scope (the scope part of a
 * kept page's stamp, r->scope; NULL or "": unknown) differs from the one
 * they were read under (what a page shows of a village is read fresh); free() */
int web_villages(web_sessions *ss, const web_session *s, cj_db *db, const char *scope,
		 cj_village_month **out, size_t *n);
/* a field's refusal beside it */
void web_field_error(web_req *r, const char *msg);
int page_accounts(web_req *r);
int page_statements(web_req *r);
int page_close_form(web_req *r);
int page_close(web_req *r);
int page_reopen_form(web_req *r);
int page_reopen(web_req *r);
int page_import_form(web_req *r);
int page_import(web_req *r);
/* page_search.c: the inspector's search across villages, a household's receipts */
int page_search(web_req *r);
int page_household(web_req *r);

#endif
