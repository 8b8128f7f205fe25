/*
 * text.h - free text fit for the books: summaries, counterparties, names
 *
 * A 摘要 or a counterparty ends up on vouchers, ledgers, public sheets and
 * CSV files.  Control characters (a line break, a tab, an escape code that
 * recolours a terminal), C1 controls and the invisible marks that reorder
 * text (bidirectional controls) break those layouts or hide what a reader
 * sees, so they are refused wherever text enters: cunji post, the importers
 * and, with the same character set, the database (schema 0011, plain_text).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_TEXT_H
#define CUNJI_LEDGER_TEXT_H

#include <stddef.h>

#include <ledger/error.h>

/**
 * Check that s is valid UTF-8 without a C0 control (U+0000-U+001F: tab,
 * line break, escape ...), DEL, a C1 control (U+0080-U+009F), a line or
 * paragraph separator (U+2028, U+2029) or a bidirectional control (U+061C,
 * U+200E, U+200F, U+202A-U+202E, U+2066-U+2069).
 * @param why receives, on failure, what was found and where, e.g.
 *        "holds a line break (U+000A) after '收到'" (may be NULL)
 * @return 0, or CJ_EINVAL
 */
CJ_MUST_CHECK int cj_text_check(const char *s, char *why, size_t whysize);

#endif
