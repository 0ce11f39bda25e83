/*
 * meminfo.h - /proc/meminfo and /sys/devices/system/node/nodeN/meminfo
 * reconstructed from a dump, and a breakdown of the used memory.
 *
 * Every line the kernel would print is one item of enum ms_mi_item.  Its
 * value is kept in the unit the kernel prints it in (kB, or a count for the
 * HugePages_* lines), so a snapshot diffs line by line against a live file.
 * The breakdown (struct ms_mi_breakdown) is in pages.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_MEMINFO_H
#define MEMSCOPE_MEMINFO_H

#include <stdbool.h>

#include "target.h"

/* Every line of fs/proc/meminfo.c and drivers/base/node.c (6.1), in /proc order. */
enum ms_mi_item {
	MS_MI_MEMTOTAL,
	MS_MI_MEMFREE,
	MS_MI_MEMUSED,			/* node file only */
	MS_MI_MEMAVAILABLE,
	MS_MI_BUFFERS,
	MS_MI_CACHED,
	MS_MI_SWAPCACHED,
	MS_MI_ACTIVE,
	MS_MI_INACTIVE,
	MS_MI_ACTIVE_ANON,
	MS_MI_INACTIVE_ANON,
	MS_MI_ACTIVE_FILE,
	MS_MI_INACTIVE_FILE,
	MS_MI_UNEVICTABLE,
	MS_MI_MLOCKED,
	MS_MI_HIGHTOTAL,		/* CONFIG_HIGHMEM */
	MS_MI_HIGHFREE,
	MS_MI_LOWTOTAL,
	MS_MI_LOWFREE,
	MS_MI_SWAPTOTAL,
	MS_MI_SWAPFREE,
	MS_MI_ZSWAP,			/* CONFIG_ZSWAP */
	MS_MI_ZSWAPPED,
	MS_MI_DIRTY,
	MS_MI_WRITEBACK,
	MS_MI_FILEPAGES,		/* node file only */
	MS_MI_ANONPAGES,
	MS_MI_MAPPED,
	MS_MI_SHMEM,
	MS_MI_KRECLAIMABLE,
	MS_MI_SLAB,
	MS_MI_SRECLAIMABLE,
	MS_MI_SUNRECLAIM,
	MS_MI_KERNELSTACK,
	MS_MI_SHADOWCALLSTACK,		/* CONFIG_SHADOW_CALL_STACK */
	MS_MI_PAGETABLES,
	MS_MI_SECPAGETABLES,
	MS_MI_NFS_UNSTABLE,
	MS_MI_BOUNCE,
	MS_MI_WRITEBACKTMP,
	MS_MI_COMMITLIMIT,
	MS_MI_COMMITTED_AS,
	MS_MI_VMALLOCTOTAL,
	MS_MI_VMALLOCUSED,
	MS_MI_VMALLOCCHUNK,
	MS_MI_PERCPU,
	MS_MI_HARDWARECORRUPTED,	/* CONFIG_MEMORY_FAILURE */
	MS_MI_ANONHUGEPAGES,		/* CONFIG_TRANSPARENT_HUGEPAGE */
	MS_MI_SHMEMHUGEPAGES,
	MS_MI_SHMEMPMDMAPPED,
	MS_MI_FILEHUGEPAGES,
	MS_MI_FILEPMDMAPPED,
	MS_MI_CMATOTAL,			/* CONFIG_CMA */
	MS_MI_CMAFREE,
	MS_MI_UNACCEPTED,		/* CONFIG_UNACCEPTED_MEMORY (6.5+) */
	MS_MI_HUGEPAGES_TOTAL,		/* CONFIG_HUGETLB_PAGE */
	MS_MI_HUGEPAGES_FREE,
	MS_MI_HUGEPAGES_RSVD,
	MS_MI_HUGEPAGES_SURP,
	MS_MI_HUGEPAGESIZE,
	MS_MI_HUGETLB,
	MS_MI_DIRECTMAP4K,		/* x86 arch_report_meminfo */
	MS_MI_DIRECTMAP2M,
	MS_MI_DIRECTMAP1G,
	MS_MI_NR_ITEMS
};

enum ms_mi_state {
	MS_MI_ABSENT = 0,	/* the kernel prints no such line (config, era, node vs global) */
	MS_MI_OK,		/* value is what the kernel computes */
	MS_MI_UNKNOWN,		/* the kernel prints it, we could not compute it: see why[] */
};

#define MS_MI_WHY_LEN 160	/* the cause of an unknown line, as ms_error_string() gave it */

/* Name as printed ("Active(anon)"), and whether the value is in kB or a count. */
const char *ms_mi_name(enum ms_mi_item i);
bool ms_mi_is_count(enum ms_mi_item i);

/* Where USED memory is, in pages; no page is in two categories. */
enum ms_mi_cat {
	MS_CAT_ANON,		/* AnonPages (NR_ANON_MAPPED) */
	MS_CAT_FILE,		/* page cache without shmem and swap cache: Cached + Buffers - Shmem */
	MS_CAT_SHMEM,		/* Shmem (tmpfs, shared anon, SysV shm) */
	MS_CAT_SLAB_RECLAIM,	/* SReclaimable */
	MS_CAT_SLAB_UNRECLAIM,	/* SUnreclaim (large kmallocs included) */
	MS_CAT_KMISC_RECLAIM,	/* KReclaimable - SReclaimable (NR_KERNEL_MISC_RECLAIMABLE) */
	MS_CAT_KERNEL_STACK,	/* KernelStack; owns the stacks even when they are vmalloc'ed */
	MS_CAT_PAGETABLES,	/* PageTables + SecPageTables */
	MS_CAT_VMALLOC,		/* VmallocUsed, minus KernelStack with CONFIG_VMAP_STACK */
	MS_CAT_PERCPU,		/* Percpu minus the boot-time first chunk (memblock, not in MemTotal) */
	MS_CAT_HUGETLB,		/* Hugetlb */
	MS_CAT_PCP_FREE,	/* free pages on per-cpu lists: not in MemFree */
	MS_CAT_NR
};

const char *ms_mi_cat_name(enum ms_mi_cat c);

/* Raw inputs of the breakdown that are no /proc line. */
struct ms_mi_extra {
	bool vmap_stack;		/* CONFIG_VMAP_STACK: stacks are inside VmallocUsed */
	bool pcp_ok;
	uint64_t pcp_free;		/* sum of per_cpu_pages.count, pages */
	bool percpu_first_ok;
	uint64_t percpu_first;		/* pages of the first chunk over all units */
	uint64_t swapcache;		/* NR_SWAPCACHE, pages: overlaps anon, not a category */
	bool committed_count_ok;
	uint64_t committed_count;	/* vm_committed_as.count alone (no per-cpu part), pages */
};

struct ms_mi_breakdown {
	bool ok;			/* TOTAL and FREE known */
	uint64_t total, free;		/* MemTotal, MemFree in pages */
	int64_t used;			/* total - free */
	int64_t cat[MS_CAT_NR];
	bool cat_ok[MS_CAT_NR];		/* false: unknown, counted as 0 */
	int64_t accounted;		/* sum of the known categories */
	int64_t unaccounted;		/* used - accounted: may be negative */
	bool complete;			/* every category known */
};

struct ms_meminfo {
	int node;			/* -1: /proc/meminfo; else the node id (nodeN/meminfo) */
	uint64_t val[MS_MI_NR_ITEMS];	/* kB, or a count for HugePages_* */
	enum ms_mi_state state[MS_MI_NR_ITEMS];
	char why[MS_MI_NR_ITEMS][MS_MI_WHY_LEN];	/* MS_MI_UNKNOWN: the cause */
	bool diffs_folded;		/* every per-cpu vm_stat_diff was read and added */
	struct ms_mi_extra extra;
	struct ms_mi_breakdown bd;	/* global view only */
};

/* Fill mi for node id node (>= 0) or for the whole system (-1): NULL, or why
 * nothing could be read at all (MS_ERR_USAGE for a node the dump does not
 * have).  Lines that cannot be computed are MS_MI_UNKNOWN with their cause. */
struct ms_error *ms_meminfo_read(struct ms_target *t, int node, struct ms_meminfo *mi);

/* si_mem_available() arithmetic (mm/page_alloc.c, 6.1), in pages. */
uint64_t ms_mem_available(uint64_t free, uint64_t totalreserve, uint64_t file_lru,
			  uint64_t slab_reclaimable, uint64_t misc_reclaimable, uint64_t wmark_low);

/* vm_commit_limit() arithmetic (mm/util.c), in pages: CommitLimit. */
uint64_t ms_commit_limit(uint64_t totalram, uint64_t hugetlb, uint64_t swap, unsigned int ratio,
			 uint64_t kbytes, unsigned int page_shift);

/* The breakdown of mi->bd from mi's lines and mi->extra. */
void ms_meminfo_breakdown(struct ms_meminfo *mi, unsigned int page_shift);

#endif
