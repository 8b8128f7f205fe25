/*
 * member.c - member households, their people and shares
 *
 * Every rule of the register is checked here first, so that a message can
 * name the household, the person and what is wrong, and again by the
 * database (CHECK constraints and register_guard in 0003_members.sql),
 * which has the last word.  Households are written with one INSERT ...
 * SELECT FROM unnest(arrays) per table, the same three statements for one
 * household (cunji member add) and for a file of thousands (an import).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ledger/i18n.h>

#include "internal.h"

#define SHARES_EXPECTED N_("positive, at most two decimals, e.g. 1.5")

const char *const cj_share_types[CJ_SHARE_NTYPES] = {"人口股", "劳龄股", "扶贫股",
						      "募集股", "土地股", "集体股"};

static const char insert_households_sql[] =
	"INSERT INTO household (village_id, code, head_name, head_id_number, phone, bank_name,\n"
	"                       bank_account, poverty_status)\n"
	"SELECT $1::integer, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[],\n"
	"                                  $6::text[], $7::text[], $8::text[])";

static const char insert_members_sql[] =
	"INSERT INTO household_member (village_id, household_code, seq, name, id_number, relation)\n"
	"SELECT $1::integer, * FROM unnest($2::text[], $3::smallint[], $4::text[], $5::text[],\n"
	"                                  $6::text[])";

/* A missing date is the first day of the village's books. */
static const char insert_shares_sql[] =
	"INSERT INTO share_holding (village_id, household_code, share_type, shares, effective_from)\n"
	"SELECT $1::integer, s.code, s.type, s.shares,\n"
	"       coalesce(s.day, (SELECT start_period FROM village_books WHERE village_id = $1))\n"
	"  FROM unnest($2::text[], $3::text[], $4::numeric[], $5::date[]) AS s(code, type, shares, day)";

static const char codes_taken_sql[] =
	"SELECT EXISTS (SELECT 1 FROM household h WHERE h.village_id = $1 AND h.code = c.code)\n"
	"  FROM unnest($2::text[]) WITH ORDINALITY AS c(code, i) ORDER BY c.i";

/* A head's ID is also a member's (person 1), unless rows were made by hand. */
static const char ids_owner_sql[] =
	"SELECT coalesce((SELECT m.household_code FROM household_member m\n"
	"                  WHERE m.village_id = $1 AND m.id_number = x.id),\n"
	"                (SELECT h.code FROM household h\n"
	"                  WHERE h.village_id = $1 AND h.head_id_number = x.id), '')\n"
	"  FROM unnest($2::text[]) WITH ORDINALITY AS x(id, i) ORDER BY x.i";

static const char household_exists_sql[] =
	"SELECT 1 FROM household WHERE village_id = $1 AND code = $2";

/* Ordered by byte value so that C can find a code with strcmp. */
static const char list_households_sql[] =
	"SELECT h.code, h.head_name, h.head_id_number, id_number_masked(h.head_id_number),\n"
	"       h.phone, h.bank_name, h.bank_account, h.poverty_status,\n"
	"       (SELECT count(*) FROM household_member m\n"
	"         WHERE m.village_id = h.village_id AND m.household_code = h.code)\n"
	"       + CASE WHEN EXISTS (SELECT 1 FROM household_member m\n"
	"                            WHERE m.village_id = h.village_id AND m.household_code = h.code\n"
	"                              AND m.id_number = h.head_id_number) THEN 0 ELSE 1 END\n"
	"  FROM household h WHERE h.village_id = $1 ORDER BY h.code COLLATE \"C\"";

static const char list_shares_sql[] =
	"SELECT household_code, share_type, (shares * 100)::bigint FROM shares_on($1, $2::date)";

/* ------------------------------------------------------------------------ */
/* ID numbers */

char
cj_id_check_char(const char *first17)
{
	/* ISO 7064 MOD 11-2: weight of position i (0-based) is 2^(17-i) mod 11 */
	static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char check[] = "10X98765432";
	int sum = 0;

	for (int i = 0; i < 17; i++) {
		if (first17[i] < '0' || first17[i] > '9')
			return 0;
		sum += (first17[i] - '0') * weight[i];
	}
	return check[sum % 11];
}

static int
digits_value(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

cj_id_problem
cj_id_number_check(const char *id)
{
	cj_date birth, today;
	char last;

	if (!id || strlen(id) != CJ_ID_NUMBER_LEN)
		return CJ_ID_LENGTH;
	for (int i = 0; i < 17; i++)
		if (id[i] < '0' || id[i] > '9')
			return CJ_ID_CHARS;
	last = id[17];
	if (last == 'x')
		return CJ_ID_LOWERCASE_X;
	if (last != 'X' && (last < '0' || last > '9'))
		return CJ_ID_CHARS;
	birth.year = digits_value(id + 6, 4);
	birth.month = digits_value(id + 10, 2);
	birth.day = digits_value(id + 12, 2);
	today = cj_date_today();
	if (!cj_date_valid(birth) || birth.year > today.year ||
	    (birth.year == today.year &&
	     (birth.month > today.month || (birth.month == today.month && birth.day > today.day))))
		return CJ_ID_BIRTH_DATE;
	if (cj_id_check_char(id) != last)
		return CJ_ID_CHECK_DIGIT;
	return CJ_ID_OK;
}

int
cj_id_number_valid(const char *id)
{
	return cj_id_number_check(id) == CJ_ID_OK;
}

const char *
cj_id_problem_text(cj_id_problem problem)
{
	switch (problem) {
	case CJ_ID_OK: return "is valid";
	case CJ_ID_LENGTH: return "is not 18 characters long";
	case CJ_ID_CHARS: return "must be 17 digits followed by a digit or X";
	case CJ_ID_LOWERCASE_X: return "ends in a lowercase x; write the check character as X";
	case CJ_ID_BIRTH_DATE:
		return "does not hold a real date of birth in characters 7-14 (YYYYMMDD)";
	/* not which character is expected: the typo may be anywhere */
	case CJ_ID_CHECK_DIGIT: return "has a wrong check digit (a mistyped character?)";
	}
	return "is not valid";
}

void
cj_id_number_mask(char out[CJ_ID_MASK_MAX], const char *id)
{
	size_t n = 0;

	if (id && strlen(id) == CJ_ID_NUMBER_LEN) {
		memcpy(out, id, 6);
		memcpy(out + 6, "********", 8);
		memcpy(out + 14, id + 14, 4);
		out[CJ_ID_NUMBER_LEN] = '\0';
		return;
	}
	/* like the SQL function: one asterisk per character, never the text */
	for (const char *p = id ? id : ""; *p && n < CJ_ID_NUMBER_LEN; p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			out[n++] = '*';
	out[n] = '\0';
}

/* ------------------------------------------------------------------------ */
/* Shares and simple fields */

int
cj_share_type_index(const char *type)
{
	for (int i = 0; type && i < CJ_SHARE_NTYPES; i++)
		if (!strcmp(type, cj_share_types[i]))
			return i;
	return -1;
}

int
cj_shares_parse(int64_t *centi, const char *text)
{
	const char *p = text, *end;
	int64_t whole = 0;
	int frac = 0, nfrac = 0;

	if (!text)
		return CJ_EINVAL;
	while (*p == ' ')
		p++;
	end = p + strlen(p);
	while (end > p && end[-1] == ' ')
		end--;
	if (p == end || *p < '0' || *p > '9')
		return CJ_EINVAL;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		whole = whole * 10 + (*p - '0');
		if (whole > CJ_SHARES_MAX_CENTI / 100)
			return CJ_EOVERFLOW; /* checked each digit: cannot wrap */
	}
	if (p < end && *p == '.') {
		p++;
		for (; p < end && *p >= '0' && *p <= '9'; p++, nfrac++)
			if (nfrac < 2)
				frac = frac * 10 + (*p - '0');
		if (nfrac == 0 || nfrac > 2)
			return CJ_EINVAL;
		if (nfrac == 1)
			frac *= 10;
	}
	if (p != end)
		return CJ_EINVAL;
	if (whole * 100 + frac <= 0)
		return CJ_EINVAL;
	*centi = whole * 100 + frac;
	return 0;
}

const char *
cj_shares_format(char buf[CJ_SHARES_FMT_MAX], int64_t centi)
{
	const char *sign = centi < 0 ? "-" : "";
	uint64_t v = centi < 0 ? (uint64_t)0 - (uint64_t)centi : (uint64_t)centi;

	snprintf(buf, CJ_SHARES_FMT_MAX, "%s%llu.%02llu", sign, (unsigned long long)(v / 100),
		 (unsigned long long)(v % 100));
	return buf;
}

int
cj_household_code_valid(const char *code)
{
	size_t n = 0;

	for (const char *p = code ? code : ""; *p; p++, n++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      *p == '_' || *p == '-'))
			return 0;
	return n >= 1 && n <= 30;
}

int
cj_poverty_status_valid(const char *status)
{
	return !status || !*status || !strcmp(status, "脱贫户") || !strcmp(status, "监测户");
}

int
cj_bank_account_valid(const char *account)
{
	for (const char *p = account ? account : ""; *p; p++)
		if ((*p < '0' || *p > '9') && *p != ' ')
			return 0;
	return 1;
}

static const char *
or_empty(const char *s)
{
	return s ? s : "";
}

int
cj_household_set_bank(cj_db *db, int village_id, const char *household_code,
		      const char *bank_name, const char *bank_account)
{
	char vid[16];
	const char *params[4] = {vid, household_code, or_empty(bank_name), bank_account};
	PGresult *res;
	int err, found;

	if (!bank_account || !strpbrk(bank_account, "0123456789") ||
	    !cj_bank_account_valid(bank_account))
		return cj_db_fail(db, CJ_EINVAL,
				  _("household %s: bank account '%s' must hold digits (and spaces) only"),
				  household_code, or_empty(bank_account));
	snprintf(vid, sizeof vid, "%d", village_id);
	err = cj_db_exec(db, &res,
			 "UPDATE household SET bank_name = $3, bank_account = $4\n"
			 " WHERE village_id = $1 AND code = $2 RETURNING code",
			 4, params);
	if (err)
		return err;
	found = PQntuples(res) > 0;
	PQclear(res);
	if (!found)
		return cj_db_fail(db, CJ_ENOTFOUND, _("household %s is not in the register"),
				  household_code);
	return 0;
}

/* The database's btrim(name) <> '': something besides spaces. */
static int
blank(const char *s)
{
	for (s = or_empty(s); *s; s++)
		if (*s != ' ')
			return 0;
	return 1;
}

/* ------------------------------------------------------------------------ */
/* Checking a household */

/* "the head 张建国" or "person 3 王芳", for messages */
static const char *
who(char buf[256], const cj_household *h, size_t person)
{
	if (person == 0)
		snprintf(buf, 256, "the head %s", or_empty(h->head_name));
	else
		snprintf(buf, 256, "person %zu %s", person + 1, or_empty(h->people[person - 1].name));
	return buf;
}

static const char *
id_of(const cj_household *h, size_t person)
{
	return person == 0 ? h->head_id_number : h->people[person - 1].id_number;
}

int
cj_household_check(cj_db *db, const cj_household *h)
{
	const char *code = or_empty(h->code);
	char w[256], w2[256];
	size_t npersons = 1 + h->npeople;

	if (!cj_household_code_valid(code))
		return cj_db_fail(db, CJ_EINVAL,
				  _("household code '%s': use 1 to 30 letters, digits, '-' or '_'"), code);
	if (blank(h->head_name))
		return cj_db_fail(db, CJ_EINVAL, _("household %s: the head's name (户主) is empty"), code);
	{
		/* what the register and the dividend list print */
		const char *texts[] = {"the head's name (户主)", h->head_name, "the phone", h->phone,
				       "the bank (开户行)", h->bank_name};
		snprintf(w, sizeof w, "household %s", code);
		if (cj__texts_check(db, w, texts, sizeof texts / sizeof texts[0]))
			return CJ_EINVAL;
	}
	if (h->npeople > 999)
		return cj_db_fail(db, CJ_EINVAL, _("household %s: %zu people is more than one household"),
				  code, npersons);
	for (size_t i = 1; i < npersons; i++) {
		const cj_person *p = &h->people[i - 1];
		const char *texts[] = {"the name", p->name, "the relation (与户主关系)", p->relation};
		if (blank(p->name))
			return cj_db_fail(db, CJ_EINVAL, _("household %s: person %zu has no name"), code, i + 1);
		snprintf(w, sizeof w, "household %s: person %zu", code, i + 1);
		if (cj__texts_check(db, w, texts, sizeof texts / sizeof texts[0]))
			return CJ_EINVAL;
		if (p->relation && !strcmp(p->relation, CJ_RELATION_HEAD))
			return cj_db_fail(db, CJ_EINVAL,
					  _("household %s: %s: a household has one 户主, %s"),
					  code, who(w, h, i), or_empty(h->head_name));
	}
	for (size_t i = 0; i < npersons; i++) {
		cj_id_problem problem = cj_id_number_check(id_of(h, i));
		if (problem)
			return cj_db_fail(db, CJ_EINVAL, _("household %s: %s: ID number '%s' %s"), code,
					  who(w, h, i), or_empty(id_of(h, i)),
					  cj_id_problem_text(problem));
		for (size_t k = 0; k < i; k++)
			if (!strcmp(id_of(h, i), id_of(h, k)))
				return cj_db_fail(db, CJ_EINVAL,
						  _("household %s: %s has the same ID number as %s"), code,
						  who(w, h, i), who(w2, h, k));
	}
	if (!cj_bank_account_valid(h->bank_account))
		return cj_db_fail(db, CJ_EINVAL,
				  _("household %s: bank account '%s' may hold only digits and spaces"), code,
				  h->bank_account);
	if (!cj_poverty_status_valid(h->poverty_status))
		return cj_db_fail(db, CJ_EINVAL,
				  _("household %s: '%s' is not 脱贫户 or 监测户 (leave it empty for neither)"),
				  code, h->poverty_status);
	for (size_t i = 0; i < h->nshares; i++) {
		const cj_share_spec *s = &h->shares[i];
		int64_t centi;
		int type = cj_share_type_index(s->type), rc;

		if (type < 0)
			return cj_db_fail(db, CJ_EINVAL,
					  _("household %s: '%s' is not a share type (人口股, 劳龄股, 扶贫股, "
					  "募集股 or 土地股)"),
					  code, or_empty(s->type));
		if (!strcmp(s->type, CJ_SHARE_COLLECTIVE))
			return cj_db_fail(db, CJ_EINVAL,
					  _("household %s: 集体股 is held by the collective, not by a household"),
					  code);
		rc = cj_shares_parse(&centi, s->shares);
		if (rc)
			return cj_db_fail(db, CJ_EINVAL,
					  _("household %s: %s '%s' is not a number of shares (%s)"), code,
					  s->type, or_empty(s->shares),
					  _(rc == CJ_EOVERFLOW ? N_("too large") : SHARES_EXPECTED));
		if (s->effective_from.year && !cj_date_valid(s->effective_from))
			return cj_db_fail(db, CJ_EINVAL, _("household %s: %s: the effective date is not a date"),
					  code, s->type);
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Writing */

int
cj_member_lookup(cj_db *db, int village_id, const char *const *codes, size_t ncodes,
		 int *code_taken, const char *const *ids, size_t nids,
		 char (*id_owner)[CJ_HOUSEHOLD_CODE_MAX])
{
	cj_buf arr = CJ_BUF_INIT;
	char vid[16];
	const char *params[2] = {vid, NULL};
	PGresult *res = NULL;
	int err = 0;

	snprintf(vid, sizeof vid, "%d", village_id);
	for (int pass = 0; pass < 2 && !err; pass++) {
		size_t n = pass ? nids : ncodes;
		const char *const *items = pass ? ids : codes;

		if (!n)
			continue;
		cj__buf_clear(&arr);
		cj__buf_putc(&arr, '{');
		for (size_t i = 0; i < n; i++)
			cj__buf_array_text(&arr, items[i]);
		cj__buf_putc(&arr, '}');
		if (!cj__buf_ok(&arr)) {
			err = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
			break;
		}
		params[1] = arr.data;
		err = cj_db_exec(db, &res, pass ? ids_owner_sql : codes_taken_sql, 2, params);
		if (err)
			break;
		for (size_t i = 0; i < n && i < (size_t)PQntuples(res); i++) {
			if (pass)
				cj__strlcpy(id_owner[i], PQgetvalue(res, (int)i, 0), CJ_HOUSEHOLD_CODE_MAX);
			else
				code_taken[i] = PQgetvalue(res, (int)i, 0)[0] == 't';
		}
		PQclear(res);
		res = NULL;
	}
	cj__buf_free(&arr);
	return err;
}

/* Refuse codes and IDs the register already has, naming the first. */
static int
check_not_registered(cj_db *db, int village_id, const cj_household *hs, size_t n, size_t *failed)
{
	const char **codes, **ids;
	int *taken;
	char (*owner)[CJ_HOUSEHOLD_CODE_MAX];
	size_t *id_household, nids = 0;
	int err;

	for (size_t i = 0; i < n; i++)
		nids += 1 + hs[i].npeople;
	codes = calloc(n ? n : 1, sizeof *codes);
	taken = calloc(n ? n : 1, sizeof *taken);
	ids = calloc(nids ? nids : 1, sizeof *ids);
	owner = calloc(nids ? nids : 1, sizeof *owner);
	id_household = calloc(nids ? nids : 1, sizeof *id_household);
	if (!codes || !taken || !ids || !owner || !id_household) {
		err = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		goto done;
	}
	nids = 0;
	for (size_t i = 0; i < n; i++) {
		codes[i] = hs[i].code;
		for (size_t k = 0; k <= hs[i].npeople; k++) {
			id_household[nids] = i;
			ids[nids++] = id_of(&hs[i], k);
		}
	}
	err = cj_member_lookup(db, village_id, codes, n, taken, ids, nids, owner);
	if (err)
		goto done;
	for (size_t i = 0; i < n && !err; i++)
		if (taken[i]) {
			*failed = i;
			err = cj_db_fail(db, CJ_EEXISTS, _("household %s is already in the register"),
					 hs[i].code);
		}
	for (size_t j = 0; j < nids && !err; j++)
		if (owner[j][0]) {
			char masked[CJ_ID_MASK_MAX];
			*failed = id_household[j];
			cj_id_number_mask(masked, ids[j]);
			err = cj_db_fail(db, CJ_EEXISTS,
					 _("household %s: ID number %s is already registered, in household %s"),
					 hs[id_household[j]].code, masked, owner[j]);
		}
done:
	free(codes);
	free(taken);
	free(ids);
	free(owner);
	free(id_household);
	return err;
}

/* A code or an ID number and the household it comes from. */
typedef struct text_ref {
	const char *text;
	size_t household;
} text_ref;

static int
text_ref_cmp(const void *a, const void *b)
{
	const text_ref *x = a, *y = b;
	int c = strcmp(x->text, y->text);

	if (c)
		return c;
	return x->household < y->household ? -1 : x->household > y->household;
}

/* Between households of one import: no code or ID number twice. */
static int
check_distinct(cj_db *db, const cj_household *hs, size_t n, size_t *failed)
{
	text_ref *refs;
	size_t nrefs = 0;
	int err = 0;

	for (size_t i = 0; i < n; i++)
		nrefs += 1 + hs[i].npeople;
	refs = calloc(nrefs ? nrefs : 1, sizeof *refs);
	if (!refs)
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	/* sorted, so that a duplicate sits next to its twin */
	for (size_t i = 0; i < n; i++)
		refs[i] = (text_ref){hs[i].code, i};
	qsort(refs, n, sizeof *refs, text_ref_cmp);
	for (size_t i = 1; i < n && !err; i++)
		if (!strcmp(refs[i].text, refs[i - 1].text)) {
			*failed = refs[i].household;
			err = cj_db_fail(db, CJ_EINVAL, _("household %s appears twice"), refs[i].text);
		}
	nrefs = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k <= hs[i].npeople; k++)
			refs[nrefs++] = (text_ref){id_of(&hs[i], k), i};
	qsort(refs, nrefs, sizeof *refs, text_ref_cmp);
	for (size_t i = 1; i < nrefs && !err; i++)
		if (!strcmp(refs[i].text, refs[i - 1].text)) {
			char masked[CJ_ID_MASK_MAX];
			*failed = refs[i].household;
			cj_id_number_mask(masked, refs[i].text);
			err = cj_db_fail(db, CJ_EINVAL, _("ID number %s is in household %s and in household %s"),
					 masked, hs[refs[i - 1].household].code, hs[refs[i].household].code);
		}
	free(refs);
	return err;
}

/* The columns of the three INSERTs, each a PostgreSQL array literal. */
enum { H_CODE, H_HEAD, H_HEAD_ID, H_PHONE, H_BANK, H_ACCOUNT, H_POVERTY,
       M_CODE, M_SEQ, M_NAME, M_ID, M_RELATION,
       S_CODE, S_TYPE, S_SHARES, S_FROM, NCOLUMNS };

/* The three INSERTs, inside the caller's transaction. */
static int
insert_households(cj_db *db, int village_id, const cj_household *hs, size_t n)
{
	cj_buf col[NCOLUMNS];
	char vid[16];
	const char *params[8];
	int err = 0;
	size_t nshares = 0;

	for (int k = 0; k < NCOLUMNS; k++) {
		col[k] = (cj_buf)CJ_BUF_INIT;
		cj__buf_putc(&col[k], '{');
	}
	for (size_t i = 0; i < n; i++) {
		const cj_household *x = &hs[i];

		cj__buf_array_text(&col[H_CODE], x->code);
		cj__buf_array_text(&col[H_HEAD], x->head_name);
		cj__buf_array_text(&col[H_HEAD_ID], x->head_id_number);
		cj__buf_array_text(&col[H_PHONE], or_empty(x->phone));
		cj__buf_array_text(&col[H_BANK], or_empty(x->bank_name));
		cj__buf_array_text(&col[H_ACCOUNT], or_empty(x->bank_account));
		cj__buf_array_text(&col[H_POVERTY], or_empty(x->poverty_status));
		for (size_t k = 0; k <= x->npeople; k++) {
			cj__buf_array_text(&col[M_CODE], x->code);
			cj__buf_array_i64(&col[M_SEQ], (int64_t)k + 1);
			cj__buf_array_text(&col[M_NAME], k ? x->people[k - 1].name : x->head_name);
			cj__buf_array_text(&col[M_ID], id_of(x, k));
			cj__buf_array_text(&col[M_RELATION],
					   k ? or_empty(x->people[k - 1].relation) : CJ_RELATION_HEAD);
		}
		for (size_t k = 0; k < x->nshares; k++) {
			char amount[CJ_SHARES_FMT_MAX], day[16];
			int64_t centi = 0;

			if (cj_shares_parse(&centi, x->shares[k].shares))
				centi = 0; /* checked before; the database refuses 0 anyway */
			cj__buf_array_text(&col[S_CODE], x->code);
			cj__buf_array_text(&col[S_TYPE], x->shares[k].type);
			cj__buf_array_text(&col[S_SHARES], cj_shares_format(amount, centi));
			cj_date_format(day, sizeof day, x->shares[k].effective_from);
			cj__buf_array_text(&col[S_FROM], x->shares[k].effective_from.year ? day : NULL);
			nshares++;
		}
	}
	for (int k = 0; k < NCOLUMNS; k++) {
		cj__buf_putc(&col[k], '}');
		if (!cj__buf_ok(&col[k]))
			err = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	snprintf(vid, sizeof vid, "%d", village_id);
	params[0] = vid;
	if (!err) {
		for (int k = 0; k < 7; k++)
			params[1 + k] = col[H_CODE + k].data;
		err = cj_db_exec(db, NULL, insert_households_sql, 8, params);
	}
	if (!err) {
		for (int k = 0; k < 5; k++)
			params[1 + k] = col[M_CODE + k].data;
		err = cj_db_exec(db, NULL, insert_members_sql, 6, params);
	}
	if (!err && nshares) {
		for (int k = 0; k < 4; k++)
			params[1 + k] = col[S_CODE + k].data;
		err = cj_db_exec(db, NULL, insert_shares_sql, 5, params);
	}
	if (err == CJ_EEXISTS) { /* a race with another session: checked just before */
		char why[512];
		cj__strlcpy(why, cj_db_errmsg(db), sizeof why);
		cj_db_fail(db, err, _("already in the register: %s"), why);
	}
	for (int k = 0; k < NCOLUMNS; k++)
		cj__buf_free(&col[k]);
	return err;
}

int
cj_household_import(cj_db *db, int village_id, const cj_household *hs, size_t n, size_t *failed)
{
	size_t failed_at = n;
	int err = 0, own = !cj__db_in_transaction(db);

	for (size_t i = 0; i < n && !err; i++) {
		err = cj_household_check(db, &hs[i]);
		if (err)
			failed_at = i;
	}
	if (!err)
		err = check_distinct(db, hs, n, &failed_at);
	if (!err && own)
		err = cj_db_begin(db);
	if (err)
		goto done;
	err = check_not_registered(db, village_id, hs, n, &failed_at);
	if (!err)
		err = insert_households(db, village_id, hs, n);
	if (!err && own)
		err = cj_db_commit(db);
	if (err && own)
		cj_db_rollback(db);
done:
	if (failed)
		*failed = err ? failed_at : n;
	return err;
}

int
cj_household_add(cj_db *db, int village_id, const cj_household *h)
{
	return cj_household_import(db, village_id, h, 1, NULL);
}

int
cj_share_add(cj_db *db, int village_id, const char *household_code, const char *type,
	     const char *shares, cj_date effective_from)
{
	static const char sql[] =
		"INSERT INTO share_holding (village_id, household_code, share_type, shares,\n"
		"                           effective_from)\n"
		"SELECT $1::integer, $2::text, $3::text, $4::numeric,\n"
		"       coalesce($5::date, (SELECT start_period FROM village_books WHERE village_id = $1))";
	char vid[16], amount[CJ_SHARES_FMT_MAX], day[16];
	const char *params[5];
	int64_t centi;
	int rc, collective = type && !strcmp(type, CJ_SHARE_COLLECTIVE);
	PGresult *res = NULL;

	if (cj_share_type_index(type) < 0)
		return cj_db_fail(db, CJ_EINVAL,
				  _("'%s' is not a share type (人口股, 劳龄股, 扶贫股, 募集股, 土地股 or 集体股)"),
				  or_empty(type));
	if (collective && household_code)
		return cj_db_fail(db, CJ_EINVAL,
				  _("集体股 is held by the collective, not by household %s"), household_code);
	if (!collective && !household_code)
		return cj_db_fail(db, CJ_EINVAL,
				  _("the collective holds only 集体股; %s is held by a household"), type);
	rc = cj_shares_parse(&centi, shares);
	if (rc)
		return cj_db_fail(db, CJ_EINVAL, _("%s '%s' is not a number of shares (%s)"), type,
				  or_empty(shares),
				  _(rc == CJ_EOVERFLOW ? N_("too large") : SHARES_EXPECTED));
	if (effective_from.year && !cj_date_valid(effective_from))
		return cj_db_fail(db, CJ_EINVAL, _("the effective date is not a date"));
	snprintf(vid, sizeof vid, "%d", village_id);
	if (household_code) {
		const char *p[2] = {vid, household_code};
		int found;
		rc = cj_db_exec(db, &res, household_exists_sql, 2, p);
		if (rc)
			return rc;
		found = PQntuples(res) > 0;
		PQclear(res);
		if (!found)
			return cj_db_fail(db, CJ_ENOTFOUND, _("household %s is not in the register"),
					  household_code);
	}
	cj_date_format(day, sizeof day, effective_from);
	params[0] = vid;
	params[1] = household_code;
	params[2] = type;
	params[3] = cj_shares_format(amount, centi);
	params[4] = effective_from.year ? day : NULL;
	return cj_db_exec(db, NULL, sql, 5, params);
}

/* ------------------------------------------------------------------------ */
/* The register */

static int
row_code_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const cj_member_row *)elem)->code);
}

void
cj_member_register_free(cj_member_register *r)
{
	free(r->households);
	r->households = NULL;
	r->nhouseholds = 0;
}

int
cj_member_list(cj_db *db, int village_id, cj_date on, cj_member_register *out)
{
	char vid[16], day[16];
	const char *params[2] = {vid, day};
	PGresult *res = NULL;
	int err, n;

	memset(out, 0, sizeof *out);
	out->on = on;
	if (!cj_date_valid(on))
		return cj_db_fail(db, CJ_EINVAL, _("the register's date is not a date"));
	snprintf(vid, sizeof vid, "%d", village_id);
	cj_date_format(day, sizeof day, on);
	err = cj_db_exec(db, &res, list_households_sql, 1, params);
	if (err)
		return err;
	n = PQntuples(res);
	out->households = calloc(n ? (size_t)n : 1, sizeof *out->households);
	if (!out->households) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	for (int i = 0; i < n; i++) {
		cj_member_row *r = &out->households[i];
		cj__strlcpy(r->code, PQgetvalue(res, i, 0), sizeof r->code);
		cj__strlcpy(r->head_name, PQgetvalue(res, i, 1), sizeof r->head_name);
		cj__strlcpy(r->head_id_number, PQgetvalue(res, i, 2), sizeof r->head_id_number);
		cj__strlcpy(r->head_id_masked, PQgetvalue(res, i, 3), sizeof r->head_id_masked);
		cj__strlcpy(r->phone, PQgetvalue(res, i, 4), sizeof r->phone);
		cj__strlcpy(r->bank_name, PQgetvalue(res, i, 5), sizeof r->bank_name);
		cj__strlcpy(r->bank_account, PQgetvalue(res, i, 6), sizeof r->bank_account);
		cj__strlcpy(r->poverty_status, PQgetvalue(res, i, 7), sizeof r->poverty_status);
		r->people = atoi(PQgetvalue(res, i, 8));
		out->people += r->people;
	}
	out->nhouseholds = (size_t)n;
	PQclear(res);

	err = cj_db_exec(db, &res, list_shares_sql, 2, params);
	if (err) {
		cj_member_register_free(out);
		return err;
	}
	for (int i = 0; i < PQntuples(res); i++) {
		int type = cj_share_type_index(PQgetvalue(res, i, 1));
		int64_t centi = cj__int64(PQgetvalue(res, i, 2));
		cj_member_row *r = NULL;

		if (type < 0)
			continue; /* the CHECK constraint allows no other */
		if (PQgetisnull(res, i, 0))
			out->collective_centi += centi;
		else
			r = bsearch(PQgetvalue(res, i, 0), out->households, out->nhouseholds,
				    sizeof *out->households, row_code_cmp);
		if (r) {
			r->shares_centi[type] += centi;
			r->total_centi += centi;
		}
		out->type_total_centi[type] += centi;
		out->total_centi += centi;
	}
	PQclear(res);
	return 0;
}
