/*
 * model.c - building the format-neutral report model
 *
 * Every string the model holds is copied into an arena that lives as long
 * as the report, so builders may pass temporaries and free nothing.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <ledger/grow.h>
#include <reports/report.h>

/* A chain of blocks; strings and arrays are carved from the newest one. */
typedef struct arena_block {
	struct arena_block *next;
	size_t used, size;
	char data[];
} arena_block;

struct cj_report_arena {
	arena_block *head;
	void **owned; /* growable arrays (rows, lists) freed with the report */
	size_t nowned, ownedcap;
};

static void *
arena_alloc(struct cj_report_arena *a, size_t n)
{
	arena_block *b = a->head;

	n = (n + 15) & ~(size_t)15;
	if (!b || b->size - b->used < n) {
		size_t size = n > 16384 ? n : 16384;

		b = malloc(sizeof *b + size);
		if (!b)
			return NULL;
		b->next = a->head;
		b->used = 0;
		b->size = size;
		a->head = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

static char *
arena_vprintf(struct cj_report_arena *a, const char *fmt, va_list ap)
{
	va_list copy;
	int n;
	char *s;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0 || !(s = arena_alloc(a, (size_t)n + 1)))
		return NULL;
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static char *
arena_strdup(struct cj_report_arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = arena_alloc(a, n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* Grow *array (of elem-sized items) to hold need items; tracks ownership. */
static int
grow(struct cj_report_arena *a, void **array, size_t *cap, size_t need, size_t elem)
{
	size_t i;

	if (need <= *cap)
		return 0;
	/* find the array's slot before realloc may free the old pointer */
	for (i = 0; i < a->nowned && *array; i++)
		if (a->owned[i] == *array)
			break;
	if (!*array &&
	    cj_grow((void **)&a->owned, &a->ownedcap, a->nowned + 1, sizeof *a->owned))
		return -1;
	if (!*array)
		i = a->nowned;
	if (cj_grow(array, cap, need, elem))
		return -1;
	if (i == a->nowned)
		a->nowned++;
	a->owned[i] = *array;
	return 0;
}

cj_report *
cj_report_new(const char *title)
{
	cj_report *r = calloc(1, sizeof *r);

	if (!r)
		return NULL;
	r->arena = calloc(1, sizeof *r->arena);
	if (!r->arena || !(r->title = arena_strdup(r->arena, title))) {
		cj_report_free(r);
		return NULL;
	}
	return r;
}

void
cj_report_free(cj_report *r)
{
	if (!r)
		return;
	if (r->arena) {
		arena_block *b = r->arena->head;

		while (b) {
			arena_block *next = b->next;

			free(b);
			b = next;
		}
		for (size_t i = 0; i < r->arena->nowned; i++)
			free(r->arena->owned[i]);
		free(r->arena->owned);
		free(r->arena);
	}
	free(r);
}

static int
push_string(cj_report *r, const char ***list, size_t *n, char *s)
{
	/* capacity: the next power of two at or above n, so none is stored */
	size_t cap = 0;

	if (!s)
		return -1;
	if (*n) {
		cap = 8;
		while (cap < *n)
			cap *= 2;
	}
	if (grow(r->arena, (void **)list, &cap, *n + 1, sizeof **list))
		return -1;
	(*list)[(*n)++] = s;
	return 0;
}

int
cj_report_subtitle(cj_report *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = arena_vprintf(r->arena, fmt, ap);
	va_end(ap);
	return push_string(r, &r->subtitles, &r->nsubtitles, s);
}

int
cj_report_note(cj_report *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = arena_vprintf(r->arena, fmt, ap);
	va_end(ap);
	return push_string(r, &r->notes, &r->nnotes, s);
}

int
cj_report_signature(cj_report *r, const char *label)
{
	return push_string(r, &r->signatures, &r->nsignatures, arena_strdup(r->arena, label));
}

int
cj_report_footer(cj_report *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = arena_vprintf(r->arena, fmt, ap);
	va_end(ap);
	if (!s)
		return -1;
	r->footer = s;
	return 0;
}

int
cj_report_qr(cj_report *r, const char *text)
{
	return (r->qr = arena_strdup(r->arena, text)) ? 0 : -1;
}

int
cj_report_running(cj_report *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	r->running = arena_vprintf(r->arena, fmt, ap);
	va_end(ap);
	return r->running ? 0 : -1;
}

int
cj_report_properties(cj_report *r, const char *subject, const char *keywords)
{
	if (subject && !(r->subject = arena_strdup(r->arena, subject)))
		return -1;
	if (keywords && !(r->keywords = arena_strdup(r->arena, keywords)))
		return -1;
	return 0;
}

cj_table *
cj_report_table(cj_report *r, const char *name, int landscape)
{
	cj_table *t = arena_alloc(r->arena, sizeof *t);
	size_t cap = 0;

	if (!t)
		return NULL;
	memset(t, 0, sizeof *t);
	if (!(t->name = arena_strdup(r->arena, name)))
		return NULL;
	t->landscape = landscape;
	if (r->ntables) {
		cap = 8;
		while (cap < r->ntables)
			cap *= 2;
	}
	if (grow(r->arena, (void **)&r->tables, &cap, r->ntables + 1, sizeof *r->tables))
		return NULL;
	r->tables[r->ntables++] = t;
	return t;
}

int
cj_table_rename(cj_report *r, cj_table *t, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = arena_vprintf(r->arena, fmt, ap);
	va_end(ap);
	if (!s)
		return -1;
	t->name = s;
	return 0;
}

int
cj_table_context(cj_report *r, cj_table *t, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *k, *v;

	if (t->nctx == sizeof t->ctx_keys / sizeof t->ctx_keys[0])
		return -1;
	va_start(ap, fmt);
	v = arena_vprintf(r->arena, fmt, ap);
	va_end(ap);
	if (!v || !(k = arena_strdup(r->arena, key)))
		return -1;
	t->ctx_keys[t->nctx] = k;
	t->ctx_values[t->nctx++] = v;
	return 0;
}

int
cj_table_column(cj_report *r, cj_table *t, const char *group, const char *title,
		cj_col_type type, int width)
{
	size_t cap = 0;
	cj_column *c;

	if (t->nrows)
		return -1; /* columns first: rows are sized by them */
	if (t->ncols) {
		cap = 8;
		while (cap < t->ncols)
			cap *= 2;
	}
	if (grow(r->arena, (void **)&t->cols, &cap, t->ncols + 1, sizeof *t->cols))
		return -1;
	c = &t->cols[t->ncols];
	c->title = arena_strdup(r->arena, title);
	c->key = NULL;
	c->group = group ? arena_strdup(r->arena, group) : NULL;
	c->type = type;
	c->width = width;
	if (!c->title || (group && !c->group))
		return -1;
	t->ncols++;
	return 0;
}

int
cj_table_keys(cj_report *r, cj_table *t, const char *keys)
{
	size_t n = 1;
	const char *p = keys;

	for (const char *q = keys; *q; q++)
		n += *q == ',';
	if (n > t->ncols)
		return -1; /* more keys than columns: nothing is named */
	for (size_t c = 0; c < n; c++) {
		size_t len = strcspn(p, ",");
		char *k = arena_alloc(r->arena, len + 1);

		if (!k)
			return -1;
		memcpy(k, p, len);
		k[len] = '\0';
		t->cols[c].key = k;
		p += len + (p[len] == ',');
	}
	return 0;
}

long
cj_table_row(cj_report *r, cj_table *t, cj_row_kind kind, int level)
{
	cj_row *row;

	if (grow(r->arena, (void **)&t->rows, &t->rowcap, t->nrows + 1, sizeof *t->rows))
		return -1;
	row = &t->rows[t->nrows];
	memset(row, 0, sizeof *row);
	row->kind = kind;
	row->level = level;
	row->sum_first = row->sum_last = -1;
	row->cells = arena_alloc(r->arena, (t->ncols ? t->ncols : 1) * sizeof *row->cells);
	if (!row->cells)
		return -1;
	memset(row->cells, 0, (t->ncols ? t->ncols : 1) * sizeof *row->cells);
	return (long)t->nrows++;
}

int
cj_table_text(cj_report *r, cj_table *t, long row, size_t col, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (row < 0 || (size_t)row >= t->nrows || col >= t->ncols)
		return -1;
	va_start(ap, fmt);
	s = arena_vprintf(r->arena, fmt, ap);
	va_end(ap);
	if (!s)
		return -1;
	t->rows[row].cells[col].kind = CJ_CELL_TEXT;
	t->rows[row].cells[col].text = s;
	return 0;
}

void
cj_table_number(cj_table *t, long row, size_t col, int64_t value)
{
	if (row < 0 || (size_t)row >= t->nrows || col >= t->ncols)
		return;
	t->rows[row].cells[col].kind = CJ_CELL_NUMBER;
	t->rows[row].cells[col].value = value;
}

long
cj_table_total(cj_report *r, cj_table *t, cj_row_kind kind, size_t label_col, const char *label,
	       long first, long last)
{
	long row;

	/* an empty range (last = first - 1) gives zeros */
	if (first < 0 || last < first - 1 || (last >= 0 && (size_t)last >= t->nrows))
		return -1;
	row = cj_table_row(r, t, kind, 0);
	if (row < 0 || cj_table_text(r, t, row, label_col, "%s", label))
		return -1;
	t->rows[row].sum_first = first;
	t->rows[row].sum_last = last;
	for (size_t c = 0; c < t->ncols; c++) {
		int64_t sum = 0;

		if (c == label_col || t->cols[c].type == CJ_COL_TEXT || t->cols[c].type == CJ_COL_DATE ||
		    t->cols[c].type == CJ_COL_PERCENT)
			continue;
		for (long i = first; i <= last; i++) {
			const cj_row *x = &t->rows[i];

			if (x->kind == CJ_ROW_DATA && x->cells[c].kind == CJ_CELL_NUMBER &&
			    __builtin_add_overflow(sum, x->cells[c].value, &sum))
				return -1;
		}
		cj_table_number(t, row, c, sum);
	}
	return row;
}

int
cj_table_chart(cj_report *r, cj_table *t, cj_chart_type type, const char *title,
	       size_t label_col, size_t value_col, long first_row, long last_row)
{
	cj_chart *ch = arena_alloc(r->arena, sizeof *ch);

	if (!ch || label_col >= t->ncols || value_col >= t->ncols)
		return -1;
	memset(ch, 0, sizeof *ch); /* in_pdf and whatever comes later: off unless set */
	ch->title = arena_strdup(r->arena, title);
	ch->type = type;
	ch->label_col = label_col;
	ch->value_col = value_col;
	ch->first_row = first_row;
	ch->last_row = last_row;
	t->chart = ch;
	return ch->title ? 0 : -1;
}

int
cj_table_terms(cj_report *r, cj_table *t, long row, const cj_term *terms, size_t n)
{
	cj_term *copy;
	cj_row *x;

	if (row < 0 || (size_t)row >= t->nrows || !n)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (terms[i].row < 0 || terms[i].row >= row || (terms[i].sign != 1 && terms[i].sign != -1))
			return -1; /* terms come before the row: no cycles */
	copy = arena_alloc(r->arena, n * sizeof *copy);
	if (!copy)
		return -1;
	memcpy(copy, terms, n * sizeof *copy);
	x = &t->rows[row];
	for (size_t c = 0; c < t->ncols; c++) {
		int64_t sum = 0;

		if (t->cols[c].type == CJ_COL_TEXT || t->cols[c].type == CJ_COL_DATE ||
		    t->cols[c].type == CJ_COL_PERCENT || (x->cells[c].flags & CJ_CELL_FIXED))
			continue;
		for (size_t i = 0; i < n; i++) {
			const cj_cell *cell = &t->rows[terms[i].row].cells[c];
			int64_t v = cell->kind == CJ_CELL_NUMBER ? cell->value : 0;

			if (terms[i].sign < 0 ? __builtin_sub_overflow(sum, v, &sum)
					      : __builtin_add_overflow(sum, v, &sum))
				return -1;
		}
		cj_table_number(t, row, c, sum);
	}
	x->terms = copy;
	x->nterms = n;
	return 0;
}

void
cj_table_fixed(cj_table *t, long row, size_t col)
{
	if (row < 0 || (size_t)row >= t->nrows || col >= t->ncols)
		return;
	t->rows[row].cells[col].flags |= CJ_CELL_FIXED;
}

void
cj_table_indent_column(cj_table *t, size_t col)
{
	if (col < t->ncols)
		t->indent_col1 = col + 1;
}

/* ---- 过次页 / 承前页 ---- */

int
cj_table_carry(cj_report *r, cj_table *t, size_t label_col, const char *to_next,
	       const char *from_prev)
{
	cj_carry *c;

	if (label_col >= t->ncols || !(c = arena_alloc(r->arena, sizeof *c)) ||
	    !(c->role = arena_alloc(r->arena, t->ncols)) ||
	    !(c->to_next = arena_strdup(r->arena, to_next)) ||
	    !(c->from_prev = arena_strdup(r->arena, from_prev)))
		return -1;
	memset(c->role, CJ_CARRY_NONE, t->ncols);
	c->label_col = label_col;
	t->carry = c;
	return 0;
}

void
cj_table_carry_column(cj_table *t, size_t col, cj_carry_role role)
{
	if (t->carry && col < t->ncols && col != t->carry->label_col)
		t->carry->role[col] = (unsigned char)role;
}

void
cj_table_fill(cj_table *t, long row, size_t col, uint32_t rgb)
{
	if (row < 0 || (size_t)row >= t->nrows || col >= t->ncols)
		return;
	t->rows[row].cells[col].flags |= CJ_CELL_FILLED;
	t->rows[row].cells[col].fill = rgb & 0xFFFFFFu;
}

int
cj_table_carry_book(cj_report *r, cj_table *t, size_t label_col, size_t debit_col)
{
	if (debit_col + 3 >= t->ncols || cj_table_carry(r, t, label_col, "过次页", "承前页"))
		return -1;
	cj_table_carry_column(t, debit_col, CJ_CARRY_SUM);
	cj_table_carry_column(t, debit_col + 1, CJ_CARRY_SUM);
	cj_table_carry_column(t, debit_col + 2, CJ_CARRY_LAST);
	cj_table_carry_column(t, debit_col + 3, CJ_CARRY_LAST);
	return 0;
}

void
cj_table_carry_reset(cj_table *t, long row)
{
	if (row >= 0 && (size_t)row < t->nrows)
		t->rows[row].flags |= CJ_ROW_CARRY_RESET;
}

int
cj_table_carried(const cj_table *t, size_t upto, cj_cell *cells)
{
	size_t from = 0;
	int any = 0;

	memset(cells, 0, t->ncols * sizeof *cells);
	if (!t->carry)
		return 0;
	if (upto > t->nrows)
		upto = t->nrows;
	for (size_t i = upto; i > 0; i--)
		if (t->rows[i - 1].flags & CJ_ROW_CARRY_RESET) {
			from = i;
			break;
		}
	for (size_t i = from; i < upto; i++)
		any |= t->rows[i].kind == CJ_ROW_DATA;
	for (size_t c = 0; c < t->ncols; c++) {
		if (t->carry->role[c] == CJ_CARRY_SUM && any) {
			int64_t sum = 0;

			for (size_t i = from; i < upto; i++) {
				const cj_cell *x = &t->rows[i].cells[c];

				if (t->rows[i].kind == CJ_ROW_DATA && x->kind == CJ_CELL_NUMBER &&
				    __builtin_add_overflow(sum, x->value, &sum))
					return -1;
			}
			cells[c].kind = CJ_CELL_NUMBER;
			cells[c].value = sum;
		} else if (t->carry->role[c] == CJ_CARRY_LAST) {
			for (size_t i = upto; i > 0; i--)
				if (t->rows[i - 1].cells[c].kind != CJ_CELL_EMPTY) {
					cells[c] = t->rows[i - 1].cells[c];
					cells[c].flags = 0;
					break;
				}
		}
	}
	return 0;
}
