#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# kdir.sh - the one place that picks the kernel build tree to build for,
# and its architecture. The Makefile runs it; the scripts source it.
#
# The architecture: ARCH from the environment or make's command line
# (x86, x86_64, amd64; arm64, aarch64), else the machine's own. A tree of
# another architecture is refused, whichever way it was picked (its
# .config says which: CONFIG_X86_64 or CONFIG_ARM64).
#
# The tree, in this order:
#   1. KDIR, if set;
#   2. the running kernel's build tree, /lib/modules/$(uname -r)/build
#      (only when building for the machine's own architecture);
#   3. the newest *generic* Debian headers of that architecture,
#      /usr/src/linux-headers-*-amd64 (or -arm64), and for a foreign
#      architecture also those scripts/arm64-kernel.sh fetched into
#      cache/arm64/trees/, without a flavour (-rt-, -cloud-, ...), by
#      version (sort -V);
#   4. the newest headers of any flavour, if there is no generic one.
#
# Sourced: sets and exports KDIR, KDIR_WHY (how it was picked: "generic",
# "the running kernel's", ...), KDIR_NOTE (why the running kernel's tree
# was not used, or empty) and KDIR_ARCH (x86 or arm64); when that is not the
# machine's architecture, also ARCH and CROSS_COMPILE (aarch64-linux-gnu-
# unless set), so that every `make -C $KDIR` of the caller cross-builds.
# Exits the caller with an error if there is no build tree, or one of
# another architecture. kdir_banner RELEASE prints "Booting Debian's
# RELEASE (generic, from KDIR)". Run:
#   scripts/kdir.sh [--why|--arch|--cross-compile]
# prints KDIR; `--why` "kernel: KDIR (how it was picked; note)"; `--arch`
# the architecture; `--cross-compile` the CROSS_COMPILE prefix (empty
# natively).
# For the tests of this logic: KDIR_HEADERS_ROOT (default /usr/src),
# KDIR_CACHE_TREES (default cache/arm64/trees of this checkout),
# KDIR_RUNNING_TREE (default /lib/modules/$(uname -r)/build) and
# KDIR_HOST_ARCH (default: uname -m).

# kdir_norm_arch NAME: the kernel's name for an architecture (x86, arm64).
kdir_norm_arch() {
	case $1 in
	x86 | x86_64 | amd64) echo x86 ;;
	arm64 | aarch64) echo arm64 ;;
	*) echo "$1" ;;
	esac
}

# kdir_debian_arch ARCH: Debian's name, the headers' suffix (amd64, arm64).
kdir_debian_arch() {
	case $1 in
	x86) echo amd64 ;;
	*) echo "$1" ;;
	esac
}

# kdir_tree_arch TREE: the architecture a build tree is for, from its
# .config (or generated autoconf.h); empty if it says none.
kdir_tree_arch() {
	local f
	for f in "$1/.config" "$1/include/generated/autoconf.h"; do
		[[ -f $f ]] || continue
		if grep -qE '^(CONFIG_ARM64=y|#define CONFIG_ARM64 1)$' "$f"; then
			echo arm64
		elif grep -qE '^(CONFIG_X86_64=y|#define CONFIG_X86_64 1)$' "$f"; then
			echo x86
		elif grep -qE '^(CONFIG_X86=y|#define CONFIG_X86 1)$' "$f"; then
			echo x86
		else
			continue
		fi
		return 0
	done
	# A tree without a configuration: Debian's name says it (the tests' fakes).
	case $1 in
	*-amd64) echo x86 ;;
	*-arm64) echo arm64 ;;
	esac
}

# kdir_is_generic NAME [SUFFIX]: true for linux-headers-6.1.0-57-amd64 or
# linux-headers-6.12.38+deb12-amd64; false for -rt-amd64, -cloud-amd64, ...
# (every dash-separated part of the release before -amd64 starts with a
# digit). SUFFIX: the Debian architecture (amd64, the default; arm64).
kdir_is_generic() {
	local rel=${1#linux-headers-} part suffix=${2:-amd64}
	[[ $rel == *-"$suffix" ]] || return 1
	rel=${rel%-"$suffix"}
	local IFS=-
	for part in $rel; do
		[[ $part == [0-9]* ]] || return 1
	done
	return 0
}

kdir_pick() {
	local root=${KDIR_HEADERS_ROOT:-/usr/src}
	local cached=${KDIR_CACHE_TREES:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/cache/arm64/trees}
	local running=${KDIR_RUNNING_TREE:-/lib/modules/$(uname -r)/build}
	local suffix
	suffix=$(kdir_debian_arch "$KDIR_ARCH")
	KDIR_NOTE=""
	if [[ -n ${KDIR:-} ]]; then
		KDIR_WHY="given as KDIR"
		return 0
	fi
	if [[ $KDIR_ARCH == "$KDIR_HOST_ARCH" && -f $running/Makefile ]]; then
		KDIR=$running KDIR_WHY="the running kernel's"
		return 0
	fi
	local trees=() generic=() t
	# By version (the folder's name), wherever they are.
	mapfile -t trees < <({
		find "$root" -mindepth 1 -maxdepth 1 -name "linux-headers-*-$suffix" 2>/dev/null
		[[ $KDIR_ARCH == "$KDIR_HOST_ARCH" ]] ||
			find "$cached" -mindepth 4 -maxdepth 4 -path "*/usr/src/linux-headers-*-$suffix" 2>/dev/null
	} | awk -F/ '{ print $NF "\t" $0 }' | sort -V -k1,1 | cut -f2)
	for t in "${trees[@]}"; do
		[[ -f $t/Makefile ]] || continue
		kdir_is_generic "$(basename "$t")" "$suffix" && generic+=("$t")
	done
	if [[ $KDIR_ARCH == "$KDIR_HOST_ARCH" ]]; then
		KDIR_NOTE="no build tree for the running kernel $(uname -r)"
	else
		KDIR_NOTE="cross-building for $KDIR_ARCH on $KDIR_HOST_ARCH"
	fi
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

KDIR_HOST_ARCH=$(kdir_norm_arch "${KDIR_HOST_ARCH:-$(uname -m)}")
KDIR_ARCH=$(kdir_norm_arch "${ARCH:-$KDIR_HOST_ARCH}")
kdir_pick
if [[ -z $KDIR || ! -f $KDIR/Makefile ]]; then
	if [[ $KDIR_ARCH == "$KDIR_HOST_ARCH" ]]; then
		echo "error: no kernel build tree${KDIR:+ at KDIR=$KDIR} (apt-get install linux-headers-$(kdir_debian_arch "$KDIR_ARCH"), or pass KDIR=)" >&2
	else
		echo "error: no $KDIR_ARCH kernel build tree${KDIR:+ at KDIR=$KDIR} (scripts/arm64-kernel.sh fetches Debian's into cache/, or pass KDIR=)" >&2
	fi
	exit 1
fi
kdir_tree=$(kdir_tree_arch "$KDIR")
if [[ $kdir_tree != "$KDIR_ARCH" ]]; then
	echo "error: $KDIR is a kernel tree for ${kdir_tree:-an unknown architecture}, not $KDIR_ARCH (ARCH=${ARCH:-unset}; pass ARCH=${kdir_tree:-...} to build for it, or a KDIR for $KDIR_ARCH)" >&2
	exit 1
fi
unset kdir_tree
export KDIR KDIR_WHY KDIR_NOTE KDIR_ARCH
if [[ $KDIR_ARCH != "$KDIR_HOST_ARCH" ]]; then
	# Kbuild reads both from the environment.
	export ARCH=$KDIR_ARCH
	case $KDIR_ARCH in
	arm64) export CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-} ;;
	x86) export CROSS_COMPILE=${CROSS_COMPILE:-x86_64-linux-gnu-} ;;
	esac
fi

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	case ${1:-} in
	"") echo "$KDIR" ;;
	--why) echo "kernel: $KDIR ($KDIR_ARCH, $KDIR_WHY${KDIR_NOTE:+; $KDIR_NOTE})" ;;
	--arch) echo "$KDIR_ARCH" ;;
	--cross-compile) echo "${CROSS_COMPILE:-}" ;;
	*)
		# shellcheck source=scripts/usage.sh
		. "$(dirname "${BASH_SOURCE[0]}")/usage.sh"
		usage
		exit 2
		;;
	esac
fi
