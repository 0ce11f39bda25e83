/*
 * cmd_buddyinfo.c - crash command "buddyinfo".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "defs.h"

#include "memscope_ext.h"
#include "buddy_print.h"
#include "error_print.h"
#include "fragindex_print.h"
#include "freelist_print.h"

char *help_buddyinfo[] = {
	"buddyinfo",
	"free blocks per order and zone, per migratetype, and fragmentation indexes",
	"[-m] [-v] [-u] [-f] [--json]",
	"  Without options, shows for every populated zone of every node how many",
	"  free blocks of each order the buddy allocator holds",
	"  (zone->free_area[order].nr_free), in the layout of /proc/buddyinfo, so the",
	"  output diffs against a live file.  Nothing but the counters is read.",
	"",
	"    -m  /proc/pagetypeinfo: free blocks per migratetype and order, counted",
	"        by walking every free_area[order].free_list[type] (like the kernel,",
	"        a list of 100000 entries or more prints \">100000\"; one that loops,",
	"        or leads to unreadable memory, prints \"?\" and a warning; no walk",
	"        goes on forever), then the \"Number of blocks type\" table: each",
	"        zone's pageblocks per migratetype, read from the pageblock bitmaps",
	"        of the sparse memory model (mem_section->usage->pageblock_flags)",
	"        at every pageblock_nr_pages step of the zone's span that is an",
	"        online section and a valid subsection.  A zone whose pfn range",
	"        overlaps another zone's (ZONE_MOVABLE inside Normal, interleaved",
	"        nodes) shows a note instead of numbers: the kernel checks",
	"        page_zone() there, and the zone bits of page->flags are not",
	"        decoded.  With page_owner enabled the kernel adds a \"Number of",
	"        mixed blocks\" table; it is announced as not shown.",
	"    -v  verify: walks every free list to its end (at most present_pages >>",
	"        order entries, what the zone could hold) and checks, for each order,",
	"        that the lists' lengths add up to nr_free; reports mismatches and",
	"        damaged lists (cycle, unreadable, badlink: a prev pointer that does",
	"        not point back, truncated: longer than the zone could hold).",
	"    -u  unusable free space index per order, in thousandths printed as the",
	"        kernel does (debugfs extfrag/unusable_index): the share of free",
	"        memory in blocks too small for an allocation of that order.",
	"    -f  fragmentation index per order (debugfs extfrag/extfrag_index), what",
	"        compaction consults: -1.000 means an allocation of that order would",
	"        succeed; towards 0 a failure would be for lack of memory, towards 1",
	"        for fragmentation.  Both indexes are computed from nr_free exactly",
	"        as mm/vmstat.c does (fill_contig_page_info).",
	"    --json  one JSON document: nr_free per zone, and the sections asked for",
	"        (\"pagetypeinfo\" with exact counts and no cap, and per zone",
	"        \"pageblocks\": counts per migratetype, the span walked, the",
	"        steps that were offline; \"verify\", \"unusable_index\",",
	"        \"extfrag_index\").",
	"",
	"  Several options print their sections in the order above, separated by a",
	"  blank line.",
	"\nEXAMPLES",
	"  Free blocks per order:\n",
	"    %s> buddyinfo",
	"    Node 0, zone      DMA      0      0      0      0      0      1      1      1      0      1      3 ",
	"    Node 0, zone    DMA32      2      5      3     12     11     10      8      8      2      1     66 ",
	"",
	"  Per migratetype:\n",
	"    %s> buddyinfo -m",
	"    Page block order: 9",
	"    Pages per block:  512",
	"",
	"    Free pages count per migrate type at order       0      1      2      3 ...",
	"    Node    0, zone      DMA, type    Unmovable      0      0      0      0 ...",
	"    Node    0, zone      DMA, type      Movable      0      0      0      0 ...",
	"    ...",
	"",
	"    Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic      Isolate ",
	"    Node 0, zone      DMA            1            7            0            0            0 ",
	"    Node 0, zone    DMA32            6          112            2            0            0 ",
	"",
	"  Check the free lists against the counters:\n",
	"    %s> buddyinfo -v",
	"    Node 0, zone      DMA  ok: 13 blocks on 11 x 5 lists, each order = nr_free",
	"    Node 0, zone    DMA32  ok: 1241 blocks on 11 x 5 lists, each order = nr_free",
	"    verify: 2 zones, 0 orders with a mismatch or a damaged list",
	"",
	"  Fragmentation index:\n",
	"    %s> buddyinfo -f",
	"    Node 0, zone      DMA -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 ...",
	NULL
};

struct buddy_opts {
	int json, types, verify, unusable, extfrag;
};

static void print_sep(int *first)
{
	if (!*first)
		fputc('\n', fp);
	*first = 0;
}

static void show_text(struct ms_target *t, const struct buddy_opts *o, const struct ms_buddy *b,
		      const struct ms_freelists *f)
{
	int first = 1;

	(void)t;
	if (!o->types && !o->verify && !o->unusable && !o->extfrag)
		ms_buddy_print_proc(fp, b);
	if (o->types && f) {
		print_sep(&first);
		ms_freelists_print_proc(fp, b, f);
	}
	if (o->verify && f) {
		print_sep(&first);
		ms_freelists_verify_print(fp, b, f);
	}
	if (o->unusable) {
		print_sep(&first);
		ms_frag_print(fp, b, MS_UNUSABLE_INDEX);
	}
	if (o->extfrag) {
		print_sep(&first);
		ms_frag_print(fp, b, MS_EXTFRAG_INDEX);
	}
}

static void show_json(struct ms_target *t, const struct buddy_opts *o, const struct ms_buddy *b,
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
	json_dumpf(j, fp, JSON_INDENT(2));
	fputc('\n', fp);
	json_decref(j);
}

void cmd_buddyinfo(void)
{
	struct ms_target *t = ms_crash_target();
	struct buddy_opts o = { .json = ms_take_json_flag() };
	struct ms_freelists f, *fl = NULL;
	struct ms_buddy b;
	int c;

	while ((c = getopt(argcnt, args, "mvuf")) != EOF) {
		switch (c) {
		case 'm':
			o.types = 1;
			break;
		case 'v':
			o.verify = 1;
			break;
		case 'u':
			o.unusable = 1;
			break;
		case 'f':
			o.extfrag = 1;
			break;
		default:
			argerrs++;
			break;
		}
	}
	if (argerrs || args[optind])
		cmd_usage(pc->curcmd, SYNOPSIS);

	if (ms_report_error(t, ms_buddy_read(t, &b))) {
		fprintf(fp, "buddyinfo: cannot read the zones' free areas\n");
		return;
	}
	/* The kernel's cap is only for the /proc table; JSON and verify want whole lists. */
	if (o.types || o.verify) {
		enum ms_freelist_bound mode = (o.verify || o.json) ? MS_FREELIST_FULL :
								    MS_FREELIST_PROC;

		if (!ms_report_error(t, ms_freelists_read(t, &b, mode, &f)))
			fl = &f;
		else
			fprintf(fp, "buddyinfo: cannot walk the free lists\n");
	}
	if (o.json)
		show_json(t, &o, &b, fl);
	else
		show_text(t, &o, &b, fl);
	if (fl)
		ms_freelists_free(fl);
	ms_buddy_free(&b);
}
