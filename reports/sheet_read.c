/*
 * sheet_read.c - a sheet file read back as a person sees it: the cells of
 * every worksheet of an XLSX (libzip, expat) and the text lines of a PDF
 * (pdftotext)
 *
 * The importers have an XLSX reader of their own (importers/xlsx.c), for
 * the first worksheet's rows as an import wants them; reports may not use
 * the importers, and this one wants every worksheet, formulas and cell
 * positions, which that reader does not keep.
 *
 * SPDX-License-Identifier: MIT
 */
#include <ctype.h>
#include <errno.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include <ledger/grow.h>
#include <ledger/i18n.h>

#include "sheet_read.h"

#define PART_MAX (64u << 20) /* the largest XML part read (a sheet of ours is < 1 MiB) */

/* A part of the zip, whole and NUL-terminated; NULL when absent or too big. */
static char *
read_part(zip_t *za, const char *name, size_t *len)
{
	zip_stat_t st;
	zip_file_t *zf;
	char *buf;
	zip_int64_t got;

	zip_stat_init(&st);
	if (zip_stat(za, name, ZIP_FL_NOCASE, &st) || !(st.valid & ZIP_STAT_SIZE) || st.size > PART_MAX)
		return NULL;
	if (!(zf = zip_fopen(za, name, ZIP_FL_NOCASE)))
		return NULL;
	if ((buf = malloc(st.size + 1))) {
		got = st.size ? zip_fread(zf, buf, st.size) : 0;
		if (got < 0 || (zip_uint64_t)got != st.size) {
			free(buf);
			buf = NULL;
		} else {
			buf[got] = '\0';
			*len = (size_t)got;
		}
	}
	zip_fclose(zf);
	return buf;
}

/* The local name of an element or attribute (after a namespace prefix). */
static const char *
local(const char *name)
{
	const char *c = strrchr(name, ':');

	return c ? c + 1 : name;
}

static const char *
attr(const char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (!strcmp(local(atts[i]), name))
			return atts[i + 1];
	return NULL;
}

/* ---- a growing string ---- */

typedef struct text {
	char *s;
	size_t len, cap;
	int oom;
} text;

static void
text_add(text *t, const char *s, size_t n)
{
	if (t->oom || cj_grow((void **)&t->s, &t->cap, t->len + n + 1, 1)) {
		t->oom = 1;
		return;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static char *
text_take(text *t)
{
	char *s = t->s ? t->s : strdup("");

	t->s = NULL;
	t->len = t->cap = 0;
	if (!s)
		t->oom = 1;
	return s;
}

/* ---- the parse of one part ---- */

typedef struct reader {
	XML_Parser xp;
	int oom, bad;
	/* workbook.xml and its relationships */
	char **names, **rids;
	size_t nnames, namecap, ridcap;
	char **rel_id, **rel_target;
	size_t nrels, relcap, relcap2;
	/* sharedStrings.xml */
	char **strings;
	size_t nstrings, strcap;
	int in_si, in_t, in_rph;
	/* a worksheet */
	size_t sheet;
	sheet_cells *out;
	size_t cellcap;
	long row, col;
	char type[16];
	long style;   /* the cell's s= (an index of cellXfs), -1 none */
	int in_v, in_f, in_is;
	text v, f, t;
	/* styles.xml: each cellXfs entry's number format, as SHEET_* kinds */
	char *xf_kind;
	size_t nxf, xfcap;
	long fmt_id[64];       /* custom numFmts ... */
	char fmt_kind[64];     /* ... and their kinds */
	size_t nfmt;
	int in_cellxfs;
} reader;

/* The kind of number a format code writes. */
static char
format_kind(const char *code)
{
	if (strchr(code, '%'))
		return SHEET_PERCENT;
	if (strstr(code, "0.00") && !strstr(code, "0.000"))
		return SHEET_MONEY;
	return SHEET_NUMBER;
}

/* The built-in formats' kinds (ECMA-376 18.8.30): 2 0.00, 4 #,##0.00, 9 0%, 10 0.00%. */
static char
builtin_kind(long id)
{
	return id == 2 || id == 4 || id == 7 || id == 8 ? SHEET_MONEY
	       : id == 9 || id == 10                  ? SHEET_PERCENT
						      : SHEET_NUMBER;
}

static int push(void *arr, size_t *n, size_t *cap, const void *item, size_t size);

static void
on_styles_start(void *ud, const char *name, const char **atts)
{
	reader *r = ud;
	const char *l = local(name), *v;

	if (!strcmp(l, "numFmt") && r->nfmt < sizeof r->fmt_id / sizeof *r->fmt_id &&
	    (v = attr(atts, "numFmtId"))) {
		const char *code = attr(atts, "formatCode");
		r->fmt_id[r->nfmt] = strtol(v, NULL, 10);
		r->fmt_kind[r->nfmt++] = format_kind(code ? code : "");
	} else if (!strcmp(l, "cellXfs")) {
		r->in_cellxfs = 1;
	} else if (!strcmp(l, "xf") && r->in_cellxfs) {
		long id = (v = attr(atts, "numFmtId")) ? strtol(v, NULL, 10) : 0;
		char kind = builtin_kind(id);
		for (size_t i = 0; i < r->nfmt; i++)
			if (r->fmt_id[i] == id)
				kind = r->fmt_kind[i];
		if (push(&r->xf_kind, &r->nxf, &r->xfcap, &kind, 1))
			r->oom = 1;
	}
}

static void
on_styles_end(void *ud, const char *name)
{
	reader *r = ud;

	if (!strcmp(local(name), "cellXfs"))
		r->in_cellxfs = 0;
}

static int
push(void *arr, size_t *n, size_t *cap, const void *item, size_t size)
{
	if (cj_grow((void **)arr, cap, *n + 1, size))
		return -1;
	memcpy(*(char **)arr + *n * size, item, size);
	(*n)++;
	return 0;
}

static void
on_workbook(void *ud, const char *name, const char **atts)
{
	reader *r = ud;
	const char *n, *id;
	char *a, *b;
	size_t nn;

	if (strcmp(local(name), "sheet") || !(n = attr(atts, "name")) || !(id = attr(atts, "id")))
		return;
	a = strdup(n);
	b = strdup(id);
	nn = r->nnames;
	if (!a || !b || push(&r->names, &nn, &r->namecap, &a, sizeof a) ||
	    push(&r->rids, &r->nnames, &r->ridcap, &b, sizeof b)) {
		free(a);
		free(b);
		r->oom = 1;
	}
}

static void
on_rels(void *ud, const char *name, const char **atts)
{
	reader *r = ud;
	const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
	char *a, *b;
	size_t n;

	if (strcmp(local(name), "Relationship") || !id || !target)
		return;
	a = strdup(id);
	b = strdup(target);
	n = r->nrels;
	if (!a || !b || push(&r->rel_id, &n, &r->relcap, &a, sizeof a) ||
	    push(&r->rel_target, &r->nrels, &r->relcap2, &b, sizeof b)) {
		free(a);
		free(b);
		r->oom = 1;
	}
}

static void
on_text(void *ud, const char *s, int len)
{
	reader *r = ud;

	if (r->in_t && !r->in_rph)
		text_add(&r->t, s, (size_t)len);
	else if (r->in_v)
		text_add(&r->v, s, (size_t)len);
	else if (r->in_f)
		text_add(&r->f, s, (size_t)len);
}

static void
on_sst_start(void *ud, const char *name, const char **atts)
{
	reader *r = ud;
	const char *l = local(name);

	(void)atts;
	if (!strcmp(l, "si"))
		r->in_si = 1;
	else if (!strcmp(l, "rPh"))
		r->in_rph = 1;
	else if (!strcmp(l, "t") && r->in_si)
		r->in_t = 1;
}

static void
on_sst_end(void *ud, const char *name)
{
	reader *r = ud;
	const char *l = local(name);

	if (!strcmp(l, "t")) {
		r->in_t = 0;
	} else if (!strcmp(l, "rPh")) {
		r->in_rph = 0;
	} else if (!strcmp(l, "si")) {
		char *s = text_take(&r->t);

		r->in_si = 0;
		if (!s || push(&r->strings, &r->nstrings, &r->strcap, &s, sizeof s)) {
			free(s);
			r->oom = 1;
		}
	}
}

/* "AB12" -> column 28, row 12; 0 when not a reference. */
static int
parse_ref(const char *ref, long *row, long *col)
{
	long c = 0, rw = 0;
	const char *p = ref;

	while (isupper((unsigned char)*p) && c < 100000)
		c = c * 26 + (*p++ - 'A' + 1);
	while (isdigit((unsigned char)*p) && rw < 10000000)
		rw = rw * 10 + (*p++ - '0');
	if (!c || !rw || *p)
		return 0;
	*row = rw;
	*col = c;
	return 1;
}

/*
 * A number's decimal text with the trailing zeros of its fraction cut, so
 * that "1200.50" (one writer) and "1200.5" (another) read the same.
 */
static void
trim_number(char *s)
{
	char *dot = strchr(s, '.'), *e;

	if (!dot || strpbrk(s, "eE"))
		return;
	e = s + strlen(s);
	while (e > dot + 1 && e[-1] == '0')
		*--e = '\0';
	if (e == dot + 1)
		*dot = '\0';
}

static void
on_sheet_start(void *ud, const char *name, const char **atts)
{
	reader *r = ud;
	const char *l = local(name), *v;

	if (!strcmp(l, "row")) {
		r->col = 0;
		if ((v = attr(atts, "r")))
			r->row = atol(v);
		else
			r->row++;
	} else if (!strcmp(l, "c")) {
		long row = r->row, col = r->col + 1;

		if ((v = attr(atts, "r")) && !parse_ref(v, &row, &col))
			r->bad = 1;
		r->row = row;
		r->col = col;
		snprintf(r->type, sizeof r->type, "%s", (v = attr(atts, "t")) ? v : "n");
		r->style = (v = attr(atts, "s")) ? strtol(v, NULL, 10) : -1;
		r->v.len = r->f.len = r->t.len = 0;
		if (r->v.s)
			r->v.s[0] = '\0';
		if (r->f.s)
			r->f.s[0] = '\0';
		if (r->t.s)
			r->t.s[0] = '\0';
	} else if (!strcmp(l, "v")) {
		r->in_v = 1;
	} else if (!strcmp(l, "f")) {
		r->in_f = 1;
	} else if (!strcmp(l, "is")) {
		r->in_is = 1;
	} else if (!strcmp(l, "rPh")) {
		r->in_rph = 1;
	} else if (!strcmp(l, "t") && r->in_is) {
		r->in_t = 1;
	}
}

static void
on_sheet_end(void *ud, const char *name)
{
	reader *r = ud;
	const char *l = local(name);
	sheet_cell c;

	if (!strcmp(l, "v")) {
		r->in_v = 0;
	} else if (!strcmp(l, "f")) {
		r->in_f = 0;
	} else if (!strcmp(l, "t")) {
		r->in_t = 0;
	} else if (!strcmp(l, "rPh")) {
		r->in_rph = 0;
	} else if (!strcmp(l, "is")) {
		r->in_is = 0;
	} else if (!strcmp(l, "c")) {
		const char *val = r->v.s ? r->v.s : "";

		if (!strcmp(r->type, "s")) {
			char *end;
			unsigned long k = strtoul(val, &end, 10);

			if (*val && !*end && k < r->nstrings)
				val = r->strings[k];
			else
				r->bad = 1;
		} else if (!strcmp(r->type, "inlineStr")) {
			val = r->t.s ? r->t.s : "";
		}
		c.sheet = r->sheet;
		c.row = r->row;
		c.col = r->col;
		c.kind = SHEET_TEXT;
		if (!strcmp(r->type, "n"))
			c.kind = r->style >= 0 && (size_t)r->style < r->nxf ? r->xf_kind[r->style]
									     : SHEET_NUMBER;
		c.value = strdup(val);
		c.formula = strdup(r->f.s ? r->f.s : "");
		if (!c.value || !c.formula ||
		    push(&r->out->cells, &r->out->n, &r->cellcap, &c, sizeof c)) {
			free(c.value);
			free(c.formula);
			r->oom = 1;
			return;
		}
		if (!strcmp(r->type, "n"))
			trim_number(c.value);
		/* an empty cell with a style only is not something a person reads */
		if (!*c.value && !*c.formula) {
			free(c.value);
			free(c.formula);
			r->out->n--;
		}
	}
}

static int
parse(reader *r, zip_t *za, const char *part, XML_StartElementHandler start, XML_EndElementHandler end,
      int optional)
{
	size_t len = 0;
	char *xml = read_part(za, part, &len);
	int rc = 0;

	if (!xml)
		return optional ? 0 : -1;
	if (!(r->xp = XML_ParserCreate(NULL))) {
		free(xml);
		r->oom = 1;
		return -1;
	}
	XML_SetUserData(r->xp, r);
	XML_SetElementHandler(r->xp, start, end);
	XML_SetCharacterDataHandler(r->xp, on_text);
	if (XML_Parse(r->xp, xml, (int)len, 1) == XML_STATUS_ERROR)
		rc = -1;
	XML_ParserFree(r->xp);
	free(xml);
	return rc || r->oom || r->bad ? -1 : 0;
}

static void
free_list(char **l, size_t n)
{
	for (size_t i = 0; l && i < n; i++)
		free(l[i]);
	free(l);
}

static int
by_position(const void *a, const void *b)
{
	const sheet_cell *x = a, *y = b;

	if (x->sheet != y->sheet)
		return x->sheet < y->sheet ? -1 : 1;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return (x->col > y->col) - (x->col < y->col);
}

int
cj__sheet_xlsx_cells(const char *path, sheet_cells *out, char *err, size_t errlen)
{
	reader r;
	zip_t *za;
	int zerr = 0, rc = -1;

	memset(out, 0, sizeof *out);
	memset(&r, 0, sizeof r);
	r.out = out;
	if (!(za = zip_open(path, ZIP_RDONLY, &zerr))) {
		snprintf(err, errlen, _("%s is not a readable XLSX file"), path);
		return -1;
	}
	if (parse(&r, za, "xl/workbook.xml", on_workbook, NULL, 0) ||
	    parse(&r, za, "xl/_rels/workbook.xml.rels", on_rels, NULL, 0) ||
	    parse(&r, za, "xl/sharedStrings.xml", on_sst_start, on_sst_end, 1) ||
	    parse(&r, za, "xl/styles.xml", on_styles_start, on_styles_end, 1)) {
		snprintf(err, errlen, r.oom ? _("out of memory") : _("%s: its workbook cannot be read"), path);
		goto done;
	}
	for (size_t i = 0; i < r.nnames; i++) {
		const char *target = NULL;
		char part[1024];

		for (size_t k = 0; k < r.nrels; k++)
			if (!strcmp(r.rel_id[k], r.rids[i]))
				target = r.rel_target[k];
		if (!target) {
			snprintf(err, errlen, _("%s: sheet %s has no part"), path, r.names[i]);
			goto done;
		}
		if (!strstr(target, "worksheets/"))
			continue; /* a chart sheet */
		if (target[0] == '/')
			snprintf(part, sizeof part, "%s", target + 1);
		else
			snprintf(part, sizeof part, "xl/%s", target);
		r.sheet = i;
		r.row = 0;
		if (parse(&r, za, part, on_sheet_start, on_sheet_end, 0)) {
			snprintf(err, errlen, r.oom ? _("out of memory") : _("%s: sheet %s cannot be read"), path,
				 r.names[i]);
			goto done;
		}
	}
	out->names = r.names;
	out->nnames = r.nnames;
	r.names = NULL;
	if (out->n)
		qsort(out->cells, out->n, sizeof *out->cells, by_position);
	rc = 0;
done:
	zip_close(za);
	free_list(r.names, r.nnames);
	free_list(r.rids, r.nnames);
	free_list(r.rel_id, r.nrels);
	free_list(r.rel_target, r.nrels);
	free_list(r.strings, r.nstrings);
	free(r.xf_kind);
	free(r.v.s);
	free(r.f.s);
	free(r.t.s);
	if (rc)
		cj__sheet_cells_free(out);
	return rc;
}

void
cj__sheet_cells_free(sheet_cells *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->cells[i].value);
		free(c->cells[i].formula);
	}
	free(c->cells);
	free_list(c->names, c->nnames);
	memset(c, 0, sizeof *c);
}

/* ---- PDF text ---- */

/* pdftotext's output for path, whole (NULL on failure, err says why). */
static char *
pdftotext(const char *path, char *err, size_t errlen)
{
	int fd[2], status;
	pid_t pid;
	text t = {NULL, 0, 0, 0};
	char buf[65536];
	ssize_t n;

	if (pipe(fd)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return NULL;
	}
	if ((pid = fork()) < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(fd[0]);
		close(fd[1]);
		return NULL;
	}
	if (pid == 0) {
		dup2(fd[1], STDOUT_FILENO);
		close(fd[0]);
		close(fd[1]);
		execlp("pdftotext", "pdftotext", "-q", "-layout", "-enc", "UTF-8", path, "-", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	while ((n = read(fd[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			text_add(&t, buf, (size_t)n);
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (t.oom || !WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(err, errlen, t.oom ? _("out of memory")
			 : WIFEXITED(status) && WEXITSTATUS(status) == 127
			 ? _("pdftotext (Debian package poppler-utils) is needed to read the text of %s")
			 : _("%s: its text cannot be read (pdftotext failed)"), path);
		free(t.s);
		return NULL;
	}
	return t.s ? t.s : strdup("");
}

int
cj__sheet_pdf_lines(const char *path, sheet_line **out, size_t *n, char *err, size_t errlen)
{
	char *all = pdftotext(path, err, errlen), *p, *nl;
	size_t cap = 0;
	int page = 1;

	*out = NULL;
	*n = 0;
	if (!all)
		return -1;
	for (p = all; *p; p = nl + 1) {
		sheet_line l;
		char *e;

		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p) - 1;
		for (; *p == '\f'; p++)
			page++;
		e = nl[0] == '\n' ? nl : nl + 1;
		while (e > p && isspace((unsigned char)e[-1]))
			e--;
		if (e == p)
			continue;
		l.page = page;
		if (!(l.text = strndup(p, (size_t)(e - p))) || push(out, n, &cap, &l, sizeof l)) {
			free(l.text);
			cj__sheet_lines_free(*out, *n);
			*out = NULL;
			*n = 0;
			free(all);
			snprintf(err, errlen, _("out of memory"));
			return -1;
		}
	}
	free(all);
	return 0;
}

void
cj__sheet_lines_free(sheet_line *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i].text);
	free(l);
}
