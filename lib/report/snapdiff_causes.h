/*
 * snapdiff_causes.h - the diff's causes: the categories' growth grouped into
 * what made it (a process storm, a command, a tmpfs mount, a slab cache,
 * pages with no owner, ...), ranked, and how much of the USED growth they
 * explain.
 *
 * Each cause claims its parts from the categories' growth (claim()), so no
 * two causes count one kilobyte, no cause claims more than its categories
 * grew, and together they never claim more than the categories that grew.
 * A cause kind is one entry of the table in snapdiff_causes.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_SNAPDIFF_CAUSES_H
#define MEMSCOPE_SNAPDIFF_CAUSES_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

struct ms_snapshot;

/*
 * "causes": {causes: [{kind, name, text, kb, share, parts: {category: kb}}],
 * growth_kb, explained_kb, not_explained_kb, not_explained_share,
 * not_explained: [{category, label, kb}], node (or null), node_share} of the
 * diff d (its categories, used, zones and tasks_appeared already in) between
 * snapshots b and a.  NULL only when memory runs out.
 */
json_t *ms_snapdiff_causes(json_t *d, const struct ms_snapshot *b, const struct ms_snapshot *a);

/* Bound each row of d's "commands" so that none claims more than it can be
 * part of: its delta_kb (anon, unsynced anon, page tables, kernel stacks) is
 * at most what those categories grew, each part at most its own category's
 * growth (RssAnon counts a copy-on-write page in every process that maps it;
 * VmPTE counts PUD pages that 6.1's PageTables does not), and at most the USED
 * growth; the counters' own sum stays as delta_rss_own_kb. */
void ms_snapdiff_bound_commands(json_t *d);

/* The main cause sentence from d's causes, into buf: false when there is no
 * cause (USED did not grow, or nothing was named). */
bool ms_snapdiff_causes_sentence(json_t *d, char *buf, size_t len);

/* The "Causes" section of the text report. */
void ms_snapdiff_causes_print(FILE *out, json_t *d, bool pages, long long page_kb);

#endif
