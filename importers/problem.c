/*
 * problem.c - the problems of a file, collected and handed over in row order
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <importers/problem.h>
#include <ledger/i18n.h>

/* A problem kept: the column and the message in one allocation. */
typedef struct cj__problem_item {
	const char *file;
	size_t row, seq;
	char *column; /* NULL or the start of text */
	char *message;
	char *text;
} cj__problem_item;

void
cj_problem_format(const cj_problem *p, char *buf, size_t size)
{
	char where[200] = "";

	if (p->row && p->column)
		snprintf(where, sizeof where, _("row %zu, column %s: "), p->row, p->column);
	else if (p->row)
		snprintf(where, sizeof where, _("row %zu: "), p->row);
	snprintf(buf, size, "%s%s%s%s", p->file ? p->file : "", p->file ? ": " : "", where,
		 p->message);
}

void
cj_problems_init(cj_problems *l, const char *file)
{
	cj_buf empty = CJ_BUF_INIT;

	l->file = file;
	l->items = empty;
}

static void
add(cj_problems *l, const char *file, size_t row, const char *column, const char *value,
    const char *fmt, va_list ap)
{
	char what[1400];
	size_t clen = column ? strlen(column) + 1 : 0, n;
	size_t seq = CJ_BUF_COUNT(&l->items, cj__problem_item);
	cj__problem_item *it;
	char *text;

	vsnprintf(what, sizeof what, fmt, ap);
	n = clen + strlen(what) + (value ? strlen(value) + 3 : 0) + 1;
	text = malloc(n);
	it = text ? cj__buf_push(&l->items, sizeof *it) : NULL;
	if (!it) {
		free(text);
		l->items.broken = 1;
		return;
	}
	if (column)
		memcpy(text, column, clen);
	snprintf(text + clen, n - clen, "%s%s%s%s", value ? "'" : "", value ? value : "",
		 value ? "' " : "", what);
	it->file = file;
	it->row = row;
	it->seq = seq;
	it->text = text;
	it->column = column ? text : NULL;
	it->message = text + clen;
}

void
cj_problems_add(cj_problems *l, size_t row, const char *column, const char *value,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(l, l->file, row, column, value, fmt, ap);
	va_end(ap);
}

void
cj_problems_add_in(cj_problems *l, const char *file, size_t row, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(l, file, row, NULL, NULL, fmt, ap);
	va_end(ap);
}

size_t
cj_problems_count(const cj_problems *l)
{
	return CJ_BUF_COUNT(&l->items, cj__problem_item);
}

int
cj_problems_status(const cj_problems *l)
{
	return cj__buf_ok(&l->items) ? 0 : CJ_ENOMEM;
}

static int
item_cmp(const void *a, const void *b)
{
	const cj__problem_item *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
cj_problems_send(cj_problems *l, const cj_import_cb *cb)
{
	cj__problem_item *it = CJ_BUF_ITEMS(&l->items, cj__problem_item);
	size_t n = cj_problems_count(l);

	if (n)
		qsort(it, n, sizeof *it, item_cmp);
	for (size_t i = 0; cb && cb->problem && i < n; i++) {
		cj_problem p = {it[i].file, it[i].row, it[i].column, it[i].message};
		cb->problem(&p, cb->payload);
	}
}

void
cj_problems_dispose(cj_problems *l)
{
	cj__problem_item *it = CJ_BUF_ITEMS(&l->items, cj__problem_item);

	for (size_t i = 0; i < cj_problems_count(l); i++)
		free(it[i].text);
	cj__buf_free(&l->items);
}
