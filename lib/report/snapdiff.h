/*
 * snapdiff.h - where USED grew between two snapshots of the same machine.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_SNAPDIFF_H
#define MEMSCOPE_SNAPDIFF_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

/* Compare two validated snapshots.  NULL with a message in err when they are
 * not dumps of the same kernel build (refused); warnings (another machine,
 * another MemTotal) are kept in the report's "warnings". */
json_t *ms_snapdiff(json_t *before, json_t *after, char *err, size_t errlen);

/* The report as text: kB shown in human units, or in pages when pages is set. */
void ms_snapdiff_print(FILE *out, json_t *diff, bool pages);

#endif
