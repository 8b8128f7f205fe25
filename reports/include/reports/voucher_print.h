/*
 * voucher_print.h - 记账凭证 as a bookkeeper prints them: two or three forms
 * to an A4 page, for one voucher, a range of numbers, a month, or drafts
 *
 * The print is a model of forms (one form per printed 记账凭证, a voucher of
 * more lines than a form holds going on over several, 过次页 / 承前页) built
 * from the vouchers as <ledger/voucher_path.h> reads them, and a renderer
 * that lays the forms out: title 记账凭证, 单位, 日期, 记字第N号, 附单据N张, the
 * table 摘要 | 会计科目 (总账科目, 明细科目) | 借方金额 | 贷方金额, 合计 with the
 * amount in 大写, and the signatures 会计主管 / 记账 / 审核 / 出纳 / 制单 with
 * the names of the logins that posted, reviewed and prepared the voucher.
 * A red reversal's amounts are printed in red (with their minus sign, so a
 * black-and-white copy still reads them as negative); a draft carries
 * 草稿 · 未记账 across its form and in place of its number.
 *
 * Every string a form prints is in the model, so that tests read the print
 * without reading the PDF.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_VOUCHER_PRINT_H
#define CUNJI_REPORTS_VOUCHER_PRINT_H

#include <stddef.h>
#include <stdint.h>

#include <ledger/db.h>
#include <ledger/voucher_path.h>
#include <reports/amount_words.h>

/* The signature boxes, left to right. */
enum { CJ_SIGN_CHIEF, CJ_SIGN_POSTED, CJ_SIGN_REVIEWED, CJ_SIGN_CASHIER, CJ_SIGN_PREPARED,
       CJ_SIGN_N };
/** "会计主管", "记账", "审核", "出纳", "制单". */
const char *cj_vprint_sign_label(int box);

/* Line rows of a form (a continuation form's first row is 承前页). */
#define CJ_VPRINT_ROWS_3UP 5 /* three forms to a page */
#define CJ_VPRINT_ROWS_2UP 8 /* two forms to a page */
#define CJ_VPRINT_ROWS_MAX 8

typedef struct cj_vprint_row {
	char summary[400];    /* 摘要; 承前页 on a continuation form's first row */
	char account[128];    /* 总账科目: "102 银行存款" */
	char detail[400];     /* 明细科目: "102001 农商行", with 往来 / 资金 / 项目 tags */
	int64_t debit, credit; /* fen; a red reversal's are negative */
	int has_debit, has_credit;
} cj_vprint_row;

typedef struct cj_vprint_form {
	size_t voucher;        /* index of the voucher in the set */
	int page, pages;       /* this form's place in its voucher: 1/1, 1/2 ... */
	int draft;             /* not posted: 草稿 · 未记账 across the form */
	int red;               /* a red reversal: amounts in red */
	char unit[240];        /* 单位：周口村 */
	char date[40];         /* 2025年03月05日 */
	char number[64];       /* 记字第7号, or 草稿12 for a draft */
	char attachments[16];  /* "2" of 附单据 2 张 */
	char mark[96];         /* 红字冲销, 草稿 · 未记账（待审核）..., or "" */
	cj_vprint_row rows[CJ_VPRINT_ROWS_MAX];
	size_t nrows;          /* rows used; the rest are ruled blank */
	int last;              /* the voucher's last form: 合计 with 大写 */
	char total_label[16];  /* 合计, or 过次页 */
	int64_t total_debit, total_credit; /* on 过次页, the sums so far */
	char total_words[CJ_AMOUNT_WORDS_MAX + 32]; /* 合计（大写）：壹仟..., last form only */
	char sign[CJ_SIGN_N][128]; /* names in the signature boxes, "" to sign by hand */
	/* the village's chain head when printed: the QR code's text (the anchor
	 * and the voucher; "" none) and its short form under the form */
	char qr[320];
	char chain[96];
} cj_vprint_form;

typedef struct cj_vprint {
	cj_vprint_form *forms;
	size_t nforms;
	size_t nvouchers;
	int per_page;          /* forms to an A4 page: 2 or 3 */
	int rows;              /* line rows per form */
} cj_vprint;

/** What to print: a voucher, a range of numbers, the months of a span, drafts. */
typedef struct cj_vprint_request {
	int village_id;
	/* posted vouchers numbered from..to (YYYY-MM-N), both inclusive; one
	 * voucher when from == to */
	int has_range;
	cj_period from_period, to_period;
	int from_number, to_number;
	/* or the posted vouchers dated in these months */
	int has_span;
	cj_span span;
	int with_drafts;       /* with has_span: the months' drafts too, after them */
	/* or these drafts, by id (草稿N) */
	const int64_t *drafts;
	size_t ndrafts;
	int per_page;          /* 2 or 3 forms to a page; 0: 3 */
} cj_vprint_request;

/**
 * Read the vouchers a request names, posted by month and number, then
 * drafts: *views (free with cj_vprint_views_free).  CJ_ENOTFOUND (with the
 * voucher, range or months named) when there is none, or a number asked
 * for is not a posted voucher.
 */
CJ_MUST_CHECK int cj_vprint_load(cj_db *db, const cj_vprint_request *req,
				 cj_voucher_view **views, size_t *n);
void cj_vprint_views_free(cj_voucher_view *views, size_t n);

/**
 * Lay vouchers out as forms, per_page (2 or 3) to an A4 page.  Pure: builds
 * from the views alone.  Returns 0, or -1 (out of memory, or an amount too
 * large to sum).  Free with cj_vprint_free.
 */
CJ_MUST_CHECK int cj_vprint_build(const cj_voucher_view *views, size_t n, int per_page,
				  cj_vprint *out);
void cj_vprint_free(cj_vprint *p);

/**
 * Write the forms to a PDF at path: A4 portrait, per_page forms to a page
 * with dashed cutting lines between them, the font embedded as in every
 * cunji PDF (reports.md).  Returns 0, or -1 with a one-line message in err
 * (the file is then removed).  *pages (may be NULL) gets the page count.
 */
CJ_MUST_CHECK int cj_vprint_pdf(const cj_vprint *p, const char *path, int *pages, char *err,
				size_t errlen);

/**
 * Put the village's chain head now on every form (cj_vprint_form.qr and
 * .chain), with each voucher's number (or draft) as its identity.
 */
CJ_MUST_CHECK int cj_vprint_anchor(cj_db *db, const cj_voucher_view *views, cj_vprint *p);

/**
 * The whole print: load, build, anchor and write.  0, or a negative cj_status with
 * the message on db.  *nvouchers and *pages (each may be NULL) get what was
 * printed.
 */
CJ_MUST_CHECK int cj_voucher_print(cj_db *db, const cj_vprint_request *req, const char *path,
				   size_t *nvouchers, int *pages);

#endif
