/*
 * fragindex_print.h - the fragmentation indexes as the debugfs files print
 * them (mm/vmstat.c unusable_show_print / extfrag_show_print), and as JSON.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_FRAGINDEX_PRINT_H
#define MEMSCOPE_FRAGINDEX_PRINT_H

#include <jansson.h>
#include <stdio.h>

#include "fragindex.h"

/* The debugfs file's layout: one line per populated zone, "?" where nr_free is unreadable. */
void ms_frag_print(FILE *out, const struct ms_buddy *b, enum ms_frag_kind kind);
/* {"zones": [{node, zone, index: [thousandths per order], text: ["0.123", ...]}]} */
json_t *ms_frag_json(const struct ms_buddy *b, enum ms_frag_kind kind);

#endif
