/*
 * bench_cli.c - what a cunji process costs beside a bare libpq process
 *
 * Runs `cunji org list` and `cunji post` as processes, alternately with
 * bench_bare (bare_libpq.c) doing the same work, on the embedded cluster
 * under $CUNJI_HOME, and prints the median and p90 wall time of each and
 * the ratio of the medians measured in the same run.  Prints figures; it
 * asserts nothing (see docs/performance.md).
 *
 * usage: bench_cli [--runs N] [--cunji PATH] [--bare PATH]
 * Uses the scratch database cunji_bench_cli.  The paths default to the
 * build tree: build/cunji and build/bench/bench_bare.
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include <ledger/ledger.h>

#define DBNAME "cunji_bench_cli"
#define VILLAGE "360925100201"

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

/* Wall time of one process in ms, output to /dev/null; *cpu gets its own
 * CPU time (user + system), which the load of a shared machine disturbs
 * less.  Exits on failure. */
static double
timed(char *const argv[], double *cpu)
{
	double t0 = now();
	pid_t pid = fork();
	struct rusage ru;
	int status;

	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		int nul = open("/dev/null", O_WRONLY);
		dup2(nul, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "bench_cli: %s %s failed\n", argv[0], argv[1]);
		exit(1);
	}
	*cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
	return (now() - t0) * 1000.0;
}

static void
setup(void)
{
	char home[PATH_MAX], err[512];
	cj_period start = {2025, 1};
	cj_db *db;

	if (cj_cluster_home(home, sizeof home, err, sizeof err) ||
	    cj_cluster_recreate_db(home, DBNAME, err, sizeof err) ||
	    cj_cluster_connect(home, DBNAME, &db, err, sizeof err)) {
		fprintf(stderr, "bench_cli: %s\n", err);
		exit(1);
	}
	if (cj_db_migrate(db, NULL) || cj_org_add(db, CJ_ORG_COUNTY, "360925", "靖安县", NULL, start) ||
	    cj_org_add(db, CJ_ORG_TOWNSHIP, "360925100", "双溪镇", "360925", start) ||
	    cj_org_add(db, CJ_ORG_VILLAGE, VILLAGE, "周口村", "360925100", start)) {
		fprintf(stderr, "bench_cli: %s\n", cj_db_errmsg(db));
		exit(1);
	}
	cj_db_close(db);
}

static void
report(const char *what, double *a, double *b, double *ca, double *cb, int n)
{
	qsort(a, (size_t)n, sizeof *a, cmp_double);
	qsort(b, (size_t)n, sizeof *b, cmp_double);
	qsort(ca, (size_t)n, sizeof *ca, cmp_double);
	qsort(cb, (size_t)n, sizeof *cb, cmp_double);
	printf("%-9s wall: cunji median %6.2f ms (p90 %6.2f), bare libpq %6.2f ms (p90 %6.2f), "
	       "ratio %.2fx\n",
	       what, a[n / 2], a[n * 9 / 10], b[n / 2], b[n * 9 / 10], a[n / 2] / b[n / 2]);
	printf("%-9s client CPU: cunji median %5.2f ms, bare libpq %5.2f ms\n", "", ca[n / 2],
	       cb[n / 2]);
}

int
main(int argc, char **argv)
{
	char dir[PATH_MAX], cunji[PATH_MAX + 16], bare[PATH_MAX + 16], home[PATH_MAX], err[512],
		conninfo[PATH_MAX + 64], date[16];
	double *t[8];
	int runs = 200;

	snprintf(dir, sizeof dir, "%s", argv[0]);
	snprintf(cunji, sizeof cunji, "%s/../cunji", dirname(dir));
	snprintf(dir, sizeof dir, "%s", argv[0]);
	snprintf(bare, sizeof bare, "%s/bench_bare", dirname(dir));
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--cunji") && i + 1 < argc)
			snprintf(cunji, sizeof cunji, "%s", argv[++i]);
		else if (!strcmp(argv[i], "--bare") && i + 1 < argc)
			snprintf(bare, sizeof bare, "%s", argv[++i]);
		else {
			fprintf(stderr, "usage: bench_cli [--runs N] [--cunji PATH] [--bare PATH]\n");
			return 2;
		}
	}
	if (runs < 2)
		return 2;
	setup();
	if (cj_cluster_home(home, sizeof home, err, sizeof err) ||
	    cj_cluster_url(home, DBNAME, conninfo, sizeof conninfo))
		return 1;
	for (int k = 0; k < 8; k++)
		if (!(t[k] = calloc((size_t)runs, sizeof *t[k])))
			return 1;
	/* once each first, so that caches are warm for both */
	for (int i = -1; i < runs; i++) {
		char *cl[] = {cunji, "--db", DBNAME, "org", "list", NULL};
		char *bl[] = {bare, "org-list", conninfo, NULL};
		char *cp[] = {cunji, "--db", DBNAME, "post", "--village", VILLAGE, "--date", date,
			      "--summary", "bench", "--debit", "101=1", "--credit", "501=1", NULL};
		char *bp[] = {bare, "post", conninfo, VILLAGE, date, NULL};
		double x[4], c[4];
		int first = i & 1; /* who goes first alternates */

		/* one month per 500 vouchers, so that no month's counter grows large */
		snprintf(date, sizeof date, "2025-%02d-15", 1 + ((i + 1) / 250) % 12);
		if (first) {
			x[1] = timed(bl, &c[1]), x[0] = timed(cl, &c[0]);
			x[3] = timed(bp, &c[3]), x[2] = timed(cp, &c[2]);
		} else {
			x[0] = timed(cl, &c[0]), x[1] = timed(bl, &c[1]);
			x[2] = timed(cp, &c[2]), x[3] = timed(bp, &c[3]);
		}
		for (int k = 0; i >= 0 && k < 4; k++)
			t[k][i] = x[k], t[k + 4][i] = c[k];
	}
	printf("%d runs each, alternating, on %s (database %s)\n", runs, home, DBNAME);
	report("org list", t[0], t[1], t[4], t[5], runs);
	report("post", t[2], t[3], t[6], t[7], runs);
	for (int k = 0; k < 8; k++)
		free(t[k]);
	return 0;
}
