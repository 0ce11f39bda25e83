# The tmpfs scenario: sourced by the guest's init (vmcores/guest/init), whose
# helpers (dump_point, start_hogs, fill, wait_ready, ...) it uses.
# SPDX-License-Identifier: GPL-2.0-or-later

# ~150 MiB of tmpfs that no process holds: the Shmem leak.
mkdir -p /mnt/leak
mount -t tmpfs -o size=256m leak /mnt/leak
dump_point before
fill /mnt/leak/blob 150
sync
dump_point after
