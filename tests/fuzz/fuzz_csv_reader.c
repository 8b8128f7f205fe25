/*
 * fuzz_csv_reader.c - libFuzzer: any bytes through the CSV reader, with both
 * delimiters and small limits; every record must be well formed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <importers/csv.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[2] = {',', '\t'};

	for (int d = 0; d < 2; d++) {
		cj_csv c;
		int rc;

		cj_csv_init(&c, (const char *)data, size, delims[d]);
		c.max_field = 4096;
		c.max_fields = 64;
		while ((rc = cj_csv_next(&c)) == 1) {
			if (c.nfields < 1 || c.nfields > 64)
				abort();
			for (size_t i = 0; i < c.nfields; i++) {
				const char *f = cj_csv_field(&c, i);
				if (f < c.buf || f >= c.buf + c.buflen || strlen(f) > 4096)
					abort();
			}
		}
		if (rc == -1 && !c.err[0])
			abort(); /* every failure says why */
		cj_csv_dispose(&c);
	}
	return 0;
}
