/*
 * snapshot_oom.h - the snapshot's kernel-log keys and their diff:
 *
 *   log         {format, first_seq, next_seq, last_ts_nsec}: the range of the
 *               dump's kernel log
 *   oom_events  [{kind, seq, ts_nsec, comm, pid, order, gfp_mask, gfp_names,
 *                 killed_pid, killed_comm, missing}]: oomreport's events
 *
 * and memdiff's "oom_events": the events of AFTER's log that BEFORE's log had
 * not reached (seq >= BEFORE's next_seq).  Optional keys: a snapshot without
 * them (older, or an unreadable log) has no such list.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_SNAPSHOT_OOM_H
#define MEMSCOPE_SNAPSHOT_OOM_H

#include <jansson.h>
#include <stdio.h>

#include "target.h"

/* Add "log" and "oom_events" to snap; a log that cannot be read is warned about
 * and the keys left out. */
void ms_snapshot_oom(struct ms_target *t, json_t *snap);

/* {"from_seq", "to_seq", "events": [...], "note"} or JSON null when either side
 * has no "log". */
json_t *ms_snapdiff_oom(json_t *before, json_t *after);
/* The text: nothing when there is no event and no note. */
void ms_snapdiff_oom_print(FILE *out, json_t *diff);

#endif
