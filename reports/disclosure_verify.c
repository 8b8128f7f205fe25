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
		{
			size_t cap = (o->cap ? o->cap * 2 : 1024) + (size_t)n;
			char *p = realloc(o->s, cap);

			if (!p) {
				o->oom = 1;
				return;
			}
			o->s = p;
			o->cap = cap;
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
		say(o, "    %s %s dated %s, %s, %s (posted %s)\n", v->code, PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1), summary, amount, PQgetvalue(res, i, 4));
	}
	if (n && atol(PQgetvalue(res, 0, 5)) - skip > n)
		say(o, "    ... and %ld more\n", atol(PQgetvalue(res, 0, 5)) - skip - n);
	PQclear(res);
	return 0;
}

/*
 * One village against what a stamp recorded (count and digest, full or
 * short).  *same: 1 when unchanged.  Explains a difference into o.
 */
static int
check_village(cj_db *db, out *o, const cj_org *v, cj_date end, long vouchers, const char *hex,
	      size_t hexlen, int *same, cj_dis_digest *now)
{
	cj_dis_digest then;
	char date[16];
	int err;

	*same = 0;
	cj_date_format(date, sizeof date, end);
	if ((err = cj_dis_village_digest(db, v->id, end, -1, now)))
		return err;
	if (now->vouchers == vouchers && !strncmp(now->hex, hex, hexlen)) {
		*same = 1;
		return 0;
	}
	if (now->vouchers > vouchers) {
		if ((err = cj_dis_village_digest(db, v->id, end, vouchers, &then)))
			return err;
		if (then.vouchers == vouchers && !strncmp(then.hex, hex, hexlen)) {
			say(o, "  village %s %s: %ld voucher(s) dated up to %s were posted after the sheet "
			    "was made (%ld then, %ld now):\n", v->code, v->name, now->vouchers - vouchers,
			    date, vouchers, now->vouchers);
			return list_added(db, o, v, date, vouchers);
		}
	}
	say(o, "  village %s %s: the vouchers the sheet was made from have changed (%ld vouchers "
	    "dated up to %s then, %ld now, and the first %ld no longer give the recorded digest)\n",
	    v->code, v->name, vouchers, date, now->vouchers, vouchers);
	return 0;
}

int
cj_dis_verify(cj_db *db, const cj_dis_stamp *st, int *match, char **report)
{
	static const cj_org_level want[3] = {CJ_ORG_VILLAGE, CJ_ORG_TOWNSHIP, CJ_ORG_COUNTY};
	out o = {NULL, 0, 0, 0};
	cj_org top, *orgs = NULL;
	size_t norgs = 0;
	char date[16];
	int err, same;

	*match = 0;
	*report = NULL;
	cj_date_format(date, sizeof date, st->end);
	if ((err = cj_org_find(db, st->code, &top)))
		return err;
	if (top.level != want[st->level])
		return cj_db_fail(db, CJ_EINVAL, "the sheet is for %s %s, but %s is now a %s",
				  cj_dis_level_name(st->level), st->code, st->code,
				  cj_org_level_name(top.level));
	if ((err = cj_db_exec(db, NULL, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0, NULL)))
		return err;

	if (st->level == CJ_DIS_VILLAGE) {
		cj_dis_digest now;

		say(&o, "%s sheet of %s %s for %s (books up to %s)\n", cj_dis_level_name(st->level),
		    top.code, top.name, st->period, date);
		if ((err = check_village(db, &o, &top, st->end, st->vouchers, st->hex, 64, &same, &now)))
			goto done;
		*match = same;
		if (same)
			say(&o, "  the books still match: %ld vouchers, SHA-256 %s\n", now.vouchers, now.hex);
		goto done;
	}

	/* a township or county: every village it listed, and none new */
	if ((err = cj_org_list(db, st->code, &orgs, &norgs)))
		goto done;
	say(&o, "%s sheet of %s %s for %s (books up to %s, %zu villages)\n",
	    cj_dis_level_name(st->level), top.code, top.name, st->period, date, st->nvillages);
	{
		dis_figures *figs = calloc(norgs ? norgs : 1, sizeof *figs);
		size_t nf = 0, changed = 0, found;
		cj_dis_digest group;

		if (!figs) {
			err = cj_db_fail(db, CJ_ENOMEM, "out of memory");
			goto done;
		}
		for (size_t i = 0; i < norgs && !err; i++) {
			const cj_org *v = &orgs[i];
			const struct cj_dis_stamp_village *sv = NULL;

			if (v->level != CJ_ORG_VILLAGE)
				continue;
			for (size_t k = 0; k < st->nvillages; k++)
				if (!strcmp(st->villages[k].code, v->code))
					sv = &st->villages[k];
			snprintf(figs[nf].code, sizeof figs[nf].code, "%s", v->code);
			if (!sv) {
				say(&o, "  village %s %s was not on the sheet (added since)\n", v->code, v->name);
				changed++;
				err = cj_dis_village_digest(db, v->id, st->end, -1, &figs[nf++].digest);
				continue;
			}
			err = check_village(db, &o, v, st->end, sv->vouchers, sv->hex, CJ_DIS_DIGEST_SHORT,
					    &same, &figs[nf++].digest);
			changed += !same;
		}
		for (size_t k = 0; k < st->nvillages && !err; k++) {
			found = 0;
			for (size_t i = 0; i < norgs; i++)
				found |= orgs[i].level == CJ_ORG_VILLAGE && !strcmp(orgs[i].code, st->villages[k].code);
			if (!found) {
				say(&o, "  village %s is on the sheet but no longer under %s\n",
				    st->villages[k].code, st->code);
				changed++;
			}
		}
		if (!err)
			err = dis_group_digest(db, st->level, st->code, st->end, figs, nf, &group);
		free(figs);
		if (err)
			goto done;
		if (!changed && group.vouchers == st->vouchers && !strcmp(group.hex, st->hex)) {
			*match = 1;
			say(&o, "  the books still match: %ld vouchers in %zu villages, SHA-256 %s\n",
			    group.vouchers, nf, group.hex);
		} else if (!changed) {
			say(&o, "  the villages match their recorded digests but the sheet's own digest does "
			    "not (the stamp was altered)\n");
		} else {
			say(&o, "  %zu of %zu villages changed; the sheet's digest no longer matches\n", changed,
			    nf);
		}
	}
done:
	free(orgs);
	if (err) {
		cj_db_rollback(db);
		free(o.s);
		return err;
	}
	if ((err = cj_db_exec(db, NULL, "COMMIT", 0, NULL))) {
		free(o.s);
		return err;
	}
	if (o.oom) {
		free(o.s);
		return cj_db_fail(db, CJ_ENOMEM, "out of memory");
	}
	*report = o.s;
	return 0;
}
