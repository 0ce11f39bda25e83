/*
 * memscope_ext.h - glue shared by the crash extension's files.
 * Include after crash's defs.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_EXT_H
#define MEMSCOPE_EXT_H

#include <jansson.h>

#include "target.h"

/* The session's target, with its warnings going to crash's current fp. */
struct ms_target *ms_crash_target(void);
void ms_crash_target_fini(void);

/* crash's answers to type and symbol questions, for targets on other dumps. */
const struct ms_target_ops *ms_crash_ops(void);

/* Another dump of the same kernel build, opened with libkdumpfile (memdiff). */
struct second_dump;
struct second_dump *ms_second_dump_open(const char *path, char *err, size_t errlen);
struct ms_target *ms_second_dump_target(struct second_dump *s);
void ms_second_dump_close(struct second_dump *s);

/* Remove "--json" from crash's args[] (crash's getopt has no long options). */
int ms_take_json_flag(void);
/* Write a JSON document to crash's fp, and drop it. */
void ms_json_out(json_t *j);

/* One crash command: its handler and crash-format help (NAME, summary, SYNOPSIS, body). */
#define MS_COMMAND(name) \
	void cmd_##name(void); \
	extern char *help_##name[]

/* One line per command, kept in the order of memscope.c's table. */

#endif
