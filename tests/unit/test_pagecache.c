/*
 * test_pagecache.c - whole pages kept for later reads: served from the
 * cache once read, reads across pages, a page not to be kept leaves the
 * read to the caller (and is asked again next time), large reads pass
 * through, clearing empties.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "pagecache.h"
#include "suites.h"

#define PAGE 4096u

struct mem {
	unsigned char bytes[16 * PAGE];
	uint64_t base;
	unsigned int fills;
	uint64_t bad_page;		/* 0: none */
};

static int fill(void *ctx, uint64_t page, void *buf)
{
	struct mem *m = ctx;

	m->fills++;
	if (page == m->bad_page || page < m->base || page - m->base >= sizeof(m->bytes))
		return -1;
	memcpy(buf, m->bytes + (page - m->base), PAGE);
	return 0;
}

static void mem_init(struct mem *m)
{
	memset(m, 0, sizeof(*m));
	m->base = 0xffff888000100000ull;
	for (size_t i = 0; i < sizeof(m->bytes); i++)
		m->bytes[i] = (unsigned char)(i * 7 + i / PAGE);
}

START_TEST(test_hits_and_crossing)
{
	struct ms_pagecache *c = ms_pagecache_new(PAGE, 8);
	static struct mem m;
	unsigned char buf[64];

	ck_assert_ptr_nonnull(c);
	mem_init(&m);
	ck_assert_int_eq(ms_pagecache_read(c, m.base + 100, buf, 16, fill, &m), 0);
	ck_assert_mem_eq(buf, m.bytes + 100, 16);
	ck_assert_uint_eq(m.fills, 1);
	ck_assert_int_eq(ms_pagecache_read(c, m.base + 200, buf, 8, fill, &m), 0);
	ck_assert_uint_eq(m.fills, 1);		/* the same page: kept */
	/* across a page boundary: the second page is read once */
	ck_assert_int_eq(ms_pagecache_read(c, m.base + PAGE - 10, buf, 30, fill, &m), 0);
	ck_assert_mem_eq(buf, m.bytes + PAGE - 10, 30);
	ck_assert_uint_eq(m.fills, 2);
	/* 8 slots by page number: page 8 takes page 0's slot */
	ck_assert_int_eq(ms_pagecache_read(c, m.base + 8 * PAGE, buf, 8, fill, &m), 0);
	ck_assert_mem_eq(buf, m.bytes + 8 * PAGE, 8);
	ck_assert_int_eq(ms_pagecache_read(c, m.base, buf, 8, fill, &m), 0);
	ck_assert_mem_eq(buf, m.bytes, 8);
	ck_assert_uint_eq(m.fills, 4);
	ms_pagecache_clear(c);
	ck_assert_int_eq(ms_pagecache_read(c, m.base, buf, 8, fill, &m), 0);
	ck_assert_uint_eq(m.fills, 5);
	ms_pagecache_free(c);
}
END_TEST

START_TEST(test_not_kept_and_large)
{
	struct ms_pagecache *c = ms_pagecache_new(PAGE, 8);
	static struct mem m;
	static unsigned char big[5 * PAGE];
	unsigned char buf[32];

	mem_init(&m);
	m.bad_page = m.base + 2 * PAGE;
	/* a read reaching a page not to be kept is the caller's */
	ck_assert_int_eq(ms_pagecache_read(c, m.base + 2 * PAGE - 8, buf, 16, fill, &m), -1);
	ck_assert_int_eq(ms_pagecache_read(c, m.base + 2 * PAGE + 8, buf, 8, fill, &m), -1);
	ck_assert_uint_eq(m.fills, 3);		/* asked again: never kept */
	/* the page before it was kept */
	ck_assert_int_eq(ms_pagecache_read(c, m.base + PAGE, buf, 8, fill, &m), 0);
	ck_assert_uint_eq(m.fills, 3);
	/* more than 4 pages, or a wrapping range: not through the cache */
	ck_assert_int_eq(ms_pagecache_read(c, m.base, big, sizeof(big), fill, &m), -1);
	ck_assert_int_eq(ms_pagecache_read(c, UINT64_MAX - 4, buf, 16, fill, &m), -1);
	ck_assert_uint_eq(m.fills, 3);
	/* no cache: every read is the caller's */
	ck_assert_int_eq(ms_pagecache_read(NULL, m.base, buf, 8, fill, &m), -1);
	ck_assert_ptr_null(ms_pagecache_new(PAGE, 6));
	ck_assert_ptr_null(ms_pagecache_new(3000, 8));
	ms_pagecache_free(c);
}
END_TEST

static Suite *pagecache_suite(void)
{
	Suite *s = suite_create("pagecache");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_hits_and_crossing);
	tcase_add_test(tc, test_not_kept_and_large);
	suite_add_tcase(s, tc);
	return s;
}

MS_SUITE(pagecache_suite)
