/*
 * table_inspect.c - the inspector's commands: warning rules, thresholds,
 * findings and the officials roster
 *
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

#define SCOPE_OPTS                                                                            \
	VILLAGE_OPT, {"township", "CODE", "township code", 0}, {"county", "CODE", "county code", 0}

const cmd_spec cj_cmds_inspect[] = {
	{"audit scan", "run the warning rules (R08 …) and list every finding",
	 "--county|--township|--village CODE [--from P] [--to P] [--rules R08,R27] [--new]",
	 "Rules are numbered as domain.md §5.2; `audit rules` lists them and their thresholds.  "
	 "Each finding has its rule, 红 or 黄, village, the vouchers, funds or households "
	 "involved, the amount, one sentence saying what is wrong, the threshold used, its "
	 "state (`audit mark`) and its key.  --new: only findings no inspector has marked.  "
	 "Periods: " PERIOD_HELP ".",
	 1, cmd_audit_scan,
	 {SCOPE_OPTS, {"from", "PERIOD", "first month (default: January of --to's year)", 0},
	  {"to", "PERIOD", "last month (default: this month)", 0},
	  {"period", "PERIOD", "instead of --from/--to", 0}, {"year", "YYYY", "a whole year", 0},
	  {"rules", "LIST", "only these rules, e.g. R08,R27", 0},
	  {"new", NULL, "only findings not marked yet", 0}, FORMAT_OPT}},
	{"audit rules", "every warning rule with its availability and thresholds",
	 "[--county|--township|--village CODE]",
	 "With an organisation, the threshold in effect there and where it was set.", 1,
	 cmd_audit_rules, {SCOPE_OPTS, FORMAT_OPT}},
	{"audit rule set", "set a rule's threshold for a county or township",
	 "--county|--township CODE RULE KEY=VALUE ...",
	 "Money in yuan (R08 limit=5000), days, months, payments or percent as whole numbers.  "
	 "A township's value overrides its county's.  Admins and inspectors.",
	 1, cmd_audit_rule_set,
	 {{"township", "CODE", "township code", 0}, {"county", "CODE", "county code", 0}}},
	{"audit mark", "mark a finding explained, to follow up or referred",
	 "--village CODE --key KEY --state explained|follow_up|referred --note TEXT",
	 "KEY is the finding's 编号 as audit scan lists it; later scans show the latest mark.  "
	 "Only inspectors.",
	 1, cmd_audit_mark,
	 {VILLAGE_OPT, {"key", "KEY", "the finding's key (编号)", 0},
	  {"state", "STATE", "explained, follow_up or referred", 0},
	  {"note", "TEXT", "what was found or done", 0}}},
	{"official add", "add a village cadre, board member or relative to the roster",
	 "--village CODE --name NAME --post POST [--id-number ID] [--from D] [--to D] "
	 "[--relation 配偶 --of NAME]",
	 "R26 matches payees, aid and dividend households against the roster: by ID number "
	 "(红), by name (黄).", 1, cmd_official_add,
	 {VILLAGE_OPT, {"name", "NAME", "姓名", 0}, {"id-number", "ID", "身份证号", 0},
	  {"post", "POST", "职务, e.g. 村委会主任 (a relative: the official's)", 0},
	  {"from", "YYYY-MM-DD", "term from", 0}, {"to", "YYYY-MM-DD", "term to", 0},
	  {"relation", "REL", "配偶, 子女 … (default 本人)", 0},
	  {"of", "NAME", "the official a relative is related to", 0}}},
	{"official list", "the officials roster", "--village|--township|--county CODE", NULL, 1,
	 cmd_official_list, {SCOPE_OPTS, FORMAT_OPT}},
	{"official import", "add a file of officials to the roster (CSV or XLSX)",
	 "--file FILE [--dry-run]",
	 "Columns 村代码 姓名 身份证号 职务 任期起 任期止 关系 亲属 (or village name id_number post "
	 "term_from term_to relation related_to); 关系 empty is 本人, else 亲属 names the "
	 "official.  All rows or none.", 1, cmd_official_import,
	 {{"file", "FILE", "the roster", 0}, {"dry-run", NULL, "check and roll back", 0}}},
	{NULL, NULL, NULL, NULL, 0, NULL, {{0}}},
};
