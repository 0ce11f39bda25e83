#!/usr/bin/env bash
# Build one crash release from Debian's source package and cache it outside
# the repo, so memscope.so can be built against its defs.h and tested in it.
#
#   bash scripts/build-crash.sh VERSION      prints the cache dir on stdout
#   bash scripts/build-crash.sh --list       the versions it builds, the ones
#                                            the default test run covers
#
# VERSION is 8.0.6 (Debian 13, trixie) or 9.0.2 (Debian unstable, with gdb
# 16.3 as a second tarball).  The cache dir,
# ~/.cache/memscope/crash/VERSION-<hash of this script> (MEMSCOPE_CRASH_CACHE
# overrides the parent), holds bin/crash, include/crash/defs.h (for
# `make CRASH_INCLUDE=...`), build.log and build-seconds.  A missing cache is
# built again; a cache is only used once complete (the dir is renamed into
# place at the end), so an interrupted build is never taken for a good one.
#
# The source comes through a private apt state under the build dir, holding
# only that release's deb-src line (scripts/crash-apt.sh, which says how the
# tree is unpacked); crash 8.0.6's orig tarball carries gdb-10.2.tar.gz in
# its top folder.  scripts/debian-crash.sh takes Debian's own binary of the
# same crash instead, with no build: what the tests run by default.
#
# Cheapest build (measured; see README "Other crash versions"): crash's own
# Makefile, one pass, -j2; lzo/snappy/zstd switched on the way `make lzo
# snappy zstd` does (CFLAGS.extra/LDFLAGS.extra) so a second relink pass is
# not needed; gdb configured through GDB_CONF_FLAGS (the variable crash's
# Makefile passes to gdb's configure) without gdbserver, NLS, TUI, guile,
# source-highlight, debuginfod and docs (MAKEINFO=true); gdb compiled at -O1
# without -g (configure's CFLAGS/CXXFLAGS, in place of its -g -O2): 9.0.2's
# build took 663 s of CPU instead of 1120 s, and crash's start-up on a 6.1
# dump 6.25 s instead of 5.27 s, a cost the tests pay a few times only.
#
# Test-only patches: scripts/crash-patches/VERSION/*.patch (patch -p1 in the
# crash tree, in name order), each saying in its header why; the cache key
# hashes this script, crash-apt.sh and that version's patches only.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
. "$here/crash-apt.sh"
VERSION=${1:?usage: build-crash.sh VERSION ($CRASH_VERSIONS) | --list}
[ "$VERSION" = --list ] && { echo "$CRASH_VERSIONS"; exit 0; }
SUITE=$(crash_suite "$VERSION")
JOBS=${MEMSCOPE_CRASH_JOBS:-2}

self="$here/$(basename "$0")"
patches=("$here/crash-patches/$VERSION"/*.patch)
[ -e "${patches[0]}" ] || patches=()
hash=$(cat "$self" "$here/crash-apt.sh" "${patches[@]}" | sha256sum | cut -c1-12)
cache_root=${MEMSCOPE_CRASH_CACHE:-$HOME/.cache/memscope/crash}
out="$cache_root/$VERSION-$hash"
if [ -x "$out/bin/crash" ] && [ -f "$out/include/crash/defs.h" ]; then
	echo "$out"
	exit 0
fi

mkdir -p "$cache_root"
# One build per version at a time (two test runs may ask together).
exec 9>"$cache_root/.lock-$VERSION"
flock 9
if [ -x "$out/bin/crash" ]; then echo "$out"; exit 0; fi

work=$(mktemp -d "$cache_root/.build-$VERSION.XXXXXX")
trap 'rm -rf "$work"' EXIT
log="$work/build.log"
start=$(date +%s)
echo "build-crash: building crash $VERSION in $work (log: $log)" >&2

apt_private "$work/apt" "$(apt_line deb-src "$SUITE")" >>"$log" 2>&1 || { tail -20 "$log" >&2; exit 1; }
have=$(apt-cache "${APT[@]}" showsrc crash | sed -n 's/^Version: //p' | head -1)
crash_check_version "$VERSION" "$have" "$SUITE"
crash_source_tree "$have" "$work/src" >>"$log" 2>&1 || { tail -20 "$log" >&2; exit 1; }
cd "$work/src/tree"
for p in "${patches[@]}"; do
	echo "build-crash: applying $(basename "$p")" >>"$log"
	patch -p1 <"$p" >>"$log" 2>&1 || { echo "build-crash: $p does not apply" >&2; exit 1; }
done

# What `make lzo snappy zstd` would have configure write, before the one build.
printf -- '-DLZO\n-DSNAPPY\n-DZSTD\n' >CFLAGS.extra
printf -- '-llzo2\n-lsnappy\n-lzstd\n' >LDFLAGS.extra
GDB_CONF="--disable-gdbserver --disable-inprocess-agent --disable-nls --disable-tui \
--disable-source-highlight --without-guile --without-babeltrace --without-debuginfod \
--without-intel-pt --without-xxhash --without-lzma --disable-werror CFLAGS=-O1 CXXFLAGS=-O1"
if ! nice -n 10 make -j"$JOBS" MAKEINFO=true GDB_CONF_FLAGS="$GDB_CONF" \
	>>"$log" 2>&1 || [ ! -x crash ]; then
	echo "build-crash: crash $VERSION failed to build; last lines of $log:" >&2
	tail -30 "$log" >&2
	exit 1
fi
./crash --version >>"$log" 2>&1 || true

mkdir -p "$work/out/bin" "$work/out/include/crash"
install -m 0755 crash "$work/out/bin/crash"
install -m 0644 defs.h "$work/out/include/crash/defs.h"
cp "$log" "$work/out/build.log"
echo $(($(date +%s) - start)) >"$work/out/build-seconds"
rm -rf "$out"
mv "$work/out" "$out"
echo "build-crash: crash $VERSION built in $(cat "$out/build-seconds")s: $out" >&2
echo "$out"
