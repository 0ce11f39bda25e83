/*
 * cmd_buddyinfo.c - buddyinfo: free blocks per order, per migratetype, and
 * the fragmentation indexes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>

#include "command.h"
#include "buddy_print.h"
#include "fragindex_print.h"
#include "freelist_print.h"

struct buddy_opts {
	bool types, verify, unusable, extfrag;
};

/* Sections in the order the help gives, a blank line between two. */
static void sep(FILE *out, bool *first)
{
	if (!*first)
		fputc('\n', out);
	*first = false;
}

static void show_text(FILE *out, const struct buddy_opts *o, const struct ms_buddy *b,
		      const struct ms_freelists *f)
{
	bool first = true;

	if (!o->types && !o->verify && !o->unusable && !o->extfrag)
		ms_buddy_print_proc(out, b);
	if (o->types && f) {
		sep(out, &first);
		ms_freelists_print_proc(out, b, f);
	}
	if (o->verify && f) {
		sep(out, &first);
		ms_freelists_verify_print(out, b, f);
	}
	if (o->unusable) {
		sep(out, &first);
		ms_frag_print(out, b, MS_UNUSABLE_INDEX);
	}
	if (o->extfrag) {
		sep(out, &first);
		ms_frag_print(out, b, MS_EXTFRAG_INDEX);
	}
}

static json_t *to_json(struct ms_target *t, const struct buddy_opts *o, const struct ms_buddy *b,
		       const struct ms_freelists *f)
{
	json_t *j = ms_buddy_json(b, ms_page_size(t));

	if (o->types && f)
		json_object_set_new(j, "pagetypeinfo", ms_freelists_json(b, f));
	if (o->verify && f)
		json_object_set_new(j, "verify", ms_freelists_verify_json(b, f));
	if (o->unusable)
		json_object_set_new(j, "unusable_index", ms_frag_json(b, MS_UNUSABLE_INDEX));
	if (o->extfrag)
		json_object_set_new(j, "extfrag_index", ms_frag_json(b, MS_EXTFRAG_INDEX));
	return j;
}

static struct ms_error *run(struct ms_cmd_ctx *ctx, const void *opts)
{
	const struct buddy_opts *o = opts;
	struct ms_target *t = ctx->target;
	struct ms_freelists f, *fl = NULL;
	struct ms_buddy b;
	struct ms_error *err = ms_buddy_read(t, &b);

	if (err)
		return ms_error_wrap(err, "cannot read the zones' free areas");
	/* The kernel's cap is only for the /proc table; JSON and verify want whole lists. */
	if (o->types || o->verify) {
		enum ms_freelist_bound mode = (o->verify || ctx->json) ? MS_FREELIST_FULL :
									 MS_FREELIST_PROC;

		ms_cmd_progress(ctx, "walking the free lists");
		err = ms_freelists_read(t, &b, mode, &f);
		if (!err)
			fl = &f;
		else
			ms_cmd_report(ctx, ms_error_wrap(err, "cannot walk the free lists"));
		ms_cmd_progress_done(ctx);
	}
	if (ctx->json)
		ms_cmd_json_out(ctx, to_json(t, o, &b, fl), MS_CMD_JSON_FLAGS);
	else
		show_text(ctx->out, o, &b, fl);
	if (fl)
		ms_freelists_free(fl);
	ms_buddy_free(&b);
	return NULL;
}

static const struct ms_option options[] = {
	MS_FLAG('m', NULL, struct buddy_opts, types),
	MS_FLAG('v', NULL, struct buddy_opts, verify),
	MS_FLAG('u', NULL, struct buddy_opts, unusable),
	MS_FLAG('f', NULL, struct buddy_opts, extfrag),
	MS_OPT_END,
};

static const struct ms_example examples[] = {
	{ "Free blocks per order:", "",
	  "Node 0, zone      DMA      0      0      0      0      0      1      1      1      0      1      3 \n"
	  "Node 0, zone    DMA32      2      5      3     12     11     10      8      8      2      1     66 " },
	{ "Per migratetype:", "-m",
	  "Page block order: 9\n"
	  "Pages per block:  512\n"
	  "\n"
	  "Free pages count per migrate type at order       0      1      2      3 ...\n"
	  "Node    0, zone      DMA, type    Unmovable      0      0      0      0 ...\n"
	  "Node    0, zone      DMA, type      Movable      0      0      0      0 ...\n"
	  "...\n"
	  "\n"
	  "Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic      Isolate \n"
	  "Node 0, zone      DMA            1            7            0            0            0 \n"
	  "Node 0, zone    DMA32            6          112            2            0            0 " },
	{ "Check the free lists against the counters:", "-v",
	  "Node 0, zone      DMA  ok: 13 blocks on 11 x 5 lists, each order = nr_free\n"
	  "Node 0, zone    DMA32  ok: 1241 blocks on 11 x 5 lists, each order = nr_free\n"
	  "verify: 2 zones, 0 orders with a mismatch or a damaged list" },
	{ "Fragmentation index:", "-f",
	  "Node 0, zone      DMA -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 ..." },
	{ 0 },
};

const struct ms_command ms_cmd_buddyinfo = {
	.name = "buddyinfo",
	.summary = "free blocks per order and zone, per migratetype, and fragmentation indexes",
	.synopsis = "[-m] [-v] [-u] [-f] [--json]",
	.operands = { [MS_FRONT_CRASH] = { "", 0, 0 }, [MS_FRONT_CLI] = { "DUMP", 1, 1 } },
	.options = options,
	.opts_size = sizeof(struct buddy_opts),
	.defaults = &(const struct buddy_opts){ 0 },
	.description =
	"Without options, shows for every populated zone of every node how many\n"
	"free blocks of each order the buddy allocator holds\n"
	"(zone->free_area[order].nr_free), in the layout of /proc/buddyinfo, so the\n"
	"output diffs against a live file.  Nothing but the counters is read.\n"
	"\n"
	"  -m  /proc/pagetypeinfo: free blocks per migratetype and order, counted\n"
	"      by walking every free_area[order].free_list[type] (like the kernel,\n"
	"      a list of 100000 entries or more prints \">100000\"; one that loops,\n"
	"      or leads to unreadable memory, prints \"?\" and a warning; no walk\n"
	"      goes on forever), then the \"Number of blocks type\" table: each\n"
	"      zone's pageblocks per migratetype, read from the pageblock bitmaps\n"
	"      of the sparse memory model (mem_section->usage->pageblock_flags)\n"
	"      at every pageblock_nr_pages step of the zone's span that is an\n"
	"      online section and a valid subsection.  A zone whose pfn range\n"
	"      overlaps another zone's (ZONE_MOVABLE inside Normal, interleaved\n"
	"      nodes) shows a note instead of numbers: the kernel checks\n"
	"      page_zone() there, and the zone bits of page->flags are not\n"
	"      decoded.  With page_owner enabled the kernel adds a \"Number of\n"
	"      mixed blocks\" table; it is announced as not shown.\n"
	"  -v  verify: walks every free list to its end (at most present_pages >>\n"
	"      order entries, what the zone could hold) and checks, for each order,\n"
	"      that the lists' lengths add up to nr_free; reports mismatches and\n"
	"      damaged lists (cycle, unreadable, badlink: a prev pointer that does\n"
	"      not point back, truncated: longer than the zone could hold).\n"
	"  -u  unusable free space index per order, in thousandths printed as the\n"
	"      kernel does (debugfs extfrag/unusable_index): the share of free\n"
	"      memory in blocks too small for an allocation of that order.\n"
	"  -f  fragmentation index per order (debugfs extfrag/extfrag_index), what\n"
	"      compaction consults: -1.000 means an allocation of that order would\n"
	"      succeed; towards 0 a failure would be for lack of memory, towards 1\n"
	"      for fragmentation.  Both indexes are computed from nr_free exactly\n"
	"      as mm/vmstat.c does (fill_contig_page_info).\n"
	"  --json  one JSON document: nr_free per zone, and the sections asked for\n"
	"      (\"pagetypeinfo\" with exact counts and no cap, and per zone\n"
	"      \"pageblocks\": counts per migratetype, the span walked, the\n"
	"      steps that were offline; \"verify\", \"unusable_index\",\n"
	"      \"extfrag_index\").\n"
	"\n"
	"Several options print their sections in the order above, separated by a\n"
	"blank line.",
	.examples = examples,
	.run = run,
};
