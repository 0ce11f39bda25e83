/*
 * test_grow.c - ms_grow(): doubling from the first size, the array kept
 * while it has room, overflow refused with the array left valid.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>

#include "grow.h"
#include "suites.h"

START_TEST(test_doubles_and_keeps)
{
	uint32_t *v = NULL;
	size_t cap = 0, nr, grew = 0;

	for (nr = 0; nr < 1000; nr++) {
		size_t before = cap;
		uint32_t *n = ms_grow(v, &cap, nr, sizeof(*v), 16);

		ck_assert_ptr_nonnull(n);
		ck_assert_uint_gt(cap, nr);
		if (before)
			ck_assert(cap == before || cap == 2 * before);
		else
			ck_assert_uint_eq(cap, 16);
		grew += cap != before;
		v = n;
		v[nr] = (uint32_t)nr * 3;
	}
	/* 16, 32, ..., 1024: seven reallocations for 1000 appends. */
	ck_assert_uint_eq(cap, 1024);
	ck_assert_uint_eq(grew, 7);
	for (nr = 0; nr < 1000; nr++)
		ck_assert_uint_eq(v[nr], nr * 3);
	/* With room left, the same array comes back. */
	ck_assert_ptr_eq(ms_grow(v, &cap, 1000, sizeof(*v), 16), v);
	free(v);
}
END_TEST

START_TEST(test_overflow_leaves_the_array)
{
	char *v = malloc(8);
	size_t cap = SIZE_MAX / 2 + 1;

	ck_assert_ptr_nonnull(v);
	/* Doubling would wrap: refused, cap and v untouched. */
	ck_assert_ptr_null(ms_grow(v, &cap, cap, 1, 16));
	ck_assert_uint_eq(cap, SIZE_MAX / 2 + 1);
	cap = 8;
	/* A count times the element size past SIZE_MAX: refused too. */
	ck_assert_ptr_null(ms_grow(v, &cap, 8, SIZE_MAX / 8, 16));
	ck_assert_uint_eq(cap, 8);
	v[7] = 1;		/* still ours */
	free(v);
}
END_TEST

static Suite *grow_suite(void)
{
	Suite *s = suite_create("grow");
	TCase *tc = tcase_create("grow");

	tcase_add_test(tc, test_doubles_and_keeps);
	tcase_add_test(tc, test_overflow_leaves_the_array);
	suite_add_tcase(s, tc);
	return s;
}

MS_SUITE(grow_suite)
