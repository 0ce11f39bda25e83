/*
 * vmstat.h - the kernel's zone and node counters (mm/vmstat.c), exact:
 * the atomic value plus every online CPU's not yet folded vm_stat_diff, and
 * the zones' NUMA events.  vmstat.c is the one owner of the per-cpu counter
 * structures (per_cpu_zonestat, per_cpu_nodestat and the old per_cpu_pageset's
 * counters); it finds them through zone.c's and kernel.c's layouts.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_VMSTAT_H
#define MEMSCOPE_VMSTAT_H

#include <stdbool.h>
#include "target.h"

#define MS_MAX_STAT_ITEMS 128

struct ms_counters {
	unsigned int nr;			/* NR_VM_{ZONE,NODE}_STAT_ITEMS */
	int64_t atomic[MS_MAX_STAT_ITEMS];	/* zone->vm_stat[] / pgdat->vm_stat[] */
	int64_t diff[MS_MAX_STAT_ITEMS];	/* sum over ms_sum_cpus() of vm_stat_diff[] */
	bool diff_ok;				/* false if per-cpu diffs could not be read */
};

/* Index of a zone_stat_item / node_stat_item by enumerator name, or -1. */
int ms_stat_index(struct ms_target *t, const char *name);
/* First name of a NULL-terminated list that exists (kernel renames), or -1. */
int ms_stat_index_any(struct ms_target *t, const char *const *names);

/* The counters of the zone (struct zone address) or node (pglist_data address):
 * NULL, or why the atomics cannot be read.  Unreadable per-cpu deltas leave
 * diff_ok false, with a warning: the atomics alone are a partial answer. */
struct ms_error *ms_zone_counters(struct ms_target *t, uint64_t zone, struct ms_counters *c);
struct ms_error *ms_node_counters(struct ms_target *t, uint64_t pgdat, struct ms_counters *c);

/* The zone's nr NUMA events as zoneinfo prints them after fold_vm_zone_numa_events():
 * zone->vm_numa_event[] plus the online CPUs' unfolded per-cpu events (5.14+). */
struct ms_error *ms_zone_numa_events(struct ms_target *t, uint64_t zone, unsigned int nr,
				     uint64_t *events);
/* cpu's per_cpu_zonestat.stat_threshold (per_cpu_pageset's before 5.14); *v untouched
 * on an error. */
struct ms_error *ms_zone_stat_threshold(struct ms_target *t, uint64_t zone, unsigned int cpu,
					long *v);

/* Exact value of item idx (atomic + diffs); 0 for an index of -1. */
static inline int64_t ms_counter(const struct ms_counters *c, int idx)
{
	return (idx >= 0 && (unsigned int)idx < c->nr) ? c->atomic[idx] + c->diff[idx] : 0;
}

#endif
