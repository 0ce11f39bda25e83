/*
 * oomreplay.h - the OOM events of the dump's log tied to the dump itself:
 * the gfp mask in the dump's own flag names, the victim's state now
 * (gone, exiting, MMF_OOM_SKIP; oom_reaper's queue), the choice recomputed
 * (oomcheck.h), the task the ranking would pick now (oom.c), and each failed
 * allocation replayed on the zones as they are now (alloccheck.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_OOMREPLAY_H
#define MEMSCOPE_OOMREPLAY_H

#include "alloccheck.h"
#include "gfp.h"
#include "logrec.h"
#include "oom.h"
#include "oomcheck.h"
#include "oomreport.h"
#include "zone.h"

enum ms_victim_now {
	MS_VICTIM_UNKNOWN,	/* no kill line, or no process list */
	MS_VICTIM_GONE,		/* no process of that pid (or another comm under it) */
	MS_VICTIM_REAPED,	/* still listed, MMF_OOM_SKIP set: reaped or past exit_mmap() */
	MS_VICTIM_EXITING,	/* marked (signal->oom_mm) without MMF_OOM_SKIP, or no mm left */
	MS_VICTIM_ALIVE,	/* listed with an mm, not marked: not the same task, or survived */
};

/* Why a replayed allocation fails in a zone now. */
enum ms_replay_cause {
	MS_REPLAY_PASSES,
	MS_REPLAY_FRAGMENTATION,	/* enough free pages, no free block of the order */
	MS_REPLAY_WATERMARK,		/* free pages at or under the watermark */
	MS_REPLAY_LOWMEM_RESERVE,	/* over the watermark, under watermark + lowmem_reserve */
};

struct ms_oom_view {
	const struct ms_oom_event *e;
	char gfp_decoded[256];		/* the mask in the dump's flag names */
	bool gfp_same;			/* equals what the log printed */
	const char *highest_zone;	/* gfp_zone() */
	enum ms_gfp_kind kind;

	struct ms_oom_recompute rc;	/* OOM events with a table */

	enum ms_victim_now victim_now;
	long victim_task;		/* index into the process list, -1 */
	bool adj_changed;		/* the victim's oom_score_adj now != the logged one */
	int adj_now;

	bool replayed;
	struct ms_alloc_check check;	/* zones as they are now */
	enum ms_replay_cause *causes;	/* per check.zones */
	enum ms_replay_cause cause;	/* the first zone's that fails, or PASSES */
	char replay_error[160];		/* why there is no replay */
};

struct ms_oomrep {
	struct ms_log_stats stats;
	struct ms_oom_log log;
	struct ms_gfp_names names;
	size_t nr;
	struct ms_oom_view *v;		/* one per log.v */
	bool have_tasks, have_oom;
	struct ms_tasks tasks;
	struct ms_oom oom;		/* the ranking now */
	bool have_zones;
	struct ms_zoneinfo zi;
	bool reaper_known;		/* oom_reaper_list was read */
	uint64_t reaper_list;		/* its head: a task queued for reaping, 0 */
	int reaper_pid;
	uint64_t page_size;
};

/* Read the log and everything above.  The log unreadable is the error; any
 * other part missing is warned about and left out (have_* false). */
struct ms_error *ms_oomrep_build(struct ms_target *t, struct ms_oomrep *r);
void ms_oomrep_free(struct ms_oomrep *r);

const char *ms_victim_now_text(enum ms_victim_now v);
const char *ms_replay_cause_name(enum ms_replay_cause c);	/* "fragmentation", ... */

/* The cause of one zone's result (pure: for the tests). */
enum ms_replay_cause ms_replay_cause_of(const struct ms_alloc_zone *z);

#endif
