#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make deb-check: install the kthread-cxx-dkms package the way a user
# would, in a clean Debian system, and check what apt, dpkg and DKMS
# made of it. Prints ok / not ok lines and "N passed, N failed".
#
#   scripts/deb-check.sh [--deb PATH] [--kernel RELEASE] [--no-vm] [--cycles N] [--prepare]
#
# --deb PATH        test this package instead of building one (see below)
# --kernel RELEASE  the kernel to install and boot (6.12.118+deb13-amd64,
#                   6.1.0-57-arm64, ...); default: the one of the headers
#                   scripts/kdir.sh picks (ARCH=arm64: Debian's arm64 headers)
# --no-vm           skip the VM suite (for quick runs)
# --prepare         only build the cached clean system, then exit
#
# The package is built the way a user with a source tarball builds it:
# `make dist`, unpacked into build/deb-check/src (no .git), and `make deb`
# there.
#
# The clean system is a debootstrap chroot (minbase) of the Debian release
# that carries the kernel (the suite whose package lists have its image:
# bookworm for 6.1, bookworm-backports or -security for 6.12+deb12, trixie
# for +deb13, ...; scripts/debian-archive.sh, the archive's addresses taken
# from the machine's apt configuration), with Debian's image and headers
# for that kernel and nothing else. It is built once and kept as a tarball,
# $VM_CACHE/deb-chroot/<release of Debian>-<kernel release>.tar.zst; every run
# unpacks a fresh copy into build/deb-check/root (removed again when all
# checks pass). For an arm64 kernel the chroot is an arm64 Debian, run by
# qemu-user (qemu-user-static, registered with binfmt_misc if it is not):
# apt, dpkg, DKMS and g++ all run as arm64 programs, as on a Raspberry Pi,
# only slower; its VM suite boots qemu-system-aarch64. The packages apt
# downloads are kept
# in $VM_CACHE/deb-chroot/archives (apt's own cache, bind-mounted), so a
# warm run downloads nothing. Each command runs in the chroot in a private
# mount and PID namespace with its own /proc: nothing stays mounted.
#
# What is checked:
#   1. `apt-get install ./kthread-cxx-dkms_*.deb` pulls in what DKMS needs and
#      DKMS builds and installs kthread.ko for the kernel; modinfo shows the
#      version of debian/changelog; `modprobe` finds the module (depmod ran);
#   2. that very .ko (copied out of the chroot) passes the VM suite;
#   3. installing a second kernel's headers afterwards (the -rt flavour of the
#      same ABI) builds it for that kernel too (DKMS's header_postinst.d hook);
#   4. `make` in a copy of the sources (the unpacked tarball) picks the
#      generic headers over -rt;
#   5. `apt-get purge` removes the module of every kernel, the sources and
#      DKMS's tree, and what dpkg knew of the package;
#   6. in a second fresh copy of the clean system, first the package's
#      dependencies (`apt-get satisfy` of its Depends: what step 1 pulled in)
#      and both kernels' headers, then a snapshot of every path, then install
#      and purge: the file list afterwards equals the snapshot (apt's and
#      dpkg's logs and caches aside: see IGNORED below). A fresh copy, because
#      anything the first install left behind would hide in a snapshot taken
#      after it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
usage() { sed -n '/^#   scripts\/deb-check.sh/,/^# --prepare/p' "$0" | sed 's/^# \{0,3\}//' >&2; }
. scripts/kdir.sh
. tests/vm/vm-lib.sh
# shellcheck source=scripts/debian-archive.sh
. scripts/debian-archive.sh

deb="" vm=1 cycles=20 prepare_only=0 release=""
while [[ $# -gt 0 ]]; do
	case $1 in
	--deb) deb=$(realpath "$2"); shift 2 ;;
	--kernel) release=$2; shift 2 ;;
	--no-vm) vm=0; shift ;;
	--cycles) cycles=$2; shift 2 ;;
	--prepare) prepare_only=1; shift ;;
	*) usage; exit 2 ;;
	esac
done
[[ $(id -u) -eq 0 ]] || { echo "deb-check needs root (debootstrap, chroot)" >&2; exit 1; }

[[ -n $release ]] || release=$(vm_release_of "$KDIR")
# The Debian architecture is the kernel's (its release ends in it), and so
# is the VM's.
case $release in
*-arm64) arch=arm64 kbuild_arch=arm64 ;;
*-amd64) arch=amd64 kbuild_arch=x86 ;;
*) echo "deb-check: cannot tell the architecture of kernel $release (-amd64, -arm64)" >&2; exit 1 ;;
esac
export VM_ARCH=$kbuild_arch
flavour=${release%-"$arch"}-rt-$arch # the second kernel: same ABI, PREEMPT_RT
if [[ $arch == arm64 && $(uname -m) != aarch64 ]]; then
	scripts/deps.sh deb deb-arm64 arm64
	# qemu-user runs the chroot's programs: binfmt_misc must know arm64
	# ELF files, with the F flag (the interpreter is opened when it is
	# registered, so it need not exist inside the chroot).
	binfmt=/proc/sys/fs/binfmt_misc
	[[ -e $binfmt/register ]] || mount -t binfmt_misc binfmt_misc "$binfmt" ||
		{ echo "deb-check: cannot mount binfmt_misc" >&2; exit 1; }
	if [[ ! -e $binfmt/qemu-aarch64 ]]; then
		grep -v '^#' /usr/lib/binfmt.d/qemu-aarch64.conf >"$binfmt/register" ||
			{ echo "deb-check: cannot register qemu-aarch64 with binfmt_misc" >&2; exit 1; }
	fi
	if ! grep -qx enabled "$binfmt/qemu-aarch64" || ! grep -q '^flags:.*F' "$binfmt/qemu-aarch64"; then
		echo "deb-check: binfmt_misc's qemu-aarch64 entry is disabled or lacks the F flag" >&2
		exit 1
	fi
else
	scripts/deps.sh deb
fi

# The Debian release whose archive carries the kernel: its suite (bookworm,
# bookworm-backports, trixie-security, ...) and that suite's release.
archive_init || exit 1
suite=""
for p in "linux-image-$release" "linux-image-$release-unsigned"; do
	suite=$(archive_suite_of "$p" "$arch" | head -n 1)
	[[ -z $suite ]] || break
done
[[ -n $suite ]] || { echo "deb-check: no Debian suite carries linux-image-$release" >&2; exit 1; }
debian=${suite%%-*} # bookworm, trixie, ...
case $debian in
bullseye) debian_name="Debian 11" ;;
bookworm) debian_name="Debian 12" ;;
trixie) debian_name="Debian 13" ;;
*) debian_name="Debian $debian" ;;
esac
# The release, its updates and security suites, and its backports where
# the kernel comes from there (apt takes from backports only what is
# asked for by name, or with -t).
chroot_suites=("$debian" "$debian-updates" "$debian-security")
target=()
if [[ $suite == *-backports ]]; then
	chroot_suites+=("$suite")
	target=(-t "$suite")
fi
CACHE=$VM_CACHE/deb-chroot
ARCHIVES=$CACHE/archives-$debian
BASE=$CACHE/$debian-$release.tar.zst
OUT=$ROOT/build/deb-check
CH=$OUT/root # the chroot of the moment
mkdir -p "$OUT"
name=kthread-cxx pkg=kthread-cxx-dkms

# Paths left out of the file-list comparison, each for a reason. Everything
# else (/etc, /usr, /lib/modules, /var/lib/dkms, /var/lib/dpkg/info, ...)
# counts.
IGNORED=(
	./proc ./dev ./sys ./run # mount points and runtime state, not files of the system
	./var/cache/apt          # apt's package cache (the .debs, bind-mounted) and its binary caches
	./var/cache/debconf      # debconf's database cache, rewritten by every dpkg run
	./var/lib/apt/lists      # package indexes
	./var/log                # apt's and dpkg's logs (history.log, term.log, dpkg.log, alternatives.log)
)

log() { printf '[deb-check %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# in_chroot DIR CMD...: CMD in the chroot DIR, with /proc, /dev and apt's
# package cache mounted in a private namespace that ends with CMD.
# CHROOT_ENV (NAME=VALUE, optional): one more variable for CMD.
in_chroot() {
	local dir=$1
	shift
	mkdir -p "$ARCHIVES/partial"
	# shellcheck disable=SC2016 # the inner script's variables are its own
	unshare --mount --pid --fork --mount-proc="$dir/proc" /bin/bash -c '
		set -e
		dir=$1 archives=$2 extra=$3
		shift 3
		mount --rbind /dev "$dir/dev"
		mount --bind "$archives" "$dir/var/cache/apt/archives"
		exec chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive ${extra:+"$extra"} "$@"
	' in_chroot "$dir" "$ARCHIVES" "${CHROOT_ENV:-}" "$@"
}

# apt_in DIR ARGS...: apt-get in the chroot; if it could not fetch a
# package (stale package lists name a file the mirror no longer has),
# update the lists once and try again.
apt_in() {
	local dir=$1 status=0
	shift
	in_chroot "$dir" apt-get -q -y "$@" 2>&1 | tee "$OUT/apt.log" || status=$?
	[[ $status -ne 0 ]] && grep -qE '^E: (Failed|Unable) to fetch' "$OUT/apt.log" || return $status
	log "apt-get $* could not fetch; updating the package lists and retrying"
	in_chroot "$dir" apt-get -q update && in_chroot "$dir" apt-get -q -y "$@"
}

# The clean system, built once: debootstrap + the VM kernel's image and headers.
prepare_base() {
	[[ -f $BASE ]] && return 0
	mkdir -p "$CACHE"
	exec {lockfd}>"$CACHE/.lock"
	flock "$lockfd"
	if [[ ! -f $BASE ]]; then
		local tmp=$CACHE/root.tmp logf=$CACHE/prepare.log t=$SECONDS
		rm -rf "$tmp"
		: >"$logf"
		log "building the clean $debian_name system ($debian $arch, from $ARCHIVE_MIRROR; linux-image/headers-$release from $suite): once, cached in $BASE"
		debootstrap --variant=minbase --arch="$arch" "$debian" "$tmp" "$ARCHIVE_MIRROR" >>"$logf" 2>&1 ||
			{ tail -n 20 "$logf" >&2; die "debootstrap failed (log: $logf)"; }
		archive_sources "${chroot_suites[@]}" >"$tmp/etc/apt/sources.list"
		# Follow the host on Valid-Until (a mirror that serves a snapshot
		# has expired Release files).
		if [[ $(apt-config dump Acquire::Check-Valid-Until) == *'"false";'* ]]; then
			echo 'Acquire::Check-Valid-Until "false";' >"$tmp/etc/apt/apt.conf.d/90deb-check"
		fi
		cp /etc/resolv.conf "$tmp/etc/resolv.conf"
		# A throwaway system: dpkg need not fsync every file it unpacks
		# (what Debian's build chroots do too).
		echo force-unsafe-io >"$tmp/etc/dpkg/dpkg.cfg.d/deb-check-unsafe-io"
		# INITRD=No: the chroot is never booted, so the kernel's hook makes
		# no initramfs (minutes of compression for nothing).
		{ apt_in "$tmp" update && CHROOT_ENV=INITRD=No &&
			apt_in "$tmp" install --no-install-recommends "${target[@]}" "linux-image-$release" "linux-headers-$release" &&
			CHROOT_ENV=""; } >>"$logf" 2>&1 ||
			{ tail -n 20 "$logf" >&2; die "installing the kernel in the chroot failed (log: $logf)"; }
		# debootstrap's .debs and apt's binary caches: not part of the system.
		rm -f "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/cache/apt/*.bin
		tar -C "$tmp" -I 'zstd -T0 -3' -cf "$BASE.tmp" . && mv "$BASE.tmp" "$BASE"
		rm -rf "$tmp"
		log "clean system ready: $(du -h "$BASE" | cut -f1), $((SECONDS - t)) s"
	fi
	exec {lockfd}>&-
}

prepare_base
[[ $prepare_only -eq 0 ]] || exit 0
# One run at a time on this machine: the runs share apt's package cache
# (and its lock) through $ARCHIVES.
exec {runfd}>"$CACHE/run.lock"
flock -n "$runfd" || { log "waiting for another deb-check run to finish"; flock "$runfd"; }

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "ok - $*"; }
fail() { failed=$((failed + 1)); echo "not ok - $*"; }
# step DESCRIPTION CMD...: ok if CMD succeeds; its output goes to $OUT/step.log
# (shown, the last lines, when it fails).
step() {
	local desc=$1 t=$SECONDS
	shift
	if "$@" >"$OUT/step.log" 2>&1; then
		pass "$desc ($((SECONDS - t)) s)"
	else
		fail "$desc"
		tail -n 25 "$OUT/step.log" | sed 's/^/#   /'
	fi
}
# shows OUTPUT ERE: prints OUTPUT, true if a line matches ERE (no pipe
# that grep -q could cut short under its writer).
shows() { echo "$1"; grep -qE "$2" <<<"$1"; }
# snapshot FILE: every path in the chroot with its type, IGNORED left out.
snapshot() {
	local prune=() p
	for p in "${IGNORED[@]}"; do prune+=(-path "$p" -o); done
	(cd "$CH" && find . \( "${prune[@]}" -false \) -prune -o -printf '%y %p\n') | LC_ALL=C sort >"$1"
}
# The module DKMS installed for a kernel, as the path inside the chroot.
ko_of() {
	(cd "$CH" && find "lib/modules/$1/updates" -name 'kthread.ko*' 2>/dev/null | sed 's|^|/|' | head -n 1) || true
}

start=$SECONDS
mkdir -p "$OUT"
src=$OUT/src
if [[ -z $deb ]]; then
	# As a user with the source tarball: make dist, unpack it, make deb there.
	make --no-print-directory dist >"$OUT/dist.log" 2>&1 || { tail -n 30 "$OUT/dist.log"; die "make dist failed"; }
	tarball=$(sed -n 's/^tarball: //p' "$OUT/dist.log")
	rm -rf "$src"
	mkdir -p "$src"
	tar -xf "$tarball" -C "$src" --strip-components=1
	[[ ! -e $src/.git ]] || die "the tarball carries .git"
	(cd "$src" && scripts/deb.sh) >"$OUT/deb.log" 2>&1 || { tail -n 30 "$OUT/deb.log"; die "make deb (from the tarball) failed"; }
	deb=$src/$(sed -n 's/^package: //p' "$OUT/deb.log")
	echo "# the package built from $(basename "$tarball") without git: $(basename "$deb")"
fi
[[ -f $deb ]] || die "no package at '$deb'"
version=$(dpkg-deb -f "$deb" Version)
upstream=${version%-*}
echo "# $(basename "$deb"), kernel $release (second kernel: $flavour)"

# fresh_root DIR: a fresh copy of the clean system in DIR, which becomes
# the chroot of the moment, with the package in its /tmp.
fresh_root() {
	local t=$SECONDS old trash=$OUT/.trash.$$.$RANDOM
	# The previous copy goes away in the background (1.4 GB: many seconds).
	mkdir -p "$trash"
	for old in "$OUT"/root*; do
		if [[ -e $old ]]; then mv "$old" "$trash/"; fi
	done
	rm -rf "$trash" &
	CH=$1
	mkdir -p "$CH"
	tar -C "$CH" -I zstd -xf "$BASE"
	cp "$deb" "$CH$debfile"
	chmod 644 "$CH$debfile"
	echo "# fresh copy of the clean system in ${CH#"$ROOT"/}: $((SECONDS - t)) s"
}
debfile=/tmp/$(basename "$deb")
rm -rf "$OUT"/.trash.* # what an interrupted run left
fresh_root "$OUT/root-clean"
snapshot "$OUT/files-clean.txt"

# ---- 1. install, as a user would --------------------------------------------
step "apt-get install ./$(basename "$deb") in a clean $debian_name ($debian)" \
	apt_in "$CH" install "$debfile"
cp "$OUT/step.log" "$OUT/install.log"
installed_in() {
	# shellcheck disable=SC2016 # dpkg-query's format, not the shell's
	[[ $(chroot "$CH" dpkg-query -W -f '${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}
deps_installed() { installed_in dkms && installed_in g++; }
step "apt pulled in dkms and g++" deps_installed

step "dkms status: $name/$upstream installed for $release" \
	shows "$(in_chroot "$CH" dkms status -m $name -v "$upstream" -k "$release" 2>&1)" ': installed$'
ko=$(ko_of "$release")
step "kthread.ko installed by DKMS: ${ko:-none}" test -n "$ko" -a -f "$CH$ko"
step "/usr/src/$name-$upstream/dkms.conf says PACKAGE_VERSION=\"$upstream\"" \
	grep -qx "PACKAGE_VERSION=\"$upstream\"" "$CH/usr/src/$name-$upstream/dkms.conf"
modinfo_ok() {
	shows "$(modinfo "$CH$ko")" "^version: *$(archive_ere "$upstream")\$" &&
		shows "$(modinfo -F vermagic "$CH$ko")" "^$(archive_ere "$release") "
}
step "modinfo: version $upstream (the package's), vermagic $release" modinfo_ok
step "modprobe finds it (depmod ran): modprobe --show-depends kthread" \
	shows "$(in_chroot "$CH" modprobe -S "$release" --show-depends kthread 2>&1)" "^insmod $(archive_ere "$ko") \$"
step "modinfo -k $release kthread (by name, through modules.dep)" \
	shows "$(in_chroot "$CH" modinfo -k "$release" -F filename kthread 2>&1)" "^$(archive_ere "$ko")\$"
# crcpool.ko, the package's second module: installed and found by name too.
step "crcpool.ko installed by DKMS; modprobe finds it: modprobe --show-depends crcpool" \
	shows "$(in_chroot "$CH" modprobe -S "$release" --show-depends crcpool 2>&1)" "^insmod /lib/modules/.*/crcpool\.ko"

# ---- 2. that .ko in the VM ----------------------------------------------------
if [[ -n $ko && -f $CH$ko ]]; then
	vmko=$OUT/kthread.ko # what the VM's insmod loads: uncompressed
	case $ko in
	*.ko) cp "$CH$ko" "$vmko" ;;
	*.xz) xz -dc "$CH$ko" >"$vmko" ;;
	*.zst) zstd -qdc "$CH$ko" >"$vmko" ;;
	*.gz) gzip -dc "$CH$ko" >"$vmko" ;;
	esac
	if [[ $vm -eq 1 ]]; then
		t=$SECONDS
		# The kernel the package was installed for, whatever KDIR is; the
		# module's own groups (the torture groups are the main suite's).
		if tests/vm/run-suite.sh --ko "$vmko" --kernel "$(vm_kernel "$release")" --name deb \
			--cycles "$cycles" --groups base >"$OUT/vm.log" 2>&1; then
			pass "the .ko DKMS built in the chroot passes the VM suite ($(grep -c '^ok ' build/vm-deb/report.txt) checks, $cycles cycles, $((SECONDS - t)) s)"
		else
			fail "the .ko DKMS built in the chroot fails the VM suite (log: $OUT/vm.log)"
			grep -E '^not ok|^#' "$OUT/vm.log" | head -n 40 | sed 's/^/#   /'
		fi
	else
		echo "# VM suite skipped (--no-vm)"
	fi
fi

# ---- 3. a second kernel arrives -------------------------------------------------
step "apt-get install linux-headers-$flavour" \
	apt_in "$CH" install --no-install-recommends "${target[@]}" "linux-headers-$flavour"
cp "$OUT/step.log" "$OUT/headers.log"
ko2=$(ko_of "$flavour")
step "DKMS's hook built and installed it for $flavour: ${ko2:-none}" \
	bash -c "test -n '$ko2' && modinfo -F vermagic '$CH$ko2' | grep -q '^$flavour '"

# ---- 4. which headers `make` picks -------------------------------------------------
mkdir -p "$CH/tmp/src"
if [[ -d $src ]]; then srcfrom=$src; else srcfrom=$ROOT; fi
(cd "$srcfrom" && scripts/source-files.sh | tar --null -T - -cf -) | tar -xf - -C "$CH/tmp/src"
make_picks_generic() {
	shows "$(in_chroot "$CH" make -C /tmp/src 2>&1)" "^kernel: /usr/src/linux-headers-$(archive_ere "$release") \(($kbuild_arch, )?generic" &&
		shows "$(modinfo -F vermagic "$CH/tmp/src/kthread.ko")" "^$(archive_ere "$release") "
}
step "make with $release and $flavour headers installed picks $release" make_picks_generic
rm -rf "$CH/tmp/src"

# ---- 5. purge ------------------------------------------------------------------------
chroot "$CH" dpkg -L "$pkg" >"$OUT/package-files.txt" 2>/dev/null || true
step "apt-get purge $pkg" apt_in "$CH" purge "$pkg"
cp "$OUT/step.log" "$OUT/purge.log"
step "no kthread.ko left in any /lib/modules/*" \
	bash -c "! find '$CH/lib/modules' -name 'kthread.ko*' | grep ."
step "modules.dep of both kernels no longer names it" \
	bash -c "! grep -s kthread '$CH/lib/modules/$release/modules.dep' '$CH/lib/modules/$flavour/modules.dep'"
step "no /usr/src/$name-*, no /var/lib/dkms/$name" \
	bash -c "! ls -d '$CH/usr/src/$name-'* '$CH/var/lib/dkms/$name' 2>/dev/null | grep ."
no_package_files_left() {
	local f left=0
	while read -r f; do
		[[ -e $CH$f && ! -d $CH$f ]] && { echo "left: $f"; left=1; }
	done <"$OUT/package-files.txt"
	[[ -s $OUT/package-files.txt && $left -eq 0 ]]
}
step "none of the package's $(wc -l <"$OUT/package-files.txt") files is left" no_package_files_left
step "dpkg has forgotten $pkg (no status, no /var/lib/dpkg/info/$pkg.*)" \
	bash -c "! chroot '$CH' dpkg -s $pkg >/dev/null 2>&1 && ! ls '$CH/var/lib/dpkg/info/$pkg'.* 2>/dev/null | grep ."
# What the purge left in the module trees and DKMS's own directory that no
# installed package owns (with /usr merged, /lib is /usr/lib), for the
# record: depmod's index files of a kernel whose image is not installed.
snapshot "$OUT/files-purged.txt"
# shellcheck disable=SC2016 # dpkg-query's format, not the shell's
mapfile -t installed < <(chroot "$CH" dpkg-query -W -f '${binary:Package}\n' 2>/dev/null)
chroot "$CH" dpkg-query -L "${installed[@]}" 2>/dev/null | sed -E 's,^/(lib|bin|sbin)/,/usr/\1/,; s,^,.,' |
	LC_ALL=C sort -u >"$OUT/owned.txt" || true
comm -13 "$OUT/files-clean.txt" "$OUT/files-purged.txt" | cut -d' ' -f2- |
	grep -E '^\./(usr/lib/modules|var/lib/dkms)/' | LC_ALL=C sort | comm -23 - "$OUT/owned.txt" |
	sed 's/^/# left by the purge, owned by no package: /' || true

# ---- 6. install + purge on a system that has the dependencies: nothing left ------
fresh_root "$OUT/root-deps"
depends=$(dpkg-deb -f "$deb" Depends)
# The -rt kernel comes as headers only (its image is large and not needed),
# and so may another: dkms depends on linux-headers-amd64, which is the
# release's own kernel line (6.1 on bookworm) when the VM's kernel is a
# backports one. depmod writes the module index files an image would have
# brought, for every kernel with headers, so that DKMS's depmod does not
# seem to create them.
# shellcheck disable=SC2016 # the inner shell's variables
install_deps() {
	apt_in "$CH" satisfy "$depends" && apt_in "$CH" install --no-install-recommends "${target[@]}" "linux-headers-$flavour" &&
		in_chroot "$CH" sh -c 'for b in /usr/lib/modules/*/build; do depmod "$(basename "$(dirname "$b")")" || exit; done'
}
step "apt-get satisfy '$depends' + linux-headers-$flavour (+ a depmod index for each kernel's headers), in a fresh copy" install_deps
snapshot "$OUT/files-before.txt"
step "apt-get install ./$(basename "$deb")" apt_in "$CH" install "$debfile"
step "DKMS built it for both kernels at install" \
	bash -c "test -n \"\$(cd '$CH' && find lib/modules/$release/updates lib/modules/$flavour/updates -name 'kthread.ko*' | wc -l | grep -x 2)\""
snapshot "$OUT/files-installed.txt"
step "apt-get purge $pkg" apt_in "$CH" purge "$pkg"
snapshot "$OUT/files-after.txt"
comm -13 "$OUT/files-before.txt" "$OUT/files-installed.txt" >"$OUT/files-added.txt"
diff_lists() {
	diff "$OUT/files-before.txt" "$OUT/files-after.txt" && [[ -s $OUT/files-added.txt ]]
}
step "file list after purge = before install ($(wc -l <"$OUT/files-added.txt") paths came and went; ignored: ${IGNORED[*]})" diff_lists

wait # for the removal of the first copy
[[ $failed -ne 0 ]] || rm -rf "$OUT"/root* # 1.4 GB; kept for a look when a check failed
echo "# deb-check: $((SECONDS - start)) s; logs and file lists in ${OUT#"$ROOT"/}/"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
