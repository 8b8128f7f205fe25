/*
 * numbering.h - what every path that writes vouchers shares: their numbers,
 * their ids and their content hash
 *
 * cj_post_batch, the bulk import's staging path and its direct COPY path
 * all number vouchers here (记字第 N 号 within a village and month, after
 * those handed out before, kept in voucher_counter), draw their ids here
 * and hash their content here, so that a voucher comes out the same
 * whichever way it was posted.  For the libraries only.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_NUMBERING_H
#define CUNJI_LEDGER_NUMBERING_H

#include <stddef.h>
#include <stdint.h>

#include <ledger/date.h>
#include <ledger/db.h>

/** A village's month among the vouchers being written. */
typedef struct cj_numbers {
	int village_id;
	cj_period month;
	int count;    /* vouchers to number in it */
	int64_t base; /* out: the last number handed out before them; theirs are base + 1.. */
} cj_numbers;

/**
 * In one statement, reserve the numbers of n groups (each (village, month)
 * at most once; the counters are locked in village and month order,
 * whatever the order of g) and draw nids voucher ids into ids (ids may be
 * NULL when nids is 0).  Inside the caller's transaction: the numbers are
 * the caller's until it ends, and nobody else's after it commits.
 */
CJ_MUST_CHECK int cj_numbers_reserve(cj_db *db, cj_numbers *g, size_t n, int64_t *ids,
				     size_t nids);

/**
 * A voucher's content hash (what cj_voucher_hash gives): SHA-256 over a
 * canonical form, every field length-prefixed, built a field at a time
 * into a buffer that is kept from one voucher to the next.  A voucher is
 * cj_vhash_head, one cj_vhash_line per line, then cj_vhash_end.
 */
typedef struct cj_vhash {
	char *buf;
	size_t len, cap;
	int oom;
	void *md; /* SHA-256, fetched once: OpenSSL 3 looks an implicit one up per digest */
} cj_vhash;

#define CJ_VHASH_INIT {NULL, 0, 0, 0, NULL}

/** date "YYYY-MM-DD", kind as cj_voucher_kind_name gives it. */
void cj_vhash_head(cj_vhash *h, int village_id, const char *date, const char *kind,
		   const char *summary, int64_t attachments, int64_t reverses_id, size_t nlines);
/** summary: the line's own, or the voucher's when the line has none. */
void cj_vhash_line(cj_vhash *h, const char *account, int64_t debit, int64_t credit,
		   const char *summary, const char *counterparty, int64_t fund_id,
		   int64_t project_id);
/** The hash, as 64 hex digits; CJ_ENOMEM (and "") when memory ran out. */
CJ_MUST_CHECK int cj_vhash_end(cj_vhash *h, const char *negative_cash_reason,
			       char hex_out[65]);
void cj_vhash_free(cj_vhash *h);

/**
 * The decimal text of v at b (room for 21 bytes, NUL-terminated); returns
 * its length.  The hash writes its numbers so, and the import its COPY
 * text: a county's file makes millions, where snprintf shows.
 */
size_t cj_i64_text(char *b, int64_t v);

#endif
