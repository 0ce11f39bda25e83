/*
 * test_slab.c - per-cache SLUB counters, /proc/slabinfo layout, broken lists.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "fake_target.h"
#include "slab_print.h"
#include "suites.h"

/* 6.1 x86_64 offsets (ptype /o struct kmem_cache, kmem_cache_node, slab). */
#define KC_SIZE 24
#define KC_OBJSIZE 28
#define KC_OO 52
#define KC_NAME 96
#define KC_LIST 104
#define KC_NODE 216
#define KC_LEN (KC_NODE + 8 * 2)
#define KN_NR_PARTIAL 8
#define KN_PARTIAL 16
#define KN_NR_SLABS 32
#define KN_TOTAL 40
#define SL_LIST 8
#define SL_COUNTERS 40

static void slab_types(struct fake *f)
{
	fake_struct(f, "kmem_cache", KC_LEN);
	fake_member(f, "kmem_cache", "size", KC_SIZE, 4);
	fake_member(f, "kmem_cache", "object_size", KC_OBJSIZE, 4);
	fake_member(f, "kmem_cache", "oo", KC_OO, 4);
	fake_member(f, "kmem_cache_order_objects", "x", 0, 4);
	fake_member(f, "kmem_cache", "name", KC_NAME, 8);
	fake_member(f, "kmem_cache", "list", KC_LIST, 16);
	fake_member(f, "kmem_cache", "node", KC_NODE, 8 * 2);
	fake_struct(f, "kmem_cache_node", 64);
	fake_member(f, "kmem_cache_node", "nr_partial", KN_NR_PARTIAL, 8);
	fake_member(f, "kmem_cache_node", "partial", KN_PARTIAL, 16);
	fake_member(f, "kmem_cache_node", "nr_slabs", KN_NR_SLABS, 8);
	fake_member(f, "kmem_cache_node", "total_objects", KN_TOTAL, 8);
	fake_struct(f, "slab", 64);
	fake_member(f, "slab", "slab_list", SL_LIST, 16);
	fake_member(f, "slab", "counters", SL_COUNTERS, 8);
	fake_member(f, "list_head", "next", 0, 8);
	fake_member(f, "list_head", "prev", 8, 8);
}

static void list_link(struct fake *f, uint64_t a, uint64_t b)
{
	fake_put_u64(f, a, b);		/* a->next = b */
	fake_put_u64(f, b + 8, a);	/* b->prev = a */
}

static uint64_t new_cache(struct fake *f, const char *name, unsigned int size,
			  unsigned int order, unsigned int objects)
{
	uint64_t c = fake_alloc(f, KC_LEN), s = fake_alloc(f, 64);

	fake_put(f, s, name, strlen(name) + 1);
	fake_put_u64(f, c + KC_NAME, s);
	fake_put_u32(f, c + KC_SIZE, size);
	fake_put_u32(f, c + KC_OBJSIZE, size - 8);
	fake_put_u32(f, c + KC_OO, (order << 16) | objects);
	return c;
}

/* A kmem_cache_node with the given counters and partial slabs (inuse, objects pairs). */
static uint64_t new_node(struct fake *f, uint64_t cache, int node, uint64_t nr_slabs,
			 uint64_t total, const unsigned int *partial, unsigned int nr_partial)
{
	uint64_t n = fake_alloc(f, 64), prev = n + KN_PARTIAL;

	fake_put_u64(f, cache + KC_NODE + 8 * node, n);
	fake_put_u64(f, n + KN_NR_SLABS, nr_slabs);
	fake_put_u64(f, n + KN_TOTAL, total);
	fake_put_u64(f, n + KN_NR_PARTIAL, nr_partial);
	for (unsigned int i = 0; i < nr_partial; i++) {
		uint64_t sl = fake_alloc(f, 64);

		/* counters: inuse:16, objects:15, frozen:1 */
		fake_put_u64(f, sl + SL_COUNTERS, partial[2 * i] | (uint64_t)partial[2 * i + 1] << 16);
		list_link(f, prev, sl + SL_LIST);
		prev = sl + SL_LIST;
	}
	list_link(f, prev, n + KN_PARTIAL);
	return n;
}

/* Two caches on a 2-node kernel; returns the slab_caches head. */
static uint64_t two_caches(struct fake *f, uint64_t *c1, uint64_t *c2)
{
	static const unsigned int partial[] = { 10, 16, 3, 16 };	/* 6 + 13 free */
	uint64_t head;

	fake_basic_kernel(f, 2, 2, 1);
	slab_types(f);
	head = fake_alloc(f, 16);
	fake_symbol(f, "slab_caches", head);
	*c1 = new_cache(f, "kmalloc-256", 256, 0, 16);
	new_node(f, *c1, 0, 5, 80, partial, 2);
	new_node(f, *c1, 1, 1, 16, NULL, 0);
	*c2 = new_cache(f, "inode_cache_with_a_long_name", 640, 1, 12);
	new_node(f, *c2, 0, 3, 36, NULL, 0);
	list_link(f, head, *c1 + KC_LIST);
	list_link(f, *c1 + KC_LIST, *c2 + KC_LIST);
	list_link(f, *c2 + KC_LIST, head);
	return head;
}

START_TEST(test_counters_and_partial_free)
{
	struct fake *f = fake_new();
	struct ms_slab s;
	uint64_t c1, c2;

	two_caches(f, &c1, &c2);
	ck_assert_ptr_null(ms_slab_read(fake_target(f), &s));
	ck_assert(s.list_complete);
	ck_assert_uint_eq(s.nr_caches, 2);
	ck_assert_str_eq(s.caches[0].name, "kmalloc-256");
	ck_assert_uint_eq(s.caches[0].nr_nodes, 2);
	ck_assert_uint_eq(s.caches[0].nr_slabs, 6);
	ck_assert_uint_eq(s.caches[0].total_objects, 96);
	ck_assert_uint_eq(s.caches[0].free_objects, 19);
	ck_assert_uint_eq(ms_slab_active(&s.caches[0]), 77);
	ck_assert(s.caches[0].complete);
	ck_assert_uint_eq(s.caches[1].order, 1);
	ck_assert_uint_eq(s.caches[1].objects, 12);
	ck_assert_uint_eq(s.caches[1].object_size, 632);
	ck_assert_uint_eq(ms_slab_pages(&s.caches[1]), 6);
	ck_assert_uint_eq(s.cache_pages, 12);
	/* No node counters in this fake kernel: Slab unknown, said so. */
	ck_assert(!s.slab_pages_ok);
	ck_assert_ptr_nonnull(strstr(fake_warnings(f), "Slab total unknown"));
	ms_slab_free(&s);
	fake_free(f);
}
END_TEST

START_TEST(test_proc_layout)
{
	struct fake *f = fake_new();
	struct ms_slab s;
	uint64_t c1, c2;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	two_caches(f, &c1, &c2);
	ck_assert_ptr_null(ms_slab_read(fake_target(f), &s));
	ms_slab_print_proc(out, &s);
	fclose(out);
	/* Byte for byte what mm/slab_common.c cache_show prints. */
	ck_assert_str_eq(buf,
		"slabinfo - version: 2.1\n"
		"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
		" : tunables <limit> <batchcount> <sharedfactor>"
		" : slabdata <active_slabs> <num_slabs> <sharedavail>\n"
		"kmalloc-256           77     96    256   16    1 : tunables    0    0    0"
		" : slabdata      6      6      0\n"
		"inode_cache_with_a_long_name     36     36    640   12    2 : tunables    0    0    0"
		" : slabdata      3      3      0\n");
	free(buf);
	ms_slab_free(&s);
	fake_free(f);
}
END_TEST

START_TEST(test_broken_lists_are_bounded)
{
	struct fake *f = fake_new();
	struct ms_slab s;
	uint64_t c1, c2, n;

	two_caches(f, &c1, &c2);
	/* slab_caches loops back to the first cache, never to the head. */
	fake_put_u64(f, c2 + KC_LIST, c1 + KC_LIST);
	/* node 1 of the first cache: a partial list pointing into unmapped memory. */
	fake_put_u64(f, c1 + KC_NODE + 8, 0);
	n = new_node(f, c1, 1, 1, 16, NULL, 0);
	fake_put_u64(f, n + KN_PARTIAL, 0xdead000000000100ull);
	ck_assert_ptr_null(ms_slab_read(fake_target(f), &s));
	ck_assert(!s.list_complete);
	ck_assert_uint_eq(s.nr_caches, 2);
	ck_assert(!s.caches[0].complete);
	ck_assert(s.caches[1].complete);
	ck_assert_ptr_nonnull(strstr(fake_warnings(f), "slab_caches: list"));
	ck_assert_ptr_nonnull(strstr(fake_warnings(f), "kmalloc-256 node 1: partial list"));
	ms_slab_free(&s);
	fake_free(f);
}
END_TEST

START_TEST(test_bad_oo_is_not_used)
{
	struct fake *f = fake_new();
	struct ms_slab s;
	uint64_t c1, c2;

	two_caches(f, &c1, &c2);
	/* 40 objects of 640 bytes do not fit an order-1 slab. */
	fake_put_u32(f, c2 + KC_OO, (1u << 16) | 40);
	ck_assert_ptr_null(ms_slab_read(fake_target(f), &s));
	ck_assert(!s.caches[1].complete);
	ck_assert_ptr_nonnull(strstr(fake_warnings(f), "does not decode"));
	ms_slab_free(&s);
	fake_free(f);
}
END_TEST

START_TEST(test_not_slub)
{
	struct fake *f = fake_new();
	struct ms_error *err;
	struct ms_slab s;

	fake_basic_kernel(f, 1, 1, 1);
	err = ms_slab_read(fake_target(f), &s);
	ck_assert(ms_error_is(err, MS_ERR_LOOKUP));
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "not a SLUB kernel"));
	ck_assert_uint_eq(s.nr_caches, 0);
	ms_error_destroy(err);
	ms_slab_free(&s);
	fake_free(f);
}
END_TEST

static Suite *slab_suite(void)
{
	Suite *s = suite_create("slab");
	TCase *tc = tcase_create("slab");

	tcase_add_test(tc, test_counters_and_partial_free);
	tcase_add_test(tc, test_proc_layout);
	tcase_add_test(tc, test_broken_lists_are_bounded);
	tcase_add_test(tc, test_bad_oo_is_not_used);
	tcase_add_test(tc, test_not_slub);
	suite_add_tcase(s, tc);
	return s;
}
MS_SUITE(slab_suite)
