/*
 * audit_scan.c - run the warning rules as one statement and list the
 * findings, with their state from the inspectors' marks
 *
 * The rules (audit_cash.c, audit_funds.c, audit_payees.c) are joined with
 * UNION ALL under the common tables of audit_internal.h, so the server plans
 * them together and reads each table as few times as it can.
 *
 * SPDX-License-Identifier: MIT
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ledger/buf.h>
#include <ledger/org.h>
#include <ledger/sql.h>
#include <ledger/i18n.h>
#include <reports/audit.h>

#include "audit_internal.h"
#include "lists_internal.h"

static const cj__audit_rule *const modules[] = {cj__audit_cash, cj__audit_funds,
						 cj__audit_payees, cj__audit_disclose};

/* What every rule may use, made first as temporary tables of the scan's
 * transaction and analysed, so that the rules' statement is planned on their
 * true sizes (a county's 900,000 vouchers, not a guess): the villages in
 * scope (sva) and those of this connection's part (sv), their thresholds,
 * each voucher of the scan's months with what its lines did (pv), the few
 * kinds of line a rule reads one by one (pl), and the cash and bank balances
 * at the end of each day, opened from the kept totals; each statement
 * numbers its own parameters.  A scan over several connections runs them on
 * each, for its part of the villages. */
static const struct {
	const char *sql;
	int first, n; /* its parameters: n of (org, month0, to, from, parts, part) from the first */
} scan_setup[] = {
	{"CREATE TEMP TABLE audit_sva ON COMMIT DROP AS\n"
	"SELECT v.id, v.code, v.name, v.parent_id AS tid, t.parent_id AS cid\n"
	"  FROM org v JOIN org t ON t.id = v.parent_id\n"
	" WHERE v.level = 'village'\n"
	"   AND $1 IN (v.code, t.code, (SELECT c.code FROM org c WHERE c.id = t.parent_id))",
	 0, 1},
	/* the part: villages in the order of their codes, in parts of equal
	 * numbers, so that the parts' findings follow one another in order */
	{"CREATE TEMP TABLE audit_sv ON COMMIT DROP AS\n"
	"SELECT id, code, name, tid, cid\n"
	"  FROM (SELECT s.*, ntile($1::int) OVER (ORDER BY s.code) AS part FROM audit_sva s) s\n"
	" WHERE part = $2::int",
	 4, 2},
	{"CREATE TEMP TABLE audit_th ON COMMIT DROP AS\n"
	"SELECT sv.id AS village_id, p.rule, p.key,\n"
	"       coalesce(tw.value, co.value, p.default_value) AS value\n"
	"  FROM audit_sv sv CROSS JOIN audit_param p\n"
	"  LEFT JOIN audit_threshold tw ON tw.org_id = sv.tid AND tw.rule = p.rule AND tw.key = p.key\n"
	"  LEFT JOIN audit_threshold co ON co.org_id = sv.cid AND co.rule = p.rule AND co.key = p.key",
	 0, 0},
	/* the vouchers voided by a reversal (a voided voucher and its reversal
	 * are no finding): few, through their partial index */
	{"CREATE TEMP TABLE audit_rev ON COMMIT DROP AS\n"
	"SELECT village_id, reverses_id FROM voucher\n"
	" WHERE reverses_id IS NOT NULL AND village_id IN (SELECT id FROM audit_sv)",
	 0, 0},
	{"ANALYZE audit_sva, audit_sv, audit_rev", 0, 0},
	/* a village's 9,000 lines are grouped by voucher in a hash table: the
	 * planner, guessing half as many, sorts them first, about a tenth
	 * slower (measured on the bench county) */
	{"SELECT set_config('enable_sort', 'off', true)", 0, 0},
	/* each voucher of the scan's months up to its last day, of every kind,
	 * with what its lines did (cash and bank moved, income credited,
	 * earmarked or works accounts debited): the lines read once, a village
	 * at a time (a block-range index on the period and the primary key find
	 * the village's months, 0028), grouped by voucher in a small hash table
	 * and joined with the village's vouchers of the months; one county-wide
	 * grouping of 2.7 M lines sorted or spilled to disk, and the lines kept
	 * whole in a temporary table first cost twice as much.  ordinary: a
	 * normal voucher of the scan's days, neither voided nor a reversal. */
	{"CREATE TEMP TABLE audit_pv ON COMMIT DROP AS\n"
	"SELECT sv.id AS village_id, x.*\n"
	"  FROM audit_sv sv CROSS JOIN LATERAL (\n"
	"       SELECT v.id AS voucher_id, v.voucher_date AS day,\n"
	"              v.kind = 'normal' AND v.voucher_date >= $3\n"
	/* a hashed subplan, built once: a join with the few reversed vouchers
	 * was a nested loop that scanned the temporary table anew for each of
	 * the 900,000 vouchers, each scan asking the kernel for its size */
	"              AND (sv.id, v.id) NOT IN (SELECT village_id, reverses_id FROM audit_rev) AS ordinary,\n"
	"              v.period AS vperiod, v.number, v.summary AS vsummary,\n"
	"              a.f, a.cash_dr, a.cash_cr, a.cash_cp, a.bank_net, a.bank_dr\n"
	/* one small flag word, and sums whose state is a bigint (fen_sum), not
	 * an allocated one per voucher */
	/* each line's flags worked out once (the aggregates test them, not the
	 * account code again); OFFSET 0 keeps the planner from folding the
	 * expression back into every aggregate */
	"         FROM (SELECT l.voucher_id, bit_or(l.k) AS f,\n"
	"                      fen_sum(l.debit_fen) FILTER (WHERE l.k & 1 <> 0) AS cash_dr,\n"
	"                      fen_sum(l.credit_fen) FILTER (WHERE l.k & 1 <> 0) AS cash_cr,\n"
	"                      max(l.counterparty) FILTER (WHERE l.k & 1 <> 0 AND l.credit_fen > 0)\n"
	"                        AS cash_cp,\n"
	"                      fen_sum(l.debit_fen - l.credit_fen) FILTER (WHERE l.k & 2 <> 0) AS bank_net,\n"
	"                      bool_or(l.k & 2 <> 0 AND l.debit_fen > 0) AS bank_dr\n"
	"                 FROM (SELECT l.voucher_id, l.debit_fen, l.credit_fen, l.counterparty,\n"
	"                              CASE WHEN l.account_code LIKE '101%' THEN 1\n"
	"                                   WHEN l.account_code LIKE '102%' THEN 2 ELSE 0 END\n"
	"                              | CASE WHEN l.credit_fen > 0 AND l.account_code LIKE '5%' THEN 4\n"
	"                                     WHEN l.debit_fen > 0 AND (l.account_code LIKE '241%'\n"
	"                                          OR l.account_code LIKE '231%') THEN 24\n"
	"                                     WHEN l.debit_fen > 0 AND l.account_code LIKE '153%' THEN 16\n"
	"                                     ELSE 0 END AS k\n"
	"                         FROM voucher_line l\n"
	"                        WHERE l.village_id = sv.id AND l.period BETWEEN $1::date AND $2::date\n"
	"                       OFFSET 0) l\n"
	"                GROUP BY l.voucher_id) a\n"
	"         JOIN voucher v ON v.village_id = sv.id AND v.id = a.voucher_id\n"
	"        WHERE v.period BETWEEN $1::date AND $2::date AND v.voucher_date <= $2) x",
	 1, 3},
	{"SELECT set_config('enable_sort', 'on', true)", 0, 0},
	{"ANALYZE audit_pv", 0, 0},
	/* the lines a rule reads one by one, with their voucher's facts: what a
	 * voucher paid out of cash or bank to a counterparty (R11, R26, R27),
	 * 241/231 debited without a fund (R19), dividends paid (R28), income or
	 * the distribution credited with a fund or in a voucher that debits
	 * 241/231 (R24): the months' lines through their block-range index,
	 * filtered as they are read, never kept whole */
	{"CREATE TEMP TABLE audit_pl ON COMMIT DROP AS\n"
	"SELECT l.village_id, l.voucher_id, l.line_no, l.account_code, l.debit_fen, l.credit_fen,\n"
	"       l.summary, l.counterparty, l.fund_id, v.day, v.vperiod, v.number, v.vsummary, v.ordinary\n"
	"  FROM (SELECT l.*\n"
	"          FROM audit_sv sv CROSS JOIN LATERAL (\n"
	"               SELECT l.* FROM voucher_line l\n"
	"                WHERE l.village_id = sv.id AND l.period BETWEEN $1::date AND $2::date\n"
	"                  AND ((l.credit_fen > 0 AND l.counterparty IS NOT NULL\n"
	"                        AND (l.account_code LIKE '101%' OR l.account_code LIKE '102%'))\n"
	"                       OR (l.debit_fen > 0 AND l.fund_id IS NULL\n"
	"                           AND (l.account_code LIKE '241%' OR l.account_code LIKE '231%'))\n"
	"                       OR (l.debit_fen > 0 AND l.counterparty IS NOT NULL\n"
	"                           AND l.account_code LIKE '211090%')\n"
	"                       OR (l.credit_fen > 0 AND l.fund_id IS NOT NULL\n"
	"                           AND l.account_code LIKE '32%'))) l\n"
	/* the vouchers that debit 241/231 are few: their lines by the key.
	 * "f & 8 = 8", not "<> 0": the planner guesses a bit test by its
	 * operator, and "<>" told it nearly every voucher, so it chose a hash
	 * join over a scan of every line of the database; with 900 such vouchers
	 * in the bench county that part took 2.3 s more (docs/performance.md) */
	"        UNION ALL\n"
	"        SELECT l.* FROM audit_pv h CROSS JOIN LATERAL (\n"
	"               SELECT l.* FROM voucher_line l\n"
	"                WHERE l.village_id = h.village_id AND l.voucher_id = h.voucher_id\n"
	"                  AND l.credit_fen > 0\n"
	"                  AND (l.account_code LIKE '5%' OR l.account_code LIKE '32%')\n"
	"                  AND NOT (l.fund_id IS NOT NULL AND l.account_code LIKE '32%')) l\n"
	"         WHERE h.f & 8 = 8) l\n"
	"  JOIN audit_pv v ON v.village_id = l.village_id AND v.voucher_id = l.voucher_id",
	 1, 2},
	/* the balance before the scan's first month, from the kept totals, as
	 * the day before it; then each day that moved the account */
	{"CREATE TEMP TABLE audit_day_bal ON COMMIT DROP AS\n"
	"SELECT d.village_id, d.acct, d.day,\n"
	"       sum(d.net) OVER (PARTITION BY d.village_id, d.acct ORDER BY d.day) AS bal\n"
	"  FROM (SELECT t.village_id, left(t.account_code, 3) AS acct,\n"
	"               $1::date - 1 AS day,\n"
	"               sum(t.debit_fen - t.credit_fen) AS net\n"
	"          FROM account_period_total t\n"
	"         WHERE t.village_id IN (SELECT id FROM audit_sv)\n"
	"           AND t.period < $1::date\n"
	"           AND left(t.account_code, 3) IN ('101', '102')\n"
	"         GROUP BY 1, 2\n"
	"        UNION ALL\n"
	/* each account on its own (a lateral list of the two, once pv is
	 * analysed, was planned with a cache of 700,000 entries) */
	"        SELECT v.village_id, '101', v.day, sum(coalesce(v.cash_dr, 0) - coalesce(v.cash_cr, 0))\n"
	"          FROM audit_pv v WHERE v.f & 1 <> 0\n"
	"         GROUP BY 1, 3\n"
	"        UNION ALL\n"
	"        SELECT v.village_id, '102', v.day, sum(v.bank_net)\n"
	"          FROM audit_pv v WHERE v.f & 2 <> 0\n"
	"         GROUP BY 1, 3) d",
	 1, 1},
	/* cash income received (Dr 101 against 5xx) and the days cash was
	 * deposited (Cr 101 against 102 Dr), as R09 and R10 both read them;
	 * a receipt's number is written out only for the few that are findings */
	{"CREATE TEMP TABLE audit_rc ON COMMIT DROP AS\n"
	"SELECT v.village_id, v.voucher_id, v.day, v.vperiod, v.number, v.vsummary,\n"
	"       v.cash_dr AS amount\n"
	"  FROM audit_pv v WHERE v.ordinary AND v.cash_dr > 0 AND v.f & 4 <> 0",
	 0, 0},
	{"CREATE TEMP TABLE audit_dd ON COMMIT DROP AS\n"
	"SELECT DISTINCT v.village_id, v.day\n"
	"  FROM audit_pv v WHERE v.ordinary AND v.cash_cr > 0 AND v.bank_dr",
	 0, 0},
	/* who each village paid out of cash or bank (R27's person paid by
	 * several villages): the parts send theirs to one another */
	{"CREATE TEMP TABLE audit_cpv ON COMMIT DROP AS\n"
	"SELECT DISTINCT l.counterparty AS cp, l.village_id FROM audit_pl l\n"
	" WHERE l.ordinary AND l.credit_fen > 0 AND l.counterparty IS NOT NULL\n"
	"   AND (l.account_code LIKE '101%' OR l.account_code LIKE '102%')",
	 0, 0},
	{"ANALYZE audit_th, audit_pl, audit_day_bal, audit_rc, audit_dd", 0, 0},
};

/* the day balances and the rules' joins hash a county's days and
 * vouchers: in memory rather than in batches on disk, within a bound.  The
 * temporary tables are analysed from a sample of 3,000 rows, not 30,000:
 * the plans need their sizes and rough spreads, and the larger sample cost
 * a tenth of a second per 100,000 vouchers (ANALYZE audit_pv of the bench
 * county, 900,000 rows: 340 ms, 41 ms with the smaller one). */
static const char scan_settings[] =
	"SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true),\n"
	"       set_config('default_statistics_target', '10', true)";

/* at most this many connections (the scan's reading is a village's at a
 * time; more parts than cores only wait for one another) */
#define MAX_PARTS 4

static const char scan_head[] =
	"WITH par AS (SELECT $2::date AS d0, $3::date AS d1, $1::text AS org),\n"
	/* each a name for its table, not a copy: the planner sees the tables */
	"sv AS NOT MATERIALIZED (SELECT * FROM audit_sv),\n"
	"sva AS NOT MATERIALIZED (SELECT * FROM audit_sva),\n"
	"cpv AS NOT MATERIALIZED (SELECT * FROM audit_cpv),\n"
	"th AS NOT MATERIALIZED (SELECT * FROM audit_th),\n"
	"day_bal AS NOT MATERIALIZED (SELECT * FROM audit_day_bal),\n"
	"pv AS NOT MATERIALIZED (SELECT * FROM audit_pv),\n"
	"rc AS NOT MATERIALIZED (SELECT * FROM audit_rc),\n"
	"dd AS NOT MATERIALIZED (SELECT * FROM audit_dd),\n"
	"lv AS NOT MATERIALIZED (SELECT pl.*, audit_vno(pl.vperiod, pl.number) AS vno\n"
	"                          FROM audit_pl pl WHERE pl.ordinary),\n"
	"f AS (\n";

static const char scan_tail[] =
	")\n"
	"SELECT f.rule AS \"rule|规则\",\n"
	"       CASE coalesce(f.severity, r.severity) WHEN 'red' THEN '红' ELSE '黄' END\n"
	"         AS \"severity|等级\",\n"
	"       sv.code AS \"village|村代码\", sv.name AS \"village_name|村\", f.refs AS \"refs|涉及\",\n"
	"       f.amount::bigint AS \"amount_fen|金额\",\n"
	"       f.message || '，违反 ' || f.rule || '“' || r.title || '”。' AS \"message|说明\",\n"
	"       f.threshold AS \"threshold|阈值\",\n"
	"       CASE s.state WHEN 'explained' THEN '已说明' WHEN 'follow_up' THEN '待跟进'\n"
	"            WHEN 'referred' THEN '已移交' ELSE '新' END\n"
	"         || coalesce('：' || s.note, '') AS \"state|状态\",\n"
	"       f.fkey AS \"key|编号\"\n"
	"  FROM f JOIN sv ON sv.id = f.village_id JOIN audit_rule r ON r.code = f.rule\n"
	"  LEFT JOIN audit_state s ON s.village_id = f.village_id AND s.finding_key = f.fkey\n"
	" WHERE NOT $4::boolean OR s.state IS NULL\n"
	" ORDER BY sv.code, f.rule, f.fkey";

/* Is code among the comma list (NULL: every rule)? */
static int
wanted(const char *list, const char *code)
{
	size_t n = strlen(code);

	if (!list)
		return 1;
	for (const char *p = list; (p = strstr(p, code)); p += n)
		if ((p == list || p[-1] == ',' || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return 1;
	return 0;
}

/* Every code of the list must be a rule; one that is not available is
 * refused with the reason. */
static int
check_rules(cj_db *db, const char *list)
{
	char code[8];
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ", ");
		int known = 0;

		if (n == 0) {
			p++;
			continue;
		}
		snprintf(code, sizeof code, "%.*s", (int)(n < 7 ? n : 7), p);
		for (size_t m = 0; m < sizeof modules / sizeof modules[0]; m++)
			for (const cj__audit_rule *r = modules[m]; r->code; r++)
				known |= n == 3 && !strcmp(r->code, code);
		if (!known) {
			PGresult *res;
			const char *params[1] = {code};
			int err = cj_db_exec(db, &res, "SELECT why_not FROM audit_rule WHERE code = $1",
					     1, params);
			if (err)
				return err;
			err = PQntuples(res)
				      ? cj_db_fail(db, CJ_EINVAL, _("rule %s is not available: %s"), code,
						   PQgetvalue(res, 0, 0))
				      : cj_db_fail(db, CJ_EINVAL,
						   _("no rule %s (the rules are R01 to R31: audit rules)"), code);
			PQclear(res);
			return err;
		}
		p += n;
	}
	return 0;
}

/* Table 1: the findings of table 0 counted by rule and colour. */
static int
add_summary(cj_db *db, cj_report **r)
{
	const cj_table *f = (*r)->tables[0];
	cj_table *t = cj_report_table(*r, "汇总", 0);
	long first = -1, last = -1;

	if (!t || cj_table_column(*r, t, NULL, "规则", CJ_COL_TEXT, 0) ||
	    cj_table_column(*r, t, NULL, "红", CJ_COL_INT, 0) ||
	    cj_table_column(*r, t, NULL, "黄", CJ_COL_INT, 0) ||
	    cj_table_keys(*r, t, "rule,red,yellow"))
		return cj__list_oom(db, r);
	for (size_t i = 0; i < f->nrows; i++) {
		const char *rule = f->rows[i].cells[0].text;
		int red = !strcmp(f->rows[i].cells[1].text, "红");
		long row = first < 0 ? -1 : first;

		while (row >= 0 && row <= last && strcmp(t->rows[row].cells[0].text, rule))
			row++;
		if (row < 0 || row > last) {
			if ((row = cj_table_row(*r, t, CJ_ROW_DATA, 0)) < 0 ||
			    cj_table_text(*r, t, row, 0, "%s", rule))
				return cj__list_oom(db, r);
			cj_table_number(t, row, 1, 0);
			cj_table_number(t, row, 2, 0);
			if (first < 0)
				first = row;
			last = row;
		}
		t->rows[row].cells[red ? 1 : 2].value++;
	}
	if (first >= 0 && cj_table_total(*r, t, CJ_ROW_TOTAL, 0, "合计", first, last) < 0)
		return cj__list_oom(db, r);
	return 0;
}

/*
 * One connection's part of a scan: its villages' set-up, then the rules'
 * statement over them (run on a thread of its own for the parts after the
 * first, which runs on the caller's).
 */
typedef struct scan_part {
	cj_db *db;
	const char *params[6];      /* org, month0, to, from, parts, part */
	const char *const *qparams; /* the rules' statement's */
	const char *sql;
	size_t first; /* the first set-up statement it runs */
	int phase;    /* 0 the set-up, 1 the rules */
	int err;
	PGresult *res;
	char nparts[12], part[12];
	pthread_t thread;
} scan_part;

static void *
part_run(void *arg)
{
	scan_part *p = arg;

	if (p->phase == 0) {
		for (size_t i = p->first; !p->err && i < sizeof scan_setup / sizeof scan_setup[0]; i++)
			p->err = cj_db_exec(p->db, NULL, scan_setup[i].sql, scan_setup[i].n,
					    p->params + scan_setup[i].first);
	} else {
		p->err = cj_db_exec(p->db, NULL, "ANALYZE audit_cpv", 0, NULL);
		if (!p->err)
			p->err = cj_db_exec(p->db, &p->res, p->sql, 4, p->qparams);
	}
	return NULL;
}

/* Run a phase on every part at once; the first error is left on db. */
static int
parts_run(cj_db *db, scan_part *parts, int n, int phase)
{
	int started[MAX_PARTS] = {0};

	for (int k = 0; k < n; k++)
		parts[k].phase = phase;
	for (int k = 1; k < n; k++)
		started[k] = !pthread_create(&parts[k].thread, NULL, part_run, &parts[k]);
	part_run(&parts[0]);
	for (int k = 1; k < n; k++) {
		if (started[k])
			pthread_join(parts[k].thread, NULL);
		else
			part_run(&parts[k]);
	}
	for (int k = 1; k < n; k++)
		if (!parts[0].err && parts[k].err)
			return cj_db_fail_from(db, parts[k].db, parts[k].err);
	return parts[0].err;
}

/* Each part's audit_cpv (who its villages paid) into every other part's,
 * by COPY through the client: a few rows a village. */
static int
parts_share_cpv(cj_db *db, scan_part *parts, int n)
{
	cj_buf rows[MAX_PARTS] = {CJ_BUF_INIT};
	int err = 0;

	for (int k = 0; k < n && !err; k++) {
		PGconn *c = cj_db_conn(parts[k].db);
		PGresult *res = PQexec(c, "COPY audit_cpv TO STDOUT");
		char *line;
		int len;

		if (PQresultStatus(res) == PGRES_COPY_OUT) {
			while ((len = PQgetCopyData(c, &line, 0)) > 0) {
				cj__buf_put(&rows[k], line, (size_t)len);
				PQfreemem(line);
			}
			PQclear(res);
			res = PQgetResult(c);
		}
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			err = cj_db_fail(db, CJ_EDB, "%s", PQerrorMessage(c));
		else if (!cj__buf_ok(&rows[k]))
			err = cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
		PQclear(res);
		while ((res = PQgetResult(c)))
			PQclear(res);
	}
	for (int j = 0; j < n && !err; j++)
		for (int k = 0; k < n && !err; k++) {
			PGconn *c = cj_db_conn(parts[j].db);
			PGresult *res;

			if (k == j || !rows[k].len)
				continue;
			res = PQexec(c, "COPY audit_cpv FROM STDIN");
			if (PQresultStatus(res) == PGRES_COPY_IN) {
				PQclear(res);
				if (PQputCopyData(c, rows[k].data, (int)rows[k].len) != 1 ||
				    PQputCopyEnd(c, NULL) != 1)
					res = NULL;
				else
					res = PQgetResult(c);
			}
			if (PQresultStatus(res) != PGRES_COMMAND_OK)
				err = cj_db_fail(db, CJ_EDB, "%s", PQerrorMessage(c));
			PQclear(res);
			while ((res = PQgetResult(c)))
				PQclear(res);
		}
	for (int k = 0; k < n; k++)
		cj__buf_free(&rows[k]);
	return err;
}

/* How many parts: req->jobs, or one per CPU (at most MAX_PARTS), never
 * more than the villages in scope. */
static int
parts_wanted(const cj_audit_request *req, long villages)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int n = req->jobs > 0 ? req->jobs : cpus > 0 ? (int)(cpus < MAX_PARTS ? cpus : MAX_PARTS) : 1;

	if (n > MAX_PARTS)
		n = MAX_PARTS;
	return villages < n ? (villages > 0 ? (int)villages : 1) : n;
}

/* Open parts 1..n-1 on connections of their own, each in a transaction on
 * db's snapshot (exported by db's transaction, which stays open until
 * they are done): every part reads the same books. */
static int
parts_open(cj_db *db, scan_part *parts, int n)
{
	PGresult *res;
	char snap[160];
	int err;

	if ((err = cj_db_exec(db, &res, "SELECT pg_export_snapshot()", 0, NULL)))
		return err;
	snprintf(snap, sizeof snap, "SET TRANSACTION SNAPSHOT '%s'", PQgetvalue(res, 0, 0));
	PQclear(res);
	for (int k = 1; k < n && !err; k++) {
		if ((err = cj_db_clone(db, &parts[k].db)))
			break;
		if ((err = cj_db_exec(parts[k].db, NULL, "BEGIN ISOLATION LEVEL REPEATABLE READ", 0,
				      NULL)) ||
		    (err = cj_db_exec(parts[k].db, NULL, snap, 0, NULL)) ||
		    (err = cj_db_exec(parts[k].db, NULL, scan_settings, 0, NULL)))
			err = cj_db_fail_from(db, parts[k].db, err);
	}
	return err;
}

int
cj_audit_scan(cj_db *db, const cj_audit_request *req, cj_report **out)
{
	char from[16], to[16], month0[16];
	/* the month of the first day, as a date the planner sees (it cannot
	 * estimate a period against date_trunc of a parameter) */
	const char *params[4] = {req->org, from, to, req->only_new ? "true" : "false"};
	scan_part parts[MAX_PARTS];
	cj_buf sql = CJ_BUF_INIT;
	PGresult *res, *results[MAX_PARTS];
	cj_org o;
	int err, n = 0, nparts = 1;

	*out = NULL;
	if ((err = cj_org_find(db, req->org, &o)) || (req->rules && (err = check_rules(db, req->rules))))
		return err;
	cj_date_format(from, sizeof from, req->from);
	cj_date_format(to, sizeof to, req->to);
	cj_date_format(month0, sizeof month0, (cj_date){req->from.year, req->from.month, 1});
	cj__buf_printf(&sql, "%s", scan_head);
	for (size_t m = 0; m < sizeof modules / sizeof modules[0]; m++)
		for (const cj__audit_rule *r = modules[m]; r->code; r++)
			if (wanted(req->rules, r->code))
				cj__buf_printf(&sql,
					       "%sSELECT * FROM (\n%s\n) AS %s(rule, village_id, fkey, refs, "
					       "amount, message, threshold, severity)\n",
					       n++ ? "UNION ALL\n" : "", r->sql, r->code);
	cj__buf_printf(&sql, "%s", scan_tail);
	if (!cj__buf_ok(&sql)) {
		cj__buf_free(&sql);
		return cj_db_fail(db, CJ_ENOMEM, _("out of memory"));
	}
	if (!(*out = cj_report_new("预警线索")) ||
	    cj_report_subtitle(*out, "%s %s    %s 至 %s    单位：元", o.code, o.name, from, to)) {
		cj__buf_free(&sql);
		return cj__list_oom(db, out);
	}
	memset(parts, 0, sizeof parts);
	parts[0].db = db;
	/* books loaded a moment ago have no statistics yet (autovacuum comes
	 * round later), and the set-up's plans need them: 0046 */
	err = cj_db_exec(db, NULL, "SELECT books_statistics_refresh()", 0, NULL);
	/* one snapshot for the tables and the rules, on every connection */
	if (!err)
		err = cj_db_exec(db, NULL, "BEGIN ISOLATION LEVEL REPEATABLE READ", 0, NULL);
	if (!err)
		err = cj_db_exec(db, NULL, scan_settings, 0, NULL);
	if (!err)
		err = cj_db_exec(db, NULL, scan_setup[0].sql, scan_setup[0].n, params);
	if (!err && !(err = cj_db_exec(db, &res, "SELECT count(*) FROM audit_sva", 0, NULL))) {
		nparts = parts_wanted(req, atol(PQgetvalue(res, 0, 0)));
		PQclear(res);
	}
	if (!err && nparts > 1)
		err = parts_open(db, parts, nparts);
	for (int k = 0; k < nparts; k++) {
		scan_part *p = &parts[k];

		snprintf(p->nparts, sizeof p->nparts, "%d", nparts);
		snprintf(p->part, sizeof p->part, "%d", k + 1);
		p->params[0] = req->org, p->params[1] = month0, p->params[2] = to;
		p->params[3] = from, p->params[4] = p->nparts, p->params[5] = p->part;
		p->qparams = params;
		p->sql = sql.data;
		p->first = k == 0; /* the first made sva already */
	}
	if (!err)
		err = parts_run(db, parts, nparts, 0);
	if (!err && nparts > 1)
		err = parts_share_cpv(db, parts, nparts);
	if (!err)
		err = parts_run(db, parts, nparts, 1);
	for (int k = 0; k < nparts; k++)
		results[k] = parts[k].res;
	if (!err)
		err = cj__list_results(db, out, "线索", results, nparts);
	else {
		cj_report_free(*out);
		*out = NULL;
	}
	/* the other parts only read: their transactions end without a commit */
	for (int k = 0; k < nparts; k++) {
		PQclear(parts[k].res);
		if (k > 0)
			cj_db_close(parts[k].db);
	}
	cj__buf_free(&sql);
	if (err) {
		cj_db_rollback(db);
		return err;
	}
	if ((err = cj_db_exec(db, NULL, "COMMIT", 0, NULL))) {
		cj_report_free(*out);
		*out = NULL;
		return err;
	}
	return add_summary(db, out);
}
