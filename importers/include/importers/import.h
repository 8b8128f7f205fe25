/*
 * import.h - importing voucher and opening-balance files, whole or not at all
 *
 * cj_import_vouchers posts a CSV or XLSX file of voucher lines (one row per
 * line; rows sharing a 凭证号 within a village form one voucher);
 * cj_import_opening posts a file of opening balances (one voucher of kind
 * 'opening' per village).  Columns are found by their header, in Chinese or
 * English, in any order (docs/importers.md lists them).
 *
 * A file lands whole or not at all, in one transaction:
 *   1. the file is streamed (memory does not grow with its size), each row
 *      checked on its own (dates, amounts, codes) and sent with COPY into a
 *      temporary staging table;
 *   2. set-based queries check every row and voucher against the books
 *      (villages, accounts, funds, projects, balance, periods, external
 *      ids) and every problem, with its row and column, goes to
 *      opts->cb.problem in row order; then nothing is posted;
 *   3. otherwise numbers and ids are reserved and the vouchers and lines go
 *      in with one INSERT ... SELECT each, so the database's own statement
 *      triggers check every rule again, and the file is recorded in
 *      import_log with the SHA-256 of its bytes.
 * Importing the same file again finds it in import_log and posts nothing
 * (result->already_imported).  A voucher whose external id is already posted
 * with the same content is skipped (counted in result->existing); with other
 * content it is an error.  Without an 外部编号 column a voucher's external id
 * is "YYYY-MM/凭证号" (its month and number in the file); an opening
 * voucher's is "opening@YYYY-MM".
 *
 * The library never prints: problems, notes and progress go to callbacks
 * (problem.h).
 * Call it outside a transaction: it runs its own, and sets for the session
 * temp_buffers (when the session has not used a temporary table yet) and for
 * its transaction jit, work_mem and enable_mergejoin (docs/importers.md).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_IMPORTERS_IMPORT_H
#define CUNJI_IMPORTERS_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include <importers/problem.h>
#include <ledger/db.h>

typedef struct cj_import_opts {
	int dry_run;              /* check everything (the inserts too), then roll back */
	int staged;               /* always take the staging path (tests and benchmarks) */
	const char *name;         /* the file as messages name it (default: path) */
	const char *preparer;     /* 制单人 on the vouchers (default "import") */
	const char *village;      /* the village of rows without a 村代码 (none: the column is required) */
	const char *sheet;        /* an XLSX file's worksheet, by name or number (NULL: the first) */
	/* connections the direct path posts over, villages split between them
	 * and the file committed whole by two-phase commit: 0 one per CPU, 1 one
	 * (fewer when the server's max_prepared_transactions is lower; a note
	 * says so) */
	int jobs;
	/* every problem in the file, in row order (row 37, column 借方金额:
	 * "'12,34.5' is not an amount"); notes (columns ignored); progress,
	 * phase "reading" counting bytes, later phases counting steps */
	cj_import_cb cb;
} cj_import_opts;

/** What an import posted (or would post) in one village. */
typedef struct cj_import_village {
	char code[40];
	char name[120];
	size_t vouchers;    /* posted by this import */
	size_t existing;    /* already posted, skipped */
	size_t lines;
	int64_t debit_fen;
	char first[24];     /* numbers posted: "2025-03-5" ... "2025-12-40" */
	char last[24];
} cj_import_village;

typedef struct cj_import_result {
	char encoding[24];     /* "UTF-8", "UTF-8 with BOM", "GB18030", "XLSX" */
	char file_hash[65];    /* SHA-256 of the file's bytes, hex */
	size_t rows;           /* data rows read (empty rows not counted) */
	size_t vouchers;       /* posted (with dry_run: would be) */
	size_t existing;       /* already posted with the same external id and content */
	size_t lines;
	int64_t debit_fen;     /* total debits posted (= credits) */
	size_t nproblems;      /* problems reported through cb.problem */
	int already_imported;  /* this very file was imported before: nothing done */
	int64_t import_id;     /* its import_log row (this import's, or the earlier one) */
	char imported_at[40];  /* when (already_imported) */
	cj_import_village *villages; /* per village, by code; freed by cj_import_result_dispose */
	size_t nvillages;
	double seconds;        /* wall time of the whole import */
	int64_t batch_id;      /* review required: the vouchers were saved as drafts of this
	                        * batch (schema 0016), not posted; 0 when posted */
	int staged;            /* it went through the staging tables (not the direct path) */
	char staged_why[200];  /* why, when the direct path gave the file up ("" otherwise) */
} cj_import_result;

/**
 * Import a file of voucher lines.
 * @return 0 (posted, nothing new, or dry run done); CJ_EINVAL when the file
 *         has problems (result->nproblems, each passed to cb.problem; nothing
 *         posted); otherwise an error whose message is on db (cj_db_errmsg):
 *         the file cannot be read, or the database refused (nothing posted)
 */
CJ_MUST_CHECK int cj_import_vouchers(cj_db *db, const char *path, const cj_import_opts *opts,
		       cj_import_result *result);

/** Import a file of opening balances (期初余额); returns as cj_import_vouchers. */
CJ_MUST_CHECK int cj_import_opening(cj_db *db, const char *path, const cj_import_opts *opts,
		      cj_import_result *result);

/** Free what a result holds (not the struct). */
void cj_import_result_dispose(cj_import_result *result);

#endif
