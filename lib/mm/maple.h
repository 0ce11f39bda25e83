/*
 * maple.h - a bounded, cycle-safe walk of a kernel maple tree (6.1+), the
 * tree that holds an mm's VMAs (mm->mm_mt) since 6.1.
 *
 * maple.c is the one owner of struct maple_tree, maple_node,
 * maple_range_64, maple_arange_64 and the encoded node pointer.  The walk
 * visits every entry in index order with the range it covers, like
 * mt_for_each(); a node that cannot be read or makes no sense (an unknown
 * type, pivots out of order or outside the node's range, a node met twice,
 * a tree deeper than MAPLE_HEIGHT_MAX) is skipped with its subtree, the
 * walk goes on with the next one, and the first such problem is returned
 * as the cause of a partial answer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_MAPLE_H
#define MEMSCOPE_MAPLE_H

#include "target.h"

/* One entry of the tree: it covers indexes first..last. NULL goes on; an
 * error stops the walk (r->stopped) and ms_maple_walk() returns it. */
typedef struct ms_error *(*ms_maple_fn)(struct ms_target *t, uint64_t first, uint64_t last,
					uint64_t entry, void *arg);

struct ms_maple_result {
	uint64_t nodes;		/* nodes read */
	uint64_t entries;	/* entries handed to fn */
	bool complete;		/* every node was read and made sense */
	bool stopped;		/* fn's error stopped the walk */
};

/*
 * Walk the maple tree whose struct maple_tree is at tree, handing at most
 * max_entries entries to fn: NULL when complete; else the first problem
 * (MS_ERR_CORRUPT, a read's MS_ERR_FAULT / MS_ERR_MISSING, MS_ERR_LOOKUP
 * when the layout is unknown) after walking all the rest it could, or fn's
 * own error.  The caller owns the error.
 */
struct ms_error *ms_maple_walk(struct ms_target *t, uint64_t tree, uint64_t max_entries,
			       ms_maple_fn fn, void *arg, struct ms_maple_result *r);

/* True when this kernel has maple trees (struct maple_tree in its types). */
bool ms_maple_supported(struct ms_target *t);

#endif
