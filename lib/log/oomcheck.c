/*
 * oomcheck.c - select_bad_process() again, on the logged tasks table.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "oomcheck.h"

#define OOM_SCORE_ADJ_MIN (-1000)

static bool is_victim(const struct ms_oom_row *row, int pid)
{
	return row->pid == pid || row->tgid == pid;
}

static bool constrained_to_nodes(const struct ms_oom_event *e)
{
	return !strcmp(e->constraint, "CONSTRAINT_CPUSET") ||
	       !strcmp(e->constraint, "CONSTRAINT_MEMORY_POLICY");
}

void ms_oom_recompute(const struct ms_oom_event *e, enum ms_oom_era era, uint64_t dump_totalpages,
		      uint64_t page_size, struct ms_oom_recompute *r)
{
	uint64_t page_kb = page_size / 1024 ? page_size / 1024 : 1;
	bool memcg = !strcmp(e->constraint, "CONSTRAINT_MEMCG") || e->memcg_kill;

	memset(r, 0, sizeof(*r));
	r->chosen = r->logged = -1;
	r->totalpages = dump_totalpages;
	r->tp_from = MS_OOM_TP_DUMP;
	if (memcg && e->has_memcg_usage && e->memcg_limit_kb) {
		/* mem_cgroup_get_max(): the limit (plus swap's where it counts) */
		r->totalpages = e->memcg_limit_kb / page_kb;
		r->tp_from = MS_OOM_TP_MEMCG;
	} else if (constrained_to_nodes(e)) {
		r->tp_from = MS_OOM_TP_NODES;
	}
	if (!e->nr_rows || !r->totalpages)
		return;
	r->done = true;
	/* oom_evaluate_task(): rows in for_each_process() order, the order printed */
	for (size_t i = 0; i < e->nr_rows; i++) {
		const struct ms_oom_row *row = &e->rows[i];
		uint64_t pgt = row->pgtables_bytes > 0 ? (uint64_t)row->pgtables_bytes : 0;
		int64_t p;

		if (row->adj == OOM_SCORE_ADJ_MIN)
			continue;	/* oom_badness(): LONG_MIN (5.9+) / 0 */
		p = ms_oom_points(era, row->rss, row->swapents, pgt, page_size, row->adj,
				  r->totalpages);
		if (e->kill_pid >= 0 && is_victim(row, e->kill_pid)) {
			r->logged = (long)i;
			r->logged_points = p;
		}
		if (era != MS_OOM_ERA_SIGNED && p <= 0)
			continue;	/* 0 is "skip" before 5.9 */
		if (r->chosen >= 0 && p < r->chosen_points)
			continue;
		/* before 5.9: a tie keeps a thread group leader */
		if (r->chosen >= 0 && p == r->chosen_points && era != MS_OOM_ERA_SIGNED &&
		    e->rows[r->chosen].pid == e->rows[r->chosen].tgid)
			continue;
		r->chosen = (long)i;
		r->chosen_points = p;
	}
	if (e->has_score && r->chosen >= 0) {
		/* 4.x: select_bad_process() logs chosen_points * 1000 / totalpages */
		r->score_checked = true;
		r->score_agrees = (uint64_t)r->chosen_points * 1000 / r->totalpages == e->score;
	}
	if (!e->has_kill) {
		snprintf(r->why, sizeof(r->why), "the log has no kill line to compare with");
		return;
	}
	if (r->chosen >= 0 && is_victim(&e->rows[r->chosen], e->kill_pid)) {
		r->agrees = true;
		if (r->tp_from == MS_OOM_TP_NODES)
			snprintf(r->why, sizeof(r->why), "totalpages of a %s OOM is the allowed nodes' "
				 "pages, not in the log: the dump's RAM + swap was used", e->constraint);
		return;
	}
	if (r->logged < 0)
		snprintf(r->why, sizeof(r->why), "the killed task (pid %d) is not in the logged table "
			 "(the table is cut, or the header was ratelimited)", e->kill_pid);
	else if (e->has_score)
		snprintf(r->why, sizeof(r->why), "4.x oom_kill_process() sacrifices a child of the "
			 "chosen task with more points; or totalpages differed");
	else if (r->tp_from == MS_OOM_TP_NODES)
		snprintf(r->why, sizeof(r->why), "a %s OOM scores over the allowed nodes' pages, "
			 "which the log does not give", e->constraint);
	else if (r->chosen >= 0)
		snprintf(r->why, sizeof(r->why), "pid %d has more points (%lld > %lld): totalpages "
			 "differed at the time, an oom_task_origin() task or an earlier victim "
			 "still exiting decided, or oom_score_adj changed after the table was printed",
			 e->rows[r->chosen].pid, (long long)r->chosen_points,
			 (long long)r->logged_points);
	else
		snprintf(r->why, sizeof(r->why), "no row of the table is eligible");
}
