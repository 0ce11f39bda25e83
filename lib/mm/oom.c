/*
 * oom.c - oom_badness(), proc_oom_score() and select_bad_process() of the
 * dumped kernel, computed from the process records of tasks.c.
 *
 * Emulated (Linux v6.1, mm/oom_kill.c):
 *   oom_badness(): LONG_MIN for oom_unkillable_task() (global init, PF_KTHREAD),
 *     no thread with an mm (find_lock_task_mm()), oom_score_adj == -1000,
 *     MMF_OOM_SKIP in mm->flags, in_vfork(); else
 *     points = get_mm_rss(mm) + get_mm_counter(mm, MM_SWAPENTS)
 *              + mm_pgtables_bytes(mm) / PAGE_SIZE;
 *     adj *= totalpages / 1000; points += adj.
 *   oom_evaluate_task() / select_bad_process() for a global OOM (no memcg,
 *     no nodemask): for_each_process() order; a previous victim still holding
 *     its mm aborts the selection; oom_task_origin() wins with LONG_MAX;
 *     a later task with equal points replaces the chosen one.
 *   constrained_alloc(): totalpages = totalram_pages() + total_swap_pages.
 * fs/proc/base.c proc_oom_score(): (1000 + points * 1000 / (long)totalpages) * 2 / 3,
 *   0 for LONG_MIN.
 * Older eras: see enum ms_oom_era.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "oom.h"
#include "text.h"
#include "version.h"

/*
 * #defines, not in the debug info.  PF_KTHREAD is 0x00200000 in
 * include/linux/sched.h from 2.6.27 to at least 6.12.  OOM_SCORE_ADJ_MIN is
 * uapi (include/uapi/linux/oom.h).
 */
#define PF_KTHREAD		0x00200000u
#define OOM_SCORE_ADJ_MIN	(-1000)

enum ms_oom_era ms_oom_era_of(unsigned int version)
{
	if (version >= MS_KV(5, 9, 0))
		return MS_OOM_ERA_SIGNED;
	if (version >= MS_KV(4, 17, 0))
		return MS_OOM_ERA_FLOOR1;
	return MS_OOM_ERA_ROOT_BONUS;
}

/*
 * The kernel computes in unsigned long / long; unsigned 64-bit arithmetic
 * wraps exactly as its two's complement long does, without C's signed overflow.
 */
int64_t ms_oom_points(enum ms_oom_era era, uint64_t rss, uint64_t swapents,
		      uint64_t pgtables_bytes, uint64_t page_size, int adj, uint64_t totalpages)
{
	uint64_t points = rss + swapents + pgtables_bytes / page_size;
	int64_t p;

	/* adj *= totalpages / 1000: long times unsigned long, i.e. unsigned. */
	points += (uint64_t)(int64_t)adj * (totalpages / 1000);
	p = (int64_t)points;
	if (era != MS_OOM_ERA_SIGNED && p <= 0)
		return 1;	/* "Never return 0 for an eligible task" (before 5.9) */
	return p;
}

uint64_t ms_oom_proc_score(enum ms_oom_era era, bool scored, int64_t points, uint64_t totalpages)
{
	int64_t q;

	if (!scored || !totalpages)
		return 0;
	if (era != MS_OOM_ERA_SIGNED)	/* oom_badness() * 1000 / totalpages, unsigned */
		return (uint64_t)points * 1000 / totalpages;
	/* points * 1000 / (long)totalpages: signed, truncated toward zero. */
	q = (int64_t)((uint64_t)points * 1000) / (int64_t)totalpages;
	/* (1000 + q) * 2 / 3, wrapping like the kernel's -fno-strict-overflow build. */
	q = (int64_t)((1000 + (uint64_t)q) * 2);
	return (uint64_t)(q / 3);
}

static const char *const reason_names[MS_OOM_NR_REASONS] = {
	[MS_OOM_ELIGIBLE] = "eligible",
	[MS_OOM_INIT] = "init",
	[MS_OOM_KTHREAD] = "kernel_thread",
	[MS_OOM_NO_MM] = "no_mm",
	[MS_OOM_ADJ_MIN] = "oom_score_adj_min",
	[MS_OOM_MMF_SKIP] = "mmf_oom_skip",
	[MS_OOM_VFORK] = "in_vfork",
	[MS_OOM_UNREADABLE] = "unreadable",
	[MS_OOM_VICTIM_DONE] = "oom_victim_reaped",
};

static const char *const reason_texts[MS_OOM_NR_REASONS] = {
	[MS_OOM_ELIGIBLE] = "eligible",
	[MS_OOM_INIT] = "global init",
	[MS_OOM_KTHREAD] = "kernel thread",
	[MS_OOM_NO_MM] = "no mm in any thread (exiting)",
	[MS_OOM_ADJ_MIN] = "oom_score_adj -1000",
	[MS_OOM_MMF_SKIP] = "MMF_OOM_SKIP (reaped or exiting)",
	[MS_OOM_VFORK] = "in vfork",
	[MS_OOM_UNREADABLE] = "unreadable in the dump",
	[MS_OOM_VICTIM_DONE] = "earlier OOM victim, already reaped",
};

const char *ms_oom_reason_name(enum ms_oom_reason r)
{
	return r < MS_OOM_NR_REASONS ? reason_names[r] : "?";
}

const char *ms_oom_reason_text(enum ms_oom_reason r)
{
	return r < MS_OOM_NR_REASONS ? reason_texts[r] : "?";
}

/*
 * The dumped kernel's release (o->release) and KERNEL_VERSION, which picks the
 * era of oom_badness(); 0 if unknown, and the 5.9+ arithmetic is assumed.
 */
static unsigned int read_version(struct ms_target *t, struct ms_oom *o)
{
	struct ms_error *err = ms_kernel_uts(t, MS_UTS_RELEASE, o->release, sizeof(o->release));
	unsigned int version;

	if (err) {
		o->release[0] = '\0';
		ms_warn_error(t, err, "kernel release unreadable: "
			      "assuming the oom_badness() of 5.9+");
		return 0;
	}
	ms_text_sanitize(o->release);
	version = ms_kernel_version(t);
	if (!version)
		ms_warn(t, "kernel release \"%s\" unparsed: assuming the oom_badness() of 5.9+",
			o->release);
	return version;
}

/*
 * MMF_OOM_SKIP is a #define (include/linux/sched/coredump.h in v6.1, later
 * moved to include/linux/mm_types.h), absent from the debug info unless some
 * kernel makes it an enumerator: ask for one first.  It is bit 21 since 4.10 (v6.1: 21);
 * 4.8 and 4.9 had MMF_OOM_REAPED at bit 21 with the same effect on
 * oom_badness(); older kernels have no such bit.
 */
static int mmf_oom_skip_bit(struct ms_target *t, unsigned int version)
{
	long v = ms_enum_or(t, "MMF_OOM_SKIP", -1);

	if (v >= 0)
		return (int)v;
	/* a #define: the known bit */
	if (!version || version >= MS_KV(4, 8, 0))
		return 21;
	return -1;
}

/* totalram_pages(): the atomic_long _totalram_pages since 5.0, a plain
 * unsigned long totalram_pages before. */
static struct ms_error *read_totalram(struct ms_target *t, uint64_t *pages)
{
	const char *sym = ms_has_symbol(t, "_totalram_pages") ? "_totalram_pages" :
			  "totalram_pages";

	return ms_read_sym_uint(t, sym, t->word_size, pages);
}

/* constrained_alloc()'s totalpages for a global OOM: RAM + swap. */
static struct ms_error *read_totals(struct ms_target *t, struct ms_oom *o)
{
	struct ms_error *err = read_totalram(t, &o->totalram);
	uint64_t swap = 0;

	if (err)
		return ms_error_wrap(err, "no OOM scores");
	err = ms_read_sym_uint(t, "total_swap_pages", t->word_size, &swap);
	if (err) {
		swap = 0;
		ms_warn_error(t, err, "cannot read total_swap_pages: counted as no swap");
	}
	o->totalswap = swap;
	o->totalpages = o->totalram + o->totalswap;
	if (!o->totalpages)
		return ms_error_create(MS_ERR_CORRUPT, "totalram_pages is 0: no OOM scores");
	return NULL;
}

/* oom_badness(): the reason it returns LONG_MIN, or MS_OOM_ELIGIBLE with points. */
static void badness(const struct ms_oom *o, struct ms_oom_task *e)
{
	const struct ms_task *p = e->task;

	e->scored = false;
	if (p->tgid == 1)			/* is_global_init() */
		e->reason = MS_OOM_INIT;
	else if (p->flags & PF_KTHREAD)
		e->reason = MS_OOM_KTHREAD;
	else if (!p->mm_task && (p->have & MS_TASK_HAVE_THREADS))
		e->reason = MS_OOM_NO_MM;
	else if (!p->mm_task || !(p->have & MS_TASK_HAVE_SIGNAL))
		e->reason = MS_OOM_UNREADABLE;
	else if (p->oom_score_adj == OOM_SCORE_ADJ_MIN)
		e->reason = MS_OOM_ADJ_MIN;
	else if (!(p->have & MS_TASK_HAVE_MM))
		e->reason = MS_OOM_UNREADABLE;
	else if (o->mmf_oom_skip >= 0 && (p->mm_flags >> o->mmf_oom_skip) & 1)
		e->reason = MS_OOM_MMF_SKIP;
	else if (p->in_vfork)
		e->reason = MS_OOM_VFORK;
	else if (!(p->have & MS_TASK_HAVE_RSS))
		e->reason = MS_OOM_UNREADABLE;
	else
		e->reason = MS_OOM_ELIGIBLE;
	if (e->reason != MS_OOM_ELIGIBLE)
		return;
	e->scored = true;
	e->points = ms_oom_points(o->era, ms_task_rss(p), p->swapents, p->pgtables_bytes,
				  o->page_size, p->oom_score_adj, o->totalpages);
}

/* oom_evaluate_task() over o->v in process-list order: for a global OOM, and
 * for a memcg OOM's subtree (memcg_oom.c). */
void ms_oom_select_victim(struct ms_oom *o)
{
	int64_t chosen = INT64_MIN;	/* LONG_MIN; before 5.9 unsigned 0 */

	o->victim = o->abort_by = -1;
	for (size_t i = 0; i < o->nr; i++) {
		struct ms_oom_task *e = &o->v[i];
		const struct ms_task *p = e->task;
		int64_t pts;

		if (e->reason == MS_OOM_INIT || e->reason == MS_OOM_KTHREAD)
			continue;
		/* tsk_is_oom_victim(): signal->oom_mm set by mark_oom_victim(). */
		if (p->oom_mm) {
			if (o->mmf_oom_skip >= 0 && (p->oom_mm_flags >> o->mmf_oom_skip) & 1) {
				e->reason = MS_OOM_VICTIM_DONE;
				continue;
			}
			o->abort_by = (long)i;
			o->victim = -1;
			return;
		}
		if (p->oom_origin) {
			e->origin = true;
			pts = INT64_MAX;
		} else if (!e->scored) {
			continue;
		} else {
			pts = e->points;
		}
		if (pts < chosen)
			continue;
		chosen = pts;
		o->victim = (long)i;
	}
	if (o->victim >= 0)
		o->v[o->victim].victim = true;
}

struct ms_error *ms_oom_compute(struct ms_target *t, const struct ms_tasks *ts,
				struct ms_oom *o)
{
	struct ms_error *err;
	unsigned int version;

	memset(o, 0, sizeof(*o));
	o->victim = o->abort_by = -1;
	o->page_size = ms_page_size(t);
	o->complete = ts->complete;
	err = read_totals(t, o);
	if (err)
		return err;
	version = read_version(t, o);
	o->era = version ? ms_oom_era_of(version) : MS_OOM_ERA_SIGNED;
	if (o->era == MS_OOM_ERA_ROOT_BONUS)
		ms_warn(t, "kernel %s < 4.17: its 3%% CAP_SYS_ADMIN bonus is not modelled; "
			   "root tasks' points may read up to 3%% high", o->release);
	o->mmf_oom_skip = mmf_oom_skip_bit(t, version);

	o->v = calloc(ts->nr ? ts->nr : 1, sizeof(*o->v));
	if (!o->v)
		return &ms_error_nomem;
	o->nr = ts->nr;
	for (size_t i = 0; i < ts->nr; i++) {
		struct ms_oom_task *e = &o->v[i];

		e->task = &ts->v[i];
		badness(o, e);
		e->score = ms_oom_proc_score(o->era, e->scored, e->points, o->totalpages);
	}
	ms_oom_select_victim(o);
	return NULL;
}

void ms_oom_free(struct ms_oom *o)
{
	free(o->v);
	memset(o, 0, sizeof(*o));
}
