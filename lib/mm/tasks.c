/*
 * tasks.c - the process list, walked like the kernel's for_each_process()
 * (init_task.tasks; include/linux/sched/signal.h, v6.1) and each process's
 * threads like for_each_thread() (signal->thread_head / task->thread_node
 * since 3.14; task->thread_group around the leader before).
 *
 * crash 8.0.2 cannot build its task table on 6.1.192 (struct pid changed),
 * so nothing here uses it.  Every walk is bounded and cycle-safe.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "kernel.h"
#include "list.h"
#include "tasks.h"
#include "text.h"

/* PID_MAX_LIMIT on 64-bit (include/linux/threads.h): no list can be longer. */
#define MAX_LIST_NODES (4ull * 1024 * 1024)

/* ---- layout, resolved by name per kernel era ------------------------------ */

enum { RSS_FILE, RSS_ANON, RSS_SWAP, RSS_SHMEM, NR_RSS };

struct task_layout {
	long task_size, task_read, tasks, pid, tgid, flags, comm, comm_len, mm, signal, real_cred;
	long vfork_done, real_parent;
	long thread_node, thread_group;	/* one of them */
	long sig_size, thread_head, nr_threads, adj, adj_w, origin, oom_mm;
	long cred_uid, cred_uid_w, cred_cap, cred_cap_w;
	long mm_size, mm_flags, mm_flags_w;
	long mm_mt, mmap, total_vm, map_count;	/* the VMAs: mm_mt (6.1+) or mmap */
	long pgd;			/* mm_struct.pgd, the top page table */
	long pgtables_bytes, nr_ptes, nr_ptes_w, nr_pmds, nr_pmds_w;
	long rss_off[NR_RSS];		/* offset in mm_struct of each counter, or -1 */
	long rss_w;
	long data_vm, stack_vm;		/* mm_struct, unsigned long each, as total_vm */
	long rss_pcp_off[NR_RSS];	/* 6.2+: offset of each percpu_counter's counters */
	long task_rss_off[NR_RSS];	/* before 6.2: task->rss_stat.count[i], an int, or -1 */
};

/* A task_struct member the walk cannot do without; *missing names the first absent one. */
static long req(struct ms_target *t, const char *m, const char **missing)
{
	long off = ms_member_offset(t, "task_struct", m);

	if (off < 0 && !*missing)
		*missing = m;
	return off;
}

/*
 * mm->rss_stat: 6.1 struct mm_rss_stat { atomic_long_t count[NR_MM_COUNTERS]; };
 * 6.2+ struct percpu_counter rss_stat[NR_MM_COUNTERS], whose get_mm_counter()
 * is percpu_counter_read_positive(): the base count only.  Counters are
 * indexed by enum mm_counter; MM_SHMEMPAGES exists since 4.5.
 */
static void rss_layout(struct ms_target *t, struct task_layout *l)
{
	static const char *const names[NR_RSS] = {
		"MM_FILEPAGES", "MM_ANONPAGES", "MM_SWAPENTS", "MM_SHMEMPAGES" };
	long base = ms_member_offset(t, "mm_struct", "rss_stat");
	long count = ms_member_offset(t, "mm_rss_stat", "count");
	long nr = ms_enum_or(t, "NR_MM_COUNTERS", -1), stride, idx, count_pcp = -1;
	long tbase, tcount, tw;

	for (int i = 0; i < NR_RSS; i++)
		l->rss_off[i] = l->rss_pcp_off[i] = l->task_rss_off[i] = -1;
	if (base < 0 || nr <= 0)
		return;
	if (count >= 0) {
		stride = ms_member_size(t, "mm_rss_stat", "count") / nr;
		l->rss_w = stride;
		base += count;
	} else {
		stride = ms_struct_size(t, "percpu_counter");
		count = ms_member_offset(t, "percpu_counter", "count");
		if (stride <= 0 || count < 0)
			return;
		l->rss_w = ms_member_size(t, "percpu_counter", "count");
		count_pcp = ms_member_offset(t, "percpu_counter", "counters");
		base += count;
	}
	if (l->rss_w <= 0 || l->rss_w > 8)
		return;
	/* SPLIT_RSS_COUNTING (before 6.2): each thread keeps up to
	 * TASK_RSS_EVENTS_THRESH events in task->rss_stat (struct task_rss_stat
	 * { int events; int count[NR_MM_COUNTERS]; }) until sync_mm_rss() adds
	 * them to the mm's counters. */
	tbase = ms_member_offset(t, "task_struct", "rss_stat");
	tcount = ms_member_offset(t, "task_rss_stat", "count");
	tw = ms_member_size(t, "task_rss_stat", "count") / nr;
	for (int i = 0; i < NR_RSS; i++) {
		idx = ms_enum_or(t, names[i], -1);
		if (idx >= 0 && idx < nr && tbase >= 0 && tcount >= 0 && tw == 4)
			l->task_rss_off[i] = tbase + tcount + idx * 4;
		if (idx >= 0 && idx < nr)
			l->rss_off[i] = base + idx * stride;
		if (idx >= 0 && idx < nr && count_pcp >= 0)
			l->rss_pcp_off[i] = base - count + count_pcp + idx * stride;
	}
}

/*
 * How much of a task_struct is read at once: up to the end of the last member
 * taken from the copy, not sizeof(task_struct).  x86's task_struct ends in a
 * variable-sized FPU state (arch_task_struct_size, from the CPU's xstate), so
 * the object can be smaller than its type and the bytes after it belong to
 * the next slab, or to a free page the dump does not hold.
 */
static long task_read_size(const struct task_layout *l, long ptr)
{
	const long ends[] = {
		l->pid + 4, l->tgid + 4, l->flags + 4, l->comm + l->comm_len, l->mm + ptr,
		l->signal + ptr, l->real_cred >= 0 ? l->real_cred + ptr : 0,
		l->task_rss_off[0] >= 0 ? l->task_rss_off[0] + 4 : 0,
		l->task_rss_off[1] >= 0 ? l->task_rss_off[1] + 4 : 0,
		l->task_rss_off[2] >= 0 ? l->task_rss_off[2] + 4 : 0,
		l->task_rss_off[3] >= 0 ? l->task_rss_off[3] + 4 : 0,
	};
	long end = 0;

	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
		if (ends[i] > end)
			end = ends[i];
	return end < l->task_size ? end : l->task_size;
}

static struct ms_error *task_layout(struct ms_target *t, struct task_layout *l)
{
	const char *missing = NULL;

	memset(l, 0, sizeof(*l));
	l->task_size = ms_struct_size(t, "task_struct");
	l->tasks = req(t, "tasks", &missing);
	l->pid = req(t, "pid", &missing);
	l->tgid = req(t, "tgid", &missing);
	l->flags = req(t, "flags", &missing);
	l->comm = req(t, "comm", &missing);
	l->comm_len = ms_member_size(t, "task_struct", "comm");
	l->mm = req(t, "mm", &missing);
	l->signal = req(t, "signal", &missing);
	l->real_cred = ms_member_offset(t, "task_struct", "real_cred");
	l->vfork_done = ms_member_offset(t, "task_struct", "vfork_done");
	l->real_parent = ms_member_offset(t, "task_struct", "real_parent");
	l->thread_node = ms_member_offset(t, "task_struct", "thread_node");
	l->thread_group = ms_member_offset(t, "task_struct", "thread_group");

	l->sig_size = ms_struct_size(t, "signal_struct");
	l->thread_head = ms_member_offset(t, "signal_struct", "thread_head");
	l->nr_threads = ms_member_offset(t, "signal_struct", "nr_threads");
	l->adj = ms_member_offset(t, "signal_struct", "oom_score_adj");
	l->adj_w = ms_member_size(t, "signal_struct", "oom_score_adj");
	l->origin = ms_member_offset(t, "signal_struct", "oom_flag_origin");
	l->oom_mm = ms_member_offset(t, "signal_struct", "oom_mm");	/* 4.8+ */
	l->cred_uid = ms_member_offset(t, "cred", "uid");
	l->cred_uid_w = ms_member_size(t, "cred", "uid");
	/* kernel_cap_t: u32 cap[2] before 6.3, u64 val since; either way 8 bytes. */
	l->cred_cap = ms_member_offset(t, "cred", "cap_effective");
	l->cred_cap_w = ms_member_size(t, "cred", "cap_effective");

	l->mm_size = ms_struct_size(t, "mm_struct");
	l->mm_flags = ms_member_offset(t, "mm_struct", "flags");
	l->mm_flags_w = ms_member_size(t, "mm_struct", "flags");
	l->pgtables_bytes = ms_member_offset(t, "mm_struct", "pgtables_bytes");	/* 4.15+ */
	l->mm_mt = ms_member_offset(t, "mm_struct", "mm_mt");		/* 6.1+ */
	l->mmap = ms_member_offset(t, "mm_struct", "mmap");		/* before 6.1 */
	l->total_vm = ms_member_offset(t, "mm_struct", "total_vm");
	l->pgd = ms_member_offset(t, "mm_struct", "pgd");
	l->map_count = ms_member_offset(t, "mm_struct", "map_count");
	l->nr_ptes = ms_member_offset(t, "mm_struct", "nr_ptes");
	l->nr_ptes_w = ms_member_size(t, "mm_struct", "nr_ptes");
	l->nr_pmds = ms_member_offset(t, "mm_struct", "nr_pmds");		/* 4.0 - 4.14 */
	l->nr_pmds_w = ms_member_size(t, "mm_struct", "nr_pmds");
	rss_layout(t, l);
	l->data_vm = ms_member_offset(t, "mm_struct", "data_vm");	/* 4.5+ */
	l->stack_vm = ms_member_offset(t, "mm_struct", "stack_vm");

	if (!missing && (l->task_size <= 0 || l->comm_len <= 0))
		missing = "size";
	if (missing)
		return ms_error_create(MS_ERR_LOOKUP, "cannot lay out struct task_struct: no %s",
				       missing);
	l->task_read = task_read_size(l, t->word_size);
	if (l->sig_size <= 0 || l->nr_threads < 0 || l->adj < 0 || l->adj_w <= 0 || l->adj_w > 8)
		ms_warn(t, "cannot resolve signal_struct.{nr_threads,oom_score_adj}: no oom_score_adj");
	if (l->thread_head < 0 || l->thread_node < 0) {
		l->thread_head = l->thread_node = -1;
		if (l->thread_group < 0)
			ms_warn(t, "neither signal->thread_head nor task->thread_group: "
				   "only group leaders' mm is seen");
	}
	if (l->mm_size <= 0 || l->rss_off[RSS_FILE] < 0 || l->rss_off[RSS_ANON] < 0 ||
	    l->rss_off[RSS_SWAP] < 0)
		ms_warn(t, "cannot resolve mm_struct.rss_stat / enum mm_counter: no rss");
	return NULL;
}

/* ---- one process ------------------------------------------------------------ */

struct walk_ctx {
	struct ms_target *t;
	const struct task_layout *l;
	unsigned char *task, *sig, *mm;	/* buffers of struct size */
};

static uint64_t getw(const struct ms_target *t, const void *buf, long off, long width)
{
	return ms_get_uint(t, buf, off, (size_t)width);
}

static int64_t get_signed(const struct ms_target *t, const void *buf, long off, long width)
{
	uint64_t v = getw(t, buf, off, width);

	if (width < 8 && (v >> (8 * width - 1)) & 1)
		v |= ~0ull << (8 * width);
	return (int64_t)v;
}

/* get_mm_counter(): negative (unsynced per-thread deltas) reads as 0. */
static uint64_t mm_counter(const struct walk_ctx *c, int i)
{
	int64_t v;

	if (c->l->rss_off[i] < 0)
		return 0;
	v = get_signed(c->t, c->mm, c->l->rss_off[i], c->l->rss_w);
	return v < 0 ? 0 : (uint64_t)v;
}

/* get_mm_counter_sum() (6.2+ percpu_counter rss_stat): percpu_counter_sum_positive(),
 * the base count plus every online CPU's s32 delta.  Without per-cpu counters
 * (6.1's atomics) the sums are the counters themselves. */
static void read_rss_sums(const struct walk_ctx *c, struct ms_task *p)
{
	uint64_t *out[NR_RSS] = { &p->sum_file, &p->sum_anon, &p->sum_swap, &p->sum_shmem };
	uint64_t *plain[NR_RSS] = { &p->rss_file, &p->rss_anon, &p->swapents, &p->rss_shmem };
	const struct ms_kernel *k;
	struct ms_error *err = NULL;

	for (int i = 0; i < NR_RSS; i++)
		*out[i] = *plain[i];
	if (c->l->rss_pcp_off[RSS_ANON] < 0) {
		p->have |= MS_TASK_HAVE_RSS_SUM;
		return;
	}
	err = ms_kernel_get(c->t, &k);
	for (int i = 0; !err && i < NR_RSS; i++) {
		unsigned int nr;
		const unsigned int *cpus = NULL;
		int64_t sum;
		uint64_t pcp;

		if (c->l->rss_pcp_off[i] < 0)
			continue;
		cpus = ms_sum_cpus(k, &nr);
		sum = get_signed(c->t, c->mm, c->l->rss_off[i], c->l->rss_w);
		pcp = ms_get_ptr(c->t, c->mm, c->l->rss_pcp_off[i]);
		for (unsigned int n = 0; !err && n < nr; n++) {
			int32_t v;

			err = ms_read_s32(c->t, ms_percpu_addr(k, pcp, cpus[n]), &v);
			sum += v;
		}
		*out[i] = sum < 0 ? 0 : (uint64_t)sum;
	}
	if (err) {
		ms_warn_error(c->t, err, "pid %d: per-cpu rss counters unreadable", p->pid);
		return;
	}
	p->have |= MS_TASK_HAVE_RSS_SUM;
}

static void read_mm(const struct walk_ctx *c, struct ms_task *p)
{
	const struct task_layout *l = c->l;
	struct ms_target *t = c->t;
	struct ms_error *err;

	if (l->mm_size <= 0)
		err = ms_error_create(MS_ERR_LOOKUP, "no struct mm_struct");
	else
		err = ms_read(t, p->mm, c->mm, (size_t)l->mm_size);
	if (err) {
		ms_warn_error(t, err, "pid %d: cannot read its mm_struct at %#llx", p->pid,
			      (unsigned long long)p->mm);
		return;
	}
	p->have |= MS_TASK_HAVE_MM;
	if (l->total_vm >= 0)
		p->total_vm = getw(t, c->mm, l->total_vm, t->word_size);
	if (l->total_vm >= 0 && l->data_vm >= 0 && l->stack_vm >= 0) {
		p->data_vm = ms_get_ptr(t, c->mm, l->data_vm);
		p->stack_vm = ms_get_ptr(t, c->mm, l->stack_vm);
		p->have |= MS_TASK_HAVE_VM;
	}
	if (l->mm_flags >= 0)
		p->mm_flags = getw(c->t, c->mm, l->mm_flags, l->mm_flags_w);
	if (l->pgd >= 0)
		p->pgd = ms_get_ptr(t, c->mm, l->pgd);
	p->map_count = l->map_count >= 0 ? get_signed(t, c->mm, l->map_count, 4) : -1;
	if (l->mm_mt >= 0)
		p->vma_tree = p->mm + (uint64_t)l->mm_mt;
	else if (l->mmap >= 0)
		p->vma_list = getw(t, c->mm, l->mmap, t->word_size);
	if (l->rss_off[RSS_FILE] < 0 || l->rss_off[RSS_ANON] < 0 || l->rss_off[RSS_SWAP] < 0)
		return;
	p->rss_file = mm_counter(c, RSS_FILE);
	p->rss_anon = mm_counter(c, RSS_ANON);
	p->rss_shmem = mm_counter(c, RSS_SHMEM);
	p->swapents = mm_counter(c, RSS_SWAP);
	read_rss_sums(c, p);
	if (l->pgtables_bytes >= 0) {
		p->pgtables_bytes = getw(c->t, c->mm, l->pgtables_bytes, c->t->word_size);
	} else if (l->nr_ptes >= 0) {
		uint64_t pages = getw(c->t, c->mm, l->nr_ptes, l->nr_ptes_w);

		if (l->nr_pmds >= 0)
			pages += getw(c->t, c->mm, l->nr_pmds, l->nr_pmds_w);
		p->pgtables_bytes = pages * ms_page_size(t);
	} else {
		return;
	}
	p->have |= MS_TASK_HAVE_RSS;
}

/* in_vfork() (include/linux/sched/mm.h, v6.1): vfork_done && real_parent->mm == mm.
 * Undecided (no MS_TASK_HAVE_VFORK) if a pointer cannot be read. */
static void read_vfork(const struct walk_ctx *c, struct ms_task *p)
{
	const struct task_layout *l = c->l;
	uint64_t done, parent, pmm = 0;
	struct ms_error *err;

	if (l->vfork_done < 0 || l->real_parent < 0)
		return;
	err = ms_read_ptr(c->t, p->mm_task + l->vfork_done, &done);
	if (!err)
		err = ms_read_ptr(c->t, p->mm_task + l->real_parent, &parent);
	if (!err && done)
		err = ms_read_ptr(c->t, parent + l->mm, &pmm);
	if (err) {
		ms_error_destroy(err);
		return;
	}
	p->in_vfork = done && pmm == p->mm;
	p->have |= MS_TASK_HAVE_VFORK;
}

static int64_t *unsynced(struct ms_task *p, int i)
{
	int64_t *v[NR_RSS] = { &p->unsynced_file, &p->unsynced_anon, &p->unsynced_swap,
			       &p->unsynced_shmem };

	return v[i];
}

/* One thread of p: count its stack; the first one with an mm is find_lock_task_mm()'s.
 * A thread whose mm cannot be read is passed over, as one without. */
static void visit_thread(const struct walk_ctx *c, struct ms_task *p, uint64_t task)
{
	struct ms_error *err;
	uint64_t mm;

	p->nr_kstacks++;
	for (int i = 0; i < NR_RSS; i++) {
		int32_t v;

		if (c->l->task_rss_off[i] < 0)
			continue;
		if (task == p->addr) {
			v = (int32_t)getw(c->t, c->task, c->l->task_rss_off[i], 4);
		} else if ((err = ms_read_s32(c->t, task + c->l->task_rss_off[i], &v))) {
			ms_error_destroy(err);
			continue;
		}
		*unsynced(p, i) += v;
	}
	if (p->mm_task)
		return;
	if (task == p->addr) {
		mm = ms_get_ptr(c->t, c->task, c->l->mm);
	} else if ((err = ms_read_ptr(c->t, task + c->l->mm, &mm))) {
		ms_error_destroy(err);
		return;
	}
	if (mm) {
		p->mm_task = task;
		p->mm = mm;
	}
}

struct thread_arg {
	const struct walk_ctx *c;
	struct ms_task *p;
	long node_off;		/* offset of the list_head in task_struct */
};

static struct ms_error *thread_cb(struct ms_target *t, uint64_t node, void *arg)
{
	struct thread_arg *a = arg;

	(void)t;
	visit_thread(a->c, a->p, node - a->node_off);
	return NULL;
}

/* for_each_thread(): signal->thread_head ring (3.14+), else the leader's thread_group. */
static void walk_threads(const struct walk_ctx *c, struct ms_task *p, uint64_t signal)
{
	const struct task_layout *l = c->l;
	struct thread_arg a = { .c = c, .p = p };
	struct ms_list_result r;
	struct ms_error *err;
	uint64_t head;

	if (l->thread_head >= 0 && (p->have & MS_TASK_HAVE_SIGNAL)) {
		head = signal + l->thread_head;
		a.node_off = l->thread_node;
	} else if (l->thread_group >= 0) {
		visit_thread(c, p, p->addr);	/* the head is the leader's own node */
		head = p->addr + l->thread_group;
		a.node_off = l->thread_group;
	} else {
		visit_thread(c, p, p->addr);
		return;
	}
	err = ms_list_visit(c->t, head, MAX_LIST_NODES, 0, thread_cb, &a, &r);
	if (!err && r.status == MS_LIST_OK) {
		p->have |= MS_TASK_HAVE_THREADS;
		return;
	}
	ms_list_warn(c->t, err, "pid %d: thread list %s at %#llx; its threads are partly seen",
		     p->pid, ms_list_status_name(r.status), (unsigned long long)r.where);
}

static void read_signal(const struct walk_ctx *c, struct ms_task *p, uint64_t signal)
{
	const struct task_layout *l = c->l;
	struct ms_error *err;

	if (l->sig_size <= 0 || l->adj < 0 || l->nr_threads < 0)
		err = ms_error_create(MS_ERR_LOOKUP, "no signal_struct.{nr_threads,oom_score_adj}");
	else
		err = ms_read(c->t, signal, c->sig, (size_t)l->sig_size);
	if (err) {
		ms_warn_error(c->t, err, "pid %d: cannot read its signal_struct", p->pid);
		return;
	}
	p->have |= MS_TASK_HAVE_SIGNAL;
	p->oom_score_adj = (int16_t)get_signed(c->t, c->sig, l->adj, l->adj_w);
	p->nr_threads = (unsigned int)getw(c->t, c->sig, l->nr_threads, 4);
	if (l->origin >= 0)
		p->oom_origin = getw(c->t, c->sig, l->origin, 1) != 0;
	if (l->oom_mm >= 0)
		p->oom_mm = ms_get_ptr(c->t, c->sig, l->oom_mm);
	/* Unreadable, the victim's mm counts as not yet reaped (flags 0). */
	if (p->oom_mm && l->mm_flags >= 0)
		ms_error_destroy(ms_read_uint(c->t, p->oom_mm + l->mm_flags, (size_t)l->mm_flags_w,
					      &p->oom_mm_flags));
}

/* One process: NULL, or the error of its task_struct (nothing of it is known). */
static struct ms_error *read_process(const struct walk_ctx *c, uint64_t task, struct ms_task *p)
{
	const struct task_layout *l = c->l;
	uint64_t signal, cred, uid;
	struct ms_error *err;
	long n;

	memset(p, 0, sizeof(*p));
	p->map_count = -1;
	p->addr = task;
	err = ms_read(c->t, task, c->task, (size_t)l->task_read);
	if (err)
		return err;
	p->pid = (int32_t)getw(c->t, c->task, l->pid, 4);
	p->tgid = (int32_t)getw(c->t, c->task, l->tgid, 4);
	p->flags = (uint32_t)getw(c->t, c->task, l->flags, 4);
	n = l->comm_len < MS_TASK_COMM_LEN ? l->comm_len : MS_TASK_COMM_LEN;
	memcpy(p->comm, c->task + l->comm, (size_t)n);
	p->comm[n] = '\0';
	ms_text_sanitize(p->comm);

	if (l->real_cred >= 0 && l->cred_uid >= 0) {
		cred = ms_get_ptr(c->t, c->task, l->real_cred);
		err = ms_read_uint(c->t, cred + l->cred_uid, (size_t)l->cred_uid_w, &uid);
		if (!err) {
			p->uid = (uint32_t)uid;
			p->have |= MS_TASK_HAVE_CRED;
		}
		ms_error_destroy(err);	/* no MS_TASK_HAVE_CRED says it */
		if ((p->have & MS_TASK_HAVE_CRED) && l->cred_cap >= 0 && l->cred_cap_w > 0 &&
		    l->cred_cap_w <= 8) {
			err = ms_read_uint(c->t, cred + l->cred_cap, (size_t)l->cred_cap_w,
					   &p->cap_effective);
			if (!err)
				p->have |= MS_TASK_HAVE_CAPS;
			ms_error_destroy(err);	/* no MS_TASK_HAVE_CAPS says it */
		}
	}
	signal = ms_get_ptr(c->t, c->task, l->signal);
	p->signal = signal;
	read_signal(c, p, signal);
	walk_threads(c, p, signal);
	if (p->mm) {
		read_mm(c, p);
		read_vfork(c, p);
	}
	return NULL;
}

/* ---- the process list ------------------------------------------------------- */

static struct ms_error *push(struct ms_tasks *ts, size_t *cap, const struct ms_task *p)
{
	struct ms_task *v = ms_grow(ts->v, cap, ts->nr, sizeof(*v), 256);

	if (!v)
		return &ms_error_nomem;
	ts->v = v;
	ts->v[ts->nr++] = *p;
	return NULL;
}

struct process_arg {
	const struct walk_ctx *c;
	struct ms_tasks *ts;
	size_t cap;
};

/* A process that cannot be read is left out (with a warning); only running out
 * of memory stops the walk. */
static struct ms_error *process_cb(struct ms_target *t, uint64_t node, void *arg)
{
	struct process_arg *a = arg;
	uint64_t task = node - a->c->l->tasks;
	struct ms_error *err;
	struct ms_task p;

	err = read_process(a->c, task, &p);
	if (err) {
		ms_warn_error(t, err, "cannot read task_struct at %#llx", (unsigned long long)task);
		return NULL;
	}
	return push(a->ts, &a->cap, &p);
}

static int cmp_addr(const void *x, const void *y)
{
	const struct ms_task *a = x, *b = y;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return a < b ? -1 : a > b;	/* stable: the first visit first */
}

static int cmp_order(const void *x, const void *y)
{
	const struct ms_task *a = x, *b = y;

	return (a->pid > b->pid) - (a->pid < b->pid);
}

/* A cycle met after some laps visits tasks twice: keep each task once. */
static void drop_duplicates(struct ms_tasks *ts)
{
	size_t n = 0;

	qsort(ts->v, ts->nr, sizeof(*ts->v), cmp_addr);
	for (size_t i = 0; i < ts->nr; i++)
		if (!n || ts->v[n - 1].addr != ts->v[i].addr)
			ts->v[n++] = ts->v[i];
	ts->nr = n;
	/* The list order is lost with the list; pid order is the kernel's usual one. */
	qsort(ts->v, ts->nr, sizeof(*ts->v), cmp_order);
}

struct ms_error *ms_tasks_read(struct ms_target *t, struct ms_tasks *ts)
{
	struct task_layout l;
	struct walk_ctx c = { .t = t, .l = &l };
	struct process_arg a = { .c = &c, .ts = ts };
	struct ms_list_result r;
	struct ms_error *err;
	uint64_t init_task;

	memset(ts, 0, sizeof(*ts));
	err = task_layout(t, &l);
	if (err)
		return err;
	err = ms_symbol(t, "init_task", &init_task);
	if (err)
		return ms_error_wrap(err, "no process list");
	ts->shmem_separate = ms_has_enum(t, "MM_SHMEMPAGES");
	c.task = malloc((size_t)l.task_size);
	c.sig = malloc(l.sig_size > 0 ? (size_t)l.sig_size : 1);
	c.mm = malloc(l.mm_size > 0 ? (size_t)l.mm_size : 1);
	if (!c.task || !c.sig || !c.mm) {
		err = &ms_error_nomem;
		goto out;
	}

	/* for_each_process(): every thread group leader after init_task (the idle task). */
	err = ms_list_visit(t, init_task + l.tasks, MAX_LIST_NODES, 0, process_cb, &a, &r);
	if (ms_error_is(err, MS_ERR_NOMEM)) {
		ms_tasks_free(ts);
		goto out;
	}
	if (!err && r.status == MS_LIST_OK) {
		ts->complete = true;
	} else {
		ms_list_warn(t, err, "process list (init_task.tasks): %s at %#llx; "
			     "%zu processes read", ms_list_status_name(r.status),
			     (unsigned long long)r.where, ts->nr);
		err = NULL;
		if (r.status == MS_LIST_CYCLE)
			drop_duplicates(ts);
	}
out:
	free(c.task);
	free(c.sig);
	free(c.mm);
	return err;
}

void ms_tasks_free(struct ms_tasks *ts)
{
	free(ts->v);
	memset(ts, 0, sizeof(*ts));
}

/* ---- every thread ----------------------------------------------------------- */

/* The members of a thread the tasks command shows; -1 where the kernel has none. */
struct thread_layout {
	const struct task_layout *l;
	long state, state_w, exit_state, on_rq, on_cpu, cpu, last_arrival, cgroups;
	long read;			/* bytes of task_struct read at once */
	long dfl_cgrp, cg_kn, kn_name, kn_parent;
	long stack_vm_area;		/* CONFIG_VMAP_STACK only */
	long task_frag_page;		/* task_frag.page: sk_page_frag()'s, for the census */
	uint64_t runqueues;		/* per-cpu `runqueues`, 0 if unknown */
	long rq_clock;
	const struct ms_kernel *k;
};

static void thread_layout(struct ms_target *t, const struct task_layout *l,
			  struct thread_layout *tl)
{
	static const char *const state_names[] = { "__state", "state", NULL };	/* 5.14+, before */
	long ti = ms_member_offset(t, "task_struct", "thread_info");
	long si = ms_member_offset(t, "task_struct", "sched_info");
	long tf = ms_member_offset(t, "task_struct", "task_frag");
	long tf_page = ms_member_offset(t, "page_frag", "page");
	long ends[10];
	struct ms_error *err;

	tl->l = l;
	tl->state = ms_member_offset_any(t, "task_struct", state_names);
	tl->state_w = ms_has_member(t, "task_struct", "__state") ?
		      ms_member_size(t, "task_struct", "__state") :
		      ms_member_size(t, "task_struct", "state");
	tl->exit_state = ms_member_offset(t, "task_struct", "exit_state");
	tl->on_rq = ms_member_offset(t, "task_struct", "on_rq");
	tl->on_cpu = ms_member_offset(t, "task_struct", "on_cpu");
	/* task_cpu(): thread_info.cpu with THREAD_INFO_IN_TASK on x86 (5.16+), else task->cpu */
	tl->cpu = ti >= 0 && ms_has_member(t, "thread_info", "cpu") ?
		  ti + ms_member_offset(t, "thread_info", "cpu") :
		  ms_member_offset(t, "task_struct", "cpu");
	tl->last_arrival = si >= 0 && ms_has_member(t, "sched_info", "last_arrival") ?
			   si + ms_member_offset(t, "sched_info", "last_arrival") : -1;
	tl->cgroups = ms_member_offset(t, "task_struct", "cgroups");
	tl->stack_vm_area = ms_member_offset(t, "task_struct", "stack_vm_area");
	tl->task_frag_page = tf >= 0 && tf_page >= 0 ? tf + tf_page : -1;
	tl->dfl_cgrp = ms_member_offset(t, "css_set", "dfl_cgrp");
	tl->cg_kn = ms_member_offset(t, "cgroup", "kn");
	tl->kn_name = ms_member_offset(t, "kernfs_node", "name");
	tl->kn_parent = ms_member_offset(t, "kernfs_node", "parent");
	tl->rq_clock = ms_member_offset(t, "rq", "clock");
	err = ms_symbol(t, "runqueues", &tl->runqueues);
	if (!err)
		err = ms_kernel_get(t, &tl->k);
	if (err) {
		ms_error_destroy(err);
		tl->runqueues = 0;
		tl->k = NULL;
	}
	ends[0] = tl->state + 4;
	ends[1] = tl->exit_state + 4;
	ends[2] = tl->on_rq + 4;
	ends[3] = tl->on_cpu + 4;
	ends[4] = tl->cpu + 4;
	ends[5] = tl->last_arrival + 8;
	ends[6] = tl->cgroups + t->word_size;
	ends[7] = l->real_parent + t->word_size;
	ends[8] = tl->stack_vm_area + t->word_size;
	ends[9] = tl->task_frag_page + t->word_size;
	tl->read = l->task_read;
	for (int i = 0; i < 10; i++)
		if (ends[i] > tl->read)
			tl->read = ends[i];
	if (tl->read > l->task_size)
		tl->read = l->task_size;
}

/* cgroup_path() of the default hierarchy: kernfs names up to the root. */
static void read_cgroup(struct ms_target *t, const struct thread_layout *tl, uint64_t cset,
			struct ms_thread *th)
{
	char parts[8][32];
	uint64_t cg, kn, name, parent;
	int n = 0;
	size_t len = 0;

	if (tl->dfl_cgrp < 0 || tl->cg_kn < 0 || tl->kn_name < 0 || tl->kn_parent < 0 || !cset)
		return;
	struct ms_error *err = ms_read_ptr(t, cset + (uint64_t)tl->dfl_cgrp, &cg);

	if (!err)
		err = ms_read_ptr(t, cg + (uint64_t)tl->cg_kn, &kn);
	if (err) {
		ms_error_destroy(err);	/* no MS_THREAD_HAVE_CGROUP says it */
		return;
	}
	/* The root's kernfs node has no parent; it is "/". */
	for (int depth = 0; kn && depth < 64; depth++) {
		err = ms_read_ptr(t, kn + (uint64_t)tl->kn_parent, &parent);

		if (!err)
			err = ms_read_ptr(t, kn + (uint64_t)tl->kn_name, &name);
		if (err) {
			ms_error_destroy(err);
			return;
		}
		if (!parent)
			break;
		if (n < 8)
			ms_error_destroy(ms_read_str(t, name, parts[n++], sizeof(parts[0])));
		kn = parent;
	}
	th->cgroup[0] = '\0';
	while (n-- > 0 && len + 1 < sizeof(th->cgroup))
		len += (size_t)snprintf(th->cgroup + len, sizeof(th->cgroup) - len, "/%s",
					parts[n]);
	if (!len)
		snprintf(th->cgroup, sizeof(th->cgroup), "/");
	th->have |= MS_THREAD_HAVE_CGROUP;
}

struct threads_arg {
	struct ms_target *t;
	const struct thread_layout *tl;
	struct ms_threads *th;
	size_t cap, proc;
	unsigned char *buf;
	long node_off;
	struct ms_error *nomem;
};

static void read_thread(struct threads_arg *a, uint64_t task, struct ms_thread *th)
{
	const struct thread_layout *tl = a->tl;
	const struct task_layout *l = tl->l;
	struct ms_target *t = a->t;
	uint64_t parent, clock;
	struct ms_error *err;
	long n;

	memset(th, 0, sizeof(*th));
	th->addr = task;
	th->proc = a->proc;
	th->pid = -1;
	err = ms_read(t, task, a->buf, (size_t)tl->read);
	if (err) {
		ms_warn_error(t, err, "cannot read the thread's task_struct at %#llx",
			      (unsigned long long)task);
		return;
	}
	th->pid = (int32_t)getw(t, a->buf, l->pid, 4);
	th->tgid = (int32_t)getw(t, a->buf, l->tgid, 4);
	th->flags = (uint32_t)getw(t, a->buf, l->flags, 4);
	n = l->comm_len < MS_TASK_COMM_LEN ? l->comm_len : MS_TASK_COMM_LEN;
	memcpy(th->comm, a->buf + l->comm, (size_t)n);
	th->comm[n] = '\0';
	ms_text_sanitize(th->comm);
	if (tl->state >= 0)
		th->state = (unsigned int)getw(t, a->buf, tl->state, tl->state_w);
	if (tl->exit_state >= 0)
		th->exit_state = (unsigned int)getw(t, a->buf, tl->exit_state, 4);
	if (tl->on_rq >= 0 && tl->on_cpu >= 0) {
		th->on_rq = (int)getw(t, a->buf, tl->on_rq, 4);
		th->on_cpu = (int)getw(t, a->buf, tl->on_cpu, 4);
		th->have |= MS_THREAD_HAVE_SCHED;
	}
	if (tl->cpu >= 0)
		th->cpu = (unsigned int)getw(t, a->buf, tl->cpu, 4);
	if (tl->last_arrival >= 0 && tl->runqueues && tl->rq_clock >= 0 && tl->k &&
	    th->cpu < tl->k->nr_cpu_ids &&
	    !(err = ms_read_u64(t, ms_percpu_addr(tl->k, tl->runqueues, th->cpu) +
				(uint64_t)tl->rq_clock, &clock))) {
		uint64_t arrival = getw(t, a->buf, tl->last_arrival, 8);

		th->since_ran_ns = clock > arrival ? clock - arrival : 0;
		th->have |= MS_THREAD_HAVE_ARRIVAL;
	}
	ms_error_destroy(err);
	if (l->real_parent >= 0) {
		parent = ms_get_ptr(t, a->buf, l->real_parent);
		err = ms_read_uint(t, parent + (uint64_t)l->tgid, 4, &clock);
		if (!err) {
			th->ppid = (int32_t)clock;
			th->have |= MS_THREAD_HAVE_PARENT;
		}
		ms_error_destroy(err);
	}
	if (tl->stack_vm_area >= 0)
		th->stack_vm_area = ms_get_ptr(t, a->buf, tl->stack_vm_area);
	if (tl->task_frag_page >= 0)
		th->task_frag_page = ms_get_ptr(t, a->buf, tl->task_frag_page);
	if (tl->cgroups >= 0)
		read_cgroup(t, tl, ms_get_ptr(t, a->buf, tl->cgroups), th);
}

static struct ms_error *thread_rec_cb(struct ms_target *t, uint64_t node, void *arg)
{
	struct threads_arg *a = arg;

	(void)t;
	struct ms_thread *v = ms_grow(a->th->v, &a->cap, a->th->nr, sizeof(*v), 1024);

	if (!v)
		return &ms_error_nomem;
	a->th->v = v;
	read_thread(a, node - (uint64_t)a->node_off, &a->th->v[a->th->nr]);
	if (a->th->v[a->th->nr].pid >= 0)
		a->th->nr++;
	return NULL;
}

struct ms_error *ms_threads_read(struct ms_target *t, const struct ms_tasks *ts,
				 struct ms_threads *th)
{
	struct task_layout l;
	struct thread_layout tl;
	struct threads_arg a = { .t = t, .tl = &tl, .th = th };
	struct ms_list_result r;
	struct ms_error *err;

	memset(th, 0, sizeof(*th));
	err = task_layout(t, &l);
	if (err)
		return err;
	thread_layout(t, &l, &tl);
	if (tl.state < 0)
		return ms_error_create(MS_ERR_LOOKUP, "no task_struct.__state or .state");
	a.buf = malloc((size_t)tl.read);
	if (!a.buf)
		return &ms_error_nomem;
	th->complete = ts->complete;
	for (size_t i = 0; i < ts->nr; i++) {
		const struct ms_task *p = &ts->v[i];
		uint64_t head;

		a.proc = i;
		if (l.thread_head >= 0 && (p->have & MS_TASK_HAVE_SIGNAL)) {
			head = p->signal + (uint64_t)l.thread_head;
			a.node_off = l.thread_node;
		} else {
			/* Only the leader is known (see walk_threads()). */
			a.node_off = 0;
			err = thread_rec_cb(t, p->addr, &a);
			if (err)
				break;
			continue;
		}
		err = ms_list_visit(t, head, MAX_LIST_NODES, 0, thread_rec_cb, &a, &r);
		if (ms_error_is(err, MS_ERR_NOMEM))
			break;
		if (!err && r.status == MS_LIST_OK)
			continue;
		th->complete = false;
		ms_list_warn(t, err, "pid %d: thread list %s at %#llx; its threads are partly seen",
			     p->pid, ms_list_status_name(r.status), (unsigned long long)r.where);
		err = NULL;
	}
	free(a.buf);
	if (err)
		ms_threads_free(th);
	return err;
}

void ms_threads_free(struct ms_threads *th)
{
	free(th->v);
	memset(th, 0, sizeof(*th));
}

/* fork_idle() (kernel/fork.c) makes each secondary cpu's idle thread with
 * pid 0, which copy_process() puts on no task list; sched_init() and
 * init_idle() leave it in rq->idle. */
struct ms_error *ms_idle_stack_areas(struct ms_target *t, uint64_t *v, size_t cap, size_t *nr)
{
	long idle = ms_member_offset(t, "rq", "idle");
	long area = ms_member_offset(t, "task_struct", "stack_vm_area");
	const struct ms_kernel *k;
	uint64_t rqs, init_task, task, vm;
	struct ms_error *err;

	*nr = 0;
	if (idle < 0 || area < 0)
		return ms_error_create(MS_ERR_LOOKUP, "no rq.idle or task_struct.stack_vm_area");
	if ((err = ms_kernel_get(t, &k)) || (err = ms_symbol(t, "runqueues", &rqs)) ||
	    (err = ms_symbol(t, "init_task", &init_task)))
		return err;
	for (unsigned int i = 0; i < k->nr_possible && *nr < cap; i++) {
		unsigned int cpu = k->possible[i];

		if (cpu >= k->nr_cpu_ids)
			continue;
		err = ms_read_ptr(t, ms_percpu_addr(k, rqs, cpu) + (uint64_t)idle, &task);
		if (!err && task && task != init_task)
			err = ms_read_ptr(t, task + (uint64_t)area, &vm);
		else
			vm = 0;
		if (err)
			return ms_error_wrap(err, "cpu %u: rq->idle", cpu);
		if (vm)
			v[(*nr)++] = vm;
	}
	return NULL;
}
