/*
 * bench_post.c - posting and trial-balance speed on the embedded cluster
 *
 * Prints figures; it asserts nothing (see docs/performance.md):
 *   1. batch posting through cj_post_batch, every rule checked in C and in
 *      the database, three-line vouchers in batches of --batch;
 *   2. the same rows by a bare pipelined INSERT into tables with no
 *      constraints or triggers (the yardstick), and the ratio;
 *   3. single vouchers committed one by one: median and p95 latency, and the
 *      server backend's CPU time for each (/proc/PID/schedstat); then as many
 *      again with synchronous_commit off, which takes the disk's flush out;
 *   4. a fresh backend's first posting: a new connection posts one voucher,
 *      then a second one on the same connection (--fresh rounds), the
 *      wall and backend CPU time of each; --fresh-posts P posts P vouchers
 *      on each fresh connection instead (0, 1 or 2), and --only-fresh skips
 *      the other parts, so that a server run under valgrind counts the
 *      instructions of a first posting (docs/performance.md);
 *   5. trial balance of one village-year and of the whole county; with
 *      --years Y, the county's of each year, taken in turn, and the ratio of
 *      the last year to the first, of the wall times and of the server
 *      backend's CPU times (which the load of a shared machine bends less).
 *
 * usage: bench_post [--villages N] [--vouchers N] [--years Y] [--batch N]
 *                   [--singles N] [--fresh N] [--fresh-posts P] [--only-fresh]
 *                   [--reuse]
 * --vouchers is per village and year.  --reuse keeps the books of the last
 * run (same --villages and --years) and goes straight to 3.
 * Uses database cunji_bench in the embedded cluster under $CUNJI_HOME.
 */
#include <limits.h>
#include <stdint.h>
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

/* Voucher k (0 .. per-1) of a village's year, in date order; the amounts
 * depend on the village, year and k alone, so any voucher can be made again. */
static void
fill(bv *b, int village, int year, int k, int per_village)
{
	const char *const *a = accounts[k % 3];
	uint64_t seed = ((uint64_t)village * 1000003u + (uint64_t)year) * 1000003u + (uint64_t)k;
	int64_t x, y;

	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	x = 100 + (int64_t)(seed >> 40) % 500000;
	y = 100 + (int64_t)(seed >> 20) % 300000;
	memset(b, 0, sizeof *b);
	b->v.village_id = village;
	b->v.date.year = year;
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
		/* Twice what the bank pays out, so that no month ends with the bank
		 * in credit, which the database refuses (any --vouchers works). */
		b->l[0].debit.fen = 2 * (x + y);
		b->l[1].credit.fen = 2 * x;
		b->l[2].credit.fen = 2 * y;
	} else {
		b->l[0].debit.fen = x;
		b->l[1].debit.fen = y;
		b->l[2].credit.fen = x + y;
	}
}

/* The books to post: villages in turn, each village's years in order. */
typedef struct books {
	const int *ids;
	long villages, per, years;
	int first_year;
} books;

static void
nth(const books *bk, long i, bv *b)
{
	long per_village = bk->per * bk->years, k = i % per_village;

	fill(b, bk->ids[i / per_village], bk->first_year + (int)(k / bk->per), (int)(k % bk->per),
	     (int)bk->per);
}

static void
exec_ok(cj_db *db, const char *sql)
{
	if (cj_db_exec(db, NULL, sql, 0, NULL))
		die(db, sql);
}

/* CPU time of a server backend so far, in seconds (the scheduler's count, in
 * nanoseconds, unlike the 10 ms ticks of /proc/PID/stat). */
static double
backend_cpu(cj_db *db)
{
	char path[64];
	unsigned long long ns = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/schedstat", PQbackendPID(cj_db_conn(db)));
	f = fopen(path, "r");
	if (!f || fscanf(f, "%llu", &ns) != 1)
		ns = 0;
	if (f)
		fclose(f);
	return (double)ns / 1e9;
}

/* The yardstick: the same rows, pipelined prepared INSERTs, no checks.  db
 * is the bootstrap superuser's connection: a login (since 0015) may not make
 * tables in the books' schema, so the bare tables are public's. */
static double
bare_insert(cj_db *db, const books *bk, long n, int batch)
{
	PGconn *conn = cj_db_conn(db);
	char p[12][64];
	const char *pv[12];
	double t0;
	long sent = 0;

	exec_ok(db, "SET search_path = public");
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
		bv b;
		cj_voucher *v = &b.v;
		nth(bk, i, &b);
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

/* A December voucher of the last year, its amounts from round i. */
static void
one_voucher(const books *bk, long i, bv *b)
{
	fill(b, bk->ids[i % bk->villages], bk->first_year + (int)bk->years - 1,
	     (int)(i % bk->per), (int)bk->per);
	b->v.date.month = 12;
}

static double
median(double *x, long n)
{
	qsort(x, (size_t)n, sizeof *x, cmp_double);
	return x[n / 2];
}

/* Organisations and sub-accounts of the bench county, books from first. */
static void
set_up_county(cj_db *db, int *ids, long villages, cj_period first)
{
	char code[48], tcode[24];

	if (cj_org_add(db, CJ_ORG_COUNTY, "360925", "基准县", NULL, first))
		die(db, "orgs");
	/* 统计用区划代码: villages 201-999 of townships 100, 101 ... */
	for (long i = 0; i < villages; i++) {
		cj_org o;
		snprintf(tcode, sizeof tcode, "3609251%02ld", i / 799);
		snprintf(code, sizeof code, "%s%03ld", tcode, 201 + i % 799);
		if (i % 799 == 0 && cj_org_add(db, CJ_ORG_TOWNSHIP, tcode, "基准镇", "360925", first))
			die(db, "orgs");
		if (cj_org_add(db, CJ_ORG_VILLAGE, code, "基准村", tcode, first) ||
		    cj_org_find(db, code, &o) || cj_account_add(db, o.id, "102001", "农商行") ||
		    cj_account_add(db, o.id, "501001", "发包") ||
		    cj_account_add(db, o.id, "501002", "租赁") ||
		    cj_account_add(db, o.id, "513002", "办公") ||
		    cj_account_add(db, o.id, "513003", "水电"))
			die(db, "villages");
		ids[i] = o.id;
	}
}

static void
find_county(cj_db *db, int *ids, long villages)
{
	char code[48];

	for (long i = 0; i < villages; i++) {
		cj_org o;
		snprintf(code, sizeof code, "3609251%02ld%03ld", i / 799, 201 + i % 799);
		if (cj_org_find(db, code, &o))
			die(db, "--reuse: the books of the last run");
		ids[i] = o.id;
	}
}

/* Singles: each voucher its own transaction and commit, durable (what
 * is printed is wall time with the WAL flushed to disk) or not. */
static void
singles_run(cj_poster *p, cj_db *db, const books *bk, long singles, int durable)
{
	double *lat = calloc((size_t)singles, sizeof *lat);
	double *cpu = calloc((size_t)singles, sizeof *cpu);
	double p95;
	cj_posted posted;

	if (!lat || !cpu)
		die(NULL, "out of memory");
	exec_ok(db, durable ? "SET synchronous_commit = on" : "SET synchronous_commit = off");
	for (long i = 0; i < singles; i++) {
		bv one;
		double s, c;
		one_voucher(bk, i + (durable ? 0 : singles), &one);
		c = backend_cpu(db);
		s = now();
		if (cj_post_batch(p, &one.v, 1, &posted))
			die(db, "single");
		lat[i] = now() - s;
		cpu[i] = backend_cpu(db) - c;
	}
	median(lat, singles); /* sorts */
	p95 = lat[singles * 95 / 100];
	printf("single voucher committed alone%s median %.3f ms, p95 %.3f ms; server CPU median "
	       "%.3f ms (%ld vouchers)\n",
	       durable ? ":     " : ",\n  not waiting for the disk:          ", lat[singles / 2] * 1e3,
	       p95 * 1e3, median(cpu, singles) * 1e3, singles);
	free(lat);
	free(cpu);
}

/* A fresh backend's first posting, then a second on the same connection. */
static void
fresh_run(const char *home, const books *bk, long rounds, int posts)
{
	double *w[2], *c[2];
	char err[512];

	for (int k = 0; k < 2; k++) {
		w[k] = calloc((size_t)rounds, sizeof *w[k]);
		c[k] = calloc((size_t)rounds, sizeof *c[k]);
		if (!w[k] || !c[k])
			die(NULL, "out of memory");
	}
	for (long i = 0; i < rounds; i++) {
		cj_db *db;
		cj_poster *p;
		if (cj_cluster_connect(home, "cunji_bench", &db, err, sizeof err)) {
			fprintf(stderr, "bench_post: %s\n", err);
			exit(1);
		}
		if (cj_poster_new(&p, db))
			die(db, "poster");
		for (int k = 0; k < posts; k++) {
			bv one;
			cj_posted posted;
			double s, t;
			one_voucher(bk, i * 2 + k, &one);
			t = backend_cpu(db);
			s = now();
			if (cj_post_batch(p, &one.v, 1, &posted))
				die(db, "fresh");
			w[k][i] = now() - s;
			c[k][i] = backend_cpu(db) - t;
		}
		cj_poster_free(p);
		cj_db_close(db);
	}
	printf("fresh backend, first voucher:        median %.3f ms; server CPU median %.3f ms "
	       "(%ld connections)\n",
	       median(w[0], rounds) * 1e3, median(c[0], rounds) * 1e3, rounds);
	printf("  the second on the same connection: median %.3f ms; server CPU median %.3f ms\n",
	       median(w[1], rounds) * 1e3, median(c[1], rounds) * 1e3);
	for (int k = 0; k < 2; k++) {
		free(w[k]);
		free(c[k]);
	}
}

/* One trial balance of org over [from, to], its time; the server backend's
 * CPU time for it into *cpu (NULL: not wanted). */
static double
tb_time(cj_db *db, const char *org, cj_period from, cj_period to, double *cpu)
{
	cj_tb *tb;
	double c = backend_cpu(db), s = now();

	if (cj_tb_build(db, org, from, to, &tb))
		die(db, "tb");
	s = now() - s;
	if (cpu)
		*cpu = backend_cpu(db) - c;
	if (tb->closing_debit != tb->closing_credit)
		die(NULL, "the trial balance does not balance");
	cj_tb_free(tb);
	return s;
}

#define TB_RUNS 30

static void
tb_run(cj_db *db, const books *bk)
{
	int last = bk->first_year + (int)bk->years - 1;
	cj_period from = {last, 1}, to = {last, 12};
	double t[TB_RUNS], y[20][TB_RUNS], yc[20][TB_RUNS], med[20], cmed[20], m;

	/* median() sorts: t[0] is then the best */
	for (int r = 0; r < TB_RUNS; r++)
		t[r] = tb_time(db, "360925100201", from, to, NULL);
	m = median(t, TB_RUNS);
	printf("trial balance, one village-year (%d): median %.2f ms, best %.2f ms\n", last, m * 1e3,
	       t[0] * 1e3);
	for (int r = 0; r < TB_RUNS; r++)
		t[r] = tb_time(db, "360925", from, to, NULL);
	m = median(t, TB_RUNS);
	printf("trial balance, county of %ld villages (%d): median %.2f ms, best %.2f ms\n",
	       bk->villages, last, m * 1e3, t[0] * 1e3);
	if (bk->years < 2)
		return;
	/* each year in turn, so that the machine's load falls on all alike */
	for (int r = 0; r < TB_RUNS; r++)
		for (long k = 0; k < bk->years; k++) {
			cj_period f = {bk->first_year + (int)k, 1}, e = {bk->first_year + (int)k, 12};
			y[k][r] = tb_time(db, "360925", f, e, &yc[k][r]);
		}
	for (long k = 0; k < bk->years; k++) {
		med[k] = median(y[k], TB_RUNS);
		cmed[k] = median(yc[k], TB_RUNS);
		printf("trial balance, county, year %d (%ld of %ld): median %.2f ms, best %.2f ms; "
		       "server CPU median %.2f ms\n",
		       bk->first_year + (int)k, k + 1, bk->years, med[k] * 1e3, y[k][0] * 1e3,
		       cmed[k] * 1e3);
	}
	printf("ratio county trial balance, year %ld / year 1: %.2f x (medians), %.2f x (best), "
	       "%.2f x (server CPU medians)\n",
	       bk->years, med[bk->years - 1] / med[0], y[bk->years - 1][0] / y[0][0],
	       cmed[bk->years - 1] / cmed[0]);
}

int
main(int argc, char **argv)
{
	long villages = 75, per = 3000, years = 1, batch = 1000, singles = 1000, fresh = 100;
	long posts = 2;
	int reuse = 0, only_fresh = 0;
	char home[PATH_MAX], err[512];
	cj_db *db = NULL, *su = NULL;
	cj_poster *p;
	int *ids;
	cj_voucher *batchv;
	bv *bvs;
	cj_posted *posted;
	books bk;
	double t, tbare;
	long n;

	for (int i = 1; i < argc; i++) {
		long v = i + 1 < argc ? strtol(argv[i + 1], NULL, 10) : -1;
		if (!strcmp(argv[i], "--reuse")) {
			reuse = 1;
			continue;
		}
		if (!strcmp(argv[i], "--only-fresh")) {
			only_fresh = 1;
			continue;
		}
		if (!strcmp(argv[i], "--villages"))
			villages = v;
		else if (!strcmp(argv[i], "--vouchers"))
			per = v;
		else if (!strcmp(argv[i], "--years"))
			years = v;
		else if (!strcmp(argv[i], "--batch"))
			batch = v;
		else if (!strcmp(argv[i], "--singles"))
			singles = v;
		else if (!strcmp(argv[i], "--fresh"))
			fresh = v;
		else if (!strcmp(argv[i], "--fresh-posts"))
			posts = v;
		else {
			fprintf(stderr, "usage: bench_post [--villages N] [--vouchers N] [--years Y] "
					"[--batch N] [--singles N] [--fresh N] [--fresh-posts P] "
					"[--only-fresh] [--reuse]\n");
			return 2;
		}
		i++;
	}
	if (villages < 1 || villages > 100 * 799 || per < 3 || years < 1 || years > 20 ||
	    batch < 1 || singles < 1 || fresh < 1 || posts < 0 || posts > 2)
		return 2;
	if (cj_cluster_home(home, sizeof home, err, sizeof err) ||
	    (!reuse && cj_cluster_recreate_db(home, "cunji_bench", err, sizeof err)) ||
	    cj_cluster_connect(home, "cunji_bench", &db, err, sizeof err)) {
		fprintf(stderr, "bench_post: %s\n", err);
		return 1;
	}
	if (cj_db_migrate(db, NULL) || cj_poster_new(&p, db))
		die(db, "connect");

	ids = calloc((size_t)villages, sizeof *ids);
	batchv = calloc((size_t)batch, sizeof *batchv);
	bvs = calloc((size_t)batch, sizeof *bvs);
	posted = calloc((size_t)batch, sizeof *posted);
	if (!ids || !batchv || !bvs || !posted)
		die(NULL, "out of memory");
	/* the last year is this one's last, the year the books take */
	bk = (books){ids, villages, per, years, 2025 - (int)years + 1};
	n = villages * per * years;
	if (reuse) {
		find_county(db, ids, villages);
		printf("bench_post: the books of the last run, %ld villages x %ld years\n", villages,
		       years);
	} else {
		set_up_county(db, ids, villages, (cj_period){bk.first_year, 1});
		printf("bench_post: %ld villages x %ld years x %ld three-line vouchers = %ld vouchers, "
		       "%ld lines; batches of %ld\n",
		       villages, years, per, n, n * 3, batch);
		t = now();
		for (long i = 0; i < n; i += batch) {
			long m = n - i < batch ? n - i : batch;
			for (long j = 0; j < m; j++) {
				nth(&bk, i + j, &bvs[j]);
				bvs[j].v.lines = bvs[j].l;
				batchv[j] = bvs[j].v;
			}
			if (cj_post_batch(p, batchv, (size_t)m, posted))
				die(db, "post");
		}
		t = now() - t;
		printf("batch posting (every rule checked):  %8.0f vouchers/s  %8.0f lines/s  (%.2f s)\n",
		       (double)n / t, (double)n * 3 / t, t);
		if (cj_cluster_connect_as(home, "cunji_bench", "postgres", NULL, &su, err,
					  sizeof err)) {
			fprintf(stderr, "bench_post: %s\n", err);
			return 1;
		}
		tbare = bare_insert(su, &bk, n, (int)batch);
		printf("bare pipelined INSERT, no checks:    %8.0f vouchers/s  %8.0f rows/s   (%.2f s)\n",
		       (double)n / tbare, (double)n * 4 / tbare, tbare);
		printf("ratio checked / bare:                %8.2f x the time\n", t / tbare);
		exec_ok(su, "DROP TABLE bare_voucher, bare_line");
		cj_db_close(su);
	}

	if (only_fresh) {
		fresh_run(home, &bk, fresh, (int)posts);
	} else {
		singles_run(p, db, &bk, singles, 1);
		singles_run(p, db, &bk, singles, 0);
		exec_ok(db, "SET synchronous_commit = on");
		fresh_run(home, &bk, fresh, (int)posts);
		exec_ok(db, "ANALYZE");
		tb_run(db, &bk);
	}
	cj_poster_free(p);
	cj_db_close(db);
	free(ids);
	free(batchv);
	free(bvs);
	free(posted);
	return 0;
}
