/*
 * test_audit_chain.c - the audit trail and the villages' hash chains (schema 0021)
 *
 * Posting a voucher and changing an audited row each add a link to the
 * village's chain; cj_chain_heads and cj_chain_head_of give the head the
 * database keeps, which is the last link's hash recomputed here by hand
 * (SHA-256 over the previous hash and the link's canonical encoding); the
 * trail and the chain refuse every change, even the superuser's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testdb.h"

static cj_db *db;
static cj_poster *poster;
static int v1, v2;

static int
setup(void **state)
{
	(void)state;
	db = testdb_open("test_audit_chain");
	assert_int_equal(cj_poster_new(&poster, db), 0);
	testdb_orgs(db, &v1, &v2);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	cj_poster_free(poster);
	cj_db_close(db);
	return 0;
}

static cj_chain_head
head_of(const char *code)
{
	cj_chain_head h;

	assert_int_equal(cj_chain_head_of(db, code, &h), 0);
	return h;
}

/* A posting adds one link; an audited change one more; the heads of the
 * county list both villages in tree order. */
static void
test_heads_move(void **state)
{
	cj_chain_head before = head_of("360925100301"), after, *heads;
	cj_posted out;
	size_t n;
	char sql[256];

	(void)state;
	assert_int_equal(before.village_id, v1);
	assert_string_equal(before.village_code, "360925100301");
	/* the village's books and chart were audited when it was made */
	assert_true(before.seq > 0);
	assert_int_equal(testdb_post2(poster, v1, "2025-01-05", "101", "501", 1000, &out), 0);
	after = head_of("360925100301");
	assert_int_equal(after.seq, before.seq + 1);
	assert_string_not_equal(after.head, before.head);
	if (cj_account_add(db, v1, "502001", "投资收益一"))
		fail_msg("%s", cj_db_errmsg(db));
	/* the new account, and its parent that stops being a leaf */
	assert_int_equal(head_of("360925100301").seq, after.seq + 2);

	assert_int_equal(cj_chain_heads(db, "360925", &heads, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(heads[0].village_id, v1);
	assert_int_equal(heads[1].village_id, v2);
	assert_int_equal(heads[0].seq, after.seq + 2);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM cunji.chain_link WHERE village_id = %d AND seq = %lld "
		 "AND hash = '%s'", v2, (long long)heads[1].seq, heads[1].head);
	assert_int_equal(testdb_int(db, sql), 1);
	free(heads);

	testdb_fails(db, cj_chain_heads(db, "999999", &heads, &n), CJ_ENOTFOUND, "999999");
	testdb_fails(db, cj_chain_head_of(db, "360925100", &after), CJ_EINVAL, "not a village");
	/* the office's chain: the county and township rows */
	after = head_of(NULL);
	assert_int_equal(after.village_id, 0);
	assert_true(after.seq >= 2);
}

/* The head is SHA-256(previous hash || encoding): the posting's link (kind
 * vouchers2, schema 0040) recomputed from the voucher row in SQL
 * independent of chain_vouchers. */
static void
test_link_recomputed(void **state)
{
	cj_posted out;
	cj_chain_head before, after;
	char sql[2048];

	(void)state;
	before = head_of("360925100302");
	assert_int_equal(testdb_post2(poster, v2, "2025-02-05", "101", "501", 2500, &out), 0);
	after = head_of("360925100302");
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM cunji.voucher v WHERE v.village_id = %d AND v.id = %lld AND "
		 "encode(sha256(convert_to('%s' || '13:cunji-link-v1' || '%zu:%d' || '%zu:%lld' "
		 "|| '9:vouchers2' || '1:1' || length(v.id::text) || ':' || v.id "
		 "|| length(v.number::text) || ':' || v.number || '64:' || v.content_hash || '1:0' "
		 "|| '1:1' || octet_length(v.preparer) || ':' || v.preparer "
		 "|| octet_length(v.prepared_by::text) || ':' || v.prepared_by "
		 "|| '18446744073709551615:' || octet_length(v.posted_by) || ':' || v.posted_by, "
		 "'UTF8')), 'hex') = '%s'",
		 v2, (long long)out.id, before.head, strlen("0") + (v2 >= 10),
		 v2, (size_t)snprintf(NULL, 0, "%lld", (long long)after.seq), (long long)after.seq,
		 after.head);
	assert_int_equal(testdb_int(db, sql), 1);
}

/* Whether link seq of village's chain (kind vouchers2) is SHA-256 over the
 * link before it and the encoding of the vouchers its refs name, in their
 * order: recomputed in SQL field by field, independent of chain_vouchers
 * (docs/audit.md).  The test's vouchers have no external ids. */
static int
link_holds(int village, int64_t seq)
{
	char sql[4096];

	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM cunji.chain_link l JOIN cunji.chain_link p\n"
		 "    ON p.village_id = l.village_id AND p.seq = l.seq - 1\n"
		 " WHERE l.village_id = %d AND l.seq = %lld AND l.kind = 'vouchers2' AND l.hash =\n"
		 "  encode(sha256(convert_to(p.hash || '13:cunji-link-v1' || length(l.village_id::text)\n"
		 "   || ':' || l.village_id || length(l.seq::text) || ':' || l.seq || '9:vouchers2'\n"
		 "   || (SELECT length(count(*)::text) || ':' || count(*)\n"
		 "        || length(string_agg(v.id::text, ',' ORDER BY u.o)) || ':'\n"
		 "        || string_agg(v.id::text, ',' ORDER BY u.o)\n"
		 "        || length(string_agg(v.number::text, ',' ORDER BY u.o)) || ':'\n"
		 "        || string_agg(v.number::text, ',' ORDER BY u.o)\n"
		 "        || length(string_agg(v.content_hash, '' ORDER BY u.o)) || ':'\n"
		 "        || string_agg(v.content_hash, '' ORDER BY u.o) || '1:0'\n"
		 "        || CASE WHEN count(DISTINCT w.who) = 1 THEN '1:1' || min(w.who)\n"
		 "                ELSE length(count(*)::text) || ':' || count(*)\n"
		 "                     || string_agg(w.who, '' ORDER BY u.o) END\n"
		 "         FROM unnest(l.refs) WITH ORDINALITY u(id, o)\n"
		 "         JOIN cunji.voucher v ON v.village_id = l.village_id AND v.id = u.id\n"
		 "         CROSS JOIN LATERAL (SELECT octet_length(v.preparer) || ':' || v.preparer\n"
		 "             || coalesce(octet_length(v.prepared_by::text) || ':' || v.prepared_by,\n"
		 "                         '18446744073709551615:')\n"
		 "             || coalesce(octet_length(v.reviewed_by::text) || ':' || v.reviewed_by,\n"
		 "                         '18446744073709551615:')\n"
		 "             || octet_length(v.posted_by) || ':' || v.posted_by AS who) w),\n"
		 "   'UTF8')), 'hex')",
		 village, (long long)seq);
	return testdb_int(db, sql);
}

/* One statement of several vouchers a village: one link; who made them
 * written once when they agree (round 0), else voucher by voucher (round
 * 1); round 2 posts into two villages at once, the second village's
 * vouchers agreeing among themselves but not with the statement's first
 * voucher (chain_vouchers' other way to find that they agree). */
static void
test_batch_links(void **state)
{
	static const char *const preparers[3][3] = {{"张会计", "张会计", "张会计"},
						    {"张会计", NULL, "李出纳"},
						    {"张会计", "李出纳", "李出纳"}};
	cj_line lines[3][2];
	cj_voucher v[3];
	cj_posted out[3];
	char sql[256];

	(void)state;
	for (int round = 0; round < 3; round++) {
		int village = round == 2 ? v2 : v1;
		const char *code = round == 2 ? "360925100302" : "360925100301";
		cj_chain_head before = head_of(code), after;

		memset(lines, 0, sizeof lines);
		memset(v, 0, sizeof v);
		for (int i = 0; i < 3; i++) {
			lines[i][0].account = "101";
			lines[i][0].debit = cj_money_from_fen(100 + i);
			lines[i][1].account = "501";
			lines[i][1].credit = cj_money_from_fen(100 + i);
			v[i].village_id = round == 2 && i == 0 ? v1 : village;
			assert_int_equal(cj_date_parse(&v[i].date, "2025-03-05"), 0);
			v[i].summary = "批量凭证";
			v[i].preparer = preparers[round][i];
			v[i].lines = lines[i];
			v[i].nlines = 2;
		}
		assert_int_equal(cj_post_batch(poster, v, 3, out), 0);
		after = head_of(code);
		assert_int_equal(after.seq, before.seq + 1);
		snprintf(sql, sizeof sql,
			 "SELECT cardinality(refs) FROM cunji.chain_link WHERE village_id = %d AND seq = %lld",
			 village, (long long)after.seq);
		assert_int_equal(testdb_int(db, sql), round == 2 ? 2 : 3);
		assert_int_equal(link_holds(village, after.seq), 1);
	}
}

/* Nobody changes the trail or the chain: not a login, not the superuser. */
static void
test_append_only(void **state)
{
	(void)state;
	testdb_refused(db, "UPDATE cunji.audit_log SET login = 'x'", "CJ003");
	testdb_refused(db, "DELETE FROM cunji.audit_log", "CJ003");
	testdb_refused(db, "TRUNCATE cunji.audit_log", "CJ003");
	testdb_refused(db, "UPDATE cunji.chain_link SET hash = 'x'", "CJ003");
	testdb_refused(db, "DELETE FROM cunji.chain_link", "CJ003");
	testdb_refused(db, "UPDATE cunji.chain_head SET seq = 1", "CJ003");
	/* a login may not even try, nor append a link of its own */
	assert_int_not_equal(cj_db_exec(db, NULL, "INSERT INTO cunji.audit_log (village_id, tbl, op) "
					       "VALUES (0, 'x', 'INSERT')", 0, NULL), 0);
	assert_int_not_equal(cj_db_exec(db, NULL, "SELECT cunji.chain_append(0, 'audit', '{}', '')",
					0, NULL), 0);
	assert_non_null(strstr(cj_db_errmsg(db), "permission denied"));
}

/* Who changed what: the row's key, old and new values. */
static void
test_audit_record(void **state)
{
	char sql[512];

	(void)state;
	assert_int_equal(cj_account_add(db, v2, "502002", "投资收益二"), 0);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM cunji.audit_log WHERE village_id = %d AND tbl = 'account' "
		 "AND op = 'INSERT' AND login = session_user AND old IS NULL "
		 "AND new ->> 'name' = '投资收益二' AND row_key = jsonb_build_object('village_id', %d, "
		 "'code', '502002')", v2, v2);
	assert_int_equal(testdb_int(db, sql), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heads_move),
		cmocka_unit_test(test_link_recomputed),
		cmocka_unit_test(test_batch_links),
		cmocka_unit_test(test_append_only),
		cmocka_unit_test(test_audit_record),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
