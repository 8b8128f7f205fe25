/*
 * audit_internal.h - what the warning rules (audit_*.c) share with the scan
 *
 * Each rule is one set-based query (a SELECT, no trailing semicolon) that
 * audit_scan.c joins into one statement with UNION ALL.  It may use:
 *   $1 the organisation scanned, $2 the first day, $3 the last day (dates);
 *   sv(id, code, name, tid, cid)   the villages in scope, their township and county;
 *   th(village_id, rule, key, value)  each village's thresholds in effect;
 *   pl  the lines of the scan's months up to $3 (every kind of voucher),
 *       read once: the line's columns, the voucher's date (day), period
 *       (vperiod), number and summary (vsummary), and ordinary (a normal
 *       voucher dated $2..$3, neither voided nor reversing);
 *   lv  pl's ordinary lines, with the voucher's number as written (vno);
 *   day_bal(village_id, acct, day, bal)  the cash (101) and bank (102) balance
 *                                        at the end of each day that moved it,
 *                                        and the day before the first month.
 * A rule that needs history before the scan's months reads the kept totals
 * (account_period_total) or the lines through the partial indexes of 0028
 * (voucher_line_dues, voucher_line_funded), repeating their predicate.
 * Each returns the columns
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

/* The lines of a voucher that also has a line matching cond (the voucher's
 * own lines, among the scan's). */
#define SAME_VOUCHER(cond)                                                                    \
	"EXISTS (SELECT 1 FROM lv i WHERE i.village_id = l.village_id\n"                          \
	"               AND i.voucher_id = l.voucher_id AND " cond ")"

/* one module per concern: cash and bank, earmarked funds, payees and
 * members, disclosure, each a list ended by {NULL, NULL} */
extern const cj__audit_rule cj__audit_cash[];
extern const cj__audit_rule cj__audit_funds[];
extern const cj__audit_rule cj__audit_payees[];
extern const cj__audit_rule cj__audit_disclose[];

#endif
