/*
 * test_census.c - page classification (census.c) on synthetic struct pages,
 * in 6.1's layout (PAGE_TYPE_BASE bits, PG_slab, page[1].compound_dtor) and
 * 6.12's (enum pagetype in page_type's top byte): each class, a compound
 * page's tails, a free block's pages, and corrupt entries.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "census.h"
#include "tasks.h"
#include "fake_target.h"
#include "suites.h"

enum { SZ = 64, FLAGS = 0, HEAD = 8, DTOR = 16, MAPPING = 24, PRIV = 40, TYPE = 48, REF = 52 };
enum { PG_lru = 4, PG_slab = 9, PG_reserved = 12, PG_head = 16, PG_swapbacked = 19,
       PG_unevictable = 20 };

static struct fake *layout(bool pgty)
{
	struct fake *f = fake_new();

	fake_struct(f, "page", SZ);
	fake_member(f, "page", "flags", FLAGS, 8);
	fake_member(f, "page", "compound_head", HEAD, 8);
	fake_member(f, "page", "mapping", MAPPING, 8);
	fake_member(f, "page", "private", PRIV, 8);
	fake_member(f, "page", "page_type", TYPE, 4);
	fake_member(f, "page", "_refcount", REF, 4);
	fake_enum(f, "PG_lru", PG_lru);
	fake_enum(f, "PG_reserved", PG_reserved);
	fake_enum(f, "PG_head", PG_head);
	fake_enum(f, "PG_swapbacked", PG_swapbacked);
	fake_enum(f, "PG_unevictable", PG_unevictable);
	if (pgty) {
		fake_enum(f, "PGTY_buddy", 0xf0);
		fake_enum(f, "PGTY_table", 0xf2);
		fake_enum(f, "PGTY_hugetlb", 0xf4);
		fake_enum(f, "PGTY_slab", 0xf5);
		fake_enum(f, "PGTY_zsmalloc", 0xf6);
	} else {
		fake_enum(f, "PG_slab", PG_slab);
		fake_member(f, "page", "compound_dtor", DTOR, 1);
		fake_enum(f, "HUGETLB_PAGE_DTOR", 2);
		fake_vmcoreinfo(f, "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)", "-129");
	}
	return f;
}

struct pg {
	unsigned char b[SZ];
};

static struct pg page(uint64_t flags, uint32_t type, int32_t ref, uint64_t mapping)
{
	struct pg p;

	memset(&p, 0, sizeof(p));
	memcpy(p.b + FLAGS, &flags, 8);
	memcpy(p.b + TYPE, &type, 4);
	memcpy(p.b + REF, &ref, 4);
	memcpy(p.b + MAPPING, &mapping, 8);
	return p;
}

static enum ms_census_class one(struct ms_target *t, struct ms_page_layout *l, struct pg p)
{
	struct ms_census_walk w = { 0 };

	return ms_census_classify(t, l, &w, 0x1000, p.b, NULL);
}

#define NO_TYPE_61 0xffffffffu		/* _mapcount -1 */

START_TEST(test_classes_61)
{
	struct fake *f = layout(false);
	struct ms_target *t = fake_target(f);
	struct ms_page_layout l;

	ck_assert_ptr_null(ms_page_layout_get(t, &l));
	ck_assert(!l.pgty);
	ck_assert_uint_eq(l.ty_buddy, 0x80);
	ck_assert_int_eq(one(t, &l, page(0, 0xffffff7fu, 0, 0)), MS_CC_BUDDY);
	ck_assert_int_eq(one(t, &l, page(0, 0xfffffdffu, 1, 0)), MS_CC_PAGETABLE);
	ck_assert_int_eq(one(t, &l, page(0, 0xfffffeffu, 1, 0)), MS_CC_OFFLINE);
	ck_assert_int_eq(one(t, &l, page(1ull << PG_slab, NO_TYPE_61, 1, 0)), MS_CC_SLAB);
	ck_assert_int_eq(one(t, &l, page(1ull << PG_reserved, NO_TYPE_61, 1, 0)), MS_CC_RESERVED);
	ck_assert_int_eq(one(t, &l, page(1ull << PG_lru, 0, 1, 0xffff888000001000ull)), MS_CC_LRU_FILE);
	ck_assert_int_eq(one(t, &l, page(1ull << PG_lru | 1ull << PG_swapbacked, 0, 1,
					 0xffff888000001001ull)), MS_CC_LRU_ANON);
	ck_assert_int_eq(one(t, &l, page(1ull << PG_lru | 1ull << PG_swapbacked, 0, 1,
					 0xffff888000001000ull)), MS_CC_LRU_SHMEM);
	ck_assert_int_eq(one(t, &l, page(1ull << PG_lru | 1ull << PG_unevictable, 0, 1, 0)),
			 MS_CC_UNEVICTABLE);
	ck_assert_int_eq(one(t, &l, page(0, NO_TYPE_61, 0, 0)), MS_CC_PCP);
	ck_assert_int_eq(one(t, &l, page(0, NO_TYPE_61, 3, 0)), MS_CC_NO_OWNER);
	/* _mapcount 0 (a mapped page) is no type: 0 & PAGE_TYPE_BASE != PAGE_TYPE_BASE */
	ck_assert_int_eq(one(t, &l, page(0, 0, 2, 0)), MS_CC_NO_OWNER);
	fake_free(f);
}
END_TEST

START_TEST(test_classes_612)
{
	struct fake *f = layout(true);
	struct ms_target *t = fake_target(f);
	struct ms_page_layout l;

	ck_assert_ptr_null(ms_page_layout_get(t, &l));
	ck_assert(l.pgty);
	ck_assert_int_eq(l.pg_slab, -1);
	ck_assert_int_eq(one(t, &l, page(0, 0xf0000000u, 0, 0)), MS_CC_BUDDY);
	ck_assert_int_eq(one(t, &l, page(0, 0xf2000000u, 1, 0)), MS_CC_PAGETABLE);
	ck_assert_int_eq(one(t, &l, page(0, 0xf5000000u, 1, 0)), MS_CC_SLAB);
	ck_assert_int_eq(one(t, &l, page(0, 0xf6000000u, 1, 0)), MS_CC_ZSMALLOC);
	ck_assert_int_eq(one(t, &l, page(1ull << PG_head, 0xf4000000u, 0, 0)), MS_CC_HUGETLB);
	/* bit 9 is no longer PG_slab on 6.12: a page with it set and no type */
	ck_assert_int_eq(one(t, &l, page(1ull << 9, 0xffffffffu, 1, 0)), MS_CC_NO_OWNER);
	fake_free(f);
}
END_TEST

/* A compound page: tails count with their head; a free block of order 2
 * gives its 4 pages to the buddy class; a tail whose head was not seen. */
START_TEST(test_compound_and_blocks)
{
	struct fake *f = layout(false);
	struct ms_target *t = fake_target(f);
	struct ms_page_layout l;
	struct ms_census_walk w = { 0 };
	struct pg head = page(1ull << PG_head, NO_TYPE_61, 1, 0), tail = page(0, NO_TYPE_61, 0, 0);
	struct pg next = page(0, NO_TYPE_61, 0, 0), buddy = page(0, 0xffffff7fu, 0, 0);
	uint64_t ch = 0x1000 + 1, order = 2;

	ck_assert_ptr_null(ms_page_layout_get(t, &l));
	memcpy(tail.b + HEAD, &ch, 8);
	ck_assert_int_eq(ms_census_classify(t, &l, &w, 0x1000, head.b, tail.b), MS_CC_NO_OWNER);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(ms_census_classify(t, &l, &w, 0x1040 + i * SZ, tail.b, NULL),
				 MS_CC_NO_OWNER);
	/* 6.1 PageHuge(): page[1].compound_dtor == HUGETLB_PAGE_DTOR */
	next.b[DTOR] = 2;
	ck_assert_int_eq(ms_census_classify(t, &l, &w, 0x2000, head.b, next.b), MS_CC_HUGETLB);
	ch = 0x2000 + 1;
	memcpy(tail.b + HEAD, &ch, 8);
	ck_assert_int_eq(ms_census_classify(t, &l, &w, 0x2040, tail.b, NULL), MS_CC_HUGETLB);
	ch = 0x9000 + 1;
	memcpy(tail.b + HEAD, &ch, 8);
	ck_assert_int_eq(ms_census_classify(t, &l, &w, 0x2080, tail.b, NULL), MS_CC_TAIL_ORPHAN);
	memcpy(buddy.b + PRIV, &order, 8);
	ck_assert_int_eq(ms_census_classify(t, &l, &w, 0x3000, buddy.b, NULL), MS_CC_BUDDY);
	for (int i = 1; i < 4; i++)
		ck_assert_int_eq(ms_census_classify(t, &l, &w, 0x3000 + i * SZ, head.b, NULL),
				 MS_CC_BUDDY);
	ck_assert_int_eq(ms_census_classify(t, &l, &w, 0x3100, tail.b, NULL), MS_CC_TAIL_ORPHAN);
	ck_assert_uint_eq(w.corrupt, 0);
	fake_free(f);
}
END_TEST

/* A buddy head with a garbage order: counted once, as corrupt, and the walk
 * does not swallow the pages after it. */
START_TEST(test_corrupt_order)
{
	struct fake *f = layout(true);
	struct ms_target *t = fake_target(f);
	struct ms_page_layout l;
	struct ms_census_walk w = { 0 };
	struct pg buddy = page(0, 0xf0000000u, 0, 0), used = page(0, 0xffffffffu, 1, 0);
	uint64_t order = 0xdeadbeefull;

	ck_assert_ptr_null(ms_page_layout_get(t, &l));
	memcpy(buddy.b + PRIV, &order, 8);
	ck_assert_int_eq(ms_census_classify(t, &l, &w, 0x1000, buddy.b, NULL), MS_CC_BUDDY);
	ck_assert_uint_eq(w.corrupt, 1);
	ck_assert_int_eq(ms_census_classify(t, &l, &w, 0x1040, used.b, NULL), MS_CC_NO_OWNER);
	fake_free(f);
}
END_TEST

/* No struct page layout: an error naming it, not a guess. */
START_TEST(test_no_layout)
{
	struct fake *f = fake_new();
	struct ms_page_layout l;
	struct ms_error *err = ms_page_layout_get(fake_target(f), &l);

	ck_assert(ms_error_is(err, MS_ERR_LOOKUP));
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "struct page"));
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

/* The idle threads' stacks (vmalloc'ed, on no task list): rq->idle of each
 * cpu but init_task's; an unreadable runqueue is an error naming the cpu. */
enum { RQ_SIZE = 0x100, RQ_IDLE = 0x40, TASK_SIZE = 0x200, TASK_VM = 0x80 };

START_TEST(test_idle_stack_areas)
{
	struct fake *f = fake_new();
	uint64_t rqs, init_task, idle1, idle2, v[4];
	struct ms_error *err;
	size_t nr;

	fake_basic_kernel(f, 3, 1, 1);
	fake_struct(f, "rq", RQ_SIZE);
	fake_member(f, "rq", "idle", RQ_IDLE, 8);
	fake_struct(f, "task_struct", TASK_SIZE);
	fake_member(f, "task_struct", "stack_vm_area", TASK_VM, 8);
	rqs = fake_alloc_percpu(f, RQ_SIZE);
	fake_symbol(f, "runqueues", rqs);
	init_task = fake_alloc(f, TASK_SIZE);
	idle1 = fake_alloc(f, TASK_SIZE);
	idle2 = fake_alloc(f, TASK_SIZE);
	fake_symbol(f, "init_task", init_task);
	fake_put_u64(f, init_task + TASK_VM, 0);		/* init_stack: no area */
	fake_put_u64(f, idle1 + TASK_VM, 0xffffc90000001000ull);
	fake_put_u64(f, idle2 + TASK_VM, 0xffffc90000002000ull);
	fake_put_u64(f, rqs + fake_percpu_offset(f, 0) + RQ_IDLE, init_task);
	fake_put_u64(f, rqs + fake_percpu_offset(f, 1) + RQ_IDLE, idle1);
	fake_put_u64(f, rqs + fake_percpu_offset(f, 2) + RQ_IDLE, idle2);

	err = ms_idle_stack_areas(fake_target(f), v, 4, &nr);
	ck_assert_ptr_null(err);
	ck_assert_uint_eq(nr, 2);
	ck_assert_uint_eq(v[0], 0xffffc90000001000ull);
	ck_assert_uint_eq(v[1], 0xffffc90000002000ull);

	/* at most cap */
	err = ms_idle_stack_areas(fake_target(f), v, 1, &nr);
	ck_assert_ptr_null(err);
	ck_assert_uint_eq(nr, 1);

	/* cpu 2's runqueue unreadable: the error says which cpu */
	fake_missing(f, rqs + fake_percpu_offset(f, 2) + RQ_IDLE, 8);
	err = ms_idle_stack_areas(fake_target(f), v, 4, &nr);
	ck_assert(ms_error_is(err, MS_ERR_MISSING));
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "cpu 2: rq->idle"));
	ck_assert_uint_eq(nr, 1);
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

static Suite *census_suite(void)
{
	Suite *s = suite_create("census");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_classes_61);
	tcase_add_test(tc, test_classes_612);
	tcase_add_test(tc, test_compound_and_blocks);
	tcase_add_test(tc, test_corrupt_order);
	tcase_add_test(tc, test_no_layout);
	tcase_add_test(tc, test_idle_stack_areas);
	suite_add_tcase(s, tc);
	return s;
}
MS_SUITE(census_suite)
