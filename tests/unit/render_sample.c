/*
 * render_sample.c - write the sample reports as PREFIX.txt, PREFIX.xlsx and
 * PREFIX.pdf, and the layout samples as LAYOUT.xlsx and LAYOUT.pdf, for
 * tests/cli/test_render.sh to check with tools we did not write (openpyxl,
 * pdftotext, pdffonts, pdftoppm)
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "render_sample.h"

int
main(int argc, char **argv)
{
	cj_report *a, *b, *c, *lay[RENDER_LAYOUT_N] = {0};
	char err[512], path[4096];
	FILE *f;
	int status = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: render_sample PREFIX LAYOUT\n");
		return 2;
	}
	c = render_sample_names();
	render_sample_layout(lay);
	if (render_sample(&a, &b) || !c || !lay[RENDER_LAYOUT_N - 1]) {
		fprintf(stderr, "render_sample: cannot build the sample\n");
		goto done;
	}
	{
		const cj_report *all[3] = {a, b, c};

		for (int i = 0; i < 3; i++)
			if (cj_report_check(all[i], err, sizeof err)) {
				fprintf(stderr, "render_sample: %s\n", err);
				goto done;
			}
		snprintf(path, sizeof path, "%s.txt", argv[1]);
		if (!(f = fopen(path, "w")) || cj_render_text(all, 2, f) || fclose(f)) {
			fprintf(stderr, "render_sample: cannot write %s\n", path);
			goto done;
		}
		snprintf(path, sizeof path, "%s.xlsx", argv[1]);
		if (cj_render_xlsx(all, 3, path, err, sizeof err)) {
			fprintf(stderr, "render_sample: %s\n", err);
			goto done;
		}
		snprintf(path, sizeof path, "%s.pdf", argv[1]);
		if (cj_render_pdf(all, 2, path, err, sizeof err)) {
			fprintf(stderr, "render_sample: %s\n", err);
			goto done;
		}
	}
	{
		const cj_report *const *all = (const cj_report *const *)lay;

		snprintf(path, sizeof path, "%s.xlsx", argv[2]);
		if (cj_render_xlsx(all, RENDER_LAYOUT_N, path, err, sizeof err)) {
			fprintf(stderr, "render_sample: %s\n", err);
			goto done;
		}
		snprintf(path, sizeof path, "%s.pdf", argv[2]);
		if (cj_render_pdf(all, RENDER_LAYOUT_N, path, err, sizeof err)) {
			fprintf(stderr, "render_sample: %s\n", err);
			goto done;
		}
	}
	status = 0;
done:
	cj_report_free(a);
	cj_report_free(b);
	cj_report_free(c);
	for (int i = 0; i < RENDER_LAYOUT_N; i++)
		cj_report_free(lay[i]);
	return status;
}
