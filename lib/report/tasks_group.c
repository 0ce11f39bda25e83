/*
 * tasks_group.c - tasks -g: threads with the same state, comm, wchan,
 * parent, cgroup or uid counted together, with the memory they hold, so that
 * a storm of thousands reads as one line.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "hash.h"
#include "tasks_print.h"
#include "units.h"

static const char *const key_names[MS_NR_TKEYS] = {
	"state", "comm", "wchan", "parent", "cgroup", "uid",
};

const char *ms_task_key_name(enum ms_task_key k)
{
	return k < MS_NR_TKEYS ? key_names[k] : "?";
}

struct ms_error *ms_tasks_parse_keys(const char *arg, struct ms_tasks_print_opts *o)
{
	char buf[128], *save = NULL, *w;

	o->nr_keys = 0;
	snprintf(buf, sizeof(buf), "%s", arg);
	for (w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		int k = -1;

		for (int i = 0; i < MS_NR_TKEYS; i++)
			if (!strcmp(w, key_names[i]))
				k = i;
		if (!strcmp(w, "command"))
			k = MS_TKEY_COMM;
		if (k < 0)
			return ms_error_create(MS_ERR_USAGE, "unknown key \"%.32s\" (state, comm, "
					       "wchan, parent, cgroup, uid)", w);
		for (unsigned int i = 0; i < o->nr_keys; i++)
			if (o->keys[i] == (enum ms_task_key)k)
				return ms_error_create(MS_ERR_USAGE, "key %s given twice", w);
		o->keys[o->nr_keys++] = (enum ms_task_key)k;
	}
	if (!o->nr_keys)
		return ms_error_create(MS_ERR_USAGE, "no key");
	return NULL;
}

/* What a process holds alone counts once, with its leader: its anonymous
 * memory and page tables (file and shmem pages are the page cache's, shared
 * with every process that maps them); every thread has a kernel stack. */
uint64_t ms_taskrow_mem(const struct ms_taskview *v, const struct ms_taskrow *r)
{
	uint64_t mem = v->thread_size;
	const struct ms_task *p = r->proc;

	if (p && r->th->pid == r->th->tgid && (p->have & MS_TASK_HAVE_RSS_SUM))
		mem += p->sum_anon * v->page_size + p->pgtables_bytes;
	return mem;
}

static const char *parent_comm(const struct ms_taskview *v, int32_t ppid)
{
	for (size_t i = 0; i < v->ts.nr; i++)
		if (v->ts.v[i].pid == ppid)
			return v->ts.v[i].comm;
	return "?";
}

/* The value of one key of a row, as the group line says it. */
static void key_value(const struct ms_taskview *v, const struct ms_taskrow *r, enum ms_task_key k,
		      char *buf, size_t len)
{
	const struct ms_thread *th = r->th;

	switch (k) {
	case MS_TKEY_STATE:
		snprintf(buf, len, "%c", r->state);
		break;
	case MS_TKEY_COMM:
		snprintf(buf, len, "%s", th->comm);
		break;
	case MS_TKEY_WCHAN:
		snprintf(buf, len, "%s", r->wchan);
		break;
	case MS_TKEY_PARENT:
		if (th->have & MS_THREAD_HAVE_PARENT)
			snprintf(buf, len, "%d (%s)", th->ppid, parent_comm(v, th->ppid));
		else
			snprintf(buf, len, "?");
		break;
	case MS_TKEY_CGROUP:
		snprintf(buf, len, "%s", th->have & MS_THREAD_HAVE_CGROUP ? th->cgroup : "?");
		break;
	case MS_TKEY_UID:
		if (r->proc && (r->proc->have & MS_TASK_HAVE_CRED))
			snprintf(buf, len, "%u", r->proc->uid);
		else
			snprintf(buf, len, "?");
		break;
	default:
		snprintf(buf, len, "?");
	}
}

static void group_key(const struct ms_taskview *v, const struct ms_tasks_print_opts *o,
		      const struct ms_taskrow *r, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < o->nr_keys && n + 1 < len; i++) {
		key_value(v, r, o->keys[i], buf + n, len - n);
		n += strlen(buf + n);
		if (n + 1 < len)
			buf[n++] = '\x1f';
		buf[n] = '\0';
	}
}

static int cmp_groups(const void *x, const void *y)
{
	const struct ms_task_group *a = x, *b = y;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if (a->mem != b->mem)
		return a->mem > b->mem ? -1 : 1;
	return (a->first > b->first) - (a->first < b->first);
}

struct ms_error *ms_tasks_group(const struct ms_taskview *v, const struct ms_tasks_print_opts *o,
				struct ms_task_groups *g)
{
	struct ms_hash h;
	struct ms_error *err = NULL;
	char key[512];

	memset(g, 0, sizeof(*g));
	g->v = calloc(v->nr ? v->nr : 1, sizeof(*g->v));
	if (!g->v)
		return &ms_error_nomem;
	ms_hash_init(&h, true);
	for (size_t i = 0; i < v->nr && !err; i++) {
		const struct ms_taskrow *r = &v->v[i];
		uint64_t mem = ms_taskrow_mem(v, r);
		struct ms_hash_entry *e;
		struct ms_task_group *gr;
		bool added;

		group_key(v, o, r, key, sizeof(key));
		err = ms_hash_put(&h, key, &e, &added);
		if (err)
			break;
		if (added) {
			e->value = g->nr;
			g->v[g->nr++] = (struct ms_task_group){ .first = i, .min_each = mem,
								 .max_each = mem };
		}
		gr = &g->v[e->value];
		gr->count++;
		gr->mem += mem;
		if (mem < gr->min_each)
			gr->min_each = mem;
		if (mem > gr->max_each)
			gr->max_each = mem;
	}
	ms_hash_fini(&h);
	if (err) {
		ms_task_groups_free(g);
		return err;
	}
	qsort(g->v, g->nr, sizeof(*g->v), cmp_groups);
	return NULL;
}

void ms_task_groups_free(struct ms_task_groups *g)
{
	free(g->v);
	memset(g, 0, sizeof(*g));
}

/* 2998 -> "2,998" */
static void fmt_count(char *buf, size_t len, size_t n)
{
	char digits[32];
	size_t nd, o = 0;

	snprintf(digits, sizeof(digits), "%zu", n);
	nd = strlen(digits);
	for (size_t i = 0; i < nd && o + 2 < len; i++) {
		if (i && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

static void fmt_mem(char *buf, size_t len, uint64_t bytes, const struct ms_taskview *v,
		    bool pages)
{
	if (pages)
		snprintf(buf, len, "%llu pages", (unsigned long long)(bytes / v->page_size));
	else
		ms_fmt_kb(buf, len, (long long)(bytes >> 10));
}

void ms_task_group_text(const struct ms_taskview *v, const struct ms_tasks_print_opts *o,
			const struct ms_task_group *gr, char *buf, size_t len)
{
	const struct ms_taskrow *r = &v->v[gr->first];
	char val[128], count[32], each[32];
	size_t n;

	bool first = true;

	fmt_count(count, sizeof(count), gr->count);
	snprintf(buf, len, "%s \u00d7", count);
	/* The sentence's order, whatever the order of -g: "sh, state D, in ...". */
	for (int k = 0; k < MS_NR_TKEYS; k++) {
		static const enum ms_task_key order[MS_NR_TKEYS] = {
			MS_TKEY_COMM, MS_TKEY_STATE, MS_TKEY_WCHAN, MS_TKEY_PARENT,
			MS_TKEY_CGROUP, MS_TKEY_UID };
		bool used = false;

		for (unsigned int i = 0; i < o->nr_keys; i++)
			used |= o->keys[i] == order[k];
		if (!used)
			continue;
		n = strlen(buf);
		key_value(v, r, order[k], val, sizeof(val));
		switch (order[k]) {
		case MS_TKEY_COMM:
			snprintf(buf + n, len - n, "%s %s", first ? "" : ",", val);
			break;
		case MS_TKEY_WCHAN:
			snprintf(buf + n, len - n, "%s %s %s", first ? "" : ",",
				 strcmp(val, "0") ? "in" : "wchan", val);
			break;
		default:
			snprintf(buf + n, len - n, "%s %s %s", first ? "" : ",",
				 ms_task_key_name(order[k]), val);
		}
		first = false;
	}
	n = strlen(buf);
	fmt_mem(each, sizeof(each), gr->mem / (gr->count ? gr->count : 1), v, o->pages);
	snprintf(buf + n, len - n, ", %s %s", each,
		 gr->min_each == gr->max_each ? "each" : "on average");
}
