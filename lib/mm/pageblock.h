/*
 * pageblock.h - the migratetype of a pageblock, read from the sparse memory
 * model's pageblock bitmaps (mem_section->usage->pageblock_flags), the way
 * pfn_to_online_page() and get_pageblock_migratetype() find it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_PAGEBLOCK_H
#define MEMSCOPE_PAGEBLOCK_H

#include "target.h"

enum ms_pfn_state {
	MS_PFN_ONLINE,		/* pfn_to_online_page() gives a page: *mt is its block's type */
	MS_PFN_OFFLINE,		/* pfn_to_online_page() returns NULL */
	MS_PFN_UNREADABLE,	/* the section, its usage or its bitmap cannot be read */
};

struct ms_pageblocks;

/* The layout of the sparse memory model into *pb: NULL, or why it cannot be found. */
struct ms_error *ms_pageblocks_open(struct ms_target *t, unsigned int pageblock_order,
				    struct ms_pageblocks **pb);
void ms_pageblocks_close(struct ms_pageblocks *pb);

/*
 * The migratetype bits of pfn's pageblock (PB_migrate..PB_migrate_end), if
 * pfn_to_online_page(pfn) would find a page.  The last section read is kept:
 * walking pfns in order reads each section, its usage and bitmap once.  A
 * section that cannot be read is warned about once, with the cause.
 */
enum ms_pfn_state ms_pageblock_migratetype(struct ms_pageblocks *pb, uint64_t pfn,
					   unsigned int *mt);

/* The address of pfn's struct page (__pfn_to_page() through the section's
 * section_mem_map), if pfn_to_online_page() would find one; same caching. */
enum ms_pfn_state ms_pageblock_page(struct ms_pageblocks *pb, uint64_t pfn, uint64_t *page);
/* __pfn_to_section(): the address of pfn's struct mem_section into *sec, 0
 * where __nr_to_section() finds none (beyond NR_MEM_SECTIONS, a missing
 * root).  Online or not: page_ext's lookup_page_ext() does not ask.  NULL, or
 * the error reading the root; the same root cache. */
struct ms_error *ms_pageblock_section(struct ms_pageblocks *pb, uint64_t pfn, uint64_t *sec);
/* PFN_SECTION_SHIFT: pfns per section are 1 << this. */
unsigned int ms_pageblock_section_shift(const struct ms_pageblocks *pb);

#endif
