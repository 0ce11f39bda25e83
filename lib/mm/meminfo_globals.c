/*
 * meminfo_globals.c - the /proc/meminfo lines that are no vm_stat counter:
 * MemTotal, Buffers, swap and zswap, HugePages_* and Hugetlb, the commit
 * limit and Committed_AS, Vmalloc*, Percpu and DirectMap*, each from the
 * kernel's own global as its helper reads it (Linux 6.1: si_meminfo,
 * nr_blockdev_pages, si_swapinfo, hugetlb_report_meminfo, vm_commit_limit,
 * vm_memory_committed, pcpu_nr_pages, arch_report_meminfo).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "list.h"
#include "meminfo_ctx.h"

#define MAX_BLOCKDEV_INODES	(1u << 20)	/* bound of the blockdev inode walk */

int mi_sym_uint(struct mi_ctx *c, const char *sym, size_t width, uint64_t *v)
{
	return ms_read_sym_uint(c->t, sym, width, v);
}

/* totalram_pages(): _totalram_pages (atomic_long_t, 5.0+) or totalram_pages. */
void mi_line_memtotal(struct mi_ctx *c)
{
	uint64_t v;

	if (c->mi->node >= 0) {
		/* si_meminfo_node(): managed pages of the node's zones */
		if (c->managed_ok)
			set_pages(c, MS_MI_MEMTOTAL, c->managed);
		else
			set_unknown(c, MS_MI_MEMTOTAL, "zone managed_pages unreadable");
		return;
	}
	if (mi_sym_uint(c, "_totalram_pages", 8, &v) && mi_sym_uint(c, "totalram_pages", 8, &v))
		set_unknown(c, MS_MI_MEMTOTAL, "_totalram_pages unreadable");
	else
		set_pages(c, MS_MI_MEMTOTAL, v);
}

/*
 * nr_blockdev_pages() (block/bdev.c): i_mapping->nrpages of every inode on
 * blockdev_superblock->s_inodes.  A list that does not come back to its head
 * within the bound (corrupted, or changing when the dump was taken) leaves the
 * value unknown rather than partial.
 */
struct bdev_walk {
	long sb_list, i_mapping, nrpages;
	uint64_t pages;
};

static int bdev_inode(struct ms_target *t, uint64_t node, void *arg)
{
	struct bdev_walk *w = arg;
	uint64_t mapping, n;

	if (ms_read_ptr(t, node - w->sb_list + w->i_mapping, &mapping) ||
	    ms_read_u64(t, mapping + w->nrpages, &n))
		return 1;
	w->pages += n;
	return 0;
}

int mi_blockdev_pages(struct mi_ctx *c, uint64_t *pages)
{
	long s_inodes = ms_member_offset(c->t, "super_block", "s_inodes");
	struct bdev_walk w = {
		.sb_list = ms_member_offset(c->t, "inode", "i_sb_list"),
		.i_mapping = ms_member_offset(c->t, "inode", "i_mapping"),
		.nrpages = ms_member_offset(c->t, "address_space", "nrpages"),
	};
	struct ms_list_result r;
	uint64_t sb;

	*pages = 0;
	if (s_inodes < 0 || w.sb_list < 0 || w.i_mapping < 0 || w.nrpages < 0 ||
	    mi_sym_uint(c, "blockdev_superblock", 8, &sb) || !sb)
		return -1;
	if (ms_list_walk(c->t, sb + s_inodes, MAX_BLOCKDEV_INODES, 0, bdev_inode, &w, &r)) {
		ms_warn(c->t, "blockdev inode list: %s after %llu inodes",
			ms_list_status_name(r.status), (unsigned long long)r.count);
		return -1;
	}
	*pages = w.pages;
	return 0;
}

/* si_swapinfo(): pages of swap areas being swapoff'ed count as used and total. */
static int swap_to_be_unused(struct mi_ctx *c, uint64_t *pages)
{
	long flags_off = ms_member_offset(c->t, "swap_info_struct", "flags");
	long inuse_off = ms_member_offset(c->t, "swap_info_struct", "inuse_pages");
	long used, writeok;
	uint64_t nr, arr, si, flags, inuse;

	*pages = 0;
	if (mi_sym_uint(c, "nr_swapfiles", 4, &nr))
		return -1;
	if (!nr)
		return 0;
	if (flags_off < 0 || inuse_off < 0 || ms_symbol(c->t, "swap_info", &arr) ||
	    ms_enum(c->t, "SWP_USED", &used) || ms_enum(c->t, "SWP_WRITEOK", &writeok) ||
	    nr > 4096)
		return -1;
	for (uint64_t i = 0; i < nr; i++) {
		if (ms_read_ptr(c->t, arr + 8 * i, &si) || !si ||
		    ms_read_u64(c->t, si + flags_off, &flags) ||
		    ms_read_uint(c->t, si + inuse_off, 4, &inuse))
			return -1;
		if ((flags & (uint64_t)used) && !(flags & (uint64_t)writeok))
			*pages += inuse;
	}
	return 0;
}

void mi_lines_swap(struct mi_ctx *c)
{
	uint64_t total, nr_free, unused;

	if (mi_sym_uint(c, "total_swap_pages", 8, &total) || mi_sym_uint(c, "nr_swap_pages", 8, &nr_free) ||
	    swap_to_be_unused(c, &unused)) {
		set_unknown(c, MS_MI_SWAPTOTAL, "swap globals or swap_info[] unreadable");
		set_unknown(c, MS_MI_SWAPFREE, "swap globals or swap_info[] unreadable");
		return;
	}
	set_pages(c, MS_MI_SWAPTOTAL, total + unused);
	set_pages(c, MS_MI_SWAPFREE, (uint64_t)((int64_t)nr_free < 0 ? 0 : nr_free) + unused);
}

/* Zswap (CONFIG_ZSWAP): pool bytes and stored pages. */
void mi_lines_zswap(struct mi_ctx *c)
{
	uint64_t bytes, stored;

	if (ms_symbol(c->t, "zswap_pool_total_size", &bytes))
		return;
	if (mi_sym_uint(c, "zswap_pool_total_size", 8, &bytes))
		set_unknown(c, MS_MI_ZSWAP, "zswap_pool_total_size unreadable");
	else
		set_kb(c, MS_MI_ZSWAP, bytes >> 10);
	if (mi_sym_uint(c, "zswap_stored_pages", 4, &stored))
		set_unknown(c, MS_MI_ZSWAPPED, "zswap_stored_pages unreadable");
	else
		set_pages(c, MS_MI_ZSWAPPED, (uint32_t)stored);
}

/* The hstates in use: hstates[0 .. hugetlb_max_hstate), default hstates[default_hstate_idx]. */
struct hugetlb {
	uint64_t base;
	long size;
	uint64_t nr, def;
	long order, nr_huge, free_huge, resv_huge, surp_huge;
	long nr_node, free_node, surp_node;
};

static int hugetlb_layout(struct mi_ctx *c, struct hugetlb *h)
{
	h->size = ms_struct_size(c->t, "hstate");
	h->order = ms_member_offset(c->t, "hstate", "order");
	h->nr_huge = ms_member_offset(c->t, "hstate", "nr_huge_pages");
	h->free_huge = ms_member_offset(c->t, "hstate", "free_huge_pages");
	h->resv_huge = ms_member_offset(c->t, "hstate", "resv_huge_pages");
	h->surp_huge = ms_member_offset(c->t, "hstate", "surplus_huge_pages");
	h->nr_node = ms_member_offset(c->t, "hstate", "nr_huge_pages_node");
	h->free_node = ms_member_offset(c->t, "hstate", "free_huge_pages_node");
	h->surp_node = ms_member_offset(c->t, "hstate", "surplus_huge_pages_node");
	if (ms_symbol(c->t, "hstates", &h->base) || h->size <= 0 || h->order < 0 ||
	    h->nr_huge < 0 || h->free_huge < 0 || h->resv_huge < 0 || h->surp_huge < 0 ||
	    mi_sym_uint(c, "hugetlb_max_hstate", 4, &h->nr) ||
	    mi_sym_uint(c, "default_hstate_idx", 4, &h->def) || h->nr > 64 ||
	    (h->nr && h->def >= h->nr))
		return -1;
	return 0;
}

static int hstate_u64(struct mi_ctx *c, const struct hugetlb *h, uint64_t i, long off,
		      uint64_t *v)
{
	return ms_read_u64(c->t, h->base + i * h->size + off, v);
}

/* Pages held by hugetlb, all sizes: hugetlb_total_pages(). */
static int hugetlb_total_pages(struct mi_ctx *c, uint64_t *pages)
{
	struct hugetlb h;
	uint64_t nr, order;

	*pages = 0;
	if (ms_symbol(c->t, "hstates", &h.base))
		return 0;	/* !CONFIG_HUGETLB_PAGE */
	if (hugetlb_layout(c, &h))
		return -1;
	for (uint64_t i = 0; i < h.nr; i++) {
		if (hstate_u64(c, &h, i, h.nr_huge, &nr) ||
		    ms_read_uint(c->t, h.base + i * h.size + h.order, 4, &order) || order > 30)
			return -1;
		*pages += nr << order;
	}
	return 0;
}

static const enum ms_mi_item hugetlb_items[] = {
	MS_MI_HUGEPAGES_TOTAL, MS_MI_HUGEPAGES_FREE, MS_MI_HUGEPAGES_RSVD, MS_MI_HUGEPAGES_SURP,
	MS_MI_HUGEPAGESIZE, MS_MI_HUGETLB,
};

/* hugetlb_report_meminfo() / hugetlb_report_node_meminfo(). */
void mi_lines_hugetlb(struct mi_ctx *c)
{
	struct hugetlb h;
	uint64_t total_kb = 0, v[4], order;
	const long *off[4] = { &h.nr_huge, &h.free_huge, &h.resv_huge, &h.surp_huge };
	const long *node_off[4] = { &h.nr_node, &h.free_node, NULL, &h.surp_node };
	bool node = c->mi->node >= 0;

	if (ms_symbol(c->t, "hstates", &h.base))
		return;
	if (hugetlb_layout(c, &h) || !h.nr) {
		for (unsigned int i = 0; i < 6; i++)
			if (!node || (i != 2 && i < 4))
				set_unknown(c, hugetlb_items[i], h.nr ? "struct hstate unresolved"
								       : "no hstate registered");
		return;
	}
	for (uint64_t i = 0; i < h.nr; i++) {
		uint64_t nr;

		if (hstate_u64(c, &h, i, h.nr_huge, &nr) ||
		    ms_read_uint(c->t, h.base + i * h.size + h.order, 4, &order) || order > 30) {
			set_unknown(c, MS_MI_HUGETLB, "hstate unreadable");
			total_kb = UINT64_MAX;
			break;
		}
		total_kb += (nr << order) * (ms_page_size(c->t) >> 10);
	}
	for (unsigned int j = 0; j < 4; j++) {
		uint64_t a = h.base + h.def * h.size;
		int bad;

		if (node && j == 2)
			continue;	/* no HugePages_Rsvd per node */
		if (node)	/* unsigned int x_huge_pages_node[MAX_NUMNODES] */
			bad = *node_off[j] < 0 ||
			      ms_read_uint(c->t, a + *node_off[j] + 4ull * c->mi->node, 4, &v[j]);
		else
			bad = ms_read_u64(c->t, a + *off[j], &v[j]);
		if (bad)
			set_unknown(c, hugetlb_items[j], "default hstate unreadable");
		else
			set_count(c, hugetlb_items[j], v[j]);
	}
	if (node)
		return;
	if (ms_read_uint(c->t, h.base + h.def * h.size + h.order, 4, &order) || order > 30)
		set_unknown(c, MS_MI_HUGEPAGESIZE, "default hstate unreadable");
	else
		set_kb(c, MS_MI_HUGEPAGESIZE, (ms_page_size(c->t) << order) >> 10);
	if (total_kb != UINT64_MAX)
		set_kb(c, MS_MI_HUGETLB, total_kb);
}

/* vm_commit_limit() (mm/util.c). */
void mi_line_commit_limit(struct mi_ctx *c)
{
	uint64_t kbytes, ratio, swap, huge;
	uint64_t allowed;

	if (!known(c, MS_MI_MEMTOTAL) || mi_sym_uint(c, "sysctl_overcommit_kbytes", 8, &kbytes) ||
	    mi_sym_uint(c, "sysctl_overcommit_ratio", 4, &ratio) ||
	    mi_sym_uint(c, "total_swap_pages", 8, &swap) || hugetlb_total_pages(c, &huge)) {
		set_unknown(c, MS_MI_COMMITLIMIT, "overcommit sysctls or hstates unreadable");
		return;
	}
	if (kbytes)
		allowed = kbytes >> (c->t->page_shift - 10);
	else
		allowed = (pages_of(c, MS_MI_MEMTOTAL) - huge) * (uint32_t)ratio / 100;
	set_pages(c, MS_MI_COMMITLIMIT, allowed + swap);
}

/* vm_memory_committed(): percpu_counter_sum_positive(&vm_committed_as), which adds
 * every online CPU's s32 delta to the count (lib/percpu_counter.c): ms_sum_cpus().
 * CPUs being taken down (cpu_dying_mask, which newer kernels add too) are not read. */
void mi_line_committed(struct mi_ctx *c)
{
	long count_off = ms_member_offset(c->t, "percpu_counter", "count");
	long counters_off = ms_member_offset(c->t, "percpu_counter", "counters");
	uint64_t pc, counters;
	const unsigned int *cpus;
	unsigned int nr;
	int64_t sum;

	if (count_off < 0 || counters_off < 0 || ms_symbol(c->t, "vm_committed_as", &pc) ||
	    ms_read_s64(c->t, pc + count_off, &sum) || ms_read_ptr(c->t, pc + counters_off, &counters))
		goto fail;
	cpus = ms_sum_cpus(c->k, &nr);
	for (unsigned int i = 0; counters && i < nr; i++) {
		int32_t d;

		if (ms_read_s32(c->t, ms_percpu_addr(c->k, counters, cpus[i]), &d))
			goto fail;
		sum += d;
	}
	set_pages(c, MS_MI_COMMITTED_AS, sum < 0 ? 0 : (uint64_t)sum);
	return;
fail:
	set_unknown(c, MS_MI_COMMITTED_AS, "vm_committed_as unreadable");
}

/*
 * VMALLOC_TOTAL is an x86_64 constant of arch/x86/include/asm/pgtable_64_types.h,
 * not a variable: VMALLOC_SIZE_TB (32 with 4-level paging, 12800 with 5-level)
 * TiB minus 1 byte.  We trust it only where vmalloc_base says we are on x86_64.
 */
#define X86_64_VMALLOC_SIZE_TB_L4	32ull
#define X86_64_VMALLOC_SIZE_TB_L5	12800ull

void mi_line_vmalloc_total(struct mi_ctx *c)
{
	uint64_t base, l5 = 0;

	if (ms_symbol(c->t, "vmalloc_base", &base)) {
		set_unknown(c, MS_MI_VMALLOCTOTAL, "VMALLOC_TOTAL known for x86_64 only");
		return;
	}
	mi_sym_uint(c, "__pgtable_l5_enabled", 4, &l5);	/* absent: 4-level only */
	set_kb(c, MS_MI_VMALLOCTOTAL,
	       (((l5 ? X86_64_VMALLOC_SIZE_TB_L5 : X86_64_VMALLOC_SIZE_TB_L4) << 40) - 1) >> 10);
}

/* pcpu_nr_pages() = pcpu_nr_populated * pcpu_nr_units (mm/percpu.c), and the part
 * of it that is the first chunk: memblock memory, reserved at boot, outside
 * MemTotal.  pcpu_setup_first_chunk() counts PFN_DOWN(size_sum) populated pages
 * for it; its dynamic area ends at size_sum (page aligned) from pcpu_base_addr. */
void mi_line_percpu(struct mi_ctx *c)
{
	long base_off = ms_member_offset(c->t, "pcpu_chunk", "base_addr");
	long nrp_off = ms_member_offset(c->t, "pcpu_chunk", "nr_pages");
	uint64_t populated, units, first, base, cbase, nrp;

	if (mi_sym_uint(c, "pcpu_nr_populated", 8, &populated) ||
	    mi_sym_uint(c, "pcpu_nr_units", 4, &units)) {
		set_unknown(c, MS_MI_PERCPU, "pcpu_nr_populated / pcpu_nr_units unreadable");
		return;
	}
	set_pages(c, MS_MI_PERCPU, populated * (uint32_t)units);
	if (base_off < 0 || nrp_off < 0 || mi_sym_uint(c, "pcpu_first_chunk", 8, &first) ||
	    mi_sym_uint(c, "pcpu_base_addr", 8, &base) ||
	    ms_read_ptr(c->t, first + base_off, &cbase) ||
	    ms_read_uint(c->t, first + nrp_off, 4, &nrp) || cbase < base)
		return;
	nrp += (cbase - base) >> c->t->page_shift;
	if (nrp > populated)
		return;
	c->mi->extra.percpu_first = nrp * (uint32_t)units;
	c->mi->extra.percpu_first_ok = true;
}

/* x86 arch_report_meminfo(): direct_pages_count[PG_LEVEL_*] (arch/x86/mm/pat/set_memory.c). */
void mi_lines_directmap(struct mi_ctx *c)
{
	static const struct { enum ms_mi_item item; const char *level; } dm[] = {
		{ MS_MI_DIRECTMAP4K, "PG_LEVEL_4K" },
		{ MS_MI_DIRECTMAP2M, "PG_LEVEL_2M" },
		{ MS_MI_DIRECTMAP1G, "PG_LEVEL_1G" },
	};
	static const unsigned int shift[] = { 12, 21, 30 };	/* the level's page size */
	uint64_t arr, gb = 0, n;

	if (ms_symbol(c->t, "direct_pages_count", &arr))
		return;
	mi_sym_uint(c, "direct_gbpages", 4, &gb);
	for (unsigned int i = 0; i < 3; i++) {
		long lvl;

		if (dm[i].item == MS_MI_DIRECTMAP1G && !(uint32_t)gb)
			continue;	/* printed only with direct_gbpages */
		if (ms_enum(c->t, dm[i].level, &lvl) || lvl < 0 || lvl > 8 ||
		    ms_read_u64(c->t, arr + 8 * (uint64_t)lvl, &n))
			set_unknown(c, dm[i].item, "direct_pages_count[] unreadable");
		else
			set_kb(c, dm[i].item, n << (shift[i] - 10));
	}
}
