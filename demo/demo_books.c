/*
 * demo_books.c - the demo county's organisations and its ordinary year
 *
 * A year of realistic vouchers per village (contract and lease income,
 * photovoltaic income, operating subsidies, management expenses, wages, bank
 * interest) is written as one CSV file per township, as village clerks send
 * them (some townships in GBK with thousands separators, as Excel on a
 * Chinese Windows saves them), with the opening balances in a file of their
 * own, and imported through the importers' bulk path.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <importers/import.h>
#include <ledger/buf.h>
#include <ledger/i18n.h>

#include "demo_internal.h"

static const char *const townships[CJ_DEMO_TOWNSHIPS] = {
	"双溪镇", "仁首镇", "宝峰镇", "高湖镇", "香田乡", "雷公尖乡",
	"水口乡", "璪都镇", "中源乡", "三爪仑乡", "罗湾乡",
};

static const char *const village_names[] = {
	"周口", "马尾山", "香田", "盘田", "石下", "南山", "北岭", "东坑", "西源", "仓下",
	"高坪", "湖东", "石境", "虎山", "大塘", "小溪", "枫树", "竹林", "茶园", "桥头",
	"新街", "老屋", "梅岭", "杨村", "上坊", "下坊", "中洲", "水南", "水北", "田心",
	"塘下", "岭背", "龙潭", "凤凰", "白沙", "青山", "石门", "花桥", "长岭", "坳头",
	"港口", "垅上", "古楼", "官庄", "潭头", "坪上", "罗坑", "黄家", "胡家", "刘家",
	"李家", "万家", "舒家", "涂家", "邹家", "熊家", "漆家", "易家", "况家", "晏家",
	"沙坪", "高田", "港背", "新庄", "毛家", "严家", "邓家", "何家", "谌家", "璪溪",
	"云峰", "宝山", "塔下", "观音", "金沙", "银坑", "泉水", "松林", "柏树", "林场",
};
#define NVNAMES (sizeof village_names / sizeof village_names[0])

static const char *const households[5] = {"张建国户", "刘秀英户", "李长根户", "胡桂花户",
					  "舒志明户"};

/* Sub-accounts every demo village opens before posting. */
static const struct {
	const char *code, *name;
} sub_accounts[] = {
	{"102001", "农商银行"},   {"102002", "邮储银行"},   {"113001", "张建国户"},
	{"113002", "刘秀英户"},   {"113003", "李长根户"},   {"113004", "胡桂花户"},
	{"113005", "舒志明户"},   {"501001", "发包收入"},   {"501002", "租赁收入"},
	{"501003", "光伏发电收益"}, {"513001", "干部报酬"}, {"513002", "办公费"},
	{"513003", "水电费"},     {"513004", "差旅费"},
};

/* a whole-yuan amount in [lo, hi] yuan, sometimes with jiao and fen */
static int64_t
amount(uint64_t *s, int64_t lo, int64_t hi)
{
	int64_t yuan = lo + (int64_t)(demo_rnd(s) % (uint64_t)(hi - lo + 1));
	int64_t fen = (demo_rnd(s) % 4 == 0) ? (int64_t)(demo_rnd(s) % 100) : 0;
	return yuan * 100 + fen;
}

typedef struct demo_voucher {
	cj_voucher v;
	cj_line lines[6];
} demo_voucher;

static void
set_line(cj_line *l, const char *account, int64_t debit, int64_t credit, const char *cp)
{
	memset(l, 0, sizeof *l);
	l->account = account;
	l->debit = cj_money_from_fen(debit);
	l->credit = cj_money_from_fen(credit);
	l->counterparty = cp;
}

/* One voucher of an ordinary village year; k is its sequence in the year.
 * *cash is the cash on hand so far: a payment it cannot cover goes through
 * the bank instead, as cash never ends a month in credit. */
static void
make_voucher(demo_voucher *d, uint64_t *s, int village_id, int year, int k, int per_year,
	     int64_t *cash)
{
	cj_voucher *v = &d->v;
	int month = 1 + k * 12 / per_year;
	/* in date order, as the cash on hand is followed in k's order: the
	 * day follows k's place in its month */
	int first = ((month - 1) * per_year + 11) / 12, next = (month * per_year + 11) / 12;
	int day = 1 + (k - first) * 28 / (next > first ? next - first : 1);
	uint64_t day_draw = demo_rnd(s); /* the random day this was: the draws after it kept */
	int kind = (int)(demo_rnd(s) % 20);
	int64_t a, b;
	const char *hh = households[demo_rnd(s) % 5];
	static const char *const hh_acct[5] = {"113001", "113002", "113003", "113004", "113005"};
	const char *hacct = hh_acct[0];

	for (int i = 0; i < 5; i++)
		if (hh == households[i])
			hacct = hh_acct[i];
	(void)day_draw;
	memset(v, 0, sizeof *v);
	v->village_id = village_id;
	v->date.year = year;
	v->date.month = month;
	v->date.day = day;
	v->preparer = DEMO_PREPARER;
	v->attachments = 1 + (int)(demo_rnd(s) % 3);
	v->lines = d->lines;
	v->nlines = 2;
	switch (kind) {
	case 0: case 1: case 2:
		v->summary = "收到土地发包收入";
		a = amount(s, 2000, 18000);
		set_line(&d->lines[0], "102001", a, 0, NULL);
		set_line(&d->lines[1], "501001", 0, a, hh);
		break;
	case 3: case 4:
		v->summary = "收到厂房及门面租赁费";
		a = amount(s, 3000, 25000);
		set_line(&d->lines[0], "102001", a, 0, NULL);
		set_line(&d->lines[1], "501002", 0, a, "靖安县宏达竹业有限公司");
		break;
	case 5: case 6: case 7:
		v->summary = "收到村级光伏电站发电收益";
		a = amount(s, 4000, 16000);
		set_line(&d->lines[0], "102001", a, 0, NULL);
		set_line(&d->lines[1], "501003", 0, a, "国网江西省电力公司靖安供电分公司");
		break;
	case 8:
		v->summary = "收到村级组织运转经费补助";
		a = amount(s, 8000, 30000);
		set_line(&d->lines[0], "102001", a, 0, NULL);
		set_line(&d->lines[1], "503", 0, a, "靖安县财政局");
		break;
	case 9:
		v->summary = "银行存款利息收入";
		a = amount(s, 20, 600);
		set_line(&d->lines[0], "102002", a, 0, NULL);
		set_line(&d->lines[1], "504", 0, a, "中国邮政储蓄银行");
		break;
	case 10: case 11:
		v->summary = "发放村干部报酬";
		a = amount(s, 3000, 9000);
		set_line(&d->lines[0], "513001", a, 0, NULL);
		set_line(&d->lines[1], "102001", 0, a, NULL);
		break;
	case 12: case 13:
		v->summary = "支付办公费及水电费";
		a = amount(s, 100, 1500);
		b = amount(s, 100, 1200);
		set_line(&d->lines[0], "513002", a, 0, "靖安县文具商店");
		set_line(&d->lines[1], "513003", b, 0, "国网靖安供电分公司");
		set_line(&d->lines[2], "102001", 0, a + b, NULL);
		v->nlines = 3;
		break;
	case 14:
		/* the till kept under the 5,000-yuan limit (R08): cash drawn
		 * only when it runs low, the rest deposited */
		if (*cash >= 100000) {
			v->summary = "将库存现金存入银行";
			a = *cash - 50000;
			set_line(&d->lines[0], "102001", a, 0, NULL);
			set_line(&d->lines[1], "101", 0, a, NULL);
			break;
		}
		v->summary = "提取备用金";
		a = amount(s, 500, 3000);
		set_line(&d->lines[0], "101", a, 0, NULL);
		set_line(&d->lines[1], "102001", 0, a, NULL);
		break;
	case 15:
		v->summary = "支付光伏电站运维费";
		a = amount(s, 500, 3000);
		set_line(&d->lines[0], "511", a, 0, "江西绿能光伏运维有限公司");
		set_line(&d->lines[1], "102001", 0, a, NULL);
		break;
	case 16:
		v->summary = "支付村道路灯电费及保洁费";
		a = amount(s, 300, 4000);
		set_line(&d->lines[0], "514", a, 0, NULL);
		set_line(&d->lines[1], "102001", 0, a, NULL);
		break;
	case 17:
		v->summary = "应收农户土地承包费";
		a = amount(s, 500, 3000);
		set_line(&d->lines[0], hacct, a, 0, hh);
		set_line(&d->lines[1], "501001", 0, a, hh);
		break;
	case 18:
		/* in cash while the till has room, else paid into the bank */
		v->summary = "收回农户欠款";
		a = amount(s, 200, 1500);
		set_line(&d->lines[0], *cash + a > 400000 ? "102001" : "101", a, 0, hh);
		set_line(&d->lines[1], hacct, 0, a, hh);
		break;
	default:
		v->summary = "报销村干部差旅费";
		a = amount(s, 100, 800);
		set_line(&d->lines[0], "513004", a, 0, NULL);
		set_line(&d->lines[1], a > *cash ? "102001" : "101", 0, a, NULL);
		break;
	}
	for (size_t i = 0; i < v->nlines; i++)
		if (!strcmp(d->lines[i].account, "101"))
			*cash += d->lines[i].debit.fen - d->lines[i].credit.fen;
}

/* Village i sits in township i % 11, numbered from 200 within it. */
static void
village_code(char *buf, size_t size, long i)
{
	snprintf(buf, size, "%s%03d%03d", CJ_DEMO_COUNTY, (int)(100 + i % 11), (int)(200 + i / 11));
}

static int
setup_orgs(demo *d)
{
	int nvillages = (int)d->o.villages, year = d->o.year, *ids = d->ids;
	cj_db *db = d->db;
	cj_period start = {year, 1};
	char code[48], name[64];
	int err;

	if ((err = cj_org_add(db, CJ_ORG_COUNTY, CJ_DEMO_COUNTY, "靖安县", NULL, start)))
		return cj__demo_fail(d, err, _("organisations"));
	for (int t = 0; t < CJ_DEMO_TOWNSHIPS; t++) {
		snprintf(code, sizeof code, "%s%03d", CJ_DEMO_COUNTY, 100 + t);
		if ((err = cj_org_add(db, CJ_ORG_TOWNSHIP, code, townships[t], CJ_DEMO_COUNTY, start)))
			return cj__demo_fail(d, err, _("organisations"));
	}
	for (int i = 0; i < nvillages; i++) {
		char tcode[24];
		cj_org v;
		int t = i % 11;
		snprintf(tcode, sizeof tcode, "%s%03d", CJ_DEMO_COUNTY, 100 + t);
		village_code(code, sizeof code, i);
		if ((size_t)i < NVNAMES)
			snprintf(name, sizeof name, "%s村", village_names[i]);
		else
			snprintf(name, sizeof name, "%s%d村", village_names[i % NVNAMES],
				 (int)((size_t)i / NVNAMES) + 1);
		if ((err = cj_org_add(db, CJ_ORG_VILLAGE, code, name, tcode, start)) ||
		    (err = cj_org_find(db, code, &v)))
			return cj__demo_fail(d, err, _("organisations"));
		ids[i] = v.id;
		for (size_t k = 0; k < sizeof sub_accounts / sizeof sub_accounts[0]; k++)
			if ((err = cj_account_add(db, v.id, sub_accounts[k].code, sub_accounts[k].name)))
				return cj__demo_fail(d, err, _("organisations"));
		cj__demo_progress(d, "villages", i + 1, nvillages);
	}
	return 0;
}

/* 期初余额: cash, bank, fixed assets against capital and reserves */
static void
make_opening(demo_voucher *d, uint64_t *s, int village_id, int year)
{
	int64_t cash = amount(s, 500, 3000), bank = amount(s, 50000, 400000);
	int64_t fixed = amount(s, 200000, 1500000), dep = fixed / 5;
	int64_t capital = fixed - dep, reserve = cash + bank;

	memset(&d->v, 0, sizeof d->v);
	d->v.village_id = village_id;
	d->v.date.year = year;
	d->v.date.month = 1;
	d->v.date.day = 1;
	d->v.summary = "期初余额";
	d->v.preparer = DEMO_PREPARER;
	d->v.kind = CJ_VOUCHER_OPENING;
	d->v.external_id = "demo-opening";
	set_line(&d->lines[0], "101", cash, 0, NULL);
	set_line(&d->lines[1], "102001", bank, 0, NULL);
	set_line(&d->lines[2], "151", fixed, 0, NULL);
	set_line(&d->lines[3], "152", 0, dep, NULL);
	set_line(&d->lines[4], "301", 0, capital, NULL);
	set_line(&d->lines[5], "311", 0, reserve, NULL);
	d->v.lines = d->lines;
	d->v.nlines = 6;
}

/* Write the buffer to path, in GBK when gbk (as Excel on Chinese Windows saves CSV). */
static int
write_file(const char *path, const cj_buf *t, int gbk)
{
	FILE *f = fopen(path, "wb");
	int ok = f != NULL;

	if (ok && gbk) {
		iconv_t cd = iconv_open("GBK", "UTF-8");
		char *in = t->data, buf[8192];
		size_t inleft = t->len;

		ok = cd != (iconv_t)-1;
		while (ok && inleft) {
			char *outp = buf;
			size_t outleft = sizeof buf;
			if (iconv(cd, &in, &inleft, &outp, &outleft) == (size_t)-1 && errno != E2BIG)
				ok = 0;
			ok = ok && fwrite(buf, 1, sizeof buf - outleft, f) == sizeof buf - outleft;
		}
		if (cd != (iconv_t)-1)
			iconv_close(cd);
	} else if (ok) {
		ok = fwrite(t->data, 1, t->len, f) == t->len;
	}
	if (f && fclose(f))
		ok = 0;
	return ok ? 0 : -1;
}

/* "1234.50", or "1,234.50" (quoted) for the GBK townships' spreadsheets */
static void
csv_amount(cj_buf *t, int64_t fen, int grouped)
{
	char buf[CJ_MONEY_FMT_MAX];

	if (!fen)
		return;
	cj_money_format(buf, sizeof buf, cj_money_from_fen(fen),
			grouped ? CJ_MONEY_FMT_GROUPED : CJ_MONEY_FMT_PLAIN);
	cj__buf_printf(t, grouped ? "\"%s\"" : "%s", buf);
}

static void
csv_line(cj_buf *t, const char *village, const cj_voucher *v, int number, const cj_line *l,
	 int grouped)
{
	/* clerks number vouchers within the month: 记字 03-12 is March's twelfth */
	cj__buf_printf(t, "%s,%04d-%02d-%02d,%02d-%03d,%s,%s,", village, v->date.year, v->date.month,
		       v->date.day, v->date.month, number, v->summary, l->account);
	csv_amount(t, l->debit.fen, grouped);
	cj__buf_putc(t, ',');
	csv_amount(t, l->credit.fen, grouped);
	cj__buf_printf(t, ",%s\r\n", l->counterparty ? l->counterparty : "");
}

static int
make_dirs(const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0755) && errno != EEXIST)
				return -1;
			*p = '/';
		}
	return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

typedef struct import_progress {
	demo *d;
	const char *what;
} import_progress;

static void
on_import_problem(const cj_problem *problem, void *payload)
{
	import_progress *ip = payload;

	if (ip->d->o.cb.problem)
		ip->d->o.cb.problem(problem, ip->d->o.cb.payload);
}

/* The import's phases, named with the file */
static void
on_import_progress(const char *phase, uint64_t done, uint64_t total, void *payload)
{
	import_progress *ip = payload;
	char what[160];

	snprintf(what, sizeof what, "%s: %s", ip->what, phase);
	cj__demo_progress(ip->d, what, (long)done, (long)total);
}

/* Import one generated file; its problems go to the caller's cb.problem. */
static int
import_file(demo *d, const char *path, const char *name, int opening)
{
	import_progress ip = {d, name};
	cj_import_opts io = {0};
	cj_import_result r;
	int err;

	io.name = name;
	io.preparer = DEMO_PREPARER;
	io.cb.problem = on_import_problem;
	io.cb.payload = &ip;
	io.cb.progress = on_import_progress;
	memset(&r, 0, sizeof r);
	err = opening ? cj_import_opening(d->db, path, &io, &r) : cj_import_vouchers(d->db, path, &io, &r);
	d->res->vouchers += (long)r.vouchers;
	cj_import_result_dispose(&r);
	/* a file with problems: the import says "FILE: N problems; nothing was imported" */
	return err ? cj__demo_fail(d, err, _("import")) : 0;
}

/* The clerks' files: opening balances, then a year of vouchers per township. */
static int
write_and_import(demo *d)
{
	const char *dir = d->o.files_dir;
	long nvillages = d->o.villages, per_village = d->o.vouchers, year = d->o.year;
	int *ids = d->ids;
	demo_voucher dv[1];
	cj_buf t = CJ_BUF_INIT;
	char path[PATH_MAX + 64], vcode[48];
	int status;

	if (make_dirs(dir))
		return cj_db_fail(d->db, CJ_EIO, _("cannot create %s: %s"), dir, strerror(errno));
	cj__buf_printf(&t, "村代码,日期,科目代码,借方余额,贷方余额\n");
	for (long i = 0; i < nvillages; i++) {
		uint64_t seed = 0x9E3779B97F4A7C15ULL ^ (uint64_t)(i + 1) * 0xBF58476D1CE4E5B9ULL;
		village_code(vcode, sizeof vcode, i);
		make_opening(&dv[0], &seed, ids[i], (int)year);
		for (size_t k = 0; k < dv[0].v.nlines; k++) {
			const cj_line *l = &dv[0].lines[k];
			cj__buf_printf(&t, "%s,%ld-01-01,%s,", vcode, year, l->account);
			csv_amount(&t, l->debit.fen, 0);
			cj__buf_putc(&t, ',');
			csv_amount(&t, l->credit.fen, 0);
			cj__buf_putc(&t, '\n');
		}
	}
	snprintf(path, sizeof path, "%s/%ld-期初余额.csv", dir, year);
	if (!cj__buf_ok(&t) || write_file(path, &t, 0)) {
		cj__buf_free(&t);
		return cj_db_fail(d->db, CJ_EIO, _("cannot write %s"), path);
	}
	cj__buf_free(&t);
	if ((status = import_file(d, path, strrchr(path, '/') + 1, 1)))
		return status;

	for (int tw = 0; tw < CJ_DEMO_TOWNSHIPS; tw++) {
		int gbk = tw % 3 == 1; /* some clerks send GBK with 1,234.56 amounts */
		long rows = 0;

		cj__buf_printf(&t, "村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额,往来单位\r\n");
		for (long i = tw; i < nvillages; i += CJ_DEMO_TOWNSHIPS) {
			uint64_t seed = 0x9E3779B97F4A7C15ULL ^ (uint64_t)(i + 1) * 0xBF58476D1CE4E5B9ULL;
			int number[13] = {0};
			int64_t cash;

			village_code(vcode, sizeof vcode, i);
			make_opening(&dv[0], &seed, ids[i], (int)year); /* same random stream */
			cash = dv[0].lines[0].debit.fen;                 /* 101 */
			for (long k = 0; k < per_village; k++) {
				make_voucher(&dv[0], &seed, ids[i], (int)year, (int)k, (int)per_village, &cash);
				number[dv[0].v.date.month]++;
				for (size_t l = 0; l < dv[0].v.nlines; l++)
					csv_line(&t, vcode, &dv[0].v, number[dv[0].v.date.month],
						 &dv[0].lines[l], gbk);
				rows++;
			}
		}
		if (!rows) {
			cj__buf_free(&t);
			continue;
		}
		snprintf(path, sizeof path, "%s/%ld-%s%03d-%s%s.csv", dir, year, CJ_DEMO_COUNTY, 100 + tw,
			 townships[tw], gbk ? "-GBK" : "");
		if (!cj__buf_ok(&t) || write_file(path, &t, gbk)) {
			cj__buf_free(&t);
			return cj_db_fail(d->db, CJ_EIO, _("cannot write %s"), path);
		}
		cj__buf_free(&t);
		if ((status = import_file(d, path, strrchr(path, '/') + 1, 0)))
			return status;
	}
	return 0;
}

int
cj__demo_orgs(demo *d)
{
	return setup_orgs(d);
}

int
cj__demo_vouchers(demo *d)
{
	return write_and_import(d);
}
