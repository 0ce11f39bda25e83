/*
 * oom_print.c - the OOM table (candidates by badness, then skipped tasks) and
 * its JSON form.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "oom_print.h"

static const char *era_text(enum ms_oom_era era)
{
	switch (era) {
	case MS_OOM_ERA_SIGNED:
		return "5.9+";
	case MS_OOM_ERA_FLOOR1:
		return "4.17-5.8";
	default:
		return "pre-4.17";
	}
}

/* A size for people: K below 10 MiB, then M, then G. */
static void fmt_bytes(char *buf, size_t len, uint64_t bytes)
{
	const uint64_t mib = 1024 * 1024;

	if (bytes < 10 * mib)
		snprintf(buf, len, "%lluK", (unsigned long long)(bytes >> 10));
	else if (bytes < 10 * 1024 * mib)
		snprintf(buf, len, "%.1fM", (double)bytes / (double)mib);
	else
		snprintf(buf, len, "%.1fG", (double)bytes / (double)(1024 * mib));
}

/* One counter column: pages, or bytes in human units. */
static void fmt_pages(char *buf, size_t len, uint64_t pages, uint64_t page_size, bool in_pages)
{
	if (in_pages)
		snprintf(buf, len, "%llu", (unsigned long long)pages);
	else
		fmt_bytes(buf, len, pages * page_size);
}

static void print_header(FILE *out, const char *tail)
{
	fprintf(out, "    %7s %6s %-16s %8s %8s %8s %8s %8s %6s %s\n", "PID", "UID", "COMM",
		"ANON", "FILE", "SHMEM", "SWAP", "PGTABLE", "ADJ", tail);
}

/* The columns every row shares; counters as dashes without an mm. */
static void print_common(FILE *out, const struct ms_oom *o, const struct ms_oom_task *e,
			 const struct ms_oom_print_opts *opts)
{
	const struct ms_task *p = e->task;
	char c[5][24];

	if (p->have & MS_TASK_HAVE_RSS) {
		fmt_pages(c[0], sizeof(c[0]), p->rss_anon, o->page_size, opts->pages);
		fmt_pages(c[1], sizeof(c[1]), p->rss_file, o->page_size, opts->pages);
		fmt_pages(c[2], sizeof(c[2]), p->rss_shmem, o->page_size, opts->pages);
		fmt_pages(c[3], sizeof(c[3]), p->swapents, o->page_size, opts->pages);
		if (opts->pages)
			snprintf(c[4], sizeof(c[4]), "%llu",
				 (unsigned long long)(p->pgtables_bytes / o->page_size));
		else
			fmt_bytes(c[4], sizeof(c[4]), p->pgtables_bytes);
	} else {
		for (int i = 0; i < 5; i++)
			strcpy(c[i], "-");
	}
	fprintf(out, "%-3s %7d %6u %-16s %8s %8s %8s %8s %8s %6d ", e->victim ? ">" : "",
		p->pid, p->uid, p->comm, c[0], c[1], c[2], c[3], c[4], p->oom_score_adj);
}

/* Candidates in the order the kernel prefers them: more points first; among
 * equal points the later task in the process list (it replaces the earlier). */
static int cmp_candidates(const void *a, const void *b)
{
	const struct ms_oom_task *x = *(const struct ms_oom_task *const *)a;
	const struct ms_oom_task *y = *(const struct ms_oom_task *const *)b;
	int64_t px = x->origin ? INT64_MAX : x->points, py = y->origin ? INT64_MAX : y->points;

	if (px != py)
		return px < py ? 1 : -1;
	return x > y ? -1 : x < y;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct ms_oom_task *x = *(const struct ms_oom_task *const *)a;
	const struct ms_oom_task *y = *(const struct ms_oom_task *const *)b;

	return (x->task->pid > y->task->pid) - (x->task->pid < y->task->pid);
}

static void print_summary(FILE *out, const struct ms_oom *o)
{
	fprintf(out, "totalpages %llu (RAM %llu + swap %llu pages of %llu KiB); "
		"oom_badness() of Linux %s (%s formula)\n",
		(unsigned long long)o->totalpages, (unsigned long long)o->totalram,
		(unsigned long long)o->totalswap, (unsigned long long)(o->page_size >> 10),
		o->release[0] ? o->release : "?", era_text(o->era));
	if (o->victim >= 0) {
		const struct ms_oom_task *e = &o->v[o->victim];

		fprintf(out, "a global OOM kills (>): pid %d (%s), badness %lld, oom_score %llu%s\n",
			e->task->pid, e->task->comm, (long long)e->points,
			(unsigned long long)e->score, e->origin ? ", oom_task_origin" : "");
	} else if (o->abort_by >= 0) {
		const struct ms_task *p = o->v[o->abort_by].task;

		fprintf(out, "a global OOM kills nothing new: pid %d (%s) is an OOM victim "
			"still exiting (its mm lacks MMF_OOM_SKIP)\n", p->pid, p->comm);
	} else {
		fprintf(out, "a global OOM finds no task to kill\n");
	}
	if (!o->complete)
		fprintf(out, "WARNING: the process list was cut short (see the warnings above)\n");
}

void ms_oom_print(FILE *out, const struct ms_oom *o, const struct ms_oom_print_opts *opts)
{
	const struct ms_oom_task **cand = calloc(o->nr + 1, sizeof(*cand));
	const struct ms_oom_task **skip = calloc(o->nr + 1, sizeof(*skip));
	size_t nc = 0, ns = 0, nkthreads = 0;

	if (!cand || !skip)
		goto out;
	for (size_t i = 0; i < o->nr; i++) {
		const struct ms_oom_task *e = &o->v[i];

		if (e->reason == MS_OOM_ELIGIBLE)
			cand[nc++] = e;
		else if (e->reason == MS_OOM_KTHREAD && !opts->all)
			nkthreads++;
		else
			skip[ns++] = e;
	}
	qsort(cand, nc, sizeof(*cand), cmp_candidates);
	qsort(skip, ns, sizeof(*skip), cmp_pid);

	print_summary(out, o);
	fprintf(out, "\n");
	print_header(out, "   BADNESS  OOM_SCORE");
	for (size_t i = 0; i < nc; i++) {
		print_common(out, o, cand[i], opts);
		fprintf(out, "%10lld %10llu\n", (long long)cand[i]->points,
			(unsigned long long)cand[i]->score);
	}
	fprintf(out, "\nSKIPPED: %zu", ns);
	if (nkthreads)
		fprintf(out, " (and %zu kernel threads; -a lists them)", nkthreads);
	fprintf(out, "\n");
	if (ns) {
		print_header(out, "REASON");
		for (size_t i = 0; i < ns; i++) {
			print_common(out, o, skip[i], opts);
			fprintf(out, "%s\n", ms_oom_reason_text(skip[i]->reason));
		}
	}
out:
	free(cand);
	free(skip);
}

static json_t *json_addr(uint64_t a)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%#llx", (unsigned long long)a);
	return json_string(buf);
}

static json_t *json_task(const struct ms_oom_task *e)
{
	const struct ms_task *p = e->task;
	json_t *j = json_pack("{s:i, s:i, s:s, s:I, s:o, s:o, s:I, s:i, s:i, s:i, s:s, s:b, s:b, s:I}",
		"pid", p->pid, "tgid", p->tgid, "comm", p->comm, "uid", (json_int_t)p->uid,
		"task", json_addr(p->addr), "mm", p->mm ? json_addr(p->mm) : json_null(), "flags", (json_int_t)p->flags,
		"nr_threads", (int)p->nr_threads, "kstacks", (int)p->nr_kstacks,
		"oom_score_adj", p->oom_score_adj, "reason", ms_oom_reason_name(e->reason),
		"victim", e->victim, "oom_task_origin", e->origin,
		"oom_score", (json_int_t)e->score);

	json_object_set_new(j, "badness", e->scored ? json_integer(e->points) : json_null());
	if (p->have & MS_TASK_HAVE_RSS) {
		json_object_set_new(j, "rss_anon", json_integer((json_int_t)p->rss_anon));
		json_object_set_new(j, "rss_file", json_integer((json_int_t)p->rss_file));
		json_object_set_new(j, "rss_shmem", json_integer((json_int_t)p->rss_shmem));
		json_object_set_new(j, "swapents", json_integer((json_int_t)p->swapents));
		json_object_set_new(j, "pgtables_bytes",
				    json_integer((json_int_t)p->pgtables_bytes));
	}
	return j;
}

json_t *ms_oom_json(const struct ms_oom *o)
{
	json_t *tasks = json_array();

	for (size_t i = 0; i < o->nr; i++)
		json_array_append_new(tasks, json_task(&o->v[i]));
	return json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:i, s:b, s:o, s:o, s:s, s:o}",
		"totalram_pages", (json_int_t)o->totalram,
		"total_swap_pages", (json_int_t)o->totalswap,
		"totalpages", (json_int_t)o->totalpages,
		"page_size", (json_int_t)o->page_size,
		"kernel_release", o->release, "formula", era_text(o->era),
		"mmf_oom_skip_bit", o->mmf_oom_skip, "complete", o->complete,
		"victim", o->victim >= 0 ? json_integer(o->v[o->victim].task->pid) : json_null(),
		"aborted_by", o->abort_by >= 0 ? json_integer(o->v[o->abort_by].task->pid)
					       : json_null(),
		"units", "counters in pages, pgtables in bytes",
		"tasks", tasks);
}
