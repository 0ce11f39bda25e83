/*
 * zoneinfo_print.h - nodes and zones as /proc/zoneinfo prints them, as a
 * table, and as JSON.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_ZONEINFO_PRINT_H
#define MEMSCOPE_ZONEINFO_PRINT_H

#include <jansson.h>
#include <stdio.h>

#include "zone.h"

struct ms_zi_print_opts {
	bool atomic_only;		/* counters without the per-cpu deltas */
	bool pages;			/* table in pages rather than KiB/MiB */
	bool all;			/* table: unpopulated zones too */
};

void ms_zoneinfo_print_proc(FILE *out, const struct ms_zoneinfo *zi,
			    const struct ms_zi_print_opts *o);
void ms_zoneinfo_print_table(FILE *out, const struct ms_zoneinfo *zi, unsigned int page_shift,
			     const struct ms_zi_print_opts *o);
json_t *ms_zoneinfo_json(const struct ms_zoneinfo *zi, uint64_t page_size,
			 const struct ms_zi_print_opts *o);

/* "812K", "150.0M", "1.2G" from pages (the table's human units). */
char *ms_zi_fmt_pages(char *buf, size_t len, uint64_t pages, unsigned int page_shift);

#endif
