/*
 * audit_cash.c - the warning rules on cash and bank (domain.md §5.2, R08 to
 * R13, and R31 as far as the bank's side goes), one set-based query each
 * (see audit_internal.h for what they may use and must return)
 *
 * SPDX-License-Identifier: MIT
 */
#include "audit_internal.h"

/* The day the balance was highest (R08) or lowest (R09, R31) in each month,
 * as x; then REFS names the vouchers that moved the account that day: the
 * findings' days joined with the vouchers (pv, whose flag says it moved the
 * account), then their lines of the account by the primary key (a lateral
 * join, fenced by OFFSET 0: the planner flattened it into a hash join that
 * read every line of the books, 1.5 s of a county's R08). */
#define DAY_EXTREME                                                                           \
	"WITH x AS (SELECT DISTINCT ON (b.village_id, date_trunc('month', b.day)) b.village_id,\n" \
	"                  b.day, b.bal, t.value AS lim\n"                                      \
	"             FROM day_bal b LEFT JOIN th t ON t.village_id = b.village_id\n"
#define REFS(acct, flag)                                                                      \
	"LEFT JOIN (SELECT v.village_id, v.day, string_agg(DISTINCT audit_vno(v.vperiod, v.number)\n" \
	"                  || coalesce(' ' || l.counterparty, ''), ', ') AS refs\n"               \
	"             FROM (SELECT v.* FROM pv v JOIN x ON x.village_id = v.village_id\n"         \
	"                      AND x.day = v.day\n"                                                \
	"                    WHERE v.f & " flag " <> 0 OFFSET 0) v\n"                              \
	"             CROSS JOIN LATERAL (SELECT l.counterparty FROM voucher_line l\n"             \
	"                   WHERE l.village_id = v.village_id AND l.voucher_id = v.voucher_id\n"   \
	"                     AND left(l.account_code, 3) = '" acct "' OFFSET 0) l\n"             \
	"            GROUP BY 1, 2) r ON r.village_id = x.village_id AND r.day = x.day\n"

const cj__audit_rule cj__audit_cash[] = {
	/* R08: the cash on hand at the end of a day above the limit; one
	 * finding a month, on its highest day */
	{"R08",
	 DAY_EXTREME
	 "              AND t.rule = 'R08' AND t.key = 'limit'\n"
	 "            WHERE b.acct = '101' AND b.day BETWEEN $2 AND $3 AND b.bal > t.value\n"
	 "            ORDER BY b.village_id, date_trunc('month', b.day), b.bal DESC, b.day)\n"
	 "SELECT 'R08', x.village_id, 'R08:' || to_char(x.day, 'YYYY-MM'), r.refs, x.bal,\n"
	 "       format('%s 库存现金余额 %s 元，超过库存现金限额 %s 元', to_char(x.day, 'YYYY-MM-DD'),\n"
	 "              audit_fen(x.bal), audit_fen(x.lim)),\n"
	 "       '限额 ' || audit_fen(x.lim) || ' 元', NULL\n"
	 "  FROM x " REFS("101", "1")},
	/* R09: cash in credit at the end of a day: money paid out that was
	 * never in the till (白条抵库, 坐支 or a payment from private money);
	 * and 坐支 as the books show it: a cash income spent before it was
	 * deposited.  Between a receipt and the next deposit (a segment of the
	 * days, nd deposits in), the lowest balance below the receipt means at
	 * least the difference was paid out of it. */
	{"R09",
	 DAY_EXTREME
	 "              AND false\n"
	 "            WHERE b.acct = '101' AND b.day BETWEEN $2 AND $3 AND b.bal < 0\n"
	 "            ORDER BY b.village_id, date_trunc('month', b.day), b.bal, b.day),\n"
	 "sg AS (SELECT s.*, min(s.bal) OVER (PARTITION BY s.village_id, s.nd ORDER BY s.day DESC)\n"
	 "                  AS low\n"
	 "         FROM (SELECT b.village_id, b.day, b.bal, d.day IS NOT NULL AS dep,\n"
	 "                      count(d.day) OVER (PARTITION BY b.village_id ORDER BY b.day) AS nd\n"
	 "                 FROM day_bal b LEFT JOIN dd d ON d.village_id = b.village_id\n"
	 "                      AND d.day = b.day\n"
	 "                WHERE b.acct = '101' AND b.day BETWEEN $2 AND $3) s)\n"
	 "SELECT 'R09', x.village_id, 'R09:' || to_char(x.day, 'YYYY-MM'), r.refs, x.bal,\n"
	 "       format('%s 库存现金出现贷方余额 %s 元，现金账面不足以支付，可能白条抵库或坐支',\n"
	 "              to_char(x.day, 'YYYY-MM-DD'), audit_fen(-x.bal)),\n"
	 "       '库存现金余额不得小于 0', NULL\n"
	 "  FROM x " REFS("101", "1")
	 "UNION ALL\n"
	 "SELECT 'R09', c.village_id, 'R09:zz:' || audit_vno(c.vperiod, c.number),\n"
	 "       audit_vno(c.vperiod, c.number) || ' ' || c.vsummary,\n"
	 "       least(c.amount, c.amount - s.low),\n"
	 "       format('%s 收到现金收入 %s 元，存入银行前库存现金降至 %s 元，至少 %s 元收入未存入银行即被支出（坐支）',\n"
	 "              to_char(c.day, 'YYYY-MM-DD'), audit_fen(c.amount), audit_fen(s.low),\n"
	 "              audit_fen(least(c.amount, c.amount - s.low))),\n"
	 "       '现金收入应先存入银行，不得坐支', NULL\n"
	 "  FROM rc c JOIN sg s ON s.village_id = c.village_id AND s.day = c.day\n"
	 " WHERE NOT s.dep AND s.low < c.amount"},
	/* R10: cash income not deposited: no deposit (Dr 102, Cr 101) within N
	 * days of an income received in cash (Dr 101, Cr 5xx) */
	{"R10",
	 /* the first deposit on or after each receipt's day: the days in
	  * reverse, so that the frame grows from the partition's start and
	  * the minimum is kept as it goes (a frame that ends at the partition's
	  * end is computed again for every row: quadratic in a village's year) */
	 "WITH e AS (SELECT k.*, min(CASE WHEN k.kind = 1 THEN k.day END) OVER (PARTITION BY k.village_id\n"
	 "               ORDER BY k.day DESC, k.kind DESC ROWS UNBOUNDED PRECEDING) AS dep\n"
	 "        FROM (SELECT c.village_id, c.day, 0 AS kind, c.vperiod, c.number, c.vsummary,\n"
	 "                     c.amount FROM rc c\n"
	 "              UNION ALL\n"
	 "              SELECT d.village_id, d.day, 1, NULL, NULL, NULL, NULL FROM dd d) k)\n"
	 "SELECT 'R10', e.village_id, 'R10:' || audit_vno(e.vperiod, e.number),\n"
	 "       audit_vno(e.vperiod, e.number) || ' ' || e.vsummary, e.amount,\n"
	 "       format('%s 收到现金收入 %s 元，%s', to_char(e.day, 'YYYY-MM-DD'), audit_fen(e.amount),\n"
	 "              CASE WHEN e.dep IS NULL THEN '此后未存入银行'\n"
	 "                   ELSE (e.dep - e.day) || ' 天后才存入银行' END),\n"
	 "       t.value || ' 天内存入银行', NULL\n"
	 "  FROM e JOIN th t ON t.village_id = e.village_id AND t.rule = 'R10' AND t.key = 'days'\n"
	 " WHERE e.kind = 0 AND coalesce(e.dep, $3 + 1) - e.day > t.value\n"
	 "   AND (e.dep IS NOT NULL OR $3 - e.day > t.value)"},
	/* R11: one voucher paying more than the limit in cash; and a bank
	 * payment for works or earmarked spending (153, 241, 231) to a person
	 * rather than to the contractor's account */
	{"R11",
	 "SELECT 'R11', v.village_id, 'R11:' || audit_vno(v.vperiod, v.number),\n"
	 "       audit_vno(v.vperiod, v.number) || coalesce(' ' || v.cash_cp, '') || ' ' || v.vsummary,\n"
	 "       v.cash_cr,\n"
	 "       format('%s 以现金支付 %s 元，超过现金支付限额，应通过银行转账',\n"
	 "              to_char(v.day, 'YYYY-MM-DD'), audit_fen(v.cash_cr)),\n"
	 "       '现金支付限额 ' || audit_fen(t.value) || ' 元', NULL\n"
	 "  FROM pv v JOIN th t ON t.village_id = v.village_id AND t.rule = 'R11' AND t.key = 'limit'\n"
	 " WHERE v.ordinary AND v.cash_cr > t.value AND v.f & 2 = 0\n"
	 "UNION ALL\n"
	 "SELECT 'R11', l.village_id, 'R11:person:' || l.vno || ':' || l.line_no,\n"
	 "       l.vno || ' ' || l.counterparty || ' ' || l.vsummary, l.credit_fen,\n"
	 "       format('%s 通过银行向个人 %s 支付 %s 元（%s），工程款、专项资金应支付至施工或供货单位账户',\n"
	 "              to_char(l.day, 'YYYY-MM-DD'), l.counterparty, audit_fen(l.credit_fen), l.vsummary),\n"
	 "       '向个人支付工程款、专项资金限额 ' || audit_fen(t.value) || ' 元', NULL\n"
	 "  FROM lv l JOIN th t ON t.village_id = l.village_id AND t.rule = 'R11'\n"
	 "       AND t.key = 'person_limit'\n"
	 "  JOIN pv w ON w.village_id = l.village_id AND w.voucher_id = l.voucher_id\n"
	 "       AND w.f & 16 <> 0\n"
	 " WHERE left(l.account_code, 3) = '102' AND l.credit_fen >= t.value\n"
	 "   AND audit_is_person(l.counterparty)"},
	/* R13: an advance or loan to a person (Dr 112 with a person as
	 * counterparty, paid out of cash or bank) not settled (Cr 112, first in
	 * first out) within N days; the history of 112 through its index (0028) */
	{"R13",
	 "WITH m AS (SELECT l.village_id, l.account_code, l.counterparty AS cp, v.voucher_date AS day,\n"
	 "                  audit_vno(v.period, v.number) AS vno, l.debit_fen, l.credit_fen,\n"
	 "                  sum(l.debit_fen) OVER w AS cum_d, sum(l.credit_fen) OVER w AS cum_c\n"
	 "             FROM voucher_line l JOIN voucher v ON v.village_id = l.village_id\n"
	 "                  AND v.id = l.voucher_id\n"
	 "            WHERE l.village_id IN (SELECT id FROM sv)\n"
	 "              AND left(l.account_code, 3) IN ('112', '113', '201', '211', '221', '231', '241')\n"
	 "              AND l.account_code LIKE '112%'\n"
	 "              AND audit_is_person(l.counterparty) AND v.voucher_date <= $3\n"
	 "              AND (l.credit_fen > 0 OR EXISTS (SELECT 1 FROM voucher_line i\n"
	 "                   WHERE i.village_id = l.village_id AND i.voucher_id = l.voucher_id\n"
	 "                     AND i.account_code ~ '^10[12]' AND i.credit_fen > 0))\n"
	 "           WINDOW w AS (PARTITION BY l.village_id, l.account_code, l.counterparty\n"
	 "                        ORDER BY v.voucher_date, v.id, l.line_no)),\n"
	 /* a debit is settled by the first credit whose running total reaches
	  * the debits' running total up to it: in one order of both running
	  * totals (a debit before a credit of the same total), the first credit
	  * after it (read in reverse, as R10's deposits) */
	 "e AS (SELECT m.*, min(CASE WHEN m.credit_fen > 0 THEN m.day END)\n"
	 "               OVER (PARTITION BY m.village_id, m.account_code, m.cp\n"
	 "                     ORDER BY CASE WHEN m.credit_fen > 0 THEN m.cum_c ELSE m.cum_d END DESC,\n"
	 "                              m.credit_fen > 0 DESC\n"
	 "                     ROWS UNBOUNDED PRECEDING) AS settled\n"
	 "        FROM m)\n"
	 "SELECT 'R13', d.village_id, 'R13:' || d.vno || ':' || d.cp, d.vno || ' ' || d.cp,\n"
	 "       d.debit_fen,\n"
	 "       format('%s 借给 %s %s 元，%s', to_char(d.day, 'YYYY-MM-DD'), d.cp, audit_fen(d.debit_fen),\n"
	 "              CASE WHEN d.settled IS NULL THEN '至 ' || to_char($3, 'YYYY-MM-DD') || ' 仍未结清'\n"
	 "                   ELSE (d.settled - d.day) || ' 天后才结清' END),\n"
	 "       t.value || ' 天内结清', NULL\n"
	 "  FROM e d JOIN th t ON t.village_id = d.village_id AND t.rule = 'R13' AND t.key = 'days'\n"
	 " WHERE d.debit_fen > 0 AND d.day BETWEEN $2 AND $3\n"
	 "   AND coalesce(d.settled, $3) - d.day > t.value"},
	/* R31 (the bank's side): a bank balance in credit at the end of a day */
	{"R31",
	 DAY_EXTREME
	 "              AND false\n"
	 "            WHERE b.acct = '102' AND b.day BETWEEN $2 AND $3 AND b.bal < 0\n"
	 "            ORDER BY b.village_id, date_trunc('month', b.day), b.bal, b.day)\n"
	 "SELECT 'R31', x.village_id, 'R31:102:' || to_char(x.day, 'YYYY-MM'), r.refs, x.bal,\n"
	 "       format('%s 银行存款出现贷方余额 %s 元，余额方向错误（透支或记账错误）',\n"
	 "              to_char(x.day, 'YYYY-MM-DD'), audit_fen(-x.bal)),\n"
	 "       '银行存款余额不得小于 0', NULL\n"
	 "  FROM x " REFS("102", "2")},
	{0, 0},
};
