#!/usr/bin/env bash
# Time the standalone memscope command against the same answer from crash:
# one whole process per question (what batch analysis of many dumps runs),
# memscope's subcommand against "crash -s VMLINUX DUMP" running the
# extension's command once.  Then the batch mode's rate over every dump of the
# scenario directory.  Times are the median of RUNS runs, wall clock and CPU
# seconds (user + system) of the process.
# Usage: [BUILD=dir] bench/bench-cli.sh [DUMP_DIR/SCENARIO/PHASE/vmcore.FMT] [RUNS]
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
make -s BUILD="$build"
dumps=$(bash vmcores/make-dumps.sh tmpfs)
dump=${1:-$dumps/tmpfs/after/vmcore.elf}
runs=${2:-5}
vmlinux=$(dirname "$(dirname "$(dirname "$dump")")")/vmlinux
cli=$PWD/$build/memscope
so=$PWD/$build/memscope.so

. bench/timing.sh

printf 'dump: %s\n%d runs each, medians; seconds of one whole process\n\n' "$dump" "$runs"
printf '%-26s %8s %8s   %8s %8s   %s\n' "question" "memscope" "cpu" "crash" "cpu" "crash/memscope (wall)"
script=$(mktemp)
while read -r cmd; do
	printf 'extend %s\n%s\nquit\n' "$so" "$cmd" >"$script"
	read -r mw mc _ < <(timed /dev/null "$cli" $cmd "$dump")
	read -r cw cc _ < <(timed "$script" crash -s "$vmlinux" "$dump")
	printf '%-26s %8.2f %8.2f   %8.2f %8.2f   %.0fx\n' "$cmd" "$mw" "$mc" "$cw" "$cc" \
		"$(echo "scale=2; $cw / ($mw + 0.005)" | bc -l)"
done <<'CMDS'
meminfo
zoneinfo
buddyinfo -m
oomscore
slabinfo
tmpfs
CMDS
rm -f "$script"

# The four test scenarios' dumps: not the 16 GiB ones of bench-large.sh.
all=( "$(dirname "$(dirname "$(dirname "$dump")")")"/{tmpfs,tasks,numa,kmod}/*/vmcore.* )
read -r bw bc _ < <(timed /dev/null "$cli" "${all[@]}")
printf '\nbatch: memscope DUMP... over %d dumps: %.2f s (%.2f CPU s), %.1f dumps/s\n' \
	"${#all[@]}" "$bw" "$bc" "$(echo "scale=2; ${#all[@]} / ($bw + 0.005)" | bc -l)"
