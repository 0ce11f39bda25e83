/*
 * memscope_ext.h - glue shared by the crash extension's files.
 * Include after crash's defs.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_EXT_H
#define MEMSCOPE_EXT_H

#include "target.h"

/* The session's target, with its warnings going to crash's current fp. */
struct ms_target *ms_crash_target(void);
void ms_crash_target_fini(void);

/* At extend: 1 if this crash may run this memscope.so (crashver.c), having
 * told out of another crash version and of any layout that differs. */
int ms_crashver_check(FILE *out);

/* crash's answers to type and symbol questions, for targets on other dumps. */
const struct ms_target_ops *ms_crash_ops(void);

#endif
