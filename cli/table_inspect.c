/*
 * table_inspect.c - the inspector's commands: warning rules, thresholds,
 * findings and the officials roster
 *
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

#define SCOPE_OPTS                                                                            \
	VILLAGE_OPT, {"township", "CODE", N_("township code"), 0}, {"county", "CODE", N_("county code"), 0}

const cmd_spec cj_cmds_inspect[] = {
	{"audit scan", N_("run the warning rules (R08 …) and list every finding"),
	 "--county|--township|--village CODE [--from P] [--to P] [--rules R08,R27] [--new] [--jobs N]",
	 N_("Rules are numbered as domain.md §5.2; `audit rules` lists them and their thresholds.  "
	 "Each finding has its rule, 红 or 黄, village, the vouchers, funds or households "
	 "involved, the amount, one sentence saying what is wrong, the threshold used, its "
	 "state (`audit mark`) and its key.  --new: only findings no inspector has marked.  "
	 "Periods: 2025, 2025Q4, 2025-12, 2025年第四季度, 2025年12月 or 2025-01..2025-06."),
	 1, cmd_audit_scan,
	 {SCOPE_OPTS, {"from", "PERIOD", N_("first month (default: January of --to's year)"), 0},
	  {"to", "PERIOD", N_("last month (default: this month)"), 0},
	  {"period", "PERIOD", N_("instead of --from/--to"), 0}, {"year", "YYYY", N_("a whole year"), 0},
	  {"rules", "LIST", N_("only these rules, e.g. R08,R27"), 0},
	  {"new", NULL, N_("only findings not marked yet"), 0},
	  {"jobs", "N", N_("connections to scan over, the villages split between them (default: one "
			   "per CPU, at most 4; 1: one)"), 0},
	  FORMAT_OPT}},
	{"audit rules", N_("every warning rule with its availability and thresholds"),
	 "[--county|--township|--village CODE]",
	 N_("With an organisation, the threshold in effect there and where it was set."), 1,
	 cmd_audit_rules, {SCOPE_OPTS, FORMAT_OPT}},
	{"audit rule set", N_("set a rule's threshold for a county or township"),
	 "--county|--township CODE RULE KEY=VALUE ...",
	 N_("Money in yuan (R08 limit=5000), days, months, payments or percent as whole numbers.  "
	 "A township's value overrides its county's.  Admins and inspectors."),
	 1, cmd_audit_rule_set,
	 {{"township", "CODE", N_("township code"), 0}, {"county", "CODE", N_("county code"), 0}}},
	{"audit mark", N_("mark a finding explained, to follow up or referred"),
	 "--village CODE --key KEY --state explained|follow_up|referred --note TEXT",
	 N_("KEY is the finding's 编号 as audit scan lists it; later scans show the latest mark.  "
	 "Only inspectors."),
	 1, cmd_audit_mark,
	 {VILLAGE_OPT, {"key", "KEY", N_("the finding's key (编号)"), 0},
	  {"state", "STATE", N_("explained, follow_up or referred"), 0},
	  {"note", "TEXT", N_("what was found or done"), 0}}},
	{"official add", N_("add a village cadre, board member or relative to the roster"),
	 "--village CODE --name NAME --post POST [--id-number ID] [--from D] [--to D] "
	 "[--relation 配偶 --of NAME]",
	 N_("R26 matches payees, aid and dividend households against the roster: by ID number "
	 "(红), by name (黄)."), 1, cmd_official_add,
	 {VILLAGE_OPT, {"name", "NAME", N_("姓名"), 0}, {"id-number", "ID", N_("身份证号"), 0},
	  {"post", "POST", N_("职务, e.g. 村委会主任 (a relative: the official's)"), 0},
	  {"from", "YYYY-MM-DD", N_("term from"), 0}, {"to", "YYYY-MM-DD", N_("term to"), 0},
	  {"relation", "REL", N_("配偶, 子女 … (default 本人)"), 0},
	  {"of", "NAME", N_("the official a relative is related to"), 0}}},
	{"official list", N_("the officials roster"), "--village|--township|--county CODE", NULL, 1,
	 cmd_official_list, {SCOPE_OPTS, FORMAT_OPT}},
	{"official import", N_("add a file of officials to the roster (CSV or XLSX)"),
	 "--file FILE [--dry-run]",
	 N_("Columns 村代码 姓名 身份证号 职务 任期起 任期止 关系 亲属 (or village name id_number post "
	 "term_from term_to relation related_to); 关系 empty is 本人, else 亲属 names the "
	 "official.  All rows or none."), 1, cmd_official_import,
	 {{"file", "FILE", N_("the roster"), 0}, {"dry-run", NULL, N_("check and roll back"), 0}}},
	{NULL, NULL, NULL, NULL, 0, NULL, {{0}}},
};
