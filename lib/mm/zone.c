/*
 * zone.c - struct zone, struct free_area and struct per_cpu_pages, resolved
 * once per target; and every node and zone read the way mm/vmstat.c
 * zoneinfo_show_print() (v6.1) reads them, so /proc/zoneinfo can be
 * reproduced from a dump.
 *
 * Era fallbacks, each resolved by name:
 *   zone->_watermark[] (5.0+)          zone->watermark[]
 *   zone->per_cpu_pageset (5.14+)      zone->pageset->pcp   (struct per_cpu_pages)
 *   zone->per_cpu_zonestats (5.14+)    zone->pageset        (the counter deltas, vmstat.c)
 *   zone->managed_pages: atomic_long_t (5.0+) or unsigned long, one word either way
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "version.h"
#include "zone.h"

/* mm/internal.h: a node kswapd failed this often is "unreclaimable" (a #define). */
#define MS_MAX_RECLAIM_RETRIES 16
/* x86_64: HPAGE_PMD_NR = 1 << (PMD_SHIFT - PAGE_SHIFT), PMD_SHIFT 21 (not in debug info). */
#define MS_PMD_SHIFT 21

/* ---- the layout ---- */

static const struct {
	const char *name;
	bool optional;		/* absent reads 0: the kernel has no such count */
} zone_members[MS_ZONE_NR_MEMBERS] = {
	[MS_ZONE_SPANNED] = { "spanned_pages", false },
	[MS_ZONE_PRESENT] = { "present_pages", false },
	[MS_ZONE_MANAGED] = { "managed_pages", false },
	[MS_ZONE_CMA] = { "cma_pages", true },
	[MS_ZONE_START_PFN] = { "zone_start_pfn", false },
	[MS_ZONE_BOOST] = { "watermark_boost", true },
	[MS_ZONE_HIGHATOMIC] = { "nr_reserved_highatomic", true },
};

/* A width from debug info, or the word size where it is unknown or odd. */
static size_t width_or_word(struct ms_target *t, long w)
{
	return (w > 0 && w <= 8) ? (size_t)w : t->word_size;
}

static struct ms_field member_field(struct ms_target *t, const char *sname, const char *member)
{
	struct ms_field f = { ms_member_offset(t, sname, member), 0 };

	f.width = width_or_word(t, f.off >= 0 ? ms_member_size(t, sname, member) : -1);
	return f;
}

static void resolve_wmarks(struct ms_target *t, struct ms_zone_layout *l)
{
	static const char *const names[] = { "WMARK_MIN", "WMARK_LOW", "WMARK_HIGH", "WMARK_PROMO" };
	static const char *const wm[] = { "_watermark", "watermark", NULL };
	long size, nr = ms_enum_or(t, "NR_WMARK", -1);

	l->wmark = ms_member_offset_any(t, "zone", wm);
	for (unsigned int i = 0; i <= MS_NR_WMARK; i++)
		l->wmark_idx[i] = ms_enum_or(t, names[i], -1);
	/* The element's width: the array's size over NR_WMARK (unsigned long). */
	size = ms_member_size(t, "zone", "_watermark");
	if (size <= 0)
		size = ms_member_size(t, "zone", "watermark");
	l->wmark_w = t->word_size;
	if (nr > 0 && size > 0 && size % nr == 0 && size / nr <= 8)
		l->wmark_w = (size_t)(size / nr);
}

/* long lowmem_reserve[MAX_NR_ZONES]. */
static void resolve_reserve(struct ms_target *t, const struct ms_kernel *k,
			    struct ms_zone_layout *l)
{
	long size = ms_member_size(t, "zone", "lowmem_reserve");

	l->reserve = ms_member_offset(t, "zone", "lowmem_reserve");
	l->nr_reserve = 0;
	if (l->reserve < 0 || size <= 0 || size % (long)k->nr_zones)
		return;
	l->reserve_w = (size_t)(size / (long)k->nr_zones);
	if (l->reserve_w <= 8)
		l->nr_reserve = k->nr_zones;
}

/* free_area[NR_PAGE_ORDERS]: the number of orders is the array's length
 * (MAX_ORDER is a #define, no enumerator), counted here and nowhere else. */
static void resolve_free_area(struct ms_target *t, struct ms_zone_layout *l)
{
	long total = ms_member_size(t, "zone", "free_area");
	long lists = ms_member_size(t, "free_area", "free_list");
	struct ms_field nr_free = member_field(t, "free_area", "nr_free");

	l->free_area = ms_member_offset(t, "zone", "free_area");
	l->free_area_size = ms_struct_size(t, "free_area");
	l->nr_free = nr_free.off;
	l->nr_free_w = nr_free.width;
	l->free_list = ms_member_offset(t, "free_area", "free_list");
	l->list_head_size = ms_struct_size(t, "list_head");
	l->nr_orders = 0;
	if (l->free_area >= 0 && l->free_area_size > 0 && total > 0 &&
	    total / l->free_area_size <= MS_MAX_ORDERS)
		l->nr_orders = (unsigned int)(total / l->free_area_size);
	l->nr_migratetypes = 0;
	if (l->free_list >= 0 && l->list_head_size > 0 && lists > 0)
		l->nr_migratetypes = (unsigned int)(lists / l->list_head_size);
}

/* struct per_cpu_pages: zone->per_cpu_pageset (5.14+) or zone->pageset->pcp. */
static void resolve_pcp(struct ms_target *t, struct ms_zone_layout *l)
{
	l->pcp = ms_member_offset(t, "zone", "per_cpu_pageset");
	l->pcp_base = 0;
	if (l->pcp < 0) {
		l->pcp = ms_member_offset(t, "zone", "pageset");
		l->pcp_base = ms_member_offset(t, "per_cpu_pageset", "pcp");
	}
	l->pcp_count = ms_member_offset(t, "per_cpu_pages", "count");
	l->pcp_high = ms_member_offset(t, "per_cpu_pages", "high");
	l->pcp_batch = ms_member_offset(t, "per_cpu_pages", "batch");
	l->pcp_w = 4;			/* int */
	if (l->pcp_count >= 0) {
		long w = ms_member_size(t, "per_cpu_pages", "count");

		if (w > 0 && w <= 8)
			l->pcp_w = (size_t)w;
	}
}

/* Where vmstat.c finds the counters and their per-cpu deltas. */
static void resolve_counters(struct ms_target *t, struct ms_zone_layout *l)
{
	l->vm_stat = ms_member_offset(t, "zone", "vm_stat");
	l->zonestats = ms_member_offset(t, "zone", "per_cpu_zonestats");
	l->zonestats_old = l->zonestats < 0;
	if (l->zonestats_old)
		l->zonestats = ms_member_offset(t, "zone", "pageset");
	l->numa_event = ms_member_offset(t, "zone", "vm_numa_event");
}

static void resolve(struct ms_target *t, const struct ms_kernel *k, struct ms_zone_layout *l)
{
	l->size = ms_struct_size(t, "zone");
	for (unsigned int m = 0; m < MS_ZONE_NR_MEMBERS; m++)
		l->member[m] = member_field(t, "zone", zone_members[m].name);
	resolve_wmarks(t, l);
	resolve_reserve(t, k, l);
	resolve_free_area(t, l);
	resolve_pcp(t, l);
	resolve_counters(t, l);
}

struct ms_error *ms_zone_layout(struct ms_target *t, const struct ms_zone_layout **lp)
{
	const struct ms_kernel *k;
	struct ms_kernel *mk;
	struct ms_zone_layout *l;
	struct ms_error *err = ms_kernel_get(t, &k);

	*lp = NULL;
	if (err)
		return err;
	if (k->zone_layout) {
		*lp = k->zone_layout;
		return NULL;
	}
	l = calloc(1, sizeof(*l));
	if (!l)
		return &ms_error_nomem;
	resolve(t, k, l);
	if (!ms_zone_has(l, MS_ZONE_PRESENT))
		err = ms_error_create(MS_ERR_LOOKUP, "cannot resolve struct zone (zone.present_pages)");
	else if (l->size > 0 && l->size != k->zone_size)
		err = ms_error_create(MS_ERR_CORRUPT,
				      "sizeof(struct zone) %ld is not the stride %ld of pglist_data.node_zones[]",
				      l->size, k->zone_size);
	if (err) {
		free(l);
		return err;
	}
	mk = t->kern;		/* the facts k points to: they keep the layout */
	mk->zone_layout = l;
	*lp = l;
	return NULL;
}

/* ---- readers ---- */

/* Of several failures, the first is reported: the others are dropped. */
static struct ms_error *keep_first(struct ms_error *first, struct ms_error *err)
{
	if (!first)
		return err;
	ms_error_destroy(err);
	return first;
}

/* A signed integer of width bytes (int counts, s8 thresholds). */
static struct ms_error *read_sint(struct ms_target *t, uint64_t addr, size_t width, long *v)
{
	uint64_t u = 0;
	struct ms_error *err = ms_read_uint(t, addr, width, &u);

	*v = 0;
	if (err)
		return err;
	if (width < 8 && (u >> (8 * width - 1)) & 1)
		u |= ~0ull << (8 * width);
	*v = (long)(int64_t)u;
	return NULL;
}

struct ms_error *ms_zone_member(struct ms_target *t, const struct ms_zone_layout *l,
				uint64_t zone, enum ms_zone_member m, uint64_t *v)
{
	const struct ms_field *f = &l->member[m];

	*v = 0;
	if (f->off < 0)
		return zone_members[m].optional ? NULL :
		       ms_error_create(MS_ERR_LOOKUP, "no zone.%s", zone_members[m].name);
	return ms_error_wrap(ms_read_uint(t, zone + f->off, f->width, v), "zone.%s",
			     zone_members[m].name);
}

struct ms_error *ms_zone_wmark_raw(struct ms_target *t, const struct ms_zone_layout *l,
				   uint64_t zone, unsigned int w, uint64_t *v)
{
	long idx = w <= MS_NR_WMARK ? l->wmark_idx[w] : -1;

	*v = 0;
	if (l->wmark < 0 || idx < 0)
		return ms_error_create(MS_ERR_LOOKUP, "cannot resolve zone._watermark[%u]", w);
	return ms_error_wrap(ms_read_uint(t, zone + l->wmark + (uint64_t)idx * l->wmark_w,
					  l->wmark_w, v), "zone._watermark[%ld]", idx);
}

struct ms_error *ms_zone_nr_free(struct ms_target *t, const struct ms_zone_layout *l,
				 uint64_t zone, unsigned int order, uint64_t *v)
{
	*v = 0;
	if (!l->nr_orders || l->nr_free < 0)
		return ms_error_create(MS_ERR_LOOKUP, "cannot resolve zone.free_area[].nr_free");
	if (order >= l->nr_orders)
		return ms_error_create(MS_ERR_USAGE, "no order %u", order);
	return ms_error_wrap(ms_read_uint(t, zone + l->free_area +
					  (uint64_t)order * l->free_area_size + l->nr_free,
					  l->nr_free_w, v), "free_area[%u].nr_free", order);
}

static bool have_pcp(const struct ms_zone_layout *l)
{
	return l->pcp >= 0 && l->pcp_base >= 0 && l->pcp_count >= 0;
}

struct ms_error *ms_zone_pcp_ptr(struct ms_target *t, const struct ms_zone_layout *l,
				 uint64_t zone, uint64_t *pcp)
{
	struct ms_error *err;

	*pcp = 0;
	if (!have_pcp(l))
		return ms_error_create(MS_ERR_LOOKUP,
				       "cannot resolve the per-cpu page lists (per_cpu_pages.count)");
	err = ms_read_ptr(t, zone + l->pcp, pcp);
	if (err)
		return ms_error_wrap(err, "zone's per-cpu page lists");
	if (!*pcp)
		return ms_error_create(MS_ERR_CORRUPT, "the zone at %#llx has no per-cpu page lists",
				       (unsigned long long)zone);
	return NULL;
}

struct ms_error *ms_zone_pcp_read(struct ms_target *t, const struct ms_kernel *k,
				  const struct ms_zone_layout *l, uint64_t pcp, unsigned int cpu,
				  struct ms_pcp *p)
{
	uint64_t base = ms_percpu_addr(k, pcp, cpu) + l->pcp_base;
	struct ms_error *first;

	p->cpu = cpu;
	p->high = p->batch = 0;
	p->stat_threshold = -1;
	first = read_sint(t, base + l->pcp_count, l->pcp_w, &p->count);
	if (l->pcp_high >= 0) {
		first = keep_first(first, read_sint(t, base + l->pcp_high, l->pcp_w, &p->high));
	}
	if (l->pcp_batch >= 0) {
		first = keep_first(first, read_sint(t, base + l->pcp_batch, l->pcp_w, &p->batch));
	}
	p->ok = !first;
	return ms_error_wrap(first, "cpu %u per_cpu_pages", cpu);
}

/* cpu's struct per_cpu_pages of a zone (pcp from ms_zone_pcp_ptr()) and its
 * count, negative counts as 0; the error names the cpu. */
static struct ms_error *pcp_count(struct ms_target *t, const struct ms_kernel *k,
				  const struct ms_zone_layout *l, uint64_t pcp, unsigned int cpu,
				  uint64_t *base, uint64_t *count)
{
	struct ms_error *err;
	long n;

	*count = 0;
	*base = ms_percpu_addr(k, pcp, cpu) + l->pcp_base;
	err = read_sint(t, *base + l->pcp_count, l->pcp_w, &n);
	if (err)
		return ms_error_wrap(err, "cpu %u per_cpu_pages.count", cpu);
	*count = n > 0 ? (uint64_t)n : 0;
	return NULL;
}

struct ms_error *ms_zone_pcp_pages(struct ms_target *t, const struct ms_kernel *k,
				   const struct ms_zone_layout *l, uint64_t zone, uint64_t *pages)
{
	struct ms_error *first = NULL;
	const unsigned int *cpus;
	unsigned int nr;
	uint64_t pcp;

	*pages = 0;
	first = ms_zone_pcp_ptr(t, l, zone, &pcp);
	if (first)
		return first;
	cpus = ms_sum_cpus(k, &nr);
	for (unsigned int i = 0; i < nr; i++) {
		uint64_t base, n;
		struct ms_error *err = pcp_count(t, k, l, pcp, cpus[i], &base, &n);

		if (err) {
			first = keep_first(first, err);
			continue;
		}
		*pages += n;
	}
	return first;
}

/*
 * The lists of struct per_cpu_pages (5.14+: lists[NR_PCP_LISTS]) hold free
 * blocks through page->pcp_list (page->lru before 5.19, the same place).
 * List pindex holds order pindex_to_order() (mm/page_alloc.c, 6.1 and
 * 6.12): pindex / MIGRATE_PCPTYPES below NR_LOWORDER_PCP_LISTS =
 * MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1), and the THP lists above
 * it pageblock_order (HPAGE_PMD_ORDER, 9 on x86_64); free_pcppages_bulk()
 * takes 1 << order off pcp->count for each.
 */
#define MS_PAGE_ALLOC_COSTLY_ORDER 3	/* include/linux/mmzone.h, every era */
#define MS_PCP_THP_ORDER 9		/* x86_64 HPAGE_PMD_ORDER */
#define MS_PCP_MAX_LISTS 64

struct pcp_walk {
	ms_pcp_block_fn fn;
	void *arg;
	long node_off;
	unsigned int order;
	uint64_t pages;
};

static struct ms_error *pcp_block(struct ms_target *t, uint64_t node, void *arg)
{
	struct pcp_walk *w = arg;

	(void)t;
	w->pages += 1ull << w->order;
	return w->fn ? w->fn(node - (uint64_t)w->node_off, w->order, w->arg) : NULL;
}

struct ms_error *ms_zone_pcp_walk(struct ms_target *t, const struct ms_kernel *k,
				  const struct ms_zone_layout *l, uint64_t zone,
				  ms_pcp_block_fn fn, void *arg, uint64_t *pages, uint64_t *count)
{
	long lists = ms_member_offset(t, "per_cpu_pages", "lists");
	long lsize = ms_member_size(t, "per_cpu_pages", "lists");
	long lh = ms_struct_size(t, "list_head");
	long pcptypes = ms_enum_or(t, "MIGRATE_PCPTYPES", -1);
	struct pcp_walk w = { .fn = fn, .arg = arg };
	struct ms_error *first;
	const unsigned int *cpus;
	unsigned int nr, nr_lists;
	uint64_t pcp;

	*pages = *count = 0;
	w.node_off = ms_member_offset(t, "page", "pcp_list");
	if (w.node_off < 0)
		w.node_off = ms_member_offset(t, "page", "lru");
	if (lists < 0 || lsize <= 0 || lh <= 0 || pcptypes <= 0 || w.node_off < 0 ||
	    l->pcp_count < 0 || lsize / lh > MS_PCP_MAX_LISTS)
		return ms_error_create(MS_ERR_LOOKUP, "no layout of per_cpu_pages.lists[], "
				       "MIGRATE_PCPTYPES or page.pcp_list");
	nr_lists = (unsigned int)(lsize / lh);
	first = ms_zone_pcp_ptr(t, l, zone, &pcp);
	if (first)
		return first;
	cpus = ms_sum_cpus(k, &nr);
	for (unsigned int i = 0; i < nr; i++) {
		uint64_t base, n;
		struct ms_error *err = pcp_count(t, k, l, pcp, cpus[i], &base, &n);

		if (err) {
			first = keep_first(first, err);
			continue;
		}
		*count += n;
		for (unsigned int p = 0; p < nr_lists; p++) {
			struct ms_list_result r;

			w.order = p < (unsigned int)pcptypes * (MS_PAGE_ALLOC_COSTLY_ORDER + 1) ?
				  p / (unsigned int)pcptypes : MS_PCP_THP_ORDER;
			/* no list holds more blocks than the cpu's count of pages */
			err = ms_list_visit(t, base + (uint64_t)lists + (uint64_t)p * (uint64_t)lh,
					    n + 1, 0, pcp_block, &w, &r);
			if (!err && r.status != MS_LIST_OK)
				err = ms_error_at(MS_ERR_CORRUPT, r.where, "%s",
						  ms_list_status_name(r.status));
			if (err)
				first = keep_first(first, ms_error_wrap(err, "cpu %u pcp list %u",
									 cpus[i], p));
		}
	}
	*pages = w.pages;
	return first;
}

/* ---- /proc/zoneinfo ---- */

static bool have_zoneinfo_essentials(const struct ms_zone_layout *l)
{
	return l->wmark >= 0 && l->wmark_idx[MS_WMARK_MIN] >= 0 &&
	       l->wmark_idx[MS_WMARK_LOW] >= 0 && l->wmark_idx[MS_WMARK_HIGH] >= 0 &&
	       ms_zone_has(l, MS_ZONE_PRESENT) && ms_zone_has(l, MS_ZONE_SPANNED) &&
	       ms_zone_has(l, MS_ZONE_MANAGED);
}

/* The parts zoneinfo goes without, said once per read. */
static void warn_missing_parts(struct ms_target *t, const struct ms_zone_layout *l)
{
	if (!l->nr_reserve)
		ms_warn(t, "cannot resolve zone.lowmem_reserve[]: protection left out");
	if (!l->nr_orders || l->nr_free < 0)
		ms_warn(t, "cannot resolve zone.free_area: no free block counts");
	if (!have_pcp(l))
		ms_warn(t, "cannot resolve the per-cpu page lists (per_cpu_pages.count)");
}

static struct ms_error *read_reserve(struct ms_target *t, const struct ms_zone_layout *l,
				     struct ms_zone *z)
{
	z->nr_reserve = l->nr_reserve;
	for (unsigned int i = 0; i < z->nr_reserve; i++) {
		uint64_t a = z->addr + l->reserve + (uint64_t)i * l->reserve_w, v;
		struct ms_error *err = ms_read_uint(t, a, l->reserve_w, &v);

		if (err)
			return ms_error_wrap(err, "zone.lowmem_reserve[%u]", i);
		/* long: sign-extend a narrower element */
		if (l->reserve_w < 8 && (v >> (8 * l->reserve_w - 1)) & 1)
			v |= ~0ull << (8 * l->reserve_w);
		z->lowmem_reserve[i] = (int64_t)v;
	}
	return NULL;
}

static struct ms_error *read_sizes(struct ms_target *t, const struct ms_zone_layout *l,
				   bool promo, struct ms_zone *z)
{
	uint64_t *const dst[MS_ZONE_NR_MEMBERS] = {
		[MS_ZONE_SPANNED] = &z->spanned, [MS_ZONE_PRESENT] = &z->present,
		[MS_ZONE_MANAGED] = &z->managed, [MS_ZONE_CMA] = &z->cma,
		[MS_ZONE_START_PFN] = &z->start_pfn, [MS_ZONE_BOOST] = &z->boost,
		[MS_ZONE_HIGHATOMIC] = &z->reserved_highatomic,
	};
	struct ms_error *err = NULL;

	for (unsigned int m = 0; !err && m < MS_ZONE_NR_MEMBERS; m++)
		err = ms_zone_member(t, l, z->addr, m, dst[m]);
	for (unsigned int w = 0; !err && w < MS_NR_WMARK; w++)
		err = ms_zone_wmark_raw(t, l, z->addr, w, &z->wmark[w]);
	if (!err && promo)
		err = ms_zone_wmark_raw(t, l, z->addr, MS_WMARK_PROMO, &z->promo);
	return err ? err : read_reserve(t, l, z);
}

static void read_free(struct ms_target *t, const struct ms_zone_layout *l, struct ms_zone *z)
{
	if (!l->nr_orders || l->nr_free < 0)
		return;
	z->nr_orders = l->nr_orders;
	z->free_ok = true;
	for (unsigned int o = 0; o < l->nr_orders; o++) {
		struct ms_error *err = ms_zone_nr_free(t, l, z->addr, o, &z->nr_free[o]);

		/* buddyinfo says why; zoneinfo only lists what it read */
		if (err)
			z->free_ok = false;
		ms_error_destroy(err);
	}
}

/* zoneinfo_show_print(): for_each_online_cpu, per_cpu_ptr(zone->per_cpu_pageset, cpu),
 * and per_cpu_ptr(zone->per_cpu_zonestats, cpu)->stat_threshold. */
static void read_pcp(struct ms_target *t, const struct ms_kernel *k,
		     const struct ms_zone_layout *l, struct ms_zone *z)
{
	const unsigned int *cpus = ms_sum_cpus(k, &z->nr_pcp);
	struct ms_error *first = NULL, *err;
	uint64_t pcp;

	z->pcp = calloc(z->nr_pcp ? z->nr_pcp : 1, sizeof(*z->pcp));
	err = z->pcp ? ms_zone_pcp_ptr(t, l, z->addr, &pcp) : &ms_error_nomem;
	if (err) {
		z->nr_pcp = 0;
		if (!ms_error_is(err, MS_ERR_LOOKUP))	/* a missing layout was said once */
			ms_warn_error(t, err, "node %d zone %s", z->node_id, z->name);
		else
			ms_error_destroy(err);
		return;
	}
	z->pcp_ok = true;
	for (unsigned int i = 0; i < z->nr_pcp; i++) {
		struct ms_pcp *p = &z->pcp[i];

		first = keep_first(first, ms_zone_pcp_read(t, k, l, pcp, cpus[i], p));
		/* absent before SMP builds print it; unreadable: not printed */
		ms_error_destroy(ms_zone_stat_threshold(t, z->addr, cpus[i], &p->stat_threshold));
		if (!p->ok)
			z->pcp_ok = false;
		else
			z->pcp_pages += (uint64_t)(p->count > 0 ? p->count : 0);
	}
	if (first)
		ms_warn_error(t, first, "node %d zone %s: some per-cpu page lists unreadable",
			      z->node_id, z->name);
}

static void read_numa(struct ms_target *t, unsigned int nr, struct ms_zone *z)
{
	struct ms_error *err;

	z->nr_numa = nr;
	if (!nr)
		return;
	err = ms_zone_numa_events(t, z->addr, nr, z->numa);
	z->numa_ok = !err;
	if (err)
		ms_warn_error(t, err, "node %d zone %s: NUMA event counters", z->node_id, z->name);
}

static void read_zone(struct ms_target *t, const struct ms_kernel *k,
		      const struct ms_zone_layout *l, const struct ms_zoneinfo *zi,
		      struct ms_zone *z)
{
	struct ms_error *err = read_sizes(t, l, zi->has_promo, z);

	if (err) {
		ms_warn_error(t, err, "node %d zone %s: cannot read struct zone at %#llx",
			      z->node_id, z->name, (unsigned long long)z->addr);
		return;
	}
	z->ok = true;
	z->populated = z->present != 0;
	read_free(t, l, z);
	if (!z->populated)
		return;
	err = ms_zone_counters(t, z->addr, &z->stats);
	z->stats_ok = !err;
	if (err)
		ms_warn_error(t, err, "node %d zone %s: counters", z->node_id, z->name);
	read_numa(t, zi->nr_numa_items, z);
	read_pcp(t, k, l, z);
}

/* Names from the kernel's vmstat_text[]: zone items, NUMA events, node items. */
static struct ms_error *read_names(struct ms_target *t, struct ms_zoneinfo *zi)
{
	unsigned int total = zi->nr_zone_items + zi->nr_numa_items + zi->nr_node_items;
	struct ms_error *err;
	uint64_t text, p;

	zi->zone_item = calloc(zi->nr_zone_items + 1, MS_STAT_NAME_LEN);
	zi->numa_item = calloc(zi->nr_numa_items + 1, MS_STAT_NAME_LEN);
	zi->node_item = calloc(zi->nr_node_items + 1, MS_STAT_NAME_LEN);
	if (!zi->zone_item || !zi->numa_item || !zi->node_item)
		return &ms_error_nomem;
	err = ms_symbol(t, "vmstat_text", &text);
	if (err) {
		ms_warn_error(t, err, "counter names unknown");
		return NULL;
	}
	for (unsigned int i = 0; i < total; i++) {
		char *dst = i < zi->nr_zone_items ? zi->zone_item[i] :
			    i < zi->nr_zone_items + zi->nr_numa_items ?
				zi->numa_item[i - zi->nr_zone_items] :
				zi->node_item[i - zi->nr_zone_items - zi->nr_numa_items];

		err = ms_read_ptr(t, text + (uint64_t)t->word_size * i, &p);
		if (!err)
			err = ms_read_str(t, p, dst, MS_STAT_NAME_LEN);
		if (err)
			ms_warn_error(t, err, "cannot read vmstat_text[%u]", i);
	}
	return NULL;
}

/* mm/vmstat.c vmstat_item_print_in_thp(): these node items print in THP units. */
static struct ms_error *mark_thp_items(struct ms_target *t, struct ms_zoneinfo *zi)
{
	static const char *const thp[] = { "NR_ANON_THPS", "NR_FILE_THPS", "NR_SHMEM_THPS",
					   "NR_SHMEM_PMDMAPPED", "NR_FILE_PMDMAPPED" };

	zi->hpage_pmd_nr = 1u << (MS_PMD_SHIFT - t->page_shift);
	zi->node_item_thp = calloc(zi->nr_node_items + 1, sizeof(bool));
	if (!zi->node_item_thp)
		return &ms_error_nomem;
	for (size_t i = 0; i < sizeof(thp) / sizeof(thp[0]); i++) {
		int idx = ms_stat_index(t, thp[i]);

		if (idx >= 0 && (unsigned int)idx < zi->nr_node_items)
			zi->node_item_thp[idx] = true;
	}
	return NULL;
}

static struct ms_error *count_items(struct ms_target *t, struct ms_zoneinfo *zi)
{
	static const char *const numa_items[] = { "NR_VM_NUMA_EVENT_ITEMS",
						  "NR_VM_NUMA_STAT_ITEMS", NULL };
	long z = ms_enum_or(t, "NR_VM_ZONE_STAT_ITEMS", -1);
	long n = ms_enum_or(t, "NR_VM_NODE_STAT_ITEMS", -1);
	long numa = 0;
	struct ms_error *err;

	if (z <= 0 || n <= 0 || z > MS_MAX_STAT_ITEMS || n > MS_MAX_STAT_ITEMS)
		return ms_error_create(MS_ERR_LOOKUP,
				       "cannot resolve NR_VM_ZONE_STAT_ITEMS / NR_VM_NODE_STAT_ITEMS");
	/* Without CONFIG_NUMA there is no numa_stat_item enum: 0 items. */
	err = ms_enum_any(t, numa_items, &numa);
	if (err || numa < 0 || numa > MS_MAX_NUMA_ITEMS)
		numa = 0;
	ms_error_destroy(err);
	zi->nr_zone_items = (unsigned int)z;
	zi->nr_node_items = (unsigned int)n;
	zi->nr_numa_items = (unsigned int)numa;
	zi->nr_free_idx = ms_stat_index(t, "NR_FREE_PAGES");
	return NULL;
}

static void read_node(struct ms_target *t, const struct ms_kernel *k, struct ms_zoneinfo *zi,
		      unsigned int n)
{
	struct ms_node *nd = &zi->nodes[n];
	struct ms_error *err;
	int v;

	nd->first_populated = -1;
	nd->kswapd_failures = -1;
	/* unknown before 4.12 (or unreadable): printed as not unreclaimable */
	err = ms_node_kswapd_failures(t, k, n, &v);
	if (!err)
		nd->kswapd_failures = v;
	ms_error_destroy(err);
	nd->unreclaimable = nd->kswapd_failures >= MS_MAX_RECLAIM_RETRIES;
	for (unsigned int z = 0; z < zi->zones_per_node; z++) {
		if (ms_zi_zone(zi, n, z)->populated) {
			nd->first_populated = (int)z;
			break;
		}
	}
	if (nd->first_populated < 0)
		return;
	err = ms_node_counters(t, nd->pgdat, &nd->stats);
	nd->stats_ok = !err;
	if (err)
		ms_warn_error(t, err, "node %d: counters", nd->node_id);
}

static struct ms_error *alloc_tables(struct ms_target *t, const struct ms_kernel *k,
				     struct ms_zoneinfo *zi)
{
	struct ms_error *err;

	zi->nr_nodes = k->nr_nodes;
	zi->zones_per_node = k->nr_zones;
	zi->nodes = calloc(k->nr_nodes, sizeof(*zi->nodes));
	zi->zones = calloc((size_t)k->nr_nodes * k->nr_zones, sizeof(*zi->zones));
	if (!zi->nodes || !zi->zones)
		return &ms_error_nomem;
	err = read_names(t, zi);
	return err ? err : mark_thp_items(t, zi);
}

struct ms_error *ms_zoneinfo_read(struct ms_target *t, struct ms_zoneinfo *zi)
{
	const struct ms_zone_layout *l;
	const struct ms_kernel *k;
	struct ms_error *err;

	memset(zi, 0, sizeof(*zi));
	err = ms_kernel_get(t, &k);
	if (!err)
		err = ms_zone_layout(t, &l);
	if (!err && !have_zoneinfo_essentials(l))
		err = ms_error_create(MS_ERR_LOOKUP,
				      "cannot resolve zone watermarks / spanned, present, managed pages");
	if (!err)
		err = count_items(t, zi);
	if (err)
		return err;
	warn_missing_parts(t, l);
	/* WMARK_PROMO exists since 6.0, zoneinfo_show_print() prints it since
	 * "mm: print the promo watermark in zoneinfo" (6.10): no type tells. */
	zi->has_promo = l->wmark_idx[MS_WMARK_PROMO] >= 0 &&
			ms_kernel_version(t) >= MS_KV(6, 10, 0);
	err = alloc_tables(t, k, zi);
	if (err) {
		ms_zoneinfo_free(zi);
		return err;
	}
	for (unsigned int n = 0; n < k->nr_nodes; n++) {
		zi->nodes[n].node_id = k->node_id[n];
		zi->nodes[n].pgdat = k->pgdat[n];
		for (unsigned int z = 0; z < k->nr_zones; z++) {
			struct ms_zone *zn = ms_zi_zone(zi, n, z);

			zn->node_id = k->node_id[n];
			zn->zone_idx = z;
			memcpy(zn->name, k->zone_name[z], sizeof(zn->name));
			zn->addr = ms_zone_addr(k, n, z);
			read_zone(t, k, l, zi, zn);
		}
		read_node(t, k, zi, n);
	}
	return NULL;
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
