/*
 * out.c - what the tool writes: a report in the format asked for (the one
 * table renderer is the reports library's), CSV for Excel or a pipe, money,
 * progress on a terminal
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <reports/report.h>

#include "cli.h"

/*
 * CSV for people and for programs.  Excel reads a CSV file as UTF-8 only
 * when it starts with a byte-order mark (otherwise, on a Chinese Windows, as
 * GBK); a program reading a pipe wants plain UTF-8.  So CSV written to a file
 * or a terminal starts with a BOM and CSV into a pipe does not, unless
 * --encoding says utf-8-bom, utf-8 or gbk (GB18030, GBK's superset: the same
 * bytes for every character GBK has).  The command's output is collected in
 * a temporary file and written out, converted, when it is done.
 */
enum { CSV_PLAIN, CSV_BOM, CSV_GBK };
static struct {
	int mode, saved_fd;
	FILE *tmp;
} csv_out = {CSV_PLAIN, -1, NULL};

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

int
out_csv_begin(const cli_opts *o)
{
	const char *fmt = opt_get(o, "format"), *enc = opt_get(o, "encoding"), *path = opt_get(o, "out");
	/* CSV into --out FILE (asked for, or by the file's name) is written there by out_write */
	int to_file = path && (fmt ? !strcmp(fmt, "csv") : ends_with(path, ".csv"));
	struct stat st;

	if ((!fmt || strcmp(fmt, "csv")) && !to_file) {
		if (enc)
			return usage_error(o->cmd, _("--encoding is for --format csv"));
		return 0;
	}
	if (!enc)
		csv_out.mode = to_file || isatty(1) || (!fstat(1, &st) && S_ISREG(st.st_mode)) ? CSV_BOM
											       : CSV_PLAIN;
	else if (!strcmp(enc, "utf-8-bom"))
		csv_out.mode = CSV_BOM;
	else if (!strcmp(enc, "utf-8"))
		csv_out.mode = CSV_PLAIN;
	else if (!strcmp(enc, "gbk") || !strcmp(enc, "gb18030"))
		csv_out.mode = CSV_GBK;
	else
		return usage_error(o->cmd, _("--encoding must be utf-8-bom, utf-8 or gbk, not '%s'"), enc);
	if (csv_out.mode == CSV_PLAIN || to_file)
		return 0;
	fflush(stdout);
	csv_out.tmp = tmpfile();
	csv_out.saved_fd = csv_out.tmp ? dup(1) : -1;
	if (csv_out.saved_fd < 0 || dup2(fileno(csv_out.tmp), 1) < 0)
		return fail_msg(_("cannot collect the CSV output: %s"), strerror(errno));
	return 0;
}

/* UTF-8 from in into GB18030 on out, a chunk at a time. */
static int
copy_gb18030(FILE *in, FILE *out)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	char buf[65536], conv[2 * sizeof buf];
	size_t have = 0, n;
	int ok = cd != (iconv_t)-1;

	while (ok && (n = fread(buf + have, 1, sizeof buf - have, in)) > 0) {
		char *ip = buf, *op = conv;
		size_t il = have + n, ol = sizeof conv;

		/* a character cut by the chunk's end waits for the next (EINVAL) */
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno != EINVAL)
			ok = 0;
		ok = ok && fwrite(conv, 1, sizeof conv - ol, out) == sizeof conv - ol;
		memmove(buf, ip, il);
		have = il;
	}
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	return ok && !have ? 0 : -1;
}

/* Collected UTF-8 CSV (from the start of in) onto out in the chosen encoding: 0 or -1. */
static int
csv_copy(FILE *in, FILE *out)
{
	char buf[65536];
	size_t n;
	int ok = 1;

	rewind(in);
	if (csv_out.mode == CSV_GBK)
		return copy_gb18030(in, out);
	if (csv_out.mode == CSV_BOM && !fseek(in, 0, SEEK_END) && ftell(in) > 0)
		fputs("\xEF\xBB\xBF", out);
	rewind(in);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		ok = ok && fwrite(buf, 1, n, out) == n;
	return ok ? 0 : -1;
}

int
out_csv_end(int status)
{
	int ok;

	if (!csv_out.tmp)
		return status;
	fflush(stdout);
	ok = dup2(csv_out.saved_fd, 1) >= 0;
	close(csv_out.saved_fd);
	ok = ok && !csv_copy(csv_out.tmp, stdout);
	fclose(csv_out.tmp);
	csv_out.tmp = NULL;
	if (!ok && !status)
		status = fail_msg(_("cannot write the CSV output"));
	return status;
}

const char *
out_money(char buf[CJ_MONEY_FMT_MAX], int64_t fen, int blank_zero)
{
	cj_money_format(buf, CJ_MONEY_FMT_MAX, cj_money_from_fen(fen),
			CJ_MONEY_FMT_GROUPED | (blank_zero ? CJ_MONEY_FMT_BLANK_ZERO : 0));
	return buf;
}

int
out_format_parse(const char *s, out_format *f)
{
	if (!s || !strcmp(s, "text"))
		*f = OUT_TEXT;
	else if (!strcmp(s, "csv"))
		*f = OUT_CSV;
	else if (!strcmp(s, "json"))
		*f = OUT_JSON;
	else
		return -1;
	return 0;
}

void
progress(cli *c, const char *what, long done, long total)
{
	int width = 30, fill;

	if (!c->err_tty || total <= 0)
		return;
	fill = (int)((double)width * (double)done / (double)total);
	fprintf(stderr, "\r%s [", what);
	for (int i = 0; i < width; i++)
		fputc(i < fill ? '#' : '.', stderr);
	fprintf(stderr, "] %ld/%ld ", done, total);
	fflush(stderr);
}

void
progress_end(cli *c)
{
	if (c->err_tty)
		fputs("\r\033[K", stderr);
}

int
out_report(out_format fmt, const cj_report *r, long table)
{
	cj_report one;
	int err;

	if (fmt == OUT_TEXT && table >= 0 && (size_t)table < r->ntables) {
		/* the text of one table: the report seen through a window on it */
		one = *r;
		one.tables = &r->tables[table];
		one.ntables = 1;
		r = &one;
	}
	err = fmt == OUT_CSV    ? cj_render_csv(r, table, stdout)
	      : fmt == OUT_JSON ? cj_render_json(r, table, stdout)
				: cj_render_text((const cj_report *const *)&r, 1, stdout);
	return err ? fail_msg(_("cannot write the output")) : 0;
}

/* ---- reports into --out FILE or onto stdout, in a format a command allows ---- */

static const char *const format_names[] = {"text", "csv", "json", "xlsx", "pdf"};

int
out_file_format(const cli_opts *o, unsigned allowed, out_format *f)
{
	const char *s = opt_get(o, "format"), *path = opt_get(o, "out");
	int k = -1;

	for (int i = 0; i < OUT_NFORMATS && s; i++)
		if (!strcmp(s, format_names[i]) && (allowed & OUT_AS(i)))
			k = i;
	/* no --format: the --out file's extension (one the command writes), else text */
	for (int i = OUT_CSV; i < OUT_NFORMATS && !s && path; i++) {
		char ext[8];

		snprintf(ext, sizeof ext, ".%s", format_names[i]);
		if (ends_with(path, ext) && (allowed & OUT_AS(i)))
			k = i;
	}
	if (!s && k < 0)
		k = OUT_TEXT;
	if (k < 0)
		return usage_error(o->cmd, "%s", allowed & OUT_AS(OUT_CSV)
					       ? _("--format must be text, csv, json, xlsx or pdf")
					       : _("--format must be text, xlsx or pdf"));
	*f = (out_format)k;
	if ((*f == OUT_XLSX || *f == OUT_PDF) && !path)
		return usage_error(o->cmd, _("--format %s needs --out FILE"), format_names[k]);
	return 0;
}

/* CSV (every table of every report) or JSON (an array of the reports) onto out. */
static int
write_data(out_format f, const cj_report *const *reports, size_t n, FILE *out)
{
	int bad = 0;

	if (f == OUT_CSV)
		return cj_render_csv_many(reports, n, out);
	fputs("[\n", out);
	for (size_t i = 0; i < n && !bad; i++) {
		fputs(i ? ",\n" : "", out);
		bad = cj_render_json(reports[i], -1, out);
	}
	fputs("]\n", out);
	return bad || fflush(out) || ferror(out) ? -1 : 0;
}

int
out_write(const cli_opts *o, out_format f, const cj_report *const *reports, size_t n)
{
	const char *path = opt_get(o, "out");
	char err[1024];
	FILE *out, *tmp = NULL;
	int bad;

	if (f == OUT_XLSX || f == OUT_PDF) {
		bad = f == OUT_XLSX ? cj_render_xlsx(reports, n, path, err, sizeof err)
				    : cj_render_pdf(reports, n, path, err, sizeof err);
		return bad ? fail_msg("%s", err) : 0;
	}
	if (!(out = path ? fopen(path, "w") : stdout))
		return fail_msg(_("%s: cannot write"), path);
	if (f == OUT_TEXT)
		bad = cj_render_text(reports, n, out);
	else if (f == OUT_CSV && path) /* a file: its BOM or GBK as out_csv_begin chose */
		bad = !(tmp = tmpfile()) || write_data(f, reports, n, tmp) || csv_copy(tmp, out);
	else
		bad = write_data(f, reports, n, out);
	if (tmp)
		fclose(tmp);
	if (path && fclose(out))
		bad = 1;
	return bad ? fail_msg(_("%s: cannot write"), path ? path : _("standard output")) : 0;
}

int
out_built(cli *c, out_format fmt, int err, cj_report *r, long table)
{
	int status;

	if (err && err != CJ_EUNBALANCED) {
		cj_report_free(r);
		return fail_db(c, NULL);
	}
	status = out_report(fmt, r, table);
	cj_report_free(r);
	return !status && err ? fail_db(c, NULL) : status;
}
