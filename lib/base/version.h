/*
 * version.h - the dumped kernel's release as a number, for the few layout
 * changes no type or symbol name reveals (a line added to a /proc file).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_VERSION_H
#define MEMSCOPE_VERSION_H

#include "target.h"

#define MS_KV(a, b, c) (((a) << 16) + ((b) << 8) + (c))

/* KERNEL_VERSION of init_uts_ns.name.release ("6.12.117+deb12-..."), 0 if unreadable. */
unsigned int ms_kernel_version(struct ms_target *t);

#endif
