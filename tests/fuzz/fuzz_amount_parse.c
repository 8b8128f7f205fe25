/*
 * fuzz_amount_parse.c - libFuzzer: any text as an amount in 元 and in 万元,
 * and as a column header.  An amount in 万元 is the same text in 元 times
 * 10,000 whenever the 元 reading exists; nothing crashes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <importers/amount.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), name[64];
	cj_money yuan, wan;
	cj_amount_unit unit;
	int ry, rw;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	ry = cj_amount_parse(&yuan, text, CJ_UNIT_YUAN);
	rw = cj_amount_parse(&wan, text, CJ_UNIT_WAN);
	if (ry == 0 && yuan.fen > -922337203685477 && yuan.fen < 922337203685477 &&
	    (rw != 0 || wan.fen != yuan.fen * 10000))
		abort();
	if (rw == 0 && ry == 0 && wan.fen != yuan.fen * 10000)
		abort();
	if (cj_header_split(text, name, sizeof name, &unit) == 0 && unit != CJ_UNIT_YUAN &&
	    unit != CJ_UNIT_WAN)
		abort();
	if (strlen(name) >= sizeof name)
		abort();
	free(text);
	return 0;
}
