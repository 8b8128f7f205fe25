/*
 * sheet.c - rows of a CSV or XLSX file, read as a stream
 *
 * XLSX goes to importers/xlsx.c.  A CSV file is read twice: once, in
 * chunks, to decide its encoding over every byte (a file that is ASCII for
 * its first megabyte and GBK after it is still read right), then again
 * through a window that the CSV reader parses in place (cj_csv with more
 * set).  A record cut by the end of the window is handed back by the
 * reader and parsed again once the window is refilled; the window doubles
 * whenever the unconsumed record fills half of it, so even a long record
 * costs linear time, and it stops at a limit, so an unclosed quote in a
 * gigabyte file is an error rather than a gigabyte of memory.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <importers/csv.h>
#include <importers/encoding.h>
#include <importers/sheet.h>
#include <importers/xlsx.h>
#include <ledger/grow.h>
#include <ledger/i18n.h>

#define CHUNK (256u << 10)        /* bytes read at a time while probing */
#define WINDOW_START (512u << 10) /* the CSV window */
#define WINDOW_MAX (64u << 20)    /* no record may need more */
#define MAX_FIELDS 16384          /* as many columns as a worksheet has */

struct cj_sheet {
	int xlsx;
	/* CSV */
	FILE *f;
	cj_csv csv;
	cj_gb18030_stream *gb; /* NULL when the file is UTF-8 */
	char *win;             /* UTF-8 text, parsed in place by csv */
	size_t winlen, wincap;
	char *raw; /* bytes read, before conversion (GB18030 only) */
	size_t rawcap;
	int eof;
	const char *encoding;
	char path[512];
	/* XLSX */
	cj_xlsx *x;
	const char *const *xfields;
	size_t xn;
	/* both */
	char *want;  /* the worksheet asked for, for cj_sheet_rewind */
	int replay;  /* cj_sheet_next gives the current row again */
	size_t row;
	uint64_t size, bytes_read;
	char err[512];
};

/* The line (1-based) of a byte offset in the file, for messages. */
static unsigned long long
line_of_offset(const char *path, unsigned long long offset)
{
	FILE *f = fopen(path, "rb");
	unsigned long long line = 1, pos = 0;
	char buf[65536];
	size_t n;

	if (!f)
		return 0;
	while (pos < offset && (n = fread(buf, 1, sizeof buf, f)) > 0) {
		for (size_t i = 0; i < n && pos < offset; i++, pos++)
			line += buf[i] == '\n';
	}
	fclose(f);
	return line;
}

static int
fail(cj_sheet *s, const char *fmt, const char *detail)
{
	snprintf(s->err, sizeof s->err, fmt, detail);
	return -1;
}

/* Read every byte once to find the encoding. */
static int
probe_encoding(cj_sheet *s)
{
	cj_encoding_probe probe;
	unsigned long long bad = 0;
	char *buf = malloc(CHUNK);
	size_t n;

	if (!buf)
		return fail(s, "%s", "out of memory");
	cj_encoding_probe_init(&probe);
	while ((n = fread(buf, 1, CHUNK, s->f)) > 0)
		cj_encoding_probe_feed(&probe, buf, n);
	free(buf);
	if (ferror(s->f))
		return fail(s, "%s", "read error");
	s->encoding = cj_encoding_probe_result(&probe, &bad);
	if (!s->encoding) {
		snprintf(s->err, sizeof s->err,
			 _("line %llu: the bytes there are not UTF-8, though most of the file is; "
			 "the file is damaged or mixes encodings"),
			 line_of_offset(s->path, bad));
		return -1;
	}
	if (fseek(s->f, probe.bom ? 3 : 0, SEEK_SET))
		return fail(s, "cannot read the file twice (%s); give a regular file, not a pipe",
			    strerror(errno));
	s->bytes_read = probe.bom ? 3 : 0;
	return 0;
}

/*
 * Move the unconsumed bytes to the front of the window and read more after
 * them.  The window doubles when a single record has filled half of it.
 */
static int
refill(cj_sheet *s)
{
	size_t keep = s->winlen - (s->winlen ? cj_csv_consumed(&s->csv) : 0), room, want, n;

	memmove(s->win, s->win + (s->winlen - keep), keep);
	s->winlen = keep;
	if (keep > s->wincap / 2) {
		if (s->wincap >= WINDOW_MAX) {
			snprintf(s->err, sizeof s->err,
				 _("line %zu: a record longer than %u MiB (a quote that is never "
				 "closed?)"),
				 s->csv.next_line, WINDOW_MAX >> 20);
			return -1;
		}
		if (cj_grow((void **)&s->win, &s->wincap, s->wincap + 1, 1)) /* doubles */
			return fail(s, "%s", "out of memory");
	}
	room = s->wincap - s->winlen - 1;
	if (s->gb) {
		/* GB18030 grows at most by half in UTF-8; the converter asks 2x + 8 */
		want = room / 2 > 8 ? room / 2 - 8 : 0;
		if (cj_grow((void **)&s->raw, &s->rawcap, want, 1))
			return fail(s, "%s", "out of memory");
		n = fread(s->raw, 1, want, s->f);
	} else {
		want = room;
		n = fread(s->win + s->winlen, 1, want, s->f);
	}
	if (ferror(s->f))
		return fail(s, "%s", "read error");
	s->eof = n < want;
	s->bytes_read += n;
	if (s->gb) {
		size_t out = 0;
		unsigned long long bad = 0;
		int rc = cj_gb18030_convert(s->gb, s->raw, n, s->eof, s->win + s->winlen, &out, &bad);
		if (rc == CJ_EINVAL) {
			snprintf(s->err, sizeof s->err,
				 _("line %llu: the bytes there are neither UTF-8 nor GBK/GB18030; save "
				 "the file as CSV in UTF-8 or GBK"),
				 line_of_offset(s->path, bad));
			return -1;
		}
		if (rc)
			return fail(s, "%s", "out of memory");
		s->winlen += out;
	} else {
		s->winlen += n;
	}
	s->win[s->winlen] = '\0';
	return 0;
}

static int
open_csv(cj_sheet *s)
{
	int rc;

	if (probe_encoding(s))
		return -1;
	if (!strcmp(s->encoding, CJ_ENCODING_GB18030)) {
		rc = cj_gb18030_open(&s->gb);
		if (rc)
			return fail(s, "%s",
				    rc == CJ_ENOMEM ? "out of memory"
						    : "this system cannot convert from GB18030 (iconv)");
	}
	s->wincap = WINDOW_START;
	s->win = malloc(s->wincap);
	if (!s->win)
		return fail(s, "%s", "out of memory");
	if (refill(s))
		return -1;
	cj_csv_init(&s->csv, s->win, s->winlen, cj_csv_sniff_delim(s->win, s->winlen));
	s->csv.more = !s->eof;
	s->csv.max_fields = MAX_FIELDS;
	return 0;
}

int
cj_sheet_open(cj_sheet **out, const char *path, char *err, size_t errlen)
{
	return cj_sheet_open_in(out, path, NULL, err, errlen);
}

int
cj_sheet_open_in(cj_sheet **out, const char *path, const char *sheet, char *err, size_t errlen)
{
	cj_sheet *s = calloc(1, sizeof *s);
	unsigned char magic[4] = {0};
	struct stat st;
	size_t n;

	*out = NULL;
	if (!s) {
		snprintf(err, errlen, _("out of memory"));
		return -1;
	}
	snprintf(s->path, sizeof s->path, "%s", path);
	if (sheet && !(s->want = strdup(sheet))) {
		snprintf(err, errlen, "out of memory");
		free(s);
		return -1;
	}
	s->f = fopen(path, "rb");
	if (!s->f) {
		snprintf(err, errlen, "%s", strerror(errno));
		free(s->want);
		free(s);
		return -1;
	}
	if (fstat(fileno(s->f), &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, _("is a directory"));
			cj_sheet_close(s);
			return -1;
		}
		s->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	}
	n = fread(magic, 1, 4, s->f);
	/* "PK": a zip, so XLSX; D0 CF 11 E0: an old .xls or an encrypted workbook,
	 * which the XLSX reader names plainly */
	if (n == 4 && (!memcmp(magic, "PK\3\4", 4) || !memcmp(magic, "\xD0\xCF\x11\xE0", 4))) {
		fclose(s->f);
		s->f = NULL;
		s->xlsx = 1;
		s->encoding = "XLSX";
		if (cj_xlsx_open_sheet(&s->x, path, sheet, err, errlen)) {
			cj_sheet_close(s);
			return -1;
		}
		*out = s;
		return 0;
	}
	if (sheet) {
		snprintf(err, errlen, _("not a workbook: a CSV file has no worksheet '%.100s'"), sheet);
		cj_sheet_close(s);
		return -1;
	}
	if (fseek(s->f, 0, SEEK_SET) || open_csv(s)) {
		snprintf(err, errlen, "%s", s->err[0] ? s->err : "cannot read the file");
		cj_sheet_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

static int
all_empty(const cj_sheet *s)
{
	for (size_t i = 0; i < cj_sheet_nfields(s); i++)
		if (cj_sheet_field(s, i)[0])
			return 0;
	return 1;
}

static int
next_xlsx(cj_sheet *s)
{
	int rc = cj_xlsx_next(s->x, &s->xfields, &s->xn, &s->row, s->err, sizeof s->err);

	if (rc < 0 && !s->err[0])
		snprintf(s->err, sizeof s->err, _("cannot read the worksheet"));
	return rc;
}

int
cj_sheet_next(cj_sheet *s)
{
	if (s->replay) {
		s->replay = 0;
		return 1;
	}
	for (;;) {
		int rc;

		if (s->xlsx) {
			rc = next_xlsx(s);
			if (rc != 1 || !all_empty(s))
				return rc;
			continue;
		}
		rc = cj_csv_next(&s->csv);
		if (rc == CJ_CSV_MORE) {
			if (refill(s))
				return -1;
			cj_csv_refill(&s->csv, s->win, s->winlen, !s->eof);
			continue;
		}
		if (rc == 1) {
			s->row++;
			if (all_empty(s))
				continue;
			return 1;
		}
		if (rc == 0)
			return 0;
		if (rc == CJ_ENOMEM)
			snprintf(s->err, sizeof s->err, _("out of memory"));
		else
			snprintf(s->err, sizeof s->err, "%s", s->csv.err);
		return -1;
	}
}

void
cj_sheet_again(cj_sheet *s)
{
	s->replay = 1;
}

int
cj_sheet_rewind(cj_sheet *s)
{
	cj_sheet *fresh, old;

	if (cj_sheet_open_in(&fresh, s->path, s->want, s->err, sizeof s->err))
		return -1;
	/* swap, so the caller's handle is the fresh sheet */
	old = *s;
	*s = *fresh;
	*fresh = old;
	cj_sheet_close(fresh);
	return 0;
}

void
cj_sheet_header(cj_sheet *s)
{
	if (!s->xlsx)
		s->csv.header_fields = s->csv.nfields;
}

size_t
cj_sheet_nfields(const cj_sheet *s)
{
	return s->xlsx ? s->xn : s->csv.nfields;
}

const char *
cj_sheet_field(const cj_sheet *s, size_t i)
{
	if (s->xlsx)
		return i < s->xn && s->xfields[i] ? s->xfields[i] : "";
	return cj_csv_field(&s->csv, i);
}

size_t
cj_sheet_row(const cj_sheet *s)
{
	return s->row;
}

const char *
cj_sheet_encoding(const cj_sheet *s)
{
	return s->encoding ? s->encoding : "";
}

const char *
cj_sheet_name(const cj_sheet *s)
{
	return s->xlsx ? cj_xlsx_sheet_name(s->x) : "";
}

int
cj_sheet_date_system(const cj_sheet *s)
{
	return !s->xlsx ? 0 : cj_xlsx_date1904(s->x) ? 1904 : 1900;
}

const char *
cj_sheet_which(const cj_sheet *s, char *buf, size_t size)
{
	if (!s->xlsx)
		snprintf(buf, size, "%s", "");
	else
		snprintf(buf, size, _(" (worksheet '%.200s' was read; --sheet NAME or N reads another)"),
			 cj_xlsx_sheet_name(s->x));
	return buf;
}

const char *
cj_sheet_error(const cj_sheet *s)
{
	return s->err;
}

uint64_t
cj_sheet_bytes_read(const cj_sheet *s)
{
	return s->xlsx ? 0 : s->bytes_read;
}

uint64_t
cj_sheet_size(const cj_sheet *s)
{
	return s->size;
}

void
cj_sheet_close(cj_sheet *s)
{
	if (!s)
		return;
	if (s->f)
		fclose(s->f);
	cj_xlsx_close(s->x);
	cj_gb18030_close(s->gb);
	cj_csv_dispose(&s->csv);
	free(s->want);
	free(s->win);
	free(s->raw);
	free(s);
}
