/*
 * test_maple.c - the maple tree walk on synthetic trees: every node type,
 * a cycle, bad pivots and an unreadable node (each a partial answer with
 * its cause); the VMA walk over a maple tree and over the pre-6.1 list.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "fake_target.h"
#include "maple.h"
#include "suites.h"
#include "vma.h"

/* 6.1's layout on x86_64 (only the names matter to maple.c). */
#define MT_ROOT 8
#define MN_SLOT 8		/* maple_node.slot[31] */
#define R64_PIVOT 8		/* maple_range_64.pivot[15] */
#define R64_SLOT 128		/* .slot[16] */
#define R64_META 248
#define A64_PIVOT 8		/* maple_arange_64.pivot[9] */
#define A64_SLOT 80		/* .slot[10] */
#define A64_META 240

enum { DENSE, LEAF64, RANGE64, ARANGE64 };

static void maple_types(struct fake *f)
{
	fake_struct(f, "maple_tree", 24);
	fake_member(f, "maple_tree", "ma_root", MT_ROOT, 8);
	fake_struct(f, "maple_node", 256);
	fake_member(f, "maple_node", "slot", MN_SLOT, 31 * 8);
	fake_member(f, "maple_range_64", "pivot", R64_PIVOT, 15 * 8);
	fake_member(f, "maple_range_64", "slot", R64_SLOT, 16 * 8);
	fake_member(f, "maple_range_64", "meta", R64_META, 2);
	fake_member(f, "maple_arange_64", "pivot", A64_PIVOT, 9 * 8);
	fake_member(f, "maple_arange_64", "slot", A64_SLOT, 10 * 8);
	fake_member(f, "maple_arange_64", "meta", A64_META, 2);
	fake_member(f, "maple_metadata", "end", 0, 1);
	fake_enum(f, "maple_dense", DENSE);
	fake_enum(f, "maple_leaf_64", LEAF64);
	fake_enum(f, "maple_range_64", RANGE64);
	fake_enum(f, "maple_arange_64", ARANGE64);
}

/* A node (page-aligned, so 256-aligned) and its encoded pointer (mt_mk_node()). */
static uint64_t node(struct fake *f, uint64_t *enode, int type)
{
	uint64_t n = fake_alloc(f, 256);

	*enode = n | ((uint64_t)type << 3) | 4;
	return n;
}

/* Fill a range/leaf node: n slots with their pivots (the last one implied). */
static void ranges(struct fake *f, uint64_t n, int type, const uint64_t *piv,
		   const uint64_t *slot, unsigned int nr)
{
	long p = type == ARANGE64 ? A64_PIVOT : R64_PIVOT;
	long s = type == ARANGE64 ? A64_SLOT : R64_SLOT;
	unsigned int npiv = type == ARANGE64 ? 9 : 15;
	unsigned char end = (unsigned char)(nr - 1);

	for (unsigned int i = 0; i < nr; i++) {
		if (i < npiv && i + 1 < nr)
			fake_put_u64(f, n + p + 8 * i, piv[i]);
		fake_put_u64(f, n + s + 8 * i, slot[i]);
	}
	fake_put(f, n + (type == ARANGE64 ? A64_META : R64_META), &end, 1);
}

struct seen {
	unsigned int n;
	uint64_t first[64], last[64], entry[64];
};

static struct ms_error *collect(struct ms_target *t, uint64_t first, uint64_t last,
				uint64_t entry, void *arg)
{
	struct seen *s = arg;

	(void)t;
	if (s->n < 64) {
		s->first[s->n] = first;
		s->last[s->n] = last;
		s->entry[s->n] = entry;
	}
	s->n++;
	return NULL;
}

/*
 * root arange_64 [0, max]: slot 0 -> range_64 over [0, 999]
 *                                     slot 0 -> leaf_64 [0, 499]: gap, A [100, 199], gap
 *                                     slot 1 -> dense [500, 999]: B at 500, C at 502
 *                          slot 1 -> leaf_64 [1000, max]: D [1000, 4095], gap
 */
struct tree {
	uint64_t tree, root, r64, leaf0, dense, leaf1;
	uint64_t e_root, e_r64, e_leaf0, e_dense, e_leaf1;
};

#define A 0x1000000ull
#define B 0x1000100ull
#define C 0x1000200ull
#define D 0x1000300ull

static void make_tree(struct fake *f, struct tree *m)
{
	uint64_t p[4], s[4];

	m->tree = fake_alloc(f, 24);
	m->root = node(f, &m->e_root, ARANGE64);
	m->r64 = node(f, &m->e_r64, RANGE64);
	m->leaf0 = node(f, &m->e_leaf0, LEAF64);
	m->dense = node(f, &m->e_dense, DENSE);
	m->leaf1 = node(f, &m->e_leaf1, LEAF64);
	/* mt_mk_root(): the root node pointer carries MAPLE_ROOT_NODE (0x02). */
	fake_put_u64(f, m->tree + MT_ROOT, (m->e_root & ~7ull) | 2 | (ARANGE64 << 3));
	p[0] = 999; s[0] = m->e_r64; s[1] = m->e_leaf1;
	ranges(f, m->root, ARANGE64, p, s, 2);
	p[0] = 499; s[0] = m->e_leaf0; s[1] = m->e_dense;
	ranges(f, m->r64, RANGE64, p, s, 2);
	p[0] = 99; p[1] = 199; s[0] = 0; s[1] = A; s[2] = 0;
	ranges(f, m->leaf0, LEAF64, p, s, 3);
	fake_put_u64(f, m->dense + MN_SLOT + 0, B);
	fake_put_u64(f, m->dense + MN_SLOT + 16, C);
	p[0] = 4095; s[0] = D; s[1] = 0;
	ranges(f, m->leaf1, LEAF64, p, s, 2);
}

START_TEST(test_every_node_type)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct ms_maple_result r;
	struct seen s = { 0 };
	struct tree m;

	maple_types(f);
	make_tree(f, &m);
	ck_assert_ptr_null(ms_maple_walk(t, m.tree, 100, collect, &s, &r));
	ck_assert(r.complete);
	ck_assert_uint_eq(r.nodes, 5);
	ck_assert_uint_eq(s.n, 4);
	ck_assert_uint_eq(s.entry[0], A);
	ck_assert_uint_eq(s.first[0], 100);
	ck_assert_uint_eq(s.last[0], 199);
	ck_assert_uint_eq(s.entry[1], B);
	ck_assert_uint_eq(s.first[1], 500);
	ck_assert_uint_eq(s.last[1], 500);
	ck_assert_uint_eq(s.entry[2], C);
	ck_assert_uint_eq(s.first[2], 502);
	ck_assert_uint_eq(s.entry[3], D);
	ck_assert_uint_eq(s.first[3], 1000);
	ck_assert_uint_eq(s.last[3], 4095);
	fake_free(f);
}
END_TEST

START_TEST(test_lone_root_entry_and_empty_tree)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct ms_maple_result r;
	struct seen s = { 0 };
	uint64_t tree;

	maple_types(f);
	tree = fake_alloc(f, 24);
	ck_assert_ptr_null(ms_maple_walk(t, tree, 100, collect, &s, &r));
	ck_assert(r.complete);
	ck_assert_uint_eq(s.n, 0);
	fake_put_u64(f, tree + MT_ROOT, A);
	ck_assert_ptr_null(ms_maple_walk(t, tree, 100, collect, &s, &r));
	ck_assert_uint_eq(s.n, 1);
	ck_assert_uint_eq(s.entry[0], A);
	ck_assert_uint_eq(s.last[0], 0);
	fake_free(f);
}
END_TEST

/* The dense node's slot in the range_64 node points back at the root: the
 * root is met twice; everything else is still walked once. */
START_TEST(test_cycle_is_cut)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct ms_maple_result r;
	struct seen s = { 0 };
	struct ms_error *err;
	struct tree m;

	maple_types(f);
	make_tree(f, &m);
	fake_put_u64(f, m.r64 + R64_SLOT + 8, m.e_root);
	err = ms_maple_walk(t, m.tree, 100, collect, &s, &r);
	ck_assert_ptr_nonnull(err);
	ck_assert_int_eq(err->code, MS_ERR_CORRUPT);
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "met twice"));
	ck_assert(!r.complete);
	ck_assert(!r.stopped);
	ck_assert_uint_eq(s.n, 2);	/* A, then D: B and C were behind the bad slot */
	ck_assert_uint_eq(s.entry[0], A);
	ck_assert_uint_eq(s.entry[1], D);
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

/* A leaf whose pivots go backwards: what comes before is kept, the rest of
 * the node is skipped, and the walk goes on in the next node. */
START_TEST(test_bad_pivots_are_said)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct ms_maple_result r;
	struct seen s = { 0 };
	struct ms_error *err;
	struct tree m;

	maple_types(f);
	make_tree(f, &m);
	fake_put_u64(f, m.leaf0 + R64_PIVOT + 8, 50);	/* pivot 1 below pivot 0 (99) */
	err = ms_maple_walk(t, m.tree, 100, collect, &s, &r);
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "pivot 1"));
	ck_assert(!r.complete);
	ck_assert_uint_eq(s.n, 3);	/* B, C, D */
	ck_assert_uint_eq(s.entry[0], B);
	ms_error_destroy(err);

	/* A pivot beyond the node's max, in the inner node. */
	make_tree(f, &m);
	fake_put_u64(f, m.r64 + R64_PIVOT, 5000);
	memset(&s, 0, sizeof(s));
	err = ms_maple_walk(t, m.tree, 100, collect, &s, &r);
	ck_assert_ptr_nonnull(err);
	ck_assert_uint_eq(s.n, 1);	/* D only */
	ck_assert_uint_eq(s.entry[0], D);
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

START_TEST(test_unreadable_node_and_unknown_type)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct ms_maple_result r;
	struct seen s = { 0 };
	struct ms_error *err;
	struct tree m;

	maple_types(f);
	make_tree(f, &m);
	fake_missing(f, m.dense, 256);
	err = ms_maple_walk(t, m.tree, 100, collect, &s, &r);
	ck_assert_ptr_nonnull(err);
	ck_assert_int_eq(err->code, MS_ERR_MISSING);
	ck_assert_uint_eq(s.n, 2);	/* A, D */
	ms_error_destroy(err);

	make_tree(f, &m);
	fake_put_u64(f, m.root + A64_SLOT + 8, m.leaf1 | (9 << 3) | 4);
	memset(&s, 0, sizeof(s));
	err = ms_maple_walk(t, m.tree, 100, collect, &s, &r);
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "unknown type 9"));
	ck_assert_uint_eq(s.n, 3);
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

START_TEST(test_entry_bound)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct ms_maple_result r;
	struct seen s = { 0 };
	struct ms_error *err;
	struct tree m;

	maple_types(f);
	make_tree(f, &m);
	err = ms_maple_walk(t, m.tree, 2, collect, &s, &r);
	ck_assert_ptr_nonnull(err);
	ck_assert_uint_eq(s.n, 2);
	ck_assert(!r.complete);
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

/* ---- VMAs ---------------------------------------------------------------- */

#define VM_START 0
#define VM_END 8
#define VM_FLAGS 32
#define VM_NEXT 40
#define VM_FILE 112
#define VMA_SIZE 152

static void vma_types(struct fake *f, bool list)
{
	fake_struct(f, "vm_area_struct", VMA_SIZE);
	fake_member(f, "vm_area_struct", "vm_start", VM_START, 8);
	fake_member(f, "vm_area_struct", "vm_end", VM_END, 8);
	fake_member(f, "vm_area_struct", "vm_flags", VM_FLAGS, 8);
	fake_member(f, "vm_area_struct", "vm_file", VM_FILE, 8);
	if (list)
		fake_member(f, "vm_area_struct", "vm_next", VM_NEXT, 8);
}

static uint64_t vma(struct fake *f, uint64_t start, uint64_t end, uint64_t flags)
{
	uint64_t v = fake_alloc(f, VMA_SIZE);

	fake_put_u64(f, v + VM_START, start);
	fake_put_u64(f, v + VM_END, end);
	fake_put_u64(f, v + VM_FLAGS, flags);
	return v;
}

struct vmas {
	unsigned int n;
	uint64_t account;
};

static struct ms_error *count_vma(struct ms_target *t, const struct ms_vma *v, void *arg)
{
	struct vmas *a = arg;
	struct ms_vm_flags fl;

	ms_vm_flags(t, &fl);
	a->n++;
	if (v->flags & fl.account)
		a->account += v->end - v->start;
	return NULL;
}

START_TEST(test_vmas_from_the_maple_tree)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct ms_task p = { .map_count = 2 };
	struct ms_vma_result r;
	struct vmas a = { 0 };
	struct ms_vm_flags fl;
	uint64_t leaf, e, piv[3], slot[3], v1, v2;
	struct ms_error *err;

	maple_types(f);
	vma_types(f, false);
	ms_vm_flags(t, &fl);
	ck_assert_uint_eq(fl.account, 0x00100000);	/* the #define, no VMA_ACCOUNT_BIT */
	v1 = vma(f, 0x400000, 0x401000, fl.account | fl.write);
	v2 = vma(f, 0x7f0000000000, 0x7f0002000000, 0x1);
	p.vma_tree = fake_alloc(f, 24);
	leaf = node(f, &e, LEAF64);
	fake_put_u64(f, p.vma_tree + MT_ROOT, (leaf | 2 | (LEAF64 << 3)));
	piv[0] = 0x3fffff; piv[1] = 0x400fff; piv[2] = 0x7effffffffff;
	slot[0] = 0; slot[1] = v1; slot[2] = 0;
	ranges(f, leaf, LEAF64, piv, slot, 3);
	ck_assert_ptr_null(ms_vma_walk(t, &p, count_vma, &a, &r));
	ck_assert_uint_eq(a.n, 1);
	/* One more VMA, in the tree's last slot. */
	fake_put_u64(f, leaf + R64_PIVOT + 16, 0x7effffffffff);
	fake_put_u64(f, leaf + R64_PIVOT + 24, 0x7f0001ffffff);
	fake_put_u64(f, leaf + R64_SLOT + 24, v2);
	fake_put_u64(f, leaf + R64_SLOT + 32, 0);
	fake_put(f, leaf + R64_META, &(unsigned char){ 4 }, 1);
	memset(&a, 0, sizeof(a));
	ck_assert_ptr_null(ms_vma_walk(t, &p, count_vma, &a, &r));
	ck_assert(r.complete);
	ck_assert_uint_eq(a.n, 2);
	ck_assert_uint_eq(a.account, 0x1000);
	/* A VMA whose range disagrees with the tree is not counted, and said. */
	fake_put_u64(f, v2 + VM_END, 0x7f0003000000);
	memset(&a, 0, sizeof(a));
	err = ms_vma_walk(t, &p, count_vma, &a, &r);
	ck_assert_ptr_nonnull(err);
	ck_assert(!r.complete);
	ck_assert_uint_eq(a.n, 1);
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

/* Before 6.1: the mm->mmap list; a link back to an earlier VMA is a cycle. */
START_TEST(test_vmas_from_the_list)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct ms_task p = { .map_count = 3 };
	struct ms_vma_result r;
	struct vmas a = { 0 };
	uint64_t v[3];
	struct ms_error *err;

	vma_types(f, true);
	fake_enum(f, "VMA_ACCOUNT_BIT", 20);
	for (int i = 0; i < 3; i++)
		v[i] = vma(f, 0x10000ull * (i + 1), 0x10000ull * (i + 1) + 0x2000,
			   i == 1 ? 1ull << 20 : 0);
	fake_put_u64(f, v[0] + VM_NEXT, v[1]);
	fake_put_u64(f, v[1] + VM_NEXT, v[2]);
	p.vma_list = v[0];
	ck_assert_ptr_null(ms_vma_walk(t, &p, count_vma, &a, &r));
	ck_assert(r.complete);
	ck_assert_uint_eq(a.n, 3);
	ck_assert_uint_eq(a.account, 0x2000);
	fake_put_u64(f, v[2] + VM_NEXT, v[0]);
	memset(&a, 0, sizeof(a));
	err = ms_vma_walk(t, &p, count_vma, &a, &r);
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "a cycle"));
	ck_assert_uint_eq(a.n, 3);
	ck_assert(!r.complete);
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

static Suite *maple_suite(void)
{
	Suite *s = suite_create("maple");
	TCase *tc = tcase_create("walk");

	tcase_add_test(tc, test_every_node_type);
	tcase_add_test(tc, test_lone_root_entry_and_empty_tree);
	tcase_add_test(tc, test_cycle_is_cut);
	tcase_add_test(tc, test_bad_pivots_are_said);
	tcase_add_test(tc, test_unreadable_node_and_unknown_type);
	tcase_add_test(tc, test_entry_bound);
	tcase_add_test(tc, test_vmas_from_the_maple_tree);
	tcase_add_test(tc, test_vmas_from_the_list);
	suite_add_tcase(s, tc);
	return s;
}

MS_SUITE(maple_suite)
