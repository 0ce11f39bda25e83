/*
 * snapshot_tasks.h - the snapshot's "task_states" key and the diff's "tasks
 * that appeared" section: every thread's pid, comm, state letter, wchan and
 * memory (as tasks -g counts it), and the threads of the later dump that the
 * earlier one did not have, grouped by comm, state and wchan.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_SNAPSHOT_TASKS_H
#define MEMSCOPE_SNAPSHOT_TASKS_H

#include <stdio.h>

#include <jansson.h>

#include "target.h"

/* "task_states": [{pid, tgid, comm, state, wchan, mem_kb}]; left out, with a
 * warning, if the tasks cannot be read. */
void ms_snapshot_task_states(struct ms_target *t, json_t *snap);

/* "tasks_appeared": {known, count, mem_kb, groups: [{count, comm, state, wchan,
 * mem_kb, text}]} of the threads in a but not in b (same pid and comm);
 * known is false when either snapshot lacks task_states. */
json_t *ms_snapdiff_tasks_appeared(json_t *b, json_t *a);

/* Append to the cause sentence (d's main_cause.text) the storm, when one group
 * of the tasks that appeared holds at least half of the USED growth. */
void ms_snapdiff_storm_cause(json_t *d);

void ms_snapdiff_print_tasks(FILE *out, json_t *d, bool pages, long long page_kb);

#endif
