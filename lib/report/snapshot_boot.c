/*
 * snapshot_boot.c - the snapshot's "boot" section: which boot the dump is of
 * (bootid.h), for diff's check that both dumps are of one boot of one
 * machine.  Added in version 1 as an optional key: older snapshots lack it.
 *
 *   boot   {boot_id: "uuid" (when the kernel had made one),
 *           kernel_offset: the KASLR offset (when VMCOREINFO has it)}
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "bootid.h"
#include "snapshot.h"

void ms_snapshot_boot(struct ms_target *t, json_t *snap)
{
	struct ms_boot b;
	struct ms_error *err = ms_kernel_boot(t, &b);
	json_t *boot = json_object();

	if (err)
		ms_warn_error(t, err, "snapshot: boot_id");
	if (b.has_boot_id)
		json_object_set_new(boot, "boot_id", json_string(b.boot_id));
	if (b.has_kernel_offset && b.kernel_offset <= (uint64_t)MS_SNAPSHOT_MAX)
		json_object_set_new(boot, "kernel_offset", json_integer((json_int_t)b.kernel_offset));
	json_object_set_new(snap, "boot", boot);
}
