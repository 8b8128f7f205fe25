/*
 * cache.c - pages kept per session until their villages' data change
 *
 * A village's voucher list and its statements cost several milliseconds of
 * the database's time each, and under 50 clients the same pages are asked
 * for again and again.  A page is kept under the session's token and the
 * request's arguments, with the stamp of the villages it shows
 * (cj_org_stamp, read on the session's own connection as the login); a
 * request whose stamp is still the same gets the kept copy.  Row-level
 * security still decides: the stamp is read as the login, and a page is
 * never served to another session, even of the same login (the page holds
 * the session's CSRF token).  At most CACHE_MAX pages of at most
 * CACHE_PAGE_MAX bytes each; the least recently used goes first; a page
 * unused for CACHE_TTL_S seconds is dropped at the next store.
 *
 * SPDX-License-Identifier: MIT
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

#define CACHE_MAX 256
#define CACHE_PAGE_MAX (256 * 1024)
#define CACHE_TTL_S (10 * 60)

typedef struct entry {
	uint64_t hash;   /* of key; 0: free */
	char *key;       /* session token, NUL, arguments */
	size_t key_len;
	char stamp[128];
	char *page;
	size_t len;
	time_t used;
} entry;

struct web_cache {
	pthread_mutex_t lock;
	entry e[CACHE_MAX];
};

web_cache *
web_cache_new(void)
{
	web_cache *c = calloc(1, sizeof *c);

	if (c && pthread_mutex_init(&c->lock, NULL)) {
		free(c);
		return NULL;
	}
	return c;
}

static void
drop(entry *e)
{
	free(e->key);
	free(e->page);
	memset(e, 0, sizeof *e);
}

void
web_cache_free(web_cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < CACHE_MAX; i++)
		drop(&c->e[i]);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static uint64_t
fnv1a(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h ? h : 1;
}

static entry *
find(web_cache *c, const cj_buf *key, uint64_t h)
{
	for (int i = 0; i < CACHE_MAX; i++)
		if (c->e[i].hash == h && c->e[i].key_len == key->len &&
		    !memcmp(c->e[i].key, key->data, key->len))
			return &c->e[i];
	return NULL;
}

int
web_cache_get(web_cache *c, const cj_buf *key, const char *stamp, cj_buf *out)
{
	uint64_t h = fnv1a(key->data, key->len);
	entry *e;
	int hit = 0;

	pthread_mutex_lock(&c->lock);
	if ((e = find(c, key, h)) && !strcmp(e->stamp, stamp)) {
		cj__buf_put(out, e->page, e->len);
		e->used = time(NULL);
		hit = cj__buf_ok(out);
	}
	pthread_mutex_unlock(&c->lock);
	return hit;
}

void
web_cache_put(web_cache *c, const cj_buf *key, const char *stamp, const cj_buf *page)
{
	uint64_t h = fnv1a(key->data, key->len);
	time_t now = time(NULL);
	char *k, *p;
	entry *e;

	if (!page->len || page->len > CACHE_PAGE_MAX || strlen(stamp) >= sizeof e->stamp)
		return;
	k = malloc(key->len);
	p = malloc(page->len);
	if (!k || !p) {
		free(k);
		free(p);
		return;
	}
	memcpy(k, key->data, key->len);
	memcpy(p, page->data, page->len);
	pthread_mutex_lock(&c->lock);
	if (!(e = find(c, key, h))) {
		entry *oldest = &c->e[0];
		for (int i = 0; i < CACHE_MAX; i++) {
			entry *x = &c->e[i];
			if (x->hash && now - x->used > CACHE_TTL_S)
				drop(x);
			if (!x->hash || (oldest->hash && x->used < oldest->used))
				oldest = x;
		}
		e = oldest;
	}
	drop(e);
	e->hash = h;
	e->key = k;
	e->key_len = key->len;
	strcpy(e->stamp, stamp);
	e->page = p;
	e->len = page->len;
	e->used = now;
	pthread_mutex_unlock(&c->lock);
}
