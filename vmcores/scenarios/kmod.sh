# The kmod scenario: sourced by the guest's init (vmcores/guest/init), whose
# helpers (dump_point, start_hogs, fill, wait_ready, ...) it uses.
# SPDX-License-Identifier: GPL-2.0-or-later

# A driver keeps 100 MiB of alloc_pages() memory: no counter shows it.
dump_point before
insmod /lib/memeater.ko mib=100 || echo "@@ERROR insmod memeater failed"
dump_point after
