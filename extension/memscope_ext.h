/*
 * memscope_ext.h - glue shared by the crash extension's files.
 * Include after crash's defs.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_EXT_H
#define MEMSCOPE_EXT_H

#include "../lib/target.h"

/* The session's target, with its warnings going to crash's current fp. */
struct ms_target *ms_crash_target(void);
void ms_crash_target_fini(void);

/* Remove "--json" from crash's args[] (crash's getopt has no long options). */
int ms_take_json_flag(void);

/* One crash command: its handler and crash-format help (NAME, summary, SYNOPSIS, body). */
#define MS_COMMAND(name) \
	void cmd_##name(void); \
	extern char *help_##name[]

/* One line per command, kept in the order of memscope.c's table. */
MS_COMMAND(buddyinfo);
MS_COMMAND(meminfo);
MS_COMMAND(oomscore);
MS_COMMAND(slabinfo);
MS_COMMAND(zoneinfo);

#endif
