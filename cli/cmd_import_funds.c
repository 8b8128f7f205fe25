/*
 * cmd_import_funds.c - import funds: an allocation notice (下达文件) into
 * allocations and village funds
 *
 * The work is cj_import_funds (importers/fund_import.h); this prints its
 * problems (cmd_import.c) and what it added.
 *
 * SPDX-License-Identifier: MIT
 */
#include <importers/fund_import.h>

#include "cli.h"

static void
print_result(const char *path, const cj_fund_import_result *r, int dry_run)
{
	char a[CJ_MONEY_FMT_MAX];

	if (!r->funds)
		printf(_("%s (%s): nothing new; the %zu fund%s of the file %s already in the books"),
		       path, r->encoding, r->existing, r->existing == 1 ? "" : "s",
		       r->existing == 1 ? "is" : "are");
	else
		printf(_("%s (%s): %s %zu fund%s in %zu allocation%s (%zu new), %s in all"), path,
		       r->encoding, dry_run ? _("would add") : _("added"), r->funds, r->funds == 1 ? "" : "s",
		       r->nallocs, r->nallocs == 1 ? "" : "s", r->new_allocations,
		       out_money(a, r->added_fen, 0));
	if (r->budgets)
		printf(_("; %zu project budget%s"), r->budgets, r->budgets == 1 ? "" : "s");
	if (r->existing && r->funds)
		printf(_("; %zu already imported"), r->existing);
	putchar('\n');
	for (size_t g = 0; g < r->nallocs; g++) {
		const cj_fund_import_alloc *al = &r->allocs[g];
		printf(_("  %s %s %s: %s over %zu village%s%s\n"), al->county, al->doc_no, al->name,
		       out_money(a, al->total_fen, 0), al->villages, al->villages == 1 ? "" : "s",
		       al->existed ? _(" (allocation already in the books)") : "");
	}
}

int
cmd_import_funds(cli *c, const cli_opts *o)
{
	cj_fund_import_opts fo = {0};
	cj_fund_import_result r;
	import_ui ui;
	import_src src;
	const char *path;
	int status = import_file_arg(o, &path);

	if (status)
		return status;
	if (!path)
		return usage_error(o->cmd, _("--file FILE is required"));
	fo.dry_run = opt_has(o, "dry-run");
	if ((status = import_src_open(&src, o, path)))
		return status;
	fo.name = src.name;
	fo.sheet = src.sheet;
	fo.cb = import_ui_begin(&ui, c, src.path);
	if (cj_import_funds(c->db, src.path, &fo, &r))
		status = fail_msg("%s", cj_db_errmsg(c->db));
	else
		print_result(src.name, &r, fo.dry_run);
	import_ui_end(&ui);
	import_src_close(&src);
	cj_fund_import_result_dispose(&r);
	return status;
}
