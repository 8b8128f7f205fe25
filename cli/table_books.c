/*
 * table_books.c - the commands of the database, organisations, posting and the books (a
 * table: options drive both parsing and --help)
 *
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

const cmd_spec cj_cmds_books[] = {
	{"init", N_("create the schema in the database (migrations; a no-op when current)"), "",
	 N_("The embedded default is initialised automatically on first use; run this for a "
	 "server named with --db, as a superuser (or a role that may create roles).  On the "
	 "embedded database it also writes the server's authentication again (the cluster's "
	 "owner by peer, other logins by password: docs/roles.md) and gives you your admin "
	 "login."),
	 0, cmd_init, {{0}}},
	{"db status", N_("show the embedded database: where it is and whether it runs"), "", NULL, 0,
	 cmd_db_status, {{0}}},
	{"db stop", N_("stop the embedded database server"), "", NULL, 0, cmd_db_stop, {{0}}},
	{"db url", N_("print the connection string, for psql \"$(cunji db url)\""), "[--user LOGIN]",
	 N_("The URL names the login --user gives (default: your own admin login, by peer "
	 "authentication); psql asks for its password, or reads PGPASSWORD or ~/.pgpass."),
	 0, cmd_db_url, {{0}}},
	{"user add", N_("add a login: a person, their role and their scope"),
	 "--login LOGIN --name NAME --role ROLE --scope CODE [--scope CODE ...] [--password-stdin]",
	 N_("Roles: admin (logins, organisations, everything, everywhere), bookkeeper (posts and "
	 "keeps the books of the villages in scope), reviewer (审核: closes months and years), "
	 "cashier (出纳: receipts and payments), inspector (纪检监察: reads everything in scope, "
	 "writes nothing), board (村务监督: reads its village).  A township or county scope "
	 "covers every village under it, added later too.  The password is asked twice on a "
	 "terminal, or read from stdin.  Only an admin adds logins (docs/roles.md)."),
	 1, cmd_user_add,
	 {{"login", "LOGIN", N_("the name to connect with (letters, digits, _ . @ -)"), 0},
	  {"name", "NAME", N_("the person's name, e.g. 张会计"), 0},
	  {"role", "ROLE", CJ_LOGIN_KINDS, 0},
	  {"scope", "CODE", N_("a village, township or county (not for an admin)"), 1},
	  {"password-stdin", NULL, N_("read the password from stdin"), 0}}},
	{"user list", N_("list the logins, their roles and scopes"), "", NULL, 1, cmd_user_list,
	 {FORMAT_OPT}},
	{"user disable", N_("disable a login (what it did stays on record)"), "--login LOGIN", NULL, 1,
	 cmd_user_disable, {{"login", "LOGIN", N_("the login"), 0}}},
	{"user scope add", N_("add an organisation to a login's scope"), "--login LOGIN --scope CODE",
	 NULL, 1, cmd_user_scope_add,
	 {{"login", "LOGIN", N_("the login"), 0}, {"scope", "CODE", N_("a village, township or county"), 0}}},
	{"user scope remove", N_("remove an organisation from a login's scope"),
	 "--login LOGIN --scope CODE", NULL, 1, cmd_user_scope_remove,
	 {{"login", "LOGIN", N_("the login"), 0}, {"scope", "CODE", N_("a village, township or county"), 0}}},
	{"db recover", N_("settle the prepared transactions a crashed import left"), "",
	 N_("An import over several connections commits them in two phases; killed between the "
	 "two, it leaves prepared transactions that hold their locks.  This commits those of "
	 "an import that had decided to commit and rolls back the others.  Every command does "
	 "it on connecting when it can (the user who imported, or a superuser)."),
	 1, cmd_db_recover, {{0}}},
	{"db backup", N_("write the books into a file with pg_dump (a backup)"), "FILE",
	 N_("The file is pg_dump's custom format: 'cunji db restore FILE' (or PostgreSQL's own "
	 "pg_restore) reads it back.  The embedded database is written as its bootstrap "
	 "superuser; with --db, the login must own the tables or be a superuser.  Back up every "
	 "day you post, and always before a year close; keep copies off this machine (a USB "
	 "disk, another office): a backup on the same disk dies with it."),
	 0, cmd_db_backup, {{0}}},
	{"db restore", N_("restore the books from a file of cunji db backup"),
	 "FILE [--force] [--yes]",
	 N_("Into an empty database (the embedded default, or another database of it named with "
	 "--db NAME, created if missing; or an existing database of another server).  A "
	 "database that holds books is replaced only with --force, after asking on a terminal "
	 "(--yes for scripts); all or nothing: a restore that fails leaves the old books as they "
	 "were.  Roles belong to the server: the owner and group roles are made when missing, "
	 "and each login of the books that the server lacks is made without a password (set it "
	 "with 'cunji user password --login LOGIN')."),
	 0, cmd_db_restore,
	 {{"force", NULL, N_("replace the books the database holds"), 0},
	  {"yes", NULL, N_("do it without asking (scripts)"), 0}}},
	{"org add", N_("add a county, township or village"),
	 "--level county|township|village --code CODE --name NAME [--parent CODE] [--start YYYY-MM] "
	 "| --file FILE",
	 N_("A village gets its own books (账套) with the 42 first-level accounts of the 2023 "
	 "system, starting at --start (default: January of the current year).  --file adds "
	 "every organisation of a CSV or XLSX file, all or nothing, with the columns of org "
	 "list --format csv: level, code, name, parent, books_from (or start); parents first."),
	 1, cmd_org_add,
	 {{"level", "LEVEL", N_("county, township or village"), 0},
	  {"code", "CODE", N_("official code, e.g. 360925 or 360925100201"), 0},
	  {"name", "NAME", N_("Chinese name, e.g. 靖安县"), 0},
	  {"parent", "CODE", N_("code of the county (for a township) or township (for a village)"), 0},
	  {"start", "YYYY-MM", N_("first month of a village's books"), 0},
	  {"file", "FILE", N_("the organisations of a file, one per row ('-' for standard input)"), 0},
	  SHEET_OPT}},
	{"org list", N_("list organisations as a tree"), "[--code CODE]", NULL, 1, cmd_org_list,
	 {{"code", "CODE", N_("only this organisation and those under it"), 0}, FORMAT_OPT}},
	{"account add", N_("add a sub-account to a village's chart"),
	 "--village CODE --code CODE --name NAME | --file FILE",
	 N_("The code extends an existing account by 2 or 3 digits (102001 under 102).  --file "
	 "adds every account of a CSV or XLSX file, all or nothing: columns village, code, "
	 "name; a parent before its sub-accounts."), 1,
	 cmd_account_add,
	 {VILLAGE_OPT, {"code", "CODE", N_("new account code, e.g. 102001"), 0},
	  {"name", "NAME", N_("account name, e.g. 农商行"), 0},
	  {"file", "FILE", N_("the accounts of a file, one per row ('-' for standard input)"), 0},
	  SHEET_OPT}},
	{"account list", N_("list a village's chart of accounts"), "--village CODE", NULL, 1,
	 cmd_account_list, {VILLAGE_OPT, FORMAT_OPT}},
	{"post", N_("post a voucher (记账凭证) and print its number"),
	 "--village CODE --date YYYY-MM-DD --summary TEXT --debit ACCT=AMOUNT --credit "
	 "ACCT=AMOUNT ... | --file FILE",
	 N_("Amounts are in yuan: 1200, 1,200.00, (1,200.00).  A line may add a summary and a "
	 "counterparty: --debit '113001=500.00;张三户;收回借款' (account=amount;counterparty;"
	 "summary).\n"
	 "A voucher file (--file, '-' for stdin) is read as 'cunji import vouchers' reads it "
	 "(CSV or XLSX, one row per line, columns 村代码 日期 凭证号 摘要 科目代码 借方金额 贷方金额 "
	 "or village date voucher summary account debit credit): rows with the same 凭证号 in a "
	 "village and month form one voucher; --village gives the village of rows without one.\n"
	 "With --id, posting the same voucher again returns the existing number (a safe "
	 "retry); the same id with different content is refused.\n"
	 "Cash and bank (101, 102) never end a month in credit; a documented correction that "
	 "must do so takes --allow-negative-cash --reason TEXT, recorded on the voucher.  An "
	 "opening voucher (--opening) belongs in the books' first month."),
	 1, cmd_post,
	 {VILLAGE_OPT,
	  {"date", "YYYY-MM-DD", N_("voucher date"), 0},
	  {"summary", "TEXT", "摘要", 0},
	  {"debit", "ACCT=AMOUNT", N_("a debit line"), 1},
	  {"credit", "ACCT=AMOUNT", N_("a credit line"), 1},
	  {"id", "EXT", N_("external id, unique per village"), 0},
	  {"preparer", "NAME", N_("ignored: 制单人 is the login (the database records it)"), 0},
	  {"attachments", "N", N_("number of attached documents (附件张数)"), 0},
	  {"opening", NULL, N_("this is the opening-balance voucher (期初余额)"), 0},
	  {"fund", "CODE", N_("tag every line with this fund (资金)"), 0},
	  {"project", "CODE", N_("tag every line with this project (项目)"), 0},
	  {"file", "FILE", N_("post the vouchers in a file, as import vouchers (all or nothing)"), 0},
	  SHEET_OPT,
	  {"allow-negative-cash", NULL,
	   N_("a documented correction that may leave cash or bank in credit (needs --reason)"), 0},
	  {"reason", "TEXT", N_("why (recorded on the voucher)"), 0}}},
	{"void", N_("void a voucher with a red reversing voucher (红字冲销)"),
	 "--village CODE (--number YYYY-MM-N | --id EXT) [--date YYYY-MM-DD] "
	 "[--allow-negative-cash --reason TEXT]",
	 N_("The reversal repeats the voucher's lines with negated amounts and references it.  "
	 "It is dated --date (default: the original's date).  Voiding a receipt whose cash "
	 "was already spent would leave cash or bank in credit: that takes "
	 "--allow-negative-cash --reason TEXT, recorded on the reversal."),
	 1, cmd_void,
	 {VILLAGE_OPT,
	  {"number", "YYYY-MM-N", N_("the voucher to void, e.g. 2025-03-7"), 0},
	  {"id", "EXT", N_("the voucher to void, by external id"), 0},
	  {"date", "YYYY-MM-DD", N_("date of the reversal"), 0},
	  {"preparer", "NAME", N_("ignored: 制单人 is the login (the database records it)"), 0},
	  {"allow-negative-cash", NULL,
	   N_("a documented correction that may leave cash or bank in credit (needs --reason)"), 0},
	  {"reason", "TEXT", N_("why (recorded on the voucher)"), 0}}},
	{"period close", N_("close a month: the database refuses postings into it"),
	 "--village CODE --period YYYY-MM [--reason TEXT] | --township CODE [--villages CODE,...] "
	 "--period YYYY-MM [--yes] [--dry-run]",
	 N_("With --township or --villages, the month of every village named, each all or nothing: "
	 "a village refused (an earlier month open…) does not stop the others, and the summary "
	 "says which are done, refused and why, and left.  Closing many villages asks first on "
	 "a terminal; --yes for scripts (without a terminal it is refused without --yes)."),
	 1, cmd_period_close,
	 {VILLAGE_OPT, {"period", "MONTH", N_("the month, e.g. 2025-03 or 2025年3月"), 0},
	  {"reason", "TEXT", N_("recorded"), 0}, BATCH_OPTS}},
	{"period reopen", N_("reopen a closed month (recorded with its reason)"),
	 "--village CODE --period YYYY-MM --reason TEXT", NULL, 1, cmd_period_reopen,
	 {VILLAGE_OPT, {"period", "MONTH", N_("the month, e.g. 2025-03 or 2025年3月"), 0},
	  {"reason", "TEXT", N_("why (required, recorded)"), 0}}},
	{"period list", N_("show which months are closed, and the close/reopen record"),
	 "--village CODE [--format text|csv|json]", NULL, 1, cmd_period_list,
	 {VILLAGE_OPT, FORMAT_OPT}},
	{"year close", N_("year-end close (年终结账): close income and expense, lock the year"),
	 "--village CODE --year YYYY",
	 N_("Posts the closing vouchers on 31 December (income and expense accounts into 321 本年"
	 "收益, 本年收益 into 322001 未分配收益, 322002 各项分配 into 未分配收益), closes "
	 "every month of the year, and carries the balances into the next year.  A year with "
	 "months in which nothing was posted is refused unless --empty-months-ok says they are "
	 "empty.  It cannot be undone: it asks first on a terminal; --yes for scripts (without a "
	 "terminal it is refused without --yes).  --township or --villages close many villages, "
	 "each all or nothing, with a summary."),
	 1, cmd_year_close,
	 {VILLAGE_OPT, {"year", "YYYY", N_("the year"), 0},
	  {"preparer", "NAME", N_("ignored: 制单人 is the login (the database records it)"), 0},
	  {"empty-months-ok", NULL, N_("the months with no voucher really had none"), 0},
	  BATCH_OPTS}},
	{"tb", N_("trial balance (科目余额表) of a village, township or county"),
	 "--village CODE | --township CODE | --county CODE [--period P | --year YYYY | --from P --to P]",
	 N_("Opening balance, period debits and credits, closing balance per account.  A village "
	 "shows sub-accounts; a township or county sums its villages by first-level account.  "
	 "Periods: " "2025, 2025Q4, 2025-12, 2025年第四季度, 2025年12月 or 2025-01..2025-06" ".  --from starts at the first month of its period, --to ends at "
	 "the last of its; --from defaults to January of --to's year, --to to the current month."),
	 1, cmd_tb,
	 {VILLAGE_OPT, {"township", "CODE", N_("township code"), 0}, {"county", "CODE", N_("county code"), 0},
	  {"period", "P", N_("the months, e.g. 2025Q4 or 2025-01..2025-06"), 0},
	  {"from", "P", N_("first month (of a period)"), 0}, {"to", "P", N_("last month (of a period)"), 0},
	  {"year", "YYYY", N_("the whole year (same as --period YYYY)"), 0}, FORMAT_OPT}},
	{"ledger", N_("detail ledger (明细账) of one account with running balance"),
	 "--village CODE --account CODE [--period P | --year YYYY | --from P --to P]",
	 N_("Periods as for tb: " "2025, 2025Q4, 2025-12, 2025年第四季度, 2025年12月 or 2025-01..2025-06" "."), 1, cmd_ledger,
	 {VILLAGE_OPT, {"account", "CODE", N_("account code (a parent includes its sub-accounts)"), 0},
	  {"period", "P", N_("the months, e.g. 2025Q4"), 0},
	  {"from", "P", N_("first month (of a period)"), 0}, {"to", "P", N_("last month (of a period)"), 0},
	  {"year", "YYYY", N_("the whole year"), 0}, FORMAT_OPT}},
	{"export journal", N_("write a village's books as an hledger / ledger-cli journal"),
	 "--village CODE [--period P | --year YYYY] [--out FILE]",
	 N_("Check our balances with a tool we did not write:\n"
	 "  cunji export journal --village V | hledger -f - bal --flat\n"
	 "With --period (" "2025, 2025Q4, 2025-12, 2025年第四季度, 2025年12月 or 2025-01..2025-06" ") or --year, only those months' vouchers, after one "
	 "transaction that brings the balances forward."), 1, cmd_export_journal,
	 {VILLAGE_OPT, {"period", "P", N_("only these months (opening balances brought forward)"), 0},
	  {"year", "YYYY", N_("only this year (same as --period YYYY)"), 0},
	  {"out", "FILE", N_("write here instead of stdout"), 0}}},
	{"check", N_("verify the books: kept totals equal the lines; voucher numbers have no gaps or jams"), "", NULL, 1,
	 cmd_check, {{0}}},
	{NULL, NULL, NULL, NULL, 0, NULL, {{0}}},
};
