/*
 * bootid.c - see bootid.h.
 *
 * drivers/char/random.c keeps /proc/sys/kernel/random/boot_id in
 * sysctl_bootid[16] (static u8 sysctl_bootid[UUID_SIZE] since 5.18, static
 * char sysctl_bootid[16] before), made by proc_do_uuid() the first time it
 * is read: "if (!uuid[8]) generate_random_uuid(uuid)", so a boot_id whose
 * byte 8 is zero has never been made (a guest that never read it) and says
 * nothing.  KERNELOFFSET, which the kernel's vmcoreinfo writes under KASLR,
 * changes at every boot too.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "bootid.h"

#define UUID_SIZE 16

/* The kernel's %pU: 8-4-4-4-12 lowercase hex digits. */
static void format_uuid(const unsigned char *u, char *out)
{
	char *p = out;

	for (int i = 0; i < UUID_SIZE; i++) {
		p += sprintf(p, "%02x", u[i]);
		if (i == 3 || i == 5 || i == 7 || i == 9)
			*p++ = '-';
	}
	*p = '\0';
}

struct ms_error *ms_kernel_boot(struct ms_target *t, struct ms_boot *b)
{
	unsigned char uuid[UUID_SIZE];
	struct ms_error *err;
	long long off;
	uint64_t addr;

	memset(b, 0, sizeof(*b));
	err = ms_vmcoreinfo_number(t, "KERNELOFFSET", &off);
	if (!err) {
		b->has_kernel_offset = true;
		b->kernel_offset = (uint64_t)off;
	}
	ms_error_destroy(err);
	err = ms_symbol(t, "sysctl_bootid", &addr);
	if (err) {
		ms_error_destroy(err);
		return NULL;		/* no such symbol: no boot_id to compare */
	}
	err = ms_read(t, addr, uuid, sizeof(uuid));
	if (err)
		return ms_error_wrap(err, "random.c's sysctl_bootid");
	if (uuid[8]) {
		b->has_boot_id = true;
		format_uuid(uuid, b->boot_id);
	}
	return NULL;
}
