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

#include "kernel.h"
#include "list.h"
#include "meminfo.h"
#include "vmstat.h"

#define MAX_BLOCKDEV_INODES	(1u << 20)	/* bound of the blockdev inode walk */

struct mi_ctx {
	struct ms_target *t;
	const struct ms_kernel *k;
	struct ms_meminfo *mi;
	bool node_ok, zone_ok;		/* counters of every node/zone in view were read */
	int64_t node[MS_MAX_STAT_ITEMS];
	int64_t zone[MS_MAX_STAT_ITEMS];
	int64_t zone_high_free;		/* NR_FREE_PAGES of highmem zones */
	uint64_t managed, managed_high;	/* zone_managed_pages() summed */
	bool managed_ok;
	uint64_t wmark_low;		/* sum of low_wmark_pages() over every zone */
	bool wmark_ok;
	int highmem_idx;		/* ZONE_HIGHMEM, or -1 */
};

/* ---- values ---- */

/* A value in the line's own unit: kB, or a count for HugePages_*. */
static void set_kb(struct mi_ctx *c, enum ms_mi_item i, uint64_t kb)
{
	c->mi->val[i] = kb;
	c->mi->state[i] = MS_MI_OK;
}

static void set_count(struct mi_ctx *c, enum ms_mi_item i, uint64_t n)
{
	set_kb(c, i, n);
}

static void set_pages(struct mi_ctx *c, enum ms_mi_item i, uint64_t pages)
{
	set_kb(c, i, ms_pages_to_kb(c->t, pages));
}

static void set_unknown(struct mi_ctx *c, enum ms_mi_item i, const char *why)
{
	c->mi->val[i] = 0;
	c->mi->state[i] = MS_MI_UNKNOWN;
	c->mi->why[i] = why;
}

static bool known(const struct mi_ctx *c, enum ms_mi_item i)
{
	return c->mi->state[i] == MS_MI_OK;
}

/* A value in pages of a line already set (kB back to pages). */
static uint64_t pages_of(const struct mi_ctx *c, enum ms_mi_item i)
{
	return c->mi->val[i] >> (c->t->page_shift - 10);
}

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

/* Free pages on zone's per-cpu lists: sum of per_cpu_pages.count over possible CPUs. */
static int zone_pcp_free(struct mi_ctx *c, const struct zone_layout *l, uint64_t zone,
			 uint64_t *pages)
{
	uint64_t pcp;

	if (l->pcp < 0 || l->pcp_count < 0 || ms_read_ptr(c->t, zone + l->pcp, &pcp) || !pcp)
		return -1;
	for (unsigned int i = 0; i < c->k->nr_possible; i++) {
		int32_t n;

		if (ms_read_s32(c->t, ms_percpu_addr(c->k, pcp, c->k->possible[i]) + l->pcp_count,
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

/* ---- global values that are no vm_stat item ---- */

static int sym_uint(struct mi_ctx *c, const char *sym, size_t width, uint64_t *v)
{
	return ms_read_sym_uint(c->t, sym, width, v);
}

/* totalram_pages(): _totalram_pages (atomic_long_t, 5.0+) or totalram_pages. */
static void line_memtotal(struct mi_ctx *c)
{
	uint64_t v;

	if (c->mi->node >= 0) {
		/* si_meminfo_node(): managed pages of the node's zones */
		if (c->managed_ok)
			set_pages(c, MS_MI_MEMTOTAL, c->managed);
		else
			set_unknown(c, MS_MI_MEMTOTAL, "zone managed_pages unreadable");
		return;
	}
	if (sym_uint(c, "_totalram_pages", 8, &v) && sym_uint(c, "totalram_pages", 8, &v))
		set_unknown(c, MS_MI_MEMTOTAL, "_totalram_pages unreadable");
	else
		set_pages(c, MS_MI_MEMTOTAL, v);
}

/*
 * nr_blockdev_pages() (block/bdev.c): i_mapping->nrpages of every inode on
 * blockdev_superblock->s_inodes.  A list that does not come back to its head
 * within the bound (corrupted, or changing when the dump was taken) leaves the
 * value unknown rather than partial.
 */
struct bdev_walk {
	long sb_list, i_mapping, nrpages;
	uint64_t pages;
};

static int bdev_inode(struct ms_target *t, uint64_t node, void *arg)
{
	struct bdev_walk *w = arg;
	uint64_t mapping, n;

	if (ms_read_ptr(t, node - w->sb_list + w->i_mapping, &mapping) ||
	    ms_read_u64(t, mapping + w->nrpages, &n))
		return 1;
	w->pages += n;
	return 0;
}

static int blockdev_pages(struct mi_ctx *c, uint64_t *pages)
{
	long s_inodes = ms_member_offset(c->t, "super_block", "s_inodes");
	struct bdev_walk w = {
		.sb_list = ms_member_offset(c->t, "inode", "i_sb_list"),
		.i_mapping = ms_member_offset(c->t, "inode", "i_mapping"),
		.nrpages = ms_member_offset(c->t, "address_space", "nrpages"),
	};
	struct ms_list_result r;
	uint64_t sb;

	*pages = 0;
	if (s_inodes < 0 || w.sb_list < 0 || w.i_mapping < 0 || w.nrpages < 0 ||
	    sym_uint(c, "blockdev_superblock", 8, &sb) || !sb)
		return -1;
	if (ms_list_walk(c->t, sb + s_inodes, MAX_BLOCKDEV_INODES, 0, bdev_inode, &w, &r)) {
		ms_warn(c->t, "blockdev inode list: %s after %llu inodes",
			ms_list_status_name(r.status), (unsigned long long)r.count);
		return -1;
	}
	*pages = w.pages;
	return 0;
}

/* si_swapinfo(): pages of swap areas being swapoff'ed count as used and total. */
static int swap_to_be_unused(struct mi_ctx *c, uint64_t *pages)
{
	long flags_off = ms_member_offset(c->t, "swap_info_struct", "flags");
	long inuse_off = ms_member_offset(c->t, "swap_info_struct", "inuse_pages");
	long used, writeok;
	uint64_t nr, arr, si, flags, inuse;

	*pages = 0;
	if (sym_uint(c, "nr_swapfiles", 4, &nr))
		return -1;
	if (!nr)
		return 0;
	if (flags_off < 0 || inuse_off < 0 || ms_symbol(c->t, "swap_info", &arr) ||
	    ms_enum(c->t, "SWP_USED", &used) || ms_enum(c->t, "SWP_WRITEOK", &writeok) ||
	    nr > 4096)
		return -1;
	for (uint64_t i = 0; i < nr; i++) {
		if (ms_read_ptr(c->t, arr + 8 * i, &si) || !si ||
		    ms_read_u64(c->t, si + flags_off, &flags) ||
		    ms_read_uint(c->t, si + inuse_off, 4, &inuse))
			return -1;
		if ((flags & (uint64_t)used) && !(flags & (uint64_t)writeok))
			*pages += inuse;
	}
	return 0;
}

static void lines_swap(struct mi_ctx *c)
{
	uint64_t total, nr_free, unused;

	if (sym_uint(c, "total_swap_pages", 8, &total) || sym_uint(c, "nr_swap_pages", 8, &nr_free) ||
	    swap_to_be_unused(c, &unused)) {
		set_unknown(c, MS_MI_SWAPTOTAL, "swap globals or swap_info[] unreadable");
		set_unknown(c, MS_MI_SWAPFREE, "swap globals or swap_info[] unreadable");
		return;
	}
	set_pages(c, MS_MI_SWAPTOTAL, total + unused);
	set_pages(c, MS_MI_SWAPFREE, (uint64_t)((int64_t)nr_free < 0 ? 0 : nr_free) + unused);
}

/* Zswap (CONFIG_ZSWAP): pool bytes and stored pages. */
static void lines_zswap(struct mi_ctx *c)
{
	uint64_t bytes, stored;

	if (ms_symbol(c->t, "zswap_pool_total_size", &bytes))
		return;
	if (sym_uint(c, "zswap_pool_total_size", 8, &bytes))
		set_unknown(c, MS_MI_ZSWAP, "zswap_pool_total_size unreadable");
	else
		set_kb(c, MS_MI_ZSWAP, bytes >> 10);
	if (sym_uint(c, "zswap_stored_pages", 4, &stored))
		set_unknown(c, MS_MI_ZSWAPPED, "zswap_stored_pages unreadable");
	else
		set_pages(c, MS_MI_ZSWAPPED, (uint32_t)stored);
}

/* The hstates in use: hstates[0 .. hugetlb_max_hstate), default hstates[default_hstate_idx]. */
struct hugetlb {
	uint64_t base;
	long size;
	uint64_t nr, def;
	long order, nr_huge, free_huge, resv_huge, surp_huge;
	long nr_node, free_node, surp_node;
};

static int hugetlb_layout(struct mi_ctx *c, struct hugetlb *h)
{
	h->size = ms_struct_size(c->t, "hstate");
	h->order = ms_member_offset(c->t, "hstate", "order");
	h->nr_huge = ms_member_offset(c->t, "hstate", "nr_huge_pages");
	h->free_huge = ms_member_offset(c->t, "hstate", "free_huge_pages");
	h->resv_huge = ms_member_offset(c->t, "hstate", "resv_huge_pages");
	h->surp_huge = ms_member_offset(c->t, "hstate", "surplus_huge_pages");
	h->nr_node = ms_member_offset(c->t, "hstate", "nr_huge_pages_node");
	h->free_node = ms_member_offset(c->t, "hstate", "free_huge_pages_node");
	h->surp_node = ms_member_offset(c->t, "hstate", "surplus_huge_pages_node");
	if (ms_symbol(c->t, "hstates", &h->base) || h->size <= 0 || h->order < 0 ||
	    h->nr_huge < 0 || h->free_huge < 0 || h->resv_huge < 0 || h->surp_huge < 0 ||
	    sym_uint(c, "hugetlb_max_hstate", 4, &h->nr) ||
	    sym_uint(c, "default_hstate_idx", 4, &h->def) || h->nr > 64 ||
	    (h->nr && h->def >= h->nr))
		return -1;
	return 0;
}

static int hstate_u64(struct mi_ctx *c, const struct hugetlb *h, uint64_t i, long off,
		      uint64_t *v)
{
	return ms_read_u64(c->t, h->base + i * h->size + off, v);
}

/* Pages held by hugetlb, all sizes: hugetlb_total_pages(). */
static int hugetlb_total_pages(struct mi_ctx *c, uint64_t *pages)
{
	struct hugetlb h;
	uint64_t nr, order;

	*pages = 0;
	if (ms_symbol(c->t, "hstates", &h.base))
		return 0;	/* !CONFIG_HUGETLB_PAGE */
	if (hugetlb_layout(c, &h))
		return -1;
	for (uint64_t i = 0; i < h.nr; i++) {
		if (hstate_u64(c, &h, i, h.nr_huge, &nr) ||
		    ms_read_uint(c->t, h.base + i * h.size + h.order, 4, &order) || order > 30)
			return -1;
		*pages += nr << order;
	}
	return 0;
}

static const enum ms_mi_item hugetlb_items[] = {
	MS_MI_HUGEPAGES_TOTAL, MS_MI_HUGEPAGES_FREE, MS_MI_HUGEPAGES_RSVD, MS_MI_HUGEPAGES_SURP,
	MS_MI_HUGEPAGESIZE, MS_MI_HUGETLB,
};

/* hugetlb_report_meminfo() / hugetlb_report_node_meminfo(). */
static void lines_hugetlb(struct mi_ctx *c)
{
	struct hugetlb h;
	uint64_t total_kb = 0, v[4], order;
	const long *off[4] = { &h.nr_huge, &h.free_huge, &h.resv_huge, &h.surp_huge };
	const long *node_off[4] = { &h.nr_node, &h.free_node, NULL, &h.surp_node };
	bool node = c->mi->node >= 0;

	if (ms_symbol(c->t, "hstates", &h.base))
		return;
	if (hugetlb_layout(c, &h) || !h.nr) {
		for (unsigned int i = 0; i < 6; i++)
			if (!node || (i != 2 && i < 4))
				set_unknown(c, hugetlb_items[i], h.nr ? "struct hstate unresolved"
								       : "no hstate registered");
		return;
	}
	for (uint64_t i = 0; i < h.nr; i++) {
		uint64_t nr;

		if (hstate_u64(c, &h, i, h.nr_huge, &nr) ||
		    ms_read_uint(c->t, h.base + i * h.size + h.order, 4, &order) || order > 30) {
			set_unknown(c, MS_MI_HUGETLB, "hstate unreadable");
			total_kb = UINT64_MAX;
			break;
		}
		total_kb += (nr << order) * (ms_page_size(c->t) >> 10);
	}
	for (unsigned int j = 0; j < 4; j++) {
		uint64_t a = h.base + h.def * h.size;
		int bad;

		if (node && j == 2)
			continue;	/* no HugePages_Rsvd per node */
		if (node)	/* unsigned int x_huge_pages_node[MAX_NUMNODES] */
			bad = *node_off[j] < 0 ||
			      ms_read_uint(c->t, a + *node_off[j] + 4ull * c->mi->node, 4, &v[j]);
		else
			bad = ms_read_u64(c->t, a + *off[j], &v[j]);
		if (bad)
			set_unknown(c, hugetlb_items[j], "default hstate unreadable");
		else
			set_count(c, hugetlb_items[j], v[j]);
	}
	if (node)
		return;
	if (ms_read_uint(c->t, h.base + h.def * h.size + h.order, 4, &order) || order > 30)
		set_unknown(c, MS_MI_HUGEPAGESIZE, "default hstate unreadable");
	else
		set_kb(c, MS_MI_HUGEPAGESIZE, (ms_page_size(c->t) << order) >> 10);
	if (total_kb != UINT64_MAX)
		set_kb(c, MS_MI_HUGETLB, total_kb);
}

/* vm_commit_limit() (mm/util.c). */
static void line_commit_limit(struct mi_ctx *c)
{
	uint64_t kbytes, ratio, swap, huge;
	uint64_t allowed;

	if (!known(c, MS_MI_MEMTOTAL) || sym_uint(c, "sysctl_overcommit_kbytes", 8, &kbytes) ||
	    sym_uint(c, "sysctl_overcommit_ratio", 4, &ratio) ||
	    sym_uint(c, "total_swap_pages", 8, &swap) || hugetlb_total_pages(c, &huge)) {
		set_unknown(c, MS_MI_COMMITLIMIT, "overcommit sysctls or hstates unreadable");
		return;
	}
	if (kbytes)
		allowed = kbytes >> (c->t->page_shift - 10);
	else
		allowed = (pages_of(c, MS_MI_MEMTOTAL) - huge) * (uint32_t)ratio / 100;
	set_pages(c, MS_MI_COMMITLIMIT, allowed + swap);
}

/* vm_memory_committed(): percpu_counter_sum_positive(&vm_committed_as), which adds
 * every online CPU's s32 delta to the count (lib/percpu_counter.c, 6.1). */
static void line_committed(struct mi_ctx *c)
{
	long count_off = ms_member_offset(c->t, "percpu_counter", "count");
	long counters_off = ms_member_offset(c->t, "percpu_counter", "counters");
	uint64_t pc, counters;
	int64_t sum;

	if (count_off < 0 || counters_off < 0 || ms_symbol(c->t, "vm_committed_as", &pc) ||
	    ms_read_s64(c->t, pc + count_off, &sum) || ms_read_ptr(c->t, pc + counters_off, &counters))
		goto fail;
	for (unsigned int i = 0; counters && i < c->k->nr_online; i++) {
		int32_t d;

		if (ms_read_s32(c->t, ms_percpu_addr(c->k, counters, c->k->online[i]), &d))
			goto fail;
		sum += d;
	}
	set_pages(c, MS_MI_COMMITTED_AS, sum < 0 ? 0 : (uint64_t)sum);
	return;
fail:
	set_unknown(c, MS_MI_COMMITTED_AS, "vm_committed_as unreadable");
}

/*
 * VMALLOC_TOTAL is an x86_64 constant of arch/x86/include/asm/pgtable_64_types.h,
 * not a variable: VMALLOC_SIZE_TB (32 with 4-level paging, 12800 with 5-level)
 * TiB minus 1 byte.  We trust it only where vmalloc_base says we are on x86_64.
 */
#define X86_64_VMALLOC_SIZE_TB_L4	32ull
#define X86_64_VMALLOC_SIZE_TB_L5	12800ull

static void line_vmalloc_total(struct mi_ctx *c)
{
	uint64_t base, l5 = 0;

	if (ms_symbol(c->t, "vmalloc_base", &base)) {
		set_unknown(c, MS_MI_VMALLOCTOTAL, "VMALLOC_TOTAL known for x86_64 only");
		return;
	}
	sym_uint(c, "__pgtable_l5_enabled", 4, &l5);	/* absent: 4-level only */
	set_kb(c, MS_MI_VMALLOCTOTAL,
	       (((l5 ? X86_64_VMALLOC_SIZE_TB_L5 : X86_64_VMALLOC_SIZE_TB_L4) << 40) - 1) >> 10);
}

/* pcpu_nr_pages() = pcpu_nr_populated * pcpu_nr_units (mm/percpu.c), and the part
 * of it that is the first chunk: memblock memory, reserved at boot, outside
 * MemTotal.  pcpu_setup_first_chunk() counts PFN_DOWN(size_sum) populated pages
 * for it; its dynamic area ends at size_sum (page aligned) from pcpu_base_addr. */
static void line_percpu(struct mi_ctx *c)
{
	long base_off = ms_member_offset(c->t, "pcpu_chunk", "base_addr");
	long nrp_off = ms_member_offset(c->t, "pcpu_chunk", "nr_pages");
	uint64_t populated, units, first, base, cbase, nrp;

	if (sym_uint(c, "pcpu_nr_populated", 8, &populated) ||
	    sym_uint(c, "pcpu_nr_units", 4, &units)) {
		set_unknown(c, MS_MI_PERCPU, "pcpu_nr_populated / pcpu_nr_units unreadable");
		return;
	}
	set_pages(c, MS_MI_PERCPU, populated * (uint32_t)units);
	if (base_off < 0 || nrp_off < 0 || sym_uint(c, "pcpu_first_chunk", 8, &first) ||
	    sym_uint(c, "pcpu_base_addr", 8, &base) ||
	    ms_read_ptr(c->t, first + base_off, &cbase) ||
	    ms_read_uint(c->t, first + nrp_off, 4, &nrp) || cbase < base)
		return;
	nrp += (cbase - base) >> c->t->page_shift;
	if (nrp > populated)
		return;
	c->mi->extra.percpu_first = nrp * (uint32_t)units;
	c->mi->extra.percpu_first_ok = true;
}

/* x86 arch_report_meminfo(): direct_pages_count[PG_LEVEL_*] (arch/x86/mm/pat/set_memory.c). */
static void lines_directmap(struct mi_ctx *c)
{
	static const struct { enum ms_mi_item item; const char *level; } dm[] = {
		{ MS_MI_DIRECTMAP4K, "PG_LEVEL_4K" },
		{ MS_MI_DIRECTMAP2M, "PG_LEVEL_2M" },
		{ MS_MI_DIRECTMAP1G, "PG_LEVEL_1G" },
	};
	static const unsigned int shift[] = { 12, 21, 30 };	/* the level's page size */
	uint64_t arr, gb = 0, n;

	if (ms_symbol(c->t, "direct_pages_count", &arr))
		return;
	sym_uint(c, "direct_gbpages", 4, &gb);
	for (unsigned int i = 0; i < 3; i++) {
		long lvl;

		if (dm[i].item == MS_MI_DIRECTMAP1G && !(uint32_t)gb)
			continue;	/* printed only with direct_gbpages */
		if (ms_enum(c->t, dm[i].level, &lvl) || lvl < 0 || lvl > 8 ||
		    ms_read_u64(c->t, arr + 8 * (uint64_t)lvl, &n))
			set_unknown(c, dm[i].item, "direct_pages_count[] unreadable");
		else
			set_kb(c, dm[i].item, n << (shift[i] - 10));
	}
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
	lines_hugetlb(c);
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
	    sym_uint(c, "totalreserve_pages", 8, &reserve)) {
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
	if (blockdev_pages(c, &buffers)) {
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
	if (sym_uint(c, "totalcma_pages", 8, &total))
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

	line_memtotal(c);
	lines_common(c);
	line_available(c);
	lines_cache(c);
	lines_highmem(c);
	lines_swap(c);
	lines_zswap(c);
	line_commit_limit(c);
	line_committed(c);
	line_vmalloc_total(c);
	/* vmalloc_nr_pages(): atomic_long nr_vmalloc_pages (mm/vmalloc.c) */
	if (sym_uint(c, "nr_vmalloc_pages", 8, &v))
		set_unknown(c, MS_MI_VMALLOCUSED, "nr_vmalloc_pages unreadable");
	else
		set_pages(c, MS_MI_VMALLOCUSED, v);
	set_kb(c, MS_MI_VMALLOCCHUNK, 0);	/* always 0 since 5.3 */
	line_percpu(c);
	if (ms_symbol(c->t, "num_poisoned_pages", &v) == 0) {
		if (sym_uint(c, "num_poisoned_pages", 8, &v))
			set_unknown(c, MS_MI_HARDWARECORRUPTED, "num_poisoned_pages unreadable");
		else
			set_pages(c, MS_MI_HARDWARECORRUPTED, v);
	}
	lines_cma(c);
	line_unaccepted(c);
	lines_directmap(c);
	/* CONFIG_VMAP_STACK: task_struct.stack_vm_area exists */
	c->mi->extra.vmap_stack = ms_has_member(c->t, "task_struct", "stack_vm_area");
}

static void lines_node(struct mi_ctx *c)
{
	int64_t v;

	line_memtotal(c);
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

/* ---- where USED is ---- */

/* Pages of line i: 0 for a line this kernel does not print; false if unknown. */
static bool line_pages(const struct ms_meminfo *mi, enum ms_mi_item i, unsigned int shift,
		       int64_t *pages)
{
	*pages = 0;
	if (mi->state[i] == MS_MI_UNKNOWN)
		return false;
	if (mi->state[i] == MS_MI_OK)
		*pages = (int64_t)(mi->val[i] >> (shift - 10));
	return true;
}

static void cat(struct ms_mi_breakdown *b, enum ms_mi_cat c, bool ok, int64_t pages)
{
	b->cat_ok[c] = ok;
	b->cat[c] = ok ? pages : 0;
}

/*
 * Categories that share no page:
 *  - Shmem is inside Cached (NR_FILE_PAGES) and on the anon LRU; it is counted
 *    once, as shmem, and taken out of the file cache.  The anon category is
 *    AnonPages (mapped anon), which holds no shmem page.
 *  - Swap cache pages are in NR_FILE_PAGES, and the mapped ones in AnonPages
 *    too: they are left out of the file cache and shown apart, not added.
 *  - With CONFIG_VMAP_STACK kernel (and shadow call) stacks are vmalloc'ed and
 *    also in VmallocUsed: kernel stacks own them, vmalloc is the rest.
 *  - Percpu counts the first chunk, which memblock reserved at boot outside
 *    MemTotal; only the chunks populated later from the page allocator count.
 *  - Free pages on per-cpu lists are not in MemFree, so they are "used" here.
 */
void ms_meminfo_breakdown(struct ms_meminfo *mi, unsigned int shift)
{
	struct ms_mi_breakdown *b = &mi->bd;
	int64_t anon = 0, cached = 0, buffers = 0, shmem = 0, sr = 0, su = 0, kr = 0, ks = 0;
	int64_t scs = 0, pt = 0, spt = 0, vm = 0, pcpu = 0, huge = 0;
	bool ok;

	memset(b, 0, sizeof(*b));
	b->ok = mi->state[MS_MI_MEMTOTAL] == MS_MI_OK && mi->state[MS_MI_MEMFREE] == MS_MI_OK;
	b->total = mi->val[MS_MI_MEMTOTAL] >> (shift - 10);
	b->free = mi->val[MS_MI_MEMFREE] >> (shift - 10);
	b->used = (int64_t)b->total - (int64_t)b->free;

	ok = line_pages(mi, MS_MI_ANONPAGES, shift, &anon);
	cat(b, MS_CAT_ANON, ok, anon);
	ok = line_pages(mi, MS_MI_CACHED, shift, &cached) &&
	     line_pages(mi, MS_MI_BUFFERS, shift, &buffers) &&
	     line_pages(mi, MS_MI_SHMEM, shift, &shmem);
	cat(b, MS_CAT_FILE, ok, cached + buffers - shmem);
	ok = line_pages(mi, MS_MI_SHMEM, shift, &shmem);
	cat(b, MS_CAT_SHMEM, ok, shmem);
	ok = line_pages(mi, MS_MI_SRECLAIMABLE, shift, &sr);
	cat(b, MS_CAT_SLAB_RECLAIM, ok, sr);
	ok = line_pages(mi, MS_MI_SUNRECLAIM, shift, &su);
	cat(b, MS_CAT_SLAB_UNRECLAIM, ok, su);
	ok = line_pages(mi, MS_MI_KRECLAIMABLE, shift, &kr) &&
	     line_pages(mi, MS_MI_SRECLAIMABLE, shift, &sr);
	cat(b, MS_CAT_KMISC_RECLAIM, ok, kr - sr);
	ok = line_pages(mi, MS_MI_KERNELSTACK, shift, &ks) &&
	     line_pages(mi, MS_MI_SHADOWCALLSTACK, shift, &scs);
	cat(b, MS_CAT_KERNEL_STACK, ok, ks + scs);
	ok = line_pages(mi, MS_MI_PAGETABLES, shift, &pt) &&
	     line_pages(mi, MS_MI_SECPAGETABLES, shift, &spt);
	cat(b, MS_CAT_PAGETABLES, ok, pt + spt);
	ok = line_pages(mi, MS_MI_VMALLOCUSED, shift, &vm) &&
	     (!mi->extra.vmap_stack || b->cat_ok[MS_CAT_KERNEL_STACK]);
	if (mi->extra.vmap_stack)
		vm -= b->cat[MS_CAT_KERNEL_STACK];
	cat(b, MS_CAT_VMALLOC, ok, vm < 0 ? 0 : vm);
	ok = line_pages(mi, MS_MI_PERCPU, shift, &pcpu) && mi->extra.percpu_first_ok;
	cat(b, MS_CAT_PERCPU, ok, pcpu - (int64_t)mi->extra.percpu_first);
	ok = line_pages(mi, MS_MI_HUGETLB, shift, &huge);
	cat(b, MS_CAT_HUGETLB, ok, huge);
	cat(b, MS_CAT_PCP_FREE, mi->extra.pcp_ok, (int64_t)mi->extra.pcp_free);

	b->complete = b->ok;
	for (unsigned int c = 0; c < MS_CAT_NR; c++) {
		b->accounted += b->cat[c];
		if (!b->cat_ok[c])
			b->complete = false;
	}
	b->unaccounted = b->used - b->accounted;
}
