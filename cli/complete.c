/*
 * complete.c - bash completion and the man page, both from the command tables
 *
 * `cunji __complete WORD...` (hidden) prints the candidates for the last word
 * of a command line: the next word of a command, an option of the command
 * found, or a value: village, township and county codes, account codes of
 * the village given by --village.  Codes come from the database through the
 * library, only when a connection needs nothing from the person (a running
 * embedded server, or a password in PGPASSWORD/~/.pgpass): completion never
 * asks, starts or creates anything.  completion/cunji.bash calls it.
 *
 * `cunji help --man` writes cunji.1 (roff) from the same tables as `cunji
 * help`, in the language of the locale.
 *
 * SPDX-License-Identifier: MIT
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

#define FOR_EACH_CMD(s)                                                                      \
	for (size_t t_ = 0; t_ < cli_ntables; t_++)                                            \
		for (const cmd_spec *s = cli_tables[t_]; s->name; s++)

static int
starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* A connection for completion, or NULL: never a prompt, never a start. */
static cj_db *
quiet_db(const char *db_arg, const char *user)
{
	char home[PATH_MAX], err[512];
	cj_cluster_status st;
	cli c = {.db_arg = db_arg};
	const char *embedded = cli_embedded_db(&c);
	cj_db *db = NULL;

	if (embedded) {
		if (cj_cluster_home(home, sizeof home, err, sizeof err) ||
		    cj_cluster_get_status(home, &st, err, sizeof err) || !st.running ||
		    cj_cluster_connect_as(home, embedded, user, NULL, &db, err, sizeof err))
			return NULL;
	} else if (cj_db_connect_user(&db, db_arg, user, NULL)) {
		cj_db_close(db);
		return NULL;
	}
	if (cj_db_check_schema(db, NULL)) {
		cj_db_close(db);
		return NULL;
	}
	return db;
}

/* Organisation codes (of a level, or every level when level < 0) starting with cur. */
static void
org_codes(cj_db *db, int level, const char *cur, const char *suffix)
{
	cj_org *orgs = NULL;
	size_t n = 0;

	if (!db || cj_org_list(db, NULL, &orgs, &n))
		return;
	for (size_t i = 0; i < n; i++)
		if ((level < 0 || (int)orgs[i].level == level) && starts(orgs[i].code, cur))
			printf("%s%s\n", orgs[i].code, suffix);
	free(orgs);
}

static void
account_codes(cj_db *db, const char *village, const char *cur, const char *suffix)
{
	cj_account *acc = NULL;
	cj_org v;
	size_t n = 0;

	if (!db || !village || cj_village_find(db, village, &v) || cj_account_list(db, v.id, &acc, &n))
		return;
	for (size_t i = 0; i < n; i++)
		if (acc[i].is_leaf && acc[i].active && starts(acc[i].code, cur))
			printf("%s%s\n", acc[i].code, suffix);
	free(acc);
}

/* Whether some command's name goes on after the words typed. */
static int
is_group(const char *typed)
{
	size_t n = strlen(typed);

	FOR_EACH_CMD(s)
		if (!strncmp(s->name, typed, n) && s->name[n] == ' ')
			return 1;
	return 0;
}

/* word in list, a string of words each between spaces */
static int
in_list(const char *list, const char *word)
{
	char key[72];

	snprintf(key, sizeof key, " %s ", word);
	return strstr(list, key) != NULL;
}

static const opt_spec *
find_opt_spec(const cmd_spec *cmd, const char *name)
{
	for (int i = 0; i < OPT_MAX && cmd->opts[i].name; i++)
		if (!strcmp(cmd->opts[i].name, name))
			return &cmd->opts[i];
	return NULL;
}

/* The value of --name among words (the last given), or NULL. */
static const char *
word_value(int n, char **w, const char *name)
{
	const char *v = NULL;
	size_t len = strlen(name);

	for (int i = 0; i < n; i++)
		if (!strncmp(w[i], "--", 2) && !strncmp(w[i] + 2, name, len)) {
			if (w[i][2 + len] == '=')
				v = w[i] + 3 + len;
			else if (!w[i][2 + len] && i + 1 < n)
				v = w[i + 1];
		}
	return v;
}

/* Values of option o of cmd for the word cur. */
static void
complete_value(const cmd_spec *cmd, const opt_spec *o, int n, char **w, const char *cur)
{
	const char *db_arg = word_value(n, w, "db"), *user = word_value(n, w, "user");
	int accounts = !strcmp(o->name, "account") || !strcmp(o->name, "debit") ||
		       !strcmp(o->name, "credit") || !strcmp(o->name, "bank-account");
	int level = !strcmp(o->name, "village") || !strcmp(o->name, "villages") ? CJ_ORG_VILLAGE
		    : !strcmp(o->name, "township")                               ? CJ_ORG_TOWNSHIP
		    : !strcmp(o->name, "county")                                 ? CJ_ORG_COUNTY
		    : !strcmp(o->name, "scope") || !strcmp(o->name, "parent")      ? -1
										   : -2;
	cj_db *db;

	(void)cmd;
	if (!strcmp(o->name, "format")) {
		/* the formats a command names in its usage line */
		static const char *const fmts[] = {"text", "csv", "json", "xlsx", "pdf"};
		for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++)
			if (starts(fmts[i], cur) && (i < 3 || strstr(cmd->usage, fmts[i])))
				printf("%s\n", fmts[i]);
		return;
	}
	if (!accounts && level == -2)
		return; /* a file, a date, a text: bash's own completion */
	if (!db_arg && getenv("CUNJI_DB") && *getenv("CUNJI_DB"))
		db_arg = getenv("CUNJI_DB");
	if (!user && getenv("CUNJI_USER") && *getenv("CUNJI_USER"))
		user = getenv("CUNJI_USER");
	if (!(db = quiet_db(db_arg, user)))
		return;
	if (accounts)
		account_codes(db, word_value(n, w, "village"), cur,
			      strcmp(o->name, "debit") && strcmp(o->name, "credit") ? "" : "=");
	else
		org_codes(db, level, cur, "");
	cj_db_close(db);
}

int
cli_complete(int argc, char **argv)
{
	const char *cur = argc ? argv[argc - 1] : "";
	const char *prev = argc > 1 ? argv[argc - 2] : "";
	char typed[256] = "";
	const char *words[8];
	int nw = 0, first = 0;
	const cmd_spec *cmd = NULL;

	/* the global options before the command */
	while (first < argc - 1 && starts(argv[first], "--"))
		first += strchr(argv[first], '=') ? 1 : 2;
	if (first >= argc) /* completing the value of a global option */
		return 0;
	/* the command's words: the longest run of the words typed that names one */
	for (int i = first; i < argc - 1 && nw < 8 && !starts(argv[i], "-"); i++)
		words[nw++] = argv[i];
	for (int k = nw; k > 0 && !cmd; k--) {
		char name[256] = "";
		for (int i = 0; i < k; i++)
			snprintf(name + strlen(name), sizeof name - strlen(name), "%s%s", i ? " " : "",
				 words[i]);
		FOR_EACH_CMD(s)
			if (!strcmp(s->name, name))
				cmd = s;
		if (k == nw)
			snprintf(typed, sizeof typed, "%s", name);
	}
	/* the next word of a command: "org" then add, list; "disclose" is a command too */
	if (!cmd || (!strcmp(cmd->name, typed) && !starts(cur, "-") && is_group(typed))) {
		size_t tl = strlen(typed);
		char seen[4096] = " "; /* the words printed, each between spaces */
		FOR_EACH_CMD(s) {
			const char *rest;
			char word[64];
			size_t wl;
			if (tl && (strncmp(s->name, typed, tl) || s->name[tl] != ' '))
				continue;
			rest = s->name + tl + (tl ? 1 : 0);
			wl = strcspn(rest, " ");
			if (wl >= sizeof word)
				continue;
			memcpy(word, rest, wl);
			word[wl] = 0;
			if (!starts(word, cur) || in_list(seen, word))
				continue;
			printf("%s\n", word);
			if (strlen(seen) + wl + 2 < sizeof seen)
				strcat(strcat(seen, word), " ");
		}
		if (!cmd)
			return 0;
	}
	/* a value for the option before the current word */
	if (starts(prev, "--") && argc - 2 >= first + 1) {
		const opt_spec *o = find_opt_spec(cmd, prev + 2);
		if (o && o->metavar) {
			complete_value(cmd, o, argc - 1, argv, cur);
			return 0;
		}
		if ((!strcmp(prev, "--db") || !strcmp(prev, "--user")))
			return 0;
	}
	if (starts(cur, "--") && strchr(cur, '=')) {
		char name[64];
		size_t len = (size_t)(strchr(cur, '=') - cur - 2);
		const opt_spec *o;
		if (len < sizeof name) {
			memcpy(name, cur + 2, len);
			name[len] = 0;
			if ((o = find_opt_spec(cmd, name)) && o->metavar)
				complete_value(cmd, o, argc - 1, argv, strchr(cur, '=') + 1);
		}
		return 0;
	}
	if (!*cur || starts(cur, "-")) {
		static const char *const globals[] = {"db", "user", "help"};
		for (int i = 0; i < OPT_MAX && cmd->opts[i].name; i++)
			if (starts(cmd->opts[i].name, cur + strspn(cur, "-")))
				printf("--%s\n", cmd->opts[i].name);
		for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++)
			if (starts(globals[i], cur + strspn(cur, "-")))
				printf("--%s\n", globals[i]);
	}
	return 0;
}

/* ---- the man page ---- */

/* Text for roff: a backslash doubled, a leading dot or quote escaped. */
static void
roff(FILE *out, const char *s)
{
	int bol = 1;

	for (; *s; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", out);
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
		bol = *s == '\n';
	}
}

int
cli_man(FILE *out)
{
	char date[32];
	time_t now = time(NULL);
	const char *epoch = getenv("SOURCE_DATE_EPOCH");

	if (epoch && *epoch)
		now = (time_t)strtoll(epoch, NULL, 10);
	strftime(date, sizeof date, "%Y-%m-%d", gmtime(&now));
	fprintf(out, ".TH CUNJI 1 \"%s\" \"cunji %s\" \"%s\"\n", date, CUNJI_VERSION,
		_("cunji manual"));
	fprintf(out, ".SH %s\ncunji \\- ", _("NAME"));
	roff(out, _("books for village collectives (村集体), double entry on PostgreSQL"));
	fprintf(out, "\n.SH %s\n.B cunji\n[\\-\\-db \\fIURL\\fR] [\\-\\-user \\fILOGIN\\fR] "
		     "\\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n",
		_("SYNOPSIS"));
	fprintf(out, ".SH %s\n", _("DESCRIPTION"));
	roff(out, _("Without --db (or $CUNJI_DB) cunji runs its own PostgreSQL in $CUNJI_HOME "
		    "(default ~/.local/share/cunji, or /var/lib/cunji for root), where you are its "
		    "admin; --user (or $CUNJI_USER) names another login.  Exit status: 0 done, 1 "
		    "refused or failed (the reason on stderr), 2 bad usage."));
	fprintf(out, "\n.SH %s\n", _("COMMANDS"));
	FOR_EACH_CMD(s) {
		fputs(".TP\n.B cunji ", out);
		roff(out, s->name);
		fputc(' ', out);
		roff(out, s->usage);
		fputc('\n', out);
		roff(out, CJ_TR(s->summary));
		fputc('\n', out);
		if (s->details) {
			fputs(".IP\n", out);
			roff(out, CJ_TR(s->details));
			fputc('\n', out);
		}
		for (int i = 0; i < OPT_MAX && s->opts[i].name; i++) {
			fputs(".IP\n\\fB\\-\\-", out);
			roff(out, s->opts[i].name);
			fputs("\\fR", out);
			if (s->opts[i].metavar) {
				fputs(" \\fI", out);
				roff(out, s->opts[i].metavar);
				fputs("\\fR", out);
			}
			fputs("  ", out);
			roff(out, CJ_TR(s->opts[i].help));
			fputc('\n', out);
		}
	}
	fprintf(out, ".SH %s\n", _("FILES"));
	roff(out, _("$CUNJI_HOME/pg: the embedded database; $CUNJI_HOME/log: its logs.  Back it up "
		    "every day you post with cunji db backup, and keep copies off the machine."));
	fprintf(out, "\n.SH %s\n", _("SEE ALSO"));
	fputs("psql(1), pg_dump(1), pg_restore(1)\n", out);
	return 0;
}
