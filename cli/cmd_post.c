/*
 * cmd_post.c - post (from the command line or a CSV file) and void
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <importers/csv.h>

#include "cli.h"

#define MAX_FILE_BYTES (64L << 20)

/* "ACCT=AMOUNT[;counterparty[;summary]]" into a line; text points into spec. */
static int
parse_line_spec(const cmd_spec *cmd, char *spec, int debit, cj_line *l)
{
	char *eq = strchr(spec, '='), *semi, *amount;
	cj_money m;
	int rc;

	memset(l, 0, sizeof *l);
	if (!eq || eq == spec)
		return usage_error(cmd, "'--%s %s': expected ACCOUNT=AMOUNT, e.g. 102001=1200.00",
				   debit ? "debit" : "credit", spec);
	*eq = '\0';
	l->account = spec;
	amount = eq + 1;
	semi = strchr(amount, ';');
	if (semi) {
		*semi = '\0';
		l->counterparty = semi + 1;
		semi = strchr(semi + 1, ';');
		if (semi) {
			*semi = '\0';
			l->summary = semi + 1;
		}
		if (l->counterparty && !*l->counterparty)
			l->counterparty = NULL;
	}
	rc = cj_money_parse(&m, amount);
	if (rc)
		return usage_error(cmd, "account %s: '%s' is not an amount in yuan%s", spec, amount,
				   rc == CJ_EOVERFLOW ? " (too large)" : " (e.g. 1200, 1,200.50)");
	if (m.fen <= 0)
		return usage_error(cmd, "account %s: the amount must be positive; to correct a "
					"voucher, void it",
				   spec);
	if (debit)
		l->debit = m;
	else
		l->credit = m;
	return 0;
}

static void
print_posted(const cj_org *v, const cj_voucher *x, const cj_posted *p)
{
	char date[16];

	cj_date_format(date, sizeof date, x->date);
	if (p->existed)
		printf("%04d-%02d-%d already posted (same external id and content): 记字第%d号 %s %s\n",
		       p->period.year, p->period.month, p->number, p->number, v->code, date);
	else
		printf("%04d-%02d-%d posted: 记字第%d号 %s %s %s\n", p->period.year, p->period.month,
		       p->number, p->number, v->code, date, x->summary);
}

/* ------------------------------------------------------------------------ */
/* Voucher files */

enum { F_VILLAGE, F_DATE, F_SUMMARY, F_ACCOUNT, F_DEBIT, F_CREDIT, F_COUNTERPARTY,
       F_LINE_SUMMARY, F_EXTERNAL_ID, F_VOUCHER, F_NCOLS };

static const char *const column_names[F_NCOLS][3] = {
	{"village", "村代码", NULL},         {"date", "日期", NULL},
	{"summary", "摘要", NULL},           {"account", "科目代码", "科目"},
	{"debit", "借方金额", "借方"},       {"credit", "贷方金额", "贷方"},
	{"counterparty", "往来单位", NULL},  {"line_summary", "行摘要", NULL},
	{"external_id", "外部编号", NULL},   {"voucher", "凭证号", NULL},
};

typedef struct file_voucher {
	cj_voucher v;
	size_t first_line; /* first row's line in the file */
	size_t line0;      /* index of its first line in the lines array */
	char key[600];
} file_voucher;

typedef struct file_batch {
	char *text;        /* the whole file */
	cj_csv csv;
	char **strings;    /* copies of field values */
	size_t nstrings, capstrings;
	cj_line *lines;
	size_t nlines, caplines;
	file_voucher *vouchers;
	size_t nvouchers, capvouchers;
	cj_org *orgs;      /* villages resolved by code */
	size_t norgs;
	int errors;
} file_batch;

static char *
keep(file_batch *b, const char *s)
{
	char *copy = strdup(s);

	if (!copy)
		return NULL;
	if (b->nstrings == b->capstrings) {
		size_t cap = b->capstrings ? b->capstrings * 2 : 256;
		char **ns = realloc(b->strings, cap * sizeof *ns);
		if (!ns) {
			free(copy);
			return NULL;
		}
		b->strings = ns;
		b->capstrings = cap;
	}
	b->strings[b->nstrings++] = copy;
	return copy;
}

static void
batch_free(file_batch *b)
{
	for (size_t i = 0; i < b->nstrings; i++)
		free(b->strings[i]);
	free(b->strings);
	free(b->lines);
	free(b->vouchers);
	free(b->orgs);
	free(b->text);
	cj_csv_dispose(&b->csv);
}

static int
read_file(const char *path, char **out, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return fail_msg("%s: %s", path, strerror(errno));
	for (;;) {
		size_t got;
		if (cap - n < 65536) {
			char *nb;
			if (cap > (size_t)MAX_FILE_BYTES) {
				free(buf);
				if (f != stdin)
					fclose(f);
				return fail_msg("%s: larger than %ld MB; use 'cunji import' for big files",
						path, MAX_FILE_BYTES >> 20);
			}
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				if (f != stdin)
					fclose(f);
				return fail_msg("out of memory");
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		if (f != stdin)
			fclose(f);
		return fail_msg("%s: read error", path);
	}
	if (f != stdin)
		fclose(f);
	*out = buf;
	*len = n;
	return 0;
}

static int
village_id_of(cli *c, file_batch *b, const char *code, int *id)
{
	cj_org *no;

	for (size_t i = 0; i < b->norgs; i++)
		if (!strcmp(b->orgs[i].code, code)) {
			*id = b->orgs[i].id;
			return 0;
		}
	no = realloc(b->orgs, (b->norgs + 1) * sizeof *no);
	if (!no)
		return CJ_ENOMEM;
	b->orgs = no;
	if (cj_village_find(c->db, code, &b->orgs[b->norgs]))
		return CJ_ENOTFOUND;
	*id = b->orgs[b->norgs++].id;
	return 0;
}

static void
file_error(file_batch *b, const char *path, size_t line, const char *column, const char *fmt,
	   const char *value)
{
	fprintf(stderr, "cunji: %s: line %zu", path, line);
	if (column)
		fprintf(stderr, ", column %s", column);
	fputs(": ", stderr);
	fprintf(stderr, fmt, value);
	fputc('\n', stderr);
	b->errors++;
}

/* Parse the whole file; every problem is reported, then nothing is posted. */
static int
load_voucher_file(cli *c, const cli_opts *o, const char *path, file_batch *b)
{
	int col[F_NCOLS];
	size_t len = 0;
	int rc, status;
	const char *def_village = opt_get(o, "village");

	status = read_file(path, &b->text, &len);
	if (status)
		return status;
	cj_csv_init(&b->csv, b->text, len, cj_csv_sniff_delim(b->text, len));
	rc = cj_csv_next(&b->csv);
	if (rc <= 0)
		return fail_msg("%s: %s", path, rc == 0 ? "the file is empty" : b->csv.err);
	for (int k = 0; k < F_NCOLS; k++) {
		col[k] = -1;
		for (size_t i = 0; i < b->csv.nfields; i++) {
			const char *h = cj_csv_field(&b->csv, i);
			for (int a = 0; a < 3 && column_names[k][a]; a++)
				if (!strcmp(h, column_names[k][a]))
					col[k] = (int)i;
		}
	}
	if (col[F_ACCOUNT] < 0 || col[F_DEBIT] < 0 || col[F_CREDIT] < 0 || col[F_DATE] < 0 ||
	    col[F_SUMMARY] < 0 || (col[F_VILLAGE] < 0 && !def_village))
		return fail_msg("%s: line 1: the header needs the columns date, summary, account, "
				"debit, credit%s (or 日期, 摘要, 科目代码, 借方金额, 贷方金额%s)",
				path, def_village ? "" : ", village", def_village ? "" : ", 村代码");

	while ((rc = cj_csv_next(&b->csv)) == 1) {
		const char *f[F_NCOLS];
		size_t line = b->csv.line;
		cj_line l;
		cj_money dm = CJ_MONEY_ZERO, cm = CJ_MONEY_ZERO;
		cj_date date;
		int vid = 0;
		char key[600];
		file_voucher *fv = NULL;

		if (b->csv.nfields == 1 && !cj_csv_field(&b->csv, 0)[0])
			continue; /* blank line */
		for (int k = 0; k < F_NCOLS; k++)
			f[k] = col[k] >= 0 && (size_t)col[k] < b->csv.nfields
				       ? cj_csv_field(&b->csv, (size_t)col[k])
				       : "";
		if (col[F_VILLAGE] < 0 || !f[F_VILLAGE][0])
			f[F_VILLAGE] = def_village ? def_village : "";
		if (village_id_of(c, b, f[F_VILLAGE], &vid)) {
			file_error(b, path, line, "village", "'%s' is not a village", f[F_VILLAGE]);
			continue;
		}
		if (cj_date_parse(&date, f[F_DATE])) {
			file_error(b, path, line, "date", "'%s' is not a date (YYYY-MM-DD)", f[F_DATE]);
			continue;
		}
		if (f[F_DEBIT][0] && cj_money_parse(&dm, f[F_DEBIT])) {
			file_error(b, path, line, "debit", "'%s' is not an amount", f[F_DEBIT]);
			continue;
		}
		if (f[F_CREDIT][0] && cj_money_parse(&cm, f[F_CREDIT])) {
			file_error(b, path, line, "credit", "'%s' is not an amount", f[F_CREDIT]);
			continue;
		}
		if ((dm.fen != 0) == (cm.fen != 0)) {
			file_error(b, path, line, NULL, "%s",
				   "a row needs either a debit or a credit amount");
			continue;
		}
		if (!f[F_SUMMARY][0]) {
			file_error(b, path, line, "summary", "%s", "the summary (摘要) is empty");
			continue;
		}
		memset(&l, 0, sizeof l);
		l.debit = dm;
		l.credit = cm;
		l.account = keep(b, f[F_ACCOUNT]);
		l.counterparty = f[F_COUNTERPARTY][0] ? keep(b, f[F_COUNTERPARTY]) : NULL;
		l.summary = f[F_LINE_SUMMARY][0] ? keep(b, f[F_LINE_SUMMARY]) : NULL;
		if (!l.account)
			return fail_msg("out of memory");

		/* rows of one voucher: the same voucher column, else the same
		 * village, date, summary and external id in consecutive rows */
		snprintf(key, sizeof key, "%d\x1f%s\x1f%s\x1f%s\x1f%s", vid, f[F_VOUCHER],
			 col[F_VOUCHER] >= 0 ? "" : f[F_DATE], col[F_VOUCHER] >= 0 ? "" : f[F_SUMMARY],
			 f[F_EXTERNAL_ID]);
		if (col[F_VOUCHER] >= 0) {
			for (size_t i = 0; i < b->nvouchers; i++)
				if (!strcmp(b->vouchers[i].key, key))
					fv = &b->vouchers[i];
		} else if (b->nvouchers && !strcmp(b->vouchers[b->nvouchers - 1].key, key)) {
			fv = &b->vouchers[b->nvouchers - 1];
		}
		if (fv && fv->line0 + fv->v.nlines != b->nlines) {
			file_error(b, path, line, "voucher", "rows of voucher '%s' must be consecutive",
				   f[F_VOUCHER]);
			continue;
		}
		if (!fv) {
			if (b->nvouchers == b->capvouchers) {
				size_t cap = b->capvouchers ? b->capvouchers * 2 : 64;
				file_voucher *nv = realloc(b->vouchers, cap * sizeof *nv);
				if (!nv)
					return fail_msg("out of memory");
				b->vouchers = nv;
				b->capvouchers = cap;
			}
			fv = &b->vouchers[b->nvouchers++];
			memset(fv, 0, sizeof *fv);
			snprintf(fv->key, sizeof fv->key, "%s", key);
			fv->first_line = line;
			fv->line0 = b->nlines;
			fv->v.village_id = vid;
			fv->v.date = date;
			fv->v.summary = keep(b, f[F_SUMMARY]);
			fv->v.external_id = f[F_EXTERNAL_ID][0] ? keep(b, f[F_EXTERNAL_ID]) : NULL;
			fv->v.preparer = opt_get(o, "preparer");
			fv->v.kind = opt_has(o, "opening") ? CJ_VOUCHER_OPENING : CJ_VOUCHER_NORMAL;
		}
		if (b->nlines == b->caplines) {
			size_t cap = b->caplines ? b->caplines * 2 : 256;
			cj_line *nl = realloc(b->lines, cap * sizeof *nl);
			if (!nl)
				return fail_msg("out of memory");
			b->lines = nl;
			b->caplines = cap;
		}
		b->lines[b->nlines++] = l;
		fv->v.nlines++;
	}
	if (rc < 0)
		return fail_msg("%s: %s", path, rc == -1 ? b->csv.err : "out of memory");
	if (b->errors)
		return fail_msg("%s: %d error%s; nothing was posted", path, b->errors,
				b->errors == 1 ? "" : "s");
	if (!b->nvouchers)
		return fail_msg("%s: no vouchers in the file", path);
	for (size_t i = 0; i < b->nvouchers; i++)
		b->vouchers[i].v.lines = b->lines + b->vouchers[i].line0;
	return 0;
}

static int
post_file(cli *c, const cli_opts *o, const char *path)
{
	file_batch b;
	cj_voucher *vs = NULL;
	cj_posted *posted = NULL;
	cj_poster *poster = NULL;
	int status;
	size_t fresh = 0;

	memset(&b, 0, sizeof b);
	status = load_voucher_file(c, o, path, &b);
	if (status)
		goto done;
	vs = calloc(b.nvouchers, sizeof *vs);
	posted = calloc(b.nvouchers, sizeof *posted);
	if (!vs || !posted || cj_poster_new(&poster, c->db)) {
		status = fail_msg("out of memory");
		goto done;
	}
	for (size_t i = 0; i < b.nvouchers; i++)
		vs[i] = b.vouchers[i].v;
	if (cj_post_batch(poster, vs, b.nvouchers, posted)) {
		status = fail_msg("%s: %s; nothing was posted", path, cj_db_errmsg(c->db));
		goto done;
	}
	for (size_t i = 0; i < b.nvouchers; i++) {
		cj_org v;
		memset(&v, 0, sizeof v);
		for (size_t k = 0; k < b.norgs; k++)
			if (b.orgs[k].id == vs[i].village_id)
				v = b.orgs[k];
		print_posted(&v, &vs[i], &posted[i]);
		fresh += !posted[i].existed;
	}
	printf("%s: %zu voucher%s posted, %zu already there\n", path, fresh, fresh == 1 ? "" : "s",
	       b.nvouchers - fresh);
done:
	cj_poster_free(poster);
	free(vs);
	free(posted);
	batch_free(&b);
	return status;
}

/* ------------------------------------------------------------------------ */

int
cmd_post(cli *c, const cli_opts *o)
{
	const char **debits, **credits;
	int nd, nc, status = 0;
	cj_line *lines = NULL;
	char **copies = NULL;
	cj_voucher v;
	cj_posted posted;
	cj_poster *poster = NULL;
	cj_org village;
	const char *date = opt_get(o, "date"), *att = opt_get(o, "attachments");

	if (opt_has(o, "file")) {
		if (opt_has(o, "debit") || opt_has(o, "credit") || opt_has(o, "summary") ||
		    opt_has(o, "date") || opt_has(o, "id") || opt_has(o, "allow-negative-cash") ||
		    opt_has(o, "reason"))
			return usage_error(o->cmd, "--file takes the lines from the file; drop "
						   "--debit, --credit, --date, --summary, --id, "
						   "--allow-negative-cash and --reason");
		return post_file(c, o, opt_get(o, "file"));
	}
	debits = opt_all(o, "debit", &nd);
	credits = opt_all(o, "credit", &nc);
	if (!date || !opt_has(o, "summary"))
		return usage_error(o->cmd, "--date and --summary are required");
	if (opt_has(o, "allow-negative-cash") != opt_has(o, "reason"))
		return usage_error(o->cmd, "--allow-negative-cash and --reason TEXT go together: the "
					   "reason is recorded on the voucher");
	if (nd < 1 || nc < 1)
		return usage_error(o->cmd, "a voucher needs at least one --debit and one --credit");
	memset(&v, 0, sizeof v);
	if (cj_date_parse(&v.date, date))
		return usage_error(o->cmd, "--date '%s' is not a date (YYYY-MM-DD)", date);
	if (att) {
		char *end;
		long n = strtol(att, &end, 10);
		if (*end || n < 0 || n > 100000)
			return usage_error(o->cmd, "--attachments must be a count, not '%s'", att);
		v.attachments = (int)n;
	}
	if ((status = arg_village(c, o, &village)))
		return status;
	lines = calloc((size_t)(nd + nc), sizeof *lines);
	copies = calloc((size_t)(nd + nc), sizeof *copies);
	if (!lines || !copies) {
		status = fail_msg("out of memory");
		goto done;
	}
	for (int i = 0; i < nd + nc && !status; i++) {
		copies[i] = strdup(i < nd ? debits[i] : credits[i - nd]);
		if (!copies[i])
			status = fail_msg("out of memory");
		else
			status = parse_line_spec(o->cmd, copies[i], i < nd, &lines[i]);
	}
	if (status)
		goto done;
	/* a fund or project tags every line: the money's source and its use */
	if (opt_get(o, "fund") || opt_get(o, "project")) {
		cj_fund_info fund = {0};
		cj_project_info project = {0};

		if ((opt_get(o, "fund") && cj_fund_find(c->db, village.id, opt_get(o, "fund"), &fund)) ||
		    (opt_get(o, "project") &&
		     cj_project_find(c->db, village.id, opt_get(o, "project"), &project))) {
			status = fail_db(c, NULL);
			goto done;
		}
		for (int i = 0; i < nd + nc; i++) {
			lines[i].fund_id = fund.id;
			lines[i].project_id = project.id;
		}
	}
	v.village_id = village.id;
	v.summary = opt_get(o, "summary");
	v.preparer = opt_get(o, "preparer") ? opt_get(o, "preparer") : getenv("USER");
	v.external_id = opt_get(o, "id");
	v.kind = opt_has(o, "opening") ? CJ_VOUCHER_OPENING : CJ_VOUCHER_NORMAL;
	v.negative_cash_reason = opt_get(o, "reason");
	v.lines = lines;
	v.nlines = (size_t)(nd + nc);
	if (cj_poster_new(&poster, c->db)) {
		status = fail_msg("out of memory");
		goto done;
	}
	if (cj_post_batch(poster, &v, 1, &posted)) {
		status = fail_db(c, NULL);
		goto done;
	}
	print_posted(&village, &v, &posted);
done:
	cj_poster_free(poster);
	for (int i = 0; copies && i < nd + nc; i++)
		free(copies[i]);
	free(copies);
	free(lines);
	return status;
}

int
cmd_void(cli *c, const cli_opts *o)
{
	const char *number = opt_get(o, "number"), *ext = opt_get(o, "id");
	const char *date = opt_get(o, "date");
	cj_voucher_info orig;
	cj_posted posted;
	cj_poster *poster = NULL;
	cj_org village;
	cj_date d;
	int status;

	if (!number == !ext)
		return usage_error(o->cmd, "give either --number YYYY-MM-N or --id EXT");
	if (date && cj_date_parse(&d, date))
		return usage_error(o->cmd, "--date '%s' is not a date (YYYY-MM-DD)", date);
	if ((status = arg_village(c, o, &village)))
		return status;
	if (number) {
		cj_period per;
		char pbuf[8];
		char *end;
		long n;
		if (strlen(number) < 9 || number[7] != '-')
			return usage_error(o->cmd, "--number '%s' should look like 2025-03-7", number);
		memcpy(pbuf, number, 7);
		pbuf[7] = '\0';
		n = strtol(number + 8, &end, 10);
		if (cj_period_parse(&per, pbuf) || *end || n <= 0 || n > 1000000)
			return usage_error(o->cmd, "--number '%s' should look like 2025-03-7", number);
		if (cj_voucher_find_number(c->db, village.id, per, (int)n, &orig))
			return fail_db(c, NULL);
	} else if (cj_voucher_find_external(c->db, village.id, ext, &orig)) {
		return fail_db(c, NULL);
	}
	if (!date)
		d = orig.date;
	if (cj_poster_new(&poster, c->db))
		return fail_msg("out of memory");
	if (cj_voucher_void(poster, &orig, d,
			    opt_get(o, "preparer") ? opt_get(o, "preparer") : getenv("USER"),
			    &posted)) {
		status = fail_msg("voiding %04d-%02d-%d: %s", orig.period.year, orig.period.month,
				  orig.number, cj_db_errmsg(c->db));
	} else {
		printf("%04d-%02d-%d voided by red reversal %04d-%02d-%d (记字第%d号)\n",
		       orig.period.year, orig.period.month, orig.number, posted.period.year,
		       posted.period.month, posted.number, posted.number);
	}
	cj_poster_free(poster);
	return status;
}
