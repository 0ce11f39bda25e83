/*
 * page_owner.h - who allocated each page, from CONFIG_PAGE_OWNER's records:
 * a pfn's struct page_ext (mm/page_ext.c, through its mem_section), the
 * struct page_owner in it (mm/page_owner.c), the allocation stack in the
 * stack depot (stackdepot.h); and the allocated pages grouped by stack, as
 * tools/mm/page_owner_sort.c --cull=stacktrace sorts them by pages (-m).
 * The owner of struct page_owner, struct page_ext and page_owner_ops.
 *
 * Only with page_owner=on at boot: Debian's kernels are built without it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_PAGE_OWNER_H
#define MEMSCOPE_PAGE_OWNER_H

#include "hash.h"
#include "stackdepot.h"
#include "target.h"

#define MS_PAGE_OWNER_COMM_LEN 16	/* TASK_COMM_LEN */

struct ms_page_owners;

/* page_owner_inited, as pagetypeinfo_showmixedcount() asks it: whether the
 * kernel prints a "Number of mixed blocks" table. */
enum ms_page_owner {
	MS_PAGE_OWNER_ABSENT,	/* no CONFIG_PAGE_OWNER: never printed */
	MS_PAGE_OWNER_OFF,	/* built in, not enabled (page_owner_inited off): not printed */
	MS_PAGE_OWNER_ON,	/* printed by the kernel, not reproduced */
	MS_PAGE_OWNER_UNKNOWN,	/* page_owner_inited unreadable (the cause is warned) */
};

enum ms_page_owner ms_page_owner_state(struct ms_target *t);

/* A pfn's page_owner, as far as it could be read: each step's flag says. */
struct ms_page_owner_rec {
	uint64_t pfn;
	uint64_t page_ext;		/* lookup_page_ext(): its struct page_ext, 0 if none */
	bool flags_ok;			/* page_ext->flags read */
	bool owner;			/* PAGE_EXT_OWNER: page_owner was ever set */
	bool allocated;			/* PAGE_EXT_OWNER_ALLOCATED: not freed since */
	bool owner_ok;			/* struct page_owner read (only when owner) */
	bool listed;			/* read_page_owner() lists it: allocated, the head
					 * of its 1 << order pages, with a handle */
	unsigned int order;
	int last_migrate_reason;	/* -1: never migrated */
	uint32_t gfp_mask;
	uint32_t handle, free_handle;	/* stack depot handles, 0: none */
	int32_t pid, tgid;
	bool has_free_pid;		/* 6.12 has free_pid, free_tgid */
	int32_t free_pid, free_tgid;
	uint64_t ts_nsec, free_ts_nsec;
	char comm[MS_PAGE_OWNER_COMM_LEN + 1];
};

/*
 * Resolve page_owner's layout and globals into *po: NULL, or
 * MS_ERR_UNSUPPORTED when the kernel has no page_owner (no page_owner_inited,
 * struct page_owner or mem_section.page_ext) or it was not enabled at boot
 * (the page_owner_inited static key off), or a look-up or read's error.
 */
struct ms_error *ms_page_owner_open(struct ms_target *t, struct ms_page_owners **po);
void ms_page_owner_close(struct ms_page_owners *po);

/* The stack depot its handles name (ms_stackdepot_fetch()). */
struct ms_stackdepot *ms_page_owner_depot(struct ms_page_owners *po);

/*
 * pfn's record into *rec (page_ext_get() and get_page_owner()): NULL with
 * rec->page_ext 0 where the kernel finds no page_ext, rec->owner false where
 * page_owner never set it.  A read's error (MS_ERR_MISSING for a filtered
 * page_ext) or MS_ERR_CORRUPT (an order no allocation can have) leaves what
 * was read before in rec, its flags saying how far.
 */
struct ms_error *ms_page_owner_get(struct ms_page_owners *po, uint64_t pfn,
				   struct ms_page_owner_rec *rec);

/* The allocations of one stack. */
struct ms_page_owner_group {
	uint32_t handle;
	uint64_t allocs;		/* listed records: allocations */
	uint64_t pages;			/* their 1 << order pages */
	int32_t top_pid, top_tgid;	/* the pid with the most of those pages */
	char top_comm[MS_PAGE_OWNER_COMM_LEN + 1];
	uint64_t top_pages;
};

struct ms_po_tally;

struct ms_page_owner_groups {
	size_t nr;
	struct ms_page_owner_group *v;	/* by pages after ms_page_owner_groups_sort() */
	uint64_t allocs, pages;		/* over every group */
	/* private */
	size_t cap, nr_tally, cap_tally;
	struct ms_po_tally *tally;	/* pages per (handle, pid) */
	struct ms_hash by_handle, by_pid;
};

void ms_page_owner_groups_init(struct ms_page_owner_groups *g);
/* Count rec in its stack's group if read_page_owner() lists it (else
 * nothing): NULL or MS_ERR_NOMEM. */
struct ms_error *ms_page_owner_groups_add(struct ms_page_owner_groups *g,
					  const struct ms_page_owner_rec *rec);
/* Pages descending, then allocations descending, then handle; adds may go on. */
void ms_page_owner_groups_sort(struct ms_page_owner_groups *g);
void ms_page_owner_groups_free(struct ms_page_owner_groups *g);

#endif
