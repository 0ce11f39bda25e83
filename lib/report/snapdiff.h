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

#include "error.h"

/* Compare two validated snapshots into *diff (a new reference): NULL, or
 * MS_ERR_UNSUPPORTED when they are not dumps of the same kernel build
 * (refused), MS_ERR_NOMEM; *diff is NULL then.  Warnings (another machine,
 * another MemTotal) are kept in the report's "warnings". */
struct ms_error *ms_snapdiff(json_t *before, json_t *after, json_t **diff);

/* The report as text: kB shown in human units, or in pages when pages is set. */
void ms_snapdiff_print(FILE *out, json_t *diff, bool pages);

#endif
