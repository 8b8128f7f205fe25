/*
 * publication.c - disclosure sheets as published (schema 0030): publish,
 * list, fetch a file, check against the books, show as tables, and the
 * public reader's password
 *
 * SPDX-License-Identifier: MIT
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ledger/buf.h>
#include <ledger/i18n.h>
#include <ledger/sql.h>
#include <reports/publication.h>

#include "sheet_read.h"

/* ---- publishing ---- */

/* The first file under dir (one level of county, one of township) ending in ext. */
static int
find_file(const char *dir, const char *ext, int depth, char *out, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		char path[4096];
		struct stat st;
		size_t n = strlen(e->d_name), m = strlen(ext);
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode) && depth > 0)
			found = find_file(path, ext, depth - 1, out, size);
		else if (S_ISREG(st.st_mode) && n > m && !strcmp(e->d_name + n - m, ext)) {
			snprintf(out, size, "%s", path);
			found = 1;
		}
	}
	closedir(d);
	return found;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	cj_buf b = CJ_BUF_INIT;
	char chunk[65536];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		cj__buf_put(&b, chunk, n);
	fclose(f);
	if (!cj__buf_ok(&b)) {
		cj__buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return b.data ? b.data : calloc(1, 1);
}

/* bytea's text input: \x and hex digits (malloc'd). */
static char *
bytea_hex(const char *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char *s = malloc(2 * len + 3);

	if (!s)
		return NULL;
	s[0] = '\\', s[1] = 'x';
	for (size_t i = 0; i < len; i++) {
		s[2 + 2 * i] = digits[(unsigned char)data[i] >> 4];
		s[3 + 2 * i] = digits[(unsigned char)data[i] & 15];
	}
	s[2 + 2 * len] = '\0';
	return s;
}

static void
remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d) {
		while ((e = readdir(d))) {
			char path[4096];
			struct stat st;
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			if (!lstat(path, &st) && S_ISDIR(st.st_mode))
				remove_tree(path);
			else
				unlink(path);
		}
		closedir(d);
	}
	rmdir(dir);
}

int
cj_pub_publish(cj_db *db, const char *village, cj_span period, cj_date posted_on, cj_pub_sheet *out)
{
	static const char sql[] =
		"INSERT INTO cunji.publication (village_id, period, period_end, posted_on, vouchers,\n"
		"       digest, anchor_seq, anchor_head, anchor, xlsx, pdf)\n"
		"SELECT id, $2, $3::date, $4::date, $5::bigint, $6, $7::bigint, $8, $9, $10::bytea, $11::bytea\n"
		"  FROM cunji.org WHERE code = $1 AND level = 'village'\n"
		"RETURNING id";
	char dir[] = "/tmp/cunji-publish-XXXXXX", xlsx_path[4096], pdf_path[4096], err[512];
	char tag[CJ_SPAN_TEXT_MAX], end[16], posted[16], vouchers[24], seq[24];
	char *xlsx = NULL, *pdf = NULL, *xlsx_hex = NULL, *pdf_hex = NULL;
	size_t xlsx_len = 0, pdf_len = 0;
	cj_dis_request req = {0};
	cj_dis_result res;
	cj_dis_stamp st;
	cj_anchor a;
	PGresult *r;
	int status, have_stamp = 0;

	if (!mkdtemp(dir))
		return cj_db_fail(db, CJ_EIO, _("cannot make a scratch directory for the sheets"));
	req.level = CJ_DIS_VILLAGE;
	req.code = village;
	req.period = period;
	req.out_dir = dir;
	req.formats = CJ_DIS_XLSX | CJ_DIS_PDF;
	req.jobs = 1;
	req.posted_on = posted_on;
	if ((status = cj_disclose(db, &req, &res)))
		goto done;
	if (!find_file(dir, ".xlsx", 3, xlsx_path, sizeof xlsx_path) ||
	    !find_file(dir, ".pdf", 3, pdf_path, sizeof pdf_path)) {
		status = cj_db_fail(db, CJ_EIO, _("the disclosure run wrote no sheet for %s"), village);
		goto done;
	}
	if ((status = cj_dis_stamp_read(xlsx_path, &st, err, sizeof err))) {
		status = cj_db_fail(db, status, "%s", err);
		goto done;
	}
	have_stamp = 1;
	if ((status = cj_sheet_anchor_read(xlsx_path, &a, err, sizeof err))) {
		status = cj_db_fail(db, status, "%s", err);
		goto done;
	}
	if (!(xlsx = slurp(xlsx_path, &xlsx_len)) || !(pdf = slurp(pdf_path, &pdf_len)) ||
	    !(xlsx_hex = bytea_hex(xlsx, xlsx_len)) || !(pdf_hex = bytea_hex(pdf, pdf_len))) {
		status = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		goto done;
	}
	cj_span_tag(tag, sizeof tag, period);
	cj_date_format(end, sizeof end, st.end);
	cj_date_format(posted, sizeof posted, st.posted);
	snprintf(vouchers, sizeof vouchers, "%ld", st.vouchers);
	snprintf(seq, sizeof seq, "%ld", st.seq);
	{
		const char *params[11] = {village, tag, end, posted, vouchers, st.hex, seq, st.head,
					  a.text, xlsx_hex, pdf_hex};
		if ((status = cj_db_exec(db, &r, sql, 11, params)))
			goto done;
	}
	if (PQntuples(r) != 1) {
		PQclear(r);
		status = cj_db_fail(db, CJ_ENOTFOUND, _("village %s not found"), village);
		goto done;
	}
	if (out) {
		int64_t id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		cj_pub_sheet *list = NULL;
		size_t n = 0;
		PQclear(r);
		memset(out, 0, sizeof *out);
		if ((status = cj_pub_list(db, 1, village, &list, &n)))
			goto done;
		for (size_t i = 0; i < n; i++)
			if (list[i].id == id)
				*out = list[i];
		free(list);
	} else {
		PQclear(r);
	}
done:
	if (have_stamp)
		cj_dis_stamp_free(&st);
	free(xlsx);
	free(pdf);
	free(xlsx_hex);
	free(pdf_hex);
	remove_tree(dir);
	return status;
}

/* ---- reading ---- */

int
cj_pub_list(cj_db *db, int mine, const char *village, cj_pub_sheet **out, size_t *n)
{
	static const char sql_mine[] =
		"SELECT p.id, v.code, v.name, t.name, c.name, p.period, p.posted_on,\n"
		"       to_char(p.published_at, 'YYYY-MM-DD HH24:MI'), p.published_by, p.vouchers,\n"
		"       EXISTS (SELECT 1 FROM cunji.publication n WHERE n.village_id = p.village_id\n"
		"                  AND n.period = p.period AND n.id > p.id)\n"
		"  FROM cunji.publication p\n"
		"  JOIN cunji.org v ON v.id = p.village_id\n"
		"  JOIN cunji.org t ON t.id = v.parent_id\n"
		"  JOIN cunji.org c ON c.id = t.parent_id\n"
		" WHERE $1::text IS NULL OR v.code = $1\n"
		" ORDER BY c.code, t.code, v.code, p.period DESC, p.id DESC";
	static const char sql_public[] =
		"SELECT id, village_code, village_name, township_name, county_name, period, posted_on,\n"
		"       to_char(published_at, 'YYYY-MM-DD HH24:MI'), '', vouchers, superseded\n"
		"  FROM cunji.public_sheets() WHERE $1::text IS NULL OR village_code = $1";
	const char *params[1] = {village};
	PGresult *r;
	cj_pub_sheet *s;
	int status, rows;

	*out = NULL;
	*n = 0;
	if ((status = cj_db_exec_prepared(db, &r, mine ? sql_mine : sql_public, 1, params)))
		return status;
	rows = PQntuples(r);
	if (!(s = calloc(rows ? (size_t)rows : 1, sizeof *s))) {
		PQclear(r);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	for (int i = 0; i < rows; i++) {
		cj_span span;
		char err[128];
		s[i].id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
		snprintf(s[i].village, sizeof s[i].village, "%s", PQgetvalue(r, i, 1));
		snprintf(s[i].village_name, sizeof s[i].village_name, "%s", PQgetvalue(r, i, 2));
		snprintf(s[i].township_name, sizeof s[i].township_name, "%s", PQgetvalue(r, i, 3));
		snprintf(s[i].county_name, sizeof s[i].county_name, "%s", PQgetvalue(r, i, 4));
		snprintf(s[i].period, sizeof s[i].period, "%s", PQgetvalue(r, i, 5));
		if (!cj_span_parse(&span, s[i].period, err, sizeof err))
			cj_span_label(s[i].period_label, sizeof s[i].period_label, span);
		else
			snprintf(s[i].period_label, sizeof s[i].period_label, "%s", s[i].period);
		if (cj_date_parse(&s[i].posted_on, PQgetvalue(r, i, 6)))
			memset(&s[i].posted_on, 0, sizeof s[i].posted_on);
		snprintf(s[i].published_at, sizeof s[i].published_at, "%s", PQgetvalue(r, i, 7));
		snprintf(s[i].published_by, sizeof s[i].published_by, "%s", PQgetvalue(r, i, 8));
		s[i].vouchers = atol(PQgetvalue(r, i, 9));
		s[i].superseded = PQgetvalue(r, i, 10)[0] == 't';
	}
	PQclear(r);
	*out = s;
	*n = (size_t)rows;
	return 0;
}

int
cj_pub_file(cj_db *db, int64_t id, const char *format, char **data, size_t *len, char *name,
	    size_t namesize)
{
	static const char sql[] = "SELECT name, data FROM cunji.public_sheet_file($1::bigint, $2)";
	char ids[24];
	const char *params[2] = {ids, format};
	unsigned char *raw;
	size_t rawlen;
	PGresult *r;
	int status;

	*data = NULL;
	*len = 0;
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	if ((status = cj_db_exec_prepared(db, &r, sql, 2, params)))
		return status;
	if (PQntuples(r) != 1 || PQgetisnull(r, 0, 1)) {
		PQclear(r);
		return cj_db_fail(db, CJ_ENOTFOUND, _("no published sheet %lld in %s"), (long long)id,
				  format);
	}
	snprintf(name, namesize, "%s", PQgetvalue(r, 0, 0));
	raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 1), &rawlen);
	PQclear(r);
	if (!raw || !(*data = malloc(rawlen ? rawlen : 1))) {
		PQfreemem(raw);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	memcpy(*data, raw, rawlen);
	*len = rawlen;
	PQfreemem(raw);
	return 0;
}

int
cj_pub_check_sheet(cj_db *db, int64_t id, cj_pub_check *out)
{
	static const char sql[] =
		"SELECT c.vouchers_then, c.vouchers_now, c.same_books, c.anchor_holds,\n"
		"       coalesce(h.hotline, ''), coalesce(h.owner_name, '')\n"
		"  FROM cunji.public_sheet_check($1::bigint) c\n"
		"  LEFT JOIN cunji.public_hotline($1::bigint) h ON true";
	char ids[24];
	const char *params[1] = {ids};
	PGresult *r;
	int status;

	memset(out, 0, sizeof *out);
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	if ((status = cj_db_exec_prepared(db, &r, sql, 1, params)))
		return status;
	if (PQntuples(r) != 1 || PQgetisnull(r, 0, 0)) {
		PQclear(r);
		return cj_db_fail(db, CJ_ENOTFOUND, _("no published sheet %lld"), (long long)id);
	}
	out->vouchers_then = atol(PQgetvalue(r, 0, 0));
	out->vouchers_now = atol(PQgetvalue(r, 0, 1));
	out->same_books = PQgetvalue(r, 0, 2)[0] == 't';
	out->anchor_holds = PQgetvalue(r, 0, 3)[0] == 't';
	snprintf(out->hotline, sizeof out->hotline, "%s", PQgetvalue(r, 0, 4));
	snprintf(out->hotline_owner, sizeof out->hotline_owner, "%s", PQgetvalue(r, 0, 5));
	PQclear(r);
	/* as cj_dis_verify decides: other books first, then a rewritten chain, then stale */
	out->verdict = !out->same_books	       ? CJ_DIS_FOREIGN
		       : !out->anchor_holds    ? CJ_DIS_REWRITTEN
		       : out->vouchers_now > out->vouchers_then ? CJ_DIS_STALE
							       : CJ_DIS_MATCH;
	return 0;
}

int
cj_pub_of_anchor(cj_db *db, const char *qr, int64_t *id)
{
	static const char sql[] =
		"SELECT cunji.public_sheet_of_anchor($1, $2::bigint, $3, $4)";
	char seq[24], period[16] = "";
	const char *p, *params[4];
	cj_anchor a;
	PGresult *r;
	int status;

	*id = 0;
	if (!qr || cj_anchor_parse(qr, &a))
		return cj_db_fail(db, CJ_EINVAL, _("this is not the code of a cunji sheet"));
	if ((p = strstr(a.text, " period=")) && sscanf(p, " period=%15[0-9Q-]", period) != 1)
		period[0] = '\0';
	snprintf(seq, sizeof seq, "%lld", (long long)a.seq);
	params[0] = a.village, params[1] = seq, params[2] = a.head, params[3] = period[0] ? period : NULL;
	if ((status = cj_db_exec_prepared(db, &r, sql, 4, params)))
		return status;
	if (PQntuples(r) != 1 || PQgetisnull(r, 0, 0)) {
		PQclear(r);
		return cj_db_fail(db, CJ_ENOTFOUND, _("no published sheet carries this code"));
	}
	*id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return 0;
}

/* ---- a published workbook as tables ---- */

/* A decimal text ("0.125", "-3") times 10^scale, rounded half away from
 * zero, without floating point; 0, or -1 when it is not such a number. */
static int
decimal_scaled(const char *text, int scale, int64_t *out)
{
	const char *p = text;
	int neg = 0, digits = 0, frac = -1, round = 0;
	int64_t v = 0;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; *p; p++) {
		if (*p == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (*p < '0' || *p > '9' || digits > 15)
			return -1;
		digits++;
		if (frac >= scale) { /* past the digits kept: the first decides rounding */
			if (frac == scale)
				round = *p >= '5';
			frac++;
			continue;
		}
		v = v * 10 + (*p - '0');
		if (frac >= 0)
			frac++;
	}
	if (!digits)
		return -1;
	for (int k = frac < 0 ? 0 : frac; k < scale; k++)
		v *= 10;
	v += round;
	*out = neg ? -v : v;
	return 0;
}

/* A number of the workbook as its style shows it: money as 77,926.30, a
 * percentage as 12.5%; anything else as stored. */
static void
shown(const sheet_cell *c, char *buf, size_t size)
{
	cj_money m;
	int64_t tenths;

	if (c->kind == SHEET_MONEY && !cj_money_parse(&m, c->value) &&
	    cj_money_format(buf, size, m, CJ_MONEY_FMT_GROUPED) >= 0)
		return;
	if (c->kind == SHEET_PERCENT && !decimal_scaled(c->value, 3, &tenths)) {
		int64_t a = tenths < 0 ? -tenths : tenths;
		snprintf(buf, size, "%s%lld.%lld%%", tenths < 0 ? "-" : "", (long long)(a / 10),
			 (long long)(a % 10));
		return;
	}
	snprintf(buf, size, "%s", c->value);
}

int
cj_pub_sheet_report(const char *xlsx, size_t len, const char *title, cj_report **out)
{
	char path[] = "/tmp/cunji-sheet-XXXXXX", err[256];
	int fd = mkstemp(path), status = CJ_ENOMEM;
	sheet_cells cells = {0};
	cj_report *rep;

	*out = NULL;
	if (fd < 0)
		return CJ_EIO;
	if (write(fd, xlsx, len) != (ssize_t)len) {
		close(fd);
		unlink(path);
		return CJ_EIO;
	}
	close(fd);
	if (cj__sheet_xlsx_cells(path, &cells, err, sizeof err)) {
		unlink(path);
		return CJ_EINVAL;
	}
	unlink(path);
	if (!(rep = cj_report_new(title)))
		goto done;
	for (size_t s = 0, i = 0; s < cells.nnames; s++) {
		long maxcol = 0, row = 0, cur = -1;
		size_t first = i;
		cj_table *t;
		while (i < cells.n && cells.cells[i].sheet == s) {
			if (cells.cells[i].col > maxcol)
				maxcol = cells.cells[i].col;
			i++;
		}
		if (i == first)
			continue;
		if (!(t = cj_report_table(rep, cells.names[s], 0)))
			goto done;
		for (long c = 0; c < maxcol; c++)
			if (cj_table_column(rep, t, NULL, "", CJ_COL_TEXT, 12))
				goto done;
		for (size_t k = first; k < i; k++) {
			const sheet_cell *c = &cells.cells[k];
			if (c->row != row) {
				/* a line of one cell in the first column (title, subtitle, note)
				 * spans the table, as a heading does */
				size_t e = k;
				int alone = c->col == 1;
				while (e < i && cells.cells[e].row == c->row)
					alone &= e == k || !cells.cells[e].value[0], e++;
				if ((cur = cj_table_row(rep, t, alone ? CJ_ROW_HEADING : CJ_ROW_DATA, 0)) < 0)
					goto done;
				row = c->row;
			}
			if (c->value[0]) {
				char num[64];
				shown(c, num, sizeof num);
				if (cj_table_text(rep, t, cur, (size_t)(c->col - 1), "%s",
						  c->kind == SHEET_TEXT ? c->value : num))
					goto done;
				if (c->kind != SHEET_TEXT)
					t->rows[cur].cells[c->col - 1].flags |= CJ_CELL_FIGURE;
			}
		}
	}
	*out = rep;
	rep = NULL;
	status = 0;
done:
	cj_report_free(rep);
	cj__sheet_cells_free(&cells);
	return status;
}

/* ---- the public reader ---- */

int
cj_pub_reader_password(cj_db *db, char password[65])
{
	unsigned char raw[32];
	const char *params[1];
	char *verifier;
	int status;

	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
		return cj_db_fail(db, CJ_EIO, _("no random bytes for a password"));
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(password + 2 * i, 3, "%02x", raw[i]);
	verifier = PQencryptPasswordConn(cj_db_conn(db), password, CJ_PUB_READER, "scram-sha-256");
	if (!verifier)
		return cj_db_fail(db, CJ_EIO, "%s", PQerrorMessage(cj_db_conn(db)));
	params[0] = verifier;
	status = cj_db_exec(db, NULL, "SELECT cunji.public_reader_password($1)", 1, params);
	PQfreemem(verifier);
	return status;
}
