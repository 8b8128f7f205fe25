/*
 * table_access.c - who may do what: passwords, and where vouchers need
 * review (the setting review_required, docs/roles.md)
 *
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

const cmd_spec cj_cmds_access[] = {
	{"user password", N_("change a login's password: your own, or (an admin) another's"),
	 "[--login LOGIN] [--password-stdin]",
	 N_("Without --login, the password of the login you connect as (--user).  An admin may set "
	 "any login's; the database refuses anyone else.  The new password is asked twice on the "
	 "terminal, or read from the first line of stdin with --password-stdin; the server only "
	 "ever sees its SCRAM-SHA-256 verifier.  The login is the server's: a login of several "
	 "databases of the server has one password."),
	 1, cmd_user_password,
	 {{"login", "LOGIN", N_("whose password (default: your own)"), 0},
	  {"password-stdin", NULL, N_("read the new password from stdin"), 0}}},
	{"setting review", N_("turn review (制单 → 审核 → 记账) on or off for a county or township"),
	 "(--county CODE | --township CODE) on|off",
	 N_("Where review is on, cunji post, the imports (import vouchers, post --file, import "
	 "bank) and void save drafts, which another login reviews and then posts (cunji voucher "
	 "review, voucher post; a file's drafts as a whole with --batch).  A township's own "
	 "setting overrides its county's.  Admins only: the database refuses anyone else."),
	 1, cmd_setting_review,
	 {{"county", "CODE", N_("a county"), 0}, {"township", "CODE", N_("a township"), 0}}},
	{"setting check-url", N_("the public address of the check page that a sheet's QR code opens"),
	 "(--county CODE | --township CODE) [URL | --clear]",
	 N_("Where cunji serve --public serves the county's public pages, e.g. "
	 "https://cunji.example.gov.cn (no query, no trailing /).  With it set, the QR code of every "
	 "disclosure sheet made afterwards holds URL/check?a=ANCHOR, which a phone opens on the check "
	 "page; without it, the anchor text (cunji-anchor-v1 ...).  A township's own address "
	 "overrides its county's.  Without URL or --clear it prints the address in force.  Admins "
	 "only: the database refuses anyone else."),
	 1, cmd_setting_check_url,
	 {{"county", "CODE", N_("a county"), 0}, {"township", "CODE", N_("a township"), 0},
	  {"clear", NULL, N_("remove the address"), 0}}},
	{"setting list", N_("the counties and townships that set review on or off"), "", NULL, 1,
	 cmd_setting_list, {{0}}},
	{NULL, NULL, NULL, NULL, 0, NULL, {{0}}},
};
