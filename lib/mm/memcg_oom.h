/*
 * memcg_oom.h - the OOM killer inside one memory cgroup (memcg_oom.c):
 * mem_cgroup_scan_tasks() over the subtree, oom_badness() against
 * mem_cgroup_get_max(), and the victim.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_MEMCG_OOM_H
#define MEMSCOPE_MEMCG_OOM_H

#include "memcg.h"
#include "oom.h"

/* mem_cgroup_get_max() of tree->v[i], in pages (PAGE_COUNTER_MAX-based when
 * unlimited); total_swap: total_swap_pages. */
uint64_t ms_memcg_get_max(struct ms_target *t, const struct ms_memcg_tree *tree, size_t i,
			  uint64_t total_swap);

/*
 * The ranking a memcg OOM in tree->v[i] would make: the processes of global
 * (ms_oom_compute() over ts) whose memory cgroup is in the subtree, their
 * points recomputed over totalpages = mem_cgroup_get_max(), the victim as
 * select_bad_process() picks it.  o->v points into global's tasks.
 */
struct ms_error *ms_memcg_oom(struct ms_target *t, const struct ms_memcg_tree *tree, size_t i,
			      const struct ms_oom *global, struct ms_oom *o);

#endif
