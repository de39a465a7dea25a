#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# matrix.sh - build kthread.ko and crcpool.ko for each stock Debian kernel
# and run the in-VM suite (tests/vm/run-suite.sh, both modules) and make
# demo's timeline check (scripts/demo.sh, plain and round trip) on it; print
# a table, write it as Markdown to build/matrix.md, exit non-zero if any
# kernel fails.
#
#   scripts/matrix.sh [--cycles N] [--only LABEL[,LABEL...]] [--refresh] [--list]
#
# Kernels (newest of each in Debian's archive; --list shows the picks):
#   5.10    bullseye(-security)                  built in a bullseye chroot (gcc-10)
#   6.1     the host's installed bookworm headers built on the host
#   6.1-rt  bookworm(-security) PREEMPT_RT        built on the host
#   6.12    bookworm-backports/-security (+deb12) built on the host
#   6.12-rt bookworm-backports/-security PREEMPT_RT built on the host
#   13      trixie(-security): Debian 13's 6.12   built in a trixie chroot (gcc-14)
#   7.x     newest of trixie-backports, sid, experimental, with headers;
#           built in a chroot of that release (its kbuild needs glibc >= 2.38)
#   arm64-6.1   bookworm(-security) arm64     cross-built on the host, booted in
#   arm64-6.12  bookworm-backports/-security   qemu-system-aarch64 -M virt -cpu max
#           (scripts/arm64-kernel.sh: Debian's arm64 headers with this
#           machine's kbuild, the image, busybox-static:arm64)
#
# Everything fetched or built lives in cache/ (cache/matrix/..., and each
# kernel image in cache/kernels/<release>/vmlinuz, where vm_kernel finds it):
# a second run downloads nothing and only rebuilds the module. Package lists
# are refreshed when older than a day (or with --refresh). Nothing is
# installed on the host but debootstrap and dwarves (pahole, which kbuild runs
# for BTF on 6.12+); no kernel is ever loaded on the host. Logs: build/matrix/.
# MATRIX_CYCLES (20): load/unload cycles per suite; MATRIX_7X_SUITES
# ("trixie-backports sid experimental"): where to look for the 7.x kernel.
# The archive's addresses are the machine's own (scripts/debian-archive.sh;
# DEBIAN_MIRROR and DEBIAN_SECURITY_MIRROR override them).
set -euo pipefail
# shellcheck source=scripts/usage.sh
. "$(dirname "$0")/usage.sh"
cd "$(dirname "$0")/.."
ROOT=$PWD
MX=$ROOT/cache/matrix
OUT=$ROOT/build/matrix

cycles=${MATRIX_CYCLES:-20} only="" refresh=0 list=0
while [[ $# -gt 0 ]]; do
	case $1 in
	--cycles) cycles=$2; shift 2 ;;
	--only) only=$2; shift 2 ;;
	--refresh) refresh=1; shift ;;
	--list) list=1; shift ;;
	*) usage; exit 2 ;;
	esac
done

log() { printf '[matrix %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# A nested `make matrix` must not hand its jobserver or flags to kbuild.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

# ---- host tools ------------------------------------------------------------
need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v pahole >/dev/null || need+=(dwarves)
for t in unshare dpkg-deb qemu-system-x86_64; do
	command -v "$t" >/dev/null || die "$t missing (make deps)"
done
if [[ -z $only || $only == *arm64* ]]; then
	command -v aarch64-linux-gnu-g++-12 >/dev/null || need+=(gcc-aarch64-linux-gnu g++-aarch64-linux-gnu)
	command -v qemu-system-aarch64 >/dev/null || need+=(qemu-system-arm)
fi
if [[ ${#need[@]} -gt 0 ]]; then
	[[ $(id -u) -eq 0 ]] || die "missing Debian packages; as root run: apt-get install -y ${need[*]}"
	log "installing ${need[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null ||
		{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null; }
fi
[[ $(id -u) -eq 0 ]] || die "needs root (debootstrap, chroot)"

mkdir -p "$MX" "$OUT"
exec 9>"$MX/lock"
flock -n 9 || die "another matrix run holds $MX/lock"

# ---- Debian's archive: a private apt (scripts/debian-archive.sh) ----------
# shellcheck source=scripts/debian-archive.sh
. "$ROOT/scripts/debian-archive.sh"
MIRROR=$ARCHIVE_MIRROR
APT=("${ARCHIVE_APT[@]}")
apt_lists() { archive_init "$([[ $refresh == 1 ]] && echo --refresh)"; }
newest_kernel() { archive_newest_kernel "$@"; }
fetch_debs() { archive_download "$@"; }

# fetch_vmlinuz RELEASE: Debian's kernel image into cache/kernels/RELEASE/,
# the file tests/vm/vm-lib.sh's vm_kernel boots (nothing is installed).
fetch_vmlinuz() {
	local rel=$1 dir=$ROOT/cache/kernels/$1
	[[ -f $dir/vmlinuz ]] && return 0
	local tmp=$MX/debs/image-$rel p deb path
	rm -rf "$tmp"
	for p in "linux-binary-$rel" "linux-image-$rel" "linux-image-$rel-unsigned"; do
		fetch_debs "$tmp" "$p" 2>/dev/null && break
	done
	deb=$(find "$tmp" -maxdepth 1 -name '*.deb' 2>/dev/null | head -n 1)
	[[ -n $deb ]] || { log "no image package for $rel"; return 1; }
	# 7.x ships it as /usr/lib/modules/REL/vmlinuz (linux-binary-REL).
	path=$(dpkg-deb -c "$deb" | awk '{print $NF}' |
		grep -xF -e "./boot/vmlinuz-$rel" -e "./usr/lib/modules/$rel/vmlinuz" | head -n 1)
	[[ -n $path ]] || { log "no vmlinuz in $(basename "$deb")"; return 1; }
	mkdir -p "$dir"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "$path" >"$dir/vmlinuz.tmp"
	mv "$dir/vmlinuz.tmp" "$dir/vmlinuz"
	rm -rf "$tmp"
}

# The gcc a headers tree was built with (gcc-12, ...), from Debian's
# .kernelvariables; the C++ objects need the matching g++.
tree_gcc() {
	[[ -f $1/.kernelvariables ]] || return 0
	sed -n 's/^CC = .*\(gcc-[0-9][0-9]*\).*/\1/p' "$1/.kernelvariables" | head -n 1
}

# host_tree RELEASE: Debian's headers for RELEASE (a bookworm kernel: its
# kbuild runs here) unpacked into cache/matrix/trees/RELEASE, without dpkg.
host_tree() {
	local rel=$1 root=$MX/trees/$1
	local kdir=$root/usr/src/linux-headers-$rel
	if [[ ! -f $root/.complete ]]; then
		rm -rf "$root" "$MX/debs/headers-$rel"
		local deps=()
		mapfile -t deps < <(apt-cache "${APT[@]}" show "linux-headers-$rel" | sed -n 's/^Depends: //p' |
			head -n 1 | tr ',' '\n' | sed 's/[ ]*(.*//; s/^ *//' | grep -E '^linux-(headers|kbuild)-' || true)
		fetch_debs "$MX/debs/headers-$rel" "linux-headers-$rel" "${deps[@]}" || return 1
		local deb
		mkdir -p "$root"
		for deb in "$MX/debs/headers-$rel"/*.deb; do
			dpkg-deb -x "$deb" "$root" || return 1
		done
		[[ -f $kdir/Makefile ]] || { log "linux-headers-$rel: no $kdir/Makefile"; return 1; }
		rm -rf "$MX/debs/headers-$rel"
		touch "$root/.complete"
	fi
	# Debian's Makefile includes /usr/src/linux-headers-*-common/Makefile by
	# its absolute path: point it at the unpacked copy (again if cache/ moved).
	sed -i "s|^include .*/usr/src/|include $root/usr/src/|" "$kdir/Makefile"
	echo "$kdir"
}

# ---- chroots for the releases whose tools do not run on bookworm ----------
chroot_sources() {
	case $1 in
	bullseye) archive_sources bullseye bullseye-security ;;
	trixie) archive_sources trixie trixie-updates trixie-security trixie-backports ;;
	sid) archive_sources sid experimental ;;
	esac
}

# in_chroot DIR CMD...: CMD in the chroot, with its own /proc (objtool reads
# it) in a private mount namespace, so nothing stays mounted afterwards.
in_chroot() {
	local dir=$1
	shift
	unshare --mount --pid --fork --mount-proc="$dir/proc" \
		chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

installed_in() {
	# shellcheck disable=SC2016 # dpkg-query's format, not the shell's
	in_chroot "$1" dpkg-query -W -f='${Status}\n' "$2" 2>/dev/null | grep -q '^install ok installed$'
}

# chroot_tree BASE RELEASE LOG: a debootstrap chroot of BASE with the headers
# for RELEASE and the matching g++; prints the tree's path inside the chroot.
chroot_tree() {
	local base=$1 rel=$2 logf=$3 dir=$MX/chroots/$1
	if [[ ! -x $dir/usr/bin/apt-get ]]; then
		log "debootstrap $base (minbase)"
		rm -rf "$dir.tmp"
		mkdir -p "$MX/chroots"
		debootstrap --variant=minbase "$base" "$dir.tmp" "$MIRROR" >>"$logf" 2>&1 ||
			{ tail -n 5 "$logf" >&2; return 1; }
		mv "$dir.tmp" "$dir"
	fi
	chroot_sources "$base" >"$dir/etc/apt/sources.list"
	# The chroot's apt follows the host's on Valid-Until (a mirror that
	# serves a snapshot has expired Release files for sid and experimental).
	if [[ $(apt-config dump Acquire::Check-Valid-Until) == *'"false";'* ]]; then
		echo 'Acquire::Check-Valid-Until "false";' >"$dir/etc/apt/apt.conf.d/90matrix"
	else
		rm -f "$dir/etc/apt/apt.conf.d/90matrix"
	fi
	cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
	local kdir=/usr/src/linux-headers-$rel
	if ! installed_in "$dir" "linux-headers-$rel" || ! installed_in "$dir" build-essential; then
		log "installing linux-headers-$rel in the $base chroot"
		{ in_chroot "$dir" apt-get -q update &&
			in_chroot "$dir" apt-get install -y -q --no-install-recommends build-essential "linux-headers-$rel"; } >>"$logf" 2>&1 ||
			{ tail -n 5 "$logf" >&2; return 1; }
	fi
	local gcc
	gcc=$(tree_gcc "$dir$kdir")
	if [[ -n $gcc && ! -x $dir/usr/bin/${gcc/gcc/g++} ]]; then
		log "installing ${gcc/gcc/g++} in the $base chroot"
		in_chroot "$dir" apt-get install -y -q --no-install-recommends "${gcc/gcc/g++}" >>"$logf" 2>&1 ||
			{ tail -n 5 "$logf" >&2; return 1; }
	fi
	echo "$kdir"
}

# copy_sources DEST: the module's sources as they are in the work tree
# (a git clone or an unpacked tarball: scripts/source-files.sh).
copy_sources() {
	rm -rf "$1"
	mkdir -p "$1"
	"$ROOT/scripts/source-files.sh" | (cd "$ROOT" && tar --null -T - -cf -) | tar -xf - -C "$1"
}

# ---- the kernels -----------------------------------------------------------
# Each: label, then how to find it (resolve_LABEL sets rel, origin, where).
resolve() {
	local label=$1 pick
	rel="" origin="" where=""
	case $label in
	5.10)
		pick=$(newest_kernel 'linux-headers-5\.10\.0-[0-9]+-amd64' bullseye bullseye-security) || return 1
		where=chroot:bullseye ;;
	6.1)
		local h
		h=$(printf '%s\n' /usr/src/linux-headers-6.1.0-*-amd64 |
			grep -E '/linux-headers-6\.1\.0-[0-9]+-amd64$' | sort -V | tail -n 1 || true)
		[[ -n $h ]] || { log "6.1: no /usr/src/linux-headers-6.1.0-*-amd64 (make deps)"; return 1; }
		rel=${h##*/linux-headers-} origin="bookworm, installed" where=host:$h
		return 0 ;;
	6.1-rt)
		pick=$(newest_kernel 'linux-headers-6\.1\.0-[0-9]+-rt-amd64' bookworm bookworm-updates bookworm-security) || return 1
		where=host ;;
	6.12)
		pick=$(newest_kernel 'linux-headers-6\.12\.[0-9]+\+deb12(\.[0-9]+)?-amd64' bookworm-backports bookworm-security) || return 1
		where=host ;;
	6.12-rt)
		pick=$(newest_kernel 'linux-headers-6\.12\.[0-9]+\+deb12(\.[0-9]+)?-rt-amd64' bookworm-backports bookworm-security) || return 1
		where=host ;;
	13)
		pick=$(newest_kernel 'linux-headers-6\.12\.[0-9]+\+deb13(\.[0-9]+)?-amd64' trixie trixie-updates trixie-security) || return 1
		where=chroot:trixie ;;
	7.x)
		# shellcheck disable=SC2086 # a list of suites
		pick=$(newest_kernel 'linux-headers-7\.[0-9.]+(\+deb[0-9]+(\.[0-9]+)?)?-amd64' \
			${MATRIX_7X_SUITES:-trixie-backports sid experimental}) || return 1
		case $(cut -d' ' -f2 <<<"$pick") in
		trixie-backports) where=chroot:trixie ;;
		*) where=chroot:sid ;;
		esac ;;
	arm64-6.1)
		pick=$(ARCHIVE_KERNEL_ARCH=arm64 newest_kernel 'linux-headers-6\.1\.0-[0-9]+-arm64' \
			bookworm bookworm-updates bookworm-security) || return 1
		where=arm64 ;;
	arm64-6.12)
		pick=$(ARCHIVE_KERNEL_ARCH=arm64 newest_kernel 'linux-headers-6\.12\.[0-9]+\+deb12(\.[0-9]+)?-arm64' \
			bookworm-backports bookworm-security) || return 1
		where=arm64 ;;
	*) return 1 ;;
	esac
	rel=$(cut -d' ' -f1 <<<"$pick")
	origin="$(cut -d' ' -f2 <<<"$pick") $(cut -d' ' -f3 <<<"$pick")"
}

LABELS=(5.10 6.1 6.1-rt 6.12 6.12-rt 13 7.x arm64-6.1 arm64-6.12)
if [[ -n $only ]]; then
	IFS=, read -r -a LABELS <<<"$only"
fi

apt_lists

if [[ $list == 1 ]]; then
	for label in "${LABELS[@]}"; do
		if resolve "$label"; then
			printf '%-10s %-28s %-30s %s\n' "$label" "$rel" "$origin" "${where%%:/*}"
		else
			printf '%-10s (none found)\n' "$label"
		fi
	done
	exit 0
fi

rows=() kpass=0 kfail=0
run_start=$SECONDS
for label in "${LABELS[@]}"; do
	t0=$SECONDS
	odir=$OUT/$label
	rm -rf "$odir"
	mkdir -p "$odir"
	blog=$odir/build.log slog=$odir/suite.log
	: >"$blog"
	build="FAIL" suite="not run" demo="not run" ok=0 gcc=""
	if ! resolve "$label"; then
		log "$label: no kernel found in the package lists"
		rows+=("$label|no kernel found|FAIL|not run|not run|$((SECONDS - t0)) s")
		kfail=$((kfail + 1))
		continue
	fi
	name=$label
	[[ $label != 7.x ]] || name=$(cut -d. -f1-2 <<<"${rel%%[-+]*}")
	[[ $label != 13 ]] || name="$(cut -d. -f1-2 <<<"${rel%%[-+]*}")-debian13"
	log "$name: $rel ($origin), $where"

	# Prepare: the headers tree and the kernel image.
	kdir_host="" kdir_build="" srcdir="" builder=() crcpool_builder=()
	# The architecture: kbuild and the VM scripts take it from ARCH.
	arch=x86 cross=()
	[[ $where != arm64 ]] || arch=arm64 cross=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
	case $where in
	host:*)
		kdir_host=${where#host:} kdir_build=$kdir_host ;;
	host)
		kdir_host=$(host_tree "$rel") || kdir_host=""
		kdir_build=$kdir_host ;;
	arm64)
		# Headers, image (with the report channel's modules) and busybox.
		kdir_host=$("$ROOT/scripts/arm64-kernel.sh" "$rel" 2>>"$blog") || kdir_host=""
		kdir_build=$kdir_host ;;
	chroot:*)
		base=${where#chroot:}
		if kdir_build=$(chroot_tree "$base" "$rel" "$blog"); then
			kdir_host=$MX/chroots/$base$kdir_build
		else
			kdir_build=""
		fi ;;
	esac
	prep_ok=1
	[[ -n $kdir_host && -f $kdir_host/Makefile ]] || { log "$name: no headers tree"; prep_ok=0; }
	if [[ $prep_ok == 1 && $arch == x86 ]] && ! fetch_vmlinuz "$rel"; then
		# vm_kernel still tries /boot and the host's own apt.
		log "$name: could not fetch linux-image-$rel with the matrix's package lists"
	fi
	gcc=$(tree_gcc "$kdir_host")
	prep_s=$((SECONDS - t0))

	# Build: a clean copy of the sources, kbuild for this tree.
	bs=0
	if [[ $prep_ok == 1 ]]; then
		b0=$SECONDS
		if [[ $where == chroot:* ]]; then
			srcdir=$MX/chroots/$base/build/kthread-cxx
			copy_sources "$srcdir"
			builder=(in_chroot "$MX/chroots/$base" make -j2 -C "$kdir_build" M=/build/kthread-cxx modules)
			crcpool_builder=(in_chroot "$MX/chroots/$base" make -j2 -C "$kdir_build" M=/build/kthread-cxx/crcpool modules)
		else
			srcdir=$MX/build/$label/kthread-cxx
			copy_sources "$srcdir"
			builder=(make -j2 -C "$kdir_build" M="$srcdir" "${cross[@]}" modules)
			crcpool_builder=(make -j2 -C "$kdir_build" M="$srcdir/crcpool" "${cross[@]}" modules)
			gxx=${gcc/gcc/g++}
			[[ $arch == x86 ]] || gxx=aarch64-linux-gnu-$gxx
			if [[ -n $gcc ]] && ! command -v "$gxx" >/dev/null; then
				echo "error: $gxx (the kernel's $gcc for C++) is not installed on the host" >>"$blog"
				builder=(false) crcpool_builder=(false)
			fi
		fi
		status=0
		"${builder[@]}" >>"$blog" 2>&1 || status=$?
		# crcpool.ko, the library's second module, from the same sources.
		[[ $status != 0 ]] || "${crcpool_builder[@]}" >>"$blog" 2>&1 || status=$?
		bs=$((SECONDS - b0))
		warnings=$(grep -ciE '(^|[^a-z])warning:' "$blog" || true)
		if [[ $status == 0 && -f $srcdir/kthread.ko && -f $srcdir/crcpool/crcpool.ko ]]; then
			build="ok ${bs} s"
			[[ $warnings == 0 ]] || build+=", $warnings warnings"
			cp "$srcdir/kthread.ko" "$odir/kthread.ko"
			cp "$srcdir/crcpool/crcpool.ko" "$odir/crcpool.ko"
			ok=1
		else
			build="FAIL ${bs} s"
			log "$name: build failed (log: ${blog#"$ROOT"/})"
			grep -E 'error|Error|warning' "$blog" | head -n 15 | sed 's/^/    /' >&2 || true
		fi
	else
		build="FAIL (prepare)"
	fi

	# The in-VM suite on that kernel's own image.
	if [[ $ok == 1 ]]; then
		log "$name: build ok (${bs} s, prepare ${prep_s} s), running the suite ($cycles cycles)"
		status=0
		ARCH=$arch KDIR=$kdir_host tests/vm/run-suite.sh --ko "$odir/kthread.ko" --crcpool-ko "$odir/crcpool.ko" \
			--name "matrix-$name" \
			--cycles "$cycles" >"$slog" 2>&1 || status=$?
		np=$(grep -c '^ok ' "$slog" || true)
		nf=$(grep '^not ok' "$slog" | grep -vc ' # TODO ' || true)
		suite="$np passed / $nf failed"
		if [[ $status != 0 || $np == 0 ]]; then
			ok=0
			[[ $status == 0 ]] || suite+=" (exit $status)"
			log "$name: suite failed (log: ${slog#"$ROOT"/})"
			grep -A3 '^not ok' "$slog" | head -n 30 | sed 's/^/    /' >&2 || true
		fi
	fi
	# make demo's timeline, both modes, checked against its log: the same
	# kernel, the same build. A kernel that refuses one of the demo's
	# probes fails here, not in a user's first make demo.
	if [[ $ok == 1 ]]; then
		demo=""
		for mode in plain roundtrip; do
			dlog=$odir/demo-$mode.log
			dargs=(--ko "$odir/kthread.ko" --out "$odir/demo")
			[[ $mode == plain ]] || dargs+=(--roundtrip)
			status=0
			ARCH=$arch KDIR=$kdir_host scripts/demo.sh "${dargs[@]}" >"$dlog" 2>&1 || status=$?
			counts=$(sed -n 's/^timeline checked against the log: \([0-9]*\) passed, \([0-9]*\) failed$/\1\/\2/p' "$dlog")
			demo+="${demo:+, }$mode ${counts:-no check}"
			if [[ $status != 0 ]]; then
				ok=0 demo+=" FAIL"
				log "$name: make demo ($mode) failed (log: ${dlog#"$ROOT"/})"
				grep -E '^not ok|^demo did not|^the guest|^kernel trouble' "$dlog" | head -n 10 | sed 's/^/    /' >&2 || true
			fi
		done
	fi
	elapsed=$((SECONDS - t0))
	kdesc="$name: $rel"
	[[ -n $gcc ]] && kdesc+=", $gcc"
	kdesc+=" (${origin%% [0-9]*})"
	rows+=("$kdesc|$build|$suite|$demo|$elapsed s")
	if [[ $ok == 1 ]]; then kpass=$((kpass + 1)); else kfail=$((kfail + 1)); fi
	log "$name: done in ${elapsed} s"
done
total=$((SECONDS - run_start))

# ---- the table -------------------------------------------------------------
{
	echo "| kernel | build | suite | demo timeline (passed/failed) | time |"
	echo "|---|---|---|---|---|"
	for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
	echo
	echo "$cycles load/unload cycles per suite; time is the whole row (fetch, build, boot, suite, demo); total ${total} s. $(date -u '+%Y-%m-%d')."
} >"$ROOT/build/matrix.md"

echo
{
	echo "kernel|build|suite|demo|time"
	printf '%s\n' "${rows[@]}"
} | column -t -s '|' -o ' | '
echo "total ${total} s; logs in build/matrix/, table in build/matrix.md"
echo "$kpass passed, $kfail failed"
[[ $kfail == 0 ]]
