/*
 * fuzz_csv_stream.c - libFuzzer: the CSV reader fed in windows (as
 * importers/sheet.c feeds it) must give exactly the records it gives on the
 * whole buffer, for any bytes and any window size; and the streaming
 * encoding probe must decide as cj_to_utf8 does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <importers/csv.h>
#include <importers/encoding.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
compare(const char *text, size_t len, size_t w, char delim)
{
	cj_csv whole, part;
	char *win = malloc(len + w + 1);
	size_t fed, have;
	int rc, r = 0;

	if (!win)
		return;
	cj_csv_init(&whole, text, len, delim);
	whole.max_field = part.max_field = 4096;
	have = fed = w < len ? w : len;
	memcpy(win, text, have);
	cj_csv_init(&part, win, have, delim);
	part.max_field = 4096;
	part.more = fed < len;
	for (;;) {
		rc = cj_csv_next(&whole);
		while ((r = cj_csv_next(&part)) == CJ_CSV_MORE) {
			size_t keep = have - cj_csv_consumed(&part);
			size_t add = len - fed < w ? len - fed : w;
			memmove(win, win + have - keep, keep);
			memcpy(win + keep, text + fed, add);
			fed += add;
			have = keep + add;
			cj_csv_refill(&part, win, have, fed < len);
		}
		if (rc != r)
			abort();
		if (rc != 1)
			break;
		if (part.line != whole.line || part.nfields != whole.nfields)
			abort();
		for (size_t i = 0; i < whole.nfields; i++)
			if (strcmp(cj_csv_field(&part, i), cj_csv_field(&whole, i)))
				abort();
	}
	cj_csv_dispose(&whole);
	cj_csv_dispose(&part);
	free(win);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	cj_encoding_probe p;
	unsigned long long bad = 0;
	const char *got, *want = NULL;
	char *out = NULL;
	size_t outlen = 0, w;
	int rc;

	if (size < 1)
		return 0;
	/* the first byte picks the window size and the delimiter */
	w = 1 + (data[0] & 0x3F);
	compare(text + 1, size - 1, w, (data[0] & 0x40) ? '\t' : ',');

	cj_encoding_probe_init(&p);
	for (size_t i = 1; i < size; i += w)
		cj_encoding_probe_feed(&p, text + i, size - i < w ? size - i : w);
	got = cj_encoding_probe_result(&p, &bad);
	rc = cj_to_utf8(text + 1, size - 1, &out, &outlen, &want);
	free(out);
	if (rc == 0 && (!got || strcmp(got, want)))
		abort();
	if (rc == CJ_EINVAL && got && strcmp(got, CJ_ENCODING_GB18030))
		abort();
	return 0;
}
