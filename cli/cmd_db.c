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
