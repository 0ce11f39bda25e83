/*
 * oomreport_print.h - the log's OOM events and allocation failures with
 * what the dump shows now (oomreplay.h), as text and as JSON.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_OOMREPORT_PRINT_H
#define MEMSCOPE_OOMREPORT_PRINT_H

#include <jansson.h>
#include <stdio.h>

#include "oomreplay.h"

struct ms_oomrep_print_opts {
	bool pages;		/* sizes in pages instead of K/M/G */
	bool all;		/* every row of a logged tasks table (default: the top 10) */
};

void ms_oomrep_print(FILE *out, const struct ms_oomrep *r, const struct ms_oomrep_print_opts *o);
json_t *ms_oomrep_json(const struct ms_oomrep *r);

#endif
