/*
 * cmd_report.c - tb (科目余额表), ledger (明细账) and the journal export
 *
 * tb and ledger are the statements' 科目余额表 and 明细账 (reports/statements.c)
 * for any run of months, shown as text, CSV or JSON.
 *
 * SPDX-License-Identifier: MIT
 */
#include <reports/statements.h>

#include "cli.h"

int
cmd_tb(cli *c, const cli_opts *o)
{
	static const char *const scopes[3] = {"village", "township", "county"};
	const char *code = NULL;
	cj_org org;
	cj_span span;
	out_format fmt;
	cj_report *r = NULL;
	int n = 0, k = 0, status;

	for (int i = 0; i < 3; i++)
		if (opt_has(o, scopes[i])) {
			code = opt_get(o, scopes[i]);
			k = i;
			n++;
		}
	if (n != 1)
		return usage_error(o->cmd, _("give exactly one of --village, --township, --county"));
	if ((status = arg_format(o, &fmt)) || (status = arg_range(o, &span)))
		return status;
	if (cj_org_find(c->db, code, &org))
		return fail_db(c, NULL);
	if (org.level != (cj_org_level)(CJ_ORG_VILLAGE - k))
		return fail_msg(cj_org_level_mismatch(org.level, (cj_org_level)(CJ_ORG_VILLAGE - k)),
				org.code, org.name);
	status = cj_statement_balances(c->db, code, span, &r);
	return out_built(c, fmt, status, r, -1);
}

int
cmd_ledger(cli *c, const cli_opts *o)
{
	const char *account = opt_get(o, "account"), *village = opt_get(o, "village");
	cj_span span;
	out_format fmt;
	cj_report *r = NULL;
	char code[16];
	cj_org v;
	int status;

	if (!village)
		return usage_error(o->cmd, _("--village is required"));
	if (!account)
		return usage_error(o->cmd, _("--account is required"));
	if ((status = arg_format(o, &fmt)) || (status = arg_range(o, &span)))
		return status;
	/* by name too: 管理费用, 银行存款-农商行 */
	if ((status = arg_village(c, o, &v)))
		return status;
	if (cj_account_resolve(c->db, v.id, account, code, sizeof code))
		return fail_db(c, NULL);
	status = cj_statement_ledger(c->db, village, code, span, &r);
	return out_built(c, fmt, status, r, -1);
}

int
cmd_export_journal(cli *c, const cli_opts *o)
{
	const char *path = opt_get(o, "out");
	int some = opt_has(o, "period") || opt_has(o, "year"), status;
	FILE *out = stdout;
	cj_span span;
	cj_org v;

	/* without --period or --year, every month */
	if ((some && (status = arg_range(o, &span))) || (status = arg_village(c, o, &v)))
		return status;
	if (path && !(out = fopen(path, "w")))
		return fail_msg(_("%s: cannot write"), path);
	if (cj_journal_export(c->db, v.id, some ? &span : NULL, out))
		status = fail_db(c, NULL);
	if (path && fclose(out) && !status)
		status = fail_msg(_("%s: cannot write"), path);
	return status;
}
