/*
 * oomreplay.c - the log's OOM events against the dump (see oomreplay.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "oomreplay.h"

#define TASK_COMM_LEN 16	/* comm as the log prints it: at most 15 bytes */

const char *ms_victim_now_text(enum ms_victim_now v)
{
	switch (v) {
	case MS_VICTIM_GONE: return "gone";
	case MS_VICTIM_REAPED: return "reaped (MMF_OOM_SKIP), still listed";
	case MS_VICTIM_EXITING: return "still exiting";
	case MS_VICTIM_ALIVE: return "alive";
	default: return "unknown";
	}
}

const char *ms_replay_cause_name(enum ms_replay_cause c)
{
	switch (c) {
	case MS_REPLAY_FRAGMENTATION: return "fragmentation";
	case MS_REPLAY_WATERMARK: return "watermark";
	case MS_REPLAY_LOWMEM_RESERVE: return "lowmem_reserve";
	default: return "passes";
	}
}

/* __zone_watermark_ok()'s two tests, in its order: the order-0 watermark with
 * lowmem_reserve, then a free block of the order. */
enum ms_replay_cause ms_replay_cause_of(const struct ms_alloc_zone *z)
{
	if (z->pass)
		return MS_REPLAY_PASSES;
	if (z->out.verdict == MS_WMARK_NO_BLOCK)
		return MS_REPLAY_FRAGMENTATION;
	if (z->out.usable > z->out.min && z->out.usable <= z->out.need)
		return MS_REPLAY_LOWMEM_RESERVE;
	return MS_REPLAY_WATERMARK;
}

/* A zone type by name among the first node's zones: its index, or -1. */
static int zone_index(const struct ms_zoneinfo *zi, const char *name)
{
	for (unsigned int z = 0; zi->nr_nodes && z < zi->zones_per_node; z++)
		if (!strcasecmp(ms_zi_zone(zi, 0, z)->name, name))
			return (int)z;
	return -1;
}

static bool same_comm(const char *a, const char *b)
{
	return !strncmp(a, b, TASK_COMM_LEN - 1);
}

/* Where the killed task is now: the process list and its OOM marks. */
static void victim_now(const struct ms_oomrep *r, struct ms_oom_view *v)
{
	const struct ms_oom_event *e = v->e;

	v->victim_task = -1;
	v->victim_now = MS_VICTIM_UNKNOWN;
	if (!e->has_kill || !r->have_tasks)
		return;
	v->victim_now = MS_VICTIM_GONE;
	for (size_t i = 0; i < r->tasks.nr; i++) {
		const struct ms_task *p = &r->tasks.v[i];
		int skip = r->have_oom ? r->oom.mmf_oom_skip : -1;

		if ((p->tgid != e->kill_pid && p->pid != e->kill_pid) ||
		    !same_comm(p->comm, e->kill_comm))
			continue;
		v->victim_task = (long)i;
		v->adj_now = p->oom_score_adj;
		v->adj_changed = e->has_kill_uid && p->oom_score_adj != e->kill_adj;
		if (p->oom_mm && skip >= 0 && ((p->oom_mm_flags >> skip) & 1))
			v->victim_now = MS_VICTIM_REAPED;
		else if (p->mm && skip >= 0 && ((p->mm_flags >> skip) & 1))
			v->victim_now = MS_VICTIM_REAPED;
		else if (p->oom_mm || !p->mm)
			v->victim_now = MS_VICTIM_EXITING;
		else
			v->victim_now = MS_VICTIM_ALIVE;
		return;
	}
}

/* The allocation again, on the zones of the dump: the slow path's attempt at
 * the min watermark with gfp_to_alloc_flags()'s reserves (alloccheck.c). */
static void replay(struct ms_target *t, const struct ms_oomrep *r, struct ms_oom_view *v)
{
	const struct ms_oom_event *e = v->e;
	struct ms_alloc_req req = { 0 };
	struct ms_error *err;
	int z;

	if (!r->have_zones) {
		snprintf(v->replay_error, sizeof(v->replay_error), "the zones are not readable");
		return;
	}
	if (!e->has_trigger || e->order < 0) {
		snprintf(v->replay_error, sizeof(v->replay_error), "the log has no order and gfp mask");
		return;
	}
	z = zone_index(&r->zi, v->highest_zone);
	if (z < 0)	/* no ZONE_HIGHMEM (64-bit) or ZONE_MOVABLE: Normal is the top */
		z = zone_index(&r->zi, "Normal");
	req.order = (unsigned int)e->order;
	req.highest_zoneidx = z;
	req.nid = -1;
	req.wmark = MS_WMARK_MIN;
	req.gfp = v->kind;
	err = ms_alloc_check(t, &r->zi, &req, &v->check);
	if (err) {
		snprintf(v->replay_error, sizeof(v->replay_error), "%s", ms_error_string(err));
		ms_error_destroy(err);
		return;
	}
	v->replayed = true;
	v->cause = MS_REPLAY_PASSES;
	v->causes = calloc(v->check.nr ? v->check.nr : 1, sizeof(*v->causes));
	for (unsigned int i = 0; v->causes && i < v->check.nr; i++) {
		v->causes[i] = ms_replay_cause_of(&v->check.zones[i]);
		if (v->causes[i] != MS_REPLAY_PASSES && v->cause == MS_REPLAY_PASSES)
			v->cause = v->causes[i];
	}
	if (v->check.first_pass >= 0)
		v->cause = MS_REPLAY_PASSES;
}

static void read_reaper(struct ms_target *t, struct ms_oomrep *r)
{
	uint64_t addr;
	struct ms_error *err = ms_symbol(t, "oom_reaper_list", &addr);
	long pid_off = ms_member_offset(t, "task_struct", "pid");

	if (err) {
		ms_error_destroy(err);
		return;
	}
	err = ms_read_ptr(t, addr, &r->reaper_list);
	if (err) {
		ms_warn_error(t, err, "oom_reaper_list");
		return;
	}
	r->reaper_known = true;
	r->reaper_pid = -1;
	if (r->reaper_list && pid_off >= 0) {
		int32_t pid;

		err = ms_read_s32(t, r->reaper_list + (uint64_t)pid_off, &pid);
		if (err)
			ms_warn_error(t, err, "the task on oom_reaper_list");
		else
			r->reaper_pid = pid;
	}
}

struct ms_error *ms_oomrep_build(struct ms_target *t, struct ms_oomrep *r)
{
	struct ms_error *err;

	memset(r, 0, sizeof(*r));
	r->page_size = ms_page_size(t);
	ms_oom_log_init(&r->log);
	err = ms_log_walk(t, ms_oom_log_feed, &r->log, &r->stats);
	ms_oom_log_finish(&r->log);
	if (err && !r->log.records) {
		ms_oom_log_free(&r->log);
		return ms_error_wrap(err, "cannot read the kernel log");
	}
	if (err)
		ms_warn_error(t, err, "the kernel log, read in part");
	ms_gfp_names_read(t, &r->names);

	err = ms_tasks_read(t, &r->tasks);
	if (err) {
		ms_warn_error(t, err, "the process list (the victims now, the ranking now)");
	} else {
		r->have_tasks = true;
		err = ms_oom_compute(t, &r->tasks, &r->oom);
		if (err)
			ms_warn_error(t, err, "the OOM ranking now");
		else
			r->have_oom = true;
	}
	err = ms_zoneinfo_read(t, &r->zi);
	if (err)
		ms_warn_error(t, err, "the zones (no replay of the allocations)");
	else
		r->have_zones = true;
	read_reaper(t, r);

	r->v = calloc(r->log.nr ? r->log.nr : 1, sizeof(*r->v));
	if (!r->v) {
		ms_oomrep_free(r);
		return ms_error_create(MS_ERR_NOMEM, "no memory for the OOM events");
	}
	r->nr = r->log.nr;
	for (size_t i = 0; i < r->nr; i++) {
		struct ms_oom_view *v = &r->v[i];

		v->e = &r->log.v[i];
		ms_gfp_format(&r->names, v->e->gfp_mask, v->gfp_decoded, sizeof(v->gfp_decoded));
		v->gfp_same = !strcmp(v->gfp_decoded, v->e->gfp_names);
		v->highest_zone = ms_gfp_zone_name(&r->names, v->e->gfp_mask);
		v->kind = ms_gfp_kind_of(&r->names, v->e->gfp_mask);
		if (v->e->kind == MS_OOMEV_OOM)
			ms_oom_recompute(v->e, r->have_oom ? r->oom.era : MS_OOM_ERA_SIGNED,
					 r->have_oom ? r->oom.totalpages : 0, r->page_size, &v->rc);
		victim_now(r, v);
		replay(t, r, v);
	}
	return NULL;
}

void ms_oomrep_free(struct ms_oomrep *r)
{
	for (size_t i = 0; i < r->nr; i++) {
		if (r->v[i].replayed)
			ms_alloc_check_free(&r->v[i].check);
		free(r->v[i].causes);
	}
	free(r->v);
	if (r->have_oom)
		ms_oom_free(&r->oom);
	if (r->have_tasks)
		ms_tasks_free(&r->tasks);
	if (r->have_zones)
		ms_zoneinfo_free(&r->zi);
	ms_oom_log_free(&r->log);
	memset(r, 0, sizeof(*r));
}
