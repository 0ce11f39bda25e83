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

struct ms_error *mi_sym_uint(struct mi_ctx *c, const char *sym, size_t width, uint64_t *v)
{
	return ms_read_sym_uint(c->t, sym, width, v);
}

/* A global unsigned long, long or atomic_long_t: one word of the target. */
struct ms_error *mi_sym_ulong(struct mi_ctx *c, const char *sym, uint64_t *v)
{
	return ms_read_sym_uint(c->t, sym, c->t->word_size, v);
}

/* totalram_pages(): _totalram_pages (atomic_long_t, 5.0+) or totalram_pages. */
void mi_line_memtotal(struct mi_ctx *c)
{
	struct ms_error *err;
	uint64_t v;

	if (c->mi->node >= 0) {
		/* si_meminfo_node(): managed pages of the node's zones */
		if (c->managed_part.ok)
			set_pages(c, MS_MI_MEMTOTAL, c->managed);
		else
			set_unknown(c, MS_MI_MEMTOTAL, "zone managed_pages unreadable: %s",
				    c->managed_part.why);
		return;
	}
	err = mi_sym_ulong(c, ms_has_symbol(c->t, "_totalram_pages") ? "_totalram_pages" :
			  "totalram_pages", &v);
	if (err)
		set_unknown_err(c, MS_MI_MEMTOTAL, err);
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
	struct ms_error *err;		/* why an inode could not be read */
};

static int bdev_inode(struct ms_target *t, uint64_t node, void *arg)
{
	struct bdev_walk *w = arg;
	uint64_t mapping, n;

	w->err = ms_read_ptr(t, node - w->sb_list + w->i_mapping, &mapping);
	if (!w->err)
		w->err = ms_read_u64(t, mapping + w->nrpages, &n);
	if (w->err)
		return 1;
	w->pages += n;
	return 0;
}

struct ms_error *mi_blockdev_pages(struct mi_ctx *c, uint64_t *pages)
{
	long s_inodes = ms_member_offset(c->t, "super_block", "s_inodes");
	struct bdev_walk w = {
		.sb_list = ms_member_offset(c->t, "inode", "i_sb_list"),
		.i_mapping = ms_member_offset(c->t, "inode", "i_mapping"),
		.nrpages = ms_member_offset(c->t, "address_space", "nrpages"),
	};
	struct ms_list_result r;
	struct ms_error *err;
	uint64_t sb;

	*pages = 0;
	if (s_inodes < 0 || w.sb_list < 0 || w.i_mapping < 0 || w.nrpages < 0)
		return ms_error_create(MS_ERR_LOOKUP,
				       "cannot resolve super_block.s_inodes / inode.i_mapping");
	err = mi_sym_uint(c, "blockdev_superblock", c->t->word_size, &sb);
	if (!err && !sb)
		err = ms_error_create(MS_ERR_CORRUPT, "blockdev_superblock is NULL");
	if (err)
		return err;
	if (ms_list_walk(c->t, sb + s_inodes, MAX_BLOCKDEV_INODES, 0, bdev_inode, &w, &r)) {
		if (w.err)
			return ms_error_wrap(w.err, "blockdev inode %llu",
					     (unsigned long long)r.count);
		return ms_error_at(MS_ERR_CORRUPT, r.where, "blockdev inode list: %s after %llu inodes",
				   ms_list_status_name(r.status), (unsigned long long)r.count);
	}
	*pages = w.pages;
	return NULL;
}

/* si_swapinfo(): pages of swap areas being swapoff'ed count as used and total. */
static struct ms_error *swap_to_be_unused(struct mi_ctx *c, uint64_t *pages)
{
	long flags_off = ms_member_offset(c->t, "swap_info_struct", "flags");
	long inuse_off = ms_member_offset(c->t, "swap_info_struct", "inuse_pages");
	long used, writeok;
	uint64_t nr, arr, si, flags, inuse;
	struct ms_error *err;

	*pages = 0;
	err = mi_sym_uint(c, "nr_swapfiles", 4, &nr);
	if (err || !nr)
		return err;
	if (flags_off < 0 || inuse_off < 0)
		return ms_error_create(MS_ERR_LOOKUP, "cannot resolve swap_info_struct");
	if (nr > 4096)
		return ms_error_create(MS_ERR_CORRUPT, "nr_swapfiles is %llu",
				       (unsigned long long)nr);
	err = ms_symbol(c->t, "swap_info", &arr);
	if (!err)
		err = ms_enum(c->t, "SWP_USED", &used);
	if (!err)
		err = ms_enum(c->t, "SWP_WRITEOK", &writeok);
	for (uint64_t i = 0; !err && i < nr; i++) {
		err = ms_read_ptr(c->t, arr + c->t->word_size * i, &si);
		if (!err && !si)
			err = ms_error_create(MS_ERR_CORRUPT, "swap_info[%llu] is NULL",
					      (unsigned long long)i);
		if (!err)
			err = ms_read_u64(c->t, si + flags_off, &flags);
		if (!err)
			err = ms_read_uint(c->t, si + inuse_off, 4, &inuse);
		if (!err && (flags & (uint64_t)used) && !(flags & (uint64_t)writeok))
			*pages += inuse;
	}
	return err;
}

void mi_lines_swap(struct mi_ctx *c)
{
	uint64_t total, nr_free, unused;
	struct ms_error *err = mi_sym_ulong(c, "total_swap_pages", &total);

	if (!err)
		err = mi_sym_ulong(c, "nr_swap_pages", &nr_free);
	if (!err)
		err = swap_to_be_unused(c, &unused);
	if (err) {
		set_unknown(c, MS_MI_SWAPTOTAL, "%s", ms_error_string(err));
		set_unknown_err(c, MS_MI_SWAPFREE, err);
		return;
	}
	set_pages(c, MS_MI_SWAPTOTAL, total + unused);
	set_pages(c, MS_MI_SWAPFREE, (uint64_t)((int64_t)nr_free < 0 ? 0 : nr_free) + unused);
}

/* Zswap (CONFIG_ZSWAP): pool bytes and stored pages. */
void mi_lines_zswap(struct mi_ctx *c)
{
	struct ms_error *err;
	uint64_t bytes, stored;

	if (!ms_has_symbol(c->t, "zswap_pool_total_size"))
		return;
	err = mi_sym_uint(c, "zswap_pool_total_size", 8, &bytes);
	if (err)
		set_unknown_err(c, MS_MI_ZSWAP, err);
	else
		set_kb(c, MS_MI_ZSWAP, bytes >> 10);
	err = mi_sym_uint(c, "zswap_stored_pages", 4, &stored);
	if (err)
		set_unknown_err(c, MS_MI_ZSWAPPED, err);
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

static struct ms_error *hugetlb_layout(struct mi_ctx *c, struct hugetlb *h)
{
	struct ms_error *err;

	h->size = ms_struct_size(c->t, "hstate");
	h->order = ms_member_offset(c->t, "hstate", "order");
	h->nr_huge = ms_member_offset(c->t, "hstate", "nr_huge_pages");
	h->free_huge = ms_member_offset(c->t, "hstate", "free_huge_pages");
	h->resv_huge = ms_member_offset(c->t, "hstate", "resv_huge_pages");
	h->surp_huge = ms_member_offset(c->t, "hstate", "surplus_huge_pages");
	h->nr_node = ms_member_offset(c->t, "hstate", "nr_huge_pages_node");
	h->free_node = ms_member_offset(c->t, "hstate", "free_huge_pages_node");
	h->surp_node = ms_member_offset(c->t, "hstate", "surplus_huge_pages_node");
	if (h->size <= 0 || h->order < 0 || h->nr_huge < 0 || h->free_huge < 0 ||
	    h->resv_huge < 0 || h->surp_huge < 0)
		return ms_error_create(MS_ERR_LOOKUP, "struct hstate unresolved");
	err = ms_symbol(c->t, "hstates", &h->base);
	if (!err)
		err = mi_sym_uint(c, "hugetlb_max_hstate", 4, &h->nr);
	if (!err)
		err = mi_sym_uint(c, "default_hstate_idx", 4, &h->def);
	if (!err && (h->nr > 64 || (h->nr && h->def >= h->nr)))
		err = ms_error_create(MS_ERR_CORRUPT, "hstate %llu of %llu",
				      (unsigned long long)h->def, (unsigned long long)h->nr);
	return err;
}

/* huge_page_order() of hstates[i]. */
static struct ms_error *hstate_order(struct mi_ctx *c, const struct hugetlb *h, uint64_t i,
				     uint64_t *order)
{
	struct ms_error *err = ms_read_uint(c->t, h->base + i * h->size + h->order, 4, order);

	if (!err && *order > 30)
		err = ms_error_create(MS_ERR_CORRUPT, "hstate %llu of order %llu",
				      (unsigned long long)i, (unsigned long long)*order);
	return err;
}

/* Pages held by hugetlb, all sizes: hugetlb_total_pages(). */
static struct ms_error *hugetlb_total_pages(struct mi_ctx *c, uint64_t *pages)
{
	struct ms_error *err;
	struct hugetlb h;
	uint64_t nr, order;

	*pages = 0;
	if (!ms_has_symbol(c->t, "hstates"))
		return NULL;	/* !CONFIG_HUGETLB_PAGE */
	err = hugetlb_layout(c, &h);
	for (uint64_t i = 0; !err && i < h.nr; i++) {
		err = ms_read_u64(c->t, h.base + i * h.size + h.nr_huge, &nr);
		if (!err)
			err = hstate_order(c, &h, i, &order);
		if (!err)
			*pages += nr << order;
	}
	return err;
}

static const enum ms_mi_item hugetlb_items[] = {
	MS_MI_HUGEPAGES_TOTAL, MS_MI_HUGEPAGES_FREE, MS_MI_HUGEPAGES_RSVD, MS_MI_HUGEPAGES_SURP,
	MS_MI_HUGEPAGESIZE, MS_MI_HUGETLB,
};

/* HugePages_{Total,Free,Rsvd,Surp} of the default hstate (no Rsvd per node). */
static void hugetlb_counts(struct mi_ctx *c, const struct hugetlb *h)
{
	const long off[4] = { h->nr_huge, h->free_huge, h->resv_huge, h->surp_huge };
	const long node_off[4] = { h->nr_node, h->free_node, -1, h->surp_node };
	uint64_t a = h->base + h->def * h->size, v;
	bool node = c->mi->node >= 0;

	for (unsigned int j = 0; j < 4; j++) {
		struct ms_error *err;

		if (node && j == 2)
			continue;
		if (!node)
			err = ms_read_u64(c->t, a + off[j], &v);
		else if (node_off[j] < 0)	/* unsigned int x_huge_pages_node[MAX_NUMNODES] */
			err = ms_error_create(MS_ERR_LOOKUP, "struct hstate has no per-node counts");
		else
			err = ms_read_uint(c->t, a + node_off[j] + 4ull * c->mi->node, 4, &v);
		if (err)
			set_unknown_err(c, hugetlb_items[j], ms_error_wrap(err, "default hstate"));
		else
			set_count(c, hugetlb_items[j], v);
	}
}

/* hugetlb_report_meminfo() / hugetlb_report_node_meminfo(). */
void mi_lines_hugetlb(struct mi_ctx *c)
{
	struct ms_error *err;
	struct hugetlb h;
	uint64_t total_kb = 0, order;
	bool node = c->mi->node >= 0;

	if (!ms_has_symbol(c->t, "hstates"))
		return;
	err = hugetlb_layout(c, &h);
	if (!err && !h.nr)
		err = ms_error_create(MS_ERR_LOOKUP, "no hstate registered");
	if (err) {
		for (unsigned int i = 0; i < 6; i++)
			if (!node || (i != 2 && i < 4))
				set_unknown(c, hugetlb_items[i], "%s", ms_error_string(err));
		ms_error_destroy(err);
		return;
	}
	for (uint64_t i = 0; !err && i < h.nr; i++) {
		uint64_t nr;

		err = ms_read_u64(c->t, h.base + i * h.size + h.nr_huge, &nr);
		if (!err)
			err = hstate_order(c, &h, i, &order);
		if (!err)
			total_kb += (nr << order) * (ms_page_size(c->t) >> 10);
	}
	hugetlb_counts(c, &h);
	if (node) {
		ms_error_destroy(err);
		return;
	}
	if (err)
		set_unknown_err(c, MS_MI_HUGETLB, err);
	else
		set_kb(c, MS_MI_HUGETLB, total_kb);
	err = hstate_order(c, &h, h.def, &order);
	if (err)
		set_unknown_err(c, MS_MI_HUGEPAGESIZE, ms_error_wrap(err, "default hstate"));
	else
		set_kb(c, MS_MI_HUGEPAGESIZE, (ms_page_size(c->t) << order) >> 10);
}

/* vm_commit_limit() (mm/util.c). */
void mi_line_commit_limit(struct mi_ctx *c)
{
	uint64_t kbytes, ratio, swap, huge;
	struct ms_error *err;

	if (!known(c, MS_MI_MEMTOTAL)) {
		set_unknown_as(c, MS_MI_COMMITLIMIT, MS_MI_MEMTOTAL);
		return;
	}
	err = mi_sym_ulong(c, "sysctl_overcommit_kbytes", &kbytes);
	if (!err)
		err = mi_sym_uint(c, "sysctl_overcommit_ratio", 4, &ratio);
	if (!err)
		err = mi_sym_ulong(c, "total_swap_pages", &swap);
	if (!err)
		err = hugetlb_total_pages(c, &huge);
	if (err) {
		set_unknown_err(c, MS_MI_COMMITLIMIT, err);
		return;
	}
	set_pages(c, MS_MI_COMMITLIMIT, ms_commit_limit(pages_of(c, MS_MI_MEMTOTAL), huge, swap,
						      (uint32_t)ratio, kbytes, c->t->page_shift));
}

/* vm_commit_limit() (mm/util.c, 6.1 and 6.12): overcommit_kbytes if set, else
 * (totalram_pages() - hugetlb_total_pages()) * overcommit_ratio / 100; plus
 * total_swap_pages. */
uint64_t ms_commit_limit(uint64_t totalram, uint64_t hugetlb, uint64_t swap, unsigned int ratio,
			 uint64_t kbytes, unsigned int page_shift)
{
	uint64_t allowed;

	if (kbytes)
		allowed = kbytes >> (page_shift - 10);
	else
		allowed = (totalram - hugetlb) * ratio / 100;
	return allowed + swap;
}

/* vm_memory_committed(): percpu_counter_sum_positive(&vm_committed_as), which adds
 * every online CPU's s32 delta to the count (lib/percpu_counter.c): ms_sum_cpus().
 * CPUs being taken down (cpu_dying_mask, which newer kernels add too) are not read. */
void mi_line_committed(struct mi_ctx *c)
{
	long count_off = ms_member_offset(c->t, "percpu_counter", "count");
	long counters_off = ms_member_offset(c->t, "percpu_counter", "counters");
	uint64_t pc, counters = 0;
	const unsigned int *cpus;
	struct ms_error *err;
	unsigned int nr;
	int64_t sum = 0;

	if (count_off < 0 || counters_off < 0) {
		set_unknown(c, MS_MI_COMMITTED_AS, "cannot resolve struct percpu_counter");
		return;
	}
	err = ms_symbol(c->t, "vm_committed_as", &pc);
	if (!err)
		err = ms_read_s64(c->t, pc + count_off, &sum);
	if (!err) {	/* percpu_counter_read_positive(): what __vm_enough_memory() compares */
		c->mi->extra.committed_count = sum < 0 ? 0 : (uint64_t)sum;
		c->mi->extra.committed_count_ok = true;
	}
	if (!err)
		err = ms_read_ptr(c->t, pc + counters_off, &counters);
	cpus = ms_sum_cpus(c->k, &nr);
	for (unsigned int i = 0; !err && counters && i < nr; i++) {
		int32_t d;

		err = ms_read_s32(c->t, ms_percpu_addr(c->k, counters, cpus[i]), &d);
		sum += err ? 0 : d;
	}
	if (err)
		set_unknown_err(c, MS_MI_COMMITTED_AS, ms_error_wrap(err, "vm_committed_as"));
	else
		set_pages(c, MS_MI_COMMITTED_AS, sum < 0 ? 0 : (uint64_t)sum);
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
	uint64_t l5 = 0;

	if (!ms_has_symbol(c->t, "vmalloc_base")) {
		set_unknown(c, MS_MI_VMALLOCTOTAL, "VMALLOC_TOTAL known for x86_64 only");
		return;
	}
	if (ms_has_symbol(c->t, "__pgtable_l5_enabled"))	/* absent: 4-level only */
		ms_error_destroy(mi_sym_uint(c, "__pgtable_l5_enabled", 4, &l5));
	set_kb(c, MS_MI_VMALLOCTOTAL,
	       (((l5 ? X86_64_VMALLOC_SIZE_TB_L5 : X86_64_VMALLOC_SIZE_TB_L4) << 40) - 1) >> 10);
}

/* The pages of pcpu_first_chunk over all units: false where it cannot be told. */
static struct ms_error *percpu_first_chunk(struct mi_ctx *c, uint64_t populated,
					   uint64_t units, uint64_t *pages)
{
	long base_off = ms_member_offset(c->t, "pcpu_chunk", "base_addr");
	long nrp_off = ms_member_offset(c->t, "pcpu_chunk", "nr_pages");
	uint64_t first = 0, base = 0, cbase = 0, nrp = 0;
	struct ms_error *err;

	if (base_off < 0 || nrp_off < 0)
		return ms_error_create(MS_ERR_LOOKUP, "cannot resolve struct pcpu_chunk");
	err = mi_sym_uint(c, "pcpu_first_chunk", c->t->word_size, &first);
	if (!err)
		err = mi_sym_uint(c, "pcpu_base_addr", c->t->word_size, &base);
	if (!err)
		err = ms_read_ptr(c->t, first + base_off, &cbase);
	if (!err)
		err = ms_read_uint(c->t, first + nrp_off, 4, &nrp);
	if (err)
		return err;
	if (cbase < base)
		return ms_error_create(MS_ERR_CORRUPT, "the first chunk starts before pcpu_base_addr");
	nrp += (cbase - base) >> c->t->page_shift;
	if (nrp > populated)
		return ms_error_create(MS_ERR_CORRUPT, "a first chunk of %llu pages, %llu populated",
				       (unsigned long long)nrp, (unsigned long long)populated);
	*pages = nrp * (uint32_t)units;
	return NULL;
}

/* pcpu_nr_pages() = pcpu_nr_populated * pcpu_nr_units (mm/percpu.c), and the part
 * of it that is the first chunk: memblock memory, reserved at boot, outside
 * MemTotal.  pcpu_setup_first_chunk() counts PFN_DOWN(size_sum) populated pages
 * for it; its dynamic area ends at size_sum (page aligned) from pcpu_base_addr. */
void mi_line_percpu(struct mi_ctx *c)
{
	uint64_t populated, units;
	struct ms_error *err = mi_sym_ulong(c, "pcpu_nr_populated", &populated);

	if (!err)
		err = mi_sym_uint(c, "pcpu_nr_units", 4, &units);
	if (err) {
		set_unknown_err(c, MS_MI_PERCPU, err);
		return;
	}
	set_pages(c, MS_MI_PERCPU, populated * (uint32_t)units);
	/* Without it the summary's percpu category is unknown (a partial answer). */
	err = percpu_first_chunk(c, populated, units, &c->mi->extra.percpu_first);
	c->mi->extra.percpu_first_ok = !err;
	ms_error_destroy(err);
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
	uint64_t arr = 0, gb = 0, n;

	if (!ms_has_symbol(c->t, "direct_pages_count"))
		return;
	ms_error_destroy(ms_symbol(c->t, "direct_pages_count", &arr));
	if (ms_has_symbol(c->t, "direct_gbpages"))
		ms_error_destroy(mi_sym_uint(c, "direct_gbpages", 4, &gb));
	for (unsigned int i = 0; i < 3; i++) {
		struct ms_error *err;
		long lvl = -1;

		if (dm[i].item == MS_MI_DIRECTMAP1G && !(uint32_t)gb)
			continue;	/* printed only with direct_gbpages */
		err = ms_enum(c->t, dm[i].level, &lvl);
		if (!err && (lvl < 0 || lvl > 8))
			err = ms_error_create(MS_ERR_CORRUPT, "%s is %ld", dm[i].level, lvl);
		if (!err)
			err = ms_read_ptr(c->t, arr + (uint64_t)c->t->word_size * (uint64_t)lvl, &n);
		if (err)
			set_unknown_err(c, dm[i].item, ms_error_wrap(err, "direct_pages_count[]"));
		else
			set_kb(c, dm[i].item, n << (shift[i] - 10));
	}
}
