/*
 * table_audit.c - the commands of tamper evidence (issue 15): the audit
 * trail and the full verify of the books
 *
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

const cmd_spec cj_cmds_audit[] = {
	{"audit verify", N_("recompute every chain, voucher, total and guard from the raw rows"),
	 "[--village CODE | --township CODE | --county CODE] [--anchors FILE]... [--sheet FILE]...",
	 N_("Recomputes, independently of the database's own functions: each village's hash chain "
	 "(every posted voucher and every audit record in exactly one link), each voucher's "
	 "content hash against its lines and its balance, the kept monthly and yearly totals, the "
	 "voucher numbers (1..n in each month), the closed months against their close and reopen "
	 "record, and every audited row against the audit trail.  With --county or no option also "
	 "the office's chain and the schema (every function, trigger, privilege and row-level "
	 "security as the migrations left them).  Prints one line per finding and exits 1; exits "
	 "0 when the books are intact.  `cunji check` is the quick arithmetic check.  See "
	 "docs/audit.md."),
	 1, cmd_audit_verify,
	 {VILLAGE_OPT, {"township", "CODE", N_("township code"), 0},
	  {"county", "CODE", N_("county code"), 0},
	  /* anchors kept outside the database (cmd_anchor.c, as audit anchor verify) */
	  {"anchors", "FILE", N_("also check an anchor file (audit anchor export)"), 1},
	  {"sheet", "FILE", N_("also check the anchor a disclosure sheet or printed voucher carries"), 1},
	  {"key", "FILE", N_("the office's key anchor files must be signed by (default: in the home)"), 0}}},
	{"audit log", N_("who changed what, and when (the audit trail)"),
	 "[--village|--township|--county CODE] [--table T] [--login L] [--period P | --from P "
	 "--to P] [--limit N]",
	 N_("Every change the database recorded, oldest first: time, village, login, table, the "
	 "row's key and what changed (old → new).  Posted vouchers are not in it (they are "
	 "final, and chained): see voucher list."),
	 1, cmd_audit_log,
	 {VILLAGE_OPT, {"township", "CODE", N_("township code"), 0},
	  {"county", "CODE", N_("county code"), 0}, {"table", "TABLE", N_("only this table"), 0},
	  {"login", "LOGIN", N_("only this login's changes"), 0},
	  {"period", "PERIOD", N_("changes made in this period (2025, 2025Q4, 2025-12, 2025年12月 or 2025-01..2025-06)"), 0},
	  {"year", "YYYY", N_("changes made in this year"), 0},
	  {"from", "PERIOD", N_("changes made from this month"), 0},
	  {"to", "PERIOD", N_("changes made up to this month"), 0},
	  {"limit", "N", N_("at most N records"), 0}, FORMAT_OPT}},
	{NULL, NULL, NULL, NULL, 0, NULL, {{0}}},
};
