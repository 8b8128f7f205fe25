/*
 * voucher_path.h - the voucher's path: 制单 (prepare) → 审核 (review) →
 * 记账 (post), and reading a voucher with who did each step
 *
 * Where a county (or township) requires review (cunji.review_required()),
 * a voucher is first a draft: it lives in draft_voucher / draft_line, apart
 * from the books, and counts nowhere (balances, statements and disclosure
 * read posted vouchers only).  Its preparer (the database's session_user)
 * may edit or delete it until it is reviewed; another login reviews it (the
 * database refuses review by the preparer) or rejects it with a reason (标
 * 错), which sends it back to the preparer; a reviewed draft is posted (记
 * 账) by the database function post_drafts(), which gives it the next
 * number of its village and month (so deleted drafts leave no gap) and
 * records who prepared, reviewed and posted it, and when, from the
 * database session.  Where review is not required a voucher is posted at
 * once and its preparer recorded (cj_voucher_submit chooses).
 *
 * Drafts of one call (a file) share a batch id, so that a file's vouchers
 * can be reviewed and posted as a whole.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_VOUCHER_PATH_H
#define CUNJI_LEDGER_VOUCHER_PATH_H

#include <stddef.h>
#include <stdint.h>

#include <ledger/date.h>
#include <ledger/db.h>
#include <ledger/money.h>
#include <ledger/span.h>
#include <ledger/voucher.h>

typedef enum cj_voucher_state {
	CJ_VSTATE_DRAFT,    /* 待审核: prepared, awaiting review */
	CJ_VSTATE_REJECTED, /* 已退回: rejected (标错), back with its preparer */
	CJ_VSTATE_REVIEWED, /* 已审核: awaiting posting */
	CJ_VSTATE_POSTED    /* 已记账: in the books */
} cj_voucher_state;

/** "draft", "rejected", "reviewed", "posted". */
const char *cj_voucher_state_name(cj_voucher_state s);
/** Chinese: 待审核, 已退回, 已审核, 已记账. */
const char *cj_voucher_state_label(cj_voucher_state s);
/** Parse a state name; CJ_EINVAL when unknown. */
CJ_MUST_CHECK int cj_voucher_state_parse(const char *s, cj_voucher_state *out);

/** Who did a step, and when ("" when the step is not done). */
typedef struct cj_actor {
	char login[64]; /* the PostgreSQL login (session_user) */
	char name[128]; /* its full name (app_login.full_name), else the login */
	char at[32];    /* "2025-03-05 14:02:11", the session's time zone */
} cj_actor;

/** Whether vouchers of this village need review (the setting review_required). */
CJ_MUST_CHECK int cj_review_required(cj_db *db, int village_id, int *out);

/** Set review_required on a county or township, by code: on, or off (a
 * township's own value overrides its county's).  Admins only: the database
 * refuses others (42501), and a village (CJ030). */
CJ_MUST_CHECK int cj_review_setting_set(cj_db *db, const char *org_code, int on);

/** A county's or township's setting. */
typedef struct cj_review_setting {
	char code[40];
	char name[200];
	char level[16]; /* "county" or "township" */
	int on;
} cj_review_setting;

/** Every review_required setting the login sees, by code.  Free *rows with free(). */
CJ_MUST_CHECK int cj_review_setting_list(cj_db *db, cj_review_setting **rows, size_t *n);

/* ------------------------------------------------------------------------ */
/* Drafts */

/**
 * Save n vouchers as drafts, in one transaction, all or nothing.  Each is
 * checked as cj_post_batch checks it in C (lines, balance, text) and by the
 * database (accounts of the village, open month).  Opening and reversal
 * vouchers may be drafts; closing vouchers never are.  ids_out (n entries,
 * may be NULL) receives the draft ids, *batch_out (may be NULL) the batch id
 * they share.  v->preparer is ignored: the database records the login.
 */
CJ_MUST_CHECK int cj_draft_add(cj_db *db, const cj_voucher *v, size_t n, int64_t *ids_out,
			       int64_t *batch_out);

/** Replace a draft's content (its preparer only, while not reviewed); it
 * then awaits review again. */
CJ_MUST_CHECK int cj_draft_update(cj_db *db, int64_t draft_id, const cj_voucher *v);

/** Delete a draft (its preparer only, while not reviewed). */
CJ_MUST_CHECK int cj_draft_delete(cj_db *db, int village_id, int64_t draft_id);

/**
 * Review (审核) drafts awaiting review: the n drafts ids of village_id, or
 * (n == 0, batch_id set) every draft of a batch that awaits review.  All or
 * nothing; *done (may be NULL) receives how many were reviewed.  The
 * database refuses (CJ030) a draft prepared by the reviewing login.
 */
CJ_MUST_CHECK int cj_draft_review(cj_db *db, int village_id, const int64_t *ids, size_t n,
				  int64_t batch_id, size_t *done);

/** Reject (标错) a draft awaiting review or reviewed, with the reason, which
 * is kept; it goes back to its preparer. */
CJ_MUST_CHECK int cj_draft_reject(cj_db *db, int village_id, int64_t draft_id,
				  const char *reason);

/**
 * Post (记账) reviewed drafts: the n drafts ids of village_id (posted_out,
 * n entries, may be NULL, receives each one's number), or (n == 0,
 * batch_id set) every reviewed draft of a batch (*nposted receives how
 * many).  One transaction, all or nothing.
 */
CJ_MUST_CHECK int cj_draft_post(cj_db *db, int village_id, const int64_t *ids, size_t n,
				int64_t batch_id, cj_posted *posted_out, size_t *nposted);

/** What cj_voucher_submit did with one voucher. */
typedef struct cj_submitted {
	cj_posted posted;  /* when posted at once */
	int64_t draft_id;  /* when saved as a draft (review required), else 0 */
	int64_t batch_id;  /* the drafts' batch */
} cj_submitted;

/**
 * Post n vouchers at once (cj_post_batch) where review is not required, or
 * save them as drafts where it is (all of them, when any of their villages
 * requires review).  out: n entries.
 */
CJ_MUST_CHECK int cj_voucher_submit(cj_poster *p, const cj_voucher *v, size_t n,
				    cj_submitted *out);

/** cj_voucher_void, as cj_voucher_submit: where review is required the red
 * reversal is a draft, reviewed and posted like any other.  A reversal that
 * leaves cash or bank in credit needs negative_cash_reason (else NULL). */
CJ_MUST_CHECK int cj_voucher_void_submit(cj_poster *p, const cj_voucher_info *orig, cj_date date,
					 const char *preparer, const char *negative_cash_reason,
					 cj_submitted *out);

/* ------------------------------------------------------------------------ */
/* Reading a voucher: every line, its state, who did each step */

typedef struct cj_voucher_view_line {
	int line_no;
	char account[16];        /* the line's (leaf) account */
	char account_name[300];  /* its name with its parents': 银行存款/农商行 */
	char top_code[16];       /* 总账科目: the first-level account */
	char top_name[100];      /* 银行存款 */
	char detail_name[300];   /* 明细科目: the names below it (农商行), "" when none */
	cj_money debit, credit;  /* a red reversal's amounts are negative */
	char summary[400];
	char counterparty[200];
	char fund[64];           /* fund code, "" when none */
	char project[64];        /* project code, "" when none */
} cj_voucher_view_line;

/**
 * What a draft made by a ledger action (project pay and accept, aid pay,
 * dividend post and pay; schema 0032) records when it is posted: its row of
 * draft_action, with the names a reader needs.  action is "" when the
 * voucher carries none.
 */
typedef struct cj_draft_action_view {
	char action[16];          /* "project pay", "project accept", "aid pay", "dividend post",
				     "dividend pay", or "" */
	char project[64];         /* project pay, accept: the project's code */
	char project_name[200];
	char tranche[100];        /* project pay: 预付, 进度款 ... */
	char payee[200];          /* project pay */
	char household[64];       /* aid pay, dividend pay: the household's code */
	char household_name[200]; /* its head (户主) */
	int year;                 /* dividend post, pay */
	int persons;              /* aid pay */
	int households;           /* dividend post: households that share */
	int64_t amount_fen;       /* aid pay: the aid; project accept: the asset's value;
				     dividend post: the households' pool; dividend pay: the household's */
	int64_t distributable_fen; /* dividend post */
	char asset_kind[32];      /* project accept: 经营性, 公益性, 到户 */
	char asset_account[16];   /* project accept: "" for 到户 */
	char date[16];            /* aid paid on, accepted on, declared on: "YYYY-MM-DD" or "" */
	char reason[200];         /* aid pay */
	char together[64];        /* project accept: the other drafts posted with it, "13" */
} cj_draft_action_view;

typedef struct cj_voucher_view {
	cj_voucher_state state;
	int village_id;
	char village_code[40];
	char village_name[200];  /* 单位 */
	int64_t id;              /* the posted voucher's id; 0 before posting */
	int64_t draft_id;        /* the draft it came from; 0 when posted at once */
	int64_t batch_id;        /* the draft's batch; 0 when none */
	cj_period period;
	int number;              /* 记字第 number 号; 0 before posting */
	cj_date date;
	cj_voucher_kind kind;
	char summary[400];
	int attachments;         /* 附单据 N 张 */
	char external_id[200];
	char negative_cash_reason[400];
	cj_actor prepared;       /* 制单 */
	cj_actor reviewed;       /* 审核 */
	cj_actor posted;         /* 记账 */
	cj_actor rejected;       /* the last rejection (标错), if any */
	char reject_reason[400];
	int64_t reverses_id;     /* the voucher this red reversal voids, or 0 */
	char reverses[40];       /* its number "2025-03-7", or "" */
	int64_t reversed_by;     /* the red reversal that voids this one, or 0 */
	char reversed_by_number[40];
	char source_number[800];   /* the paper's 凭证号 a file gave (0026), "" when none */
	char source_preparer[800]; /* the file's 制单人, a name and not a login, "" when none */
	cj_money total;          /* 合计: the sum of the debits */
	cj_draft_action_view action; /* the action its draft carries (pending, or done when posted) */
	cj_voucher_view_line *lines;
	size_t nlines;
} cj_voucher_view;

/** A posted voucher by village and number ("2025-03-7" is period 2025-03,
 * number 7).  Free with cj_voucher_view_free. */
CJ_MUST_CHECK int cj_voucher_get(cj_db *db, int village_id, cj_period period, int number,
				 cj_voucher_view *out);
/** A draft by id (once posted, the voucher it became). */
CJ_MUST_CHECK int cj_draft_get(cj_db *db, int village_id, int64_t draft_id, cj_voucher_view *out);
void cj_voucher_view_free(cj_voucher_view *v);

/* ------------------------------------------------------------------------ */
/* Listing vouchers, posted and drafts */

typedef struct cj_voucher_filter {
	int org_id;             /* a village, or a township or county (its villages); 0: all */
	int has_span;
	cj_span span;           /* voucher dates in these months */
	const char *account;    /* a line on this account or one under it */
	int has_min, has_max;
	int64_t min_fen;        /* with has_min: the voucher's total (合计) at least */
	int64_t max_fen;        /* with has_max: ... and at most */
	const char *counterparty; /* a line's counterparty contains this */
	const char *fund;       /* a line tagged with this fund code */
	const char *project;    /* a line tagged with this project code */
	int has_state;
	cj_voucher_state state;
	const char *preparer;   /* prepared by this login */
	int64_t batch_id;       /* drafts of this batch; 0: any */
	size_t limit;           /* at most this many rows; 0: no limit */
} cj_voucher_filter;

typedef struct cj_voucher_row {
	cj_voucher_state state;
	char village_code[40];
	int64_t id, draft_id, batch_id;
	cj_period period;
	int number;
	cj_date date;
	cj_voucher_kind kind;
	char summary[400];
	cj_money total;
	int nlines;
	char prepared_by[64], reviewed_by[64], posted_by[64];
	/* a draft not yet posted: the action it carries (cj_draft_action_view's
	 * action, "" when none), and what it is about */
	char action[16];
	char action_project[64];   /* project code */
	char action_tranche[100];
	char action_household[64]; /* household code */
	int action_year;
} cj_voucher_row;

/** Vouchers matching f, posted first (by village, month, number), then
 * drafts (by village, date, id).  Free *rows with free(). */
CJ_MUST_CHECK int cj_voucher_list(cj_db *db, const cj_voucher_filter *f, cj_voucher_row **rows,
				  size_t *n);

#endif
