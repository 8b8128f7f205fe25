/*
 * layout.c - finding and parsing the statement layout files
 *
 * A layout is plain text, one statement line per file line (the format is
 * in the files' headers and docs/reports.md).  Files are looked up at run
 * time, so a corrected official format is an edit, not a recompile:
 * $CUNJI_LAYOUTS (a directory, or "builtin"), the source tree the library was built from
 * (CUNJI_LAYOUT_DIR), layouts/ next to the binary or ../share/cunji/layouts
 * from it, and last the copy embedded at build time (layouts_embedded.c,
 * written by embed_layouts.cmake), so that a moved binary still works.
 *
 * SPDX-License-Identifier: MIT
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ledger/grow.h>
#include <reports/statements.h>
#include <ledger/i18n.h>

#include "statements_internal.h"

typedef struct cj__layout_file {
	const char *name;
	const char *text;
} cj__layout_file;

/* layouts_embedded.c, generated */
extern const cj__layout_file cj__layout_files[];

#ifndef CUNJI_LAYOUT_DIR
#define CUNJI_LAYOUT_DIR ""
#endif

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		size_t n;

		if (cap - len < 4096 && cj_grow((void **)&buf, &cap, len + 4096, 1)) {
			free(buf);
			fclose(f);
			return NULL;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

static char *
try_dir(const char *dir, const char *name, char *path, size_t size)
{
	if (!dir || !*dir)
		return NULL;
	snprintf(path, size, "%s/%s", dir, name);
	return read_file(path);
}

int
cj_layout_text(const char *name, char **text, const char **origin, char *origin_buf,
	       size_t origin_size)
{
	char exe[PATH_MAX], dir[PATH_MAX + 32];
	const char *env;
	ssize_t n;

	*text = NULL;
	*origin = origin_buf;
	env = getenv("CUNJI_LAYOUTS");
	if (env && !strcmp(env, "builtin"))
		goto builtin; /* what a binary moved away from its layouts sees */
	if ((*text = try_dir(env, name, origin_buf, origin_size)))
		return 0;
	if ((*text = try_dir(CUNJI_LAYOUT_DIR, name, origin_buf, origin_size)))
		return 0;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')))
			*slash = '\0';
		snprintf(dir, sizeof dir, "%s/layouts", exe);
		if ((*text = try_dir(dir, name, origin_buf, origin_size)))
			return 0;
		snprintf(dir, sizeof dir, "%s/../share/cunji/layouts", exe);
		if ((*text = try_dir(dir, name, origin_buf, origin_size)))
			return 0;
	}
builtin:
	for (const cj__layout_file *f = cj__layout_files; f->name; f++)
		if (!strcmp(f->name, name)) {
			*text = strdup(f->text);
			*origin = "built-in";
			return *text ? 0 : -1;
		}
	return -4; /* CJ_ENOTFOUND */
}

/* ---- parsing ---- */

typedef struct parser {
	const char *file;
	int lineno;
	char *err;
	size_t errlen;
} parser;

static int
perr(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
perr(parser *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, _("layout %s, line %d: %s"), p->file, p->lineno, msg);
	return -1;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* Split on '|' into at most max fields; returns the count. */
static int
split(char *s, char **fields, int max)
{
	int n = 0;

	for (;;) {
		char *bar = strchr(s, '|');

		if (n == max)
			return n + 1; /* too many */
		if (bar)
			*bar = '\0';
		fields[n++] = trim(s);
		if (!bar)
			return n;
		s = bar + 1;
	}
}

static int
parse_code(parser *p, const char **s, char out[16])
{
	size_t n = 0;

	while (isdigit((unsigned char)**s)) {
		if (n == 15)
			return perr(p, "account code too long");
		out[n++] = *(*s)++;
	}
	out[n] = '\0';
	if (n < 3)
		return perr(p, "'%s' is not an account code (3 digits or more)", out);
	return 0;
}

static int
parse_formula(parser *p, const char *s, lay_kind kind, lay_term **out, size_t *nout)
{
	lay_term *terms = NULL;
	size_t n = 0, cap = 0;

	*out = NULL;
	*nout = 0;
	while (*s == ' ')
		s++;
	if (!*s)
		return perr(p, "empty formula");
	while (*s) {
		lay_term t;

		memset(&t, 0, sizeof t);
		t.sign = 1;
		if (*s == '+' || *s == '-') {
			t.sign = *s == '-' ? -1 : 1;
			s++;
		} else if (n) {
			free(terms);
			return perr(p, "expected + or - before '%s'", s);
		}
		while (*s == ' ')
			s++;
		if (*s == 'L') {
			char *end;
			long v;

			errno = 0;
			v = strtol(s + 1, &end, 10);
			if (end == s + 1 || errno || v <= 0 || v > 9999) {
				free(terms);
				return perr(p, "'%s': L must be followed by a line number", s);
			}
			t.line = (int)v;
			s = end;
		} else {
			if (parse_code(p, &s, t.code)) {
				free(terms);
				return -1;
			}
			if (*s == '.') {
				static const struct {
					const char *name;
					lay_measure m;
				} ms[] = {{"bal", M_BAL},     {"open", M_OPEN},     {"dr", M_DR},
					  {"cr", M_CR},       {"debit", M_DEBIT},   {"credit", M_CREDIT},
					  {"flow", M_FLOW}};
				size_t len = 0;
				int found = 0;

				s++;
				while (isalpha((unsigned char)s[len]))
					len++;
				for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++)
					if (strlen(ms[i].name) == len && !strncmp(s, ms[i].name, len)) {
						t.m = ms[i].m;
						found = 1;
					}
				if (!found) {
					free(terms);
					return perr(p, "unknown measure '.%.*s' (bal, open, dr, cr, debit, "
						       "credit, flow)",
						    (int)len, s);
				}
				s += len;
			}
			if (kind == LAY_BALANCE && (t.m == M_DEBIT || t.m == M_CREDIT || t.m == M_FLOW)) {
				free(terms);
				return perr(p, "a balance sheet shows balances: .debit, .credit and .flow "
					       "belong in an income statement");
			}
			if (*s == '@') {
				s++;
				if (t.m != M_DEBIT && t.m != M_CREDIT && t.m != M_FLOW &&
				    !(kind == LAY_INCOME && t.m == M_DEFAULT)) {
					free(terms);
					return perr(p, "@CODE applies to postings (.debit, .credit, .flow)");
				}
				if (parse_code(p, &s, t.with)) {
					free(terms);
					return -1;
				}
			}
		}
		while (*s == ' ')
			s++;
		if (cj_grow((void **)&terms, &cap, n + 1, sizeof *terms)) {
			free(terms);
			return perr(p, "out of memory");
		}
		terms[n++] = t;
	}
	*out = terms;
	*nout = n;
	return 0;
}

static int
parse_side(parser *p, const char *s, int *side)
{
	if (!strcmp(s, "D"))
		*side = 1;
	else if (!strcmp(s, "C"))
		*side = -1;
	else
		return perr(p, "side '%s' must be D or C", s);
	return 0;
}

static const lay_line *
find_line(const layout *l, int no)
{
	for (size_t i = 0; i < l->nlines; i++)
		if (l->lines[i].no == no)
			return &l->lines[i];
	return NULL;
}

static int
parse_line(parser *p, layout *l, char *s)
{
	char *f[8];
	int n = split(s, f, 6);
	lay_line *line;
	char *end;
	long no = 0, level;

	if (n == 5 && !strcmp(f[1], "head"))
		f[n++] = (char *)"";
	if (n != 6)
		return perr(p, "expected NO | KIND | LEVEL | SIDE | LABEL | FORMULA");
	if (cj_grow((void **)&l->lines, &l->linecap, l->nlines + 1, sizeof *l->lines))
		return perr(p, "out of memory");
	line = &l->lines[l->nlines];
	memset(line, 0, sizeof *line);
	line->lineno = p->lineno;
	if (!strcmp(f[1], "line"))
		line->kind = CJ_ROW_DATA;
	else if (!strcmp(f[1], "sub"))
		line->kind = CJ_ROW_SUBTOTAL;
	else if (!strcmp(f[1], "total"))
		line->kind = CJ_ROW_TOTAL;
	else if (!strcmp(f[1], "head"))
		line->kind = CJ_ROW_HEADING;
	else
		return perr(p, "kind '%s' must be line, sub, total or head", f[1]);
	level = strtol(f[2], &end, 10);
	if (*end || end == f[2] || level < 0 || level > 4)
		return perr(p, "level '%s' must be 0 to 4", f[2]);
	line->level = (int)level;
	if (!*f[4])
		return perr(p, "a line needs a label");
	snprintf(line->label, sizeof line->label, "%s", f[4]);
	if (line->kind == CJ_ROW_HEADING) {
		if (strcmp(f[0], "-") || strcmp(f[3], "-") || *f[5])
			return perr(p, "a heading has no number, side or formula: - | head | LEVEL | - "
				       "| LABEL |");
		l->nlines++;
		return 0;
	}
	no = strtol(f[0], &end, 10);
	if (*end || end == f[0] || no <= 0 || no > 9999)
		return perr(p, "'%s' is not a line number (行次)", f[0]);
	if (find_line(l, (int)no))
		return perr(p, "line number %ld is used twice", no);
	line->no = (int)no;
	if (parse_side(p, f[3], &line->side) ||
	    parse_formula(p, f[5], l->kind, &line->terms, &line->nterms))
		return -1;
	l->nlines++;
	/* a line may only use lines above it, so one pass computes them all */
	for (size_t i = 0; i < line->nterms; i++)
		if (line->terms[i].line) {
			const lay_line *ref = find_line(l, line->terms[i].line);

			if (!ref || ref == line)
				return perr(p, "L%d is not a line above this one", line->terms[i].line);
		}
	return 0;
}

static int
check_refs(parser *p, const layout *l, const lay_term *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].line && !find_line(l, t[i].line))
			return perr(p, "no line L%d", t[i].line);
	return 0;
}

static int
parse_check(parser *p, layout *l, char *s)
{
	char *f[8];
	int n = split(s, f, 5);
	lay_check *c;

	if (n != 5)
		return perr(p, "expected check | SIDE | FORMULA | FORMULA | MESSAGE");
	if (cj_grow((void **)&l->checks, &l->checkcap, l->nchecks + 1, sizeof *l->checks))
		return perr(p, "out of memory");
	c = &l->checks[l->nchecks];
	memset(c, 0, sizeof *c);
	c->lineno = p->lineno;
	snprintf(c->message, sizeof c->message, "%s", f[4]);
	l->nchecks++;
	if (parse_side(p, f[1], &c->side) ||
	    parse_formula(p, f[2], l->kind, &c->left, &c->nleft) ||
	    parse_formula(p, f[3], l->kind, &c->right, &c->nright) ||
	    check_refs(p, l, c->left, c->nleft) || check_refs(p, l, c->right, c->nright))
		return -1;
	return 0;
}

static int
parse(parser *p, layout *l, char *text)
{
	int have_kind = 0;
	char *s = text;

	while (s && *s) {
		char *nl = strchr(s, '\n'), *line;

		if (nl)
			*nl = '\0';
		p->lineno++;
		line = trim(s);
		s = nl ? nl + 1 : NULL;
		if (!*line || *line == '#')
			continue;
		if (!strncmp(line, "title ", 6)) {
			snprintf(l->title, sizeof l->title, "%s", trim(line + 6));
		} else if (!strncmp(line, "code ", 5)) {
			snprintf(l->code, sizeof l->code, "%s", trim(line + 5));
		} else if (!strncmp(line, "kind ", 5)) {
			const char *k = trim(line + 5);

			if (!strcmp(k, "balance"))
				l->kind = LAY_BALANCE;
			else if (!strcmp(k, "income"))
				l->kind = LAY_INCOME;
			else
				return perr(p, "kind '%s' must be balance or income", k);
			if (l->nlines)
				return perr(p, "kind must come before the lines");
			have_kind = 1;
		} else if (!strncmp(line, "check", 5) && (line[5] == ' ' || line[5] == '|')) {
			if (parse_check(p, l, line))
				return -1;
		} else if (isdigit((unsigned char)*line) || *line == '-') {
			if (!have_kind)
				return perr(p, "kind balance|income must come before the lines");
			if (parse_line(p, l, line))
				return -1;
		} else {
			return perr(p, "cannot read '%.40s'", line);
		}
	}
	if (!l->title[0])
		return perr(p, "no title");
	if (!l->nlines)
		return perr(p, "no lines");
	return 0;
}

int
cj__layout_load(const char *name, layout *out, char *err, size_t errlen)
{
	char *text;
	const char *origin;
	parser p;
	int rc;

	memset(out, 0, sizeof *out);
	if (cj_layout_text(name, &text, &origin, out->origin, sizeof out->origin)) {
		snprintf(err, errlen, _("layout %s not found (set CUNJI_LAYOUTS to its directory)"), name);
		return -1;
	}
	if (origin != out->origin)
		snprintf(out->origin, sizeof out->origin, "%s (%s)", name, origin);
	p.file = out->origin;
	p.lineno = 0;
	p.err = err;
	p.errlen = errlen;
	rc = parse(&p, out, text);
	free(text);
	if (rc)
		cj__layout_free(out);
	return rc;
}

void
cj__layout_free(layout *l)
{
	for (size_t i = 0; i < l->nlines; i++)
		free(l->lines[i].terms);
	for (size_t i = 0; i < l->nchecks; i++) {
		free(l->checks[i].left);
		free(l->checks[i].right);
	}
	free(l->lines);
	free(l->checks);
	l->lines = NULL;
	l->checks = NULL;
	l->nlines = l->nchecks = l->linecap = l->checkcap = 0;
}
