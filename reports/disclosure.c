/*
 * disclosure.c - what every disclosure sheet shares: periods, dates, the
 * organisation block, hotlines, the ledger digest and its stamp
 *
 * SPDX-License-Identifier: MIT
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ledger/sql.h>
#include <ledger/i18n.h>

#include "disclosure_internal.h"

/* The national supervision hotline of the agriculture and rural affairs system. */
#define HOTLINE_NATIONAL "12317"

static const char *const level_names[3] = {"village", "township", "county"};

int
cj_dis_level_parse(const char *text)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(text, level_names[i]))
			return i;
	return -1;
}

const char *
cj_dis_level_name(cj_dis_level level)
{
	return level_names[level];
}

static int
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

int
cj__dis_period_of(cj_db *db, cj_span span, dis_period *out)
{
	char tag[CJ_SPAN_TEXT_MAX];

	memset(out, 0, sizeof *out);
	if (span.kind == CJ_SPAN_RANGE)
		return cj_db_fail(db, CJ_EINVAL, _("disclosure sheets are made for a month, a quarter or "
				  "a year, not for %s"), cj_span_tag(tag, sizeof tag, span));
	out->span = span;
	out->year = span.from.year;
	out->first_month = span.from.month;
	out->last_month = span.to.month;
	out->from = cj_span_first_day(span);
	out->to = cj_span_last_day(span);
	cj_span_tag(out->tag, sizeof out->tag, span);
	cj_span_label(out->label, sizeof out->label, span);
	return 0;
}

void
cj__dis_date_cn(char *buf, size_t size, cj_date d)
{
	snprintf(buf, size, "%d年%d月%d日", d.year, d.month, d.day);
}

cj_date
cj__dis_add_days(cj_date d, int days)
{
	while (days-- > 0) {
		if (++d.day > cj_days_in_month(d.year, d.month)) {
			d.day = 1;
			if (++d.month > 12) {
				d.month = 1;
				d.year++;
			}
		}
	}
	return d;
}

cj_date
cj__dis_posted_on(const dis_period *p, cj_date given)
{
	cj_date d = p->to;

	if (given.year)
		return given;
	/* local practice (§2.1): the disclosure day is the 15th of the month after */
	d = cj__dis_add_days(d, 1);
	d.day = 15;
	return d;
}

int
cj__dis_org_load(cj_db *db, int org_id, dis_org *out)
{
	static const char sql[] =
		"SELECT o.level, o.code, o.name,\n"
		"       coalesce(CASE o.level WHEN 'village' THEN t.code WHEN 'township' THEN o.code END, ''),\n"
		"       coalesce(CASE o.level WHEN 'village' THEN t.name WHEN 'township' THEN o.name END, ''),\n"
		"       coalesce(CASE o.level WHEN 'village' THEN c.code WHEN 'township' THEN t.code\n"
		"                ELSE o.code END, ''),\n"
		"       coalesce(CASE o.level WHEN 'village' THEN c.name WHEN 'township' THEN t.name\n"
		"                ELSE o.name END, ''),\n"
		"       coalesce(h.hotline, ''), coalesce(h.owner_name, ''), coalesce(check_url(o.id), '')\n"
		"  FROM org o\n"
		"  LEFT JOIN org t ON t.id = o.parent_id\n"
		"  LEFT JOIN org c ON c.id = t.parent_id\n"
		"  LEFT JOIN LATERAL org_hotline(o.id) h ON true\n"
		" WHERE o.id = $1";
	char id[16];
	const char *params[1] = {id};
	PGresult *res;
	int err;

	memset(out, 0, sizeof *out);
	snprintf(id, sizeof id, "%d", org_id);
	err = cj_db_exec_prepared(db, &res, sql, 1, params);
	if (err)
		return err;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return cj_db_fail(db, CJ_ENOTFOUND, _("organisation id %d not found"), org_id);
	}
	out->id = org_id;
	out->level = (cj_org_level)cj_org_level_parse(PQgetvalue(res, 0, 0));
	snprintf(out->code, sizeof out->code, "%s", PQgetvalue(res, 0, 1));
	snprintf(out->name, sizeof out->name, "%s", PQgetvalue(res, 0, 2));
	snprintf(out->township_code, sizeof out->township_code, "%s", PQgetvalue(res, 0, 3));
	snprintf(out->township_name, sizeof out->township_name, "%s", PQgetvalue(res, 0, 4));
	snprintf(out->county_code, sizeof out->county_code, "%s", PQgetvalue(res, 0, 5));
	snprintf(out->county_name, sizeof out->county_name, "%s", PQgetvalue(res, 0, 6));
	snprintf(out->hotline, sizeof out->hotline, "%s", PQgetvalue(res, 0, 7));
	snprintf(out->hotline_owner, sizeof out->hotline_owner, "%s", PQgetvalue(res, 0, 8));
	snprintf(out->check_url, sizeof out->check_url, "%s", PQgetvalue(res, 0, 9));
	PQclear(res);
	return 0;
}

int
cj__dis_common_notes(cj_report *r, const dis_org *o, cj_date posted)
{
	char from[32], to[32];

	cj__dis_date_cn(from, sizeof from, posted);
	cj__dis_date_cn(to, sizeof to, cj__dis_add_days(posted, 9));
	if (cj_report_note(r, "公开时间：%s至%s（公示期不少于10日）。对公开内容有疑问的，可向村务监督委员会、"
			      "民主理财小组提出，或拨打监督举报电话。", from, to))
		return -1;
	if (o->hotline[0])
		return cj_report_note(r, "监督举报电话：%s（全国农业农村系统）；%s（%s）。", HOTLINE_NATIONAL,
				      o->hotline, o->hotline_owner);
	return cj_report_note(r, "监督举报电话：%s（全国农业农村系统）；当地监督电话未登记，"
			      "请向乡镇人民政府或县农业农村局查询。", HOTLINE_NATIONAL);
}

/*
 * Every page's footer: the digest, the village's chain head when the sheet
 * has one (its first 16 hex digits in groups of four, readable by eye; the
 * QR code holds it whole), how to check the sheet, and the hotlines.
 */
int
cj__dis_footer(cj_report *r, const cj_dis_digest *d, const dis_period *p, const dis_org *o,
	       const cj_anchor *a)
{
	char end[16], chain[96] = "", local[160] = "";

	cj_date_format(end, sizeof end, p->to);
	if (a && a->org[0])
		snprintf(chain, sizeof chain, "  %lld个村链头摘要 %.4s %.4s %.4s %.4s", (long long)a->seq,
			 a->head, a->head + 4, a->head + 8, a->head + 12);
	else if (a)
		snprintf(chain, sizeof chain, "  链头 #%lld %.4s %.4s %.4s %.4s", (long long)a->seq, a->head,
			 a->head + 4, a->head + 8, a->head + 12);
	if (o->hotline[0])
		snprintf(local, sizeof local, "、%s", o->hotline);
	return cj_report_footer(r, "账簿指纹 SHA-256 %.*s（截至%s，记账凭证%ld张）%s  核验：%scunji disclose "
				"--verify 本文件  监督举报电话 %s%s", CJ_DIS_DIGEST_SHORT, d->hex, end,
				d->vouchers, chain, a ? "扫二维码，或 " : "", HOTLINE_NATIONAL, local);
}

int
cj__dis_anchor(cj_db *db, const dis_org *o, const dis_period *p, long seq, cj_anchor *out)
{
	cj_chain_head h;
	int err;

	memset(out, 0, sizeof *out);
	if (seq > 0) {
		h.seq = seq;
		err = cj_chain_head_at(db, o->id, seq, h.head);
		if (err == CJ_ENOTFOUND)
			return cj_db_fail(db, CJ_ENOTFOUND, _("village %s: its chain has no link %ld"), o->code,
					  seq);
	} else {
		err = cj_chain_head_of(db, o->code, &h);
	}
	if (err)
		return err;
	snprintf(out->village, sizeof out->village, "%s", o->code);
	out->seq = h.seq;
	memcpy(out->head, h.head, sizeof out->head);
	snprintf(out->text, sizeof out->text, "cunji-anchor-v1 village=%s seq=%lld head=%s sheet=disclosure "
		 "period=%s", o->code, (long long)h.seq, h.head, p->tag);
	return 0;
}

int
cj__dis_group_anchor(cj_db *db, const char *code, const dis_period *p, const dis_figures *v, size_t n,
		     cj_anchor **out)
{
	cj_anchor_head *heads = calloc(n ? n : 1, sizeof *heads);
	char ident[CJ_SPAN_TEXT_MAX + 32];
	int err;

	*out = NULL;
	if (!heads || !(*out = malloc(sizeof **out))) {
		free(heads);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	for (size_t i = 0; i < n; i++)
		heads[i] = v[i].anchor;
	snprintf(ident, sizeof ident, "sheet=disclosure period=%s", p->tag);
	err = cj_anchor_group(code, heads, n, ident, *out);
	free(heads);
	if (err) {
		free(*out);
		*out = NULL;
		return cj_db_fail(db, err, _("%s: its villages' chain heads do not fit in an anchor"), code);
	}
	return 0;
}

int
cj__dis_unclosed_line(cj_report *r, const dis_period *p, int open_from, long villages)
{
	if (villages > 0)
		return cj_report_subtitle(r, "【未结账】本期有%ld个村的账簿尚未结账，表中数字可能变动", villages);
	if (!open_from)
		return 0;
	if (open_from == p->last_month)
		return cj_report_subtitle(r, "【未结账】%d年%d月尚未结账，表中数字可能变动", p->year,
					  open_from);
	return cj_report_subtitle(r, "【未结账】%d年%d月至%d月尚未结账，表中数字可能变动", p->year,
				  open_from, p->last_month);
}

/* Months close in order, so the open ones are the period's last; a month
 * before the books began has nothing to close. */
int
cj__dis_open_from(cj_db *db, int village_id, const dis_period *p, int *out)
{
	static const char sql[] =
		"SELECT coalesce(min(extract(month FROM m.m)), 0)::int\n"
		"  FROM generate_series($2::date, $3::date, interval '1 month') m(m)\n"
		"  JOIN village_books b ON b.village_id = $1 AND m.m >= b.start_period\n"
		" WHERE NOT EXISTS (SELECT 1 FROM period_state s\n"
		"                    WHERE s.village_id = $1 AND s.period = m.m::date AND s.closed)";
	char vid[16], from[16], to[16];
	const char *params[3] = {vid, from, to};
	PGresult *res;
	int err;

	snprintf(vid, sizeof vid, "%d", village_id);
	snprintf(from, sizeof from, "%04d-%02d-01", p->year, p->first_month);
	snprintf(to, sizeof to, "%04d-%02d-01", p->year, p->last_month);
	if ((err = cj_db_exec_prepared(db, &res, sql, 3, params)))
		return err;
	*out = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Digests */

int
cj__dis_sha256(cj_db *db, const char *text, char hex[65])
{
	static const char sql[] = "SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex')";
	const char *params[1] = {text};
	PGresult *res;
	int err = cj_db_exec_prepared(db, &res, sql, 1, params);

	if (err)
		return err;
	snprintf(hex, 65, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

int
cj_dis_village_digest(cj_db *db, int village_id, cj_date end, long limit, cj_dis_digest *out)
{
	static const char sql[] =
		"SELECT count(*), encode(sha256(convert_to(\n"
		"         'cunji-ledger-v1 ' || village_code($1) || ' ' || $2 || E'\\n'\n"
		"         || coalesce(string_agg(x.line, E'\\n' ORDER BY x.id), ''), 'UTF8')), 'hex')\n"
		"  FROM (SELECT id, id || ' ' || to_char(period, 'YYYY-MM') || '-' || number || ' '\n"
		"               || content_hash AS line\n"
		"          FROM voucher WHERE village_id = $1 AND voucher_date <= $2::date\n"
		"         ORDER BY id LIMIT $3::bigint) x";
	char vid[16], date[16], lim[24];
	const char *params[3] = {vid, date, limit >= 0 ? lim : NULL};
	PGresult *res;
	int err;

	snprintf(vid, sizeof vid, "%d", village_id);
	cj_date_format(date, sizeof date, end);
	snprintf(lim, sizeof lim, "%ld", limit);
	err = cj_db_exec_prepared(db, &res, sql, 3, params);
	if (err)
		return err;
	out->vouchers = atol(PQgetvalue(res, 0, 0));
	snprintf(out->hex, sizeof out->hex, "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}

/* A township's or county's digest: over its villages' digests, in code order. */
int
cj__dis_group_digest(cj_db *db, cj_dis_level level, const char *code, cj_date end,
		     const dis_figures *v, size_t n, cj_dis_digest *out)
{
	size_t size = 128 + n * 128, len;
	char *text = malloc(size), date[16];
	const dis_figures **order;
	int err;

	order = malloc((n ? n : 1) * sizeof *order);
	if (!text || !order) {
		free(text);
		free(order);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	for (size_t i = 0; i < n; i++)
		order[i] = &v[i];
	/* tree order is code order within a township; sort for a county */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(order[j - 1]->code, order[j]->code) > 0; j--) {
			const dis_figures *x = order[j];

			order[j] = order[j - 1];
			order[j - 1] = x;
		}
	cj_date_format(date, sizeof date, end);
	len = (size_t)snprintf(text, size, "cunji-ledger-v1 %s %s %s\n", cj_dis_level_name(level),
			       code, date);
	out->vouchers = 0;
	for (size_t i = 0; i < n; i++) {
		len += (size_t)snprintf(text + len, size - len, "%s %ld %s\n", order[i]->code,
					order[i]->digest.vouchers, order[i]->digest.hex);
		out->vouchers += order[i]->digest.vouchers;
	}
	err = cj__dis_sha256(db, text, out->hex);
	free(text);
	free(order);
	return err;
}

/*
 * The stamp: ASCII words, so that it reads back the same from XLSX core
 * properties and from a PDF Info string (literal or UTF-16 hex).
 *   cunji-disclosure-v1 level=village code=360925100201 period=2025Q4
 *   end=2025-12-31 vouchers=241 sha256=<64 hex> posted=2026-01-15
 *   [villages=V1:241:<16 hex>,...]
 * posted (the 公开日期) is absent from sheets made before it was added.  A
 * village sheet's anchor follows (cj_anchor_parse): " | cunji-anchor-v1 ...".
 */
char *
cj__dis_stamp_text(cj_dis_level level, const char *code, const dis_period *p, cj_date posted,
		   const cj_dis_digest *d, const dis_figures *villages, size_t nvillages,
		   const char *anchor)
{
	size_t size = 1024 + nvillages * (40 + 24 + CJ_DIS_DIGEST_SHORT + 4) + (anchor ? strlen(anchor) : 0),
	       len;
	char *s = malloc(size), end[16], date[16];

	if (!s)
		return NULL;
	cj_date_format(end, sizeof end, p->to);
	cj_date_format(date, sizeof date, posted);
	len = (size_t)snprintf(s, size,
			       "cunji-disclosure-v1 level=%s code=%s period=%s end=%s vouchers=%ld "
			       "sha256=%s posted=%s",
			       cj_dis_level_name(level), code, p->tag, end, d->vouchers, d->hex, date);
	for (size_t i = 0; i < nvillages && len < size; i++)
		len += (size_t)snprintf(s + len, size - len, "%s%s:%ld:%.*s", i ? "," : " villages=",
					villages[i].code, villages[i].digest.vouchers,
					CJ_DIS_DIGEST_SHORT, villages[i].digest.hex);
	if (anchor && len < size)
		snprintf(s + len, size - len, " | %s", anchor);
	return s;
}

static int
is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return 0;
	return 1;
}

void
cj_dis_stamp_free(cj_dis_stamp *st)
{
	free(st->villages);
	free(st->anchor);
	st->villages = NULL;
	st->anchor = NULL;
	st->nvillages = 0;
}

/* The value of key=... in a stamp, copied up to the next space. */
static int
stamp_value(const char *text, const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);

	for (const char *p = text; (p = strstr(p, key)); p++) {
		size_t n;

		if ((p != text && p[-1] != ' ') || p[klen] != '=')
			continue;
		p += klen + 1;
		n = strcspn(p, " ");
		if (n + 1 > size)
			return -1;
		memcpy(buf, p, n);
		buf[n] = '\0';
		return 0;
	}
	return -1;
}

static int stamp_parse(const char *start, const char *anchor, cj_dis_stamp *out);

int
cj_dis_stamp_parse(const char *text, cj_dis_stamp *out)
{
	const char *start = strstr(text, "cunji-disclosure-v1 "), *bar;
	char *stamp;
	size_t cap;
	int rc;

	memset(out, 0, sizeof *out);
	if (!start)
		return CJ_EINVAL;
	/* the stamp's words end where its anchor begins */
	bar = strstr(start, " | ");
	cap = bar ? (size_t)(bar - start) : strlen(start);
	if (!(stamp = malloc(cap + 1)))
		return CJ_ENOMEM;
	memcpy(stamp, start, cap);
	stamp[cap] = '\0';
	if ((rc = stamp_parse(stamp, bar ? bar + 3 : NULL, out)))
		cj_dis_stamp_free(out);
	free(stamp);
	return rc;
}

static int
stamp_parse(const char *start, const char *anchor, cj_dis_stamp *out)
{
	char level[16], end[16], count[24], *list = NULL;
	size_t cap = strlen(start) + 1;
	int lv;

	if (stamp_value(start, "level", level, sizeof level) ||
	    (lv = cj_dis_level_parse(level)) < 0 ||
	    stamp_value(start, "code", out->code, sizeof out->code) ||
	    stamp_value(start, "period", out->period, sizeof out->period) ||
	    stamp_value(start, "end", end, sizeof end) || cj_date_parse(&out->end, end) ||
	    stamp_value(start, "vouchers", count, sizeof count) || !all_digits(count, strlen(count)) ||
	    stamp_value(start, "sha256", out->hex, sizeof out->hex) || strlen(out->hex) != 64 ||
	    !is_hex(out->hex, 64))
		return CJ_EINVAL;
	out->level = (cj_dis_level)lv;
	out->vouchers = atol(count);
	if (stamp_value(start, "posted", end, sizeof end) == 0 && cj_date_parse(&out->posted, end))
		return CJ_EINVAL;
	if (anchor) {
		cj_anchor *a = malloc(sizeof *a);

		if (!a)
			return CJ_ENOMEM;
		if (cj_anchor_parse(anchor, a)) {
			free(a);
			return CJ_EINVAL;
		}
		if (!a->org[0]) {
			out->seq = a->seq;
			memcpy(out->head, a->head, sizeof out->head);
		}
		out->anchor = strdup(a->text);
		free(a);
		if (!out->anchor)
			return CJ_ENOMEM;
	}
	if (!(list = malloc(cap)))
		return CJ_ENOMEM;
	if (stamp_value(start, "villages", list, cap) == 0) {
		size_t n = 1;

		for (const char *p = list; *p; p++)
			n += *p == ',';
		out->villages = calloc(n, sizeof *out->villages);
		if (!out->villages) {
			free(list);
			return CJ_ENOMEM;
		}
		for (char *item = strtok(list, ","); item; item = strtok(NULL, ",")) {
			struct cj_dis_stamp_village *v = &out->villages[out->nvillages];
			char *c1 = strchr(item, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

			if (!c2 || (size_t)(c1 - item) >= sizeof v->code || !all_digits(c1 + 1, (size_t)(c2 - c1 - 1)) ||
			    c2 == c1 + 1 || strlen(c2 + 1) != CJ_DIS_DIGEST_SHORT || !is_hex(c2 + 1, CJ_DIS_DIGEST_SHORT)) {
				free(list);
				cj_dis_stamp_free(out);
				return CJ_EINVAL;
			}
			memcpy(v->code, item, (size_t)(c1 - item));
			v->code[c1 - item] = '\0';
			v->vouchers = atol(c1 + 1);
			memcpy(v->hex, c2 + 1, CJ_DIS_DIGEST_SHORT + 1);
			out->nvillages++;
		}
	}
	free(list);
	return 0;
}

/*
 * Resident ID numbers must never appear unmasked on a public sheet, even
 * when someone typed one into a summary or counterparty: any run of 17
 * digits and a digit or X, not inside a longer run of digits, keeps its
 * first 6 and last 4 characters (as id_number_masked() does).
 */
void
cj_dis_mask_ids(char *text)
{
	size_t n = strlen(text);

	for (size_t i = 0; i + 18 <= n; i++) {
		if (i > 0 && isdigit((unsigned char)text[i - 1]))
			continue;
		if (!all_digits(text + i, 17) ||
		    !(isdigit((unsigned char)text[i + 17]) || text[i + 17] == 'X' || text[i + 17] == 'x') ||
		    (i + 18 < n && isdigit((unsigned char)text[i + 18])))
			continue;
		memset(text + i + 6, '*', 8);
		i += 17;
	}
}
