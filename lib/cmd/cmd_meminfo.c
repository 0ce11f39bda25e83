/*
 * cmd_meminfo.c - meminfo: /proc/meminfo from the dump, and where USED is.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>

#include "command.h"
#include "memcg_print.h"
#include "meminfo_print.h"

/* MAX_NUMNODES = 1 << CONFIG_NODES_SHIFT, at most 10 (include/linux/numa.h). */
#define MS_NODE_MAX 1023

struct meminfo_opts {
	bool lines, summary, pages;
	long node;			/* -1: the whole system */
};

static struct ms_error *run(struct ms_cmd_ctx *ctx, const void *opts)
{
	const struct meminfo_opts *o = opts;
	struct ms_target *t = ctx->target;
	struct ms_meminfo mi;
	struct ms_uncounted u, *up = NULL;
	struct ms_memcg_tree cg = { 0 }, *cgp = NULL;

	struct ms_error *err = ms_meminfo_read(t, (int)o->node, &mi);

	if (err)
		return ms_error_wrap(err, "cannot read the memory counters%s",
				     o->node >= 0 ? " of that node" : "");
	/* The consumers outside the counters: the whole system's remainder only. */
	if (o->node < 0 && !o->lines && mi.bd.ok) {
		if ((err = ms_uncounted_read(t, &u)))
			return err;
		ms_uncounted_split(&u, mi.bd.unaccounted);
		up = &u;
		/* Dying memory cgroups: their pages are in the categories, so a
		 * note, not a part of the remainder.  No tree (an unreadable
		 * root, no memcg) leaves the note out: memcg says why. */
		struct ms_error *cerr = ms_memcg_read_ex(t, &cg, false);

		if (cerr)
			ms_error_destroy(cerr);
		else
			cgp = &cg;
	}
	if (ctx->json) {
		json_t *j = ms_meminfo_json_u(&mi, up, t->page_shift);
		json_t *dn = cgp ? ms_memcg_dying_note_json(cgp) : NULL;

		if (dn && json_object_get(j, "summary"))
			json_object_set_new(json_object_get(j, "summary"), "dying_memcgs", dn);
		else if (dn)
			json_decref(dn);
		ms_cmd_json_out(ctx, j, MS_CMD_JSON_FLAGS);
	} else {
		if (!o->summary)
			ms_meminfo_print_proc(ctx->out, &mi);
		if (o->node < 0 && !o->lines) {
			if (!o->summary)
				fputc('\n', ctx->out);
			ms_meminfo_print_summary_u(ctx->out, &mi, up, t->page_shift, o->pages);
			if (cgp)
				ms_memcg_print_dying_note(ctx->out, cgp, t->page_shift, o->pages);
		}
	}
	if (up)
		ms_uncounted_free(up);
	if (cgp)
		ms_memcg_free(cgp);
	return NULL;
}

static const struct ms_option options[] = {
	MS_FLAG('m', NULL, struct meminfo_opts, lines),
	MS_FLAG('s', NULL, struct meminfo_opts, summary),
	MS_FLAG('p', NULL, struct meminfo_opts, pages),
	MS_NUMBER('n', NULL, "NODE", struct meminfo_opts, node, 0, MS_NODE_MAX),
	MS_OPT_END,
};

static const struct ms_example examples[] = {
	{ "The whole system:", "-m",
	  "MemTotal:         481052 kB\n"
	  "MemFree:          300300 kB\n"
	  "MemAvailable:     300696 kB\n"
	  "..." },
	{ "Where the used memory is:", "-s",
	  "                             FROM                                 SIZE   TOTAL\n"
	  "  TOTAL                      MemTotal                        470.4 MiB  100.0%\n"
	  "  FREE                       MemFree                         292.1 MiB   62.1%\n"
	  "  USED                       TOTAL - FREE                    178.2 MiB   37.9%\n"
	  "\n"
	  "  where USED is:\n"
	  "  anon                       AnonPages                        48.1 MiB   10.2%\n"
	  "  shmem/tmpfs                Shmem                            98.8 MiB   21.0%\n"
	  "  ...\n"
	  "  no counter accounts for    USED - sum                        1.7 MiB    0.4%" },
	{ "Pipes full of unread data, in the remainder:", "-s",
	  "  ...\n"
	  "  sum of the above                                            41.1 MiB    8.8%\n"
	  "  no counter accounts for    USED - sum                       10.7 MiB    2.3%\n"
	  "    pipe buffers             pipe_inode_info.bufs              8.1 MiB    1.7%\n"
	  "                             held by: pipehold (pid 106) 8.1 MiB\n"
	  "    socket buffers           proto.memory_allocated            332 KiB    0.1%\n"
	  "                             (at most: part of it may be in a counter above)\n"
	  "                             held by: sockhold (pid 107) 332 KiB\n"
	  "    dma-buf buffers          dma_buf.size                        0 KiB    0.0%\n"
	  "    balloon pages            virtio_balloon                          -    (virtio_balloon not loaded)\n"
	  "    zsmalloc pools           zs_pool.pages_allocated                 -    (zsmalloc not loaded)\n"
	  "  unexplained                the remainder - the above         2.3 MiB    0.5%" },
	{ "Node 1 of a NUMA dump:", "-n 1",
	  "Node 1 MemTotal:         257464 kB\n"
	  "Node 1 MemFree:           93364 kB\n"
	  "Node 1 MemUsed:          164100 kB\n"
	  "..." },
	{ 0 },
};

const struct ms_command ms_cmd_meminfo = {
	.name = "meminfo",
	.summary = "/proc/meminfo from the dump, and where the used memory is",
	.synopsis = "[-m | -s] [-p] [-n NODE] [--json]",
	.operands = { [MS_FRONT_CRASH] = { "", 0, 0 }, [MS_FRONT_CLI] = { "DUMP", 1, 1 } },
	.options = options,
	.excludes = "ms",
	.opts_size = sizeof(struct meminfo_opts),
	.defaults = &(const struct meminfo_opts){ .node = -1 },
	.description =
	"Rebuilds /proc/meminfo as the kernel would have printed it (same line\n"
	"names, same kB units and layout, so it diffs against a live file), with\n"
	"every CPU's not yet folded vm_stat_diff added to the zone and node\n"
	"counters.  A line that cannot be computed from this dump is printed with\n"
	"\"?\" and the reason, never with a guessed number.\n"
	"\n"
	"Then a summary in the spirit of crash's \"kmem -i\": TOTAL (MemTotal), FREE\n"
	"(MemFree), USED = TOTAL - FREE, and where USED is, in categories that\n"
	"share no page: anon, file cache without shmem, shmem, slab reclaimable\n"
	"and unreclaimable, other reclaimable kernel memory, kernel stacks, page\n"
	"tables, vmalloc, percpu, hugetlb, and free pages held on per-cpu lists\n"
	"(not in MemFree).  What remains is stated as \"no counter accounts for\";\n"
	"it can be negative.  Shmem is counted once (it is also inside Cached and\n"
	"on the anon LRU).  With CONFIG_VMAP_STACK kernel stacks are also inside\n"
	"VmallocUsed: they count as kernel stacks and vmalloc is the rest.  Percpu\n"
	"leaves out the boot-time first chunk, which is outside MemTotal.\n"
	"\n"
	"The remainder is then split into the consumers the kernel keeps outside\n"
	"every counter, each read from its own structures: pipe buffers (each\n"
	"pipe's ring, from the processes' open files), socket buffers (the\n"
	"protocols' memory_allocated with the per-cpu reserves; at most, since skb\n"
	"heads are slab), dma-bufs by exporter, balloon and zsmalloc pages (\"-\"\n"
	"with the reason when the driver is not loaded), with the largest\n"
	"holders.  \"unexplained\" is what is left after them.  See the pipes,\n"
	"sockstat and vmallocinfo commands for the details.\n"
	"\n"
	"  -m       only the /proc/meminfo lines.\n"
	"  -s       only the summary.\n"
	"  -p       the summary in pages instead of KiB/MiB/GiB.\n"
	"  -n NODE  the node's view, as /sys/devices/system/node/nodeN/meminfo.\n"
	"  --json   one JSON document: the lines, and the summary (whole system).",
	.examples = examples,
	.run = run,
	.json_version = 2,	/* 2: summary.uncounted */
};
