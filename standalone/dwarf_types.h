/*
 * dwarf_types.h - struct layouts and enumerators from a vmlinux's DWARF
 * (libdw), for kernels built without BTF.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_DWARF_TYPES_H
#define MEMSCOPE_DWARF_TYPES_H

#include <stddef.h>

struct ms_dwarf;

/* NULL with a message in err (no debug info, not an ELF file). */
struct ms_dwarf *ms_dwarf_open(const char *vmlinux, char *err, size_t errlen);
void ms_dwarf_close(struct ms_dwarf *d);

/* Same answers as the BTF ones (btf_types.h): bytes, or -1. */
long ms_dwarf_struct_size(struct ms_dwarf *d, const char *name);
long ms_dwarf_member_offset(struct ms_dwarf *d, const char *sname, const char *member);
long ms_dwarf_member_size(struct ms_dwarf *d, const char *sname, const char *member);
int ms_dwarf_enum_value(struct ms_dwarf *d, const char *name, long *value);

#endif
