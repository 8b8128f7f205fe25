/*
 * xlsx.c - the first worksheet of an XLSX file, one row at a time
 *
 * An XLSX file is a zip (read with libzip) of XML parts (parsed with expat):
 *
 *   _rels/.rels                 -> the workbook part (usually xl/workbook.xml)
 *   xl/workbook.xml             -> the sheets in order, date1904
 *   xl/_rels/workbook.xml.rels  -> each sheet's part, the shared strings, the styles
 *   xl/sharedStrings.xml        -> the strings cells refer to by index (held in memory)
 *   xl/styles.xml               -> which cell styles are dates (numFmt of each cellXfs/xf)
 *   xl/worksheets/sheet1.xml    -> the rows, streamed
 *
 * The small parts are read whole at open.  The worksheet is inflated in
 * 64 KiB chunks straight into expat's buffer; the parser is suspended
 * (XML_StopParser, resumable) at the end of every non-empty row, so only
 * that row is held, whatever the size of the sheet.
 *
 * Everything the file says is distrusted: inflated bytes are counted against
 * a total and against the compressed size (a zip bomb), cells, rows, the
 * shared strings, styles, element depth and any single XML token are capped,
 * a DOCTYPE is refused (no entities at all), and every failure is a message.
 * Numbers are passed as the text the file stores; dates are computed from
 * the serial in integers.  Names are matched by local name, so both
 * transitional and strict OOXML namespaces read the same.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <zip.h>

#include <importers/xlsx.h>
#include <ledger/grow.h>
#include <ledger/i18n.h>

#define CHUNK 65536
#define MAX_COLS 16384                    /* XFD, as Excel */
#define MAX_ROWS 1048576                  /* as Excel */
#define MAX_CELL (1u << 20)               /* bytes of text in one cell */
#define MAX_ROW_BYTES (16u << 20)         /* bytes of text in one row */
#define MAX_SST_BYTES (64u << 20)         /* shared strings, all together */
#define MAX_SST_COUNT (1u << 22)
#define MAX_INFLATED ((uint64_t)1 << 30)  /* all parts together */
#define RATIO_FREE ((uint64_t)8 << 20)    /* a part may inflate this much at any ratio */
#define MAX_RATIO 200                     /* then no more than this many times its compressed size */
#define MAX_TOKEN (8u << 20)              /* bytes expat may buffer without an event */
#define MAX_DEPTH 64
#define MAX_XFS 65536
#define MAX_NUMFMTS 4096
#define MAX_RELS 4096
#define MAX_ATTR 1024                     /* a relationship target or id */
#define MAX_PATH_LEN 1024
#define NS_SEP '\x01'                     /* expat's namespace separator */

enum { KIND_GENERAL, KIND_DATE, KIND_TIME };

typedef struct sbuf {
	char *p;
	size_t len, cap;
} sbuf;

/* One XML part being parsed: the parser and what every handler shares. */
typedef struct part {
	struct cj_xlsx *x;
	XML_Parser parser;
	const char *name;
	zip_file_t *zf;
	uint64_t comp_size, inflated;
	unsigned long events;
	size_t since_event;
	int depth;
	int final_fed, suspended;
} part;

typedef struct rel {
	char *id, *type, *target;
} rel;

struct cj_xlsx {
	zip_t *zip;
	char err[320];
	int failed, done;
	uint64_t inflated_total;
	int date1904;
	const char *want;  /* the worksheet asked for (name or 1-based number), NULL: the first */
	char *sheet_title; /* the name of the worksheet read */

	/* shared strings: NUL-terminated texts in one buffer */
	sbuf sst;
	uint32_t *sst_off;
	size_t sst_n, sst_cap;

	/* cell style index -> KIND_* */
	unsigned char *xf_kind;
	size_t nxf;

	/* the worksheet stream */
	part sheet;
	int in_sheetdata, in_row, in_cell, in_v, in_is, in_t, in_rph;
	size_t row_no, last_row;
	size_t col, last_col;
	int cell_type; /* CT_* */
	size_t cell_style;
	sbuf cell;

	/* the current row: texts in rowbuf, field i at offs[i] (SIZE_MAX: empty) */
	sbuf rowbuf;
	size_t *offs;
	const char **fields;
	size_t nfields, cap_fields;
	int row_ready;
};

enum { CT_NUMBER, CT_SHARED, CT_INLINE, CT_STR, CT_BOOL, CT_ERROR, CT_DATE };

/* ------------------------------------------------------------------------ */
/* errors and small helpers */

static void fail(cj_xlsx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
fail(cj_xlsx *x, const char *fmt, ...)
{
	va_list ap;

	if (x->failed)
		return;
	x->failed = 1;
	va_start(ap, fmt);
	vsnprintf(x->err, sizeof x->err, fmt, ap);
	va_end(ap);
}

/* Stop the parser of p for good after a failure recorded with fail(). */
static void
abort_part(part *p)
{
	if (p->parser)
		XML_StopParser(p->parser, XML_FALSE);
}

static int
sbuf_add(sbuf *b, const char *s, size_t n, size_t limit)
{
	if (n > limit || b->len > limit - n)
		return -1;
	if (cj_grow((void **)&b->p, &b->cap, b->len + n + 1, 1))
		return -2;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static const char *
local_name(const char *name)
{
	const char *sep = strrchr(name, NS_SEP);

	return sep ? sep + 1 : name;
}

/* An attribute by local name; with_ns: only one in a namespace (r:id). */
static const char *
attr(const char **atts, const char *name, int with_ns)
{
	for (size_t i = 0; atts[i]; i += 2) {
		const char *sep = strrchr(atts[i], NS_SEP);
		const char *local = sep ? sep + 1 : atts[i];
		if ((sep != NULL) == (with_ns != 0) && !strcmp(local, name))
			return atts[i + 1];
	}
	return NULL;
}

/* A non-negative decimal integer, at most max; -1 when not one. */
static int64_t
parse_uint(const char *s, int64_t max)
{
	int64_t v = 0;

	while (*s == ' ')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	while (*s == ' ')
		s++;
	return *s ? -1 : v;
}

static void
col_name(char out[8], size_t col)
{
	char tmp[8];
	int n = 0;

	while (col > 0 && n < 7) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

/* ------------------------------------------------------------------------ */
/* reading parts */

static int
part_open(cj_xlsx *x, part *p, const char *name)
{
	zip_int64_t idx = zip_name_locate(x->zip, name, ZIP_FL_NOCASE);
	zip_stat_t st;

	memset(p, 0, sizeof *p);
	p->x = x;
	p->name = name;
	if (idx < 0) {
		fail(x, "the workbook has no part %s", name);
		return -1;
	}
	zip_stat_init(&st);
	if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_COMP_SIZE))
		p->comp_size = st.comp_size;
	p->zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
	if (!p->zf) {
		zip_error_t *ze = zip_get_error(x->zip);
		int code = zip_error_code_zip(ze);
		if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_ENCRNOTSUPP)
			fail(x, "part %s is encrypted; save the workbook without a password", name);
		else
			fail(x, "part %s cannot be read: %s", name, zip_error_strerror(ze));
		return -1;
	}
	return 0;
}

static void
part_close(part *p)
{
	if (p->zf)
		zip_fclose(p->zf);
	p->zf = NULL;
	if (p->parser)
		XML_ParserFree(p->parser);
	p->parser = NULL;
}

/* Inflate up to n bytes of the part; counts them against the caps. */
static zip_int64_t
part_read(part *p, void *buf, size_t n)
{
	cj_xlsx *x = p->x;
	zip_int64_t got = zip_fread(p->zf, buf, n);

	if (got < 0) {
		fail(x, "part %s is damaged: %s", p->name, zip_file_strerror(p->zf));
		return -1;
	}
	p->inflated += (uint64_t)got;
	x->inflated_total += (uint64_t)got;
	if (x->inflated_total > MAX_INFLATED) {
		fail(x, "more than %llu MiB uncompressed; not read (a zip bomb?)",
		     (unsigned long long)(MAX_INFLATED >> 20));
		return -1;
	}
	if (p->inflated > RATIO_FREE && p->inflated / (p->comp_size ? p->comp_size : 1) > MAX_RATIO) {
		fail(x, "part %s inflates more than %d times its compressed size; not read (a zip bomb?)",
		     p->name, MAX_RATIO);
		return -1;
	}
	return got;
}

static void XMLCALL
on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
	   int has_internal)
{
	part *p = ud;

	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal;
	fail(p->x, "part %s has a DOCTYPE, which a workbook never has", p->name);
	abort_part(p);
}

static void XMLCALL
on_comment(void *ud, const XML_Char *data)
{
	part *p = ud;

	(void)data;
	p->events++;
}

static void XMLCALL
on_pi(void *ud, const XML_Char *target, const XML_Char *data)
{
	part *p = ud;

	(void)target;
	(void)data;
	p->events++;
}

/* Common to every start handler: count the event, cap the depth. */
static int
enter(part *p)
{
	p->events++;
	if (p->x->failed)
		return -1;
	if (++p->depth > MAX_DEPTH) {
		fail(p->x, "part %s nests elements more than %d deep", p->name, MAX_DEPTH);
		abort_part(p);
		return -1;
	}
	return 0;
}

static int
part_parser(part *p, XML_StartElementHandler start, XML_EndElementHandler end,
	    XML_CharacterDataHandler text)
{
	p->parser = XML_ParserCreateNS(NULL, NS_SEP);
	if (!p->parser) {
		fail(p->x, "out of memory");
		return -1;
	}
	XML_SetUserData(p->parser, p);
	XML_SetElementHandler(p->parser, start, end);
	if (text)
		XML_SetCharacterDataHandler(p->parser, text);
	XML_SetStartDoctypeDeclHandler(p->parser, on_doctype);
	XML_SetCommentHandler(p->parser, on_comment);
	XML_SetProcessingInstructionHandler(p->parser, on_pi);
	return 0;
}

/*
 * Feed the part to its parser until it ends (1 when the handlers suspended
 * it, 0 at the end, -1 on error).  Resumes a suspended parser first.
 */
static int
part_pump(part *p)
{
	cj_xlsx *x = p->x;

	for (;;) {
		enum XML_Status st;
		unsigned long before = p->events;
		zip_int64_t n = 0;

		if (x->failed)
			return -1;
		if (p->suspended) {
			p->suspended = 0;
			st = XML_ResumeParser(p->parser);
		} else if (p->final_fed) {
			return 0;
		} else {
			void *buf = XML_GetBuffer(p->parser, CHUNK);
			if (!buf) {
				fail(x, "part %s: out of memory", p->name);
				return -1;
			}
			n = part_read(p, buf, CHUNK);
			if (n < 0)
				return -1;
			p->final_fed = n == 0;
			st = XML_ParseBuffer(p->parser, (int)n, n == 0);
		}
		if (st == XML_STATUS_ERROR) {
			if (!x->failed)
				fail(x, "part %s is not well-formed XML: %s at line %lu", p->name,
				     XML_ErrorString(XML_GetErrorCode(p->parser)),
				     (unsigned long)XML_GetCurrentLineNumber(p->parser));
			return -1;
		}
		if (x->failed)
			return -1;
		p->since_event = p->events == before ? p->since_event + (size_t)n : 0;
		if (p->since_event > MAX_TOKEN) {
			fail(x, "part %s has a single XML token over %u MiB", p->name, MAX_TOKEN >> 20);
			return -1;
		}
		if (st == XML_STATUS_SUSPENDED) {
			p->suspended = 1;
			return 1;
		}
	}
}

/* Read a whole small part through the given handlers. */
static int
parse_part(cj_xlsx *x, part *p, const char *name, XML_StartElementHandler start,
	   XML_EndElementHandler end, XML_CharacterDataHandler text)
{
	int rc;

	if (part_open(x, p, name) || part_parser(p, start, end, text)) {
		part_close(p);
		return -1;
	}
	rc = part_pump(p);
	part_close(p);
	return rc < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------------ */
/* relationships (_rels/.rels, xl/_rels/workbook.xml.rels) */

typedef struct rels_ctx {
	part p;
	rel *rels;
	size_t n, cap;
	int oom;
} rels_ctx;

static char *
dup_capped(const char *s)
{
	size_t n = strnlen(s, MAX_ATTR + 1);

	if (n > MAX_ATTR)
		return NULL;
	return strndup(s, n);
}

static void XMLCALL
rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	rels_ctx *r = ud;
	const char *id, *type, *target, *mode;
	rel *nr;

	if (enter(&r->p))
		return;
	if (strcmp(local_name(name), "Relationship"))
		return;
	id = attr(atts, "Id", 0);
	type = attr(atts, "Type", 0);
	target = attr(atts, "Target", 0);
	mode = attr(atts, "TargetMode", 0);
	if (!id || !type || !target || (mode && !strcmp(mode, "External")))
		return;
	if (r->n >= MAX_RELS) {
		fail(r->p.x, "part %s has more than %d relationships", r->p.name, MAX_RELS);
		abort_part(&r->p);
		return;
	}
	if (cj_grow((void **)&r->rels, &r->cap, r->n + 1, sizeof *r->rels)) {
		fail(r->p.x, "out of memory");
		abort_part(&r->p);
		return;
	}
	nr = r->rels;
	nr[r->n].id = dup_capped(id);
	nr[r->n].type = dup_capped(type);
	nr[r->n].target = dup_capped(target);
	if (!nr[r->n].id || !nr[r->n].type || !nr[r->n].target) {
		free(nr[r->n].id);
		free(nr[r->n].type);
		free(nr[r->n].target);
		return; /* absurdly long: not a relationship we use */
	}
	r->n++;
}

static void XMLCALL
any_end(void *ud, const XML_Char *name)
{
	part *p = ud;

	(void)name;
	p->events++;
	p->depth--;
}

static void
rels_free(rels_ctx *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->rels[i].id);
		free(r->rels[i].type);
		free(r->rels[i].target);
	}
	free(r->rels);
	r->rels = NULL;
	r->n = 0;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static const rel *
rel_by_type(const rels_ctx *r, const char *type_suffix)
{
	for (size_t i = 0; i < r->n; i++)
		if (ends_with(r->rels[i].type, type_suffix))
			return &r->rels[i];
	return NULL;
}

static const rel *
rel_by_id(const rels_ctx *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->rels[i].id, id))
			return &r->rels[i];
	return NULL;
}

/*
 * The part a relationship target names, from the part that holds it:
 * "worksheets/sheet1.xml" from "xl/workbook.xml" is "xl/worksheets/sheet1.xml";
 * "/xl/x.xml" is absolute; ".." and "." are resolved.  -1 when it escapes the
 * root or is too long.
 */
static int
resolve_target(char out[MAX_PATH_LEN], const char *source, const char *target)
{
	char tmp[2 * MAX_PATH_LEN + 2];
	size_t base = 0, o = 0;
	const char *s;

	if (target[0] == '/') {
		target++;
	} else {
		const char *slash = strrchr(source, '/');
		base = slash ? (size_t)(slash - source) + 1 : 0;
	}
	if (base + strlen(target) + 1 > sizeof tmp)
		return -1;
	memcpy(tmp, source, base);
	strcpy(tmp + base, target);
	/* normalise segment by segment */
	s = tmp;
	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 0 || (n == 1 && s[0] == '.')) {
			/* skip */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			if (o == 0)
				return -1;
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--; /* the slash before the removed segment */
		} else {
			if (o + (o ? 1 : 0) + n + 1 > MAX_PATH_LEN)
				return -1;
			if (o)
				out[o++] = '/';
			memcpy(out + o, s, n);
			o += n;
		}
		s += n;
		if (*s == '/')
			s++;
	}
	out[o] = '\0';
	return o ? 0 : -1;
}

static int
read_rels(cj_xlsx *x, rels_ctx *r, const char *name)
{
	memset(r, 0, sizeof *r);
	return parse_part(x, &r->p, name, rels_start, any_end, NULL);
}

/* ------------------------------------------------------------------------ */
/* workbook.xml: date1904 and the sheets' relationship ids in order */

typedef struct book_ctx {
	part p;
	char **ids, **names;
	size_t n, cap, ncap;
} book_ctx;

static void XMLCALL
book_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	book_ctx *b = ud;
	const char *local = local_name(name), *v;

	if (enter(&b->p))
		return;
	if (!strcmp(local, "workbookPr")) {
		v = attr(atts, "date1904", 0);
		b->p.x->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
	} else if (!strcmp(local, "sheet") && b->n < MAX_RELS) {
		const char *title = attr(atts, "name", 0);
		v = attr(atts, "id", 1);
		if (!v)
			return;
		if (cj_grow((void **)&b->ids, &b->cap, b->n + 1, sizeof *b->ids) ||
		    cj_grow((void **)&b->names, &b->ncap, b->n + 1, sizeof *b->names)) {
			fail(b->p.x, "out of memory");
			abort_part(&b->p);
			return;
		}
		if ((b->ids[b->n] = dup_capped(v)) != NULL) {
			b->names[b->n] = dup_capped(title ? title : "");
			b->n++;
		}
	}
}

/* ------------------------------------------------------------------------ */
/* styles.xml: which cellXfs are dates or times */

typedef struct numfmt {
	uint32_t id;
	unsigned char kind;
} numfmt;

typedef struct style_ctx {
	part p;
	int in_cellxfs;
	numfmt *fmts;
	size_t nfmts, fmtcap;
	uint32_t *xf_fmt;
	size_t nxf, xfcap;
} style_ctx;

/*
 * A custom number format is a date when, outside quoted text, escapes and
 * [brackets], it has y or d (or m without h or s: "mmm"); a time when it has
 * h or s and no date part ([h]:mm elapsed time too).
 */
static unsigned char
classify_format(const char *f)
{
	int date = 0, time = 0, month = 0;

	for (; *f; f++) {
		switch (*f) {
		case '"':
			f = strchr(f + 1, '"');
			if (!f)
				return (unsigned char)(date ? KIND_DATE : time ? KIND_TIME : month ? KIND_DATE : KIND_GENERAL);
			break;
		case '\\':
		case '_':
		case '*':
			if (f[1])
				f++;
			break;
		case '[': {
			const char *e = strchr(f, ']');
			if (!e)
				return KIND_GENERAL;
			if (strspn(f + 1, "hHmMsS") == (size_t)(e - f - 1) && e > f + 1)
				time = 1;
			f = e;
			break;
		}
		case 'y': case 'Y': case 'd': case 'D':
			date = 1;
			break;
		case 'h': case 'H': case 's': case 'S':
			time = 1;
			break;
		case 'm': case 'M':
			month = 1;
			break;
		default:
			break;
		}
	}
	if (date)
		return KIND_DATE;
	if (time)
		return KIND_TIME;
	return month ? KIND_DATE : KIND_GENERAL;
}

/* Built-in formats: 14-17 and 22 dates, 18-21 and 45-47 times; in CJK
 * locales 27-31, 36 and 50-58 are dates, 32-35 times. */
static unsigned char
builtin_kind(uint32_t id)
{
	if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || id == 36 ||
	    (id >= 50 && id <= 58))
		return KIND_DATE;
	if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || (id >= 45 && id <= 47))
		return KIND_TIME;
	return KIND_GENERAL;
}

static void XMLCALL
style_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	style_ctx *s = ud;
	const char *local = local_name(name);
	int64_t id;

	if (enter(&s->p))
		return;
	if (!strcmp(local, "cellXfs")) {
		s->in_cellxfs = 1;
	} else if (!strcmp(local, "numFmt")) {
		const char *code = attr(atts, "formatCode", 0);
		id = parse_uint(attr(atts, "numFmtId", 0) ? attr(atts, "numFmtId", 0) : "", UINT32_MAX);
		if (id < 0 || !code || s->nfmts >= MAX_NUMFMTS)
			return;
		if (cj_grow((void **)&s->fmts, &s->fmtcap, s->nfmts + 1, sizeof *s->fmts)) {
			fail(s->p.x, "out of memory");
			abort_part(&s->p);
			return;
		}
		s->fmts[s->nfmts].id = (uint32_t)id;
		s->fmts[s->nfmts].kind = classify_format(code);
		s->nfmts++;
	} else if (!strcmp(local, "xf") && s->in_cellxfs) {
		const char *v = attr(atts, "numFmtId", 0);
		if (s->nxf >= MAX_XFS) {
			fail(s->p.x, "part %s has more than %d cell styles", s->p.name, MAX_XFS);
			abort_part(&s->p);
			return;
		}
		id = v ? parse_uint(v, UINT32_MAX) : 0;
		if (cj_grow((void **)&s->xf_fmt, &s->xfcap, s->nxf + 1, sizeof *s->xf_fmt)) {
			fail(s->p.x, "out of memory");
			abort_part(&s->p);
			return;
		}
		s->xf_fmt[s->nxf++] = id < 0 ? 0 : (uint32_t)id;
	}
}

static void XMLCALL
style_end(void *ud, const XML_Char *name)
{
	style_ctx *s = ud;

	any_end(&s->p, name);
	if (!strcmp(local_name(name), "cellXfs"))
		s->in_cellxfs = 0;
}

static int
numfmt_cmp(const void *a, const void *b)
{
	const numfmt *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int
read_styles(cj_xlsx *x, const char *name)
{
	style_ctx s;
	int rc;

	memset(&s, 0, sizeof s);
	rc = parse_part(x, &s.p, name, style_start, style_end, NULL);
	if (!rc && s.nxf) {
		if (s.nfmts)
			qsort(s.fmts, s.nfmts, sizeof *s.fmts, numfmt_cmp);
		x->xf_kind = malloc(s.nxf);
		if (!x->xf_kind) {
			fail(x, "out of memory");
			rc = -1;
		} else {
			x->nxf = s.nxf;
			for (size_t i = 0; i < s.nxf; i++) {
				numfmt key = {s.xf_fmt[i], 0};
				const numfmt *f = s.nfmts ? bsearch(&key, s.fmts, s.nfmts, sizeof *s.fmts,
								    numfmt_cmp)
							  : NULL;
				x->xf_kind[i] = f ? f->kind : builtin_kind(s.xf_fmt[i]);
			}
		}
	}
	free(s.fmts);
	free(s.xf_fmt);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* strings: _xHHHH_ escapes, the shared strings table */

static int
hex4(const char *s, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t
put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Decode OOXML's _xHHHH_ escapes (a UTF-16 unit; _x005F_ is '_') in place.
 * Every escape is 7 bytes and its UTF-8 at most 3 (4 for a surrogate pair of
 * 14), so the text only shrinks.  A lone surrogate or a NUL stays as written.
 */
static size_t
decode_escapes(char *s, size_t n)
{
	size_t i = 0, o = 0;

	if (!memchr(s, '_', n))
		return n;
	while (i < n) {
		unsigned u, lo;
		if (s[i] == '_' && i + 7 <= n && s[i + 1] == 'x' && s[i + 6] == '_' &&
		    !hex4(s + i + 2, &u) && u != 0) {
			if (u >= 0xD800 && u <= 0xDBFF && i + 14 <= n && s[i + 7] == '_' &&
			    s[i + 8] == 'x' && s[i + 13] == '_' && !hex4(s + i + 9, &lo) && lo >= 0xDC00 &&
			    lo <= 0xDFFF) {
				o += put_utf8(s + o, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
				i += 14;
				continue;
			}
			if (u < 0xD800 || u > 0xDFFF) {
				o += put_utf8(s + o, u);
				i += 7;
				continue;
			}
		}
		s[o++] = s[i++];
	}
	s[o] = '\0';
	return o;
}

typedef struct sst_ctx {
	part p;
	int in_si, in_t, in_rph;
	sbuf item;
} sst_ctx;

static void XMLCALL
sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	sst_ctx *s = ud;
	const char *local = local_name(name);

	(void)atts;
	if (enter(&s->p))
		return;
	if (!strcmp(local, "si")) {
		s->in_si = 1;
		s->in_rph = 0;
		s->item.len = 0;
		if (s->item.p)
			s->item.p[0] = '\0';
	} else if (!strcmp(local, "rPh")) {
		s->in_rph = 1;
	} else if (!strcmp(local, "t") && s->in_si && !s->in_rph) {
		s->in_t = 1;
	}
}

static void XMLCALL
sst_text(void *ud, const XML_Char *text, int len)
{
	sst_ctx *s = ud;
	int rc;

	s->p.events++;
	if (!s->in_t || s->p.x->failed)
		return;
	rc = sbuf_add(&s->item, text, (size_t)len, MAX_CELL);
	if (rc) {
		fail(s->p.x, rc == -2 ? "out of memory"
				      : "shared string %zu is longer than 1 MiB",
		     s->p.x->sst_n);
		abort_part(&s->p);
	}
}

static void XMLCALL
sst_end(void *ud, const XML_Char *name)
{
	sst_ctx *s = ud;
	cj_xlsx *x = s->p.x;
	const char *local = local_name(name);

	any_end(&s->p, name);
	if (x->failed)
		return;
	if (!strcmp(local, "t")) {
		s->in_t = 0;
	} else if (!strcmp(local, "rPh")) {
		s->in_rph = 0;
	} else if (!strcmp(local, "si") && s->in_si) {
		size_t n = s->item.len ? decode_escapes(s->item.p, s->item.len) : 0;
		int rc;
		s->in_si = 0;
		if (x->sst_n >= MAX_SST_COUNT) {
			fail(x, "more than %u shared strings", MAX_SST_COUNT);
			abort_part(&s->p);
			return;
		}
		if (cj_grow((void **)&x->sst_off, &x->sst_cap, x->sst_n + 1, sizeof *x->sst_off)) {
			fail(x, "out of memory");
			abort_part(&s->p);
			return;
		}
		x->sst_off[x->sst_n] = (uint32_t)x->sst.len;
		rc = sbuf_add(&x->sst, s->item.p ? s->item.p : "", n, MAX_SST_BYTES);
		if (!rc)
			rc = sbuf_add(&x->sst, "", 1, MAX_SST_BYTES); /* the NUL between strings */
		if (rc) {
			fail(x, rc == -2 ? "out of memory" : "the shared strings exceed %u MiB",
			     MAX_SST_BYTES >> 20);
			abort_part(&s->p);
			return;
		}
		x->sst_n++;
	}
}

static int
read_sst(cj_xlsx *x, const char *name)
{
	sst_ctx s;
	int rc;

	memset(&s, 0, sizeof s);
	rc = parse_part(x, &s.p, name, sst_start, sst_end, sst_text);
	free(s.item.p);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* numbers and dates, in integers */

/*
 * A decimal text ("45678", "45678.25", "4.5678E4") as whole days and the
 * fraction of a day in 10^-12 units.  -1 when it is not a number, negative,
 * or too large.
 */
static int
parse_serial(const char *s, int64_t *days, uint64_t *frac12)
{
	char digits[48];
	int nd = 0, point = -1, exp = 0;
	int64_t d = 0;
	uint64_t f = 0;

	while (*s == ' ')
		s++;
	if (*s == '+')
		s++;
	for (; (*s >= '0' && *s <= '9') || *s == '.'; s++) {
		if (*s == '.') {
			if (point >= 0)
				return -1;
			point = nd;
		} else if (nd < (int)sizeof digits) {
			digits[nd++] = *s;
		} else {
			return -1;
		}
	}
	if (nd == 0)
		return -1;
	if (point < 0)
		point = nd;
	if (*s == 'e' || *s == 'E') {
		int sign = 1, e = 0, any = 0;
		s++;
		if (*s == '+' || *s == '-')
			sign = *s++ == '-' ? -1 : 1;
		for (; *s >= '0' && *s <= '9'; s++, any = 1)
			if ((e = e * 10 + (*s - '0')) > 400)
				return -1;
		if (!any)
			return -1;
		exp = sign * e;
	}
	while (*s == ' ')
		s++;
	if (*s)
		return -1;
	point += exp;
	if (point > 15)
		return -1;
	for (int i = 0; i < point; i++)
		d = d * 10 + (i < nd ? digits[i] - '0' : 0);
	for (int i = 0; i < 12; i++) {
		int k = point + i;
		f = f * 10 + (uint64_t)(k >= 0 && k < nd ? digits[k] - '0' : 0);
	}
	*days = d;
	*frac12 = f;
	return 0;
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static void
civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

/*
 * A serial as "YYYY-MM-DD" (1900 system: serial 1 is 1900-01-01, 60 the
 * 1900-02-29 that Excel believes in, 61 is 1900-03-01; 1904 system: serial 0
 * is 1904-01-01).  0 when written, -1 to keep the text as it is.
 */
static int
format_date(char out[16], int64_t serial, int date1904)
{
	int64_t days, y;
	unsigned m, d;

	if (date1904) {
		if (serial > 2957003)
			return -1;
		days = serial - 24107; /* 1904-01-01 is day -24107 */
	} else {
		if (serial > 2958465)
			return -1;
		if (serial == 0) {
			strcpy(out, "1900-01-00");
			return 0;
		}
		if (serial == 60) {
			strcpy(out, "1900-02-29");
			return 0;
		}
		/* 1899-12-31 is day -25568; from 61 on, one less for the phantom day */
		days = serial - 25568 - (serial > 60);
	}
	civil_from_days(days, &y, &m, &d);
	snprintf(out, 16, "%04d-%02u-%02u", (int)(y % 10000), m % 13, d % 32);
	return 0;
}

static void
format_time(char out[16], uint64_t frac12)
{
	/* round to the second: 10^12 units a day */
	uint64_t sec = (frac12 * 86400 + 500000000000ull) / 1000000000000ull;

	sec %= 86400;
	snprintf(out, 16, "%02u:%02u:%02u", (unsigned)(sec / 3600 % 24), (unsigned)(sec / 60 % 60),
		 (unsigned)(sec % 60));
}

/* ------------------------------------------------------------------------ */
/* the worksheet */

static int
row_put(cj_xlsx *x, size_t col, const char *text, size_t n)
{
	char cname[8];
	int rc;

	if (col > x->cap_fields) {
		/* two arrays of one capacity: it counts once both have grown */
		size_t cap = x->cap_fields, cap2 = x->cap_fields;
		if (cj_grow((void **)&x->offs, &cap, col, sizeof *x->offs) ||
		    cj_grow((void **)&x->fields, &cap2, col, sizeof *x->fields))
			return fail(x, "out of memory"), -1;
		x->cap_fields = cap;
	}
	while (x->nfields < col - 1)
		x->offs[x->nfields++] = SIZE_MAX;
	x->offs[x->nfields++] = x->rowbuf.len;
	rc = sbuf_add(&x->rowbuf, text, n, MAX_ROW_BYTES);
	if (!rc)
		rc = sbuf_add(&x->rowbuf, "", 1, MAX_ROW_BYTES);
	if (rc) {
		col_name(cname, col);
		fail(x, rc == -2 ? "out of memory" : "row %zu: more than %u MiB of text (at column %s)",
		     x->row_no, MAX_ROW_BYTES >> 20, cname);
		return -1;
	}
	return 0;
}

static const char *
trim(const char *s, size_t *n)
{
	while (*n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
		s++;
		(*n)--;
	}
	while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t' || s[*n - 1] == '\n' || s[*n - 1] == '\r'))
		(*n)--;
	return s;
}

/* The cell's value as text, into the row. */
static void
finish_cell(cj_xlsx *x)
{
	char buf[32], cname[8];
	size_t n = x->cell.len;
	const char *v = x->cell.p ? x->cell.p : "";
	int64_t idx, days;
	uint64_t frac;

	col_name(cname, x->col);
	switch (x->cell_type) {
	case CT_SHARED:
		v = trim(v, &n);
		if (n == 0)
			return;
		memcpy(buf, v, n < sizeof buf - 1 ? n : sizeof buf - 1);
		buf[n < sizeof buf - 1 ? n : sizeof buf - 1] = '\0';
		idx = n < sizeof buf - 1 ? parse_uint(buf, INT64_MAX / 2) : -1;
		if (idx < 0 || (uint64_t)idx >= x->sst_n) {
			fail(x, "cell %s%zu refers to shared string %.20s, which the workbook lacks",
			     cname, x->row_no, buf);
			return;
		}
		v = x->sst.p + x->sst_off[idx];
		n = strlen(v);
		break;
	case CT_INLINE:
	case CT_STR:
	case CT_ERROR:
		n = x->cell.len ? decode_escapes(x->cell.p, x->cell.len) : 0;
		break;
	case CT_BOOL:
		v = trim(v, &n);
		if (n == 1 && (v[0] == '0' || v[0] == '1')) {
			v = v[0] == '1' ? "TRUE" : "FALSE";
			n = strlen(v);
		}
		break;
	case CT_DATE:
		v = trim(v, &n);
		if (n > 10 && v[4] == '-' && v[7] == '-' && v[10] == 'T')
			n = 10;
		break;
	default: /* a number: its text, or a date or time by its style */
		v = trim(v, &n);
		if (n == 0)
			return;
		if (x->cell_style < x->nxf && x->xf_kind[x->cell_style] != KIND_GENERAL && n < 64) {
			char num[64];
			memcpy(num, v, n);
			num[n] = '\0';
			if (!parse_serial(num, &days, &frac)) {
				if (x->xf_kind[x->cell_style] == KIND_TIME) {
					format_time(buf, frac);
					v = buf;
					n = strlen(buf);
				} else if (!format_date(buf, days, x->date1904)) {
					v = buf;
					n = strlen(buf);
				}
			}
		}
		break;
	}
	if (n == 0)
		return;
	row_put(x, x->col, v, n);
}

/* "BC12" -> 55; 0 when the reference has no letters, -1 when out of range. */
static int64_t
ref_col(const char *r)
{
	int64_t c = 0;

	for (; (*r >= 'A' && *r <= 'Z') || (*r >= 'a' && *r <= 'z'); r++) {
		c = c * 26 + ((*r | 0x20) - 'a' + 1);
		if (c > MAX_COLS)
			return -1;
	}
	return c;
}

static void XMLCALL
sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	cj_xlsx *x = ((part *)ud)->x;
	const char *local = local_name(name), *v;

	if (enter(&x->sheet))
		return;
	if (!x->in_sheetdata) {
		x->in_sheetdata = !strcmp(local, "sheetData");
		return;
	}
	if (!x->in_row) {
		int64_t r;
		if (strcmp(local, "row"))
			return;
		v = attr(atts, "r", 0);
		r = v ? parse_uint(v, MAX_ROWS) : (int64_t)x->last_row + 1;
		if (r < 1 || r > MAX_ROWS) {
			fail(x, "a row numbered '%.20s' (rows are 1 to %d)", v ? v : "", MAX_ROWS);
			abort_part(&x->sheet);
			return;
		}
		if ((size_t)r <= x->last_row) {
			fail(x, "row %lld comes after row %zu; rows must be in order", (long long)r,
			     x->last_row);
			abort_part(&x->sheet);
			return;
		}
		x->in_row = 1;
		x->row_no = (size_t)r;
		x->nfields = 0;
		x->rowbuf.len = 0;
		x->last_col = 0;
		return;
	}
	if (!x->in_cell) {
		int64_t c;
		const char *t;
		if (strcmp(local, "c"))
			return;
		v = attr(atts, "r", 0);
		c = v ? ref_col(v) : 0;
		if (c == 0)
			c = (int64_t)x->last_col + 1;
		if (c < 0 || c > MAX_COLS) {
			fail(x, "row %zu: a cell beyond column XFD (%d columns at most)", x->row_no,
			     MAX_COLS);
			abort_part(&x->sheet);
			return;
		}
		if ((size_t)c <= x->last_col) {
			char cname[8];
			col_name(cname, (size_t)c);
			fail(x, "row %zu: cell %s%zu is out of order", x->row_no, cname, x->row_no);
			abort_part(&x->sheet);
			return;
		}
		x->in_cell = 1;
		x->col = (size_t)c;
		x->cell.len = 0;
		if (x->cell.p)
			x->cell.p[0] = '\0';
		x->in_v = x->in_is = x->in_t = x->in_rph = 0;
		t = attr(atts, "t", 0);
		x->cell_type = !t || !strcmp(t, "n")   ? CT_NUMBER
			       : !strcmp(t, "s")         ? CT_SHARED
			       : !strcmp(t, "inlineStr") ? CT_INLINE
			       : !strcmp(t, "str")       ? CT_STR
			       : !strcmp(t, "b")         ? CT_BOOL
			       : !strcmp(t, "e")         ? CT_ERROR
			       : !strcmp(t, "d")         ? CT_DATE
							 : CT_STR;
		v = attr(atts, "s", 0);
		c = v ? parse_uint(v, MAX_XFS) : 0;
		x->cell_style = c < 0 ? 0 : (size_t)c;
		return;
	}
	if (!strcmp(local, "v")) {
		x->in_v = 1;
	} else if (!strcmp(local, "is")) {
		x->in_is = 1;
		x->cell_type = CT_INLINE;
	} else if (!strcmp(local, "rPh")) {
		x->in_rph = 1;
	} else if (!strcmp(local, "t") && x->in_is && !x->in_rph) {
		x->in_t = 1;
	}
}

static void XMLCALL
sheet_text(void *ud, const XML_Char *text, int len)
{
	cj_xlsx *x = ((part *)ud)->x;
	int rc;

	x->sheet.events++;
	if (x->failed || !x->in_cell || !(x->in_v || x->in_t))
		return;
	rc = sbuf_add(&x->cell, text, (size_t)len, MAX_CELL);
	if (rc) {
		char cname[8];
		col_name(cname, x->col);
		fail(x, rc == -2 ? "out of memory" : "cell %s%zu holds more than 1 MiB of text", cname,
		     x->row_no);
		abort_part(&x->sheet);
	}
}

static void XMLCALL
sheet_end(void *ud, const XML_Char *name)
{
	cj_xlsx *x = ((part *)ud)->x;
	const char *local = local_name(name);

	any_end(&x->sheet, name);
	if (x->failed)
		return;
	if (x->in_cell) {
		if (!strcmp(local, "v")) {
			x->in_v = 0;
		} else if (!strcmp(local, "t")) {
			x->in_t = 0;
		} else if (!strcmp(local, "rPh")) {
			x->in_rph = 0;
		} else if (!strcmp(local, "is")) {
			x->in_is = 0;
		} else if (!strcmp(local, "c")) {
			x->in_cell = 0;
			finish_cell(x);
			x->last_col = x->col;
			if (x->failed)
				abort_part(&x->sheet);
		}
	} else if (x->in_row) {
		if (!strcmp(local, "row")) {
			x->in_row = 0;
			x->last_row = x->row_no;
			if (x->nfields) {
				for (size_t i = 0; i < x->nfields; i++)
					x->fields[i] = x->offs[i] == SIZE_MAX ? "" : x->rowbuf.p + x->offs[i];
				x->row_ready = 1;
				XML_StopParser(x->sheet.parser, XML_TRUE);
			}
		}
	} else if (x->in_sheetdata && !strcmp(local, "sheetData")) {
		x->in_sheetdata = 0;
	}
}

/* ------------------------------------------------------------------------ */
/* open, next, close */

/* "对账单, Sheet2": the workbook's sheets, for a message. */
static void
sheet_list(const book_ctx *b, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < b->n && used + 1 < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
				 b->names[i] ? b->names[i] : "");
		if (n < 0)
			break;
		used += (size_t)n < size - used ? (size_t)n : size - used - 1;
	}
}

/*
 * The worksheet to read: x->want by name, else as a number (1 the first
 * tab), else the first worksheet (not a chart sheet).  Its name goes to
 * x->sheet_title.
 */
static const rel *
pick_sheet(cj_xlsx *x, const book_ctx *b, const rels_ctx *book)
{
	const rel *r = NULL;
	size_t at = b->n;
	char list[200];

	if (x->want) {
		for (size_t i = 0; i < b->n && at == b->n; i++)
			if (b->names[i] && !strcmp(b->names[i], x->want))
				at = i;
		if (at == b->n && x->want[0] && strspn(x->want, "0123456789") == strlen(x->want) &&
		    strlen(x->want) < 6 && atoi(x->want) >= 1 && (size_t)atoi(x->want) <= b->n)
			at = (size_t)atoi(x->want) - 1;
		if (at == b->n) {
			sheet_list(b, list, sizeof list);
			fail(x, _("the workbook has no worksheet '%.100s' (its sheets: %s)"), x->want, list);
			return NULL;
		}
		r = rel_by_id(book, b->ids[at]);
		if (!r || !ends_with(r->type, "/worksheet")) {
			fail(x, _("sheet '%.100s' is not a worksheet (a chart?)"), x->want);
			return NULL;
		}
	} else {
		for (at = 0; at < b->n && !r; at++) {
			r = rel_by_id(book, b->ids[at]);
			if (r && !ends_with(r->type, "/worksheet"))
				r = NULL;
		}
		at--;
		if (!r) {
			fail(x, _("the workbook has no worksheet"));
			return NULL;
		}
	}
	if (!(x->sheet_title = strdup(b->names[at] ? b->names[at] : ""))) {
		fail(x, "out of memory");
		return NULL;
	}
	return r;
}

static int
open_book(cj_xlsx *x)
{
	rels_ctx root, book;
	book_ctx b;
	char book_path[MAX_PATH_LEN], rels_path[MAX_PATH_LEN + 16], path[MAX_PATH_LEN];
	const rel *r;
	const char *slash;
	int rc = -1;

	memset(&root, 0, sizeof root);
	memset(&book, 0, sizeof book);
	memset(&b, 0, sizeof b);
	if (read_rels(x, &root, "_rels/.rels"))
		goto done;
	r = rel_by_type(&root, "/officeDocument");
	if (!r || resolve_target(book_path, "", r->target)) {
		fail(x, "_rels/.rels names no workbook; is this an XLSX file?");
		goto done;
	}
	slash = strrchr(book_path, '/');
	snprintf(rels_path, sizeof rels_path, "%.*s_rels/%s.rels",
		 slash ? (int)(slash - book_path) + 1 : 0, book_path, slash ? slash + 1 : book_path);
	if (parse_part(x, &b.p, book_path, book_start, any_end, NULL))
		goto done;
	if (read_rels(x, &book, rels_path))
		goto done;
	if ((r = rel_by_type(&book, "/styles")) && !resolve_target(path, book_path, r->target) &&
	    read_styles(x, path))
		goto done;
	if ((r = rel_by_type(&book, "/sharedStrings")) && !resolve_target(path, book_path, r->target) &&
	    read_sst(x, path))
		goto done;
	if (!(r = pick_sheet(x, &b, &book)))
		goto done;
	if (resolve_target(path, book_path, r->target)) {
		fail(x, "the first worksheet's part name '%.100s' is not valid", r->target);
		goto done;
	}
	/* the name must outlive this function */
	{
		char *name = strdup(path);
		if (!name) {
			fail(x, "out of memory");
			goto done;
		}
		if (part_open(x, &x->sheet, name) ||
		    part_parser(&x->sheet, sheet_start, sheet_end, sheet_text)) {
			free(name);
			x->sheet.name = NULL;
			goto done;
		}
	}
	rc = 0;
done:
	for (size_t i = 0; i < b.n; i++) {
		free(b.ids[i]);
		free(b.names[i]);
	}
	free(b.ids);
	free(b.names);
	rels_free(&root);
	rels_free(&book);
	return rc;
}

static int
finish_open(cj_xlsx *x, cj_xlsx **out, char *err, size_t errlen)
{
	if (open_book(x)) {
		snprintf(err, errlen, "%s", x->err);
		cj_xlsx_close(x);
		return -1;
	}
	*out = x;
	return 0;
}

static const char *
sniff(const unsigned char *b, size_t n)
{
	if (n >= 8 && !memcmp(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
		return "not an XLSX file: an old .xls workbook or a password-protected one; open it "
		       "and save it as .xlsx without a password";
	if (n < 4 || memcmp(b, "PK\x03\x04", 4))
		return "not an XLSX file (not a zip archive)";
	return NULL;
}

static int
zip_open_error(cj_xlsx *x, int code, char *err, size_t errlen)
{
	zip_error_t ze;

	zip_error_init_with_code(&ze, code);
	if (code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS || code == ZIP_ER_EOF)
		snprintf(err, errlen, _("not a readable XLSX file (damaged or truncated zip: %s)"),
			 zip_error_strerror(&ze));
	else
		snprintf(err, errlen, _("cannot open: %s"), zip_error_strerror(&ze));
	zip_error_fini(&ze);
	cj_xlsx_close(x);
	return -1;
}

int
cj_xlsx_open(cj_xlsx **out, const char *path, char *err, size_t errlen)
{
	return cj_xlsx_open_sheet(out, path, NULL, err, errlen);
}

int
cj_xlsx_open_sheet(cj_xlsx **out, const char *path, const char *sheet, char *err, size_t errlen)
{
	unsigned char head[8];
	size_t n;
	const char *bad;
	FILE *f;
	cj_xlsx *x;
	int code = 0;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	n = fread(head, 1, sizeof head, f);
	fclose(f);
	if ((bad = sniff(head, n)) != NULL) {
		snprintf(err, errlen, "%s", bad);
		return -1;
	}
	x = calloc(1, sizeof *x);
	if (!x) {
		snprintf(err, errlen, _("out of memory"));
		return -1;
	}
	x->want = sheet;
	x->zip = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code);
	if (!x->zip)
		return zip_open_error(x, code, err, errlen);
	return finish_open(x, out, err, errlen);
}

int
cj_xlsx_open_buffer(cj_xlsx **out, const void *data, size_t len, char *err, size_t errlen)
{
	const char *bad = sniff(data, len);
	zip_error_t ze;
	zip_source_t *src;
	cj_xlsx *x;
	int code;

	*out = NULL;
	if (bad) {
		snprintf(err, errlen, "%s", bad);
		return -1;
	}
	x = calloc(1, sizeof *x);
	if (!x) {
		snprintf(err, errlen, _("out of memory"));
		return -1;
	}
	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		code = zip_error_code_zip(&ze);
		zip_error_fini(&ze);
		return zip_open_error(x, code, err, errlen);
	}
	x->zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (!x->zip) {
		zip_source_free(src);
		code = zip_error_code_zip(&ze);
		zip_error_fini(&ze);
		return zip_open_error(x, code, err, errlen);
	}
	zip_error_fini(&ze);
	return finish_open(x, out, err, errlen);
}

int
cj_xlsx_next(cj_xlsx *x, const char *const **fields, size_t *nfields, size_t *row, char *err,
	     size_t errlen)
{
	int rc;

	*fields = NULL;
	*nfields = 0;
	*row = 0;
	if (!x->failed && !x->done) {
		x->row_ready = 0;
		rc = part_pump(&x->sheet);
		if (rc == 1 && x->row_ready) {
			*fields = x->fields;
			*nfields = x->nfields;
			*row = x->row_no;
			return 1;
		}
		if (rc == 0 && !x->failed) {
			x->done = 1;
			return 0;
		}
		if (!x->failed)
			fail(x, "part %s: the parser stopped unexpectedly", x->sheet.name);
	}
	if (x->failed) {
		snprintf(err, errlen, "%s", x->err);
		return -1;
	}
	return 0;
}

void
cj_xlsx_close(cj_xlsx *x)
{
	if (!x)
		return;
	part_close(&x->sheet);
	free((char *)x->sheet.name);
	free(x->sheet_title);
	if (x->zip)
		zip_discard(x->zip);
	free(x->sst.p);
	free(x->sst_off);
	free(x->xf_kind);
	free(x->cell.p);
	free(x->rowbuf.p);
	free(x->offs);
	free(x->fields);
	free(x);
}

const char *
cj_xlsx_sheet_name(const cj_xlsx *x)
{
	return x && x->sheet_title ? x->sheet_title : "";
}

int
cj_xlsx_date1904(const cj_xlsx *x)
{
	return x ? x->date1904 : 0;
}

int
cj_xlsx_serial_date(char out[16], const char *number, int date1904)
{
	const char *p = number;
	int64_t serial = 0;

	/* whole days; a fraction (the time of day) is dropped */
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (p - number >= 7)
			return -1;
		serial = serial * 10 + (*p - '0');
	}
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		p += strspn(p, "0123456789");
	}
	if (*p || serial < 1 || serial == 60)
		return -1;
	return format_date(out, serial, date1904);
}
