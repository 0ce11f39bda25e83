/*
 * test_causes.c - the diff's causes on synthetic snapshots: a storm with its
 * slab objects and uncounted page tables first; shared file and shmem pages
 * of 1,000 shells counted once (never once per process); no cause above the
 * growth; the node that holds the growth named; a corrupt-looking pair
 * (categories shrinking, rows only on one side) gives causes that still add
 * up to no more than the growth; the consumers outside the counters (pipes
 * by holder, socket buffers, vmalloc by caller, upper page tables) each
 * claimed once; with page_owner=on, the stacks of the pages with no owner
 * type that grew, each named by module and caller.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "memcat.h"
#include "snapdiff.h"
#include "snapshot.h"
#include "suites.h"

/* Categories in memcat.h order:
 * anon file shmem slab_r slab_u kmisc kstack pgtables vmalloc percpu hugetlb pcp unaccounted */
static json_t *snap(const long long cat[MS_MEMCAT_NR], long long procs, long long free0,
		    long long free1)
{
	json_t *cats = json_object();
	long long used = 0;

	for (unsigned int i = 0; i < MS_MEMCAT_NR; i++) {
		json_object_set_new(cats, ms_memcat[i].key, json_integer(cat[i]));
		used += cat[i];
	}
	return json_pack("{s:s, s:i, s:{s:s, s:s, s:s, s:i}, s:{s:I}, s:{s:I, s:I, s:I, s:o},"
		" s:[{s:i, s:[{s:s, s:I, s:I}]}, {s:i, s:[{s:s, s:I, s:I}]}],"
		" s:{s:[{s:s, s:I}, {s:s, s:I}, {s:s, s:I}], s:I},"
		" s:[{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}],"
		" s:{s:b, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:[{s:s, s:I, s:I}]}}",
		"format", MS_SNAPSHOT_FORMAT, "version", MS_SNAPSHOT_VERSION,
		"identity", "release", "6.1.0-55-cloud-amd64", "version", "#1 SMP Debian 6.1.192-1",
		"nodename", "guest", "page_size", 4096,
		"meminfo", "MemTotal", (json_int_t)2000000,
		"used", "total_kb", (json_int_t)2000000, "free_kb", (json_int_t)(2000000 - used),
		"used_kb", (json_int_t)used, "categories", cats,
		"nodes", "node", 0, "zones", "zone", "Normal", "managed_kb", (json_int_t)1000000,
		"free_kb", (json_int_t)free0,
		"node", 1, "zones", "zone", "Normal", "managed_kb", (json_int_t)1000000,
		"free_kb", (json_int_t)free1,
		"slab", "caches", "name", "task_struct", "kb", (json_int_t)(procs * 6),
		"name", "vm_area_struct", "kb", (json_int_t)(procs * 2),
		"name", "dentry", "kb", (json_int_t)(1000 + procs), "no_cache_kb", (json_int_t)0,
		/* sh: 1.5 MiB of busybox mapped in every one, 4 kB of anon each. */
		"commands", "comm", "sh", "processes", (json_int_t)procs, "threads", (json_int_t)procs,
		"anon_kb", (json_int_t)(procs * 4), "anon_unsynced_kb", (json_int_t)(procs * 52),
		"file_kb", (json_int_t)(procs * 1500), "shmem_kb", (json_int_t)(procs * 1500),
		"pgtables_kb", (json_int_t)(procs * 28), "kstack_kb", (json_int_t)(procs * 16),
		"pgtables_upper", "pud_counted", 0, "pti", 1, "levels", (json_int_t)4,
		"mms", (json_int_t)procs, "pgd_kb", (json_int_t)(procs * 8), "p4d_kb", (json_int_t)0,
		"pud_kb", (json_int_t)(procs * 8), "uncounted_kb", (json_int_t)(procs * 16),
		"complete", 1, "commands", "comm", "sh", "uncounted_kb", (json_int_t)(procs * 16),
		"pud_kb", (json_int_t)(procs * 8));
}

static const long long base[MS_MEMCAT_NR] = { 100, 2000, 2800, 9000, 6000, 0, 800, 40, 5000,
					      400, 0, 300, 1000 };

static json_int_t num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

START_TEST(test_storm_first_and_bounded)
{
	long long after[MS_MEMCAT_NR];
	json_t *b, *a, *d, *cs, *top, *row;
	json_int_t growth, sum = 0;
	size_t i;
	const long long n = 1000;

	memcpy(after, base, sizeof(after));
	after[MS_CAT_ANON] += n * 56;
	after[MS_CAT_PAGETABLES] += n * 20;	/* VmPTE less the PUDs */
	after[MS_CAT_KERNEL_STACK] += n * 16;
	after[MS_CAT_SLAB_UNRECLAIM] += n * 8;
	after[MS_CAT_SLAB_RECLAIM] += n;
	after[MS_MEMCAT_UNACCOUNTED] += n * 16;
	after[MS_CAT_PCP_FREE] -= 200;		/* a shrink: growth is less than the sum */
	b = snap(base, 1, 1000000, 1000000);
	a = snap(after, n + 1, 1000000 - 10000, 1000000 - n * 124);
	ck_assert_ptr_null(ms_snapdiff(b, a, &d));
	growth = num(json_object_get(d, "used"), "growth_kb");
	/* The commands table: shared pages are not the command's own. */
	row = json_array_get(json_object_get(d, "commands"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(row, "comm")), "sh");
	ck_assert_int_eq(num(row, "delta_kb"), n * (4 + 52 + 28 + 16));
	ck_assert_int_le(num(row, "delta_kb"), growth);
	cs = json_object_get(d, "causes");
	top = json_array_get(json_object_get(cs, "causes"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(top, "kind")), "storm");
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(top, "name")),
				     "1000 new processes of sh"));
	/* anon with the unsynced caches, page tables less the PUDs, the PGD and
	 * PUD pages as uncounted, stacks, the storm's caches (not dentry). */
	ck_assert_int_eq(num(json_object_get(top, "parts"), "anon"), n * 56);
	ck_assert_int_eq(num(json_object_get(top, "parts"), "page_tables"), n * 20);
	ck_assert_int_eq(num(json_object_get(top, "parts"), "unaccounted"), n * 16);
	ck_assert_int_eq(num(json_object_get(top, "parts"), "kernel_stack"), n * 16);
	ck_assert_int_eq(num(json_object_get(top, "parts"), "slab_unreclaimable"), n * 8);
	json_array_foreach(json_object_get(cs, "causes"), i, row) {
		ck_assert_int_le(num(row, "kb"), growth);
		sum += num(row, "kb");
	}
	ck_assert_int_eq(num(cs, "explained_kb"), growth);
	ck_assert_int_eq(num(cs, "not_explained_kb"), 0);
	/* Node 1 lost the storm's memory, node 0 a tenth of it. */
	ck_assert_int_eq(num(cs, "node"), 1);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(
		json_object_get(d, "main_cause"), "text")), "on node 1"));
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(
		json_object_get(d, "main_cause"), "text")), "Main cause: a process storm"));
	json_decref(d);
	json_decref(a);
	json_decref(b);
}
END_TEST

START_TEST(test_no_growth_no_cause)
{
	long long after[MS_MEMCAT_NR];
	json_t *b, *a, *d, *cs;

	memcpy(after, base, sizeof(after));
	after[MS_CAT_ANON] -= 50;
	after[MS_CAT_PCP_FREE] += 20;
	b = snap(base, 10, 1000000, 1000000);
	a = snap(after, 10, 1000000, 1000000);
	ck_assert_ptr_null(ms_snapdiff(b, a, &d));
	cs = json_object_get(d, "causes");
	ck_assert_uint_eq(json_array_size(json_object_get(cs, "causes")), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(d, "main_cause"),
							   "category")), "none");
	json_decref(d);
	json_decref(a);
	/* Rows only in 'after' and a category larger than any row: the command
	 * claims what its categories grew, never more. */
	memcpy(after, base, sizeof(after));
	after[MS_CAT_ANON] += 100;	/* less than the 10 shells' 560 kB */
	a = snap(after, 20, 1000000, 1000000);
	ck_assert_ptr_null(ms_snapdiff(b, a, &d));
	cs = json_object_get(d, "causes");
	ck_assert_int_le(num(cs, "explained_kb"), num(json_object_get(d, "used"), "growth_kb"));
	ck_assert_int_eq(num(json_object_get(json_array_get(json_object_get(cs, "causes"), 0),
					     "parts"), "anon"), 100);
	json_decref(d);
	json_decref(a);
	json_decref(b);
}
END_TEST

/* The consumers outside the counters of snapshot s: used.uncounted (pipes,
 * sockets, upper page tables), their holders, and vmalloc by caller. */
static void consumers(json_t *s, long long pipes, long long pipe_holder, long long socks,
		      long long upper, long long vbig, long long vstack)
{
	json_t *used = json_object_get(s, "used");

	json_object_set_new(used, "uncounted", json_pack("{s:I, s:I, s:I, s:I}", "pipes",
		(json_int_t)pipes, "sockets", (json_int_t)socks, "pgtables_upper", (json_int_t)upper,
		"unexplained", (json_int_t)0));
	json_object_set_new(used, "uncounted_holders", json_pack(
		"[{s:s, s:s, s:i, s:i, s:I}, {s:s, s:s, s:i, s:i, s:I}]",
		"consumer", "pipes", "name", "pipehold", "pid", 106, "nr", 13,
		"kb", (json_int_t)pipe_holder,
		"consumer", "sockets", "name", "sockhold", "pid", 107, "nr", 5,
		"kb", (json_int_t)socks));
	json_object_set_new(s, "vmalloc", json_pack(
		"{s:[{s:s, s:s, s:i, s:I, s:b}, {s:s, s:s, s:i, s:I, s:b}], s:b}", "callers",
		"caller", "vmhold_keep_big [vmhold]", "module", "vmhold", "areas", 2,
		"kb", (json_int_t)vbig, "stack", 0,
		"caller", "kernel_clone", "module", "", "areas", 60, "kb", (json_int_t)vstack,
		"stack", 1, "complete", 1));
}

static json_t *cause_of(json_t *cs, const char *name)
{
	json_t *row;
	size_t i;

	json_array_foreach(json_object_get(cs, "causes"), i, row)
		if (!strcmp(json_string_value(json_object_get(row, "name")), name))
			return row;
	return NULL;
}

/* Pipes by holder, socket buffers, vmalloc by caller (not the stacks'
 * caller, KernelStack owns those), and the storm's upper page tables not
 * counted again by the upper page tables' own cause. */
START_TEST(test_consumers_named_once)
{
	long long after[MS_MEMCAT_NR];
	json_t *b, *a, *d, *cs, *row;
	json_int_t unacc = 0;
	size_t i;
	const long long n = 1000;

	memcpy(after, base, sizeof(after));
	after[MS_CAT_ANON] += n * 56;
	after[MS_CAT_PAGETABLES] += n * 20;
	after[MS_CAT_KERNEL_STACK] += n * 16;
	after[MS_CAT_VMALLOC] += 8208;		/* the stacks are KernelStack's */
	after[MS_MEMCAT_UNACCOUNTED] += n * 16 + 8324 + 332 + 40;
	b = snap(base, 1, 1000000, 1000000);
	a = snap(after, n + 1, 1000000, 1000000);
	consumers(b, 0, 0, 0, 16, 0, 16);
	/* the storm's n * 16 kB of upper page tables, 24 kB more of other processes */
	consumers(a, 8324, 8324, 332, 16 + n * 16 + 24, 8208, 16 + n * 16);
	ck_assert_ptr_null(ms_snapdiff(b, a, &d));
	cs = json_object_get(d, "causes");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(cs,
		"causes"), 0), "kind")), "storm");
	row = cause_of(cs, "pipes held by pipehold");
	ck_assert_ptr_nonnull(row);
	ck_assert_int_eq(num(row, "kb"), 8324);
	ck_assert_int_eq(num(json_object_get(row, "parts"), "unaccounted"), 8324);
	row = cause_of(cs, "socket buffers (most queued by sockhold)");
	ck_assert_ptr_nonnull(row);
	ck_assert_int_eq(num(row, "kb"), 332);
	row = cause_of(cs, "vmalloc by vmhold_keep_big [vmhold]");
	ck_assert_ptr_nonnull(row);
	ck_assert_int_eq(num(json_object_get(row, "parts"), "vmalloc"), 8208);
	ck_assert_ptr_null(cause_of(cs, "vmalloc by kernel_clone"));
	row = cause_of(cs, "upper page tables of other processes");
	ck_assert_ptr_nonnull(row);
	ck_assert_int_eq(num(row, "kb"), 24);
	/* Every kB of the remainder claimed once: the storm's PGDs and PUDs, the
	 * pipes, the sockets, the other upper page tables, 16 kB with no owner. */
	json_array_foreach(json_object_get(cs, "causes"), i, row)
		unacc += num(json_object_get(row, "parts"), "unaccounted");
	ck_assert_int_eq(unacc, n * 16 + 8324 + 332 + 40);
	row = cause_of(cs, "pages with no owner (a driver's or module's alloc_pages()?)");
	ck_assert_ptr_nonnull(row);
	ck_assert_int_eq(num(row, "kb"), 16);
	ck_assert_int_eq(num(cs, "not_explained_kb"), 0);
	json_decref(d);
	json_decref(a);
	json_decref(b);

	/* A holder larger than what the pipes grew (a corrupt or racing read):
	 * it claims the pipes' growth, never more; a "before" with no holders and
	 * no vmalloc section gives no vmalloc cause and no upper double count. */
	b = snap(base, 1, 1000000, 1000000);
	consumers(b, 0, 0, 0, 0, 0, 0);
	json_object_del(json_object_get(b, "used"), "uncounted_holders");
	json_object_del(b, "vmalloc");
	after[MS_CAT_VMALLOC] = base[MS_CAT_VMALLOC] + 100;
	after[MS_MEMCAT_UNACCOUNTED] = base[MS_MEMCAT_UNACCOUNTED] + n * 16 + 100;
	a = snap(after, n + 1, 1000000, 1000000);
	consumers(a, 100, 5000, 0, n * 16, 100, 0);
	ck_assert_ptr_null(ms_snapdiff(b, a, &d));
	cs = json_object_get(d, "causes");
	row = cause_of(cs, "pipes held by pipehold");
	ck_assert_ptr_nonnull(row);
	ck_assert_int_eq(num(row, "kb"), 100);
	ck_assert_ptr_null(cause_of(cs, "vmalloc by vmhold_keep_big [vmhold]"));
	ck_assert_ptr_null(cause_of(cs, "upper page tables of other processes"));
	ck_assert_int_le(num(cs, "explained_kb"), num(json_object_get(d, "used"), "growth_kb"));
	json_decref(d);
	json_decref(b);
	/* A "before" of an older memscope, with no consumers at all: none grew. */
	b = snap(base, 1, 1000000, 1000000);
	ck_assert_ptr_null(ms_snapdiff(b, a, &d));
	cs = json_object_get(d, "causes");
	ck_assert_ptr_null(cause_of(cs, "pipes held by pipehold"));
	ck_assert_ptr_null(cause_of(cs, "upper page tables of other processes"));
	ck_assert_ptr_nonnull(cause_of(cs, "pages with no owner (a driver's or module's alloc_pages()?)"));
	json_decref(d);
	json_decref(a);
	json_decref(b);
}
END_TEST

/* page_owner's stacks of the pages with no owner type (a snapshot of a
 * kernel with page_owner=on) as a list {kb, module, frames}. */
static void po_stack(json_t *snapshot, json_int_t kb, const char *module, const char *caller)
{
	json_t *po = json_object_get(snapshot, "page_owner");

	if (!po) {
		po = json_pack("{s:I, s:I, s:[]}", "no_owner_kb", (json_int_t)0, "owned_kb",
			       (json_int_t)0, "stacks");
		json_object_set_new(snapshot, "page_owner", po);
	}
	json_array_append_new(json_object_get(po, "stacks"), json_pack("{s:I, s:s, s:[s, s, s, s]}",
		"kb", kb, "module", module, "frames", "post_alloc_hook+0x1e/0x40",
		"get_page_from_freelist+0x5ee/0x1100", "__alloc_pages+0x1b6/0x330", caller));
}

START_TEST(test_page_owner_stacks_named)
{
	long long after[MS_MEMCAT_NR];
	json_t *b, *a, *d, *cs, *row;

	memcpy(after, base, sizeof(after));
	after[MS_MEMCAT_UNACCOUNTED] += 40000;
	b = snap(base, 1, 1000000, 1000000);
	a = snap(after, 1, 1000000, 1000000);
	po_stack(b, 100, "", "alloc_large_system_hash+0x10/0x30");
	po_stack(b, 2000, "", "kvm_mmu_topup+0x44/0x90");
	po_stack(a, 100, "", "alloc_large_system_hash+0x10/0x30");
	po_stack(a, 30000, "leaky", "leaky_fill+0x33/0x80 [leaky]");
	po_stack(a, 8000, "", "kvm_mmu_topup+0x44/0x90");
	ck_assert_ptr_null(ms_snapshot_check_schema(a));
	ck_assert_ptr_null(ms_snapdiff(b, a, &d));
	cs = json_object_get(d, "causes");
	row = cause_of(cs, "pages with no owner, allocated by module leaky at leaky_fill+0x33/0x80 [leaky]");
	ck_assert_ptr_nonnull(row);
	ck_assert_int_eq(num(row, "kb"), 30000);
	row = cause_of(cs, "pages with no owner, allocated at kvm_mmu_topup+0x44/0x90");
	ck_assert_ptr_nonnull(row);
	ck_assert_int_eq(num(row, "kb"), 6000);
	ck_assert_ptr_null(cause_of(cs, "pages with no owner, allocated at alloc_large_system_hash+0x10/0x30"));
	/* what the stacks do not explain stays with no owner */
	row = cause_of(cs, "pages with no owner (a driver's or module's alloc_pages()?)");
	ck_assert_ptr_nonnull(row);
	ck_assert_int_eq(num(row, "kb"), 4000);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(
		json_object_get(d, "main_cause"), "text")), "module leaky"));
	json_decref(d);
	/* A "before" without page_owner: no stack is named. */
	json_object_del(b, "page_owner");
	ck_assert_ptr_null(ms_snapdiff(b, a, &d));
	cs = json_object_get(d, "causes");
	ck_assert_ptr_null(cause_of(cs, "pages with no owner, allocated at kvm_mmu_topup+0x44/0x90"));
	row = cause_of(cs, "pages with no owner (a driver's or module's alloc_pages()?)");
	ck_assert_int_eq(num(row, "kb"), 40000);
	json_decref(d);
	/* a stack's size written as a string is refused before any sum */
	json_object_set_new(json_array_get(json_object_get(json_object_get(a, "page_owner"),
		"stacks"), 0), "kb", json_string("100"));
	{
		struct ms_error *err = ms_snapshot_check_schema(a);

		ck_assert(ms_error_is(err, MS_ERR_CORRUPT));
		ck_assert_ptr_nonnull(strstr(ms_error_string(err), "page_owner.stacks[0].kb"));
		ms_error_destroy(err);
	}
	json_decref(a);
	json_decref(b);
}
END_TEST

static Suite *causes_suite(void)
{
	Suite *s = suite_create("causes");
	TCase *tc = tcase_create("diff");

	tcase_add_test(tc, test_storm_first_and_bounded);
	tcase_add_test(tc, test_no_growth_no_cause);
	tcase_add_test(tc, test_consumers_named_once);
	tcase_add_test(tc, test_page_owner_stacks_named);
	suite_add_tcase(s, tc);
	return s;
}

MS_SUITE(causes_suite)
