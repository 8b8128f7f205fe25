/*
 * cmd_member.c - member add, list, share, bank
 *
 * The member register (成员与股权).  ID numbers are shown masked unless
 * --unmasked is given.  The import of a member file is in
 * cmd_import_members.c.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include <reports/lists.h>

#include "cli.h"

#define FULLWIDTH_COLON "\xEF\xBC\x9A" /* ： as typed with a Chinese input method */

/* Shares without a date take effect on the first day of the books. */
static cj_date
books_start(const cj_org *village)
{
	cj_date d = {village->start.year, village->start.month, 1};

	return cj_date_valid(d) ? d : cj_date_today();
}

static int
arg_date(const cli_opts *o, const char *name, cj_date *out)
{
	const char *v = opt_get(o, name);

	if (v && cj_date_parse(out, v))
		return usage_error(o->cmd, _("--%s '%s' is not a date (YYYY-MM-DD)"), name, v);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* member add */

/* Split at the next ':' (or full-width '：'); returns the rest or NULL. */
static char *
split_colon(char *s)
{
	char *a = strchr(s, ':'), *b = strstr(s, FULLWIDTH_COLON);

	if (a && (!b || a < b)) {
		*a = '\0';
		return a + 1;
	}
	if (b) {
		*b = '\0';
		return b + strlen(FULLWIDTH_COLON);
	}
	return NULL;
}

static void
print_shares(const cj_share_spec *shares, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char buf[CJ_SHARES_FMT_MAX];
		int64_t centi = 0;

		if (cj_shares_parse(&centi, shares[i].shares))
			centi = 0;
		printf("%s%s %s", i ? ", " : "", shares[i].type, cj_shares_format(buf, centi));
	}
}

int
cmd_member_add(cli *c, const cli_opts *o)
{
	const char **person_specs, **share_specs;
	int npersons, nshares, status = 0;
	cj_person *people = NULL;
	cj_share_spec *shares = NULL;
	char **copies = NULL;
	cj_household h;
	cj_org village;
	cj_date from = {0, 0, 0};
	char masked[CJ_ID_MASK_MAX], day[16];

	person_specs = opt_all(o, "person", &npersons);
	share_specs = opt_all(o, "share", &nshares);
	if (!opt_has(o, "household") || !opt_has(o, "head") || !opt_has(o, "id"))
		return usage_error(o->cmd, _("--household, --head and --id are required"));
	if ((status = arg_date(o, "from", &from)))
		return status;
	if (opt_has(o, "from") && !nshares)
		return usage_error(o->cmd, _("--from dates the --share options; none was given"));
	if ((status = arg_village(c, o, &village)))
		return status;
	if (!from.year)
		from = books_start(&village);

	people = calloc((size_t)npersons + 1, sizeof *people);
	shares = calloc((size_t)nshares + 1, sizeof *shares);
	copies = calloc((size_t)(npersons + nshares) + 1, sizeof *copies);
	if (!people || !shares || !copies) {
		status = fail_msg(_("out of memory"));
		goto done;
	}
	for (int i = 0; i < npersons && !status; i++) {
		char *id, *relation;
		if (!(copies[i] = strdup(person_specs[i]))) {
			status = fail_msg(_("out of memory"));
			break;
		}
		id = split_colon(copies[i]);
		relation = id ? split_colon(id) : NULL;
		if (!id)
			status = usage_error(o->cmd, _("--person '%s': expected NAME:IDNUMBER:RELATION, "
						     "e.g. 王芳:110105195203040025:配偶"),
					     person_specs[i]);
		people[i].name = copies[i];
		people[i].id_number = id;
		people[i].relation = relation;
	}
	for (int i = 0; i < nshares && !status; i++) {
		char *eq;
		if (!(copies[npersons + i] = strdup(share_specs[i]))) {
			status = fail_msg(_("out of memory"));
			break;
		}
		eq = strchr(copies[npersons + i], '=');
		if (!eq || eq == copies[npersons + i]) {
			status = usage_error(o->cmd, _("--share '%s': expected TYPE=N, e.g. 人口股=3"),
					     share_specs[i]);
			break;
		}
		*eq = '\0';
		shares[i].type = copies[npersons + i];
		shares[i].shares = eq + 1;
		shares[i].effective_from = from;
		if (!strcmp(shares[i].type, CJ_SHARE_COLLECTIVE))
			status = fail_msg(_("--share 集体股: the collective's shares belong to no household; "
					  "use 'cunji member share --collective'"));
	}
	if (status)
		goto done;

	memset(&h, 0, sizeof h);
	h.code = opt_get(o, "household");
	h.head_name = opt_get(o, "head");
	h.head_id_number = opt_get(o, "id");
	h.phone = opt_get(o, "phone");
	h.bank_name = opt_get(o, "bank");
	h.bank_account = opt_get(o, "account");
	h.poverty_status = opt_get(o, "poverty");
	h.people = people;
	h.npeople = (size_t)npersons;
	h.shares = shares;
	h.nshares = (size_t)nshares;
	if (cj_household_add(c->db, village.id, &h)) {
		status = fail_db(c, NULL);
		goto done;
	}
	cj_id_number_mask(masked, h.head_id_number);
	printf(_("added household %s %s %s to %s %s: %d %s"), h.code, h.head_name, masked, village.code,
	       village.name, npersons + 1, npersons ? _("people") : _("person"));
	if (nshares) {
		cj_date_format(day, sizeof day, from);
		printf(_("; shares from %s: "), day);
		print_shares(shares, (size_t)nshares);
	}
	putchar('\n');
done:
	for (int i = 0; copies && i < npersons + nshares; i++)
		free(copies[i]);
	free(copies);
	free(people);
	free(shares);
	return status;
}

/* ------------------------------------------------------------------------ */
/* member share */

int
cmd_member_share(cli *c, const cli_opts *o)
{
	const char *household = opt_get(o, "household"), *type = opt_get(o, "type");
	const char *shares = opt_get(o, "shares");
	char day[16], buf[CJ_SHARES_FMT_MAX];
	int64_t centi = 0;
	cj_date from;
	cj_org village;
	int status;

	if (!household == !opt_has(o, "collective"))
		return usage_error(o->cmd, _("give either --household CODE or --collective"));
	if (!type || !shares || !opt_has(o, "from"))
		return usage_error(o->cmd, _("--type, --shares and --from are required"));
	if ((status = arg_date(o, "from", &from)))
		return status;
	if ((status = arg_village(c, o, &village)))
		return status;
	if (cj_share_add(c->db, village.id, household, type, shares, from))
		return fail_db(c, NULL);
	if (cj_shares_parse(&centi, shares))
		centi = 0;
	cj_date_format(day, sizeof day, from);
	if (household)
		printf(_("added %s %s to household %s from %s\n"), cj_shares_format(buf, centi), type,
		       household, day);
	else
		printf(_("added %s %s held by the collective of %s %s from %s\n"),
		       cj_shares_format(buf, centi), type, village.code, village.name, day);
	return 0;
}

int
cmd_member_bank(cli *c, const cli_opts *o)
{
	const char *household = opt_get(o, "household"), *account = opt_get(o, "account");
	cj_org village;
	int status;

	if (!household || !account)
		return usage_error(o->cmd, _("--household and --account are required"));
	if ((status = arg_village(c, o, &village)))
		return status;
	if (cj_household_set_bank(c->db, village.id, household, opt_get(o, "bank"), account))
		return fail_db(c, NULL);
	printf(_("household %s of %s %s: bank account recorded\n"), household, village.code,
	       village.name);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* member list: the register as a report (reports/lists_members.c) */

int
cmd_member_list(cli *c, const cli_opts *o)
{
	cj_member_register reg;
	cj_date on = cj_date_today();
	cj_report *r;
	out_format fmt;
	cj_org village;
	int status;

	if ((status = arg_format(o, &fmt)) || (status = arg_date(o, "on", &on)) ||
	    (status = arg_village(c, o, &village)))
		return status;
	if (cj_member_list(c->db, village.id, on, &reg))
		return fail_db(c, NULL);
	status = cj_list_members(&village, &reg, opt_has(o, "unmasked"), &r);
	cj_member_register_free(&reg);
	if (status)
		return fail_msg(_("out of memory"));
	status = out_report(fmt, r, -1);
	cj_report_free(r);
	return status;
}
