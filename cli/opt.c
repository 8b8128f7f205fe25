/*
 * opt.c - declarative option parsing and help text
 *
 * Options are "--name value", "--name=value" or "--flag", anywhere on the
 * line; "--" ends options.  The globals --db and --user are accepted by
 * every command.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const opt_spec global_opts[] = {
	{"db", "URL", N_("database: a postgresql:// URL, a conninfo string, or the name of a "
			 "database in the embedded cluster (default: $CUNJI_DB, else the embedded "
			 "default)"), 0},
	{"user", "LOGIN", N_("the login to connect as (default: $CUNJI_USER, else your own admin "
			     "login on the embedded database); its password comes from PGPASSWORD, "
			     "~/.pgpass or a prompt on a terminal"), 0},
	{"help", NULL, N_("show this help"), 0},
};

static int
find_opt(const cmd_spec *cmd, const char *name, size_t len, const opt_spec **spec)
{
	for (int i = 0; i < OPT_MAX && cmd->opts[i].name; i++)
		if (strlen(cmd->opts[i].name) == len && !strncmp(cmd->opts[i].name, name, len)) {
			*spec = &cmd->opts[i];
			return i;
		}
	for (size_t i = 0; i < sizeof global_opts / sizeof global_opts[0]; i++)
		if (strlen(global_opts[i].name) == len && !strncmp(global_opts[i].name, name, len)) {
			*spec = &global_opts[i];
			return OPT_MAX - 1 - (int)i; /* the last slots hold the globals */
		}
	return -1;
}

int
usage_error(const cmd_spec *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("cunji: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, _("\nusage: cunji %s %s\n(see 'cunji %s --help')\n"), cmd->name,
			cmd->usage, cmd->name);
	else
		fputc('\n', stderr);
	return EXIT_USAGE;
}

int
opt_parse(const cmd_spec *cmd, int argc, char **argv, cli_opts *o)
{
	int only_pos = 0;

	memset(o, 0, sizeof *o);
	o->cmd = cmd;
	o->pos = calloc((size_t)argc + 1, sizeof *o->pos);
	if (!o->pos)
		return usage_error(NULL, "%s", _("out of memory"));
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *eq, *val = NULL;
		const opt_spec *spec;
		int k;

		if (only_pos || strncmp(a, "--", 2) || !a[2]) {
			if (!strcmp(a, "--") && !only_pos) {
				only_pos = 1;
				continue;
			}
			o->pos[o->npos++] = argv[i];
			continue;
		}
		a += 2;
		eq = strchr(a, '=');
		k = find_opt(cmd, a, eq ? (size_t)(eq - a) : strlen(a), &spec);
		if (k < 0)
			return usage_error(cmd, _("unknown option --%.*s"), eq ? (int)(eq - a) : (int)strlen(a), a);
		if (spec->metavar) {
			if (eq)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else
				return usage_error(cmd, _("--%s needs a value (%s)"), spec->name, spec->metavar);
		} else {
			if (eq)
				return usage_error(cmd, _("--%s takes no value"), spec->name);
			val = "1";
		}
		if (o->n[k] && !spec->repeat && strcmp(spec->name, "db") && strcmp(spec->name, "user"))
			return usage_error(cmd, _("--%s given twice"), spec->name);
		if (spec->repeat) {
			const char **all = realloc(o->all[k], (size_t)(o->n[k] + 1) * sizeof *all);
			if (!all)
				return usage_error(NULL, "%s", _("out of memory"));
			all[o->n[k]] = val;
			o->all[k] = all;
		}
		o->n[k]++;
		o->val[k] = val;
	}
	return 0;
}

void
opt_free(cli_opts *o)
{
	for (int i = 0; i < OPT_MAX; i++)
		free(o->all[i]);
	free(o->pos);
}

static int
index_of(const cli_opts *o, const char *name)
{
	const opt_spec *spec;

	return find_opt(o->cmd, name, strlen(name), &spec);
}

const char *
opt_get(const cli_opts *o, const char *name)
{
	int k = index_of(o, name);

	return k >= 0 ? o->val[k] : NULL;
}

int
opt_has(const cli_opts *o, const char *name)
{
	return opt_get(o, name) != NULL;
}

const char **
opt_all(const cli_opts *o, const char *name, int *n)
{
	int k = index_of(o, name);

	*n = k >= 0 ? o->n[k] : 0;
	return k >= 0 ? o->all[k] : NULL;
}

static void
print_opt(FILE *out, const opt_spec *s)
{
	char left[64];

	snprintf(left, sizeof left, "--%s%s%s", s->name, s->metavar ? " " : "",
		 s->metavar ? s->metavar : "");
	fprintf(out, "  %-24s %s%s\n", left, CJ_TR(s->help), s->repeat ? _(" (repeatable)") : "");
}

void
cmd_print_help(const cmd_spec *cmd, FILE *out)
{
	fprintf(out, _("usage: cunji %s %s\n\n%s\n"), cmd->name, cmd->usage, CJ_TR(cmd->summary));
	if (cmd->details)
		fprintf(out, "\n%s\n", CJ_TR(cmd->details));
	fputs(_("\noptions:\n"), out);
	for (int i = 0; i < OPT_MAX && cmd->opts[i].name; i++)
		print_opt(out, &cmd->opts[i]);
	for (size_t i = 0; i < sizeof global_opts / sizeof global_opts[0]; i++)
		print_opt(out, &global_opts[i]);
}
