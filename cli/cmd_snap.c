/*
 * cmd_snap.c - memscope snap and memscope diff: what the crash commands
 * "memsnap" and "memdiff" do, with both sides opened here.
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
	struct ms_error *err;
	json_t *snap;
	int kind = is_snapshot(path);

	if (kind < 0) {
		cli_error("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (kind) {
		err = ms_snapshot_load(path, &snap);
		if (err)
			cli_error("%s", ms_error_string(err));
		ms_error_destroy(err);
		return snap;
	}
	d = cli_dump_open(path, src);
	if (!d)
		return NULL;
	cli_progress("%s: building the snapshot", path);
	err = ms_snapshot_build(cli_dump_target(d), &snap);
	cli_dump_close(d);
	if (err)
		cli_error("%s: %s", path, ms_error_string(err));
	ms_error_destroy(err);
	return snap;
}

static int snap_run(int argc, char **argv, struct cli_source *src)
{
	static const struct option longopts[] = { CLI_COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
	const char *out = NULL, *path;
	json_t *snap;
	int c, rc = CLI_OK;

	while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "o:", longopts, NULL)) != -1) {
		if (cli_common_opt(c, src))
			continue;
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case OPT_JSON:
			break;		/* a snapshot is JSON */
		case 'h':
		case OPT_HELP:
			cli_help(&cli_snap);
			return CLI_OK;
		default:
			return cli_usage_error(&cli_snap, NULL);
		}
	}
	path = cli_one_dump(&cli_snap, argc, argv);
	if (!path)
		return CLI_USAGE;
	snap = cli_snapshot_of(path, src);
	if (!snap)
		return CLI_FAIL;
	/* The layout memsnap writes. */
	if (!out || !strcmp(out, "-")) {
		json_dumpf(snap, stdout, JSON_INDENT(1) | JSON_SORT_KEYS);
		putchar('\n');
	} else if (json_dump_file(snap, out, JSON_INDENT(1) | JSON_SORT_KEYS)) {
		cli_error("cannot write %s: %s", out, strerror(errno));
		rc = CLI_FAIL;
	}
	json_decref(snap);
	return rc;
}

const struct cli_command cli_snap = {
	.name = "snap",
	.summary = "a JSON snapshot of the dump: what diff compares",
	.usage = "[-o FILE] DUMP",
	.help =
	"The kernel's identity, every /proc/meminfo line, USED split into categories\n"
	"that add up to it, free and managed memory per zone, every slab cache,\n"
	"processes by command, the largest processes and every tmpfs; the same\n"
	"document crash's memsnap writes.  A few tens of kB: keep it as a record of\n"
	"the dump, or give it to diff later.\n"
	"\n"
	"  -o FILE     write to FILE instead of stdout\n",
	.run = snap_run,
};

static int diff_run(int argc, char **argv, struct cli_source *src)
{
	static const struct option longopts[] = { CLI_COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
	json_t *before = NULL, *after = NULL, *diff = NULL;
	int json = 0, pages = 0, c, rc = CLI_FAIL;
	struct ms_error *err;

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
		err = ms_snapdiff(before, after, &diff);
		if (err)
			cli_error("%s", ms_error_string(err));
		ms_error_destroy(err);
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
