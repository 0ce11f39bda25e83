/*
 * pipe.c - every pipe that a process holds open, and the pages in its ring.
 *
 * Reached as the kernel reaches them: a descriptor's file->f_inode, an inode
 * of type S_IFIFO (init_special_inode(), get_pipe_inode()), its i_pipe.  The
 * ring is pipe_inode_info.bufs[ring_size], occupied from tail to head - 1,
 * masked by ring_size - 1 (pipe_occupancy(), pipe_buf(): include/linux/
 * pipe_fs_i.h).  A slot whose ops is &anon_pipe_buf_ops holds a page that
 * pipe_write() allocated (fs/pipe.c: alloc_page(GFP_HIGHUSER |
 * __GFP_ACCOUNT), no vmstat item); other ops are pages a splice lent it.
 * pipe->tmp_page is the spare page pipe_read() keeps for the next write.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "grow.h"
#include "pipe.h"

#define MAX_BUF_SIZE 256		/* a struct pipe_buffer is 40 bytes on x86_64 */

struct ref {
	uint64_t pipe, inode, ino;
	size_t task;
};

struct collect {
	const struct ms_tasks *ts;
	size_t task;
	long i_pipe;
	struct ref *v;
	size_t nr, cap;
};

static struct ms_error *on_file(struct ms_target *t, const struct ms_file *f, void *arg)
{
	struct collect *c = arg;
	uint64_t pipe;
	struct ms_error *err;

	if ((f->mode & MS_S_IFMT) != MS_S_IFIFO || !f->inode)
		return NULL;
	if ((err = ms_read_ptr(t, f->inode + (uint64_t)c->i_pipe, &pipe)))
		return ms_error_wrap(err, "inode %#llx: i_pipe", (unsigned long long)f->inode);
	if (!pipe)		/* a FIFO nobody has opened for I/O yet */
		return NULL;
	struct ref *v = ms_grow(c->v, &c->cap, c->nr, sizeof(*v), 64);

	if (!v)
		return &ms_error_nomem;
	c->v = v;
	c->v[c->nr++] = (struct ref){ pipe, f->inode, f->ino, c->task };
	return NULL;
}

static int by_pipe(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;

	if (x->pipe != y->pipe)
		return x->pipe < y->pipe ? -1 : 1;
	return x->task < y->task ? -1 : x->task > y->task;
}

struct ms_error *ms_pipe_ring_pages(struct ms_target *t, uint64_t addr, struct ms_pipe *pp,
				    void (*sink)(void *arg, uint64_t page), void *arg)
{
	long head = ms_member_offset(t, "pipe_inode_info", "head");
	long tail = ms_member_offset(t, "pipe_inode_info", "tail");
	long ring = ms_member_offset(t, "pipe_inode_info", "ring_size");
	long bufs = ms_member_offset(t, "pipe_inode_info", "bufs");
	long tmp = ms_member_offset(t, "pipe_inode_info", "tmp_page");
	long bsize = ms_struct_size(t, "pipe_buffer");
	long b_page = ms_member_offset(t, "pipe_buffer", "page");
	long b_len = ms_member_offset(t, "pipe_buffer", "len");
	long b_ops = ms_member_offset(t, "pipe_buffer", "ops");
	uint64_t anon_ops = 0, b, tp = 0;
	uint32_t h, tl, rs;
	struct ms_error *err;

	pp->addr = addr;
	/* 5.5+ ring (head/tail/ring_size); before, nrbufs/curbuf/buffers. */
	if (head < 0 || tail < 0 || ring < 0 || bufs < 0 || bsize <= 0 || bsize > MAX_BUF_SIZE ||
	    b_page < 0 || b_len < 0 || b_ops < 0)
		return ms_error_create(MS_ERR_UNSUPPORTED, "no layout of pipe_inode_info.head/tail/"
				       "ring_size/bufs and pipe_buffer (a kernel before 5.5?)");
	if (ms_has_symbol(t, "anon_pipe_buf_ops"))
		ms_error_ignore(ms_symbol(t, "anon_pipe_buf_ops", &anon_ops));
	if ((err = ms_read_u32(t, addr + (uint64_t)head, &h)) ||
	    (err = ms_read_u32(t, addr + (uint64_t)tail, &tl)) ||
	    (err = ms_read_u32(t, addr + (uint64_t)ring, &rs)) ||
	    (err = ms_read_ptr(t, addr + (uint64_t)bufs, &b)) ||
	    (tmp >= 0 && (err = ms_read_ptr(t, addr + (uint64_t)tmp, &tp))))
		return ms_error_wrap(err, "pipe %#llx", (unsigned long long)addr);
	pp->head = h;
	pp->tail = tl;
	pp->ring_size = rs;
	pp->tmp_page = tp != 0;
	if (tp && sink)
		sink(arg, tp);
	/* pipe_resize_ring() keeps ring_size a power of two, and pipe_occupancy()
	 * (head - tail, unsigned) at most ring_size. */
	if (!rs || rs > MS_PIPE_MAX_SLOTS || (rs & (rs - 1)) || h - tl > rs || !b)
		return ms_error_at(MS_ERR_CORRUPT, addr, "pipe %#llx: ring_size %u, head %u, "
				   "tail %u, bufs %#llx make no ring", (unsigned long long)addr, rs,
				   h, tl, (unsigned long long)b);
	for (uint32_t i = tl; i != h; i++) {
		uint8_t raw[MAX_BUF_SIZE];
		uint64_t slot = b + (uint64_t)(i & (rs - 1)) * (uint64_t)bsize;
		uint64_t page, ops;

		if ((err = ms_read(t, slot, raw, (size_t)bsize)))
			return ms_error_wrap(err, "pipe %#llx: slot %u", (unsigned long long)addr,
					     i & (rs - 1));
		page = ms_get_ptr(t, raw, b_page);
		ops = ms_get_ptr(t, raw, b_ops);
		pp->bytes += ms_get_uint(t, raw, b_len, 4);
		if (!page)
			continue;
		if (!anon_ops || ops == anon_ops) {
			pp->pages++;
			if (sink)
				sink(arg, page);
		} else
			pp->spliced++;
	}
	return NULL;
}

struct ms_error *ms_pipe_read_ring(struct ms_target *t, uint64_t addr, struct ms_pipe *pp)
{
	return ms_pipe_ring_pages(t, addr, pp, NULL, NULL);
}

static void fail(struct ms_pipes *p, bool quiet, struct ms_target *t, struct ms_error *err,
		 const char *fmt, long long a)
{
	char what[64];

	snprintf(what, sizeof(what), fmt, a);
	if (p->complete)
		snprintf(p->why, sizeof(p->why), "%s: %s", what, ms_error_string(err));
	p->complete = false;
	if (quiet)
		ms_error_destroy(err);
	else
		ms_warn_error(t, err, "%s", what);
}

struct ms_error *ms_pipes_read(struct ms_target *t, const struct ms_tasks *ts, bool quiet,
			       struct ms_pipes *p)
{
	return ms_pipes_read_pages(t, ts, quiet, p, NULL, NULL);
}

struct ms_error *ms_pipes_read_pages(struct ms_target *t, const struct ms_tasks *ts, bool quiet,
				     struct ms_pipes *p, void (*sink)(void *arg, uint64_t page),
				     void *arg)
{
	struct collect c = { .ts = ts };
	struct ms_error *err;

	memset(p, 0, sizeof(*p));
	p->complete = ts->complete;
	if (!ts->complete)
		snprintf(p->why, sizeof(p->why), "the process list was cut short");
	c.i_pipe = ms_member_offset(t, "inode", "i_pipe");
	if (c.i_pipe < 0)
		return ms_error_create(MS_ERR_LOOKUP, "no layout of inode.i_pipe");
	for (size_t i = 0; i < ts->nr; i++) {
		bool complete;
		char why[96];

		c.task = i;
		err = ms_task_files(t, ts->v[i].addr, on_file, &c, &complete, why, sizeof(why));
		if (err == &ms_error_nomem) {
			free(c.v);
			return err;
		}
		if (err)
			fail(p, quiet, t, err, "pid %lld: open files", ts->v[i].pid);
		else if (!complete)
			fail(p, quiet, t, ms_error_create(MS_ERR_FAULT, "%s", why),
			     "pid %lld: open files", ts->v[i].pid);
	}
	if (c.nr)
		qsort(c.v, c.nr, sizeof(*c.v), by_pipe);
	p->v = calloc(c.nr ? c.nr : 1, sizeof(*p->v));
	p->holders = calloc(c.nr ? c.nr : 1, sizeof(*p->holders));
	if (!p->v || !p->holders) {
		free(c.v);
		ms_pipes_free(p);
		return &ms_error_nomem;
	}
	for (size_t i = 0; i < c.nr; i++) {
		const struct ms_task *task = &ts->v[c.v[i].task];
		struct ms_pipe *pp;
		struct ms_pipe_holder *h;

		if (!i || c.v[i].pipe != c.v[i - 1].pipe) {
			pp = &p->v[p->nr++];
			pp->inode = c.v[i].inode;
			pp->ino = c.v[i].ino;
			pp->first_holder = p->nr_holders;
			pp->complete = true;
			err = ms_pipe_ring_pages(t, c.v[i].pipe, pp, sink, arg);
			if (err) {
				pp->complete = false;
				snprintf(pp->why, sizeof(pp->why), "%s", ms_error_string(err));
				fail(p, quiet, t, err, "pipe inode %lld", (long long)pp->ino);
			}
			p->pages += pp->pages + (pp->tmp_page ? 1 : 0);
			p->bytes += pp->bytes;
		}
		pp = &p->v[p->nr - 1];
		if (pp->nr_holders && p->holders[p->nr_holders - 1].task == c.v[i].task) {
			p->holders[p->nr_holders - 1].nr_fds++;
			continue;
		}
		h = &p->holders[p->nr_holders++];
		h->pipe = p->nr - 1;
		h->task = c.v[i].task;
		h->pid = task->tgid;
		memcpy(h->comm, task->comm, sizeof(h->comm));
		h->nr_fds = 1;
		pp->nr_holders++;
	}
	free(c.v);
	return NULL;
}

void ms_pipes_free(struct ms_pipes *p)
{
	free(p->v);
	free(p->holders);
	memset(p, 0, sizeof(*p));
}
