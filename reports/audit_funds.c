/*
 * audit_funds.c - the warning rules on earmarked money (domain.md §5.2, R19
 * to R24), one set-based query each (see audit_internal.h)
 *
 * The database already refuses a fund-tagged line that breaks its fund's
 * rules (negative list, overspending, a project not started: 0004, 0010);
 * what it cannot refuse is money that moves without the tag, or that sits.
 *
 * SPDX-License-Identifier: MIT
 */
#include "audit_internal.h"

/* Month-end balances (credit side positive) of the holding accounts 231
 * and 241, for the months of the scan. */
#define HOLDING_MONTHS                                                                       \
	"WITH mv AS (SELECT t.village_id, left(t.account_code, 3) AS acct, t.period,\n"          \
	"                   sum(t.credit_fen - t.debit_fen) AS net\n"                              \
	"              FROM account_period_total t\n"                                             \
	"             WHERE t.village_id IN (SELECT id FROM sv) AND t.period <= $3\n"              \
	"               AND left(t.account_code, 3) IN ('231', '241')\n"                          \
	"             GROUP BY 1, 2, 3),\n"                                                        \
	"mb AS (SELECT g.village_id, g.acct, m.period, sum(mv.net) AS bal\n"                       \
	"         FROM (SELECT DISTINCT village_id, acct FROM mv) g\n"                             \
	"         CROSS JOIN generate_series(date_trunc('month', $2::date), $3::date,\n"          \
	"                                    '1 month') AS m(period)\n"                            \
	"         JOIN mv ON mv.village_id = g.village_id AND mv.acct = g.acct\n"                 \
	"              AND mv.period <= m.period\n"                                               \
	"        GROUP BY 1, 2, 3)\n"

const cj__audit_rule cj__audit_funds[] = {
	/* R19: spending charged to an earmarked holding account (241 专项应付款,
	 * 231 一事一议资金) without the fund's tag: the fund's rules never saw
	 * it, and fund list shows the fund untouched; then the holding account's
	 * balance and the funds' balances disagree */
	{"R19",
	 "SELECT 'R19', l.village_id, 'R19:' || l.vno || ':' || l.line_no,\n"
	 "       l.vno || coalesce(' ' || l.counterparty, '') || ' ' || l.vsummary, l.debit_fen,\n"
	 "       format('%s 借记 %s %s 元（%s），未标明专项资金，绕过了资金用途规则',\n"
	 "              to_char(l.day, 'YYYY-MM-DD'), l.account_code, audit_fen(l.debit_fen), l.summary),\n"
	 "       '借记专项应付款、一事一议资金须标明资金', NULL\n"
	 "  FROM lv l\n"
	 " WHERE (l.account_code LIKE '241%' OR l.account_code LIKE '231%')\n"
	 "   AND l.debit_fen > 0 AND l.fund_id IS NULL\n"
	 "UNION ALL\n"
	 "SELECT 'R19', b.village_id, 'R19:balance:' || b.acct || ':' || to_char($3::date, 'YYYY-MM-DD'),\n"
	 "       b.acct, b.tagged - b.bal,\n"
	 "       format('截至 %s，%s 科目余额 %s 元，各专项资金结余合计 %s 元，%s 元未经资金核算',\n"
	 "              to_char($3::date, 'YYYY-MM-DD'), b.acct, audit_fen(b.bal), audit_fen(b.tagged),\n"
	 "              audit_fen(b.tagged - b.bal)),\n"
	 "       '科目余额应等于资金结余合计', 'yellow'\n"
	 /* the balance from the kept totals; the funds' part: the tagged lines
	  * (their index, 0028) and the opening balance */
	 "  FROM (SELECT a.village_id, a.acct, a.bal, a.opening + coalesce(g.tagged, 0) AS tagged\n"
	 "          FROM (SELECT t.village_id, left(t.account_code, 3) AS acct,\n"
	 "                       sum(t.credit_fen - t.debit_fen) AS bal,\n"
	 "                       sum(t.opening_credit_fen - t.opening_debit_fen) AS opening\n"
	 "                  FROM account_period_total t\n"
	 "                 WHERE t.village_id IN (SELECT id FROM sv) AND t.period <= $3\n"
	 "                   AND left(t.account_code, 3) IN ('231', '241')\n"
	 "                 GROUP BY 1, 2) a\n"
	 "          LEFT JOIN (SELECT l.village_id, left(l.account_code, 3) AS acct,\n"
	 "                            sum(l.credit_fen - l.debit_fen) AS tagged\n"
	 "                       FROM voucher_line l\n"
	 "                      WHERE l.village_id IN (SELECT id FROM sv) AND l.fund_id IS NOT NULL\n"
	 "                        AND l.period <= $3 AND left(l.account_code, 3) IN ('231', '241')\n"
	 "                        AND NOT EXISTS (SELECT 1 FROM voucher v WHERE v.village_id = l.village_id\n"
	 "                                        AND v.id = l.voucher_id AND v.kind = 'opening')\n"
	 "                      GROUP BY 1, 2) g ON g.village_id = a.village_id AND g.acct = a.acct) b\n"
	 " WHERE b.bal <> b.tagged"},
	/* R20: 专项应付款 overspent: its balance in debit at a month end */
	{"R20",
	 HOLDING_MONTHS
	 "SELECT 'R20', x.village_id, 'R20:241', '241', -x.bal,\n"
	 "       format('%s 月末专项应付款（241）出现借方余额 %s 元（%s 起共 %s 个月），专项资金透支或被挤占挪用',\n"
	 "              to_char(x.period, 'YYYY-MM'), audit_fen(-x.bal), to_char(x.first, 'YYYY-MM'),\n"
	 "              x.months),\n"
	 "       '专项应付款余额不得为借方', NULL\n"
	 "  FROM (SELECT DISTINCT ON (mb.village_id) mb.*,\n"
	 "               min(mb.period) OVER (PARTITION BY mb.village_id) AS first,\n"
	 "               count(*) OVER (PARTITION BY mb.village_id) AS months\n"
	 "          FROM mb WHERE mb.acct = '241' AND mb.bal < 0\n"
	 "         ORDER BY mb.village_id, mb.bal, mb.period) x"},
	/* R21: project money unspent N months after it arrived, above a share
	 * of what arrived (a retention of 3-5% is normal) */
	{"R21",
	 "SELECT 'R21', f.village_id, 'R21:' || f.code, f.code || ' ' || f.name, x.received - x.spent,\n"
	 "       format('%s（%s）%s 到位 %s 元，截至 %s 已 %s 个月，尚有 %s 元未支出',\n"
	 "              f.name, f.code, to_char(x.first_day, 'YYYY-MM-DD'), audit_fen(x.received),\n"
	 "              to_char($3::date, 'YYYY-MM-DD'),\n"
	 "              (extract(year FROM age($3::date, x.first_day)) * 12\n"
	 "               + extract(month FROM age($3::date, x.first_day)))::int,\n"
	 "              audit_fen(x.received - x.spent)),\n"
	 "       format('到位 %s 个月后结余不超过 %s%%', tm.value, tp.value), NULL\n"
	 "  FROM fund f\n"
	 "  JOIN (SELECT l.village_id, l.fund_id, min(v.voucher_date) FILTER (WHERE l.debit_fen > 0)\n"
	 "               AS first_day, sum(l.debit_fen) AS received, sum(l.credit_fen) AS spent\n"
	 "          FROM voucher_line l JOIN voucher v ON v.village_id = l.village_id\n"
	 "               AND v.id = l.voucher_id\n"
	 "         WHERE l.village_id IN (SELECT id FROM sv) AND l.fund_id IS NOT NULL\n"
	 "           AND left(l.account_code, 3) IN ('101', '102') AND v.voucher_date <= $3\n"
	 "         GROUP BY 1, 2) x ON x.village_id = f.village_id AND x.fund_id = f.id\n"
	 "  JOIN th tm ON tm.village_id = f.village_id AND tm.rule = 'R21' AND tm.key = 'months'\n"
	 "  JOIN th tp ON tp.village_id = f.village_id AND tp.rule = 'R21' AND tp.key = 'percent'\n"
	 " WHERE f.allowed_categories IS NOT NULL AND f.status = 'open' AND x.received > 0\n"
	 "   AND x.first_day + make_interval(months => tm.value::int) <= $3\n"
	 "   AND (x.received - x.spent) * 100 > x.received * tp.value"},
	/* R22: a project past its planned end by N days, paid but not accepted:
	 * no asset recorded */
	{"R22",
	 "SELECT 'R22', p.village_id, 'R22:' || p.code, p.code || ' ' || p.name, t.spent_fen,\n"
	 "       format('%s（%s）计划 %s 完工，截至 %s 仍未验收，已支付 %s 元，资产未入账',\n"
	 "              p.name, p.code, to_char(p.end_date, 'YYYY-MM-DD'),\n"
	 "              to_char($3::date, 'YYYY-MM-DD'), audit_fen(t.spent_fen)),\n"
	 "       '完工后 ' || th.value || ' 天内验收', NULL\n"
	 "  FROM project p JOIN project_total t ON t.village_id = p.village_id\n"
	 "       AND t.project_id = p.id\n"
	 "  JOIN th ON th.village_id = p.village_id AND th.rule = 'R22' AND th.key = 'days'\n"
	 " WHERE p.village_id IN (SELECT id FROM sv) AND p.status = 'started' AND t.spent_fen > 0\n"
	 "   AND p.end_date + th.value::int < $3"},
	/* R23: 一事一议资金 (231) in debit at a month end: overspent */
	{"R23",
	 HOLDING_MONTHS
	 "SELECT 'R23', x.village_id, 'R23:231', '231', -x.bal,\n"
	 "       format('%s 月末一事一议资金（231）出现借方余额 %s 元（%s 起共 %s 个月），一事一议资金超支',\n"
	 "              to_char(x.period, 'YYYY-MM'), audit_fen(-x.bal), to_char(x.first, 'YYYY-MM'),\n"
	 "              x.months),\n"
	 "       '一事一议资金余额不得为借方', NULL\n"
	 "  FROM (SELECT DISTINCT ON (mb.village_id) mb.*,\n"
	 "               min(mb.period) OVER (PARTITION BY mb.village_id) AS first,\n"
	 "               count(*) OVER (PARTITION BY mb.village_id) AS months\n"
	 "          FROM mb WHERE mb.acct = '231' AND mb.bal < 0\n"
	 "         ORDER BY mb.village_id, mb.bal, mb.period) x"},
	/* R24: earmarked money credited to income or to the distribution: a
	 * non-distributable fund's line credited to 32x (收益分配), or a holding
	 * account (241, 231) debited against income or the distribution.  A
	 * subsidy booked to 503 with its fund's tag is not one: the
	 * distributable income leaves it out (0005). */
	{"R24",
	 "SELECT 'R24', l.village_id, 'R24:' || l.vno || ':' || l.line_no,\n"
	 "       l.vno || ' ' || l.vsummary, l.credit_fen,\n"
	 "       format('%s 将 %s 元%s计入 %s，专项资金不得计入可分配收益或用于分红',\n"
	 "              to_char(l.day, 'YYYY-MM-DD'), audit_fen(l.credit_fen),\n"
	 "              coalesce('（' || f.name || '）', '（专项应付款）'), l.account_code),\n"
	 "       '专项资金不得计入收入或收益分配', NULL\n"
	 "  FROM lv l LEFT JOIN fund f ON f.village_id = l.village_id AND f.id = l.fund_id\n"
	 "  LEFT JOIN fund_kind k ON k.name = f.kind\n"
	 "  LEFT JOIN (SELECT v.village_id, v.voucher_id FROM pv v WHERE v.f & 8 <> 0) h\n"
	 "       ON h.village_id = l.village_id AND h.voucher_id = l.voucher_id\n"
	 " WHERE (l.account_code LIKE '5%' OR l.account_code LIKE '32%') AND l.credit_fen > 0\n"
	 "   AND ((l.fund_id IS NOT NULL AND NOT coalesce(k.distributable, false)\n"
	 "         AND l.account_code LIKE '32%')\n"
	 "        OR h.voucher_id IS NOT NULL)"},
	{0, 0},
};
