/*
 * lists_vouchers.c - vouchers as report models: the list `cunji voucher
 * list` filters (posted vouchers and drafts, with the action a draft will
 * record), and one voucher whole with who prepared, reviewed and posted it
 * and the ledger action its draft carries (`cunji voucher show`)
 *
 * Both build from what <ledger/voucher_path.h> read, nothing more.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include <reports/lists.h>

/* "2025-03-7" for a posted voucher, "草稿12" for a draft */
static const char *
voucher_ref(char *buf, size_t size, cj_voucher_state st, cj_period per, int number,
	    int64_t draft_id)
{
	if (st == CJ_VSTATE_POSTED)
		snprintf(buf, size, "%04d-%02d-%d", per.year, per.month, number);
	else
		snprintf(buf, size, "草稿%lld", (long long)draft_id);
	return buf;
}

/* A ledger action's name (0032) as a bookkeeper says it; NULL for none. */
static const char *
action_label(const char *action)
{
	static const struct { const char *action, *label; } names[] = {
		{"project pay", "项目付款"},      {"project accept", "项目验收"},
		{"aid pay", "防返贫救助"},        {"dividend post", "宣告收益分配"},
		{"dividend pay", "发放分红"},
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(action, names[i].action))
			return names[i].label;
	return action[0] ? action : NULL;
}

/* The list's short form: 项目付款 P1 预付, 发放分红 户H01 2025年度 ... */
const char *
cj_list_voucher_action(char *buf, size_t size, const cj_voucher_row *v)
{
	const char *label = action_label(v->action);
	char year[24] = "";

	buf[0] = '\0';
	if (!label)
		return buf;
	if (v->action_year)
		snprintf(year, sizeof year, "%d年度", v->action_year);
	snprintf(buf, size, "%s%s%s%s%s%s%s%s%s", label, v->action_project[0] ? " " : "",
		 v->action_project, v->action_tranche[0] ? " " : "", v->action_tranche,
		 v->action_household[0] ? " 户" : "", v->action_household, year[0] ? " " : "", year);
	return buf;
}

static const char *
yuan(char *buf, size_t size, int64_t fen)
{
	if (cj_money_format(buf, size, cj_money_from_fen(fen), CJ_MONEY_FMT_GROUPED) < 0)
		buf[0] = '\0';
	return buf;
}

/* In words, what the voucher's draft records when it is posted: the show's line
 * 待执行动作：项目付款 P1 通组道路 预付 收款人 路桥公司. */
static int
action_subtitle(cj_report *r, const cj_voucher_view *v)
{
	const cj_draft_action_view *a = &v->action;
	const char *label = action_label(a->action);
	const char *head = v->state == CJ_VSTATE_POSTED ? "已执行动作（随本凭证记账）"
			   : v->state == CJ_VSTATE_REJECTED ? "待执行动作（草稿已退回，记账后才执行）"
							    : "待执行动作（记账后执行）";
	char m1[CJ_MONEY_FMT_MAX], m2[CJ_MONEY_FMT_MAX];

	if (!label)
		return 0;
	if (!strcmp(a->action, "project pay"))
		return cj_report_subtitle(r, "%s：%s %s %s %s 收款人 %s", head, label, a->project,
					  a->project_name, a->tranche, a->payee);
	if (!strcmp(a->action, "project accept"))
		return cj_report_subtitle(r, "%s：%s %s %s，形成%s资产%s%s%s 价值 %s 元，验收日期 %s%s%s%s",
					  head, label, a->project, a->project_name, a->asset_kind,
					  a->asset_account[0] ? "（" : "", a->asset_account,
					  a->asset_account[0] ? "）" : "",
					  yuan(m1, sizeof m1, a->amount_fen), a->date,
					  a->together[0] ? "；与草稿" : "", a->together,
					  a->together[0] ? "一并记账" : "");
	if (!strcmp(a->action, "aid pay"))
		return cj_report_subtitle(r, "%s：%s 户 %s %s %d人 %s 元，发放日期 %s，事由 %s", head,
					  label, a->household, a->household_name, a->persons,
					  yuan(m1, sizeof m1, a->amount_fen), a->date, a->reason);
	if (!strcmp(a->action, "dividend post"))
		return cj_report_subtitle(r, "%s：%s %d年度，可分配 %s 元，%d户共分 %s 元，宣告日期 %s",
					  head, label, a->year,
					  yuan(m1, sizeof m1, a->distributable_fen), a->households,
					  yuan(m2, sizeof m2, a->amount_fen), a->date);
	if (!strcmp(a->action, "dividend pay"))
		return cj_report_subtitle(r, "%s：%s %d年度 户 %s %s %s 元", head, label, a->year,
					  a->household, a->household_name,
					  yuan(m1, sizeof m1, a->amount_fen));
	return cj_report_subtitle(r, "%s：%s", head, label);
}

enum { L_STATE, L_VILLAGE, L_NUMBER, L_DATE, L_SUMMARY, L_AMOUNT, L_LINES, L_PREPARED,
       L_REVIEWED, L_POSTED, L_BATCH, L_ACTION, L_NCOLS };

int
cj_list_vouchers(const cj_voucher_row *rows, size_t n, const char *scope, cj_report **out)
{
	static const char *const titles[L_NCOLS] = {"状态", "村代码", "凭证号", "日期",
						    "摘要", "金额", "行数", "制单",
						    "审核", "记账", "批次", "待执行动作"};
	cj_report *r;
	cj_table *t;
	long row;
	char ref[48], date[16], act[400];

	*out = NULL;
	if (!(r = cj_report_new("凭证列表")) ||
	    (scope && cj_report_subtitle(r, "%s", scope)) ||
	    !(t = cj_report_table(r, "凭证列表", 1)))
		goto nomem;
	for (int c = 0; c < L_NCOLS; c++) {
		cj_col_type type = c == L_AMOUNT ? CJ_COL_MONEY
				 : c == L_LINES || c == L_BATCH ? CJ_COL_INT
				 : c == L_DATE ? CJ_COL_DATE : CJ_COL_TEXT;
		if (cj_table_column(r, t, NULL, titles[c], type, 0))
			goto nomem;
	}
	if (cj_table_keys(r, t, "state,village,number,date,summary,amount,lines,prepared_by,"
				"reviewed_by,posted_by,batch,pending_action"))
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		const cj_voucher_row *v = &rows[i];
		cj_date_format(date, sizeof date, v->date);
		if ((row = cj_table_row(r, t, CJ_ROW_DATA, 0)) < 0 ||
		    cj_table_text(r, t, row, L_STATE, "%s", cj_voucher_state_label(v->state)) ||
		    cj_table_text(r, t, row, L_VILLAGE, "%s", v->village_code) ||
		    cj_table_text(r, t, row, L_NUMBER, "%s",
				  voucher_ref(ref, sizeof ref, v->state, v->period, v->number,
					      v->draft_id)) ||
		    cj_table_text(r, t, row, L_DATE, "%s", date) ||
		    cj_table_text(r, t, row, L_SUMMARY, "%s", v->summary) ||
		    cj_table_text(r, t, row, L_PREPARED, "%s", v->prepared_by) ||
		    cj_table_text(r, t, row, L_REVIEWED, "%s", v->reviewed_by) ||
		    cj_table_text(r, t, row, L_POSTED, "%s", v->posted_by) ||
		    cj_table_text(r, t, row, L_ACTION, "%s", cj_list_voucher_action(act, sizeof act, v)))
			goto nomem;
		cj_table_number(t, row, L_AMOUNT, v->total.fen);
		cj_table_number(t, row, L_LINES, v->nlines);
		if (v->batch_id)
			cj_table_number(t, row, L_BATCH, v->batch_id);
	}
	if (cj_report_note(r, "共 %zu 张凭证。", n))
		goto nomem;
	*out = r;
	return 0;
nomem:
	cj_report_free(r);
	return -1;
}

enum { S_LINE, S_SUMMARY, S_ACCOUNT, S_TOP, S_DETAIL, S_DEBIT, S_CREDIT, S_PARTY, S_FUND,
       S_PROJECT, S_NCOLS };

/* The steps: 制单, 审核, 记账, and the last 标错. */
static int
steps(cj_report *r, const cj_voucher_view *v)
{
	const struct { const char *label; const cj_actor *a; const char *why; } s[] = {
		{"制单", &v->prepared, ""}, {"审核", &v->reviewed, ""},
		{"记账", &v->posted, ""}, {"标错", &v->rejected, v->reject_reason},
	};
	cj_table *t = cj_report_table(r, "经办", 0);
	long row;

	if (!t || cj_table_column(r, t, NULL, "步骤", CJ_COL_TEXT, 0) ||
	    cj_table_column(r, t, NULL, "姓名", CJ_COL_TEXT, 0) ||
	    cj_table_column(r, t, NULL, "登录名", CJ_COL_TEXT, 0) ||
	    cj_table_column(r, t, NULL, "时间", CJ_COL_TEXT, 0) ||
	    cj_table_column(r, t, NULL, "原因", CJ_COL_TEXT, 0) ||
	    cj_table_keys(r, t, "step,name,login,at,reason"))
		return -1;
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
		if (!s[i].a->name[0] && !s[i].a->login[0])
			continue;
		if ((row = cj_table_row(r, t, CJ_ROW_DATA, 0)) < 0 ||
		    cj_table_text(r, t, row, 0, "%s", s[i].label) ||
		    cj_table_text(r, t, row, 1, "%s", s[i].a->name) ||
		    cj_table_text(r, t, row, 2, "%s", s[i].a->login) ||
		    cj_table_text(r, t, row, 3, "%s", s[i].a->at) ||
		    cj_table_text(r, t, row, 4, "%s", s[i].why))
			return -1;
	}
	return 0;
}

int
cj_list_voucher(const cj_voucher_view *v, cj_report **out)
{
	static const char *const titles[S_NCOLS] = {"行", "摘要", "科目代码", "总账科目",
						    "明细科目", "借方金额", "贷方金额", "往来单位",
						    "资金", "项目"};
	cj_report *r;
	cj_table *t;
	long row;
	char ref[48], date[16];

	*out = NULL;
	cj_date_format(date, sizeof date, v->date);
	voucher_ref(ref, sizeof ref, v->state, v->period, v->number, v->draft_id);
	if (!(r = cj_report_new("记账凭证")) ||
	    cj_report_subtitle(r, "单位：%s %s", v->village_code, v->village_name) ||
	    (v->state == CJ_VSTATE_POSTED
		     ? cj_report_subtitle(r, "日期：%s    记字第%d号（%s）    附单据%d张", date,
					  v->number, ref, v->attachments)
		     : cj_report_subtitle(r, "日期：%s    %s    附单据%d张", date, ref,
					  v->attachments)) ||
	    cj_report_subtitle(r, "状态：%s", cj_voucher_state_label(v->state)) ||
	    action_subtitle(r, v) ||
	    (v->batch_id && cj_report_subtitle(r, "批次：%lld", (long long)v->batch_id)) ||
	    (v->reverses[0] && cj_report_subtitle(r, "红字冲销：冲销 %s", v->reverses)) ||
	    (v->reversed_by_number[0] &&
	     cj_report_subtitle(r, "已被 %s 红字冲销", v->reversed_by_number)) ||
	    (v->external_id[0] && cj_report_subtitle(r, "外部编号：%s", v->external_id)) ||
	    (v->source_number[0] && cj_report_subtitle(r, "原凭证号：%s", v->source_number)) ||
	    (v->source_preparer[0] &&
	     cj_report_subtitle(r, "原制单人：%s（导入文件所记）", v->source_preparer)) ||
	    (v->negative_cash_reason[0] &&
	     cj_report_subtitle(r, "现金或银行存款贷方余额的原因：%s", v->negative_cash_reason)) ||
	    !(t = cj_report_table(r, "分录", 1)))
		goto nomem;
	for (int c = 0; c < S_NCOLS; c++) {
		cj_col_type type = c == S_DEBIT || c == S_CREDIT ? CJ_COL_MONEY
				 : CJ_COL_TEXT;
		if (cj_table_column(r, t, NULL, titles[c], type, 0))
			goto nomem;
	}
	if (cj_table_keys(r, t, "line,summary,account,account_top,account_detail,debit,credit,"
				"counterparty,fund,project"))
		goto nomem;
	for (size_t i = 0; i < v->nlines; i++) {
		const cj_voucher_view_line *l = &v->lines[i];
		if ((row = cj_table_row(r, t, CJ_ROW_DATA, 0)) < 0 ||
		    cj_table_text(r, t, row, S_SUMMARY, "%s", l->summary) ||
		    cj_table_text(r, t, row, S_ACCOUNT, "%s", l->account) ||
		    cj_table_text(r, t, row, S_TOP, "%s", l->top_name) ||
		    cj_table_text(r, t, row, S_DETAIL, "%s", l->detail_name) ||
		    cj_table_text(r, t, row, S_PARTY, "%s", l->counterparty) ||
		    cj_table_text(r, t, row, S_FUND, "%s", l->fund) ||
		    cj_table_text(r, t, row, S_PROJECT, "%s", l->project))
			goto nomem;
		if (cj_table_text(r, t, row, S_LINE, "%d", l->line_no))
			goto nomem;
		if (l->debit.fen)
			cj_table_number(t, row, S_DEBIT, l->debit.fen);
		if (l->credit.fen)
			cj_table_number(t, row, S_CREDIT, l->credit.fen);
	}
	if ((row = cj_table_total(r, t, CJ_ROW_TOTAL, S_SUMMARY, "合计", 0,
				  (long)v->nlines - 1)) < 0)
		goto nomem;
	if (steps(r, v))
		goto nomem;
	*out = r;
	return 0;
nomem:
	cj_report_free(r);
	return -1;
}
