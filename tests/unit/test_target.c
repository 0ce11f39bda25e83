/*
 * test_target.c - memoized look-ups, typed reads and their errors, byte
 * order, and the kernel facts.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "fake_target.h"
#include "kernel.h"
#include "suites.h"

/* err is of code (and at addr if has_addr); destroys it. */
static void expect_error(struct ms_error *err, enum ms_error_code code, bool has_addr,
			 uint64_t addr)
{
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(err->code == code, "%s: code %s, not %s", ms_error_string(err),
		      ms_error_code_name(err->code), ms_error_code_name(code));
	ck_assert_int_eq(err->has_addr, has_addr);
	if (has_addr)
		ck_assert_uint_eq(err->addr, addr);
	ms_error_destroy(err);
}

START_TEST(test_reads_fail_cleanly)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	uint64_t a = fake_alloc(f, 16), v;
	char s[8];

	fake_put_u64(f, a, 0x1122334455667788ull);
	ck_assert_ptr_null(ms_read_u64(t, a, &v));
	ck_assert_uint_eq(v, 0x1122334455667788ull);
	ck_assert_ptr_null(ms_read_uint(t, a, 2, &v));
	ck_assert_uint_eq(v, 0x7788);
	/* Straddling the end of the mapping, or NULL: an error, not a crash. */
	expect_error(ms_read_u64(t, a + 12, &v), MS_ERR_FAULT, true, a + 12);
	expect_error(ms_read_u64(t, 0, &v), MS_ERR_FAULT, true, 0);
	expect_error(ms_read_uint(t, a, 3 * 3, &v), MS_ERR_USAGE, false, 0);
	/* A string cut by unmapped memory still terminates. */
	fake_put(f, a + 8, "abcdefgh", 8);
	ck_assert_ptr_null(ms_read_str(t, a + 8, s, sizeof(s)));
	ck_assert_str_eq(s, "abcdefg");
	fake_free(f);
}
END_TEST

START_TEST(test_missing_pages)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	uint64_t a = fake_alloc(f, 0x2000), v;
	struct ms_error *err;

	/* The second page of a mapped buffer is not in the dump. */
	fake_missing(f, a + 0x1000, 0x1000);
	ck_assert_ptr_null(ms_read_u64(t, a + 0xff8, &v));
	err = ms_read_u64(t, a + 0xffc, &v);
	ck_assert(ms_error_is(err, MS_ERR_MISSING));
	ck_assert_uint_eq(err->addr, a + 0x1000);
	/* The reader's own text is kept as the cause and shown. */
	ck_assert_str_eq(err->cause, "fake: page excluded");
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "fake: page excluded"));
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

START_TEST(test_read_sym_uint_lookup_vs_fault)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	uint64_t a = fake_alloc(f, 8), v;
	struct ms_error *err;

	fake_put_u64(f, a, 42);
	fake_symbol(f, "here", a);
	fake_symbol(f, "unmapped", 0xffffffff80001000ull);
	fake_symbol(f, "filtered", a);
	ck_assert_ptr_null(ms_read_sym_uint(t, "here", 8, &v));
	ck_assert_uint_eq(v, 42);
	/* No such symbol: a look-up failure naming it, not a fault. */
	err = ms_read_sym_uint(t, "nosuch", 8, &v);
	ck_assert(ms_error_is(err, MS_ERR_LOOKUP));
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "nosuch"));
	ms_error_destroy(err);
	/* A symbol whose memory cannot be read: the fault, wrapped with its name. */
	err = ms_read_sym_uint(t, "unmapped", 4, &v);
	ck_assert(ms_error_is(err, MS_ERR_FAULT));
	ck_assert_uint_eq(err->addr, 0xffffffff80001000ull);
	ck_assert_msg(!strncmp(ms_error_string(err), "unmapped: read of 4 bytes at 0xffffffff80001000",
			       47), "%s", ms_error_string(err));
	ms_error_destroy(err);
	fake_missing(f, a, 8);
	expect_error(ms_read_sym_uint(t, "filtered", 8, &v), MS_ERR_MISSING, true, a);
	fake_free(f);
}
END_TEST

START_TEST(test_error_object)
{
	struct ms_error *err = ms_error_at_lib(MS_ERR_FAULT, 0x1000, "libfoo says no", "read of %d bytes",
					       8);

	ck_assert_str_eq(ms_error_string(err), "read of 8 bytes at 0x1000: libfoo says no");
	err = ms_error_wrap(ms_error_wrap(err, "zone %s", "DMA32"), "node %d", 1);
	ck_assert_str_eq(ms_error_string(err), "node 1: zone DMA32: read of 8 bytes at 0x1000: libfoo says no");
	ck_assert(err->has_addr && err->addr == 0x1000 && err->code == MS_ERR_FAULT);
	ms_error_destroy(err);
	/* Out of memory is static: wrapping and destroying leave it alone. */
	err = ms_error_wrap(ms_error_create(MS_ERR_NOMEM, "ignored %d", 1), "context");
	ck_assert_ptr_eq(err, &ms_error_nomem);
	ck_assert_str_eq(ms_error_string(err), "out of memory");
	ms_error_destroy(err);
	ck_assert_ptr_null(ms_error_wrap(NULL, "nothing"));
	ck_assert_ptr_null(ms_error_ignore(ms_error_create(MS_ERR_LOOKUP, "x")));
	ck_assert_str_eq(ms_error_code_name(MS_ERR_MISSING), "missing");
}
END_TEST

START_TEST(test_byte_order_and_word_size)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	static const unsigned char raw[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
	uint64_t a = fake_alloc(f, 8), v;
	uint32_t u;
	int32_t s;

	fake_put(f, a, raw, 8);
	ck_assert_uint_eq(t->word_size, 8);
	ck_assert(!t->big_endian);
	ck_assert_ptr_null(ms_read_ptr(t, a, &v));
	ck_assert_uint_eq(v, 0x8877665544332211ull);
	ms_target_set_arch(t, 4, true);
	ck_assert_ptr_null(ms_read_ptr(t, a, &v));
	ck_assert_uint_eq(v, 0x11223344);
	ck_assert_ptr_null(ms_read_u64(t, a, &v));
	ck_assert_uint_eq(v, 0x1122334455667788ull);
	ck_assert_ptr_null(ms_read_u32(t, a + 4, &u));
	ck_assert_uint_eq(u, 0x55667788);
	ck_assert_ptr_null(ms_read_s32(t, a + 4, &s));
	ck_assert_int_eq(s, 0x55667788);
	ck_assert_uint_eq(ms_get_uint(t, raw, 1, 2), 0x2233);
	ck_assert_uint_eq(ms_get_ptr(t, raw, 4), 0x55667788);
	/* Anything but 4 is a 64-bit word. */
	ms_target_set_arch(t, 2, false);
	ck_assert_uint_eq(t->word_size, 8);
	fake_free(f);
}
END_TEST

START_TEST(test_lookups_and_fallbacks)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	static const char *const wm[] = { "_watermark", "watermark", NULL };
	static const char *const items[] = { "NR_SLAB_RECLAIMABLE_B", "NR_SLAB_RECLAIMABLE", NULL };
	static const char *const none[] = { "NR_NOPE", "NR_NOPE_EITHER", NULL };
	unsigned long calls;
	uint64_t addr;
	long v;

	fake_member(f, "zone", "watermark", 24, 24);
	fake_enum(f, "NR_SLAB_RECLAIMABLE", 7);
	ck_assert_int_eq(ms_member_offset_any(t, "zone", wm), 24);
	ck_assert_int_eq(ms_member_offset(t, "zone", "_watermark"), -1);
	ck_assert_ptr_null(ms_enum_any(t, items, &v));
	ck_assert_int_eq(v, 7);
	expect_error(ms_enum_any(t, none, &v), MS_ERR_LOOKUP, false, 0);
	expect_error(ms_symbol(t, "nosuch", &addr), MS_ERR_LOOKUP, false, 0);
	ck_assert(!ms_has_symbol(t, "nosuch"));
	/* Answers are remembered: a later change in the binding is not seen. */
	fake_member(f, "zone", "watermark", 32, 24);
	ck_assert_int_eq(ms_member_offset(t, "zone", "watermark"), 24);
	/* Absent ones too: no second question to the binding. */
	calls = fake_calls(f);
	ck_assert_int_eq(ms_member_offset(t, "zone", "_watermark"), -1);
	ck_assert(!ms_has_enum(t, "NR_NOPE"));
	ck_assert_uint_eq(fake_calls(f), calls);
	/* A name too long for the memo's key is asked every time, and answered right. */
	{
		char longname[400];

		memset(longname, 'x', sizeof(longname) - 1);
		longname[sizeof(longname) - 1] = '\0';
		fake_enum(f, longname, 99);
		ck_assert_ptr_null(ms_enum(t, longname, &v));
		ck_assert_int_eq(v, 99);
		ck_assert_ptr_null(ms_enum(t, longname, &v));
		ck_assert_int_eq(v, 99);
	}
	fake_free(f);
}
END_TEST

START_TEST(test_enum_types)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	unsigned long calls;
	char buf[32], tiny[5];

	fake_enum(f, "NR_FREE_PAGES", 0);
	fake_enum_type(f, "NR_FREE_PAGES", "zone_stat_item");
	fake_enum(f, "NR_FILE_PAGES", 3);
	fake_enum_type(f, "NR_FILE_PAGES", "node_stat_item");
	ck_assert_ptr_null(ms_enum_type(t, "NR_FREE_PAGES", buf, sizeof(buf)));
	ck_assert_str_eq(buf, "zone_stat_item");
	ck_assert_ptr_null(ms_enum_type(t, "NR_FILE_PAGES", buf, sizeof(buf)));
	ck_assert_str_eq(buf, "node_stat_item");
	expect_error(ms_enum_type(t, "NR_NOPE", buf, sizeof(buf)), MS_ERR_LOOKUP, false, 0);
	ck_assert_str_eq(buf, "");
	/* Remembered, found or not; cut to the caller's buffer. */
	calls = fake_calls(f);
	ck_assert_ptr_null(ms_enum_type(t, "NR_FREE_PAGES", tiny, sizeof(tiny)));
	ck_assert_str_eq(tiny, "zone");
	expect_error(ms_enum_type(t, "NR_NOPE", buf, sizeof(buf)), MS_ERR_LOOKUP, false, 0);
	ck_assert_uint_eq(fake_calls(f), calls);
	expect_error(ms_enum_type(t, "NR_FREE_PAGES", buf, 0), MS_ERR_USAGE, false, 0);
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
	ck_assert_ptr_null(ms_vmcoreinfo_number(t, "NUMBER(SECTION_SIZE_BITS)", &v));
	ck_assert_int_eq(v, 27);
	ck_assert_ptr_null(ms_vmcoreinfo_number(t, "KERNELOFFSET", &v));
	ck_assert_int_eq(v, 0x20000000);
	/* A direct-map address does not saturate. */
	fake_vmcoreinfo(f, "SYMBOL(mem_section)", "ffff8f29dfe29000");
	ck_assert_ptr_null(ms_vmcoreinfo_number(t, "SYMBOL(mem_section)", &v));
	ck_assert_uint_eq((uint64_t)v, 0xffff8f29dfe29000ull);
	expect_error(ms_vmcoreinfo_number(t, "OSRELEASE", &v), MS_ERR_CORRUPT, false, 0);
	expect_error(ms_vmcoreinfo_number(t, "NUMBER(MISSING)", &v), MS_ERR_LOOKUP, false, 0);
	/* Truncated to the caller's buffer, still terminated. */
	ck_assert_ptr_null(ms_vmcoreinfo(t, "OSRELEASE", buf, sizeof(buf)));
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
	ck_assert_ptr_null(ms_kernel_get(t, &k));
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
	const struct ms_kernel *k = NULL;
	struct ms_error *err = ms_kernel_get(fake_target(f), &k);

	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "nr_cpu_ids"));
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

static Suite *target_suite(void)
{
	Suite *s = suite_create("target");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_reads_fail_cleanly);
	tcase_add_test(tc, test_missing_pages);
	tcase_add_test(tc, test_read_sym_uint_lookup_vs_fault);
	tcase_add_test(tc, test_error_object);
	tcase_add_test(tc, test_byte_order_and_word_size);
	tcase_add_test(tc, test_lookups_and_fallbacks);
	tcase_add_test(tc, test_enum_types);
	tcase_add_test(tc, test_vmcoreinfo_numbers);
	tcase_add_test(tc, test_kernel_facts);
	tcase_add_test(tc, test_kernel_facts_missing);
	suite_add_tcase(s, tc);
	return s;
}
MS_SUITE(target_suite)
