/*
 * test_xlsx.c - the XLSX reader on files written by real writers
 * (libxlsxwriter here, openpyxl in tests/fixtures/xlsx) and on hand-made
 * zips that hold exactly the XML a case needs: shared and inline strings,
 * numbers kept as text, dates in both systems, sparse rows and cells, and
 * hostile files (a zip bomb, truncated, junk, missing parts, huge cells).
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
#include <xlsxwriter.h>
#include <zip.h>

#include <importers/xlsx.h>

#ifndef FIXTURES
#error "FIXTURES must name tests/fixtures/xlsx"
#endif

typedef struct entry {
	const char *name;
	const char *data;
	size_t len; /* 0: strlen(data) */
} entry;

static char tmp_path[64];

/* A zip of the given entries in a temporary file; returns its path. */
static const char *
make_zip(const entry *e, size_t n)
{
	zip_t *z;
	int fd, err = 0;

	snprintf(tmp_path, sizeof tmp_path, "/tmp/cj_xlsx_XXXXXX");
	fd = mkstemp(tmp_path);
	assert_true(fd >= 0);
	close(fd);
	z = zip_open(tmp_path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	assert_non_null(z);
	for (size_t i = 0; i < n; i++) {
		size_t len = e[i].len ? e[i].len : strlen(e[i].data);
		zip_source_t *s = zip_source_buffer(z, e[i].data, len, 0);
		assert_non_null(s);
		assert_true(zip_file_add(z, e[i].name, s, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
	return tmp_path;
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
	   "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char root_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" Target=\"xl/workbook.xml\"/>"
	"</Relationships>";

static const char book_rels[] =
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"" REL "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"" REL "sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"" REL "styles\" Target=\"styles.xml\"/>"
	"</Relationships>";

static const char book_1900[] =
	"<workbook " NS "><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char book_1904[] =
	"<workbook " NS "><workbookPr date1904=\"1\"/>"
	"<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";

/* styles: 0 general, 1 built-in 14 (date), 2 custom yyyy"年"m"月"d"日", 3 built-in 22
 * (date and time), 4 built-in 20 (time), 5 custom 0.00"元" (a number), 6 built-in 31 */
static const char styles[] =
	"<styleSheet " NS "><numFmts count=\"2\">"
	"<numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
	"<numFmt numFmtId=\"165\" formatCode=\"0.00&quot;元&quot;\"/></numFmts>"
	"<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
	"<cellXfs count=\"7\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
	"<xf numFmtId=\"22\"/><xf numFmtId=\"20\"/><xf numFmtId=\"165\"/><xf numFmtId=\"31\"/>"
	"</cellXfs></styleSheet>";

static const char sst[] =
	"<sst " NS " count=\"4\" uniqueCount=\"4\">"
	"<si><t>交易日期</t></si>"
	"<si><r><rPr><b/></rPr><t>收到</t></r><r><t xml:space=\"preserve\"> 承包费</t></r>"
	"<rPh sb=\"0\" eb=\"1\"><t>phonetic</t></rPh></si>"
	"<si><t>line_x000D__x000A_two _x005F_x0041_</t></si>"
	"<si><t/></si></sst>";

/* A workbook around one sheet's XML, with or without shared strings and styles. */
static const char *
make_book(const char *sheet, const char *book)
{
	entry e[] = {
		{"[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>", 0},
		{"_rels/.rels", root_rels, 0},
		{"xl/workbook.xml", book ? book : book_1900, 0},
		{"xl/_rels/workbook.xml.rels", book_rels, 0},
		{"xl/sharedStrings.xml", sst, 0},
		{"xl/styles.xml", styles, 0},
		{"xl/worksheets/sheet1.xml", sheet, 0},
	};
	return make_zip(e, sizeof e / sizeof e[0]);
}

#define SHEET(rows) "<worksheet " NS "><sheetData>" rows "</sheetData></worksheet>"

static cj_xlsx *
open_ok(const char *path)
{
	cj_xlsx *x = NULL;
	char err[400] = "";

	if (cj_xlsx_open(&x, path, err, sizeof err))
		fail_msg("open %s: %s", path, err);
	return x;
}

static void
expect_row(cj_xlsx *x, size_t row, size_t n, const char *const *want)
{
	const char *const *f;
	size_t nf, r;
	char err[400] = "";
	int rc = cj_xlsx_next(x, &f, &nf, &r, err, sizeof err);

	if (rc != 1)
		fail_msg("expected row %zu, got %d (%s)", row, rc, err);
	assert_int_equal(r, row);
	if (nf != n) {
		for (size_t i = 0; i < nf; i++)
			print_message("  field %zu: '%s'\n", i, f[i]);
		fail_msg("row %zu: %zu fields, expected %zu", row, nf, n);
	}
	for (size_t i = 0; i < n; i++)
		assert_string_equal(f[i], want[i]);
}

static void
expect_end(cj_xlsx *x)
{
	const char *const *f;
	size_t nf, r;
	char err[400] = "";

	assert_int_equal(cj_xlsx_next(x, &f, &nf, &r, err, sizeof err), 0);
	assert_int_equal(cj_xlsx_next(x, &f, &nf, &r, err, sizeof err), 0);
}

/* The error of a file that opens but fails while reading its rows. */
static void
expect_read_error(const char *path, const char *needle)
{
	cj_xlsx *x = open_ok(path);
	const char *const *f;
	size_t nf, r;
	char err[400] = "";
	int rc;

	while ((rc = cj_xlsx_next(x, &f, &nf, &r, err, sizeof err)) == 1)
		;
	assert_int_equal(rc, -1);
	if (!strstr(err, needle))
		fail_msg("error '%s' lacks '%s'", err, needle);
	/* and it stays failed */
	assert_int_equal(cj_xlsx_next(x, &f, &nf, &r, err, sizeof err), -1);
	cj_xlsx_close(x);
	unlink(path);
}

static void
expect_open_error(const char *path, const char *needle)
{
	cj_xlsx *x = (cj_xlsx *)1;
	char err[400] = "";

	assert_int_equal(cj_xlsx_open(&x, path, err, sizeof err), -1);
	assert_null(x);
	if (!strstr(err, needle))
		fail_msg("error '%s' lacks '%s'", err, needle);
}

static void
test_shared_strings_numbers_booleans(void **state)
{
	const char *p = make_book(SHEET(
		"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
		"<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c></row>"
		"<row r=\"2\"><c r=\"A2\"><v>1234.5</v></c><c r=\"B2\" t=\"n\"><v>1.2345E+17</v></c>"
		"<c r=\"C2\"><v>-0.01</v></c><c r=\"D2\" t=\"b\"><v>1</v></c><c r=\"E2\" t=\"b\"><v>0</v></c>"
		"<c r=\"F2\" t=\"e\"><v>#DIV/0!</v></c>"
		"<c r=\"G2\" t=\"str\"><f>A2&amp;\"x\"</f><v>1234.5x</v></c>"
		"<c r=\"H2\" s=\"5\"><v>12.5</v></c></row>"), NULL);
	cj_xlsx *x = open_ok(p);

	(void)state;
	/* rich text joined, phonetic run left out, escapes decoded; an empty trailing string dropped */
	expect_row(x, 1, 3, (const char *[]){"交易日期", "收到 承包费", "line\r\ntwo _x0041_"});
	expect_row(x, 2, 8, (const char *[]){"1234.5", "1.2345E+17", "-0.01", "TRUE", "FALSE",
					    "#DIV/0!", "1234.5x", "12.5"});
	expect_end(x);
	cj_xlsx_close(x);
	unlink(p);
}

static void
test_inline_strings(void **state)
{
	const char *p = make_book(SHEET(
		"<row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>对方户名</t></is></c>"
		"<c r=\"C3\" t=\"inlineStr\"><is><r><t>周</t></r><r><t>口村</t></r></is></c>"
		"<c r=\"D3\" t=\"inlineStr\"><is><t xml:space=\"preserve\">  spaces kept  </t></is></c></row>"), NULL);
	cj_xlsx *x = open_ok(p);

	(void)state;
	expect_row(x, 3, 4, (const char *[]){"", "对方户名", "周口村", "  spaces kept  "});
	expect_end(x);
	cj_xlsx_close(x);
	unlink(p);
}

static void
test_dates_1900(void **state)
{
	const char *p = make_book(SHEET(
		"<row r=\"1\"><c s=\"1\"><v>45658</v></c><c s=\"2\"><v>45717</v></c>"
		"<c s=\"3\"><v>45658.75</v></c><c s=\"4\"><v>0.4375</v></c><c s=\"6\"><v>1</v></c>"
		"<c s=\"1\"><v>59</v></c><c s=\"1\"><v>60</v></c><c s=\"1\"><v>61</v></c>"
		"<c s=\"1\"><v>2958465</v></c><c s=\"1\"><v>2958466</v></c><c s=\"1\"><v>4.5658E4</v></c>"
		"<c s=\"1\"><v>abc</v></c><c s=\"4\"><v>0.99999999</v></c><c s=\"1\" t=\"d\"><v>2025-03-05T00:00:00</v></c>"
		"</row>"), NULL);
	cj_xlsx *x = open_ok(p);

	(void)state;
	expect_row(x, 1, 14,
		   (const char *[]){"2025-01-01", "2025-03-01", "2025-01-01", "10:30:00", "1900-01-01",
				    "1900-02-28", "1900-02-29", "1900-03-01", "9999-12-31", "2958466",
				    "2025-01-01", "abc", "00:00:00", "2025-03-05"});
	expect_end(x);
	cj_xlsx_close(x);
	unlink(p);
}

static void
test_dates_1904(void **state)
{
	const char *p = make_book(SHEET("<row r=\"1\"><c s=\"1\"><v>0</v></c><c s=\"1\"><v>44196</v></c>"
					"<c s=\"1\"><v>1462</v></c></row>"),
				  book_1904);
	cj_xlsx *x = open_ok(p);

	(void)state;
	/* 44196 in 1904 is 2025-01-01 (1462 days later than in 1900) */
	expect_row(x, 1, 3, (const char *[]){"1904-01-01", "2025-01-01", "1908-01-02"});
	expect_end(x);
	cj_xlsx_close(x);
	unlink(p);
}

static void
test_sparse_rows_and_cells(void **state)
{
	const char *p = make_book(SHEET(
		"<row r=\"2\"><c r=\"C2\"><v>3</v></c><c r=\"E2\" t=\"s\"><v>0</v></c>"
		"<c r=\"F2\" s=\"1\"/><c r=\"G2\" t=\"s\"><v>3</v></c></row>"
		"<row r=\"4\" spans=\"1:3\"><c r=\"A4\" s=\"1\"/></row>" /* styled, empty: skipped */
		"<row r=\"7\"><c><v>1</v></c><c><v>2</v></c><c r=\"AA7\"><v>27</v></c></row>"
		"<row><c r=\"B8\"><v>x</v></c></row>"), NULL);
	cj_xlsx *x = open_ok(p);
	const char *row7[27];

	(void)state;
	expect_row(x, 2, 5, (const char *[]){"", "", "3", "", "交易日期"});
	for (int i = 0; i < 27; i++)
		row7[i] = "";
	row7[0] = "1";
	row7[1] = "2";
	row7[26] = "27";
	expect_row(x, 7, 27, row7);
	expect_row(x, 8, 2, (const char *[]){"", "x"});
	expect_end(x);
	cj_xlsx_close(x);
	unlink(p);
}

/* The first worksheet in workbook order, through its relationship; a
 * chart sheet before it is passed over; an absolute target. */
static void
test_first_worksheet_by_workbook_order(void **state)
{
	static const char rels[] =
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId1\" Type=\"" REL "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
		"<Relationship Id=\"rId2\" Type=\"" REL "worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
		"<Relationship Id=\"rId3\" Type=\"" REL "chartsheet\" Target=\"chartsheets/sheet1.xml\"/>"
		"</Relationships>";
	static const char book[] =
		"<workbook " NS "><sheets><sheet name=\"图\" sheetId=\"3\" r:id=\"rId3\"/>"
		"<sheet name=\"流水\" sheetId=\"2\" r:id=\"rId2\"/><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
		"</sheets></workbook>";
	entry e[] = {
		{"_rels/.rels", root_rels, 0},
		{"xl/workbook.xml", book, 0},
		{"xl/_rels/workbook.xml.rels", rels, 0},
		{"xl/worksheets/sheet1.xml", SHEET("<row r=\"1\"><c t=\"inlineStr\"><is><t>wrong</t></is></c></row>"), 0},
		{"xl/worksheets/sheet2.xml", SHEET("<row r=\"1\"><c t=\"inlineStr\"><is><t>right</t></is></c></row>"), 0},
		{"xl/chartsheets/sheet1.xml", "<chartsheet " NS "/>", 0},
	};
	const char *p = make_zip(e, sizeof e / sizeof e[0]);
	cj_xlsx *x = open_ok(p);

	(void)state;
	expect_row(x, 1, 1, (const char *[]){"right"});
	expect_end(x);
	cj_xlsx_close(x);
	unlink(p);
}

/* libxlsxwriter (shared strings, dates, numbers) read back. */
static void
test_libxlsxwriter_file(void **state)
{
	char path[64];
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *date;
	lxw_datetime d = {2025, 3, 5, 0, 0, 0};
	cj_xlsx *x;
	int fd;

	(void)state;
	snprintf(path, sizeof path, "/tmp/cj_lxw_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	wb = workbook_new(path);
	ws = workbook_add_worksheet(wb, "银行流水");
	date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy/m/d");
	worksheet_write_string(ws, 0, 0, "交易日期", NULL);
	worksheet_write_string(ws, 0, 1, "收入金额", NULL);
	worksheet_write_string(ws, 0, 3, "摘要", NULL);
	worksheet_write_datetime(ws, 1, 0, &d, date);
	worksheet_write_number(ws, 1, 1, 1200.5, NULL);
	worksheet_write_string(ws, 1, 3, "收到承包费", NULL);
	worksheet_write_formula_num(ws, 2, 1, "=B2*2", NULL, 2401);
	worksheet_write_string(ws, 5, 0, "交易日期", NULL); /* shared: same string index as A1 */
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

	x = open_ok(path);
	expect_row(x, 1, 4, (const char *[]){"交易日期", "收入金额", "", "摘要"});
	expect_row(x, 2, 4, (const char *[]){"2025-03-05", "1200.5", "", "收到承包费"});
	expect_row(x, 3, 2, (const char *[]){"", "2401"});
	expect_row(x, 6, 1, (const char *[]){"交易日期"});
	expect_end(x);
	cj_xlsx_close(x);
	unlink(path);
}

/* Files written by openpyxl (tests/fixtures/xlsx/make_fixtures.py). */
static void
test_openpyxl_fixtures(void **state)
{
	cj_xlsx *x;

	(void)state;
	x = open_ok(FIXTURES "/openpyxl_1900.xlsx");
	expect_row(x, 1, 5, (const char *[]){"交易日期", "摘要", "收入金额", "余额", "身份证号"});
	expect_row(x, 2, 5, (const char *[]){"2025-03-05", "收到承包费", "1234.5", "100000",
					    "360925199001011234"});
	expect_row(x, 3, 5, (const char *[]){"2025-03-06", "", "0.1", "", "3.609251990010113e+17"});
	expect_row(x, 5, 2, (const char *[]){"", "TRUE"});
	expect_row(x, 7, 4, (const char *[]){"", "", "", "稀疏"});
	expect_row(x, 9, 6, (const char *[]){"", "", "", "", "", "10:30:15"});
	expect_row(x, 10, 1, (const char *[]){"2025-01-21"});
	expect_end(x);
	cj_xlsx_close(x);

	x = open_ok(FIXTURES "/openpyxl_1904.xlsx");
	expect_row(x, 1, 2, (const char *[]){"日期", "金额"});
	expect_row(x, 2, 2, (const char *[]){"2025-03-05", "88.8"});
	expect_row(x, 3, 2, (const char *[]){"1904-01-01", "-1"});
	expect_end(x);
	cj_xlsx_close(x);
}

/* ---- hostile files ---- */

static void
test_zip_bomb(void **state)
{
	/* 128 MiB of whitespace in a sheet deflates about 1000:1 */
	size_t big = (size_t)128 << 20;
	char *sheet = malloc(big);
	const char *head = "<worksheet " NS "><sheetData>";
	const char *p;

	(void)state;
	assert_non_null(sheet);
	memset(sheet, ' ', big);
	memcpy(sheet, head, strlen(head));
	memcpy(sheet + big - 24, "</sheetData></worksheet>", 24);
	{
		entry e[] = {
			{"_rels/.rels", root_rels, 0},
			{"xl/workbook.xml", book_1900, 0},
			{"xl/_rels/workbook.xml.rels", book_rels, 0},
			{"xl/sharedStrings.xml", sst, 0},
			{"xl/styles.xml", styles, 0},
			{"xl/worksheets/sheet1.xml", sheet, big},
		};
		p = make_zip(e, sizeof e / sizeof e[0]);
	}
	free(sheet);
	expect_read_error(p, "zip bomb");
}

static void
test_bomb_in_shared_strings(void **state)
{
	size_t big = (size_t)64 << 20;
	char *s = malloc(big);
	const char *p;

	(void)state;
	assert_non_null(s);
	memset(s, ' ', big);
	memcpy(s, "<sst>", 5);
	memcpy(s + big - 6, "</sst>", 6);
	{
		entry e[] = {
			{"_rels/.rels", root_rels, 0},
			{"xl/workbook.xml", book_1900, 0},
			{"xl/_rels/workbook.xml.rels", book_rels, 0},
			{"xl/sharedStrings.xml", s, big},
			{"xl/styles.xml", styles, 0},
			{"xl/worksheets/sheet1.xml", SHEET(""), 0},
		};
		p = make_zip(e, sizeof e / sizeof e[0]);
	}
	free(s);
	expect_open_error(p, "zip bomb");
	unlink(p);
}

static void
test_truncated_and_junk(void **state)
{
	const char *p = make_book(SHEET("<row r=\"1\"><c><v>1</v></c></row>"), NULL);
	FILE *f = fopen(p, "rb");
	char *buf = malloc(1 << 16), junk[64];
	size_t n;
	cj_xlsx *x;
	char err[400];

	(void)state;
	assert_non_null(f);
	n = fread(buf, 1, 1 << 16, f);
	fclose(f);
	/* cut in half: the central directory is gone */
	f = fopen(p, "wb");
	fwrite(buf, 1, n / 2, f);
	fclose(f);
	expect_open_error(p, "truncated");
	/* the same bytes in memory, cut anywhere: never a crash, always a message */
	for (size_t cut = 0; cut < n; cut += 7) {
		x = NULL;
		err[0] = '\0';
		if (cj_xlsx_open_buffer(&x, buf, cut, err, sizeof err) == 0) {
			const char *const *fl;
			size_t nf, r;
			while (cj_xlsx_next(x, &fl, &nf, &r, err, sizeof err) == 1)
				;
			cj_xlsx_close(x);
		} else {
			assert_true(err[0] != '\0');
		}
	}
	/* flip bytes in the middle: a CRC or inflate error, or a parse error */
	for (size_t at = 30; at < n; at += 13) {
		char saved = buf[at];
		buf[at] ^= 0x5A;
		x = NULL;
		if (cj_xlsx_open_buffer(&x, buf, n, err, sizeof err) == 0) {
			const char *const *fl;
			size_t nf, r;
			while (cj_xlsx_next(x, &fl, &nf, &r, err, sizeof err) == 1)
				;
			cj_xlsx_close(x);
		}
		buf[at] = saved;
	}
	free(buf);

	f = fopen(p, "wb");
	fputs("交易日期,金额\n2025-03-05,12.00\n", f);
	fclose(f);
	expect_open_error(p, "not an XLSX file (not a zip archive)");
	f = fopen(p, "wb");
	memcpy(junk, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
	memset(junk + 8, 0, sizeof junk - 8);
	fwrite(junk, 1, sizeof junk, f);
	fclose(f);
	expect_open_error(p, "old .xls");
	f = fopen(p, "wb");
	fclose(f);
	expect_open_error(p, "not a zip");
	f = fopen(p, "wb");
	fputs("PK\x03\x04 and then nothing of a zip", f);
	fclose(f);
	expect_open_error(p, "not a readable XLSX file");
	unlink(p);
	expect_open_error("/nonexistent/file.xlsx", "No such file");
}

static void
test_missing_parts(void **state)
{
	const char *p;

	(void)state;
	{
		entry e[] = {{"hello.txt", "not a workbook", 0}};
		p = make_zip(e, 1);
		expect_open_error(p, "_rels/.rels");
		unlink(p);
	}
	{
		entry e[] = {{"_rels/.rels", root_rels, 0}};
		p = make_zip(e, 1);
		expect_open_error(p, "xl/workbook.xml");
		unlink(p);
	}
	{
		/* the relationships name a styles part the zip lacks */
		entry e[] = {{"_rels/.rels", root_rels, 0},
			     {"xl/workbook.xml", book_1900, 0},
			     {"xl/_rels/workbook.xml.rels", book_rels, 0},
			     {"xl/worksheets/sheet1.xml", SHEET(""), 0}};
		p = make_zip(e, 4);
		expect_open_error(p, "the workbook has no part xl/styles.xml");
		unlink(p);
	}
	{
		entry e[] = {{"_rels/.rels", root_rels, 0},
			     {"xl/workbook.xml", book_1900, 0},
			     {"xl/_rels/workbook.xml.rels", book_rels, 0},
			     {"xl/sharedStrings.xml", sst, 0},
			     {"xl/styles.xml", styles, 0}};
		p = make_zip(e, 5);
		expect_open_error(p, "xl/worksheets/sheet1.xml");
		unlink(p);
	}
	{
		entry e[] = {{"_rels/.rels", root_rels, 0},
			     {"xl/workbook.xml", "<workbook " NS "><sheets/></workbook>", 0},
			     {"xl/_rels/workbook.xml.rels", book_rels, 0},
			     {"xl/sharedStrings.xml", sst, 0},
			     {"xl/styles.xml", styles, 0}};
		p = make_zip(e, 5);
		expect_open_error(p, "no worksheet");
		unlink(p);
	}
	{
		static const char escape[] =
			"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
			"<Relationship Id=\"rId1\" Type=\"" REL "worksheet\" Target=\"../../../etc/passwd\"/>"
			"</Relationships>";
		entry e[] = {{"_rels/.rels", root_rels, 0},
			     {"xl/workbook.xml", book_1900, 0},
			     {"xl/_rels/workbook.xml.rels", escape, 0}};
		p = make_zip(e, 3);
		expect_open_error(p, "not valid");
		unlink(p);
	}
}

static void
test_malformed_sheets(void **state)
{
	char *big;
	size_t n = (2u << 20) + 200;

	(void)state;
	expect_read_error(make_book("<worksheet><sheetData><row r=\"1\"><c><v>1</v></c></row><row r=\"2\">"
				    "<c><v>2</c></row></sheetData></worksheet>", NULL),
			  "not well-formed");
	expect_read_error(make_book(SHEET("<row r=\"1\"><c><v>1</v></c></row>"
					  "<row r=\"2\"><c><v>2</v></c></row>") "<unclosed>", NULL),
			  "not well-formed");
	expect_read_error(make_book(SHEET("<row r=\"1\"><c t=\"s\"><v>99</v></c></row>"), NULL),
			  "cell A1 refers to shared string 99");
	expect_read_error(make_book(SHEET("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>"), NULL),
			  "beyond column XFD");
	expect_read_error(make_book(SHEET("<row r=\"5\"><c><v>1</v></c></row><row r=\"3\"><c><v>1</v></c></row>"), NULL),
			  "row 3 comes after row 5");
	expect_read_error(make_book(SHEET("<row r=\"1\"><c r=\"C1\"><v>1</v></c><c r=\"B1\"><v>1</v></c></row>"), NULL),
			  "cell B1 is out of order");
	expect_read_error(make_book(SHEET("<row r=\"2000000\"><c><v>1</v></c></row>"), NULL),
			  "rows are 1 to 1048576");
	expect_read_error(make_book("<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>"
				    SHEET("<row r=\"1\"><c t=\"inlineStr\"><is><t>&lol2;</t></is></c></row>"), NULL),
			  "DOCTYPE");
	/* a cell over 1 MiB */
	big = malloc(n + 200);
	assert_non_null(big);
	strcpy(big, "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>");
	memset(big + strlen(big), 'x', n);
	strcpy(big + strlen("<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>") + n,
	       "</t></is></c></row></sheetData></worksheet>");
	expect_read_error(make_book(big, NULL), "cell A1 holds more than 1 MiB");
	free(big);
	/* a single tag over the token cap: expat would buffer all of it */
	n = 9u << 20;
	big = malloc(n + 200);
	assert_non_null(big);
	strcpy(big, "<worksheet><sheetData><row r=\"1\" x=\"");
	{
		/* letters that do not compress much, or the ratio check fires first */
		uint32_t seed = 12345;
		char *at = big + strlen(big);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			at[i] = (char)('a' + (seed >> 16) % 26);
		}
	}
	strcpy(big + strlen("<worksheet><sheetData><row r=\"1\" x=\"") + n, "\"/></sheetData></worksheet>");
	expect_read_error(make_book(big, NULL), "single XML token over 8 MiB");
	free(big);
	/* deep nesting */
	{
		char deep[4096] = "<worksheet>";
		for (int i = 0; i < 100; i++)
			strcat(deep, "<a>");
		for (int i = 0; i < 100; i++)
			strcat(deep, "</a>");
		strcat(deep, "</worksheet>");
		expect_read_error(make_book(deep, NULL), "more than 64 deep");
	}
}

/* A big sheet streams: rows counted, memory bounded (one row at a time). */
static void
test_many_rows_stream(void **state)
{
	size_t rows = 100000, cap = rows * 80 + 200, len = 0;
	char *sheet = malloc(cap);
	const char *p;
	cj_xlsx *x;
	const char *const *f;
	size_t nf, r, seen = 0;
	char err[400];
	int rc;

	(void)state;
	assert_non_null(sheet);
	len += (size_t)snprintf(sheet + len, cap - len, "<worksheet><sheetData>");
	for (size_t i = 1; i <= rows; i++)
		len += (size_t)snprintf(sheet + len, cap - len,
					"<row r=\"%zu\"><c><v>%zu</v></c><c t=\"s\"><v>0</v></c></row>", i, i * 3);
	len += (size_t)snprintf(sheet + len, cap - len, "</sheetData></worksheet>");
	{
		entry e[] = {
			{"_rels/.rels", root_rels, 0},
			{"xl/workbook.xml", book_1900, 0},
			{"xl/_rels/workbook.xml.rels", book_rels, 0},
			{"xl/sharedStrings.xml", sst, 0},
			{"xl/styles.xml", styles, 0},
			{"xl/worksheets/sheet1.xml", sheet, len},
		};
		p = make_zip(e, sizeof e / sizeof e[0]);
	}
	x = open_ok(p);
	while ((rc = cj_xlsx_next(x, &f, &nf, &r, err, sizeof err)) == 1) {
		char want[32];
		seen++;
		snprintf(want, sizeof want, "%zu", seen * 3);
		assert_int_equal(r, seen);
		assert_int_equal(nf, 2);
		assert_string_equal(f[0], want);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(seen, rows);
	cj_xlsx_close(x);
	free(sheet);
	unlink(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_strings_numbers_booleans),
		cmocka_unit_test(test_inline_strings),
		cmocka_unit_test(test_dates_1900),
		cmocka_unit_test(test_dates_1904),
		cmocka_unit_test(test_sparse_rows_and_cells),
		cmocka_unit_test(test_first_worksheet_by_workbook_order),
		cmocka_unit_test(test_libxlsxwriter_file),
		cmocka_unit_test(test_openpyxl_fixtures),
		cmocka_unit_test(test_zip_bomb),
		cmocka_unit_test(test_bomb_in_shared_strings),
		cmocka_unit_test(test_truncated_and_junk),
		cmocka_unit_test(test_missing_parts),
		cmocka_unit_test(test_malformed_sheets),
		cmocka_unit_test(test_many_rows_stream),
	};

	return cmocka_run_group_tests_name("xlsx", tests, NULL, NULL);
}
