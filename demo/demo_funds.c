/*
 * demo_funds.c - the demo's earmarked money, members and distribution
 *
 * On top of the ordinary year that demo_books.c imports, each demo village gets
 * what makes a collective's books special: a county 衔接 allocation to every
 * third village for a named project paid in tranches (some accepted,
 * forming an asset), a payment booked twice and voided in every fourth
 * village, a 100,000-yuan anti-risk fund per village in four
 * townships with a few aid payments to monitored households, a member
 * register with shares, and a year-end distribution declared and paid.
 * Everything goes through the same library calls as the tool, so the
 * database checks every rule on the way.  Reproducible: seeded per village.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>
#include <ledger/i18n.h>

#include "demo_internal.h"

#define XJ_CODE "XJ2025-01"
#define FX_CODE "FX2025"

static const char *const surnames[] = {"张", "刘", "李", "胡", "舒", "涂", "漆", "熊", "邹",
				       "况", "晏", "易", "万", "黄", "罗", "周"};
static const char *const given[] = {"建国", "秀英", "长根", "桂花", "志明", "春生", "冬梅",
				    "水生", "国华", "金凤", "德明", "玉兰", "小平", "红英",
				    "海平", "细妹", "伟", "芳", "强", "敏"};
#define NSURNAMES (sizeof surnames / sizeof surnames[0])
#define NGIVEN (sizeof given / sizeof given[0])

static const struct {
	const char *name, *category, *asset_kind, *payee;
} projects[] = {
	{"村组道路硬化工程", "基础设施", "公益性", "靖安县路通建设工程有限公司"},
	{"农村饮水安全巩固提升工程", "基础设施", "公益性", "江西清泉水利工程有限公司"},
	{"村级光伏电站扩容项目", "产业发展", "经营性", "江西绿能光伏运维有限公司"},
	{"高标准茶园建设项目", "产业发展", "经营性", "靖安县白茶产业发展有限公司"},
	{"人居环境整治提升工程", "人居环境", "公益性", "靖安县美丽乡村建设有限公司"},
	{"农田灌溉渠道修缮工程", "基础设施", "公益性", "靖安县水利水电工程公司"},
};
#define NPROJECTS (sizeof projects / sizeof projects[0])

/* A valid 18-character resident ID of 靖安县 (360925) born on the given day. */
static void
make_id(char out[19], int year, int month, int dd, unsigned seq)
{
	static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;

	snprintf(out, 19, "360925%04d%02d%02d%03u", year, month, dd, seq % 1000);
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * weights[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

/* Post one two-line voucher, tagged with a fund (fund_id 0: none). */
int
cj__demo_post2(cj_poster *p, int village_id, cj_date date, const char *summary, const char *debit,
	    const char *credit, int64_t fen, int64_t fund_id, const char *cp)
{
	cj_line l[2];
	cj_voucher v;
	cj_posted out;

	memset(l, 0, sizeof l);
	memset(&v, 0, sizeof v);
	l[0].account = debit;
	l[0].debit = cj_money_from_fen(fen);
	l[0].fund_id = fund_id;
	l[0].counterparty = cp;
	l[1].account = credit;
	l[1].credit = cj_money_from_fen(fen);
	l[1].fund_id = fund_id;
	l[1].counterparty = cp;
	v.village_id = village_id;
	v.date = date;
	v.summary = summary;
	v.preparer = DEMO_PREPARER;
	v.attachments = 2;
	v.lines = l;
	v.nlines = 2;
	return cj_post_batch(p, &v, 1, &out);
}

/* A payment booked twice by mistake and voided (红字冲销), as bookkeepers do:
 * the sheets must show the red reversal for what it is. */
static int
post_and_void(cj_poster *p, cj_db *db, int village_id, int year)
{
	cj_line l[2];
	cj_voucher v;
	cj_posted posted, red;
	cj_voucher_info orig;

	memset(l, 0, sizeof l);
	memset(&v, 0, sizeof v);
	l[0].account = "513002";
	l[0].debit = cj_money_from_fen(126000);
	l[0].counterparty = "靖安县文具商店";
	l[1].account = "102001";
	l[1].credit = cj_money_from_fen(126000);
	v.village_id = village_id;
	v.date = demo_day(year, 11, 18);
	v.summary = "支付办公用品费（重复记账）";
	v.preparer = DEMO_PREPARER;
	v.attachments = 1;
	v.lines = l;
	v.nlines = 2;
	if (cj_post_batch(p, &v, 1, &posted) ||
	    cj_voucher_find_number(db, village_id, posted.period, posted.number, &orig))
		return -1;
	return cj_voucher_void(p, &orig, demo_day(year, 11, 20), "演示记账员", &red);
}

/*
 * 8-15 households of 2-6 people; 人口股 one per person, 劳龄股 for some,
 * 扶贫股 for 脱贫户; the collective holds 集体股 of about a fifth.
 * Returns the number of households, their codes in codes[] (3 chars each).
 */
static int
add_members(cj_db *db, int village_id, int year, uint64_t *s, int *persons, char (*codes)[8],
	    int *monitored)
{
	int nh = 8 + (int)(demo_rnd(s) % 8);
	int64_t total_centi = 0;
	unsigned seq = 1;

	for (int h = 0; h < nh; h++) {
		char ids[6][19], names[6][32], popl[16], labor[16], poor[16], account[32];
		cj_person people[5];
		cj_share_spec shares[3];
		cj_household hh;
		int np = 2 + (int)(demo_rnd(s) % 5), nshares = 0;
		const char *surname = surnames[demo_rnd(s) % NSURNAMES];
		int head_year = 1950 + (int)(demo_rnd(s) % 40);

		snprintf(codes[h], 8, "%02d", (h + 1) % 100); /* nh < 16 */
		for (int k = 0; k < np; k++) {
			int by = k == 0 ? head_year : k == 1 ? head_year + (int)(demo_rnd(s) % 5)
							     : head_year + 22 + (int)(demo_rnd(s) % 12);
			make_id(ids[k], by, 1 + (int)(demo_rnd(s) % 12), 1 + (int)(demo_rnd(s) % 28),
				(seq++ * 2 + (k == 1)) % 1000);
			snprintf(names[k], sizeof names[k], "%s%s", k == 1 ? surnames[demo_rnd(s) % NSURNAMES]
									   : surname,
				 given[demo_rnd(s) % NGIVEN]);
		}
		memset(&hh, 0, sizeof hh);
		hh.code = codes[h];
		hh.head_name = names[0];
		hh.head_id_number = ids[0];
		hh.phone = "";
		hh.bank_name = "靖安农商银行";
		/* dividends are paid by bank, to an account on record */
		snprintf(account, sizeof account, "6217 3609 %04d %04d", village_id % 10000, h + 1);
		hh.bank_account = account;
		/* every fourth household is 脱贫户, every seventh 监测户 */
		hh.poverty_status = h % 7 == 3 ? "监测户" : h % 4 == 1 ? "脱贫户" : "";
		monitored[h] = h % 7 == 3;
		for (int k = 1; k < np; k++) {
			people[k - 1].name = names[k];
			people[k - 1].id_number = ids[k];
			people[k - 1].relation = k == 1 ? "配偶" : (k % 2 ? "子" : "女");
		}
		hh.people = people;
		hh.npeople = (size_t)np - 1;
		snprintf(popl, sizeof popl, "%d", np);
		shares[nshares].type = "人口股";
		shares[nshares].shares = popl;
		shares[nshares++].effective_from = demo_day(year, 1, 1);
		total_centi += np * 100;
		if (demo_rnd(s) % 3) {
			int centi = 50 * (1 + (int)(demo_rnd(s) % 6)); /* 0.5 to 3 shares */
			snprintf(labor, sizeof labor, "%d.%02d", centi / 100, centi % 100);
			shares[nshares].type = "劳龄股";
			shares[nshares].shares = labor;
			shares[nshares++].effective_from = demo_day(year, 1, 1);
			total_centi += centi;
		}
		if (!strcmp(hh.poverty_status, "脱贫户")) {
			snprintf(poor, sizeof poor, "1");
			shares[nshares].type = "扶贫股";
			shares[nshares].shares = poor;
			shares[nshares++].effective_from = demo_day(year, 1, 1);
			total_centi += 100;
		}
		hh.shares = shares;
		hh.nshares = (size_t)nshares;
		persons[h] = np;
		if (cj_household_add(db, village_id, &hh))
			return -1;
	}
	{
		char coll[48];
		int64_t c = total_centi / 4; /* 集体股 = 20% of all shares */
		snprintf(coll, sizeof coll, "%lld.%02lld", (long long)(c / 100), (long long)(c % 100));
		if (cj_share_add(db, village_id, NULL, "集体股", coll, demo_day(year, 1, 1)))
			return -1;
	}
	return nh;
}

int
cj__demo_funds(demo *d)
{
	cj_db *db = d->db;
	cj_poster *p = d->poster;
	const int *ids = d->ids;
	long nvillages = d->o.villages;
	int year = d->o.year;
	cj_demo_result *st = d->res;
	cj_org county;
	int64_t *parts = NULL, alloc_id, xj_total = 0, fx_total = 0;
	int *xj_villages = NULL, *fx_villages = NULL;
	size_t nxj = 0, nfx = 0;
	char doc[64], name[128];
	int status = 0;

	if (cj_org_find(db, CJ_DEMO_COUNTY, &county) ||
	    cj_aid_rule_set(db, county.id, 300000, 2000000, 3, 10000000))
		return cj__demo_fail(d, CJ_ERROR, _("funds"));
	parts = calloc((size_t)nvillages, sizeof *parts);
	xj_villages = calloc((size_t)nvillages, sizeof *xj_villages);
	fx_villages = calloc((size_t)nvillages, sizeof *fx_villages);
	if (!parts || !xj_villages || !fx_villages) {
		status = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		goto done;
	}

	/* 衔接资金: every third village, 300,000-800,000 yuan by whole thousands */
	for (long i = 0; i < nvillages; i += 3) {
		uint64_t s = 0xC0FFEEULL ^ (uint64_t)(i + 1) * 0x9E3779B97F4A7C15ULL;
		xj_villages[nxj] = ids[i];
		parts[nxj] = (300 + (int64_t)(demo_rnd(&s) % 501)) * 100000;
		xj_total += parts[nxj++];
	}
	{
		cj_fund_spec f = {0};
		snprintf(doc, sizeof doc, "靖财农指〔%d〕12号", year);
		snprintf(name, sizeof name, "%d年中央财政衔接推进乡村振兴补助资金（第一批）", year);
		f.code = XJ_CODE;
		f.name = name;
		f.kind = "衔接推进乡村振兴补助资金";
		f.source_level = "中央";
		f.doc_no = doc;
		f.doc_date = demo_day(year, 3, 15);
		f.granted_fen = xj_total;
		if (cj_allocation_add(db, county.id, &f, xj_villages, parts, nxj, &alloc_id)) {
			status = cj__demo_fail(d, CJ_ERROR, _("衔接 allocation"));
			goto done;
		}
	}
	/* 防返贫基金: 100,000 yuan for each village of the first four townships */
	for (long i = 0; i < nvillages; i++)
		if (i % 11 < 4) {
			fx_villages[nfx] = ids[i];
			parts[nfx++] = 10000000;
			fx_total += 10000000;
		}
	if (nfx) {
		cj_fund_spec f = {0};
		snprintf(doc, sizeof doc, "靖乡振发〔%d〕5号", year);
		f.code = FX_CODE;
		f.name = "防返贫致贫风险防控基金";
		f.kind = "防返贫基金";
		f.source_level = "县";
		f.doc_no = doc;
		f.doc_date = demo_day(year, 2, 20);
		f.granted_fen = fx_total;
		if (cj_allocation_add(db, county.id, &f, fx_villages, parts, nfx, &alloc_id)) {
			status = cj__demo_fail(d, CJ_ERROR, _("anti-risk allocation"));
			goto done;
		}
	}

	for (long i = 0; i < nvillages; i++) {
		uint64_t s = 0xFEEDULL ^ (uint64_t)(i + 1) * 0xBF58476D1CE4E5B9ULL;
		int persons[16], monitored[16], nh;
		char codes[16][8];
		int vid = ids[i];

		nh = add_members(db, vid, year, &s, persons, codes, monitored);
		if (nh < 0) {
			status = cj__demo_fail(d, CJ_ERROR, _("member register"));
			goto done;
		}
		st->households += nh;

		if (i % 3 == 0) { /* the 衔接 project */
			cj_fund_info fund;
			cj_project_spec ps = {0};
			cj_project_payment pay = {0};
			cj_submitted posted;
			const char *src[1] = {XJ_CODE};
			int64_t budget, paid = 0;
			size_t k = (size_t)(i / 3) % NPROJECTS;
			char pname[160], pcode[24];
			static const struct {
				const char *tranche;
				int percent, month;
			} tranches[] = {{"预付", 30, 5}, {"进度款", 40, 8}, {"尾款", 27, 10}};

			if (cj_fund_find(db, vid, XJ_CODE, &fund) ||
			    cj__demo_post2(p, vid, demo_day(year, 4, 8), "收到县财政下达衔接推进乡村振兴补助资金",
					"102001", "241", fund.granted_fen, fund.id, "靖安县财政局")) {
				status = cj__demo_fail(d, CJ_ERROR, _("衔接 receipt"));
				goto done;
			}
			budget = fund.granted_fen;
			snprintf(pcode, sizeof pcode, "XM%d-01", year);
			snprintf(pname, sizeof pname, "%d年%s", year, projects[k].name);
			ps.code = pcode;
			ps.name = pname;
			ps.category = projects[k].category;
			ps.content = projects[k].name;
			ps.implementing_unit = "村股份经济合作社";
			ps.responsible = "村党支部书记";
			ps.goals = "改善生产生活条件，带动脱贫户和监测户增收";
			ps.benefit_mechanism = !strcmp(projects[k].asset_kind, "经营性")
						       ? "收益的30%用于脱贫户、监测户帮扶"
						       : "全体村民受益";
			ps.start = demo_day(year, 5, 1);
			ps.end = demo_day(year, 11, 30);
			ps.households = nh;
			ps.poverty_households = nh / 4;
			ps.monitored_households = nh / 7;
			ps.budget_sources = src;
			ps.budget_fen = &budget;
			ps.nbudget = 1;
			if (cj_project_add(db, vid, &ps, NULL) ||
			    cj_project_start(db, vid, pcode, demo_day(year, 5, 1))) {
				status = cj__demo_fail(d, CJ_ERROR, _("project"));
				goto done;
			}
			st->projects++;
			for (size_t t = 0; t < sizeof tranches / sizeof tranches[0]; t++) {
				/* a third of the projects are still being built: no 尾款 yet */
				if (t == 2 && i % 9 == 6)
					break;
				pay.project = pcode;
				pay.fund = XJ_CODE;
				pay.tranche = tranches[t].tranche;
				pay.payee = projects[k].payee;
				pay.bank = "102001";
				pay.date = demo_day(year, tranches[t].month, 15);
				pay.amount_fen = budget * tranches[t].percent / 100; /* whole fen: budgets are whole yuan */
				if (cj_project_pay(p, vid, &pay, &posted)) {
					status = cj__demo_fail(d, CJ_ERROR, _("project payment"));
					goto done;
				}
				paid += pay.amount_fen;
				st->tranches++;
			}
			st->project_paid_fen += paid;
			if (i % 9 != 6) { /* finished: accepted, the asset formed; 3% 质保金 left */
				cj_submitted acc[2];
				int nacc;
				if (cj_project_accept(p, vid, pcode, demo_day(year, 11, 28),
						      projects[k].asset_kind, NULL, acc, &nacc)) {
					status = cj__demo_fail(d, CJ_ERROR, _("project acceptance"));
					goto done;
				}
				st->accepted++;
			}
		}

		if (i % 4 == 0 && post_and_void(p, db, vid, year)) {
			status = cj__demo_fail(d, CJ_ERROR, _("reversal"));
			goto done;
		}

		if (i % 11 < 4) { /* the anti-risk fund and its aid */
			cj_fund_info fund;
			int paid = 0;

			if (cj_fund_find(db, vid, FX_CODE, &fund) ||
			    cj__demo_post2(p, vid, demo_day(year, 3, 2), "收到县级防返贫致贫风险防控基金",
					"102001", "241", fund.granted_fen, fund.id, "靖安县乡村振兴局")) {
				status = cj__demo_fail(d, CJ_ERROR, _("anti-risk receipt"));
				goto done;
			}
			for (int h = 0; h < nh && paid < 3; h++) {
				static const char *const reasons[] = {"因病", "因灾", "因学", "因意外事故"};
				cj_aid aid = {0};
				cj_submitted posted;

				if (!monitored[h] && !(h == 0 && paid == 0))
					continue;
				aid.fund = FX_CODE;
				aid.household = codes[h];
				aid.persons = persons[h];
				/* within 3,000 yuan a person: whole hundreds of yuan */
				aid.amount_fen = (int64_t)(10 + demo_rnd(&s) % 20) * 10000;
				if (aid.amount_fen > (int64_t)persons[h] * 300000)
					aid.amount_fen = (int64_t)persons[h] * 300000;
				aid.date = demo_day(year, 6 + paid * 2, 10);
				aid.reason = reasons[demo_rnd(&s) % 4];
				aid.applicant = "户主本人申请，村民小组评议";
				aid.township_review = "乡镇审核同意";
				aid.county_record = "县乡村振兴局备案";
				aid.bank = "102001";
				if (cj_aid_pay(p, vid, &aid, &posted)) {
					status = cj__demo_fail(d, CJ_ERROR, _("aid payment"));
					goto done;
				}
				paid++;
				st->aid_payments++;
				st->aid_fen += aid.amount_fen;
			}
		}
		cj__demo_progress(d, "funds, projects, members", i + 1, nvillages);
	}

	/* 收益分配: half of what may be distributed, declared and paid on 12-31 */
	for (long i = 0; i < nvillages; i++) {
		cj_dividend_plan plan;
		cj_submitted posted;
		size_t npaid;
		int64_t pool;

		if (cj_dividend_compute(db, ids[i], year, 1000, 500, -1, demo_day(year, 12, 31),
					&plan)) {
			/* a year with a loss distributes nothing; the plan says why */
			st->no_dividend++;
			continue;
		}
		/* the largest pool stays within the village's own cash (严禁举债分配) */
		pool = plan.pool_fen / 2 / 10000 * 10000; /* whole hundreds of yuan, rounded down */
		cj_dividend_plan_free(&plan);
		if (pool <= 0) {
			st->no_dividend++;
			continue;
		}
		if (cj_dividend_compute(db, ids[i], year, 1000, 500, pool, demo_day(year, 12, 31),
					&plan) ||
		    cj_dividend_post(p, &plan, demo_day(year, 12, 31), &posted) ||
		    cj_dividend_pay(p, ids[i], year, demo_day(year, 12, 31), "102001", NULL, 0, &npaid, NULL)) {
			cj_dividend_plan_free(&plan);
			status = cj__demo_fail(d, CJ_ERROR, _("distribution"));
			goto done;
		}
		st->dividend_villages++;
		st->dividend_fen += plan.pool_fen;
		cj_dividend_plan_free(&plan);
		cj__demo_progress(d, "distributions", i + 1, nvillages);
	}
	st->xj_fen = xj_total;
	st->xj_villages = (long)nxj;
	st->fx_villages = (long)nfx;
done:
	free(parts);
	free(xj_villages);
	free(fx_villages);
	return status;
}
