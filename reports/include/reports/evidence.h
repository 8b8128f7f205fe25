/*
 * evidence.h - the inspector's evidence pack: one finding (or a list of
 * vouchers) with everything needed to act on it, as reports for one PDF and
 * one XLSX
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_EVIDENCE_H
#define CUNJI_REPORTS_EVIDENCE_H

#include <ledger/date.h>
#include <ledger/db.h>
#include <reports/report.h>

typedef struct cj_evidence_request {
	const char *village;           /* the village's code */
	const char *finding;           /* a finding's key (编号, R08:2025-05), or NULL */
	cj_date from, to;              /* the days the scan covers when looking for the finding */
	const char *const *vouchers;   /* posted vouchers as people write them, "2025-05-2" */
	size_t nvouchers;
} cj_evidence_request;

typedef struct cj_evidence {
	cj_report **reports;
	size_t n;
} cj_evidence;

/**
 * The pack, in order: 证据材料 (when it was produced, the finding with its
 * rule, colour, amount, sentence, threshold and state, and the rule's
 * thresholds in effect in the village with where each was set); each voucher
 * the finding names (or req->vouchers) in full, with who prepared, reviewed
 * and posted it; each fund those vouchers touch, receipts and payments; the
 * chain proof: each voucher's link of the village's hash chain, the chain's
 * head, and what audit verify finds in the village now.  CJ_ENOTFOUND when
 * the finding or a voucher is not there.  Free with cj_evidence_free.
 */
CJ_MUST_CHECK int cj_audit_evidence(cj_db *db, const cj_evidence_request *req, cj_evidence *out);
void cj_evidence_free(cj_evidence *e);

#endif
