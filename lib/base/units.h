/*
 * units.h - sizes for people: KiB/MiB/GiB with one decimal, as free -h does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_UNITS_H
#define MEMSCOPE_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* "812 KiB", "150.0 MiB", "1.2 GiB"; negative values keep their sign. */
char *ms_fmt_kb(char *buf, size_t len, long long kb);
/* The same with an explicit sign: "+150.0 MiB", "-4 KiB", "0 KiB". */
char *ms_fmt_kb_signed(char *buf, size_t len, long long kb);

#endif
