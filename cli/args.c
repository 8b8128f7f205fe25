/*
 * args.c - option values every command reads the same way: a village, a
 * date of the books, and periods in the one syntax of <ledger/span.h>
 *
 * Each prints a usage error (exit 2) for a bad value, or a refusal (exit 1)
 * when the database does not know it.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int
arg_village(cli *c, const cli_opts *o, cj_org *out)
{
	const char *code = opt_get(o, "village");

	if (!code)
		return usage_error(o->cmd, _("--village is required"));
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
		return required ? usage_error(o->cmd, _("--%s is required"), name) : 0;
	if (cj_date_parse(out, v))
		return usage_error(o->cmd, _("--%s '%s' is not a date (YYYY-MM-DD)"), name, v);
	if (!cj_date_in_books(*out))
		return usage_error(o->cmd, _("--%s '%s' is outside the books' dates (%s)"), name, v,
				   cj_books_range_text(range, sizeof range));
	return 0;
}

int
arg_format(const cli_opts *o, out_format *out)
{
	if (out_format_parse(opt_get(o, "format"), out))
		return usage_error(o->cmd, _("--format must be text, csv or json"));
	return 0;
}

int
arg_span(const cli_opts *o, const char *name, cj_span *out, int required)
{
	const char *v = opt_get(o, name);
	char why[512];

	if (!v)
		return required ? usage_error(o->cmd, _("--%s is required: %s"), name, CJ_SPAN_SYNTAX) : 0;
	if (cj_span_parse(out, v, why, sizeof why))
		return usage_error(o->cmd, "--%s %s", name, why);
	return 0;
}

/* A period that must be of one kind (a month, a year); absent: 0, *out untouched. */
static int
arg_kind(const cli_opts *o, const char *name, cj_span_kind kind, cj_span *out, int required)
{
	static const char *const kinds[] = {N_("a month"), N_("a quarter"), N_("a year"),
						 N_("a range of months")};
	static const char *const want[] = {N_("one month, e.g. 2025-12"), "", N_("a year, e.g. 2025"),
						""};
	cj_span s;
	int status = arg_span(o, name, &s, required);

	if (status || !opt_has(o, name))
		return status;
	if (s.kind != kind)
		return usage_error(o->cmd, _("--%s '%s' is %s; give %s"), name, opt_get(o, name),
				   _(kinds[s.kind]), CJ_TR(want[kind]));
	*out = s;
	return 0;
}

int
arg_month(const cli_opts *o, const char *name, cj_period *out, int required)
{
	cj_span s;
	int status = arg_kind(o, name, CJ_SPAN_MONTH, &s, required);

	if (!status && opt_has(o, name))
		*out = s.from;
	return status;
}

int
arg_year(const cli_opts *o, const char *name, int *out, int required)
{
	cj_span s;
	int status = arg_kind(o, name, CJ_SPAN_YEAR, &s, required);

	if (!status && opt_has(o, name))
		*out = s.from.year;
	return status;
}

int
arg_range(const cli_opts *o, cj_span *out)
{
	cj_date today = cj_date_today();
	cj_span from, to;
	int status;

	if (opt_has(o, "period") + opt_has(o, "year") + (opt_has(o, "from") || opt_has(o, "to")) > 1)
		return usage_error(o->cmd, _("give --period, --year or --from/--to, not more than one"));
	if (opt_has(o, "period"))
		return arg_span(o, "period", out, 1);
	if (opt_has(o, "year"))
		return arg_kind(o, "year", CJ_SPAN_YEAR, out, 1);
	/* --to defaults to this month, --from to January of --to's year */
	to = cj_span_month((cj_period){today.year, today.month});
	if ((status = arg_span(o, "to", &to, 0)))
		return status;
	from = cj_span_month((cj_period){to.to.year, 1});
	if ((status = arg_span(o, "from", &from, 0)))
		return status;
	if (cj_period_cmp(from.from, to.to) > 0)
		return usage_error(o->cmd, _("--from comes after --to"));
	*out = cj_span_range(from.from, to.to);
	return 0;
}

/* --name AMOUNT in yuan into fen; required or not. */
int
arg_money(const cli_opts *o, const char *name, int64_t *out, int required)
{
	const char *v = opt_get(o, name);
	cj_money m;

	if (!v) {
		if (required)
			return usage_error(o->cmd, _("--%s is required"), name);
		return 0;
	}
	if (cj_money_parse(&m, v) || m.fen <= 0)
		return usage_error(o->cmd, _("--%s '%s' is not a positive amount in yuan"), name, v);
	*out = m.fen;
	return 0;
}

int
arg_required(const cli_opts *o, const char *name, const char **out)
{
	*out = opt_get(o, name);
	if (!*out)
		return usage_error(o->cmd, _("--%s is required"), name);
	return 0;
}

int
arg_voucher_number(const cli_opts *o, const char *name, cj_period *per, int *number)
{
	const char *v = opt_get(o, name);
	char month[8], *end;
	long n;

	if (!v)
		return usage_error(o->cmd, _("--%s is required"), name);
	if (strlen(v) < 9 || v[7] != '-')
		return usage_error(o->cmd, _("--%s '%s' should look like 2025-03-7"), name, v);
	memcpy(month, v, 7);
	month[7] = '\0';
	n = strtol(v + 8, &end, 10);
	if (cj_period_parse(per, month) || *end || n <= 0 || n > 1000000)
		return usage_error(o->cmd, _("--%s '%s' should look like 2025-03-7"), name, v);
	*number = (int)n;
	return 0;
}

int
arg_ids(const cli_opts *o, const char *name, int64_t **ids, size_t *n)
{
	int count;
	const char **all = opt_all(o, name, &count);

	*ids = NULL;
	*n = 0;
	if (count <= 0)
		return 0;
	if (!(*ids = calloc((size_t)count, sizeof **ids)))
		return fail_msg(_("out of memory"));
	for (int i = 0; i < count; i++) {
		char *end;
		long long v = strtoll(all[i], &end, 10);
		if (*end || end == all[i] || v <= 0) {
			free(*ids);
			*ids = NULL;
			return usage_error(o->cmd, _("--%s '%s' is not a draft number"), name, all[i]);
		}
		(*ids)[i] = v;
	}
	*n = (size_t)count;
	return 0;
}
