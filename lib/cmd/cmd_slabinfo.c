/*
 * cmd_slabinfo.c - slabinfo: SLUB memory per cache, from its counters.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <limits.h>
#include <stddef.h>

#include "command.h"
#include "slab_print.h"

struct slabinfo_opts {
	bool proc;
	long top;			/* the biggest caches shown; 0: all (-a) */
};

static struct ms_error *run(struct ms_cmd_ctx *ctx, const void *opts)
{
	const struct slabinfo_opts *o = opts;
	struct ms_target *t = ctx->target;
	struct ms_slab s;

	struct ms_error *err = ms_slab_read(t, &s);

	if (err)
		return ms_error_wrap(err, "cannot read the slab caches");
	if (ctx->json)
		ms_cmd_json_out(ctx, ms_slab_json(&s, t->page_shift), MS_CMD_JSON_FLAGS);
	else if (o->proc)
		ms_slab_print_proc(ctx->out, &s);
	else
		ms_slab_print_top(ctx->out, &s, t->page_shift, (unsigned int)o->top);
	ms_slab_free(&s);
	return NULL;
}

static const struct ms_option options[] = {
	MS_FLAG('p', NULL, struct slabinfo_opts, proc),
	MS_CONST('a', NULL, struct slabinfo_opts, top, 0),
	MS_NUMBER('n', NULL, "COUNT", struct slabinfo_opts, top, 0, UINT_MAX),
	MS_OPT_END,
};

static const struct ms_example examples[] = {
	{ "The biggest caches:", "-n 3",
	  "CACHE                    OBJSIZE    ACTIVE      OBJS   SLABS PG/SLAB     MEMORY  USE%\n"
	  "inode_cache                  600      3975      4004     154       4    2.4 MiB   99%\n"
	  "kernfs_node_cache            128     17050     17056     533       1    2.1 MiB   99%\n"
	  "dentry                       192      8705      8778     418       1    1.6 MiB   99%\n"
	  "(152 more caches)                                                     8.7 MiB\n"
	  "\n"
	  "caches total (155 caches)                                            14.8 MiB\n"
	  "slab pages in no cache (large kmalloc)                                900 KiB\n"
	  "Slab (meminfo: SReclaimable + SUnreclaim)                            15.7 MiB" },
	{ "As the guest's /proc/slabinfo:", "-p",
	  "slabinfo - version: 2.1\n"
	  "# name            <active_objs> <num_objs> <objsize> <objperslab> ...\n"
	  "dentry              8705   8778    192   21    1 : tunables    0    0    0 : slabdata    418    418      0" },
	{ 0 },
};

const struct ms_command ms_cmd_slabinfo = {
	.name = "slabinfo",
	.summary = "SLUB memory per slab cache, from the allocator's counters",
	.synopsis = "[-p | -a | -n COUNT] [--json]",
	.operands = { [MS_FRONT_CRASH] = { "", 0, 0 }, [MS_FRONT_CLI] = { "DUMP", 1, 1 } },
	.options = options,
	.opts_size = sizeof(struct slabinfo_opts),
	.defaults = &(const struct slabinfo_opts){ .top = 20 },
	.description =
	"Shows how much memory each slab cache holds, read from the counters the\n"
	"kernel keeps per cache and node (kmem_cache_node nr_slabs, total_objects)\n"
	"rather than by walking every slab, so it is quick on any dump.  Free\n"
	"objects are counted on the node partial lists, as /proc/slabinfo does;\n"
	"free objects on per-cpu slabs count as active there and here.\n"
	"\n"
	"By default the biggest caches by memory (slabs << order pages), then the\n"
	"total of all caches and meminfo's Slab: since 5.x Slab also counts large\n"
	"kmalloc() pages that come straight from the page allocator and belong to\n"
	"no cache, shown as \"slab pages in no cache\".\n"
	"\n"
	"  -n COUNT  show the COUNT biggest caches (default 20; 0: all).\n"
	"  -a        show every cache.\n"
	"  -p        /proc/slabinfo's exact layout, every cache in slab_caches\n"
	"            order (merged caches appear once, under the name /proc shows).\n"
	"  --json    one JSON document with every cache and its per-node counters.",
	.examples = examples,
	.run = run,
};
