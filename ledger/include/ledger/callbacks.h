/*
 * callbacks.h - how every library tells its caller what it found and how
 * far it has got
 *
 * The libraries never print.  A long operation (an import, a county's
 * disclosure run, the demo county) takes a cj_callbacks: the problems of a
 * file (where each is and what is wrong), notes (worth knowing, not wrong)
 * and progress (a phase and a count).  The front-end decides what a person
 * sees: the CLI a progress bar on a terminal and nothing in a pipe, the web
 * interface a page.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_CALLBACKS_H
#define CUNJI_LEDGER_CALLBACKS_H

#include <stddef.h>
#include <stdint.h>

/** One problem in a file. */
typedef struct cj_problem {
	const char *file;    /* the file as messages name it */
	size_t row;          /* as a spreadsheet shows it (the header is row 1); 0: none */
	const char *column;  /* as the file's header writes it; NULL: the row (or file) */
	const char *message; /* what is wrong: "'12,34.5' is not an amount" */
} cj_problem;

/** The callbacks of every long operation; any may be NULL. */
typedef struct cj_callbacks {
	/* each problem, in row order */
	void (*problem)(const cj_problem *problem, void *payload);
	/* a line worth knowing that is not a problem, naming its file */
	void (*note)(const char *message, void *payload);
	/* how far a phase has got: an import's "reading" counts bytes, other
	 * phases count steps (vouchers, sheets, villages) */
	void (*progress)(const char *phase, uint64_t done, uint64_t total, void *payload);
	void *payload;
} cj_callbacks;

#endif
