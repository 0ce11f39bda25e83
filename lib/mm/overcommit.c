/*
 * overcommit.c - the overcommit policy, the limit, Committed_AS and who
 * committed it, and __vm_enough_memory()'s answer (mm/util.c, 6.1/6.12).
 *
 * CommitLimit and Committed_AS are meminfo's (meminfo_globals.c computes
 * them as vm_commit_limit() and vm_memory_committed() do).  The charge is
 * explained by what the kernel charged it for: every private writable
 * mapping (accountable_mapping() in mmap_region(), brk, stacks) carries
 * VM_ACCOUNT for as long as it is charged, so an mm's charge is the sum of
 * its VM_ACCOUNT VMAs; shmem objects charge through their inodes
 * (shmem_acct_size(), shmem_acct_block()); the rest is what neither shows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "meminfo.h"
#include "overcommit.h"
#include "shmem.h"
#include "vma.h"

const char *ms_overcommit_mode_name(long mode)
{
	switch (mode) {
	case MS_OVERCOMMIT_GUESS: return "heuristic";
	case MS_OVERCOMMIT_ALWAYS: return "always";
	case MS_OVERCOMMIT_NEVER: return "never";
	default: return "unknown";
	}
}

void ms_vm_enough_memory(const struct ms_commit_inputs *in, uint64_t pages, bool cap_sys_admin,
			 uint64_t total_vm, struct ms_vm_answer *a)
{
	int64_t allowed;

	memset(a, 0, sizeof(*a));
	a->pages = pages;
	a->committed_after = in->count + pages;	/* vm_acct_memory(pages) comes first */
	a->max_ok = -1;
	if (in->mode == MS_OVERCOMMIT_ALWAYS) {
		a->ok = true;
		a->rule = MS_VM_ALWAYS;
		return;
	}
	if (in->mode == MS_OVERCOMMIT_GUESS) {
		/* One mapping must not exceed RAM + swap; nothing else is checked. */
		a->allowed = (int64_t)(in->totalram + in->swap);
		a->ok = pages <= in->totalram + in->swap;
		a->rule = a->ok ? MS_VM_GUESS_FITS : MS_VM_GUESS_TOO_BIG;
		a->max_ok = a->allowed;
		return;
	}
	/* OVERCOMMIT_NEVER, and any other value (the kernel's code falls
	 * through to the same check). */
	allowed = (int64_t)in->limit;
	if (!cap_sys_admin)
		a->admin_cut = in->admin_reserve;	/* "Reserve some for root" */
	/* "Don't let a single process grow so big a user can't recover" */
	a->user_cut = total_vm / 32 < in->user_reserve ? total_vm / 32 : in->user_reserve;
	allowed -= (int64_t)(a->admin_cut + a->user_cut);
	a->allowed = allowed;
	a->ok = (int64_t)a->committed_after < allowed;
	a->rule = in->mode != MS_OVERCOMMIT_NEVER ? MS_VM_UNKNOWN_POLICY :
		  a->ok ? MS_VM_NEVER_FITS : MS_VM_NEVER_OVER;
	a->max_ok = allowed - (int64_t)in->count - 1;
	if (a->max_ok < 0)
		a->max_ok = -1;
}

bool ms_overcommit_inputs(const struct ms_overcommit *o, unsigned int page_shift,
			  struct ms_commit_inputs *in)
{
	unsigned int s = page_shift - 10;

	memset(in, 0, sizeof(*in));
	if (!o->policy_ok || !o->limit_ok || !o->count_ok || !o->swap_ok)
		return false;
	*in = (struct ms_commit_inputs){
		.mode = o->mode, .totalram = o->totalram, .swap = o->swap, .limit = o->limit,
		.count = o->count, .admin_reserve = o->admin_kb >> s,
		.user_reserve = o->user_kb >> s,
	};
	return true;
}

static void why(char *buf, struct ms_error *err)
{
	snprintf(buf, MS_OC_WHY_LEN, "%s", ms_error_string(err));
	ms_error_destroy(err);
}

/* The sysctls of mm/util.c: overcommit_memory and _ratio are ints,
 * overcommit_kbytes and the reserves unsigned longs. */
static void read_policy(struct ms_target *t, struct ms_overcommit *o)
{
	uint64_t mode = 0, ratio = 0;
	struct ms_error *err;

	err = ms_read_sym_uint(t, "sysctl_overcommit_memory", 4, &mode);
	if (!err)
		err = ms_read_sym_uint(t, "sysctl_overcommit_ratio", 4, &ratio);
	if (!err)
		err = ms_read_sym_uint(t, "sysctl_overcommit_kbytes", t->word_size, &o->kbytes_kb);
	if (!err)
		err = ms_read_sym_uint(t, "sysctl_admin_reserve_kbytes", t->word_size,
				       &o->admin_kb);
	if (!err)
		err = ms_read_sym_uint(t, "sysctl_user_reserve_kbytes", t->word_size, &o->user_kb);
	if (err) {
		why(o->policy_why, err);
		ms_warn(t, "overcommit policy: %s", o->policy_why);
		return;
	}
	o->mode = (long)(int32_t)mode;
	o->ratio = (uint32_t)ratio;
	o->policy_ok = true;
}

static void read_meminfo(struct ms_target *t, struct ms_overcommit *o)
{
	struct ms_meminfo *mi = calloc(1, sizeof(*mi));
	unsigned int s = t->page_shift - 10;
	struct ms_error *err;
	uint64_t batch = 0;

	if (!mi) {
		snprintf(o->limit_why, MS_OC_WHY_LEN, "out of memory");
		snprintf(o->committed_why, MS_OC_WHY_LEN, "out of memory");
		return;
	}
	err = ms_meminfo_read(t, -1, mi);
	if (err) {
		why(o->limit_why, err);
		snprintf(o->committed_why, MS_OC_WHY_LEN, "%s", o->limit_why);
		free(mi);
		return;
	}
	o->limit_ok = mi->state[MS_MI_COMMITLIMIT] == MS_MI_OK &&
		      mi->state[MS_MI_MEMTOTAL] == MS_MI_OK;
	if (o->limit_ok) {
		o->limit = mi->val[MS_MI_COMMITLIMIT] >> s;
		o->totalram = mi->val[MS_MI_MEMTOTAL] >> s;
		if (mi->state[MS_MI_HUGETLB] == MS_MI_OK)
			o->hugetlb = mi->val[MS_MI_HUGETLB] >> s;
	} else {
		snprintf(o->limit_why, MS_OC_WHY_LEN, "%s", mi->why[MS_MI_COMMITLIMIT]);
	}
	o->committed_ok = mi->state[MS_MI_COMMITTED_AS] == MS_MI_OK;
	if (o->committed_ok)
		o->committed = mi->val[MS_MI_COMMITTED_AS] >> s;
	else
		snprintf(o->committed_why, MS_OC_WHY_LEN, "%s", mi->why[MS_MI_COMMITTED_AS]);
	o->count_ok = mi->extra.committed_count_ok;
	o->count = mi->extra.committed_count;
	free(mi);
	err = ms_read_sym_uint(t, "total_swap_pages", t->word_size, &o->swap);
	o->swap_ok = !err;
	if (err)
		ms_warn_error(t, err, "total_swap_pages");
	/* mm_compute_batch() (mm/util.c): an int; a missing one only loses the note. */
	err = ms_read_sym_uint(t, "vm_committed_as_batch", 4, &batch);
	o->batch_ok = !err;
	o->batch = (int32_t)batch;
	ms_error_destroy(err);
}

/* ---- the committers ------------------------------------------------------- */

struct charge {
	const struct ms_vm_flags *f;
	struct ms_committer *c;
	struct ms_overcommit *keep;	/* the -P process's mm: keep its VMAs here */
	size_t cap;
};

static struct ms_error *add_vma(struct ms_target *t, const struct ms_vma *v, void *arg)
{
	struct charge *ch = arg;

	if (ch->keep) {
		struct ms_overcommit *o = ch->keep;

		struct ms_vma *a = ms_grow(o->vmas, &ch->cap, o->nr_vmas, sizeof(*a), 64);

		if (!a)
			return &ms_error_nomem;
		o->vmas = a;
		o->vmas[o->nr_vmas++] = *v;
	}
	ch->c->nr_vmas++;
	if (v->flags & ch->f->account) {
		ch->c->nr_account++;
		ch->c->committed += (v->end - v->start) >> t->page_shift;
	}
	return NULL;
}

static int cmp_mm(const void *x, const void *y)
{
	const struct ms_task *const *a = x, *const *b = y;

	if ((*a)->mm != (*b)->mm)
		return (*a)->mm < (*b)->mm ? -1 : 1;
	return ((*a)->pid > (*b)->pid) - ((*a)->pid < (*b)->pid);
}

static int cmp_committed(const void *x, const void *y)
{
	const struct ms_committer *a = x, *b = y;

	if (a->committed != b->committed)
		return a->committed < b->committed ? 1 : -1;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

/* Every process with an mm, once per mm (CLONE_VM shares one). */
static struct ms_error *read_committers(struct ms_target *t, struct ms_overcommit *o)
{
	const struct ms_vm_flags *f = &o->vm_flags;
	const struct ms_task **by_mm = NULL;
	struct ms_tasks ts;
	struct ms_error *err;
	uint64_t keep_mm = 0;
	size_t n = 0;

	err = ms_tasks_read(t, &ts);
	if (err) {
		if (err == &ms_error_nomem)
			return err;
		why(o->committers_why, err);
		ms_warn(t, "no committers: %s", o->committers_why);
		return NULL;
	}
	o->committers_ok = true;
	o->tasks_complete = ts.complete;
	o->vmas_complete = true;
	by_mm = malloc((ts.nr ? ts.nr : 1) * sizeof(*by_mm));
	o->v = calloc(ts.nr ? ts.nr : 1, sizeof(*o->v));
	if (!by_mm || !o->v) {
		err = &ms_error_nomem;
		goto out;
	}
	for (size_t i = 0; i < ts.nr; i++) {
		const struct ms_task *p = &ts.v[i];

		if (p->mm && (p->have & MS_TASK_HAVE_MM))
			by_mm[n++] = p;
		if (o->pid && p->pid == o->pid && p->mm && (p->have & MS_TASK_HAVE_MM)) {
			keep_mm = p->mm;
			o->pid_found = true;
			o->pid_caps_ok = p->have & MS_TASK_HAVE_CAPS;
			o->pid_cap_sys_admin = (p->cap_effective >> MS_CAP_SYS_ADMIN) & 1;
		}
	}
	qsort(by_mm, n, sizeof(*by_mm), cmp_mm);
	for (size_t i = 0; i < n; i++) {
		const struct ms_task *p = by_mm[i];
		struct ms_committer *c;
		struct charge ch = { .f = f };
		struct ms_vma_result r;

		if (o->nr && o->v[o->nr - 1].mm == p->mm) {
			o->v[o->nr - 1].nr_procs++;
			continue;
		}
		c = &o->v[o->nr++];
		*c = (struct ms_committer){ .pid = p->pid, .uid = p->uid, .nr_procs = 1,
					    .mm = p->mm, .vma_tree = p->vma_tree,
					    .total_vm = p->total_vm };
		memcpy(c->comm, p->comm, sizeof(c->comm));
		ch.c = c;
		ch.keep = p->mm == keep_mm ? o : NULL;
		err = ms_vma_walk(t, p, add_vma, &ch, &r);
		c->complete = r.complete;
		if (ch.keep)
			o->proc = *c;
		if (err == &ms_error_nomem)
			goto out;
		if (err) {
			o->vmas_complete = false;
			ms_warn_error(t, err, "pid %d (%s): VMAs walked in part (%llu)", p->pid,
				      p->comm, (unsigned long long)r.nr);
			err = NULL;
		}
		o->vm_total += c->committed;
	}
	qsort(o->v, o->nr, sizeof(*o->v), cmp_committed);
out:
	free(by_mm);
	ms_tasks_free(&ts);
	return err;
}

static void read_shmem(struct ms_target *t, struct ms_overcommit *o)
{
	struct ms_tmpfs m;
	struct ms_error *err = ms_tmpfs_read(t, &m);

	if (err) {
		ms_warn_error(t, err, "shmem's commit charge");
		return;
	}
	o->shmem_ok = m.sb_list_complete;
	for (unsigned int i = 0; i < m.nr; i++) {
		o->shmem += m.sbs[i].committed;
		if (!m.sbs[i].committed_ok)
			o->shmem_ok = false;
	}
	ms_tmpfs_free(&m);
}

struct ms_error *ms_overcommit_read(struct ms_target *t, int32_t pid, struct ms_overcommit *o)
{
	struct ms_error *err;

	memset(o, 0, sizeof(*o));
	o->pid = pid;
	ms_vm_flags(t, &o->vm_flags);
	read_policy(t, o);
	read_meminfo(t, o);
	err = read_committers(t, o);
	if (err) {
		ms_overcommit_free(o);
		return err;
	}
	read_shmem(t, o);
	o->rest = (int64_t)o->committed - (int64_t)o->vm_total - (int64_t)o->shmem;
	return NULL;
}

void ms_overcommit_free(struct ms_overcommit *o)
{
	free(o->v);
	free(o->vmas);
	o->v = NULL;
	o->vmas = NULL;
	o->nr = o->nr_vmas = 0;
}
