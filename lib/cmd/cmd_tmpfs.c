/*
 * cmd_tmpfs.c - tmpfs: shmem usage per superblock, with its mount points.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>

#include "command.h"
#include "shmem_print.h"

struct tmpfs_opts {
	bool all;
};

static struct ms_error *run(struct ms_cmd_ctx *ctx, const void *opts)
{
	const struct tmpfs_opts *o = opts;
	struct ms_target *t = ctx->target;
	struct ms_tmpfs m;

	struct ms_error *err = ms_tmpfs_read(t, &m);

	if (err)
		return ms_error_wrap(err, "cannot read the superblocks");
	if (ctx->json)
		ms_cmd_json_out(ctx, ms_tmpfs_json(&m, t->page_shift), MS_CMD_JSON_FLAGS);
	else
		ms_tmpfs_print(ctx->out, &m, t->page_shift, o->all);
	ms_tmpfs_free(&m);
	return NULL;
}

static const struct ms_option options[] = {
	MS_FLAG('a', NULL, struct tmpfs_opts, all),
	MS_OPT_END,
};

static const struct ms_example examples[] = {
	{ "A tmpfs holding 150 MiB that nothing references any more:", "",
	  "      SUPERBLOCK TYPE      DEVICE           SIZE       USED   RESIDENT  INODES  MOUNTED ON\n"
	  "ffff8bf68105a800 rootfs    rootfs      230.0 MiB    2.8 MiB    2.8 MiB     284  /\n"
	  "ffff8bf68105e000 devtmpfs  dev         230.0 MiB      0 KiB      0 KiB      93  /dev\n"
	  "ffff8bf6820fe000 tmpfs     run           8.0 MiB      0 KiB      0 KiB       1  /run\n"
	  "ffff8bf6820ff800 tmpfs     leak        256.0 MiB  150.0 MiB  150.0 MiB       2  /mnt/leak\n"
	  "\n"
	  "USED over size-limited tmpfs (df): 152.8 MiB\n"
	  "RESIDENT over all shmem superblocks: 152.8 MiB   Shmem (meminfo): 152.8 MiB" },
	{ 0 },
};

const struct ms_command ms_cmd_tmpfs = {
	.name = "tmpfs",
	.summary = "tmpfs/shmem usage per superblock, with its mount points",
	.synopsis = "[-a] [--json]",
	.operands = { [MS_FRONT_CRASH] = { "", 0, 0 }, [MS_FRONT_CLI] = { "DUMP", 1, 1 } },
	.options = options,
	.opts_size = sizeof(struct tmpfs_opts),
	.defaults = &(const struct tmpfs_opts){ 0 },
	.description =
	"Shows every shmem superblock (s_op == shmem_ops, from super_blocks): user\n"
	"tmpfs mounts, the kernel's internal shm mount (SysV shm, memfd, shared\n"
	"anonymous memory), and rootfs and devtmpfs when they are shmem.  Memory\n"
	"in a tmpfs that no process holds shows up only here and in Shmem.\n"
	"\n"
	"  SIZE      the size= limit (shmem_sb_info.max_blocks); \"unlimited\" for\n"
	"            the kern_mount()ed shm_mnt, which keeps no used-block count.\n"
	"  USED      what df shows: percpu_counter_sum(&used_blocks).\n"
	"  RESIDENT  pages in the page cache of its inodes (i_data.nrpages): the\n"
	"            pages meminfo's Shmem counts, on every superblock.\n"
	"  INODES    inodes in use (max_inodes - free_inodes).\n"
	"  MOUNTED ON  device name and path in the initial mount namespace.\n"
	"\n"
	"Superblocks with no pages and no mount are left out unless -a is given.\n"
	"\n"
	"  -a        every shmem superblock.\n"
	"  --json    one JSON document.",
	.examples = examples,
	.run = run,
};
