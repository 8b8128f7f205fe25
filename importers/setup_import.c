/*
 * setup_import.c - organisations, sub-accounts and the officials roster
 * from a file
 *
 * Both files are small (a county has a few hundred rows): they are read
 * whole, every row checked, and only a file without problems is handed to
 * the core's add_many call in the import's transaction.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <importers/columns.h>
#include <importers/setup_import.h>
#include <ledger/account.h>
#include <ledger/buf.h>
#include <ledger/date.h>
#include <ledger/inspect.h>
#include <ledger/org.h>
#include <ledger/i18n.h>

#include "internal.h"

#define MAX_COLS 8
#define MAX_ROWS 100000

enum { O_LEVEL, O_CODE, O_NAME, O_PARENT, O_START, O_NCOLS };
static const cj_column_spec org_columns[O_NCOLS] = {
	[O_LEVEL] = {{"级别", "level", "层级", NULL}, CJ_COLUMN_REQUIRED},
	[O_CODE] = {{"代码", "code", "区划代码", "编码", NULL}, CJ_COLUMN_REQUIRED},
	[O_NAME] = {{"名称", "name", NULL}, CJ_COLUMN_REQUIRED},
	[O_PARENT] = {{"上级代码", "parent", "上级", NULL}, 0},
	[O_START] = {{"建账月份", "books_from", "start", "账套起始月份", NULL}, 0},
};

enum { A_VILLAGE, A_CODE, A_NAME, A_NCOLS };
static const cj_column_spec account_columns[A_NCOLS] = {
	[A_VILLAGE] = {{"村代码", "village", NULL}, CJ_COLUMN_REQUIRED},
	[A_CODE] = {{"科目代码", "code", NULL}, CJ_COLUMN_REQUIRED},
	[A_NAME] = {{"科目名称", "name", NULL}, CJ_COLUMN_REQUIRED},
};

enum { F_VILLAGE, F_NAME, F_ID, F_POST, F_FROM, F_TO, F_RELATION, F_OF, F_NCOLS };
static const cj_column_spec official_columns[F_NCOLS] = {
	[F_VILLAGE] = {{"村代码", "village", NULL}, CJ_COLUMN_REQUIRED},
	[F_NAME] = {{"姓名", "name", NULL}, CJ_COLUMN_REQUIRED},
	[F_ID] = {{"身份证号", "id_number", "公民身份号码", NULL}, 0},
	[F_POST] = {{"职务", "post", NULL}, CJ_COLUMN_REQUIRED},
	[F_FROM] = {{"任期起", "term_from", NULL}, 0},
	[F_TO] = {{"任期止", "term_to", NULL}, 0},
	[F_RELATION] = {{"关系", "relation", "与干部关系", NULL}, 0},
	[F_OF] = {{"亲属", "related_to", "干部姓名", NULL}, 0},
};

typedef struct setup_row {
	size_t row;
	char *f[MAX_COLS];
} setup_row;

typedef struct setup_import {
	cj_db *db;
	const cj_setup_import_opts *o;
	cj_setup_import_result *r;
	const char *path, *name;
	const cj_column_spec *specs;
	int ncols;
	cj_columns cols;
	cj_problems pb;
	cj_buf rows; /* of setup_row */
	size_t n;
	cj__txn txn;
} setup_import;

static setup_row *
row_at(setup_import *si, size_t i)
{
	return (setup_row *)si->rows.data + i;
}

/* Every non-blank row under the header, its fields trimmed and copied. */
static int
read_file(setup_import *si)
{
	cj_sheet *s;
	char err[512], buf[1024];
	int rc, header = 0, oom = 0;

	if (cj_sheet_open_in(&s, si->path, si->o->sheet, err, sizeof err))
		return cj_db_fail(si->db, CJ_EIO, "%s: %s", si->name, err);
	snprintf(si->r->encoding, sizeof si->r->encoding, "%s", cj_sheet_encoding(s));
	if (cj_columns_seek(s, si->specs, si->ncols, 0) < 0) {
		cj_db_fail(si->db, CJ_EIO, "%s: %s", si->name, cj_sheet_error(s));
		cj_sheet_close(s);
		return CJ_EIO;
	}
	while (!oom && (rc = cj_sheet_next(s)) == 1) {
		setup_row *r;
		if (!header) {
			char missing[400];
			header = 1;
			cj_sheet_header(s);
			cj_columns_find(&si->cols, si->specs, si->ncols, s, CJ_COLUMNS_STRICT, &si->pb);
			if (cj_columns_missing(&si->cols, 0, missing, sizeof missing)) {
				char which[300];
				cj_problems_add(&si->pb, cj_sheet_row(s), NULL, NULL,
						_("the header lacks the column%s %s%s"),
						strchr(missing, ',') ? "s" : "", missing,
						cj_sheet_which(s, which, sizeof which));
				break;
			}
			continue;
		}
		if (cj__row_blank(s))
			continue;
		if (si->n >= MAX_ROWS) {
			cj_sheet_close(s);
			return cj_db_fail(si->db, CJ_EINVAL, _("%s: more than %d rows"), si->name, MAX_ROWS);
		}
		if (!(r = cj__buf_push(&si->rows, sizeof *r))) {
			oom = 1;
			break;
		}
		si->n++;
		memset(r, 0, sizeof *r);
		r->row = cj_sheet_row(s);
		for (int k = 0; k < si->ncols; k++)
			oom |= !(r->f[k] = strdup(cj_columns_get(&si->cols, s, k, buf, sizeof buf)));
	}
	if (rc < 0)
		cj_problems_add(&si->pb, 0, NULL, NULL, "%s", cj_sheet_error(s));
	cj_sheet_close(s);
	if (oom)
		return cj_db_fail(si->db, CJ_ENOMEM, _("%s: out of memory"), si->name);
	if (!header)
		return cj_db_fail(si->db, CJ_EINVAL, _("%s: the file is empty"), si->name);
	if (!si->n && !cj_problems_count(&si->pb))
		return cj_db_fail(si->db, CJ_EINVAL, _("%s: no rows under the header"), si->name);
	return 0;
}

/* A required field left empty, as a problem; 1 when it is. */
static int
empty(setup_import *si, const setup_row *r, int k)
{
	if (r->f[k][0])
		return 0;
	cj_problems_add(&si->pb, r->row, si->cols.title[k], NULL, _("is empty"));
	return 1;
}

/* What the core refused, naming the file and the row. */
static int
refused(setup_import *si, int err, size_t failed)
{
	return cj__fail_where(si->db, err, _("%s: row %zu"), si->name,
			      si->n ? row_at(si, failed)->row : 0);
}

static int
add_orgs(setup_import *si)
{
	cj_period year = {cj_date_today().year, 1};
	cj_org_new *orgs = calloc(si->n ? si->n : 1, sizeof *orgs);
	size_t failed = 0;
	int err = 0;

	if (!orgs)
		return cj_db_fail(si->db, CJ_ENOMEM, _("out of memory"));
	for (size_t i = 0; i < si->n; i++) {
		setup_row *r = row_at(si, i);
		int lv = cj_org_level_parse(r->f[O_LEVEL]);
		cj_org_new *o = &orgs[i];
		*o = (cj_org_new){(cj_org_level)lv, r->f[O_CODE], r->f[O_NAME], r->f[O_PARENT], year};
		if (lv < 0 && !empty(si, r, O_LEVEL))
			cj_problems_add(&si->pb, r->row, si->cols.title[O_LEVEL], r->f[O_LEVEL],
					_("is not 县, 乡镇 or 村 (county, township, village)"));
		empty(si, r, O_CODE);
		empty(si, r, O_NAME);
		if (r->f[O_START][0] && cj_period_parse(&o->start, r->f[O_START]))
			cj_problems_add(&si->pb, r->row, si->cols.title[O_START], r->f[O_START],
					_("is not a month (YYYY-MM)"));
		else if (r->f[O_START][0] && lv >= 0 && lv != CJ_ORG_VILLAGE)
			cj_problems_add(&si->pb, r->row, si->cols.title[O_START], r->f[O_START],
					_("is for villages (their books)"));
		if (lv == CJ_ORG_COUNTY)
			si->r->counties++;
		else if (lv == CJ_ORG_TOWNSHIP)
			si->r->townships++;
		else if (lv == CJ_ORG_VILLAGE)
			si->r->villages++;
	}
	if (!(err = cj__problems_hand_over(si->db, &si->pb, &si->o->cb, &si->r->nproblems)) &&
	    !(err = cj__txn_begin(&si->txn, si->db)) &&
	    (err = cj_org_add_many(si->db, orgs, si->n, &failed)))
		err = refused(si, err, failed);
	free(orgs);
	return err;
}

static int
add_accounts(setup_import *si)
{
	cj_account_new *a = calloc(si->n ? si->n : 1, sizeof *a);
	cj_org v = {0};
	char last[sizeof v.code] = "";
	size_t failed = 0;
	int err = 0, found = 0;

	if (!a)
		return cj_db_fail(si->db, CJ_ENOMEM, _("out of memory"));
	for (size_t i = 0; i < si->n && !err; i++) {
		setup_row *r = row_at(si, i);
		a[i] = (cj_account_new){0, r->f[A_CODE], r->f[A_NAME]};
		empty(si, r, A_CODE);
		empty(si, r, A_NAME);
		if (empty(si, r, A_VILLAGE))
			continue;
		/* rows come village by village: look each up when it changes */
		if (strcmp(r->f[A_VILLAGE], last)) {
			snprintf(last, sizeof last, "%s", r->f[A_VILLAGE]);
			err = cj_village_find(si->db, r->f[A_VILLAGE], &v);
			found = !err;
			if (err == CJ_ENOTFOUND || err == CJ_EINVAL)
				err = 0;
		}
		if (!found)
			cj_problems_add(&si->pb, r->row, si->cols.title[A_VILLAGE], r->f[A_VILLAGE],
					_(_("is not a village's code")));
		a[i].village_id = v.id;
	}
	if (!err && !(err = cj__problems_hand_over(si->db, &si->pb, &si->o->cb,
						   &si->r->nproblems)) &&
	    !(err = cj__txn_begin(&si->txn, si->db)) &&
	    (err = cj_account_add_many(si->db, a, si->n, &failed)))
		err = refused(si, err, failed);
	free(a);
	return err;
}

/* The roster: each row's village looked up and its dates read, then every
 * person added in the import's transaction (the database checks the ID). */
static int
add_officials(setup_import *si)
{
	cj_official *f = calloc(si->n ? si->n : 1, sizeof *f);
	int *vid = calloc(si->n ? si->n : 1, sizeof *vid);
	cj_org v = {0};
	char last[sizeof v.code] = "";
	int err = 0, found = 0;

	if (!f || !vid) {
		free(f);
		free(vid);
		return cj_db_fail(si->db, CJ_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < si->n && !err; i++) {
		setup_row *r = row_at(si, i);
		f[i] = (cj_official){r->f[F_NAME], r->f[F_ID], r->f[F_POST], {0, 0, 0}, {0, 0, 0},
				     r->f[F_RELATION][0] ? r->f[F_RELATION] : NULL, r->f[F_OF]};
		empty(si, r, F_NAME);
		empty(si, r, F_POST);
		for (int k = F_FROM; k <= F_TO; k++)
			if (r->f[k][0] &&
			    cj_date_parse(k == F_FROM ? &f[i].term_from : &f[i].term_to, r->f[k]))
				cj_problems_add(&si->pb, r->row, si->cols.title[k], r->f[k],
						_("is not a date (YYYY-MM-DD)"));
		if (empty(si, r, F_VILLAGE))
			continue;
		if (strcmp(r->f[F_VILLAGE], last)) {
			snprintf(last, sizeof last, "%s", r->f[F_VILLAGE]);
			err = cj_village_find(si->db, r->f[F_VILLAGE], &v);
			found = !err;
			if (err == CJ_ENOTFOUND || err == CJ_EINVAL)
				err = 0;
		}
		if (!found)
			cj_problems_add(&si->pb, r->row, si->cols.title[F_VILLAGE], r->f[F_VILLAGE],
					_("is not a village's code"));
		vid[i] = v.id;
	}
	if (!err && !(err = cj__problems_hand_over(si->db, &si->pb, &si->o->cb,
						   &si->r->nproblems)))
		err = cj__txn_begin(&si->txn, si->db);
	for (size_t i = 0; i < si->n && !err; i++)
		if ((err = cj_official_add(si->db, vid[i], &f[i])))
			err = refused(si, err, i);
	free(f);
	free(vid);
	return err;
}

static int
run_import(cj_db *db, const char *path, const cj_setup_import_opts *opts,
	   cj_setup_import_result *result, const cj_column_spec *specs, int ncols,
	   int (*add)(setup_import *))
{
	setup_import si;
	int err;

	memset(result, 0, sizeof *result);
	memset(&si, 0, sizeof si);
	si.db = db;
	si.o = opts;
	si.r = result;
	si.path = path;
	si.name = opts->name ? opts->name : path;
	si.specs = specs;
	si.ncols = ncols;
	cj_problems_init(&si.pb, si.name);
	err = read_file(&si);
	if (!err)
		err = add(&si);
	if (!err) {
		result->rows = si.n;
		err = cj__txn_finish(&si.txn, !opts->dry_run);
	}
	if (err && !(err == CJ_EINVAL && result->nproblems))
		cj__fail_file(db, err, si.name);
	cj__txn_rollback(&si.txn);
	for (size_t i = 0; i < si.n; i++)
		for (int k = 0; k < ncols; k++)
			free(row_at(&si, i)->f[k]);
	cj__buf_free(&si.rows);
	cj_problems_dispose(&si.pb);
	return err;
}

int
cj_import_orgs(cj_db *db, const char *path, const cj_setup_import_opts *opts,
	       cj_setup_import_result *result)
{
	return run_import(db, path, opts, result, org_columns, O_NCOLS, add_orgs);
}

int
cj_import_accounts(cj_db *db, const char *path, const cj_setup_import_opts *opts,
		   cj_setup_import_result *result)
{
	return run_import(db, path, opts, result, account_columns, A_NCOLS, add_accounts);
}

int
cj_import_officials(cj_db *db, const char *path, const cj_setup_import_opts *opts,
		    cj_setup_import_result *result)
{
	return run_import(db, path, opts, result, official_columns, F_NCOLS, add_officials);
}
