/*
 * meminfo.c - what /proc/meminfo and nodeN/meminfo would have printed.
 *
 * Follows Linux 6.1: fs/proc/meminfo.c meminfo_proc_show(), drivers/base/node.c
 * node_read_meminfo(), and the helpers they call (si_meminfo, si_meminfo_node,
 * si_mem_available, si_swapinfo, vm_commit_limit, vm_memory_committed,
 * nr_blockdev_pages, vmalloc_nr_pages, pcpu_nr_pages, hugetlb_report_meminfo,
 * hugetlb_report_node_meminfo, x86 arch_report_meminfo).
 *
 * The kernel reads the global vm_zone_stat[]/vm_node_stat[] atomics; we sum
 * every zone's and node's counters with the per-cpu deltas folded in, which is
 * what those atomics hold once the deltas are folded (vmstat_update, stat_refresh).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "meminfo_ctx.h"
#include "vmstat.h"

/* ---- counters ---- */

/*
 * Where an item lives.  Names move between zone and node counters across eras:
 * NR_KERNEL_STACK_KB went to the node in 5.9 (with the NR_SLAB_*_B rename),
 * NR_PAGETABLE in 5.11 (NR_SWAPCACHE, 5.12, is the nearest marker we can test).
 */
static bool item_in_zone(struct ms_target *t, const char *name)
{
	static const char *const zone_items[] = {
		"NR_FREE_PAGES", "NR_MLOCK", "NR_BOUNCE", "NR_FREE_CMA_PAGES", "NR_ZSPAGES",
		"NR_UNACCEPTED", NULL,
	};

	for (const char *const *z = zone_items; *z; z++)
		if (!strcmp(*z, name))
			return true;
	if (!strcmp(name, "NR_KERNEL_STACK_KB"))
		return ms_stat_index(t, "NR_SLAB_RECLAIMABLE_B") < 0;
	if (!strcmp(name, "NR_PAGETABLE"))
		return ms_stat_index(t, "NR_SWAPCACHE") < 0;
	return false;
}

/*
 * Exact value of the first existing item of names (global_*_page_state(),
 * clamped at 0 as the kernel does), or -1 if no name is known or the
 * counters it needs were not read.
 */
static int64_t stat_any(struct mi_ctx *c, const char *const *names)
{
	for (; *names; names++) {
		int idx = ms_stat_index(c->t, *names);
		bool zone;
		int64_t v;

		if (idx < 0 || idx >= MS_MAX_STAT_ITEMS)
			continue;
		zone = item_in_zone(c->t, *names);
		if (zone ? !c->zone_ok : !c->node_ok)
			return -1;
		v = zone ? c->zone[idx] : c->node[idx];
		return v < 0 ? 0 : v;
	}
	return -1;
}

static int64_t stat1(struct mi_ctx *c, const char *name)
{
	const char *names[] = { name, NULL };

	return stat_any(c, names);
}

/* A line straight from one counter, in pages; unknown if the counter is. */
static void line_stat(struct mi_ctx *c, enum ms_mi_item i, const char *const *names)
{
	int64_t v = stat_any(c, names);

	if (v < 0)
		set_unknown(c, i, "vm_stat item missing or unreadable");
	else
		set_pages(c, i, (uint64_t)v);
}

static void line_stat1(struct mi_ctx *c, enum ms_mi_item i, const char *name)
{
	const char *names[] = { name, NULL };

	line_stat(c, i, names);
}

static void add_counters(int64_t *sum, const struct ms_counters *cnt)
{
	for (unsigned int j = 0; j < cnt->nr; j++)
		sum[j] += ms_counter(cnt, (int)j);
}

struct zone_layout {
	long present, managed, wmark, wmark_boost, pcp, pcp_count;
	size_t managed_w, boost_w;
	long wmark_low;			/* WMARK_LOW */
};

static void zone_layout(struct ms_target *t, struct zone_layout *l)
{
	static const char *const wm[] = { "_watermark", "watermark", NULL };
	long pcp_pages;

	l->present = ms_member_offset(t, "zone", "present_pages");
	l->managed = ms_member_offset(t, "zone", "managed_pages");
	l->managed_w = (size_t)ms_member_size(t, "zone", "managed_pages");
	l->wmark = ms_member_offset_any(t, "zone", wm);
	l->wmark_boost = ms_member_offset(t, "zone", "watermark_boost");
	l->boost_w = (size_t)ms_member_size(t, "zone", "watermark_boost");
	if (ms_enum(t, "WMARK_LOW", &l->wmark_low))
		l->wmark = -1;
	/* 5.14+: zone->per_cpu_pageset is a struct per_cpu_pages; before, zone->pageset
	 * is a struct per_cpu_pageset whose .pcp is one. */
	l->pcp = ms_member_offset(t, "zone", "per_cpu_pageset");
	l->pcp_count = ms_member_offset(t, "per_cpu_pages", "count");
	if (l->pcp < 0) {
		l->pcp = ms_member_offset(t, "zone", "pageset");
		pcp_pages = ms_member_offset(t, "per_cpu_pageset", "pcp");
		l->pcp_count = (pcp_pages < 0 || l->pcp_count < 0) ? -1 : pcp_pages + l->pcp_count;
	}
}

/* Free pages on zone's per-cpu lists: sum of per_cpu_pages.count over ms_sum_cpus(),
 * the online CPUs, as show_free_areas() sums them. */
static int zone_pcp_free(struct mi_ctx *c, const struct zone_layout *l, uint64_t zone,
			 uint64_t *pages)
{
	const unsigned int *cpus;
	unsigned int nr;
	uint64_t pcp;

	if (l->pcp < 0 || l->pcp_count < 0 || ms_read_ptr(c->t, zone + l->pcp, &pcp) || !pcp)
		return -1;
	cpus = ms_sum_cpus(c->k, &nr);
	for (unsigned int i = 0; i < nr; i++) {
		int32_t n;

		if (ms_read_s32(c->t, ms_percpu_addr(c->k, pcp, cpus[i]) + l->pcp_count,
				&n))
			return -1;
		*pages += n > 0 ? (uint64_t)n : 0;
	}
	return 0;
}

/* One zone: counters, managed pages, low watermark, per-cpu free pages. */
static void read_zone(struct mi_ctx *c, const struct zone_layout *l, unsigned int n,
		      unsigned int z)
{
	uint64_t zone = ms_zone_addr(c->k, n, z), present, managed, wm, boost = 0;
	struct ms_counters cnt;

	if (l->present < 0 || ms_read_u64(c->t, zone + l->present, &present)) {
		ms_warn(c->t, "node %d zone %u unreadable", c->k->node_id[n], z);
		c->zone_ok = c->managed_ok = c->wmark_ok = c->mi->extra.pcp_ok = false;
		return;
	}
	if (!present)		/* populated_zone(): nothing to count */
		return;
	if (ms_zone_counters(c->t, zone, &cnt) == 0) {
		add_counters(c->zone, &cnt);
		if (!cnt.diff_ok)
			c->mi->diffs_folded = false;
		if ((int)z == c->highmem_idx)
			c->zone_high_free += ms_counter(&cnt, ms_stat_index(c->t, "NR_FREE_PAGES"));
	} else {
		c->zone_ok = false;
	}
	if (l->managed < 0 || ms_read_uint(c->t, zone + l->managed, l->managed_w, &managed)) {
		c->managed_ok = false;
	} else {
		c->managed += managed;
		if ((int)z == c->highmem_idx)
			c->managed_high += managed;
	}
	/* low_wmark_pages(z) = z->_watermark[WMARK_LOW] + z->watermark_boost */
	if (l->wmark < 0 || ms_read_u64(c->t, zone + l->wmark + 8 * l->wmark_low, &wm) ||
	    (l->wmark_boost >= 0 &&
	     ms_read_uint(c->t, zone + l->wmark_boost, l->boost_w, &boost)))
		c->wmark_ok = false;
	else
		c->wmark_low += wm + boost;
	if (zone_pcp_free(c, l, zone, &c->mi->extra.pcp_free))
		c->mi->extra.pcp_ok = false;
}

/* Counters of the nodes in view (all, or node c->mi->node) and of their zones. */
static int gather(struct mi_ctx *c)
{
	struct zone_layout l;
	long hi;
	int nodes = 0;

	zone_layout(c->t, &l);
	c->highmem_idx = ms_enum(c->t, "ZONE_HIGHMEM", &hi) == 0 ? (int)hi : -1;
	c->node_ok = c->zone_ok = c->managed_ok = c->wmark_ok = true;
	c->mi->extra.pcp_ok = true;
	c->mi->diffs_folded = true;
	for (unsigned int n = 0; n < c->k->nr_nodes; n++) {
		struct ms_counters cnt;

		if (c->mi->node >= 0 && c->k->node_id[n] != c->mi->node)
			continue;
		nodes++;
		if (ms_node_counters(c->t, c->k->pgdat[n], &cnt) == 0) {
			add_counters(c->node, &cnt);
			if (!cnt.diff_ok)
				c->mi->diffs_folded = false;
		} else {
			c->node_ok = false;
		}
		for (unsigned int z = 0; z < c->k->nr_zones; z++)
			read_zone(c, &l, n, z);
	}
	if (!nodes) {
		ms_warn(c->t, "no node %d in this dump", c->mi->node);
		return -1;
	}
	return 0;
}

/* ---- the lines ---- */

static void lines_lru(struct mi_ctx *c)
{
	static const char *const lru[] = {
		"NR_ACTIVE_ANON", "NR_INACTIVE_ANON", "NR_ACTIVE_FILE", "NR_INACTIVE_FILE",
	};
	static const enum ms_mi_item items[] = {
		MS_MI_ACTIVE_ANON, MS_MI_INACTIVE_ANON, MS_MI_ACTIVE_FILE, MS_MI_INACTIVE_FILE,
	};

	for (unsigned int i = 0; i < 4; i++)
		line_stat1(c, items[i], lru[i]);
	line_stat1(c, MS_MI_UNEVICTABLE, "NR_UNEVICTABLE");
	if (known(c, MS_MI_ACTIVE_ANON) && known(c, MS_MI_ACTIVE_FILE))
		set_kb(c, MS_MI_ACTIVE, c->mi->val[MS_MI_ACTIVE_ANON] + c->mi->val[MS_MI_ACTIVE_FILE]);
	else
		set_unknown(c, MS_MI_ACTIVE, "LRU counters unreadable");
	if (known(c, MS_MI_INACTIVE_ANON) && known(c, MS_MI_INACTIVE_FILE))
		set_kb(c, MS_MI_INACTIVE,
		       c->mi->val[MS_MI_INACTIVE_ANON] + c->mi->val[MS_MI_INACTIVE_FILE]);
	else
		set_unknown(c, MS_MI_INACTIVE, "LRU counters unreadable");
}

static const char *const slab_r[] = { "NR_SLAB_RECLAIMABLE_B", "NR_SLAB_RECLAIMABLE", NULL };
static const char *const slab_u[] = { "NR_SLAB_UNRECLAIMABLE_B", "NR_SLAB_UNRECLAIMABLE", NULL };

static void lines_slab(struct mi_ctx *c)
{
	int64_t r = stat_any(c, slab_r), u = stat_any(c, slab_u);
	int64_t misc = stat1(c, "NR_KERNEL_MISC_RECLAIMABLE");

	if (r < 0 || u < 0) {
		set_unknown(c, MS_MI_KRECLAIMABLE, "slab counters unreadable");
		set_unknown(c, MS_MI_SLAB, "slab counters unreadable");
		set_unknown(c, MS_MI_SRECLAIMABLE, "slab counters unreadable");
		set_unknown(c, MS_MI_SUNRECLAIM, "slab counters unreadable");
		return;
	}
	if (misc < 0)
		set_unknown(c, MS_MI_KRECLAIMABLE, "NR_KERNEL_MISC_RECLAIMABLE unreadable");
	else
		set_pages(c, MS_MI_KRECLAIMABLE, (uint64_t)(r + misc));
	set_pages(c, MS_MI_SLAB, (uint64_t)(r + u));
	set_pages(c, MS_MI_SRECLAIMABLE, (uint64_t)r);
	set_pages(c, MS_MI_SUNRECLAIM, (uint64_t)u);
}

/* NR_KERNEL_STACK_KB and NR_KERNEL_SCS_KB are kept in kB by the kernel. */
static void lines_stacks(struct mi_ctx *c)
{
	int64_t v = stat1(c, "NR_KERNEL_STACK_KB");

	if (v < 0)
		set_unknown(c, MS_MI_KERNELSTACK, "NR_KERNEL_STACK_KB unreadable");
	else
		set_kb(c, MS_MI_KERNELSTACK, (uint64_t)v);
	if (ms_stat_index(c->t, "NR_KERNEL_SCS_KB") < 0)
		return;
	v = stat1(c, "NR_KERNEL_SCS_KB");
	if (v < 0)
		set_unknown(c, MS_MI_SHADOWCALLSTACK, "NR_KERNEL_SCS_KB unreadable");
	else
		set_kb(c, MS_MI_SHADOWCALLSTACK, (uint64_t)v);
}

static void lines_thp(struct mi_ctx *c)
{
	static const struct { enum ms_mi_item item; const char *name; } thp[] = {
		{ MS_MI_ANONHUGEPAGES, "NR_ANON_THPS" },
		{ MS_MI_SHMEMHUGEPAGES, "NR_SHMEM_THPS" },
		{ MS_MI_SHMEMPMDMAPPED, "NR_SHMEM_PMDMAPPED" },
		{ MS_MI_FILEHUGEPAGES, "NR_FILE_THPS" },
		{ MS_MI_FILEPMDMAPPED, "NR_FILE_PMDMAPPED" },
	};
	uint64_t a;

	if (ms_symbol(c->t, "transparent_hugepage_flags", &a))
		return;		/* !CONFIG_TRANSPARENT_HUGEPAGE */
	for (unsigned int i = 0; i < sizeof(thp) / sizeof(thp[0]); i++)
		line_stat1(c, thp[i].item, thp[i].name);
}

/* Lines both files have, from vm_stat items of the nodes and zones in view. */
static void lines_common(struct mi_ctx *c)
{
	static const char *const anon[] = { "NR_ANON_MAPPED", "NR_ANON_PAGES", NULL };
	int64_t v;

	if (c->zone_ok && ms_stat_index(c->t, "NR_FREE_PAGES") >= 0)
		line_stat1(c, MS_MI_MEMFREE, "NR_FREE_PAGES");
	else
		set_unknown(c, MS_MI_MEMFREE, "zone counters unreadable");
	lines_lru(c);
	line_stat1(c, MS_MI_MLOCKED, "NR_MLOCK");
	line_stat1(c, MS_MI_DIRTY, "NR_FILE_DIRTY");
	line_stat1(c, MS_MI_WRITEBACK, "NR_WRITEBACK");
	line_stat(c, MS_MI_ANONPAGES, anon);
	line_stat1(c, MS_MI_MAPPED, "NR_FILE_MAPPED");
	line_stat1(c, MS_MI_SHMEM, "NR_SHMEM");
	lines_slab(c);
	lines_stacks(c);
	line_stat1(c, MS_MI_PAGETABLES, "NR_PAGETABLE");
	if (ms_stat_index(c->t, "NR_SECONDARY_PAGETABLE") >= 0)
		line_stat1(c, MS_MI_SECPAGETABLES, "NR_SECONDARY_PAGETABLE");
	/* NFS_Unstable: always 0 since 5.8 (NR_UNSTABLE_NFS gone) */
	v = stat1(c, "NR_UNSTABLE_NFS");
	set_pages(c, MS_MI_NFS_UNSTABLE, v > 0 ? (uint64_t)v : 0);
	line_stat1(c, MS_MI_BOUNCE, "NR_BOUNCE");
	line_stat1(c, MS_MI_WRITEBACKTMP, "NR_WRITEBACK_TEMP");
	lines_thp(c);
	mi_lines_hugetlb(c);
}

/* HighTotal/HighFree/LowTotal/LowFree (CONFIG_HIGHMEM), from the zones in view. */
static void lines_highmem(struct mi_ctx *c)
{
	if (c->highmem_idx < 0)
		return;
	if (!c->managed_ok || !known(c, MS_MI_MEMFREE) || !known(c, MS_MI_MEMTOTAL)) {
		set_unknown(c, MS_MI_HIGHTOTAL, "zones unreadable");
		set_unknown(c, MS_MI_HIGHFREE, "zones unreadable");
		set_unknown(c, MS_MI_LOWTOTAL, "zones unreadable");
		set_unknown(c, MS_MI_LOWFREE, "zones unreadable");
		return;
	}
	set_pages(c, MS_MI_HIGHTOTAL, c->managed_high);
	set_pages(c, MS_MI_HIGHFREE, (uint64_t)c->zone_high_free);
	set_pages(c, MS_MI_LOWTOTAL, pages_of(c, MS_MI_MEMTOTAL) - c->managed_high);
	set_pages(c, MS_MI_LOWFREE, pages_of(c, MS_MI_MEMFREE) - (uint64_t)c->zone_high_free);
}

uint64_t ms_mem_available(uint64_t free, uint64_t totalreserve, uint64_t file_lru,
			  uint64_t slab_reclaimable, uint64_t misc_reclaimable, uint64_t wmark_low)
{
	int64_t avail = (int64_t)free - (int64_t)totalreserve;
	uint64_t pagecache = file_lru, reclaimable = slab_reclaimable + misc_reclaimable;

	/* Half the page cache, or the low watermarks' worth, has to stay. */
	pagecache -= pagecache / 2 < wmark_low ? pagecache / 2 : wmark_low;
	avail += (int64_t)pagecache;
	/* Likewise for reclaimable slab and other reclaimable kernel memory. */
	avail += (int64_t)(reclaimable - (reclaimable / 2 < wmark_low ? reclaimable / 2 : wmark_low));
	return avail < 0 ? 0 : (uint64_t)avail;
}

/* si_mem_available() (mm/page_alloc.c, 6.1). */
static void line_available(struct mi_ctx *c)
{
	int64_t lf = stat1(c, "NR_ACTIVE_FILE"), li = stat1(c, "NR_INACTIVE_FILE");
	int64_t r = stat_any(c, slab_r), misc = stat1(c, "NR_KERNEL_MISC_RECLAIMABLE");
	uint64_t reserve;

	if (!known(c, MS_MI_MEMFREE) || lf < 0 || li < 0 || r < 0 || misc < 0 || !c->wmark_ok ||
	    mi_sym_uint(c, "totalreserve_pages", 8, &reserve)) {
		set_unknown(c, MS_MI_MEMAVAILABLE, "counters, watermarks or totalreserve_pages unreadable");
		return;
	}
	set_pages(c, MS_MI_MEMAVAILABLE,
		  ms_mem_available(pages_of(c, MS_MI_MEMFREE), reserve, (uint64_t)(lf + li),
				   (uint64_t)r, (uint64_t)misc, c->wmark_low));
}

static void lines_cache(struct mi_ctx *c)
{
	int64_t file = stat1(c, "NR_FILE_PAGES"), swapcache = stat1(c, "NR_SWAPCACHE");
	uint64_t buffers;
	int64_t cached;

	/* total_swapcache_pages() is NR_SWAPCACHE since 5.12 */
	if (swapcache < 0) {
		set_unknown(c, MS_MI_SWAPCACHED, "NR_SWAPCACHE missing (kernel before 5.12?)");
	} else {
		set_pages(c, MS_MI_SWAPCACHED, (uint64_t)swapcache);
		c->mi->extra.swapcache = (uint64_t)swapcache;
	}
	if (mi_blockdev_pages(c, &buffers)) {
		set_unknown(c, MS_MI_BUFFERS, "blockdev_superblock inode list unreadable");
		set_unknown(c, MS_MI_CACHED, "needs Buffers");
		return;
	}
	set_pages(c, MS_MI_BUFFERS, buffers);
	if (file < 0 || swapcache < 0) {
		set_unknown(c, MS_MI_CACHED, "NR_FILE_PAGES or NR_SWAPCACHE unreadable");
		return;
	}
	cached = file - swapcache - (int64_t)buffers;
	set_pages(c, MS_MI_CACHED, cached < 0 ? 0 : (uint64_t)cached);
}

static void lines_cma(struct mi_ctx *c)
{
	uint64_t a, total;

	if (ms_symbol(c->t, "cma_areas", &a))
		return;		/* !CONFIG_CMA (totalcma_pages exists either way) */
	if (mi_sym_uint(c, "totalcma_pages", 8, &total))
		set_unknown(c, MS_MI_CMATOTAL, "totalcma_pages unreadable");
	else
		set_pages(c, MS_MI_CMATOTAL, total);
	line_stat1(c, MS_MI_CMAFREE, "NR_FREE_CMA_PAGES");
}

/* Unaccepted: global_zone_page_state(NR_UNACCEPTED), printed (in /proc/meminfo
 * and nodeN/meminfo) only with CONFIG_UNACCEPTED_MEMORY, which is when the zone
 * item exists (6.5+). */
static void line_unaccepted(struct mi_ctx *c)
{
	if (ms_stat_index(c->t, "NR_UNACCEPTED") >= 0)
		line_stat1(c, MS_MI_UNACCEPTED, "NR_UNACCEPTED");
}

static void lines_global(struct mi_ctx *c)
{
	uint64_t v;

	mi_line_memtotal(c);
	lines_common(c);
	line_available(c);
	lines_cache(c);
	lines_highmem(c);
	mi_lines_swap(c);
	mi_lines_zswap(c);
	mi_line_commit_limit(c);
	mi_line_committed(c);
	mi_line_vmalloc_total(c);
	/* vmalloc_nr_pages(): atomic_long nr_vmalloc_pages (mm/vmalloc.c) */
	if (mi_sym_uint(c, "nr_vmalloc_pages", 8, &v))
		set_unknown(c, MS_MI_VMALLOCUSED, "nr_vmalloc_pages unreadable");
	else
		set_pages(c, MS_MI_VMALLOCUSED, v);
	set_kb(c, MS_MI_VMALLOCCHUNK, 0);	/* always 0 since 5.3 */
	mi_line_percpu(c);
	if (ms_symbol(c->t, "num_poisoned_pages", &v) == 0) {
		if (mi_sym_uint(c, "num_poisoned_pages", 8, &v))
			set_unknown(c, MS_MI_HARDWARECORRUPTED, "num_poisoned_pages unreadable");
		else
			set_pages(c, MS_MI_HARDWARECORRUPTED, v);
	}
	lines_cma(c);
	line_unaccepted(c);
	mi_lines_directmap(c);
	/* CONFIG_VMAP_STACK: task_struct.stack_vm_area exists */
	c->mi->extra.vmap_stack = ms_has_member(c->t, "task_struct", "stack_vm_area");
}

static void lines_node(struct mi_ctx *c)
{
	int64_t v;

	mi_line_memtotal(c);
	lines_common(c);
	if (known(c, MS_MI_MEMTOTAL) && known(c, MS_MI_MEMFREE))
		set_kb(c, MS_MI_MEMUSED, c->mi->val[MS_MI_MEMTOTAL] - c->mi->val[MS_MI_MEMFREE]);
	else
		set_unknown(c, MS_MI_MEMUSED, "needs MemTotal and MemFree");
	/* swapcached = 0 without CONFIG_SWAP: NR_SWAPCACHE is there either way */
	v = stat1(c, "NR_SWAPCACHE");
	set_pages(c, MS_MI_SWAPCACHED, v > 0 ? (uint64_t)v : 0);
	line_stat1(c, MS_MI_FILEPAGES, "NR_FILE_PAGES");
	lines_highmem(c);
	line_unaccepted(c);
}

int ms_meminfo_read(struct ms_target *t, int node, struct ms_meminfo *mi)
{
	struct mi_ctx c = { .t = t, .mi = mi };

	memset(mi, 0, sizeof(*mi));
	mi->node = node < 0 ? -1 : node;
	c.k = ms_kernel(t);
	if (!c.k || gather(&c))
		return -1;
	if (!c.node_ok)
		ms_warn(t, "node counters unreadable: their lines are unknown");
	if (!c.zone_ok)
		ms_warn(t, "zone counters unreadable: their lines are unknown");
	if (!mi->diffs_folded)
		ms_warn(t, "some per-cpu counter deltas unreadable: counters may be off by them");
	if (node < 0) {
		lines_global(&c);
		ms_meminfo_breakdown(mi, t->page_shift);
	} else {
		lines_node(&c);
	}
	return 0;
}
