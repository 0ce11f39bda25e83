/*
 * snapshot.h - everything the comparison of two dumps needs from one dump,
 * as one JSON document (format "memscope-snapshot", version 1):
 *
 *   identity   release, version, nodename, machine, page_size
 *   meminfo    every /proc/meminfo line, kB
 *   used       total_kb, free_kb, used_kb and categories{name: kB} that add up
 *              to used_kb exactly ("unaccounted" is what no counter explains;
 *              the names are memcat.h's keys)
 *   nodes      [{node, zones: [{zone, managed_kb, free_kb}]}]
 *   slab       {caches: [{name, kb, num_objs, active_objs, objsize}], no_cache_kb}
 *   commands   [{comm, processes, threads, anon_kb, file_kb, shmem_kb,
 *                pgtables_kb, kstack_kb}]
 *   processes  the largest processes: [{pid, comm, anon_kb, file_kb, shmem_kb, pgtables_kb}]
 *   tmpfs      [{dev, mount, used_kb}]
 *   boot       {boot_id, kernel_offset}, each when known (snapshot_boot.c)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_SNAPSHOT_H
#define MEMSCOPE_SNAPSHOT_H

#include <jansson.h>
#include "target.h"

#define MS_SNAPSHOT_FORMAT "memscope-snapshot"
#define MS_SNAPSHOT_VERSION 1

/* Build the snapshot of the dump behind t into *snap: NULL (a section that
 * cannot be read is left out, with a warning), or the error that left nothing
 * to snapshot (no kernel facts, no memory). */
struct ms_error *ms_snapshot_build(struct ms_target *t, json_t **snap);

/* The "boot" section of the dump behind t into snap (snapshot_boot.c). */
void ms_snapshot_boot(struct ms_target *t, json_t *snap);

/* The largest number a snapshot may hold (kB, or a count): 1 PiB. */
#define MS_SNAPSHOT_MAX ((json_int_t)1 << 40)

/* Every known value of snap of its type and in range (snapshot_schema.c):
 * NULL, or MS_ERR_CORRUPT naming the first that is not. */
struct ms_error *ms_snapshot_check_schema(json_t *snap);

/* Check a snapshot read from a file: NULL, or MS_ERR_CORRUPT (MS_ERR_UNSUPPORTED
 * for another version) saying what is wrong. */
struct ms_error *ms_snapshot_validate(json_t *snap);
/* Load and validate a snapshot file into *snap (a new reference): NULL, or
 * MS_ERR_IO (cannot open), MS_ERR_CORRUPT (not JSON, a key given twice, not
 * a snapshot), MS_ERR_NOMEM; *snap is NULL then. */
struct ms_error *ms_snapshot_load(const char *path, json_t **snap);

#endif
