/*
 * test_sheet.c - CSV files read as a stream through cj_sheet: encodings,
 * records cut by the window, hostile files; the CSV reader fed in pieces
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <importers/csv.h>
#include <importers/encoding.h>
#include <importers/sheet.h>

static char path[64];

static void
write_file(const void *data, size_t len)
{
	FILE *f;
	int fd;

	strcpy(path, "/tmp/cunji-test-sheet-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static cj_sheet *
open_ok(const void *data, size_t len)
{
	char err[512];
	cj_sheet *s = NULL;

	write_file(data, len);
	if (cj_sheet_open(&s, path, err, sizeof err))
		fail_msg("cj_sheet_open: %s", err);
	return s;
}

static void
expect_row(cj_sheet *s, size_t row, size_t n, const char *const *fields)
{
	assert_int_equal(cj_sheet_next(s), 1);
	assert_int_equal(cj_sheet_row(s), row);
	assert_int_equal(cj_sheet_nfields(s), n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(cj_sheet_field(s, i), fields[i]);
}

static void
done(cj_sheet *s)
{
	cj_sheet_close(s);
	unlink(path);
}

static void
test_utf8_bom_tabs_and_empty_rows(void **state)
{
	static const char text[] = "\xEF\xBB\xBF村代码\t摘要\nV1\t\"a\tb\"\n\t\n\nV2\tc\n";
	cj_sheet *s = open_ok(text, strlen(text));

	(void)state;
	assert_string_equal(cj_sheet_encoding(s), "UTF-8 with BOM");
	expect_row(s, 1, 2, (const char *[]){"村代码", "摘要"});
	expect_row(s, 2, 2, (const char *[]){"V1", "a\tb"});
	/* row 3 ("\t") and row 4 (blank) are empty: skipped, but counted */
	expect_row(s, 5, 2, (const char *[]){"V2", "c"});
	assert_int_equal(cj_sheet_next(s), 0);
	done(s);
}

static void
test_gbk_is_converted(void **state)
{
	/* "村代码,摘要\r\nV1,收到租金\r\n" in GBK */
	static const char gbk[] = "\xB4\xE5\xB4\xFA\xC2\xEB,\xD5\xAA\xD2\xAA\r\n"
				  "V1,\xCA\xD5\xB5\xBD\xD7\xE2\xBD\xF0\r\n";
	cj_sheet *s = open_ok(gbk, strlen(gbk));

	(void)state;
	assert_string_equal(cj_sheet_encoding(s), "GB18030");
	expect_row(s, 1, 2, (const char *[]){"村代码", "摘要"});
	expect_row(s, 2, 2, (const char *[]){"V1", "收到租金"});
	assert_int_equal(cj_sheet_next(s), 0);
	done(s);
}

/* A file far bigger than the window, with quoted newlines, CRLF and
 * Chinese text (in GBK too) that the window boundaries cut anywhere. */
static void
big_file(int gbk)
{
	size_t cap = 8u << 20, len = 0, rows = 60000;
	char *buf = malloc(cap);
	cj_sheet *s;

	assert_non_null(buf);
	len += (size_t)snprintf(buf + len, cap - len, "n,text,note\r\n");
	for (size_t i = 0; i < rows; i++)
		len += (size_t)snprintf(buf + len, cap - len,
					gbk ? "%zu,\"line\r\n\xCA\xD5\xB5\xBD %zu, \"\"q\"\"\",\xD7\xE2\r\n"
					    : "%zu,\"line\r\n收到 %zu, \"\"q\"\"\",租\r\n",
					i, i);
	s = open_ok(buf, len);
	assert_string_equal(cj_sheet_encoding(s), gbk ? "GB18030" : "UTF-8");
	expect_row(s, 1, 3, (const char *[]){"n", "text", "note"});
	for (size_t i = 0; i < rows; i++) {
		char n[32], text[64];
		snprintf(n, sizeof n, "%zu", i);
		snprintf(text, sizeof text, "line\r\n收到 %zu, \"q\"", i);
		expect_row(s, i + 2, 3, (const char *[]){n, text, "租"});
	}
	assert_int_equal(cj_sheet_next(s), 0);
	assert_true(cj_sheet_bytes_read(s) == cj_sheet_size(s));
	done(s);
	free(buf);
}

static void
test_big_file_streams(void **state)
{
	(void)state;
	big_file(0);
	big_file(1);
}

/* A quote never closed in a big file: an error naming the line, not all
 * of the file in memory. */
static void
test_endless_quote(void **state)
{
	size_t len = 80u << 20;
	char *buf = malloc(len);
	cj_sheet *s;

	(void)state;
	assert_non_null(buf);
	memcpy(buf, "a,b\nx,\"", 7);
	memset(buf + 7, 'y', len - 7);
	for (size_t i = 1000; i < len; i += 1000)
		buf[i] = '\n';
	s = open_ok(buf, len);
	free(buf);
	expect_row(s, 1, 2, (const char *[]){"a", "b"});
	assert_int_equal(cj_sheet_next(s), -1);
	assert_non_null(strstr(cj_sheet_error(s), "longer than"));
	done(s);
}

static void
test_hostile_files(void **state)
{
	static const char nul[] = "a,b\nx,\0y\n";
	static const char damaged[] = "村代码,摘要\n收到,\xFF租金 村代码 村代码 村代码 村代码 村代码 村代码 村代码 村代码\n";
	char err[512];
	cj_sheet *s;
	char *junk = malloc(300000);

	(void)state;
	/* a NUL byte */
	s = open_ok(nul, sizeof nul - 1);
	expect_row(s, 1, 2, (const char *[]){"a", "b"});
	assert_int_equal(cj_sheet_next(s), -1);
	assert_non_null(strstr(cj_sheet_error(s), "binary"));
	done(s);
	/* UTF-8 with a damaged byte: refused with its line */
	write_file(damaged, strlen(damaged));
	assert_int_equal(cj_sheet_open(&s, path, err, sizeof err), -1);
	assert_non_null(strstr(err, "line 2"));
	unlink(path);
	/* random bytes: an error, never a crash */
	assert_non_null(junk);
	for (size_t i = 0; i < 300000; i++)
		junk[i] = (char)((i * 2654435761u) >> 13);
	write_file(junk, 300000);
	if (cj_sheet_open(&s, path, err, sizeof err) == 0) {
		int rc;
		while ((rc = cj_sheet_next(s)) == 1)
			;
		assert_int_equal(rc, -1);
		cj_sheet_close(s);
	}
	unlink(path);
	free(junk);
	/* a directory, a missing file */
	assert_int_equal(cj_sheet_open(&s, "/tmp", err, sizeof err), -1);
	assert_int_equal(cj_sheet_open(&s, "/nonexistent/x.csv", err, sizeof err), -1);
}

/* The CSV reader fed a window at a time gives the records it gives on the
 * whole buffer, whatever the window size. */
static void
test_csv_windows(void **state)
{
	static const char text[] = "a,\"b\r\nc\",\"\"\"\"\r\n\r\nd\te,f\r\n\"x\"\"y\",z\r";

	(void)state;
	for (size_t w = 1; w <= sizeof text; w++) {
		cj_csv whole, part;
		char win[256];
		size_t fed = 0, have = 0;
		int rc;

		cj_csv_init(&whole, text, sizeof text - 1, ',');
		have = w < sizeof text - 1 ? w : sizeof text - 1;
		memcpy(win, text, have);
		fed = have;
		cj_csv_init(&part, win, have, ',');
		part.more = fed < sizeof text - 1;
		while ((rc = cj_csv_next(&whole)) == 1) {
			int r;
			while ((r = cj_csv_next(&part)) == CJ_CSV_MORE) {
				size_t keep = have - cj_csv_consumed(&part);
				size_t add = sizeof text - 1 - fed < w ? sizeof text - 1 - fed : w;
				memmove(win, win + have - keep, keep);
				memcpy(win + keep, text + fed, add);
				fed += add;
				have = keep + add;
				cj_csv_refill(&part, win, have, fed < sizeof text - 1);
			}
			assert_int_equal(r, 1);
			assert_int_equal(part.line, whole.line);
			assert_int_equal(part.nfields, whole.nfields);
			for (size_t i = 0; i < whole.nfields; i++)
				assert_string_equal(cj_csv_field(&part, i), cj_csv_field(&whole, i));
		}
		assert_int_equal(rc, 0);
		while ((rc = cj_csv_next(&part)) == CJ_CSV_MORE) {
			size_t keep = have - cj_csv_consumed(&part);
			size_t add = sizeof text - 1 - fed < w ? sizeof text - 1 - fed : w;
			memmove(win, win + have - keep, keep);
			memcpy(win + keep, text + fed, add);
			fed += add;
			have = keep + add;
			cj_csv_refill(&part, win, have, fed < sizeof text - 1);
		}
		assert_int_equal(rc, 0);
		cj_csv_dispose(&whole);
		cj_csv_dispose(&part);
	}
}

/* The probe decides as cj_to_utf8 does, however the bytes are cut. */
static void
test_encoding_probe_matches(void **state)
{
	static const char *const samples[] = {
		"plain ascii\n",
		"\xEF\xBB\xBF村代码\n",
		"村代码,摘要\n",
		"\xB4\xE5\xB4\xFA\xC2\xEB,\xD5\xAA\xD2\xAA\n",
		"村代码村代码村代码村代码村代码村代码村代码村代码村代码\xFF\n",
		"\xE6\x9D",
	};

	(void)state;
	for (size_t k = 0; k < sizeof samples / sizeof samples[0]; k++) {
		const char *in = samples[k];
		size_t len = strlen(in);
		char *out = NULL;
		size_t outlen = 0;
		const char *want = NULL;
		int rc = cj_to_utf8(in, len, &out, &outlen, &want);

		free(out);
		for (size_t step = 1; step <= len; step++) {
			cj_encoding_probe p;
			unsigned long long bad = 0;
			const char *got;
			cj_encoding_probe_init(&p);
			for (size_t i = 0; i < len; i += step)
				cj_encoding_probe_feed(&p, in + i, len - i < step ? len - i : step);
			got = cj_encoding_probe_result(&p, &bad);
			if (rc == CJ_EINVAL && !want) {
				/* damaged UTF-8, or not GB18030 either (the converter says) */
				if (got)
					assert_string_equal(got, CJ_ENCODING_GB18030);
				else
					assert_int_equal(bad, outlen);
			} else {
				assert_non_null(got);
				assert_string_equal(got, want);
			}
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_bom_tabs_and_empty_rows),
		cmocka_unit_test(test_gbk_is_converted),
		cmocka_unit_test(test_big_file_streams),
		cmocka_unit_test(test_endless_quote),
		cmocka_unit_test(test_hostile_files),
		cmocka_unit_test(test_csv_windows),
		cmocka_unit_test(test_encoding_probe_matches),
	};

	return cmocka_run_group_tests_name("sheet", tests, NULL, NULL);
}
