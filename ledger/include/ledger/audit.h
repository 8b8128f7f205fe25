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
#include <ledger/error.h>

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

/* ------------------------------------------------------------------------ */
/* audit verify */

/** One thing audit verify found. */
typedef struct cj_finding {
	char village_code[40]; /* "" when it concerns no village (the office, the schema) */
	char voucher[80];      /* "2025-03 #12 (id 4711)", or "" */
	char *what;            /* what differs, one line (owned) */
} cj_finding;

/** The findings of a verify; other checks (anchors, sheets) append to it. */
typedef struct cj_findings {
	cj_finding *items;
	size_t n, cap;
} cj_findings;

#define CJ_FINDINGS_INIT {NULL, 0, 0}

/** Append one finding (what as printf); CJ_ENOMEM when memory ran out. */
CJ_MUST_CHECK int cj_findings_add(cj_findings *f, const char *village_code,
				  const char *voucher, const char *fmt, ...) CJ_PRINTF(4, 5);
/** The finding as one line: "village C, voucher V: what" (or the parts it has). */
size_t cj_finding_format(const cj_finding *x, char *buf, size_t size);
void cj_findings_free(cj_findings *f);

/** What a verify read. */
typedef struct cj_verify_stats {
	size_t villages, vouchers, lines, links, audit_records, schema_items;
} cj_verify_stats;

/**
 * Verify the books of every village under org_code (all the login sees when
 * NULL), recomputing from the raw rows, in one read-only snapshot:
 * each chain (every link's hash, every voucher and audit record in exactly
 * one link, the head), each voucher's content hash against its lines and its
 * balance, the kept totals (month and year) against the lines, the voucher
 * numbers (1..n in each month, as the counter says), the closed months
 * against period_event (and no voucher posted into a month while it was
 * closed), every audited row against the trail's record of it; with org_code
 * NULL or a county, also the office's chain and the schema (every function,
 * trigger, privilege and row-level security as the migrations recorded them,
 * and every audit trigger present and enabled).  Findings are appended to
 * *out; the call fails only when it could not read (the message on db).
 */
CJ_MUST_CHECK int cj_audit_verify(cj_db *db, const char *org_code, cj_findings *out,
				  cj_verify_stats *stats);

#endif
