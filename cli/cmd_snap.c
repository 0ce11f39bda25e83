/*
 * cmd_snap.c - memscope diff: what the crash command "memdiff" does, with
 * both sides opened here (snap is lib/cmd/cmd_snap.c's).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "snapdiff.h"
#include "snapshot.h"

/* A file whose first non-blank byte is '{' is a snapshot; anything else a dump. */
static int is_snapshot(const char *path)
{
	FILE *f = fopen(path, "r");
	int ch = EOF;

	if (!f)
		return -1;
	while ((ch = fgetc(f)) != EOF && isspace(ch))
		;
	fclose(f);
	return ch == '{';
}

json_t *cli_snapshot_of(const char *path, const struct cli_source *src)
{
	struct cli_dump *d;
	char err[512];
	json_t *snap;
	int kind = is_snapshot(path);

	if (kind < 0) {
		cli_error("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (kind) {
		snap = ms_snapshot_load(path, err, sizeof(err));
		if (!snap)
			cli_error("%s", err);
		return snap;
	}
	d = cli_dump_open(path, src);
	if (!d)
		return NULL;
	cli_progress("%s: building the snapshot", path);
	snap = ms_snapshot_build(cli_dump_target(d));
	cli_dump_close(d);
	if (!snap)
		cli_error("%s: nothing could be read from the dump", path);
	return snap;
}

static int diff_run(int argc, char **argv, struct cli_source *src)
{
	static const struct option longopts[] = { CLI_COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
	json_t *before = NULL, *after = NULL, *diff = NULL;
	int json = 0, pages = 0, c, rc = CLI_FAIL;
	char err[512];

	while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "p", longopts, NULL)) != -1) {
		if (cli_common_opt(c, src))
			continue;
		switch (c) {
		case 'p':
			pages = 1;
			break;
		case OPT_JSON:
			json = 1;
			break;
		case 'h':
		case OPT_HELP:
			cli_help(&cli_diff);
			return CLI_OK;
		default:
			return cli_usage_error(&cli_diff, NULL);
		}
	}
	if (argc - optind != 2)
		return cli_usage_error(&cli_diff, "BEFORE and AFTER are needed");
	before = cli_snapshot_of(argv[optind], src);
	if (before)
		after = cli_snapshot_of(argv[optind + 1], src);
	if (after) {
		diff = ms_snapdiff(before, after, err, sizeof(err));
		if (!diff)
			cli_error("%s", err);
	}
	if (diff) {
		/* The layouts memdiff prints. */
		if (json) {
			json_dumpf(diff, stdout, JSON_INDENT(1));
			putchar('\n');
		} else {
			ms_snapdiff_print(stdout, diff, pages);
		}
		rc = CLI_OK;
	}
	json_decref(diff);
	json_decref(after);
	json_decref(before);
	return rc;
}

const struct cli_command cli_diff = {
	.name = "diff",
	.summary = "where USED grew between two dumps (or snapshots) of one machine",
	.usage = "[-p] [--json] BEFORE AFTER",
	.help =
	"Compares BEFORE with AFTER, each a dump or a snapshot written by 'snap' (or\n"
	"crash's memsnap), and tells where USED memory grew: growth by category,\n"
	"ranked and adding up exactly, the tmpfs mounts, slab caches and commands that\n"
	"changed, free memory per zone, and one sentence naming the main cause; the\n"
	"report of crash's memdiff.  Both must be of one kernel build.\n"
	"\n"
	"  -p          sizes in pages instead of KiB/MiB/GiB\n",
	.run = diff_run,
};
