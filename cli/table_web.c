/*
 * table_web.c - cunji serve: the web interface (web/, docs/web.md)
 *
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

const cmd_spec cj_cmds_web[] = {
	{"serve", N_("serve the web interface: people log in with their own logins"),
	 "[--listen HOST:PORT] [--tls-cert FILE --tls-key FILE] [--public]",
	 N_("Serves until interrupted (Ctrl-C, SIGTERM) and prints the address to open.  Each "
	 "person logs in with their cunji login and password (cunji user add); every page runs "
	 "on a connection of that login, so it shows what the login may see.  --listen defaults "
	 "to 127.0.0.1:8080 (this machine only; port 0 picks a free port); with --tls-cert and "
	 "--tls-key (PEM) it speaks HTTPS.  With --public nobody logs in: it shows only the "
	 "sheets published (cunji publish) and checks them against the books, as a reader that "
	 "may read nothing else.  See docs/web.md."),
	 1, cmd_serve,
	 {{"listen", "HOST:PORT", N_("address to listen on (default 127.0.0.1:8080)"), 0},
	  {"tls-cert", "FILE", N_("TLS certificate (PEM)"), 0},
	  {"tls-key", "FILE", N_("TLS private key (PEM)"), 0},
	  {"public", NULL, N_("serve only the published sheets, to anyone, without logins"), 0}}},
	{"publish", N_("publish a village's disclosure sheets (what boards and the public see)"),
	 "--village CODE --period P [--date YYYY-MM-DD]",
	 N_("Makes the village's 财务公开表 and 项目资金公告公示表 as cunji disclose does and keeps "
	 "both files (XLSX, PDF) in the database as published: boards see them on their page, "
	 "and cunji serve --public shows them to anyone, with a check against the books.  A "
	 "published sheet is never changed: publishing a period again adds a newer one."),
	 1, cmd_publish,
	 {{"village", "CODE", N_("the village"), 0},
	  {"period", "P", N_("a quarter (2025Q4), a month (2025-12) or a year (2025)"), 0},
	  {"date", "YYYY-MM-DD", N_("公开日期 (default: the 15th of the month after the period)"), 0}}},
	{"publish list", N_("the sheets published, latest first"), "[--village CODE]",
	 N_("One line each: id, village, name, period, 公开日期, when and by whom published, "
	 "vouchers covered."),
	 1, cmd_publish_list, {{"village", "CODE", N_("only this village"), 0}}},
	{NULL, NULL, NULL, NULL, 0, NULL, {{0}}},
};
