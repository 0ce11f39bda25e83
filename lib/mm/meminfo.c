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
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "meminfo_ctx.h"

/* ---- causes ---- */

void set_unknown(struct mi_ctx *c, enum ms_mi_item i, const char *fmt, ...)
{
	va_list ap;

	c->mi->val[i] = 0;
	c->mi->state[i] = MS_MI_UNKNOWN;
	va_start(ap, fmt);
	vsnprintf(c->mi->why[i], MS_MI_WHY_LEN, fmt, ap);
	va_end(ap);
}

void set_unknown_err(struct mi_ctx *c, enum ms_mi_item i, struct ms_error *err)
{
	set_unknown(c, i, "%s", ms_error_string(err));
	ms_error_destroy(err);
}

void set_unknown_as(struct mi_ctx *c, enum ms_mi_item i, enum ms_mi_item from)
{
	set_unknown(c, i, "%s", c->mi->why[from]);
}

/* Keep err as the part's cause unless it already has one. */
static void part_note(struct mi_part *p, struct ms_error *err)
{
	if (!p->ok || !err)
		return;
	p->ok = false;
	p->code = err->code;
	snprintf(p->why, sizeof(p->why), "%s", ms_error_string(err));
}

void mi_part_fail(struct mi_part *p, struct ms_error *err)
{
	part_note(p, err);
	ms_error_destroy(err);
}

struct ms_error *mi_part_error(const struct mi_part *p, const char *what)
{
	return p->ok ? NULL : ms_error_create(p->code, "%s unreadable: %s", what, p->why);
}

static long enum_or_absent(struct ms_target *t, const char *name)
{
	long v = -1;

	if (ms_has_enum(t, name))
		ms_error_destroy(ms_enum(t, name, &v));
	return v;
}

/* ---- counters ---- */

enum where { IN_ZONE, IN_NODE, IN_NEITHER };

/*
 * The fallback where the binding cannot tell an enumerator's type: markers of
 * the era.  NR_KERNEL_STACK_KB went to the node in 5.9 (with the
 * NR_SLAB_*_B rename), NR_PAGETABLE in 5.11 -- and NR_SWAPCACHE (5.12) is the
 * nearest marker there is, so this guess misreads 5.11's page tables.
 */
static bool zone_item_by_markers(struct ms_target *t, const char *name)
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

/* Zone or node counter: the enum the item belongs to (zone_stat_item,
 * node_stat_item) says, or the markers where the binding cannot tell. */
static struct ms_error *item_where(struct ms_target *t, const char *name, enum where *w)
{
	struct ms_error *err;
	char type[64];

	err = ms_enum_type(t, name, type, sizeof(type));
	if (ms_error_is(err, MS_ERR_LOOKUP)) {
		ms_error_destroy(err);
		*w = zone_item_by_markers(t, name) ? IN_ZONE : IN_NODE;
		return NULL;
	}
	if (err)
		return err;
	*w = !strcmp(type, "zone_stat_item") ? IN_ZONE :
	     !strcmp(type, "node_stat_item") ? IN_NODE : IN_NEITHER;
	return NULL;
}

/*
 * Exact value of the first existing item of names (global_*_page_state(),
 * clamped at 0 as the kernel does): NULL, or why there is none (no such item,
 * or the counters it needs were not read).
 */
static struct ms_error *stat_any(struct mi_ctx *c, const char *const *names, int64_t *v)
{
	for (const char *const *n = names; *n; n++) {
		int idx = ms_stat_index(c->t, *n);
		struct ms_error *err;
		enum where w;
		int64_t x;

		if (idx < 0 || idx >= MS_MAX_STAT_ITEMS)
			continue;
		err = item_where(c->t, *n, &w);
		if (err)
			return err;
		if (w == IN_NEITHER)
			continue;	/* an enumerator of another enum: no counter */
		err = w == IN_ZONE ? mi_part_error(&c->zone_part, "zone counters") :
				     mi_part_error(&c->node_part, "node counters");
		if (err)
			return err;
		x = w == IN_ZONE ? c->zone[idx] : c->node[idx];
		*v = x < 0 ? 0 : x;
		return NULL;
	}
	return ms_error_create(MS_ERR_LOOKUP, "no vm_stat item %s", names[0]);
}

static struct ms_error *stat1(struct mi_ctx *c, const char *name, int64_t *v)
{
	const char *names[] = { name, NULL };

	return stat_any(c, names, v);
}

/* A line straight from one counter, in pages; unknown (with the cause) if the counter is. */
static void line_stat(struct mi_ctx *c, enum ms_mi_item i, const char *const *names)
{
	int64_t v;
	struct ms_error *err = stat_any(c, names, &v);

	if (err)
		set_unknown_err(c, i, err);
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

/* Every zone-derived input of the view is unknown, for the same cause. */
static void zone_unknown(struct mi_ctx *c, struct ms_error *err)
{
	part_note(&c->zone_part, err);
	part_note(&c->managed_part, err);
	part_note(&c->wmark_part, err);
	c->mi->extra.pcp_ok = false;
	ms_error_destroy(err);
}

/* low_wmark_pages(z) = z->_watermark[WMARK_LOW] + z->watermark_boost */
static struct ms_error *low_wmark(struct mi_ctx *c, uint64_t zone, uint64_t *pages)
{
	uint64_t wm, boost;
	struct ms_error *err = ms_zone_wmark_raw(c->t, c->l, zone, MS_WMARK_LOW, &wm);

	if (!err)
		err = ms_zone_member(c->t, c->l, zone, MS_ZONE_BOOST, &boost);
	if (!err)
		*pages = wm + boost;
	return err;
}

/* One zone: counters, managed pages, low watermark, per-cpu free pages. */
static void read_zone(struct mi_ctx *c, unsigned int n, unsigned int z)
{
	uint64_t zone = ms_zone_addr(c->k, n, z), present, managed, low, pcp;
	struct ms_counters cnt;
	struct ms_error *err;

	err = ms_zone_member(c->t, c->l, zone, MS_ZONE_PRESENT, &present);
	if (err) {
		err = ms_error_wrap(err, "node %d zone %u", c->k->node_id[n], z);
		ms_warn(c->t, "%s", ms_error_string(err));
		zone_unknown(c, err);
		return;
	}
	if (!present)		/* populated_zone(): nothing to count */
		return;
	err = ms_zone_counters(c->t, zone, &cnt);
	if (!err) {
		add_counters(c->zone, &cnt);
		if (!cnt.diff_ok)
			c->mi->diffs_folded = false;
		if ((int)z == c->highmem_idx)
			c->zone_high_free += ms_counter(&cnt, ms_stat_index(c->t, "NR_FREE_PAGES"));
	} else {
		err = ms_error_wrap(err, "node %d zone %u", c->k->node_id[n], z);
		ms_warn(c->t, "%s", ms_error_string(err));
		mi_part_fail(&c->zone_part, err);
	}
	err = ms_zone_member(c->t, c->l, zone, MS_ZONE_MANAGED, &managed);
	if (err) {
		mi_part_fail(&c->managed_part, err);
	} else {
		c->managed += managed;
		if ((int)z == c->highmem_idx)
			c->managed_high += managed;
	}
	err = low_wmark(c, zone, &low);
	if (err)
		mi_part_fail(&c->wmark_part, err);
	else
		c->wmark_low += low;
	err = ms_zone_pcp_pages(c->t, c->k, c->l, zone, &pcp);
	c->mi->extra.pcp_free += pcp;
	if (err) {
		c->mi->extra.pcp_ok = false;
		ms_error_destroy(err);	/* a category of the summary, marked unknown */
	}
}

static void read_node(struct mi_ctx *c, unsigned int n)
{
	struct ms_counters cnt;
	struct ms_error *err = ms_node_counters(c->t, c->k->pgdat[n], &cnt);

	if (err) {
		err = ms_error_wrap(err, "node %d", c->k->node_id[n]);
		ms_warn(c->t, "%s", ms_error_string(err));
		mi_part_fail(&c->node_part, err);
		return;
	}
	add_counters(c->node, &cnt);
	if (!cnt.diff_ok)
		c->mi->diffs_folded = false;
}

/* Counters of the nodes in view (all, or node c->mi->node) and of their zones. */
static struct ms_error *gather(struct mi_ctx *c)
{
	struct mi_part ok = { .ok = true };
	struct ms_error *zerr;
	int nodes = 0;

	c->node_part = c->zone_part = c->managed_part = c->wmark_part = ok;
	c->highmem_idx = (int)enum_or_absent(c->t, "ZONE_HIGHMEM");
	c->mi->extra.pcp_ok = true;
	c->mi->diffs_folded = true;
	zerr = ms_zone_layout(c->t, &c->l);
	for (unsigned int n = 0; n < c->k->nr_nodes; n++) {
		if (c->mi->node >= 0 && c->k->node_id[n] != c->mi->node)
			continue;
		nodes++;
		read_node(c, n);
		for (unsigned int z = 0; !zerr && z < c->k->nr_zones; z++)
			read_zone(c, n, z);
	}
	if (!nodes) {
		ms_error_destroy(zerr);
		return ms_error_create(MS_ERR_USAGE, "no node %d in this dump", c->mi->node);
	}
	if (zerr) {
		ms_warn(c->t, "%s", ms_error_string(zerr));
		zone_unknown(c, zerr);
	}
	return NULL;
}

/* ---- the lines ---- */

/* Line i is computed from lines a and b: true if both are known, else i is
 * unknown for the first one's cause. */
static bool both_known(struct mi_ctx *c, enum ms_mi_item i, enum ms_mi_item a, enum ms_mi_item b)
{
	if (!known(c, a))
		set_unknown_as(c, i, a);
	else if (!known(c, b))
		set_unknown_as(c, i, b);
	return known(c, a) && known(c, b);
}

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
	if (both_known(c, MS_MI_ACTIVE, MS_MI_ACTIVE_ANON, MS_MI_ACTIVE_FILE))
		set_kb(c, MS_MI_ACTIVE, c->mi->val[MS_MI_ACTIVE_ANON] + c->mi->val[MS_MI_ACTIVE_FILE]);
	if (both_known(c, MS_MI_INACTIVE, MS_MI_INACTIVE_ANON, MS_MI_INACTIVE_FILE))
		set_kb(c, MS_MI_INACTIVE,
		       c->mi->val[MS_MI_INACTIVE_ANON] + c->mi->val[MS_MI_INACTIVE_FILE]);
}

static const char *const slab_r[] = { "NR_SLAB_RECLAIMABLE_B", "NR_SLAB_RECLAIMABLE", NULL };
static const char *const slab_u[] = { "NR_SLAB_UNRECLAIMABLE_B", "NR_SLAB_UNRECLAIMABLE", NULL };

static void lines_slab(struct mi_ctx *c)
{
	static const enum ms_mi_item all[] = {
		MS_MI_KRECLAIMABLE, MS_MI_SLAB, MS_MI_SRECLAIMABLE, MS_MI_SUNRECLAIM,
	};
	int64_t r, u, misc;
	struct ms_error *err = stat_any(c, slab_r, &r);

	if (!err)
		err = stat_any(c, slab_u, &u);
	if (err) {
		for (unsigned int i = 0; i < 4; i++)
			set_unknown(c, all[i], "%s", ms_error_string(err));
		ms_error_destroy(err);
		return;
	}
	err = stat1(c, "NR_KERNEL_MISC_RECLAIMABLE", &misc);
	if (err)
		set_unknown_err(c, MS_MI_KRECLAIMABLE, err);
	else
		set_pages(c, MS_MI_KRECLAIMABLE, (uint64_t)(r + misc));
	set_pages(c, MS_MI_SLAB, (uint64_t)(r + u));
	set_pages(c, MS_MI_SRECLAIMABLE, (uint64_t)r);
	set_pages(c, MS_MI_SUNRECLAIM, (uint64_t)u);
}

/* A line from a counter the kernel keeps in kB (NR_KERNEL_STACK_KB, NR_KERNEL_SCS_KB). */
static void line_stat_kb(struct mi_ctx *c, enum ms_mi_item i, const char *name)
{
	int64_t v;
	struct ms_error *err = stat1(c, name, &v);

	if (err)
		set_unknown_err(c, i, err);
	else
		set_kb(c, i, (uint64_t)v);
}

static void lines_stacks(struct mi_ctx *c)
{
	line_stat_kb(c, MS_MI_KERNELSTACK, "NR_KERNEL_STACK_KB");
	if (ms_stat_index(c->t, "NR_KERNEL_SCS_KB") >= 0)	/* CONFIG_SHADOW_CALL_STACK */
		line_stat_kb(c, MS_MI_SHADOWCALLSTACK, "NR_KERNEL_SCS_KB");
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

	if (!ms_has_symbol(c->t, "transparent_hugepage_flags"))
		return;		/* !CONFIG_TRANSPARENT_HUGEPAGE */
	for (unsigned int i = 0; i < sizeof(thp) / sizeof(thp[0]); i++)
		line_stat1(c, thp[i].item, thp[i].name);
}

/* Lines both files have, from vm_stat items of the nodes and zones in view. */
static void lines_common(struct mi_ctx *c)
{
	static const char *const anon[] = { "NR_ANON_MAPPED", "NR_ANON_PAGES", NULL };
	struct ms_error *err;
	int64_t v = 0;

	line_stat1(c, MS_MI_MEMFREE, "NR_FREE_PAGES");
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
	err = stat1(c, "NR_UNSTABLE_NFS", &v);
	set_pages(c, MS_MI_NFS_UNSTABLE, !err && v > 0 ? (uint64_t)v : 0);
	ms_error_destroy(err);
	line_stat1(c, MS_MI_BOUNCE, "NR_BOUNCE");
	line_stat1(c, MS_MI_WRITEBACKTMP, "NR_WRITEBACK_TEMP");
	lines_thp(c);
	mi_lines_hugetlb(c);
}

/* HighTotal/HighFree/LowTotal/LowFree (CONFIG_HIGHMEM), from the zones in view. */
static void lines_highmem(struct mi_ctx *c)
{
	static const enum ms_mi_item all[] = {
		MS_MI_HIGHTOTAL, MS_MI_HIGHFREE, MS_MI_LOWTOTAL, MS_MI_LOWFREE,
	};

	if (c->highmem_idx < 0)
		return;
	for (unsigned int i = 0; i < 4; i++) {
		if (!c->managed_part.ok)
			set_unknown(c, all[i], "zone managed_pages unreadable: %s", c->managed_part.why);
		else if (!known(c, MS_MI_MEMFREE))
			set_unknown_as(c, all[i], MS_MI_MEMFREE);
		else if (!known(c, MS_MI_MEMTOTAL))
			set_unknown_as(c, all[i], MS_MI_MEMTOTAL);
	}
	if (!c->managed_part.ok || !known(c, MS_MI_MEMFREE) || !known(c, MS_MI_MEMTOTAL))
		return;
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
	int64_t lf = 0, li = 0, r = 0, misc = 0;
	uint64_t reserve = 0;
	struct ms_error *err = NULL;

	if (!known(c, MS_MI_MEMFREE)) {
		set_unknown_as(c, MS_MI_MEMAVAILABLE, MS_MI_MEMFREE);
		return;
	}
	err = stat1(c, "NR_ACTIVE_FILE", &lf);
	if (!err)
		err = stat1(c, "NR_INACTIVE_FILE", &li);
	if (!err)
		err = stat_any(c, slab_r, &r);
	if (!err)
		err = stat1(c, "NR_KERNEL_MISC_RECLAIMABLE", &misc);
	if (!err)
		err = mi_part_error(&c->wmark_part, "zone watermarks");
	if (!err)
		err = mi_sym_ulong(c, "totalreserve_pages", &reserve);
	if (err) {
		set_unknown_err(c, MS_MI_MEMAVAILABLE, err);
		return;
	}
	set_pages(c, MS_MI_MEMAVAILABLE,
		  ms_mem_available(pages_of(c, MS_MI_MEMFREE), reserve, (uint64_t)lf + (uint64_t)li,
				   (uint64_t)r, (uint64_t)misc, c->wmark_low));
}

static void lines_cache(struct mi_ctx *c)
{
	int64_t file = 0, swapcache = 0, cached;
	struct ms_error *ferr = stat1(c, "NR_FILE_PAGES", &file);
	struct ms_error *serr = stat1(c, "NR_SWAPCACHE", &swapcache);
	struct ms_error *err;
	uint64_t buffers;

	/* total_swapcache_pages() is NR_SWAPCACHE since 5.12 */
	if (serr) {
		set_unknown(c, MS_MI_SWAPCACHED, "%s (kernel before 5.12?)", ms_error_string(serr));
	} else {
		set_pages(c, MS_MI_SWAPCACHED, (uint64_t)swapcache);
		c->mi->extra.swapcache = (uint64_t)swapcache;
	}
	err = mi_blockdev_pages(c, &buffers);
	if (err) {
		set_unknown_err(c, MS_MI_BUFFERS, err);
		set_unknown(c, MS_MI_CACHED, "needs Buffers: %s", c->mi->why[MS_MI_BUFFERS]);
	} else {
		set_pages(c, MS_MI_BUFFERS, buffers);
		if (ferr || serr) {
			set_unknown(c, MS_MI_CACHED, "%s", ms_error_string(ferr ? ferr : serr));
		} else {
			cached = file - swapcache - (int64_t)buffers;
			set_pages(c, MS_MI_CACHED, cached < 0 ? 0 : (uint64_t)cached);
		}
	}
	ms_error_destroy(ferr);
	ms_error_destroy(serr);
}

static void lines_cma(struct mi_ctx *c)
{
	struct ms_error *err;
	uint64_t total;

	if (!ms_has_symbol(c->t, "cma_areas"))
		return;		/* !CONFIG_CMA (totalcma_pages exists either way) */
	err = mi_sym_ulong(c, "totalcma_pages", &total);
	if (err)
		set_unknown_err(c, MS_MI_CMATOTAL, err);
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

/* A line from a global counter of pages. */
static void line_global(struct mi_ctx *c, enum ms_mi_item i, const char *sym)
{
	uint64_t v;
	struct ms_error *err = mi_sym_ulong(c, sym, &v);

	if (err)
		set_unknown_err(c, i, err);
	else
		set_pages(c, i, v);
}

static void lines_global(struct mi_ctx *c)
{
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
	line_global(c, MS_MI_VMALLOCUSED, "nr_vmalloc_pages");
	set_kb(c, MS_MI_VMALLOCCHUNK, 0);	/* always 0 since 5.3 */
	mi_line_percpu(c);
	if (ms_has_symbol(c->t, "num_poisoned_pages"))	/* CONFIG_MEMORY_FAILURE */
		line_global(c, MS_MI_HARDWARECORRUPTED, "num_poisoned_pages");
	lines_cma(c);
	line_unaccepted(c);
	mi_lines_directmap(c);
	/* CONFIG_VMAP_STACK: task_struct.stack_vm_area exists */
	c->mi->extra.vmap_stack = ms_has_member(c->t, "task_struct", "stack_vm_area");
}

static void lines_node(struct mi_ctx *c)
{
	struct ms_error *err;
	int64_t v = 0;

	mi_line_memtotal(c);
	lines_common(c);
	if (both_known(c, MS_MI_MEMUSED, MS_MI_MEMTOTAL, MS_MI_MEMFREE))
		set_kb(c, MS_MI_MEMUSED, c->mi->val[MS_MI_MEMTOTAL] - c->mi->val[MS_MI_MEMFREE]);
	/* swapcached = 0 without CONFIG_SWAP: NR_SWAPCACHE is there either way */
	err = stat1(c, "NR_SWAPCACHE", &v);
	set_pages(c, MS_MI_SWAPCACHED, !err && v > 0 ? (uint64_t)v : 0);
	ms_error_destroy(err);
	line_stat1(c, MS_MI_FILEPAGES, "NR_FILE_PAGES");
	lines_highmem(c);
	line_unaccepted(c);
}

struct ms_error *ms_meminfo_read(struct ms_target *t, int node, struct ms_meminfo *mi)
{
	struct mi_ctx c = { .t = t, .mi = mi };
	struct ms_error *err;

	memset(mi, 0, sizeof(*mi));
	mi->node = node < 0 ? -1 : node;
	err = ms_kernel_get(t, &c.k);
	if (!err)
		err = gather(&c);
	if (err)
		return err;
	if (!c.node_part.ok)
		ms_warn(t, "node counters unreadable: their lines are unknown");
	if (!c.zone_part.ok)
		ms_warn(t, "zone counters unreadable: their lines are unknown");
	if (!mi->diffs_folded)
		ms_warn(t, "some per-cpu counter deltas unreadable: counters may be off by them");
	if (node < 0) {
		lines_global(&c);
		ms_meminfo_breakdown(mi, t->page_shift);
	} else {
		lines_node(&c);
	}
	return NULL;
}
