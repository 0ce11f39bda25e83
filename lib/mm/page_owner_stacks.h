/*
 * page_owner_stacks.h - the pages of one census class by who allocated
 * them: each pfn the census puts in the class is looked up in page_owner
 * (page_owner.h), the allocations are grouped by stack, the top stacks'
 * frames symbolized (module symbols too), and the pages summed by the first
 * module on each stack, as page_owner_sort --cull=stacktrace -m groups
 * /sys/kernel/debug/page_owner.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_PAGE_OWNER_STACKS_H
#define MEMSCOPE_PAGE_OWNER_STACKS_H

#include "census.h"
#include "modules.h"
#include "page_owner.h"

#define MS_PO_TOP	10	/* stacks shown with their frames */
#define MS_PO_FRAMES	16	/* PAGE_OWNER_STACK_DEPTH: page_owner saves no more */
#define MS_PO_FRAME_LEN	128
#define MS_PO_WHY_LEN	200

struct ms_po_stack {
	uint32_t handle;
	uint64_t pages, allocs;
	int32_t top_pid;		/* the pid with most of its pages, and its comm */
	char top_comm[MS_PAGE_OWNER_COMM_LEN + 1];
	uint64_t top_pages;
	char module[MS_MODULE_NAME_LEN + 1];	/* the first frame in a module, or "" */
	unsigned int nr_frames;
	char frames[MS_PO_FRAMES][MS_PO_FRAME_LEN];
	char why[MS_PO_WHY_LEN];	/* the stack could not be read: why ("" if it was) */
};

struct ms_po_module {
	char name[MS_MODULE_NAME_LEN + 1];	/* "" for the kernel image */
	uint64_t pages, allocs;
};

struct ms_po_stacks {
	enum ms_census_class cls;
	bool available;			/* page_owner enabled and its layout found */
	char why[MS_PO_WHY_LEN];	/* !available: why */
	uint64_t class_pages;		/* the census's pages of the class */
	uint64_t owned_pages;		/* of them, in an allocation page_owner lists */
	uint64_t allocs;
	uint64_t read_failed;		/* pfns whose page_owner could not be read */
	char fail_why[MS_PO_WHY_LEN];	/* the first cause */
	size_t nr_stacks;		/* every stack seen */
	size_t nr;			/* the top ones, by pages */
	struct ms_po_stack v[MS_PO_TOP];
	size_t nr_modules;		/* by pages, every stack's first module */
	struct ms_po_module *modules;
	/* private: during the census */
	struct ms_page_owners *po;
	struct ms_page_owner_groups groups;
	uint64_t last_head_end;		/* the pfn after the last listed allocation */
};

/* Ready to be told the census's pfns of class cls: page_owner opened, or
 * s->available false with the reason (never an error but no memory). */
struct ms_error *ms_po_stacks_begin(struct ms_target *t, enum ms_census_class cls,
				    struct ms_po_stacks *s);
/* The census's each-pfn hook (ms_census_read_each()); arg is the ms_po_stacks. */
void ms_po_stacks_each(void *arg, uint64_t pfn, enum ms_census_class cls);
/* After the census: the groups sorted, the top stacks read and named, the
 * modules summed.  NULL or MS_ERR_NOMEM. */
struct ms_error *ms_po_stacks_end(struct ms_target *t, struct ms_po_stacks *s);
void ms_po_stacks_free(struct ms_po_stacks *s);

#endif
