/*
 * cmd_slabinfo.c - memscope slabinfo: what the crash command "slabinfo" shows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>

#include "cli.h"
#include "slab_print.h"

#define DEFAULT_TOP 20

static int run(int argc, char **argv, struct cli_source *src)
{
	static const struct option longopts[] = { CLI_COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
	int json = 0, proc = 0, c, rc = CLI_OK;
	unsigned int top = DEFAULT_TOP;
	struct cli_dump *d;
	struct ms_target *t;
	struct ms_error *err;
	struct ms_slab s;
	const char *path;
	char *end;

	while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "pan:", longopts, NULL)) != -1) {
		if (cli_common_opt(c, src))
			continue;
		switch (c) {
		case 'p':
			proc = 1;
			break;
		case 'a':
			top = 0;
			break;
		case 'n':
			top = (unsigned int)strtoul(optarg, &end, 10);
			if (*end || !*optarg)
				return cli_usage_error(&cli_slabinfo, "bad count \"%s\"", optarg);
			break;
		case OPT_JSON:
			json = 1;
			break;
		case 'h':
		case OPT_HELP:
			cli_help(&cli_slabinfo);
			return CLI_OK;
		default:
			return cli_usage_error(&cli_slabinfo, NULL);
		}
	}
	path = cli_one_dump(&cli_slabinfo, argc, argv);
	if (!path)
		return CLI_USAGE;
	d = cli_dump_open(path, src);
	if (!d)
		return CLI_FAIL;
	t = cli_dump_target(d);
	err = ms_slab_read(t, &s);
	if (err) {
		cli_error("%s: cannot read the slab caches: %s", path, ms_error_string(err));
		ms_error_destroy(err);
		rc = CLI_FAIL;
	} else {
		if (json)
			cli_json_out(ms_slab_json(&s, t->page_shift), JSON_INDENT(2));
		else if (proc)
			ms_slab_print_proc(stdout, &s);
		else
			ms_slab_print_top(stdout, &s, t->page_shift, top);
		ms_slab_free(&s);
	}
	cli_dump_close(d);
	return rc;
}

const struct cli_command cli_slabinfo = {
	.name = "slabinfo",
	.summary = "SLUB memory per slab cache, from the allocator's counters",
	.usage = "[-p | -a | -n COUNT] [--json] DUMP",
	.help =
	"How much memory each slab cache holds, from the per-node counters, then the\n"
	"total and meminfo's Slab (which also counts large kmalloc pages in no cache).\n"
	"\n"
	"  -n COUNT    the COUNT biggest caches (default 20)\n"
	"  -a          every cache\n"
	"  -p          /proc/slabinfo's exact layout\n",
	.run = run,
};
