/*
 * dwarf_types.h - struct layouts and enumerators from a vmlinux's DWARF
 * (libdw), for kernels built without BTF.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_DWARF_TYPES_H
#define MEMSCOPE_DWARF_TYPES_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

struct ms_dwarf;

/* MS_ERR_IO (the file cannot be opened: the system's text), MS_ERR_LOOKUP (no
 * DWARF, or no types in it: libdw's text), MS_ERR_NOMEM. */
struct ms_error *ms_dwarf_open(const char *vmlinux, struct ms_dwarf **out);
void ms_dwarf_close(struct ms_dwarf *d);

/* Same answers as the BTF ones (btf_types.h): bytes, or -1. */
long ms_dwarf_struct_size(struct ms_dwarf *d, const char *name);
long ms_dwarf_member_offset(struct ms_dwarf *d, const char *sname, const char *member);
long ms_dwarf_member_size(struct ms_dwarf *d, const char *sname, const char *member);
bool ms_dwarf_enum_value(const struct ms_dwarf *d, const char *name, long *value);
/* Name of the (named) enumeration type the enumerator belongs to, into buf. */
bool ms_dwarf_enum_type(const struct ms_dwarf *d, const char *name, char *buf, size_t len);

#endif
