/*
 * fund.h - earmarked funds (专款专用), allocations, projects and anti-risk aid
 *
 * A fund is a tag on voucher lines (cj_line.fund_id): money received is a
 * debit to cash or bank on a line tagged with it, money spent a credit.  The
 * database enforces every fund and project rule in the posting transaction
 * (schema/0004_funds.sql); these functions make the records and post the
 * usual vouchers for them.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_FUND_H
#define CUNJI_LEDGER_FUND_H

#include <stddef.h>
#include <stdint.h>

#include <ledger/date.h>
#include <ledger/db.h>
#include <ledger/voucher.h>
#include <ledger/voucher_path.h>

typedef struct cj_fund_spec {
	const char *code;         /* unique in the village, e.g. XJ2025-01 */
	const char *name;
	const char *kind;         /* a row of cunji.fund_kind, e.g. 衔接推进乡村振兴补助资金 */
	const char *source_level; /* 中央, 省, 市, 县, 乡, 村, 社会 */
	const char *doc_no;       /* 文号; may be NULL */
	cj_date doc_date;         /* year 0: none */
	int64_t granted_fen;
	/* NULL: the kind's defaults.  Otherwise comma-separated lists, e.g.
	 * "153,151"; "" for an empty list (nothing allowed). */
	const char *holding_account;
	const char *allowed_accounts;
	const char *forbidden_accounts;
	const char *allowed_categories;
	const char *forbidden_categories;
	/* cj_fund_add: the county's allocation (cj_allocation_add) of which this
	 * fund is the village's part; 0 for none */
	int64_t allocation_id;
} cj_fund_spec;

typedef struct cj_fund_info {
	int64_t id;
	char code[48];
	char name[200];
	char kind[64];
	char status[16];
	char holding_account[16];
	int64_t granted_fen, received_fen, spent_fen;
} cj_fund_info;

/** Add a fund to a village's books. */
CJ_MUST_CHECK int cj_fund_add(cj_db *db, int village_id, const cj_fund_spec *spec, int64_t *id_out);
CJ_MUST_CHECK int cj_fund_find(cj_db *db, int village_id, const char *code, cj_fund_info *out);
/** status: "closed" or "returned" (from open, once). */
CJ_MUST_CHECK int cj_fund_set_status(cj_db *db, int village_id, const char *code,
				     const char *status);

/**
 * A county's allocation (下达) of spec->granted_fen by document spec->doc_no,
 * split over villages: each village gets a fund with code spec->code and its
 * part (n may be 0: parts with codes of their own follow through cj_fund_add
 * with spec.allocation_id).  All in one transaction, the caller's when it
 * holds one (then it rolls back after a failure), else its own; the parts
 * may not exceed the total.
 */
CJ_MUST_CHECK int cj_allocation_add(cj_db *db, int county_id, const cj_fund_spec *spec,
				    const int *village_ids, const int64_t *parts_fen, size_t n,
				    int64_t *id_out);

typedef struct cj_project_spec {
	const char *code, *name, *category;
	const char *content, *implementing_unit, *responsible, *goals, *benefit_mechanism;
	cj_date start, end; /* year 0: not set */
	int households, poverty_households, monitored_households;
	/* budget by source: "中央" or a fund code of the village */
	const char *const *budget_sources;
	const int64_t *budget_fen;
	size_t nbudget;
} cj_project_spec;

typedef struct cj_project_info {
	int64_t id;
	char code[48];
	char name[200];
	char category[64];
	char status[16];
	int64_t budget_fen, spent_fen;
} cj_project_info;

CJ_MUST_CHECK int cj_project_add(cj_db *db, int village_id, const cj_project_spec *spec,
				 int64_t *id_out);
CJ_MUST_CHECK int cj_project_find(cj_db *db, int village_id, const char *code,
				  cj_project_info *out);
/**
 * Add a line to a project's budget after those it has: source "中央" (or
 * another source level) or a fund code of the village, which links the line
 * to that fund.
 */
CJ_MUST_CHECK int cj_project_budget_add(cj_db *db, int village_id, int64_t project_id,
					const char *source, int64_t amount_fen);
CJ_MUST_CHECK int cj_project_start(cj_db *db, int village_id, const char *code, cj_date date);

typedef struct cj_project_payment {
	const char *project;  /* project code */
	const char *fund;     /* fund code, or NULL for the village's own money */
	const char *tranche;  /* 预付, 进度款, 尾款, 质保金 */
	const char *payee;
	const char *account;  /* what it is spent on; default 153 在建工程 */
	const char *bank;     /* paid from; default 102 (must be a leaf) */
	const char *summary;  /* default: project name, tranche and payee */
	cj_date date;
	int64_t amount_fen;
} cj_project_payment;

/**
 * Post a tranche payment and record it; the database checks fund and budget.
 * Where the village requires review, the voucher is a draft (out->draft_id)
 * and the tranche is recorded when the draft is posted (schema 0032); the
 * same holds for project accept, aid pay and the dividends.
 */
CJ_MUST_CHECK int cj_project_pay(cj_poster *p, int village_id, const cj_project_payment *pay,
				 cj_submitted *out);

/**
 * Accept a started project (验收): record the asset it forms and post the
 * vouchers of §1.5: its construction cost (153) into asset_account for a
 * collective asset (经营性/公益性), and each earmarked fund's spending released
 * from the fund's holding account (专项应付款) into 公积公益金 (311); for 到户
 * assets the earmarked part leaves 153 against the holding account and the
 * rest goes to 公益支出 (514).  out receives up to two vouchers (drafts of
 * one batch under review, posted together; the project is accepted then).
 */
CJ_MUST_CHECK int cj_project_accept(cj_poster *p, int village_id, const char *code, cj_date date,
				    const char *asset_kind, const char *asset_account,
				    cj_submitted out[2], int *nposted);

/** A county's caps for anti-risk aid. */
CJ_MUST_CHECK int cj_aid_rule_set(cj_db *db, int county_id, int64_t per_person_fen,
				  int64_t per_household_year_fen, int max_times_per_year,
				  int64_t min_endowment_fen);

typedef struct cj_aid {
	const char *fund;      /* an anti-risk fund's code */
	const char *household; /* household code in the member register */
	int persons;
	int64_t amount_fen;
	cj_date date;
	const char *reason, *applicant, *township_review, *county_record;
	const char *bank;      /* default 102 */
} cj_aid;

/** Record an aid payment and post it (Dr holding account / Cr bank), one
 * transaction; under review a draft, the aid recorded (and its caps checked
 * again) when it is posted. */
CJ_MUST_CHECK int cj_aid_pay(cj_poster *p, int village_id, const cj_aid *aid, cj_submitted *out);

#endif
