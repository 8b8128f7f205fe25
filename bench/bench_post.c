/*
 * bench_post.c - posting and trial-balance speed on the embedded cluster
 *
 * Prints figures; it asserts nothing (see docs/performance.md):
 *   1. batch posting through cj_post_batch, every rule checked in C and in
 *      the database, three-line vouchers in batches of --batch;
 *   2. the same rows by a bare pipelined INSERT into tables with no
 *      constraints or triggers (the yardstick), and the ratio;
 *   3. single vouchers committed one by one: median and p95 latency;
 *   4. trial balance of one village-year and of the whole county.
 *
 * usage: bench_post [--villages N] [--vouchers N] [--batch N] [--singles N]
 * Uses database cunji_bench in the embedded cluster under $CUNJI_HOME.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ledger/ledger.h>
#include <ledger/sql.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
die(cj_db *db, const char *what)
{
	fprintf(stderr, "bench_post: %s: %s\n", what, db ? cj_db_errmsg(db) : "");
	exit(1);
}

typedef struct bv {
	cj_voucher v;
	cj_line l[3];
} bv;

static const char *const accounts[][3] = {
	{"513002", "513003", "102001"}, /* two expenses paid from the bank */
	{"102001", "501001", "501002"}, /* income received in two kinds */
	{"101", "102001", "504"},
};

static void
fill(bv *b, int village, int k, int per_village, uint64_t *seed)
{
	const char *const *a = accounts[k % 3];
	int64_t x, y;

	*seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
	x = 100 + (int64_t)(*seed >> 40) % 500000;
	y = 100 + (int64_t)(*seed >> 20) % 300000;
	memset(b, 0, sizeof *b);
	b->v.village_id = village;
	b->v.date.year = 2025;
	b->v.date.month = 1 + k * 12 / per_village;
	b->v.date.day = 1 + k % 28;
	b->v.summary = "基准测试凭证";
	b->v.preparer = "bench";
	b->v.lines = b->l;
	b->v.nlines = 3;
	b->l[0].account = a[0];
	b->l[1].account = a[1];
	b->l[2].account = a[2];
	if (k % 3 == 0) {
		b->l[0].debit.fen = x;
		b->l[1].debit.fen = y;
		b->l[2].credit.fen = x + y;
	} else if (k % 3 == 1) {
		b->l[0].debit.fen = x + y;
		b->l[1].credit.fen = x;
		b->l[2].credit.fen = y;
	} else {
		b->l[0].debit.fen = x;
		b->l[1].debit.fen = y;
		b->l[2].credit.fen = x + y;
	}
}

static void
exec_ok(cj_db *db, const char *sql)
{
	if (cj_db_exec(db, NULL, sql, 0, NULL))
		die(db, sql);
}

/* The yardstick: the same rows, pipelined prepared INSERTs, no checks. */
static double
bare_insert(cj_db *db, bv *vs, long n, int batch)
{
	PGconn *conn = cj_db_conn(db);
	char p[12][64];
	const char *pv[12];
	double t0;
	long sent = 0;

	exec_ok(db, "DROP TABLE IF EXISTS bare_voucher, bare_line");
	exec_ok(db, "CREATE TABLE bare_voucher (village_id int, id bigint, period date, number int, "
		    "voucher_date date, kind text, summary text, preparer text, attachments int, "
		    "external_id text, content_hash text, reverses_id bigint)");
	exec_ok(db, "CREATE TABLE bare_line (village_id int, voucher_id bigint, line_no smallint, "
		    "period date, account_code text, debit_fen bigint, credit_fen bigint, summary "
		    "text, counterparty text, fund_id bigint, project_id bigint)");
	if (PQenterPipelineMode(conn) != 1)
		die(db, "pipeline mode");
	PQsendPrepare(conn, "bv",
		      "INSERT INTO bare_voucher VALUES ($1, $2, $3, $4, $5, 'normal', $6, 'bench', 0, "
		      "NULL, 'x', NULL)",
		      6, NULL);
	PQsendPrepare(conn, "bl",
		      "INSERT INTO bare_line VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL, NULL)",
		      8, NULL);
	PQpipelineSync(conn);
	t0 = now();
	for (long i = 0; i < n; i++) {
		cj_voucher *v = &vs[i].v;
		if (i % batch == 0)
			PQsendQueryParams(conn, "BEGIN", 0, NULL, NULL, NULL, NULL, 0);
		snprintf(p[0], 64, "%d", v->village_id);
		snprintf(p[1], 64, "%ld", i + 1);
		snprintf(p[2], 64, "%04d-%02d-01", v->date.year, v->date.month);
		snprintf(p[3], 64, "%ld", i + 1);
		snprintf(p[4], 64, "%04d-%02d-%02d", v->date.year, v->date.month, v->date.day);
		for (int k = 0; k < 6; k++)
			pv[k] = p[k];
		pv[5] = v->summary;
		PQsendQueryPrepared(conn, "bv", 6, pv, NULL, NULL, 0);
		for (size_t j = 0; j < v->nlines; j++) {
			snprintf(p[6], 64, "%zu", j + 1);
			snprintf(p[7], 64, "%lld", (long long)v->lines[j].debit.fen);
			snprintf(p[8], 64, "%lld", (long long)v->lines[j].credit.fen);
			pv[0] = p[0];
			pv[1] = p[1];
			pv[2] = p[6];
			pv[3] = p[2];
			pv[4] = v->lines[j].account;
			pv[5] = p[7];
			pv[6] = p[8];
			pv[7] = v->summary;
			PQsendQueryPrepared(conn, "bl", 8, pv, NULL, NULL, 0);
		}
		if ((i + 1) % batch == 0 || i + 1 == n) {
			PQsendQueryParams(conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0);
			PQpipelineSync(conn);
			sent++;
		}
	}
	/* drain every result up to the last sync */
	for (long syncs = 0; syncs <= sent;) {
		PGresult *r = PQgetResult(conn);
		if (!r) {
			continue;
		}
		if (PQresultStatus(r) == PGRES_PIPELINE_SYNC)
			syncs++;
		else if (PQresultStatus(r) == PGRES_FATAL_ERROR)
			die(db, PQresultErrorMessage(r));
		PQclear(r);
	}
	t0 = now() - t0;
	PQexitPipelineMode(conn);
	return t0;
}

int
main(int argc, char **argv)
{
	long villages = 75, per = 3000, batch = 1000, singles = 1000;
	char home[PATH_MAX], err[512];
	cj_db *db = NULL;
	cj_poster *p;
	int *ids;
	bv *vs;
	cj_voucher *batchv;
	cj_posted *posted;
	double t, tbare, *lat;
	long n;
	uint64_t seed = 42;

	for (int i = 1; i + 1 < argc; i += 2) {
		long v = strtol(argv[i + 1], NULL, 10);
		if (!strcmp(argv[i], "--villages"))
			villages = v;
		else if (!strcmp(argv[i], "--vouchers"))
			per = v;
		else if (!strcmp(argv[i], "--batch"))
			batch = v;
		else if (!strcmp(argv[i], "--singles"))
			singles = v;
		else {
			fprintf(stderr, "usage: bench_post [--villages N] [--vouchers N] [--batch N] "
					"[--singles N]\n");
			return 2;
		}
	}
	if (villages < 1 || villages > 100 * 799 || per < 3 || batch < 1 || singles < 1)
		return 2;
	if (cj_cluster_home(home, sizeof home, err, sizeof err) ||
	    cj_cluster_recreate_db(home, "cunji_bench", err, sizeof err) ||
	    cj_cluster_connect(home, "cunji_bench", &db, err, sizeof err)) {
		fprintf(stderr, "bench_post: %s\n", err);
		return 1;
	}
	if (cj_db_migrate(db, NULL) || cj_poster_new(&p, db))
		die(db, "connect");

	ids = calloc((size_t)villages, sizeof *ids);
	n = villages * per;
	vs = calloc((size_t)n, sizeof *vs);
	batchv = calloc((size_t)batch, sizeof *batchv);
	posted = calloc((size_t)(batch > singles ? batch : singles), sizeof *posted);
	lat = calloc((size_t)singles, sizeof *lat);
	if (!ids || !vs || !batchv || !posted || !lat)
		die(NULL, "out of memory");
	{
		cj_period start = {2025, 1};
		char code[48], tcode[24];
		if (cj_org_add(db, CJ_ORG_COUNTY, "360925", "基准县", NULL, start))
			die(db, "orgs");
		/* 统计用区划代码: villages 201-999 of townships 100, 101 ... */
		for (long i = 0; i < villages; i++) {
			cj_org o;
			snprintf(tcode, sizeof tcode, "3609251%02ld", i / 799);
			snprintf(code, sizeof code, "%s%03ld", tcode, 201 + i % 799);
			if (i % 799 == 0 && cj_org_add(db, CJ_ORG_TOWNSHIP, tcode, "基准镇", "360925", start))
				die(db, "orgs");
			if (cj_org_add(db, CJ_ORG_VILLAGE, code, "基准村", tcode, start) ||
			    cj_org_find(db, code, &o) || cj_account_add(db, o.id, "102001", "农商行") ||
			    cj_account_add(db, o.id, "501001", "发包") ||
			    cj_account_add(db, o.id, "501002", "租赁") ||
			    cj_account_add(db, o.id, "513002", "办公") ||
			    cj_account_add(db, o.id, "513003", "水电"))
				die(db, "villages");
			ids[i] = o.id;
		}
	}
	/* vouchers in date order within each village */
	for (long i = 0; i < villages; i++)
		for (long k = 0; k < per; k++)
			fill(&vs[i * per + k], ids[i], (int)k, (int)per, &seed);
	for (long i = 0; i < n; i++)
		vs[i].v.lines = vs[i].l;

	printf("bench_post: %ld villages x %ld three-line vouchers = %ld vouchers, %ld lines; "
	       "batches of %ld\n",
	       villages, per, n, n * 3, batch);

	t = now();
	for (long i = 0; i < n; i += batch) {
		long m = n - i < batch ? n - i : batch;
		for (long j = 0; j < m; j++)
			batchv[j] = vs[i + j].v;
		if (cj_post_batch(p, batchv, (size_t)m, posted))
			die(db, "post");
	}
	t = now() - t;
	printf("batch posting (every rule checked):  %8.0f vouchers/s  %8.0f lines/s  (%.2f s)\n",
	       (double)n / t, (double)n * 3 / t, t);

	tbare = bare_insert(db, vs, n, (int)batch);
	printf("bare pipelined INSERT, no checks:    %8.0f vouchers/s  %8.0f rows/s   (%.2f s)\n",
	       (double)n / tbare, (double)n * 4 / tbare, tbare);
	printf("ratio checked / bare:                %8.2f x the time\n", t / tbare);
	exec_ok(db, "DROP TABLE bare_voucher, bare_line");

	/* single vouchers, each its own transaction and durable commit */
	for (long i = 0; i < singles; i++) {
		bv one;
		double s;
		fill(&one, ids[i % villages], (int)(i % per), (int)per, &seed);
		one.v.lines = one.l;
		one.v.date.month = 12;
		s = now();
		if (cj_post_batch(p, &one.v, 1, posted))
			die(db, "single");
		lat[i] = now() - s;
	}
	qsort(lat, (size_t)singles, sizeof *lat, cmp_double);
	printf("single voucher committed alone:      median %.3f ms, p95 %.3f ms (%ld vouchers)\n",
	       lat[singles / 2] * 1e3, lat[singles * 95 / 100] * 1e3, singles);

	exec_ok(db, "ANALYZE");
	{
		cj_period from = {2025, 1}, to = {2025, 12};
		cj_tb *tb;
		double best = 1e9, sum = 0;
		int runs = 20;
		char code[32];
		snprintf(code, sizeof code, "360925100201");
		for (int r = 0; r < runs; r++) {
			double s = now();
			if (cj_tb_build(db, code, from, to, &tb))
				die(db, "tb");
			s = now() - s;
			cj_tb_free(tb);
			sum += s;
			if (s < best)
				best = s;
		}
		printf("trial balance, one village-year (%ld vouchers): mean %.2f ms, best %.2f ms\n",
		       per + (long)(singles / villages), sum / runs * 1e3, best * 1e3);
		best = 1e9;
		sum = 0;
		for (int r = 0; r < runs; r++) {
			double s = now();
			if (cj_tb_build(db, "360925", from, to, &tb))
				die(db, "tb");
			s = now() - s;
			if (tb->closing_debit != tb->closing_credit)
				die(NULL, "county trial balance does not balance");
			cj_tb_free(tb);
			sum += s;
			if (s < best)
				best = s;
		}
		printf("trial balance, county of %ld villages: mean %.2f ms, best %.2f ms\n", villages,
		       sum / runs * 1e3, best * 1e3);
	}
	cj_poster_free(p);
	cj_db_close(db);
	free(ids);
	free(vs);
	free(batchv);
	free(posted);
	free(lat);
	return 0;
}
