/*
 * uncounted.h - memory that no /proc/meminfo counter includes, read from the
 * structures of the kernel code that holds it: one table entry a consumer
 * (pipe buffers, socket buffers, dma-bufs, balloon and zsmalloc pages, and
 * what other analyses add: upper page tables, dying memcgs).  meminfo's USED
 * breakdown shows them as parts of "no counter accounts for"; what is left
 * after them stays unexplained.
 *
 * Adding a consumer: a function of type ms_unc_read_fn in its own file, and
 * one line in ms_unc_sources[] (uncounted.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_UNCOUNTED_H
#define MEMSCOPE_UNCOUNTED_H

#include "tasks.h"

#define MS_UNC_WHY_LEN 160
#define MS_UNC_HOLDERS 8		/* holders kept an entry: the largest */

enum ms_unc_state {
	MS_UNC_OK,		/* pages is what the kernel holds */
	MS_UNC_PARTIAL,		/* pages is a lower bound: why says what was not read */
	MS_UNC_ABSENT,		/* not in this kernel, or not loaded: why says which (0 pages) */
	MS_UNC_UNKNOWN,		/* present, but could not be read: why (0 pages counted) */
};

struct ms_unc_holder {
	char name[40];		/* a command, an exporter, a module */
	int32_t pid;		/* a process (its first one for a command), or -1 */
	unsigned int nr;	/* processes of that command, buffers of that exporter */
	uint64_t pages;
};

struct ms_unc_item {
	const char *key;	/* JSON key: "pipes" */
	const char *name;	/* "pipe buffers" */
	const char *source;	/* where the number comes from: "pipe_inode_info.bufs" */
	enum ms_unc_state state;
	int64_t pages;
	bool bound;		/* an upper bound of the uncounted part (some of it may be in
				 * a counter): the remainder is never claimed past USED - sum */
	char why[MS_UNC_WHY_LEN];
	size_t nr_holders;
	struct ms_unc_holder holder[MS_UNC_HOLDERS];
};

/* What the consumers share while they are read: the process list, read once
 * on first use by any of them. */
struct ms_unc_ctx {
	struct ms_target *t;
	bool tasks_tried;
	struct ms_error *tasks_err;	/* why there is no process list */
	struct ms_tasks tasks;
};

/* The process list of the read (read on first call): NULL, or why not. */
struct ms_error *ms_unc_tasks(struct ms_unc_ctx *c, const struct ms_tasks **ts);

/*
 * A consumer: fill it->pages, it->state (MS_UNC_OK on entry) and, when it
 * has holders, it->holder[] (ms_unc_add_holder()).  An error return makes
 * the entry MS_UNC_ABSENT when it is MS_ERR_LOOKUP or MS_ERR_UNSUPPORTED (the
 * structures are not in this kernel), else MS_UNC_UNKNOWN, with the error's
 * text as why.
 */
typedef struct ms_error *(*ms_unc_read_fn)(struct ms_unc_ctx *c, struct ms_unc_item *it);

struct ms_unc_source {
	const char *key, *name, *source;
	bool bound;
	ms_unc_read_fn read;
};

extern const struct ms_unc_source ms_unc_sources[];
extern const size_t ms_unc_nr_sources;

struct ms_uncounted {
	size_t nr;
	struct ms_unc_item *item;	/* one per ms_unc_sources[] entry, in that order */
	int64_t explained;		/* sum of the entries' pages (bounds clamped, see below) */
	int64_t remainder;		/* USED - sum of the counters (ms_mi_breakdown.unaccounted) */
	int64_t unexplained;		/* remainder - explained */
	bool complete;			/* every entry MS_UNC_OK or MS_UNC_ABSENT */
};

/* Every consumer of ms_unc_sources[]: NULL, or MS_ERR_NOMEM (an entry that
 * cannot be read is data: its state and why). */
struct ms_error *ms_uncounted_read(struct ms_target *t, struct ms_uncounted *u);
/* The same with the caller's table (unit tests). */
struct ms_error *ms_uncounted_read_from(struct ms_target *t, const struct ms_unc_source *src,
					size_t nr, struct ms_uncounted *u);
/*
 * Split remainder (pages no counter accounts for) into the entries:
 * explained is the sum of the exact entries, plus the bounds as far as they
 * fit in what is left (never below 0); unexplained = remainder - explained.
 */
void ms_uncounted_split(struct ms_uncounted *u, int64_t remainder);
void ms_uncounted_free(struct ms_uncounted *u);

/* Add pages to holder name/pid of it: the MS_UNC_HOLDERS largest are kept. */
void ms_unc_add_holder(struct ms_unc_item *it, const char *name, int32_t pid, unsigned int nr,
		       uint64_t pages);

/* The consumers of this tree, each in its own file. */
struct ms_error *ms_unc_pipes(struct ms_unc_ctx *c, struct ms_unc_item *it);
struct ms_error *ms_unc_sockets(struct ms_unc_ctx *c, struct ms_unc_item *it);
struct ms_error *ms_unc_dmabuf(struct ms_unc_ctx *c, struct ms_unc_item *it);
struct ms_error *ms_unc_balloon(struct ms_unc_ctx *c, struct ms_unc_item *it);
struct ms_error *ms_unc_zsmalloc(struct ms_unc_ctx *c, struct ms_unc_item *it);
/* The PGD, P4D and PUD pages NR_PAGETABLE leaves out (pgtable_upper_unc.c). */
struct ms_error *ms_unc_pgtables_upper(struct ms_unc_ctx *c, struct ms_unc_item *it);

#endif
