#!/usr/bin/env bash
# Fetch a pinned Debian cloud kernel with apt and keep only what the dumps need:
# the bzImage, the debug vmlinux (for crash), its config, the qemu_fw_cfg module
# (so dumps carry VMCOREINFO), the fuse module where FUSE is not built in (the
# dstate scenario) and the kernel headers package name for modules.
# Usage: fetch-kernel.sh [KVER]   prints the kernel directory.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
. "$(dirname "$0")/common.sh"

kver=$(resolve_kver "${1:-}")
dir=$(kernel_dir "$kver")

# Headers to build the scenario module (installed system-wide: kbuild wants them there).
if [ ! -d "/lib/modules/$kver/build" ]; then
	log "installing linux-headers-$kver"
	SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
		"linux-headers-$kver" >&2 || die "cannot install linux-headers-$kver"
fi
# A module of the image package, decompressed into the kernel directory.
unpack_module() { # NAME FROM_DIR
	local ko
	ko=$(find "$2/lib/modules" -name "$1.ko*" | head -n1)
	[ -n "$ko" ] || die "no $1 module in linux-image-$kver"
	case "$ko" in
	*.xz) xz -dc "$ko" >"$dir/$1.ko" ;;
	*.zst) zstd -qdc "$ko" >"$dir/$1.ko" ;;
	*) cp "$ko" "$dir/$1.ko" ;;
	esac
}
fuse_is_module() { grep -q '^CONFIG_FUSE_FS=m' "$dir/config"; }

if [ -f "$dir/.complete" ]; then
	# A kernel fetched before the dstate scenario: add its fuse module.
	if fuse_is_module && [ ! -f "$dir/fuse.ko" ]; then
		tmp=$(mktemp -d)
		chmod 755 "$tmp"
		trap 'rm -rf "$tmp"' EXIT
		log "fetching the fuse module of linux-image-$kver"
		(cd "$tmp" && apt-get download -q "linux-image-$kver-unsigned" >&2) ||
			die "apt-get download failed: run 'apt-get update' first"
		mkdir -p "$tmp/x"
		dpkg-deb --fsys-tarfile "$tmp"/linux-image-"$kver"-unsigned_*.deb |
			tar -x -C "$tmp/x" --wildcards './lib/modules/*/fuse.ko*'
		unpack_module fuse "$tmp/x"
	fi
	echo "$dir"
	exit 0
fi

command -v apt-get >/dev/null || die "apt-get is needed to fetch Debian's kernel"
tmp=$(mktemp -d)
chmod 755 "$tmp" # apt downloads as _apt
trap 'rm -rf "$tmp"' EXIT
log "fetching linux-image-$kver (unsigned + dbg) with apt"
(cd "$tmp" && apt-get download -q "linux-image-$kver-unsigned" "linux-image-$kver-dbg" >&2) ||
	die "apt-get download failed: run 'apt-get update' first, or the kernel $kver left the archive"

mkdir -p "$tmp/x"
dpkg-deb --fsys-tarfile "$tmp"/linux-image-"$kver"-unsigned_*.deb |
	tar -x -C "$tmp/x" --wildcards './boot/*' './lib/modules/*/qemu_fw_cfg.ko*'
if grep -q '^CONFIG_FUSE_FS=m' "$tmp/x/boot/config-$kver"; then
	dpkg-deb --fsys-tarfile "$tmp"/linux-image-"$kver"-unsigned_*.deb |
		tar -x -C "$tmp/x" --wildcards './lib/modules/*/fuse.ko*'
fi
dpkg-deb --fsys-tarfile "$tmp"/linux-image-"$kver"-dbg_*.deb |
	tar -x -C "$tmp/x" "./usr/lib/debug/boot/vmlinux-$kver" "./usr/lib/debug/boot/System.map-$kver"

rm -rf "$dir"
mkdir -p "$dir"
mv "$tmp/x/boot/vmlinuz-$kver" "$dir/vmlinuz"
mv "$tmp/x/boot/config-$kver" "$dir/config"
mv "$tmp/x/usr/lib/debug/boot/vmlinux-$kver" "$dir/vmlinux"
mv "$tmp/x/usr/lib/debug/boot/System.map-$kver" "$dir/System.map"
unpack_module qemu_fw_cfg "$tmp/x"
! fuse_is_module || unpack_module fuse "$tmp/x"
echo "$kver" >"$dir/release"
touch "$dir/.complete"
log "kernel $kver ready in $dir"
echo "$dir"
