/*
 * census_owners.h - the pages whose owner a walk finds but no page flag or
 * type shows: every page of a vmalloc() area (a vm_struct with VM_ALLOC,
 * vm->pages[0..nr_pages)), and of those the kernel stacks of live threads
 * (task->stack_vm_area, CONFIG_VMAP_STACK); the pages the processes' pipes
 * own (pipe.h); the upper levels of their page tables (pgtable_upper.h);
 * the heads and fragment pages of the socket buffers queued on their
 * sockets (skb.h) and the page fragments their sends copy into (each
 * thread's task_frag, each socket's sk_frag: compound pages of no type).
 * The census asks it about each page it would otherwise call "allocated, no
 * owner type" or "allocated, refcount 0" (a PTI PGD's second page).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_CENSUS_OWNERS_H
#define MEMSCOPE_CENSUS_OWNERS_H

#include <stdbool.h>
#include "census.h"
#include "target.h"

#define MS_CENSUS_OWNERS_MAX (1u << 26)	/* pages looked up at most: 256 GiB of vmalloc */

struct ms_census_owner {
	uint64_t page;			/* struct page address */
	enum ms_census_class cls;	/* MS_CC_VMALLOC, _KSTACK, _PIPE, _SOCKET, _PGT_UPPER */
};

struct ms_census_owners {
	size_t nr;
	struct ms_census_owner *v;	/* by page address */
	size_t nr_pfn;
	struct ms_census_owner *by_pfn;	/* .page holds the pfn: page tables, skb heads */
	bool vmalloc_ok;		/* the vmap areas were walked */
	bool kstack_ok;			/* and the threads' stack areas told apart */
	bool pipes_ok;			/* the processes' pipes were walked */
	bool pgt_ok;			/* and their upper page tables */
	bool sockets_ok;		/* and their sockets' queues */
	uint64_t stacks;		/* live threads with a stack area */
	bool complete;
	char why[256];
};

/* NULL, or MS_ERR_NOMEM; a walk that fails leaves its class empty and says
 * why in o->why (o->complete false). */
struct ms_error *ms_census_owners_read(struct ms_target *t, struct ms_census_owners *o);
void ms_census_owners_free(struct ms_census_owners *o);

/* The class of the page at that struct page address and pfn, or MS_CC_NR. */
enum ms_census_class ms_census_owner_of(const struct ms_census_owners *o, uint64_t page,
					uint64_t pfn);

#endif
