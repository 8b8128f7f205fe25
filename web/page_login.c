/*
 * page_login.c - logging in and out
 *
 * The login form carries a token that must equal the cj_pre cookie it came
 * with (there is no session yet to hold one).  A login that succeeds gets a
 * new session token in an HttpOnly, SameSite=Strict cookie.
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include <microhttpd.h>
#include <openssl/crypto.h>

#include "internal.h"

static int
login_form(web_req *r, const char *login, const char *error)
{
	char pre[WEB_TOKEN_HEX + 1];

	if (web_token(pre))
		return web_fail(r, 500, "no random bytes");
	web_set_cookie(r, 1, WEB_PRE_COOKIE, pre, -1);
	r->s = NULL;
	web_page_begin(r, "登录");
	if (error)
		web_error_box(r, error);
	web_put(r, "<form class=\"login\" method=\"post\" action=\"/login\">"
		   "<input type=\"hidden\" name=\"csrf\" value=\"");
	web_text(r, pre);
	web_put(r, "\"><label>登录名<input name=\"login\" autocomplete=\"username\" "
		   "autocapitalize=\"none\" required value=\"");
	web_text(r, login);
	web_put(r, "\"></label><label>密码<input name=\"password\" type=\"password\" "
		   "autocomplete=\"current-password\" required></label>"
		   "<button type=\"submit\">登录</button></form>\n"
		   "<p class=\"hint\">用您的村集账号登录（管理员用 cunji user add 开设）。</p>\n");
	web_page_end(r);
	return 0;
}

int
page_login_form(web_req *r)
{
	if (r->s) {
		web_redirect(r, "/villages");
		return 0;
	}
	return login_form(r, "", NULL);
}

int
page_login(web_req *r)
{
	char login[WEB_LOGIN_MAX + 8], password[256], msg[600];
	web_session s;
	int status;

	web_field(r, "login", 0, login, sizeof login);
	web_field(r, "password", 0, password, sizeof password);
	status = web_login(web_sessions_of(r->web), login, password, r->client, &s, msg, sizeof msg);
	OPENSSL_cleanse(password, sizeof password);
	if (status) {
		r->status = status == CJ_ERETRY ? 429 : status == CJ_EAUTH ? 401 : 403;
		return login_form(r, login, msg);
	}
	web_set_cookie(r, 0, WEB_COOKIE, s.token, -1);
	web_set_cookie(r, 1, WEB_PRE_COOKIE, "", 0);
	OPENSSL_cleanse(&s, sizeof s);
	web_redirect(r, "/villages");
	return 0;
}

int
page_logout(web_req *r)
{
	const char *token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, WEB_COOKIE);

	/* give the connection back first: the pool may close with the last session */
	if (r->db)
		web_db_release(web_sessions_of(r->web), r->s, r->db);
	r->db = NULL;
	if (token)
		web_logout(web_sessions_of(r->web), token);
	web_set_cookie(r, 0, WEB_COOKIE, "", 0);
	web_redirect(r, "/login");
	return 0;
}
