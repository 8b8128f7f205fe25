/*
 * audit_payees.c - the warning rules on counterparties, officials, members
 * and the distribution (domain.md §5.2, R25 to R29), one set-based query
 * each (see audit_internal.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "audit_internal.h"

/* A payment: what one voucher paid one counterparty out of cash or bank
 * (its number written out only where a finding shows it). */
#define PAYMENTS                                                                             \
	"pay AS (SELECT l.village_id, l.voucher_id, l.vperiod, l.number, l.day,\n"               \
	"               l.counterparty AS cp,\n"                                                  \
	"               sum(l.credit_fen) AS amount\n"                                             \
	"          FROM lv l\n"                                                                    \
	"         WHERE (l.account_code LIKE '101%' OR l.account_code LIKE '102%')\n"             \
	"           AND l.credit_fen > 0 AND l.counterparty IS NOT NULL\n"                        \
	"         GROUP BY 1, 2, 3, 4, 5, 6)\n"

const cj__audit_rule cj__audit_payees[] = {
	/* R25: a receivable or payable with a counterparty whose balance has
	 * not moved for N days (长期挂账) */
	{"R25",
	 "SELECT 'R25', x.village_id, 'R25:' || x.account_code || ':' || x.cp,\n"
	 "       x.account_code || ' ' || x.cp, x.bal,\n"
	 "       format('%s %s 余额 %s 元，自 %s 起未再变动', x.account_code, x.cp, audit_fen(x.bal),\n"
	 "              to_char(x.last_day, 'YYYY-MM-DD')),\n"
	 "       t.value || ' 天无变动', NULL\n"
	 "  FROM (SELECT l.village_id, l.account_code, l.counterparty AS cp,\n"
	 "               abs(sum(l.debit_fen - l.credit_fen)) AS bal, max(v.voucher_date) AS last_day\n"
	 "          FROM voucher_line l JOIN voucher v ON v.village_id = l.village_id\n"
	 "               AND v.id = l.voucher_id\n"
	 "         WHERE l.village_id IN (SELECT id FROM sv) AND l.counterparty IS NOT NULL\n"
	 "           AND left(l.account_code, 3) IN ('112', '113', '201', '211', '221', '231', '241')\n"
	 "           AND left(l.account_code, 3) IN ('112', '113', '211', '221') AND v.voucher_date <= $3\n"
	 "         GROUP BY 1, 2, 3) x\n"
	 "  JOIN th t ON t.village_id = x.village_id AND t.rule = 'R25' AND t.key = 'days'\n"
	 " WHERE x.bal <> 0 AND $3 - x.last_day > t.value"},
	/* R26: a payee, an aid household or a dividend household that is an
	 * official of the village or a relative: by ID number (red), else by
	 * name (yellow) */
	{"R26",
	 "WITH " PAYMENTS ",\n"
	 "o AS (SELECT o.*, o.name || '（' || o.post\n"
	 "             || CASE WHEN o.relation = '本人' THEN ''\n"
	 "                     ELSE '，' || o.related_to || '的' || o.relation END || '）' AS who\n"
	 "        FROM official o WHERE o.village_id IN (SELECT id FROM sv))\n"
	 "SELECT 'R26', p.village_id, 'R26:' || audit_vno(p.vperiod, p.number) || ':' || o.id,\n"
	 "       audit_vno(p.vperiod, p.number) || ' ' || p.cp, p.amount,\n"
	 "       format('%s 向 %s 支付 %s 元，收款人与村干部名册中 %s 同名', to_char(p.day, 'YYYY-MM-DD'),\n"
	 "              p.cp, audit_fen(p.amount), o.who),\n"
	 "       '按姓名比对', 'yellow'\n"
	 "  FROM pay p JOIN o ON o.village_id = p.village_id AND o.name = btrim(p.cp)\n"
	 "UNION ALL\n"
	 "SELECT 'R26', a.village_id, 'R26:aid:' || a.id || ':' || o.id, h.code || ' ' || h.head_name,\n"
	 "       a.amount_fen,\n"
	 "       format('%s 向 %s 户发放帮扶资金 %s 元，该户%s与村干部名册中 %s %s',\n"
	 "              to_char(a.paid_on, 'YYYY-MM-DD'), h.head_name, audit_fen(a.amount_fen),\n"
	 "              CASE WHEN m.by_id THEN '成员身份证号' ELSE '户主姓名' END, o.who,\n"
	 "              CASE WHEN m.by_id THEN '相同' ELSE '同名' END),\n"
	 "       CASE WHEN m.by_id THEN '按身份证号比对' ELSE '按姓名比对' END,\n"
	 "       CASE WHEN m.by_id THEN 'red' ELSE 'yellow' END\n"
	 "  FROM aid_payment a JOIN household h ON h.village_id = a.village_id\n"
	 "       AND h.code = a.household_code\n"
	 "  JOIN o ON o.village_id = a.village_id\n"
	 "  CROSS JOIN LATERAL (SELECT o.id_number <> '' AND (o.id_number = h.head_id_number\n"
	 "         OR EXISTS (SELECT 1 FROM household_member hm WHERE hm.village_id = h.village_id\n"
	 "                    AND hm.household_code = h.code AND hm.id_number = o.id_number)) AS by_id) m\n"
	 " WHERE a.village_id IN (SELECT id FROM sv) AND a.paid_on BETWEEN $2 AND $3\n"
	 "   AND (m.by_id OR o.name = h.head_name)\n"
	 "UNION ALL\n"
	 "SELECT 'R26', d.village_id, 'R26:dividend:' || d.year || ':' || d.household_code || ':' || o.id,\n"
	 "       h.code || ' ' || h.head_name, d.amount_fen,\n"
	 "       format('%s 年分红向 %s 户分配 %s 元（%s 股），该户成员 %s，请核对是否与其他成员同股同利',\n"
	 "              d.year, h.head_name, audit_fen(d.amount_fen), d.shares, o.who),\n"
	 "       '按身份证号比对', 'yellow'\n"
	 "  FROM dividend_line d JOIN household h ON h.village_id = d.village_id\n"
	 "       AND h.code = d.household_code\n"
	 "  JOIN o ON o.village_id = d.village_id AND o.id_number <> ''\n"
	 " WHERE d.village_id IN (SELECT id FROM sv)\n"
	 "   AND d.year BETWEEN extract(year FROM $2::date) AND extract(year FROM $3::date)\n"
	 "   AND (o.id_number = h.head_id_number\n"
	 "        OR EXISTS (SELECT 1 FROM household_member hm WHERE hm.village_id = h.village_id\n"
	 "                   AND hm.household_code = h.code AND hm.id_number = o.id_number))"},
	/* R27: split payments: N or more payments to one payee, each under the
	 * approval limit, each within D days of the one before, together at or
	 * above it; and a person paid by several villages */
	{"R27",
	 "WITH " PAYMENTS ",\n"
	 /* (across villages: every village in scope, sva; the findings sv's) */
	 "hb AS (SELECT d.village_id, d.household_code, h.head_name, d.amount_fen,\n"
	 "              replace(h.bank_account, ' ', '') AS account\n"
	 "         FROM dividend_line d JOIN household h ON h.village_id = d.village_id\n"
	 "              AND h.code = d.household_code\n"
	 "        WHERE d.village_id IN (SELECT id FROM sva) AND d.paid_voucher_id IS NOT NULL\n"
	 "          AND btrim(h.bank_account) <> ''\n"
	 "          AND d.year BETWEEN extract(year FROM $2::date) AND extract(year FROM $3::date)),\n"
	 /* each payment's run (island) of payments to its payee, each within D
	  * days of the one before; a payment alone in its run is no finding
	  * (the run's sum cannot pass the limit that each payment is under),
	  * and dropped before the runs are grouped: most payments are alone */
	 "g AS (SELECT * FROM (\n"
	 "        SELECT p.*, sum(CASE WHEN p.day - p.prev > td.value THEN 1 ELSE 0 END)\n"
	 "                  OVER (PARTITION BY p.village_id, p.cp ORDER BY p.day, p.voucher_id) AS island,\n"
	 "               tl.value AS lim, tc.value AS cnt, td.value AS days\n"
	 "          FROM (SELECT pay.*, lag(pay.day) OVER w AS prev, lead(pay.day) OVER w AS next\n"
	 "                  FROM pay WINDOW w AS (PARTITION BY pay.village_id, pay.cp\n"
	 "                                        ORDER BY pay.day, pay.voucher_id)) p\n"
	 "          JOIN th tl ON tl.village_id = p.village_id AND tl.rule = 'R27' AND tl.key = 'limit'\n"
	 "          JOIN th tc ON tc.village_id = p.village_id AND tc.rule = 'R27' AND tc.key = 'count'\n"
	 "          JOIN th td ON td.village_id = p.village_id AND td.rule = 'R27' AND td.key = 'days') g\n"
	 "       WHERE g.day - g.prev <= g.days OR g.next - g.day <= g.days),\n"
	 /* the runs that are findings, then only their payments written out */
	 "i AS (SELECT g.village_id, g.cp, g.island FROM g\n"
	 "       GROUP BY g.village_id, g.cp, g.island, g.lim, g.cnt\n"
	 "      HAVING count(*) >= g.cnt AND max(g.amount) < g.lim AND sum(g.amount) >= g.lim),\n"
	 /* a person paid by several villages: each village's share, and the
	  * others named */
	 "pm AS (SELECT p.cp, p.village_id FROM cpv p\n"
	 /* the person test on the few names paid by several villages, not on
	  * every payment (a fence: the planner would move it into the scan) */
	 "         JOIN (SELECT cp FROM (SELECT cp FROM cpv GROUP BY cp\n"
	 "                                HAVING count(*) > 1 OFFSET 0) c\n"
	 "                WHERE audit_is_person(cp)) m ON m.cp = p.cp),\n"
	 "ov AS (SELECT a.cp, a.village_id, string_agg(DISTINCT s.name, '、') AS others\n"
	 "         FROM pm a JOIN pm b ON b.cp = a.cp AND b.village_id <> a.village_id\n"
	 "         JOIN sva s ON s.id = b.village_id\n"
	 "        WHERE a.village_id IN (SELECT id FROM sv) GROUP BY 1, 2)\n"
	 "SELECT 'R27', g.village_id, 'R27:' || g.cp || ':' || to_char(min(g.day), 'YYYY-MM-DD'),\n"
	 "       string_agg(audit_vno(g.vperiod, g.number), ', ' ORDER BY g.day, g.voucher_id)\n"
	 "         || ' ' || g.cp, sum(g.amount),\n"
	 "       format('%s 至 %s 向 %s 支付 %s 笔共 %s 元，每笔均低于审批限额 %s 元，疑似拆分支付',\n"
	 "              to_char(min(g.day), 'YYYY-MM-DD'), to_char(max(g.day), 'YYYY-MM-DD'), g.cp,\n"
	 "              count(*), audit_fen(sum(g.amount)), audit_fen(g.lim)),\n"
	 "       format('审批限额 %s 元，%s 天内 %s 笔', audit_fen(g.lim), g.days, g.cnt), NULL\n"
	 "  FROM g JOIN i ON i.village_id = g.village_id AND i.cp = g.cp AND i.island = g.island\n"
	 " GROUP BY g.village_id, g.cp, g.island, g.lim, g.cnt, g.days\n"
	 "UNION ALL\n"
	 "SELECT 'R27', p.village_id, 'R27:villages:' || p.cp,\n"
	 "       string_agg(audit_vno(p.vperiod, p.number), ', ' ORDER BY p.day, p.voucher_id)\n"
	 "         || ' ' || p.cp, sum(p.amount),\n"
	 "       format('个人 %s 在本村收款 %s 元，同期还在 %s 收款', p.cp, audit_fen(sum(p.amount)),\n"
	 "              min(o.others)),\n"
	 "       '同一个人由多个村支付', 'yellow'\n"
	 "  FROM pay p JOIN ov o ON o.cp = p.cp AND o.village_id = p.village_id\n"
	 " GROUP BY p.village_id, p.cp\n"
	 /* one bank account, on the register of households of several villages,
	  * paid a dividend by each */
	 "UNION ALL\n"
	 "SELECT 'R27', b.village_id, 'R27:account:' || b.account,\n"
	 "       string_agg(b.household_code || ' ' || b.head_name, ', '), sum(b.amount_fen),\n"
	 "       format('银行账户 %s 在本村收到分红 %s 元，同期还在 %s 收到分红', b.account,\n"
	 "              audit_fen(sum(b.amount_fen)),\n"
	 "              (SELECT string_agg(DISTINCT s.name, '、') FROM hb y JOIN sva s ON s.id = y.village_id\n"
	 "                WHERE y.account = b.account AND y.village_id <> b.village_id)),\n"
	 "       '同一银行账户由多个村支付', 'yellow'\n"
	 "  FROM hb b\n"
	 "  JOIN (SELECT account FROM hb GROUP BY 1 HAVING count(DISTINCT village_id) > 1) m\n"
	 "       ON m.account = b.account\n"
	 " WHERE b.village_id IN (SELECT id FROM sv)\n"
	 " GROUP BY b.village_id, b.account"},
	/* R28: a distribution whose households' amounts do not add up to the
	 * plan; one ID number paid a dividend in two villages */
	{"R28",
	 "WITH hd AS (SELECT DISTINCT d.village_id, d.year, d.household_code, d.amount_fen,\n"
	 "                   i.name, i.id_number\n"
	 "              FROM dividend_line d JOIN household h ON h.village_id = d.village_id\n"
	 "                   AND h.code = d.household_code\n"
	 "             CROSS JOIN LATERAL (SELECT h.head_name, h.head_id_number\n"
	 "                    UNION SELECT m.name, m.id_number FROM household_member m\n"
	 "                     WHERE m.village_id = h.village_id AND m.household_code = h.code)\n"
	 "                   AS i(name, id_number)\n"
	 "             WHERE d.village_id IN (SELECT id FROM sva)\n"
	 "               AND d.year BETWEEN extract(year FROM $2::date) AND extract(year FROM $3::date))\n"
	 "SELECT 'R28', d.village_id, 'R28:plan:' || d.year, d.year || ' 年分配方案', d.paid,\n"
	 "       format('%s 年分配方案中农户分配 %s 元，各户分配合计 %s 元，相差 %s 元', d.year,\n"
	 "              audit_fen(d.households_fen), audit_fen(d.paid), audit_fen(d.paid - d.households_fen)),\n"
	 "       '各户合计应等于方案', NULL\n"
	 "  FROM (SELECT p.village_id, p.year, p.households_fen, coalesce(sum(l.amount_fen), 0) AS paid\n"
	 "          FROM dividend_plan p LEFT JOIN dividend_line l ON l.village_id = p.village_id\n"
	 "               AND l.year = p.year\n"
	 "         WHERE p.village_id IN (SELECT id FROM sv) AND p.declared_on BETWEEN $2 AND $3\n"
	 "         GROUP BY 1, 2, 3) d\n"
	 " WHERE d.paid <> d.households_fen\n"
	 "UNION ALL\n"
	 "SELECT 'R28', x.village_id, 'R28:id:' || x.year || ':' || x.id_number,\n"
	 "       x.household_code || ' ' || x.name, x.amount_fen,\n"
	 "       format('%s 年 %s（身份证号 %s）在本村分红 %s 元，同年又在 %s 分红', x.year, x.name,\n"
	 "              x.id_number, audit_fen(x.amount_fen),\n"
	 "              (SELECT string_agg(DISTINCT s.name, '、') FROM hd y JOIN sva s ON s.id = y.village_id\n"
	 "                WHERE y.id_number = x.id_number AND y.year = x.year\n"
	 "                  AND y.village_id <> x.village_id)),\n"
	 "       '一个身份证号只能在一个村分红', NULL\n"
	 "  FROM hd x\n"
	 "  JOIN (SELECT id_number, year FROM hd GROUP BY 1, 2\n"
	 "        HAVING count(DISTINCT village_id) > 1) m ON m.id_number = x.id_number\n"
	 "       AND m.year = x.year\n"
	 " WHERE x.village_id IN (SELECT id FROM sv)\n"
	 /* a dividend paid (Dr 211090 应付成员分红) to a payee who is no household
	  * (code or head) and no member of the village's register */
	 "UNION ALL\n"
	 "SELECT 'R28', l.village_id, 'R28:payee:' || l.vno || ':' || l.line_no,\n"
	 "       l.vno || ' ' || l.counterparty, l.debit_fen,\n"
	 "       format('%s 支付分红 %s 元给 %s，收款人不在本村成员名册中', to_char(l.day, 'YYYY-MM-DD'),\n"
	 "              audit_fen(l.debit_fen), l.counterparty),\n"
	 "       '分红只能支付给名册中的成员', NULL\n"
	 "  FROM lv l\n"
	 " WHERE l.account_code LIKE '211090%' AND l.debit_fen > 0 AND l.counterparty IS NOT NULL\n"
	 "   AND NOT EXISTS (SELECT 1 FROM household h WHERE h.village_id = l.village_id\n"
	 "                   AND btrim(l.counterparty) IN (h.code, h.head_name))\n"
	 "   AND NOT EXISTS (SELECT 1 FROM household_member m WHERE m.village_id = l.village_id\n"
	 "                   AND m.name = btrim(l.counterparty))"},
	/* R29: a distribution declared while the collective borrowed in the N
	 * days before it, or had less money than it paid out (举债分配) */
	{"R29",
	 "SELECT 'R29', p.village_id, 'R29:' || p.year, p.year || ' 年分配方案', p.pool_fen,\n"
	 "       format('%s 分配 %s 元，%s', to_char(p.declared_on, 'YYYY-MM-DD'), audit_fen(p.pool_fen),\n"
	 "              concat_ws('；',\n"
	 "                CASE WHEN m.money < p.pool_fen THEN format('分配前货币资金仅 %s 元，收益尚未收回',\n"
	 "                     audit_fen(m.money)) END,\n"
	 "                CASE WHEN b.borrowed > 0 THEN format('分配前 %s 天内借入 %s 元', t.value,\n"
	 "                     audit_fen(b.borrowed)) END)),\n"
	 "       format('分配不得超过货币资金，分配前 %s 天内不得借款', t.value), NULL\n"
	 "  FROM dividend_plan p\n"
	 "  JOIN th t ON t.village_id = p.village_id AND t.rule = 'R29' AND t.key = 'loan_days'\n"
	 "  CROSS JOIN LATERAL (SELECT coalesce(sum(x.bal), 0) AS money FROM (\n"
	 "         SELECT DISTINCT ON (acct) bal FROM day_bal d\n"
	 "          WHERE d.village_id = p.village_id AND d.day < p.declared_on\n"
	 "          ORDER BY acct, day DESC) x) m\n"
	 "  CROSS JOIN LATERAL (SELECT coalesce(sum(l.credit_fen), 0) AS borrowed\n"
	 "          FROM voucher_line l JOIN voucher v ON v.village_id = l.village_id\n"
	 "               AND v.id = l.voucher_id\n"
	 "         WHERE l.village_id = p.village_id AND l.account_code ~ '^(201|221)'\n"
	 "           AND v.kind = 'normal'\n"
	 "           AND v.voucher_date BETWEEN p.declared_on - t.value::int AND p.declared_on) b\n"
	 " WHERE p.village_id IN (SELECT id FROM sv) AND p.declared_on BETWEEN $2 AND $3\n"
	 "   AND (m.money < p.pool_fen OR b.borrowed > 0)"},
	{0, 0},
};
