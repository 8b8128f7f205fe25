/*
 * fuzz_bank_rules.c - libFuzzer: any bytes as a bank rules file.  Parsing
 * either succeeds with rules that all have an account, or fails with every
 * error naming its line; then every rule is matched against rows cut from
 * the same input and a summary is rendered into a small buffer, which must
 * stay NUL-terminated and within its size.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <importers/bank_rules.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cj_bank_rules *r = NULL;
	int rc = cj_bank_rules_parse(&r, (const char *)data, size);

	if (rc == -1) {
		if (cj_bank_rules_nerrors(r) == 0)
			abort();
		for (size_t i = 0; i < cj_bank_rules_nerrors(r); i++)
			if (strncmp(cj_bank_rules_error(r, i), "line ", 5))
				abort();
	} else if (rc == 0) {
		char text[256], summary[24];
		size_t n = size < sizeof text - 1 ? size : sizeof text - 1;

		if (cj_bank_rules_count(r) == 0)
			abort();
		for (size_t i = 0; i < cj_bank_rules_count(r); i++)
			if (!cj_bank_rules_at(r, i)->account)
				abort();
		/* rows made of the input itself: the memo is its first bytes, cut at a NUL */
		memcpy(text, data, n);
		text[n] = '\0';
		for (int d = 0; d < 3; d++) {
			cj_bank_row row = {"2025-01-01", "1.00", text + n / 2, text, (cj_bank_direction)d};
			const cj_bank_rule *m = cj_bank_rules_match(r, &row);
			for (size_t i = 0; i <= cj_bank_rules_count(r) && i < 8; i++) {
				const cj_bank_rule *rule = i < cj_bank_rules_count(r) ? cj_bank_rules_at(r, i) : m;
				memset(summary, 'x', sizeof summary);
				cj_bank_summary(rule, &row, summary, sizeof summary);
				if (!memchr(summary, '\0', sizeof summary))
					abort();
			}
		}
	}
	cj_bank_rules_free(r);
	return 0;
}
