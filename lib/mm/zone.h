/*
 * zone.h - struct zone, its free_area[] and its per-cpu page lists, and every
 * node and zone as /proc/zoneinfo sees them (mm/vmstat.c zoneinfo_show_print):
 * sizes, watermarks, lowmem_reserve[], counters with the per-cpu deltas folded
 * in, NUMA events, per-cpu page lists.
 *
 * zone.c is the one file that resolves struct zone, struct free_area and
 * struct per_cpu_pages.  Every other analysis asks it, through the resolved
 * layout (ms_zone_layout()) and the readers below.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_ZONE_H
#define MEMSCOPE_ZONE_H

#include "kernel.h"
#include "vmstat.h"

#define MS_MAX_ORDERS 16
#define MS_MAX_NUMA_ITEMS 16
#define MS_STAT_NAME_LEN 48

/* Watermark indexes of struct ms_zone.wmark[] (the kernel's are resolved by name);
 * WMARK_PROMO (6.0+) is read apart. */
enum ms_wmark { MS_WMARK_MIN, MS_WMARK_LOW, MS_WMARK_HIGH, MS_NR_WMARK };
#define MS_WMARK_PROMO MS_NR_WMARK

/* Members of struct zone read as unsigned integers of their own width. */
enum ms_zone_member {
	MS_ZONE_SPANNED,	/* spanned_pages */
	MS_ZONE_PRESENT,	/* present_pages: populated_zone() */
	MS_ZONE_MANAGED,	/* managed_pages: atomic_long_t since 5.0 */
	MS_ZONE_CMA,		/* cma_pages: CONFIG_CMA only, else reads 0 */
	MS_ZONE_START_PFN,	/* zone_start_pfn */
	MS_ZONE_BOOST,		/* watermark_boost: 5.0+, else reads 0 */
	MS_ZONE_HIGHATOMIC,	/* nr_reserved_highatomic: 4.4+, else reads 0 */
	MS_ZONE_NR_MEMBERS
};

/* Where a member is: offset, or -1 if the kernel has none; its width in bytes. */
struct ms_field {
	long off;
	size_t width;
};

/*
 * struct zone as this kernel lays it out, resolved once per target.  Era
 * fallbacks, each by name:
 *   _watermark[] (5.0+)                   watermark[]
 *   per_cpu_pageset (5.14+, per_cpu_pages) pageset->pcp (struct per_cpu_pageset)
 *   per_cpu_zonestats (5.14+)             pageset: where the counter deltas live
 *   free_area[NR_PAGE_ORDERS]             its length is the number of orders
 *                                         (MAX_ORDER before 6.8 is no enumerator)
 */
struct ms_zone_layout {
	long size;				/* sizeof(struct zone), -1 if unknown */
	struct ms_field member[MS_ZONE_NR_MEMBERS];
	/* _watermark[NR_WMARK]: offset, element width, index of each watermark (-1) */
	long wmark;
	size_t wmark_w;
	long wmark_idx[MS_NR_WMARK + 1];	/* MIN, LOW, HIGH, PROMO */
	/* long lowmem_reserve[MAX_NR_ZONES] */
	long reserve;
	size_t reserve_w;
	unsigned int nr_reserve;		/* 0: unresolved */
	/* struct free_area free_area[NR_PAGE_ORDERS] */
	long free_area, free_area_size;
	long nr_free;				/* free_area.nr_free, -1 */
	size_t nr_free_w;
	long free_list, list_head_size;		/* free_area.free_list[MIGRATE_TYPES] */
	unsigned int nr_orders;			/* 0: free_area[] unresolved */
	unsigned int nr_migratetypes;		/* free_list[]'s length, 0: unresolved */
	/* the per-cpu page lists: a per-cpu pointer at pcp, a per_cpu_pages at pcp_base */
	long pcp, pcp_base;
	long pcp_count, pcp_high, pcp_batch;	/* int members of struct per_cpu_pages */
	size_t pcp_w;
	/* the counters (vmstat.c reads them) */
	long vm_stat;				/* atomic_long_t vm_stat[NR_VM_ZONE_STAT_ITEMS] */
	long zonestats;				/* per-cpu pointer to the counter deltas */
	bool zonestats_old;			/* it is zone->pageset, a per_cpu_pageset */
	long numa_event;			/* atomic_long_t vm_numa_event[] (5.14+) */
};

/* The layout of struct zone (resolved on first use): NULL, or why not (MS_ERR_LOOKUP). */
struct ms_error *ms_zone_layout(struct ms_target *t, const struct ms_zone_layout **l);

static inline bool ms_zone_has(const struct ms_zone_layout *l, enum ms_zone_member m)
{
	return l->member[m].off >= 0;
}

/* A member of the zone at address zone.  An absent optional member (CMA,
 * BOOST) reads 0; an absent other one is MS_ERR_LOOKUP. */
struct ms_error *ms_zone_member(struct ms_target *t, const struct ms_zone_layout *l,
				uint64_t zone, enum ms_zone_member m, uint64_t *v);
/* _watermark[w] (MS_WMARK_MIN..HIGH, MS_WMARK_PROMO), without the boost. */
struct ms_error *ms_zone_wmark_raw(struct ms_target *t, const struct ms_zone_layout *l,
				   uint64_t zone, unsigned int w, uint64_t *v);
/* free_area[order].nr_free. */
struct ms_error *ms_zone_nr_free(struct ms_target *t, const struct ms_zone_layout *l,
				 uint64_t zone, unsigned int order, uint64_t *v);
/* Address of the list head free_area[order].free_list[mt] (l->nr_migratetypes > 0). */
static inline uint64_t ms_zone_free_list(const struct ms_zone_layout *l, uint64_t zone,
					 unsigned int order, unsigned int mt)
{
	return zone + l->free_area + (uint64_t)order * l->free_area_size + l->free_list +
	       (uint64_t)mt * l->list_head_size;
}

/* One CPU's struct per_cpu_pages of a zone, and its stat threshold. */
struct ms_pcp {
	unsigned int cpu;
	bool ok;
	long count, high, batch;	/* pages on the lists, its limits */
	long stat_threshold;		/* -1 if unknown */
};

/* The zone's per-cpu pointer to its per_cpu_pages (MS_ERR_LOOKUP if unresolved). */
struct ms_error *ms_zone_pcp_ptr(struct ms_target *t, const struct ms_zone_layout *l,
				 uint64_t zone, uint64_t *pcp);
/* count, high and batch of cpu's per_cpu_pages, pcp from ms_zone_pcp_ptr(). */
struct ms_error *ms_zone_pcp_read(struct ms_target *t, const struct ms_kernel *k,
				  const struct ms_zone_layout *l, uint64_t pcp, unsigned int cpu,
				  struct ms_pcp *p);
/* Pages on the zone's per-cpu lists, over ms_sum_cpus() (show_free_areas()'s
 * free_pcp); the error of the first unreadable list, the others still summed. */
struct ms_error *ms_zone_pcp_pages(struct ms_target *t, const struct ms_kernel *k,
				   const struct ms_zone_layout *l, uint64_t zone, uint64_t *pages);

/* Every block on the zone's per-cpu lists, over ms_sum_cpus(): fn(page, order,
 * arg) with the struct page address of its first page.  *pages is what the
 * walk saw (2^order each), *count the lists' own per_cpu_pages.count: equal
 * unless a list is cut short or corrupt.  NULL, MS_ERR_LOOKUP (no layout of
 * the lists), or the first unreadable list's error, the others still walked. */
typedef struct ms_error *(*ms_pcp_block_fn)(uint64_t page, unsigned int order, void *arg);
struct ms_error *ms_zone_pcp_walk(struct ms_target *t, const struct ms_kernel *k,
				  const struct ms_zone_layout *l, uint64_t zone,
				  ms_pcp_block_fn fn, void *arg, uint64_t *pages, uint64_t *count);

/* ---- /proc/zoneinfo ---- */

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

/* Read every node and zone: NULL, or why nothing could be read.  What could
 * not be read of a zone is marked (ok flags) and warned about with its cause. */
struct ms_error *ms_zoneinfo_read(struct ms_target *t, struct ms_zoneinfo *zi);
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
