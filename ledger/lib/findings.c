/*
 * findings.c - what audit verify (and the checks that join it) found
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include <ledger/i18n.h>

int
cj_findings_add(cj_findings *f, const char *village_code, const char *voucher,
		const char *fmt, ...)
{
	cj_finding *x;
	va_list ap;
	int len;

	if (cj_grow((void **)&f->items, &f->cap, f->n + 1, sizeof *f->items))
		return CJ_ENOMEM;
	x = &f->items[f->n];
	memset(x, 0, sizeof *x);
	snprintf(x->village_code, sizeof x->village_code, "%s", village_code ? village_code : "");
	snprintf(x->voucher, sizeof x->voucher, "%s", voucher ? voucher : "");
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || !(x->what = malloc((size_t)len + 1)))
		return CJ_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(x->what, (size_t)len + 1, fmt, ap);
	va_end(ap);
	f->n++;
	return 0;
}

size_t
cj_finding_format(const cj_finding *x, char *buf, size_t size)
{
	int n;

	if (x->village_code[0] && x->voucher[0])
		n = snprintf(buf, size, _("village %s, voucher %s: %s"), x->village_code, x->voucher,
			     x->what);
	else if (x->village_code[0])
		n = snprintf(buf, size, _("village %s: %s"), x->village_code, x->what);
	else if (x->voucher[0])
		n = snprintf(buf, size, _("voucher %s: %s"), x->voucher, x->what);
	else
		n = snprintf(buf, size, "%s", x->what);
	return n < 0 ? 0 : (size_t)n;
}

void
cj_findings_free(cj_findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->items[i].what);
	free(f->items);
	f->items = NULL;
	f->n = f->cap = 0;
}
