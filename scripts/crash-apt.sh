# Sourced by scripts/build-crash.sh and scripts/debian-crash.sh: the Debian
# release each crash version comes from, a private apt state for it, and the
# crash source tree of that release (for its defs.h, or to build it).
# SPDX-License-Identifier: GPL-2.0-or-later

CRASH_VERSIONS="8.0.6 9.0.2"
MIRROR=${MEMSCOPE_DEBIAN_MIRROR:-http://deb.debian.org/debian}

# crash_suite VERSION: the release whose crash it is (Debian 13, unstable).
crash_suite() {
	case "$1" in
	8.0.6) echo trixie ;;
	9.0.2) echo sid ;;
	*) echo "crash-apt: unknown crash version $1 ($CRASH_VERSIONS)" >&2; return 2 ;;
	esac
}

# apt_private DIR LINE...: a private apt state under DIR whose sources list
# holds only LINEs (a release's deb and deb-src lines); sets APT, the options
# that make apt-get and apt-cache use it.  The machine's own apt sources,
# lists and status are untouched; apt checks every file it fetches against
# the release's signed index.
apt_private() {
	local st=$1
	shift
	mkdir -p "$st/etc/sources.list.d" "$st/etc/preferences.d" "$st/lists/partial" \
		"$st/cache/archives/partial"
	printf '%s\n' "$@" >"$st/etc/sources.list"
	APT=(-o "Dir::Etc::SourceList=$st/etc/sources.list"
		-o "Dir::Etc::SourceParts=$st/etc/sources.list.d"
		-o "Dir::Etc::PreferencesParts=$st/etc/preferences.d"
		-o "Dir::State::Lists=$st/lists" -o "Dir::Cache=$st/cache"
		-o "Dir::State::status=/dev/null" -o "APT::Sandbox::User=root" -q)
	apt-get "${APT[@]}" update
}

# apt_line KIND SUITE: a deb or deb-src line of that release.
apt_line() {
	echo "$1 [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $2 main"
}

# crash_check_version VERSION HAVE SUITE: the release carries that crash.
crash_check_version() {
	case "$2" in
	"$1" | "$1"-* | "$1"+*) ;;
	*) echo "crash-apt: $3 has crash '$2', not $1" >&2; return 1 ;;
	esac
}

# crash_source_tree HAVE DIR: crash's source package HAVE (a Debian version)
# unpacked in DIR/tree.  Where the mirror serves the .dsc and the Debian
# patches, dpkg-source unpacks it with them applied (for 9.0.2 they move
# gdb's component tarball, unpacked as gdb/, to gdb-16.3/ where crash's
# Makefile looks for it instead of downloading, and update crash to gdb
# 16.3); where only the orig tarball is served (seen for 8.0.6: its .dsc
# answers 404), the upstream tree is used as it is.
crash_source_tree() {
	local have=$1 dir=$2 orig
	mkdir -p "$dir"
	(cd "$dir" && apt-get "${APT[@]}" source --download-only "crash=$have") ||
		echo "crash-apt: apt-get source fetched only part of crash $have" >&2
	if [ -f "$dir/crash_$have.dsc" ] && ls "$dir"/crash_*.debian.tar.* >/dev/null 2>&1; then
		(cd "$dir" && dpkg-source -x "crash_$have.dsc" tree)
	else
		orig=$(cd "$dir" && ls crash_*.orig.tar.* 2>/dev/null | grep -v -- '-[a-z]*\.tar' | head -1 || true)
		[ -n "$orig" ] || { echo "crash-apt: no crash source for $have" >&2; return 1; }
		mkdir -p "$dir/tree"
		tar -xf "$dir/$orig" -C "$dir/tree" --strip-components=1
	fi
	rm -f "$dir"/*.tar.* "$dir"/*.dsc
	[ -f "$dir/tree/defs.h" ] && [ -f "$dir/tree/Makefile" ] ||
		{ echo "crash-apt: no crash tree for $have" >&2; return 1; }
}
