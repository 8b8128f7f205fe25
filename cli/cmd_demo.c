/*
 * cmd_demo.c - cunji demo: the sample county (ledger_demo, demo/) in a
 * database of its own, with progress on the terminal, the county's trial
 * balance and the timings
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <demo/demo.h>
#include <importers/problem.h>
#include <reports/audit.h>
#include <reports/dashboard.h>
#include <reports/statements.h>

#include "cli.h"

#define DEMO_DB "cunji_demo"

static double
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
arg_long(const cli_opts *o, const char *name, long def, long lo, long hi, int *bad)
{
	const char *v = opt_get(o, name);
	char *end;
	long n;

	if (!v)
		return def;
	n = strtol(v, &end, 10);
	if (*end || n < lo || n > hi) {
		usage_error(o->cmd, _("--%s must be a number from %ld to %ld"), name, lo, hi);
		*bad = 1;
	}
	return n;
}

typedef struct demo_ui {
	cli *c;
	char phase[160]; /* the progress line on the screen */
} demo_ui;

static void
on_progress(const char *phase, uint64_t done, uint64_t total, void *payload)
{
	demo_ui *u = payload;

	if (strcmp(u->phase, phase)) {
		if (u->phase[0])
			progress_end(u->c);
		snprintf(u->phase, sizeof u->phase, "%s", phase);
	}
	progress(u->c, phase, (long)done, (long)total);
}

static void
on_problem(const cj_problem *p, void *payload)
{
	demo_ui *u = payload;
	char line[2048];

	progress_end(u->c);
	u->phase[0] = '\0';
	cj_problem_format(p, line, sizeof line);
	fprintf(stderr, "cunji: %s\n", line);
}

/* Replace the demo's database (only one it made itself) and connect to it. */
static int
fresh_database(cli *c, const char *home)
{
	char err[512];
	cj_db *db;
	int status = cj_cluster_recreate_db(home, c->db_arg, err, sizeof err);

	if (status == CJ_EREFUSED)
		return fail_msg(_("demo: %s; give the demo another with --db NAME, or if it is a demo "
				"made by an older cunji, drop it: psql \"$(cunji db url)\" -c "
				"'DROP DATABASE %s'"),
				err, c->db_arg);
	if (status)
		return fail_msg(_("demo: %s"), err);
	return cli_db(c, &db);
}

static void
print_summary(const cj_demo_result *r)
{
	char xj[CJ_MONEY_FMT_MAX], paid[CJ_MONEY_FMT_MAX], aid[CJ_MONEY_FMT_MAX],
		div[CJ_MONEY_FMT_MAX];

	printf(_("demo: 衔接资金 %s yuan to %ld villages, %ld projects (%ld tranches, %s yuan paid, "
	       "%ld accepted); 防返贫基金 in %ld villages, %ld aid payments (%s yuan); "
	       "%ld households registered; %ld villages paid dividends (%s yuan), %ld did "
	       "not (no distributable income)\n"),
	       out_money(xj, r->xj_fen, 0), r->xj_villages, r->projects, r->tranches,
	       out_money(paid, r->project_paid_fen, 0), r->accepted, r->fx_villages, r->aid_payments,
	       out_money(aid, r->aid_fen, 0), r->households, r->dividend_villages,
	       out_money(div, r->dividend_fen, 0), r->no_dividend);
}

/* What audit scan finds in the county's year: the summary by rule. */
static int
print_scan(cli *c, int year, long planted)
{
	cj_audit_request req = {CJ_DEMO_COUNTY, {year, 1, 1}, {year, 12, 31}, NULL, 0, 0};
	cj_report *r = NULL;
	double t = now_sec();
	int status = cj_audit_scan(c->db, &req, &r);

	if (status)
		return out_built(c, OUT_TEXT, status, r, 1);
	printf(_("\naudit scan of the year (%ld anomalies planted, besides what the year holds; "
	       "%zu findings in %.2f s):\n"),
	       planted, r->tables[0]->nrows, now_sec() - t);
	status = out_built(c, OUT_TEXT, 0, r, 1);
	printf(_("  every finding: cunji --db %s audit scan --county %s --year %d\n"), c->db_arg,
	       CJ_DEMO_COUNTY, year);
	return status;
}

/* The county dashboard's summary, as the 纪委 and the townships get it. */
static int
print_dashboard(cli *c, int year)
{
	cj_date from = {year, 1, 1}, to = {year, 12, 31};
	cj_report *r = NULL;

	if (cj_audit_dashboard(c->db, CJ_DEMO_COUNTY, from, to, &r))
		return fail_db(c, _("audit dashboard"));
	printf(_("\ncounty dashboard of the year (the sheet: cunji --db %s audit dashboard --county %s "
		 "--year %d --out FILE.xlsx):\n"), c->db_arg, CJ_DEMO_COUNTY, year);
	dashboard_summary(r);
	cj_report_free(r);
	return 0;
}

static void
print_anchor_finding(const char *line, void *payload)
{
	(void)payload;
	printf("  %s\n", line);
}

/*
 * What an inspector keeps and runs: the county's chain heads in a file signed
 * with the office's key (made on the first demo), then every chain, total and
 * guard of the county recomputed from the raw rows, and the file checked.
 */
static int
anchor_and_verify(cli *c, const char *path)
{
	char key[4200], pub[65], err[600], line[2048], *text = NULL;
	cj_findings f = CJ_FINDINGS_INIT;
	cj_verify_stats st;
	long found = 0, held = 0;
	double t = now_sec();
	FILE *out;
	int rc;

	if (cj_anchor_key_path(key, sizeof key, err, sizeof err) ||
	    ((rc = cj_anchor_key_new(key, 0, pub, err, sizeof err)) && rc != CJ_EEXISTS) ||
	    cj_anchor_key_public(key, pub, err, sizeof err))
		return fail_msg(_("demo: %s"), err);
	if (cj_anchor_export(c->db, CJ_DEMO_COUNTY, key, &text))
		return fail_db(c, _("demo"));
	if (!(out = fopen(path, "w")) || fputs(text, out) < 0 || fclose(out) != 0) {
		free(text);
		return fail_msg(_("cannot write %s"), path);
	}
	free(text);
	printf(_("\nanchor file of the county's chain heads, signed with the office key %.16s…: %s\n"),
	       pub, path);
	if (cj_audit_verify(c->db, CJ_DEMO_COUNTY, &f, &st)) {
		cj_findings_free(&f);
		return fail_db(c, _("audit verify"));
	}
	for (size_t i = 0; i < f.n; i++) {
		cj_finding_format(&f.items[i], line, sizeof line);
		printf("  %s\n", line);
	}
	if (cj_anchor_check_file(c->db, path, pub, print_anchor_finding, NULL, &found, &held)) {
		cj_findings_free(&f);
		return fail_db(c, _("audit verify"));
	}
	printf(_("audit verify --county %s --anchors %s: %zu villages, %zu vouchers, %zu lines, "
		 "%zu links, %zu audit records, %zu schema items, %ld anchored heads: %s (%.2f s)\n"),
	       CJ_DEMO_COUNTY, path, st.villages, st.vouchers, st.lines, st.links, st.audit_records,
	       st.schema_items, held, f.n || found ? _("NOT intact") : _("intact"), now_sec() - t);
	rc = f.n || found ? EXIT_REFUSED : 0;
	cj_findings_free(&f);
	return rc;
}

/* The demo's logins and how to use them (their passwords are the demo's). */
static void
print_logins(const char *dbname, int year)
{
	printf(_("logins, one of each kind (you are the admin of the database; docs/roles.md):\n"));
	for (const cj_demo_login *l = cj_demo_logins; l->login; l++)
		printf(_("  %-16s %-10s %-14s password %s\n"), l->login, cj_login_kind_name(l->kind),
		       l->scope ? l->scope : _("(everything)"), l->password);
	printf(_("  e.g. PGPASSWORD=demo-bookkeeper cunji --db %s --user demo_bookkeeper tb --township "
	       "%s100 --year %d\n"
	       "       psql \"$(cunji --db %s db url --user demo_inspector)\"   (reads the county, "
	       "writes nothing)\n"),
	       dbname, CJ_DEMO_COUNTY, year, dbname);
}

int
cmd_demo(cli *c, const cli_opts *o)
{
	char home[PATH_MAX];
	int bad = 0, status, quiet = opt_has(o, "quiet");
	cj_demo_opts opts = {0};
	cj_demo_result r;
	demo_ui ui = {c, ""};
	cj_report *tb = NULL;
	double t0, t1, t2;
	const char *anchors;

	opts.villages = arg_long(o, "villages", CJ_DEMO_VILLAGES, 1, CJ_DEMO_MAX_VILLAGES, &bad);
	opts.vouchers = arg_long(o, "vouchers", CJ_DEMO_VOUCHERS, 1, CJ_DEMO_MAX_VOUCHERS, &bad);
	opts.year = (int)arg_long(o, "year", CJ_DEMO_YEAR, CJ_DEMO_FIRST_YEAR, CJ_DEMO_LAST_YEAR, &bad);
	if (bad)
		return EXIT_USAGE;
	opts.files_dir = opt_get(o, "files") ? opt_get(o, "files") : "demo-out/import";
	opts.disclosure_dir = opt_get(o, "disclosure") ? opt_get(o, "disclosure") : "demo-out/disclosure";
	anchors = opt_get(o, "anchors");
	if (!anchors) {
		anchors = "demo-out/anchors-" CJ_DEMO_COUNTY ".txt";
		if (mkdir("demo-out", 0755) && errno != EEXIST)
			return fail_msg(_("cannot make demo-out: %s"), strerror(errno));
	}
	opts.cb.progress = on_progress;
	opts.cb.problem = on_problem;
	opts.cb.payload = &ui;
	if (c->db_arg && (strchr(c->db_arg, '=') || strstr(c->db_arg, "://")))
		return fail_msg(_("demo builds its own database in the embedded cluster; --db may only "
				"name it (default %s)"),
				DEMO_DB);
	if ((status = cli_home(home, sizeof home)))
		return status;
	if (!c->db_arg)
		c->db_arg = DEMO_DB;
	t0 = now_sec();
	if ((status = fresh_database(c, home)))
		return status;
	if (!quiet)
		printf(_("demo: building 靖安县 (%s) with %ld villages in database '%s' of %s\n"),
		       CJ_DEMO_COUNTY, opts.villages, c->db_arg, home);
	t1 = now_sec();
	status = cj_demo_build(c->db, &opts, &r);
	progress_end(c);
	if (status)
		return fail_db(c, _("demo"));
	if (!quiet) {
		print_summary(&r);
		printf("\n");
	}
	t2 = now_sec();
	if (!quiet) {
		status = cj_statement_balances(c->db, CJ_DEMO_COUNTY, cj_span_year(opts.year), &tb);
		if ((status = out_built(c, OUT_TEXT, status, tb, -1)))
			return status;
	}
	t2 = now_sec() - t2;
	if (!quiet && ((status = print_scan(c, opts.year, r.anomalies)) ||
		       (status = print_dashboard(c, opts.year))))
		return status;
	if ((status = anchor_and_verify(c, anchors)))
		return status;
	printf(_("\ndemo: %ld villages, %ld vouchers written to %s and imported in %.2f s (%.0f "
	       "vouchers/s), funds, projects, members and distribution %.2f s, year closed in %.2f s, "
	       "set-up %.2f s, trial balance %.3f s, disclosure (%ld files) %.1f s; total %.1f s\n"),
	       r.villages, r.vouchers, opts.files_dir, r.import_s, (double)r.vouchers / r.import_s,
	       r.funds_s, r.close_s, t1 - t0 + r.setup_s + r.logins_s, t2, r.disclosure_files,
	       r.disclosure_s,
	       now_sec() - t0);
	printf(_("disclosure sheets (三级公开, %dQ4 and %d): %s/\n"), opts.year, opts.year,
	       opts.disclosure_dir);
	printf(_("anchor file (keep it away from the office): %s\n"), anchors);
	if (!quiet)
		print_logins(c->db_arg, opts.year);
	if (!quiet)
		printf(_("look around: cunji --db %s tb --county %s --year %d\n"
		       "             cunji --db %s ledger --village %s200 --account 102001 --year %d\n"
		       "             cunji --db %s disclose --verify FILE   (any sheet above)\n"
		       "             cunji --db %s audit verify --county %s --anchors %s\n"),
		       c->db_arg, CJ_DEMO_COUNTY, opts.year, c->db_arg, CJ_DEMO_COUNTY "100", opts.year,
		       c->db_arg, c->db_arg, CJ_DEMO_COUNTY, anchors);
	return 0;
}
