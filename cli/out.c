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

int
out_csv_begin(const cli_opts *o)
{
	const char *fmt = opt_get(o, "format"), *enc = opt_get(o, "encoding");
	struct stat st;

	if (!fmt || strcmp(fmt, "csv")) {
		if (enc)
			return usage_error(o->cmd, _("--encoding is for --format csv"));
		return 0;
	}
	if (!enc)
		csv_out.mode = isatty(1) || (!fstat(1, &st) && S_ISREG(st.st_mode)) ? CSV_BOM
										      : CSV_PLAIN;
	else if (!strcmp(enc, "utf-8-bom"))
		csv_out.mode = CSV_BOM;
	else if (!strcmp(enc, "utf-8"))
		csv_out.mode = CSV_PLAIN;
	else if (!strcmp(enc, "gbk") || !strcmp(enc, "gb18030"))
		csv_out.mode = CSV_GBK;
	else
		return usage_error(o->cmd, _("--encoding must be utf-8-bom, utf-8 or gbk, not '%s'"), enc);
	if (csv_out.mode == CSV_PLAIN)
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

int
out_csv_end(int status)
{
	char buf[65536];
	size_t n;
	int ok = 1;

	if (!csv_out.tmp)
		return status;
	fflush(stdout);
	ok = dup2(csv_out.saved_fd, 1) >= 0;
	close(csv_out.saved_fd);
	rewind(csv_out.tmp);
	if (ok && csv_out.mode == CSV_GBK) {
		ok = !copy_gb18030(csv_out.tmp, stdout);
	} else if (ok) {
		if (!fseek(csv_out.tmp, 0, SEEK_END) && ftell(csv_out.tmp) > 0)
			fputs("\xEF\xBB\xBF", stdout);
		rewind(csv_out.tmp);
		while ((n = fread(buf, 1, sizeof buf, csv_out.tmp)) > 0)
			ok = ok && fwrite(buf, 1, n, stdout) == n;
	}
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
