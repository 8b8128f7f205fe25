/*
 * render_data.c - the report model as CSV and JSON, for spreadsheets and
 * programs
 *
 * The same model the text, XLSX and PDF renderers lay out, so a list reads
 * the same in every format.  Columns are named by their keys (cj_table_keys;
 * the title when a column has none).  Money goes out exact: plain yuan in CSV
 * (a header KEY_yuan says so), integer fen in JSON (KEY_fen).
 *
 * SPDX-License-Identifier: MIT
 */
#include <inttypes.h>
#include <string.h>

#include <reports/report.h>

void
cj_csv_text(FILE *out, const char *s)
{
	/*
	 * A spreadsheet takes a cell that starts with =, +, -, @, a tab or a
	 * carriage return for a formula (=HYPERLINK(...) in a 摘要 would run when
	 * the file is opened), so such text gets a leading single quote, as OWASP
	 * advises against CSV injection, and is quoted.
	 */
	int formula = s[0] && strchr("=+-@\t\r", s[0]);

	if (!formula && !strpbrk(s, ",\"\n\r")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	if (formula)
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

void
cj_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* The column's name in CSV or JSON: its key (or title), money with its unit. */
static const char *
col_name(char *buf, size_t size, const cj_column *c, const char *money_unit)
{
	snprintf(buf, size, "%s%s", c->key ? c->key : c->title,
		 c->type == CJ_COL_MONEY ? money_unit : "");
	return buf;
}

/* A number without separators: money and hundredths with two decimals, a
 * percentage (tenths) as its percent with one: 97.5. */
static void
plain_number(FILE *out, cj_col_type type, int64_t v)
{
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	if (type == CJ_COL_MONEY || type == CJ_COL_CENTI)
		fprintf(out, "%s%" PRIu64 ".%02u", v < 0 ? "-" : "", mag / 100, (unsigned)(mag % 100));
	else if (type == CJ_COL_PERCENT)
		fprintf(out, "%s%" PRIu64 ".%u", v < 0 ? "-" : "", mag / 10, (unsigned)(mag % 10));
	else
		fprintf(out, "%" PRId64, v);
}

static void
csv_header(const cj_table *t, FILE *out)
{
	char name[256];

	for (size_t k = 0; k < t->nctx; k++) {
		cj_csv_text(out, t->ctx_keys[k]);
		fputc(',', out);
	}
	for (size_t c = 0; c < t->ncols; c++) {
		fputs(c ? "," : "", out);
		cj_csv_text(out, col_name(name, sizeof name, &t->cols[c], "_yuan"));
	}
	fputc('\n', out);
}

/* The same header: the same context keys and column names. */
static int
same_header(const cj_table *a, const cj_table *b)
{
	char x[256], y[256];

	if (a->nctx != b->nctx || a->ncols != b->ncols)
		return 0;
	for (size_t k = 0; k < a->nctx; k++)
		if (strcmp(a->ctx_keys[k], b->ctx_keys[k]))
			return 0;
	for (size_t c = 0; c < a->ncols; c++)
		if (a->cols[c].type != b->cols[c].type ||
		    strcmp(col_name(x, sizeof x, &a->cols[c], ""), col_name(y, sizeof y, &b->cols[c], "")))
			return 0;
	return 1;
}

static void
csv_rows(const cj_table *t, FILE *out)
{
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t k = 0; k < t->nctx; k++) {
			cj_csv_text(out, t->ctx_values[k]);
			fputc(',', out);
		}
		for (size_t c = 0; c < t->ncols; c++) {
			const cj_cell *cell = &t->rows[r].cells[c];

			fputs(c ? "," : "", out);
			if (cell->kind == CJ_CELL_TEXT)
				cj_csv_text(out, cell->text ? cell->text : "");
			else if (cell->kind == CJ_CELL_NUMBER)
				plain_number(out, t->cols[c].type, cell->value);
		}
		fputc('\n', out);
	}
}

int
cj_render_csv(const cj_report *r, long table, FILE *out)
{
	for (size_t i = 0; i < r->ntables; i++) {
		if (table >= 0 && (size_t)table != i)
			continue;
		if (table < 0 && i)
			fputc('\n', out);
		csv_header(r->tables[i], out);
		csv_rows(r->tables[i], out);
	}
	return fflush(out) || ferror(out) ? -1 : 0;
}

int
cj_render_csv_many(const cj_report *const *reports, size_t n, FILE *out)
{
	const cj_table *prev = NULL;

	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < reports[i]->ntables; k++) {
			const cj_table *t = reports[i]->tables[k];

			if (!prev || !same_header(prev, t)) {
				if (prev)
					fputc('\n', out);
				csv_header(t, out);
			}
			csv_rows(t, out);
			prev = t;
		}
	return fflush(out) || ferror(out) ? -1 : 0;
}

static void
json_strings(FILE *out, const char *name, const char *const *list, size_t n)
{
	fprintf(out, ",\n \"%s\": [", name);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", " : "", out);
		cj_json_string(out, list[i]);
	}
	fputc(']', out);
}

static void
json_row(const cj_table *t, const cj_row *row, FILE *out)
{
	static const char *const kinds[] = {"data", "heading", "subtotal", "total"};
	char name[256];

	fputc('{', out);
	if (row->kind != CJ_ROW_DATA)
		fprintf(out, "\"row\": \"%s\", ", kinds[row->kind]);
	for (size_t c = 0; c < t->ncols; c++) {
		const cj_cell *cell = &row->cells[c];

		fputs(c ? ", " : "", out);
		cj_json_string(out, col_name(name, sizeof name, &t->cols[c], "_fen"));
		fputs(": ", out);
		if (cell->kind == CJ_CELL_TEXT)
			cj_json_string(out, cell->text ? cell->text : "");
		else if (cell->kind == CJ_CELL_NUMBER && t->cols[c].type == CJ_COL_MONEY)
			fprintf(out, "%" PRId64, cell->value);
		else if (cell->kind == CJ_CELL_NUMBER)
			plain_number(out, t->cols[c].type, cell->value);
		else
			fputs("null", out);
	}
	fputc('}', out);
}

int
cj_render_json(const cj_report *r, long table, FILE *out)
{
	int first = 1;

	fputs("{\"title\": ", out);
	cj_json_string(out, r->title);
	json_strings(out, "subtitles", r->subtitles, r->nsubtitles);
	fputs(",\n \"tables\": [", out);
	for (size_t i = 0; i < r->ntables; i++) {
		const cj_table *t = r->tables[i];

		if (table >= 0 && (size_t)table != i)
			continue;
		fputs(first ? "\n  {\"name\": " : ",\n  {\"name\": ", out);
		first = 0;
		cj_json_string(out, t->name);
		for (size_t k = 0; k < t->nctx; k++) {
			fputs(k ? ", " : ", \"context\": {", out);
			cj_json_string(out, t->ctx_keys[k]);
			fputs(": ", out);
			cj_json_string(out, t->ctx_values[k]);
			fputs(k + 1 == t->nctx ? "}" : "", out);
		}
		fputs(", \"rows\": [", out);
		for (size_t k = 0; k < t->nrows; k++) {
			fputs(k ? ",\n   " : "\n   ", out);
			json_row(t, &t->rows[k], out);
		}
		fputs("]}", out);
	}
	fputs("]", out);
	json_strings(out, "notes", r->notes, r->nnotes);
	fputs("}\n", out);
	return fflush(out) || ferror(out) ? -1 : 0;
}
