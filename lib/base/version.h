/*
 * version.h - the dumped kernel's identity: init_uts_ns.name (what uname(2)
 * and crash's "sys" say), and its release as a number, for the few layout
 * changes no type or symbol name reveals (a line added to a /proc file).
 * This file is the one owner of init_uts_ns and struct new_utsname.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_VERSION_H
#define MEMSCOPE_VERSION_H

#include "target.h"

#define MS_KV(a, b, c) (((a) << 16) + ((b) << 8) + (c))
#define MS_UTS_LEN 65		/* __NEW_UTS_LEN + 1 */

/* The fields of struct new_utsname memscope reports. */
enum ms_uts_field { MS_UTS_RELEASE, MS_UTS_VERSION, MS_UTS_NODENAME, MS_UTS_MACHINE, MS_UTS_NR };

/* "release", "version", "nodename", "machine": the member names. */
const char *ms_uts_field_name(enum ms_uts_field f);

/* One field of init_uts_ns.name into buf (at least MS_UTS_LEN bytes). */
struct ms_error *ms_kernel_uts(struct ms_target *t, enum ms_uts_field f, char *buf, size_t len);

/* KERNEL_VERSION of init_uts_ns.name.release ("6.12.117+deb12-..."), 0 if unreadable. */
unsigned int ms_kernel_version(struct ms_target *t);

#endif
