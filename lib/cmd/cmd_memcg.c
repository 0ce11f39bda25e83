/*
 * cmd_memcg.c - memcg: the memory cgroup tree, usage against limits,
 * memory.stat, memory.events and the dying cgroups.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

#include "cmd_memcg.h"
#include "memcg_oom.h"
#include "memcg_print.h"
#include "logrec.h"
#include "oom_print.h"
#include "oomreport.h"

struct memcg_opts {
	bool tree, sort, pages, all, stat;
	const char *path;
};

/* The log's memcg OOM kills ("Memory cgroup out of memory: Killed process",
 * or an "oom-kill:" line with constraint=CONSTRAINT_MEMCG). */
static struct ms_memcg_logged *logged_ooms(struct ms_target *t, size_t *nr)
{
	struct ms_oom_log log;
	struct ms_memcg_logged *v = NULL;
	struct ms_error *err;

	*nr = 0;
	ms_oom_log_init(&log);
	err = ms_log_walk(t, ms_oom_log_feed, &log, NULL);
	ms_oom_log_finish(&log);
	if (err) {
		ms_warn_error(t, err, "memcg: the kernel log (memcg OOM kills not tied)");
		ms_oom_log_free(&log);
		return NULL;
	}
	v = calloc(log.nr ? log.nr : 1, sizeof(*v));
	for (size_t i = 0; v && i < log.nr; i++) {
		const struct ms_oom_event *e = &log.v[i];
		struct ms_memcg_logged *l;

		if (!e->has_kill || !(e->memcg_kill || !strcmp(e->constraint, "CONSTRAINT_MEMCG")))
			continue;
		l = &v[(*nr)++];
		l->pid = e->kill_pid;
		snprintf(l->comm, sizeof(l->comm), "%s", e->kill_comm);
		snprintf(l->memcg, sizeof(l->memcg), "%s", e->oom_memcg[0] ? e->oom_memcg : "?");
		l->usage_kb = e->memcg_usage_kb;
		l->limit_kb = e->memcg_limit_kb;
		l->ts_nsec = e->kill_ts_nsec;
	}
	ms_oom_log_free(&log);
	return v;
}

static struct ms_error *run(struct ms_cmd_ctx *ctx, const void *opts)
{
	const struct memcg_opts *o = opts;
	struct ms_target *t = ctx->target;
	struct ms_memcg_view v = { .tree = o->tree, .sort = o->sort, .pages = o->pages,
				   .all = o->all, .stat = o->stat, .path = o->path };
	struct ms_memcg_tree tree;
	struct ms_error *err = ms_memcg_read(t, &tree);

	if (err)
		return ms_error_wrap(err, "cannot read the memory cgroups");
	if (o->path && tree.present && !ms_memcg_find(&tree, o->path)) {
		ms_memcg_free(&tree);
		return ms_cmd_usage_error(ctx->cmd, 'c', "no cgroup %s in the memory controller's tree",
					  o->path);
	}
	if (tree.present) {
		struct ms_memcg_logged *lg = logged_ooms(t, &v.nr_logged);

		v.logged = lg;
		v.log_read = lg != NULL;
	}
	if (ctx->json)
		ms_cmd_json_out(ctx, ms_memcg_json(&tree, t->page_shift, &v), MS_CMD_JSON_FLAGS);
	else
		ms_memcg_print(ctx->out, &tree, t->page_shift, &v);
	if (!tree.complete)
		ctx->failed = true;
	free((void *)v.logged);
	ms_memcg_free(&tree);
	return NULL;
}

struct ms_error *ms_memcg_path_parse(const char *arg, void *dst)
{
	char q[64];

	if (arg[0] != '/')
		return ms_error_create(MS_ERR_USAGE, "%s is not a cgroup path (one from /, as memcg "
				       "shows it)", ms_cmd_quote(q, sizeof(q), arg));
	if (strlen(arg) >= MS_MEMCG_PATH_LEN)
		return ms_error_create(MS_ERR_USAGE, "a cgroup path of at most %d bytes",
				       MS_MEMCG_PATH_LEN - 1);
	*(const char **)dst = arg;
	return NULL;
}

struct ms_error *ms_memcg_oomscore(struct ms_cmd_ctx *ctx, const char *path,
				   const struct ms_oom_print_opts *o)
{
	struct ms_target *t = ctx->target;
	struct ms_memcg_tree tree;
	const struct ms_memcg *m;
	struct ms_tasks ts;
	struct ms_oom global, oom;
	struct ms_error *err = ms_memcg_read(t, &tree);

	if (err)
		return ms_error_wrap(err, "cannot read the memory cgroups");
	m = tree.present ? ms_memcg_find(&tree, path) : NULL;
	if (!m) {
		ms_memcg_free(&tree);
		return ms_error_create(MS_ERR_USAGE, "--memcg %s: no such cgroup in the memory "
				       "controller's tree%s", path, tree.present ? "" :
				       " (this kernel has no memory cgroups)");
	}
	if ((err = ms_tasks_read(t, &ts))) {
		ms_memcg_free(&tree);
		return ms_error_wrap(err, "cannot walk the process list");
	}
	if ((err = ms_oom_compute(t, &ts, &global)) ||
	    (err = ms_memcg_oom(t, &tree, (size_t)(m - tree.v), &global, &oom))) {
		ms_oom_free(&global);
		ms_tasks_free(&ts);
		ms_memcg_free(&tree);
		return ms_error_wrap(err, "cannot compute OOM scores");
	}
	if (ctx->json) {
		json_t *j = ms_oom_json(&oom);

		json_object_set_new(j, "memcg", json_string(m->path));
		json_object_set_new(j, "memcg_online", json_boolean(m->online));
		json_object_set_new(j, "mem_cgroup_get_max", json_integer((json_int_t)oom.totalpages));
		ms_cmd_json_out(ctx, j, MS_CMD_JSON_FLAGS);
	} else {
		char a[24], b[24];

		fprintf(ctx->out, "memcg OOM in %s%s: mem_cgroup_scan_tasks() over its subtree, "
			"%zu processes; totalpages = mem_cgroup_get_max() = %llu pages\n"
			"(memory.current %s of memory.max %s; the lines below say \"global\" for "
			"this cgroup's OOM)\n\n", m->path, m->online ? "" : " (dying)", oom.nr,
			(unsigned long long)oom.totalpages,
			ms_fmt_kb(a, sizeof(a), (long long)(m->usage << (t->page_shift - 10))),
			m->max == MS_MEMCG_UNLIMITED ? "max" :
			ms_fmt_kb(b, sizeof(b), (long long)(m->max << (t->page_shift - 10))));
		ms_oom_print(ctx->out, &oom, o);
	}
	ms_oom_free(&oom);
	ms_oom_free(&global);
	ms_tasks_free(&ts);
	ms_memcg_free(&tree);
	return NULL;
}

static const struct ms_option options[] = {
	MS_FLAG('t', NULL, struct memcg_opts, tree),
	MS_FLAG('s', NULL, struct memcg_opts, sort),
	MS_FLAG('p', NULL, struct memcg_opts, pages),
	MS_FLAG('a', NULL, struct memcg_opts, all),
	MS_FLAG('m', NULL, struct memcg_opts, stat),
	MS_CUSTOM('c', NULL, "CGROUP", struct memcg_opts, path, ms_memcg_path_parse),
	MS_OPT_END,
};

static const struct ms_example examples[] = {
	{ "The memcg scenario (6.1): limits, a group near its limit, a memcg OOM in /small,\n"
	  "30 removed groups whose tmpfs pages keep them dying; -t shows the tree:", "-t",
	  "Memory controller on cgroup v2; 38 cgroups\n"
	  "CGROUP                       STATE      CURRENT         MAX        HIGH         LOW         MIN        SWAP        PEAK PROCS OOMKIL\n"
	  "/                            root    247.8 MiB*           -           -           -           -       0 KiB           -    55      0\n"
	  "  batch                      online   145.0 MiB   300.0 MiB         max       0 KiB       0 KiB       0 KiB   145.0 MiB     0      0\n"
	  "    job1                     online   112.8 MiB         max   200.0 MiB       0 KiB       0 KiB       0 KiB   112.8 MiB     2      0\n"
	  "    job2                     online    32.2 MiB    96.0 MiB         max    16.0 MiB       0 KiB       0 KiB    32.2 MiB     1      0\n"
	  "  web                        online    36.3 MiB   128.0 MiB         max       0 KiB    32.0 MiB       0 KiB    37.5 MiB     1      0\n"
	  "  small                      online       0 KiB    32.0 MiB         max       0 KiB       0 KiB       0 KiB    32.0 MiB     0      1\n"
	  "  tight                      online    36.2 MiB    40.0 MiB         max       0 KiB       0 KiB       0 KiB    36.3 MiB     1      0\n"
	  "  ephemeral                  online    30.3 MiB         max         max       0 KiB       0 KiB       0 KiB    30.6 MiB     0      0\n"
	  "(* the root has no memory.current: its page counter holds the children's charges)\n"
	  "\n"
	  "At or near the limit (usage >= 90% of memory.max or memory.high):\n"
	  "  /tight: 36.2 MiB of 40.0 MiB; events max 0 oom 0 oom_kill 0\n"
	  "      pid 103     memhog           anon  36.0 MiB  file     4 KiB  shmem   692 KiB\n"
	  "\n"
	  "Memory cgroup OOM kills in the kernel log: 1\n"
	  "  [   11.608398] pid 236 (memhog) killed in /small (usage 32768 kB, limit 32768 kB); now online, memory.events oom_kill 1\n"
	  "\n"
	  "Dying cgroups: 30 in the tree (the root's nr_dying_descendants: 30)\n"
	  "They still hold 30.1 MiB: file 30.0 MiB (shmem 30.0 MiB), anon 0 KiB, kernel 124 KiB, slab 66 KiB, swap 0 KiB\n"
	  "  /ephemeral/e10                       1.0 MiB\n"
	  "  ..." },
	{ "Sorted by usage, in pages; every cgroup's memory.stat and memory.events:", "-s -p\n-a -m", NULL },
	{ "One subtree, as JSON:", "-c /batch --json", NULL },
	{ 0 },
};

const struct ms_command ms_cmd_memcg = {
	.name = "memcg",
	.summary = "memory cgroups: usage against limits, memory.stat, events, dying cgroups",
	.synopsis = "[-t] [-s] [-p] [-a] [-m] [-c CGROUP] [--json]",
	.operands = { [MS_FRONT_CRASH] = { "", 0, 0 }, [MS_FRONT_CLI] = { "DUMP", 1, 1 } },
	.options = options,
	.excludes = "ts",
	.opts_size = sizeof(struct memcg_opts),
	.defaults = &(const struct memcg_opts){ 0 },
	.description =
	"Walks the memory controller's cgroup tree from root_mem_cgroup (each css's\n"
	"children list, in css_for_each_descendant_pre() order; bounded, and a css met\n"
	"twice stops that branch) and shows for every cgroup what its files would\n"
	"have said at the dump's moment.\n"
	"\n"
	"  CGROUP    cgroup_path(): the kernfs names up to the hierarchy's root.\n"
	"  STATE     online, or dying: removed (rmdir) but still pinned, mostly by\n"
	"            pages charged to it (css.flags without CSS_ONLINE).\n"
	"  CURRENT   memory.current: the page counter's usage.  Under cgroup v1 the\n"
	"            columns are the v1 files: USAGE memory.usage_in_bytes, LIMIT\n"
	"            memory.limit_in_bytes, MAX_USAGE memory.max_usage_in_bytes,\n"
	"            MEMSW memory.memsw.usage_in_bytes, FAILCNT memory.failcnt.\n"
	"  MAX HIGH LOW MIN  memory.max, memory.high, memory.low, memory.min.\n"
	"  SWAP      memory.swap.current.\n"
	"  PEAK      memory.peak (the page counter's watermark).\n"
	"  PROCS     processes whose memory cgroup it is (cgroup.procs).\n"
	"  OOMKIL    memory.events oom_kill.\n"
	"\n"
	"memory.stat rows (-m) are the kernel's own memory_stats[] table, each\n"
	"computed as memory_stat_format() does, with the rstat deltas not yet\n"
	"flushed (each CPU's vmstats_percpu and each cgroup's state_pending, over\n"
	"the subtree) folded in: what cat memory.stat prints after a flush.\n"
	"\n"
	"The dying cgroups are counted (the root's cgroup.stat nr_dying_descendants)\n"
	"and what they still hold is split by what holds it, with their former paths.\n"
	"\n"
	"  -t        the tree: names indented by depth.\n"
	"  -s        sorted by usage, largest first.\n"
	"  -p        pages instead of human units.\n"
	"  -a        the dying cgroups in the table too, and all of them listed.\n"
	"  -m        each cgroup's memory.stat and memory.events.\n"
	"  -c CGROUP that cgroup (a path from /) and its subtree only.\n"
	"  --json    one JSON document: every cgroup with its stat rows and events.",
	.examples = examples,
	.run = run,
};
