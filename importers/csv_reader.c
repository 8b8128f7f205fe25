/*
 * csv_reader.c - RFC 4180 records from a buffer in memory
 *
 * A small state machine over bytes: no I/O and no assumptions about a
 * terminating NUL, so it can be fed anything (see tests/fuzz).  Fields are
 * copied into one reusable buffer, each NUL-terminated; limits on field
 * length and field count keep a hostile file from taking unbounded memory.
 * A blank line in the middle of the data reads as a record of one empty field.
 * With c->more set the buffer is a window onto a stream: a record that runs
 * past it is given back (CJ_CSV_MORE) to be read again from a refilled one.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <importers/csv.h>
#include <ledger/grow.h>
#include <ledger/i18n.h>

void
cj_csv_init(cj_csv *c, const char *data, size_t len, char delim)
{
	memset(c, 0, sizeof *c);
	c->data = data;
	c->len = len;
	c->delim = delim;
	c->max_field = 1u << 20;
	c->max_fields = 1024;
	c->next_line = 1;
}

/* A UTF-8 byte-order mark at the very start is not data; in a window it may
 * arrive a byte at a time.  Returns CJ_CSV_MORE when it cannot tell yet. */
static int
skip_bom(cj_csv *c)
{
	static const char bom[3] = {'\xEF', '\xBB', '\xBF'};
	size_t have = c->len - c->pos;

	if (have < 3 && c->more && !memcmp(c->data + c->pos, bom, have))
		return CJ_CSV_MORE;
	if (have >= 3 && !memcmp(c->data + c->pos, bom, 3))
		c->pos += 3;
	c->started = 1;
	return 0;
}

void
cj_csv_dispose(cj_csv *c)
{
	free(c->buf);
	free(c->offsets);
	c->buf = NULL;
	c->offsets = NULL;
	c->bufcap = c->fieldcap = 0;
}

const char *
cj_csv_field(const cj_csv *c, size_t i)
{
	return i < c->nfields ? c->buf + c->offsets[i] : "";
}

static int
put_byte(cj_csv *c, char b)
{
	if (c->buflen + 1 >= c->bufcap && cj_grow((void **)&c->buf, &c->bufcap, c->buflen + 2, 1))
		return CJ_ENOMEM;
	c->buf[c->buflen++] = b;
	return 0;
}

static int
put_bytes(cj_csv *c, const char *s, size_t n)
{
	if (c->buflen + n + 1 > c->bufcap &&
	    cj_grow((void **)&c->buf, &c->bufcap, c->buflen + n + 1, 1))
		return CJ_ENOMEM;
	memcpy(c->buf + c->buflen, s, n);
	c->buflen += n;
	return 0;
}

/* How many bytes from pos need no decision: not the delimiter, a line end,
 * a quote or a NUL (in a quoted field: not a quote, LF or NUL). */
static size_t
ordinary_run(const cj_csv *c, int quoted)
{
	const char *p = c->data + c->pos, *e = c->data + c->len, *q = p;

	if (quoted) {
		while (q < e && *q != '"' && *q != '\n' && *q != '\0')
			q++;
	} else {
		char d = c->delim;
		while (q < e && *q != d && *q != '\n' && *q != '\r' && *q != '"' && *q != '\0')
			q++;
	}
	return (size_t)(q - p);
}

static int
start_field(cj_csv *c)
{
	if (c->nfields == c->max_fields) {
		snprintf(c->err, sizeof c->err, _("line %zu: more than %zu fields"), c->line, c->max_fields);
		return CJ_EINVAL;
	}
	if (cj_grow((void **)&c->offsets, &c->fieldcap, c->nfields + 1, sizeof *c->offsets))
		return CJ_ENOMEM;
	c->offsets[c->nfields++] = c->buflen;
	return 0;
}

static int
end_field(cj_csv *c)
{
	return put_byte(c, '\0');
}

/* The record is complete.  Once the caller has read the header, a record
 * must have as many fields, or a value with the delimiter in it and no
 * quotes (1,200.50) would shift every column after it. */
static int
end_record(cj_csv *c)
{
	if (end_field(c))
		return CJ_ENOMEM;
	if (!c->header_fields || (c->nfields == 1 && !c->buf[c->offsets[0]]))
		return 1; /* no header yet, or a blank line */
	if (c->nfields != c->header_fields) {
		snprintf(c->err, sizeof c->err,
			 c->delim == ','
				 ? _("line %zu: %zu field%s where the header has %zu (an amount such as "
				     "1,200.50 needs quotes: \"1,200.50\")")
				 : _("line %zu: %zu field%s where the header has %zu"),
			 c->line, c->nfields, c->nfields == 1 ? "" : "s", c->header_fields);
		return CJ_EINVAL;
	}
	return 1;
}

size_t
cj_csv_consumed(const cj_csv *c)
{
	return c->pos;
}

void
cj_csv_refill(cj_csv *c, const char *data, size_t len, int more)
{
	c->data = data;
	c->len = len;
	c->pos = 0;
	c->more = more;
}

/* The buffer ended inside a record that continues in the stream: forget
 * what was read of it, so that the caller can refill and read it again. */
static int
need_more(cj_csv *c, size_t start, size_t start_line)
{
	c->pos = start;
	c->next_line = start_line;
	c->nfields = 0;
	c->buflen = 0;
	return CJ_CSV_MORE;
}

int
cj_csv_next(cj_csv *c)
{
	size_t field_start, start = c->pos, start_line = c->next_line;
	int quoted = 0, after_quote = 0, rc;

	c->nfields = 0;
	c->buflen = 0;
	c->err[0] = '\0';
	if (!c->started && skip_bom(c))
		return CJ_CSV_MORE;
	start = c->pos;
	if (c->pos >= c->len)
		return c->more ? need_more(c, start, start_line) : 0;
	c->line = c->next_line;
	if ((rc = start_field(c)))
		return rc;
	field_start = c->buflen;

	while (c->pos < c->len) {
		char b;

		/* ordinary bytes are copied a run at a time */
		if (!after_quote) {
			size_t n = ordinary_run(c, quoted), room = c->max_field - (c->buflen - field_start);
			if (c->buflen - field_start > c->max_field)
				room = 0;
			if (n > room)
				n = room;
			if (n) {
				if ((rc = put_bytes(c, c->data + c->pos, n)))
					return rc;
				c->pos += n;
				continue;
			}
		}
		b = c->data[c->pos++];

		if (b == '\0') {
			snprintf(c->err, sizeof c->err, _("line %zu: binary data (a NUL byte); not a text file"),
				 c->next_line);
			return CJ_EINVAL;
		}
		/* a quote or CR at the very end of the window: its meaning depends
		 * on the byte after it */
		if (c->pos == c->len && c->more && (b == '"' || b == '\r'))
			return need_more(c, start, start_line);
		if (quoted) {
			if (b == '"') {
				if (c->pos < c->len && c->data[c->pos] == '"') {
					c->pos++;
				} else {
					quoted = 0;
					after_quote = 1;
					continue;
				}
			} else if (b == '\n') {
				c->next_line++;
			}
		} else if (b == c->delim) {
			if ((rc = end_field(c)) || (rc = start_field(c)))
				return rc;
			field_start = c->buflen;
			after_quote = 0;
			continue;
		} else if (b == '\n' || (b == '\r' && c->pos < c->len && c->data[c->pos] == '\n') ||
			   (b == '\r' && c->pos == c->len)) {
			if (b == '\r' && c->pos < c->len)
				c->pos++;
			c->next_line++;
			return end_record(c);
		} else if (after_quote) {
			snprintf(c->err, sizeof c->err, _("line %zu: field %zu: text after closing quote"),
				 c->line, c->nfields);
			return CJ_EINVAL;
		} else if (b == '"' && c->buflen == field_start) {
			quoted = 1;
			continue;
		}
		if (c->buflen - field_start >= c->max_field) {
			snprintf(c->err, sizeof c->err, _("line %zu: field %zu is longer than %zu bytes"),
				 c->line, c->nfields, c->max_field);
			return CJ_EINVAL;
		}
		if ((rc = put_byte(c, b)))
			return rc;
	}
	if (c->more)
		return need_more(c, start, start_line);
	if (quoted) {
		snprintf(c->err, sizeof c->err, _("line %zu: field %zu: quoted field is not closed"),
			 c->line, c->nfields);
		return CJ_EINVAL;
	}
	return end_record(c);
}

char
cj_csv_sniff_delim(const char *data, size_t len)
{
	size_t tabs = 0, commas = 0;
	int quoted = 0;

	for (size_t i = 0; i < len && (quoted || data[i] != '\n'); i++) {
		if (data[i] == '"')
			quoted = !quoted;
		else if (!quoted && data[i] == '\t')
			tabs++;
		else if (!quoted && data[i] == ',')
			commas++;
	}
	return tabs > commas ? '\t' : ',';
}
