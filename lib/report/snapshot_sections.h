/*
 * snapshot_sections.h - the snapshot sections that come from other analyses
 * (meminfo and USED categories, slab caches, tmpfs), each in its own file.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_SNAPSHOT_SECTIONS_H
#define MEMSCOPE_SNAPSHOT_SECTIONS_H

#include <jansson.h>
#include "target.h"

/* "meminfo" and "used" (categories adding up to used_kb). */
void ms_snapshot_meminfo(struct ms_target *t, json_t *snap);
/* "slab": {caches, no_cache_kb}. */
void ms_snapshot_slab(struct ms_target *t, json_t *snap);
/* "tmpfs": [{dev, mount, used_kb}]. */
void ms_snapshot_tmpfs(struct ms_target *t, json_t *snap);

/* "vmalloc": {callers: [{caller, module, areas, kb, stack}], complete}. */
void ms_snapshot_vmalloc(struct ms_target *t, json_t *snap);

/* "page_owner" (page_owner=on only): {no_owner_kb, owned_kb, stacks: [{kb,
 * module, frames}]}, the top stacks of the pages with no owner type. */
void ms_snapshot_page_owner(struct ms_target *t, json_t *snap);

#endif
