/*
 * cmd_tmpfs.c - memscope tmpfs: what the crash command "tmpfs" shows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "cli.h"
#include "shmem_print.h"

static int run(int argc, char **argv, struct cli_source *src)
{
	static const struct option longopts[] = { CLI_COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
	int json = 0, all = 0, c, rc = CLI_OK;
	struct cli_dump *d;
	struct ms_target *t;
	struct ms_error *err;
	struct ms_tmpfs m;
	const char *path;

	while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "a", longopts, NULL)) != -1) {
		if (cli_common_opt(c, src))
			continue;
		switch (c) {
		case 'a':
			all = 1;
			break;
		case OPT_JSON:
			json = 1;
			break;
		case 'h':
		case OPT_HELP:
			cli_help(&cli_tmpfs);
			return CLI_OK;
		default:
			return cli_usage_error(&cli_tmpfs, NULL);
		}
	}
	path = cli_one_dump(&cli_tmpfs, argc, argv);
	if (!path)
		return CLI_USAGE;
	d = cli_dump_open(path, src);
	if (!d)
		return CLI_FAIL;
	t = cli_dump_target(d);
	err = ms_tmpfs_read(t, &m);
	if (err) {
		cli_error("%s: cannot read the superblocks: %s", path, ms_error_string(err));
		ms_error_destroy(err);
		rc = CLI_FAIL;
	} else {
		if (json)
			cli_json_out(ms_tmpfs_json(&m, t->page_shift), JSON_INDENT(2));
		else
			ms_tmpfs_print(stdout, &m, t->page_shift, all);
		ms_tmpfs_free(&m);
	}
	cli_dump_close(d);
	return rc;
}

const struct cli_command cli_tmpfs = {
	.name = "tmpfs",
	.summary = "tmpfs/shmem usage per superblock, with its mount points",
	.usage = "[-a] [--json] DUMP",
	.help =
	"Every shmem superblock (tmpfs mounts, the internal shm mount, rootfs and\n"
	"devtmpfs when they are shmem): size limit, USED as df shows it, RESIDENT pages,\n"
	"inodes and mount points in the initial mount namespace.\n"
	"\n"
	"  -a          every shmem superblock, also those with no pages and no mount\n",
	.run = run,
};
