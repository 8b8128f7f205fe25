/*
 * cli.h - the cunji command-line tool: command tables, options, output
 *
 * Each command is a row in a command table (table_*.c, one per area) with a
 * declarative option list; the same list drives parsing and `--help`, so
 * they cannot drift.  A command parses its options, makes one library call
 * and renders what comes back.  Commands return 0 (success), 1 (refused or
 * failed: message on stderr) or 2 (bad usage).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_CLI_H
#define CUNJI_CLI_H

#include <stdio.h>

#include <ledger/i18n.h>
#include <ledger/ledger.h>
#include <reports/report.h>

#define EXIT_REFUSED 1
#define EXIT_USAGE 2
#define OPT_MAX 24

typedef struct opt_spec {
	const char *name;    /* long option, without "--" */
	const char *metavar; /* NULL for a flag */
	const char *help;
	int repeat;          /* may be given more than once */
} opt_spec;

typedef struct cmd_spec cmd_spec;

typedef struct cli_opts {
	const cmd_spec *cmd;
	const char *val[OPT_MAX];   /* last value (or "1" for a flag) */
	const char **all[OPT_MAX];  /* every value of a repeatable option */
	int n[OPT_MAX];
	char **pos;                 /* positional arguments */
	int npos;
} cli_opts;

typedef struct cli {
	const char *db_arg; /* --db or CUNJI_DB; NULL for the embedded default */
	const char *user;   /* --user or CUNJI_USER; NULL: the default login */
	cj_db *db;
	int tty;            /* stdout is a terminal */
	int err_tty;        /* stderr is a terminal (progress) */
	int initialising;   /* the command is init: it applies the schema itself */
} cli;

struct cmd_spec {
	const char *name;    /* "post", "org add" */
	const char *summary; /* one line for `cunji help` */
	const char *usage;   /* arguments after the name */
	const char *details; /* extra paragraph for --help, may be NULL */
	int needs_db;        /* 1: a current schema; 2: any schema (init migrates) */
	int (*run)(cli *c, const cli_opts *o);
	opt_spec opts[OPT_MAX];
};

/* ---- opt.c ---- */
int opt_parse(const cmd_spec *cmd, int argc, char **argv, cli_opts *out);
void opt_free(cli_opts *o);
const char *opt_get(const cli_opts *o, const char *name);
/* every value of a repeatable option; *n set to the count */
const char **opt_all(const cli_opts *o, const char *name, int *n);
int opt_has(const cli_opts *o, const char *name);
void cmd_print_help(const cmd_spec *cmd, FILE *out);
/* usage error for a command: prints and returns EXIT_USAGE */
int usage_error(const cmd_spec *cmd, const char *fmt, ...) CJ_PRINTF(2, 3);

/* ---- i18n.c ---- */
/* The locale of the messages and where their catalogue is. */
void i18n_init(void);
/* an organisation's level (county, township, village) in the reader's language */
const char *tr_word(const char *w);

/* ---- main.c ---- */
/* Open the database (embedded default or --db) on first use. */
int cli_db(cli *c, cj_db **out);
/* Print "cunji: message" for a failed library call; returns EXIT_REFUSED. */
int fail_db(cli *c, const char *what);
int fail_msg(const char *fmt, ...) CJ_PRINTF(1, 2);
/* The embedded home, or an error printed and EXIT_REFUSED. */
int cli_home(char *buf, size_t size);
/* The database of the embedded cluster the command is about, or NULL when
 * --db names another server. */
const char *cli_embedded_db(const cli *c);

/* ---- password.c ---- */
/* Ask for a password on the terminal (/dev/tty), without echo: for login
 * (prompt "Password for LOGIN: "), twice when confirm.  0 or EXIT_REFUSED. */
int read_password(const char *login, int confirm, char *buf, size_t size);
/* The first line of stdin as a password (--password-stdin). */
int read_password_stdin(char *buf, size_t size);
/* A new password for login: --password-stdin, else asked twice on a terminal. */
int new_password(const cli_opts *o, const char *login, char *buf, size_t size);

/* ---- the command tables, by area, in the order `cunji help` lists them ---- */
extern const cmd_spec cj_cmds_books[];   /* table_books.c: database, orgs, posting, books */
extern const cmd_spec cj_cmds_members[]; /* table_members.c */
extern const cmd_spec cj_cmds_funds[];   /* table_funds.c: funds, projects, aid, dividends */
extern const cmd_spec cj_cmds_sheets[];  /* table_sheets.c: statements, disclosure */
extern const cmd_spec cj_cmds_import[];  /* table_import.c */
extern const cmd_spec cj_cmds_vouchers[]; /* table_vouchers.c: the voucher's path */
extern const cmd_spec cj_cmds_audit[];    /* table_audit.c: audit trail, verify (issue 15) */
extern const cmd_spec cj_cmds_inspect[];  /* table_inspect.c: warning rules, findings, officials */
extern const cmd_spec cj_cmds_workbench[]; /* table_workbench.c: search, household, evidence, dashboard */
extern const cmd_spec cj_cmds_access[];   /* table_access.c: passwords, the review setting */
extern const cmd_spec cj_cmds_anchor[];  /* table_anchor.c: the office key, anchor files */
extern const cmd_spec cj_cmds_web[];      /* table_web.c: cunji serve */
extern const cmd_spec cj_cmds_bank[];     /* table_bank.c: 银行存款余额调节表 */
int cmd_bank_statement(cli *c, const cli_opts *o);
int cmd_bank_match(cli *c, const cli_opts *o);
int cmd_bank_mark(cli *c, const cli_opts *o);
int cmd_bank_unmark(cli *c, const cli_opts *o);
int cmd_bank_unreconciled(cli *c, const cli_opts *o);
int cmd_bank_reconcile(cli *c, const cli_opts *o);

/* every table, in the order `cunji help` lists them (main.c) */
extern const cmd_spec *const cli_tables[];
extern const size_t cli_ntables;
/* ---- complete.c: bash completion and the man page, from the same tables ---- */
int cli_complete(int argc, char **argv); /* cunji __complete WORD... */
int cli_man(FILE *out);                  /* cunji help --man */

/* Options several tables share */
#define VILLAGE_OPT {"village", "CODE", N_("village code"), 0}
#define FORMAT_OPT                                                                           \
	{"format", "FMT", N_("text (default), csv or json"), 0},                              \
	{"encoding", "ENC",                                                                   \
	 N_("CSV: utf-8-bom (default into a file or onto a terminal), utf-8 (default into a " \
	    "pipe) or gbk"), 0}
#define PERIOD_HELP N_("2025, 2025Q4, 2025-12, 2025年第四季度, 2025年12月 or 2025-01..2025-06")

/* ---- out.c ---- */
/* Around a command run with --format csv: a BOM or GBK as --encoding says
 * (default: a BOM into a file or onto a terminal, none into a pipe); out.c. */
int out_csv_begin(const cli_opts *o);
int out_csv_end(int status);
/* "1,234.56" (grouped) or "" for zero when blank_zero */
const char *out_money(char buf[CJ_MONEY_FMT_MAX], int64_t fen, int blank_zero);

typedef enum out_format { OUT_TEXT, OUT_CSV, OUT_JSON, OUT_XLSX, OUT_PDF, OUT_NFORMATS } out_format;
/* text, csv or json (the formats of stdout) */
int out_format_parse(const char *s, out_format *f);
/* A report on stdout: text (cj_render_text), CSV or JSON of table (-1: all). */
int out_report(out_format fmt, const cj_report *r, long table);
/* What a report builder returned (its status err and report r), shown as
 * out_report shows it, then freed: a refusal is printed (exit 1); an
 * unbalanced statement (CJ_EUNBALANCED) is shown, then refused. */
int out_built(cli *c, out_format fmt, int err, cj_report *r, long table);

/*
 * Commands that write reports to --out FILE or stdout (statements, books,
 * the bank reconciliation) choose and write the format here, the same way:
 * out_file_format reads --format, else the --out file's extension, else
 * text, one of allowed (OUT_AS(OUT_XLSX) | ...), xlsx and pdf only with
 * --out (usage errors printed); out_write writes the reports in it (text,
 * CSV: every table, JSON: an array of the reports, onto stdout or into
 * --out; XLSX and PDF into --out), 0 or EXIT_REFUSED with the message.
 */
#define OUT_AS(f) (1u << (f))
#define OUT_SHEETS (OUT_AS(OUT_TEXT) | OUT_AS(OUT_XLSX) | OUT_AS(OUT_PDF))
#define OUT_ALL (OUT_SHEETS | OUT_AS(OUT_CSV) | OUT_AS(OUT_JSON))
int out_file_format(const cli_opts *o, unsigned allowed, out_format *f);
int out_write(const cli_opts *o, out_format f, const cj_report *const *reports, size_t n);

/* A progress line on stderr when it is a terminal; silent otherwise. */
void progress(cli *c, const char *what, long done, long total);
void progress_end(cli *c);

/* ---- args.c: option values read the same way everywhere (usage errors printed) ---- */
int arg_village(cli *c, const cli_opts *o, cj_org *out);
/* a date within the books' dates (cj_date_in_books); zero when absent */
int arg_books_date(const cli_opts *o, const char *name, cj_date *out, int required);
/* --format text|csv|json */
int arg_format(const cli_opts *o, out_format *out);
/* a period in the one syntax (<ledger/span.h>); untouched when absent */
int arg_span(const cli_opts *o, const char *name, cj_span *out, int required);
/* a period that must be one month, or one year */
int arg_month(const cli_opts *o, const char *name, cj_period *out, int required);
int arg_year(const cli_opts *o, const char *name, int *out, int required);
/* --period, --year or --from/--to (defaults: January of --to's year, this month) */
int arg_range(const cli_opts *o, cj_span *out);
/* a positive amount in yuan, into fen; *out untouched when absent */
int arg_money(const cli_opts *o, const char *name, int64_t *out, int required);
/* an option that must be there */
int arg_required(const cli_opts *o, const char *name, const char **out);
/* a posted voucher's number, "2025-03-7": its month and number */
int arg_voucher_number(const cli_opts *o, const char *name, cj_period *per, int *number);
/* every value of a repeatable option as positive ids (draft numbers); free *ids */
int arg_ids(const cli_opts *o, const char *name, int64_t **ids, size_t *n);

/* ---- commands ---- */
int cmd_init(cli *c, const cli_opts *o);
int cmd_check(cli *c, const cli_opts *o);
int cmd_db_status(cli *c, const cli_opts *o);
int cmd_db_stop(cli *c, const cli_opts *o);
int cmd_db_recover(cli *c, const cli_opts *o);
int cmd_db_url(cli *c, const cli_opts *o);
int cmd_db_backup(cli *c, const cli_opts *o);
int cmd_db_restore(cli *c, const cli_opts *o);
/* logins (cmd_user.c) */
int cmd_user_add(cli *c, const cli_opts *o);
int cmd_user_list(cli *c, const cli_opts *o);
int cmd_user_disable(cli *c, const cli_opts *o);
int cmd_user_scope_add(cli *c, const cli_opts *o);
int cmd_user_scope_remove(cli *c, const cli_opts *o);
/* passwords and the review setting (cmd_access.c) */
int cmd_user_password(cli *c, const cli_opts *o);
int cmd_setting_review(cli *c, const cli_opts *o);
int cmd_setting_check_url(cli *c, const cli_opts *o);
int cmd_setting_list(cli *c, const cli_opts *o);
int cmd_org_add(cli *c, const cli_opts *o);
int cmd_org_list(cli *c, const cli_opts *o);
int cmd_account_add(cli *c, const cli_opts *o);
int cmd_account_list(cli *c, const cli_opts *o);
int cmd_post(cli *c, const cli_opts *o);
int cmd_void(cli *c, const cli_opts *o);
int cmd_period_close(cli *c, const cli_opts *o);
int cmd_period_reopen(cli *c, const cli_opts *o);
int cmd_period_list(cli *c, const cli_opts *o);
int cmd_year_close(cli *c, const cli_opts *o);
int cmd_tb(cli *c, const cli_opts *o);
int cmd_ledger(cli *c, const cli_opts *o);
int cmd_export_journal(cli *c, const cli_opts *o);
int cmd_demo(cli *c, const cli_opts *o);
/* the voucher's path (cmd_voucher.c) */
int cmd_voucher_list(cli *c, const cli_opts *o);
int cmd_voucher_show(cli *c, const cli_opts *o);
int cmd_voucher_review(cli *c, const cli_opts *o);
int cmd_voucher_reject(cli *c, const cli_opts *o);
int cmd_voucher_post(cli *c, const cli_opts *o);
int cmd_voucher_delete(cli *c, const cli_opts *o);
int cmd_voucher_print(cli *c, const cli_opts *o);
/* end vouchers */
/* the inspector's workbench (cmd_inspect.c) */
int cmd_audit_scan(cli *c, const cli_opts *o);
int cmd_audit_rules(cli *c, const cli_opts *o);
int cmd_audit_rule_set(cli *c, const cli_opts *o);
int cmd_audit_mark(cli *c, const cli_opts *o);
int cmd_official_add(cli *c, const cli_opts *o);
int cmd_official_list(cli *c, const cli_opts *o);
int cmd_official_import(cli *c, const cli_opts *o);
/* end inspect */
/* the inspector's reads across villages (cmd_search.c, cmd_evidence.c) */
int arg_one_org(const cli_opts *o, const char **code);
int cmd_search(cli *c, const cli_opts *o);
int cmd_household(cli *c, const cli_opts *o);
int write_pdf_xlsx(cj_report *const *reports, size_t n, const char *pdf, const char *xlsx);
int cmd_audit_evidence(cli *c, const cli_opts *o);
int cmd_audit_dashboard(cli *c, const cli_opts *o);
/* the lights and findings per township and in all of a cj_audit_dashboard (the demo's too) */
void dashboard_summary(const cj_report *r);
/* end workbench */
int cmd_serve(cli *c, const cli_opts *o); /* cmd_serve.c */
int cmd_publish(cli *c, const cli_opts *o);      /* cmd_publish.c */
int cmd_publish_list(cli *c, const cli_opts *o); /* cmd_publish.c */
/* members (cmd_member.c) */
int cmd_member_add(cli *c, const cli_opts *o);
int cmd_member_bank(cli *c, const cli_opts *o);
int cmd_member_share(cli *c, const cli_opts *o);
int cmd_member_list(cli *c, const cli_opts *o);
int cmd_member_import(cli *c, const cli_opts *o);
/* end members */
/* funds (cmd_fund.c), projects and aid (cmd_project.c), dividends (cmd_dividend.c) */
int cmd_fund_add(cli *c, const cli_opts *o);
int cmd_fund_allocate(cli *c, const cli_opts *o);
int cmd_fund_list(cli *c, const cli_opts *o);
/* cmd_audit.c */
int cmd_audit_verify(cli *c, const cli_opts *o);
int cmd_audit_log(cli *c, const cli_opts *o);
int cmd_fund_show(cli *c, const cli_opts *o);
int cmd_fund_trace(cli *c, const cli_opts *o);
int cmd_fund_close(cli *c, const cli_opts *o);
int cmd_project_add(cli *c, const cli_opts *o);
int cmd_project_list(cli *c, const cli_opts *o);
int cmd_project_start(cli *c, const cli_opts *o);
int cmd_project_pay(cli *c, const cli_opts *o);
int cmd_project_accept(cli *c, const cli_opts *o);
int cmd_aid_rule(cli *c, const cli_opts *o);
int cmd_aid_pay(cli *c, const cli_opts *o);
int cmd_dividend_plan(cli *c, const cli_opts *o);
int cmd_dividend_post(cli *c, const cli_opts *o);
int cmd_dividend_pay(cli *c, const cli_opts *o);
int cmd_dividend_show(cli *c, const cli_opts *o);
/* end funds */
/* statements (cmd_statement.c) */
int cmd_statement_balance_sheet(cli *c, const cli_opts *o);
int cmd_statement_income(cli *c, const cli_opts *o);
int cmd_statement_balances(cli *c, const cli_opts *o);
int cmd_statement_detail(cli *c, const cli_opts *o);
int cmd_statement_ledger(cli *c, const cli_opts *o);
int cmd_statement_all(cli *c, const cli_opts *o);
/* end statements */
/* books (cmd_book.c) */
int cmd_book(cli *c, const cli_opts *o);
/* end books */
/* the chains' anchors (cmd_anchor.c) */
int cmd_audit_key_new(cli *c, const cli_opts *o);
int cmd_audit_key_show(cli *c, const cli_opts *o);
int cmd_audit_anchor_export(cli *c, const cli_opts *o);
int cmd_audit_anchor_verify(cli *c, const cli_opts *o);
/* Check anchor files and sheets (for audit verify --anchors/--sheet too):
 * prints one line per finding on stdout, what held and what was checked on
 * info, counts the findings; 0, or the exit status of a failure. */
int anchor_verify(cli *c, const char *const *anchors, int nanchors, const char *const *sheets, int nsheets,
		  const char *key, FILE *info, long *findings);

/* disclosure (cmd_disclose.c) */
int cmd_disclose(cli *c, const cli_opts *o);
int cmd_disclose_hotline(cli *c, const cli_opts *o);
/* end disclosure */
/* imports (cmd_import*.c): vouchers, opening balances, members, bank statements, funds */
int cmd_import_vouchers(cli *c, const cli_opts *o);
int cmd_import_opening(cli *c, const cli_opts *o);
int cmd_import_members(cli *c, const cli_opts *o);
int cmd_import_bank(cli *c, const cli_opts *o);
int cmd_import_funds(cli *c, const cli_opts *o);
/* Import a voucher (or opening-balance) file with opts, printing its problems
 * and summary; name is the file as messages call it.  cunji post --file too. */
struct cj_import_opts;
int import_run(cli *c, const char *path, const char *name, int opening,
	       struct cj_import_opts *opts);
/* the member import, for 'member import --file' and 'import members FILE':
 * o must offer --village and --dry-run (cmd_import_members.c) */
int member_import_file(cli *c, const cli_opts *o, const char *path);
/* how many positional arguments (FILE) a command takes: 0 for most */
int cmd_positional_args(const cmd_spec *cmd);
/* What every import command shares (cmd_import.c): the libraries' callbacks
 * printing problems and notes on stderr ("cunji: FILE: row N, column C:
 * ..."), with a progress bar on a terminal for a large file at path. */
typedef struct import_ui {
	cli *c;
	int bar;    /* show progress */
	int shown;  /* a progress line is on the screen */
} import_ui;
cj_callbacks import_ui_begin(import_ui *u, cli *c, const char *path);
void import_ui_end(import_ui *u);
/* FILE as the argument or --file (*path NULL when neither); a usage error
 * when both are given */
int import_file_arg(const cli_opts *o, const char **path);
/* The file an import reads: "-" is standard input, copied to a temporary
 * file (an importer reads a file more than once) and named "stdin";
 * sheet is --sheet when the command offers it. */
typedef struct import_src {
	const char *path, *name, *sheet;
	char tmp[4096];
} import_src;
int import_src_open(import_src *s, const cli_opts *o, const char *arg);
void import_src_close(import_src *s);
#define SHEET_OPT                                                                      \
	{"sheet", "NAME|N", N_("the worksheet of an XLSX file, by name or number (default: the " \
			       "first)"), 0}
/* end imports */
/* many villages at once and confirmations (cmd_batch.c) */
int batch_wanted(const cli_opts *o); /* --township or --villages given */
struct cj_org;
int batch_run(cli *c, const cli_opts *o, const char *what,
	      int (*step)(cj_db *, const struct cj_org *, void *, char *, size_t), void *ctx,
	      int irreversible);
enum { BATCH_IRREVERSIBLE = 1, /* ask first (confirm) */
       BATCH_STEP_DRY_RUN = 2   /* --dry-run is the step's own (it checks and takes back) */ };
int batch_run_to(cli *c, const cli_opts *o, const char *what,
		 int (*step)(cj_db *, const struct cj_org *, void *, char *, size_t), void *ctx,
		 int flags, FILE *summary);
/* the villages of township (NULL: none) and of codes, with batch_run_to's flags */
int batch_run_list(cli *c, const cli_opts *o, const char *township, const char *const *codes,
		   size_t ncodes, const char *what,
		   int (*step)(cj_db *, const struct cj_org *, void *, char *, size_t), void *ctx,
		   int flags, FILE *summary);
/* what cannot be undone: --yes, else asked on a terminal, else refused (usage) */
int confirm(const cli_opts *o, const char *what);
#define BATCH_OPTS                                                                          \
	{"township", "CODE", N_("every village of this township (or county)"), 0},                \
	{"villages", "CODE,CODE", N_("these villages (with or without --township)"), 1},          \
	{"yes", NULL, N_("do it without asking (scripts)"), 0},                                   \
	{"dry-run", NULL, N_("show what would be done; do nothing"), 0}
struct cj_bank_import_opts;
/* import bank of many villages, one rules file (cmd_import_bank_many.c) */
int import_bank_many(cli *c, const cli_opts *o, const struct cj_bank_import_opts *bo);
/* end batch */

/* cmd_project.c: a ledger action under review made drafts (one batch):
 * says so, with their numbers, and what takes effect once they are posted. */
void print_action_drafts(const cj_org *v, const cj_submitted *s, size_t n, const char *what);

#endif
