#!/usr/bin/env bash
# Issue #15, costs that follow the work asked for: each figure beside crash's
# own command on the same file, as a ratio, in one run.
#   1. a flattened stream read through an index (no copy): meminfo, snap and
#      diff of a file with itself on the ELF, -d 31 and flattened files of
#      one dump, against one "crash -s VMLINUX DUMP" running kmem -i;
#   2. the tmpfs walk of the inodes scenario (300,000 tmpfs inodes, then
#      330,000): tmpfs and diff BEFORE AFTER against one kmem -i;
#   3. each extension command inside one crash session (start-up subtracted,
#      as bench-extension.sh does) against the same command's whole CLI
#      process;
#   4. the names of diff: bench-snapdiff-names.sh (30,000 names a list).
# Times are CPU seconds (user + system), medians of RUNS runs; peak RSS the
# largest.  No 16 GiB dump here (bench-large.sh makes one: 35 GB of disk).
# The flattened file is made from the ELF one by makedumpfile -F -c -d 0
# (what QEMU's kdump-zlib writes: every page, zlib, flattened), once, under
# $XDG_CACHE_HOME/memscope/bench.
# Usage: [BUILD=dir] bench/bench-costs.sh [RUNS] [REPS]
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
runs=${1:-3}
reps=${2:-30}
make -s BUILD="$build"
dumps=$(bash vmcores/make-dumps.sh inodes)
vmlinux=$dumps/vmlinux
cli=$PWD/$build/memscope
so=$PWD/$build/memscope.so
for tool in crash makedumpfile /usr/bin/time bc; do
	command -v $tool >/dev/null || { echo "bench-costs: $tool is missing" >&2; exit 1; }
done

. bench/timing.sh

script=$(mktemp)
trap 'rm -f "$script"' EXIT
crash_cpu() {	# crash_cpu COMMAND DUMP: "cpu peak_kB" of one whole crash process
	printf '%s\nquit\n' "$1" >"$script"
	timed "$script" crash -s "$vmlinux" "$2" | awk '{ print $2, $3 }'
}
ms_cpu() { timed /dev/null "$cli" "$@" | awk '{ print $2, $3 }'; }
ratio() { echo "scale=1; $1 / ($2 + 0.005)" | bc -l; }

elf=$dumps/inodes/after/vmcore.elf
cache=${XDG_CACHE_HOME:-$HOME/.cache}/memscope/bench
flat=$cache/inodes-after-$(stat -c %s-%Y "$elf").kdump-flat
mkdir -p "$cache"
if [ ! -s "$flat" ]; then
	makedumpfile -F -c -d 0 "$elf" >"$flat.tmp" 2>/dev/null
	mv "$flat.tmp" "$flat"
fi

echo "1. one dump in three formats (inodes/after, a 1 GiB guest), $runs runs"
printf '%-30s %9s %8s   %9s %8s   %s\n' "file" "question" "cpu s" "crash" "cpu s" \
	"crash/memscope   peak RSS MB"
for f in "$elf" "$dumps/inodes/after/vmcore.filtered" "$flat"; do
	read -r cc _ < <(crash_cpu "kmem -i" "$f")
	for q in meminfo snap diff; do
		case $q in
		meminfo) read -r mc mp < <(ms_cpu meminfo "$f") ;;
		snap) read -r mc mp < <(ms_cpu snap -o /dev/null "$f") ;;
		diff) read -r mc mp < <(ms_cpu diff "$f" "$f") ;;
		esac
		label=${f##*.}
		[ "$f" = "$flat" ] && label="kdump-flat (-F -c -d 0)"
		printf '%-30s %9s %8.2f   %9s %8.2f   %6.1fx %10.0f\n' \
			"$label ($(du -h --apparent-size "$f" | cut -f1))" "$q" "$mc" \
			"kmem -i" "$cc" "$(ratio "$cc" "$mc")" "$(echo "$mp / 1024" | bc -l)"
	done
done
echo "   targets (issue #15, on its 16 GiB guest): flattened meminfo < 0.1 s, >= 50x kmem -i"

echo
before=$dumps/inodes/before/vmcore.elf
echo "2. the tmpfs walk: $(awk '/^files/ { print $2 }' "$dumps/inodes/after/inodes") tmpfs files, $runs runs"
read -r cc _ < <(crash_cpu "kmem -i" "$elf")
read -r mc mp < <(ms_cpu tmpfs "$elf")
printf '%-30s %8.2f   %-9s %8.2f   %6.1fx %10.0f\n' "tmpfs AFTER" "$mc" "kmem -i" "$cc" \
	"$(ratio "$cc" "$mc")" "$(echo "$mp / 1024" | bc -l)"
read -r mc mp < <(ms_cpu diff "$before" "$elf")
printf '%-30s %8.2f   %-9s %8.2f   %6.1fx %10.0f\n' "diff BEFORE AFTER" "$mc" "kmem -i" "$cc" \
	"$(ratio "$cc" "$mc")" "$(echo "$mp / 1024" | bc -l)"
echo "   target: diff < 0.6 s CPU, >= 12x one kmem -i"

echo
dump=$elf
echo "3. inside one crash session ($reps runs a command, start-up subtracted) against the CLI"
echo "   (a session's start-up varies by about 1 CPU s on a loaded machine: below 1/REPS s a"
echo "   command's time is noise; more REPS for a closer look)"
base=$(session "")
printf '%-14s %12s %12s   %s\n' "command" "crash cpu s" "CLI cpu s" "crash/CLI (target <= 2)"
for c in meminfo zoneinfo "buddyinfo -m" slabinfo tmpfs oomscore tasks; do
	ext=$(echo "scale=4; ($(session "$c") - $base) / $reps" | bc -l)
	read -r mc _ < <(ms_cpu $c "$dump")
	printf '%-14s %12.3f %12.3f   %s\n' "$c" "$ext" "$mc" "$(ratio "$ext" "$mc")"
done

echo
echo "4. diff of snapshots with 30,000 names a list"
bash bench/bench-snapdiff-names.sh "$elf" 30000 0 2>&1 | sed 's/^/   /'
