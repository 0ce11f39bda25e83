/*
 * test_memcg.c - memory cgroups from a synthetic kernel: the css walk and
 * kernfs paths, the rstat fold (flushed state, state_pending, per-cpu
 * deltas over the subtree), the memory.stat rows from memory_stats[] with
 * their units and "slab", a cycle in a children list, and a corrupt kernfs
 * name, each giving a clear reason and a partial tree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fake_target.h"
#include "memcg.h"
#include "memcg_oom.h"
#include "snapshot_memcg.h"
#include "suites.h"

/* A made-up layout (only names matter to memcg.c). */
#define CSS_CGROUP 0x00
#define CSS_SIBLING 0x20
#define CSS_CHILDREN 0x30
#define CSS_FLAGS 0x54
#define MC_MEMORY 0x100
#define MC_SWAP 0x200
#define MC_EVENTS 0x300
#define MC_VMSTATS 0x360
#define MC_PCPU 0x368
#define MC_SIZE 0x400
#define PC_USAGE 0x00
#define PC_WATERMARK 0x70
#define PC_FAILCNT 0x78
#define PC_MIN 0x80
#define PC_LOW 0x88
#define PC_HIGH 0x90
#define PC_MAX 0x98
#define NST 4			/* state[] entries */
#define VS_STATE 0x00
#define VS_PENDING 0x40
#define VS_SIZE 0x80
#define CG_NR_DESC 0x10
#define CG_NR_DYING 0x14
#define CG_KN 0x100
#define CG_SIZE 0x200
#define KN_PARENT 0x08
#define KN_NAME 0x10
#define KN_SIZE 0x80
#define PCMAX (0x7fffffffffffffffull >> 12)

enum { ANON, FILE_, SLAB_U, SLAB_R };

struct cg {
	uint64_t memcg, cgroup, kn, vmstats, pcpu;
};

struct kernel {
	struct fake *f;
	struct cg root, a, b, c;	/* /, /a, /b, /a/c (c dying) */
};

static void types(struct fake *f)
{
	fake_member(f, "list_head", "next", 0, 8);
	fake_member(f, "list_head", "prev", 8, 8);
	fake_struct(f, "mem_cgroup", MC_SIZE);
	fake_member(f, "mem_cgroup", "css", 0, 0xc8);
	fake_member(f, "cgroup_subsys_state", "cgroup", CSS_CGROUP, 8);
	fake_member(f, "cgroup_subsys_state", "sibling", CSS_SIBLING, 16);
	fake_member(f, "cgroup_subsys_state", "children", CSS_CHILDREN, 16);
	fake_member(f, "cgroup_subsys_state", "flags", CSS_FLAGS, 4);
	fake_member(f, "mem_cgroup", "memory", MC_MEMORY, 0xc0);
	fake_member(f, "mem_cgroup", "swap", MC_SWAP, 0xc0);
	fake_member(f, "mem_cgroup", "memory_events", MC_EVENTS, 9 * 8);
	fake_member(f, "mem_cgroup", "vmstats", MC_VMSTATS, 8);
	fake_member(f, "mem_cgroup", "vmstats_percpu", MC_PCPU, 8);
	fake_member(f, "page_counter", "usage", PC_USAGE, 8);
	fake_member(f, "page_counter", "watermark", PC_WATERMARK, 8);
	fake_member(f, "page_counter", "failcnt", PC_FAILCNT, 8);
	fake_member(f, "page_counter", "min", PC_MIN, 8);
	fake_member(f, "page_counter", "low", PC_LOW, 8);
	fake_member(f, "page_counter", "high", PC_HIGH, 8);
	fake_member(f, "page_counter", "max", PC_MAX, 8);
	fake_struct(f, "memcg_vmstats", VS_SIZE);
	fake_member(f, "memcg_vmstats", "state", VS_STATE, NST * 8);
	fake_member(f, "memcg_vmstats", "state_pending", VS_PENDING, NST * 8);
	fake_struct(f, "memcg_vmstats_percpu", VS_SIZE);
	fake_member(f, "memcg_vmstats_percpu", "state", VS_STATE, NST * 8);
	fake_member(f, "memcg_vmstats_percpu", "state_prev", VS_PENDING, NST * 8);
	fake_struct(f, "cgroup", CG_SIZE);
	fake_member(f, "cgroup", "kn", CG_KN, 8);
	fake_member(f, "cgroup", "nr_descendants", CG_NR_DESC, 4);
	fake_member(f, "cgroup", "nr_dying_descendants", CG_NR_DYING, 4);
	fake_struct(f, "kernfs_node", KN_SIZE);
	fake_member(f, "kernfs_node", "parent", KN_PARENT, 8);
	fake_member(f, "kernfs_node", "name", KN_NAME, 8);
	fake_struct(f, "memory_stat", 16);
	fake_member(f, "memory_stat", "name", 0, 8);
	fake_member(f, "memory_stat", "idx", 8, 4);
	fake_enum(f, "CSS_ONLINE", 2);
	fake_enum(f, "MEMCG_LOW", 0);
	fake_enum(f, "MEMCG_HIGH", 1);
	fake_enum(f, "MEMCG_MAX", 2);
	fake_enum(f, "MEMCG_OOM", 3);
	fake_enum(f, "MEMCG_OOM_KILL", 4);
	fake_enum(f, "MEMCG_OOM_GROUP_KILL", 5);
	fake_enum(f, "NR_SLAB_UNRECLAIMABLE_B", SLAB_U);
	fake_enum(f, "NR_SLAB_RECLAIMABLE_B", SLAB_R);
}

static uint64_t str(struct fake *f, const char *s)
{
	uint64_t a = fake_alloc(f, strlen(s) + 1);

	fake_put(f, a, s, strlen(s) + 1);
	return a;
}

static struct cg make_cg(struct fake *f, const char *name, const struct cg *parent, bool online)
{
	struct cg c;

	c.memcg = fake_alloc(f, MC_SIZE);
	c.cgroup = fake_alloc(f, CG_SIZE);
	c.kn = fake_alloc(f, KN_SIZE);
	c.vmstats = fake_alloc(f, VS_SIZE);
	c.pcpu = fake_alloc_percpu(f, VS_SIZE);
	fake_put_u64(f, c.memcg + CSS_CGROUP, c.cgroup);
	fake_put_u32(f, c.memcg + CSS_FLAGS, online ? 2 | 1 : 1);
	fake_put_u64(f, c.memcg + CSS_CHILDREN, c.memcg + CSS_CHILDREN);
	fake_put_u64(f, c.memcg + CSS_CHILDREN + 8, c.memcg + CSS_CHILDREN);
	fake_put_u64(f, c.memcg + MC_VMSTATS, c.vmstats);
	fake_put_u64(f, c.memcg + MC_PCPU, c.pcpu);
	fake_put_u64(f, c.memcg + MC_MEMORY + PC_MAX, PCMAX);
	fake_put_u64(f, c.memcg + MC_MEMORY + PC_HIGH, PCMAX);
	fake_put_u64(f, c.memcg + MC_SWAP + PC_MAX, PCMAX);
	fake_put_u64(f, c.cgroup + CG_KN, c.kn);
	fake_put_u64(f, c.kn + KN_NAME, str(f, name));
	fake_put_u64(f, c.kn + KN_PARENT, parent ? parent->kn : 0);
	return c;
}

/* Link children (css.sibling) into parent's css.children, in order. */
static void children(struct fake *f, const struct cg *p, const struct cg *const *kids, int n)
{
	uint64_t head = p->memcg + CSS_CHILDREN, prev = head;

	for (int i = 0; i < n; i++) {
		uint64_t node = kids[i]->memcg + CSS_SIBLING;

		fake_put_u64(f, prev, node);
		fake_put_u64(f, node + 8, prev);
		prev = node;
	}
	fake_put_u64(f, prev, head);
	fake_put_u64(f, head + 8, prev);
}

static void put_stat(struct fake *f, uint64_t vs, long off, int i, int64_t v)
{
	fake_put_u64(f, vs + (uint64_t)off + 8u * (uint64_t)i, (uint64_t)v);
}

/* Per-cpu state[i] - state_prev[i] = delta on CPU cpu. */
static void put_delta(struct fake *f, const struct cg *c, unsigned int cpu, int i, int64_t delta)
{
	uint64_t a = c->pcpu + fake_percpu_offset(f, cpu);

	put_stat(f, a, VS_STATE, i, 1000 + delta);
	put_stat(f, a, VS_PENDING, i, 1000);
}

static struct kernel build(void)
{
	struct kernel k;
	struct fake *f = fake_new();
	uint64_t rp, rows;
	static const char *const names[] = { "anon", "file", "slab_unreclaimable", "slab_reclaimable" };

	k.f = f;
	fake_basic_kernel(f, 2, 1, 1);
	types(f);
	k.root = make_cg(f, "", NULL, true);
	k.a = make_cg(f, "a", &k.root, true);
	k.b = make_cg(f, "b", &k.root, true);
	k.c = make_cg(f, "c", &k.a, false);
	children(f, &k.root, (const struct cg *const[]){ &k.a, &k.b }, 2);
	children(f, &k.a, (const struct cg *const[]){ &k.c }, 1);
	rp = fake_alloc(f, 8);
	fake_put_u64(f, rp, k.root.memcg);
	fake_symbol(f, "root_mem_cgroup", rp);
	fake_put_u32(f, k.root.cgroup + CG_NR_DYING, 1);

	/* memory_stats[]: anon, file, slab_unreclaimable (then "slab"), slab_reclaimable. */
	rows = fake_alloc(f, 16 * 5);
	for (int i = 0; i < 4; i++) {
		fake_put_u64(f, rows + 16u * (uint64_t)i, str(f, names[i]));
		fake_put_u32(f, rows + 16u * (uint64_t)i + 8, (uint32_t)i);
	}
	fake_symbol(f, "memory_stats", rows);

	/* anon: flushed 100 / 60 / 20 / 10; A has 7 pending from below; per-cpu
	 * deltas C +3 +1, B +2 (CPU 1), A -1. */
	put_stat(f, k.root.vmstats, VS_STATE, ANON, 100);
	put_stat(f, k.a.vmstats, VS_STATE, ANON, 60);
	put_stat(f, k.b.vmstats, VS_STATE, ANON, 20);
	put_stat(f, k.c.vmstats, VS_STATE, ANON, 10);
	put_stat(f, k.a.vmstats, VS_PENDING, ANON, 7);
	put_delta(f, &k.c, 0, ANON, 3);
	put_delta(f, &k.c, 1, ANON, 1);
	put_delta(f, &k.b, 1, ANON, 2);
	put_delta(f, &k.a, 0, ANON, -1);
	/* file: C's flushed value is negative: it reads as 0. */
	put_stat(f, k.c.vmstats, VS_STATE, FILE_, -5);
	/* slab bytes: 1000 unreclaimable + 24 reclaimable in B. */
	put_stat(f, k.b.vmstats, VS_STATE, SLAB_U, 1000);
	put_stat(f, k.b.vmstats, VS_STATE, SLAB_R, 24);

	fake_put_u64(f, k.a.memcg + MC_MEMORY + PC_USAGE, 50);
	fake_put_u64(f, k.a.memcg + MC_MEMORY + PC_MAX, 256);
	fake_put_u64(f, k.a.memcg + MC_MEMORY + PC_LOW, 16);
	fake_put_u64(f, k.a.memcg + MC_EVENTS + 8 * 4, 3);	/* oom_kill */
	fake_put_u64(f, k.c.memcg + MC_MEMORY + PC_USAGE, 12);
	return k;
}

static size_t idx_of(const struct ms_memcg_tree *t, const char *path)
{
	const struct ms_memcg *m = ms_memcg_find(t, path);

	ck_assert_msg(m != NULL, "no cgroup %s", path);
	return (size_t)(m - t->v);
}

START_TEST(test_tree_paths_counters_and_fold)
{
	struct kernel k = build();
	struct ms_memcg_tree t;
	struct ms_memcg_dying d;
	long anon, file, slab;

	ck_assert_ptr_null(ms_memcg_read(fake_target(k.f), &t));
	ck_assert(t.present && !t.v1);
	ck_assert_msg(t.complete, "%s", t.reason);
	ck_assert_uint_eq(t.nr, 4);
	/* Pre-order: /, /a, /a/c, /b. */
	ck_assert_str_eq(t.v[0].path, "/");
	ck_assert_str_eq(t.v[1].path, "/a");
	ck_assert_str_eq(t.v[2].path, "/a/c");
	ck_assert_str_eq(t.v[3].path, "/b");
	ck_assert(t.v[1].online && !t.v[2].online);
	ck_assert_uint_eq(t.v[2].parent, 1);
	ck_assert_uint_eq(t.v[1].usage, 50);
	ck_assert_uint_eq(t.v[1].max, 256);
	ck_assert_uint_eq(t.v[1].low, 16);
	ck_assert_uint_eq(t.v[1].high, MS_MEMCG_UNLIMITED);
	ck_assert_uint_eq(t.v[3].max, MS_MEMCG_UNLIMITED);
	ck_assert_uint_eq(t.v[1].events[MS_MEMCG_EV_OOM_KILL], 3);
	ck_assert_int_eq(t.nr_dying, 1);

	/* Rows: anon, file, slab_unreclaimable, slab, slab_reclaimable. */
	ck_assert_uint_eq(t.nr_rows, 5);
	anon = ms_memcg_row(&t, "anon");
	file = ms_memcg_row(&t, "file");
	slab = ms_memcg_row(&t, "slab");
	ck_assert_int_eq(slab, 3);
	ck_assert_str_eq(t.rows[2].name, "slab_unreclaimable");
	/* The fold: C 10+3+1; A 60+7-1+C's 4; B 20+2; root 100 + everything. */
	ck_assert_int_eq(t.v[idx_of(&t, "/a/c")].stat[anon], 14 * 4096);
	ck_assert_int_eq(t.v[idx_of(&t, "/a")].stat[anon], 70 * 4096);
	ck_assert_int_eq(t.v[idx_of(&t, "/b")].stat[anon], 22 * 4096);
	ck_assert_int_eq(t.v[0].stat[anon], (100 + 7 - 1 + 4 + 2) * 4096);
	ck_assert_int_eq(t.v[idx_of(&t, "/a/c")].stat[file], 0);
	/* Byte items are not scaled; "slab" adds both. */
	ck_assert_int_eq(t.v[idx_of(&t, "/b")].stat[2], 1000);
	ck_assert_int_eq(t.v[idx_of(&t, "/b")].stat[slab], 1024);

	ms_memcg_dying_sum(&t, &d);
	ck_assert_uint_eq(d.nr, 1);
	ck_assert_uint_eq(d.usage, 12);
	ck_assert_uint_eq(d.anon, 14);
	ms_memcg_free(&t);
	fake_free(k.f);
}
END_TEST

START_TEST(test_fold_alone)
{
	/* Three cgroups: 0 the root, 1 under it, 2 under 1; two counters. */
	size_t parent[3] = { SIZE_MAX, 0, 1 };
	int64_t pend[6] = { 1, 0, 2, 10, 4, -3 };
	int64_t state[6] = { 50, 5, 20, 5, 3, 0 };

	ms_memcg_fold(3, 2, parent, pend, state);
	ck_assert_int_eq(state[4], 3 + 4);
	ck_assert_int_eq(state[5], 0 - 3);
	ck_assert_int_eq(state[2], 20 + 2 + 4);
	ck_assert_int_eq(state[3], 5 + 10 - 3);
	ck_assert_int_eq(state[0], 50 + 1 + 2 + 4);
	ck_assert_int_eq(state[1], 5 + 0 + 10 - 3);
}
END_TEST

START_TEST(test_cycle_in_children_list)
{
	struct kernel k = build();
	struct ms_memcg_tree t;

	/* /b's sibling link points back at /a's, and /a's children list holds
	 * /a itself: the walk meets /a twice and stops that branch. */
	fake_put_u64(k.f, k.c.memcg + CSS_SIBLING, k.a.memcg + CSS_SIBLING);
	ck_assert_ptr_null(ms_memcg_read(fake_target(k.f), &t));
	ck_assert(!t.complete);
	ck_assert_msg(strstr(t.reason, "children list") || strstr(t.reason, "cycle"), "%s", t.reason);
	ck_assert_uint_ge(t.nr, 3);
	ck_assert_uint_le(t.nr, 4);
	ck_assert_str_eq(t.v[0].path, "/");
	ck_assert_str_eq(t.v[1].path, "/a");
	ms_memcg_free(&t);
	fake_free(k.f);
}
END_TEST

START_TEST(test_corrupt_kernfs_name)
{
	struct kernel k = build();
	struct ms_memcg_tree t;
	uint64_t bad = 0xdead000000000000ull;
	size_t b;

	fake_put_u64(k.f, k.a.kn + KN_NAME, bad);		/* unreadable */
	fake_put_u64(k.f, k.b.kn + KN_NAME, str(k.f, "x/y"));	/* not a cgroup name */
	ck_assert_ptr_null(ms_memcg_read(fake_target(k.f), &t));
	ck_assert(!t.complete);
	ck_assert_uint_eq(t.nr, 4);
	ck_assert(!t.v[1].path_ok);
	ck_assert_str_eq(t.v[1].path, "?");
	ck_assert_msg(strstr(t.v[1].reason, "path"), "%s", t.v[1].reason);
	/* /a/c: the tail that could be read. */
	ck_assert_str_eq(t.v[2].path, "?/c");
	b = 3;
	ck_assert(!t.v[b].path_ok);
	ck_assert_msg(strstr(t.v[b].reason, "not a cgroup name"), "%s", t.v[b].reason);
	/* The counters are still there. */
	ck_assert(t.v[1].read_ok);
	ck_assert_uint_eq(t.v[1].usage, 50);
	ms_memcg_free(&t);
	fake_free(k.f);
}
END_TEST

START_TEST(test_unreadable_vmstats_keeps_the_rest)
{
	struct kernel k = build();
	struct ms_memcg_tree t;

	fake_missing(k.f, k.b.vmstats, VS_SIZE);
	ck_assert_ptr_null(ms_memcg_read(fake_target(k.f), &t));
	ck_assert(!t.complete);
	ck_assert(!t.v[3].read_ok);
	ck_assert_msg(strstr(t.v[3].reason, "memcg_vmstats"), "%s", t.v[3].reason);
	ck_assert(t.v[1].read_ok);
	ms_memcg_free(&t);
	fake_free(k.f);
}
END_TEST

START_TEST(test_no_memcg)
{
	struct fake *f = fake_new();
	struct ms_memcg_tree t;

	ck_assert_ptr_null(ms_memcg_read(fake_target(f), &t));
	ck_assert(!t.present);
	ck_assert_uint_eq(t.nr, 0);
	fake_free(f);
}
END_TEST

START_TEST(test_get_max)
{
	struct kernel k = build();
	struct ms_memcg_tree t;
	size_t a;

	fake_member(k.f, "mem_cgroup", "swappiness", 0x3f0, 4);
	fake_put_u32(k.f, k.a.memcg + 0x3f0, 60);
	fake_put_u64(k.f, k.a.memcg + MC_SWAP + PC_MAX, 100);
	ck_assert_ptr_null(ms_memcg_read(fake_target(k.f), &t));
	a = idx_of(&t, "/a");
	/* mem_cgroup_get_max(): memory.max + min(swap.max, total_swap_pages). */
	ck_assert_uint_eq(ms_memcg_get_max(fake_target(k.f), &t, a, 0), 256);
	ck_assert_uint_eq(ms_memcg_get_max(fake_target(k.f), &t, a, 40), 256 + 40);
	ck_assert_uint_eq(ms_memcg_get_max(fake_target(k.f), &t, a, 1000), 256 + 100);
	ms_memcg_free(&t);
	/* swappiness 0: no swap counted. */
	fake_put_u32(k.f, k.a.memcg + 0x3f0, 0);
	ck_assert_ptr_null(ms_memcg_read(fake_target(k.f), &t));
	ck_assert_uint_eq(ms_memcg_get_max(fake_target(k.f), &t, idx_of(&t, "/a"), 1000), 256);
	ms_memcg_free(&t);
	fake_free(k.f);
}
END_TEST

static json_t *snap_of(const char *cgroups_json, const char *dying_json)
{
	char buf[2048];

	snprintf(buf, sizeof(buf), "{\"memcgs\": {\"version\": 2, \"cgroups\": %s, \"dying\": %s}}",
		 cgroups_json, dying_json);
	return json_loads(buf, 0, NULL);
}

START_TEST(test_diff_names_the_deepest_cgroup)
{
	json_t *b = snap_of("[{\"path\": \"/\", \"online\": true, \"usage_kb\": 0},"
			    " {\"path\": \"/batch\", \"online\": true, \"usage_kb\": 1000, \"anon_kb\": 900},"
			    " {\"path\": \"/batch/job1\", \"online\": true, \"usage_kb\": 500, \"anon_kb\": 450},"
			    " {\"path\": \"/web\", \"online\": true, \"usage_kb\": 300}]",
			    "{\"count\": 0, \"usage_kb\": 0}");
	json_t *a = snap_of("[{\"path\": \"/\", \"online\": true, \"usage_kb\": 0},"
			    " {\"path\": \"/batch\", \"online\": true, \"usage_kb\": 41000, \"anon_kb\": 40900},"
			    " {\"path\": \"/batch/job1\", \"online\": true, \"usage_kb\": 40500, \"anon_kb\": 40450},"
			    " {\"path\": \"/web\", \"online\": \"yes\", \"usage_kb\": 9000},"
			    " {\"path\": \"/gone\", \"online\": true, \"usage_kb\": \"x\"}]",
			    "{\"count\": 3, \"usage_kb\": 10, \"shmem_kb\": 10}");
	json_t *d = json_pack("{s:{s:I}, s:{s:s}}", "used", "growth_kb", (json_int_t)41000,
			      "main_cause", "text", "Anon grew.");
	json_t *g, *top;

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	g = ms_snapdiff_memcgs(b, a);
	ck_assert(json_is_true(json_object_get(g, "known")));
	/* /web's online is not a boolean and /gone's usage not a number: left out. */
	ck_assert_int_eq(json_array_size(json_object_get(g, "cgroups")), 2);
	top = json_array_get(json_object_get(g, "cgroups"), 0);
	/* Equal growth: the cgroup itself before the parent that passes it up. */
	ck_assert_str_eq(json_string_value(json_object_get(top, "path")), "/batch/job1");
	ck_assert_int_eq(json_integer_value(json_object_get(g, "dying_count_delta")), 3);
	json_object_set_new(d, "memcgs_grown", g);
	ms_snapdiff_memcg_cause(d);
	ck_assert_msg(strstr(json_string_value(json_object_get(json_object_get(d, "main_cause"), "text")),
			     "cgroup /batch/job1 grew 39.1 MiB, anon"), "%s",
		      json_string_value(json_object_get(json_object_get(d, "main_cause"), "text")));
	json_decref(a);
	json_decref(b);
	json_decref(d);
}
END_TEST

static Suite *memcg_suite(void)
{
	Suite *s = suite_create("memcg");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_tree_paths_counters_and_fold);
	tcase_add_test(tc, test_fold_alone);
	tcase_add_test(tc, test_cycle_in_children_list);
	tcase_add_test(tc, test_corrupt_kernfs_name);
	tcase_add_test(tc, test_unreadable_vmstats_keeps_the_rest);
	tcase_add_test(tc, test_no_memcg);
	tcase_add_test(tc, test_get_max);
	tcase_add_test(tc, test_diff_names_the_deepest_cgroup);
	suite_add_tcase(s, tc);
	return s;
}
MS_SUITE(memcg_suite)
