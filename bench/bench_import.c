/*
 * bench_import.c - importing a county-year of vouchers from a CSV file
 *
 * Prints figures; it asserts nothing (see docs/performance.md):
 *   1. writes a CSV file of N villages x M vouchers x 3 lines (UTF-8, the
 *      columns of docs/importers.md), as a county's bookkeepers would send;
 *   2. the yardstick: the same file read and parsed the same way (cj_sheet,
 *      cj_amount_parse) and its rows sent with a bare COPY into a table
 *      with no constraints, indexes or triggers;
 *   3. cj_import_vouchers on the file: read while its vouchers and lines go
 *      straight into the ledger with COPY in chunks (the direct path),
 *      checked by C, by a query per chunk and by the database's own
 *      statement triggers, committed; lines/s, seconds, the ratio to (2),
 *      and the client's peak RSS;
 *   4. the same file again (found in import_log: nothing posted);
 *   5. a second year on top of the first, the same way;
 *   6. a third year through the staging path (COPY into temporary tables,
 *      set-based checks, INSERT ... SELECT), which takes every unusual file;
 *   7. a fourth year whose file has an 外部编号 column (the direct path);
 *   8. totals_mismatches() must be empty (the kept totals agree);
 *   9. (after 3, on the last round's books) `cunji audit verify --county` of
 *      the county-year: every chain, voucher, total and guard recomputed;
 *  10. with --review 1, the first year again on new books where the county
 *      requires review: the file saved as one batch of drafts by the
 *      importing login, the batch reviewed as a whole (review_draft_batch(),
 *      by the superuser, another login than the preparer) and posted
 *      (post_draft_batch(), by the importing login); each step's time and
 *      CPU (client and server), and the whole against the direct import
 *      of step 3 in wall time and in CPU, then totals_mismatches() again;
 *      and the floor of any draft path that keeps drafts as rows: the batch's
 *      drafts written once more by COPY with no trigger at all (superuser,
 *      replica role, rolled back), added to the direct import's CPU.
 *      --review 2 skips steps 4 to 9 (the draft path against the direct
 *      import only).
 *
 * With --chain-ab N it measures only what the hash chain (schema 0021) costs
 * the import: N pairs of imports of the first year, each on new books, one
 * with the chain's trigger (voucher_chain) and one with it disabled by the
 * superuser, the two alternating which goes first; the CPU of the client
 * and of the server backend of each, their medians and the difference; then
 * step 9 on the last pair's chained books.
 *
 * Steps 2 and 3 run --rounds times (1 by default), each on new books, and
 * the medians are printed; 4 to 8 run once, on the last round's books.
 * Step 3 posts over one connection (--jobs 1); with --jobs N it also posts
 * over N (villages split between them, two-phase commit), on new books, the
 * two alternating which goes first, and prints the speed-up.
 *
 * usage: bench_import [--villages N] [--vouchers N] [--rounds N] [--jobs N] [--keep FILE]
 *                     [--user LOGIN] [--review 1] [--chain-ab N]
 * Uses database cunji_bench_import in the embedded cluster under $CUNJI_HOME.
 * The database is made, the yardstick runs and checkpoints are made as the
 * bootstrap superuser; the imports run as --user (default: your own admin
 * login, under row-level security as every command; "postgres", the
 * superuser, bypasses it), which also makes the county (so it must be able
 * to add organisations), on the same connection, as before.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <importers/amount.h>
#include <importers/import.h>
#include <importers/sheet.h>
#include <ledger/ledger.h>
#include <ledger/sql.h>

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
	fprintf(stderr, "bench_import: %s: %s\n", what, db ? cj_db_errmsg(db) : "");
	exit(1);
}

static void
exec_ok(cj_db *db, const char *sql)
{
	if (cj_db_exec(db, NULL, sql, 0, NULL))
		die(db, sql);
}

/* CPU seconds (user + system) of a process, from /proc: the server backend
 * serving db runs on the same machine.  Wall time on a shared 2-core machine
 * depends on what else runs; CPU time much less. */
static double
proc_cpu(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut = 0, st = 0;
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return 0;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static double
self_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
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

/* The CPU seconds (client + server) of the last timed_import. */
static double last_import_cpu;

/* cj_import_vouchers over jobs connections, its wall time (the server CPU
 * is the import's own connection's: with jobs > 1, one lane of several). */
static double
timed_import(cj_db *db, const char *path, int jobs, int backend)
{
	cj_import_opts o = {.jobs = jobs};
	cj_import_result r;
	double c0 = self_cpu(), s0 = proc_cpu(backend), t;

	printf("load average before: %.2f\n", loadavg());
	t = now();
	if (cj_import_vouchers(db, path, &o, &r))
		die(db, "import");
	t = now() - t;
	printf("import over %d connection%s (%s path): %zu vouchers, %zu lines in %.2f s: %.0f "
	       "lines/s, %.0f vouchers/s (CPU: client %.2f s, server %s%.2f s)\n",
	       jobs, jobs > 1 ? "s" : "", r.staged ? "staging" : "direct", r.vouchers, r.lines, t,
	       (double)r.lines / t, (double)r.vouchers / t, self_cpu() - c0,
	       jobs > 1 ? "lane 0 " : "", proc_cpu(backend) - s0);
	last_import_cpu = self_cpu() - c0 + proc_cpu(backend) - s0;
	printf("load average after: %.2f\n", loadavg());
	if (r.staged)
		printf("the direct path gave the file up: %s\n", r.staged_why);
	cj_import_result_dispose(&r);
	return t;
}

static long
peak_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static const char *const accounts[][3] = {
	{"513002", "513003", "102001"}, /* two expenses paid from the bank */
	{"102001", "501001", "501002"}, /* income received in two kinds */
	{"101", "102001", "504"},
};

/* Village v's code: 3 digits after its township's (360925100 ... 360925110). */
static void
village_code(char *buf, size_t size, int v)
{
	snprintf(buf, size, "3609251%02d%03d", v % 11, 201 + v / 11);
}

/* The first of the four years imported: the last is next year, the last the
 * books take (cj_date_in_books). */
static int
first_year(void)
{
	return cj_date_today().year - 2;
}

/* The county's CSV: three-line vouchers, as bench_post posts them. */
static size_t
write_file(const char *path, int villages, int per_village, int year, int with_ext)
{
	FILE *f = fopen(path, "w");
	uint64_t seed = 42;
	size_t lines = 0;

	if (!f)
		die(NULL, path);
	fputs(with_ext ? "村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额,往来单位,外部编号\n"
		       : "村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额,往来单位\n",
	      f);
	for (int v = 0; v < villages; v++) {
		char code[32];
		village_code(code, sizeof code, v);
		for (int k = 0; k < per_village; k++) {
			const char *const *a = accounts[k % 3];
			/* in date order, as vouchers are numbered */
			int month = 1 + k * 12 / per_village;
			int first = (month - 1) * per_village / 12 + ((month - 1) * per_village % 12 != 0);
			int in_month = (month * per_village + 11) / 12 - first;
			int day = 1 + (k - first) * 28 / (in_month > 0 ? in_month : 1);
			int64_t x, y, amt[3][2] = {{0}};

			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			x = 100 + (int64_t)(seed >> 40) % 500000;
			y = 100 + (int64_t)(seed >> 20) % 300000;
			if (k % 3 == 1) {
				amt[0][0] = x + y;
				amt[1][1] = x;
				amt[2][1] = y;
			} else {
				amt[0][0] = x;
				amt[1][0] = y;
				amt[2][1] = x + y;
			}
			for (int l = 0; l < 3; l++) {
				char d[32] = "", c[32] = "";
				if (amt[l][0])
					cj_money_format(d, sizeof d, cj_money_from_fen(amt[l][0]),
							CJ_MONEY_FMT_GROUPED);
				if (amt[l][1])
					cj_money_format(c, sizeof c, cj_money_from_fen(amt[l][1]),
							CJ_MONEY_FMT_GROUPED);
				fprintf(f, "%s,%d-%02d-%02d,%d,%s,%s,\"%s\",\"%s\",%s", code, year,
					month, day, k + 1, l ? "" : "基准测试凭证", a[l], d, c,
					l == 2 ? "某某公司" : "");
				if (with_ext) /* as a clerk's system numbers its vouchers */
					fprintf(f, ",JZ%d-%05d-%06d", year, v + 1, k + 1);
				fputc('\n', f);
				lines++;
			}
		}
	}
	if (fclose(f))
		die(NULL, path);
	return lines;
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
		village_code(code, sizeof code, v);
		snprintf(parent, sizeof parent, "3609251%02d", v % 11);
		snprintf(name, sizeof name, "村%d", v + 1);
		cj_org org;
		if (cj_org_add(db, CJ_ORG_VILLAGE, code, name, parent, start) ||
		    cj_village_find(db, code, &org))
			die(db, "village");
		for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
			if (cj_account_add(db, org.id, subs[i][0], subs[i][1]))
				die(db, "account");
	}
}

/* The yardstick: the same file, read the same way, into a bare table. */
static double
bare_copy(cj_db *db, const char *path, size_t *rows_out)
{
	PGconn *conn = cj_db_conn(db);
	char err[512], *buf = malloc(1 << 20);
	size_t len = 0, rows = 0;
	cj_sheet *s;
	PGresult *res;
	double t0 = now();
	int rc, header = 1;

	exec_ok(db, "DROP TABLE IF EXISTS bare_import_line");
	exec_ok(db, "CREATE TABLE bare_import_line (rn bigint, village text, vdate date, vno text, "
		    "summary text, account text, debit bigint, credit bigint, counterparty text)");
	t0 = now();
	exec_ok(db, "BEGIN");
	res = PQexec(conn, "COPY bare_import_line FROM STDIN");
	if (PQresultStatus(res) != PGRES_COPY_IN)
		die(db, "COPY");
	PQclear(res);
	if (cj_sheet_open(&s, path, err, sizeof err))
		die(NULL, err);
	while ((rc = cj_sheet_next(s)) == 1) {
		cj_money d = {0}, c = {0};
		if (header) {
			header = 0;
			continue;
		}
		if (cj_sheet_field(s, 5)[0] && cj_amount_parse(&d, cj_sheet_field(s, 5), CJ_UNIT_YUAN))
			die(NULL, "amount");
		if (cj_sheet_field(s, 6)[0] && cj_amount_parse(&c, cj_sheet_field(s, 6), CJ_UNIT_YUAN))
			die(NULL, "amount");
		len += (size_t)snprintf(buf + len, 4096, "%zu\t%s\t%s\t%s\t%s\t%s\t%lld\t%lld\t%s\n",
					cj_sheet_row(s), cj_sheet_field(s, 0), cj_sheet_field(s, 1),
					cj_sheet_field(s, 2), cj_sheet_field(s, 3),
					cj_sheet_field(s, 4), (long long)d.fen, (long long)c.fen,
					cj_sheet_field(s, 7));
		rows++;
		if (len > (1 << 20) - 8192) {
			if (PQputCopyData(conn, buf, (int)len) != 1)
				die(db, "COPY data");
			len = 0;
		}
	}
	if (rc < 0)
		die(NULL, cj_sheet_error(s));
	cj_sheet_close(s);
	if ((len && PQputCopyData(conn, buf, (int)len) != 1) || PQputCopyEnd(conn, NULL) != 1)
		die(db, "COPY end");
	while ((res = PQgetResult(conn))) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			die(NULL, PQerrorMessage(conn));
		PQclear(res);
	}
	exec_ok(db, "COMMIT");
	free(buf);
	*rows_out = rows;
	return now() - t0;
}

static cj_db *su;              /* the superuser's connection to the books */
static const char *import_user; /* --user: who imports (NULL: your admin login) */

/* A new database cunji_bench_import with the county in it, made as the
 * superuser (su); the connection returned is the importing login's. */
static cj_db *
fresh_books(const char *home, int villages)
{
	char conninfo[PATH_MAX + 128], err[1024];
	cj_db *db = NULL;

	if (cj_cluster_ensure(home, "postgres", conninfo, sizeof conninfo, NULL, err, sizeof err))
		die(NULL, err);
	if (cj_db_connect(&db, conninfo))
		die(db, "connect");
	exec_ok(db, "DROP DATABASE IF EXISTS cunji_bench_import WITH (FORCE)");
	exec_ok(db, "CREATE DATABASE cunji_bench_import");
	cj_db_close(db);
	cj_db_close(su);
	if (cj_cluster_bootstrap(home, "cunji_bench_import", NULL, err, sizeof err) ||
	    cj_cluster_connect_as(home, "cunji_bench_import", "postgres", NULL, &su, err, sizeof err))
		die(NULL, err);
	if (cj_cluster_connect_as(home, "cunji_bench_import", import_user, NULL, &db, err, sizeof err))
		die(NULL, err);
	/* by the importing login, as before its first import on one connection */
	make_county(db, villages);
	return db;
}

static int
double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of n figures (sorts them). */
static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, double_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Import another year's file on top and print its figures. */
static void
another_year(cj_db *db, int backend, const char *path, const cj_import_opts *opts,
	     const char *what)
{
	cj_import_result r;
	double c0, s0, t;

	/* as before the first year: otherwise the checkpoint that the WAL of
	 * the years before makes due starts during this one and writes the
	 * server's dirty pages while it runs (the fourth year took 5.2-5.5 s
	 * then, instead of 3.9-4.2 s) */
	exec_ok(su, "CHECKPOINT");
	c0 = self_cpu();
	s0 = proc_cpu(backend);
	t = now();
	if (cj_import_vouchers(db, path, opts, &r))
		die(db, what);
	t = now() - t;
	printf("%s (%s path): %zu lines in %.2f s: %.0f lines/s (CPU: client %.2f s, server %.2f s)\n",
	       what, r.staged ? "staging" : "direct", r.lines, t, (double)r.lines / t,
	       self_cpu() - c0, proc_cpu(backend) - s0);
	if (r.staged && !(opts && opts->staged))
		printf("the direct path gave the file up: %s\n", r.staged_why);
	cj_import_result_dispose(&r);
}

/* audit verify of the county (docs/audit.md): it must find nothing */
static void
verify_county(cj_db *db)
{
	cj_findings f = CJ_FINDINGS_INIT;
	cj_verify_stats st;
	int backend = backend_of(db);
	double t = now(), c0 = self_cpu(), s0 = proc_cpu(backend);

	printf("load average before: %.2f\n", loadavg());
	if (cj_audit_verify(db, "360925", &f, &st))
		die(db, "audit verify");
	printf("audit verify --county: %.2f s (CPU: client %.2f s, server %.2f s), %zu villages, "
	       "%zu vouchers, %zu lines, %zu links, %zu audit records: %zu findings\n",
	       now() - t, self_cpu() - c0, proc_cpu(backend) - s0, st.villages, st.vouchers,
	       st.lines, st.links, st.audit_records, f.n);
	cj_findings_free(&f);
}

/* A copy of what sql (COPY ... TO STDOUT) returns, into *out (malloc'd). */
static size_t
copy_out(cj_db *db, const char *sql, char **out)
{
	PGconn *conn = cj_db_conn(db);
	PGresult *res = PQexec(conn, sql);
	size_t len = 0, cap = 0;
	char *buf;
	int n;

	if (PQresultStatus(res) != PGRES_COPY_OUT)
		die(db, sql);
	PQclear(res);
	*out = NULL;
	while ((n = PQgetCopyData(conn, &buf, 0)) > 0) {
		if (len + (size_t)n > cap) {
			cap = (len + (size_t)n) * 2;
			if (!(*out = realloc(*out, cap)))
				die(db, "out of memory");
		}
		memcpy(*out + len, buf, (size_t)n);
		len += (size_t)n;
		PQfreemem(buf);
	}
	res = PQgetResult(conn);
	if (n != -1 || PQresultStatus(res) != PGRES_COMMAND_OK)
		die(db, sql);
	PQclear(res);
	return len;
}

/* COPY sql FROM STDIN with the len bytes of data. */
static void
copy_in(cj_db *db, const char *sql, const char *data, size_t len)
{
	PGconn *conn = cj_db_conn(db);
	PGresult *res = PQexec(conn, sql);

	if (PQresultStatus(res) != PGRES_COPY_IN)
		die(db, sql);
	PQclear(res);
	if (PQputCopyData(conn, data, (int)len) != 1 || PQputCopyEnd(conn, NULL) != 1)
		die(db, sql);
	res = PQgetResult(conn);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		die(db, sql);
	PQclear(res);
}

/* The least any draft path that keeps drafts as rows could cost: the
 * batch's drafts and lines written once more by COPY with no trigger at all
 * (the superuser, session_replication_role = replica: no check, no audit, no
 * foreign key), only the tables' own constraints and indexes, then rolled
 * back.  Server CPU seconds of the two COPYs. */
static double
draft_write_floor(long long batch)
{
	char sql[1024], *dv, *dl;
	size_t ndv, ndl;
	double s0, server;
	int pid = backend_of(su);

	exec_ok(su, "BEGIN");
	exec_ok(su, "SET LOCAL session_replication_role = replica");
	snprintf(sql, sizeof sql,
		 "COPY (SELECT village_id, id + 1000000000, batch_id + 1000000000, voucher_date, kind, "
		 "summary, attachments, external_id || '.', reverses_id, negative_cash_reason, prepared_by, "
		 "prepared_at FROM cunji.draft_voucher WHERE batch_id = %lld) TO STDOUT", batch);
	ndv = copy_out(su, sql, &dv);
	snprintf(sql, sizeof sql,
		 "COPY (SELECT l.village_id, l.draft_id + 1000000000, l.line_no, l.account_code, "
		 "l.debit_fen, l.credit_fen, l.summary, l.counterparty, l.fund_id, l.project_id "
		 "FROM cunji.draft_line l JOIN cunji.draft_voucher d ON d.village_id = l.village_id "
		 "AND d.id = l.draft_id WHERE d.batch_id = %lld) TO STDOUT", batch);
	ndl = copy_out(su, sql, &dl);
	s0 = proc_cpu(pid);
	copy_in(su, "COPY cunji.draft_voucher (village_id, id, batch_id, voucher_date, kind, summary, "
		    "attachments, external_id, reverses_id, negative_cash_reason, prepared_by, prepared_at) "
		    "FROM STDIN", dv, ndv);
	copy_in(su, "COPY cunji.draft_line (village_id, draft_id, line_no, account_code, debit_fen, "
		    "credit_fen, summary, counterparty, fund_id, project_id) FROM STDIN", dl, ndl);
	server = proc_cpu(pid) - s0;
	exec_ok(su, "ROLLBACK");
	free(dv);
	free(dl);
	return server;
}

/* The file where the county requires review: drafts, reviewed, posted;
 * each step's wall time and CPU (client and server), and the three against
 * the direct import of the same file in this run (direct: its wall time,
 * direct_cpu: its client + server CPU seconds, medians of the rounds). */
static void
review_year(cj_db *db, int backend, const char *path, double direct, double direct_cpu)
{
	cj_import_result r;
	size_t n = 0;
	double c0, s0, t, wall[3], cpu[3], client, server, least;
	int reviewer = backend_of(su);

	exec_ok(su, "INSERT INTO cunji.setting (org_id, key, value) SELECT id, 'review_required', "
		    "'true' FROM cunji.org WHERE level = 'county'");
	exec_ok(su, "CHECKPOINT");
	printf("load average before the drafts: %.2f\n", loadavg());
	c0 = self_cpu();
	s0 = proc_cpu(backend);
	t = now();
	if (cj_import_vouchers(db, path, NULL, &r) || !r.batch_id)
		die(db, "import as drafts");
	wall[0] = now() - t;
	client = self_cpu() - c0;
	server = proc_cpu(backend) - s0;
	cpu[0] = client + server;
	printf("the first year again under review, saved as drafts (batch %lld, %s path): %zu vouchers, "
	       "%zu lines in %.2f s (CPU: client %.2f s, server %.2f s)\n",
	       (long long)r.batch_id, r.staged ? "staging" : "direct", r.vouchers, r.lines, wall[0],
	       client, server);
	c0 = self_cpu();
	s0 = proc_cpu(reviewer);
	t = now();
	if (cj_draft_review(su, 0, NULL, 0, r.batch_id, &n))
		die(su, "review the batch");
	wall[1] = now() - t;
	client = self_cpu() - c0;
	server = proc_cpu(reviewer) - s0;
	cpu[1] = client + server;
	printf("  the batch reviewed as a whole (review_draft_batch()): %zu drafts in %.2f s "
	       "(CPU: client %.2f s, server %.2f s)\n", n, wall[1], client, server);
	c0 = self_cpu();
	s0 = proc_cpu(backend);
	t = now();
	if (cj_draft_post(db, 0, NULL, 0, r.batch_id, NULL, &n))
		die(db, "post the batch");
	wall[2] = now() - t;
	client = self_cpu() - c0;
	server = proc_cpu(backend) - s0;
	cpu[2] = client + server;
	printf("  the batch posted (post_draft_batch()): %zu vouchers in %.2f s "
	       "(CPU: client %.2f s, server %.2f s)\n", n, wall[2], client, server);
	printf("  drafts + review + posting: wall %.2f s, %.2fx the direct import's %.2f s; "
	       "CPU (client + server) %.2f s, %.2fx the direct import's %.2f s; "
	       "load average after: %.2f\n",
	       wall[0] + wall[1] + wall[2], (wall[0] + wall[1] + wall[2]) / direct, direct,
	       cpu[0] + cpu[1] + cpu[2], (cpu[0] + cpu[1] + cpu[2]) / direct_cpu, direct_cpu,
	       loadavg());
	least = draft_write_floor((long long)r.batch_id);
	printf("  the floor of any path that keeps drafts as rows: the direct import's CPU %.2f s plus "
	       "its drafts written once by COPY with no trigger, no check and no audit (superuser, "
	       "rolled back) %.2f s server CPU: %.2fx the direct import\n",
	       direct_cpu, least, (direct_cpu + least) / direct_cpu);
	cj_import_result_dispose(&r);
	exec_ok(su, "DELETE FROM cunji.setting");
}

/* One import of the file on new books, the chain's trigger on or off; its
 * CPU (client, server backend) into cpu[0], cpu[1]. */
static void
chain_import(const char *home, int villages, const char *path, int chain, double cpu[2],
	     cj_db **dbp)
{
	cj_import_result r;
	double c0, s0, t;
	int backend;

	if (*dbp)
		cj_db_close(*dbp);
	*dbp = fresh_books(home, villages);
	if (!chain)
		exec_ok(su, "ALTER TABLE cunji.voucher DISABLE TRIGGER voucher_chain");
	exec_ok(su, "CHECKPOINT");
	backend = backend_of(*dbp);
	printf("load average before: %.2f\n", loadavg());
	c0 = self_cpu();
	s0 = proc_cpu(backend);
	t = now();
	if (cj_import_vouchers(*dbp, path, NULL, &r))
		die(*dbp, "import");
	t = now() - t;
	cpu[0] = self_cpu() - c0;
	cpu[1] = proc_cpu(backend) - s0;
	printf("import %s the chain (%s path): %zu vouchers, %zu lines in %.2f s "
	       "(CPU: client %.2f s, server %.2f s, both %.2f s); load average after: %.2f\n",
	       chain ? "with" : "WITHOUT", r.staged ? "staging" : "direct", r.vouchers, r.lines, t,
	       cpu[0], cpu[1], cpu[0] + cpu[1], loadavg());
	cj_import_result_dispose(&r);
	if (!chain)
		exec_ok(su, "ALTER TABLE cunji.voucher ENABLE TRIGGER voucher_chain");
}

/* --chain-ab: pairs of imports with and without the chain, alternating
 * which goes first; the last import is a chained one, for audit verify. */
static void
chain_ab(const char *home, int villages, const char *path, int pairs)
{
	enum { MAX_PAIRS = 20 };
	double with[3][MAX_PAIRS], without[3][MAX_PAIRS], m[2][3];
	static const char *const what[3] = {"client", "server", "client + server"};
	cj_db *db = NULL;

	for (int p = 0; p < pairs; p++) {
		/* the last pair: without, then with */
		int chain_first = (pairs - 1 - p) % 2;
		double a[2], b[2];

		printf("-- pair %d of %d\n", p + 1, pairs);
		chain_import(home, villages, path, chain_first, a, &db);
		chain_import(home, villages, path, !chain_first, b, &db);
		for (int k = 0; k < 2; k++) {
			with[k][p] = chain_first ? a[k] : b[k];
			without[k][p] = chain_first ? b[k] : a[k];
		}
		with[2][p] = with[0][p] + with[1][p];
		without[2][p] = without[0][p] + without[1][p];
	}
	for (int k = 0; k < 3; k++) {
		m[0][k] = median(with[k], pairs);
		m[1][k] = median(without[k], pairs);
		printf("median of %d pairs, %s CPU: with the chain %.2f s, without %.2f s: "
		       "%+.2f s, %+.1f %%\n",
		       pairs, what[k], m[0][k], m[1][k], m[0][k] - m[1][k],
		       100.0 * (m[0][k] - m[1][k]) / m[1][k]);
	}
	verify_county(db);
	cj_db_close(db);
}

int
main(int argc, char **argv)
{
	enum { MAX_ROUNDS = 20 };
	int villages = 75, per_village = 3000, rounds = 1, jobs = 1, review = 0, pairs = 0;
	double parallel[MAX_ROUNDS], speedups[MAX_ROUNDS];
	const char *keep = NULL;
	char home[PATH_MAX], err[1024], path[PATH_MAX];
	cj_db *db = NULL;
	cj_import_result r;
	cj_import_opts staged = {.staged = 1};
	size_t lines, bare_rows;
	double t_bare, t_import, t_again, c0, s0;
	double bares[MAX_ROUNDS], imports[MAX_ROUNDS], ratios[MAX_ROUNDS], import_cpus[MAX_ROUNDS];
	int backend = 0;
	PGresult *res;

	int bad_arg = 0;

	for (int i = 1; i < argc; i += 2) {
		if (i + 1 == argc) /* an option without its value, or --help */
			bad_arg = 1;
		else if (!strcmp(argv[i], "--villages"))
			villages = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--vouchers"))
			per_village = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--rounds"))
			rounds = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--jobs"))
			jobs = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--keep"))
			keep = argv[i + 1];
		else if (!strcmp(argv[i], "--user"))
			import_user = argv[i + 1];
		else if (!strcmp(argv[i], "--review"))
			review = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--chain-ab"))
			pairs = atoi(argv[i + 1]);
		else
			bad_arg = 1;
	}
	if (bad_arg || villages < 1 || villages > 11 * 799 || per_village < 1 || rounds < 1 ||
	    rounds > MAX_ROUNDS || jobs < 1 || pairs < 0 || pairs > 20) {
		fprintf(stderr, "usage: bench_import [--villages N] [--vouchers N] [--rounds 1-%d] "
				"[--jobs N] [--keep FILE] [--user LOGIN] [--review 1|2] [--chain-ab 1-20]\n",
			MAX_ROUNDS);
		return 2;
	}
	if (cj_cluster_home(home, sizeof home, err, sizeof err))
		die(NULL, err);

	/* One file per run: benchmarks of several worktrees may run at once. */
	if (keep)
		snprintf(path, sizeof path, "%s", keep);
	else
		snprintf(path, sizeof path, "/tmp/cunji_bench_import-%d.csv", (int)getpid());
	lines = write_file(path, villages, per_village, first_year(), 0);
	printf("file: %s, %d villages x %d vouchers, %zu lines\n", path, villages, per_village,
	       lines);
	if (pairs) {
		chain_ab(home, villages, path, pairs);
		cj_db_close(su);
		if (!keep)
			remove(path);
		return 0;
	}

	/* Each round: new books, the yardstick, then the import.  On a shared
	 * machine one round can be off by a fifth either way; the median of
	 * several is the figure to quote. */
	for (int round = 0; round < rounds; round++) {
		if (db)
			cj_db_close(db);
		db = fresh_books(home, villages);
		if (rounds > 1)
			printf("-- round %d of %d\n", round + 1, rounds);
		backend = backend_of(su);
		printf("load average before: %.2f\n", loadavg());
		c0 = self_cpu();
		s0 = proc_cpu(backend);
		t_bare = bare_copy(su, path, &bare_rows);
		printf("bare COPY of the same rows (read, parsed, no checks): %.2f s, %.0f rows/s "
		       "(CPU: client %.2f s, server %.2f s)\n",
		       t_bare, (double)bare_rows / t_bare, self_cpu() - c0, proc_cpu(backend) - s0);
		exec_ok(su, "DROP TABLE bare_import_line");
		exec_ok(su, "CHECKPOINT");
		backend = backend_of(db);

		/* over N connections, first in odd rounds: on books of its own */
		if (jobs > 1 && round % 2) {
			parallel[round] = timed_import(db, path, jobs, backend);
			cj_db_close(db);
			db = fresh_books(home, villages);
			backend = backend_of(db);
		}
		t_import = timed_import(db, path, 1, backend);
		import_cpus[round] = last_import_cpu;
		printf("ratio import / bare COPY: %.2fx\n", t_import / t_bare);
		if (jobs > 1 && !(round % 2)) {
			cj_db_close(db);
			db = fresh_books(home, villages);
			parallel[round] = timed_import(db, path, jobs, backend_of(db));
		}
		if (jobs > 1) {
			speedups[round] = t_import / parallel[round];
			printf("speed-up over %d connections: %.2fx\n", jobs, speedups[round]);
		}
		bares[round] = t_bare;
		imports[round] = t_import;
		ratios[round] = t_import / t_bare;
	}
	if (rounds > 1) {
		double lo = ratios[0], hi = ratios[0];
		for (int i = 1; i < rounds; i++) {
			lo = ratios[i] < lo ? ratios[i] : lo;
			hi = ratios[i] > hi ? ratios[i] : hi;
		}
		printf("median of %d rounds: bare COPY %.2f s, import %.2f s, ratio %.2fx "
		       "(rounds %.2fx to %.2fx)\n",
		       rounds, median(bares, rounds), median(imports, rounds), median(ratios, rounds),
		       lo, hi);
		if (jobs > 1)
			printf("median of %d rounds over %d connections: import %.2f s, speed-up %.2fx\n",
			       rounds, jobs, median(parallel, rounds), median(speedups, rounds));
	}
	printf("client peak RSS: %ld MB\n", peak_rss_kb() / 1024);
	if (review == 2) /* the draft path alone: straight to step 10 */
		goto drafts;
	verify_county(db);

	t_again = now();
	if (cj_import_vouchers(db, path, NULL, &r) || !r.already_imported) {
		fprintf(stderr, "bench_import: the same file again was not found in import_log "
				"(posted %zu, existing %zu, staged %d)\n",
			r.vouchers, r.existing, r.staged);
		die(db, "import again");
	}
	t_again = now() - t_again;
	printf("the same file again: found in import_log, nothing posted, %.3f s\n", t_again);
	cj_import_result_dispose(&r);

	/* a second year on top: the books now hold a year of vouchers, all with
	 * external ids, which every voucher of the new file is looked up against */
	write_file(path, villages, per_village, first_year() + 1, 0);
	another_year(db, backend, path, NULL, "a second year on top of the first");
	write_file(path, villages, per_village, first_year() + 2, 0);
	another_year(db, backend, path, &staged, "a third year through the staging path");
	write_file(path, villages, per_village, first_year() + 3, 1);
	another_year(db, backend, path, NULL, "a fourth year with 外部编号");

	if (cj_db_exec(db, &res, "SELECT count(*) FROM totals_mismatches()", 0, NULL))
		die(db, "check");
	printf("totals_mismatches(): %s\n", PQgetvalue(res, 0, 0));
	PQclear(res);
drafts:
	if (review) { /* the first year again, on new books, as drafts */
		cj_db_close(db);
		db = fresh_books(home, villages);
		write_file(path, villages, per_village, first_year(), 0);
		review_year(db, backend_of(db), path, median(imports, rounds),
			    median(import_cpus, rounds));
		if (cj_db_exec(db, &res, "SELECT count(*) FROM totals_mismatches()", 0, NULL))
			die(db, "check");
		printf("totals_mismatches() after the drafts: %s\n", PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	cj_db_close(db);
	cj_db_close(su);
	if (!keep)
		remove(path);
	return 0;
}
