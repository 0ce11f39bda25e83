/*
 * cmd_pages.c - pages: a census of every page, each class against its counter.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "census_print.h"
#include "command.h"
#include "page_owner_print.h"

struct pages_opts {
	struct ms_census_print_opts print;
	bool owner;			/* -o: who allocated the pages with no owner type */
	const char *cls;		/* -c CLASS: ...or those of this class */
};

static void progress(void *arg, uint64_t done, uint64_t total)
{
	ms_cmd_progress(arg, "census of the memmap: pfn %llu of %llu", (unsigned long long)done,
			(unsigned long long)total);
}

/* -c CLASS: a census class by its JSON key. */
static struct ms_error *class_of(const struct ms_command *cmd, const char *key,
				 enum ms_census_class *cls)
{
	char q[64];

	for (int i = 0; i < MS_CC_NR; i++)
		if (!strcmp(ms_census_class_key(i), key)) {
			*cls = i;
			return NULL;
		}
	return ms_cmd_usage_error(cmd, 'c', "no census class %s (a key of --json's \"classes\")",
				  ms_cmd_quote(q, sizeof(q), key));
}

static struct ms_error *run(struct ms_cmd_ctx *ctx, const void *opts)
{
	const struct pages_opts *o = opts;
	struct ms_target *t = ctx->target;
	enum ms_census_class cls = MS_CC_NO_OWNER;
	bool owner = o->owner || o->cls;
	struct ms_po_stacks *po = NULL;
	struct ms_census *c;
	struct ms_error *err;

	if (o->cls && (err = class_of(ctx->cmd, o->cls, &cls)))
		return err;
	c = calloc(1, sizeof(*c));
	if (owner)
		po = calloc(1, sizeof(*po));
	if (!c || (owner && !po)) {
		free(c);
		free(po);
		return &ms_error_nomem;
	}
	err = owner ? ms_po_stacks_begin(t, cls, po) : NULL;
	if (!err)
		err = ms_census_read_each(t, c, progress, ctx, owner ? ms_po_stacks_each : NULL, po);
	ms_cmd_progress_done(ctx);
	if (!err && owner)
		err = ms_po_stacks_end(t, po);
	if (err) {
		if (po)
			ms_po_stacks_free(po);
		free(po);
		free(c);
		return ms_error_wrap(err, "cannot take the census of the pages");
	}
	if (ctx->json) {
		json_t *j = ms_census_json(c, t->page_shift);

		if (owner)
			json_object_set_new(j, "page_owner", ms_po_stacks_json(po));
		ms_cmd_json_out(ctx, j, MS_CMD_JSON_FLAGS);
	} else {
		ms_census_print(ctx->out, c, t->page_shift, &o->print);
		if (owner)
			ms_po_stacks_print(ctx->out, po, t->page_shift, o->print.pages);
	}
	if (po)
		ms_po_stacks_free(po);
	free(po);
	free(c);
	return NULL;
}

static const struct ms_option options[] = {
	MS_FLAG('p', NULL, struct pages_opts, print.pages),
	MS_FLAG('o', NULL, struct pages_opts, owner),
	MS_STRING('c', NULL, "CLASS", struct pages_opts, cls),
	MS_OPT_END,
};

static const struct ms_example examples[] = {
	{ "Every page by class, with the kernel's counter beside it:", "", NULL },
	{ "In pages; or as JSON:", "-p\n--json", NULL },
	{ "Who allocated the pages no owner type explains, by stack, module and pid\n"
	  "(a kernel booted with page_owner=on); or the slab pages:", "-o\n-c slab", NULL },
	{ 0 },
};

const struct ms_command ms_cmd_pages = {
	.name = "pages",
	.summary = "a census of every page: free, slab, LRU, page tables, vmalloc, stacks, pipes, sockets, no owner",
	.synopsis = "[-p] [-o] [-c CLASS] [--json]",
	.operands = { [MS_FRONT_CRASH] = { "", 0, 0 }, [MS_FRONT_CLI] = { "DUMP", 1, 1 } },
	.options = options,
	.opts_size = sizeof(struct pages_opts),
	.defaults = &(const struct pages_opts){ .print = { .pages = false } },
	.description =
	"One pass over the memmap: the struct page of every online pfn up to\n"
	"max_pfn, found through the sparse memory model (pfn_to_online_page()),\n"
	"read in chunks of 4096 struct pages, each classified by the kernel's\n"
	"page flags (enum pageflags by name) and page types (PAGE_TYPE_BASE bits\n"
	"before 6.11, enum pagetype after):\n"
	"\n"
	"  free (buddy)          PageBuddy() heads and their 2^order pages\n"
	"  free (per-cpu lists)  the blocks on every zone's per_cpu_pages.lists[]\n"
	"                        (page->pcp_list), 2^order pages each, the order\n"
	"                        of list i as pindex_to_order() gives it; equal to\n"
	"                        the lists' counts\n"
	"  allocated, refcount 0 _refcount 0, no type, on no free list: the pages\n"
	"                        after the first of a high-order allocation without\n"
	"                        __GFP_COMP (the order-1 PGD of a kernel built with\n"
	"                        page table isolation, less those the page-table\n"
	"                        walk below finds)\n"
	"  slab                  PG_slab (before 6.10), the slab type after\n"
	"  LRU anon/shmem/file   PG_lru: !PG_swapbacked is file; PAGE_MAPPING_ANON\n"
	"                        is anon, another mapping shmem\n"
	"  LRU unevictable       PG_lru and PG_unevictable\n"
	"  page tables, offline, zsmalloc, hugetlb   their page types (6.1's\n"
	"                        hugetlb: page[1].compound_dtor)\n"
	"  reserved              PG_reserved\n"
	"  vmalloc               no type, in the pages[] of a VM_ALLOC vmap area\n"
	"                        (__vmalloc_area_node()), less the stacks below;\n"
	"                        compared with VmallocUsed less KernelStack\n"
	"  kernel stacks         no type, in the stack area of a live thread\n"
	"                        (task->stack_vm_area, CONFIG_VMAP_STACK);\n"
	"                        compared with KernelStack.  The per-cpu cached\n"
	"                        stacks no thread holds stay vmalloc, as the\n"
	"                        kernel counts them\n"
	"  pipe buffers          no type, a page a process's pipe owns: its slots'\n"
	"                        pipe_write() pages, its tmp_page (no counter)\n"
	"  socket buffers        no type, the head or a fragment's page of an skb\n"
	"                        queued on a socket a process holds (receive,\n"
	"                        write and error queues, TCP's retransmit and\n"
	"                        out-of-order trees), and the page fragments\n"
	"                        sends copy into (each thread's task_frag, each\n"
	"                        socket's sk_frag: sk_page_frag()).  Sockets no\n"
	"                        process holds (orphans, not yet accepted) are\n"
	"                        not walked\n"
	"  page tables, upper    no type, a process's PGD (with page table\n"
	"                        isolation its order-1 pair), P4D and PUD pages,\n"
	"                        walked from mm->pgd: the levels NR_PAGETABLE does\n"
	"                        not count (6.12's PUDs carry the table type and\n"
	"                        stay page tables)\n"
	"  allocated, no owner type   _refcount > 0 and none of the above: a\n"
	"                        driver's alloc_pages(), kmalloc_large() (which\n"
	"                        Slab counts: the census's slab is below Slab by\n"
	"                        those pages, shown as \"of which kmalloc_large\")\n"
	"\n"
	"A compound tail counts with its head.  Each class with a counter is\n"
	"compared with it (/proc/meminfo's; the anon LRU counter holds shmem\n"
	"too) and the difference shown.  A struct page that cannot be read is\n"
	"counted as unreadable and the answer marked partial.\n"
	"\n"
	"  -p       sizes in pages instead of K/M/G.\n"
	"  -o       who allocated the pages of \"allocated, no owner type\", from\n"
	"           page_owner (a kernel built with CONFIG_PAGE_OWNER and booted\n"
	"           with page_owner=on): each such pfn's struct page_owner in its\n"
	"           page_ext, the allocations page_owner lists (read_page_owner():\n"
	"           allocated, the head of their 1 << order pages) grouped by\n"
	"           their stack in the stack depot and summed by pages, as\n"
	"           page_owner_sort --cull=stacktrace -m does: the top 10 stacks\n"
	"           with their frames and the pid with most of their pages, and\n"
	"           the pages by the first module on each stack.  Without\n"
	"           page_owner, says why (Debian's kernels: not built in).\n"
	"  -c CLASS the same for another class, by its JSON key (slab, vmalloc,\n"
	"           lru_anon, ...).\n"
	"  --json   one JSON document, sizes in pages; with -o or -c, a\n"
	"           \"page_owner\" object.",
	.examples = examples,
	.json_version = 5,	/* 3: the pipe and pgtable_upper classes; 4: page_owner; 5: socket */
	.run = run,
};
