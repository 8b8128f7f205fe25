/*
 * disclosure_run.c - a disclosure run: which sheets, from which snapshot,
 * into which files, by how many processes
 *
 * The run reads the ledger in one REPEATABLE READ READ ONLY transaction, so
 * every sheet of it (and every digest) describes the same state of the
 * books.  Village sheets come first, one village at a time: query, build,
 * render, free, keep only the figure record.  Then each township's sheet
 * and the county's are built from those records.
 *
 * With jobs > 1 the village files are made by worker processes (fork), each
 * with its own connection that imports the run's snapshot (pg_export_
 * snapshot / SET TRANSACTION SNAPSHOT, as parallel pg_dump does), taking
 * every jobs-th village.  A worker sends each village's figure record back
 * down a pipe; parent and workers are the same executable, so the record
 * travels as bytes.  Separate processes rather than threads because PDF
 * making is CPU-bound and the renderers need not be thread-safe.
 *
 * SPDX-License-Identifier: MIT
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ledger/buf.h>
#include <ledger/sql.h>
#include <ledger/i18n.h>

#include "disclosure_internal.h"

#define MAX_JOBS 16

typedef struct run {
	cj_db *db;
	const cj_dis_request *req;
	dis_period period;        /* req->period, with its dates and labels */
	cj_dis_result *res;
	cj_date posted;
	int formats;
	long done, total;
	/* the villages, in tree order, with their townships' indexes */
	cj_org *orgs;
	size_t norgs;
	dis_org top;              /* the organisation asked for */
	dis_org county;           /* for the file tree */
	size_t *villages;         /* indexes into orgs */
	size_t nvillages;
	dis_figures *figs;        /* one per village, same order */
	int render_villages;
} run;

static void
tick(run *r)
{
	r->done++;
	if (r->req->cb.progress)
		r->req->cb.progress("sheets", (uint64_t)r->done, (uint64_t)r->total,
				    r->req->cb.payload);
}

/* ------------------------------------------------------------------------ */
/* The file tree */

/* A name made safe as one path component. */
static void
component(char *buf, size_t size, const char *a, const char *sep, const char *b)
{
	char *p;

	snprintf(buf, size, "%s%s%s", a, sep, b);
	for (p = buf; *p; p++)
		if (*p == '/' || (unsigned char)*p < 0x20)
			*p = '_';
	if (!strcmp(buf, ".") || !strcmp(buf, ".."))
		buf[0] = '_';
}

static int
make_dir(cj_db *db, const char *path)
{
	char tmp[4096];

	snprintf(tmp, sizeof tmp, "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0777) && errno != EEXIST)
			return cj_db_fail(db, CJ_EIO, _("cannot create %s: %s"), tmp, strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0777) && errno != EEXIST)
		return cj_db_fail(db, CJ_EIO, _("cannot create %s: %s"), tmp, strerror(errno));
	return 0;
}

/* out_dir/<county code> <name>[/<township code> <name>] */
static int
sheet_dir(run *r, const char *township_code, const char *township_name, char *buf, size_t size)
{
	char a[512], b[512];

	component(a, sizeof a, r->county.code, " ", r->county.name);
	if (township_code) {
		component(b, sizeof b, township_code, " ", township_name);
		snprintf(buf, size, "%s/%s/%s", r->req->out_dir, a, b);
	} else {
		snprintf(buf, size, "%s/%s", r->req->out_dir, a);
	}
	return make_dir(r->db, buf);
}

/* Render a sheet set into dir/<code>-<name>-<tag>.xlsx and .pdf, and as
 * text.  Both are written as .part and renamed only when both are whole, so
 * a set is all or nothing and a file of that name is always whole. */
static int
write_set(run *r, cj_report *const *reports, size_t n, const char *dir, const char *code,
	  const char *name)
{
	const cj_report *const *rs = (const cj_report *const *)reports;
	char base[512], path[2][4600], part[2][4700], err[512];
	int want[2], renamed[2] = {0, 0}, f, rc = 0;

	if (r->req->text && cj_render_text(rs, n, r->req->text))
		return cj_db_fail(r->db, CJ_EIO, _("cannot write the text rendering"));
	if (!dir)
		return 0;
	component(base, sizeof base, code, "-", name);
	for (f = 0; f < 2; f++) {
		want[f] = (r->formats & (f ? CJ_DIS_PDF : CJ_DIS_XLSX)) != 0;
		snprintf(path[f], sizeof path[f], "%s/%s-%s.%s", dir, base, r->period.tag,
			 f ? "pdf" : "xlsx");
		snprintf(part[f], sizeof part[f], "%s.part", path[f]);
	}
	for (f = 0; f < 2 && !rc; f++) {
		if (!want[f])
			continue;
		err[0] = '\0';
		if ((f ? cj_render_pdf(rs, n, part[f], err, sizeof err)
		       : cj_render_xlsx(rs, n, part[f], err, sizeof err)))
			rc = cj_db_fail(r->db, CJ_EIO, "%s: %s", path[f], err[0] ? err : _("cannot write"));
	}
	for (f = 0; f < 2 && !rc; f++) {
		if (!want[f])
			continue;
		if (rename(part[f], path[f]))
			rc = cj_db_fail(r->db, CJ_EIO, "%s: %s", path[f], strerror(errno));
		else
			renamed[f] = 1;
	}
	if (rc) {
		for (int k = 0; k < 2; k++)
			if (want[k])
				unlink(renamed[k] ? path[k] : part[k]);
		return rc;
	}
	r->res->files += want[0] + want[1];
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Villages */

static const cj_org *
township_of(const run *r, const cj_org *village)
{
	for (size_t i = 0; i < r->norgs; i++)
		if (r->orgs[i].level == CJ_ORG_TOWNSHIP && !strcmp(r->orgs[i].code, village->parent_code))
			return &r->orgs[i];
	return NULL;
}

/* Build village k's sheets on db, render them when asked, fill its figures. */
static int
one_village(run *r, cj_db *db, size_t k, dis_figures *fig)
{
	const cj_org *v = &r->orgs[r->villages[k]];
	cj_report *reports[2];
	int err = cj__dis_village_build(db, v->id, &r->period, r->posted, r->req->anchor_seq,
					reports, fig);
	char dir[4096];

	if (err)
		return err;
	if (r->render_villages) {
		const cj_org *t = township_of(r, v);
		cj_db *saved = r->db;

		r->db = db; /* errors go on the connection that did the work */
		err = r->req->out_dir ? sheet_dir(r, t ? t->code : r->top.township_code,
						  t ? t->name : r->top.township_name, dir, sizeof dir)
				      : 0;
		if (!err)
			err = write_set(r, reports, 2, r->req->out_dir ? dir : NULL, v->code, v->name);
		r->db = saved;
	}
	cj_report_free(reports[0]);
	cj_report_free(reports[1]);
	if (err)
		cj__dis_figures_free(fig);
	return err;
}

/* Full writes and reads on a pipe. */
static int
write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
read_all(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n) {
		ssize_t got = read(fd, p, n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

typedef struct rec_head {
	long index;    /* village index */
	int status;    /* 0 or a cj_status */
	size_t msglen; /* an error's message follows */
} rec_head;

/* A connection string that reaches the same database as conn (PQconninfo). */
static char *
same_conninfo(PGconn *conn)
{
	PQconninfoOption *opts = PQconninfo(conn), *o;
	size_t size = 64, len = 0;
	char *s;

	if (!opts)
		return NULL;
	for (o = opts; o->keyword; o++)
		if (o->val && *o->val)
			size += strlen(o->keyword) + 2 * strlen(o->val) + 8;
	if ((s = malloc(size))) {
		s[0] = '\0';
		for (o = opts; o->keyword; o++) {
			if (!o->val || !*o->val)
				continue;
			len += (size_t)snprintf(s + len, size - len, "%s='", o->keyword);
			for (const char *v = o->val; *v; v++) {
				if (*v == '\'' || *v == '\\')
					s[len++] = '\\';
				s[len++] = *v;
			}
			len += (size_t)snprintf(s + len, size - len, "' ");
		}
	}
	PQconninfoFree(opts);
	return s;
}

/* The worker: never returns.  It must not touch the parent's connection. */
static void
worker(run *r, int k, int jobs, const char *conninfo, const char *snapshot, int fd)
{
	cj_db *db = NULL;
	rec_head h = {-1, 0, 0};
	char sql[192];
	const char *msg = "";
	int err;

	r->res->files = 0;
	snprintf(sql, sizeof sql, "SET TRANSACTION SNAPSHOT '%s'", snapshot);
	err = cj_db_connect(&db, conninfo);
	if (!err)
		err = cj_db_exec(db, NULL, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0, NULL);
	if (!err)
		err = cj_db_exec(db, NULL, sql, 0, NULL);
	for (size_t i = (size_t)k; !err && i < r->nvillages; i += (size_t)jobs) {
		dis_figures fig;

		if ((err = one_village(r, db, i, &fig)))
			break;
		h.index = (long)i;
		if (write_all(fd, &h, sizeof h) || write_all(fd, &fig, sizeof fig) ||
		    write_all(fd, fig.parts, fig.nparts * sizeof *fig.parts) ||
		    write_all(fd, fig.project_list, fig.nprojects * sizeof *fig.project_list))
			_exit(3);
		cj__dis_figures_free(&fig);
	}
	if (err) {
		msg = db ? cj_db_errmsg(db) : "cannot connect";
		h.status = err;
		h.msglen = strlen(msg);
		write_all(fd, &h, sizeof h);
		write_all(fd, msg, h.msglen);
	}
	/* the files this worker wrote: a last record with index -2 */
	h.index = -2;
	h.status = 0;
	h.msglen = (size_t)r->res->files;
	write_all(fd, &h, sizeof h);
	close(fd);
	if (db)
		cj_db_close(db);
	_exit(err ? 1 : 0);
}

static int
read_record(run *r, int fd, int *eof)
{
	rec_head h;
	dis_figures fig;
	ssize_t got;

	got = read(fd, &h, 1);
	if (got == 0) {
		*eof = 1;
		return 0;
	}
	if (got < 0 || read_all(fd, (char *)&h + 1, sizeof h - 1))
		return cj_db_fail(r->db, CJ_ERROR, _("a disclosure worker stopped unexpectedly"));
	if (h.status) {
		char msg[1024] = "";
		size_t n = h.msglen < sizeof msg - 1 ? h.msglen : sizeof msg - 1;

		read_all(fd, msg, n);
		msg[n] = '\0';
		return cj_db_fail(r->db, h.status, "%s", msg);
	}
	if (h.index == -2) {
		r->res->files += (long)h.msglen;
		return 0;
	}
	if (h.index < 0 || (size_t)h.index >= r->nvillages || read_all(fd, &fig, sizeof fig))
		return cj_db_fail(r->db, CJ_ERROR, _("a disclosure worker sent a bad record"));
	fig.parts = fig.nparts ? calloc(fig.nparts, sizeof *fig.parts) : NULL;
	fig.project_list = fig.nprojects ? calloc(fig.nprojects, sizeof *fig.project_list) : NULL;
	if ((fig.nparts && !fig.parts) || (fig.nprojects && !fig.project_list)) {
		cj__dis_figures_free(&fig);
		return cj_db_fail(r->db, CJ_ENOMEM, _("out of memory"));
	}
	if (read_all(fd, fig.parts, fig.nparts * sizeof *fig.parts) ||
	    read_all(fd, fig.project_list, fig.nprojects * sizeof *fig.project_list)) {
		cj__dis_figures_free(&fig);
		return cj_db_fail(r->db, CJ_ERROR, _("a disclosure worker stopped unexpectedly"));
	}
	r->figs[h.index] = fig;
	tick(r);
	return 0;
}

static int
villages_parallel(run *r, int jobs)
{
	pid_t pids[MAX_JOBS];
	struct pollfd fds[MAX_JOBS];
	char *conninfo = NULL, snapshot[128];
	PGresult *res;
	int err, open = 0;

	if ((err = cj_db_exec(r->db, &res, "SELECT pg_export_snapshot()", 0, NULL)))
		return err;
	snprintf(snapshot, sizeof snapshot, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (!(conninfo = same_conninfo(cj_db_conn(r->db))))
		return cj_db_fail(r->db, CJ_ENOMEM, _("out of memory"));
	fflush(NULL);
	for (int k = 0; k < jobs; k++) {
		int p[2];

		if (pipe(p)) {
			err = cj_db_fail(r->db, CJ_EIO, _("pipe: %s"), strerror(errno));
			jobs = k;
			break;
		}
		pids[k] = fork();
		if (pids[k] < 0) {
			err = cj_db_fail(r->db, CJ_EIO, _("fork: %s"), strerror(errno));
			close(p[0]);
			close(p[1]);
			jobs = k;
			break;
		}
		if (pids[k] == 0) {
			for (int j = 0; j < k; j++)
				close(fds[j].fd);
			close(p[0]);
			worker(r, k, jobs, conninfo, snapshot, p[1]);
		}
		close(p[1]);
		fds[k].fd = p[0];
		fds[k].events = POLLIN;
		open++;
	}
	free(conninfo);
	while (open > 0 && !err) {
		if (poll(fds, (nfds_t)jobs, -1) < 0) {
			if (errno == EINTR)
				continue;
			err = cj_db_fail(r->db, CJ_EIO, _("poll: %s"), strerror(errno));
			break;
		}
		for (int k = 0; k < jobs && !err; k++) {
			int eof = 0;

			if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			err = read_record(r, fds[k].fd, &eof);
			if (eof) {
				close(fds[k].fd);
				fds[k].fd = -1;
				open--;
			}
		}
	}
	for (int k = 0; k < jobs; k++) {
		int status;

		if (fds[k].fd >= 0) {
			close(fds[k].fd);
			kill(pids[k], SIGTERM); /* only when the run already failed */
		}
		while (waitpid(pids[k], &status, 0) < 0 && errno == EINTR)
			;
		if (!err && (!WIFEXITED(status) || WEXITSTATUS(status)))
			err = cj_db_fail(r->db, CJ_ERROR, _("a disclosure worker failed"));
	}
	if (!err)
		for (size_t i = 0; i < r->nvillages; i++)
			if (!r->figs[i].code[0])
				return cj_db_fail(r->db, CJ_ERROR, _("village %s was not disclosed"),
						  r->orgs[r->villages[i]].code);
	return err;
}

static int
villages_serial(run *r)
{
	for (size_t i = 0; i < r->nvillages; i++) {
		int err = one_village(r, r->db, i, &r->figs[i]);

		if (err)
			return err;
		tick(r);
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Townships and the county */

static int
township_sheet(run *r, const cj_org *t, size_t first, size_t n, int render)
{
	dis_org o;
	cj_dis_digest d;
	cj_report *rep = NULL;
	cj_anchor *anchor = NULL;
	char *stamp = NULL, dir[4096];
	int err;

	if ((err = cj__dis_org_load(r->db, t->id, &o)) ||
	    (err = cj__dis_group_digest(r->db, CJ_DIS_TOWNSHIP, t->code, r->period.to,
					&r->figs[first], n, &d)))
		return err;
	if (!render)
		return 0;
	if ((err = cj__dis_group_anchor(r->db, t->code, &r->period, &r->figs[first], n, &anchor)))
		return err;
	if (!(stamp = cj__dis_stamp_text(CJ_DIS_TOWNSHIP, t->code, &r->period, r->posted, &d, &r->figs[first],
					 n, anchor->text))) {
		free(anchor);
		return cj_db_fail(r->db, CJ_ENOMEM, _("out of memory"));
	}
	err = cj__dis_township_report(r->db, &o, &r->period, r->posted, &r->figs[first], n, &d,
				      stamp, anchor, &rep);
	free(stamp);
	free(anchor);
	if (!err && r->req->out_dir)
		err = sheet_dir(r, t->code, t->name, dir, sizeof dir);
	if (!err)
		err = write_set(r, &rep, 1, r->req->out_dir ? dir : NULL, t->code, t->name);
	cj_report_free(rep);
	if (!err) {
		r->res->townships++;
		tick(r);
	}
	return err;
}

static int
county_sheet(run *r, const cj_org *c, dis_township_sum *sums, size_t nsums)
{
	dis_org o;
	cj_dis_digest d;
	cj_report *rep = NULL;
	cj_anchor *anchor = NULL;
	char *stamp = NULL, dir[4096];
	int err;

	if ((err = cj__dis_org_load(r->db, c->id, &o)) ||
	    (err = cj__dis_group_digest(r->db, CJ_DIS_COUNTY, c->code, r->period.to, r->figs,
					r->nvillages, &d)) ||
	    (err = cj__dis_group_anchor(r->db, c->code, &r->period, r->figs, r->nvillages, &anchor)))
		return err;
	if (!(stamp = cj__dis_stamp_text(CJ_DIS_COUNTY, c->code, &r->period, r->posted, &d, r->figs,
					 r->nvillages, anchor->text))) {
		free(anchor);
		return cj_db_fail(r->db, CJ_ENOMEM, _("out of memory"));
	}
	err = cj__dis_county_report(r->db, &o, &r->period, r->posted, sums, nsums, &d, stamp, anchor,
				    &rep);
	free(stamp);
	free(anchor);
	if (!err && r->req->out_dir)
		err = sheet_dir(r, NULL, NULL, dir, sizeof dir);
	if (!err)
		err = write_set(r, &rep, 1, r->req->out_dir ? dir : NULL, c->code, c->name);
	cj_report_free(rep);
	if (!err) {
		r->res->counties++;
		tick(r);
	}
	return err;
}

/* Each township's villages are contiguous in tree order. */
static int
summaries(run *r)
{
	cj_dis_level level = r->req->level;
	int townships = level == CJ_DIS_TOWNSHIP || (level == CJ_DIS_COUNTY && r->req->all);
	dis_township_sum *sums = NULL;
	size_t nsums = 0, i = 0;
	int err = 0;

	if (level == CJ_DIS_VILLAGE)
		return 0;
	sums = calloc(r->norgs, sizeof *sums);
	if (!sums)
		return cj_db_fail(r->db, CJ_ENOMEM, _("out of memory"));
	for (size_t k = 0; k < r->norgs && !err; k++) {
		const cj_org *t = &r->orgs[k];
		size_t first = i;
		dis_township_sum *s;

		if (t->level != CJ_ORG_TOWNSHIP)
			continue;
		while (i < r->nvillages && !strcmp(r->orgs[r->villages[i]].parent_code, t->code))
			i++;
		s = &sums[nsums++];
		s->township_id = t->id;
		snprintf(s->code, sizeof s->code, "%s", t->code);
		snprintf(s->name, sizeof s->name, "%s", t->name);
		for (size_t v = first; v < i && !err; v++)
			if (cj__dis_township_sum_add(s, &r->figs[v]))
				err = cj_db_fail(r->db, CJ_EOVERFLOW, _("amount overflow summing %s"), t->name);
		if (!err)
			err = township_sheet(r, t, first, i - first, townships);
		/* the lists were only for the township sheet */
		for (size_t v = first; v < i; v++)
			cj__dis_figures_free(&r->figs[v]);
	}
	if (!err && level == CJ_DIS_COUNTY)
		err = county_sheet(r, &r->orgs[0], sums, nsums);
	for (size_t k = 0; k < nsums; k++)
		cj__dis_township_sum_free(&sums[k]);
	free(sums);
	return err;
}

/* ------------------------------------------------------------------------ */

/* Sheets describe what happened: a period that has not begun has nothing to show. */
/* R30: each village sheet written is recorded with the time of the
 * snapshot it shows (disclosure_made, 0028), when the login may record it
 * (an inspector making sheets to look at them records nothing). */
static int
record_made(run *r, const char *made_at)
{
	cj_buf ids = CJ_BUF_INIT;
	char from[16], to[16];
	PGresult *res;
	int err, may;

	if ((err = cj_db_exec(r->db, &res,
			      "SELECT has_column_privilege('disclosure_made', 'made_at', 'INSERT')", 0,
			      NULL)))
		return err;
	may = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (!may)
		return 0;
	cj_date_format(from, sizeof from, r->period.from);
	cj_date_format(to, sizeof to, r->period.to);
	cj__buf_printf(&ids, "{");
	for (size_t i = 0; i < r->nvillages; i++)
		cj__buf_printf(&ids, "%s%d", i ? "," : "", r->orgs[r->villages[i]].id);
	cj__buf_printf(&ids, "}");
	if (!cj__buf_ok(&ids)) {
		cj__buf_free(&ids);
		return cj_db_fail(r->db, CJ_ENOMEM, _("out of memory"));
	}
	err = cj_db_exec(r->db, NULL,
			 "INSERT INTO disclosure_made (village_id, period_from, period_to, made_at)\n"
			 "SELECT unnest($1::int[]), $2::date, $3::date, $4::timestamptz",
			 4, (const char *[]){ids.data, from, to, made_at});
	cj__buf_free(&ids);
	return err;
}

static int
period_not_begun(cj_db *db, const dis_period *p, cj_date today)
{
	char from[16], now[16];

	if (p->from.year < today.year ||
	    (p->from.year == today.year && p->from.month <= today.month))
		return 0;
	cj_date_format(from, sizeof from, p->from);
	cj_date_format(now, sizeof now, today);
	cj_db_fail(db, CJ_EREFUSED, _("period %s (%s) has not begun: it starts on %s and today is %s; "
		   "sheets are made only for periods that have begun"), p->tag, p->label, from, now);
	return 1;
}

int
cj_disclose(cj_db *db, const cj_dis_request *req, cj_dis_result *out)
{
	run r;
	cj_org top;
	PGresult *res;
	char made_at[64];
	int err, jobs = req->jobs < 1 ? 1 : req->jobs > MAX_JOBS ? MAX_JOBS : req->jobs;
	static const cj_org_level want[3] = {CJ_ORG_VILLAGE, CJ_ORG_TOWNSHIP, CJ_ORG_COUNTY};

	memset(out, 0, sizeof *out);
	memset(&r, 0, sizeof r);
	if ((err = cj__dis_period_of(db, req->period, &r.period)))
		return err;
	if (period_not_begun(db, &r.period, req->today.year ? req->today : cj_date_today()))
		return CJ_EREFUSED;
	r.db = db;
	r.req = req;
	r.res = out;
	r.formats = req->formats ? req->formats : CJ_DIS_XLSX | CJ_DIS_PDF;
	r.posted = cj__dis_posted_on(&r.period, req->posted_on);
	if (req->text)
		jobs = 1; /* text comes out in tree order */

	if ((err = cj_db_exec(db, NULL, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0, NULL)))
		return err;
	if ((err = cj_db_exec(db, &res, "SELECT now()", 0, NULL))) /* the snapshot's time */
		goto done;
	snprintf(made_at, sizeof made_at, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if ((err = cj_org_find(db, req->code, &top)))
		goto done;
	if (top.level != want[req->level]) {
		err = cj_db_fail(db, CJ_EINVAL, cj_org_level_mismatch(top.level, want[req->level]),
				 top.code, top.name);
		goto done;
	}
	if ((err = cj__dis_org_load(db, top.id, &r.top)) ||
	    (err = cj_org_list(db, req->code, &r.orgs, &r.norgs)))
		goto done;
	if (req->level == CJ_DIS_VILLAGE) {
		r.county = r.top;
		snprintf(r.county.code, sizeof r.county.code, "%s", r.top.county_code);
		snprintf(r.county.name, sizeof r.county.name, "%s", r.top.county_name);
	} else if (req->level == CJ_DIS_TOWNSHIP) {
		snprintf(r.county.code, sizeof r.county.code, "%s", r.top.county_code);
		snprintf(r.county.name, sizeof r.county.name, "%s", r.top.county_name);
	} else {
		r.county = r.top;
	}

	r.villages = calloc(r.norgs ? r.norgs : 1, sizeof *r.villages);
	r.figs = calloc(r.norgs ? r.norgs : 1, sizeof *r.figs);
	if (!r.villages || !r.figs) {
		err = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		goto done;
	}
	for (size_t i = 0; i < r.norgs; i++)
		if (r.orgs[i].level == CJ_ORG_VILLAGE)
			r.villages[r.nvillages++] = i;
	r.render_villages = req->level == CJ_DIS_VILLAGE || req->all;
	r.total = (long)r.nvillages;
	if (req->level == CJ_DIS_TOWNSHIP)
		r.total += 1;
	else if (req->level == CJ_DIS_COUNTY)
		r.total += 1 + (req->all ? (long)(r.norgs - 1 - r.nvillages) : 0);

	if (jobs > 1 && r.render_villages && r.nvillages > 1)
		err = villages_parallel(&r, jobs < (int)r.nvillages ? jobs : (int)r.nvillages);
	else
		err = villages_serial(&r);
	if (!err && r.render_villages)
		out->villages = (long)r.nvillages;
	for (size_t i = 0; !err && i < r.nvillages; i++) {
		out->vouchers += r.figs[i].digest.vouchers;
		if (r.figs[i].open_from && !out->unclosed++)
			snprintf(out->unclosed_first, sizeof out->unclosed_first,
				 "%s %s, open from %04d-%02d",
				 r.figs[i].code, r.figs[i].name, r.period.year, r.figs[i].open_from);
	}
	if (!err)
		err = summaries(&r);
done:
	if (err)
		cj_db_rollback(db);
	else
		err = cj_db_exec(db, NULL, "COMMIT", 0, NULL);
	if (!err && r.render_villages && req->out_dir && r.nvillages)
		err = record_made(&r, made_at);
	for (size_t i = 0; r.figs && i < r.nvillages; i++)
		cj__dis_figures_free(&r.figs[i]);
	free(r.figs);
	free(r.villages);
	free(r.orgs);
	return err;
}

int
cj_dis_village_step(cj_db *db, const cj_org *village, void *ctx, char *msg, size_t size)
{
	cj_dis_request req = *(const cj_dis_request *)ctx;
	cj_dis_result res;
	int err;

	req.level = CJ_DIS_VILLAGE;
	req.code = village->code;
	req.all = 0;
	if ((err = cj_disclose(db, &req, &res)))
		return err;
	if (res.unclosed)
		snprintf(msg, size, _("%ld file(s); not closed (the sheets say 未结账)"), res.files);
	else
		snprintf(msg, size, _("%ld file(s)"), res.files);
	return 0;
}
