/*
 * meminfo_print.h - meminfo in /proc/meminfo's and nodeN/meminfo's own
 * layouts, the summary of where USED memory is, and JSON.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_MEMINFO_PRINT_H
#define MEMSCOPE_MEMINFO_PRINT_H

#include <jansson.h>
#include <stdio.h>

#include "meminfo.h"
#include "uncounted.h"

void ms_meminfo_print_proc(FILE *out, const struct ms_meminfo *mi);
void ms_meminfo_print_summary(FILE *out, const struct ms_meminfo *mi, unsigned int page_shift,
			      bool pages);
json_t *ms_meminfo_json(const struct ms_meminfo *mi, unsigned int page_shift);
/* The same with the consumers outside the counters (u may be NULL): rows
 * under "no counter accounts for", and the summary's "uncounted" key. */
void ms_meminfo_print_summary_u(FILE *out, const struct ms_meminfo *mi,
				const struct ms_uncounted *u, unsigned int page_shift, bool pages);
json_t *ms_meminfo_json_u(const struct ms_meminfo *mi, const struct ms_uncounted *u,
			  unsigned int page_shift);

#endif
