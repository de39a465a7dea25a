#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Installs the Debian packages `make demo` and `make check` need (as
# root), or prints the command to do it. Quiet when all are present.
set -euo pipefail
# Debian's kernel source (checkpatch.pl, kernel-doc, the debug kernel): the
# release's own, named in one place.
source_pkg=$("$(dirname "$0")/kernel-source.sh" --package)

packages=(
	# build kthread.ko with kbuild: gcc/g++ matching the kernel's, headers
	build-essential g++ linux-headers-amd64 kmod
	# boot Debian's kernel in QEMU with a busybox initramfs
	qemu-system-x86 busybox-static cpio python3 procps zstd
	# host unit tests
	cmake googletest libgtest-dev
	# static checks
	sparse clang-tidy clang-format cppcheck
	# DKMS packaging test
	dkms
	# make bench and make demo: the plots (svg, pngcairo)
	gnuplot-nox
	# kernel style checks: checkpatch.pl and kernel-doc from Debian's kernel
	# source (the debug kernel is built from it too), and shellcheck
	"$source_pkg" xz-utils shellcheck
)

# `deps.sh debug`: what building the debug kernel needs as well.
# `deps.sh deb`: what `make deb` (the -dkms package, lintian) and its test
# (a debootstrap chroot) need as well. `deps.sh fuzz`: the debug kernel's
# and Debian's syscall fuzzer, trinity, which make fuzz runs in the guest.
# `deps.sh arm64`: the cross compilers (gcc/g++ 12, as Debian's arm64 6.1
# and 6.12 kernels are built with), their binutils (objdump for the
# atomics check), QEMU for aarch64, and pahole (BTF of 6.12's modules).
# `deps.sh deb-arm64`: qemu-user, which runs an arm64 Debian chroot (the
# -dkms package's test on arm64). Several groups may be named.
for group in "$@"; do
	case $group in
	arm64) packages+=(gcc-aarch64-linux-gnu g++-aarch64-linux-gnu binutils-aarch64-linux-gnu
		qemu-system-arm dwarves) ;;
	debug) packages+=("$source_pkg" bc bison flex libssl-dev libelf-dev xz-utils) ;;
	deb) packages+=(dpkg-dev debhelper dh-dkms fakeroot lintian debootstrap zstd) ;;
	deb-arm64) packages+=(qemu-user-static) ;;
	fuzz) packages+=("$source_pkg" bc bison flex libssl-dev libelf-dev xz-utils trinity) ;;
	*) echo "deps.sh: no group '$group'" >&2; exit 2 ;;
	esac
done

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
	echo "missing Debian packages; as root run:" >&2
	echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
