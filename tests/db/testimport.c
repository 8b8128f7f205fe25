/*
 * testimport.c - helpers for the importers' tests against the database
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testimport.h"

static char path[64];

const char *
testimport_file(const char *text)
{
	FILE *f;
	int fd;

	strcpy(path, "/tmp/cunji-test-import-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return path;
}

void
testimport_unlink(void)
{
	unlink(path);
}

static void
on_problem(const cj_problem *p, void *payload)
{
	testimport_problems *ps = payload;
	testimport_problem *t;

	if (ps->n == sizeof ps->p / sizeof ps->p[0])
		fail_msg("more than %zu problems", ps->n);
	t = &ps->p[ps->n++];
	snprintf(t->file, sizeof t->file, "%s", p->file ? p->file : "");
	t->row = p->row;
	snprintf(t->column, sizeof t->column, "%s", p->column ? p->column : "");
	snprintf(t->message, sizeof t->message, "%s", p->message);
}

static void
on_note(const char *message, void *payload)
{
	testimport_problems *ps = payload;

	ps->notes++;
	snprintf(ps->note, sizeof ps->note, "%s", message);
}

cj_import_cb
testimport_collect(testimport_problems *into)
{
	cj_import_cb cb = {on_problem, on_note, NULL, into};

	memset(into, 0, sizeof *into);
	return cb;
}

const testimport_problem *
testimport_expect(const testimport_problems *ps, size_t row, const char *column, const char *says)
{
	for (size_t i = 0; i < ps->n; i++) {
		const testimport_problem *t = &ps->p[i];
		if (t->row == row && !strcmp(t->column, column ? column : "") &&
		    strstr(t->message, says))
			return t;
	}
	for (size_t i = 0; i < ps->n; i++)
		fprintf(stderr, "  problem: row %zu, column '%s': %s\n", ps->p[i].row,
			ps->p[i].column, ps->p[i].message);
	fail_msg("no problem at row %zu, column '%s' saying '%s'", row, column ? column : "", says);
	return NULL;
}

cj_db *
testimport_connect_as(const char *name, const char *user)
{
	char home[PATH_MAX], err[512];
	cj_db *db = NULL;

	if (cj_cluster_home(home, sizeof home, err, sizeof err) ||
	    cj_cluster_connect_as(home, name, user, NULL, &db, err, sizeof err))
		fail_msg("second connection: %s", err);
	return db;
}

cj_db *
testimport_connect(const char *name)
{
	return testimport_connect_as(name, NULL);
}
