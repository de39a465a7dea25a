#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# kernel-source.sh - the one place that names Debian's kernel source: the
# package of the Debian release's own kernel (what its `linux-source`
# metapackage depends on: linux-source-6.1 on bookworm, linux-source-6.12
# on trixie), from which scripts/debug-kernel.sh builds the debug kernel and
# scripts/check-style.sh takes checkpatch.pl and kernel-doc.
#   scripts/kernel-source.sh [--package|--tarball]
# --package (the default): the package to install (scripts/deps.sh);
# --tarball: the installed tarball, or an error naming the package.
# Sourced: kernel_source_package, kernel_source_tarball. KERNEL_SOURCE_PACKAGE
# overrides the choice (another kernel); KERNEL_SOURCE_ROOT (/usr/src) is
# where the tarballs are.

# kernel_source_package: linux-source-X.Y, as apt resolves the metapackage;
# without apt, the newest one installed.
kernel_source_package() {
	local pkg=${KERNEL_SOURCE_PACKAGE:-}
	[[ -n $pkg ]] || pkg=$(apt-cache depends linux-source 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-source-[0-9][0-9.]*\)$/\1/p' | sort -V | tail -n 1)
	if [[ -z $pkg ]]; then
		pkg=$(find "${KERNEL_SOURCE_ROOT:-/usr/src}" -maxdepth 1 -name 'linux-source-*.tar.xz' -printf '%f\n' 2>/dev/null |
			sed 's/\.tar\.xz$//' | sort -V | tail -n 1)
	fi
	echo "${pkg:-linux-source}"
}

# kernel_source_tarball: /usr/src/linux-source-X.Y.tar.xz, whose top folder
# is linux-source-X.Y; fails, naming the package, if it is not installed.
kernel_source_tarball() {
	local pkg tarball
	pkg=$(kernel_source_package)
	tarball=${KERNEL_SOURCE_ROOT:-/usr/src}/$pkg.tar.xz
	if [[ ! -f $tarball ]]; then
		echo "error: no $tarball: apt-get install $pkg" >&2
		return 1
	fi
	echo "$tarball"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	set -euo pipefail
	case ${1:---package} in
	--package) kernel_source_package ;;
	--tarball) kernel_source_tarball ;;
	*)
		# shellcheck source=scripts/usage.sh
		. "$(dirname "$0")/usage.sh"
		usage
		exit 2
		;;
	esac
fi
