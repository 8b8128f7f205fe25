/*
 * bank_recon.h - 银行存款余额调节表 as a report (docs/reports.md)
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_BANK_RECON_H
#define CUNJI_REPORTS_BANK_RECON_H

#include <ledger/bank.h>
#include <ledger/date.h>
#include <ledger/db.h>
#include <reports/report.h>

/**
 * The reconciliation of a village's bank account at the end of month
 * (cj_bank_reconcile, ledger/bank.h): table 0 the two sides, 企业银行存款日记账
 * 余额 and 银行对账单余额 each with what the other has not yet recorded, to
 * 调节后的存款余额 (a computed row); table 1 the outstanding lines (未达账项),
 * by kind, each with its subtotal.  When the two adjusted balances differ the
 * report says so in a note and CJ_EUNBALANCED is returned with *out set (the
 * difference on the handle).  Free *out with cj_report_free.
 */
CJ_MUST_CHECK int cj_report_bank_recon(cj_db *db, const char *village, const char *account,
				       cj_period month, cj_report **out);

#endif
