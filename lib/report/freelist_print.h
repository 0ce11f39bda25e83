/*
 * freelist_print.h - the free lists and pageblocks as /proc/pagetypeinfo
 * prints them, as JSON, and checked against free_area[].nr_free.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_FREELIST_PRINT_H
#define MEMSCOPE_FREELIST_PRINT_H

#include <jansson.h>
#include <stdio.h>

#include "freelist.h"

/* /proc/pagetypeinfo (mm/vmstat.c pagetypeinfo_show): free lists and pageblocks. */
void ms_freelists_print_proc(FILE *out, const struct ms_buddy *b, const struct ms_freelists *f);
json_t *ms_freelists_json(const struct ms_buddy *b, const struct ms_freelists *f);

/* Lists against nr_free: prints one line per zone and each problem; returns the problems. */
unsigned long ms_freelists_verify_print(FILE *out, const struct ms_buddy *b,
					const struct ms_freelists *f);
json_t *ms_freelists_verify_json(const struct ms_buddy *b, const struct ms_freelists *f);

#endif
