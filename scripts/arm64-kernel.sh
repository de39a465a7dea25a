#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# arm64-kernel.sh - Debian's arm64 kernel, fetched for cross-building and
# for booting under qemu-system-aarch64, without installing anything:
#   scripts/arm64-kernel.sh [6.1|6.12|RELEASE] [--list]
# prints the build tree (KDIR) of that kernel; 6.1 (the default) is the
# newest bookworm 6.1.0-N-arm64, 6.12 the newest 6.12.*+deb12-arm64 of
# bookworm-backports/-security, RELEASE one by name (6.1.0-57-arm64).
# Into the checkout's cache/ (git-ignored), each once:
#   cache/arm64/trees/RELEASE/   linux-headers-RELEASE:arm64, its -common
#       tree and this machine's own linux-kbuild of the same version, so the
#       headers' relative scripts and tools links land on kbuild programs
#       that run here (they are architecture-independent host tools)
#   cache/kernels/RELEASE/vmlinuz   the image (qemu boots it as it is)
#   cache/kernels/RELEASE/modules/  virtio_mmio, virtio_console and what
#       they need, uncompressed, as NAME.kmod (not .ko: kbuild's `make
#       clean` deletes every *.ko under the module's folder, cache/ too),
#       with `order` (load order): the guest's report channel (/dev/hvc0;
#       tests/vm/vm-lib.sh puts them in /report, tests/vm/guest/init loads them)
#   cache/arm64/busybox/busybox     busybox-static:arm64, for the initramfs
# On an arm64 Debian machine the installed linux-headers-*-arm64 need none
# of this (scripts/kdir.sh finds them), but the VM still takes its image
# and busybox from here. Packages come through scripts/debian-archive.sh
# (the machine's own mirrors, a private apt in cache/apt).
set -euo pipefail
# shellcheck source=scripts/usage.sh
. "$(dirname "$0")/usage.sh"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/debian-archive.sh
. "$ROOT/scripts/debian-archive.sh"
A64=$ROOT/cache/arm64
KERNELS=$ROOT/cache/kernels

log() { printf '[arm64 %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

want=6.1 list=0
for arg in "$@"; do
	case $arg in
	--list) list=1 ;;
	-*) usage; exit 2 ;;
	*) want=$arg ;;
	esac
done

mkdir -p "$A64" "$KERNELS"
exec {lock}>"$A64/.lock"
flock "$lock"

# The release to fetch: by name, or the newest of a line in the archive.
pick_release() {
	case $1 in
	*-arm64) echo "$1" ;;
	6.1) ARCHIVE_KERNEL_ARCH=arm64 archive_newest_kernel 'linux-headers-6\.1\.0-[0-9]+-arm64' \
		bookworm bookworm-updates bookworm-security | cut -d' ' -f1 ;;
	6.12) ARCHIVE_KERNEL_ARCH=arm64 archive_newest_kernel 'linux-headers-6\.12\.[0-9]+\+deb12-arm64' \
		bookworm-backports bookworm-security | cut -d' ' -f1 ;;
	*) die "unknown kernel '$1' (6.1, 6.12 or a release such as 6.1.0-57-arm64)" ;;
	esac
}

# Debian's Makefile includes the -common tree by its absolute path: point
# it at the unpacked copy (again if cache/ moved). fix_include ROOT KDIR
fix_include() {
	grep -q "^include $1/usr/src/" "$2/Makefile" || sed -i "s|^include .*/usr/src/|include $1/usr/src/|" "$2/Makefile"
}

# A release by name that is all here already: no need for the archive.
if [[ $want == *-arm64 && $list == 0 && -f $A64/trees/$want/.complete && -f $KERNELS/$want/vmlinuz &&
	-f $KERNELS/$want/modules/order && -x $A64/busybox/busybox ]]; then
	fix_include "$A64/trees/$want" "$A64/trees/$want/usr/src/linux-headers-$want"
	echo "$A64/trees/$want/usr/src/linux-headers-$want"
	exit 0
fi
archive_init >/dev/null || die "no package lists (scripts/debian-archive.sh)"
rel=$(pick_release "$want")
[[ -n $rel ]] || die "no arm64 kernel for '$want' in the archive"
if [[ $list == 1 ]]; then
	echo "$rel"
	exit 0
fi

# The host's own architecture, for the kbuild programs.
host_arch=$(dpkg --print-architecture)

fetch_tree() {
	local root=$A64/trees/$rel debs=$A64/debs/headers-$rel
	local kdir=$root/usr/src/linux-headers-$rel
	if [[ ! -f $root/.complete ]]; then
		rm -rf "$root" "$debs"
		local depends common kbuild
		depends=$(apt-cache "${ARCHIVE_APT[@]}" show "linux-headers-$rel:arm64" 2>/dev/null |
			sed -n 's/^Depends: //p' | head -n 1)
		common=$(tr ',' '\n' <<<"$depends" | sed 's/[ ]*(.*//; s/^ *//' | grep -E '^linux-headers-.*-common$' || true)
		kbuild=$(tr ',' '\n' <<<"$depends" | sed 's/[ ]*(.*//; s/^ *//' | grep -E '^linux-kbuild-' || true)
		[[ -n $common && -n $kbuild ]] || die "linux-headers-$rel:arm64: no -common or linux-kbuild in its Depends ($depends)"
		log "fetching linux-headers-$rel:arm64, $common, $kbuild:$host_arch"
		archive_download "$debs" "linux-headers-$rel:arm64" "$common" "$kbuild:$host_arch" ||
			die "download of the headers failed"
		mkdir -p "$root"
		local deb
		for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$root"; done
		[[ -f $kdir/Makefile ]] || die "linux-headers-$rel: no Makefile"
		[[ -x $kdir/scripts/basic/fixdep ]] || die "linux-headers-$rel: its scripts link does not reach $kbuild's programs"
		rm -rf "$debs"
		touch "$root/.complete"
	fi
	fix_include "$root" "$kdir"
	echo "$kdir"
}

# The modules the guest's report channel needs, in load order: the virtio
# console and the virtio-mmio transport of QEMU's virt machine, each after
# what it depends on (modules.dep), skipping what is built in.
fetch_image() {
	local dir=$KERNELS/$rel debs=$A64/debs/image-$rel
	if [[ -f $dir/vmlinuz && -f $dir/modules/order ]]; then
		local name ok=1
		while read -r name; do [[ -f $dir/modules/$name.kmod ]] || ok=0; done <"$dir/modules/order"
		[[ $ok == 0 ]] || return 0
	fi
	rm -rf "$debs" "$dir/modules"
	log "fetching linux-image-$rel-unsigned:arm64"
	archive_download "$debs" "linux-image-$rel-unsigned:arm64" ||
		archive_download "$debs" "linux-image-$rel:arm64" || die "download of the image failed"
	local x=$debs/x deb
	mkdir -p "$x" "$dir/modules"
	deb=$(find "$debs" -maxdepth 1 -name '*.deb' | head -n 1)
	dpkg-deb -x "$deb" "$x"
	local mods=$x/lib/modules/$rel
	[[ -d $mods ]] || mods=$x/usr/lib/modules/$rel
	# modules.dep is made by depmod at install: make it here from the files.
	local order=() m
	add_module() { # add_module NAME: NAME and what it depends on, first
		local name=$1 file dep
		file=$(find "$mods/kernel" -name "$name.ko*" | head -n 1)
		[[ -n $file ]] || return 0 # built in
		for dep in $(modinfo -F depends "$file" | tr ',' ' '); do add_module "$dep"; done
		[[ " ${order[*]} " == *" $name "* ]] && return 0
		case $file in
		*.xz) xz -dc "$file" >"$dir/modules/$name.kmod" ;;
		*.zst) zstd -qdc "$file" >"$dir/modules/$name.kmod" ;;
		*.gz) gzip -dc "$file" >"$dir/modules/$name.kmod" ;;
		*) cp "$file" "$dir/modules/$name.kmod" ;;
		esac
		order+=("$name")
	}
	for m in virtio_mmio virtio_console; do add_module "$m"; done
	printf '%s\n' "${order[@]}" >"$dir/modules/order"
	cp "$x/boot/vmlinuz-$rel" "$dir/vmlinuz.tmp"
	mv "$dir/vmlinuz.tmp" "$dir/vmlinuz"
	rm -rf "$debs"
}

fetch_busybox() {
	[[ -x $A64/busybox/busybox ]] && return 0
	local debs=$A64/debs/busybox
	rm -rf "$debs"
	log "fetching busybox-static:arm64"
	archive_download "$debs" busybox-static:arm64/bookworm || die "download of busybox-static:arm64 failed"
	dpkg-deb -x "$debs"/busybox-static_*.deb "$debs/x"
	mkdir -p "$A64/busybox"
	cp "$(find "$debs/x" -path "*bin/busybox" | head -n 1)" "$A64/busybox/busybox"
	rm -rf "$debs"
}

kdir=$(fetch_tree)
fetch_image
fetch_busybox
echo "$kdir"
