/*
 * fuzz_amount_parse.c - libFuzzer: any text as an amount in 元 and in 万元,
 * and as a column header.  An amount in 万元 is the same text in 元 times
 * 10,000 whenever the text is exactly an amount in 元 (no unit in the cell,
 * no double's noise); noise moves an amount by a fen at most; nothing crashes.
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
	cj_money yuan, wan, strict;
	cj_amount_unit unit;
	int ry, rw;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	ry = cj_amount_parse(&yuan, text, CJ_UNIT_YUAN);
	rw = cj_amount_parse(&wan, text, CJ_UNIT_WAN);
	/* text that is exactly an amount in 元 (no unit in the cell, no
	 * double's noise) is 10,000 times as much in 万元 */
	if (cj_money_parse(&strict, text) == 0) {
		if (ry != 0 || strict.fen != yuan.fen)
			abort();
		if (yuan.fen > -922337203685477 && yuan.fen < 922337203685477 &&
		    (rw != 0 || wan.fen != yuan.fen * 10000))
			abort();
	}
	/* a double's noise moves an amount by at most one fen */
	if (ry == 0 && rw == 0 && yuan.fen > -922337203685477 && yuan.fen < 922337203685477 &&
	    !strstr(text, "\xE5\x85\x83") && !strstr(text, "\xE4\xB8\x87") &&
	    (wan.fen - yuan.fen * 10000 > 10000 || yuan.fen * 10000 - wan.fen > 10000))
		abort();
	if (cj_header_split(text, name, sizeof name, &unit) == 0 && unit != CJ_UNIT_YUAN &&
	    unit != CJ_UNIT_WAN)
		abort();
	if (strlen(name) >= sizeof name)
		abort();
	free(text);
	return 0;
}
