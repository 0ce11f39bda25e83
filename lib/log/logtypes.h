/*
 * logtypes.h - the log's layouts: type info first, VMCOREINFO's copy (what
 * makedumpfile and crash read without debug info) second (logtypes.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_LOGTYPES_H
#define MEMSCOPE_LOGTYPES_H

#include <stdint.h>

#include "target.h"

/* offsetof(struct s, m), else VMCOREINFO's OFFSET(s.m); -1 if neither. */
long ms_log_offset(struct ms_target *t, const char *s, const char *m);
/* sizeof(struct s), else VMCOREINFO's SIZE(s); -1 if neither. */
long ms_log_size(struct ms_target *t, const char *s);

/* The byte that holds "u8 flags:5, level:3" of printk_info and printk_log:
 * the C ABI puts the first bit-field in the low bits on a little-endian
 * machine, in the high bits on a big-endian one. */
void ms_log_flags_level(const struct ms_target *t, uint8_t b, uint8_t *flags, uint8_t *level);

#endif
