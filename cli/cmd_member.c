/*
 * cmd_member.c - member add, list, import, share
 *
 * The member register (成员与股权).  ID numbers are shown masked unless
 * --unmasked is given; an import checks the whole file, reports every
 * problem with its row and column, and writes nothing unless all is well.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <importers/csv.h>
#include <importers/encoding.h>

#include "cli.h"

#define MAX_FILE_BYTES (64L << 20)
#define FULLWIDTH_COLON "\xEF\xBC\x9A" /* ： as typed with a Chinese input method */
#define SHARES_EXPECTED "positive, at most two decimals, e.g. 1.5"

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

/* ------------------------------------------------------------------------ */
/* member import */

enum { F_HOUSEHOLD, F_NAME, F_ID, F_RELATION, F_PHONE, F_BANK, F_ACCOUNT, F_POVERTY, F_FROM,
       F_NFIXED };

static const char *const column_names[F_NFIXED][5] = {
	{"户编号", "household", "户号", "household_code", NULL},
	{"姓名", "name", NULL},
	{"身份证号", "id_number", "身份证号码", "公民身份号码", NULL},
	{"与户主关系", "relation", NULL},
	{"电话", "phone", "联系电话", NULL},
	{"开户行", "bank", NULL},
	{"银行账号", "bank_account", NULL},
	{"户类型", "poverty", NULL},
	{"股权生效日期", "effective_from", NULL},
};

/* The household share types (not 集体股), in cj_share_types order. */
#define NHOUSEHOLD_TYPES (CJ_SHARE_NTYPES - 1)

typedef struct file_error {
	size_t row, seq; /* seq keeps the order of errors found on one row */
	char *text;
} file_error;

typedef struct import_person {
	size_t household, row;
	const char *name, *id, *relation;
} import_person;

typedef struct import_household {
	const char *code;
	size_t first_row, head_row;
	const char *head_name, *head_id;
	/* household fields: the value and the row that gave it first */
	const char *field[F_NFIXED];
	size_t field_row[F_NFIXED];
	const char *shares[NHOUSEHOLD_TYPES];
	size_t share_row[NHOUSEHOLD_TYPES];
	cj_date from; /* {0}: the books' start */
	size_t npeople;
} import_household;

typedef struct import {
	const char *path;
	int col[F_NFIXED];
	int share_col[NHOUSEHOLD_TYPES];
	const char *header[1024]; /* column titles as written in the file */
	size_t ncols;
	char **strings;
	size_t nstrings, capstrings;
	import_person *persons;
	size_t npersons, cappersons;
	import_household *households;
	size_t nhouseholds, caphouseholds;
	file_error *errors;
	size_t nerrors, caperrors;
	int oom;
} import;

static char *
keep(import *im, const char *s, size_t n)
{
	char *copy;

	if (im->nstrings == im->capstrings) {
		size_t cap = im->capstrings ? im->capstrings * 2 : 256;
		char **ns = realloc(im->strings, cap * sizeof *ns);
		if (!ns) {
			im->oom = 1;
			return NULL;
		}
		im->strings = ns;
		im->capstrings = cap;
	}
	copy = malloc(n + 1);
	if (!copy) {
		im->oom = 1;
		return NULL;
	}
	memcpy(copy, s, n);
	copy[n] = '\0';
	im->strings[im->nstrings++] = copy;
	return copy;
}

/* A field without the spaces around it (ASCII, tab, or U+3000 全角空格). */
static char *
keep_trimmed(import *im, const char *s)
{
	const char *end = s + strlen(s);

	for (;;) {
		if (*s == ' ' || *s == '\t')
			s++;
		else if (!strncmp(s, "\xE3\x80\x80", 3))
			s += 3;
		else
			break;
	}
	for (;;) {
		if (end > s && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		else if (end - s >= 3 && !strncmp(end - 3, "\xE3\x80\x80", 3))
			end -= 3;
		else
			break;
	}
	return keep(im, s, (size_t)(end - s));
}

static void
import_free(import *im)
{
	for (size_t i = 0; i < im->nstrings; i++)
		free(im->strings[i]);
	free(im->strings);
	for (size_t i = 0; i < im->nerrors; i++)
		free(im->errors[i].text);
	free(im->errors);
	free(im->persons);
	free(im->households);
}

/* Record "FILE: row N, column NAME: 'value' what" to be printed in row order. */
static void
row_error(import *im, size_t row, int col, const char *value, const char *fmt, ...)
	CJ_PRINTF(5, 6);

static void
row_error(import *im, size_t row, int col, const char *value, const char *fmt, ...)
{
	char what[512], *text;
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (im->nerrors == im->caperrors) {
		size_t cap = im->caperrors ? im->caperrors * 2 : 32;
		file_error *ne = realloc(im->errors, cap * sizeof *ne);
		if (!ne) {
			im->oom = 1;
			return;
		}
		im->errors = ne;
		im->caperrors = cap;
	}
	n = snprintf(NULL, 0, "%s: row %zu%s%s%s%s%s%s%s", im->path, row,
		     col >= 0 ? ", column " : "", col >= 0 ? im->header[col] : "", ": ",
		     value ? "'" : "", value ? value : "", value ? "' " : "", what);
	text = malloc((size_t)n + 1);
	if (!text) {
		im->oom = 1;
		return;
	}
	snprintf(text, (size_t)n + 1, "%s: row %zu%s%s%s%s%s%s%s", im->path, row,
		 col >= 0 ? ", column " : "", col >= 0 ? im->header[col] : "", ": ", value ? "'" : "",
		 value ? value : "", value ? "' " : "", what);
	im->errors[im->nerrors].row = row;
	im->errors[im->nerrors].seq = im->nerrors;
	im->errors[im->nerrors].text = text;
	im->nerrors++;
}

static int
error_cmp(const void *a, const void *b)
{
	const file_error *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Dates as spreadsheets write them: 2025-01-01, 2025/1/1. */
static int
parse_day(const char *text, cj_date *out)
{
	int y, m, d, n = 0;
	char s1, s2;

	if (sscanf(text, "%4d%c%2d%c%2d%n", &y, &s1, &m, &s2, &d, &n) != 5 || text[n] ||
	    s1 != s2 || (s1 != '-' && s1 != '/'))
		return CJ_EINVAL;
	out->year = y;
	out->month = m;
	out->day = d;
	return cj_date_valid(*out) ? 0 : CJ_EINVAL;
}

static int
header_match(const char *h, int *fixed, int *type)
{
	*fixed = *type = -1;
	for (int k = 0; k < F_NFIXED; k++)
		for (int a = 0; a < 5 && column_names[k][a]; a++)
			if (!strcmp(h, column_names[k][a]))
				return *fixed = k, 1;
	for (int t = 0; t < NHOUSEHOLD_TYPES; t++)
		if (!strcmp(h, cj_share_types[t]))
			return *type = t, 1;
	return 0;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* Map the header's columns; problems with it are row-1 errors. */
static void
read_header(import *im, const cj_csv *csv, int *ignored)
{
	*ignored = 0;
	for (int k = 0; k < F_NFIXED; k++)
		im->col[k] = -1;
	for (int t = 0; t < NHOUSEHOLD_TYPES; t++)
		im->share_col[t] = -1;
	im->ncols = csv->nfields < 1024 ? csv->nfields : 1024;
	for (size_t i = 0; i < im->ncols; i++) {
		const char *h = keep_trimmed(im, cj_csv_field(csv, i));
		int fixed, type, *slot;

		im->header[i] = h ? h : "";
		if (!h || !h[0])
			continue; /* spreadsheets leave untitled empty columns at the right */
		if (!header_match(h, &fixed, &type)) {
			if (!strcmp(h, CJ_SHARE_COLLECTIVE))
				row_error(im, 1, (int)i, NULL,
					  "集体股 is held by the collective, not by households; add it "
					  "with 'cunji member share --collective'");
			else if (ends_with(h, "股"))
				row_error(im, 1, (int)i, NULL,
					  "is not a share type; the types are 人口股, 劳龄股, 扶贫股, "
					  "募集股 and 土地股");
			else
				(*ignored)++;
			continue;
		}
		slot = fixed >= 0 ? &im->col[fixed] : &im->share_col[type];
		if (*slot >= 0)
			row_error(im, 1, (int)i, NULL, "is the same column as column %d", *slot + 1);
		else
			*slot = (int)i;
	}
}

static import_household *
household_of(import *im, const char *code, size_t row, size_t *index)
{
	import_household *h;

	/* rows of a household usually come together: try the last one first */
	for (size_t k = im->nhouseholds; k-- > 0;)
		if (!strcmp(im->households[k].code, code)) {
			*index = k;
			return &im->households[k];
		}
	if (im->nhouseholds == im->caphouseholds) {
		size_t cap = im->caphouseholds ? im->caphouseholds * 2 : 64;
		import_household *nh = realloc(im->households, cap * sizeof *nh);
		if (!nh) {
			im->oom = 1;
			return NULL;
		}
		im->households = nh;
		im->caphouseholds = cap;
	}
	h = &im->households[im->nhouseholds];
	memset(h, 0, sizeof *h);
	h->code = code;
	h->first_row = row;
	*index = im->nhouseholds++;
	return h;
}

/* A household field may be given on any of its rows, the same each time. */
static void
household_field(import *im, import_household *h, int k, size_t row, const char *value)
{
	if (!value[0])
		return;
	if (!h->field[k]) {
		h->field[k] = value;
		h->field_row[k] = row;
	} else if (strcmp(h->field[k], value)) {
		row_error(im, row, im->col[k], value, "differs from '%s' on row %zu for household %s",
			  h->field[k], h->field_row[k], h->code);
	}
}

static void
check_id(import *im, size_t row, const char *id)
{
	cj_id_problem problem = cj_id_number_check(id);
	size_t n = strlen(id);
	int digits = n > 0;

	if (!problem)
		return;
	for (const char *p = id; *p; p++)
		digits &= *p >= '0' && *p <= '9';
	if (strchr(id, 'E') || strchr(id, 'e'))
		row_error(im, row, im->col[F_ID], id,
			  "is not an ID number: a spreadsheet turned it into a number; format the "
			  "column as text and type it again");
	else if (n == 15 && digits)
		row_error(im, row, im->col[F_ID], id,
			  "is a 15-digit first-generation number; give the 18-digit one");
	else if (!n)
		row_error(im, row, im->col[F_ID], NULL, "is empty; every person needs an ID number");
	else
		row_error(im, row, im->col[F_ID], id, "%s", cj_id_problem_text(problem));
}

static void
read_row(import *im, const cj_csv *csv, size_t row)
{
	const char *f[F_NFIXED], *share[NHOUSEHOLD_TYPES];
	import_household *h;
	import_person *p;
	size_t index;
	int head;

	for (int k = 0; k < F_NFIXED; k++) {
		f[k] = im->col[k] >= 0 ? keep_trimmed(im, cj_csv_field(csv, (size_t)im->col[k])) : "";
		if (!f[k])
			return;
	}
	for (int t = 0; t < NHOUSEHOLD_TYPES; t++) {
		share[t] = im->share_col[t] >= 0
				   ? keep_trimmed(im, cj_csv_field(csv, (size_t)im->share_col[t]))
				   : "";
		if (!share[t])
			return;
	}
	if (!f[F_NAME][0])
		row_error(im, row, im->col[F_NAME], NULL, "is empty; every person needs a name");
	check_id(im, row, f[F_ID]);
	if (!f[F_HOUSEHOLD][0]) {
		row_error(im, row, im->col[F_HOUSEHOLD], NULL,
			  "is empty; every row needs the code of its household");
		return;
	}
	if (!cj_household_code_valid(f[F_HOUSEHOLD])) {
		row_error(im, row, im->col[F_HOUSEHOLD], f[F_HOUSEHOLD],
			  "is not a household code (1 to 30 letters, digits, '-' or '_')");
		return;
	}
	h = household_of(im, f[F_HOUSEHOLD], row, &index);
	if (!h)
		return;

	head = !strcmp(f[F_RELATION], CJ_RELATION_HEAD);
	if (head && h->head_row) {
		row_error(im, row, im->col[F_RELATION], f[F_RELATION],
			  "is given twice for household %s (also on row %zu); a household has one",
			  h->code, h->head_row);
	} else if (head) {
		h->head_row = row;
		h->head_name = f[F_NAME];
		h->head_id = f[F_ID];
	}

	if (f[F_ACCOUNT][0] && !cj_bank_account_valid(f[F_ACCOUNT]))
		row_error(im, row, im->col[F_ACCOUNT], f[F_ACCOUNT],
			  "is not a bank account number (digits only)");
	else
		household_field(im, h, F_ACCOUNT, row, f[F_ACCOUNT]);
	/* 一般户 and 普通户 are how registers write "neither" */
	if (!strcmp(f[F_POVERTY], "一般户") || !strcmp(f[F_POVERTY], "普通户"))
		f[F_POVERTY] = "";
	if (!cj_poverty_status_valid(f[F_POVERTY]))
		row_error(im, row, im->col[F_POVERTY], f[F_POVERTY],
			  "is not 脱贫户 or 监测户 (leave it empty, or 一般户, for neither)");
	else
		household_field(im, h, F_POVERTY, row, f[F_POVERTY]);
	household_field(im, h, F_PHONE, row, f[F_PHONE]);
	household_field(im, h, F_BANK, row, f[F_BANK]);
	if (f[F_FROM][0]) {
		cj_date d;
		if (parse_day(f[F_FROM], &d))
			row_error(im, row, im->col[F_FROM], f[F_FROM], "is not a date (YYYY-MM-DD)");
		else if (!h->field[F_FROM])
			h->from = d;
		household_field(im, h, F_FROM, row, f[F_FROM]);
	}
	for (int t = 0; t < NHOUSEHOLD_TYPES; t++) {
		int64_t centi;
		int rc;

		/* 0 or empty: none of this type */
		if (!share[t][0] || strspn(share[t], "0.") == strlen(share[t]))
			continue;
		rc = cj_shares_parse(&centi, share[t]);
		if (rc) {
			row_error(im, row, im->share_col[t], share[t],
				  "is not a number of shares (%s)",
				  rc == CJ_EOVERFLOW ? "too large" : SHARES_EXPECTED);
		} else if (h->shares[t]) {
			/* summing would double a household figure repeated on each row */
			row_error(im, row, im->share_col[t], share[t],
				  "is a second %s for household %s (row %zu gave '%s'); give a "
				  "household's shares on one of its rows",
				  cj_share_types[t], h->code, h->share_row[t], h->shares[t]);
		} else {
			h->shares[t] = share[t];
			h->share_row[t] = row;
		}
	}

	if (head)
		return;
	if (im->npersons == im->cappersons) {
		size_t cap = im->cappersons ? im->cappersons * 2 : 256;
		import_person *np = realloc(im->persons, cap * sizeof *np);
		if (!np) {
			im->oom = 1;
			return;
		}
		im->persons = np;
		im->cappersons = cap;
	}
	p = &im->persons[im->npersons++];
	p->household = index;
	p->row = row;
	p->name = f[F_NAME];
	p->id = f[F_ID];
	p->relation = f[F_RELATION];
	h->npeople++;
}

typedef struct id_row {
	const char *id;
	size_t row;
} id_row;

static int
id_row_cmp(const void *a, const void *b)
{
	const id_row *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* Checks across rows: a head for each household, no ID twice, nothing already registered. */
static int
check_whole_file(cli *c, import *im, int village_id)
{
	size_t nids = im->nhouseholds + im->npersons, n = 0;
	id_row *ids = calloc(nids ? nids : 1, sizeof *ids);
	const char **codes = calloc(im->nhouseholds ? im->nhouseholds : 1, sizeof *codes);
	const char **id_texts = calloc(nids ? nids : 1, sizeof *id_texts);
	int *taken = calloc(im->nhouseholds ? im->nhouseholds : 1, sizeof *taken);
	char (*owner)[CJ_HOUSEHOLD_CODE_MAX] = calloc(nids ? nids : 1, sizeof *owner);
	int status = 0;

	if (!ids || !codes || !id_texts || !taken || !owner) {
		status = fail_msg("out of memory");
		goto done;
	}
	for (size_t i = 0; i < im->nhouseholds; i++) {
		import_household *h = &im->households[i];
		codes[i] = h->code;
		if (!h->head_row)
			row_error(im, h->first_row, im->col[F_RELATION], NULL,
				  "household %s has no row whose %s is 户主", h->code,
				  im->header[im->col[F_RELATION]]);
		else if (h->head_id[0])
			ids[n++] = (id_row){h->head_id, h->head_row};
	}
	for (size_t i = 0; i < im->npersons; i++)
		if (im->persons[i].id[0])
			ids[n++] = (id_row){im->persons[i].id, im->persons[i].row};
	qsort(ids, n, sizeof *ids, id_row_cmp);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(ids[i].id, ids[i - 1].id))
			row_error(im, ids[i].row, im->col[F_ID], ids[i].id, "is also on row %zu",
				  ids[i - 1].row);
	for (size_t i = 0; i < n; i++)
		id_texts[i] = ids[i].id;
	if (cj_member_lookup(c->db, village_id, codes, im->nhouseholds, taken, id_texts, n, owner)) {
		status = fail_db(c, NULL);
		goto done;
	}
	for (size_t i = 0; i < im->nhouseholds; i++)
		if (taken[i])
			row_error(im, im->households[i].first_row, im->col[F_HOUSEHOLD],
				  im->households[i].code, "is already in the register of this village");
	for (size_t i = 0; i < n; i++)
		if (owner[i][0])
			row_error(im, ids[i].row, im->col[F_ID], ids[i].id,
				  "is already registered in this village, in household %s", owner[i]);
done:
	free(ids);
	free(codes);
	free(id_texts);
	free(taken);
	free(owner);
	return status;
}

static int
read_whole_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return fail_msg("%s: %s", path, strerror(errno));
	for (;;) {
		size_t got;
		if (cap - n < 65536) {
			char *nb;
			if (cap > (size_t)MAX_FILE_BYTES) {
				free(buf);
				fclose(f);
				return fail_msg("%s: larger than %ld MB", path, MAX_FILE_BYTES >> 20);
			}
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return fail_msg("out of memory");
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return fail_msg("%s: read error", path);
	}
	fclose(f);
	*out = buf;
	*len = n;
	return 0;
}

/* Read, decode and check the file; every problem is recorded in im->errors. */
static int
load_member_file(cli *c, import *im, int village_id, const char **encoding)
{
	char *raw = NULL, *text = NULL;
	size_t rawlen = 0, len = 0, row = 1;
	cj_csv csv;
	int rc, status, ignored;

	if ((status = read_whole_file(im->path, &raw, &rawlen)))
		return status;
	rc = cj_to_utf8(raw, rawlen, &text, &len, encoding);
	if (rc == CJ_EINVAL) {
		size_t line = 1;
		for (size_t i = 0; i < len && i < rawlen; i++)
			line += raw[i] == '\n';
		free(raw);
		return fail_msg("%s: line %zu: the bytes there are neither UTF-8 nor GBK/GB18030; "
				"save the file as CSV in UTF-8 or GBK",
				im->path, line);
	}
	free(raw);
	if (rc)
		return fail_msg("%s: %s", im->path,
				rc == CJ_ENOMEM ? "out of memory"
						: "this system cannot convert from GB18030 (iconv)");
	cj_csv_init(&csv, text, len, cj_csv_sniff_delim(text, len));
	rc = cj_csv_next(&csv);
	if (rc <= 0) {
		status = fail_msg("%s: %s", im->path, rc == 0 ? "the file is empty" : csv.err);
		goto done;
	}
	read_header(im, &csv, &ignored);
	csv.header_fields = csv.nfields; /* every row as many fields as the header */
	{
		char missing[256] = "";
		for (int k = 0; k < F_RELATION + 1; k++)
			if (im->col[k] < 0)
				snprintf(missing + strlen(missing), sizeof missing - strlen(missing),
					 "%s%s (%s)", missing[0] ? ", " : "", column_names[k][0],
					 column_names[k][1]);
		if (missing[0]) {
			status = fail_msg("%s: row 1: the header lacks the column%s %s", im->path,
					  strchr(missing, ',') ? "s" : "", missing);
			goto done;
		}
	}
	if (ignored) {
		fprintf(stderr, "cunji: %s: ignoring column%s", im->path, ignored > 1 ? "s" : "");
		for (size_t i = 0, k = 0; i < im->ncols; i++) {
			int fixed, type;
			const char *h = im->header[i];
			if (h[0] && !header_match(h, &fixed, &type) && !ends_with(h, "股"))
				fprintf(stderr, "%s %s", k++ ? "," : "", h);
		}
		fputc('\n', stderr);
	}
	while ((rc = cj_csv_next(&csv)) == 1 && !im->oom) {
		int blank = 1;
		row++;
		for (size_t i = 0; i < csv.nfields && blank; i++) {
			const char *v = cj_csv_field(&csv, i);
			blank = strspn(v, " \t") == strlen(v);
		}
		if (!blank)
			read_row(im, &csv, row);
	}
	if (rc < 0) {
		status = fail_msg("%s: %s", im->path, rc == CJ_EINVAL ? csv.err : "out of memory");
		goto done;
	}
	if (!im->oom && !im->nhouseholds && !im->nerrors) {
		status = fail_msg("%s: no members in the file", im->path);
		goto done;
	}
	if (!im->oom)
		status = check_whole_file(c, im, village_id);
	if (im->oom && !status)
		status = fail_msg("out of memory");
done:
	cj_csv_dispose(&csv);
	free(text);
	return status;
}

int
cmd_member_import(cli *c, const cli_opts *o)
{
	const char *path = opt_get(o, "file");

	if (!path)
		return usage_error(o->cmd, "--file FILE is required");
	return member_import_file(c, o, path);
}

/* The import itself, shared with 'cunji import members FILE': o must offer
 * --village and --dry-run. */
int
member_import_file(cli *c, const cli_opts *o, const char *path)
{
	import im;
	cj_org village;
	cj_household *hs = NULL;
	cj_person *people = NULL;
	cj_share_spec *shares = NULL;
	const char *encoding = NULL;
	size_t nshares = 0, failed = 0, people_at = 0, shares_at = 0;
	int64_t type_centi[NHOUSEHOLD_TYPES] = {0}, total_centi = 0;
	int status, defaulted = 0;
	cj_date start;
	char buf[CJ_SHARES_FMT_MAX], day[16];

	memset(&im, 0, sizeof im);
	im.path = path;
	if ((status = arg_village(c, o, &village)))
		return status;
	start = books_start(&village);
	status = load_member_file(c, &im, village.id, &encoding);
	if (status)
		goto done;
	if (im.nerrors) {
		qsort(im.errors, im.nerrors, sizeof *im.errors, error_cmp);
		for (size_t i = 0; i < im.nerrors; i++)
			fprintf(stderr, "cunji: %s\n", im.errors[i].text);
		status = fail_msg("%s: %zu error%s; nothing was imported", im.path, im.nerrors,
				  im.nerrors == 1 ? "" : "s");
		goto done;
	}

	/* every row is good: the households as the library takes them */
	for (size_t i = 0; i < im.nhouseholds; i++)
		for (int t = 0; t < NHOUSEHOLD_TYPES; t++)
			nshares += im.households[i].shares[t] != NULL;
	hs = calloc(im.nhouseholds, sizeof *hs);
	people = calloc(im.npersons + 1, sizeof *people);
	shares = calloc(nshares + 1, sizeof *shares);
	if (!hs || !people || !shares) {
		status = fail_msg("out of memory");
		goto done;
	}
	for (size_t i = 0; i < im.nhouseholds; i++) {
		import_household *x = &im.households[i];
		cj_household *h = &hs[i];

		h->code = x->code;
		h->head_name = x->head_name;
		h->head_id_number = x->head_id;
		h->phone = x->field[F_PHONE];
		h->bank_name = x->field[F_BANK];
		h->bank_account = x->field[F_ACCOUNT];
		h->poverty_status = x->field[F_POVERTY];
		h->people = people + people_at;
		people_at += x->npeople; /* filled below, in row order */
		h->shares = shares + shares_at;
		for (int t = 0; t < NHOUSEHOLD_TYPES; t++) {
			int64_t centi = 0;
			if (!x->shares[t])
				continue;
			defaulted |= !x->from.year;
			shares[shares_at].type = cj_share_types[t];
			shares[shares_at].shares = x->shares[t];
			shares[shares_at].effective_from = x->from.year ? x->from : start;
			shares_at++;
			h->nshares++;
			if (!cj_shares_parse(&centi, x->shares[t])) {
				type_centi[t] += centi;
				total_centi += centi;
			}
		}
	}
	for (size_t k = 0; k < im.npersons; k++) {
		const import_person *p = &im.persons[k];
		cj_household *h = &hs[p->household];
		cj_person *slot = &people[(size_t)(h->people - people) + h->npeople++];

		slot->name = p->name;
		slot->id_number = p->id;
		slot->relation = p->relation;
	}
	if (!opt_has(o, "dry-run") &&
	    cj_household_import(c->db, village.id, hs, im.nhouseholds, &failed)) {
		if (failed < im.nhouseholds)
			status = fail_msg("%s: row %zu, household %s: %s; nothing was imported", im.path,
					  im.households[failed].first_row, im.households[failed].code,
					  cj_db_errmsg(c->db));
		else
			status = fail_msg("%s: %s; nothing was imported", im.path, cj_db_errmsg(c->db));
		goto done;
	}
	printf("%s (%s): %s %zu household%s, %zu people, %s shares", im.path, encoding,
	       opt_has(o, "dry-run") ? "would import" : "imported", im.nhouseholds,
	       im.nhouseholds == 1 ? "" : "s", im.nhouseholds + im.npersons,
	       cj_shares_format(buf, total_centi));
	for (int t = 0, first = 1; t < NHOUSEHOLD_TYPES; t++)
		if (type_centi[t]) {
			printf("%s%s %s", first ? " (" : ", ", cj_share_types[t],
			       cj_shares_format(buf, type_centi[t]));
			first = 0;
		}
	if (total_centi)
		putchar(')');
	putchar('\n');
	if (defaulted) {
		cj_date_format(day, sizeof day, start);
		printf("shares without 股权生效日期 take effect on %s, the first day of the books\n", day);
	}
	if (opt_has(o, "dry-run"))
		puts("nothing was written (--dry-run)");
done:
	free(hs);
	free(people);
	free(shares);
	import_free(&im);
	return status;
}
