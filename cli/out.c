/*
 * out.c - text tables that line up with Chinese, CSV, JSON, progress
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

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

void
out_csv_field(FILE *f, const char *s, int last)
{
	if (strpbrk(s, ",\"\n\r")) {
		fputc('"', f);
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
 * "_fen" are money: yuan with separators in text, plain yuan in CSV, integer
 * fen in JSON.  A row whose first cell is "合计" is set off by a rule.
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
		for (int c = 0; c < nc; c++)
			out_csv_field(f, col_key(res, c, key), c == nc - 1);
		for (int r = 0; r < nr; r++)
			for (int c = 0; c < nc; c++)
				out_csv_field(f, cell_text(res, r, c, buf, 0), c == nc - 1);
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
