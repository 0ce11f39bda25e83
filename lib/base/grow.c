/*
 * grow.c - grow-by-doubling arrays.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>

void *ms_grow(void *v, size_t *cap, size_t nr, size_t elem, size_t first)
{
	size_t n;

	if (nr < *cap)
		return v;
	n = *cap ? *cap : (first ? first : 1);
	if (*cap) {
		if (n > SIZE_MAX / 2)
			return NULL;
		n *= 2;
	}
	if (n <= nr)
		n = nr + 1;
	if (!elem || n > SIZE_MAX / elem)
		return NULL;
	v = realloc(v, n * elem);
	if (v)
		*cap = n;
	return v;
}
