/*
 * batch.h - one step for many villages (a township's, or a list), each all
 * or nothing
 *
 * An outsourced bookkeeper closes thirty villages' month in one command.
 * cj_batch_villages gathers the villages (those under a township or county,
 * or the codes listed), and cj_batch_run runs one step for each in turn:
 * each village's step is all or nothing (its own transaction), and a village
 * refused never stops or half-does the others.  Each item then says what
 * became of its village: done, refused (with why), or left (not tried: the
 * run was stopped), so that the summary names what is left to do.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_BATCH_H
#define CUNJI_LEDGER_BATCH_H

#include <stddef.h>

#include <ledger/callbacks.h>
#include <ledger/date.h>
#include <ledger/db.h>
#include <ledger/org.h>

typedef enum cj_batch_state {
	CJ_BATCH_LEFT = 0, /* not tried */
	CJ_BATCH_DONE,
	CJ_BATCH_REFUSED
} cj_batch_state;

typedef struct cj_batch_item {
	cj_org village;
	cj_batch_state state;
	char message[600]; /* what was done, or why it was refused */
} cj_batch_item;

typedef struct cj_batch {
	cj_batch_item *items;
	size_t n;
	size_t done, refused; /* counts; the rest are left */
} cj_batch;

/**
 * The villages of a run: those under township (a township's or county's
 * code), or the villages codes names (each must be one), in code order.
 * Either may be NULL / empty, not both.  Free with cj_batch_free.
 * @return 0, CJ_ENOTFOUND / CJ_EINVAL naming the code, CJ_EINVAL when no
 *         village is found
 */
CJ_MUST_CHECK int cj_batch_villages(cj_db *db, const char *township, const char *const *codes,
				    size_t ncodes, cj_batch *out);

/**
 * A step for one village: 0 done (msg says what), or an error with the
 * reason on the handle.  It is all or nothing by itself (one transaction).
 */
typedef int (*cj_batch_step)(cj_db *db, const cj_org *village, void *ctx, char *msg,
			     size_t size);

/**
 * Run step for every village of b in turn, recording each outcome; cb's
 * progress (may be NULL) counts villages.  A refusal is recorded and the run
 * goes on; a lost connection stops it (the rest are left).
 * @return 0 when every village is done, CJ_EREFUSED when some are not
 */
int cj_batch_run(cj_db *db, cj_batch *b, cj_batch_step step, void *ctx, const cj_callbacks *cb);

void cj_batch_free(cj_batch *b);

/** The steps of month-end and year-end (ctx as each says). */
/* close the month *(const cj_period *)ctx */
int cj_batch_period_close(cj_db *db, const cj_org *village, void *ctx, char *msg, size_t size);

/** cj_batch_year_close's ctx. */
typedef struct cj_batch_year {
	int year;
	const char *preparer;
	int empty_months_ok; /* close even with months never posted (cj_year_unposted) */
} cj_batch_year;
int cj_batch_year_close(cj_db *db, const cj_org *village, void *ctx, char *msg, size_t size);

#endif
