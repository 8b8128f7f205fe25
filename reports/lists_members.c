/*
 * lists_members.c - the member register (成员与股权) as a report model:
 * households with their people and the shares in force on a day
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include <reports/lists.h>

/* Columns: the household, then one per share type (every type, so that the
 * layout never depends on the data), then the total. */
enum { C_CODE, C_HEAD, C_ID, C_PEOPLE, C_PHONE, C_POVERTY, C_BANK, C_ACCOUNT, C_TYPES };

/* A bank account in public: only its last 4 digits. */
static const char *
mask_account(char buf[64], const char *account, int unmasked)
{
	size_t n = strlen(account);

	if (unmasked || !n)
		snprintf(buf, 64, "%s", account);
	else
		snprintf(buf, 64, "****%s", n > 4 ? account + n - 4 : "");
	return buf;
}

/* Shares in a row: a blank for none. */
static void
shares(cj_table *t, long row, const int64_t *centi, int64_t total)
{
	for (int k = 0; k < CJ_SHARE_NTYPES; k++)
		if (centi[k])
			cj_table_number(t, row, (size_t)C_TYPES + (size_t)k, centi[k]);
	if (total)
		cj_table_number(t, row, C_TYPES + CJ_SHARE_NTYPES, total);
}

static int
columns(cj_report *r, cj_table *t)
{
	static const char *const titles[C_TYPES] = {"户编号", "户主", "身份证号", "人数",
						    "电话",   "户类型", "开户行",   "银行账号"};
	char keys[512];
	size_t n;

	for (int c = 0; c < C_TYPES; c++)
		if (cj_table_column(r, t, NULL, titles[c], c == C_PEOPLE ? CJ_COL_INT : CJ_COL_TEXT, 0))
			return -1;
	n = (size_t)snprintf(keys, sizeof keys,
			     "household,head,id_number,people,phone,poverty,bank,bank_account");
	for (int k = 0; k < CJ_SHARE_NTYPES; k++) {
		if (cj_table_column(r, t, "股数", cj_share_types[k], CJ_COL_CENTI, 0))
			return -1;
		n += (size_t)snprintf(keys + n, sizeof keys - n, ",%s", cj_share_types[k]);
	}
	snprintf(keys + n, sizeof keys - n, ",total_shares");
	return cj_table_column(r, t, "股数", "合计", CJ_COL_CENTI, 0) || cj_table_keys(r, t, keys);
}

int
cj_list_members(const cj_org *village, const cj_member_register *reg, int unmasked,
		cj_report **out)
{
	int64_t collective[CJ_SHARE_NTYPES] = {0};
	char day[16], acct[64];
	cj_report *r;
	cj_table *t;
	long row;

	*out = NULL;
	cj_date_format(day, sizeof day, reg->on);
	if (!(r = cj_report_new("成员与股权")) ||
	    cj_report_subtitle(r, "编制单位：%s %s    股权以 %s 为准", village->code, village->name,
			       day) ||
	    !(t = cj_report_table(r, "成员与股权", 1)) || columns(r, t))
		goto nomem;
	for (size_t i = 0; i < reg->nhouseholds; i++) {
		const cj_member_row *h = &reg->households[i];

		if ((row = cj_table_row(r, t, CJ_ROW_DATA, 0)) < 0 ||
		    cj_table_text(r, t, row, C_CODE, "%s", h->code) ||
		    cj_table_text(r, t, row, C_HEAD, "%s", h->head_name) ||
		    cj_table_text(r, t, row, C_ID, "%s",
				  unmasked ? h->head_id_number : h->head_id_masked) ||
		    cj_table_text(r, t, row, C_PHONE, "%s", h->phone) ||
		    cj_table_text(r, t, row, C_POVERTY, "%s", h->poverty_status) ||
		    cj_table_text(r, t, row, C_BANK, "%s", h->bank_name) ||
		    cj_table_text(r, t, row, C_ACCOUNT, "%s",
				  mask_account(acct, h->bank_account, unmasked)))
			goto nomem;
		cj_table_number(t, row, C_PEOPLE, h->people);
		shares(t, row, h->shares_centi, h->total_centi);
	}
	/* 集体股: held by the collective, by no household */
	if (reg->collective_centi) {
		collective[cj_share_type_index(CJ_SHARE_COLLECTIVE)] = reg->collective_centi;
		if ((row = cj_table_row(r, t, CJ_ROW_DATA, 0)) < 0 ||
		    cj_table_text(r, t, row, C_CODE, "集体") || cj_table_text(r, t, row, C_HEAD, "村集体"))
			goto nomem;
		shares(t, row, collective, reg->collective_centi);
	}
	if ((row = cj_table_total(r, t, CJ_ROW_TOTAL, C_CODE, "合计", 0, (long)t->nrows - 1)) < 0 ||
	    cj_table_text(r, t, row, C_HEAD, "%zu 户", reg->nhouseholds))
		goto nomem;
	if (!unmasked && cj_report_note(r, "身份证号已隐去中间8位，银行账号只显示后4位。"))
		goto nomem;
	*out = r;
	return 0;
nomem:
	cj_report_free(r);
	return -1;
}
