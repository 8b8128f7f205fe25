/*
 * table_workbench.c - what an inspector reads across villages: search,
 * household --id, the evidence pack and the county dashboard (issue 16)
 *
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

#define SCOPE_OPTS                                                                            \
	VILLAGE_OPT, {"township", "CODE", N_("township code"), 0}, {"county", "CODE", N_("county code"), 0}

const cmd_spec cj_cmds_workbench[] = {
	{"search", N_("find payments by payee, ID number, bank account or amount in every village"),
	 "--county|--township|--village CODE [--payee TEXT] [--id ID] [--account NO] "
	 "[--min YUAN] [--max YUAN] [--from D] [--to D]",
	 N_("Every voucher line with a counterparty in the villages you may see.  --payee matches "
	 "part of the name as typed and in one form that ignores full-width/half-width, spaces "
	 "and 有限公司/有限责任公司/公司; --id and --account find the households with that ID "
	 "number (head or member) or bank account and what was paid to their code, head or "
	 "members.  --min/--max bound the line's amount; --from/--to take a day (2025-03-05) or a "
	 "period (2025-03, 2025Q1)."),
	 1, cmd_search,
	 {SCOPE_OPTS, {"payee", "TEXT", N_("payee or counterparty, or part of it"), 0},
	  {"id", "ID", N_("a person's ID number"), 0},
	  {"account", "NO", N_("a household's bank account"), 0},
	  {"min", "YUAN", N_("least amount"), 0}, {"max", "YUAN", N_("most amount"), 0},
	  {"from", "DAY|PERIOD", N_("first day"), 0}, {"to", "DAY|PERIOD", N_("last day"), 0},
	  FORMAT_OPT}},
	{"household", N_("everything paid to one person's household, in any village, by fund"),
	 "--county|--township|--village CODE --id IDNUMBER",
	 N_("Dividends (and those declared and not paid), aid, project payments and other "
	 "payments from cash or bank to the household of the person with that ID number (head or "
	 "member), by fund with subtotals and a total."),
	 1, cmd_household, {SCOPE_OPTS, {"id", "ID", N_("the person's ID number"), 0}, FORMAT_OPT}},
	{"audit evidence", N_("write a finding's evidence pack: one PDF and one XLSX"),
	 "--village CODE --finding KEY | --voucher 2025-05-2 ... --out FILE.pdf [--from P --to P]",
	 N_("The finding (its 编号 as audit scan lists it) with its rule, threshold and state; "
	 "every voucher it names in full, with who prepared, reviewed and posted it; the funds "
	 "those vouchers touch; each voucher's link of the village's hash chain, the chain's head "
	 "and what audit verify finds now; and when the pack was made.  Writes FILE.pdf and "
	 "FILE.xlsx.  The finding is looked for over the whole books unless --from/--to say."),
	 1, cmd_audit_evidence,
	 {VILLAGE_OPT, {"finding", "KEY", N_("the finding's key (编号)"), 0},
	  {"voucher", "NUMBER", N_("a voucher, e.g. 2025-05-2 (repeatable)"), 1},
	  {"from", "PERIOD", N_("first month scanned"), 0}, {"to", "PERIOD", N_("last month scanned"), 0},
	  {"period", "PERIOD", N_("instead of --from/--to"), 0}, {"year", "YYYY", N_("a whole year"), 0},
	  {"out", "FILE", N_("FILE.pdf (FILE.xlsx beside it)"), 0}}},
	{"audit dashboard", N_("the county dashboard: findings, idle funds, cash and a light per village"),
	 "--county|--township CODE [--from P --to P | --year YYYY] [--out FILE.xlsx|FILE.pdf]",
	 N_("One row per village: red and yellow findings by rule group, the share of earmarked "
	 "money received and not paid out, the share of payments made in cash, disclosure on time "
	 "(as far as cunji can tell) and a light (红灯 any red finding; 黄灯 a yellow one, idle "
	 "funds above one half or cash above three tenths of payments; 绿灯 otherwise), each township "
	 "subtotalled, with a chart.  Without --out the table is shown here; the summary always is."),
	 1, cmd_audit_dashboard,
	 {SCOPE_OPTS, {"from", "PERIOD", N_("first month (default: January of --to's year)"), 0},
	  {"to", "PERIOD", N_("last month (default: this month)"), 0},
	  {"period", "PERIOD", N_("instead of --from/--to"), 0}, {"year", "YYYY", N_("a whole year"), 0},
	  {"out", "FILE", N_("FILE.xlsx or FILE.pdf"), 0}}},
	{NULL, NULL, NULL, NULL, 0, NULL, {{0}}},
};
