/*
 * oom_print.h - the OOM table and its JSON form (oom_print.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_OOM_PRINT_H
#define MEMSCOPE_OOM_PRINT_H

#include <jansson.h>
#include <stdio.h>

#include "oom.h"

struct ms_oom_print_opts {
	bool pages;		/* counters in pages instead of human units */
	bool all;		/* list kernel threads among the skipped tasks */
};

void ms_oom_print(FILE *out, const struct ms_oom *o, const struct ms_oom_print_opts *opts);
json_t *ms_oom_json(const struct ms_oom *o);

#endif
