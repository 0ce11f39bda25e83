/*
 * test_list.c - ms_list_visit(): a walk's status is data, and what stopped it
 * (a read, the callback) reaches the caller as an error.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "fake_target.h"
#include "list.h"
#include "suites.h"

static void list_types(struct fake *f)
{
	fake_struct(f, "list_head", 16);
	fake_member(f, "list_head", "next", 0, 8);
	fake_member(f, "list_head", "prev", 8, 8);
}

/* head and n entries 32 bytes apart, linked both ways. */
static uint64_t make_list(struct fake *f, unsigned int n, uint64_t *nodes)
{
	uint64_t base = fake_alloc(f, 32ull * (n + 1)), prev = base;

	for (unsigned int i = 0; i <= n; i++) {
		uint64_t next = i < n ? base + 32ull * (i + 1) : base;

		fake_put_u64(f, prev, next);
		fake_put_u64(f, next + 8, prev);
		if (i < n)
			nodes[i] = next;
		prev = next;
	}
	return base;
}

struct visit_arg {
	unsigned int seen, fail_at;
};

static struct ms_error *visit(struct ms_target *t, uint64_t node, void *arg)
{
	struct visit_arg *a = arg;

	(void)t;
	if (++a->seen == a->fail_at)
		return ms_error_at(MS_ERR_CORRUPT, node, "entry %u is bad", a->seen);
	return NULL;
}

START_TEST(test_visit_statuses_are_data)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct visit_arg a = { 0 };
	struct ms_list_result r;
	uint64_t nodes[6], head;

	list_types(f);
	head = make_list(f, 6, nodes);
	ck_assert_ptr_null(ms_list_visit(t, head, 100, MS_LIST_CHECK_PREV, visit, &a, &r));
	ck_assert_int_eq(r.status, MS_LIST_OK);
	ck_assert_uint_eq(r.count, 6);
	ck_assert_uint_eq(a.seen, 6);
	/* Too long, a loop, a bad back link: partial answers, no error. */
	ck_assert_ptr_null(ms_list_visit(t, head, 3, 0, NULL, NULL, &r));
	ck_assert_int_eq(r.status, MS_LIST_TRUNCATED);
	fake_put_u64(f, nodes[5], nodes[1]);
	ck_assert_ptr_null(ms_list_visit(t, head, 100, 0, NULL, NULL, &r));
	ck_assert_int_eq(r.status, MS_LIST_CYCLE);
	ck_assert_ptr_null(ms_list_visit(t, head, 100, MS_LIST_CHECK_PREV, NULL, NULL, &r));
	ck_assert_int_eq(r.status, MS_LIST_BADLINK);
	fake_free(f);
}
END_TEST

START_TEST(test_visit_returns_the_cause)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct visit_arg a = { .fail_at = 2 };
	struct ms_list_result r;
	struct ms_error *err;
	uint64_t nodes[4], head;

	list_types(f);
	head = make_list(f, 4, nodes);
	/* The callback's own error stops the walk and comes back as it is. */
	err = ms_list_visit(t, head, 100, 0, visit, &a, &r);
	ck_assert(ms_error_is(err, MS_ERR_CORRUPT));
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "entry 2 is bad"));
	ck_assert_int_eq(r.status, MS_LIST_STOPPED);
	ck_assert_uint_eq(r.where, nodes[1]);
	ms_error_destroy(err);

	/* A pointer into memory the dump lacks: the read's error, with its address. */
	fake_put_u64(f, nodes[1], 0xdead000000000100ull);
	err = ms_list_visit(t, head, 100, 0, NULL, NULL, &r);
	ck_assert(ms_error_is(err, MS_ERR_FAULT));
	ck_assert(err->has_addr);
	ck_assert_uint_eq(err->addr, 0xdead000000000100ull);
	ck_assert_int_eq(r.status, MS_LIST_UNREADABLE);
	ck_assert_uint_eq(r.where, 0xdead000000000100ull);
	ms_list_warn(t, err, "test list %s after %llu entries", ms_list_status_name(r.status),
		     (unsigned long long)r.count);
	ck_assert_ptr_nonnull(strstr(fake_warnings(f),
		"memscope: test list unreadable after 2 entries: read of 8 bytes at 0xdead"));
	/* The status-only walk drops the cause and keeps the status. */
	ck_assert_int_eq(ms_list_walk(t, head, 100, 0, NULL, NULL, &r), MS_LIST_UNREADABLE);
	ms_list_warn(t, NULL, "no cause");
	ck_assert_ptr_nonnull(strstr(fake_warnings(f), "memscope: no cause\n"));
	fake_free(f);
}
END_TEST

static Suite *list_suite(void)
{
	Suite *s = suite_create("list");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_visit_statuses_are_data);
	tcase_add_test(tc, test_visit_returns_the_cause);
	suite_add_tcase(s, tc);
	return s;
}
MS_SUITE(list_suite)
