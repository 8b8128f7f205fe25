/*
 * disclosure.h - the three-level disclosure (三级公开): village sheets,
 * township and county summaries, each stamped with a digest of the books
 *
 * A run builds the sheets of one level for one organisation and, with
 * `all`, every level below it, from one consistent snapshot of the ledger
 * (REPEATABLE READ; worker processes share it with SET TRANSACTION
 * SNAPSHOT).  Each village is queried, built, rendered and freed in turn,
 * so memory does not grow with the county; only a small record of each
 * village's figures is kept, and the township and county sheets are built
 * from those records, so every figure agrees with the village sheet it
 * comes from by construction.
 *
 * Each sheet's footer shows a digest of the books it was made from (see
 * cj_dis_village_digest); the same stamp goes into the document properties
 * (XLSX keywords, PDF Info /Keywords) where cj_dis_verify reads it back.
 * See docs/disclosure.md.
 *
 * Errors are left on the cj_db handle (cj_db_errmsg), as in ledger_core.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_DISCLOSURE_H
#define CUNJI_REPORTS_DISCLOSURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <ledger/ledger.h>
#include <reports/report.h>

typedef enum cj_dis_level { CJ_DIS_VILLAGE, CJ_DIS_TOWNSHIP, CJ_DIS_COUNTY } cj_dis_level;

/** "village", "township", "county" -> level; -1 when unknown. */
CJ_MUST_CHECK int cj_dis_level_parse(const char *text);
const char *cj_dis_level_name(cj_dis_level level);

/* ---- the ledger digest ---- */

#define CJ_DIS_DIGEST_SHORT 16 /* hex digits printed in footers */

typedef struct cj_dis_digest {
	long vouchers;  /* vouchers dated up to the end */
	char hex[65];   /* SHA-256, lower-case hex */
} cj_dis_digest;

/**
 * The digest of a village's books up to `end` (inclusive): SHA-256 over
 *   "cunji-ledger-v1 <village code> <end YYYY-MM-DD>\n"
 * followed by one line per voucher dated up to end, in id (posting) order,
 *   "<id> <YYYY-MM>-<number> <content_hash>"
 * joined by "\n".  content_hash is the voucher's canonical SHA-256 that the
 * posting path stores (ledger/lib/voucher.c), so the digest costs one index
 * scan of the voucher headers.  limit >= 0 digests only the first limit
 * vouchers (verify uses it to tell "added since" from "changed").
 */
CJ_MUST_CHECK int cj_dis_village_digest(cj_db *db, int village_id, cj_date end, long limit,
					cj_dis_digest *out);

/* ---- a run ---- */

enum { CJ_DIS_XLSX = 1, CJ_DIS_PDF = 2 };

typedef struct cj_dis_request {
	cj_dis_level level;
	const char *code;      /* the village, township or county */
	cj_span period;        /* a month, a quarter or a year (a range is refused) */
	int all;               /* also every level below */
	const char *out_dir;   /* write the file tree here; NULL: no files */
	int formats;           /* CJ_DIS_XLSX | CJ_DIS_PDF (default both when 0) */
	FILE *text;            /* also render every sheet as text here (NULL: no) */
	int jobs;              /* worker processes for village files (<= 1: none) */
	cj_date posted_on;     /* 公开日期; year 0: the 15th of the month after the period */
	cj_date today;         /* a period starting after it is refused; year 0: today's date */
	/* the village's chain position shown on its sheets: 0 the head now, else
	 * the head at that position (to make an older sheet again, for --verify) */
	long anchor_seq;
	/* progress after each sheet (phase "sheets"; total counts every sheet
	 * of the run); the one callback convention of the libraries */
	cj_callbacks cb;
} cj_dis_request;

typedef struct cj_dis_result {
	long villages, townships, counties; /* sheets built */
	long files;                         /* files written */
	long vouchers;                      /* vouchers covered by the digests */
	/* villages whose books are not closed for the whole period (the sheets
	 * say 未结账), and the first: "<code> <name>, open from <YYYY-MM>" */
	long unclosed;
	char unclosed_first[320];
} cj_dis_result;

/**
 * Build, render and write the disclosure sheets the request asks for.  The
 * file tree under out_dir:
 *   <county code> <name>/<county code>-<name>-<tag>.xlsx|.pdf
 *   <county code> <name>/<township code> <name>/<township code>-<name>-<tag>.xlsx|.pdf
 *   <county code> <name>/<township code> <name>/<village code>-<name>-<tag>.xlsx|.pdf
 * A village's file holds its 财务公开表 and 项目资金公告公示表 (one PDF, one
 * workbook).  Read-only on the database.  The period is a month, a quarter or
 * a year; a range of months is refused with CJ_EINVAL.  A period that has not begun
 * (after req->today) is refused with CJ_EREFUSED; one whose months are not
 * all closed is disclosed, marked 未结账, and counted in out->unclosed.
 */
CJ_MUST_CHECK int cj_disclose(cj_db *db, const cj_dis_request *req, cj_dis_result *out);

/**
 * A cj_batch_step (<ledger/batch.h>) for many villages (cunji disclose
 * --township): the sheets of one village, as ctx (a cj_dis_request) asks,
 * with its level and code set to the village.  msg says how many files, and
 * when its books are not closed for the period.
 */
struct cj_org;
int cj_dis_village_step(cj_db *db, const struct cj_org *village, void *ctx, char *msg, size_t size);

/* ---- verification ---- */

/** What a sheet's stamp says it was made from (document keywords). */
typedef struct cj_dis_stamp {
	cj_dis_level level;
	char code[40];
	char period[16];
	cj_date end;
	long vouchers;
	char hex[65];
	cj_date posted;  /* 公开日期; year 0 on sheets made before it was stamped */
	long seq;        /* a village sheet's chain position (0: none on the sheet) */
	char head[65];   /* ... and the chain head there, hex */
	char *anchor;    /* the anchor's text (cj_anchor_parse), a group's too; NULL: none */
	/* township and county sheets: each village's voucher count and short digest */
	struct cj_dis_stamp_village {
		char code[40];
		long vouchers;
		char hex[CJ_DIS_DIGEST_SHORT + 1];
	} *villages;
	size_t nvillages;
} cj_dis_stamp;

/** Parse a stamp (the keywords text); CJ_EINVAL when it is not one. */
CJ_MUST_CHECK int cj_dis_stamp_parse(const char *text, cj_dis_stamp *out);
void cj_dis_stamp_free(cj_dis_stamp *st);
/**
 * Read the stamp of a sheet file (XLSX: its keywords property; PDF: the Info
 * /Keywords).  Returns 0, or CJ_EIO / CJ_EINVAL with the reason, naming the
 * file, in err (not a sheet of ours, no stamp, unreadable).
 */
CJ_MUST_CHECK int cj_dis_stamp_read(const char *path, cj_dis_stamp *out, char *err,
				    size_t errlen);

/**
 * The anchor a village sheet or a printed voucher carries (its keywords hold
 * the text of its QR code, cunji-anchor-v1 ...; see <ledger/anchor.h>).
 * 0, or CJ_EIO / CJ_EINVAL with the reason, naming the file, in err.
 */
CJ_MUST_CHECK int cj_sheet_anchor_read(const char *path, cj_anchor *out, char *err, size_t errlen);

/** What the books say of a sheet. */
typedef enum cj_dis_verdict {
	CJ_DIS_STALE = 0,   /* made from these books, which have changed since */
	CJ_DIS_MATCH = 1,   /* the books still say what the sheet says */
	CJ_DIS_FOREIGN = 2, /* not made from these books (another database, or rebuilt) */
	CJ_DIS_REWRITTEN = 3 /* its anchor no longer holds: the village's history was rewritten */
} cj_dis_verdict;

/**
 * Recompute a stamp's digest from the books and say how they compare.
 * *report (malloc'd, free it) says in plain English what was checked and,
 * when they differ, what changed: vouchers added since the sheet was made
 * (listed by village, number, date and summary), villages added or moved;
 * or why the sheet cannot come from these books (the organisation is not
 * here, or its first vouchers are not the ones the sheet was made from).
 * Posted vouchers are never changed or deleted, so the latter means other
 * books; the report then names nothing from these books as the sheet's.
 * A village sheet's anchor (its chain's head when it was made) is checked
 * against the chain now (cj_anchor_check): when link seq no longer has that
 * hash, the verdict is CJ_DIS_REWRITTEN (unless the digest already says
 * CJ_DIS_FOREIGN), and the report says what differs.
 */
CJ_MUST_CHECK int cj_dis_verify(cj_db *db, const cj_dis_stamp *st, cj_dis_verdict *verdict,
				char **report);

/**
 * Make the sheet again from the books now (its organisation, period,
 * 公开日期 and chain position from the stamp; the file's own format, into a
 * scratch directory) and compare the two as a person reads them: every
 * cell of every worksheet of an XLSX, every line of a PDF's text (read
 * with pdftotext).  *ndiff counts the cells or lines that differ; *report
 * (malloc'd) lists them, sheet and cell or page, what the file says and
 * what the books give.  Must not be called inside a transaction.
 */
CJ_MUST_CHECK int cj_dis_compare_figures(cj_db *db, const char *path, const cj_dis_stamp *st,
					 long *ndiff, char **report);

/* ---- building one village's sheets (for tests and embedding) ---- */

/**
 * Build a village's sheets for the period: reports[0] the 财务公开表,
 * reports[1] the 项目资金公告公示表.  posted_on as in cj_dis_request.
 * Free each with cj_report_free.
 */
CJ_MUST_CHECK int cj_dis_village_reports(cj_db *db, int village_id, cj_span period,
					 cj_date posted_on, cj_report *reports[2]);

/** Mask every 18-character resident ID number inside text (in place). */
void cj_dis_mask_ids(char *text);

#endif
