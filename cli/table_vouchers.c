/*
 * table_vouchers.c - the commands of the voucher's path: 制单 (cunji post,
 * the imports) → 审核 (voucher review) → 记账 (voucher post), and seeing
 * vouchers (voucher list, voucher show)
 *
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

#define DRAFT_OPT {"draft", "N", N_("a draft, by its number (草稿N)"), 1}

const cmd_spec cj_cmds_vouchers[] = {
	{"voucher list", N_("list vouchers, posted and drafts, by village, period, account, amount ..."),
	 "[--village CODE | --township CODE | --county CODE] [--period P] [--account CODE] "
	 "[--min AMOUNT] [--max AMOUNT] [--counterparty TEXT] [--fund CODE] [--project CODE] "
	 "[--state S] [--preparer LOGIN] [--batch N] [--limit N] [--format text|csv|json]",
	 N_("Posted vouchers first (by village, month and number), then drafts.  --state is "
	 "draft (待审核), rejected (已退回), reviewed (已审核) or posted (已记账).  --account takes "
	 "a voucher with a line on that account or one under it; --min and --max compare the "
	 "voucher's 合计 (a red reversal by its size); --counterparty matches part of a line's.  "
	 "Periods: " "2025, 2025Q4, 2025-12, 2025年第四季度, 2025年12月 or 2025-01..2025-06" "."),
	 1, cmd_voucher_list,
	 {VILLAGE_OPT, {"township", "CODE", N_("its villages"), 0}, {"county", "CODE", N_("its villages"), 0},
	  {"period", "P", N_("voucher dates in these months"), 0},
	  {"account", "CODE", N_("a line on this account (or under it)"), 0},
	  {"min", "AMOUNT", N_("合计 at least (yuan)"), 0}, {"max", "AMOUNT", N_("合计 at most (yuan)"), 0},
	  {"counterparty", "TEXT", N_("a line's counterparty contains this"), 0},
	  {"fund", "CODE", N_("a line tagged with this fund"), 0},
	  {"project", "CODE", N_("a line tagged with this project"), 0},
	  {"state", "S", N_("draft, rejected, reviewed or posted"), 0},
	  {"preparer", "LOGIN", N_("prepared by this login"), 0},
	  {"batch", "N", N_("the drafts of one file (cunji post --file, import)"), 0},
	  {"limit", "N", N_("at most N vouchers"), 0}, FORMAT_OPT}},
	{"voucher show", N_("one voucher: its lines, state, who prepared, reviewed and posted it"),
	 "--village CODE (--number YYYY-MM-N | --draft N) [--format text|csv|json]",
	 N_("Shows 单位, 日期, 记字第N号, 附单据, every line with 总账科目 and 明细科目, 合计, what it "
	 "reverses or what reverses it, and each step (制单, 审核, 记账, the last 标错 and its "
	 "reason) with the login's name and the time."),
	 1, cmd_voucher_show,
	 {VILLAGE_OPT, {"number", "YYYY-MM-N", N_("a posted voucher, e.g. 2025-03-7"), 0},
	  DRAFT_OPT, FORMAT_OPT}},
	{"voucher review", N_("审核: review drafts, or a file's drafts as a whole"),
	 "--village CODE --draft N [--draft N ...] | --batch N",
	 N_("Another login than the preparer reviews (the database refuses the preparer).  With "
	 "--batch, the batch's drafts awaiting review are listed, then reviewed together, all or "
	 "nothing."),
	 1, cmd_voucher_review,
	 {VILLAGE_OPT, DRAFT_OPT, {"batch", "N", N_("every draft of the batch awaiting review"), 0}}},
	{"voucher reject", N_("标错: send a draft back to its preparer, with the reason"),
	 "--village CODE --draft N --reason TEXT",
	 N_("The reason is kept.  The preparer corrects the draft (or deletes it); it then awaits "
	 "review again."),
	 1, cmd_voucher_reject,
	 {VILLAGE_OPT, DRAFT_OPT, {"reason", "TEXT", N_("what is wrong"), 0}}},
	{"voucher post", N_("记账: post reviewed drafts into the books, with their numbers"),
	 "--village CODE --draft N [--draft N ...] | --batch N",
	 N_("Each gets the next number (记字第N号) of its village and month, in date order, so "
	 "deleted drafts leave no gap; the database records who prepared, reviewed and posted "
	 "it.  With --batch every draft of the batch must be reviewed."),
	 1, cmd_voucher_post,
	 {VILLAGE_OPT, DRAFT_OPT, {"batch", "N", N_("every draft of the batch"), 0}}},
	{"voucher print", N_("记账凭证 as PDF: a voucher, a range of numbers, a month, or drafts"),
	 "--village CODE (--number YYYY-MM-N | --from YYYY-MM-N --to YYYY-MM-N | --period P "
	 "[--drafts] | --draft N ...) --out FILE.pdf [--per-page 2|3]",
	 N_("Each voucher on the standard form: 单位, 日期, 记字第N号, 附单据N张, 摘要, 总账科目 and "
	 "明细科目, 借方金额, 贷方金额, 合计 with the amount in 大写, and the signatures 会计主管, "
	 "记账, 审核, 出纳, 制单 with the names of the logins that posted, reviewed and prepared it "
	 "(会计主管 and 出纳 sign by hand).  Three forms to an A4 page (--per-page 2: two, with "
	 "more lines each), with cutting lines; a voucher of more lines goes on over forms "
	 "marked 第1/2页, 过次页 and 承前页.  A red reversal's amounts are red; a draft is "
	 "marked 草稿 · 未记账.  --period prints the posted vouchers of the months (with "
	 "--drafts, their drafts after them).  Periods: " "2025, 2025Q4, 2025-12, 2025年第四季度, 2025年12月 or 2025-01..2025-06" "."),
	 1, cmd_voucher_print,
	 {VILLAGE_OPT, {"number", "YYYY-MM-N", N_("one posted voucher, e.g. 2025-03-7"), 0},
	  {"from", "YYYY-MM-N", N_("the first of a range of numbers"), 0},
	  {"to", "YYYY-MM-N", N_("the last of the range"), 0},
	  {"period", "P", N_("the posted vouchers of these months"), 0},
	  {"drafts", NULL, N_("with --period: the months' drafts too"), 0}, DRAFT_OPT,
	  {"out", "FILE.pdf", N_("the PDF to write"), 0},
	  {"per-page", "N", N_("forms to an A4 page: 2 or 3 (the default)"), 0}}},
	{"voucher delete", N_("delete a draft (its preparer, before review)"),
	 "--village CODE --draft N", NULL, 1, cmd_voucher_delete,
	 {VILLAGE_OPT, DRAFT_OPT}},
	{NULL, NULL, NULL, NULL, 0, NULL, {{0}}},
};
