#!/usr/bin/env bash
# Install what memscope needs to build, make dumps and run its tests on Debian 12.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
PACKAGES=(
	build-essential pkg-config make
	crash                       # the debugger memscope extends (defs.h, 8.0.2)
	libjansson-dev check        # JSON; unit tests
	libkdumpfile-dev            # reading dumps without crash
	libbpf-dev libdw-dev libelf-dev  # the CLI: BTF and DWARF types
	qemu-system-x86 busybox-static makedumpfile cpio gzip xz-utils zstd  # vmcores/
	python3 python3-pytest python3-pytest-xdist  # vmcore test driver, a worker per core
	python3-jsonschema jq       # every --json against schemas/; the README's batch example
	groff-base                  # memscope(1) rendered in the tests
	clang-14 libclang-rt-14-dev # make fuzz: libFuzzer harnesses (tests/fuzz/)
	bc time                     # bench/
	# dpkg-dev: dpkg-source for the crash source trees of debian-crash.sh
	# (the default run's defs.h) and build-crash.sh; the rest is what
	# MEMSCOPE_CRASH_FROM=build needs to build crash 8.0.6 and 9.0.2 from
	# Debian's source packages (their Build-Depends; gdb 16 needs gmp, mpfr)
	dpkg-dev bison flex gawk texinfo zlib1g-dev libncurses-dev liblzo2-dev libsnappy-dev
	libzstd-dev libgmp-dev libmpfr-dev
)
missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
	$SUDO apt-get update -q
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
