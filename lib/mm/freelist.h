/*
 * freelist.h - the buddy allocator's free lists per zone, order and
 * migratetype (zone->free_area[order].free_list[mt]), counted by walking
 * them, and the zones' pageblocks per migratetype, read from the pageblock
 * bitmaps: what /proc/pagetypeinfo prints; and a check of the lists against
 * the nr_free counters.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_FREELIST_H
#define MEMSCOPE_FREELIST_H

#include "buddy.h"
#include "list.h"
#include "page_owner.h"

#define MS_MAX_MIGRATETYPES 8
#define MS_MIGRATETYPE_NAME_LEN 16
/* pagetypeinfo_showfree_print() stops counting a list here and prints ">". */
#define MS_PAGETYPEINFO_CAP 100000

enum ms_freelist_bound {
	MS_FREELIST_PROC,	/* the kernel's cap: lists of >= 100000 entries print ">100000" */
	MS_FREELIST_FULL,	/* up to present_pages >> order entries, what a zone can hold */
};

struct ms_freelist_cell {
	uint64_t count;			/* entries walked */
	enum ms_list_status status;
	uint64_t where;			/* where a damaged walk stopped */
};

enum ms_blocks_status {
	MS_BLOCKS_OK,		/* counted as pagetypeinfo_showblockcount_print() counts */
	MS_BLOCKS_OVERLAP,	/* the zone's pfn range overlaps another zone's */
	MS_BLOCKS_UNREADABLE,	/* its span, a mem_section or a bitmap could not be read */
	MS_BLOCKS_NO_LAYOUT,	/* the sparse memory model could not be resolved */
};

/* Pageblocks per migratetype of one zone (the "Number of blocks type" table). */
struct ms_zone_blocks {
	enum ms_blocks_status status;
	uint64_t start_pfn, end_pfn;	/* zone_start_pfn, zone_end_pfn() */
	uint64_t count[MS_MAX_MIGRATETYPES];
	uint64_t offline;		/* block starts pfn_to_online_page() rejects */
	uint64_t beyond;		/* migratetype >= MIGRATE_TYPES: not counted, as in the kernel */
	int other_node;			/* MS_BLOCKS_OVERLAP: the first zone it overlaps */
	char other_zone[MS_ZONE_NAME_LEN];
};

struct ms_zone_lists {
	struct ms_freelist_cell cell[MS_MAX_ORDERS][MS_MAX_MIGRATETYPES];
	struct ms_zone_blocks blocks;
};

struct ms_freelists {
	enum ms_freelist_bound mode;
	unsigned int nr_orders, nr_types;
	char type_name[MS_MAX_MIGRATETYPES][MS_MIGRATETYPE_NAME_LEN];
	int pageblock_order;		/* -1 if unknown */
	unsigned int nr_zones;		/* b->nr_zones */
	struct ms_zone_lists *zones;	/* zones[i] belongs to b->zones[i] */
	enum ms_page_owner page_owner;
};

/* Walk every free list of the zones in b and count their pageblocks: NULL, or
 * why the lists cannot be walked.  A damaged list is a cell's status (and a
 * warning); pageblocks that cannot be counted only set their status. */
struct ms_error *ms_freelists_read(struct ms_target *t, const struct ms_buddy *b,
				   enum ms_freelist_bound mode, struct ms_freelists *f);
void ms_freelists_free(struct ms_freelists *f);

/* blockcount.c: f->zones[].blocks and f->page_owner, for f->pageblock_order and f->nr_types. */
void ms_blocks_count(struct ms_target *t, const struct ms_buddy *b, struct ms_freelists *f);
const char *ms_blocks_status_name(enum ms_blocks_status s);

/* A cell holds a count the kernel would print: complete, or the kernel's cap. */
static inline bool ms_freelist_cell_ok(const struct ms_freelists *f,
				       const struct ms_freelist_cell *c)
{
	return c->status == MS_LIST_OK ||
	       (f->mode == MS_FREELIST_PROC && c->status == MS_LIST_TRUNCATED);
}

#endif
