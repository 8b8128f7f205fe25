/*
 * org.c - counties, townships and villages
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ledger/i18n.h>

#include "internal.h"

static const char insert_org_sql[] =
	"INSERT INTO org (level, code, name, parent_id)\n"
	"SELECT $1, $2, $3, (SELECT id FROM org WHERE code = $4)";

/* by the village's code: it goes in the same round trip as the village */
static const char insert_books_sql[] =
	"INSERT INTO village_books (village_id, start_period)\n"
	"SELECT id, $2 FROM org WHERE code = $1";

static const char find_sql[] =
	"SELECT o.id, o.level, o.code, o.name, coalesce(p.code, ''),\n"
	"       coalesce(to_char(b.start_period, 'YYYY-MM'), '')\n"
	"  FROM org o\n"
	"  LEFT JOIN org p ON p.id = o.parent_id\n"
	"  LEFT JOIN village_books b ON b.village_id = o.id\n"
	" WHERE o.code = $1";

static const char set_hotline_sql[] =
	"UPDATE org SET hotline = $2 WHERE code = $1 RETURNING id";

/* The tree under one organisation (or all), parents before children. */
static const char list_sql[] =
	"WITH RECURSIVE t AS (\n"
	"    SELECT o.id, o.code::text AS path FROM org o\n"
	"     WHERE ($1::text IS NULL AND o.parent_id IS NULL) OR o.code = $1\n"
	"    UNION ALL\n"
	"    SELECT c.id, t.path || '/' || c.code FROM org c JOIN t ON c.parent_id = t.id)\n"
	"SELECT o.id, o.level, o.code, o.name, coalesce(p.code, ''),\n"
	"       coalesce(to_char(b.start_period, 'YYYY-MM'), '')\n"
	"  FROM t JOIN org o ON o.id = t.id\n"
	"  LEFT JOIN org p ON p.id = o.parent_id\n"
	"  LEFT JOIN village_books b ON b.village_id = o.id\n"
	" ORDER BY t.path";

int
cj_org_level_parse(const char *text)
{
	/* the English words of the options, and the Chinese ones org list writes */
	static const struct {
		const char *word;
		cj_org_level level;
	} words[] = {{"county", CJ_ORG_COUNTY},     {"县", CJ_ORG_COUNTY},
		     {"township", CJ_ORG_TOWNSHIP}, {"乡镇", CJ_ORG_TOWNSHIP},
		     {"乡", CJ_ORG_TOWNSHIP},       {"镇", CJ_ORG_TOWNSHIP},
		     {"village", CJ_ORG_VILLAGE},   {"村", CJ_ORG_VILLAGE}};

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!strcmp(text, words[i].word))
			return (int)words[i].level;
	return -1;
}

/* 统计用区划代码: a county's code is 6 digits (GB/T 2260), a township's the
 * county's and 3 more, a village's the township's and 3 more; "000" is the
 * level above itself, never a township or village. */
int
cj_org_code_check(cj_org_level level, const char *code, const char *parent_code, char *why,
		  size_t whysize)
{
	static const size_t lengths[] = {6, 9, 12};
	size_t n = strlen(code), want = lengths[level];

	if (n != want || strspn(code, "0123456789") != n || code[0] == '0') {
		snprintf(why, whysize,
			 _("'%s' is not a %s code: %zu digits (统计用区划代码, e.g. %s)"), code,
			 _(cj_org_level_name(level)), want,
			 level == CJ_ORG_COUNTY     ? "360925"
			 : level == CJ_ORG_TOWNSHIP ? "360925100"
						    : "360925100201");
		return CJ_EINVAL;
	}
	if (level == CJ_ORG_COUNTY)
		return 0;
	if (!strcmp(code + n - 3, "000")) {
		snprintf(why, whysize, _("'%s' ends in 000, which is the %s's own code, not a %s's"), code,
			 level == CJ_ORG_VILLAGE ? _("township") : _("county"), _(cj_org_level_name(level)));
		return CJ_EINVAL;
	}
	if (parent_code && (strlen(parent_code) != n - 3 || strncmp(code, parent_code, n - 3))) {
		snprintf(why, whysize, _("%s code %s does not start with its %s's code %s"),
			 _(cj_org_level_name(level)), code,
			 level == CJ_ORG_VILLAGE ? _("township") : _("county"), parent_code);
		return CJ_EINVAL;
	}
	return 0;
}

const char *
cj_org_level_name(cj_org_level level)
{
	switch (level) {
	case CJ_ORG_COUNTY: return "county";
	case CJ_ORG_TOWNSHIP: return "township";
	default: return "village";
	}
}

static void
row_to_org(const PGresult *res, int i, cj_org *o)
{
	memset(o, 0, sizeof *o);
	o->id = atoi(PQgetvalue(res, i, 0));
	o->level = (cj_org_level)cj_org_level_parse(PQgetvalue(res, i, 1));
	cj__strlcpy(o->code, PQgetvalue(res, i, 2), sizeof o->code);
	cj__strlcpy(o->name, PQgetvalue(res, i, 3), sizeof o->name);
	cj__strlcpy(o->parent_code, PQgetvalue(res, i, 4), sizeof o->parent_code);
	if (cj_period_parse(&o->start, PQgetvalue(res, i, 5)))
		memset(&o->start, 0, sizeof o->start);
}

/* How far back parent_of looks among the rows of the same call: a file
 * lists a township's villages after it, and a province's 100,000 rows must
 * not cost n^2 comparisons. */
#define PARENT_LOOKBACK 512

/* The parent: one added shortly before in the same call (the rows before
 * this one, all added), else from the database. */
static int
parent_of(cj_db *db, const char *code, const cj_org_new *added, size_t nadded, cj_org *out)
{
	size_t first = nadded > PARENT_LOOKBACK ? nadded - PARENT_LOOKBACK : 0;

	for (size_t i = nadded; i-- > first;)
		if (!strcmp(added[i].code, code)) {
			memset(out, 0, sizeof *out);
			out->level = added[i].level;
			cj__strlcpy(out->code, added[i].code, sizeof out->code);
			cj__strlcpy(out->name, added[i].name, sizeof out->name);
			return 0;
		}
	return cj_org_find(db, code, out);
}

/* Check and insert one organisation, inside the caller's transaction; added:
 * the ones this call added before it. */
static int
add_one(cj_db *db, cj_org_level level, const char *code, const char *name,
	const char *parent_code, cj_period start, const cj_org_new *added, size_t nadded)
{
	cj_org parent;
	const char *params[4], *bp[2];
	char startbuf[16], why[200];
	cj__stmt st[2];
	int err;

	if ((unsigned)level > CJ_ORG_VILLAGE)
		return cj_db_fail(db, CJ_EINVAL, _("no such organisation level"));
	if (cj_org_code_check(level, code, NULL, why, sizeof why))
		return cj_db_fail(db, CJ_EINVAL, "%s", why);
	if (!name[strspn(name, " ")])
		return cj_db_fail(db, CJ_EINVAL, _("%s needs a name"), code);
	if (cj_text_check(name, why, sizeof why))
		return cj_db_fail(db, CJ_EINVAL, _("the name of %s %s"), code, why);
	if (level == CJ_ORG_VILLAGE && !cj_period_in_books(start))
		return cj_db_fail(db, CJ_EINVAL, _("the books of %s cannot start in %04d-%02d (the books' "
				  "dates run from %s)"), code, start.year, start.month,
				  cj_books_range_text(why, sizeof why));
	if (level != CJ_ORG_COUNTY) {
		if (!parent_code || !*parent_code)
			return cj_db_fail(db, CJ_EINVAL, _("a %s needs --parent (the code of its %s)"),
					  _(cj_org_level_name(level)),
					  level == CJ_ORG_VILLAGE ? _("township") : _("county"));
		err = parent_of(db, parent_code, added, nadded, &parent);
		if (err)
			return err;
		if ((int)parent.level != (int)level - 1)
			return cj_db_fail(db, CJ_EINVAL, _("%s %s is a %s; a %s belongs to a %s"),
					  parent.code, parent.name, _(cj_org_level_name(parent.level)),
					  _(cj_org_level_name(level)),
					  level == CJ_ORG_VILLAGE ? _("township") : _("county"));
		if (cj_org_code_check(level, code, parent.code, why, sizeof why))
			return cj_db_fail(db, CJ_EINVAL, "%s", why);
	} else if (parent_code && *parent_code) {
		return cj_db_fail(db, CJ_EINVAL, _("a county has no parent"));
	}
	params[0] = cj_org_level_name(level);
	params[1] = code;
	params[2] = name;
	params[3] = level == CJ_ORG_COUNTY ? NULL : parent_code;

	cj__period_date(startbuf, sizeof startbuf, start);
	bp[0] = code;
	bp[1] = startbuf;
	/* a village and its books in one round trip, both prepared once */
	st[0] = (cj__stmt){insert_org_sql, 4, params, 1, NULL};
	st[1] = (cj__stmt){insert_books_sql, 2, bp, 1, NULL};
	err = cj__db_pipeline(db, st, level == CJ_ORG_VILLAGE ? 2 : 1);
	if (err == CJ_EEXISTS)
		cj_db_fail(db, err, _("an organisation with code %s already exists"), code);
	return err;
}

int
cj_org_add(cj_db *db, cj_org_level level, const char *code, const char *name,
	   const char *parent_code, cj_period start)
{
	cj_org_new o = {level, code, name, parent_code, start};

	return cj_org_add_many(db, &o, 1, NULL);
}

int
cj_org_add_many(cj_db *db, const cj_org_new *orgs, size_t n, size_t *failed_out)
{
	size_t i = 0;
	int own = !cj__db_in_transaction(db);
	int err = own ? cj_db_begin(db) : 0;

	for (; !err && i < n; i++)
		err = add_one(db, orgs[i].level, orgs[i].code, orgs[i].name, orgs[i].parent_code,
			      orgs[i].start, orgs, i);
	/* in the caller's transaction, the caller commits or rolls back */
	if (own && !err)
		err = cj_db_commit(db);
	if (own && err)
		cj_db_rollback(db);
	if (failed_out)
		*failed_out = err && i ? i - 1 : 0;
	return err;
}

int
cj_org_find(cj_db *db, const char *code, cj_org *out)
{
	PGresult *res;
	const char *params[1] = {code};
	int err;

	err = cj_db_exec_prepared(db, &res, find_sql, 1, params);
	if (err)
		return err;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOTFOUND, _("no organisation has code %s (that login %s may see)"),
				  code, cj_db_user(db));
	}
	row_to_org(res, 0, out);
	PQclear(res);
	return 0;
}

int
cj_org_set_hotline(cj_db *db, const char *code, const char *phone, cj_org *out)
{
	const char *params[2] = {code, phone};
	char why[200];
	PGresult *res;
	size_t chars = 0;
	int err;

	if (cj_text_check(phone, why, sizeof why))
		return cj_db_fail(db, CJ_EINVAL, _("the supervision number %s"), why);
	for (const char *p = phone; *p; p++)
		chars += ((unsigned char)*p & 0xC0) != 0x80;
	if (chars > CJ_HOTLINE_MAX)
		return cj_db_fail(db, CJ_EINVAL, _("the supervision number '%s' is longer than %d "
				  "characters"), phone, CJ_HOTLINE_MAX);
	if ((err = cj_db_exec(db, &res, set_hotline_sql, 2, params)))
		return err;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOTFOUND, _("no organisation has code %s (that login %s may see)"),
				  code, cj_db_user(db));
	}
	PQclear(res);
	return out ? cj_org_find(db, code, out) : 0;
}

const char *
cj_org_level_mismatch(cj_org_level is, cj_org_level want)
{
	/* [is][want], in the order of cj_org_level */
	static const char *const msgs[3][3] = {
		{N_("%s %s is a county"), N_("%s %s is a county, not a township"),
		 N_("%s %s is a county, not a village")},
		{N_("%s %s is a township, not a county"), N_("%s %s is a township"),
		 N_("%s %s is a township, not a village")},
		{N_("%s %s is a village, not a county"), N_("%s %s is a village, not a township"),
		 N_("%s %s is a village")},
	};

	if ((unsigned)is > CJ_ORG_VILLAGE || (unsigned)want > CJ_ORG_VILLAGE)
		return _("%s %s is of another level");
	return _(msgs[is][want]);
}

int
cj_village_find(cj_db *db, const char *code, cj_org *out)
{
	int err = cj_org_find(db, code, out);

	if (!err && out->level != CJ_ORG_VILLAGE)
		return cj_db_fail(db, CJ_EINVAL, cj_org_level_mismatch(out->level, CJ_ORG_VILLAGE),
				  out->code, out->name);
	return err;
}

int
cj_org_list(cj_db *db, const char *code, cj_org **out, size_t *n_out)
{
	PGresult *res;
	const char *params[1] = {code};
	cj_org *orgs;
	int err, n;

	*out = NULL;
	*n_out = 0;
	if (code) {
		cj_org root;
		err = cj_org_find(db, code, &root);
		if (err)
			return err;
	}
	err = cj_db_exec(db, &res, list_sql, 1, params);
	if (err)
		return err;
	n = PQntuples(res);
	orgs = calloc(n ? (size_t)n : 1, sizeof *orgs);
	if (!orgs) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	for (int i = 0; i < n; i++)
		row_to_org(res, i, &orgs[i]);
	PQclear(res);
	*out = orgs;
	*n_out = (size_t)n;
	return 0;
}
