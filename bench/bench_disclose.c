/*
 * bench_disclose.c - the cost of the three-level disclosure, piece by piece
 *
 * Prints figures; it asserts nothing (see docs/performance.md):
 *   1. the fixed cost of one file: a one-line report rendered to PDF (the
 *      Chinese font loaded and embedded) and to XLSX, --files times;
 *   2. one village's sheet set: the queries and model, its XLSX, its PDF
 *      (median over the first --sample villages);
 *   3. the whole run, cj_disclose of the county with --all for each period
 *      (by default the demo's tree: 2025Q4 and 2025): wall time, CPU of
 *      this process and of the workers, the largest resident set of each,
 *      and the files written; with --rounds N, N runs and their median.
 *
 * usage: bench_disclose [--db NAME] [--county CODE] [--period P]... [--jobs N]
 *                       [--out DIR] [--files N] [--sample N] [--rounds N]
 * Reads database NAME (default cunji_demo) of the embedded cluster under
 * $CUNJI_HOME, as built by `cunji demo --villages N`.
 *
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <ledger/sql.h>
#include <reports/disclosure.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(cj_db *db, const char *what)
{
	fprintf(stderr, "bench_disclose: %s%s%s\n", what, db ? ": " : "", db ? cj_db_errmsg(db) : "");
	exit(1);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n ? v[n / 2] : 0;
}

static long
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long)st.st_size;
}

/* Files and bytes under a directory. */
static void
tree_size(const char *dir, long *files, double *bytes)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	struct stat st;

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			tree_size(path, files, bytes);
		} else {
			(*files)++;
			*bytes += (double)st.st_size;
		}
	}
	closedir(d);
}

static double
cpu(const struct rusage *r)
{
	return (double)r->ru_utime.tv_sec + (double)r->ru_utime.tv_usec / 1e6 +
	       (double)r->ru_stime.tv_sec + (double)r->ru_stime.tv_usec / 1e6;
}

int
main(int argc, char **argv)
{
	const char *dbname = "cunji_demo", *county = "360925", *out = NULL;
	const char *periods[8] = {"2025Q4", "2025"};
	int jobs = 2, nfiles = 20, sample = 10, nperiods = 0, rounds = 1;
	char home[4096], ci[8192], err[512], tmpl[] = "/tmp/cunji-bench-disclose-XXXXXX";
	char path[4200];
	cj_db *db = NULL;
	cj_span p, ps[8];
	char tag[CJ_SPAN_TEXT_MAX], why[256];
	cj_org *orgs = NULL;
	size_t norgs = 0;

	for (int i = 1; i < argc; i += 2) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			die(NULL, "every option takes a value");
		if (!strcmp(argv[i], "--db"))
			dbname = v;
		else if (!strcmp(argv[i], "--county"))
			county = v;
		else if (!strcmp(argv[i], "--period") && nperiods < 8)
			periods[nperiods++] = v;
		else if (!strcmp(argv[i], "--rounds"))
			rounds = atoi(v) > 0 ? atoi(v) : 1;
		else if (!strcmp(argv[i], "--jobs"))
			jobs = atoi(v);
		else if (!strcmp(argv[i], "--out"))
			out = v;
		else if (!strcmp(argv[i], "--files"))
			nfiles = atoi(v);
		else if (!strcmp(argv[i], "--sample"))
			sample = atoi(v);
		else
			die(NULL, "usage: bench_disclose [--db NAME] [--county CODE] [--period P]... "
				  "[--jobs N] [--out DIR] [--files N] [--sample N] [--rounds N]");
	}
	if (!nperiods)
		nperiods = 2;
	for (int i = 0; i < nperiods; i++)
		if (cj_span_parse(&ps[i], periods[i], why, sizeof why)) {
			fprintf(stderr, "bench_disclose: --period %s\n", why);
			return 2;
		}
	p = ps[0];
	if (cj_cluster_home(home, sizeof home, err, sizeof err) ||
	    cj_cluster_ensure(home, dbname, ci, sizeof ci, NULL, err, sizeof err)) {
		fprintf(stderr, "bench_disclose: %s\n", err);
		return 1;
	}
	if (cj_db_connect(&db, ci))
		die(db, "connect");
	if (!out && !(out = mkdtemp(tmpl)))
		die(NULL, "mkdtemp");
	mkdir(out, 0777);
	printf("bench_disclose: %s, county %s, period(s)", dbname, county);
	for (int i = 0; i < nperiods; i++)
		printf(" %s", cj_span_tag(tag, sizeof tag, ps[i]));
	printf(", %d job(s), files under %s\n", jobs, out);

	/* 1. the fixed cost of a file */
	{
		cj_report *r = cj_report_new("测试");
		cj_table *t = r ? cj_report_table(r, "表", 0) : NULL;
		const cj_report *rs[1] = {r};
		double t0, tpdf, txlsx;
		long row = -1;

		if (!t || cj_table_column(r, t, NULL, "项目", CJ_COL_TEXT, 10) ||
		    cj_table_column(r, t, NULL, "金额", CJ_COL_MONEY, 10) ||
		    (row = cj_table_row(r, t, CJ_ROW_DATA, 0)) < 0 || cj_table_text(r, t, row, 0, "收入"))
			die(NULL, "out of memory");
		cj_table_number(t, row, 1, 123456);
		snprintf(path, sizeof path, "%s/one.pdf", out);
		t0 = now();
		for (int i = 0; i < nfiles; i++)
			if (cj_render_pdf(rs, 1, path, err, sizeof err))
				die(NULL, err);
		tpdf = (now() - t0) / nfiles;
		printf("  one-line PDF:  %6.1f ms, %ld bytes (the embedded font)\n", tpdf * 1e3,
		       file_size(path));
		snprintf(path, sizeof path, "%s/one.xlsx", out);
		t0 = now();
		for (int i = 0; i < nfiles; i++)
			if (cj_render_xlsx(rs, 1, path, err, sizeof err))
				die(NULL, err);
		txlsx = (now() - t0) / nfiles;
		printf("  one-line XLSX: %6.1f ms, %ld bytes\n", txlsx * 1e3, file_size(path));
		cj_report_free(r);
	}

	/* 2. one village's sheet set */
	if (cj_org_list(db, county, &orgs, &norgs))
		die(db, "org list");
	{
		double *tb = calloc((size_t)sample, sizeof *tb), *tx = calloc((size_t)sample, sizeof *tx);
		double *tp = calloc((size_t)sample, sizeof *tp);
		long xbytes = 0, pbytes = 0;
		int n = 0;
		cj_date none = {0, 0, 0};

		for (size_t i = 0; i < norgs && n < sample; i++) {
			cj_report *r[2];
			double t0;

			if (orgs[i].level != CJ_ORG_VILLAGE)
				continue;
			t0 = now();
			if (cj_dis_village_reports(db, orgs[i].id, p, none, r))
				die(db, "village sheets");
			tb[n] = now() - t0;
			snprintf(path, sizeof path, "%s/village.xlsx", out);
			t0 = now();
			if (cj_render_xlsx((const cj_report *const *)r, 2, path, err, sizeof err))
				die(NULL, err);
			tx[n] = now() - t0;
			xbytes = file_size(path);
			snprintf(path, sizeof path, "%s/village.pdf", out);
			t0 = now();
			if (cj_render_pdf((const cj_report *const *)r, 2, path, err, sizeof err))
				die(NULL, err);
			tp[n] = now() - t0;
			pbytes = file_size(path);
			cj_report_free(r[0]);
			cj_report_free(r[1]);
			n++;
		}
		printf("  one village (median of %d): queries and model %.1f ms, XLSX %.1f ms (%ld bytes), "
		       "PDF %.1f ms (%ld bytes)\n",
		       n, median(tb, n) * 1e3, median(tx, n) * 1e3, xbytes, median(tp, n) * 1e3, pbytes);
		free(tb);
		free(tx);
		free(tp);
	}

	/* 3. the whole run, each period, --rounds times */
	{
		double *wall = calloc((size_t)rounds, sizeof *wall);
		long files = 0, villages = 0, vouchers = 0;
		double bytes = 0;
		struct rusage self, kids, before;
		char dir[4200];

		if (!wall)
			die(NULL, "out of memory");
		for (size_t i = 0; i < norgs; i++)
			villages += orgs[i].level == CJ_ORG_VILLAGE;
		getrusage(RUSAGE_SELF, &before);
		for (int k = 0; k < rounds; k++) {
			files = 0;
			bytes = 0;
			for (int i = 0; i < nperiods; i++) {
				cj_dis_request req;
				cj_dis_result res;
				double t0;

				snprintf(dir, sizeof dir, "%s/tree%d", out, k);
				memset(&req, 0, sizeof req);
				req.level = CJ_DIS_COUNTY;
				req.code = county;
				req.period = ps[i];
				req.all = 1;
				req.out_dir = dir;
				req.jobs = jobs;
				t0 = now();
				if (cj_disclose(db, &req, &res))
					die(db, "disclose");
				wall[k] += now() - t0;
				vouchers = res.vouchers;
			}
			tree_size(dir, &files, &bytes);
		}
		getrusage(RUSAGE_SELF, &self);
		getrusage(RUSAGE_CHILDREN, &kids);
		printf("  whole county, %ld villages, %ld vouchers, every period: %.1f s wall%s; CPU "
		       "%.1f s here + %.1f s in workers%s; peak RSS %ld MB here, %ld MB largest worker; "
		       "%ld files, %.1f MB\n",
		       villages, vouchers, median(wall, rounds), rounds > 1 ? " (median)" : "", cpu(&self) - cpu(&before),
		       cpu(&kids), rounds > 1 ? " (all rounds)" : "", self.ru_maxrss / 1024,
		       kids.ru_maxrss / 1024, files, bytes / 1048576.0);
		free(wall);
	}
	free(orgs);
	cj_db_close(db);
	return 0;
}
