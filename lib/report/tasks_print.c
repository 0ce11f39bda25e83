/*
 * tasks_print.c - the tasks command's tables: one line a thread in the
 * spirit of crash's ps and /proc/PID/status, the groups of -g, the kernel
 * stacks of -s, and their JSON form (sizes in kB as /proc prints them).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "tasks_print.h"
#include "units.h"

bool ms_tasks_chosen(const struct ms_taskrow *r, const char *list)
{
	char pid[16];
	size_t np, nc = strlen(r->th->comm);

	if (!list)
		return false;
	np = (size_t)snprintf(pid, sizeof(pid), "%d", r->th->pid);
	/* Each comma-separated word, compared in place: any length of list. */
	for (const char *w = list; *w; ) {
		size_t n = strcspn(w, ",");

		if ((n == np && !strncmp(w, pid, n)) || (n == nc && !strncmp(w, r->th->comm, n)))
			return true;
		w += n;
		w += *w == ',';
	}
	return false;
}

/* A size column: K below 10 MiB, then M, then G; or pages. */
static void col(char *buf, size_t len, uint64_t kb, uint64_t page_kb, bool pages)
{
	if (pages)
		snprintf(buf, len, "%llu", (unsigned long long)(kb / page_kb));
	else if (kb < 10 * 1024)
		snprintf(buf, len, "%lluK", (unsigned long long)kb);
	else if (kb < 10 * 1024 * 1024)
		snprintf(buf, len, "%.1fM", (double)kb / 1024);
	else
		snprintf(buf, len, "%.1fG", (double)kb / (1024 * 1024));
}

/* Time since it last ran: "850ms", "12.3s", "5m02s", "2h05m", "3d04h". */
static void fmt_since(char *buf, size_t len, const struct ms_thread *th)
{
	uint64_t ms = th->since_ran_ns / 1000000, s = ms / 1000;

	if (!(th->have & MS_THREAD_HAVE_ARRIVAL))
		snprintf(buf, len, "-");
	else if (ms < 1000)
		snprintf(buf, len, "%llums", (unsigned long long)ms);
	else if (s < 60)
		snprintf(buf, len, "%.1fs", (double)ms / 1000);
	else if (s < 3600)
		snprintf(buf, len, "%llum%02llus", (unsigned long long)(s / 60),
			 (unsigned long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, len, "%lluh%02llum", (unsigned long long)(s / 3600),
			 (unsigned long long)(s / 60 % 60));
	else
		snprintf(buf, len, "%llud%02lluh", (unsigned long long)(s / 86400),
			 (unsigned long long)(s / 3600 % 24));
}

static void print_header(FILE *out, const struct ms_taskview *v)
{
	size_t nproc = v->ts.nr, partial = v->nr_partial;

	fprintf(out, "%zu tasks in %zu processes; states as task_state_index() of %s; "
		"wchan by %s\n", v->nr, nproc, v->era->name, v->unwinder);
	if (partial)
		fprintf(out, "%zu unwinds stopped early (%zu of them guessed from a stack scan); "
			"-s shows why\n", partial, v->nr_scanned);
	if (!v->ts.complete || !v->th.complete)
		fprintf(out, "the task lists were cut short: a partial answer\n");
}

static void print_list(FILE *out, const struct ms_taskview *v, const struct ms_tasks_print_opts *o)
{
	static const int cols[] = { MS_VM_SIZE, MS_VM_RSS, MS_RSS_ANON, MS_RSS_FILE, MS_RSS_SHMEM,
				    MS_VM_DATA, MS_VM_STK, MS_VM_PTE, MS_VM_SWAP };
	uint64_t page_kb = v->page_size >> 10;

	fprintf(out, "\n%8s %8s %8s ST %8s %-16s %-24s %7s %7s %7s %7s %7s %7s %7s %7s %7s %4s\n",
		"PID", "TGID", "PPID", "LASTRAN", "COMM", "WCHAN", "VSZ", "RSS", "ANON", "FILE",
		"SHMEM", "DATA", "STK", "PTE", "SWAP", "THR");
	for (size_t i = 0; i < v->nr; i++) {
		const struct ms_taskrow *r = &v->v[i];
		uint64_t kb[MS_NR_VM];
		char since[16], c[9][16];
		bool vm = ms_taskrow_vm_kb(v, r, kb);

		fmt_since(since, sizeof(since), r->th);
		for (int k = 0; k < 9; k++) {
			if (vm)
				col(c[k], sizeof(c[k]), kb[cols[k]], page_kb, o->pages);
			else
				snprintf(c[k], sizeof(c[k]), "-");
		}
		fprintf(out, "%8d %8d %8d %c  %8s %-16s %-24s %7s %7s %7s %7s %7s %7s %7s %7s %7s ",
			r->th->pid, r->th->tgid, r->th->ppid, r->state, since, r->th->comm,
			r->wchan,
			c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]);
		if (r->proc && (r->proc->have & MS_TASK_HAVE_SIGNAL))
			fprintf(out, "%4u\n", r->proc->nr_threads);
		else
			fprintf(out, "%4s\n", "-");
	}
}

static void print_groups(FILE *out, const struct ms_taskview *v,
			 const struct ms_tasks_print_opts *o, const struct ms_task_groups *g)
{
	char line[512], total[32];

	fprintf(out, "grouped by");
	for (unsigned int i = 0; i < o->nr_keys; i++)
		fprintf(out, "%s %s", i ? "," : "", ms_task_key_name(o->keys[i]));
	fprintf(out, " (memory: anon and page tables of each process, and a %llu KiB kernel "
		"stack a thread)\n\n", (unsigned long long)(v->thread_size >> 10));
	for (size_t i = 0; i < g->nr; i++) {
		ms_task_group_text(v, o, &g->v[i], line, sizeof(line));
		if (o->pages)
			snprintf(total, sizeof(total), "%llu pages",
				 (unsigned long long)(g->v[i].mem / v->page_size));
		else
			ms_fmt_kb(total, sizeof(total), (long long)(g->v[i].mem >> 10));
		fprintf(out, "%*s%s; %s in all\n", (int)(8 - strcspn(line, " ")), "", line, total);
	}
}

static void print_stack(FILE *out, struct ms_taskview *v, const struct ms_taskrow *r)
{
	const struct ms_stack *st = r->stack;
	char sym[160];

	fprintf(out, "\nPID %d (%s), state %c, wchan %s", r->th->pid, r->th->comm, r->state,
		r->wchan);
	if (!r->unwound) {
		fprintf(out, ": %s\n", r->th->on_cpu ? "running on a CPU, its stack is live" :
			"runnable, not unwound (get_wchan() does not either)");
		return;
	}
	if (!st) {
		fprintf(out, ": its stack could not be read\n");
		return;
	}
	fprintf(out, ", unwound by %s%s\n", ms_unwind_method_name(st->method),
		st->method == MS_UNWIND_SCAN ? " (text addresses on the stack: a guess)" : "");
	for (size_t i = 0; i < st->nr; i++)
		fprintf(out, "  #%-2zu %016llx %s%s\n", i, (unsigned long long)st->ip[i],
			ms_unwinder_symbolize(v->u, st->ip[i], true, sym, sizeof(sym)),
			ms_unwinder_in_sched(v->u, st->ip[i]) ? "  (scheduler)" : "");
	if (st->error[0])
		fprintf(out, "  unwind stopped: %s\n", st->error);
}

void ms_tasks_print(FILE *out, const struct ms_taskview *v, const struct ms_tasks_print_opts *o,
		    const struct ms_task_groups *g)
{
	print_header(out, v);
	if (o->stacks) {
		size_t n = 0;

		for (size_t i = 0; i < v->nr; i++)
			if (ms_tasks_chosen(&v->v[i], o->stacks) && n++ < 1000)
				print_stack(out, (struct ms_taskview *)v, &v->v[i]);
		if (!n)
			fprintf(out, "no task matches \"%s\"\n", o->stacks);
		return;
	}
	if (g) {
		fputc('\n', out);
		print_groups(out, v, o, g);
		return;
	}
	print_list(out, v, o);
}

/* ---- JSON ------------------------------------------------------------------- */

static json_t *stack_json(const struct ms_taskview *v, const struct ms_taskrow *r)
{
	json_t *frames = json_array();
	char sym[160];

	for (size_t i = 0; r->stack && i < r->stack->nr; i++) {
		uint64_t ip = r->stack->ip[i];

		json_array_append_new(frames, json_pack("{s:I, s:s, s:b}", "ip", (json_int_t)ip,
			"symbol", ms_unwinder_symbolize(v->u, ip, true, sym, sizeof(sym)),
			"sched", ms_unwinder_in_sched(v->u, ip)));
	}
	return frames;
}

static json_t *row_json(const struct ms_taskview *v, const struct ms_tasks_print_opts *o,
			const struct ms_taskrow *r)
{
	const struct ms_thread *th = r->th;
	char state[2] = { r->state, 0 };
	char addr[24];
	json_t *j = json_pack("{s:i, s:i, s:i, s:s, s:s, s:s, s:I, s:I}", "pid", th->pid,
			      "tgid", th->tgid, "ppid", th->ppid, "comm", th->comm,
			      "state", state, "wchan", r->wchan, "state_raw",
			      (json_int_t)th->state, "exit_state", (json_int_t)th->exit_state);
	uint64_t kb[MS_NR_VM];

	snprintf(addr, sizeof(addr), "%#llx", (unsigned long long)th->addr);
	json_object_set_new(j, "task", json_string(addr));
	json_object_set_new(j, "unwind", json_string(r->stack ?
			    ms_unwind_method_name(r->stack->method) : "none"));
	if (r->stack && r->stack->error[0])
		json_object_set_new(j, "unwind_error", json_string(r->stack->error));
	if (th->have & MS_THREAD_HAVE_ARRIVAL)
		json_object_set_new(j, "since_ran_ns", json_integer((json_int_t)th->since_ran_ns));
	if (th->have & MS_THREAD_HAVE_CGROUP)
		json_object_set_new(j, "cgroup", json_string(th->cgroup));
	if (r->proc && (r->proc->have & MS_TASK_HAVE_CRED))
		json_object_set_new(j, "uid", json_integer(r->proc->uid));
	if (r->proc && (r->proc->have & MS_TASK_HAVE_SIGNAL))
		json_object_set_new(j, "threads", json_integer(r->proc->nr_threads));
	if (ms_taskrow_vm_kb(v, r, kb)) {
		json_t *m = json_object();

		for (int k = 0; k < MS_NR_VM; k++)
			json_object_set_new(m, ms_vm_names[k], json_integer((json_int_t)kb[k]));
		json_object_set_new(j, "status_kb", m);
	}
	if (v->upper && r->proc && r->proc->mm) {
		const struct ms_pgt_upper *u = &v->upper[r->proc - v->ts.v];
		uint64_t k = v->page_size >> 10;

		json_object_set_new(j, "pgtables_upper_kb", json_pack("{s:I, s:I, s:I, s:I}",
			"pgd", (json_int_t)(u->pgd * k), "p4d", (json_int_t)(u->p4d * k),
			"pud", (json_int_t)(u->pud * k),
			"uncounted", (json_int_t)(ms_pgt_uncounted(&v->upper_era, u) * k)));
	}
	json_object_set_new(j, "mem_bytes", json_integer((json_int_t)ms_taskrow_mem(v, r)));
	if (o->stacks && ms_tasks_chosen(r, o->stacks))
		json_object_set_new(j, "stack", stack_json(v, r));
	return j;
}

json_t *ms_tasks_json(const struct ms_taskview *v, const struct ms_tasks_print_opts *o,
		      const struct ms_task_groups *g)
{
	json_t *tasks = json_array();
	json_t *j = json_pack("{s:s, s:s, s:I, s:b, s:I}", "state_era", v->era->name,
			      "unwinder", v->unwinder, "thread_size", (json_int_t)v->thread_size,
			      "complete", v->ts.complete && v->th.complete,
			      "unwinds_partial", (json_int_t)v->nr_partial);
	char line[512];

	for (size_t i = 0; i < v->nr; i++)
		json_array_append_new(tasks, row_json(v, o, &v->v[i]));
	json_object_set_new(j, "tasks", tasks);
	if (g) {
		json_t *groups = json_array(), *keys = json_array();

		for (unsigned int i = 0; i < o->nr_keys; i++)
			json_array_append_new(keys, json_string(ms_task_key_name(o->keys[i])));
		for (size_t i = 0; i < g->nr; i++) {
			const struct ms_taskrow *r = &v->v[g->v[i].first];
			char state[2] = { r->state, 0 };

			ms_task_group_text(v, o, &g->v[i], line, sizeof(line));
			json_array_append_new(groups, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}",
				"count", (json_int_t)g->v[i].count, "mem_bytes",
				(json_int_t)g->v[i].mem, "text", line, "state", state,
				"comm", r->th->comm, "wchan", r->wchan));
		}
		json_object_set_new(j, "group_keys", keys);
		json_object_set_new(j, "groups", groups);
	}
	return j;
}
