#!/usr/bin/env bash
# Time memscope's memcg (the memory cgroup tree: every cgroup's counters, its
# memory.stat with each CPU's rstat deltas folded, its processes, the log's
# memcg OOMs) against crash's own list walk of the same css children list
# with one member printed per cgroup ("list -s"), in the same crash session
# type on the same dump, and report the ratio; then the standalone command as
# one whole process against the issue's budget (0.3 s, 100 MB).
#
# As bench-extension.sh: each command runs REPS times in one crash session,
# the session's start-up (no command) is subtracted, CPU seconds (user +
# system) of the crash process, the median of 3 sessions.  crash's walk
# covers the root's children only (one level, no per-cpu reads): a floor for
# the same list, not the same work; the per-cgroup times are printed beside.
# The memcg scenario has 38 cgroups; a dump with hundreds (the issue's case)
# needs a scenario that makes them (none yet): pass its dump as DUMP.
# Usage: bench/bench-memcg.sh [DUMP_DIR/SCENARIO/PHASE/vmcore.FMT] [REPS]
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
make -s
dumps=$(bash vmcores/make-dumps.sh memcg)
dump=${1:-$dumps/memcg/after/vmcore.elf}
reps=${2:-50}
vmlinux=$(dirname "$(dirname "$(dirname "$dump")")")/vmlinux
so=$PWD/build/memscope.so

. bench/timing.sh

once() { printf 'extend %s\n%s\nquit\n' "$so" "$1" | crash -s "$vmlinux" "$dump" 2>/dev/null; }

head=$(once "p &root_mem_cgroup->css.children" | sed -n 's/.*(struct list_head \*) \(0x[0-9a-f]*\).*/\1/p' | head -1)
[ -n "$head" ] || { echo "bench-memcg: no root_mem_cgroup in $dump" >&2; exit 1; }
walk="list cgroup_subsys_state.sibling -H $head -s cgroup_subsys_state.flags"

base=$(session "")
per_cmd() { echo "scale=5; ($(session "$1") - $base) / $reps" | bc -l; }

ours=$(per_cmd "memcg -a -m")
theirs=$(per_cmd "$walk")
n_ours=$(once "memcg --json" | grep -c '"path_complete"' || true)
n_theirs=$(once "$walk" | grep -c '^ffff' || true)
floor=$(echo "scale=5; 0.2 / $reps" | bc -l)

printf 'dump: %s\nstart-up of a crash session: %.2f CPU s; %d runs of each command per session\n\n' \
	"$dump" "$base" "$reps"
printf '%-14s %10s %8s   %-34s %10s %8s\n' "memscope" "s/run" "cgroups" "crash" "s/run" "entries"
printf '%-14s %10.5f %8d   %-34s %10.5f %8d\n' "memcg -a -m" "$ours" "$n_ours" \
	"list -s ...flags (root's children)" "$theirs" "$n_theirs"
below() { [ "$(echo "$1 < $floor" | bc -l)" = 1 ]; }
if below "$ours" || below "$theirs" || [ "$n_theirs" -eq 0 ]; then
	echo "a time below the noise of a session's start-up ($floor s), or nothing walked: no ratio"
else
	printf 'memscope/crash: %.2fx;  per cgroup: memscope %.6f s, crash %.6f s\n' \
		"$(echo "$ours / $theirs" | bc -l)" "$(echo "$ours / $n_ours" | bc -l)" \
		"$(echo "$theirs / $n_theirs" | bc -l)"
fi

runs=5
read -r wall cpu peak < <(timed /dev/null build/memscope memcg -a -m "$dump")
printf '\nmemscope memcg -a -m DUMP (CLI, whole process): %s s wall, %s CPU s, %s kB peak' \
	"$wall" "$cpu" "$peak"
printf '   (budget: 0.3 s, 100 MB: %s)\n' \
	"$( [ "$(echo "$wall <= 0.3 && $peak <= 102400" | bc -l)" = 1 ] && echo within || echo OVER)"
