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
#include <string.h>

#include <importers/bank_import.h>

#include "cli.h"

/* Every row and the voucher it would make, as a table of the one renderer. */
static int
print_rows(const cj_bank_import_result *r)
{
	static const char *const titles[] = {"行", "日期", "收入", "支出", "余额", "对方科目", "摘要"};
	static const cj_col_type types[] = {CJ_COL_INT,   CJ_COL_DATE, CJ_COL_MONEY, CJ_COL_MONEY,
					    CJ_COL_MONEY, CJ_COL_TEXT, CJ_COL_TEXT};
	cj_report *rep = cj_report_new("银行对账单");
	cj_table *t = rep ? cj_report_table(rep, "银行对账单", 1) : NULL;
	int err = !t || cj_report_subtitle(rep, "科目：%s %s    单位：元", r->account, r->account_name);

	for (size_t c = 0; !err && c < sizeof titles / sizeof titles[0]; c++)
		err = cj_table_column(rep, t, NULL, titles[c], types[c], 0);
	for (size_t i = 0; !err && i < r->nrows; i++) {
		const cj_bank_import_row *row = &r->rows[i];
		char d[16];
		long k = cj_table_row(rep, t, CJ_ROW_DATA, 0);

		cj_date_format(d, sizeof d, row->date);
		err = k < 0 || cj_table_text(rep, t, k, 1, "%s", d) ||
		      cj_table_text(rep, t, k, 5, "%s", row->account) ||
		      cj_table_text(rep, t, k, 6, "%s%s", row->summary,
				    row->existed ? "（已导入）" : "");
		if (err)
			break;
		cj_table_number(t, k, 0, (int64_t)row->row);
		if (row->in_fen)
			cj_table_number(t, k, 2, row->in_fen);
		if (row->out_fen)
			cj_table_number(t, k, 3, row->out_fen);
		cj_table_number(t, k, 4, row->balance_fen);
	}
	err = err ? fail_msg(_("out of memory")) : out_report(OUT_TEXT, rep, -1);
	cj_report_free(rep);
	return err;
}

static int
print_result(const char *path, const cj_bank_import_result *r, int dry_run)
{
	const cj_bank_import_row *first = &r->rows[0], *last = &r->rows[r->nrows - 1];
	char a[CJ_MONEY_FMT_MAX], b[CJ_MONEY_FMT_MAX], e[CJ_MONEY_FMT_MAX], d[16];

	if (dry_run) {
		cj_date_format(d, sizeof d, first->date);
		printf(_("%s (%s): would post %zu voucher%s (%zu already imported); %s opening %s "
		       "before %s\n"),
		       path, r->encoding, r->posted, r->posted == 1 ? "" : "s", r->existing,
		       r->account, out_money(a, r->opening_fen, 0), d);
		if (print_rows(r))
			return EXIT_REFUSED;
		printf(_("in %s, out %s; the statement's balances agree with the ledger's %s\n"),
		       out_money(a, r->in_fen, 0), out_money(b, r->out_fen, 0), r->account);
		return 0;
	}
	if (!r->posted) {
		printf(_("%s (%s): nothing new: the %zu row%s of the statement %s already posted; "
		       "%s %s ends at %s as the statement does\n"),
		       path, r->encoding, r->nrows, r->nrows == 1 ? "" : "s",
		       r->nrows == 1 ? "is" : "are", r->account, r->account_name,
		       out_money(a, last->balance_fen, 0));
		return 0;
	}
	printf(_("%s (%s): posted %zu voucher%s"), path, r->encoding, r->posted,
	       r->posted == 1 ? "" : "s");
	if (r->posted == 1)
		printf(" (%s)", r->first);
	else
		printf(" (%s ... %s)", r->first, r->last);
	printf(_(", %zu already imported; in %s, out %s; %s %s ends at %s as the statement does\n"),
	       r->existing, out_money(a, r->new_in_fen, 0), out_money(b, r->new_out_fen, 0),
	       r->account, r->account_name, out_money(e, last->balance_fen, 0));
	if (r->batch_id)
		printf(_("review required: the vouchers are drafts of batch %lld; another login reviews "
		       "them (cunji voucher review --batch %lld), then they are posted (cunji voucher "
		       "post --batch %lld)\n"),
		       (long long)r->batch_id, (long long)r->batch_id, (long long)r->batch_id);
	return 0;
}

int
cmd_import_bank(cli *c, const cli_opts *o)
{
	cj_bank_import_opts bo = {0};
	cj_bank_import_result r;
	import_ui ui;
	import_src src;
	const char *path;
	int status, many = batch_wanted(o);

	bo.account = opt_get(o, "account");
	bo.rules = opt_get(o, "rules");
	bo.preparer = opt_get(o, "preparer") ? opt_get(o, "preparer") : getenv("USER");
	bo.dry_run = opt_has(o, "dry-run");
	bo.sheet = opt_get(o, "sheet");
	for (int i = 0; i < o->npos && !many; i++)
		many = strchr(o->pos[i], '=') != NULL;
	if (many) {
		if (!bo.rules || !bo.account)
			return usage_error(o->cmd, _("--rules and --account are required"));
		return import_bank_many(c, o, &bo);
	}
	if (o->npos > 1)
		return usage_error(o->cmd, _("unexpected argument '%s'"), o->pos[1]);
	if ((status = import_file_arg(o, &path)))
		return status;
	bo.village = opt_get(o, "village");
	if (!path || !bo.rules || !bo.account)
		return usage_error(o->cmd, _("--file, --rules and --account are required"));
	if (!bo.village)
		return usage_error(o->cmd, _("--village is required"));
	if ((status = import_src_open(&src, o, path)))
		return status;
	bo.name = src.name;
	bo.sheet = src.sheet;
	bo.cb = import_ui_begin(&ui, c, src.path);
	if (cj_import_bank(c->db, src.path, &bo, &r))
		status = fail_msg("%s", cj_db_errmsg(c->db));
	else
		status = print_result(src.name, &r, bo.dry_run);
	import_ui_end(&ui);
	import_src_close(&src);
	cj_bank_import_result_dispose(&r);
	return status;
}
