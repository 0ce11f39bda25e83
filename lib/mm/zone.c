/*
 * zone.c - read every node and zone the way mm/vmstat.c zoneinfo_show_print()
 * (v6.1) reads them, so /proc/zoneinfo can be reproduced from a dump.
 *
 * Era fallbacks, each resolved by name:
 *   zone->_watermark[] (5.0+)          zone->watermark[]
 *   zone->per_cpu_pageset (5.14+)      zone->pageset->pcp   (struct per_cpu_pages)
 *   per_cpu_zonestat.stat_threshold    per_cpu_pageset.stat_threshold
 *   zone->managed_pages: atomic_long_t (5.0+) or unsigned long, 8 bytes either way
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "version.h"
#include "zone.h"

/* mm/internal.h: a node kswapd failed this often is "unreclaimable" (a #define). */
#define MS_MAX_RECLAIM_RETRIES 16
/* x86_64: HPAGE_PMD_NR = 1 << (PMD_SHIFT - PAGE_SHIFT), PMD_SHIFT 21 (not in debug info). */
#define MS_PMD_SHIFT 21

/* A member of struct zone: offset and width (-1 / 0 when absent). */
struct field {
	long off, w;
};

struct zone_layout {
	struct field boost, highatomic, spanned, present, managed, cma, start_pfn;
	long wmark, wmark_w, reserve, reserve_w, reserve_n, free_area, free_area_size, nr_free;
	long wmark_idx[MS_NR_WMARK];
	long promo_idx;			/* WMARK_PROMO, -1 if not printed */
	/* per-cpu page lists and thresholds */
	long pcp_ptr, pcp_base, pcp_count, pcp_high, pcp_batch, pcp_count_w;
	long zs_ptr, zs_threshold;
	long numa_atomic, numa_pcp;
	unsigned int nr_orders;
	/* node */
	long kswapd_failures;
};

static struct field zone_field(struct ms_target *t, const char *member)
{
	struct field f = { ms_member_offset(t, "zone", member), 0 };

	if (f.off >= 0)
		f.w = ms_member_size(t, "zone", member);
	if (f.w <= 0 || f.w > 8)
		f.w = 8;
	return f;
}

static void resolve_wmarks(struct ms_target *t, struct zone_layout *l)
{
	static const char *const names[MS_NR_WMARK] = { "WMARK_MIN", "WMARK_LOW", "WMARK_HIGH" };
	static const char *const wm[] = { "_watermark", "watermark", NULL };
	long v;

	l->wmark = ms_member_offset_any(t, "zone", wm);
	for (int i = 0; i < MS_NR_WMARK; i++)
		l->wmark_idx[i] = ms_enum(t, names[i], &v) == 0 ? v : -1;
	/* WMARK_PROMO exists since 6.0, zoneinfo_show_print() prints it since
	 * "mm: print the promo watermark in zoneinfo" (6.10): no type tells. */
	l->promo_idx = -1;
	if (ms_enum(t, "WMARK_PROMO", &v) == 0 && ms_kernel_version(t) >= MS_KV(6, 10, 0))
		l->promo_idx = v;
	/* element width: the array's size over NR_WMARK */
	l->wmark_w = 8;
	if (ms_enum(t, "NR_WMARK", &v) == 0 && v > 0) {
		long size = ms_member_size(t, "zone", "_watermark");

		if (size <= 0)
			size = ms_member_size(t, "zone", "watermark");
		if (size > 0 && size / v >= 1 && size / v <= 8)
			l->wmark_w = size / v;
	}
}

/* struct per_cpu_pages: zone->per_cpu_pageset (5.14+) or zone->pageset->pcp. */
static void resolve_pcp(struct ms_target *t, struct zone_layout *l)
{
	l->pcp_ptr = ms_member_offset(t, "zone", "per_cpu_pageset");
	l->pcp_base = 0;
	if (l->pcp_ptr < 0) {
		l->pcp_ptr = ms_member_offset(t, "zone", "pageset");
		l->pcp_base = ms_member_offset(t, "per_cpu_pageset", "pcp");
	}
	l->pcp_count = ms_member_offset(t, "per_cpu_pages", "count");
	l->pcp_high = ms_member_offset(t, "per_cpu_pages", "high");
	l->pcp_batch = ms_member_offset(t, "per_cpu_pages", "batch");
	l->pcp_count_w = ms_member_size(t, "per_cpu_pages", "count");
	/* stat_threshold: per_cpu_zonestat (5.14+) or the old per_cpu_pageset. */
	l->zs_ptr = ms_member_offset(t, "zone", "per_cpu_zonestats");
	l->zs_threshold = ms_member_offset(t, "per_cpu_zonestat", "stat_threshold");
	if (l->zs_ptr < 0 || l->zs_threshold < 0) {
		l->zs_ptr = ms_member_offset(t, "zone", "pageset");
		l->zs_threshold = ms_member_offset(t, "per_cpu_pageset", "stat_threshold");
	}
	l->numa_atomic = ms_member_offset(t, "zone", "vm_numa_event");
	l->numa_pcp = ms_member_offset(t, "per_cpu_zonestat", "vm_numa_event");
}

static int zone_layout(struct ms_target *t, const struct ms_kernel *k, struct zone_layout *l)
{
	long fa_total, rsize;

	resolve_wmarks(t, l);
	l->boost = zone_field(t, "watermark_boost");
	l->highatomic = zone_field(t, "nr_reserved_highatomic");
	l->spanned = zone_field(t, "spanned_pages");
	l->present = zone_field(t, "present_pages");
	l->managed = zone_field(t, "managed_pages");	/* atomic_long_t since 5.0 */
	l->cma = zone_field(t, "cma_pages");		/* CONFIG_CMA only */
	l->start_pfn = zone_field(t, "zone_start_pfn");
	/* lowmem_reserve[MAX_NR_ZONES] of long */
	l->reserve = ms_member_offset(t, "zone", "lowmem_reserve");
	rsize = ms_member_size(t, "zone", "lowmem_reserve");
	l->reserve_n = rsize > 0 ? (long)k->nr_zones : 0;
	l->reserve_w = l->reserve_n ? rsize / l->reserve_n : 0;
	l->free_area = ms_member_offset(t, "zone", "free_area");
	l->free_area_size = ms_struct_size(t, "free_area");
	l->nr_free = ms_member_offset(t, "free_area", "nr_free");
	fa_total = ms_member_size(t, "zone", "free_area");
	l->nr_orders = (fa_total > 0 && l->free_area_size > 0) ?
		       (unsigned int)(fa_total / l->free_area_size) : 0;
	if (l->nr_orders > MS_MAX_ORDERS)
		l->nr_orders = 0;
	resolve_pcp(t, l);
	l->kswapd_failures = ms_member_offset(t, "pglist_data", "kswapd_failures");

	if (l->wmark < 0 || l->wmark_idx[MS_WMARK_MIN] < 0 || l->wmark_idx[MS_WMARK_LOW] < 0 ||
	    l->wmark_idx[MS_WMARK_HIGH] < 0 || l->present.off < 0 || l->spanned.off < 0 ||
	    l->managed.off < 0) {
		ms_warn(t, "cannot resolve zone watermarks / spanned, present, managed pages");
		return -1;
	}
	if (l->reserve < 0 || l->reserve_w <= 0 || l->reserve_w > 8) {
		ms_warn(t, "cannot resolve zone.lowmem_reserve[]: protection left out");
		l->reserve_n = 0;
	}
	if (!l->nr_orders || l->nr_free < 0)
		ms_warn(t, "cannot resolve zone.free_area: no free block counts");
	if (l->pcp_ptr < 0 || l->pcp_base < 0 || l->pcp_count < 0)
		ms_warn(t, "cannot resolve the per-cpu page lists (per_cpu_pages.count)");
	return 0;
}

/* An absent member reads as 0 (watermark_boost before 5.0, cma_pages without CMA). */
static int read_field(struct ms_target *t, uint64_t zone, struct field f, uint64_t *v)
{
	*v = 0;
	return f.off < 0 ? 0 : ms_read_uint(t, zone + f.off, (size_t)f.w, v);
}

static int read_sizes(struct ms_target *t, const struct zone_layout *l, struct ms_zone *z)
{
	int err = 0;

	err |= read_field(t, z->addr, l->spanned, &z->spanned);
	err |= read_field(t, z->addr, l->present, &z->present);
	err |= read_field(t, z->addr, l->managed, &z->managed);
	err |= read_field(t, z->addr, l->cma, &z->cma);
	err |= read_field(t, z->addr, l->start_pfn, &z->start_pfn);
	err |= read_field(t, z->addr, l->boost, &z->boost);
	err |= read_field(t, z->addr, l->highatomic, &z->reserved_highatomic);
	for (int i = 0; i < MS_NR_WMARK; i++) {
		struct field f = { l->wmark + l->wmark_w * l->wmark_idx[i], l->wmark_w };

		err |= read_field(t, z->addr, f, &z->wmark[i]);
	}
	if (l->promo_idx >= 0) {
		struct field f = { l->wmark + l->wmark_w * l->promo_idx, l->wmark_w };

		err |= read_field(t, z->addr, f, &z->promo);
	}
	z->nr_reserve = (unsigned int)l->reserve_n;
	for (unsigned int i = 0; i < z->nr_reserve; i++) {
		struct field f = { l->reserve + l->reserve_w * (long)i, l->reserve_w };
		uint64_t v;

		err |= read_field(t, z->addr, f, &v);
		/* long: sign-extend a narrower element */
		if (l->reserve_w < 8 && (v >> (8 * l->reserve_w - 1)) & 1)
			v |= ~0ull << (8 * l->reserve_w);
		z->lowmem_reserve[i] = (int64_t)v;
	}
	return err ? -1 : 0;
}

static void read_free(struct ms_target *t, const struct zone_layout *l, struct ms_zone *z)
{
	if (!l->nr_orders || l->nr_free < 0)
		return;
	z->nr_orders = l->nr_orders;
	z->free_ok = true;
	for (unsigned int o = 0; o < l->nr_orders; o++) {
		uint64_t a = z->addr + l->free_area + o * l->free_area_size + l->nr_free;

		if (ms_read_u64(t, a, &z->nr_free[o]))
			z->free_ok = false;
	}
}

static long read_int(struct ms_target *t, uint64_t addr, long width, bool *ok)
{
	uint64_t v;

	if (width <= 0 || width > 8 || ms_read_uint(t, addr, (size_t)width, &v)) {
		*ok = false;
		return 0;
	}
	/* sign-extend: count/high/batch are int, stat_threshold s8 */
	if (width < 8 && (v >> (8 * width - 1)) & 1)
		v |= ~0ull << (8 * width);
	return (long)(int64_t)v;
}

/* zoneinfo_show_print(): for_each_online_cpu, per_cpu_ptr(zone->per_cpu_pageset, cpu). */
static void read_pcp(struct ms_target *t, const struct ms_kernel *k, const struct zone_layout *l,
		     struct ms_zone *z)
{
	uint64_t pcp = 0, zs = 0;
	const unsigned int *cpus;
	unsigned int nr;
	bool have_zs;

	cpus = ms_sum_cpus(k, &nr);
	z->pcp = calloc(nr ? nr : 1, sizeof(*z->pcp));
	if (!z->pcp || l->pcp_ptr < 0 || l->pcp_base < 0 || l->pcp_count < 0 ||
	    ms_read_ptr(t, z->addr + l->pcp_ptr, &pcp) || !pcp)
		return;
	have_zs = l->zs_ptr >= 0 && l->zs_threshold >= 0 &&
		  ms_read_ptr(t, z->addr + l->zs_ptr, &zs) == 0 && zs;
	z->nr_pcp = nr;
	z->pcp_ok = true;
	for (unsigned int i = 0; i < nr; i++) {
		struct ms_pcp *p = &z->pcp[i];
		uint64_t base = ms_percpu_addr(k, pcp, cpus[i]) + l->pcp_base;
		long w = l->pcp_count_w > 0 ? l->pcp_count_w : 4;

		p->cpu = cpus[i];
		p->ok = true;
		p->count = read_int(t, base + l->pcp_count, w, &p->ok);
		p->high = l->pcp_high < 0 ? 0 : read_int(t, base + l->pcp_high, w, &p->ok);
		p->batch = l->pcp_batch < 0 ? 0 : read_int(t, base + l->pcp_batch, w, &p->ok);
		p->stat_threshold = -1;
		if (have_zs) {
			bool ok = true;
			long v = read_int(t, ms_percpu_addr(k, zs, cpus[i]) + l->zs_threshold,
					  1, &ok);

			if (ok)
				p->stat_threshold = v;
		}
		if (!p->ok)
			z->pcp_ok = false;
		else
			z->pcp_pages += (uint64_t)(p->count > 0 ? p->count : 0);
	}
	if (!z->pcp_ok)
		ms_warn(t, "node %d zone %s: some per-cpu page lists unreadable", z->node_id,
			z->name);
}

/*
 * NUMA events: zone->vm_numa_event[] plus every online CPU's not yet folded
 * per_cpu_zonestat.vm_numa_event[] (what fold_vm_zone_numa_events() adds).
 */
static void read_numa(struct ms_target *t, const struct ms_kernel *k, const struct zone_layout *l,
		      unsigned int nr, struct ms_zone *z)
{
	const unsigned int *cpus;
	unsigned int nr_cpus;
	uint64_t zs;

	z->nr_numa = nr;
	if (!nr)
		return;
	/* Before 5.14: zone->vm_numa_stat[] and u16 diffs, not read here. */
	if (l->numa_atomic < 0 ||
	    ms_read(t, z->addr + l->numa_atomic, z->numa, nr * sizeof(uint64_t))) {
		ms_warn(t, "node %d zone %s: NUMA event counters unreadable", z->node_id, z->name);
		return;
	}
	z->numa_ok = true;
	if (l->numa_pcp < 0 || l->zs_ptr < 0 || ms_read_ptr(t, z->addr + l->zs_ptr, &zs) || !zs)
		return;
	cpus = ms_sum_cpus(k, &nr_cpus);
	for (unsigned int i = 0; i < nr_cpus; i++) {
		uint64_t d[MS_MAX_NUMA_ITEMS];

		if (ms_read(t, ms_percpu_addr(k, zs, cpus[i]) + l->numa_pcp, d,
			    nr * sizeof(uint64_t))) {
			ms_warn(t, "node %d zone %s: per-cpu NUMA events unreadable", z->node_id,
				z->name);
			z->numa_ok = false;
			return;
		}
		for (unsigned int j = 0; j < nr; j++)
			z->numa[j] += d[j];
	}
}

static void read_zone(struct ms_target *t, const struct ms_kernel *k, const struct zone_layout *l,
		      unsigned int nr_numa, struct ms_zone *z)
{
	if (read_sizes(t, l, z)) {
		ms_warn(t, "node %d zone %s: cannot read struct zone at %#llx", z->node_id, z->name,
			(unsigned long long)z->addr);
		return;
	}
	z->ok = true;
	z->populated = z->present != 0;
	read_free(t, l, z);
	if (!z->populated)
		return;
	z->stats_ok = ms_zone_counters(t, z->addr, &z->stats) == 0;
	read_numa(t, k, l, nr_numa, z);
	read_pcp(t, k, l, z);
}

/* Names from the kernel's vmstat_text[]: zone items, NUMA events, node items. */
static void read_names(struct ms_target *t, struct ms_zoneinfo *zi)
{
	unsigned int total = zi->nr_zone_items + zi->nr_numa_items + zi->nr_node_items;
	uint64_t text, p;

	zi->zone_item = calloc(zi->nr_zone_items + 1, MS_STAT_NAME_LEN);
	zi->numa_item = calloc(zi->nr_numa_items + 1, MS_STAT_NAME_LEN);
	zi->node_item = calloc(zi->nr_node_items + 1, MS_STAT_NAME_LEN);
	if (!zi->zone_item || !zi->numa_item || !zi->node_item)
		return;
	if (ms_symbol(t, "vmstat_text", &text)) {
		ms_warn(t, "no vmstat_text[]: counter names unknown");
		return;
	}
	for (unsigned int i = 0; i < total; i++) {
		char *dst = i < zi->nr_zone_items ? zi->zone_item[i] :
			    i < zi->nr_zone_items + zi->nr_numa_items ?
				zi->numa_item[i - zi->nr_zone_items] :
				zi->node_item[i - zi->nr_zone_items - zi->nr_numa_items];

		if (ms_read_ptr(t, text + 8ull * i, &p) || ms_read_str(t, p, dst, MS_STAT_NAME_LEN))
			ms_warn(t, "cannot read vmstat_text[%u]", i);
	}
}

/* mm/vmstat.c vmstat_item_print_in_thp(): these node items print in THP units. */
static void mark_thp_items(struct ms_target *t, struct ms_zoneinfo *zi)
{
	static const char *const thp[] = { "NR_ANON_THPS", "NR_FILE_THPS", "NR_SHMEM_THPS",
					   "NR_SHMEM_PMDMAPPED", "NR_FILE_PMDMAPPED" };

	zi->hpage_pmd_nr = 1u << (MS_PMD_SHIFT - t->page_shift);
	zi->node_item_thp = calloc(zi->nr_node_items + 1, sizeof(bool));
	if (!zi->node_item_thp)
		return;
	for (size_t i = 0; i < sizeof(thp) / sizeof(thp[0]); i++) {
		int idx = ms_stat_index(t, thp[i]);

		if (idx >= 0 && (unsigned int)idx < zi->nr_node_items)
			zi->node_item_thp[idx] = true;
	}
}

static int count_items(struct ms_target *t, struct ms_zoneinfo *zi)
{
	long z, n, numa = 0;

	if (ms_enum(t, "NR_VM_ZONE_STAT_ITEMS", &z) || ms_enum(t, "NR_VM_NODE_STAT_ITEMS", &n) ||
	    z <= 0 || n <= 0 || z > MS_MAX_STAT_ITEMS || n > MS_MAX_STAT_ITEMS) {
		ms_warn(t, "cannot resolve NR_VM_ZONE_STAT_ITEMS / NR_VM_NODE_STAT_ITEMS");
		return -1;
	}
	/* Without CONFIG_NUMA there is no numa_stat_item enum: 0 items. */
	if (ms_enum(t, "NR_VM_NUMA_EVENT_ITEMS", &numa) &&
	    ms_enum(t, "NR_VM_NUMA_STAT_ITEMS", &numa))
		numa = 0;
	if (numa < 0 || numa > MS_MAX_NUMA_ITEMS)
		numa = 0;
	zi->nr_zone_items = (unsigned int)z;
	zi->nr_node_items = (unsigned int)n;
	zi->nr_numa_items = (unsigned int)numa;
	zi->nr_free_idx = ms_stat_index(t, "NR_FREE_PAGES");
	return 0;
}

static void read_node(struct ms_target *t, const struct zone_layout *l, struct ms_zoneinfo *zi,
		      unsigned int n)
{
	struct ms_node *nd = &zi->nodes[n];
	int32_t v;

	nd->first_populated = -1;
	nd->kswapd_failures = -1;
	if (l->kswapd_failures >= 0 && ms_read_s32(t, nd->pgdat + l->kswapd_failures, &v) == 0)
		nd->kswapd_failures = v;
	nd->unreclaimable = nd->kswapd_failures >= MS_MAX_RECLAIM_RETRIES;
	for (unsigned int z = 0; z < zi->zones_per_node; z++) {
		if (ms_zi_zone(zi, n, z)->populated) {
			nd->first_populated = (int)z;
			break;
		}
	}
	if (nd->first_populated >= 0)
		nd->stats_ok = ms_node_counters(t, nd->pgdat, &nd->stats) == 0;
}

int ms_zoneinfo_read(struct ms_target *t, struct ms_zoneinfo *zi)
{
	const struct ms_kernel *k = ms_kernel(t);
	struct zone_layout l;

	memset(zi, 0, sizeof(*zi));
	if (!k || zone_layout(t, k, &l) || count_items(t, zi))
		return -1;
	zi->nr_nodes = k->nr_nodes;
	zi->zones_per_node = k->nr_zones;
	zi->has_promo = l.promo_idx >= 0;
	zi->nodes = calloc(k->nr_nodes, sizeof(*zi->nodes));
	zi->zones = calloc((size_t)k->nr_nodes * k->nr_zones, sizeof(*zi->zones));
	if (!zi->nodes || !zi->zones) {
		ms_zoneinfo_free(zi);
		return -1;
	}
	read_names(t, zi);
	mark_thp_items(t, zi);
	for (unsigned int n = 0; n < k->nr_nodes; n++) {
		zi->nodes[n].node_id = k->node_id[n];
		zi->nodes[n].pgdat = k->pgdat[n];
		for (unsigned int z = 0; z < k->nr_zones; z++) {
			struct ms_zone *zn = ms_zi_zone(zi, n, z);

			zn->node_id = k->node_id[n];
			zn->zone_idx = z;
			memcpy(zn->name, k->zone_name[z], sizeof(zn->name));
			zn->addr = ms_zone_addr(k, n, z);
			read_zone(t, k, &l, zi->nr_numa_items, zn);
		}
		read_node(t, &l, zi, n);
	}
	return 0;
}

void ms_zoneinfo_free(struct ms_zoneinfo *zi)
{
	if (zi->zones)
		for (unsigned int i = 0; i < zi->nr_nodes * zi->zones_per_node; i++)
			free(zi->zones[i].pcp);
	free(zi->zones);
	free(zi->nodes);
	free(zi->zone_item);
	free(zi->numa_item);
	free(zi->node_item);
	free(zi->node_item_thp);
	memset(zi, 0, sizeof(*zi));
}

int ms_zi_node_index(const struct ms_zoneinfo *zi, int nid)
{
	for (unsigned int n = 0; n < zi->nr_nodes; n++)
		if (zi->nodes[n].node_id == nid)
			return (int)n;
	return -1;
}

/* zone_page_state() / node_page_state_pages(): a negative value reads as 0 (SMP). */
uint64_t ms_zi_counter(const struct ms_counters *c, unsigned int idx, bool atomic_only)
{
	int64_t v;

	if (idx >= c->nr)
		return 0;
	v = c->atomic[idx] + (atomic_only ? 0 : c->diff[idx]);
	return v < 0 ? 0 : (uint64_t)v;
}
