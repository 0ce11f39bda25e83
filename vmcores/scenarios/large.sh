# The large scenario: sourced by the guest's init (vmcores/guest/init), whose
# helpers (dump_point, start_hogs, fill, wait_ready, ...) it uses.
# make-dumps-args: --mem 16384 --formats elf,kdump-zlib --attempts 2 --timeout 3600
# make-dumps: only when named
# Made only when named, as vmcore.elf (made makedumpfile-readable in place),
# vmcore.filtered and QEMU's kdump-zlib stream (vmcore.kdump-flat, with its
# reassembled vmcore.kdump): bench-large.sh times the flattened stream of a
# 16 GiB guest, the file whose copy to /tmp issue #15 measured.
# SPDX-License-Identifier: GPL-2.0-or-later

# The benchmark's machine (bench/bench-large.sh, a 16 GiB guest):
# thousands of tasks, gigabytes of tmpfs, and free memory broken into
# single pages.  "after" adds to each.
mkdir -p /mnt/big
mount -t tmpfs -o size=12g big /mnt/big
fill /mnt/big/base 1024
/bin/spawn 2000 64 /run/ready.1 &
/bin/memfrag 2048 /run/ready.2 &
wait_ready 2
dump_point before
fill /mnt/big/grown 2048
/bin/spawn 1000 64 /run/ready.3 &
/bin/memfrag 1024 /run/ready.4 &
wait_ready 4
dump_point after
