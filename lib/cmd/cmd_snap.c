/*
 * cmd_snap.c - memsnap (CLI: snap): the dump's snapshot, what memdiff
 * compares.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "command.h"
#include "snapshot.h"

/* The layout memsnap has always written: diffs of two snapshots stay readable. */
#define SNAP_JSON_FLAGS (JSON_INDENT(1) | JSON_SORT_KEYS)

struct snap_opts {
	const char *out;
};

static struct ms_error *write_snapshot(struct ms_cmd_ctx *ctx, json_t *snap, const char *path)
{
	if (!path || !strcmp(path, "-")) {
		json_dumpf(snap, ctx->out, SNAP_JSON_FLAGS);
		fputc('\n', ctx->out);
		return NULL;
	}
	if (json_dump_file(snap, path, SNAP_JSON_FLAGS))
		return ms_error_create(MS_ERR_IO, "cannot write %s: %s", path, strerror(errno));
	/* In crash nothing else would say so; the CLI stays quiet for scripts. */
	if (ctx->front == MS_FRONT_CRASH)
		fprintf(ctx->out, "%s: wrote %s\n", ctx->cmd->name, path);
	return NULL;
}

/* crash: the session's dump, to -o FILE or FILE; the CLI: DUMP (or a snapshot) to -o FILE. */
static struct ms_error *run(struct ms_cmd_ctx *ctx, const void *opts)
{
	const struct snap_opts *o = opts;
	const char *out = o->out;
	struct ms_error *err;
	json_t *snap;

	if (ctx->target) {
		if (ctx->argc && out)
			return ms_error_create(MS_ERR_USAGE, "-o FILE and FILE exclude each other");
		if (ctx->argc)
			out = ctx->argv[0];
		err = ms_snapshot_build(ctx->target, &snap);
		if (err)
			return err;
	} else {
		err = ms_cmd_snapshot_of(ctx, ctx->argv[0], &snap);
		if (err)
			return err;
	}
	err = write_snapshot(ctx, snap, out);
	json_decref(snap);
	return err;
}

static const struct ms_option options[] = {
	MS_STRING('o', NULL, "FILE", struct snap_opts, out),
	MS_OPT_END,
};

static const struct ms_example examples[] = {
	{ "Save the snapshot of a dump taken after boot:", "-o /tmp/boot.json", NULL },
	{ "The snapshot on the output, to read or to pipe:", "", NULL },
	{ 0 },
};

const struct ms_command ms_cmd_snap = {
	.name = "memsnap",
	.cli_name = "snap",
	.summary = "save what memdiff compares of a dump to a JSON file",
	.synopsis = "[-o FILE]",
	.operands = { [MS_FRONT_CRASH] = { "[FILE]", 0, 1 }, [MS_FRONT_CLI] = { "DUMP", 1, 1 } },
	.opens_own_inputs = true,
	.options = options,
	.opts_size = sizeof(struct snap_opts),
	.defaults = &(const struct snap_opts){ NULL },
	.description =
	"Writes a snapshot of the dump: the kernel's identity, every /proc/meminfo\n"
	"line, USED split into categories that add up to it exactly (the\n"
	"remainder no counter accounts for included), free and managed memory per\n"
	"node and zone, the size of every slab cache, processes aggregated by\n"
	"command (count, threads, anon/file/shmem rss, page tables, kernel\n"
	"stacks), the largest processes and the usage of every mounted tmpfs.\n"
	"Give the file to memdiff (the CLI's diff) later, on another dump of the\n"
	"same machine, or keep it as a small record of the dump (a few tens of kB).\n"
	"crash's memsnap and the CLI's snap write the same document.\n"
	"\n"
	"  -o FILE  write to FILE (\"-\": the output, the default).  In crash, a\n"
	"           FILE operand is the same as -o FILE.  The CLI's DUMP may also\n"
	"           be a snapshot, written again.\n"
	"  --json   accepted; a snapshot is JSON.",
	.examples = examples,
	.run = run,
	.json_version = MS_SNAPSHOT_VERSION,	/* the snapshot's own */
};
