/*
 * csv_reader.c - RFC 4180 records from a buffer in memory
 *
 * A small state machine over bytes: no I/O and no assumptions about a
 * terminating NUL, so it can be fed anything (see tests/fuzz).  Fields are
 * copied into one reusable buffer, each NUL-terminated; limits on field
 * length and field count keep a hostile file from taking unbounded memory.
 * A blank line in the middle of the data reads as a record of one empty field.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <importers/csv.h>

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
	/* a UTF-8 byte-order mark is not data */
	if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
	    (unsigned char)data[2] == 0xBF)
		c->pos = 3;
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
	if (c->buflen + 1 >= c->bufcap) {
		size_t cap = c->bufcap ? c->bufcap * 2 : 256;
		char *nb = realloc(c->buf, cap);
		if (!nb)
			return -2;
		c->buf = nb;
		c->bufcap = cap;
	}
	c->buf[c->buflen++] = b;
	return 0;
}

static int
start_field(cj_csv *c)
{
	if (c->nfields == c->max_fields) {
		snprintf(c->err, sizeof c->err, "line %zu: more than %zu fields", c->line, c->max_fields);
		return -1;
	}
	if (c->nfields == c->fieldcap) {
		size_t cap = c->fieldcap ? c->fieldcap * 2 : 16;
		size_t *no = realloc(c->offsets, cap * sizeof *no);
		if (!no)
			return -2;
		c->offsets = no;
		c->fieldcap = cap;
	}
	c->offsets[c->nfields++] = c->buflen;
	return 0;
}

static int
end_field(cj_csv *c)
{
	return put_byte(c, '\0');
}

int
cj_csv_next(cj_csv *c)
{
	size_t field_start;
	int quoted = 0, after_quote = 0, rc;

	c->nfields = 0;
	c->buflen = 0;
	c->err[0] = '\0';
	if (c->pos >= c->len)
		return 0;
	c->line = c->next_line;
	if ((rc = start_field(c)))
		return rc;
	field_start = c->buflen;

	while (c->pos < c->len) {
		char b = c->data[c->pos++];

		if (b == '\0') {
			snprintf(c->err, sizeof c->err, "line %zu: binary data (a NUL byte); not a text file",
				 c->next_line);
			return -1;
		}
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
			return end_field(c) ? -2 : 1;
		} else if (after_quote) {
			snprintf(c->err, sizeof c->err, "line %zu: field %zu: text after closing quote",
				 c->line, c->nfields);
			return -1;
		} else if (b == '"' && c->buflen == field_start) {
			quoted = 1;
			continue;
		}
		if (c->buflen - field_start >= c->max_field) {
			snprintf(c->err, sizeof c->err, "line %zu: field %zu is longer than %zu bytes",
				 c->line, c->nfields, c->max_field);
			return -1;
		}
		if ((rc = put_byte(c, b)))
			return rc;
	}
	if (quoted) {
		snprintf(c->err, sizeof c->err, "line %zu: field %zu: quoted field is not closed",
			 c->line, c->nfields);
		return -1;
	}
	return end_field(c) ? -2 : 1;
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
