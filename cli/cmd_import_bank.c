/*
 * cmd_import_bank.c - import bank: a statement posted through rules
 *
 * The work is cj_import_bank (importers/bank_import.h); this prints its
 * problems (cmd_import.c) and what it posted, or with --dry-run every row
 * and the voucher it would make.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>

#include <importers/bank_import.h>

#include "cli.h"

static void
print_rows(const cj_bank_import_result *r)
{
	char m[CJ_MONEY_FMT_MAX];

	fputs("row   date       ", stdout);
	out_pad(stdout, "收入 in", 14, 1);
	out_pad(stdout, "支出 out", 15, 1);
	out_pad(stdout, "余额 balance", 15, 1);
	fputs("  account  摘要 summary\n", stdout);
	for (size_t i = 0; i < r->nrows; i++) {
		const cj_bank_import_row *row = &r->rows[i];
		char d[16];
		cj_date_format(d, sizeof d, row->date);
		printf("%-5zu %-10s ", row->row, d);
		out_pad(stdout, out_money(m, row->in_fen, 1), 14, 1);
		out_pad(stdout, out_money(m, row->out_fen, 1), 15, 1);
		out_pad(stdout, out_money(m, row->balance_fen, 0), 15, 1);
		printf("  %-8s %s%s\n", row->account, row->summary,
		       row->existed ? "  (already imported)" : "");
	}
}

static void
print_result(const char *path, const cj_bank_import_result *r, int dry_run)
{
	const cj_bank_import_row *first = &r->rows[0], *last = &r->rows[r->nrows - 1];
	char a[CJ_MONEY_FMT_MAX], b[CJ_MONEY_FMT_MAX], e[CJ_MONEY_FMT_MAX], d[16];

	if (dry_run) {
		cj_date_format(d, sizeof d, first->date);
		printf("%s (%s): would post %zu voucher%s (%zu already imported); %s opening %s "
		       "before %s\n",
		       path, r->encoding, r->posted, r->posted == 1 ? "" : "s", r->existing,
		       r->account, out_money(a, r->opening_fen, 0), d);
		print_rows(r);
		printf("in %s, out %s; the statement's balances agree with the ledger's %s\n",
		       out_money(a, r->in_fen, 0), out_money(b, r->out_fen, 0), r->account);
		return;
	}
	if (!r->posted) {
		printf("%s (%s): nothing new: the %zu row%s of the statement %s already posted; "
		       "%s %s ends at %s as the statement does\n",
		       path, r->encoding, r->nrows, r->nrows == 1 ? "" : "s",
		       r->nrows == 1 ? "is" : "are", r->account, r->account_name,
		       out_money(a, last->balance_fen, 0));
		return;
	}
	printf("%s (%s): posted %zu voucher%s", path, r->encoding, r->posted,
	       r->posted == 1 ? "" : "s");
	if (r->posted == 1)
		printf(" (%s)", r->first);
	else
		printf(" (%s ... %s)", r->first, r->last);
	printf(", %zu already imported; in %s, out %s; %s %s ends at %s as the statement does\n",
	       r->existing, out_money(a, r->new_in_fen, 0), out_money(b, r->new_out_fen, 0),
	       r->account, r->account_name, out_money(e, last->balance_fen, 0));
}

int
cmd_import_bank(cli *c, const cli_opts *o)
{
	cj_bank_import_opts bo = {0};
	cj_bank_import_result r;
	import_ui ui;
	const char *path;
	int status = import_file_arg(o, &path);

	if (status)
		return status;
	bo.village = opt_get(o, "village");
	bo.account = opt_get(o, "account");
	bo.rules = opt_get(o, "rules");
	if (!path || !bo.rules || !bo.account)
		return usage_error(o->cmd, "--file, --rules and --account are required");
	if (!bo.village)
		return usage_error(o->cmd, "--village is required");
	bo.preparer = opt_get(o, "preparer") ? opt_get(o, "preparer") : getenv("USER");
	bo.dry_run = opt_has(o, "dry-run");
	bo.cb = import_ui_begin(&ui, c, path);
	if (cj_import_bank(c->db, path, &bo, &r))
		status = fail_msg("%s", cj_db_errmsg(c->db));
	else
		print_result(path, &r, bo.dry_run);
	import_ui_end(&ui);
	cj_bank_import_result_dispose(&r);
	return status;
}
