#!/usr/bin/env bash
# The standalone memscope command against crash on a large machine's dumps:
# the "large" scenario (vmcores/make-dumps.sh large: a 16 GiB guest with
# thousands of tasks, gigabytes of tmpfs and free memory broken into single
# pages), dumped before and after it grew.
#
# Each question is one whole process, as a script or a support engineer runs
# it: "memscope CMD DUMP" against "crash -s VMLINUX DUMP" running crash's
# built-in command (start-up included: that is what answering costs).  Times
# are medians of RUNS runs (wall clock, and CPU = user + system); peak RSS is
# the largest of the runs.  The last rows time "memscope diff" of the two
# dumps, the issue's target being >= 10x faster than one crash "kmem -i" and
# under 100 MB, and the batch mode over both dumps.
#
# crash 8.0.2's task table is empty on Debian's 6.1 kernels (its "ps" lists
# the idle tasks only), so "ps" there times little more than crash's start-up.
# What a crash user does instead is walk the process list with "list -s",
# which gdb makes slow (over 20 minutes for 3000 tasks): timed once, on the
# first format only, stopped after 900 s, as the last row ("list tasks").
#
# Usage: [BUILD=dir] bench/bench-large.sh [RUNS] [FORMAT...]
#   RUNS default 3; FORMAT elf, filtered (makedumpfile -c -d 31) and/or
#   kdump-flat (QEMU's kdump-zlib, makedumpfile's flattened stream), default
#   all three.  The table goes to stdout; make the dumps first if they are
#   not cached (about 15 minutes and 36 GB of disk).
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
runs=${1:-3}
shift || true
formats=("$@")
[ ${#formats[@]} -gt 0 ] || formats=(elf filtered kdump-flat)
make -s BUILD="$build" "$build/memscope"
dumps=$(bash vmcores/make-dumps.sh large)
vmlinux=$dumps/vmlinux
cli=$PWD/$build/memscope
for tool in crash /usr/bin/time bc; do
	command -v $tool >/dev/null || { echo "bench-large: $tool is missing" >&2; exit 1; }
done

. bench/timing.sh

script=$(mktemp)
trap 'rm -f "$script"' EXIT
crash_timed() {	# [LIMIT=seconds] crash_timed COMMAND DUMP
	printf '%s\nquit\n' "$1" >"$script"
	timed "$script" timeout "${LIMIT:-3600}" crash -s "$vmlinux" "$2"
}

row() {	# label ms_wall ms_cpu ms_peak crash_label cr_wall cr_cpu cr_peak
	printf '%-24s %8.2f %7.2f %7.0f   %-10.10s %8.2f %7.2f %7.0f   %6.1fx\n' \
		"$1" "$2" "$3" "$(echo "$4 / 1024" | bc -l)" "$5" "$6" "$7" \
		"$(echo "$8 / 1024" | bc -l)" "$(echo "scale=2; $6 / $2" | bc -l)"
}

for fmt in "${formats[@]}"; do
	before=$dumps/large/before/vmcore.$fmt
	after=$dumps/large/after/vmcore.$fmt
	printf '\n%s (%s), %d runs each: medians of whole processes, peak RSS the largest\n' \
		"$after" "$(du -h --apparent-size "$after" | cut -f1) file" "$runs"
	printf '%-24s %8s %7s %7s   %-10s %8s %7s %7s   %7s\n' "memscope" "wall s" "cpu s" \
		"RSS MB" "crash" "wall s" "cpu s" "RSS MB" "speed-up"
	while IFS='|' read -r ours theirs; do
		read -r mw mc mp < <(timed /dev/null "$cli" $ours "$after")
		read -r cw cc cp < <(crash_timed "$theirs" "$after")
		row "$ours" "$mw" "$mc" "$mp" "$theirs" "$cw" "$cc" "$cp"
	done <<-'PAIRS'
	meminfo|kmem -i
	zoneinfo|kmem -z
	buddyinfo|kmem -f
	buddyinfo -m|kmem -f
	oomscore|ps
	slabinfo|kmem -s
	PAIRS
	read -r cw cc cp < <(crash_timed "kmem -i" "$after")
	read -r mw mc mp < <(timed /dev/null "$cli" diff "$before" "$after")
	row "diff BEFORE AFTER" "$mw" "$mc" "$mp" "kmem -i" "$cw" "$cc" "$cp"
	read -r mw mc mp < <(timed /dev/null "$cli" "$before" "$after")
	row "batch: BEFORE AFTER" "$mw" "$mc" "$mp" "kmem -i" "$cw" "$cc" "$cp"
	if [ "$fmt" = "${formats[0]}" ]; then
		read -r mw mc mp < <(timed /dev/null "$cli" oomscore "$after")
		read -r cw cc cp < <(runs=1 LIMIT=900 crash_timed \
			"list task_struct.tasks -s task_struct.pid,comm,signal,mm -h init_task" "$after")
		row "oomscore" "$mw" "$mc" "$mp" "list tasks" "$cw" "$cc" "$cp"
		[ "${cw%.*}" -lt 900 ] || echo "  (list tasks: stopped after 900 s: its time and ratio are lower bounds)"
	fi
	# What the guest said, beside what memscope says, on the timed dump.
	"$cli" meminfo "$after" | grep -E '^(MemTotal|MemFree|Shmem|KernelStack):' |
		paste - <(grep -E '^(MemTotal|MemFree|Shmem|KernelStack):' "$dumps/large/after/meminfo") |
		awk '{ printf "  %-13s memscope %10s kB   guest /proc %10s kB\n", $1, $2, $5 }'
	printf '  processes: %s in the guest'"'"'s /proc, %s in memscope oomscore\n' \
		"$(awk '!/^#/ && $4 != "-"' "$dumps/large/after/tasks" | wc -l)" \
		"$("$cli" oomscore --json "$after" | python3 -c \
			'import json, sys; print(sum(t.get("reason") != "kernel_thread" for t in json.load(sys.stdin)["tasks"]))')"
done
