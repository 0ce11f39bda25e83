/*
 * kernel.h - facts about the dumped kernel that every analysis needs:
 * CPUs and their per-cpu offsets, memory nodes (struct pglist_data) and the
 * zones they hold.  Resolved once per target.  This file is the one owner of
 * struct pglist_data, node_data[] / contig_page_data and the cpumasks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_KERNEL_H
#define MEMSCOPE_KERNEL_H

#include "target.h"

#define MS_MAX_ZONES 8
#define MS_ZONE_NAME_LEN 16

struct ms_zone_layout;

struct ms_kernel {
	unsigned int nr_cpu_ids;
	unsigned int nr_online, nr_possible;
	unsigned int *online;		/* CPU numbers, ascending */
	unsigned int *possible;
	uint64_t *percpu_offset;	/* __per_cpu_offset[cpu], nr_cpu_ids entries */

	unsigned int nr_nodes;		/* nodes with a pglist_data */
	int *node_id;
	uint64_t *pgdat;

	unsigned int nr_zones;		/* MAX_NR_ZONES */
	char zone_name[MS_MAX_ZONES][MS_ZONE_NAME_LEN];
	long zone_size;			/* stride of pglist_data.node_zones[]: sizeof(struct zone) */
	long node_zones_off;		/* offsetof(pglist_data, node_zones) */

	/* Other members of struct pglist_data; -1 where the kernel has none. */
	long vm_stat_off;		/* atomic_long_t vm_stat[NR_VM_NODE_STAT_ITEMS] */
	long nodestats_off;		/* struct per_cpu_nodestat __percpu *per_cpu_nodestats */
	long kswapd_failures_off;	/* int kswapd_failures (4.12+) */
	long zonelists_off;		/* struct zonelist node_zonelists[MAX_ZONELISTS] */

	/* zone.c's resolved struct zone, kept with these facts (plain memory). */
	struct ms_zone_layout *zone_layout;
};

/* The kernel facts of t, resolved on first use: NULL, or why they cannot be. */
struct ms_error *ms_kernel_get(struct ms_target *t, const struct ms_kernel **k);
void ms_kernel_free(struct ms_target *t);

/*
 * The CPUs whose per-cpu parts the kernel adds up when it reads a counter or
 * a per-cpu list: the online ones, everywhere memscope reproduces a number.
 * zone_page_state_snapshot() folds vm_stat_diff[] over for_each_online_cpu()
 * (include/linux/vmstat.h), and so does the fold stat_refresh runs on each
 * CPU; fold_vm_zone_numa_events() and zoneinfo_show_print() walk the online
 * CPUs (mm/vmstat.c), show_free_areas() sums their pcp counts (mm/page_alloc.c
 * in 6.1, mm/show_mem.c in 6.12), percpu_counter_sum() their deltas.  A CPU
 * that went offline had its diffs folded and its lists drained
 * (cpu_vm_stats_fold(), page_alloc_cpu_dead()).  The one rule, in one place.
 */
static inline const unsigned int *ms_sum_cpus(const struct ms_kernel *k, unsigned int *nr)
{
	*nr = k->nr_online;
	return k->online;
}

/* Address of this CPU's instance of a dynamically allocated per-cpu pointer. */
static inline uint64_t ms_percpu_addr(const struct ms_kernel *k, uint64_t ptr, unsigned int cpu)
{
	return ptr + k->percpu_offset[cpu];
}

/* &NODE_DATA(nid)->node_zones[z], for node index n (into k->pgdat, not the node id). */
static inline uint64_t ms_zone_addr(const struct ms_kernel *k, unsigned int n, unsigned int z)
{
	return k->pgdat[n] + k->node_zones_off + (uint64_t)z * k->zone_size;
}

/* pgdat->kswapd_failures of node index n; MS_ERR_LOOKUP before 4.12. */
struct ms_error *ms_node_kswapd_failures(struct ms_target *t, const struct ms_kernel *k,
					 unsigned int n, int *v);
/* &pgdat->node_zonelists[which] of node index n; MS_ERR_LOOKUP if unresolved. */
struct ms_error *ms_node_zonelist(struct ms_target *t, const struct ms_kernel *k, unsigned int n,
				  long which, uint64_t *addr);

#endif
