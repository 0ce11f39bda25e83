/*
 * test_oom.c - the process walk (tasks.c) and the OOM arithmetic (oom.c) on a
 * synthetic kernel: badness at the edges, skip reasons, the victim rule,
 * a corrupt process list, unreadable memory.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <string.h>

#include "fake_target.h"
#include "oom.h"
#include "suites.h"
#include "tasks.h"

#define PF_KTHREAD	0x00200000u
#define PAGE		4096ull
#define KV(a, b, c)	(((a) << 16) | ((b) << 8) | (c))

/* ---- the arithmetic ---------------------------------------------------------- */

START_TEST(test_badness_edges)
{
	const uint64_t T = 120263;	/* the 512 MiB guest's totalram_pages, no swap */
	int64_t p;

	/* adj 1000, nothing resident: all points come from adj * (T / 1000). */
	p = ms_oom_points(MS_OOM_ERA_SIGNED, 0, 0, 0, PAGE, 1000, T);
	ck_assert_int_eq(p, 120000);
	ck_assert_uint_eq(ms_oom_proc_score(MS_OOM_ERA_SIGNED, true, p, T), (1000 + 997) * 2 / 3);
	/* Zero rss and adj 0: the middle of the 0..2000 range. */
	ck_assert_uint_eq(ms_oom_proc_score(MS_OOM_ERA_SIGNED, true, 0, T), 666);
	/* Negative points divide toward zero: -119780000 / T = -995, not -996. */
	p = ms_oom_points(MS_OOM_ERA_SIGNED, 100, 0, 0, PAGE, -999, T);
	ck_assert_int_eq(p, 100 - 999 * 120);
	ck_assert_uint_eq(ms_oom_proc_score(MS_OOM_ERA_SIGNED, true, p, T), (1000 - 995) * 2 / 3);
	/* adj -1000: the arithmetic alone leaves 2 (-120000000 / T = -997);
	 * only oom_badness()'s OOM_SCORE_ADJ_MIN skip makes it 0 (see below). */
	p = ms_oom_points(MS_OOM_ERA_SIGNED, 0, 0, 0, PAGE, -1000, T);
	ck_assert_int_eq(p, -120000);
	ck_assert_uint_eq(ms_oom_proc_score(MS_OOM_ERA_SIGNED, true, p, T), 2);
	/* LONG_MIN (skipped) reads 0 whatever the points. */
	ck_assert_uint_eq(ms_oom_proc_score(MS_OOM_ERA_SIGNED, false, 12345, T), 0);
	/* Page tables count in whole pages: 8191 bytes are 1 page. */
	ck_assert_int_eq(ms_oom_points(MS_OOM_ERA_SIGNED, 10, 3, 8191, PAGE, 0, T), 14);
	/* Below 1000 pages T / 1000 is 0: adj has no effect at all. */
	p = ms_oom_points(MS_OOM_ERA_SIGNED, 10, 0, 0, PAGE, 1000, 500);
	ck_assert_int_eq(p, 10);
	ck_assert_uint_eq(ms_oom_proc_score(MS_OOM_ERA_SIGNED, true, p, 500), (1000 + 20) * 2 / 3);
	/* A single page of RAM: still no division by zero, nor an overflow. */
	ck_assert_uint_eq(ms_oom_proc_score(MS_OOM_ERA_SIGNED, true, 1, 1), (1000 + 1000) * 2 / 3);
	ck_assert_uint_eq(ms_oom_proc_score(MS_OOM_ERA_SIGNED, true, 1, 0), 0);
}
END_TEST

START_TEST(test_badness_older_eras)
{
	const uint64_t T = 120263;
	int64_t p;

	ck_assert_int_eq(ms_oom_era_of(KV(6, 1, 0)), MS_OOM_ERA_SIGNED);
	ck_assert_int_eq(ms_oom_era_of(KV(5, 9, 0)), MS_OOM_ERA_SIGNED);
	ck_assert_int_eq(ms_oom_era_of(KV(5, 8, 18)), MS_OOM_ERA_FLOOR1);
	ck_assert_int_eq(ms_oom_era_of(KV(4, 17, 0)), MS_OOM_ERA_FLOOR1);
	ck_assert_int_eq(ms_oom_era_of(KV(4, 16, 0)), MS_OOM_ERA_ROOT_BONUS);
	/* Before 5.9 an eligible task never scores below 1 ... */
	p = ms_oom_points(MS_OOM_ERA_FLOOR1, 100, 0, 0, PAGE, -999, T);
	ck_assert_int_eq(p, 1);
	/* ... and oom_score is points * 1000 / totalpages, unsigned. */
	ck_assert_uint_eq(ms_oom_proc_score(MS_OOM_ERA_FLOOR1, true, p, T), 0);
	p = ms_oom_points(MS_OOM_ERA_FLOOR1, 60000, 0, 0, PAGE, 0, T);
	ck_assert_uint_eq(ms_oom_proc_score(MS_OOM_ERA_FLOOR1, true, p, T), 60000000 / T);
	ck_assert_uint_eq(ms_oom_proc_score(MS_OOM_ERA_FLOOR1, false, 0, T), 0);
}
END_TEST

/* ---- a synthetic 6.1-like kernel ------------------------------------------------ */

enum {
	T_SIZE = 0x100, T_TASKS = 0x10, T_PID = 0x20, T_TGID = 0x24, T_FLAGS = 0x28,
	T_COMM = 0x30, T_MM = 0x40, T_SIGNAL = 0x48, T_CRED = 0x50, T_VFORK = 0x58,
	T_PARENT = 0x60, T_THREAD = 0x70,
	S_SIZE = 0x40, S_NR = 0x08, S_HEAD = 0x10, S_ORIGIN = 0x20, S_ADJ = 0x22, S_OOM_MM = 0x28,
	M_SIZE = 0x100, M_PGT = 0x60, M_RSS = 0x80, M_FLAGS = 0xc0,
};

struct fk {
	struct fake *f;
	uint64_t init_task;
	uint64_t procs[16];
	int nr;
	/* Tasks as on x86: the object (arch_task_struct_size) is shorter than
	 * its type and ends where the readable memory does. */
	long short_tasks;
};

static void put16(struct fake *f, uint64_t a, int16_t v)
{
	fake_put(f, a, &v, 2);
}

static void fk_kernel(struct fk *k, uint64_t totalram, uint64_t swap, const char *release)
{
	struct fake *f = k->f;
	uint64_t a;

	memset(k->procs, 0, sizeof(k->procs));
	k->nr = 0;
	fake_member(f, "list_head", "next", 0, 8);
	fake_member(f, "list_head", "prev", 8, 8);
	fake_struct(f, "task_struct", T_SIZE);
	fake_member(f, "task_struct", "tasks", T_TASKS, 16);
	fake_member(f, "task_struct", "pid", T_PID, 4);
	fake_member(f, "task_struct", "tgid", T_TGID, 4);
	fake_member(f, "task_struct", "flags", T_FLAGS, 4);
	fake_member(f, "task_struct", "comm", T_COMM, 16);
	fake_member(f, "task_struct", "mm", T_MM, 8);
	fake_member(f, "task_struct", "signal", T_SIGNAL, 8);
	fake_member(f, "task_struct", "real_cred", T_CRED, 8);
	fake_member(f, "task_struct", "vfork_done", T_VFORK, 8);
	fake_member(f, "task_struct", "real_parent", T_PARENT, 8);
	fake_member(f, "task_struct", "thread_node", T_THREAD, 16);
	fake_struct(f, "signal_struct", S_SIZE);
	fake_member(f, "signal_struct", "nr_threads", S_NR, 4);
	fake_member(f, "signal_struct", "thread_head", S_HEAD, 16);
	fake_member(f, "signal_struct", "oom_flag_origin", S_ORIGIN, 1);
	fake_member(f, "signal_struct", "oom_score_adj", S_ADJ, 2);
	fake_member(f, "signal_struct", "oom_mm", S_OOM_MM, 8);
	fake_struct(f, "cred", 0x20);
	fake_member(f, "cred", "uid", 8, 4);
	fake_struct(f, "mm_struct", M_SIZE);
	fake_member(f, "mm_struct", "pgtables_bytes", M_PGT, 8);
	fake_member(f, "mm_struct", "rss_stat", M_RSS, 32);
	fake_member(f, "mm_struct", "flags", M_FLAGS, 8);
	fake_member(f, "mm_rss_stat", "count", 0, 32);
	fake_enum(f, "MM_FILEPAGES", 0);
	fake_enum(f, "MM_ANONPAGES", 1);
	fake_enum(f, "MM_SWAPENTS", 2);
	fake_enum(f, "MM_SHMEMPAGES", 3);
	fake_enum(f, "NR_MM_COUNTERS", 4);

	k->init_task = fake_alloc(f, T_SIZE);
	fake_symbol(f, "init_task", k->init_task);
	a = fake_alloc(f, 8);
	fake_put_u64(f, a, totalram);
	fake_symbol(f, "_totalram_pages", a);
	a = fake_alloc(f, 8);
	fake_put_u64(f, a, swap);
	fake_symbol(f, "total_swap_pages", a);
	fake_member(f, "uts_namespace", "name", 4, 390);
	fake_member(f, "new_utsname", "release", 65, 65);
	a = fake_alloc(f, 400);
	fake_put(f, a + 4 + 65, release, strlen(release) + 1);
	fake_symbol(f, "init_uts_ns", a);
}

struct proc_spec {
	int pid;
	const char *comm;
	int adj;
	uint64_t anon, file, shmem, swap, pgt_bytes;
	uint32_t flags;		/* PF_* */
	uint32_t uid;
	int threads;		/* extra threads, all with the same mm */
	bool no_mm;		/* no thread has an mm */
	bool leader_exited;	/* the leader's mm is NULL, the threads' is not */
	uint64_t mm_flags;
	uint64_t oom_mm;	/* signal->oom_mm */
	bool origin;
	uint64_t vfork_parent;	/* task whose mm is ours, with vfork_done set */
};

static uint64_t fk_thread(struct fk *k, const struct proc_spec *s, uint64_t signal, uint64_t mm)
{
	struct fake *f = k->f;
	uint64_t t = k->short_tasks ? fake_alloc(f, PAGE) + PAGE - (uint64_t)k->short_tasks :
		     fake_alloc(f, T_SIZE);

	fake_put_u32(f, t + T_PID, (uint32_t)s->pid);
	fake_put_u32(f, t + T_TGID, (uint32_t)s->pid);
	fake_put_u32(f, t + T_FLAGS, s->flags);
	fake_put(f, t + T_COMM, s->comm, strlen(s->comm));
	fake_put_u64(f, t + T_MM, mm);
	fake_put_u64(f, t + T_SIGNAL, signal);
	fake_put_u64(f, t + T_PARENT, k->init_task);
	return t;
}

/* Link the list_heads at nodes[0..n) into a ring through head. */
static void fk_ring(struct fake *f, uint64_t head, const uint64_t *nodes, int n)
{
	uint64_t prev = head;

	for (int i = 0; i < n; i++) {
		fake_put_u64(f, prev, nodes[i]);
		fake_put_u64(f, nodes[i] + 8, prev);
		prev = nodes[i];
	}
	fake_put_u64(f, prev, head);
	fake_put_u64(f, head + 8, prev);
}

static uint64_t fk_proc(struct fk *k, const struct proc_spec *s)
{
	struct fake *f = k->f;
	uint64_t signal = fake_alloc(f, S_SIZE), cred = fake_alloc(f, 0x20), mm = 0;
	uint64_t threads[8], nodes[8];
	int n = 1 + s->threads;

	if (s->vfork_parent) {
		/* vfork(): the child runs on its parent's mm until it execs. */
		ms_read_ptr(fake_target(f), s->vfork_parent + T_MM, &mm);
	} else if (!s->no_mm && !(s->flags & PF_KTHREAD)) {
		mm = fake_alloc(f, M_SIZE);
		fake_put_u64(f, mm + M_RSS + 0, s->file);
		fake_put_u64(f, mm + M_RSS + 8, s->anon);
		fake_put_u64(f, mm + M_RSS + 16, s->swap);
		fake_put_u64(f, mm + M_RSS + 24, s->shmem);
		fake_put_u64(f, mm + M_PGT, s->pgt_bytes);
		fake_put_u64(f, mm + M_FLAGS, s->mm_flags);
	}
	fake_put_u32(f, signal + S_NR, (uint32_t)n);
	put16(f, signal + S_ADJ, (int16_t)s->adj);
	fake_put_u64(f, signal + S_OOM_MM, s->oom_mm);
	fake_put(f, signal + S_ORIGIN, &s->origin, 1);
	fake_put_u32(f, cred + 8, s->uid);
	for (int i = 0; i < n; i++) {
		threads[i] = fk_thread(k, s, signal, i == 0 && s->leader_exited ? 0 : mm);
		fake_put_u64(f, threads[i] + T_CRED, cred);
		nodes[i] = threads[i] + T_THREAD;
	}
	fk_ring(f, signal + S_HEAD, nodes, n);
	if (s->vfork_parent) {
		fake_put_u64(f, threads[0] + T_VFORK, 0xffff888000000040ull);
		fake_put_u64(f, threads[0] + T_PARENT, s->vfork_parent);
	}
	k->procs[k->nr++] = threads[0];
	return threads[0];
}

/* for_each_process() order = the order the processes were added. */
static void fk_link(struct fk *k)
{
	uint64_t nodes[16];

	for (int i = 0; i < k->nr; i++)
		nodes[i] = k->procs[i] + T_TASKS;
	fk_ring(k->f, k->init_task + T_TASKS, nodes, k->nr);
}

static const struct ms_oom_task *find(const struct ms_oom *o, int pid)
{
	for (size_t i = 0; i < o->nr; i++)
		if (o->v[i].task->pid == pid)
			return &o->v[i];
	ck_abort_msg("pid %d not found", pid);
	return NULL;
}

/* ---- the walk and the victim ------------------------------------------------------ */

START_TEST(test_walk_reasons_and_victim)
{
	struct fk k = { .f = fake_new() };
	struct ms_target *t = fake_target(k.f);
	struct ms_tasks ts;
	struct ms_oom o;
	uint64_t parent;

	fk_kernel(&k, 120263, 1000, "6.1.0-55-cloud-amd64");
	fk_proc(&k, &(struct proc_spec){ .pid = 1, .comm = "init", .anon = 50 });
	fk_proc(&k, &(struct proc_spec){ .pid = 2, .comm = "kthreadd", .flags = PF_KTHREAD });
	fk_proc(&k, &(struct proc_spec){ .pid = 10, .comm = "big", .anon = 5000, .file = 100,
		 .shmem = 900, .swap = 7, .pgt_bytes = 3 * PAGE, .uid = 1000, .threads = 2 });
	/* Same points as "big", later in the list: the kernel picks it. */
	fk_proc(&k, &(struct proc_spec){ .pid = 11, .comm = "twin", .anon = 6000, .swap = 7,
		 .pgt_bytes = 3 * PAGE + 100, .leader_exited = true, .threads = 1 });
	fk_proc(&k, &(struct proc_spec){ .pid = 12, .comm = "immune", .anon = 90000,
		 .adj = -1000 });
	fk_proc(&k, &(struct proc_spec){ .pid = 13, .comm = "reaped", .anon = 90000,
		 .mm_flags = 1ull << 21 });
	fk_proc(&k, &(struct proc_spec){ .pid = 14, .comm = "zombie", .no_mm = true });
	parent = fk_proc(&k, &(struct proc_spec){ .pid = 15, .comm = "parent", .anon = 1 });
	fk_proc(&k, &(struct proc_spec){ .pid = 16, .comm = "child", .vfork_parent = parent });
	fk_proc(&k, &(struct proc_spec){ .pid = 17, .comm = "small", .anon = 10, .adj = -500 });
	fk_link(&k);

	ck_assert_ptr_null(ms_tasks_read(t, &ts));
	ck_assert(ts.complete);
	ck_assert_uint_eq(ts.nr, 10);
	ck_assert_ptr_null(ms_oom_compute(t, &ts, &o));
	ck_assert_uint_eq(o.totalpages, 121263);
	ck_assert_int_eq(o.era, MS_OOM_ERA_SIGNED);
	ck_assert_str_eq(o.release, "6.1.0-55-cloud-amd64");

	ck_assert_int_eq(find(&o, 1)->reason, MS_OOM_INIT);
	ck_assert_int_eq(find(&o, 2)->reason, MS_OOM_KTHREAD);
	ck_assert_int_eq(find(&o, 12)->reason, MS_OOM_ADJ_MIN);
	ck_assert_uint_eq(find(&o, 12)->score, 0);
	ck_assert_int_eq(find(&o, 13)->reason, MS_OOM_MMF_SKIP);
	ck_assert_int_eq(find(&o, 14)->reason, MS_OOM_NO_MM);
	ck_assert_int_eq(find(&o, 16)->reason, MS_OOM_VFORK);
	ck_assert_int_eq(find(&o, 15)->reason, MS_OOM_ELIGIBLE);
	for (int pid = 1; pid <= 2; pid++)
		ck_assert_uint_eq(find(&o, pid)->score, 0);

	/* rss + swap + page tables: 6000 + 7 + 3 = 6010 for both. */
	ck_assert_int_eq(find(&o, 10)->points, 6010);
	ck_assert_int_eq(find(&o, 11)->points, 6010);
	ck_assert(find(&o, 11)->victim && !find(&o, 10)->victim);
	ck_assert_int_eq(o.v[o.victim].task->pid, 11);
	ck_assert_int_eq(find(&o, 17)->points, 10 - 500 * 121);

	/* The record the snapshot feature aggregates. */
	ck_assert_str_eq(find(&o, 10)->task->comm, "big");
	ck_assert_uint_eq(find(&o, 10)->task->uid, 1000);
	ck_assert_uint_eq(find(&o, 10)->task->rss_shmem, 900);
	ck_assert_uint_eq(find(&o, 10)->task->nr_threads, 3);
	ck_assert_uint_eq(find(&o, 10)->task->nr_kstacks, 3);
	/* An exited leader: find_lock_task_mm() takes the next thread's mm. */
	ck_assert_uint_ne(find(&o, 11)->task->mm_task, find(&o, 11)->task->addr);
	ck_assert_uint_eq(find(&o, 11)->task->nr_kstacks, 2);
	ms_oom_free(&o);
	ms_tasks_free(&ts);
	fake_free(k.f);
}
END_TEST

START_TEST(test_origin_and_previous_victims)
{
	struct fk k = { .f = fake_new() };
	struct ms_target *t = fake_target(k.f);
	struct ms_tasks ts;
	struct ms_oom o;
	uint64_t reaped_mm = 0xffff888000000100ull;

	fk_kernel(&k, 100000, 0, "6.1.0");
	fake_map(k.f, reaped_mm, M_SIZE);
	fake_put_u64(k.f, reaped_mm + M_FLAGS, 1ull << 21);
	fk_proc(&k, &(struct proc_spec){ .pid = 20, .comm = "old-victim", .no_mm = true,
		 .oom_mm = reaped_mm });
	fk_proc(&k, &(struct proc_spec){ .pid = 21, .comm = "swapoff", .anon = 1, .origin = true });
	fk_proc(&k, &(struct proc_spec){ .pid = 22, .comm = "huge", .anon = 90000 });
	fk_link(&k);
	ck_assert_ptr_null(ms_tasks_read(t, &ts));
	ck_assert_ptr_null(ms_oom_compute(t, &ts, &o));
	/* oom_evaluate_task() passes a reaped victim over before oom_badness(). */
	ck_assert_int_eq(find(&o, 20)->reason, MS_OOM_VICTIM_DONE);
	ck_assert_uint_eq(find(&o, 20)->score, 0);
	/* oom_task_origin() beats any number of points. */
	ck_assert(find(&o, 21)->victim && find(&o, 21)->origin);
	ms_oom_free(&o);
	ms_tasks_free(&ts);

	/* A victim whose mm is not yet MMF_OOM_SKIP: the kernel aborts the selection. */
	fake_put_u64(k.f, reaped_mm + M_FLAGS, 0);
	ck_assert_ptr_null(ms_tasks_read(t, &ts));
	ck_assert_ptr_null(ms_oom_compute(t, &ts, &o));
	ck_assert_int_eq(o.victim, -1);
	ck_assert_int_eq(o.v[o.abort_by].task->pid, 20);
	ms_oom_free(&o);
	ms_tasks_free(&ts);
	fake_free(k.f);
}
END_TEST

START_TEST(test_process_list_cycle)
{
	struct fk k = { .f = fake_new() };
	struct ms_target *t = fake_target(k.f);
	struct ms_tasks ts;
	struct ms_oom o;

	fk_kernel(&k, 100000, 0, "6.1.0");
	for (int i = 0; i < 5; i++)
		fk_proc(&k, &(struct proc_spec){ .pid = 100 + i, .comm = "p", .anon = 10u * i });
	fk_link(&k);
	/* The last process points back at the second: a loop that misses init_task. */
	fake_put_u64(k.f, k.procs[4] + T_TASKS, k.procs[1] + T_TASKS);

	ck_assert_ptr_null(ms_tasks_read(t, &ts));
	ck_assert(!ts.complete);
	ck_assert_uint_eq(ts.nr, 5);	/* each once, though the walk lapped */
	for (size_t i = 1; i < ts.nr; i++)
		ck_assert_int_lt(ts.v[i - 1].pid, ts.v[i].pid);
	ck_assert_ptr_nonnull(strstr(fake_warnings(k.f), "cycle"));
	ck_assert_ptr_null(ms_oom_compute(t, &ts, &o));
	ck_assert(!o.complete);
	ck_assert_int_eq(o.v[o.victim].task->pid, 104);
	ms_oom_free(&o);
	ms_tasks_free(&ts);
	fake_free(k.f);
}
END_TEST

/* x86's task_struct ends in a variable-sized FPU state: the object is
 * shorter than sizeof(task_struct) and what follows it may be a page the dump
 * does not hold.  Only the members used are read. */
START_TEST(test_task_shorter_than_its_type)
{
	struct fk k = { .f = fake_new(), .short_tasks = T_THREAD + 16 };
	struct ms_target *t = fake_target(k.f);
	struct ms_tasks ts;

	fk_kernel(&k, 100000, 0, "6.1.0");
	for (int i = 0; i < 3; i++)
		fk_proc(&k, &(struct proc_spec){ .pid = 200 + i, .comm = "short", .anon = 4,
						 .threads = i });
	fk_link(&k);

	ck_assert_ptr_null(ms_tasks_read(t, &ts));
	ck_assert(ts.complete);
	ck_assert_uint_eq(ts.nr, 3);
	for (size_t i = 0; i < ts.nr; i++) {
		ck_assert_int_eq(ts.v[i].pid, 200 + (int)i);
		ck_assert_str_eq(ts.v[i].comm, "short");
		ck_assert_uint_eq(ts.v[i].nr_kstacks, 1 + i);
	}
	ck_assert_ptr_null(strstr(fake_warnings(k.f), "task_struct"));
	ms_tasks_free(&ts);
	fake_free(k.f);
}
END_TEST

START_TEST(test_unreadable_memory)
{
	struct fk k = { .f = fake_new() };
	struct ms_target *t = fake_target(k.f);
	struct ms_tasks ts;
	struct ms_oom o;
	uint64_t p;

	fk_kernel(&k, 100000, 0, "6.1.0");
	p = fk_proc(&k, &(struct proc_spec){ .pid = 30, .comm = "lost-mm", .anon = 99999 });
	fake_put_u64(k.f, p + T_MM, 0xffff8880dead0000ull);	/* not in the dump */
	fk_proc(&k, &(struct proc_spec){ .pid = 31, .comm = "fine", .anon = 5 });
	p = fk_proc(&k, &(struct proc_spec){ .pid = 32, .comm = "lost-signal", .anon = 7 });
	fake_put_u64(k.f, p + T_SIGNAL, 0xffff8880beef0000ull);
	fk_link(&k);

	ck_assert_ptr_null(ms_tasks_read(t, &ts));
	ck_assert(ts.complete);
	ck_assert_ptr_null(ms_oom_compute(t, &ts, &o));
	ck_assert_int_eq(find(&o, 30)->reason, MS_OOM_UNREADABLE);
	ck_assert_int_eq(find(&o, 32)->reason, MS_OOM_UNREADABLE);
	ck_assert_uint_eq(find(&o, 30)->score, 0);
	ck_assert_int_eq(o.v[o.victim].task->pid, 31);
	ck_assert_ptr_nonnull(strstr(fake_warnings(k.f), "pid 30: cannot read its mm_struct"));
	ms_oom_free(&o);
	ms_tasks_free(&ts);

	/* A list head that cannot be read: an empty, incomplete answer, not a crash. */
	fake_put_u64(k.f, k.init_task + T_TASKS, 0);
	ck_assert_ptr_null(ms_tasks_read(t, &ts));
	ck_assert(!ts.complete);
	ck_assert_uint_eq(ts.nr, 0);
	ms_tasks_free(&ts);
	fake_free(k.f);
}
END_TEST

START_TEST(test_missing_types)
{
	struct fake *f = fake_new();
	struct ms_tasks ts;
	struct ms_error *err = ms_tasks_read(fake_target(f), &ts);

	/* The reason reaches the caller: no layout, nothing walked. */
	ck_assert(ms_error_is(err, MS_ERR_LOOKUP));
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "struct task_struct"));
	ck_assert_uint_eq(ts.nr, 0);
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

static Suite *oom_suite(void)
{
	Suite *s = suite_create("oom");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_badness_edges);
	tcase_add_test(tc, test_badness_older_eras);
	tcase_add_test(tc, test_walk_reasons_and_victim);
	tcase_add_test(tc, test_origin_and_previous_victims);
	tcase_add_test(tc, test_process_list_cycle);
	tcase_add_test(tc, test_task_shorter_than_its_type);
	tcase_add_test(tc, test_unreadable_memory);
	tcase_add_test(tc, test_missing_types);
	suite_add_tcase(s, tc);
	return s;
}
MS_SUITE(oom_suite)
