/*
 * snapshot.h - everything the comparison of two dumps needs from one dump,
 * as one JSON document (format "memscope-snapshot", version 4):
 *
 *   format, version, schema_version   "memscope-snapshot", 4, 4
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
 *   page_owner {no_owner_kb, owned_kb, stacks: [{kb, module, frames}]}, with
 *              page_owner=on only (snapshot_page_owner.c)
 *   (and the sections of snapshot_sections.h, snapshot_tasks.h, ... below)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_SNAPSHOT_H
#define MEMSCOPE_SNAPSHOT_H

#include <jansson.h>
#include "snaprows.h"
#include "target.h"

#define MS_SNAPSHOT_FORMAT "memscope-snapshot"
/*
 * The version written, which is also the document's schema_version
 * (schemas/snapshot.schema.json).  Every version from MS_SNAPSHOT_OLDEST on is
 * read: ms_snapshot_validate() brings an older one to this one in place, one
 * step per version (snapshot.c's upgrades[]), and tests/fixtures/ holds
 * snapshots of each that every later memscope must read and diff.
 *   1  the first (no schema_version key)
 *   2  "schema_version" (= version), as every --json has it
 *   3  "pgtables_upper", "vmalloc", used.uncounted(_holders), commands'
 *      anon_unsynced_kb and the memcgs, each optional (an older snapshot has
 *      none; the diff leaves them out then)
 *   4  "page_owner", optional: the top allocation stacks of the pages with
 *      no owner type, where the kernel runs with page_owner=on
 */
#define MS_SNAPSHOT_VERSION 4
#define MS_SNAPSHOT_OLDEST 1

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

/* Check a snapshot read from a file, and bring a version older than
 * MS_SNAPSHOT_VERSION to it in place: NULL, or MS_ERR_CORRUPT
 * (MS_ERR_UNSUPPORTED for a version it does not read) saying what is wrong. */
struct ms_error *ms_snapshot_validate(json_t *snap);
/* Load and validate a snapshot file into *snap (a new reference): NULL, or
 * MS_ERR_IO (cannot open), MS_ERR_CORRUPT (not JSON, a key given twice, not
 * a snapshot), MS_ERR_NOMEM; *snap is NULL then. */
struct ms_error *ms_snapshot_load(const char *path, json_t **snap);

/*
 * A snapshot as the diff reads it: the document with its row sections
 * (commands, slab.caches, tmpfs) as compact tables.  Read from a file
 * (snapshot_read.c), the document holds every other section and the tables
 * hold the rows, which were checked one by one and never held as one JSON
 * tree; "processes", which the diff does not use, is checked and dropped.
 */
struct ms_snapshot {
	json_t *doc;
	struct ms_snaprows commands, caches, tmpfs;
};

/* s from a snapshot document (a new reference): the tables copied from its
 * arrays.  NULL or MS_ERR_NOMEM (s is empty then). */
struct ms_error *ms_snapshot_of_json(json_t *snap, struct ms_snapshot *s);
/* As ms_snapshot_load(), the large arrays read element by element into s. */
struct ms_error *ms_snapshot_read(const char *path, struct ms_snapshot *s);
/* The same from a buffer; name is what errors call it. */
struct ms_error *ms_snapshot_read_buf(const char *name, const char *buf, size_t len,
				      struct ms_snapshot *s);
void ms_snapshot_fini(struct ms_snapshot *s);

/* One element of the row section at key path where ({"slab", "caches", NULL})
 * checked against the schema, as ms_snapshot_check_schema() would: NULL or
 * MS_ERR_CORRUPT naming it ("slab.caches[3].kb is -5, ..."). */
struct ms_error *ms_snapshot_check_element(const char *const *where, size_t index, json_t *elem);

#endif
