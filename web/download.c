/*
 * download.c - files into the response: a rendered report (XLSX, PDF), a
 * printed voucher; the directory of uploaded files
 *
 * The renderers write files, so a download goes through a private
 * temporary file (mkstemp, removed at once).
 *
 * SPDX-License-Identifier: MIT
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

int
web_send_file(web_req *r, const char *path, const char *content_type, const char *filename)
{
	char chunk[8192];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return web_fail(r, 500, "生成的文件读不出来");
	cj__buf_clear(&r->out);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		cj__buf_put(&r->out, chunk, n);
	fclose(f);
	r->content_type = content_type;
	snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s\"", filename);
	return 0;
}

int
web_download_reports(web_req *r, const cj_report *const *reps, size_t n, const char *fmt,
		     const char *filename)
{
	char path[] = "/tmp/cunji-web-XXXXXX", err[512];
	int pdf = !strcmp(fmt, "pdf"), fd = mkstemp(path), status;

	if (fd < 0)
		return web_fail(r, 500, "无法写临时文件");
	close(fd);
	status = pdf ? cj_render_pdf(reps, n, path, err, sizeof err)
		     : cj_render_xlsx(reps, n, path, err, sizeof err);
	if (status)
		web_fail(r, 500, err);
	else
		web_send_file(r, path,
			      pdf ? "application/pdf"
				  : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			      filename);
	unlink(path);
	return 0;
}

void
web_upload_clear(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	if (d) {
		while ((e = readdir(d)))
			if (e->d_name[0] != '.') {
				snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
				unlink(path);
			}
		closedir(d);
	}
	rmdir(dir);
}

void
web_field_error(web_req *r, const char *msg)
{
	web_put(r, "<span class=\"field-error\" role=\"alert\">");
	web_text(r, msg);
	web_put(r, "</span>");
}
