/*
 * taskview.h - every thread of the dumped kernel as the tasks command shows
 * it: its process (tasks.h), the state letter of the kernel's era
 * (taskstate.h) and where it waits (unwind_orc.h), joined once.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_TASKVIEW_H
#define MEMSCOPE_TASKVIEW_H

#include "taskstate.h"
#include "pgtable_upper.h"
#include "tasks.h"
#include "unwind_orc.h"

#define MS_WCHAN_LEN 64

struct ms_taskrow {
	const struct ms_thread *th;
	const struct ms_task *proc;	/* its process */
	char state;			/* /proc/PID/stat's letter */
	bool unwound;			/* get_wchan() would unwind it (blocked, off the rq) */
	char wchan[MS_WCHAN_LEN];	/* /proc/PID/wchan: a symbol, or "0" */
	struct ms_stack *stack;		/* its frames, if unwound */
	bool unreadable;		/* its stack could not be read at all */
};

struct ms_taskview {
	struct ms_tasks ts;
	struct ms_threads th;
	struct ms_unwinder *u;		/* NULL if stacks cannot be unwound here */
	const struct ms_taskstate_era *era;
	char unwinder[96];		/* how stacks were unwound */
	uint64_t thread_size;		/* THREAD_SIZE: one kernel stack */
	uint64_t page_size;
	size_t nr;
	struct ms_taskrow *v;
	struct ms_stack *stacks;	/* one per row */
	size_t nr_partial;		/* unwinds that stopped early (st->error) */
	size_t nr_scanned;		/* of them, wchan found by scanning the stack */
	struct ms_pgt_upper *upper;	/* per process of ts: its PGD, P4D, PUD pages; or NULL */
	struct ms_pgt_era upper_era;	/* which of them NR_PAGETABLE counts */
};

typedef void (*ms_taskview_progress_fn)(void *arg, size_t done, size_t total);

/* Read every process and thread and unwind every blocked one: NULL, or the
 * error that leaves no list (a thread's own failures are said on t->errf or
 * in its row). */
struct ms_error *ms_taskview_build(struct ms_target *t, ms_taskview_progress_fn progress,
				   void *arg, struct ms_taskview *v);
void ms_taskview_free(struct ms_taskview *v);

/* The process's task_mem() lines in kB: VmSize VmData VmStk VmRSS RssAnon
 * RssFile RssShmem VmPTE VmSwap; false for a task without an mm. */
enum { MS_VM_SIZE, MS_VM_DATA, MS_VM_STK, MS_VM_RSS, MS_RSS_ANON, MS_RSS_FILE, MS_RSS_SHMEM,
       MS_VM_PTE, MS_VM_SWAP, MS_NR_VM };
extern const char *const ms_vm_names[MS_NR_VM];
bool ms_taskrow_vm_kb(const struct ms_taskview *v, const struct ms_taskrow *r,
		      uint64_t kb[MS_NR_VM]);

#endif
