/*
 * audit.h - tamper evidence (issue 15): each village's hash chain
 *
 * The database chains, per village, every statement's posted vouchers and
 * every audit record (schema 0021, docs/audit.md): a link's hash is SHA-256
 * over the previous link's hash and the link's canonical encoding.  The head
 * of a chain is its last link's hash: what an anchor file or a printed sheet
 * keeps, so that a later rewrite of the village's history shows.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_AUDIT_H
#define CUNJI_LEDGER_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include <ledger/db.h>

/** The hash before a chain's first link: 64 zeros. */
#define CJ_CHAIN_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/** A chain's head: seq 0 and CJ_CHAIN_GENESIS for a chain with no link yet. */
typedef struct cj_chain_head {
	int village_id;       /* 0: the office's chain (rows of no village) */
	char village_code[40]; /* "" for the office's chain (as cj_org.code) */
	int64_t seq;          /* links so far */
	char head[65];        /* the last link's hash, 64 hex digits */
} cj_chain_head;

/**
 * The heads of every village under org_code (the organisation itself when it
 * is a village), in the tree order of cj_org_list, read in one statement.
 * Free *out with free().  CJ_ENOTFOUND for an unknown code.  Rows outside
 * the login's scope are not returned (row-level security).
 */
CJ_MUST_CHECK int cj_chain_heads(cj_db *db, const char *org_code, cj_chain_head **out,
				 size_t *n);

/**
 * One village's head; village_code NULL or "" gives the office's chain.
 * CJ_ENOTFOUND for an unknown code, CJ_EINVAL for one that is not a village.
 */
CJ_MUST_CHECK int cj_chain_head_of(cj_db *db, const char *village_code, cj_chain_head *out);

#endif
