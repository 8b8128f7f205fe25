/*
 * inspect.h - what inspectors write: the thresholds of the warning rules,
 * the officials roster (R26) and their marks on findings
 *
 * The rules and the scan are in <reports/audit.h>.  The database decides
 * who may write (0023, 0024): thresholds and the roster admins and
 * inspectors, marks inspectors only (42501 otherwise, CJ_EREFUSED here).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_INSPECT_H
#define CUNJI_LEDGER_INSPECT_H

#include <ledger/date.h>
#include <ledger/db.h>

/**
 * Set a rule's threshold for a county or a township (a township's overrides
 * its county's): rule R08, key limit, value in the parameter's unit as a
 * person writes it (yuan for money, a whole number of days, months, payments
 * or percent).  CJ_EINVAL names what is wrong.
 */
CJ_MUST_CHECK int cj_audit_threshold_set(cj_db *db, const char *org, const char *rule,
					 const char *key, const char *value);

typedef struct cj_official {
	const char *name;
	const char *id_number;  /* NULL or "": unknown (matched by name only) */
	const char *post;       /* 村党支部书记, 村委会主任, 监督委员会委员, 报账员 … */
	cj_date term_from, term_to; /* zero: not given */
	const char *relation;   /* NULL: 本人; else 配偶, 子女, 父母, 兄弟姐妹 … */
	const char *related_to; /* the official the relative is related to */
} cj_official;

/** Add a person to a village's roster. */
CJ_MUST_CHECK int cj_official_add(cj_db *db, int village_id, const cj_official *o);

/**
 * Mark a finding of audit scan (its village and key as the scan lists them)
 * explained, follow_up or referred, with a note.  The mark is added, never
 * replaces: the latest is the state.
 */
CJ_MUST_CHECK int cj_audit_mark(cj_db *db, int village_id, const char *key, const char *state,
				const char *note);

#endif
