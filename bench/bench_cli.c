/*
 * bench_cli.c - what a cunji process costs beside a bare libpq process
 *
 * Runs `cunji org list` and `cunji post` as processes, alternately with
 * bench_bare (bare_libpq.c) doing the same work, on the embedded cluster
 * under $CUNJI_HOME, and prints the median and p90 wall time of each and
 * the ratio of the medians measured in the same run; and the CPU time of
 * both sides: the process's own (user + system) and its server backend's,
 * read from the postmaster's reaped children (/proc/PID/stat), whose sum
 * is the figure a loaded machine does not bend.  Prints figures; it
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

static const char *
load_average(void)
{
	static char buf[64] = "?\n";
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (!fgets(buf, sizeof buf, f))
			snprintf(buf, sizeof buf, "?\n");
		fclose(f);
	}
	return buf;
}

static long postmaster; /* pid of the embedded cluster's postmaster */

/* Child processes of the postmaster now. */
static int
postmaster_children(void)
{
	char path[64];
	int n = 0, c;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/task/%ld/children", postmaster, postmaster);
	if (!(f = fopen(path, "r")))
		return -1;
	while ((c = fgetc(f)) != EOF)
		n += c == ' ';
	fclose(f);
	return n;
}

/* CPU time in ms of the postmaster's children it has reaped: the backends
 * that ended, among them those of the processes timed. */
static double
reaped_cpu(void)
{
	char path[64], buf[1024], *p;
	unsigned long long v[4] = {0};
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%ld/stat", postmaster);
	if (!(f = fopen(path, "r")))
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* fields 16 and 17, cutime and cstime, after the command's ')' */
	if (!(p = strrchr(buf, ')')) ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu",
		   &v[0], &v[1], &v[2], &v[3]) != 4)
		return 0;
	return (double)(v[2] + v[3]) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

/* timed(), then the CPU its server backend spent into *server: waits until
 * the postmaster has reaped it (its children back to `idle`). */
static int idle = -1;

static double
timed_server(char *const argv[], double *cpu, double *server)
{
	double s0 = reaped_cpu(), t = timed(argv, cpu);

	for (int i = 0; i < 2000 && postmaster_children() > idle; i++)
		usleep(1000);
	*server = reaped_cpu() - s0;
	return t;
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

static double
sum(const double *x, int n)
{
	double s = 0;

	for (int i = 0; i < n; i++)
		s += x[i];
	return s;
}

static void
report(const char *what, double *a, double *b, double *ca, double *cb, double *sa, double *sb,
       int n)
{
	double ta = (sum(ca, n) + sum(sa, n)) / n, tb = (sum(cb, n) + sum(sb, n)) / n;

	printf("%-9s CPU, mean of a process: cunji %.2f ms (itself %.2f, server %.2f), bare libpq "
	       "%.2f ms (itself %.2f, server %.2f), ratio %.2fx\n",
	       what, ta, sum(ca, n) / n, sum(sa, n) / n, tb, sum(cb, n) / n, sum(sb, n) / n,
	       ta / tb);
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
	double *t[12];
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
	for (int k = 0; k < 12; k++)
		if (!(t[k] = calloc((size_t)runs, sizeof *t[k])))
			return 1;
	{
		char path[PATH_MAX + 32];
		FILE *f;
		snprintf(path, sizeof path, "%s/pg/postmaster.pid", home);
		if (!(f = fopen(path, "r")) || fscanf(f, "%ld", &postmaster) != 1) {
			fprintf(stderr, "bench_cli: no postmaster.pid under %s\n", home);
			return 1;
		}
		fclose(f);
		idle = postmaster_children();
	}
	/* once each first, so that caches are warm for both */
	for (int i = -1; i < runs; i++) {
		char *cl[] = {cunji, "--db", DBNAME, "org", "list", NULL};
		char *bl[] = {bare, "org-list", conninfo, NULL};
		char *cp[] = {cunji, "--db", DBNAME, "post", "--village", VILLAGE, "--date", date,
			      "--summary", "bench", "--debit", "101=1", "--credit", "501=1", NULL};
		char *bp[] = {bare, "post", conninfo, VILLAGE, date, NULL};
		double x[4], c[4], sv[4];
		int first = i & 1; /* who goes first alternates */

		/* one month per 500 vouchers, so that no month's counter grows large */
		snprintf(date, sizeof date, "2025-%02d-15", 1 + ((i + 1) / 250) % 12);
		if (first) {
			x[1] = timed_server(bl, &c[1], &sv[1]), x[0] = timed_server(cl, &c[0], &sv[0]);
			x[3] = timed_server(bp, &c[3], &sv[3]), x[2] = timed_server(cp, &c[2], &sv[2]);
		} else {
			x[0] = timed_server(cl, &c[0], &sv[0]), x[1] = timed_server(bl, &c[1], &sv[1]);
			x[2] = timed_server(cp, &c[2], &sv[2]), x[3] = timed_server(bp, &c[3], &sv[3]);
		}
		for (int k = 0; i >= 0 && k < 4; k++)
			t[k][i] = x[k], t[k + 4][i] = c[k], t[k + 8][i] = sv[k];
	}
	printf("%d runs each, alternating, on %s (database %s); load average at the end: see below\n",
	       runs, home, DBNAME);
	report("org list", t[0], t[1], t[4], t[5], t[8], t[9], runs);
	report("post", t[2], t[3], t[6], t[7], t[10], t[11], runs);
	printf("load average %s", load_average());
	for (int k = 0; k < 12; k++)
		free(t[k]);
	return 0;
}
