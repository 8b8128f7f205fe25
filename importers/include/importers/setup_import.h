/*
 * setup_import.h - a county's organisations and sub-accounts from a file
 * (cunji org add --file, cunji account add --file)
 *
 * Organisations: one row each, with the columns org list --format csv
 * writes (level/级别, code/代码, name/名称, parent/上级代码, books_from/建账月份;
 * start is another name of the last), a parent before what belongs to it.
 * Sub-accounts: village/村代码, code/科目代码, name/科目名称, a parent before
 * its own sub-accounts.  Every row is checked before anything is written;
 * then the rows go in with cj_org_add_many or cj_account_add_many, whose
 * refusal names the row.
 *
 * Transaction: its own when the caller holds none, else a savepoint in the
 * caller's (a file with problems or a dry run takes back only its own
 * writes).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_IMPORTERS_SETUP_IMPORT_H
#define CUNJI_IMPORTERS_SETUP_IMPORT_H

#include <stddef.h>

#include <importers/problem.h>
#include <ledger/db.h>
#include <ledger/error.h>

typedef struct cj_setup_import_opts {
	const char *name; /* the file as messages name it (default: its path) */
	int dry_run;      /* write everything, then roll back */
	const char *sheet; /* an XLSX file's worksheet, by name or number (NULL: the first) */
	cj_import_cb cb;
} cj_setup_import_opts;

typedef struct cj_setup_import_result {
	char encoding[24];
	size_t rows;       /* added (with dry_run: that would be) */
	size_t counties;   /* organisations by level */
	size_t townships;
	size_t villages;
	size_t nproblems;  /* reported through cb.problem */
} cj_setup_import_result;

/**
 * Add the organisations of a file.
 * @return 0; CJ_EINVAL when the file has problems (each through
 *         cb.problem, nothing written); otherwise an error with its message
 *         on db, naming the file and the row the database refused
 */
CJ_MUST_CHECK int cj_import_orgs(cj_db *db, const char *path, const cj_setup_import_opts *opts,
				 cj_setup_import_result *result);

/** Add the sub-accounts of a file; as cj_import_orgs. */
CJ_MUST_CHECK int cj_import_accounts(cj_db *db, const char *path,
				     const cj_setup_import_opts *opts,
				     cj_setup_import_result *result);

/**
 * Add the officials roster of a file (村代码, 姓名, 身份证号, 职务, 任期起,
 * 任期止, 关系, 亲属: R26 of audit scan); as cj_import_orgs.
 */
CJ_MUST_CHECK int cj_import_officials(cj_db *db, const char *path,
				      const cj_setup_import_opts *opts,
				      cj_setup_import_result *result);

#endif
