/*
 * page_import.c - import by upload (导入): vouchers, opening balances,
 * members and shares, a bank statement (with its rules file) or the funds
 * allocated from above; each file is checked first, then imported whole or
 * not at all
 *
 * POST /import step=check takes the file (multipart/form-data, at most
 * WEB_UPLOAD_MAX), keeps it in the server's private upload directory under
 * a name only this session can ask for (its CSRF token's first half and a
 * random id), and runs the importer's dry run (importers/import.h: every
 * check and the inserts, then rolled back): the problems as a table (row,
 * column, message) or what would be posted per village, with a 记账 button.
 * step=post runs the same import for real, all or nothing, and removes the
 * file.  A bank statement comes with its rules file (bank_rules.h), kept
 * beside it.  The importers do every check; this page holds no rule.
 *
 * SPDX-License-Identifier: MIT
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <importers/bank_import.h>
#include <importers/fund_import.h>
#include <importers/import.h>
#include <importers/member_import.h>

#include "internal.h"

#define PROBLEMS_SHOWN 500

typedef struct collected {
	cj_buf rows;   /* <tr>s, escaped */
	size_t n;
	const char *main_file; /* the uploaded file's name: a problem elsewhere is in the rules */
} collected;

static void
on_problem(const cj_problem *p, void *payload)
{
	collected *c = payload;
	char row[32];

	if (++c->n > PROBLEMS_SHOWN)
		return;
	snprintf(row, sizeof row, "%zu", p->row);
	cj__buf_puts(&c->rows, "<tr><td class=\"num\">");
	cj__buf_puts(&c->rows, p->row ? row : "");
	cj__buf_puts(&c->rows, "</td><td>");
	cj_html_escape(&c->rows, p->column ? p->column : "");
	cj__buf_puts(&c->rows, "</td><td>");
	/* the only other file is a bank import's rules, kept under a private name */
	if (p->file && c->main_file && strcmp(p->file, c->main_file))
		cj__buf_puts(&c->rows, "规则文件：");
	cj_html_escape(&c->rows, p->message);
	cj__buf_puts(&c->rows, "</td></tr>\n");
}

/* The kinds of file, in the order of the tabs. */
static const struct kind {
	const char *key, *title, *hint;
	int needs_village; /* the file is one village's: the village must be chosen */
} kinds[] = {
	{"vouchers", "凭证", "凭证文件（CSV 或 XLSX），可含多个村（须有村代码列）。", 0},
	{"opening", "期初余额", "期初余额文件，每个科目一行。", 0},
	{"members", "成员与股权", "一个村的成员户、人口和股权（cunji import members 的格式）。", 1},
	{"bank", "银行对账单", "一个村一个银行账户的对账单，按规则文件生成凭证；"
			      "对账单的余额须与账簿一致。", 1},
	{"funds", "上级拨款", "县级拨款文件：资金、分到各村的金额和项目预算。", 0},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static const struct kind *
kind_of(const char *key)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (key && !strcmp(key, kinds[i].key))
			return &kinds[i];
	return NULL;
}

static void
import_form(web_req *r, const struct kind *k, const char *village, const char *account)
{
	web_put(r, "<nav class=\"tabs\">");
	for (size_t i = 0; i < NKINDS; i++) {
		web_printf(r, "<a href=\"/import?kind=%s\"%s>", kinds[i].key,
			   &kinds[i] == k ? " class=\"on\" aria-current=\"page\"" : "");
		web_text(r, kinds[i].title);
		web_put(r, "</a>");
	}
	web_put(r, "</nav>\n<form class=\"upload\" method=\"post\" action=\"/import\" "
		   "enctype=\"multipart/form-data\">");
	web_csrf_field(r);
	web_printf(r, "<input type=\"hidden\" name=\"step\" value=\"check\">"
		      "<input type=\"hidden\" name=\"kind\" value=\"%s\"><p class=\"hint\">", k->key);
	web_text(r, k->hint);
	web_put(r, "</p><div class=\"fields\">");
	if (strcmp(k->key, "funds"))
		web_village_select(r, village, !k->needs_village);
	if (!strcmp(k->key, "bank")) {
		web_put(r, "<label>银行存款科目<input name=\"account\" required "
			   "placeholder=\"102001\" value=\"");
		web_text(r, account);
		web_put(r, "\"></label>");
	}
	web_printf(r, "<label class=\"wide\">文件（CSV 或 XLSX，不超过 %d MB）<input type=\"file\" "
		      "name=\"file\" accept=\".csv,.xlsx,.txt\" required></label>",
		   WEB_UPLOAD_MAX / (1024 * 1024));
	if (!strcmp(k->key, "bank"))
		web_put(r, "<label class=\"wide\">规则文件（文本，每条规则把对账单的行对应到科目）"
			   "<input type=\"file\" name=\"rules\" accept=\".txt,.rules\" required></label>");
	web_put(r, "</div><p class=\"hint\">");
	if (!strcmp(k->key, "vouchers") || !strcmp(k->key, "opening"))
		web_put(r, "“村”只用于文件里没有村代码列的行；选“全部”则文件须有村代码列。");
	web_put(r, "先检查，检查无误后再导入；有任何问题，什么都不会记入账簿。</p>"
		   "<button type=\"submit\" class=\"primary\">上传并检查</button></form>\n");
}

int
page_import_form(web_req *r)
{
	const struct kind *k = kind_of(web_arg(r, "kind"));

	web_page_begin(r, "导入");
	import_form(r, k ? k : &kinds[0], web_arg(r, "village"), web_arg(r, "account"));
	web_page_end(r);
	return 0;
}

/* The kept file's path: the session's own prefix and the upload's id (hex). */
static int
upload_path(web_req *r, const char *id, char *path, size_t size)
{
	if (strlen(id) != 32 || strspn(id, "0123456789abcdef") != 32)
		return -1;
	snprintf(path, size, "%s/%.32s-%s", web_upload_dir(r), r->s->csrf, id);
	return 0;
}

static void
result_table(web_req *r, const cj_import_result *res)
{
	char m[CJ_MONEY_FMT_MAX];

	web_put(r, "<div class=\"scroll\"><table class=\"list\"><thead><tr><th>村</th>"
		   "<th class=\"num\">凭证</th><th class=\"num\">分录</th><th class=\"num\">借方合计</th>"
		   "<th class=\"num\">已有（跳过）</th><th>凭证号</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < res->nvillages; i++) {
		const cj_import_village *v = &res->villages[i];
		web_put(r, "<tr><td>");
		web_text(r, v->name);
		web_put(r, "<br><small>");
		web_text(r, v->code);
		web_printf(r, "</small></td><td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
			      "<td class=\"num\">%s</td><td class=\"num\">%zu</td><td>",
			   v->vouchers, v->lines, web_money(m, v->debit_fen), v->existing);
		if (v->first[0]) {
			web_text(r, v->first);
			web_put(r, " 至 ");
			web_text(r, v->last);
		}
		web_put(r, "</td></tr>\n");
	}
	web_printf(r, "</tbody><tfoot><tr class=\"total\"><td>合计</td><td class=\"num\">%zu</td>"
		      "<td class=\"num\">%zu</td><td class=\"num\">%s</td><td class=\"num\">%zu</td>"
		      "<td></td></tr></tfoot></table></div>\n",
		   res->vouchers, res->lines, web_money(m, res->debit_fen), res->existing);
}

/* What one import found or did, whichever the kind. */
typedef struct outcome {
	int status;
	char encoding[24];
	size_t rows;
	int already;                 /* vouchers: the file was imported before */
	char imported_at[40];
	size_t count;                /* vouchers, households, bank vouchers, funds */
	int64_t batch_id;            /* drafts awaiting review */
	cj_import_result vouchers;
	cj_member_import_result members;
	cj_bank_import_result bank;
	cj_fund_import_result funds;
} outcome;

static void
members_table(web_req *r, const cj_member_import_result *m)
{
	char sh[CJ_SHARES_FMT_MAX];

	web_put(r, "<div class=\"scroll\"><table class=\"list\"><thead><tr><th>股权类型</th>"
		   "<th class=\"num\">股数</th></tr></thead><tbody>\n");
	for (int t = 0; t < CJ_SHARE_NTYPES; t++) {
		if (!m->type_centi[t])
			continue;
		web_put(r, "<tr><td>");
		web_text(r, cj_share_types[t]);
		web_printf(r, "</td><td class=\"num\">%s</td></tr>\n",
			   cj_shares_format(sh, m->type_centi[t]));
	}
	web_printf(r, "</tbody><tfoot><tr class=\"total\"><td>合计（%zu 户，%zu 人）</td>"
		      "<td class=\"num\">%s</td></tr></tfoot></table></div>\n",
		   m->households, m->people, cj_shares_format(sh, m->shares_centi));
}

static void
bank_table(web_req *r, const cj_bank_import_result *b)
{
	char d[16], in[CJ_MONEY_FMT_MAX], out[CJ_MONEY_FMT_MAX], bal[CJ_MONEY_FMT_MAX];

	web_put(r, "<p class=\"subtitle\">");
	web_text(r, b->account);
	web_put(r, " ");
	web_text(r, b->account_name);
	web_printf(r, "：期初 %s</p>\n", web_money(bal, b->opening_fen));
	web_put(r, "<div class=\"scroll\"><table class=\"list\"><thead><tr><th class=\"num\">行</th>"
		   "<th>日期</th><th>摘要</th><th>对方科目</th><th class=\"num\">收入</th>"
		   "<th class=\"num\">支出</th><th class=\"num\">余额</th><th></th></tr></thead><tbody>\n");
	for (size_t i = 0; i < b->nrows; i++) {
		const cj_bank_import_row *w = &b->rows[i];
		cj_date_format(d, sizeof d, w->date);
		web_printf(r, "<tr><td class=\"num\">%zu</td><td>%s</td><td>", w->row, d);
		web_text(r, w->summary);
		web_put(r, "</td><td>");
		web_text(r, w->account);
		web_printf(r, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
			      "<td class=\"num\">%s</td><td>%s</td></tr>\n",
			   w->in_fen ? web_money(in, w->in_fen) : "",
			   w->out_fen ? web_money(out, w->out_fen) : "", web_money(bal, w->balance_fen),
			   w->existed ? "已导入过" : "");
	}
	web_printf(r, "</tbody><tfoot><tr class=\"total\"><td></td><td>合计</td><td></td><td></td>"
		      "<td class=\"num\">%s</td><td class=\"num\">%s</td><td></td><td></td></tr>"
		      "</tfoot></table></div>\n",
		   web_money(in, b->in_fen), web_money(out, b->out_fen));
}

static void
funds_table(web_req *r, const cj_fund_import_result *f)
{
	char m[CJ_MONEY_FMT_MAX];

	web_put(r, "<div class=\"scroll\"><table class=\"list\"><thead><tr><th>县</th><th>文号</th>"
		   "<th>资金名称</th><th class=\"num\">金额</th><th class=\"num\">分到村</th><th></th>"
		   "</tr></thead><tbody>\n");
	for (size_t i = 0; i < f->nallocs; i++) {
		const cj_fund_import_alloc *a = &f->allocs[i];
		web_put(r, "<tr><td>");
		web_text(r, a->county);
		web_put(r, "</td><td>");
		web_text(r, a->doc_no);
		web_put(r, "</td><td>");
		web_text(r, a->name);
		web_printf(r, "</td><td class=\"num\">%s</td><td class=\"num\">%zu</td><td>%s</td></tr>\n",
			   web_money(m, a->total_fen), a->villages, a->existed ? "账簿中已有" : "新增");
	}
	web_printf(r, "</tbody><tfoot><tr class=\"total\"><td>合计</td><td></td><td>新增资金 %zu 项，"
		      "预算 %zu 行</td><td class=\"num\">%s</td><td></td><td></td></tr></tfoot>"
		      "</table></div>\n",
		   f->funds, f->budgets, web_money(m, f->added_fen));
}

static void
run_importer(web_req *r, const char *path, const char *name, const struct kind *k,
	     const char *village, const char *account, int dry, const cj_import_cb *cb,
	     outcome *o)
{
	const char *vil = village && *village ? village : NULL;
	char rules[600];

	if (!strcmp(k->key, "members")) {
		cj_member_import_opts mo = {0};
		mo.village = vil;
		mo.name = name;
		mo.dry_run = dry;
		mo.cb = *cb;
		o->status = cj_import_members(r->db, path, &mo, &o->members);
		snprintf(o->encoding, sizeof o->encoding, "%s", o->members.encoding);
		o->count = o->members.households;
	} else if (!strcmp(k->key, "bank")) {
		cj_bank_import_opts bo = {0};
		snprintf(rules, sizeof rules, "%s.rules", path);
		bo.village = vil;
		bo.account = account;
		bo.rules = rules;
		bo.name = name;
		bo.preparer = r->s->login;
		bo.dry_run = dry;
		bo.cb = *cb;
		o->status = cj_import_bank(r->db, path, &bo, &o->bank);
		snprintf(o->encoding, sizeof o->encoding, "%s", o->bank.encoding);
		o->rows = o->bank.nrows;
		o->count = o->bank.posted;
		o->batch_id = o->bank.batch_id;
	} else if (!strcmp(k->key, "funds")) {
		cj_fund_import_opts fo = {0};
		fo.name = name;
		fo.dry_run = dry;
		fo.cb = *cb;
		o->status = cj_import_funds(r->db, path, &fo, &o->funds);
		snprintf(o->encoding, sizeof o->encoding, "%s", o->funds.encoding);
		o->count = o->funds.funds;
	} else {
		cj_import_opts io;
		memset(&io, 0, sizeof io);
		io.dry_run = dry;
		io.jobs = 1; /* one connection: the person's own */
		io.name = name;
		io.preparer = r->s->login;
		io.village = vil;
		io.cb = *cb;
		o->status = !strcmp(k->key, "opening") ? cj_import_opening(r->db, path, &io, &o->vouchers)
						       : cj_import_vouchers(r->db, path, &io, &o->vouchers);
		snprintf(o->encoding, sizeof o->encoding, "%s", o->vouchers.encoding);
		o->rows = o->vouchers.rows;
		o->count = o->vouchers.vouchers;
		o->batch_id = o->vouchers.batch_id;
		o->already = o->vouchers.already_imported;
		snprintf(o->imported_at, sizeof o->imported_at, "%s", o->vouchers.imported_at);
	}
}

/* What the check found would be imported, or what was imported. */
static void
summary(web_req *r, const struct kind *k, const outcome *o, int dry)
{
	const char *verb = dry ? "可导入" : "已导入";

	if (!strcmp(k->key, "members")) {
		web_printf(r, "<p class=\"notice\">%s%s %zu 户（%zu 人）。%s</p>\n",
			   dry ? "检查通过：" : "", verb, o->members.households, o->members.people,
			   dry ? "尚未导入。" : "");
		if (o->members.defaulted) {
			char d[16];
			cj_date_format(d, sizeof d, o->members.books_start);
			web_printf(r, "<p class=\"hint\">有的股权没有写股权生效日期，按建账日 %s 生效。</p>\n",
				   d);
		}
		members_table(r, &o->members);
	} else if (!strcmp(k->key, "bank")) {
		if (dry)
			web_printf(r, "<p class=\"notice\">检查通过：可生成 %zu 张凭证（%zu 行已导入过）。"
				      "对账单余额与账簿一致。尚未记账。</p>\n",
				   o->bank.posted, o->bank.existing);
		else if (o->batch_id)
			web_printf(r, "<p class=\"notice\">已保存为待审核的草稿（批次 %lld），共 %zu 张。</p>\n",
				   (long long)o->batch_id, o->bank.posted);
		else
			web_printf(r, "<p class=\"notice\">已记账：%zu 张凭证（%s 至 %s），%zu 行已导入过。</p>\n",
				   o->bank.posted, o->bank.first, o->bank.last, o->bank.existing);
		bank_table(r, &o->bank);
	} else if (!strcmp(k->key, "funds")) {
		web_printf(r, "<p class=\"notice\">%s%s资金 %zu 项（%zu 项账簿中已有），新拨款 %zu 笔。%s</p>\n",
			   dry ? "检查通过：" : "", verb, o->funds.funds, o->funds.existing,
			   o->funds.new_allocations, dry ? "尚未导入。" : "");
		funds_table(r, &o->funds);
	} else {
		if (dry)
			web_printf(r, "<p class=\"notice\">检查通过：可记入 %zu 张凭证。尚未记账。</p>\n",
				   o->count);
		else if (o->batch_id)
			web_printf(r, "<p class=\"notice\">已保存为待审核的草稿（批次 %lld），共 %zu 张。</p>\n",
				   (long long)o->batch_id, o->count);
		else
			web_printf(r, "<p class=\"notice\">已记账：%zu 张凭证。</p>\n", o->count);
		result_table(r, &o->vouchers);
	}
}

static void
remove_upload(const char *path)
{
	char rules[600];

	unlink(path);
	snprintf(rules, sizeof rules, "%s.rules", path);
	unlink(rules);
}

/* Run the import of the kept file: dry (the check) or for real. */
static int
run_import(web_req *r, const char *path, const char *name, const struct kind *k,
	   const char *village, const char *account, int dry, const char *id)
{
	outcome o;
	collected c = {CJ_BUF_INIT, 0, name};
	cj_import_cb cb;
	char title[64];

	memset(&o, 0, sizeof o);
	memset(&cb, 0, sizeof cb);
	cb.problem = on_problem;
	cb.payload = &c;
	run_importer(r, path, name, k, village, account, dry, &cb, &o);
	snprintf(title, sizeof title, "导入%s：%s", k->title, dry ? "检查" : "导入");
	web_page_begin(r, title);
	web_put(r, "<p class=\"subtitle\">文件：");
	web_text(r, name);
	if (o.encoding[0]) {
		web_put(r, "（");
		web_text(r, o.encoding);
		if (o.rows)
			web_printf(r, "，%zu 行", o.rows);
		web_put(r, "）");
	}
	web_put(r, "</p>\n");
	if (o.status == CJ_EINVAL && c.n) {
		r->status = 422;
		web_printf(r, "<p class=\"error\" role=\"alert\">文件有 %zu 处问题，什么都没有记入账簿。"
			      "请改正后重新上传。</p>\n", c.n);
		if (c.n > PROBLEMS_SHOWN)
			web_printf(r, "<p class=\"hint\">只列出前 %d 处。</p>", PROBLEMS_SHOWN);
		web_put(r, "<div class=\"scroll\"><table class=\"list problems\"><thead><tr>"
			   "<th class=\"num\">行</th><th>列</th><th>问题</th></tr></thead><tbody>\n");
		if (cj__buf_ok(&c.rows) && c.rows.data)
			web_put(r, c.rows.data);
		web_put(r, "</tbody></table></div>\n");
		remove_upload(path);
		import_form(r, k, village, account);
	} else if (o.status) {
		r->status = 422;
		web_error_box(r, cj_db_errmsg(r->db));
		remove_upload(path);
		import_form(r, k, village, account);
	} else if (o.already) {
		web_put(r, "<p class=\"notice\">这个文件已于 ");
		web_text(r, o.imported_at);
		web_put(r, " 导入过，这次没有记入任何凭证。</p>\n");
		remove_upload(path);
	} else if (dry) {
		summary(r, k, &o, 1);
		web_put(r, "<form class=\"act go\" method=\"post\" action=\"/import\" "
			   "enctype=\"multipart/form-data\">");
		web_csrf_field(r);
		web_put(r, "<input type=\"hidden\" name=\"step\" value=\"post\">"
			   "<input type=\"hidden\" name=\"upload\" value=\"");
		web_text(r, id);
		web_put(r, "\"><input type=\"hidden\" name=\"name\" value=\"");
		web_text(r, name);
		web_printf(r, "\"><input type=\"hidden\" name=\"kind\" value=\"%s\">", k->key);
		web_put(r, "<input type=\"hidden\" name=\"village\" value=\"");
		web_text(r, village);
		web_put(r, "\"><input type=\"hidden\" name=\"account\" value=\"");
		web_text(r, account);
		web_printf(r, "\"><button type=\"submit\" class=\"primary\">%s</button> "
			      "<a href=\"/import?kind=%s\">取消</a></form>\n",
			   !strcmp(k->key, "members") || !strcmp(k->key, "funds") ? "全部导入" : "全部记账",
			   k->key);
	} else {
		summary(r, k, &o, 0);
		remove_upload(path);
	}
	web_page_end(r);
	cj__buf_free(&c.rows);
	cj_import_result_dispose(&o.vouchers);
	cj_bank_import_result_dispose(&o.bank);
	cj_fund_import_result_dispose(&o.funds);
	return 0;
}

/* A name for messages: the browser's file name without a path, printable. */
static void
clean_name(const char *in, char *out, size_t size)
{
	const char *slash = strrchr(in, '/'), *back = strrchr(in, '\\');

	if (back && (!slash || back > slash))
		slash = back;
	snprintf(out, size, "%s", slash ? slash + 1 : in);
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = '_';
	if (!out[0])
		snprintf(out, size, "上传的文件");
}

/* Keep an uploaded part at path; 0 or -1. */
static int
keep_part(const char *path, const cj_form_part *part)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);

	if (fd < 0 || write(fd, part->data, part->len) != (ssize_t)part->len) {
		if (fd >= 0)
			close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

int
page_import(web_req *r)
{
	char step[8], kind[16], village[40], account[40], id[40], name[256], path[512],
		rules[600];
	unsigned char rnd[WEB_TOKEN_HEX + 1];
	cj_form_part file, rule_part;
	const struct kind *k;

	web_field(r, "step", 0, step, sizeof step);
	web_field(r, "kind", 0, kind, sizeof kind);
	web_field(r, "village", 0, village, sizeof village);
	web_field(r, "account", 0, account, sizeof account);
	if (!(k = kind_of(kind)))
		return web_fail(r, 404, "不支持这种文件类型");
	if (k->needs_village && !village[0])
		return web_fail(r, 400, "请选择村");
	if (!strcmp(k->key, "bank") && !account[0])
		return web_fail(r, 400, "请填写银行存款科目");
	if (!strcmp(step, "post")) {
		web_field(r, "upload", 0, id, sizeof id);
		web_field(r, "name", 0, name, sizeof name);
		if (upload_path(r, id, path, sizeof path) || access(path, R_OK))
			return web_fail(r, 404, "上传的文件已不在（已记账、已取消或服务器重启过），请重新上传");
		clean_name(name, name, sizeof name);
		return run_import(r, path, name, k, village, account, 0, id);
	}
	if (!r->boundary[0] ||
	    cj_multipart_find(r->body, r->body_len, r->boundary, "file", &file) || !file.len)
		return web_fail(r, 400, "请选择要上传的文件");
	if (!strcmp(k->key, "bank") &&
	    (cj_multipart_find(r->body, r->body_len, r->boundary, "rules", &rule_part) ||
	     !rule_part.len))
		return web_fail(r, 400, "请选择规则文件");
	clean_name(file.filename, name, sizeof name);
	if (web_token((char *)rnd))
		return web_fail(r, 500, "无法生成随机数");
	snprintf(id, sizeof id, "%.32s", (char *)rnd);
	upload_path(r, id, path, sizeof path);
	snprintf(rules, sizeof rules, "%s.rules", path);
	if (keep_part(path, &file) ||
	    (!strcmp(k->key, "bank") && keep_part(rules, &rule_part))) {
		unlink(path);
		return web_fail(r, 500, "无法保存上传的文件");
	}
	return run_import(r, path, name, k, village, account, 1, id);
}
