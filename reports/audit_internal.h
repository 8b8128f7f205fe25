/*
 * audit_internal.h - what the warning rules (audit_*.c) share with the scan
 *
 * Each rule is one set-based query (a SELECT, no trailing semicolon) that
 * audit_scan.c joins into one statement with UNION ALL.  It may use:
 *   $1 the organisation scanned, $2 the first day, $3 the last day (dates);
 *   sv(id, code, name, tid, cid)   the villages of this part of the scan, their
 *       township and county: a scan over several connections splits the
 *       villages in scope between them, each running every rule for its
 *       part; every other table below holds sv's villages only;
 *   sva  the same for every village in scope, for a rule that looks across
 *       villages (it reads sva, and returns findings of sv's villages only);
 *   cpv(cp, village_id)  who each village in scope paid out of cash or bank
 *       (the counterparties of pay below, every part's);
 *   th(village_id, rule, key, value)  each village's thresholds in effect;
 *   pl  the lines a rule reads one by one, of the scan's months up to $3
 *       (every kind of voucher): what a voucher paid out of cash or bank
 *       (101, 102) to a counterparty, 241/231 debited without a fund, 211090
 *       debited to a counterparty, 32x credited with a fund, and 5xx/32x
 *       credited in a voucher that debits 241/231; the line's columns, the
 *       voucher's date (day), period (vperiod), number and summary
 *       (vsummary), and ordinary (a normal voucher dated $2..$3, neither
 *       voided nor reversing).  Any other line of a voucher is asked of pv,
 *       or read by the primary key;
 *   lv  pl's ordinary lines, with the voucher's number as written (vno);
 *   pv  each voucher of the scan's months up to $3 once (village_id,
 *       voucher_id, day, ordinary,
 *       vperiod, number, vsummary) with what its lines did, so that a rule
 *       asks pv what a voucher's other lines did instead of searching the
 *       lines again: f, flags (1 a cash line (101), 2 a bank line (102), 4 an
 *       income credited (5xx), 8 a debit to 241 or 231, 16 a debit to 153,
 *       241 or 231); cash_dr and cash_cr, its 101 debits and credits (bigint,
 *       NULL when none), cash_cp the counterparty of its 101 credits, bank_net its
 *       102 debits less credits, bank_dr whether it debits 102;
 *   rc  the cash income received (an ordinary voucher with Dr 101 and Cr
 *       5xx): village_id, voucher_id, day, vno, vsummary, amount (its 101
 *       debits); dd(village_id, day) the days cash was deposited (Dr 102,
 *       Cr 101 in one ordinary voucher);
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

/* one module per concern: cash and bank, earmarked funds, payees and
 * members, disclosure, each a list ended by {NULL, NULL} */
extern const cj__audit_rule cj__audit_cash[];
extern const cj__audit_rule cj__audit_funds[];
extern const cj__audit_rule cj__audit_payees[];
extern const cj__audit_rule cj__audit_disclose[];

#endif
