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
	int applied = 0;
	PGresult *res;

	(void)o;
	if (cj_db_migrate(c->db, &applied))
		return fail_db(c, "applying the schema");
	if (applied)
		printf("applied %d schema migration%s\n", applied, applied == 1 ? "" : "s");
	if (cj_db_exec(c->db, &res, "SELECT max(version), string_agg(name, ', ' ORDER BY version) "
				    "FROM cunji.schema_migrations",
		       0, NULL))
		return fail_db(c, "reading the schema version");
	printf("schema version %s (%s)\n", PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}

int
cmd_check(cli *c, const cli_opts *o)
{
	PGresult *res;
	int n;

	(void)o;
	if (cj_db_exec(c->db, &res,
		       "SELECT village_code(village_id), account_code, to_char(period, 'YYYY-MM'),\n"
		       "       coalesce(kept_debit, 0) - coalesce(line_debit, 0),\n"
		       "       coalesce(kept_credit, 0) - coalesce(line_credit, 0)\n"
		       "  FROM totals_mismatches()",
		       0, NULL))
		return fail_db(c, "checking the books");
	n = PQntuples(res);
	for (int i = 0; i < n; i++)
		fprintf(stderr, "cunji: village %s account %s period %s: kept totals differ from the "
				"lines by %s (debit) / %s (credit) fen\n",
			PQgetvalue(res, i, 0), PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
			PQgetvalue(res, i, 3), PQgetvalue(res, i, 4));
	PQclear(res);
	if (cj_db_exec(c->db, &res,
		       "SELECT what, village_code(village_id), id, kept_in, kept_out, line_in, line_out\n"
		       "  FROM fund_totals_mismatches()",
		       0, NULL))
		return fail_db(c, "checking the funds");
	for (int i = 0; i < PQntuples(res); i++)
		fprintf(stderr, "cunji: village %s %s id %s: kept in/out %s/%s fen, lines say %s/%s\n",
			PQgetvalue(res, i, 1), PQgetvalue(res, i, 0), PQgetvalue(res, i, 2),
			PQgetvalue(res, i, 3), PQgetvalue(res, i, 4), PQgetvalue(res, i, 5),
			PQgetvalue(res, i, 6));
	n += PQntuples(res);
	PQclear(res);
	if (n)
		return EXIT_REFUSED;
	if (cj_db_exec(c->db, &res,
		       "SELECT count(*), (SELECT count(*) FROM voucher_line) FROM voucher", 0, NULL))
		return fail_db(c, "checking the books");
	printf("ok: %s vouchers, %s lines; every account's, fund's and project's kept totals "
	       "equal its lines\n",
	       PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
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
		cj_cluster_url(home, c->db_arg ? c->db_arg : CJ_DEFAULT_DBNAME, url, sizeof url);
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
	cj_cluster_url(home, c->db_arg ? c->db_arg : CJ_DEFAULT_DBNAME, url, sizeof url);
	printf("%s\n", url);
	return 0;
}
