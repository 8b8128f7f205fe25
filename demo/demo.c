/*
 * demo.c - cj_demo_build: the demo county, phase by phase
 *
 * Organisations, then the year of vouchers (demo_books.c), then funds,
 * projects, aid, members and the distribution (demo_funds.c), the year-end
 * close of every village and the county's disclosure sheets for the last
 * quarter and the year.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <reports/disclosure.h>
#include <ledger/i18n.h>

#include "demo_internal.h"

static double
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
cj__demo_progress(demo *d, const char *phase, long done, long total)
{
	if (d->o.cb.progress)
		d->o.cb.progress(phase, (uint64_t)done, (uint64_t)total, d->o.cb.payload);
}

int
cj__demo_fail(demo *d, int status, const char *what)
{
	char msg[1024];

	snprintf(msg, sizeof msg, "%s", cj_db_errmsg(d->db));
	return cj_db_fail(d->db, status, "%s: %s", what, msg);
}

typedef struct sheets_progress {
	demo *d;
	const char *phase;
} sheets_progress;

static void
on_sheet(const char *phase, uint64_t done, uint64_t total, void *payload)
{
	sheets_progress *sp = payload;

	(void)phase; /* "sheets": the demo names the step itself */
	cj__demo_progress(sp->d, sp->phase, (long)done, (long)total);
}

/* 三级公开: the county's whole tree for the last quarter and for the year. */
static int
disclose(demo *d)
{
	const cj_span periods[2] = {cj_span_quarter(d->o.year, 4), cj_span_year(d->o.year)};
	sheets_progress sp = {d, "disclosure sheets"};

	for (int k = 0; k < 2; k++) {
		cj_dis_request req;
		cj_dis_result res;
		int err;

		memset(&req, 0, sizeof req);
		req.period = periods[k];
		req.level = CJ_DIS_COUNTY;
		req.code = CJ_DEMO_COUNTY;
		req.all = 1;
		req.out_dir = d->o.disclosure_dir;
		req.jobs = d->o.jobs;
		req.cb.progress = on_sheet;
		req.cb.payload = &sp;
		if ((err = cj_disclose(d->db, &req, &res)))
			return cj__demo_fail(d, err, _("disclosure"));
		d->res->disclosure_files += res.files;
	}
	return 0;
}

static int
close_years(demo *d)
{
	for (long i = 0; i < d->o.villages; i++) {
		cj_year_close_result r;
		int err = cj_year_close(d->poster, d->ids[i], d->o.year, DEMO_PREPARER, &r);

		if (err)
			return cj__demo_fail(d, err, _("year-end close"));
		cj__demo_progress(d, "year-end close", i + 1, d->o.villages);
	}
	return 0;
}

static int
check_opts(demo *d)
{
	cj_demo_opts *o = &d->o;

	if (!o->villages)
		o->villages = CJ_DEMO_VILLAGES;
	if (!o->vouchers)
		o->vouchers = CJ_DEMO_VOUCHERS;
	if (!o->year)
		o->year = CJ_DEMO_YEAR;
	if (!o->files_dir)
		o->files_dir = "demo-out/import";
	if (!o->disclosure_dir)
		o->disclosure_dir = "demo-out/disclosure";
	if (o->jobs < 1)
		o->jobs = 2;
	if (o->villages < 1 || o->villages > CJ_DEMO_MAX_VILLAGES)
		return cj_db_fail(d->db, CJ_EINVAL, _("the demo has 1 to %d villages, not %ld"),
				  CJ_DEMO_MAX_VILLAGES, o->villages);
	if (o->vouchers < 1 || o->vouchers > CJ_DEMO_MAX_VOUCHERS)
		return cj_db_fail(d->db, CJ_EINVAL, _("the demo posts 1 to %d vouchers a village, not %ld"),
				  CJ_DEMO_MAX_VOUCHERS, o->vouchers);
	if (o->year < CJ_DEMO_FIRST_YEAR || o->year > CJ_DEMO_LAST_YEAR)
		return cj_db_fail(d->db, CJ_EINVAL, _("the demo year is %d to %d, not %d"),
				  CJ_DEMO_FIRST_YEAR, CJ_DEMO_LAST_YEAR, o->year);
	return 0;
}

int
cj_demo_build(cj_db *db, const cj_demo_opts *opts, cj_demo_result *out)
{
	static int (*const phases[])(demo *) = {cj__demo_orgs, cj__demo_logins, cj__demo_vouchers,
						cj__demo_anomalies, cj__demo_funds, close_years,
						disclose};
	double anomalies_s;
	double *seconds[] = {&out->setup_s, &out->logins_s, &out->import_s, &anomalies_s,
			     &out->funds_s, &out->close_s, &out->disclosure_s};
	demo d;
	int status;

	memset(out, 0, sizeof *out);
	memset(&d, 0, sizeof d);
	d.db = db;
	d.o = *opts;
	d.res = out;
	if ((status = check_opts(&d)))
		return status;
	d.ids = calloc((size_t)d.o.villages, sizeof *d.ids);
	if (!d.ids || cj_poster_new(&d.poster, db)) {
		free(d.ids);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	for (size_t i = 0; !status && i < sizeof phases / sizeof phases[0]; i++) {
		double t = now_sec();

		status = phases[i](&d);
		*seconds[i] = now_sec() - t;
	}
	if (!status)
		out->villages = d.o.villages;
	cj_poster_free(d.poster);
	free(d.ids);
	return status;
}
