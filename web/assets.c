/*
 * assets.c - the CSS and JavaScript compiled into the binary
 * (web/assets/, embedded as text by reports/embed_layouts.cmake)
 *
 * SPDX-License-Identifier: MIT
 */
#include <string.h>

#include "internal.h"

typedef struct web_asset_file {
	const char *name;
	const char *text;
} web_asset_file;

extern const web_asset_file web_asset_files[];

int
web_asset(web_req *r, const char *name)
{
	for (const web_asset_file *f = web_asset_files; f->name; f++)
		if (!strcmp(f->name, name)) {
			const char *dot = strrchr(name, '.');
			cj__buf_puts(&r->out, f->text);
			r->content_type = dot && !strcmp(dot, ".css") ? "text/css; charset=utf-8"
				        : "text/javascript; charset=utf-8";
			return 0;
		}
	return -1;
}
