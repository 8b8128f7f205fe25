/*
 * audit_disclose.c - the warning rule on disclosure (domain.md §5.2, R30),
 * as far as cunji knows it: the village sheets it made (disclosure_made,
 * 0028; cj_disclose records each with the time of the snapshot it shows)
 *
 * SPDX-License-Identifier: MIT
 */
#include "audit_internal.h"

const cj__audit_rule cj__audit_disclose[] = {
	/* R30: a quarter of the scan, due (its end and N days passed, by today)
	 * and not before the village's first sheet, with no sheet ending with it; and a sheet made before vouchers
	 * of its period were posted: the board shows books that were changed
	 * after (补记账).  The latest sheet of each period counts. */
	{"R30",
	 "WITH q AS (SELECT sv.id AS village_id, g::date AS qstart,\n"
	 "                  (g + interval '3 months' - interval '1 day')::date AS qend, t.value AS days\n"
	 "             FROM sv CROSS JOIN generate_series(date_trunc('quarter', $2::date), $3::date,\n"
	 "                                                '3 months') AS g\n"
	 "             JOIN th t ON t.village_id = sv.id AND t.rule = 'R30' AND t.key = 'days'),\n"
	 "m AS (SELECT DISTINCT ON (d.village_id, d.period_from, d.period_to) d.*\n"
	 "        FROM disclosure_made d\n"
	 "       WHERE d.village_id IN (SELECT id FROM sv) AND d.period_to BETWEEN $2 AND $3\n"
	 "       ORDER BY d.village_id, d.period_from, d.period_to, d.made_at DESC),\n"
	 "late AS (SELECT m.village_id, m.period_from, m.period_to, m.made_at,\n"
	 "                audit_vno(v.period, v.number) AS vno, v.voucher_date,\n"
	 "                (SELECT sum(l.debit_fen) FROM voucher_line l WHERE l.village_id = v.village_id\n"
	 "                    AND l.voucher_id = v.id) AS amount\n"
	 "           FROM m JOIN voucher v ON v.village_id = m.village_id\n"
	 "            AND v.period BETWEEN date_trunc('month', m.period_from) AND m.period_to\n"
	 "            AND v.voucher_date BETWEEN m.period_from AND m.period_to AND v.posted_at > m.made_at)\n"
	 "SELECT 'R30', q.village_id, 'R30:' || to_char(q.qend, 'YYYY-MM'),\n"
	 "       to_char(q.qstart, 'YYYY') || 'Q' || extract(quarter FROM q.qstart), NULL::bigint,\n"
	 "       format('%s 年第 %s 季度（%s 至 %s）没有生成村务财务公开表，应于 %s 前公开',\n"
	 "              to_char(q.qstart, 'YYYY'), extract(quarter FROM q.qstart),\n"
	 "              to_char(q.qstart, 'YYYY-MM-DD'), to_char(q.qend, 'YYYY-MM-DD'),\n"
	 "              to_char(q.qend + q.days::int, 'YYYY-MM-DD')),\n"
	 "       '季度终了后 ' || q.days || ' 天内公开', NULL\n"
	 "  FROM q\n"
	 " WHERE q.qend >= $2 AND q.qend + q.days::int < current_date\n"
	 "   AND NOT EXISTS (SELECT 1 FROM disclosure_made d WHERE d.village_id = q.village_id\n"
	 "                   AND d.period_to = q.qend)\n"
	 /* from the first sheet cunji made on: before it, the village's
	  * disclosure was not cunji's to see */
	 "   AND q.qend >= (SELECT min(d.period_to) FROM disclosure_made d\n"
	 "                   WHERE d.village_id = q.village_id)\n"
	 "UNION ALL\n"
	 "SELECT 'R30', x.village_id,\n"
	 "       'R30:late:' || to_char(x.period_from, 'YYYY-MM-DD') || ':' || to_char(x.period_to, 'YYYY-MM-DD'),\n"
	 "       string_agg(x.vno, ', ' ORDER BY x.voucher_date, x.vno), sum(x.amount),\n"
	 "       format('%s 至 %s 的公开表于 %s 生成后，又补记了该期间的凭证 %s 张，金额 %s 元，公开的数据已不是账面数据',\n"
	 "              to_char(x.period_from, 'YYYY-MM-DD'), to_char(x.period_to, 'YYYY-MM-DD'),\n"
	 "              to_char(x.made_at, 'YYYY-MM-DD HH24:MI'), count(*), audit_fen(sum(x.amount))),\n"
	 "       '公开后不得补记公开期间的账', NULL\n"
	 "  FROM late x GROUP BY x.village_id, x.period_from, x.period_to, x.made_at"},
	{0, 0},
};
