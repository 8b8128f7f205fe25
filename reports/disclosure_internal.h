/*
 * disclosure_internal.h - what the disclosure files share: the record of a
 * village's figures that township and county sheets are built from
 *
 * A record has fixed-size fields only (plus two arrays sent after it), so a
 * worker process can write it down a pipe as bytes and the parent read it
 * back: parent and worker are the same executable.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_DISCLOSURE_INTERNAL_H
#define CUNJI_REPORTS_DISCLOSURE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <reports/disclosure.h>

#define DIS_NAME 200

/* A village's fund, as at the period's end (for the allocation tables). */
typedef struct dis_part {
	int64_t allocation_id;      /* 0: a fund of the village's own, not a county allocation */
	char fund_name[DIS_NAME];
	char doc_no[80];
	char source[16];
	int64_t granted_fen, received_fen, spent_fen; /* up to the end */
	long villages;              /* summed parts: how many villages */
} dis_part;

/* A project, as at the period's end (for the township's progress table). */
typedef struct dis_project {
	char name[DIS_NAME];
	char category[64];
	char progress[16]; /* 未开工, 实施中, 已验收 */
	int64_t budget_fen, paid_fen;
} dis_project;

/* Every figure of a village sheet that a summary repeats. */
typedef struct dis_figures {
	int village_id, township_id;
	char code[40], name[DIS_NAME];
	int64_t income_fen, expense_fen, operating_fen;   /* the period, 收支情况 */
	int64_t fund_open_fen, fund_in_fen, fund_out_fen, fund_left_fen; /* 专项资金 */
	long projects, projects_accepted;
	int64_t project_budget_fen, project_paid_fen;     /* paid up to the end */
	int64_t fx_open_fen, fx_in_fen, fx_out_fen, fx_left_fen; /* 防返贫基金 funds */
	long aid_count;
	int64_t aid_fen;
	int open_from;          /* the period's first month not closed in the books; 0: all closed */
	cj_dis_digest digest;
	cj_anchor_head anchor;  /* its chain's head, as its sheets print it */
	size_t nparts, nprojects;
	dis_part *parts;        /* not part of the bytes sent: follow the record */
	dis_project *project_list;
} dis_figures;

void cj__dis_figures_free(dis_figures *f);

/* Names and numbers of an organisation and those above it. */
typedef struct dis_org {
	int id;
	cj_org_level level;
	char code[40], name[DIS_NAME];
	char township_code[40], township_name[DIS_NAME];
	char county_code[40], county_name[DIS_NAME];
	char hotline[80], hotline_owner[DIS_NAME];
	char check_url[256]; /* the public check page's address (check_url()); "" when unset */
} dis_org;

CJ_MUST_CHECK int cj__dis_org_load(cj_db *db, int org_id, dis_org *out);

/* A disclosure period (a month, a quarter or a year) with what the sheets print. */
typedef struct dis_period {
	cj_span span;
	int year, first_month, last_month;
	cj_date from, to;                /* first and last day */
	char tag[CJ_SPAN_TEXT_MAX];      /* 2025Q4, 2025-12, 2025: file names and stamps */
	char label[CJ_SPAN_TEXT_MAX];    /* 2025年第四季度, 2025年12月, 2025年度 */
} dis_period;
/* The period of a span; CJ_EINVAL (on db) for a range of months. */
CJ_MUST_CHECK int cj__dis_period_of(cj_db *db, cj_span span, dis_period *out);

/* Text pieces every sheet shares. */
void cj__dis_date_cn(char *buf, size_t size, cj_date d);        /* 2025年12月31日 */
cj_date cj__dis_posted_on(const dis_period *p, cj_date given); /* the default 公开日期 */
cj_date cj__dis_add_days(cj_date d, int days);
/* Notes with the disclosure dates and the hotlines; footer with the digest. */
int cj__dis_common_notes(cj_report *r, const dis_org *o, cj_date posted);
int cj__dis_footer(cj_report *r, const cj_dis_digest *d, const dis_period *p, const dis_org *o,
		   const cj_anchor *a);
/* A township's or county's sheet: the heads its villages' sheets printed (malloc'd). */
CJ_MUST_CHECK int cj__dis_group_anchor(cj_db *db, const char *code, const dis_period *p,
				       const dis_figures *v, size_t n, cj_anchor **out);
/* The most a sheet's QR code holds; a longer group anchor's QR holds count= (anchor.h). */
#define DIS_QR_MAX 700
/* A village sheet's anchor: its chain's head now (seq 0), or at link seq. */
CJ_MUST_CHECK int cj__dis_anchor(cj_db *db, const dis_org *o, const dis_period *p, long seq,
				 cj_anchor *out);
/* The title-area line of a sheet made from books not closed for the whole
 * period (未结账): a village's open months from open_from, or a summary's
 * number of such villages.  Nothing when both are 0. */
int cj__dis_unclosed_line(cj_report *r, const dis_period *p, int open_from, long villages);
/* The first month of the period not closed in a village's books (0: none). */
CJ_MUST_CHECK int cj__dis_open_from(cj_db *db, int village_id, const dis_period *p, int *out);
/* The stamp text for the document keywords. */
char *cj__dis_stamp_text(cj_dis_level level, const char *code, const dis_period *p, cj_date posted,
			 const cj_dis_digest *d, const dis_figures *villages, size_t nvillages,
			 const char *anchor);
/* SHA-256 (hex) of a text, computed by the server (no crypto library here). */
CJ_MUST_CHECK int cj__dis_sha256(cj_db *db, const char *text, char hex[65]);
/* The digest of a group of villages from their own digests. */
CJ_MUST_CHECK int cj__dis_group_digest(cj_db *db, cj_dis_level level, const char *code, cj_date end,
				       const dis_figures *v, size_t n, cj_dis_digest *out);

/* Build a village's sheets and fill its figures (fig may be NULL); anchor_seq as in cj_dis_request. */
CJ_MUST_CHECK int cj__dis_village_build(cj_db *db, int village_id, const dis_period *p,
					cj_date posted, long anchor_seq, cj_report *reports[2],
					dis_figures *fig);

/* The summaries, from the villages' records (in tree order). */
CJ_MUST_CHECK int cj__dis_township_report(cj_db *db, const dis_org *township, const dis_period *p,
					  cj_date posted, const dis_figures *v, size_t n,
					  const cj_dis_digest *digest, const char *stamp,
					  const cj_anchor *anchor, cj_report **out);
typedef struct dis_township_sum {
	int township_id;
	char code[40], name[DIS_NAME];
	long villages, fx_villages; /* all, and those with an anti-risk fund */
	long unclosed;              /* villages whose books are not closed for the period */
	dis_figures total; /* sums of its villages' figures (no lists) */
	/* its villages' funds summed by allocation (allocation_id 0: own funds) */
	dis_part *parts;
	size_t nparts, partcap;
} dis_township_sum;
CJ_MUST_CHECK int cj__dis_township_sum_add(dis_township_sum *s, const dis_figures *v);
void cj__dis_township_sum_free(dis_township_sum *s);
CJ_MUST_CHECK int cj__dis_county_report(cj_db *db, const dis_org *county, const dis_period *p,
					cj_date posted, const dis_township_sum *t, size_t n,
					const cj_dis_digest *digest, const char *stamp,
					const cj_anchor *anchor, cj_report **out);

/* Add a (possibly failing) amount; sets *overflow on overflow. */
static inline int64_t
cj__dis_add(int64_t a, int64_t b, int *overflow)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r)) {
		*overflow = 1;
		return 0;
	}
	return r;
}

#endif
