/*
 * test_buddy.c - the bounded list walk, the free lists against nr_free, and
 * the fragmentation arithmetic of mm/vmstat.c at its edges.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "fake_target.h"
#include "fragindex_print.h"
#include "freelist_print.h"
#include "list.h"
#include "suites.h"

/* --- lists ------------------------------------------------------------- */

static void list_types(struct fake *f)
{
	fake_struct(f, "list_head", 16);
	fake_member(f, "list_head", "next", 0, 8);
	fake_member(f, "list_head", "prev", 8, 8);
}

static void link(struct fake *f, uint64_t a, uint64_t next)
{
	fake_put_u64(f, a, next);
	fake_put_u64(f, next + 8, a);
}

/* A well-formed list: head and n entries 32 bytes apart in one allocation. */
static uint64_t make_list(struct fake *f, unsigned int n, uint64_t *nodes)
{
	uint64_t base = fake_alloc(f, 32ull * (n + 1)), prev = base;

	for (unsigned int i = 0; i < n; i++) {
		nodes[i] = base + 32ull * (i + 1);
		link(f, prev, nodes[i]);
		prev = nodes[i];
	}
	link(f, prev, base);
	return base;
}

static int count_cb(struct ms_target *t, uint64_t node, void *arg)
{
	(void)t;
	(void)node;
	return ++*(int *)arg == 3;	/* stop at the third entry */
}

START_TEST(test_list_ok_and_empty)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct ms_list_result r;
	uint64_t nodes[5], head, empty = fake_alloc(f, 16);
	int seen = 0;

	list_types(f);
	head = make_list(f, 5, nodes);
	ck_assert_int_eq(ms_list_walk(t, head, 100, MS_LIST_CHECK_PREV, NULL, NULL, &r), MS_LIST_OK);
	ck_assert_uint_eq(r.count, 5);
	/* The bound is the number of entries: exactly 5 still completes. */
	ck_assert_int_eq(ms_list_walk(t, head, 5, 0, NULL, NULL, &r), MS_LIST_OK);
	link(f, empty, empty);
	ck_assert_int_eq(ms_list_walk(t, empty, 0, MS_LIST_CHECK_PREV, NULL, NULL, &r), MS_LIST_OK);
	ck_assert_uint_eq(r.count, 0);
	ck_assert_int_eq(ms_list_walk(t, head, 100, 0, count_cb, &seen, &r), MS_LIST_STOPPED);
	ck_assert_uint_eq(r.count, 3);
	ck_assert_uint_eq(r.where, nodes[2]);
	fake_free(f);
}
END_TEST

START_TEST(test_list_cycle)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct ms_list_result r;
	uint64_t nodes[40], head;

	list_types(f);
	head = make_list(f, 40, nodes);
	/* The last entry loops back to entry 7: 33 entries go round forever. */
	fake_put_u64(f, nodes[39], nodes[7]);
	ck_assert_int_eq(ms_list_walk(t, head, 1000000, 0, NULL, NULL, &r), MS_LIST_CYCLE);
	ck_assert_uint_ge(r.count, 40);
	/* Brent: the tortoise settles in the loop at the first power of two
	 * >= max(mu + 1, lambda), and the hare meets it within lambda more. */
	ck_assert_uint_le(r.count, 2 * 33 + 33);
	ck_assert_str_eq(ms_list_status_name(r.status), "cycle");
	/* Checking prev pointers sees the bad link first, at the re-entered node. */
	ck_assert_int_eq(ms_list_walk(t, head, 1000000, MS_LIST_CHECK_PREV, NULL, NULL, &r),
			 MS_LIST_BADLINK);
	ck_assert_uint_eq(r.where, nodes[7]);
	ck_assert_uint_eq(r.count, 40);
	/* A node pointing at itself. */
	fake_put_u64(f, nodes[0], nodes[0]);
	ck_assert_int_eq(ms_list_walk(t, head, 1000000, 0, NULL, NULL, &r), MS_LIST_CYCLE);
	ck_assert_uint_eq(r.count, 1);
	fake_free(f);
}
END_TEST

START_TEST(test_list_broken_pointer)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct ms_list_result r;
	uint64_t nodes[4], head;

	list_types(f);
	head = make_list(f, 4, nodes);
	fake_put_u64(f, nodes[1], 0xdead000000000100ull);	/* unmapped */
	ck_assert_int_eq(ms_list_walk(t, head, 100, 0, NULL, NULL, &r), MS_LIST_UNREADABLE);
	ck_assert_uint_eq(r.count, 2);
	ck_assert_uint_eq(r.where, 0xdead000000000100ull);
	fake_put_u64(f, nodes[1], 0);				/* NULL */
	ck_assert_int_eq(ms_list_walk(t, head, 100, 0, NULL, NULL, &r), MS_LIST_UNREADABLE);
	ck_assert_uint_eq(r.where, 0);
	/* An unreadable head. */
	ck_assert_int_eq(ms_list_walk(t, 0xdead000000000000ull, 100, 0, NULL, NULL, &r),
			 MS_LIST_UNREADABLE);
	ck_assert_uint_eq(r.count, 0);
	fake_free(f);
}
END_TEST

START_TEST(test_list_longer_than_bound)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct ms_list_result r;
	uint64_t nodes[10], head;

	list_types(f);
	head = make_list(f, 10, nodes);
	ck_assert_int_eq(ms_list_walk(t, head, 4, MS_LIST_CHECK_PREV, NULL, NULL, &r),
			 MS_LIST_TRUNCATED);
	ck_assert_uint_eq(r.count, 4);
	ck_assert_uint_eq(r.where, nodes[4]);
	ck_assert_int_eq(ms_list_walk(t, head, 9, 0, NULL, NULL, &r), MS_LIST_TRUNCATED);
	ck_assert_int_eq(ms_list_walk(t, head, 0, 0, NULL, NULL, &r), MS_LIST_TRUNCATED);
	ck_assert_uint_eq(r.count, 0);
	fake_free(f);
}
END_TEST

/* --- fragmentation arithmetic ------------------------------------------ */

static int frag(const uint64_t *nr_free, unsigned int order)
{
	struct ms_contig_info info;

	ms_fill_contig_info(nr_free, 11, order, &info);
	return ms_fragmentation_index(order, 11, &info);
}

static int unusable(const uint64_t *nr_free, unsigned int order)
{
	struct ms_contig_info info;

	ms_fill_contig_info(nr_free, 11, order, &info);
	return ms_unusable_free_index(order, &info);
}

START_TEST(test_frag_edges)
{
	uint64_t none[11] = { 0 }, small[11] = { 10 }, one[11] = { 1 }, big[11] = { 0 };
	struct ms_contig_info info;
	char s[16];

	/* No free memory: all of it "unusable", and no fragmentation index. */
	ck_assert_int_eq(unusable(none, 0), 1000);
	ck_assert_int_eq(frag(none, 3), 0);
	/* Ten single pages: order 0 succeeds, order 2 fails for fragmentation:
	 * 1000 - (1000 + 10 * 1000 / 4) / 10 = 650; all 10 pages unusable. */
	ck_assert_int_eq(frag(small, 0), MS_FRAG_WOULD_SUCCEED);
	ck_assert_int_eq(unusable(small, 0), 0);
	ck_assert_int_eq(frag(small, 2), 650);
	ck_assert_int_eq(unusable(small, 2), 1000);
	/* One page, order 1: 1000 - (1000 + 500) / 1 = -500, printed "0.-500" like the kernel. */
	ck_assert_int_eq(frag(one, 1), -500);
	ms_index_str(s, sizeof(s), frag(one, 1));
	ck_assert_str_eq(s, "0.-500");
	ms_index_str(s, sizeof(s), MS_FRAG_WOULD_SUCCEED);
	ck_assert_str_eq(s, "-1.000");
	ms_index_str(s, sizeof(s), 1000);
	ck_assert_str_eq(s, "1.000");
	ms_index_str(s, sizeof(s), 58);
	ck_assert_str_eq(s, "0.058");
	/* One block of the largest order: everything succeeds, nothing unusable. */
	big[10] = 1;
	ck_assert_int_eq(frag(big, 10), MS_FRAG_WOULD_SUCCEED);
	ck_assert_int_eq(unusable(big, 10), 0);
	/* Suitable blocks count in units of the requested order. */
	ms_fill_contig_info(big, 11, 8, &info);
	ck_assert_uint_eq(info.free_blocks_suitable, 4);
	ck_assert_uint_eq(info.free_pages, 1024);
	/* Orders past MAX_ORDER: the kernel WARNs and answers 0. */
	ck_assert_int_eq(ms_fragmentation_index(11, 11, &info), 0);
	/* Large counts do not overflow: 2^40 single pages, order 10:
	 * 1000 - (1000 + 2^40 * 1000 / 1024) / 2^40 = 1000 - 0, all fragmentation. */
	small[0] = 1ull << 40;
	ck_assert_int_eq(unusable(small, 10), 1000);
	ck_assert_int_eq(frag(small, 10), 1000);
}
END_TEST

/* --- free lists of a fake zone ----------------------------------------- */

#define FA_OFF 0x100		/* zone.free_area */
#define FA_SIZE 88		/* struct free_area: 5 lists + nr_free */
#define NR_ORDERS 11
#define NR_TYPES 5

static uint64_t fl_head(struct fake *f, unsigned int o, unsigned int mt)
{
	return fake_zone(f, 0, 0) + FA_OFF + o * FA_SIZE + 16ull * mt;
}

/* One node, nr_zones zones of 4096 present pages, every list empty and nr_free 0. */
static void fake_buddy_zones(struct fake *f, unsigned int nr_zones)
{
	fake_basic_kernel(f, 1, 1, nr_zones);
	list_types(f);
	fake_member(f, "zone", "present_pages", 0x10, 8);
	fake_member(f, "zone", "free_area", FA_OFF, FA_SIZE * NR_ORDERS);
	fake_struct(f, "free_area", FA_SIZE);
	fake_member(f, "free_area", "free_list", 0, 16 * NR_TYPES);
	fake_member(f, "free_area", "nr_free", 16 * NR_TYPES, 8);
	fake_enum(f, "MIGRATE_TYPES", NR_TYPES);
	fake_enum(f, "MIGRATE_UNMOVABLE", 0);
	fake_enum(f, "MIGRATE_MOVABLE", 1);
	for (unsigned int zi = 0; zi < nr_zones; zi++) {
		uint64_t z = fake_zone(f, 0, zi);

		fake_put_u64(f, z + 0x10, 4096);
		for (unsigned int o = 0; o < NR_ORDERS; o++)
			for (unsigned int mt = 0; mt < NR_TYPES; mt++) {
				uint64_t h = z + FA_OFF + o * FA_SIZE + 16ull * mt;

				link(f, h, h);
			}
	}
}

static void fake_buddy_zone(struct fake *f)
{
	fake_buddy_zones(f, 1);
}

static void set_nr_free(struct fake *f, unsigned int o, uint64_t n)
{
	fake_put_u64(f, fake_zone(f, 0, 0) + FA_OFF + o * FA_SIZE + 16 * NR_TYPES, n);
}

/* Put n fresh entries on list (o, mt). */
static uint64_t *fill_list(struct fake *f, unsigned int o, unsigned int mt, unsigned int n)
{
	uint64_t head = fl_head(f, o, mt), base = fake_alloc(f, 16ull * n), prev = head;
	uint64_t *nodes = calloc(n, sizeof(*nodes));

	for (unsigned int i = 0; i < n; i++) {
		nodes[i] = base + 16ull * i;
		link(f, prev, nodes[i]);
		prev = nodes[i];
	}
	link(f, prev, head);
	return nodes;
}

static char *capture(void (*fn)(FILE *, const struct ms_buddy *, const struct ms_freelists *),
		     const struct ms_buddy *b, const struct ms_freelists *fl)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	fn(m, b, fl);
	fclose(m);
	return buf;
}

static void verify_print(FILE *out, const struct ms_buddy *b, const struct ms_freelists *fl)
{
	ms_freelists_verify_print(out, b, fl);
}

START_TEST(test_freelists_verify)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct ms_freelists fl;
	struct ms_buddy b;
	uint64_t *n0, *n3;
	char *out;

	fake_buddy_zone(f);
	free(fill_list(f, 2, 0, 3));
	free(fill_list(f, 2, 1, 4));
	set_nr_free(f, 2, 7);
	n3 = fill_list(f, 3, 1, 2);
	set_nr_free(f, 3, 3);				/* one more than listed */
	n0 = fill_list(f, 0, 1, 6);
	fake_put_u64(f, n0[5], n0[2]);			/* a cycle on order 0 */
	set_nr_free(f, 0, 6);

	ck_assert_ptr_null(ms_buddy_read(t, &b));
	ck_assert_ptr_null(ms_freelists_read(t, &b, MS_FREELIST_FULL, &fl));
	ck_assert_uint_eq(fl.nr_types, NR_TYPES);
	ck_assert_str_eq(fl.type_name[1], "Movable");
	ck_assert_str_eq(fl.type_name[4], "type4");	/* no name, no enumerator */
	ck_assert_uint_eq(fl.zones[0].cell[2][0].count, 3);
	ck_assert_uint_eq(fl.zones[0].cell[2][1].count, 4);
	/* Brent's tortoise waits on entry 2, where the loop re-enters: a cycle. */
	ck_assert_int_eq(fl.zones[0].cell[0][1].status, MS_LIST_CYCLE);
	out = capture(verify_print, &b, &fl);
	ck_assert_ptr_nonnull(strstr(out, "order  3: MISMATCH 2 on the lists, nr_free 3"));
	ck_assert_ptr_nonnull(strstr(out, "order  0: Movable      list cycle"));
	ck_assert_ptr_null(strstr(out, "order  2:"));
	ck_assert_ptr_nonnull(strstr(out, "2 orders with a mismatch"));
	free(out);
	ck_assert_ptr_nonnull(strstr(fake_warnings(f), "free list cycle"));
	ms_freelists_free(&fl);
	ms_buddy_free(&b);
	free(n0);
	free(n3);
	fake_free(f);
}
END_TEST

START_TEST(test_freelists_kernel_cap)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct ms_freelists fl;
	struct ms_buddy b;
	char *out;

	fake_buddy_zone(f);
	fake_put_u64(f, fake_zone(f, 0, 0) + 0x10, 1u << 20);	/* room for the long lists */
	free(fill_list(f, 0, 0, MS_PAGETYPEINFO_CAP));		/* the kernel's ">" */
	free(fill_list(f, 0, 1, MS_PAGETYPEINFO_CAP - 1));	/* still counted */
	ck_assert_ptr_null(ms_buddy_read(t, &b));
	ck_assert_ptr_null(ms_freelists_read(t, &b, MS_FREELIST_PROC, &fl));
	ck_assert_int_eq(fl.zones[0].cell[0][0].status, MS_LIST_TRUNCATED);
	ck_assert_int_eq(fl.zones[0].cell[0][1].status, MS_LIST_OK);
	out = capture(ms_freelists_print_proc, &b, &fl);
	ck_assert_ptr_nonnull(strstr(out, "type    Unmovable >100000      0 "));
	ck_assert_ptr_nonnull(strstr(out, "type      Movable  99999      0 "));
	ck_assert_ptr_nonnull(strstr(out, "Page block order: 10\n"));	/* no hugetlb: MAX_ORDER-1 */
	free(out);
	ms_freelists_free(&fl);
	/* The whole walk gives the exact count, and the table still prints the cap. */
	ck_assert_ptr_null(ms_freelists_read(t, &b, MS_FREELIST_FULL, &fl));
	ck_assert_int_eq(fl.zones[0].cell[0][0].status, MS_LIST_OK);
	ck_assert_uint_eq(fl.zones[0].cell[0][0].count, MS_PAGETYPEINFO_CAP);
	out = capture(ms_freelists_print_proc, &b, &fl);
	ck_assert_ptr_nonnull(strstr(out, "type    Unmovable >100000 "));
	free(out);
	ms_freelists_free(&fl);
	ms_buddy_free(&b);
	fake_free(f);
}
END_TEST

/* --- pageblocks: a synthetic SPARSEMEM_EXTREME memory model ------------- */

#define PB_ORDER 9
#define SECTION_PAGES (1ull << (27 - 12))	/* SECTION_SIZE_BITS 27, 4 KiB pages */
#define BLOCKS_PER_SECTION (SECTION_PAGES >> PB_ORDER)
#define SEC_PRESENT 0x1ull
#define SEC_ONLINE 0x4ull			/* SECTION_IS_ONLINE_BIT 2 */
#define USAGE_SUBSEC 16				/* after struct rcu_head */
#define USAGE_FLAGS 24
#define ZONE_START 0x18
#define ZONE_SPANNED 0x20

struct fake_sparse {
	uint64_t roots;		/* mem_section's value: the root pointer array */
	uint64_t root0;		/* sections 0..255 */
};

/* The 6.1 names the code resolves; section size, roots and the pointer from VMCOREINFO. */
static struct fake_sparse fake_sparse(struct fake *f)
{
	struct fake_sparse sp;
	uint64_t var = fake_alloc(f, 8), order = fake_alloc(f, 4);
	char hex[32];

	fake_struct(f, "mem_section", 16);
	fake_member(f, "mem_section", "section_mem_map", 0, 8);
	fake_member(f, "mem_section", "usage", 8, 8);
	fake_struct(f, "mem_section_usage", USAGE_FLAGS);
	fake_member(f, "mem_section_usage", "subsection_map", USAGE_SUBSEC, 8);
	fake_member(f, "mem_section_usage", "pageblock_flags", USAGE_FLAGS, 0);
	fake_enum(f, "SECTION_IS_ONLINE_BIT", 2);
	fake_enum(f, "PB_migrate", 0);
	fake_enum(f, "PB_migrate_end", 2);
	fake_enum(f, "NR_PAGEBLOCK_BITS", 4);
	fake_enum(f, "MIGRATE_RECLAIMABLE", 2);
	fake_enum(f, "MIGRATE_HIGHATOMIC", 3);
	fake_enum(f, "MIGRATE_ISOLATE", 4);
	fake_member(f, "zone", "zone_start_pfn", ZONE_START, 8);
	fake_member(f, "zone", "spanned_pages", ZONE_SPANNED, 8);
	fake_put_u32(f, order, PB_ORDER);
	fake_symbol(f, "pageblock_order", order);
	sp.roots = fake_alloc(f, 8 * 4);
	sp.root0 = fake_alloc(f, 4096);		/* PAGE_SIZE / 16 = 256 sections */
	fake_put_u64(f, sp.roots, sp.root0);
	fake_put_u64(f, var, sp.roots);
	fake_symbol(f, "mem_section", var);
	snprintf(hex, sizeof(hex), "%llx", (unsigned long long)sp.roots);
	fake_vmcoreinfo(f, "SYMBOL(mem_section)", hex);
	fake_vmcoreinfo(f, "LENGTH(mem_section)", "4");
	fake_vmcoreinfo(f, "NUMBER(SECTION_SIZE_BITS)", "27");
	fake_vmcoreinfo(f, "NUMBER(MAX_PHYSMEM_BITS)", "46");
	return sp;
}

/* Section nr with flags and a fresh usage: every subsection valid, every block Movable. */
static uint64_t fake_section(struct fake *f, const struct fake_sparse *sp, unsigned int nr,
			     uint64_t flags)
{
	uint64_t usage = fake_alloc(f, USAGE_FLAGS + BLOCKS_PER_SECTION * 4 / 8);

	fake_put_u64(f, sp->root0 + 16ull * nr, flags | 0xffffea0000000000ull);
	fake_put_u64(f, sp->root0 + 16ull * nr + 8, usage);
	fake_put_u64(f, usage + USAGE_SUBSEC, ~0ull);
	for (unsigned int w = 0; w < BLOCKS_PER_SECTION / 16; w++)
		fake_put_u64(f, usage + USAGE_FLAGS + 8ull * w, 0x1111111111111111ull);
	return usage;
}

/* Set the 4 flag bits of block k of a section (the skip bit is bit 3). */
static void set_block(struct fake *f, uint64_t usage, unsigned int k, unsigned int bits)
{
	uint64_t a = usage + USAGE_FLAGS + 8ull * (k / 16), w = 0;
	struct ms_target *t = fake_target(f);

	ms_read_u64(t, a, &w);
	w &= ~(0xfull << (k % 16 * 4));
	w |= (uint64_t)bits << (k % 16 * 4);
	fake_put_u64(f, a, w);
}

static void set_span(struct fake *f, unsigned int zi, uint64_t start, uint64_t spanned)
{
	fake_put_u64(f, fake_zone(f, 0, zi) + ZONE_START, start);
	fake_put_u64(f, fake_zone(f, 0, zi) + ZONE_SPANNED, spanned);
}

START_TEST(test_pageblocks_decoded)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct fake_sparse sp;
	struct ms_freelists fl;
	struct ms_zone_blocks *zb;
	struct ms_buddy b;
	uint64_t u0, u2;
	char *out;

	fake_buddy_zone(f);
	sp = fake_sparse(f);
	/* Blocks start at pfn 1 + 512 k, like a DMA zone: three sections. */
	set_span(f, 0, 1, 3 * SECTION_PAGES - 1);
	u0 = fake_section(f, &sp, 0, SEC_PRESENT | SEC_ONLINE);
	set_block(f, u0, 0, 0);			/* Unmovable */
	set_block(f, u0, 3, 0x8 | 2);		/* Reclaimable, skip bit set: masked off */
	set_block(f, u0, 5, 0);			/* its subsection is not valid: not counted */
	fake_put_u64(f, u0 + USAGE_SUBSEC, ~(1ull << 5));
	set_block(f, u0, 7, 7);			/* >= MIGRATE_TYPES: the kernel skips it */
	set_block(f, u0, 63, 3);		/* HighAtomic, the last block of the section */
	fake_section(f, &sp, 1, SEC_PRESENT);	/* present, not online: 64 blocks offline */
	u2 = fake_section(f, &sp, 2, SEC_PRESENT | SEC_ONLINE);
	for (unsigned int k = 0; k < BLOCKS_PER_SECTION; k++)
		set_block(f, u2, k, k == 10 ? 4 : 0);	/* Unmovable but one Isolate */

	ck_assert_ptr_null(ms_buddy_read(t, &b));
	ck_assert_ptr_null(ms_freelists_read(t, &b, MS_FREELIST_PROC, &fl));
	zb = &fl.zones[0].blocks;
	ck_assert_int_eq(zb->status, MS_BLOCKS_OK);
	ck_assert_uint_eq(zb->start_pfn, 1);
	ck_assert_uint_eq(zb->end_pfn, 3 * SECTION_PAGES);
	ck_assert_uint_eq(zb->count[0], 1 + 63);
	ck_assert_uint_eq(zb->count[1], 64 - 5);
	ck_assert_uint_eq(zb->count[2], 1);
	ck_assert_uint_eq(zb->count[3], 1);
	ck_assert_uint_eq(zb->count[4], 1);
	ck_assert_uint_eq(zb->offline, 1 + 64);
	ck_assert_uint_eq(zb->beyond, 1);
	ck_assert_int_eq(fl.page_owner, MS_PAGE_OWNER_ABSENT);
	out = capture(ms_freelists_print_proc, &b, &fl);
	ck_assert_ptr_nonnull(strstr(out,
		"\n\nNumber of blocks type     Unmovable      Movable  Reclaimable   HighAtomic      Isolate \n"
		"Node 0, zone      DMA           64           59            1            1            1 \n"));
	ck_assert_ptr_null(strstr(out, "mixed"));
	free(out);
	ck_assert_str_eq(fake_warnings(f), "");
	ms_freelists_free(&fl);
	ms_buddy_free(&b);
	fake_free(f);
}
END_TEST

START_TEST(test_pageblocks_refused)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct fake_sparse sp;
	struct ms_freelists fl;
	struct ms_buddy b;
	uint64_t key = fake_alloc(f, 8);
	char *out;

	fake_buddy_zones(f, 3);
	sp = fake_sparse(f);
	fake_section(f, &sp, 0, SEC_PRESENT | SEC_ONLINE);
	fake_section(f, &sp, 1, SEC_PRESENT | SEC_ONLINE);
	/* Section 2's usage pointer leads nowhere. */
	fake_section(f, &sp, 2, SEC_PRESENT | SEC_ONLINE);
	fake_put_u64(f, sp.root0 + 16 * 2 + 8, 0xdead000000000000ull);
	/* Zones 0 and 1 overlap (Movable inside Normal); zone 2 reads a bad section. */
	set_span(f, 0, 0, SECTION_PAGES);
	set_span(f, 1, SECTION_PAGES / 2, SECTION_PAGES);
	set_span(f, 2, 2 * SECTION_PAGES, SECTION_PAGES);
	/* page_owner built in and enabled: the kernel would print mixed blocks too. */
	fake_struct(f, "static_key", 16);
	fake_member(f, "static_key", "enabled", 0, 4);
	fake_member(f, "static_key_false", "key", 0, 16);
	fake_put_u32(f, key, 1);
	fake_symbol(f, "page_owner_inited", key);

	ck_assert_ptr_null(ms_buddy_read(t, &b));
	ck_assert_uint_eq(b.nr_zones, 3);
	ck_assert_ptr_null(ms_freelists_read(t, &b, MS_FREELIST_PROC, &fl));
	ck_assert_int_eq(fl.zones[0].blocks.status, MS_BLOCKS_OVERLAP);
	ck_assert_str_eq(fl.zones[0].blocks.other_zone, "DMA32");
	ck_assert_int_eq(fl.zones[1].blocks.status, MS_BLOCKS_OVERLAP);
	ck_assert_str_eq(fl.zones[1].blocks.other_zone, "DMA");
	ck_assert_int_eq(fl.zones[2].blocks.status, MS_BLOCKS_UNREADABLE);
	ck_assert_int_eq(fl.page_owner, MS_PAGE_OWNER_ON);
	out = capture(ms_freelists_print_proc, &b, &fl);
	ck_assert_ptr_nonnull(strstr(out, "Node 0, zone      DMA (not shown: its pfns overlap node 0 zone DMA32"));
	ck_assert_ptr_nonnull(strstr(out, "Node 0, zone   Normal (not shown: its span, a mem_section"));
	ck_assert_ptr_nonnull(strstr(out, "\nNumber of mixed blocks (not shown: "));
	free(out);
	ck_assert_ptr_nonnull(strstr(fake_warnings(f), "mem_section 2: cannot read"));
	ms_freelists_free(&fl);

	/* Touching spans are not overlapping: zone 1 now starts where zone 0 ends. */
	set_span(f, 1, SECTION_PAGES, SECTION_PAGES);
	ck_assert_ptr_null(ms_freelists_read(t, &b, MS_FREELIST_PROC, &fl));
	ck_assert_int_eq(fl.zones[0].blocks.status, MS_BLOCKS_OK);
	ck_assert_uint_eq(fl.zones[0].blocks.count[1], BLOCKS_PER_SECTION);
	ck_assert_int_eq(fl.zones[1].blocks.status, MS_BLOCKS_OK);
	ms_freelists_free(&fl);
	ms_buddy_free(&b);
	fake_free(f);
}
END_TEST

START_TEST(test_pageblocks_missing_root)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct fake_sparse sp;
	struct ms_freelists fl;
	struct ms_buddy b;

	fake_buddy_zone(f);
	sp = fake_sparse(f);
	fake_section(f, &sp, 0, SEC_PRESENT | SEC_ONLINE);
	/* A span reaching into root 1 (NULL) and past NR_SECTION_ROOTS: no page there. */
	set_span(f, 0, 0, 5 * 256 * SECTION_PAGES);
	ck_assert_ptr_null(ms_buddy_read(t, &b));
	ck_assert_ptr_null(ms_freelists_read(t, &b, MS_FREELIST_PROC, &fl));
	ck_assert_int_eq(fl.zones[0].blocks.status, MS_BLOCKS_OK);
	ck_assert_uint_eq(fl.zones[0].blocks.count[1], BLOCKS_PER_SECTION);
	ck_assert_uint_eq(fl.zones[0].blocks.offline, (5 * 256 - 1) * BLOCKS_PER_SECTION);
	ck_assert_str_eq(fake_warnings(f), "");
	ms_freelists_free(&fl);
	ms_buddy_free(&b);
	fake_free(f);
}
END_TEST

static Suite *buddy_suite(void)
{
	Suite *s = suite_create("buddy");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_list_ok_and_empty);
	tcase_add_test(tc, test_list_cycle);
	tcase_add_test(tc, test_list_broken_pointer);
	tcase_add_test(tc, test_list_longer_than_bound);
	tcase_add_test(tc, test_frag_edges);
	tcase_add_test(tc, test_freelists_verify);
	tcase_add_test(tc, test_freelists_kernel_cap);
	tcase_add_test(tc, test_pageblocks_decoded);
	tcase_add_test(tc, test_pageblocks_refused);
	tcase_add_test(tc, test_pageblocks_missing_root);
	suite_add_tcase(s, tc);
	return s;
}
MS_SUITE(buddy_suite)
