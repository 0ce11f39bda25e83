/*
 * oom.h - the OOM killer's view of the processes: oom_badness() points,
 * /proc/PID/oom_score, and the task a global OOM would kill
 * (mm/oom_kill.c, fs/proc/base.c of the dumped kernel's era).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_OOM_H
#define MEMSCOPE_OOM_H

#include "tasks.h"
#include "version.h"

/* Which oom_badness() / proc_oom_score() arithmetic the kernel uses. */
enum ms_oom_era {
	/* 5.9+ ("mm, oom: make the calculation of oom badness more accurate"):
	 * long points, LONG_MIN for a skipped task, may be negative;
	 * oom_score = (1000 + points * 1000 / totalpages) * 2 / 3. */
	MS_OOM_ERA_SIGNED,
	/* 4.17 - 5.8: unsigned long points, 0 for a skipped task, else at least 1;
	 * oom_score = points * 1000 / totalpages. */
	MS_OOM_ERA_FLOOR1,
	/* before 4.17: as FLOOR1 plus a 3 % bonus for CAP_SYS_ADMIN tasks,
	 * which memscope does not model (a warning says so). */
	MS_OOM_ERA_ROOT_BONUS,
};

/* Why select_bad_process() passes a task over (MS_OOM_ELIGIBLE: it does not). */
enum ms_oom_reason {
	MS_OOM_ELIGIBLE,
	MS_OOM_INIT,		/* is_global_init() */
	MS_OOM_KTHREAD,		/* PF_KTHREAD */
	MS_OOM_NO_MM,		/* no thread has an mm (find_lock_task_mm() fails) */
	MS_OOM_ADJ_MIN,		/* oom_score_adj == OOM_SCORE_ADJ_MIN (-1000) */
	MS_OOM_MMF_SKIP,	/* MMF_OOM_SKIP set in mm->flags */
	MS_OOM_VFORK,		/* in_vfork() */
	MS_OOM_UNREADABLE,	/* what oom_badness() reads is not in the dump */
	MS_OOM_VICTIM_DONE,	/* an earlier victim, its oom_mm already MMF_OOM_SKIP */
	MS_OOM_NR_REASONS
};

struct ms_oom_task {
	const struct ms_task *task;
	enum ms_oom_reason reason;
	bool scored;		/* oom_badness() gave points (not LONG_MIN / 0) */
	int64_t points;		/* oom_badness(), when scored */
	uint64_t score;		/* /proc/PID/oom_score */
	bool origin;		/* oom_task_origin(): chosen first whatever its points */
	bool victim;		/* the task a global OOM would kill now */
};

struct ms_oom {
	uint64_t totalram, totalswap, totalpages;	/* totalpages = RAM + swap */
	uint64_t page_size;
	char release[MS_UTS_LEN];	/* init_uts_ns release, "" if unreadable */
	enum ms_oom_era era;
	int mmf_oom_skip;	/* bit number, -1 if the era has none */
	size_t nr;
	struct ms_oom_task *v;	/* in process-list order */
	long victim;		/* index into v, -1 if none */
	long abort_by;		/* a victim still exiting: the kernel kills nothing new; -1 */
	bool complete;		/* the process list was read to its end */
};

/* oom_badness()'s arithmetic for a task that is not skipped. */
/* oom_evaluate_task() over o->v (its entries scored): o->victim, or
 * o->abort_by when a victim is still exiting. */
void ms_oom_select_victim(struct ms_oom *o);

int64_t ms_oom_points(enum ms_oom_era era, uint64_t rss, uint64_t swapents,
		      uint64_t pgtables_bytes, uint64_t page_size, int adj, uint64_t totalpages);
/* proc_oom_score()'s scaling of oom_badness() to /proc/PID/oom_score. */
uint64_t ms_oom_proc_score(enum ms_oom_era era, bool scored, int64_t points,
			   uint64_t totalpages);
/* The era of a kernel version (KERNEL_VERSION-style a << 16 | b << 8 | c). */
enum ms_oom_era ms_oom_era_of(unsigned int version);

/* Score every process of ts (which must outlive o) and pick the global OOM victim:
 * NULL, or the error that leaves no scores (totalpages unreadable, no memory). */
struct ms_error *ms_oom_compute(struct ms_target *t, const struct ms_tasks *ts,
				struct ms_oom *o);
void ms_oom_free(struct ms_oom *o);

const char *ms_oom_reason_name(enum ms_oom_reason r);	/* short token, for JSON */
const char *ms_oom_reason_text(enum ms_oom_reason r);	/* for people */

#endif
