/*
 * amount_words.c - amounts in Chinese capital figures (大写金额) per the banking rules
 *
 * The rules of 《支付结算办法》附件一《正确填写票据和结算凭证的基本规定》
 * (quoted in tests/unit/test_amount_words.c), written as its examples are:
 *  - digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿, then 元角分;
 *  - 整 after 元 when there are no 角 and 分; none after 角 (the rules allow
 *    it to be left out and their examples do): 1409.50 -> 壹仟肆佰零玖元伍角;
 *  - zeros between figures are one 零 however many there are:
 *    6007.14 -> 陆仟零柒元壹角肆分; a zero 千 digit after 万 or 亿 gives 零
 *    too: 10000100 -> 壹仟万零壹佰元整, but a zero 万 digit before a figure
 *    does not (壹拾万柒仟, 壹拾万壹仟);
 *  - 零 after 元 when the 元 digit is zero and 角 is not: the rules allow
 *    one 零 or none for 1680.32, and require exactly one for 107000.53
 *    (after 万 or after 元); we write the first form of both examples:
 *    壹仟陆佰捌拾元零叁角贰分, 壹拾万柒仟元零伍角叁分;
 *  - 零 after 元 when 角 is zero and 分 is not: 325.04 -> 叁佰贰拾伍元零肆分;
 *  - the leading 壹 of 拾 is kept (壹拾元整, 壹拾万元整, as on bank forms);
 *  - amounts under one yuan start with the 角 or 分 figure: 壹角, 伍分;
 *  - zero is 零元整; a negative amount is prefixed 负.
 * Integer arithmetic only; the magnitude is taken as unsigned so that
 * INT64_MIN works.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <string.h>

#include <reports/amount_words.h>

static const char *const digit[10] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};

typedef struct out {
	char *buf;
	size_t size, len;
	int overflow;
} out;

static void
put(out *o, const char *s)
{
	size_t n = strlen(s);

	if (o->len + n + 1 > o->size) {
		o->overflow = 1;
		return;
	}
	memcpy(o->buf + o->len, s, n + 1);
	o->len += n;
}

/* 1..9999 with 仟佰拾 units; one 零 for any run of zeros between figures. */
static void
group4(out *o, unsigned n)
{
	static const char *const unit[4] = {"仟", "佰", "拾", ""};
	unsigned d[4] = {n / 1000, n / 100 % 10, n / 10 % 10, n % 10};
	int started = 0, zero = 0;

	for (int i = 0; i < 4; i++) {
		if (!d[i]) {
			zero = started;
			continue;
		}
		if (zero)
			put(o, "零");
		put(o, digit[d[i]]);
		put(o, unit[i]);
		started = 1;
		zero = 0;
	}
}

/* n > 0: 亿 and 万 split recursively, so 1e12 reads 壹万亿. */
static void
whole(out *o, uint64_t n)
{
	if (n >= 100000000u) {
		uint64_t lo = n % 100000000u;

		whole(o, n / 100000000u);
		put(o, "亿");
		if (lo) {
			if (lo < 10000000u)
				put(o, "零");
			whole(o, lo);
		}
	} else if (n >= 10000u) {
		unsigned lo = (unsigned)(n % 10000u);

		group4(o, (unsigned)(n / 10000u));
		put(o, "万");
		if (lo) {
			if (lo < 1000u)
				put(o, "零");
			group4(o, lo);
		}
	} else {
		group4(o, (unsigned)n);
	}
}

int
cj_amount_words(char *buf, size_t size, int64_t fen)
{
	uint64_t mag = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	uint64_t yuan = mag / 100;
	unsigned jiao = (unsigned)(mag / 10 % 10), f = (unsigned)(mag % 10);
	out o = {buf, size, 0, 0};

	if (!buf || !size)
		return -1;
	buf[0] = '\0';
	if (fen < 0)
		put(&o, "负");
	if (!mag) {
		put(&o, "零元整");
	} else if (yuan) {
		whole(&o, yuan);
		put(&o, "元");
		if (!jiao && !f)
			put(&o, "整");
		else if (!jiao || yuan % 10 == 0)
			put(&o, "零"); /* a zero 角, or a zero 元 digit before the 角 */
	}
	if (jiao) {
		put(&o, digit[jiao]);
		put(&o, "角");
	}
	if (f) {
		put(&o, digit[f]);
		put(&o, "分");
	}
	if (o.overflow) {
		buf[0] = '\0';
		return -1;
	}
	return (int)o.len;
}

int
cj_report_note_amount_words(cj_report *r, const char *label, int64_t fen)
{
	char words[CJ_AMOUNT_WORDS_MAX];

	if (cj_amount_words(words, sizeof words, fen) < 0)
		return -1;
	return cj_report_note(r, "%s（大写）：%s", label, words);
}
