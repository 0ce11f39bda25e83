#!/usr/bin/env bash
# Time memscope's overcommit (the policy, the limit, and every process's
# VM_ACCOUNT mappings summed from its VMAs) against crash's own walk of every
# task's VMAs, "foreach vm", in the same crash session type on the same dump,
# and report the ratio.
#
# As bench-extension.sh: each command runs REPS times in one crash session,
# the session's start-up (no command) is subtracted, CPU seconds (user +
# system) of the crash process, the median of 3 sessions.  How many tasks
# each side walked is printed beside it: Debian 12's crash 8.0.2 builds no
# task table on 6.1.192 and later 6.1 kernels (it sees only the idle tasks,
# whose mm is NULL), so there "foreach vm" walks nothing and its time is a
# floor, not a comparison of the same work; the per-task time is given too.
# Usage: bench/bench-overcommit.sh [DUMP_DIR/SCENARIO/PHASE/vmcore.FMT] [REPS]
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
make -s
dumps=$(bash vmcores/make-dumps.sh overcommit)
dump=${1:-$dumps/overcommit/after/vmcore.elf}
reps=${2:-50}
vmlinux=$(dirname "$(dirname "$(dirname "$dump")")")/vmlinux
so=$PWD/build/memscope.so

. bench/timing.sh

# What one run of "$1" prints in crash.
once() { printf 'extend %s\n%s\nquit\n' "$so" "$1" | crash -s "$vmlinux" "$dump" 2>/dev/null; }

base=$(session "")
per_cmd() { echo "scale=5; ($(session "$1") - $base) / $reps" | bc -l; }

ours=$(per_cmd "overcommit -a")
theirs=$(per_cmd "foreach vm")
# Address spaces memscope walked; tasks crash's foreach visited, and those with an mm.
n_ours=$(once "overcommit -a --json" | grep -c '"vma_tree"' || true)
vm=$(once "foreach vm")
n_tasks=$(grep -c '^PID:' <<<"$vm" || true)
n_mm=$(awk '/^ +MM +PGD/ { getline; if ($1 != "0") n++ } END { print n + 0 }' <<<"$vm")
floor=$(echo "scale=5; 0.2 / $reps" | bc -l)

printf 'dump: %s\nstart-up of a crash session: %.2f CPU s; %d runs of each command per session\n\n' \
	"$dump" "$base" "$reps"
printf '%-16s %10s %8s   %-12s %10s %8s %10s\n' "memscope" "s/run" "mm" "crash" "s/run" \
	"tasks" "with mm"
printf '%-16s %10.5f %8d   %-12s %10.5f %8d %10d\n' "overcommit -a" "$ours" "$n_ours" \
	"foreach vm" "$theirs" "$n_tasks" "$n_mm"
below() { [ "$(echo "$1 < $floor" | bc -l)" = 1 ]; }
if below "$ours" || below "$theirs"; then
	echo "a time below the noise of a session's start-up ($floor s): no ratio"
elif [ "$n_mm" -eq 0 ]; then
	echo "crash walked no address space ($n_tasks tasks, none with an mm): no ratio of the same work"
else
	printf 'crash/memscope: %.2fx;  per address space: memscope %.6f s, crash %.6f s: %.2fx\n' \
		"$(echo "$theirs / $ours" | bc -l)" "$(echo "$ours / $n_ours" | bc -l)" \
		"$(echo "$theirs / $n_mm" | bc -l)" \
		"$(echo "($theirs / $n_mm) / ($ours / $n_ours)" | bc -l)"
fi

# The standalone command, one whole process (no crash, no vmlinux).
runs=5
read -r wall cpu peak < <(timed /dev/null build/memscope overcommit -a "$dump")
printf '\nmemscope overcommit -a DUMP (CLI, whole process): %s s wall, %s CPU s, %s kB peak\n' \
	"$wall" "$cpu" "$peak"
