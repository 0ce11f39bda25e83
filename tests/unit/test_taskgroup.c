/*
 * test_taskgroup.c - tasks -g on hand-made rows: the keys' parsing, the
 * groups' counts and memory (a process's once, a stack per thread), their
 * order and the sentence that names a storm.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "suites.h"
#include "tasks_print.h"

#define NR 8

struct rows {
	struct ms_thread th[NR];
	struct ms_task proc[NR];
	struct ms_taskrow row[NR];
	struct ms_taskview v;
};

/* pid, tgid, comm, state letter, wchan; the process of tgid is proc[tgid - 1]. */
static void add(struct rows *r, int pid, int tgid, const char *comm, char state,
		const char *wchan)
{
	size_t i = r->v.nr++;
	struct ms_thread *th = &r->th[i];
	struct ms_task *p = &r->proc[tgid - 1];

	th->pid = pid;
	th->tgid = tgid;
	th->ppid = 1;
	th->have = MS_THREAD_HAVE_PARENT;
	snprintf(th->comm, sizeof(th->comm), "%s", comm);
	p->pid = p->tgid = tgid;
	snprintf(p->comm, sizeof(p->comm), "%s", comm);
	/* 1.5 MiB of rss and 48 KiB of page tables each process */
	p->have = MS_TASK_HAVE_RSS | MS_TASK_HAVE_RSS_SUM | MS_TASK_HAVE_VM;
	p->sum_anon = 256;
	p->sum_file = 128;
	p->pgtables_bytes = 48 * 1024;
	r->row[i] = (struct ms_taskrow){ .th = th, .proc = p, .state = state };
	snprintf(r->row[i].wchan, sizeof(r->row[i].wchan), "%s", wchan);
}

static void setup(struct rows *r)
{
	memset(r, 0, sizeof(*r));
	r->v.v = r->row;
	r->v.thread_size = 16384;
	r->v.page_size = 4096;
	r->v.ts.v = r->proc;
	r->v.ts.nr = NR;
	add(r, 1, 1, "init", 'S', "do_wait");
	for (int pid = 2; pid <= 6; pid++)
		add(r, pid, pid, "sh", 'D', "nfs_wait_bit_killable");
	add(r, 7, 7, "sh", 'S', "do_wait");
	add(r, 8, 7, "sh", 'S', "do_wait");	/* a second thread of pid 7 */
}

START_TEST(test_parse_keys)
{
	struct ms_tasks_print_opts o = { 0 };
	struct ms_error *err;

	ck_assert_ptr_null(ms_tasks_parse_keys("state,command,wchan", &o));
	ck_assert_uint_eq(o.nr_keys, 3);
	ck_assert_int_eq(o.keys[1], MS_TKEY_COMM);
	err = ms_tasks_parse_keys("state,colour", &o);
	ck_assert(ms_error_is(err, MS_ERR_USAGE));
	ms_error_destroy(err);
	err = ms_tasks_parse_keys("wchan,wchan", &o);
	ck_assert(ms_error_is(err, MS_ERR_USAGE));
	ms_error_destroy(err);
	err = ms_tasks_parse_keys(",", &o);
	ck_assert(ms_error_is(err, MS_ERR_USAGE));
	ms_error_destroy(err);
}
END_TEST

START_TEST(test_storm_group)
{
	struct ms_tasks_print_opts o = { 0 };
	struct ms_task_groups g;
	struct rows r;
	char line[256];
	/* anon and page tables with the leader, a stack each: file pages are shared */
	const uint64_t each = 256 * 4096 + 48 * 1024 + 16384;

	setup(&r);
	ck_assert_ptr_null(ms_tasks_parse_keys("state,comm,wchan", &o));
	ck_assert_ptr_null(ms_tasks_group(&r.v, &o, &g));
	ck_assert_uint_eq(g.nr, 3);
	/* Largest first: the five writers. */
	ck_assert_uint_eq(g.v[0].count, 5);
	ck_assert_uint_eq(g.v[0].mem, 5 * each);
	ms_task_group_text(&r.v, &o, &g.v[0], line, sizeof(line));
	ck_assert_str_eq(line, "5 \u00d7 sh, state D, in nfs_wait_bit_killable, 1.1 MiB each");
	/* pid 7's two threads: its memory once, two stacks; shares differ. */
	ck_assert_uint_eq(g.v[1].count, 2);
	ck_assert_uint_eq(g.v[1].mem, each + 16384);
	ms_task_group_text(&r.v, &o, &g.v[1], line, sizeof(line));
	ck_assert_str_eq(line, "2 \u00d7 sh, state S, in do_wait, 552 KiB on average");
	ms_task_groups_free(&g);

	/* By parent alone: everyone's parent is init. */
	ck_assert_ptr_null(ms_tasks_parse_keys("parent", &o));
	ck_assert_ptr_null(ms_tasks_group(&r.v, &o, &g));
	ck_assert_uint_eq(g.nr, 1);
	ck_assert_uint_eq(g.v[0].count, 8);
	ms_task_group_text(&r.v, &o, &g.v[0], line, sizeof(line));
	ck_assert_ptr_nonnull(strstr(line, "8 \u00d7 parent 1 (init)"));
	ms_task_groups_free(&g);
}
END_TEST

START_TEST(test_thousands)
{
	struct ms_tasks_print_opts o = { 0 };
	struct ms_task_group gr = { .first = 1, .count = 2998, .mem = 2998ull * 16384,
				    .min_each = 16384, .max_each = 16384 };
	struct rows r;
	char line[256];

	setup(&r);
	ck_assert_ptr_null(ms_tasks_parse_keys("comm", &o));
	ms_task_group_text(&r.v, &o, &gr, line, sizeof(line));
	ck_assert_str_eq(line, "2,998 \u00d7 sh, 16 KiB each");
	o.pages = true;
	ms_task_group_text(&r.v, &o, &gr, line, sizeof(line));
	ck_assert_str_eq(line, "2,998 \u00d7 sh, 4 pages each");
}
END_TEST

static Suite *taskgroup_suite(void)
{
	Suite *s = suite_create("taskgroup");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_keys);
	tcase_add_test(tc, test_storm_group);
	tcase_add_test(tc, test_thousands);
	suite_add_tcase(s, tc);
	return s;
}

MS_SUITE(taskgroup_suite)
