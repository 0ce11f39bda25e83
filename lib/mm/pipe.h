/*
 * pipe.h - pipe buffers: every pipe reachable from a process's open files
 * (file->f_inode->i_pipe, a struct pipe_inode_info), with the pages its ring
 * holds and the processes that hold it open.  The owner of pipe_inode_info
 * and pipe_buffer.
 *
 * A pipe's pages come from alloc_page(GFP_HIGHUSER | __GFP_ACCOUNT) in
 * pipe_write() (fs/pipe.c): no /proc/meminfo counter includes them.  Pages a
 * splice put into a pipe (page cache, another pipe's page) are counted where
 * they belong and are shown apart.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_PIPE_H
#define MEMSCOPE_PIPE_H

#include "tasks.h"

/* A ring larger than pipe-max-size's ceiling is corrupt (fs/pipe.c,
 * round_pipe_size(): at most 1 << 31 bytes; a page a slot). */
#define MS_PIPE_MAX_SLOTS (1u << 19)
#define MS_PIPE_WHY_LEN 160

struct ms_pipe {
	uint64_t addr;			/* struct pipe_inode_info */
	uint64_t inode;			/* the inode it was reached from */
	uint64_t ino;			/* its i_ino, as fstat() and /proc/PID/fd show it */
	unsigned int head, tail, ring_size;
	uint64_t bytes;			/* sum of the occupied slots' len */
	uint64_t pages;			/* occupied slots with a page of pipe_write()'s own */
	uint64_t spliced;		/* occupied slots with another owner's page */
	bool tmp_page;			/* pipe->tmp_page: a spare page kept for the next write */
	bool complete;			/* the ring was read */
	char why[MS_PIPE_WHY_LEN];	/* !complete: the cause */
	size_t nr_holders;		/* processes with a descriptor on it */
	size_t first_holder;		/* index of its first holder in ms_pipes.holders */
};

struct ms_pipe_holder {
	size_t pipe;			/* index in ms_pipes.v */
	size_t task;			/* index in the tasks read */
	int32_t pid;
	char comm[MS_TASK_COMM_LEN + 1];
	unsigned int nr_fds;		/* its descriptors on the pipe */
};

struct ms_pipes {
	size_t nr;
	struct ms_pipe *v;		/* ordered by pipe_inode_info address */
	size_t nr_holders;
	struct ms_pipe_holder *holders;	/* grouped by pipe, in process order */
	uint64_t pages;			/* pipes' own pages, each pipe once, with tmp pages */
	uint64_t bytes;
	bool complete;			/* every process's files and every ring read */
	char why[MS_PIPE_WHY_LEN];	/* !complete: the first cause */
};

/* Every pipe of every process of ts: NULL (p->complete says whether all was
 * read; the causes go to t->errf unless quiet), or the error that leaves no
 * answer (no layout, no memory).  p is empty on error. */
struct ms_error *ms_pipes_read(struct ms_target *t, const struct ms_tasks *ts, bool quiet,
			       struct ms_pipes *p);
/* The same walk, telling sink the struct page address of each page the pipes
 * own (ms_pipe_ring_pages()), each pipe once; sink may be NULL. */
struct ms_error *ms_pipes_read_pages(struct ms_target *t, const struct ms_tasks *ts, bool quiet,
				     struct ms_pipes *p, void (*sink)(void *arg, uint64_t page),
				     void *arg);
void ms_pipes_free(struct ms_pipes *p);

/* One pipe's ring (pipe_inode_info at addr) into pp: NULL, or why it cannot be
 * read or makes no sense (a ring larger than MS_PIPE_MAX_SLOTS, not a power
 * of two, more occupied slots than it has). */
struct ms_error *ms_pipe_read_ring(struct ms_target *t, uint64_t addr, struct ms_pipe *pp);
/* The same read, telling sink the struct page address of each page the pipe
 * owns (its slots' pipe_write() pages, and tmp_page); sink may be NULL. */
struct ms_error *ms_pipe_ring_pages(struct ms_target *t, uint64_t addr, struct ms_pipe *pp,
				    void (*sink)(void *arg, uint64_t page), void *arg);

#endif
