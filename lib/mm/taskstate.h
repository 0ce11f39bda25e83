/*
 * taskstate.h - the state letter /proc/PID/stat prints for a task:
 * task_state_index() and task_index_to_char() of the dumped kernel's era
 * (include/linux/sched.h), from task->__state (5.14+) or task->state, and
 * task->exit_state.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_TASKSTATE_H
#define MEMSCOPE_TASKSTATE_H

#include <stdint.h>

#include "target.h"

/* The bits of one era.  They are #defines in the kernel, not in the type
 * information, so each era's values are written out with where they come from. */
struct ms_taskstate_era {
	const char *name;		/* "4.14+" */
	unsigned int report;		/* TASK_REPORT */
	unsigned int idle;		/* TASK_IDLE (UNINTERRUPTIBLE | NOLOAD) */
	unsigned int report_idle;	/* TASK_REPORT_IDLE, the 'I' bit */
	unsigned int uninterruptible;	/* TASK_UNINTERRUPTIBLE */
	unsigned int rtlock_wait;	/* TASK_RTLOCK_WAIT (5.15+), 0 before */
	unsigned int frozen;		/* TASK_FROZEN (6.1+), 0 before */
	unsigned int waking;		/* TASK_WAKING: get_wchan() does not unwind it */
	const char *letters;		/* task_index_to_char()'s state_char[] */
};

/* 6.1+ (TASK_FROZEN reads as D), 5.15 - 6.0 (TASK_RTLOCK_WAIT reads as D),
 * 4.14 - 5.14 (TASK_REPORT_IDLE gives 'I'). */
extern const struct ms_taskstate_era ms_taskstate_6_1, ms_taskstate_5_15, ms_taskstate_4_14;

/* The era of a kernel version (a << 16 | b << 8 | c); NULL before 4.14, whose
 * letters and bits this file does not model. */
const struct ms_taskstate_era *ms_taskstate_era_of(unsigned int version);

/* __task_state_index(): the index into era->letters. */
unsigned int ms_task_state_index(const struct ms_taskstate_era *era, unsigned int state,
				 unsigned int exit_state);
/* task_index_to_char() of that index: 'R', 'S', 'D', ... or '?' past the table. */
char ms_task_state_char(const struct ms_taskstate_era *era, unsigned int state,
			unsigned int exit_state);

#endif
