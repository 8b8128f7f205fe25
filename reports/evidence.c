/*
 * evidence.c - the evidence pack of a finding (cunji audit evidence): the
 * finding and its rule, the vouchers in full, the funds around them and the
 * chain proof, as report models for one PDF and one XLSX
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ledger/audit.h>
#include <ledger/i18n.h>
#include <ledger/org.h>
#include <ledger/sql.h>
#include <ledger/voucher_path.h>
#include <reports/audit.h>
#include <reports/evidence.h>
#include <reports/lists.h>

#include "lists_internal.h"

#define MAX_VOUCHERS 200

void
cj_evidence_free(cj_evidence *e)
{
	for (size_t i = 0; i < e->n; i++)
		cj_report_free(e->reports[i]);
	free(e->reports);
	e->reports = NULL;
	e->n = 0;
}

static int
add(cj_db *db, cj_evidence *e, cj_report *r)
{
	cj_report **grown = realloc(e->reports, (e->n + 1) * sizeof *grown);

	if (!grown) {
		cj_report_free(r);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	e->reports = grown;
	e->reports[e->n++] = r;
	return 0;
}

/* A two-column row of the finding's table. */
static int
fact(cj_report *r, cj_table *t, const char *what, const char *value)
{
	long row = cj_table_row(r, t, CJ_ROW_DATA, 0);

	return row < 0 || cj_table_text(r, t, row, 0, "%s", what) ||
	       cj_table_text(r, t, row, 1, "%s", value ? value : "");
}

/* Every "YYYY-MM-N" in text, as a voucher number, into nos (at most max). */
static size_t
voucher_refs(const char *text, char (*nos)[24], size_t max)
{
	size_t n = 0;

	for (const char *p = text; *p && n < max; p++) {
		int y, m, num, len = 0;

		if ((p == text || (p[-1] < '0' || p[-1] > '9')) &&
		    sscanf(p, "%4d-%2d-%d%n", &y, &m, &num, &len) == 3 && len >= 9 && y > 1900 &&
		    m >= 1 && m <= 12 && num > 0 && p[4] == '-' && p[7] == '-' && p[8] != '0') {
			size_t k;

			/* y and m were checked above; the modulo tells the compiler */
			snprintf(nos[n], sizeof nos[n], "%04u-%02u-%d", (unsigned)y % 10000u, (unsigned)m % 100u,
				 num);
			for (k = 0; k < n && strcmp(nos[k], nos[n]); k++)
				;
			n += k == n;
			p += len - 1;
		}
	}
	return n;
}

static const char thresholds_sql[] =
	"SELECT p.key AS \"key|参数\", p.meaning AS \"meaning|含义\",\n"
	"       CASE p.unit WHEN 'fen' THEN audit_fen(coalesce(tw.value, co.value, p.default_value)) || ' 元'\n"
	"            ELSE coalesce(tw.value, co.value, p.default_value)::text END AS \"value|生效值\",\n"
	"       CASE WHEN tw.value IS NOT NULL THEN t.name WHEN co.value IS NOT NULL THEN c.name\n"
	"            ELSE '默认' END AS \"set_at|设定于\", p.source AS \"source|依据\"\n"
	"  FROM audit_param p JOIN org v ON v.code = $1 JOIN org t ON t.id = v.parent_id\n"
	"  JOIN org c ON c.id = t.parent_id\n"
	"  LEFT JOIN audit_threshold tw ON tw.org_id = t.id AND tw.rule = p.rule AND tw.key = p.key\n"
	"  LEFT JOIN audit_threshold co ON co.org_id = c.id AND co.rule = p.rule AND co.key = p.key\n"
	" WHERE p.rule = $2 ORDER BY p.key";

/* The finding as audit scan gives it now: its row of the scan's table 0. */
static int
find_finding(cj_db *db, const cj_evidence_request *req, cj_report **scan, long *row)
{
	cj_audit_request a = {.org = req->village, .from = req->from, .to = req->to};
	char rule[4];
	const cj_table *t;
	int err;

	snprintf(rule, sizeof rule, "%.3s", req->finding);
	a.rules = rule;
	if ((err = cj_audit_scan(db, &a, scan)))
		return err;
	t = (*scan)->tables[0];
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].cells[t->ncols - 1].text &&
		    !strcmp(t->rows[i].cells[t->ncols - 1].text, req->finding)) {
			*row = (long)i;
			return 0;
		}
	cj_report_free(*scan);
	*scan = NULL;
	return cj_db_fail(db, CJ_ENOTFOUND,
			  _("village %s has no finding %s in the months scanned (see audit scan)"),
			  req->village, req->finding);
}

/* 证据材料: when, the finding, the rule's thresholds in effect there. */
static int
cover(cj_db *db, const cj_evidence_request *req, const cj_org *v, const char *now,
      const cj_report *scan, long row, cj_report **out)
{
	cj_report *r = cj_report_new("预警线索证据材料");
	cj_table *t;

	*out = r;
	if (!r || cj_report_subtitle(r, "被查单位：%s %s", v->code, v->name) ||
	    cj_report_subtitle(r, "生成时间：%s    生成工具：cunji audit evidence", now) ||
	    !(t = cj_report_table(r, "线索", 0)) ||
	    cj_table_column(r, t, NULL, "项目", CJ_COL_TEXT, 10) ||
	    cj_table_column(r, t, NULL, "内容", CJ_COL_TEXT, 70) || cj_table_keys(r, t, "item,value"))
		return cj__list_oom(db, out);
	if (scan) {
		const cj_table *f = scan->tables[0];
		char money[CJ_NUM_MAX];

		for (size_t c = 0; c < f->ncols; c++) {
			const cj_cell *cell = &f->rows[row].cells[c];
			const char *value = f->cols[c].type == CJ_COL_TEXT
						    ? cell->text
						    : cj_format_number(money, sizeof money, f->cols[c].type,
								       cell->value);

			if (fact(r, t, f->cols[c].title, value))
				return cj__list_oom(db, out);
		}
		if (cj_report_note(r, "本材料由账簿数据自动生成，线索须经核实；各凭证、资金明细及链证明见后。"))
			return cj__list_oom(db, out);
	} else {
		char list[2048] = "";

		for (size_t i = 0; i < req->nvouchers; i++)
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? "、" : "",
				 req->vouchers[i]);
		if (fact(r, t, "凭证", list))
			return cj__list_oom(db, out);
	}
	if (scan) {
		const char *params[2] = {v->code, NULL};
		char rule[4];

		snprintf(rule, sizeof rule, "%.3s", req->finding);
		params[1] = rule;
		return cj__list_query(db, out, "阈值", thresholds_sql, 2, params);
	}
	return 0;
}

static const char chain_sql[] =
	"SELECT * FROM (\n"
	"  SELECT audit_vno(v.period, v.number) AS \"what|凭证号\", l.seq AS \"link|链节\",\n"
	"         to_char(l.at, 'YYYY-MM-DD HH24:MI:SS') AS \"at|入链时间\", l.hash AS \"hash|链节哈希\"\n"
	"    FROM voucher v JOIN chain_link l ON l.village_id = v.village_id AND l.kind <> 'audit'\n"
	"         AND v.id = ANY (l.refs)\n"
	"   WHERE v.village_id = $1 AND v.id = ANY ($2::bigint[]) ORDER BY l.seq, 1) x\n"
	"UNION ALL\n"
	"SELECT '本村链头', h.seq, '', h.head FROM chain_head h WHERE h.village_id = $1";

/* 链证明: each voucher's link, the head, and audit verify of the village now. */
static int
chain_proof(cj_db *db, const cj_org *v, const char *ids, const char *now, cj_report **out)
{
	char vid[16], line[2048];
	const char *params[2] = {vid, ids};
	cj_findings f = CJ_FINDINGS_INIT;
	cj_verify_stats st;
	int err;

	snprintf(vid, sizeof vid, "%d", v->id);
	if (!(*out = cj_report_new("链证明")) ||
	    cj_report_subtitle(*out, "%s %s    核验时间：%s", v->code, v->name, now))
		return cj__list_oom(db, out);
	if ((err = cj__list_query(db, out, "凭证入链", chain_sql, 2, params)))
		return err;
	if ((err = cj_audit_verify(db, v->code, &f, &st))) {
		cj_findings_free(&f);
		cj_report_free(*out);
		*out = NULL;
		return err;
	}
	err = cj_report_note(*out, "本村账簿核验（cunji audit verify --village %s）：%zu 张凭证、%zu 个链节，%s", v->code,
			     st.vouchers, st.links,
			     f.n ? "发现不一致，见下。" : "凭证、合计、编号、结账记录与哈希链均完整一致。");
	for (size_t i = 0; i < f.n && i < 50 && !err; i++) {
		cj_finding_format(&f.items[i], line, sizeof line);
		err = cj_report_note(*out, "※ %s", line);
	}
	if (!err)
		err = cj_report_note(*out, "链头抄存于公开栏、凭证打印件及锚定文件者，可用 cunji audit verify "
					   "--anchors 或 --sheet 对照；链节哈希按 docs/audit.md 所述编码可独立复算。");
	cj_findings_free(&f);
	return err ? cj__list_oom(db, out) : 0;
}

int
cj_audit_evidence(cj_db *db, const cj_evidence_request *req, cj_evidence *out)
{
	char nos[MAX_VOUCHERS][24], funds[MAX_VOUCHERS][64], now[64];
	char ids[MAX_VOUCHERS * 21 + 4] = "{";
	size_t nv = 0, nf = 0;
	cj_report *scan = NULL, *r = NULL;
	long row = -1;
	cj_org v;
	PGresult *res;
	int err;

	cj_evidence_request q = *req;

	memset(out, 0, sizeof *out);
	if ((err = cj_village_find(db, req->village, &v)))
		return err;
	/* a finding is looked for over the whole books unless told otherwise */
	if (!q.from.year)
		q.from = (cj_date){v.start.year, v.start.month, 1};
	if (!q.to.year)
		q.to = cj_date_today();
	req = &q;
	if (!req->finding && !req->nvouchers)
		return cj_db_fail(db, CJ_EINVAL, _("name a finding or the vouchers"));
	if ((err = cj_db_exec(db, &res, "SELECT to_char(now(), 'YYYY-MM-DD HH24:MI:SS TZ')", 0, NULL)))
		return err;
	snprintf(now, sizeof now, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	if (req->finding) {
		const cj_table *t;

		if ((err = find_finding(db, req, &scan, &row)))
			return err;
		t = scan->tables[0];
		for (size_t c = 0; c < t->ncols; c++)
			if (t->cols[c].key && !strcmp(t->cols[c].key, "refs"))
				nv = voucher_refs(t->rows[row].cells[c].text ? t->rows[row].cells[c].text : "",
						  nos, MAX_VOUCHERS);
	} else {
		for (size_t i = 0; i < req->nvouchers && nv < MAX_VOUCHERS; i++)
			snprintf(nos[nv++], sizeof nos[0], "%s", req->vouchers[i]);
	}
	err = cover(db, req, &v, now, scan, row, &r);
	cj_report_free(scan);
	if (err || (err = add(db, out, r)))
		goto fail;

	/* every voucher in full, and the funds its lines carry */
	for (size_t i = 0; i < nv; i++) {
		cj_voucher_view view;
		cj_period per;
		int number;

		if (sscanf(nos[i], "%d-%d-%d", &per.year, &per.month, &number) != 3) {
			err = cj_db_fail(db, CJ_EINVAL, _("'%s' is not a voucher number (2025-03-7)"), nos[i]);
			goto fail;
		}
		if ((err = cj_voucher_get(db, v.id, per, number, &view)))
			goto fail;
		snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%lld", i ? "," : "",
			 (long long)view.id);
		for (size_t l = 0; l < view.nlines; l++) {
			size_t k;

			if (!view.lines[l].fund[0])
				continue;
			for (k = 0; k < nf && strcmp(funds[k], view.lines[l].fund); k++)
				;
			if (k == nf && nf < MAX_VOUCHERS)
				snprintf(funds[nf++], sizeof funds[0], "%s", view.lines[l].fund);
		}
		r = NULL;
		err = cj_list_voucher(&view, &r);
		cj_voucher_view_free(&view);
		if (err) {
			err = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
			goto fail;
		}
		if ((err = add(db, out, r)))
			goto fail;
	}
	/* an idle fund (R21:CODE) is about the fund itself */
	if (req->finding && !strncmp(req->finding, "R21:", 4) && nf < MAX_VOUCHERS)
		snprintf(funds[nf++], sizeof funds[0], "%s", req->finding + 4);
	for (size_t i = 0; i < nf; i++)
		if ((err = cj_list_fund(db, v.code, funds[i], &r)) || (err = add(db, out, r)))
			goto fail;
	strcat(ids, "}");
	if ((err = chain_proof(db, &v, ids, now, &r)) || (err = add(db, out, r)))
		goto fail;
	return 0;
fail:
	cj_evidence_free(out);
	return err;
}
