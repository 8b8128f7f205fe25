/*
 * publication.h - disclosure sheets as published: kept in the database
 * (schema 0030) with their stamp, listed for boards and the public, served
 * as files and as tables, and checked against the books now
 *
 * Publishing (cj_pub_publish) makes a village's sheets as `cunji disclose`
 * does and keeps both files as they are posted.  The public reads them only
 * through the database's public_* functions, as the login cunji_public,
 * which may read no table (cj_pub_reader_password gives it a fresh
 * password each time a public server starts).  Errors are left on the db
 * handle (cj_db_errmsg).  See docs/web.md.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_PUBLICATION_H
#define CUNJI_REPORTS_PUBLICATION_H

#include <stddef.h>
#include <stdint.h>

#include <ledger/ledger.h>
#include <reports/disclosure.h>
#include <reports/report.h>

/** The login the public server connects as (schema 0030). */
#define CJ_PUB_READER "cunji_public"

/** One published sheet (a village, a period, one publication). */
typedef struct cj_pub_sheet {
	int64_t id;
	char village[40];
	char village_name[200], township_name[200], county_name[200];
	char period[16];         /* 2025Q4, 2025-12, 2025 */
	char period_label[64];   /* 2025年第四季度 */
	cj_date posted_on;       /* 公开日期 printed on it */
	char published_at[24];   /* YYYY-MM-DD HH:MM, the server's time zone */
	char published_by[64];   /* the login; "" in the public list */
	long vouchers;           /* vouchers its digest covers */
	int superseded;          /* a later publication of the same period exists */
} cj_pub_sheet;

/**
 * Make the village's sheets for the period (`cunji disclose --level village`,
 * the chain's head now, posted_on as cj_dis_request's) and keep both files
 * as published; *out (may be NULL) describes the new publication.  The
 * database decides who may (admins and bookkeepers of the village).
 */
CJ_MUST_CHECK int cj_pub_publish(cj_db *db, const char *village, cj_span period, cj_date posted_on,
				 cj_pub_sheet *out);

/**
 * The sheets published, latest first within a village: mine != 0 reads the
 * table as the connection's login may (a board: its village), with who
 * published; mine == 0 reads what the public sees (public_sheets()).
 * village: one village's code, or NULL for all.  *out malloc'd.
 */
CJ_MUST_CHECK int cj_pub_list(cj_db *db, int mine, const char *village, cj_pub_sheet **out,
			      size_t *n);

/** A published file, format "xlsx" or "pdf": *data malloc'd, name its download name.
 * CJ_ENOTFOUND when there is none. */
CJ_MUST_CHECK int cj_pub_file(cj_db *db, int64_t id, const char *format, char **data,
			      size_t *len, char *name, size_t namesize);

/** What the books say of a published sheet now. */
typedef struct cj_pub_check {
	long vouchers_then, vouchers_now;
	int same_books;   /* the first vouchers_then vouchers are the ones it was made from */
	int anchor_holds; /* the chain still has the head printed on it */
	cj_dis_verdict verdict;
	char hotline[80], hotline_owner[200]; /* the local number, "" when none is set */
} cj_pub_check;

/** Check a published sheet; CJ_ENOTFOUND when no sheet has that id. */
CJ_MUST_CHECK int cj_pub_check_sheet(cj_db *db, int64_t id, cj_pub_check *out);

/**
 * The published sheet whose QR code text (the anchor: cunji-anchor-v1
 * village=... seq=... head=... period=...) is qr; CJ_EINVAL when qr is no
 * anchor, CJ_ENOTFOUND when no published sheet carries it.
 */
CJ_MUST_CHECK int cj_pub_of_anchor(cj_db *db, const char *qr, int64_t *id);

/**
 * The worksheets of a published XLSX as a report model (one table per
 * worksheet, every cell as text, rows as in the file) to show as a page.
 */
CJ_MUST_CHECK int cj_pub_sheet_report(const char *xlsx, size_t len, const char *title,
				      cj_report **out);

/**
 * Give the public reader (CJ_PUB_READER) a new random password, into
 * password (its SCRAM verifier is all the server sees).  Admins only.
 */
CJ_MUST_CHECK int cj_pub_reader_password(cj_db *db, char password[65]);

#endif
