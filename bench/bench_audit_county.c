/*
 * bench_audit_county.c - the county whose year `audit scan` is timed on
 * (bench/bench_audit_scan.sh; docs/performance.md)
 *
 * Prints figures; it asserts nothing.
 *
 *   bench_audit_county --load [--villages N] [--vouchers N] [--years N]
 *     makes database cunji_bench_audit: a county of N villages (300) and
 *     YEARS (3) years of books of M vouchers (3,000) a village, mostly three
 *     lines each (2.7 M lines a county-year), imported as the county's
 *     bookkeepers would send them (cj_import_vouchers), one file a year;
 *   bench_audit_county --scan [--villages N] [--rules LIST] [--jobs N]
 *     times cj_audit_scan of the county over the middle year (the second of
 *     the books, with a year before and after it): wall time with the load
 *     around it, the client's CPU and, read from /proc, the server backend's
 *     CPU, which on a shared machine is the figure that decides; then the
 *     findings by rule.
 *
 * The books are a village's as a township's 代理记账 keeps them: income into
 * the bank, expenses paid from the bank to the village's suppliers (two
 * hundred of them, each paid every two months or so), and income received
 * partly in cash, deposited into the bank the same or the next day.  Cash
 * stays small and the bank in debit, so a clean village has no finding.  A
 * few villages carry the anomalies an inspector looks for:
 *   every 60th village from the 13th: the cash of July's first three weeks
 *   kept in the till, then deposited at once (R10 for each receipt kept
 *   more than five days, R08 when the till passes 5,000 yuan);
 *   every 60th village from the 29th: three payments of 9,900 yuan to one
 *   person (李某某) over four days (R27, split payments).
 * Usage: CUNJI_HOME=/tmp/cjbench bench_audit_county --load | --scan
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <importers/import.h>
#include <ledger/ledger.h>
#include <ledger/sql.h>
#include <reports/audit.h>
#include <reports/report.h>

#define DB_NAME "cunji_bench_audit"
#define PAYEES 200

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
	fprintf(stderr, "bench_audit_county: %s: %s\n", what, db ? cj_db_errmsg(db) : "");
	exit(1);
}

static void
exec_ok(cj_db *db, const char *sql)
{
	if (cj_db_exec(db, NULL, sql, 0, NULL))
		die(db, sql);
}

/* CPU seconds (user + system) of a process, from /proc: the backend serving
 * a connection runs on this machine. */
static double
proc_cpu_of(int pid, int children)
{
	char path[64], buf[1024], *p;
	unsigned long long ut = 0, st = 0, cut = 0, cst = 0;
	int ppid = 0;
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (!(f = fopen(path, "r")))
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu", &ppid,
			 &ut, &st, &cut, &cst) != 5)
		return 0;
	if (children < 0) /* the parent's pid */
		return ppid;
	return (double)(children ? cut + cst : ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static double
proc_cpu(int pid)
{
	return proc_cpu_of(pid, 0);
}

/* The server's CPU for a scan: the backend's, and that of the backends a
 * scan over several connections opened, which the postmaster has reaped
 * when they ended (with any autovacuum worker's meanwhile). */
static double
server_cpu(int backend)
{
	return proc_cpu_of(backend, 0) + proc_cpu_of((int)proc_cpu_of(backend, -1), 1);
}

static double
self_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static long
peak_rss_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

static double
loadavg(void)
{
	double l = -1;
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fscanf(f, "%lf", &l) != 1)
			l = -1;
		fclose(f);
	}
	return l;
}

static int
backend_of(cj_db *db)
{
	PGresult *pr;
	int pid;

	if (cj_db_exec(db, &pr, "SELECT pg_backend_pid()", 0, NULL))
		die(db, "pid");
	pid = atoi(PQgetvalue(pr, 0, 0));
	PQclear(pr);
	return pid;
}

/* Village v's code: 3 digits after its township's (360925100 ... 360925110),
 * as bench_import's. */
static void
village_code(char *buf, size_t size, int v)
{
	snprintf(buf, size, "3609251%02d%03d", v % 11, 201 + v / 11);
}

static int
first_year(void)
{
	return cj_date_today().year - 2;
}

static uint64_t seed;

static int64_t
draw(int64_t lo, int64_t hi)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return lo + (int64_t)((seed >> 33) % (uint64_t)(hi - lo + 1));
}

static FILE *out;
static size_t nlines;

/* One line of voucher no of village code on year-month-day. */
static void
line(const char *code, int year, int month, int day, int no, const char *summary,
     const char *account, int64_t debit, int64_t credit, const char *cp)
{
	char d[32] = "", c[32] = "";

	if (debit)
		cj_money_format(d, sizeof d, cj_money_from_fen(debit), CJ_MONEY_FMT_GROUPED);
	if (credit)
		cj_money_format(c, sizeof c, cj_money_from_fen(credit), CJ_MONEY_FMT_GROUPED);
	fprintf(out, "%s,%d-%02d-%02d,%d,%s,%s,\"%s\",\"%s\",%s\n", code, year, month, day, no,
		summary, account, d, c, cp ? cp : "");
	nlines++;
}

/* A year of the county's books as one CSV file.  Vouchers come in cycles of
 * six: bank income, cash receipt A, bank expense, cash receipt B, bank
 * expense, A and B deposited; dated in order over the year (28 days a
 * month), about nine a day. */
static void
write_year(const char *path, int villages, int per_village, int year)
{
	if (!(out = fopen(path, "w")))
		die(NULL, path);
	fputs("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额,往来单位\n", out);
	seed = 42 + (uint64_t)year;
	nlines = 0;
	for (int v = 0; v < villages; v++) {
		char code[32], cp[64];
		int64_t rc[2] = {0, 0}, held = 0; /* the cycle's cash receipts, to deposit */
		int keep_cash = v % 60 == 13, split = v % 60 == 29;

		village_code(code, sizeof code, v);
		for (int k = 0; k < per_village; k++) {
			int month = 1 + k * 12 / per_village;
			int first = (month - 1) * per_village / 12 + ((month - 1) * per_village % 12 != 0);
			int in_month = (month * per_village + 11) / 12 - first;
			int day = 1 + (k - first) * 28 / (in_month > 0 ? in_month : 1);
			int no = k + 1, cycle = k / 6;
			int64_t x, y;

#define L(s, a, dr, cr, who) line(code, year, month, day, no, s, a, dr, cr, who)
			switch (k % 6) {
			case 0: /* income into the bank */
				x = draw(50000, 500000);
				y = draw(10000, 300000);
				L("收到发包及租赁收入", "102001", x + y, 0, NULL);
				L("", "501001", 0, x, NULL);
				L("", "501002", 0, y, NULL);
				break;
			case 1:
			case 3: /* income partly in cash */
				x = draw(1000, 200000);
				y = draw(1000, 100000);
				rc[k % 6 == 3] = x;
				L("收到其他收入（部分现金）", "101", x, 0, NULL);
				L("", "102001", y, 0, NULL);
				L("", "504", 0, x + y, NULL);
				break;
			case 2:
			case 4: /* an expense paid from the bank to a supplier */
				snprintf(cp, sizeof cp, "靖安县第%03d供应有限公司",
					 (cycle * 2 + k % 6 / 4) % PAYEES + 1);
				x = draw(1000, 150000);
				y = draw(1000, 100000);
				/* planted: three payments of 9,900 yuan to one person over
				 * four days, in June */
				if (split && month == 6 && cycle % 2 == 0 && k % 6 == 2 &&
				    k - first < 6 * 6) {
					snprintf(cp, sizeof cp, "李某某");
					x = 600000;
					y = 390000;
				}
				L("支付办公及水电费", "513002", x, 0, NULL);
				L("", "513003", y, 0, NULL);
				L("", "102001", 0, x + y, cp);
				break;
			default: /* the cycle's cash deposited; planted: kept for three
				  * weeks of July, then deposited at once */
				if (keep_cash && month == 7 && day <= 21) {
					held += rc[0] + rc[1];
					x = draw(50000, 500000);
					L("收到发包收入", "102001", x, 0, NULL);
					L("", "501001", 0, x, NULL);
				} else {
					L("现金存入银行", "102001", held + rc[0] + rc[1], 0, NULL);
					L("", "101", 0, held + rc[0], NULL);
					L("", "101", 0, rc[1], NULL);
					held = 0;
				}
				rc[0] = rc[1] = 0;
				break;
			}
#undef L
		}
	}
	if (fclose(out))
		die(NULL, path);
}

static void
make_county(cj_db *db, int villages)
{
	cj_period start = {first_year(), 1};
	char code[32], parent[32], name[64];

	if (cj_org_add(db, CJ_ORG_COUNTY, "360925", "靖安县", NULL, start))
		die(db, "county");
	for (int t = 0; t < 11; t++) {
		snprintf(code, sizeof code, "3609251%02d", t);
		snprintf(name, sizeof name, "镇%d", t + 1);
		if (cj_org_add(db, CJ_ORG_TOWNSHIP, code, name, "360925", start))
			die(db, "township");
	}
	for (int v = 0; v < villages; v++) {
		static const char *const subs[][2] = {{"102001", "农商行"},  {"501001", "发包收入"},
						      {"501002", "租赁收入"}, {"513002", "办公费"},
						      {"513003", "水电费"}};
		cj_org org;

		village_code(code, sizeof code, v);
		snprintf(parent, sizeof parent, "3609251%02d", v % 11);
		snprintf(name, sizeof name, "村%d", v + 1);
		if (cj_org_add(db, CJ_ORG_VILLAGE, code, name, parent, start) ||
		    cj_village_find(db, code, &org))
			die(db, "village");
		for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
			if (cj_account_add(db, org.id, subs[i][0], subs[i][1]))
				die(db, "account");
	}
}

static void
load(const char *home, int villages, int per_village, int years)
{
	char conninfo[PATH_MAX + 128], err[1024], path[PATH_MAX];
	cj_db *su = NULL, *db = NULL;
	PGresult *res;
	int backend;

	if (cj_cluster_ensure(home, "postgres", conninfo, sizeof conninfo, NULL, err, sizeof err))
		die(NULL, err);
	if (cj_db_connect(&su, conninfo))
		die(su, "connect");
	exec_ok(su, "DROP DATABASE IF EXISTS " DB_NAME " WITH (FORCE)");
	exec_ok(su, "CREATE DATABASE " DB_NAME);
	cj_db_close(su);
	if (cj_cluster_bootstrap(home, DB_NAME, NULL, err, sizeof err) ||
	    cj_cluster_connect_as(home, DB_NAME, "postgres", NULL, &su, err, sizeof err) ||
	    cj_cluster_connect_as(home, DB_NAME, NULL, NULL, &db, err, sizeof err))
		die(NULL, err);
	make_county(db, villages);
	backend = backend_of(db);
	snprintf(path, sizeof path, "/tmp/" DB_NAME "-%d.csv", (int)getpid());
	for (int y = 0; y < years; y++) {
		cj_import_result r;
		double t, s0;

		write_year(path, villages, per_village, first_year() + y);
		exec_ok(su, "CHECKPOINT");
		s0 = proc_cpu(backend);
		t = now();
		if (cj_import_vouchers(db, path, NULL, &r))
			die(db, "import");
		printf("%d: %zu vouchers, %zu lines imported in %.1f s (server CPU %.1f s, load %.2f)\n",
		       first_year() + y, r.vouchers, r.lines, now() - t, proc_cpu(backend) - s0,
		       loadavg());
		cj_import_result_dispose(&r);
	}
	remove(path);
	exec_ok(su, "VACUUM ANALYZE");
	if (cj_db_exec(db, &res, "SELECT count(*) FROM totals_mismatches()", 0, NULL))
		die(db, "check");
	printf("totals_mismatches(): %s\n", PQgetvalue(res, 0, 0));
	PQclear(res);
	cj_db_close(db);
	cj_db_close(su);
}

static void
scan(const char *home, const char *rules, int jobs)
{
	char err[1024];
	int year = first_year() + 1; /* the middle year */
	cj_audit_request req = {"360925", {year, 1, 1}, {year, 12, 31}, rules, 0, jobs};
	cj_report *r = NULL;
	cj_db *db = NULL;
	double t, c0, s0, l0;
	int backend;

	if (cj_cluster_connect_as(home, DB_NAME, NULL, NULL, &db, err, sizeof err))
		die(NULL, err);
	backend = backend_of(db);
	l0 = loadavg();
	c0 = self_cpu();
	s0 = server_cpu(backend);
	t = now();
	if (cj_audit_scan(db, &req, &r))
		die(db, "audit scan");
	t = now() - t;
	usleep(500000); /* the other backends end and the postmaster reaps them */
	printf("audit scan --county 360925 --year %d%s%s --jobs %d: %.2f s wall (load %.2f before, %.2f after), "
	       "server CPU %.2f s, client CPU %.2f s, client peak RSS %ld MB, %zu findings:",
	       year, rules ? " --rules " : "", rules ? rules : "", jobs, t, l0, loadavg(),
	       server_cpu(backend) - s0, self_cpu() - c0, peak_rss_mb(), r->tables[0]->nrows);
	for (size_t j = 0; r->ntables > 1 && j < r->tables[1]->nrows; j++) /* red/yellow */
		printf(" %s %lld/%lld", r->tables[1]->rows[j].cells[0].text,
		       (long long)r->tables[1]->rows[j].cells[1].value,
		       (long long)r->tables[1]->rows[j].cells[2].value);
	printf("\n");
	cj_report_free(r);
	cj_db_close(db);
}

int
main(int argc, char **argv)
{
	int villages = 300, per_village = 3000, years = 3, mode = 0;
	const char *rules = NULL;
	int jobs = 0;
	char home[PATH_MAX], err[1024];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--load"))
			mode = 1;
		else if (!strcmp(argv[i], "--scan"))
			mode = 2;
		else if (i + 1 < argc && !strcmp(argv[i], "--villages"))
			villages = atoi(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "--vouchers"))
			per_village = atoi(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "--years"))
			years = atoi(argv[++i]);
		else if (i + 1 < argc && !strcmp(argv[i], "--rules"))
			rules = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--jobs"))
			jobs = atoi(argv[++i]);
		else
			mode = 0, i = argc;
	}
	if (!mode || villages < 1 || villages > 11 * 799 || per_village < 6 || years < 2 ||
	    years > 3) {
		fprintf(stderr, "usage: bench_audit_county --load [--villages N] [--vouchers N] "
				"[--years 2-3] | --scan [--rules R08,R10] [--jobs N]\n");
		return 2;
	}
	if (cj_cluster_home(home, sizeof home, err, sizeof err))
		die(NULL, err);
	if (mode == 1)
		load(home, villages, per_village, years);
	else
		scan(home, rules, jobs);
	return 0;
}
