/*
 * main.c - cunji: the command table and the dispatcher
 *
 * main() finds the command (one or two words: "post", "org add"), parses
 * its options from the table, opens the database when the command needs it
 * and maps the result to an exit status: 0 ok, 1 refused or failed, 2 usage.
 *
 * SPDX-License-Identifier: MIT
 */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static int cmd_help(cli *c, const cli_opts *o);
static int cmd_version(cli *c, const cli_opts *o);

#define VILLAGE_OPT {"village", "CODE", "village code", 0}
#define FORMAT_OPT                                                                           \
	{"format", "FMT", "text (default), csv or json", 0},                                  \
	{"encoding", "ENC",                                                                   \
	 "CSV: utf-8-bom (default into a file or onto a terminal), utf-8 (default into a "   \
	 "pipe) or gbk", 0}

const cmd_spec cj_commands[] = {
	{"init", "create the schema in the database (migrations; a no-op when current)", "",
	 "The embedded default is initialised automatically on first use; run this for a "
	 "server named with --db.",
	 2, cmd_init, {{0}}},
	{"db status", "show the embedded database: where it is and whether it runs", "", NULL, 0,
	 cmd_db_status, {{0}}},
	{"db stop", "stop the embedded database server", "", NULL, 0, cmd_db_stop, {{0}}},
	{"db url", "print the connection string, for psql \"$(cunji db url)\"", "", NULL, 0,
	 cmd_db_url, {{0}}},
	{"org add", "add a county, township or village",
	 "--level county|township|village --code CODE --name NAME [--parent CODE] [--start YYYY-MM] "
	 "| --file FILE",
	 "A village gets its own books (账套) with the 42 first-level accounts of the 2023 "
	 "system, starting at --start (default: January of the current year).  --file adds "
	 "every organisation of a CSV or XLSX file, all or nothing, with the columns of org "
	 "list --format csv: level, code, name, parent, books_from (or start); parents first.",
	 1, cmd_org_add,
	 {{"level", "LEVEL", "county, township or village", 0},
	  {"code", "CODE", "official code, e.g. 360925 or 360925100201", 0},
	  {"name", "NAME", "Chinese name, e.g. 靖安县", 0},
	  {"parent", "CODE", "code of the county (for a township) or township (for a village)", 0},
	  {"start", "YYYY-MM", "first month of a village's books", 0},
	  {"file", "FILE", "the organisations of a file, one per row", 0}}},
	{"org list", "list organisations as a tree", "[--code CODE]", NULL, 1, cmd_org_list,
	 {{"code", "CODE", "only this organisation and those under it", 0}, FORMAT_OPT}},
	{"account add", "add a sub-account to a village's chart",
	 "--village CODE --code CODE --name NAME | --file FILE",
	 "The code extends an existing account by 2 or 3 digits (102001 under 102).  --file "
	 "adds every account of a CSV or XLSX file, all or nothing: columns village, code, "
	 "name; a parent before its sub-accounts.", 1,
	 cmd_account_add,
	 {VILLAGE_OPT, {"code", "CODE", "new account code, e.g. 102001", 0},
	  {"name", "NAME", "account name, e.g. 农商行", 0},
	  {"file", "FILE", "the accounts of a file, one per row", 0}}},
	{"account list", "list a village's chart of accounts", "--village CODE", NULL, 1,
	 cmd_account_list, {VILLAGE_OPT, FORMAT_OPT}},
	{"post", "post a voucher (记账凭证) and print its number",
	 "--village CODE --date YYYY-MM-DD --summary TEXT --debit ACCT=AMOUNT --credit "
	 "ACCT=AMOUNT ... | --file FILE",
	 "Amounts are in yuan: 1200, 1,200.00, (1,200.00).  A line may add a summary and a "
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
	 "opening voucher (--opening) belongs in the books' first month.",
	 1, cmd_post,
	 {VILLAGE_OPT,
	  {"date", "YYYY-MM-DD", "voucher date", 0},
	  {"summary", "TEXT", "摘要", 0},
	  {"debit", "ACCT=AMOUNT", "a debit line", 1},
	  {"credit", "ACCT=AMOUNT", "a credit line", 1},
	  {"id", "EXT", "external id, unique per village", 0},
	  {"preparer", "NAME", "制单人 (default: $USER)", 0},
	  {"attachments", "N", "number of attached documents (附件张数)", 0},
	  {"opening", NULL, "this is the opening-balance voucher (期初余额)", 0},
	  {"fund", "CODE", "tag every line with this fund (资金)", 0},
	  {"project", "CODE", "tag every line with this project (项目)", 0},
	  {"file", "FILE", "post the vouchers in a file, as import vouchers (all or nothing)", 0},
	  {"allow-negative-cash", NULL,
	   "a documented correction that may leave cash or bank in credit (needs --reason)", 0},
	  {"reason", "TEXT", "why (recorded on the voucher)", 0}}},
	{"void", "void a voucher with a red reversing voucher (红字冲销)",
	 "--village CODE (--number YYYY-MM-N | --id EXT) [--date YYYY-MM-DD]",
	 "The reversal repeats the voucher's lines with negated amounts and references it.  "
	 "It is dated --date (default: the original's date).",
	 1, cmd_void,
	 {VILLAGE_OPT,
	  {"number", "YYYY-MM-N", "the voucher to void, e.g. 2025-03-7", 0},
	  {"id", "EXT", "the voucher to void, by external id", 0},
	  {"date", "YYYY-MM-DD", "date of the reversal", 0},
	  {"preparer", "NAME", "制单人", 0}}},
	{"period close", "close a month: the database refuses postings into it",
	 "--village CODE --period YYYY-MM [--reason TEXT]", NULL, 1, cmd_period_close,
	 {VILLAGE_OPT, {"period", "YYYY-MM", "the month", 0}, {"reason", "TEXT", "recorded", 0}}},
	{"period reopen", "reopen a closed month (recorded with its reason)",
	 "--village CODE --period YYYY-MM --reason TEXT", NULL, 1, cmd_period_reopen,
	 {VILLAGE_OPT, {"period", "YYYY-MM", "the month", 0},
	  {"reason", "TEXT", "why (required, recorded)", 0}}},
	{"period list", "show which months are closed, and the close/reopen record",
	 "--village CODE", NULL, 1, cmd_period_list, {VILLAGE_OPT}},
	{"year close", "year-end close (年终结账): close income and expense, lock the year",
	 "--village CODE --year YYYY",
	 "Posts the closing vouchers on 31 December (income and expense accounts into 321 本年"
	 "收益, 本年收益 into 322001 未分配收益, 322002 各项分配 into 未分配收益), closes "
	 "every month of the year, and carries the balances into the next year.",
	 1, cmd_year_close,
	 {VILLAGE_OPT, {"year", "YYYY", "the year", 0}, {"preparer", "NAME", "制单人", 0}}},
	{"tb", "trial balance (科目余额表) of a village, township or county",
	 "--village CODE | --township CODE | --county CODE [--from YYYY-MM] [--to YYYY-MM]",
	 "Opening balance, period debits and credits, closing balance per account.  A village "
	 "shows sub-accounts; a township or county sums its villages by first-level account.  "
	 "--from defaults to January of --to's year, --to to the current month.",
	 1, cmd_tb,
	 {VILLAGE_OPT, {"township", "CODE", "township code", 0}, {"county", "CODE", "county code", 0},
	  {"from", "YYYY-MM", "first month", 0}, {"to", "YYYY-MM", "last month", 0},
	  {"year", "YYYY", "the whole year (same as --from YYYY-01 --to YYYY-12)", 0}, FORMAT_OPT}},
	{"ledger", "detail ledger (明细账) of one account with running balance",
	 "--village CODE --account CODE [--from YYYY-MM] [--to YYYY-MM]", NULL, 1, cmd_ledger,
	 {VILLAGE_OPT, {"account", "CODE", "account code (a parent includes its sub-accounts)", 0},
	  {"from", "YYYY-MM", "first month", 0}, {"to", "YYYY-MM", "last month", 0},
	  {"year", "YYYY", "the whole year", 0}, FORMAT_OPT}},
	{"export journal", "write a village's books as an hledger / ledger-cli journal",
	 "--village CODE [--year YYYY] [--out FILE]",
	 "Check our balances with a tool we did not write:\n"
	 "  cunji export journal --village V | hledger -f - bal --flat", 1, cmd_export_journal,
	 {VILLAGE_OPT, {"year", "YYYY", "only this year (opening balances brought forward)", 0},
	  {"out", "FILE", "write here instead of stdout", 0}}},
	/* ---- members (member.c, cmd_member.c) ---- */
	{"member add", "add a member household (户) with its people and shares",
	 "--village CODE --household CODE --head NAME --id IDNUMBER [--phone P] [--bank NAME] "
	 "[--account NO] [--poverty 脱贫户|监测户] [--person 'NAME:IDNUMBER:RELATION' ...] "
	 "[--share 'TYPE=N' ...] [--from YYYY-MM-DD]",
	 "The head is the household's first person, with relation 户主.  ID numbers are the "
	 "18-character resident ID (the check character and the date of birth are checked).  "
	 "Share types: 人口股, 劳龄股, 扶贫股, 募集股, 土地股 (集体股 belongs to the collective: "
	 "see 'member share').  Shares are counts with at most two decimals, e.g. 劳龄股=1.5; "
	 "they take effect on --from (default: the first day of the village's books).  The "
	 "household, its people and its shares are added together or not at all.",
	 1, cmd_member_add,
	 {VILLAGE_OPT, {"household", "CODE", "household code (户编号), e.g. 0101 or H01", 0},
	  {"head", "NAME", "the head of the household (户主)", 0},
	  {"id", "IDNUMBER", "the head's ID number", 0}, {"phone", "P", "phone number", 0},
	  {"bank", "NAME", "bank (开户行)", 0}, {"account", "NO", "bank account number", 0},
	  {"poverty", "STATUS", "脱贫户 or 监测户", 0},
	  {"person", "NAME:ID:REL", "another person of the household, e.g. 王芳:1101…:配偶", 1},
	  {"share", "TYPE=N", "shares of a type, e.g. 人口股=3", 1},
	  {"from", "YYYY-MM-DD", "the day the shares take effect", 0}}},
	{"member share", "add shares to a household, or the collective's 集体股",
	 "--village CODE (--household CODE | --collective) --type TYPE --shares N --from YYYY-MM-DD",
	 "A holding is never edited: later changes are new holdings from their own date.  "
	 "集体股 is held by the collective (--collective) and by no household.",
	 1, cmd_member_share,
	 {VILLAGE_OPT, {"household", "CODE", "the household", 0},
	  {"collective", NULL, "the collective's own shares (集体股)", 0},
	  {"type", "TYPE", "人口股, 劳龄股, 扶贫股, 募集股, 土地股 or 集体股", 0},
	  {"shares", "N", "how many, at most two decimals", 0},
	  {"from", "YYYY-MM-DD", "the day they take effect", 0}}},
	{"member bank", "record a household's bank and account number (for dividends paid by bank)",
	 "--village CODE --household CODE --account NO [--bank NAME]", NULL, 1, cmd_member_bank,
	 {VILLAGE_OPT, {"household", "CODE", "the household", 0},
	  {"account", "NO", "bank account number (digits)", 0}, {"bank", "NAME", "bank (开户行)", 0}}},
	{"member list", "the member register: households, people and shares in force",
	 "--village CODE [--on YYYY-MM-DD] [--format text|csv|json] [--unmasked]",
	 "Shares are those in force on --on (default: today), by type, with totals.  ID numbers "
	 "show only their first 6 and last 4 characters, bank accounts their last 4 digits, "
	 "unless --unmasked (for internal use, never for posting in public).",
	 1, cmd_member_list,
	 {VILLAGE_OPT, {"on", "YYYY-MM-DD", "shares in force on this day", 0}, FORMAT_OPT,
	  {"unmasked", NULL, "show ID numbers and bank accounts in full", 0}}},
	{"member import", "import member households from a CSV file (all or nothing)",
	 "--village CODE --file FILE [--dry-run]",
	 "The file is CSV in UTF-8 (with or without BOM) or GBK/GB18030, as Excel or WPS saves "
	 "it; the encoding is detected.  One row per person; columns are found by their header, "
	 "in Chinese or English, in any order:\n"
	 "  户编号/household  姓名/name  身份证号/id_number  与户主关系/relation   (required)\n"
	 "  电话/phone  开户行/bank  银行账号/bank_account  户类型/poverty  股权生效日期/effective_from\n"
	 "  人口股  劳龄股  扶贫股  募集股  土地股\n"
	 "The row whose relation is 户主 gives the head.  Household fields and shares may be on "
	 "any one row of the household (a repeated field must be the same).  Shares without a "
	 "股权生效日期 take effect on the first day of the books.  Every problem is reported as "
	 "'FILE: row N, column NAME: ...' and then nothing is written.  See docs/importers.md.",
	 1, cmd_member_import,
	 {VILLAGE_OPT, {"file", "FILE", "the CSV file", 0},
	  {"dry-run", NULL, "check the file and print what would be imported; write nothing", 0}}},
	/* ---- end members ---- */
	/* ---- funds, projects, dividends ---- */
	{"fund add", "add an earmarked fund to a village's books",
	 "--village CODE --code CODE --name NAME --kind KIND --source LEVEL --amount YUAN [--doc 文号] "
	 "[--doc-date D]",
	 "Kinds and their default rules are in cunji.fund_kind (衔接推进乡村振兴补助资金, "
	 "财政专项扶贫资金, 一事一议资金, 防返贫基金, 社会捐赠, 村集体自有).  Override the uses "
	 "with comma lists: --allow-accounts 153,151 --forbid-accounts 513 --allow-categories "
	 "产业发展 --forbid-categories 楼堂馆所.\n"
	 "Receipts and spending are voucher lines tagged with the fund (cunji post --fund CODE): "
	 "a debit to cash or bank is money received, a credit money spent.",
	 1, cmd_fund_add,
	 {VILLAGE_OPT, {"code", "CODE", "fund code, unique in the village", 0},
	  {"name", "NAME", "name", 0}, {"kind", "KIND", "fund kind", 0},
	  {"source", "LEVEL", "中央, 省, 市, 县, 乡, 村 or 社会", 0},
	  {"amount", "YUAN", "amount granted", 0}, {"doc", "DOC", "allocation document (文号)", 0},
	  {"doc-date", "YYYY-MM-DD", "date of the document", 0},
	  {"holding", "ACCT", "where the money sits (default: the kind's, e.g. 241)", 0},
	  {"allow-accounts", "LIST", "accounts it may be spent on", 0},
	  {"forbid-accounts", "LIST", "accounts it may never be spent on", 0},
	  {"allow-categories", "LIST", "project categories it may fund", 0},
	  {"forbid-categories", "LIST", "project categories on its negative list", 0}}},
	{"fund allocate", "a county allocation (下达) split over villages, one fund in each",
	 "--county CODE --doc 文号 --code CODE --name NAME --kind KIND --source LEVEL --amount YUAN "
	 "--to VILLAGE=YUAN ...",
	 "The parts may not exceed the allocation's amount.", 1, cmd_fund_allocate,
	 {{"county", "CODE", "county code", 0}, {"doc", "DOC", "document number (文号)", 0},
	  {"doc-date", "YYYY-MM-DD", "date of the document", 0},
	  {"code", "CODE", "fund code in each village", 0}, {"name", "NAME", "name", 0},
	  {"kind", "KIND", "fund kind", 0}, {"source", "LEVEL", "中央, 省, 市, 县", 0},
	  {"amount", "YUAN", "total allocated", 0}, {"to", "VILLAGE=YUAN", "a village's part", 1},
	  {"holding", "ACCT", "where the money sits", 0},
	  {"allow-accounts", "LIST", "accounts it may be spent on", 0},
	  {"forbid-accounts", "LIST", "accounts it may never be spent on", 0},
	  {"allow-categories", "LIST", "project categories it may fund", 0},
	  {"forbid-categories", "LIST", "project categories on its negative list", 0}}},
	{"fund list", "funds with what was granted, received, spent and left",
	 "--village CODE | --township CODE | --county CODE", NULL, 1, cmd_fund_list,
	 {VILLAGE_OPT, {"township", "CODE", "township code", 0}, {"county", "CODE", "county code", 0},
	  FORMAT_OPT}},
	{"fund show", "one fund: its rules and every receipt and payment",
	 "--village CODE --code CODE [--table rules|lines]",
	 "The text shows both tables; CSV and JSON hold one, --table lines (the default: every "
	 "receipt and payment) or --table rules.", 1, cmd_fund_show,
	 {VILLAGE_OPT, {"code", "CODE", "fund code", 0},
	  {"table", "WHICH", "rules (the fund's rules) or lines (its receipts and payments)", 0},
	  FORMAT_OPT}},
	{"fund trace", "follow an allocation to every village, payment and payee",
	 "--county CODE --doc 文号", NULL, 1, cmd_fund_trace,
	 {{"county", "CODE", "county code", 0}, {"doc", "DOC", "document number", 0}, FORMAT_OPT}},
	{"fund close", "close a fund (or mark it returned): no new spending",
	 "--village CODE --code CODE [--returned]", NULL, 1, cmd_fund_close,
	 {VILLAGE_OPT, {"code", "CODE", "fund code", 0},
	  {"returned", NULL, "the balance was returned (post the return voucher first)", 0}}},
	{"project add", "add a project (项目) with its budget by source",
	 "--village CODE --code CODE --name NAME --category CAT --budget SOURCE=YUAN ...",
	 "Categories are in cunji.project_category.  A budget source naming one of the village's "
	 "funds links the budget to it.", 1, cmd_project_add,
	 {VILLAGE_OPT, {"code", "CODE", "project code", 0}, {"name", "NAME", "项目名称", 0},
	  {"category", "CAT", "项目类别, e.g. 基础设施", 0},
	  {"budget", "SOURCE=YUAN", "budget from a source (中央/省/县/村 or a fund code)", 1},
	  {"content", "TEXT", "建设内容及规模", 0}, {"unit", "NAME", "实施单位", 0},
	  {"responsible", "NAME", "责任人", 0}, {"start", "YYYY-MM-DD", "start date", 0},
	  {"end", "YYYY-MM-DD", "end date", 0}, {"households", "N", "受益户数", 0},
	  {"poverty", "N", "of which 脱贫户", 0}, {"monitored", "N", "of which 监测户", 0},
	  {"goals", "TEXT", "绩效目标", 0}, {"mechanism", "TEXT", "联农带农机制", 0}}},
	{"project list", "a village's projects with budget, paid and status", "--village CODE",
	 NULL, 1, cmd_project_list, {VILLAGE_OPT, FORMAT_OPT}},
	{"project start", "mark a planned project started (it may then be paid)",
	 "--village CODE --code CODE --date YYYY-MM-DD", NULL, 1, cmd_project_start,
	 {VILLAGE_OPT, {"code", "CODE", "project code", 0}, {"date", "YYYY-MM-DD", "start date", 0}}},
	{"project pay", "pay a project tranche (预付/进度款/尾款/质保金)",
	 "--village CODE --project CODE --tranche T --payee NAME --amount YUAN --date D [--fund CODE]",
	 "Posts Dr ACCOUNT (default 153 在建工程) / Cr bank, both lines tagged with the project "
	 "and fund.  The database refuses payment past the budget or beyond the fund.",
	 1, cmd_project_pay,
	 {VILLAGE_OPT, {"project", "CODE", "project code", 0},
	  {"tranche", "T", "预付, 进度款, 尾款 or 质保金", 0}, {"payee", "NAME", "收款单位", 0},
	  {"amount", "YUAN", "amount", 0}, {"date", "YYYY-MM-DD", "date", 0},
	  {"fund", "CODE", "the fund paying (omit for the village's own money)", 0},
	  {"account", "ACCT", "what it is spent on (default 153)", 0},
	  {"bank", "ACCT", "paid from (default: first bank account)", 0},
	  {"summary", "TEXT", "摘要", 0}}},
	{"project accept", "accept a project (验收) and record the asset it forms",
	 "--village CODE --code CODE --date D --asset-kind 经营性|公益性|到户 [--asset-account ACCT]",
	 "A collective asset: Dr ACCT (default 151) / Cr 153, and Dr 专项应付款 / Cr 311 公积公益金 "
	 "for the earmarked part.  到户: 153 is settled against the holding account and 514.",
	 1, cmd_project_accept,
	 {VILLAGE_OPT, {"code", "CODE", "project code", 0}, {"date", "YYYY-MM-DD", "date", 0},
	  {"asset-kind", "KIND", "经营性, 公益性 or 到户", 0},
	  {"asset-account", "ACCT", "asset account (default 151)", 0}}},
	{"aid rule", "set a county's caps on anti-risk aid (防返贫基金)",
	 "--county CODE --per-person YUAN --per-household YUAN --times N [--min-endowment YUAN]",
	 NULL, 1, cmd_aid_rule,
	 {{"county", "CODE", "county code", 0}, {"per-person", "YUAN", "cap per aided person", 0},
	  {"per-household", "YUAN", "cap per household in a year", 0},
	  {"times", "N", "payments per household in a year", 0},
	  {"min-endowment", "YUAN", "endowment per village, e.g. 100000", 0}}},
	{"aid pay", "pay anti-risk aid to a household, with its application and reviews",
	 "--village CODE --fund CODE --household CODE --amount YUAN --date D --reason TEXT "
	 "--applicant NAME --township-review TEXT --county-record TEXT [--persons N]",
	 "Records the aid (村申请, 乡审核, 县备案) and posts Dr 专项应付款 / Cr bank.  The county's "
	 "caps are enforced by the database.",
	 1, cmd_aid_pay,
	 {VILLAGE_OPT, {"fund", "CODE", "the anti-risk fund", 0},
	  {"household", "CODE", "household code in the member register", 0},
	  {"persons", "N", "people aided (default 1)", 0}, {"amount", "YUAN", "amount", 0},
	  {"date", "YYYY-MM-DD", "date", 0}, {"reason", "TEXT", "why", 0},
	  {"applicant", "NAME", "who applied (村申请)", 0},
	  {"township-review", "TEXT", "the township's review (乡审核)", 0},
	  {"county-record", "TEXT", "the county's record (县备案)", 0},
	  {"bank", "ACCT", "paid from (default: first bank account)", 0}}},
	{"dividend plan", "compute a year's distribution (收益分配方案) without posting",
	 "--village CODE --year YYYY [--reserve PCT] [--welfare PCT] [--pool YUAN] [--on DATE]",
	 "Distributable income per §1.7 (earmarked subsidies excluded); 公积公益金 --reserve "
	 "(default 10%) and 福利 --welfare (default 0%) set aside, rounded half up; the rest, or "
	 "a smaller --pool, split by the shares in force on --on (default 31 December) by the "
	 "largest-remainder method.  Refused in a loss year or when nothing is distributable.",
	 1, cmd_dividend_plan,
	 {VILLAGE_OPT, {"year", "YYYY", "the year", 0}, {"reserve", "PCT", "公积公益金 rate", 0},
	  {"welfare", "PCT", "福利 rate", 0}, {"pool", "YUAN", "distribute less than the maximum", 0},
	  {"on", "YYYY-MM-DD", "shares in force on this day", 0}}},
	{"dividend post", "declare the distribution: post it and record every household's amount",
	 "--village CODE --year YYYY --date D [same options as plan]", NULL, 1, cmd_dividend_post,
	 {VILLAGE_OPT, {"year", "YYYY", "the year", 0}, {"date", "YYYY-MM-DD", "declaration date", 0},
	  {"reserve", "PCT", "公积公益金 rate", 0}, {"welfare", "PCT", "福利 rate", 0},
	  {"pool", "YUAN", "distribute less than the maximum", 0},
	  {"on", "YYYY-MM-DD", "shares in force on this day", 0}}},
	{"dividend pay", "pay declared dividends by bank, one voucher per household",
	 "--village CODE --year YYYY --date D [--household CODE ...] [--bank ACCT]", NULL, 1,
	 cmd_dividend_pay,
	 {VILLAGE_OPT, {"year", "YYYY", "the year", 0}, {"date", "YYYY-MM-DD", "payment date", 0},
	  {"household", "CODE", "only these households (default: every unpaid one)", 1},
	  {"bank", "ACCT", "paid from (default: first bank account)", 0}}},
	{"dividend show", "a declared distribution, with who is paid and who is not",
	 "--village CODE --year YYYY", NULL, 1, cmd_dividend_show,
	 {VILLAGE_OPT, {"year", "YYYY", "the year", 0}}},
	/* ---- end funds ---- */
	/* ---- statements (cmd_statement.c) ---- */
#define STATEMENT_OPTS                                                                             \
	VILLAGE_OPT, {"period", "P", "a month (2025-12), a quarter (2025Q4) or a year (2025)", 0},  \
	    {"format", "FMT", "text (default), xlsx or pdf (default: from --out's extension)", 0},  \
	    {"out", "FILE", "write here (needed for xlsx and pdf); text goes to stdout", 0}
	{"statement balance-sheet", "资产负债表 of a village: 年初数 and 期末数",
	 "--village CODE --period P [--format text|xlsx|pdf] [--out FILE]",
	 "Lines and formulas come from reports/layouts/balance_sheet_2023.layout (found at run "
	 "time: $CUNJI_LAYOUTS, the source tree, next to the binary, else a built-in copy); the "
	 "line items are not yet checked against the official 2023 format (docs/reports.md).  "
	 "内部往来 is shown on both sides, never netted.  If 资产总计 differs from 负债和所有者"
	 "权益总计 the statement is still written, with a note, and the command fails.",
	 1, cmd_statement_balance_sheet, {STATEMENT_OPTS}},
	{"statement income", "收益及收益分配表 of a village",
	 "--village CODE --period P [--format text|xlsx|pdf] [--out FILE]",
	 "Columns 本期数 and 本年累计数 (本年数 and 上年数 for a year); the year-end closing "
	 "vouchers are left out.  Layout: reports/layouts/income_2023.layout.  年末未分配收益 is "
	 "checked against the balances of 本年收益, 收益分配 and the unclosed income and expense "
	 "accounts.",
	 1, cmd_statement_income, {STATEMENT_OPTS}},
	{"statement balances", "科目余额表: opening, debits, credits, closing by account",
	 "--village CODE --period P [--format text|xlsx|pdf] [--out FILE]", NULL, 1,
	 cmd_statement_balances, {STATEMENT_OPTS}},
	{"statement detail", "收支明细表: income and expense by account, 本期 and 本年累计",
	 "--village CODE --period P [--format text|xlsx|pdf] [--out FILE]", NULL, 1,
	 cmd_statement_detail, {STATEMENT_OPTS}},
	{"statement ledger", "明细账 of one account: date, voucher, summary, debit, credit, balance",
	 "--village CODE --period P --account CODE [--format text|xlsx|pdf] [--out FILE]", NULL, 1,
	 cmd_statement_ledger,
	 {STATEMENT_OPTS, {"account", "CODE", "account code (a parent includes its sub-accounts)", 0}}},
	{"statement all", "the four statements of a village in one file (one PDF, one workbook)",
	 "--village CODE --period P [--format text|xlsx|pdf] [--out FILE]",
	 "资产负债表, 收益及收益分配表, 科目余额表 and 收支明细表, in that order.", 1,
	 cmd_statement_all, {STATEMENT_OPTS}},
#undef STATEMENT_OPTS
	/* ---- end statements ---- */
	/* ---- disclosure (cmd_disclose.c) ---- */
	{"disclose", "three-level disclosure sheets (三级公开) in XLSX and PDF, and their check",
	 "--level village|township|county --code CODE --period P --out DIR [--all] | --verify FILE",
	 "Village: 财务公开表 (every income and expense item, cash and bank, receivables and "
	 "payables, earmarked funds, anti-risk aid, the dividend list) and 项目资金公告公示表.  "
	 "Township: its villages side by side.  County: its townships, and each allocation "
	 "document by township.  --all adds every level below.  Files go to\n"
	 "  DIR/<county code> <name>/[<township code> <name>/]<code>-<name>-<period>.xlsx|.pdf\n"
	 "Each sheet's footer and document keywords carry a SHA-256 digest of the vouchers it "
	 "was made from; --verify FILE recomputes it and names what was posted since.  "
	 "Periods: 2025Q4, 2025-12 or 2025.  See docs/disclosure.md.",
	 1, cmd_disclose,
	 {{"level", "LEVEL", "village, township or county", 0},
	  {"code", "CODE", "the organisation's code", 0},
	  {"period", "P", "a quarter (2025Q4), a month (2025-12) or a year (2025)", 0},
	  {"out", "DIR", "write the file tree under DIR", 0},
	  {"all", NULL, "also every level below (a county: its townships and villages)", 0},
	  {"format", "LIST", "xlsx,pdf (default both); text prints the sheets on stdout", 0},
	  {"date", "YYYY-MM-DD", "公开日期 (default: the 15th of the month after the period)", 0},
	  {"jobs", "N", "processes making the village files (default: one per CPU)", 0},
	  {"verify", "FILE", "check a sheet (XLSX or PDF) against the books", 0}}},
	{"disclose hotline", "set the local supervision number disclosure sheets print",
	 "--code CODE --phone NUMBER",
	 "Sheets print 12317 and the nearest local number set on the village, its township or "
	 "its county; --phone '' clears it.",
	 1, cmd_disclose_hotline,
	 {{"code", "CODE", "a village, township or county", 0},
	  {"phone", "NUMBER", "e.g. 0795-4662345", 0}}},
	/* ---- end disclosure ---- */
	/* ---- import vouchers/opening (cmd_import.c) ---- */
	{"import vouchers", "import a file of voucher lines (CSV or XLSX), all or nothing",
	 "FILE [--dry-run]",
	 "One row per voucher line; rows with the same 凭证号 in a village and month form one "
	 "voucher.  "
	 "Columns are found by their header, in Chinese or English, in any order:\n"
	 "  村代码/village  日期/date  凭证号/voucher  摘要/summary  科目代码/account\n"
	 "  借方金额/debit  贷方金额/credit                                  (required)\n"
	 "  往来单位/counterparty  资金/fund  项目/project  外部编号/external_id\n"
	 "Amounts in yuan as written (1,200.50, full-width digits, (300.00)); a header such as "
	 "借方金额(万元) says the column is in 万元.  CSV may be UTF-8 (with or without BOM) or "
	 "GBK/GB18030, comma or tab separated.  Every problem is listed with its row and column "
	 "and then nothing is posted.  The same file imported again posts nothing; a voucher "
	 "already posted under its external id (default: YYYY-MM/凭证号) is skipped.  See "
	 "docs/importers.md.",
	 1, cmd_import_vouchers,
	 {{"dry-run", NULL, "check everything and show what would be posted; write nothing", 0},
	  {"preparer", "NAME", "制单人 on the vouchers (default: import)", 0},
	  {"file", "FILE", "the file (or give it as the argument)", 0}}},
	{"import opening", "import opening balances (期初余额) per village and account",
	 "FILE [--dry-run]",
	 "One row per village and account; each village's rows become its opening voucher, "
	 "dated the first day of its books (or 日期).  Columns:\n"
	 "  村代码/village  科目代码/account                                 (required)\n"
	 "  借方余额/debit and 贷方余额/credit, or 期初余额/balance [方向/side: 借 贷 平]\n"
	 "  日期/date  摘要/summary  往来单位/counterparty  资金/fund  项目/project\n"
	 "A 期初余额 without 方向 is on the account's normal side; a negative balance is on "
	 "the other.  Debits must equal credits in each village.  Balances go on leaf accounts "
	 "only.  A village's opening balances are posted once.",
	 1, cmd_import_opening,
	 {{"dry-run", NULL, "check everything and show what would be posted; write nothing", 0},
	  {"preparer", "NAME", "制单人 (default: import)", 0},
	  {"file", "FILE", "the file (or give it as the argument)", 0}}},
	{"import members", "import member households (same as 'member import')",
	 "FILE --village CODE [--dry-run]", "See 'cunji member import --help' for the columns.", 1,
	 cmd_import_members,
	 {VILLAGE_OPT, {"dry-run", NULL, "check the file and count; write nothing", 0},
	  {"file", "FILE", "the file (or give it as the argument)", 0}}},
	/* ---- end import vouchers/opening ---- */
	/* ---- import bank/funds, xlsx (cmd_import_bank.c) ---- */
	{"import bank", "post a bank statement (CSV or XLSX) as vouchers, by rules (all or nothing)",
	 "--village CODE --account BANKACCOUNT --rules RULES FILE [--dry-run]",
	 "Each row of the statement becomes a voucher between the bank account and the account "
	 "that the first matching rule names (docs/importers.md has the rules format; "
	 "importers/examples/ has a statement and its rules).  Columns are found by their "
	 "header: 交易日期/date, 收入金额/贷方发生额/in and 支出金额/借方发生额/out (or 交易金额/"
	 "amount), 余额/balance, 对方户名/counterparty, 摘要/用途/memo.  Rows that no rule "
	 "matches are all listed and nothing is posted.  The running balance is checked against "
	 "the ledger: the account's balance before the first row plus the movements must give "
	 "every row's 余额.  Importing the same statement again posts nothing new.",
	 1, cmd_import_bank,
	 {VILLAGE_OPT, {"account", "CODE", "the bank account the statement is for, e.g. 102001", 0},
	  {"rules", "FILE", "the rules file (UTF-8)", 0},
	  {"file", "FILE", "the statement, CSV (UTF-8 or GBK) or XLSX", 0},
	  {"preparer", "NAME", "制单人 (default: $USER)", 0},
	  {"dry-run", NULL, "check everything and show the vouchers; post nothing", 0}}},
	{"import funds", "add allocations and village funds from an allocation notice (下达文件)",
	 "FILE [--dry-run]",
	 "One row per village's part: 文号/doc_no, 日期/doc_date, 资金类型/kind, 来源级次/"
	 "source_level, 县代码/county, 村代码/village, 资金代码/fund, 金额/amount (required), and "
	 "资金名称/name, 用途/purpose, 允许科目/allowed_accounts, 允许项目类别/allowed_categories, "
	 "项目/project, 下达总额/total.  Rows with the same county and 文号 form one allocation.  "
	 "Every problem is reported with its row and column, and then nothing is written; the "
	 "whole file goes in one transaction.  Importing it again adds nothing.",
	 1, cmd_import_funds,
	 {{"file", "FILE", "the notice, CSV (UTF-8 or GBK) or XLSX", 0},
	  {"dry-run", NULL, "check everything (the inserts too, rolled back); write nothing", 0}}},
	/* ---- end import bank/funds ---- */
	{"check", "verify the books: kept totals equal the lines; voucher numbers have no gaps or jams", "", NULL, 1,
	 cmd_check, {{0}}},
	{"demo", "build a sample county with a year of books and print its trial balance",
	 "[--villages N] [--vouchers N] [--year YYYY] [--files DIR] [--disclosure DIR]",
	 "Each village gets a year of ordinary vouchers, written as one CSV file per township "
	 "(some in GBK) and imported; every third village a county 衔接 "
	 "allocation for a named project paid in tranches (most accepted, forming an asset); the "
	 "villages of four townships a 100,000-yuan anti-risk fund with a few aid payments; every "
	 "village a member register with shares and a year-end distribution declared and paid.  "
	 "It ends by writing the county's three-level disclosure sheets (XLSX and PDF) for the "
	 "last quarter and the year.  "
	 "Runs in its own database 'cunji_demo' of the embedded cluster (or the one --db names), "
	 "which it rebuilds each time; it replaces only a database it made itself, so it never "
	 "touches your books.  Look around afterwards with\n"
	 "  cunji --db cunji_demo tb --county 360925",
	 0, cmd_demo,
	 {{"villages", "N", "number of villages (default 75, over 11 townships)", 0},
	  {"vouchers", "N", "vouchers per village in the year (default 240)", 0},
	  {"year", "YYYY", "the demo year (default 2025)", 0},
	  {"files", "DIR", "where the generated CSV files go (default demo-out/import)", 0},
	  {"disclosure", "DIR", "where the disclosure sheets go (default demo-out/disclosure)", 0},
	  {"quiet", NULL, "print only the timings", 0}}},
	{"help", "show the commands, or one command's help", "[COMMAND]", NULL, 0, cmd_help,
	 {{0}}},
	{"version", "print the version", "", NULL, 0, cmd_version, {{0}}},
	{NULL, NULL, NULL, NULL, 0, NULL, {{0}}},
};

static int
cmd_version(cli *c, const cli_opts *o)
{
	(void)c;
	(void)o;
	printf("cunji %s\n", CUNJI_VERSION);
	return 0;
}

static void
print_commands(FILE *out, const char *group)
{
	size_t glen = group ? strlen(group) : 0;

	for (const cmd_spec *s = cj_commands; s->name; s++) {
		if (group && (strncmp(s->name, group, glen) || s->name[glen] != ' '))
			continue;
		fprintf(out, "  %-16s %s\n", s->name, s->summary);
	}
}

static void
print_overview(FILE *out)
{
	fputs("cunji - books for village collectives (村集体), double entry on PostgreSQL\n\n"
	      "usage: cunji [--db URL] COMMAND [OPTIONS]\n\ncommands:\n",
	      out);
	print_commands(out, NULL);
	fputs("\nWithout --db (or $CUNJI_DB) cunji runs its own PostgreSQL in $CUNJI_HOME\n"
	      "(default ~/.local/share/cunji, or /var/lib/cunji for root).\n"
	      "'cunji COMMAND --help' shows a command's options.\n",
	      out);
}

static const cmd_spec *
find_command(int argc, char **argv, int *words)
{
	char two[64];

	if (argc >= 2) {
		snprintf(two, sizeof two, "%s %s", argv[0], argv[1]);
		for (const cmd_spec *s = cj_commands; s->name; s++)
			if (!strcmp(s->name, two)) {
				*words = 2;
				return s;
			}
	}
	for (const cmd_spec *s = cj_commands; s->name; s++)
		if (!strcmp(s->name, argv[0])) {
			*words = 1;
			return s;
		}
	return NULL;
}

static int
is_group(const char *word)
{
	size_t n = strlen(word);

	for (const cmd_spec *s = cj_commands; s->name; s++)
		if (!strncmp(s->name, word, n) && s->name[n] == ' ')
			return 1;
	return 0;
}

static int
cmd_help(cli *c, const cli_opts *o)
{
	int words;
	const cmd_spec *s;

	(void)c;
	if (o->npos == 0) {
		print_overview(stdout);
		return 0;
	}
	s = find_command(o->npos, o->pos, &words);
	if (s && (words == o->npos || !is_group(o->pos[0]))) {
		cmd_print_help(s, stdout);
		return 0;
	}
	if (is_group(o->pos[0])) {
		printf("cunji %s commands:\n", o->pos[0]);
		print_commands(stdout, o->pos[0]);
		return 0;
	}
	return usage_error(NULL, "no command '%s'; see 'cunji help'", o->pos[0]);
}

int
fail_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("cunji: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_REFUSED;
}

int
fail_db(cli *c, const char *what)
{
	if (what && *what)
		return fail_msg("%s: %s", what, cj_db_errmsg(c->db));
	return fail_msg("%s", cj_db_errmsg(c->db));
}

int
cli_home(char *buf, size_t size)
{
	char err[512];

	if (cj_cluster_home(buf, size, err, sizeof err))
		return fail_msg("%s", err);
	return 0;
}

/* A bare word names a database in the embedded cluster. */
static int
is_db_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

int
cli_db(cli *c, cj_db **out)
{
	char home[PATH_MAX], err[1024];
	const char *target = c->db_arg;
	int embedded = !target || is_db_name(target), behind = 0;

	if (c->db) {
		*out = c->db;
		return 0;
	}
	if (embedded) {
		int status = cli_home(home, sizeof home);
		if (status)
			return status;
		if (cj_cluster_connect(home, target ? target : CJ_DEFAULT_DBNAME, &c->db, err,
				       sizeof err))
			return fail_msg("embedded database: %s", err);
	} else if (cj_db_connect(&c->db, target)) {
		fail_msg("cannot connect to the database: %s", cj_db_errmsg(c->db));
		cj_db_close(c->db);
		c->db = NULL;
		return EXIT_REFUSED;
	}
	/* one round trip; the embedded default brings itself up to date, init migrates itself */
	if (cj_db_check_schema(c->db, &behind) && !(behind && (embedded || c->initialising)))
		return fail_db(c, NULL);
	if (behind && !c->initialising && cj_db_migrate(c->db, NULL))
		return fail_db(c, "applying the schema");
	*out = c->db;
	return 0;
}

int
main(int argc, char **argv)
{
	cli c;
	cli_opts o;
	const cmd_spec *cmd;
	int words = 0, status, first = 1;
	const char *db_global = NULL;

	memset(&c, 0, sizeof c);
	c.tty = isatty(1);
	c.err_tty = isatty(2);

	/* global options before the command */
	while (first < argc && !strncmp(argv[first], "--", 2)) {
		if (!strcmp(argv[first], "--db") && first + 1 < argc) {
			db_global = argv[first + 1];
			first += 2;
		} else if (!strncmp(argv[first], "--db=", 5)) {
			db_global = argv[first] + 5;
			first++;
		} else if (!strcmp(argv[first], "--help")) {
			print_overview(stdout);
			return 0;
		} else if (!strcmp(argv[first], "--version")) {
			return cmd_version(&c, NULL);
		} else {
			return usage_error(NULL, "unknown option %s; see 'cunji help'", argv[first]);
		}
	}
	if (first >= argc) {
		print_overview(stderr);
		return EXIT_USAGE;
	}
	cmd = find_command(argc - first, argv + first, &words);
	if (!cmd) {
		if (is_group(argv[first])) {
			int help = first + 1 < argc && !strcmp(argv[first + 1], "--help");
			FILE *out = help ? stdout : stderr;
			if (!help)
				fprintf(stderr, "cunji: '%s' needs a subcommand\n", argv[first]);
			fprintf(out, "cunji %s commands:\n", argv[first]);
			print_commands(out, argv[first]);
			return help ? 0 : EXIT_USAGE;
		}
		return usage_error(NULL, "no command '%s'; see 'cunji help'", argv[first]);
	}
	status = opt_parse(cmd, argc - first - words, argv + first + words, &o);
	if (status) {
		opt_free(&o);
		return status;
	}
	if (opt_has(&o, "help")) {
		cmd_print_help(cmd, stdout);
		opt_free(&o);
		return 0;
	}
	if (o.npos > cmd_positional_args(cmd) && cmd->run != cmd_help) {
		status = usage_error(cmd, "unexpected argument '%s'", o.pos[cmd_positional_args(cmd)]);
		opt_free(&o);
		return status;
	}
	c.db_arg = opt_get(&o, "db");
	if (!c.db_arg)
		c.db_arg = db_global;
	if (!c.db_arg && getenv("CUNJI_DB") && *getenv("CUNJI_DB"))
		c.db_arg = getenv("CUNJI_DB");
	c.initialising = cmd->needs_db == 2;
	if (cmd->needs_db) {
		cj_db *db;
		status = cli_db(&c, &db);
	}
	/* after connecting: a server started now must not inherit the CSV's file */
	if (!status)
		status = out_csv_begin(&o);
	if (!status)
		status = cmd->run(&c, &o);
	status = out_csv_end(status);
	if (fflush(stdout) != 0 && !status)
		status = fail_msg("cannot write the output");
	cj_db_close(c.db);
	opt_free(&o);
	return status;
}
