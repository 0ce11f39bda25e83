/*
 * cmd_slabinfo.c - crash command "slabinfo".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "defs.h"

#include "memscope_ext.h"
#include "slab_print.h"

#define DEFAULT_TOP 20

char *help_slabinfo[] = {
	"slabinfo",
	"SLUB memory per slab cache, from the allocator's counters",
	"[-p | -a | -n count] [--json]",
	"  Shows how much memory each slab cache holds, read from the counters the",
	"  kernel keeps per cache and node (kmem_cache_node nr_slabs, total_objects)",
	"  rather than by walking every slab, so it is quick on any dump.  Free",
	"  objects are counted on the node partial lists, as /proc/slabinfo does;",
	"  free objects on per-cpu slabs count as active there and here.",
	"",
	"  By default the biggest caches by memory (slabs << order pages), then the",
	"  total of all caches and meminfo's Slab: since 5.x Slab also counts large",
	"  kmalloc() pages that come straight from the page allocator and belong to",
	"  no cache, shown as \"slab pages in no cache\".",
	"",
	"    -n count  show the count biggest caches (default 20).",
	"    -a        show every cache.",
	"    -p        /proc/slabinfo's exact layout, every cache in slab_caches",
	"              order (merged caches appear once, under the name /proc shows).",
	"    --json    one JSON document with every cache and its per-node counters.",
	"\nEXAMPLES",
	"  The biggest caches:\n",
	"    %s> slabinfo -n 3",
	"    CACHE                    OBJSIZE    ACTIVE      OBJS   SLABS PG/SLAB     MEMORY  USE%",
	"    inode_cache                  600      3975      4004     154       4    2.4 MiB   99%",
	"    kernfs_node_cache            128     17050     17056     533       1    2.1 MiB   99%",
	"    dentry                       192      8705      8778     418       1    1.6 MiB   99%",
	"    (152 more caches)                                                     8.7 MiB",
	"",
	"    caches total (155 caches)                                            14.8 MiB",
	"    slab pages in no cache (large kmalloc)                                900 KiB",
	"    Slab (meminfo: SReclaimable + SUnreclaim)                            15.7 MiB",
	"",
	"  As the guest's /proc/slabinfo:\n",
	"    %s> slabinfo -p",
	"    slabinfo - version: 2.1",
	"    # name            <active_objs> <num_objs> <objsize> <objperslab> ...",
	"    dentry              8705   8778    192   21    1 : tunables    0    0    0 : slabdata    418    418      0",
	NULL
};

void cmd_slabinfo(void)
{
	struct ms_target *t = ms_crash_target();
	int json = ms_take_json_flag();
	int proc = 0, c;
	unsigned int top = DEFAULT_TOP;
	struct ms_error *err;
	struct ms_slab s;

	while ((c = getopt(argcnt, args, "pan:")) != EOF) {
		switch (c) {
		case 'p':
			proc = 1;
			break;
		case 'a':
			top = 0;
			break;
		case 'n':
			top = (unsigned int)stol(optarg, FAULT_ON_ERROR, NULL);
			break;
		default:
			argerrs++;
			break;
		}
	}
	if (argerrs || args[optind])
		cmd_usage(pc->curcmd, SYNOPSIS);

	err = ms_slab_read(t, &s);
	if (err) {
		fprintf(fp, "slabinfo: cannot read the slab caches: %s\n", ms_error_string(err));
		ms_error_destroy(err);
		return;
	}
	if (json) {
		ms_json_out(ms_slab_json(&s, t->page_shift));
	} else if (proc) {
		ms_slab_print_proc(fp, &s);
	} else {
		ms_slab_print_top(fp, &s, t->page_shift, top);
	}
	ms_slab_free(&s);
}
