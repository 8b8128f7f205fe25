/*
 * amount.h - amounts as bookkeepers write them in files, and column units
 *
 * cj_money_parse (ledger/money.h) reads yuan: "1,234.56", "(1,200.00)",
 * "-3", full-width digits.  Files add one thing: a column in 万元 (ten
 * thousand yuan), said so by its header ("借方金额(万元)").  Such an amount
 * may carry up to six decimals (0.000001 万元 is one fen) and is scaled to
 * fen in integers, never through a float.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_IMPORTERS_AMOUNT_H
#define CUNJI_IMPORTERS_AMOUNT_H

#include <stddef.h>

#include <ledger/money.h>

typedef enum cj_amount_unit {
	CJ_UNIT_YUAN = 0, /* 元: up to 2 decimals */
	CJ_UNIT_WAN = 1   /* 万元: up to 6 decimals */
} cj_amount_unit;

/**
 * Parse an amount in the given unit into fen.  Accepts what cj_money_parse
 * accepts (in 万元 with up to six decimals instead of two), and two things
 * spreadsheets write: a unit after the figure ("1200元", "1.2万元"), which
 * wins over the column's; and a number Excel stored as a binary double
 * ("856216.5600000001", "390424.6899999999"), read as the amount it
 * displays when it is within a millionth of a fen of it (in decimal text,
 * never through a double).
 * @return 0, CJ_EINVAL (not an amount, or finer than a fen) or CJ_EOVERFLOW
 */
CJ_MUST_CHECK int cj_amount_parse(cj_money *out, const char *text, cj_amount_unit unit);

/**
 * Split a column header into its name and unit: "借方金额(万元)",
 * "借方金额（万元）", "借方金额/万元" and "借方金额 万元" are 借方金额 in 万元;
 * "(元)" is yuan; no unit is yuan.  Spaces around are dropped.
 * @param name receives the name (truncated to size)
 * @return 0, or CJ_EINVAL when the parentheses hold something else
 *         ("(千元)", "(12位)"): name still gets the part before them and
 *         *unit is yuan; only an amount column need care
 */
CJ_MUST_CHECK int cj_header_split(const char *header, char *name, size_t size, cj_amount_unit *unit);

#endif
