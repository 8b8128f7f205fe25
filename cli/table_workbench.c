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
	{NULL, NULL, NULL, NULL, 0, NULL, {{0}}},
};
