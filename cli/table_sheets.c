/*
 * table_sheets.c - the commands of statements and disclosure sheets
 *
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

const cmd_spec cj_cmds_sheets[] = {
	/* ---- statements (cmd_statement.c) ---- */
#define STATEMENT_OPTS                                                                             \
	VILLAGE_OPT, {"period", "P", PERIOD_HELP, 0},                                              \
	    {"format", "FMT", N_("text (default), xlsx or pdf (default: from --out's extension)"), 0},  \
	    {"out", "FILE", N_("write here (needed for xlsx and pdf); text goes to stdout"), 0},          \
	    {"township", "CODE", N_("every village of this township (or county), in one file"), 0},  \
	    {"villages", "CODE,CODE", N_("these villages (with or without --township), in one file"), 1}
#define SUMMARY_OPT                                                                                \
	{"summary", NULL, N_("with --township: the township's 汇总 first, checked line by line "       \
			     "against its villages' statements"), 0}
#define MANY_HELP                                                                                  \
	N_("With --township CODE or --villages A,B the statements of every village named go "  \
	   "into one file (one PDF, one workbook with a sheet per village and statement), village " \
	   "by village, each village all or nothing: a village refused (its figures do not agree, " \
	   "an account missing…) is left out whole and does not stop the others; a summary "        \
	   "says which villages are done, refused and why (on stderr when the statements go to "     \
	   "stdout).")
	{"statement balance-sheet", N_("资产负债表 of a village: 年初数 and 期末数"),
	 "--village CODE | --township CODE [--summary] | --villages CODE,CODE --period P "
	 "[--format text|xlsx|pdf] [--out FILE]",
	 N_("Lines and formulas come from reports/layouts/balance_sheet_2023.layout (found at run "
	 "time: $CUNJI_LAYOUTS, the source tree, next to the binary, else a built-in copy); the "
	 "line items are not yet checked against the official 2023 format (docs/reports.md).  "
	 "内部往来 is shown on both sides, never netted.  If 资产总计 differs from 负债和所有者"
	 "权益总计 the statement is still written, with a note, and the command fails.\n\n"
	 "--township CODE --summary puts the township's 资产负债表（汇总） first: every line the "
	 "sum over the villages (a sub-account's balance stays its village's), checked line by "
	 "line against the villages' own statements; a village or line that disagrees is named "
	 "and the command fails.  A village refused leaves no summary."),
	 1, cmd_statement_balance_sheet, {STATEMENT_OPTS, SUMMARY_OPT}},
	{"statement income", N_("收益及收益分配表 of a village"),
	 "--village CODE | --township CODE [--summary] | --villages CODE,CODE --period P "
	 "[--format text|xlsx|pdf] [--out FILE]",
	 N_("Columns 本期数 and 本年累计数 (本年数 and 上年数 for a year); the year-end closing "
	 "vouchers are left out.  Layout: reports/layouts/income_2023.layout.  年末未分配收益 is "
	 "checked against the balances of 本年收益, 收益分配 and the unclosed income and expense "
	 "accounts.  --township CODE --summary: the township's 收益及收益分配表（汇总） first, "
	 "checked line by line against its villages' (see statement balance-sheet)."),
	 1, cmd_statement_income, {STATEMENT_OPTS, SUMMARY_OPT}},
	{"statement balances", N_("科目余额表: opening, debits, credits, closing by account"),
	 "--village CODE | --township CODE | --villages CODE,CODE --period P "
	 "[--format text|xlsx|pdf] [--out FILE]", MANY_HELP, 1,
	 cmd_statement_balances, {STATEMENT_OPTS}},
	{"statement detail", N_("收支明细表: income and expense by account, 本期 and 本年累计"),
	 "--village CODE | --township CODE | --villages CODE,CODE --period P "
	 "[--format text|xlsx|pdf] [--out FILE]", MANY_HELP, 1,
	 cmd_statement_detail, {STATEMENT_OPTS}},
	{"statement ledger", N_("明细账 of one account: date, voucher, summary, debit, credit, balance"),
	 "--village CODE | --township CODE | --villages CODE,CODE --period P --account CODE "
	 "[--format text|xlsx|pdf] [--out FILE]",
	 N_("With --township CODE or --villages A,B: the 明细账 of the account in every village "
	 "named, in one file, village by village, each all or nothing, and a summary of done / "
	 "refused and why."), 1,
	 cmd_statement_ledger,
	 {STATEMENT_OPTS, {"account", "CODE", N_("account code (a parent includes its sub-accounts)"), 0}}},
	{"statement all", N_("the four statements of a village in one file (one PDF, one workbook)"),
	 "--village CODE | --township CODE [--summary] | --villages CODE,CODE --period P "
	 "[--format text|xlsx|pdf] [--out FILE]",
	 N_("资产负债表, 收益及收益分配表, 科目余额表 and 收支明细表, in that order.  With "
	 "--township CODE or --villages A,B: every village's four, village by village, in one "
	 "file, each village all or nothing, and a summary of done / refused; --summary puts the "
	 "township's 资产负债表 and 收益及收益分配表（汇总） first."), 1,
	 cmd_statement_all, {STATEMENT_OPTS, SUMMARY_OPT}},
#undef STATEMENT_OPTS
#undef SUMMARY_OPT
#undef MANY_HELP
	/* ---- end statements ---- */
	/* ---- disclosure (cmd_disclose.c) ---- */
	{"disclose", N_("three-level disclosure sheets (三级公开) in XLSX and PDF, and their check"),
	 "--level village|township|county --code CODE --period P --out DIR [--all] | "
	 "--township CODE [--villages CODE,CODE] --period P --out DIR | --verify FILE",
	 N_("Village: 财务公开表 (every income and expense item, cash and bank, receivables and "
	 "payables, earmarked funds, anti-risk aid, the dividend list) and 项目资金公告公示表.  "
	 "Township: its villages side by side.  County: its townships, and each allocation "
	 "document by township.  --all adds every level below.  Files go to\n"
	 "  DIR/<county code> <name>/[<township code> <name>/]<code>-<name>-<period>.xlsx|.pdf\n"
	 "Each sheet's footer and document keywords carry a SHA-256 digest of the vouchers it "
	 "was made from; --verify FILE recomputes it and names what was posted since.  "
	 "Periods: a month, a quarter or a year (2025-12, 2025Q4, 2025年第四季度, 2025).  See "
	 "docs/disclosure.md.\n\n"
	 "--township CODE or --villages A,B: the village sheets of every village named, each "
	 "village in its own files (each village posts its own), village by village, each all "
	 "or nothing; a summary says which are done, refused and why."),
	 1, cmd_disclose,
	 {{"level", "LEVEL", N_("village, township or county"), 0},
	  {"code", "CODE", N_("the organisation's code"), 0},
	  {"period", "P", N_("a quarter (2025Q4), a month (2025-12) or a year (2025)"), 0},
	  {"out", "DIR", N_("write the file tree under DIR"), 0},
	  {"all", NULL, N_("also every level below (a county: its townships and villages)"), 0},
	  {"format", "LIST", N_("xlsx,pdf (default both); text prints the sheets on stdout"), 0},
	  {"date", "YYYY-MM-DD", N_("公开日期 (default: the 15th of the month after the period)"), 0},
	  {"jobs", "N", N_("processes making the village files (default: one per CPU)"), 0},
	  {"verify", "FILE", N_("check a sheet (XLSX or PDF) against the books"), 0},
	  {"township", "CODE", N_("the village sheets of every village of this township"), 0},
	  {"villages", "CODE,CODE", N_("the village sheets of these villages"), 1}}},
	{"disclose hotline", N_("set the local supervision number disclosure sheets print"),
	 "--code CODE --phone NUMBER",
	 N_("Sheets print 12317 and the nearest local number set on the village, its township or "
	 "its county; --phone '' clears it."),
	 1, cmd_disclose_hotline,
	 {{"code", "CODE", N_("a village, township or county"), 0},
	  {"phone", "NUMBER", N_("e.g. 0795-4662345"), 0}}},
	/* ---- end disclosure ---- */
	/* ---- books (cmd_book.c) ---- */
#define BOOK_OPTS                                                                                  \
	VILLAGE_OPT, {"township", "CODE", N_("every village of this township, in one file"), 0},   \
	    {"period", "P", PERIOD_HELP, 0}, {"year", "YYYY", N_("the whole year"), 0},            \
	    {"from", "P", N_("first month (of a period)"), 0},                                     \
	    {"to", "P", N_("last month (of a period)"), 0},                                        \
	    {"format", "FMT", N_("text (default), csv, json, xlsx or pdf (default: from --out's "  \
				 "extension)"), 0},                                                  \
	    {"out", "FILE", N_("write here (needed for xlsx and pdf); text, csv and json go to "    \
			       "stdout without it"), 0},                                              \
	    {"encoding", "ENC",                                                                    \
	     N_("CSV: utf-8-bom (default into a file or onto a terminal), utf-8 (default into a "  \
		"pipe) or gbk"), 0}
#define BOOK_USAGE "(--village CODE | --township CODE) (--year YYYY | --period P | --from P --to P) [--account CODE] [--format text|csv|json|xlsx|pdf] [--out FILE]"
	{"book general", N_("总账: each first-level account, month by month (本月合计, 本年累计)"),
	 BOOK_USAGE,
	 N_("Each first-level account with figures on its own pages: 上年结转 (or 期初余额), then for "
	 "each month with postings 本月合计 and 本年累计 with the balance and 借或贷.  With "
	 "--township, every village of the township in one file (a worksheet per village and "
	 "account).  Only posted vouchers count; drafts never."),
	 1, cmd_book, {BOOK_OPTS, {"account", "CODE", N_("only this account"), 0}}},
	{"book cash", N_("现金日记账: cash (101) day by day, 本日合计, 本月合计, 本年累计"), BOOK_USAGE,
	 N_("Every voucher line with 日期, 凭证字号, 摘要, 对方科目, 借方, 贷方 and the balance; "
	 "本日合计 after each day with postings.  On printed pages the month's sums and the "
	 "balance are carried: 过次页 at the foot of a page, 承前页 at the head of the next."),
	 1, cmd_book, {BOOK_OPTS, {"account", "CODE", N_("only this account"), 0}}},
	{"book bank", N_("银行存款日记账: bank (102) and each bank account, day by day"), BOOK_USAGE,
	 N_("As book cash, for 102 银行存款 and then each of its sub-accounts (each bank account)."),
	 1, cmd_book, {BOOK_OPTS, {"account", "CODE", N_("only this bank account, e.g. 102001"), 0}}},
	{"book detail", N_("明细账: each account line by line, 本月合计, 本年累计, 承前页/过次页"),
	 BOOK_USAGE,
	 N_("Every account without sub-accounts that has figures (or --account, with its "
	 "sub-accounts summed), on its own pages, 三栏式: 借方, 贷方, 借或贷, 余额."),
	 1, cmd_book, {BOOK_OPTS, {"account", "CODE", N_("only this account (a parent includes its sub-accounts)"), 0}}},
	{"book columnar", N_("多栏账: income and expense accounts, one column per sub-account"),
	 BOOK_USAGE,
	 N_("For each income and expense account with figures (or --account): 借方, 贷方, "
	 "余额 and one column per sub-account (the debits of an expense account, the credits "
	 "of an income account)."),
	 1, cmd_book, {BOOK_OPTS, {"account", "CODE", N_("only this account, e.g. 513 管理费用"), 0}}},
#undef BOOK_OPTS
#undef BOOK_USAGE
	/* ---- end books ---- */
	{NULL, NULL, NULL, NULL, 0, NULL, {{0}}},
};
