/*
 * org.h - counties, townships and villages
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_ORG_H
#define CUNJI_LEDGER_ORG_H

#include <stddef.h>

#include <ledger/date.h>
#include <ledger/db.h>

typedef enum cj_org_level { CJ_ORG_COUNTY, CJ_ORG_TOWNSHIP, CJ_ORG_VILLAGE } cj_org_level;

typedef struct cj_org {
	int id;
	cj_org_level level;
	char code[40];
	char name[200];
	char parent_code[40]; /* "" for a county */
	cj_period start;      /* villages: first period of the books */
} cj_org;

/** "county" or 县 -> CJ_ORG_COUNTY, "township", 乡镇, 乡 or 镇, "village" or 村; -1 when unknown. */
CJ_MUST_CHECK int cj_org_level_parse(const char *text);
const char *cj_org_level_name(cj_org_level level);
/** "%s %s is a county, not a village" (code, name) in the reader's language: a whole
 *  sentence per pair of levels, not one pieced from their names. */
const char *cj_org_level_mismatch(cj_org_level is, cj_org_level want);

/**
 * Check an organisation's code (统计用区划代码): a county 6 digits, a
 * township 9 that start with its county's, a village 12 that start with its
 * township's; the last three digits of a township or village are not 000.
 * parent_code may be NULL (the prefix is then not checked).
 * @return 0, or CJ_EINVAL with the reason in why
 */
CJ_MUST_CHECK int cj_org_code_check(cj_org_level level, const char *code, const char *parent_code, char *why,
		      size_t whysize);

/**
 * Add an organisation (its code checked by cj_org_code_check, its name by
 * cj_text_check).  A village also gets its books, starting at period
 * start, with the standard chart.  parent_code is required below county level.
 */
CJ_MUST_CHECK int cj_org_add(cj_db *db, cj_org_level level, const char *code, const char *name,
			     const char *parent_code, cj_period start);

/** One organisation for cj_org_add_many: the arguments of cj_org_add. */
typedef struct cj_org_new {
	cj_org_level level;
	const char *code;
	const char *name;
	const char *parent_code; /* NULL or "" for a county */
	cj_period start;         /* villages */
} cj_org_new;

/**
 * Add organisations in order (a parent before what belongs to it), checked
 * as cj_org_add checks one, in one transaction (the caller's when one is open:
 * the caller then rolls back on failure): all or nothing.  When one is
 * refused, *failed_out (if not NULL) is its index and the message names it.
 */
CJ_MUST_CHECK int cj_org_add_many(cj_db *db, const cj_org_new *orgs, size_t n,
				  size_t *failed_out);

/** Find by code; CJ_ENOTFOUND with a message naming the code. */
CJ_MUST_CHECK int cj_org_find(cj_db *db, const char *code, cj_org *out);

/**
 * Organisations under code (itself included), or all when code is NULL, in
 * tree order (county, its townships, each township's villages).  Free *out
 * with free().
 */
CJ_MUST_CHECK int cj_org_list(cj_db *db, const char *code, cj_org **out, size_t *n_out);

/** The longest local supervision number (schema 0008). */
#define CJ_HOTLINE_MAX 60

/**
 * Set the local supervision number (监督电话) that disclosure sheets print for
 * the organisation and, unless they have their own, those under it; "" clears
 * it.  Free text (cj_text_check) of at most CJ_HOTLINE_MAX characters.  *out
 * (may be NULL) receives the organisation.  CJ_ENOTFOUND for an unknown code.
 */
CJ_MUST_CHECK int cj_org_set_hotline(cj_db *db, const char *code, const char *phone, cj_org *out);

/**
 * A stamp of the data of the villages under code (a village, township or
 * county) as the caller's login sees them: a short text that changes
 * whenever a posted voucher, a draft, a month's closing, the chart, a fund
 * or a project of one of them does (ledger/lib/stamp.c says how).  Pages
 * kept for a session are valid while it does not change.  An unknown code
 * gives the stamp of nothing, not an error.
 */
CJ_MUST_CHECK int cj_org_stamp(cj_db *db, const char *code, char *out, size_t size);

/** Find a village by code; CJ_EINVAL if code names a county or township. */
CJ_MUST_CHECK int cj_village_find(cj_db *db, const char *code, cj_org *out);

#endif
