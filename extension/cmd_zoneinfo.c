/*
 * cmd_zoneinfo.c - crash command "zoneinfo".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "defs.h"

#include "memscope_ext.h"
#include "allocreq.h"
#include "alloccheck_print.h"
#include "error_print.h"
#include "zoneinfo_print.h"

char *help_zoneinfo[] = {
	"zoneinfo",
	"nodes and zones: sizes, watermarks, counters; why an allocation fails",
	"[-z | -a ORDER[,ZONE] [-w min|low|high] [-g GFP] [-n NODE]] [-p] [-u] [-r] [--json]",
	"  Shows every node and zone: spanned, present and managed pages, free",
	"  pages, the min/low/high watermarks (watermark_boost included, as the",
	"  kernel's wmark_pages()), the boost, lowmem_reserve[] and the pages",
	"  sitting on the per-cpu page lists.  Counters are exact: each CPU's",
	"  not yet folded vm_stat_diff is added, as after vm.stat_refresh.",
	"",
	"    -z  the layout of /proc/zoneinfo (mm/vmstat.c zoneinfo_show_print),",
	"        to diff against a live system's file.",
	"    -p  pages instead of KiB/MiB/GiB in the table.",
	"    -u  the table lists unpopulated zones too.",
	"    -r  counters without the per-cpu deltas (the atomics alone).",
	"",
	"  Allocation check: -a ORDER[,ZONE] replays the page allocator's zone",
	"  choice (get_page_from_freelist, __zone_watermark_ok): it walks the",
	"  node's fallback zonelist for zones up to ZONE (name or index; default",
	"  Normal, Movable for -g movable) and shows, per zone, the free pages, the",
	"  pages it may not use (order, high-atomic reserve, free CMA), the",
	"  watermark in force, lowmem_reserve[ZONE], the free blocks at or above",
	"  ORDER, and whether the check passes, with the reason when it does not.",
	"    -w  watermark: low (default; the fast path), min (the slow path, with",
	"        the reserves the gfp mask grants), high.",
	"    -g  kernel (default), high (__GFP_HIGH), nowait, atomic, movable,",
	"        oom (an OOM victim).",
	"    -n  the node whose zonelist is walked (default: the first node).",
	"",
	"    --json  one JSON document instead of the text.",
	"\nEXAMPLES",
	"  Zones in human units:\n",
	"    %s> zoneinfo",
	"    NODE ZONE      SPANNED  PRESENT  MANAGED     FREE      MIN      LOW     HIGH    BOOST      PCP  LOWMEM_RESERVE (pages)",
	"       0 DMA         16.0M    15.6M    15.0M    14.9M      88K     108K     128K       0K       0K  0 195 195 195 195",
	"       0 DMA32      240.0M   240.0M   203.9M   186.1M     1.1M     1.4M     1.7M       0K     2.7M  0 0 0 0 0",
	"",
	"  Would an order-3 GFP_KERNEL allocation pass the low watermark?\n",
	"    %s> zoneinfo -a 3",
	"    order-3 allocation, gfp kernel, highest zone Normal (2), zonelist of node 0",
	"    watermark low (the fast path's first attempt), alloc_flags none",
	"    ...",
	"    NODE ZONE         FREE  UNUSABLE   BOOST    MARK  RESERVE     NEED  BLOCKS>=3  RESULT",
	"       0 DMA32       47640         7       0     363        0      363          72 ok",
	"       0 DMA          3808         7       0      27      195      222           7 ok",
	"       1 DMA32       23341         7       0     465        0      465          37 ok",
	"",
	"    first zone that passes: node 0 DMA32",
	"",
	"  The exact /proc/zoneinfo text:\n",
	"    %s> zoneinfo -z",
	NULL
};

static void run_check(struct ms_target *t, const struct ms_zoneinfo *zi, const char *arg,
		      struct ms_alloc_req *req, int json)
{
	struct ms_alloc_check c;
	char err[128];

	if (ms_alloc_req_parse(zi, arg, req, err, sizeof(err))) {
		fprintf(fp, "zoneinfo: %s\n", err);
		return;
	}
	if (ms_report_error(t, ms_alloc_check(t, zi, req, &c))) {
		fprintf(fp, "zoneinfo: no allocation check (see the warning above)\n");
		return;
	}
	if (json)
		ms_json_out(ms_alloc_check_json(&c));
	else
		ms_alloc_check_print(fp, &c);
	ms_alloc_check_free(&c);
}

void cmd_zoneinfo(void)
{
	struct ms_target *t = ms_crash_target();
	int json = ms_take_json_flag();
	struct ms_zi_print_opts o = { 0 };
	struct ms_alloc_req req = { 0, -1, -1, MS_WMARK_LOW, MS_GFP_KERNEL };
	struct ms_zoneinfo zi;
	const char *check = NULL;
	int proc = 0, c;

	while ((c = getopt(argcnt, args, "zpura:w:g:n:")) != EOF) {
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
				argerrs++;
			break;
		case 'g':
			if (ms_gfp_kind_parse(optarg, &req.gfp))
				argerrs++;
			break;
		case 'n':
			req.nid = atoi(optarg);
			break;
		default:
			argerrs++;
			break;
		}
	}
	if (argerrs || args[optind] || (proc && check))
		cmd_usage(pc->curcmd, SYNOPSIS);

	if (ms_report_error(t, ms_zoneinfo_read(t, &zi))) {
		fprintf(fp, "zoneinfo: cannot read the nodes' zones\n");
		return;
	}
	if (check)
		run_check(t, &zi, check, &req, json);
	else if (json)
		ms_json_out(ms_zoneinfo_json(&zi, ms_page_size(t), &o));
	else if (proc)
		ms_zoneinfo_print_proc(fp, &zi, &o);
	else
		ms_zoneinfo_print_table(fp, &zi, t->page_shift, &o);
	ms_zoneinfo_free(&zi);
}
