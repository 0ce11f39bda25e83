# The inodes scenario: sourced by the guest's init (vmcores/guest/init), whose
# helpers (dump_point, start_hogs, fill, wait_ready, ...) it uses.
# make-dumps-args: --mem 1024 --formats elf
# make-dumps: only when named
# Made only when named (bench/bench-inodes.sh), as vmcore.elf and
# vmcore.filtered: a slab-heavy case for the tmpfs walk, the format adds
# nothing to it.
# SPDX-License-Identifier: GPL-2.0-or-later

# 300,000 empty files on a tmpfs (1,000 directories x 300 files) that no
# process holds: 300k shmem inodes in the inode cache's slabs.  "after"
# adds 100 directories more (330,000 files) and 8 MiB in one of them.
mkdir -p /mnt/many
mount -t tmpfs -o size=256m,nr_inodes=0 many /mnt/many
/bin/mkinodes /mnt/many 0 1000 300 /run/truth.inodes || echo "@@ERROR mkinodes failed"
dump_point before
/bin/mkinodes /mnt/many 1000 1100 300 /run/truth.inodes || echo "@@ERROR mkinodes failed"
fill /mnt/many/d1050/blob 8
dump_point after
