/*
 * test_bulk_rules.c - the ledger's rules broken inside statements of many
 * vouchers, through raw SQL, on both paths of the line trigger (0009): a
 * statement whose voucher ids are dense is matched to its vouchers by one
 * range scan of voucher's primary key, any other by one probe per voucher.
 * Each problem is refused with the SQLSTATE and message of a voucher posted
 * alone; what is accepted keeps the per-period totals right; and neither
 * path reads the voucher table sequentially, even after a first statement of
 * one voucher has fixed the session's plans.
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

#include <cmocka.h>

#include "testdb.h"

static cj_db *db;
static cj_poster *poster;
static int v1, v2;

/*
 * bulk_vouchers: n vouchers of village vil dated day, ids first, first +
 * step, ..., numbered from the counter as cunji numbers them.  bulk_lines: their lines in one INSERT,
 * three each (Dr 101 100g, Dr 102001 7, Cr 501 100g + 7 for the g-th), with
 * voucher k spoilt as `what` says ('village': its lines claim village
 * `other`; 'foreign': they go to voucher id `other`, as lines 4-6).
 * Test-only helpers in the test database.
 */
static const char helpers_sql[] =
	"CREATE FUNCTION public.bulk_vouchers(vil int, first bigint, n int, step int, day date,\n"
	"                                     kind text DEFAULT 'normal')\n"
	"RETURNS void LANGUAGE sql AS $$\n"
	"  WITH r AS MATERIALIZED (SELECT public.reserve_numbers(vil, day, n) AS base)\n"
	"  INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, kind, summary,\n"
	"                             content_hash)\n"
	"  SELECT vil, first + (g - 1) * step, date_trunc('month', day)::date, r.base + g, day, kind,\n"
	"         '批量', 'x'\n"
	"    FROM r, generate_series(1, n) g\n"
	"$$;\n"
	"CREATE FUNCTION public.bulk_lines(vil int, first bigint, n int, step int, day date,\n"
	"                                  k int DEFAULT 0, what text DEFAULT '', other bigint DEFAULT 0)\n"
	"RETURNS void LANGUAGE sql AS $$\n"
	"  INSERT INTO cunji.voucher_line (village_id, voucher_id, line_no, period, account_code,\n"
	"                                  debit_fen, credit_fen)\n"
	"  SELECT CASE WHEN g = k AND what = 'village' THEN other::int ELSE vil END,\n"
	"         CASE WHEN g = k AND what = 'missing' THEN first - 1\n"
	"              WHEN g = k AND what = 'foreign' THEN other\n"
	"              ELSE first + (g - 1) * step END,\n"
	"         CASE WHEN g = k AND what IN ('split', 'foreign') THEN l + 3 ELSE l END,\n"
	"         CASE WHEN g = k AND what = 'period' AND l = 2\n"
	"              THEN (date_trunc('month', day) + interval '1 month')::date\n"
	"              ELSE date_trunc('month', day)::date END,\n"
	"         CASE WHEN g = k AND what = 'no account' AND l = 2 THEN '102999'\n"
	"              WHEN g = k AND what = 'parent' AND l = 2 THEN '102'\n"
	"              ELSE (ARRAY['101', '102001', '501'])[l] END,\n"
	"         CASE l WHEN 1 THEN 100 * g\n"
	"                WHEN 2 THEN CASE WHEN g = k AND what = 'red' THEN -7 ELSE 7 END\n"
	"                ELSE 0 END,\n"
	"         CASE WHEN l < 3 THEN 0\n"
	"              WHEN g = k AND what = 'red' THEN 100 * g - 7\n"
	"              WHEN g = k AND what = 'unbalanced' THEN 100 * g + 8\n"
	"              ELSE 100 * g + 7 END\n"
	"    FROM generate_series(1, n) g, generate_series(1, 3) l\n"
	"   WHERE NOT (g = k AND what = 'few' AND l > 1)\n"
	"$$";

static int
setup(void **state)
{
	(void)state;
	db = testdb_open("test_bulk_rules");
	assert_int_equal(cj_poster_new(&poster, db), 0);
	testdb_orgs(db, &v1, &v2);
	assert_int_equal(cj_account_add(db, v1, "102001", "农商行"), 0);
	assert_int_equal(cj_account_add(db, v2, "102001", "农商行"), 0);
	testdb_ok(testdb_super(db), helpers_sql);
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

/* vouchers and their lines, one INSERT each, in one transaction */
static const char *
bulk(int village, long long first, int n, int step, const char *day, int k, const char *what,
     long long other)
{
	static char sql[1024];

	snprintf(sql, sizeof sql,
		 "SELECT public.bulk_vouchers(%d, %lld, %d, %d, '%s'); "
		 "SELECT public.bulk_lines(%d, %lld, %d, %d, '%s', %d, '%s', %lld)",
		 village, first, n, step, day, village, first, n, step, day, k, what, other);
	return sql;
}

static void
bulk_ok(int village, long long first, int n, int step, const char *day)
{
	char sql[1200];

	snprintf(sql, sizeof sql, "BEGIN; %s; COMMIT", bulk(village, first, n, step, day, 0, "", 0));
	testdb_ok(db, sql);
}

/* voucher_pkey scans and sequential scans of voucher so far, from the
 * statistics, after flushing this backend's own */
static void
voucher_scans(long long *idx, long long *seq)
{
	testdb_ok(db, "SELECT pg_stat_force_next_flush()");
	*idx = testdb_int(db, "SELECT idx_scan FROM pg_stat_user_indexes "
			      "WHERE schemaname = 'cunji' AND indexrelname = 'voucher_pkey'");
	*seq = testdb_int(db, "SELECT seq_scan FROM pg_stat_user_tables "
			      "WHERE schemaname = 'cunji' AND relname = 'voucher'");
}

static long long
totals(int village, const char *account, const char *period, const char *column)
{
	char sql[512];

	snprintf(sql, sizeof sql,
		 "SELECT coalesce(sum(%s), 0) FROM cunji.account_period_total WHERE village_id = %d "
		 "AND account_code = '%s' AND period = '%s'",
		 column, village, account, period);
	return testdb_int(db, sql);
}

/* A voucher posted alone first (its plans are the ones the session keeps),
 * then a dense statement of 100 vouchers and a sparse one of 40: both
 * posted, each matched by one range scan of voucher's primary key (0014; 0009
 * probed the sparse one voucher by voucher), neither reading voucher
 * sequentially; totals right. */
static void
test_bulk_paths_and_totals(void **state)
{
	long long idx0, seq0, idx1, seq1, idx2, seq2;

	(void)state;
	assert_int_equal(testdb_post2(poster, v1, "2025-03-01", "101", "501", 5, NULL), 0);
	voucher_scans(&idx0, &seq0);
	bulk_ok(v1, 1000001, 100, 1, "2025-03-05");
	voucher_scans(&idx1, &seq1);
	bulk_ok(v1, 2000001, 40, 10, "2025-03-06");
	voucher_scans(&idx2, &seq2);
	assert_int_equal(seq1, seq0);
	assert_int_equal(seq2, seq1);
	assert_true(idx1 - idx0 >= 1 && idx1 - idx0 < 10); /* one range scan */
	assert_true(idx2 - idx1 >= 1 && idx2 - idx1 < 10); /* and one again */
	/* 5 + 100 * (1 + ... + 100) + 100 * (1 + ... + 40) */
	assert_int_equal(totals(v1, "101", "2025-03-01", "debit_fen"), 5 + 505000 + 82000);
	assert_int_equal(totals(v1, "501", "2025-03-01", "credit_fen"),
			 5 + 505000 + 700 + 82000 + 280);
	assert_int_equal(totals(v1, "102001", "2025-03-01", "debit_fen"), 700 + 280);
	assert_int_equal(totals(v1, "101", "2025-03-01", "opening_debit_fen"), 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.totals_mismatches()"), 0);
	assert_int_equal(testdb_int(testdb_super(db), "SELECT count(*) FROM cunji.voucher_pending"), 0);
}

/* Every problem in a statement of 60 vouchers with dense ids and in one of
 * 40 with sparse ids (ids 10 apart): refused as for one voucher.  For
 * "foreign", a voucher committed earlier whose id sits just before the
 * statement's gets lines in it. */
static void
test_bulk_refusals(void **state)
{
	static const struct {
		const char *what, *needle, *sqlstate;
	} cases[] = {
		{"unbalanced", "is unbalanced: debits 3707, credits 3708 (fen)", "CJ002"},
		{"few", "has 1 line(s); a voucher needs at least two", "CJ002"},
		{"split", "its lines must be inserted together, with line 1", "CJ003"},
		{"period", "voucher_line.period must equal its voucher's period", "CJ003"},
		{"red", "line 2: negative (red) amounts belong only on reversals", "CJ002"},
		{"no account", "line 2: account 102999 does not exist", "CJ004"},
		{"parent", "line 2: account 102 银行存款 has sub-accounts", "CJ004"},
		{"missing", "lines cannot be added to voucher id", "CJ003"},
		{"village", "village 360925100302: lines cannot be added to voucher id", "CJ003"},
		{"foreign", "a posted voucher is never changed", "CJ003"},
	};
	const size_t ncases = sizeof cases / sizeof cases[0];
	long long vouchers, debits;

	(void)state;
	/* the committed neighbours for "foreign" (the last case) */
	bulk_ok(v1, 3000000 + 1000 * (long long)ncases - 1000, 1, 1, "2025-04-01");
	bulk_ok(v1, 4000000 + 1000 * (long long)ncases - 1000, 1, 1, "2025-04-01");
	vouchers = testdb_int(db, "SELECT count(*) FROM cunji.voucher");
	debits = totals(v1, "101", "2025-04-01", "debit_fen");
	for (size_t i = 0; i < ncases; i++) {
		long long dense = 3000001 + 1000 * (long long)i, sparse = 4000001 + 1000 * (long long)i;
		int village = !strcmp(cases[i].what, "village");

		/* dense: ids one apart, the 37th spoilt */
		assert_non_null(strstr(testdb_refused(db,
						      bulk(v1, dense, 60, 1, "2025-04-02", 37,
							   cases[i].what, village ? v2 : dense - 1),
						      cases[i].sqlstate),
				       cases[i].needle));
		/* sparse: ids 10 apart, too far apart for the range scan */
		assert_non_null(strstr(testdb_refused(db,
						      bulk(v1, sparse, 40, 10, "2025-04-02", 37,
							   cases[i].what, village ? v2 : sparse - 1),
						      cases[i].sqlstate),
				       cases[i].needle));
	}
	/* the messages name the voucher: the 37th, numbered after the 2 of April */
	assert_non_null(strstr(testdb_refused(db, bulk(v1, 3000001, 60, 1, "2025-04-02", 37,
						       "unbalanced", 0),
					      "CJ002"),
			       "village 360925100301: voucher 2025-04-39 is unbalanced"));
	assert_non_null(strstr(testdb_refused(db, bulk(v1, 4000001, 40, 10, "2025-04-02", 37, "red", 0),
					      "CJ002"),
			       "village 360925100301: voucher 2025-04-39 line 2: negative (red)"));
	assert_non_null(strstr(testdb_refused(db, bulk(v1, 3000001, 60, 1, "2025-04-02", 37,
						       "missing", 0),
					      "CJ003"),
			       "village 360925100301: lines cannot be added to voucher id 3000000: a posted "
			       "voucher"));
	assert_non_null(strstr(testdb_refused(db,
					      bulk(v1, 3000000 + 1000 * (long long)ncases - 999, 60, 1,
						   "2025-04-02", 37, "foreign",
						   3000000 + 1000 * (long long)ncases - 1000),
					      "CJ003"),
			       "village 360925100301: lines cannot be added to voucher id 3009000: a posted "
			       "voucher"));
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher"), vouchers);
	assert_int_equal(totals(v1, "101", "2025-04-01", "debit_fen"), debits);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.totals_mismatches()"), 0);
}

/* Dense ids with vouchers of another transaction inside the range (odd ids
 * committed first, even ids now): the range scan reads them and leaves them
 * alone; a bad voucher among the new ones is still found. */
static void
test_bulk_range_shared_with_other_vouchers(void **state)
{
	(void)state;
	bulk_ok(v2, 5000001, 40, 2, "2025-05-03");
	assert_non_null(strstr(testdb_refused(db, bulk(v2, 5000002, 40, 2, "2025-05-03", 17,
						       "unbalanced", 0),
					      "CJ002"),
			       "village 360925100302: voucher 2025-05-57 is unbalanced: debits 1707, credits 1708 "
			       "(fen)"));
	bulk_ok(v2, 5000002, 40, 2, "2025-05-03");
	/* 2 * 100 * (1 + ... + 40) */
	assert_int_equal(totals(v2, "101", "2025-05-01", "debit_fen"), 164000);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.totals_mismatches()"), 0);
}

/* Opening vouchers in a dense statement keep their part of the totals apart;
 * a statement with no rows at all passes. */
static void
test_bulk_opening_and_empty(void **state)
{
	(void)state;
	testdb_ok(db, "BEGIN; SELECT public.bulk_vouchers((SELECT id FROM cunji.org WHERE code = '360925100302'), "
		      "6000001, 40, 1, '2025-01-01', 'opening'); "
		      "SELECT public.bulk_lines((SELECT id FROM cunji.org WHERE code = '360925100302'), 6000001, 40, 1, "
		      "'2025-01-01'); COMMIT");
	assert_int_equal(totals(v2, "101", "2025-01-01", "opening_debit_fen"), 82000);
	assert_int_equal(totals(v2, "101", "2025-01-01", "debit_fen"), 82000);
	assert_int_equal(totals(v2, "501", "2025-01-01", "opening_credit_fen"), 82000 + 280);
	testdb_ok(db, "BEGIN; INSERT INTO cunji.voucher_line SELECT * FROM cunji.voucher_line "
		      "WHERE false; COMMIT");
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.totals_mismatches()"), 0);
}

/* A line carries at most 10^13 fen (0010), so a voucher whose debits would
 * overflow a bigint is refused line by line (CJ007), as cj_voucher_check
 * refuses it; the bigint sums of 0009 would refuse it too, never wrap. */
static void
test_bulk_overflow_refused(void **state)
{
	char sql[1024];

	(void)state;
	snprintf(sql, sizeof sql,
		 "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, summary, "
		 "content_hash) VALUES (%d, 7000001, '2025-06-01', "
		 "public.reserve_numbers(%d, '2025-06-01', 1) + 1, '2025-06-02', 'x', 'x'); "
		 "INSERT INTO cunji.voucher_line (village_id, voucher_id, line_no, period, account_code, "
		 "debit_fen, credit_fen) VALUES (%d, 7000001, 1, '2025-06-01', '101', "
		 "5000000000000000000, 0), (%d, 7000001, 2, '2025-06-01', '102001', "
		 "5000000000000000000, 0), (%d, 7000001, 3, '2025-06-01', '501', 0, "
		 "5000000000000000000), (%d, 7000001, 4, '2025-06-01', '241', 0, 5000000000000000000)",
		 v1, v1, v1, v1, v1, v1);
	assert_non_null(strstr(testdb_refused(db, sql, "CJ007"), "more than a line may carry"));
}

/* 0009 itself: the account index is gone (every reader asks for one
 * village, which the primary key serves), and external ids compare
 * bytewise, so that a month's ids are a range whatever the server's locale,
 * and comparisons with text of the default collation still work. */
static void
test_bulk_schema(void **state)
{
	char sql[1024];

	(void)state;
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM pg_indexes WHERE schemaname = 'cunji' "
					"AND indexname = 'voucher_line_account'"),
			 0);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM pg_attribute a "
					"JOIN pg_collation c ON c.oid = a.attcollation "
					"WHERE a.attrelid = 'cunji.voucher'::regclass "
					"AND a.attname = 'external_id' AND c.collname = 'C'"),
			 1);
	snprintf(sql, sizeof sql,
		 "BEGIN; WITH r AS MATERIALIZED (SELECT public.reserve_numbers(%d, '2025-07-01', 7) "
		 "AS base) INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, "
		 "summary, content_hash, external_id) SELECT %d, 8000000 + n, '2025-07-01', r.base + n, "
		 "'2025-07-02', 'x', 'x', e FROM r, unnest(ARRAY['2025-07/1', '2025-07/12', '2025-07/9', "
		 "'2025-071', '2025-07', '2025-08/1', '2025-07-1']) WITH ORDINALITY AS t(e, n); "
		 "INSERT INTO cunji.voucher_line (village_id, voucher_id, line_no, period, "
		 "account_code, debit_fen, credit_fen) SELECT %d, 8000000 + n, l, '2025-07-01', "
		 "CASE l WHEN 1 THEN '101' ELSE '501' END, CASE l WHEN 1 THEN 1 ELSE 0 END, "
		 "CASE l WHEN 1 THEN 0 ELSE 1 END FROM generate_series(1, 7) n, generate_series(1, 2) l; "
		 "COMMIT",
		 v1, v1, v1);
	testdb_ok(db, sql);
	snprintf(sql, sizeof sql,
		 "SELECT string_agg(external_id, ' ' ORDER BY external_id) FROM cunji.voucher "
		 "WHERE village_id = %d AND external_id >= '2025-07/' AND external_id < '2025-070'",
		 v1);
	{
		PGresult *res = PQexec(cj_db_conn(db), sql);

		assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
		assert_string_equal(PQgetvalue(res, 0, 0), "2025-07/1 2025-07/12 2025-07/9");
		PQclear(res);
	}
	/* against text of the default collation, as the import's staging tables hold it */
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher v "
					"JOIN (VALUES ('2025-07/12'::text COLLATE \"default\"), "
					"('2025-08/1')) x(e) ON v.external_id = x.e"),
			 2);
	assert_int_equal(testdb_int(db, "SELECT count(*) FROM cunji.voucher "
					"WHERE external_id = ANY (ARRAY['2025-07/9', 'nope']::text[])"),
			 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bulk_paths_and_totals),
		cmocka_unit_test(test_bulk_refusals),
		cmocka_unit_test(test_bulk_range_shared_with_other_vouchers),
		cmocka_unit_test(test_bulk_opening_and_empty),
		cmocka_unit_test(test_bulk_overflow_refused),
		cmocka_unit_test(test_bulk_schema),
	};

	return cmocka_run_group_tests_name("bulk_rules", tests, setup, teardown);
}
