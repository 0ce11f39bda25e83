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

struct ms_memcg_view {
	bool tree;		/* -t: indented by depth, with sizes */
	bool sort;		/* -s: by usage, largest first */
	bool pages;		/* -p: pages instead of human units */
	bool all;		/* -a: the dying cgroups in the table too */
	bool stat;		/* -m: each cgroup's memory.stat and memory.events */
	const char *path;	/* -c PATH: that subtree only, or NULL */
};

void ms_memcg_print(FILE *out, const struct ms_memcg_tree *tree, unsigned int page_shift,
		    const struct ms_memcg_view *v);
json_t *ms_memcg_json(const struct ms_memcg_tree *tree, unsigned int page_shift,
		      const struct ms_memcg_view *v);

#endif
