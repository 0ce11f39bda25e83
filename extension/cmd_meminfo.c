/*
 * cmd_meminfo.c - crash command "meminfo".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "defs.h"

#include "memscope_ext.h"
#include "error_print.h"
#include "meminfo_print.h"

char *help_meminfo[] = {
	"meminfo",
	"/proc/meminfo from the dump, and where the used memory is",
	"[-m | -s] [-p] [-n node] [--json]",
	"  Rebuilds /proc/meminfo as the kernel would have printed it (same line",
	"  names, same kB units and layout, so it diffs against a live file), with",
	"  every CPU's not yet folded vm_stat_diff added to the zone and node",
	"  counters.  A line that cannot be computed from this dump is printed with",
	"  \"?\" and the reason, never with a guessed number.",
	"",
	"  Then a summary in the spirit of \"kmem -i\": TOTAL (MemTotal), FREE",
	"  (MemFree), USED = TOTAL - FREE, and where USED is, in categories that",
	"  share no page: anon, file cache without shmem, shmem, slab reclaimable",
	"  and unreclaimable, other reclaimable kernel memory, kernel stacks, page",
	"  tables, vmalloc, percpu, hugetlb, and free pages held on per-cpu lists",
	"  (not in MemFree).  What remains is stated as \"no counter accounts for\";",
	"  it can be negative.  Shmem is counted once (it is also inside Cached and",
	"  on the anon LRU).  With CONFIG_VMAP_STACK kernel stacks are also inside",
	"  VmallocUsed: they count as kernel stacks and vmalloc is the rest.  Percpu",
	"  leaves out the boot-time first chunk, which is outside MemTotal.",
	"",
	"    -m       only the /proc/meminfo lines.",
	"    -s       only the summary.",
	"    -p       summary in pages instead of KiB/MiB/GiB.",
	"    -n node  node's view, as /sys/devices/system/node/nodeN/meminfo.",
	"    --json   one JSON document: the lines, and the summary (whole system).",
	"\nEXAMPLES",
	"  The whole system:\n",
	"    %s> meminfo -m",
	"    MemTotal:         481052 kB",
	"    MemFree:          300300 kB",
	"    MemAvailable:     300696 kB",
	"    ...",
	"",
	"  Where the used memory is:\n",
	"    %s> meminfo -s",
	"                                 FROM                                 SIZE   TOTAL",
	"      TOTAL                      MemTotal                        470.4 MiB  100.0%",
	"      FREE                       MemFree                         292.1 MiB   62.1%",
	"      USED                       TOTAL - FREE                    178.2 MiB   37.9%",
	"",
	"      where USED is:",
	"      anon                       AnonPages                        48.1 MiB   10.2%",
	"      shmem/tmpfs                Shmem                            98.8 MiB   21.0%",
	"      ...",
	"      no counter accounts for    USED - sum                        1.7 MiB    0.4%",
	"",
	"  Node 1 of a NUMA dump:\n",
	"    %s> meminfo -n 1",
	"    Node 1 MemTotal:         257464 kB",
	"    Node 1 MemFree:           93364 kB",
	"    Node 1 MemUsed:          164100 kB",
	"    ...",
	NULL
};

static void print_json(struct ms_target *t, const struct ms_meminfo *mi)
{
	ms_json_out(ms_meminfo_json(mi, t->page_shift));
}

void cmd_meminfo(void)
{
	struct ms_target *t = ms_crash_target();
	int json = ms_take_json_flag();
	int only_lines = 0, only_summary = 0, pages = 0, node = -1, c;
	struct ms_meminfo mi;
	char *end;

	while ((c = getopt(argcnt, args, "msn:p")) != EOF) {
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
				argerrs++;
			break;
		default:
			argerrs++;
			break;
		}
	}
	if (argerrs || args[optind] || (only_lines && only_summary))
		cmd_usage(pc->curcmd, SYNOPSIS);

	if (ms_report_error(t, ms_meminfo_read(t, node, &mi))) {
		fprintf(fp, "meminfo: cannot read the memory counters%s\n",
			node >= 0 ? " of that node" : "");
		return;
	}
	if (json) {
		print_json(t, &mi);
		return;
	}
	if (!only_summary)
		ms_meminfo_print_proc(fp, &mi);
	if (node >= 0 || only_lines)
		return;
	if (!only_summary)
		fputc('\n', fp);
	ms_meminfo_print_summary(fp, &mi, t->page_shift, pages);
}
