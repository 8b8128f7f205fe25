/*
 * db_messages.c - the database's refusals in the reader's language
 *
 * Our schema refuses with SQLSTATEs CJnnn and an English text made by
 * RAISE ... format('account %s ...', ...).  The database does not know the
 * reader's language, so the client translates: the text is matched against
 * the schema's RAISE patterns (db_messages.h, generated from
 * schema/current.sql by po/db_messages.py), and the pattern's translation
 * (po/zh_CN.po) is printed with what each %s matched, each of those
 * translated again when it is itself one of the patterns (a draft's refusal
 * quoting another).  A text no pattern matches stays as the database wrote
 * it; the SQLSTATE is kept either way.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include <ledger/i18n.h>
#include <ledger/sql.h>

#include "internal.h"

static const char *const patterns[] = {
#include "db_messages.h"
	/* texts the importers' checks make in SQL (importers/import.c) */
	N_("account %s does not exist in village %s"),
	N_("account %s %s has sub-accounts; %s"),
	N_("post to one of them"),
	N_("give the balances of its sub-accounts only (a 科目余额表 repeats them in its parent rows)"),
	N_("account %s %s is inactive"),
	N_(" (also on row%s %s%s)"),
	N_(", … %s rows in all"),
	N_("凭证号 %s of village %s"),
	N_("%s (%s): %s"),
	/* PostgreSQL's own refusals of a login's privileges and row-level
	 * security (SQLSTATE 42501), written in the server's language */
	N_("permission denied for table %s"),
	N_("permission denied for view %s"),
	N_("permission denied for sequence %s"),
	N_("permission denied for function %s"),
	N_("permission denied for schema %s"),
	N_("new row violates row-level security policy for table \"%s\""),
	N_("must be owner of table %s"),
	/* a pending draft in a list of them (project_drafts_pending(), 0045) */
	N_("%s (awaiting review)"),
	N_("%s (reviewed)"),
	N_("%s (rejected)"),
};

/* how the items of a list the database wrote are joined: "12 (…), 15 (…)" */
static const char list_join[] = N_("%s, %s");

#define MAX_ARGS 12

typedef struct capture {
	const char *at[MAX_ARGS];
	size_t len[MAX_ARGS];
	int n;
} capture;

/* msg against pat (literal text, %s and %%), each %s as short as it can be */
static int
match(const char *pat, const char *msg, capture *c)
{
	for (;;) {
		if (pat[0] == '%' && pat[1] == 's') {
			int k = c->n;

			if (k == MAX_ARGS)
				return 0;
			c->n++;
			for (size_t len = 0;; len++) {
				c->at[k] = msg;
				c->len[k] = len;
				if (match(pat + 2, msg + len, c))
					return 1;
				if (!msg[len])
					break;
			}
			c->n = k;
			return 0;
		}
		if (pat[0] == '%' && pat[1] == '%')
			pat++;
		if (!*pat)
			return !*msg;
		if (*pat != *msg)
			return 0;
		pat++;
		msg++;
	}
}

/* the literal characters of a pattern: a longer one is the more specific */
static size_t
literal_length(const char *pat)
{
	size_t n = 0;

	for (; *pat; pat++)
		if (*pat == '%' && (pat[1] == 's' || pat[1] == '%'))
			pat++;
		else
			n++;
	return n;
}

static int translate(const char *msg, char *out, size_t size, int depth);

/*
 * An argument that is a list, "a, b, c", each item one of the patterns:
 * each item translated, joined the reader's way.  0 when it is not such a
 * list (then it is taken whole).
 */
static int
translate_list(const char *msg, char *out, size_t size, int depth)
{
	char item[512], done[1024], joined[1024];
	const char *p = msg, *comma;
	int n = 0;

	if (!strstr(msg, ", "))
		return 0;
	done[0] = '\0';
	for (;;) {
		comma = strstr(p, ", ");
		snprintf(item, sizeof item, "%.*s", comma ? (int)(comma - p) : (int)strlen(p), p);
		if (!translate(item, item, sizeof item, depth))
			return 0;
		if (n++)
			snprintf(joined, sizeof joined, _(list_join), done, item);
		else
			snprintf(joined, sizeof joined, "%s", item);
		snprintf(done, sizeof done, "%s", joined);
		if (!comma)
			break;
		p = comma + 2;
	}
	snprintf(out, size, "%s", done);
	return 1;
}

/* msg in the reader's language into out; 1 when one of the patterns matched it */
static int
translate(const char *msg, char *out, size_t size, int depth)
{
	const char *best = NULL;
	capture c, bc;
	char args[MAX_ARGS][512];
	size_t best_len = 0;

	char copy[1024];

	snprintf(copy, sizeof copy, "%s", msg); /* out may be msg */
	msg = copy;
	snprintf(out, size, "%s", msg);
	if (depth > 2)
		return 0;
	if (depth && translate_list(msg, out, size, depth))
		return 1;
	for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
		size_t len = literal_length(patterns[i]);

		c.n = 0;
		if (len > best_len && match(patterns[i], msg, &c)) {
			best = patterns[i];
			best_len = len;
			bc = c;
		}
	}
	if (!best) {
		/* a word the database quoted (a status: rejected, closed) may be in the catalogue */
		if (depth && *msg)
			snprintf(out, size, "%s", _(msg));
		return 0;
	}
	if (_(best) == best) /* not translated: the reader's language is English */
		return 1;
	for (int k = 0; k < MAX_ARGS; k++) {
		char raw[512];

		if (k >= bc.n) {
			args[k][0] = '\0';
			continue;
		}
		snprintf(raw, sizeof raw, "%.*s", (int)bc.len[k], bc.at[k]);
		translate(raw, args[k], sizeof args[k], depth + 1);
	}
	/* every argument is a string; a translation may take them in any order (%2$s) */
	snprintf(out, size, _(best), args[0], args[1], args[2], args[3], args[4], args[5], args[6],
		 args[7], args[8], args[9], args[10], args[11]);
	return 1;
}

void
cj_db_translate(char *msg, size_t size)
{
	cj__db_translate(msg, size);
}

void
cj__db_translate(char *msg, size_t size)
{
	char out[1024];

	(void)translate(msg, out, sizeof out, 0);
	snprintf(msg, size, "%s", out);
}
