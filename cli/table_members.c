/*
 * table_members.c - the member commands (cmd_member.c)
 *
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

const cmd_spec cj_cmds_members[] = {
	/* ---- members (member.c, cmd_member.c) ---- */
	{"member add", N_("add a member household (户) with its people and shares"),
	 "--village CODE --household CODE --head NAME --id IDNUMBER [--phone P] [--bank NAME] "
	 "[--account NO] [--poverty 脱贫户|监测户] [--person 'NAME:IDNUMBER:RELATION' ...] "
	 "[--share 'TYPE=N' ...] [--from YYYY-MM-DD]",
	 N_("The head is the household's first person, with relation 户主.  ID numbers are the "
	 "18-character resident ID (the check character and the date of birth are checked).  "
	 "Share types: 人口股, 劳龄股, 扶贫股, 募集股, 土地股 (集体股 belongs to the collective: "
	 "see 'member share').  Shares are counts with at most two decimals, e.g. 劳龄股=1.5; "
	 "they take effect on --from (default: the first day of the village's books).  The "
	 "household, its people and its shares are added together or not at all."),
	 1, cmd_member_add,
	 {VILLAGE_OPT, {"household", "CODE", N_("household code (户编号), e.g. 0101 or H01"), 0},
	  {"head", "NAME", N_("the head of the household (户主)"), 0},
	  {"id", "IDNUMBER", N_("the head's ID number"), 0}, {"phone", "P", N_("phone number"), 0},
	  {"bank", "NAME", N_("bank (开户行)"), 0}, {"account", "NO", N_("bank account number"), 0},
	  {"poverty", "STATUS", N_("脱贫户 or 监测户"), 0},
	  {"person", "NAME:ID:REL", N_("another person of the household, e.g. 王芳:1101…:配偶"), 1},
	  {"share", "TYPE=N", N_("shares of a type, e.g. 人口股=3"), 1},
	  {"from", "YYYY-MM-DD", N_("the day the shares take effect"), 0}}},
	{"member share", N_("add shares to a household, or the collective's 集体股"),
	 "--village CODE (--household CODE | --collective) --type TYPE --shares N --from YYYY-MM-DD",
	 N_("A holding is never edited: later changes are new holdings from their own date.  "
	 "集体股 is held by the collective (--collective) and by no household."),
	 1, cmd_member_share,
	 {VILLAGE_OPT, {"household", "CODE", N_("the household"), 0},
	  {"collective", NULL, N_("the collective's own shares (集体股)"), 0},
	  {"type", "TYPE", N_("人口股, 劳龄股, 扶贫股, 募集股, 土地股 or 集体股"), 0},
	  {"shares", "N", N_("how many, at most two decimals"), 0},
	  {"from", "YYYY-MM-DD", N_("the day they take effect"), 0}}},
	{"member bank", N_("record a household's bank and account number (for dividends paid by bank)"),
	 "--village CODE --household CODE --account NO [--bank NAME]", NULL, 1, cmd_member_bank,
	 {VILLAGE_OPT, {"household", "CODE", N_("the household"), 0},
	  {"account", "NO", N_("bank account number (digits)"), 0}, {"bank", "NAME", N_("bank (开户行)"), 0}}},
	{"member list", N_("the member register: households, people and shares in force"),
	 "--village CODE [--on YYYY-MM-DD] [--format text|csv|json] [--unmasked]",
	 N_("Shares are those in force on --on (default: today), by type, with totals.  ID numbers "
	 "show only their first 6 and last 4 characters, bank accounts their last 4 digits, "
	 "unless --unmasked (for internal use, never for posting in public)."),
	 1, cmd_member_list,
	 {VILLAGE_OPT, {"on", "YYYY-MM-DD", N_("shares in force on this day"), 0}, FORMAT_OPT,
	  {"unmasked", NULL, N_("show ID numbers and bank accounts in full"), 0}}},
	{"member import", N_("import member households from a CSV or XLSX file (all or nothing)"),
	 "--village CODE --file FILE [--dry-run]",
	 N_("The file is XLSX, or CSV in UTF-8 (with or without BOM) or GBK/GB18030, as Excel or WPS "
	 "saves it; the encoding is detected.  One row per person; columns are found by their header, "
	 "in Chinese or English, in any order:\n"
	 "  户编号/household  姓名/name  身份证号/id_number  与户主关系/relation   (required)\n"
	 "  电话/phone  开户行/bank  银行账号/bank_account  户类型/poverty  股权生效日期/effective_from\n"
	 "  人口股  劳龄股  扶贫股  募集股  土地股\n"
	 "The row whose relation is 户主 gives the head.  Household fields and shares may be on "
	 "any one row of the household (a repeated field must be the same).  Shares without a "
	 "股权生效日期 take effect on the first day of the books.  Every problem is reported as "
	 "'FILE: row N, column NAME: ...' and then nothing is written.  See docs/importers.md."),
	 1, cmd_member_import,
	 {VILLAGE_OPT, {"file", "FILE", N_("the file, CSV or XLSX; '-' for standard input"), 0}, SHEET_OPT,
	  {"dry-run", NULL, N_("check everything (the inserts too, rolled back); write nothing"), 0}}},
	/* ---- end members ---- */
	{NULL, NULL, NULL, NULL, 0, NULL, {{0}}},
};
