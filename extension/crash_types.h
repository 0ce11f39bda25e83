/*
 * crash_types.h - the target's type questions (struct sizes, member offsets
 * and sizes, enumerators), answered by crash and its gdb.  Include after
 * crash's defs.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_CRASH_TYPES_H
#define MEMSCOPE_CRASH_TYPES_H

#include <stddef.h>

long ms_crash_struct_size(void *ctx, const char *name);
long ms_crash_member_offset(void *ctx, const char *sname, const char *member);
long ms_crash_member_size(void *ctx, const char *sname, const char *member);
int ms_crash_enum_value(void *ctx, const char *name, long *value);
int ms_crash_enum_type(void *ctx, const char *name, char *buf, size_t len);

/* Drop what was kept of the session's types (at the extension's unload). */
void ms_crash_types_fini(void);

#endif
