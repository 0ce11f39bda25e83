/*
 * test_text.c - names from a corrupted dump made printable and valid UTF-8.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "fake_target.h"
#include "suites.h"
#include "text.h"

static void check(const char *in, const char *want, unsigned int replaced)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s", in);
	ck_assert_uint_eq(ms_text_sanitize(buf), replaced);
	ck_assert_str_eq(buf, want);
}

START_TEST(test_sanitize)
{
	check("kmalloc-64", "kmalloc-64", 0);
	check("", "", 0);
	/* Control bytes and DEL would drive a terminal. */
	check("a\x1b[2Jb\x7f", "a?[2Jb?", 2);
	check("tab\there\n", "tab?here?", 2);
	/* Well-formed UTF-8 stays: 2, 3 and 4 bytes. */
	check("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa7", 0);
	/* Stray continuation bytes, truncated, overlong, surrogate, > U+10FFFF. */
	check("\x80\xbf", "??", 2);
	check("x\xc3", "x?", 1);
	check("\xe2\x82", "??", 2);
	check("\xc0\xaf", "??", 2);
	check("\xe0\x80\xaf", "???", 3);
	check("\xed\xa0\x80", "???", 3);
	check("\xf4\x90\x80\x80", "????", 4);
	check("\xff\xfe", "??", 2);
}
END_TEST

/* ms_read_str() hands out sanitized text, cut at an unreadable page. */
START_TEST(test_read_str_sanitizes)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	uint64_t a = fake_alloc(f, 16);
	struct ms_error *err;
	char buf[32];

	/* 16 bytes and no NUL: the string ends where the memory does. */
	fake_put(f, a, "ab\x01xxxxxxxxxxxx\xc3", 16);
	ck_assert_ptr_null(ms_read_str(t, a, buf, sizeof(buf)));
	ck_assert_str_eq(buf, "ab?xxxxxxxxxxxx?");
	err = ms_read_str(t, a + 16, buf, sizeof(buf));
	ck_assert(ms_error_is(err, MS_ERR_FAULT));
	ck_assert_str_eq(buf, "");
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

static Suite *text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_sanitize);
	tcase_add_test(tc, test_read_str_sanitizes);
	suite_add_tcase(s, tc);
	return s;
}
MS_SUITE(text_suite)
