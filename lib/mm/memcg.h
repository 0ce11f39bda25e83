/*
 * memcg.h - memory cgroups from the dump: the memory controller's css tree
 * from root_mem_cgroup, each cgroup's page counters, memory.stat rows with the
 * rstat pending deltas folded in, memory.events, its processes, and the dying
 * (offline, not yet freed) cgroups with what they still hold.
 *
 * memcg.c is the one owner of struct mem_cgroup, page_counter, memcg_vmstats,
 * memcg_vmstats_percpu, and of the cgroup core structures it walks for them
 * (cgroup_subsys_state, cgroup, css_set.subsys[], kernfs_node names).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_MEMCG_H
#define MEMSCOPE_MEMCG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "target.h"
#include "tasks.h"

#define MS_MEMCG_PATH_LEN 256
#define MS_MEMCG_MAX 100000		/* cgroups walked at most */
#define MS_MEMCG_STAT_NAME_LEN 40
#define MS_MEMCG_MAX_ROWS 96
#define MS_MEMCG_TOP 3			/* processes kept per cgroup */
/* "near the limit": usage at or above this many percent of memory.max (or v1's limit). */
#define MS_MEMCG_NEAR_PCT 90

/* memory.events, in the order memory_events_show() prints them. */
enum ms_memcg_event {
	MS_MEMCG_EV_LOW,
	MS_MEMCG_EV_HIGH,
	MS_MEMCG_EV_MAX,
	MS_MEMCG_EV_OOM,
	MS_MEMCG_EV_OOM_KILL,
	MS_MEMCG_EV_OOM_GROUP_KILL,
	MS_MEMCG_NR_EVENTS,
};
extern const char *const ms_memcg_event_names[MS_MEMCG_NR_EVENTS];

/* One memory.stat row: memcg_page_state_output(idx) (+ idx2's for "slab"). */
struct ms_memcg_row {
	char name[MS_MEMCG_STAT_NAME_LEN];
	long idx, idx2;			/* enum node_stat_item / memcg_stat_item; idx2 -1 */
	long vi, vi2;			/* their index into vmstats->state[] (6.12: compressed) */
	unsigned long unit, unit2;	/* memcg_page_state_output_unit() */
};

/* A value that is not a number in the file: "max" (PAGE_COUNTER_MAX). */
#define MS_MEMCG_UNLIMITED UINT64_MAX

struct ms_memcg {
	uint64_t addr;			/* struct mem_cgroup */
	uint64_t cgroup;		/* css.cgroup */
	size_t parent;			/* index into ms_memcg_tree.v, SIZE_MAX for the root */
	unsigned int depth;
	char path[MS_MEMCG_PATH_LEN];	/* cgroup_path(): "/", "/batch/job1" */
	bool path_ok;			/* every kernfs name up to the root read */
	bool online;			/* css.flags & CSS_ONLINE */
	bool read_ok;			/* the counters below were read */

	/* page_counter values, in pages; MS_MEMCG_UNLIMITED for "max". */
	uint64_t usage, max, high, low, min, watermark, failcnt;
	uint64_t swap_usage, swap_max, swap_watermark;	/* v2: swap; v1: memsw */
	uint64_t soft_limit;				/* v1 */
	uint64_t events[MS_MEMCG_NR_EVENTS];
	int64_t *stat;			/* one per tree row: memory.stat's value (bytes) */
	int64_t *state;			/* the folded vmstats state[], nr_state entries */
	unsigned int nr_procs;		/* thread-group leaders whose memory css it is */
	/* Its processes that hold the most (rss_anon + rss_file + rss_shmem). */
	struct ms_memcg_proc {
		int32_t pid;
		char comm[MS_TASK_COMM_LEN + 1];
		uint64_t anon, file, shmem;	/* pages */
	} top[MS_MEMCG_TOP];
	unsigned int nr_top;
	int nr_descendants, nr_dying_descendants;	/* struct cgroup, -1 unknown */
	uint64_t nr_children;		/* css.children entries */
	char reason[160];		/* why something is missing, "" if nothing */
};

struct ms_memcg_tree {
	bool present;			/* the kernel has memory cgroups (root_mem_cgroup) */
	bool v1;			/* the memory controller is on a v1 hierarchy */
	bool have_peak;			/* memory.peak (the watermark is what it prints) */
	bool have_swap;			/* a swap / memsw counter to show */
	bool complete;			/* every list walked to its end, every cgroup read */
	char reason[200];		/* why not complete */
	size_t nr;
	struct ms_memcg *v;		/* pre-order (css_for_each_descendant_pre) */
	size_t *by_addr;		/* indexes into v by mem_cgroup address, or NULL */
	size_t nr_rows;
	struct ms_memcg_row rows[MS_MEMCG_MAX_ROWS];
	long nr_state;			/* entries of vmstats->state[] */
	int nr_dying;			/* the root's nr_dying_descendants (cgroup.stat) */
	int nr_dying_memory;		/* nr_dying_subsys[memory] (6.11+), -1 if none */
	bool have_procs;		/* the processes were counted */
};

/* What the dying cgroups hold: the top-most dying ones (a dying cgroup's
 * charges are also in its dying parent's), in pages except slab (bytes). */
struct ms_memcg_dying {
	unsigned int nr;		/* dying cgroups seen in the tree */
	unsigned int nr_top;		/* of them, with no dying ancestor */
	uint64_t usage;			/* page_counter pages */
	uint64_t anon, file, shmem, kernel, swap;	/* pages */
	uint64_t slab_bytes;
};

/* Read the whole tree.  NULL with tree->present false when the kernel has no
 * memory cgroups; a partial tree (complete false, reason) is data. */
struct ms_error *ms_memcg_read(struct ms_target *t, struct ms_memcg_tree *tree);
/* The same; procs false leaves the processes uncounted (no process walk). */
struct ms_error *ms_memcg_read_ex(struct ms_target *t, struct ms_memcg_tree *tree, bool procs);
void ms_memcg_free(struct ms_memcg_tree *tree);

/* At or near its limit: usage >= MS_MEMCG_NEAR_PCT % of memory.max, or of
 * memory.high (v2); events.max counted also says it hit memory.max. */
bool ms_memcg_near_limit(const struct ms_memcg *m);

/* The row of that memory.stat name, or -1. */
long ms_memcg_row(const struct ms_memcg_tree *tree, const char *name);
/* A cgroup by path, or NULL. */
const struct ms_memcg *ms_memcg_find(const struct ms_memcg_tree *tree, const char *path);
/* Is a an ancestor of (or equal to) b? */
bool ms_memcg_in_subtree(const struct ms_memcg_tree *tree, size_t a, size_t b);

/* The task's memory cgroup (task->cgroups->subsys[memory_cgrp_id]) as an
 * index into tree->v, or SIZE_MAX. */
size_t ms_memcg_of_task(struct ms_target *t, const struct ms_memcg_tree *tree, uint64_t task);

void ms_memcg_dying_sum(const struct ms_memcg_tree *tree, struct ms_memcg_dying *d);
/* The pages the dying memory cgroups still hold (for meminfo's remainder):
 * NULL and *pages (0 with no memcg), or the error. */
struct ms_error *ms_memcg_dying_pages(struct ms_target *t, uint64_t *pages);

/*
 * The hierarchical value of memory.stat's counters, as the kernel has it
 * after a full rstat flush (mem_cgroup_css_rstat_flush()): the flushed
 * state[] plus, for every cgroup X of the subtree, X's state_pending[] and
 * the per-cpu deltas state[] - state_prev[] of every CPU.  pend[i] holds
 * each cgroup's own unflushed part (nr * nr_state), parent[] its parent;
 * on return state[] (nr * nr_state, flushed values on entry) holds the
 * folded values.  Children come after their parent (pre-order).
 */
void ms_memcg_fold(size_t nr, long nr_state, const size_t *parent, const int64_t *pend,
		   int64_t *state);

#endif
