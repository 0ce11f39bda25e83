/*
 * memcg_print.c - the memory cgroup tree as a table, a tree, memory.stat
 * blocks and JSON.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "memcg_print.h"
#include "units.h"

/* A page count: "150.0 MiB", or pages with -p; "max" for the unlimited. */
static char *pg(char *buf, size_t len, uint64_t pages, unsigned int ps, bool as_pages)
{
	if (pages == MS_MEMCG_UNLIMITED)
		snprintf(buf, len, "max");
	else if (as_pages)
		snprintf(buf, len, "%llu", (unsigned long long)pages);
	else
		ms_fmt_kb(buf, len, (long long)(pages << (ps - 10)));
	return buf;
}

static char *bytes(char *buf, size_t len, int64_t b, unsigned int ps, bool as_pages)
{
	if (as_pages)
		snprintf(buf, len, "%lld", (long long)(b >> ps));
	else
		ms_fmt_kb(buf, len, (long long)(b / 1024));
	return buf;
}

static bool shown(const struct ms_memcg_tree *tree, size_t i, const struct ms_memcg_view *v,
		  size_t top)
{
	if (top != SIZE_MAX && !ms_memcg_in_subtree(tree, top, i))
		return false;
	return v->all || tree->v[i].online || tree->v[i].parent == SIZE_MAX;
}

static int by_usage(const void *a, const void *b, void *arg)
{
	const struct ms_memcg_tree *tree = arg;
	uint64_t ua = tree->v[*(const size_t *)a].usage, ub = tree->v[*(const size_t *)b].usage;

	return ua < ub ? 1 : ua > ub ? -1 : (*(const size_t *)a > *(const size_t *)b) -
					     (*(const size_t *)a < *(const size_t *)b);
}

static const struct ms_memcg_tree *sort_tree;

static int by_usage_q(const void *a, const void *b)
{
	return by_usage(a, b, (void *)sort_tree);
}

static size_t subtree_top(const struct ms_memcg_tree *tree, const char *path)
{
	const struct ms_memcg *m;

	if (!path)
		return SIZE_MAX;
	m = ms_memcg_find(tree, path);
	return m ? (size_t)(m - tree->v) : tree->nr;
}

static void print_row(FILE *out, const struct ms_memcg_tree *tree, size_t i, unsigned int ps,
		      const struct ms_memcg_view *v)
{
	const struct ms_memcg *m = &tree->v[i];
	char name[MS_MEMCG_PATH_LEN + 64], cur[24], max[24], high[24], low[24], min[24];
	char swap[24], peak[24];
	const char *state = m->online ? "online" : "dying";
	bool root = m->parent == SIZE_MAX;

	if (v->tree) {
		const char *base = strrchr(m->path, '/');

		base = root ? "/" : base ? base + 1 : m->path;
		snprintf(name, sizeof(name), "%*s%s", (int)(2 * (m->depth > 30 ? 30 : m->depth)), "",
			 base);
	} else {
		snprintf(name, sizeof(name), "%s", m->path);
	}
	if (root)
		state = "root";
	if (!m->read_ok) {
		fprintf(out, "%-28s %-6s  %s\n", name, state, m->reason);
		return;
	}
	pg(cur, sizeof(cur), m->usage, ps, v->pages);
	pg(max, sizeof(max), m->max, ps, v->pages);
	pg(high, sizeof(high), m->high, ps, v->pages);
	pg(low, sizeof(low), m->low, ps, v->pages);
	pg(min, sizeof(min), m->min, ps, v->pages);
	pg(swap, sizeof(swap), m->swap_usage, ps, v->pages);
	pg(peak, sizeof(peak), m->watermark, ps, v->pages);
	if (root && !tree->v1) {
		/* The root has no memory.current; its counter sums the children's. */
		strcat(cur, "*");
		snprintf(max, sizeof(max), "-");
		snprintf(high, sizeof(high), "-");
		snprintf(low, sizeof(low), "-");
		snprintf(min, sizeof(min), "-");
		snprintf(peak, sizeof(peak), "-");
	}
	if (tree->v1)
		fprintf(out, "%-28s %-6s %11s %11s %11s %11s %11s %8llu %5u\n", name, state, cur, max,
			peak, swap, pg(high, sizeof(high), m->swap_max, ps, v->pages),
			(unsigned long long)m->failcnt, m->nr_procs);
	else
		fprintf(out, "%-28s %-6s %11s %11s %11s %11s %11s %11s %11s %5u %6llu\n", name, state,
			cur, max, high, low, min, swap, tree->have_peak ? peak : "-", m->nr_procs,
			(unsigned long long)m->events[MS_MEMCG_EV_OOM_KILL]);
	if (m->reason[0])
		fprintf(out, "%-28s        (%s)\n", "", m->reason);
}

static void print_stat(FILE *out, const struct ms_memcg_tree *tree, size_t i, unsigned int ps,
		       const struct ms_memcg_view *v)
{
	const struct ms_memcg *m = &tree->v[i];
	char a[24];

	fprintf(out, "\n%s (%s)  memory.stat%s:\n", m->path, m->online ? "online" : "dying",
		v->pages ? ", pages" : "");
	for (size_t r = 0; r < tree->nr_rows; r++) {
		const struct ms_memcg_row *row = &tree->rows[r];
		bool is_pages = row->unit == (1u << ps) && !row->unit2;

		if (v->pages)
			fprintf(out, "  %-26s %20lld%s\n", row->name,
				(long long)(is_pages ? m->stat[r] >> ps : m->stat[r]),
				is_pages ? "" : "  (as memory.stat)");
		else
			fprintf(out, "  %-26s %20lld  %s\n", row->name, (long long)m->stat[r],
				strstr(row->name, "workingset") ? "" :
				bytes(a, sizeof(a), m->stat[r], ps, false));
	}
	if (!tree->v1) {
		fprintf(out, "  memory.events:");
		for (int e = 0; e < MS_MEMCG_NR_EVENTS; e++)
			fprintf(out, " %s %llu", ms_memcg_event_names[e],
				(unsigned long long)m->events[e]);
		fputc('\n', out);
	}
}

void ms_memcg_print_dying_note(FILE *out, const struct ms_memcg_tree *tree, unsigned int ps,
			       bool as_pages)
{
	struct ms_memcg_dying d;
	char a[24], b[24], c[24], e[24], f[24];

	if (!tree->present)
		return;
	ms_memcg_dying_sum(tree, &d);
	if (!d.nr)
		return;
	fprintf(out, "\n  %u dying memory cgroup%s (deleted, still charged) hold %s, inside the "
		"categories above:\n  file %s (shmem %s), anon %s, kernel %s (memcg -a lists "
		"them).\n", d.nr, d.nr == 1 ? "" : "s",
		pg(a, sizeof(a), d.usage, ps, as_pages), pg(b, sizeof(b), d.file, ps, as_pages),
		pg(c, sizeof(c), d.shmem, ps, as_pages), pg(e, sizeof(e), d.anon, ps, as_pages),
		pg(f, sizeof(f), d.kernel, ps, as_pages));
}

json_t *ms_memcg_dying_note_json(const struct ms_memcg_tree *tree)
{
	struct ms_memcg_dying d;

	if (!tree->present)
		return NULL;
	ms_memcg_dying_sum(tree, &d);
	if (!d.nr)
		return NULL;
	return json_pack("{s:i, s:I, s:I, s:I, s:I, s:I, s:b}", "nr", (int)d.nr,
			 "usage_pages", (json_int_t)d.usage, "file_pages", (json_int_t)d.file,
			 "shmem_pages", (json_int_t)d.shmem, "anon_pages", (json_int_t)d.anon,
			 "kernel_pages", (json_int_t)d.kernel, "complete", tree->complete);
}

static void print_dying(FILE *out, const struct ms_memcg_tree *tree, unsigned int ps,
			const struct ms_memcg_view *v)
{
	struct ms_memcg_dying d;
	char a[24], b[24], c[24], e[24], f[24], g[24];
	unsigned int listed = 0;

	ms_memcg_dying_sum(tree, &d);
	fprintf(out, "\nDying cgroups: %u in the tree", d.nr);
	if (tree->nr_dying >= 0)
		fprintf(out, " (the root's nr_dying_descendants: %d)", tree->nr_dying);
	fputc('\n', out);
	if (!d.nr)
		return;
	fprintf(out, "They still hold %s: file %s (shmem %s), anon %s, kernel %s, slab %s",
		pg(a, sizeof(a), d.usage, ps, v->pages), pg(b, sizeof(b), d.file, ps, v->pages),
		pg(c, sizeof(c), d.shmem, ps, v->pages), pg(e, sizeof(e), d.anon, ps, v->pages),
		pg(f, sizeof(f), d.kernel, ps, v->pages),
		bytes(g, sizeof(g), (int64_t)d.slab_bytes, ps, v->pages));
	if (tree->have_swap && !tree->v1)
		fprintf(out, ", swap %s", pg(a, sizeof(a), d.swap, ps, v->pages));
	fputc('\n', out);
	/* By former path: the largest first, at most 10 unless -a. */
	{
		size_t *ix = malloc(tree->nr * sizeof(*ix)), n = 0;

		if (!ix)
			return;
		for (size_t i = 0; i < tree->nr; i++)
			if (!tree->v[i].online && tree->v[i].parent != SIZE_MAX)
				ix[n++] = i;
		sort_tree = tree;
		qsort(ix, n, sizeof(*ix), by_usage_q);
		for (size_t k = 0; k < n; k++) {
			const struct ms_memcg *m = &tree->v[ix[k]];

			if (!v->all && listed == 10) {
				fprintf(out, "  ... %zu more (-a lists them all)\n", n - k);
				break;
			}
			fprintf(out, "  %-32s %11s%s\n", m->path, pg(a, sizeof(a), m->usage, ps, v->pages),
				m->path_ok ? "" : "  (former path partly unreadable)");
			listed++;
		}
		free(ix);
	}
}

/* The cgroups at or near their limit, each with the processes holding most. */
static void print_near(FILE *out, const struct ms_memcg_tree *tree, unsigned int ps,
		       const struct ms_memcg_view *v, size_t top)
{
	bool any = false;
	char a[24], b[24], c[24], d[24];

	for (size_t i = 0; i < tree->nr; i++) {
		const struct ms_memcg *m = &tree->v[i];

		if (!m->online || !ms_memcg_near_limit(m) ||
		    (top != SIZE_MAX && !ms_memcg_in_subtree(tree, top, i)))
			continue;
		if (!any)
			fprintf(out, "\nAt or near the limit (usage >= %d%% of %s):\n", MS_MEMCG_NEAR_PCT,
				tree->v1 ? "memory.limit_in_bytes" : "memory.max or memory.high");
		any = true;
		fprintf(out, "  %s: %s of %s", m->path, pg(a, sizeof(a), m->usage, ps, v->pages),
			pg(b, sizeof(b), m->max != MS_MEMCG_UNLIMITED ? m->max : m->high, ps, v->pages));
		if (!tree->v1)
			fprintf(out, "; events max %llu oom %llu oom_kill %llu",
				(unsigned long long)m->events[MS_MEMCG_EV_MAX],
				(unsigned long long)m->events[MS_MEMCG_EV_OOM],
				(unsigned long long)m->events[MS_MEMCG_EV_OOM_KILL]);
		fputc('\n', out);
		if (!m->nr_top)
			fprintf(out, "      no process of its own (charges of exited tasks, or of its children)\n");
		for (unsigned int k = 0; k < m->nr_top; k++)
			fprintf(out, "      pid %-7d %-16s anon %9s  file %9s  shmem %9s\n", m->top[k].pid,
				m->top[k].comm, pg(a, sizeof(a), m->top[k].anon, ps, v->pages),
				pg(c, sizeof(c), m->top[k].file, ps, v->pages),
				pg(d, sizeof(d), m->top[k].shmem, ps, v->pages));
	}
}

/* The memcg OOM kills of the log, each with its cgroup's oom_kill now. */
static void print_logged(FILE *out, const struct ms_memcg_tree *tree,
			 const struct ms_memcg_view *v)
{
	if (!v->log_read)
		return;
	fprintf(out, "\nMemory cgroup OOM kills in the kernel log: %zu\n", v->nr_logged);
	for (size_t i = 0; i < v->nr_logged; i++) {
		const struct ms_memcg_logged *l = &v->logged[i];
		const struct ms_memcg *m = ms_memcg_find(tree, l->memcg);

		fprintf(out, "  [%5llu.%06llu] pid %d (%s) killed in %s (usage %llu kB, limit %llu kB)",
			(unsigned long long)(l->ts_nsec / 1000000000u),
			(unsigned long long)(l->ts_nsec % 1000000000u / 1000u), l->pid, l->comm,
			l->memcg, (unsigned long long)l->usage_kb, (unsigned long long)l->limit_kb);
		if (m && m->read_ok)
			fprintf(out, "; now %s, memory.events oom_kill %llu\n",
				m->online ? "online" : "dying",
				(unsigned long long)m->events[MS_MEMCG_EV_OOM_KILL]);
		else
			fprintf(out, "; no such cgroup in the tree now (freed)\n");
	}
}

void ms_memcg_print(FILE *out, const struct ms_memcg_tree *tree, unsigned int ps,
		    const struct ms_memcg_view *v)
{
	size_t top = subtree_top(tree, v->path), n = 0;
	size_t *ix;

	if (!tree->present) {
		fprintf(out, "No memory cgroups in this kernel (CONFIG_MEMCG off, or cgroup_disable=memory).\n");
		return;
	}
	if (top == tree->nr) {
		fprintf(out, "No cgroup %s in the memory controller's tree.\n", v->path);
		return;
	}
	fprintf(out, "Memory controller on cgroup %s%s; %zu cgroups\n", tree->v1 ? "v1" : "v2",
		tree->v1 ? " (files memory.usage_in_bytes, memory.limit_in_bytes, "
			   "memory.max_usage_in_bytes, memory.memsw.*)" : "",
		tree->nr);
	if (tree->v1)
		fprintf(out, "%-28s %-6s %11s %11s %11s %11s %11s %8s %5s\n", "CGROUP", "STATE",
			"USAGE", "LIMIT", "MAX_USAGE", "MEMSW", "MEMSW_LIMIT", "FAILCNT", "PROCS");
	else
		fprintf(out, "%-28s %-6s %11s %11s %11s %11s %11s %11s %11s %5s %6s\n", "CGROUP", "STATE",
			"CURRENT", "MAX", "HIGH", "LOW", "MIN", "SWAP", "PEAK", "PROCS", "OOMKIL");
	ix = malloc((tree->nr ? tree->nr : 1) * sizeof(*ix));
	if (!ix)
		return;
	for (size_t i = 0; i < tree->nr; i++)
		if (shown(tree, i, v, top))
			ix[n++] = i;
	if (v->sort && !v->tree) {
		sort_tree = tree;
		qsort(ix, n, sizeof(*ix), by_usage_q);
	}
	for (size_t k = 0; k < n; k++)
		print_row(out, tree, ix[k], ps, v);
	if (!tree->v1)
		fprintf(out, "(* the root has no memory.current: its page counter holds the "
			"children's charges)\n");
	if (v->stat)
		for (size_t k = 0; k < n; k++)
			print_stat(out, tree, ix[k], ps, v);
	free(ix);
	print_near(out, tree, ps, v, top);
	print_logged(out, tree, v);
	print_dying(out, tree, ps, v);
	if (!tree->complete)
		fprintf(out, "\nPartial: %s\n", tree->reason);
}

static json_t *limit_json(uint64_t pages, unsigned int ps)
{
	return pages == MS_MEMCG_UNLIMITED ? json_string("max") : json_integer((json_int_t)(pages << ps));
}

static json_t *memcg_json(const struct ms_memcg_tree *tree, size_t i, unsigned int ps)
{
	const struct ms_memcg *m = &tree->v[i];
	json_t *o = json_object(), *st = json_object(), *ev = json_object();

	json_object_set_new(o, "path", json_string(m->path));
	json_object_set_new(o, "path_complete", json_boolean(m->path_ok));
	json_object_set_new(o, "address", json_integer((json_int_t)m->addr));
	json_object_set_new(o, "online", json_boolean(m->online));
	json_object_set_new(o, "depth", json_integer(m->depth));
	json_object_set_new(o, "parent", m->parent == SIZE_MAX ? json_null() :
				json_string(tree->v[m->parent].path));
	json_object_set_new(o, "nr_procs", json_integer(m->nr_procs));
	if (m->nr_descendants >= 0)
		json_object_set_new(o, "nr_descendants", json_integer(m->nr_descendants));
	if (m->nr_dying_descendants >= 0)
		json_object_set_new(o, "nr_dying_descendants", json_integer(m->nr_dying_descendants));
	if (!m->read_ok) {
		json_object_set_new(o, "error", json_string(m->reason));
		json_decref(st);
		json_decref(ev);
		return o;
	}
	if (m->reason[0])
		json_object_set_new(o, "warning", json_string(m->reason));
	json_object_set_new(o, "usage_bytes", json_integer((json_int_t)(m->usage << ps)));
	json_object_set_new(o, "max_bytes", limit_json(m->max, ps));
	if (!tree->v1) {
		json_object_set_new(o, "high_bytes", limit_json(m->high, ps));
		json_object_set_new(o, "low_bytes", limit_json(m->low, ps));
		json_object_set_new(o, "min_bytes", limit_json(m->min, ps));
	} else {
		json_object_set_new(o, "soft_limit_bytes", limit_json(m->soft_limit, ps));
		json_object_set_new(o, "failcnt", json_integer((json_int_t)m->failcnt));
	}
	if (tree->have_swap) {
		json_object_set_new(o, tree->v1 ? "memsw_usage_bytes" : "swap_usage_bytes",
				    json_integer((json_int_t)(m->swap_usage << ps)));
		json_object_set_new(o, tree->v1 ? "memsw_max_bytes" : "swap_max_bytes",
				    limit_json(m->swap_max, ps));
	}
	if (tree->have_peak)
		json_object_set_new(o, "peak_bytes", json_integer((json_int_t)(m->watermark << ps)));
	json_object_set_new(o, "near_limit", json_boolean(ms_memcg_near_limit(m)));
	{
		json_t *tp = json_array();

		for (unsigned int k = 0; k < m->nr_top; k++)
			json_array_append_new(tp, json_pack("{s:i, s:s, s:I, s:I, s:I}",
				"pid", (int)m->top[k].pid, "comm", m->top[k].comm,
				"anon_bytes", (json_int_t)(m->top[k].anon << ps),
				"file_bytes", (json_int_t)(m->top[k].file << ps),
				"shmem_bytes", (json_int_t)(m->top[k].shmem << ps)));
		json_object_set_new(o, "top_processes", tp);
	}
	for (size_t r = 0; r < tree->nr_rows; r++)
		json_object_set_new(st, tree->rows[r].name, json_integer((json_int_t)m->stat[r]));
	json_object_set_new(o, "stat", st);
	for (int e = 0; e < MS_MEMCG_NR_EVENTS; e++)
		json_object_set_new(ev, ms_memcg_event_names[e], json_integer((json_int_t)m->events[e]));
	json_object_set_new(o, "events", ev);
	return o;
}

json_t *ms_memcg_json(const struct ms_memcg_tree *tree, unsigned int ps,
		      const struct ms_memcg_view *v)
{
	json_t *o = json_object(), *a = json_array(), *d;
	struct ms_memcg_dying dy;
	size_t top = subtree_top(tree, v->path);

	json_object_set_new(o, "present", json_boolean(tree->present));
	if (!tree->present) {
		json_decref(a);
		return o;
	}
	json_object_set_new(o, "cgroup_version", json_integer(tree->v1 ? 1 : 2));
	json_object_set_new(o, "complete", json_boolean(tree->complete));
	if (!tree->complete)
		json_object_set_new(o, "reason", json_string(tree->reason));
	for (size_t i = 0; i < tree->nr; i++)
		if (top == SIZE_MAX || (top < tree->nr && ms_memcg_in_subtree(tree, top, i)))
			json_array_append_new(a, memcg_json(tree, i, ps));
	json_object_set_new(o, "cgroups", a);
	ms_memcg_dying_sum(tree, &dy);
	d = json_pack("{s:i, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		      "seen", (int)dy.nr, "top_level", (int)dy.nr_top,
		      "usage_bytes", (json_int_t)(dy.usage << ps),
		      "anon_bytes", (json_int_t)(dy.anon << ps),
		      "file_bytes", (json_int_t)(dy.file << ps),
		      "shmem_bytes", (json_int_t)(dy.shmem << ps),
		      "kernel_bytes", (json_int_t)(dy.kernel << ps),
		      "slab_bytes", (json_int_t)dy.slab_bytes,
		      "swap_bytes", (json_int_t)(dy.swap << ps));
	if (tree->nr_dying >= 0)
		json_object_set_new(d, "nr_dying_descendants", json_integer(tree->nr_dying));
	json_object_set_new(o, "dying", d);
	if (v->log_read) {
		json_t *la = json_array();

		for (size_t i = 0; i < v->nr_logged; i++) {
			const struct ms_memcg_logged *l = &v->logged[i];
			const struct ms_memcg *m = ms_memcg_find(tree, l->memcg);

			json_array_append_new(la, json_pack("{s:i, s:s, s:s, s:I, s:I, s:I, s:b}",
				"pid", l->pid, "comm", l->comm, "memcg", l->memcg,
				"usage_kb", (json_int_t)l->usage_kb, "limit_kb", (json_int_t)l->limit_kb,
				"ts_nsec", (json_int_t)l->ts_nsec, "in_tree", m != NULL));
		}
		json_object_set_new(o, "logged_memcg_ooms", la);
	}
	return o;
}
