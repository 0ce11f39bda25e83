/*
 * crash_btf.h - the dumped kernel's own BTF, read through crash, to answer
 * the target's type questions without gdb.  Include after crash's defs.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_CRASH_BTF_H
#define MEMSCOPE_CRASH_BTF_H

#include "btf_types.h"

/* The session's BTF, read at the first question; NULL where the kernel has
 * none (no CONFIG_DEBUG_INFO_BTF), it cannot be read or parsed, or
 * MEMSCOPE_TYPES=gdb asks for gdb's answers: the questions then go to gdb. */
struct ms_btf *ms_crash_btf(void);

void ms_crash_btf_fini(void);

#endif
