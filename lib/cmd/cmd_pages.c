/*
 * cmd_pages.c - pages: a census of every page, each class against its counter.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdlib.h>

#include "census_print.h"
#include "command.h"

static void progress(void *arg, uint64_t done, uint64_t total)
{
	ms_cmd_progress(arg, "census of the memmap: pfn %llu of %llu", (unsigned long long)done,
			(unsigned long long)total);
}

static struct ms_error *run(struct ms_cmd_ctx *ctx, const void *opts)
{
	const struct ms_census_print_opts *o = opts;
	struct ms_census *c = calloc(1, sizeof(*c));
	struct ms_error *err;

	if (!c)
		return &ms_error_nomem;
	err = ms_census_read(ctx->target, c, progress, ctx);
	ms_cmd_progress_done(ctx);
	if (err) {
		free(c);
		return ms_error_wrap(err, "cannot take the census of the pages");
	}
	if (ctx->json)
		ms_cmd_json_out(ctx, ms_census_json(c, ctx->target->page_shift), MS_CMD_JSON_FLAGS);
	else
		ms_census_print(ctx->out, c, ctx->target->page_shift, o);
	free(c);
	return NULL;
}

static const struct ms_option options[] = {
	MS_FLAG('p', NULL, struct ms_census_print_opts, pages),
	MS_OPT_END,
};

static const struct ms_example examples[] = {
	{ "Every page by class, with the kernel's counter beside it:", "", NULL },
	{ "In pages; or as JSON:", "-p\n--json", NULL },
	{ 0 },
};

const struct ms_command ms_cmd_pages = {
	.name = "pages",
	.summary = "a census of every page: free, slab, LRU, page tables, vmalloc, stacks, pipes, no owner",
	.synopsis = "[-p] [--json]",
	.operands = { [MS_FRONT_CRASH] = { "", 0, 0 }, [MS_FRONT_CLI] = { "DUMP", 1, 1 } },
	.options = options,
	.opts_size = sizeof(struct ms_census_print_opts),
	.defaults = &(const struct ms_census_print_opts){ .pages = false },
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
	"  page tables, upper    no type, a process's PGD (with page table\n"
	"                        isolation its order-1 pair), P4D and PUD pages,\n"
	"                        walked from mm->pgd: the levels NR_PAGETABLE does\n"
	"                        not count (6.12's PUDs carry the table type and\n"
	"                        stay page tables)\n"
	"  allocated, no owner type   _refcount > 0 and none of the above: a\n"
	"                        driver's alloc_pages(), kmalloc_large() (which\n"
	"                        Slab counts: the census's slab is below Slab by\n"
	"                        those pages)\n"
	"\n"
	"A compound tail counts with its head.  Each class with a counter is\n"
	"compared with it (/proc/meminfo's; the anon LRU counter holds shmem\n"
	"too) and the difference shown.  A struct page that cannot be read is\n"
	"counted as unreadable and the answer marked partial.\n"
	"\n"
	"  -p       sizes in pages instead of K/M/G.\n"
	"  --json   one JSON document, sizes in pages.",
	.examples = examples,
	.json_version = 3,	/* 3: the pipe and pgtable_upper classes */
	.run = run,
};
