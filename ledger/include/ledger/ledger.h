/*
 * ledger.h - the cunji ledger core, all public headers
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_H
#define CUNJI_LEDGER_H

#include <ledger/account.h>
#include <ledger/anchor.h>
#include <ledger/audit.h>
#include <ledger/backup.h>
#include <ledger/bank.h>
#include <ledger/batch.h>
#include <ledger/books.h>
#include <ledger/callbacks.h>
#include <ledger/cluster.h>
#include <ledger/date.h>
#include <ledger/db.h>
#include <ledger/dividend.h>
#include <ledger/error.h>
#include <ledger/fund.h>
#include <ledger/inspect.h>
#include <ledger/login.h>
#include <ledger/member.h>
#include <ledger/money.h>
#include <ledger/org.h>
#include <ledger/period.h>
#include <ledger/span.h>
#include <ledger/text.h>
#include <ledger/voucher.h>
#include <ledger/voucher_path.h>

#define CUNJI_VERSION "0.1.0"

#endif
