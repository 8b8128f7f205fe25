/*
 * session.c - who is logged in: sessions, each login's pool of
 * connections, and the limit on failed logins
 *
 * A login is checked by PostgreSQL itself: the server connects as the login
 * with the password given, and a connection that did not need the password
 * (peer or trust authentication) is refused, so the password is what lets a
 * person in.  That connection goes into the login's pool, which the login's
 * sessions share; the server never keeps a password.  A pool holds one
 * connection per login event, at most POOL_MAX; a request borrows one and
 * waits a little when all are busy.  Waiting requests queue first come,
 * first served, and a connection given back goes straight to the first of
 * them: waking every waiter on each release (a broadcast) cost 50 clients
 * a herd of wake-ups per request and let late arrivals jump the queue,
 * which made the 95th percentile several times the median.
 *
 * SPDX-License-Identifier: MIT
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <ledger/cluster.h>

#include "internal.h"

#define POOL_MAX 4
#define SESSIONS_MAX 1024
#define IDLE_S (30 * 60)        /* a session unused this long ends */
#define LIFE_S (12 * 60 * 60)   /* and any session after this */
#define ATTEMPTS_MAX 4096
#define BORROW_WAIT_S 10
#define VILLAGES_S 30           /* the village chooser's list is this fresh */

typedef struct web_pool {
	char login[WEB_LOGIN_MAX];
	cj_db *db[POOL_MAX];
	int busy[POOL_MAX];
	int n;
	int sessions;           /* live sessions of the login */
	/* the villages the login sees, for the pages' village choosers (not for
	 * what they show of a village: row-level security decides that on every
	 * query); refreshed after VILLAGES_S, or at once when a kept page's stamp
	 * says the scope has changed (web_villages' scope) */
	cj_village_month *villages;
	size_t nvillages;
	time_t villages_at;
	char villages_scope[WEB_SCOPE_MAX]; /* the scope part of the stamp when read; "" unknown */
	struct web_pool *next;
} web_pool;

/* A request waiting for a connection of its login's pool. */
typedef struct pool_waiter {
	const char *login;
	pthread_cond_t cv;
	cj_db *db;                  /* handed over by web_db_release */
	struct pool_waiter *next;
} pool_waiter;

typedef struct attempt {
	char key[WEB_LOGIN_MAX + 70]; /* "l:LOGIN" or "a:ADDRESS" */
	int fails;
	time_t start;
} attempt;

struct web_sessions {
	pthread_mutex_t mu;
	pool_waiter *waiters;       /* first come, first served */
	const cj_web_opts *o;
	int max_login, max_addr, window;
	web_session s[SESSIONS_MAX];
	size_t n;
	web_pool *pools;
	attempt att[ATTEMPTS_MAX];
	size_t natt;
};

int
web_token(char out[WEB_TOKEN_HEX + 1])
{
	unsigned char raw[WEB_TOKEN_HEX / 2];

	if (RAND_bytes(raw, sizeof raw) != 1)
		return -1;
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	OPENSSL_cleanse(raw, sizeof raw);
	return 0;
}

web_sessions *
web_sessions_new(const cj_web_opts *o)
{
	web_sessions *ss = calloc(1, sizeof *ss);

	if (!ss)
		return NULL;
	pthread_mutex_init(&ss->mu, NULL);
	ss->o = o;
	ss->max_login = o->max_fail_login > 0 ? o->max_fail_login : 5;
	ss->max_addr = o->max_fail_addr > 0 ? o->max_fail_addr : 20;
	ss->window = o->window_s > 0 ? o->window_s : 600;
	return ss;
}

/* Wake every waiter to look again: a connection was added or a pool went away. */
static void
waiters_poke(web_sessions *ss)
{
	for (pool_waiter *w = ss->waiters; w; w = w->next)
		pthread_cond_signal(&w->cv);
}

static void
waiter_remove(web_sessions *ss, pool_waiter *w)
{
	pool_waiter **pw = &ss->waiters;

	while (*pw && *pw != w)
		pw = &(*pw)->next;
	if (*pw)
		*pw = w->next;
}

/* The first request in the queue waiting for LOGIN's pool, or NULL. */
static pool_waiter *
waiter_first(web_sessions *ss, const char *login)
{
	for (pool_waiter *w = ss->waiters; w; w = w->next)
		if (!strcmp(w->login, login))
			return w;
	return NULL;
}

static web_pool *
pool_find(web_sessions *ss, const char *login)
{
	for (web_pool *p = ss->pools; p; p = p->next)
		if (!strcmp(p->login, login))
			return p;
	return NULL;
}

/* Close the pool's idle connections once no session uses it; free it when empty. */
static void
pool_trim(web_sessions *ss, web_pool *p)
{
	if (p->sessions > 0)
		return;
	for (int i = 0; i < p->n;)
		if (!p->busy[i]) {
			cj_db_close(p->db[i]);
			p->n--;
			p->db[i] = p->db[p->n];
			p->busy[i] = p->busy[p->n];
		} else {
			i++;
		}
	if (p->n == 0) {
		web_pool **pp = &ss->pools;
		while (*pp != p)
			pp = &(*pp)->next;
		*pp = p->next;
		free(p->villages);
		free(p);
	}
}

static void
session_drop(web_sessions *ss, size_t i)
{
	web_pool *p = pool_find(ss, ss->s[i].login);

	OPENSSL_cleanse(&ss->s[i], sizeof ss->s[i]);
	ss->s[i] = ss->s[--ss->n];
	if (p) {
		p->sessions--;
		if (p->sessions == 0) /* its waiters learn that it went */
			waiters_poke(ss);
		pool_trim(ss, p);
	}
}

static void
expire(web_sessions *ss, time_t now)
{
	for (size_t i = 0; i < ss->n;)
		if (now - ss->s[i].seen > IDLE_S || now - ss->s[i].created > LIFE_S)
			session_drop(ss, i);
		else
			i++;
}

void
web_sessions_free(web_sessions *ss)
{
	if (!ss)
		return;
	while (ss->n)
		session_drop(ss, 0);
	while (ss->pools) { /* connections still borrowed: the server has stopped */
		web_pool *p = ss->pools;
		for (int i = 0; i < p->n; i++)
			cj_db_close(p->db[i]);
		ss->pools = p->next;
		free(p->villages);
		free(p);
	}
	pthread_mutex_destroy(&ss->mu);
	free(ss);
}

/* ---- failed logins, per login and per address ---- */

static attempt *
attempt_of(web_sessions *ss, const char *key, time_t now, int create)
{
	attempt *oldest = NULL;

	for (size_t i = 0; i < ss->natt; i++) {
		attempt *a = &ss->att[i];
		if (now - a->start > ss->window)
			a->fails = 0, a->key[0] = '\0';
		if (!strcmp(a->key, key))
			return a;
		if (!oldest || a->start < oldest->start || !a->key[0])
			oldest = a;
	}
	if (!create)
		return NULL;
	if (ss->natt < ATTEMPTS_MAX)
		oldest = &ss->att[ss->natt++];
	snprintf(oldest->key, sizeof oldest->key, "%s", key);
	oldest->fails = 0;
	oldest->start = now;
	return oldest;
}

static int
too_many(web_sessions *ss, const char *lkey, const char *akey, time_t now)
{
	attempt *l = attempt_of(ss, lkey, now, 0), *a = attempt_of(ss, akey, now, 0);

	return (l && l->fails >= ss->max_login) || (a && a->fails >= ss->max_addr);
}

static void
failed(web_sessions *ss, const char *lkey, const char *akey, time_t now)
{
	attempt *l = attempt_of(ss, lkey, now, 1), *a = attempt_of(ss, akey, now, 1);

	l->fails++;
	a->fails++;
}

/* ---- logging in ---- */

static int
login_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= WEB_LOGIN_MAX || (*s >= '0' && *s <= '9'))
		return 0;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

/* Connect as login with password; 0 with *out, else a status. */
static int
connect_login(const cj_web_opts *o, const char *login, const char *password, cj_db **out,
	      char *err, size_t errsize)
{
	int status;

	if (!o->conninfo)
		return cj_cluster_connect_as(o->home, o->dbname, login, password, out, err, errsize);
	status = cj_db_connect_user(out, o->conninfo, login, password);
	if (status) {
		snprintf(err, errsize, "%s", cj_db_errmsg(*out));
		cj_db_close(*out);
		*out = NULL;
	}
	return status;
}

int
web_login(web_sessions *ss, const char *login, const char *password, const char *client,
	  web_session *out, char *msg, size_t msgsize)
{
	char lkey[WEB_LOGIN_MAX + 3], akey[70], err[512] = "";
	time_t now = time(NULL);
	web_session s;
	cj_db *db = NULL;
	web_pool *p;
	int status, wrong;

	memset(&s, 0, sizeof s);
	snprintf(lkey, sizeof lkey, "l:%.*s", WEB_LOGIN_MAX - 1, login);
	snprintf(akey, sizeof akey, "a:%s", client);
	pthread_mutex_lock(&ss->mu);
	status = too_many(ss, lkey, akey, now);
	pthread_mutex_unlock(&ss->mu);
	if (status) {
		snprintf(msg, msgsize, "登录失败次数过多，请%d分钟后再试", (ss->window + 59) / 60);
		return CJ_ERETRY;
	}
	wrong = !login_name_ok(login) || !*password || strlen(password) > 200;
	if (!wrong) {
		status = connect_login(ss->o, login, password, &db, err, sizeof err);
		/* the server's answer to a wrong password (or an unknown login) */
		wrong = status == CJ_EAUTH || (status && strstr(err, "authentication failed"));
		if (status && !wrong) {
			snprintf(msg, msgsize, "无法连接数据库：%s", err);
			return CJ_EDB;
		}
		/* let in without the password (peer or trust): not by this door */
		if (!status && !cj_db_used_password(db))
			wrong = 1;
	}
	if (wrong) {
		cj_db_close(db);
		pthread_mutex_lock(&ss->mu);
		failed(ss, lkey, akey, now);
		pthread_mutex_unlock(&ss->mu);
		snprintf(msg, msgsize, "登录名或密码不正确");
		return CJ_EAUTH;
	}
	if (cj_db_check_schema(db, NULL) ||
	    cj_login_self(db, &s.kind, s.name, sizeof s.name)) {
		snprintf(msg, msgsize, "%s", cj_db_errmsg(db));
		cj_db_close(db);
		return CJ_EREFUSED;
	}
	snprintf(s.login, sizeof s.login, "%s", login);
	if (web_token(s.token) || web_token(s.csrf)) {
		cj_db_close(db);
		snprintf(msg, msgsize, "no random bytes for a session");
		return CJ_ERROR;
	}
	s.created = s.seen = now;

	pthread_mutex_lock(&ss->mu);
	expire(ss, now);
	if (ss->n == SESSIONS_MAX) { /* the least recently seen makes room */
		size_t old = 0;
		for (size_t i = 1; i < ss->n; i++)
			if (ss->s[i].seen < ss->s[old].seen)
				old = i;
		session_drop(ss, old);
	}
	if (!(p = pool_find(ss, login)) && (p = calloc(1, sizeof *p))) {
		snprintf(p->login, sizeof p->login, "%s", login);
		p->next = ss->pools;
		ss->pools = p;
	}
	if (!p) {
		pthread_mutex_unlock(&ss->mu);
		cj_db_close(db);
		snprintf(msg, msgsize, "out of memory");
		return CJ_ENOMEM;
	}
	if (p->n < POOL_MAX) {
		p->busy[p->n] = 0;
		p->db[p->n++] = db;
		db = NULL;
	}
	p->sessions++;
	ss->s[ss->n++] = s;
	/* a login that got in starts afresh; its address's count stays */
	{
		attempt *a = attempt_of(ss, lkey, now, 0);
		if (a)
			a->fails = 0;
	}
	waiters_poke(ss);
	pthread_mutex_unlock(&ss->mu);
	cj_db_close(db);
	*out = s;
	OPENSSL_cleanse(&s, sizeof s);
	return 0;
}

static long
session_index(web_sessions *ss, const char *token)
{
	if (strlen(token) != WEB_TOKEN_HEX)
		return -1;
	for (size_t i = 0; i < ss->n; i++)
		if (!CRYPTO_memcmp(ss->s[i].token, token, WEB_TOKEN_HEX))
			return (long)i;
	return -1;
}

int
web_session_find(web_sessions *ss, const char *token, web_session *out)
{
	time_t now = time(NULL);
	long i;

	pthread_mutex_lock(&ss->mu);
	expire(ss, now);
	i = session_index(ss, token);
	if (i >= 0) {
		ss->s[i].seen = now;
		*out = ss->s[i];
	}
	pthread_mutex_unlock(&ss->mu);
	return i >= 0 ? 0 : CJ_ENOTFOUND;
}

void
web_logout(web_sessions *ss, const char *token)
{
	long i;

	pthread_mutex_lock(&ss->mu);
	if ((i = session_index(ss, token)) >= 0)
		session_drop(ss, (size_t)i);
	pthread_mutex_unlock(&ss->mu);
}

/* A free connection of P, marked busy, or NULL. */
static cj_db *
pool_take(web_pool *p)
{
	for (int i = 0; i < p->n; i++)
		if (!p->busy[i]) {
			p->busy[i] = 1;
			return p->db[i];
		}
	return NULL;
}

int
web_db_borrow(web_sessions *ss, const web_session *s, cj_db **out)
{
	struct timespec until;
	pool_waiter w = {.login = s->login};
	int status = CJ_ERETRY, queued = 0, waited = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += BORROW_WAIT_S;
	*out = NULL;
	pthread_mutex_lock(&ss->mu);
	for (;;) {
		web_pool *p;

		if (w.db) { /* handed over by a release; no longer queued */
			*out = w.db;
			status = 0;
			queued = 0;
			break;
		}
		p = pool_find(ss, s->login);
		if (!p || p->sessions == 0) {
			status = CJ_ENOTFOUND;
			break;
		}
		/* only the first in the queue may take a connection that came free
		 * by other means (a login's new one) */
		if ((!queued ? !waiter_first(ss, s->login) : waiter_first(ss, s->login) == &w) &&
		    (*out = pool_take(p))) {
			status = 0;
			break;
		}
		if (!queued) {
			pool_waiter **tail = &ss->waiters;
			while (*tail)
				tail = &(*tail)->next;
			pthread_cond_init(&w.cv, NULL);
			*tail = &w;
			queued = waited = 1;
		}
		if (pthread_cond_timedwait(&w.cv, &ss->mu, &until) && !w.db)
			break;
	}
	if (queued)
		waiter_remove(ss, &w);
	pthread_mutex_unlock(&ss->mu);
	if (waited)
		pthread_cond_destroy(&w.cv);
	return status;
}

void
web_db_release(web_sessions *ss, const web_session *s, cj_db *db)
{
	web_pool *p;

	pthread_mutex_lock(&ss->mu);
	if ((p = pool_find(ss, s->login)))
		for (int i = 0; i < p->n; i++)
			if (p->db[i] == db) {
				pool_waiter *w = p->sessions > 0 ? waiter_first(ss, s->login) : NULL;
				if (w) { /* straight to the first in the queue: stays busy */
					w->db = db;
					waiter_remove(ss, w);
					pthread_cond_signal(&w->cv);
				} else {
					int gone = p->sessions == 0;
					p->busy[i] = 0;
					pool_trim(ss, p);
					if (gone) /* its waiters learn that it went */
						waiters_poke(ss);
				}
				break;
			}
	pthread_mutex_unlock(&ss->mu);
}

int
web_villages(web_sessions *ss, const web_session *s, cj_db *db, const char *scope,
	     cj_village_month **out, size_t *n)
{
	web_pool *p;
	time_t now = time(NULL);
	int status = 0;

	*out = NULL;
	*n = 0;
	pthread_mutex_lock(&ss->mu);
	p = pool_find(ss, s->login);
	if (!scope)
		scope = "";
	if (p && p->villages && now - p->villages_at < VILLAGES_S &&
	    (!*scope || !strcmp(scope, p->villages_scope)) &&
	    (*out = malloc((p->nvillages ? p->nvillages : 1) * sizeof **out))) {
		memcpy(*out, p->villages, p->nvillages * sizeof **out);
		*n = p->nvillages;
		pthread_mutex_unlock(&ss->mu);
		return 0;
	}
	pthread_mutex_unlock(&ss->mu);
	if ((status = cj_village_months(db, out, n)))
		return status;
	pthread_mutex_lock(&ss->mu);
	if ((p = pool_find(ss, s->login))) {
		cj_village_month *copy = malloc((*n ? *n : 1) * sizeof *copy);
		if (copy) {
			memcpy(copy, *out, *n * sizeof *copy);
			free(p->villages);
			p->villages = copy;
			p->nvillages = *n;
			p->villages_at = now;
			snprintf(p->villages_scope, sizeof p->villages_scope, "%s", scope);
		}
	}
	pthread_mutex_unlock(&ss->mu);
	return 0;
}
