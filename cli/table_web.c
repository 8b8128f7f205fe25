/*
 * table_web.c - cunji serve: the web interface (web/, docs/web.md)
 *
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

const cmd_spec cj_cmds_web[] = {
	{"serve", N_("serve the web interface: people log in with their own logins"),
	 "[--listen HOST:PORT] [--tls-cert FILE --tls-key FILE]",
	 N_("Serves until interrupted (Ctrl-C, SIGTERM) and prints the address to open.  Each "
	 "person logs in with their cunji login and password (cunji user add); every page runs "
	 "on a connection of that login, so it shows what the login may see.  --listen defaults "
	 "to 127.0.0.1:8080 (this machine only; port 0 picks a free port); with --tls-cert and "
	 "--tls-key (PEM) it speaks HTTPS.  See docs/web.md."),
	 1, cmd_serve,
	 {{"listen", "HOST:PORT", N_("address to listen on (default 127.0.0.1:8080)"), 0},
	  {"tls-cert", "FILE", N_("TLS certificate (PEM)"), 0},
	  {"tls-key", "FILE", N_("TLS private key (PEM)"), 0}}},
	{NULL, NULL, NULL, NULL, 0, NULL, {{0}}},
};
