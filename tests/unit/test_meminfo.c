/*
 * test_meminfo.c - /proc/meminfo from a synthetic kernel: per-cpu deltas in
 * the totals, si_mem_available() arithmetic, the USED breakdown adding up,
 * unknown lines marked, node views adding up to the whole.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "fake_target.h"
#include "meminfo_print.h"
#include "suites.h"

/* zone_stat_item and node_stat_item of the fake kernel (6.1 names). */
enum { Z_FREE, Z_MLOCK, Z_BOUNCE, Z_FREE_CMA, Z_NR };
static const char *const zone_items[] = {
	"NR_FREE_PAGES", "NR_MLOCK", "NR_BOUNCE", "NR_FREE_CMA_PAGES",
};
enum {
	N_INACTIVE_ANON, N_ACTIVE_ANON, N_INACTIVE_FILE, N_ACTIVE_FILE, N_UNEVICTABLE,
	N_SLAB_R, N_SLAB_U, N_FILE, N_DIRTY, N_WB, N_WB_TEMP, N_SHMEM, N_MAPPED, N_ANON,
	N_SWAPCACHE, N_MISC_R, N_STACK_KB, N_PT, N_SECPT, N_NR
};
static const char *const node_items[] = {
	"NR_INACTIVE_ANON", "NR_ACTIVE_ANON", "NR_INACTIVE_FILE", "NR_ACTIVE_FILE",
	"NR_UNEVICTABLE", "NR_SLAB_RECLAIMABLE_B", "NR_SLAB_UNRECLAIMABLE_B", "NR_FILE_PAGES",
	"NR_FILE_DIRTY", "NR_WRITEBACK", "NR_WRITEBACK_TEMP", "NR_SHMEM", "NR_FILE_MAPPED",
	"NR_ANON_MAPPED", "NR_SWAPCACHE", "NR_KERNEL_MISC_RECLAIMABLE", "NR_KERNEL_STACK_KB",
	"NR_PAGETABLE", "NR_SECONDARY_PAGETABLE",
};

#define NR_CPUS		2
#define NR_ZONES	2
#define Z_VM_STAT	0x200
#define Z_PRESENT	0x10
#define Z_MANAGED	0x18
#define Z_WMARK		0x20
#define Z_BOOST		0x40
#define Z_ZONESTATS	0x50
#define Z_PCP		0x58
#define N_VM_STAT	0x3000
#define N_NODESTATS	0x2f00

struct fk {
	struct fake *f;
	struct ms_target *t;
	unsigned int nr_nodes;
	uint64_t zdiff[4][NR_ZONES], ndiff[4], pcp[4][NR_ZONES];
	uint64_t committed_pcpu;
};

static void sym_u64(struct fake *f, const char *name, uint64_t v)
{
	uint64_t a = fake_alloc(f, 8);

	fake_put_u64(f, a, v);
	fake_symbol(f, name, a);
}

static void put_s8(struct fake *f, uint64_t a, int8_t v)
{
	fake_put(f, a, &v, 1);
}

/* The kernels memscope is tested against: 6.1-like, or 5.11-like (NR_PAGETABLE
 * already a node item, no NR_SWAPCACHE yet); with the enum types known or not. */
enum era { ERA_6_1, ERA_5_11 };

static void layout(struct fake *f, enum era era, bool types)
{
	for (int i = 0; i < Z_NR; i++) {
		fake_enum(f, zone_items[i], i);
		if (types)
			fake_enum_type(f, zone_items[i], "zone_stat_item");
	}
	fake_enum(f, "NR_VM_ZONE_STAT_ITEMS", Z_NR);
	for (int i = 0; i < N_NR; i++) {
		if (era == ERA_5_11 && i == N_SWAPCACHE)
			continue;
		fake_enum(f, node_items[i], i);
		if (types)
			fake_enum_type(f, node_items[i], "node_stat_item");
	}
	fake_enum(f, "NR_VM_NODE_STAT_ITEMS", N_NR);
	fake_enum(f, "WMARK_LOW", 1);
	fake_member(f, "zone", "vm_stat", Z_VM_STAT, 8 * Z_NR);
	fake_member(f, "zone", "present_pages", Z_PRESENT, 8);
	fake_member(f, "zone", "managed_pages", Z_MANAGED, 8);
	fake_member(f, "zone", "_watermark", Z_WMARK, 32);
	fake_member(f, "zone", "watermark_boost", Z_BOOST, 8);
	fake_member(f, "zone", "per_cpu_zonestats", Z_ZONESTATS, 8);
	fake_member(f, "zone", "per_cpu_pageset", Z_PCP, 8);
	fake_member(f, "per_cpu_zonestat", "vm_stat_diff", 0, Z_NR);
	fake_member(f, "per_cpu_pages", "count", 4, 4);
	fake_member(f, "pglist_data", "vm_stat", N_VM_STAT, 8 * N_NR);
	fake_member(f, "pglist_data", "per_cpu_nodestats", N_NODESTATS, 8);
	fake_member(f, "per_cpu_nodestat", "vm_node_stat_diff", 0, N_NR);
	fake_member(f, "percpu_counter", "count", 8, 8);
	fake_member(f, "percpu_counter", "counters", 32, 8);
	fake_member(f, "super_block", "s_inodes", 0x10, 16);
	fake_member(f, "inode", "i_mapping", 0x8, 8);
	fake_member(f, "inode", "i_sb_list", 0x20, 16);
	fake_member(f, "address_space", "nrpages", 0x10, 8);
	fake_member(f, "pcpu_chunk", "base_addr", 0x0, 8);
	fake_member(f, "pcpu_chunk", "nr_pages", 0x8, 4);
	fake_member(f, "task_struct", "stack_vm_area", 0x100, 8);
}

/* Zones: present, managed, low watermark; per-cpu structures for each. */
static void zones(struct fk *k)
{
	for (unsigned int n = 0; n < k->nr_nodes; n++) {
		uint64_t pgdat = fake_pgdat(k->f, n);

		k->ndiff[n] = fake_alloc_percpu(k->f, N_NR);
		fake_put_u64(k->f, pgdat + N_NODESTATS, k->ndiff[n]);
		for (unsigned int z = 0; z < NR_ZONES; z++) {
			uint64_t zone = fake_zone(k->f, n, z);

			fake_put_u64(k->f, zone + Z_PRESENT, 10000);
			fake_put_u64(k->f, zone + Z_MANAGED, 9000 + 100 * z + 1000 * n);
			fake_put_u64(k->f, zone + Z_WMARK + 8, 40);	/* _watermark[WMARK_LOW] */
			fake_put_u64(k->f, zone + Z_BOOST, 5);
			k->zdiff[n][z] = fake_alloc_percpu(k->f, Z_NR);
			fake_put_u64(k->f, zone + Z_ZONESTATS, k->zdiff[n][z]);
			k->pcp[n][z] = fake_alloc_percpu(k->f, 64);
			fake_put_u64(k->f, zone + Z_PCP, k->pcp[n][z]);
		}
	}
}

static void zone_stat(struct fk *k, unsigned int n, unsigned int z, int item, int64_t atomic,
		      int8_t d0, int8_t d1)
{
	fake_put_u64(k->f, fake_zone(k->f, n, z) + Z_VM_STAT + 8 * item, (uint64_t)atomic);
	put_s8(k->f, k->zdiff[n][z] + fake_percpu_offset(k->f, 0) + item, d0);
	put_s8(k->f, k->zdiff[n][z] + fake_percpu_offset(k->f, 1) + item, d1);
}

static void node_stat(struct fk *k, unsigned int n, int item, int64_t atomic, int8_t d0, int8_t d1)
{
	fake_put_u64(k->f, fake_pgdat(k->f, n) + N_VM_STAT + 8 * item, (uint64_t)atomic);
	put_s8(k->f, k->ndiff[n] + fake_percpu_offset(k->f, 0) + item, d0);
	put_s8(k->f, k->ndiff[n] + fake_percpu_offset(k->f, 1) + item, d1);
}

static void pcp_count(struct fk *k, unsigned int n, unsigned int z, int32_t c0, int32_t c1)
{
	fake_put_u32(k->f, k->pcp[n][z] + fake_percpu_offset(k->f, 0) + 4, (uint32_t)c0);
	fake_put_u32(k->f, k->pcp[n][z] + fake_percpu_offset(k->f, 1) + 4, (uint32_t)c1);
}

/* Globals: totals, committed (count 1000, per-cpu +10 and -3), vmalloc, percpu,
 * swap (none), one block device inode with 3 page-cache pages. */
static void globals(struct fk *k)
{
	struct fake *f = k->f;
	uint64_t pc = fake_alloc(f, 40), sb = fake_alloc(f, 0x40), inode = fake_alloc(f, 0x40);
	uint64_t mapping = fake_alloc(f, 0x20), chunk = fake_alloc(f, 16);

	sym_u64(f, "_totalram_pages", 36000);
	sym_u64(f, "totalreserve_pages", 300);
	sym_u64(f, "total_swap_pages", 0);
	sym_u64(f, "nr_swap_pages", 0);
	sym_u64(f, "nr_swapfiles", 0);
	sym_u64(f, "sysctl_overcommit_kbytes", 0);
	sym_u64(f, "sysctl_overcommit_ratio", 50);
	sym_u64(f, "nr_vmalloc_pages", 700);
	sym_u64(f, "pcpu_nr_populated", 20);
	sym_u64(f, "pcpu_nr_units", NR_CPUS);
	sym_u64(f, "vmalloc_base", 0xffffc90000000000ull);
	/* first chunk: dynamic area of 4 pages starting 12 pages into the unit */
	sym_u64(f, "pcpu_base_addr", 0xffff888100000000ull);
	fake_put_u64(f, chunk, 0xffff888100000000ull + 12 * 4096);
	fake_put_u32(f, chunk + 8, 4);
	sym_u64(f, "pcpu_first_chunk", chunk);

	fake_put_u64(f, pc + 8, 1000);
	k->committed_pcpu = fake_alloc_percpu(f, 4);
	fake_put_u32(f, k->committed_pcpu + fake_percpu_offset(f, 0), 10);
	fake_put_u32(f, k->committed_pcpu + fake_percpu_offset(f, 1), (uint32_t)-3);
	fake_put_u64(f, pc + 32, k->committed_pcpu);
	fake_symbol(f, "vm_committed_as", pc);

	/* s_inodes <-> inode->i_sb_list, a one-entry list */
	fake_put_u64(f, sb + 0x10, inode + 0x20);
	fake_put_u64(f, sb + 0x18, inode + 0x20);
	fake_put_u64(f, inode + 0x20, sb + 0x10);
	fake_put_u64(f, inode + 0x28, sb + 0x10);
	fake_put_u64(f, inode + 0x8, mapping);
	fake_put_u64(f, mapping + 0x10, 3);
	sym_u64(f, "blockdev_superblock", sb);
}

static struct fk *fk_new_era(unsigned int nr_nodes, enum era era, bool types)
{
	struct fk *k = calloc(1, sizeof(*k));

	k->f = fake_new();
	k->t = fake_target(k->f);
	k->nr_nodes = nr_nodes;
	fake_basic_kernel(k->f, NR_CPUS, nr_nodes, NR_ZONES);
	layout(k->f, era, types);
	zones(k);
	globals(k);
	return k;
}

static struct fk *fk_new(unsigned int nr_nodes)
{
	return fk_new_era(nr_nodes, ERA_6_1, false);
}

static void fk_free(struct fk *k)
{
	fake_free(k->f);
	free(k);
}

/* A plausible node 0: numbers in pages, with per-cpu deltas still pending. */
static void populate(struct fk *k)
{
	zone_stat(k, 0, 0, Z_FREE, 1000, 3, -2);
	zone_stat(k, 0, 1, Z_FREE, 20000, 0, 7);
	zone_stat(k, 0, 1, Z_MLOCK, 10, 1, 1);
	node_stat(k, 0, N_ACTIVE_ANON, 500, 4, 0);
	node_stat(k, 0, N_INACTIVE_ANON, 2000, 0, -1);
	node_stat(k, 0, N_ACTIVE_FILE, 300, 0, 0);
	node_stat(k, 0, N_INACTIVE_FILE, 200, 0, 0);
	node_stat(k, 0, N_ANON, 600, 2, 2);
	node_stat(k, 0, N_SHMEM, 1900, 5, 7);
	node_stat(k, 0, N_FILE, 2403, 5, 7);		/* shmem + 500 cache + 3 buffers */
	node_stat(k, 0, N_SLAB_R, 400, 0, 0);
	node_stat(k, 0, N_SLAB_U, 350, -1, 0);
	node_stat(k, 0, N_MISC_R, 16, 0, 0);
	node_stat(k, 0, N_STACK_KB, 1600, 0, 16);	/* 404 pages */
	node_stat(k, 0, N_PT, 90, 1, 1);
	node_stat(k, 0, N_SECPT, 2, 0, 0);
	pcp_count(k, 0, 0, 5, 6);
	pcp_count(k, 0, 1, 60, 70);
}

#define KB(pages) ((uint64_t)(pages) * 4)

START_TEST(test_percpu_deltas_in_totals)
{
	struct fk *k = fk_new(1);
	struct ms_meminfo mi;

	populate(k);
	ck_assert_ptr_null(ms_meminfo_read(k->t, -1, &mi));
	ck_assert(mi.diffs_folded);
	ck_assert_uint_eq(mi.val[MS_MI_MEMTOTAL], KB(36000));
	ck_assert_uint_eq(mi.val[MS_MI_MEMFREE], KB(1000 + 3 - 2 + 20000 + 7));
	ck_assert_uint_eq(mi.val[MS_MI_MLOCKED], KB(12));
	ck_assert_uint_eq(mi.val[MS_MI_ACTIVE_ANON], KB(504));
	ck_assert_uint_eq(mi.val[MS_MI_INACTIVE_ANON], KB(1999));
	ck_assert_uint_eq(mi.val[MS_MI_ACTIVE], KB(504 + 300));
	ck_assert_uint_eq(mi.val[MS_MI_SHMEM], KB(1912));
	ck_assert_uint_eq(mi.val[MS_MI_BUFFERS], KB(3));
	ck_assert_uint_eq(mi.val[MS_MI_CACHED], KB(2415 - 0 - 3));
	ck_assert_uint_eq(mi.val[MS_MI_SUNRECLAIM], KB(349));
	ck_assert_uint_eq(mi.val[MS_MI_SLAB], KB(749));
	ck_assert_uint_eq(mi.val[MS_MI_KRECLAIMABLE], KB(416));
	ck_assert_uint_eq(mi.val[MS_MI_KERNELSTACK], 1616);	/* kB counter, no scaling */
	ck_assert_uint_eq(mi.val[MS_MI_PAGETABLES], KB(92));
	/* percpu_counter_sum: count + every online CPU's s32 */
	ck_assert_uint_eq(mi.val[MS_MI_COMMITTED_AS], KB(1007));
	/* (totalram - hugetlb) * ratio / 100 + swap */
	ck_assert_uint_eq(mi.val[MS_MI_COMMITLIMIT], KB(18000));
	ck_assert_uint_eq(mi.val[MS_MI_VMALLOCUSED], KB(700));
	ck_assert_uint_eq(mi.val[MS_MI_VMALLOCTOTAL], 34359738367ull);
	ck_assert_uint_eq(mi.val[MS_MI_PERCPU], KB(40));
	ck_assert_uint_eq(mi.val[MS_MI_VMALLOCCHUNK], 0);
	/* no hstates, no direct_pages_count, no THP, no CMA: lines the kernel would not print */
	ck_assert_int_eq(mi.state[MS_MI_HUGEPAGES_TOTAL], MS_MI_ABSENT);
	ck_assert_int_eq(mi.state[MS_MI_DIRECTMAP4K], MS_MI_ABSENT);
	ck_assert_int_eq(mi.state[MS_MI_ANONHUGEPAGES], MS_MI_ABSENT);
	ck_assert_int_eq(mi.state[MS_MI_CMATOTAL], MS_MI_ABSENT);
	ck_assert_int_eq(mi.state[MS_MI_MEMUSED], MS_MI_ABSENT);
	fk_free(k);
}
END_TEST

START_TEST(test_mem_available_arithmetic)
{
	/* free - reserve + (file - min(file/2, wmark)) + (recl - min(recl/2, wmark)) */
	ck_assert_uint_eq(ms_mem_available(1000, 100, 400, 60, 0, 50), 900 + 350 + 30);
	/* the watermarks above half: half of the cache and of the slab stays */
	ck_assert_uint_eq(ms_mem_available(1000, 100, 400, 60, 4, 1000), 900 + 200 + 32);
	/* misc reclaimable joins the slab in the same cap */
	ck_assert_uint_eq(ms_mem_available(1000, 0, 0, 100, 100, 10), 1000 + 190);
	/* reserve above free, nothing reclaimable: clamped at 0 as the kernel does */
	ck_assert_uint_eq(ms_mem_available(10, 100, 0, 0, 0, 10), 0);
	ck_assert_uint_eq(ms_mem_available(10, 100, 40, 0, 0, 10), 0);
}
END_TEST

START_TEST(test_mem_available_from_dump)
{
	struct fk *k = fk_new(1);
	struct ms_meminfo mi;
	uint64_t wmark = 2 * (40 + 5);	/* two zones, _watermark[WMARK_LOW] + boost */
	uint64_t free = 21008, file = 500, recl = 400 + 16;

	populate(k);
	ck_assert_ptr_null(ms_meminfo_read(k->t, -1, &mi));
	ck_assert_uint_eq(mi.val[MS_MI_MEMAVAILABLE],
			  KB(free - 300 + (file - wmark) + (recl - wmark)));
	fk_free(k);
}
END_TEST

START_TEST(test_summary_adds_up)
{
	struct fk *k = fk_new(1);
	struct ms_meminfo mi;
	const struct ms_mi_breakdown *b = &mi.bd;
	int64_t sum = 0;

	populate(k);
	ck_assert_ptr_null(ms_meminfo_read(k->t, -1, &mi));
	ck_assert(b->ok && b->complete);
	ck_assert_int_eq(b->total, 36000);
	ck_assert_int_eq(b->free, 21008);
	ck_assert_int_eq(b->used, 36000 - 21008);
	ck_assert_int_eq(b->cat[MS_CAT_ANON], 604);
	ck_assert_int_eq(b->cat[MS_CAT_SHMEM], 1912);
	/* Cached + Buffers - Shmem: 500 cache pages and the 3 buffer pages */
	ck_assert_int_eq(b->cat[MS_CAT_FILE], 503);
	ck_assert_int_eq(b->cat[MS_CAT_SLAB_RECLAIM], 400);
	ck_assert_int_eq(b->cat[MS_CAT_SLAB_UNRECLAIM], 349);
	ck_assert_int_eq(b->cat[MS_CAT_KMISC_RECLAIM], 16);
	ck_assert_int_eq(b->cat[MS_CAT_KERNEL_STACK], 404);
	ck_assert_int_eq(b->cat[MS_CAT_PAGETABLES], 94);
	/* VMAP_STACK: the stacks are counted once, in kernel stacks */
	ck_assert_int_eq(b->cat[MS_CAT_VMALLOC], 700 - 404);
	/* Percpu 40 pages, of which the boot chunk is 16 pages x 2 units */
	ck_assert_int_eq(b->cat[MS_CAT_PERCPU], 40 - 32);
	ck_assert_int_eq(b->cat[MS_CAT_HUGETLB], 0);
	ck_assert_int_eq(b->cat[MS_CAT_PCP_FREE], 5 + 6 + 60 + 70);
	for (int c = 0; c < MS_CAT_NR; c++)
		sum += b->cat[c];
	ck_assert_int_eq(b->accounted, sum);
	ck_assert_int_eq(b->accounted + b->unaccounted, b->used);
	ck_assert_int_eq(b->unaccounted, 14992 - 4727);
	fk_free(k);
}
END_TEST

START_TEST(test_unaccounted_negative)
{
	struct fk *k = fk_new(1);
	struct ms_meminfo mi;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	populate(k);
	node_stat(k, 0, N_ANON, 30000, 0, 0);	/* more anon than USED */
	ck_assert_ptr_null(ms_meminfo_read(k->t, -1, &mi));
	ck_assert_int_lt(mi.bd.unaccounted, 0);
	ck_assert_int_eq(mi.bd.accounted + mi.bd.unaccounted, mi.bd.used);
	ms_meminfo_print_summary(out, &mi, 12, true);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(buf, "no counter accounts for"));
	ck_assert_ptr_nonnull(strstr(buf, "negative"));
	free(buf);
	fk_free(k);
}
END_TEST

START_TEST(test_unknown_line_is_marked)
{
	struct fk *k = fk_new(1);
	struct ms_meminfo mi;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	populate(k);
	fake_symbol(k->f, "blockdev_superblock", 0x10);	/* unreadable */
	ck_assert_ptr_null(ms_meminfo_read(k->t, -1, &mi));
	ck_assert_int_eq(mi.state[MS_MI_BUFFERS], MS_MI_UNKNOWN);
	ck_assert_int_eq(mi.state[MS_MI_CACHED], MS_MI_UNKNOWN);
	ck_assert_int_eq(mi.state[MS_MI_SHMEM], MS_MI_OK);
	ck_assert(!mi.bd.cat_ok[MS_CAT_FILE]);
	ck_assert(!mi.bd.complete);
	ms_meminfo_print_proc(out, &mi);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(buf, "Buffers:               ? kB    <- memscope: unknown"));
	ck_assert_ptr_nonnull(strstr(buf, "MemTotal:         144000 kB\n"));
	free(buf);
	fk_free(k);
}
END_TEST

START_TEST(test_node_views_add_up)
{
	struct fk *k = fk_new(2);
	struct ms_meminfo g, n0, n1;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	populate(k);
	zone_stat(k, 1, 1, Z_FREE, 5000, -4, 0);
	node_stat(k, 1, N_SHMEM, 700, 1, 0);
	node_stat(k, 1, N_FILE, 700, 1, 0);
	node_stat(k, 1, N_STACK_KB, 64, 0, 0);
	ck_assert_ptr_null(ms_meminfo_read(k->t, -1, &g));
	ck_assert_ptr_null(ms_meminfo_read(k->t, 0, &n0));
	ck_assert_ptr_null(ms_meminfo_read(k->t, 1, &n1));
	/* si_meminfo_node(): managed pages of the node's zones */
	ck_assert_uint_eq(n0.val[MS_MI_MEMTOTAL], KB(9000 + 9100));
	ck_assert_uint_eq(n1.val[MS_MI_MEMTOTAL], KB(10000 + 10100));
	ck_assert_uint_eq(n1.val[MS_MI_MEMFREE], KB(4996));
	ck_assert_uint_eq(n1.val[MS_MI_MEMUSED], KB(20100 - 4996));
	ck_assert_uint_eq(n1.val[MS_MI_FILEPAGES], KB(701));
	for (int i = 0; i < MS_MI_NR_ITEMS; i++) {
		if (i == MS_MI_MEMTOTAL || n0.state[i] != MS_MI_OK || g.state[i] != MS_MI_OK)
			continue;
		ck_assert_msg(n0.val[i] + n1.val[i] == g.val[i], "%s", ms_mi_name(i));
	}
	ck_assert_int_eq(n0.state[MS_MI_COMMITTED_AS], MS_MI_ABSENT);
	ms_meminfo_print_proc(out, &n1);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(buf, "Node 1 MemTotal:          80400 kB\n"
				      "Node 1 MemFree:           19984 kB\n"));
	ck_assert_ptr_nonnull(strstr(buf, "Node 1 KernelStack:          64 kB\n"));
	ck_assert_ptr_null(strstr(buf, "Node 1 Buffers"));
	free(buf);
	{
		struct ms_error *err = ms_meminfo_read(k->t, 7, &n1);

		ck_assert_ptr_nonnull(err);
		ck_assert_int_eq(err->code, MS_ERR_USAGE);
		ck_assert_str_eq(ms_error_string(err), "no node 7 in this dump");
		ms_error_destroy(err);
	}
	fk_free(k);
}
END_TEST

START_TEST(test_json_lines_and_summary)
{
	struct fk *k = fk_new(1);
	struct ms_meminfo mi;
	json_t *j, *lines, *s;

	populate(k);
	ck_assert_ptr_null(ms_meminfo_read(k->t, -1, &mi));
	j = ms_meminfo_json(&mi, 12);
	lines = json_object_get(j, "lines");
	s = json_object_get(j, "summary");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(lines, 0), "name")),
			 "MemTotal");
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(lines, 0), "value")),
			 144000);
	ck_assert_int_eq(json_integer_value(json_object_get(s, "accounted_pages")) +
			 json_integer_value(json_object_get(s, "unaccounted_pages")),
			 json_integer_value(json_object_get(s, "used_pages")));
	json_decref(j);
	fk_free(k);
}
END_TEST

/*
 * Zone or node counter: by the enumerator's enum type where the binding can
 * tell (zone_stat_item / node_stat_item), by the era's markers where it
 * cannot.  On 6.1 both agree.  On 5.11 NR_PAGETABLE is already a node item
 * but NR_SWAPCACHE, the marker, comes only in 5.12: the types read it right,
 * the marker fallback reads the zone counter of that index (0 here).
 */
START_TEST(test_zone_or_node_item_by_enum_type)
{
	struct fk *with = fk_new_era(1, ERA_6_1, true), *without = fk_new(1);
	struct ms_meminfo a, b;

	populate(with);
	populate(without);
	ck_assert_ptr_null(ms_meminfo_read(with->t, -1, &a));
	ck_assert_ptr_null(ms_meminfo_read(without->t, -1, &b));
	for (int i = 0; i < MS_MI_NR_ITEMS; i++) {
		ck_assert_int_eq(a.state[i], b.state[i]);
		ck_assert_msg(a.val[i] == b.val[i], "%s", ms_mi_name(i));
	}
	ck_assert_uint_eq(a.val[MS_MI_PAGETABLES], KB(92));
	fk_free(with);
	fk_free(without);

	with = fk_new_era(1, ERA_5_11, true);
	without = fk_new_era(1, ERA_5_11, false);
	populate(with);
	populate(without);
	ck_assert_ptr_null(ms_meminfo_read(with->t, -1, &a));
	ck_assert_ptr_null(ms_meminfo_read(without->t, -1, &b));
	ck_assert_uint_eq(a.val[MS_MI_PAGETABLES], KB(92));	/* node_stat_item: right */
	ck_assert_uint_eq(b.val[MS_MI_PAGETABLES], 0);		/* the markers' misreading */
	ck_assert_uint_eq(a.val[MS_MI_MEMFREE], b.val[MS_MI_MEMFREE]);
	ck_assert_int_eq(a.state[MS_MI_SWAPCACHED], MS_MI_UNKNOWN);
	ck_assert_ptr_nonnull(strstr(a.why[MS_MI_SWAPCACHED], "NR_SWAPCACHE"));
	fk_free(with);
	fk_free(without);
}
END_TEST

/* The online CPUs' deltas, lists and percpu_counter parts only (ms_sum_cpus()). */
START_TEST(test_offline_cpu_not_summed)
{
	struct fk *k = fk_new(1);
	struct ms_meminfo mi;
	uint64_t online;

	populate(k);
	ck_assert_ptr_null(ms_symbol(k->t, "__cpu_online_mask", &online));
	fake_put_u64(k->f, online, 0x1);		/* CPU 1 possible, offline */
	ck_assert_ptr_null(ms_meminfo_read(k->t, -1, &mi));
	ck_assert_uint_eq(mi.val[MS_MI_MEMFREE], KB(1000 + 3 + 20000 + 0));
	ck_assert_uint_eq(mi.val[MS_MI_COMMITTED_AS], KB(1000 + 10));
	ck_assert_int_eq(mi.bd.cat[MS_CAT_PCP_FREE], 5 + 60);
	fk_free(k);
}
END_TEST

/* An unknown line says why: the cause the read gave, not a made-up phrase. */
START_TEST(test_unknown_line_has_the_cause)
{
	struct fk *k = fk_new(1);
	struct ms_meminfo mi;

	populate(k);
	fake_symbol(k->f, "nr_vmalloc_pages", 0x20);	/* unreadable */
	ck_assert_ptr_null(ms_meminfo_read(k->t, -1, &mi));
	ck_assert_int_eq(mi.state[MS_MI_VMALLOCUSED], MS_MI_UNKNOWN);
	ck_assert_ptr_nonnull(strstr(mi.why[MS_MI_VMALLOCUSED], "nr_vmalloc_pages"));
	ck_assert_ptr_nonnull(strstr(mi.why[MS_MI_VMALLOCUSED], "0x20"));
	fk_free(k);
}
END_TEST

static Suite *meminfo_suite(void)
{
	Suite *s = suite_create("meminfo");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_percpu_deltas_in_totals);
	tcase_add_test(tc, test_mem_available_arithmetic);
	tcase_add_test(tc, test_mem_available_from_dump);
	tcase_add_test(tc, test_summary_adds_up);
	tcase_add_test(tc, test_unaccounted_negative);
	tcase_add_test(tc, test_unknown_line_is_marked);
	tcase_add_test(tc, test_node_views_add_up);
	tcase_add_test(tc, test_json_lines_and_summary);
	tcase_add_test(tc, test_zone_or_node_item_by_enum_type);
	tcase_add_test(tc, test_offline_cpu_not_summed);
	tcase_add_test(tc, test_unknown_line_has_the_cause);
	suite_add_tcase(s, tc);
	return s;
}
MS_SUITE(meminfo_suite)
