/*
 * zone.h - every node and zone as /proc/zoneinfo sees them (mm/vmstat.c
 * zoneinfo_show_print): sizes, watermarks, lowmem_reserve[], counters with
 * the per-cpu deltas folded in, NUMA events, per-cpu page lists.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_ZONE_H
#define MEMSCOPE_ZONE_H

#include "buddy.h"
#include "kernel.h"
#include "vmstat.h"

#define MS_MAX_NUMA_ITEMS 16
#define MS_STAT_NAME_LEN 48

/* Watermark indexes of struct ms_zone.wmark[] (the kernel's are resolved by name). */
enum ms_wmark { MS_WMARK_MIN, MS_WMARK_LOW, MS_WMARK_HIGH, MS_NR_WMARK };

/* One online CPU's struct per_cpu_pages of a zone, and its stat threshold. */
struct ms_pcp {
	unsigned int cpu;
	bool ok;
	long count, high, batch;	/* pages on the lists, its limits */
	long stat_threshold;		/* -1 if unknown */
};

struct ms_zone {
	int node_id;
	unsigned int zone_idx;
	char name[MS_ZONE_NAME_LEN];
	uint64_t addr;			/* struct zone */
	bool ok;			/* the struct could be read */
	bool populated;			/* present_pages != 0 (populated_zone()) */

	uint64_t spanned, present, managed, cma, start_pfn;
	uint64_t wmark[MS_NR_WMARK];	/* _watermark[], without the boost */
	uint64_t promo;			/* _watermark[WMARK_PROMO], if zi->has_promo */
	uint64_t boost;			/* watermark_boost (0 before 5.0) */
	uint64_t reserved_highatomic;	/* nr_reserved_highatomic */
	unsigned int nr_reserve;
	int64_t lowmem_reserve[MS_MAX_ZONES];

	struct ms_counters stats;	/* zone_stat_item, per-cpu diffs folded */
	bool stats_ok;
	unsigned int nr_numa;		/* NR_VM_NUMA_EVENT_ITEMS, 0 without NUMA */
	uint64_t numa[MS_MAX_NUMA_ITEMS];	/* vm_numa_event[] + per-cpu */
	bool numa_ok;

	unsigned int nr_pcp;		/* ms_sum_cpus(): the online CPUs */
	struct ms_pcp *pcp;
	uint64_t pcp_pages;		/* sum of pcp[].count */
	bool pcp_ok;

	unsigned int nr_orders;
	uint64_t nr_free[MS_MAX_ORDERS];	/* free_area[].nr_free */
	bool free_ok;
};

struct ms_node {
	int node_id;
	uint64_t pgdat;
	int first_populated;		/* zone index printing the node stats, -1 */
	struct ms_counters stats;
	bool stats_ok;
	int kswapd_failures;		/* -1 if unknown */
	bool unreclaimable;		/* kswapd_failures >= MAX_RECLAIM_RETRIES */
};

struct ms_zoneinfo {
	unsigned int nr_nodes, zones_per_node;
	struct ms_node *nodes;
	struct ms_zone *zones;		/* zones[n * zones_per_node + z], all of them */
	/* The kernel's own names (vmstat_text[]); "" where unknown. */
	unsigned int nr_zone_items, nr_numa_items, nr_node_items;
	char (*zone_item)[MS_STAT_NAME_LEN];
	char (*numa_item)[MS_STAT_NAME_LEN];
	char (*node_item)[MS_STAT_NAME_LEN];
	int nr_free_idx;		/* NR_FREE_PAGES */
	bool has_promo;			/* /proc/zoneinfo prints "promo" (6.10+) */
	unsigned int hpage_pmd_nr;	/* node items printed in THP units are divided by it */
	bool *node_item_thp;		/* nr_node_items flags */
};

/* Read every node and zone: 0, or -1 (with a warning) if nothing could be read. */
int ms_zoneinfo_read(struct ms_target *t, struct ms_zoneinfo *zi);
void ms_zoneinfo_free(struct ms_zoneinfo *zi);

static inline struct ms_zone *ms_zi_zone(const struct ms_zoneinfo *zi, unsigned int n,
					 unsigned int z)
{
	return &zi->zones[n * zi->zones_per_node + z];
}

/* Node index (into zi->nodes) of node id nid, or -1. */
int ms_zi_node_index(const struct ms_zoneinfo *zi, int nid);

/* Counters as the kernel prints them: snapshot (atomic + per-cpu diffs), or the
 * atomic alone (what /proc shows without stat_refresh); negatives read as 0. */
uint64_t ms_zi_counter(const struct ms_counters *c, unsigned int idx, bool atomic_only);

/* wmark_pages(): the watermark plus watermark_boost. */
static inline uint64_t ms_zone_wmark(const struct ms_zone *z, enum ms_wmark w)
{
	return z->wmark[w] + z->boost;
}

#endif
