/*
 * xlsx.c - XLSX first-worksheet reader (libzip + expat); see xlsx.h
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>

#include <importers/xlsx.h>

struct cj_xlsx {
	int unused;
};

int
cj_xlsx_open(cj_xlsx **out, const char *path, char *err, size_t errlen)
{
	*out = NULL;
	snprintf(err, errlen, "%s: XLSX reading is not available yet", path);
	return -1;
}

int
cj_xlsx_next(cj_xlsx *x, const char *const **fields, size_t *nfields, size_t *row, char *err,
	     size_t errlen)
{
	(void)x;
	*fields = NULL;
	*nfields = 0;
	*row = 0;
	snprintf(err, errlen, "XLSX reading is not available yet");
	return -1;
}

void
cj_xlsx_close(cj_xlsx *x)
{
	free(x);
}
