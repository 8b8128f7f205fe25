/*
 * member_import.c - a member register file into a village's books (see
 * member_import.h)
 *
 * The file is read whole (a village has a few thousand people at most):
 * each row checked on its own, rows gathered into households, then the
 * file checked across rows (a head per household, no ID number twice) and
 * against the register (cj_member_lookup); only a file without problems
 * is written, by cj_household_import, in one transaction.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <importers/columns.h>
#include <importers/field.h>
#include <importers/member_import.h>
#include <ledger/org.h>
#include <ledger/i18n.h>

#include "internal.h"

#define SHARES_EXPECTED N_("positive, at most two decimals, e.g. 1.5")

/* The household share types (not 集体股), in cj_share_types order. */
#define NHOUSEHOLD_TYPES (CJ_SHARE_NTYPES - 1)

/* The fixed columns, then one per household share type (F_SHARE + t). */
enum { F_HOUSEHOLD, F_NAME, F_ID, F_RELATION, F_PHONE, F_BANK, F_ACCOUNT, F_POVERTY, F_FROM,
       F_SHARE, F_NCOLS = F_SHARE + NHOUSEHOLD_TYPES };

#define REQ CJ_COLUMN_REQUIRED
static const cj_column_spec fixed_columns[F_SHARE] = {
	[F_HOUSEHOLD] = {{"户编号", "household", "户号", "household_code", NULL}, REQ},
	[F_NAME] = {{"姓名", "name", NULL}, REQ},
	[F_ID] = {{"身份证号", "id_number", "身份证号码", "公民身份号码", NULL}, REQ},
	[F_RELATION] = {{"与户主关系", "relation", NULL}, REQ},
	[F_PHONE] = {{"电话", "phone", "联系电话", NULL}, 0},
	[F_BANK] = {{"开户行", "bank", NULL}, 0},
	[F_ACCOUNT] = {{"银行账号", "bank_account", NULL}, 0},
	[F_POVERTY] = {{"户类型", "poverty", NULL}, 0},
	[F_FROM] = {{"股权生效日期", "effective_from", NULL}, 0},
};
#undef REQ

typedef struct import_person {
	size_t household, row;
	const char *name, *id, *relation;
} import_person;

typedef struct import_household {
	const char *code;
	size_t first_row, head_row;
	const char *head_name, *head_id;
	/* household fields: the value and the row that gave it first */
	const char *field[F_SHARE];
	size_t field_row[F_SHARE];
	const char *shares[NHOUSEHOLD_TYPES];
	size_t share_row[NHOUSEHOLD_TYPES];
	cj_date from; /* {0}: the books' start */
	size_t npeople;
} import_household;

typedef struct member_import {
	cj_db *db;
	const cj_member_import_opts *o;
	cj_member_import_result *r;
	const char *path, *name;
	cj_org village;
	cj_column_spec specs[F_NCOLS];
	cj_columns cols;
	cj_problems pb;
	cj_buf strings;    /* of char *: the fields kept */
	cj_buf persons;    /* of import_person (not the heads) */
	cj_buf households; /* of import_household */
	int date_system;   /* the sheet's, for dates as serials (cj_field_date_in) */
	int oom;
	cj__txn txn;
} member_import;

static import_household *
household_at(member_import *im, size_t i)
{
	return &CJ_BUF_ITEMS(&im->households, import_household)[i];
}

static size_t
nhouseholds(const member_import *im)
{
	return CJ_BUF_COUNT(&im->households, import_household);
}

static size_t
npersons(const member_import *im)
{
	return CJ_BUF_COUNT(&im->persons, import_person);
}

static const char *
title(const member_import *im, int k)
{
	return im->cols.title[k];
}

/* A field of the current row, trimmed and kept until the end; NULL when out of memory. */
static const char *
keep(member_import *im, const cj_sheet *s, int k)
{
	char buf[1024], *copy, **slot;

	cj_columns_get(&im->cols, s, k, buf, sizeof buf);
	copy = strdup(buf);
	slot = copy ? cj__buf_push(&im->strings, sizeof *slot) : NULL;
	if (!slot) {
		free(copy);
		im->oom = 1;
		return NULL;
	}
	*slot = copy;
	return copy;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* ------------------------------------------------------------------------ */
/* The header */

static void
make_specs(member_import *im)
{
	memcpy(im->specs, fixed_columns, sizeof fixed_columns);
	for (int t = 0; t < NHOUSEHOLD_TYPES; t++) {
		memset(&im->specs[F_SHARE + t], 0, sizeof im->specs[0]);
		im->specs[F_SHARE + t].names[0] = cj_share_types[t];
	}
}

/* Map the header; its problems are row 1's.  0, or -1 when columns are missing. */
static int
read_header(member_import *im, const cj_sheet *s)
{
	size_t row = cj_sheet_row(s);
	char text[400];

	cj_columns_find(&im->cols, im->specs, F_NCOLS, s, CJ_COLUMNS_STRICT, &im->pb);
	/* a column of shares of another type: no household holds them */
	for (size_t i = 0; i < im->cols.nfields; i++) {
		char cell[128];
		if (im->cols.spec_of[i] != CJ_COLUMN_NONE)
			continue;
		cj_field_trim(cell, sizeof cell, cj_sheet_field(s, i));
		if (!strcmp(cell, CJ_SHARE_COLLECTIVE))
			cj_problems_add(&im->pb, row, cell, NULL,
					_("集体股 is held by the collective, not by households; add it "
					"with 'cunji member share --collective'"));
		else if (ends_with(cell, "股"))
			cj_problems_add(&im->pb, row, cell, NULL,
					_("is not a share type; the types are 人口股, 劳龄股, 扶贫股, "
					"募集股 and 土地股"));
		else
			continue;
		im->cols.spec_of[i] = CJ_COLUMN_HANDLED;
	}
	if (cj_columns_missing(&im->cols, 0, text, sizeof text)) {
		char which[300];
		cj_problems_add(&im->pb, row, NULL, NULL, _("the header lacks the column%s %s%s"),
				strchr(text, ',') ? "s" : "", text, cj_sheet_which(s, which, sizeof which));
		return -1;
	}
	if (row > 1)
		cj__note(&im->o->cb, _("%s: the header is row %zu; the rows above it are not read"),
			 im->name, row);
	cj_columns_ignored(&im->cols, s, text, sizeof text);
	if (text[0])
		cj__note(&im->o->cb, _("%s: ignoring column%s %s"), im->name,
			 strchr(text, ',') ? "s" : "", text);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Rows */

/* The household of a code (rows of one usually come together: the last
 * one is tried first); its index, or -1 when out of memory. */
static long
household_of(member_import *im, const char *code, size_t row)
{
	import_household *h;

	for (size_t k = nhouseholds(im); k-- > 0;)
		if (!strcmp(household_at(im, k)->code, code))
			return (long)k;
	if (!(h = cj__buf_push(&im->households, sizeof *h))) {
		im->oom = 1;
		return -1;
	}
	h->code = code;
	h->first_row = row;
	return (long)nhouseholds(im) - 1;
}

/* A household field may be given on any of its rows, the same each time. */
static void
household_field(member_import *im, import_household *h, int k, size_t row, const char *value)
{
	if (!value[0])
		return;
	if (!h->field[k]) {
		h->field[k] = value;
		h->field_row[k] = row;
	} else if (strcmp(h->field[k], value)) {
		cj_problems_add(&im->pb, row, title(im, k), value,
				_("differs from '%s' on row %zu for household %s"), h->field[k],
				h->field_row[k], h->code);
	}
}

static void
check_id(member_import *im, size_t row, const char *id)
{
	cj_id_problem problem = cj_id_number_check(id);
	size_t n = strlen(id);
	int digits = n > 0;

	if (!problem)
		return;
	for (const char *p = id; *p; p++)
		digits &= *p >= '0' && *p <= '9';
	if (strchr(id, 'E') || strchr(id, 'e'))
		cj_problems_add(&im->pb, row, title(im, F_ID), id,
				_("is not an ID number: a spreadsheet turned it into a number; format "
				"the column as text and type it again"));
	else if (n == 15 && digits)
		cj_problems_add(&im->pb, row, title(im, F_ID), id,
				_("is a 15-digit first-generation number; give the 18-digit one"));
	else if (!n)
		cj_problems_add(&im->pb, row, title(im, F_ID), NULL,
				_("is empty; every person needs an ID number"));
	else
		cj_problems_add(&im->pb, row, title(im, F_ID), id, "%s", cj_id_problem_text(problem));
}

/* Bank account, poverty status, phone, bank, the date of the shares. */
static void
household_fields(member_import *im, import_household *h, size_t row, const char **f)
{
	char range[64];

	if (f[F_ACCOUNT][0] && !cj_bank_account_valid(f[F_ACCOUNT]))
		cj_problems_add(&im->pb, row, title(im, F_ACCOUNT), f[F_ACCOUNT],
				_("is not a bank account number (digits only)"));
	else
		household_field(im, h, F_ACCOUNT, row, f[F_ACCOUNT]);
	/* 一般户 and 普通户 are how registers write "neither" */
	if (!strcmp(f[F_POVERTY], "一般户") || !strcmp(f[F_POVERTY], "普通户"))
		f[F_POVERTY] = "";
	if (!cj_poverty_status_valid(f[F_POVERTY]))
		cj_problems_add(&im->pb, row, title(im, F_POVERTY), f[F_POVERTY],
				_("is not 脱贫户 or 监测户 (leave it empty, or 一般户, for neither)"));
	else
		household_field(im, h, F_POVERTY, row, f[F_POVERTY]);
	household_field(im, h, F_PHONE, row, f[F_PHONE]);
	household_field(im, h, F_BANK, row, f[F_BANK]);
	if (f[F_FROM][0]) {
		cj_date d;
		int rc = cj_field_date_in(f[F_FROM], im->date_system, &d);
		if (rc == CJ_EOVERFLOW)
			cj_problems_add(&im->pb, row, title(im, F_FROM), f[F_FROM],
					_("is outside the books' dates (%s)"),
					cj_books_range_text(range, sizeof range));
		else if (rc)
			cj_problems_add(&im->pb, row, title(im, F_FROM), f[F_FROM],
					_("is not a date (YYYY-MM-DD)"));
		else if (!h->field[F_FROM])
			h->from = d;
		household_field(im, h, F_FROM, row, f[F_FROM]);
	}
}

/* The household's shares of each type: on one of its rows. */
static void
household_shares(member_import *im, import_household *h, size_t row, const char **f)
{
	for (int t = 0; t < NHOUSEHOLD_TYPES; t++) {
		const char *v = f[F_SHARE + t];
		int64_t centi;
		int rc;

		/* 0 or empty: none of this type */
		if (!v[0] || strspn(v, "0.") == strlen(v))
			continue;
		rc = cj_shares_parse(&centi, v);
		if (rc) {
			cj_problems_add(&im->pb, row, title(im, F_SHARE + t), v,
					_("is not a number of shares (%s)"),
					_(rc == CJ_EOVERFLOW ? N_("too large") : SHARES_EXPECTED));
		} else if (h->shares[t]) {
			/* summing would double a household figure repeated on each row */
			cj_problems_add(&im->pb, row, title(im, F_SHARE + t), v,
					_("is a second %s for household %s (row %zu gave '%s'); give a "
					"household's shares on one of its rows"),
					cj_share_types[t], h->code, h->share_row[t], h->shares[t]);
		} else {
			h->shares[t] = v;
			h->share_row[t] = row;
		}
	}
}

static void
read_row(member_import *im, const cj_sheet *s)
{
	size_t row = cj_sheet_row(s);
	const char *f[F_NCOLS];
	import_household *h;
	import_person *p;
	long index;
	int head;

	for (int k = 0; k < F_NCOLS; k++)
		if (!(f[k] = keep(im, s, k)))
			return;
	if (!f[F_NAME][0])
		cj_problems_add(&im->pb, row, title(im, F_NAME), NULL,
				_("is empty; every person needs a name"));
	check_id(im, row, f[F_ID]);
	if (!f[F_HOUSEHOLD][0]) {
		cj_problems_add(&im->pb, row, title(im, F_HOUSEHOLD), NULL,
				_("is empty; every row needs the code of its household"));
		return;
	}
	if (!cj_household_code_valid(f[F_HOUSEHOLD])) {
		cj_problems_add(&im->pb, row, title(im, F_HOUSEHOLD), f[F_HOUSEHOLD],
				_("is not a household code (1 to 30 letters, digits, '-' or '_')"));
		return;
	}
	if ((index = household_of(im, f[F_HOUSEHOLD], row)) < 0)
		return;
	h = household_at(im, (size_t)index);
	head = !strcmp(f[F_RELATION], CJ_RELATION_HEAD);
	if (head && h->head_row) {
		cj_problems_add(&im->pb, row, title(im, F_RELATION), f[F_RELATION],
				_("is given twice for household %s (also on row %zu); a household has "
				"one"),
				h->code, h->head_row);
	} else if (head) {
		h->head_row = row;
		h->head_name = f[F_NAME];
		h->head_id = f[F_ID];
	}
	household_fields(im, h, row, f);
	household_shares(im, h, row, f);
	if (head)
		return;
	h->npeople++;
	if (!(p = cj__buf_push(&im->persons, sizeof *p))) {
		im->oom = 1;
		return;
	}
	p->household = (size_t)index;
	p->row = row;
	p->name = f[F_NAME];
	p->id = f[F_ID];
	p->relation = f[F_RELATION];
}

static int
read_file(member_import *im)
{
	cj_sheet *s;
	char err[512];
	int rc, header = 0;

	if (cj_sheet_open_in(&s, im->path, im->o->sheet, err, sizeof err))
		return cj_db_fail(im->db, CJ_EIO, "%s: %s", im->name, err);
	snprintf(im->r->encoding, sizeof im->r->encoding, "%s", cj_sheet_encoding(s));
	im->date_system = cj_sheet_date_system(s);
	if (cj_columns_seek(s, im->specs, F_NCOLS, 0) < 0) {
		cj_db_fail(im->db, CJ_EIO, "%s: %s", im->name, cj_sheet_error(s));
		cj_sheet_close(s);
		return CJ_EIO;
	}
	while (!im->oom && (rc = cj_sheet_next(s)) == 1) {
		if (!header) {
			header = 1;
			cj_sheet_header(s); /* every row as many fields as the header */
			if (read_header(im, s))
				break;
		} else if (!cj__row_blank(s)) {
			read_row(im, s);
		}
	}
	if (rc < 0)
		cj_problems_add(&im->pb, 0, NULL, NULL, "%s", cj_sheet_error(s));
	cj_sheet_close(s);
	if (im->oom)
		return cj_db_fail(im->db, CJ_ENOMEM, _("%s: out of memory"), im->name);
	if (!header)
		return cj_db_fail(im->db, CJ_EINVAL, _("%s: the file is empty"), im->name);
	if (!nhouseholds(im) && !cj_problems_count(&im->pb))
		return cj_db_fail(im->db, CJ_EINVAL, _("%s: no members in the file"), im->name);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Across rows, and against the register */

typedef struct id_row {
	const char *id;
	size_t row;
} id_row;

static int
id_row_cmp(const void *a, const void *b)
{
	const id_row *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* A head for each household, no ID number twice, nothing already registered. */
static int
check_whole_file(member_import *im)
{
	size_t nh = nhouseholds(im), nids = nh + npersons(im), n = 0;
	id_row *ids = calloc(nids + 1, sizeof *ids);
	const char **codes = calloc(nh + 1, sizeof *codes);
	const char **id_texts = calloc(nids + 1, sizeof *id_texts);
	int *taken = calloc(nh + 1, sizeof *taken);
	char (*owner)[CJ_HOUSEHOLD_CODE_MAX] = calloc(nids + 1, sizeof *owner);
	int err = 0;

	if (!ids || !codes || !id_texts || !taken || !owner) {
		err = cj_db_fail(im->db, CJ_ENOMEM, _("out of memory"));
		goto done;
	}
	for (size_t i = 0; i < nh; i++) {
		const import_household *h = household_at(im, i);
		codes[i] = h->code;
		if (!h->head_row)
			cj_problems_add(&im->pb, h->first_row, title(im, F_RELATION), NULL,
					_("household %s has no row whose %s is 户主"), h->code,
					title(im, F_RELATION));
		else if (h->head_id[0])
			ids[n++] = (id_row){h->head_id, h->head_row};
	}
	for (size_t i = 0; i < npersons(im); i++) {
		const import_person *p = &CJ_BUF_ITEMS(&im->persons, import_person)[i];
		if (p->id[0])
			ids[n++] = (id_row){p->id, p->row};
	}
	qsort(ids, n, sizeof *ids, id_row_cmp);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(ids[i].id, ids[i - 1].id))
			cj_problems_add(&im->pb, ids[i].row, title(im, F_ID), ids[i].id,
					_("is also on row %zu"), ids[i - 1].row);
	for (size_t i = 0; i < n; i++)
		id_texts[i] = ids[i].id;
	if ((err = cj_member_lookup(im->db, im->village.id, codes, nh, taken, id_texts, n, owner)))
		goto done;
	for (size_t i = 0; i < nh; i++)
		if (taken[i])
			cj_problems_add(&im->pb, household_at(im, i)->first_row, title(im, F_HOUSEHOLD),
					household_at(im, i)->code,
					_("is already in the register of this village"));
	for (size_t i = 0; i < n; i++)
		if (owner[i][0])
			cj_problems_add(&im->pb, ids[i].row, title(im, F_ID), ids[i].id,
					_("is already registered in this village, in household %s"),
					owner[i]);
done:
	free(ids);
	free(codes);
	free(id_texts);
	free(taken);
	free(owner);
	return err;
}

/* ------------------------------------------------------------------------ */
/* Writing */

/* Shares without a date take effect on the first day of the books. */
static cj_date
books_start(const cj_org *village)
{
	cj_date d = {village->start.year, village->start.month, 1};

	return cj_date_valid(d) ? d : cj_date_today();
}

/* Every household as cj_household_import takes it, and the result's counts. */
static int
write_all(member_import *im)
{
	cj_member_import_result *res = im->r;
	size_t nh = nhouseholds(im), nshares = 0, people_at = 0, shares_at = 0, failed = nh;
	cj_household *hs;
	cj_person *people;
	cj_share_spec *shares;
	int err;

	for (size_t i = 0; i < nh; i++)
		for (int t = 0; t < NHOUSEHOLD_TYPES; t++)
			nshares += household_at(im, i)->shares[t] != NULL;
	hs = calloc(nh + 1, sizeof *hs);
	people = calloc(npersons(im) + 1, sizeof *people);
	shares = calloc(nshares + 1, sizeof *shares);
	err = !hs || !people || !shares ? cj_db_fail(im->db, CJ_ENOMEM, _("out of memory")) : 0;
	for (size_t i = 0; i < nh && !err; i++) {
		import_household *x = household_at(im, i);
		cj_household *h = &hs[i];

		h->code = x->code;
		h->head_name = x->head_name;
		h->head_id_number = x->head_id;
		h->phone = x->field[F_PHONE];
		h->bank_name = x->field[F_BANK];
		h->bank_account = x->field[F_ACCOUNT];
		h->poverty_status = x->field[F_POVERTY];
		h->people = people + people_at;
		people_at += x->npeople; /* filled below, in row order */
		h->shares = shares + shares_at;
		for (int t = 0; t < NHOUSEHOLD_TYPES; t++) {
			int64_t centi = 0;
			if (!x->shares[t])
				continue;
			res->defaulted |= !x->from.year;
			shares[shares_at].type = cj_share_types[t];
			shares[shares_at].shares = x->shares[t];
			shares[shares_at].effective_from = x->from.year ? x->from : res->books_start;
			shares_at++;
			h->nshares++;
			if (!cj_shares_parse(&centi, x->shares[t])) {
				res->type_centi[t] += centi;
				res->shares_centi += centi;
			}
		}
	}
	for (size_t k = 0; k < npersons(im) && !err; k++) {
		const import_person *p = &CJ_BUF_ITEMS(&im->persons, import_person)[k];
		cj_household *h = &hs[p->household];
		cj_person *slot = &people[(size_t)(h->people - people) + h->npeople++];

		slot->name = p->name;
		slot->id_number = p->id;
		slot->relation = p->relation;
	}
	if (!err && (err = cj_household_import(im->db, im->village.id, hs, nh, &failed)) &&
	    failed < nh)
		cj__fail_where(im->db, err, _("%s: row %zu, household %s"), im->name,
			       household_at(im, failed)->first_row, household_at(im, failed)->code);
	if (!err) {
		res->households = nh;
		res->people = nh + npersons(im);
	}
	free(hs);
	free(people);
	free(shares);
	return err;
}

static int
run(member_import *im)
{
	int err;

	im->r->books_start = books_start(&im->village);
	make_specs(im);
	if ((err = read_file(im)) || (err = check_whole_file(im)))
		return err;
	if ((err = cj__problems_hand_over(im->db, &im->pb, &im->o->cb, &im->r->nproblems)))
		return err;
	/* a dry run writes too, then rolls back, so that the database's own
	 * checks have had their say */
	cj__progress(&im->o->cb, "writing", 1, 2);
	if ((err = cj__txn_begin(&im->txn, im->db)) || (err = write_all(im)))
		return err;
	return cj__txn_finish(&im->txn, !im->o->dry_run);
}

int
cj_import_members(cj_db *db, const char *path, const cj_member_import_opts *opts,
		  cj_member_import_result *result)
{
	member_import im;
	int err;

	memset(result, 0, sizeof *result);
	memset(&im, 0, sizeof im);
	im.db = db;
	im.o = opts;
	im.r = result;
	im.path = path;
	im.name = opts->name ? opts->name : path;
	if (!opts->village)
		return cj_db_fail(db, CJ_EINVAL, _("a member import needs the village"));
	if ((err = cj_village_find(db, opts->village, &im.village)))
		return err;
	cj_problems_init(&im.pb, im.name);
	err = run(&im);
	if (err && !(err == CJ_EINVAL && result->nproblems))
		cj__fail_file(db, err, im.name);
	cj__txn_rollback(&im.txn);
	for (size_t i = 0; i < CJ_BUF_COUNT(&im.strings, char *); i++)
		free(CJ_BUF_ITEMS(&im.strings, char *)[i]);
	cj__buf_free(&im.strings);
	cj__buf_free(&im.persons);
	cj__buf_free(&im.households);
	cj_problems_dispose(&im.pb);
	return err;
}
