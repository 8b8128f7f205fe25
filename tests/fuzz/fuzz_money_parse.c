/*
 * fuzz_money_parse.c - libFuzzer: any text into cj_money_parse; what parses
 * must format and parse back to the same fen.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ledger/money.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	char buf[CJ_MONEY_FMT_MAX];
	cj_money m, back;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (cj_money_parse(&m, text) == 0) {
		for (unsigned flags = 0; flags < 2; flags++) {
			if (cj_money_format(buf, sizeof buf, m, flags) < 0 ||
			    cj_money_parse(&back, buf) != 0 || back.fen != m.fen)
				abort();
		}
	}
	free(text);
	return 0;
}
