/*
 * test_bank_rules.c - the bank statement rules: parsing, every error with
 * its line, matching (substring, field, regex, and/or, direction, first
 * wins) and summary templates.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <importers/bank_rules.h>

static const char example[] =
	"\xEF\xBB\xBF# 周口村 农商行\r\n"
	"\n"
	"if 承包费\r\n"
	"direction in\n"
	"  account 501\n"
	"  summary 收到{counterparty}承包费\n"
	"\n"
	"if counterparty /^靖安县财政局/\n"
	"and memo 衔接\n"
	"if 对方户名 乡财政所\n"
	"  account 241\n"
	"  fund XJ2025-01\n"
	"  project P1\n"
	"  summary {{拨款}} {memo} {日期} {金额}\n"
	"\n"
	"如果 摘要 利息\n"
	"  科目 502\n"
	"  方向 收入\n"
	"\n"
	"if 承包费\n"
	"  account 113001\n";

static cj_bank_row
row(const char *counterparty, const char *memo, cj_bank_direction d)
{
	cj_bank_row r = {"2025-03-05", "1,200.00", counterparty, memo, d};
	return r;
}

static void
test_parse_and_match(void **state)
{
	cj_bank_rules *r;
	const cj_bank_rule *m;
	cj_bank_row x;
	char sum[64];

	(void)state;
	assert_int_equal(cj_bank_rules_parse(&r, example, strlen(example)), 0);
	assert_int_equal(cj_bank_rules_count(r), 4);
	assert_int_equal(cj_bank_rules_at(r, 0)->line, 3);
	assert_int_equal(cj_bank_rules_at(r, 1)->line, 8);

	/* substring in either field, direction in */
	x = row("张三", "交承包费", CJ_BANK_IN);
	m = cj_bank_rules_match(r, &x);
	assert_non_null(m);
	assert_string_equal(m->account, "501");
	cj_bank_summary(m, &x, sum, sizeof sum);
	assert_string_equal(sum, "收到张三承包费");
	/* the same text going out: the first rule is for money in; the last takes it */
	x = row("张三", "退承包费", CJ_BANK_OUT);
	m = cj_bank_rules_match(r, &x);
	assert_non_null(m);
	assert_string_equal(m->account, "113001");
	cj_bank_summary(m, &x, sum, sizeof sum);
	assert_string_equal(sum, "退承包费"); /* no template: the memo */

	/* regex on the counterparty and a memo condition, both needed */
	x = row("靖安县财政局国库", "衔接资金", CJ_BANK_IN);
	m = cj_bank_rules_match(r, &x);
	assert_non_null(m);
	assert_string_equal(m->account, "241");
	assert_string_equal(m->fund, "XJ2025-01");
	assert_string_equal(m->project, "P1");
	cj_bank_summary(m, &x, sum, sizeof sum);
	assert_string_equal(sum, "{拨款} 衔接资金 2025-03-05 1,200.00");
	x = row("靖安县财政局国库", "其他", CJ_BANK_IN);
	assert_null(cj_bank_rules_match(r, &x));
	x = row("省靖安县财政局", "衔接资金", CJ_BANK_IN); /* ^ anchors */
	assert_null(cj_bank_rules_match(r, &x));
	/* the alternative: 对方户名 乡财政所 */
	x = row("双溪镇乡财政所", "", CJ_BANK_OUT);
	m = cj_bank_rules_match(r, &x);
	assert_non_null(m);
	assert_string_equal(m->account, "241");
	/* a memo condition does not look at the counterparty */
	x = row("利息", "", CJ_BANK_IN);
	assert_null(cj_bank_rules_match(r, &x));
	x = row("", "结息", CJ_BANK_IN);
	assert_null(cj_bank_rules_match(r, &x));
	x = row("", "利息收入", CJ_BANK_IN);
	m = cj_bank_rules_match(r, &x);
	assert_non_null(m);
	assert_string_equal(m->account, "502");
	assert_int_equal(m->direction, CJ_BANK_IN);
	cj_bank_rules_free(r);
}

static void
test_default_summary_and_cutting(void **state)
{
	static const char text[] = "if x\naccount 501\nsummary {memo}{counterparty}\n";
	cj_bank_rules *r;
	cj_bank_row x = row("", "", CJ_BANK_OUT);
	char sum[8];

	(void)state;
	assert_int_equal(cj_bank_rules_parse(&r, text, strlen(text)), 0);
	cj_bank_summary(NULL, &x, sum, sizeof sum);
	assert_string_equal(sum, "银行"); /* "银行支出" cut at a character boundary in 8 bytes */
	cj_bank_summary(cj_bank_rules_at(r, 0), &x, sum, sizeof sum);
	assert_string_equal(sum, "银行");
	x.counterparty = "周口村委会";
	cj_bank_summary(NULL, &x, sum, sizeof sum);
	assert_string_equal(sum, "周口");
	cj_bank_rules_free(r);
}

static void
expect_errors(const char *text, size_t n, const char *const *want)
{
	cj_bank_rules *r;
	size_t i;

	assert_int_equal(cj_bank_rules_parse(&r, text, strlen(text)), -1);
	for (i = 0; i < cj_bank_rules_nerrors(r) && i < n; i++)
		if (!strstr(cj_bank_rules_error(r, i), want[i]))
			fail_msg("error %zu is '%s', expected '%s'", i, cj_bank_rules_error(r, i), want[i]);
	if (cj_bank_rules_nerrors(r) != n) {
		for (i = 0; i < cj_bank_rules_nerrors(r); i++)
			print_message("  %s\n", cj_bank_rules_error(r, i));
		fail_msg("%zu errors, expected %zu", cj_bank_rules_nerrors(r), n);
	}
	cj_bank_rules_free(r);
}

static void
test_every_error_with_its_line(void **state)
{
	(void)state;
	expect_errors("account 501\n"
		      "if\n"
		      "if counterparty\n" /* a lone field name is a pattern */
		      "  account 501\n"
		      "  account 502\n"
		      "  acount 503\n"
		      "if /[/\n"
		      "  account 501\n"
		      "if /a{3}/\n"
		      "  account 5 01\n"
		      "if /(a)\\1/\n"
		      "  account 501\n"
		      "  summary 收到{payee}\n"
		      "  direction sideways\n"
		      "and x\n"
		      "if y\n"
		      "  fund\n"
		      "if z\n"
		      "  account 501\n"
		      "  summary {memo\n"
		      "  summary }\n"
		      "if bad\xff\n",
		      17,
		      (const char *[]){
			      "line 1: 'account' outside a rule",
			      "line 2: 'if' needs a pattern",
			      "line 5: 'account' given twice in the rule of line 2",
			      "line 6: unknown keyword 'acount'",
			      "line 7: bad regular expression /[/",
			      "line 9: counted repetition",
			      "line 10: account '5 01' is not a code",
			      "line 9: the rule has no 'account'",
			      "line 11: back-references",
			      "line 13: summary: unknown field {payee}",
			      "line 14: direction must be 'in'",
			      "line 15: 'and' must follow an 'if' line",
			      "line 17: 'fund' needs a value",
			      "line 16: the rule has no 'account'",
			      "line 20: summary: '{' without '}'",
			      "line 21: summary: '}' without '{'",
			      "line 22: is not UTF-8",
		      });
	/* patterns that would compile to something huge (found by the fuzzer) */
	expect_errors("if /aa+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++(c$/\n"
		      "  account 501\n"
		      "if /((((((((((((a+)+)+)+)+)+)+)+)+)+)+)+)+/\n"
		      "  account 501\n",
		      2,
		      (const char *[]){"line 1: the regular expression is too complex",
				       "line 3: the regular expression is too complex"});
	{
		/* sensible ones pass */
		static const char ok[] = "if /^(张|李)[^0-9]+户$/\n  account 501\nif /[[:digit:]]+号/\n  account 501\n";
		cj_bank_rules *r;
		assert_int_equal(cj_bank_rules_parse(&r, ok, strlen(ok)), 0);
		cj_bank_rules_free(r);
	}
	expect_errors("# nothing but comments\n\n", 1, (const char *[]){"line 2: no rules"});
	expect_errors("", 1, (const char *[]){"line 1: no rules"});
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_match),
		cmocka_unit_test(test_default_summary_and_cutting),
		cmocka_unit_test(test_every_error_with_its_line),
	};

	return cmocka_run_group_tests_name("bank_rules", tests, NULL, NULL);
}
