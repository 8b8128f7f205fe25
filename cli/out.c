/*
 * out.c - text tables that line up with Chinese, CSV, JSON, progress
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ledger/sql.h> /* temporary: until this file calls library functions only */
#include <reports/report.h>

#include "cli.h"

/* Terminal columns of UTF-8 text: the renderers' measure (CJK counts 2). */
int
out_width(const char *s)
{
	return cj_text_width(s);
}

void
out_pad(FILE *f, const char *s, int width, int right)
{
	int pad = width - out_width(s);

	if (right)
		for (int i = 0; i < pad; i++)
			fputc(' ', f);
	fputs(s, f);
	if (!right)
		for (int i = 0; i < pad; i++)
			fputc(' ', f);
}

/*
 * A text cell.  A spreadsheet takes a cell that starts with =, +, -, @, a tab
 * or a carriage return for a formula (=HYPERLINK(...) in a 摘要 would run when
 * the file is opened), so such text gets a leading single quote, as OWASP
 * advises against CSV injection, and is quoted.  Numbers go through
 * out_csv_number and stay numbers (-20000.00).
 */
void
out_csv_field(FILE *f, const char *s, int last)
{
	int formula = s[0] && strchr("=+-@\t\r", s[0]);

	if (formula || strpbrk(s, ",\"\n\r")) {
		fputc('"', f);
		if (formula)
			fputc('\'', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputc(last ? '\n' : ',', f);
}

void
out_csv_number(FILE *f, const char *s, int last)
{
	fputs(s, f);
	fputc(last ? '\n' : ',', f);
}

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
			return usage_error(o->cmd, "--encoding is for --format csv");
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
		return usage_error(o->cmd, "--encoding must be utf-8-bom, utf-8 or gbk, not '%s'", enc);
	if (csv_out.mode == CSV_PLAIN)
		return 0;
	fflush(stdout);
	csv_out.tmp = tmpfile();
	csv_out.saved_fd = csv_out.tmp ? dup(1) : -1;
	if (csv_out.saved_fd < 0 || dup2(fileno(csv_out.tmp), 1) < 0)
		return fail_msg("cannot collect the CSV output: %s", strerror(errno));
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
		status = fail_msg("cannot write the CSV output");
	return status;
}

void
out_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
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
arg_village(cli *c, const cli_opts *o, cj_org *out)
{
	const char *code = opt_get(o, "village");

	if (!code)
		return usage_error(o->cmd, "--village is required");
	if (cj_village_find(c->db, code, out))
		return fail_db(c, NULL);
	return 0;
}

int
arg_books_date(const cli_opts *o, const char *name, cj_date *out, int required)
{
	const char *v = opt_get(o, name);
	char range[40];

	memset(out, 0, sizeof *out);
	if (!v)
		return required ? usage_error(o->cmd, "--%s is required", name) : 0;
	if (cj_date_parse(out, v))
		return usage_error(o->cmd, "--%s '%s' is not a date (YYYY-MM-DD)", name, v);
	if (!cj_date_in_books(*out))
		return usage_error(o->cmd, "--%s '%s' is outside the books' dates (%s)", name, v,
				   cj_books_range_text(range, sizeof range));
	return 0;
}

int
arg_period(const cli_opts *o, const char *name, cj_period *out, int required)
{
	const char *v = opt_get(o, name);

	if (!v) {
		if (required)
			return usage_error(o->cmd, "--%s is required", name);
		return 0;
	}
	if (cj_period_parse(out, v))
		return usage_error(o->cmd, "--%s '%s' is not a month (YYYY-MM)", name, v);
	return 0;
}

/*
 * A query result as a table.  Column names are "key|标题": the key names the
 * CSV header and JSON field, the title heads the text table.  Keys ending in
 * "_fen" are money: yuan with separators in text, plain yuan in CSV (whose
 * header says so: granted_yuan), integer fen in JSON (granted_fen).  A row
 * whose first cell is "合计" is set off by a rule.
 */
static const char *
col_key(PGresult *res, int c, char buf[64])
{
	const char *name = PQfname(res, c), *bar = strchr(name, '|');
	size_t n = bar ? (size_t)(bar - name) : strlen(name);

	if (n > 63)
		n = 63;
	memcpy(buf, name, n);
	buf[n] = '\0';
	return buf;
}

static const char *
col_title(PGresult *res, int c)
{
	const char *name = PQfname(res, c), *bar = strchr(name, '|');
	return bar ? bar + 1 : name;
}

static int
col_money(PGresult *res, int c)
{
	char key[64];
	size_t n = strlen(col_key(res, c, key));
	return n > 4 && !strcmp(key + n - 4, "_fen");
}

/* Money, or a column of integers or decimals: written as a number. */
static int
col_number(PGresult *res, int c)
{
	switch (PQftype(res, c)) {
	case 20: case 21: case 23: case 1700: /* int8, int2, int4, numeric */
		return 1;
	default:
		return col_money(res, c);
	}
}

static const char *
cell_text(PGresult *res, int r, int c, char buf[CJ_MONEY_FMT_MAX], int grouped)
{
	if (PQgetisnull(res, r, c))
		return "";
	if (!col_money(res, c))
		return PQgetvalue(res, r, c);
	if (grouped)
		return out_money(buf, strtoll(PQgetvalue(res, r, c), NULL, 10), 0);
	if (cj_money_format(buf, CJ_MONEY_FMT_MAX,
			    cj_money_from_fen(strtoll(PQgetvalue(res, r, c), NULL, 10)), CJ_MONEY_FMT_PLAIN) < 0)
		return "";
	return buf;
}

void
out_result(FILE *f, PGresult *res, out_format fmt)
{
	int nr = PQntuples(res), nc = PQnfields(res);
	char buf[CJ_MONEY_FMT_MAX], key[64];

	if (fmt == OUT_CSV) {
		for (int c = 0; c < nc; c++) {
			char yuan[72];
			size_t n = strlen(col_key(res, c, key));
			snprintf(yuan, sizeof yuan, "%.*s_yuan", (int)n - 4, key);
			out_csv_field(f, col_money(res, c) ? yuan : key, c == nc - 1);
		}
		for (int r = 0; r < nr; r++)
			for (int c = 0; c < nc; c++)
				(col_number(res, c) ? out_csv_number : out_csv_field)(
					f, cell_text(res, r, c, buf, 0), c == nc - 1);
		return;
	}
	if (fmt == OUT_JSON) {
		fputs("[", f);
		for (int r = 0; r < nr; r++) {
			fputs(r ? ",\n {" : "\n {", f);
			for (int c = 0; c < nc; c++) {
				fputs(c ? ", " : "", f);
				out_json_string(f, col_key(res, c, key));
				fputs(": ", f);
				if (PQgetisnull(res, r, c))
					fputs("null", f);
				else if (col_money(res, c))
					fputs(PQgetvalue(res, r, c), f);
				else
					out_json_string(f, PQgetvalue(res, r, c));
			}
			fputs("}", f);
		}
		fputs("\n]\n", f);
		return;
	}
	{
		int *w = calloc((size_t)nc, sizeof *w);
		if (!w)
			return;
		for (int c = 0; c < nc; c++) {
			w[c] = out_width(col_title(res, c));
			for (int r = 0; r < nr; r++) {
				int cw = out_width(cell_text(res, r, c, buf, 1));
				if (cw > w[c])
					w[c] = cw;
			}
		}
		for (int c = 0; c < nc; c++) {
			out_pad(f, col_title(res, c), w[c], col_money(res, c));
			fputs(c == nc - 1 ? "\n" : "  ", f);
		}
		for (int r = 0; r < nr; r++) {
			if (!strcmp(PQgetvalue(res, r, 0), "合计")) {
				for (int c = 0; c < nc; c++) {
					for (int k = 0; k < w[c]; k++)
						fputc('-', f);
					fputs(c == nc - 1 ? "\n" : "  ", f);
				}
			}
			for (int c = 0; c < nc; c++) {
				out_pad(f, cell_text(res, r, c, buf, 1), w[c], col_money(res, c));
				fputs(c == nc - 1 ? "\n" : "  ", f);
			}
		}
		free(w);
	}
}
