/*
 * server.c - the HTTP server: libmicrohttpd, limits, routing, headers,
 * cookies, CSRF
 *
 * One thread per connection (a page waits on the database), at most
 * CONN_MAX connections and PER_IP_MAX from one address, headers and URL
 * within the connection's memory limit, a POST body within WEB_BODY_MAX.
 * Every response carries the security headers; a page is never cached.
 *
 * SPDX-License-Identifier: MIT
 */
#include <arpa/inet.h>
#include <locale.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>
#include <openssl/crypto.h>

#include "internal.h"

#define CONN_MAX 256
#define PER_IP_MAX 64 /* an office behind one NAT address: 50 clients at once (bench/web_latency.sh) */
#define TIMEOUT_S 30
#define HEADERS_MAX (64 * 1024)

struct cj_web {
	struct MHD_Daemon *d;
	cj_web_opts o;
	web_sessions *ss;
	web_cache *cache;            /* pages kept per session (cache.c) */
	web_public *pub;             /* the public server's connections; NULL otherwise */
	char url[128];
	char *cert, *key;
	int tls;
	char updir[64]; /* uploaded files between their check and their posting (mode 700) */
	locale_t zh;    /* the pages' messages (the libraries' too) in Chinese, whatever LANG says */
};

enum { LOGIN = 1, CSRF = 2 }; /* what a route needs */

typedef struct route {
	const char *method, *path;
	int needs;
	int (*page)(web_req *r);
} route;

static const route routes[] = {
	{"GET", "/login", 0, page_login_form},
	{"POST", "/login", 0, page_login},
	{"POST", "/logout", LOGIN | CSRF, page_logout},
	{"GET", "/villages", LOGIN, page_villages},
	{"GET", "/vouchers", LOGIN, page_vouchers},
	{"GET", "/voucher", LOGIN, page_voucher},
	{"GET", "/tb", LOGIN, page_tb},
	{"GET", "/entry", LOGIN, page_entry_form},
	{"POST", "/entry", LOGIN | CSRF, page_entry},
	{"GET", "/review", LOGIN, page_review},
	{"POST", "/review", LOGIN | CSRF, page_review_act},
	/* ---- board and inspector pages (web-public) ---- */
	{"GET", "/board", LOGIN, page_board},
	{"GET", "/board/sheet", LOGIN, page_board_sheet},
	{"GET", "/board/file", LOGIN, page_board_file},
	{"GET", "/inspect", LOGIN, page_inspect},
	{"GET", "/inspect/village", LOGIN, page_inspect_village},
	{"GET", "/trace", LOGIN, page_trace},
	/* ---- end board and inspector pages ---- */
	/* the bookkeeper's pages of issue 18's second part */
	{"GET", "/accounts", LOGIN, page_accounts},
	{"GET", "/statements", LOGIN, page_statements},
	{"GET", "/close", LOGIN, page_close_form},
	{"POST", "/close", LOGIN | CSRF, page_close},
	{"GET", "/reopen", LOGIN, page_reopen_form},
	{"POST", "/reopen", LOGIN | CSRF, page_reopen},
	{"GET", "/import", LOGIN, page_import_form},
	{"POST", "/import", LOGIN | CSRF, page_import},
	/* the inspector's search across villages and a household's receipts (web18) */
	{"GET", "/search", LOGIN, page_search},
	{"POST", "/search", LOGIN | CSRF, page_search},
	{"GET", "/household", LOGIN, page_household},
	{"POST", "/household", LOGIN | CSRF, page_household},
};

/* The public server's routes (--public): nothing else exists there. */
static const route public_routes[] = {
	{"GET", "/", 0, page_public_index},
	{"GET", "/sheet", 0, page_public_sheet},
	{"GET", "/file", 0, page_public_file},
	{"GET", "/check", 0, page_public_check},
};

/* The one route that takes a file: its body may be larger. */
static size_t
body_max(const char *url)
{
	return !strcmp(url, "/import") ? WEB_UPLOAD_MAX : WEB_BODY_MAX;
}

/* What one connection's request collects before it is answered. */
typedef struct upload {
	cj_buf body;
	int too_big;
} upload;

const cj_web_opts *
web_opts(const cj_web *w)
{
	return &w->o;
}

web_sessions *
web_sessions_of(cj_web *w)
{
	return w->ss;
}

int
web_is_public(const web_req *r)
{
	return r->web->pub != NULL;
}

int
web_tls(const web_req *r)
{
	return r->web->tls;
}

const char *
web_arg(web_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *
web_field(web_req *r, const char *name, int n, char *buf, size_t size)
{
	cj_form_part part;

	if (r->boundary[0]) { /* multipart: text fields are single */
		buf[0] = '\0';
		if (!n && !cj_multipart_find(r->body, r->body_len, r->boundary, name, &part) &&
		    part.len < size && !memchr(part.data, '\0', part.len)) {
			memcpy(buf, part.data, part.len);
			buf[part.len] = '\0';
		}
		return buf;
	}
	if (!r->body || cj_form_value(r->body, name, n, buf, size) < 0)
		buf[0] = '\0';
	return buf;
}

const char *
web_upload_dir(const web_req *r)
{
	return r->web->updir;
}

void
web_redirect(web_req *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->location, sizeof r->location, fmt, ap);
	va_end(ap);
	r->status = 303;
}

static void
security_headers(const web_req *r, struct MHD_Response *res)
{
	MHD_add_response_header(res, "Content-Security-Policy",
				"default-src 'none'; script-src 'self'; style-src 'self'; "
				"img-src 'self'; connect-src 'self'; form-action 'self'; "
				"frame-ancestors 'none'; "
				"base-uri 'none'");
	MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(res, "X-Frame-Options", "DENY");
	MHD_add_response_header(res, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(res, "Cross-Origin-Opener-Policy", "same-origin");
	if (r->web->tls)
		MHD_add_response_header(res, "Strict-Transport-Security", "max-age=31536000");
}

static enum MHD_Result
respond(web_req *r)
{
	struct MHD_Response *res;
	enum MHD_Result ok;
	size_t len = r->out.len;

	if (!cj__buf_ok(&r->out)) {
		cj__buf_free(&r->out);
		cj__buf_puts(&r->out, "out of memory\n");
		r->status = 500;
		r->content_type = "text/plain; charset=utf-8";
		len = r->out.len;
	}
	res = MHD_create_response_from_buffer(len, len ? r->out.data : (void *)"",
					      len ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!res) {
		cj__buf_free(&r->out);
		return MHD_NO;
	}
	r->out.data = NULL; /* the response owns it now */
	cj__buf_free(&r->out);
	security_headers(r, res);
	if (r->content_type)
		MHD_add_response_header(res, "Content-Type", r->content_type);
	if (strncmp(r->path, "/static/", 8))
		MHD_add_response_header(res, "Cache-Control", "no-store");
	else
		MHD_add_response_header(res, "Cache-Control", "max-age=3600");
	if (r->location[0])
		MHD_add_response_header(res, "Location", r->location);
	if (r->disposition[0])
		MHD_add_response_header(res, "Content-Disposition", r->disposition);
	for (int i = 0; i < 2; i++)
		if (r->cookie[i][0])
			MHD_add_response_header(res, "Set-Cookie", r->cookie[i]);
	ok = MHD_queue_response(r->conn, (unsigned)r->status, res);
	MHD_destroy_response(res);
	return ok;
}

static void
client_address(struct MHD_Connection *conn, char *buf, size_t size)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(buf, size, "?");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
			  (socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			  buf, (socklen_t)size);
}

void
web_set_cookie(web_req *r, int slot, const char *name, const char *value, int max_age)
{
	char age[32] = "";

	if (max_age >= 0)
		snprintf(age, sizeof age, "; Max-Age=%d", max_age);
	snprintf(r->cookie[slot], sizeof r->cookie[slot], "%s=%s; Path=/%s; HttpOnly; SameSite=Strict%s",
		 name, value, age, r->web->tls ? "; Secure" : "");
}

static int
token_equal(const char *a, const char *b)
{
	return a && b && strlen(a) == WEB_TOKEN_HEX && strlen(b) == WEB_TOKEN_HEX &&
	       !CRYPTO_memcmp(a, b, WEB_TOKEN_HEX);
}

/* The public server: its few routes, each on a connection of the public
 * reader; no session, no cookie, no form that writes. */
static void
dispatch_public(web_req *r)
{
	const route *rt = NULL;
	int path_known = 0;

	if (!strncmp(r->path, "/static/", 8) && !strcmp(r->method, "GET")) {
		if (web_asset(r, r->path + 8))
			web_fail(r, 404, "没有这个页面");
		return;
	}
	for (size_t i = 0; i < sizeof public_routes / sizeof *public_routes; i++)
		if (!strcmp(public_routes[i].path, r->path)) {
			path_known = 1;
			if (!strcmp(public_routes[i].method, r->method))
				rt = &public_routes[i];
		}
	if (!rt) {
		web_fail(r, path_known ? 405 : 404, path_known ? "不支持这种请求" : "没有这个页面");
		return;
	}
	if (web_public_borrow(r->web->pub, &r->db)) {
		web_fail(r, 503, "服务器忙，请稍后再试");
		return;
	}
	rt->page(r);
	web_public_release(r->web->pub, r->db);
	r->db = NULL;
}

static enum MHD_Result
add_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	cj_buf *b = cls;

	(void)kind;
	cj__buf_putc(b, '&');
	cj__buf_puts(b, key);
	cj__buf_putc(b, '=');
	cj__buf_puts(b, value ? value : "");
	return MHD_YES;
}

/*
 * A page that may be kept (cache.c): a village's voucher list or a statement
 * on the page (not a download), for a given village and period.  Its key
 * (the session's token and every argument) into key and the villages' stamp
 * into stamp; 0 when the page is not one to keep.
 */
static int
cache_key(web_req *r, cj_buf *key, char *stamp, size_t size)
{
	const char *village = web_arg(r, "village"), *period = web_arg(r, "period");

	if (!r->web->cache || !r->db || strcmp(r->method, "GET") ||
	    (strcmp(r->path, "/vouchers") && strcmp(r->path, "/statements")) ||
	    web_arg(r, "format") || !village || !*village || !period || !*period)
		return 0;
	cj__buf_put(key, r->s->token, strlen(r->s->token) + 1);
	cj__buf_puts(key, r->path);
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, key);
	if (!cj__buf_ok(key) || cj_org_stamp(r->db, village, stamp, size) || !*stamp)
		return 0;
	/* its scope part keeps the login's village chooser (web_villages) */
	snprintf(r->scope, sizeof r->scope, "%.*s", (int)strcspn(stamp, "/"), stamp);
	return 1;
}

/* Run the page, or send its kept copy while its villages are unchanged. */
static void
run_page(web_req *r, const route *rt)
{
	cj_buf key = CJ_BUF_INIT;
	char stamp[128];
	int keep = cache_key(r, &key, stamp, sizeof stamp);

	if (keep && web_cache_get(r->web->cache, &key, stamp, &r->out)) {
		r->status = 200;
		r->content_type = "text/html; charset=utf-8";
	} else {
		rt->page(r);
		if (keep && r->status == 200 && !r->no_keep && !r->location[0] && !r->disposition[0] &&
		    cj__buf_ok(&r->out))
			web_cache_put(r->web->cache, &key, stamp, &r->out);
	}
	cj__buf_free(&key);
}

/* Route r, run its page; fills the response. */
static void
dispatch(web_req *r)
{
	const route *rt = NULL;
	int path_known = 0;
	web_session s;
	const char *token;
	char csrf[WEB_TOKEN_HEX + 2];

	if (r->web->pub) {
		dispatch_public(r);
		return;
	}
	if (!strcmp(r->path, "/")) {
		token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, WEB_COOKIE);
		web_redirect(r, token && !web_session_find(r->web->ss, token, &s) ? "/villages" : "/login");
		return;
	}
	if (!strncmp(r->path, "/static/", 8) && !strcmp(r->method, "GET")) {
		if (web_asset(r, r->path + 8))
			web_fail(r, 404, "没有这个页面");
		return;
	}
	for (size_t i = 0; i < sizeof routes / sizeof *routes; i++)
		if (!strcmp(routes[i].path, r->path)) {
			path_known = 1;
			if (!strcmp(routes[i].method, r->method))
				rt = &routes[i];
		}
	if (!rt) {
		web_fail(r, path_known ? 405 : 404, path_known ? "不支持这种请求" : "没有这个页面");
		return;
	}
	token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, WEB_COOKIE);
	if (token && !web_session_find(r->web->ss, token, &s))
		r->s = &s;
	if ((rt->needs & LOGIN) && !r->s) {
		if (!strcmp(r->method, "GET"))
			web_redirect(r, "/login");
		else
			web_fail(r, 403, "请先登录");
		return;
	}
	if (!strcmp(r->method, "POST")) {
		/* every form carries its token: the session's, or the login form's cookie */
		const char *want = r->s && (rt->needs & CSRF)
					   ? r->s->csrf
					   : MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, WEB_PRE_COOKIE);
		web_field(r, "csrf", 0, csrf, sizeof csrf);
		if (!token_equal(csrf, want)) {
			web_fail(r, 403, "表单已失效，请刷新页面后重新提交");
			return;
		}
	}
	if (r->s && (rt->needs & LOGIN)) {
		int status = web_db_borrow(r->web->ss, r->s, &r->db);
		if (status) {
			web_fail(r, 503, "服务器忙，请稍后再试");
			return;
		}
	}
	run_page(r, rt);
	if (r->db)
		web_db_release(r->web->ss, r->s, r->db);
	r->db = NULL;
	r->s = NULL;
	OPENSSL_cleanse(&s, sizeof s);
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
       const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
	upload *u = *con_cls;
	web_req r;

	(void)version;
	if (!u) {
		const char *len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							      MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (!(u = calloc(1, sizeof *u)))
			return MHD_NO;
		*con_cls = u;
		if (len && strtoull(len, NULL, 10) > body_max(url))
			u->too_big = 1;
		else
			return MHD_YES;
	}
	if (*upload_size) {
		if (!u->too_big && u->body.len + *upload_size <= body_max(url))
			cj__buf_put(&u->body, upload_data, *upload_size);
		else
			u->too_big = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	memset(&r, 0, sizeof r);
	r.conn = conn;
	r.web = cls;
	r.path = url;
	r.method = strcmp(method, "HEAD") ? method : "GET";
	r.status = 200;
	client_address(conn, r.client, sizeof r.client);
	if (u->too_big)
		web_fail(&r, 413, "提交的内容太大");
	else if (strcmp(r.method, "GET") && strcmp(r.method, "POST"))
		web_fail(&r, 405, "不支持这种请求");
	else if (!cj__buf_ok(&u->body))
		web_fail(&r, 500, "out of memory");
	else {
		r.body = u->body.data ? u->body.data : "";
		r.body_len = u->body.len;
		if (!strcmp(r.method, "POST"))
			cj_multipart_boundary(MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
									  MHD_HTTP_HEADER_CONTENT_TYPE),
					      r.boundary, sizeof r.boundary);
		dispatch(&r);
	}
	return respond(&r);
}

/* Each request in Chinese: the thread's messages locale (gettext follows it). */
static enum MHD_Result
handler(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
	cj_web *w = cls;
	locale_t before = w->zh ? uselocale(w->zh) : (locale_t)0;
	enum MHD_Result res = handle(cls, conn, url, method, version, upload_data, upload_size,
				     con_cls);

	if (w->zh)
		uselocale(before);
	return res;
}

static void
completed(void *cls, struct MHD_Connection *conn, void **con_cls,
	  enum MHD_RequestTerminationCode toe)
{
	upload *u = *con_cls;

	(void)cls, (void)conn, (void)toe;
	if (u) {
		OPENSSL_cleanse(u->body.data ? u->body.data : (char *)u, u->body.data ? u->body.len : 0);
		cj__buf_free(&u->body);
		free(u);
	}
	*con_cls = NULL;
}

/* "host:port", "[v6]:port" or ":port" into a socket address. */
static int
parse_listen(const char *s, struct sockaddr_storage *sa, int *v6, char *err, size_t errsize)
{
	char host[128];
	const char *colon;
	char *end;
	long port;

	memset(sa, 0, sizeof *sa);
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof host)
			goto bad;
		snprintf(host, sizeof host, "%.*s", (int)(close - s - 1), s + 1);
		colon = close + 1;
	} else {
		if (!(colon = strrchr(s, ':')) || (size_t)(colon - s) >= sizeof host)
			goto bad;
		snprintf(host, sizeof host, "%.*s", (int)(colon - s), s);
	}
	port = strtol(colon + 1, &end, 10);
	if (*end || colon[1] == '\0' || port < 0 || port > 65535)
		goto bad;
	*v6 = strchr(host, ':') != NULL;
	if (*v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)sa;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			goto bad;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)sa;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		if (host[0] && inet_pton(AF_INET, host, &a->sin_addr) != 1)
			goto bad;
		if (!host[0])
			a->sin_addr.s_addr = htonl(INADDR_ANY);
	}
	return 0;
bad:
	snprintf(err, errsize, "--listen '%s': give host:port, [ipv6]:port or :port with a port 0-65535 (0: any free port)",
		 s);
	return CJ_EINVAL;
}

static char *
read_file(const char *path, char *err, size_t errsize)
{
	FILE *f = fopen(path, "rb");
	cj_buf b = CJ_BUF_INIT;
	char chunk[4096];
	size_t n;

	if (!f) {
		snprintf(err, errsize, "%s: cannot read", path);
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < 1024 * 1024)
		cj__buf_put(&b, chunk, n);
	fclose(f);
	if (!cj__buf_ok(&b) || !b.len) {
		cj__buf_free(&b);
		snprintf(err, errsize, "%s: empty or unreadable", path);
		return NULL;
	}
	return b.data;
}

int
cj_web_start(const cj_web_opts *opts, cj_web **out, char *err, size_t errsize)
{
	struct sockaddr_storage sa;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
			 MHD_USE_AUTO;
	int v6 = 0, status;
	cj_web *w;
	char host[80];

	*out = NULL;
	if (!(w = calloc(1, sizeof *w))) {
		snprintf(err, errsize, "out of memory");
		return CJ_ENOMEM;
	}
	w->o = *opts;
	if (!w->o.listen)
		w->o.listen = "127.0.0.1:8080";
	if ((status = parse_listen(w->o.listen, &sa, &v6, err, errsize)))
		goto fail;
	status = CJ_EINVAL;
	if (!w->o.tls_cert != !w->o.tls_key) {
		snprintf(err, errsize, "give both --tls-cert and --tls-key, or neither");
		goto fail;
	}
	if (w->o.tls_cert) {
		if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
			snprintf(err, errsize, "this libmicrohttpd was built without TLS");
			goto fail;
		}
		if (!(w->cert = read_file(w->o.tls_cert, err, errsize)) ||
		    !(w->key = read_file(w->o.tls_key, err, errsize)))
			goto fail;
		w->tls = 1;
		flags |= MHD_USE_TLS;
	}
	if (v6)
		flags |= MHD_USE_IPv6;
	snprintf(w->updir, sizeof w->updir, "%s/cunji-web-XXXXXX",
		 getenv("TMPDIR") && strlen(getenv("TMPDIR")) < 40 ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(w->updir)) {
		snprintf(err, errsize, "cannot make a directory for uploads in %s", w->updir);
		w->updir[0] = '\0';
		status = CJ_EIO;
		goto fail;
	}
	w->zh = newlocale(LC_MESSAGES_MASK, "zh_CN.UTF-8", (locale_t)0);
	if (w->o.public_login) {
		if (!(w->pub = web_public_new(&w->o, err, errsize))) {
			status = CJ_EIO;
			goto fail;
		}
	} else if (!(w->ss = web_sessions_new(&w->o)) || !(w->cache = web_cache_new())) {
		snprintf(err, errsize, "out of memory");
		status = CJ_ENOMEM;
		goto fail;
	}
	w->d = MHD_start_daemon(
		flags, 0, NULL, NULL, handler, w, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONN_MAX, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned)PER_IP_MAX, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)TIMEOUT_S,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADERS_MAX, MHD_OPTION_NOTIFY_COMPLETED,
		completed, w, w->tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, w->key,
		MHD_OPTION_HTTPS_MEM_CERT, w->cert, MHD_OPTION_END);
	if (!w->d) {
		snprintf(err, errsize, "cannot listen on %s (in use, or not an address of this machine)",
			 w->o.listen);
		status = CJ_EIO;
		goto fail;
	}
	{
		const union MHD_DaemonInfo *di = MHD_get_daemon_info(w->d, MHD_DAEMON_INFO_BIND_PORT);
		unsigned port = di ? di->port : 0;
		const char *colon = w->o.listen[0] == '[' ? strchr(w->o.listen, ']') + 1
							 : strrchr(w->o.listen, ':');
		snprintf(host, sizeof host, "%.*s", (int)(colon - w->o.listen), w->o.listen);
		snprintf(w->url, sizeof w->url, "%s://%s:%u/", w->tls ? "https" : "http",
			 host[0] ? host : "127.0.0.1", port);
	}
	*out = w;
	return 0;
fail:
	cj_web_stop(w);
	return status;
}

const char *
cj_web_url(const cj_web *w)
{
	return w->url;
}

void
cj_web_stop(cj_web *w)
{
	if (!w)
		return;
	if (w->d)
		MHD_stop_daemon(w->d);
	web_sessions_free(w->ss);
	web_cache_free(w->cache);
	web_public_free(w->pub);
	if (w->zh)
		freelocale(w->zh);
	if (w->updir[0])
		web_upload_clear(w->updir);
	if (w->key)
		OPENSSL_cleanse(w->key, strlen(w->key));
	free(w->key);
	free(w->cert);
	free(w);
}
