/*
 * audit.h - the inspector's workbench: the warning rules of domain.md §5.2
 * run over a village, a township or a county, and the lists around them
 *
 * The rules are set-based queries (reports/audit_cash.c, audit_funds.c,
 * audit_payees.c), run together as one statement; thresholds come from the
 * database (audit_threshold over audit_param: a township's value, else its
 * county's, else the default).  Every builder returns 0 and sets *out (free
 * it with cj_report_free), or a negative cj_status with the message on the
 * db handle and *out NULL.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_AUDIT_H
#define CUNJI_REPORTS_AUDIT_H

#include <ledger/date.h>
#include <ledger/db.h>
#include <reports/report.h>

typedef struct cj_audit_request {
	const char *org;   /* village, township or county code */
	cj_date from, to;  /* the days scanned, inclusive */
	const char *rules; /* comma list of rule codes (R08,R27); NULL: every available rule */
	int only_new;      /* only the findings no inspector has marked yet */
	/* connections the scan runs over, the villages split between them (each
	 * reads its part's lines; all on one snapshot): 0 one per CPU, at most
	 * 4; 1 the caller's only */
	int jobs;
} cj_audit_request;

/**
 * Run the rules: table 0 lists every finding (规则, 等级 红/黄, 村, 涉及,
 * 金额, 说明, 阈值, 状态, 编号: the finding's stable key), ordered by village,
 * rule and key; table 1 counts them by rule and colour.  An unknown or
 * unavailable rule in req->rules is refused (CJ_EINVAL) with the reason.
 */
CJ_MUST_CHECK int cj_audit_scan(cj_db *db, const cj_audit_request *req, cj_report **out);

/**
 * Every rule of §5.2 with its availability (why not, when not) (table 0) and
 * every threshold with its default, its source and, when org is not NULL,
 * the value in effect there and where it comes from (table 1).
 */
CJ_MUST_CHECK int cj_audit_rules(cj_db *db, const char *org, cj_report **out);

/** The officials roster of a village, a township or a county (R26). */
CJ_MUST_CHECK int cj_audit_officials(cj_db *db, const char *org, cj_report **out);

#endif
