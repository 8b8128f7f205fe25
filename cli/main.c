/*
 * main.c - cunji: the dispatcher, help and version
 *
 * main() finds the command (one or two words: "post", "org add") in the
 * area tables (table_*.c), parses its options from its row, opens the database when the command needs it
 * and maps the result to an exit status: 0 ok, 1 refused or failed, 2 usage.
 *
 * SPDX-License-Identifier: MIT
 */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static int cmd_help(cli *c, const cli_opts *o);
static int cmd_version(cli *c, const cli_opts *o);

/* The tool's own commands; the others are in the area tables (table_*.c). */
static const cmd_spec main_cmds[] = {
	{"demo", N_("build a sample county with a year of books and print its trial balance"),
	 "[--villages N] [--vouchers N] [--year YYYY] [--files DIR] [--disclosure DIR]",
	 N_("Each village gets a year of ordinary vouchers, written as one CSV file per township "
	 "(some in GBK) and imported; every third village a county 衔接 "
	 "allocation for a named project paid in tranches (most accepted, forming an asset); the "
	 "villages of four townships a 100,000-yuan anti-risk fund with a few aid payments; every "
	 "village a member register with shares and a year-end distribution declared and paid.  "
	 "It ends by writing the county's three-level disclosure sheets (XLSX and PDF) for the "
	 "last quarter and the year.  "
	 "Runs in its own database 'cunji_demo' of the embedded cluster (or the one --db names), "
	 "which it rebuilds each time; it replaces only a database it made itself, so it never "
	 "touches your books.  Look around afterwards with\n"
	 "  cunji --db cunji_demo tb --county 360925"),
	 0, cmd_demo,
	 {{"villages", "N", N_("number of villages (default 75, over 11 townships)"), 0},
	  {"vouchers", "N", N_("vouchers per village in the year (default 240)"), 0},
	  {"year", "YYYY", N_("the demo year (default 2025)"), 0},
	  {"files", "DIR", N_("where the generated CSV files go (default demo-out/import)"), 0},
	  {"disclosure", "DIR", N_("where the disclosure sheets go (default demo-out/disclosure)"), 0},
	  {"anchors", "FILE", N_("where the county's signed anchor file goes (default "
				"demo-out/anchors-360925.txt)"), 0},
	  {"quiet", NULL, N_("print only the timings"), 0}}},
	{"help", N_("show the commands, or one command's help"), "[COMMAND] [--man]", NULL, 0,
	 cmd_help, {{"man", NULL, N_("write the manual page cunji.1 (roff) of every command"), 0}}},
	{"version", N_("print the version"), "", NULL, 0, cmd_version, {{0}}},
	{NULL, NULL, NULL, NULL, 0, NULL, {{0}}},
};

/* Every table, in the order `cunji help` lists them. */
const cmd_spec *const cli_tables[] = {cj_cmds_books,   cj_cmds_access,  cj_cmds_vouchers,
					 cj_cmds_members, cj_cmds_funds,   cj_cmds_sheets,
					 cj_cmds_import,  cj_cmds_audit,   cj_cmds_anchor,
					 cj_cmds_inspect, cj_cmds_workbench, cj_cmds_web,
					 cj_cmds_bank,    main_cmds};
#define NTABLES (sizeof cli_tables / sizeof cli_tables[0])
const size_t cli_ntables = NTABLES;
/* every command of every table, in order */
#define FOR_EACH_COMMAND(s)                                                                  \
	for (size_t table_ = 0; table_ < NTABLES; table_++)                                    \
		for (const cmd_spec *s = cli_tables[table_]; s->name; s++)

static int
cmd_version(cli *c, const cli_opts *o)
{
	(void)c;
	(void)o;
	printf("cunji %s\n", CUNJI_VERSION);
	return 0;
}

static void
print_commands(FILE *out, const char *group)
{
	size_t glen = group ? strlen(group) : 0;

	FOR_EACH_COMMAND(s) {
		if (group && (strncmp(s->name, group, glen) || s->name[glen] != ' '))
			continue;
		fprintf(out, "  %-16s %s\n", s->name, CJ_TR(s->summary));
	}
}

static void
print_overview(FILE *out)
{
	fputs(_("cunji - books for village collectives (村集体), double entry on PostgreSQL\n\n"
		"usage: cunji [--db URL] [--user LOGIN] COMMAND [OPTIONS]\n\ncommands:\n"),
	      out);
	print_commands(out, NULL);
	fputs(_("\nWithout --db (or $CUNJI_DB) cunji runs its own PostgreSQL in $CUNJI_HOME\n"
		"(default ~/.local/share/cunji, or /var/lib/cunji for root), where you are its\n"
		"admin; --user (or $CUNJI_USER) names another login (docs/roles.md).\n"
		"'cunji COMMAND --help' shows a command's options.\n"),
	      out);
}

static const cmd_spec *
find_command(int argc, char **argv, int *words)
{
	char two[64], three[96];

	if (argc >= 3) {
		snprintf(three, sizeof three, "%s %s %s", argv[0], argv[1], argv[2]);
		FOR_EACH_COMMAND(s)
			if (!strcmp(s->name, three)) {
				*words = 3;
				return s;
			}
	}
	if (argc >= 2) {
		snprintf(two, sizeof two, "%s %s", argv[0], argv[1]);
		FOR_EACH_COMMAND(s)
			if (!strcmp(s->name, two)) {
				*words = 2;
				return s;
			}
	}
	FOR_EACH_COMMAND(s)
		if (!strcmp(s->name, argv[0])) {
			*words = 1;
			return s;
		}
	return NULL;
}

static int
is_group(const char *word)
{
	size_t n = strlen(word);

	FOR_EACH_COMMAND(s)
		if (!strncmp(s->name, word, n) && s->name[n] == ' ')
			return 1;
	return 0;
}

static int
cmd_help(cli *c, const cli_opts *o)
{
	int words;
	const cmd_spec *s;

	(void)c;
	if (opt_has(o, "man"))
		return cli_man(stdout);
	if (o->npos == 0) {
		print_overview(stdout);
		return 0;
	}
	s = find_command(o->npos, o->pos, &words);
	if (s && (words == o->npos || !is_group(o->pos[0]))) {
		cmd_print_help(s, stdout);
		return 0;
	}
	if (is_group(o->pos[0])) {
		printf(_("cunji %s commands:\n"), o->pos[0]);
		print_commands(stdout, o->pos[0]);
		return 0;
	}
	return usage_error(NULL, _("no command '%s'; see 'cunji help'"), o->pos[0]);
}

int
fail_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("cunji: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_REFUSED;
}

int
fail_db(cli *c, const char *what)
{
	if (what && *what)
		return fail_msg("%s: %s", what, cj_db_errmsg(c->db));
	return fail_msg("%s", cj_db_errmsg(c->db));
}

int
cli_home(char *buf, size_t size)
{
	char err[512];

	if (cj_cluster_home(buf, size, err, sizeof err))
		return fail_msg("%s", err);
	return 0;
}

/* A bare word names a database in the embedded cluster. */
static int
is_db_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

/* The embedded cluster's database, or NULL when --db names another server. */
const char *
cli_embedded_db(const cli *c)
{
	if (!c->db_arg)
		return CJ_DEFAULT_DBNAME;
	return is_db_name(c->db_arg) ? c->db_arg : NULL;
}

/* Connect as c->user; when the server wants a password and there is a
 * terminal to ask on, ask once and try again. */
static int
connect_db(cli *c, const char *home, char *err, size_t errsize)
{
	const char *dbname = cli_embedded_db(c);
	char password[256] = "";
	int status;

	for (int attempt = 0;; attempt++) {
		const char *pw = attempt ? password : NULL;

		if (dbname) {
			status = cj_cluster_connect_as(home, dbname, c->user, pw, &c->db, err, errsize);
		} else {
			status = cj_db_connect_user(&c->db, c->db_arg, c->user, pw);
			if (status) {
				snprintf(err, errsize, "%s", cj_db_errmsg(c->db));
				cj_db_close(c->db);
				c->db = NULL;
			}
		}
		if (status != CJ_EAUTH || attempt || !isatty(0) ||
		    read_password(c->user ? c->user : "", 0, password, sizeof password))
			break;
	}
	explicit_bzero(password, sizeof password);
	return status;
}

int
cli_db(cli *c, cj_db **out)
{
	char home[PATH_MAX] = "", err[1024];
	const char *embedded = cli_embedded_db(c);
	int behind = 0;

	if (c->db) {
		*out = c->db;
		return 0;
	}
	if (embedded) {
		cj_cluster_status st;
		int status = cli_home(home, sizeof home);
		if (status)
			return status;
		/* the first start takes seconds: say why, on a terminal only */
		if (c->err_tty && !cj_cluster_get_status(home, &st, err, sizeof err) && !st.initialised)
			fprintf(stderr, _("cunji: creating the database in %s (first use, a few seconds)...\n"),
				home);
	}
	switch (connect_db(c, home, err, sizeof err)) {
	case 0:
		break;
	case CJ_EAUTH:
		return fail_msg(_("login %s needs its password: set PGPASSWORD, put it in ~/.pgpass, "
				  "or run on a terminal to be asked"),
				c->user ? c->user : _("(default)"));
	default:
		return fail_msg("%s: %s", embedded ? _("embedded database")
						   : _("cannot connect to the database"),
				err);
	}
	/* one round trip; the embedded default brings itself up to date, init migrates itself */
	if (cj_db_check_schema(c->db, &behind) && !(behind && (embedded || c->initialising)))
		return fail_db(c, NULL);
	if (behind && embedded) {
		/* as the bootstrap superuser: a login may not change the schema */
		if (cj_cluster_bootstrap(home, embedded, NULL, err, sizeof err))
			return fail_msg(_("applying the schema: %s"), err);
		if (cj_db_check_schema(c->db, NULL))
			return fail_db(c, NULL);
	}
	{
		int committed, rolled_back;
		cj_db_recovered(c->db, &committed, &rolled_back);
		if (committed || rolled_back)
			fprintf(stderr, _("cunji: settled what a crashed import left: %d prepared "
					  "transaction%s committed, %d rolled back\n"),
				committed, committed == 1 ? "" : "s", rolled_back);
	}
	*out = c->db;
	return 0;
}

int
main(int argc, char **argv)
{
	cli c;
	cli_opts o;
	const cmd_spec *cmd;
	int words = 0, status, first = 1;
	const char *db_global = NULL, *user_global = NULL;

	i18n_init();
	memset(&c, 0, sizeof c);
	c.tty = isatty(1);
	c.err_tty = isatty(2);

	if (argc > 1 && !strcmp(argv[1], "__complete")) /* bash completion (complete.c) */
		return cli_complete(argc - 2, argv + 2);
	/* global options before the command */
	while (first < argc && !strncmp(argv[first], "--", 2)) {
		if (!strcmp(argv[first], "--db") && first + 1 < argc) {
			db_global = argv[first + 1];
			first += 2;
		} else if (!strncmp(argv[first], "--db=", 5)) {
			db_global = argv[first] + 5;
			first++;
		} else if (!strcmp(argv[first], "--user") && first + 1 < argc) {
			user_global = argv[first + 1];
			first += 2;
		} else if (!strncmp(argv[first], "--user=", 7)) {
			user_global = argv[first] + 7;
			first++;
		} else if (!strcmp(argv[first], "--help")) {
			print_overview(stdout);
			return 0;
		} else if (!strcmp(argv[first], "--version")) {
			return cmd_version(&c, NULL);
		} else {
			return usage_error(NULL, _("unknown option %s; see 'cunji help'"), argv[first]);
		}
	}
	if (first >= argc) {
		print_overview(stderr);
		return EXIT_USAGE;
	}
	cmd = find_command(argc - first, argv + first, &words);
	if (!cmd) {
		if (is_group(argv[first])) {
			int help = first + 1 < argc && !strcmp(argv[first + 1], "--help");
			FILE *out = help ? stdout : stderr;
			if (!help)
				fprintf(stderr, _("cunji: '%s' needs a subcommand\n"), argv[first]);
			fprintf(out, _("cunji %s commands:\n"), argv[first]);
			print_commands(out, argv[first]);
			return help ? 0 : EXIT_USAGE;
		}
		return usage_error(NULL, _("no command '%s'; see 'cunji help'"), argv[first]);
	}
	status = opt_parse(cmd, argc - first - words, argv + first + words, &o);
	if (status) {
		opt_free(&o);
		return status;
	}
	if (opt_has(&o, "help")) {
		cmd_print_help(cmd, stdout);
		opt_free(&o);
		return 0;
	}
	if (o.npos > cmd_positional_args(cmd) && cmd->run != cmd_help) {
		status = usage_error(cmd, _("unexpected argument '%s'"), o.pos[cmd_positional_args(cmd)]);
		opt_free(&o);
		return status;
	}
	c.db_arg = opt_get(&o, "db");
	if (!c.db_arg)
		c.db_arg = db_global;
	if (!c.db_arg && getenv("CUNJI_DB") && *getenv("CUNJI_DB"))
		c.db_arg = getenv("CUNJI_DB");
	c.user = opt_get(&o, "user");
	if (!c.user)
		c.user = user_global;
	if (!c.user && getenv("CUNJI_USER") && *getenv("CUNJI_USER"))
		c.user = getenv("CUNJI_USER");
	c.initialising = cmd->needs_db == 2;
	if (cmd->needs_db) {
		cj_db *db;
		status = cli_db(&c, &db);
	}
	/* after connecting: a server started now must not inherit the CSV's file */
	if (!status)
		status = out_csv_begin(&o);
	if (!status)
		status = cmd->run(&c, &o);
	status = out_csv_end(status);
	if (fflush(stdout) != 0 && !status)
		status = fail_msg("%s", _("cannot write the output"));
	cj_db_close(c.db);
	opt_free(&o);
	return status;
}
