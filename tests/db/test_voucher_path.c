/*
 * test_voucher_path.c - the voucher's path (schema 0016): drafts, review,
 * rejection and posting, through the library and through raw SQL as each
 * login, matched on SQLSTATE.
 *
 * Logins of migration 0015 play the parts: a bookkeeper prepares (制单,
 * alice), a reviewer reviews (审核, bob), another bookkeeper (carol) is
 * neither; the admin login sets up the books and the setting.  A refusal
 * is asked of the login itself (refused_as): where a privilege of 0015
 * refuses before the path's own rule, the SQLSTATE is 42501.  What is proved: the preparer cannot review (or reject)
 * their own voucher; nobody edits a reviewed or posted voucher; only posted
 * vouchers count; posted numbers stay gapless whatever drafts were deleted;
 * who and when cannot be forged; a batch is reviewed and posted whole; a
 * month with drafts is not closed; where review is required nothing skips
 * it, and where it is not, posting is immediate.
 *
 * Runs against a real PostgreSQL: the embedded cluster started by ctest.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>

#include <cmocka.h>

#include "testdb.h"

#define PREPARER "vp_zhang"
#define REVIEWER "vp_li"
#define OTHER "vp_wang"

static cj_db *db;                   /* the admin login: books, setting */
static cj_db *alice, *bob, *carol;  /* preparer, reviewer, another bookkeeper */
static cj_poster *alice_poster;
static int v1, v2;

static cj_db *
connect_as(const char *login)
{
	char home[PATH_MAX], err[512];
	cj_db *c = NULL;

	assert_int_equal(cj_cluster_home(home, sizeof home, err, sizeof err), 0);
	if (cj_cluster_connect_as(home, "test_voucher_path", login, "cj-test-pw", &c, err,
				  sizeof err)) {
		fprintf(stderr, "connect as %s: %s\n", login, err);
		exit(1);
	}
	return c;
}

/* SQL that the database must refuse to login c itself (testdb_refused asks
 * the superuser), with SQLSTATE `sqlstate` and, when not NULL, `why` in the
 * message. */
static void
refused_as(cj_db *c, const char *sql, const char *sqlstate, const char *why)
{
	PGresult *res = PQexec(cj_db_conn(c), sql);
	const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	if (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK)
		fail_msg("the database accepted what it must refuse: %s", sql);
	if (!st || strcmp(st, sqlstate) || (why && !strstr(PQerrorMessage(cj_db_conn(c)), why)))
		fail_msg("%s: wanted %s (%s), got %s: %s", sql, sqlstate, why ? why : "",
			 st ? st : "", PQerrorMessage(cj_db_conn(c)));
	PQclear(res);
	PQclear(PQexec(cj_db_conn(c), "ROLLBACK"));
}

static void
add_login(const char *login, const char *name, cj_login_kind kind)
{
	const char *scope[] = {"360925100"};

	if (cj_login_add(db, login, name, kind, "cj-test-pw", scope, 1, NULL)) {
		fprintf(stderr, "add login %s: %s\n", login, cj_db_errmsg(db));
		exit(1);
	}
}

static void
review_required(int on)
{
	char sql[512];

	snprintf(sql, sizeof sql,
		 "INSERT INTO cunji.setting (org_id, key, value) "
		 "SELECT id, 'review_required', '%s' FROM cunji.org WHERE code = '360925' "
		 "ON CONFLICT (org_id, key) DO UPDATE SET value = EXCLUDED.value",
		 on ? "true" : "false");
	testdb_ok(db, sql);
}

static int
setup(void **state)
{
	(void)state;
	db = testdb_open("test_voucher_path");
	testdb_orgs(db, &v1, &v2);
	add_login(PREPARER, "张会计", CJ_LOGIN_BOOKKEEPER);
	add_login(REVIEWER, "李主管", CJ_LOGIN_REVIEWER);
	add_login(OTHER, "王会计", CJ_LOGIN_BOOKKEEPER);
	alice = connect_as(PREPARER);
	bob = connect_as(REVIEWER);
	carol = connect_as(OTHER);
	assert_int_equal(cj_poster_new(&alice_poster, alice), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cj_poster_free(alice_poster);
	cj_db_close(alice);
	cj_db_close(bob);
	cj_db_close(carol);
	cj_db_close(db);
	return 0;
}

/* A two-line voucher: cash received as income. */
static cj_voucher
voucher(int village, const char *date, const char *summary, long long fen, cj_line lines[2])
{
	cj_voucher v;

	memset(lines, 0, 2 * sizeof *lines);
	memset(&v, 0, sizeof v);
	lines[0].account = "101";
	lines[0].debit = cj_money_from_fen(fen);
	lines[1].account = "501";
	lines[1].credit = cj_money_from_fen(fen);
	lines[1].counterparty = "承包户甲";
	v.village_id = village;
	assert_int_equal(cj_date_parse(&v.date, date), 0);
	v.summary = summary;
	v.lines = lines;
	v.nlines = 2;
	return v;
}

static int64_t
draft(int village, const char *date, const char *summary, long long fen)
{
	cj_line lines[2];
	cj_voucher v = voucher(village, date, summary, fen, lines);
	int64_t id = 0;

	assert_int_equal(cj_draft_add(alice, &v, 1, &id, NULL), 0);
	assert_true(id > 0);
	return id;
}

static long long
posted_count(int village)
{
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT count(*) FROM cunji.voucher WHERE village_id = %d",
		 village);
	return testdb_int(db, sql);
}

static long long
cash_total(int village)
{
	char sql[200];

	snprintf(sql, sizeof sql,
		 "SELECT coalesce(sum(debit_fen), 0) FROM cunji.account_period_total "
		 "WHERE village_id = %d AND account_code = '101'", village);
	return testdb_int(db, sql);
}

static void
draft_sql(char *buf, size_t size, const char *fmt, int64_t id)
{
	char idtext[24];

	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	snprintf(buf, size, fmt, idtext);
}

/* ------------------------------------------------------------------------ */

/* Where review is required, cunji post makes a draft that counts nowhere;
 * reviewed by another login and posted, it counts. */
static void
test_submit_draft_then_post(void **state)
{
	cj_line lines[2];
	cj_voucher v = voucher(v1, "2025-02-03", "收到承包费", 120000, lines);
	cj_submitted sub;
	cj_posted posted;
	cj_voucher_view view;
	long long before = posted_count(v1), cash = cash_total(v1);
	int req;

	(void)state;
	review_required(1);
	assert_int_equal(cj_review_required(alice, v1, &req), 0);
	assert_true(req);
	assert_int_equal(cj_voucher_submit(alice_poster, &v, 1, &sub), 0);
	assert_true(sub.draft_id > 0);
	assert_int_equal(sub.posted.number, 0);
	/* only posted vouchers count */
	assert_int_equal(posted_count(v1), before);
	assert_int_equal(cash_total(v1), cash);

	assert_int_equal(cj_draft_review(bob, v1, &sub.draft_id, 1, 0, NULL), 0);
	assert_int_equal(posted_count(v1), before);
	/* 记账 is a bookkeeper's, cashier's or admin's: not the reviewer's */
	assert_int_equal(cj_draft_post(bob, v1, &sub.draft_id, 1, 0, &posted, NULL), CJ_EREFUSED);
	assert_string_equal(cj_db_sqlstate(bob), "42501");
	assert_int_equal(cj_draft_post(alice, v1, &sub.draft_id, 1, 0, &posted, NULL), 0);
	assert_int_equal(posted_count(v1), before + 1);
	assert_int_equal(cash_total(v1), cash + 120000);
	assert_int_equal(posted.period.month, 2);
	assert_true(posted.number >= 1);

	/* who did each step, from the database */
	assert_int_equal(cj_voucher_get(alice, v1, posted.period, posted.number, &view), 0);
	assert_int_equal(view.state, CJ_VSTATE_POSTED);
	assert_string_equal(view.prepared.login, PREPARER);
	assert_string_equal(view.reviewed.login, REVIEWER);
	assert_string_equal(view.posted.login, PREPARER);
	/* and each by the full name of the login */
	assert_string_equal(view.prepared.name, "张会计");
	assert_string_equal(view.reviewed.name, "李主管");
	assert_true(view.reviewed.at[0] && view.posted.at[0] && view.prepared.at[0]);
	assert_int_equal(view.draft_id, sub.draft_id);
	assert_int_equal(view.nlines, 2);
	assert_int_equal(view.total.fen, 120000);
	assert_string_equal(view.lines[0].top_name, "库存现金");
	assert_string_equal(view.lines[1].counterparty, "承包户甲");
	cj_voucher_view_free(&view);
	/* the draft's id finds the voucher it became */
	assert_int_equal(cj_draft_get(bob, v1, sub.draft_id, &view), 0);
	assert_int_equal(view.state, CJ_VSTATE_POSTED);
	assert_int_equal(view.number, posted.number);
	cj_voucher_view_free(&view);
}

/* 制单人与审核人不能为同一人: through the library and through raw SQL. */
static void
test_preparer_cannot_review(void **state)
{
	int64_t id = draft(v1, "2025-02-05", "购买办公用品", 3000);
	char sql[256];
	size_t done = 9;

	(void)state;
	review_required(1);
	assert_int_equal(cj_draft_review(alice, v1, &id, 1, 0, &done), CJ_EREFUSED);
	assert_string_equal(cj_db_sqlstate(alice), "CJ050");
	assert_int_equal(done, 0);
	draft_sql(sql, sizeof sql, "UPDATE cunji.draft_voucher SET state = 'reviewed' WHERE id = %s",
		  id);
	refused_as(alice, sql, "CJ050", NULL);
	/* nor set a reviewer of their choosing */
	draft_sql(sql, sizeof sql,
		  "UPDATE cunji.draft_voucher SET state = 'reviewed', reviewed_by = '" REVIEWER
		  "', reviewed_at = now() WHERE id = %s", id);
	refused_as(alice, sql, "CJ050", NULL);
	/* nor reject it */
	assert_int_equal(cj_draft_reject(alice, v1, id, "自己退回"), CJ_EREFUSED);
	assert_string_equal(cj_db_sqlstate(alice), "CJ050");
	/* nor post it unreviewed */
	assert_int_equal(cj_draft_post(alice, v1, &id, 1, 0, NULL, NULL), CJ_EREFUSED);
	assert_string_equal(cj_db_sqlstate(alice), "CJ055");
	/* another bookkeeper may not review it either: reviewing is a reviewer's */
	assert_int_equal(cj_draft_review(carol, v1, &id, 1, 0, &done), CJ_EREFUSED);
	assert_string_equal(cj_db_sqlstate(carol), "42501");
	assert_int_equal(cj_draft_reject(carol, v1, id, "不是我的"), CJ_EREFUSED);
	assert_string_equal(cj_db_sqlstate(carol), "42501");
	/* the reviewer reviews; the database names the reviewer */
	assert_int_equal(cj_draft_review(bob, v1, &id, 1, 0, &done), 0);
	assert_int_equal(done, 1);
	draft_sql(sql, sizeof sql, "SELECT count(*) FROM cunji.draft_voucher WHERE id = %s AND "
				   "reviewed_by = '" REVIEWER "' AND prepared_by = '" PREPARER "'", id);
	assert_int_equal(testdb_int(db, sql), 1);
}

/* Nobody edits a reviewed voucher, nor a posted one; only the preparer
 * edits a draft. */
static void
test_nobody_edits_reviewed_or_posted(void **state)
{
	int64_t id = draft(v1, "2025-02-06", "收到租金", 50000);
	int64_t other = draft(v1, "2025-02-06", "收到租金二", 40000);
	cj_line lines[2];
	cj_voucher v = voucher(v1, "2025-02-06", "改过的摘要", 50000, lines);
	char sql[300];

	(void)state;
	/* before review: another login cannot edit or delete */
	draft_sql(sql, sizeof sql, "UPDATE cunji.draft_voucher SET summary = '别人改' WHERE id = %s",
		  id);
	refused_as(carol, sql, "CJ051", "only its preparer");
	refused_as(bob, sql, "42501", NULL); /* a reviewer updates the state and reason only */
	draft_sql(sql, sizeof sql, "DELETE FROM cunji.draft_voucher WHERE id = %s", id);
	refused_as(carol, sql, "CJ051", "only its preparer");
	refused_as(bob, sql, "42501", NULL);
	draft_sql(sql, sizeof sql, "UPDATE cunji.draft_line SET debit_fen = 1 WHERE draft_id = %s "
				   "AND debit_fen <> 0", id);
	refused_as(carol, sql, "CJ051", "only its preparer");
	/* the preparer can */
	assert_int_equal(cj_draft_update(alice, id, &v), 0);
	assert_int_equal(cj_draft_delete(alice, v1, other), 0);

	assert_int_equal(cj_draft_review(bob, v1, &id, 1, 0, NULL), 0);
	/* reviewed: nobody edits, deletes or adds lines */
	assert_int_equal(cj_draft_update(alice, id, &v), CJ_EREFUSED);
	assert_string_equal(cj_db_sqlstate(alice), "CJ051");
	draft_sql(sql, sizeof sql, "UPDATE cunji.draft_voucher SET summary = '再改' WHERE id = %s", id);
	refused_as(alice, sql, "CJ051", "nobody edits a reviewed voucher");
	refused_as(carol, sql, "CJ051", "nobody edits a reviewed voucher");
	draft_sql(sql, sizeof sql, "DELETE FROM cunji.draft_voucher WHERE id = %s", id);
	refused_as(alice, sql, "CJ051", NULL);
	draft_sql(sql, sizeof sql, "UPDATE cunji.draft_line SET debit_fen = 1 WHERE draft_id = %s "
				   "AND debit_fen <> 0", id);
	refused_as(alice, sql, "CJ051", "nobody edits a reviewed voucher");
	draft_sql(sql, sizeof sql, "DELETE FROM cunji.draft_line WHERE draft_id = %s", id);
	refused_as(alice, sql, "CJ051", NULL);
	draft_sql(sql, sizeof sql,
		  "INSERT INTO cunji.draft_line (village_id, draft_id, line_no, account_code, "
		  "debit_fen) SELECT village_id, id, 9, '101', 5 FROM cunji.draft_voucher WHERE id = %s",
		  id);
	refused_as(alice, sql, "CJ051", NULL);

	/* posted: the draft and the voucher are final */
	assert_int_equal(cj_draft_post(alice, v1, &id, 1, 0, NULL, NULL), 0);
	draft_sql(sql, sizeof sql, "UPDATE cunji.draft_voucher SET summary = '记账后改' WHERE id = %s",
		  id);
	refused_as(alice, sql, "CJ051", NULL);
	refused_as(carol, sql, "CJ051", NULL);
	draft_sql(sql, sizeof sql, "UPDATE cunji.voucher SET summary = '记账后改' WHERE draft_id = %s",
		  id);
	refused_as(alice, sql, "42501", NULL); /* no login updates a voucher */
	testdb_refused(db, sql, "CJ003");      /* nor the superuser, by the rule */
	/* nor posted twice */
	assert_int_equal(cj_draft_post(alice, v1, &id, 1, 0, NULL, NULL), CJ_EREFUSED);
	assert_string_equal(cj_db_sqlstate(alice), "CJ055");
}

/* 标错: the reason is kept, the draft goes back to its preparer, who
 * corrects it; only then is it reviewed. */
static void
test_reject(void **state)
{
	int64_t id = draft(v1, "2025-02-07", "支付电费", 8000);
	cj_line lines[2];
	cj_voucher v = voucher(v1, "2025-02-07", "支付电费（附发票）", 8000, lines);
	cj_voucher_view view;
	char sql[300];

	(void)state;
	assert_int_equal(cj_draft_reject(bob, v1, id, ""), CJ_EINVAL);
	draft_sql(sql, sizeof sql, "UPDATE cunji.draft_voucher SET state = 'rejected' WHERE id = %s",
		  id);
	refused_as(bob, sql, "CJ055", "needs its reason");
	assert_int_equal(cj_draft_reject(bob, v1, id, "缺少发票"), 0);
	/* rejected: not reviewed until its preparer corrects it */
	assert_int_equal(cj_draft_review(bob, v1, &id, 1, 0, NULL), CJ_EREFUSED);
	assert_string_equal(cj_db_sqlstate(bob), "CJ055");
	assert_int_equal(cj_draft_get(alice, v1, id, &view), 0);
	assert_int_equal(view.state, CJ_VSTATE_REJECTED);
	assert_string_equal(view.reject_reason, "缺少发票");
	assert_string_equal(view.rejected.login, REVIEWER);
	cj_voucher_view_free(&view);

	assert_int_equal(cj_draft_update(alice, id, &v), 0);
	assert_int_equal(cj_draft_get(alice, v1, id, &view), 0);
	assert_int_equal(view.state, CJ_VSTATE_DRAFT);
	assert_string_equal(view.summary, "支付电费（附发票）");
	assert_string_equal(view.reject_reason, "缺少发票"); /* kept */
	cj_voucher_view_free(&view);
	assert_int_equal(cj_draft_review(bob, v1, &id, 1, 0, NULL), 0);
	/* a reviewed draft may still be sent back before posting */
	assert_int_equal(cj_draft_reject(bob, v1, id, "金额有误"), 0);
	draft_sql(sql, sizeof sql, "SELECT count(*) FROM cunji.draft_event WHERE draft_id = %s "
				   "AND action = 'reject'", id);
	assert_int_equal(testdb_int(db, sql), 2);
	draft_sql(sql, sizeof sql, "SELECT count(*) FROM cunji.draft_event WHERE draft_id = %s "
				   "AND reason = '缺少发票' AND by_user = '" REVIEWER "'", id);
	assert_int_equal(testdb_int(db, sql), 1);
	assert_int_equal(cj_draft_delete(alice, v1, id), 0);
}

/* Numbers are given at posting: deleted drafts leave no gap. */
static void
test_gapless_after_deleted_drafts(void **state)
{
	int64_t ids[4];
	cj_posted posted[3];
	int64_t post[3];
	cj_posted first;
	cj_poster *p;
	char sql[256];

	(void)state;
	review_required(0);
	assert_int_equal(cj_poster_new(&p, db), 0);
	assert_int_equal(testdb_post2(p, v2, "2025-03-01", "101", "501", 100, &first), 0);
	cj_poster_free(p);
	assert_int_equal(first.number, 1);
	review_required(1);
	ids[0] = draft(v2, "2025-03-02", "一", 100);
	ids[1] = draft(v2, "2025-03-03", "二", 100);
	ids[2] = draft(v2, "2025-03-04", "三", 100);
	ids[3] = draft(v2, "2025-03-05", "四", 100);
	assert_int_equal(cj_draft_delete(alice, v2, ids[1]), 0);
	post[0] = ids[3];
	post[1] = ids[0];
	post[2] = ids[2];
	assert_int_equal(cj_draft_review(bob, v2, post, 3, 0, NULL), 0);
	assert_int_equal(cj_draft_post(alice, v2, post, 3, 0, posted, NULL), 0);
	/* in date order within the posting, after the month's last */
	assert_int_equal(posted[1].number, 2);
	assert_int_equal(posted[2].number, 3);
	assert_int_equal(posted[0].number, 4);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM cunji.voucher WHERE village_id = %d AND period = '2025-03-01' "
		 "AND number BETWEEN 1 AND 4", v2);
	assert_int_equal(testdb_int(db, sql), 4);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher_number_problems()"), 0);
}

/* Who and when come from the session; client values are refused or
 * overwritten. */
static void
test_forged_who_and_when(void **state)
{
	char sql[1024];
	int64_t id;

	(void)state;
	review_required(0);
#define RAW_VOUCHER(extra_cols, extra_vals)                                                   \
	"INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, summary, "     \
	"content_hash" extra_cols ") VALUES (%d, nextval('cunji.voucher_id_seq'), '2025-04-01', " \
	"public.reserve_numbers(%d, '2025-04-01', 1) + 1, '2025-04-02', '手工', 'x'" extra_vals \
	"); INSERT INTO cunji.voucher_line (village_id, voucher_id, line_no, period, "           \
	"account_code, debit_fen, credit_fen) VALUES (%d, currval('cunji.voucher_id_seq'), 1, "  \
	"'2025-04-01', '101', 10, 0), (%d, currval('cunji.voucher_id_seq'), 2, '2025-04-01', "   \
	"'501', 0, 10)"
	/* an honest hand-typed voucher is accepted and recorded as the session's */
	snprintf(sql, sizeof sql, "BEGIN; " RAW_VOUCHER("", "") "; COMMIT", v1, v1, v1, v1);
	testdb_ok(alice, sql);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher WHERE summary = '手工' "
					"AND posted_by = '" PREPARER "' AND prepared_by = '" PREPARER
					"'"),
			 1);
	snprintf(sql, sizeof sql, RAW_VOUCHER(", posted_by", ", 'mallory'"), v1, v1, v1, v1);
	refused_as(alice, sql, "42501", NULL); /* 0015: not a column a login names */
	snprintf(sql, sizeof sql, RAW_VOUCHER(", posted_at", ", '2020-01-01'"), v1, v1, v1, v1);
	refused_as(alice, sql, "42501", NULL);
	/* 0020: who prepared and reviewed it are not columns a login names either */
	snprintf(sql, sizeof sql, RAW_VOUCHER(", prepared_by", ", '" REVIEWER "'"), v1, v1, v1, v1);
	refused_as(alice, sql, "42501", "voucher");
	snprintf(sql, sizeof sql, RAW_VOUCHER(", reviewed_by", ", '" REVIEWER "'"), v1, v1, v1, v1);
	refused_as(alice, sql, "42501", NULL);
	snprintf(sql, sizeof sql, RAW_VOUCHER(", preparer", ", '" REVIEWER "'"), v1, v1, v1, v1);
	refused_as(alice, sql, "42501", NULL);
	/* the honest voucher's preparer is the session's login too */
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher WHERE summary = '手工' "
					"AND preparer = '" PREPARER "'"),
			 1);
	/* a voucher claiming a draft: only post_drafts() writes those */
	id = draft(v1, "2025-04-03", "草稿", 10);
	assert_int_equal(cj_draft_review(bob, v1, &id, 1, 0, NULL), 0);
	snprintf(sql, sizeof sql,
		 RAW_VOUCHER(", draft_id, prepared_by, reviewed_by, reviewed_at",
			     ", %lld, '" PREPARER "', '" REVIEWER "', now()"),
		 v1, v1, (long long)id, v1, v1);
	refused_as(alice, sql, "42501", NULL); /* 0020: nor the draft it came from */
	refused_as(bob, sql, "42501", NULL); /* a reviewer posts no such voucher at all */
	refused_as(alice, "INSERT INTO cunji.draft_posting VALUES (txid_current())", "42501", NULL);
	/* nor may a login mark a draft posted */
	draft_sql(sql, sizeof sql,
		  "UPDATE cunji.draft_voucher SET state = 'posted', voucher_id = (SELECT max(id) FROM "
		  "cunji.voucher) WHERE id = %s", id);
	refused_as(alice, sql, "CJ053", NULL);
	refused_as(bob, sql, "42501", NULL); /* a reviewer may not name voucher_id */

	/* a draft's who and state are the database's: a login names none of them
	 * (0020), and the trigger overwrites them for the owner */
	snprintf(sql, sizeof sql,
		 "INSERT INTO cunji.draft_voucher (village_id, voucher_date, summary, prepared_by, "
		 "prepared_at, state, reviewed_by, reviewed_at) VALUES (%d, '2025-04-04', '伪造', "
		 "'" REVIEWER "', '2020-01-01', 'reviewed', '" REVIEWER "', '2020-01-01')", v1);
	refused_as(alice, sql, "42501", "draft_voucher");
	snprintf(sql, sizeof sql,
		 "INSERT INTO cunji.draft_voucher (village_id, voucher_date, summary) "
		 "VALUES (%d, '2025-04-04', '伪造')", v1);
	testdb_ok(alice, sql);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.draft_voucher WHERE summary = "
					"'伪造' AND prepared_by = '" PREPARER "' AND state = 'draft' "
					"AND reviewed_by IS NULL AND prepared_at > '2020-01-02'"),
			 1);
	refused_as(alice, "UPDATE cunji.draft_voucher SET prepared_by = '" REVIEWER
				  "' WHERE summary = '伪造'",
			   "CJ052", "never change");
	testdb_ok(alice, "DELETE FROM cunji.draft_voucher WHERE summary = '伪造'");

	/* where review is required, nothing skips it */
	review_required(1);
	snprintf(sql, sizeof sql, RAW_VOUCHER("", ""), v1, v1, v1, v1);
	refused_as(alice, sql, "CJ053", "requires review");
	assert_int_equal(testdb_post2(alice_poster, v1, "2025-04-05", "101", "501", 10, NULL),
			 CJ_EREFUSED);
	assert_string_equal(cj_db_sqlstate(alice), "CJ053");
	/* the reviewed draft above is posted the proper way */
	assert_int_equal(cj_draft_post(alice, v1, &id, 1, 0, NULL, NULL), 0);
#undef RAW_VOUCHER
}

/*
 * The path's rules in voucher_after_insert (0025, which folded 0016's
 * voucher_path_check into it, and 0037, which folded 0015's voucher_access):
 * one statement trigger of the ledger on voucher's INSERT besides the
 * chain's (0021, voucher_chain), and sees_all(), which every
 * policy asks, in PL/pgSQL (planned once per backend, not in each
 * statement).  A superuser's voucher is not checked for who and when (it
 * could switch the trigger off), but where review is required it is
 * refused like anyone's.
 */
static void
test_path_in_one_trigger(void **state)
{
	char sql[1024];

	(void)state;
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM pg_trigger WHERE tgrelid = "
					"'cunji.voucher'::regclass AND NOT tgisinternal "
					"AND tgtype & 4 <> 0 AND tgtype & 1 = 0"),
			 2); /* INSERT, FOR EACH STATEMENT */
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM pg_trigger WHERE tgrelid = "
					"'cunji.voucher'::regclass AND tgname IN "
					"('voucher_after_insert', 'voucher_chain')"),
			 2);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM pg_proc p JOIN pg_language l "
					"ON l.oid = p.prolang WHERE p.oid = "
					"'cunji.sees_all()'::regprocedure AND l.lanname = 'plpgsql'"),
			 1);

#define SUPER_VOUCHER(extra_cols, extra_vals)                                                 \
	"INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, summary, "     \
	"content_hash" extra_cols ") VALUES (%d, nextval('cunji.voucher_id_seq'), '2025-05-01', " \
	"public.reserve_numbers(%d, '2025-05-01', 1) + 1, '2025-05-02', '%s', 'x'" extra_vals   \
	"); INSERT INTO cunji.voucher_line (village_id, voucher_id, line_no, period, "           \
	"account_code, debit_fen, credit_fen) VALUES (%d, currval('cunji.voucher_id_seq'), 1, "  \
	"'2025-05-01', '101', 10, 0), (%d, currval('cunji.voucher_id_seq'), 2, '2025-05-01', "   \
	"'501', 0, 10)"
	review_required(0);
	snprintf(sql, sizeof sql, "BEGIN; " SUPER_VOUCHER(", prepared_by", ", 'mallory'") "; COMMIT",
		 v1, v1, "超级", v1, v1);
	testdb_ok(testdb_super(db), sql);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher WHERE summary = '超级' "
					"AND prepared_by = 'mallory'"),
			 1);
	review_required(1);
	snprintf(sql, sizeof sql, SUPER_VOUCHER("", ""), v1, v1, "超级2", v1, v1);
	testdb_refused_for(db, sql, "CJ053", "requires review");
	/* and a login's forged voucher is refused first for what it forged: by
	 * the column privileges of 0020, before any trigger runs */
	snprintf(sql, sizeof sql, SUPER_VOUCHER(", reviewed_by", ", '" REVIEWER "'"), v1, v1, "伪",
		 v1, v1);
	refused_as(alice, sql, "42501", "permission denied");
	review_required(0);
#undef SUPER_VOUCHER
}

/* A file's drafts are reviewed and posted as a whole. */
static void
test_batch(void **state)
{
	cj_line lines[5][2];
	cj_voucher v[5];
	int64_t ids[5], batch = 0;
	size_t done = 0, nposted = 0;
	cj_voucher_filter f;
	cj_voucher_row *rows;
	size_t n;

	(void)state;
	review_required(1);
	for (int i = 0; i < 5; i++)
		v[i] = voucher(i < 3 ? v1 : v2, "2025-05-10", "批量导入", 1000 + i, lines[i]);
	assert_int_equal(cj_draft_add(alice, v, 5, ids, &batch), 0);
	assert_true(batch > 0);
	/* listed first */
	memset(&f, 0, sizeof f);
	f.batch_id = batch;
	assert_int_equal(cj_voucher_list(bob, &f, &rows, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(rows[0].state, CJ_VSTATE_DRAFT);
	assert_string_equal(rows[0].prepared_by, PREPARER);
	free(rows);
	/* the preparer reviews none of it */
	assert_int_equal(cj_draft_review(alice, 0, NULL, 0, batch, &done), CJ_EREFUSED);
	assert_string_equal(cj_db_sqlstate(alice), "CJ050");
	/* posting before review: refused, all of it */
	assert_int_equal(cj_draft_post(alice, 0, NULL, 0, batch, NULL, &nposted), CJ_EREFUSED);
	assert_int_equal(nposted, 0);
	assert_int_equal(cj_draft_review(bob, 0, NULL, 0, batch, &done), 0);
	assert_int_equal(done, 5);
	assert_int_equal(cj_draft_post(alice, 0, NULL, 0, batch, NULL, &nposted), 0);
	assert_int_equal(nposted, 5);
	f.has_state = 1;
	f.state = CJ_VSTATE_POSTED;
	assert_int_equal(cj_voucher_list(bob, &f, &rows, &n), 0);
	assert_int_equal(n, 5);
	assert_string_equal(rows[0].reviewed_by, REVIEWER);
	assert_string_equal(rows[0].posted_by, PREPARER);
	free(rows);
	/* nothing left in the batch */
	assert_int_equal(cj_draft_post(alice, 0, NULL, 0, batch, NULL, &nposted), CJ_ENOTFOUND);
}

/* A month is not closed while it holds drafts. */
static void
test_close_with_drafts(void **state)
{
	int64_t id = draft(v2, "2025-06-10", "六月草稿", 500);
	cj_period june = {2025, 6};

	(void)state;
	for (int m = 1; m < 6; m++)
		assert_int_equal(cj_period_close(db, v2, (cj_period){2025, m}, "月结"), 0);
	assert_int_equal(cj_period_close(db, v2, june, "月结"), CJ_EREFUSED);
	assert_string_equal(cj_db_sqlstate(db), "CJ054");
	assert_int_equal(cj_draft_delete(alice, v2, id), 0);
	assert_int_equal(cj_period_close(db, v2, june, "月结"), 0);
	/* and no draft goes into a closed month */
	{
		cj_line lines[2];
		cj_voucher v = voucher(v2, "2025-06-11", "六月补记", 500, lines);
		assert_int_equal(cj_draft_add(alice, &v, 1, NULL, NULL), CJ_ECLOSED);
		assert_string_equal(cj_db_sqlstate(alice), "CJ001");
	}
}

/* A draft posted with an external id has the content hash cj_post_batch
 * gives the same voucher: posting it again is a safe retry. */
static void
test_hash_agrees(void **state)
{
	cj_line lines[2];
	cj_voucher v = voucher(v1, "2025-07-01", "带外部编号", 777, lines);
	cj_posted posted, again;
	int64_t id;

	(void)state;
	review_required(1);
	v.external_id = "EXT-HASH-1";
	v.attachments = 2;
	assert_int_equal(cj_draft_add(alice, &v, 1, &id, NULL), 0);
	assert_int_equal(cj_draft_review(bob, v1, &id, 1, 0, NULL), 0);
	assert_int_equal(cj_draft_post(alice, v1, &id, 1, 0, &posted, NULL), 0);
	review_required(0);
	assert_int_equal(cj_post_batch(alice_poster, &v, 1, &again), 0);
	assert_true(again.existed);
	assert_int_equal(again.id, posted.id);
}

/* The list's filters. */
static void
test_list_filters(void **state)
{
	cj_voucher_filter f;
	cj_voucher_row *rows;
	size_t n;

	(void)state;
	memset(&f, 0, sizeof f);
	f.org_id = v1;
	f.has_min = f.has_max = 1;
	f.min_fen = 120000;
	f.max_fen = 120000;
	assert_int_equal(cj_voucher_list(db, &f, &rows, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].summary, "收到承包费");
	free(rows);
	memset(&f, 0, sizeof f);
	f.preparer = PREPARER;
	f.counterparty = "承包户";
	f.account = "50";
	assert_true(cj_span_parse(&f.span, "2025-03", NULL, 0) == 0);
	f.has_span = 1;
	assert_int_equal(cj_voucher_list(db, &f, &rows, &n), 0);
	assert_int_equal(n, 3); /* the drafts posted in March in v2 ("一", "三", "四") */
	for (size_t i = 0; i < n; i++)
		assert_int_equal(rows[i].state, CJ_VSTATE_POSTED);
	free(rows);
	f.account = "102";
	assert_int_equal(cj_voucher_list(db, &f, &rows, &n), 0);
	assert_int_equal(n, 0);
	free(rows);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_submit_draft_then_post),
		cmocka_unit_test(test_preparer_cannot_review),
		cmocka_unit_test(test_nobody_edits_reviewed_or_posted),
		cmocka_unit_test(test_reject),
		cmocka_unit_test(test_gapless_after_deleted_drafts),
		cmocka_unit_test(test_forged_who_and_when),
		cmocka_unit_test(test_path_in_one_trigger),
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_close_with_drafts),
		cmocka_unit_test(test_hash_agrees),
		cmocka_unit_test(test_list_filters),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
