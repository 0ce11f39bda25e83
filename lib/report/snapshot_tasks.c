/*
 * snapshot_tasks.c - see snapshot_tasks.h.  The threads are those of tasks
 * (taskview.c), their memory ms_taskrow_mem()'s: anon and page tables of a
 * process with its leader, a kernel stack a thread.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "snapshot_tasks.h"
#include "tasks_print.h"
#include "units.h"

#define MAX_GROUPS 20
#define STORM_SHARE 0.5		/* of the tasks that appeared: "most of them" */
#define STORM_TASKS 100	/* a storm has hundreds or thousands of tasks */
#define STORM_GROWTH 0.25	/* of the USED growth, held by the tasks that appeared */

void ms_snapshot_task_states(struct ms_target *t, json_t *snap)
{
	struct ms_taskview v;
	json_t *arr;
	struct ms_error *err = ms_taskview_build(t, NULL, NULL, &v);

	if (err) {
		ms_warn_error(t, err, "snapshot: no task states");
		return;
	}
	arr = json_array();
	for (size_t i = 0; i < v.nr; i++) {
		const struct ms_taskrow *r = &v.v[i];
		char st[2] = { r->state, 0 };

		json_array_append_new(arr, json_pack("{s:i, s:i, s:s, s:s, s:s, s:I}",
			"pid", r->th->pid, "tgid", r->th->tgid, "comm", r->th->comm, "state", st,
			"wchan", r->wchan, "mem_kb", (json_int_t)(ms_taskrow_mem(&v, r) >> 10)));
	}
	if (!v.ts.complete || !v.th.complete)
		ms_warn(t, "snapshot: the task lists were cut short; task_states is partial");
	json_object_set_new(snap, "task_states", arr);
	ms_taskview_free(&v);
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static json_int_t num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static int by_count(const void *x, const void *y)
{
	json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	json_int_t ca = num(a, "count"), cb = num(b, "count");

	if (ca != cb)
		return ca > cb ? -1 : 1;
	return (num(a, "mem_kb") < num(b, "mem_kb")) - (num(a, "mem_kb") > num(b, "mem_kb"));
}

json_t *ms_snapdiff_tasks_appeared(json_t *b, json_t *a)
{
	json_t *tb = json_object_get(b, "task_states"), *ta = json_object_get(a, "task_states");
	json_t *before = json_object(), *groups = json_object(), *t, *g, *out;
	json_int_t count = 0, mem = 0;
	char key[160];
	const char *k;
	size_t i, n = 0;
	json_t **v;

	if (!json_is_array(tb) || !json_is_array(ta)) {
		json_decref(before);
		json_decref(groups);
		return json_pack("{s:b}", "known", 0);
	}
	json_array_foreach(tb, i, t) {
		snprintf(key, sizeof(key), "%lld %s", (long long)num(t, "pid"), str(t, "comm"));
		json_object_set_new(before, key, json_true());
	}
	json_array_foreach(ta, i, t) {
		snprintf(key, sizeof(key), "%lld %s", (long long)num(t, "pid"), str(t, "comm"));
		if (json_object_get(before, key))
			continue;
		count++;
		mem += num(t, "mem_kb");
		snprintf(key, sizeof(key), "%s\x1f%s\x1f%s", str(t, "comm"), str(t, "state"),
			 str(t, "wchan"));
		g = json_object_get(groups, key);
		if (!g) {
			g = json_pack("{s:I, s:s, s:s, s:s, s:I}", "count", (json_int_t)0, "comm",
				      str(t, "comm"), "state", str(t, "state"), "wchan",
				      str(t, "wchan"), "mem_kb", (json_int_t)0);
			json_object_set_new(groups, key, g);
		}
		json_object_set_new(g, "count", json_integer(num(g, "count") + 1));
		json_object_set_new(g, "mem_kb", json_integer(num(g, "mem_kb") + num(t, "mem_kb")));
	}
	json_decref(before);
	v = calloc(json_object_size(groups) + 1, sizeof(*v));
	out = json_pack("{s:b, s:I, s:I, s:[]}", "known", 1, "count", count, "mem_kb", mem,
			"groups");
	if (!v || !out) {
		free(v);
		json_decref(groups);
		json_decref(out);
		return json_pack("{s:b}", "known", 0);
	}
	json_object_foreach(groups, k, g)
		v[n++] = g;
	qsort(v, n, sizeof(*v), by_count);
	for (i = 0; i < n && i < MAX_GROUPS; i++) {
		char text[256], each[32], cnt[32];
		json_int_t c = num(v[i], "count");

		ms_fmt_kb(each, sizeof(each), c ? num(v[i], "mem_kb") / c : 0);
		snprintf(cnt, sizeof(cnt), "%lld", (long long)c);
		snprintf(text, sizeof(text), "%s \u00d7 %s, state %s, %s %s, %s each", cnt,
			 str(v[i], "comm"), str(v[i], "state"), strcmp(str(v[i], "wchan"), "0") ?
			 "in" : "wchan", str(v[i], "wchan"), each);
		json_object_set_new(v[i], "text", json_string(text));
		json_array_append(json_object_get(out, "groups"), v[i]);
	}
	free(v);
	json_decref(groups);
	return out;
}

/*
 * A storm: one group holds most (STORM_SHARE) of what the tasks that appeared
 * hold, it has at least STORM_TASKS of them, and they hold at least
 * STORM_GROWTH of the USED growth.  Their slab objects (task_struct, mm_struct,
 * signal_struct, ...) are not counted in them: the share is a floor.
 */
void ms_snapdiff_storm_cause(json_t *d)
{
	json_t *ap = json_object_get(d, "tasks_appeared");
	json_t *cause = json_object_get(d, "main_cause");
	json_t *top = json_array_get(json_object_get(ap, "groups"), 0);
	json_int_t growth = num(json_object_get(d, "used"), "growth_kb");
	json_int_t all = num(ap, "mem_kb"), mem = num(top, "mem_kb");
	char text[768];

	if (!top || growth <= 0 || all <= 0 || num(top, "count") < STORM_TASKS ||
	    (double)mem < STORM_SHARE * (double)all ||
	    (double)all < STORM_GROWTH * (double)growth)
		return;
	/* The storm's memory, slab objects and all, is the cause's (snapdiff_causes.c). */
	snprintf(text, sizeof(text), "%s A storm: of the %lld tasks that appeared, %s.",
		 str(cause, "text"), (long long)num(ap, "count"), str(top, "text"));
	json_object_set_new(cause, "text", json_string(text));
	json_object_set_new(cause, "storm", json_deep_copy(top));
}

void ms_snapdiff_print_tasks(FILE *out, json_t *d, bool pages, long long page_kb)
{
	json_t *ap = json_object_get(d, "tasks_appeared"), *g;
	char m[32];
	size_t i;

	fprintf(out, "\nTasks that appeared, by comm, state and wchan\n");
	if (!json_is_true(json_object_get(ap, "known"))) {
		fprintf(out, "  (a snapshot without task states)\n");
		return;
	}
	if (!num(ap, "count")) {
		fprintf(out, "  none\n");
		return;
	}
	if (pages)
		snprintf(m, sizeof(m), "%lld pages", (long long)(num(ap, "mem_kb") / page_kb));
	else
		ms_fmt_kb(m, sizeof(m), num(ap, "mem_kb"));
	fprintf(out, "  %lld tasks, %s\n", (long long)num(ap, "count"), m);
	json_array_foreach(json_object_get(ap, "groups"), i, g)
		fprintf(out, "  %s\n", str(g, "text"));
}
