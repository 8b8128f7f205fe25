/*
 * cmd_import_members.c - member import, import members: a member file into
 * a village's register
 *
 * The work is cj_import_members (importers/member_import.h); this prints
 * its problems (cmd_import.c) and what it imported.
 *
 * SPDX-License-Identifier: MIT
 */
#include <importers/member_import.h>

#include "cli.h"

int
cmd_member_import(cli *c, const cli_opts *o)
{
	const char *path = opt_get(o, "file");

	if (!path)
		return usage_error(o->cmd, _("--file FILE is required"));
	return member_import_file(c, o, path);
}

int
cmd_import_members(cli *c, const cli_opts *o)
{
	const char *path;
	int status = import_file_arg(o, &path);

	if (status)
		return status;
	if (!path)
		return usage_error(o->cmd, _("which file? give FILE"));
	return member_import_file(c, o, path);
}

static void
print_result(const char *path, const cj_member_import_result *r, int dry_run)
{
	char buf[CJ_SHARES_FMT_MAX], day[16];

	printf(_("%s (%s): %s %zu household%s, %zu people, %s shares"), path, r->encoding,
	       dry_run ? _("would import") : _("imported"), r->households, r->households == 1 ? "" : "s",
	       r->people, cj_shares_format(buf, r->shares_centi));
	for (int t = 0, first = 1; t < CJ_SHARE_NTYPES; t++)
		if (r->type_centi[t]) {
			printf("%s%s %s", first ? " (" : ", ", cj_share_types[t],
			       cj_shares_format(buf, r->type_centi[t]));
			first = 0;
		}
	if (r->shares_centi)
		putchar(')');
	putchar('\n');
	if (r->defaulted) {
		cj_date_format(day, sizeof day, r->books_start);
		printf(_("shares without 股权生效日期 take effect on %s, the first day of the books\n"),
		       day);
	}
	if (dry_run)
		puts(_("nothing was written (--dry-run)"));
}

int
member_import_file(cli *c, const cli_opts *o, const char *path)
{
	cj_member_import_opts mo = {0};
	cj_member_import_result r;
	import_ui ui;
	import_src src;
	int status = 0;

	mo.village = opt_get(o, "village");
	if (!mo.village)
		return usage_error(o->cmd, _("--village is required"));
	mo.dry_run = opt_has(o, "dry-run");
	if ((status = import_src_open(&src, o, path)))
		return status;
	mo.name = src.name;
	mo.sheet = src.sheet;
	mo.cb = import_ui_begin(&ui, c, src.path);
	if (cj_import_members(c->db, src.path, &mo, &r))
		status = fail_msg("%s", cj_db_errmsg(c->db));
	else
		print_result(src.name, &r, mo.dry_run);
	import_ui_end(&ui);
	import_src_close(&src);
	return status;
}
