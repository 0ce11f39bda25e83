/*
 * memcat.c - the categories of USED and their names (see memcat.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "memcat.h"

const struct ms_memcat ms_memcat[MS_MEMCAT_NR] = {
	[MS_CAT_ANON] = { "anon", "Anonymous memory (AnonPages)", "anon", "AnonPages" },
	[MS_CAT_FILE] = { "file", "File cache (Cached - Shmem + Buffers)", "file cache",
			  "Cached + Buffers - Shmem" },
	[MS_CAT_SHMEM] = { "shmem", "Shmem / tmpfs", "shmem/tmpfs", "Shmem" },
	[MS_CAT_SLAB_RECLAIM] = { "slab_reclaimable", "Slab, reclaimable", "slab reclaimable",
				  "SReclaimable" },
	[MS_CAT_SLAB_UNRECLAIM] = { "slab_unreclaimable", "Slab, unreclaimable",
				    "slab unreclaimable", "SUnreclaim" },
	[MS_CAT_KMISC_RECLAIM] = { "kmisc_reclaimable", "Kernel misc reclaimable",
				   "kernel misc reclaimable", "KReclaimable - SReclaimable" },
	[MS_CAT_KERNEL_STACK] = { "kernel_stack", "Kernel stacks", "kernel stacks", "KernelStack" },
	[MS_CAT_PAGETABLES] = { "page_tables", "Page tables", "page tables",
				"PageTables + SecPageTables" },
	[MS_CAT_VMALLOC] = { "vmalloc", "Vmalloc (stacks excluded)", "vmalloc", "VmallocUsed" },
	[MS_CAT_PERCPU] = { "percpu", "Per-cpu allocations", "percpu", "Percpu - boot chunk" },
	[MS_CAT_HUGETLB] = { "hugetlb", "HugeTLB pages", "hugetlb", "Hugetlb" },
	[MS_CAT_PCP_FREE] = { "pcp_free", "Free pages on per-cpu lists", "per-cpu free lists",
			      "per_cpu_pages.count" },
	[MS_MEMCAT_UNACCOUNTED] = { "unaccounted", "Memory no counter accounts for",
				    "no counter accounts for", "USED - sum" },
};

const struct ms_memcat *ms_memcat_by_key(const char *key)
{
	for (unsigned int c = 0; c < MS_MEMCAT_NR; c++)
		if (!strcmp(ms_memcat[c].key, key))
			return &ms_memcat[c];
	return NULL;
}
