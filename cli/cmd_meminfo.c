/*
 * cmd_meminfo.c - memscope meminfo: what the crash command "meminfo" shows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>

#include "cli.h"
#include "error_print.h"
#include "meminfo_print.h"

static int run(int argc, char **argv, struct cli_source *src)
{
	static const struct option longopts[] = { CLI_COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
	int json = 0, only_lines = 0, only_summary = 0, pages = 0, node = -1, c, rc = CLI_OK;
	struct ms_meminfo mi;
	struct cli_dump *d;
	struct ms_target *t;
	const char *path;
	char *end;

	while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "msn:p", longopts, NULL)) != -1) {
		if (cli_common_opt(c, src))
			continue;
		switch (c) {
		case 'm':
			only_lines = 1;
			break;
		case 's':
			only_summary = 1;
			break;
		case 'p':
			pages = 1;
			break;
		case 'n':
			node = (int)strtol(optarg, &end, 10);
			if (*end || node < 0)
				return cli_usage_error(&cli_meminfo, "bad node \"%s\"", optarg);
			break;
		case OPT_JSON:
			json = 1;
			break;
		case 'h':
		case OPT_HELP:
			cli_help(&cli_meminfo);
			return CLI_OK;
		default:
			return cli_usage_error(&cli_meminfo, NULL);
		}
	}
	if (only_lines && only_summary)
		return cli_usage_error(&cli_meminfo, "-m and -s exclude each other");
	path = cli_one_dump(&cli_meminfo, argc, argv);
	if (!path)
		return CLI_USAGE;
	d = cli_dump_open(path, src);
	if (!d)
		return CLI_FAIL;
	t = cli_dump_target(d);
	if (ms_report_error(t, ms_meminfo_read(t, node, &mi))) {
		cli_error("%s: cannot read the memory counters%s", path,
			  node >= 0 ? " of that node" : "");
		rc = CLI_FAIL;
	} else if (json) {
		cli_json_out(ms_meminfo_json(&mi, t->page_shift), JSON_INDENT(2));
	} else {
		if (!only_summary)
			ms_meminfo_print_proc(stdout, &mi);
		if (node < 0 && !only_lines) {
			if (!only_summary)
				putchar('\n');
			ms_meminfo_print_summary(stdout, &mi, t->page_shift, pages);
		}
	}
	cli_dump_close(d);
	return rc;
}

const struct cli_command cli_meminfo = {
	.name = "meminfo",
	.summary = "/proc/meminfo from the dump, and where the used memory is",
	.usage = "[-m | -s] [-p] [-n NODE] [--json] DUMP",
	.help =
	"Rebuilds /proc/meminfo as the kernel would have printed it (same names, kB,\n"
	"layout), every CPU's not yet folded counter deltas added; a line that cannot\n"
	"be computed prints \"?\".  Then where USED (MemTotal - MemFree) is, in\n"
	"categories that share no page, and what no counter accounts for.\n"
	"\n"
	"  -m          only the /proc/meminfo lines\n"
	"  -s          only the summary\n"
	"  -p          the summary in pages\n"
	"  -n NODE     the node's view (/sys/devices/system/node/nodeN/meminfo)\n",
	.run = run,
};
