/*
 * memcg_oom.c - the OOM killer inside one memory cgroup.
 *
 * mm/oom_kill.c: select_bad_process() for a memcg OOM calls
 * mem_cgroup_scan_tasks(oc->memcg, oom_evaluate_task) (mm/memcontrol.c: every
 * task of every cgroup in the subtree, css_for_each_descendant_pre()), and
 * oom_badness() scales against oc->totalpages = mem_cgroup_get_max(memcg)
 * (constrained_alloc(): CONSTRAINT_MEMCG).  oom_evaluate_task() is the same
 * as for a global OOM: an unfinished victim aborts, oom_task_origin() wins,
 * equal points let the later task replace the chosen one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "memcg_oom.h"

uint64_t ms_memcg_get_max(struct ms_target *t, const struct ms_memcg_tree *tree, size_t i,
			  uint64_t total_swap)
{
	const struct ms_memcg *m = &tree->v[i];
	uint64_t pcmax = (t->word_size == 8 ? (uint64_t)LLONG_MAX : (uint64_t)INT_MAX) >> t->page_shift;
	uint64_t max = m->max == MS_MEMCG_UNLIMITED ? pcmax : m->max;
	uint64_t smax = m->swap_max == MS_MEMCG_UNLIMITED ? pcmax : m->swap_max;
	long off = ms_member_offset(t, "mem_cgroup", "swappiness");
	uint64_t swappiness = 1;

	/* mem_cgroup_swappiness(): the root and v2 read vm_swappiness in
	 * some kernels, memcg->swappiness in others; only zero matters. */
	if (off >= 0 && m->parent != SIZE_MAX) {
		struct ms_error *err = ms_read_uint(t, m->addr + (uint64_t)off, 4, &swappiness);

		if (err) {
			ms_error_destroy(err);
			swappiness = 1;
		}
	}
	if (!swappiness || !tree->have_swap)
		return max;
	if (tree->v1) {
		/* do_memsw_account(): the swap excess capacity of the memsw limit. */
		uint64_t swap = smax > max ? smax - max : 0;

		return max + (swap < total_swap ? swap : total_swap);
	}
	return max + (smax < total_swap ? smax : total_swap);
}

struct ms_error *ms_memcg_oom(struct ms_target *t, const struct ms_memcg_tree *tree, size_t i,
			      const struct ms_oom *global, struct ms_oom *o)
{
	*o = *global;
	o->v = calloc(global->nr ? global->nr : 1, sizeof(*o->v));
	if (!o->v)
		return &ms_error_nomem;
	o->nr = 0;
	o->totalpages = ms_memcg_get_max(t, tree, i, global->totalswap);
	o->totalram = o->totalpages;
	o->totalswap = 0;
	o->victim = o->abort_by = -1;
	for (size_t k = 0; k < global->nr; k++) {
		const struct ms_oom_task *g = &global->v[k];
		size_t mc = ms_memcg_of_task(t, tree, g->task->addr);
		struct ms_oom_task *e;

		if (mc >= tree->nr || !ms_memcg_in_subtree(tree, i, mc))
			continue;
		e = &o->v[o->nr++];
		*e = *g;
		e->victim = false;
		e->origin = false;
		if (e->scored) {
			const struct ms_task *p = e->task;

			e->points = ms_oom_points(o->era, ms_task_rss(p), p->swapents, p->pgtables_bytes,
						  o->page_size, p->oom_score_adj, o->totalpages);
			e->score = ms_oom_proc_score(o->era, true, e->points, o->totalpages);
		}
	}
	/* oom_evaluate_task(), in process-list order (ties: the later wins). */
	ms_oom_select_victim(o);
	return NULL;
}
