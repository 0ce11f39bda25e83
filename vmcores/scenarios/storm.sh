# The storm scenario: sourced by the guest's init (vmcores/guest/init), whose
# helpers (dump_point, start_hogs, fill, wait_ready, ...) it uses.
# make-dumps-args: --mem 1024 --formats elf
# A 1 GiB guest, as vmcore.elf and vmcore.filtered only: the diff's causes
# do not depend on the file format.
# SPDX-License-Identifier: GPL-2.0-or-later

# A process storm: 1,500 forked children of one command (spawn), each with
# 64 KiB of its own anon memory, sleeping.  Between the two dumps USED grows
# by their anon, page tables (counted in PageTables and not: PGD, P4D, PUD),
# kernel stacks and slab objects (task_struct, mm_struct, vm_area_struct,
# signal_cache, files_cache, pid, ...).  The tasks truth file gives every
# process's RssAnon/RssFile/RssShmem and VmPTE.
dump_point before
/bin/spawn 1500 64 /run/ready.1 &
wait_ready 1
dump_point after
