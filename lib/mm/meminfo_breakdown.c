/*
 * meminfo_breakdown.c - where USED is: the meminfo lines sorted into the
 * categories of a kmem -i style summary, and the remainder no counter
 * accounts for.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "meminfo.h"

/* More pages than 4 PiB of memory: a counter read from corrupted memory.
 * Below it, the sum of every category cannot overflow. */
#define MS_BD_MAX_PAGES (1ll << 40)

/* Pages of line i: 0 for a line this kernel does not print; false if unknown
 * (or beyond any machine: the category is then unknown, not a wild sum). */
static bool line_pages(const struct ms_meminfo *mi, enum ms_mi_item i, unsigned int shift,
		       int64_t *pages)
{
	*pages = 0;
	if (mi->state[i] == MS_MI_UNKNOWN)
		return false;
	if (mi->state[i] == MS_MI_OK) {
		uint64_t p = mi->val[i] >> (shift - 10);

		if (p > (uint64_t)MS_BD_MAX_PAGES)
			return false;
		*pages = (int64_t)p;
	}
	return true;
}

static void cat(struct ms_mi_breakdown *b, enum ms_mi_cat c, bool ok, int64_t pages)
{
	if (pages > MS_BD_MAX_PAGES || pages < -MS_BD_MAX_PAGES)
		ok = false;
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
	ok = line_pages(mi, MS_MI_PERCPU, shift, &pcpu) && mi->extra.percpu_first_ok &&
	     mi->extra.percpu_first <= (uint64_t)MS_BD_MAX_PAGES;
	cat(b, MS_CAT_PERCPU, ok, pcpu - (int64_t)mi->extra.percpu_first);
	ok = line_pages(mi, MS_MI_HUGETLB, shift, &huge);
	cat(b, MS_CAT_HUGETLB, ok, huge);
	cat(b, MS_CAT_PCP_FREE, mi->extra.pcp_ok && mi->extra.pcp_free <= (uint64_t)MS_BD_MAX_PAGES,
	    (int64_t)mi->extra.pcp_free);

	b->complete = b->ok;
	for (unsigned int c = 0; c < MS_CAT_NR; c++) {
		b->accounted += b->cat[c];
		if (!b->cat_ok[c])
			b->complete = false;
	}
	b->unaccounted = b->used - b->accounted;
}
