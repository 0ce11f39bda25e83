/*
 * second_dump.c - open another dump of the same kernel build from inside
 * crash, for memdiff: libkdumpfile reads its memory, crash's debug info
 * answers type questions (same vmlinux), and symbol addresses are moved by
 * the difference of the two dumps' KASLR offsets (standalone.c does it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "defs.h"

#include "memscope_ext.h"
#include "second_dump.h"

/* libkdumpfile's name of crash's machine type. */
static const char *kdump_arch(void)
{
	if (machine_type("X86_64"))
		return "x86_64";
	if (machine_type("ARM64"))
		return "aarch64";
	if (machine_type("PPC64"))
		return "ppc64";
	if (machine_type("S390X"))
		return "s390x";
	return NULL;
}

struct ms_error *ms_crash_open_dump(const char *path, struct ms_standalone **out)
{
	struct ms_standalone_opts o = {
		.arch = kdump_arch(),
		.types = ms_crash_ops(),
		.types_ctx = NULL,
		.expect_release = kt->utsname.release,
		.errf = fp,
	};

	return ms_standalone_open(path, &o, out);
}
