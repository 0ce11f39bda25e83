/*
 * cmd_zoneinfo.c - zoneinfo: nodes and zones, and the allocation check.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>

#include "command.h"
#include "allocreq.h"
#include "alloccheck_print.h"
#include "zoneinfo_print.h"

/* MAX_NUMNODES = 1 << CONFIG_NODES_SHIFT, at most 10 (include/linux/numa.h). */
#define MS_NODE_MAX 1023

struct zoneinfo_opts {
	bool proc;
	struct ms_zi_print_opts print;
	struct ms_alloc_arg check;
	enum ms_wmark wmark;
	enum ms_gfp_kind gfp;
	long node;			/* -1: the first node */
};

static struct ms_error *run_check(struct ms_cmd_ctx *ctx, const struct ms_zoneinfo *zi,
				  const struct zoneinfo_opts *o)
{
	struct ms_alloc_req req = { o->check.order, -1, (int)o->node, o->wmark, o->gfp };
	struct ms_alloc_check c;
	struct ms_error *err;
	char q[64];

	if (o->check.zone) {
		req.highest_zoneidx = ms_zone_parse(zi, o->check.zone);
		if (req.highest_zoneidx < 0)
			return ms_cmd_usage_error(ctx->cmd, 'a', "unknown zone %s",
						  ms_cmd_quote(q, sizeof(q), o->check.zone));
	}
	err = ms_alloc_check(ctx->target, zi, &req, &c);
	if (err)
		return ms_error_wrap(err, "no allocation check");
	if (ctx->json)
		ms_cmd_json_out(ctx, ms_alloc_check_json(&c), MS_CMD_JSON_FLAGS);
	else
		ms_alloc_check_print(ctx->out, &c);
	ms_alloc_check_free(&c);
	return NULL;
}

static struct ms_error *run(struct ms_cmd_ctx *ctx, const void *opts)
{
	const struct zoneinfo_opts *o = opts;
	struct ms_target *t = ctx->target;
	struct ms_error *err = NULL;
	struct ms_zoneinfo zi;

	err = ms_zoneinfo_read(t, &zi);
	if (err)
		return ms_error_wrap(err, "cannot read the nodes' zones");
	if (o->check.given)
		err = run_check(ctx, &zi, o);
	else if (ctx->json)
		ms_cmd_json_out(ctx, ms_zoneinfo_json(&zi, ms_page_size(t), &o->print),
				MS_CMD_JSON_FLAGS);
	else if (o->proc)
		ms_zoneinfo_print_proc(ctx->out, &zi, &o->print);
	else
		ms_zoneinfo_print_table(ctx->out, &zi, t->page_shift, &o->print);
	ms_zoneinfo_free(&zi);
	return err;
}

#define OPTS struct zoneinfo_opts
static const struct ms_option options[] = {
	MS_FLAG('z', NULL, OPTS, proc),
	MS_FLAG('p', NULL, OPTS, print.pages),
	MS_FLAG('u', NULL, OPTS, print.all),
	MS_FLAG('r', NULL, OPTS, print.atomic_only),
	MS_CUSTOM('a', NULL, "ORDER[,ZONE]", OPTS, check, ms_alloc_arg_parse),
	MS_CUSTOM('w', NULL, "MARK", OPTS, wmark, ms_wmark_arg_parse),
	MS_CUSTOM('g', NULL, "GFP", OPTS, gfp, ms_gfp_arg_parse),
	MS_NUMBER('n', NULL, "NODE", OPTS, node, 0, MS_NODE_MAX),
	MS_OPT_END,
};
#undef OPTS

static const struct ms_example examples[] = {
	{ "Zones in human units:", "",
	  "NODE ZONE      SPANNED  PRESENT  MANAGED     FREE      MIN      LOW     HIGH    BOOST      PCP  LOWMEM_RESERVE (pages)\n"
	  "   0 DMA         16.0M    15.6M    15.0M    14.9M      88K     108K     128K       0K       0K  0 195 195 195 195\n"
	  "   0 DMA32      240.0M   240.0M   203.9M   186.1M     1.1M     1.4M     1.7M       0K     2.7M  0 0 0 0 0" },
	{ "Would an order-3 GFP_KERNEL allocation pass the low watermark?", "-a 3",
	  "order-3 allocation, gfp kernel, highest zone Normal (2), zonelist of node 0\n"
	  "watermark low (the fast path's first attempt), alloc_flags none\n"
	  "...\n"
	  "NODE ZONE         FREE  UNUSABLE   BOOST    MARK  RESERVE     NEED  BLOCKS>=3  RESULT\n"
	  "   0 DMA32       47640         7       0     363        0      363          72 ok\n"
	  "   0 DMA          3808         7       0      27      195      222           7 ok\n"
	  "   1 DMA32       23341         7       0     465        0      465          37 ok\n"
	  "\n"
	  "first zone that passes: node 0 DMA32" },
	{ "The exact /proc/zoneinfo text:", "-z", NULL },
	{ 0 },
};

const struct ms_command ms_cmd_zoneinfo = {
	.name = "zoneinfo",
	.summary = "nodes and zones: sizes, watermarks, counters; why an allocation fails",
	.synopsis = "[-z | -a ORDER[,ZONE] [-w MARK] [-g GFP] [-n NODE]] [-p] [-u] [-r] [--json]",
	.operands = { [MS_FRONT_CRASH] = { "", 0, 0 }, [MS_FRONT_CLI] = { "DUMP", 1, 1 } },
	.options = options,
	.excludes = "za",
	.opts_size = sizeof(struct zoneinfo_opts),
	.defaults = &(const struct zoneinfo_opts){ .wmark = MS_WMARK_LOW, .gfp = MS_GFP_KERNEL,
						   .node = -1 },
	.description =
	"Shows every node and zone: spanned, present and managed pages, free\n"
	"pages, the min/low/high watermarks (watermark_boost included, as the\n"
	"kernel's wmark_pages()), the boost, lowmem_reserve[] and the pages\n"
	"sitting on the per-cpu page lists.  Counters are exact: each CPU's\n"
	"not yet folded vm_stat_diff is added, as after vm.stat_refresh.\n"
	"\n"
	"  -z  the layout of /proc/zoneinfo (mm/vmstat.c zoneinfo_show_print),\n"
	"      to diff against a live system's file.\n"
	"  -p  pages instead of KiB/MiB/GiB in the table.\n"
	"  -u  the table lists unpopulated zones too.\n"
	"  -r  counters without the per-cpu deltas (the atomics alone).\n"
	"\n"
	"Allocation check: -a ORDER[,ZONE] replays the page allocator's zone\n"
	"choice (get_page_from_freelist, __zone_watermark_ok): it walks the\n"
	"node's fallback zonelist for zones up to ZONE (name or index; default\n"
	"Normal, Movable for -g movable) and shows, per zone, the free pages, the\n"
	"pages it may not use (order, high-atomic reserve, free CMA), the\n"
	"watermark in force, lowmem_reserve[ZONE], the free blocks at or above\n"
	"ORDER, and whether the check passes, with the reason when it does not.\n"
	"  -w MARK  low (default; the fast path), min (the slow path, with the\n"
	"           reserves the gfp mask grants), high.\n"
	"  -g GFP   kernel (default), high (__GFP_HIGH), nowait, atomic, movable,\n"
	"           oom (an OOM victim).\n"
	"  -n NODE  the node whose zonelist is walked (default: the first node).\n"
	"\n"
	"  --json  one JSON document instead of the text.",
	.examples = examples,
	.run = run,
};
