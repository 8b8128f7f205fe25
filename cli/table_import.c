/*
 * table_import.c - the import commands
 *
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

const cmd_spec cj_cmds_import[] = {
	/* ---- import vouchers/opening (cmd_import.c) ---- */
	{"import vouchers", N_("import a file of voucher lines (CSV or XLSX), all or nothing"),
	 "FILE [--dry-run] [--jobs N]",
	 N_("One row per voucher line; rows with the same 凭证号 in a village and month form one "
	 "voucher.  "
	 "Columns are found by their header, in Chinese or English, in any order:\n"
	 "  村代码/village  日期/date  凭证号/voucher  摘要/summary  科目代码/account\n"
	 "  借方金额/debit  贷方金额/credit                                  (required)\n"
	 "  往来单位/counterparty  资金/fund  项目/project  外部编号/external_id\n"
	 "Amounts in yuan as written (1,200.50, full-width digits, (300.00)); a header such as "
	 "借方金额(万元) says the column is in 万元.  CSV may be UTF-8 (with or without BOM) or "
	 "GBK/GB18030, comma or tab separated.  Every problem is listed with its row and column "
	 "and then nothing is posted.  The same file imported again posts nothing; a voucher "
	 "already posted under its external id (default: YYYY-MM/凭证号) is skipped.  A usual "
	 "county file is posted over several connections, villages split between them, and "
	 "committed whole by two-phase commit (--jobs; 'cunji db recover' settles what a crash "
	 "left).  See docs/importers.md."),
	 1, cmd_import_vouchers,
	 {{"dry-run", NULL, N_("check everything and show what would be posted; write nothing"), 0},
	  {"preparer", "NAME", N_("ignored: 制单人 is the login (the database records it)"), 0},
	  {"jobs", "N", N_("connections to post over (default: one per CPU; 1: one, no two-phase "
			"commit)"), 0},
	  {"file", "FILE", N_("the file (or give it as the argument; '-' for standard input)"), 0},
	  SHEET_OPT}},
	{"import opening", N_("import opening balances (期初余额) per village and account"),
	 "FILE [--dry-run]",
	 N_("One row per village and account; each village's rows become its opening voucher, "
	 "dated the first day of its books (or 日期).  Columns:\n"
	 "  村代码/village  科目代码/account                                 (required)\n"
	 "  借方余额/debit and 贷方余额/credit, or 期初余额/balance [方向/side: 借 贷 平]\n"
	 "  日期/date  摘要/summary  往来单位/counterparty  资金/fund  项目/project\n"
	 "A 期初余额 without 方向 is on the account's normal side; a negative balance is on "
	 "the other.  Debits must equal credits in each village.  Balances go on leaf accounts "
	 "only.  A village's opening balances are posted once."),
	 1, cmd_import_opening,
	 {{"dry-run", NULL, N_("check everything and show what would be posted; write nothing"), 0},
	  {"preparer", "NAME", N_("ignored: 制单人 is the login (the database records it)"), 0},
	  {"file", "FILE", N_("the file (or give it as the argument; '-' for standard input)"), 0},
	  SHEET_OPT}},
	{"import members", N_("import member households (same as 'member import')"),
	 "FILE --village CODE [--dry-run]", N_("See 'cunji member import --help' for the columns."), 1,
	 cmd_import_members,
	 {VILLAGE_OPT, {"dry-run", NULL, N_("check everything (the inserts too, rolled back); write nothing"), 0},
	  {"file", "FILE", N_("the file (or give it as the argument; '-' for standard input)"), 0},
	  SHEET_OPT}},
	/* ---- end import vouchers/opening ---- */
	/* ---- import bank/funds (cmd_import_bank.c, cmd_import_funds.c) ---- */
	{"import bank", N_("post a bank statement (CSV or XLSX) as vouchers, by rules (all or nothing)"),
	 "--village CODE --account BANKACCOUNT --rules RULES FILE [--dry-run] | "
	 "[--township CODE] --account BANKACCOUNT --rules RULES FILE|VILLAGE=FILE... [--dry-run]",
	 N_("Each row of the statement becomes a voucher between the bank account and the account "
	 "that the first matching rule names (docs/importers.md has the rules format; "
	 "importers/examples/ has a statement and its rules).  Columns are found by their "
	 "header: 交易日期/date, 收入金额/贷方发生额/in and 支出金额/借方发生额/out (or 交易金额/"
	 "amount), 余额/balance, 对方户名/counterparty, 摘要/用途/memo.  Rows that no rule "
	 "matches are all listed and nothing is posted.  The running balance is checked against "
	 "the ledger: the account's balance before the first row plus the movements must give "
	 "every row's 余额.  Importing the same statement again posts nothing new.\n\n"
	 "Several villages with one rules file: give each village's statement as VILLAGE=FILE "
	 "(a village code, or with --township a village's name), or with --township CODE as a "
	 "FILE whose name holds a village's code or name (周口村-3月.xlsx).  Every file is "
	 "matched first; then each village is imported all or nothing, a village refused does "
	 "not stop the others, and a summary says which are done, refused and why."),
	 1, cmd_import_bank,
	 {VILLAGE_OPT, {"account", "CODE", N_("the bank account the statement is for, e.g. 102001"), 0},
	  {"rules", "FILE", N_("the rules file (UTF-8)"), 0},
	  {"file", "FILE", N_("the statement, CSV (UTF-8 or GBK) or XLSX; '-' for standard input"), 0},
	  SHEET_OPT,
	  {"preparer", "NAME", N_("ignored: 制单人 is the login (the database records it)"), 0},
	  {"dry-run", NULL, N_("check everything (the posting too, rolled back) and show the vouchers"), 0},
	  {"township", "CODE", N_("statements of this township's villages, matched by file name"), 0}}},
	{"import funds", N_("add allocations and village funds from an allocation notice (下达文件)"),
	 "FILE [--dry-run]",
	 N_("One row per village's part: 文号/doc_no, 日期/doc_date, 资金类型/kind, 来源级次/"
	 "source_level, 县代码/county, 村代码/village, 资金代码/fund, 金额/amount (required), and "
	 "资金名称/name, 用途/purpose, 允许科目/allowed_accounts, 允许项目类别/allowed_categories, "
	 "项目/project, 下达总额/total.  Rows with the same county and 文号 form one allocation.  "
	 "Every problem is reported with its row and column, and then nothing is written; the "
	 "whole file goes in one transaction.  Importing it again adds nothing."),
	 1, cmd_import_funds,
	 {{"file", "FILE", N_("the notice, CSV (UTF-8 or GBK) or XLSX; '-' for standard input"), 0},
	  SHEET_OPT,
	  {"dry-run", NULL, N_("check everything (the inserts too, rolled back); write nothing"), 0}}},
	/* ---- end import bank/funds ---- */
	{NULL, NULL, NULL, NULL, 0, NULL, {{0}}},
};
