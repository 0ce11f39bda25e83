#!/usr/bin/env bash
# Make the scenario dumps of a Debian kernel, each a before/after pair from one
# boot, in several formats, with the guest's own /proc saved beside each dump.
#
# Usage: make-dumps.sh [--kernel 6.1|6.12|KVER] [SCENARIO...]
#   Prints the dumps directory on stdout.  A scenario is vmcores/scenarios/
#   NAME.sh (sourced by the guest's init) and its optional NAME/ folder of
#   guest programs (*.c) and modules (a folder with a Kbuild file).  Its
#   "# make-dumps-args:" line gives run-scenario.py's options (--mem, --numa,
#   --formats: a scenario whose questions are about kernel structures, not
#   file formats, asks for elf only, and gets filtered as well); the default
#   is every scenario without a "# make-dumps: only when named" line (large).
#   MEMSCOPE_CACHE overrides the cache directory (default ~/.cache/memscope).
#
# Caching: DIR is keyed by the hash of the generator's files (all of vmcores/
# but scenarios/); DIR/SCENARIO/.complete holds the hash of that scenario's own
# files, so adding or changing one scenario remakes that one only.
#
# Layout: DIR/vmlinux, DIR/SCENARIO/{before,after}/ holding
#   vmcore.elf         QEMU "elf" dump
#   vmcore.kdump-flat  QEMU "kdump-zlib" dump (makedumpfile's flattened stream)
#   vmcore.kdump       the same, reassembled with makedumpfile -R
#   vmcore.filtered    makedumpfile -c -d 31 of the ELF dump (production-like)
#
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
#   NAME               any other file a scenario saved: /run/truth.NAME
#                      (what it saw happen), or a block its truth_now
#                      function printed beside the counters
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
[ ${#scenarios[@]} -gt 0 ] || mapfile -t scenarios < <(default_scenarios)

for tool in qemu-system-x86_64 makedumpfile python3 cpio gzip cc; do
	command -v $tool >/dev/null || die "$tool is missing (see README: apt-get install ...)"
done

kdir=$(bash "$VMCORES_DIR/fetch-kernel.sh" "$kver")
out=$(dumps_dir "$kver")
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9
ln -sf "$kdir/vmlinux" "$out/vmlinux"

for s in "${scenarios[@]}"; do
	args=$(scenario_args "$s")
	h=$(scenario_hash "$s")
	[ "$(cat "$out/$s/.complete" 2>/dev/null)" = "$h" ] && { log "$s: cached"; continue; }
	initrd=$out/initramfs-$(scenarios_hash).cpio.gz
	if [ ! -f "$initrd" ]; then
		rm -f "$out"/initramfs-*.cpio.gz
		bash "$VMCORES_DIR/build-initramfs.sh" "$kdir" "$initrd.tmp"
		mv "$initrd.tmp" "$initrd"
	fi
	rm -rf "$out/$s"
	log "$s: booting $kver"
	# shellcheck disable=SC2086
	python3 "$VMCORES_DIR/run-scenario.py" --kernel-dir "$kdir" \
		--initrd "$initrd" --scenario "$s" --out "$out/$s" $args
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
	echo "$h" >"$out/$s/.complete"
	log "$s: done"
done
echo "$out"
