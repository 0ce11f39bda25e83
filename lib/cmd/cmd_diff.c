/*
 * cmd_diff.c - memdiff (CLI: diff): where USED grew between two dumps.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>

#include "command.h"
#include "snapdiff.h"
#include "snapshot.h"

/* The layout memdiff --json has always had. */
#define DIFF_JSON_FLAGS JSON_INDENT(1)

struct diff_opts {
	bool pages;
	bool force;
};

/* AFTER: crash's current dump, or the CLI's second operand. */
static struct ms_error *after_of(struct ms_cmd_ctx *ctx, struct ms_snapshot *after)
{
	struct ms_error *err;
	json_t *snap;

	if (!ctx->target)
		return ms_cmd_snapshot_read(ctx, ctx->argv[1], after);
	err = ms_error_wrap(ms_snapshot_build(ctx->target, &snap), "the current dump");
	if (!err) {
		err = ms_snapshot_of_json(snap, after);
		json_decref(snap);
	}
	return err;
}

static struct ms_error *run(struct ms_cmd_ctx *ctx, const void *opts)
{
	const struct diff_opts *o = opts;
	struct ms_snapshot before, after;
	struct ms_error *err;
	json_t *diff = NULL;

	err = ms_cmd_snapshot_read(ctx, ctx->argv[0], &before);
	if (err)
		return err;
	err = after_of(ctx, &after);
	if (!err) {
		err = ms_snapdiff_snap(&before, &after, o->force, &diff);
		ms_snapshot_fini(&after);
	}
	ms_snapshot_fini(&before);
	if (!err && ctx->json)
		ms_cmd_json_out(ctx, json_incref(diff), DIFF_JSON_FLAGS);
	else if (!err)
		ms_snapdiff_print(ctx->out, diff, o->pages);
	json_decref(diff);
	return err;
}

static const struct ms_option options[] = {
	MS_FLAG('p', NULL, struct diff_opts, pages),
	MS_FLAG('f', "force", struct diff_opts, force),
	MS_OPT_END,
};

static const struct ms_example examples[] = {
	{ "A tmpfs filled by something that exited:", "/var/crash/before/vmcore",
	  "WHERE USED IS                                 BEFORE       AFTER       CHANGE   SHARE\n"
	  "Shmem / tmpfs                                2.8 MiB   152.8 MiB   +150.0 MiB   99.7%\n"
	  "...\n"
	  "Causes of the USED growth, ranked\n"
	  "         SIZE   SHARE  CAUSE\n"
	  "    150.0 MiB   99.9%  tmpfs /mnt/leak, in files no process maps\n"
	  "                         shmem 150.0 MiB\n"
	  "      344 KiB    0.2%  slab cache radix_tree_node\n"
	  "                         slab objects 344 KiB\n"
	  "  Not explained: 0 KiB (0.0%)\n"
	  "\n"
	  "Main cause: tmpfs /mnt/leak, in files no process maps holds 150.0 MiB (shmem\n"
	  "150.0 MiB), 100% of the USED growth. The causes found explain 150.1 MiB of the\n"
	  "150.1 MiB growth; 0 KiB (0.0%) is not explained." },
	{ "Against a snapshot memsnap wrote after boot:", "/tmp/boot.json", NULL },
	{ 0 },
};

const struct ms_command ms_cmd_diff = {
	.name = "memdiff",
	.cli_name = "diff",
	.summary = "where USED grew between an earlier dump and a later one",
	.synopsis = "[-p] [-f] [--json]",
	.operands = { [MS_FRONT_CRASH] = { "BEFORE", 1, 1 },
		      [MS_FRONT_CLI] = { "BEFORE AFTER", 2, 2 } },
	.opens_own_inputs = true,
	.options = options,
	.opts_size = sizeof(struct diff_opts),
	.defaults = &(const struct diff_opts){ false, false },
	.description =
	"Compares BEFORE with a later dump and tells where USED memory grew: in\n"
	"crash the later dump is the current one; the CLI's diff takes it as\n"
	"AFTER.  BEFORE (and AFTER) is a snapshot file written by memsnap (the\n"
	"CLI's snap), or another dump of the same kernel build (ELF, kdump\n"
	"compressed, makedumpfile -d filtered, or QEMU's flattened kdump-*\n"
	"stream), which memscope opens itself with libkdumpfile (in crash, with\n"
	"crash's debug info).\n"
	"\n"
	"The report: USED before and after; the growth by category (anon, file\n"
	"cache, Shmem/tmpfs, slab, kernel stacks, page tables, vmalloc, per-cpu,\n"
	"HugeTLB, free pages on per-cpu lists, and what no counter accounts for),\n"
	"ranked, each with its share of the growth, adding up exactly; then the\n"
	"tmpfs mounts, slab caches and commands that changed, free memory per zone,\n"
	"the causes, and one sentence naming the main cause.  Shrinkage is shown as\n"
	"negative.\n"
	"\n"
	"A command's row shows its processes' rss as /proc/PID/status does (on\n"
	"6.2+ the per-cpu parts summed), the anon still in the threads' rss caches\n"
	"(UNSYNCED, before 6.2), and OWN: anon, page tables and kernel stacks, each\n"
	"at most what its category grew.  FILE and SHMEM are mapped pages shared\n"
	"with other processes, counted once in the page cache and Shmem, never\n"
	"summed into OWN.\n"
	"\n"
	"The causes group the categories' growth by what made it: a process storm\n"
	"(hundreds of new processes of one command, with their anon, page tables,\n"
	"the PGD, P4D and PUD pages PageTables does not count, kernel stacks and\n"
	"slab objects), a tmpfs mount, a command, a slab cache, large kmallocs,\n"
	"the consumers no counter accounts for (pipes by the command that holds\n"
	"them, socket buffers, the upper page tables no command's cause took),\n"
	"vmalloc by caller as /proc/vmallocinfo groups it (the kernel stacks'\n"
	"callers left out), pages with no owner (what is left of the memory no\n"
	"counter accounts for), free pages on per-cpu lists.  Each claims only\n"
	"what its categories grew and the causes before it left, so none claims\n"
	"more than the growth; they are ranked, the sentence names the first (and\n"
	"the NUMA node that lost most of the free memory, when one did) and says\n"
	"how much of the growth the causes found do not explain.\n"
	"Kernel stacks are counted once: with VMAP_STACK they are taken out of\n"
	"vmalloc.\n"
	"\n"
	"Dumps of two boots or two machines are refused: another kernel build,\n"
	"boot_id, KASLR offset, nodename or MemTotal would pass for growth.\n"
	"\n"
	"  -p      sizes in pages instead of KiB/MiB/GiB.\n"
	"  -f, --force  compare dumps of two boots or machines anyway, with a\n"
	"          warning saying what differs.\n"
	"  --json  the report as one JSON document.",
	.examples = examples,
	.run = run,
	.json_version = 2,	/* 2: commands' delta_kb bounded (the old sum is delta_rss_own_kb), unsynced anon, causes */
};
