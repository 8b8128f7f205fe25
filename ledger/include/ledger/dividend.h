/*
 * dividend.h - income distribution (收益分配) to member households
 *
 * The distributable income comes from the books (cunji.distributable_income,
 * §1.7: earmarked subsidies excluded, losses refused); the charter's rates set
 * aside 公积公益金 and 福利; the rest, or a smaller --pool, is split over the
 * shares in force by the largest-remainder method in integer fen, so the
 * household amounts sum exactly to the pool.  Ties in the remainder go to
 * the smaller household code; the collective's shares (集体股) come last and
 * their part stays with the collective.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_DIVIDEND_H
#define CUNJI_LEDGER_DIVIDEND_H

#include <stddef.h>
#include <stdint.h>

#include <ledger/date.h>
#include <ledger/db.h>
#include <ledger/voucher.h>
#include <ledger/voucher_path.h>

/* The method, printed with every plan and disclosure sheet. */
#define CJ_DIVIDEND_METHOD                                                                       \
	"按股分配, 以分为单位: 每户先得 池额×户股数÷总股数 向下取整到分, 余下的分按余数从大到小"   \
	"逐户补1分, 余数相同者户编号小者优先; 集体股所得留归集体; 各户合计恰等于分配总额。"

typedef struct cj_dividend_household {
	char code[40];
	char head[100];
	char id_masked[24];
	int64_t shares_centi; /* shares x 100 */
	int64_t amount_fen;
	int paid;             /* for posted plans */
	int has_bank;         /* a bank account is on record (for posted plans) */
} cj_dividend_household;

/*
 * What the collective may pay out as its own (cunji.own_cash(), 严禁举债分配):
 * cash and bank (101, 102) at the end of a month, less short-term borrowing
 * (201), less earmarked money not yet spent, less dividends declared and
 * not yet paid.
 */
typedef struct cj_own_cash {
	int64_t cash_fen, borrowing_fen, earmarked_fen, unpaid_dividends_fen, own_fen;
} cj_own_cash;

/** The collective's own cash at the end of month p. */
CJ_MUST_CHECK int cj_own_cash_get(cj_db *db, int village_id, cj_period p, cj_own_cash *out);

typedef struct cj_dividend_plan {
	int village_id, year;
	int64_t income_fen, earmarked_fen, expense_fen, year_result_fen, brought_forward_fen;
	int64_t distributable_fen;
	int reserve_rate_bp, welfare_rate_bp; /* basis points: 1000 = 10% */
	int64_t reserve_fen, welfare_fen;     /* rounded half up (四舍五入) to the fen */
	int64_t max_pool_fen, pool_fen;
	int64_t collective_shares_centi, collective_fen;
	int64_t total_shares_centi, households_fen;
	cj_date shares_on;
	cj_own_cash own;                   /* at the end of shares_on's month */
	cj_dividend_household *households; /* by code */
	size_t nhouseholds;
	int posted;
} cj_dividend_plan;

/**
 * Compute a plan.  pool_fen < 0: the largest allowed.  Refuses (CJ_EREFUSED,
 * with the reason) a loss year, non-positive distributable income, a pool
 * above what may be distributed, households' part and welfare beyond the
 * collective's own cash (own, at the end of shares_on's month: no dividends
 * from borrowed, earmarked or uncollected money), and a register without
 * shares.  The largest pool allowed stays within the own cash.
 */
CJ_MUST_CHECK int cj_dividend_compute(cj_db *db, int village_id, int year, int reserve_rate_bp,
				      int welfare_rate_bp, int64_t pool_fen, cj_date shares_on,
				      cj_dividend_plan *out);
void cj_dividend_plan_free(cj_dividend_plan *plan);

/**
 * Declare a computed plan, dated date: one voucher, Dr 322002 各项分配 / Cr 311
 * 公积公益金 (reserve), Cr 211 应付款-应付福利费 (welfare), Cr 211 应付款-应付
 * 成员分红 per household (counterparty = household code); the plan and its
 * household lines recorded with it, in one transaction.  The households'
 * part and welfare must be covered by the own cash at the end of date's month.
 * Under review the voucher is a draft (out->draft_id) and the plan is
 * declared when it is posted (schema 0032).
 */
CJ_MUST_CHECK int cj_dividend_post(cj_poster *p, const cj_dividend_plan *plan, cj_date date,
				   cj_submitted *out);

/** Read a posted plan back, with who has been paid. */
CJ_MUST_CHECK int cj_dividend_load(cj_db *db, int village_id, int year, cj_dividend_plan *out);

/**
 * Pay unpaid households by bank (one voucher each: Dr the payable / Cr bank),
 * all of them or only the codes given; returns how many were paid.  Refuses,
 * naming every one, households without a bank account on record, and a
 * payment while the collective's own cash at the end of date's month is
 * below zero (it would be paid from borrowed or earmarked money).  Under
 * review the payments are drafts of one batch (*batch, else 0), each
 * household paid when its draft is posted.
 */
CJ_MUST_CHECK int cj_dividend_pay(cj_poster *p, int village_id, int year, cj_date date,
				  const char *bank, const char *const *codes, size_t ncodes,
				  size_t *npaid, int64_t *batch);

#endif
