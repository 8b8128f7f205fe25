/*
 * bank_rules.c - parse and apply bank statement rules (see bank_rules.h)
 *
 * A line-based format: blank lines and lines starting with '#' are
 * ignored; everything else is a keyword and the rest of the line.  `if`
 * starts a rule (consecutive `if` lines are alternatives, `and` narrows the
 * alternative before it); the keywords after them (account, fund, project,
 * summary, direction) say what the rule posts.  Patterns are substrings, or
 * POSIX extended regular expressions between slashes; a regular expression
 * is limited in length and may not use back-references or counted
 * repetition, so that neither compiling nor matching one can blow up.
 *
 * SPDX-License-Identifier: MIT
 */
#include <limits.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <importers/bank_rules.h>
#include <importers/encoding.h>
#include <ledger/grow.h>
#include <ledger/i18n.h>

#define MAX_ERRORS 100
#define MAX_LINE 4096
#define MAX_REGEX 256
#define MAX_RULES 10000
#define MAX_CONDS 64 /* per rule */

typedef enum field { F_EITHER, F_COUNTERPARTY, F_MEMO } field;

typedef struct cond {
	field field;
	int group;    /* conditions of one group must all hold; any group will do */
	int is_regex;
	char *text;
	regex_t re;
} cond;

typedef struct brule {
	cj_bank_rule pub;
	cond *conds;
	size_t nconds, condcap;
	int ngroups;
	char *owned[4]; /* account, fund, project, summary */
	int has_direction;
} brule;

struct cj_bank_rules {
	brule *rules;
	size_t n, cap;
	char *errors[MAX_ERRORS];
	size_t nerrors, more_errors;
	int oom;
};

static void err_at(cj_bank_rules *r, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
err_at(cj_bank_rules *r, size_t line, const char *fmt, ...)
{
	char msg[512];
	int n;
	va_list ap;

	if (r->nerrors >= MAX_ERRORS) {
		r->more_errors++;
		return;
	}
	n = snprintf(msg, sizeof msg, _("line %zu: "), line);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
	va_end(ap);
	r->errors[r->nerrors] = strdup(msg);
	if (!r->errors[r->nerrors])
		r->oom = 1;
	else
		r->nerrors++;
}

/* Strip ASCII spaces, tabs and U+3000 at both ends (in place). */
static char *
strip(char *s)
{
	char *e;

	for (;;) {
		if (*s == ' ' || *s == '\t')
			s++;
		else if (!strncmp(s, "\xE3\x80\x80", 3))
			s += 3;
		else
			break;
	}
	e = s + strlen(s);
	for (;;) {
		if (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		else if (e - s >= 3 && !strncmp(e - 3, "\xE3\x80\x80", 3))
			e -= 3;
		else
			break;
	}
	*e = '\0';
	return s;
}

/* Split off the first word (up to a space, tab or U+3000); returns the rest, stripped. */
static char *
split_word(char *s)
{
	char *sp = s + strcspn(s, " \t"), *wide = strstr(s, "\xE3\x80\x80");

	if (wide && wide < sp) {
		*wide = '\0';
		return strip(wide + 3);
	}
	if (*sp) {
		*sp = '\0';
		return strip(sp + 1);
	}
	return sp; /* no rest: the empty string at the end */
}

static int
is(const char *word, const char *a, const char *b)
{
	return !strcmp(word, a) || (b && !strcmp(word, b));
}

static int
field_of(const char *word, field *f)
{
	if (is(word, "counterparty", "对方户名") || !strcmp(word, "对方"))
		*f = F_COUNTERPARTY;
	else if (is(word, "memo", "摘要") || !strcmp(word, "用途"))
		*f = F_MEMO;
	else if (is(word, "any", "任一"))
		*f = F_EITHER;
	else
		return 0;
	return 1;
}

static const char *const placeholders[][2] = {
	{"memo", "摘要"}, {"counterparty", "对方户名"}, {"date", "日期"}, {"amount", "金额"},
};

/* Which placeholder name[0..n) is; -1 when none. */
static int
placeholder(const char *name, size_t n)
{
	for (int i = 0; i < 4; i++)
		for (int k = 0; k < 2; k++)
			if (strlen(placeholders[i][k]) == n && !memcmp(placeholders[i][k], name, n))
				return i;
	return -1;
}

static int
check_template(cj_bank_rules *r, size_t line, const char *t)
{
	for (const char *p = t; *p; p++) {
		if (p[0] == '{' && p[1] == '{') {
			p++;
		} else if (p[0] == '}' && p[1] == '}') {
			p++;
		} else if (*p == '{') {
			const char *e = strchr(p, '}');
			if (!e) {
				err_at(r, line, _("summary: '{' without '}' (write {{ for a brace)"));
				return -1;
			}
			if (placeholder(p + 1, (size_t)(e - p - 1)) < 0) {
				err_at(r, line,
				       _("summary: unknown field {%.*s}; the fields are {memo}, {counterparty}, "
				       "{date} and {amount} (or {摘要}, {对方户名}, {日期}, {金额})"),
				       (int)(e - p - 1 > 60 ? 60 : e - p - 1), p + 1);
				return -1;
			}
			p = e;
		} else if (*p == '}') {
			err_at(r, line, _("summary: '}' without '{' (write }} for a brace)"));
			return -1;
		}
	}
	return 0;
}

/* An account, fund or project code: letters, digits, '.', '-', '_'. */
static int
valid_code(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      *s == '.' || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static brule *
current(cj_bank_rules *r)
{
	return r->n ? &r->rules[r->n - 1] : NULL;
}

static void
free_rule(brule *ru)
{
	for (size_t i = 0; i < ru->nconds; i++) {
		if (ru->conds[i].is_regex)
			regfree(&ru->conds[i].re);
		free(ru->conds[i].text);
	}
	free(ru->conds);
	for (int i = 0; i < 4; i++)
		free(ru->owned[i]);
}

/*
 * An upper bound on the size of a regular expression once compiled.  glibc
 * compiles x+ as xx*, copying x, so nested or repeated '+' double it
 * ("a+++..." or "((a+)+)+" grow as 2^n); such a pattern is refused before
 * regcomp sees it.  Brackets and escapes count as one atom.
 */
#define MAX_REGEX_COST 300

static long
regex_cost(const char *p)
{
	long sum[MAX_REGEX + 2], last[MAX_REGEX + 2];
	int depth = 0;
	char prev = 0;

	sum[0] = 0;
	last[0] = 0;
	for (; *p; p++) {
		long atom = 1;
		if (*p != '*' && *p != '?' && *p != '+')
			prev = 0;
		switch (*p) {
		case '\\':
			if (p[1])
				p++;
			break;
		case '[':
			p++;
			if (*p == '^')
				p++;
			if (*p == ']')
				p++;
			while (*p && *p != ']') {
				if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
					const char *e = strstr(p + 2, p[1] == ':' ? ":]" : p[1] == '.' ? ".]" : "=]");
					p = e ? e + 1 : p + strlen(p) - 1;
				}
				p++;
			}
			if (!*p)
				return 0; /* unclosed: regcomp will say so */
			break;
		case '(':
			if (depth >= MAX_REGEX)
				return LONG_MAX;
			depth++;
			sum[depth] = 0;
			last[depth] = 0;
			continue;
		case ')':
			if (depth == 0)
				break; /* a literal ')' in ERE */
			atom = sum[depth] > 0 ? sum[depth] : 1;
			depth--;
			break;
		case '|':
			continue;
		case '*':
		case '?':
		case '+':
			/* a quantifier on a quantifier ("a++", "a*+") means nothing useful, and
			 * glibc compiles it into something enormous */
			if (prev == '*' || prev == '?' || prev == '+')
				return LONG_MAX;
			prev = *p;
			if (*p != '+')
				continue;
			sum[depth] += last[depth];
			last[depth] *= 2;
			if (sum[depth] > MAX_REGEX_COST)
				return sum[depth];
			continue;
		default:
			break;
		}
		sum[depth] += atom;
		last[depth] = atom;
		if (sum[depth] > MAX_REGEX_COST)
			return sum[depth];
	}
	return sum[0];
}

/* Add a condition "[FIELD] PATTERN" to the open rule; new_group for `if`. */
static void
add_cond(cj_bank_rules *r, size_t line, char *rest, int new_group)
{
	brule *ru = current(r);
	cond c;
	char *pattern = rest, *word_end;
	size_t n;

	memset(&c, 0, sizeof c);
	c.field = F_EITHER;
	/* a field name only when more text follows it */
	word_end = rest + strcspn(rest, " \t");
	if (*word_end) {
		char saved = *word_end;
		field f;
		*word_end = '\0';
		if (field_of(rest, &f)) {
			c.field = f;
			pattern = strip(word_end + 1);
		} else {
			*word_end = saved;
		}
	}
	n = strlen(pattern);
	if (n == 0) {
		err_at(r, line, _("'%s' needs a pattern: text the counterparty or memo contains, or "
				"/regular expression/"), new_group ? "if" : "and");
		return;
	}
	if (ru->nconds >= MAX_CONDS) {
		err_at(r, line, _("a rule may have at most %d conditions"), MAX_CONDS);
		return;
	}
	if (n >= 2 && pattern[0] == '/' && pattern[n - 1] == '/') {
		int rc;
		pattern[n - 1] = '\0';
		pattern++;
		n -= 2;
		if (n == 0) {
			err_at(r, line, _("the regular expression // is empty"));
			return;
		}
		if (n > MAX_REGEX) {
			err_at(r, line, _("a regular expression may be at most %d bytes"), MAX_REGEX);
			return;
		}
		if (strchr(pattern, '{')) {
			err_at(r, line, _("counted repetition ({n}) is not supported in a regular expression"));
			return;
		}
		for (const char *p = pattern; *p; p++)
			if (p[0] == '\\' && p[1] >= '1' && p[1] <= '9') {
				err_at(r, line, _("back-references (\\%c) are not supported"), p[1]);
				return;
			}
		if (regex_cost(pattern) > MAX_REGEX_COST) {
			err_at(r, line, _("the regular expression is too complex (quantifiers on quantifiers, "
					"or '+' nested too deep)"));
			return;
		}
		rc = regcomp(&c.re, pattern, REG_EXTENDED | REG_NOSUB);
		if (rc) {
			char msg[128];
			regerror(rc, &c.re, msg, sizeof msg);
			err_at(r, line, _("bad regular expression /%s/: %s"), pattern, msg);
			return;
		}
		c.is_regex = 1;
	}
	c.text = strdup(pattern);
	if (!c.text) {
		if (c.is_regex)
			regfree(&c.re);
		r->oom = 1;
		return;
	}
	if (new_group)
		ru->ngroups++;
	c.group = ru->ngroups - 1;
	if (cj_grow((void **)&ru->conds, &ru->condcap, ru->nconds + 1, sizeof *ru->conds)) {
		if (c.is_regex)
			regfree(&c.re);
		free(c.text);
		r->oom = 1;
		return;
	}
	ru->conds[ru->nconds++] = c;
}

static void
new_rule(cj_bank_rules *r, size_t line)
{
	brule *ru;

	if (r->n >= MAX_RULES) {
		err_at(r, line, _("more than %d rules"), MAX_RULES);
		return;
	}
	if (cj_grow((void **)&r->rules, &r->cap, r->n + 1, sizeof *r->rules)) {
		r->oom = 1;
		return;
	}
	ru = &r->rules[r->n++];
	memset(ru, 0, sizeof *ru);
	ru->pub.line = line;
}

/* A rule is complete when it has an account. */
static void
close_rule(cj_bank_rules *r)
{
	brule *ru = current(r);

	if (ru && !ru->pub.account)
		err_at(r, ru->pub.line, _("the rule has no 'account' (the account for the other side of "
					"the bank line)"));
}

static void
set_value(cj_bank_rules *r, size_t line, const char *key, int slot, const char *value)
{
	brule *ru = current(r);
	const char **pub[4];

	pub[0] = &ru->pub.account;
	pub[1] = &ru->pub.fund;
	pub[2] = &ru->pub.project;
	pub[3] = &ru->pub.summary;
	if (*pub[slot]) {
		err_at(r, line, _("'%s' given twice in the rule of line %zu"), key, ru->pub.line);
		return;
	}
	if (!*value) {
		err_at(r, line, _("'%s' needs a value"), key);
		return;
	}
	if (slot < 3 && !valid_code(value, slot == 0 ? 15 : 40)) {
		err_at(r, line, _("%s '%.80s' is not a code (letters, digits, '.', '-', '_')"), key, value);
		return;
	}
	if (slot == 3 && check_template(r, line, value))
		return;
	ru->owned[slot] = strdup(value);
	if (!ru->owned[slot]) {
		r->oom = 1;
		return;
	}
	*pub[slot] = ru->owned[slot];
}

static void
parse_line(cj_bank_rules *r, size_t line, char *text, int *in_conditions)
{
	char *s = strip(text), *rest;
	brule *ru;

	if (!*s || *s == '#')
		return;
	rest = split_word(s);
	if (is(s, "if", "如果")) {
		if (!*in_conditions) {
			close_rule(r);
			new_rule(r, line);
			if (!current(r) || current(r)->pub.line != line)
				return;
		}
		*in_conditions = 1;
		add_cond(r, line, rest, 1);
		return;
	}
	ru = current(r);
	if (is(s, "and", "并且")) {
		if (!ru || !*in_conditions)
			err_at(r, line, _("'and' must follow an 'if' line"));
		else
			add_cond(r, line, rest, 0);
		return;
	}
	if (!ru) {
		err_at(r, line, _("'%.40s' outside a rule: a rule starts with an 'if' line"), s);
		return;
	}
	*in_conditions = 0;
	if (is(s, "account", "科目"))
		set_value(r, line, "account", 0, rest);
	else if (is(s, "fund", "资金"))
		set_value(r, line, "fund", 1, rest);
	else if (is(s, "project", "项目"))
		set_value(r, line, "project", 2, rest);
	else if (is(s, "summary", "摘要"))
		set_value(r, line, "summary", 3, rest);
	else if (is(s, "direction", "方向")) {
		cj_bank_direction d;
		if (is(rest, "in", "收入") || !strcmp(rest, "收"))
			d = CJ_BANK_IN;
		else if (is(rest, "out", "支出") || !strcmp(rest, "支"))
			d = CJ_BANK_OUT;
		else {
			err_at(r, line, _("direction must be 'in' (收入) or 'out' (支出), not '%.40s'"), rest);
			return;
		}
		if (ru->has_direction)
			err_at(r, line, _("'direction' given twice in the rule of line %zu"), ru->pub.line);
		ru->pub.direction = d;
		ru->has_direction = 1;
	} else {
		err_at(r, line, _("unknown keyword '%.40s'; a rule has if, and, account, fund, project, "
				"summary and direction"), s);
	}
}

int
cj_bank_rules_parse(cj_bank_rules **out, const char *text, size_t len)
{
	cj_bank_rules *r = calloc(1, sizeof *r);
	size_t pos = 0, line = 0;
	int in_conditions = 0;
	char buf[MAX_LINE + 1];

	*out = r;
	if (!r)
		return -2;
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		pos = 3;
	while (pos < len && !r->oom) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - text - pos) : len - pos;
		line++;
		if (n && text[pos + n - 1] == '\r')
			n--;
		if (n > MAX_LINE) {
			err_at(r, line, _("longer than %d bytes"), MAX_LINE);
		} else if (memchr(text + pos, '\0', n)) {
			err_at(r, line, _("holds a NUL byte; is this a text file?"));
		} else if (cj_utf8_valid_prefix(text + pos, n) != n) {
			err_at(r, line, _("is not UTF-8 (save the rules file as UTF-8)"));
		} else {
			memcpy(buf, text + pos, n);
			buf[n] = '\0';
			parse_line(r, line, buf, &in_conditions);
		}
		pos += (nl ? (size_t)(nl - text - pos) + 1 : len - pos);
	}
	if (r->oom)
		return -2;
	close_rule(r);
	if (!r->nerrors && r->n == 0)
		err_at(r, line ? line : 1, _("no rules (a rule starts with an 'if' line)"));
	if (r->oom)
		return -2;
	return r->nerrors ? -1 : 0;
}

size_t
cj_bank_rules_nerrors(const cj_bank_rules *r)
{
	return r ? r->nerrors : 0;
}

const char *
cj_bank_rules_error(const cj_bank_rules *r, size_t i)
{
	return r && i < r->nerrors ? r->errors[i] : "";
}

size_t
cj_bank_rules_count(const cj_bank_rules *r)
{
	return r ? r->n : 0;
}

const cj_bank_rule *
cj_bank_rules_at(const cj_bank_rules *r, size_t i)
{
	return r && i < r->n ? &r->rules[i].pub : NULL;
}

static int
cond_holds(const cond *c, const cj_bank_row *row)
{
	const char *fields[2] = {row->counterparty ? row->counterparty : "",
				 row->memo ? row->memo : ""};

	for (int k = 0; k < 2; k++) {
		if ((c->field == F_COUNTERPARTY && k != 0) || (c->field == F_MEMO && k != 1))
			continue;
		if (c->is_regex ? regexec(&c->re, fields[k], 0, NULL, 0) == 0
				: strstr(fields[k], c->text) != NULL)
			return 1;
	}
	return 0;
}

const cj_bank_rule *
cj_bank_rules_match(const cj_bank_rules *r, const cj_bank_row *row)
{
	for (size_t i = 0; r && i < r->n; i++) {
		const brule *ru = &r->rules[i];
		if (ru->pub.direction != CJ_BANK_ANY && ru->pub.direction != row->direction)
			continue;
		for (int g = 0; g < ru->ngroups; g++) {
			int all = 1;
			for (size_t k = 0; k < ru->nconds && all; k++)
				if (ru->conds[k].group == g && !cond_holds(&ru->conds[k], row))
					all = 0;
			if (all)
				return &ru->pub;
		}
	}
	return NULL;
}

/* Append s[0..n) to out, cutting at a UTF-8 character boundary when full. */
static void
put(char *out, size_t size, size_t *at, const char *s, size_t n)
{
	size_t room = size - 1 - *at;

	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out + *at, s, n);
	*at += n;
	out[*at] = '\0';
}

void
cj_bank_summary(const cj_bank_rule *rule, const cj_bank_row *row, char *out, size_t size)
{
	const char *t = rule ? rule->summary : NULL;
	const char *values[4] = {row->memo ? row->memo : "", row->counterparty ? row->counterparty : "",
				 row->date ? row->date : "", row->amount ? row->amount : ""};
	size_t at = 0;

	if (size == 0)
		return;
	out[0] = '\0';
	if (!t) {
		const char *v = values[0][0] ? values[0] : values[1];
		if (!v[0])
			v = row->direction == CJ_BANK_OUT ? "银行支出" : "银行收入";
		put(out, size, &at, v, strlen(v));
		return;
	}
	for (const char *p = t; *p && at < size - 1;) {
		size_t lit = strcspn(p, "{}");
		if (lit) {
			put(out, size, &at, p, lit);
			p += lit;
		} else if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			put(out, size, &at, p, 1);
			p += 2;
		} else if (*p == '{') {
			const char *e = strchr(p, '}');
			int k = e ? placeholder(p + 1, (size_t)(e - p - 1)) : -1;
			if (k >= 0) {
				put(out, size, &at, values[k], strlen(values[k]));
				p = e + 1;
			} else {
				put(out, size, &at, p, 1);
				p++;
			}
		} else {
			put(out, size, &at, p, 1);
			p++;
		}
	}
	/* a template of fields that are all empty: fall back as without one */
	{
		size_t i = 0;
		while (out[i] == ' ')
			i++;
		if (!out[i]) {
			const char *v = row->direction == CJ_BANK_OUT ? "银行支出" : "银行收入";
			at = 0;
			out[0] = '\0';
			put(out, size, &at, v, strlen(v));
		}
	}
}

void
cj_bank_rules_free(cj_bank_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free_rule(&r->rules[i]);
	free(r->rules);
	for (size_t i = 0; i < r->nerrors; i++)
		free(r->errors[i]);
	free(r);
}
