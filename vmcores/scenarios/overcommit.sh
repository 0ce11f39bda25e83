# The overcommit scenario: sourced by the guest's init (vmcores/guest/init), whose
# helpers (dump_point, start_hogs, fill, wait_ready, ...) it uses.
# make-dumps-args: --formats elf
# As vmcore.elf (and vmcore.filtered) only: its questions are about kernel
# structures, not about the file format.
# SPDX-License-Identifier: GPL-2.0-or-later

# The overcommit scenario's dump point $1, its truth in /run/truth.commit
# first (dump_point prints it as "commit"): the sysctls, the holders
# ($2: "PID KIB ..."), then the attempts: "big" is one mapping larger than
# RAM + swap (root), "edge" one 16 MiB short of the commit limit as uid
# 65534 and as root.
commit_point() {
	commit_truth "$@" >/run/truth.commit
	dump_point $1
}

commit_truth() {
	for s in overcommit_memory overcommit_ratio overcommit_kbytes \
		admin_reserve_kbytes user_reserve_kbytes; do
		# cat: an integer sysctl reads as EOF past offset 0
		# (proc_dointvec), and read takes a byte at a time
		echo "$s $(cat /proc/sys/vm/$s)"
	done
	set -- $2 "$3"
	while [ $# -ge 3 ]; do
		echo "hold $1 $2"
		shift 2
	done
	case $1 in
	big)
		kb=$(($(meminfo_kb MemTotal) + $(meminfo_kb SwapTotal) + 65536))
		/bin/commitmap try $kb 0
		;;
	edge)
		kb=$(($(meminfo_kb CommitLimit) - $(meminfo_kb Committed_AS) - 16384))
		kb=$((kb / 4 * 4))
		/bin/commitmap try $kb 65534
		/bin/commitmap try $kb 0
		;;
	esac
}

# Helpers hold untouched private writable mappings of known sizes
# (accounted in Committed_AS, no page behind them).  Under policy 0 a
# mapping larger than RAM + swap fails; then policy 2 with a limit
# CommitLimit - Committed_AS - 16 MiB away: a mapping of that size
# fails for a task without capabilities (the 32 MiB admin reserve is
# kept from it) and succeeds for root.  The "commit" truth: sysctls,
# "hold PID KIB" per helper, "try UID KIB ok|ERRNO" per attempt.
n=0
holds=
for mib in 32 64 96 160; do
	n=$((n + 1))
	/bin/commitmap hold $((mib * 1024)) /run/ready.$n &
	holds="$holds $! $((mib * 1024))"
done
wait_ready $n
commit_point before "$holds" big
echo 32768 >/proc/sys/vm/admin_reserve_kbytes
echo 150 >/proc/sys/vm/overcommit_ratio
echo 2 >/proc/sys/vm/overcommit_memory
commit_point after "$holds" edge
