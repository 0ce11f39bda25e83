/*
 * oomcheck.h - the kernel's choice at the time of an OOM event, recomputed
 * from the tasks table it logged: oom_badness() of every row with the dump's
 * formula (oom.c's era) and totalpages, then select_bad_process()'s pick, and
 * whether it is the task the log says was killed (and if not, why).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_OOMCHECK_H
#define MEMSCOPE_OOMCHECK_H

#include "oom.h"
#include "oomreport.h"

enum ms_oom_totalpages_from {
	MS_OOM_TP_DUMP,		/* RAM + swap of the dump (a global OOM) */
	MS_OOM_TP_MEMCG,	/* the memcg's limit as logged (mem_cgroup_get_max()) */
	MS_OOM_TP_NODES,	/* cpuset / mempolicy: allowed nodes' pages, unknown here */
};

struct ms_oom_recompute {
	bool done;			/* there was a table to recompute from */
	uint64_t totalpages;
	enum ms_oom_totalpages_from tp_from;
	long chosen;			/* row index, -1: no eligible row */
	int64_t chosen_points;
	long logged;			/* the killed task's row, -1 if not in the table */
	int64_t logged_points;
	bool agrees;			/* chosen row is the killed task (pid or tgid) */
	bool score_checked;		/* 4.x: the logged "score" checked against totalpages */
	bool score_agrees;
	char why[320];			/* the reason when it does not agree, or a caveat */
};

/* Recompute e's choice: totalpages of the dump (RAM + swap, pages) unless the
 * event says otherwise. */
void ms_oom_recompute(const struct ms_oom_event *e, enum ms_oom_era era, uint64_t dump_totalpages,
		      uint64_t page_size, struct ms_oom_recompute *r);

#endif
