/*
 * fund_import.c - allocation notices into funds (see fund_import.h)
 *
 * The notice is read whole (a county's allocation is a few hundred rows at
 * most), each row checked on its own and against the organisations, fund
 * kinds and projects; rows are grouped into allocations by county and 文号
 * and checked against what the books hold.  Then everything is written in
 * one transaction by the ledger's own functions (ledger/fund.h), so that
 * the SQL that writes the fund tables stays beside the code that owns them.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <importers/columns.h>
#include <importers/field.h>
#include <importers/fund_import.h>
#include <ledger/fund.h>
#include <ledger/org.h>
#include <ledger/i18n.h>

#include "internal.h"

#define MAX_ROWS 200000

enum { U_DOC, U_DATE, U_KIND, U_SOURCE, U_COUNTY, U_VILLAGE, U_FUND, U_AMOUNT, U_NAME, U_PURPOSE,
       U_ALLOW_ACCTS, U_ALLOW_CATS, U_PROJECT, U_TOTAL, U_NCOLS };

#define REQ CJ_COLUMN_REQUIRED
static const cj_column_spec fund_columns[U_NCOLS] = {
	[U_DOC] = {{"文号", "下达文号", "文件号", "doc_no", "doc", NULL}, REQ},
	[U_DATE] = {{"日期", "下达日期", "文件日期", "doc_date", "date", NULL}, REQ},
	[U_KIND] = {{"资金类型", "资金种类", "资金类别", "kind", NULL}, REQ},
	[U_SOURCE] = {{"来源级次", "资金来源", "来源", "source_level", "source", NULL}, REQ},
	[U_COUNTY] = {{"县代码", "县", "county", NULL}, REQ},
	[U_VILLAGE] = {{"村代码", "村", "village", NULL}, REQ},
	[U_FUND] = {{"资金代码", "资金编号", "fund", "fund_code", NULL}, REQ},
	[U_AMOUNT] = {{"金额", "下达金额", "分配金额", "amount", NULL}, REQ | CJ_COLUMN_AMOUNT},
	[U_NAME] = {{"资金名称", "名称", "name", NULL}, 0},
	[U_PURPOSE] = {{"用途", "资金用途", "purpose", NULL}, 0},
	[U_ALLOW_ACCTS] = {{"允许科目", "allowed_accounts", NULL}, 0},
	[U_ALLOW_CATS] = {{"允许项目类别", "allowed_categories", NULL}, 0},
	[U_PROJECT] = {{"项目", "项目代码", "project", NULL}, 0},
	[U_TOTAL] = {{"下达总额", "总额", "total", NULL}, CJ_COLUMN_AMOUNT},
};
#undef REQ

typedef struct fund_row {
	size_t row;
	char *f[U_NCOLS];   /* trimmed texts */
	cj_date date;
	int64_t amount, total;
	int county_id, village_id;
	int64_t project_id;
	size_t alloc;       /* index into allocs */
	int existed;        /* the fund is already there from this allocation */
} fund_row;

typedef struct fund_alloc {
	size_t first;       /* index of its first row */
	int64_t sum, total, existing_parts, id;
	int exists;
	size_t nrows;
} fund_alloc;

/* Counties and villages by code, looked up once each. */
typedef struct org_ref {
	char code[40];
	int found;
	cj_org org;
	char county[40]; /* a village's county */
} org_ref;

typedef struct fund_import {
	cj_db *db;
	const cj_fund_import_opts *o;
	cj_fund_import_result *r;
	const char *path, *name;
	cj_problems pb;
	cj_columns cols;
	cj_buf rows;      /* of fund_row */
	size_t n;
	int no_header;    /* the header lacks columns: the rows are not read */
	int date_system;  /* the sheet's, for dates as serials (cj_field_date_in) */
	fund_alloc *allocs;
	size_t nallocs;
	cj_buf orgs;      /* of org_ref */
	PGresult *kinds;  /* the fund kinds' names */
	cj__txn txn;
} fund_import;

static fund_row *
row_at(fund_import *fi, size_t i)
{
	return &CJ_BUF_ITEMS(&fi->rows, fund_row)[i];
}

static const char *const source_levels[] = {"中央", "省", "市", "县", "乡", "村", "社会", NULL};

static int
valid_code(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 40)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      *s == '.' || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

/* "153、151，141" -> "153,151,141"; NULL when out of memory. */
static char *
comma_list(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	if (!out)
		return NULL;
	while (*s) {
		if (*s == ',' || *s == ';' || *s == ' ') {
			s++;
			*o++ = ',';
		} else if (!strncmp(s, "\xE3\x80\x81", 3) || !strncmp(s, "\xEF\xBC\x8C", 3) ||
			   !strncmp(s, "\xEF\xBC\x9B", 3)) { /* 、 ， ； */
			s += 3;
			*o++ = ',';
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	/* squeeze repeated and outer commas */
	{
		char *r = out, *w = out;
		for (; *r; r++)
			if (*r != ',' || (w > out && w[-1] != ','))
				*w++ = *r;
		if (w > out && w[-1] == ',')
			w--;
		*w = '\0';
	}
	return out;
}

/* ------------------------------------------------------------------------ */
/* Reading */

static int
read_file(fund_import *fi)
{
	cj_sheet *s;
	char err[512], buf[1024];
	int rc, header = 0, oom = 0;

	if (cj_sheet_open_in(&s, fi->path, fi->o->sheet, err, sizeof err))
		return cj_db_fail(fi->db, CJ_EIO, "%s: %s", fi->name, err);
	snprintf(fi->r->encoding, sizeof fi->r->encoding, "%s", cj_sheet_encoding(s));
	fi->date_system = cj_sheet_date_system(s);
	if (cj_columns_seek(s, fund_columns, U_NCOLS, 0) < 0) {
		cj_db_fail(fi->db, CJ_EIO, "%s: %s", fi->name, cj_sheet_error(s));
		cj_sheet_close(s);
		return CJ_EIO;
	}
	while (!oom && (rc = cj_sheet_next(s)) == 1) {
		fund_row *r;
		if (!header) {
			char missing[400], ignored[1024];
			header = 1;
			cj_sheet_header(s);
			cj_columns_find(&fi->cols, fund_columns, U_NCOLS, s, CJ_COLUMNS_STRICT, &fi->pb);
			if (cj_columns_missing(&fi->cols, 0, missing, sizeof missing)) {
				char which[300];
				cj_problems_add(&fi->pb, cj_sheet_row(s), NULL, NULL,
						_("the header lacks the column%s %s%s"),
						strchr(missing, ',') ? "s" : "", missing,
						cj_sheet_which(s, which, sizeof which));
				fi->no_header = 1;
				break;
			}
			if (cj_sheet_row(s) > 1)
				cj__note(&fi->o->cb,
					 _("%s: the header is row %zu; the rows above it are not read"),
					 fi->name, cj_sheet_row(s));
			cj_columns_ignored(&fi->cols, s, ignored, sizeof ignored);
			if (ignored[0])
				cj__note(&fi->o->cb, _("%s: ignoring column%s %s"), fi->name,
					 strchr(ignored, ',') ? "s" : "", ignored);
			continue;
		}
		if (cj__row_blank(s))
			continue;
		if (fi->n >= MAX_ROWS) {
			cj_sheet_close(s);
			return cj_db_fail(fi->db, CJ_EINVAL, _("%s: more than %d rows"), fi->name, MAX_ROWS);
		}
		r = cj__buf_push(&fi->rows, sizeof *r);
		if (!r) {
			oom = 1;
			break;
		}
		fi->n++;
		r->row = cj_sheet_row(s);
		for (int k = 0; k < U_NCOLS; k++)
			oom |= !(r->f[k] = strdup(cj_columns_get(&fi->cols, s, k, buf, sizeof buf)));
	}
	if (rc < 0)
		cj_problems_add(&fi->pb, 0, NULL, NULL, "%s", cj_sheet_error(s));
	cj_sheet_close(s);
	if (oom)
		return cj_db_fail(fi->db, CJ_ENOMEM, _("%s: out of memory"), fi->name);
	if (!header)
		return cj_db_fail(fi->db, CJ_EINVAL, _("%s: the file is empty"), fi->name);
	if (!fi->n && !cj_problems_count(&fi->pb))
		return cj_db_fail(fi->db, CJ_EINVAL, _("%s: no rows under the header"), fi->name);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Checks */

/* The organisation of a code, looked up once; an index into fi->orgs. */
static int
org_lookup(fund_import *fi, const char *code, size_t *out)
{
	size_t n = CJ_BUF_COUNT(&fi->orgs, org_ref);
	org_ref *o;
	int rc;

	for (size_t i = 0; i < n; i++)
		if (!strcmp(CJ_BUF_ITEMS(&fi->orgs, org_ref)[i].code, code)) {
			*out = i;
			return 0;
		}
	if (!(o = cj__buf_push(&fi->orgs, sizeof *o)))
		return cj_db_fail(fi->db, CJ_ENOMEM, _("out of memory"));
	*out = n;
	snprintf(o->code, sizeof o->code, "%s", code);
	rc = cj_org_find(fi->db, code, &o->org);
	if (rc && rc != CJ_ENOTFOUND)
		return rc;
	o->found = !rc;
	if (o->found && o->org.level == CJ_ORG_VILLAGE) {
		cj_org township;
		if ((rc = cj_org_find(fi->db, o->org.parent_code, &township)))
			return rc;
		snprintf(o->county, sizeof o->county, "%s", township.parent_code);
	}
	return 0;
}

static const org_ref *
org_at(fund_import *fi, size_t i)
{
	return &CJ_BUF_ITEMS(&fi->orgs, org_ref)[i];
}

static void
check_amount(fund_import *fi, fund_row *r, int k, int64_t *out)
{
	cj_money m;
	int rc;

	if (!r->f[k][0])
		return;
	rc = cj_amount_parse(&m, r->f[k], fi->cols.unit[k]);
	if (rc || m.fen <= 0)
		cj_problems_add(&fi->pb, r->row, fi->cols.title[k], r->f[k],
				rc ? _("is not an amount") : _("is not positive"));
	else
		*out = m.fen;
}

/* The row's own fields. */
static int
check_fields(fund_import *fi, fund_row *r, int *kind_ok)
{
	const cj_columns *cols = &fi->cols;
	char range[64];
	int rc, ok = 0;

	for (int k = 0; k < U_NCOLS; k++)
		if ((fund_columns[k].flags & CJ_COLUMN_REQUIRED) && !r->f[k][0])
			cj_problems_add(&fi->pb, r->row, cols->title[k], NULL, _("is empty"));
	rc = r->f[U_DATE][0] ? cj_field_date_in(r->f[U_DATE], fi->date_system, &r->date) : 0;
	if (rc == CJ_EOVERFLOW)
		cj_problems_add(&fi->pb, r->row, cols->title[U_DATE], r->f[U_DATE],
				_("is outside the books' dates (%s)"),
				cj_books_range_text(range, sizeof range));
	else if (rc)
		cj_problems_add(&fi->pb, r->row, cols->title[U_DATE], r->f[U_DATE],
				_("is not a date (2025-03-05, 2025/3/5 or 2025年3月5日)"));
	check_amount(fi, r, U_AMOUNT, &r->amount);
	check_amount(fi, r, U_TOTAL, &r->total);
	if (r->f[U_SOURCE][0]) {
		for (int i = 0; source_levels[i]; i++)
			ok |= !strcmp(r->f[U_SOURCE], source_levels[i]);
		if (!ok)
			cj_problems_add(&fi->pb, r->row, cols->title[U_SOURCE], r->f[U_SOURCE],
					_("is not a source level: 中央, 省, 市, 县, 乡, 村 or 社会"));
	}
	if (r->f[U_FUND][0] && !valid_code(r->f[U_FUND]))
		cj_problems_add(&fi->pb, r->row, cols->title[U_FUND], r->f[U_FUND],
				_("is not a fund code (1-40 letters, digits, '.', '-', '_')"));
	*kind_ok = 0;
	if (r->f[U_KIND][0]) {
		for (int t = 0; t < PQntuples(fi->kinds); t++)
			*kind_ok |= !strcmp(PQgetvalue(fi->kinds, t, 0), r->f[U_KIND]);
		if (!*kind_ok) {
			char list[1024] = "";
			for (int t = 0; t < PQntuples(fi->kinds); t++)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
					 t ? ", " : "", PQgetvalue(fi->kinds, t, 0));
			cj_problems_add(&fi->pb, r->row, cols->title[U_KIND], r->f[U_KIND],
					_("is not a fund kind; the kinds are %s"), list);
		}
	}
	for (int k = U_ALLOW_ACCTS; k <= U_ALLOW_CATS; k++) {
		char *l;
		if (!r->f[k][0])
			continue;
		if (!(l = comma_list(r->f[k])))
			return cj_db_fail(fi->db, CJ_ENOMEM, _("out of memory"));
		free(r->f[k]);
		r->f[k] = l;
		if (k == U_ALLOW_ACCTS && strspn(l, "0123456789,") != strlen(l))
			cj_problems_add(&fi->pb, r->row, cols->title[k], l,
					_("is not a list of account codes"));
	}
	return 0;
}

/* The row's county and village. */
static int
check_orgs(fund_import *fi, fund_row *r)
{
	const cj_columns *cols = &fi->cols;
	size_t at;
	int err;

	if (r->f[U_COUNTY][0]) {
		const org_ref *county;
		if ((err = org_lookup(fi, r->f[U_COUNTY], &at)))
			return err;
		county = org_at(fi, at);
		if (!county->found || county->org.level != CJ_ORG_COUNTY)
			cj_problems_add(&fi->pb, r->row, cols->title[U_COUNTY], r->f[U_COUNTY],
					county->found ? _("is not a county")
						      : _("is not an organisation in the books"));
		else
			r->county_id = county->org.id;
	}
	if (r->f[U_VILLAGE][0]) {
		const org_ref *village;
		if ((err = org_lookup(fi, r->f[U_VILLAGE], &at)))
			return err;
		village = org_at(fi, at);
		if (!village->found || village->org.level != CJ_ORG_VILLAGE)
			cj_problems_add(&fi->pb, r->row, cols->title[U_VILLAGE], r->f[U_VILLAGE],
					village->found ? _("is not a village")
						       : _("is not a village in the books"));
		else if (r->county_id && strcmp(village->county, r->f[U_COUNTY]))
			cj_problems_add(&fi->pb, r->row, cols->title[U_VILLAGE], r->f[U_VILLAGE],
					_("is in county %s, not %s"), village->county, r->f[U_COUNTY]);
		else
			r->village_id = village->org.id;
	}
	return 0;
}

/* A project: the village's, and of a category the fund may pay for. */
static int
check_project(fund_import *fi, fund_row *r, int kind_ok)
{
	static const char sql[] =
		"SELECT p.id, p.category,\n"
		"       p.category = ANY (coalesce(string_to_array($4, ','),\n"
		"                                  k.allowed_categories, ARRAY[p.category]))\n"
		"       AND NOT p.category = ANY (coalesce(k.forbidden_categories, '{}'))\n"
		"  FROM project p LEFT JOIN fund_kind k ON k.name = $3\n"
		" WHERE p.village_id = $1 AND p.code = $2";
	const char *title = fi->cols.title[U_PROJECT];
	char vid[16];
	const char *params[4] = {vid, r->f[U_PROJECT], r->f[U_KIND],
				 r->f[U_ALLOW_CATS][0] ? r->f[U_ALLOW_CATS] : NULL};
	PGresult *res;
	int err;

	if (!r->f[U_PROJECT][0] || !r->village_id)
		return 0;
	snprintf(vid, sizeof vid, "%d", r->village_id);
	if ((err = cj_db_exec(fi->db, &res, sql, 4, params)))
		return err;
	if (PQntuples(res) == 0)
		cj_problems_add(&fi->pb, r->row, title, r->f[U_PROJECT],
				_("is not a project of village %s (add it first with 'cunji project "
				"add')"),
				r->f[U_VILLAGE]);
	else if (kind_ok && strcmp(PQgetvalue(res, 0, 2), "t"))
		cj_problems_add(&fi->pb, r->row, title, r->f[U_PROJECT],
				_("is a %s project, which a %s fund may not pay for"),
				PQgetvalue(res, 0, 1), r->f[U_KIND]);
	else
		r->project_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}

/* Rows of one allocation must agree on what belongs to the allocation. */
static void
group_rows(fund_import *fi)
{
	static const int same[] = {U_DATE, U_KIND, U_SOURCE, U_TOTAL};

	for (size_t i = 0; i < fi->n; i++) {
		fund_row *r = row_at(fi, i);
		size_t g;
		if (!r->county_id || !r->f[U_DOC][0])
			continue;
		for (g = 0; g < fi->nallocs; g++) {
			const fund_row *f = row_at(fi, fi->allocs[g].first);
			if (f->county_id == r->county_id && !strcmp(f->f[U_DOC], r->f[U_DOC]))
				break;
		}
		if (g == fi->nallocs) {
			fi->allocs[g].first = i;
			fi->nallocs++;
		} else {
			const fund_row *f = row_at(fi, fi->allocs[g].first);
			for (size_t k = 0; k < sizeof same / sizeof same[0]; k++)
				if (strcmp(f->f[same[k]], r->f[same[k]]))
					cj_problems_add(&fi->pb, r->row, fi->cols.title[same[k]],
							r->f[same[k]],
							_("differs from row %zu ('%s'), of the same "
							"allocation %s"),
							f->row, f->f[same[k]], r->f[U_DOC]);
		}
		r->alloc = g;
		fi->allocs[g].sum += r->amount;
		fi->allocs[g].nrows++;
		if (r->total)
			fi->allocs[g].total = r->total;
		/* the same fund of a village twice */
		for (size_t k = 0; k < i; k++) {
			const fund_row *o = row_at(fi, k);
			if (o->village_id == r->village_id && r->village_id &&
			    !strcmp(o->f[U_FUND], r->f[U_FUND])) {
				cj_problems_add(&fi->pb, r->row, fi->cols.title[U_FUND], r->f[U_FUND],
						_("is also on row %zu for village %s"), o->row,
						r->f[U_VILLAGE]);
				break;
			}
		}
	}
	for (size_t g = 0; g < fi->nallocs; g++) {
		fund_alloc *a = &fi->allocs[g];
		char x[CJ_MONEY_FMT_MAX], y[CJ_MONEY_FMT_MAX];
		if (!a->total)
			a->total = a->sum;
		else if (a->total < a->sum)
			cj_problems_add(&fi->pb, row_at(fi, a->first)->row, fi->cols.title[U_TOTAL],
					cj__yuan(x, a->total), _("is less than the %s its rows allocate"),
					cj__yuan(y, a->sum));
	}
}

/* An allocation already in the books must be this one, figure for figure. */
static int
allocation_in_books(fund_import *fi, fund_alloc *a)
{
	static const char sql[] =
		"SELECT a.id, to_char(a.doc_date, 'YYYY-MM-DD'), a.kind, a.source_level,\n"
		"       a.total_fen, coalesce((SELECT sum(granted_fen) FROM fund\n"
		"                               WHERE allocation_id = a.id), 0)\n"
		"  FROM fund_allocation a WHERE a.county_id = $1 AND a.doc_no = $2";
	const fund_row *f = row_at(fi, a->first);
	char cid[16], d[16], x[CJ_MONEY_FMT_MAX], y[CJ_MONEY_FMT_MAX];
	const char *params[2] = {cid, f->f[U_DOC]};
	PGresult *res;
	int err;

	snprintf(cid, sizeof cid, "%d", f->county_id);
	if ((err = cj_db_exec(fi->db, &res, sql, 2, params)))
		return err;
	if (PQntuples(res)) {
		a->exists = 1;
		a->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		a->existing_parts = strtoll(PQgetvalue(res, 0, 5), NULL, 10);
		cj_date_format(d, sizeof d, f->date);
		if (strcmp(PQgetvalue(res, 0, 1), d) || strcmp(PQgetvalue(res, 0, 2), f->f[U_KIND]) ||
		    strcmp(PQgetvalue(res, 0, 3), f->f[U_SOURCE]) ||
		    strtoll(PQgetvalue(res, 0, 4), NULL, 10) != a->total)
			cj_problems_add(&fi->pb, f->row, fi->cols.title[U_DOC], f->f[U_DOC],
					_("is already in the books for county %s, as %s %s %s %s, not as "
					"this file has it (%s %s %s %s)"),
					f->f[U_COUNTY], PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
					PQgetvalue(res, 0, 3),
					cj__yuan(x, strtoll(PQgetvalue(res, 0, 4), NULL, 10)), d,
					f->f[U_KIND], f->f[U_SOURCE], cj__yuan(y, a->total));
	}
	PQclear(res);
	return 0;
}

/* A fund code already used in the village: this allocation's part, or not. */
static int
fund_in_books(fund_import *fi, fund_row *r)
{
	static const char sql[] =
		"SELECT f.allocation_id, a.doc_no, f.granted_fen, f.kind\n"
		"  FROM fund f LEFT JOIN fund_allocation a ON a.id = f.allocation_id\n"
		" WHERE f.village_id = $1 AND f.code = $2";
	char vid[16], x[CJ_MONEY_FMT_MAX];
	const char *params[2] = {vid, r->f[U_FUND]};
	const fund_alloc *a = r->county_id ? &fi->allocs[r->alloc] : NULL;
	PGresult *res;
	int err, ours;

	if (!r->village_id || !r->f[U_FUND][0])
		return 0;
	snprintf(vid, sizeof vid, "%d", r->village_id);
	if ((err = cj_db_exec(fi->db, &res, sql, 2, params)))
		return err;
	if (!PQntuples(res)) {
		PQclear(res);
		return 0;
	}
	ours = a && a->exists && !PQgetisnull(res, 0, 0) &&
	       strtoll(PQgetvalue(res, 0, 0), NULL, 10) == a->id;
	if (ours && strtoll(PQgetvalue(res, 0, 2), NULL, 10) == r->amount)
		r->existed = 1;
	else if (ours)
		cj_problems_add(&fi->pb, r->row, fi->cols.title[U_AMOUNT], r->f[U_AMOUNT],
				_("differs from the %s already granted to fund %s of village %s by this "
				"allocation"),
				cj__yuan(x, strtoll(PQgetvalue(res, 0, 2), NULL, 10)), r->f[U_FUND],
				r->f[U_VILLAGE]);
	else if (PQgetisnull(res, 0, 0))
		cj_problems_add(&fi->pb, r->row, fi->cols.title[U_FUND], r->f[U_FUND],
				_("is already a fund of village %s (added by hand); fund codes are "
				"unique in a village"),
				r->f[U_VILLAGE]);
	else
		cj_problems_add(&fi->pb, r->row, fi->cols.title[U_FUND], r->f[U_FUND],
				_("is already a fund of village %s (%s); fund codes are unique in a "
				"village"),
				r->f[U_VILLAGE], PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}

/* What the books already hold: allocations by (county, doc), funds by (village, code). */
static int
check_books(fund_import *fi)
{
	int err;

	for (size_t g = 0; g < fi->nallocs; g++)
		if ((err = allocation_in_books(fi, &fi->allocs[g])))
			return err;
	for (size_t i = 0; i < fi->n; i++)
		if ((err = fund_in_books(fi, row_at(fi, i))))
			return err;
	/* parts of an allocation already in the books, plus the new ones */
	for (size_t g = 0; g < fi->nallocs; g++) {
		fund_alloc *a = &fi->allocs[g];
		const fund_row *f = row_at(fi, a->first);
		int64_t fresh = 0;
		char x[CJ_MONEY_FMT_MAX], y[CJ_MONEY_FMT_MAX];
		if (!a->exists)
			continue;
		for (size_t i = 0; i < fi->n; i++) {
			const fund_row *r = row_at(fi, i);
			if (r->alloc == g && r->county_id && !r->existed)
				fresh += r->amount;
		}
		if (a->existing_parts + fresh > a->total)
			cj_problems_add(&fi->pb, f->row, fi->cols.title[U_AMOUNT], NULL,
					_("allocation %s would grant %s, more than its %s"), f->f[U_DOC],
					cj__yuan(x, a->existing_parts + fresh), cj__yuan(y, a->total));
	}
	return 0;
}

static int
check_all(fund_import *fi)
{
	int err;

	if ((err = cj_db_exec(fi->db, &fi->kinds, "SELECT name FROM fund_kind ORDER BY name", 0,
			      NULL)))
		return err;
	for (size_t i = 0; i < fi->n; i++) {
		fund_row *r = row_at(fi, i);
		int kind_ok;
		if ((err = check_fields(fi, r, &kind_ok)) || (err = check_orgs(fi, r)) ||
		    (err = check_project(fi, r, kind_ok)))
			return err;
	}
	if (!(fi->allocs = calloc(fi->n + 1, sizeof *fi->allocs)))
		return cj_db_fail(fi->db, CJ_ENOMEM, _("out of memory"));
	group_rows(fi);
	return check_books(fi);
}

/* ------------------------------------------------------------------------ */
/* Writing, by the ledger's functions */

static const char *
fund_name(const fund_row *r)
{
	return r->f[U_NAME][0] ? r->f[U_NAME] : r->f[U_PURPOSE][0] ? r->f[U_PURPOSE] : r->f[U_KIND];
}

/* The allocation's or the fund's figures as cj_fund_spec has them. */
static cj_fund_spec
spec_of(const fund_row *r, const char *name, int64_t fen)
{
	cj_fund_spec s;

	memset(&s, 0, sizeof s);
	s.code = r->f[U_FUND];
	s.name = name;
	s.kind = r->f[U_KIND];
	s.source_level = r->f[U_SOURCE];
	s.doc_no = r->f[U_DOC];
	s.doc_date = r->date;
	s.granted_fen = fen;
	s.allowed_accounts = r->f[U_ALLOW_ACCTS][0] ? r->f[U_ALLOW_ACCTS] : NULL;
	s.allowed_categories = r->f[U_ALLOW_CATS][0] ? r->f[U_ALLOW_CATS] : NULL;
	return s;
}

static int
write_all(fund_import *fi)
{
	cj_fund_import_result *res = fi->r;
	int err;

	for (size_t g = 0; g < fi->nallocs; g++) {
		fund_alloc *a = &fi->allocs[g];
		const fund_row *f = row_at(fi, a->first);
		cj_fund_spec s = spec_of(f, f->f[U_NAME][0] ? f->f[U_NAME] : f->f[U_KIND], a->total);
		if (a->exists)
			continue;
		if ((err = cj_allocation_add(fi->db, f->county_id, &s, NULL, NULL, 0, &a->id)))
			return cj__fail_where(fi->db, err, _("%s: row %zu: allocation %s"), fi->name,
					      f->row, f->f[U_DOC]);
		res->new_allocations++;
	}
	for (size_t i = 0; i < fi->n; i++) {
		const fund_row *r = row_at(fi, i);
		cj_fund_spec s = spec_of(r, fund_name(r), r->amount);
		if (r->existed) {
			res->existing++;
			continue;
		}
		s.allocation_id = fi->allocs[r->alloc].id;
		if ((err = cj_fund_add(fi->db, r->village_id, &s, NULL)))
			return cj__fail_where(fi->db, err, _("%s: row %zu: fund %s of village %s"),
					      fi->name, r->row, r->f[U_FUND], r->f[U_VILLAGE]);
		res->funds++;
		res->added_fen += r->amount;
		if (!r->project_id)
			continue;
		if ((err = cj_project_budget_add(fi->db, r->village_id, r->project_id,
						 r->f[U_FUND], r->amount)))
			return cj__fail_where(fi->db, err, _("%s: row %zu: project %s"), fi->name,
					      r->row, r->f[U_PROJECT]);
		res->budgets++;
	}
	return 0;
}

static int
fill_allocs(fund_import *fi)
{
	cj_fund_import_result *res = fi->r;

	res->allocs = calloc(fi->nallocs + 1, sizeof *res->allocs);
	if (!res->allocs)
		return cj_db_fail(fi->db, CJ_ENOMEM, _("out of memory"));
	res->nallocs = fi->nallocs;
	for (size_t g = 0; g < fi->nallocs; g++) {
		const fund_alloc *a = &fi->allocs[g];
		const fund_row *f = row_at(fi, a->first);
		cj_fund_import_alloc *o = &res->allocs[g];
		snprintf(o->county, sizeof o->county, "%s", f->f[U_COUNTY]);
		snprintf(o->doc_no, sizeof o->doc_no, "%s", f->f[U_DOC]);
		snprintf(o->name, sizeof o->name, "%s", f->f[U_NAME][0] ? f->f[U_NAME] : f->f[U_KIND]);
		o->total_fen = a->total;
		o->villages = a->nrows;
		o->existed = a->exists;
	}
	return 0;
}

/* ------------------------------------------------------------------------ */

static int
run(fund_import *fi)
{
	int err;

	if ((err = read_file(fi)))
		return err;
	if (!fi->no_header && (err = check_all(fi)))
		return err;
	if ((err = cj__problems_hand_over(fi->db, &fi->pb, &fi->o->cb, &fi->r->nproblems)))
		return err;
	/* a dry run writes too, then rolls back, so that the database's own
	 * checks have had their say */
	cj__progress(&fi->o->cb, "writing", 1, 2);
	if ((err = cj__txn_begin(&fi->txn, fi->db)) || (err = write_all(fi)) ||
	    (err = fill_allocs(fi)))
		return err;
	return cj__txn_finish(&fi->txn, !fi->o->dry_run);
}

int
cj_import_funds(cj_db *db, const char *path, const cj_fund_import_opts *opts,
		cj_fund_import_result *result)
{
	fund_import fi;
	int err;

	memset(result, 0, sizeof *result);
	memset(&fi, 0, sizeof fi);
	fi.db = db;
	fi.o = opts;
	fi.r = result;
	fi.path = path;
	fi.name = opts->name ? opts->name : path;
	cj_problems_init(&fi.pb, fi.name);
	err = run(&fi);
	if (err && !(err == CJ_EINVAL && result->nproblems))
		cj__fail_file(db, err, fi.name);
	cj__txn_rollback(&fi.txn);
	for (size_t i = 0; i < fi.n; i++)
		for (int k = 0; k < U_NCOLS; k++)
			free(row_at(&fi, i)->f[k]);
	cj__buf_free(&fi.rows);
	cj__buf_free(&fi.orgs);
	free(fi.allocs);
	PQclear(fi.kinds);
	cj_problems_dispose(&fi.pb);
	return err;
}

void
cj_fund_import_result_dispose(cj_fund_import_result *result)
{
	if (!result)
		return;
	free(result->allocs);
	result->allocs = NULL;
	result->nallocs = 0;
}
