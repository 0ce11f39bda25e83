#!/usr/bin/env bash
# Fetch a pinned Debian cloud kernel with apt and keep only what the dumps need:
# the bzImage, the debug vmlinux (for crash), its config, the qemu_fw_cfg module
# (so dumps carry VMCOREINFO) and the kernel headers package name for modules.
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
if [ -f "$dir/.complete" ]; then
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
dpkg-deb --fsys-tarfile "$tmp"/linux-image-"$kver"-dbg_*.deb |
	tar -x -C "$tmp/x" "./usr/lib/debug/boot/vmlinux-$kver" "./usr/lib/debug/boot/System.map-$kver"

rm -rf "$dir"
mkdir -p "$dir"
mv "$tmp/x/boot/vmlinuz-$kver" "$dir/vmlinuz"
mv "$tmp/x/boot/config-$kver" "$dir/config"
mv "$tmp/x/usr/lib/debug/boot/vmlinux-$kver" "$dir/vmlinux"
mv "$tmp/x/usr/lib/debug/boot/System.map-$kver" "$dir/System.map"
fwcfg=$(find "$tmp/x/lib/modules" -name 'qemu_fw_cfg.ko*' | head -n1)
[ -n "$fwcfg" ] || die "no qemu_fw_cfg module in linux-image-$kver"
case "$fwcfg" in
*.xz) xz -dc "$fwcfg" >"$dir/qemu_fw_cfg.ko" ;;
*.zst) zstd -qdc "$fwcfg" >"$dir/qemu_fw_cfg.ko" ;;
*) mv "$fwcfg" "$dir/qemu_fw_cfg.ko" ;;
esac
echo "$kver" >"$dir/release"
touch "$dir/.complete"
log "kernel $kver ready in $dir"
echo "$dir"
