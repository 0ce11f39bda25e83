/*
 * cmd_pipes.c - pipes: every pipe processes hold open, its pages and holders.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>

#include "command.h"
#include "consumers_print.h"

struct pipes_opts {
	bool all;
};

static struct ms_error *run(struct ms_cmd_ctx *ctx, const void *opts)
{
	const struct pipes_opts *o = opts;
	struct ms_target *t = ctx->target;
	struct ms_tasks ts;
	struct ms_pipes p;
	struct ms_error *err = ms_tasks_read(t, &ts);

	if (err)
		return ms_error_wrap(err, "cannot read the process list");
	err = ms_pipes_read(t, &ts, false, &p);
	ms_tasks_free(&ts);
	if (err)
		return ms_error_wrap(err, "cannot read the pipes");
	if (ctx->json)
		ms_cmd_json_out(ctx, ms_pipes_json(&p, t->page_shift), MS_CMD_JSON_FLAGS);
	else
		ms_pipes_print(ctx->out, &p, t->page_shift, o->all);
	ms_pipes_free(&p);
	return NULL;
}

static const struct ms_option options[] = {
	MS_FLAG('a', NULL, struct pipes_opts, all),
	MS_OPT_END,
};

static const struct ms_example examples[] = {
	{ "Pipes full of unread data, open in a process and its child:", "",
	  "            PIPE      INODE  SLOTS   USED      BYTES  PAGES      SIZE  HELD BY (PID COMM FDS)\n"
	  "ffff8f4a908ae000      10514     16      1        100      1     4 KiB  103 pipehold 2, 108 pipehold 2\n"
	  "ffff8f4a908ae3c0      10517     16     10      40000     10    40 KiB  103 pipehold 2, 108 pipehold 2\n"
	  "ffff8f4a90dd3f00      10527    256    256    1048576    256   1.0 MiB  103 pipehold 2, 108 pipehold 2\n"
	  "...\n"
	  "\n"
	  "COMMAND          PROCESSES  PIPES      BYTES  PAGES      SIZE\n"
	  "pipehold                 2     12    8510628   2079   8.1 MiB\n"
	  "\n"
	  "12 pipes, 8510628 bytes queued in 2079 pages (8.1 MiB), each pipe counted once" },
	{ 0 },
};

const struct ms_command ms_cmd_pipes = {
	.name = "pipes",
	.summary = "pipe buffers: every pipe held open, its pages and its holders",
	.synopsis = "[-a] [--json]",
	.operands = { [MS_FRONT_CRASH] = { "", 0, 0 }, [MS_FRONT_CLI] = { "DUMP", 1, 1 } },
	.options = options,
	.opts_size = sizeof(struct pipes_opts),
	.defaults = &(const struct pipes_opts){ 0 },
	.description =
	"Walks every process's open files (task->files->fdt->fd[]) to the pipes\n"
	"(an S_IFIFO inode's i_pipe) and reads each pipe's ring: the occupied\n"
	"slots from tail to head, their bytes, and the pages pipe_write()\n"
	"allocated for them.  Those pages are in no /proc/meminfo counter: they are\n"
	"part of meminfo's \"no counter accounts for\".  A pipe open in several\n"
	"processes (a parent and its children, both ends) is counted once, for\n"
	"its first holder's command; every holder is listed.  Pages a splice put\n"
	"in a pipe belong to their owner (page cache) and are shown apart; the\n"
	"spare page a pipe keeps after a read (tmp_page) is counted.\n"
	"\n"
	"  PIPE     the struct pipe_inode_info    INODE  its inode number (fstat)\n"
	"  SLOTS    ring_size                     USED   head - tail\n"
	"  BYTES    bytes queued                  PAGES  pages holding them\n"
	"\n"
	"Pipes without pages are left out unless -a is given.\n"
	"\n"
	"  -a        every pipe, and every command holding one.\n"
	"  --json    one JSON document.",
	.examples = examples,
	.run = run,
};
