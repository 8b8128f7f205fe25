/*
 * lists.h - the lists a front-end shows, as report models: organisations, a
 * chart of accounts, closed months, the member register, funds, one fund, an
 * allocation's trace, projects, a distribution plan
 *
 * Each builder reads the books (read-only) and returns a cj_report that any
 * renderer lays out: text on a terminal, CSV and JSON for spreadsheets and
 * programs (cj_render_csv, cj_render_json; every column has a key), XLSX or
 * PDF.  They return 0 and set *out (free it with cj_report_free), or a
 * negative cj_status with the message on the db handle and *out NULL.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_LISTS_H
#define CUNJI_REPORTS_LISTS_H

#include <ledger/db.h>
#include <ledger/dividend.h>
#include <ledger/member.h>
#include <ledger/org.h>
#include <ledger/voucher_path.h>
#include <reports/report.h>

/** Organisations under code (itself included; NULL: all) as a tree.  No rows: none yet. */
CJ_MUST_CHECK int cj_list_orgs(cj_db *db, const char *code, cj_report **out);
/** The logins of the database: name, kind, scope (a login sees only its own), state. */
CJ_MUST_CHECK int cj_list_logins(cj_db *db, cj_report **out);
/** A village's chart of accounts (科目表). */
CJ_MUST_CHECK int cj_list_accounts(cj_db *db, const char *village, cj_report **out);
/** A village's closed months (table 0) and its close and reopen record (table 1). */
CJ_MUST_CHECK int cj_list_periods(cj_db *db, const char *village, cj_report **out);
/**
 * The member register (成员与股权) of a village as cj_member_list read it: a
 * row per household (people, contact, bank, shares by type), 集体 when the
 * collective holds shares, 合计.  ID numbers and bank accounts masked unless
 * unmasked.  Builds from the register alone; 0, or -1 when out of memory.
 */
CJ_MUST_CHECK int cj_list_members(const cj_org *village, const cj_member_register *reg,
				  int unmasked, cj_report **out);
/** Every fund of a village, or of the villages of a township or county, with a 合计 row. */
CJ_MUST_CHECK int cj_list_funds(cj_db *db, const char *org_code, cj_report **out);
/** One fund of a village: its rules (table 0) and every receipt and payment (table 1). */
CJ_MUST_CHECK int cj_list_fund(cj_db *db, const char *village, const char *fund, cj_report **out);
/**
 * A county allocation (下达文件 doc) end to end: per village what was
 * allocated, received, paid (to whom, for which project) and left.
 * CJ_ENOTFOUND when the county has no allocation with that document.
 */
CJ_MUST_CHECK int cj_list_trace(cj_db *db, const char *county, const char *doc, cj_report **out);
/** A village's projects with budget, paid and left. */
CJ_MUST_CHECK int cj_list_projects(cj_db *db, const char *village, cj_report **out);
/**
 * A distribution plan (收益分配方案, or the posted distribution with who has
 * been paid): the computation (table 0) and the households (table 1).
 * Builds from the plan alone; returns 0, or -1 when out of memory.
 */
CJ_MUST_CHECK int cj_list_dividend(const cj_org *village, const cj_dividend_plan *plan,
				   cj_report **out);
/**
 * Vouchers as cj_voucher_list read them (状态, 凭证号 or 草稿N, 日期, 摘要, 金额,
 * who prepared, reviewed and posted each, 批次, 待执行动作), scope a subtitle (may be
 * NULL).  Builds from the rows alone; 0, or -1 when out of memory.
 */
CJ_MUST_CHECK int cj_list_vouchers(const cj_voucher_row *rows, size_t n, const char *scope,
				   cj_report **out);
/**
 * The list's 待执行动作 of a draft not yet posted: what its ledger action will
 * record, short ("项目付款 P1 预付", "发放分红 户H01 2025年度"), into buf;
 * "" when it carries none.  Returns buf.
 */
const char *cj_list_voucher_action(char *buf, size_t size, const cj_voucher_row *v);
/**
 * One voucher as cj_voucher_get read it: its header (单位, 日期, 记字第N号,
 * 附单据, state, what it reverses or what reverses it) as subtitles, its
 * lines with 合计 (table 0) and who prepared, reviewed, posted or rejected
 * it, when and why (table 1).  0, or -1 when out of memory.
 */
CJ_MUST_CHECK int cj_list_voucher(const cj_voucher_view *v, cj_report **out);

/** What `audit log` shows: NULL (0) for any. */
typedef struct cj_audit_filter {
	const char *org;      /* villages under this code; a county's also the office's records */
	const char *table;    /* one table */
	const char *login;    /* one login */
	const char *from, *to; /* first and last day, "YYYY-MM-DD" */
	long limit;           /* at most this many records, the oldest first */
} cj_audit_filter;

/** The audit trail (schema 0021): one row per recorded change, oldest first. */
CJ_MUST_CHECK int cj_list_audit(cj_db *db, const cj_audit_filter *f, cj_report **out);

#endif
