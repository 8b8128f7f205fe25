/*
 * inspect.c - what inspectors write: thresholds, the officials roster and
 * their marks on findings (see <ledger/inspect.h>; the database checks
 * who may, 0023 and 0024)
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ledger/inspect.h>
#include <ledger/money.h>
#include <ledger/org.h>
#include <ledger/i18n.h>

#include "internal.h"

/* A whole number 0..max of the parameter's unit; -1 when it is not. */
static int64_t
whole_number(const char *s, int64_t max)
{
	char *end;
	long long v;

	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 12)
		return -1;
	v = strtoll(s, &end, 10);
	return v <= max ? v : -1;
}

int
cj_audit_threshold_set(cj_db *db, const char *org, const char *rule, const char *key,
		       const char *value)
{
	char oid[16], num[CJ_I64_MAX];
	const char *p2[2] = {rule, key};
	const char *p4[4] = {oid, rule, key, num};
	PGresult *res;
	cj_org o;
	int64_t v;
	char unit[16];
	int err;

	if ((err = cj_org_find(db, org, &o)))
		return err;
	if ((err = cj_db_exec(db, &res, "SELECT unit FROM audit_param WHERE rule = $1 AND key = $2",
			      2, p2)))
		return err;
	if (PQntuples(res) == 0) {
		PQclear(res);
		return cj_db_fail(db, CJ_EINVAL,
				  _("rule %s has no threshold %s (audit rules lists them)"), rule, key);
	}
	cj__strlcpy(unit, PQgetvalue(res, 0, 0), sizeof unit);
	PQclear(res);
	if (!strcmp(unit, "fen")) {
		cj_money m;
		if (cj_money_parse(&m, value) || m.fen < 0)
			return cj_db_fail(db, CJ_EINVAL, _("%s %s=%s: not an amount in yuan"), rule, key,
					  value);
		v = m.fen;
	} else if ((v = whole_number(value, !strcmp(unit, "percent") ? 100 : 100000)) < 0) {
		return cj_db_fail(db, CJ_EINVAL, _("%s %s=%s: not a whole number of %s"), rule, key, value,
				  unit);
	}
	snprintf(oid, sizeof oid, "%d", o.id);
	cj__i64(num, v);
	return cj_db_exec(db, NULL,
			  "INSERT INTO audit_threshold AS t (org_id, rule, key, value)\n"
			  "VALUES ($1, $2, $3, $4)\n"
			  "ON CONFLICT (org_id, rule, key) DO UPDATE SET value = excluded.value,\n"
			  "       set_by = DEFAULT, set_at = DEFAULT",
			  4, p4);
}

int
cj_official_add(cj_db *db, int village_id, const cj_official *o)
{
	char vid[16], from[16] = "", to[16] = "";
	const char *texts[] = {"name", o->name, "post", o->post, "relation", o->relation,
			       "related to", o->related_to};
	const char *params[8] = {vid,
				 o->name,
				 o->id_number ? o->id_number : "",
				 o->post,
				 NULL,
				 NULL,
				 o->relation ? o->relation : "本人",
				 o->related_to ? o->related_to : ""};
	int err;

	if (!o->name || !o->post)
		return cj_db_fail(db, CJ_EINVAL, _("an official needs a name and a post"));
	if (o->relation && strcmp(o->relation, "本人") && (!o->related_to || !*o->related_to))
		return cj_db_fail(db, CJ_EINVAL, _("%s is %s of whom? (the official's name)"), o->name,
				  o->relation);
	if ((!o->relation || !strcmp(o->relation, "本人")) && o->related_to && *o->related_to)
		return cj_db_fail(db, CJ_EINVAL, _("%s: a relation (配偶, 子女 …) goes with its official"),
				  o->name);
	if ((err = cj__texts_check(db, "official", texts, sizeof texts / sizeof texts[0])))
		return err;
	snprintf(vid, sizeof vid, "%d", village_id);
	if (o->term_from.year) {
		cj_date_format(from, sizeof from, o->term_from);
		params[4] = from;
	}
	if (o->term_to.year) {
		cj_date_format(to, sizeof to, o->term_to);
		params[5] = to;
	}
	err = cj_db_exec(db, NULL,
			 "INSERT INTO official (village_id, name, id_number, post, term_from, term_to,\n"
			 "                      relation, related_to)\n"
			 "VALUES ($1, $2, upper($3), $4, $5, $6, $7, $8)",
			 8, params);
	if (err == CJ_EEXISTS)
		return cj_db_fail(db, err, _("%s (%s) is already on the roster as %s"), o->name,
				  o->id_number, o->post);
	return err;
}

int
cj_audit_mark(cj_db *db, int village_id, const char *key, const char *state, const char *note)
{
	char vid[16];
	const char *params[4] = {vid, key, state, note};
	const char *texts[] = {"note", note};
	int err;

	if (strcmp(state, "explained") && strcmp(state, "follow_up") && strcmp(state, "referred"))
		return cj_db_fail(db, CJ_EINVAL,
				  _("state %s: give explained, follow_up or referred"), state);
	if (!note || !*note)
		return cj_db_fail(db, CJ_EINVAL, _("a mark needs a note saying why"));
	if ((err = cj__texts_check(db, "mark", texts, 2)))
		return err;
	snprintf(vid, sizeof vid, "%d", village_id);
	return cj_db_exec(db, NULL,
			  "INSERT INTO audit_mark (village_id, finding_key, state, note)\n"
			  "VALUES ($1, $2, $3, $4)",
			  4, params);
}
