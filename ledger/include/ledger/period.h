/*
 * period.h - closing months and years
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_PERIOD_H
#define CUNJI_LEDGER_PERIOD_H

#include <stddef.h>

#include <ledger/date.h>
#include <ledger/db.h>
#include <ledger/org.h>
#include <ledger/voucher.h>

/**
 * Close a month: the database refuses postings into it from then on.
 * Months close in order: every earlier month of the books must be closed.
 */
CJ_MUST_CHECK int cj_period_close(cj_db *db, int village_id, cj_period p, const char *reason);

/**
 * Reopen a month (recorded in period_event with the reason).  Later closed
 * months must be reopened first; months of a closed year cannot be.
 */
CJ_MUST_CHECK int cj_period_reopen(cj_db *db, int village_id, cj_period p, const char *reason);

/** Where a village's months stand: what a front-end's list of villages shows. */
typedef struct cj_village_month {
	cj_org village;           /* parent_code: its township */
	char township[200];       /* the township's name */
	int has_closed;
	cj_period last_closed;    /* the latest closed month (months close in order) */
	int has_vouchers;
	cj_period last_voucher;   /* the latest month with a posted voucher */
	int drafts;               /* drafts awaiting review (待审核) */
	int reviewed;             /* reviewed drafts awaiting posting (待记账) */
	int rejected;             /* drafts sent back to their preparers (已退回) */
} cj_village_month;

/**
 * Every village the connection's login sees (row-level security decides),
 * by code, with where its months stand.  Free *out with free().
 */
CJ_MUST_CHECK int cj_village_months(cj_db *db, cj_village_month **out, size_t *n);

/** 1 if the month is closed, 0 if open. */
CJ_MUST_CHECK int cj_period_is_closed(cj_db *db, int village_id, cj_period p, int *closed_out);

typedef struct cj_year_close_result {
	int nvouchers;        /* closing vouchers posted */
	cj_money net_income;  /* 本年收益 moved to 未分配收益 (negative: loss) */
	cj_posted posted[4];
} cj_year_close_result;

/**
 * Year-end close (年终结账), in one transaction: post the closing vouchers
 * of the standard on 31 December (income accounts into 321 本年收益, expense
 * accounts into 本年收益, 本年收益 into 322001 未分配收益, 322002 各项分配
 * into 未分配收益), then close every month of the year and record the year
 * as closed.  Profit-and-loss accounts are left at zero; balance-sheet
 * balances carry into the next year as its opening balances.
 */
CJ_MUST_CHECK int cj_year_close(cj_poster *p, int village_id, int year, const char *preparer,
				cj_year_close_result *out);

/**
 * Refuse a year-end close of a year with months (within the books) that no
 * voucher was ever posted in: a month forgotten is more likely than a month
 * with nothing.  CJ_EREFUSED naming the months; 0 when every month has
 * vouchers.
 */
CJ_MUST_CHECK int cj_year_unposted(cj_db *db, int village_id, int year);

#endif
