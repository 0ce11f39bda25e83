#!/usr/bin/env bash
# Time memscope's crash commands against crash's built-in counterparts on the
# same dump, in the same crash session type, and report the ratio.
#
# Each command runs REPS times in one crash session; the session's start-up
# (measured with no command) is subtracted, so the numbers are per command.
# Times are CPU seconds (user + system) of the crash process, which another
# load on the machine disturbs far less than wall-clock time.
# Usage: bench/bench-extension.sh [DUMP_DIR/SCENARIO/PHASE/vmcore.FMT] [REPS]
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
make -s
dumps=$(bash vmcores/make-dumps.sh tmpfs)
dump=${1:-$dumps/tmpfs/after/vmcore.elf}
reps=${2:-50}
vmlinux=$dumps/vmlinux
so=$PWD/build/memscope.so

. bench/timing.sh

base=$(session "")
per_cmd() { echo "scale=4; ($(session "$1") - $base) / $reps" | bc -l; }

printf 'dump: %s\nstart-up of a crash session: %.2f CPU s; %d runs of each command per session\n\n' \
	"$dump" "$base" "$reps"
printf '%-22s %10s   %-12s %10s   %s\n' "memscope" "s/run" "crash" "s/run" "crash/memscope"
while IFS='|' read -r ours theirs; do
	a=$(per_cmd "$ours")
	b=$(per_cmd "$theirs")
	# Below the noise of a session's start-up (about 0.2 CPU s over reps runs)
	# a time is only a bound.
	floor=$(echo "scale=4; 0.2 / $reps" | bc -l)
	ratio=$(echo "scale=1; if ($a < $floor) $b / $floor else $b / $a" | bc -l)
	if [ "$(echo "$a < $floor" | bc -l)" = 1 ]; then
		printf '%-22s %10s   %-12s %10.4f   >=%sx\n' "$ours" "<$floor" "$theirs" "$b" "$ratio"
	else
		printf '%-22s %10.4f   %-12s %10.4f   %sx\n' "$ours" "$a" "$theirs" "$b" "$ratio"
	fi
done <<'PAIRS'
meminfo|kmem -i
zoneinfo|kmem -z
buddyinfo|kmem -f
buddyinfo -m|kmem -f
slabinfo|kmem -s
oomscore|ps
PAIRS
