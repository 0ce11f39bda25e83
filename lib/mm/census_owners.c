/*
 * census_owners.c - the pages of vmalloc() areas and of kernel stacks (see
 * census_owners.h).
 *
 * __vmalloc_area_node() (mm/vmalloc.c, 6.1 and 6.12) allocates the pages of
 * a VM_ALLOC area one by one or in non-compound orders, keeps every 4 KiB
 * page in area->pages[0..nr_pages) and adds nr_pages to nr_vmalloc_pages:
 * VmallocUsed.  Their struct pages carry no flag or type that says so.  A
 * vmap() area (VM_MAP) maps pages someone else owns and is left out.
 *
 * With CONFIG_VMAP_STACK a thread's stack is such an area, its vm_struct in
 * task->stack_vm_area; account_kernel_stack() (kernel/fork.c) counts
 * vm->nr_pages pages of it in NR_KERNEL_STACK_KB (KernelStack) while the
 * thread lives.  The per-cpu cached_stacks[] kept for reuse are vmalloc
 * areas no thread holds: they stay in the vmalloc class, as in VmallocUsed
 * and not in KernelStack.  The secondary cpus' idle threads are on no task
 * list: rq->idle gives them (tasks.h).
 *
 * A pipe's own pages (pipe_write()'s alloc_page(GFP_HIGHUSER | __GFP_ACCOUNT)
 * in its slots, and pipe->tmp_page) and the upper page-table levels that no
 * page type marks (the PGD and its PTI copy from __get_free_pages(), 6.1's
 * PUDs from get_zeroed_page(): pgtable_upper.h) come from the walks of every
 * process's files and mm.  A page with a type (6.12's PUDs: the table type)
 * keeps its type's class: only pages without one are asked about.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "census_owners.h"
#include "grow.h"
#include "pgtable_upper.h"
#include "pipe.h"
#include "skb.h"
#include "sock.h"
#include "tasks.h"
#include "vmalloc.h"

#define MS_IDLE_MAX 8192		/* NR_CPUS at most on x86_64 */

static int by_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int by_page(const void *a, const void *b)
{
	const struct ms_census_owner *x = a, *y = b;

	return x->page < y->page ? -1 : x->page > y->page;
}

static void say_why(struct ms_census_owners *o, const char *what, const char *why)
{
	if (o->complete)
		snprintf(o->why, sizeof(o->why), "%.48s: %.200s", what, why && why[0] ? why : "cut short");
	o->complete = false;
}

static void say(struct ms_census_owners *o, const char *what, struct ms_error *err)
{
	say_why(o, what, err ? ms_error_string(err) : NULL);
}

/* A walk that failed: out of memory is returned (it stops the census); any
 * other cause leaves that class partial, said in o->why, and is destroyed. */
static struct ms_error *partial(struct ms_census_owners *o, const char *what,
				struct ms_error *err)
{
	if (ms_error_is(err, MS_ERR_NOMEM))
		return err;
	say(o, what, err);
	ms_error_destroy(err);
	return NULL;
}

/* Grow-by-doubling append to *v (*nr of *cap). */
static struct ms_error *push(struct ms_census_owner **v, size_t *nr, size_t *cap, uint64_t key,
			     enum ms_census_class cls)
{
	struct ms_census_owner *b = ms_grow(*v, cap, *nr, sizeof(*b), 4096);

	if (!b)
		return &ms_error_nomem;
	*v = b;
	(*v)[*nr].page = key;
	(*v)[*nr].cls = cls;
	(*nr)++;
	return NULL;
}

static struct ms_error *add(struct ms_census_owners *o, size_t *cap, uint64_t page,
			    enum ms_census_class cls)
{
	return push(&o->v, &o->nr, cap, page, cls);
}

/* One area's page array, read at once. */
static struct ms_error *area_pages(struct ms_target *t, struct ms_census_owners *o, size_t *cap,
				   const struct ms_vmap_area *a, enum ms_census_class cls,
				   uint64_t **buf, size_t *buflen)
{
	size_t n = (size_t)a->nr_pages;
	struct ms_error *err;

	if (o->nr + n > MS_CENSUS_OWNERS_MAX) {
		say(o, "vmalloc pages", NULL);
		return NULL;
	}
	if (n > *buflen) {
		uint64_t *b = realloc(*buf, n * sizeof(**buf));

		if (!b)
			return &ms_error_nomem;
		*buf = b;
		*buflen = n;
	}
	err = ms_read(t, a->pages, *buf, n * (size_t)t->word_size);
	if (err) {
		say(o, "vm_struct.pages", err);
		ms_error_destroy(err);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t p = ms_get_ptr(t, *buf, (long)(i * t->word_size));

		if (p && (err = add(o, cap, p, cls)))
			return err;
	}
	return NULL;
}

/* What the pipe, page-table and socket walks' sinks add to, and the first failure. */
struct sink_ctx {
	struct ms_census_owners *o;
	struct ms_target *t;
	size_t cap, cap_pfn;
	struct ms_error *err;		/* out of memory */
	bool full;			/* MS_CENSUS_OWNERS_MAX reached */
	uint64_t page_offset;		/* the direct map, for an skb's head */
	long compound_head;		/* struct page.compound_head */
	bool skb_ok;			/* the two above are known */
};

static void sink_page(void *arg, uint64_t page)
{
	struct sink_ctx *c = arg;

	if (c->err || (c->full = c->full || c->o->nr >= MS_CENSUS_OWNERS_MAX))
		return;
	c->err = add(c->o, &c->cap, page, MS_CC_PIPE);
}

static void sink_pfn(void *arg, uint64_t pfn, enum ms_pgt_level level)
{
	struct sink_ctx *c = arg;

	(void)level;
	if (c->err || (c->full = c->full || c->o->nr_pfn >= MS_CENSUS_OWNERS_MAX))
		return;
	c->err = push(&c->o->by_pfn, &c->o->nr_pfn, &c->cap_pfn, pfn, MS_CC_PGT_UPPER);
}

/* What sink_skb() needs; without it the socket buffers stay no owner's
 * (c->skb_ok false), said in o->why. */
static struct ms_error *skb_sink_init(struct ms_target *t, struct sink_ctx *c)
{
	struct ms_pgt_era e;
	struct ms_error *err;

	c->compound_head = ms_member_offset(t, "page", "compound_head");
	if (c->compound_head < 0)
		return partial(c->o, "socket buffers", ms_error_create(MS_ERR_LOOKUP,
			       "no struct page.compound_head"));
	if ((err = ms_pgt_era_get(t, &e)))
		return partial(c->o, "socket buffers", err);
	c->page_offset = e.page_offset;
	c->skb_ok = true;
	return NULL;
}

/* A socket buffer's page: a fragment's page as its compound head (PageTail():
 * compound_head & 1), so that its tails follow it; an skb's head by its pfn
 * through the direct map (a kmalloc_large() head is its compound page's
 * first; a slab head is never asked about: slab is its class). */
static struct ms_error *sink_skb(void *arg, uint64_t addr, enum ms_skb_mem kind)
{
	struct sink_ctx *c = arg;
	struct ms_census_owners *o = c->o;
	struct ms_target *t = c->t;
	uint64_t ch;

	if (!c->skb_ok || c->err)
		return c->err;
	if ((c->full = c->full || o->nr >= MS_CENSUS_OWNERS_MAX || o->nr_pfn >= MS_CENSUS_OWNERS_MAX))
		return NULL;
	if (kind == MS_SKB_HEAD) {
		if (addr >= c->page_offset)
			c->err = push(&o->by_pfn, &o->nr_pfn, &c->cap_pfn,
				      (addr - c->page_offset) >> t->page_shift, MS_CC_SOCKET);
		return c->err;
	}
	if (!ms_error_failed(ms_read_ptr(t, addr + (uint64_t)c->compound_head, &ch)) && (ch & 1))
		addr = ch - 1;
	return c->err = add(o, &c->cap, addr, MS_CC_SOCKET);
}

/* The stack areas of every live thread of ts, sorted (*nr 0 when none is
 * known: no VMAP_STACK), and each thread's task_frag page to the socket
 * sink: the page fragment its sockets' sends copy into (sk_page_frag()). */
static struct ms_error *thread_pages(struct ms_target *t, struct sink_ctx *c,
				     const struct ms_tasks *ts, uint64_t **out, size_t *nr)
{
	struct ms_census_owners *o = c->o;
	bool vmap = ms_has_member(t, "task_struct", "stack_vm_area");
	struct ms_threads th;
	struct ms_error *err;
	size_t idle = 0;
	uint64_t *v;

	*out = NULL;
	*nr = 0;
	err = ms_threads_read(t, ts, &th);
	if (err)
		return partial(o, "threads", err);
	if (!ts->complete || !th.complete)
		say(o, "threads: the thread lists", NULL);
	for (size_t i = 0; i < th.nr && !c->err; i++)
		if (th.v[i].task_frag_page)
			sink_skb(c, th.v[i].task_frag_page, MS_SKB_FRAG_PAGE);
	v = vmap ? calloc(th.nr + MS_IDLE_MAX, sizeof(*v)) : NULL;
	if (c->err || (vmap && !v)) {
		ms_threads_free(&th);
		free(v);
		return c->err ? c->err : &ms_error_nomem;
	}
	if (!vmap) {			/* no VMAP_STACK: stacks are not vmalloc pages */
		ms_threads_free(&th);
		return NULL;
	}
	for (size_t i = 0; i < th.nr; i++)
		if (th.v[i].stack_vm_area)
			v[(*nr)++] = th.v[i].stack_vm_area;
	ms_threads_free(&th);
	/* and the secondary cpus' idle threads, on no list */
	err = ms_idle_stack_areas(t, v + *nr, MS_IDLE_MAX, &idle);
	*nr += idle;
	if (err) {
		say(o, "kernel stacks: the idle threads", err);
		ms_error_destroy(err);
	}
	qsort(v, *nr, sizeof(*v), by_u64);
	*out = v;
	o->kstack_ok = true;
	return NULL;
}

/* One socket's queues: NULL, out of memory, or a read's error (the socket's
 * pages so far are kept). */
static struct ms_error *one_socket(struct ms_target *t, const struct ms_sock *so,
				   struct ms_skb_walk *w, struct sink_ctx *c)
{
	struct ms_sock_queues q;
	struct ms_error *err = ms_sock_queues(t, so, &q);

	for (size_t i = 0; !err && i < q.nr_lists; i++)
		err = ms_skb_queue_pages(w, q.lists[i]);
	for (size_t i = 0; !err && i < q.nr_trees; i++)
		err = ms_skb_rbtree_pages(w, q.trees[i]);
	if (!err && q.frag_page)
		err = sink_skb(c, q.frag_page, MS_SKB_FRAG_PAGE);
	return err;
}

/* The buffers queued on every socket the processes hold. */
static struct ms_error *socket_pages(struct ms_target *t, const struct ms_tasks *ts,
				     struct sink_ctx *c)
{
	struct ms_skb_walk *w;
	struct ms_socks s;
	struct ms_error *err;

	if (!c->skb_ok)
		return NULL;
	if ((err = ms_skb_walk_open(t, sink_skb, c, &w)))
		return partial(c->o, "socket buffers", err);
	if ((err = ms_socks_read(t, ts, &s))) {
		ms_skb_walk_close(w);
		return partial(c->o, "sockets", err);
	}
	if (!s.complete)
		say_why(c->o, "sockets", s.why);
	for (size_t i = 0; i < s.nr && !c->err; i++) {
		err = one_socket(t, &s.v[i], w, c);
		if (ms_error_is(err, MS_ERR_NOMEM))
			break;
		if (err) {
			char what[64];

			snprintf(what, sizeof(what), "socket %#llx", (unsigned long long)s.v[i].sk);
			say(c->o, what, err);
			ms_error_destroy(err);
			err = NULL;
		}
	}
	ms_socks_free(&s);
	ms_skb_walk_close(w);
	c->o->sockets_ok = true;
	return err ? err : c->err;
}

/* Every pipe the processes hold: its own pages, each ring read once. */
static struct ms_error *pipe_pages(struct ms_target *t, const struct ms_tasks *ts,
				   struct sink_ctx *c)
{
	struct ms_pipes p;
	struct ms_error *err = ms_pipes_read_pages(t, ts, true, &p, sink_page, c);

	if (err)
		return partial(c->o, "pipes", err);
	if (!p.complete)
		say_why(c->o, "pipes", p.why);
	ms_pipes_free(&p);
	c->o->pipes_ok = true;
	return c->err;
}

/* Every mm's upper page-table levels. */
static struct ms_error *pgt_pages(struct ms_target *t, const struct ms_tasks *ts,
				  struct sink_ctx *c)
{
	struct ms_pgt_era e;
	struct ms_pgt_totals tot;
	struct ms_error *err = ms_pgt_upper_tasks_pages(t, ts, &e, NULL, &tot, sink_pfn, c);

	if (err)
		return partial(c->o, "upper page tables", err);
	if (!tot.complete)
		say(c->o, "upper page tables: some mm", NULL);
	c->o->pgt_ok = true;
	return c->err;
}

struct ms_error *ms_census_owners_read(struct ms_target *t, struct ms_census_owners *o)
{
	struct ms_vmalloc vm;
	struct ms_tasks ts;
	struct sink_ctx sc = { .o = o, .t = t };
	uint64_t *stacks = NULL, *buf = NULL;
	size_t nr_stacks = 0, buflen = 0;
	bool have_ts;
	struct ms_error *err;

	memset(o, 0, sizeof(*o));
	o->complete = true;
	err = ms_vmalloc_read(t, &vm);
	if (err)
		return partial(o, "vmalloc areas", err);
	if (!vm.complete)
		say_why(o, "vmalloc areas", vm.why);
	o->vmalloc_ok = true;
	/* The process list, for the stacks, the pipes and the page tables. */
	err = ms_tasks_read(t, &ts);
	have_ts = !err;
	if (err)
		err = partial(o, "the process list", err);
	if (!err && have_ts)
		err = skb_sink_init(t, &sc);
	if (!err && have_ts)
		err = thread_pages(t, &sc, &ts, &stacks, &nr_stacks);
	for (size_t i = 0; !err && i < vm.nr; i++) {
		const struct ms_vmap_area *a = &vm.v[i];
		enum ms_census_class cls = MS_CC_VMALLOC;

		if (!a->vm || !(a->flags & MS_VM_ALLOC) || !a->pages || !a->nr_pages)
			continue;
		if (nr_stacks && bsearch(&a->vm, stacks, nr_stacks, sizeof(*stacks), by_u64)) {
			cls = MS_CC_KSTACK;
			o->stacks++;
		}
		err = area_pages(t, o, &sc.cap, a, cls, &buf, &buflen);
	}
	if (!err && have_ts)
		err = pipe_pages(t, &ts, &sc);
	if (!err && have_ts)
		err = pgt_pages(t, &ts, &sc);
	if (!err && have_ts)
		err = socket_pages(t, &ts, &sc);
	if (!err && sc.full)
		say(o, "pipe, page-table and socket pages", NULL);
	free(stacks);
	free(buf);
	ms_vmalloc_free(&vm);
	if (have_ts)
		ms_tasks_free(&ts);
	if (err) {
		ms_census_owners_free(o);
		return err;
	}
	if (o->nr)		/* qsort() may not be given NULL */
		qsort(o->v, o->nr, sizeof(*o->v), by_page);
	if (o->nr_pfn)
		qsort(o->by_pfn, o->nr_pfn, sizeof(*o->by_pfn), by_page);
	return NULL;
}

void ms_census_owners_free(struct ms_census_owners *o)
{
	free(o->v);
	free(o->by_pfn);
	o->v = o->by_pfn = NULL;
	o->nr = o->nr_pfn = 0;
}

static enum ms_census_class find(const struct ms_census_owner *v, size_t nr, uint64_t key)
{
	struct ms_census_owner k = { .page = key };
	const struct ms_census_owner *hit;

	if (!nr)
		return MS_CC_NR;
	hit = bsearch(&k, v, nr, sizeof(*v), by_page);
	return hit ? hit->cls : MS_CC_NR;
}

enum ms_census_class ms_census_owner_of(const struct ms_census_owners *o, uint64_t page,
					uint64_t pfn)
{
	enum ms_census_class c = find(o->v, o->nr, page);

	return c != MS_CC_NR ? c : find(o->by_pfn, o->nr_pfn, pfn);
}
