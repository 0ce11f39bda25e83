#!/usr/bin/env bash
# memscope's kernel log against crash's own "log" on the same dump.
#
# Two measures, each reported as crash / memscope:
# - whole processes, as a script reading the log of many dumps runs them:
#   "memscope log DUMP" (and --json) against "crash -s VMLINUX DUMP" running
#   "log" once; medians of RUNS runs, wall clock and CPU (user + system);
# - the commands alone, in one crash session each: memscope's "memlog"
#   against crash's "log", REPS times, the session's start-up (measured with
#   no command) subtracted; CPU seconds per run.
# The issue's target: the whole log of the large scenario's dump in under
# 0.2 s.  crash 8.0.2 (Debian 12) opens 6.1 dumps only.
#
# Usage: [BUILD=dir] bench/bench-log.sh [DUMP] [RUNS] [REPS]
#   DUMP default: the large scenario's ELF dump if it is cached
#   (bench/bench-large.sh makes it), else tasks/after's ELF dump.
#   RUNS default 5, REPS default 20.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
make -s BUILD="$build"
. vmcores/common.sh
if [ $# -ge 1 ]; then
	dump=$1
else
	dir=$(dumps_dir "$KVER_DEFAULT")
	dump=$dir/large/after/vmcore.elf
	[ -f "$dump" ] || dump=$(bash vmcores/make-dumps.sh tasks)/tasks/after/vmcore.elf
fi
runs=${2:-5}
reps=${3:-20}
vmlinux=$(dirname "$(dirname "$(dirname "$dump")")")/vmlinux
cli=$PWD/$build/memscope
so=$PWD/$build/memscope.so
for tool in crash /usr/bin/time bc; do
	command -v $tool >/dev/null || { echo "bench-log: $tool is missing" >&2; exit 1; }
done

. bench/timing.sh

script=$(mktemp)
trap 'rm -f "$script"' EXIT

printf 'dump: %s (%s)\n' "$dump" "$(du -h --apparent-size "$dump" | cut -f1)"
printf 'records: %s\n\n' "$("$cli" log "$dump" 2>/dev/null | tail -1)"

printf 'whole processes, %d runs each, medians (s)\n' "$runs"
printf '%-22s %8s %8s   %-18s %8s %8s   %s\n' "memscope" "wall" "cpu" "crash" "wall" \
	"cpu" "crash/memscope (wall, cpu)"
printf 'log\nquit\n' >"$script"
read -r cw cc _ < <(timed "$script" crash -s "$vmlinux" "$dump")
for args in "log" "log --json"; do
	read -r mw mc _ < <(timed /dev/null "$cli" $args "$dump")
	printf '%-22s %8.3f %8.3f   %-18s %8.2f %8.2f   %.0fx, %.0fx\n' "memscope $args" "$mw" \
		"$mc" "crash -s ... log" "$cw" "$cc" "$(echo "$cw / ($mw + 0.005)" | bc -l)" \
		"$(echo "$cc / ($mc + 0.005)" | bc -l)"
done

base=$(session "")
ours=$(echo "scale=4; ($(session memlog) - $base) / $reps" | bc -l)
theirs=$(echo "scale=4; ($(session log) - $base) / $reps" | bc -l)
# Below the noise of a session's start-up (about 0.2 CPU s over reps runs) a
# time is only a bound.
floor=$(echo "scale=4; 0.2 / $reps" | bc -l)
printf '\nin one crash session (start-up %.2f CPU s subtracted), %d runs: CPU s per run\n' \
	"$base" "$reps"
if [ "$(echo "$ours < $floor" | bc -l)" = 1 ]; then
	printf 'memlog %10s   log %10.4f   >=%.0fx\n' "<$floor" "$theirs" \
		"$(echo "$theirs / $floor" | bc -l)"
else
	printf 'memlog %10.4f   log %10.4f   %.1fx\n' "$ours" "$theirs" \
		"$(echo "$theirs / $ours" | bc -l)"
fi
