/*
 * test_crashver.c - the verdict on a memscope.so loaded into another crash
 * (extension/crashver_check.c): silent in its own crash, a warning naming
 * both versions and the rebuild command in another, a refusal only where a
 * layout it relies on is known to differ.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "crashver_check.h"
#include "suites.h"

#define REBUILD "make -C /src CRASH_INCLUDE=/x/include/crash"

static const struct ms_crash_layout same[] = {
	{ "struct program_context", 6008, 6008, MS_CRASH_MEMBERS_UNCHECKED },
	{ "struct machdep_table", 536, 536, MS_CRASH_MEMBERS_OK },
	{ "struct syment", 48, 0, MS_CRASH_MEMBERS_OK },
};

START_TEST(test_own_crash_is_silent)
{
	char msg[1024] = "junk";

	ck_assert_int_eq(ms_crashver_judge("8.0.2", "8.0.2", REBUILD, same, 3, msg, sizeof(msg)),
			 MS_CRASHVER_SAME);
	ck_assert_str_eq(msg, "");
}
END_TEST

START_TEST(test_other_version_warns)
{
	char msg[1024];

	ck_assert_int_eq(ms_crashver_judge("8.0.2", "9.0.2", REBUILD, same, 3, msg, sizeof(msg)),
			 MS_CRASHVER_WARN);
	ck_assert_ptr_nonnull(strstr(msg, "built against crash 8.0.2's defs.h; this is crash 9.0.2\n"));
	ck_assert_ptr_nonnull(strstr(msg, "rebuild it for this crash: " REBUILD "\n"));
	ck_assert_ptr_null(strstr(msg, "not loaded"));
	ck_assert_ptr_null(strstr(msg, "bytes"));	/* no layout to name */
}
END_TEST

/* machdep_table grew (8.0.2 -> 8.0.6) but pageshift and bits hold their values. */
START_TEST(test_resized_but_members_ok_warns)
{
	const struct ms_crash_layout l[] = {
		{ "struct program_context", 6008, 6008, MS_CRASH_MEMBERS_UNCHECKED },
		{ "struct machdep_table", 536, 544, MS_CRASH_MEMBERS_OK },
	};
	char msg[1024];

	ck_assert_int_eq(ms_crashver_judge("8.0.2", "8.0.6", REBUILD, l, 2, msg, sizeof(msg)),
			 MS_CRASHVER_WARN);
	ck_assert_ptr_nonnull(strstr(msg, "struct machdep_table is 544 bytes in this crash, 536 in "
					  "that defs.h (the members memscope reads check out)\n"));
	ck_assert_ptr_null(strstr(msg, "program_context"));
	ck_assert_ptr_null(strstr(msg, "not loaded"));
	/* Even the same version string: a size that differs is said. */
	ck_assert_int_eq(ms_crashver_judge("8.0.6", "8.0.6", REBUILD, l, 2, msg, sizeof(msg)),
			 MS_CRASHVER_WARN);
}
END_TEST

START_TEST(test_unchecked_size_differs_refuses)
{
	const struct ms_crash_layout l[] = {
		{ "struct program_context", 6008, 6016, MS_CRASH_MEMBERS_UNCHECKED },
		{ "struct machdep_table", 536, 536, MS_CRASH_MEMBERS_OK },
	};
	char msg[1024];

	ck_assert_int_eq(ms_crashver_judge("8.0.2", "9.9", REBUILD, l, 2, msg, sizeof(msg)),
			 MS_CRASHVER_REFUSE);
	ck_assert_ptr_nonnull(strstr(msg, "struct program_context is 6016 bytes in this crash, 6008 "
					  "in that defs.h\n"));
	ck_assert_ptr_nonnull(strstr(msg, REBUILD));
	ck_assert_ptr_nonnull(strstr(msg, "a layout it relies on differs: not loaded\n"));
}
END_TEST

/* The same size, the same version even: members that hold nonsense refuse. */
START_TEST(test_moved_members_refuse)
{
	const struct ms_crash_layout l[] = {
		{ "struct kernel_table", 84288, 84288, MS_CRASH_MEMBERS_MOVED },
	};
	char msg[1024];

	ck_assert_int_eq(ms_crashver_judge("8.0.2", "8.0.2", REBUILD, l, 1, msg, sizeof(msg)),
			 MS_CRASHVER_REFUSE);
	ck_assert_ptr_nonnull(strstr(msg, "struct kernel_table: the members memscope reads do not "
					  "hold their values here"));
	ck_assert_ptr_nonnull(strstr(msg, "not loaded"));
}
END_TEST

/* A size not known (0) with members unchecked cannot refuse. */
START_TEST(test_unknown_is_not_a_refusal)
{
	const struct ms_crash_layout l[] = {
		{ "args[] (MAXARGS)", 800, 0, MS_CRASH_MEMBERS_UNCHECKED },
	};
	char msg[1024];

	ck_assert_int_eq(ms_crashver_judge("", "8.0.6", NULL, l, 1, msg, sizeof(msg)),
			 MS_CRASHVER_WARN);
	ck_assert_ptr_nonnull(strstr(msg, "no known crash version; this is crash 8.0.6\n"));
	ck_assert_ptr_nonnull(strstr(msg, "make CRASH_INCLUDE=DIR"));
	ck_assert_int_eq(ms_crashver_judge("8.0.6", "8.0.6", NULL, l, 1, msg, sizeof(msg)),
			 MS_CRASHVER_SAME);
}
END_TEST

/* A short buffer is cut, NUL-terminated; the verdict does not change. */
START_TEST(test_short_buffer)
{
	const struct ms_crash_layout l[] = {
		{ "struct program_context", 6008, 6016, MS_CRASH_MEMBERS_UNCHECKED },
	};
	char msg[16];

	memset(msg, 'x', sizeof(msg));
	ck_assert_int_eq(ms_crashver_judge("8.0.2", "9.0.2", REBUILD, l, 1, msg, sizeof(msg)),
			 MS_CRASHVER_REFUSE);
	ck_assert_uint_eq(strlen(msg), sizeof(msg) - 1);
	ck_assert_int_eq(ms_crashver_judge("8.0.2", "9.0.2", REBUILD, l, 1, msg, 0),
			 MS_CRASHVER_REFUSE);
}
END_TEST

static Suite *crashver_suite(void)
{
	Suite *s = suite_create("crashver");
	TCase *tc = tcase_create("judge");

	tcase_add_test(tc, test_own_crash_is_silent);
	tcase_add_test(tc, test_other_version_warns);
	tcase_add_test(tc, test_resized_but_members_ok_warns);
	tcase_add_test(tc, test_unchecked_size_differs_refuses);
	tcase_add_test(tc, test_moved_members_refuse);
	tcase_add_test(tc, test_unknown_is_not_a_refusal);
	tcase_add_test(tc, test_short_buffer);
	suite_add_tcase(s, tc);
	return s;
}
MS_SUITE(crashver_suite)
