/*
 * member_import.h - a member register file into a village's books
 * (cunji member import, cunji import members)
 *
 * One row per person (CSV or XLSX; docs/importers.md lists the columns):
 * rows with one 户编号 are a household, the row whose 与户主关系 is 户主 its
 * head; household fields (phone, bank, poverty status) and its shares of
 * each type may stand on any one of its rows.  The whole file is checked
 * against itself and the village's register before anything is written,
 * then every household, person and holding goes in with
 * cj_household_import.  A household or ID number already in the register is
 * a problem, so importing a file twice adds nothing.
 *
 * Transaction: its own when the caller holds none, else a savepoint in the
 * caller's (a file with problems or a dry run takes back only its own
 * writes).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_IMPORTERS_MEMBER_IMPORT_H
#define CUNJI_IMPORTERS_MEMBER_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include <importers/problem.h>
#include <ledger/date.h>
#include <ledger/db.h>
#include <ledger/member.h>

typedef struct cj_member_import_opts {
	const char *village; /* the village's code */
	const char *name;    /* the file as messages name it (default: its path) */
	int dry_run;         /* write everything, then roll back */
	const char *sheet; /* an XLSX file's worksheet, by name or number (NULL: the first) */
	cj_import_cb cb;
} cj_member_import_opts;

typedef struct cj_member_import_result {
	char encoding[24];
	size_t households;   /* imported (with dry_run: that would be) */
	size_t people;       /* the heads included */
	int64_t shares_centi;                    /* in hundredths of a share */
	int64_t type_centi[CJ_SHARE_NTYPES];     /* by cj_share_types index */
	int defaulted;       /* some shares had no 股权生效日期: they start on books_start */
	cj_date books_start; /* the first day of the village's books */
	size_t nproblems;    /* reported through cb.problem */
} cj_member_import_result;

/**
 * Import a member file.
 * @return 0; CJ_EINVAL when the file has problems (each through
 *         cb.problem, nothing written); otherwise an error with its message
 *         on db
 */
CJ_MUST_CHECK int cj_import_members(cj_db *db, const char *path,
				    const cj_member_import_opts *opts,
				    cj_member_import_result *result);

#endif
