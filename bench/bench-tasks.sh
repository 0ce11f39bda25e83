#!/usr/bin/env bash
# Time "tasks -g state,comm,wchan" (every task's state and wchan, each
# blocked task's stack unwound with the dump's ORC tables) against crash's
# own ps and foreach bt on the same dump, in crash sessions of the same kind,
# and report the ratio; then the CLI on its own.
#
# Each command runs REPS times in one crash session; the session's start-up
# (measured with no command) is subtracted, so the numbers are per command.
# Times are CPU seconds (user + system) of the crash process, the median of
# 3 sessions.  How many lines each command printed is shown beside it: crash
# 8.0.2 builds no task table past its idle tasks on 6.1.192 (struct pid
# changed), so its ps and foreach bt see 2 tasks where tasks sees them all.
# Usage: bench/bench-tasks.sh [DUMP] [REPS]   (default: the dstate scenario's
#        6.1 "after" dump, 1055 tasks; the large scenario's holds 3000)
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
make -s
dumps=$(bash vmcores/make-dumps.sh dstate)
dump=${1:-$dumps/dstate/after/vmcore.elf}
reps=${2:-10}
vmlinux=$(dirname "$(dirname "$(dirname "$dump")")")/vmlinux
so=$PWD/build/memscope.so
runs=5
. bench/timing.sh

lines() {
	printf 'extend %s\n%s\nquit\n' "$so" "$1" | crash -s "$vmlinux" "$dump" 2>/dev/null |
		wc -l
}

base=$(session "")
per_cmd() { echo "scale=4; ($(session "$1") - $base) / $reps" | bc -l; }

printf 'dump: %s\nstart-up of a crash session: %.2f CPU s; %d runs of each command per session\n\n' \
	"$dump" "$base" "$reps"
# Below the noise of a session's start-up (about 0.2 CPU s over reps runs) a
# time is only a bound.
floor=$(echo "scale=4; 0.2 / $reps" | bc -l)
show() { # NAME SECONDS LINES [RATIO]
	if [ "$(echo "$2 < $floor" | bc -l)" = 1 ]; then
		printf '%-28s %10s %8d   %s\n' "$1" "<$floor" "$3" "${4:-}"
	else
		printf '%-28s %10.4f %8d   %s\n' "$1" "$2" "$3" "${4:-}"
	fi
}
ours="tasks -g state,comm,wchan"
a=$(per_cmd "$ours")
printf '%-28s %10s %8s   %s\n' "command" "s/run" "lines" "crash's / tasks -g"
show "$ours" "$a" "$(lines "$ours")"
for theirs in "ps" "foreach bt"; do
	b=$(per_cmd "$theirs")
	x=$a
	[ "$(echo "$x < $floor" | bc -l)" = 1 ] && x=$floor
	if [ "$(echo "$b < $floor" | bc -l)" = 1 ]; then
		show "$theirs" "$b" "$(lines "$theirs")" "<$(echo "scale=2; $floor / $x" | bc -l)x"
	else
		show "$theirs" "$b" "$(lines "$theirs")" "$(echo "scale=2; $b / $x" | bc -l)x"
	fi
done
read -r wall cpu peak < <(timed /dev/null build/memscope tasks -g state,comm,wchan "$dump")
printf '\nCLI: memscope tasks -g state,comm,wchan: %s s wall, %s CPU s, %s kB peak (median of %d)\n' \
	"$wall" "$cpu" "$peak" "$runs"
