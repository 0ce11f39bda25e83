/*
 * buddy_print.h - the free areas as /proc/buddyinfo prints them, and as JSON.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_BUDDY_PRINT_H
#define MEMSCOPE_BUDDY_PRINT_H

#include <jansson.h>
#include <stdio.h>

#include "buddy.h"

/* /proc/buddyinfo's layout (mm/vmstat.c frag_show_print). */
void ms_buddy_print_proc(FILE *out, const struct ms_buddy *b);
json_t *ms_buddy_json(const struct ms_buddy *b, uint64_t page_size);

#endif
