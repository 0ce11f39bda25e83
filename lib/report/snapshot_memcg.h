/*
 * snapshot_memcg.h - the snapshot's "memcgs" key and the diff's cgroups that
 * grew (snapshot_memcg.c): each cgroup's usage and main memory.stat rows,
 * the dying cgroups' total, the cgroups ranked by growth, and the cause
 * sentence naming the one that holds most of the growth.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_SNAPSHOT_MEMCG_H
#define MEMSCOPE_SNAPSHOT_MEMCG_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "target.h"

/* "memcgs": {version, cgroups: [{path, online, usage_kb, anon_kb, file_kb,
 * shmem_kb, kernel_kb, slab_kb}], dying: {count, usage_kb, file_kb,
 * shmem_kb}}; left out (a warning) if the tree cannot be read, and when the
 * kernel has no memory cgroups. */
void ms_snapshot_memcgs(struct ms_target *t, json_t *snap);

/* "memcgs_grown": {known, dying_delta_kb, dying_count_delta, cgroups: [{path,
 * growth_kb, anon_kb, file_kb, shmem_kb, kernel_kb, slab_kb, text}]} of the
 * online cgroups (root left out) whose usage grew from b to a, largest first. */
json_t *ms_snapdiff_memcgs(json_t *b, json_t *a);

/* Append to d's main_cause text the cgroup holding at least half of the USED
 * growth ("cgroup /batch/job1 grew 40.0 MiB, anon"), or the dying cgroups
 * when they do ("tmpfs pages charged to 30 deleted cgroups: 30.0 MiB"). */
void ms_snapdiff_memcg_cause(json_t *d);

void ms_snapdiff_print_memcgs(FILE *out, json_t *d, bool pages, long long page_kb);

#endif
