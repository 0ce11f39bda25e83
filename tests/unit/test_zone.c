/*
 * test_zone.c - zoneinfo reading (watermarks, per-cpu folding, /proc layout)
 * and the allocation check (__zone_watermark_ok arithmetic, zonelist walk).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "alloccheck_print.h"
#include "fake_target.h"
#include "suites.h"
#include "zoneinfo_print.h"

/* ---- __zone_watermark_ok() arithmetic, no target ---- */

static struct ms_wmark_in wm_in(unsigned int order, int64_t free, uint64_t mark, int64_t reserve)
{
	struct ms_wmark_in in;

	memset(&in, 0, sizeof(in));
	in.order = order;
	in.nr_orders = 11;
	in.free_pages = free;
	in.mark = mark;
	in.lowmem_reserve = reserve;
	return in;
}

START_TEST(test_wmark_order0_boundary)
{
	struct ms_wmark_out out;
	struct ms_wmark_in in = wm_in(0, 301, 100, 200);

	/* free must exceed min + lowmem_reserve: 301 > 300 passes, 300 does not. */
	ck_assert(ms_zone_watermark_ok(&in, 0, &out));
	ck_assert_int_eq(out.need, 300);
	in.free_pages = 300;
	ck_assert(!ms_zone_watermark_ok(&in, 0, &out));
	ck_assert_int_eq(out.verdict, MS_WMARK_BELOW);
	/* free below the unusable part: negative usable, a plain failure. */
	in = wm_in(4, 3, 0, 0);
	ck_assert(!ms_zone_watermark_ok(&in, 0, &out));
	ck_assert_int_eq(out.usable, 3 - 15);
}
END_TEST

START_TEST(test_wmark_highatomic_and_cma)
{
	struct ms_wmark_out out;
	struct ms_wmark_in in = wm_in(0, 150, 100, 0);

	in.reserved_highatomic = 50;
	/* No reserve rights: the high-atomic reserve is unusable, 100 <= 100 fails. */
	ck_assert(!ms_zone_watermark_ok(&in, 0, &out));
	ck_assert_int_eq(out.unusable, 50);
	/* ALLOC_NON_BLOCK alone is a reserve right: reserve usable, min unchanged. */
	ck_assert(ms_zone_watermark_ok(&in, MS_ALLOC_NON_BLOCK, &out));
	ck_assert_int_eq(out.min, 100);
	/* Free CMA pages count only for ALLOC_CMA. */
	in = wm_in(0, 150, 100, 0);
	in.has_cma = true;
	in.free_cma = 60;
	ck_assert(!ms_zone_watermark_ok(&in, 0, &out));
	ck_assert(ms_zone_watermark_ok(&in, MS_ALLOC_CMA, &out));
	/* Without CONFIG_CMA the counter is not subtracted. */
	in.has_cma = false;
	ck_assert(ms_zone_watermark_ok(&in, 0, &out));
}
END_TEST

START_TEST(test_wmark_reserve_reductions)
{
	struct ms_wmark_out out;
	struct ms_wmark_in in = wm_in(0, 1000, 372, 0);

	ms_zone_watermark_ok(&in, MS_ALLOC_MIN_RESERVE, &out);
	ck_assert_int_eq(out.min, 186);			/* 372 - 372/2 */
	ms_zone_watermark_ok(&in, MS_ALLOC_MIN_RESERVE | MS_ALLOC_NON_BLOCK, &out);
	ck_assert_int_eq(out.min, 140);			/* 186 - 186/4 */
	ms_zone_watermark_ok(&in, MS_ALLOC_NON_BLOCK, &out);
	ck_assert_int_eq(out.min, 372);			/* GFP_NOWAIT: no min reserve */
	ms_zone_watermark_ok(&in, MS_ALLOC_OOM, &out);
	ck_assert_int_eq(out.min, 186);
	ms_zone_watermark_ok(&in, MS_ALLOC_MIN_RESERVE | MS_ALLOC_NON_BLOCK | MS_ALLOC_OOM, &out);
	ck_assert_int_eq(out.min, 70);			/* 140 - 140/2 */
}
END_TEST

START_TEST(test_wmark_high_order_lists)
{
	struct ms_wmark_out out;
	struct ms_wmark_in in = wm_in(3, 1000, 100, 0);

	/* The order-0 watermark holds, but the only order >= 3 block is high-atomic. */
	in.nr_free[5] = 1;
	in.highatomic_block[5] = true;
	ck_assert(!ms_zone_watermark_ok(&in, 0, &out));
	ck_assert_int_eq(out.verdict, MS_WMARK_NO_BLOCK);
	ck_assert(ms_zone_watermark_ok(&in, MS_ALLOC_HIGHATOMIC, &out));
	ck_assert_int_eq(out.order_found, 5);
	ck_assert(ms_zone_watermark_ok(&in, MS_ALLOC_OOM, &out));
	/* A block below the order does not count; nr_free == 0 skips the order. */
	in = wm_in(3, 1000, 100, 0);
	in.nr_free[2] = 9;
	in.pcptype_block[2] = true;
	in.pcptype_block[4] = true;		/* stale list flag, nr_free 0 */
	ck_assert(!ms_zone_watermark_ok(&in, 0, &out));
	in.nr_free[4] = 1;
	ck_assert(ms_zone_watermark_ok(&in, 0, &out));
	ck_assert_int_eq(out.order_found, 4);
	/* CMA blocks only with ALLOC_CMA and CONFIG_CMA. */
	in = wm_in(1, 1000, 100, 0);
	in.nr_free[1] = 1;
	in.cma_block[1] = true;
	in.has_cma = true;
	ck_assert(!ms_zone_watermark_ok(&in, 0, &out));
	ck_assert(ms_zone_watermark_ok(&in, MS_ALLOC_CMA, &out));
}
END_TEST

START_TEST(test_alloc_flags)
{
	ck_assert_uint_eq(ms_alloc_flags(MS_GFP_ATOMIC, MS_WMARK_LOW, 0, false), 0);
	ck_assert_uint_eq(ms_alloc_flags(MS_GFP_KERNEL, MS_WMARK_MIN, 3, false), 0);
	ck_assert_uint_eq(ms_alloc_flags(MS_GFP_ATOMIC, MS_WMARK_MIN, 0, false),
			  MS_ALLOC_MIN_RESERVE | MS_ALLOC_NON_BLOCK);
	ck_assert_uint_eq(ms_alloc_flags(MS_GFP_ATOMIC, MS_WMARK_MIN, 2, false),
			  MS_ALLOC_MIN_RESERVE | MS_ALLOC_NON_BLOCK | MS_ALLOC_HIGHATOMIC);
	ck_assert_uint_eq(ms_alloc_flags(MS_GFP_NOWAIT, MS_WMARK_MIN, 0, false),
			  MS_ALLOC_NON_BLOCK);
	ck_assert_uint_eq(ms_alloc_flags(MS_GFP_HIGH, MS_WMARK_MIN, 1, false),
			  MS_ALLOC_MIN_RESERVE);
	ck_assert_uint_eq(ms_alloc_flags(MS_GFP_OOM, MS_WMARK_MIN, 0, false), MS_ALLOC_OOM);
	ck_assert_uint_eq(ms_alloc_flags(MS_GFP_MOVABLE, MS_WMARK_LOW, 0, true), MS_ALLOC_CMA);
	ck_assert_uint_eq(ms_alloc_flags(MS_GFP_MOVABLE, MS_WMARK_LOW, 0, false), 0);
}
END_TEST

/* ---- a fake 6.1-like kernel: 2 CPUs, 1 node, 3 zones (DMA, DMA32, Normal) ---- */

#define Z_WMARK		0
#define Z_BOOST		32
#define Z_HIGHATOMIC	40
#define Z_RESERVE	48
#define Z_PCP		104
#define Z_ZONESTATS	112
#define Z_START_PFN	128
#define Z_MANAGED	136
#define Z_SPANNED	144
#define Z_PRESENT	152
#define Z_FREE_AREA	256
#define Z_VM_STAT	1344
#define Z_NUMA		1432
#define FA_SIZE		88
#define NR_ORDERS	11
#define NR_ZONE_ITEMS	3
#define NR_NUMA_ITEMS	2
#define NR_NODE_ITEMS	2
#define P_ZONELISTS	(FAKE_NODE_ZONES_OFF + 3 * FAKE_ZONE_SIZE)
#define NR_ZONEREFS	4
#define ZL_SIZE		(NR_ZONEREFS * 16)
#define P_KSWAPD_FAIL	(P_ZONELISTS + 2 * ZL_SIZE)
#define P_NODESTATS	(P_KSWAPD_FAIL + 8)
#define P_VM_STAT	(P_NODESTATS + 8)

static void zone_types(struct fake *f)
{
	fake_member(f, "zone", "_watermark", Z_WMARK, 32);
	fake_member(f, "zone", "watermark_boost", Z_BOOST, 8);
	fake_member(f, "zone", "nr_reserved_highatomic", Z_HIGHATOMIC, 8);
	fake_member(f, "zone", "lowmem_reserve", Z_RESERVE, 3 * 8);
	fake_member(f, "zone", "per_cpu_pageset", Z_PCP, 8);
	fake_member(f, "zone", "per_cpu_zonestats", Z_ZONESTATS, 8);
	fake_member(f, "zone", "zone_start_pfn", Z_START_PFN, 8);
	fake_member(f, "zone", "managed_pages", Z_MANAGED, 8);
	fake_member(f, "zone", "spanned_pages", Z_SPANNED, 8);
	fake_member(f, "zone", "present_pages", Z_PRESENT, 8);
	fake_member(f, "zone", "free_area", Z_FREE_AREA, FA_SIZE * NR_ORDERS);
	fake_member(f, "zone", "vm_stat", Z_VM_STAT, 8 * NR_ZONE_ITEMS);
	fake_member(f, "zone", "vm_numa_event", Z_NUMA, 8 * NR_NUMA_ITEMS);
	fake_struct(f, "free_area", FA_SIZE);
	fake_member(f, "free_area", "free_list", 0, 80);
	fake_member(f, "free_area", "nr_free", 80, 8);
	fake_struct(f, "list_head", 16);
	fake_struct(f, "per_cpu_pages", 256);
	fake_member(f, "per_cpu_pages", "count", 4, 4);
	fake_member(f, "per_cpu_pages", "high", 8, 4);
	fake_member(f, "per_cpu_pages", "batch", 12, 4);
	fake_struct(f, "per_cpu_zonestat", 64);
	fake_member(f, "per_cpu_zonestat", "vm_stat_diff", 0, NR_ZONE_ITEMS);
	fake_member(f, "per_cpu_zonestat", "stat_threshold", 11, 1);
	fake_member(f, "per_cpu_zonestat", "vm_numa_event", 16, 8 * NR_NUMA_ITEMS);
	fake_member(f, "pglist_data", "node_zonelists", P_ZONELISTS, 2 * ZL_SIZE);
	fake_member(f, "pglist_data", "kswapd_failures", P_KSWAPD_FAIL, 4);
	fake_member(f, "pglist_data", "per_cpu_nodestats", P_NODESTATS, 8);
	fake_member(f, "pglist_data", "vm_stat", P_VM_STAT, 8 * NR_NODE_ITEMS);
	fake_struct(f, "per_cpu_nodestat", 64);
	fake_member(f, "per_cpu_nodestat", "vm_node_stat_diff", 0, NR_NODE_ITEMS);
	fake_struct(f, "zonelist", ZL_SIZE);
	fake_member(f, "zonelist", "_zonerefs", 0, ZL_SIZE);
	fake_struct(f, "zoneref", 16);
	fake_member(f, "zoneref", "zone", 0, 8);
	fake_member(f, "zoneref", "zone_idx", 8, 4);
}

static void enums(struct fake *f)
{
	static const char *const e[][2] = {
		{ "WMARK_MIN", "0" }, { "WMARK_LOW", "1" }, { "WMARK_HIGH", "2" }, { "NR_WMARK", "4" },
		{ "NR_VM_ZONE_STAT_ITEMS", "3" }, { "NR_FREE_PAGES", "0" },
		{ "NR_FREE_CMA_PAGES", "2" }, { "NR_VM_NUMA_EVENT_ITEMS", "2" },
		{ "NR_VM_NODE_STAT_ITEMS", "2" }, { "NR_ANON_THPS", "1" },
		{ "MIGRATE_PCPTYPES", "3" }, { "MIGRATE_HIGHATOMIC", "3" },
		{ "ZONELIST_FALLBACK", "0" }, { "ZONE_NORMAL", "2" },
	};

	for (size_t i = 0; i < sizeof(e) / sizeof(e[0]); i++)
		fake_enum(f, e[i][0], atol(e[i][1]));
}

static void names(struct fake *f)
{
	static const char *const n[] = { "nr_free_pages", "nr_zone_x", "nr_free_cma",
					 "numa_hit", "numa_miss", "nr_node_a", "nr_anon_thp" };
	size_t nr = sizeof(n) / sizeof(n[0]);
	uint64_t arr = fake_alloc(f, 8 * nr), strs = fake_alloc(f, 32 * nr);

	for (size_t i = 0; i < nr; i++) {
		fake_put(f, strs + 32 * i, n[i], strlen(n[i]) + 1);
		fake_put_u64(f, arr + 8 * i, strs + 32 * i);
	}
	fake_symbol(f, "vmstat_text", arr);
}

static void put_u8(struct fake *f, uint64_t a, int8_t v)
{
	fake_put(f, a, &v, 1);
}

/* Empty free lists (next == head) for every order and type of a zone. */
static void empty_lists(struct fake *f, uint64_t z)
{
	for (unsigned int o = 0; o < NR_ORDERS; o++)
		for (unsigned int mt = 0; mt < 5; mt++) {
			uint64_t h = z + Z_FREE_AREA + o * FA_SIZE + mt * 16;

			fake_put_u64(f, h, h);
			fake_put_u64(f, h + 8, h);
		}
}

/* A populated zone: sizes, watermarks, counters, per-cpu lists and diffs. */
static void populate(struct fake *f, unsigned int zi, uint64_t present, uint64_t free,
		     uint64_t min, uint64_t boost)
{
	uint64_t z = fake_zone(f, 0, zi);
	uint64_t pcp = fake_alloc_percpu(f, 256), zs = fake_alloc_percpu(f, 64);

	fake_put_u64(f, z + Z_SPANNED, present + 1);
	fake_put_u64(f, z + Z_PRESENT, present);
	fake_put_u64(f, z + Z_MANAGED, present - 10);
	fake_put_u64(f, z + Z_START_PFN, 4096 * zi);
	fake_put_u64(f, z + Z_BOOST, boost);
	fake_put_u64(f, z + Z_WMARK + 0, min);
	fake_put_u64(f, z + Z_WMARK + 8, min * 5 / 4);
	fake_put_u64(f, z + Z_WMARK + 16, min * 3 / 2);
	fake_put_u64(f, z + Z_VM_STAT, free);
	fake_put_u64(f, z + Z_VM_STAT + 8, 7);
	fake_put_u64(f, z + Z_PCP, pcp);
	fake_put_u64(f, z + Z_ZONESTATS, zs);
	fake_put_u64(f, z + Z_NUMA, 100);
	fake_put_u64(f, z + Z_NUMA + 8, 1);
	for (unsigned int c = 0; c < 2; c++) {
		uint64_t p = pcp + fake_percpu_offset(f, c), s = zs + fake_percpu_offset(f, c);

		fake_put_u32(f, p + 4, 10 + c);		/* count */
		fake_put_u32(f, p + 8, 50);		/* high */
		fake_put_u32(f, p + 12, 5);		/* batch */
		put_u8(f, s + 0, c ? -2 : 3);		/* NR_FREE_PAGES diffs: +1 */
		put_u8(f, s + 1, -1);			/* nr_zone_x diffs: -2 */
		put_u8(f, s + 11, 8);			/* stat_threshold */
		fake_put_u64(f, s + 16, 5);		/* numa_hit not yet folded */
	}
	empty_lists(f, z);
}

/* nr_cpus possible CPUs (2 or more); the per-cpu data of CPUs 0 and 1 is filled in. */
static struct fake *zone_kernel_cpus(unsigned int nr_cpus)
{
	struct fake *f = fake_new();
	uint64_t pgdat, nodestats, zl;

	fake_basic_kernel(f, nr_cpus, 1, 3);
	zone_types(f);
	enums(f);
	names(f);
	pgdat = fake_pgdat(f, 0);
	/* DMA (small, protected by lowmem_reserve), DMA32, Normal unpopulated. */
	populate(f, 0, 4000, 3000, 20, 0);
	populate(f, 1, 60000, 500, 300, 40);
	for (unsigned int zi = 0; zi < 3; zi++) {
		uint64_t z = fake_zone(f, 0, zi);

		fake_put_u64(f, z + Z_RESERVE + 8, zi == 0 ? 2900 : 0);
		fake_put_u64(f, z + Z_RESERVE + 16, zi == 0 ? 2900 : 0);
	}
	empty_lists(f, fake_zone(f, 0, 2));
	/* node counters: nr_anon_thp 1024 pages = 2 THPs; per-cpu diff on item 0 */
	nodestats = fake_alloc_percpu(f, 64);
	fake_put_u64(f, pgdat + P_NODESTATS, nodestats);
	fake_put_u64(f, pgdat + P_VM_STAT, 40);
	fake_put_u64(f, pgdat + P_VM_STAT + 8, 1024);
	put_u8(f, nodestats + fake_percpu_offset(f, 1), 2);
	fake_put_u32(f, pgdat + P_KSWAPD_FAIL, 16);
	/* zonelist: DMA32, DMA, NULL (Normal unpopulated) */
	zl = pgdat + P_ZONELISTS;
	fake_put_u64(f, zl, fake_zone(f, 0, 1));
	fake_put_u32(f, zl + 8, 1);
	fake_put_u64(f, zl + 16, fake_zone(f, 0, 0));
	fake_put_u32(f, zl + 24, 0);
	return f;
}

static struct fake *zone_kernel(void)
{
	return zone_kernel_cpus(2);
}

START_TEST(test_zoneinfo_folds_percpu)
{
	struct fake *f = zone_kernel();
	struct ms_zoneinfo zi;
	const struct ms_zone *z;

	ck_assert_ptr_null(ms_zoneinfo_read(fake_target(f), &zi));
	ck_assert_uint_eq(zi.nr_nodes, 1);
	z = ms_zi_zone(&zi, 0, 1);
	ck_assert(z->populated && z->stats_ok && z->pcp_ok && z->numa_ok);
	ck_assert_uint_eq(ms_zi_counter(&z->stats, 0, false), 501);	/* 500 + 3 - 2 */
	ck_assert_uint_eq(ms_zi_counter(&z->stats, 0, true), 500);
	ck_assert_uint_eq(ms_zi_counter(&z->stats, 1, false), 5);	/* 7 - 1 - 1 */
	ck_assert_uint_eq(z->numa[0], 110);				/* 100 + 5 + 5 */
	ck_assert_uint_eq(z->pcp_pages, 21);
	ck_assert_int_eq(z->pcp[1].stat_threshold, 8);
	ck_assert_uint_eq(ms_zone_wmark(z, MS_WMARK_MIN), 340);		/* boost included */
	ck_assert_uint_eq(z->wmark[MS_WMARK_LOW], 375);
	ck_assert(!ms_zi_zone(&zi, 0, 2)->populated);
	ck_assert_int_eq(zi.nodes[0].first_populated, 0);
	ck_assert(zi.nodes[0].unreclaimable);
	ck_assert_uint_eq(ms_zi_counter(&zi.nodes[0].stats, 0, false), 42);
	ck_assert_str_eq(zi.node_item[1], "nr_anon_thp");
	ck_assert(zi.node_item_thp[1]);
	ms_zoneinfo_free(&zi);
	fake_free(f);
}
END_TEST

START_TEST(test_zoneinfo_proc_layout)
{
	struct fake *f = zone_kernel();
	struct ms_zi_print_opts o = { 0 };
	struct ms_zoneinfo zi;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	ck_assert_ptr_null(ms_zoneinfo_read(fake_target(f), &zi));
	ms_zoneinfo_print_proc(out, &zi, &o);
	fclose(out);
	/* node stats once, under the first populated zone, THP item in THP units */
	ck_assert_ptr_nonnull(strstr(buf, "Node 0, zone      DMA\n  per-node stats\n"
				     "      nr_node_a    42\n      nr_anon_thp  2\n"
				     "  pages free     3001\n        boost    0\n"
				     "        min      20\n"));
	ck_assert_ptr_nonnull(strstr(buf, "        protection: (0, 2900, 2900)\n"
				     "      nr_free_pages 3001\n      nr_zone_x    5\n"
				     "      nr_free_cma  0\n      numa_hit     110\n"));
	ck_assert_ptr_nonnull(strstr(buf, "  pagesets\n    cpu: 0\n              count: 10\n"
				     "              high:  50\n              batch: 5\n"
				     "  vm stats threshold: 8\n    cpu: 1\n"));
	ck_assert_ptr_nonnull(strstr(buf, "  node_unreclaimable:  1\n  start_pfn:           4096\n"
				     "Node 0, zone   Normal\n"));
	/* an unpopulated zone stops after protection */
	ck_assert_ptr_nonnull(strstr(buf, "        protection: (0, 0, 0)\n"));
	ck_assert_int_eq(strstr(buf, "Node 0, zone    DMA32\n  per-node") == NULL, 1);
	ck_assert_str_eq(buf + len - 1, "\n");
	free(buf);
	ms_zoneinfo_free(&zi);
	fake_free(f);
}
END_TEST

START_TEST(test_alloc_check_zonelist)
{
	struct fake *f = zone_kernel();
	struct ms_target *t = fake_target(f);
	struct ms_alloc_req req = { 0, -1, -1, MS_WMARK_LOW, MS_GFP_KERNEL };
	struct ms_alloc_check c;
	struct ms_zoneinfo zi;

	ck_assert_ptr_null(ms_zoneinfo_read(t, &zi));
	ck_assert_ptr_null(ms_alloc_check(t, &zi, &req, &c));
	ck_assert_int_eq(c.req.highest_zoneidx, 2);
	ck_assert_uint_eq(c.nr, 2);
	/* DMA32: atomic free 500 <= low 375 + boost 40 + 0? no: 500 > 415, passes */
	ck_assert_str_eq(c.zones[0].name, "DMA32");
	ck_assert(c.zones[0].pass);
	ck_assert_int_eq(c.zones[0].out.need, 415);
	ck_assert_int_eq(c.zones[0].free_snapshot, 501);
	/* DMA: 3000 <= 25 + lowmem_reserve[Normal] 2900 = 2925? no, passes */
	ck_assert(c.zones[1].pass);
	ck_assert_int_eq(c.first_pass, 0);
	ms_alloc_check_free(&c);

	/* Order 2 at min: DMA32 passes the order-0 part, but has no order >= 2 block. */
	req.order = 2;
	req.wmark = MS_WMARK_MIN;
	ck_assert_ptr_null(ms_alloc_check(t, &zi, &req, &c));
	ck_assert_int_eq(c.zones[0].out.verdict, MS_WMARK_NO_BLOCK);
	ms_alloc_check_free(&c);
	{
		/* An order-3 movable block in DMA32 makes it pass. */
		uint64_t z = fake_zone(f, 0, 1), h = z + Z_FREE_AREA + 3 * FA_SIZE + 1 * 16;

		fake_put_u64(f, h, 0xffff888000abc000ull);
		zi.zones[1].nr_free[3] = 1;
		ck_assert_ptr_null(ms_alloc_check(t, &zi, &req, &c));
		ck_assert(c.zones[0].pass);
		ck_assert_int_eq(c.zones[0].out.order_found, 3);
		ck_assert_uint_eq(c.zones[0].blocks, 1);
		ms_alloc_check_free(&c);
	}

	/* Highest zone DMA: only DMA is eligible, lowmem_reserve[DMA] is 0. */
	req.order = 0;
	req.highest_zoneidx = 0;
	ck_assert_ptr_null(ms_alloc_check(t, &zi, &req, &c));
	ck_assert_uint_eq(c.nr, 1);
	ck_assert_str_eq(c.zones[0].name, "DMA");
	ck_assert_int_eq(c.zones[0].in.lowmem_reserve, 0);
	ms_alloc_check_free(&c);
	ms_zoneinfo_free(&zi);
	fake_free(f);
}
END_TEST

START_TEST(test_alloc_check_fallback_fails)
{
	struct fake *f = zone_kernel();
	struct ms_target *t = fake_target(f);
	struct ms_alloc_req req = { 0, -1, -1, MS_WMARK_LOW, MS_GFP_KERNEL };
	struct ms_alloc_check c;
	struct ms_zoneinfo zi;

	/* DMA32 nearly empty, DMA full but behind lowmem_reserve: "free pages left". */
	fake_put_u64(f, fake_zone(f, 0, 1) + Z_VM_STAT, 100);
	fake_put_u64(f, fake_zone(f, 0, 0) + Z_HIGHATOMIC, 80);
	ck_assert_ptr_null(ms_zoneinfo_read(t, &zi));
	ck_assert_ptr_null(ms_alloc_check(t, &zi, &req, &c));
	ck_assert(!c.zones[0].pass);
	ck_assert_int_eq(c.zones[0].out.verdict, MS_WMARK_BELOW);
	ck_assert(!c.zones[1].pass);		/* 3000 - 80 <= 25 + 2900 */
	ck_assert_int_eq(c.zones[1].out.unusable, 80);
	ck_assert_int_eq(c.first_pass, -1);
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);
		json_t *j = ms_alloc_check_json(&c);

		ms_alloc_check_print(out, &c);
		fclose(out);
		/* The reason in __zone_watermark_ok()'s terms, and what comes next. */
		ck_assert_ptr_nonnull(strstr(buf, "fails: free 3000 - unusable 80 (order 0 +"
					     " highatomic reserve 80) = 2920 <= min 25 +"
					     " lowmem_reserve[Normal] 2900"));
		ck_assert_ptr_nonnull(strstr(buf, "no zone passes at the low watermark"));
		ck_assert(json_is_null(json_object_get(j, "first_pass")));
		ck_assert_str_eq(json_string_value(json_object_get(
			json_array_get(json_object_get(j, "zones"), 0), "verdict")),
			"below_watermark");
		json_decref(j);
		free(buf);
	}
	ms_alloc_check_free(&c);
	/* GFP_ATOMIC in the slow path: the reserve is usable, min shrinks: DMA passes. */
	req.wmark = MS_WMARK_MIN;
	req.gfp = MS_GFP_ATOMIC;
	ck_assert_ptr_null(ms_alloc_check(t, &zi, &req, &c));
	ck_assert(!c.zones[0].pass);		/* 100 <= 340 - 170 - 42 = 128 */
	ck_assert_int_eq(c.zones[0].out.min, 128);
	ck_assert(c.zones[1].pass);		/* 3000 > 20 - 10 - 2 + 2900 */
	ck_assert_int_eq(c.first_pass, 1);
	ms_alloc_check_free(&c);
	ms_zoneinfo_free(&zi);
	fake_free(f);
}
END_TEST

START_TEST(test_alloc_check_atomic_boost_exemption)
{
	struct fake *f = zone_kernel();
	struct ms_target *t = fake_target(f);
	struct ms_alloc_req req = { 0, 1, -1, MS_WMARK_MIN, MS_GFP_ATOMIC };
	struct ms_alloc_check c;
	struct ms_zoneinfo zi;

	/* DMA32 free 130: with boost min = 340 -> 128 fails? 130 > 128 passes; use 120. */
	fake_put_u64(f, fake_zone(f, 0, 1) + Z_VM_STAT, 120);
	ck_assert_ptr_null(ms_zoneinfo_read(t, &zi));
	ck_assert_ptr_null(ms_alloc_check(t, &zi, &req, &c));
	/* zone_watermark_fast(): order-0 GFP_ATOMIC at min retries without the boost:
	 * 300 -> 150 -> 113, 120 > 113. */
	ck_assert(c.zones[0].pass);
	ck_assert(c.zones[0].boost_ignored);
	ck_assert_int_eq(c.zones[0].out.min, 113);
	ms_alloc_check_free(&c);
	ms_zoneinfo_free(&zi);
	fake_free(f);
}
END_TEST

START_TEST(test_zoneinfo_missing_layout)
{
	struct fake *f = fake_new();
	struct ms_zoneinfo zi;
	struct ms_error *err;

	fake_basic_kernel(f, 1, 1, 2);
	/* no struct zone member at all: an error that says what is missing, no crash */
	err = ms_zoneinfo_read(fake_target(f), &zi);
	ck_assert_ptr_nonnull(err);
	ck_assert_int_eq(err->code, MS_ERR_LOOKUP);
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "present_pages"));
	ms_error_destroy(err);
	fake_free(f);

	/* the sizes but no watermark: zoneinfo has nothing to print */
	f = fake_new();
	fake_basic_kernel(f, 1, 1, 2);
	fake_member(f, "zone", "present_pages", Z_PRESENT, 8);
	fake_member(f, "zone", "spanned_pages", Z_SPANNED, 8);
	fake_member(f, "zone", "managed_pages", Z_MANAGED, 8);
	err = ms_zoneinfo_read(fake_target(f), &zi);
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "watermarks"));
	ck_assert_str_eq(fake_warnings(f), "");	/* returned, not warned */
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

START_TEST(test_zoneinfo_unreadable_pcp_and_zonelist)
{
	struct fake *f = zone_kernel();
	struct ms_target *t = fake_target(f);
	struct ms_alloc_req req = { 0, -1, -1, MS_WMARK_LOW, MS_GFP_KERNEL };
	struct ms_alloc_check c;
	struct ms_zoneinfo zi;

	/* A per-cpu pointer into nowhere, a zonelist entry that is no zone. */
	fake_put_u64(f, fake_zone(f, 0, 1) + Z_PCP, 0xffff888012340000ull);
	fake_put_u64(f, fake_zone(f, 0, 0) + Z_ZONESTATS, 0xffff888012350000ull);
	fake_put_u64(f, fake_pgdat(f, 0) + P_ZONELISTS + 16, 0xffff888077770000ull);
	ck_assert_ptr_null(ms_zoneinfo_read(t, &zi));
	ck_assert(!ms_zi_zone(&zi, 0, 1)->pcp_ok);
	ck_assert(!ms_zi_zone(&zi, 0, 0)->numa_ok);
	{
		/* Unreadable counters print "?", never a made-up 0. */
		struct ms_zi_print_opts o = { 0 };
		char *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);

		ms_zoneinfo_print_proc(out, &zi, &o);
		fclose(out);
		ck_assert_ptr_nonnull(strstr(buf, "      numa_hit     ?\n"));
		free(buf);
	}
	ck_assert_ptr_null(ms_alloc_check(t, &zi, &req, &c));
	ck_assert_uint_eq(c.nr, 1);
	ck_assert(c.truncated);
	ck_assert_ptr_nonnull(strstr(fake_warnings(f), "not a zone"));
	ms_alloc_check_free(&c);
	ms_zoneinfo_free(&zi);
	fake_free(f);
}
END_TEST

/* ---- struct zone's layout, asked of zone.c ---- */

START_TEST(test_zone_layout_readers)
{
	struct fake *f = zone_kernel();
	struct ms_target *t = fake_target(f);
	const struct ms_zone_layout *l, *again;
	const struct ms_kernel *k;
	uint64_t z = fake_zone(f, 0, 1), v;
	struct ms_error *err;

	ck_assert_ptr_null(ms_kernel_get(t, &k));
	ck_assert_ptr_null(ms_zone_layout(t, &l));
	ck_assert_ptr_null(ms_zone_layout(t, &again));
	ck_assert_ptr_eq(l, again);			/* resolved once */
	ck_assert_uint_eq(l->nr_orders, NR_ORDERS);	/* free_area[]'s length */
	ck_assert_uint_eq(l->nr_migratetypes, 5);	/* free_list[]'s length */
	ck_assert_uint_eq(l->wmark_w, 8);		/* _watermark[] 32 bytes / NR_WMARK 4 */
	ck_assert_uint_eq(l->nr_reserve, 3);
	ck_assert_ptr_null(ms_zone_member(t, l, z, MS_ZONE_PRESENT, &v));
	ck_assert_uint_eq(v, 60000);
	/* cma_pages is absent (no CONFIG_CMA): it reads 0, it is no failure */
	ck_assert_ptr_null(ms_zone_member(t, l, z, MS_ZONE_CMA, &v));
	ck_assert_uint_eq(v, 0);
	ck_assert_ptr_null(ms_zone_wmark_raw(t, l, z, MS_WMARK_LOW, &v));
	ck_assert_uint_eq(v, 375);
	/* no WMARK_PROMO in this kernel */
	err = ms_zone_wmark_raw(t, l, z, MS_WMARK_PROMO, &v);
	ck_assert_int_eq(err->code, MS_ERR_LOOKUP);
	ms_error_destroy(err);
	err = ms_zone_nr_free(t, l, z, NR_ORDERS, &v);
	ck_assert_int_eq(err->code, MS_ERR_USAGE);
	ms_error_destroy(err);
	ck_assert_uint_eq(ms_zone_free_list(l, z, 2, 3), z + Z_FREE_AREA + 2 * FA_SIZE + 3 * 16);
	ck_assert_ptr_null(ms_zone_pcp_pages(t, k, l, z, &v));
	ck_assert_uint_eq(v, 10 + 11);
	fake_free(f);
}
END_TEST

/* The per-cpu lists walked block by block: list i holds order i / 3 below
 * 12 (pindex_to_order()), the pages add up to each cpu's count; a cycle in
 * one list is said with its cpu and list, the other lists still walked. */
struct pcp_seen {
	unsigned int blocks, pages;
	uint64_t first;
};

static struct ms_error *seen_block(uint64_t page, unsigned int order, void *arg)
{
	struct pcp_seen *s = arg;

	if (!s->blocks++)
		s->first = page;
	s->pages += 1u << order;
	return NULL;
}

/* n blocks of struct page (pcp_list at 8) on the list at head. */
static uint64_t pcp_list(struct fake *f, uint64_t head, unsigned int n)
{
	uint64_t prev = head, first = 0;

	for (unsigned int i = 0; i < n; i++) {
		uint64_t pg = fake_alloc(f, 64), node = pg + 8;

		if (!first)
			first = pg;
		fake_put_u64(f, prev, node);		/* prev->next */
		fake_put_u64(f, node + 8, prev);	/* node->prev */
		prev = node;
	}
	fake_put_u64(f, prev, head);
	fake_put_u64(f, head + 8, prev);
	return first;
}

START_TEST(test_zone_pcp_walk)
{
	struct fake *f = zone_kernel();
	struct ms_target *t = fake_target(f);
	const struct ms_zone_layout *l;
	const struct ms_kernel *k;
	uint64_t z = fake_zone(f, 0, 1), pcp, pages, count, first = 0;
	struct pcp_seen s = { 0 };
	struct ms_error *err;

	fake_member(f, "per_cpu_pages", "lists", 24, 14 * 16);
	fake_struct(f, "page", 64);
	fake_member(f, "page", "pcp_list", 8, 16);
	ck_assert_ptr_null(ms_kernel_get(t, &k));
	ck_assert_ptr_null(ms_zone_layout(t, &l));
	ck_assert_ptr_null(ms_read_u64(t, z + Z_PCP, &pcp));
	for (unsigned int c = 0; c < 2; c++) {
		uint64_t lists = pcp + fake_percpu_offset(f, c) + 24;

		for (unsigned int i = 0; i < 14; i++)
			pcp_list(f, lists + 16 * i, 0);
		if (c == 0) {			/* count 10: 2 x order 0, 2 x order 2 */
			first = pcp_list(f, lists + 16 * 0, 2);
			pcp_list(f, lists + 16 * 6, 2);
		} else {			/* count 11: 3 x order 0, 4 x order 1 */
			pcp_list(f, lists + 16 * 1, 3);
			pcp_list(f, lists + 16 * 3, 4);
		}
	}
	ck_assert_ptr_null(ms_zone_pcp_walk(t, k, l, z, seen_block, &s, &pages, &count));
	ck_assert_uint_eq(s.blocks, 11);
	ck_assert_uint_eq(s.pages, 21);
	ck_assert_uint_eq(s.first, first);		/* the struct page, not its list node */
	ck_assert_uint_eq(pages, 21);
	ck_assert_uint_eq(count, 21);

	/* cpu 1's list 3 loops back on its second node */
	{
		uint64_t head = pcp + fake_percpu_offset(f, 1) + 24 + 16 * 3, n1, n2;

		ck_assert_ptr_null(ms_read_u64(t, head, &n1));
		ck_assert_ptr_null(ms_read_u64(t, n1, &n2));
		fake_put_u64(f, n2, n1);
	}
	err = ms_zone_pcp_walk(t, k, l, z, NULL, NULL, &pages, &count);
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "cpu 1 pcp list 3"));
	ck_assert_uint_eq(count, 21);
	ck_assert_uint_ge(pages, 10 + 3);		/* the other lists still walked */
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

START_TEST(test_zone_watermark_width_from_the_array)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	const struct ms_zone_layout *l;
	uint64_t z, v;

	fake_basic_kernel(f, 1, 1, 1);
	fake_member(f, "zone", "present_pages", Z_PRESENT, 8);
	fake_member(f, "zone", "_watermark", Z_WMARK, 16);	/* 4 x u32 */
	fake_enum(f, "NR_WMARK", 4);
	fake_enum(f, "WMARK_HIGH", 2);
	z = fake_zone(f, 0, 0);
	fake_put_u32(f, z + Z_WMARK + 8, 77);
	fake_put_u32(f, z + Z_WMARK + 12, 0xffffffff);
	ck_assert_ptr_null(ms_zone_layout(t, &l));
	ck_assert_uint_eq(l->wmark_w, 4);
	ck_assert_ptr_null(ms_zone_wmark_raw(t, l, z, MS_WMARK_HIGH, &v));
	ck_assert_uint_eq(v, 77);
	/* no free_area[]: no orders, and the reader says so */
	ck_assert_uint_eq(l->nr_orders, 0);
	{
		struct ms_error *err = ms_zone_nr_free(t, l, z, 0, &v);

		ck_assert_int_eq(err->code, MS_ERR_LOOKUP);
		ms_error_destroy(err);
	}
	fake_free(f);
}
END_TEST

/*
 * The kernel adds the per-cpu parts of the online CPUs only
 * (zone_page_state_snapshot, fold_vm_zone_numa_events, zoneinfo_show_print,
 * show_free_areas): a possible CPU that is offline, with stale numbers in its
 * per-cpu areas, counts nowhere.
 */
START_TEST(test_offline_cpu_counts_nowhere)
{
	struct fake *f = zone_kernel_cpus(3);
	struct ms_target *t = fake_target(f);
	uint64_t z = fake_zone(f, 0, 1), pcp, zs, online, pages;
	const struct ms_zone_layout *l;
	const struct ms_kernel *k;
	struct ms_zoneinfo zi;
	const struct ms_zone *zn;

	ck_assert_ptr_null(ms_symbol(t, "__cpu_online_mask", &online));
	fake_put_u64(f, online, 0x3);			/* CPU 2 possible, not online */
	ck_assert_ptr_null(ms_read_u64(t, z + Z_PCP, &pcp));
	ck_assert_ptr_null(ms_read_u64(t, z + Z_ZONESTATS, &zs));
	fake_put_u32(f, pcp + fake_percpu_offset(f, 2) + 4, 1000);	/* count */
	put_u8(f, zs + fake_percpu_offset(f, 2) + 0, 100);		/* NR_FREE_PAGES */
	fake_put_u64(f, zs + fake_percpu_offset(f, 2) + 16, 7777);	/* numa_hit */

	ck_assert_ptr_null(ms_kernel_get(t, &k));
	ck_assert_uint_eq(k->nr_possible, 3);
	ck_assert_uint_eq(k->nr_online, 2);
	ck_assert_ptr_null(ms_zoneinfo_read(t, &zi));
	zn = ms_zi_zone(&zi, 0, 1);
	ck_assert_uint_eq(zn->nr_pcp, 2);
	ck_assert_uint_eq(zn->pcp_pages, 21);
	ck_assert_uint_eq(ms_zi_counter(&zn->stats, 0, false), 501);
	ck_assert_uint_eq(zn->numa[0], 110);
	ms_zoneinfo_free(&zi);
	ck_assert_ptr_null(ms_zone_layout(t, &l));
	ck_assert_ptr_null(ms_zone_pcp_pages(t, k, l, z, &pages));
	ck_assert_uint_eq(pages, 21);
	fake_free(f);
}
END_TEST

START_TEST(test_kernel_facts_errors)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	const struct ms_kernel *k;
	struct ms_error *err;

	/* nothing at all: the first fact missing, returned (not warned) */
	err = ms_kernel_get(t, &k);
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "nr_cpu_ids"));
	ck_assert_str_eq(fake_warnings(f), "");
	ms_error_destroy(err);
	fake_free(f);

	/* node_zones[] whose size is no multiple of the zones: no stride to trust */
	f = fake_new();
	t = fake_target(f);
	fake_basic_kernel(f, 1, 1, 3);
	fake_member(f, "pglist_data", "node_zones", FAKE_NODE_ZONES_OFF, 3 * FAKE_ZONE_SIZE + 8);
	err = ms_kernel_get(t, &k);
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "node_zones"));
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

static Suite *zone_suite(void)
{
	Suite *s = suite_create("zone");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_wmark_order0_boundary);
	tcase_add_test(tc, test_wmark_highatomic_and_cma);
	tcase_add_test(tc, test_wmark_reserve_reductions);
	tcase_add_test(tc, test_wmark_high_order_lists);
	tcase_add_test(tc, test_alloc_flags);
	tcase_add_test(tc, test_zoneinfo_folds_percpu);
	tcase_add_test(tc, test_zoneinfo_proc_layout);
	tcase_add_test(tc, test_alloc_check_zonelist);
	tcase_add_test(tc, test_alloc_check_fallback_fails);
	tcase_add_test(tc, test_alloc_check_atomic_boost_exemption);
	tcase_add_test(tc, test_zoneinfo_missing_layout);
	tcase_add_test(tc, test_zoneinfo_unreadable_pcp_and_zonelist);
	tcase_add_test(tc, test_zone_layout_readers);
	tcase_add_test(tc, test_zone_pcp_walk);
	tcase_add_test(tc, test_zone_watermark_width_from_the_array);
	tcase_add_test(tc, test_offline_cpu_counts_nowhere);
	tcase_add_test(tc, test_kernel_facts_errors);
	suite_add_tcase(s, tc);
	return s;
}
MS_SUITE(zone_suite)
