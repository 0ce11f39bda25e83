/*
 * cmd_tmpfs.c - crash command "tmpfs".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "defs.h"

#include "memscope_ext.h"
#include "shmem_print.h"

char *help_tmpfs[] = {
	"tmpfs",
	"tmpfs/shmem usage per superblock, with its mount points",
	"[-a] [--json]",
	"  Shows every shmem superblock (s_op == shmem_ops, from super_blocks): user",
	"  tmpfs mounts, the kernel's internal shm mount (SysV shm, memfd, shared",
	"  anonymous memory), and rootfs and devtmpfs when they are shmem.  Memory",
	"  in a tmpfs that no process holds shows up only here and in Shmem.",
	"",
	"    SIZE      the size= limit (shmem_sb_info.max_blocks); \"unlimited\" for",
	"              the kern_mount()ed shm_mnt, which keeps no used-block count.",
	"    USED      what df shows: percpu_counter_sum(&used_blocks).",
	"    RESIDENT  pages in the page cache of its inodes (i_data.nrpages): the",
	"              pages meminfo's Shmem counts, on every superblock.",
	"    INODES    inodes in use (max_inodes - free_inodes).",
	"    MOUNTED ON  device name and path in the initial mount namespace.",
	"",
	"  Superblocks with no pages and no mount are left out unless -a is given.",
	"",
	"    -a        every shmem superblock.",
	"    --json    one JSON document.",
	"\nEXAMPLES",
	"  A tmpfs holding 150 MiB that nothing references any more:\n",
	"    %s> tmpfs",
	"          SUPERBLOCK TYPE      DEVICE           SIZE       USED   RESIDENT  INODES  MOUNTED ON",
	"    ffff8bf68105a800 rootfs    rootfs      230.0 MiB    2.8 MiB    2.8 MiB     284  /",
	"    ffff8bf68105e000 devtmpfs  dev         230.0 MiB      0 KiB      0 KiB      93  /dev",
	"    ffff8bf6820fe000 tmpfs     run           8.0 MiB      0 KiB      0 KiB       1  /run",
	"    ffff8bf6820ff800 tmpfs     leak        256.0 MiB  150.0 MiB  150.0 MiB       2  /mnt/leak",
	"",
	"    USED over size-limited tmpfs (df): 152.8 MiB",
	"    RESIDENT over all shmem superblocks: 152.8 MiB   Shmem (meminfo): 152.8 MiB",
	NULL
};

void cmd_tmpfs(void)
{
	struct ms_target *t = ms_crash_target();
	int json = ms_take_json_flag();
	int all = 0, c;
	struct ms_error *err;
	struct ms_tmpfs m;

	while ((c = getopt(argcnt, args, "a")) != EOF) {
		if (c == 'a')
			all = 1;
		else
			argerrs++;
	}
	if (argerrs || args[optind])
		cmd_usage(pc->curcmd, SYNOPSIS);

	err = ms_tmpfs_read(t, &m);
	if (err) {
		fprintf(fp, "tmpfs: cannot read the superblocks: %s\n", ms_error_string(err));
		ms_error_destroy(err);
		return;
	}
	if (json) {
		ms_json_out(ms_tmpfs_json(&m, t->page_shift));
	} else {
		ms_tmpfs_print(fp, &m, t->page_shift, all);
	}
	ms_tmpfs_free(&m);
}
