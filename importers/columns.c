/*
 * columns.c - a header row mapped onto an importer's table of columns
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include <importers/columns.h>
#include <importers/field.h>
#include <ledger/i18n.h>

/* Equal but for ASCII case ("Date" is date). */
static int
same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a, y = *b;
		if (x >= 'A' && x <= 'Z')
			x = (char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (char)(y + 32);
		if (x != y)
			return 0;
	}
	return *a == *b;
}

/* Which column a header name is (-1: none), and by its how-manieth name. */
static int
which(const cj_column_spec *specs, int nspecs, const char *name, int *rank)
{
	for (int k = 0; k < nspecs; k++)
		for (int a = 0; a < CJ_COLUMN_NAMES && specs[k].names[a]; a++)
			if (same_name(name, specs[k].names[a])) {
				*rank = a;
				return k;
			}
	return -1;
}

static void
append(char *buf, size_t size, const char *text)
{
	size_t used = strlen(buf);

	if (used + strlen(text) + 3 < size)
		snprintf(buf + used, size - used, "%s%s", used ? ", " : "", text);
}

int
cj_columns_find(cj_columns *c, const cj_column_spec *specs, int nspecs, const cj_sheet *s,
		int mode, cj_problems *problems)
{
	size_t row = cj_sheet_row(s);
	int found = 0;

	memset(c, 0, sizeof *c);
	c->specs = specs;
	c->nspecs = nspecs < CJ_COLUMNS_MAX ? nspecs : CJ_COLUMNS_MAX;
	for (int k = 0; k < CJ_COLUMNS_MAX; k++)
		c->at[k] = -1;
	c->nfields = cj_sheet_nfields(s) < CJ_COLUMNS_FIELDS ? cj_sheet_nfields(s) : CJ_COLUMNS_FIELDS;
	for (size_t i = 0; i < c->nfields; i++) {
		char cell[128], name[128];
		cj_amount_unit unit;
		int k, rank = 0, unit_rc;
		const cj_column_spec *spec;

		c->spec_of[i] = CJ_COLUMN_NONE;
		cj_field_trim(cell, sizeof cell, cj_sheet_field(s, i));
		if (!cell[0])
			continue; /* spreadsheets leave untitled empty columns at the right */
		unit_rc = cj_header_split(cell, name, sizeof name, &unit);
		k = which(specs, c->nspecs, name, &rank);
		if (k < 0)
			continue;
		spec = &specs[k];
		c->spec_of[i] = (short)k;
		if (c->at[k] >= 0) {
			int tie = rank == c->rank[k];
			if (spec->flags & CJ_COLUMN_REPEATS) {
				if (rank >= c->rank[k])
					continue;
			} else if (mode == CJ_COLUMNS_PREFER && rank != c->rank[k]) {
				if (rank > c->rank[k])
					continue;
			} else {
				if (problems && (mode != CJ_COLUMNS_PREFER || tie))
					cj_problems_add(problems, row, cell, NULL,
							_("the same column as column %d (%s)"), c->at[k] + 1,
							c->title[k]);
				continue;
			}
		} else {
			found++;
		}
		if (problems && unit_rc && (spec->flags & CJ_COLUMN_AMOUNT))
			cj_problems_add(problems, row, cell, NULL, _("the unit is not one of 元 and 万元"));
		if (problems && unit == CJ_UNIT_WAN && !(spec->flags & CJ_COLUMN_AMOUNT))
			cj_problems_add(problems, row, cell, NULL, _("only amount columns can be in 万元"));
		c->at[k] = (int)i;
		c->rank[k] = rank;
		c->unit[k] = unit;
		snprintf(c->title[k], sizeof c->title[k], "%s", cell);
	}
	return found;
}

const char *
cj_column_english(const cj_column_spec *spec)
{
	for (int a = 0; a < CJ_COLUMN_NAMES && spec->names[a]; a++)
		if ((spec->names[a][0] | 0x20) >= 'a' && (spec->names[a][0] | 0x20) <= 'z')
			return spec->names[a];
	return spec->names[0];
}

int
cj_columns_missing(const cj_columns *c, unsigned except, char *buf, size_t size)
{
	int n = 0;

	buf[0] = '\0';
	for (int k = 0; k < c->nspecs; k++) {
		char one[200];
		if (!(c->specs[k].flags & CJ_COLUMN_REQUIRED) || c->at[k] >= 0 ||
		    (k < 32 && (except & (1u << k))))
			continue;
		snprintf(one, sizeof one, "%s (%s)", c->specs[k].names[0],
			 cj_column_english(&c->specs[k]));
		append(buf, size, one);
		n++;
	}
	return n;
}

void
cj_columns_ignored(const cj_columns *c, const cj_sheet *s, char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < c->nfields; i++) {
		char cell[128];
		if (c->spec_of[i] != CJ_COLUMN_NONE)
			continue;
		cj_field_trim(cell, sizeof cell, cj_sheet_field(s, i));
		if (cell[0])
			append(buf, size, cell);
	}
}

const char *
cj_columns_get(const cj_columns *c, const cj_sheet *s, int k, char *buf, size_t size)
{
	if (k < 0 || k >= c->nspecs || c->at[k] < 0) {
		buf[0] = '\0';
		return buf;
	}
	cj_field_trim(buf, size, cj_sheet_field(s, (size_t)c->at[k]));
	return buf;
}

int
cj_columns_seek(cj_sheet *s, const cj_column_spec *specs, int nspecs, unsigned except)
{
	cj_columns c;
	char missing[8];
	int rc;

	for (int scanned = 0; scanned < CJ_HEADER_SCAN; scanned++) {
		if ((rc = cj_sheet_next(s)) != 1)
			break;
		cj_columns_find(&c, specs, nspecs, s, CJ_COLUMNS_STRICT, NULL);
		if (!cj_columns_missing(&c, except, missing, sizeof missing)) {
			cj_sheet_again(s);
			return scanned > 0;
		}
	}
	/* none: the first row is the header, and its problems are named */
	return cj_sheet_rewind(s) ? -1 : 0;
}
