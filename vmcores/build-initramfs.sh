#!/usr/bin/env bash
# Build the guest's initramfs: busybox-static, the init, every scenario
# (/scenarios/NAME.sh), the shared memhog, spawn, memfrag, fusestall and
# commitmap helpers, the kernel's qemu_fw_cfg module, its fuse module where
# FUSE is not built in, the kmod and allocfail modules, and each scenario's
# own programs (scenarios/NAME/*.c, as /bin/PROGRAM) and modules
# (scenarios/NAME/MODULE/ with a Kbuild file, as /lib/MODULE.ko).
# Usage: build-initramfs.sh KERNEL_DIR OUT.cpio.gz
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
. "$(dirname "$0")/common.sh"

kdir=$1
out=$2
[ -x /bin/busybox ] && file_is_static=$(ldd /bin/busybox 2>&1 | grep -c 'not a dynamic') || true
[ "${file_is_static:-0}" = 1 ] || die "/bin/busybox must be busybox-static (apt-get install busybox-static)"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,lib,mnt,run,tmp,scenarios}
cp /bin/busybox "$root/bin/busybox"
cp "$VMCORES_DIR/guest/init" "$root/init"
chmod 755 "$root/init"
cp "$VMCORES_DIR"/scenarios/*.sh "$root/scenarios/"
for helper in memhog spawn memfrag fusestall commitmap; do
	cc -O2 -static -Wall -Wextra -pthread -o "$root/bin/$helper" "$VMCORES_DIR/guest/$helper.c"
done
# The oom scenario's grower: memhog under its own comm.
ln -s memhog "$root/bin/memgrow"
cp "$kdir/qemu_fw_cfg.ko" "$root/lib/"
[ ! -f "$kdir/fuse.ko" ] || cp "$kdir/fuse.ko" "$root/lib/"
# The kmod and allocfail scenarios' modules, built against Debian's headers
# for this kernel.
kver=$(cat "$kdir/release")
build_module() {	# SRC_DIR
	local mod
	mod=$(basename "$1")
	cp -r "$1" "$root/$mod-build"
	make -s -C "/lib/modules/$kver/build" M="$root/$mod-build" modules >&2 ||
		die "building $mod.ko against linux-headers-$kver failed"
	cp "$root/$mod-build/$mod.ko" "$root/lib/"
	rm -rf "$root/$mod-build"
}
for mod in memeater allocfail; do
	build_module "$VMCORES_DIR/guest/$mod"
done
for src in "$VMCORES_DIR"/scenarios/*/*.c; do
	[ -f "$src" ] || continue
	cc -O2 -static -Wall -Wextra -pthread -I"$VMCORES_DIR/guest" \
		-o "$root/bin/$(basename "$src" .c)" "$src"
done
for kb in "$VMCORES_DIR"/scenarios/*/*/Kbuild; do
	[ -f "$kb" ] || continue
	build_module "$(dirname "$kb")"
done
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$out"
