/*
 * cmd_buddyinfo.c - crash command "buddyinfo".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "defs.h"

#include "memscope_ext.h"
#include "../lib/buddy.h"

char *help_buddyinfo[] = {
	"buddyinfo",
	"free blocks per order in each zone, as /proc/buddyinfo",
	"[--json]",
	"  Shows, for every populated zone of every node, how many free blocks of",
	"  each order the buddy allocator holds (zone->free_area[order].nr_free),",
	"  in the layout of /proc/buddyinfo, so the output diffs against a live file.",
	"",
	"    --json  one JSON document instead of the table.",
	"\nEXAMPLES",
	"  Free blocks per order:\n",
	"    %s> buddyinfo",
	"    Node 0, zone      DMA      0      0      0      0      0      1      1      1      0      1      3 ",
	"    Node 0, zone    DMA32      2      5      3     12     11     10      8      8      2      1     66 ",
	NULL
};

void cmd_buddyinfo(void)
{
	struct ms_target *t = ms_crash_target();
	int json = ms_take_json_flag();
	struct ms_buddy b;
	int c;

	while ((c = getopt(argcnt, args, "")) != EOF)
		argerrs++;
	if (argerrs || args[optind])
		cmd_usage(pc->curcmd, SYNOPSIS);

	if (ms_buddy_read(t, &b)) {
		fprintf(fp, "buddyinfo: cannot read the zones' free areas\n");
		return;
	}
	if (json) {
		json_t *j = ms_buddy_json(&b, ms_page_size(t));

		json_dumpf(j, fp, JSON_INDENT(2));
		fputc('\n', fp);
		json_decref(j);
	} else {
		ms_buddy_print_proc(fp, &b);
	}
	ms_buddy_free(&b);
}
