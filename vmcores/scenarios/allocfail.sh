# The allocfail scenario: sourced by the guest's init (vmcores/guest/init), whose
# helpers (dump_point, start_hogs, fill, wait_ready, ...) it uses.
# SPDX-License-Identifier: GPL-2.0-or-later

# A module (vmcores/guest/allocfail) takes every free order-9 block and
# keeps one page of each: plenty of free memory, no block of order 9 or
# more.  Compaction is kept out (extfrag_threshold 1000: never
# suitable for a costly order; no proactive compaction), then the
# module asks for an order-9 block with GFP_KERNEL|__GFP_NORETRY and
# warn_alloc prints the failure.
echo 1000 >/proc/sys/vm/extfrag_threshold
echo 0 >/proc/sys/vm/compaction_proactiveness
dump_point before
insmod /lib/allocfail.ko order=9 || echo "@@ERROR insmod allocfail failed"
dump_point after
