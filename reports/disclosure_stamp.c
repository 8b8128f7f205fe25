/*
 * disclosure_stamp.c - reading a sheet's stamp back from its file: an XLSX's
 * docProps/core.xml (libzip) or a PDF's Info /Keywords
 *
 * SPDX-License-Identifier: MIT
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include <ledger/grow.h>
#include <reports/disclosure.h>
#include <ledger/i18n.h>

#define STAMP_MAX (1u << 20)

/* The text of <cp:keywords> in an XLSX's core properties, XML entities decoded. */
static char *
xlsx_keywords(const char *path, char *err, size_t errlen)
{
	zip_t *za;
	zip_file_t *zf;
	int zerr = 0;
	char *xml = NULL, *kw = NULL, *start, *end;
	zip_int64_t n, len = 0;

	if (!(za = zip_open(path, ZIP_RDONLY, &zerr))) {
		snprintf(err, errlen, _("%s is not a readable XLSX file"), path);
		return NULL;
	}
	if (!(zf = zip_fopen(za, "docProps/core.xml", 0))) {
		snprintf(err, errlen, _("%s has no document properties (docProps/core.xml)"), path);
		zip_close(za);
		return NULL;
	}
	if ((xml = malloc(STAMP_MAX + 1))) {
		while (len < STAMP_MAX && (n = zip_fread(zf, xml + len, (zip_uint64_t)(STAMP_MAX - len))) > 0)
			len += n;
		xml[len] = '\0';
	}
	zip_fclose(zf);
	zip_close(za);
	if (!xml) {
		snprintf(err, errlen, _("out of memory"));
		return NULL;
	}
	start = strstr(xml, "<cp:keywords>");
	end = start ? strstr(start, "</cp:keywords>") : NULL;
	if (!start || !end) {
		snprintf(err, errlen, _("%s carries no disclosure stamp (no keywords property)"), path);
		free(xml);
		return NULL;
	}
	start += strlen("<cp:keywords>");
	*end = '\0';
	if ((kw = malloc(strlen(start) + 1))) {
		static const struct {
			const char *ent;
			char c;
		} ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
		char *o = kw;

		for (const char *p = start; *p;) {
			size_t k;

			for (k = 0; k < sizeof ents / sizeof ents[0]; k++)
				if (!strncmp(p, ents[k].ent, strlen(ents[k].ent)))
					break;
			if (k < sizeof ents / sizeof ents[0]) {
				*o++ = ents[k].c;
				p += strlen(ents[k].ent);
			} else {
				*o++ = *p++;
			}
		}
		*o = '\0';
	}
	free(xml);
	if (!kw)
		snprintf(err, errlen, _("out of memory"));
	return kw;
}

static int
hexval(int c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

/*
 * The last /Keywords string of a PDF's Info dictionary: a literal (...)
 * with backslash escapes, or a hex string <...>, UTF-16BE after a FEFF mark
 * (as libharu writes text once a UTF-8 encoder is set).  Only the ASCII a
 * stamp uses is kept.
 */
static char *
pdf_keywords(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *kw = NULL, *p, *last = NULL;
	size_t size = 0, cap = 0, n;

	if (!f) {
		snprintf(err, errlen, _("cannot open %s"), path);
		return NULL;
	}
	do {
		if (cj_grow((void **)&buf, &cap, size + 65536 + 1, 1)) {
			fclose(f);
			free(buf);
			snprintf(err, errlen, _("out of memory"));
			return NULL;
		}
		n = fread(buf + size, 1, 65536, f);
		size += n;
	} while (n > 0);
	fclose(f);
	if (!buf) {
		snprintf(err, errlen, _("%s is empty"), path);
		return NULL;
	}
	buf[size] = '\0';
	for (p = buf; p + 9 <= buf + size; p++)
		if (*p == '/' && !memcmp(p, "/Keywords", 9))
			last = p;
	if (!last || !(kw = malloc(size - (size_t)(last - buf) + 1))) {
		snprintf(err, errlen, last ? _("out of memory") : _("%s carries no disclosure stamp "
			 "(no /Keywords in its Info dictionary)"), path);
		free(buf);
		return NULL;
	}
	p = last + 9;
	while (p < buf + size && isspace((unsigned char)*p))
		p++;
	n = 0;
	if (*p == '(') {
		int depth = 1;

		for (p++; p < buf + size && depth; p++) {
			if (*p == '\\' && p + 1 < buf + size) {
				p++;
				kw[n++] = *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p == 't' ? '\t' : *p;
				continue;
			}
			depth += (*p == '(') - (*p == ')');
			if (depth)
				kw[n++] = *p;
		}
	} else if (*p == '<') {
		/* the bytes first, then UTF-16BE (after FE FF) or plain */
		unsigned char *b = (unsigned char *)kw;
		size_t nb = 0;
		int nib = -1;

		for (p++; p < buf + size && *p != '>'; p++) {
			if (!isxdigit((unsigned char)*p))
				continue;
			if (nib < 0) {
				nib = hexval((unsigned char)*p);
			} else {
				b[nb++] = (unsigned char)(nib << 4 | hexval((unsigned char)*p));
				nib = -1;
			}
		}
		if (nb >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
			for (size_t i = 2; i + 1 < nb; i += 2)
				if (b[i] == 0 && b[i + 1] < 0x80)
					kw[n++] = (char)b[i + 1];
		} else {
			n = nb;
		}
	}
	kw[n] = '\0';
	free(buf);
	return kw;
}

/* The keywords of an XLSX or PDF file (malloc'd), or NULL with *status and err. */
static char *
keywords(const char *path, int *status, char *err, size_t errlen)
{
	char head[8] = "", *kw = NULL;
	FILE *f = fopen(path, "rb");

	*status = CJ_EINVAL;
	if (!f) {
		snprintf(err, errlen, _("cannot open %s"), path);
		*status = CJ_EIO;
		return NULL;
	}
	if (fread(head, 1, 4, f) != 4)
		head[0] = '\0';
	fclose(f);
	if (!memcmp(head, "PK", 2))
		kw = xlsx_keywords(path, err, errlen);
	else if (!memcmp(head, "%PDF", 4))
		kw = pdf_keywords(path, err, errlen);
	else
		snprintf(err, errlen, _("%s is neither an XLSX nor a PDF file"), path);
	return kw;
}

int
cj_sheet_anchor_read(const char *path, cj_anchor *out, char *err, size_t errlen)
{
	int rc;
	char *kw = keywords(path, &rc, err, errlen);

	memset(out, 0, sizeof *out);
	if (!kw)
		return rc;
	rc = cj_anchor_parse(kw, out);
	free(kw);
	if (rc)
		snprintf(err, errlen, _("%s carries no anchor of a village's chain (cunji-anchor-v1)"), path);
	return rc ? CJ_EINVAL : 0;
}

int
cj_dis_stamp_read(const char *path, cj_dis_stamp *out, char *err, size_t errlen)
{
	int rc;
	char *kw = keywords(path, &rc, err, errlen);

	memset(out, 0, sizeof *out);
	if (!kw)
		return rc;
	rc = cj_dis_stamp_parse(kw, out);
	free(kw);
	if (rc)
		snprintf(err, errlen, _("%s carries no cunji disclosure stamp"), path);
	return rc ? CJ_EINVAL : 0;
}
