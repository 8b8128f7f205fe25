/*
 * grow.h - the one way the libraries grow an array
 *
 * Inline, so that a fuzz target compiling one reader on its own needs
 * nothing else.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef CUNJI_LEDGER_GROW_H
#define CUNJI_LEDGER_GROW_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <ledger/error.h>

/**
 * Make room for need items of elem bytes in the array *array of *cap items
 * (a pointer to the array's pointer, cast to void **; NULL and 0 at first):
 * *cap doubles, from 16, until need fits, with one realloc.  0, or
 * CJ_ENOMEM when out of memory or the size would overflow: the array is
 * then as it was, still the caller's to free.
 */
CJ_MUST_CHECK static inline int
cj_grow(void **array, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return CJ_ENOMEM;
		n *= 2;
	}
	if (elem && n > SIZE_MAX / elem)
		return CJ_ENOMEM;
	p = realloc(*array, n * elem);
	if (!p)
		return CJ_ENOMEM;
	*array = p;
	*cap = n;
	return 0;
}

#endif
