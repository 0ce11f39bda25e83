/*
 * cmd_oomscore.c - memscope oomscore: what the crash command "oomscore" shows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "cli.h"
#include "oom_print.h"

static int show(struct ms_target *t, const char *path, int json,
		const struct ms_oom_print_opts *opts)
{
	struct ms_error *err;
	struct ms_tasks ts;
	struct ms_oom o;

	err = ms_tasks_read(t, &ts);
	if (err) {
		cli_error("%s: cannot walk the process list: %s", path, ms_error_string(err));
		ms_error_destroy(err);
		return CLI_FAIL;
	}
	err = ms_oom_compute(t, &ts, &o);
	if (err) {
		cli_error("%s: cannot compute OOM scores: %s", path, ms_error_string(err));
		ms_error_destroy(err);
		ms_tasks_free(&ts);
		return CLI_FAIL;
	}
	if (json)
		cli_json_out(ms_oom_json(&o), JSON_INDENT(2));
	else
		ms_oom_print(stdout, &o, opts);
	ms_oom_free(&o);
	ms_tasks_free(&ts);
	return CLI_OK;
}

static int run(int argc, char **argv, struct cli_source *src)
{
	static const struct option longopts[] = { CLI_COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
	struct ms_oom_print_opts opts = { 0 };
	int json = 0, c, rc;
	struct cli_dump *d;
	const char *path;

	while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "pa", longopts, NULL)) != -1) {
		if (cli_common_opt(c, src))
			continue;
		switch (c) {
		case 'p':
			opts.pages = true;
			break;
		case 'a':
			opts.all = true;
			break;
		case OPT_JSON:
			json = 1;
			break;
		case 'h':
		case OPT_HELP:
			cli_help(&cli_oomscore);
			return CLI_OK;
		default:
			return cli_usage_error(&cli_oomscore, NULL);
		}
	}
	path = cli_one_dump(&cli_oomscore, argc, argv);
	if (!path)
		return CLI_USAGE;
	d = cli_dump_open(path, src);
	if (!d)
		return CLI_FAIL;
	rc = show(cli_dump_target(d), path, json, &opts);
	cli_dump_close(d);
	return rc;
}

const struct cli_command cli_oomscore = {
	.name = "oomscore",
	.summary = "OOM badness of every process and the task a global OOM would kill",
	.usage = "[-p] [-a] [--json] DUMP",
	.help =
	"Walks the kernel's process list as the OOM killer does and computes, for\n"
	"every process, the dumped kernel's oom_badness() points and\n"
	"/proc/PID/oom_score; candidates first in select_bad_process() order (the one\n"
	"a global OOM would kill marked '>'), then the skipped ones with the reason.\n"
	"\n"
	"  -p          counters in pages instead of K/M/G\n"
	"  -a          list kernel threads among the skipped tasks\n",
	.run = run,
};
