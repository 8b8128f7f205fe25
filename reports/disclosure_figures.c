/*
 * disclosure_figures.c - do the figures printed on a sheet still say what
 * the books say?
 *
 * The stamp (disclosure_verify.c) tells whether the books a sheet was made
 * from are still these books; it cannot see a figure edited in Excel or in
 * the PDF afterwards.  So the sheet is made again from the books now, for
 * the stamp's organisation, period, 公开日期 and chain position, into a
 * scratch directory, and the two files are compared as a person reads
 * them: every cell of every worksheet, or every line of the PDF's text.
 *
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE /* nftw's FTW_DEPTH, mkdtemp */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ledger/buf.h>
#include <ledger/i18n.h>

#include "disclosure_internal.h"
#include "sheet_read.h"

#define SHOWN_MAX 40 /* differences listed; the rest are counted */

typedef struct out {
	cj_buf text;
	long shown, total;
} out;

#define say(o, ...) cj__buf_printf(&(o)->text, __VA_ARGS__)

/* One difference: counted always, listed up to SHOWN_MAX. */
static int
differs(out *o)
{
	o->total++;
	return o->shown < SHOWN_MAX ? ++o->shown : 0;
}

/* ---- XLSX: cell by cell ---- */

static void
col_name(char *buf, long col)
{
	char tmp[8];
	int n = 0;

	for (; col > 0 && n < 7; col = (col - 1) / 26)
		tmp[n++] = (char)('A' + (col - 1) % 26);
	for (int i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
}

/* The label of a row: its first text cell that is not a number. */
static const char *
row_label(const sheet_cells *c, size_t sheet, long row)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->cells[i].sheet == sheet && c->cells[i].row == row && *c->cells[i].value &&
		    !*c->cells[i].formula && strspn(c->cells[i].value, "-0123456789.") != strlen(c->cells[i].value))
			return c->cells[i].value;
	return "";
}

static long
sheet_index(const sheet_cells *c, const char *name)
{
	for (size_t i = 0; i < c->nnames; i++)
		if (!strcmp(c->names[i], name))
			return (long)i;
	return -1;
}

static void
show_cell(out *o, const char *sheet, const sheet_cell *a, const sheet_cell *b, const char *label)
{
	const sheet_cell *at = a ? a : b;
	char ref[16];

	col_name(ref, at->col);
	if (!differs(o))
		return;
	say(o, _("  sheet %s %s%ld%s%s%s: "), sheet, ref, at->row, *label ? " (" : "", label, *label ? ")" : "");
	if (a && b && strcmp(a->formula, b->formula))
		say(o, _("formula =%s on the sheet, =%s from the books\n"), a->formula, b->formula);
	else
		say(o, _("%s%s%s on the sheet, %s%s%s from the books\n"), a ? "\"" : "", a ? a->value : _("(empty)"),
		    a ? "\"" : "", b ? "\"" : "", b ? b->value : _("(empty)"), b ? "\"" : "");
}

/*
 * Two cells read the same when their formulas are equal and, where both
 * files carry a value, the values too: a spreadsheet program that saves a
 * workbook may drop the cached values of formulas, recomputed on opening.
 */
static int
same_cell(const sheet_cell *a, const sheet_cell *b)
{
	if (strcmp(a->formula, b->formula))
		return 0;
	if (*a->formula && (!*a->value || !*b->value))
		return 1;
	return !strcmp(a->value, b->value);
}

static void
compare_sheet(out *o, const sheet_cells *have, size_t hs, const sheet_cells *want, size_t ws)
{
	size_t i = 0, k = 0;

	while (i < have->n && have->cells[i].sheet != hs)
		i++;
	while (k < want->n && want->cells[k].sheet != ws)
		k++;
	for (;;) {
		const sheet_cell *a = i < have->n && have->cells[i].sheet == hs ? &have->cells[i] : NULL;
		const sheet_cell *b = k < want->n && want->cells[k].sheet == ws ? &want->cells[k] : NULL;
		int cmp;

		if (!a && !b)
			break;
		cmp = !a ? 1 : !b ? -1 : a->row != b->row ? (a->row < b->row ? -1 : 1)
			: (a->col > b->col) - (a->col < b->col);
		if (cmp == 0) {
			if (!same_cell(a, b))
				show_cell(o, want->names[ws], a, b, row_label(want, ws, b->row));
			i++;
			k++;
		} else if (cmp < 0) {
			show_cell(o, want->names[ws], a, NULL, row_label(have, hs, a->row));
			i++;
		} else {
			show_cell(o, want->names[ws], NULL, b, row_label(want, ws, b->row));
			k++;
		}
	}
}

static int
compare_xlsx(const char *path, const char *fresh, out *o, char *err, size_t errlen)
{
	sheet_cells have, want;

	if (cj__sheet_xlsx_cells(path, &have, err, errlen))
		return -1;
	if (cj__sheet_xlsx_cells(fresh, &want, err, errlen)) {
		cj__sheet_cells_free(&have);
		return -1;
	}
	for (size_t w = 0; w < want.nnames; w++) {
		long h = sheet_index(&have, want.names[w]);

		if (h < 0) {
			if (differs(o))
				say(o, _("  sheet %s is missing from the file\n"), want.names[w]);
			continue;
		}
		compare_sheet(o, &have, (size_t)h, &want, w);
	}
	for (size_t h = 0; h < have.nnames; h++)
		if (sheet_index(&want, have.names[h]) < 0 && differs(o))
			say(o, _("  sheet %s is not one the books give\n"), have.names[h]);
	cj__sheet_cells_free(&have);
	cj__sheet_cells_free(&want);
	return 0;
}

/* ---- PDF: line by line (a longest common subsequence) ---- */

static void
show_line(out *o, const sheet_line *l, const char *where)
{
	if (differs(o))
		say(o, _("  page %d, %s: %s\n"), l->page, where, l->text);
}

static int
compare_pdf(const char *path, const char *fresh, out *o, char *err, size_t errlen)
{
	sheet_line *a = NULL, *b = NULL;
	size_t n = 0, m = 0, i, k;
	unsigned *t = NULL;
	int rc = -1;

	if (cj__sheet_pdf_lines(path, &a, &n, err, errlen) ||
	    cj__sheet_pdf_lines(fresh, &b, &m, err, errlen))
		goto done;
	/* a sheet has a few hundred lines; a table of (n+1)(m+1) lengths is small */
	if (n > 20000 || m > 20000 || !(t = calloc((n + 1) * (m + 1), sizeof *t))) {
		snprintf(err, errlen, _("%s: too much text to compare"), path);
		goto done;
	}
#define T(x, y) t[(x) * (m + 1) + (y)]
	for (i = n; i-- > 0;)
		for (k = m; k-- > 0;)
			T(i, k) = !strcmp(a[i].text, b[k].text) ? T(i + 1, k + 1) + 1
				: T(i + 1, k) > T(i, k + 1) ? T(i + 1, k) : T(i, k + 1);
	for (i = k = 0; i < n || k < m;) {
		if (i < n && k < m && !strcmp(a[i].text, b[k].text)) {
			i++;
			k++;
		} else if (k >= m || (i < n && T(i + 1, k) >= T(i, k + 1))) {
			show_line(o, &a[i++], _("on the sheet   "));
		} else {
			show_line(o, &b[k++], _("from the books "));
		}
	}
#undef T
	rc = 0;
done:
	free(t);
	cj__sheet_lines_free(a, n);
	cj__sheet_lines_free(b, m);
	return rc;
}

/* ---- the sheet made again ---- */

static int
remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static char found[4096];
static const char *found_ext;

static int
find_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	size_t len = strlen(path), el = strlen(found_ext);

	(void)sb;
	(void)ftw;
	if (flag == FTW_F && len > el && !strcmp(path + len - el, found_ext))
		snprintf(found, sizeof found, "%s", path);
	return 0;
}

int
cj_dis_compare_figures(cj_db *db, const char *path, const cj_dis_stamp *st, long *ndiff,
		       char **report)
{
	char dir[] = "/tmp/cunji-verify-XXXXXX", err[1024], head[8] = "";
	const char *tmpdir = getenv("TMPDIR");
	char dirbuf[4096];
	cj_dis_request req;
	cj_dis_result res;
	out o = {{0}, 0, 0};
	FILE *f;
	int pdf, rc;

	*ndiff = 0;
	*report = NULL;
	if (!(f = fopen(path, "rb")))
		return cj_db_fail(db, CJ_EIO, _("cannot open %s"), path);
	if (fread(head, 1, 4, f) != 4)
		head[0] = '\0';
	fclose(f);
	pdf = !memcmp(head, "%PDF", 4);
	memset(&req, 0, sizeof req);
	req.level = st->level;
	req.code = st->code;
	if (cj_span_parse(&req.period, st->period, err, sizeof err))
		return cj_db_fail(db, CJ_EINVAL, _("%s: the stamp's period %s: %s"), path, st->period, err);
	req.formats = pdf ? CJ_DIS_PDF : CJ_DIS_XLSX;
	req.jobs = 1;
	req.posted_on = st->posted;
	req.anchor_seq = st->seq;
	if (tmpdir && *tmpdir && strlen(tmpdir) + sizeof "/cunji-verify-XXXXXX" < sizeof dirbuf)
		snprintf(dirbuf, sizeof dirbuf, "%s/cunji-verify-XXXXXX", tmpdir);
	else
		snprintf(dirbuf, sizeof dirbuf, "%s", dir);
	if (!mkdtemp(dirbuf))
		return cj_db_fail(db, CJ_EIO, _("cannot make a scratch directory %s"), dirbuf);
	req.out_dir = dirbuf;
	if ((rc = cj_disclose(db, &req, &res)) == 0) {
		found[0] = '\0';
		found_ext = pdf ? ".pdf" : ".xlsx";
		nftw(dirbuf, find_one, 8, FTW_PHYS);
		if (!found[0])
			rc = cj_db_fail(db, CJ_ERROR, _("internal: the sheet made again is not in %s"), dirbuf);
		else if ((pdf ? compare_pdf : compare_xlsx)(path, found, &o, err, sizeof err))
			rc = cj_db_fail(db, CJ_EINVAL, "%s", err);
	}
	nftw(dirbuf, remove_one, 8, FTW_DEPTH | FTW_PHYS);
	if (!rc && o.total > o.shown)
		say(&o, _("  ... and %ld more\n"), o.total - o.shown);
	if (!rc && !cj__buf_ok(&o.text))
		rc = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	if (rc) {
		cj__buf_free(&o.text);
		return rc;
	}
	*ndiff = o.total;
	*report = o.text.data ? o.text.data : strdup("");
	return *report ? 0 : cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
}
