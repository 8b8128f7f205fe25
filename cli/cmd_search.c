/*
 * cmd_search.c - the inspector's cross-village search and what one
 * person's household was paid (search, household --id)
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include <reports/search.h>

#include "cli.h"

/* --village, --township or --county: exactly one (usage error otherwise). */
int
arg_one_org(const cli_opts *o, const char **code)
{
	int n = opt_has(o, "village") + opt_has(o, "township") + opt_has(o, "county");

	if (n != 1)
		return usage_error(o->cmd, _("give one of --village, --township or --county"));
	*code = opt_has(o, "village")    ? opt_get(o, "village")
		: opt_has(o, "township") ? opt_get(o, "township")
					 : opt_get(o, "county");
	return 0;
}

/* --from/--to as a day (2025-03-05) or any period (2025-03, 2025Q1): its
 * first day for --from, its last for --to; zero when absent. */
static int
arg_day(const cli_opts *o, const char *name, int last, cj_date *out)
{
	const char *v = opt_get(o, name);
	cj_span s;
	int status;

	memset(out, 0, sizeof *out);
	if (!v)
		return 0;
	if (strlen(v) == 10 && !cj_date_parse(out, v))
		return 0;
	if ((status = arg_span(o, name, &s, 1)))
		return status;
	*out = last ? cj_span_last_day(s) : cj_span_first_day(s);
	return 0;
}

int
cmd_search(cli *c, const cli_opts *o)
{
	cj_search_request req = {0};
	cj_report *r = NULL;
	out_format fmt;
	int status;

	if ((status = arg_one_org(o, &req.org)) || (status = arg_format(o, &fmt)) ||
	    (status = arg_money(o, "min", &req.min_fen, 0)) ||
	    (status = arg_money(o, "max", &req.max_fen, 0)) ||
	    (status = arg_day(o, "from", 0, &req.from)) || (status = arg_day(o, "to", 1, &req.to)))
		return status;
	req.payee = opt_get(o, "payee");
	req.id_number = opt_get(o, "id");
	req.account = opt_get(o, "account");
	if (!req.payee && !req.id_number && !req.account && !req.min_fen && !req.max_fen)
		return usage_error(o->cmd, _("give --payee, --id, --account, --min or --max"));
	status = cj_search(c->db, &req, &r);
	/* CSV is one table, the lines; JSON and text carry the households too */
	return out_built(c, fmt, status, r, fmt == OUT_CSV ? 0 : -1);
}

int
cmd_household(cli *c, const cli_opts *o)
{
	const char *org, *id;
	cj_report *r = NULL;
	out_format fmt;
	int status;

	if ((status = arg_one_org(o, &org)) || (status = arg_required(o, "id", &id)) ||
	    (status = arg_format(o, &fmt)))
		return status;
	status = cj_household_paid(c->db, org, id, &r);
	return out_built(c, fmt, status, r, fmt == OUT_CSV ? 0 : -1);
}
