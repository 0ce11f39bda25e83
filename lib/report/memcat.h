/*
 * memcat.h - the one list of the categories USED is split into: meminfo.h's
 * enum ms_mi_cat, then what no counter accounts for.  Each has its name in a
 * snapshot, in memdiff's report and in meminfo's summary, and the meminfo
 * lines it comes from.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_MEMCAT_H
#define MEMSCOPE_MEMCAT_H

#include "meminfo.h"

/* USED - the sum of the categories: not a counter, but a category of a snapshot. */
#define MS_MEMCAT_UNACCOUNTED	MS_CAT_NR
#define MS_MEMCAT_NR		(MS_CAT_NR + 1)

struct ms_memcat {
	const char *key;	/* snapshot used.categories key: "kernel_stack" */
	const char *label;	/* memdiff's row: "Kernel stacks" */
	const char *summary;	/* meminfo's summary row: "kernel stacks" */
	const char *source;	/* the meminfo lines it is computed from: "KernelStack" */
};

/* Indexed by enum ms_mi_cat, MS_MEMCAT_UNACCOUNTED last: the report order. */
extern const struct ms_memcat ms_memcat[MS_MEMCAT_NR];

/* The category of a snapshot key, or NULL. */
const struct ms_memcat *ms_memcat_by_key(const char *key);

#endif
