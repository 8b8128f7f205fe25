/*
 * test_names.c - the names the core gives its values and parses back:
 * account categories, organisation levels, voucher kinds, status codes
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <ledger/ledger.h>

static void
test_categories(void **state)
{
	static const char *const zh[] = {"资产", "负债", "所有者权益", "成本", "损益", "损益"};

	(void)state;
	for (int c = CJ_CAT_ASSET; c <= CJ_CAT_EXPENSE; c++) {
		assert_int_equal(cj_category_parse(cj_category_name((cj_category)c)), c);
		assert_string_equal(cj_category_name_zh((cj_category)c), zh[c]);
	}
	assert_string_equal(cj_category_name(CJ_CAT_LIABILITY), "liability");
	assert_int_equal(cj_category_parse("资产"), -1);
	assert_int_equal(cj_category_parse("Asset"), -1);
	assert_string_equal(cj_category_name((cj_category)6), "?");
	assert_string_equal(cj_category_name_zh((cj_category)-1), "?");
}

static void
test_org_levels(void **state)
{
	(void)state;
	for (int l = CJ_ORG_COUNTY; l <= CJ_ORG_VILLAGE; l++)
		assert_int_equal(cj_org_level_parse(cj_org_level_name((cj_org_level)l)), l);
	assert_string_equal(cj_org_level_name(CJ_ORG_TOWNSHIP), "township");
	/* the words org list --format csv writes, read back by org add --file */
	assert_int_equal(cj_org_level_parse("县"), CJ_ORG_COUNTY);
	assert_int_equal(cj_org_level_parse("乡镇"), CJ_ORG_TOWNSHIP);
	assert_int_equal(cj_org_level_parse("村"), CJ_ORG_VILLAGE);
	assert_int_equal(cj_org_level_parse("town"), -1);
	assert_int_equal(cj_org_level_parse(""), -1);
}

static void
test_voucher_kinds(void **state)
{
	(void)state;
	assert_string_equal(cj_voucher_kind_name(CJ_VOUCHER_NORMAL), "normal");
	assert_string_equal(cj_voucher_kind_name(CJ_VOUCHER_OPENING), "opening");
	assert_string_equal(cj_voucher_kind_name(CJ_VOUCHER_CLOSING), "closing");
	assert_string_equal(cj_voucher_kind_name(CJ_VOUCHER_REVERSAL), "reversal");
	assert_string_equal(cj_voucher_kind_name((cj_voucher_kind)9), "normal");
}

/* Every status has a name of its own. */
static void
test_status_names(void **state)
{
	(void)state;
	assert_string_equal(cj_status_name(CJ_OK), "ok");
	assert_string_equal(cj_status_name(CJ_EUNBALANCED), "unbalanced");
	assert_string_equal(cj_status_name(CJ_ECLOSED), "period closed");
	assert_string_equal(cj_status_name(CJ_EREFUSED), "refused");
	assert_string_equal(cj_status_name(CJ_EAUTH), "password needed");
	for (int a = CJ_EAUTH; a <= CJ_OK; a++) {
		assert_string_not_equal(cj_status_name(a), "unknown status");
		for (int b = a + 1; b <= CJ_OK; b++)
			assert_string_not_equal(cj_status_name(a), cj_status_name(b));
	}
	assert_string_equal(cj_status_name(1), "unknown status");
	assert_string_equal(cj_status_name(CJ_EAUTH - 1), "unknown status");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_categories),
		cmocka_unit_test(test_org_levels),
		cmocka_unit_test(test_voucher_kinds),
		cmocka_unit_test(test_status_names),
	};

	return cmocka_run_group_tests_name("names", tests, NULL, NULL);
}
