/*
 * alloccheck_print.h - the allocation check zone by zone, in the terms of
 * __zone_watermark_ok(), and as JSON.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_ALLOCCHECK_PRINT_H
#define MEMSCOPE_ALLOCCHECK_PRINT_H

#include <jansson.h>
#include <stdio.h>

#include "alloccheck.h"

void ms_alloc_check_print(FILE *out, const struct ms_alloc_check *c);
json_t *ms_alloc_check_json(const struct ms_alloc_check *c);

#endif
