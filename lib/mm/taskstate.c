/*
 * taskstate.c - task_state_index() / task_index_to_char() per kernel era
 * (include/linux/sched.h; fs/proc/array.c's task_state_array[] says the same
 * letters).  The TASK_* values are #defines, absent from the type
 * information: each era's table below is copied from its sched.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "taskstate.h"
#include "version.h"

/*
 * 4.14 ("sched/debug: Add explicit TASK_IDLE printing") to 6.x: TASK_RUNNING 0,
 * INTERRUPTIBLE 0x1, UNINTERRUPTIBLE 0x2, __TASK_STOPPED 0x4, __TASK_TRACED 0x8,
 * EXIT_DEAD 0x10, EXIT_ZOMBIE 0x20, TASK_PARKED 0x40 (TASK_REPORT = 0x7f),
 * TASK_DEAD 0x80, TASK_WAKEKILL 0x100, TASK_WAKING 0x200, TASK_NOLOAD 0x400;
 * TASK_REPORT_IDLE = TASK_REPORT + 1.  5.15 adds TASK_RTLOCK_WAIT 0x1000,
 * 6.1 TASK_FROZEN 0x8000 (the freezer rewrite), both reported as D.
 */
#define ERA_4_14(n, rt, fz) {						\
	.name = n, .report = 0x7f, .idle = 0x2 | 0x400, .report_idle = 0x80,	\
	.uninterruptible = 0x2, .rtlock_wait = rt, .frozen = fz, .waking = 0x200,	\
	.letters = "RSDTtXZPI" }

const struct ms_taskstate_era ms_taskstate_6_1 = ERA_4_14("6.1+", 0x1000, 0x8000);
const struct ms_taskstate_era ms_taskstate_5_15 = ERA_4_14("5.15+", 0x1000, 0);
const struct ms_taskstate_era ms_taskstate_4_14 = ERA_4_14("4.14+", 0, 0);

const struct ms_taskstate_era *ms_taskstate_era_of(unsigned int version)
{
	if (version >= MS_KV(6, 1, 0))
		return &ms_taskstate_6_1;
	if (version >= MS_KV(5, 15, 0))
		return &ms_taskstate_5_15;
	if (version >= MS_KV(4, 14, 0))
		return &ms_taskstate_4_14;
	return NULL;
}

static unsigned int fls32(unsigned int x)
{
	unsigned int n = 0;

	while (x) {
		n++;
		x >>= 1;
	}
	return n;
}

/* __task_state_index() (6.1, 6.12: the same body). */
unsigned int ms_task_state_index(const struct ms_taskstate_era *era, unsigned int state,
				 unsigned int exit_state)
{
	unsigned int s = (state | exit_state) & era->report;

	if ((state & era->idle) == era->idle)
		s = era->report_idle;
	if ((era->rtlock_wait && (state & era->rtlock_wait)) ||
	    (era->frozen && (state & era->frozen)))
		s = era->uninterruptible;
	return fls32(s);
}

char ms_task_state_char(const struct ms_taskstate_era *era, unsigned int state,
			unsigned int exit_state)
{
	unsigned int i = ms_task_state_index(era, state, exit_state);
	unsigned int n = 0;

	while (era->letters[n])
		n++;
	return i < n ? era->letters[i] : '?';
}
