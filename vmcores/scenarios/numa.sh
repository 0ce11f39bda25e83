# The numa scenario: sourced by the guest's init (vmcores/guest/init), whose
# helpers (dump_point, start_hogs, fill, wait_ready, ...) it uses.
# make-dumps-args: --numa
# SPDX-License-Identifier: GPL-2.0-or-later

# A 2-node guest: memory grown on node 1 by tmpfs bound there and a
# task running on node 1's CPU.
mkdir -p /mnt/node1
mount -t tmpfs -o size=200m,mpol=bind:1 node1 /mnt/node1
dump_point before
fill /mnt/node1/blob 96
n=1
taskset 2 /bin/memhog 48 0 0 0 /run/ready.1 &
while [ ! -e /run/ready.1 ]; do sleep 0.2; done
dump_point after
