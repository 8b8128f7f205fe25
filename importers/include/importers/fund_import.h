/*
 * fund_import.h - allocation notices (下达文件) into funds (cunji import funds)
 *
 * Rows of one county and 文号 make one allocation (fund_allocation); each
 * row a fund of its village, the village's part, as `cunji fund allocate`
 * makes them (cj_allocation_add, cj_fund_add); a row may name a project of
 * the village, which then gets the fund in its budget
 * (cj_project_budget_add).  The whole file is checked against itself and
 * the books before anything is written.  Importing it again writes nothing
 * new: an allocation already in the books with the same figures is kept,
 * and so are its funds; another file's rows for it add their funds.
 *
 * Transaction: its own when the caller holds none, else a savepoint in the
 * caller's (a file with problems or a dry run takes back only its own
 * writes).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_IMPORTERS_FUND_IMPORT_H
#define CUNJI_IMPORTERS_FUND_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include <importers/problem.h>
#include <ledger/db.h>

typedef struct cj_fund_import_opts {
	const char *name; /* the file as messages name it (default: its path) */
	int dry_run;      /* write everything, then roll back */
	const char *sheet; /* an XLSX file's worksheet, by name or number (NULL: the first) */
	cj_import_cb cb;
} cj_fund_import_opts;

/** One allocation of the file. */
typedef struct cj_fund_import_alloc {
	char county[40];
	char doc_no[200];
	char name[200];
	int64_t total_fen;
	size_t villages;  /* rows of the file that are its parts */
	int existed;      /* it was in the books before */
} cj_fund_import_alloc;

typedef struct cj_fund_import_result {
	char encoding[24];
	size_t funds;           /* added (with dry_run: that would be) */
	size_t existing;        /* rows whose fund was in the books already */
	size_t new_allocations; /* allocations added */
	size_t budgets;         /* project budget lines added */
	int64_t added_fen;      /* granted by the funds added */
	cj_fund_import_alloc *allocs; /* in file order */
	size_t nallocs;
	size_t nproblems;       /* reported through cb.problem */
} cj_fund_import_result;

/**
 * Import an allocation notice.
 * @return 0; CJ_EINVAL when the file has problems (each through
 *         cb.problem, nothing written); otherwise an error with its message
 *         on db.  Free the result with cj_fund_import_result_dispose
 *         whatever the return.
 */
CJ_MUST_CHECK int cj_import_funds(cj_db *db, const char *path, const cj_fund_import_opts *opts,
				  cj_fund_import_result *result);

void cj_fund_import_result_dispose(cj_fund_import_result *result);

#endif
