/*
 * amount_words.h - an amount in Chinese capital figures (大写金额), as
 * banks and vouchers write it, and the report note that shows one
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_AMOUNT_WORDS_H
#define CUNJI_REPORTS_AMOUNT_WORDS_H

#include <stddef.h>
#include <stdint.h>

#include <reports/report.h>

/**
 * The amount in fen in capital figures per 《支付结算办法》附件一《正确填写票据
 * 和结算凭证的基本规定》, e.g. 140950 -> "壹仟肆佰零玖元伍角", 10700053 ->
 * "壹拾万柒仟元零伍角叁分"; negatives start with "负" (see amount_words.c for
 * every rule and choice).  buf of at least CJ_AMOUNT_WORDS_MAX bytes.
 * Returns the length, or -1 (and an empty buf) when buf is too small.
 */
#define CJ_AMOUNT_WORDS_MAX 160
CJ_MUST_CHECK int cj_amount_words(char *buf, size_t size, int64_t fen);

/**
 * Add a note "label（大写）：壹仟..." for a money total, e.g. label "合计";
 * for the disclosure sheets' grand totals.  Returns 0 or -1.
 */
CJ_MUST_CHECK int cj_report_note_amount_words(cj_report *r, const char *label, int64_t fen);

#endif
