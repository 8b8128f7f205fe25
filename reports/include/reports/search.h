/*
 * search.h - the inspector's cross-village search: who was paid what, in
 * every village the login sees (row-level security decides the scope)
 *
 * Names are compared as typed (a substring) and in one normal form
 * (name_norm() of schema 0029: full-width as half-width, no spaces, 有限公司
 * and 有限责任公司 as 公司), so 靖安县路通建设工程有限公司 is found by
 * "路通建设 工程公司".  Builders return 0 and set *out (free it with
 * cj_report_free), or a negative cj_status with the message on the db handle.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_SEARCH_H
#define CUNJI_REPORTS_SEARCH_H

#include <stdint.h>

#include <ledger/date.h>
#include <ledger/db.h>
#include <reports/report.h>

typedef struct cj_search_request {
	const char *org;        /* village, township or county code */
	const char *payee;      /* payee or counterparty (substring, normalised); NULL: any */
	const char *id_number;  /* a person's ID number: what was paid to their household; NULL: any */
	const char *account;    /* a household's bank account (spaces ignored); NULL: any */
	int64_t min_fen, max_fen; /* the line's amount; max 0: no upper bound */
	cj_date from, to;       /* voucher dates, inclusive; a zero year: unbounded */
} cj_search_request;

/**
 * Every voucher line of the villages under req->org that matches: its
 * counterparty contains req->payee (as typed or normalised), or it is paid to
 * the household of req->id_number or req->account (by the household's code,
 * its head's or a member's name), within the amounts and dates.  Table 0: 村代码,
 * 村, 日期, 凭证号, 摘要, 科目, 收付对象, 资金, 项目, 借方, 贷方 and a 合计 row;
 * with an ID number or account, table 1 the households it names.  At least
 * one of payee, id_number, account or an amount bound is required (CJ_EINVAL).
 */
CJ_MUST_CHECK int cj_search(cj_db *db, const cj_search_request *req, cj_report **out);

/**
 * Everything cunji paid to the household of one person (head or member, by
 * ID number) in any village under org: dividends (and those declared, not
 * yet paid), aid, project payments and other payments from cash or bank to
 * the household's code, head or members, by fund with a 小计 per fund and a
 * 合计 (table 0); the households found (table 1).  CJ_ENOTFOUND when no
 * household in scope has that ID number.
 */
CJ_MUST_CHECK int cj_household_paid(cj_db *db, const char *org, const char *id_number,
				    cj_report **out);

#endif
