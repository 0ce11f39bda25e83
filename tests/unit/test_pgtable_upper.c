/*
 * test_pgtable_upper.c - the upper page-table walk on synthetic tables: 4-
 * and 5-level, each era's counted levels (6.1: PGD, P4D and PUD uncounted;
 * with struct ptdesc, 6.12: PUD counted), the order-1 PGD of a kernel built
 * with page-table isolation, the kernel half left out, an mm shared by two
 * processes counted once, an unreadable P4D and a bad pgd pointer (partial
 * answers with their cause).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "fake_target.h"
#include "pgtable_upper.h"
#include "suites.h"

#define PAGE_OFFSET 0xffffa00000000000ull	/* away from the fake's own heap */
#define PRESENT 0x67ull		/* _PAGE_PRESENT | RW | USER | ACCESSED | DIRTY */

/* A page of the direct map at physical address phys, zeroed. */
static uint64_t table(struct fake *f, uint64_t phys)
{
	fake_map(f, PAGE_OFFSET + phys, 4096);
	return PAGE_OFFSET + phys;
}

static void entry(struct fake *f, uint64_t tab, unsigned int i, uint64_t phys)
{
	fake_put_u64(f, tab + 8ull * i, phys | PRESENT | (1ull << 63));	/* NX set: masked */
}

static struct fake *kernel(void)
{
	struct fake *f = fake_new();
	uint64_t a = fake_alloc(f, 8);

	fake_put_u64(f, a, PAGE_OFFSET);
	fake_symbol(f, "page_offset_base", a);
	return f;
}

/* A 4-level PGD: user entries 0 and 255 (two PUD pages), kernel entries 273
 * and 511 (the kernel's shared tables, not the mm's). */
static uint64_t pgd4(struct fake *f, uint64_t phys)
{
	uint64_t pgd = table(f, phys);

	entry(f, pgd, 0, phys + 0x10000);
	entry(f, pgd, 255, phys + 0x11000);
	entry(f, pgd, 273, 0x5000000);
	entry(f, pgd, 511, 0x5001000);
	return pgd;
}

START_TEST(test_four_level_6_1)
{
	struct fake *f = kernel();
	struct ms_target *t = fake_target(f);
	struct ms_pgt_era e;
	struct ms_pgt_upper u;

	ck_assert_ptr_null(ms_pgt_era_get(t, &e));
	ck_assert(!e.l5 && !e.pti && !e.pud_counted);
	ck_assert_ptr_null(ms_pgt_upper_read(t, &e, pgd4(f, 0x100000), &u));
	ck_assert(u.complete);
	ck_assert_uint_eq(u.pgd, 1);
	ck_assert_uint_eq(u.p4d, 0);
	ck_assert_uint_eq(u.pud, 2);
	/* 6.1: the PUD pages are not in NR_PAGETABLE either. */
	ck_assert_uint_eq(ms_pgt_uncounted(&e, &u), 3);
	fake_free(f);
}
END_TEST

START_TEST(test_pti_and_6_12)
{
	struct fake *f = kernel();
	struct ms_target *t = fake_target(f);
	struct ms_pgt_era e;
	struct ms_pgt_upper u;

	fake_symbol(f, "__pti_set_user_pgtbl", 0xffffffff81088470ull);
	fake_struct(f, "ptdesc", 64);
	ck_assert_ptr_null(ms_pgt_era_get(t, &e));
	ck_assert(e.pti && e.pud_counted);
	ck_assert_ptr_null(ms_pgt_upper_read(t, &e, pgd4(f, 0x100000), &u));
	ck_assert_uint_eq(u.pgd, 2);	/* order 1: the kernel and the user copy */
	ck_assert_uint_eq(u.pud, 2);
	/* 6.12: pagetable_pud_ctor() counts the PUDs; the PGD stays uncounted. */
	ck_assert_uint_eq(ms_pgt_uncounted(&e, &u), 2);
	fake_free(f);
}
END_TEST

START_TEST(test_five_level)
{
	struct fake *f = kernel();
	struct ms_target *t = fake_target(f);
	struct ms_pgt_era e;
	struct ms_pgt_upper u;
	struct ms_error *err;
	uint64_t pgd = table(f, 0x200000), p4d = table(f, 0x300000);

	fake_vmcoreinfo(f, "NUMBER(pgtable_l5_enabled)", "1");
	fake_vmcoreinfo(f, "NUMBER(sme_mask)", "0x0");
	entry(f, pgd, 0, 0x300000);
	entry(f, pgd, 400, 0x5000000);	/* kernel half */
	entry(f, p4d, 0, 0x400000);
	entry(f, p4d, 7, 0x401000);
	entry(f, p4d, 511, 0x402000);
	ck_assert_ptr_null(ms_pgt_era_get(t, &e));
	ck_assert(e.l5);
	ck_assert_ptr_null(ms_pgt_upper_read(t, &e, pgd, &u));
	ck_assert_uint_eq(u.pgd, 1);
	ck_assert_uint_eq(u.p4d, 1);
	ck_assert_uint_eq(u.pud, 3);
	ck_assert_uint_eq(ms_pgt_uncounted(&e, &u), 5);
	/* A P4D the dump does not hold: an error, what was counted kept. */
	entry(f, pgd, 1, 0x7000000);
	err = ms_pgt_upper_read(t, &e, pgd, &u);
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "P4D of PGD entry 1"));
	ms_error_destroy(err);
	ck_assert(!u.complete);
	ck_assert_uint_eq(u.p4d, 2);
	ck_assert_uint_eq(u.pud, 3);
	fake_free(f);
}
END_TEST

START_TEST(test_tasks_and_bad_input)
{
	struct fake *f = kernel();
	struct ms_target *t = fake_target(f);
	struct ms_task v[4];
	struct ms_tasks ts = { 4, v, true, true };
	struct ms_pgt_upper per[4];
	struct ms_pgt_totals tot;
	struct ms_pgt_era e;
	struct ms_pgt_upper u;
	struct ms_error *err;

	memset(v, 0, sizeof(v));
	v[0].pid = 1, v[0].mm = 0x1000, v[0].pgd = pgd4(f, 0x100000);
	v[1].pid = 2;	/* a kernel thread: no mm */
	v[2].pid = 3, v[2].mm = 0x1000, v[2].pgd = v[0].pgd;	/* clone(CLONE_VM) */
	v[3].pid = 4, v[3].mm = 0x2000, v[3].pgd = PAGE_OFFSET + 0x123;	/* not a page */
	ck_assert_ptr_null(ms_pgt_upper_tasks(t, &ts, &e, per, &tot));
	ck_assert_uint_eq(tot.nr_mm, 2);
	ck_assert(!tot.complete);
	ck_assert_uint_eq(per[0].pud, 2);
	ck_assert_uint_eq(per[1].pgd + per[2].pgd, 0);
	ck_assert_uint_eq(tot.pgd, 1);
	ck_assert_uint_eq(tot.pud, 2);
	ck_assert_uint_eq(tot.uncounted, 3);
	ck_assert_ptr_nonnull(strstr(fake_warnings(f), "pid 4"));
	err = ms_pgt_upper_read(t, &e, PAGE_OFFSET + 0x123, &u);
	ck_assert_int_eq(err->code, MS_ERR_CORRUPT);
	ms_error_destroy(err);
	/* An unreadable PGD: the read's error. */
	err = ms_pgt_upper_read(t, &e, PAGE_OFFSET + 0x9000000, &u);
	ck_assert_ptr_nonnull(err);
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

START_TEST(test_no_direct_map)
{
	struct fake *f = fake_new();
	struct ms_pgt_era e;
	struct ms_error *err = ms_pgt_era_get(fake_target(f), &e);

	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "direct map"));
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

static Suite *pgtable_upper_suite(void)
{
	Suite *s = suite_create("pgtable_upper");
	TCase *tc = tcase_create("walk");

	tcase_add_test(tc, test_four_level_6_1);
	tcase_add_test(tc, test_pti_and_6_12);
	tcase_add_test(tc, test_five_level);
	tcase_add_test(tc, test_tasks_and_bad_input);
	tcase_add_test(tc, test_no_direct_map);
	suite_add_tcase(s, tc);
	return s;
}

MS_SUITE(pgtable_upper_suite)
