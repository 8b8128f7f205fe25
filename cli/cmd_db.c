/*
 * cmd_db.c - init, check, and the embedded database commands
 *
 * SPDX-License-Identifier: MIT
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int
cmd_init(cli *c, const cli_opts *o)
{
	int applied = 0, version;
	char names[4096];

	(void)o;
	if (cj_db_migrate(c->db, &applied))
		return fail_db(c, "applying the schema");
	if (applied)
		printf("applied %d schema migration%s\n", applied, applied == 1 ? "" : "s");
	if (cj_db_schema_version(c->db, &version, names, sizeof names))
		return fail_db(c, "reading the schema version");
	printf("schema version %d (%s)\n", version, names);
	return 0;
}

int
cmd_check(cli *c, const cli_opts *o)
{
	cj_books_check_result r;
	size_t n;

	(void)o;
	if (cj_books_check(c->db, &r))
		return fail_db(c, "checking the books");
	for (size_t i = 0; i < r.nproblems; i++)
		fprintf(stderr, "cunji: %s\n", r.problems[i]);
	if (!r.nproblems)
		printf("ok: %lld vouchers, %lld lines; every account's, fund's and project's kept "
		       "totals equal its lines, and every month's voucher numbers run 1 to its "
		       "counter without a gap\n",
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
		return fail_msg("'cunji db %s' is about the embedded database; --db names another "
				"server",
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
	printf("home:      %s\n", home);
	printf("data:      %s\n", st.datadir);
	printf("server:    %s", !st.initialised ? "not created yet (created on first use)\n"
				   : st.running    ? "running"
						   : "stopped\n");
	if (st.running)
		printf(" (pid %ld, unix socket in the data directory, no TCP)\n", st.pid);
	if (st.running) {
		char url[PATH_MAX + 64];
		if (cj_cluster_url(home, c->db_arg ? c->db_arg : CJ_DEFAULT_DBNAME, url, sizeof url))
			return fail_msg("the URL of the database is too long (home %s)", home);
		printf("url:       %s\n", url);
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
	printf("stopped\n");
	return 0;
}

int
cmd_db_url(cli *c, const cli_opts *o)
{
	char home[PATH_MAX], url[PATH_MAX + 64];
	cj_db *db;
	int status;

	(void)o;
	if (c->db_arg && (strchr(c->db_arg, '=') || strstr(c->db_arg, "://"))) {
		printf("%s\n", c->db_arg); /* another server: its URL is what was given */
		return 0;
	}
	if ((status = cli_home(home, sizeof home)))
		return status;
	/* make sure what we print works: start the server and apply the schema */
	status = cli_db(c, &db);
	if (status)
		return status;
	if (cj_cluster_url(home, c->db_arg ? c->db_arg : CJ_DEFAULT_DBNAME, url, sizeof url))
		return fail_msg("the URL of the database is too long (home %s)", home);
	printf("%s\n", url);
	return 0;
}
