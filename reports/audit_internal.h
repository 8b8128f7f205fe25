/*
 * audit_internal.h - what the warning rules (audit_*.c) share with the scan
 *
 * Each rule is one set-based query (a SELECT, no trailing semicolon) that
 * audit_scan.c joins into one statement with UNION ALL.  It may use:
 *   $1 the organisation scanned, $2 the first day, $3 the last day (dates);
 *   sv(id, code, name, tid, cid)   the villages in scope, their township and county;
 *   th(village_id, rule, key, value)  each village's thresholds in effect;
 *   day_bal(village_id, acct, day, bal)  the cash (101) and bank (102) balance
 *                                        at the end of each day that moved it;
 *   lv  the lines of the scope's normal vouchers dated $2..$3, with the
 *       voucher's date, number (vno) and summary (vsummary).
 * and returns the columns
 *   rule, village_id, fkey, refs, amount_fen, message, threshold, severity
 * where fkey is the finding's stable key (it starts with the rule, then what
 * the finding is about, never the scan's dates unless the finding is about
 * them), message one sentence in Chinese (the scan adds the rule's name),
 * threshold the threshold used in words, severity 'red', 'yellow' or NULL
 * (the rule's own).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_AUDIT_INTERNAL_H
#define CUNJI_REPORTS_AUDIT_INTERNAL_H

typedef struct cj__audit_rule {
	const char *code; /* R08 */
	const char *sql;
} cj__audit_rule;

/* one module per concern: cash and bank, earmarked funds, payees and
 * members, each a list ended by {NULL, NULL} */
extern const cj__audit_rule cj__audit_cash[];
extern const cj__audit_rule cj__audit_funds[];
extern const cj__audit_rule cj__audit_payees[];

#endif
