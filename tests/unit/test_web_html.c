/*
 * test_web_html.c - the web interface's one escaping function and its
 * reading of form bodies (web/html.c), without a server
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <web/html.h>

static void
expect_escaped(const char *in, const char *want)
{
	cj_buf b = CJ_BUF_INIT;

	cj_html_escape(&b, in);
	assert_true(cj__buf_ok(&b));
	assert_string_equal(b.data ? b.data : "", want);
	cj__buf_free(&b);
}

static void
test_escape(void **state)
{
	(void)state;
	expect_escaped("<script>alert(\"x\")</script>",
		       "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
	/* out of a quoted attribute, either quote */
	expect_escaped("\" onmouseover='x'", "&quot; onmouseover=&#39;x&#39;");
	expect_escaped("R&D &amp;", "R&amp;D &amp;amp;");
	/* Chinese and full-width text pass unchanged */
	expect_escaped("收到承包费（三月）１２３", "收到承包费（三月）１２３");
	expect_escaped("", "");
	expect_escaped(NULL, "");
	/* not UTF-8, overlong forms, surrogates, controls: U+FFFD, never raw bytes */
	expect_escaped("a\xff" "b", "a\xEF\xBF\xBD" "b");
	expect_escaped("\xC0\xBC", "\xEF\xBF\xBD\xEF\xBF\xBD");      /* overlong '<' */
	expect_escaped("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* a surrogate */
	expect_escaped("\xE6\x9D", "\xEF\xBF\xBD\xEF\xBF\xBD");    /* cut short */
	expect_escaped("a\x01\x7f" "b\tc\n", "a\xEF\xBF\xBD\xEF\xBF\xBD" "b\tc\n");
	expect_escaped("\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80");     /* 4 bytes, valid */
}

static void
test_form(void **state)
{
	const char *body = "csrf=ab12&account=101&debit=1%2C200.50&account=&summary=%E6%9D%91+x"
			   "&account=501&empty=&bad=%4&nul=a%00b&plus=%2B";
	char out[64];

	(void)state;
	assert_int_equal(cj_form_value(body, "csrf", 0, out, sizeof out), 4);
	assert_string_equal(out, "ab12");
	assert_int_equal(cj_form_value(body, "debit", 0, out, sizeof out), 8);
	assert_string_equal(out, "1,200.50");
	assert_int_equal(cj_form_value(body, "summary", 0, out, sizeof out), 5);
	assert_string_equal(out, "村 x");
	/* the n-th of a repeated field, empty ones counted */
	assert_int_equal(cj_form_value(body, "account", 0, out, sizeof out), 3);
	assert_int_equal(cj_form_value(body, "account", 1, out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(cj_form_value(body, "account", 2, out, sizeof out), 3);
	assert_string_equal(out, "501");
	assert_int_equal(cj_form_value(body, "account", 3, out, sizeof out), -1);
	assert_int_equal(cj_form_value(body, "empty", 0, out, sizeof out), 0);
	assert_int_equal(cj_form_value(body, "plus", 0, out, sizeof out), 1);
	assert_string_equal(out, "+");
	/* a name is matched whole, not as a prefix or suffix */
	assert_int_equal(cj_form_value(body, "acc", 0, out, sizeof out), -1);
	assert_int_equal(cj_form_value(body, "ount", 0, out, sizeof out), -1);
	/* a broken escape, a NUL byte, a value too long: refused */
	assert_int_equal(cj_form_value(body, "bad", 0, out, sizeof out), -1);
	assert_int_equal(cj_form_value(body, "nul", 0, out, sizeof out), -1);
	assert_int_equal(cj_form_value(body, "debit", 0, out, 5), -1);
	assert_int_equal(cj_form_value("", "x", 0, out, sizeof out), -1);
}

static void
test_multipart(void **state)
{
	static const char body[] =
		"preamble\r\n"
		"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n"
		"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\xe5\x87\xad.csv\"\r\n"
		"Content-Type: text/csv\r\n\r\na,b\r\n1\0002\r\n--XyZ-not\r\n"
		"--XyZ--\r\n";
	char b[80];
	cj_form_part p;

	(void)state;
	assert_int_equal(cj_multipart_boundary("multipart/form-data; boundary=XyZ", b, sizeof b), 0);
	assert_string_equal(b, "XyZ");
	assert_int_equal(cj_multipart_boundary("multipart/form-data; boundary=\"a b\"", b, sizeof b), 0);
	assert_string_equal(b, "a b");
	assert_int_equal(cj_multipart_boundary("application/x-www-form-urlencoded", b, sizeof b), -1);
	assert_int_equal(cj_multipart_boundary("multipart/form-data", b, sizeof b), -1);
	assert_int_equal(cj_multipart_find(body, sizeof body - 1, "XyZ", "csrf", &p), 0);
	assert_int_equal(p.len, 3);
	assert_memory_equal(p.data, "abc", 3);
	assert_string_equal(p.filename, "");
	/* binary content (a NUL) and a line that only starts like the delimiter */
	assert_int_equal(cj_multipart_find(body, sizeof body - 1, "XyZ", "file", &p), 0);
	assert_int_equal(p.len, 19);
	assert_memory_equal(p.data, "a,b\r\n1\0002\r\n--XyZ-not", 19);
	assert_string_equal(p.filename, "\xe5\x87\xad.csv");
	assert_int_equal(cj_multipart_find(body, sizeof body - 1, "XyZ", "nope", &p), -1);
	/* cut short: no closing delimiter after the part */
	assert_int_equal(cj_multipart_find(body, 60, "XyZ", "csrf", &p), -1);
	assert_int_equal(cj_multipart_find("garbage", 7, "XyZ", "csrf", &p), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_multipart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
