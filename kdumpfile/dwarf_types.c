/*
 * dwarf_types.c - placeholder until the libdw reader lands.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "dwarf_types.h"

struct ms_dwarf *ms_dwarf_open(const char *vmlinux, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: DWARF types are not supported yet", vmlinux);
	return NULL;
}

void ms_dwarf_close(struct ms_dwarf *d)
{
	(void)d;
}

long ms_dwarf_struct_size(struct ms_dwarf *d, const char *name)
{
	(void)d, (void)name;
	return -1;
}

long ms_dwarf_member_offset(struct ms_dwarf *d, const char *sname, const char *member)
{
	(void)d, (void)sname, (void)member;
	return -1;
}

long ms_dwarf_member_size(struct ms_dwarf *d, const char *sname, const char *member)
{
	(void)d, (void)sname, (void)member;
	return -1;
}

int ms_dwarf_enum_value(struct ms_dwarf *d, const char *name, long *value)
{
	(void)d, (void)name, (void)value;
	return -1;
}
