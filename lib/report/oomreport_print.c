/*
 * oomreport_print.c - every OOM event and allocation failure of the log,
 * with what the dump shows now, as text and as JSON.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "alloccheck_print.h"
#include "oomreport_print.h"

#define TOP_ROWS 10	/* rows of a logged tasks table shown without -a */

/* A size for people (K below 10 MiB, then M, G), or pages with -p. */
static char *fmt_kb(char *buf, size_t len, uint64_t kb, uint64_t page_kb, bool pages)
{
	if (pages)
		snprintf(buf, len, "%llu", (unsigned long long)(kb / (page_kb ? page_kb : 1)));
	else if (kb < 10 * 1024)
		snprintf(buf, len, "%lluK", (unsigned long long)kb);
	else if (kb < 10 * 1024 * 1024)
		snprintf(buf, len, "%.1fM", (double)kb / 1024.0);
	else
		snprintf(buf, len, "%.1fG", (double)kb / (1024.0 * 1024.0));
	return buf;
}

static char *fmt_pg(char *buf, size_t len, uint64_t pages, uint64_t page_kb, bool in_pages)
{
	return fmt_kb(buf, len, pages * page_kb, page_kb, in_pages);
}

/* "[   34.085705]" as dmesg prints a record's time. */
static char *fmt_ts(char *buf, size_t len, uint64_t ns)
{
	snprintf(buf, len, "[%5llu.%06llu]", (unsigned long long)(ns / 1000000000ull),
		 (unsigned long long)(ns % 1000000000ull / 1000));
	return buf;
}

static void print_trigger(FILE *out, const struct ms_oom_view *v)
{
	const struct ms_oom_event *e = v->e;

	if (!e->has_trigger) {
		fprintf(out, "trigger     not in the log (the report's first lines are missing)\n");
		return;
	}
	fprintf(out, "trigger     %s", e->comm);
	if (e->pid >= 0)
		fprintf(out, " (pid %d)", e->pid);
	fprintf(out, ": gfp_mask=%#llx(%s), order=%d", (unsigned long long)e->gfp_mask,
		e->gfp_names, e->order);
	if (e->has_adj)
		fprintf(out, ", oom_score_adj=%d", e->adj);
	if (e->format == MS_OOMFMT_4X && e->nodemask[0])
		fprintf(out, ", nodemask=%s", e->nodemask);	/* 4.x prints it here */
	fprintf(out, "\n");
}

static void print_gfp(FILE *out, const struct ms_oomrep *r, const struct ms_oom_view *v)
{
	if (!v->e->has_trigger)
		return;
	fprintf(out, "gfp         %s from the dump's %s%s; highest zone %s (gfp_zone()), "
		"the slow path as gfp %s\n", v->gfp_decoded[0] ? v->gfp_decoded : "(none)",
		r->names.source, v->gfp_same ? ", as logged" : ", NOT as logged",
		v->highest_zone, ms_gfp_kind_name(v->kind));
}

static void print_constraint(FILE *out, const struct ms_oom_event *e, uint64_t page_kb, bool pages)
{
	char a[24], b[24];

	if (e->has_constraint) {
		fprintf(out, "constraint  %s, nodemask=%s, cpuset=%s, mems_allowed=%s, %s%s%s, "
			"task_memcg=%s\n", e->constraint, e->nodemask, e->cpuset, e->mems_allowed,
			e->global_oom ? "global OOM" : "oom_memcg=", e->global_oom ? "" : e->oom_memcg,
			"", e->task_memcg);
	} else if (e->cpuset[0] || e->mems_allowed[0]) {
		fprintf(out, "constraint  cpuset=%s, mems_allowed=%s\n", e->cpuset, e->mems_allowed);
	}
	if (e->has_memcg_usage)
		fprintf(out, "memcg       usage %s, limit %s, failcnt %llu\n",
			fmt_kb(a, sizeof(a), e->memcg_usage_kb, page_kb, pages),
			fmt_kb(b, sizeof(b), e->memcg_limit_kb, page_kb, pages),
			(unsigned long long)e->memcg_failcnt);
}

static void print_meminfo(FILE *out, const struct ms_oom_event *e, uint64_t page_kb, bool pages)
{
	unsigned int col = 0;

	if (!e->has_meminfo)
		return;
	fprintf(out, "Mem-Info   ");
	for (size_t i = 0; i < e->nr_counters; i++) {
		const struct ms_oom_counter *c = &e->counters[i];
		size_t n = strlen(c->name);
		bool kb = n > 3 && !strcmp(c->name + n - 3, "_kb");
		char v[24];

		if (kb)
			fmt_kb(v, sizeof(v), c->value, page_kb, pages);
		else
			fmt_pg(v, sizeof(v), c->value, page_kb, pages);
		if (col == 4) {
			fprintf(out, "\n           ");
			col = 0;
		}
		fprintf(out, " %-22.*s %8s", (int)(kb ? n - 3 : n), c->name, v);
		col++;
	}
	fprintf(out, "\n");
	if (!e->nr_zones)
		return;
	fprintf(out, "zones        NODE ZONE          FREE      MIN      LOW     HIGH  MANAGED  "
		"FREE BLOCKS BY ORDER\n");
	for (size_t i = 0; i < e->nr_zones; i++) {
		const struct ms_oom_zone *z = &e->zones[i];
		char f[24], mn[24], lo[24], hi[24], mg[24];

		fprintf(out, "             %4d %-8s %9s %8s %8s %8s %8s ", z->node, z->name,
			fmt_kb(f, sizeof(f), z->free_kb, page_kb, pages),
			fmt_kb(mn, sizeof(mn), z->min_kb, page_kb, pages),
			fmt_kb(lo, sizeof(lo), z->low_kb, page_kb, pages),
			fmt_kb(hi, sizeof(hi), z->high_kb, page_kb, pages),
			fmt_kb(mg, sizeof(mg), z->managed_kb, page_kb, pages));
		for (unsigned int o = 0; z->has_orders && o < z->nr_orders; o++)
			fprintf(out, " %llu", (unsigned long long)z->nr_free[o]);
		fprintf(out, "\n");
	}
}


struct row_sort {
	size_t i;
	int64_t points;
	bool eligible;
};

static int cmp_rows(const void *a, const void *b)
{
	const struct row_sort *x = a, *y = b;

	if (x->eligible != y->eligible)
		return x->eligible ? -1 : 1;
	if (x->points != y->points)
		return x->points > y->points ? -1 : 1;
	return x->i > y->i ? -1 : (x->i < y->i);	/* a later row wins a tie */
}

static void print_tasks(FILE *out, const struct ms_oomrep *r, const struct ms_oom_view *v,
			const struct ms_oomrep_print_opts *o, uint64_t page_kb)
{
	const struct ms_oom_event *e = v->e;
	struct row_sort *s;
	size_t n;

	if (!e->has_tasks)
		return;
	fprintf(out, "tasks       %zu in the logged table", e->nr_rows);
	if (v->rc.done)
		fprintf(out, "; oom_badness() recomputed with totalpages %llu (%s)",
			(unsigned long long)v->rc.totalpages,
			v->rc.tp_from == MS_OOM_TP_MEMCG ? "the memcg's logged limit" :
			v->rc.tp_from == MS_OOM_TP_NODES ? "the dump's RAM + swap; the kernel used "
							   "the allowed nodes'" :
							   "the dump's RAM + swap");
	fprintf(out, "\n");
	if (!e->nr_rows)
		return;
	s = calloc(e->nr_rows, sizeof(*s));
	if (!s)
		return;
	for (size_t i = 0; i < e->nr_rows; i++) {
		const struct ms_oom_row *row = &e->rows[i];
		uint64_t pgt = row->pgtables_bytes > 0 ? (uint64_t)row->pgtables_bytes : 0;

		s[i].i = i;
		s[i].eligible = row->adj != -1000;
		s[i].points = ms_oom_points(r->have_oom ? r->oom.era : MS_OOM_ERA_SIGNED, row->rss,
					    row->swapents, pgt, r->page_size, row->adj,
					    v->rc.totalpages);
	}
	qsort(s, e->nr_rows, sizeof(*s), cmp_rows);
	fprintf(out, "              %7s %7s %6s %8s %8s %8s %8s %6s %10s %s\n", "PID", "TGID", "UID",
		"RSS", "PGTABLE", "SWAP", "TOTALVM", "ADJ", "POINTS", "COMM");
	n = o->all || e->nr_rows <= TOP_ROWS ? e->nr_rows : TOP_ROWS;
	for (size_t k = 0; k < n; k++) {
		const struct ms_oom_row *row = &e->rows[s[k].i];
		char rs[24], pg[24], sw[24], tv[24], pts[24];
		bool chosen = v->rc.chosen == (long)s[k].i;
		bool killed = e->has_kill && (row->pid == e->kill_pid || row->tgid == e->kill_pid);

		if (s[k].eligible)
			snprintf(pts, sizeof(pts), "%lld", (long long)s[k].points);
		else
			snprintf(pts, sizeof(pts), "skip");
		fprintf(out, "           %c%c %7d %7d %6u %8s %8s %8s %8s %6d %10s %s\n",
			chosen ? '>' : ' ', killed ? '*' : ' ', row->pid, row->tgid, row->uid,
			fmt_pg(rs, sizeof(rs), row->rss, page_kb, o->pages),
			fmt_kb(pg, sizeof(pg),
			       row->pgtables_bytes > 0 ? (uint64_t)row->pgtables_bytes / 1024 : 0,
			       page_kb, o->pages),
			fmt_pg(sw, sizeof(sw), row->swapents, page_kb, o->pages),
			fmt_pg(tv, sizeof(tv), row->total_vm, page_kb, o->pages), row->adj, pts,
			row->comm);
	}
	if (n < e->nr_rows)
		fprintf(out, "              ... %zu more (-a lists them)\n", e->nr_rows - n);
	fprintf(out, "              > the recomputed choice, * the task the log says was killed\n");
	free(s);
}

static void print_kill(FILE *out, const struct ms_oom_event *e, uint64_t page_kb, bool pages)
{
	char ts[32], a[24], b[24], c[24], d[24], f[24];

	if (e->kind != MS_OOMEV_OOM)
		return;
	if (!e->has_kill) {
		fprintf(out, "killed      no kill line in the log\n");
		return;
	}
	fprintf(out, "killed      %s pid %d (%s)%s", fmt_ts(ts, sizeof(ts), e->kill_ts_nsec),
		e->kill_pid, e->kill_comm, e->memcg_kill ? " by the memcg OOM killer" : "");
	if (e->has_score)
		fprintf(out, ", score %llu", (unsigned long long)e->score);
	if (e->has_kill_mem)
		fprintf(out, ": total-vm %s, anon-rss %s, file-rss %s, shmem-rss %s",
			fmt_kb(a, sizeof(a), e->total_vm_kb, page_kb, pages),
			fmt_kb(b, sizeof(b), e->anon_rss_kb, page_kb, pages),
			fmt_kb(c, sizeof(c), e->file_rss_kb, page_kb, pages),
			fmt_kb(d, sizeof(d), e->shmem_rss_kb, page_kb, pages));
	if (e->has_kill_uid)
		fprintf(out, ", UID %u, pgtables %s, oom_score_adj %d", e->kill_uid,
			fmt_kb(f, sizeof(f), e->pgtables_kb, page_kb, pages), e->kill_adj);
	fprintf(out, "\n");
	if (e->has_reap && e->reap_failed)
		fprintf(out, "reaper      %s unable to reap pid %d\n",
			fmt_ts(ts, sizeof(ts), e->reap_ts_nsec), e->kill_pid);
	else if (e->has_reap)
		fprintf(out, "reaper      %s reaped pid %d: now anon-rss %s, file-rss %s, shmem-rss %s\n",
			fmt_ts(ts, sizeof(ts), e->reap_ts_nsec), e->kill_pid,
			fmt_kb(a, sizeof(a), e->reap_anon_kb, page_kb, pages),
			fmt_kb(b, sizeof(b), e->reap_file_kb, page_kb, pages),
			fmt_kb(c, sizeof(c), e->reap_shmem_kb, page_kb, pages));
	else
		fprintf(out, "reaper      no oom_reaper line (the victim's exit freed its memory first, "
			"or the line is not in the log)\n");
}

static void print_check(FILE *out, const struct ms_oom_view *v)
{
	const struct ms_oom_event *e = v->e;
	const struct ms_oom_recompute *rc = &v->rc;

	if (e->kind != MS_OOMEV_OOM)
		return;
	if (!rc->done) {
		fprintf(out, "check       no tasks table to recompute the choice from\n");
		return;
	}
	if (rc->chosen < 0)
		fprintf(out, "check       no row of the table is eligible");
	else
		fprintf(out, "check       the kernel's formula picks pid %d (%s), %lld points: %s",
			e->rows[rc->chosen].pid, e->rows[rc->chosen].comm,
			(long long)rc->chosen_points,
			!e->has_kill ? "no kill line to compare" :
			rc->agrees ? "agrees with the logged victim" : "NOT the logged victim");
	if (rc->why[0])
		fprintf(out, "; %s", rc->why);
	if (rc->score_checked)
		fprintf(out, "; the logged score %s totalpages", rc->score_agrees ? "matches" :
			"does not match");
	fprintf(out, "\n");
}

static void print_now(FILE *out, const struct ms_oomrep *r, const struct ms_oom_view *v)
{
	const struct ms_oom_event *e = v->e;

	if (e->kind == MS_OOMEV_OOM && e->has_kill) {
		fprintf(out, "now         pid %d (%s): %s", e->kill_pid, e->kill_comm,
			ms_victim_now_text(v->victim_now));
		if (v->victim_now == MS_VICTIM_GONE)
			fprintf(out, " (no such process in the dump)");
		if (v->adj_changed)
			fprintf(out, "; oom_score_adj now %d", v->adj_now);
		if (r->reaper_known && !r->reaper_list)
			fprintf(out, "; oom_reaper's queue is empty");
		else if (r->reaper_known)
			fprintf(out, "; oom_reaper's queue holds pid %d", r->reaper_pid);
		fprintf(out, "\n");
	}
	if (e->kind == MS_OOMEV_OOM && r->have_oom) {
		if (r->oom.abort_by >= 0)
			fprintf(out, "next        an OOM now would kill nothing new: pid %d is still "
				"exiting as a victim\n", r->oom.v[r->oom.abort_by].task->pid);
		else if (r->oom.victim >= 0)
			fprintf(out, "next        a global OOM now would kill pid %d (%s), %lld points "
				"(oomscore)\n", r->oom.v[r->oom.victim].task->pid,
				r->oom.v[r->oom.victim].task->comm,
				(long long)r->oom.v[r->oom.victim].points);
		else
			fprintf(out, "next        no task a global OOM could kill now\n");
	}
}

static void print_replay(FILE *out, const struct ms_oom_view *v)
{
	if (!v->e->has_trigger)
		return;
	if (!v->replayed) {
		fprintf(out, "replay      none: %s\n", v->replay_error);
		return;
	}
	fprintf(out, "replay      the allocation again on the zones of the dump (the log is from "
		"the time of the failure, the zones from the time of the dump):\n");
	ms_alloc_check_print(out, &v->check);
	for (unsigned int i = 0; i < v->check.nr; i++) {
		const struct ms_alloc_zone *z = &v->check.zones[i];

		fprintf(out, "  node %d %-8s %-15s free blocks by order:", z->node_id, z->name,
			ms_replay_cause_name(v->causes[i]));
		for (unsigned int o = 0; o < z->in.nr_orders; o++)
			fprintf(out, " %llu", (unsigned long long)z->in.nr_free[o]);
		fprintf(out, "\n");
	}
	if (v->cause == MS_REPLAY_PASSES)
		fprintf(out, "now         it would pass: memory was freed since, or the kernel failed "
			"for a reason the zones do not show (cpuset, nodemask, a retry limit)\n");
	else if (v->cause == MS_REPLAY_FRAGMENTATION)
		fprintf(out, "now         it fails: fragmentation (enough free pages, no free block of "
			"order %d or more)\n", v->e->order);
	else
		fprintf(out, "now         it fails: %s\n", v->cause == MS_REPLAY_WATERMARK ?
			"free pages at or under the watermark" :
			"over the watermark, but not over watermark + lowmem_reserve");
}

void ms_oomrep_print(FILE *out, const struct ms_oomrep *r, const struct ms_oomrep_print_opts *o)
{
	uint64_t page_kb = r->page_size / 1024;
	size_t ooms = 0, fails = 0;
	char ts[32], miss[160];

	for (size_t i = 0; i < r->nr; i++)
		r->v[i].e->kind == MS_OOMEV_OOM ? ooms++ : fails++;
	fprintf(out, "kernel log: %s, %llu records (seq %llu-%llu)", r->stats.format ?
		r->stats.format : "?", (unsigned long long)r->log.records,
		(unsigned long long)r->log.first_seq,
		(unsigned long long)(r->log.next_seq ? r->log.next_seq - 1 : 0));
	if (r->stats.skipped)
		fprintf(out, ", %llu unreadable", (unsigned long long)r->stats.skipped);
	fprintf(out, "; %zu OOM event%s, %zu allocation failure%s\n", ooms, ooms == 1 ? "" : "s",
		fails, fails == 1 ? "" : "s");
	if (r->log.dropped)
		fprintf(out, "more than %d events: the later ones are not shown\n", MS_OOM_EVENTS_MAX);
	for (size_t i = 0; i < r->nr; i++) {
		const struct ms_oom_view *v = &r->v[i];
		const struct ms_oom_event *e = v->e;

		fprintf(out, "\n== %s %zu at %s seq %llu%s%s\n",
			e->kind == MS_OOMEV_OOM ? "OOM" : "page allocation failure", i + 1,
			fmt_ts(ts, sizeof(ts), e->ts_nsec), (unsigned long long)e->seq,
			e->missing ? ": " : "", ms_oom_missing_text(e->missing, miss, sizeof(miss)));
		print_trigger(out, v);
		print_gfp(out, r, v);
		print_constraint(out, e, page_kb, o->pages);
		print_meminfo(out, e, page_kb, o->pages);
		print_tasks(out, r, v, o, page_kb);
		print_kill(out, e, page_kb, o->pages);
		print_check(out, v);
		print_now(out, r, v);
		print_replay(out, v);
	}
}

/* ---- JSON ---- */

static json_t *str_or_null(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

static json_t *event_json(const struct ms_oomrep *r, const struct ms_oom_view *v)
{
	const struct ms_oom_event *e = v->e;
	json_t *j = json_object(), *a;
	char miss[160];

	json_object_set_new(j, "kind", json_string(ms_oom_kind_name(e->kind)));
	json_object_set_new(j, "seq", json_integer((json_int_t)e->seq));
	json_object_set_new(j, "ts_nsec", json_integer((json_int_t)e->ts_nsec));
	json_object_set_new(j, "format", json_string(e->format == MS_OOMFMT_4X ? "4.x" : "5.x+"));
	json_object_set_new(j, "missing", str_or_null(ms_oom_missing_text(e->missing, miss,
									sizeof(miss))));
	if (e->has_trigger) {
		json_t *t = json_pack("{s:s, s:i, s:I, s:s, s:s, s:b, s:i, s:s, s:s}",
				      "comm", e->comm, "pid", e->pid,
				      "gfp_mask", (json_int_t)e->gfp_mask,
				      "gfp_names_logged", e->gfp_names,
				      "gfp_names_dump", v->gfp_decoded, "gfp_same", v->gfp_same,
				      "order", e->order, "highest_zone", v->highest_zone,
				      "gfp_kind", ms_gfp_kind_name(v->kind));

		json_object_set_new(t, "oom_score_adj", e->has_adj ? json_integer(e->adj) :
								     json_null());
		json_object_set_new(t, "nodemask", str_or_null(e->nodemask));
		json_object_set_new(j, "trigger", t);
	}
	if (e->has_constraint || e->cpuset[0])
		json_object_set_new(j, "constraint",
			json_pack("{s:o, s:o, s:o, s:b, s:o, s:o, s:o, s:i, s:i}",
				  "constraint", str_or_null(e->constraint),
				  "cpuset", str_or_null(e->cpuset),
				  "mems_allowed", str_or_null(e->mems_allowed),
				  "global_oom", e->global_oom,
				  "oom_memcg", str_or_null(e->oom_memcg),
				  "task_memcg", str_or_null(e->task_memcg),
				  "task", str_or_null(e->task_comm), "pid", e->task_pid,
				  "uid", (int)e->task_uid));
	if (e->has_memcg_usage)
		json_object_set_new(j, "memcg", json_pack("{s:I, s:I, s:I}",
			"usage_kb", (json_int_t)e->memcg_usage_kb,
			"limit_kb", (json_int_t)e->memcg_limit_kb,
			"failcnt", (json_int_t)e->memcg_failcnt));
	if (e->has_meminfo) {
		json_t *m = json_object();

		for (size_t i = 0; i < e->nr_counters; i++)
			json_object_set_new(m, e->counters[i].name,
					    json_integer((json_int_t)e->counters[i].value));
		json_object_set_new(j, "meminfo", m);
		a = json_array();
		for (size_t i = 0; i < e->nr_zones; i++) {
			const struct ms_oom_zone *z = &e->zones[i];
			json_t *zj = json_pack("{s:i, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
				"node", z->node, "zone", z->name, "free_kb", (json_int_t)z->free_kb,
				"boost_kb", (json_int_t)z->boost_kb,
				"min_kb", (json_int_t)z->min_kb, "low_kb", (json_int_t)z->low_kb,
				"high_kb", (json_int_t)z->high_kb,
				"present_kb", (json_int_t)z->present_kb,
				"managed_kb", (json_int_t)z->managed_kb);
			json_t *res = json_array(), *nf = json_array();

			for (unsigned int k = 0; k < z->nr_reserve; k++)
				json_array_append_new(res, json_integer(z->lowmem_reserve[k]));
			for (unsigned int k = 0; k < z->nr_orders; k++)
				json_array_append_new(nf, json_integer((json_int_t)z->nr_free[k]));
			json_object_set_new(zj, "lowmem_reserve", res);
			json_object_set_new(zj, "nr_free", z->has_orders ? nf : (json_decref(nf),
										  json_null()));
			json_array_append_new(a, zj);
		}
		json_object_set_new(j, "zones", a);
	}
	if (e->has_tasks) {
		a = json_array();
		for (size_t i = 0; i < e->nr_rows; i++) {
			const struct ms_oom_row *row = &e->rows[i];
			json_t *rj = json_pack("{s:i, s:i, s:i, s:I, s:I, s:I, s:I, s:i, s:s}",
				"pid", row->pid, "tgid", row->tgid, "uid", (int)row->uid,
				"total_vm", (json_int_t)row->total_vm, "rss", (json_int_t)row->rss,
				"pgtables_bytes", (json_int_t)row->pgtables_bytes,
				"swapents", (json_int_t)row->swapents, "oom_score_adj", row->adj,
				"comm", row->comm);

			if (row->has_split) {
				json_object_set_new(rj, "rss_anon", json_integer((json_int_t)row->rss_anon));
				json_object_set_new(rj, "rss_file", json_integer((json_int_t)row->rss_file));
				json_object_set_new(rj, "rss_shmem",
						    json_integer((json_int_t)row->rss_shmem));
			}
			json_array_append_new(a, rj);
		}
		json_object_set_new(j, "tasks", a);
	}
	if (e->has_kill) {
		json_t *k = json_pack("{s:I, s:I, s:i, s:s, s:b}", "seq", (json_int_t)e->kill_seq,
				      "ts_nsec", (json_int_t)e->kill_ts_nsec, "pid", e->kill_pid,
				      "comm", e->kill_comm, "memcg", e->memcg_kill);

		if (e->has_kill_mem) {
			json_object_set_new(k, "total_vm_kb", json_integer((json_int_t)e->total_vm_kb));
			json_object_set_new(k, "anon_rss_kb", json_integer((json_int_t)e->anon_rss_kb));
			json_object_set_new(k, "file_rss_kb", json_integer((json_int_t)e->file_rss_kb));
			json_object_set_new(k, "shmem_rss_kb",
					    json_integer((json_int_t)e->shmem_rss_kb));
		}
		if (e->has_kill_uid) {
			json_object_set_new(k, "uid", json_integer(e->kill_uid));
			json_object_set_new(k, "pgtables_kb", json_integer((json_int_t)e->pgtables_kb));
			json_object_set_new(k, "oom_score_adj", json_integer(e->kill_adj));
		}
		if (e->has_score)
			json_object_set_new(k, "score", json_integer((json_int_t)e->score));
		json_object_set_new(j, "killed", k);
		json_object_set_new(j, "reaper", !e->has_reap ? json_null() :
			json_pack("{s:I, s:b, s:I, s:I, s:I}", "ts_nsec", (json_int_t)e->reap_ts_nsec,
				  "failed", e->reap_failed, "anon_rss_kb", (json_int_t)e->reap_anon_kb,
				  "file_rss_kb", (json_int_t)e->reap_file_kb,
				  "shmem_rss_kb", (json_int_t)e->reap_shmem_kb));
		json_object_set_new(j, "now", json_pack("{s:s, s:o}", "victim",
			ms_victim_now_text(v->victim_now), "oom_score_adj",
			v->victim_task >= 0 ? json_integer(v->adj_now) : json_null()));
	}
	if (e->kind == MS_OOMEV_OOM && v->rc.done)
		json_object_set_new(j, "recompute", json_pack("{s:I, s:s, s:o, s:I, s:I, s:b, s:o}",
			"totalpages", (json_int_t)v->rc.totalpages,
			"totalpages_from", v->rc.tp_from == MS_OOM_TP_MEMCG ? "memcg limit" :
					   v->rc.tp_from == MS_OOM_TP_NODES ? "dump (nodes unknown)" :
									       "dump",
			"chosen_pid", v->rc.chosen >= 0 ? json_integer(e->rows[v->rc.chosen].pid) :
							  json_null(),
			"chosen_points", (json_int_t)v->rc.chosen_points,
			"logged_points", (json_int_t)v->rc.logged_points, "agrees", v->rc.agrees,
			"why", str_or_null(v->rc.why)));
	if (v->replayed) {
		json_t *rp = json_object(), *causes = json_array();

		json_object_set_new(rp, "cause", json_string(ms_replay_cause_name(v->cause)));
		for (unsigned int i = 0; i < v->check.nr; i++) {
			const struct ms_alloc_zone *z = &v->check.zones[i];
			json_t *nf = json_array();

			for (unsigned int o = 0; o < z->in.nr_orders; o++)
				json_array_append_new(nf, json_integer((json_int_t)z->in.nr_free[o]));
			json_array_append_new(causes, json_pack("{s:i, s:s, s:s, s:o}",
				"node", z->node_id, "zone", z->name,
				"cause", ms_replay_cause_name(v->causes[i]), "nr_free", nf));
		}
		json_object_set_new(rp, "zones", causes);
		json_object_set_new(rp, "check", ms_alloc_check_json(&v->check));
		json_object_set_new(j, "replay", rp);
	} else if (e->has_trigger) {
		json_object_set_new(j, "replay", json_pack("{s:s}", "error", v->replay_error));
	}
	(void)r;
	return j;
}

json_t *ms_oomrep_json(const struct ms_oomrep *r)
{
	json_t *j = json_object(), *a = json_array();

	json_object_set_new(j, "log", json_pack("{s:o, s:I, s:I, s:I, s:I, s:I}",
		"format", str_or_null(r->stats.format), "records", (json_int_t)r->log.records,
		"first_seq", (json_int_t)r->log.first_seq, "next_seq", (json_int_t)r->log.next_seq,
		"last_ts_nsec", (json_int_t)r->log.last_ts_nsec,
		"skipped", (json_int_t)r->stats.skipped));
	json_object_set_new(j, "gfp_names_source", json_string(r->names.source));
	for (size_t i = 0; i < r->nr; i++)
		json_array_append_new(a, event_json(r, &r->v[i]));
	json_object_set_new(j, "events", a);
	if (r->have_oom && r->oom.victim >= 0)
		json_object_set_new(j, "next_victim", json_pack("{s:i, s:s, s:I}",
			"pid", r->oom.v[r->oom.victim].task->pid,
			"comm", r->oom.v[r->oom.victim].task->comm,
			"points", (json_int_t)r->oom.v[r->oom.victim].points));
	else
		json_object_set_new(j, "next_victim", json_null());
	return j;
}
