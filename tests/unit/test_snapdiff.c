/*
 * test_snapdiff.c - the comparison of two snapshots on synthetic documents.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memcat.h"
#include "snapdiff.h"
#include "snapshot.h"
#include "suites.h"

/* A snapshot whose categories are given in kB in memcat.h's order. */
static json_t *snap(const char *nodename, const long long *cat, long long shmem_tmpfs,
		    long long cache_kb, int hog_procs)
{
	json_t *cats = json_object();
	long long used = 0;

	for (unsigned int i = 0; i < MS_MEMCAT_NR; i++) {
		json_object_set_new(cats, ms_memcat[i].key, json_integer(cat[i]));
		used += cat[i];
	}
	return json_pack("{s:s, s:i, s:i, s:{s:s, s:s, s:s, s:i}, s:{s:I}, s:{s:I, s:I, s:I, s:o},"
			 " s:[{s:i, s:[{s:s, s:I, s:I}]}], s:{s:[{s:s, s:I}], s:I},"
			 " s:[{s:s, s:i, s:i, s:I, s:I, s:I, s:I, s:I}], s:[{s:s, s:s, s:I, s:I}]}",
		"format", MS_SNAPSHOT_FORMAT, "version", MS_SNAPSHOT_VERSION,
		"schema_version", MS_SNAPSHOT_VERSION, "identity", "release", "6.1.0-55-cloud-amd64", "version", "#1 SMP Debian 6.1.192-1",
		"nodename", nodename, "page_size", 4096,
		"meminfo", "MemTotal", (json_int_t)475000,
		"used", "total_kb", (json_int_t)475000, "free_kb", (json_int_t)(475000 - used),
		"used_kb", (json_int_t)used, "categories", cats,
		"nodes", "node", 0, "zones", "zone", "DMA32", "managed_kb", (json_int_t)400000,
		"free_kb", (json_int_t)(475000 - used),
		"slab", "caches", "name", "dentry", "kb", (json_int_t)cache_kb, "no_cache_kb",
		(json_int_t)100,
		"commands", "comm", "memhog", "processes", hog_procs, "threads", hog_procs,
		"anon_kb", (json_int_t)(hog_procs * 1024), "file_kb", (json_int_t)0,
		"shmem_kb", (json_int_t)0, "pgtables_kb", (json_int_t)(hog_procs * 40),
		"kstack_kb", (json_int_t)(hog_procs * 16),
		"tmpfs", "dev", "leak", "mount", "/mnt/leak", "used_kb", (json_int_t)shmem_tmpfs,
		"unmapped_kb", (json_int_t)shmem_tmpfs);
}

/* anon file shmem slab_r slab_u kmisc kstack pgtables vmalloc percpu hugetlb pcp unaccounted */
static const long long base[] = { 100, 2000, 2800, 9000, 6000, 0, 800, 40, 5000, 400, 0, 300, 1000 };
#define NR_CATS (sizeof(base) / sizeof(base[0]))
#define UNACCOUNTED (NR_CATS - 1)
_Static_assert(NR_CATS == MS_MEMCAT_NR, "one value per category of memcat.h");

START_TEST(test_tmpfs_growth_named)
{
	long long after[NR_CATS];
	json_t *b, *a, *d, *row;
	long long sum = 0;
	size_t i;

	memcpy(after, base, sizeof(after));
	after[2] += 153600;	/* shmem */
	after[3] += 300;	/* slab reclaimable */
	after[UNACCOUNTED] -= 20;	/* unaccounted shrinks a little */
	b = snap("guest", base, 0, 1000, 0);
	a = snap("guest", after, 153600, 1300, 0);
	ck_assert_ptr_null(ms_snapshot_validate(b));
	ck_assert_ptr_null(ms_snapshot_validate(a));
	ck_assert_ptr_null(ms_snapdiff(b, a, &d));
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(d, "used"), "growth_kb")),
			 153600 + 300 - 20);
	/* Deltas add up to the growth exactly, and the largest comes first. */
	json_array_foreach(json_object_get(d, "categories"), i, row)
		sum += json_integer_value(json_object_get(row, "delta_kb"));
	ck_assert_int_eq(sum, 153600 + 300 - 20);
	row = json_array_get(json_object_get(d, "categories"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(row, "name")), "shmem");
	row = json_array_get(json_object_get(d, "categories"), NR_CATS - 1);
	ck_assert_str_eq(json_string_value(json_object_get(row, "name")), "unaccounted");
	/* Drill-down: the mount that grew, the cache that grew, unmapped shmem. */
	row = json_array_get(json_object_get(d, "tmpfs"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(row, "mount")), "/mnt/leak");
	ck_assert_int_eq(json_integer_value(json_object_get(d, "shmem_unmapped_delta_kb")), 153600);
	row = json_array_get(json_object_get(json_object_get(d, "slab"), "caches"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(row, "delta_kb")), 300);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(
		json_object_get(d, "main_cause"), "text")), "/mnt/leak"));
	ck_assert_int_eq(json_array_size(json_object_get(d, "warnings")), 0);
	json_decref(d);
	json_decref(a);
	json_decref(b);
}
END_TEST

START_TEST(test_processes_and_shrinkage)
{
	long long after[NR_CATS];
	json_t *b, *a, *d, *row;

	memcpy(after, base, sizeof(after));
	after[0] += 12 * 1024;
	after[7] += 12 * 40;	/* page tables */
	b = snap("guest", base, 0, 1000, 0);
	a = snap("other", after, 0, 1000, 12);
	/* Another nodename: compared only when forced, with a warning. */
	ck_assert_ptr_null(ms_snapdiff_force(b, a, true, &d));
	ck_assert_int_eq(json_array_size(json_object_get(d, "warnings")), 1);
	row = json_array_get(json_object_get(d, "commands"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(row, "comm")), "memhog");
	ck_assert_int_eq(json_integer_value(json_object_get(row, "delta_processes")), 12);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(d, "main_cause"),
							   "category")), "anon");
	json_decref(d);
	/* The other way round USED shrinks, and the report says so. */
	ck_assert_ptr_null(ms_snapdiff_force(a, b, true, &d));
	ck_assert_int_lt(json_integer_value(json_object_get(json_object_get(d, "used"), "growth_kb")), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(d, "main_cause"),
							   "category")), "none");
	json_decref(d);
	json_decref(a);
	json_decref(b);
}
END_TEST

/* Another boot (boot_id, KASLR offset), machine (nodename) or MemTotal:
 * refused, and with force each is a warning. */
START_TEST(test_other_boot_refused_unless_forced)
{
	static const char *const want[] = {
		"boot_id 11111111-2222-3333-4444-555555555555 / 11111111-2222-3333-c444-555555555555",
		"KASLR offset 0x25200000 / 0x2d000000", "nodename guest / other",
		"MemTotal 475000 kB / 476000 kB",
	};
	json_t *b = snap("guest", base, 0, 1000, 0), *d;

	json_object_set_new(b, "boot", json_pack("{s:s, s:I}", "boot_id",
		"11111111-2222-3333-4444-555555555555", "kernel_offset", (json_int_t)0x25200000));
	for (int i = 0; i < 4; i++) {
		json_t *a = json_deep_copy(b);
		struct ms_error *err;

		if (i == 0)
			json_object_set_new(json_object_get(a, "boot"), "boot_id",
				json_string("11111111-2222-3333-c444-555555555555"));
		if (i == 1)
			json_object_set_new(json_object_get(a, "boot"), "kernel_offset",
					    json_integer(0x2d000000));
		if (i == 2)
			json_object_set_new(json_object_get(a, "identity"), "nodename",
					    json_string("other"));
		if (i == 3)
			json_object_set_new(json_object_get(a, "meminfo"), "MemTotal",
					    json_integer(476000));
		err = ms_snapdiff(b, a, &d);
		ck_assert(ms_error_is(err, MS_ERR_UNSUPPORTED));
		ck_assert_msg(strstr(ms_error_string(err), want[i]), "%s", ms_error_string(err));
		ms_error_destroy(err);
		ck_assert_ptr_null(ms_snapdiff_force(b, a, true, &d));
		ck_assert_ptr_nonnull(strstr(json_string_value(json_array_get(
			json_object_get(d, "warnings"), 0)), want[i]));
		json_decref(d);
		/* An older snapshot without "boot" is not compared by it. */
		if (i < 2) {
			json_object_del(a, "boot");
			ck_assert_ptr_null(ms_snapdiff(b, a, &d));
			json_decref(d);
		}
		json_decref(a);
	}
	json_decref(b);
}
END_TEST

START_TEST(test_other_kernel_refused)
{
	json_t *b = snap("guest", base, 0, 1000, 0), *a = snap("guest", base, 0, 1000, 0), *d;
	struct ms_error *err;

	json_object_set_new(json_object_get(a, "identity"), "version", json_string("#1 SMP other"));
	err = ms_snapdiff(b, a, &d);
	ck_assert(ms_error_is(err, MS_ERR_UNSUPPORTED));
	ck_assert_ptr_null(d);
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "not of one boot of one machine "
				     "(kernel build #1 SMP Debian 6.1.192-1 / #1 SMP other)"));
	ms_error_destroy(err);
	json_decref(a);
	json_decref(b);
}
END_TEST

START_TEST(test_malformed_rejected)
{
	json_t *s = snap("guest", base, 0, 1000, 0), *loaded;
	char path[] = "/tmp/memscope-test-XXXXXX";
	struct ms_error *err;
	int fd;
	FILE *f;

	json_object_set_new(json_object_get(json_object_get(s, "used"), "categories"), "anon",
			    json_integer(101));
	err = ms_snapshot_validate(s);
	ck_assert(ms_error_is(err, MS_ERR_CORRUPT));
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "add up"));
	ms_error_destroy(err);
	json_object_del(json_object_get(json_object_get(s, "used"), "categories"), "anon");
	err = ms_snapshot_validate(s);
	ck_assert_str_eq(ms_error_string(err), "not a memscope snapshot: used.categories.anon missing");
	ms_error_destroy(err);
	json_object_set_new(s, "version", json_integer(99));
	err = ms_snapshot_validate(s);
	ck_assert(ms_error_is(err, MS_ERR_UNSUPPORTED));
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "version 99"));
	ms_error_destroy(err);

	/* A valid snapshot written out loads back; a broken file names itself. */
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	json_object_set_new(s, "version", json_integer(MS_SNAPSHOT_VERSION));
	json_object_set_new(json_object_get(json_object_get(s, "used"), "categories"), "anon",
			    json_integer(base[0]));
	ck_assert_int_eq(json_dump_file(s, path, 0), 0);
	ck_assert_ptr_null(ms_snapshot_load(path, &loaded));
	ck_assert(json_equal(loaded, s));
	json_decref(loaded);
	json_decref(s);
	f = fopen(path, "w");
	fputs("{\"format\": \"memscope-snapshot\", \"version\": 1,", f);
	fclose(f);
	err = ms_snapshot_load(path, &loaded);
	ck_assert(ms_error_is(err, MS_ERR_CORRUPT));
	ck_assert_ptr_null(loaded);
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), path));
	ms_error_destroy(err);
	f = fopen(path, "w");
	fputs("{\"format\": \"memscope-snapshot\", \"version\": 99}", f);
	fclose(f);
	err = ms_snapshot_load(path, &loaded);
	ck_assert(ms_error_is(err, MS_ERR_UNSUPPORTED));
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), path));
	ms_error_destroy(err);
	close(fd);
	unlink(path);
	/* A file that cannot be opened is an I/O error, not a bad snapshot. */
	err = ms_snapshot_load(path, &loaded);
	ck_assert(ms_error_is(err, MS_ERR_IO));
	ck_assert_ptr_null(loaded);
	ms_error_destroy(err);
}
END_TEST

/* slab.caches of n caches "c<i>" of i kB, plus "dup" twice (1 kB, then 2 kB). */
static void many_caches(json_t *snap, int n, int grow_every)
{
	json_t *caches = json_array();

	for (int i = 0; i < n; i++) {
		char name[32];

		snprintf(name, sizeof(name), "c%d", i);
		json_array_append_new(caches, json_pack("{s:s, s:I}", "name", name, "kb",
			(json_int_t)(i + (grow_every && i % grow_every == 0 ? 5 : 0))));
	}
	json_array_append_new(caches, json_pack("{s:s, s:I}", "name", "dup", "kb", (json_int_t)1));
	json_array_append_new(caches, json_pack("{s:s, s:I}", "name", "dup", "kb", (json_int_t)2));
	json_object_set_new(json_object_get(snap, "slab"), "caches", caches);
}

/* Tens of thousands of names are matched by hash, not pairwise; equal names
 * match their first. */
/* Every version from MS_SNAPSHOT_OLDEST on is read, brought to this one in
 * place (version 3's additions are optional: a version 2 is read as it is);
 * version 2 on, schema_version must be the version. */
START_TEST(test_old_version_upgraded)
{
	json_t *s = snap("guest", base, 0, 1000, 0);
	struct ms_error *err;

	/* Version 1: no schema_version. */
	json_object_set_new(s, "version", json_integer(1));
	json_object_del(s, "schema_version");
	ck_assert_ptr_null(ms_snapshot_validate(s));
	ck_assert_int_eq(json_integer_value(json_object_get(s, "version")), MS_SNAPSHOT_VERSION);
	ck_assert_int_eq(json_integer_value(json_object_get(s, "schema_version")),
			 MS_SNAPSHOT_VERSION);
	/* Validated again: already this version, unchanged. */
	ck_assert_ptr_null(ms_snapshot_validate(s));
	ck_assert_int_eq(json_integer_value(json_object_get(s, "version")), MS_SNAPSHOT_VERSION);

	/* Version 2, with or without what 3 added (main wrote both for a while):
	 * read as it is, nothing added or dropped. */
	for (int with = 0; with < 2; with++) {
		json_object_set_new(s, "version", json_integer(2));
		json_object_set_new(s, "schema_version", json_integer(2));
		if (with)
			json_object_set_new(s, "pgtables_upper", json_pack(
				"{s:b, s:b, s:i, s:i, s:i, s:i, s:i, s:i, s:b, s:[{s:s, s:i, s:i}]}",
				"pud_counted", 0, "pti", 1, "levels", 4, "mms", 1, "pgd_kb", 8,
				"p4d_kb", 0, "pud_kb", 8, "uncounted_kb", 16, "complete", 1,
				"commands", "comm", "init", "uncounted_kb", 16, "pud_kb", 8));
		ck_assert_ptr_null(ms_snapshot_validate(s));
		ck_assert_int_eq(json_integer_value(json_object_get(s, "version")),
				 MS_SNAPSHOT_VERSION);
		ck_assert_int_eq(json_integer_value(json_object_get(s, "schema_version")),
				 MS_SNAPSHOT_VERSION);
		ck_assert_int_eq(json_object_get(s, "pgtables_upper") != NULL, with);
	}
	json_object_del(s, "pgtables_upper");

	/* A version 1 that claims a schema_version is not one. */
	json_object_set_new(s, "version", json_integer(1));
	err = ms_snapshot_validate(s);
	ck_assert(ms_error_is(err, MS_ERR_CORRUPT));
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "schema_version"));
	ms_error_destroy(err);

	/* This version with a schema_version of another, or none. */
	json_object_set_new(s, "version", json_integer(MS_SNAPSHOT_VERSION));
	json_object_set_new(s, "schema_version", json_integer(MS_SNAPSHOT_VERSION + 1));
	err = ms_snapshot_validate(s);
	ck_assert(ms_error_is(err, MS_ERR_CORRUPT));
	ms_error_destroy(err);
	json_object_del(s, "schema_version");
	err = ms_snapshot_validate(s);
	ck_assert(ms_error_is(err, MS_ERR_CORRUPT));
	ms_error_destroy(err);

	/* Before the oldest, after this one: not read, and the message says which are. */
	json_object_set_new(s, "version", json_integer(MS_SNAPSHOT_OLDEST - 1));
	err = ms_snapshot_validate(s);
	ck_assert(ms_error_is(err, MS_ERR_UNSUPPORTED));
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "reads 1 to"));
	ms_error_destroy(err);
	json_object_set_new(s, "version", json_integer(MS_SNAPSHOT_VERSION + 1));
	json_object_set_new(s, "schema_version", json_integer(MS_SNAPSHOT_VERSION + 1));
	err = ms_snapshot_validate(s);
	ck_assert(ms_error_is(err, MS_ERR_UNSUPPORTED));
	ms_error_destroy(err);
	json_decref(s);
}
END_TEST

START_TEST(test_many_names)
{
	json_t *b = snap("guest", base, 0, 1000, 0), *a = snap("guest", base, 0, 1000, 0), *d;
	json_t *rows, *row;
	size_t i;

	many_caches(b, 32000, 0);
	many_caches(a, 32000, 1000);
	json_array_append_new(json_object_get(json_object_get(b, "slab"), "caches"),
			      json_pack("{s:s, s:I}", "name", "gone", "kb", (json_int_t)7));
	ck_assert_ptr_null(ms_snapdiff(b, a, &d));
	rows = json_object_get(json_object_get(d, "slab"), "caches");
	ck_assert_uint_eq(json_array_size(rows), 10);
	json_array_foreach(rows, i, row) {
		const char *name = json_string_value(json_object_get(row, "name"));

		if (!strcmp(name, "gone"))
			ck_assert_int_eq(json_integer_value(json_object_get(row, "delta_kb")), -7);
		else
			ck_assert_int_eq(json_integer_value(json_object_get(row, "delta_kb")), 5);
	}
	json_decref(d);
	/* "dup" of 2 kB in both: the first 2 kB matches the first 1 kB. */
	row = json_array_get(json_object_get(json_object_get(a, "slab"), "caches"), 32000);
	json_object_set_new(row, "kb", json_integer(11));
	ck_assert_ptr_null(ms_snapdiff(b, a, &d));
	row = json_array_get(json_object_get(json_object_get(d, "slab"), "caches"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(row, "name")), "dup");
	ck_assert_int_eq(json_integer_value(json_object_get(row, "delta_kb")), 10);
	json_decref(d);
	json_decref(a);
	json_decref(b);
}
END_TEST

/* One table names the categories for the snapshot, memdiff and meminfo's summary. */
START_TEST(test_category_names)
{
	ck_assert_str_eq(ms_memcat[MS_CAT_KERNEL_STACK].key, "kernel_stack");
	ck_assert_str_eq(ms_memcat[MS_CAT_KERNEL_STACK].label, "Kernel stacks");
	ck_assert_str_eq(ms_mi_cat_name(MS_CAT_KERNEL_STACK), "kernel stacks");
	ck_assert_str_eq(ms_memcat[MS_CAT_KERNEL_STACK].source, "KernelStack");
	ck_assert_str_eq(ms_memcat[MS_MEMCAT_UNACCOUNTED].key, "unaccounted");
	ck_assert_ptr_eq(ms_memcat_by_key("shmem"), &ms_memcat[MS_CAT_SHMEM]);
	ck_assert_ptr_null(ms_memcat_by_key("nope"));
	for (unsigned int c = 0; c < MS_MEMCAT_NR; c++)
		ck_assert(ms_memcat[c].key && ms_memcat[c].label && ms_memcat[c].summary &&
			  ms_memcat[c].source);
}
END_TEST

static Suite *snapdiff_suite(void)
{
	Suite *s = suite_create("snapdiff");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_tmpfs_growth_named);
	tcase_add_test(tc, test_processes_and_shrinkage);
	tcase_add_test(tc, test_other_kernel_refused);
	tcase_add_test(tc, test_other_boot_refused_unless_forced);
	tcase_add_test(tc, test_malformed_rejected);
	tcase_add_test(tc, test_category_names);
	tcase_add_test(tc, test_many_names);
	tcase_add_test(tc, test_old_version_upgraded);
	suite_add_tcase(s, tc);
	return s;
}
MS_SUITE(snapdiff_suite)
