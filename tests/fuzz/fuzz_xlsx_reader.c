/*
 * fuzz_xlsx_reader.c - libFuzzer: the XLSX reader on hostile workbooks.
 *
 * Two kinds of input.  One that starts with "PK" is a zip as it is (so the
 * zip layer itself is fuzzed).  Anything else is the XML of the parts, cut at
 * "\n#part\n" (worksheet, shared strings, styles, workbook), which is put
 * into a fresh zip with stored entries before reading: deflated bytes hide
 * the XML from the mutator, so this is how the parsers get exercised.
 *
 * Every row must be well formed (row numbers increasing, fields counted and
 * NUL-terminated, none over 1 MiB) and every failure must say why.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include <importers/xlsx.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char root_rels[] =
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char book_rels[] =
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/styles\" Target=\"styles.xml\"/></Relationships>";
static const char default_book[] =
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	"<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";

/* A zip of stored entries in memory; NULL when libzip refuses. */
static void *
build_zip(const char *const *names, const char *const *parts, const size_t *lens, size_t n,
	  size_t *outlen)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	zip_stat_t st;
	void *buf = NULL;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (!src)
		return NULL;
	zip_source_keep(src);
	z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (!z) {
		zip_source_free(src);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		zip_source_t *s = zip_source_buffer(z, parts[i], lens[i], 0);
		zip_int64_t idx = s ? zip_file_add(z, names[i], s, 0) : -1;
		if (idx < 0) {
			zip_source_free(s);
			continue;
		}
		zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
	}
	if (zip_close(z) < 0) {
		zip_discard(z);
		zip_source_free(src);
		return NULL;
	}
	if (zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0) {
		buf = malloc(st.size ? st.size : 1);
		if (buf && zip_source_read(src, buf, st.size) != (zip_int64_t)st.size) {
			free(buf);
			buf = NULL;
		}
		*outlen = st.size;
		zip_source_close(src);
	}
	zip_source_free(src);
	zip_error_fini(&ze);
	return buf;
}

static void
read_all(const void *zip, size_t len)
{
	cj_xlsx *x = NULL;
	char err[400];
	const char *const *f;
	size_t nf, row, last = 0;
	int rc;

	err[0] = '\0';
	if (cj_xlsx_open_buffer(&x, zip, len, err, sizeof err)) {
		if (!err[0] || x)
			abort();
		return;
	}
	while ((rc = cj_xlsx_next(x, &f, &nf, &row, err, sizeof err)) == 1) {
		int any = 0;
		if (row <= last || row > 1048576 || nf < 1 || nf > 16384)
			abort();
		last = row;
		for (size_t i = 0; i < nf; i++) {
			size_t n = strlen(f[i]);
			if (n > (1u << 20))
				abort();
			any |= n > 0;
		}
		if (!any || !f[nf - 1][0])
			abort(); /* empty rows and trailing empty cells are never reported */
	}
	if (rc == -1 && !err[0])
		abort();
	cj_xlsx_close(x);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n#part\n";
	const char *names[6] = {"_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml",
				"xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml"};
	const char *parts[6] = {root_rels, book_rels, "", "<sst/>", "<styleSheet/>", default_book};
	size_t lens[6], zlen = 0;
	const char *p = (const char *)data, *end = p + size;
	void *zip;

	if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
		read_all(data, size);
		return 0;
	}
	for (int i = 0; i < 6; i++)
		lens[i] = strlen(parts[i]);
	/* the parts given replace the defaults, in order from the worksheet */
	for (int i = 2; i < 6 && p <= end; i++) {
		const char *cut = NULL;
		for (const char *q = p; q + sizeof sep - 1 <= end; q++)
			if (!memcmp(q, sep, sizeof sep - 1)) {
				cut = q;
				break;
			}
		parts[i] = p;
		lens[i] = (size_t)((cut ? cut : end) - p);
		if (!cut)
			break;
		p = cut + sizeof sep - 1;
	}
	zip = build_zip(names, parts, lens, 6, &zlen);
	if (zip)
		read_all(zip, zlen);
	free(zip);
	return 0;
}
