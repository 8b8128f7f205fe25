/*
 * fuzz_xlsx_reader.c - libFuzzer: the XLSX reader on hostile workbooks.
 *
 * Two kinds of input.  One that starts with "PK" is a zip as it is (so the
 * zip layer itself is fuzzed).  Anything else is the XML of the parts, cut at
 * "\n#part\n" (worksheet, shared strings, styles, workbook), which is put
 * into a zip of stored entries (written here by hand) before reading:
 * deflated bytes hide the XML from the mutator, so this is how the parsers
 * get exercised.
 *
 * Every row must be well formed (row numbers increasing, fields counted and
 * NUL-terminated, none over 1 MiB) and every failure must say why.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static uint32_t crc_table[256];

static uint32_t
crc32(const char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;

	if (!crc_table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t k = i;
			for (int j = 0; j < 8; j++)
				k = k & 1 ? 0xEDB88320u ^ (k >> 1) : k >> 1;
			crc_table[i] = k;
		}
	for (size_t i = 0; i < n; i++)
		c = crc_table[(c ^ (unsigned char)p[i]) & 0xFF] ^ (c >> 8);
	return c ^ 0xFFFFFFFFu;
}

static unsigned char *
put16(unsigned char *o, unsigned v)
{
	o[0] = (unsigned char)v;
	o[1] = (unsigned char)(v >> 8);
	return o + 2;
}

static unsigned char *
put32(unsigned char *o, uint32_t v)
{
	o = put16(o, v & 0xFFFF);
	return put16(o, v >> 16);
}

/*
 * A zip of stored (uncompressed) entries, written by hand: local headers and
 * data, the central directory, its end record.  Much faster than asking
 * libzip to write one, which matters at thousands of runs a second.
 */
static void *
build_zip(const char *const *names, const char *const *parts, const size_t *lens, size_t n,
	  size_t *outlen)
{
	size_t total = 22, at = 0;
	uint32_t offsets[8], crcs[8];
	unsigned char *buf, *o;

	for (size_t i = 0; i < n; i++)
		total += 30 + 46 + 2 * strlen(names[i]) + lens[i];
	buf = malloc(total);
	if (!buf)
		return NULL;
	o = buf;
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(names[i]);
		offsets[i] = (uint32_t)(o - buf);
		crcs[i] = crc32(parts[i], lens[i]);
		o = put32(o, 0x04034b50);
		o = put16(o, 20);
		o = put16(o, 0);
		o = put16(o, 0); /* stored */
		o = put32(o, 0);
		o = put32(o, crcs[i]);
		o = put32(o, (uint32_t)lens[i]);
		o = put32(o, (uint32_t)lens[i]);
		o = put16(o, (unsigned)nl);
		o = put16(o, 0);
		memcpy(o, names[i], nl);
		o += nl;
		memcpy(o, parts[i], lens[i]);
		o += lens[i];
	}
	at = (size_t)(o - buf);
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(names[i]);
		o = put32(o, 0x02014b50);
		o = put16(o, 20);
		o = put16(o, 20);
		o = put16(o, 0);
		o = put16(o, 0);
		o = put32(o, 0);
		o = put32(o, crcs[i]);
		o = put32(o, (uint32_t)lens[i]);
		o = put32(o, (uint32_t)lens[i]);
		o = put16(o, (unsigned)nl);
		o = put16(o, 0);
		o = put16(o, 0);
		o = put16(o, 0);
		o = put16(o, 0);
		o = put32(o, 0);
		o = put32(o, offsets[i]);
		memcpy(o, names[i], nl);
		o += nl;
	}
	{
		size_t cd = (size_t)(o - buf) - at;
		o = put32(o, 0x06054b50);
		o = put16(o, 0);
		o = put16(o, 0);
		o = put16(o, (unsigned)n);
		o = put16(o, (unsigned)n);
		o = put32(o, (uint32_t)cd);
		o = put32(o, (uint32_t)at);
		o = put16(o, 0);
	}
	*outlen = (size_t)(o - buf);
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
