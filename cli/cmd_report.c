/*
 * cmd_report.c - tb (科目余额表) and ledger (明细账) on the terminal, CSV, JSON
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MONEY_W 16

/* --from/--to/--year into a range; defaults: this year up to this month */
static int
arg_range(const cli_opts *o, cj_period *from, cj_period *to)
{
	const char *year = opt_get(o, "year");
	cj_date today = cj_date_today();
	int status;

	to->year = today.year;
	to->month = today.month;
	if (year) {
		char *end;
		long y = strtol(year, &end, 10);
		if (*end || y < 1900 || y > 9999)
			return usage_error(o->cmd, "--year '%s' is not a year", year);
		if (opt_has(o, "from") || opt_has(o, "to"))
			return usage_error(o->cmd, "--year replaces --from and --to");
		from->year = to->year = (int)y;
		from->month = 1;
		to->month = 12;
		return 0;
	}
	if ((status = arg_period(o, "to", to, 0)))
		return status;
	from->year = to->year;
	from->month = 1;
	if ((status = arg_period(o, "from", from, 0)))
		return status;
	if (cj_period_cmp(*from, *to) > 0)
		return usage_error(o->cmd, "--from comes after --to");
	return 0;
}

static void
side_split(int64_t net, int64_t *debit, int64_t *credit)
{
	*debit = net > 0 ? net : 0;
	*credit = net < 0 ? -net : 0;
}

static void
print_tb_text(const cj_tb *tb)
{
	char m[6][CJ_MONEY_FMT_MAX];
	static const char *const head[] = {"借方", "贷方"};

	printf("科目余额表  %s %s  %04d-%02d 至 %04d-%02d", tb->scope.code, tb->scope.name,
	       tb->from.year, tb->from.month, tb->to.year, tb->to.month);
	if (tb->scope.level != CJ_ORG_VILLAGE)
		printf("  (%d 个村汇总, first-level accounts)", tb->nvillages);
	printf("\n单位: 元\n\n");
	out_pad(stdout, "", 10 + 28, 0);
	out_pad(stdout, "期初余额", MONEY_W * 2 + 1, 1);
	out_pad(stdout, "本期发生额", MONEY_W * 2 + 2, 1);
	out_pad(stdout, "期末余额", MONEY_W * 2 + 2, 1);
	printf("\n");
	out_pad(stdout, "科目代码", 10, 0);
	out_pad(stdout, "科目名称", 28, 0);
	for (int i = 0; i < 6; i++) {
		out_pad(stdout, head[i % 2], MONEY_W, 1);
		fputc(' ', stdout);
	}
	printf("\n");
	for (size_t i = 0; i < tb->nrows; i++) {
		const cj_tb_row *r = &tb->rows[i];
		int64_t od, oc, cd, cc;
		char name[260];

		side_split(r->opening, &od, &oc);
		side_split(r->closing, &cd, &cc);
		snprintf(name, sizeof name, "%*s%s", (r->level - 1) * 2, "", r->name);
		out_pad(stdout, r->code, 10, 0);
		out_pad(stdout, name, 28, 0);
		out_pad(stdout, out_money(m[0], od, 1), MONEY_W, 1);
		fputc(' ', stdout);
		out_pad(stdout, out_money(m[1], oc, 1), MONEY_W, 1);
		fputc(' ', stdout);
		out_pad(stdout, out_money(m[2], r->debit, 1), MONEY_W, 1);
		fputc(' ', stdout);
		out_pad(stdout, out_money(m[3], r->credit, 1), MONEY_W, 1);
		fputc(' ', stdout);
		out_pad(stdout, out_money(m[4], cd, 1), MONEY_W, 1);
		fputc(' ', stdout);
		out_pad(stdout, out_money(m[5], cc, 1), MONEY_W, 1);
		fputc('\n', stdout);
	}
	out_pad(stdout, "合计", 38, 0);
	printf("%*s %*s %*s %*s %*s %*s\n", MONEY_W, out_money(m[0], tb->opening_debit, 0), MONEY_W,
	       out_money(m[1], tb->opening_credit, 0), MONEY_W, out_money(m[2], tb->debit, 0), MONEY_W,
	       out_money(m[3], tb->credit, 0), MONEY_W, out_money(m[4], tb->closing_debit, 0),
	       MONEY_W, out_money(m[5], tb->closing_credit, 0));
	if (tb->opening_debit == tb->opening_credit && tb->debit == tb->credit &&
	    tb->closing_debit == tb->closing_credit)
		printf("\n试算平衡 balanced: debits equal credits in every column pair\n");
	else
		printf("\n试算不平衡 NOT BALANCED\n");
}

static void
csv_money(int64_t fen, int last)
{
	char buf[CJ_MONEY_FMT_MAX];

	cj_money_format(buf, sizeof buf, cj_money_from_fen(fen), CJ_MONEY_FMT_PLAIN);
	out_csv_number(stdout, buf, last);
}

static void
print_tb_csv(const cj_tb *tb)
{
	fputs("code,name,level,opening_debit,opening_credit,debit,credit,closing_debit,"
	      "closing_credit\n",
	      stdout);
	for (size_t i = 0; i < tb->nrows; i++) {
		const cj_tb_row *r = &tb->rows[i];
		int64_t od, oc, cd, cc;
		char lvl[8];

		side_split(r->opening, &od, &oc);
		side_split(r->closing, &cd, &cc);
		snprintf(lvl, sizeof lvl, "%d", r->level);
		out_csv_field(stdout, r->code, 0);
		out_csv_field(stdout, r->name, 0);
		out_csv_field(stdout, lvl, 0);
		csv_money(od, 0);
		csv_money(oc, 0);
		csv_money(r->debit, 0);
		csv_money(r->credit, 0);
		csv_money(cd, 0);
		csv_money(cc, 1);
	}
	fputs("合计,,0,", stdout);
	csv_money(tb->opening_debit, 0);
	csv_money(tb->opening_credit, 0);
	csv_money(tb->debit, 0);
	csv_money(tb->credit, 0);
	csv_money(tb->closing_debit, 0);
	csv_money(tb->closing_credit, 1);
}

static void
print_tb_json(const cj_tb *tb)
{
	printf("{\"scope\": {\"level\": \"%s\", \"code\": ", cj_org_level_name(tb->scope.level));
	out_json_string(stdout, tb->scope.code);
	fputs(", \"name\": ", stdout);
	out_json_string(stdout, tb->scope.name);
	printf("}, \"villages\": %d, \"from\": \"%04d-%02d\", \"to\": \"%04d-%02d\",\n"
	       " \"unit\": \"fen\", \"rows\": [",
	       tb->nvillages, tb->from.year, tb->from.month, tb->to.year, tb->to.month);
	for (size_t i = 0; i < tb->nrows; i++) {
		const cj_tb_row *r = &tb->rows[i];
		printf("%s\n  {\"code\": \"%s\", \"name\": ", i ? "," : "", r->code);
		out_json_string(stdout, r->name);
		printf(", \"level\": %d, \"opening\": %lld, \"debit\": %lld, \"credit\": %lld, "
		       "\"closing\": %lld}",
		       r->level, (long long)r->opening, (long long)r->debit, (long long)r->credit,
		       (long long)r->closing);
	}
	printf("\n ],\n \"totals\": {\"opening_debit\": %lld, \"opening_credit\": %lld, "
	       "\"debit\": %lld, \"credit\": %lld, \"closing_debit\": %lld, \"closing_credit\": "
	       "%lld}}\n",
	       (long long)tb->opening_debit, (long long)tb->opening_credit, (long long)tb->debit,
	       (long long)tb->credit, (long long)tb->closing_debit, (long long)tb->closing_credit);
}

int
cmd_tb(cli *c, const cli_opts *o)
{
	const char *scopes[3] = {opt_get(o, "village"), opt_get(o, "township"), opt_get(o, "county")};
	static const cj_org_level levels[3] = {CJ_ORG_VILLAGE, CJ_ORG_TOWNSHIP, CJ_ORG_COUNTY};
	const char *code = NULL;
	cj_period from, to;
	out_format fmt;
	cj_tb *tb;
	int n = 0, k = 0, status, balanced;

	for (int i = 0; i < 3; i++)
		if (scopes[i]) {
			code = scopes[i];
			k = i;
			n++;
		}
	if (n != 1)
		return usage_error(o->cmd, "give exactly one of --village, --township, --county");
	if (out_format_parse(opt_get(o, "format"), &fmt))
		return usage_error(o->cmd, "--format must be text, csv or json");
	if ((status = arg_range(o, &from, &to)))
		return status;
	if (cj_tb_build(c->db, code, from, to, &tb))
		return fail_db(c, NULL);
	if (tb->scope.level != levels[k]) {
		status = fail_msg("%s %s is a %s, not a %s", tb->scope.code, tb->scope.name,
				  cj_org_level_name(tb->scope.level), cj_org_level_name(levels[k]));
		cj_tb_free(tb);
		return status;
	}
	if (fmt == OUT_CSV)
		print_tb_csv(tb);
	else if (fmt == OUT_JSON)
		print_tb_json(tb);
	else
		print_tb_text(tb);
	balanced = tb->opening_debit == tb->opening_credit && tb->debit == tb->credit &&
		   tb->closing_debit == tb->closing_credit;
	cj_tb_free(tb);
	return balanced ? 0 : fail_msg("the trial balance does not balance; run 'cunji check'");
}

static const char *
direction(int64_t bal)
{
	return bal > 0 ? "借" : bal < 0 ? "贷" : "平";
}

int
cmd_ledger(cli *c, const cli_opts *o)
{
	const char *account = opt_get(o, "account");
	cj_period from, to;
	out_format fmt;
	cj_ledger *l;
	cj_org v;
	char m[3][CJ_MONEY_FMT_MAX], num[40], date[16];
	int status;

	if (!account)
		return usage_error(o->cmd, "--account is required");
	if (out_format_parse(opt_get(o, "format"), &fmt))
		return usage_error(o->cmd, "--format must be text, csv or json");
	if ((status = arg_range(o, &from, &to)) || (status = arg_village(c, o, &v)))
		return status;
	if (cj_ledger_build(c->db, v.id, account, from, to, &l))
		return fail_db(c, NULL);
	if (fmt == OUT_CSV) {
		fputs("date,voucher,summary,counterparty,debit,credit,direction,balance\n", stdout);
		printf(",,期初余额,,,,%s,", direction(l->opening));
		csv_money(l->opening < 0 ? -l->opening : l->opening, 1);
	} else if (fmt == OUT_JSON) {
		printf("{\"village\": \"%s\", \"account\": \"%s\", \"name\": ", v.code, l->account.code);
		out_json_string(stdout, l->account.name);
		printf(", \"from\": \"%04d-%02d\", \"to\": \"%04d-%02d\", \"unit\": \"fen\", "
		       "\"opening\": %lld, \"rows\": [",
		       from.year, from.month, to.year, to.month, (long long)l->opening);
	} else {
		printf("明细账  %s %s  %s %s  %04d-%02d 至 %04d-%02d\n单位: 元\n\n", l->account.code,
		       l->account.name, v.code, v.name, from.year, from.month, to.year, to.month);
		out_pad(stdout, "日期", 12, 0);
		out_pad(stdout, "凭证号", 14, 0);
		out_pad(stdout, "摘要", 36, 0);
		out_pad(stdout, "借方", MONEY_W, 1);
		out_pad(stdout, "贷方", MONEY_W + 1, 1);
		out_pad(stdout, "方向", 6, 1);
		out_pad(stdout, "余额", MONEY_W + 1, 1);
		printf("\n");
		out_pad(stdout, "", 26, 0);
		out_pad(stdout, "期初余额", 36, 0);
		out_pad(stdout, "", MONEY_W * 2 + 1, 0);
		out_pad(stdout, direction(l->opening), 6, 1);
		out_pad(stdout, out_money(m[0], l->opening < 0 ? -l->opening : l->opening, 0),
			MONEY_W + 1, 1);
		printf("\n");
	}
	for (size_t i = 0; i < l->nrows; i++) {
		const cj_ledger_row *r = &l->rows[i];
		int64_t bal = r->balance < 0 ? -r->balance : r->balance;
		cj_date_format(date, sizeof date, r->date);
		snprintf(num, sizeof num, "%04d-%02d-%d", r->period.year, r->period.month, r->number);
		if (fmt == OUT_CSV) {
			out_csv_field(stdout, date, 0);
			out_csv_field(stdout, num, 0);
			out_csv_field(stdout, r->summary, 0);
			out_csv_field(stdout, r->counterparty, 0);
			csv_money(r->debit, 0);
			csv_money(r->credit, 0);
			out_csv_field(stdout, direction(r->balance), 0);
			csv_money(bal, 1);
		} else if (fmt == OUT_JSON) {
			printf("%s\n  {\"date\": \"%s\", \"voucher\": \"%s\", \"summary\": ", i ? "," : "",
			       date, num);
			out_json_string(stdout, r->summary);
			fputs(", \"counterparty\": ", stdout);
			out_json_string(stdout, r->counterparty);
			printf(", \"debit\": %lld, \"credit\": %lld, \"balance\": %lld}",
			       (long long)r->debit, (long long)r->credit, (long long)r->balance);
		} else {
			char summary[420];
			/* keep the columns: long summaries are cut on a character boundary */
			snprintf(summary, sizeof summary, "%s", r->summary);
			while (out_width(summary) > 34) {
				size_t n = strlen(summary);
				while (n > 0 && ((unsigned char)summary[n - 1] & 0xC0) == 0x80)
					n--;
				summary[n > 0 ? n - 1 : 0] = '\0';
			}
			out_pad(stdout, date, 12, 0);
			out_pad(stdout, num, 14, 0);
			out_pad(stdout, summary, 36, 0);
			out_pad(stdout, out_money(m[0], r->debit, 1), MONEY_W, 1);
			out_pad(stdout, out_money(m[1], r->credit, 1), MONEY_W + 1, 1);
			out_pad(stdout, direction(r->balance), 6, 1);
			out_pad(stdout, out_money(m[2], bal, 0), MONEY_W + 1, 1);
			printf("\n");
		}
	}
	if (fmt == OUT_JSON) {
		printf("\n ], \"debit\": %lld, \"credit\": %lld, \"closing\": %lld}\n",
		       (long long)l->debit, (long long)l->credit, (long long)l->closing);
	} else if (fmt == OUT_TEXT) {
		out_pad(stdout, "", 26, 0);
		out_pad(stdout, "本期合计", 36, 0);
		out_pad(stdout, out_money(m[0], l->debit, 0), MONEY_W, 1);
		out_pad(stdout, out_money(m[1], l->credit, 0), MONEY_W + 1, 1);
		out_pad(stdout, direction(l->closing), 6, 1);
		out_pad(stdout, out_money(m[2], l->closing < 0 ? -l->closing : l->closing, 0),
			MONEY_W + 1, 1);
		printf("\n");
	}
	cj_ledger_free(l);
	return 0;
}

int
cmd_export_journal(cli *c, const cli_opts *o)
{
	const char *year = opt_get(o, "year"), *path = opt_get(o, "out");
	FILE *out = stdout;
	long y = 0;
	cj_org v;
	int status;

	if (year) {
		char *end;
		y = strtol(year, &end, 10);
		if (*end || y < 1900 || y > 9999)
			return usage_error(o->cmd, "--year '%s' is not a year", year);
	}
	if ((status = arg_village(c, o, &v)))
		return status;
	if (path && !(out = fopen(path, "w")))
		return fail_msg("%s: cannot write", path);
	if (cj_journal_export(c->db, v.id, (int)y, out))
		status = fail_db(c, NULL);
	if (path && fclose(out) && !status)
		status = fail_msg("%s: cannot write", path);
	return status;
}
