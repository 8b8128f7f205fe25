/*
 * disclosure_verify.c - do the books still say what a sheet says?
 *
 * A sheet's stamp names its level, organisation, period end, the number of
 * vouchers it covered and their digest (for a township or county, also each
 * village's count and short digest).  Vouchers are never changed or
 * deleted once posted, only added (a correction is a new red voucher), so
 * a sheet goes stale in one ordinary way: vouchers dated within its period
 * were posted after it was made.  The digest over the first N vouchers (in
 * posting order) tells that case apart from any other change, and the
 * added vouchers are listed.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ledger/grow.h>
#include <ledger/sql.h>
#include <ledger/i18n.h>

#include "disclosure_internal.h"

/* $1 village, $2 last day, $3 how many to skip: vouchers in posting order */
static const char added_sql[] =
	"SELECT to_char(v.period, 'YYYY-MM') || '-' || v.number, to_char(v.voucher_date, 'YYYY-MM-DD'),\n"
	"       v.summary, (SELECT coalesce(sum(l.debit_fen), 0) FROM voucher_line l\n"
	"                    WHERE l.village_id = v.village_id AND l.voucher_id = v.id),\n"
	"       to_char(v.posted_at, 'YYYY-MM-DD HH24:MI'), count(*) OVER ()\n"
	"  FROM voucher v\n"
	" WHERE v.village_id = $1 AND v.voucher_date <= $2::date\n"
	" ORDER BY v.id OFFSET $3 LIMIT 20";

typedef struct out {
	char *s;
	size_t len, cap;
	int oom;
} out;

static void
say(out *o, const char *fmt, ...) CJ_PRINTF(2, 3);

static void
say(out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(o->s ? o->s + o->len : NULL, o->s ? o->cap - o->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			o->oom = 1;
			return;
		}
		if (o->s && o->len + (size_t)n < o->cap) {
			o->len += (size_t)n;
			return;
		}
		if (cj_grow((void **)&o->s, &o->cap, o->len + (size_t)n + 1, 1)) {
			o->oom = 1;
			return;
		}
	}
}

/* List the vouchers of a village after the first `skip`, dated up to end. */
static int
list_added(cj_db *db, out *o, const cj_org *v, const char *end, long skip)
{
	char vid[16], off[24];
	const char *params[3] = {vid, end, off};
	PGresult *res;
	int err, n;

	snprintf(vid, sizeof vid, "%d", v->id);
	snprintf(off, sizeof off, "%ld", skip);
	if ((err = cj_db_exec(db, &res, added_sql, 3, params)))
		return err;
	n = PQntuples(res);
	for (int i = 0; i < n; i++) {
		char summary[512], amount[CJ_MONEY_FMT_MAX];

		snprintf(summary, sizeof summary, "%s", PQgetvalue(res, i, 2));
		cj_dis_mask_ids(summary);
		cj_money_format(amount, sizeof amount,
				cj_money_from_fen(strtoll(PQgetvalue(res, i, 3), NULL, 10)),
				CJ_MONEY_FMT_GROUPED);
		say(o, _("    %s %s dated %s, %s, %s (posted %s)\n"), v->code, PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1), summary, amount, PQgetvalue(res, i, 4));
	}
	if (n && atol(PQgetvalue(res, 0, 5)) - skip > n)
		say(o, _("    ... and %ld more\n"), atol(PQgetvalue(res, 0, 5)) - skip - n);
	PQclear(res);
	return 0;
}

/*
 * One village against what a stamp recorded (count and digest, full or
 * short): *v is MATCH, STALE (vouchers posted since, listed into o) or
 * FOREIGN (its first vouchers are not the sheet's: other books, so the
 * line names the village by its code only).
 */
static int
check_village(cj_db *db, out *o, const cj_org *v, cj_date end, long vouchers, const char *hex,
	      size_t hexlen, cj_dis_verdict *verdict, cj_dis_digest *now)
{
	cj_dis_digest then;
	char date[16];
	int err;

	*verdict = CJ_DIS_MATCH;
	cj_date_format(date, sizeof date, end);
	if ((err = cj_dis_village_digest(db, v->id, end, -1, now)))
		return err;
	if (now->vouchers == vouchers && !strncmp(now->hex, hex, hexlen))
		return 0;
	*verdict = CJ_DIS_FOREIGN;
	if (now->vouchers < vouchers) {
		say(o, _("  village %s: the sheet covers %ld vouchers dated up to %s, these books hold only "
		    "%ld (posted vouchers are never deleted)\n"), v->code, vouchers, date, now->vouchers);
		return 0;
	}
	if ((err = cj_dis_village_digest(db, v->id, end, vouchers, &then)))
		return err;
	if (strncmp(then.hex, hex, hexlen)) {
		say(o, _("  village %s: the first %ld vouchers dated up to %s in these books are not the ones "
		    "the sheet was made from (SHA-256 %.*s here, %.*s on the sheet; posted vouchers are "
		    "never changed)\n"), v->code, vouchers, date, CJ_DIS_DIGEST_SHORT, then.hex,
		    CJ_DIS_DIGEST_SHORT, hex);
		return 0;
	}
	*verdict = CJ_DIS_STALE;
	say(o, _("  village %s %s: %ld voucher(s) dated up to %s were posted after the sheet was made "
	    "(%ld then, %ld now):\n"), v->code, v->name, now->vouchers - vouchers, date, vouchers,
	    now->vouchers);
	return list_added(db, o, v, date, vouchers);
}

static void
anchor_finding(const char *line, void *payload)
{
	say(payload, "  %s\n", line);
}

/*
 * A village sheet's anchor against the chain now: REWRITTEN when it fails
 * and the digest did not already say the sheet is from other books (or
 * from books rebuilt since; the anchor's findings then say more).
 */
static int
check_anchor(cj_db *db, out *o, const cj_dis_stamp *st, cj_dis_verdict *verdict)
{
	cj_anchor *a = malloc(sizeof *a);
	long findings = 0;
	int err;

	if (!a)
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	if (cj_anchor_parse(st->anchor, a)) {
		free(a);
		return cj_db_fail(db, CJ_EINVAL, _("the sheet's anchor cannot be read"));
	}
	if ((err = cj_anchor_check(db, a, anchor_finding, o, &findings))) {
		free(a);
		return err;
	}
	if (findings && *verdict != CJ_DIS_FOREIGN)
		*verdict = CJ_DIS_REWRITTEN;
	else if (a->org[0])
		say(o, _("  the chains still hold the sheet's anchor: the heads of its %lld villages hash "
			 "to %.16s…\n"), (long long)a->seq, a->head);
	else
		say(o, _("  the chain still holds the sheet's anchor: link %lld is %.16s…\n"),
		    (long long)a->seq, a->head);
	free(a);
	return 0;
}

/* The worse of two verdicts: FOREIGN, then STALE, then MATCH. */
static cj_dis_verdict
worse(cj_dis_verdict a, cj_dis_verdict b)
{
	if (a == CJ_DIS_FOREIGN || b == CJ_DIS_FOREIGN)
		return CJ_DIS_FOREIGN;
	return a == CJ_DIS_STALE || b == CJ_DIS_STALE ? CJ_DIS_STALE : CJ_DIS_MATCH;
}

/* A township or county: every village it listed, and none new. */
static int
check_group(cj_db *db, out *o, const cj_dis_stamp *st, cj_dis_verdict *verdict, size_t *nvillages)
{
	cj_org *orgs = NULL;
	size_t norgs = 0, nf = 0;
	dis_figures *figs = NULL;
	cj_dis_digest group;
	cj_dis_verdict v;
	size_t changed = 0;
	int err;

	*verdict = CJ_DIS_MATCH;
	if ((err = cj_org_list(db, st->code, &orgs, &norgs)))
		return err;
	if (!(figs = calloc(norgs ? norgs : 1, sizeof *figs))) {
		free(orgs);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	for (size_t i = 0; i < norgs && !err; i++) {
		const cj_org *org = &orgs[i];
		const struct cj_dis_stamp_village *sv = NULL;

		if (org->level != CJ_ORG_VILLAGE)
			continue;
		for (size_t k = 0; k < st->nvillages; k++)
			if (!strcmp(st->villages[k].code, org->code))
				sv = &st->villages[k];
		snprintf(figs[nf].code, sizeof figs[nf].code, "%s", org->code);
		if (!sv) {
			say(o, _("  village %s %s was not on the sheet (added since)\n"), org->code, org->name);
			*verdict = worse(*verdict, CJ_DIS_STALE);
			changed++;
			err = cj_dis_village_digest(db, org->id, st->end, -1, &figs[nf++].digest);
			continue;
		}
		err = check_village(db, o, org, st->end, sv->vouchers, sv->hex, CJ_DIS_DIGEST_SHORT, &v,
				    &figs[nf++].digest);
		*verdict = worse(*verdict, v);
		changed += v != CJ_DIS_MATCH;
	}
	for (size_t k = 0; k < st->nvillages && !err; k++) {
		cj_org elsewhere;
		int found = 0;

		for (size_t i = 0; i < norgs; i++)
			found |= orgs[i].level == CJ_ORG_VILLAGE && !strcmp(orgs[i].code, st->villages[k].code);
		if (found)
			continue;
		if (cj_org_find(db, st->villages[k].code, &elsewhere) == 0) {
			say(o, _("  village %s is on the sheet but no longer under %s\n"), st->villages[k].code,
			    st->code);
			*verdict = worse(*verdict, CJ_DIS_STALE);
			changed++;
		} else {
			say(o, _("  village %s is on the sheet but not in these books\n"), st->villages[k].code);
			*verdict = CJ_DIS_FOREIGN;
		}
	}
	if (!err)
		err = cj__dis_group_digest(db, st->level, st->code, st->end, figs, nf, &group);
	free(figs);
	free(orgs);
	if (err)
		return err;
	*nvillages = nf;
	if (*verdict == CJ_DIS_MATCH && (group.vouchers != st->vouchers || strcmp(group.hex, st->hex))) {
		say(o, _("  the villages match their recorded digests but the sheet's own digest does not "
		    "(the stamp was altered)\n"));
		*verdict = CJ_DIS_FOREIGN;
	} else if (*verdict == CJ_DIS_MATCH) {
		say(o, _("  the books still match: %ld vouchers in %zu villages, SHA-256 %s\n"),
		    group.vouchers, nf, group.hex);
	} else if (*verdict == CJ_DIS_STALE) {
		say(o, _("  %zu of %zu villages changed; the sheet's digest no longer matches\n"), changed, nf);
	}
	return 0;
}

int
cj_dis_verify(cj_db *db, const cj_dis_stamp *st, cj_dis_verdict *verdict, char **report)
{
	static const cj_org_level want[3] = {CJ_ORG_VILLAGE, CJ_ORG_TOWNSHIP, CJ_ORG_COUNTY};
	out head = {NULL, 0, 0, 0}, body = {NULL, 0, 0, 0};
	const char *level = _(cj_dis_level_name(st->level));
	cj_dis_verdict v = CJ_DIS_FOREIGN;
	cj_dis_digest now;
	cj_org top;
	size_t nvillages = 0;
	char date[16];
	int err;

	*verdict = CJ_DIS_FOREIGN;
	*report = NULL;
	cj_date_format(date, sizeof date, st->end);
	if ((err = cj_db_exec(db, NULL, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0, NULL)))
		return err;
	err = cj_org_find(db, st->code, &top);
	if (err == CJ_ENOTFOUND) {
		err = 0;
		say(&body, _("  there is no organisation %s in these books\n"), st->code);
	} else if (!err && top.level != want[st->level]) {
		say(&body, _("  %s is a %s in these books, not a %s\n"), st->code,
		    _(cj_org_level_name(top.level)), level);
	} else if (!err && st->level == CJ_DIS_VILLAGE) {
		err = check_village(db, &body, &top, st->end, st->vouchers, st->hex, 64, &v, &now);
		if (!err && v == CJ_DIS_MATCH)
			say(&body, _("  the books still match: %ld vouchers, SHA-256 %s\n"), now.vouchers,
			    now.hex);
		if (!err && st->anchor)
			err = check_anchor(db, &body, st, &v);
	} else if (!err) {
		err = check_group(db, &body, st, &v, &nvillages);
		if (!err && st->anchor)
			err = check_anchor(db, &body, st, &v);
	}
	if (err) {
		cj_db_rollback(db);
		free(body.s);
		return err;
	}
	if ((err = cj_db_exec(db, NULL, "COMMIT", 0, NULL))) {
		free(body.s);
		return err;
	}
	/* these books' name for the organisation only when the sheet is theirs */
	if (v == CJ_DIS_FOREIGN)
		say(&head, _("%s sheet of %s for %s (books up to %s) was not made from these books:\n"),
		    level, st->code, st->period, date);
	else if (st->level == CJ_DIS_VILLAGE)
		say(&head, _("%s sheet of %s %s for %s (books up to %s)\n"), level, top.code, top.name,
		    st->period, date);
	else
		say(&head, _("%s sheet of %s %s for %s (books up to %s, %zu villages)\n"), level, top.code,
		    top.name, st->period, date, st->nvillages);
	say(&head, "%s", body.s ? body.s : "");
	free(body.s);
	if (head.oom || body.oom) {
		free(head.s);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	*verdict = v;
	*report = head.s;
	return 0;
}
