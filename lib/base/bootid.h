/*
 * bootid.h - which boot a dump is of: random.c's boot_id and the KASLR
 * offset, for diff to tell two boots (or machines) apart.  This file is the
 * one owner of sysctl_bootid.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_BOOTID_H
#define MEMSCOPE_BOOTID_H

#include <stdbool.h>
#include <stdint.h>

#include "target.h"

#define MS_BOOT_ID_LEN 37	/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" and NUL */

struct ms_boot {
	bool has_boot_id;		/* false until something read boot_id */
	char boot_id[MS_BOOT_ID_LEN];
	bool has_kernel_offset;		/* VMCOREINFO KERNELOFFSET (KASLR) */
	uint64_t kernel_offset;
};

/* The boot's identity into *b: what is unknown is left false; an error only
 * for a read that failed where the symbol exists. */
struct ms_error *ms_kernel_boot(struct ms_target *t, struct ms_boot *b);

#endif
