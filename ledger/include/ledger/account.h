/*
 * account.h - a village's chart of accounts
 *
 * Each village's books start with the standard chart (schema
 * 0002_chart_2023.sql).  Sub-accounts extend a code by 2 or 3 digits
 * (102001 银行存款-农商行); vouchers post to leaf accounts only.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_ACCOUNT_H
#define CUNJI_LEDGER_ACCOUNT_H

#include <stddef.h>

#include <ledger/db.h>

typedef enum cj_category {
	CJ_CAT_ASSET,
	CJ_CAT_LIABILITY,
	CJ_CAT_EQUITY,
	CJ_CAT_COST,
	CJ_CAT_INCOME,
	CJ_CAT_EXPENSE
} cj_category;

typedef struct cj_account {
	char code[16];
	char name[200];
	char parent_code[16];
	cj_category category;
	char normal_side; /* 'D' or 'C' */
	int level;        /* 1 for first-level accounts */
	int is_leaf;
	int active;
} cj_account;

CJ_MUST_CHECK int cj_category_parse(const char *text);
const char *cj_category_name(cj_category c);    /* "asset" */
const char *cj_category_name_zh(cj_category c); /* "资产" */

/** Add a sub-account to a village's chart. */
CJ_MUST_CHECK int cj_account_add(cj_db *db, int village_id, const char *code, const char *name);

/** One sub-account for cj_account_add_many. */
typedef struct cj_account_new {
	int village_id;
	const char *code;
	const char *name;
} cj_account_new;

/**
 * Add sub-accounts in order (a parent before its own sub-accounts), each as
 * cj_account_add adds one, in one transaction (the caller's when one is open:
 * the caller then rolls back on failure): all or nothing.  When one is
 * refused, *failed_out (if not NULL) is its index and the message names it.
 */
CJ_MUST_CHECK int cj_account_add_many(cj_db *db, const cj_account_new *accounts, size_t n,
				      size_t *failed_out);

/** All accounts of a village ordered by code; free *out with free(). */
CJ_MUST_CHECK int cj_account_list(cj_db *db, int village_id, cj_account **out, size_t *n_out);

/** Find one account; CJ_ENOTFOUND when the village has no such code. */
CJ_MUST_CHECK int cj_account_find(cj_db *db, int village_id, const char *code, cj_account *out);

/**
 * An account as a person types it: its code (102001), its name (管理费用) or
 * its name with its parents' (银行存款-农商行, 银行存款/农商行).  A name that
 * more than one account has is refused with the candidates listed.
 * @param code receives the code (digits are passed through unchecked)
 * @return 0, CJ_ENOTFOUND (no such name) or CJ_EINVAL (ambiguous), with the
 *         message on the handle
 */
CJ_MUST_CHECK int cj_account_resolve(cj_db *db, int village_id, const char *text, char *code,
				     size_t size);

#endif
