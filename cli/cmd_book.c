/*
 * cmd_book.c - cunji book general|cash|bank|detail|columnar: the books a
 * bookkeeper prints (总账, 日记账, 明细账, 多栏账) of a village or of every
 * village of a township, as text, one XLSX workbook or one PDF
 *
 * The builder (reports/books.c) returns a report per account; this file
 * picks the renderer and shows progress over a township's villages.
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include <reports/books.h>
#include <reports/report.h>

#include "cli.h"

typedef enum fmt { FMT_TEXT, FMT_XLSX, FMT_PDF } fmt;

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

/* --format, else the --out file's extension, else text */
static int
book_format(const cli_opts *o, fmt *f)
{
	const char *s = opt_get(o, "format"), *out = opt_get(o, "out");

	if (!s)
		*f = out && ends_with(out, ".xlsx") ? FMT_XLSX : out && ends_with(out, ".pdf") ? FMT_PDF : FMT_TEXT;
	else if (!strcmp(s, "text"))
		*f = FMT_TEXT;
	else if (!strcmp(s, "xlsx"))
		*f = FMT_XLSX;
	else if (!strcmp(s, "pdf"))
		*f = FMT_PDF;
	else
		return usage_error(o->cmd, _("--format must be text, xlsx or pdf"));
	if (*f != FMT_TEXT && !out)
		return usage_error(o->cmd, _("--format %s needs --out FILE"), *f == FMT_XLSX ? "xlsx" : "pdf");
	return 0;
}

static int
write_book(const cli_opts *o, fmt f, const cj_book *b)
{
	const cj_report *const *reports = (const cj_report *const *)b->reports;
	const char *path = opt_get(o, "out");
	char err[1024];
	FILE *out;
	int bad;

	if (f == FMT_XLSX)
		return cj_render_xlsx(reports, b->n, path, err, sizeof err) ? fail_msg("%s", err) : 0;
	if (f == FMT_PDF)
		return cj_render_pdf(reports, b->n, path, err, sizeof err) ? fail_msg("%s", err) : 0;
	if (!(out = path ? fopen(path, "w") : stdout))
		return fail_msg(_("%s: cannot write"), path);
	bad = cj_render_text(reports, b->n, out);
	if (path && fclose(out))
		bad = 1;
	return bad ? fail_msg(_("%s: cannot write"), path ? path : _("standard output")) : 0;
}

static void
on_village(void *arg, const char *village, size_t done, size_t total)
{
	(void)village;
	progress(arg, _("villages"), (long)done, (long)total);
}

int
cmd_book(cli *c, const cli_opts *o)
{
	const char *village = opt_get(o, "village"), *township = opt_get(o, "township");
	int kind = cj_book_kind_parse(o->cmd->name + strlen("book "));
	cj_book book = {0};
	cj_span span;
	fmt f = FMT_TEXT;
	int status;

	if (o->npos)
		return usage_error(o->cmd, _("unexpected argument '%s'"), o->pos[0]);
	if (!village == !township)
		return usage_error(o->cmd, _("give --village or --township"));
	if ((status = arg_range(o, &span)) || (status = book_format(o, &f)))
		return status;
	if (kind < 0)
		return fail_msg("internal: %s", o->cmd->name);
	status = cj_book_build(c->db, (cj_book_kind)kind, village ? village : township,
			       opt_get(o, "account"), span, township ? on_village : NULL, c, &book);
	if (township)
		progress_end(c);
	if (status)
		return fail_db(c, NULL);
	status = write_book(o, f, &book);
	cj_book_free(&book);
	return status;
}
