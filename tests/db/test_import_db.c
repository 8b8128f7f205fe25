/*
 * test_import_db.c - the bulk import against the embedded PostgreSQL: the
 * content hash it computes (in C, and in SQL for vouchers split across the
 * file) is cj_voucher_hash's; a voucher posted by cj_post_batch is a safe
 * retry for the import and the other way round; the rewritten statement
 * triggers refuse the same things in a statement of thousands of rows; the
 * direct path (COPY straight into the ledger) and the staging path post the
 * same vouchers, and the direct path hands every unusual file to staging.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <importers/import.h>

#include "testdb.h"

static cj_db *db;
static cj_poster *poster;
static int v1, v2;
static char path[64];

static int
setup(void **state)
{
	(void)state;
	db = testdb_open("test_import_db");
	assert_int_equal(cj_poster_new(&poster, db), 0);
	testdb_orgs(db, &v1, &v2);
	assert_int_equal(cj_account_add(db, v1, "102001", "农商行"), 0);
	assert_int_equal(cj_account_add(db, v2, "102001", "农商行"), 0);
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

/* A new temporary file at path, open for writing. */
static FILE *
new_file(void)
{
	FILE *f;
	int fd;

	strcpy(path, "/tmp/cunji-test-import-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	f = fopen(path, "w");
	assert_non_null(f);
	return f;
}

static const char *
file_with(const char *text)
{
	FILE *f = new_file();

	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return path;
}

static int
import(const char *text, cj_import_result *r)
{
	int err = cj_import_vouchers(db, file_with(text), NULL, r);

	unlink(path);
	return err;
}

static void
stored_hash(int village, const char *ext, char out[65])
{
	char sql[256];
	PGresult *res;

	snprintf(sql, sizeof sql,
		 "SELECT content_hash FROM cunji.voucher WHERE village_id = %d AND external_id = '%s'",
		 village, ext);
	res = PQexec(cj_db_conn(db), sql);
	assert_int_equal(PQntuples(res), 1);
	snprintf(out, 65, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
}

/* The voucher both files below describe, as cj_post_batch would take it. */
static void
expected_hash(int village, char out[65])
{
	cj_line l[3] = {{.account = "102001", .debit = {120000}},
			{.account = "501", .credit = {100000}, .counterparty = "张三"},
			{.account = "501", .credit = {20000}, .summary = "滞纳金"}};
	cj_voucher v = {.village_id = village, .date = {2025, 3, 5}, .summary = "收到承包费",
			.lines = l, .nlines = 3};

	cj_voucher_hash(&v, out);
}

static void
test_hash_is_cj_voucher_hash(void **state)
{
	cj_import_result r;
	char want[65], got[65];

	(void)state;
	/* rows together: the hash is computed in C */
	assert_int_equal(import("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额,往来单位\n"
				"360925100301,2025-03-05,7,收到承包费,102001,\"1,200.00\",,\n"
				"360925100301,2025-03-05,7,,501,,1000,张三\n"
				"360925100301,2025-03-05,7,滞纳金,501,,200,\n",
				&r),
			 0);
	assert_int_equal(r.vouchers, 1);
	cj_import_result_dispose(&r);
	expected_hash(v1, want);
	stored_hash(v1, "2025-03/7", got);
	assert_string_equal(got, want);

	/* rows apart: merged and hashed in SQL */
	assert_int_equal(import("凭证号,村代码,日期,摘要,科目代码,借方金额,贷方金额,往来单位\n"
				"7,360925100302,2025-03-05,收到承包费,102001,1200,,\n"
				"8,360925100302,2025-03-06,其他,513,5,,\n"
				"7,360925100302,2025-03-05,,501,,1000,张三\n"
				"8,360925100302,2025-03-06,,102001,,5,\n"
				"7,360925100302,2025-03-05,滞纳金,501,,200,\n",
				&r),
			 0);
	assert_int_equal(r.vouchers, 2);
	assert_int_equal(r.lines, 5);
	cj_import_result_dispose(&r);
	expected_hash(v2, want);
	stored_hash(v2, "2025-03/7", got);
	assert_string_equal(got, want);
	/* its lines in file order */
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher_line l JOIN cunji.voucher v "
					"ON v.village_id = l.village_id AND v.id = l.voucher_id "
					"WHERE v.external_id = '2025-03/7' AND l.village_id = "
					"(SELECT id FROM cunji.org WHERE code = '360925100302') AND ((l.line_no = 2 "
					"AND l.counterparty = '张三') OR (l.line_no = 3 AND l.summary = '滞纳金') "
					"OR (l.line_no = 1 AND l.account_code = '102001'))"),
			 3);
}

/* Posted by cj_post_batch under the external id the import derives, the
 * same voucher is a safe retry for the import (and a changed one is not). */
static void
test_retry_across_paths(void **state)
{
	cj_line l[2] = {{.account = "513", .debit = {4200}}, {.account = "101", .credit = {4200}}};
	cj_voucher v = {.village_id = 0, .date = {2025, 5, 9}, .summary = "买墨水", .lines = l,
			.nlines = 2, .external_id = "2025-05/31"};
	cj_posted out;
	cj_import_result r;

	(void)state;
	v.village_id = v1;
	/* cash to pay with (cash never ends a month in credit) */
	assert_int_equal(testdb_post2(poster, v1, "2025-05-02", "101", "501", 10000, NULL), 0);
	assert_int_equal(cj_post_batch(poster, &v, 1, &out), 0);
	assert_int_equal(import("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n"
				"360925100301,2025-05-09,31,买墨水,513,42.00,\n"
				"360925100301,2025-05-09,31,买墨水,101,,42\n",
				&r),
			 0);
	assert_int_equal(r.vouchers, 0);
	assert_int_equal(r.existing, 1);
	cj_import_result_dispose(&r);
	assert_int_equal(import("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n"
				"360925100301,2025-05-09,31,买墨水,513,43.00,\n"
				"360925100301,2025-05-09,31,买墨水,101,,43\n",
				&r),
			 CJ_EINVAL);
	assert_int_equal(r.nproblems, 1);
	assert_non_null(strstr(cj_db_errmsg(db), "1 problem"));
	cj_import_result_dispose(&r);
}

/* A statement of a thousand vouchers with one bad one: the triggers find it
 * and refuse the statement, as they do for one voucher. */
static void
test_big_statements_refused(void **state)
{
	(void)state;
	/* the refusals run as the superuser (testdb_refused), and see its temporary table */
	testdb_ok(testdb_super(db), "CREATE TEMP TABLE big AS SELECT g AS n, nextval('cunji.voucher_id_seq') AS id "
		      "FROM generate_series(1, 1000) g");
	/* one voucher unbalanced */
	testdb_refused_for(db,
		       "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, "
		       "summary, content_hash) SELECT o.id, b.id, '2025-07-01', r.base + b.n, "
		       "'2025-07-02', 'x', 'x' FROM big b, cunji.org o, (SELECT "
		       "public.reserve_numbers(id, '2025-07-01', 1000) AS base FROM cunji.org "
		       "WHERE code = '360925100301' OFFSET 0) r WHERE o.code = '360925100301'; "
		       "INSERT INTO cunji.voucher_line (village_id, voucher_id, line_no, period, "
		       "account_code, debit_fen, credit_fen) SELECT o.id, b.id, l, '2025-07-01', "
		       "CASE l WHEN 1 THEN '102001' ELSE '501' END, CASE l WHEN 1 THEN 100 ELSE 0 END, "
		       "CASE l WHEN 1 THEN 0 ELSE 100 - (b.n = 777)::int END FROM big b, "
		       "cunji.org o, generate_series(1, 2) l WHERE o.code = '360925100301'",
		       "CJ002", "is unbalanced: debits 100, credits 99 (fen)");
	/* a parent account on one line */
	testdb_refused_for(db,
		       "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, "
		       "summary, content_hash) SELECT o.id, b.id, '2025-07-01', r.base + b.n, "
		       "'2025-07-02', 'x', 'x' FROM big b, cunji.org o, (SELECT "
		       "public.reserve_numbers(id, '2025-07-01', 1000) AS base FROM cunji.org "
		       "WHERE code = '360925100301' OFFSET 0) r WHERE o.code = '360925100301'; "
		       "INSERT INTO cunji.voucher_line (village_id, voucher_id, line_no, period, "
		       "account_code, debit_fen, credit_fen) SELECT o.id, b.id, l, '2025-07-01', "
		       "CASE WHEN l = 1 AND b.n = 500 THEN '102' WHEN l = 1 THEN '102001' ELSE '501' END, "
		       "CASE l WHEN 1 THEN 100 ELSE 0 END, CASE l WHEN 1 THEN 0 ELSE 100 END "
		       "FROM big b, cunji.org o, generate_series(1, 2) l WHERE o.code = '360925100301'",
		       "CJ004", "line 1: account 102 银行存款 has sub-accounts");
	/* one voucher of the thousand has no lines */
	testdb_refused_for(db,
		       "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, "
		       "summary, content_hash) SELECT o.id, b.id, '2025-07-01', r.base + b.n, "
		       "'2025-07-02', 'x', 'x' FROM big b, cunji.org o, (SELECT "
		       "public.reserve_numbers(id, '2025-07-01', 1000) AS base FROM cunji.org "
		       "WHERE code = '360925100301' OFFSET 0) r WHERE o.code = '360925100301'; "
		       "INSERT INTO cunji.voucher_line (village_id, voucher_id, line_no, period, "
		       "account_code, debit_fen, credit_fen) SELECT o.id, b.id, l, '2025-07-01', "
		       "CASE l WHEN 1 THEN '102001' ELSE '501' END, CASE l WHEN 1 THEN 100 ELSE 0 END, "
		       "CASE l WHEN 1 THEN 0 ELSE 100 END FROM big b, cunji.org o, "
		       "generate_series(1, 2) l WHERE o.code = '360925100301' AND b.n <> 333",
		       "CJ002", "has no lines (voucher_needs_lines)");
	/* the pending checks are the ledger's: a header without lines whose
	 * check is removed by hand */
	testdb_refused_for(db,
		       "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, "
		       "summary, content_hash) SELECT o.id, 1 + (SELECT max(id) FROM big), '2025-07-01', "
		       "public.reserve_numbers(o.id, '2025-07-01', 1) + 1, '2025-07-02', 'x', 'x' "
		       "FROM cunji.org o WHERE o.code = '360925100301'; DELETE FROM cunji.voucher_pending",
		       "CJ003", "voucher_pending is kept by the ledger");
	testdb_refused_for(db, "INSERT INTO cunji.voucher_pending VALUES (1, 1, 1)", "CJ003",
			   "voucher_pending is kept by the ledger");
	/* and all of it balanced goes in, totals kept */
	testdb_ok(testdb_super(db), "BEGIN; "
		      "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, "
		      "summary, content_hash) SELECT o.id, b.id, '2025-07-01', r.base + b.n, "
		      "'2025-07-02', 'x', 'x' FROM big b, cunji.org o, (SELECT "
		      "public.reserve_numbers(id, '2025-07-01', 1000) AS base FROM cunji.org "
		      "WHERE code = '360925100301' OFFSET 0) r WHERE o.code = '360925100301'; "
		      "INSERT INTO cunji.voucher_line (village_id, voucher_id, line_no, period, "
		      "account_code, debit_fen, credit_fen) SELECT o.id, b.id, l, '2025-07-01', "
		      "CASE l WHEN 1 THEN '102001' ELSE '501' END, CASE l WHEN 1 THEN 100 ELSE 0 END, "
		      "CASE l WHEN 1 THEN 0 ELSE 100 END FROM big b, cunji.org o, "
		      "generate_series(1, 2) l WHERE o.code = '360925100301'; COMMIT");
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.totals_mismatches()"), 0);
	assert_int_equal(testdb_int(testdb_super(db), "SELECT count(*) FROM cunji.voucher_pending"), 0);
	testdb_ok(testdb_super(db), "DROP TABLE big");
}

static void
test_dry_run_writes_nothing(void **state)
{
	cj_import_opts o = {.dry_run = 1};
	cj_import_result r;
	long long before = testdb_int(db, "SELECT count(*) FROM cunji.voucher");

	(void)state;
	assert_int_equal(cj_import_vouchers(db,
					    file_with("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n"
						      "360925100302,2025-08-09,1,卖树,101,10,\n"
						      "360925100302,2025-08-09,1,卖树,501,,10\n"),
					    &o, &r),
			 0);
	unlink(path);
	assert_int_equal(r.vouchers, 1);
	assert_int_equal(r.nvillages, 1);
	assert_string_equal(r.villages[0].code, "360925100302");
	assert_string_equal(r.villages[0].first, "2025-08-1");
	cj_import_result_dispose(&r);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher"), before);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher_counter "
					"WHERE period = '2025-08-01'"),
			 0);
}

/* A quarter of villages' vouchers from year-month, n vouchers a month in
 * each, three lines each, with the varieties the paths must treat alike;
 * the villages interleaved voucher by voucher.  shuffled: within each run
 * of 100 vouchers the dates go backwards, as when a clerk numbers receipts
 * in the order they come to hand (never back past a run before, so never
 * across the end of a chunk, whose 24,000 lines are 8,000 vouchers). */
static const char *
quarter_file(const char *const *villages, int nvillages, int year, int first_month, int n,
	     int shuffled)
{
	FILE *f = new_file();

	fputs("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额,往来单位\n", f);
	for (int month = first_month; month < first_month + 3; month++)
		for (int k = 0; k < n; k++)
			for (int i = 0; i < nvillages; i++) {
				const char *village = villages[i];
				int back = k / 100 * 100 + 99 - k % 100;
				int day = 1 + (shuffled && back < n ? back : k) * 28 / n;
				long long x = 100 + (k * 7919LL + month * 104729LL) % 5000000;
				fprintf(f, "%s,%d-%02d-%02d,%d,摘要%d-%d,102001,\"%lld.%02lld\",,\n", village,
					year, month, day, k + 1, month, k, x / 100, x % 100);
				fprintf(f, "%s,%d-%02d-%02d,%d,%s,501,,%lld,%s\n", village, year, month, day,
					k + 1, k % 3 ? "" : "滞纳金", x / 200, k % 2 ? "张三" : "");
				fprintf(f, "%s,%d-%02d-%02d,%d,,501,,%lld.%02lld,\n", village, year, month, day,
					k + 1, (x - x / 200 * 100) / 100, (x - x / 200 * 100) % 100);
			}
	assert_int_equal(fclose(f), 0);
	return path;
}

/* What one village posted, less what the other posted (both ways, rows). */
static long long
differences(const char *what)
{
	char sql[2048];

	snprintf(sql, sizeof sql,
		 "WITH a AS (SELECT %s FROM cunji.voucher v JOIN cunji.voucher_line l "
		 "             ON l.village_id = v.village_id AND l.voucher_id = v.id "
		 "           WHERE v.village_id = %d AND v.period >= '2026-01-01' AND v.period < '2026-04-01'), "
		 "     b AS (SELECT %s FROM cunji.voucher v JOIN cunji.voucher_line l "
		 "             ON l.village_id = v.village_id AND l.voucher_id = v.id "
		 "           WHERE v.village_id = %d AND v.period >= '2026-01-01' AND v.period < '2026-04-01') "
		 "SELECT (SELECT count(*) FROM (TABLE a EXCEPT ALL TABLE b) x) "
		 "     + (SELECT count(*) FROM (TABLE b EXCEPT ALL TABLE a) y)",
		 what, v1, what, v2);
	return testdb_int(db, sql);
}

/* Vouchers of the months from..to not numbered 1..n in each village and
 * month in date order, then file order (the file's 凭证号 is in the
 * external id). */
static long long
misnumbered(const char *from, const char *to)
{
	char sql[1024];

	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM (SELECT voucher_date, number, "
		 "split_part(external_id, '/', 2)::integer AS vno, "
		 "lag(voucher_date) OVER w AS before_date, "
		 "lag(split_part(external_id, '/', 2)::integer) OVER w AS before_vno, "
		 "row_number() OVER w AS n FROM cunji.voucher "
		 "WHERE period >= '%s' AND period < '%s' "
		 "WINDOW w AS (PARTITION BY village_id, period ORDER BY number)) x "
		 "WHERE number <> n OR before_date > voucher_date "
		 "OR (before_date = voucher_date AND before_vno > vno)",
		 from, to);
	return testdb_int(db, sql);
}

/* The same quarter, direct into 360925100301 and staged into 360925100302 (in chunks: more lines
 * than one COPY of the direct path takes), posts the same books, numbered
 * in date order although the file's dates go back within its months. */
static void
test_direct_and_staged_agree(void **state)
{
	static const char *const one[] = {"360925100301"}, *const other[] = {"360925100302"};
	cj_import_opts staged = {.staged = 1};
	cj_import_result r;
	int n = 3000;

	(void)state;
	assert_int_equal(cj_import_vouchers(db, quarter_file(one, 1, 2026, 1, n, 1), NULL, &r), 0);
	unlink(path);
	assert_false(r.staged);
	assert_string_equal(r.staged_why, "");
	assert_int_equal(r.vouchers, 3 * n);
	assert_int_equal(r.lines, 9 * n);
	assert_int_equal(r.nvillages, 1);
	assert_string_equal(r.villages[0].first, "2026-01-1");
	assert_string_equal(r.villages[0].last, "2026-03-3000");
	cj_import_result_dispose(&r);
	assert_int_equal(cj_import_vouchers(db, quarter_file(other, 1, 2026, 1, n, 1), &staged, &r), 0);
	unlink(path);
	assert_true(r.staged);
	assert_int_equal(r.vouchers, 3 * n);
	cj_import_result_dispose(&r);

	/* numbers, dates, texts, external ids, lines: the same */
	assert_int_equal(differences("v.period, v.number, v.voucher_date, v.kind, v.summary, "
				     "v.preparer, v.external_id, v.attachments, l.line_no, l.period, "
				     "l.account_code, l.debit_fen, l.credit_fen, l.summary, "
				     "l.counterparty, l.fund_id, l.project_id"),
			 0);
	assert_int_equal(misnumbered("2026-01-01", "2026-04-01"), 0);
	assert_true(testdb_int(db, "SELECT count(*) FROM cunji.voucher WHERE period >= '2026-01-01' "
				   "AND period < '2026-04-01' AND external_id <> "
				   "to_char(period, 'YYYY-MM') || '/' || number") > 100);
	/* each voucher's content hash is the one cj_voucher_hash gives its rows
	 * (the hashes differ between villages only by the village) */
	assert_int_equal(testdb_int(db, "SELECT count(DISTINCT content_hash) FROM cunji.voucher "
					"WHERE period >= '2026-01-01' AND period < '2026-04-01'"),
			 6 * n);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.totals_mismatches()"), 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher_counter WHERE period "
					">= '2026-01-01' AND period < '2026-04-01' AND last_number <> 3000"),
			 0);
}

/* Two villages interleaved voucher by voucher, as a file sorted by date
 * lists them: the direct path too, each village numbered on its own (here
 * with dates that go back within months); and the same through the
 * staging path. */
static void
test_interleaved_villages(void **state)
{
	static const char *const both[] = {"360925100301", "360925100302"};
	cj_import_opts staged = {.staged = 1};
	cj_import_result r;
	int n = 2500; /* a chunk (8,000 vouchers) ends within a month of both */

	(void)state;
	assert_int_equal(cj_import_vouchers(db, quarter_file(both, 2, 2026, 10, n, 1), NULL, &r), 0);
	unlink(path);
	assert_false(r.staged);
	assert_int_equal(r.vouchers, 6 * n);
	assert_int_equal(r.nvillages, 2);
	assert_string_equal(r.villages[1].last, "2026-12-2500");
	cj_import_result_dispose(&r);
	assert_int_equal(cj_import_vouchers(db, quarter_file(both, 2, 2027, 1, n, 0), &staged, &r), 0);
	unlink(path);
	assert_true(r.staged);
	assert_int_equal(r.vouchers, 6 * n);
	cj_import_result_dispose(&r);
	assert_int_equal(misnumbered("2026-10-01", "2027-04-01"), 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher WHERE period >= '2027-01-01' "
					"AND period < '2027-04-01' AND external_id = "
					"to_char(period, 'YYYY-MM') || '/' || number"),
			 6 * n);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.totals_mismatches()"), 0);
}

static int errors_seen, notes_seen;
static char errors_text[8192];

static void
count_error(const cj_problem *p, void *payload)
{
	size_t used = strlen(errors_text);
	char line[2048];

	(void)payload;
	cj_problem_format(p, line, sizeof line);
	snprintf(errors_text + used, sizeof errors_text - used, "%s\n", line);
	errors_seen++;
}

static void
count_note(const char *msg, void *payload)
{
	(void)payload;
	(void)msg;
	notes_seen++;
}

static int
import_counted(const char *text, cj_import_result *r)
{
	cj_import_opts o = {.cb = {.problem = count_error, .note = count_note}};
	int err;

	errors_seen = notes_seen = 0;
	errors_text[0] = '\0';
	err = cj_import_vouchers(db, file_with(text), &o, r);
	unlink(path);
	return err;
}

/* 12,001 two-line vouchers of 360925100302 in month (YYYY-MM): the first `first` of
 * them dated day1, the rest day2.  The 12,001st is the first voucher of the
 * second chunk (24,000 lines). */
static const char *
two_days_file(const char *month, int first, int day1, int day2)
{
	FILE *f = new_file();

	fputs("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n", f);
	for (int k = 1; k <= 12001; k++) {
		int day = k <= first ? day1 : day2;
		fprintf(f, "360925100302,%s-%02d,%d,x,102001,1,\n360925100302,%s-%02d,%d,x,501,,1\n", month, day, k,
			month, day, k);
	}
	assert_int_equal(fclose(f), 0);
	return path;
}

/* Whatever the direct path cannot take goes to the staging path, which says
 * each problem once (and each note once), or posts what it should. */
static void
test_direct_gives_up(void **state)
{
	cj_import_result r;

	(void)state;
	/* a bad amount in the middle */
	assert_int_equal(import_counted("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n"
					"360925100301,2026-05-01,1,a,102001,10,\n"
					"360925100301,2026-05-01,1,a,501,,10\n"
					"360925100301,2026-05-02,2,b,102001,\"12,34.5\",\n"
					"360925100301,2026-05-02,2,b,501,,12\n"
					"360925100301,2026-05-03,3,c,102001,7,\n"
					"360925100301,2026-05-03,3,c,501,,7\n",
					&r),
			 CJ_EINVAL);
	assert_true(r.staged);
	assert_non_null(strstr(r.staged_why, "row 4"));
	assert_int_equal(r.nproblems, 1);
	assert_int_equal(errors_seen, 1);
	assert_non_null(strstr(errors_text, "row 4, column 借方金额: '12,34.5' is not an amount"));
	cj_import_result_dispose(&r);
	/* an account the village does not have */
	assert_int_equal(import_counted("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n"
					"360925100301,2026-05-01,1,a,102009,10,\n"
					"360925100301,2026-05-01,1,a,501,,10\n",
					&r),
			 CJ_EINVAL);
	assert_true(r.staged);
	assert_int_equal(errors_seen, 1);
	assert_non_null(strstr(errors_text, "row 2, column 科目代码: account 102009 does not exist in "
					    "village 360925100301"));
	cj_import_result_dispose(&r);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher WHERE period = '2026-05-01'"),
			 0);
	/* a voucher split across the file, and a column the import ignores */
	assert_int_equal(import_counted("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额,备注\n"
					"360925100301,2026-05-01,1,a,102001,10,,x\n"
					"360925100301,2026-05-02,2,b,102001,5,,\n"
					"360925100301,2026-05-01,1,a,501,,10,\n"
					"360925100301,2026-05-02,2,b,501,,5,\n",
					&r),
			 0);
	assert_true(r.staged);
	assert_non_null(strstr(r.staged_why, "凭证号 1 of village 360925100301"));
	assert_int_equal(r.vouchers, 2);
	assert_int_equal(notes_seen, 1);
	cj_import_result_dispose(&r);
	/* a month that already has this file's vouchers: a longer file again
	 * (whose 凭证号 1 of July follows 凭证号 1 of June: two vouchers) */
	assert_int_equal(import_counted("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n"
					"360925100301,2026-06-01,1,a,102001,10,\n"
					"360925100301,2026-06-01,1,a,501,,10\n",
					&r),
			 0);
	assert_false(r.staged);
	cj_import_result_dispose(&r);
	assert_int_equal(import_counted("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n"
					"360925100301,2026-06-01,1,a,102001,10,\n"
					"360925100301,2026-06-01,1,a,501,,10\n"
					"360925100301,2026-07-01,1,b,102001,3,\n"
					"360925100301,2026-07-01,1,b,501,,3\n",
					&r),
			 0);
	assert_true(r.staged);
	assert_non_null(strstr(r.staged_why, "the books"));
	assert_int_equal(r.existing, 1);
	assert_int_equal(r.vouchers, 1);
	cj_import_result_dispose(&r);
	/* dates out of order within a month: numbered by date, direct */
	assert_int_equal(import_counted("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n"
					"360925100302,2026-08-09,1,late,102001,1,\n"
					"360925100302,2026-08-09,1,late,501,,1\n"
					"360925100302,2026-08-02,2,early,102001,2,\n"
					"360925100302,2026-08-02,2,early,501,,2\n",
					&r),
			 0);
	assert_false(r.staged);
	cj_import_result_dispose(&r);
	assert_int_equal(testdb_int(db, "SELECT number FROM cunji.voucher v JOIN cunji.org o "
					"ON o.id = v.village_id WHERE o.code = '360925100302' AND v.summary = 'early' "
					"AND v.period = '2026-08-01'"),
			 1);
	/* dates that go back across the end of a chunk: the numbers of the
	 * chunk before are posted already; staged, numbered by date */
	{
		assert_int_equal(cj_import_vouchers(db, two_days_file("2027-06", 12000, 10, 5), NULL, &r),
				 0);
		unlink(path);
		assert_true(r.staged);
		assert_non_null(strstr(r.staged_why, "dates go back within a month, across two chunks "
						     "(at 凭证号 12001)"));
		assert_int_equal(r.vouchers, 12001);
		cj_import_result_dispose(&r);
		assert_int_equal(testdb_int(db, "SELECT number FROM cunji.voucher WHERE period = "
						"'2027-06-01' AND external_id = '2027-06/12001'"),
				 1);
		/* the same date on both sides of the chunk's end: direct */
		assert_int_equal(cj_import_vouchers(db, two_days_file("2027-07", 6000, 7, 9), NULL, &r),
				 0);
		unlink(path);
		assert_false(r.staged);
		cj_import_result_dispose(&r);
		assert_int_equal(misnumbered("2027-07-01", "2027-08-01"), 0);
	}
	/* a voucher whose second row is dated in the next month by mistake: two
	 * vouchers of a row each, and a hint */
	assert_int_equal(import_counted("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n"
					"360925100301,2027-10-30,8,a,102001,5,\n"
					"360925100301,2027-10-30,8,a,501,,5\n"
					"360925100301,2027-10-31,9,b,102001,7,\n"
					"360925100301,2027-11-01,9,b,501,,7\n",
					&r),
			 CJ_EINVAL);
	assert_int_equal(errors_seen, 2);
	assert_non_null(strstr(errors_text, "row 4: 凭证号 9 of village 360925100301 (row 4): a voucher needs at "
					    "least two lines; the same 凭证号 is on row 5, dated "
					    "2027-11-01: a date typed wrong?"));
	cj_import_result_dispose(&r);
	/* amounts within int64 but beyond what a line may carry (10^13 fen,
	 * docs/money.md): every such cell named, nothing posted */
	assert_int_equal(import_counted("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n"
					"360925100302,2026-09-01,1,a,102001,50000000000000000,\n"
					"360925100302,2026-09-01,1,a,501,,50000000000000000\n"
					"360925100302,2026-09-02,2,b,101,100000000000.01,\n"
					"360925100302,2026-09-02,2,b,513,,100000000000.01\n",
					&r),
			 CJ_EINVAL);
	assert_int_equal(errors_seen, 4);
	assert_non_null(strstr(errors_text, "'100000000000.01' is too large an amount (a line carries "
					    "at most 100,000,000,000.00 yuan)"));
	cj_import_result_dispose(&r);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher WHERE period = '2026-09-01'"),
			 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.totals_mismatches()"), 0);
}

/* A file with 外部编号 takes the direct path; an id posted before or given
 * twice makes the database refuse the COPY, and the staging path then skips
 * what was posted with the same content or names the problem. */
static void
test_direct_external_ids(void **state)
{
	static const char first[] = "村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额,外部编号\n"
				    "360925100301,2025-10-05,1,a,102001,10,,BANK-0001\n"
				    "360925100301,2025-10-05,1,a,501,,10,BANK-0001\n"
				    "360925100301,2025-10-06,2,b,102001,20,,\"BANK-0002 {\"\"x\"\"}\"\n"
				    "360925100301,2025-10-06,2,b,501,,20,\"BANK-0002 {\"\"x\"\"}\"\n"
				    "360925100302,2025-10-07,1,c,102001,30,,BANK-0001\n"
				    "360925100302,2025-10-07,1,c,501,,30,BANK-0001\n";
	char text[2048];
	cj_import_result r;

	(void)state;
	assert_int_equal(import_counted(first, &r), 0);
	assert_false(r.staged);
	assert_string_equal(r.staged_why, "");
	assert_int_equal(r.vouchers, 3);
	cj_import_result_dispose(&r);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher v JOIN cunji.org o "
					"ON o.id = v.village_id WHERE v.period = '2025-10-01' AND "
					"(o.code, v.external_id, v.number) IN (('360925100301', 'BANK-0001', 1), "
					"('360925100301', 'BANK-0002 {\"x\"}', 2), ('360925100302', 'BANK-0001', 1))"),
			 3);

	/* the statement again with a month more: three posted before, one new */
	snprintf(text, sizeof text, "%s360925100301,2025-11-01,1,d,102001,4,,BANK-0003\n"
				    "360925100301,2025-11-01,1,d,501,,4,BANK-0003\n", first);
	assert_int_equal(import_counted(text, &r), 0);
	assert_true(r.staged);
	assert_non_null(strstr(r.staged_why, "voucher_external_id"));
	assert_int_equal(r.existing, 3);
	assert_int_equal(r.vouchers, 1);
	assert_int_equal(errors_seen, 0);
	cj_import_result_dispose(&r);

	/* an id posted before with other content: named, nothing posted */
	assert_int_equal(import_counted("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额,外部编号\n"
					"360925100302,2025-12-01,1,e,102001,1,,NEW-1\n"
					"360925100302,2025-12-01,1,e,501,,1,NEW-1\n"
					"360925100301,2025-10-05,1,a,102001,11,,BANK-0001\n"
					"360925100301,2025-10-05,1,a,501,,11,BANK-0001\n",
					&r),
			 CJ_EINVAL);
	assert_true(r.staged);
	assert_int_equal(errors_seen, 1);
	assert_non_null(strstr(errors_text, "row 4"));
	assert_non_null(strstr(errors_text, "external id BANK-0001 was already posted as voucher "));
	assert_non_null(strstr(errors_text, "with different content"));
	cj_import_result_dispose(&r);

	/* one id on two vouchers of a village: named, nothing posted */
	assert_int_equal(import_counted("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额,外部编号\n"
					"360925100302,2025-12-01,1,e,102001,1,,DUP-1\n"
					"360925100302,2025-12-01,1,e,501,,1,DUP-1\n"
					"360925100302,2025-12-02,2,f,102001,2,,DUP-1\n"
					"360925100302,2025-12-02,2,f,501,,2,DUP-1\n",
					&r),
			 CJ_EINVAL);
	assert_true(r.staged);
	assert_int_equal(errors_seen, 1);
	assert_non_null(strstr(errors_text, "row 2: external id DUP-1 of village 360925100302 is on "
					    "more than one voucher (凭证号 1, 2)"));
	cj_import_result_dispose(&r);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher WHERE period = '2025-12-01'"),
			 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.totals_mismatches()"), 0);
}

/* Ids that do not follow each other, as when another session draws some at
 * the same moment (here the sequence steps by 3): both paths give each
 * voucher, and its lines, the id drawn for it. */
static void
test_ids_that_do_not_follow(void **state)
{
	cj_import_opts staged = {.staged = 1};
	cj_import_result r;

	(void)state;
	testdb_ok(testdb_super(db), "ALTER SEQUENCE cunji.voucher_id_seq INCREMENT BY 3");
	assert_int_equal(import("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n"
				"360925100301,2027-05-03,1,卖树,102001,10,\n"
				"360925100301,2027-05-03,1,卖树,501,,10\n"
				"360925100301,2027-05-04,2,卖竹,102001,20,\n"
				"360925100301,2027-05-04,2,卖竹,501,,20\n",
				&r),
			 0);
	assert_false(r.staged);
	cj_import_result_dispose(&r);
	assert_int_equal(cj_import_vouchers(db,
					    file_with("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n"
						      "360925100301,2027-06-03,1,卖树,102001,10,\n"
						      "360925100301,2027-06-03,1,卖树,501,,10\n"
						      "360925100301,2027-06-04,2,卖竹,102001,20,\n"
						      "360925100301,2027-06-04,2,卖竹,501,,20\n"),
					    &staged, &r),
			 0);
	unlink(path);
	assert_true(r.staged);
	cj_import_result_dispose(&r);
	testdb_ok(testdb_super(db), "ALTER SEQUENCE cunji.voucher_id_seq INCREMENT BY 1");

	/* four vouchers, their ids three apart, each with its own two lines */
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM (SELECT id - lag(id) OVER (ORDER BY id) AS d "
					"FROM cunji.voucher WHERE period IN ('2027-05-01', '2027-06-01') "
					"AND summary IN ('卖树', '卖竹')) x "
					"WHERE d IS NOT NULL AND d % 3 = 0"),
			 3);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher v JOIN cunji.voucher_line l "
					"ON l.village_id = v.village_id AND l.voucher_id = v.id "
					"AND l.debit_fen + l.credit_fen = CASE v.summary WHEN '卖树' THEN 1000 "
					"ELSE 2000 END WHERE v.period IN ('2027-05-01', '2027-06-01')"),
			 8);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.totals_mismatches()"), 0);
}

/* Where review is required the file is one batch of drafts (0020): nothing
 * posted, its preparer may not review it, a reviewed batch posts with the
 * month's next numbers, and the same file again names its batch. */
static void
test_review_drafts(void **state)
{
	const char *csv = "村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n"
			  "360925100301,2027-09-08,1,审核制单乙,101,20,\n"
			  "360925100301,2027-09-08,1,审核制单乙,501,,20\n"
			  "360925100301,2027-09-03,2,审核制单甲,101,10,\n"
			  "360925100301,2027-09-03,2,审核制单甲,501,,10\n";
	cj_import_result r, again;
	cj_db *su = testdb_super(db);
	char sql[256];
	size_t n = 0;

	(void)state;
	testdb_ok(su, "INSERT INTO cunji.setting (org_id, key, value) SELECT id, 'review_required', "
		      "'true' FROM cunji.org WHERE code = '360925'");
	assert_int_equal(cj_import_vouchers(db, file_with(csv), NULL, &r), 0);
	assert_true(r.batch_id > 0);
	assert_int_equal(r.vouchers, 2);
	assert_int_equal(r.lines, 4);
	cj_import_result_dispose(&r);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher WHERE summary LIKE '审核制单%'"),
			 0);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM cunji.draft_voucher WHERE batch_id = %lld AND state = 'draft' "
		 "AND prepared_by = session_user",
		 (long long)r.batch_id);
	assert_int_equal(testdb_int(db, sql), 2);
	snprintf(sql, sizeof sql, "SELECT batch_id FROM cunji.import_log WHERE batch_id = %lld",
		 (long long)r.batch_id);
	assert_int_equal(testdb_int(db, sql), r.batch_id);
	/* not reviewed: not posted; its preparer may not review it, as a whole */
	assert_int_not_equal(cj_draft_post(db, 0, NULL, 0, r.batch_id, NULL, &n), 0);
	assert_string_equal(cj_db_sqlstate(db), "CJ055");
	assert_int_not_equal(cj_draft_review(db, 0, NULL, 0, r.batch_id, &n), 0);
	assert_string_equal(cj_db_sqlstate(db), "CJ050");
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.draft_voucher WHERE state = 'reviewed'"),
			 0);
	assert_int_equal(cj_draft_review(su, 0, NULL, 0, r.batch_id, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(cj_draft_post(db, 0, NULL, 0, r.batch_id, NULL, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher WHERE draft_id IS NOT NULL "
					"AND ((number = 1 AND summary = '审核制单甲') OR (number = 2 AND "
					"summary = '审核制单乙')) AND period = '2027-09-01'"),
			 2);
	assert_int_equal(cj_import_vouchers(db, path, NULL, &again), 0);
	unlink(path);
	assert_true(again.already_imported);
	assert_int_equal(again.batch_id, r.batch_id);
	cj_import_result_dispose(&again);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.totals_mismatches()"), 0);
	testdb_ok(su, "DELETE FROM cunji.setting");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_is_cj_voucher_hash),
		cmocka_unit_test(test_retry_across_paths),
		cmocka_unit_test(test_big_statements_refused),
		cmocka_unit_test(test_dry_run_writes_nothing),
		cmocka_unit_test(test_direct_and_staged_agree),
		cmocka_unit_test(test_interleaved_villages),
		cmocka_unit_test(test_direct_gives_up),
		cmocka_unit_test(test_direct_external_ids),
		cmocka_unit_test(test_ids_that_do_not_follow),
		cmocka_unit_test(test_review_drafts),
	};

	return cmocka_run_group_tests_name("import_db", tests, setup, teardown);
}
