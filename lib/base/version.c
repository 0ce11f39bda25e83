/*
 * version.c - the dumped kernel's release from init_uts_ns.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "version.h"

unsigned int ms_kernel_version(struct ms_target *t)
{
	long name = ms_member_offset(t, "uts_namespace", "name");
	long rel = ms_member_offset(t, "new_utsname", "release");
	unsigned int a, b, c = 0;
	char release[65];
	uint64_t uts;

	if (name < 0 || rel < 0 || ms_symbol(t, "init_uts_ns", &uts) ||
	    ms_read_str(t, uts + (uint64_t)name + (uint64_t)rel, release, sizeof(release)) ||
	    sscanf(release, "%u.%u.%u", &a, &b, &c) < 2)
		return 0;
	return MS_KV(a, b, c > 255 ? 255 : c);
}
