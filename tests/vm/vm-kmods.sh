# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# vm-kmods.sh - the kernel's own modules that a test module needs, in the
# guest: crcpool.ko calls crc32c(), which Debian's 5.10 to 6.12 have in
# libcrc32c.ko (and libcrc32c asks for the crypto API's crc32c driver,
# crc32c-intel or crc32c_generic). Sourced by tests/vm/vm-lib.sh.
#
# vm_boot (vm-lib.sh) looks at the .ko files in the initramfs's /test: what
# each depends on (modinfo's depends and softdep pre:) is resolved the way
# modprobe would, by `modprobe --show-depends` on the kernel's own modules
# tree (with the modules.dep, modules.softdep and modules.alias that depmod
# makes for it here), and the modules it names go into a second cpio
# archive as /kmod/NAME.ko with /kmod/order, which the guest's /init loads
# before anything runs. A module that needs nothing (kthread.ko; crcpool.ko
# on 7.3, where crc32c() is in vmlinux, and on the debug kernel, which has
# CONFIG_LIBCRC32C=y) adds nothing, and no modules tree is fetched.
#
# The modules tree: cache/kernels/RELEASE/modtree/lib/modules/RELEASE, the
# kernel/crypto, kernel/lib and kernel/arch folders of Debian's image
# package and its modules.builtin* (enough for depmod), fetched once.

# vm_kmods_tree RELEASE: the base folder of RELEASE's modules tree (for
# modprobe -d), fetched and depmod'ed the first time.
vm_kmods_tree() {
	local rel=$1 base=$VM_CACHE/kernels/$1/modtree arch=amd64 deb
	[[ $rel != *-arm64 ]] || arch=arm64
	if [[ ! -f $base/.complete ]]; then
		local tmp=$VM_CACHE/kernels/$rel/modtree.tmp
		rm -rf "$tmp" "$base"
		mkdir -p "$tmp/deb" "$tmp/x"
		vm_log "fetching the modules of $rel (for the test modules' dependencies)"
		vm_kmods_download "$rel" "$arch" "$tmp/deb" || { vm_log "cannot download the image package of $rel"; return 1; }
		deb=$(find "$tmp/deb" -maxdepth 1 -name '*.deb' | head -n 1)
		# 7.x keeps its modules in /usr/lib/modules.
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/x" --wildcards --no-wildcards-match-slash \
			"./lib/modules/*/modules.builtin*" "./lib/modules/*/modules.order" "./lib/modules/*/kernel/crypto" \
			"./lib/modules/*/kernel/lib" "./lib/modules/*/kernel/arch" \
			"./usr/lib/modules/*/modules.builtin*" "./usr/lib/modules/*/modules.order" "./usr/lib/modules/*/kernel/crypto" \
			"./usr/lib/modules/*/kernel/lib" "./usr/lib/modules/*/kernel/arch" 2>/dev/null || true
		mkdir -p "$tmp/tree/lib/modules"
		local m
		for m in "$tmp"/x/lib/modules/"$rel" "$tmp"/x/usr/lib/modules/"$rel"; do
			[[ -d $m ]] && mv "$m" "$tmp/tree/lib/modules/$rel"
		done
		[[ -d $tmp/tree/lib/modules/$rel/kernel ]] || { vm_log "no modules of $rel in $(basename "$deb")"; return 1; }
		depmod -b "$tmp/tree" "$rel" || return 1
		mv "$tmp/tree" "$base"
		rm -rf "$tmp"
		touch "$base/.complete"
	fi
	echo "$base"
}

# vm_kmods_download RELEASE ARCH DIR: the image package of RELEASE into DIR,
# through the host's apt (amd64) or the project's view of the archive.
vm_kmods_download() {
	local rel=$1 arch=$2 dir=$3 p
	if [[ $arch == amd64 ]]; then
		for p in "linux-image-$rel" "linux-image-$rel-unsigned"; do
			(cd "$dir" && apt-get download "$p" >/dev/null 2>&1) && return 0
		done
	fi
	(
		# shellcheck source=scripts/debian-archive.sh
		. "$VM_ROOT/scripts/debian-archive.sh"
		archive_init >&2 || exit 1
		for p in "linux-image-$rel-unsigned" "linux-image-$rel" "linux-binary-$rel"; do
			archive_download "$dir" "$p:$arch" 2>/dev/null && exit 0
		done
		exit 1
	)
}

# vm_kmods_needs KO...: the modules the given .ko files need, one a line
# (their depends and softdep pre: names), without the given ones.
vm_kmods_needs() {
	local ko own=" " need
	for ko in "$@"; do
		ko=$(basename "${ko%.ko}")
		own+="${ko//-/_} "
	done
	for ko in "$@"; do
		modinfo -F depends "$ko" | tr ',' '\n'
		modinfo -F softdep "$ko" | sed -n 's/.*pre: *\([^:]*\).*/\1/p' | sed 's/ *post$//' | tr ' ' '\n'
	done | while read -r need; do
		[[ -z $need || $own == *" ${need//-/_} "* ]] || echo "$need"
	done | awk '!seen[$0]++'
}

# vm_kmods KERNEL OUT KO...: the modules KO... need from KERNEL's tree,
# uncompressed, as OUT/kmod/NAME.ko and OUT/kmod/order (load order); no
# OUT/kmod if they need none. Fails if one cannot be found.
vm_kmods() {
	local kernel=$1 out=$2
	shift 2
	rm -rf "$out/kmod"
	local needs
	needs=$(vm_kmods_needs "$@")
	[[ -n $needs ]] || return 0
	local dir=${kernel%/*} rel base
	rel=${dir##*/}
	if [[ $dir != "$VM_CACHE/kernels/$rel" ]]; then
		vm_log "the test modules need $(echo "$needs" | paste -sd' ') and $kernel is not a cached Debian kernel"
		return 1
	fi
	base=$(vm_kmods_tree "$rel") || return 1
	mkdir -p "$out/kmod"
	local need line path name
	for need in $needs; do
		modprobe -d "$base" -S "$rel" --show-depends "$need" >"$out/kmod/show.txt" 2>&1 ||
			{ vm_log "modprobe --show-depends $need: $(head -n 1 "$out/kmod/show.txt")"; return 1; }
		while read -r line; do
			[[ $line == insmod\ * ]] || continue # "builtin NAME": in vmlinux
			path=${line#insmod }
			path=${path%% *}
			name=$(basename "$path")
			name=${name%%.ko*}
			[[ ! -f $out/kmod/$name.ko ]] || continue
			case $path in
			*.xz) xz -dc "$path" >"$out/kmod/$name.ko" ;;
			*.zst) zstd -qdc "$path" >"$out/kmod/$name.ko" ;;
			*.gz) gzip -dc "$path" >"$out/kmod/$name.ko" ;;
			*) cp "$path" "$out/kmod/$name.ko" ;;
			esac
			echo "$name" >>"$out/kmod/order"
		done <"$out/kmod/show.txt"
	done
	rm -f "$out/kmod/show.txt"
	[[ ! -f $out/kmod/order ]] || vm_log "the kernel's modules for the test modules: $(paste -sd' ' "$out/kmod/order")"
}

# vm_kmods_initrd KERNEL INITRD OUT: INITRD, or OUT/initrd-kmod.cpio: INITRD
# followed by an archive of the kernel's modules its /test/*.ko need.
vm_kmods_initrd() {
	local kernel=$1 initrd=$2 out=$3 tmp kos=()
	[[ $initrd == /* ]] || initrd=$PWD/$initrd
	tmp=$(mktemp -d)
	(cd "$tmp" && cpio -id --quiet './test/*.ko' 'test/*.ko' <"$initrd")
	[[ ! -d $tmp/test ]] || mapfile -t kos < <(find "$tmp/test" -name '*.ko')
	if [[ ${#kos[@]} -eq 0 ]] || ! vm_kmods "$kernel" "$tmp" "${kos[@]}" || [[ ! -d $tmp/kmod ]]; then
		rm -rf "$tmp"
		echo "$initrd"
		return 0
	fi
	cat "$initrd" >"$out/initrd-kmod.cpio"
	(cd "$tmp" && find kmod | cpio -o -H newc --quiet) >>"$out/initrd-kmod.cpio"
	rm -rf "$tmp"
	echo "$out/initrd-kmod.cpio"
}
