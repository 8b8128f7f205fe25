/*
 * demo.h - the demo county: 靖安县 with a year of books (ledger_demo)
 *
 * cj_demo_build fills an empty database with a sample county: 11 townships
 * and their villages, a year of ordinary vouchers per village written as
 * the CSV files clerks send (one per township, some in GBK) and imported
 * through the importers' bulk path, earmarked funds with projects and aid,
 * a member register and a distribution paid to every household, the
 * year-end close, and the county's three-level disclosure sheets.  The
 * figures are random but reproducible: each village's generator is seeded by
 * its index.  Everything goes through the same library calls as the tool,
 * so the database checks every rule on the way.
 *
 * The library never prints: the problems of a generated file and progress
 * reach the caller through the callbacks every library takes (cj_callbacks,
 * <ledger/callbacks.h>).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_DEMO_DEMO_H
#define CUNJI_DEMO_DEMO_H

#include <stdint.h>

#include <ledger/callbacks.h>
#include <ledger/db.h>
#include <ledger/login.h>

#define CJ_DEMO_COUNTY "360925" /* 靖安县 */
#define CJ_DEMO_TOWNSHIPS 11
/* What the demo takes (cj_demo_opts): the defaults, and more is not a demo */
#define CJ_DEMO_VILLAGES 75
#define CJ_DEMO_VOUCHERS 240
#define CJ_DEMO_YEAR 2025
#define CJ_DEMO_MAX_VILLAGES 5000
#define CJ_DEMO_MAX_VOUCHERS 100000
#define CJ_DEMO_FIRST_YEAR 2000
#define CJ_DEMO_LAST_YEAR 2100

typedef struct cj_demo_opts {
	long villages;              /* over the 11 townships (default CJ_DEMO_VILLAGES) */
	long vouchers;              /* ordinary vouchers per village (default CJ_DEMO_VOUCHERS) */
	int year;                   /* default CJ_DEMO_YEAR */
	const char *files_dir;      /* the generated CSV files (created; default demo-out/import) */
	const char *disclosure_dir; /* the disclosure sheets (default demo-out/disclosure) */
	int jobs;                   /* processes making the sheets (default 2) */
	/* problems of a generated file (then nothing of it is imported); progress,
	 * the phase naming what is done ("villages", "<file>: reading", ...) */
	cj_callbacks cb;
} cj_demo_opts;

typedef struct cj_demo_result {
	long villages, vouchers;            /* villages made, vouchers imported */
	long xj_villages, projects, tranches, accepted;
	long fx_villages, aid_payments, households;
	long dividend_villages, no_dividend;
	int64_t xj_fen, project_paid_fen, aid_fen, dividend_fen;
	long disclosure_files;
	long anomalies;                     /* planted for audit scan (demo_anomalies.c) */
	/* seconds each phase took */
	double setup_s, logins_s, import_s, funds_s, close_s, disclosure_s;
} cj_demo_result;

/* One login of each kind, which cj_demo_build adds (docs/roles.md); the
 * passwords are the demo's own.  The list ends with a NULL login. */
typedef struct cj_demo_login {
	const char *login, *name;
	cj_login_kind kind;
	const char *scope; /* an organisation's code; NULL for the admin */
	const char *password;
} cj_demo_login;
extern const cj_demo_login cj_demo_logins[];

/**
 * Build the demo county in db, which must hold no organisations yet (a
 * scratch database: see cj_cluster_recreate_db).  opts fields left 0 or
 * NULL take their defaults.  Returns 0, or a cj_status with the message on
 * db (CJ_EINVAL: a generated file had problems, each passed to on_error).
 */
CJ_MUST_CHECK int cj_demo_build(cj_db *db, const cj_demo_opts *opts, cj_demo_result *out);

#endif
