#!/usr/bin/env bash
# The first command of a crash session, as a `crash -i` batch file with one
# question runs it, and the same command run again: memscope's commands
# against crash's built-in counterparts.  Each pair of runs is timed inside
# its own session from crash's CPU time in /proc (a "!" shell escape between
# the commands reads it), so start-up, which varies by a second, is not in
# the figures.  What a command costs the first time and not the second is
# the type questions it asks crash (offsets, sizes, enumerators:
# extension/crash_types.c).  Medians of SESSIONS sessions; /proc's CPU time
# counts in 0.01 s.  Beside them, the CLI's whole process on the same dump
# (CPU, the median of as many runs) and the first run's ratio to it: issue
# #15 wants every command within 2x of the CLI.
#
# Usage: [SO=memscope.so] [BEFORE=other-memscope.so] [SESSIONS=3]
#        bench/bench-first.sh [DUMP]
#   DUMP default: the consumers scenario's 6.1 ELF dump.  BEFORE adds columns
#   for another build of the extension (an older commit's, say).
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build/memscope.so build/memscope
dump=${1:-$(bash vmcores/make-dumps.sh consumers)/consumers/after/vmcore.elf}
vmlinux=$(dirname "$(dirname "$(dirname "$dump")")")/vmlinux
so=${SO:-$PWD/build/memscope.so}
cli=${CLI:-$PWD/build/memscope}
before=${BEFORE:-}
sessions=${SESSIONS:-3}
runs=$sessions
source bench/timing.sh
for tool in crash bc; do
	command -v $tool >/dev/null || { echo "bench-first: $tool is missing" >&2; exit 1; }
done

# twice SO CMD: "first again" CPU seconds of CMD's two runs in one session
# with extension SO loaded, medians of $sessions sessions.
twice() {
	local so=$1 cmd=$2 mark firsts=() agains=() ticks
	mark='!cut -d" " -f14,15 /proc/$PPID/stat'
	for ((i = 0; i < sessions; i++)); do
		ticks=$(printf 'extend %s\n%s\n%s > /dev/null\n%s\n%s > /dev/null\n%s\nquit\n' \
			"$so" "$mark" "$cmd" "$mark" "$cmd" "$mark" |
			crash -s "$vmlinux" "$dump" 2>/dev/null | awk 'NF == 2 && $1 ~ /^[0-9]+$/ { print $1 + $2 }')
		read -r t0 t1 t2 <<<"$(echo $ticks)"
		firsts+=("$(echo "scale=2; ($t1 - $t0) / 100" | bc -l)")
		agains+=("$(echo "scale=2; ($t2 - $t1) / 100" | bc -l)")
	done
	echo "$(printf '%s\n' "${firsts[@]}" | sort -n | sed -n "$((sessions / 2 + 1))p")" \
		"$(printf '%s\n' "${agains[@]}" | sort -n | sed -n "$((sessions / 2 + 1))p")"
}

printf 'dump: %s\nCPU s of a command run first in a session and run again; medians of %d sessions\n\n' \
	"$dump" "$sessions"
printf '%-12s %7s %7s' "memscope" "first" "again"
[ -z "$before" ] || printf ' %7s %7s' "before" "again"
printf ' %7s %9s' "CLI" "first/CLI"
printf '   %-8s %7s %7s   %s\n' "crash" "first" "again" "crash/memscope (first)"
while IFS='|' read -r ours theirs; do
	read -r a a2 < <(twice "$so" "$ours")
	read -r b b2 < <(twice "$so" "$theirs")
	printf '%-12s %7.2f %7.2f' "$ours" "$a" "$a2"
	if [ -n "$before" ]; then
		read -r o o2 < <(twice "$before" "$ours")
		printf ' %7.2f %7.2f' "$o" "$o2"
	fi
	read -r _ c _ < <(MEMSCOPE_NO_PROGRESS=1 timed /dev/null "$cli" $ours "$dump")
	printf ' %7.2f %8.1fx' "$c" "$(echo "scale=1; $a / ($c + 0.005)" | bc -l)"
	printf '   %-8s %7.2f %7.2f   %.1fx\n' "$theirs" "$b" "$b2" \
		"$(echo "scale=1; $b / ($a + 0.005)" | bc -l)"
done <<'PAIRS'
meminfo|kmem -i
zoneinfo|kmem -z
buddyinfo|kmem -f
slabinfo|kmem -s
oomscore|ps
vmallocinfo|kmem -v
pages|kmem -p
PAIRS
