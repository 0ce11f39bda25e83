/*
 * taskview.c - the threads joined with their process, state and wchan.
 * get_wchan() (kernel/sched/core.c) unwinds only a task that is blocked and
 * off the runqueue: state neither TASK_RUNNING nor TASK_WAKING, !on_rq;
 * proc_pid_wchan() (fs/proc/base.c) prints the symbol's bare name, else "0".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "taskview.h"
#include "version.h"

const char *const ms_vm_names[MS_NR_VM] = {
	"VmSize", "VmData", "VmStk", "VmRSS", "RssAnon", "RssFile", "RssShmem", "VmPTE", "VmSwap",
};

/* task_mem() (fs/proc/task_mmu.c, 6.1 and 6.12): pages << (PAGE_SHIFT - 10),
 * VmPTE = mm_pgtables_bytes() >> 10, VmRSS = anon + file + shmem.  The rss
 * counters are get_mm_counter_sum()'s since "mm: fix the inaccurate memory
 * statistics issue for users" (6.16, in the 6.12.y Debian ships: its mm.h has
 * get_mm_counter_sum()); the dump cannot tell a 6.2 - 6.15 kernel without the
 * fix, whose status showed percpu_counter_read_positive(). */
bool ms_taskrow_vm_kb(const struct ms_taskview *v, const struct ms_taskrow *r,
		      uint64_t kb[MS_NR_VM])
{
	const struct ms_task *p = r->proc;
	uint64_t k = v->page_size >> 10;

	if (!p || !(p->have & MS_TASK_HAVE_RSS) || !(p->have & MS_TASK_HAVE_VM) ||
	    !(p->have & MS_TASK_HAVE_RSS_SUM))
		return false;
	kb[MS_VM_SIZE] = p->total_vm * k;
	kb[MS_VM_DATA] = p->data_vm * k;
	kb[MS_VM_STK] = p->stack_vm * k;
	kb[MS_RSS_ANON] = p->sum_anon * k;
	kb[MS_RSS_FILE] = p->sum_file * k;
	kb[MS_RSS_SHMEM] = p->sum_shmem * k;
	kb[MS_VM_RSS] = kb[MS_RSS_ANON] + kb[MS_RSS_FILE] + kb[MS_RSS_SHMEM];
	kb[MS_VM_PTE] = p->pgtables_bytes >> 10;
	kb[MS_VM_SWAP] = p->sum_swap * k;
	return true;
}

static void unwind_row(struct ms_taskview *v, struct ms_target *t, struct ms_taskrow *r,
		       struct ms_stack *st)
{
	struct ms_error *err;

	snprintf(r->wchan, sizeof(r->wchan), "0");
	r->unwound = r->th->state != 0 && r->th->state != v->era->waking &&
		     (r->th->have & MS_THREAD_HAVE_SCHED) && !r->th->on_rq;
	if (!r->unwound || !v->u)
		return;
	err = ms_unwind_task(v->u, r->th->addr, st);
	if (err) {
		ms_warn_error(t, err, "pid %d: not unwound", r->th->pid);
		r->unreadable = true;
		return;
	}
	r->stack = st;
	if (st->error[0]) {
		v->nr_partial++;
		if (st->method == MS_UNWIND_SCAN)
			v->nr_scanned++;
	}
	if (st->wchan)
		ms_unwinder_symbolize(v->u, st->wchan, false, r->wchan, sizeof(r->wchan));
}

struct ms_error *ms_taskview_build(struct ms_target *t, ms_taskview_progress_fn progress,
				   void *arg, struct ms_taskview *v)
{
	unsigned int version = ms_kernel_version(t);
	struct ms_pgt_totals tot;
	struct ms_error *err;
	long ts;

	memset(v, 0, sizeof(*v));
	v->page_size = ms_page_size(t);
	ts = ms_struct_size(t, "thread_union");
	v->thread_size = ts > 0 ? (uint64_t)ts : 16384;	/* x86_64 THREAD_SIZE without KASAN */
	v->era = ms_taskstate_era_of(version);
	if (!v->era) {
		/* Unknown or older than 4.14: the newest table, said so. */
		ms_warn(t, "kernel version %#x: task states read with the 6.1+ bits", version);
		v->era = &ms_taskstate_6_1;
	}
	err = ms_tasks_read(t, &v->ts);
	if (err)
		return ms_error_wrap(err, "cannot walk the process list");
	err = ms_threads_read(t, &v->ts, &v->th);
	if (err) {
		ms_tasks_free(&v->ts);
		return ms_error_wrap(err, "cannot walk the threads");
	}
	/* The upper page tables of each process (pgtable_upper.h): what VmPTE
	 * and PageTables leave out. */
	v->upper = calloc(v->ts.nr + 1, sizeof(*v->upper));
	err = v->upper ? ms_pgt_upper_tasks(t, &v->ts, &v->upper_era, v->upper, &tot)
		       : &ms_error_nomem;
	if (err) {
		ms_warn_error(t, err, "no upper page tables");
		free(v->upper);
		v->upper = NULL;
	}
	err = ms_unwinder_new(t, &v->u);
	if (err) {
		ms_warn_error(t, err, "no wchan");
		snprintf(v->unwinder, sizeof(v->unwinder), "none");
	} else {
		ms_unwinder_describe(v->u, v->unwinder, sizeof(v->unwinder));
	}
	v->v = calloc(v->th.nr ? v->th.nr : 1, sizeof(*v->v));
	v->stacks = calloc(v->th.nr ? v->th.nr : 1, sizeof(*v->stacks));
	if (!v->v || !v->stacks) {
		ms_taskview_free(v);
		return &ms_error_nomem;
	}
	v->nr = v->th.nr;
	for (size_t i = 0; i < v->nr; i++) {
		struct ms_taskrow *r = &v->v[i];

		r->th = &v->th.v[i];
		r->proc = r->th->proc < v->ts.nr ? &v->ts.v[r->th->proc] : NULL;
		r->state = ms_task_state_char(v->era, r->th->state, r->th->exit_state);
		unwind_row(v, t, r, &v->stacks[i]);
		if (progress && (i % 256 == 0 || i + 1 == v->nr))
			progress(arg, i + 1, v->nr);
	}
	return NULL;
}

void ms_taskview_free(struct ms_taskview *v)
{
	ms_unwinder_free(v->u);
	free(v->upper);
	free(v->v);
	free(v->stacks);
	ms_threads_free(&v->th);
	ms_tasks_free(&v->ts);
	memset(v, 0, sizeof(*v));
}
