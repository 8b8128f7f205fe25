/*
 * test_voucher_print.c - 记账凭证 forms built from vouchers as
 * <ledger/voucher_path.h> reads them (no database): lines, totals, 大写, the
 * names in the signature boxes, a long voucher over several forms (过次页,
 * 承前页), a red reversal, a draft, and three (or two) forms to an A4 page
 * in the PDF.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <reports/voucher_print.h>

/* A posted voucher of village 周口村 with n lines: line i debits 513 with
 * (i + 1) yuan, the last line credits 101 with the sum. */
static cj_voucher_view
voucher(int number, size_t n)
{
	cj_voucher_view v;
	int64_t sum = 0;

	memset(&v, 0, sizeof v);
	v.state = CJ_VSTATE_POSTED;
	snprintf(v.village_name, sizeof v.village_name, "周口村");
	v.period = (cj_period){2025, 3};
	v.number = number;
	v.date = (cj_date){2025, 3, 20};
	v.kind = CJ_VOUCHER_NORMAL;
	snprintf(v.summary, sizeof v.summary, "发放误工补贴");
	v.attachments = 3;
	snprintf(v.prepared.login, sizeof v.prepared.login, "alice");
	snprintf(v.prepared.name, sizeof v.prepared.name, "王会计");
	snprintf(v.reviewed.name, sizeof v.reviewed.name, "李主管");
	snprintf(v.posted.name, sizeof v.posted.name, "赵记账");
	v.lines = calloc(n, sizeof *v.lines);
	assert_non_null(v.lines);
	v.nlines = n;
	for (size_t i = 0; i < n; i++) {
		cj_voucher_view_line *l = &v.lines[i];

		l->line_no = (int)i + 1;
		if (i + 1 < n) {
			snprintf(l->account, sizeof l->account, "513");
			snprintf(l->top_code, sizeof l->top_code, "513");
			snprintf(l->top_name, sizeof l->top_name, "管理费用");
			snprintf(l->summary, sizeof l->summary, "第%zu组", i + 1);
			l->debit = cj_money_from_fen((int64_t)(i + 1) * 100);
			sum += l->debit.fen;
		} else {
			snprintf(l->account, sizeof l->account, "102001");
			snprintf(l->top_code, sizeof l->top_code, "102");
			snprintf(l->top_name, sizeof l->top_name, "银行存款");
			snprintf(l->detail_name, sizeof l->detail_name, "农商行");
			snprintf(l->counterparty, sizeof l->counterparty, "承包户李四");
			l->credit = cj_money_from_fen(sum);
		}
	}
	v.total = cj_money_from_fen(sum);
	return v;
}

static void
free_views(cj_voucher_view *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cj_voucher_view_free(&v[i]);
}

/* One voucher, one form: every line, 合计 with 大写, the names. */
static void
test_one_form(void **state)
{
	cj_voucher_view v = voucher(7, 3); /* 1 + 2 yuan, credit 3 */
	cj_vprint p;
	const cj_vprint_form *f;

	(void)state;
	assert_int_equal(cj_vprint_build(&v, 1, 3, &p), 0);
	assert_int_equal(p.nforms, 1);
	assert_int_equal(p.rows, CJ_VPRINT_ROWS_3UP);
	f = &p.forms[0];
	assert_string_equal(f->unit, "单位：周口村");
	assert_string_equal(f->date, "2025年03月20日");
	assert_string_equal(f->number, "记字第7号");
	assert_string_equal(f->attachments, "3");
	assert_string_equal(f->mark, "");
	assert_false(f->draft);
	assert_false(f->red);
	assert_int_equal(f->page, 1);
	assert_int_equal(f->pages, 1);
	assert_int_equal(f->nrows, 3);
	assert_string_equal(f->rows[0].summary, "第1组");
	assert_string_equal(f->rows[0].account, "513 管理费用");
	assert_string_equal(f->rows[0].detail, "");
	assert_true(f->rows[0].has_debit);
	assert_false(f->rows[0].has_credit);
	assert_int_equal(f->rows[1].debit, 200);
	/* the credit line: no summary of its own takes the voucher's */
	assert_string_equal(f->rows[2].summary, "发放误工补贴");
	assert_string_equal(f->rows[2].account, "102 银行存款");
	assert_string_equal(f->rows[2].detail, "102001 农商行；往来：承包户李四");
	assert_int_equal(f->rows[2].credit, 300);
	assert_true(f->last);
	assert_string_equal(f->total_label, "合计");
	assert_int_equal(f->total_debit, 300);
	assert_int_equal(f->total_credit, 300);
	assert_string_equal(f->total_words, "合计（大写）：叁元整");
	assert_string_equal(f->sign[CJ_SIGN_PREPARED], "王会计");
	assert_string_equal(f->sign[CJ_SIGN_REVIEWED], "李主管");
	assert_string_equal(f->sign[CJ_SIGN_POSTED], "赵记账");
	assert_string_equal(f->sign[CJ_SIGN_CHIEF], ""); /* signed by hand */
	assert_string_equal(f->sign[CJ_SIGN_CASHIER], "");
	assert_string_equal(cj_vprint_sign_label(CJ_SIGN_CHIEF), "会计主管");
	assert_string_equal(cj_vprint_sign_label(CJ_SIGN_CASHIER), "出纳");
	cj_vprint_free(&p);
	free_views(&v, 1);
}

/*
 * Twelve lines, five rows to a form: 5, then 承前页 + 4, then 承前页 + 3;
 * 过次页 with the sums so far on the first two, 合计 and 大写 on the last.
 */
static void
test_long_voucher(void **state)
{
	cj_voucher_view v = voucher(3, 12); /* debits 1..11 yuan = 66, credit 66 */
	cj_vprint p;

	(void)state;
	assert_int_equal(cj_vprint_build(&v, 1, 3, &p), 0);
	assert_int_equal(p.nforms, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(p.forms[i].page, i + 1);
		assert_int_equal(p.forms[i].pages, 3);
		assert_string_equal(p.forms[i].number, "记字第3号");
		assert_int_equal(p.forms[i].last, i == 2);
	}
	assert_int_equal(p.forms[0].nrows, 5);
	assert_string_equal(p.forms[0].total_label, "过次页");
	assert_int_equal(p.forms[0].total_debit, 1500); /* 1 + ... + 5 */
	assert_int_equal(p.forms[0].total_credit, 0);
	assert_string_equal(p.forms[0].total_words, "");
	assert_int_equal(p.forms[1].nrows, 5);
	assert_string_equal(p.forms[1].rows[0].summary, "承前页");
	assert_int_equal(p.forms[1].rows[0].debit, 1500);
	assert_false(p.forms[1].rows[0].has_credit); /* nothing carried: blank */
	assert_string_equal(p.forms[1].rows[1].summary, "第6组");
	assert_int_equal(p.forms[1].total_debit, 4500); /* ... + 9 */
	assert_int_equal(p.forms[2].nrows, 4);
	assert_int_equal(p.forms[2].rows[0].debit, 4500);
	assert_string_equal(p.forms[2].rows[3].account, "102 银行存款");
	assert_string_equal(p.forms[2].total_label, "合计");
	assert_int_equal(p.forms[2].total_debit, 6600);
	assert_int_equal(p.forms[2].total_credit, 6600);
	assert_string_equal(p.forms[2].total_words, "合计（大写）：陆拾陆元整");
	cj_vprint_free(&p);

	/* two to a page hold eight rows: 8, then 承前页 + 4 */
	assert_int_equal(cj_vprint_build(&v, 1, 2, &p), 0);
	assert_int_equal(p.rows, CJ_VPRINT_ROWS_2UP);
	assert_int_equal(p.nforms, 2);
	assert_int_equal(p.forms[0].nrows, 8);
	assert_int_equal(p.forms[1].nrows, 5);
	cj_vprint_free(&p);

	/* exactly a form's worth stays on one form; one more line takes two */
	free_views(&v, 1);
	v = voucher(4, 5);
	assert_int_equal(cj_vprint_build(&v, 1, 3, &p), 0);
	assert_int_equal(p.nforms, 1);
	cj_vprint_free(&p);
	free_views(&v, 1);
	v = voucher(5, 6);
	assert_int_equal(cj_vprint_build(&v, 1, 3, &p), 0);
	assert_int_equal(p.nforms, 2);
	assert_int_equal(p.forms[1].nrows, 2);
	cj_vprint_free(&p);
	free_views(&v, 1);
}

/*
 * Any length: every line once, in order, no form over its rows, as few
 * forms as hold them (a form's rows, less 承前页 on each after the first),
 * the sums carried equal to the lines before.
 */
static void
test_every_length(void **state)
{
	(void)state;
	for (int per_page = 2; per_page <= 3; per_page++)
		for (size_t n = 2; n <= 40; n++) {
			cj_voucher_view v = voucher(1, n);
			cj_vprint p;
			size_t next = 0, rows, want;
			int64_t debit = 0;

			assert_int_equal(cj_vprint_build(&v, 1, per_page, &p), 0);
			rows = (size_t)p.rows;
			want = n <= rows ? 1 : 1 + (n - rows + rows - 2) / (rows - 1);
			assert_int_equal(p.nforms, want);
			for (size_t i = 0; i < p.nforms; i++) {
				const cj_vprint_form *f = &p.forms[i];
				size_t r = 0;

				assert_true(f->nrows <= rows);
				if (i) {
					assert_string_equal(f->rows[0].summary, "承前页");
					assert_int_equal(f->rows[0].debit, debit);
					r = 1;
				}
				for (; r < f->nrows; r++, next++)
					debit += f->rows[r].debit;
				assert_int_equal(f->total_debit, debit);
			}
			assert_int_equal(next, n);
			assert_int_equal(debit, v.total.fen);
			cj_vprint_free(&p);
			free_views(&v, 1);
		}
}

/* A red reversal: negative amounts, 负 in 大写, the voucher it voids named. */
static void
test_red_reversal(void **state)
{
	cj_voucher_view v = voucher(9, 2);
	cj_vprint p;

	(void)state;
	v.kind = CJ_VOUCHER_REVERSAL;
	snprintf(v.summary, sizeof v.summary, "冲销2025年03月记字第2号: 发放误工补贴");
	snprintf(v.reverses, sizeof v.reverses, "2025-03-2");
	v.lines[0].debit = cj_money_from_fen(-100);
	v.lines[1].credit = cj_money_from_fen(-100);
	assert_int_equal(cj_vprint_build(&v, 1, 3, &p), 0);
	assert_true(p.forms[0].red);
	assert_string_equal(p.forms[0].mark, "红字冲销 2025-03-2");
	assert_string_equal(p.forms[0].rows[0].summary, "冲销2025年03月记字第2号: 发放误工补贴");
	assert_int_equal(p.forms[0].rows[0].debit, -100);
	assert_int_equal(p.forms[0].total_debit, -100);
	assert_string_equal(p.forms[0].total_words, "合计（大写）：负壹元整");
	cj_vprint_free(&p);
	free_views(&v, 1);
}

/* A draft: no number, marked, nobody in the 记账 box. */
static void
test_draft(void **state)
{
	cj_voucher_view v = voucher(0, 2);
	cj_vprint p;

	(void)state;
	v.state = CJ_VSTATE_REVIEWED;
	v.draft_id = 42;
	v.posted.name[0] = '\0';
	assert_int_equal(cj_vprint_build(&v, 1, 3, &p), 0);
	assert_true(p.forms[0].draft);
	assert_string_equal(p.forms[0].number, "草稿42");
	assert_string_equal(p.forms[0].mark, "草稿 · 未记账（已审核）");
	assert_string_equal(p.forms[0].sign[CJ_SIGN_POSTED], "");
	assert_string_equal(p.forms[0].sign[CJ_SIGN_REVIEWED], "李主管");
	cj_vprint_free(&p);
	free_views(&v, 1);
}

/* Seven vouchers, one of them two forms: eight forms, three pages of three
 * (four of two); the PDF says so and holds text. */
static void
test_pages(void **state)
{
	cj_voucher_view v[7];
	cj_vprint p;
	char path[] = "/tmp/test_voucher_print_XXXXXX", err[256];
	int fd = mkstemp(path), pages = 0;
	FILE *f;
	long size;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	for (int i = 0; i < 7; i++)
		v[i] = voucher(i + 1, i == 3 ? 7 : 2);
	assert_int_equal(cj_vprint_build(v, 7, 3, &p), 0);
	assert_int_equal(p.nvouchers, 7);
	assert_int_equal(p.nforms, 8);
	assert_int_equal(p.forms[4].voucher, 3); /* the long voucher's second form */
	assert_int_equal(p.forms[4].page, 2);
	assert_int_equal(cj_vprint_pdf(&p, path, &pages, err, sizeof err), 0);
	assert_int_equal(pages, 3);
	cj_vprint_free(&p);
	assert_int_equal(cj_vprint_build(v, 7, 2, &p), 0);
	assert_int_equal(p.nforms, 7); /* the long voucher fits one form of eight rows */
	assert_int_equal(cj_vprint_pdf(&p, path, &pages, err, sizeof err), 0);
	assert_int_equal(pages, 4);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fclose(f);
	assert_true(size > 1000);
	cj_vprint_free(&p);
	/* nothing to print is refused, and no file is left */
	memset(&p, 0, sizeof p);
	p.per_page = 3;
	assert_int_equal(cj_vprint_pdf(&p, path, &pages, err, sizeof err), -1);
	assert_non_null(strstr(err, "no voucher"));
	remove(path);
	free_views(v, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_form),    cmocka_unit_test(test_long_voucher),
		cmocka_unit_test(test_every_length),
		cmocka_unit_test(test_red_reversal), cmocka_unit_test(test_draft),
		cmocka_unit_test(test_pages),
	};

	return cmocka_run_group_tests_name("voucher_print", tests, NULL, NULL);
}
