/*
 * table.c - a small table read whole from a CSV or XLSX file
 *
 * For set-up files (org add --file, account add --file): the rows are read
 * through cj_sheet (any encoding it knows, CSV or XLSX), their columns found
 * by header name in any order, and every cell kept, so that the whole file
 * can go to the library in one call.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <importers/sheet.h>

#include "cli.h"

static char *
trimmed_copy(const char *s)
{
	size_t n;
	char *out;

	s += strspn(s, " \t");
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	out = malloc(n + 1);
	if (out) {
		memcpy(out, s, n);
		out[n] = '\0';
	}
	return out;
}

int
cli_table_read(const char *path, const char *const *names, size_t ncols, size_t nrequired,
	       cli_table *t)
{
	char err[512];
	size_t at[16], cap = 0;
	cj_sheet *s;
	int r;

	memset(t, 0, sizeof *t);
	t->ncols = ncols;
	if (ncols > sizeof at / sizeof at[0])
		return fail_msg("%s: too many columns asked for", path);
	if (cj_sheet_open(&s, path, err, sizeof err))
		return fail_msg("%s: %s", path, err);
	r = cj_sheet_next(s);
	if (r <= 0) {
		int status = fail_msg("%s: %s", path, r < 0 ? cj_sheet_error(s) : "empty file, no header");
		cj_sheet_close(s);
		return status;
	}
	cj_sheet_header(s);
	for (size_t k = 0; k < ncols; k++) {
		at[k] = (size_t)-1;
		for (size_t i = 0; i < cj_sheet_nfields(s); i++) {
			char *h = trimmed_copy(cj_sheet_field(s, i));
			int same = h && !strcmp(h, names[k]);
			free(h);
			if (same)
				at[k] = i;
		}
		if (at[k] == (size_t)-1 && k < nrequired) {
			cj_sheet_close(s);
			return fail_msg("%s: the header has no column %s", path, names[k]);
		}
	}
	while ((r = cj_sheet_next(s)) > 0) {
		if (t->nrows == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **cells = realloc(t->cells, ncap * ncols * sizeof *cells);
			size_t *row = cells ? realloc(t->row, ncap * sizeof *row) : NULL;
			if (cells)
				t->cells = cells;
			if (!cells || !row) {
				cj_sheet_close(s);
				cli_table_free(t);
				return fail_msg("out of memory");
			}
			t->row = row;
			cap = ncap;
		}
		for (size_t k = 0; k < ncols; k++) {
			const char *v = at[k] < cj_sheet_nfields(s) ? cj_sheet_field(s, at[k]) : "";
			char *copy = trimmed_copy(v);
			t->cells[t->nrows * ncols + k] = copy;
			if (!copy) {
				t->nrows++;
				cj_sheet_close(s);
				cli_table_free(t);
				return fail_msg("out of memory");
			}
		}
		t->row[t->nrows++] = cj_sheet_row(s);
	}
	if (r < 0) {
		int status = fail_msg("%s: %s", path, cj_sheet_error(s));
		cj_sheet_close(s);
		cli_table_free(t);
		return status;
	}
	cj_sheet_close(s);
	return 0;
}

void
cli_table_free(cli_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->row);
	memset(t, 0, sizeof *t);
}
