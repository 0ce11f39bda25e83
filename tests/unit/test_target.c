/*
 * test_target.c - memoized look-ups, typed reads and the kernel facts.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "fake_target.h"
#include "kernel.h"
#include "suites.h"

START_TEST(test_reads_fail_cleanly)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	uint64_t a = fake_alloc(f, 16), v;
	char s[8];

	fake_put_u64(f, a, 0x1122334455667788ull);
	ck_assert_int_eq(ms_read_u64(t, a, &v), 0);
	ck_assert_uint_eq(v, 0x1122334455667788ull);
	ck_assert_int_eq(ms_read_uint(t, a, 2, &v), 0);
	ck_assert_uint_eq(v, 0x7788);
	/* Straddling the end of the mapping, or NULL: an error, not a crash. */
	ck_assert_int_eq(ms_read_u64(t, a + 12, &v), -1);
	ck_assert_int_eq(ms_read_u64(t, 0, &v), -1);
	/* A string cut by unmapped memory still terminates. */
	fake_put(f, a + 8, "abcdefgh", 8);
	ck_assert_int_eq(ms_read_str(t, a + 8, s, sizeof(s)), 0);
	ck_assert_str_eq(s, "abcdefg");
	fake_free(f);
}
END_TEST

START_TEST(test_lookups_and_fallbacks)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	static const char *const wm[] = { "_watermark", "watermark", NULL };
	static const char *const items[] = { "NR_SLAB_RECLAIMABLE_B", "NR_SLAB_RECLAIMABLE", NULL };
	long v;

	fake_member(f, "zone", "watermark", 24, 24);
	fake_enum(f, "NR_SLAB_RECLAIMABLE", 7);
	ck_assert_int_eq(ms_member_offset_any(t, "zone", wm), 24);
	ck_assert_int_eq(ms_member_offset(t, "zone", "_watermark"), -1);
	ck_assert_int_eq(ms_enum_any(t, items, &v), 0);
	ck_assert_int_eq(v, 7);
	/* Answers are remembered: a later change in the binding is not seen. */
	fake_member(f, "zone", "watermark", 32, 24);
	ck_assert_int_eq(ms_member_offset(t, "zone", "watermark"), 24);
	fake_free(f);
}
END_TEST

START_TEST(test_vmcoreinfo_numbers)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	long long v;
	char buf[16];

	fake_vmcoreinfo(f, "NUMBER(SECTION_SIZE_BITS)", "27");
	fake_vmcoreinfo(f, "KERNELOFFSET", "20000000");
	fake_vmcoreinfo(f, "OSRELEASE", "6.1.0-55-cloud-amd64");
	ck_assert_int_eq(ms_vmcoreinfo_number(t, "NUMBER(SECTION_SIZE_BITS)", &v), 0);
	ck_assert_int_eq(v, 27);
	ck_assert_int_eq(ms_vmcoreinfo_number(t, "KERNELOFFSET", &v), 0);
	ck_assert_int_eq(v, 0x20000000);
	/* A direct-map address does not saturate. */
	fake_vmcoreinfo(f, "SYMBOL(mem_section)", "ffff8f29dfe29000");
	ck_assert_int_eq(ms_vmcoreinfo_number(t, "SYMBOL(mem_section)", &v), 0);
	ck_assert_uint_eq((uint64_t)v, 0xffff8f29dfe29000ull);
	ck_assert_int_eq(ms_vmcoreinfo_number(t, "OSRELEASE", &v), -1);
	ck_assert_int_eq(ms_vmcoreinfo_number(t, "NUMBER(MISSING)", &v), -1);
	/* Truncated to the caller's buffer, still terminated. */
	ck_assert_int_eq(ms_vmcoreinfo(t, "OSRELEASE", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "6.1.0-55-cloud-");
	fake_free(f);
}
END_TEST

START_TEST(test_kernel_facts)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	const struct ms_kernel *k;

	fake_basic_kernel(f, 3, 2, 4);
	k = ms_kernel(t);
	ck_assert_ptr_nonnull(k);
	ck_assert_uint_eq(k->nr_cpu_ids, 3);
	ck_assert_uint_eq(k->nr_possible, 3);
	ck_assert_uint_eq(k->nr_nodes, 2);
	ck_assert_uint_eq(k->nr_zones, 4);
	ck_assert_str_eq(k->zone_name[1], "DMA32");
	ck_assert_uint_eq(ms_zone_addr(k, 1, 2), fake_zone(f, 1, 2));
	ck_assert_uint_eq(ms_percpu_addr(k, 0x1000, 2), 0x1000 + fake_percpu_offset(f, 2));
	fake_free(f);
}
END_TEST

START_TEST(test_kernel_facts_missing)
{
	struct fake *f = fake_new();

	ck_assert_ptr_null(ms_kernel(fake_target(f)));
	ck_assert_ptr_nonnull(strstr(fake_warnings(f), "nr_cpu_ids"));
	fake_free(f);
}
END_TEST

static Suite *target_suite(void)
{
	Suite *s = suite_create("target");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_reads_fail_cleanly);
	tcase_add_test(tc, test_lookups_and_fallbacks);
	tcase_add_test(tc, test_vmcoreinfo_numbers);
	tcase_add_test(tc, test_kernel_facts);
	tcase_add_test(tc, test_kernel_facts_missing);
	suite_add_tcase(s, tc);
	return s;
}
MS_SUITE(target_suite)
