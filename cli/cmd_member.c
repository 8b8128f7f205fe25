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
		return usage_error(o->cmd, "--%s '%s' is not a date (YYYY-MM-DD)", name, v);
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
		return usage_error(o->cmd, "--household, --head and --id are required");
	if ((status = arg_date(o, "from", &from)))
		return status;
	if (opt_has(o, "from") && !nshares)
		return usage_error(o->cmd, "--from dates the --share options; none was given");
	if ((status = arg_village(c, o, &village)))
		return status;
	if (!from.year)
		from = books_start(&village);

	people = calloc((size_t)npersons + 1, sizeof *people);
	shares = calloc((size_t)nshares + 1, sizeof *shares);
	copies = calloc((size_t)(npersons + nshares) + 1, sizeof *copies);
	if (!people || !shares || !copies) {
		status = fail_msg("out of memory");
		goto done;
	}
	for (int i = 0; i < npersons && !status; i++) {
		char *id, *relation;
		if (!(copies[i] = strdup(person_specs[i]))) {
			status = fail_msg("out of memory");
			break;
		}
		id = split_colon(copies[i]);
		relation = id ? split_colon(id) : NULL;
		if (!id)
			status = usage_error(o->cmd, "--person '%s': expected NAME:IDNUMBER:RELATION, "
						     "e.g. 王芳:110105195203040025:配偶",
					     person_specs[i]);
		people[i].name = copies[i];
		people[i].id_number = id;
		people[i].relation = relation;
	}
	for (int i = 0; i < nshares && !status; i++) {
		char *eq;
		if (!(copies[npersons + i] = strdup(share_specs[i]))) {
			status = fail_msg("out of memory");
			break;
		}
		eq = strchr(copies[npersons + i], '=');
		if (!eq || eq == copies[npersons + i]) {
			status = usage_error(o->cmd, "--share '%s': expected TYPE=N, e.g. 人口股=3",
					     share_specs[i]);
			break;
		}
		*eq = '\0';
		shares[i].type = copies[npersons + i];
		shares[i].shares = eq + 1;
		shares[i].effective_from = from;
		if (!strcmp(shares[i].type, CJ_SHARE_COLLECTIVE))
			status = fail_msg("--share 集体股: the collective's shares belong to no household; "
					  "use 'cunji member share --collective'");
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
	printf("added household %s %s %s to %s %s: %d %s", h.code, h.head_name, masked, village.code,
	       village.name, npersons + 1, npersons ? "people" : "person");
	if (nshares) {
		cj_date_format(day, sizeof day, from);
		printf("; shares from %s: ", day);
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
		return usage_error(o->cmd, "give either --household CODE or --collective");
	if (!type || !shares || !opt_has(o, "from"))
		return usage_error(o->cmd, "--type, --shares and --from are required");
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
		printf("added %s %s to household %s from %s\n", cj_shares_format(buf, centi), type,
		       household, day);
	else
		printf("added %s %s held by the collective of %s %s from %s\n",
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
		return usage_error(o->cmd, "--household and --account are required");
	if ((status = arg_village(c, o, &village)))
		return status;
	if (cj_household_set_bank(c->db, village.id, household, opt_get(o, "bank"), account))
		return fail_db(c, NULL);
	printf("household %s of %s %s: bank account recorded\n", household, village.code,
	       village.name);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* member list */

/* A bank account in public: only its last 4 digits. */
static const char *
mask_account(char buf[64], const char *account, int unmasked)
{
	size_t n = strlen(account);

	if (unmasked || !n) {
		snprintf(buf, 64, "%s", account);
		return buf;
	}
	snprintf(buf, 64, "****%s", n > 4 ? account + n - 4 : "");
	return buf;
}

typedef struct list_view {
	const cj_member_register *reg;
	int types[CJ_SHARE_NTYPES]; /* indexes of the share types shown */
	int ntypes;
	int unmasked;
	size_t nrows;               /* households, the collective, the totals */
} list_view;

enum { COL_CODE, COL_HEAD, COL_ID, COL_PEOPLE, COL_PHONE, COL_TYPES };

/* Cell col of row r: households first, then 集体 (when it holds shares), then 合计. */
static const char *
list_cell(const list_view *v, size_t r, int col, char buf[256])
{
	const cj_member_register *reg = v->reg;
	int is_household = r < reg->nhouseholds;
	int is_total = r == v->nrows - 1;
	const cj_member_row *h = is_household ? &reg->households[r] : NULL;
	int64_t centi;

	buf[0] = '\0';
	switch (col) {
	case COL_CODE: return h ? h->code : is_total ? "合计" : "集体";
	case COL_HEAD:
		if (h)
			return h->head_name;
		if (is_total)
			snprintf(buf, 256, "%zu 户", reg->nhouseholds);
		else
			snprintf(buf, 256, "村集体");
		return buf;
	case COL_ID: return h ? (v->unmasked ? h->head_id_number : h->head_id_masked) : "";
	case COL_PEOPLE:
		if (h || is_total)
			snprintf(buf, 256, "%ld", h ? (long)h->people : reg->people);
		return buf;
	case COL_PHONE: return h ? h->phone : "";
	default: break;
	}
	if (col - COL_TYPES < v->ntypes) {
		int t = v->types[col - COL_TYPES];
		centi = h ? h->shares_centi[t]
			  : is_total ? reg->type_total_centi[t]
			  : !strcmp(cj_share_types[t], CJ_SHARE_COLLECTIVE) ? reg->collective_centi : 0;
	} else {
		centi = h ? h->total_centi : is_total ? reg->total_centi : reg->collective_centi;
	}
	return centi ? cj_shares_format(buf, centi) : "";
}

static const char *
list_title(const list_view *v, int col)
{
	static const char *const titles[] = {"户编号", "户主", "身份证号", "人数", "电话"};

	if (col < COL_TYPES)
		return titles[col];
	if (col - COL_TYPES < v->ntypes)
		return cj_share_types[v->types[col - COL_TYPES]];
	return "合计股数";
}

static void
print_list_text(const cj_org *village, const list_view *v)
{
	int ncols = COL_TYPES + v->ntypes + 1, width[COL_TYPES + CJ_SHARE_NTYPES + 1];
	char buf[256], day[16];

	cj_date_format(day, sizeof day, v->reg->on);
	printf("%s %s 成员与股权 (股权以 %s 为准)\n\n", village->code, village->name, day);
	for (int col = 0; col < ncols; col++) {
		width[col] = out_width(list_title(v, col));
		for (size_t r = 0; r < v->nrows; r++) {
			int w = out_width(list_cell(v, r, col, buf));
			if (w > width[col])
				width[col] = w;
		}
	}
	for (int col = 0; col < ncols; col++) {
		out_pad(stdout, list_title(v, col), width[col], col >= COL_PEOPLE && col != COL_PHONE);
		fputs(col == ncols - 1 ? "\n" : "  ", stdout);
	}
	for (size_t r = 0; r < v->nrows; r++) {
		if (r == v->nrows - 1)
			for (int col = 0; col < ncols; col++) {
				for (int k = 0; k < width[col]; k++)
					putchar('-');
				fputs(col == ncols - 1 ? "\n" : "  ", stdout);
			}
		for (int col = 0; col < ncols; col++) {
			out_pad(stdout, list_cell(v, r, col, buf), width[col],
				col >= COL_PEOPLE && col != COL_PHONE);
			fputs(col == ncols - 1 ? "\n" : "  ", stdout);
		}
	}
	if (!v->unmasked)
		puts("\n身份证号已隐去中间8位 (--unmasked 显示全部, 仅供内部使用)");
}

/* CSV: every share type as a column, so the layout never depends on the data. */
static void
print_list_csv(const list_view *v)
{
	const cj_member_register *reg = v->reg;
	char buf[CJ_SHARES_FMT_MAX], acct[64], people[24];

	fputs("household,head,id_number,people,phone,poverty,bank,bank_account", stdout);
	for (int t = 0; t < CJ_SHARE_NTYPES; t++)
		printf(",%s", cj_share_types[t]);
	fputs(",total_shares\n", stdout);
	for (size_t r = 0; r < reg->nhouseholds; r++) {
		const cj_member_row *h = &reg->households[r];
		out_csv_field(stdout, h->code, 0);
		out_csv_field(stdout, h->head_name, 0);
		out_csv_field(stdout, v->unmasked ? h->head_id_number : h->head_id_masked, 0);
		snprintf(people, sizeof people, "%d", h->people);
		out_csv_field(stdout, people, 0);
		out_csv_field(stdout, h->phone, 0);
		out_csv_field(stdout, h->poverty_status, 0);
		out_csv_field(stdout, h->bank_name, 0);
		out_csv_field(stdout, mask_account(acct, h->bank_account, v->unmasked), 0);
		for (int t = 0; t < CJ_SHARE_NTYPES; t++)
			out_csv_field(stdout, cj_shares_format(buf, h->shares_centi[t]), 0);
		out_csv_field(stdout, cj_shares_format(buf, h->total_centi), 1);
	}
	if (reg->collective_centi) {
		fputs("集体,村集体,,,,,,", stdout);
		for (int t = 0; t < CJ_SHARE_NTYPES; t++)
			printf(",%s", cj_shares_format(buf, strcmp(cj_share_types[t], CJ_SHARE_COLLECTIVE)
								  ? 0 : reg->collective_centi));
		printf(",%s\n", cj_shares_format(buf, reg->collective_centi));
	}
	printf("合计,%zu 户,,%ld,,,,", reg->nhouseholds, reg->people);
	for (int t = 0; t < CJ_SHARE_NTYPES; t++)
		printf(",%s", cj_shares_format(buf, reg->type_total_centi[t]));
	printf(",%s\n", cj_shares_format(buf, reg->total_centi));
}

/* JSON: shares as decimal strings, exact, only the types held. */
static void
print_json_shares(const int64_t *centi)
{
	char buf[CJ_SHARES_FMT_MAX];
	int first = 1;

	fputs("{", stdout);
	for (int t = 0; t < CJ_SHARE_NTYPES; t++) {
		if (!centi[t])
			continue;
		printf("%s\"%s\": \"%s\"", first ? "" : ", ", cj_share_types[t],
		       cj_shares_format(buf, centi[t]));
		first = 0;
	}
	fputs("}", stdout);
}

static void
print_list_json(const cj_org *village, const list_view *v)
{
	const cj_member_register *reg = v->reg;
	char buf[CJ_SHARES_FMT_MAX], acct[64], day[16];

	cj_date_format(day, sizeof day, reg->on);
	fputs("{\"village\": ", stdout);
	out_json_string(stdout, village->code);
	fputs(", \"name\": ", stdout);
	out_json_string(stdout, village->name);
	printf(", \"on\": \"%s\",\n \"households\": [", day);
	for (size_t r = 0; r < reg->nhouseholds; r++) {
		const cj_member_row *h = &reg->households[r];
		fputs(r ? ",\n  {\"household\": " : "\n  {\"household\": ", stdout);
		out_json_string(stdout, h->code);
		fputs(", \"head\": ", stdout);
		out_json_string(stdout, h->head_name);
		fputs(", \"id_number\": ", stdout);
		out_json_string(stdout, v->unmasked ? h->head_id_number : h->head_id_masked);
		printf(", \"people\": %d, \"phone\": ", h->people);
		out_json_string(stdout, h->phone);
		fputs(", \"poverty\": ", stdout);
		out_json_string(stdout, h->poverty_status);
		fputs(", \"bank\": ", stdout);
		out_json_string(stdout, h->bank_name);
		fputs(", \"bank_account\": ", stdout);
		out_json_string(stdout, mask_account(acct, h->bank_account, v->unmasked));
		fputs(", \"shares\": ", stdout);
		print_json_shares(h->shares_centi);
		printf(", \"total_shares\": \"%s\"}", cj_shares_format(buf, h->total_centi));
	}
	printf("\n ],\n \"collective_shares\": \"%s\",\n", cj_shares_format(buf, reg->collective_centi));
	printf(" \"totals\": {\"households\": %zu, \"people\": %ld, \"shares\": ", reg->nhouseholds,
	       reg->people);
	print_json_shares(reg->type_total_centi);
	printf(", \"total_shares\": \"%s\"}}\n", cj_shares_format(buf, reg->total_centi));
}

int
cmd_member_list(cli *c, const cli_opts *o)
{
	cj_member_register reg;
	list_view v;
	cj_date on = cj_date_today();
	out_format fmt;
	cj_org village;
	int status;

	if (out_format_parse(opt_get(o, "format"), &fmt))
		return usage_error(o->cmd, "--format must be text, csv or json");
	if ((status = arg_date(o, "on", &on)))
		return status;
	if ((status = arg_village(c, o, &village)))
		return status;
	if (cj_member_list(c->db, village.id, on, &reg))
		return fail_db(c, NULL);
	memset(&v, 0, sizeof v);
	v.reg = &reg;
	v.unmasked = opt_has(o, "unmasked");
	for (int t = 0; t < CJ_SHARE_NTYPES; t++)
		if (reg.type_total_centi[t])
			v.types[v.ntypes++] = t;
	v.nrows = reg.nhouseholds + (reg.collective_centi != 0) + 1;
	if (fmt == OUT_CSV)
		print_list_csv(&v);
	else if (fmt == OUT_JSON)
		print_list_json(&village, &v);
	else
		print_list_text(&village, &v);
	cj_member_register_free(&reg);
	return 0;
}
