/*
 * bank_rules.h - the rules that turn bank statement rows into vouchers
 *
 * In the spirit of hledger's CSV rules, much smaller: a rule matches a row
 * by its counterparty (对方户名) or memo (摘要/用途), by substring or by
 * regular expression, and says which account takes the other side of the
 * bank line, with an optional fund, project and summary template.  The
 * first rule that matches, in file order, wins.  docs/importers.md has the
 * format; importers/examples/bank_rules.txt is an example.
 *
 *   # 周口村 农商行 102001
 *   if 承包费
 *   direction in
 *     account 501
 *     summary 收到{counterparty}承包费
 *
 *   if counterparty /^靖安县财政局/
 *   and memo 衔接
 *     account 241
 *     fund XJ2025-01
 *     summary 收到衔接资金 {memo}
 *
 * Pure: parsing works on text in memory, so it is unit-tested and fuzzed.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_IMPORTERS_BANK_RULES_H
#define CUNJI_IMPORTERS_BANK_RULES_H

#include <stddef.h>

#include <ledger/error.h>

typedef enum cj_bank_direction {
	CJ_BANK_ANY = 0,
	CJ_BANK_IN = 1, /* money into the account (收入, 贷方发生额) */
	CJ_BANK_OUT = 2 /* money out (支出, 借方发生额) */
} cj_bank_direction;

typedef struct cj_bank_rules cj_bank_rules;

/** One rule as parsed: what it posts (the conditions stay inside). */
typedef struct cj_bank_rule {
	size_t line;            /* the line of its first `if` */
	const char *account;    /* the other side of the bank line */
	const char *fund;       /* fund code, or NULL */
	const char *project;    /* project code, or NULL */
	const char *summary;    /* template, or NULL: the row's memo */
	cj_bank_direction direction;
} cj_bank_rule;

/** The parts of a statement row a rule can see and a template can use. */
typedef struct cj_bank_row {
	const char *date;         /* YYYY-MM-DD */
	const char *amount;       /* yuan, e.g. "1,200.00" */
	const char *counterparty; /* "" when none */
	const char *memo;         /* "" when none */
	cj_bank_direction direction;
} cj_bank_row;

/**
 * Parse a rules file (UTF-8, a BOM allowed).  Every problem is recorded, as
 * "line N: ...", up to 100 of them.
 * @param[out] out the rules, freed with cj_bank_rules_free (set even on failure)
 * @return 0, -1 when the text has errors (cj_bank_rules_nerrors), -2 out of memory
 */
CJ_MUST_CHECK int cj_bank_rules_parse(cj_bank_rules **out, const char *text, size_t len);

size_t cj_bank_rules_nerrors(const cj_bank_rules *r);
const char *cj_bank_rules_error(const cj_bank_rules *r, size_t i);
size_t cj_bank_rules_count(const cj_bank_rules *r);
const cj_bank_rule *cj_bank_rules_at(const cj_bank_rules *r, size_t i);

/** The first rule that matches the row, or NULL. */
const cj_bank_rule *cj_bank_rules_match(const cj_bank_rules *r, const cj_bank_row *row);

/**
 * The voucher summary for a row: the rule's template with {memo},
 * {counterparty}, {date} and {amount} (or 摘要, 对方户名, 日期, 金额) filled
 * in, "{{" and "}}" for braces; without a template the memo, else the
 * counterparty.  Cut at a character boundary to fit size.
 */
void cj_bank_summary(const cj_bank_rule *rule, const cj_bank_row *row, char *out, size_t size);

void cj_bank_rules_free(cj_bank_rules *r);

#endif
