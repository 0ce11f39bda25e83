# The consumers scenario: sourced by the guest's init (vmcores/guest/init), whose
# helpers (dump_point, start_hogs, fill, wait_ready, ...) it uses.
# make-dumps-args: --formats elf
# SPDX-License-Identifier: GPL-2.0-or-later

# Memory that no /proc/meminfo counter shows, held by known consumers, and a
# module's vmalloc'ed memory of known sizes and callers:
#  - pipehold: pipes full of unread data (its parent and a child hold every
#    pipe), /run/truth.pipes: each pipe's inode, bytes, pages and holders;
#  - sockhold: loopback TCP connections and a UDP socket with unread data,
#    /run/truth.sockets: what it sent; the kernel's own view is read at the
#    dump's moment by truth_now (sockstat, tcp, udp);
#  - vmhold.ko: vmalloc()s of known sizes from two named functions; the
#    kernel's /proc/vmallocinfo and /proc/modules are read at the dump's moment.
# "before" has none of them, "after" all (the truth files of both).
truth_now() {
	for f in net/sockstat net/tcp net/udp vmallocinfo modules; do
		echo "@@BEGIN ${f#net/}"
		while IFS= read -r l; do echo "$l"; done <"/proc/$f"
		echo "@@END ${f#net/}"
	done
}
dump_point before
/bin/pipehold /run/ready.1 &
/bin/sockhold /run/ready.2 &
wait_ready 2
insmod /lib/vmhold.ko big_mib=8 small_kib=100 small_nr=3 || echo "@@ERROR insmod vmhold failed"
dump_point after
