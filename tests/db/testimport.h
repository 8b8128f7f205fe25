/*
 * testimport.h - helpers for the importers' tests against the database:
 * files to import, the problems an import reports, a second connection
 */
#ifndef CUNJI_TESTIMPORT_H
#define CUNJI_TESTIMPORT_H

#include <stddef.h>

#include <importers/problem.h>
#include <ledger/ledger.h>

/* A temporary file holding text; its path (static, until the next call). */
const char *testimport_file(const char *text);
/* Remove the file testimport_file made last. */
void testimport_unlink(void);

/* The problems an import reported, copied. */
typedef struct testimport_problem {
	char file[256];
	size_t row;
	char column[128]; /* "" for none */
	char message[1024];
} testimport_problem;

typedef struct testimport_problems {
	testimport_problem p[64];
	size_t n;
	size_t notes;
	char note[1024]; /* the last note */
} testimport_problems;

/* Callbacks that fill *into (emptied first). */
cj_import_cb testimport_collect(testimport_problems *into);

/* The problem at row and column (NULL: none), or fail the test; its message
 * must contain `says`. */
const testimport_problem *testimport_expect(const testimport_problems *ps, size_t row,
					    const char *column, const char *says);

/* Another connection to database `name` (made by testdb_open). */
cj_db *testimport_connect(const char *name);
/* ... as login user ("postgres": the superuser) */
cj_db *testimport_connect_as(const char *name, const char *user);

#endif
