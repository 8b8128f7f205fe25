/*
 * bank_recon.c - 银行存款余额调节表 (bank_recon.h): the figures of
 * cj_bank_reconcile laid out as the form a bookkeeper knows, two sides
 * that end equal, and the outstanding lines behind them.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include <ledger/account.h>
#include <ledger/i18n.h>
#include <ledger/money.h>
#include <ledger/org.h>
#include <reports/bank_recon.h>

/* The labels of each kind of outstanding line (cj_bank_side order). */
static const char *const side_label[4] = {"银行已收、企业未收", "银行已付、企业未付",
					  "企业已收、银行未收", "企业已付、银行未付"};

static int
summary_table(cj_report *r, const cj_bank_recon *b)
{
	cj_table *t = cj_report_table(r, "余额调节表", 0);
	long row[4];
	static const cj_term terms[3] = {{0, 1}, {1, 1}, {2, -1}};

	if (!t || cj_table_column(r, t, "企业账面", "项目", CJ_COL_TEXT, 26) ||
	    cj_table_column(r, t, "企业账面", "金额", CJ_COL_MONEY, 16) ||
	    cj_table_column(r, t, "银行对账单", "项目", CJ_COL_TEXT, 26) ||
	    cj_table_column(r, t, "银行对账单", "金额", CJ_COL_MONEY, 16) ||
	    cj_table_keys(r, t, "ledger_item,ledger,bank_item,bank"))
		return -1;
	for (int i = 0; i < 3; i++)
		if ((row[i] = cj_table_row(r, t, CJ_ROW_DATA, 0)) < 0)
			return -1;
	if ((row[3] = cj_table_row(r, t, CJ_ROW_TOTAL, 0)) < 0)
		return -1;
	if (cj_table_text(r, t, row[0], 0, "企业银行存款日记账余额") ||
	    cj_table_text(r, t, row[0], 2, "银行对账单余额") ||
	    cj_table_text(r, t, row[1], 0, "加：%s", side_label[CJ_BANK_BANK_IN]) ||
	    cj_table_text(r, t, row[1], 2, "加：%s", side_label[CJ_BANK_LEDGER_IN]) ||
	    cj_table_text(r, t, row[2], 0, "减：%s", side_label[CJ_BANK_BANK_OUT]) ||
	    cj_table_text(r, t, row[2], 2, "减：%s", side_label[CJ_BANK_LEDGER_OUT]) ||
	    cj_table_text(r, t, row[3], 0, "调节后的存款余额") ||
	    cj_table_text(r, t, row[3], 2, "调节后的存款余额"))
		return -1;
	cj_table_number(t, row[0], 1, b->ledger_fen);
	cj_table_number(t, row[0], 3, b->statement_fen);
	cj_table_number(t, row[1], 1, b->sum[CJ_BANK_BANK_IN]);
	cj_table_number(t, row[1], 3, b->sum[CJ_BANK_LEDGER_IN]);
	cj_table_number(t, row[2], 1, b->sum[CJ_BANK_BANK_OUT]);
	cj_table_number(t, row[2], 3, b->sum[CJ_BANK_LEDGER_OUT]);
	cj_table_number(t, row[3], 1, b->ledger_adjusted);
	cj_table_number(t, row[3], 3, b->statement_adjusted);
	return cj_table_terms(r, t, row[3], terms, 3);
}

static int
items_table(cj_report *r, const cj_bank_recon *b)
{
	cj_table *t = cj_report_table(r, "未达账项明细", 0);
	char day[16];
	size_t i = 0;

	if (!t || cj_table_column(r, t, NULL, "日期", CJ_COL_DATE, 10) ||
	    cj_table_column(r, t, NULL, "凭证号/对账单行", CJ_COL_TEXT, 14) ||
	    cj_table_column(r, t, NULL, "摘要", CJ_COL_TEXT, 40) ||
	    cj_table_column(r, t, NULL, "金额", CJ_COL_MONEY, 16) ||
	    cj_table_keys(r, t, "date,ref,summary,amount"))
		return -1;
	for (int side = 0; side < 4; side++) {
		long head = cj_table_row(r, t, CJ_ROW_HEADING, 0), first = -1, last = -1;
		if (head < 0 || cj_table_text(r, t, head, 0, "%s", side_label[side]))
			return -1;
		for (; i < b->nitems && (int)b->items[i].side == side; i++) {
			const cj_bank_item *it = &b->items[i];
			long row = cj_table_row(r, t, CJ_ROW_DATA, 1);
			if (row < 0)
				return -1;
			cj_date_format(day, sizeof day, it->date);
			if (cj_table_text(r, t, row, 0, "%s", day) ||
			    (it->statement_id ? cj_table_text(r, t, row, 1, "对账单第%lld行",
							      (long long)it->statement_id)
					      : cj_table_text(r, t, row, 1, "%s", it->voucher)) ||
			    cj_table_text(r, t, row, 2, "%s", it->summary))
				return -1;
			cj_table_number(t, row, 3, it->fen);
			if (first < 0)
				first = row;
			last = row;
		}
		if (first < 0) {
			long row = cj_table_row(r, t, CJ_ROW_DATA, 1);
			if (row < 0 || cj_table_text(r, t, row, 2, "（无）"))
				return -1;
			cj_table_number(t, row, 3, 0);
			first = last = row;
		}
		if (cj_table_total(r, t, CJ_ROW_SUBTOTAL, 2, "小计", first, last) < 0)
			return -1;
	}
	return 0;
}

int
cj_report_bank_recon(cj_db *db, const char *village, const char *account, cj_period month,
		     cj_report **out)
{
	cj_org v;
	cj_bank_recon b;
	cj_report *r;
	char acct[16], diff[CJ_MONEY_FMT_MAX], check[256];
	cj_date end = {month.year, month.month, cj_days_in_month(month.year, month.month)};
	int err;

	*out = NULL;
	if ((err = cj_village_find(db, village, &v)) ||
	    (err = cj_account_resolve(db, v.id, account, acct, sizeof acct)))
		return err;
	if (strncmp(acct, "102", 3))
		return cj_db_fail(db, CJ_EINVAL,
				  _("account %s: a reconciliation is of a bank account (102 银行存款 or "
				    "one under it)"),
				  acct);
	if ((err = cj_bank_reconcile(db, v.id, acct, end, &b)))
		return err;
	r = cj_report_new("银行存款余额调节表");
	err = !r || cj_report_subtitle(r, "编制单位：%s    账户：%s %s", v.name, b.account,
				       b.account_name) ||
	      cj_report_subtitle(r, "%d年%d月%d日    单位：元", end.year, end.month, end.day) ||
	      summary_table(r, &b) || items_table(r, &b) ||
	      cj_report_note(r, "对账单自%d年%d月%d日起，截至本月末共%zu行，已对账%zu行。",
			     b.start.year, b.start.month, b.start.day, b.statement_lines,
			     b.reconciled);
	if (!err && b.ledger_adjusted != b.statement_adjusted) {
		cj_money_format(diff, sizeof diff,
				cj_money_from_fen(b.ledger_adjusted - b.statement_adjusted),
				CJ_MONEY_FMT_GROUPED);
		err = cj_report_note(r, "调节后余额不相等，相差%s元：请查对未达账项和记账错误。", diff);
	} else if (!err) {
		err = cj_report_note(r, "调节后余额相等。");
	}
	err = err || cj_report_signature(r, "会计：") || cj_report_signature(r, "出纳：") ||
	      cj_report_signature(r, "审核：");
	if (!err && cj_report_check(r, check, sizeof check))
		err = -1;
	cj_bank_recon_free(&b);
	if (err) {
		cj_report_free(r);
		return cj_db_fail(db, CJ_ENOMEM, _("building the reconciliation: %s"),
				  r ? check : _("out of memory"));
	}
	*out = r;
	if (b.ledger_adjusted != b.statement_adjusted)
		return cj_db_fail(db, CJ_EUNBALANCED,
				  _("the adjusted balances differ by %s yuan: look for an outstanding line "
				    "not paired or a posting error"),
				  diff);
	return 0;
}
