/*
 * member.h - member households, their people and shares (成员与股权)
 *
 * The register (schema 0003_members.sql) holds each member household (户)
 * with its head (户主), its people, and its shares by type (人口股, 劳龄股 …)
 * with the day they take effect.  The collective's own shares (集体股) have
 * no household.  Nothing in it is deleted or rewritten: IDs are fixed, a
 * holding is ended (effective_to) and a new one added.
 *
 * Resident ID numbers (居民身份证号码, GB 11643) are checked here, with a
 * message saying what is wrong, and again by the database.  Anything shown
 * in public carries them masked (cj_id_number_mask).
 *
 * Shares are exact decimals with at most two places, carried as integer
 * hundredths ("centi-shares"), never as floats.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_MEMBER_H
#define CUNJI_LEDGER_MEMBER_H

#include <stddef.h>
#include <stdint.h>

#include <ledger/date.h>
#include <ledger/db.h>

/* ---- ID numbers ------------------------------------------------------------ */

#define CJ_ID_NUMBER_LEN 18
/* Room for a masked ID: 6 + 8 + 4 characters and the NUL. */
#define CJ_ID_MASK_MAX 24

typedef enum cj_id_problem {
	CJ_ID_OK = 0,
	CJ_ID_LENGTH,      /* not 18 characters */
	CJ_ID_CHARS,       /* not 17 digits and a digit or X */
	CJ_ID_LOWERCASE_X, /* the check character written x */
	CJ_ID_BIRTH_DATE,  /* characters 7-14 are not a real date of birth */
	CJ_ID_CHECK_DIGIT  /* the check character does not match (a typo) */
} cj_id_problem;

/**
 * What is wrong with an 18-character ID number, or CJ_ID_OK: 17 digits and
 * a check character by ISO 7064 MOD 11-2 ('X' for 10, upper case only), the
 * birth date YYYYMMDD in characters 7-14 a real date from 1900 up to today.
 */
cj_id_problem cj_id_number_check(const char *id);
/** 1 when cj_id_number_check finds nothing wrong, else 0. */
int cj_id_number_valid(const char *id);
/** What a problem means, for a message: "has a wrong check digit". */
const char *cj_id_problem_text(cj_id_problem problem);
/** The check character for 17 digits ('0'-'9' or 'X'), or 0 when they are not digits. */
char cj_id_check_char(const char *first17);

/**
 * The form shown in public, as the database's id_number_masked(): the first
 * 6 and last 4 characters of an 18-character ID with 8 asterisks between;
 * anything else becomes one asterisk per character (at most 18).
 */
void cj_id_number_mask(char out[CJ_ID_MASK_MAX], const char *id);

/* ---- shares ------------------------------------------------------------------ */

#define CJ_SHARE_NTYPES 6
#define CJ_SHARE_COLLECTIVE "集体股"
/** The share types the register knows, in display order (集体股 among them). */
extern const char *const cj_share_types[CJ_SHARE_NTYPES];
/** Index of a type in cj_share_types, or -1 when unknown. */
int cj_share_type_index(const char *type);

/** Largest holding the register takes (numeric(12, 2)), in hundredths. */
#define CJ_SHARES_MAX_CENTI INT64_C(999999999999)
/** Longest text cj_shares_format writes, with the NUL. */
#define CJ_SHARES_FMT_MAX 24

/**
 * Parse a positive number of shares with at most two decimals ("1", "1.5",
 * "0.25") into hundredths.  Leading and trailing spaces are allowed.
 * @return 0, or CJ_EINVAL (not a number, zero or negative, more than two
 *         decimals) or CJ_EOVERFLOW (above CJ_SHARES_MAX_CENTI)
 */
CJ_MUST_CHECK int cj_shares_parse(int64_t *centi, const char *text);
/** Hundredths as "1.50"; returns buf. */
const char *cj_shares_format(char buf[CJ_SHARES_FMT_MAX], int64_t centi);

/* ---- households ------------------------------------------------------------- */

/* Room for a household code (1-30 of 0-9 A-Z a-z _ -) and the NUL. */
#define CJ_HOUSEHOLD_CODE_MAX 32
#define CJ_RELATION_HEAD "户主"

/** 1 when code is a valid household code (户编号). */
int cj_household_code_valid(const char *code);
/** 1 for "", "脱贫户" and "监测户". */
int cj_poverty_status_valid(const char *status);
/** 1 for digits and spaces only (may be empty). */
int cj_bank_account_valid(const char *account);

/** A person of a household other than the head. */
typedef struct cj_person {
	const char *name;
	const char *id_number;
	const char *relation; /* 配偶, 子, 女 …; NULL or "" when not given; never 户主 */
} cj_person;

/** Shares of one type held by the household. */
typedef struct cj_share_spec {
	const char *type;       /* one of cj_share_types except 集体股 */
	const char *shares;     /* decimal text, e.g. "1.5" */
	cj_date effective_from; /* {0} for the first day of the village's books */
} cj_share_spec;

/**
 * A household to add.  Strings are borrowed; NULL optional fields read as
 * "".  The head becomes person 1 with relation 户主, people[i] person i + 2.
 */
typedef struct cj_household {
	const char *code;           /* 户编号 */
	const char *head_name;      /* 户主 */
	const char *head_id_number;
	const char *phone;
	const char *bank_name;      /* 开户行 */
	const char *bank_account;   /* digits (and spaces) */
	const char *poverty_status; /* "", 脱贫户 or 监测户 */
	const cj_person *people;
	size_t npeople;
	const cj_share_spec *shares;
	size_t nshares;
} cj_household;

/**
 * Check a household in C, without the database (db only holds the
 * message): code, names, every ID (and none twice), bank account, poverty
 * status, share types (not 集体股) and amounts, dates.
 */
CJ_MUST_CHECK int cj_household_check(cj_db *db, const cj_household *h);

/**
 * Add a household, its people and its shares in one transaction.  Refuses,
 * naming the household or person, what cj_household_check refuses, a code
 * already used in the village and an ID number already registered there.
 */
CJ_MUST_CHECK int cj_household_add(cj_db *db, int village_id, const cj_household *h);

/**
 * Add many households (an import) in one transaction: all of them or none.
 * The transaction is the caller's when it holds one (it then rolls back
 * after a failure), else its own.
 * Codes and ID numbers must also differ between the households.  On
 * failure *failed (when not NULL) is the index of the household the
 * message is about, or n when it concerns none in particular.
 */
CJ_MUST_CHECK int cj_household_import(cj_db *db, int village_id, const cj_household *hs, size_t n,
				      size_t *failed);

/**
 * Add a holding: household_code NULL for the collective's 集体股 (and only
 * then).  effective_from {0} means the first day of the books.
 */
/**
 * Record a household's bank (开户行) and account number, e.g. before paying
 * its dividend by bank.  The account holds digits and spaces, at least one
 * digit.
 */
CJ_MUST_CHECK int cj_household_set_bank(cj_db *db, int village_id, const char *household_code,
					const char *bank_name, const char *bank_account);

CJ_MUST_CHECK int cj_share_add(cj_db *db, int village_id, const char *household_code,
			       const char *type, const char *shares, cj_date effective_from);

/**
 * Which codes and ID numbers the village's register already holds: for
 * each codes[i], code_taken[i] = 1 when a household has it; for each
 * ids[i], id_owner[i] = the code of the household with a person (or head)
 * of that ID, or "".  For checking a whole file before writing anything.
 */
CJ_MUST_CHECK int cj_member_lookup(cj_db *db, int village_id, const char *const *codes,
				   size_t ncodes, int *code_taken, const char *const *ids, size_t nids,
				   char (*id_owner)[CJ_HOUSEHOLD_CODE_MAX]);

/* ---- the register ----------------------------------------------------------- */

typedef struct cj_member_row {
	char code[CJ_HOUSEHOLD_CODE_MAX];
	char head_name[200];
	char head_id_number[CJ_ID_NUMBER_LEN + 1];
	char head_id_masked[CJ_ID_MASK_MAX];
	char phone[64];
	char bank_name[200];
	char bank_account[64];
	char poverty_status[16];
	int people;                             /* the head included */
	int64_t shares_centi[CJ_SHARE_NTYPES]; /* in force on the day, by cj_share_types index */
	int64_t total_centi;
} cj_member_row;

typedef struct cj_member_register {
	cj_date on;
	cj_member_row *households; /* by code */
	size_t nhouseholds;
	long people;
	int64_t collective_centi;                   /* 集体股 */
	int64_t type_total_centi[CJ_SHARE_NTYPES]; /* households and collective */
	int64_t total_centi;
} cj_member_register;

/**
 * The village's households with their people count and the shares in
 * force on a day (cunji.shares_on), per type, and the totals.  Free with
 * cj_member_register_free.
 */
CJ_MUST_CHECK int cj_member_list(cj_db *db, int village_id, cj_date on, cj_member_register *out);
void cj_member_register_free(cj_member_register *r);

#endif
