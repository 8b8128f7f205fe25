/*
 * table_bank.c - 银行存款余额调节表: a bank statement's lines against the ledger
 * (a table: options drive both parsing and --help)
 *
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

#define BANK_ACCOUNT_OPT                                                                  \
	{"account", "CODE", N_("the bank account: 102 or one under it (a code or a name, " \
			       "e.g. 银行存款-农商行)"), 0}

const cmd_spec cj_cmds_bank[] = {
	{"bank statement", N_("read a bank statement (对账单) for reconciliation; posts nothing"),
	 "FILE --village CODE --account CODE [--sheet NAME|N] [--dry-run]",
	 N_("The statement is read as 'cunji import bank' reads it (CSV or XLSX, the header found "
	 "in its first rows, 交易日期, 收入金额/支出金额 or 交易金额, 余额), each row's balance "
	 "following from the row before; its lines are kept for 'bank match' and 'bank "
	 "reconcile'.  A line read before is not added again.  All or nothing."),
	 1, cmd_bank_statement,
	 {VILLAGE_OPT, BANK_ACCOUNT_OPT, SHEET_OPT,
	  {"dry-run", NULL, N_("check the statement; keep nothing"), 0}}},
	{"bank match", N_("reconcile statement lines with ledger lines by amount and date"),
	 "--village CODE --account CODE [--days N]",
	 N_("Each statement line not yet reconciled is paired with a ledger line of the account "
	 "not yet reconciled: the same amount the same way (a receipt with a debit of the bank "
	 "account, a payment with a credit), the nearest date within --days (default 10).  Pair "
	 "by hand with 'bank mark' where it chose wrong."),
	 1, cmd_bank_match,
	 {VILLAGE_OPT, BANK_ACCOUNT_OPT, {"days", "N", N_("how many days apart a pair may be"), 0}}},
	{"bank mark", N_("reconcile a statement line with a voucher's line by hand"),
	 "--village CODE --line N --voucher YYYY-MM-N",
	 N_("The voucher's line on the statement line's account of the same amount; a pair either "
	 "had is taken back.  The line numbers are those 'bank unreconciled' shows (对账单第N行)."),
	 1, cmd_bank_mark,
	 {VILLAGE_OPT, {"line", "N", N_("the statement line (对账单第N行)"), 0},
	  {"voucher", "YYYY-MM-N", N_("the voucher, e.g. 2025-03-7"), 0}}},
	{"bank unmark", N_("take a statement line's reconciliation back"), "--village CODE --line N",
	 NULL, 1, cmd_bank_unmark,
	 {VILLAGE_OPT, {"line", "N", N_("the statement line (对账单第N行)"), 0}}},
	{"bank unreconciled", N_("list what is not reconciled on each side (未达账项)"),
	 "--village CODE --account CODE [--period YYYY-MM] [--format text|csv|json]",
	 N_("The statement lines and the ledger lines through the end of the month (default: the "
	 "current month) that are not reconciled, or reconciled with a line dated after it."),
	 1, cmd_bank_unreconciled,
	 {VILLAGE_OPT, BANK_ACCOUNT_OPT, {"period", "MONTH", N_("the month, e.g. 2025-03"), 0},
	  FORMAT_OPT}},
	{"bank reconcile", N_("银行存款余额调节表 of a bank account for a month"),
	 "--village CODE --account CODE --period YYYY-MM [--format text|xlsx|pdf] [--out FILE]",
	 N_("企业银行存款日记账余额 + 银行已收企业未收 − 银行已付企业未付 = 银行对账单余额 + "
	 "企业已收银行未收 − 企业已付银行未付, with the outstanding lines behind each figure.  "
	 "Reconciliation starts at the statement's first day (the books and the bank are taken "
	 "to agree before it); voided vouchers and their reversals are left out.  When the two "
	 "sides differ the form is still written, with a note, and the command fails."),
	 1, cmd_bank_reconcile,
	 {VILLAGE_OPT, BANK_ACCOUNT_OPT, {"period", "MONTH", N_("the month, e.g. 2025-03"), 0},
	  {"format", "FMT", N_("text (default), xlsx or pdf (default: the --out file's extension)"),
	   0},
	  {"out", "FILE", N_("write here (xlsx and pdf need it)"), 0}}},
	{NULL, NULL, NULL, NULL, 0, NULL, {{0}}},
};
