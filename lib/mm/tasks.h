/*
 * tasks.h - every process of the dumped kernel, walked the way the kernel's
 * own for_each_process() / for_each_thread() do, without crash's task table.
 *
 * One record per thread group (process): what the OOM killer, /proc/PID/status
 * and a per-command memory summary need.  Counters are in pages, as the kernel
 * keeps them; pgtables in bytes (mm_pgtables_bytes()).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_TASKS_H
#define MEMSCOPE_TASKS_H

#include "target.h"

#define MS_TASK_COMM_LEN 16		/* TASK_COMM_LEN; longer comm[] is cut */

/* What could be read of a process (bits of ms_task.have). */
#define MS_TASK_HAVE_SIGNAL	0x01	/* signal_struct: adj, nr_threads, oom_mm */
#define MS_TASK_HAVE_CRED	0x02	/* real_cred->uid */
#define MS_TASK_HAVE_THREADS	0x04	/* the thread list was walked to its end */
#define MS_TASK_HAVE_MM		0x08	/* mm_struct read (mm != 0) */
#define MS_TASK_HAVE_RSS	0x10	/* rss counters and page tables read */
#define MS_TASK_HAVE_VFORK	0x20	/* in_vfork() could be decided */
#define MS_TASK_HAVE_VM		0x40	/* mm->total_vm, data_vm, stack_vm read */
#define MS_TASK_HAVE_RSS_SUM	0x80	/* the sum_* counters read */
#define MS_TASK_HAVE_CAPS	0x100	/* real_cred->cap_effective read */

struct ms_task {
	uint64_t addr;			/* task_struct of the group leader */
	int32_t pid, tgid;
	uint32_t uid;			/* real_cred->uid.val, as task_uid() */
	uint64_t cap_effective;		/* real_cred->cap_effective, bit n = capability n */
	uint32_t flags;			/* task->flags (PF_*) of the leader */
	char comm[MS_TASK_COMM_LEN + 1];
	unsigned int have;		/* MS_TASK_HAVE_* */

	/* find_lock_task_mm(): the first thread with an mm, and that mm. */
	uint64_t mm_task;
	uint64_t mm;
	uint64_t mm_flags;		/* mm->flags (MMF_* bits) */
	uint64_t pgd;			/* mm->pgd (a kernel address), or 0 */
	bool in_vfork;			/* in_vfork(mm_task) */

	/* get_mm_counter(): clamped at 0 like the kernel. */
	uint64_t rss_anon, rss_file, rss_shmem, swapents;
	uint64_t pgtables_bytes;	/* mm_pgtables_bytes(), or (nr_ptes + nr_pmds) pages */

	/* The address space, for the VMA walk (vma.h); 0 / -1 where unknown. */
	uint64_t total_vm;		/* mm->total_vm, pages */
	int64_t map_count;		/* mm->map_count: how many VMAs, -1 unknown */
	uint64_t vma_tree;		/* &mm->mm_mt, the maple tree (6.1+), or 0 */
	uint64_t vma_list;		/* mm->mmap, the first VMA (before 6.1), or 0 */

	/* signal_struct */
	int16_t oom_score_adj;
	bool oom_origin;		/* signal->oom_flag_origin: oom_task_origin() */
	uint64_t oom_mm;		/* signal->oom_mm: an OOM victim already */
	uint64_t oom_mm_flags;		/* oom_mm->flags, if oom_mm */
	unsigned int nr_threads;	/* signal->nr_threads */
	unsigned int nr_kstacks;	/* threads walked: one kernel stack each */

	/* task_mem() (fs/proc/task_mmu.c): VmSize (total_vm above), VmData, VmStk in pages. */
	uint64_t data_vm, stack_vm;
	uint64_t signal;		/* task->signal of the leader */
	/* get_mm_counter_sum(): with the per-cpu deltas folded (6.2+; the same as
	 * the counters above before), what task_mem() prints since the fix. */
	uint64_t sum_anon, sum_file, sum_shmem, sum_swap;
	/* SPLIT_RSS_COUNTING (before 6.2): the threads' task->rss_stat counts not
	 * yet added to the mm's (sync_mm_rss()); neither status nor the OOM
	 * killer sees them, but the pages are there.  0 on 6.2+. */
	int64_t unsynced_anon, unsynced_file, unsynced_shmem, unsynced_swap;
};

struct ms_tasks {
	size_t nr;
	struct ms_task *v;		/* in init_task.tasks order */
	bool complete;			/* the process list came back to init_task */
	bool shmem_separate;		/* MM_SHMEMPAGES exists (4.5+); else in rss_file */
};

/* Walk init_task.tasks: NULL (ts->complete tells whether the walk reached its
 * end; what was cut short or left out is said on t->errf), or the error that
 * left nothing to walk (no layout, no init_task, no memory).  ts is freed
 * (empty) on error. */
struct ms_error *ms_tasks_read(struct ms_target *t, struct ms_tasks *ts);
void ms_tasks_free(struct ms_tasks *ts);

/* ---- every thread, for the tasks command ---- */

/* What could be read of a thread (bits of ms_thread.have). */
#define MS_THREAD_HAVE_SCHED	0x01	/* on_rq, on_cpu */
#define MS_THREAD_HAVE_ARRIVAL	0x02	/* sched_info.last_arrival and the rq clock */
#define MS_THREAD_HAVE_PARENT	0x04	/* real_parent->tgid */
#define MS_THREAD_HAVE_CGROUP	0x08	/* the default hierarchy's cgroup path */

struct ms_thread {
	uint64_t addr;			/* task_struct */
	size_t proc;			/* index of its process in ms_tasks.v */
	int32_t pid, tgid, ppid;	/* ppid: real_parent's tgid, as /proc PPid */
	uint32_t flags;			/* PF_* */
	char comm[MS_TASK_COMM_LEN + 1];
	unsigned int state, exit_state;	/* __state (5.14+) or state; exit_state */
	int on_rq, on_cpu;
	unsigned int cpu;		/* task_cpu() */
	uint64_t since_ran_ns;		/* rq->clock - sched_info.last_arrival */
	char cgroup[96];		/* cgroup v2 path, "" if unknown */
	uint64_t stack_vm_area;		/* task->stack_vm_area (CONFIG_VMAP_STACK), or 0 */
	uint64_t task_frag_page;	/* task->task_frag.page: its sockets' page fragment, or 0 */
	unsigned int have;		/* MS_THREAD_HAVE_* */
};

struct ms_threads {
	size_t nr;
	struct ms_thread *v;		/* process by process, in ms_tasks order */
	bool complete;			/* every thread list was walked to its end */
};

/* Every thread of every process of ts: NULL (what was cut short is said on
 * t->errf), or the error that leaves none (no layout, no memory). */
struct ms_error *ms_threads_read(struct ms_target *t, const struct ms_tasks *ts,
				 struct ms_threads *th);
void ms_threads_free(struct ms_threads *th);

/* The stack areas (task->stack_vm_area) of the CPUs' idle threads, which no
 * list holds: rq->idle of every possible cpu but the boot cpu's init_task
 * (whose stack is init_stack, in the kernel image).  At most cap; *nr set. */
struct ms_error *ms_idle_stack_areas(struct ms_target *t, uint64_t *v, size_t cap, size_t *nr);

static inline uint64_t ms_task_rss(const struct ms_task *p)
{
	return p->rss_anon + p->rss_file + p->rss_shmem;
}

#endif
