/*
 * cmd_db.c - init, check, and the embedded database commands
 *
 * SPDX-License-Identifier: MIT
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/*
 * The embedded database: as the bootstrap superuser, cunji's authentication
 * files (a cluster of an older cunji trusted everyone), the migrations and
 * your admin login; then connect as that login.  Another server: migrate on
 * the connection (its user must be able to create roles).
 */
int
cmd_init(cli *c, const cli_opts *o)
{
	char home[PATH_MAX], err[1024], names[4096];
	const char *embedded = cli_embedded_db(c);
	int applied = 0, version, status;
	cj_db *db;

	(void)o;
	if (embedded) {
		if ((status = cli_home(home, sizeof home)))
			return status;
		if (cj_cluster_bootstrap(home, embedded, &applied, err, sizeof err))
			return fail_msg(_("applying the schema: %s"), err);
	}
	c->initialising = 1;
	if ((status = cli_db(c, &db)))
		return status;
	if (!embedded && cj_db_migrate(c->db, &applied))
		return fail_db(c, _("applying the schema"));
	if (applied)
		printf(_("applied %d schema migration%s\n"), applied, applied == 1 ? "" : "s");
	if (cj_db_schema_version(c->db, &version, names, sizeof names))
		return fail_db(c, _("reading the schema version"));
	printf(_("schema version %d (%s)\n"), version, names);
	return 0;
}

int
cmd_check(cli *c, const cli_opts *o)
{
	cj_books_check_result r;
	size_t n;

	(void)o;
	if (cj_books_check(c->db, &r))
		return fail_db(c, _("checking the books"));
	for (size_t i = 0; i < r.nproblems; i++)
		fprintf(stderr, "cunji: %s\n", r.problems[i]);
	if (!r.nproblems)
		printf(_("ok: %lld vouchers, %lld lines; every account's, fund's and project's kept "
		       "totals equal its lines, and every month's voucher numbers run 1 to its "
		       "counter without a gap\n"),
		       r.vouchers, r.lines);
	n = r.nproblems;
	cj_books_check_free(&r);
	return n ? EXIT_REFUSED : 0;
}

/* The db commands are about the embedded cluster only. */
static int
embedded_only(cli *c, const char *what)
{
	if (c->db_arg && (strchr(c->db_arg, '=') || strstr(c->db_arg, "://")))
		return fail_msg(_("'cunji db %s' is about the embedded database; --db names another "
				"server"),
				what);
	return 0;
}

int
cmd_db_status(cli *c, const cli_opts *o)
{
	char home[PATH_MAX], err[512];
	cj_cluster_status st;
	int status;

	(void)o;
	if ((status = embedded_only(c, "status")) || (status = cli_home(home, sizeof home)))
		return status;
	if (cj_cluster_get_status(home, &st, err, sizeof err))
		return fail_msg("%s", err);
	printf(_("home:      %s\n"), home);
	printf(_("data:      %s\n"), st.datadir);
	printf(_("server:    %s"), !st.initialised ? _("not created yet (created on first use)\n")
				   : st.running    ? _("running")
						   : _("stopped\n"));
	if (st.running)
		printf(_(" (pid %ld, unix socket in the data directory, no TCP)\n"), st.pid);
	if (st.running) {
		char url[PATH_MAX + 128];
		if (cj_cluster_url_as(home, cli_embedded_db(c), c->user, url, sizeof url))
			return fail_msg(_("the URL of the database is too long (home %s)"), home);
		printf(_("url:       %s\n"), url);
	}
	return 0;
}

int
cmd_db_stop(cli *c, const cli_opts *o)
{
	char home[PATH_MAX], err[512];
	int status;

	(void)o;
	if ((status = embedded_only(c, "stop")) || (status = cli_home(home, sizeof home)))
		return status;
	if (cj_cluster_stop(home, err, sizeof err))
		return fail_msg("%s", err);
	printf(_("stopped\n"));
	return 0;
}

/* Another server's URL or conninfo, with the login when --user names one. */
static void
print_with_user(const char *target, const char *user)
{
	if (!user)
		printf("%s\n", target);
	else if (strstr(target, "://"))
		printf("%s%suser=%s\n", target, strchr(target, '?') ? "&" : "?", user);
	else
		printf("%s user=%s\n", target, user);
}

int
cmd_db_recover(cli *c, const cli_opts *o)
{
	int committed, rolled_back, before[2];

	(void)o;
	/* connecting settles what it can (main.c says so); then once more */
	cj_db_recovered(c->db, &before[0], &before[1]);
	if (cj_db_recover(c->db, &committed, &rolled_back))
		return fail_db(c, _("settling prepared transactions"));
	printf(_("prepared transactions settled: %d committed, %d rolled back\n"),
	       committed + before[0], rolled_back + before[1]);
	return 0;
}

int
cmd_db_url(cli *c, const cli_opts *o)
{
	char home[PATH_MAX], url[PATH_MAX + 128];
	const char *embedded = cli_embedded_db(c);
	cj_db *db;
	int status;

	(void)o;
	if (!embedded) {
		print_with_user(c->db_arg, c->user); /* another server: what was given */
		return 0;
	}
	if ((status = cli_home(home, sizeof home)))
		return status;
	/* make sure what we print works: start the server and apply the schema (as you) */
	{
		const char *user = c->user;
		c->user = NULL;
		status = cli_db(c, &db);
		c->user = user;
	}
	if (status)
		return status;
	if (cj_cluster_url_as(home, embedded, c->user, url, sizeof url))
		return fail_msg(_("the URL of the database is too long (home %s)"), home);
	printf("%s\n", url);
	return 0;
}

/* Where the books are: the embedded cluster's database, or the server --db names. */
static int
backup_target(cli *c, cj_backup_target *t, char *home, size_t size)
{
	int status;

	memset(t, 0, sizeof *t);
	t->dbname = cli_embedded_db(c);
	if (!t->dbname) {
		t->conninfo = c->db_arg;
		t->user = c->user;
		return 0;
	}
	if ((status = cli_home(home, size)))
		return status;
	t->home = home;
	return 0;
}

int
cmd_db_backup(cli *c, const cli_opts *o)
{
	char home[PATH_MAX], err[1024];
	cj_backup_target t;
	int status;

	if (o->npos != 1)
		return usage_error(o->cmd, _("which file? cunji db backup FILE"));
	if ((status = backup_target(c, &t, home, sizeof home)))
		return status;
	if (c->err_tty)
		fprintf(stderr, _("cunji: writing the backup (pg_dump)...\n"));
	if (cj_db_backup(&t, o->pos[0], err, sizeof err))
		return fail_msg(_("backup: %s"), err);
	printf(_("backup written to %s; restore it with 'cunji db restore %s'; keep a copy off "
		 "this machine\n"),
	       o->pos[0], o->pos[0]);
	return 0;
}

int
cmd_db_restore(cli *c, const cli_opts *o)
{
	char home[PATH_MAX], err[1024], what[512];
	const char *name;
	cj_backup_target t;
	cj_books_held held;
	cj_restore_result r;
	int status;

	if (o->npos != 1)
		return usage_error(o->cmd, _("which file? cunji db restore FILE"));
	if ((status = backup_target(c, &t, home, sizeof home)))
		return status;
	name = t.dbname ? t.dbname : t.conninfo;
	/* check the file before anything else, and ask before replacing books */
	if (cj_db_backup_check(o->pos[0], err, sizeof err))
		return fail_msg("%s", err);
	if (cj_db_books_held(&t, &held, err, sizeof err))
		return fail_msg("%s", err);
	if (held.orgs > 0 || held.vouchers > 0) {
		if (!opt_has(o, "force"))
			return fail_msg(_("database %s holds books (%ld organisations, %ld vouchers); "
					  "the restore would replace them: add --force"),
					name, held.orgs, held.vouchers);
		snprintf(what, sizeof what,
			 _("Replacing the books of database %s (%ld organisations, %ld vouchers) with "
			   "the backup"),
			 name, held.orgs, held.vouchers);
		if ((status = confirm(o, what)))
			return status;
	}
	if (c->err_tty)
		fprintf(stderr, _("cunji: restoring the backup (pg_restore)...\n"));
	if (cj_db_restore(&t, o->pos[0], opt_has(o, "force"), &r, err, sizeof err))
		return fail_msg(_("restore: %s"), err);
	printf(_("restored %s into database %s: %d login%s\n"), o->pos[0], name, r.logins,
	       r.logins == 1 ? "" : "s");
	if (r.applied)
		printf(_("applied %d schema migration%s (the backup was older)\n"), r.applied,
		       r.applied == 1 ? "" : "s");
	if (r.logins_created) {
		/* a backup holds one database; passwords live in the server's roles (ledger/backup.h) */
		printf(_("%d login%s had no role on this server and were made without a password "
			 "(a backup carries the logins but not their passwords): give each one a "
			 "password before it is used:\n"),
		       r.logins_created, r.logins_created == 1 ? "" : "s");
		for (const char *l = r.no_password, *nl; *l; l = nl + 1) {
			nl = strchr(l, '\n');
			if (!strncmp(l, "...", 3))
				printf(_("  ... and the others ('cunji user list' shows them)\n"));
			else
				printf("  cunji user password --login %.*s\n", (int)(nl - l), l);
		}
	}
	return 0;
}
