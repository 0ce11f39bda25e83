/*
 * test_hash.c - the string-keyed hash table: put, get, first definition
 * wins, growth, borrowed and copied keys.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "hash.h"
#include "suites.h"

START_TEST(test_put_get_and_growth)
{
	struct ms_hash h;
	static char names[3000][16];

	ms_hash_init(&h, false);
	ck_assert_ptr_null(ms_hash_get(&h, "absent"));	/* an empty table */
	for (int i = 0; i < 3000; i++) {
		snprintf(names[i], sizeof(names[i]), "name%d", i);
		ck_assert_ptr_null(ms_hash_add(&h, names[i], (uint64_t)i * 7));
	}
	ck_assert_uint_eq(ms_hash_count(&h), 3000);
	ck_assert_uint_ge(h.size, 2 * 3000);	/* at most half full */
	for (int i = 0; i < 3000; i++) {
		struct ms_hash_entry *e = ms_hash_get(&h, names[i]);

		ck_assert_ptr_nonnull(e);
		ck_assert_uint_eq(e->value, (uint64_t)i * 7);
		ck_assert_ptr_eq(e->key, names[i]);	/* borrowed, not copied */
	}
	ck_assert_ptr_null(ms_hash_get(&h, "name3000"));
	ck_assert_ptr_null(ms_hash_get(&h, ""));
	/* The first definition wins; put says whether it added. */
	ck_assert_ptr_null(ms_hash_add(&h, "name5", 1));
	ck_assert_uint_eq(ms_hash_get(&h, "name5")->value, 35);
	{
		struct ms_hash_entry *e;
		bool added = true;

		ck_assert_ptr_null(ms_hash_put(&h, "name5", &e, &added));
		ck_assert(!added);
		e->value = 1;
		ck_assert_uint_eq(ms_hash_get(&h, "name5")->value, 1);
	}
	ms_hash_fini(&h);
	ck_assert_uint_eq(ms_hash_count(&h), 0);
	ck_assert_ptr_null(ms_hash_get(&h, "name5"));
}
END_TEST

START_TEST(test_copied_keys)
{
	struct ms_hash h;
	char key[32];

	ms_hash_init(&h, true);
	ck_assert_ptr_null(ms_hash_reserve(&h, 10));
	ck_assert_uint_ge(h.size, 22);
	strcpy(key, "S:zone.");
	ck_assert_ptr_null(ms_hash_add(&h, key, 42));
	strcpy(key, "changed");		/* the table kept its own copy */
	ck_assert_ptr_nonnull(ms_hash_get(&h, "S:zone."));
	ck_assert_uint_eq(ms_hash_get(&h, "S:zone.")->value, 42);
	ck_assert_ptr_null(ms_hash_get(&h, "changed"));
	ms_hash_fini(&h);		/* frees the copies: LeakSanitizer checks */
}
END_TEST

static Suite *hash_suite(void)
{
	Suite *s = suite_create("hash");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_put_get_and_growth);
	tcase_add_test(tc, test_copied_keys);
	suite_add_tcase(s, tc);
	return s;
}
MS_SUITE(hash_suite)
