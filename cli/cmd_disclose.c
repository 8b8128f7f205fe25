/*
 * cmd_disclose.c - cunji disclose: the three-level disclosure sheets, their
 * verification, and the local supervision number they print
 *
 * The sheets are built by ledger_reports (reports/disclosure*.c); this file
 * parses options, shows progress and reads a sheet's stamp back from its
 * file: an XLSX's docProps/core.xml (libzip) or a PDF's Info /Keywords.
 *
 * SPDX-License-Identifier: MIT
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include <ledger/sql.h> /* temporary: until this file calls library functions only */
#include <reports/disclosure.h>

#include "cli.h"

#define STAMP_MAX (1u << 20)

static void
show_progress(void *payload, long done, long total)
{
	progress(payload, "disclose", done, total);
}

/* ------------------------------------------------------------------------ */
/* Reading the stamp back */

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
		snprintf(err, errlen, "%s is not a readable XLSX file", path);
		return NULL;
	}
	if (!(zf = zip_fopen(za, "docProps/core.xml", 0))) {
		snprintf(err, errlen, "%s has no document properties (docProps/core.xml)", path);
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
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	start = strstr(xml, "<cp:keywords>");
	end = start ? strstr(start, "</cp:keywords>") : NULL;
	if (!start || !end) {
		snprintf(err, errlen, "%s carries no disclosure stamp (no keywords property)", path);
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
		snprintf(err, errlen, "out of memory");
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
		snprintf(err, errlen, "cannot open %s", path);
		return NULL;
	}
	do {
		if (size + 65536 + 1 > cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 1u << 20);

			if (!nb) {
				fclose(f);
				free(buf);
				snprintf(err, errlen, "out of memory");
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + size, 1, 65536, f);
		size += n;
	} while (n > 0);
	fclose(f);
	if (!buf) {
		snprintf(err, errlen, "%s is empty", path);
		return NULL;
	}
	buf[size] = '\0';
	for (p = buf; p + 9 <= buf + size; p++)
		if (*p == '/' && !memcmp(p, "/Keywords", 9))
			last = p;
	if (!last || !(kw = malloc(size - (size_t)(last - buf) + 1))) {
		snprintf(err, errlen, last ? "out of memory" : "%s carries no disclosure stamp "
			 "(no /Keywords in its Info dictionary)", path);
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

static int
verify(cli *c, const char *path)
{
	char err[512] = "", head[8] = "", *kw = NULL, *report = NULL;
	FILE *f = fopen(path, "rb");
	static const char *const verdicts[3] = {
		"STALE, the books changed", "OK, the books still match",
		"NOT FROM THESE BOOKS, the sheet was made from other books"};
	cj_dis_stamp st;
	cj_dis_verdict verdict;
	int rc;

	if (!f)
		return fail_msg("cannot open %s", path);
	if (fread(head, 1, 4, f) != 4)
		head[0] = '\0';
	fclose(f);
	if (!memcmp(head, "PK", 2))
		kw = xlsx_keywords(path, err, sizeof err);
	else if (!memcmp(head, "%PDF", 4))
		kw = pdf_keywords(path, err, sizeof err);
	else
		return fail_msg("%s is neither an XLSX nor a PDF file", path);
	if (!kw)
		return fail_msg("%s", err);
	rc = cj_dis_stamp_parse(kw, &st);
	free(kw);
	if (rc)
		return fail_msg("%s carries no cunji disclosure stamp", path);
	rc = cj_dis_verify(c->db, &st, &verdict, &report);
	cj_dis_stamp_free(&st);
	if (rc)
		return fail_db(c, NULL);
	printf("%s: %s\n%s", path, verdicts[verdict], report);
	free(report);
	return verdict == CJ_DIS_MATCH ? 0 : EXIT_REFUSED;
}

/* ------------------------------------------------------------------------ */

int
cmd_disclose(cli *c, const cli_opts *o)
{
	const char *level = opt_get(o, "level"), *code = opt_get(o, "code");
	const char *period = opt_get(o, "period"), *out = opt_get(o, "out");
	const char *formats = opt_get(o, "format"), *date = opt_get(o, "date");
	const char *jobs = opt_get(o, "jobs");
	cj_dis_request req;
	cj_dis_result res;
	int lv, rc;

	if (opt_get(o, "verify")) {
		if (level || code || period || out)
			return usage_error(o->cmd, "--verify takes only the file");
		return verify(c, opt_get(o, "verify"));
	}
	memset(&req, 0, sizeof req);
	if (!level || (lv = cj_dis_level_parse(level)) < 0)
		return usage_error(o->cmd, "--level must be village, township or county");
	if (!code)
		return usage_error(o->cmd, "--code is required");
	if (!period || cj_dis_period_parse(period, &req.period))
		return usage_error(o->cmd, "--period must be a quarter (2025Q4), a month (2025-12) "
					   "or a year (2025)");
	if (date && cj_date_parse(&req.posted_on, date))
		return usage_error(o->cmd, "--date '%s' is not a date (YYYY-MM-DD)", date);
	req.level = (cj_dis_level)lv;
	req.code = code;
	req.all = opt_has(o, "all");
	req.out_dir = out;
	/* one process per core by default: PDF making is CPU-bound */
	req.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	req.jobs = req.jobs < 1 ? 1 : req.jobs > 16 ? 16 : req.jobs;
	if (jobs && ((req.jobs = atoi(jobs)) < 1 || req.jobs > 16))
		return usage_error(o->cmd, "--jobs must be between 1 and 16");
	if (formats) {
		char buf[64], *tok, *save = NULL;

		snprintf(buf, sizeof buf, "%s", formats);
		for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (!strcmp(tok, "xlsx"))
				req.formats |= CJ_DIS_XLSX;
			else if (!strcmp(tok, "pdf"))
				req.formats |= CJ_DIS_PDF;
			else if (!strcmp(tok, "text"))
				req.text = stdout;
			else
				return usage_error(o->cmd, "--format takes xlsx, pdf and text, comma-separated");
		}
		if (req.formats && !out)
			return usage_error(o->cmd, "--format xlsx or pdf needs --out DIR");
	}
	if (!out && !req.text)
		return usage_error(o->cmd, "--out DIR is required (or --format text)");
	if (out && !req.formats)
		req.formats = CJ_DIS_XLSX | CJ_DIS_PDF;
	if (!out)
		req.formats = 0;
	req.progress = show_progress;
	req.payload = c;

	rc = cj_disclose(c->db, &req, &res);
	progress_end(c);
	if (rc)
		return fail_db(c, NULL);
	if (res.unclosed)
		fprintf(stderr, "cunji: warning: %s is not closed in the books of %ld village(s) (the first: "
			"%s); the sheets say 未结账 and their figures may still change\n",
			req.period.tag, res.unclosed, res.unclosed_first);
	if (out)
		fprintf(req.text ? stderr : stdout,
			"disclosed %s %s for %s: %ld village, %ld township and %ld county sheet(s), "
			"%ld file(s) in %s; %ld vouchers digested\n",
			level, code, req.period.tag, res.villages, res.townships, res.counties, res.files,
			out, res.vouchers);
	return 0;
}

int
cmd_disclose_hotline(cli *c, const cli_opts *o)
{
	const char *code = opt_get(o, "code"), *phone = opt_get(o, "phone");
	const char *params[2] = {code, phone};
	PGresult *res;

	if (!code || !phone)
		return usage_error(o->cmd, "--code and --phone are required");
	if (cj_db_exec(c->db, &res, "UPDATE org SET hotline = $2 WHERE code = $1 RETURNING name", 2,
		       params))
		return fail_db(c, NULL);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return fail_msg("no organisation with code %s", code);
	}
	printf("%s %s: local supervision number %s\n", code, PQgetvalue(res, 0, 0),
	       *phone ? phone : "cleared");
	PQclear(res);
	return 0;
}
