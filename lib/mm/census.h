/*
 * census.h - a census of every page: one bounded pass over the memmap (the
 * struct page of every online pfn, found through the sparse memory model),
 * each pfn classified by the kernel's own page flags and page types, each
 * compound tail counted with its head.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_CENSUS_H
#define MEMSCOPE_CENSUS_H

#include <stdbool.h>
#include "target.h"

enum ms_census_class {
	MS_CC_BUDDY,		/* PageBuddy() heads and the 2^order pages they free */
	MS_CC_PCP,		/* on a per-cpu list (its blocks walked); before that walk, any
			 * _refcount 0 page without a type outside a buddy block */
	MS_CC_REF0,		/* _refcount 0, no type, on no free list: the pages after the
			 * first of a high-order allocation without __GFP_COMP */
	MS_CC_SLAB,		/* PG_slab (6.1), the slab page type (6.10+) */
	MS_CC_LRU_ANON,		/* PG_lru, PG_swapbacked, PAGE_MAPPING_ANON */
	MS_CC_LRU_SHMEM,	/* PG_lru, PG_swapbacked, a file mapping */
	MS_CC_LRU_FILE,		/* PG_lru, not PG_swapbacked */
	MS_CC_UNEVICTABLE,	/* PG_lru and PG_unevictable */
	MS_CC_PAGETABLE,	/* the table page type */
	MS_CC_HUGETLB,		/* hugetlb folios, free or in use */
	MS_CC_RESERVED,		/* PG_reserved */
	MS_CC_OFFLINE,		/* the offline page type (balloon, memory hot-unplug) */
	MS_CC_ZSMALLOC,		/* the zsmalloc page type (6.12) */
	MS_CC_OTHER_TYPE,	/* another page type (guard, unaccepted) */
	MS_CC_VMALLOC,		/* no type, in a VM_ALLOC area's pages[] (census_owners.h) */
	MS_CC_KSTACK,		/* no type, in a live thread's stack area (VMAP_STACK) */
	MS_CC_PIPE,		/* no type, a pipe's own page (its slots', tmp_page) */
	MS_CC_SOCKET,		/* no type, a queued socket buffer's head or fragment page */
	MS_CC_PGT_UPPER,	/* no type, a process's PGD (both PTI pages), P4D or PUD */
	MS_CC_NO_OWNER,		/* _refcount > 0, none of the above */
	MS_CC_TAIL_ORPHAN,	/* a compound tail whose head the walk did not see */
	MS_CC_UNREADABLE,	/* the struct page could not be read */
	MS_CC_NR
};

const char *ms_census_class_name(enum ms_census_class c);
const char *ms_census_class_key(enum ms_census_class c);	/* JSON key */

/* The layout of struct page and its flags, resolved once per era. */
struct ms_page_layout {
	long size, flags, refcount, page_type, private_, mapping, compound_head;
	long compound_dtor;		/* page[1].compound_dtor before 6.4, else -1 */
	long hugetlb_dtor;		/* HUGETLB_PAGE_DTOR */
	int pg_lru, pg_active, pg_unevictable, pg_swapbacked, pg_slab, pg_reserved, pg_head;
	bool pgty;			/* 6.11+: enum pagetype, page_type >> 24 */
	uint32_t ty_base;		/* before: PAGE_TYPE_BASE */
	uint32_t ty_buddy, ty_offline, ty_table, ty_guard, ty_hugetlb, ty_slab, ty_zsmalloc,
		 ty_unaccepted;		/* pgty: enum values; else bits (0: none) */
	unsigned int max_order;		/* a buddy order above it is corrupt */
};

struct ms_error *ms_page_layout_get(struct ms_target *t, struct ms_page_layout *l);

/* The state a walk keeps across pages (the current buddy block and head). */
struct ms_census_walk {
	uint64_t buddy_left;		/* pages of the current free block still to come */
	uint64_t head;			/* address of the last head seen, its class */
	enum ms_census_class head_class;
	uint64_t corrupt;		/* pages whose fields made no sense */
};

/* Classify one struct page (raw bytes at address addr, next: the following
 * struct page's bytes or NULL). */
enum ms_census_class ms_census_classify(const struct ms_target *t, const struct ms_page_layout *l,
					struct ms_census_walk *w, uint64_t addr,
					const unsigned char *pg, const unsigned char *next);

struct ms_census {
	uint64_t pfns;			/* online pfns walked (present with a memmap) */
	uint64_t max_pfn;
	uint64_t cls[MS_CC_NR];		/* pages */
	uint64_t corrupt;
	/* The kernel's counters to compare with, pages; ok false if unknown. */
	bool ctr_ok[MS_CC_NR];
	uint64_t ctr[MS_CC_NR];
	bool memtotal_ok;
	uint64_t memtotal;		/* MemTotal: managed pages, present - reserved */
	bool complete;
	char why[160];
	bool pcp_walked;		/* the per-cpu lists' blocks were walked */
	bool pcp_complete;		/* every list, and each cpu's blocks = its count */
	char pcp_why[160];
	bool owners_ok;			/* the vmalloc, stack, pipe, page-table and socket walks were made */
	bool owners_complete;
	char owners_why[256];
};

/* progress(arg, done, total) is called every few sections (may be NULL). */
struct ms_error *ms_census_read(struct ms_target *t, struct ms_census *c,
				void (*progress)(void *arg, uint64_t done, uint64_t total),
				void *arg);

/* Told each pfn the census classified from its struct page, and the class
 * (a tail's is its head's); pfns it could not read are not told. */
typedef void (*ms_census_each_fn)(void *arg, uint64_t pfn, enum ms_census_class cls);

/* The same walk, telling each(each_arg, ...) every pfn (each may be NULL). */
struct ms_error *ms_census_read_each(struct ms_target *t, struct ms_census *c,
				     void (*progress)(void *arg, uint64_t done, uint64_t total),
				     void *arg, ms_census_each_fn each, void *each_arg);

#endif
