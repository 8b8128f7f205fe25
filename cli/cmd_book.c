/*
 * cmd_book.c - cunji book general|cash|bank|detail|columnar: the books a
 * bookkeeper prints (总账, 日记账, 明细账, 多栏账) of a village or of every
 * village of a township, as text, CSV, JSON, one XLSX workbook or one PDF
 *
 * The builder (reports/books.c) returns a report per account; this file
 * shows progress over a township's villages and writes them (out.c).
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include <reports/books.h>
#include <reports/report.h>

#include "cli.h"

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
	out_format f = OUT_TEXT;
	int status;

	if (o->npos)
		return usage_error(o->cmd, _("unexpected argument '%s'"), o->pos[0]);
	if (!village == !township)
		return usage_error(o->cmd, _("give --village or --township"));
	if ((status = arg_range(o, &span)) || (status = out_file_format(o, OUT_ALL, &f)))
		return status;
	if (kind < 0)
		return fail_msg("internal: %s", o->cmd->name);
	status = cj_book_build(c->db, (cj_book_kind)kind, village ? village : township,
			       opt_get(o, "account"), span, township ? on_village : NULL, c, &book);
	if (township)
		progress_end(c);
	if (status)
		return fail_db(c, NULL);
	status = out_write(o, f, (const cj_report *const *)book.reports, book.n);
	cj_book_free(&book);
	return status;
}
