/*
 * public.c - the public server's connections: every one as the public
 * reader (schema 0030's cunji_public, which may read no table, only the
 * public_* functions), opened as needed up to POOL_MAX and kept
 *
 * SPDX-License-Identifier: MIT
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include <ledger/cluster.h>

#include "internal.h"

#define POOL_MAX 8
#define BORROW_WAIT_S 10

struct web_public {
	pthread_mutex_t mu;
	pthread_cond_t freed;
	const cj_web_opts *o;
	char password[200];
	cj_db *db[POOL_MAX];
	int busy[POOL_MAX];
	int n;
};

static int
connect_reader(web_public *p, cj_db **out, char *err, size_t errsize)
{
	const cj_web_opts *o = p->o;
	int status;

	if (!o->conninfo)
		return cj_cluster_connect_as(o->home, o->dbname, o->public_login, p->password, out, err,
					     errsize);
	status = cj_db_connect_user(out, o->conninfo, o->public_login, p->password);
	if (status) {
		snprintf(err, errsize, "%s", cj_db_errmsg(*out));
		cj_db_close(*out);
		*out = NULL;
	}
	return status;
}

web_public *
web_public_new(const cj_web_opts *o, char *err, size_t errsize)
{
	web_public *p = calloc(1, sizeof *p);

	if (!p) {
		snprintf(err, errsize, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->freed, NULL);
	p->o = o;
	snprintf(p->password, sizeof p->password, "%s", o->public_password ? o->public_password : "");
	/* the first connection now: a server that cannot read says so at start */
	if (connect_reader(p, &p->db[0], err, errsize)) {
		web_public_free(p);
		return NULL;
	}
	p->n = 1;
	return p;
}

void
web_public_free(web_public *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->n; i++)
		cj_db_close(p->db[i]);
	OPENSSL_cleanse(p->password, sizeof p->password);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->freed);
	free(p);
}

int
web_public_borrow(web_public *p, cj_db **out)
{
	struct timespec until;
	char err[256];
	int status = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += BORROW_WAIT_S;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		for (int i = 0; i < p->n; i++)
			if (!p->busy[i]) {
				p->busy[i] = 1;
				*out = p->db[i];
				goto done;
			}
		if (p->n < POOL_MAX) {
			/* under the lock: connecting is quick, and slots stay simple */
			if ((status = connect_reader(p, &p->db[p->n], err, sizeof err)))
				goto done;
			p->busy[p->n] = 1;
			*out = p->db[p->n++];
			goto done;
		}
		if (pthread_cond_timedwait(&p->freed, &p->mu, &until)) {
			status = CJ_ERETRY;
			goto done;
		}
	}
done:
	pthread_mutex_unlock(&p->mu);
	return status;
}

void
web_public_release(web_public *p, cj_db *db)
{
	pthread_mutex_lock(&p->mu);
	for (int i = 0; i < p->n; i++)
		if (p->db[i] == db)
			p->busy[i] = 0;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->mu);
}
