/*
 * grow.h - the one grow-by-doubling append of lib/: the walks collect an
 * unknown number of records (tasks, pipes, vmap areas, caches) into arrays
 * that double, so n appends cost O(n) copies.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_GROW_H
#define MEMSCOPE_GROW_H

#include <stddef.h>

/*
 * Room for element nr of size elem in v, which has *cap of them allocated:
 * v itself while nr < *cap; else v reallocated to twice *cap (first if *cap
 * is 0) and *cap updated; NULL if that cannot be allocated or would overflow,
 * v then still valid and *cap unchanged.  The caller stores the result:
 *
 *	struct ms_task *v = ms_grow(ts->v, &cap, ts->nr, sizeof(*v), 256);
 *	if (!v)
 *		return &ms_error_nomem;
 *	ts->v = v;
 */
void *ms_grow(void *v, size_t *cap, size_t nr, size_t elem, size_t first);

#endif
