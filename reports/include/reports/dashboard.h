/*
 * dashboard.h - the county dashboard for the 纪委 and the township: one row
 * per village of the warning rules' findings and a few ratios, with a
 * traffic light, townships subtotalled, and a chart
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_REPORTS_DASHBOARD_H
#define CUNJI_REPORTS_DASHBOARD_H

#include <ledger/date.h>
#include <ledger/db.h>
#include <reports/report.h>

/**
 * Over the days from..to of the villages under org (a county or a township)
 * that the login sees: table 0 one row per village (乡镇, 村, 红/黄 counts
 * of the findings by rule group, 资金闲置率 = earmarked money received and
 * not paid out by `to` over all received, 现金支付占比 = payments out of
 * cash over payments out of cash and bank, transfers between the two left
 * out, 按期公开 as R30 can tell, 信号 红灯/黄灯/绿灯), a 小计 per township and
 * a 合计; table 1 the red and yellow counts per village with a chart.  The
 * light: 红灯 with any red finding; 黄灯 with a yellow one, or idle funds
 * above 50%, or cash above 30% of payments; else 绿灯.
 */
CJ_MUST_CHECK int cj_audit_dashboard(cj_db *db, const char *org, cj_date from, cj_date to,
				     cj_report **out);

#endif
