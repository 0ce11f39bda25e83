/*
 * cmd_oomreport.c - oomreport: the OOM events and failed allocations of the
 * kernel log, tied to the dump.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>

#include "command.h"
#include "oomreport_print.h"

static struct ms_error *run(struct ms_cmd_ctx *ctx, const void *opts)
{
	const struct ms_oomrep_print_opts *o = opts;
	struct ms_oomrep r;
	struct ms_error *err;

	ms_cmd_progress(ctx, "reading the kernel log");
	err = ms_oomrep_build(ctx->target, &r);
	ms_cmd_progress_done(ctx);
	if (err)
		return ms_error_wrap(err, "no OOM report");
	if (ctx->json)
		ms_cmd_json_out(ctx, ms_oomrep_json(&r), MS_CMD_JSON_FLAGS);
	else
		ms_oomrep_print(ctx->out, &r, o);
	ms_oomrep_free(&r);
	return NULL;
}

static const struct ms_option options[] = {
	MS_FLAG('p', NULL, struct ms_oomrep_print_opts, pages),
	MS_FLAG('a', NULL, struct ms_oomrep_print_opts, all),
	MS_OPT_END,
};

static const struct ms_example examples[] = {
	{ "What did the OOM killer do, and would it do it again?", "",
	  "kernel log: printk_ringbuffer, 395 records (seq 0-394); 1 OOM event, 0 allocation failures\n"
	  "\n"
	  "== OOM 1 at [   34.085705] seq 341\n"
	  "trigger     memgrow (pid 126): gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), order=0, oom_score_adj=300\n"
	  "gfp         GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO from the dump's gfpflag_names, as logged; highest zone Movable (gfp_zone()), the slow path as gfp movable\n"
	  "constraint  CONSTRAINT_NONE, nodemask=(null), cpuset=/, mems_allowed=0, global OOM, task_memcg=/\n"
	  "...\n"
	  "killed      [   34.100350] pid 126 (memgrow): total-vm 4.0G, anon-rss 348.0M, file-rss 4K, shmem-rss 692K, UID 0, pgtables 736K, oom_score_adj 300\n"
	  "check       the kernel's formula picks pid 126 (memgrow), 125407 points: agrees with the logged victim\n"
	  "now         pid 126 (memgrow): gone (no such process in the dump); oom_reaper's queue is empty\n"
	  "next        a global OOM now would kill pid 95 (memhog), 8476 points (oomscore)" },
	{ "Sizes in pages, every row of the logged tasks tables; or as JSON:", "-p -a\n--json", NULL },
	{ 0 },
};

const struct ms_command ms_cmd_oomreport = {
	.name = "oomreport",
	.summary = "the OOM events and page allocation failures of the kernel log, checked against the dump",
	.synopsis = "[-p] [-a] [--json]",
	.operands = { [MS_FRONT_CRASH] = { "", 0, 0 }, [MS_FRONT_CLI] = { "DUMP", 1, 1 } },
	.options = options,
	.opts_size = sizeof(struct ms_oomrep_print_opts),
	.defaults = &(const struct ms_oomrep_print_opts){ 0 },
	.description =
	"Reads the kernel log from the dump and finds every report of the OOM\n"
	"killer (dump_header(), dump_tasks(), __oom_kill_process() of mm/oom_kill.c)\n"
	"and every \"page allocation failure\" (warn_alloc()), in the 4.x, 5.x and 6.x\n"
	"wordings, and prints each one's parts: the trigger (comm, pid, gfp mask,\n"
	"order, oom_score_adj), the constraint and memcg lines, the Mem-Info\n"
	"counters and the zones' watermarks and free blocks, the tasks table, the\n"
	"killed task and the oom_reaper's line, each with its time.  A report cut\n"
	"by a missing record says what it lacks.\n"
	"\n"
	"Then what the dump shows now: the gfp mask in the dump's own flag names\n"
	"(gfpflag_names) and the highest zone it allows; whether the victim is\n"
	"gone, reaped (MMF_OOM_SKIP) or still exiting, and oom_reaper's queue; the\n"
	"kernel's choice recomputed from the logged table with the dump's\n"
	"oom_badness() and totalpages ('>' the choice, '*' the logged victim), and\n"
	"why it differs if it does; the task a global OOM would kill now\n"
	"(oomscore's ranking); and the allocation replayed zone by zone at the\n"
	"min watermark (zoneinfo -a), naming why it fails now: fragmentation,\n"
	"the watermark or lowmem_reserve.  The log is from the time of each\n"
	"event, the zones and tasks from the time of the dump.\n"
	"\n"
	"  -p      sizes in pages instead of K/M/G.\n"
	"  -a      every row of each logged tasks table (default: the top 10).\n"
	"  --json  one JSON document: every event with its parts, the check and\n"
	"          the replay.",
	.examples = examples,
	.run = run,
};
