#!/usr/bin/env bash
# The census of every page (`pages`) against crash's `kmem -p`, the command a
# crash user walks the memmap with (one line per page: its address, pfn,
# mapping, index, count and flags).  Neither prints the other's answer: the
# figure is the rate, page frames per second, and peak RSS.
#
# Two comparisons, on the same dump:
#   - whole processes, as a script runs them: "memscope pages DUMP" against
#     "crash -s VMLINUX DUMP" running "kmem -p > /dev/null" (start-up
#     included), medians of RUNS runs;
#   - inside one crash session, start-up excluded: the extension's `pages`
#     and `kmem -p`, each run REPS times in a session, CPU seconds per run
#     (the session's CPU less that of a session that only starts up; the
#     median of 3 sessions).
# pfns/s divides the online pfns the census walked (its JSON's "pfns") by the
# CPU seconds.
#
# Usage: [BUILD=dir] bench/bench-census.sh [DUMP | large] [RUNS] [REPS]
#   DUMP default: the kmod scenario's 6.1 ELF dump ("large": the large
#   scenario's 16 GiB ELF dump, made if not cached: ~11 minutes, 35 GB).
#   RUNS default 3, REPS default 2.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
make -s BUILD="$build" "$build/memscope" "$build/memscope.so"
case "${1:-}" in
"") dump=$(bash vmcores/make-dumps.sh kmod)/kmod/after/vmcore.elf ;;
large) dump=$(bash vmcores/make-dumps.sh large)/large/after/vmcore.elf ;;
*) dump=$1 ;;
esac
runs=${2:-3}
reps=${3:-2}
vmlinux=$(dirname "$(dirname "$(dirname "$dump")")")/vmlinux
cli=$PWD/$build/memscope
so=$PWD/$build/memscope.so
for tool in crash /usr/bin/time bc python3; do
	command -v $tool >/dev/null || { echo "bench-census: $tool is missing" >&2; exit 1; }
done

. bench/timing.sh

pfns=$("$cli" pages --json "$dump" 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)["pfns"])')
printf 'dump: %s (%s file)\n%s online pfns (%s MiB of page frames)\n\n' "$dump" \
	"$(du -h --apparent-size "$dump" | cut -f1)" "$pfns" "$((pfns / 256))"

rate() { echo "scale=0; $pfns / ($1 + 0.0005)" | bc -l; }

script=$(mktemp)
trap 'rm -f "$script"' EXIT
printf 'kmem -p > /dev/null\nquit\n' >"$script"
read -r mw mc mp < <(timed /dev/null "$cli" pages "$dump")
read -r cw cc cp < <(timed "$script" crash -s "$vmlinux" "$dump")
printf 'whole processes, %d runs each (medians; peak RSS the largest)\n' "$runs"
printf '%-22s %8s %8s %8s %12s\n' "" "wall s" "cpu s" "RSS MB" "pfns/s (cpu)"
printf '%-22s %8.2f %8.2f %8.0f %12s\n' "memscope pages" "$mw" "$mc" "$(echo "$mp / 1024" | bc -l)" "$(rate "$mc")"
printf '%-22s %8.2f %8.2f %8.0f %12s\n' "crash kmem -p" "$cw" "$cc" "$(echo "$cp / 1024" | bc -l)" "$(rate "$cc")"
printf '%-22s %8.1fx\n\n' "crash / memscope" "$(echo "scale=2; $cw / ($mw + 0.005)" | bc -l)"

base=$(session "")
ours=$(session "pages")
theirs=$(session "kmem -p")
per() { echo "scale=3; ($1 - $base) / $reps" | bc -l; }
po=$(per "$ours")
pt=$(per "$theirs")
printf 'inside one crash session (start-up %.2f s CPU excluded), %d runs per session\n' "$base" "$reps"
printf '%-22s %8s %12s\n' "" "cpu s" "pfns/s"
printf '%-22s %8.2f %12s\n' "pages (extension)" "$po" "$(rate "$po")"
printf '%-22s %8.2f %12s\n' "kmem -p" "$pt" "$(rate "$pt")"
printf '%-22s %8.1fx\n' "kmem -p / pages" "$(echo "scale=2; $pt / ($po + 0.005)" | bc -l)"
