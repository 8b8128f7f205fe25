/*
 * cmd_serve.c - cunji serve: start the web interface and wait for a signal
 *
 * The command's own connection (the admin's, or --user's) only makes sure
 * the database is up and its schema current; the server never uses it:
 * every page runs on a connection of the person logged in.
 *
 * SPDX-License-Identifier: MIT
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <reports/publication.h>
#include <web/web.h>

#include "cli.h"

int
cmd_serve(cli *c, const cli_opts *o)
{
	char home[PATH_MAX] = "", err[1024], password[65] = "";
	const char *dbname = cli_embedded_db(c);
	cj_web_opts wo = {0};
	cj_web *w;
	sigset_t set;
	int sig, status;

	if (dbname && (status = cli_home(home, sizeof home)))
		return status;
	wo.listen = opt_get(o, "listen");
	wo.tls_cert = opt_get(o, "tls-cert");
	wo.tls_key = opt_get(o, "tls-key");
	wo.home = home;
	wo.dbname = dbname;
	wo.conninfo = dbname ? NULL : c->db_arg;
	if (opt_has(o, "public")) {
		/* the public reader gets a fresh password, known to this process only */
		if (cj_pub_reader_password(c->db, password))
			return fail_db(c, NULL);
		wo.public_login = CJ_PUB_READER;
		wo.public_password = password;
	}
	/* signals are waited for here, not delivered to the server's threads */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	status = cj_web_start(&wo, &w, err, sizeof err);
	explicit_bzero(password, sizeof password);
	if (status)
		return fail_msg("%s", err);
	printf(_("cunji serve: open %s\n"), cj_web_url(w));
	if (wo.public_login)
		printf(_("public: only the published sheets (cunji publish), no logins; Ctrl-C stops\n"));
	else
		printf(_("log in with a cunji login and its password (cunji user add); Ctrl-C stops\n"));
	fflush(stdout);
	sigwait(&set, &sig);
	cj_web_stop(w);
	printf(_("cunji serve: stopped\n"));
	return 0;
}
