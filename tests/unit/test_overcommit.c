/*
 * test_overcommit.c - vm_commit_limit()'s formula per policy input, and
 * __vm_enough_memory()'s answer per policy: the heuristic's single-mapping
 * check, policy 2's limit minus the admin reserve (not for root) and the
 * user reserve, policy 1.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "meminfo.h"
#include "overcommit.h"
#include "suites.h"

START_TEST(test_commit_limit_formula)
{
	/* (RAM - hugetlb) * ratio / 100 + swap, in 4 KiB pages. */
	ck_assert_uint_eq(ms_commit_limit(120263, 0, 0, 50, 0, 12), 60131);
	ck_assert_uint_eq(ms_commit_limit(120263, 0, 0, 150, 0, 12), 180394);
	ck_assert_uint_eq(ms_commit_limit(120263, 263, 1000, 50, 0, 12), 61000);
	/* overcommit_kbytes wins over the ratio; swap is still added. */
	ck_assert_uint_eq(ms_commit_limit(120263, 0, 1000, 50, 400000, 12), 100000 + 1000);
	ck_assert_uint_eq(ms_commit_limit(120263, 0, 0, 0, 0, 12), 0);
}
END_TEST

static const struct ms_commit_inputs never = {
	.mode = MS_OVERCOMMIT_NEVER, .totalram = 120263, .swap = 0, .limit = 180394,
	.count = 91932, .admin_reserve = 8192, .user_reserve = 3617,
};

START_TEST(test_policy_never)
{
	struct ms_vm_answer a;
	uint64_t room = never.limit - never.count;	/* root's room, less one page */

	/* root: allowed is the whole limit; committed + pages must stay below it. */
	ms_vm_enough_memory(&never, room - 1, true, 0, &a);
	ck_assert(a.ok);
	ck_assert_int_eq(a.rule, MS_VM_NEVER_FITS);
	ck_assert_int_eq(a.allowed, (int64_t)never.limit);
	ck_assert_int_eq(a.max_ok, (int64_t)room - 1);
	ms_vm_enough_memory(&never, room, true, 0, &a);
	ck_assert(!a.ok);
	ck_assert_int_eq(a.rule, MS_VM_NEVER_OVER);
	ck_assert_uint_eq(a.committed_after, never.limit);

	/* Without CAP_SYS_ADMIN the admin reserve is kept back. */
	ms_vm_enough_memory(&never, room - 1, false, 0, &a);
	ck_assert(!a.ok);
	ck_assert_uint_eq(a.admin_cut, 8192);
	ck_assert_int_eq(a.max_ok, (int64_t)room - 8192 - 1);
	ms_vm_enough_memory(&never, room - 8192 - 1, false, 0, &a);
	ck_assert(a.ok);

	/* The user reserve: min(total_vm / 32, user_reserve). */
	ms_vm_enough_memory(&never, 1, true, 32 * 100, &a);
	ck_assert_uint_eq(a.user_cut, 100);
	ms_vm_enough_memory(&never, 1, true, 32 * 100000, &a);
	ck_assert_uint_eq(a.user_cut, 3617);
	ck_assert_int_eq(a.allowed, (int64_t)never.limit - 3617);
}
END_TEST

START_TEST(test_policy_never_over_the_limit)
{
	struct ms_commit_inputs in = never;
	struct ms_vm_answer a;

	in.count = in.limit + 10;	/* Committed_AS already above CommitLimit */
	ms_vm_enough_memory(&in, 1, true, 0, &a);
	ck_assert(!a.ok);
	ck_assert_int_eq(a.max_ok, -1);
}
END_TEST

START_TEST(test_policy_guess_and_always)
{
	struct ms_commit_inputs in = never;
	struct ms_vm_answer a;

	in.mode = MS_OVERCOMMIT_GUESS;
	in.swap = 1000;
	/* Only one mapping larger than RAM + swap fails, whatever is committed. */
	ms_vm_enough_memory(&in, 120263 + 1000, false, 0, &a);
	ck_assert(a.ok);
	ck_assert_int_eq(a.rule, MS_VM_GUESS_FITS);
	ms_vm_enough_memory(&in, 120263 + 1001, true, 0, &a);
	ck_assert(!a.ok);
	ck_assert_int_eq(a.rule, MS_VM_GUESS_TOO_BIG);
	ck_assert_int_eq(a.max_ok, 120263 + 1000);
	in.mode = MS_OVERCOMMIT_ALWAYS;
	ms_vm_enough_memory(&in, 1ull << 40, false, 0, &a);
	ck_assert(a.ok);
	ck_assert_int_eq(a.rule, MS_VM_ALWAYS);
	/* A value the kernel does not know falls through to policy 2's check. */
	in.mode = 7;
	ms_vm_enough_memory(&in, 1ull << 40, true, 0, &a);
	ck_assert(!a.ok);
	ck_assert_int_eq(a.rule, MS_VM_UNKNOWN_POLICY);
}
END_TEST

static Suite *overcommit_suite(void)
{
	Suite *s = suite_create("overcommit");
	TCase *tc = tcase_create("policy");

	tcase_add_test(tc, test_commit_limit_formula);
	tcase_add_test(tc, test_policy_never);
	tcase_add_test(tc, test_policy_never_over_the_limit);
	tcase_add_test(tc, test_policy_guess_and_always);
	suite_add_tcase(s, tc);
	return s;
}

MS_SUITE(overcommit_suite)
