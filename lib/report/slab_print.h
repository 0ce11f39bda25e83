/*
 * slab_print.h - the slab caches as /proc/slabinfo, as a table and as JSON (slab_print.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_SLAB_PRINT_H
#define MEMSCOPE_SLAB_PRINT_H

#include <jansson.h>
#include <stdio.h>

#include "slab.h"

/* /proc/slabinfo's exact layout, header included. */
void ms_slab_print_proc(FILE *out, const struct ms_slab *s);
/* The top caches by memory (all if top is 0), with totals against meminfo's Slab. */
void ms_slab_print_top(FILE *out, const struct ms_slab *s, unsigned int page_shift,
		       unsigned int top);
json_t *ms_slab_json(const struct ms_slab *s, unsigned int page_shift);

#endif
