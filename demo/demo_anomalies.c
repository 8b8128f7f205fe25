/*
 * demo_anomalies.c - a few realistic anomalies for the inspector to find
 * (audit scan, domain.md §5.2), planted in the demo's year before it closes
 *
 * One or two per group of rules.  Village 2 pays three times 9,900 yuan to
 * one payee on three days (R27); village 3, which received 衔接 money, pays a 5,000-yuan bonus charged to
 * 专项应付款 without the fund's tag (R19); village 5 pays 8,000 yuan in cash
 * to a person, which leaves the till in credit that night until cash is
 * drawn from the bank the next day (R09, R11); village 4 keeps 800 yuan of
 * stall fees in the till for 16 days before depositing them (R10); village 6
 * advances 3,000 yuan of travel money to its head, settled after 102 days
 * (R13); village 7 draws 12,000 yuan to pay a flood crew in cash four days
 * later (R08, R11).  Everything goes through cj_post_batch, so the
 * ledger's own rules still hold.
 *
 * SPDX-License-Identifier: MIT
 */
#include "demo_internal.h"
#include <ledger/i18n.h>

static int
post2(demo *d, int village_id, cj_date date, const char *summary, const char *debit,
      const char *credit, int64_t fen, const char *cp)
{
	return cj__demo_post2(d->poster, village_id, date, summary, debit, credit, fen, 0, cp);
}

int
cj__demo_anomalies(demo *d)
{
	int y = d->o.year, err = 0;

	if (d->o.villages > 2)
		for (int k = 0; k < 3 && !err; k++)
			err = post2(d, d->ids[2], demo_day(y, 9, 15 + k), "支付道路维修工程款", "513002",
				    "102001", 990000, "胡某某");
	if (!err && d->o.villages > 3) /* village 3 received 衔接 money (demo_funds.c) */
		err = post2(d, d->ids[3], demo_day(y, 10, 9), "发放项目管理人员奖金", "241", "102001",
			    500000, "村项目管理小组");
	if (!err && d->o.villages > 5) {
		/* the draw from the bank, dated the day after, is posted first so
		 * that the month never ends in credit */
		err = post2(d, d->ids[5], demo_day(y, 7, 3), "提取现金", "101", "102001", 800000, NULL);
		if (!err)
			err = post2(d, d->ids[5], demo_day(y, 7, 2), "支付临时用工劳务费", "513002",
				    "101", 800000, "个人李某");
	}
	if (!err && d->o.villages > 4) {
		err = post2(d, d->ids[4], demo_day(y, 8, 10), "收取农贸市场摊位费", "101", "501002",
			    80000, "摊位承租户");
		if (!err)
			err = post2(d, d->ids[4], demo_day(y, 8, 26), "将摊位费存入银行", "102001", "101",
				    80000, NULL);
	}
	if (!err && d->o.villages > 6) {
		err = post2(d, d->ids[6], demo_day(y, 3, 10), "村主任预借差旅费", "112", "102001",
			    300000, "王某");
		if (!err)
			err = post2(d, d->ids[6], demo_day(y, 6, 20), "王某报销差旅费", "513004", "112",
				    300000, "王某");
	}
	if (!err && d->o.villages > 7) {
		err = post2(d, d->ids[7], demo_day(y, 7, 15), "提取现金备发防汛抢险劳务费", "101",
			    "102001", 1200000, NULL);
		if (!err)
			err = post2(d, d->ids[7], demo_day(y, 7, 19), "支付防汛抢险劳务费", "514", "101",
				    1200000, "防汛抢险突击队");
	}
	if (err)
		return cj__demo_fail(d, err, _("planted anomalies"));
	d->res->anomalies = (d->o.villages > 2) + (d->o.villages > 3) + (d->o.villages > 4) +
			    (d->o.villages > 5) + (d->o.villages > 6) + (d->o.villages > 7);
	return 0;
}
