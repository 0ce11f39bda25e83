/*
 * cmd_zoneinfo.c - memscope zoneinfo: what the crash command "zoneinfo"
 * shows, the allocation check included.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>

#include "cli.h"
#include "allocreq.h"
#include "alloccheck_print.h"
#include "error_print.h"
#include "zoneinfo_print.h"

static int run_check(struct ms_target *t, const char *path, const struct ms_zoneinfo *zi,
		     const char *arg, struct ms_alloc_req *req, int json)
{
	struct ms_alloc_check c;
	char err[128];

	if (ms_alloc_req_parse(zi, arg, req, err, sizeof(err)))
		return cli_usage_error(&cli_zoneinfo, "-a %s: %s", arg, err);
	if (ms_report_error(t, ms_alloc_check(t, zi, req, &c))) {
		cli_error("%s: no allocation check (see the warning above)", path);
		return CLI_FAIL;
	}
	if (json)
		cli_json_out(ms_alloc_check_json(&c), JSON_INDENT(2));
	else
		ms_alloc_check_print(stdout, &c);
	ms_alloc_check_free(&c);
	return CLI_OK;
}

static int run(int argc, char **argv, struct cli_source *src)
{
	static const struct option longopts[] = { CLI_COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
	struct ms_zi_print_opts o = { 0 };
	struct ms_alloc_req req = { 0, -1, -1, MS_WMARK_LOW, MS_GFP_KERNEL };
	int json = 0, proc = 0, c, rc = CLI_OK;
	const char *check = NULL, *path;
	struct ms_zoneinfo zi;
	struct cli_dump *d;
	struct ms_target *t;
	char *end;

	while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "zpura:w:g:n:", longopts,
				NULL)) != -1) {
		if (cli_common_opt(c, src))
			continue;
		switch (c) {
		case 'z':
			proc = 1;
			break;
		case 'p':
			o.pages = true;
			break;
		case 'u':
			o.all = true;
			break;
		case 'r':
			o.atomic_only = true;
			break;
		case 'a':
			check = optarg;
			break;
		case 'w':
			if (ms_wmark_parse(optarg, &req.wmark))
				return cli_usage_error(&cli_zoneinfo, "-w: min, low or high");
			break;
		case 'g':
			if (ms_gfp_kind_parse(optarg, &req.gfp))
				return cli_usage_error(&cli_zoneinfo, "-g: unknown gfp \"%s\"", optarg);
			break;
		case 'n':
			req.nid = (int)strtol(optarg, &end, 10);
			if (*end || !*optarg || req.nid < 0)
				return cli_usage_error(&cli_zoneinfo, "bad node \"%s\"", optarg);
			break;
		case OPT_JSON:
			json = 1;
			break;
		case 'h':
		case OPT_HELP:
			cli_help(&cli_zoneinfo);
			return CLI_OK;
		default:
			return cli_usage_error(&cli_zoneinfo, NULL);
		}
	}
	if (proc && check)
		return cli_usage_error(&cli_zoneinfo, "-z and -a exclude each other");
	path = cli_one_dump(&cli_zoneinfo, argc, argv);
	if (!path)
		return CLI_USAGE;
	d = cli_dump_open(path, src);
	if (!d)
		return CLI_FAIL;
	t = cli_dump_target(d);
	if (ms_report_error(t, ms_zoneinfo_read(t, &zi))) {
		cli_error("%s: cannot read the nodes' zones", path);
		cli_dump_close(d);
		return CLI_FAIL;
	}
	if (check)
		rc = run_check(t, path, &zi, check, &req, json);
	else if (json)
		cli_json_out(ms_zoneinfo_json(&zi, ms_page_size(t), &o), JSON_INDENT(2));
	else if (proc)
		ms_zoneinfo_print_proc(stdout, &zi, &o);
	else
		ms_zoneinfo_print_table(stdout, &zi, t->page_shift, &o);
	ms_zoneinfo_free(&zi);
	cli_dump_close(d);
	return rc;
}

const struct cli_command cli_zoneinfo = {
	.name = "zoneinfo",
	.summary = "nodes and zones: sizes, watermarks, counters; why an allocation fails",
	.usage = "[-z | -a ORDER[,ZONE] [-w min|low|high] [-g GFP] [-n NODE]] [-p] [-u] [-r] "
		 "[--json] DUMP",
	.help =
	"Every node and zone: spanned, present, managed and free pages, watermarks\n"
	"(boost included), boost, lowmem_reserve[] and per-cpu list pages; counters\n"
	"with every CPU's not yet folded delta added.\n"
	"\n"
	"  -z          the layout of /proc/zoneinfo\n"
	"  -p          pages instead of KiB/MiB/GiB in the table\n"
	"  -u          unpopulated zones too\n"
	"  -r          counters without the per-cpu deltas (the atomics alone)\n"
	"\n"
	"Allocation check: -a ORDER[,ZONE] replays get_page_from_freelist()'s walk of\n"
	"the zonelist and __zone_watermark_ok() in each zone up to ZONE (name or index;\n"
	"default Normal, Movable for -g movable), with the reason a zone fails.\n"
	"  -w MARK     low (default, the fast path), min (the slow path), high\n"
	"  -g GFP      kernel (default), high, nowait, atomic, movable, oom\n"
	"  -n NODE     the node whose zonelist is walked (default: the first)\n",
	.run = run,
};
