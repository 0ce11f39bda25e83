#!/usr/bin/env bash
# Debian's own crash of a newer release, the binary its users run, set up on
# this machine without a build, and cached outside the repo, so memscope.so
# can be built against its defs.h and tested in it.
#
#   bash scripts/debian-crash.sh VERSION     prints the cache dir on stdout
#   bash scripts/debian-crash.sh --list      the versions it sets up
#
# VERSION is 8.0.6 (Debian 13, trixie) or 9.0.2 (Debian unstable, gdb 16.3
# built in).  The cache dir, ~/.cache/memscope/crash/debian-VERSION-<hash of
# this script and crash-apt.sh> (MEMSCOPE_CRASH_CACHE overrides the parent),
# has the layout scripts/build-crash.sh gives a build:
#   bin/crash              runs that release's crash (below) with its own
#                          dynamic loader and libraries first
#   include/crash/defs.h   from that release's source package (`make
#                          CRASH_INCLUDE=...`)
#   root/                  the release's crash package and the libraries in
#                          its Depends, unpacked with dpkg-deb -x: among them
#                          its glibc and libstdc++, newer than Debian 12's
#                          (trixie's crash needs glibc 2.38, sid's 2.42)
#   setup.log, setup-seconds
# Everything comes through a private apt state (scripts/crash-apt.sh) whose
# sources list holds only that release's deb and deb-src lines; nothing is
# installed on the machine.  memscope.so, loaded into that crash, takes the
# libraries root/ lacks (jansson, libdw, ...) from the machine: Debian 12's
# builds run on the newer glibc.  A cache is used only once complete (the
# dir is renamed into place at the end).
#
# Measured on a 2-core machine: about 10 s and 45 MB of downloads per
# version, against scripts/build-crash.sh's 11 to 19 minutes of CPU.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
. "$here/crash-apt.sh"
VERSION=${1:?usage: debian-crash.sh VERSION ($CRASH_VERSIONS) | --list}
[ "$VERSION" = --list ] && { echo "$CRASH_VERSIONS"; exit 0; }
SUITE=$(crash_suite "$VERSION")

hash=$(cat "$here/$(basename "$0")" "$here/crash-apt.sh" | sha256sum | cut -c1-12)
cache_root=${MEMSCOPE_CRASH_CACHE:-$HOME/.cache/memscope/crash}
out="$cache_root/debian-$VERSION-$hash"
done_already() { [ -x "$out/bin/crash" ] && [ -f "$out/include/crash/defs.h" ]; }
if done_already; then echo "$out"; exit 0; fi

mkdir -p "$cache_root"
exec 9>"$cache_root/.lock-debian-$VERSION"
flock 9
if done_already; then echo "$out"; exit 0; fi

work=$(mktemp -d "$cache_root/.debian-$VERSION.XXXXXX")
trap 'rm -rf "$work"' EXIT
log="$work/setup.log"
start=$(date +%s)
fail() { echo "debian-crash: $*; last lines of $log:" >&2; tail -20 "$log" >&2; exit 1; }

apt_private "$work/apt" "$(apt_line deb "$SUITE")" "$(apt_line deb-src "$SUITE")" >>"$log" 2>&1 ||
	fail "apt-get update for $SUITE failed"
have=$(apt-cache "${APT[@]}" show crash | sed -n 's/^Version: //p' | head -1)
crash_check_version "$VERSION" "$have" "$SUITE"

# crash and the first alternative of each of its Depends, less binutils (the
# programs crash may run are the machine's), and what glibc itself needs.
deps() {
	apt-cache "${APT[@]}" show "$1" | sed -n 's/^Depends: //p' | head -1 | tr ',' '\n' |
		sed 's/|.*//; s/(.*)//; s/:any//; s/[[:space:]]//g' | grep -v -x -e '' -e binutils
}
pkgs=(crash $(deps "crash=$have"))
pkgs+=($(deps libc6 | grep -v -e '^libc-gconv'))
mkdir -p "$work/debs" "$work/out/root"
(cd "$work/debs" && apt-get "${APT[@]}" download "crash=$have" "${pkgs[@]:1}") >>"$log" 2>&1 ||
	fail "apt-get download ${pkgs[*]} from $SUITE failed"
for deb in "$work/debs"/*.deb; do
	echo "debian-crash: $(basename "$deb")" >>"$log"
	dpkg-deb -x "$deb" "$work/out/root"
done

# The loader and the library folder of that glibc (merged /usr or not).
ldso=$(cd "$work/out/root" && find . -name 'ld-linux*.so.*' -type f | head -1)
[ -n "$ldso" ] || fail "no dynamic loader in $SUITE's libc6"
libdir=$(dirname "${ldso#./}")
mkdir -p "$work/out/bin"
cat >"$work/out/bin/crash" <<EOF
#!/bin/sh
# crash $have from Debian $SUITE (scripts/debian-crash.sh): its own loader
# and libraries first, then the machine's (for what an extension links).
r="\$(dirname "\$0")/../root"
exec "\$r/${ldso#./}" --library-path "\$r/$libdir" --argv0 "\$0" "\$r/usr/bin/crash" "\$@"
EOF
chmod 0755 "$work/out/bin/crash"
"$work/out/bin/crash" --version >>"$log" 2>&1 || fail "crash $have does not start here"
"$work/out/bin/crash" --version | grep -q "^crash $VERSION\$" || fail "bin/crash is not crash $VERSION"

crash_source_tree "$have" "$work/src" >>"$log" 2>&1 || fail "no source tree of crash $have"
install -D -m 0644 "$work/src/tree/defs.h" "$work/out/include/crash/defs.h"
cp "$log" "$work/out/setup.log"
echo $(($(date +%s) - start)) >"$work/out/setup-seconds"
rm -rf "$out"
mv "$work/out" "$out"
echo "debian-crash: crash $have from $SUITE in $(cat "$out/setup-seconds") s: $out" >&2
echo "$out"
