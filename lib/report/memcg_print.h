/*
 * memcg_print.h - the memory cgroup tree as a table, a tree, memory.stat
 * blocks and JSON (memcg_print.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_MEMCG_PRINT_H
#define MEMSCOPE_MEMCG_PRINT_H

#include <jansson.h>
#include <stdio.h>

#include "memcg.h"

/* A memcg OOM kill the kernel logged (lib/log/oomreport), tied to its cgroup. */
struct ms_memcg_logged {
	int pid;
	char comm[64];
	char memcg[256];		/* oom_memcg= of "oom-kill:" */
	uint64_t usage_kb, limit_kb;	/* "memory: usage ..kB, limit ..kB" */
	uint64_t ts_nsec;
};

struct ms_memcg_view {
	bool tree;		/* -t: indented by depth, with sizes */
	bool sort;		/* -s: by usage, largest first */
	bool pages;		/* -p: pages instead of human units */
	bool all;		/* -a: the dying cgroups in the table too */
	bool stat;		/* -m: each cgroup's memory.stat and memory.events */
	const char *path;	/* -c PATH: that subtree only, or NULL */
	size_t nr_logged;	/* the log's memcg OOM kills */
	const struct ms_memcg_logged *logged;
	bool log_read;		/* the log was read (else nothing is said of it) */
};

/* meminfo's note on the dying cgroups: how many, and what they still hold
 * (pages inside meminfo's categories, not beside them); nothing if none. */
void ms_memcg_print_dying_note(FILE *out, const struct ms_memcg_tree *tree, unsigned int page_shift,
			       bool as_pages);
/* The same as meminfo's summary.dying_memcgs (pages), or NULL if none. */
json_t *ms_memcg_dying_note_json(const struct ms_memcg_tree *tree);

void ms_memcg_print(FILE *out, const struct ms_memcg_tree *tree, unsigned int page_shift,
		    const struct ms_memcg_view *v);
json_t *ms_memcg_json(const struct ms_memcg_tree *tree, unsigned int page_shift,
		      const struct ms_memcg_view *v);

#endif
