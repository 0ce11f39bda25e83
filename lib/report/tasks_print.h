/*
 * tasks_print.h - the tasks command's output: one line a thread, or groups
 * of them ("999 × sh, state D, in path_openat, 1.6 MiB each"), the kernel
 * stacks of chosen tasks, and the JSON of all three.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_TASKS_PRINT_H
#define MEMSCOPE_TASKS_PRINT_H

#include <stdio.h>

#include <jansson.h>

#include "taskview.h"

/* What -g groups by, in the order given. */
enum ms_task_key { MS_TKEY_STATE, MS_TKEY_COMM, MS_TKEY_WCHAN, MS_TKEY_PARENT, MS_TKEY_CGROUP,
		   MS_TKEY_UID, MS_NR_TKEYS };

#define MS_TASKS_MAX_CHOSEN 32

struct ms_tasks_print_opts {
	bool pages;			/* -p */
	unsigned int nr_keys;		/* -g KEYS: 0 lists every task */
	enum ms_task_key keys[MS_NR_TKEYS];
	const char *stacks;		/* -s PID|COMM[,...]: whose stacks, or NULL */
};

/* -g's argument: "state,comm,wchan" (also "command"); MS_ERR_USAGE naming the bad key. */
struct ms_error *ms_tasks_parse_keys(const char *arg, struct ms_tasks_print_opts *o);
const char *ms_task_key_name(enum ms_task_key k);

/* A group of rows with the same values of the keys. */
struct ms_task_group {
	size_t first;			/* a row of it, for the key values */
	size_t count;
	uint64_t mem;			/* bytes: ms_taskrow_mem() of its tasks */
	uint64_t min_each, max_each;	/* one task's share, to say "each" or "about" */
};

struct ms_task_groups {
	size_t nr;
	struct ms_task_group *v;	/* largest first */
};

/* Group v's rows by o's keys: NULL or MS_ERR_NOMEM. */
struct ms_error *ms_tasks_group(const struct ms_taskview *v, const struct ms_tasks_print_opts *o,
				struct ms_task_groups *g);
void ms_task_groups_free(struct ms_task_groups *g);
/* "999 × sh, state D, in path_openat, 1.6 MiB each" (no count if with_count is false). */
void ms_task_group_text(const struct ms_taskview *v, const struct ms_tasks_print_opts *o,
			const struct ms_task_group *gr, char *buf, size_t len);
/* What one task holds alone, in bytes: its process's anon memory and page
 * tables (with the leader), its kernel stack. */
uint64_t ms_taskrow_mem(const struct ms_taskview *v, const struct ms_taskrow *r);

void ms_tasks_print(FILE *out, const struct ms_taskview *v, const struct ms_tasks_print_opts *o,
		    const struct ms_task_groups *g);
json_t *ms_tasks_json(const struct ms_taskview *v, const struct ms_tasks_print_opts *o,
		      const struct ms_task_groups *g);

/* Does row r match one of -s's PIDs or comms? */
bool ms_tasks_chosen(const struct ms_taskrow *r, const char *list);

#endif
