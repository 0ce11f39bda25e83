#!/usr/bin/env bash
# Make the scenario dumps of a Debian kernel, each a before/after pair from one
# boot, in several formats, with the guest's own /proc saved beside each dump.
#
# Usage: make-dumps.sh [--kernel 6.1|6.12|KVER] [SCENARIO...]
#   Prints the dumps directory on stdout.  Scenarios: tmpfs tasks numa kmod
#   dstate overcommit oom allocfail (default all), large.
#   MEMSCOPE_CACHE overrides the cache directory (default ~/.cache/memscope).
#
# Layout: DIR/vmlinux, DIR/SCENARIO/{before,after}/ holding
#   vmcore.elf         QEMU "elf" dump
#   vmcore.kdump-flat  QEMU "kdump-zlib" dump (makedumpfile's flattened stream)
#   vmcore.kdump       the same, reassembled with makedumpfile -R
#   vmcore.filtered    makedumpfile -c -d 31 of the ELF dump (production-like)
#
# The "large" scenario (a 16 GiB guest for bench/bench-large.sh) is made only
# when named, as vmcore.elf (made makedumpfile-readable in place) and
# vmcore.filtered: its QEMU kdump stream would add minutes and no coverage.
# The "dstate" scenario (1000 writers stuck on a FUSE mount that stopped
# answering, a 1 GiB guest) is made as vmcore.elf and vmcore.filtered too: the
# kdump formats read the same pages through the same code.
# The overcommit scenario is dumped as vmcore.elf (and vmcore.filtered) only:
# its questions are about kernel structures, not about the file format.
#   meminfo zoneinfo buddyinfo pagetypeinfo vmstat slabinfo tasks uname
#                      what the guest printed right before the dump
#   dmesg              /dev/kmsg records (level,seq,usec,flags;text), read
#                      just before the dump point settles
#   taskstate stacks status
#                      every thread's state letter and wchan, its
#                      /proc/TID/stack, and every process's status file
#   commit             overcommit only: the vm.overcommit sysctls, each
#                      helper's pid and mapped KiB, each attempted mapping
#   oomkill            (oom, after) "pid PID status 137 comm memgrow": the
#                      task the guest saw the OOM killer kill
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
. "$(dirname "$0")/common.sh"

kver=$KVER_DEFAULT
scenarios=()
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kver=$(resolve_kver "$2"); shift 2 ;;
	-h|--help) sed -n '2,/^# SPDX/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) die "unknown option $1" ;;
	*) scenarios+=("$1"); shift ;;
	esac
done
[ ${#scenarios[@]} -gt 0 ] || scenarios=(tmpfs tasks numa kmod dstate overcommit oom allocfail)

for tool in qemu-system-x86_64 makedumpfile python3 cpio gzip cc; do
	command -v $tool >/dev/null || die "$tool is missing (see README: apt-get install ...)"
done

kdir=$(bash "$VMCORES_DIR/fetch-kernel.sh" "$kver")
out=$(dumps_dir "$kver")
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9
ln -sf "$kdir/vmlinux" "$out/vmlinux"

scenario_args() {
	case $1 in
	numa) echo "--numa" ;;
	tmpfs|tasks|kmod|oom|allocfail) ;;
	dstate) echo "--mem 1024 --formats elf" ;;
	overcommit) echo "--formats elf" ;;
	large) echo "--mem 16384 --formats elf --attempts 2 --timeout 3600" ;;
	*) die "unknown scenario $1" ;;
	esac
}

for s in "${scenarios[@]}"; do
	args=$(scenario_args "$s")
	[ -f "$out/$s/.complete" ] && { log "$s: cached"; continue; }
	[ -f "$out/initramfs.cpio.gz" ] ||
		bash "$VMCORES_DIR/build-initramfs.sh" "$kdir" "$out/initramfs.cpio.gz"
	rm -rf "$out/$s"
	log "$s: booting $kver"
	# shellcheck disable=SC2086
	python3 "$VMCORES_DIR/run-scenario.py" --kernel-dir "$kdir" \
		--initrd "$out/initramfs.cpio.gz" --scenario "$s" --out "$out/$s" $args
	for phase in before after; do
		d=$out/$s/$phase
		if [ -f "$d/vmcore.kdump-flat" ]; then
			makedumpfile -R "$d/vmcore.kdump" <"$d/vmcore.kdump-flat" >/dev/null
			fixed=$d/fixed.elf
		else
			fixed=$d/vmcore.elf	# no copy of a 16 GiB file
		fi
		python3 "$VMCORES_DIR/fix-elf-phoff.py" "$d/vmcore.elf" "$fixed"
		makedumpfile -c -d 31 "$fixed" "$d/vmcore.filtered" >/dev/null 2>&1 ||
			die "makedumpfile -c -d 31 failed on $fixed"
		[ "$fixed" = "$d/vmcore.elf" ] || rm -f "$fixed"
		chmod 0644 "$d"/vmcore.*
	done
	touch "$out/$s/.complete"
	log "$s: done"
done
echo "$out"
