#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# kdir.sh - the one place that picks the kernel build tree to build for.
# The Makefile runs it; the scripts source it. In this order:
#   1. KDIR, if set;
#   2. the running kernel's build tree, /lib/modules/$(uname -r)/build;
#   3. the newest *generic* Debian headers, /usr/src/linux-headers-*-amd64
#      without a flavour (-rt-, -cloud-, ...), by version (sort -V);
#   4. the newest headers of any flavour, if there is no generic one.
#
# Sourced: sets and exports KDIR, KDIR_WHY (how it was picked: "generic",
# "the running kernel's", ...) and KDIR_NOTE (why the running kernel's tree
# was not used, or empty); exits the caller with an error if there is no
# build tree at all; kdir_banner RELEASE prints "Booting Debian's RELEASE
# (generic, from KDIR)". Run: `scripts/kdir.sh` prints KDIR;
# `scripts/kdir.sh --why` prints "kernel: KDIR (how it was picked; note)".
# For the tests of this logic: KDIR_HEADERS_ROOT (default /usr/src) and
# KDIR_RUNNING_TREE (default /lib/modules/$(uname -r)/build).

# kdir_is_generic NAME: true for linux-headers-6.1.0-57-amd64 or
# linux-headers-6.12.38+deb12-amd64; false for -rt-amd64, -cloud-amd64, ...
# (every dash-separated part of the release before -amd64 starts with a digit).
kdir_is_generic() {
	local rel=${1#linux-headers-} part
	[[ $rel == *-amd64 ]] || return 1
	rel=${rel%-amd64}
	local IFS=-
	for part in $rel; do
		[[ $part == [0-9]* ]] || return 1
	done
	return 0
}

kdir_pick() {
	local root=${KDIR_HEADERS_ROOT:-/usr/src}
	local running=${KDIR_RUNNING_TREE:-/lib/modules/$(uname -r)/build}
	KDIR_NOTE=""
	if [[ -n ${KDIR:-} ]]; then
		KDIR_WHY="given as KDIR"
		return 0
	fi
	if [[ -f $running/Makefile ]]; then
		KDIR=$running KDIR_WHY="the running kernel's"
		return 0
	fi
	local trees=() generic=() t
	mapfile -t trees < <(find "$root" -mindepth 1 -maxdepth 1 -name 'linux-headers-*-amd64' 2>/dev/null | sort -V)
	for t in "${trees[@]}"; do
		[[ -f $t/Makefile ]] || continue
		kdir_is_generic "$(basename "$t")" && generic+=("$t")
	done
	KDIR_NOTE="no build tree for the running kernel $(uname -r)"
	if [[ ${#generic[@]} -gt 0 ]]; then
		KDIR=${generic[-1]} KDIR_WHY="generic"
	elif [[ ${#trees[@]} -gt 0 && -f ${trees[-1]}/Makefile ]]; then
		KDIR=${trees[-1]} KDIR_WHY="not generic: none of that is installed"
	else
		KDIR="" KDIR_WHY="nothing found"
	fi
}

# kdir_banner RELEASE [MORE...]: the first line of make demo, check and bench.
kdir_banner() {
	local release=$1
	shift
	echo "Booting Debian's $release ($KDIR_WHY, from $KDIR)${*:+ $*}"
}

kdir_pick
if [[ -z $KDIR || ! -f $KDIR/Makefile ]]; then
	echo "error: no kernel build tree${KDIR:+ at KDIR=$KDIR} (apt-get install linux-headers-amd64, or pass KDIR=)" >&2
	exit 1
fi
export KDIR KDIR_WHY KDIR_NOTE

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	case ${1:-} in
	"") echo "$KDIR" ;;
	--why) echo "kernel: $KDIR ($KDIR_WHY${KDIR_NOTE:+; $KDIR_NOTE})" ;;
	*) sed -n '11,16p' "$0" >&2; exit 2 ;;
	esac
fi
