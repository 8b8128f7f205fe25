/*
 * field.c - trimming and dates, as every importer reads its cells
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include <importers/field.h>
#include <importers/xlsx.h>
#include <ledger/error.h>

#define IDEOGRAPHIC_SPACE "\xE3\x80\x80" /* U+3000 全角空格 */

int
cj_field_trim(char *out, size_t size, const char *s)
{
	const char *e = s + strlen(s);
	size_t n;

	for (;;) {
		if (*s == ' ' || *s == '\t')
			s++;
		else if (!strncmp(s, IDEOGRAPHIC_SPACE, 3))
			s += 3;
		else
			break;
	}
	for (;;) {
		if (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
			e--;
		else if (e - s >= 3 && !strncmp(e - 3, IDEOGRAPHIC_SPACE, 3))
			e -= 3;
		else
			break;
	}
	n = (size_t)(e - s);
	if (n >= size) {
		memcpy(out, s, size - 1);
		out[size - 1] = '\0';
		return -1;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

void
cj_field_ascii_digits(char *s)
{
	char *w = s;

	while (*s) {
		const unsigned char *u = (const unsigned char *)s;
		if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
			*w++ = (char)('0' + (u[2] - 0x90));
			s += 3;
		} else {
			*w++ = *s++;
		}
	}
	*w = '\0';
}

/* 1 to max decimal digits at *p; -1 when there are none. */
static int
take_digits(const char **p, int max)
{
	int v = 0, n = 0;

	while (n < max && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n ? v : -1;
}

int
cj_field_date(const char *text, cj_date *out)
{
	char buf[64], *cut;
	const char *p = buf;
	int y, m, d;

	if (strlen(text) >= sizeof buf)
		return CJ_EINVAL;
	strcpy(buf, text);
	cj_field_ascii_digits(buf);
	/* a time of day: after a space, or after the T of ISO 8601 */
	if (((cut = strchr(buf, ' ')) || (cut = strchr(buf, 'T'))) && strchr(cut, ':'))
		*cut = '\0';
	if (strlen(buf) == 8 && strspn(buf, "0123456789") == 8) {
		y = (buf[0] - '0') * 1000 + (buf[1] - '0') * 100 + (buf[2] - '0') * 10 + (buf[3] - '0');
		m = (buf[4] - '0') * 10 + (buf[5] - '0');
		d = (buf[6] - '0') * 10 + (buf[7] - '0');
	} else {
		y = take_digits(&p, 4);
		if (y < 0 || p != buf + 4)
			return CJ_EINVAL;
		if (!strncmp(p, "年", 3)) {
			p += 3;
			m = take_digits(&p, 2);
			if (strncmp(p, "月", 3))
				return CJ_EINVAL;
			p += 3;
			d = take_digits(&p, 2);
			if (!strncmp(p, "日", 3))
				p += 3;
		} else {
			char sep = *p;
			if (sep != '-' && sep != '/' && sep != '.')
				return CJ_EINVAL;
			p++;
			m = take_digits(&p, 2);
			if (*p != sep)
				return CJ_EINVAL;
			p++;
			d = take_digits(&p, 2);
		}
		if (*p || m < 0 || d < 0)
			return CJ_EINVAL;
	}
	out->year = y;
	out->month = m;
	out->day = d;
	if (!cj_date_valid(*out))
		return CJ_EINVAL;
	return cj_date_in_books(*out) ? 0 : CJ_EOVERFLOW;
}

int
cj_field_date_in(const char *text, int date_system, cj_date *out)
{
	char iso[16];
	int rc = cj_field_date(text, out);

	/* a serial that a General cell shows as a number (45721 is 2025-03-05) */
	if (rc == CJ_EINVAL && date_system &&
	    !cj_xlsx_serial_date(iso, text, date_system == 1904))
		return cj_field_date(iso, out);
	return rc;
}
