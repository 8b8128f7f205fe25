/*
 * page_import.c - import by upload (导入凭证): a voucher or opening-balance
 * file is checked first, then posted whole or not at all
 *
 * POST /import step=check takes the file (multipart/form-data, at most
 * WEB_UPLOAD_MAX), keeps it in the server's private upload directory under
 * a name only this session can ask for (its CSRF token's first half and a
 * random id), and runs the importer's dry run (importers/import.h: every
 * check and the inserts, then rolled back): the problems as a table (row,
 * column, message) or what would be posted per village, with a 记账 button.
 * step=post runs the same import for real, all or nothing, and removes the
 * file.  The importers do every check; this page holds no rule.
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

#include <importers/import.h>

#include "internal.h"

#define PROBLEMS_SHOWN 500

typedef struct collected {
	cj_buf rows;   /* <tr>s, escaped */
	size_t n;
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
	cj_html_escape(&c->rows, p->message);
	cj__buf_puts(&c->rows, "</td></tr>\n");
}

static void
import_form(web_req *r, const char *kind, const char *village)
{
	web_put(r, "<form class=\"upload\" method=\"post\" action=\"/import\" "
		   "enctype=\"multipart/form-data\">");
	web_csrf_field(r);
	web_put(r, "<input type=\"hidden\" name=\"step\" value=\"check\"><div class=\"fields\">"
		   "<label>文件类型<select name=\"kind\">");
	web_printf(r, "<option value=\"vouchers\"%s>凭证</option>",
		   kind && !strcmp(kind, "opening") ? "" : " selected");
	web_printf(r, "<option value=\"opening\"%s>期初余额</option></select></label>",
		   kind && !strcmp(kind, "opening") ? " selected" : "");
	web_village_select(r, village, 1);
	web_printf(r, "<label class=\"wide\">文件（CSV 或 XLSX，不超过 %d MB）<input type=\"file\" "
		      "name=\"file\" accept=\".csv,.xlsx,.txt\" required></label></div>"
		      "<p class=\"hint\">“村”只用于文件里没有村代码列的行；选“全部”则文件须有村代码列。"
		      "先检查，检查无误后再记账；有任何问题，什么都不会记入账簿。</p>"
		      "<button type=\"submit\" class=\"primary\">上传并检查</button></form>\n",
		   WEB_UPLOAD_MAX / (1024 * 1024));
}

int
page_import_form(web_req *r)
{
	web_page_begin(r, "导入凭证");
	import_form(r, web_arg(r, "kind"), web_arg(r, "village"));
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

/* Run the import of the kept file: dry (the check) or for real. */
static int
run_import(web_req *r, const char *path, const char *name, const char *kind, const char *village,
	   int dry, const char *id)
{
	cj_import_opts o;
	cj_import_result res;
	collected c = {CJ_BUF_INIT, 0};
	int status;

	memset(&o, 0, sizeof o);
	memset(&res, 0, sizeof res);
	o.dry_run = dry;
	o.jobs = 1; /* one connection: the person's own */
	o.name = name;
	o.preparer = r->s->login;
	o.village = village && *village ? village : NULL;
	o.cb.problem = on_problem;
	o.cb.payload = &c;
	status = !strcmp(kind, "opening") ? cj_import_opening(r->db, path, &o, &res)
					  : cj_import_vouchers(r->db, path, &o, &res);
	web_page_begin(r, dry ? "导入凭证：检查" : "导入凭证：记账");
	web_put(r, "<p class=\"subtitle\">文件：");
	web_text(r, name);
	if (res.encoding[0]) {
		web_put(r, "（");
		web_text(r, res.encoding);
		web_printf(r, "，%zu 行）", res.rows);
	}
	web_put(r, "</p>\n");
	if (status == CJ_EINVAL && c.n) {
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
		unlink(path);
		import_form(r, kind, village);
	} else if (status) {
		r->status = 422;
		web_error_box(r, cj_db_errmsg(r->db));
		unlink(path);
		import_form(r, kind, village);
	} else if (res.already_imported) {
		web_put(r, "<p class=\"notice\">这个文件已于 ");
		web_text(r, res.imported_at);
		web_put(r, " 导入过，这次没有记入任何凭证。</p>\n");
		unlink(path);
	} else if (dry) {
		web_printf(r, "<p class=\"notice\">检查通过：可记入 %zu 张凭证。尚未记账。</p>\n",
			   res.vouchers);
		result_table(r, &res);
		web_put(r, "<form class=\"act go\" method=\"post\" action=\"/import\" "
			   "enctype=\"multipart/form-data\">");
		web_csrf_field(r);
		web_put(r, "<input type=\"hidden\" name=\"step\" value=\"post\">"
			   "<input type=\"hidden\" name=\"upload\" value=\"");
		web_text(r, id);
		web_put(r, "\"><input type=\"hidden\" name=\"name\" value=\"");
		web_text(r, name);
		web_put(r, "\"><input type=\"hidden\" name=\"kind\" value=\"");
		web_text(r, kind);
		web_put(r, "\"><input type=\"hidden\" name=\"village\" value=\"");
		web_text(r, village);
		web_put(r, "\"><button type=\"submit\" class=\"primary\">全部记账</button> "
			   "<a href=\"/import\">取消</a></form>\n");
	} else {
		if (res.batch_id)
			web_printf(r, "<p class=\"notice\">已保存为待审核的草稿（批次 %lld），共 %zu 张。</p>\n",
				   (long long)res.batch_id, res.vouchers);
		else
			web_printf(r, "<p class=\"notice\">已记账：%zu 张凭证。</p>\n", res.vouchers);
		result_table(r, &res);
		unlink(path);
	}
	web_page_end(r);
	cj__buf_free(&c.rows);
	cj_import_result_dispose(&res);
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

int
page_import(web_req *r)
{
	char step[8], kind[16], village[40], id[40], name[256], path[512];
	unsigned char rnd[WEB_TOKEN_HEX + 1];
	cj_form_part file;
	int fd;

	web_field(r, "step", 0, step, sizeof step);
	web_field(r, "kind", 0, kind, sizeof kind);
	web_field(r, "village", 0, village, sizeof village);
	if (strcmp(kind, "vouchers") && strcmp(kind, "opening"))
		return web_fail(r, 404, "不支持这种文件类型");
	if (!strcmp(step, "post")) {
		web_field(r, "upload", 0, id, sizeof id);
		web_field(r, "name", 0, name, sizeof name);
		if (upload_path(r, id, path, sizeof path) || access(path, R_OK))
			return web_fail(r, 404, "上传的文件已不在（已记账、已取消或服务器重启过），请重新上传");
		clean_name(name, name, sizeof name);
		return run_import(r, path, name, kind, village, 0, id);
	}
	if (!r->boundary[0] ||
	    cj_multipart_find(r->body, r->body_len, r->boundary, "file", &file) || !file.len)
		return web_fail(r, 400, "请选择要上传的文件");
	clean_name(file.filename, name, sizeof name);
	if (web_token((char *)rnd))
		return web_fail(r, 500, "无法生成随机数");
	snprintf(id, sizeof id, "%.32s", (char *)rnd);
	upload_path(r, id, path, sizeof path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
	if (fd < 0 || write(fd, file.data, file.len) != (ssize_t)file.len) {
		if (fd >= 0)
			close(fd);
		unlink(path);
		return web_fail(r, 500, "无法保存上传的文件");
	}
	close(fd);
	return run_import(r, path, name, kind, village, 1, id);
}
