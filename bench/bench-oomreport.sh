#!/usr/bin/env bash
# Time memscope's oomreport against crash's own "log" on the same dump, in the
# same kind of crash session, and report the ratio; then the standalone
# memscope process against a whole crash session printing its log.
#
# oomreport reads the whole kernel log, parses every report in it and then
# walks the process list and the zones to check and replay it, so it does
# more than "log" does: the ratio says what that costs.  Each command runs
# REPS times in one crash session; the session's start-up (no command) is
# subtracted.  Times are CPU seconds (user + system) of the process, median of
# 3 sessions.
# Usage: bench/bench-oomreport.sh [DUMP_DIR/SCENARIO/PHASE/vmcore.FMT] [REPS]
# (default: the oom scenario's "after" ELF dump of 6.1, 50 runs)
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
make -s
dumps=$(bash vmcores/make-dumps.sh oom)
dump=${1:-$dumps/oom/after/vmcore.elf}
reps=${2:-50}
vmlinux=$(dirname "$(dirname "$(dirname "$dump")")")/vmlinux
so=$PWD/build/memscope.so
cli=$PWD/build/memscope

. bench/timing.sh

# CPU seconds of reps runs of one memscope process (median of 3).
cli_runs() {
	local times=() out
	out=$(mktemp)
	for _ in 1 2 3; do
		/usr/bin/time -o "$out" -f '%U %S' bash -c \
			"for ((i = 0; i < $reps; i++)); do MEMSCOPE_NO_PROGRESS=1 $cli $1 '$dump' >/dev/null 2>&1; done"
		times+=("$(awk '{ print $1 + $2 }' "$out")")
	done
	rm -f "$out"
	printf '%s\n' "${times[@]}" | sort -n | sed -n 2p
}

base=$(session "")
floor=$(echo "scale=4; 0.2 / $reps" | bc -l)
per_cmd() { echo "scale=4; ($(session "$1") - $base) / $reps" | bc -l; }
ratio() { echo "scale=1; if ($1 < $floor) $2 / $floor else $2 / $1" | bc -l; }

printf 'dump: %s\nstart-up of a crash session: %.2f CPU s; %d runs of each command per session\n\n' \
	"$dump" "$base" "$reps"
printf '%-22s %10s   %-12s %10s   %s\n' "memscope" "s/run" "crash" "s/run" "crash/memscope"
while IFS='|' read -r ours theirs; do
	a=$(per_cmd "$ours")
	b=$(per_cmd "$theirs")
	if [ "$(echo "$a < $floor" | bc -l)" = 1 ]; then
		printf '%-22s %10s   %-12s %10.4f   >=%sx\n' "$ours" "<$floor" "$theirs" "$b" "$(ratio "$a" "$b")"
	else
		printf '%-22s %10.4f   %-12s %10.4f   %sx\n' "$ours" "$a" "$theirs" "$b" "$(ratio "$a" "$b")"
	fi
done <<'PAIRS'
oomreport|log
oomreport --json|log
PAIRS

# One whole process each: memscope oomreport against a crash session started
# to print its log once (its start-up included).
c=$(echo "scale=4; $(cli_runs oomreport) / $reps" | bc -l)
s=$(reps=1 session log)
printf '\nwhole process: memscope oomreport %.4f s, crash -s + log %.4f s: %sx\n' "$c" "$s" \
	"$(echo "scale=1; $s / $c" | bc -l)"
