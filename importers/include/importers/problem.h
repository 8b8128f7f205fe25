/*
 * problem.h - how every importer tells its caller what it found
 *
 * Importers never print.  Each takes a cj_import_cb (cj_callbacks): the problems of the
 * file (where each is and what is wrong), notes (worth knowing, not wrong:
 * columns ignored, a header found below the first row) and progress.  A
 * file with problems changes nothing: the importer reports every problem,
 * in row order, and returns CJ_EINVAL with "FILE: N problems; nothing was
 * imported" on the cj_db handle.
 *
 * cj_problems is the list the importers collect problems in while they
 * read, to hand them over sorted by row once the whole file is checked.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_IMPORTERS_PROBLEM_H
#define CUNJI_IMPORTERS_PROBLEM_H

#include <stddef.h>
#include <stdint.h>

#include <ledger/buf.h>
#include <ledger/callbacks.h>
#include <ledger/error.h>

/** The callbacks every importer takes (<ledger/callbacks.h>, shared by every
 * library), under the name the importers' options have always used. */
typedef cj_callbacks cj_import_cb;

/**
 * The problem as one line: "FILE: row 4, column 借方金额: MESSAGE",
 * "FILE: row 4: MESSAGE" or "FILE: MESSAGE" (cut to fit size).
 */
void cj_problem_format(const cj_problem *p, char *buf, size_t size);

/** Problems collected while a file is read. */
typedef struct cj_problems {
	const char *file; /* the file problems are in unless cj_problems_add_in says */
	cj_buf items;     /* of struct cj__problem_item; see problem.c */
} cj_problems;

void cj_problems_init(cj_problems *l, const char *file);

/**
 * Add a problem at row (0: none) and column (NULL: none; copied).  value,
 * when not NULL, is quoted before the message: "'2025-06-31' is not a date".
 */
void cj_problems_add(cj_problems *l, size_t row, const char *column, const char *value,
		     const char *fmt, ...) CJ_PRINTF(5, 6);
/** The same for a problem in another file (the rules of a bank import). */
void cj_problems_add_in(cj_problems *l, const char *file, size_t row, const char *fmt, ...)
	CJ_PRINTF(4, 5);

size_t cj_problems_count(const cj_problems *l);
/** 0, or CJ_ENOMEM when a problem could not be kept. */
CJ_MUST_CHECK int cj_problems_status(const cj_problems *l);

/** Give every problem to cb->problem in row order (the order of adding within a row). */
void cj_problems_send(cj_problems *l, const cj_import_cb *cb);

void cj_problems_dispose(cj_problems *l);

#endif
