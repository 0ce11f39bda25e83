/*
 * cmd_oomscore.c - oomscore: OOM badness of every process, and the victim.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>

#include "command.h"
#include "cmd_memcg.h"
#include "oom_print.h"

struct oomscore_opts {
	struct ms_oom_print_opts print;
	const char *memcg;		/* --memcg PATH: a memcg OOM in that cgroup */
};

static struct ms_error *run(struct ms_cmd_ctx *ctx, const void *opts)
{
	const struct oomscore_opts *oo = opts;
	const struct ms_oom_print_opts *o = &oo->print;
	struct ms_tasks ts;
	struct ms_oom oom;

	struct ms_error *err;

	if (oo->memcg)
		return ms_memcg_oomscore(ctx, oo->memcg, o);
	err = ms_tasks_read(ctx->target, &ts);

	if (err)
		return ms_error_wrap(err, "cannot walk the process list");
	err = ms_oom_compute(ctx->target, &ts, &oom);
	if (err) {
		ms_tasks_free(&ts);
		return ms_error_wrap(err, "cannot compute OOM scores");
	}
	if (ctx->json)
		ms_cmd_json_out(ctx, ms_oom_json(&oom), MS_CMD_JSON_FLAGS);
	else
		ms_oom_print(ctx->out, &oom, o);
	ms_oom_free(&oom);
	ms_tasks_free(&ts);
	return NULL;
}

static const struct ms_option options[] = {
	MS_FLAG('p', NULL, struct oomscore_opts, print.pages),
	MS_FLAG('a', NULL, struct oomscore_opts, print.all),
	MS_CUSTOM(0, "memcg", "CGROUP", struct oomscore_opts, memcg, ms_memcg_path_parse),
	MS_OPT_END,
};

static const struct ms_example examples[] = {
	{ "Who would the OOM killer pick?", "",
	  "totalpages 120263 (RAM 120263 + swap 0 pages of 4 KiB); oom_badness() of Linux 6.1.0-55-cloud-amd64 (5.9+ formula)\n"
	  "a global OOM kills (>): pid 105 (memhog), badness 120433, oom_score 1334\n"
	  "\n"
	  "        PID    UID COMM                 ANON     FILE    SHMEM     SWAP  PGTABLE    ADJ    BADNESS  OOM_SCORE\n"
	  ">       105      0 memhog               996K       4K     692K       0K      40K   1000     120433       1334\n"
	  "        102      0 memhog              2052K       4K     692K       0K      40K    800      96697       1202\n"
	  "        101      0 memhog              39.9M       4K     692K       0K     116K    500      70418       1056\n"
	  "        ...\n"
	  "\n"
	  "SKIPPED: 2 (and 51 kernel threads; -a lists them)\n"
	  "        PID    UID COMM                 ANON     FILE    SHMEM     SWAP  PGTABLE    ADJ REASON\n"
	  "          1      0 init                  88K       4K    1664K       0K      28K      0 global init\n"
	  "         94      0 memhog              3900K       4K     692K       0K      48K  -1000 oom_score_adj -1000" },
	{ "The same in pages, kernel threads listed; or as JSON:", "-p -a\n--json", NULL },
	{ "The ranking of a memcg OOM in /batch (its subtree, against mem_cgroup_get_max()):",
	  "--memcg /batch", NULL },
	{ 0 },
};

const struct ms_command ms_cmd_oomscore = {
	.name = "oomscore",
	.summary = "OOM badness of every process and the task a global OOM would kill",
	.synopsis = "[-p] [-a] [--memcg CGROUP] [--json]",
	.operands = { [MS_FRONT_CRASH] = { "", 0, 0 }, [MS_FRONT_CLI] = { "DUMP", 1, 1 } },
	.options = options,
	.opts_size = sizeof(struct oomscore_opts),
	.defaults = &(const struct oomscore_opts){ { 0 }, NULL },
	.description =
	"Walks the process list the way the kernel's OOM killer does\n"
	"(init_task.tasks, each process's threads through signal->thread_head;\n"
	"crash's own task table is not used) and computes for every process the\n"
	"points of the dumped kernel's oom_badness() over totalpages = RAM + swap,\n"
	"and /proc/PID/oom_score as proc_oom_score() scales them.\n"
	"\n"
	"Candidates come first, in the order select_bad_process() prefers them\n"
	"(more points first; among equal points the later task in the process\n"
	"list); the one a global OOM would kill now is marked '>'.  Then every\n"
	"process the OOM killer skips, with the reason: global init, kernel\n"
	"thread, no mm (exiting), oom_score_adj -1000, MMF_OOM_SKIP, in vfork,\n"
	"an earlier OOM victim already reaped.\n"
	"\n"
	"Columns: rss split as MM_ANONPAGES, MM_FILEPAGES, MM_SHMEMPAGES, swap\n"
	"entries (MM_SWAPENTS), page tables (mm_pgtables_bytes), oom_score_adj,\n"
	"BADNESS (pages, oom_badness()) and OOM_SCORE (0..2000).\n"
	"\n"
	"With --memcg CGROUP, the ranking a memcg OOM in that cgroup would make\n"
	"(select_bad_process() through mem_cgroup_scan_tasks()): the processes of\n"
	"its subtree only, oom_badness() over totalpages = mem_cgroup_get_max()\n"
	"(memory.max, plus swap.max up to the swap there is when swappiness is not 0).\n"
	"\n"
	"  -p      counters in pages instead of K/M/G.\n"
	"  -a      list kernel threads among the skipped tasks (default: a count).\n"
	"  --memcg CGROUP  a memcg OOM in that cgroup (a path from /, as memcg shows it).\n"
	"  --json  one JSON document: every process with its counters in pages.",
	.examples = examples,
	.run = run,
};
