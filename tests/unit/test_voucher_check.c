/*
 * test_voucher_check.c - the C side of the voucher rules, without a database
 *
 * Every refused voucher is a valid one with exactly one thing changed, and must
 * be refused with the status and the whole message of the rule it breaks: a
 * case that failed for another reason would prove nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ledger/ledger.h>

/* A valid voucher: 5 March 2025, 收到承包费, 10.00 + 2.34 against 12.34. */
typedef struct sample {
	cj_line l[3];
	cj_voucher v;
} sample;

static void
valid(sample *s)
{
	memset(s, 0, sizeof *s);
	s->l[0] = (cj_line){.account = "513002", .debit = {1000}};
	s->l[1] = (cj_line){.account = "513003", .debit = {234}, .counterparty = "张三"};
	s->l[2] = (cj_line){.account = "102001", .credit = {1234}, .summary = "承包费入账"};
	s->v.village_id = 1;
	s->v.date = (cj_date){2025, 3, 5};
	s->v.summary = "收到承包费";
	s->v.preparer = "李四";
	s->v.attachments = 2;
	s->v.external_id = "ext-1";
	s->v.lines = s->l;
	s->v.nlines = 3;
}

/* The one change each refused voucher makes to the valid one. */
static void bad_date(sample *s) { s->v.date = (cj_date){2025, 2, 30}; }
static void early_date(sample *s) { s->v.date = (cj_date){1949, 9, 30}; }
static void late_date(sample *s) { s->v.date.year = cj_books_last_date().year + 1; }
static void summary_break(sample *s) { s->v.summary = "收到\n承包费"; }
static void external_id_tab(sample *s) { s->v.external_id = "ext\t1"; }
static void preparer_escape(sample *s) { s->v.preparer = "李\033[31m四"; }
static void line_summary_bidi(sample *s) { s->l[2].summary = "承包费\u202E入账"; }
static void counterparty_break(sample *s) { s->l[1].counterparty = "张三\r"; }
static void summary_empty(sample *s) { s->v.summary = ""; }
static void summary_null(sample *s) { s->v.summary = NULL; }
static void attachments_negative(sample *s) { s->v.attachments = -1; }
static void external_id_empty(sample *s) { s->v.external_id = ""; }
static void cash_reason_control(sample *s) { s->v.negative_cash_reason = "更正\x01"; }
static void cash_reason_blank(sample *s) { s->v.negative_cash_reason = "   "; }
static void one_line(sample *s) { s->v.nlines = 1; }
static void no_account(sample *s) { s->l[1].account = ""; }
static void null_account(sample *s) { s->l[1].account = NULL; }
static void both_sides(sample *s) { s->l[0].credit.fen = 1000; }
static void neither_side(sample *s) { s->l[1].debit.fen = 0; }
static void over_line_max(sample *s) { s->l[0].debit.fen = CJ_MONEY_LINE_MAX + 1; }
static void negative_debit(sample *s) { s->l[0].debit.fen = -1000; }
static void unbalanced(sample *s) { s->l[2].credit.fen = 1233; }

typedef struct refusal {
	const char *name;
	void (*change)(sample *);
	int status;
	const char *message; /* the whole message; %s: the books' range */
} refusal;

static const refusal refusals[] = {
	{"bad date", bad_date, CJ_EINVAL, "the date is not a valid calendar date"},
	{"before the books", early_date, CJ_EINVAL,
	 "the date 1949-09-30 is outside the books' dates (%s)"},
	{"after the books", late_date, CJ_EINVAL, NULL /* built in the test: the year moves */},
	{"summary", summary_break, CJ_EINVAL,
	 "the summary (摘要) holds a line break (U+000A) after '收到'"},
	{"external id", external_id_tab, CJ_EINVAL, "the external id holds a tab (U+0009) after 'ext'"},
	{"preparer", preparer_escape, CJ_EINVAL,
	 "the preparer (制单人) holds an escape code (U+001B) after '李'"},
	{"line summary", line_summary_bidi, CJ_EINVAL,
	 "line 3 (account 102001): the line summary holds a bidirectional control (U+202E) "
	 "after '承包费'"},
	{"counterparty", counterparty_break, CJ_EINVAL,
	 "line 2 (account 513003): the counterparty (往来单位) holds a carriage return (U+000D) "
	 "after '张三'"},
	{"empty summary", summary_empty, CJ_EINVAL, "a voucher needs a summary (摘要)"},
	{"no summary", summary_null, CJ_EINVAL, "a voucher needs a summary (摘要)"},
	{"attachments", attachments_negative, CJ_EINVAL, "the attachment count cannot be negative"},
	{"empty external id", external_id_empty, CJ_EINVAL, "an external id cannot be empty"},
	{"cash reason control", cash_reason_control, CJ_EINVAL,
	 "the reason for leaving cash or bank in credit cannot hold control characters"},
	{"cash reason blank", cash_reason_blank, CJ_EINVAL,
	 "the reason for leaving cash or bank in credit cannot be empty"},
	{"one line", one_line, CJ_EINVAL, "a voucher needs at least two lines, it has 1"},
	{"empty account", no_account, CJ_EINVAL, "line 2 has no account"},
	{"no account", null_account, CJ_EINVAL, "line 2 has no account"},
	{"both sides", both_sides, CJ_EINVAL,
	 "line 1 (account 513002) must have either a debit or a credit amount, not both"},
	{"neither side", neither_side, CJ_EINVAL,
	 "line 2 (account 513003) must have either a debit or a credit amount; it has neither"},
	{"over the line limit", over_line_max, CJ_EOVERFLOW,
	 "line 1 (account 513002): 100,000,000,000.01 yuan is more than a line may carry "
	 "(100,000,000,000.00 yuan)"},
	{"negative debit", negative_debit, CJ_EINVAL,
	 "line 1 (account 513002): negative amounts belong only on a red reversal; to correct a "
	 "voucher, void it"},
	{"unbalanced", unbalanced, CJ_EUNBALANCED, "debits 12.34 do not equal credits 12.33"},
};

static void
test_voucher_check_accepts_the_valid_voucher(void **state)
{
	sample s;
	char err[200] = "";

	(void)state;
	valid(&s);
	assert_int_equal(cj_voucher_check(&s.v, err, sizeof err), 0);
	assert_string_equal(err, "");
	/* what may be absent is optional */
	s.v.preparer = s.v.external_id = NULL;
	s.v.attachments = 0;
	s.l[1].counterparty = s.l[2].summary = NULL;
	assert_int_equal(cj_voucher_check(&s.v, err, sizeof err), 0);
	/* the books' first and last days */
	valid(&s);
	s.v.date = (cj_date){1949, 10, 1};
	assert_int_equal(cj_voucher_check(&s.v, err, sizeof err), 0);
	s.v.date = cj_books_last_date();
	assert_int_equal(cj_voucher_check(&s.v, err, sizeof err), 0);
	/* a documented reason to leave cash in credit */
	valid(&s);
	s.v.negative_cash_reason = "更正2024年错账";
	assert_int_equal(cj_voucher_check(&s.v, err, sizeof err), 0);
}

/* Each refusal: the valid voucher with one change, refused for that change
 * alone.  A change of an amount also unbalances the voucher; the balance is
 * checked after every line, so the message shows which rule refused it. */
static void
test_voucher_check_refuses_one_change_each(void **state)
{
	char err[400], want[400], range[40];
	int wrong = 0;

	(void)state;
	cj_books_range_text(range, sizeof range);
	for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
		const refusal *r = &refusals[i];
		sample s;
		int got;

		valid(&s);
		r->change(&s);
		if (r->message)
			snprintf(want, sizeof want, r->message, range);
		else
			snprintf(want, sizeof want, "the date %04d-03-05 is outside the books' dates (%s)",
				 cj_books_last_date().year + 1, range);
		err[0] = '\0';
		got = cj_voucher_check(&s.v, err, sizeof err);
		if (got != r->status || strcmp(err, want)) {
			print_error("%s: got %d \"%s\"\n  want %d \"%s\"\n", r->name, got, err,
				    r->status, want);
			wrong++;
		}
	}
	assert_int_equal(wrong, 0);
}

/* A red reversal (红字冲销) carries the original's lines with the amounts
 * negated; the same lines on an ordinary voucher are refused. */
static void
test_voucher_check_negative_amounts_only_on_reversals(void **state)
{
	sample s;
	char err[200];

	(void)state;
	valid(&s);
	for (int i = 0; i < 3; i++) {
		s.l[i].debit.fen = -s.l[i].debit.fen;
		s.l[i].credit.fen = -s.l[i].credit.fen;
	}
	s.v.kind = CJ_VOUCHER_REVERSAL;
	s.v.reverses_id = 7;
	assert_int_equal(cj_voucher_check(&s.v, err, sizeof err), 0);
	s.v.kind = CJ_VOUCHER_NORMAL;
	assert_int_equal(cj_voucher_check(&s.v, err, sizeof err), CJ_EINVAL);
	assert_string_equal(err, "line 1 (account 513002): negative amounts belong only on a red "
				 "reversal; to correct a voucher, void it");
}

/* A line carries at most CJ_MONEY_LINE_MAX either way: exactly that is
 * accepted, one fen more refused, on a reversal too. */
static void
test_voucher_check_line_limit(void **state)
{
	cj_line l[2] = {{.account = "101", .debit = {CJ_MONEY_LINE_MAX}},
			{.account = "501", .credit = {CJ_MONEY_LINE_MAX}}};
	sample s;
	char err[200];

	(void)state;
	valid(&s);
	s.v.lines = l;
	s.v.nlines = 2;
	assert_int_equal(cj_voucher_check(&s.v, err, sizeof err), 0);
	l[1].credit.fen = CJ_MONEY_LINE_MAX + 1;
	assert_int_equal(cj_voucher_check(&s.v, err, sizeof err), CJ_EOVERFLOW);
	assert_string_equal(err, "line 2 (account 501): 100,000,000,000.01 yuan is more than a line "
				 "may carry (100,000,000,000.00 yuan)");
	l[0].debit.fen = -CJ_MONEY_LINE_MAX;
	l[1].credit.fen = -CJ_MONEY_LINE_MAX - 1;
	s.v.kind = CJ_VOUCHER_REVERSAL;
	assert_int_equal(cj_voucher_check(&s.v, err, sizeof err), CJ_EOVERFLOW);
	assert_string_equal(err, "line 2 (account 501): -100,000,000,000.01 yuan is more than a "
				 "line may carry (100,000,000,000.00 yuan)");
}

/* 32,000 lines are accepted, 32,001 refused. */
static void
test_voucher_check_line_count_limit(void **state)
{
	size_t n = 32001;
	cj_line *l = calloc(n, sizeof *l);
	sample s;
	char err[200];

	(void)state;
	assert_non_null(l);
	for (size_t i = 0; i < n; i++) {
		l[i].account = i % 2 ? "501" : "101";
		if (i % 2)
			l[i].credit.fen = 100;
		else
			l[i].debit.fen = 100;
	}
	valid(&s);
	s.v.lines = l;
	s.v.nlines = n - 1;
	assert_int_equal(cj_voucher_check(&s.v, err, sizeof err), 0);
	s.v.nlines = n;
	assert_int_equal(cj_voucher_check(&s.v, err, sizeof err), CJ_EINVAL);
	assert_string_equal(err, "a voucher can have at most 32000 lines");
	free(l);
}

static void
test_voucher_hash_tells_content_apart(void **state)
{
	sample x, y;
	char hx[65], hy[65];

	(void)state;
	valid(&x);
	valid(&y);
	cj_voucher_hash(&x.v, hx);
	cj_voucher_hash(&y.v, hy);
	assert_int_equal(strlen(hx), 64);
	assert_string_equal(hx, hy);
	y.l[0].debit.fen = 1001;
	y.l[2].credit.fen = 1235;
	cj_voucher_hash(&y.v, hy);
	assert_string_not_equal(hx, hy);
	valid(&y);
	y.v.summary = "收到承包费 ";
	cj_voucher_hash(&y.v, hy);
	assert_string_not_equal(hx, hy);
}

static void
test_date_parse_and_periods(void **state)
{
	cj_date d;
	cj_period p;

	(void)state;
	assert_int_equal(cj_date_parse(&d, "2024-02-29"), 0);
	assert_int_equal(cj_date_parse(&d, "2025-02-29"), CJ_EINVAL);
	assert_int_equal(cj_date_parse(&d, "2025-3-05"), CJ_EINVAL);
	assert_int_equal(cj_date_parse(&d, "2025-13-01"), CJ_EINVAL);
	assert_int_equal(cj_period_parse(&p, "2025-12"), 0);
	assert_int_equal(cj_period_next(p).year, 2026);
	assert_int_equal(cj_period_parse(&p, "2025-00"), CJ_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_voucher_check_accepts_the_valid_voucher),
		cmocka_unit_test(test_voucher_check_refuses_one_change_each),
		cmocka_unit_test(test_voucher_check_negative_amounts_only_on_reversals),
		cmocka_unit_test(test_voucher_check_line_limit),
		cmocka_unit_test(test_voucher_check_line_count_limit),
		cmocka_unit_test(test_voucher_hash_tells_content_apart),
		cmocka_unit_test(test_date_parse_and_periods),
	};

	return cmocka_run_group_tests_name("voucher_check", tests, NULL, NULL);
}
